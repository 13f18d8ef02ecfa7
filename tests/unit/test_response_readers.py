"""Every reader of a Cognito answer, given arbitrary JSON: a valid result or a typed error.

A reader is each function that takes what the service sent (the flows' readers, the
sign-in flows that read their answers, the typed challenges that read
ChallengeParameters, the session made from an AuthenticationResult). Each is given
hypothesis's recursive JSON and "near misses": the right keys holding values of the
right or of any other type. Every outcome must be either a result of the promised shape
or a ``CognitoError`` (InvalidResponseError, SrpError, ...); any other exception fails.
"""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from unit_helpers import NOW, SALT, SECRET_BLOCK, SRP_B, tokens

from pycognito_web import _session
from pycognito_web._challenges import make_challenge
from pycognito_web.errors import CognitoError
from pycognito_web.flows import account, devices, mfa, run_sync, sign_in, sign_up
from pycognito_web.flows.context import (
    Challenge,
    DeviceSecrets,
    FlowContext,
    SignedIn,
    answer_object,
    auth_result,
)

CTX = FlowContext("client-1", "Pool1", client_secret="s3cret")
DEVICE = DeviceSecrets("dev-key", "group-key", "dev-password")
PAIR = sign_in.srp_pair(bytes(range(1, 129)))  # one SRP pair for every example: A is costly
EXAMPLES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEWER = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=16,
)


def near(template):
    """Values shaped like ``template`` (a dict of templates, a one-item list, or a
    strategy), where any part may instead be arbitrary JSON and any key may be missing."""
    if isinstance(template, dict):
        shaped = st.fixed_dictionaries({}, optional={k: near(v) for k, v in template.items()})
        return shaped | JSON
    if isinstance(template, list):
        return st.lists(near(template[0]), max_size=3) | JSON
    return template | JSON


JWT = st.sampled_from([tokens()["IdToken"], tokens()["AccessToken"], "a.b.c", "", "x"])
RESULT = {
    "AccessToken": JWT,
    "IdToken": JWT,
    "RefreshToken": st.text(max_size=8),
    "ExpiresIn": st.integers(),
    "TokenType": st.just("Bearer"),
    "NewDeviceMetadata": {"DeviceKey": st.text(max_size=8), "DeviceGroupKey": st.text(max_size=8)},
}
NAMES = st.sampled_from(
    ["PASSWORD_VERIFIER", "SMS_MFA", "SOFTWARE_TOKEN_MFA", "SELECT_MFA_TYPE", "MFA_SETUP",
     "CUSTOM_CHALLENGE", "NEW_PASSWORD_REQUIRED", "DEVICE_SRP_AUTH", "EMAIL_OTP"]
)  # fmt: skip
PARAMETERS = {
    "SALT": st.sampled_from([SALT, "00ff", "xyz", "-1", ""]),
    "SRP_B": st.sampled_from([SRP_B, "0", "%x" % 2**3100, "+5", "0x1f"]),
    "SECRET_BLOCK": st.sampled_from([SECRET_BLOCK, "abc", "====", "a b="]),
    "USER_ID_FOR_SRP": st.text(max_size=8),
    "USERNAME": st.text(max_size=8),
    "MFAS_CAN_CHOOSE": st.sampled_from(['["SMS_MFA"]', "[1, {}]", "{}", "[", ""]),
    "userAttributes": st.sampled_from(['{"email": "a@b"}', "[]", "null", "{"]),
    "requiredAttributes": st.sampled_from(['["userAttributes.name"]', "[3]", '"x"']),
    "CODE_DELIVERY_DESTINATION": st.text(max_size=8),
}
ANSWER = {
    "ChallengeName": NAMES,
    "ChallengeParameters": PARAMETERS,
    "Session": st.text(max_size=8),
    "AuthenticationResult": RESULT,
}
ANSWERS = near(ANSWER)


def typed(read, value):
    """``read(value)``, or None when it refused the value with a CognitoError."""
    try:
        return read(value)
    except CognitoError:
        return None


def valid_result(result):
    return all(isinstance(result.get(n), str) and result[n] for n in ("IdToken", "AccessToken"))


