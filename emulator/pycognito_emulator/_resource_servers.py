"""Resource servers and their custom scopes: CreateResourceServer, DescribeResourceServer,
UpdateResourceServer, DeleteResourceServer, ListResourceServers.

A resource server is a ``pool_documents`` row of kind ``resource_server`` keyed by its
Identifier (usually the API's URL). Its scopes are ``<Identifier>/<ScopeName>`` in app
clients' AllowedOAuthScopes and in access tokens. Limits as Cognito's quotas: 25
resource servers a pool, 100 scopes each. UpdateResourceServer replaces the name and
the scopes (scopes left out: none), as its documentation says.
ListResourceServers: by Identifier, MaxResults 1-50 (default 50).
"""

import re

from . import _documents, _errors
from ._documents import POOL
from ._registry import Field, action

KIND = "resource_server"
MAX_SERVERS = 25
MAX_SCOPES = 100
_IDENTIFIER_PATTERN = (r"^[\x21\x23-\x5B\x5D-\x7E]+$", r"[\x21\x23-\x5B\x5D-\x7E]+")
_IDENTIFIER = Field(
    "Identifier", required=True, min_len=1, max_len=256, pattern=_IDENTIFIER_PATTERN
)
_NAME = Field(
    "Name", required=True, min_len=1, max_len=256, pattern=(r"^[\w\s+=,.@-]+$", r"[\w\s+=,.@-]+")
)
_SCOPES = Field("Scopes", "objects", max_len=MAX_SCOPES)
_SCOPE_NAME = r"^[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]+$"


def _scopes(scopes):
    result, seen = [], set()
    for index, scope in enumerate(scopes or []):
        name, description = scope.get("ScopeName"), scope.get("ScopeDescription")
        label = "scopes.%d.member" % (index + 1)
        problems = []
        if not isinstance(name, str) or not name:
            problems.append((label + ".scopeName", "Member must not be null", None))
        elif len(name) > 256 or not re.match(_SCOPE_NAME, name):
            constraint = (
                "Member must satisfy regular expression pattern: "
                "[\\x21\\x23-\\x2E\\x30-\\x5B\\x5D-\\x7E]+"
            )
            problems.append((label + ".scopeName", constraint, name))
        if not isinstance(description, str) or not description:
            problems.append((label + ".scopeDescription", "Member must not be null", None))
        elif len(description) > 256:
            constraint = "Member must have length less than or equal to 256"
            problems.append((label + ".scopeDescription", constraint, None))
        if problems:
            raise _documents.validation_error(problems)
        if name in seen:
            raise _errors.InvalidParameter("Duplicate scope name %s." % name)
        seen.add(name)
        result.append({"ScopeName": name, "ScopeDescription": description})
    return result


def _shape(pool_id, identifier, document):
    return {
        "UserPoolId": pool_id,
        "Identifier": identifier,
        "Name": document["Name"],
        "Scopes": document["Scopes"],
    }


def _server(ctx, pool_id, identifier):
    found = _documents.get(ctx.store, pool_id, KIND, identifier)
    if found is None:
        raise _errors.ResourceNotFound(
            "Resource server %s does not exist in the user pool." % identifier
        )
    return found[0]


@action("CreateResourceServer", fields=[POOL, _IDENTIFIER, _NAME, _SCOPES], public=False)
def create_resource_server(ctx, body):
    """CreateResourceServer: an API with custom scopes."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    identifier = body["Identifier"]
    scopes = _scopes(body.get("Scopes"))
    if _documents.get(ctx.store, pool["Id"], KIND, identifier) is not None:
        raise _errors.InvalidParameter(
            "%s already exists in user pool %s." % (identifier, pool["Id"])
        )
    if len(_documents.all_of(ctx.store, pool["Id"], KIND)) >= MAX_SERVERS:
        raise _errors.LimitExceeded(
            "The user pool has reached its limit of %d resource servers." % MAX_SERVERS
        )
    document = {"Name": body["Name"], "Scopes": scopes}
    _documents.put(ctx.store, pool["Id"], KIND, identifier, document, ctx.now())
    return {"ResourceServer": _shape(pool["Id"], identifier, document)}


@action("DescribeResourceServer", fields=[POOL, _IDENTIFIER], public=False)
def describe_resource_server(ctx, body):
    """DescribeResourceServer: one resource server and its scopes."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    document = _server(ctx, pool["Id"], body["Identifier"])
    return {"ResourceServer": _shape(pool["Id"], body["Identifier"], document)}


@action("UpdateResourceServer", fields=[POOL, _IDENTIFIER, _NAME, _SCOPES], public=False)
def update_resource_server(ctx, body):
    """UpdateResourceServer: a new name and scope list (scopes left out: none)."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    identifier = body["Identifier"]
    _server(ctx, pool["Id"], identifier)
    document = {"Name": body["Name"], "Scopes": _scopes(body.get("Scopes"))}
    _documents.put(ctx.store, pool["Id"], KIND, identifier, document, ctx.now())
    return {"ResourceServer": _shape(pool["Id"], identifier, document)}


@action("DeleteResourceServer", fields=[POOL, _IDENTIFIER], public=False)
def delete_resource_server(ctx, body):
    """DeleteResourceServer: the server and its scopes."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    _server(ctx, pool["Id"], body["Identifier"])
    _documents.delete(ctx.store, pool["Id"], KIND, body["Identifier"])
    return {}


@action(
    "ListResourceServers",
    fields=[POOL, Field("MaxResults", "integer"),
            Field("NextToken", min_len=1, pattern=_documents.NEXT_TOKEN_PATTERN)],
    public=False,
)  # fmt: skip
def list_resource_servers(ctx, body):
    """ListResourceServers: the pool's resource servers by Identifier."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    _documents.check_range(body, "MaxResults", 1, 50)
    size = body.get("MaxResults") or 50
    rows = _documents.all_of(ctx.store, pool["Id"], KIND)
    chosen, token = _documents.page(rows, lambda row: [row[0]], size, body.get("NextToken"))
    answer = {"ResourceServers": [_shape(pool["Id"], row[0], row[1]) for row in chosen]}
    if token:
        answer["NextToken"] = token
    return answer


def custom_scopes(store, pool_id):
    """Every custom scope of the pool, as ``<Identifier>/<ScopeName>``."""
    return {
        "%s/%s" % (identifier, scope["ScopeName"])
        for identifier, document, _, _ in _documents.all_of(store, pool_id, KIND)
        for scope in document["Scopes"]
    }
