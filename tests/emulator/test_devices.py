"""Device tracking over HTTP: NewDeviceMetadata, ConfirmDevice, device SRP, the device
actions and their admin forms, with a test-only device SRP client on ``pycognito_web._srp``.

Pools (tests/conftest.py): "devices" asks the user (DeviceOnlyRememberedOnUserPrompt),
"devices-always" remembers devices at once; "main" does not track devices.
"""

import base64
import json
import os
import re
import time

import boto3
import pytest
from botocore.config import Config
from emu_helpers import PASSWORD, sign_up, unique
from emu_srp import SrpSignIn

from pycognito_web import _srp

KEY_PATTERN = re.compile(
    r"^us-east-1_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)


def claims(jwt):
    body = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


class Pool:
    """One pool's ids and the calls the tests make in it."""

    def __init__(self, emulator, name="devices", client="web"):
        self.emulator = emulator
        self.id = emulator.pools[name]["id"]
        self.client_id = emulator.pools[name]["clients"][client]["id"]

    def user(self):
        username, _ = sign_up(self.emulator, unique("dev"), client_id=self.client_id)
        return username

    def srp(self, username, device_key=None, initiate_key=None, password=PASSWORD):
        """USER_SRP_AUTH; DEVICE_KEY in the PASSWORD_VERIFIER answer (and/or InitiateAuth)."""
        signin = SrpSignIn(self.emulator.call, self.id, self.client_id, username, password)
        signin.start({"DEVICE_KEY": initiate_key} if initiate_key else None)
        responses = signin.responses()
        if device_key:
            responses["DEVICE_KEY"] = device_key
        return signin, responses

    def sign_in(self, username, device_key=None):
        signin, responses = self.srp(username, device_key)
        return signin.answer(responses)

    def password_auth(self, username, device_key=None):
        params = {"USERNAME": username, "PASSWORD": PASSWORD}
        if device_key:
            params["DEVICE_KEY"] = device_key
        return self.emulator.call(
            "InitiateAuth",
            {
                "AuthFlow": "USER_PASSWORD_AUTH",
                "ClientId": self.client_id,
                "AuthParameters": params,
            },
        )

    def confirm(self, result, name="test device"):
        """ConfirmDevice for the NewDeviceMetadata of an AuthenticationResult.

        Returns:
            (device dict with key, group_key, password, access token, answer).
        """
        meta = result["NewDeviceMetadata"]
        password, salt_hex, verifier_hex = _srp.device_secrets(
            meta["DeviceGroupKey"], meta["DeviceKey"], os.urandom(40), os.urandom(16)
        )
        answer = self.emulator.call(
            "ConfirmDevice",
            {
                "AccessToken": result["AccessToken"],
                "DeviceKey": meta["DeviceKey"],
                "DeviceSecretVerifierConfig": {
                    "Salt": _srp.hex_to_base64(salt_hex),
                    "PasswordVerifier": _srp.hex_to_base64(verifier_hex),
                },
                "DeviceName": name,
            },
        )
        device = {
            "key": meta["DeviceKey"],
            "group_key": meta["DeviceGroupKey"],
            "password": password,
            "salt_hex": salt_hex,
        }
        return device, answer

    def device_srp(self, username, device, session, password=None):
        """DEVICE_SRP_AUTH then DEVICE_PASSWORD_VERIFIER; returns the last answer."""
        a = int.from_bytes(os.urandom(32), "big") | 1
        big_a = _srp.large_a(a)
        answer = self.emulator.call(
            "RespondToAuthChallenge",
            {
                "ChallengeName": "DEVICE_SRP_AUTH",
                "ClientId": self.client_id,
                "ChallengeResponses": {
                    "USERNAME": username,
                    "DEVICE_KEY": device["key"],
                    "SRP_A": "%x" % big_a,
                },
                "Session": session,
            },
        )
        assert answer["ChallengeName"] == "DEVICE_PASSWORD_VERIFIER"
        params = answer["ChallengeParameters"]
        assert params["DEVICE_KEY"] == device["key"]
        assert params["SALT"] == device["salt_hex"]
        key = _srp.authentication_key(
            a, big_a, int(params["SRP_B"], 16), int(params["SALT"], 16), device["group_key"],
            device["key"], device["password"] if password is None else password,
        )  # fmt: skip
        stamp = _srp.timestamp(time.time())
        body = {
            "ChallengeName": "DEVICE_PASSWORD_VERIFIER",
            "ClientId": self.client_id,
            "ChallengeResponses": {
                "USERNAME": username,
                "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
                "TIMESTAMP": stamp,
                "PASSWORD_CLAIM_SIGNATURE": _srp.claim_signature(
                    key, device["group_key"], device["key"], params["SECRET_BLOCK"], stamp
                ),
                "DEVICE_KEY": device["key"],
            },
            "Session": answer["Session"],
        }
        return self.emulator.call("RespondToAuthChallenge", body), body

    def remembered_sign_in(self, username, device):
        """A full sign-in on a remembered device; returns the AuthenticationResult."""
        answer = self.sign_in(username, device["key"])
        assert answer["ChallengeName"] == "DEVICE_SRP_AUTH"
        assert answer["ChallengeParameters"] == {}
        final, _ = self.device_srp(username, device, answer["Session"])
        return final["AuthenticationResult"]

    def list(self, token, **extra):
        return self.emulator.call("ListDevices", dict({"AccessToken": token}, **extra))

    def get(self, token, key):
        return self.emulator.call("GetDevice", {"AccessToken": token, "DeviceKey": key})["Device"]


def attributes(device):
    return {item["Name"]: item["Value"] for item in device["DeviceAttributes"]}


def test_a_sign_in_without_a_device_gets_new_device_metadata(emulator):
    pool = Pool(emulator)
    username = pool.user()
    result = pool.sign_in(username)["AuthenticationResult"]
    meta = result["NewDeviceMetadata"]
    assert KEY_PATTERN.match(meta["DeviceKey"]) and len(meta["DeviceKey"]) <= 55
    assert re.match(r"^-[0-9A-Za-z]+$", meta["DeviceGroupKey"])
    access = claims(result["AccessToken"])
    assert access["device_key"] == meta["DeviceKey"]
    assert access["jti"] and access["origin_jti"] and access["jti"] != access["origin_jti"]
    assert "device_key" not in claims(result["IdToken"])
    # Each sign-in without a device gets a fresh one; USER_PASSWORD_AUTH too.
    again = pool.password_auth(username)["AuthenticationResult"]["NewDeviceMetadata"]
    assert again["DeviceKey"] != meta["DeviceKey"]
    # A pool without DeviceConfiguration tracks nothing.
    main = Pool(emulator, "main")
    plain = main.sign_in(sign_up(emulator)[0])["AuthenticationResult"]
    assert "NewDeviceMetadata" not in plain
    assert "device_key" not in claims(plain["AccessToken"])
    error = emulator.fail(
        "ConfirmDevice",
        {"AccessToken": plain["AccessToken"], "DeviceKey": meta["DeviceKey"]},
    )
    assert error.type == "InvalidUserPoolConfigurationException"


def test_user_prompt_pool_confirm_remember_then_device_srp(emulator):
    pool = Pool(emulator)
    username = pool.user()
    first = pool.sign_in(username)["AuthenticationResult"]
    device, answer = pool.confirm(first, "Firefox on Linux")
    assert answer == {"UserConfirmationNecessary": True}

    # Confirmed but not remembered: GetDevice finds it, ListDevices does not list it.
    found = pool.get(first["AccessToken"], device["key"])
    assert found["DeviceKey"] == device["key"]
    assert attributes(found) == {
        "device_status": "valid",
        "device_name": "Firefox on Linux",
        "dev:device_remembered_status": "not_remembered",
        "last_ip_used": "127.0.0.1",
    }
    for name in ("DeviceCreateDate", "DeviceLastModifiedDate", "DeviceLastAuthenticatedDate"):
        assert isinstance(found[name], (int, float)) and abs(found[name] - time.time()) < 600
    assert pool.list(first["AccessToken"]) == {"Devices": []}

    # A tracked device that is not remembered signs in without device SRP and without a
    # new device; the tokens are bound to it.
    second = pool.sign_in(username, device["key"])
    assert "ChallengeName" not in second
    result = second["AuthenticationResult"]
    assert "NewDeviceMetadata" not in result
    assert claims(result["AccessToken"])["device_key"] == device["key"]

    emulator.call(
        "UpdateDeviceStatus",
        {
            "AccessToken": result["AccessToken"],
            "DeviceKey": device["key"],
            "DeviceRememberedStatus": "remembered",
        },
    )
    listed = pool.list(result["AccessToken"])
    assert [d["DeviceKey"] for d in listed["Devices"]] == [device["key"]]
    assert "PaginationToken" not in listed
    assert attributes(listed["Devices"][0])["dev:device_remembered_status"] == "remembered"
    before = pool.get(result["AccessToken"], device["key"])

    # Remembered: the next sign-in goes through DEVICE_SRP_AUTH.
    time.sleep(0.01)
    third = pool.remembered_sign_in(username, device)
    assert "NewDeviceMetadata" not in third
    assert claims(third["AccessToken"])["device_key"] == device["key"]
    after = pool.get(third["AccessToken"], device["key"])
    assert after["DeviceLastAuthenticatedDate"] > before["DeviceLastAuthenticatedDate"]
    emulator.call("GetUser", {"AccessToken": third["AccessToken"]})

    # Not remembered again: no device SRP, and no longer listed.
    emulator.call(
        "UpdateDeviceStatus",
        {
            "AccessToken": third["AccessToken"],
            "DeviceKey": device["key"],
            "DeviceRememberedStatus": "not_remembered",
        },
    )
    assert pool.list(third["AccessToken"]) == {"Devices": []}
    assert "AuthenticationResult" in pool.sign_in(username, device["key"])


def test_always_pool_remembers_at_once_and_password_auth_uses_device_srp(emulator):
    pool = Pool(emulator, "devices-always")
    username = pool.user()
    first = pool.password_auth(username)["AuthenticationResult"]
    device, answer = pool.confirm(first)
    assert answer == {"UserConfirmationNecessary": False}
    assert len(pool.list(first["AccessToken"])["Devices"]) == 1
    answer = pool.password_auth(username, device["key"])
    assert answer["ChallengeName"] == "DEVICE_SRP_AUTH"
    final, _ = pool.device_srp(username, device, answer["Session"])
    assert claims(final["AuthenticationResult"]["AccessToken"])["device_key"] == device["key"]
    # The device key may also come with InitiateAuth only.
    signin, responses = pool.srp(username, initiate_key=device["key"])
    assert signin.answer(responses)["ChallengeName"] == "DEVICE_SRP_AUTH"


def test_wrong_device_password_is_refused_and_the_session_spent(emulator):
    pool = Pool(emulator, "devices-always")
    username = pool.user()
    device, _ = pool.confirm(pool.sign_in(username)["AuthenticationResult"])
    answer = pool.sign_in(username, device["key"])
    with pytest.raises(emulator.ApiError) as raised:
        pool.device_srp(username, device, answer["Session"], password="not-the-device-password")
    assert (raised.value.type, raised.value.message) == (
        "NotAuthorizedException",
        "Incorrect username or password.",
    )
    # Another device key than the one the sign-in named is refused too.
    other, _ = pool.confirm(pool.sign_in(pool.user())["AuthenticationResult"])
    answer = pool.sign_in(username, device["key"])
    error = emulator.fail(
        "RespondToAuthChallenge",
        {
            "ChallengeName": "DEVICE_SRP_AUTH",
            "ClientId": pool.client_id,
            "ChallengeResponses": {
                "USERNAME": username,
                "DEVICE_KEY": other["key"],
                "SRP_A": "%x" % _srp.large_a(12345),
            },
            "Session": answer["Session"],
        },
    )
    assert error.type == "ResourceNotFoundException"
    # A good answer, replayed, finds its session spent.
    answer = pool.sign_in(username, device["key"])
    final, body = pool.device_srp(username, device, answer["Session"])
    assert "AuthenticationResult" in final
    error = emulator.fail("RespondToAuthChallenge", body)
    assert error.type == "NotAuthorizedException" and "session" in error.message.lower()


def test_forgotten_or_unknown_device_is_resource_not_found_and_the_retry_works(emulator):
    pool = Pool(emulator, "devices-always")
    username = pool.user()
    first = pool.sign_in(username)["AuthenticationResult"]
    device, _ = pool.confirm(first)
    assert (
        emulator.call(
            "ForgetDevice", {"AccessToken": first["AccessToken"], "DeviceKey": device["key"]}
        )
        == {}
    )
    error = emulator.fail(
        "GetDevice", {"AccessToken": first["AccessToken"], "DeviceKey": device["key"]}
    )
    assert error.type == "ResourceNotFoundException" and "Device" in error.message
    assert pool.list(first["AccessToken"]) == {"Devices": []}

    # The original SDK's retry: PASSWORD_VERIFIER with the stale key is refused with a
    # message that names the device, and the same answer without it goes through.
    signin, responses = pool.srp(username, device["key"])
    error = emulator.fail(
        "RespondToAuthChallenge",
        {
            "ChallengeName": "PASSWORD_VERIFIER",
            "ClientId": pool.client_id,
            "ChallengeResponses": responses,
        },
    )
    assert (error.type, error.message) == ("ResourceNotFoundException", "Device does not exist.")
    assert "device" in error.message.lower()
    retry = dict(responses, DEVICE_KEY=None)  # the original sends null
    result = signin.answer(retry)["AuthenticationResult"]
    assert result["NewDeviceMetadata"]["DeviceKey"] != device["key"]

    # A made-up key, or another user's device, is not found either; a wrong password
    # is still a wrong password (the device is checked after the signature).
    other = pool.user()
    other_device, _ = pool.confirm(pool.sign_in(other)["AuthenticationResult"])
    for key in ("us-east-1_00000000-0000-0000-0000-000000000000", other_device["key"]):
        signin, responses = pool.srp(username, key)
        error = emulator.fail(
            "RespondToAuthChallenge",
            {"ChallengeName": "PASSWORD_VERIFIER", "ClientId": pool.client_id,
             "ChallengeResponses": responses, "Session": signin.challenge["Session"]},
        )  # fmt: skip
        assert error.type == "ResourceNotFoundException"
    signin = SrpSignIn(emulator.call, pool.id, pool.client_id, username, PASSWORD)
    signin.start()
    responses = dict(signin.responses(password="Wrong-Passw0rd!"), DEVICE_KEY=device["key"])
    assert emulator.fail(
        "RespondToAuthChallenge",
        {"ChallengeName": "PASSWORD_VERIFIER", "ClientId": pool.client_id,
         "ChallengeResponses": responses},
    ).message == "Incorrect username or password."  # fmt: skip
    # USER_PASSWORD_AUTH has no retry in the original: a stale key counts as no device.
    result = pool.password_auth(username, device["key"])["AuthenticationResult"]
    assert "NewDeviceMetadata" in result
    # ForgetDevice of an unknown device.
    error = emulator.fail(
        "ForgetDevice", {"AccessToken": result["AccessToken"], "DeviceKey": device["key"]}
    )
    assert error.type == "ResourceNotFoundException"


def test_confirm_device_checks_its_input(emulator):
    pool = Pool(emulator)
    username = pool.user()
    result = pool.sign_in(username)["AuthenticationResult"]
    key = result["NewDeviceMetadata"]["DeviceKey"]
    base = {"AccessToken": result["AccessToken"], "DeviceKey": key}
    for config in (
        None,
        {"Salt": "AAAA", "PasswordVerifier": "not base64!"},
        {"Salt": "", "PasswordVerifier": "AAAA"},
        {"Salt": "AAAA", "PasswordVerifier": "AA=="},
    ):
        body = dict(base, DeviceSecretVerifierConfig=config) if config else base
        assert emulator.fail("ConfirmDevice", body).type == "InvalidParameterException"
    # Another user's new device.
    other = pool.sign_in(pool.user())["AuthenticationResult"]
    error = emulator.fail(
        "ConfirmDevice",
        dict(base, DeviceKey=other["NewDeviceMetadata"]["DeviceKey"]),
    )
    assert error.type == "ResourceNotFoundException"
    pool.confirm(result)
    with pytest.raises(emulator.ApiError) as raised:
        pool.confirm(result)
    assert raised.value.type == "DeviceKeyExistsException"
    error = emulator.fail("GetDevice", {"AccessToken": result["AccessToken"], "DeviceKey": "bad"})
    assert error.type == "InvalidParameterException"
    error = emulator.fail("GetDevice", {"AccessToken": "x.y.z", "DeviceKey": key})
    assert (error.type, error.message) == ("NotAuthorizedException", "Invalid Access Token")


def test_list_devices_pages(emulator):
    pool = Pool(emulator, "devices-always")
    username = pool.user()
    keys = []
    for _ in range(3):
        result = pool.sign_in(username)["AuthenticationResult"]
        keys.append(pool.confirm(result)[0]["key"])
    token = result["AccessToken"]
    page = pool.list(token, Limit=2)
    assert [d["DeviceKey"] for d in page["Devices"]] == keys[:2]
    rest = pool.list(token, Limit=2, PaginationToken=page["PaginationToken"])
    assert [d["DeviceKey"] for d in rest["Devices"]] == keys[2:]
    assert "PaginationToken" not in rest
    assert [d["DeviceKey"] for d in pool.list(token)["Devices"]] == keys
    for extra in ({"Limit": 61}, {"Limit": -1}, {"PaginationToken": "%%%"}):
        error = emulator.fail("ListDevices", dict({"AccessToken": token}, **extra))
        assert error.type == "InvalidParameterException"


def _admin(emulator):
    return boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        endpoint_url=emulator.url,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}),
    )


