"""The benchmarks still run (``python -m benchmarks --quick``) and write every section.

Not a timed test: nothing here looks at a speed. It keeps the harness working
(Chromium with Pyodide and the original SDK, the emulator, pycognito, ministack).
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.timeout(1500)
def test_quick_benchmarks_write_every_section(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1400,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["errors"] == {}
    assert results["params"]["quick"] is True
    for section in ("srp", "sign_in", "cold_start", "sizes", "imports", "cpython", "server"):
        assert results.get(section), section
    assert results["srp"]["same_A"] and results["srp"]["same_key"]
    assert set(results["cold_start"]) == {"plain", "tuned"}
    # MicroPython (PyScript mpy) beside the two others: the same SRP results, sign-ins that
    # stored tokens, and a cold start with its phases.
    mpy = results["srp"]["micropython"]
    assert mpy["same_A"] and mpy["same_key"] and mpy["same_as_pyodide"], mpy
    assert mpy["python_only"]["same_A"] and mpy["python_only"]["same_key"]
    assert mpy["backend"] in ("host", "python")
    for key in ("A_first", "A", "claim", "total"):
        assert mpy[key]["median"] > 0, key
    for kind in ("micropython", "micropython_prepared"):
        assert results["sign_in"][kind]["total"]["median"] > 0, kind
        assert results["sign_in"][kind]["first_request"]["median"] >= 0, kind
    for mode in ("plain", "tuned"):
        cold = results["cold_start"][mode]["micropython"]
        assert cold["ready"]["median"] > 0
        assert {"interpreter", "files", "import"} <= set(cold["phases"]), cold["phases"]
        for page in ("mpy_demo", "mpy_direct"):  # the demo's pages as shipped
            assert results["cold_start"][mode][page]["ready"]["median"] > 0, page
    for server in ("emulator", "ministack"):
        assert "error" not in results["server"][server], results["server"][server]
    markdown = (tmp_path / "results.md").read_text()
    for heading in (
        "## 1. SRP client work",
        "## 2. Whole sign-in",
        "## 3. Cold start",
        "## 4. CPython",
        "## 5. The emulator against ministack",
        "## Targets",
        "### Under MicroPython",
        "MicroPython page ready within 3x",
        "MicroPython whole sign-in within 2x",
    ):
        assert heading in markdown
