"""The MicroPython pages in Chromium, against the demo emulator: sign up, confirm with the
outbox's code, sign in, sign out. config.json is answered by a route with the emulator's
ids (as in test_demo).

Both pages run the same app, site/mpy_app.py: site/mpy.html under PyScript
(<script type="mpy" src>), site/mpy-direct.html on MicroPython loaded directly
(loadMicroPython from micropython.mjs, no PyScript)."""

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
PAGES = ("mpy.html", "mpy-direct.html")


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


@pytest.mark.parametrize("html", PAGES)
def test_every_preload_hint_names_a_file_of_the_site(html):
    # PyScript's chunk's name carries a hash: a new @pyscript/core renames it, and a hint
    # for a file that is gone would cost a 404 and gain nothing.
    names = hinted((SITE / html).read_text())
    shared = {
        "vendor/micropython/micropython.mjs",
        "vendor/micropython/micropython.wasm",
        "wheels/pycognito_web-mpy.zip.gz",
        "mpy-unzip.js",
        "mpy_app.py",
        "config.json",
    }
    assert shared <= set(names), names
    assert len(names) == len(shared) + (html == "mpy.html"), names  # + PyScript's core chunk
    # config.json is the deployment's (scripts/demo writes it), not a file of the repository.
    missing = [n for n in names if n != "config.json" and not (SITE / n).is_file()]
    assert not missing, "site/%s hints at missing files (update its <link>s): %s" % (html, missing)


def between(html, start, end):
    return html[html.index(start) : html.index(end)]


def test_both_pages_show_the_same_ui():
    # The app (site/mpy_app.py) is one file; the markup it drives is in each page: the same.
    pyscript, direct = ((SITE / html).read_text() for html in PAGES)
    for start, end in (("<style>", "</style>"), ('<p id="status"', "Sign out</button>")):
        assert between(pyscript, start, end) == between(direct, start, end), start
    assert '<script type="mpy" src="./mpy_app.py"' in pyscript
    assert "import asyncio" not in pyscript, "the app is site/mpy_app.py, not inline"


@pytest.mark.parametrize("html", PAGES)
def test_sign_up_confirm_sign_in_under_micropython(
    html, page, demo_emulator, console_messages, screenshot_dir, site_url
):
    for needed in ("vendor/micropython/micropython.wasm", "wheels/pycognito_web-mpy.zip.gz"):
        if not (SITE / needed).is_file():
            pytest.fail(f"site/{needed} is missing: run scripts/setup (scripts/mpy_assets.py)")
    page.route("**/config.json", lambda route: route.fulfill(json=demo_emulator.page_config()))
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto("/" + html)
    wait_for(page, "ready", console_messages)
    paths = Counter(u[len(site_url) :] for u in fetched if u.startswith(site_url))
    # What the page hints at is fetched once: the hint's request is the one used.
    for name in hinted((SITE / html).read_text()):
        assert paths["/" + name] == 1, (name, paths)
    assert paths["/vendor/micropython/micropython.wasm"] == 1, paths
    assert not any("pyodide" in u for u in fetched), "the mpy page must not load Pyodide"
    pyscript = [p for p in paths if p.startswith("/vendor/pyscript/")]
    if html == "mpy-direct.html":
        assert not pyscript, "the direct page must not load PyScript: %s" % pyscript
        assert "micropython:loaded" in dict(page.evaluate(MARKS))
    else:
        assert "/vendor/pyscript/core.js" in pyscript, paths
        # The zip is unpacked by mpy-unzip.js, not by PyScript's zip.js (`files`).
        assert not [p for p in pyscript if p.startswith("/vendor/pyscript/zip-")], paths
    ready_ms = page.evaluate("window.mpyReadyMs")
    assert 0 < ready_ms < 30_000, ready_ms
    print("%s ready %.0f ms after navigation" % (html, ready_ms))
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
    shot = html.replace(".html", "-signed-in.png")
    page.screenshot(path=str(screenshot_dir / shot), full_page=True)

    submit(page, "#sign-out")
    wait_for(page, "signed-out")
    assert page.evaluate("localStorage.getItem(%r)" % (prefix + "LastAuthUser")) is None
    errors = [m for m in console_messages if m[0] in ("error", "pageerror")]
    # The wrong password's 400 answer is the only expected console error.
    assert all("400" in text for _, text in errors), errors

    # Warm reloads (files from the cache) start as well: the package is unpacked before
    # the app runs however fast PyScript boots.
    for _ in range(3):
        page.reload()
        wait_for(page, "ready", console_messages)

    # The demo lets a person choose the interpreter: each MicroPython page links to the
    # Pyodide demo, whose header links to both, and to the other MicroPython page.
    other = {
        "mpy.html": ("a.direct", "mpy-direct.html"),
        "mpy-direct.html": ("a.pyscript", "mpy.html"),
    }
    link, target = other[html]
    page.click(link)
    page.wait_for_url("**/" + target)
    wait_for(page, "ready")
    page.click("a[href='./index.html']")
    page.wait_for_url("**/index.html")
    page.click("a.interpreter-direct" if html == "mpy-direct.html" else "a.interpreter")
    page.wait_for_url("**/" + html)
    wait_for(page, "ready")
