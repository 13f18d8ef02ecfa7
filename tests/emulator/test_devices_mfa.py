"""Devices and MFA together, in pools made with boto3 (CreateUserPool keeps the
DeviceConfiguration): a remembered device that passes device SRP replaces SMS MFA when
ChallengeRequiredOnNewDevice is true, and does not when it is false; a new device gets
NewDeviceMetadata only after the MFA code."""

import boto3
from botocore.config import Config
from emu_helpers import PASSWORD, unique
from test_devices import Pool, claims

SMS = {"SnsCallerArn": "arn:aws:iam::000000000000:role/emulator-sms", "ExternalId": "emulator"}


def make_pool(emulator, replaces_mfa):
    admin = boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        endpoint_url=emulator.url,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}),
    )
    pool_id = admin.create_user_pool(
        PoolName=unique("devmfa"),
        AutoVerifiedAttributes=["email"],
        MfaConfiguration="ON",
        SmsConfiguration=SMS,
        DeviceConfiguration={
            "ChallengeRequiredOnNewDevice": replaces_mfa,
            "DeviceOnlyRememberedOnUserPrompt": False,
        },
    )["UserPool"]["Id"]
    described = admin.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert described["DeviceConfiguration"]["ChallengeRequiredOnNewDevice"] is replaces_mfa
    client_id = admin.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    pool = Pool.__new__(Pool)
    pool.emulator, pool.id, pool.client_id = emulator, pool_id, client_id
    return pool


def signed_up(pool):
    emulator = pool.emulator
    username = unique("devmfa")
    emulator.call(
        "SignUp",
        {
            "ClientId": pool.client_id,
            "Username": username,
            "Password": PASSWORD,
            "UserAttributes": [
                {"Name": "email", "Value": username + "@example.com"},
                {"Name": "phone_number", "Value": "+12065550100"},
            ],
        },
    )
    emulator.call(
        "ConfirmSignUp",
        {
            "ClientId": pool.client_id,
            "Username": username,
            "ConfirmationCode": emulator.last_code(username),
        },
    )
    return username


def sms_answer(pool, username, challenge):
    assert challenge["ChallengeName"] == "SMS_MFA"
    return pool.emulator.call(
        "RespondToAuthChallenge",
        {
            "ChallengeName": "SMS_MFA",
            "ClientId": pool.client_id,
            "ChallengeResponses": {
                "USERNAME": username,
                "SMS_MFA_CODE": pool.emulator.messages(username)[-1]["code"],
            },
            "Session": challenge["Session"],
        },
    )


def test_a_remembered_device_replaces_mfa(emulator):
    pool = make_pool(emulator, replaces_mfa=True)
    username = signed_up(pool)
    # New device: MFA first, then tokens with NewDeviceMetadata.
    result = sms_answer(pool, username, pool.sign_in(username))["AuthenticationResult"]
    device, answer = pool.confirm(result)
    assert answer == {"UserConfirmationNecessary": False}
    assert claims(result["AccessToken"])["device_key"] == device["key"]
    # Remembered: device SRP, and no SMS code.
    sent = len(emulator.messages(username))
    result = pool.remembered_sign_in(username, device)
    assert claims(result["AccessToken"])["device_key"] == device["key"]
    assert len(emulator.messages(username)) == sent
    # Without the device (another browser), MFA again.
    assert pool.sign_in(username)["ChallengeName"] == "SMS_MFA"


def test_without_challenge_required_on_new_device_mfa_stays(emulator):
    pool = make_pool(emulator, replaces_mfa=False)
    username = signed_up(pool)
    result = sms_answer(pool, username, pool.sign_in(username))["AuthenticationResult"]
    device, _ = pool.confirm(result)
    # MFA first, then device SRP: the original SDK answers DEVICE_SRP_AUTH after an MFA
    # code (sendMFACode) and expects tokens after DEVICE_PASSWORD_VERIFIER.
    challenge = pool.sign_in(username, device["key"])
    assert challenge["ChallengeName"] == "SMS_MFA"
    after_code = sms_answer(pool, username, challenge)
    assert after_code["ChallengeName"] == "DEVICE_SRP_AUTH"
    final, _ = pool.device_srp(username, device, after_code["Session"])
    final = final["AuthenticationResult"]
    assert "NewDeviceMetadata" not in final
    assert claims(final["AccessToken"])["device_key"] == device["key"]
