"""Multi-factor authentication: pool MFA settings, user preferences and the MFA step
(SMS, email and the choice between methods; TOTP itself is ``_totp``).

Pool settings (read from the pool's settings, where ``--config`` and the admin
module's SetUserPoolMfaConfig both put them):

* ``MfaConfiguration``: ``OFF``, ``OPTIONAL`` or ``ON``.
* SMS is offered when the pool has ``SmsMfaConfiguration`` or ``SmsConfiguration``;
  TOTP when ``SoftwareTokenMfaConfiguration`` is ``{"Enabled": true}`` (as
  GetUserPoolMfaConfig shows them); email (``EMAIL_OTP``) while the pool has an
  ``EmailMfaConfiguration`` (checked by ``_factors.check_mfa_config``). A ``--config``
  pool with MFA ON or OPTIONAL that names no factor at all offers SMS and TOTP
  (choice: such a pool is otherwise unusable).

User settings live in ``user.extra``: ``UserMFASettingList``, ``PreferredMfaSetting``
and ``MFAOptions`` (what GetUser and AdminGetUser return as they are), and
``software_token`` (``_totp`` writes it; ``software_token`` here reads the verified
one). ``set_method`` keeps the three GetUser members consistent; the
admin module may call it for AdminSetUserMFAPreference/AdminSetUserSettings.

Sign-in (the step ``mfa`` of ``_signin.STEPS``; the ``device`` step of ``_devices``
runs before it):

* skipped when ``state.get("device_remembered")`` (a remembered device proved itself
  with device SRP and the pool lets it stand in for MFA), when
  ``state.get("mfa_satisfied")`` (USER_AUTH's first factor was an email code or a
  passkey that verified the user, see ``_user_auth``) or for CUSTOM_AUTH (the custom
  challenges are the second factor);
* OFF: nothing. OPTIONAL: the user's enabled methods; none, nothing.
* ON: the enabled methods; with none enabled, SMS if the pool offers it and the user
  has a phone_number, else a verified software token, else ``MFA_SETUP`` with
  ``MFAS_CAN_SETUP`` (answered with AssociateSoftwareToken and VerifySoftwareToken
  on the challenge's Session, ``_totp``'s, then RespondToAuthChallenge MFA_SETUP).
* one method (or a preferred one): ``SMS_MFA`` (a six-digit code through the
  outbox, kind ``mfa``; ChallengeParameters ``CODE_DELIVERY_DELIVERY_MEDIUM`` and the
  masked ``CODE_DELIVERY_DESTINATION``) or ``SOFTWARE_TOKEN_MFA`` (answered in
  ``_totp``); two and no
  preference: ``SELECT_MFA_TYPE`` with ``MFAS_CAN_CHOOSE``.
* ``EMAIL_OTP``: an eight-digit code to the user's email through the outbox (kind
  ``mfa``), answered with ``EMAIL_OTP_CODE`` (``answer_email_code``; the EMAIL_OTP
  challenge is registered in ``_user_auth``, since USER_AUTH asks it too). MFA_SETUP
  (whose MFAS_CAN_SETUP lists EMAIL_OTP when the pool offers it) answered with
  ``{USERNAME, EMAIL}`` sends a code to that address and asks EMAIL_OTP; the right
  code makes the address the user's verified email and email MFA the preferred method.

Choices where Cognito's behaviour is not documented:

* A wrong MFA code (any method's, ``_count_wrong``) keeps the challenge's Session
  usable for another try, up to 5 wrong codes; then the session is dropped
  (``Invalid session for the user.``).
* SMS MFA goes to the phone_number whether or not it is verified.
* SetUserSettings with an SMS MFAOption enables SMS MFA (an empty list disables it);
  MFAOptions is shown by GetUser while SMS MFA is enabled, however it was enabled.
* Email codes have eight digits (as Cognito's email one-time passwords) and live for
  the pool's AuthSessionValidity; email MFA needs no SES sending account here (the
  emulator sends nothing).
"""

import hmac
import json
import re
import secrets

from . import _accounts, _attributes, _codes, _errors, _sessions, _signin
from ._registry import Field, action

