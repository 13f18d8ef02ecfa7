"""Sign-in: InitiateAuth, RespondToAuthChallenge, GlobalSignOut and RevokeToken.

Two tables make the flows extensible without touching the actions:

* ``FLOWS``: AuthFlow name -> (the ExplicitAuthFlows entry that allows it,
  handler(ctx, pool, client, params, body)). CUSTOM_AUTH and USER_AUTH go here.
* ``CHALLENGES``: ChallengeName -> handler(ctx, pool, client, responses, body), for
  RespondToAuthChallenge. SMS_MFA, SOFTWARE_TOKEN_MFA, SELECT_MFA_TYPE, MFA_SETUP,
  DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER and CUSTOM_CHALLENGE go here.

Once a user has proved the password, ``after_password`` runs the steps in
``AFTER_PASSWORD_STEPS`` in order; a step returns a challenge answer (built with
``challenge_answer``) to stop there, or None to let sign-in go on. When none
stops, tokens are issued, and every function in ``RESULT_EXTRAS`` may add members
to AuthenticationResult (``NewDeviceMetadata`` with device tracking). MFA and
devices plug in there; ``state`` carries what the first step knew (the
DEVICE_KEY sent, the flow) from challenge to challenge.

Choices where Cognito's behaviour is not documented:

* TIMESTAMP must parse as Cognito's format and lie within 5 minutes of the
  server's clock; a malformed one is InvalidParameterException, a stale one
  NotAuthorizedException (it does not count as a failed password).
* An SRP_A that is not hex, too long, or 0 mod N is InvalidParameterException.
* An UNCONFIRMED user gets UserNotConfirmedException after the password step,
  whether or not the password was right (as Cognito does, amazon-cognito-identity-js#288).
"""

import base64
import calendar
import datetime
import hmac
import json
import re
import secrets

from . import _common, _errors, _existence, _srp_server, _tokens
from ._registry import Field, action

TIMESTAMP_TOLERANCE = 300
_TIMESTAMP = re.compile(
    r"^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"([0-9]{1,2}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) UTC ([0-9]{4})$"
)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

FLOWS = {}
CHALLENGES = {}
AFTER_PASSWORD_STEPS = []
RESULT_EXTRAS = []
# check(ctx, pool, user, device_key) for a DEVICE_KEY sent with PASSWORD_VERIFIER, run
# once the password is proved; raising (ResourceNotFoundException for an unknown
# device, see _devices) refuses the answer but leaves the challenge pending.
DEVICE_KEY_CHECKS = []
# claims(ctx, pool, client, user, params) -> dict of access-token claims for a refresh
# (``device_key`` when AuthParameters name the user's device, see _devices).
REFRESH_CLAIMS = []

AUTH_FLOW_NAMES = [
    "USER_SRP_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN", "CUSTOM_AUTH", "ADMIN_NO_SRP_AUTH",
    "USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "USER_AUTH",
]  # fmt: skip
CHALLENGE_NAMES = [
    "SMS_MFA", "EMAIL_OTP", "SOFTWARE_TOKEN_MFA", "SELECT_MFA_TYPE", "MFA_SETUP",
    "PASSWORD_VERIFIER", "CUSTOM_CHALLENGE", "SELECT_CHALLENGE", "DEVICE_SRP_AUTH",
    "DEVICE_PASSWORD_VERIFIER", "ADMIN_NO_SRP_AUTH", "NEW_PASSWORD_REQUIRED", "SMS_OTP",
    "PASSWORD", "WEB_AUTHN", "PASSWORD_SRP",
]  # fmt: skip
_COMMON_FIELDS = [
    Field("ClientMetadata", "map"),
    Field("AnalyticsMetadata", "object"),
    Field("UserContextData", "object"),
]


def flow(name, allowed_by):
    """Decorator adding an InitiateAuth flow to ``FLOWS``."""

    def register(handler):
        FLOWS[name] = (allowed_by, handler)
        return handler

    return register


def challenge(name):
    """Decorator adding a RespondToAuthChallenge handler to ``CHALLENGES``."""

    def register(handler):
        CHALLENGES[name] = handler
        return handler

    return register


def _random_text(size):
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
    session = _random_text(192)
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


