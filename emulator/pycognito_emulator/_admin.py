"""The admin API (as boto3 and the AWS CLI send it, signed with SigV4; every admin
action is ``public=False``), and what its modules share: the request members that name
a pool, client or user, finding them, the users' answer shape, pagination.

The actions, by what they administer:

* ``_admin_pools``: CreateUserPool, DescribeUserPool, UpdateUserPool, ListUserPools,
  DeleteUserPool; SetUserPoolMfaConfig, GetUserPoolMfaConfig.
* ``_admin_clients``: CreateUserPoolClient, DescribeUserPoolClient,
  ListUserPoolClients, UpdateUserPoolClient, DeleteUserPoolClient.
* ``_admin_users``: AdminCreateUser, AdminGetUser, AdminConfirmSignUp,
  AdminSetUserPassword, AdminDeleteUser, AdminUpdateUserAttributes,
  AdminDeleteUserAttributes, AdminDisableUser, AdminEnableUser, AdminResetUserPassword,
  AdminUserGlobalSignOut, and ListUsers with its Filter.
* ``_admin_auth``: AdminInitiateAuth, AdminRespondToAuthChallenge.
* ``_devices``: AdminGetDevice, AdminListDevices, AdminForgetDevice.

Answers follow botocore's service model: timestamps are epoch seconds (numbers),
users are ``{Username, Attributes|UserAttributes, UserCreateDate,
UserLastModifiedDate, Enabled, UserStatus}``.
"""

import base64
import binascii
import json

from . import _accounts, _attributes, _errors

# The pool and client lookups the _admin_* modules import from here.
from ._accounts import existing_client as _pool_client  # noqa: F401
from ._accounts import existing_pool as _pool  # noqa: F401
from ._registry import USERNAME_PATTERN, Field

_POOL_ID_PATTERN = (r"^[\w-]+_[0-9a-zA-Z]+$", r"[\w-]+_[0-9a-zA-Z]+")
_POOL = Field("UserPoolId", required=True, min_len=1, max_len=55, pattern=_POOL_ID_PATTERN)
_CLIENT = Field("ClientId", required=True, min_len=1, max_len=128,
                pattern=(r"^[\w+]+$", r"[\w+]+"))  # fmt: skip
_USERNAME = Field("Username", required=True, min_len=1, max_len=128, pattern=USERNAME_PATTERN)
_METADATA = Field("ClientMetadata", "map")
DEFAULT_PAGE = 60
_NAME_PATTERN = (r"^[\w\s+=,.@-]+$", r"[\w\s+=,.@-]+")


# Helpers -----------------------------------------------------------------------------


def _region(ctx):
    signer = getattr(ctx.request, "signer", None) if ctx.request is not None else None
    return getattr(signer, "region", None) or ctx.settings.region


def _user(ctx, pool, name):
    """The user an admin call names: username, alias or sub. UserNotFound otherwise."""
    user = _accounts.find_user(ctx, pool, name)
    if user is None:
        by_sub = ctx.store.get_user_by_sub(name)
        if by_sub is not None and by_sub.pool_id == pool["Id"]:
            user = by_sub
    if user is None:
        raise _errors.UserNotFound(_errors.USER_DOES_NOT_EXIST)
    return user


def _times(ctx, table, key):
    row = ctx.store.one("SELECT created, modified FROM %s WHERE id = ?" % table, (key,))
    return row["created"], row["modified"]


def _encode_token(position):
    raw = json.dumps(position, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _page(items, position, limit, token):
    """One page of ``items`` (already sorted by ``position(item)``) after ``token``.

    Returns:
        (page, next_token or None).

    Raises:
        ServiceError: InvalidParameterException for a token this emulator did not make.
    """
    if token is not None:
        try:
            padded = token + "=" * (-len(token) % 4)
            after = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            if (
                not isinstance(after, list)
                or len(after) != 2
                or not isinstance(after[0], (int, float))
                or isinstance(after[0], bool)
                or not isinstance(after[1], str)
            ):
                raise ValueError("not a position")
        except (ValueError, binascii.Error, UnicodeError, RecursionError):
            raise _errors.InvalidParameter("Invalid pagination token.") from None
        items = [item for item in items if list(position(item)) > after]
    page = items[:limit]
    more = len(items) > limit
    return page, (_encode_token(list(position(page[-1]))) if more and page else None)


def _admin_client(pool):
    # The admin writes every attribute, the verified flags included (not sub).
    return {"WriteAttributes": [name for name in pool["Schema"] if name != "sub"]}


def _user_shape(user, attributes_member="Attributes", names=None):
    attributes = _attributes.visible_attributes(user)
    if names is not None:
        attributes = [item for item in attributes if item["Name"] in names]
    shape = {
        "Username": user.username,
        attributes_member: attributes,
        "UserCreateDate": user.created,
        "UserLastModifiedDate": user.modified,
        "Enabled": bool(user.enabled),
        "UserStatus": user.status,
    }
    if user.extra.get("MFAOptions"):
        shape["MFAOptions"] = user.extra["MFAOptions"]
    return shape


def _drop_none(data):
    return {key: value for key, value in data.items() if value is not None}
