"""MFA and remembered devices through the demo's UI (as the emulator serves them): TOTP
set-up with its QR code and secret, the TOTP challenge at sign-in answered with RFC 6238
codes computed here, and the devices list."""

import base64
import hmac
import struct
import time

import pytest
from conftest import unique
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "Passw0rd!mfa"


def totp(secret, at=None, step=30, digits=6):
    """RFC 6238 (HMAC-SHA1, 30 s steps), as authenticator apps compute it."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(key, struct.pack(">Q", counter), "sha1").digest()
    offset = mac[-1] & 15
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return "%0*d" % (digits, value % 10**digits)


def test_totp_set_up_challenge_and_devices(demo, console_messages):
    page = demo.page
    demo.open()
    name = unique("tina")
    demo.sign_up(name, PASSWORD)
    demo.sign_in(name, PASSWORD, remember=True)
    demo.no_error()
    demo.expect_view("account")

    demo.click("setup-totp")
    demo.no_error()
    secret = page.locator("#totp-secret").inner_text()
    assert len(secret) >= 16
    qr = page.locator("#totp-qr")
    expect(qr.locator("svg")).to_have_count(1)
    assert qr.get_attribute("data-otpauth").startswith("otpauth://totp/")
    assert "secret=%s" % secret in qr.get_attribute("data-otpauth")
    demo.shot("12-totp-set-up")
    demo.submit("verify-totp", device_name="Test phone", code=totp(secret))
    demo.no_error()
    expect(page.locator("#mfa-state")).to_contain_text("authenticator app")
    expect(page.locator("[data-action=save-mfa] [name=totp]")).to_be_checked()

    # This browser is remembered: the devices list shows it.
    demo.click("list-devices")
    demo.no_error()
    expect(page.locator("#devices")).to_contain_text("(this browser)")
    demo.shot("13-devices")

    # Forget the device, sign out, sign in again: the TOTP challenge comes.
    demo.click("forget-device")
    demo.no_error()
    demo.click("sign-out")
    demo.submit("sign-in", username=name, flow="USER_SRP_AUTH", password=PASSWORD)
    demo.no_error()
    demo.expect_view("challenge")
    expect(page.locator("#view-challenge")).to_have_attribute(
        "data-challenge", "SOFTWARE_TOKEN_MFA"
    )
    demo.shot("14-totp-challenge")
    demo.submit("answer-challenge", code=totp(secret, time.time() + 30))
    demo.answer_device_prompt()
    demo.no_error()
    demo.expect_view("account")

    # Turn MFA off again from the settings form.
    demo.submit("save-mfa", totp=False, preferred="")
    demo.no_error()
    expect(page.locator("#mfa-state")).to_have_text("MFA is off for this account.")
    assert not [m for m in console_messages if m[0] == "pageerror"]
