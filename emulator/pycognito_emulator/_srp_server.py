"""The server's half of Cognito's SRP-6a; the shared math comes from ``pycognito_web._srp``.

The server never sees or keeps a password after SignUp: it keeps the salt and
the verifier v = g^x, where x is computed exactly as the client computes it
(``_srp.compute_x`` over the pool name, the user's internal username and the
password). A sign-in then runs:

1. the client sends A; the server picks a secret b and answers
   B = k*v + g^b (mod N) with the salt;
2. both sides compute u = H(pad(A) || pad(B)); the server's premaster secret is
   S = (A * v^u)^b (mod N), the same number the client reaches from its side;
3. both derive the 16-byte key with ``_srp.hkdf`` and the client proves it knows
   it with ``_srp.claim_signature``; the server recomputes that HMAC and compares in
   constant time.

The server's b is 256 random bits (RFC 5054 asks for at least that much); longer
exponents only make each sign-in slower. The exponentiations go through OpenSSL (the
Diffie-Hellman exchange of ``cryptography``, over the same group: ``peer^private mod
N``), about 10 times faster than CPython's ``pow`` on 3072 bits and constant-time;
``pow`` remains the fallback.
"""

import binascii
import hmac
import secrets

from pycognito_web import _srp

try:
    from cryptography.hazmat.primitives.asymmetric import dh as _dh

    _GROUP = _dh.DHParameterNumbers(_srp.N, _srp.G)
except ImportError:  # the emulator extra is not installed: plain pow
    _dh = None


def mod_pow(base, exponent):
    """``base ** exponent mod N``, by OpenSSL where it accepts the operands."""
    base %= _srp.N
    if _dh is not None and exponent > 0 and 1 < base < _srp.N - 1:
        try:
            private = _dh.DHPrivateNumbers(exponent, _dh.DHPublicNumbers(_srp.G, _GROUP))
            peer = _dh.DHPublicNumbers(base, _GROUP).public_key()
            return int.from_bytes(private.private_key().exchange(peer), "big")
        except ValueError:
            pass
    return pow(base, exponent, _srp.N)


_B_BITS = 256
# SRP_A longer than N in hex (plus slack for padding) is refused before any math.
_MAX_A_HEX = 1024


def make_verifier(pool_name, username, password):
    """Salt and verifier for a new password.

    Args:
        pool_name: the pool id after its underscore.
        username: the user's internal username (what USER_ID_FOR_SRP will be).
        password: the new password; used here and forgotten.

    Returns:
        (salt_hex, verifier_hex): the salt as padded hex, v = g^x as padded hex.
    """
    salt = int.from_bytes(secrets.token_bytes(16), "big")
    x = _srp.compute_x(salt, pool_name, username, password)
    return _srp.pad_hex(salt), _srp.pad_hex(mod_pow(_srp.G, x))


def check_password(pool_name, username, password, salt_hex, verifier_hex):
    """Whether a plaintext password matches a stored verifier (USER_PASSWORD_AUTH,
    ChangePassword). Compares in constant time.

    Returns:
        True if g^x equals the stored verifier.
    """
    x = _srp.compute_x(int(salt_hex, 16), pool_name, username, password)
    candidate = _srp.pad_hex(mod_pow(_srp.G, x))
    return hmac.compare_digest(candidate, verifier_hex)


def server_challenge(verifier_hex):
    """The server's ephemeral pair for one sign-in.

    Args:
        verifier_hex: the user's stored verifier.

    Returns:
        (b, big_b): the secret exponent and B = k*v + g^b mod N (never 0 mod N).
    """
    v = int(verifier_hex, 16)
    while True:
        b = secrets.randbits(_B_BITS) | 1
        big_b = (_srp.K * v + mod_pow(_srp.G, b)) % _srp.N
        if big_b:
            return b, big_b


def parse_a(text):
    """The client's SRP_A as an int.

    Returns:
        A, or None if it is not hex, too long, or 0 mod N (SRP-6a requires aborting).
    """
    if not isinstance(text, str) or not 0 < len(text) <= _MAX_A_HEX:
        return None
    try:
        value = int(text, 16)
    except ValueError:
        return None
    if value % _srp.N == 0:
        return None
    return value


def expected_signature(pool_name, user_id, verifier_hex, a, b, big_b, secret_block, timestamp):
    """The PASSWORD_CLAIM_SIGNATURE the client must send.

    Args:
        pool_name: the pool id after its underscore.
        user_id: USER_ID_FOR_SRP as the server sent it.
        verifier_hex: the user's stored verifier.
        a, b, big_b: the client's A and the server's b and B (ints).
        secret_block: SECRET_BLOCK as sent (base64 text).
        timestamp: the client's TIMESTAMP text, signed as is.

    Returns:
        The base64 signature, or None if u = 0 (the exchange must be aborted).
    """
    u = _srp.compute_u(a, big_b)
    if u == 0:
        return None
    v = int(verifier_hex, 16)
    s = mod_pow(a * mod_pow(v, u) % _srp.N, b)
    key = _srp.hkdf(binascii.unhexlify(_srp.pad_hex(s)), binascii.unhexlify(_srp.pad_hex(u)))
    return _srp.claim_signature(key, pool_name, user_id, secret_block, timestamp)


def signatures_match(expected, given):
    """Constant-time comparison of two signatures (str), False for non-strings."""
    if not isinstance(given, str) or expected is None:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8", "replace"))
