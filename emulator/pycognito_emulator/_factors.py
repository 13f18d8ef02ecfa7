"""Email as an MFA factor, AdminSetUserMFAPreference and the auth factors of a user.

Pool side: ``EmailMfaConfiguration {Message, Subject}`` (SetUserPoolMfaConfig, checked by
``check_mfa_config``: the Message holds ``{####}``, 6 to 20000 characters; email MFA
needs the ESSENTIALS or PLUS tier, as Cognito's feature plans say). A pool offers email
MFA while it has one (``_mfa.email_offered``).

User side: ``EMAIL_OTP`` is one of ``_mfa.METHODS``: SetUserMFAPreference and
AdminSetUserMFAPreference's ``EmailMfaSettings {Enabled, PreferredMfa}`` turn it on for
a user with an email address, and GetUser lists it in UserMFASettingList.

Sign-in (hooked into ``_mfa``, whose MFA step picks the method):

* ``_mfa.ASKERS["EMAIL_OTP"]``: the ``EMAIL_OTP`` challenge; an eight-digit code goes
  to the user's email through the outbox (kind ``mfa``); ChallengeParameters
  ``CODE_DELIVERY_DELIVERY_MEDIUM: EMAIL`` and the masked
  ``CODE_DELIVERY_DESTINATION``.
* RespondToAuthChallenge ``EMAIL_OTP {USERNAME, EMAIL_OTP_CODE}`` (``_email_otp``): a
  wrong code keeps the Session for another try (``_mfa``'s limit of wrong codes); the
  right one resumes the sign-in after the MFA step.
* ``_mfa.SETUP_ANSWERS``: MFA_SETUP (whose MFAS_CAN_SETUP lists EMAIL_OTP when the pool
  offers it) answered with ``{USERNAME, EMAIL}`` sends a code to that address and asks
  EMAIL_OTP; the right code makes the address the user's verified email and email MFA
  the preferred method.

Auth factors (GetUserAuthFactors, AdminGetUserAuthFactors): the MFA settings as GetUser
shows them, and ``ConfiguredUserAuthFactors``: PASSWORD when the user has one, EMAIL_OTP
/ SMS_OTP when the pool's ``Policies.SignInPolicy.AllowedFirstAuthFactors`` allows them
and the user has a verified address for them, WEB_AUTHN when allowed and the user has a
passkey (see ``FACTOR_SOURCES``).

Choices where Cognito's behaviour is not documented: email codes have eight digits
(as Cognito's email one-time passwords) and live for the pool's AuthSessionValidity;
email MFA does not require an SES sending account here (the emulator sends nothing).
"""

import hmac
import re
import secrets

from . import _auth, _common, _errors, _mfa
from ._registry import USERNAME_PATTERN, Field, action

