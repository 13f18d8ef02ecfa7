"""The sign-in pipeline: the order every sign-in follows, declared once, and the tables
that flows, challenge answers and steps register in.

A sign-in, whatever starts it::

    InitiateAuth / AdminInitiateAuth
      FLOWS[AuthFlow]                 USER_SRP_AUTH, USER_PASSWORD_AUTH, CUSTOM_AUTH,
                                      USER_AUTH, REFRESH_TOKEN_AUTH, ... (``@flow``)
    RespondToAuthChallenge / AdminRespondToAuthChallenge
      CHALLENGES[ChallengeName]       PASSWORD_VERIFIER, SMS_MFA, ... (``@challenge``)
    the password is proved: after_password()
      UNCONFIRMED, disabled or RESET_REQUIRED users stop; failed sign-ins are forgotten
    STEPS, in order (``@step``)       each may stop and ask a challenge; the answer to
                                      it resumes with the next step (``resume``)
    the tokens: finish()              a new token family, AuthenticationResult
    AFTER_TOKENS, in order (``@step``)  members added to AuthenticationResult

A step is ``step(ctx, pool, client, user, state)``. In ``STEPS`` it returns a challenge
answer (built with ``challenge_answer``) to stop there, or None to let the sign-in go
on; in ``AFTER_TOKENS`` it returns a dict of members to add, or None. ``state`` is
what the sign-in knows so far (the flow, the DEVICE_KEY sent, what earlier steps
decided); it travels from challenge to challenge in the store, so it stays JSON-able.
``state["access_claims"]`` adds claims to the access token.

The keys of ``state`` that steps share: ``flow`` (the AuthFlow), ``device_key`` (the
device named so far), ``device_remembered`` (a remembered device proved itself with
device SRP and stands in for MFA: the MFA step must not ask), ``mfa_satisfied``
(USER_AUTH's first factor was an email code or a passkey that verified the user, see
``_user_auth``: the MFA step must not ask either), ``custom`` (CUSTOM_AUTH's trigger
session).

Choices where Cognito's behaviour is not documented:

* TIMESTAMP must parse as Cognito's format and lie within 5 minutes of the
  server's clock; a malformed one is InvalidParameterException, a stale one
  NotAuthorizedException (it does not count as a failed password).
* An UNCONFIRMED user gets UserNotConfirmedException after the password step,
  whether or not the password was right (as Cognito does, amazon-cognito-identity-js#288).
"""

import base64
import calendar
import datetime
import re
import secrets

from . import _accounts, _errors, _sessions, _tokens

# Every sign-in, once the password is proved, passes these steps in this order. Each
# name is registered by one module with @step(name):
STEPS = (
    "custom_auth",       # _custom_auth: CUSTOM_AUTH's Define decides what follows the SRP step
    "new_password",      # _new_password: a FORCE_CHANGE_PASSWORD user -> NEW_PASSWORD_REQUIRED
    "device",            # _devices: a remembered device that replaces MFA -> DEVICE_SRP_AUTH;
                         #   a known device is bound to the tokens, else a new key is chosen
    "mfa",               # _mfa: SMS_MFA, SOFTWARE_TOKEN_MFA, SELECT_MFA_TYPE or MFA_SETUP
    "device_after_mfa",  # _devices: a remembered device that does not replace MFA
                         #   -> DEVICE_SRP_AUTH after the code (what the original SDK expects)
)  # fmt: skip
# ... then the tokens are issued (finish), and these add to AuthenticationResult:
AFTER_TOKENS = (
    "device_metadata",   # _devices: NewDeviceMetadata for a new device
)  # fmt: skip

TIMESTAMP_TOLERANCE = 300
_TIMESTAMP = re.compile(
    r"^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"([0-9]{1,2}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) UTC ([0-9]{4})$"
)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# AuthFlow name -> (the ExplicitAuthFlows entry that allows it, handler(ctx, pool,
# client, params, body)).
FLOWS = {}
# ChallengeName -> handler(ctx, pool, client, responses, body), for
# RespondToAuthChallenge and AdminRespondToAuthChallenge.
CHALLENGES = {}
_STEP_HANDLERS = {}


# Registration ------------------------------------------------------------------------


def flow(name, allowed_by):
    """Decorator adding an InitiateAuth flow to ``FLOWS``.

    Args:
        name: the AuthFlow (``CUSTOM_AUTH``).
        allowed_by: the client's ExplicitAuthFlows entry that allows it.
    """

    def register(handler):
        FLOWS[name] = (allowed_by, handler)
        return handler

    return register


