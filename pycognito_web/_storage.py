"""Where sessions are kept, under exactly the original SDK's keys.

Theory of operation
-------------------
A storage is any object with ``getItem(key)``, ``setItem(key, value)``,
``removeItem(key)`` and ``clear()``, the Web Storage interface: ``localStorage``,
``sessionStorage``, a ``CookieStorage``, a ``MemoryStorage`` or the caller's own. Keys are
the JavaScript SDK's, byte for byte, so a page can move between the two SDKs without
signing its users out::

    CognitoIdentityServiceProvider.<clientId>.LastAuthUser
    CognitoIdentityServiceProvider.<clientId>.<username>.idToken
                                                        .accessToken
                                                        .refreshToken
                                                        .clockDrift
                                                        .userData
                                                        .deviceKey
                                                        .randomPasswordKey
                                                        .deviceGroupKey

This module decides keys and reads values defensively (a browser's storage can hold
anything); it does not know where it runs. ``_platform`` picks the default storage.
``CookieStorage`` lives in ``_cookies``, imported only by a page that uses it.
"""

TYPE_CHECKING = False  # typing is absent on MicroPython; checkers still read this
if TYPE_CHECKING:
    from typing import Any, Optional

PREFIX = "CognitoIdentityServiceProvider"
TOKEN_NAMES = ("idToken", "accessToken", "refreshToken", "clockDrift")
DEVICE_NAMES = ("deviceKey", "randomPasswordKey", "deviceGroupKey")


def last_user_key(client_id: "str") -> "str":
    """The key that names the last signed-in user of an app client."""
    return "%s.%s.LastAuthUser" % (PREFIX, client_id)


def user_key(client_id: "str", username: "str", name: "str") -> "str":
    """The key of one per-user item (``idToken``, ``deviceKey``, ``userData``...)."""
    return "%s.%s.%s.%s" % (PREFIX, client_id, username, name)


def read(storage: "Any", key: "str") -> "Optional[str]":
    """A stored string, or None for a missing, empty or non-string item.

    Web Storage returns null for a missing key and JS proxies may hand back other
    types; both mean "nothing usable here".
    """
    try:
        value = storage.getItem(key)
    except Exception:  # a broken or throwing storage reads as empty
        return None
    if not isinstance(value, str):  # None, or Pyodide's jsnull for a missing key
        return None
    return value or None


class MemoryStorage:
    """A Web-Storage-shaped dict: the default where there is no ``localStorage``.

    Unlike the original's module-level store, each instance has its own items;
    share one instance between pools to share sessions.
    """

    def __init__(self) -> None:
        self._items = {}  # type: dict

    def getItem(self, key: "str") -> "Optional[str]":
        return self._items.get(key)

    def setItem(self, key: "str", value: "str") -> None:
        self._items[key] = str(value)

    def removeItem(self, key: "str") -> None:
        self._items.pop(key, None)

    def clear(self) -> None:
        self._items.clear()

    def keys(self) -> "list":
        """The stored keys (not part of Web Storage; handy in tests)."""
        return list(self._items)

    def __len__(self) -> "int":
        return len(self._items)

    def __repr__(self) -> "str":
        # Keys only: values are tokens.
        return "<MemoryStorage %d items>" % len(self._items)
