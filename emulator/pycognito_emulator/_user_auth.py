"""Choice-based sign-in: InitiateAuth ``USER_AUTH`` and its challenges.

``InitiateAuth {AuthFlow: USER_AUTH, AuthParameters: {USERNAME, PREFERRED_CHALLENGE?,
PASSWORD?, SRP_A?, SECRET_HASH?, DEVICE_KEY?}}`` on a client with ``ALLOW_USER_AUTH``, in
an ESSENTIALS or PLUS pool (LITE: FeatureUnavailableInTierException). The first factors a
user may choose are those the pool's ``Policies.SignInPolicy.AllowedFirstAuthFactors``
allows and the user has (``available``): PASSWORD and PASSWORD_SRP (a password),
EMAIL_OTP (a verified email; not in pools where MFA is ON, as Cognito keeps passwordless
sign-in out of those), WEB_AUTHN (a passkey).

* With a PREFERRED_CHALLENGE the user has: PASSWORD (finished at once when PASSWORD is
  sent), PASSWORD_SRP (the usual PASSWORD_VERIFIER when SRP_A is sent), EMAIL_OTP (an
  eight-digit code to the outbox), WEB_AUTHN (``CREDENTIAL_REQUEST_OPTIONS``, a JSON
  string of PublicKeyCredentialRequestOptionsJSON). Without one, or with one the user
  cannot use: ``SELECT_CHALLENGE`` with top-level ``AvailableChallenges``.
* RespondToAuthChallenge: ``SELECT_CHALLENGE {USERNAME, ANSWER}`` (PASSWORD, PASSWORD_SRP
  and WEB_AUTHN may be finished in the same call with PASSWORD, SRP_A or CREDENTIAL),
  ``PASSWORD {USERNAME, PASSWORD}``, ``PASSWORD_SRP {USERNAME, SRP_A}``, ``EMAIL_OTP
  {USERNAME, EMAIL_OTP_CODE}`` and ``WEB_AUTHN
  {USERNAME, CREDENTIAL}`` (AuthenticationResponseJSON as a string, checked by
  ``_webauthn.verify_assertion``).
* After the first factor the usual steps run (``_signin.after_password``): after a
  password, MFA as the pool requires it; after an email code, or a passkey that verified
  the user, no MFA (``state["mfa_satisfied"]``, one of the state keys ``_signin``
  declares, which the ``mfa`` step honours).

The EMAIL_OTP challenge is registered here, because two steps ask it: USER_AUTH's
email first factor (state ``stage: "sign_in"``, answered by ``_email_sign_in``) and
email MFA (asked by ``_mfa``'s step, answered by ``_mfa.answer_email_code``).

Choices where Cognito's behaviour is not documented: a PREFERRED_CHALLENGE the user
cannot use answers SELECT_CHALLENGE; a wrong email code keeps the Session for another
try (``_mfa``'s limit of wrong codes).
"""

import hmac
import json

from . import _accounts, _auth, _errors, _factors, _mfa, _signin, _webauthn

FIRST_FACTORS = ("PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN")
SIGN_IN_CODE = "email_sign_in"


def available(ctx, pool, user):
    """The first-factor challenges this user can answer in this pool, in Cognito's order."""
    allowed = _factors.allowed_first_factors(pool)
    choices = []
    if "PASSWORD" in allowed and user.verifier is not None:
        choices += ["PASSWORD", "PASSWORD_SRP"]
    if (
        "EMAIL_OTP" in allowed
        and user.attributes.get("email_verified") == "true"
        and (pool.get("MfaConfiguration") or "OFF") != "ON"
    ):
        choices.append("EMAIL_OTP")
    if "WEB_AUTHN" in allowed and _webauthn.user_credentials(ctx, user):
        choices.append("WEB_AUTHN")
    return choices


def _user(ctx, pool, client, params):
    (username,) = _signin.required(params, "USERNAME")
    user = _accounts.find_user(ctx, pool, username)
    _accounts.check_secret_hash(
        client, params.get("SECRET_HASH"), _accounts.user_names(user, username)
    )
    if user is None:
        raise _signin.unknown_user(client)
    _accounts.check_user_usable(user)
    if user.status == "UNCONFIRMED":
        raise _errors.UserNotConfirmed(_errors.USER_NOT_CONFIRMED)
    return user


@_signin.flow("USER_AUTH", "ALLOW_USER_AUTH")
def _user_auth(ctx, pool, client, params, body):
    if pool.get("UserPoolTier") == "LITE":
        raise _errors.ServiceError(
            "FeatureUnavailableInTierException",
            "USER_AUTH is not available in the LITE feature plan.",
        )
    preferred = params.get("PREFERRED_CHALLENGE")
    if preferred is not None and preferred not in FIRST_FACTORS:
        raise _errors.InvalidParameter(
            "PREFERRED_CHALLENGE must be one of %s." % ", ".join(FIRST_FACTORS)
        )
    user = _user(ctx, pool, client, params)
    choices = available(ctx, pool, user)
    state = {"flow": "USER_AUTH", "device_key": params.get("DEVICE_KEY"), "available": choices}
    if preferred in choices:
        return _start(ctx, pool, client, user, preferred, params, state)
    answer = _signin.challenge_answer(ctx, pool, client, user, "SELECT_CHALLENGE", {}, state)
    answer["AvailableChallenges"] = choices
    return answer


