"""TOTP (software token MFA): the RFC 6238 arithmetic, AssociateSoftwareToken and
VerifySoftwareToken, and the answer to the SOFTWARE_TOKEN_MFA challenge.

The user's token lives in ``user.extra``: ``software_token`` ``{"secret", "verified",
"last_step", "name"}`` plus ``software_token_pending`` (a secret from
AssociateSoftwareToken with an access token, not yet verified). During the MFA_SETUP
challenge (``_mfa``) the two actions take the challenge's Session instead: the secret
travels in the challenge state until VerifySoftwareToken accepts a code, which also
enables TOTP as the preferred method; ``_mfa``'s MFA_SETUP answer then goes on.

Choices where Cognito's behaviour is not documented:

* RFC 6238, HMAC-SHA1, 30 s step, 6 digits, codes of the previous, current and next
  step accepted. A code whose step is not later than the last accepted one
  (VerifySoftwareToken counts too) is refused: in a challenge with
  ExpiredCodeException ``Your software token has already been used once.`` (as one
  third-party test expects), in VerifySoftwareToken with the usual
  EnableSoftwareTokenMFAException.
* VerifySoftwareToken with an access token verifies the token but changes no
  preference (call SetUserMFAPreference).

The pool and user settings, the wrong-code limit and the rest of the MFA step are
``_mfa``'s; this module calls it, never the other way round.
"""

import base64
import hashlib
import hmac
import secrets
import struct

from . import _errors, _mfa, _sessions, _signin, _tokens
from ._registry import Field, action

TOTP_STEP = 30
TOTP_DIGITS = 6
TOTP_WINDOW = 1
TOKEN_REUSED = "Your software token has already been used once."
TOKEN_MISMATCH = "Code mismatch and fail enable Software Token MFA"
NO_POOL_TOTP = "Software Token MFA has not been enabled by the userPool"
NO_USER_TOTP = "Software Token MFA does not exist for the user."
_TOKEN = Field("AccessToken", max_len=16384)
_SESSION = Field("Session", min_len=20, max_len=2048)


# The arithmetic ----------------------------------------------------------------------


def new_secret():
    """A TOTP secret: 160 random bits, base32 without padding (32 characters)."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def totp(secret, step):
    """The RFC 6238 code of a base32 secret for a time step (HMAC-SHA1, 6 digits)."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return "%0*d" % (TOTP_DIGITS, value % 10**TOTP_DIGITS)


def matching_step(ctx, secret, code):
    """The time step (within the window) whose code is ``code``, or None."""
    if not isinstance(code, str) or len(code) != TOTP_DIGITS or not code.isdigit():
        return None
    now = int(ctx.now()) // TOTP_STEP
    found = None
    for step in range(now - TOTP_WINDOW, now + TOTP_WINDOW + 1):
        if hmac.compare_digest(totp(secret, step).encode(), code.encode()):
            found = step
    return found


# AssociateSoftwareToken, VerifySoftwareToken -----------------------------------------


def _setup_challenge(ctx, session):
    """(pool, client, row) of a pending MFA_SETUP challenge named by a Session."""
    peek = ctx.store.take_challenge(session_hash=_tokens.sha256_hex(session), consume=False)
    client = ctx.store.get_client(peek["client_id"]) if peek else None
    if client is None:
        raise _errors.NotAuthorized("Invalid session for the user.")
    pool = ctx.store.get_pool(client["UserPoolId"])
    row = _signin.take_session(ctx, client, "MFA_SETUP", session=session, consume=False)
    return pool, client, row


def _require_one(body):
    if (body.get("AccessToken") is None) == (body.get("Session") is None):
        raise _errors.InvalidParameter("Exactly one of AccessToken and Session must be given.")


