"""Remembered devices and token revocation through the client, against the emulator, on
CPython and inside Pyodide: the Pythonic face, then the seed's use cases 14, 15 and 18 to
22 transliterated line by line with the JavaScript-shaped face.

Pools (tests/conftest.py): "devices" asks the user whether to remember a device
(DeviceOnlyRememberedOnUserPrompt), "devices-always" remembers it at once.
"""

import base64
import os

import pytest

from pycognito_web import (
    MemoryStorage,
    NotAuthenticatedError,
    ServiceError,
    Session,
    UserPool,
)

PASSWORD = "Corr3ct-Horse-Battery!"
PREFIX = "CognitoIdentityServiceProvider."
DEVICE_ITEMS = ("deviceKey", "randomPasswordKey", "deviceGroupKey")


def unique(name):
    return "%s-%s" % (name, base64.b32encode(os.urandom(5)).decode().lower().rstrip("="))


def pool_of(info, name, storage):
    pool = UserPool(
        info.pools[name]["id"],
        info.pools[name]["clients"]["web"]["id"],
        endpoint=info.url + "/",
        storage=storage,
        transport=info.transport,
    )
    # Every action and challenge the client sends, in order.
    pool.sent = []
    send = pool.client.call

    async def recording(action, params):
        pool.sent.append((action, params.get("ChallengeName")))
        return await send(action, params)

    pool.client.call = recording
    return pool


async def confirmed_user(info, pool):
    username = unique("dev")
    await pool.sign_up(username, PASSWORD, {"email": username + "@example.com"})
    await pool.user(username).confirm_sign_up(await info.last_code(username))
    return username


def device_items(storage, client_id, username):
    base = PREFIX + client_id + "." + username + "."
    return {name: storage.getItem(base + name) for name in DEVICE_ITEMS}


def attributes(device):
    return {item["Name"]: item["Value"] for item in device["DeviceAttributes"]}


async def test_remembered_device_lifecycle_pythonic(emulator_info):
    storage = MemoryStorage()
    pool = pool_of(emulator_info, "devices", storage)
    username = await confirmed_user(emulator_info, pool)

    # A new device: confirmed during sign-in, kept under the original's keys.
    user = pool.user(username)
    session = await user.authenticate(PASSWORD)
    assert isinstance(session, Session)
    assert pool.sent[-3:] == [
        ("InitiateAuth", None),
        ("RespondToAuthChallenge", "PASSWORD_VERIFIER"),
        ("ConfirmDevice", None),
    ]
    stored = device_items(storage, pool.client_id, username)
    assert all(stored.values())
    assert stored["deviceGroupKey"].startswith("-")
    assert session.access_token.claim("device_key") == stored["deviceKey"]
    assert user.user_confirmation_necessary is True

    # The pool asks the user: not remembered until they say so.
    device = (await user.get_device())["Device"]
    assert device["DeviceKey"] == stored["deviceKey"]
    assert attributes(device)["dev:device_remembered_status"] == "not_remembered"
    assert attributes(device)["device_name"]
    assert (await user.list_devices(10))["Devices"] == []
    assert await user.set_device_status(True) == "SUCCESS"
    listed = await user.list_devices(10)
    assert [d["DeviceKey"] for d in listed["Devices"]] == [stored["deviceKey"]]

    # A page reload: a fresh pool object on the same storage signs in with device SRP.
    again = pool_of(emulator_info, "devices", storage)
    second = again.user(username)
    session = await second.authenticate(PASSWORD)
    assert again.sent == [
        ("InitiateAuth", None),
        ("RespondToAuthChallenge", "PASSWORD_VERIFIER"),
        ("RespondToAuthChallenge", "DEVICE_SRP_AUTH"),
        ("RespondToAuthChallenge", "DEVICE_PASSWORD_VERIFIER"),
    ]
    assert second.user_confirmation_necessary is False
    assert session.access_token.claim("device_key") == stored["deviceKey"]
    assert device_items(storage, pool.client_id, username) == stored
    assert (await second.get_device())["Device"]["DeviceKey"] == stored["deviceKey"]

    # The device is forgotten elsewhere (another browser, by key): this storage still
    # holds it, so the next sign-in takes the original's stale-device retry.
    elsewhere = pool_of(emulator_info, "devices", MemoryStorage()).user(username)
    await elsewhere.authenticate(PASSWORD)
    assert await elsewhere.forget_device(stored["deviceKey"]) == "SUCCESS"
    with pytest.raises(ServiceError) as raised:
        await elsewhere.get_device(stored["deviceKey"])
    assert raised.value.code == "ResourceNotFoundException"

    third_pool = pool_of(emulator_info, "devices", storage)
    third = third_pool.user(username)
    session = await third.authenticate(PASSWORD)
    assert third_pool.sent == [
        ("InitiateAuth", None),
        ("RespondToAuthChallenge", "PASSWORD_VERIFIER"),
        ("RespondToAuthChallenge", "PASSWORD_VERIFIER"),
        ("ConfirmDevice", None),
    ]
    renewed = device_items(storage, pool.client_id, username)
    assert all(renewed.values()) and renewed["deviceKey"] != stored["deviceKey"]
    assert session.access_token.claim("device_key") == renewed["deviceKey"]

    # forget_device() forgets this device here and on the service.
    await third.set_device_status(True)
    assert await third.forget_device() == "SUCCESS"
    assert device_items(storage, pool.client_id, username) == dict.fromkeys(DEVICE_ITEMS)
    assert (await third.list_devices())["Devices"] == []