def after_password(ctx, pool, client, user, state):
    """Finish a sign-in once the password is proved: status checks, extra steps, tokens.

    Returns:
        A challenge answer from an AFTER_PASSWORD_STEPS step, or
        {ChallengeParameters: {}, AuthenticationResult: ...}.
    """
    if user.status == "UNCONFIRMED":
        raise _errors.UserNotConfirmed(_errors.USER_NOT_CONFIRMED)
    _common.check_user_usable(user)
    _common.clear_failures(ctx, user)
    return resume(ctx, pool, client, user, state)


def resume(ctx, pool, client, user, state, after=None):
    """Run the AFTER_PASSWORD_STEPS that follow ``after`` (all when None), then issue
    tokens. A challenge's answer handler calls this once its step is satisfied.

    Args:
        after: the step function whose challenge was just answered.
    """
    steps = AFTER_PASSWORD_STEPS
    if after is not None:
        steps = steps[steps.index(after) + 1 :]
    for step in steps:
        answer = step(ctx, pool, client, user, state)
        if answer is not None:
            return answer
    return finish(ctx, pool, client, user, state)


def finish(ctx, pool, client, user, state):
    """Issue the tokens that end a sign-in.

    ``state["access_claims"]`` (set by a step, e.g. ``device_key``) is added to the
    access token; RESULT_EXTRAS add members to AuthenticationResult.
    """
    result = _common.start_session(ctx, pool, client, user, state.get("access_claims"))
    for extra in RESULT_EXTRAS:
        result.update(extra(ctx, pool, client, user, state) or {})
    return {"ChallengeParameters": {}, "AuthenticationResult": result}


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


def _required(params, *names):
    for name in names:
        value = params.get(name)
        if not isinstance(value, str) or not value:
            raise _errors.InvalidParameter("Missing required parameter %s" % name)
    return [params[name] for name in names]


# Actions -----------------------------------------------------------------------------


@action(
    "InitiateAuth",
    fields=[
        Field("AuthFlow", required=True, choices=AUTH_FLOW_NAMES),
        Field("ClientId", required=True, min_len=1, max_len=128),
        Field("AuthParameters", "map"),
        Field("Session", min_len=20, max_len=2048),
        *_COMMON_FIELDS,
    ],
)
def initiate_auth(ctx, body):
    """InitiateAuth: start a sign-in with one of the client's allowed flows."""
    pool, client = _common.get_client(ctx, body["ClientId"])
    return start_flow(ctx, pool, client, body, FLOWS.get(body["AuthFlow"]))


def start_flow(ctx, pool, client, body, entry):
    """Run a FLOWS entry ``(allowed_by, handler)`` if the client allows it (InitiateAuth
    and AdminInitiateAuth)."""
    if entry is None:
        raise _errors.InvalidParameter("Initiate Auth method not supported.")
    allowed_by, handler = entry
    if allowed_by not in client["ExplicitAuthFlows"]:
        raise _errors.InvalidParameter("%s flow not enabled for this client" % body["AuthFlow"])
    return handler(ctx, pool, client, body.get("AuthParameters") or {}, body)


@action(
    "RespondToAuthChallenge",
    fields=[
        Field("ClientId", required=True, min_len=1, max_len=128),
        Field("ChallengeName", required=True, choices=CHALLENGE_NAMES),
        Field("Session", min_len=20, max_len=2048),
        Field("ChallengeResponses", "map"),
        *_COMMON_FIELDS,
    ],
)
def respond_to_auth_challenge(ctx, body):
    """RespondToAuthChallenge: answer the challenge a previous step asked for."""
    pool, client = _common.get_client(ctx, body["ClientId"])
    handler = CHALLENGES.get(body["ChallengeName"])
    if handler is None:
        raise _errors.InvalidParameter("Invalid challenge name %s" % body["ChallengeName"])
    return handler(ctx, pool, client, body.get("ChallengeResponses") or {}, body)


# Flows -------------------------------------------------------------------------------


def _unknown_user(client):
    if _common.prevents_existence_errors(client):
        return _errors.NotAuthorized(_errors.INCORRECT_CREDENTIALS)
    return _errors.UserNotFound(_errors.USER_DOES_NOT_EXIST)


