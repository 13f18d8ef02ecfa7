"""AdminSetUserMFAPreference, the auth factors of a user, and the pool's email MFA settings.

Pool side: ``EmailMfaConfiguration {Message, Subject}`` (SetUserPoolMfaConfig, checked by
``check_mfa_config``, which ``_admin_pools`` calls: the Message holds ``{####}``, 6 to
20000 characters; email MFA needs the ESSENTIALS or PLUS tier, as Cognito's feature
plans say); the same call checks WebAuthnConfiguration (``_webauthn.check_config``). A
pool offers email MFA while it has one (``_mfa.email_offered``); the EMAIL_OTP method
itself (asking, the code, MFA_SETUP with EMAIL) is ``_mfa``'s.

User side: ``EMAIL_OTP`` is one of ``_mfa.METHODS``: SetUserMFAPreference and
AdminSetUserMFAPreference's ``EmailMfaSettings {Enabled, PreferredMfa}`` turn it on for
a user with an email address (``_mfa.apply_preferences``), and GetUser lists it in
UserMFASettingList.

Auth factors (GetUserAuthFactors, AdminGetUserAuthFactors): the MFA settings as GetUser
shows them, and ``ConfiguredUserAuthFactors``: PASSWORD when the user has one, EMAIL_OTP
/ SMS_OTP when the pool's ``Policies.SignInPolicy.AllowedFirstAuthFactors`` allows them
and the user has a verified address for them, WEB_AUTHN when allowed and the user has a
passkey (``_webauthn.user_credentials``).
"""

import re

from . import _accounts, _documents, _errors, _mfa, _sessions, _webauthn
from ._registry import USERNAME_PATTERN, Field, action

