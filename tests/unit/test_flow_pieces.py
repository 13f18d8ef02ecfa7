"""The pure pieces of ``flows/``: each request body, field for field and in order, the
challenge answer table, the MFA_SETUP continuation, and the rule that a flow refuses a
bad argument before it asks for the access token or sends anything.

The original SDK's field orders (CognitoUser.js) are what the expected bodies spell out;
``json.dumps`` keeps insertion order, so comparing the text compares the order too.
"""

import json

import pytest
from unit_helpers import tokens

from pycognito_web._api import drop_none
from pycognito_web._user import _area
from pycognito_web.errors import InvalidParameterError, NotAuthenticatedError
from pycognito_web.flows import account, devices, mfa, run_sync, sign_in, sign_up
from pycognito_web.flows.context import Challenge, DeviceSecrets, FlowContext, SignedIn

CTX = FlowContext("client-1", "Pool1", client_secret="s3cret", device_name="test")
PLAIN = FlowContext("client-1", "Pool1")
DEVICE = DeviceSecrets("dev-key", "group-key", "dev-password")


class Env:
    """Scripted answers in order; records what was sent and whether the token was asked."""

    def __init__(self, *answers, signed_in=True, stored=None):
        self.answers = list(answers)
        self.sent = []
        self.asked_token = False
        self.signed_in = signed_in
        self.stored = stored

    def call(self, action, params):
        self.sent.append((action, params))
        return self.answers.pop(0)

    def random(self, count):
        return bytes(count)

    def now(self):
        return 1700000000.0

    def device(self, username):
        return self.stored

    def access_token(self):
        self.asked_token = True
        if not self.signed_in:
            raise NotAuthenticatedError("User is not authenticated")
        return "ACCESS"


def text(body):
    return json.dumps(drop_none(body))


# -- the challenge answer table -----------------------------------------------------------

H = CTX.secret_hash("alice")
ANSWERED = [
    ("SMS_MFA", "123456", DEVICE,
     {"ChallengeName": "SMS_MFA", "ChallengeResponses": {
         "USERNAME": "alice", "SMS_MFA_CODE": "123456", "DEVICE_KEY": "dev-key",
         "SECRET_HASH": H}, "ClientId": "client-1", "Session": "S", "ClientMetadata": {"m": "1"}}),
    ("SOFTWARE_TOKEN_MFA", "654321", None,
     {"ChallengeName": "SOFTWARE_TOKEN_MFA", "ChallengeResponses": {
         "USERNAME": "alice", "SMS_MFA_CODE": "654321", "SOFTWARE_TOKEN_MFA_CODE": "654321",
         "SECRET_HASH": H}, "ClientId": "client-1", "Session": "S", "ClientMetadata": {"m": "1"}}),
    ("EMAIL_OTP", "11111111", None,
     {"ChallengeName": "EMAIL_OTP", "ChallengeResponses": {
         "USERNAME": "alice", "EMAIL_OTP_CODE": "11111111", "SECRET_HASH": H},
      "ClientId": "client-1", "Session": "S", "ClientMetadata": {"m": "1"}}),
    ("CUSTOM_CHALLENGE", "", DEVICE,
     {"ChallengeName": "CUSTOM_CHALLENGE", "ChallengeResponses": {
         "USERNAME": "alice", "ANSWER": "", "DEVICE_KEY": "dev-key", "SECRET_HASH": H},
      "ClientId": "client-1", "Session": "S", "ClientMetadata": {"m": "1"}}),
    ("SELECT_MFA_TYPE", "SOFTWARE_TOKEN_MFA", DEVICE,
     {"ChallengeName": "SELECT_MFA_TYPE", "ChallengeResponses": {
         "USERNAME": "alice", "ANSWER": "SOFTWARE_TOKEN_MFA", "SECRET_HASH": H},
      "ClientId": "client-1", "Session": "S"}),
    ("NEW_PASSWORD_REQUIRED", ("N3w-passw0rd", {"name": "Al"}), DEVICE,
     {"ChallengeName": "NEW_PASSWORD_REQUIRED", "ClientId": "client-1", "ChallengeResponses": {
         "userAttributes.name": "Al", "NEW_PASSWORD": "N3w-passw0rd", "USERNAME": "alice",
         "SECRET_HASH": H}, "Session": "S", "ClientMetadata": {"m": "1"}}),
    ("MFA_SETUP", None, DEVICE,
     {"ChallengeName": "MFA_SETUP", "ClientId": "client-1", "ChallengeResponses": {
         "USERNAME": "alice", "SECRET_HASH": H}, "Session": "S"}),
]  # fmt: skip


