"""Signing up and confirming the account: SignUp, ConfirmSignUp, ResendConfirmationCode.

Flows as in ``flows.account``; none needs a token, each names the user (and carries its
SECRET_HASH for clients with a secret).
"""

from .. import _validate
from ..errors import InvalidParameterError
from . import call
from .context import SUCCESS, answer_object, optional_field


def _metadata(value):
    return _validate.optional_dict(value, "client_metadata")


def sign_up_result(answer: "object") -> "dict":
    """SignUp's answer: ``UserConfirmed`` a boolean, ``UserSub`` a string,
    ``CodeDeliveryDetails`` an object (each may be absent).

    Raises:
        InvalidResponseError: for another shape.
    """
    data = answer_object(answer, "SignUp")
    optional_field(data, "UserConfirmed", bool, "SignUp")
    optional_field(data, "UserSub", str, "SignUp")
    optional_field(data, "CodeDeliveryDetails", dict, "SignUp")
    return data


def sign_up(ctx, username, password, attributes=None, validation_data=None, metadata=None):
    """SignUp: register a user; returns the answer (see ``sign_up_result``)."""
    body = {
        "ClientId": ctx.client_id,
        "Username": _validate.text(username, "username"),
        "Password": _validate.text(password, "password"),
        "UserAttributes": _validate.attributes(attributes),
        "ValidationData": _validate.attributes(validation_data, "ValidationData"),
        "ClientMetadata": _metadata(metadata),
        "SecretHash": ctx.secret_hash(username),
        "UserContextData": ctx.context_data(username),
    }
    return sign_up_result((yield call("SignUp", body)))


def confirm_sign_up(ctx, username, code, force_alias_creation=None, metadata=None):
    """ConfirmSignUp with the code the user received; returns ``"SUCCESS"``."""
    _validate.text(code, "confirmation code")
    if force_alias_creation is not None and not isinstance(force_alias_creation, bool):
        raise InvalidParameterError("force_alias_creation must be True, False or None")
    body = {
        "ClientId": ctx.client_id,
        "ConfirmationCode": code,
        "Username": username,
        "ForceAliasCreation": force_alias_creation,
        "ClientMetadata": _metadata(metadata),
        "SecretHash": ctx.secret_hash(username),
        "UserContextData": ctx.context_data(username),
    }
    yield call("ConfirmSignUp", body)
    return SUCCESS


def resend_confirmation_code(ctx, username, metadata=None):
    """ResendConfirmationCode; returns the answer (CodeDeliveryDetails)."""
    body = {
        "ClientId": ctx.client_id,
        "Username": username,
        "ClientMetadata": _metadata(metadata),
        "SecretHash": ctx.secret_hash(username),
    }
    answer = yield call("ResendConfirmationCode", body)
    return answer_object(answer, "ResendConfirmationCode")
