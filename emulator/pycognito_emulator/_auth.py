"""Sign-in and sign-out, the user API: InitiateAuth and RespondToAuthChallenge, the
password flows, the refresh flows, GlobalSignOut and RevokeToken.

The order a sign-in follows, and the tables the flows and challenges below register
in, are in ``_signin``. Here:

* USER_SRP_AUTH, then its PASSWORD_VERIFIER challenge (the SRP proof, and a DEVICE_KEY
  sent with it checked against ``_devices``); USER_PASSWORD_AUTH, and the admin's
  ADMIN_USER_PASSWORD_AUTH through ``password_sign_in``. Both go on with
  ``_signin.after_password``.
* REFRESH_TOKEN_AUTH (and its alias REFRESH_TOKEN): new ID and access tokens for a
  refresh token, the device claim kept (``_devices.refresh_claims``). ``_rotation``
  refuses it on a client that rotates refresh tokens (``refuse_refresh_flow``) and
  finds the sign-in of a refresh token rotation issued (``find_family``, which
  RevokeToken uses too).

Choices where Cognito's behaviour is not documented:

* An SRP_A that is not hex, too long, or 0 mod N is InvalidParameterException.
* An unknown user with PreventUserExistenceErrors gets a convincing PASSWORD_VERIFIER
  challenge (a salt that is stable per name) that no answer can pass.
"""

import hashlib
import hmac

from . import _accounts, _devices, _errors, _rotation, _sessions, _signin, _srp_server, _tokens
from ._registry import Field, action

# Code written before the pipeline had a module of its own reaches these through
# _auth (``@_auth.flow``, ``@_auth.challenge``, ``_auth.resume``...); they live in
# _signin.
from ._signin import (  # noqa: F401
    CHALLENGES,
    FLOWS,
    TIMESTAMP_TOLERANCE,
    after_password,
    challenge,
    challenge_answer,
    finish,
    flow,
    parse_timestamp,
    resume,
    start_flow,
    take_session,
)
from ._signin import random_text as _random_text
from ._signin import required as _required
from ._signin import unknown_user as _unknown_user

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
    pool, client = _accounts.get_client(ctx, body["ClientId"])
    return _signin.start_flow(ctx, pool, client, body, FLOWS.get(body["AuthFlow"]))


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
    pool, client = _accounts.get_client(ctx, body["ClientId"])
    return _signin.answer_challenge(ctx, pool, client, body)


# Flows -------------------------------------------------------------------------------


def _fake_salt(ctx, pool, username):
    # A stable salt per unknown name, keyed by the pool's private key so that it
    # cannot be told apart from a real one.
    row = ctx.store.pool_keys(pool["Id"])[0]
    digest = hmac.new(row["private_pem"].encode(), username.encode("utf-8"), hashlib.sha256)
    return digest.hexdigest()[:32]


@flow("USER_SRP_AUTH", "ALLOW_USER_SRP_AUTH")
def _user_srp_auth(ctx, pool, client, params, body):
    username, srp_a = _required(params, "USERNAME", "SRP_A")
    a = _srp_server.parse_a(srp_a)
    if a is None:
        raise _errors.InvalidParameter("SRP_A is not a valid SRP value.")
    user = _accounts.find_user(ctx, pool, username)
    _accounts.check_secret_hash(
        client, params.get("SECRET_HASH"), _accounts.user_names(user, username)
    )
    if user is None or user.verifier is None:
        if not _accounts.prevents_existence_errors(client):
            raise _unknown_user(client)
        # PreventUserExistenceErrors: a convincing challenge that no answer can pass.
        _, big_b = _srp_server.server_challenge(_srp_server.make_verifier("x", "x", "x")[1])
        block = _random_text(48)
        parameters = {
            "SALT": _fake_salt(ctx, pool, username), "SECRET_BLOCK": block,
            "SRP_B": "%x" % big_b, "USERNAME": username, "USER_ID_FOR_SRP": username,
        }  # fmt: skip
        return challenge_answer(
            ctx, pool, client, None, "PASSWORD_VERIFIER", parameters, {"ghost": True}, block
        )
    _accounts.check_user_usable(user)
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
    user = _accounts.find_user(ctx, pool, username)
    _accounts.check_secret_hash(
        client, params.get("SECRET_HASH"), _accounts.user_names(user, username)
    )
    if user is None or user.verifier is None:
        raise _unknown_user(client)
    _accounts.check_user_usable(user)
    _accounts.check_not_locked(ctx, user)
    good = _srp_server.check_password(
        _accounts.pool_name(pool), user.username, password, user.salt, user.verifier
    )
    if user.status == "UNCONFIRMED":
        raise _errors.UserNotConfirmed(_errors.USER_NOT_CONFIRMED)
    if not good:
        _accounts.record_failure(ctx, user)
        raise _errors.NotAuthorized(_errors.INCORRECT_CREDENTIALS)
    state = {"device_key": params.get("DEVICE_KEY"), "flow": flow_name}
    return after_password(ctx, pool, client, user, state)


