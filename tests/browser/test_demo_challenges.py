"""Every sign-in challenge of the demo (site/index.html), driven through its UI in Chromium
against the emulator: SMS MFA, the choice of MFA method (SELECT_MFA_TYPE), TOTP set-up
while signing in (MFA_SETUP, on the demo's "demo-mfa-required" pool, MFA ON), a new
password for an admin-created user, a custom challenge (the example triggers of
site/emulator-config.json), and a remembered device standing in for MFA.

Codes come from the emulator's outbox, TOTP codes are computed from the secret the page
shows. Screenshots of the main states go to test-results/screenshots/ (20-...).
"""

import json
import re
import time

import pytest
from conftest import PW, DemoPage, unique
from playwright.sync_api import expect
from test_demo_mfa import totp

pytestmark = pytest.mark.browser

PASSWORD = "Passw0rd!chal"
PHONE = "+15555550123"


def errors_in(console):
    return [m for m in console if m[0] in ("error", "pageerror")]


def expect_challenge(demo, name):
    demo.no_error()
    demo.expect_view("challenge")
    expect(demo.page.locator("#view-challenge")).to_have_attribute("data-challenge", name)


def sign_up_with_phone(demo, name):
    demo.click("show-sign-up")
    demo.submit(
        "sign-up",
        username=name,
        email=name + "@example.com",
        phone_number=PHONE,
        password=PASSWORD,
    )
    demo.no_error()
    demo.expect_view("confirm")
    demo.submit("confirm", code=demo.emulator.last_code(name))
    demo.no_error()
    demo.expect_view("sign-in")


def set_up_totp(demo, device_name="Test phone"):
    """From the account view: associate, verify with a code of now; returns the secret."""
    demo.click("setup-totp")
    demo.no_error()
    secret = demo.page.locator("#totp-secret").inner_text()
    demo.submit("verify-totp", device_name=device_name, code=totp(secret))
    demo.no_error()
    return secret


def choose_mfa(demo, method):
    form = demo.page.locator("#challenge-form")
    form.locator("input[name=mfa][value='%s']" % method).check()
    form.locator("button[type=submit]").click()
    demo.idle()


def answer_sms(demo, name):
    """The SMS_MFA challenge: the masked phone number on the page, the code in the
    outbox panel and in the emulator's outbox (kind "mfa")."""
    page = demo.page
    expect_challenge(demo, "SMS_MFA")
    expect(page.locator("#challenge-title")).to_have_text("Verification code")
    expect(page.locator("#challenge-text")).to_contain_text("0123")
    assert PHONE not in page.locator("#challenge-text").inner_text()  # masked
    code = demo.emulator.last_code(name, kind="mfa")
    expect(page.locator("#outbox-list")).to_contain_text(code)
    return code


def test_sms_mfa_at_sign_in(demo, console_messages):
    page = demo.page
    demo.open()
    name = unique("sam")
    sign_up_with_phone(demo, name)
    demo.sign_in(name, PASSWORD)
    demo.no_error()
    demo.expect_view("account")
    demo.submit("save-mfa", sms=True, totp=False, preferred="sms")
    demo.no_error()
    expect(page.locator("#mfa-state")).to_have_text(
        "MFA is on: text message (preferred: text message)."
    )
    demo.click("sign-out")

    sent_before = len(demo.emulator.messages(name))
    demo.sign_in(name, PASSWORD)
    code = answer_sms(demo, name)
    assert len(demo.emulator.messages(name)) == sent_before + 1
    demo.shot("20-sms-mfa-challenge")
    # A wrong code keeps the challenge: the error shows, the right code then works.
    wrong = "000000" if code != "000000" else "111111"
    demo.submit("answer-challenge", code=wrong)
    expect(page.locator("#error-code")).to_have_text("CodeMismatchException")
    demo.expect_view("challenge")
    demo.submit("answer-challenge", code=code)
    demo.answer_device_prompt()
    demo.no_error()
    demo.expect_view("account")
    expect(page.locator("#account-name")).to_have_text(name)
    bad = [m for m in errors_in(console_messages) if "status of 400" not in m[1]]
    assert not bad, bad