SMS = "SMS_MFA"
TOTP = "SOFTWARE_TOKEN_MFA"
EMAIL = "EMAIL_OTP"
METHODS = (SMS, TOTP, EMAIL)
EMAIL_CODE = "email_mfa"  # the code slot of the email MFA step
EMAIL_CODE_DIGITS = 8
MAX_WRONG_CODES = 5
CODE_MISMATCH = "Invalid code or auth state for the user."
_SMS_OPTION = {"DeliveryMedium": "SMS", "AttributeName": "phone_number"}


# Pool settings -------------------------------------------------------------------------


def pool_mfa(pool):
    """The pool's MFA mode and factors.

    Returns:
        (mode, sms_offered, totp_offered), mode OFF, OPTIONAL or ON.
    """
    mode = pool.get("MfaConfiguration") or "OFF"
    sms = pool.get("SmsMfaConfiguration") is not None or bool(pool.get("SmsConfiguration"))
    totp_settings = pool.get("SoftwareTokenMfaConfiguration")
    totp = isinstance(totp_settings, dict) and totp_settings.get("Enabled") is True
    if mode != "OFF" and not sms and not totp and totp_settings is None and not email_offered(pool):
        sms = totp = True
    return mode, sms, totp


def email_offered(pool):
    """Whether the pool offers email MFA (it has an EmailMfaConfiguration)."""
    return isinstance(pool.get("EmailMfaConfiguration"), dict)


# User settings -------------------------------------------------------------------------


def software_token(user):
    """The user's verified TOTP token dict, or None."""
    token = user.extra.get("software_token")
    return token if isinstance(token, dict) and token.get("verified") else None


def enabled_methods(user):
    """The methods the user has enabled (UserMFASettingList), in a stable order."""
    listed = user.extra.get("UserMFASettingList") or []
    return [method for method in METHODS if method in listed]


def set_method(user, method, enabled, preferred=None):
    """Enable or disable one MFA method for a user, and set or clear its preference.

    Args:
        method: SMS_MFA or SOFTWARE_TOKEN_MFA.
        enabled: whether the method is on.
        preferred: True to make it the preferred method, False to stop preferring it,
            None to leave the preference alone (it is dropped with the method).

    Raises:
        ServiceError: InvalidParameterException when the user cannot use the method
            (no phone_number for SMS, no verified software token for TOTP).
    """
    if enabled and method == SMS and not user.attributes.get("phone_number"):
        raise _errors.InvalidParameter("User does not have delivery config set to turn on SMS_MFA")
    if enabled and method == TOTP and software_token(user) is None:
        raise _errors.InvalidParameter("User has not verified software token mfa")
    if enabled and method == EMAIL and not user.attributes.get("email"):
        raise _errors.InvalidParameter(
            "User does not have delivery config set to turn on EMAIL_OTP"
        )
    methods = [item for item in enabled_methods(user) if item != method]
    if enabled:
        methods.append(method)
    current = user.extra.get("PreferredMfaSetting")
    if enabled and preferred:
        current = method
    elif current == method and (not enabled or preferred is False):
        current = None
    _store_settings(user, methods, current)


def _store_settings(user, methods, preferred):
    methods = [method for method in METHODS if method in methods]
    for key, value in (
        ("UserMFASettingList", methods or None),
        ("PreferredMfaSetting", preferred if preferred in methods else None),
        ("MFAOptions", [dict(_SMS_OPTION)] if SMS in methods else None),
    ):
        if value is None:
            user.extra.pop(key, None)
        else:
            user.extra[key] = value


def _settings(value, name):
    if value is None:
        return None
    if not isinstance(value, dict) or any(
        key not in ("Enabled", "PreferredMfa") or not isinstance(item, bool)
        for key, item in value.items()
    ):
        raise _errors.Serialization("Value at '%s' must be Enabled/PreferredMfa booleans." % name)
    return value


