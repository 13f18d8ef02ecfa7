"""Pool-scoped configuration documents, and the helpers the configuration actions share.

Most of Cognito's configuration actions store one JSON object per pool and key (a group,
a domain, a resource server, an identity provider, a UI customization...). They all
live in one table, ``pool_documents(pool_id, kind, key, document JSON, created,
modified)``, so a new area needs no migration; rows go with their pool (foreign-key
cascade on DeleteUserPool).

Also here: the admin request gate every such module needs (pool lookup, user lookup,
``Limit`` checks in Cognito's words) and an opaque pagination token over a sort key.
"""

import base64
import binascii
import json

from . import _accounts, _errors

# The pool and client lookups the configuration modules call as _documents.pool/client.
from ._accounts import existing_client as client  # noqa: F401
from ._accounts import existing_pool as pool  # noqa: F401
from ._registry import Field

ACCOUNT = "000000000000"
POOL_ID_PATTERN = (r"^[\w-]+_[0-9a-zA-Z]+$", r"[\w-]+_[0-9a-zA-Z]+")
POOL = Field("UserPoolId", required=True, min_len=1, max_len=55, pattern=POOL_ID_PATTERN)
NEXT_TOKEN_PATTERN = (r"^\S+$", r"[\S]+")


# The table ---------------------------------------------------------------------------


def get(store, pool_id, kind, key):
    """One document.

    Returns:
        (document dict, created, modified) or None.
    """
    row = store.one(
        "SELECT document, created, modified FROM pool_documents"
        " WHERE pool_id = ? AND kind = ? AND key = ?",
        (pool_id, kind, key),
    )
    if row is None:
        return None
    return json.loads(row["document"]), row["created"], row["modified"]


def put(store, pool_id, kind, key, document, now):
    """Create or replace a document (its creation time is kept on replace)."""
    store.run(
        "INSERT INTO pool_documents (pool_id, kind, key, document, created, modified)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (pool_id, kind, key)"
        " DO UPDATE SET document = excluded.document, modified = excluded.modified",
        (pool_id, kind, key, json.dumps(document), now, now),
    )


def delete(store, pool_id, kind, key):
    """Delete a document; True when there was one."""
    cursor = store.run(
        "DELETE FROM pool_documents WHERE pool_id = ? AND kind = ? AND key = ?",
        (pool_id, kind, key),
    )
    return cursor.rowcount > 0


def all_of(store, pool_id, kind):
    """Every document of a kind in a pool, by key: [(key, document, created, modified)]."""
    rows = store.all(
        "SELECT key, document, created, modified FROM pool_documents"
        " WHERE pool_id = ? AND kind = ? ORDER BY key",
        (pool_id, kind),
    )
    return [(row["key"], json.loads(row["document"]), row["created"], row["modified"])
            for row in rows]  # fmt: skip


def find(store, kind, key):
    """A document of a kind by key in any pool (domains are unique across pools).

    Returns:
        (pool_id, document) or None.
    """
    row = store.one(
        "SELECT pool_id, document FROM pool_documents WHERE kind = ? AND key = ?", (kind, key)
    )
    return None if row is None else (row["pool_id"], json.loads(row["document"]))


# Request helpers ---------------------------------------------------------------------


def region_of(pool_id):
    """The region part of a pool id."""
    return pool_id.split("_", 1)[0]


def pool_arn(pool_id):
    """The pool's ARN, as DescribeUserPool gives it."""
    return "arn:aws:cognito-idp:%s:%s:userpool/%s" % (region_of(pool_id), ACCOUNT, pool_id)


def save_pool_settings(ctx, pool_settings):
    """Write back a pool's settings dict (as ``Store.get_pool`` gave it); the pool's
    modified time is kept (tags and domains are not pool settings to Cognito)."""
    settings = {key: value for key, value in pool_settings.items() if key not in ("Id", "Name")}
    ctx.store.run(
        "UPDATE pools SET settings = ? WHERE id = ?", (json.dumps(settings), pool_settings["Id"])
    )


def user(ctx, pool_settings, name):
    """The user an admin call names (username, alias or sub), else UserNotFound."""
    found = _accounts.find_user(ctx, pool_settings, name)
    if found is None:
        by_sub = ctx.store.get_user_by_sub(name)
        if by_sub is not None and by_sub.pool_id == pool_settings["Id"]:
            found = by_sub
    if found is None:
        raise _errors.UserNotFound(_errors.USER_DOES_NOT_EXIST)
    return found


def validation_error(problems):
    """InvalidParameterException in Cognito's validation wording.

    Args:
        problems: [(member label, constraint text, value or None)].
    """
    parts = []
    for label, constraint, value in problems:
        shown = "" if value is None else "Value '%s' " % value
        parts.append(
            "%sat '%s' failed to satisfy constraint: %s" % (shown, label, constraint)
            if shown else "Value at '%s' failed to satisfy constraint: %s" % (label, constraint)
        )  # fmt: skip
    count = len(parts)
    return _errors.InvalidParameter(
        "%d validation error%s detected: %s" % (count, "" if count == 1 else "s", "; ".join(parts))
    )


def check_range(body, name, low=None, high=None):
    """A numeric member within [low, high], as Cognito's validation words it.

    Raises:
        ServiceError: InvalidParameterException.
    """
    value = body.get(name)
    if value is None:
        return
    label = name[:1].lower() + name[1:]
    if low is not None and value < low:
        raise validation_error(
            [(label, "Member must have value greater than or equal to %d" % low, value)]
        )
    if high is not None and value > high:
        raise validation_error(
            [(label, "Member must have value less than or equal to %d" % high, value)]
        )


def limit(body, name="Limit", default=60, high=60):
    """A page size member: 0 or absent means the default."""
    check_range(body, name, 0, high)
    return body.get(name) or default


def page(items, sort_key, size, token):
    """One page of ``items`` (sorted by ``sort_key``) after an opaque ``token``.

    Args:
        sort_key: item -> a JSON-able list (unique per item).
        size: items per page; token: a token from an earlier page, or None.

    Returns:
        (page items, next token or None).

    Raises:
        ServiceError: InvalidParameterException for a token this emulator did not make.
    """
    items = sorted(items, key=sort_key)
    if token is not None:
        try:
            padded = token + "=" * (-len(token) % 4)
            after = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            if not isinstance(after, list):
                raise ValueError("not a position")
            items = [item for item in items if sort_key(item) > after]
        except (ValueError, TypeError, binascii.Error, UnicodeError, RecursionError):
            raise _errors.InvalidParameter("Invalid pagination token.") from None
    chosen = items[:size]
    if len(items) <= size or not chosen:
        return chosen, None
    raw = json.dumps(sort_key(chosen[-1]), separators=(",", ":")).encode()
    return chosen, base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")