EMAIL = _mfa.EMAIL
CODE_PURPOSE = "email_mfa"
CODE_DIGITS = 8
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
# check(pool, body) for SetUserPoolMfaConfig members other modules own (_webauthn:
# WebAuthnConfiguration); may fill in defaults in body.
MFA_CONFIG_CHECKS = []
# user factor -> has(ctx, pool, user): extra first factors other modules know of
# (_webauthn: WEB_AUTHN when the user has a passkey).
FACTOR_SOURCES = {}
_SUBJECT = re.compile(r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+$")


# Pool settings -----------------------------------------------------------------------


def _validation(problems):
    return _errors.InvalidParameter(
        "%d validation error%s detected: %s"
        % (
            len(problems),
            "" if len(problems) == 1 else "s",
            "; ".join("Value at '%s' failed to satisfy constraint: %s" % p for p in problems),
        )
    )


def check_mfa_config(pool, body):
    """Check SetUserPoolMfaConfig's EmailMfaConfiguration (and, through
    MFA_CONFIG_CHECKS, what other modules own) before anything is saved.

    Raises:
        ServiceError: SerializationException for wrong types, InvalidParameterException
            for a Message without {####} or out of bounds, FeatureUnavailableInTierException
            in a LITE pool.
    """
    for check in MFA_CONFIG_CHECKS:
        check(pool, body)
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
        raise _validation(problems)
    if pool.get("UserPoolTier") == "LITE":
        raise _errors.ServiceError(
            "FeatureUnavailableInTierException",
            "Email MFA is not available in the LITE feature plan.",
        )


# Preferences -------------------------------------------------------------------------


def apply_preferences(user, body):
    """Apply SMSMfaSettings, SoftwareTokenMfaSettings and EmailMfaSettings of a
    SetUserMFAPreference-shaped body to a user (not saved).

    Raises:
        ServiceError: as ``_mfa.set_method``; SerializationException for bad settings.
    """
    for method, key, label in (
        (_mfa.SMS, "SMSMfaSettings", "sMSMfaSettings"),
        (_mfa.TOTP, "SoftwareTokenMfaSettings", "softwareTokenMfaSettings"),
        (EMAIL, "EmailMfaSettings", "emailMfaSettings"),
    ):
        settings = _mfa._settings(body.get(key), label)
        if settings is None:
            continue
        enabled = settings.get("Enabled")
        if enabled is None:  # only a preference: keep the method's current state
            enabled = method in _mfa.enabled_methods(user)
        _mfa.set_method(user, method, enabled, settings.get("PreferredMfa"))


def _admin_user(ctx, body):
    pool = ctx.store.get_pool(body["UserPoolId"])
    if pool is None:
        raise _errors.ResourceNotFound("User pool %s does not exist." % body["UserPoolId"])
    user = _common.find_user(ctx, pool, body["Username"])
    if user is None:
        raise _errors.UserNotFound(_errors.USER_DOES_NOT_EXIST)
    return pool, user


@action("AdminSetUserMFAPreference", fields=[*_SETTINGS_FIELDS, _USERNAME, _POOL], public=False)
def admin_set_user_mfa_preference(ctx, body):
    """AdminSetUserMFAPreference: SetUserMFAPreference for any user of the pool."""
    _, user = _admin_user(ctx, body)
    if body.get("WebAuthnMfaSettings") is not None:
        # Passkeys as a second factor (MULTI_FACTOR_WITH_USER_VERIFICATION) are not
        # emulated yet: refuse rather than store a setting that would do nothing.
        raise _errors.InvalidParameter("WebAuthnMfaSettings is not supported by this emulator.")
    apply_preferences(user, body)
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
    for factor, has in sorted(FACTOR_SOURCES.items()):
        if factor in allowed and has(ctx, pool, user):
            factors.append(factor)
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
    pool, user, _ = _common.authenticate(ctx, body["AccessToken"])
    return _factors_answer(ctx, pool, user)


@action("AdminGetUserAuthFactors", fields=[_POOL, _USERNAME], public=False)
def admin_get_user_auth_factors(ctx, body):
    """AdminGetUserAuthFactors: GetUserAuthFactors for any user of the pool."""
    pool, user = _admin_user(ctx, body)
    return _factors_answer(ctx, pool, user)


# Sign-in -----------------------------------------------------------------------------


def send_email_code(ctx, pool, user, address, purpose=CODE_PURPOSE):
    """An eight-digit code to ``address`` through the outbox, remembered for ``purpose``.

    Returns:
        The masked destination.
    """
    code = "%0*d" % (CODE_DIGITS, secrets.randbelow(10**CODE_DIGITS))
    now = ctx.now()
    ctx.store.put_code(user.sub, purpose, code, now + pool["AuthSessionValidity"] * 60, "email")
    ctx.store.add_message(pool["Id"], user.username, "mfa", address, code, now)
    ctx.print(
        "[outbox] mfa code %s for %s in %s, to %s (EMAIL)"
        % (code, user.username, pool["Id"], address)
    )
    return _common.mask_email(address)


def _ask_email(ctx, pool, client, user, state, address=None):
    """``_mfa.ASKERS`` entry: the EMAIL_OTP challenge, code sent now."""
    address = address or user.attributes["email"]
    parameters = {
        "CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL",
        "CODE_DELIVERY_DESTINATION": send_email_code(ctx, pool, user, address),
    }
    return _auth.challenge_answer(ctx, pool, client, user, EMAIL, parameters, state)


def _setup_email(ctx, pool, client, user, row, responses):
    """``_mfa.SETUP_ANSWERS`` entry: MFA_SETUP answered with EMAIL."""
    address = responses.get("EMAIL")
    if address is None:
        return None
    if not _mfa.email_offered(pool):
        raise _errors.InvalidParameter("Email MFA is not enabled for this user pool.")
    if not isinstance(address, str) or not re.match(r"^[^@\s]+@[^@\s]+$", address):
        raise _errors.InvalidParameter("EMAIL must be an email address.")
    ctx.store.drop_challenge(row["session_hash"])
    state = dict(row["state"], email_setup=address, wrong_codes=0)
    return _ask_email(ctx, pool, client, user, state, address)


@_auth.challenge(EMAIL)
def _email_otp(ctx, pool, client, responses, body):
    """RespondToAuthChallenge EMAIL_OTP: the code of the email MFA step."""
    (code,) = _auth._required(responses, "EMAIL_OTP_CODE")
    row, user = _mfa._challenge_user(ctx, pool, client, EMAIL, responses, body)
    handler = EMAIL_OTP_STAGES.get(row["state"].get("stage"))
    if handler is not None:
        return handler(ctx, pool, client, user, row, responses, code)
    stored = ctx.store.get_code(user.sub, CODE_PURPOSE)
    if stored is None or stored["expires"] < ctx.now():
        ctx.store.drop_challenge(row["session_hash"])
        raise _errors.ExpiredCode(_errors.CODE_EXPIRED)
    if not hmac.compare_digest(stored["code"].encode(), code.encode("utf-8", "replace")):
        _mfa._count_wrong(ctx, row)
        raise _errors.CodeMismatch(_mfa.CODE_MISMATCH)
    ctx.store.delete_code(user.sub, CODE_PURPOSE)
    address = row["state"].get("email_setup")
    if address:
        user.attributes["email"] = address
        user.attributes["email_verified"] = "true"
        owner = _common.alias_owner(ctx, pool, user, "email")
        if owner is not None:
            raise _errors.AliasExists("An account with the given email already exists.")
        _mfa.set_method(user, EMAIL, True, True)
        user.modified = ctx.now()
        ctx.store.save_user(user)
    state = {key: value for key, value in row["state"].items() if key != "email_setup"}
    return _mfa._passed(ctx, pool, client, user, dict(row, state=state), responses)


# state["stage"] -> handler(ctx, pool, client, user, row, responses, code): EMAIL_OTP
# challenges that are not the MFA step (a USER_AUTH first factor).
EMAIL_OTP_STAGES = {}

_mfa.ASKERS[EMAIL] = _ask_email
if _setup_email not in _mfa.SETUP_ANSWERS:
    _mfa.SETUP_ANSWERS.append(_setup_email)
