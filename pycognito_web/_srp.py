"""SRP-6a as Amazon Cognito speaks it.

Theory of operation
-------------------
Cognito's USER_SRP_AUTH is SRP-6a (RFC 5054) over the 3072-bit group of RFC 3526
(g = 2), hashed with SHA-256, plus three Cognito details that every client must
reproduce bit for bit:

* integers are hashed as *padded hex*: the big-endian hex of the value, made even
  length, with ``00`` in front when the top bit is set (Java's ``toByteArray``);
  negative values are written in two's complement;
* ``x = H(pad(salt) || H(poolName || username || ":" || password))``, where poolName is
  the part of the user pool id after the underscore (for devices: the device group key
  and the device key take the places of the pool name and the username);
* the session key is HKDF-SHA256(ikm = pad(S), salt = pad(u), info = "Caldera Derived
  Key" || 0x01), truncated to 16 bytes, and the client proves it with an HMAC-SHA256
  over poolName || userIdForSrp || secretBlock || timestamp.

Everything here is arithmetic on arguments: no clock, no randomness, no I/O. The
caller passes random bytes and the time in, which is what makes known-answer tests
against the original SDK possible. The module is private: nothing here is re-exported.
It stays inside the MicroPython subset (no typing at run time, binascii for hex).
"""

import binascii
import hashlib
import hmac

from . import _dates
from ._portable import PLAIN_POW, b64decode, b64encode, hexlify
from .errors import SrpError

N_HEX = (
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"
    "29024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"
    "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D"
    "C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D"
    "670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9"
    "DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64"
    "ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B"
    "F12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31"
    "43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"
)
N = int(N_HEX, 16)
G = 2
INFO_BITS = b"Caldera Derived Key\x01"


def pad_hex(value):
    """Padded hex of an integer, as Cognito hashes it.

    Args:
        value: any int; negative values are written in two's complement.

    Returns:
        Lower-case hex of even length whose first byte's top bit tells the sign.
    """
    negative = value < 0
    text = "%x" % (-value if negative else value)
    if len(text) % 2:
        text = "0" + text
    if text[0] in "89abcdef":
        text = "00" + text
    if not negative:
        return text
    # Two's complement over the same number of nibbles: invert, add one.
    width = len(text) * 4
    text = "%x" % ((1 << width) - int(text, 16))
    if len(text) % 2:
        text = "0" + text
    # A leading 0xff before a byte that already carries the sign bit is redundant.
    if text.startswith("ff8"):
        text = text[2:]
    return text


def hash_bytes(data):
    """SHA-256 of bytes, as 64 lower-case hex digits."""
    return hexlify(hashlib.sha256(data).digest())


def hex_hash(hex_text):
    """SHA-256 of the bytes that a hex string spells."""
    return hash_bytes(binascii.unhexlify(hex_text))


def hash_text(text):
    """SHA-256 of a string's UTF-8 bytes."""
    return hash_bytes(text.encode("utf-8"))


K = int(hex_hash(pad_hex(N) + pad_hex(G)), 16)


# Exponentiation. CPython's and Pyodide's pow is already windowed C; MicroPython's is plain
# square-and-multiply, so there g^e uses a fixed-base table (Yao's method: g^(2^(5i)) mod
# N for exponents up to 1024 bits, built once, ~80 KB; then about e_bits/5 + 62
# multiplications and no squarings) and any other base a 5-bit fixed window. Same results,
# same exponents, only faster (in MicroPython, A = g^a: 207 -> 33 ms after a 146 ms table;
# S: 211 -> 175 ms).
# In a JavaScript host, the host's BigInt beats both (see _platform.host_pow).
_WINDOW = 5
_MASK = (1 << _WINDOW) - 1
_g_table = []  # type: list
_host = []  # type: list  # [host_pow() or None], looked up on first use, MicroPython only


def _host_pow():
    if not _host:
        from ._platform import host_pow

        _host.append(host_pow())
    return _host[0]


