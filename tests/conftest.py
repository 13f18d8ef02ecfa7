"""Shared pytest fixtures (the support package, tests/support/, holds the code).

``emulator`` (session scope) runs ``python -m pycognito_emulator`` as a
subprocess on a free port, with a temporary data file and EMULATOR_CONFIG
(tests/support/config.py), and yields a ``support.emulator.EmulatorProcess``:

* ``.url``, ``.pool_id``, ``.client_id`` (no secret; USER_SRP_AUTH,
  USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH allowed), ``.secret_client_id`` and
  ``.secret_client_secret``; ``.pools`` maps each config pool name to
  ``{"id", "clients": {name: {"id", "secret"}}}``; ``.config`` is the config dict.
* ``.call(action, body)``: the answer dict, or raises ``ApiError`` (``.type``,
  ``.message``, ``.status``, ``.headers``); ``.fail(action, body)`` expects an error
  and returns it; ``.http(method, path, body=None, headers=None)`` is the raw form,
  returning (status, headers, body bytes).
* ``.messages(username=None)``: the outbox list (username: the internal name or the
  address the code went to); ``.last_code(username)``.
* ``.advance_clock(seconds)`` / ``.reset_clock()``: the emulator runs with
  ``--test-clock``.
* ``.restart(kill=True)``: SIGKILL (or terminate) and start again on the same data
  file and port.
* ``.test_env()``: its URL and ids for the tests that run in Node or a browser.

``emulator_inprocess`` (session scope) is the same handle without a process
(``support.emulator.InProcessEmulator``): clients reach it through ``.transport``.
"""

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile

import pytest
from support.config import EMULATOR_CONFIG, IDENTITY_POOL_ID
from support.emulator import EmulatorProcess, InProcessEmulator
from support.wire import TARGET_PREFIX, ApiError, call, http

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
__all__ = ["EMULATOR_CONFIG", "IDENTITY_POOL_ID", "TARGET_PREFIX", "ApiError", "Emulator",
           "call", "http"]  # fmt: skip


class Emulator(EmulatorProcess):
    """The session's emulator process with EMULATOR_CONFIG (see the module docstring)."""

    def __init__(self, folder):
        EmulatorProcess.__init__(self, folder, config=EMULATOR_CONFIG, test_clock=True)


@pytest.fixture(scope="session")
def emulator():
    """A running emulator for the whole session (see the module docstring)."""
    with tempfile.TemporaryDirectory(prefix="pycognito-emulator-") as folder:
        instance = Emulator(folder)
        try:
            yield instance
        finally:
            instance.stop()


@pytest.fixture(scope="session")
def emulator_inprocess():
    """The emulator with EMULATOR_CONFIG built in this process, for the whole session."""
    instance = InProcessEmulator(EMULATOR_CONFIG)
    try:
        yield instance
    finally:
        instance.close()


@pytest.fixture(scope="session")
def built_wheels(tmp_path_factory):
    """(normal wheel, web wheel), built once per session from the current source tree.

    The source is copied first, so the build never sees a stale build/ folder and never
    writes into the work tree (scripts/setup builds dist/ for the demo). The web wheel is
    scripts/web_wheel.py's build of the normal one: what every page installs.
    """
    src = tmp_path_factory.mktemp("wheel-src")
    out = tmp_path_factory.mktemp("wheel-dist")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if os.path.exists(os.path.join(ROOT, name)):
            shutil.copy2(os.path.join(ROOT, name), src / name)
    shutil.copytree(
        os.path.join(ROOT, "pycognito_web"),
        src / "pycognito_web",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    command = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)]
    result = subprocess.run([*command, str(src)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{result.stdout}\n{result.stderr[-3000:]}")
    wheels = list(out.glob("pycognito_web-*-py3-none-any.whl"))
    if len(wheels) != 1:
        pytest.fail(f"expected one pure-Python wheel, got {[w.name for w in out.iterdir()]}")
    spec = importlib.util.spec_from_file_location(
        "_web_wheel_for_tests", os.path.join(ROOT, "scripts", "web_wheel.py")
    )
    web_wheel = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(web_wheel)
    return wheels[0], web_wheel.build(wheels[0], out / "web")