@flow("USER_SRP_AUTH", "ALLOW_USER_SRP_AUTH")
def _user_srp_auth(ctx, pool, client, params, body):
    username, srp_a = _required(params, "USERNAME", "SRP_A")
    a = _srp_server.parse_a(srp_a)
    if a is None:
        raise _errors.InvalidParameter("SRP_A is not a valid SRP value.")
    user = _common.find_user(ctx, pool, username)
    _common.check_secret_hash(client, params.get("SECRET_HASH"), _common.user_names(user, username))
    if user is None or user.verifier is None:
        if not _common.prevents_existence_errors(client):
            raise _unknown_user(client)
        # PreventUserExistenceErrors: a challenge like a real user's that no answer passes.
        parameters, ghost = _existence.srp_challenge(ctx, pool, username)
        block = parameters["SECRET_BLOCK"] = _random_text(48)
        ghost["a"] = "%x" % a
        return challenge_answer(ctx, pool, client, None, "PASSWORD_VERIFIER", parameters,
                                ghost, block)  # fmt: skip
    _common.check_user_usable(user)
    b, big_b = _srp_server.server_challenge(user.verifier)
    block = _random_text(48)
    state = {
        "a": "%x" % a,
        "b": "%x" % b,
        "B": "%x" % big_b,
        "device_key": params.get("DEVICE_KEY"),
        "flow": "USER_SRP_AUTH",
    }
    parameters = {
        "SALT": user.salt, "SECRET_BLOCK": block, "SRP_B": "%x" % big_b,
        "USERNAME": user.username, "USER_ID_FOR_SRP": user.username,
    }  # fmt: skip
    return challenge_answer(ctx, pool, client, user, "PASSWORD_VERIFIER", parameters, state, block)


@flow("USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH")
def _user_password_auth(ctx, pool, client, params, body):
    return password_sign_in(ctx, pool, client, params, "USER_PASSWORD_AUTH")


def password_sign_in(ctx, pool, client, params, flow_name):
    """USERNAME and PASSWORD checked against the stored verifier, then the steps after
    the password: USER_PASSWORD_AUTH and the admin ADMIN_USER_PASSWORD_AUTH."""
    username, password = _required(params, "USERNAME", "PASSWORD")
    user = _common.find_user(ctx, pool, username)
    _common.check_secret_hash(client, params.get("SECRET_HASH"), _common.user_names(user, username))
    if user is None or user.verifier is None:
        if _common.prevents_existence_errors(client):
            _existence.password_work(ctx, pool, username, password)  # the same work
        raise _unknown_user(client)
    _common.check_user_usable(user)
    _common.check_not_locked(ctx, user)
    good = _srp_server.check_password(
        _common.pool_name(pool), user.username, password, user.salt, user.verifier
    )
    if user.status == "UNCONFIRMED":
        raise _errors.UserNotConfirmed(_errors.USER_NOT_CONFIRMED)
    if not good:
        _common.record_failure(ctx, user)
        raise _errors.NotAuthorized(_errors.INCORRECT_CREDENTIALS)
    state = {"device_key": params.get("DEVICE_KEY"), "flow": flow_name}
    return after_password(ctx, pool, client, user, state)


def _refresh(ctx, pool, client, params, body):
    (token,) = _required(params, "REFRESH_TOKEN")
    family = ctx.store.family_by_refresh(_tokens.sha256_hex(token))
    if family is None or family["client_id"] != client["ClientId"]:
        raise _errors.NotAuthorized("Invalid Refresh Token")
    user = ctx.store.get_user_by_sub(family["sub"])
    _common.check_secret_hash(
        client, params.get("SECRET_HASH"), _common.user_names(user, params.get("USERNAME"))
    )
    if family["revoked"] is not None:
        raise _errors.NotAuthorized("Refresh Token has been revoked")
    if family["expires"] < ctx.now():
        raise _errors.NotAuthorized("Refresh Token has expired")
    if user is None:
        raise _errors.NotAuthorized("Invalid Refresh Token")
    _common.check_user_usable(user)
    extra = {}
    for claims in REFRESH_CLAIMS:
        extra.update(claims(ctx, pool, client, user, params) or {})
    id_token, access_token, expires_in = _tokens.issue(
        ctx.store, ctx, pool, client, user, family["auth_time"], family["origin_jti"], extra
    )
    # Without rotation, Cognito returns no new refresh token.
    return {
        "ChallengeParameters": {},
        "AuthenticationResult": {
            "AccessToken": access_token,
            "ExpiresIn": expires_in,
            "TokenType": "Bearer",
            "IdToken": id_token,
        },
    }


