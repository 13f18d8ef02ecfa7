"""Every error that pycognito-web raises.

::

    CognitoError                   base: .code, .name, .message, .status_code
    ├── LocalError                 raised here, before or instead of the service
    │   ├── InvalidParameterError  bad input from the caller; names what was wrong
    │   │   └── Undeliverable      compat: a result the callback object has no
    │   │                          function for (it goes to onFailure)
    │   ├── NotAuthenticatedError  a call that needs a signed-in session had none
    │   ├── SrpError               the SRP exchange broke one of its rules
    │   ├── InvalidResponseError   the service's answer could not be read
    │   ├── NetworkError           the request never got an answer (fetch rejected)
    │   └── TokenVerificationError a JWT failed verification; names the check
    └── ServiceError               the service answered with an error
        └── one class per Cognito ``__type`` (NotAuthorizedException, ...)

Every error class of the package is defined here, and this module imports nothing.

``code`` and ``name`` are the original SDK's: the Cognito error type for service
errors (``"NotAuthorizedException"``), and for local errors a name in the same style,
so code written for the JavaScript SDK (``if err.code == "UserNotConfirmedException"``)
keeps working. Messages never contain a password, token or secret.
"""

TYPE_CHECKING = False  # typing is absent on MicroPython; checkers still read this
if TYPE_CHECKING:
    from typing import Optional


