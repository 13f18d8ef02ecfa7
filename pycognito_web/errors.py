"""Every error that pycognito-web raises.

::

    CognitoError                  base: .code, .name, .message, .status_code
    ├── LocalError                raised here, before or instead of the service
    │   ├── InvalidParameterError bad input from the caller; names what was wrong
    │   ├── NotAuthenticatedError a call that needs a signed-in session had none
    │   ├── SrpError              the SRP exchange broke one of its rules
    │   ├── InvalidResponseError  the service's answer could not be read
    │   └── NetworkError          the request never got an answer (fetch rejected)
    └── ServiceError              the service answered with an error
        └── one class per Cognito ``__type`` (NotAuthorizedException, ...)

``code`` and ``name`` are the original SDK's: the Cognito error type for service
errors (``"NotAuthorizedException"``), and for local errors a name in the same style,
so code written for the JavaScript SDK (``if err.code == "UserNotConfirmedException"``)
keeps working. Messages never contain a password, token or secret.
"""


class CognitoError(Exception):
    """Base of every error raised by pycognito-web."""

    code = "CognitoError"

    def __init__(self, message, code=None, status_code=None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.name = self.code
        self.status_code = status_code

    # camelCase twin for the JavaScript-shaped API (err.statusCode).
    @property
    def statusCode(self):
        return self.status_code

    def __str__(self):
        return "%s: %s" % (self.code, self.message)

    def __repr__(self):
        return "%s(%r, code=%r)" % (type(self).__name__, self.message, self.code)


class LocalError(CognitoError):
    """Raised by the library itself; the service was not (or could not be) asked."""

    code = "LocalError"


class InvalidParameterError(LocalError):
    """The caller passed something the call cannot use; the message names it."""

    code = "InvalidParameterException"


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


class ServiceError(CognitoError):
    """Cognito answered with an error; ``code`` is its ``__type``."""

    code = "ServiceError"


# The Cognito error types a user-facing client can meet (COGNITO-BEHAVIOUR.md, sec. 1).
SERVICE_ERROR_TYPES = (
    "AliasExistsException",
    "CodeDeliveryFailureException",
    "CodeMismatchException",
    "ConcurrentModificationException",
    "DeviceKeyExistsException",
    "EnableSoftwareTokenMFAException",
    "ExpiredCodeException",
    "FeatureUnavailableInTierException",
    "ForbiddenException",
    "InternalErrorException",
    "InvalidEmailRoleAccessPolicyException",
    "InvalidLambdaResponseException",
    "InvalidParameterException",
    "InvalidPasswordException",
    "InvalidSmsRoleAccessPolicyException",
    "InvalidSmsRoleTrustRelationshipException",
    "InvalidUserPoolConfigurationException",
    "LimitExceededException",
    "MFAMethodNotFoundException",
    "NotAuthorizedException",
    "OperationNotEnabledException",
    "PasswordHistoryPolicyViolationException",
    "PasswordResetRequiredException",
    "RefreshTokenReuseException",
    "ResourceNotFoundException",
    "SoftwareTokenMFANotFoundException",
    "TooManyFailedAttemptsException",
    "TooManyRequestsException",
    "UnauthorizedException",
    "UnexpectedLambdaException",
    "UnsupportedOperationException",
    "UnsupportedTokenTypeException",
    "UserLambdaValidationException",
    "UserNotConfirmedException",
    "UserNotFoundException",
    "UsernameExistsException",
    "UserPoolTaggingException",
)

_SERVICE_CLASSES = {}


def _make_service_class(type_name):
    cls = type(type_name, (ServiceError,), {"code": type_name, "__doc__": type_name})
    cls.__module__ = __name__
    return cls


for _type_name in SERVICE_ERROR_TYPES:
    _SERVICE_CLASSES[_type_name] = _make_service_class(_type_name)
    globals()[_type_name] = _SERVICE_CLASSES[_type_name]


def service_error(type_name, message, status_code=None):
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