@pytest.mark.parametrize("name, value, device, expected", ANSWERED, ids=[a[0] for a in ANSWERED])
def test_each_challenge_answer_is_laid_out_as_the_original_lays_it(name, value, device, expected):
    body = sign_in.answer_body(CTX, name, "S", "alice", value, device, {"m": "1"})
    assert text(body) == json.dumps(expected)


def test_a_callers_own_responses_get_username_device_and_secret_hash():
    body = sign_in.answer_body(
        CTX, "SMS_MFA", "S", "alice", {"X": "1", "DEVICE_KEY": "mine"}, DEVICE, None, given=True
    )
    assert json.dumps(body["ChallengeResponses"]) == json.dumps(
        {"USERNAME": "alice", "X": "1", "DEVICE_KEY": "mine", "SECRET_HASH": H}
    )
    unknown = sign_in.answer_body(PLAIN, "PASSKEY_SOMETHING", None, "bob", {"A": "b"})
    assert text(unknown) == json.dumps({"ChallengeName": "PASSKEY_SOMETHING",
        "ChallengeResponses": {"USERNAME": "bob", "A": "b"}, "ClientId": "client-1"})  # fmt: skip


@pytest.mark.parametrize(
    "name, value, words",
    [
        ("SMS_MFA", None, "code"),
        ("SOFTWARE_TOKEN_MFA", 123456, "code"),
        ("EMAIL_OTP", "", "code"),
        ("CUSTOM_CHALLENGE", None, "answer"),
        ("SELECT_MFA_TYPE", ["SMS_MFA"], "mfa_type"),
        ("NEW_PASSWORD_REQUIRED", ("", None), "New password is required"),
        ("NEW_PASSWORD_REQUIRED", (b"pw", None), "new password"),
        ("NEW_PASSWORD_REQUIRED", ("pw", ["name"]), "attributes"),
        (None, "not a dict", "responses must be a dict"),
    ],
)
def test_an_answer_the_challenge_cannot_take_is_refused_by_name(name, value, words):
    with pytest.raises(InvalidParameterError) as raised:
        sign_in.answer_body(CTX, name or "SMS_MFA", "S", "alice", value, given=name is None)
    assert words in raised.value.message


def test_bad_client_metadata_in_an_answer_is_refused():
    with pytest.raises(InvalidParameterError, match="client_metadata"):
        sign_in.answer_body(CTX, "SMS_MFA", "S", "alice", "123456", None, {"n": 1})


def test_answering_goes_on_to_the_next_step_and_a_custom_answer_reads_the_stored_device():
    env = Env({"AuthenticationResult": tokens()}, stored=DEVICE)
    outcome = run_sync(sign_in.answer(PLAIN, "CUSTOM_CHALLENGE", "S", "alice", "42"), env)
    assert isinstance(outcome, SignedIn) and outcome.device is DEVICE
    assert env.sent[0][1]["ChallengeResponses"]["DEVICE_KEY"] == "dev-key"
    env = Env({"ChallengeName": "SMS_MFA", "Session": "S2", "ChallengeParameters": {}})
    outcome = run_sync(sign_in.answer(PLAIN, "SELECT_MFA_TYPE", "S", "alice", "SMS_MFA"), env)
    assert isinstance(outcome, Challenge) and (outcome.name, outcome.session) == ("SMS_MFA", "S2")


def test_mfa_setup_verifies_with_the_session_then_answers_with_the_next_one():
    env = Env({"Status": "SUCCESS", "Session": "S2"}, {"AuthenticationResult": tokens()})
    outcome = run_sync(sign_in.mfa_setup(PLAIN, "S1", "alice", "123456", "phone"), env)
    assert isinstance(outcome, SignedIn)
    assert [a for a, _ in env.sent] == ["VerifySoftwareToken", "RespondToAuthChallenge"]
    assert text(env.sent[0][1]) == json.dumps(
        {"Session": "S1", "UserCode": "123456", "FriendlyDeviceName": "phone"}
    )
    assert env.sent[1][1]["Session"] == "S2" and not env.asked_token
    # Without a new Session in the answer, the challenge's own goes on.
    env = Env({"Status": "SUCCESS"}, {"AuthenticationResult": tokens()})
    run_sync(sign_in.mfa_setup(PLAIN, "S1", "alice", "123456"), env)
    assert env.sent[1][1]["Session"] == "S1"


