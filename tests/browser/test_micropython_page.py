"""site/mpy.html: pycognito-web under PyScript's MicroPython (<script type="mpy">) in
Chromium, against the demo emulator: sign up, confirm with the outbox's code, sign in,
sign out. config.json is answered by a route with the emulator's ids (as in test_demo)."""

from pathlib import Path

import pytest
from conftest import unique
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SITE = Path(__file__).resolve().parents[2] / "site"
PASSWORD = "Passw0rd!mpy"
STATE = "body[data-state='%s'], body[data-state='error']"


def wait_for(page, state, console=()):
    try:
        page.wait_for_selector(STATE % state, timeout=60_000, state="attached")
    except Exception as error:
        raise AssertionError("no %s state; console: %s" % (state, list(console))) from error
    status = page.locator("#status").text_content()
    assert page.evaluate("document.body.dataset.state") == state, status


def submit(page, selector):
    # Clear the last state first, so that waiting for the next one cannot match an
    # "error" left over from the previous step.
    page.evaluate("document.body.dataset.state = 'submitted'")
    page.click(selector)


def test_sign_up_confirm_sign_in_under_micropython(
    page, demo_emulator, console_messages, screenshot_dir, site_url
):
    for needed in ("vendor/micropython/micropython.wasm", "wheels/pycognito_web-mpy.zip"):
        if not (SITE / needed).is_file():
            pytest.fail(f"site/{needed} is missing: run scripts/setup (scripts/mpy_assets.py)")
    page.route("**/config.json", lambda route: route.fulfill(json=demo_emulator.page_config()))
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto("/mpy.html")
    wait_for(page, "ready")
    assert any(u.endswith("/vendor/micropython/micropython.wasm") for u in fetched), fetched
    assert not any("pyodide" in u for u in fetched), "the mpy page must not load Pyodide"
    ready_ms = page.evaluate("window.mpyReadyMs")
    assert 0 < ready_ms < 30_000, ready_ms

    name = unique("mpy")
    page.fill("#sign-up [name=username]", name)
    page.fill("#sign-up [name=email]", name + "@example.com")
    page.fill("#sign-up [name=password]", PASSWORD)
    submit(page, "#sign-up button")
    wait_for(page, "signed-up", console_messages)
    code = demo_emulator.last_code(name)
    expect(page.locator("#confirm [name=username]")).to_have_value(name)
    page.fill("#confirm [name=code]", code)
    submit(page, "#confirm button")
    wait_for(page, "confirmed")

    page.fill("#sign-in [name=password]", "Wrong-Passw0rd!")
    submit(page, "#sign-in button")
    wait_for(page, "error")
    expect(page.locator("#status")).to_contain_text("NotAuthorizedException")

    page.fill("#sign-in [name=password]", PASSWORD)
    submit(page, "#sign-in button")
    wait_for(page, "signed-in")
    expect(page.locator("#status")).to_contain_text(name)
    expect(page.locator("#status")).to_contain_text(name + "@example.com")
    prefix = "CognitoIdentityServiceProvider.%s." % demo_emulator.client_id
    assert page.evaluate("localStorage.getItem(%r)" % (prefix + "LastAuthUser")) == name
    assert page.evaluate("localStorage.getItem(%r)" % (prefix + name + ".idToken")).count(".") == 2
    page.screenshot(path=str(screenshot_dir / "mpy-signed-in.png"), full_page=True)

    submit(page, "#sign-out")
    wait_for(page, "signed-out")
    assert page.evaluate("localStorage.getItem(%r)" % (prefix + "LastAuthUser")) is None
    errors = [m for m in console_messages if m[0] in ("error", "pageerror")]
    # The wrong password's 400 answer is the only expected console error.
    assert all("400" in text for _, text in errors), errors

    # The demo lets a person choose the interpreter: this page links to the Pyodide
    # demo, whose header links back here.
    page.click("a[href='./index.html']")
    page.wait_for_url("**/index.html")
    page.click("a.interpreter")
    page.wait_for_url("**/mpy.html")
    wait_for(page, "ready")