class CognitoError(Exception):
    """Base of every error raised by pycognito-web.

    Args:
        message: what went wrong (never a password, token or secret).
        code: the error's code, when not the class's own.
        status_code: the HTTP status, for an answer from the service.
    """

    code = "CognitoError"

    def __init__(
        self, message: "str", code: "Optional[str]" = None, status_code: "Optional[int]" = None
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.name = self.code
        self.status_code = status_code

    # camelCase twin for the JavaScript-shaped API (err.statusCode).
    @property
    def statusCode(self) -> "Optional[int]":
        """``status_code``, as the original spells it."""
        return self.status_code

    def __str__(self) -> "str":
        return "%s: %s" % (self.code, self.message)

    def __repr__(self) -> "str":
        return "%s(%r, code=%r)" % (type(self).__name__, self.message, self.code)


class LocalError(CognitoError):
    """Raised by the library itself; the service was not (or could not be) asked."""

    code = "LocalError"


class InvalidParameterError(LocalError):
    """The caller passed something the call cannot use; the message names it."""

    code = "InvalidParameterException"


class Undeliverable(InvalidParameterError):
    """A result arrived that the callback object has no function for (a challenge
    without its handler, or one this client cannot answer); it goes to onFailure."""


class NotAuthenticatedError(LocalError):
    """The call needs a valid session and there is none."""

    code = "NotAuthorizedException"


class SrpError(LocalError):
    """The SRP exchange broke a rule (B = 0 mod N, u = 0, bad hex...)."""

    code = "SrpError"


class InvalidResponseError(LocalError):
    """The service's answer was not what Cognito sends (not JSON, fields missing)."""

    code = "InvalidResponseError"


class NetworkError(LocalError):
    """The request failed before any answer arrived."""

    code = "NetworkError"


class TokenVerificationError(LocalError):
    """A token failed verification; the message says which check."""

    code = "TokenVerificationError"


class OAuthError(CognitoError):
    """A redirect sign-in that did not complete: managed login answered an error
    (``access_denied`` when the person cancelled), the state did not match
    (``state_mismatch``: not this page's sign-in, or a forged return), or the token
    endpoint refused the code (``invalid_grant``: used, expired or not ours).

    Attributes:
        code: the OAuth error (``access_denied``, ``state_mismatch``, ``invalid_grant``...).
        message: its description.
    """

    code = "OAuthError"


class ServiceError(CognitoError):
    """Cognito answered with an error; ``code`` is its ``__type``."""

    code = "ServiceError"


# The Cognito error types a user-facing client can meet (COGNITO-BEHAVIOUR.md, sec. 1),
# as real classes so that type checkers and IDEs see them. A type not listed here
# still raises a ServiceError whose ``code`` is the type.

class AliasExistsException(ServiceError):
    """The email or phone number is already an alias of another user."""

    code = "AliasExistsException"


class CodeDeliveryFailureException(ServiceError):
    """The verification code could not be delivered."""

    code = "CodeDeliveryFailureException"


class CodeMismatchException(ServiceError):
    """The code given does not match the one sent."""

    code = "CodeMismatchException"


class ConcurrentModificationException(ServiceError):
    """Another request changed the same resource at the same time."""

    code = "ConcurrentModificationException"


class DeviceKeyExistsException(ServiceError):
    """The device key is already in use."""

    code = "DeviceKeyExistsException"


class EnableSoftwareTokenMFAException(ServiceError):
    """The TOTP code given while enabling software-token MFA is wrong."""

    code = "EnableSoftwareTokenMFAException"


class ExpiredCodeException(ServiceError):
    """The code has expired."""

    code = "ExpiredCodeException"


class FeatureUnavailableInTierException(ServiceError):
    """The pool's feature plan does not include this feature."""

    code = "FeatureUnavailableInTierException"


class ForbiddenException(ServiceError):
    """AWS WAF refused the request."""

    code = "ForbiddenException"


class InternalErrorException(ServiceError):
    """Cognito failed inside; a retry may succeed."""

    code = "InternalErrorException"


class InvalidEmailRoleAccessPolicyException(ServiceError):
    """Cognito may not send email with the pool's identity."""

    code = "InvalidEmailRoleAccessPolicyException"


class InvalidLambdaResponseException(ServiceError):
    """A Lambda trigger answered with something Cognito cannot use."""

    code = "InvalidLambdaResponseException"


class InvalidParameterException(ServiceError):
    """A parameter of the request is not valid; the message says which."""

    code = "InvalidParameterException"


class InvalidPasswordException(ServiceError):
    """The password does not meet the pool's password policy."""

    code = "InvalidPasswordException"


class InvalidSmsRoleAccessPolicyException(ServiceError):
    """The pool's SMS role may not publish SMS."""

    code = "InvalidSmsRoleAccessPolicyException"


class InvalidSmsRoleTrustRelationshipException(ServiceError):
    """The pool's SMS role does not trust Cognito."""

    code = "InvalidSmsRoleTrustRelationshipException"


class InvalidUserPoolConfigurationException(ServiceError):
    """The pool is configured so that this call cannot work."""

    code = "InvalidUserPoolConfigurationException"


class LimitExceededException(ServiceError):
    """A limit was exceeded (too many codes sent, for example)."""

    code = "LimitExceededException"


class MFAMethodNotFoundException(ServiceError):
    """The user has no MFA method of the kind asked for."""

    code = "MFAMethodNotFoundException"


class NotAuthorizedException(ServiceError):
    """Not allowed: wrong password, a revoked or expired token, a disabled user..."""

    code = "NotAuthorizedException"


class OperationNotEnabledException(ServiceError):
    """The operation is not enabled for this app client or pool."""

    code = "OperationNotEnabledException"


class PasswordHistoryPolicyViolationException(ServiceError):
    """The password was used recently by this user."""

    code = "PasswordHistoryPolicyViolationException"


class PasswordResetRequiredException(ServiceError):
    """The user must reset the password before signing in."""

    code = "PasswordResetRequiredException"


class RefreshTokenReuseException(ServiceError):
    """A rotated-out refresh token was used again."""

    code = "RefreshTokenReuseException"


class ResourceNotFoundException(ServiceError):
    """The pool, app client or other resource named does not exist."""

    code = "ResourceNotFoundException"


class SoftwareTokenMFANotFoundException(ServiceError):
    """The user has no software token (TOTP) set up."""

    code = "SoftwareTokenMFANotFoundException"


class TooManyFailedAttemptsException(ServiceError):
    """Too many failed attempts; wait before trying again."""

    code = "TooManyFailedAttemptsException"


class TooManyRequestsException(ServiceError):
    """Throttled: too many requests in too short a time."""

    code = "TooManyRequestsException"


class UnauthorizedException(ServiceError):
    """The request is not authorized."""

    code = "UnauthorizedException"


class UnexpectedLambdaException(ServiceError):
    """A Lambda trigger failed."""

    code = "UnexpectedLambdaException"


class UnsupportedOperationException(ServiceError):
    """The operation is not supported here (a token not revocable, for example)."""

    code = "UnsupportedOperationException"


class UnsupportedTokenTypeException(ServiceError):
    """The token is of a type this operation does not take."""

    code = "UnsupportedTokenTypeException"


class UserLambdaValidationException(ServiceError):
    """A Lambda trigger refused the request."""

    code = "UserLambdaValidationException"


class UserNotConfirmedException(ServiceError):
    """The user has not confirmed the sign-up yet."""

    code = "UserNotConfirmedException"


class UserNotFoundException(ServiceError):
    """No such user."""

    code = "UserNotFoundException"


class UserPoolTaggingException(ServiceError):
    """The pool's tags could not be applied."""

    code = "UserPoolTaggingException"


class UsernameExistsException(ServiceError):
    """A user of that name exists already."""

    code = "UsernameExistsException"


SERVICE_ERRORS = (
    AliasExistsException,
    CodeDeliveryFailureException,
    CodeMismatchException,
    ConcurrentModificationException,
    DeviceKeyExistsException,
    EnableSoftwareTokenMFAException,
    ExpiredCodeException,
    FeatureUnavailableInTierException,
    ForbiddenException,
    InternalErrorException,
    InvalidEmailRoleAccessPolicyException,
    InvalidLambdaResponseException,
    InvalidParameterException,
    InvalidPasswordException,
    InvalidSmsRoleAccessPolicyException,
    InvalidSmsRoleTrustRelationshipException,
    InvalidUserPoolConfigurationException,
    LimitExceededException,
    MFAMethodNotFoundException,
    NotAuthorizedException,
    OperationNotEnabledException,
    PasswordHistoryPolicyViolationException,
    PasswordResetRequiredException,
    RefreshTokenReuseException,
    ResourceNotFoundException,
    SoftwareTokenMFANotFoundException,
    TooManyFailedAttemptsException,
    TooManyRequestsException,
    UnauthorizedException,
    UnexpectedLambdaException,
    UnsupportedOperationException,
    UnsupportedTokenTypeException,
    UserLambdaValidationException,
    UserNotConfirmedException,
    UserNotFoundException,
    UserPoolTaggingException,
    UsernameExistsException,
)
SERVICE_ERROR_TYPES = tuple(cls.code for cls in SERVICE_ERRORS)

_SERVICE_CLASSES = {cls.code: cls for cls in SERVICE_ERRORS}


def service_error(
    type_name: "str", message: "str", status_code: "Optional[int]" = None
) -> "ServiceError":
    """The typed exception for a Cognito error answer.

    Args:
        type_name: ``__type`` as sent (a ``namespace#`` prefix is dropped).
        message: the service's message.
        status_code: the HTTP status.

    Returns:
        An instance of the class for that type, or of ServiceError for a type this
        version does not know (its ``code`` is still the type).
    """
    code = type_name.split("#")[-1].split(":")[0] if type_name else "UnknownError"
    cls = _SERVICE_CLASSES.get(code, ServiceError)
    return cls(message, code=code, status_code=status_code)
