"""Cognito Identity (``X-Amz-Target: AWSCognitoIdentityService.*``): GetId and
GetCredentialsForIdentity, for signed-in users of this emulator's user pools.

Logins map the provider ``cognito-idp.<region>.amazonaws.com/<poolId>`` to an ID token
of that pool; the token's signature (the pool's key), pool, ``token_use`` and expiry
(the emulator's clock) are checked. The credentials are obviously fake:
``AccessKeyId`` ``ASIAEMULATOR`` + 8 random characters, random SecretKey and
SessionToken (``emulator-...``), ``Expiration`` one hour ahead in epoch seconds (how
the JSON protocol sends timestamps). Nothing else in the emulator accepts them.

Identity pools, in ``--config`` (top level, next to ``pools``)::

    "identity_pools": [
      {"IdentityPoolId": "us-east-1:11111111-2222-3333-4444-555555555555",
       "providers": [{"pool": "main", "client": "web"}]}   # client optional: any
    ]

A listed identity pool accepts only ID tokens of its providers (pool names, and client
names when given: the token's ``aud``). Any other IdentityPoolId of the right form
(``<region>:<uuid>``) is accepted as an open identity pool that trusts every user pool
of this emulator (choice: demos need no configuration). Unauthenticated identities are
not supported. The IdentityId is ``<region>:<uuid5(identity pool, sub)>``, the same on
every call, and is remembered in ``user.extra["identities"]`` so that
GetCredentialsForIdentity can tell which identity pool it belongs to.
"""

import re
import secrets
import string
import uuid

from . import _errors, _tokens
from ._registry import Field, action

SERVICE = "AWSCognitoIdentityService"
CREDENTIALS_SECONDS = 3600
_ID_PATTERN = (r"^[\w-]+:[0-9a-f-]+$", r"[\w-]+:[0-9a-f-]+")
_PROVIDER = re.compile(r"^cognito-idp\.([\w-]+)\.amazonaws\.com/([\w-]+_[0-9a-zA-Z]+)$")
_NAMESPACE = uuid.UUID("6d1c7a4e-3f0b-5c47-9a55-0e6a1f0c9b21")
_UPPER = string.ascii_uppercase + string.digits
_SECRET = string.ascii_letters + string.digits + "+/"
UNAUTHENTICATED = "Unauthenticated access is not supported for this identity pool."
NOT_SUPPORTED_PROVIDER = "Token is not from a supported provider of this identity pool."
LOGINS_DO_NOT_MATCH = (
    "Logins don't match. Please include at least one valid login for this identity or "
    "identity pool."
)


def configured(settings):
    """The ``identity_pools`` of ``--config`` (a list, maybe empty)."""
    config = getattr(settings, "config", None) or {}
    pools = config.get("identity_pools") or []
    return pools if isinstance(pools, list) else []


def check(settings, store):
    """Check ``identity_pools`` at start: ids well formed, provider pools and clients exist.

    Raises:
        ValueError: naming the first problem.
    """
    config = getattr(settings, "config", None) or {}
    if not isinstance(config.get("identity_pools", []), list):
        raise ValueError("identity_pools must be a list")
    for entry in configured(settings):
        if not isinstance(entry, dict) or not re.match(
            _ID_PATTERN[0], str(entry.get("IdentityPoolId"))
        ):
            raise ValueError("each identity pool needs an IdentityPoolId like us-east-1:<uuid>")
        providers = entry.get("providers")
        if not isinstance(providers, list) or not providers:
            raise ValueError("identity pool %s needs a providers list" % entry["IdentityPoolId"])
        for provider in providers:
            _resolve(store, provider, entry["IdentityPoolId"])


def _resolve(store, provider, identity_pool_id):
    """(pool id, client id or None) of one configured provider."""
    if not isinstance(provider, dict) or not isinstance(provider.get("pool"), str):
        raise ValueError("identity pool %s: a provider needs a pool name" % identity_pool_id)
    pool = store.find_pool_by_name(provider["pool"])
    if pool is None:
        raise ValueError("identity pool %s: no user pool %r" % (identity_pool_id, provider["pool"]))
    client_name = provider.get("client")
    if client_name is None:
        return pool["Id"], None
    for client in store.list_clients(pool["Id"]):
        if client["ClientName"] == client_name:
            return pool["Id"], client["ClientId"]
    raise ValueError("identity pool %s: no client %r in %s" % (identity_pool_id, client_name,
                                                                 provider["pool"]))  # fmt: skip


def _providers(ctx, identity_pool_id):
    """[(pool id, client id or None)] a listed identity pool trusts, or None when open."""
    for entry in configured(ctx.settings):
        if isinstance(entry, dict) and entry.get("IdentityPoolId") == identity_pool_id:
            try:
                return [_resolve(ctx.store, p, identity_pool_id) for p in entry["providers"]]
            except (ValueError, KeyError, TypeError):
                return []  # a pool or client deleted since start: trusts nothing now
    return None


