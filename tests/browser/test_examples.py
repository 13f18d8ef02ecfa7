"""examples/web in Chromium: the same app (app.py) in its three pages, PyScript under
Pyodide, PyScript under MicroPython and plain Pyodide, each through a whole visit against
the emulator: sign up, confirm with the code from the outbox, sign in, ask the example
backend (which verifies the access token) who is signed in, sign out.

Each page is served as a user's site would hold it: the folder's files, with the
interpreters and the package under ./vendor and ./wheels (links to what scripts/setup
laid out in site/), and a config.json naming this run's emulator and backend.
"""

import json
import shutil
import sys
import uuid
from pathlib import Path

import pytest
from conftest import ROOT, SERVE

sys.path.insert(0, str(ROOT / "tests" / "examples"))
from examples_support import (
    CLIENT_ID,
    PASSWORD,
    POOL_ID,
    newest_code,
    start_backend,
    start_emulator,
)

WEB = ROOT / "examples" / "web"


@pytest.fixture(scope="module")
def example_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("example-site")
    emulator = start_emulator(tmp_path_factory.mktemp("example-emulator"))
    for name in ("pyscript-pyodide.html", "pyscript-micropython.html", "pyodide.html",
                 "app.py", "pyscript.toml"):
        shutil.copy2(WEB / name, folder / name)
    (folder / "vendor").symlink_to(ROOT / "site" / "vendor")
    (folder / "wheels").symlink_to(ROOT / "site" / "wheels")
    url, stop_site = SERVE.start(folder)
    backend, stop_backend = start_backend(emulator.url, allow_origin=url)
    (folder / "config.json").write_text(json.dumps(
        {"pool_id": POOL_ID, "client_id": CLIENT_ID, "endpoint": emulator.url,
         "backend": backend}))  # fmt: skip
    yield url, emulator.url
    stop_backend()
    stop_site()
    emulator.stop()


def _state(page, state, console_messages):
    try:
        page.wait_for_selector("body[data-state='%s']" % state, state="attached",
                               timeout=40_000)  # fmt: skip
    except Exception:
        pytest.fail("the page never reached %r; status %r; console %r" % (
            state, page.text_content("#status"), console_messages[-15:]))


@pytest.mark.parametrize("name", ["pyscript-pyodide.html", "pyscript-micropython.html",
                                  "pyodide.html"])
def test_an_example_page_signs_up_confirms_signs_in_asks_the_backend_and_signs_out(
    page, example_site, name, console_messages
):
    url, emulator_url = example_site
    username = "ex-" + uuid.uuid4().hex[:8]
    page.goto("%s/%s" % (url, name))
    _state(page, "ready", console_messages)
    page.fill("#username", username)
    page.fill("#email", username + "@example.com")
    page.fill("#password", PASSWORD)
    page.click("#sign-up")
    _state(page, "signed-up", console_messages)
    page.fill("#code", newest_code(emulator_url, username))
    page.click("#confirm")
    _state(page, "confirmed", console_messages)
    page.click("#sign-in")
    _state(page, "signed-in", console_messages)
    assert page.text_content("#status") == "Signed in as %s." % username
    page.click("#ask-backend")
    _state(page, "backend-answered", console_messages)
    claims = json.loads(page.text_content("#claims"))
    assert claims["username"] == username and claims["token_use"] == "access"
    assert claims["client_id"] == CLIENT_ID
    page.click("#sign-out")
    _state(page, "signed-out", console_messages)
    stored = page.evaluate("Object.keys(localStorage)")
    assert not [k for k in stored if k.endswith((".accessToken", ".idToken"))], stored
    assert not [m for m in console_messages if m[0] == "pageerror"], console_messages


def test_the_pages_are_the_ones_in_examples():
    assert sorted(p.name for p in WEB.glob("*.html")) == [
        "pyodide.html", "pyscript-micropython.html", "pyscript-pyodide.html"]
    assert Path(WEB / "config.json").is_file()
    # pyscript.toml names the web build by its file name, which carries the version.
    (web_wheel,) = (ROOT / "site" / "wheels").glob("pycognito_web-*+web-py3-none-any.whl")
    assert '"./wheels/%s"' % web_wheel.name in (WEB / "pyscript.toml").read_text()
