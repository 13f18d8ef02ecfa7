"""The admin API for app clients: CreateUserPoolClient, DescribeUserPoolClient,
ListUserPoolClients, UpdateUserPoolClient, DeleteUserPoolClient.

Choice where Cognito's behaviour was not found: UpdateUserPoolClient resets what the
request leaves out to the defaults, as the API reference says Cognito does; the id
and the secret stay.
"""

import json

from . import _config, _errors, _oauth_clients
from ._admin import (
    _CLIENT,
    _NAME_PATTERN,
    _POOL,
    DEFAULT_PAGE,
    _drop_none,
    _page,
    _pool,
    _pool_client,
    _times,
)  # fmt: skip
from ._registry import Field, action

_CLIENT_MEMBERS = (
    "RefreshTokenValidity", "AccessTokenValidity", "IdTokenValidity", "TokenValidityUnits",
    "ReadAttributes", "WriteAttributes", "ExplicitAuthFlows", "SupportedIdentityProviders",
    "CallbackURLs", "LogoutURLs", "DefaultRedirectURI", "AllowedOAuthFlows",
    "AllowedOAuthScopes", "AllowedOAuthFlowsUserPoolClient", "AnalyticsConfiguration",
    "PreventUserExistenceErrors", "EnableTokenRevocation",
    "EnablePropagateAdditionalUserContextData", "AuthSessionValidity", "RefreshTokenRotation",
)  # fmt: skip
_CLIENT_FIELDS = [
    Field("RefreshTokenValidity", "integer"), Field("AccessTokenValidity", "integer"),
    Field("IdTokenValidity", "integer"), Field("TokenValidityUnits", "object"),
    Field("ReadAttributes", "strings"), Field("WriteAttributes", "strings"),
    Field("ExplicitAuthFlows", "strings"), Field("SupportedIdentityProviders", "strings"),
    Field("CallbackURLs", "strings"), Field("LogoutURLs", "strings"),
    Field("DefaultRedirectURI", max_len=1024), Field("AllowedOAuthFlows", "strings"),
    Field("AllowedOAuthScopes", "strings"), Field("AllowedOAuthFlowsUserPoolClient", "boolean"),
    Field("AnalyticsConfiguration", "object"),
    Field("PreventUserExistenceErrors", choices=["LEGACY", "ENABLED"]),
    Field("EnableTokenRevocation", "boolean"),
    Field("EnablePropagateAdditionalUserContextData", "boolean"),
    Field("AuthSessionValidity", "integer"), Field("RefreshTokenRotation", "object"),
]  # fmt: skip


def _client_shape(ctx, client):
    created, modified = _times(ctx, "clients", client["ClientId"])
    shape = {
        "UserPoolId": client["UserPoolId"],
        "ClientName": client["ClientName"],
        "ClientId": client["ClientId"],
        "LastModifiedDate": modified,
        "CreationDate": created,
        "AuthSessionValidity": 3,
        "ClientType": "REGULAR",
        "AllowedOAuthFlowsUserPoolClient": False,
        "EnablePropagateAdditionalUserContextData": False,
    }
    if client.get("ClientSecret"):
        shape["ClientSecret"] = client["ClientSecret"]
    for key in _CLIENT_MEMBERS:
        if client.get(key) is not None:
            shape[key] = client[key]
    return shape


def _client_request(body):
    request = _drop_none(dict(body))
    request.pop("UserPoolId", None)
    if request.get("RefreshTokenValidity") == 0:  # 0 means the default
        del request["RefreshTokenValidity"]
        (request.get("TokenValidityUnits") or {}).pop("RefreshToken", None)
    validity = request.get("AuthSessionValidity")
    if validity is not None and not 3 <= validity <= 15:
        raise _errors.InvalidParameter("AuthSessionValidity must be from 3 to 15 minutes.")
    return request


