"""The admin API for users: AdminCreateUser, AdminGetUser, AdminConfirmSignUp,
AdminSetUserPassword, AdminDeleteUser, AdminUpdateUserAttributes,
AdminDeleteUserAttributes, AdminDisableUser, AdminEnableUser, AdminResetUserPassword,
AdminUserGlobalSignOut, and ListUsers with its Filter.

Choices where Cognito's behaviour was not found or is not emulated:

* AdminCreateUser refuses a user without the pool's required attributes, as
  Cognito does today (aws-amplify/amplify-backend#3117); the temporary password,
  generated when absent, goes to the outbox as an ``invitation`` message (its
  ``code`` is the password) by the DesiredDeliveryMediums (default SMS) the user has
  an address for, else by any address the user has; it is never printed on the
  console.
* ListUsers pages through users oldest first; a pagination token is opaque.
"""

import re
import secrets
import string
import uuid

from . import _accounts, _attributes, _codes, _config, _errors
from ._admin import (
    _METADATA,
    _POOL,
    _USERNAME,
    DEFAULT_PAGE,
    _admin_client,
    _page,
    _pool,
    _user,
    _user_shape,
)  # fmt: skip
from ._registry import Field, action
from ._store import User

_PASSWORD_PATTERN = (r"^\S(.*\S)?$", r"^[\S]+.*[\S]+$")
_SEARCHABLE = (
    "username", "email", "phone_number", "name", "given_name", "family_name",
    "preferred_username", "cognito:user_status", "status", "sub",
)  # fmt: skip
_FILTER = re.compile(r'^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$', re.S)


def _temporary_password(pool):
    policy = pool["Policies"]["PasswordPolicy"]
    size = max(policy["MinimumLength"], 12)
    symbols = "^$*.[]{}()?!@#%&/,><:;|_~=+-"
    alphabet = string.ascii_letters + string.digits + symbols
    while True:
        chosen = [
            secrets.choice(string.ascii_uppercase), secrets.choice(string.ascii_lowercase),
            secrets.choice(string.digits), secrets.choice(symbols),
        ]  # fmt: skip
        chosen += [secrets.choice(alphabet) for _ in range(size - len(chosen))]
        secrets.SystemRandom().shuffle(chosen)
        password = "".join(chosen)
        if password[0] != " " and password[-1] != " ":
            return password


def _send_invitation(ctx, pool, user, password, mediums):
    """Put the invitation (with the temporary password) in the outbox."""
    by_medium = {"EMAIL": "email", "SMS": "phone_number"}
    targets = [
        (by_medium[medium], medium, user.attributes[by_medium[medium]])
        for medium in mediums
        if user.attributes.get(by_medium[medium])
    ]
    if not targets:
        fallback = _codes.delivery_target(user, ("email", "phone_number"))
        targets = [fallback] if fallback else [(None, "NONE", "")]
    now = ctx.now()
    for _, medium, address in targets:
        ctx.store.add_message(pool["Id"], user.username, "invitation", address, password, now)
        ctx.print(
            "[outbox] invitation for %s in %s, to %s (%s); the temporary password is in "
            "/_emulator/messages" % (user.username, pool["Id"], address or "nobody", medium)
        )


def _take_alias(ctx, pool, user, force):
    """For each verified alias of a new user, take it over (force) or refuse."""
    for attribute in ("email", "phone_number"):
        if user.attributes.get(attribute + "_verified") != "true":
            continue
        other = _attributes.alias_owner(ctx, pool, user, attribute)
        if other is None:
            continue
        if not force:
            raise _errors.AliasExists("An account with the %s already exists." % attribute)
        other.attributes[attribute + "_verified"] = "false"
        other.modified = ctx.now()
        ctx.store.save_user(other)


