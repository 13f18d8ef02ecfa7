"""The user-facing account actions: sign-up, confirmation, passwords, attributes.

SignUp, ConfirmSignUp, ResendConfirmationCode, ForgotPassword and
ConfirmForgotPassword are addressed by ClientId and Username; the others by an
access token (``_sessions.authenticate``).
"""

import re
import uuid

from . import _accounts, _attributes, _codes, _errors, _existence, _sessions, _srp_server
from ._registry import CODE_PATTERN, USERNAME_PATTERN, Field, action

_PASSWORD_PATTERN = (r"^\S(.*\S)?$", r"^[\S]+.*[\S]+$")
_CLIENT = Field("ClientId", required=True, min_len=1, max_len=128)
_USERNAME = Field("Username", required=True, min_len=1, max_len=128, pattern=USERNAME_PATTERN)
_SECRET_HASH = Field("SecretHash", min_len=1, max_len=128)
_TOKEN = Field("AccessToken", required=True, max_len=16384)
_CODE = Field("ConfirmationCode", required=True, min_len=1, max_len=2048, pattern=CODE_PATTERN)
_EXTRAS = [
    Field("ClientMetadata", "map"),
    Field("AnalyticsMetadata", "object"),
    Field("UserContextData", "object"),
]


def _password_field(name, required=True):
    return Field(name, required=required, max_len=256, pattern=_PASSWORD_PATTERN)


def _looks_like_email(name):
    return "@" in name


def _looks_like_phone(name):
    return re.match(r"^\+[0-9]+$", name) is not None


def _client_user(ctx, body, unknown_message=_errors.USER_CLIENT_NOT_FOUND):
    """(pool, client, user) for a ClientId + Username request, SecretHash checked.

    Returns:
        user is None only for clients with PreventUserExistenceErrors=ENABLED.
    """
    pool, client = _accounts.get_client(ctx, body["ClientId"])
    user = _accounts.find_user(ctx, pool, body["Username"])
    _accounts.check_secret_hash(
        client, body.get("SecretHash"), _accounts.user_names(user, body["Username"])
    )
    if user is None and not _accounts.prevents_existence_errors(client):
        raise _errors.UserNotFound(unknown_message)
    return pool, client, user


@action(
    "SignUp",
    fields=[
        _CLIENT, _USERNAME, _password_field("Password"), _SECRET_HASH,
        Field("UserAttributes", "attributes"), Field("ValidationData", "attributes"), *_EXTRAS,
    ],
)  # fmt: skip
def sign_up(ctx, body):
    """SignUp: create an UNCONFIRMED user and send the confirmation code if the pool
    auto-verifies an address the user gave."""
    pool, client = _accounts.get_client(ctx, body["ClientId"])
    name = body["Username"]
    _accounts.check_secret_hash(client, body.get("SecretHash"), [name])
    by_attribute = pool["UsernameAttributes"]
    taken_by = None
    if by_attribute:
        if "email" in by_attribute and _looks_like_email(name):
            taken_by = "email"
        elif "phone_number" in by_attribute and _looks_like_phone(name):
            taken_by = "phone_number"
        elif by_attribute == ["email"]:
            raise _errors.InvalidParameter("Username should be an email.")
        elif by_attribute == ["phone_number"]:
            raise _errors.InvalidParameter("Username should be a phone number.")
        else:
            raise _errors.InvalidParameter("Username should be either an email or a phone number.")
    elif "email" in pool["AliasAttributes"] and _looks_like_email(name):
        raise _errors.InvalidParameter(
            "Username cannot be of email format, since user pool is configured for email alias."
        )
    elif "phone_number" in pool["AliasAttributes"] and _looks_like_phone(name):
        raise _errors.InvalidParameter(
            "Username cannot be of phone number format, since user pool is configured for "
            "phone number alias."
        )
    attributes = _attributes.check_attributes(pool, client, body.get("UserAttributes"))
    if taken_by:
        # The username is the email or phone number; the internal username is the sub.
        attributes.update(
            _attributes.check_attributes(pool, client, [{"Name": taken_by, "Value": name}])
        )
        if ctx.store.users_with_attribute(pool["Id"], taken_by, name):
            raise _errors.UsernameExists("An account with the given %s already exists." % taken_by)
        username = None
    else:
        if ctx.store.get_user(pool["Id"], _accounts.username_key(pool, name)):
            raise _errors.UsernameExists("User already exists")
        username = name
    _accounts.check_password_policy(pool, body["Password"])
    _attributes.check_required(pool, attributes)
    for flag in ("email_verified", "phone_number_verified"):
        if flag[: -len("_verified")] in attributes:
            attributes[flag] = "false"
    if username is None:
        username = attributes["sub"] = str(uuid.uuid4())
    user = _accounts.new_user(ctx, pool, username, attributes, body["Password"], "UNCONFIRMED")
    answer = {"UserConfirmed": False, "UserSub": user.sub}
    target = _codes.signup_target(pool, user)
    if target is not None:
        answer["CodeDeliveryDetails"] = _codes.send_code(
            ctx, pool, user, "signup", "signup", target, _codes.SIGNUP_CODE_TTL
        )
    return answer


