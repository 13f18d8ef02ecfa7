"""TOTP and a remembered device under MicroPython, against the emulator itself.

mpy_test_mfa_devices.py exercises the same client code against an in-test stub; these
tests add the real server: the emulator's MFA_SETUP, SOFTWARE_TOKEN_MFA, ConfirmDevice
and DEVICE_SRP_AUTH, reached through fetch from MicroPython.
"""

import time

from mpy_support import PASSWORD, emulator, last_code, totp, unique

from pycognito_web import CodeChallenge, MemoryStorage, MfaSetup, Session, UserPool


def _pool(name, storage):
    info = emulator()
    pool = info["pools"][name]
    return UserPool(
        pool["id"],
        pool["clients"]["web"]["id"],
        endpoint=info["url"] + "/",
        storage=storage,
    )


async def _confirmed(pool):
    username = unique("mpy")
    await pool.sign_up(username, PASSWORD, {"email": username + "@example.com"})
    await pool.user(username).confirm_sign_up(await last_code(username))
    return username


async def test_totp_set_up_at_sign_in_then_required():
    storage = MemoryStorage()
    pool = _pool("mfa-on", storage)
    username = await _confirmed(pool)

    setup = await pool.user(username).authenticate(PASSWORD)
    assert isinstance(setup, MfaSetup), setup
    secret = await setup.associate_software_token()
    assert len(secret) >= 16
    session = await setup.verify(totp(secret, time.time()), "mpy-authenticator")
    assert isinstance(session, Session), session

    # The next sign-in asks for a code from the app; the next time step's code is new.
    challenge = await pool.user(username).authenticate(PASSWORD)
    assert isinstance(challenge, CodeChallenge) and challenge.name == "SOFTWARE_TOKEN_MFA"
    session = await challenge.answer(totp(secret, time.time() + 30))
    assert isinstance(session, Session)
    assert session.is_valid(time.time())


async def test_a_remembered_device_signs_in_with_device_srp():
    storage = MemoryStorage()
    pool = _pool("devices-always", storage)
    username = await _confirmed(pool)

    first = pool.user(username)
    assert isinstance(await first.authenticate(PASSWORD), Session)
    device = first.known_device
    assert device is not None and device.key.startswith("us-east-1_")
    assert first.user_confirmation_necessary is False

    # A new page on the same storage: the stored device answers DEVICE_SRP_AUTH.
    again = _pool("devices-always", storage).user(username)
    session = await again.authenticate(PASSWORD)
    assert isinstance(session, Session)
    assert session.access_token.claim("device_key") == device.key
    listed = await again.list_devices(10)
    assert [d["DeviceKey"] for d in listed["Devices"]] == [device.key]