flow("REFRESH_TOKEN_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")(_refresh)
flow("REFRESH_TOKEN", "ALLOW_REFRESH_TOKEN_AUTH")(_refresh)


# Challenges --------------------------------------------------------------------------


@challenge("PASSWORD_VERIFIER")
def _password_verifier(ctx, pool, client, responses, body):
    block, signature, stamp, username = _required(
        responses, "PASSWORD_CLAIM_SECRET_BLOCK", "PASSWORD_CLAIM_SIGNATURE", "TIMESTAMP",
        "USERNAME",
    )  # fmt: skip
    # The secret block finds the challenge (clients such as pycognito send no Session);
    # a Session, when sent, must be the one that came with that block.
    row = take_session(ctx, client, "PASSWORD_VERIFIER", block=block)
    session = body.get("Session")
    if session is not None and not hmac.compare_digest(
        _tokens.sha256_hex(session), row["session_hash"]
    ):
        raise _errors.NotAuthorized("Invalid session provided for the user.")
    user = ctx.store.get_user_by_sub(row["sub"]) if row["sub"] else None
    _common.check_secret_hash(
        client, responses.get("SECRET_HASH"), _common.user_names(user, username)
    )
    ghost = row["state"].get("ghost")
    if (user is None or user.verifier is None) and not ghost:
        raise _unknown_user(client)  # deleted between the two steps
    named = _common.find_user(ctx, pool, username)
    if not ghost and (named is None or named.sub != user.sub):
        raise _errors.NotAuthorized(_errors.INCORRECT_CREDENTIALS)
    when = parse_timestamp(stamp)
    if when is None:
        raise _errors.InvalidParameter(
            "TIMESTAMP is not in the format 'Tue May 7 00:09:40 UTC 2025'."
        )
    if abs(ctx.now() - when) > TIMESTAMP_TOLERANCE:
        raise _errors.NotAuthorized("TIMESTAMP is not within 5 minutes of the server's clock.")
    if ghost:  # an unknown name: the same checks and signature work, then no
        _existence.srp_answer_work(pool, row["state"], row["state"].get("a"), block, stamp)
        raise _errors.NotAuthorized(_errors.INCORRECT_CREDENTIALS)
    _common.check_user_usable(user)
    _common.check_not_locked(ctx, user)
    state = row["state"]
    expected = _srp_server.expected_signature(
        _common.pool_name(pool), row["username"], user.verifier, int(state["a"], 16),
        int(state["b"], 16), int(state["B"], 16), block, stamp,
    )  # fmt: skip
    if not _srp_server.signatures_match(expected, signature):
        if user.status == "UNCONFIRMED":
            raise _errors.UserNotConfirmed(_errors.USER_NOT_CONFIRMED)
        _common.record_failure(ctx, user)
        raise _errors.NotAuthorized(_errors.INCORRECT_CREDENTIALS)
    if responses.get("DEVICE_KEY"):
        try:
            for check in DEVICE_KEY_CHECKS:
                check(ctx, pool, user, responses["DEVICE_KEY"])
        except _errors.ServiceError:
            # The original SDK answers "device not found" by sending the same answer
            # again without DEVICE_KEY: the challenge must still be pending for it.
            ctx.store.put_challenge(
                row["session_hash"], row["block_hash"], row["pool_id"], row["client_id"],
                row["sub"], row["username"], row["challenge"], row["state"], row["expires"],
            )  # fmt: skip
            raise
    # The SRP secrets are spent; later steps must not carry them around.
    state = {key: value for key, value in row["state"].items() if key not in ("a", "b", "B")}
    if responses.get("DEVICE_KEY"):
        state["device_key"] = responses["DEVICE_KEY"]
    return after_password(ctx, pool, client, user, state)


