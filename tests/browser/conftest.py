"""pytest-playwright fixtures for the browser tests, configured by playwright.config.py.

- ``browser_type_launch_args``: Debian's Chromium with the flags this machine needs;
  a missing binary FAILS the test with the reason (no skip).
- ``site_url``: site/ served by scripts/serve.py on a free loopback port (or
  PYCOGNITO_WEB_BASE_URL); ``base_url`` points at it, so ``page.goto("/smoke.html")``.
- ``context``: default timeouts from the config. Screenshots and traces of failing tests
  go to test-results/ (pytest-playwright's --screenshot/--tracing defaults set here).
- ``demo_emulator`` (session): the emulator with site/emulator-config.json on a free port
  (its pools, with the example custom-auth triggers, as scripts/demo starts it);
  ``demo``: a ``DemoPage`` driving site/index.html against it (codes from its outbox).
"""

import importlib.util
import os
import uuid
from pathlib import Path

import pytest
from support.emulator import EmulatorProcess

ROOT = Path(__file__).resolve().parents[2]


def _load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PW = _load(ROOT / "playwright.config.py", "_playwright_config")
SERVE = _load(ROOT / "scripts" / "serve.py", "_site_server")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    """Run every test that uses Playwright after all the others.

    Playwright's sync API keeps an asyncio loop marked as running on the main thread for
    as long as its session-scoped ``playwright`` fixture lives, and from then on
    ``asyncio.run`` and pytest-asyncio fail with "cannot be called from a running event
    loop". Putting the browser tests last confines that to them. ``trylast``: pytest's
    own reordering (grouping tests by parametrized higher-scoped fixtures) runs in this
    same hook and would otherwise undo the sort.
    """
    items.sort(key=lambda item: "playwright" in getattr(item, "fixturenames", ()))


def pytest_configure(config):
    # pytest-playwright's artifact options, unless given on the command line.
    option = config.option
    if getattr(option, "screenshot", None) == "off":
        option.screenshot = PW.SCREENSHOT
    if getattr(option, "tracing", None) == "off":
        option.tracing = PW.TRACING
    if getattr(option, "output", None) == "test-results":
        option.output = str(PW.OUTPUT_DIR)


@pytest.fixture(scope="session")
def browser_type_launch_args(pytestconfig):
    options = PW.launch_options(headed=bool(pytestconfig.getoption("--headed")))
    executable = Path(options["executable_path"])
    if not (executable.is_file() and os.access(executable, os.X_OK)):
        pytest.fail(
            f"Chromium is not at {executable}: run scripts/setup (apt-get install chromium) "
            "or set PYCOGNITO_WEB_CHROMIUM"
        )
    return options


@pytest.fixture(scope="session")
def site_url():
    """Base URL of site/, served for this test session."""
    if PW.BASE_URL:
        yield PW.BASE_URL.rstrip("/")
        return
    for needed in (
        "vendor/pyodide/pyodide.mjs",
        "vendor/pyodide/pyodide.asm.wasm",
        "wheels/index.json",
    ):
        if not (PW.SITE_DIR / needed).is_file():
            pytest.fail(f"site/{needed} is missing: run scripts/setup")
    url, stop = SERVE.start(PW.SITE_DIR)
    yield url
    stop()


@pytest.fixture(scope="session")
def base_url(site_url):
    return site_url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, site_url):
    return {**browser_context_args, **PW.context_options(site_url)}


@pytest.fixture
def context(new_context):
    ctx = new_context()
    ctx.set_default_timeout(PW.DEFAULT_TIMEOUT_MS)
    ctx.set_default_navigation_timeout(PW.NAVIGATION_TIMEOUT_MS)
    return ctx


@pytest.fixture
def console_messages(page):
    """Every console message and page error of the test's page, as (type, text)."""
    seen = []
    page.on("console", lambda msg: seen.append((msg.type, msg.text)))
    page.on("pageerror", lambda exc: seen.append(("pageerror", str(exc))))
    return seen


@pytest.fixture
def screenshot_dir():
    PW.SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    return PW.SCREENSHOTS_DIR


# --- the demo against the emulator -------------------------------------------------------

EMULATOR_CONFIG = ROOT / "site" / "emulator-config.json"
BOOT_TIMEOUT_MS = PW.PYODIDE_BOOT_TIMEOUT_MS


