"""Sections 1-2 under PyScript's MicroPython, in the Chromium run of benchmarks/browser.py.

``web/mpy_bench.html`` loads the port as site/mpy.html does (PyScript's core, its
``interpreter`` setting at site/vendor/micropython, the package zip by ``files``) and runs
``web/bench_mpy.py``. With the fixed inputs of section 1 it times SRP's ``A`` (the page's
first, with its one-off set-up, and later ones) and the key + claim signature from ``B``,
and checks that ``A`` and the key are the original's and Pyodide's; then whole sign-ins
against the emulator, with and without ``UserPool.prepare_srp()``. Also the same split
with MicroPython's own arithmetic only (no host BigInt: the fallback where a page's CSP
forbids ``Function()``). Section 3's cold start is ``web/mpy_cold.html`` in
browser.COLD_VARIANTS.

Results go beside the others: ``results["srp"]["micropython"]`` and
``results["sign_in"]["micropython"|"micropython_prepared"]``; a failure goes to
``results["micropython_error"]`` (the command reports it as an error). The samples are
taken in browser.py's loops, interleaved with the original's and Pyodide's.
"""

import hashlib
import traceback

from . import _util
from ._util import summary

BOOT_TIMEOUT_MS = 120_000
PYTHON_ONLY_RUNS = 5  # the fallback's split: slower, and only a side figure


class MicroPythonPage:
    """``web/mpy_bench.html`` in the bench's browser context, measured in the same loops as
    the original and Pyodide (browser.srp_section and sign_in_section call these, block by
    block, so that the three share the machine's moments). A failure is kept in ``error``
    and turns the rest into no-ops: the other sections' figures stay."""

    def __init__(self, context, base, log):
        self.log, self.page, self.error = log, None, None
        self.first = {"A": [], "claim": []}
        self.later = {"A": [], "claim": []}
        self.last = None
        self.samples = {"micropython": [], "micropython_prepared": []}
        self._guard(self._open, context, base)

    def _guard(self, function, *args):
        if self.error is not None:
            return None
        try:
            return function(*args)
        except Exception as error:
            self.error = "%s: %s" % (type(error).__name__, error)
            self.log("  micropython FAILED:\n%s" % traceback.format_exc())
            return None

    def _open(self, context, base):
        page = self.page = context.new_page()
        problems = []
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.goto(base + "/bench/mpy_bench.html")
        try:
            page.wait_for_selector(
                "body[data-state='ready']", timeout=BOOT_TIMEOUT_MS, state="attached"
            )
        except Exception:
            raise RuntimeError("mpy_bench.html did not get ready: %s" % problems) from None

    def close(self):
        if self.page is not None:
            self.page.close()

    # --- section 1 ----------------------------------------------------------------------

    def srp_block(self, inputs, n):
        """n runs with the one-off set-up (the page's very first A comes first), n later."""
        self._guard(self._srp_block, inputs, n)

    def _srp_block(self, inputs, n):
        for mode, into in ((True, self.first), (False, self.later)):
            got = self.page.evaluate(
                "([i, n, f]) => mpyBench.srp(i, n, f, false)", [inputs, n, mode]
            )
            into["A"] += got["A"]
            into["claim"] += got["claim"]
            self.last = got

    def srp_summary(self, bench_page, inputs, runs):
        """Section 1's MicroPython entry, checked against the original and Pyodide."""
        return self._guard(self._srp_summary, bench_page, inputs, runs)

    def _srp_summary(self, bench_page, inputs, runs):
        o = bench_page.evaluate("([i, n]) => bench.originalSrp(i, n)", [inputs, 1])
        p = bench_page.evaluate("([i, n]) => bench.portSrp(i, n)", [inputs, 1])
        out = _summaries(self.first, self.later, o, self.last)
        out["same_as_pyodide"] = (
            self.last["A_hex"] == p["A_hex"] and self.last["key_hex"] == p["key_hex"]
        )
        out["info"] = self.page.evaluate("mpyBench.info()")
        n = min(runs, PYTHON_ONLY_RUNS)
        py_first, _ = _split(self.page, inputs, n, True, True)
        py_later, py_last = _split(self.page, inputs, n, False, True)
        out["python_only"] = _summaries(py_first, py_later, o, py_last)
        self.log(
            "  srp micropython (%s): first A %.1f, A %.1f, claim %.1f (same A %s, key %s); "
            "without host BigInt: first A %.1f, A %.1f, claim %.1f"
            % (
                out["backend"],
                out["A_first"]["median"],
                out["A"]["median"],
                out["claim"]["median"],
                out["same_A"],
                out["same_key"],
                out["python_only"]["A_first"]["median"],
                out["python_only"]["A"]["median"],
                out["python_only"]["claim"]["median"],
            )
        )
        return out

    # --- section 2 ----------------------------------------------------------------------

    def sign_in_setup(self, emulator):
        """A confirmed user of its own, and two warm-up sign-ins (as for the other two)."""
        self._guard(self._sign_in_setup, emulator)

    def _sign_in_setup(self, emulator):
        username = emulator.sign_up(
            "bench-mpy-%s" % hashlib.sha1(str(id(self)).encode()).hexdigest()[:8]
        )
        self.cfg = {
            "pool_id": emulator.pool_id,
            "client_id": emulator.client_id,
            "endpoint": emulator.url,
            "username": username,
            "password": _util.PASSWORD,
        }
        for _ in range(2):
            self.page.evaluate("(c) => mpyBench.signIn(c)", self.cfg)

    def sign_in_round(self):
        """One sign-in with A made on the call, one with prepare_srp() ahead of it."""
        self._guard(self._sign_in_round)

    def _sign_in_round(self):
        ev = self.page.evaluate
        self.samples["micropython"].append(ev("(c) => mpyBench.signIn(c)", self.cfg))
        ev("(c) => mpyBench.prepare(c)", self.cfg)  # ahead of the "click"
        self.samples["micropython_prepared"].append(ev("(c) => mpyBench.signIn(c)", self.cfg))

    def sign_in_summary(self):
        """Section 2's MicroPython rows ({} when it failed)."""
        if self.error is not None or not self.samples["micropython"]:
            return {}
        out = {}
        for kind, rows in self.samples.items():
            out[kind] = {
                "total": summary([r["total"] for r in rows]),
                "first_request": summary([r["first_request"] for r in rows]),
            }
        return out


def _split(page, inputs, runs, first, python_only=False):
    """Samples of A and key + claim, in blocks (one evaluate per block)."""
    out = {"A": [], "claim": []}
    last = None
    done = 0
    while done < runs:
        n = min(5, runs - done)
        last = page.evaluate(
            "([i, n, f, p]) => mpyBench.srp(i, n, f, p)", [inputs, n, first, python_only]
        )
        out["A"] += last["A"]
        out["claim"] += last["claim"]
        done += n
    return out, last


def _summaries(first, later, o, last):
    return {
        "A_first": summary(first["A"]),
        "A": summary(later["A"]),
        "claim": summary(later["claim"]),
        "total": summary([a + c for a, c in zip(later["A"], later["claim"], strict=False)]),
        "total_first": summary([a + c for a, c in zip(first["A"], first["claim"], strict=False)]),
        "same_A": last["A_hex"] == o["A_hex"],
        "same_key": last["key_hex"] == o["key_hex"],
        "backend": last["backend"],
    }