def apply_preferences(user, body):
    """Apply SMSMfaSettings, SoftwareTokenMfaSettings and EmailMfaSettings of a
    SetUserMFAPreference-shaped body to a user (not saved): SetUserMFAPreference and
    AdminSetUserMFAPreference (``_factors``).

    Raises:
        ServiceError: as ``set_method``; SerializationException for bad settings.
    """
    chosen = []
    for method, key, label in (
        (SMS, "SMSMfaSettings", "sMSMfaSettings"),
        (TOTP, "SoftwareTokenMfaSettings", "softwareTokenMfaSettings"),
        (EMAIL, "EmailMfaSettings", "emailMfaSettings"),
    ):
        # Every member is checked before any is applied.
        chosen.append((method, _settings(body.get(key), label)))
    for method, settings in chosen:
        if settings is None:
            continue
        enabled = settings.get("Enabled")
        if enabled is None:  # only a preference: keep the method's current state
            enabled = method in enabled_methods(user)
        set_method(user, method, enabled, settings.get("PreferredMfa"))


# Actions -------------------------------------------------------------------------------


@action(
    "SetUserMFAPreference",
    fields=[
        Field("SMSMfaSettings", "object"), Field("SoftwareTokenMfaSettings", "object"),
        Field("EmailMfaSettings", "object"), Field("AccessToken", required=True, max_len=16384),
    ],
)  # fmt: skip
def set_user_mfa_preference(ctx, body):
    """SetUserMFAPreference: enable/disable SMS, TOTP and email MFA and pick the preferred one."""
    _, user, _ = _sessions.authenticate(ctx, body["AccessToken"])
    apply_preferences(user, body)
    user.modified = ctx.now()
    ctx.store.save_user(user)
    return {}


@action("SetUserSettings", fields=[Field("AccessToken", required=True, max_len=16384)])
def set_user_settings(ctx, body):
    """SetUserSettings: the legacy MFAOptions (SMS to phone_number on, or [] off)."""
    _, user, _ = _sessions.authenticate(ctx, body["AccessToken"])
    options = body.get("MFAOptions")
    if options is None:
        raise _errors.InvalidParameter(
            "1 validation error detected: Value at 'mFAOptions' failed to satisfy "
            "constraint: Member must not be null"
        )
    if not isinstance(options, list) or not all(isinstance(item, dict) for item in options):
        raise _errors.Serialization("Value at 'mFAOptions' must be a list of MFAOptionType.")
    sms = False
    for option in options:
        if option.get("DeliveryMedium") not in ("SMS", "EMAIL"):
            raise _errors.InvalidParameter("DeliveryMedium must be SMS or EMAIL.")
        if option.get("DeliveryMedium") != "SMS" or option.get("AttributeName") != "phone_number":
            raise _errors.InvalidParameter("Only SMS MFA to phone_number is supported.")
        sms = True
    set_method(user, SMS, sms)
    user.modified = ctx.now()
    ctx.store.save_user(user)
    return {}


# Sign-in -------------------------------------------------------------------------------


@_signin.step("mfa")
def mfa_step(ctx, pool, client, user, state):
    """The sign-in step ``mfa`` (see the module docstring)."""
    if state.get("device_remembered") or state.get("flow") == "CUSTOM_AUTH":
        return None
    if state.get("mfa_satisfied"):  # a passwordless first factor (_user_auth)
        return None
    mode, sms_offered, totp_offered = pool_mfa(pool)
    if mode == "OFF":
        return None
    phone = user.attributes.get("phone_number")
    usable = []
    for method in enabled_methods(user):
        if method == SMS and sms_offered and phone:
            usable.append(method)
        elif method == TOTP and totp_offered and software_token(user):
            usable.append(method)
        elif method == EMAIL and email_offered(pool) and user.attributes.get("email"):
            usable.append(method)
    if not usable and mode == "ON":
        if sms_offered and phone:
            usable = [SMS]
        elif totp_offered and software_token(user):
            usable = [TOTP]
        else:
            offered = ((SMS, sms_offered), (TOTP, totp_offered), (EMAIL, email_offered(pool)))
            can = [method for method, on in offered if on]
            parameters = {"MFAS_CAN_SETUP": json.dumps(can)}
            return _signin.challenge_answer(ctx, pool, client, user, "MFA_SETUP", parameters, state)
    if not usable:
        return None
    preferred = user.extra.get("PreferredMfaSetting")
    if len(usable) > 1 and preferred not in usable:
        parameters = {"MFAS_CAN_CHOOSE": json.dumps(usable)}
        state = dict(state, mfas_can_choose=usable)
        return _signin.challenge_answer(
            ctx, pool, client, user, "SELECT_MFA_TYPE", parameters, state
        )
    return ask(ctx, pool, client, user, state, preferred if preferred in usable else usable[0])