class DemoEmulator(EmulatorProcess):
    """``python -m pycognito_emulator`` with site/emulator-config.json (the demo's
    pool), on a free port and a throw-away data file, for this test session: the
    support package's process handle (tests/support/emulator.py).

    Attributes:
        url, pool_id, client_id: where it listens and the demo pool's ids.
        pools: {pool name: (pool id, client id)} of every pool in the config
            (``demo``, and ``demo-mfa-required`` with MFA ON).
    """

    def __init__(self, folder):
        EmulatorProcess.__init__(self, folder, config=str(EMULATOR_CONFIG), test_clock=True)

    def start(self):
        EmulatorProcess.start(self)
        self.pools = {name: self.pool(name) for name in self._pools}

    def page_config(self):
        """What scripts/demo writes to site/config.json."""
        return {
            "pool_id": self.pool_id,
            "client_id": self.client_id,
            "endpoint": self.url,
            "emulator": True,
            "pools": [
                {"name": name, "pool_id": pool_id, "client_id": client_id}
                for name, (pool_id, client_id) in self.pools.items()
            ],
        }

    def supports(self, action):
        """Whether the emulator knows this action (features land over time)."""
        status, _, body = self.http(
            "POST", "/", b"{}",
            {"Content-Type": "application/x-amz-json-1.1",
             "X-Amz-Target": "AWSCognitoIdentityProviderService." + action},
        )  # fmt: skip
        return status == 200 or b"UnknownOperation" not in body


@pytest.fixture(scope="session")
def demo_emulator(tmp_path_factory):
    emulator = DemoEmulator(tmp_path_factory.mktemp("demo-emulator"))
    yield emulator
    emulator.stop()


def unique(prefix="user"):
    """A username no other test uses."""
    return "%s-%s" % (prefix, uuid.uuid4().hex[:8])


class DemoPage:
    """The demo page (site/index.html) pointed at the test emulator.

    ``site/config.json`` is answered by a route with the emulator's ids, as scripts/demo
    would have written it; everything else is the real site.
    """

    def __init__(self, page, emulator, shots):
        self.page = page
        self.emulator = emulator
        self.shots = shots
        self.failed = []  # (X-Amz-Target action or URL, status) of every answer >= 400
        page.route("**/config.json", lambda route: route.fulfill(json=emulator.page_config()))
        page.on("response", self._on_response)

    def _on_response(self, response):
        if response.status >= 400:
            target = response.request.headers.get("x-amz-target", "")
            self.failed.append((target.rsplit(".", 1)[-1] or response.url, response.status))

    def open(self, path="/"):
        self.page.goto(path)
        self.page.wait_for_selector("body[data-state='ready']", timeout=BOOT_TIMEOUT_MS)
        return self

    def idle(self):
        self.page.wait_for_selector("body:not([data-busy])")

    def submit(self, form, **fields):
        """Fill a ``form[data-action=form]`` and press Enter in its last field."""
        scope = self.page.locator("form[data-action='%s']" % form)
        last = None
        for name, value in fields.items():
            last = scope.locator("[name='%s']" % name)
            if isinstance(value, bool):
                last.set_checked(value)
            elif last.evaluate("e => e.tagName") == "SELECT":
                last.select_option(value)
            else:
                last.fill(value)
        if last is not None and last.evaluate("e => e.type") not in ("checkbox", "select-one"):
            last.press("Enter")
        else:
            scope.locator("button[type=submit]").click()
        self.idle()

    def click(self, action, **data):
        selector = "button[data-action='%s']" % action
        selector += "".join("[data-%s='%s']" % item for item in data.items())
        self.page.locator(selector + ":visible").first.click()
        self.idle()

    def view(self):
        return self.page.evaluate("document.body.dataset.view")

    def expect_view(self, name):
        from playwright.sync_api import expect

        expect(self.page.locator("body")).to_have_attribute("data-view", name)

    def error(self):
        box = self.page.locator("#error")
        return box.inner_text() if box.is_visible() else ""

    def notice(self):
        return self.page.locator("#notice").inner_text()

    def no_error(self):
        assert not self.error(), self.error()

    def shot(self, name):
        self.page.screenshot(path=str(self.shots / ("%s.png" % name)), full_page=True)

    def storage(self):
        return self.page.evaluate("Object.fromEntries(Object.entries(localStorage))")

    def sign_up(self, username, password, email=None, confirm=True):
        self.click("show-sign-up")
        self.submit(
            "sign-up",
            username=username,
            email=email or "%s@example.com" % username,
            password=password,
        )
        self.no_error()
        self.expect_view("confirm")
        if confirm:
            self.submit("confirm", code=self.emulator.last_code(username))
            self.no_error()
            self.expect_view("sign-in")

    def sign_in(self, username, password, flow="USER_SRP_AUTH", remember=False):
        """Sign in; answer the remember-this-device prompt if the pool asks."""
        self.submit("sign-in", username=username, flow=flow, password=password)
        self.answer_device_prompt(remember)

    def answer_device_prompt(self, remember=False):
        if self.view() == "device":
            self.click("remember-device" if remember else "dont-remember-device")


@pytest.fixture
def demo(page, demo_emulator, screenshot_dir):
    return DemoPage(page, demo_emulator, screenshot_dir)
