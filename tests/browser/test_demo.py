"""The demo (site/index.html, PyScript) driven through its UI in Chromium, against the
emulator: every flow the emulator serves. Codes come from the emulator's outbox.
Screenshots of the main states go to test-results/screenshots/."""

import json

import pytest
from conftest import unique
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "Passw0rd!demo"


def errors_in(console):
    return [m for m in console if m[0] in ("error", "pageerror")]


def test_sign_up_confirm_sign_in_profile_sign_out(demo, console_messages):
    page = demo.page
    demo.open()
    demo.shot("01-sign-in")
    expect(page.locator("#pool-badge")).to_have_text("emulator · us-east-1_pycogDemo")
    name = unique("alice")

    demo.click("show-sign-up")
    demo.shot("02-sign-up")
    demo.submit("sign-up", username=name, email=name + "@example.com", password=PASSWORD)
    demo.no_error()
    demo.expect_view("confirm")
    expect(page.locator("#confirm-sent")).to_contain_text("We sent a code by email")
    expect(page.locator("#confirm-sent")).to_contain_text("outbox")
    first = demo.emulator.last_code(name)
    expect(page.locator("#outbox-list")).to_contain_text(first)
    demo.shot("03-confirm-with-outbox")

    demo.click("resend-code")
    demo.no_error()
    assert len(demo.emulator.messages(name)) == 2
    code = demo.emulator.last_code(name)
    expect(page.locator("#outbox-list li").first).to_contain_text(code)

    demo.submit("confirm", code=code)
    demo.no_error()
    demo.expect_view("sign-in")
    expect(page.locator("#notice")).to_contain_text("Account confirmed")
    # The username is carried over and the password field has the focus.
    expect(page.locator("[data-action=sign-in] [name=username]")).to_have_value(name)
    expect(page.locator("[data-action=sign-in] [name=password]")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    demo.idle()
    demo.no_error()
    if demo.view() == "device":  # the pool asks whether to remember this browser
        demo.shot("04-remember-device")
        expect(page.locator("[data-action=remember-device]")).to_be_focused()
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")  # "Not now", by keyboard
        demo.idle()
    demo.expect_view("account")
    expect(page.locator("#account-name")).to_have_text(name)
    expect(page.locator("#attr-email")).to_have_value(name + "@example.com")
    expect(page.locator("#attributes")).to_contain_text("verified")
    demo.shot("04-account")

    # Session kept in localStorage under the SDK's keys; a reload lands on the account.
    prefix = "CognitoIdentityServiceProvider.%s." % demo.emulator.client_id
    stored = demo.storage()
    assert stored[prefix + "LastAuthUser"] == name
    for key in ("idToken", "accessToken", "refreshToken", "clockDrift"):
        assert stored.get("%s%s.%s" % (prefix, name, key)), key
    demo.open()
    demo.expect_view("account")

    # Edit the profile: add an attribute, change one, remove one.
    demo.submit("save-attributes", new_name="given_name", new_value="Alice")
    demo.no_error()
    expect(page.locator("#attr-given_name")).to_have_value("Alice")
    page.locator("#attr-given_name").fill("Alicia")
    page.locator("#attributes-form button[type=submit]").click()
    demo.idle()
    demo.no_error()
    expect(page.locator("#notice")).to_have_text("Saved given_name.")
    expect(page.locator("#attr-given_name")).to_have_value("Alicia")
    demo.click("delete-attribute", attribute="given_name")
    demo.no_error()
    expect(page.locator("#attr-given_name")).to_have_count(0)

    demo.click("sign-out")
    demo.no_error()
    demo.expect_view("sign-in")
    expect(page.locator("#notice")).to_have_text("Signed out.")
    # Tokens go; a device key stays, as the original keeps it (it is the device's, not the
    # session's).
    left = [k for k in demo.storage() if k.startswith(prefix)]
    assert all(k.rsplit(".", 1)[1] in ("deviceKey", "deviceGroupKey", "randomPasswordKey")
               for k in left), left  # fmt: skip
    demo.shot("05-signed-out")
    assert not demo.failed, demo.failed
    assert not errors_in(console_messages), console_messages


def test_errors_show_the_cognito_code(demo, console_messages):
    page = demo.page
    demo.open()
    name = unique("bob")
    demo.sign_up(name, PASSWORD, confirm=False)
    demo.click("show-sign-in")
    demo.sign_in(name, PASSWORD)
    expect(page.locator("#error-code")).to_have_text("UserNotConfirmedException")
    demo.click("show-confirm")
    demo.submit("confirm", username=name, code="000000")
    expect(page.locator("#error-code")).to_have_text("CodeMismatchException")
    demo.submit("confirm", code=demo.emulator.last_code(name))
    demo.sign_in(name, "Wrong-passw0rd")
    expect(page.locator("#error-code")).to_have_text("NotAuthorizedException")
    expect(page.locator("#error-message")).to_contain_text("Incorrect username or password")
    demo.shot("06-error")
    demo.click("show-sign-up")
    demo.submit("sign-up", username=name, email="x@example.com", password=PASSWORD)
    expect(page.locator("#error-code")).to_have_text("UsernameExistsException")
    # A failed request shows on the page; the console stays clean but for the 400s.
    bad = [m for m in errors_in(console_messages) if "status of 400" not in m[1]]
    assert not bad, bad


def test_plain_password_flow_and_global_sign_out(demo):
    page = demo.page
    demo.open()
    name = unique("carol")
    demo.sign_up(name, PASSWORD)
    demo.sign_in(name, PASSWORD, flow="USER_PASSWORD_AUTH")
    demo.no_error()
    demo.expect_view("account")
    tokens = demo.storage()
    demo.click("global-sign-out")
    demo.no_error()
    demo.expect_view("sign-in")
    expect(page.locator("#notice")).to_have_text("Signed out on every device.")
    # The old access token no longer works anywhere: put it back and reload.
    page.evaluate(
        "t => { for (const [k, v] of Object.entries(t)) localStorage.setItem(k, v) }", tokens
    )
    demo.open()
    demo.expect_view("sign-in")
    assert not [k for k in demo.storage() if k.endswith(".accessToken")]


def test_verify_changed_email(demo):
    page = demo.page
    demo.open()
    name = unique("dave")
    demo.sign_up(name, PASSWORD)
    demo.sign_in(name, PASSWORD)
    demo.expect_view("account")
    before = len(demo.emulator.messages(name))
    page.locator("#attr-email").fill(name + "@example.org")
    page.locator("#attributes-form button[type=submit]").click()
    demo.idle()
    demo.no_error()
    expect(page.locator("#verify-form")).to_be_visible()
    expect(page.locator("[data-attribute=email][data-action=send-verification]")).to_be_visible()
    assert len(demo.emulator.messages(name)) == before + 1
    demo.shot("07-verify-email")
    demo.submit("verify-attribute", code=demo.emulator.last_code(name))
    demo.no_error()
    expect(page.locator("#notice")).to_have_text("Your email is verified.")
    expect(page.locator("#attr-email")).to_have_value(name + "@example.org")
    expect(page.locator("[data-action=send-verification]")).to_have_count(0)
    # Ask for a code again through the Verify button: unverify by changing it once more.
    page.locator("#attr-email").fill(name + "@example.net")
    page.locator("#attributes-form button[type=submit]").click()
    demo.idle()
    demo.click("send-verification", attribute="email")
    demo.no_error()
    demo.submit("verify-attribute", code=demo.emulator.last_code(name))
    demo.no_error()
    expect(page.locator("[data-action=send-verification]")).to_have_count(0)


def test_change_and_reset_password(demo):
    page = demo.page
    demo.open()
    name = unique("erin")
    demo.sign_up(name, PASSWORD)
    demo.sign_in(name, PASSWORD)
    demo.expect_view("account")
    demo.submit("change-password", old_password=PASSWORD, new_password="Chang3d!pass")
    demo.no_error()
    expect(page.locator("#notice")).to_have_text("Password changed.")
    demo.click("sign-out")
    demo.sign_in(name, PASSWORD)
    expect(page.locator("#error-code")).to_have_text("NotAuthorizedException")
    demo.sign_in(name, "Chang3d!pass")
    demo.no_error()
    demo.expect_view("account")
    demo.click("sign-out")

    demo.click("show-forgot")
    demo.submit("forgot-password", username=name)
    demo.no_error()
    expect(page.locator("#forgot-sent")).to_contain_text("We sent a code")
    demo.shot("08-forgot-password")
    code = demo.emulator.last_code(name)
    demo.submit("confirm-password", code=code, password="R3set!pass")
    demo.no_error()
    demo.expect_view("sign-in")
    demo.sign_in(name, "R3set!pass")
    demo.no_error()
    demo.expect_view("account")


def test_delete_account(demo):
    page = demo.page
    demo.open()
    name = unique("frank")
    demo.sign_up(name, PASSWORD)
    demo.sign_in(name, PASSWORD)
    demo.expect_view("account")
    page.locator("[data-action=delete-user] button").click()  # unticked: refused by the form
    assert demo.view() == "account"
    demo.submit("delete-user", sure=True)
    demo.no_error()
    demo.expect_view("sign-in")
    expect(page.locator("#notice")).to_have_text("Your account is deleted.")
    demo.sign_in(name, PASSWORD)
    expect(page.locator("#error-code")).to_have_text(
        "UserNotFoundException" if "UserNotFound" in demo.error() else "NotAuthorizedException"
    )


def test_point_at_another_pool_is_remembered(demo):
    page = demo.page
    demo.open()
    demo.click("show-settings")
    demo.expect_view("settings")
    expect(page.locator("[name=pool_id]")).to_have_value("us-east-1_pycogDemo")
    demo.submit("save-settings", pool_id="not-a-pool-id", client_id="abc")
    expect(page.locator("#error-code")).to_have_text("InvalidParameterException")
    demo.submit(
        "save-settings",
        pool_id="eu-west-1_AbCdEf123",
        client_id="1example23456789",
        endpoint="",
    )
    demo.no_error()
    demo.expect_view("sign-in")
    expect(page.locator("#pool-badge")).to_have_text("Cognito · eu-west-1_AbCdEf123")
    expect(page.locator("#outbox")).to_be_hidden()
    saved = json.loads(page.evaluate("localStorage.getItem('pycognito-web-demo.pool')"))
    assert saved == {"pool_id": "eu-west-1_AbCdEf123", "client_id": "1example23456789",
                     "endpoint": None}  # fmt: skip
    demo.shot("09-settings-real-pool")
    demo.open()
    expect(page.locator("#pool-badge")).to_have_text("Cognito · eu-west-1_AbCdEf123")
    demo.click("show-settings")
    demo.click("reset-settings")
    demo.no_error()
    expect(page.locator("#pool-badge")).to_have_text("emulator · us-east-1_pycogDemo")
    assert page.evaluate("localStorage.getItem('pycognito-web-demo.pool')") is None
