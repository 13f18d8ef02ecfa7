"""Refresh-token rotation: GetTokensFromRefreshToken and the app client's RefreshTokenRotation.

An app client's ``RefreshTokenRotation`` is ``{"Feature": "ENABLED"|"DISABLED",
"RetryGracePeriodSeconds": 0-60}`` (checked with the client's other settings, by
``_config.check_refresh_rotation`` from ``_config.normalize_client``).
GetTokensFromRefreshToken works on every client:

* rotation off: new ID and access tokens, no RefreshToken (as REFRESH_TOKEN_AUTH);
* rotation on: a new refresh token too. The token sent is spent: it still works
  for ``RetryGracePeriodSeconds`` after its first use (client retries), and each
  such use issues another new refresh token; after the grace period it is
  RefreshTokenReuseException, and the whole sign-in (its token family: every
  refresh and access token made from it) is revoked, since a spent token coming
  back means two parties hold it. REFRESH_TOKEN_AUTH is refused on such a client
  (``_auth``'s refresh flow calls ``refuse_refresh_flow`` first), as Cognito refuses it.

Every refresh token made by rotation belongs to the sign-in's token family (same
``origin_jti``), so RevokeToken and GlobalSignOut reach it, and it expires when the
sign-in's first refresh token would have (rotation does not extend a session). The
table ``rotated_refresh(refresh_hash, origin_jti, spent)`` holds the SHA-256 of each
refresh token issued by rotation and of each token spent, with when it was first
spent (NULL while unspent; migration 4). ``find_family`` finds the family of any
refresh token, a family's first or one rotation issued: REFRESH_TOKEN_AUTH and
RevokeToken in ``_auth`` call it, as GetTokensFromRefreshToken does.

DeviceKey: in a pool that tracks devices, a DeviceKey that names a confirmed device
of the user keeps the ``device_key`` claim (``_devices.refresh_claims``, as
REFRESH_TOKEN_AUTH's DEVICE_KEY); one that names no confirmed device of the user is
``Invalid Refresh Token`` (Cognito's answer for an unconfirmed device). Pools that do
not track devices ignore it.

Choices where Cognito's behaviour is not documented: reuse after the grace period
revokes the family (OAuth's refresh-token reuse detection); within the grace period
the tokens issued by earlier uses stay valid; enabling rotation on a client that
still lists ALLOW_REFRESH_TOKEN_AUTH is accepted (the flow is then refused at sign-in).
"""

import hmac

from . import _accounts, _devices, _errors, _tokens
from ._registry import Field, action

ENABLED = "ENABLED"
REUSED = "Refresh token has been used already."
ROTATION_REFUSES_FLOW = (
    "Refresh token rotation is enabled for this app client: refresh with GetTokensFromRefreshToken."
)
_TOKEN_PATTERN = (r"^[A-Za-z0-9\-_=.]+$", r"[A-Za-z0-9-_=.]+")
_CLIENT_SECRET_PATTERN = (r"^[\w+]+$", r"[\w+]+")
_DEVICE_KEY_PATTERN = (r"^[\w-]+_[0-9a-f-]+$", r"[\w-]+_[0-9a-f-]+")


# Settings ----------------------------------------------------------------------------


def rotates(client):
    """Whether an app client has refresh-token rotation on."""
    setting = client.get("RefreshTokenRotation")
    return isinstance(setting, dict) and setting.get("Feature") == ENABLED


def grace_seconds(client):
    """The client's RetryGracePeriodSeconds (0 when not set)."""
    setting = client.get("RefreshTokenRotation") or {}
    value = setting.get("RetryGracePeriodSeconds")
    return value if isinstance(value, int) else 0


def refuse_refresh_flow(ctx, client, refresh_hash):
    """What REFRESH_TOKEN_AUTH checks first (``_auth``): no REFRESH_TOKEN_AUTH on a
    rotating client, nor with a token rotation spent (should rotation have been turned
    off since).

    Raises:
        ServiceError: InvalidParameterException, NotAuthorizedException.
    """
    if rotates(client):
        raise _errors.InvalidParameter(ROTATION_REFUSES_FLOW)
    row = _row(ctx, refresh_hash)
    if row is not None and row["spent"] is not None:
        raise _errors.NotAuthorized("Invalid Refresh Token")


# Token lookup ------------------------------------------------------------------------


def _row(ctx, refresh_hash):
    return ctx.store.one(
        "SELECT refresh_hash, origin_jti, spent FROM rotated_refresh WHERE refresh_hash = ?",
        (refresh_hash,),
    )


def find_family(ctx, refresh_hash):
    """The token family of a refresh token's hash: a sign-in's first refresh token, or
    one that rotation issued (or spent); None for an unknown token."""
    family = ctx.store.family_by_refresh(refresh_hash)
    if family is not None:
        return family
    row = _row(ctx, refresh_hash)
    return ctx.store.family(row["origin_jti"]) if row is not None else None


