"""An app client's secrets: AddUserPoolClientSecret, ListUserPoolClientSecrets,
DeleteUserPoolClientSecret.

The client's first secret is the one CreateUserPoolClient gave it (``clients.secret``,
id ``<ClientId>-1``); one more can be added (2 a client, LimitExceededException), kept
as a ``pool_documents`` row of kind ``client_secret`` keyed by the client id. The last
secret cannot be deleted. A client without a secret cannot get one this way
(InvalidParameterException: it is a public client). Only the first secret signs
SECRET_HASH in the emulator's sign-in, so a rotation is: add, move the callers, delete
the old one (the new one is then first).
"""

import secrets
import string

from . import _documents, _errors
from ._documents import POOL
from ._registry import Field, action

KIND = "client_secret"
MAX_SECRETS = 2
_CLIENT = Field("ClientId", required=True, min_len=1, max_len=128,
                pattern=(r"^[\w+]+$", r"[\w+]+"))  # fmt: skip
_LOWER = string.ascii_lowercase + string.digits


def _secrets(ctx, pool_id, client):
    """[{ClientSecretId, ClientSecretValue, ClientSecretCreateDate}], oldest first."""
    found = _documents.get(ctx.store, pool_id, KIND, client["ClientId"])
    if found is not None:
        return found[0]["secrets"]
    if not client.get("ClientSecret"):
        return []
    created = ctx.store.one("SELECT created FROM clients WHERE id = ?",
                            (client["ClientId"],))["created"]  # fmt: skip
    return [{"ClientSecretId": client["ClientId"] + "-1",
             "ClientSecretValue": client["ClientSecret"], "ClientSecretCreateDate": created}]


def _save(ctx, pool_id, client, items):
    _documents.put(ctx.store, pool_id, KIND, client["ClientId"], {"secrets": items}, ctx.now())
    ctx.store.run("UPDATE clients SET secret = ? WHERE id = ?",
                  (items[0]["ClientSecretValue"], client["ClientId"]))  # fmt: skip


@action(
    "AddUserPoolClientSecret",
    fields=[POOL, _CLIENT, Field("ClientSecret", min_len=24, max_len=64,
                                 pattern=(r"^[\w+]+$", r"[\w+]+"))],
    public=False,
)  # fmt: skip
def add_user_pool_client_secret(ctx, body):
    """AddUserPoolClientSecret: a second secret for a confidential client."""
    pool, client = _documents.client(ctx, body["UserPoolId"], body["ClientId"])
    items = _secrets(ctx, pool["Id"], client)
    if not items:
        raise _errors.InvalidParameter("The app client has no client secret to add to.")
    if len(items) >= MAX_SECRETS:
        raise _errors.LimitExceeded("An app client can have at most %d secrets." % MAX_SECRETS)
    number = max(int(item["ClientSecretId"].rsplit("-", 1)[1]) for item in items) + 1
    item = {
        "ClientSecretId": "%s-%d" % (client["ClientId"], number),
        "ClientSecretValue": body.get("ClientSecret")
        or "".join(secrets.choice(_LOWER) for _ in range(51)),
        "ClientSecretCreateDate": ctx.now(),
    }
    _save(ctx, pool["Id"], client, [*items, item])
    return {"ClientSecretDescriptor": item}


@action(
    "ListUserPoolClientSecrets",
    fields=[POOL, _CLIENT, Field("NextToken", min_len=1, max_len=131072,
                                 pattern=_documents.NEXT_TOKEN_PATTERN)],
    public=False,
)  # fmt: skip
def list_user_pool_client_secrets(ctx, body):
    """ListUserPoolClientSecrets: the client's secrets, values masked but the id."""
    pool, client = _documents.client(ctx, body["UserPoolId"], body["ClientId"])
    items = _secrets(ctx, pool["Id"], client)
    chosen, token = _documents.page(items, lambda item: [item["ClientSecretCreateDate"],
                                                         item["ClientSecretId"]], 60,
                                    body.get("NextToken"))  # fmt: skip
    answer = {"ClientSecrets": [
        {"ClientSecretId": item["ClientSecretId"],
         "ClientSecretCreateDate": item["ClientSecretCreateDate"]} for item in chosen
    ]}  # fmt: skip
    if token:
        answer["NextToken"] = token
    return answer


@action(
    "DeleteUserPoolClientSecret",
    fields=[POOL, _CLIENT, Field("ClientSecretId", required=True, min_len=1, max_len=128)],
    public=False,
)
def delete_user_pool_client_secret(ctx, body):
    """DeleteUserPoolClientSecret: drop one secret (never the last)."""
    pool, client = _documents.client(ctx, body["UserPoolId"], body["ClientId"])
    items = _secrets(ctx, pool["Id"], client)
    kept = [item for item in items if item["ClientSecretId"] != body["ClientSecretId"]]
    if len(kept) == len(items):
        raise _errors.ResourceNotFound("Client secret %s does not exist." % body["ClientSecretId"])
    if not kept:
        raise _errors.InvalidParameter("The last client secret of an app client cannot be deleted.")
    _save(ctx, pool["Id"], client, kept)
    return {}