def _verify_alias(ctx, pool, user, attribute, force):
    """Mark ``attribute`` verified, taking the alias from another user only if forced."""
    if attribute is None:
        return
    other = _attributes.alias_owner(ctx, pool, user, attribute)
    if other is not None:
        if not force:
            raise _errors.AliasExists("An account with the %s already exists." % attribute)
        other.attributes[attribute + "_verified"] = "false"
        other.modified = ctx.now()
        ctx.store.save_user(other)
    user.attributes[attribute + "_verified"] = "true"


@action(
    "ConfirmSignUp",
    fields=[_CLIENT, _USERNAME, _CODE, _SECRET_HASH, Field("ForceAliasCreation", "boolean"),
            *_EXTRAS],
)  # fmt: skip
def confirm_sign_up(ctx, body):
    """ConfirmSignUp: check the code, make the user CONFIRMED and its address verified."""
    pool, _, user = _client_user(ctx, body)
    if user is None:
        raise _errors.CodeMismatch(_errors.CODE_MISMATCH)
    if user.status != "UNCONFIRMED":
        raise _errors.NotAuthorized("User cannot be confirmed. Current status is %s" % user.status)
    attribute = _codes.check_code(ctx, user, "signup", body["ConfirmationCode"])
    _verify_alias(ctx, pool, user, attribute, body.get("ForceAliasCreation") is True)
    user.status = "CONFIRMED"
    user.modified = ctx.now()
    ctx.store.save_user(user)
    return {}


@action("ResendConfirmationCode", fields=[_CLIENT, _USERNAME, _SECRET_HASH, *_EXTRAS])
def resend_confirmation_code(ctx, body):
    """ResendConfirmationCode: a new sign-up code (the old one stops working)."""
    pool, _, user = _client_user(ctx, body)
    if user is None:
        return {"CodeDeliveryDetails": _existence.fake_delivery(ctx, pool, body["Username"])}
    if user.status != "UNCONFIRMED":
        raise _errors.InvalidParameter("User is already confirmed.")
    target = _codes.signup_target(pool, user)
    if target is None:
        raise _errors.InvalidParameter("Cannot resend codes. Auto verification not turned on.")
    details = _codes.send_code(ctx, pool, user, "signup", "signup", target, _codes.SIGNUP_CODE_TTL)
    return {"CodeDeliveryDetails": details}


@action("ForgotPassword", fields=[_CLIENT, _USERNAME, _SECRET_HASH, *_EXTRAS])
def forgot_password(ctx, body):
    """ForgotPassword: send a reset code to a verified email or phone number."""
    pool, _, user = _client_user(ctx, body)
    if user is None:
        return {"CodeDeliveryDetails": _existence.fake_delivery(ctx, pool, body["Username"])}
    if not user.enabled:
        raise _errors.NotAuthorized("User is disabled.")
    target = _codes.delivery_target(user, ("email", "phone_number"), verified_only=True)
    if target is None:
        raise _errors.InvalidParameter(
            "Cannot reset password for the user as there is no registered/verified email or "
            "phone_number"
        )
    details = _codes.send_code(
        ctx, pool, user, "forgot_password", "forgot_password", target, _codes.FORGOT_CODE_TTL
    )
    return {"CodeDeliveryDetails": details}


@action(
    "ConfirmForgotPassword",
    fields=[_CLIENT, _USERNAME, _CODE, _password_field("Password"), _SECRET_HASH, *_EXTRAS],
)
def confirm_forgot_password(ctx, body):
    """ConfirmForgotPassword: check the reset code and set the new password."""
    pool, _, user = _client_user(ctx, body)
    if user is None:
        raise _errors.CodeMismatch(_errors.CODE_MISMATCH)
    _accounts.check_password_policy(pool, body["Password"])
    _codes.check_code(ctx, user, "forgot_password", body["ConfirmationCode"])
    _accounts.set_password(ctx, pool, user, body["Password"])
    if user.status == "RESET_REQUIRED":
        user.status = "CONFIRMED"
    ctx.store.save_user(user)
    return {}


@action(
    "ChangePassword",
    fields=[_password_field("PreviousPassword"), _password_field("ProposedPassword"), _TOKEN],
)
def change_password(ctx, body):
    """ChangePassword: the signed-in user replaces the password, proving the old one."""
    pool, user, _ = _sessions.authenticate(ctx, body["AccessToken"])
    _accounts.check_not_locked(ctx, user)
    if not _srp_server.check_password(
        _accounts.pool_name(pool),
        user.username,
        body["PreviousPassword"],
        user.salt,
        user.verifier,
    ):
        _accounts.record_failure(ctx, user)
        raise _errors.NotAuthorized(_errors.INCORRECT_CREDENTIALS)
    _accounts.check_password_policy(pool, body["ProposedPassword"])
    _accounts.set_password(ctx, pool, user, body["ProposedPassword"])
    ctx.store.save_user(user)
    return {}