def valid_outcome(outcome):
    if isinstance(outcome, Challenge):
        return (
            isinstance(outcome.name, str)
            and isinstance(outcome.parameters, dict)
            and isinstance(outcome.session, (str, type(None)))
        )
    assert isinstance(outcome, SignedIn), outcome
    return valid_result(outcome.result) and isinstance(outcome.new_device, bool)


class Drawn:
    """A flow environment whose every answer is drawn by hypothesis."""

    def __init__(self, data, answers, first=None):
        self.data, self.answers, self.sent = data, answers, []
        self.first = [first] if first is not None else []

    def call(self, action, params):
        self.sent.append(action)
        json.dumps(params)  # whatever the flow sends must still be JSON
        if self.first:
            return self.first.pop()
        return self.data.draw(self.answers, label=action)

    def random(self, count):
        return bytes(range(1, count + 1))

    def now(self):
        return NOW

    def device(self, username):
        return DEVICE

    def access_token(self):
        return "ACCESS"


def drive(flow, env):
    try:
        return run_sync(flow, env)
    except CognitoError:
        return None


# -- shared readers ------------------------------------------------------------------------


@EXAMPLES
@given(JSON)
def test_answer_object_and_session_of(value):
    got = typed(lambda v: answer_object(v, "Action"), value)
    assert got is None or (got is value and isinstance(got, dict))
    session = typed(sign_in.session_of, value)
    assert session is None or isinstance(session, str)


@EXAMPLES
@given(near({"AuthenticationResult": RESULT}))
def test_auth_result_and_the_session_made_of_it(value):
    result = typed(auth_result, value)
    assert result is None or valid_result(result)
    session = typed(lambda v: _session.fresh_session(auth_result(v), NOW), value)
    assert session is None or session.is_valid(NOW)


# -- the sign-in -----------------------------------------------------------------------------


@EXAMPLES
@given(st.data(), ANSWERS)
def test_what_follows_any_answer(data, first):
    env = Drawn(data, ANSWERS)
    for known in (None, DEVICE):
        outcome = drive(sign_in.after_answer(CTX, first, "alice", known, None), env)
        assert outcome is None or valid_outcome(outcome)


@FEWER
@given(st.data(), ANSWERS)
def test_an_srp_sign_in_reading_any_answers(data, first):
    flow = sign_in.srp(CTX, "alice", "pw", "USER_SRP_AUTH", None, None, PAIR)
    outcome = drive(flow, Drawn(data, ANSWERS, first))
    assert outcome is None or valid_outcome(outcome)


@FEWER
@given(st.data())
def test_a_device_srp_and_a_password_sign_in_reading_any_answers(data):
    outcome = drive(sign_in.device_srp(CTX, "alice", DEVICE, "S"), Drawn(data, ANSWERS))
    assert outcome is None or valid_outcome(outcome)
    outcome = drive(sign_in.password(CTX, "alice", "pw"), Drawn(data, ANSWERS))
    assert outcome is None or valid_outcome(outcome)
    outcome = drive(sign_in.mfa_setup(CTX, "S", "alice", "123456"), Drawn(data, ANSWERS))
    assert outcome is None or valid_outcome(outcome)


@EXAMPLES
@given(st.data(), near(RESULT["NewDeviceMetadata"]))
def test_confirming_a_new_device_with_any_metadata_and_answer(data, meta):
    outcome = drive(sign_in.confirm_device(CTX, "ACCESS", meta), Drawn(data, JSON))
    if outcome is not None:
        device, confirm = outcome
        assert isinstance(device.key, str) and device.key and isinstance(confirm, bool)


