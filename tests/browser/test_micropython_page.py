"""site/mpy.html: pycognito-web under PyScript's MicroPython (<script type="mpy">) in
Chromium, against the demo emulator: sign up, confirm with the outbox's code, sign in,
sign out. config.json is answered by a route with the emulator's ids (as in test_demo)."""

import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import unique
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SITE = Path(__file__).resolve().parents[2] / "site"
PASSWORD = "Passw0rd!mpy"
STATE = "body[data-state='%s'], body[data-state='error']"
MARKS = "performance.getEntriesByType('mark').map(m => [m.name, m.startTime])"


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


def hinted(html):
    """The hrefs of the page's <link rel=preload|modulepreload> hints."""
    return re.findall(r'<link rel="(?:module)?preload" href="\./([^"]+)"', html)


def test_every_preload_hint_names_a_file_of_the_site():
    # The PyScript chunk's name carries a hash: a new @pyscript/core renames it, and a hint
    # for a file that is gone would cost a 404 and gain nothing.
    names = hinted((SITE / "mpy.html").read_text())
    assert len(names) == 4, names
    missing = [name for name in names if not (SITE / name).is_file()]
    assert not missing, "site/mpy.html hints at missing files (update its <link>s): %s" % missing


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
    wait_for(page, "ready", console_messages)
    paths = Counter(u[len(site_url) :] for u in fetched if u.startswith(site_url))
    # What the page hints at is fetched once: the hint's request is the one used.
    for name in hinted((SITE / "mpy.html").read_text()):
        assert paths["/" + name] == 1, (name, paths)
    assert paths["/mpy-unzip.js"] == 1, paths
    assert not any("pyodide" in u for u in fetched), "the mpy page must not load Pyodide"
    # The zip is unpacked by mpy-unzip.js, not by PyScript's zip.js (its `files` setting).
    assert not [p for p in paths if p.startswith("/vendor/pyscript/zip-")], paths
    ready_ms = page.evaluate("window.mpyReadyMs")
    assert 0 < ready_ms < 30_000, ready_ms
    marks = dict(page.evaluate(MARKS))
    assert 0 < marks["mpy-unzip:start"] <= marks["mpy-unzip:done"] < ready_ms, (marks, ready_ms)
    assert "ready %d ms after navigation" % ready_ms in page.locator("#timing").text_content()

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
