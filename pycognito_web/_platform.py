"""The only module that knows where the client runs.

Chosen once, at import: inside Pyodide (or PyScript's MicroPython) HTTP goes through
the browser's ``fetch``, random bytes come from ``crypto.getRandomValues`` and the
default storage is ``localStorage`` (when it passes the original SDK's availability
test); on CPython, HTTP goes through ``urllib`` in a worker thread, random bytes come
from ``os.urandom`` and the default storage is a ``MemoryStorage``. Everything it
provides can be replaced by passing another transport, random source, clock or storage
to ``UserPool``.

What only one side runs lives in modules imported only there (``_urllib`` on CPython;
``_cookies``' stand-in for ``document.cookie`` where there is no document), so that a
page never compiles them: in Pyodide every imported module is compiled from source on
each page load.
"""

import json
import time

from ._storage import MemoryStorage
from ._transport import Response, Transport
from .errors import NetworkError

try:
    import js  # Pyodide and PyScript's MicroPython both provide it

    IN_BROWSER = True
except ImportError:
    js = None
    IN_BROWSER = False

to_js = None  # Pyodide's converter; MicroPython has none (see _to_js)
if IN_BROWSER:
    try:
        from pyodide.ffi import to_js
    except ImportError:
        pass

TYPE_CHECKING = False  # typing is absent on MicroPython; checkers still read this
if TYPE_CHECKING:
    from typing import Optional


def now() -> "float":
    """Seconds since the epoch."""
    if to_js is not None:  # Pyodide: the page's clock, as the original reads it
        return js.Date.now() / 1000.0
    # CPython; and MicroPython, whose time.time() is Date.now() (a JS integer above
    # 2**31 that crosses into MicroPython as an int arrives truncated to 32 bits).
    return time.time()


def _to_js(value):
    # A JS object for fetch's options. MicroPython hands a dict over as a proxy that
    # fetch reads as an iterable of keys, so there the object is built by JSON.parse.
    if to_js is not None:
        return to_js(value, dict_converter=js.Object.fromEntries)
    plain = {}
    for name, item in value.items():
        if isinstance(item, (str, int, float, bool, dict, list)):
            plain[name] = item
    init = js.JSON.parse(json.dumps(plain))
    for name, item in value.items():
        if name not in plain:  # a JS object (an AbortSignal) goes on as it is
            setattr(init, name, item)
    return init


if IN_BROWSER:

    def random_bytes(count: "int") -> "bytes":
        """``count`` bytes from ``crypto.getRandomValues``."""
        out = b""
        while len(out) < count:
            chunk = min(count - len(out), 65536)  # the Web Crypto per-call limit
            array = js.Uint8Array.new(chunk)
            js.crypto.getRandomValues(array)
            out += bytes(array.to_py()) if hasattr(array, "to_py") else bytes(array)
        return out

else:
    import os

    def random_bytes(count: "int") -> "bytes":
        """``count`` bytes from ``os.urandom``."""
        return os.urandom(count)


class FetchTransport(Transport):
    """HTTP through the browser's ``fetch``, as the original SDK does it.

    Args:
        fetch_options: the original's ``fetchOptions`` (only ``credentials`` is used).
        timeout: seconds before a request is aborted and counts as a network failure
            (the original waits for ever).
    """

    def __init__(self, fetch_options: "Optional[dict]" = None, timeout: "float" = 30.0) -> None:
        # The original passes on only ``credentials`` (for cookies on custom endpoints).
        self.fetch_options = {}
        if fetch_options and fetch_options.get("credentials"):
            self.fetch_options["credentials"] = fetch_options["credentials"]
        self.timeout = timeout

    def _signal(self):
        # AbortSignal.timeout is in every current browser and Node 18+; without it the
        # request simply has no deadline.
        abort = getattr(js, "AbortSignal", None)
        if abort is None or not hasattr(abort, "timeout") or not self.timeout:
            return None
        return abort.timeout(int(self.timeout * 1000))

    def _init(self, options):
        """The fetch options as a JS object, with the timeout's AbortSignal on it."""
        signal = self._signal()
        if signal is not None:
            options["signal"] = signal  # a JS object: _to_js passes it through
        return _to_js(options)

    async def handle_async_request(self, request):
        options = dict(self.fetch_options)
        options.update({"method": request.method, "mode": "cors", "headers": request.headers})
        if request.method != "GET":  # fetch refuses a body on GET
            options["body"] = request.body.decode("utf-8")
        try:
            response = await js.fetch(request.url, self._init(options))
            body = await response.text()
        except Exception as error:  # a rejected fetch: DNS, CORS, offline
            raise NetworkError("Network error: %s" % _js_message(error)) from None
        headers = {}
        for name in ("x-amzn-errortype", "x-amzn-errormessage", "x-amzn-requestid"):
            value = response.headers.get(name)
            if value is not None:
                headers[name] = str(value)
        return Response(int(response.status), headers, str(body).encode("utf-8"))


def _js_message(error):
    message = getattr(error, "message", None)
    return str(message if message is not None else error)


