"""Clients nobody here wrote, against the emulator: if they pass, the emulator is Cognito
enough for them, and the port's agreement with them is not a shared mistake.

* the original ``amazon-cognito-identity-js`` in Node (tests/peers/original_sdk_client.js);
* ``pycognito`` from PyPI: its ``AWSSRP`` on a boto3 client pointed at the emulator.

Each signs up, confirms with the code from the outbox, signs in with SRP, and is refused
with a wrong password. Then sessions cross between the original SDK and the port through
storage, both ways.
"""

import asyncio
import base64
import json
import os
import shutil
import subprocess

import boto3
import pytest
from botocore.config import Config

from pycognito_web import MemoryStorage, UserPool

pytestmark = pytest.mark.peer

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "original_sdk_client.js")
PASSWORD = "Corr3ct-Horse-Battery!"


def unique(name):
    return "%s-%s" % (name, base64.b32encode(os.urandom(5)).decode().lower().rstrip("="))


def run_original(scenario, **args):
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on the PATH: the original SDK runs in Node (scripts/setup)")
    done = subprocess.run(
        [node, SCRIPT, scenario, json.dumps(args)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_original_sdk_signs_up_confirms_and_signs_in(emulator):
    username = unique("js")
    result = run_original(
        "signup-confirm-signin",
        url=emulator.url.rstrip("/"),
        poolId=emulator.pool_id,
        clientId=emulator.client_id,
        username=username,
        password=PASSWORD,
    )
    assert result["signUp"]["confirmed"] is False
    assert result["confirm"] == "SUCCESS"
    assert result["wrongPassword"] == {
        "code": "NotAuthorizedException",
        "message": "Incorrect username or password.",
    }
    assert result["srp"] == {"username": username, "valid": True}
    assert result["passwordAuth"] == {"valid": True}
    assert "email" in result["attributes"] and "sub" in result["attributes"]
    assert result["currentUser"] == username
    prefix = "CognitoIdentityServiceProvider.%s." % emulator.client_id
    assert prefix + "LastAuthUser" in result["storageKeys"]
    assert prefix + username + ".refreshToken" in result["storageKeys"]


def _boto_client(emulator):
    return boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        endpoint_url=emulator.url,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}),
    )


def test_pycognito_aws_srp_signs_in(emulator):
    from pycognito.aws_srp import AWSSRP

    client = _boto_client(emulator)
    username = unique("pyc")
    client.sign_up(
        ClientId=emulator.client_id,
        Username=username,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": username + "@example.com"}],
    )
    client.confirm_sign_up(
        ClientId=emulator.client_id,
        Username=username,
        ConfirmationCode=emulator.last_code(username),
    )
    srp = AWSSRP(
        username=username,
        password=PASSWORD,
        pool_id=emulator.pool_id,
        client_id=emulator.client_id,
        client=client,
    )
    tokens = srp.authenticate_user()
    result = tokens["AuthenticationResult"]
    assert result["TokenType"] == "Bearer"
    user = client.get_user(AccessToken=result["AccessToken"])
    assert user["Username"] == username

    wrong = AWSSRP(
        username=username,
        password=PASSWORD + "x",
        pool_id=emulator.pool_id,
        client_id=emulator.client_id,
        client=client,
    )
    with pytest.raises(client.exceptions.NotAuthorizedException) as raised:
        wrong.authenticate_user()
    assert "Incorrect username or password." in str(raised.value)


def test_pycognito_signs_in_by_email_alias(emulator):
    from pycognito.aws_srp import AWSSRP

    client = _boto_client(emulator)
    username = unique("pyca")
    email = username + "@example.com"
    client.sign_up(
        ClientId=emulator.client_id,
        Username=username,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": email}],
    )
    client.confirm_sign_up(
        ClientId=emulator.client_id,
        Username=username,
        ConfirmationCode=emulator.last_code(username),
    )
    srp = AWSSRP(
        username=email,
        password=PASSWORD,
        pool_id=emulator.pool_id,
        client_id=emulator.client_id,
        client=client,
    )
    result = srp.authenticate_user()["AuthenticationResult"]
    assert client.get_user(AccessToken=result["AccessToken"])["Username"] == username


def test_boto3_reads_the_error_types(emulator):
    client = _boto_client(emulator)
    username = unique("dup")
    client.sign_up(
        ClientId=emulator.client_id,
        Username=username,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": username + "@example.com"}],
    )
    with pytest.raises(client.exceptions.UsernameExistsException):
        client.sign_up(ClientId=emulator.client_id, Username=username, Password=PASSWORD)
    with pytest.raises(client.exceptions.NotAuthorizedException) as caught:
        client.get_user(AccessToken="junk")
    assert caught.value.response["Error"]["Message"] == "Invalid Access Token"


