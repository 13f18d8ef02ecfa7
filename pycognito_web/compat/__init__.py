"""The JavaScript-shaped face: amazon-cognito-identity-js's classes, names and callbacks.

Code written for the original SDK, transliterated line by line (dicts for object
literals, None for null), runs on these classes. They hold no logic of their own: each
method checks its arguments and callbacks and calls the Pythonic API.
"""

from .._cookies import CookieStorage
from .._storage import MemoryStorage
from ._helper import AuthenticationHelper, WordArray, appendToCognitoUserAgent
from ._pool import CognitoUserPool
from ._user import CognitoUser
from ._values import (
    AuthenticationDetails,
    CognitoAccessToken,
    CognitoIdToken,
    CognitoJwtToken,
    CognitoRefreshToken,
    CognitoUserAttribute,
    CognitoUserSession,
    DateHelper,
)

__all__ = [
    "AuthenticationDetails",
    "AuthenticationHelper",
    "CognitoAccessToken",
    "CognitoIdToken",
    "CognitoJwtToken",
    "CognitoRefreshToken",
    "CognitoUser",
    "CognitoUserAttribute",
    "CognitoUserPool",
    "CognitoUserSession",
    "CookieStorage",
    "DateHelper",
    "MemoryStorage",
    "WordArray",
    "appendToCognitoUserAgent",
]