def default_transport(fetch_options: "Optional[dict]" = None) -> "Transport":
    """``FetchTransport`` in the browser, ``UrllibTransport`` elsewhere."""
    if IN_BROWSER:
        return FetchTransport(fetch_options)
    from ._urllib import UrllibTransport  # CPython only: a page never compiles it

    return UrllibTransport()


_TEST_KEY = "aws.cognito.test-ls"


def default_storage():
    """``localStorage`` if it works here, else a MemoryStorage (as the original)."""
    if IN_BROWSER:
        try:
            storage = js.localStorage
            storage.setItem(_TEST_KEY, "1")
            storage.removeItem(_TEST_KEY)
            return storage
        except Exception as error:  # absent, disabled, or full: fall back to memory
            warn(
                "pycognito-web: localStorage is unavailable (%s); sessions are kept in "
                "memory and end with this page" % type(error).__name__
            )
    return _shared_memory_storage


def session_storage():
    """``sessionStorage`` in the browser."""
    if not IN_BROWSER:
        from .errors import InvalidParameterError

        raise InvalidParameterError("sessionStorage exists only in a browser")
    return js.sessionStorage


def document():
    """The page's ``document`` (for CookieStorage), or a cookie jar stand-in."""
    if IN_BROWSER and hasattr(js, "document"):
        return js.document
    from ._cookies import CookieJar

    return CookieJar()


def page_url() -> "str":
    """The page's address (``location.href``), for a redirect sign-in's return.

    Raises:
        InvalidParameterError: outside a browser, where there is no page.
    """
    return str(_location().href)


def navigate(url: "str") -> None:
    """Send the page to ``url`` (``location.assign``)."""
    _location().assign(url)


def replace_url(url: "str") -> None:
    """Change the address bar without a load or history entry (``history.replaceState``)."""
    if IN_BROWSER and hasattr(js, "history"):
        js.history.replaceState(js.history.state, "", url)


def _location():
    if not IN_BROWSER or not hasattr(js, "location"):
        from .errors import InvalidParameterError

        raise InvalidParameterError("there is no page here: pass the URL and a navigate function")
    return js.location


# One process-wide memory store, as the original's MemoryStorage, so that two pools
# built without a storage on CPython see the same sessions.
_shared_memory_storage = MemoryStorage()


def device_name() -> "str":
    """What ConfirmDevice calls this device: the browser's user agent, as the original."""
    if IN_BROWSER:
        try:
            return str(js.navigator.userAgent)
        except Exception:  # a worker or Node without navigator
            pass
    import sys

    return "pycognito-web (%s %s)" % (sys.implementation.name, sys.platform)


def advanced_security_data(username, pool_id, client_id):
    """``UserContextData`` from Cognito's advanced-security script, when the page loads it.

    The page opts in by loading ``amazon-cognito-advanced-security-data.min.js``, which
    defines the global ``AmazonCognitoAdvancedSecurityData``; without it, None.
    """
    if not IN_BROWSER:
        return None
    collector = getattr(js, "AmazonCognitoAdvancedSecurityData", None)
    if collector is None:
        return None
    try:
        encoded = collector.getData(username, pool_id, client_id)
    except Exception:  # the collector is best-effort by design
        return None
    return {"EncodedData": str(encoded)} if encoded else None


# Modular exponentiation on the host's BigInt, for MicroPython in a JS host: its own
# pow is plain square-and-multiply over 16-bit digits, and V8's BigInt does the same
# 3072-bit power about nine times faster (S: ~190 -> ~20 ms). Numbers cross as hex text.
# Built with Function(), which a page's CSP may forbid without 'unsafe-eval': then None
# and _srp keeps its own windowed arithmetic.
_HOST_POW_BODY = (
    "b = BigInt(b); e = BigInt(e); m = BigInt(m); let r = 1n; b %= m;"
    "while (e > 0n) { if (e & 1n) r = r * b % m; e >>= 1n; b = b * b % m; }"
    "return r.toString(16);"
)


def host_pow():
    """``f(base, exponent, modulus) -> int`` computed by the host's BigInt, or None.

    Only under MicroPython in a JavaScript host (a browser or Node); CPython and Pyodide
    have a faster ``pow`` of their own.
    """
    import sys

    if not IN_BROWSER or to_js is not None or sys.implementation.name != "micropython":
        return None
    try:
        function = js.Function.new("b", "e", "m", _HOST_POW_BODY)
        if int(str(function("0x3", "0x5", "0x7")), 16) != 5:  # 3^5 = 243 = 5 mod 7
            return None
    except Exception:  # no Function, or a CSP without 'unsafe-eval'
        return None

    def power(base, exponent, modulus):
        return int(str(function("0x%x" % base, "0x%x" % exponent, "0x%x" % modulus)), 16)

    return power


def warn(message: "str") -> None:
    """A warning for the developer: the browser console, or Python's logging.

    Messages never carry tokens or passwords.
    """
    if IN_BROWSER:
        try:
            js.console.warn(message)
            return
        except Exception:  # no console: fall through to logging
            pass
    try:
        import logging

        logging.getLogger("pycognito_web").warning(message)
    except ImportError:  # MicroPython without logging
        print(message)