def _login(ctx, identity_pool_id, logins):
    """The user behind the Logins map, checked for this identity pool.

    Returns:
        (user, claims).

    Raises:
        ServiceError: NotAuthorizedException for missing, foreign or bad tokens.
    """
    if not logins:
        raise _errors.NotAuthorized(UNAUTHENTICATED)
    providers = _providers(ctx, identity_pool_id)
    found = None
    for name, token in sorted(logins.items()):
        match = _PROVIDER.match(name)
        if not match:
            raise _errors.NotAuthorized(NOT_SUPPORTED_PROVIDER)
        region, pool_id = match.groups()
        if pool_id.split("_", 1)[0] != region or ctx.store.get_pool(pool_id) is None:
            raise _errors.NotAuthorized(NOT_SUPPORTED_PROVIDER)
        if not isinstance(token, str) or token.count(".") != 2:
            raise _errors.NotAuthorized(
                "Invalid login token. Not a valid OpenId Connect identity token."
            )
        try:
            token_pool, claims = _tokens.verify(ctx.store, token, "id")
        except (ValueError, TypeError, RecursionError):
            raise _errors.NotAuthorized("Invalid login token. Token signature invalid.") from None
        if token_pool != pool_id or claims.get("token_use") != "id":
            raise _errors.NotAuthorized("Invalid login token. Issuer doesn't match providerName")
        exp = claims.get("exp")
        if not isinstance(exp, int) or ctx.now() >= exp:
            raise _errors.NotAuthorized("Invalid login token. Token expired: %s >= %s"
                                        % (int(ctx.now()), exp))  # fmt: skip
        if providers is not None and not any(
            pool_id == p_pool and (p_client is None or claims.get("aud") == p_client)
            for p_pool, p_client in providers
        ):
            raise _errors.NotAuthorized(NOT_SUPPORTED_PROVIDER)
        user = ctx.store.get_user_by_sub(str(claims.get("sub")))
        if user is None or user.pool_id != pool_id or not user.enabled:
            raise _errors.NotAuthorized("Invalid login token. The user no longer exists.")
        if found is not None and found[0].sub != user.sub:
            raise _errors.NotAuthorized(LOGINS_DO_NOT_MATCH)
        found = (user, claims)
    return found


def identity_id(identity_pool_id, sub):
    """The stable IdentityId of a user in an identity pool."""
    region = identity_pool_id.split(":", 1)[0]
    return "%s:%s" % (region, uuid.uuid5(_NAMESPACE, identity_pool_id + "|" + sub))


_LOGINS = Field("Logins", "map")


@action(
    "GetId",
    fields=[
        Field("IdentityPoolId", required=True, min_len=1, max_len=55, pattern=_ID_PATTERN),
        Field("AccountId", min_len=1, max_len=15), _LOGINS,
    ],
    service=SERVICE,
)  # fmt: skip
def get_id(ctx, body):
    """GetId: the identity of the user whose ID token is in Logins."""
    identity_pool_id = body["IdentityPoolId"]
    user, _ = _login(ctx, identity_pool_id, body.get("Logins"))
    identity = identity_id(identity_pool_id, user.sub)
    identities = user.extra.setdefault("identities", {})
    if identities.get(identity) != identity_pool_id:
        identities[identity] = identity_pool_id
        ctx.store.save_user(user)
    return {"IdentityId": identity}


@action(
    "GetCredentialsForIdentity",
    fields=[
        Field("IdentityId", required=True, min_len=1, max_len=55, pattern=_ID_PATTERN),
        _LOGINS, Field("CustomRoleArn", min_len=20, max_len=2048),
    ],
    service=SERVICE,
)  # fmt: skip
def get_credentials_for_identity(ctx, body):
    """GetCredentialsForIdentity: fake temporary credentials for a user's identity."""
    identity = body["IdentityId"]
    if not body.get("Logins"):
        raise _errors.NotAuthorized("Access to Identity '%s' is forbidden." % identity)
    # The identity pool is the one this identity was made in (GetId remembered it).
    sub = None
    for token in body["Logins"].values():
        try:
            sub = str(_tokens.verify(ctx.store, token, "id")[1].get("sub"))
        except (ValueError, TypeError, RecursionError, AttributeError):
            continue
        break
    user = ctx.store.get_user_by_sub(sub) if sub else None
    identity_pool_id = (user.extra.get("identities") or {}).get(identity) if user else None
    if identity_pool_id is None:
        if user is None:
            _login(ctx, "", body["Logins"])  # raises the token's own problem
        raise _errors.NotAuthorized(LOGINS_DO_NOT_MATCH)
    user, _ = _login(ctx, identity_pool_id, body["Logins"])
    if identity_id(identity_pool_id, user.sub) != identity:
        raise _errors.NotAuthorized(LOGINS_DO_NOT_MATCH)
    return {
        "IdentityId": identity,
        "Credentials": {
            "AccessKeyId": "ASIAEMULATOR" + "".join(secrets.choice(_UPPER) for _ in range(8)),
            "SecretKey": "".join(secrets.choice(_SECRET) for _ in range(40)),
            "SessionToken": "emulator-" + _tokens.b64url(secrets.token_bytes(96)),
            "Expiration": int(ctx.now()) + CREDENTIALS_SECONDS,
        },
    }
