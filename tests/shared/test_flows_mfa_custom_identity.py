"""MFA (SMS, TOTP, SELECT_MFA_TYPE, MFA_SETUP), custom authentication and Cognito Identity
credentials: the client against the emulator, on CPython and inside Pyodide.

Each flow runs with the Pythonic API and with the JavaScript-shaped one; the seed's use
cases 9, 10 and 24 are transliterated line by line. Codes come from the emulator's
outbox, TOTP codes from the secret (totp.py). Failures must leave no session in storage.
"""

import asyncio
import base64
import os
import time

import pytest
from support.totp import totp

from pycognito_web import (
    AuthenticationDetails,
    CodeChallenge,
    CognitoUser,
    CognitoUserPool,
    CustomChallenge,
    MemoryStorage,
    MfaSetup,
    SelectMfaType,
    Session,
)

PASSWORD = "Corr3ct-Horse-Battery!"
PHONE = "+12065550008"
IDENTITY_POOL_ID = "us-east-1:00000000-0000-4000-8000-000000000017"  # tests/conftest.py
OPEN_IDENTITY_POOL = "us-east-1:99999999-0000-4000-8000-000000000002"


def unique(name):
    return "%s-%s" % (name, base64.b32encode(os.urandom(5)).decode().lower().rstrip("="))


def pool_data(info, pool, storage):
    return {
        "UserPoolId": info.pools[pool]["id"],
        "ClientId": info.pools[pool]["clients"]["web"]["id"],
        "endpoint": info.url + "/",
        "Storage": storage,
        "Transport": info.transport,
    }


def make_pool(info, pool, storage=None):
    from pycognito_web import UserPool

    data = pool_data(info, pool, storage if storage is not None else MemoryStorage())
    return UserPool(data["UserPoolId"], data["ClientId"], endpoint=data["endpoint"],
                    storage=data["Storage"], transport=data["Transport"])  # fmt: skip


async def new_user(info, pool, phone=PHONE):
    """A confirmed user of a config pool; returns its username."""
    username = unique("u")
    attributes = {"email": username + "@example.com"}
    if phone:
        attributes["phone_number"] = phone
    result = await pool.sign_up(username, PASSWORD, attributes)
    await result.user.confirm_sign_up(await info.last_code(username))
    return username


def session_keys(storage):
    return [key for key in storage.keys() if key.endswith((".idToken", ".accessToken"))]


class Waiter:
    """A JS callback object whose outcome the test can await."""

    def __init__(self):
        self.future = asyncio.get_running_loop().create_future()
        self.calls = []

    def success(self, *args):
        self.calls.append(("onSuccess", *args))
        if not self.future.done():
            self.future.set_result(args)

    def failure(self, error):
        self.calls.append(("onFailure", error))
        if not self.future.done():
            self.future.set_exception(error)
            self.future.exception()  # retrieved: the test checks the error its own way

    async def wait(self):
        return await asyncio.wait_for(self.future, 60)


def test_the_totp_helper_matches_rfc_6238():
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp(secret, 59) == "287082"
    assert totp(secret, 1111111109) == "081804"
    assert totp(secret, 2000000000) == "279037"


# SMS MFA ---------------------------------------------------------------------------------


async def test_sms_mfa_with_the_pythonic_api(emulator_info):
    storage = MemoryStorage()
    pool = make_pool(emulator_info, "mfa-optional", storage)
    name = await new_user(emulator_info, pool)
    user = pool.user(name)
    assert isinstance(await user.authenticate(PASSWORD), Session)
    assert await user.enable_mfa() == "SUCCESS"
    assert await user.get_mfa_options() == [
        {"DeliveryMedium": "SMS", "AttributeName": "phone_number"}
    ]
    await user.sign_out()

    user = pool.user(name)
    challenge = await user.authenticate(PASSWORD)
    assert isinstance(challenge, CodeChallenge) and challenge.name == "SMS_MFA"
    assert challenge.destination == "+*******0008"
    code = await emulator_info.last_code(name)
    wrong = "%06d" % ((int(code) + 1) % 10**6)
    with pytest.raises(Exception) as raised:
        await challenge.answer(wrong)
    assert raised.value.code == "CodeMismatchException"
    assert raised.value.message == "Invalid code or auth state for the user."
    assert storage.keys() == []  # no half session
    session = await challenge.answer(code)  # the same challenge takes another try
    assert isinstance(session, Session) and session_keys(storage)

    assert await user.disable_mfa() == "SUCCESS"
    assert await user.get_mfa_options() is None
    await user.sign_out()
    assert isinstance(await pool.user(name).authenticate(PASSWORD), Session)


