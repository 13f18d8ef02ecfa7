"""RFC 6238 TOTP (HMAC-SHA1, 30 s steps, 6 digits) for the tests, in every runtime.

What an authenticator app computes from the ``SecretCode`` that AssociateSoftwareToken
returns; written independently of the emulator.
"""

import time

from .digest import hmac_digest, sha1

_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def b32decode(text):
    """RFC 4648 base32 (as authenticator apps take secrets), any case, padding optional."""
    bits = value = 0
    out = bytearray()
    for char in text.rstrip("=").upper():
        value = (value << 5) | _B32.index(char)
        bits += 5
        if bits >= 8:
            bits -= 8
            out.append((value >> bits) & 0xFF)
    return bytes(out)


def totp(secret, when=None, step=30, digits=6):
    """The code of a base32 ``secret`` at ``when`` (epoch seconds, default now)."""
    counter = int(time.time() if when is None else when) // step
    digest = hmac_digest(b32decode(secret), counter.to_bytes(8, "big"), sha1)
    offset = digest[-1] & 0x0F
    number = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    text = str(number % 10**digits)
    return "0" * (digits - len(text)) + text