@action(
    "AdminCreateUser",
    fields=[
        _POOL, _USERNAME, Field("UserAttributes", "attributes"),
        Field("ValidationData", "attributes"),
        Field("TemporaryPassword", max_len=256, pattern=_PASSWORD_PATTERN),
        Field("ForceAliasCreation", "boolean"),
        Field("MessageAction", choices=["RESEND", "SUPPRESS"]),
        Field("DesiredDeliveryMediums", "strings"), _METADATA,
    ],
    public=False,
)  # fmt: skip
def admin_create_user(ctx, body):
    """AdminCreateUser: a FORCE_CHANGE_PASSWORD user with a temporary password."""
    pool = _pool(ctx, body["UserPoolId"])
    name = body["Username"]
    mediums = body.get("DesiredDeliveryMediums") or ["SMS"]
    if any(medium not in ("SMS", "EMAIL") for medium in mediums):
        raise _errors.InvalidParameter("DesiredDeliveryMediums must be SMS or EMAIL.")
    password = body.get("TemporaryPassword")
    if password is not None:
        _accounts.check_password_policy(pool, password)
    else:
        password = _temporary_password(pool)
    if body.get("MessageAction") == "RESEND":
        user = _user(ctx, pool, name)
        if user.status != "FORCE_CHANGE_PASSWORD":
            raise _errors.ServiceError(
                "UnsupportedUserStateException",
                "Resend not possible. %s status is not FORCE_CHANGE_PASSWORD" % user.username,
            )
        _accounts.set_temporary_password(ctx, pool, user, password)
        ctx.store.save_user(user)
        _send_invitation(ctx, pool, user, password, mediums)
        return {"User": _user_shape(user)}
    attributes = _attributes.check_attributes(pool, _admin_client(pool), body.get("UserAttributes"))
    username = name
    by_attribute = pool["UsernameAttributes"]
    if by_attribute:
        if "email" in by_attribute and "@" in name:
            kind = "email"
        elif "phone_number" in by_attribute and re.match(r"^\+[0-9]+$", name):
            kind = "phone_number"
        else:
            raise _errors.InvalidParameter(
                "Username should be %s." % " or ".join(
                    {"email": "an email", "phone_number": "a phone number"}[item]
                    for item in by_attribute
                )
            )  # fmt: skip
        if attributes.get(kind) and attributes[kind] != name:
            raise _errors.InvalidParameter("The %s attribute must match the username." % kind)
        attributes.update(
            _attributes.check_attributes(pool, _admin_client(pool), [{"Name": kind, "Value": name}])
        )
        if ctx.store.users_with_attribute(pool["Id"], kind, name):
            raise _errors.UsernameExists("User account already exists")
        username = None
    else:
        if "@" in name and "email" in pool["AliasAttributes"]:
            raise _errors.InvalidParameter(
                "Username cannot be of email format, since user pool is configured for email alias."
            )
        if re.match(r"^\+[0-9]+$", name) and "phone_number" in pool["AliasAttributes"]:
            raise _errors.InvalidParameter(
                "Username cannot be of phone number format, since user pool is configured for "
                "phone number alias."
            )
        if ctx.store.get_user(pool["Id"], _accounts.username_key(pool, name)):
            raise _errors.UsernameExists("User account already exists")
    attributes = {key: value for key, value in attributes.items() if value != ""}
    _attributes.check_required(pool, attributes)
    for flag in _config.VERIFIED_FLAGS:
        if flag[: -len("_verified")] in attributes:
            attributes.setdefault(flag, "false")
    if username is None:
        username = attributes["sub"] = str(uuid.uuid4())
    user = _accounts.new_user(ctx, pool, username, attributes, None, "FORCE_CHANGE_PASSWORD")
    _take_alias(ctx, pool, user, body.get("ForceAliasCreation") is True)
    _accounts.set_temporary_password(ctx, pool, user, password)
    ctx.store.save_user(user)
    if body.get("MessageAction") != "SUPPRESS":
        _send_invitation(ctx, pool, user, password, mediums)
    return {"User": _user_shape(user)}


_POOL_USER = [_POOL, _USERNAME]


@action("AdminGetUser", fields=_POOL_USER, public=False)
def admin_get_user(ctx, body):
    """AdminGetUser: the user's attributes, status and MFA settings."""
    user = _user(ctx, _pool(ctx, body["UserPoolId"]), body["Username"])
    answer = _user_shape(user, "UserAttributes")
    for key in ("PreferredMfaSetting", "UserMFASettingList"):
        if user.extra.get(key):
            answer[key] = user.extra[key]
    return answer


@action("AdminConfirmSignUp", fields=[*_POOL_USER, _METADATA], public=False)
def admin_confirm_sign_up(ctx, body):
    """AdminConfirmSignUp: confirm an UNCONFIRMED user without a code (addresses stay
    unverified)."""
    user = _user(ctx, _pool(ctx, body["UserPoolId"]), body["Username"])
    if user.status != "UNCONFIRMED":
        raise _errors.NotAuthorized("User cannot be confirmed. Current status is %s" % user.status)
    user.status = "CONFIRMED"
    user.modified = ctx.now()
    ctx.store.delete_code(user.sub, "signup")
    ctx.store.save_user(user)
    return {}