async def test_missing_mfa_callback_and_wrong_code_leave_no_session(emulator_info):
    storage = MemoryStorage()
    userPool = CognitoUserPool(pool_data(emulator_info, "mfa-on", storage))
    name = await new_user(emulator_info, make_pool(emulator_info, "mfa-on"))
    details = AuthenticationDetails({"Username": name, "Password": PASSWORD})
    cognitoUser = CognitoUser({"Username": name, "Pool": userPool})
    outcome = Waiter()
    pending = cognitoUser.authenticateUser(
        details, {"onSuccess": outcome.success, "onFailure": outcome.failure}
    )
    with pytest.raises(Exception) as raised:
        await pending
    assert "mfaRequired" in str(raised.value)
    assert outcome.calls == [("onFailure", raised.value)]
    assert storage.keys() == []

    # Wrong code: onFailure with Cognito's error; then the right code still works.
    failures, successes = [], []
    callbacks = {"onSuccess": successes.append, "onFailure": failures.append}
    callbacks["mfaRequired"] = lambda name_, params: None
    await cognitoUser.authenticateUser(details, callbacks)
    code = await emulator_info.last_code(name)
    with pytest.raises(Exception) as raised:
        await cognitoUser.sendMFACode("%06d" % ((int(code) + 7) % 10**6), callbacks)
    assert raised.value is failures[-1]
    assert failures[-1].code == "CodeMismatchException"
    assert storage.keys() == []
    await cognitoUser.sendMFACode(code, callbacks)
    assert successes and successes[0].isValid()


async def test_expired_mfa_session_is_refused_cleanly(emulator_info):
    storage = MemoryStorage()
    pool = make_pool(emulator_info, "mfa-on", storage)
    name = await new_user(emulator_info, pool)
    challenge = await pool.user(name).authenticate(PASSWORD)
    code = await emulator_info.last_code(name)
    await emulator_info.advance_clock(4 * 60)
    try:
        with pytest.raises(Exception) as raised:
            await challenge.answer(code)
    finally:
        await emulator_info.reset_clock()
    assert raised.value.code == "NotAuthorizedException"
    assert raised.value.message == "Invalid session for the user, session is expired."
    assert storage.keys() == []


# TOTP ------------------------------------------------------------------------------------


