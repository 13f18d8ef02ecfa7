"""User pool groups: CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups,
AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser,
ListUsersInGroup; and the group claims of the tokens.

Groups are ``pool_documents`` of kind ``group`` keyed by GroupName (case-sensitive,
as Cognito's); membership is the ``group_members`` table, so deleting a user or a pool
drops their memberships. Limits as Cognito's quotas: 10,000 groups per pool, 100
groups per user (LimitExceededException).

Claims: ``_group_claims`` (every token the pool issues carries them).

Lists: ListGroups and AdminListGroupsForUser by GroupName, ListUsersInGroup oldest
member first; ``Limit`` 0-60 (0 or none: 60), opaque ``NextToken``.
"""


from . import _attributes, _documents, _errors
from ._documents import POOL
from ._group_claims import KIND, groups_of
from ._registry import USERNAME_PATTERN, Field, action
from ._store import User

MAX_GROUPS = 10000
MAX_GROUPS_PER_USER = 100
_ROLE_ARN_PATTERN = (
    r"^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+"
    r"(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$",
    r"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+"
    r"(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?",
)
_GROUP = Field("GroupName", required=True, min_len=1, max_len=128, pattern=USERNAME_PATTERN)
_USERNAME = Field("Username", required=True, min_len=1, max_len=128, pattern=USERNAME_PATTERN)
_SETTINGS = [
    Field("Description", max_len=2048),
    Field("RoleArn", min_len=20, max_len=2048, pattern=_ROLE_ARN_PATTERN),
    Field("Precedence", "integer"),
]
_PAGING = [
    Field("Limit", "integer"),
    Field("NextToken", min_len=1, max_len=131072, pattern=_documents.NEXT_TOKEN_PATTERN),
]
GROUP_NOT_FOUND = "Group not found."


def _shape(pool_id, name, document, created, modified):
    shape = {"GroupName": name, "UserPoolId": pool_id}
    for key in ("Description", "RoleArn", "Precedence"):
        if document.get(key) is not None:
            shape[key] = document[key]
    shape["LastModifiedDate"] = modified
    shape["CreationDate"] = created
    return shape


def _group(ctx, pool_id, name):
    found = _documents.get(ctx.store, pool_id, KIND, name)
    if found is None:
        raise _errors.ResourceNotFound(GROUP_NOT_FOUND)
    return found


def _answer(items, token, member):
    answer = {member: items}
    if token:
        answer["NextToken"] = token
    return answer


@action("CreateGroup", fields=[_GROUP, POOL, *_SETTINGS], public=False)
def create_group(ctx, body):
    """CreateGroup: a new group (GroupExistsException when the name is taken)."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    _documents.check_range(body, "Precedence", 0)
    name = body["GroupName"]
    if _documents.get(ctx.store, pool["Id"], KIND, name) is not None:
        raise _errors.ServiceError(
            "GroupExistsException", "A group with the name %s already exists." % name
        )
    count = ctx.store.one(
        "SELECT count(*) AS n FROM pool_documents WHERE pool_id = ? AND kind = ?",
        (pool["Id"], KIND),
    )["n"]
    if count >= MAX_GROUPS:
        raise _errors.LimitExceeded(
            "The user pool has reached its limit of %d groups." % MAX_GROUPS
        )
    document = {key: body[key] for key in ("Description", "RoleArn", "Precedence")
                if body.get(key) is not None}  # fmt: skip
    now = ctx.now()
    _documents.put(ctx.store, pool["Id"], KIND, name, document, now)
    return {"Group": _shape(pool["Id"], name, document, now, now)}


@action("GetGroup", fields=[_GROUP, POOL], public=False)
def get_group(ctx, body):
    """GetGroup: one group's settings."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    document, created, modified = _group(ctx, pool["Id"], body["GroupName"])
    return {"Group": _shape(pool["Id"], body["GroupName"], document, created, modified)}


@action("UpdateGroup", fields=[_GROUP, POOL, *_SETTINGS], public=False)
def update_group(ctx, body):
    """UpdateGroup: change the Description, RoleArn or Precedence given; the rest stays."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    _documents.check_range(body, "Precedence", 0)
    name = body["GroupName"]
    document, created, _ = _group(ctx, pool["Id"], name)
    for key in ("Description", "RoleArn", "Precedence"):
        if body.get(key) is not None:
            document[key] = body[key]
    now = ctx.now()
    _documents.put(ctx.store, pool["Id"], KIND, name, document, now)
    return {"Group": _shape(pool["Id"], name, document, created, now)}


@action("DeleteGroup", fields=[_GROUP, POOL], public=False)
def delete_group(ctx, body):
    """DeleteGroup: the group and its memberships (users stay)."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    if not _documents.delete(ctx.store, pool["Id"], KIND, body["GroupName"]):
        raise _errors.ResourceNotFound(GROUP_NOT_FOUND)
    ctx.store.run(
        "DELETE FROM group_members WHERE pool_id = ? AND group_name = ?",
        (pool["Id"], body["GroupName"]),
    )
    return {}


