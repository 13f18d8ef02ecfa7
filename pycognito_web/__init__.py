"""pycognito-web: Amazon Cognito User Pools in pure Python, for the browser and CPython.

Two faces over one implementation:

* the Pythonic, async API: ``UserPool``, ``User``, ``Session`` and typed challenges;
* the JavaScript-shaped API of ``amazon-cognito-identity-js``: ``CognitoUserPool``,
  ``CognitoUser``, ``AuthenticationDetails``... with camelCase methods and callbacks.
"""

__version__ = "0.1.0"

from ._pool import SignUpResult, UserPool
from ._cookies import CookieStorage
from ._storage import MemoryStorage
from ._tokens import AccessToken, IdToken, RefreshToken, Session
from ._transport import MockTransport, Request, Response, Transport
from ._user import User
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

# Imported on first use (PEP 562; MicroPython has module __getattr__ too): a page that
# signs in with the Pythonic API never compiles the JavaScript-shaped layer, identity
# pools, JWT verification or the challenge classes. In Pyodide each module costs a few
# milliseconds to compile (benchmarks/results.md, section 3).
_LAZY = {
    "CodeChallenge": "_challenges",
    "CustomChallenge": "_challenges",
    "GenericChallenge": "_challenges",
    "MfaSetup": "_challenges",
    "NewPasswordRequired": "_challenges",
    "SelectMfaType": "_challenges",
    "Credentials": "_identity",
    "IdentityCredentials": "_identity",
    "TokenVerificationError": "_verify",
    "AuthenticationDetails": "compat",
    "AuthenticationHelper": "compat",
    "CognitoAccessToken": "compat",
    "CognitoIdToken": "compat",
    "CognitoJwtToken": "compat",
    "CognitoRefreshToken": "compat",
    "CognitoUser": "compat",
    "CognitoUserAttribute": "compat",
    "CognitoUserPool": "compat",
    "CognitoUserSession": "compat",
    "DateHelper": "compat",
    "WordArray": "compat",
    "appendToCognitoUserAgent": "compat",
}


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError("module 'pycognito_web' has no attribute '%s'" % name)
    value = getattr(__import__("pycognito_web." + module, None, None, [name]), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


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