def _start(ctx, pool, client, user, factor, params, state):
    """Begin (or, with what ``params`` already carries, finish) one first factor."""
    if factor == "PASSWORD":
        if params.get("PASSWORD"):
            return _password(ctx, pool, client, user, params)
        return _signin.challenge_answer(ctx, pool, client, user, "PASSWORD", {}, state)
    if factor == "PASSWORD_SRP":
        if params.get("SRP_A"):
            return _auth._user_srp_auth(ctx, pool, client, dict(params, USERNAME=user.username), {})
        return _signin.challenge_answer(ctx, pool, client, user, "PASSWORD_SRP", {}, state)
    if factor == "EMAIL_OTP":
        destination = _mfa.send_email_code(ctx, pool, user, user.attributes["email"], SIGN_IN_CODE)
        parameters = {
            "CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL",
            "CODE_DELIVERY_DESTINATION": destination,
        }
        state = dict(state, stage="sign_in", wrong_codes=0)
        return _signin.challenge_answer(ctx, pool, client, user, "EMAIL_OTP", parameters, state)
    # WEB_AUTHN: a CREDENTIAL sent along answers a challenge asked before.
    if params.get("CREDENTIAL"):
        return _passkey(ctx, pool, client, user, params["CREDENTIAL"], state)
    options = _webauthn.request_options(ctx, user, client["ClientId"], pool)
    parameters = {"CREDENTIAL_REQUEST_OPTIONS": json.dumps(options, separators=(",", ":"))}
    return _signin.challenge_answer(ctx, pool, client, user, "WEB_AUTHN", parameters, state)


def _password(ctx, pool, client, user, params):
    return _auth.password_sign_in(
        ctx, pool, client, dict(params, USERNAME=user.username), "USER_AUTH"
    )


def _passkey(ctx, pool, client, user, credential, state):
    try:
        parsed = json.loads(credential)
    except ValueError:
        raise _errors.InvalidParameter("CREDENTIAL must be AuthenticationResponseJSON.") from None
    verified = _webauthn.verify_assertion(ctx, user, client["ClientId"], parsed)
    state = {key: value for key, value in state.items() if key != "available"}
    if verified:
        state["mfa_satisfied"] = True
    return _signin.after_password(ctx, pool, client, user, state)


def _pending(ctx, pool, client, name, responses, body):
    """(row, user) of a pending USER_AUTH challenge, consumed."""
    (username,) = _signin.required(responses, "USERNAME")
    row = _signin.take_session(ctx, client, name, session=body.get("Session"))
    user = ctx.store.get_user_by_sub(row["sub"])
    named = _accounts.find_user(ctx, pool, username)
    if user is None or named is None or named.sub != user.sub:
        raise _errors.NotAuthorized("Invalid session provided for the user.")
    _accounts.check_secret_hash(
        client, responses.get("SECRET_HASH"), _accounts.user_names(user, username)
    )
    _accounts.check_user_usable(user)
    return row, user


@_signin.challenge("SELECT_CHALLENGE")
def _select_challenge(ctx, pool, client, responses, body):
    (answer,) = _signin.required(responses, "ANSWER")
    row, user = _pending(ctx, pool, client, "SELECT_CHALLENGE", responses, body)
    choices = row["state"].get("available") or []
    if answer not in choices:
        raise _errors.InvalidParameter("ANSWER must be one of %s." % ", ".join(choices))
    return _start(ctx, pool, client, user, answer, responses, row["state"])


@_signin.challenge("PASSWORD")
def _password_challenge(ctx, pool, client, responses, body):
    _signin.required(responses, "PASSWORD")
    _, user = _pending(ctx, pool, client, "PASSWORD", responses, body)
    return _password(ctx, pool, client, user, responses)


@_signin.challenge("PASSWORD_SRP")
def _password_srp_challenge(ctx, pool, client, responses, body):
    _signin.required(responses, "SRP_A")
    _, user = _pending(ctx, pool, client, "PASSWORD_SRP", responses, body)
    return _auth._user_srp_auth(ctx, pool, client, dict(responses, USERNAME=user.username), {})


@_signin.challenge("WEB_AUTHN")
def _web_authn_challenge(ctx, pool, client, responses, body):
    (credential,) = _signin.required(responses, "CREDENTIAL")
    row, user = _pending(ctx, pool, client, "WEB_AUTHN", responses, body)
    return _passkey(ctx, pool, client, user, credential, row["state"])


@_signin.challenge("EMAIL_OTP")
def _email_otp(ctx, pool, client, responses, body):
    """RespondToAuthChallenge EMAIL_OTP: USER_AUTH's email first factor, or the code of
    the email MFA step (``_mfa.answer_email_code``)."""
    (code,) = _signin.required(responses, "EMAIL_OTP_CODE")
    row, user = _mfa._challenge_user(ctx, pool, client, "EMAIL_OTP", responses, body)
    if row["state"].get("stage") == "sign_in":
        return _email_sign_in(ctx, pool, client, user, row, code)
    return _mfa.answer_email_code(ctx, pool, client, user, row, responses, code)


def _email_sign_in(ctx, pool, client, user, row, code):
    """An email code as the first factor."""
    stored = ctx.store.get_code(user.sub, SIGN_IN_CODE)
    if stored is None or stored["expires"] < ctx.now():
        ctx.store.drop_challenge(row["session_hash"])
        raise _errors.ExpiredCode(_errors.CODE_EXPIRED)
    if not hmac.compare_digest(stored["code"].encode(), code.encode("utf-8", "replace")):
        _mfa._count_wrong(ctx, row)
        raise _errors.CodeMismatch(_mfa.CODE_MISMATCH)
    ctx.store.delete_code(user.sub, SIGN_IN_CODE)
    ctx.store.drop_challenge(row["session_hash"])
    state = {
        key: value
        for key, value in row["state"].items()
        if key not in ("available", "stage", "wrong_codes")
    }
    state["mfa_satisfied"] = True
    if user.status == "FORCE_CHANGE_PASSWORD":
        raise _errors.NotAuthorized(_errors.INCORRECT_CREDENTIALS)
    return _signin.after_password(ctx, pool, client, user, state)