def _refresh(ctx, pool, client, params, body):
    (token,) = _required(params, "REFRESH_TOKEN")
    _rotation.refuse_refresh_flow(ctx, client, _tokens.sha256_hex(token))
    family = _rotation.find_family(ctx, _tokens.sha256_hex(token))
    if family is None or family["client_id"] != client["ClientId"]:
        raise _errors.NotAuthorized("Invalid Refresh Token")
    user = ctx.store.get_user_by_sub(family["sub"])
    _accounts.check_secret_hash(
        client, params.get("SECRET_HASH"), _accounts.user_names(user, params.get("USERNAME"))
    )
    if family["revoked"] is not None:
        raise _errors.NotAuthorized("Refresh Token has been revoked")
    if family["expires"] < ctx.now():
        raise _errors.NotAuthorized("Refresh Token has expired")
    if user is None:
        raise _errors.NotAuthorized("Invalid Refresh Token")
    _accounts.check_user_usable(user)
    extra = _devices.refresh_claims(ctx, pool, client, user, params) or {}
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
    _accounts.check_secret_hash(
        client, responses.get("SECRET_HASH"), _accounts.user_names(user, username)
    )
    if user is None or user.verifier is None:
        if row["state"].get("ghost"):
            raise _errors.NotAuthorized(_errors.INCORRECT_CREDENTIALS)
        raise _unknown_user(client)  # deleted between the two steps
    named = _accounts.find_user(ctx, pool, username)
    if named is None or named.sub != user.sub:
        raise _errors.NotAuthorized(_errors.INCORRECT_CREDENTIALS)
    _signin.check_timestamp(ctx, stamp)
    _accounts.check_user_usable(user)
    _accounts.check_not_locked(ctx, user)
    state = row["state"]
    expected = _srp_server.expected_signature(
        _accounts.pool_name(pool), row["username"], user.verifier, int(state["a"], 16),
        int(state["b"], 16), int(state["B"], 16), block, stamp,
    )  # fmt: skip
    if not _srp_server.signatures_match(expected, signature):
        if user.status == "UNCONFIRMED":
            raise _errors.UserNotConfirmed(_errors.USER_NOT_CONFIRMED)
        _accounts.record_failure(ctx, user)
        raise _errors.NotAuthorized(_errors.INCORRECT_CREDENTIALS)
    if responses.get("DEVICE_KEY"):
        try:
            _devices.check_device_key(ctx, pool, user, responses["DEVICE_KEY"])
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


# Sign-out ----------------------------------------------------------------------------


@action("GlobalSignOut", fields=[Field("AccessToken", required=True, max_len=16384)])
def global_sign_out(ctx, body):
    """GlobalSignOut: revoke every refresh token of the user and their access tokens."""
    _, user, _ = _sessions.authenticate(ctx, body["AccessToken"])
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
    family = _rotation.find_family(ctx, _tokens.sha256_hex(token))
    if family is None:
        return {}
    if family["client_id"] != client["ClientId"]:
        raise _errors.Unauthorized("The token was not issued to this client")
    ctx.store.revoke_family(family["origin_jti"], ctx.now())
    return {}