def ask(ctx, pool, client, user, state, method):
    """The SMS_MFA or EMAIL_OTP (code sent now) or SOFTWARE_TOKEN_MFA challenge."""
    state = {key: value for key, value in state.items() if key != "mfas_can_choose"}
    state["wrong_codes"] = 0
    if method == EMAIL:
        return _ask_email(ctx, pool, client, user, state, user.attributes["email"])
    if method == SMS:
        target = ("phone_number", "SMS", user.attributes["phone_number"])
        details = _codes.send_code(
            ctx, pool, user, "mfa", "mfa", target, pool["AuthSessionValidity"] * 60
        )
        parameters = {
            "CODE_DELIVERY_DELIVERY_MEDIUM": "SMS",
            "CODE_DELIVERY_DESTINATION": details["Destination"],
        }
        return _signin.challenge_answer(ctx, pool, client, user, SMS, parameters, state)
    parameters = {}
    name = (software_token(user) or {}).get("name")
    if name:
        parameters["FRIENDLY_DEVICE_NAME"] = name
    return _signin.challenge_answer(ctx, pool, client, user, TOTP, parameters, state)


def send_email_code(ctx, pool, user, address, purpose=EMAIL_CODE):
    """An eight-digit code to ``address`` through the outbox, remembered for ``purpose``
    (email MFA here; USER_AUTH's email sign-in in ``_user_auth``).

    Returns:
        The masked destination.
    """
    code = "%0*d" % (EMAIL_CODE_DIGITS, secrets.randbelow(10**EMAIL_CODE_DIGITS))
    now = ctx.now()
    ctx.store.put_code(user.sub, purpose, code, now + pool["AuthSessionValidity"] * 60, "email")
    ctx.store.add_message(pool["Id"], user.username, "mfa", address, code, now)
    ctx.print(
        "[outbox] mfa code %s for %s in %s, to %s (EMAIL)"
        % (code, user.username, pool["Id"], address)
    )
    return _codes.mask_email(address)


def _ask_email(ctx, pool, client, user, state, address):
    """The EMAIL_OTP challenge of the MFA step, code sent now."""
    parameters = {
        "CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL",
        "CODE_DELIVERY_DESTINATION": send_email_code(ctx, pool, user, address),
    }
    return _signin.challenge_answer(ctx, pool, client, user, EMAIL, parameters, state)


def _setup_email(ctx, pool, client, user, row, address):
    """MFA_SETUP answered with EMAIL: a code to that address, then EMAIL_OTP."""
    if not email_offered(pool):
        raise _errors.InvalidParameter("Email MFA is not enabled for this user pool.")
    if not isinstance(address, str) or not re.match(r"^[^@\s]+@[^@\s]+$", address):
        raise _errors.InvalidParameter("EMAIL must be an email address.")
    ctx.store.drop_challenge(row["session_hash"])
    state = dict(row["state"], email_setup=address, wrong_codes=0)
    return _ask_email(ctx, pool, client, user, state, address)


def answer_email_code(ctx, pool, client, user, row, responses, code):
    """The EMAIL_OTP answer of the MFA step (``_user_auth``'s EMAIL_OTP handler calls
    this for every EMAIL_OTP challenge that is not USER_AUTH's first factor)."""
    stored = ctx.store.get_code(user.sub, EMAIL_CODE)
    if stored is None or stored["expires"] < ctx.now():
        ctx.store.drop_challenge(row["session_hash"])
        raise _errors.ExpiredCode(_errors.CODE_EXPIRED)
    if not hmac.compare_digest(stored["code"].encode(), code.encode("utf-8", "replace")):
        _count_wrong(ctx, row)
        raise _errors.CodeMismatch(CODE_MISMATCH)
    ctx.store.delete_code(user.sub, EMAIL_CODE)
    address = row["state"].get("email_setup")
    if address:
        user.attributes["email"] = address
        user.attributes["email_verified"] = "true"
        owner = _attributes.alias_owner(ctx, pool, user, "email")
        if owner is not None:
            raise _errors.AliasExists("An account with the given email already exists.")
        set_method(user, EMAIL, True, True)
        user.modified = ctx.now()
        ctx.store.save_user(user)
    state = {key: value for key, value in row["state"].items() if key != "email_setup"}
    return _passed(ctx, pool, client, user, dict(row, state=state), responses)