def test_choose_the_mfa_method_at_sign_in(demo, console_messages):
    page = demo.page
    demo.open()
    name = unique("selma")
    sign_up_with_phone(demo, name)
    demo.sign_in(name, PASSWORD)
    demo.expect_view("account")
    secret = set_up_totp(demo)
    # Both methods on, neither preferred: Cognito asks which one (SELECT_MFA_TYPE).
    demo.submit("save-mfa", sms=True, totp=True, preferred="")
    demo.no_error()
    expect(page.locator("#mfa-state")).to_have_text("MFA is on: text message, authenticator app.")
    demo.click("sign-out")

    demo.sign_in(name, PASSWORD)
    expect_challenge(demo, "SELECT_MFA_TYPE")
    expect(page.locator("#challenge-title")).to_have_text("Choose how to verify")
    options = page.locator("#challenge-form input[name=mfa]")
    expect(options).to_have_count(2)
    assert sorted(options.evaluate_all("l => l.map(e => e.value)")) == [
        "SMS_MFA",
        "SOFTWARE_TOKEN_MFA",
    ]
    expect(page.locator("#challenge-form")).to_contain_text("Text message (SMS)")
    expect(page.locator("#challenge-form")).to_contain_text("Authenticator app")
    demo.shot("21-select-mfa-type")
    choose_mfa(demo, "SMS_MFA")
    demo.submit("answer-challenge", code=answer_sms(demo, name))
    demo.answer_device_prompt()
    demo.no_error()
    demo.expect_view("account")
    demo.click("sign-out")

    # The other choice: the authenticator app.
    demo.sign_in(name, PASSWORD)
    expect_challenge(demo, "SELECT_MFA_TYPE")
    choose_mfa(demo, "SOFTWARE_TOKEN_MFA")
    expect_challenge(demo, "SOFTWARE_TOKEN_MFA")
    expect(page.locator("#challenge-title")).to_have_text("Authenticator code")
    demo.submit("answer-challenge", code=totp(secret, time.time() + 30))
    demo.answer_device_prompt()
    demo.no_error()
    demo.expect_view("account")
    assert not demo.failed, demo.failed
    assert not errors_in(console_messages), console_messages


def test_totp_set_up_while_signing_in(demo, console_messages):
    """MFA_SETUP: the demo-mfa-required pool (MFA ON), chosen in the page's settings."""
    page = demo.page
    pool_id, client_id = demo.emulator.pools["demo-mfa-required"]
    demo.open()
    demo.click("show-settings")
    expect(page.locator("#emulator-pools")).to_be_visible()
    demo.shot("22-settings-emulator-pools")
    demo.click("use-emulator-pool", **{"pool-id": pool_id})
    demo.no_error()
    expect(page.locator("#pool-badge")).to_have_text("emulator · " + pool_id)
    expect(page.locator("#outbox")).to_be_visible()
    saved = json.loads(page.evaluate("localStorage.getItem('pycognito-web-demo.pool')"))
    assert saved == {"pool_id": pool_id, "client_id": client_id,
                     "endpoint": demo.emulator.url, "emulator": True}  # fmt: skip

    name = unique("theo")
    demo.sign_up(name, PASSWORD)
    demo.sign_in(name, PASSWORD)
    expect_challenge(demo, "MFA_SETUP")
    expect(page.locator("#challenge-title")).to_have_text("Set up an authenticator app")
    expect(page.locator("#challenge-totp")).to_be_visible()
    secret = page.locator("#challenge-secret").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
    qr = page.locator("#challenge-qr")
    expect(qr.locator("svg")).to_have_count(1)
    uri = qr.get_attribute("data-otpauth")
    assert uri.startswith("otpauth://totp/") and "secret=%s" % secret in uri, uri
    assert name in uri
    demo.shot("23-mfa-setup-challenge")
    demo.submit("answer-challenge", code=totp(secret), device_name="Theo's phone")
    demo.no_error()
    # A new device after MFA: the prompt, answered "Not now".
    demo.expect_view("device")
    demo.click("dont-remember-device")
    demo.no_error()
    demo.expect_view("account")
    expect(page.locator("#mfa-state")).to_have_text(
        "MFA is on: authenticator app (preferred: authenticator app)."
    )
    demo.click("sign-out")

    # From now on the pool asks for the app's code.
    demo.sign_in(name, PASSWORD)
    expect_challenge(demo, "SOFTWARE_TOKEN_MFA")
    demo.submit("answer-challenge", code=totp(secret, time.time() + 30))
    demo.answer_device_prompt()
    demo.no_error()
    demo.expect_view("account")
    assert not demo.failed, demo.failed
    assert not errors_in(console_messages), console_messages


