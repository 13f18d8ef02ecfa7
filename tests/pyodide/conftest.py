"""Fixtures for running tests inside real Pyodide (Node) from CPython's pytest.

``run_in_pyodide(paths, env)`` runs tests/pyodide/runner.mjs with Node: our freshly built
wheel is installed with micropip inside Pyodide, the given test files are copied in, and
pytest runs there. Whatever the tests need from the host arrives as environment
variables (``--env KEY=VALUE``): ``pyodide_test_env`` collects them.

Nothing here skips: a missing Node, Pyodide or wheel is a failure that names the fix.
"""

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUNNER = ROOT / "tests" / "pyodide" / "runner.mjs"
PYODIDE_WHEELS = ROOT / ".cache" / "wheels" / "pyodide"
SETUP_HINT = "run scripts/setup (it installs node_modules, the Pyodide wheels and dist/)"


class PyodideRun:
    def __init__(self, returncode, output, command):
        self.returncode = returncode
        self.output = output
        self.command = command

    def describe(self):
        return f"$ {' '.join(self.command)}\nexit code {self.returncode}\n{self.output}"


@pytest.fixture(scope="session")
def node_binary():
    node = shutil.which("node")
    if node is None:
        pytest.fail(f"node is not on the PATH: Pyodide tests need Node 20+ ({SETUP_HINT})")
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    if int(version.lstrip("v").split(".")[0]) < 20:
        pytest.fail(f"Node {version} is too old: Pyodide tests need Node 20+")
    if not (ROOT / "node_modules" / "pyodide" / "pyodide.mjs").is_file():
        pytest.fail(f"node_modules/pyodide is missing: {SETUP_HINT}")
    if not any(PYODIDE_WHEELS.glob("micropip-*.whl")):
        pytest.fail(f"no micropip wheel in {PYODIDE_WHEELS}: {SETUP_HINT}")
    return node


@pytest.fixture(scope="session")
def fresh_wheel(built_wheels):
    """The web build of the current source tree (tests/conftest.py's ``built_wheels``):
    the wheel every page installs, so the tests run the slimmed code on Pyodide's CPython.
    """
    return built_wheels[1]


@pytest.fixture(scope="session")
def pyodide_test_env(emulator):
    """Environment variables handed to the tests inside Pyodide (``--env KEY=VALUE``).

    - PYCOGNITO_WEB_TEST_ECHO_URL: an HTTP echo server on 127.0.0.1;
    - PYCOGNITO_WEB_TEST_EMULATOR: JSON of the session's emulator process (url, pool_id,
      client_id, secret_client_id, secret_client_secret, pools), from tests/conftest.py's
      ``emulator`` fixture; tests/shared's ``emulator_info`` fixture reads it.
    """
    shared = _load_module(ROOT / "tests" / "shared" / "conftest.py", "_shared_conftest_for_pyodide")
    env = dict(emulator.test_env())
    url, stop = shared.start_echo_server()
    env[shared.ECHO_URL_VAR] = url
    yield env
    stop()


def _load_module(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def run_in_pyodide(node_binary, fresh_wheel):
    def run(paths, env=None, pytest_args=(), root=ROOT, timeout=600, copies=()):
        command = [node_binary, str(RUNNER), "--root", str(root), "--wheel", str(fresh_wheel)]
        command += ["--wheels-dir", str(PYODIDE_WHEELS)]
        for copy in copies:
            command += ["--copy", str(copy)]
        if root != ROOT:
            command += ["--pyodide", str(ROOT / "node_modules" / "pyodide")]
        for key, value in (env or {}).items():
            command += ["--env", f"{key}={value}"]
        command += [str(p) for p in paths]
        command += ["--", "-v", *pytest_args]
        try:
            result = subprocess.run(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=timeout,
                env={**os.environ, "FORCE_COLOR": "0"},
            )
        except subprocess.TimeoutExpired as exc:
            pytest.fail(f"the Pyodide run took over {timeout}s:\n{exc.output}")
        return PyodideRun(result.returncode, result.stdout, command)

    return run