@EXAMPLES
@given(near(PARAMETERS))
def test_the_typed_challenges_read_any_parameters(parameters):
    class Owner:
        pending_challenge = None

    for name in ("SMS_MFA", "SELECT_MFA_TYPE", "NEW_PASSWORD_REQUIRED", "MFA_SETUP", "X"):
        outcome = Challenge(name, parameters if isinstance(parameters, dict) else {}, "S", "a")
        challenge = make_challenge(Owner(), outcome)
        if name == "SMS_MFA":
            assert isinstance(challenge.destination, (str, type(None)))
        if name == "SELECT_MFA_TYPE":
            assert all(isinstance(o, str) for o in challenge.options)
        if name == "NEW_PASSWORD_REQUIRED":
            assert isinstance(challenge.user_attributes, dict)
            assert all(isinstance(n, str) for n in challenge.required_attributes)
    assert isinstance(sign_in.mfa_choices(parameters), list)
    current, required = sign_in.new_password_attributes(parameters)
    assert isinstance(current, dict) and all(isinstance(n, str) for n in required)


# -- account, MFA, devices, sign-up --------------------------------------------------------------

ATTRIBUTE = {"Name": st.text(max_size=6), "Value": st.text(max_size=6)}
ATTRIBUTES = near(
    {"UserAttributes": [ATTRIBUTE], "MFAOptions": [{"DeliveryMedium": st.just("SMS")}]}
)


@EXAMPLES
@given(ATTRIBUTES)
def test_get_user_readers(value):
    items = typed(account.attribute_list, value)
    assert items is None or all(
        isinstance(a["Name"], str) and isinstance(a.get("Value", ""), str) for a in items
    )
    found = typed(account.attributes, value)
    assert found is None or all(isinstance(v, str) for v in found.values())
    options = typed(account.mfa_options, value)
    assert options is None or all(isinstance(o, dict) for o in options)


@EXAMPLES
@given(st.data())
def test_one_request_flows_read_any_answer(data):
    env = Drawn(data, ATTRIBUTES | near({"SecretCode": st.text(max_size=6), "Session": JSON}))
    for flow, check in (
        (account.get_user(), lambda r: isinstance(r, dict)),
        (account.update_attributes({"name": "A"}), lambda r: isinstance(r, dict)),
        (account.forgot_password(CTX, "alice"), lambda r: isinstance(r, dict)),
        (account.refresh(CTX, "refresh", "alice"), valid_result),
        (account.change_password("a", "b"), lambda r: r == "SUCCESS"),
        (sign_up.resend_confirmation_code(CTX, "alice"), lambda r: isinstance(r, dict)),
    ):
        result = drive(flow, env)
        assert result is None or check(result)


@EXAMPLES
@given(near({"SecretCode": st.text(max_size=6), "Session": st.text(max_size=6),
             "Status": st.sampled_from(["SUCCESS", "ERROR"])}))  # fmt: skip
def test_mfa_readers(value):
    got = typed(mfa.secret_code, value)
    if got is not None:
        secret, session = got
        assert isinstance(secret, str) and secret and isinstance(session, (str, type(None)))
    data = typed(mfa.verified, value)
    assert data is None or all(
        isinstance(data.get(n), (str, type(None))) for n in ("Status", "Session")
    )


DEVICE_TYPE = {"DeviceKey": st.text(max_size=6), "DeviceAttributes": [{"Name": st.text()}]}


@EXAMPLES
@given(near({"Device": DEVICE_TYPE, "Devices": [DEVICE_TYPE], "PaginationToken": st.text()}))
def test_device_readers(value):
    got = typed(devices.device_answer, value)
    assert got is None or isinstance(got["Device"]["DeviceKey"], str)
    listed = typed(devices.device_list, value)
    assert listed is None or (
        all(isinstance(d, dict) for d in listed.get("Devices") or [])
        and isinstance(listed.get("PaginationToken"), (str, type(None)))
    )


@EXAMPLES
@given(
    near(
        {
            "UserConfirmed": st.booleans(),
            "UserSub": st.text(max_size=6),
            "CodeDeliveryDetails": {"Destination": st.text(), "DeliveryMedium": st.text()},
        }
    )
)
def test_sign_up_reader(value):
    got = typed(sign_up.sign_up_result, value)
    assert got is None or (
        isinstance(got.get("UserConfirmed"), (bool, type(None)))
        and isinstance(got.get("UserSub"), (str, type(None)))
        and isinstance(got.get("CodeDeliveryDetails"), (dict, type(None)))
    )