@action(
    "AdminSetUserPassword",
    fields=[*_POOL_USER,
            Field("Password", required=True, max_len=256, pattern=_PASSWORD_PATTERN),
            Field("Permanent", "boolean")],
    public=False,
)  # fmt: skip
def admin_set_user_password(ctx, body):
    """AdminSetUserPassword: a permanent password (CONFIRMED) or a temporary one
    (FORCE_CHANGE_PASSWORD)."""
    pool = _pool(ctx, body["UserPoolId"])
    user = _user(ctx, pool, body["Username"])
    _accounts.check_password_policy(pool, body["Password"])
    if body.get("Permanent"):
        _accounts.set_password(ctx, pool, user, body["Password"])
        user.status = "CONFIRMED"
        user.extra.pop("temporary_password_expires", None)
    else:
        _accounts.set_temporary_password(ctx, pool, user, body["Password"])
    ctx.store.save_user(user)
    return {}


@action("AdminDeleteUser", fields=_POOL_USER, public=False)
def admin_delete_user(ctx, body):
    """AdminDeleteUser: the user, its codes and its tokens."""
    user = _user(ctx, _pool(ctx, body["UserPoolId"]), body["Username"])
    ctx.store.run("DELETE FROM challenges WHERE sub = ?", (user.sub,))
    ctx.store.delete_user(user.sub)
    return {}


@action(
    "AdminUpdateUserAttributes",
    fields=[*_POOL_USER, Field("UserAttributes", "attributes", required=True), _METADATA],
    public=False,
)
def admin_update_user_attributes(ctx, body):
    """AdminUpdateUserAttributes: change attributes, verified flags included; a changed
    email or phone number is unverified unless the request verifies it, and gets a
    code when the pool auto-verifies it."""
    pool = _pool(ctx, body["UserPoolId"])
    user = _user(ctx, pool, body["Username"])
    changes = _attributes.check_attributes(
        pool, _admin_client(pool), body["UserAttributes"], updating=True
    )
    to_verify = []
    for name in ("email", "phone_number"):
        value = changes.get(name)
        if value is None or value == user.attributes.get(name):
            continue
        if (
            value
            and name in pool["UsernameAttributes"]
            and any(
                other.sub != user.sub
                for other in ctx.store.users_with_attribute(pool["Id"], name, value)
            )
        ):
            raise _errors.AliasExists("An account with the given %s already exists." % name)
        if name + "_verified" not in changes:
            changes[name + "_verified"] = "false"
            if value and name in pool["AutoVerifiedAttributes"]:
                to_verify.append(name)
    for name, value in changes.items():
        if value == "":
            user.attributes.pop(name, None)
        else:
            user.attributes[name] = value
    _take_alias(ctx, pool, user, False)
    _attributes.check_required(pool, user.attributes)
    user.modified = ctx.now()
    ctx.store.save_user(user)
    for name in to_verify:
        _codes.send_code(
            ctx, pool, user, "verify:" + name, "verify_attribute",
            _codes.delivery_target(user, (name,)), _codes.VERIFY_CODE_TTL,
        )  # fmt: skip
    return {}


def _immutable(name):
    return _errors.InvalidParameter(
        "Attributes did not conform to the schema: %s: Attribute cannot be updated. "
        "(changing an immutable attribute)" % name
    )


@action(
    "AdminDeleteUserAttributes",
    fields=[*_POOL_USER, Field("UserAttributeNames", "strings", required=True)],
    public=False,
)
def admin_delete_user_attributes(ctx, body):
    """AdminDeleteUserAttributes: remove attributes (never sub or a required one)."""
    pool = _pool(ctx, body["UserPoolId"])
    user = _user(ctx, pool, body["Username"])
    _attributes.delete_attributes(pool, user, body["UserAttributeNames"], _immutable)
    user.modified = ctx.now()
    ctx.store.save_user(user)
    return {}


@action("AdminDisableUser", fields=_POOL_USER, public=False)
def admin_disable_user(ctx, body):
    """AdminDisableUser: the user cannot sign in, and every token of theirs is revoked."""
    user = _user(ctx, _pool(ctx, body["UserPoolId"]), body["Username"])
    user.enabled = False
    user.modified = ctx.now()
    ctx.store.save_user(user)
    ctx.store.revoke_user_families(user.sub, ctx.now())
    return {}


