"""MFA: the legacy SMS settings, MFA preferences, and TOTP set-up (associate, verify).

Theory of operation
-------------------
Flows as in ``flows.account``. TOTP set-up happens either signed in (the access token
authorises it) or inside a sign-in's MFA_SETUP challenge (its Session does, and each
answer may carry the next Session); ``session`` picks the second.
"""

from .. import _validate
from ..errors import InvalidParameterError, InvalidResponseError
from . import TOKEN, call
from .context import SUCCESS, answer_object, optional_field


def _settings(value, name):
    if value is None:
        return None
    if not isinstance(value, dict) or not all(
        k in ("Enabled", "PreferredMfa") and isinstance(v, bool) for k, v in value.items()
    ):
        raise InvalidParameterError("%s must be a dict of Enabled/PreferredMfa booleans" % name)
    return value


def set_user_settings(options):
    """SetUserSettings with the legacy SMS MFAOptions; returns ``"SUCCESS"``."""
    if not isinstance(options, list) or not all(isinstance(o, dict) for o in options):
        raise InvalidParameterError("mfa_options must be a list of MFAOptions dicts")
    yield call("SetUserSettings", {"MFAOptions": options, "AccessToken": (yield TOKEN)})
    return SUCCESS


def set_mfa_preference(sms=None, software_token=None):
    """SetUserMFAPreference; returns ``"SUCCESS"``."""
    body = {
        "SMSMfaSettings": _settings(sms, "sms"),
        "SoftwareTokenMfaSettings": _settings(software_token, "software_token"),
    }
    body["AccessToken"] = yield TOKEN
    yield call("SetUserMFAPreference", body)
    return SUCCESS


def _authorised(session):
    # Signed in, the access token; inside MFA_SETUP, the challenge's session.
    if session is None:
        return {"AccessToken": (yield TOKEN)}
    return {"Session": session}


def secret_code(answer: "object") -> "tuple":
    """AssociateSoftwareToken's ``(SecretCode, Session or None)``.

    Raises:
        InvalidResponseError: without a SecretCode string, or with a Session that is
            not a string.
    """
    data = answer_object(answer, "AssociateSoftwareToken")
    secret = data.get("SecretCode")
    if not isinstance(secret, str) or not secret:
        raise InvalidResponseError("AssociateSoftwareToken answer has no SecretCode")
    return secret, optional_field(data, "Session", str, "AssociateSoftwareToken")


def verified(answer: "object") -> "dict":
    """VerifySoftwareToken's answer: ``{"Status": ..., "Session": ...}``, both strings
    when present."""
    data = answer_object(answer, "VerifySoftwareToken")
    for name in ("Status", "Session"):
        optional_field(data, name, str, "VerifySoftwareToken")
    return data


def associate_software_token(session=None):
    """AssociateSoftwareToken: starts TOTP set-up.

    Returns:
        ``(secret, session)``: the secret for the authenticator app and the challenge's
        next Session (None when signed in or when the service sent none).
    """
    body = yield from _authorised(session)
    return secret_code((yield call("AssociateSoftwareToken", body)))


def verify_software_token(code, friendly_name=None, session=None):
    """VerifySoftwareToken with the first code from the app; returns the answer."""
    _validate.text(code, "code")
    body = yield from _authorised(session)
    body["UserCode"] = code
    body["FriendlyDeviceName"] = friendly_name
    return verified((yield call("VerifySoftwareToken", body)))
