"""pycognito-web: Amazon Cognito User Pools in pure Python, for the browser and CPython.

Two faces over one implementation:

* the Pythonic, async API: ``UserPool``, ``User``, ``Session`` and typed challenges;
* the JavaScript-shaped API of ``amazon-cognito-identity-js``: ``CognitoUserPool``,
  ``CognitoUser``, ``AuthenticationDetails``... with camelCase methods and callbacks.
"""

from ._pool import SignUpResult, UserPool
from ._storage import MemoryStorage
from .errors import (
    CognitoError,
    InvalidParameterError,
    InvalidResponseError,
    LocalError,
    NetworkError,
    NotAuthenticatedError,
    ServiceError,
    SrpError,
    TokenVerificationError,
)

# Everything else is imported on first use (PEP 562; MicroPython has module __getattr__
# too), like code-splitting in a JavaScript bundle: in Pyodide each module is compiled
# from source on every page load (benchmarks/results.md, section 3), so a page ready to
# sign in (import, UserPool(), current_user() with no one stored) compiles only _pool,
# _platform, _storage, _validate and errors. The transport, User, tokens, the sign-in
# flow and SRP come with the first user (or UserPool.prepare_srp(), ahead of the click);
# the JavaScript-shaped layer, challenges, identity pools and JWT verification when used.
_LAZY = {
    "__version__": "_version",
    "AccessToken": "_tokens",
    "IdToken": "_tokens",
    "RefreshToken": "_tokens",
    "Session": "_tokens",
    "User": "_user",
    "CookieStorage": "_cookies",
    "MockTransport": "_transport",
    "Request": "_transport",
    "Response": "_transport",
    "Transport": "_transport",
    "CodeChallenge": "_challenges",
    "CustomChallenge": "_challenges",
    "GenericChallenge": "_challenges",
    "MfaSetup": "_challenges",
    "NewPasswordRequired": "_challenges",
    "SelectMfaType": "_challenges",
    "Credentials": "_identity",
    "IdentityCredentials": "_identity",
    "RetryPolicy": "_retry",
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

TYPE_CHECKING = False  # typing is absent on MicroPython; checkers still read this
if TYPE_CHECKING:  # what _LAZY names, for type checkers (never run)
    from ._challenges import (
        CodeChallenge,
        CustomChallenge,
        GenericChallenge,
        MfaSetup,
        NewPasswordRequired,
        SelectMfaType,
    )
    from ._cookies import CookieStorage
    from ._identity import Credentials, IdentityCredentials
    from ._retry import RetryPolicy
    from ._tokens import AccessToken, IdToken, RefreshToken, Session
    from ._transport import MockTransport, Request, Response, Transport
    from ._user import User
    from ._version import __version__
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
# Hidden from type checkers, which see the names imported above and so flag any other.
if not TYPE_CHECKING:

    def __getattr__(name):
        module = _LAZY.get(name)
        if module is not None:
            value = getattr(__import__("pycognito_web." + module, None, None, [name]), name)
            globals()[name] = value
            return value
        import sys

        if sys.implementation.name == "micropython":
            # MicroPython asks a package's __getattr__ before importing a submodule that is
            # not loaded yet (`from .. import _srp`), and takes its AttributeError as final;
            # CPython imports the submodule itself. So here, import it as CPython would.
            try:
                __import__("pycognito_web." + name)
                return sys.modules["pycognito_web." + name]
            except (ImportError, KeyError):
                pass
        raise AttributeError("module 'pycognito_web' has no attribute '%s'" % name)


def __dir__() -> "list":
    return sorted(set(globals()) | set(_LAZY))


del TYPE_CHECKING  # not a public name


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
    "RetryPolicy",
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
