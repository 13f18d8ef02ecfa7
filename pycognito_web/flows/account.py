"""The signed-in user's account and self-service: data, attributes, passwords, sign-out,
deletion, revocation and the refresh of a session.

Theory of operation
-------------------
Each function is a flow (see ``flows``): it checks its arguments, asks for the access
token where the action needs one (``TOKEN``), sends one request and returns what the
caller gets: the answer checked by its reader, or ``"SUCCESS"`` as the original SDK's
callbacks have it. Field order is the original's, so bodies match it byte for byte.
The readers take any JSON and give a checked value or an ``InvalidResponseError``.
"""

from .. import _validate
from ..errors import InvalidParameterError, InvalidResponseError
from . import TOKEN, call
from .context import SUCCESS, answer_object, auth_result, optional_field


def _metadata(value):
    return _validate.optional_dict(value, "client_metadata")


# -- readers --------------------------------------------------------------------------------


def attribute_list(answer: "object") -> "list":
    """GetUser's UserAttributes: a list of ``{"Name": str, "Value": str}``.

    Raises:
        InvalidResponseError: when it is missing or another shape.
    """
    items = answer.get("UserAttributes") if isinstance(answer, dict) else None
    if not isinstance(items, list) or not all(
        isinstance(a, dict)
        and isinstance(a.get("Name"), str)
        and isinstance(a.get("Value", ""), str)
        for a in items
    ):
        raise InvalidResponseError("GetUser answer has no UserAttributes list")
    return items


def attributes(answer: "object") -> "dict":
    """GetUser's attributes as ``{name: value}``, in the service's order."""
    return {a["Name"]: a.get("Value", "") for a in attribute_list(answer)}


def mfa_options(answer: "object") -> "object":
    """GetUser's legacy MFAOptions (a list of objects), or None when unset."""
    options = optional_field(answer_object(answer, "GetUser"), "MFAOptions", list, "GetUser")
    if options is not None and not all(isinstance(o, dict) for o in options):
        raise InvalidResponseError("GetUser.MFAOptions is not a list of objects")
    return options


# -- the user's data ------------------------------------------------------------------------


def get_user():
    """GetUser: Username, UserAttributes, MFAOptions, ... (the answer)."""
    answer = yield call("GetUser", {"AccessToken": (yield TOKEN)})
    return answer_object(answer, "GetUser")


def update_attributes(items, metadata=None):
    """UpdateUserAttributes; returns the answer (CodeDeliveryDetailsList when a changed
    email or phone needs verifying)."""
    items = _validate.attributes(items)
    if not items:
        raise InvalidParameterError("attributes must name at least one attribute")
    metadata = _metadata(metadata)
    body = {"AccessToken": (yield TOKEN), "UserAttributes": items, "ClientMetadata": metadata}
    return answer_object((yield call("UpdateUserAttributes", body)), "UpdateUserAttributes")


def delete_attributes(names):
    """DeleteUserAttributes by name; returns ``"SUCCESS"``."""
    names = _validate.names(names, "attribute names")
    yield call("DeleteUserAttributes", {"UserAttributeNames": names, "AccessToken": (yield TOKEN)})
    return SUCCESS


def get_attribute_verification_code(name, metadata=None):
    """GetUserAttributeVerificationCode; returns the answer (CodeDeliveryDetails)."""
    body = {"AttributeName": _validate.text(name, "attribute name")}
    metadata = _metadata(metadata)
    body["AccessToken"] = yield TOKEN
    body["ClientMetadata"] = metadata
    answer = yield call("GetUserAttributeVerificationCode", body)
    return answer_object(answer, "GetUserAttributeVerificationCode")


def verify_attribute(name, code):
    """VerifyUserAttribute with the code the user received; returns ``"SUCCESS"``."""
    body = {"AttributeName": _validate.text(name, "attribute name")}
    body["Code"] = _validate.text(code, "code")
    body["AccessToken"] = yield TOKEN
    yield call("VerifyUserAttribute", body)
    return SUCCESS


# -- passwords ------------------------------------------------------------------------------


def change_password(old, new, metadata=None):
    """ChangePassword for the signed-in user; returns ``"SUCCESS"``."""
    body = {"PreviousPassword": _validate.text(old, "old password")}
    body["ProposedPassword"] = _validate.text(new, "new password")
    metadata = _metadata(metadata)
    body["AccessToken"] = yield TOKEN
    body["ClientMetadata"] = metadata
    yield call("ChangePassword", body)
    return SUCCESS


def forgot_password(ctx, username, metadata=None):
    """ForgotPassword: a code is sent; returns the answer (CodeDeliveryDetails)."""
    body = {
        "ClientId": ctx.client_id,
        "Username": username,
        "ClientMetadata": _metadata(metadata),
        "UserContextData": ctx.context_data(username),
        "SecretHash": ctx.secret_hash(username),
    }
    return answer_object((yield call("ForgotPassword", body)), "ForgotPassword")


def confirm_password(ctx, username, code, new, metadata=None):
    """ConfirmForgotPassword: the reset's code and the new password; ``"SUCCESS"``."""
    body = {
        "ClientId": ctx.client_id,
        "Username": username,
        "ConfirmationCode": _validate.text(code, "code"),
        "Password": _validate.text(new, "new password"),
        "ClientMetadata": _metadata(metadata),
        "UserContextData": ctx.context_data(username),
        "SecretHash": ctx.secret_hash(username),
    }
    yield call("ConfirmForgotPassword", body)
    return SUCCESS


# -- the account and its tokens ---------------------------------------------------------------


def delete_user(metadata=None):
    """DeleteUser: the signed-in user's account; returns ``"SUCCESS"``."""
    metadata = _metadata(metadata)
    yield call("DeleteUser", {"AccessToken": (yield TOKEN), "ClientMetadata": metadata})
    return SUCCESS


def global_sign_out():
    """GlobalSignOut: every token issued to the user, everywhere; returns ``"SUCCESS"``."""
    yield call("GlobalSignOut", {"AccessToken": (yield TOKEN)})
    return SUCCESS


def revoke_token(ctx, token):
    """RevokeToken for one refresh token; returns ``"SUCCESS"``."""
    body = {
        "Token": _validate.text(token, "token"),
        "ClientId": ctx.client_id,
        "ClientSecret": ctx.client_secret,
    }
    yield call("RevokeToken", body)
    return SUCCESS


def refresh(ctx, refresh_token, username=None, device_key=None, metadata=None):
    """REFRESH_TOKEN_AUTH: new ID and access tokens for a refresh token.

    Returns:
        The AuthenticationResult (which may lack a RefreshToken: keep the old one).
    """
    params = {"REFRESH_TOKEN": refresh_token}
    if device_key:
        params["DEVICE_KEY"] = device_key
    if username:
        params["SECRET_HASH"] = ctx.secret_hash(username)
    answer = yield call(
        "InitiateAuth",
        {
            "ClientId": ctx.client_id,
            "AuthFlow": "REFRESH_TOKEN_AUTH",
            "AuthParameters": params,
            "ClientMetadata": metadata,
            "UserContextData": ctx.context_data(username),
        },
    )
    return auth_result(answer)
