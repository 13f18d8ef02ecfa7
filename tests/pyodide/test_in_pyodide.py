"""Run the shared tests inside real Pyodide (Node), against the freshly built wheel.

tests/shared/ holds the tests that must pass both on CPython (collected directly) and
inside Pyodide (collected here, through tests/pyodide/runner.mjs). The Pyodide run is one
CPython test: its output, Pyodide's pytest report, is shown when it fails.
"""

import re
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.pyodide

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT / "tests" / "shared"
SUPPORT = ROOT / "tests" / "support"


def _summary(output):
    lines = [line for line in output.splitlines() if re.search(r"=+ .* in [\d.]+s", line)]
    return lines[-1] if lines else ""


def test_shared_tests_pass_inside_pyodide(run_in_pyodide, pyodide_test_env):
    assert list(SHARED.glob("test_*.py")), "tests/shared/ has no test files"
    run = run_in_pyodide(
        [SHARED.relative_to(ROOT)], env=pyodide_test_env, copies=[SUPPORT.relative_to(ROOT)]
    )
    print(run.output)
    assert run.returncode == 0, run.describe()
    summary = _summary(run.output)
    assert re.search(r"\d+ passed", summary), run.describe()
    assert "skipped" not in summary and "failed" not in summary, run.describe()
    # What ran is the web build (scripts/web_wheel.py), as on every page.
    assert re.search(r"installed pycognito-web \S+\+web ", run.output), run.describe()


def test_runner_reports_failures(run_in_pyodide, tmp_path):
    """The harness must not swallow a failing test, nor a run that collects none."""
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_mixed.py").write_text(
        textwrap.dedent(
            """
            import asyncio
            import os
            import sys

            import pytest

            @pytest.fixture
            async def resource():
                await asyncio.sleep(0)
                yield "ready"
                await asyncio.sleep(0)

            def test_in_pyodide(resource):
                assert resource == "ready"
                assert sys.platform == "emscripten"
                assert os.environ["HARNESS_CHECK"] == "a=b c"

            async def test_async_fails():
                await asyncio.sleep(0)
                assert 1 == 2
            """
        )
    )
    (tmp_path / "tests" / "test_empty.py").write_text("X = 1\n")
    run = run_in_pyodide(["tests/test_mixed.py"], env={"HARNESS_CHECK": "a=b c"}, root=tmp_path)
    assert run.returncode == 1, run.describe()
    assert "1 failed, 1 passed" in _summary(run.output), run.describe()
    assert "assert 1 == 2" in run.output, run.describe()

    run = run_in_pyodide(["tests/test_empty.py"], root=tmp_path)
    assert run.returncode == 5, run.describe()