async def test_remembered_device_with_user_password_auth(emulator_info):
    storage = MemoryStorage()
    pool = pool_of(emulator_info, "devices-always", storage)
    username = await confirmed_user(emulator_info, pool)
    user = pool.user(username)
    await user.authenticate(PASSWORD, flow="USER_PASSWORD_AUTH")
    assert user.user_confirmation_necessary is False
    key = device_items(storage, pool.client_id, username)["deviceKey"]
    assert [d["DeviceKey"] for d in (await user.list_devices())["Devices"]] == [key]

    again = pool_of(emulator_info, "devices-always", storage)
    session = await again.user(username).authenticate(PASSWORD, flow="USER_PASSWORD_AUTH")
    assert again.sent == [
        ("InitiateAuth", None),
        ("RespondToAuthChallenge", "DEVICE_SRP_AUTH"),
        ("RespondToAuthChallenge", "DEVICE_PASSWORD_VERIFIER"),
    ]
    assert session.access_token.claim("device_key") == key


async def test_sign_out_revokes_and_global_sign_out_reaches_every_session(emulator_info):
    pool = pool_of(emulator_info, "devices-always", MemoryStorage())
    username = await confirmed_user(emulator_info, pool)
    user = pool.user(username)
    session = await user.authenticate(PASSWORD)
    assert session.access_token.claim("origin_jti")
    old_access = session.access_token.jwt
    await user.sign_out()
    assert ("RevokeToken", None) in pool.sent
    assert user.session is None
    with pytest.raises(ServiceError) as raised:
        await pool.client.call("GetUser", {"AccessToken": old_access})
    assert (raised.value.code, raised.value.message) == (
        "NotAuthorizedException",
        "Access Token has been revoked",
    )
    with pytest.raises(NotAuthenticatedError):
        await user.get_session()

    # Two browsers; a global sign-out in one ends the other's session too.
    here = pool.user(username)
    await here.authenticate(PASSWORD)
    there_storage = MemoryStorage()
    there = pool_of(emulator_info, "devices-always", there_storage).user(username)
    await there.authenticate(PASSWORD)
    old_access = here.session.access_token.jwt
    await here.global_sign_out()
    assert here.session is None
    for token in (old_access, there.session.access_token.jwt):
        with pytest.raises(ServiceError) as raised:
            await pool.client.call("GetUser", {"AccessToken": token})
        assert raised.value.message == "Access Token has been revoked"
    with pytest.raises(ServiceError) as raised:
        await there.refresh_session()
    assert (raised.value.code, raised.value.message) == (
        "NotAuthorizedException",
        "Refresh Token has been revoked",
    )
    assert not [key for key in there_storage.keys() if key.endswith("Token")]
    # The device is still remembered: signing in again uses it.
    again = pool_of(emulator_info, "devices-always", there_storage)
    await again.user(username).authenticate(PASSWORD)
    assert ("RespondToAuthChallenge", "DEVICE_SRP_AUTH") in again.sent


async def test_a_device_that_does_not_replace_mfa_is_checked_after_the_code(emulator_info):
    """ChallengeRequiredOnNewDevice false: every sign-in asks for the TOTP code, and a
    remembered device then proves itself with DEVICE_SRP_AUTH after that code."""
    import time

    from support.totp import totp

    from pycognito_web import CodeChallenge, MfaSetup

    found = emulator_info.pools["mfa-devices-each"]
    storage = MemoryStorage()

    def pool():
        return UserPool(
            found["id"],
            found["clients"]["web"]["id"],
            endpoint=emulator_info.url + "/",
            storage=storage,
            transport=emulator_info.transport,
        )

    username = "each-" + base64.b32encode(os.urandom(5)).decode().lower().rstrip("=")
    await pool().sign_up(username, PASSWORD, {"email": username + "@example.com"})
    await pool().user(username).confirm_sign_up(await emulator_info.last_code(username))

    first = pool().user(username)
    setup = await first.authenticate(PASSWORD)
    assert isinstance(setup, MfaSetup)
    secret = await setup.associate_software_token()
    assert isinstance(await setup.verify(totp(secret, time.time())), Session)
    device = first.known_device
    assert device is not None  # confirmed after MFA set-up, remembered at once

    again = pool().user(username)
    challenge = await again.authenticate(PASSWORD)
    assert isinstance(challenge, CodeChallenge)
    assert challenge.name == "SOFTWARE_TOKEN_MFA"
    session = await challenge.answer(totp(secret, time.time() + 30))
    assert isinstance(session, Session)
    assert session.access_token.claim("device_key") == device.key
