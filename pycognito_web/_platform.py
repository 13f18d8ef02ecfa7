"""The bottom layer: facts about where the client runs, and nothing else.

Decided once, at import: whether there is a ``js`` module (Pyodide and PyScript's
MicroPython provide one; CPython does not), and from that where random bytes come from
(``crypto.getRandomValues`` or ``os.urandom``), how the clock is read, whether the host
has a faster modular ``pow`` (a JavaScript host's BigInt, for MicroPython), where
warnings go and what this device is called.

It imports nothing from the package, so every module may import it. Browser objects
that only one part of the client uses are read by that part through ``js`` here: the
fetch transport (``_fetch``), ``localStorage`` and the advanced-security collector
(``_pool``), ``document.cookie`` (``_cookies``). Only this module imports ``js`` and
``pyodide``.
"""

import time

try:
    import js  # Pyodide and PyScript's MicroPython both provide it

    IN_BROWSER = True
except ImportError:
    js = None
    IN_BROWSER = False

to_js = None  # Pyodide's converter; MicroPython has none
if IN_BROWSER:
    try:
        from pyodide.ffi import to_js  # type: ignore[no-redef]
    except ImportError:
        pass

TYPE_CHECKING = False  # typing is absent on MicroPython; checkers still read this
if TYPE_CHECKING:
    from typing import Any, Callable, Optional


def now() -> "float":
    """Seconds since the epoch."""
    if to_js is not None:  # Pyodide: the page's clock, as the original reads it
        return js.Date.now() / 1000.0
    # CPython; and MicroPython, whose time.time() is Date.now() (a JS integer above
    # 2**31 that crosses into MicroPython as an int arrives truncated to 32 bits).
    return time.time()


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


def location() -> "Any":
    """The page's ``location`` (for a redirect sign-in), or None where there is no page."""
    if IN_BROWSER and hasattr(js, "location"):
        return js.location
    return None


def replace_url(url: "str") -> None:
    """Change the address bar without a load or history entry (``history.replaceState``)."""
    if IN_BROWSER and hasattr(js, "history"):
        js.history.replaceState(js.history.state, "", url)


def device_name() -> "str":
    """What ConfirmDevice calls this device: the browser's user agent, as the original."""
    if IN_BROWSER:
        try:
            return str(js.navigator.userAgent)
        except Exception:  # a worker or Node without navigator
            pass
    import sys

    return "pycognito-web (%s %s)" % (sys.implementation.name, sys.platform)


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


def host_pow() -> "Optional[Callable[[int, int, int], int]]":
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

    def power(base: "int", exponent: "int", modulus: "int") -> "int":
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