@action("GetUser", fields=[_TOKEN])
def get_user(ctx, body):
    """GetUser: the signed-in user's username and attributes."""
    _, user, claims = _sessions.authenticate(ctx, body["AccessToken"])
    client = ctx.store.get_client(str(claims.get("client_id")))
    answer = {
        "Username": user.username,
        "UserAttributes": _attributes.visible_attributes(user, client),
    }
    # MFA settings come from ``user.extra`` (written by the MFA actions).
    for key in ("MFAOptions", "PreferredMfaSetting", "UserMFASettingList"):
        if user.extra.get(key):
            answer[key] = user.extra[key]
    return answer


_ATTRIBUTE_NAME = Field("AttributeName", required=True, min_len=1, max_len=32)


@action("GetUserAttributeVerificationCode", fields=[_TOKEN, _ATTRIBUTE_NAME, *_EXTRAS])
def get_user_attribute_verification_code(ctx, body):
    """GetUserAttributeVerificationCode: send a code that verifies email or phone_number."""
    pool, user, _ = _sessions.authenticate(ctx, body["AccessToken"])
    name = body["AttributeName"]
    if name not in ("email", "phone_number"):
        raise _errors.InvalidParameter("Invalid attribute name %s." % name)
    target = _codes.delivery_target(user, (name,))
    if target is None:
        raise _errors.InvalidParameter("Requested attribute %s is not present." % name)
    details = _codes.send_code(
        ctx, pool, user, "verify:" + name, "verify_attribute", target, _codes.VERIFY_CODE_TTL
    )
    return {"CodeDeliveryDetails": details}


@action(
    "VerifyUserAttribute",
    fields=[_TOKEN, _ATTRIBUTE_NAME, Field("Code", required=True, min_len=1, max_len=2048,
                                          pattern=CODE_PATTERN)],
)  # fmt: skip
def verify_user_attribute(ctx, body):
    """VerifyUserAttribute: check the code and mark the attribute verified."""
    pool, user, _ = _sessions.authenticate(ctx, body["AccessToken"])
    name = body["AttributeName"]
    if name not in ("email", "phone_number"):
        raise _errors.InvalidParameter("Invalid attribute name %s." % name)
    attribute = _codes.check_code(ctx, user, "verify:" + name, body["Code"])
    _verify_alias(ctx, pool, user, attribute or name, False)
    user.modified = ctx.now()
    ctx.store.save_user(user)
    return {}


@action(
    "UpdateUserAttributes",
    fields=[Field("UserAttributes", "attributes", required=True), _TOKEN, *_EXTRAS],
)
def update_user_attributes(ctx, body):
    """UpdateUserAttributes: change attributes; a changed email or phone number becomes
    unverified and, when the pool auto-verifies it, gets a verification code."""
    pool, user, claims = _sessions.authenticate(ctx, body["AccessToken"])
    client = ctx.store.get_client(str(claims.get("client_id"))) or {}
    changes = _attributes.check_attributes(pool, client, body["UserAttributes"], updating=True)
    changed_addresses = []
    for name, value in changes.items():
        if (
            name in pool["UsernameAttributes"]
            and value
            and any(
                other.sub != user.sub
                for other in ctx.store.users_with_attribute(pool["Id"], name, value)
            )
        ):
            # Here the address is a sign-in name: it must stay unique.
            raise _errors.AliasExists("An account with the given %s already exists." % name)
        if name in ("email", "phone_number") and user.attributes.get(name) != value:
            changed_addresses.append(name)
            user.attributes[name + "_verified"] = "false"
        if value == "":
            user.attributes.pop(name, None)
        else:
            user.attributes[name] = value
    _attributes.check_required(pool, user.attributes)
    user.modified = ctx.now()
    ctx.store.save_user(user)
    details = []
    for name in changed_addresses:
        if name in pool["AutoVerifiedAttributes"] and user.attributes.get(name):
            target = _codes.delivery_target(user, (name,))
            details.append(
                _codes.send_code(
                    ctx, pool, user, "verify:" + name, "verify_attribute", target,
                    _codes.VERIFY_CODE_TTL,
                )
            )  # fmt: skip
    return {"CodeDeliveryDetailsList": details} if details else {}


def _unauthorized(name):
    return _errors.NotAuthorized("A client attempted to write unauthorized attribute")


@action(
    "DeleteUserAttributes",
    fields=[Field("UserAttributeNames", "strings", required=True), _TOKEN],
)
def delete_user_attributes(ctx, body):
    """DeleteUserAttributes: remove attributes (never sub or a required one)."""
    pool, user, _ = _sessions.authenticate(ctx, body["AccessToken"])
    _attributes.delete_attributes(pool, user, body["UserAttributeNames"], _unauthorized)
    user.modified = ctx.now()
    ctx.store.save_user(user)
    return {}


@action("DeleteUser", fields=[_TOKEN])
def delete_user(ctx, body):
    """DeleteUser: the signed-in user deletes their own account (and its tokens)."""
    _, user, _ = _sessions.authenticate(ctx, body["AccessToken"])
    ctx.store.delete_user(user.sub)
    return {}