MESSAGE_PLACEHOLDER = "{####}"
_POOL = Field(
    "UserPoolId", required=True, min_len=1, max_len=55,
    pattern=(r"^[\w-]+_[0-9a-zA-Z]+$", r"[\w-]+_[0-9a-zA-Z]+"),
)  # fmt: skip
_USERNAME = Field("Username", required=True, min_len=1, max_len=128, pattern=USERNAME_PATTERN)
_SETTINGS_FIELDS = [
    Field("SMSMfaSettings", "object"), Field("SoftwareTokenMfaSettings", "object"),
    Field("EmailMfaSettings", "object"), Field("WebAuthnMfaSettings", "object"),
]  # fmt: skip
_SUBJECT = re.compile(r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+$")


# Pool settings -----------------------------------------------------------------------


def check_mfa_config(pool, body):
    """Check SetUserPoolMfaConfig's WebAuthnConfiguration (``_webauthn.check_config``,
    which fills in its defaults in ``body``) and EmailMfaConfiguration before anything
    is saved.

    Raises:
        ServiceError: SerializationException for wrong types, InvalidParameterException
            for a Message without {####} or out of bounds, FeatureUnavailableInTierException
            in a LITE pool.
    """
    _webauthn.check_config(pool, body)
    config = body.get("EmailMfaConfiguration")
    if config is None:
        return
    if not isinstance(config, dict) or set(config) - {"Message", "Subject"}:
        raise _errors.Serialization(
            "Value at 'emailMfaConfiguration' must be an EmailMfaConfigType."
        )
    message, subject = config.get("Message"), config.get("Subject")
    for name, value in (("message", message), ("subject", subject)):
        if value is not None and not isinstance(value, str):
            raise _errors.Serialization(
                "Value at 'emailMfaConfiguration.%s' must be a string." % name
            )
    problems = []
    if message is not None:
        if len(message) < 6:
            problems.append(
                (
                    "emailMfaConfiguration.message",
                    "Member must have length greater than or equal to 6",
                )
            )
        elif len(message) > 20000:
            problems.append(
                (
                    "emailMfaConfiguration.message",
                    "Member must have length less than or equal to 20000",
                )
            )
        elif MESSAGE_PLACEHOLDER not in message:
            problems.append(
                ("emailMfaConfiguration.message",
                 "Member must satisfy regular expression pattern: "
                 "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*\\{####\\}[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*")
            )  # fmt: skip
    if subject is not None and not _SUBJECT.match(subject):
        problems.append(
            ("emailMfaConfiguration.subject",
             "Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s]+")
        )  # fmt: skip
    if problems:
        raise _documents.validation_error([(label, text, None) for label, text in problems])
    if pool.get("UserPoolTier") == "LITE":
        raise _errors.ServiceError(
            "FeatureUnavailableInTierException",
            "Email MFA is not available in the LITE feature plan.",
        )


# AdminSetUserMFAPreference -----------------------------------------------------------


@action("AdminSetUserMFAPreference", fields=[*_SETTINGS_FIELDS, _USERNAME, _POOL], public=False)
def admin_set_user_mfa_preference(ctx, body):
    """AdminSetUserMFAPreference: SetUserMFAPreference for any user of the pool."""
    _, user = _accounts.existing_user(ctx, body)
    if body.get("WebAuthnMfaSettings") is not None:
        # Passkeys as a second factor (MULTI_FACTOR_WITH_USER_VERIFICATION) are not
        # emulated yet: refuse rather than store a setting that would do nothing.
        raise _errors.InvalidParameter("WebAuthnMfaSettings is not supported by this emulator.")
    _mfa.apply_preferences(user, body)
    user.modified = ctx.now()
    ctx.store.save_user(user)
    return {}


# Auth factors ------------------------------------------------------------------------


def allowed_first_factors(pool):
    """The pool's Policies.SignInPolicy.AllowedFirstAuthFactors (PASSWORD by default)."""
    policy = (pool.get("Policies") or {}).get("SignInPolicy") or {}
    allowed = policy.get("AllowedFirstAuthFactors")
    return list(allowed) if isinstance(allowed, list) else ["PASSWORD"]


def configured_factors(ctx, pool, user):
    """ConfiguredUserAuthFactors: the first factors this user can sign in with."""
    allowed = allowed_first_factors(pool)
    attributes = user.attributes
    factors = []
    if user.verifier is not None:
        factors.append("PASSWORD")
    if "EMAIL_OTP" in allowed and attributes.get("email_verified") == "true":
        factors.append("EMAIL_OTP")
    if "SMS_OTP" in allowed and attributes.get("phone_number_verified") == "true":
        factors.append("SMS_OTP")
    if "WEB_AUTHN" in allowed and _webauthn.user_credentials(ctx, user):
        factors.append("WEB_AUTHN")
    return factors


def _factors_answer(ctx, pool, user):
    answer = {"Username": user.username}
    if user.extra.get("PreferredMfaSetting"):
        answer["PreferredMfaSetting"] = user.extra["PreferredMfaSetting"]
    if user.extra.get("UserMFASettingList"):
        answer["UserMFASettingList"] = list(user.extra["UserMFASettingList"])
    answer["ConfiguredUserAuthFactors"] = configured_factors(ctx, pool, user)
    return answer


@action(
    "GetUserAuthFactors",
    fields=[Field("AccessToken", required=True, max_len=16384,
                  pattern=(r"^[A-Za-z0-9\-_=.]+$", r"[A-Za-z0-9-_=.]+"))],
)  # fmt: skip
def get_user_auth_factors(ctx, body):
    """GetUserAuthFactors: the signed-in user's MFA settings and sign-in factors."""
    pool, user, _ = _sessions.authenticate(ctx, body["AccessToken"])
    return _factors_answer(ctx, pool, user)


@action("AdminGetUserAuthFactors", fields=[_POOL, _USERNAME], public=False)
def admin_get_user_auth_factors(ctx, body):
    """AdminGetUserAuthFactors: GetUserAuthFactors for any user of the pool."""
    pool, user = _accounts.existing_user(ctx, body)
    return _factors_answer(ctx, pool, user)
