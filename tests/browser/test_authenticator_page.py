"""The sign-in component (pycognito_web.ui) in Chromium against the demo emulator, under
Pyodide (site/authenticator.html) and MicroPython (site/authenticator-mpy.html), both
running site/authenticator_app.py.

Sign up, confirm with the outbox's code, sign in (a wrong password first: its sentence
beside the field), sign out; keyboard only; TOTP set-up and remember this device on the
MFA-required pool. axe-core (npm, package.json) runs on every screen with zero
violations allowed; screenshots of each screen at desktop width and at 390 px go to
test-results/screenshots/authenticator/.
"""

import json
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import BOOT_TIMEOUT_MS, unique
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "Passw0rd!ui"
PAGES = {"pyodide": "/authenticator.html", "micropython": "/authenticator-mpy.html"}
ROOT_SELECTOR = ".pcw-auth"


def totp(secret, when):
    import base64
    import hashlib
    import hmac
    import struct

    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(when) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(value % 10**6).rjust(6, "0")


class Screens:
    """The component's page, driven as a person would, with axe and screenshots."""

    def __init__(self, page, emulator, folder, interpreter, pool="demo", console=()):
        self.page = page
        self.emulator = emulator
        self.folder = folder
        self.interpreter = interpreter
        self.console = console
        config = emulator.page_config()
        config["pool_id"], config["client_id"] = emulator.pools[pool]
        page.route("**/config.json", lambda route: route.fulfill(json=config))

    def open(self, query=""):
        self.page.goto(PAGES[self.interpreter] + query)
        try:
            self.page.wait_for_selector(
                "body[data-state='ready'], body[data-state='error']", timeout=BOOT_TIMEOUT_MS
            )
        except Exception as error:
            raise AssertionError("the page did not start: %s" % list(self.console)) from error
        assert self.page.evaluate("document.body.dataset.state") == "ready", (
            self.page.locator("#auth").inner_text(),
            list(self.console),
        )
        return self

    def idle(self):
        self.page.wait_for_selector(ROOT_SELECTOR + ":not([data-busy])")

    def expect_screen(self, name):
        expect(self.page.locator(ROOT_SELECTOR)).to_have_attribute("data-screen", name)
        self.idle()

    def field(self, name):
        return self.page.locator("%s input[name='%s']" % (ROOT_SELECTOR, name))

    def submit(self, **values):
        last = None
        for name, value in values.items():
            last = self.field(name)
            last.fill(value)
        if last is not None:
            last.press("Enter")
        else:
            self.page.locator(ROOT_SELECTOR + " button[type=submit]").click()
        self.idle()

    def click(self, action):
        self.page.locator("%s button[data-action='%s']" % (ROOT_SELECTOR, action)).first.click()
        self.idle()

    def error_beside(self, name):
        """The sentence in the same field box as the input, named by its aria-describedby."""
        box = self.page.locator("%s .pcw-field:has(input[name='%s'])" % (ROOT_SELECTOR, name))
        error = box.locator(".pcw-error")
        expect(error).to_be_visible()
        described = self.field(name).get_attribute("aria-describedby") or ""
        assert error.get_attribute("id") in described.split()
        assert self.field(name).get_attribute("aria-invalid") == "true"
        return error.inner_text()

    def check(self, name):
        """axe-core on the page as it is, then screenshots at desktop width and 390 px."""
        if not self.page.evaluate("typeof axe !== 'undefined'"):
            self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate(
            "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
            " return r.violations.map(v => ({id: v.id, help: v.help,"
            " nodes: v.nodes.map(n => n.target.join(' '))})); }"
        )
        assert result == [], "%s (%s): %s" % (name, self.interpreter, json.dumps(result))
        shots = self.folder / self.interpreter
        shots.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(shots / ("%s-desktop.png" % name)), full_page=True)
        size = self.page.viewport_size
        self.page.set_viewport_size({"width": 390, "height": 844})
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, "%s scrolls sideways at 390 px (%s px wide)" % (name, width)
        self.page.screenshot(path=str(shots / ("%s-390.png" % name)), full_page=True)
        self.page.set_viewport_size(size)


@pytest.fixture
def folder(screenshot_dir):
    path = screenshot_dir / "authenticator"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module", autouse=True)
def axe_installed():
    if not AXE.is_file():
        pytest.fail("%s is missing: run scripts/setup (npm ci installs axe-core)" % AXE)


def api(emulator, action, body):
    request = urllib.request.Request(
        emulator.url + "/",
        data=json.dumps(body).encode(),
        method="POST",
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSCognitoIdentityProviderService." + action,
        },
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


def confirmed_user(emulator, pool="demo"):
    name = unique("ui")
    client = emulator.pools[pool][1]
    api(
        emulator,
        "SignUp",
        {
            "ClientId": client,
            "Username": name,
            "Password": PASSWORD,
            "UserAttributes": [{"Name": "email", "Value": name + "@example.com"}],
        },
    )
    code = emulator.last_code(name)
    api(emulator, "ConfirmSignUp", {"ClientId": client, "Username": name, "ConfirmationCode": code})
    return name