def _count_wrong(ctx, row):
    """Count a wrong code on a pending challenge; drop the challenge after too many."""
    state = dict(row["state"])
    state["wrong_codes"] = state.get("wrong_codes", 0) + 1
    if state["wrong_codes"] >= MAX_WRONG_CODES:
        ctx.store.drop_challenge(row["session_hash"])
    else:
        ctx.store.run(
            "UPDATE challenges SET state = ? WHERE session_hash = ?",
            (json.dumps(state), row["session_hash"]),
        )


def _challenge_user(ctx, pool, client, name, responses, body):
    """(row, user) of the pending challenge ``name``, left pending until the code passes."""
    (username,) = _signin.required(responses, "USERNAME")
    row = _signin.take_session(ctx, client, name, session=body.get("Session"), consume=False)
    user = ctx.store.get_user_by_sub(row["sub"])
    named = _accounts.find_user(ctx, pool, username)
    if user is None or named is None or named.sub != user.sub:
        ctx.store.drop_challenge(row["session_hash"])
        raise _errors.NotAuthorized("Invalid session provided for the user.")
    _accounts.check_secret_hash(
        client, responses.get("SECRET_HASH"), _accounts.user_names(user, username)
    )
    _accounts.check_user_usable(user)
    return row, user


def _passed(ctx, pool, client, user, row, responses):
    ctx.store.drop_challenge(row["session_hash"])
    state = {key: value for key, value in row["state"].items() if key != "wrong_codes"}
    if responses.get("DEVICE_KEY") and not state.get("device_key"):
        state["device_key"] = responses["DEVICE_KEY"]
    return _signin.resume(ctx, pool, client, user, state, after="mfa")


@_signin.challenge(SMS)
def _sms_mfa(ctx, pool, client, responses, body):
    (code,) = _signin.required(responses, "SMS_MFA_CODE")
    row, user = _challenge_user(ctx, pool, client, SMS, responses, body)
    stored = ctx.store.get_code(user.sub, "mfa")
    if stored is None or stored["expires"] < ctx.now():
        ctx.store.drop_challenge(row["session_hash"])
        raise _errors.ExpiredCode(_errors.CODE_EXPIRED)
    if not hmac.compare_digest(stored["code"].encode(), code.encode("utf-8", "replace")):
        _count_wrong(ctx, row)
        raise _errors.CodeMismatch(CODE_MISMATCH)
    ctx.store.delete_code(user.sub, "mfa")
    return _passed(ctx, pool, client, user, row, responses)


@_signin.challenge("SELECT_MFA_TYPE")
def _select_mfa_type(ctx, pool, client, responses, body):
    (answer,) = _signin.required(responses, "ANSWER")
    row, user = _challenge_user(ctx, pool, client, "SELECT_MFA_TYPE", responses, body)
    choices = row["state"].get("mfas_can_choose") or list(METHODS)
    if answer not in METHODS or answer not in choices:
        raise _errors.InvalidParameter("ANSWER must be one of %s." % ", ".join(choices))
    ctx.store.drop_challenge(row["session_hash"])
    return ask(ctx, pool, client, user, row["state"], answer)


@_signin.challenge("MFA_SETUP")
def _mfa_setup(ctx, pool, client, responses, body):
    row, user = _challenge_user(ctx, pool, client, "MFA_SETUP", responses, body)
    if responses.get("EMAIL") is not None:
        return _setup_email(ctx, pool, client, user, row, responses["EMAIL"])
    if not row["state"].get("mfa_setup_verified"):
        raise _errors.InvalidParameter(
            "Set up a software token first: AssociateSoftwareToken and VerifySoftwareToken "
            "with this Session."
        )
    state = {key: value for key, value in row["state"].items() if key != "mfa_setup_verified"}
    row = dict(row, state=state)
    return _passed(ctx, pool, client, user, row, responses)
