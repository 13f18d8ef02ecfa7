"""Browser settings for the pytest-playwright tests (tests/browser/, tests/e2e/ ...).

Not a Playwright-native file: tests/browser/conftest.py loads it by path and feeds it to
pytest-playwright's fixtures (``browser_type_launch_args``, ``browser_context_args``, the
default timeouts, the artifact options). Other test folders that drive Chromium can load
it the same way, or reuse tests/browser/conftest.py's fixtures from a conftest above.

Playwright's own browser download cannot work here (no network but package registries),
so Chromium is Debian's package (`apt-get install chromium`, done by scripts/setup),
launched through ``executable_path``. Environment overrides:

  PYCOGNITO_WEB_CHROMIUM   path of the Chromium binary (default: `chromium` on the PATH)
  PYCOGNITO_WEB_BASE_URL   test an already running site instead of starting one
"""

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent

# --- the browser ---------------------------------------------------------------------
BROWSER = "chromium"
CHROMIUM_EXECUTABLE = (
    os.environ.get("PYCOGNITO_WEB_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
)
HEADLESS = True
# Running as root needs --no-sandbox; without the background-networking flags Chromium
# keeps dialling Google's hosts, which this machine's closed network refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

# --- the site under test ----------------------------------------------------------------
SITE_DIR = ROOT / "site"
BASE_URL = os.environ.get("PYCOGNITO_WEB_BASE_URL") or None  # None: tests start a server
VIEWPORT = {"width": 1280, "height": 800}

# --- timeouts (milliseconds) --------------------------------------------------------------
DEFAULT_TIMEOUT_MS = 15_000  # clicks, fills, expect()
NAVIGATION_TIMEOUT_MS = 30_000
PYODIDE_BOOT_TIMEOUT_MS = 120_000  # first load of Pyodide + micropip + our wheel
LAUNCH_TIMEOUT_MS = 60_000

# --- artifacts ------------------------------------------------------------------------------
OUTPUT_DIR = ROOT / "test-results"  # pytest-playwright's --output; wiped at session start
SCREENSHOTS_DIR = OUTPUT_DIR / "screenshots"  # screenshots tests keep on purpose
SCREENSHOT = "only-on-failure"  # pytest-playwright's --screenshot
TRACING = "retain-on-failure"  # pytest-playwright's --tracing
VIDEO = "off"


def launch_options(headed=False):
    """Keyword arguments for ``BrowserType.launch``."""
    args = [a for a in CHROMIUM_ARGS if not (headed and a == "--headless")]
    return {
        "executable_path": CHROMIUM_EXECUTABLE,
        "headless": HEADLESS and not headed,
        "args": args,
        "timeout": LAUNCH_TIMEOUT_MS,
    }


def context_options(base_url):
    """Keyword arguments for ``Browser.new_context``."""
    return {"base_url": base_url, "viewport": VIEWPORT, "locale": "en-US"}