def test_original_sdk_account_lifecycle(emulator):
    """Attributes, refresh, password change and reset, global sign-out and deletion."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on the PATH: the original SDK runs in Node (scripts/setup)")
    run = subprocess.run(
        [
            node,
            os.path.join(HERE, "account_lifecycle.js"),
            emulator.url,
            emulator.pool_id,
            emulator.client_id,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["signUp"] == "EMAIL"
    assert out["confirm"] == "ok"
    assert out["wrongPassword"] == "NotAuthorizedException: Incorrect username or password."
    assert out["signIn"] is True
    assert out["username"].startswith("js-")
    assert out["attributes"] == ["email", "email_verified", "sub"]
    assert out["refresh"] is True
    assert out["updateAttributes"] == "ok"
    assert out["changePassword"] == "SUCCESS"
    assert out["globalSignOut"] == "ok"
    assert out["afterSignOut"] == "Access Token has been revoked"
    assert out["forgotPassword"] == "EMAIL"
    assert out["confirmPassword"] == "SUCCESS"
    assert out["signInAfterReset"] == "ok"
    assert out["deleteUser"] == "SUCCESS"


def test_pycognito_with_a_client_secret(emulator):
    from pycognito.aws_srp import AWSSRP

    client = _boto_client(emulator)
    username = unique("pycs")
    pool = UserPool(
        emulator.pool_id,
        emulator.secret_client_id,
        endpoint=emulator.url,
        storage=MemoryStorage(),
        client_secret=emulator.secret_client_secret,
    )

    async def sign_up():
        await pool.sign_up(username, PASSWORD, {"email": username + "@example.com"})
        await pool.user(username).confirm_sign_up(emulator.last_code(username))

    asyncio.run(sign_up())
    srp = AWSSRP(
        username=username,
        password=PASSWORD,
        pool_id=emulator.pool_id,
        client_id=emulator.secret_client_id,
        client_secret=emulator.secret_client_secret,
        client=client,
    )
    assert srp.authenticate_user()["AuthenticationResult"]["AccessToken"]


def test_sessions_cross_between_the_original_and_the_port(emulator):
    # The original SDK writes a session; the port finds and uses it...
    username = unique("cross")
    run = run_original(
        "signup-confirm-signin",
        url=emulator.url.rstrip("/"),
        poolId=emulator.pool_id,
        clientId=emulator.client_id,
        username=username,
        password=PASSWORD,
    )
    assert run["srp"]["valid"] is True

    # ...and the port's session, written by the port, is found by the original.
    storage = MemoryStorage()
    pool = UserPool(emulator.pool_id, emulator.client_id, endpoint=emulator.url, storage=storage)

    async def port_sign_in():
        await pool.user(username).authenticate(PASSWORD)
        return await pool.current_user().get_attributes()

    attributes = asyncio.run(port_sign_in())
    assert attributes["email"] == username + "@example.com"
    items = {key: storage.getItem(key) for key in storage.keys()}
    read = run_original(
        "read-session",
        url=emulator.url.rstrip("/"),
        poolId=emulator.pool_id,
        clientId=emulator.client_id,
        storage=items,
    )
    assert read == {"scenario": "read-session", "currentUser": username, "session": {"valid": True}}


def test_original_sdk_remembers_a_device_and_revokes_tokens(emulator):
    # The original SDK against a pool that tracks devices and asks the user: new device,
    # ConfirmDevice, UpdateDeviceStatus, DEVICE_SRP_AUTH on the next sign-in, its
    # stale-device retry after a forget elsewhere, then signOut(callback) and globalSignOut.
    pool = emulator.pools["devices"]
    username = unique("jsdev")
    out = run_original(
        "device-flow",
        url=emulator.url.rstrip("/"),
        poolId=pool["id"],
        clientId=pool["clients"]["web"]["id"],
        username=username,
        password=PASSWORD,
    )["device"]
    first = out["first"]
    assert first["sent"] == [
        "InitiateAuth",
        "RespondToAuthChallenge:PASSWORD_VERIFIER",
        "ConfirmDevice",
    ]
    assert first["necessary"] is True
    assert first["deviceKey"].startswith("us-east-1_") and first["claim"] == first["deviceKey"]
    assert first["group"].startswith("-") and first["password"] is True
    assert out["remembered"] == {"ok": "SUCCESS"}
    assert out["listed"] == [first["deviceKey"]]
    assert out["second"] == {
        "sent": [
            "InitiateAuth",
            "RespondToAuthChallenge:PASSWORD_VERIFIER",
            "RespondToAuthChallenge:DEVICE_SRP_AUTH",
            "RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER",
        ],
        "necessary": False,
        "claim": first["deviceKey"],
    }
    assert out["device"]["key"] == first["deviceKey"]
    assert out["device"]["dev:device_remembered_status"] == "remembered"
    assert out["device"]["device_status"] == "valid"
    assert out["device"]["device_name"]
    assert out["forgotElsewhere"] == {"ok": "SUCCESS"}
    third = out["third"]
    assert third["sent"] == [
        "InitiateAuth",
        "RespondToAuthChallenge:PASSWORD_VERIFIER",
        "RespondToAuthChallenge:PASSWORD_VERIFIER",
        "ConfirmDevice",
    ]
    assert third["deviceKey"] != first["deviceKey"] and third["claim"] == third["deviceKey"]
    assert out["signOut"] is None and out["signOutSent"] == ["RevokeToken"]
    revoked = {"code": "NotAuthorizedException", "message": "Access Token has been revoked"}
    assert out["afterSignOut"] == revoked
    assert out["globalSignOut"] == {"ok": "SUCCESS"}
    assert out["afterGlobal"] == [revoked, revoked]
    assert out["refreshAfterGlobal"] == {
        "code": "NotAuthorizedException",
        "message": "Refresh Token has been revoked",
    }


def test_original_sdk_completes_new_password_required(emulator):
    # A user made through the admin API (boto3) signs in with the original SDK using the
    # temporary password from the invitation, and sets a new one with
    # completeNewPasswordChallenge, adding an attribute on the way.
    admin = _boto_client(emulator)
    pool_id = admin.create_user_pool(
        PoolName=unique("jsadmin"),
        AliasAttributes=["email"],
        Schema=[{"Name": "email", "Required": True}],
    )["UserPool"]["Id"]
    client_id = admin.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    username = unique("jsnew")
    email = username + "@example.com"
    admin.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        UserAttributes=[
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
        ],
        DesiredDeliveryMediums=["EMAIL"],
    )
    invitations = [m for m in emulator.messages(username) if m["kind"] == "invitation"]
    assert [m["destination"] for m in invitations] == [email]
    out = run_original(
        "new-password",
        url=emulator.url.rstrip("/"),
        poolId=pool_id,
        clientId=client_id,
        username=username,
        temporaryPassword=invitations[0]["code"],
        newPassword=PASSWORD,
        attributes={"name": "Js Admin"},
    )
    assert out["challenge"]["requiredAttributes"] == []
    assert out["challenge"]["userAttributes"]["email"] == email
    assert out["challenge"]["userAttributes"]["email_verified"] == "true"
    assert out["complete"] == {"valid": True, "username": username, "name": "Js Admin"}
    assert out["again"] == {"valid": True}
    assert out["temporaryAgain"] == {
        "code": "NotAuthorizedException",
        "message": "Incorrect username or password.",
    }
    user = admin.admin_get_user(UserPoolId=pool_id, Username=username)
    assert user["UserStatus"] == "CONFIRMED"
    assert {"Name": "name", "Value": "Js Admin"} in user["UserAttributes"]


def _pool_args(emulator, pool):
    return {
        "url": emulator.url.rstrip("/"),
        "poolId": emulator.pools[pool]["id"],
        "clientId": emulator.pools[pool]["clients"]["web"]["id"],
        "username": unique("jsmfa"),
        "password": PASSWORD,
    }


def test_original_sdk_sms_mfa(emulator):
    result = run_original("mfa-sms", phone="+12065550008", **_pool_args(emulator, "mfa-optional"))
    mfa = result["mfa"]
    assert mfa["enable"] == "SUCCESS"
    assert mfa["options"] == [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]
    assert mfa["steps"] == [
        ["SMS_MFA", {"CODE_DELIVERY_DELIVERY_MEDIUM": "SMS",
                     "CODE_DELIVERY_DESTINATION": "+*******0008"}],
        ["onFailure", {"code": "CodeMismatchException",
                       "message": "Invalid code or auth state for the user."}],
    ]  # fmt: skip
    assert mfa["valid"] is True
    assert mfa["userData"] == {"UserMFASettingList": ["SMS_MFA"]}
    assert mfa["disable"] == "SUCCESS" and mfa["after"] is True


def test_original_sdk_sets_up_totp_and_signs_in_with_it(emulator):
    mfa = run_original("mfa-totp", **_pool_args(emulator, "mfa-on"))["mfa"]
    assert mfa["steps"] == [
        ["MFA_SETUP", {"MFAS_CAN_SETUP": '["SMS_MFA", "SOFTWARE_TOKEN_MFA"]'}],
        "associateSecretCode",
        ["SOFTWARE_TOKEN_MFA", {"FRIENDLY_DEVICE_NAME": "My TOTP device"}],
    ]
    assert mfa["setupValid"] is True
    assert mfa["preference"] == "SUCCESS"
    assert mfa["signInValid"] is True


def test_original_sdk_custom_auth(emulator):
    custom = run_original("custom-auth", **_pool_args(emulator, "custom"))["custom"]
    assert custom["withoutSrp"] is True
    assert custom["withSrp"] is True
    assert custom["wrongPassword"] == {
        "code": "NotAuthorizedException",
        "message": "Incorrect username or password.",
    }
    # Two challenges per successful sign-in (a wrong answer, then the emailed code); the
    # code itself is never among the challenge's parameters.
    assert custom["steps"] == [["USERNAME", "question"]] * 4