@action(
    "CreateUserPoolClient",
    fields=[
        _POOL, Field("ClientName", required=True, min_len=1, max_len=128, pattern=_NAME_PATTERN),
        Field("GenerateSecret", "boolean"), Field("ClientSecret", min_len=24, max_len=64),
        *_CLIENT_FIELDS,
    ],
    public=False,
)  # fmt: skip
def create_user_pool_client(ctx, body):
    """CreateUserPoolClient: a new app client, with a generated secret if asked."""
    pool = _pool(ctx, body["UserPoolId"])
    request = _client_request(body)
    settings = _config.normalize_client(request)
    settings.pop("PublishSecretsInAWSSecretsManager", None)
    secret = None
    if body.get("GenerateSecret") or body.get("ClientSecret"):
        secret = body.get("ClientSecret") or _config.new_client_secret()
    _oauth_clients.check_client(ctx, pool, settings, secret is not None)
    client_id = _config.new_client_id()
    ctx.store.insert_client(client_id, pool["Id"], settings["ClientName"], secret, settings,
                            ctx.now())  # fmt: skip
    return {"UserPoolClient": _client_shape(ctx, ctx.store.get_client(client_id))}


@action("DescribeUserPoolClient", fields=[_POOL, _CLIENT], public=False)
def describe_user_pool_client(ctx, body):
    """DescribeUserPoolClient: the client's settings, its secret included."""
    _, client = _pool_client(ctx, body["UserPoolId"], body["ClientId"])
    return {"UserPoolClient": _client_shape(ctx, client)}


@action(
    "ListUserPoolClients",
    fields=[_POOL, Field("MaxResults", "integer"), Field("NextToken", min_len=1),
            Field("ClientType", choices=["REGULAR", "DCR"])],
    public=False,
)  # fmt: skip
def list_user_pool_clients(ctx, body):
    """ListUserPoolClients: the pool's clients, oldest first."""
    pool = _pool(ctx, body["UserPoolId"])
    limit = body.get("MaxResults") or DEFAULT_PAGE
    if not 1 <= limit <= 60:
        raise _errors.InvalidParameter("MaxResults must be from 1 to 60.")
    rows = ctx.store.all(
        "SELECT id, name, created FROM clients WHERE pool_id = ? ORDER BY created, id",
        (pool["Id"],),
    )
    page, token = _page(rows, lambda row: (row["created"], row["id"]), limit,
                        body.get("NextToken"))  # fmt: skip
    answer = {
        "UserPoolClients": [
            {"ClientId": row["id"], "UserPoolId": pool["Id"], "ClientName": row["name"]}
            for row in page
        ]
    }
    if token:
        answer["NextToken"] = token
    return answer


@action(
    "UpdateUserPoolClient",
    fields=[_POOL, _CLIENT, Field("ClientName", min_len=1, max_len=128, pattern=_NAME_PATTERN),
            *_CLIENT_FIELDS],
    public=False,
)  # fmt: skip
def update_user_pool_client(ctx, body):
    """UpdateUserPoolClient: replace the client's settings (left out: the default);
    the id and secret stay."""
    pool, client = _pool_client(ctx, body["UserPoolId"], body["ClientId"])
    request = _client_request(body)
    request.pop("ClientId", None)
    request.setdefault("ClientName", client["ClientName"])
    settings = _config.normalize_client(request)
    settings.pop("PublishSecretsInAWSSecretsManager", None)
    _oauth_clients.check_client(ctx, pool, settings, bool(client.get("ClientSecret")))
    ctx.store.run(
        "UPDATE clients SET name = ?, settings = ?, modified = ? WHERE id = ?",
        (settings["ClientName"], json.dumps(settings), ctx.now(), client["ClientId"]),
    )
    return {"UserPoolClient": _client_shape(ctx, ctx.store.get_client(client["ClientId"]))}


@action("DeleteUserPoolClient", fields=[_POOL, _CLIENT], public=False)
def delete_user_pool_client(ctx, body):
    """DeleteUserPoolClient: the client and its pending challenges and refresh tokens."""
    _, client = _pool_client(ctx, body["UserPoolId"], body["ClientId"])
    for table in ("challenges", "token_families"):
        ctx.store.run("DELETE FROM %s WHERE client_id = ?" % table, (client["ClientId"],))
    ctx.store.run("DELETE FROM clients WHERE id = ?", (client["ClientId"],))
    return {}