@action("AssociateSoftwareToken", fields=[_TOKEN, _SESSION])
def associate_software_token(ctx, body):
    """AssociateSoftwareToken: a new TOTP secret, for a signed-in user (AccessToken) or
    during the MFA_SETUP challenge (Session; the answer carries a new Session)."""
    _require_one(body)
    if body.get("AccessToken") is not None:
        pool, user, _ = _sessions.authenticate(ctx, body["AccessToken"])
        if not _mfa.pool_mfa(pool)[2]:
            raise _errors.ServiceError("SoftwareTokenMFANotFoundException", NO_POOL_TOTP)
        secret = new_secret()
        user.extra["software_token_pending"] = secret
        user.modified = ctx.now()
        ctx.store.save_user(user)
        return {"SecretCode": secret}
    pool, client, row = _setup_challenge(ctx, body["Session"])
    if not _mfa.pool_mfa(pool)[2]:
        raise _errors.ServiceError("SoftwareTokenMFANotFoundException", NO_POOL_TOTP)
    user = ctx.store.get_user_by_sub(row["sub"])
    if user is None:
        raise _errors.NotAuthorized("Invalid session for the user.")
    ctx.store.drop_challenge(row["session_hash"])
    state = dict(row["state"], totp_secret=new_secret(), mfa_setup_verified=False)
    answer = _signin.challenge_answer(ctx, pool, client, user, "MFA_SETUP", {}, state)
    return {"SecretCode": state["totp_secret"], "Session": answer["Session"]}


def _accept(ctx, user, secret, code, name=None):
    """Make ``secret`` the user's verified token if ``code`` matches; else raise."""
    step = matching_step(ctx, secret, code)
    if step is None:
        raise _errors.ServiceError("EnableSoftwareTokenMFAException", TOKEN_MISMATCH)
    user.extra["software_token"] = {
        "secret": secret, "verified": True, "last_step": step, "name": name,
    }  # fmt: skip
    user.extra.pop("software_token_pending", None)
    user.modified = ctx.now()


@action(
    "VerifySoftwareToken",
    fields=[
        _TOKEN, _SESSION,
        Field("UserCode", required=True, min_len=6, max_len=6, pattern=(r"^[0-9]+$", "[0-9]+")),
        Field("FriendlyDeviceName", max_len=131072),
    ],
)  # fmt: skip
def verify_software_token(ctx, body):
    """VerifySoftwareToken: check the first code of a newly associated TOTP secret."""
    _require_one(body)
    name = body.get("FriendlyDeviceName")
    if body.get("AccessToken") is not None:
        _, user, _ = _sessions.authenticate(ctx, body["AccessToken"])
        secret = user.extra.get("software_token_pending")
        if not secret:
            raise _errors.ServiceError("SoftwareTokenMFANotFoundException", NO_USER_TOTP)
        _accept(ctx, user, secret, body["UserCode"], name)
        ctx.store.save_user(user)
        return {"Status": "SUCCESS"}
    pool, client, row = _setup_challenge(ctx, body["Session"])
    secret = row["state"].get("totp_secret")
    if not secret:
        raise _errors.ServiceError("SoftwareTokenMFANotFoundException", NO_USER_TOTP)
    user = ctx.store.get_user_by_sub(row["sub"])
    if user is None:
        raise _errors.NotAuthorized("Invalid session for the user.")
    try:
        _accept(ctx, user, secret, body["UserCode"], name)
    except _errors.ServiceError:
        _mfa._count_wrong(ctx, row)
        raise
    _mfa.set_method(user, _mfa.TOTP, True, True)
    ctx.store.save_user(user)
    ctx.store.drop_challenge(row["session_hash"])
    state = {key: value for key, value in row["state"].items() if key != "totp_secret"}
    state.update(mfa_setup_verified=True, wrong_codes=0)
    answer = _signin.challenge_answer(ctx, pool, client, user, "MFA_SETUP", {}, state)
    return {"Status": "SUCCESS", "Session": answer["Session"]}


# The SOFTWARE_TOKEN_MFA challenge ----------------------------------------------------


@_signin.challenge(_mfa.TOTP)
def _software_token_mfa(ctx, pool, client, responses, body):
    (code,) = _signin.required(responses, "SOFTWARE_TOKEN_MFA_CODE")
    row, user = _mfa._challenge_user(ctx, pool, client, _mfa.TOTP, responses, body)
    token = _mfa.software_token(user)
    if token is None:
        ctx.store.drop_challenge(row["session_hash"])
        raise _errors.ServiceError("SoftwareTokenMFANotFoundException", NO_USER_TOTP)
    step = matching_step(ctx, token["secret"], code)
    if step is None:
        _mfa._count_wrong(ctx, row)
        raise _errors.CodeMismatch(_mfa.CODE_MISMATCH)
    if token.get("last_step") is not None and step <= token["last_step"]:
        _mfa._count_wrong(ctx, row)
        raise _errors.ExpiredCode(TOKEN_REUSED)
    token["last_step"] = step
    user.modified = ctx.now()
    ctx.store.save_user(user)
    return _mfa._passed(ctx, pool, client, user, row, responses)
