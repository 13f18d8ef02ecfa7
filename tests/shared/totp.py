"""RFC 6238 TOTP for the tests (HMAC-SHA1, 30 s steps, 6 digits): hashlib and hmac only, so
that it runs on CPython and inside Pyodide alike. Written independently of the emulator."""

import base64
import hashlib
import hmac
import struct
import time


def totp(secret, when=None, step=30, digits=6):
    """The code of a base32 ``secret`` at ``when`` (epoch seconds, default now)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int(time.time() if when is None else when) // step
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(value % 10**digits).rjust(digits, "0")