def _spend(ctx, refresh_hash, origin_jti):
    """Mark a refresh token spent now unless it already was; returns when it was first
    spent (None if this is its first use)."""
    row = _row(ctx, refresh_hash)
    if row is None:
        ctx.store.run(
            "INSERT INTO rotated_refresh (refresh_hash, origin_jti, spent) VALUES (?, ?, ?)",
            (refresh_hash, origin_jti, ctx.now()),
        )
        return None
    if row["spent"] is None:
        ctx.store.run(
            "UPDATE rotated_refresh SET spent = ? WHERE refresh_hash = ?",
            (ctx.now(), refresh_hash),
        )
        return None
    return row["spent"]


def _issue_refresh(ctx, origin_jti):
    token = _tokens.new_refresh_token()
    ctx.store.run(
        "INSERT INTO rotated_refresh (refresh_hash, origin_jti, spent) VALUES (?, ?, NULL)",
        (_tokens.sha256_hex(token), origin_jti),
    )
    return token


# The action --------------------------------------------------------------------------


def _check_client_secret(client, given):
    secret = client.get("ClientSecret")
    if not secret:
        return
    if not given:
        raise _errors.NotAuthorized(
            "Client %s is configured for secret but secret was not received" % client["ClientId"]
        )
    if not hmac.compare_digest(secret.encode(), given.encode("utf-8", "replace")):
        raise _errors.NotAuthorized("Unable to verify secret for client %s" % client["ClientId"])


def _device_claims(ctx, pool, client, user, device_key):
    """The access-token claims a DeviceKey keeps (see the module docstring)."""
    if not device_key:
        return {}
    if (
        _devices.tracking(pool) is not None
        and _devices.confirmed_device(ctx, user, device_key) is None
    ):
        raise _errors.NotAuthorized("Invalid Refresh Token")
    return _devices.refresh_claims(ctx, pool, client, user, {"DEVICE_KEY": device_key}) or {}


@action(
    "GetTokensFromRefreshToken",
    fields=[
        Field("RefreshToken", required=True, min_len=1, max_len=16384, pattern=_TOKEN_PATTERN),
        Field("ClientId", required=True, min_len=1, max_len=128),
        Field("ClientSecret", min_len=24, max_len=64, pattern=_CLIENT_SECRET_PATTERN),
        Field("DeviceKey", min_len=1, max_len=55, pattern=_DEVICE_KEY_PATTERN),
        Field("ClientMetadata", "map"),
    ],
)
def get_tokens_from_refresh_token(ctx, body):
    """GetTokensFromRefreshToken: new tokens from a refresh token (a new refresh token
    too when the client rotates them; see the module docstring)."""
    pool, client = _accounts.get_client(ctx, body["ClientId"])
    _check_client_secret(client, body.get("ClientSecret"))
    token_hash = _tokens.sha256_hex(body["RefreshToken"])
    family = find_family(ctx, token_hash)
    if family is None or family["client_id"] != client["ClientId"]:
        raise _errors.NotAuthorized("Invalid Refresh Token")
    if family["revoked"] is not None:
        raise _errors.NotAuthorized("Refresh Token has been revoked")
    if family["expires"] < ctx.now():
        raise _errors.NotAuthorized("Refresh Token has expired")
    user = ctx.store.get_user_by_sub(family["sub"])
    if user is None:
        raise _errors.NotAuthorized("Invalid Refresh Token")
    _accounts.check_user_usable(user)
    extra = _device_claims(ctx, pool, client, user, body.get("DeviceKey"))
    new_refresh = None
    if rotates(client):
        spent = _spend(ctx, token_hash, family["origin_jti"])
        if spent is not None and ctx.now() > spent + grace_seconds(client):
            # A spent token is back after the grace period: someone else holds a copy.
            ctx.store.revoke_family(family["origin_jti"], ctx.now())
            raise _errors.ServiceError("RefreshTokenReuseException", REUSED)
        new_refresh = _issue_refresh(ctx, family["origin_jti"])
    else:
        # A token rotation once spent stays refused even if rotation is turned off.
        row = _row(ctx, token_hash)
        if row is not None and row["spent"] is not None:
            raise _errors.ServiceError("RefreshTokenReuseException", REUSED)
    id_token, access_token, expires_in = _tokens.issue(
        ctx.store, ctx, pool, client, user, family["auth_time"], family["origin_jti"], extra
    )
    result = {"AccessToken": access_token, "ExpiresIn": expires_in, "TokenType": "Bearer"}
    if new_refresh is not None:
        result["RefreshToken"] = new_refresh
    result["IdToken"] = id_token
    return {"AuthenticationResult": result}
