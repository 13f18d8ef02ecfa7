"""RS256 JWTs built by hand, the pool's keys and JWKS, and opaque refresh tokens.

Each pool has two RSA-2048 keys kept in SQLite (so tokens verify across
restarts): one signs ID tokens, the other access tokens, as Cognito does. Every
token names its key in the header's ``kid``, which is how the emulator finds the
pool and the key when a token comes back.

Refresh tokens are 5 dot-separated base64url parts of random bytes (Cognito's look
like a JWE); only their SHA-256 is stored. A "token family" row ties a sign-in's
refresh token to the ``origin_jti`` that every ID and access token of that sign-in
(and of its refreshes) carries; revoking the family revokes all of them.
"""

import base64
import hashlib
import json
import secrets
import uuid

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from . import _errors, _group_claims
from ._config import token_seconds

SCOPE = "aws.cognito.signin.user.admin"
# Decoded private keys, by kid: parsing PEM costs more than signing.
_KEY_CACHE = {}


def b64url(data):
    """Base64url without padding, as JWTs use."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text):
    """Inverse of b64url; raises ValueError on anything else."""
    if not isinstance(text, str) or not text.isascii():
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sha256_hex(text):
    """SHA-256 of a string, as hex: how tokens, sessions and blocks are stored."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_pool_keys(store, pool_id, now):
    """Create and store a pool's two signing keys (``id`` and ``access``)."""
    for use in ("id", "access"):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode("ascii")
        # Cognito's kids are base64 of a key digest; a digest of the public key here.
        public = key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        kid = base64.b64encode(hashlib.sha256(public).digest()).decode("ascii")
        store.insert_key(kid, pool_id, use, pem, now)


def _private_key(kid, pem):
    key = _KEY_CACHE.get(kid)
    if key is None:
        key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
        _KEY_CACHE[kid] = key
    return key


def _signing_key(store, pool_id, use):
    rows = [row for row in store.pool_keys(pool_id) if row["use"] == use]
    if not rows:
        raise _errors.InternalError("The user pool has no signing key.")
    row = rows[-1]
    return row["kid"], _private_key(row["kid"], row["private_pem"])


def jwks(store, pool_id):
    """The pool's public keys as a JWKS document.

    Returns:
        ``{"keys": [{"alg", "e", "kid", "kty", "n", "use"}...]}``.
    """
    keys = []
    for row in store.pool_keys(pool_id):
        numbers = _private_key(row["kid"], row["private_pem"]).public_key().public_numbers()
        keys.append(
            {
                "alg": "RS256",
                "e": b64url(numbers.e.to_bytes((numbers.e.bit_length() + 7) // 8, "big")),
                "kid": row["kid"],
                "kty": "RSA",
                "n": b64url(numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")),
                "use": "sig",
            }
        )
    return {"keys": keys}


def sign(store, pool_id, use, claims):
    """A compact RS256 JWT.

    Args:
        use: ``id`` or ``access``: which of the pool's keys signs.
        claims: the payload dict.

    Returns:
        ``header.payload.signature``.
    """
    kid, key = _signing_key(store, pool_id, use)
    header = b64url(json.dumps({"kid": kid, "alg": "RS256"}, separators=(",", ":")).encode())
    payload = b64url(json.dumps(claims, separators=(",", ":")).encode("utf-8"))
    signing_input = (header + "." + payload).encode("ascii")
    signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    return header + "." + payload + "." + b64url(signature)


def verify(store, token, use):
    """Check a JWT's shape and signature against the key named by its ``kid``.

    Args:
        token: the compact JWT text.
        use: the key use it must be signed with (``id`` or ``access``).

    Returns:
        (pool_id, claims) when the signature is good (expiry is not checked here).

    Raises:
        ValueError: malformed, unknown key, wrong use or bad signature.
    """
    if not isinstance(token, str) or len(token) > 16384:
        raise ValueError("not a token")
    parts = token.split(".")
    if len(parts) != 3:
        raise ValueError("not a JWT")
    header = json.loads(b64url_decode(parts[0]))
    if not isinstance(header, dict) or header.get("alg") != "RS256":
        raise ValueError("unsupported alg")
    row = store.key_by_kid(header.get("kid")) if isinstance(header.get("kid"), str) else None
    if row is None or row["use"] != use:
        raise ValueError("unknown key")
    key = _private_key(row["kid"], row["private_pem"]).public_key()
    try:
        key.verify(
            b64url_decode(parts[2]),
            (parts[0] + "." + parts[1]).encode("ascii"),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except InvalidSignature:
        raise ValueError("bad signature") from None
    claims = json.loads(b64url_decode(parts[1]))
    if not isinstance(claims, dict):
        raise ValueError("claims are not an object")
    return row["pool_id"], claims


def new_refresh_token():
    """An unguessable refresh token shaped like Cognito's (5 base64url parts)."""
    sizes = (32, 96, 12, 384, 16)
    return ".".join(b64url(secrets.token_bytes(size)) for size in sizes)


def _attribute_claims(user):
    claims = {}
    for name, value in user.attributes.items():
        if name == "sub":
            continue
        if name in ("email_verified", "phone_number_verified"):
            claims[name] = value == "true"
        else:
            claims[name] = value
    return claims


def issue(store, ctx, pool, client, user, auth_time, origin_jti, extra_access=None):
    """ID and access tokens for one sign-in or refresh.

    Args:
        ctx: the request Context (clock, base URL).
        pool, client: settings dicts; user: the User.
        auth_time: when the user signed in (kept across refreshes).
        origin_jti: the token family's id.
        extra_access: more access-token claims (device_key, later features).

    Returns:
        (id_token, access_token, expires_in) with expires_in for the access token.
    """
    now = int(ctx.now())
    iss = ctx.issuer(pool["Id"])
    access_life = token_seconds(client, "AccessToken")
    id_life = token_seconds(client, "IdToken")
    event_id = str(uuid.uuid4())
    id_claims = {"sub": user.sub}
    id_claims.update(_attribute_claims(user))
    id_claims.update(
        {
            "iss": iss,
            "cognito:username": user.username,
            "origin_jti": origin_jti,
            "aud": client["ClientId"],
            "event_id": event_id,
            "token_use": "id",
            "auth_time": auth_time,
            "exp": now + id_life,
            "iat": now,
            "jti": str(uuid.uuid4()),
        }
    )
    access_claims = {
        "sub": user.sub,
        "iss": iss,
        "client_id": client["ClientId"],
        "origin_jti": origin_jti,
        "event_id": event_id,
        "token_use": "access",
        "scope": SCOPE,
        "auth_time": auth_time,
        "exp": now + access_life,
        "iat": now,
        "jti": str(uuid.uuid4()),
        "username": user.username,
    }
    access_claims.update(extra_access or {})
    group_id_claims, group_access_claims = _group_claims.group_claims(store, pool, user)
    id_claims.update(group_id_claims)
    access_claims.update(group_access_claims)
    return (
        sign(store, pool["Id"], "id", id_claims),
        sign(store, pool["Id"], "access", access_claims),
        access_life,
    )
