"""SHA-1, SHA-256 and HMAC for the tests' TOTP codes and SigV4 signatures, everywhere.

In MicroPython's subset: its ``hashlib`` has ``sha256`` only and there is no ``hmac``,
so SHA-1 (FIPS 180-4) and HMAC (RFC 2104) are written here, and used where the runtime
has nothing better. Written independently of the emulator and of the client.
"""

import hashlib

_MASK = 0xFFFFFFFF


def _sha1_python(data):
    h = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0]
    length = len(data)
    data = bytes(data) + b"\x80" + b"\x00" * ((55 - length) % 64) + (8 * length).to_bytes(8, "big")
    for start in range(0, len(data), 64):
        w = [int.from_bytes(data[start + 4 * i : start + 4 * i + 4], "big") for i in range(16)]
        for i in range(16, 80):
            x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]
            w.append(((x << 1) | (x >> 31)) & _MASK)
        a, b, c, d, e = h
        for i in range(80):
            if i < 20:
                f, k = (b & c) | (~b & d), 0x5A827999
            elif i < 40:
                f, k = b ^ c ^ d, 0x6ED9EBA1
            elif i < 60:
                f, k = (b & c) | (b & d) | (c & d), 0x8F1BBCDC
            else:
                f, k = b ^ c ^ d, 0xCA62C1D6
            rotated = ((a << 5) | (a >> 27)) & _MASK
            temp = (rotated + f + e + k + w[i]) & _MASK
            e, d, c, b, a = d, c, ((b << 30) | (b >> 2)) & _MASK, a, temp
        h = [(h[j] + (a, b, c, d, e)[j]) & _MASK for j in range(5)]
    return b"".join(x.to_bytes(4, "big") for x in h)


def sha1(data):
    """SHA-1 digest of bytes: hashlib's where it has one, else the one above."""
    if hasattr(hashlib, "sha1"):
        return hashlib.sha1(data).digest()
    return _sha1_python(data)


def sha256(data):
    """SHA-256 digest of bytes."""
    return hashlib.sha256(data).digest()


def hmac_digest(key, message, digest):
    """HMAC (RFC 2104, 64-byte blocks) of ``message`` under ``key`` with ``digest``
    (``sha1`` or ``sha256`` above)."""
    key = digest(key) if len(key) > 64 else key
    key = key + b"\x00" * (64 - len(key))
    inner = digest(bytes(x ^ 0x36 for x in key) + message)
    return digest(bytes(x ^ 0x5C for x in key) + inner)
