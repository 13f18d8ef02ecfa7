"""tests/micropython/mpy_test_*.py inside Chromium, under PyScript's MicroPython.

The same files that test_in_micropython.py runs in Node (the seed's use cases: sign-up,
confirmation, SRP sign-in, attributes, session restore, sign-out, TOTP, a remembered
device, and the rest), here on a ``<script type="mpy">`` page: PyScript from
site/vendor, the package from site/wheels/pycognito_web-mpy.zip (what site/mpy.html
loads), the harness and the tests through PyScript's ``files`` setting, the browser's own
fetch, getRandomValues and BigInt. The page runs ``harness.main`` and puts its summary
line on ``<body>``; every line it printed comes back through the console.
"""

import json
import uuid
from pathlib import Path

import pytest

# tests/browser/conftest.py: imported at collection, when "conftest" is that one (by the
# time fixtures run, another folder's conftest may hold the name).
from conftest import SERVE

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
MPY_TESTS = ROOT / "tests" / "micropython"
SITE = ROOT / "site"
TEST_FILES = sorted(MPY_TESTS.glob("mpy_test_*.py"))
SUPPORT_FILES = ("harness.py", "mpy_support.py")
SUPPORT_PACKAGE = sorted((ROOT / "tests" / "support").glob("*.py"))  # to /tests/support
RUN_TIMEOUT_MS = 300_000

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>pycognito-web: the MicroPython suite in Chromium</title>
  <link rel="icon" href="data:,">
  <script type="module" src="./vendor/pyscript/core.js"></script>
</head>
<body data-state="loading">
  <script type="mpy" async config='%(config)s'>
import sys
import js

sys.path.insert(0, "/tests")
import harness

try:
    passed, failed = await harness.main(%(modules)s)
    js.document.body.dataset.summary = "%%d passed, %%d failed" %% (passed, failed)
    js.document.body.dataset.state = "done"
except BaseException as error:
    js.document.body.dataset.summary = "harness raised %%r" %% (error,)
    js.document.body.dataset.state = "done"
    raise
  </script>
</body>
</html>
"""


def _page_config():
    files = {"./wheels/pycognito_web-mpy.zip": "./*", "./mpy_env.json": "/tests/mpy_env.json"}
    for name in SUPPORT_FILES + tuple(f.name for f in TEST_FILES):
        files["./tests/" + name] = "/tests/" + name
    for f in SUPPORT_PACKAGE:
        files["./tests/support/" + f.name] = "/tests/support/" + f.name
    return {"interpreter": "./vendor/micropython/micropython.mjs", "files": files}


@pytest.fixture(scope="module")
def suite_url(tmp_path_factory, emulator):
    """The page, the tests and the emulator's ids, served beside site/vendor and site/wheels
    by a real server (a page fulfilled by a Playwright route may not call the loopback
    emulator: Chromium's Local Network Access)."""
    for needed in ("vendor/micropython/micropython.mjs", "wheels/pycognito_web-mpy.zip"):
        if not (SITE / needed).is_file():
            pytest.fail(f"site/{needed} is missing: run scripts/setup (scripts/mpy_assets.py)")
    folder = tmp_path_factory.mktemp("mpy-suite")
    for name in ("vendor", "wheels"):
        (folder / name).symlink_to(SITE / name, target_is_directory=True)
    (folder / "tests").mkdir()
    for name in SUPPORT_FILES + tuple(f.name for f in TEST_FILES):
        (folder / "tests" / name).write_bytes((MPY_TESTS / name).read_bytes())
    (folder / "tests" / "support").mkdir()
    for f in SUPPORT_PACKAGE:
        (folder / "tests" / "support" / f.name).write_bytes(f.read_bytes())
    # A page may not call admin actions: the seed's invited user is made here.
    info = json.loads(emulator.test_env()["PYCOGNITO_WEB_TEST_EMULATOR"])
    info["invitations"] = [emulator.invite("invited-%s" % uuid.uuid4().hex[:8])]
    env = {"PYCOGNITO_WEB_TEST_EMULATOR": json.dumps(info)}
    (folder / "mpy_env.json").write_text(json.dumps(env))
    modules = [f.stem for f in TEST_FILES]
    config = json.dumps(_page_config())
    assert "'" not in config, "the config goes into a single-quoted attribute"
    (folder / "suite.html").write_text(PAGE % {"config": config, "modules": json.dumps(modules)})
    url, stop = SERVE.start(folder)
    yield url
    stop()


def test_the_micropython_suite_passes_in_chromium(page, suite_url):
    assert len(TEST_FILES) >= 5, TEST_FILES
    lines = []
    page.on("console", lambda message: lines.append(message.text))
    page.on("pageerror", lambda error: lines.append("pageerror: %s" % error))
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(suite_url + "/suite.html")
    try:
        page.wait_for_selector("body[data-state='done']", timeout=RUN_TIMEOUT_MS, state="attached")
    except Exception as error:
        raise AssertionError("the suite did not finish; console:\n" + "\n".join(lines)) from error
    summary = page.evaluate("document.body.dataset.summary")
    output = "\n".join(lines)
    assert summary.endswith(" passed, 0 failed"), "%s\n%s" % (summary, output)
    passed = int(summary.split()[0])
    expected = sum(
        1 for f in TEST_FILES for line in f.read_text().splitlines()
        if line.startswith(("def test_", "async def test_"))
    )  # fmt: skip
    # mpy_test_seed.py makes one test per scenario of tests/support/seed.py.
    expected += sum(
        1 for line in (ROOT / "tests" / "support" / "seed.py").read_text().splitlines()
        if line.startswith("async def use_case")
    )  # fmt: skip
    assert passed == expected, "%s, expected %d tests\n%s" % (summary, expected, output)
    for f in TEST_FILES:
        assert "PASS %s::" % f.stem in output, output
    assert "FAIL " not in output, output
    # MicroPython, not Pyodide; and the host's BigInt was there for SRP.
    assert any(u.endswith("/vendor/micropython/micropython.wasm") for u in fetched), fetched
    assert not any("pyodide" in u for u in fetched), fetched
    assert "SRP split, host BigInt" in output, output
