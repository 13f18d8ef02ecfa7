"""Run tests/micropython/mpy_test_*.py inside PyScript's MicroPython (Node), against the
session's emulator.

pytest does not run on MicroPython, so those files use harness.py, which prints one line
per test and ``N passed, N failed``; runner.mjs loads MicroPython from node_modules, copies
the package source and the test files in, and exits 0 only when every test passed. Each
MicroPython run is one CPython test here, whose output is shown when it fails. Nothing
skips: a missing Node or npm package is a failure that names the fix.
"""

import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RUNNER = HERE / "runner.mjs"
MPY_PACKAGE = ROOT / "node_modules" / "@micropython" / "micropython-webassembly-pyscript"
SETUP_HINT = "run scripts/setup (npm ci installs it from package.json)"
TEST_FILES = sorted(HERE.glob("mpy_test_*.py"))


@pytest.fixture(scope="session")
def node():
    found = shutil.which("node")
    if found is None:
        pytest.fail("node is not on the PATH: the MicroPython tests need Node 20+")
    if not (MPY_PACKAGE / "micropython.mjs").is_file():
        pytest.fail(f"{MPY_PACKAGE} is missing: {SETUP_HINT}")
    return found


def run(node, files, env=None, timeout=600):
    command = [node, str(RUNNER)]
    for key, value in (env or {}).items():
        command += ["--env", f"{key}={value}"]
    command += [str(f) for f in files]
    try:
        result = subprocess.run(
            command,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as error:
        pytest.fail(f"the MicroPython run took over {timeout}s:\n{error.output}")
    return result.returncode, result.stdout


@pytest.mark.parametrize("test_file", TEST_FILES, ids=[f.stem for f in TEST_FILES])
def test_inside_micropython(node, emulator, test_file):
    code, output = run(node, [test_file], emulator.test_env())
    print(output)
    summary = re.findall(r"^(\d+) passed, (\d+) failed$", output, re.M)
    assert code == 0, f"exit code {code}\n{output}"
    assert summary and int(summary[-1][0]) > 0 and summary[-1][1] == "0", output
    assert "FAIL " not in output, output


def test_the_suite_covers_the_seed_use_cases():
    # The seed's scenarios run whole (tests/support/seed.py, the source CPython and
    # Pyodide run too); the other files reach both faces' remaining calls.
    seed_runner = (HERE / "mpy_test_seed.py").read_text()
    assert "seed.SCENARIOS" in seed_runner and 'setattr(_module, "test_" + ' in seed_runner
    names = " ".join(f.read_text() for f in TEST_FILES)
    names += (ROOT / "tests" / "support" / "seed.py").read_text()
    for needed in (
        "sign_up",
        "confirm_sign_up",
        "confirmRegistration",
        "authenticate(",
        "authenticateUser",
        "get_attributes",
        "getUserAttributes",
        "current_user()",
        "getCurrentUser()",
        "sign_out",
        "signOut",
        "verify_software_token",
        "device_srp",
    ):
        assert needed in names, f"no MicroPython test uses {needed}"


def test_runner_reports_failures(node, tmp_path):
    """The harness must not swallow a failing test, a broken file, nor a run without tests."""
    mixed = tmp_path / "mpy_test_mixed.py"
    mixed.write_text(
        textwrap.dedent(
            """
            import sys
            import mpy_support

            def test_a_passes():
                assert sys.implementation.name == "micropython"
                assert mpy_support.env("CHECK") == "a=b c"

            def test_b_fails():
                assert 1 == 2, "one is not two"

            async def test_c_fails_after_awaiting():
                import asyncio
                await asyncio.sleep(0)
                raise ValueError("async failure")
            """
        )
    )
    code, output = run(node, [mixed], {"CHECK": "a=b c"})
    assert code == 1, output
    assert "1 passed, 2 failed" in output, output
    assert "one is not two" in output and "async failure" in output, output

    broken = tmp_path / "mpy_test_broken.py"
    broken.write_text("import no_such_module\n\ndef test_never():\n    pass\n")
    code, output = run(node, [broken])
    assert code == 1 and "FAIL mpy_test_broken (import)" in output, output

    empty = tmp_path / "mpy_test_empty.py"
    empty.write_text("X = 1\n")
    code, output = run(node, [empty])
    assert code == 5 and "0 passed, 0 failed" in output, output


def test_the_harness_runs_on_cpython_too(tmp_path, monkeypatch):
    """harness.py is plain Python: the same counting, checked without MicroPython."""
    import asyncio
    import importlib.util
    import sys

    (tmp_path / "mpy_cpython_probe.py").write_text(
        "def test_one():\n    pass\n\nasync def test_two():\n    raise KeyError('k')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    spec = importlib.util.spec_from_file_location("_mpy_harness", HERE / "harness.py")
    harness = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(harness)
    try:
        assert asyncio.run(harness.main(["mpy_cpython_probe"])) == (1, 1)
    finally:
        sys.modules.pop("mpy_cpython_probe", None)
    assert os.path.basename(harness.__file__) == "harness.py"