async def test_totp_set_up_signed_in_then_sign_in_with_it(emulator_info):
    storage = MemoryStorage()
    pool = make_pool(emulator_info, "mfa-optional", storage)
    name = await new_user(emulator_info, pool, phone=None)
    user = pool.user(name)
    await user.authenticate(PASSWORD)
    secret = await user.associate_software_token()
    now = time.time()
    with pytest.raises(Exception) as raised:
        await user.verify_software_token(totp(secret, now + 900))
    assert raised.value.code == "EnableSoftwareTokenMFAException"
    assert await user.verify_software_token(totp(secret, now), "my phone") == {"Status": "SUCCESS"}
    assert await user.set_mfa_preference(
        software_token={"Enabled": True, "PreferredMfa": True}
    ) == "SUCCESS"  # fmt: skip
    data = await user.get_user()
    assert data["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"
    assert data["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
    await user.sign_out()

    challenge = await pool.user(name).authenticate(PASSWORD)
    assert isinstance(challenge, CodeChallenge) and challenge.name == "SOFTWARE_TOKEN_MFA"
    with pytest.raises(Exception) as raised:
        await challenge.answer(totp(secret, now))  # spent when the token was verified
    assert raised.value.code == "ExpiredCodeException"
    assert storage.keys() == []
    assert isinstance(await challenge.answer(totp(secret, now + 30)), Session)


async def test_select_mfa_type_with_both_apis(emulator_info):
    pool = make_pool(emulator_info, "mfa-optional")
    name = await new_user(emulator_info, pool)
    user = pool.user(name)
    await user.authenticate(PASSWORD)
    secret = await user.associate_software_token()
    now = time.time()
    await user.verify_software_token(totp(secret, now))
    await user.set_mfa_preference(sms={"Enabled": True}, software_token={"Enabled": True})
    await user.sign_out()

    choice = await pool.user(name).authenticate(PASSWORD)
    assert isinstance(choice, SelectMfaType)
    assert choice.options == ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]
    sms = await choice.select("SMS_MFA")
    assert isinstance(sms, CodeChallenge) and sms.name == "SMS_MFA"
    assert isinstance(await sms.answer(await emulator_info.last_code(name)), Session)

    # The JavaScript shape: selectMFAType -> sendMFASelectionAnswer -> totpRequired.
    storage = MemoryStorage()
    cognitoUser = CognitoUser(
        {"Username": name, "Pool": CognitoUserPool(pool_data(emulator_info, "mfa-optional",
                                                              storage))}
    )  # fmt: skip
    outcome = Waiter()
    seen = []
    callbacks = {"onSuccess": outcome.success, "onFailure": outcome.failure}

    def selectMFAType(challengeName, challengeParameters):
        seen.append(challengeName)
        cognitoUser.sendMFASelectionAnswer("SOFTWARE_TOKEN_MFA", callbacks)

    def totpRequired(challengeName, challengeParameters):
        seen.append(challengeName)
        cognitoUser.sendMFACode(totp(secret, now + 30), callbacks, "SOFTWARE_TOKEN_MFA")

    callbacks.update(selectMFAType=selectMFAType, totpRequired=totpRequired)
    cognitoUser.authenticateUser(
        AuthenticationDetails({"Username": name, "Password": PASSWORD}), callbacks
    )
    (session,) = await outcome.wait()
    assert session.isValid() and seen == ["SELECT_MFA_TYPE", "SOFTWARE_TOKEN_MFA"]
    assert session_keys(storage)


async def test_mfa_setup_during_sign_in_pythonic(emulator_info):
    storage = MemoryStorage()
    pool = make_pool(emulator_info, "mfa-on", storage)
    name = await new_user(emulator_info, pool, phone=None)
    setup = await pool.user(name).authenticate(PASSWORD)
    assert isinstance(setup, MfaSetup)
    secret = await setup.associate_software_token()
    now = time.time()
    with pytest.raises(Exception) as raised:
        await setup.verify(totp(secret, now + 900))
    assert raised.value.code == "EnableSoftwareTokenMFAException"
    assert storage.keys() == []
    session = await setup.verify(totp(secret, now), "My TOTP device")
    assert isinstance(session, Session) and session_keys(storage)

    again = await pool.user(name).authenticate(PASSWORD)
    assert isinstance(again, CodeChallenge) and again.name == "SOFTWARE_TOKEN_MFA"
    assert isinstance(await again.answer(totp(secret, now + 30)), Session)


async def test_mfa_setup_during_sign_in_javascript_shaped(emulator_info):
    """Use case 27's shape: mfaSetup -> associateSoftwareToken -> associateSecretCode ->
    verifySoftwareToken -> onSuccess."""
    storage = MemoryStorage()
    userPool = CognitoUserPool(pool_data(emulator_info, "mfa-on", storage))
    name = await new_user(emulator_info, make_pool(emulator_info, "mfa-on"), phone=None)
    cognitoUser = CognitoUser({"Username": name, "Pool": userPool})
    outcome = Waiter()
    seen = []
    callbacks = {"onSuccess": outcome.success, "onFailure": outcome.failure}

    def mfaSetup(challengeName, challengeParameters):
        seen.append((challengeName, challengeParameters["MFAS_CAN_SETUP"]))
        cognitoUser.associateSoftwareToken(callbacks)

    def associateSecretCode(secretCode):
        seen.append("secret")
        challengeAnswer = totp(secretCode)
        cognitoUser.verifySoftwareToken(challengeAnswer, "My TOTP device", callbacks)

    callbacks.update(mfaSetup=mfaSetup, associateSecretCode=associateSecretCode)
    cognitoUser.authenticateUser(
        AuthenticationDetails({"Username": name, "Password": PASSWORD}), callbacks
    )
    (session,) = await outcome.wait()
    assert session.isValid()
    assert seen == [("MFA_SETUP", '["SMS_MFA", "SOFTWARE_TOKEN_MFA"]'), "secret"]
    assert session_keys(storage)

    # Signed in, the same calls manage a new token with the access token.
    secret_box = []
    done = Waiter()
    await cognitoUser.associateSoftwareToken(
        {"associateSecretCode": secret_box.append, "onFailure": done.failure}
    )
    await cognitoUser.verifySoftwareToken(
        totp(secret_box[0]), "second device", {"onSuccess": done.success, "onFailure": done.failure}
    )
    assert await done.wait() == ({"Status": "SUCCESS"},)


async def test_remembered_device_skips_mfa(emulator_info):
    storage = MemoryStorage()
    pool = make_pool(emulator_info, "mfa-devices", storage)
    name = await new_user(emulator_info, pool)
    challenge = await pool.user(name).authenticate(PASSWORD)
    assert isinstance(challenge, CodeChallenge) and challenge.name == "SMS_MFA"
    first = await challenge.answer(await emulator_info.last_code(name))
    assert isinstance(first, Session) and first.access_token.claim("device_key")
    sent = len(await emulator_info.messages(name))

    again = pool.user(name)
    second = await again.authenticate(PASSWORD)  # device SRP instead of the SMS code
    assert isinstance(second, Session)
    assert second.access_token.claim("device_key") == first.access_token.claim("device_key")
    assert len(await emulator_info.messages(name)) == sent

    other = make_pool(emulator_info, "mfa-devices")  # another browser: no device
    assert isinstance(await other.user(name).authenticate(PASSWORD), CodeChallenge)


# Custom authentication ---------------------------------------------------------------------


QUESTION = "Type the code sent to your email."


async def solve(emulator_info, name):
    """The one-time code the example triggers sent to the user's verified email."""
    message = (await emulator_info.messages(name))[-1]
    assert message["kind"] == "custom_challenge", message
    return message["code"]


async def test_custom_auth_with_srp_first_pythonic(emulator_info):
    storage = MemoryStorage()
    pool = make_pool(emulator_info, "custom", storage)
    name = await new_user(emulator_info, pool, phone=None)
    challenge = await pool.user(name).authenticate(PASSWORD, flow="CUSTOM_AUTH")
    assert isinstance(challenge, CustomChallenge)
    assert challenge.parameters["question"] == QUESTION
    nxt = await challenge.answer("wrong")
    assert isinstance(nxt, CustomChallenge) and storage.keys() == []
    session = await nxt.answer(await solve(emulator_info, name))
    assert isinstance(session, Session) and session_keys(storage)

    with pytest.raises(Exception) as raised:
        await pool.user(name).authenticate("Wr0ng-password!", flow="CUSTOM_AUTH")
    assert raised.value.code == "NotAuthorizedException"


async def test_custom_auth_without_srp_a_code_by_email(emulator_info):
    pool = make_pool(emulator_info, "custom")
    name = await new_user(emulator_info, pool, phone=None)
    user = pool.user(name)
    challenge = await user.initiate_custom_auth(client_metadata={"challenge": "code"})
    assert isinstance(challenge, CustomChallenge)
    message = (await emulator_info.messages(name))[-1]
    assert message["kind"] == "custom_challenge"
    assert isinstance(await challenge.answer(message["code"]), Session)

    # Three wrong answers end it, with nothing stored.
    challenge = await pool.user(name).initiate_custom_auth()
    challenge = await challenge.answer("x")
    challenge = await challenge.answer("y")
    with pytest.raises(Exception) as raised:
        await challenge.answer("z")
    assert raised.value.message == "Incorrect username or password."


async def test_use_case_25_custom_flow_javascript_shaped(emulator_info):
    storage = MemoryStorage()
    userPool = CognitoUserPool(pool_data(emulator_info, "custom", storage))
    name = await new_user(emulator_info, make_pool(emulator_info, "custom"), phone=None)
    authenticationDetails = AuthenticationDetails({"Username": name})
    cognitoUser = CognitoUser({"Username": name, "Pool": userPool})
    outcome = Waiter()
    callbacks = {"onSuccess": outcome.success, "onFailure": outcome.failure}

    async def customChallenge(challengeParameters):
        # User authentication depends on challenge response: the code sent by email
        assert challengeParameters["question"] == QUESTION
        challengeResponses = await solve(emulator_info, name)
        cognitoUser.sendCustomChallengeAnswer(challengeResponses, callbacks)

    callbacks["customChallenge"] = customChallenge
    cognitoUser.setAuthenticationFlowType("CUSTOM_AUTH")
    cognitoUser.initiateAuth(authenticationDetails, callbacks)
    (session,) = await outcome.wait()
    assert session.isValid() and session_keys(storage)

    # With SRP first: authenticateUser with the CUSTOM_AUTH flow type.
    cognitoUser = CognitoUser({"Username": name, "Pool": userPool})
    cognitoUser.setAuthenticationFlowType("CUSTOM_AUTH")
    outcome = Waiter()
    callbacks = {"onSuccess": outcome.success, "onFailure": outcome.failure}

    async def answer_with_the_code(params):
        cognitoUser.sendCustomChallengeAnswer(await solve(emulator_info, name), callbacks)

    callbacks["customChallenge"] = answer_with_the_code
    cognitoUser.authenticateUser(
        AuthenticationDetails({"Username": name, "Password": PASSWORD}), callbacks
    )
    (session,) = await outcome.wait()
    assert session.isValid()

    # No customChallenge callback: onFailure names it, nothing stored.
    bare = MemoryStorage()
    cognitoUser = CognitoUser(
        {"Username": name, "Pool": CognitoUserPool(pool_data(emulator_info, "custom", bare))}
    )
    outcome = Waiter()
    with pytest.raises(Exception) as raised:
        await cognitoUser.initiateAuth(
            authenticationDetails, {"onSuccess": outcome.success, "onFailure": outcome.failure}
        )
    assert "customChallenge" in str(raised.value) and bare.keys() == []


# Cognito Identity --------------------------------------------------------------------------


async def test_identity_credentials_for_a_signed_in_user(emulator_info):
    pool = make_pool(emulator_info, "mfa-optional")
    name = await new_user(emulator_info, pool, phone=None)
    session = await pool.user(name).authenticate(PASSWORD)
    credentials = pool.identity_credentials(IDENTITY_POOL_ID, endpoint=emulator_info.url + "/")
    first = await credentials.get(session)
    assert first.access_key_id.startswith("ASIAEMULATOR")
    assert first.identity_id.startswith("us-east-1:")
    assert first.expiration > time.time() + 3000
    assert await credentials.get(session) is first  # kept until near expiry
    assert "ASIAEMULATOR" in repr(first) and first.secret_key not in repr(first)

    # Pools the identity pool does not trust are refused; an open identity pool is not.
    other = make_pool(emulator_info, "custom")
    stranger = await new_user(emulator_info, other, phone=None)
    foreign = await other.user(stranger).authenticate(PASSWORD)
    refused = other.identity_credentials(IDENTITY_POOL_ID, endpoint=emulator_info.url + "/")
    with pytest.raises(Exception) as raised:
        await refused.get(foreign)
    assert raised.value.code == "NotAuthorizedException"
    opened = other.identity_credentials(OPEN_IDENTITY_POOL, endpoint=emulator_info.url + "/")
    assert (await opened.get(foreign.id_token)).access_key_id.startswith("ASIAEMULATOR")
