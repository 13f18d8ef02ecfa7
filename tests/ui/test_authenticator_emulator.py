"""pycognito_web.ui's Authenticator against the emulator, on CPython in a fake DOM: every
screen's flow end to end, as a person goes through it (codes from the emulator's outbox,
TOTP codes from the secret the screen shows).

The pools are tests/conftest.py's, and one made here through the admin API: MFA on with
devices remembered only when the user says so.
"""

import time

import boto3
import pytest
from support.totp import totp
from unit.fake_dom import Page

from pycognito_web import MemoryStorage, UserPool
from pycognito_web.ui import Authenticator

PASSWORD = "Corr3ct-Horse-Battery!"


def unique(prefix):
    return "%s-%d" % (prefix, time.time_ns() % 10**12)


@pytest.fixture(scope="module")
def admin(emulator):
    return boto3.client(
        "cognito-idp",
        endpoint_url=emulator.url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


@pytest.fixture(scope="module")
def remember_pool(admin):
    """MFA on (TOTP), devices remembered only on the user's say-so."""
    pool = admin.create_user_pool(
        PoolName=unique("ui-remember"),
        AutoVerifiedAttributes=["email"],
        DeviceConfiguration={
            "ChallengeRequiredOnNewDevice": True,
            "DeviceOnlyRememberedOnUserPrompt": True,
        },
    )["UserPool"]
    admin.set_user_pool_mfa_config(
        UserPoolId=pool["Id"],
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="ON",
    )
    client = admin.create_user_pool_client(
        UserPoolId=pool["Id"],
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    return pool["Id"], client["ClientId"]


class Person:
    """A page with the component on it, a pool of the emulator, and what happened."""

    def __init__(self, emulator, ids, storage=None, **options):
        self.emulator = emulator
        self.storage = storage if storage is not None else MemoryStorage()
        self.pool = UserPool(ids[0], ids[1], endpoint=emulator.url, storage=self.storage)
        self.page = Page()
        self.signed_in, self.signed_out = [], []
        self.page.auth = Authenticator(
            self.pool,
            "#auth",
            document=self.page.document,
            on_signed_in=self.signed_in.append,
            on_signed_out=lambda: self.signed_out.append(True),
            **options,
        )

    def __getattr__(self, name):
        return getattr(self.page, name)


def ids(emulator, name):
    pool = emulator.pools[name]
    return pool["id"], pool["clients"]["web"]["id"]


async def signed_up(emulator, pool_ids, phone=None):
    """A confirmed user made through the API; returns its name."""
    name = unique("ui")
    pool = UserPool(*pool_ids, endpoint=emulator.url, storage=MemoryStorage())
    attributes = {"email": name + "@example.com"}
    if phone:
        attributes["phone_number"] = phone
    result = await pool.sign_up(name, PASSWORD, attributes)
    await result.user.confirm_sign_up(emulator.last_code(name))
    return name


async def test_sign_up_confirm_sign_in_and_sign_out(emulator):
    person = Person(emulator, ids(emulator, "main"))
    name = unique("ui")
    await person.click("go:sign-up")
    await person.submit(username=name, email=name + "@example.com", password=PASSWORD)
    assert person.screen == "confirm-sign-up", person.form_error()
    await person.submit(code="000000" if emulator.last_code(name) != "000000" else "111111")
    assert person.error_of("code") == "This code is not right. Check it and try again."
    await person.submit(code=emulator.last_code(name))
    assert person.screen == "sign-in"
    assert person.status() == "Your account is confirmed. You can sign in now."
    assert person.field("username").value == name
    assert person.focused() is person.field("username")

    await person.submit(password="Wrong-Passw0rd!")
    assert person.error_of("password") == "The username or password is incorrect."
    assert person.focused() is person.field("password")
    await person.submit(password=PASSWORD)
    assert person.screen == "signed-in"
    assert "Signed in as %s." % name in person.mount.textContent
    assert [user.username for user in person.signed_in] == [name]

    # Another page load with the same storage: signed in at once.
    again = Person(emulator, ids(emulator, "main"), storage=person.storage)
    assert again.screen == "signed-in" and again.page.auth.user.username == name
    await again.page.auth.settled()
    assert [user.username for user in again.signed_in] == [name]

    await person.click("sign-out")
    assert person.screen == "sign-in"
    assert person.status() == "You have signed out."
    assert person.signed_out == [True]
    assert person.pool.current_user() is None


async def test_a_taken_username_and_an_unconfirmed_account(emulator):
    name = unique("ui")
    person = Person(emulator, ids(emulator, "main"))
    await person.click("go:sign-up")
    await person.submit(username=name, email=name + "@example.com", password=PASSWORD)
    assert person.screen == "confirm-sign-up"
    other = Person(emulator, ids(emulator, "main"))
    await other.click("go:sign-up")
    await other.submit(username=name, email="x" + name + "@example.com", password=PASSWORD)
    assert other.error_of("username") == "This username is taken. Choose another, or sign in."

    # Signing in before confirming leads to the confirmation, with a fresh code.
    codes = len(emulator.messages(name))
    await other.click("go:sign-in")
    await other.submit(username=name, password=PASSWORD)
    assert other.screen == "confirm-sign-up"
    assert other.status() == "Your account is not confirmed yet. We sent you a code."
    assert len(emulator.messages(name)) == codes + 1
    await other.submit(code=emulator.last_code(name))
    assert other.screen == "sign-in"


async def test_totp_set_up_then_remember_this_device(emulator, remember_pool):
    name = await signed_up(emulator, remember_pool)
    person = Person(emulator, remember_pool)
    await person.submit(username=name, password=PASSWORD)
    assert person.screen == "totp-setup", person.form_error()
    secret = person.mount.find("input", class_="pcw-secret").value
    assert len(secret) >= 16
    (image,) = person.mount.find_all("img", class_="pcw-qr")  # segno is installed here
    assert image.getAttribute("src").startswith("data:image/svg+xml")
    assert image.getAttribute("alt") == "QR code for your authenticator app"
    assert person.focused() is person.field("code")
    now = time.time()
    await person.submit(code=totp(secret, now))
    # After MFA, with a pool that remembers devices on the user's say-so: asked.
    assert person.screen == "remember-device", person.form_error()
    assert person.signed_in == []
    assert person.focused() is person.button("remember")
    await person.click("remember")
    assert person.screen == "signed-in"
    assert [user.username for user in person.signed_in] == [name]
    devices = await person.page.auth.user.list_devices()
    statuses = [
        a["Value"]
        for d in devices["Devices"]
        for a in d["DeviceAttributes"]
        if a["Name"] == "dev:device_remembered_status"
    ]
    assert statuses == ["remembered"]

    # This device now stands in for MFA.
    await person.click("sign-out")
    await person.submit(username=name, password=PASSWORD)
    assert person.screen == "signed-in", person.form_error()


async def test_no_remember_prompt_at_a_first_sign_in_without_mfa(emulator):
    pool_ids = ids(emulator, "devices")
    name = await signed_up(emulator, pool_ids)
    person = Person(emulator, pool_ids)
    await person.submit(username=name, password=PASSWORD)
    assert person.screen == "signed-in"
    # The pool would have the user asked; no MFA was involved, so the prompt waits.
    assert person.page.auth.user.user_confirmation_necessary is True


async def test_totp_code_at_sign_in_with_a_wrong_code_first(emulator):
    pool_ids = ids(emulator, "mfa-on")
    name = await signed_up(emulator, pool_ids)
    user = UserPool(*pool_ids, endpoint=emulator.url, storage=MemoryStorage()).user(name)
    setup = await user.authenticate(PASSWORD)
    secret = await setup.associate_software_token()
    now = time.time()
    await setup.verify(totp(secret, now))

    person = Person(emulator, pool_ids)
    await person.submit(username=name, password=PASSWORD)
    assert person.screen == "mfa-code"
    assert "authenticator app" in person.mount.textContent
    await person.submit(code=totp(secret, now + 300))
    assert person.error_of("code") == "This code is not right. Check it and try again."
    assert person.focused() is person.field("code")
    await person.submit(code=totp(secret, now + 30))
    assert person.screen == "signed-in", person.error_of("code")


async def test_choosing_sms_then_the_texted_code(emulator):
    pool_ids = ids(emulator, "mfa-optional")
    name = await signed_up(emulator, pool_ids, phone="+12065550008")
    user = UserPool(*pool_ids, endpoint=emulator.url, storage=MemoryStorage()).user(name)
    await user.authenticate(PASSWORD)
    secret = await user.associate_software_token()
    await user.verify_software_token(totp(secret, time.time()))
    await user.set_mfa_preference(sms={"Enabled": True}, software_token={"Enabled": True})
    await user.sign_out()

    person = Person(emulator, pool_ids)
    await person.submit(username=name, password=PASSWORD)
    assert person.screen == "select-mfa"
    radios = person.mount.find_all("input", type="radio")
    assert [r.getAttribute("value") for r in radios] == ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]
    assert person.focused() is radios[0]
    await person.submit()
    assert (
        person.error_of("mfa=SMS_MFA") if False else person.mount.textContent.count("Choose one.")
    )
    person.choose("SMS_MFA")
    await person.submit()
    assert person.screen == "mfa-code"
    assert "text message" in person.mount.textContent and "0008" in person.mount.textContent
    await person.submit(code=emulator.last_code(name))
    assert person.screen == "signed-in", person.error_of("code")


async def test_new_password_required_for_an_invited_user(emulator, admin):
    pool_ids = ids(emulator, "main")
    name = unique("ui-invited")
    admin.admin_create_user(
        UserPoolId=pool_ids[0],
        Username=name,
        TemporaryPassword="Temp-Passw0rd!",
        UserAttributes=[{"Name": "email", "Value": name + "@example.com"}],
        MessageAction="SUPPRESS",
    )
    person = Person(emulator, pool_ids)
    await person.submit(username=name, password="Temp-Passw0rd!")
    assert person.screen == "new-password", person.form_error()
    assert person.focused() is person.field("new_password")
    await person.submit(new_password="short")
    assert person.error_of("new_password").startswith("This password is too weak: it needs")
    await person.submit(new_password=PASSWORD)
    assert person.screen == "signed-in", person.error_of("new_password")


async def test_forgot_password_with_an_expired_code_then_a_new_one(emulator):
    pool_ids = ids(emulator, "main")
    name = await signed_up(emulator, pool_ids)
    person = Person(emulator, pool_ids)
    await person.click("go:forgot-password")
    await person.submit(username=name)
    assert person.screen == "reset-password", person.form_error()
    old = emulator.last_code(name)
    emulator.advance_clock(2 * 3600)
    try:
        await person.submit(code=old, new_password="N3w-Passw0rd!")
        assert person.error_of("code").startswith("This code has expired.")
    finally:
        emulator.reset_clock()
    await person.click("resend")
    assert person.status().startswith("We sent a new code to ")
    new = emulator.last_code(name)
    await person.submit(code=new, new_password="N3w-Passw0rd!")
    assert person.screen == "sign-in", person.error_of("code")
    await person.submit(password="N3w-Passw0rd!")
    assert person.screen == "signed-in"
