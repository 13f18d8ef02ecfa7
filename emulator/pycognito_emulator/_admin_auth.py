"""The admin API for sign-in: AdminInitiateAuth (ADMIN_USER_PASSWORD_AUTH,
ADMIN_NO_SRP_AUTH, and the ``_signin.FLOWS`` other than USER_PASSWORD_AUTH) and
AdminRespondToAuthChallenge (every ``_signin.CHALLENGES``), for a pool and client the
caller names. Both run the same pipeline as the user API (``_signin``).
"""

from . import _auth, _signin
from ._admin import _CLIENT, _METADATA, _POOL, _pool_client
from ._registry import Field, action

ADMIN_FLOWS = {}


def _admin_password_auth(ctx, pool, client, params, body):
    return _auth.password_sign_in(ctx, pool, client, params, "ADMIN_USER_PASSWORD_AUTH")


ADMIN_FLOWS["ADMIN_USER_PASSWORD_AUTH"] = ("ALLOW_ADMIN_USER_PASSWORD_AUTH", _admin_password_auth)
ADMIN_FLOWS["ADMIN_NO_SRP_AUTH"] = ("ALLOW_ADMIN_USER_PASSWORD_AUTH", _admin_password_auth)

_AUTH_EXTRAS = [
    _METADATA, Field("AnalyticsMetadata", "object"), Field("ContextData", "object"),
]  # fmt: skip


@action(
    "AdminInitiateAuth",
    fields=[
        _POOL, _CLIENT, Field("AuthFlow", required=True, choices=_auth.AUTH_FLOW_NAMES),
        Field("AuthParameters", "map"), Field("Session", min_len=20, max_len=2048),
        *_AUTH_EXTRAS,
    ],
    public=False,
)  # fmt: skip
def admin_initiate_auth(ctx, body):
    """AdminInitiateAuth: ADMIN_USER_PASSWORD_AUTH, or a user flow other than
    USER_PASSWORD_AUTH (which Cognito does not take here)."""
    pool, client = _pool_client(ctx, body["UserPoolId"], body["ClientId"])
    name = body["AuthFlow"]
    entry = ADMIN_FLOWS.get(name)
    if entry is None and name != "USER_PASSWORD_AUTH":
        entry = _signin.FLOWS.get(name)
    return _signin.start_flow(ctx, pool, client, body, entry)


@action(
    "AdminRespondToAuthChallenge",
    fields=[
        _POOL, _CLIENT, Field("ChallengeName", required=True, choices=_auth.CHALLENGE_NAMES),
        Field("ChallengeResponses", "map"), Field("Session", min_len=20, max_len=2048),
        *_AUTH_EXTRAS,
    ],
    public=False,
)  # fmt: skip
def admin_respond_to_auth_challenge(ctx, body):
    """AdminRespondToAuthChallenge: RespondToAuthChallenge, for a pool and client the
    caller names."""
    pool, client = _pool_client(ctx, body["UserPoolId"], body["ClientId"])
    return _signin.answer_challenge(ctx, pool, client, body)