def _pow_g(exponent):
    if not PLAIN_POW:
        return pow(G, exponent, N)
    host = _host_pow()
    if host is not None:
        return host(G, exponent, N)
    table = _g_table
    if not table:
        table.append(G)
        for _ in range(1024 // _WINDOW):  # exponents up to 1024 bits: a, x, verifiers
            table.append(pow(table[-1], 1 << _WINDOW, N))
    if exponent >> (_WINDOW * len(table)):
        return pow(G, exponent, N)  # beyond the table (not an SRP exponent)
    buckets = [1] * (_MASK + 1)
    i = 0
    while exponent:
        digit = exponent & _MASK
        if digit:
            buckets[digit] = buckets[digit] * table[i] % N
        exponent >>= _WINDOW
        i += 1
    result = running = 1
    for digit in range(_MASK, 0, -1):
        running = running * buckets[digit] % N
        result = result * running % N
    return result


def _pow(base, exponent):
    if not PLAIN_POW:
        return pow(base, exponent, N)
    host = _host_pow()
    if host is not None:
        return host(base, exponent, N)
    powers = [1, base % N]
    for _ in range(2, _MASK + 1):
        powers.append(powers[-1] * base % N)
    shift = len("%x" % exponent) * 4
    shift += -shift % _WINDOW
    result = 1
    while shift:
        shift -= _WINDOW
        for _ in range(_WINDOW):
            result = result * result % N
        digit = (exponent >> shift) & _MASK
        if digit:
            result = result * powers[digit] % N
    return result


def small_a(random_bytes):
    """The client's secret exponent from 128 random bytes (a positive 1024-bit int)."""
    if len(random_bytes) != 128:
        raise SrpError("SRP needs 128 random bytes for a, got %d" % len(random_bytes))
    return int.from_bytes(random_bytes, "big")


def large_a(a):
    """A = g^a mod N, refusing the degenerate A = 0 mod N."""
    value = _pow_g(a)
    if value % N == 0:
        raise SrpError("Illegal parameter: A mod N cannot be 0")
    return value


def compute_u(big_a, big_b):
    """u = H(pad(A) || pad(B))."""
    return int(hex_hash(pad_hex(big_a) + pad_hex(big_b)), 16)


def compute_x(salt, pool_name, username, password):
    """x = H(pad(salt) || H(poolName || username || ':' || password))."""
    inner = hash_text(pool_name + username + ":" + password)
    return int(hex_hash(pad_hex(salt) + inner), 16)


def compute_s(a, big_b, u, x):
    """The client's premaster secret S = (B - k * g^x) ^ (a + u * x) mod N."""
    base = (big_b - K * _pow_g(x)) % N
    return _pow(base, a + u * x)


def hkdf(ikm, salt):
    """Cognito's one-block HKDF-SHA256 with the info "Caldera Derived Key", 16 bytes."""
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    return hmac.new(prk, INFO_BITS, hashlib.sha256).digest()[:16]


def parse_hex(name, text):
    """An integer from a server-sent hex string, or SrpError naming the field."""
    if not isinstance(text, str) or not text:
        raise SrpError("%s is missing or not a string" % name)
    try:
        return int(text, 16)
    except ValueError:
        raise SrpError("%s is not hexadecimal" % name) from None


def authentication_key(a, big_a, big_b, salt, pool_name, username, password):
    """The 16-byte key that signs the password claim.

    Args:
        a, big_a: the client's secret exponent and public value.
        big_b, salt: SRP_B and SALT from the server, as ints.
        pool_name: the user pool id after its underscore (or the device group key).
        username: USER_ID_FOR_SRP (or the device key).
        password: the password (or the device's random password).

    Raises:
        SrpError: if B = 0 mod N or u = 0, the aborts that SRP-6a requires.
    """
    if big_b <= 0 or big_b % N == 0:
        raise SrpError("SRP_B must not be 0 mod N")
    u = compute_u(big_a, big_b)
    if u == 0:
        raise SrpError("SRP parameter u must not be 0")
    x = compute_x(salt, pool_name, username, password)
    s = compute_s(a, big_b, u, x)
    return hkdf(binascii.unhexlify(pad_hex(s)), binascii.unhexlify(pad_hex(u)))


def claim_signature(key, pool_name, user_id, secret_block, timestamp):
    """PASSWORD_CLAIM_SIGNATURE: base64 HMAC-SHA256 over the claim's parts.

    Raises:
        SrpError: if secret_block is not base64.
    """
    try:
        block = b64decode(secret_block)
    except (ValueError, TypeError, UnicodeError):
        raise SrpError("SECRET_BLOCK is not base64") from None
    message = pool_name.encode("utf-8") + user_id.encode("utf-8") + block
    message += timestamp.encode("utf-8")
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return b64encode(digest)


def timestamp(epoch_seconds):
    """Cognito's TIMESTAMP: ``Wed May 7 00:09:40 UTC 2025`` (day not zero-padded).

    Args:
        epoch_seconds: seconds since 1970-01-01 UTC; fractions are floored, as a
            JavaScript Date does (int() would round -0.5 up to the wrong second).
    """
    days, rest = _dates.split(epoch_seconds)
    year, month, day = _dates.civil(days)
    return "%s %s %d %02d:%02d:%02d UTC %d" % (
        _dates.WEEKDAYS[days % 7],
        _dates.MONTHS[month - 1],
        day,
        rest // 3600,
        rest // 60 % 60,
        rest % 60,
        year,
    )


def device_secrets(device_group_key, device_key, random40, random16):
    """What ConfirmDevice needs to remember a device (the original's generateHashDevice).

    Args:
        device_group_key, device_key: from NewDeviceMetadata.
        random40: 40 random bytes, base64-encoded into the device password.
        random16: 16 random bytes for the verifier's salt.

    Returns:
        (device_password, salt_hex, verifier_hex): the password to keep in storage
        and the padded-hex salt and verifier; ConfirmDevice sends both base64-encoded.
    """
    password = b64encode(random40)
    inner = hash_text(device_group_key + device_key + ":" + password)
    salt_hex = pad_hex(int.from_bytes(random16, "big"))
    verifier = _pow_g(int(hex_hash(salt_hex + inner), 16))
    return password, salt_hex, pad_hex(verifier)


def hex_to_base64(hex_text):
    """Base64 of the bytes a hex string spells (how ConfirmDevice sends salt and verifier)."""
    return b64encode(binascii.unhexlify(hex_text))
