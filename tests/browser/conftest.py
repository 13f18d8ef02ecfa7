"""pytest-playwright fixtures for the browser tests, configured by playwright.config.py.

- ``browser_type_launch_args``: Debian's Chromium with the flags this machine needs;
  a missing binary FAILS the test with the reason (no skip).
- ``site_url``: site/ served by scripts/serve.py on a free loopback port (or
  PYCOGNITO_WEB_BASE_URL); ``base_url`` points at it, so ``page.goto("/smoke.html")``.
- ``context``: default timeouts from the config. Screenshots and traces of failing tests
  go to test-results/ (pytest-playwright's --screenshot/--tracing defaults set here).
"""

import importlib.util
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PW = _load(ROOT / "playwright.config.py", "_playwright_config")
SERVE = _load(ROOT / "scripts" / "serve.py", "_site_server")


def pytest_collection_modifyitems(session, config, items):
    """Run every test that uses Playwright after all the others.

    Playwright's sync API keeps an asyncio loop marked as running on the main thread for
    as long as its session-scoped ``playwright`` fixture lives, and from then on
    ``asyncio.run`` and pytest-asyncio fail with "cannot be called from a running event
    loop". Putting the browser tests last confines that to them.
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