def test_admin_device_actions(emulator):
    pool = Pool(emulator, "devices-always")
    username = pool.user()
    device, _ = pool.confirm(pool.sign_in(username)["AuthenticationResult"], "phone")
    admin = _admin(emulator)
    listed = admin.admin_list_devices(UserPoolId=pool.id, Username=username)
    assert [d["DeviceKey"] for d in listed["Devices"]] == [device["key"]]
    got = admin.admin_get_device(UserPoolId=pool.id, Username=username, DeviceKey=device["key"])
    assert attributes(got["Device"])["device_name"] == "phone"
    # botocore parses the epoch numbers as datetimes.
    assert got["Device"]["DeviceCreateDate"].year >= 2024
    with pytest.raises(admin.exceptions.UserNotFoundException):
        admin.admin_list_devices(UserPoolId=pool.id, Username="nobody-" + unique())
    with pytest.raises(admin.exceptions.ResourceNotFoundException):
        admin.admin_list_devices(UserPoolId="us-east-1_Missing00", Username=username)
    admin.admin_forget_device(UserPoolId=pool.id, Username=username, DeviceKey=device["key"])
    with pytest.raises(admin.exceptions.ResourceNotFoundException):
        admin.admin_get_device(UserPoolId=pool.id, Username=username, DeviceKey=device["key"])
    # Unsigned, the admin actions are refused.
    error = emulator.fail("AdminListDevices", {"UserPoolId": pool.id, "Username": username})
    assert error.type == "MissingAuthenticationTokenException"


def test_devices_survive_a_restart(emulator):
    pool = Pool(emulator, "devices-always")
    username = pool.user()
    device, _ = pool.confirm(pool.sign_in(username)["AuthenticationResult"])
    emulator.restart(kill=True)
    result = pool.remembered_sign_in(username, device)
    assert claims(result["AccessToken"])["device_key"] == device["key"]


def test_a_refresh_with_the_device_key_keeps_the_claim(emulator):
    pool = Pool(emulator, "devices-always")
    username = pool.user()
    first = pool.sign_in(username)["AuthenticationResult"]
    device, _ = pool.confirm(first)

    def refresh(device_key=None):
        params = {"REFRESH_TOKEN": first["RefreshToken"]}
        if device_key:
            params["DEVICE_KEY"] = device_key
        answer = emulator.call(
            "InitiateAuth",
            {
                "AuthFlow": "REFRESH_TOKEN_AUTH",
                "ClientId": pool.client_id,
                "AuthParameters": params,
            },
        )
        return claims(answer["AuthenticationResult"]["AccessToken"])

    assert refresh(device["key"])["device_key"] == device["key"]
    assert "device_key" not in refresh()
    assert "device_key" not in refresh("us-east-1_00000000-0000-0000-0000-000000000000")