@action("ListGroups", fields=[POOL, *_PAGING], public=False)
def list_groups(ctx, body):
    """ListGroups: the pool's groups by name."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    size = _documents.limit(body)
    rows = _documents.all_of(ctx.store, pool["Id"], KIND)
    chosen, token = _documents.page(rows, lambda row: [row[0]], size, body.get("NextToken"))
    groups = [_shape(pool["Id"], *row) for row in chosen]
    return _answer(groups, token, "Groups")


@action("AdminAddUserToGroup", fields=[POOL, _USERNAME, _GROUP], public=False)
def admin_add_user_to_group(ctx, body):
    """AdminAddUserToGroup: add a user to a group (already a member: no change)."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    user = _documents.user(ctx, pool, body["Username"])
    name = body["GroupName"]
    _group(ctx, pool["Id"], name)
    member = ctx.store.one(
        "SELECT 1 FROM group_members WHERE pool_id = ? AND group_name = ? AND sub = ?",
        (pool["Id"], name, user.sub),
    )
    if member is not None:
        return {}
    count = ctx.store.one("SELECT count(*) AS n FROM group_members WHERE sub = ?",
                          (user.sub,))["n"]  # fmt: skip
    if count >= MAX_GROUPS_PER_USER:
        raise _errors.LimitExceeded(
            "A user can be a member of at most %d groups." % MAX_GROUPS_PER_USER
        )
    ctx.store.run(
        "INSERT INTO group_members (pool_id, group_name, sub, added) VALUES (?, ?, ?, ?)",
        (pool["Id"], name, user.sub, ctx.now()),
    )
    return {}


@action("AdminRemoveUserFromGroup", fields=[POOL, _USERNAME, _GROUP], public=False)
def admin_remove_user_from_group(ctx, body):
    """AdminRemoveUserFromGroup: take a user out of a group (not a member: no change)."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    user = _documents.user(ctx, pool, body["Username"])
    _group(ctx, pool["Id"], body["GroupName"])
    ctx.store.run(
        "DELETE FROM group_members WHERE pool_id = ? AND group_name = ? AND sub = ?",
        (pool["Id"], body["GroupName"], user.sub),
    )
    return {}


@action("AdminListGroupsForUser", fields=[_USERNAME, POOL, *_PAGING], public=False)
def admin_list_groups_for_user(ctx, body):
    """AdminListGroupsForUser: the groups a user is in, by name."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    user = _documents.user(ctx, pool, body["Username"])
    size = _documents.limit(body)
    rows = groups_of(ctx.store, pool["Id"], user.sub)
    chosen, token = _documents.page(rows, lambda row: [row[0]], size, body.get("NextToken"))
    return _answer([_shape(pool["Id"], *row) for row in chosen], token, "Groups")


@action("ListUsersInGroup", fields=[POOL, _GROUP, *_PAGING], public=False)
def list_users_in_group(ctx, body):
    """ListUsersInGroup: the group's members, oldest membership first."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    size = _documents.limit(body)
    _group(ctx, pool["Id"], body["GroupName"])
    rows = ctx.store.all(
        "SELECT u.*, m.added AS member_added FROM group_members m JOIN users u ON u.sub = m.sub"
        " WHERE m.pool_id = ? AND m.group_name = ?",
        (pool["Id"], body["GroupName"]),
    )
    members = [(row["member_added"], row["sub"], row) for row in rows]
    chosen, token = _documents.page(members, lambda item: [item[0], item[1]], size,
                                    body.get("NextToken"))  # fmt: skip
    users = []
    for _, _, row in chosen:
        user = User.from_row({key: row[key] for key in row.keys() if key != "member_added"})
        shape = {
            "Username": user.username,
            "Attributes": _attributes.visible_attributes(user),
            "UserCreateDate": user.created,
            "UserLastModifiedDate": user.modified,
            "Enabled": bool(user.enabled),
            "UserStatus": user.status,
        }
        if user.extra.get("MFAOptions"):
            shape["MFAOptions"] = user.extra["MFAOptions"]
        users.append(shape)
    return _answer(users, token, "Users")
