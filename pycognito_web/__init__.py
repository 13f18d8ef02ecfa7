"""pycognito-web: Amazon Cognito User Pools in pure Python, for the browser and CPython.

Two faces over one implementation:

* the Pythonic, async API: ``UserPool``, ``User``, ``Session`` and typed challenges;
* the JavaScript-shaped API of ``amazon-cognito-identity-js``: ``CognitoUserPool``,
  ``CognitoUser``, ``AuthenticationDetails``... with camelCase methods and callbacks.
"""

__version__ = "0.1.0"

from ._challenges import (
    CodeChallenge,
    CustomChallenge,
    GenericChallenge,
    MfaSetup,
    NewPasswordRequired,
    SelectMfaType,
)
from ._identity import Credentials, IdentityCredentials
from ._pool import SignUpResult, UserPool
from ._storage import CookieStorage, MemoryStorage
from ._tokens import AccessToken, IdToken, RefreshToken, Session
from ._transport import MockTransport, Request, Response, Transport
from ._user import User
from ._verify import TokenVerificationError
from .compat import (
    AuthenticationDetails,
    AuthenticationHelper,
    CognitoAccessToken,
    CognitoIdToken,
    CognitoJwtToken,
    CognitoRefreshToken,
    CognitoUser,
    CognitoUserAttribute,
    CognitoUserPool,
    CognitoUserSession,
    DateHelper,
    WordArray,
    appendToCognitoUserAgent,
)
from .errors import (
    CognitoError,
    InvalidParameterError,
    InvalidResponseError,
    LocalError,
    NetworkError,
    NotAuthenticatedError,
    ServiceError,
    SrpError,
)

__all__ = [
    "AccessToken",
    "AuthenticationDetails",
    "AuthenticationHelper",
    "CodeChallenge",
    "CognitoAccessToken",
    "CognitoError",
    "CognitoIdToken",
    "CognitoJwtToken",
    "CognitoRefreshToken",
    "CognitoUser",
    "CognitoUserAttribute",
    "CognitoUserPool",
    "CognitoUserSession",
    "CookieStorage",
    "Credentials",
    "CustomChallenge",
    "DateHelper",
    "GenericChallenge",
    "IdToken",
    "IdentityCredentials",
    "InvalidParameterError",
    "InvalidResponseError",
    "LocalError",
    "MemoryStorage",
    "MfaSetup",
    "MockTransport",
    "NetworkError",
    "NewPasswordRequired",
    "NotAuthenticatedError",
    "RefreshToken",
    "Request",
    "Response",
    "SelectMfaType",
    "ServiceError",
    "Session",
    "SignUpResult",
    "SrpError",
    "TokenVerificationError",
    "Transport",
    "User",
    "UserPool",
    "WordArray",
    "__version__",
    "appendToCognitoUserAgent",
]
