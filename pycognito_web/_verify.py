"""Verifying Cognito's ID and access tokens against the pool's JWKS.

Theory of operation
-------------------
Cognito signs its JWTs with RS256 (RSASSA-PKCS1-v1_5 with SHA-256, RFC 7518 sec. 3.3)
under keys published at ``<issuer>/.well-known/jwks.json``. Verifying is a public-key
operation: ``s^e mod n`` must equal the PKCS#1 v1.5 encoding of the SHA-256 DigestInfo
of ``header.payload`` (RFC 8017 sec. 8.2.2 and 9.2). That is one small-exponent ``pow``,
so it is done here in pure Python, the same in Pyodide, MicroPython and CPython; no
secret is involved, so timing leaks nothing.

After the signature, the claims (RFC 7519 sec. 4.1, and Cognito's rules): ``iss`` is
the pool's issuer; ``token_use`` is ``id`` or ``access`` as asked; an ID token's ``aud``
or an access token's ``client_id`` is the app client; ``exp`` is after ``now - leeway``.
The time is an argument: this module reads no clock and does no I/O.

Every malformed token, however it is malformed (not three parts, not base64url, not
ASCII, JSON nested past the parser's depth, wrong types), gets a TokenVerificationError
naming what was wrong, never another exception.
"""

import binascii
import hashlib
import json

from ._portable import b64url_decode, byte_length, compare_digest
from .errors import InvalidParameterError, TokenVerificationError

TYPE_CHECKING = False  # typing is absent on MicroPython; checkers still read this
if TYPE_CHECKING:
    from typing import Any, Optional

# DER of DigestInfo{ sha256, NULL } without the digest (RFC 8017 sec. 9.2, note 1).
_SHA256_PREFIX = binascii.unhexlify("3031300d060960864801650304020105000420")


def _b64url(text: "Any") -> "bytes":
    if not isinstance(text, str):
        raise TokenVerificationError("a token part is not text")
    try:
        return b64url_decode(text)
    except (ValueError, UnicodeError):
        raise TokenVerificationError("a token part is not base64url") from None


def _json_part(text: "Any", what: "str") -> "dict":
    try:
        value = json.loads(_b64url(text).decode("utf-8"))
    except (ValueError, UnicodeError):
        raise TokenVerificationError("the token's %s is not JSON" % what) from None
    except RuntimeError:  # RecursionError: JSON nested deeper than the parser goes
        raise TokenVerificationError("the token's %s is nested too deeply" % what) from None
    if not isinstance(value, dict):
        raise TokenVerificationError("the token's %s is not a JSON object" % what)
    return value


def _parts(token: "Any") -> "list":
    if not isinstance(token, str) or token.count(".") != 2:
        raise TokenVerificationError("the token is not a JWT")
    # Base64url is ASCII, and so the signing input. (A length test: MicroPython's
    # str.encode ignores its encoding and never refuses a character.)
    if len(token.encode("utf-8")) != len(token):
        raise TokenVerificationError("the token is not ASCII")
    return token.split(".")


def _header(head: "str") -> "dict":
    header = _json_part(head, "header")
    alg = header.get("alg")
    if alg != "RS256":
        # Named only when it is a short string: the header is the sender's, any shape.
        shown = repr(alg) if isinstance(alg, str) and len(alg) <= 16 else "not RS256"
        raise TokenVerificationError("the token's algorithm is %s, not RS256" % shown)
    return header


def key_id(token: "Any") -> "Any":
    """The ``kid`` of a token's header (None without one), checked before any key is
    needed.

    Raises:
        TokenVerificationError: if the token or its header is malformed, or its
        algorithm is not RS256.
    """
    return _header(_parts(token)[0]).get("kid")


def find_key(jwks: "Any", kid: "Any") -> "Optional[dict]":
    """The JWK of that ``kid`` in a JWKS, or None."""
    keys = jwks.get("keys") if isinstance(jwks, dict) else None
    if not isinstance(keys, list) or not isinstance(kid, str):
        return None
    for key in keys:
        if isinstance(key, dict) and key.get("kid") == kid:
            return key
    return None


def _key_int(jwk: "dict", name: "str") -> "int":
    return int.from_bytes(_b64url(jwk.get(name)), "big")


def rs256_valid(signing_input: "bytes", signature: "bytes", jwk: "dict") -> "bool":
    """Whether ``signature`` is a valid RS256 signature of ``signing_input`` under ``jwk``."""
    n = _key_int(jwk, "n")
    e = _key_int(jwk, "e")
    size = byte_length(n)
    if len(signature) != size or n < 2**2047:
        return False
    value = int.from_bytes(signature, "big")
    if value >= n:
        return False
    encoded = pow(value, e, n).to_bytes(size, "big")
    digest = _SHA256_PREFIX + hashlib.sha256(signing_input).digest()
    expected = b"\x00\x01" + b"\xff" * (size - len(digest) - 3) + b"\x00" + digest
    return compare_digest(encoded, expected)


def verify(
    token: "Any",
    jwks: "Any",
    issuer: "str",
    client_id: "str",
    token_use: "str",
    now: "float",
    leeway: "float" = 0,
) -> "dict":
    """Verify a Cognito JWT and return its claims.

    Args:
        token: the JWT.
        jwks: the pool's JWKS dict (``{"keys": [...]}``).
        issuer: the expected ``iss``.
        client_id: the app client the token must be for.
        token_use: ``"id"`` or ``"access"``.
        now: the time in seconds.
        leeway: seconds of clock skew to allow on ``exp``.

    Returns:
        The payload's claims.

    Raises:
        TokenVerificationError: naming the check that failed.
    """
    if token_use not in ("id", "access"):
        raise InvalidParameterError("token_use must be 'id' or 'access'")
    head, body, sig = _parts(token)
    header = _header(head)
    keys = jwks.get("keys") if isinstance(jwks, dict) else None
    if not isinstance(keys, list):
        raise TokenVerificationError("the JWKS has no keys")
    key = find_key(jwks, header.get("kid"))
    if key is None:
        raise TokenVerificationError("no key in the pool's JWKS has the token's kid")
    if key.get("kty") != "RSA":
        raise TokenVerificationError("the token's key is not an RSA key")
    if not rs256_valid((head + "." + body).encode("ascii"), _b64url(sig), key):
        raise TokenVerificationError("the token's signature is not valid")
    claims = _json_part(body, "payload")
    if claims.get("iss") != issuer:
        raise TokenVerificationError("the token was issued by another pool")
    if claims.get("token_use") != token_use:
        raise TokenVerificationError("the token is not an %s token" % token_use)
    audience = claims.get("aud") if token_use == "id" else claims.get("client_id")
    if audience != client_id:
        raise TokenVerificationError("the token was issued to another app client")
    exp = claims.get("exp")
    if isinstance(exp, bool) or not isinstance(exp, (int, float)):
        raise TokenVerificationError("the token has no expiry")
    if now - leeway >= exp:
        raise TokenVerificationError("the token has expired")
    return claims
