"""Cognito's error answers, as exceptions that handlers raise.

A handler raises ``ServiceError(type, message)`` (or one of the named shortcuts
below); the app turns it into Cognito's wire shape: HTTP 400 (500 for
InternalErrorException), body ``{"__type":"<Type>","message":"<text>"}`` and the
``x-amzn-ErrorType: <Type>:`` / ``x-amzn-ErrorMessage`` headers. Messages are
Cognito's own where known (see /work/shared/COGNITO-BEHAVIOUR.md) and must never
contain a password, token, code or secret.
"""

import json


class ServiceError(Exception):
    """An error answer in Cognito's shape.

    Args:
        error_type: Cognito's ``__type`` without namespace, e.g. ``NotAuthorizedException``.
        message: the human text sent as ``message``.
        status: HTTP status; 400 for every client error, as Cognito sends them.
    """

    def __init__(self, error_type, message, status=400):
        Exception.__init__(self, "%s: %s" % (error_type, message))
        self.error_type = error_type
        self.message = message
        self.status = status

    def body(self):
        """Compact JSON with ``__type`` first, as Cognito writes it.

        Returns:
            The UTF-8 body bytes.
        """
        return json.dumps(
            {"__type": self.error_type, "message": self.message}, separators=(",", ":")
        ).encode("utf-8")


def _shortcut(error_type, status=400):
    def make(message):
        return ServiceError(error_type, message, status)

    make.__name__ = error_type
    make.__doc__ = "A ServiceError of type %s with the given message." % error_type
    return make


# Shortcuts for the types handlers raise most; any other type: ServiceError(type, msg).
NotAuthorized = _shortcut("NotAuthorizedException")
InvalidParameter = _shortcut("InvalidParameterException")
ResourceNotFound = _shortcut("ResourceNotFoundException")
UserNotFound = _shortcut("UserNotFoundException")
UserNotConfirmed = _shortcut("UserNotConfirmedException")
UsernameExists = _shortcut("UsernameExistsException")
InvalidPassword = _shortcut("InvalidPasswordException")
CodeMismatch = _shortcut("CodeMismatchException")
ExpiredCode = _shortcut("ExpiredCodeException")
AliasExists = _shortcut("AliasExistsException")
LimitExceeded = _shortcut("LimitExceededException")
PasswordResetRequired = _shortcut("PasswordResetRequiredException")
Serialization = _shortcut("SerializationException")
UnknownOperation = _shortcut("UnknownOperationException")
UnsupportedOperation = _shortcut("UnsupportedOperationException")
UnsupportedTokenType = _shortcut("UnsupportedTokenTypeException")
Unauthorized = _shortcut("UnauthorizedException")
InternalError = _shortcut("InternalErrorException", status=500)

# Messages used in more than one place.
INCORRECT_CREDENTIALS = "Incorrect username or password."
USER_DOES_NOT_EXIST = "User does not exist."
USER_NOT_CONFIRMED = "User is not confirmed."
USER_CLIENT_NOT_FOUND = "Username/client id combination not found."
CODE_MISMATCH = "Invalid verification code provided, please try again."
CODE_EXPIRED = "Invalid code provided, please request a code again."