def _new_password_step(ctx, pool, client, user, state):
    """Users made by AdminCreateUser must choose a password first (FORCE_CHANGE_PASSWORD)."""
    if user.status != "FORCE_CHANGE_PASSWORD":
        return None
    expires = user.extra.get("temporary_password_expires")
    if expires is not None and ctx.now() > expires:
        raise _errors.NotAuthorized(
            "Temporary password has expired and must be reset by an administrator."
        )
    shown = {
        name: value
        for name, value in user.attributes.items()
        if name != "sub" and pool["Schema"].get(name, {}).get("Mutable", True)
    }
    required = [
        "userAttributes." + name
        for name, spec in sorted(pool["Schema"].items())
        if spec["Required"] and not user.attributes.get(name)
    ]
    parameters = {
        "USER_ID_FOR_SRP": user.username,
        "requiredAttributes": json.dumps(required),
        "userAttributes": json.dumps(shown),
    }
    return challenge_answer(ctx, pool, client, user, "NEW_PASSWORD_REQUIRED", parameters, state)


AFTER_PASSWORD_STEPS.append(_new_password_step)


@challenge("NEW_PASSWORD_REQUIRED")
def _new_password_required(ctx, pool, client, responses, body):
    (password,) = _required(responses, "NEW_PASSWORD")
    row = take_session(
        ctx, client, "NEW_PASSWORD_REQUIRED", session=body.get("Session"), consume=False
    )
    user = ctx.store.get_user_by_sub(row["sub"])
    username = responses.get("USERNAME")
    named = _common.find_user(ctx, pool, username) if username else user
    if user is None or named is None or named.sub != user.sub:
        ctx.store.drop_challenge(row["session_hash"])
        raise _errors.NotAuthorized("Invalid session provided for the user.")
    # A refused password or missing attribute leaves the session usable for a retry.
    _common.check_password_policy(pool, password)
    prefix = "userAttributes."
    changes = _common.check_attributes(
        pool,
        client,
        [
            {"Name": name[len(prefix) :], "Value": value}
            for name, value in responses.items()
            if name.startswith(prefix)
        ],
        updating=True,
    )
    merged = dict(user.attributes, **changes)
    _common.check_required(pool, merged)
    ctx.store.drop_challenge(row["session_hash"])
    _common.check_secret_hash(
        client, responses.get("SECRET_HASH"), _common.user_names(user, username)
    )
    user.attributes = {name: value for name, value in merged.items() if value != ""}
    _common.set_password(ctx, pool, user, password)
    user.status = "CONFIRMED"
    user.extra.pop("temporary_password_expires", None)
    ctx.store.save_user(user)
    return resume(ctx, pool, client, user, row["state"], after=_new_password_step)


# Sessions ----------------------------------------------------------------------------


@action("GlobalSignOut", fields=[Field("AccessToken", required=True, max_len=16384)])
def global_sign_out(ctx, body):
    """GlobalSignOut: revoke every refresh token of the user and their access tokens."""
    _, user, _ = _common.authenticate(ctx, body["AccessToken"])
    ctx.store.revoke_user_families(user.sub, ctx.now())
    return {}


@action(
    "RevokeToken",
    fields=[
        Field("Token", required=True, min_len=1, max_len=16384),
        Field("ClientId", required=True, min_len=1, max_len=128),
        Field("ClientSecret", min_len=1, max_len=64),
    ],
)
def revoke_token(ctx, body):
    """RevokeToken: revoke one refresh token and the access tokens made from it.

    An unknown refresh token is accepted silently (RFC 7009); an ID or access
    token is UnsupportedTokenTypeException; a token of another client, or a wrong
    client secret, UnauthorizedException.
    """
    client = ctx.store.get_client(body["ClientId"])
    if client is None:
        raise _errors.Unauthorized("Invalid client")
    secret = client.get("ClientSecret")
    if secret and not hmac.compare_digest(
        secret.encode(), (body.get("ClientSecret") or "").encode("utf-8", "replace")
    ):
        raise _errors.Unauthorized("Invalid client secret")
    if not client["EnableTokenRevocation"]:
        raise _errors.UnsupportedOperation("Token revocation is not enabled for this app client.")
    token = body["Token"]
    if token.count(".") == 2:
        raise _errors.UnsupportedTokenType("Unsupported token type")
    family = ctx.store.family_by_refresh(_tokens.sha256_hex(token))
    if family is None:
        return {}
    if family["client_id"] != client["ClientId"]:
        raise _errors.Unauthorized("The token was not issued to this client")
    ctx.store.revoke_family(family["origin_jti"], ctx.now())
    return {}