@action("AdminEnableUser", fields=_POOL_USER, public=False)
def admin_enable_user(ctx, body):
    """AdminEnableUser: the user can sign in again (old tokens stay revoked)."""
    user = _user(ctx, _pool(ctx, body["UserPoolId"]), body["Username"])
    user.enabled = True
    user.modified = ctx.now()
    ctx.store.save_user(user)
    return {}


@action("AdminResetUserPassword", fields=[*_POOL_USER, _METADATA], public=False)
def admin_reset_user_password(ctx, body):
    """AdminResetUserPassword: RESET_REQUIRED, and a reset code to a verified address
    (the user then calls ConfirmForgotPassword)."""
    pool = _pool(ctx, body["UserPoolId"])
    user = _user(ctx, pool, body["Username"])
    target = _codes.delivery_target(user, ("email", "phone_number"), verified_only=True)
    if target is None:
        raise _errors.InvalidParameter(
            "Cannot reset password for the user as there is no registered/verified email or "
            "phone_number"
        )
    if user.status != "UNCONFIRMED":
        user.status = "RESET_REQUIRED"
    user.modified = ctx.now()
    ctx.store.save_user(user)
    _codes.send_code(
        ctx, pool, user, "forgot_password", "forgot_password", target, _codes.FORGOT_CODE_TTL
    )
    return {}


@action("AdminUserGlobalSignOut", fields=_POOL_USER, public=False)
def admin_user_global_sign_out(ctx, body):
    """AdminUserGlobalSignOut: revoke every refresh token of the user and their access
    tokens."""
    user = _user(ctx, _pool(ctx, body["UserPoolId"]), body["Username"])
    ctx.store.revoke_user_families(user.sub, ctx.now())
    return {}


# ListUsers ---------------------------------------------------------------------------


def _parse_filter(pool, text):
    """A ListUsers Filter as a predicate on users (None: every user)."""
    if not text.strip():
        return None
    match = _FILTER.match(text)
    if match is None:
        raise _errors.InvalidParameter("Error while parsing filter.")
    name, operator, value = match.groups()
    value = re.sub(r"\\(.)", r"\1", value)
    if name not in _SEARCHABLE:
        raise _errors.InvalidParameter("Invalid search attribute: %s" % name)
    case_blind = name == "cognito:user_status" or (
        name == "username" and not pool["UsernameConfiguration"]["CaseSensitive"]
    )

    def field(user):
        if name == "username":
            return user.username
        if name == "cognito:user_status":
            return user.status
        if name == "status":
            return "Enabled" if user.enabled else "Disabled"
        return user.attributes.get(name)

    def matches(user):
        actual = field(user)
        if actual is None:
            return False
        wanted = value
        if case_blind:
            actual, wanted = actual.lower(), wanted.lower()
        return actual.startswith(wanted) if operator == "^=" else actual == wanted

    return matches


@action(
    "ListUsers",
    fields=[
        _POOL, Field("AttributesToGet", "strings"), Field("Limit", "integer"),
        Field("PaginationToken", min_len=1, pattern=(r"^\S+$", r"[\S]+")),
        Field("Filter", max_len=256),
    ],
    public=False,
)  # fmt: skip
def list_users(ctx, body):
    """ListUsers: users oldest first, filtered (``name = "v"`` / ``name ^= "v"``),
    ``Limit`` (default and most 60) at a time, with only ``AttributesToGet``."""
    pool = _pool(ctx, body["UserPoolId"])
    limit = body.get("Limit")
    if limit is not None and not 0 <= limit <= 60:
        raise _errors.InvalidParameter(
            "1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: "
            "Member must have value less than or equal to 60" % limit
            if limit > 60 else "Limit must be from 0 to 60."
        )  # fmt: skip
    limit = limit or DEFAULT_PAGE
    names = body.get("AttributesToGet")
    if names is not None:
        unknown = [name for name in names if name not in pool["Schema"]]
        if unknown:
            raise _errors.InvalidParameter(
                "One or more requested attributes do not exist: %s" % ", ".join(unknown[:5])
            )
    predicate = _parse_filter(pool, body.get("Filter") or "")
    rows = ctx.store.all(
        "SELECT * FROM users WHERE pool_id = ? ORDER BY created, sub", (pool["Id"],)
    )
    users = [User.from_row(row) for row in rows]
    if predicate is not None:
        users = [user for user in users if predicate(user)]
    page, token = _page(users, lambda user: (user.created, user.sub), limit,
                        body.get("PaginationToken"))  # fmt: skip
    answer = {"Users": [_user_shape(user, names=names) for user in page]}
    if token:
        answer["PaginationToken"] = token
    return answer
