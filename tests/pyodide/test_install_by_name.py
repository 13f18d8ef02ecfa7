"""Installing pycognito-web into Pyodide by name, as a user's page does (in Node, from
site/ served over HTTP as scripts/setup lays it out):

- ``micropip.install("pycognito-web")`` from the PEP 503 index over the built wheel
  (site/wheels/simple/) gets the client wheel alone;
- ``loadPyodide({ lockFileURL, packages: ["pycognito-web"] })`` with the lock file
  scripts/setup writes by ``pyodide lockfile add-wheels`` (site/wheels/pyodide-lock.json)
  gets it while Pyodide boots, without micropip.

Also: that lock file is pyodide-lock's work and names the wheel scripts/setup serves.
"""

import functools
import hashlib
import json
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "site"
SCRIPT = ROOT / "tests" / "pyodide" / "install_by_name.mjs"
SETUP_HINT = "run scripts/setup"


def _load(path, name):
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def site():
    """site/ served by scripts/serve.py on a free port: (url, the paths asked for)."""
    for needed in ("vendor/pyodide/pyodide.mjs", "wheels/simple/pycognito-web/index.html",
                   "wheels/pyodide-lock.json"):
        if not (SITE / needed).is_file():
            pytest.fail("site/%s is missing: %s" % (needed, SETUP_HINT))
    serve = _load(ROOT / "scripts" / "serve.py", "_serve_for_install_tests")
    server = serve.make_server(SITE, "127.0.0.1", 0, quiet=True)
    asked = []
    handler = server.RequestHandlerClass

    class Recording(handler.func):
        def log_request(self, code="-", size="-"):
            asked.append(urllib.parse.unquote(self.path))

    server.RequestHandlerClass = functools.partial(Recording, *handler.args, **handler.keywords)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "http://127.0.0.1:%d" % server.server_address[1], asked
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def web_wheel():
    wheels = sorted((SITE / "wheels").glob("pycognito_web-*+web-py3-none-any.whl"))
    if len(wheels) != 1:
        pytest.fail("expected one web wheel in site/wheels, got %s: %s" % (wheels, SETUP_HINT))
    return wheels[0]


def _install(node_binary, mode, site, cache):
    site_url, asked = site
    del asked[:]
    result = subprocess.run(
        [node_binary, str(SCRIPT), mode, site_url, str(SITE / "vendor" / "pyodide"), str(cache)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if result.returncode != 0:
        pytest.fail("%s install failed (exit %s):\n%s\n%s"
                    % (mode, result.returncode, result.stdout, result.stderr[-4000:]))
    out = json.loads(result.stdout.strip().splitlines()[-1])
    out["fetched"] = list(asked)
    return out


def _expected_version(wheel):
    return wheel.name.split("-")[1]


def test_micropip_installs_it_by_name_from_a_pep503_index(node_binary, site, web_wheel, tmp_path):
    out = _install(node_binary, "micropip", site, tmp_path)
    assert out["version"] == out["metadata_version"] == _expected_version(web_wheel)
    assert out["endpoint"] == "https://cognito-idp.us-east-1.amazonaws.com/"
    # The index page, then the wheel it links to; nothing else for the package.
    assert out["fetched"] == ["/wheels/simple/pycognito-web/", "/wheels/" + web_wheel.name]
    # The client wheel alone: no runtime dependency came with it.
    assert set(out["distributions"]) == {"micropip", "pycognito-web"}


def test_the_lock_file_gets_it_while_pyodide_boots(node_binary, site, web_wheel, tmp_path):
    out = _install(node_binary, "lockfile", site, tmp_path)
    assert out["version"] == out["metadata_version"] == _expected_version(web_wheel)
    fetched = out["fetched"]
    assert "/wheels/pyodide-lock.json" in fetched
    assert "/wheels/" + web_wheel.name in fetched
    assert not [u for u in fetched if "/simple/" in u]  # no index: the lock file named it
    assert set(out["distributions"]) == {"pycognito-web"}
    assert not list(ROOT.glob("http*")), "Node's Pyodide cached packages in the work tree"


def test_the_lock_file_is_pyodide_locks_work(web_wheel, tmp_path):
    lock = json.loads((SITE / "wheels" / "pyodide-lock.json").read_text())
    base = json.loads((SITE / "vendor" / "pyodide" / "pyodide-lock.json").read_text())
    entry = lock["packages"]["pycognito-web"]
    assert entry["file_name"] == web_wheel.name
    assert entry["sha256"] == hashlib.sha256(web_wheel.read_bytes()).hexdigest()
    assert entry["imports"] == ["pycognito_web"] and entry["depends"] == []
    assert lock["info"] == base["info"]
    assert set(lock["packages"]) == set(base["packages"]) | {"pycognito-web"}
    # Regenerated here by the same command, it is the same file.
    out = tmp_path / "pyodide-lock.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "pyodide_lockfile.py"), "add-wheels",
         "--input", str(SITE / "vendor" / "pyodide" / "pyodide-lock.json"),
         "--output", str(out), "--base-path", str(SITE / "wheels"), str(web_wheel)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text()) == lock