def admin_client(emulator):
    import boto3

    return boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        endpoint_url=emulator.url,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def test_new_password_for_an_admin_created_user(demo, console_messages):
    page = demo.page
    name = unique("ada")
    admin_client(demo.emulator).admin_create_user(
        UserPoolId=demo.emulator.pool_id,
        Username=name,
        UserAttributes=[
            {"Name": "email", "Value": name + "@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
        DesiredDeliveryMediums=["EMAIL"],
    )
    invitation = [m for m in demo.emulator.messages(name) if m["kind"] == "invitation"]
    assert len(invitation) == 1, demo.emulator.messages(name)
    temporary = invitation[0]["code"]

    demo.open()
    demo.sign_in(name, temporary)
    expect_challenge(demo, "NEW_PASSWORD_REQUIRED")
    expect(page.locator("#challenge-title")).to_have_text("Choose a new password")
    expect(page.locator("#challenge-form [name=new_password]")).to_be_focused()
    demo.shot("24-new-password-required")
    # The pool's password policy applies: a weak one is refused, the challenge stays.
    demo.submit("answer-challenge", new_password="weak")
    expect(page.locator("#error-code")).to_have_text("InvalidPasswordException")
    demo.expect_view("challenge")
    demo.submit("answer-challenge", new_password=PASSWORD)
    demo.answer_device_prompt()
    demo.no_error()
    demo.expect_view("account")
    expect(page.locator("#account-name")).to_have_text(name)
    demo.click("sign-out")

    demo.sign_in(name, temporary)
    expect(page.locator("#error-code")).to_have_text("NotAuthorizedException")
    demo.sign_in(name, PASSWORD)
    demo.no_error()
    demo.expect_view("account")
    bad = [m for m in errors_in(console_messages) if "status of 400" not in m[1]]
    assert not bad, bad


def answer_code(demo, name, wrong=False):
    """The example triggers' challenge: the one-time code sent to the verified email (from
    the emulator's outbox), or a wrong one."""
    expect(demo.page.locator("#challenge-text")).to_have_text("Type the code sent to your email.")
    code = demo.emulator.last_code(name, kind="custom_challenge")
    demo.submit("answer-challenge", answer=("%06d" % ((int(code) + 1) % 1000000)) if wrong
                else code)  # fmt: skip
    return code


def test_custom_challenge(demo, console_messages):
    page = demo.page
    demo.open()
    name = unique("cus")
    demo.sign_up(name, PASSWORD)
    # CUSTOM_AUTH checks the password (SRP) first: a wrong one ends there, and no code is sent.
    demo.submit("sign-in", username=name, flow="CUSTOM_AUTH", password="Wrong-passw0rd")
    expect(page.locator("#error-code")).to_have_text("NotAuthorizedException")
    demo.expect_view("sign-in")
    assert demo.failed == [("RespondToAuthChallenge", 400)], demo.failed
    demo.failed.clear()
    assert not [m for m in demo.emulator.messages(name) if m["kind"] == "custom_challenge"]

    demo.submit("sign-in", username=name, flow="CUSTOM_AUTH", password=PASSWORD)
    expect_challenge(demo, "CUSTOM_CHALLENGE")
    expect(page.locator("#challenge-title")).to_have_text("One more question")
    demo.shot("25-custom-challenge")
    # A wrong code: the triggers send a new one.
    first = answer_code(demo, name, wrong=True)
    expect_challenge(demo, "CUSTOM_CHALLENGE")
    second = answer_code(demo, name)
    demo.answer_device_prompt()
    demo.no_error()
    demo.expect_view("account")
    expect(page.locator("#account-name")).to_have_text(name)
    codes = [m for m in demo.emulator.messages(name) if m["kind"] == "custom_challenge"]
    assert [m["code"] for m in codes] == [first, second]  # one new code per challenge
    assert not demo.failed, demo.failed  # a wrong answer is not an error: a new code
    bad = [m for m in errors_in(console_messages) if "status of 400" not in m[1]]
    assert not bad, bad


def test_remembered_device_skips_mfa(demo, new_context, screenshot_dir, console_messages):
    page = demo.page
    answered = []  # ChallengeName of every RespondToAuthChallenge the page sends
    page.on("request", lambda r: answered.append(_challenge_answered(r)))
    demo.open()
    name = unique("remy")
    demo.sign_up(name, PASSWORD)

    # A new device: the page asks whether to remember it.
    demo.submit("sign-in", username=name, flow="USER_SRP_AUTH", password=PASSWORD)
    demo.no_error()
    demo.expect_view("device")
    expect(page.locator("#view-device h2")).to_have_text("Remember this device?")
    expect(page.locator("#view-device")).to_contain_text("skip multi-factor authentication")
    expect(page.locator("[data-action=remember-device]")).to_be_focused()
    demo.shot("26-remember-this-device")
    demo.click("remember-device")
    demo.no_error()
    demo.expect_view("account")
    expect(page.locator("#notice")).to_have_text("This device is remembered.")
    expect(page.locator("#devices")).to_contain_text("(this browser)")
    secret = set_up_totp(demo)
    expect(page.locator("#mfa-state")).to_contain_text("authenticator app")
    demo.click("sign-out")

    # This browser is remembered: device SRP stands in for the TOTP code.
    answered.clear()
    demo.submit("sign-in", username=name, flow="USER_SRP_AUTH", password=PASSWORD)
    demo.no_error()
    demo.expect_view("account")
    challenges = [c for c in answered if c]
    assert challenges == ["PASSWORD_VERIFIER", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"]
    demo.shot("27-remembered-device-signed-in")

    # Another browser (no device key) is asked for the code, then offered to remember.
    context = new_context()
    context.set_default_timeout(PW.DEFAULT_TIMEOUT_MS)
    other = DemoPage(context.new_page(), demo.emulator, screenshot_dir)
    other.open()
    other.submit("sign-in", username=name, flow="USER_SRP_AUTH", password=PASSWORD)
    expect_challenge(other, "SOFTWARE_TOKEN_MFA")
    other.shot("28-new-browser-totp-challenge")
    other.submit("answer-challenge", code=totp(secret, time.time() + 30))
    other.no_error()
    other.expect_view("device")
    other.click("dont-remember-device")
    other.expect_view("account")
    # Its device is not remembered: the list shows the first browser's only.
    other.click("list-devices")
    expect(other.page.locator("#devices tr")).to_have_count(1)
    expect(other.page.locator("#devices")).not_to_contain_text("(this browser)")
    assert not demo.failed + other.failed, demo.failed + other.failed
    assert not errors_in(console_messages), console_messages


def _challenge_answered(request):
    if not request.headers.get("x-amz-target", "").endswith(".RespondToAuthChallenge"):
        return None
    try:
        return json.loads(request.post_data or "{}").get("ChallengeName")
    except ValueError:
        return None