@pytest.mark.parametrize("interpreter", list(PAGES))
def test_sign_up_confirm_sign_in_and_sign_out(
    page, demo_emulator, folder, interpreter, console_messages
):
    screens = Screens(page, demo_emulator, folder, interpreter, console=console_messages).open()
    screens.expect_screen("sign-in")
    screens.check("sign-in")
    screens.click("go:sign-up")
    screens.expect_screen("sign-up")
    expect(screens.field("username")).to_be_focused()
    name = unique("ui")
    screens.field("password").fill("abc")  # the policy as the person types
    expect(page.locator(".pcw-policy li[data-rule='lowercase']")).to_have_attribute(
        "data-met", "true"
    )
    expect(page.locator(".pcw-policy li[data-rule='length']")).to_have_attribute(
        "data-met", "false"
    )
    screens.check("sign-up")
    screens.submit(username=name, email=name + "@example.com", password=PASSWORD)
    screens.expect_screen("confirm-sign-up")
    expect(screens.field("code")).to_be_focused()
    screens.check("confirm-sign-up")
    screens.submit(code=demo_emulator.last_code(name))
    screens.expect_screen("sign-in")
    expect(page.locator(".pcw-status")).to_have_text(
        "Your account is confirmed. You can sign in now."
    )

    screens.submit(username=name, password="Wrong-Passw0rd!")
    assert screens.error_beside("password") == "The username or password is incorrect."
    expect(screens.field("password")).to_be_focused()
    screens.check("sign-in-wrong-password")
    screens.submit(password=PASSWORD)
    screens.expect_screen("signed-in")
    expect(page.locator(ROOT_SELECTOR)).to_contain_text("Signed in as %s." % name)
    assert page.evaluate("document.body.dataset.user") == name
    screens.check("signed-in")

    screens.click("sign-out")
    screens.expect_screen("sign-in")
    expect(page.locator(".pcw-status")).to_have_text("You have signed out.")
    assert page.evaluate("document.body.dataset.user") == ""
    assert not [k for k in page.evaluate("Object.keys(localStorage)") if k.endswith("idToken")]

    screens.click("go:forgot-password")
    screens.expect_screen("forgot-password")
    screens.check("forgot-password")
    screens.submit(username=name)
    screens.expect_screen("reset-password")
    screens.check("reset-password")

    # The dark theme and the French texts pass the same checks.
    screens.open("?theme=dark&lang=fr")
    screens.expect_screen("sign-in")
    expect(page.locator(ROOT_SELECTOR + " h2")).to_have_text("Connexion")
    screens.submit(username=name, password="Wrong-Passw0rd!")
    screens.error_beside("password")
    screens.check("sign-in-dark-fr")
    assert not [m for m in console_messages if m[0] == "pageerror"], console_messages


@pytest.mark.parametrize("interpreter", list(PAGES))
def test_keyboard_only_sign_in_and_out(page, demo_emulator, folder, interpreter, console_messages):
    name = confirmed_user(demo_emulator)
    screens = Screens(page, demo_emulator, folder, interpreter, console=console_messages).open()
    screens.expect_screen("sign-in")
    keyboard = page.keyboard
    for _ in range(12):  # from the top of the page to the username field
        keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "username":
            break
    expect(screens.field("username")).to_be_focused()
    # The focus is visible: :focus-visible draws the outline.
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    keyboard.type(name)
    keyboard.press("Tab")
    expect(screens.field("password")).to_be_focused()
    keyboard.type(PASSWORD)
    keyboard.press("Enter")
    screens.expect_screen("signed-in")
    # No field here: the heading has the focus, and the next Tab is the sign-out button.
    expect(page.locator(ROOT_SELECTOR + " h2")).to_be_focused()
    keyboard.press("Tab")
    expect(page.locator("button[data-action='sign-out']")).to_be_focused()
    keyboard.press("Enter")
    screens.expect_screen("sign-in")
    expect(screens.field("username")).to_be_focused()
    assert not [m for m in console_messages if m[0] == "pageerror"], console_messages


@pytest.mark.parametrize("interpreter", list(PAGES))
def test_totp_set_up_and_remember_this_device(
    page, demo_emulator, folder, interpreter, console_messages
):
    pool = "demo-mfa-required"
    name = confirmed_user(demo_emulator, pool)
    screens = Screens(page, demo_emulator, folder, interpreter, pool, console_messages).open()
    screens.submit(username=name, password=PASSWORD)
    screens.expect_screen("totp-setup")
    secret = page.locator(".pcw-secret").input_value()
    qr = page.locator("img.pcw-qr")
    if interpreter == "pyodide":  # segno installed by micropip; MicroPython has none
        expect(qr).to_be_visible()
    else:
        expect(qr).to_have_count(0)
    expect(screens.field("code")).to_be_focused()
    screens.check("totp-setup")
    screens.submit(code="000000" if totp(secret, time.time()) != "000000" else "111111")
    assert screens.error_beside("code") == "This code is not right. Check it and try again."
    screens.check("totp-setup-wrong-code")
    screens.submit(code=totp(secret, time.time()))
    screens.expect_screen("remember-device")
    expect(page.locator("button[data-action='remember']")).to_be_focused()
    screens.check("remember-device")
    screens.click("remember")
    screens.expect_screen("signed-in")

    screens.click("sign-out")  # the remembered device stands in for MFA next time
    screens.submit(username=name, password=PASSWORD)
    screens.expect_screen("signed-in")
    assert not [m for m in console_messages if m[0] == "pageerror"], console_messages


def test_the_demo_links_to_the_component_page_and_back():
    index = (ROOT / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="./authenticator.html"' in index
    for name in ("authenticator.html", "authenticator-mpy.html"):
        text = (ROOT / "site" / name).read_text(encoding="utf-8")
        assert "authenticator_app.py" in text, name
    assert 'href="./"' in (ROOT / "site" / "authenticator.html").read_text(encoding="utf-8")
