"""Sessions: the tokens that end a sign-in (a new token family with its refresh token)
and the user behind an access token.
"""

import uuid

from . import _errors, _tokens
from ._config import token_seconds


def authenticate(ctx, access_token):
    """The user behind an access token, checked as Cognito checks it.

    Returns:
        (pool, user, claims).

    Raises:
        ServiceError: NotAuthorizedException "Invalid Access Token", "Access Token
            has expired" or "Access Token has been revoked"; UserNotFoundException if
            the user was deleted.
    """
    try:
        pool_id, claims = _tokens.verify(ctx.store, access_token, "access")
    except (ValueError, TypeError, RecursionError):
        raise _errors.NotAuthorized("Invalid Access Token") from None
    exp = claims.get("exp")
    if claims.get("token_use") != "access" or not isinstance(exp, int):
        raise _errors.NotAuthorized("Invalid Access Token")
    if ctx.now() >= exp:
        raise _errors.NotAuthorized("Access Token has expired")
    pool = ctx.store.get_pool(pool_id)
    user = ctx.store.get_user_by_sub(str(claims.get("sub")))
    if pool is None or user is None or user.pool_id != pool_id:
        raise _errors.UserNotFound(_errors.USER_DOES_NOT_EXIST)
    family = ctx.store.family(str(claims.get("origin_jti")))
    if family is None or family["revoked"] is not None or not user.enabled:
        raise _errors.NotAuthorized("Access Token has been revoked")
    return pool, user, claims


def start_session(ctx, pool, client, user, extra_access=None):
    """Tokens for a completed sign-in: a new token family with its refresh token.

    Returns:
        AuthenticationResult: AccessToken, ExpiresIn, TokenType, RefreshToken, IdToken.
    """
    now = ctx.now()
    origin_jti = str(uuid.uuid4())
    refresh = _tokens.new_refresh_token()
    ctx.store.insert_family(
        origin_jti, _tokens.sha256_hex(refresh), pool["Id"], client["ClientId"], user.sub,
        int(now), now, now + token_seconds(client, "RefreshToken"),
    )  # fmt: skip
    id_token, access_token, expires_in = _tokens.issue(
        ctx.store, ctx, pool, client, user, int(now), origin_jti, extra_access
    )
    return {
        "AccessToken": access_token,
        "ExpiresIn": expires_in,
        "TokenType": "Bearer",
        "RefreshToken": refresh,
        "IdToken": id_token,
    }