# -- the other areas' bodies ---------------------------------------------------------------

BODIES = [
    (lambda: account.get_user(), "GetUser", {"AccessToken": "ACCESS"}, {"Username": "a"}),
    (lambda: account.update_attributes({"name": "Al"}, {"k": "v"}), "UpdateUserAttributes",
     {"AccessToken": "ACCESS", "UserAttributes": [{"Name": "name", "Value": "Al"}],
      "ClientMetadata": {"k": "v"}}, {}),
    (lambda: account.delete_attributes(["name"]), "DeleteUserAttributes",
     {"UserAttributeNames": ["name"], "AccessToken": "ACCESS"}, "SUCCESS"),
    (lambda: account.get_attribute_verification_code("email"),
     "GetUserAttributeVerificationCode", {"AttributeName": "email", "AccessToken": "ACCESS"}, {}),
    (lambda: account.verify_attribute("email", "123"), "VerifyUserAttribute",
     {"AttributeName": "email", "Code": "123", "AccessToken": "ACCESS"}, "SUCCESS"),
    (lambda: account.change_password("old", "new", {"k": "v"}), "ChangePassword",
     {"PreviousPassword": "old", "ProposedPassword": "new", "AccessToken": "ACCESS",
      "ClientMetadata": {"k": "v"}}, "SUCCESS"),
    (lambda: account.forgot_password(CTX, "alice"), "ForgotPassword",
     {"ClientId": "client-1", "Username": "alice", "SecretHash": H}, {}),
    (lambda: account.confirm_password(CTX, "alice", "123", "new"), "ConfirmForgotPassword",
     {"ClientId": "client-1", "Username": "alice", "ConfirmationCode": "123", "Password": "new",
      "SecretHash": H}, "SUCCESS"),
    (lambda: account.delete_user(), "DeleteUser", {"AccessToken": "ACCESS"}, "SUCCESS"),
    (lambda: account.global_sign_out(), "GlobalSignOut", {"AccessToken": "ACCESS"}, "SUCCESS"),
    (lambda: account.revoke_token(CTX, "refresh"), "RevokeToken",
     {"Token": "refresh", "ClientId": "client-1", "ClientSecret": "s3cret"}, "SUCCESS"),
    (lambda: mfa.set_user_settings([]), "SetUserSettings",
     {"MFAOptions": [], "AccessToken": "ACCESS"}, "SUCCESS"),
    (lambda: mfa.set_mfa_preference(software_token={"Enabled": True}), "SetUserMFAPreference",
     {"SoftwareTokenMfaSettings": {"Enabled": True}, "AccessToken": "ACCESS"}, "SUCCESS"),
    (lambda: mfa.associate_software_token(), "AssociateSoftwareToken",
     {"AccessToken": "ACCESS"}, ("SECRET", None)),
    (lambda: mfa.associate_software_token("S1"), "AssociateSoftwareToken",
     {"Session": "S1"}, ("SECRET", None)),
    (lambda: mfa.verify_software_token("123456"), "VerifySoftwareToken",
     {"AccessToken": "ACCESS", "UserCode": "123456"}, {}),
    (lambda: devices.get_device("dk"), "GetDevice",
     {"AccessToken": "ACCESS", "DeviceKey": "dk"}, {"Device": {"DeviceKey": "dk"}}),
    (lambda: devices.list_devices(5, "page-2"), "ListDevices",
     {"AccessToken": "ACCESS", "Limit": 5, "PaginationToken": "page-2"}, {}),
    (lambda: devices.set_status("dk", False), "UpdateDeviceStatus",
     {"AccessToken": "ACCESS", "DeviceKey": "dk", "DeviceRememberedStatus": "not_remembered"},
     "SUCCESS"),
    (lambda: devices.forget_device("dk"), "ForgetDevice",
     {"AccessToken": "ACCESS", "DeviceKey": "dk"}, "SUCCESS"),
    (lambda: sign_up.resend_confirmation_code(CTX, "alice"), "ResendConfirmationCode",
     {"ClientId": "client-1", "Username": "alice", "SecretHash": H}, {}),
]  # fmt: skip