def challenge(name):
    """Decorator adding a RespondToAuthChallenge handler to ``CHALLENGES``.

    Args:
        name: the ChallengeName it answers (``SMS_MFA``).
    """

    def register(handler):
        CHALLENGES[name] = handler
        return handler

    return register


def step(name):
    """Decorator naming the handler of one step of ``STEPS`` or ``AFTER_TOKENS``.

    Raises:
        ValueError: the name is in neither table, or already has a handler.
    """

    def register(handler):
        if name not in STEPS + AFTER_TOKENS:
            raise ValueError("%s is not a sign-in step (see _signin.STEPS)" % name)
        if name in _STEP_HANDLERS:
            raise ValueError("sign-in step %s registered twice" % name)
        _STEP_HANDLERS[name] = handler
        return handler

    return register


def check_steps():
    """Make sure every step of the pipeline has its handler (``_app.load_actions``
    calls this once the action modules are imported).

    Raises:
        ValueError: naming the steps that no imported module handles.
    """
    missing = [name for name in STEPS + AFTER_TOKENS if name not in _STEP_HANDLERS]
    if missing:
        raise ValueError("sign-in steps without a handler: %s" % ", ".join(missing))


# Running a sign-in -------------------------------------------------------------------


def start_flow(ctx, pool, client, body, entry):
    """Run a FLOWS entry ``(allowed_by, handler)`` if the client allows it (InitiateAuth
    and AdminInitiateAuth)."""
    if entry is None:
        raise _errors.InvalidParameter("Initiate Auth method not supported.")
    allowed_by, handler = entry
    if allowed_by not in client["ExplicitAuthFlows"]:
        raise _errors.InvalidParameter("%s flow not enabled for this client" % body["AuthFlow"])
    return handler(ctx, pool, client, body.get("AuthParameters") or {}, body)


def answer_challenge(ctx, pool, client, body):
    """Run the CHALLENGES handler of ``body["ChallengeName"]`` (RespondToAuthChallenge
    and AdminRespondToAuthChallenge)."""
    handler = CHALLENGES.get(body["ChallengeName"])
    if handler is None:
        raise _errors.InvalidParameter("Invalid challenge name %s" % body["ChallengeName"])
    return handler(ctx, pool, client, body.get("ChallengeResponses") or {}, body)


def after_password(ctx, pool, client, user, state):
    """Finish a sign-in once the password is proved: status checks, the steps, tokens.

    Returns:
        A challenge answer from a step of ``STEPS``, or
        {ChallengeParameters: {}, AuthenticationResult: ...}.
    """
    if user.status == "UNCONFIRMED":
        raise _errors.UserNotConfirmed(_errors.USER_NOT_CONFIRMED)
    _accounts.check_user_usable(user)
    _accounts.clear_failures(ctx, user)
    return resume(ctx, pool, client, user, state)


def resume(ctx, pool, client, user, state, after=None):
    """Run the ``STEPS`` that follow ``after`` (all when None), then issue the tokens. A
    challenge's answer handler calls this once its step is satisfied.

    Args:
        after: the name of the step whose challenge was just answered (``"mfa"``).

    Raises:
        ValueError: ``after`` is not a step of ``STEPS``.
    """
    if after is not None and after not in STEPS:
        raise ValueError("%s is not a sign-in step (see _signin.STEPS)" % after)
    names = STEPS if after is None else STEPS[STEPS.index(after) + 1 :]
    for name in names:
        answer = _STEP_HANDLERS[name](ctx, pool, client, user, state)
        if answer is not None:
            return answer
    return finish(ctx, pool, client, user, state)


def finish(ctx, pool, client, user, state):
    """Issue the tokens that end a sign-in, then run ``AFTER_TOKENS``.

    ``state["access_claims"]`` (set by a step, e.g. ``device_key``) is added to the
    access token.
    """
    result = _sessions.start_session(ctx, pool, client, user, state.get("access_claims"))
    for name in AFTER_TOKENS:
        result.update(_STEP_HANDLERS[name](ctx, pool, client, user, state) or {})
    return {"ChallengeParameters": {}, "AuthenticationResult": result}


# Pending challenges ------------------------------------------------------------------


def random_text(size):
    """``size`` random bytes in base64 (Sessions, SECRET_BLOCKs)."""
    return base64.b64encode(secrets.token_bytes(size)).decode("ascii")


