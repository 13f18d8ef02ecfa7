"""MFA over HTTP: pool settings, SMS codes through the outbox, TOTP (RFC 6238), the
SELECT_MFA_TYPE and MFA_SETUP challenges, and their refusals."""

import base64
import hashlib
import hmac
import json
import struct
import time

import pytest
from emu_helpers import PASSWORD, signed_in, unique

PHONE = "+12065550008"


def totp(secret, when=None):
    """RFC 6238 (SHA-1, 30 s, 6 digits), written here independently of the emulator."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int(time.time() if when is None else when) // 30
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 15
    return "%06d" % ((int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF) % 10**6)


def client_of(emulator, pool):
    return emulator.pools[pool]["clients"]["web"]["id"]


def new_user(emulator, pool, phone=PHONE):
    """A confirmed user of a config pool (email code from the outbox)."""
    username = unique("mfa")
    attributes = [{"Name": "email", "Value": username + "@example.com"}]
    if phone:
        attributes.append({"Name": "phone_number", "Value": phone})
    client_id = client_of(emulator, pool)
    emulator.call(
        "SignUp",
        {"ClientId": client_id, "Username": username, "Password": PASSWORD,
         "UserAttributes": attributes},
    )  # fmt: skip
    emulator.call(
        "ConfirmSignUp",
        {"ClientId": client_id, "Username": username,
         "ConfirmationCode": emulator.last_code(username)},
    )  # fmt: skip
    return username


def start(emulator, pool, username):
    return emulator.call(
        "InitiateAuth",
        {
            "AuthFlow": "USER_PASSWORD_AUTH",
            "ClientId": client_of(emulator, pool),
            "AuthParameters": {"USERNAME": username, "PASSWORD": PASSWORD},
        },
    )


def respond(emulator, pool, answer, name, responses, fail=False):
    body = {
        "ChallengeName": name,
        "ClientId": client_of(emulator, pool),
        "Session": answer["Session"],
        "ChallengeResponses": responses,
    }
    if fail:
        return emulator.fail("RespondToAuthChallenge", body)
    return emulator.call("RespondToAuthChallenge", body)


def tokens(emulator, pool, username):
    answer = start(emulator, pool, username)
    assert "AuthenticationResult" in answer, answer
    return answer["AuthenticationResult"]["AccessToken"]


def with_totp(emulator, pool, username):
    """Associate and verify a software token with the access token; returns the secret."""
    access = tokens(emulator, pool, username)
    secret = emulator.call("AssociateSoftwareToken", {"AccessToken": access})["SecretCode"]
    answer = emulator.call(
        "VerifySoftwareToken",
        {"AccessToken": access, "UserCode": totp(secret), "FriendlyDeviceName": "phone app"},
    )
    assert answer == {"Status": "SUCCESS"}
    return access, secret


def test_optional_pool_without_mfa_signs_in_directly(emulator):
    username = new_user(emulator, "mfa-optional")
    assert "AuthenticationResult" in start(emulator, "mfa-optional", username)


def test_legacy_sms_mfa_codes_through_the_outbox(emulator):
    pool = "mfa-optional"
    username = new_user(emulator, pool)
    access = tokens(emulator, pool, username)
    assert emulator.call(
        "SetUserSettings",
        {"AccessToken": access,
         "MFAOptions": [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]},
    ) == {}  # fmt: skip
    user = emulator.call("GetUser", {"AccessToken": access})
    assert user["MFAOptions"] == [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]
    assert user["UserMFASettingList"] == ["SMS_MFA"]

    answer = start(emulator, pool, username)
    assert answer["ChallengeName"] == "SMS_MFA"
    assert answer["ChallengeParameters"] == {
        "CODE_DELIVERY_DELIVERY_MEDIUM": "SMS",
        "CODE_DELIVERY_DESTINATION": "+*******0008",
    }
    message = emulator.messages(username)[-1]
    assert (message["kind"], message["destination"]) == ("mfa", PHONE)
    wrong = "000000" if message["code"] != "000000" else "111111"
    error = respond(emulator, pool, answer, "SMS_MFA",
                    {"USERNAME": username, "SMS_MFA_CODE": wrong}, fail=True)  # fmt: skip
    assert (error.type, error.message) == (
        "CodeMismatchException",
        "Invalid code or auth state for the user.",
    )
    # The same session takes another try.
    done = respond(emulator, pool, answer, "SMS_MFA",
                   {"USERNAME": username, "SMS_MFA_CODE": message["code"]})  # fmt: skip
    assert done["AuthenticationResult"]["TokenType"] == "Bearer"
    # A spent session is refused.
    error = respond(emulator, pool, answer, "SMS_MFA",
                    {"USERNAME": username, "SMS_MFA_CODE": message["code"]}, fail=True)  # fmt: skip
    assert error.type == "NotAuthorizedException"

    emulator.call("SetUserSettings", {"AccessToken": access, "MFAOptions": []})
    user = emulator.call("GetUser", {"AccessToken": access})
    assert "MFAOptions" not in user and "UserMFASettingList" not in user
    assert "AuthenticationResult" in start(emulator, pool, username)


def test_expired_mfa_session(emulator):
    pool = "mfa-on"
    username = new_user(emulator, pool)
    answer = start(emulator, pool, username)
    assert answer["ChallengeName"] == "SMS_MFA"
    code = emulator.last_code(username)
    emulator.advance_clock(4 * 60)
    try:
        error = respond(emulator, pool, answer, "SMS_MFA",
                        {"USERNAME": username, "SMS_MFA_CODE": code}, fail=True)  # fmt: skip
    finally:
        emulator.reset_clock()
    assert (error.type, error.message) == (
        "NotAuthorizedException",
        "Invalid session for the user, session is expired.",
    )


def test_five_wrong_codes_end_the_session(emulator):
    pool = "mfa-on"
    username = new_user(emulator, pool)
    answer = start(emulator, pool, username)
    code = emulator.last_code(username)
    wrong = "%06d" % ((int(code) + 1) % 10**6)
    for _ in range(5):
        error = respond(emulator, pool, answer, "SMS_MFA",
                        {"USERNAME": username, "SMS_MFA_CODE": wrong}, fail=True)  # fmt: skip
        assert error.type == "CodeMismatchException"
    error = respond(emulator, pool, answer, "SMS_MFA",
                    {"USERNAME": username, "SMS_MFA_CODE": code}, fail=True)  # fmt: skip
    assert (error.type, error.message) == (
        "NotAuthorizedException",
        "Invalid session for the user.",
    )


def test_totp_set_up_with_an_access_token_then_sign_in(emulator):
    pool = "mfa-optional"
    username = new_user(emulator, pool, phone=None)
    access = tokens(emulator, pool, username)
    refused = emulator.fail(
        "SetUserMFAPreference",
        {"AccessToken": access, "SoftwareTokenMfaSettings": {"Enabled": True}},
    )
    assert refused.type == "InvalidParameterException"
    refused = emulator.fail(
        "SetUserMFAPreference", {"AccessToken": access, "SMSMfaSettings": {"Enabled": True}}
    )
    assert refused.message == "User does not have delivery config set to turn on SMS_MFA"
    secret = emulator.call("AssociateSoftwareToken", {"AccessToken": access})["SecretCode"]
    assert len(base64.b32decode(secret + "=" * (-len(secret) % 8))) >= 16
    now = time.time()
    wrong = emulator.fail(
        "VerifySoftwareToken",
        {"AccessToken": access, "UserCode": totp(secret, now + 600)},
    )
    assert (wrong.type, wrong.message) == (
        "EnableSoftwareTokenMFAException",
        "Code mismatch and fail enable Software Token MFA",
    )
    first = totp(secret, now)
    assert emulator.call(
        "VerifySoftwareToken", {"AccessToken": access, "UserCode": first}
    ) == {"Status": "SUCCESS"}  # fmt: skip
    emulator.call(
        "SetUserMFAPreference",
        {"AccessToken": access,
         "SoftwareTokenMfaSettings": {"Enabled": True, "PreferredMfa": True}},
    )  # fmt: skip
    user = emulator.call("GetUser", {"AccessToken": access})
    assert user["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"
    assert user["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
    assert "MFAOptions" not in user

    answer = start(emulator, pool, username)
    assert answer["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    # The code that verified the token is spent (documented choice).
    reused = respond(
        emulator,
        pool,
        answer,
        "SOFTWARE_TOKEN_MFA",
        {"USERNAME": username, "SOFTWARE_TOKEN_MFA_CODE": first},
        fail=True,
    )
    assert (reused.type, reused.message) == (
        "ExpiredCodeException",
        "Your software token has already been used once.",
    )  # fmt: skip
    wrong = respond(emulator, pool, answer, "SOFTWARE_TOKEN_MFA",
                    {"USERNAME": username, "SOFTWARE_TOKEN_MFA_CODE": totp(secret, now + 300)},
                    fail=True)  # fmt: skip
    assert wrong.message == "Invalid code or auth state for the user."
    done = respond(
        emulator,
        pool,
        answer,
        "SOFTWARE_TOKEN_MFA",
        {"USERNAME": username, "SOFTWARE_TOKEN_MFA_CODE": totp(secret, now + 30)},
    )
    assert "AccessToken" in done["AuthenticationResult"]  # fmt: skip


def test_select_mfa_type_when_both_are_enabled(emulator):
    pool = "mfa-optional"
    username = new_user(emulator, pool)
    access, secret = with_totp(emulator, pool, username)
    emulator.call(
        "SetUserMFAPreference",
        {"AccessToken": access, "SMSMfaSettings": {"Enabled": True},
         "SoftwareTokenMfaSettings": {"Enabled": True}},
    )  # fmt: skip
    user = emulator.call("GetUser", {"AccessToken": access})
    assert user["UserMFASettingList"] == ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]
    assert "PreferredMfaSetting" not in user
    answer = start(emulator, pool, username)
    assert answer["ChallengeName"] == "SELECT_MFA_TYPE"
    assert json.loads(answer["ChallengeParameters"]["MFAS_CAN_CHOOSE"]) == [
        "SMS_MFA", "SOFTWARE_TOKEN_MFA",
    ]  # fmt: skip
    bad = respond(emulator, pool, answer, "SELECT_MFA_TYPE",
                  {"USERNAME": username, "ANSWER": "EMAIL_OTP"}, fail=True)  # fmt: skip
    assert bad.type == "InvalidParameterException"
    sms = respond(emulator, pool, answer, "SELECT_MFA_TYPE",
                  {"USERNAME": username, "ANSWER": "SMS_MFA"})  # fmt: skip
    assert sms["ChallengeName"] == "SMS_MFA"
    done = respond(
        emulator,
        pool,
        sms,
        "SMS_MFA",
        {"USERNAME": username, "SMS_MFA_CODE": emulator.last_code(username)},
    )
    assert "AuthenticationResult" in done  # fmt: skip

    answer = start(emulator, pool, username)
    chosen = respond(emulator, pool, answer, "SELECT_MFA_TYPE",
                     {"USERNAME": username, "ANSWER": "SOFTWARE_TOKEN_MFA"})  # fmt: skip
    assert chosen["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert chosen["ChallengeParameters"] == {"FRIENDLY_DEVICE_NAME": "phone app"}
    done = respond(
        emulator,
        pool,
        chosen,
        "SOFTWARE_TOKEN_MFA",
        {"USERNAME": username, "SOFTWARE_TOKEN_MFA_CODE": totp(secret, time.time() + 30)},
    )
    assert "AuthenticationResult" in done  # fmt: skip

    # A preference ends the choice.
    emulator.call(
        "SetUserMFAPreference",
        {"AccessToken": access, "SMSMfaSettings": {"Enabled": True, "PreferredMfa": True}},
    )
    assert start(emulator, pool, username)["ChallengeName"] == "SMS_MFA"


def test_mfa_on_sets_up_totp_during_sign_in(emulator):
    pool = "mfa-on"
    username = new_user(emulator, pool, phone=None)
    answer = start(emulator, pool, username)
    assert answer["ChallengeName"] == "MFA_SETUP"
    assert json.loads(answer["ChallengeParameters"]["MFAS_CAN_SETUP"]) == [
        "SMS_MFA", "SOFTWARE_TOKEN_MFA",
    ]  # fmt: skip
    early = respond(emulator, pool, answer, "MFA_SETUP", {"USERNAME": username}, fail=True)
    assert early.type == "InvalidParameterException"
    both = emulator.fail("AssociateSoftwareToken", {})
    assert both.type == "InvalidParameterException"
    associated = emulator.call("AssociateSoftwareToken", {"Session": answer["Session"]})
    secret, session = associated["SecretCode"], associated["Session"]
    assert session != answer["Session"]
    # The first session was replaced by the new one.
    stale = emulator.fail("AssociateSoftwareToken", {"Session": answer["Session"]})
    assert stale.type == "NotAuthorizedException"
    wrong = emulator.fail(
        "VerifySoftwareToken", {"Session": session, "UserCode": totp(secret, time.time() + 900)}
    )
    assert wrong.type == "EnableSoftwareTokenMFAException"
    verified = emulator.call(
        "VerifySoftwareToken",
        {"Session": session, "UserCode": totp(secret), "FriendlyDeviceName": "My TOTP device"},
    )
    assert verified["Status"] == "SUCCESS" and verified["Session"] != session
    done = respond(emulator, pool, verified, "MFA_SETUP", {"USERNAME": username})
    access = done["AuthenticationResult"]["AccessToken"]
    user = emulator.call("GetUser", {"AccessToken": access})
    assert user["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"
    assert user["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]

    again = start(emulator, pool, username)
    assert again["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    done = respond(
        emulator,
        pool,
        again,
        "SOFTWARE_TOKEN_MFA",
        {"USERNAME": username, "SOFTWARE_TOKEN_MFA_CODE": totp(secret, time.time() + 30)},
    )
    assert "AuthenticationResult" in done  # fmt: skip


def test_mfa_on_uses_the_phone_when_there_is_one(emulator):
    answer = start(emulator, "mfa-on", new_user(emulator, "mfa-on"))
    assert answer["ChallengeName"] == "SMS_MFA"


def test_software_tokens_need_a_pool_that_offers_them(emulator):
    _, _, result = signed_in(emulator)  # the main pool: MFA OFF
    error = emulator.fail("AssociateSoftwareToken", {"AccessToken": result["AccessToken"]})
    assert (error.type, error.message) == (
        "SoftwareTokenMFANotFoundException",
        "Software Token MFA has not been enabled by the userPool",
    )
    error = emulator.fail(
        "VerifySoftwareToken", {"AccessToken": result["AccessToken"], "UserCode": "123456"}
    )
    assert error.type == "SoftwareTokenMFANotFoundException"


@pytest.mark.parametrize(
    "body, error_type",
    [
        ({"MFAOptions": [{"DeliveryMedium": "EMAIL", "AttributeName": "email"}]},
         "InvalidParameterException"),
        ({"MFAOptions": "SMS"}, "SerializationException"),
        ({}, "InvalidParameterException"),
    ],
)  # fmt: skip
def test_set_user_settings_refusals(emulator, body, error_type):
    access = tokens(emulator, "mfa-optional", new_user(emulator, "mfa-optional"))
    assert emulator.fail("SetUserSettings", dict(body, AccessToken=access)).type == error_type
