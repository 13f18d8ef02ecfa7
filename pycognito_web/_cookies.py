"""Web Storage over ``document.cookie``, as the original's ``CookieStorage``.

Apart from ``_storage`` (keys, ``MemoryStorage``) so that a page which keeps sessions in
``localStorage``, as most do, never compiles it: it is imported on first use of
``pycognito_web.CookieStorage``.
"""

from . import _dates, _platform
from .errors import InvalidParameterError

TYPE_CHECKING = False  # typing is absent on MicroPython; checkers still read this
if TYPE_CHECKING:
    from typing import Any, Callable, Optional


# encodeURIComponent keeps these; js-cookie 3 then un-escapes a few more, which differ
# between cookie values and names, and escapes ( and ) in names.
_URI_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'"
_VALUE_SAFE = _URI_SAFE + "()#$&+/:<=>?@[]^`{|}"
_NAME_SAFE = _URI_SAFE + "#$&+^`|"


def _encode_component(text: "str", safe: "str" = _VALUE_SAFE) -> "str":
    # js-cookie's write: encodeURIComponent, then its un-escapes (see _VALUE_SAFE).
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        out.append(char if byte < 128 and char in safe else "%%%02X" % byte)
    return "".join(out)


def _encode_name(text: "str") -> "str":
    return _encode_component(text, _NAME_SAFE)


def _decode_component(text: "str") -> "str":
    data = bytearray()
    i = 0
    raw = text.encode("utf-8")
    while i < len(raw):
        if raw[i] == 37 and _is_hex(raw[i + 1 : i + 3]):
            data.append(int(raw[i + 1 : i + 3].decode(), 16))
            i += 3
        else:
            data.append(raw[i])
            i += 1
    return bytes(data).decode("utf-8", "replace")


def _is_hex(pair: "bytes") -> "bool":
    return len(pair) == 2 and all(c in b"0123456789abcdefABCDEF" for c in pair)


def _http_date(epoch: "float") -> "str":
    days, rest = divmod(int(epoch), 86400)
    year, month, day = _dates.civil(days)
    return "%s, %02d %s %d %02d:%02d:%02d GMT" % (
        _dates.WEEKDAYS[days % 7],
        day,
        _dates.MONTHS[month - 1],
        year,
        rest // 3600,
        rest // 60 % 60,
        rest % 60,
    )


class CookieStorage:
    """Web Storage over ``document.cookie``, as the original's ``CookieStorage``.

    Args:
        data: the original's options dict: ``domain``, ``path`` (default ``/``),
            ``expires`` (days, default 365), ``secure`` (default True), ``sameSite``
            (``strict``, ``lax`` or ``none``).
        document: anything with a read/write ``cookie`` string attribute; by default
            the page's ``document`` (``page_document``).
        clock: a function returning the time in seconds, for cookie expiry dates.

    Raises:
        InvalidParameterError: for a sameSite value other than the three, or
            ``sameSite: none`` without ``secure``.
    """

    def __init__(
        self,
        data: "Optional[dict]" = None,
        document: "Any" = None,
        clock: "Optional[Callable[[], float]]" = None,
    ) -> None:
        data = data or {}
        if not isinstance(data, dict):
            raise InvalidParameterError("CookieStorage options must be a dict")
        for name in ("domain", "path"):
            if data.get(name) is not None and not isinstance(data[name], str):
                raise InvalidParameterError("CookieStorage %s must be a string" % name)
        self.domain = data.get("domain")
        self.path = data.get("path") or "/"
        self.expires = data["expires"] if "expires" in data else 365
        if self.expires is not None and (
            isinstance(self.expires, bool) or not isinstance(self.expires, (int, float))
        ):
            raise InvalidParameterError("CookieStorage expires must be a number of days or None")
        self.secure = data["secure"] if "secure" in data else True
        self.sameSite = None
        if "sameSite" in data:
            if data["sameSite"] not in ("strict", "lax", "none"):
                raise InvalidParameterError(
                    'The sameSite value of cookieStorage must be "lax", "strict" or "none".'
                )
            if data["sameSite"] == "none" and not self.secure:
                raise InvalidParameterError(
                    "sameSite = None requires the Secure attribute in latest browser versions."
                )
            self.sameSite = data["sameSite"]
        self._document = document if document is not None else page_document()
        self._clock = clock if clock is not None else _platform.now

    def _attributes(self, expires_days: "Optional[float]") -> "str":
        parts = ["path=" + self.path]
        if expires_days is not None:
            parts.append("expires=" + _http_date(self._clock() + expires_days * 86400))
        if self.domain:
            parts.append("domain=" + self.domain)
        if self.secure:
            parts.append("secure")
        if self.sameSite:
            parts.append("sameSite=" + self.sameSite)
        return "; ".join(parts)

    def _jar(self) -> "dict":
        jar = {}  # type: dict
        for part in str(self._document.cookie or "").split(";"):
            name, sep, value = part.strip().partition("=")
            if sep and name:
                if value[:1] == '"':  # js-cookie drops the quotes of a quoted value
                    value = value[1:-1]
                jar.setdefault(_decode_component(name), _decode_component(value))
        return jar

    def setItem(self, key: "str", value: "str") -> "Optional[str]":
        """Write a cookie; returns what reading it back gives (as js-cookie does)."""
        cookie = _encode_name(key) + "=" + _encode_component(str(value))
        self._document.cookie = cookie + "; " + self._attributes(self.expires)
        return self.getItem(key)

    def getItem(self, key: "str") -> "Optional[str]":
        """The cookie of that name, or None."""
        return self._jar().get(key)

    def removeItem(self, key: "str") -> None:
        """Expire the cookie of that name."""
        self._document.cookie = _encode_name(key) + "=; " + self._attributes(-1)

    def clear(self) -> None:
        """Expire every cookie this storage can read."""
        for key in list(self._jar()):
            self.removeItem(key)


def page_document() -> "Any":
    """The page's ``document``, or a ``CookieJar`` where there is none (CPython, Node,
    a worker)."""
    js = _platform.js
    if js is not None and hasattr(js, "document"):
        return js.document
    return CookieJar()


class CookieJar:
    """Enough of ``document.cookie`` to run CookieStorage where there is no ``document``
    (CPython, Node, a worker)."""

    def __init__(self) -> None:
        self._cookies = {}  # type: dict

    @property
    def cookie(self) -> "str":
        return "; ".join("%s=%s" % item for item in self._cookies.items())

    @cookie.setter
    def cookie(self, text: "str") -> None:
        pair, _, attributes = text.partition(";")
        name, _, value = pair.partition("=")
        expired = "expires=" in attributes and not value
        if expired:
            self._cookies.pop(name.strip(), None)
        else:
            self._cookies[name.strip()] = value
