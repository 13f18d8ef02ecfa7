"""``python -m benchmarks [--quick] [--out DIR] [--only NAME ...]``: run the benchmarks and
write ``results.md`` and ``results.json`` (default: into benchmarks/).

Sections: ``srp`` (1), ``sign_in`` (2) and ``cold_start`` (3) run in one Chromium
(``browser``); ``cpython`` (4); ``server`` (5). ``--quick`` runs each once with the
fewest repetitions, only to keep the harness working (tests/test_benchmarks_run.py).
``--only load`` (not in the default run) is section 6: the emulator under 32 clients,
then killed with SIGKILL under load (tests/support/load.py; figures in load.md).
"""

import argparse
import json
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path

from . import _util, report

GROUPS = ("browser", "cpython", "server", "load")
DEFAULT_GROUPS = ("browser", "cpython", "server")


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="each benchmark once, minimal runs")
    parser.add_argument("--out", default=str(_util.HERE), help="folder for results.md/.json")
    parser.add_argument("--only", nargs="*", choices=GROUPS, help="run only these groups")
    parser.add_argument("--note", default="", help="a line for the report (e.g. the load)")
    args = parser.parse_args(argv)
    groups = args.only or list(DEFAULT_GROUPS)

    def log(message):
        print(message, file=sys.stderr, flush=True)

    params = {
        "quick": args.quick,
        "runs": 2 if args.quick else 20,
        "cold_runs": 1 if args.quick else 3,
        "cpython_runs": 2 if args.quick else 20,
        "levels": [1, 2] if args.quick else [1, 8, 32],
        "seconds": 3.0 if args.quick else 10.0,
    }
    results = {"params": params, "machine": _util.machine(), "note": args.note,
               "uptime_start": _uptime(), "errors": {}}  # fmt: skip
    started = time.time()
    if "browser" in groups or "cpython" in groups:
        emulator = _util.Emulator()
        try:
            if "browser" in groups:
                log("1-3. Chromium: SRP work, sign-in, cold start")
                _guard(results, "browser", log, lambda: results.update(
                    __import__("benchmarks.browser", fromlist=["run"]).run(
                        emulator, params["runs"], params["cold_runs"], log)))  # fmt: skip
                if results.get("micropython_error"):  # the MicroPython part failed alone
                    results["errors"]["micropython"] = results.pop("micropython_error")
            if "cpython" in groups:
                log("4. CPython: the port against pycognito")
                from . import cpython

                _guard(results, "cpython", log, lambda: results.__setitem__(
                    "cpython", cpython.run(emulator, params["cpython_runs"], log)))  # fmt: skip
        finally:
            emulator.stop()
    if "server" in groups:
        log("5. The emulator against ministack")
        from . import server_load

        _guard(results, "server", log, lambda: results.__setitem__(
            "server", server_load.run(params["levels"], params["seconds"], log)))  # fmt: skip
    if "load" in groups:
        log("6. The emulator under load, and killed under load")
        _guard(results, "load", log, lambda: results.__setitem__("load", _load(args.quick)))
    results["seconds"] = round(time.time() - started, 1)
    results["uptime_end"] = _uptime()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    (out / "results.md").write_text(report.markdown(results))
    log("wrote %s and %s" % (out / "results.md", out / "results.json"))
    return 1 if results["errors"] else 0


def _guard(results, name, log, function):
    try:
        function()
    except Exception as error:  # recorded in the results, exit code 1
        results["errors"][name] = "%s: %s" % (type(error).__name__, error)
        log("  %s FAILED:\n%s" % (name, traceback.format_exc()))


def _load(quick):
    from tests.support import load

    if quick:
        return {"load": load.run_load(signins=48, clients=8, processes=2, users_per_client=1),
                "kill": load.run_kill(clients=8, processes=2, kills=1, seconds=1.0, down=0.3)}
    return {"load": load.run_load(), "kill": load.run_kill()}  # fmt: skip


def _uptime():
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "load average: %.2f, %.2f, %.2f" % os.getloadavg()


if __name__ == "__main__":
    sys.exit(main())