@pytest.mark.parametrize("make, action, body, result", BODIES, ids=[b[1] for b in BODIES])
def test_each_request_body_and_what_the_flow_returns(make, action, body, result):
    reply = result if isinstance(result, dict) else {"SecretCode": "SECRET"}
    env = Env(reply)
    assert run_sync(make(), env) == result
    assert len(env.sent) == 1 and env.sent[0][0] == action
    assert text(env.sent[0][1]) == json.dumps(body)


BAD_CALLS = [
    (lambda: account.update_attributes({}), "at least one"),
    (lambda: account.update_attributes({"name": "A"}, {"k": 1}), "client_metadata"),
    (lambda: account.delete_attributes("email"), "attribute names"),
    (lambda: account.get_attribute_verification_code(None), "attribute name"),
    (lambda: account.verify_attribute("email", None), "code"),
    (lambda: account.change_password(None, "new"), "old password"),
    (lambda: account.change_password("old", 5), "new password"),
    (lambda: account.delete_user(["x"]), "client_metadata"),
    (lambda: account.revoke_token(CTX, 5), "token"),
    (lambda: mfa.set_user_settings("SMS"), "mfa_options"),
    (lambda: mfa.set_mfa_preference(sms={"Enabled": "yes"}), "sms"),
    (lambda: mfa.verify_software_token(None), "code"),
    (lambda: devices.list_devices("10"), "limit"),
    (lambda: devices.list_devices(True), "limit"),
    (lambda: sign_up.confirm_sign_up(CTX, "alice", None), "confirmation code"),
    (lambda: sign_up.confirm_sign_up(CTX, "alice", "1", "yes"), "force_alias_creation"),
    (lambda: sign_up.sign_up(CTX, "alice", "", None), "password"),
    (lambda: sign_in.check_password_sign_in("pw", "SRP", None), "flow type"),
]


@pytest.mark.parametrize("make, words", BAD_CALLS, ids=[w for _, w in BAD_CALLS])
def test_a_bad_argument_is_refused_before_the_token_is_asked_for(make, words):
    env = Env(signed_in=False)
    with pytest.raises(InvalidParameterError) as raised:
        flow = make()
        if flow is not None:
            run_sync(flow, env)
    assert words in raised.value.message
    assert env.sent == [] and not env.asked_token


def test_signed_out_a_flow_that_needs_the_token_sends_nothing():
    env = Env(signed_in=False)
    with pytest.raises(NotAuthenticatedError):
        run_sync(account.change_password("old", "new"), env)
    assert env.sent == [] and env.asked_token


def test_the_areas_are_loaded_by_name():
    assert _area("account") is account and _area("sign_in") is sign_in
    with pytest.raises(ValueError):
        _area("nowhere")


# -- reading a challenge's parameters --------------------------------------------------------


def test_challenge_parameters_are_read_defensively():
    assert sign_in.mfa_choices({"MFAS_CAN_CHOOSE": '["SMS_MFA", 5, "SOFTWARE_TOKEN_MFA"]'}) == [
        "SMS_MFA",
        "SOFTWARE_TOKEN_MFA",
    ]
    for bad in ({}, {"MFAS_CAN_CHOOSE": 5}, {"MFAS_CAN_CHOOSE": "{}"}, {"MFAS_CAN_CHOOSE": "["}):
        assert sign_in.mfa_choices(bad) == []
    current, required = sign_in.new_password_attributes({
        "userAttributes": '{"email": "a@b.c"}',
        "requiredAttributes": '["userAttributes.name", "phone_number", 7]',
    })  # fmt: skip
    assert current == {"email": "a@b.c"} and required == ["name", "phone_number"]
    assert sign_in.new_password_attributes({"userAttributes": "[1]"}) == ({}, [])
    assert sign_in.text_parameter({"CODE": 5}, "CODE") is None
    assert sign_in.text_parameter({"CODE": "+1***99"}, "CODE") == "+1***99"