def challenge_answer(ctx, pool, client, user, name, parameters, state, block=None):
    """Store a pending challenge and build the answer that asks for it.

    Args:
        user: the User (its sub and username are bound to the challenge), or None
            for the simulated challenge of an unknown user.
        name: ChallengeName.
        parameters: ChallengeParameters to send.
        state: server-side data for the next step (JSON-able; never sent).
        block: a SECRET_BLOCK that also identifies the challenge (SRP steps).

    Returns:
        {ChallengeName, Session, ChallengeParameters}.
    """
    session = random_text(192)
    expires = ctx.now() + pool["AuthSessionValidity"] * 60
    # Expired challenges linger an hour so that late answers still hear "expired".
    ctx.store.purge_challenges(ctx.now() - 3600)
    ctx.store.put_challenge(
        _tokens.sha256_hex(session), _tokens.sha256_hex(block) if block else None,
        pool["Id"], client["ClientId"], user.sub if user else None,
        user.username if user else parameters.get("USER_ID_FOR_SRP", ""), name, state, expires,
    )  # fmt: skip
    return {"ChallengeName": name, "Session": session, "ChallengeParameters": parameters}


def take_session(ctx, client, name, session=None, block=None, consume=True):
    """Consume the pending challenge a Session (or SECRET_BLOCK) names.

    Args:
        consume: False to leave the challenge in place (the handler then calls
            ``ctx.store.drop_challenge(row["session_hash"])`` once the answer passes
            the checks that may be retried, such as the password policy).

    Returns:
        The challenge row (``state`` decoded).

    Raises:
        ServiceError: NotAuthorizedException for unknown, used, expired, or other
            client's or other challenge's sessions.
    """
    if session is None and block is None:
        raise _errors.InvalidParameter("Missing required parameter Session")
    row = ctx.store.take_challenge(
        session_hash=_tokens.sha256_hex(session) if session is not None else None,
        block_hash=_tokens.sha256_hex(block) if session is None else None,
        consume=consume,
    )
    if row is None:
        raise _errors.NotAuthorized("Invalid session for the user.")
    if (
        row["expires"] < ctx.now()
        or row["client_id"] != client["ClientId"]
        or (row["challenge"] != name)
    ):
        ctx.store.drop_challenge(row["session_hash"])
        if row["expires"] < ctx.now():
            raise _errors.NotAuthorized("Invalid session for the user, session is expired.")
        raise _errors.NotAuthorized("Invalid session provided for the user.")
    return row


# What the flows and challenges share -------------------------------------------------


def required(params, *names):
    """The values of AuthParameters or ChallengeResponses members that must be given.

    Raises:
        ServiceError: InvalidParameterException ``Missing required parameter NAME``.
    """
    for name in names:
        value = params.get(name)
        if not isinstance(value, str) or not value:
            raise _errors.InvalidParameter("Missing required parameter %s" % name)
    return [params[name] for name in names]


def unknown_user(client):
    """The error for a sign-in name that finds no user (hidden with
    PreventUserExistenceErrors)."""
    if _accounts.prevents_existence_errors(client):
        return _errors.NotAuthorized(_errors.INCORRECT_CREDENTIALS)
    return _errors.UserNotFound(_errors.USER_DOES_NOT_EXIST)


def parse_timestamp(text):
    """Epoch seconds of a TIMESTAMP like ``Tue May 7 00:09:40 UTC 2025``, or None."""
    match = _TIMESTAMP.match(text) if isinstance(text, str) else None
    if not match:
        return None
    _, month, day, hour, minute, second, year = match.groups()
    try:
        moment = datetime.datetime(
            int(year), _MONTHS.index(month) + 1, int(day), int(hour), int(minute), int(second),
            tzinfo=datetime.UTC,
        )  # fmt: skip
    except ValueError:
        return None
    return calendar.timegm(moment.utctimetuple())


def check_timestamp(ctx, stamp):
    """Refuse a PASSWORD_VERIFIER (or DEVICE_PASSWORD_VERIFIER) TIMESTAMP that is not
    in Cognito's format or not within ``TIMESTAMP_TOLERANCE`` of the server's clock.

    Raises:
        ServiceError: InvalidParameterException or NotAuthorizedException.
    """
    when = parse_timestamp(stamp)
    if when is None:
        raise _errors.InvalidParameter(
            "TIMESTAMP is not in the format 'Tue May 7 00:09:40 UTC 2025'."
        )
    if abs(ctx.now() - when) > TIMESTAMP_TOLERANCE:
        raise _errors.NotAuthorized("TIMESTAMP is not within 5 minutes of the server's clock.")
