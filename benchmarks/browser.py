"""Sections 1-3: the port in Pyodide and the original SDK in the same Chromium.

The port under PyScript's MicroPython is measured in the same loops and cold-start runs
(micropython_browser.py; web/mpy_bench.html, web/mpy_cold.html).

1. SRP client work with fixed inputs (``web/bench.html``: both SDKs in one page).
2. A whole sign-in against the emulator, call to tokens in localStorage.
3. Cold start: navigation to "ready to sign in", a fresh browser context each run,
   served plain (no-store, identity: as the demo is served today) and tuned (gzip,
   ETag, max-age), with a warm reload for the tuned case; bytes on the wire; sizes.
"""

import base64
import gzip
import hashlib
import importlib.util
import io
import json
import shutil
import tempfile
import zipfile
from urllib.parse import quote

from . import _util, micropython_browser
from ._util import ROOT, summary

PW_CONFIG = ROOT / "playwright.config.py"
BOOT_TIMEOUT_MS = 180_000


def _playwright_config():
    spec = importlib.util.spec_from_file_location("_bench_playwright_config", PW_CONFIG)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fixed_inputs():
    """SRP inputs both SDKs compute from: a, B, salt, secret block (all deterministic)."""
    from pycognito_web import _srp

    def stream(label, size):
        out = b""
        while len(out) < size:
            out += hashlib.sha256(label.encode() + len(out).to_bytes(4, "big")).digest()
        return out[:size]

    a_bytes = bytearray(stream("a", 128))
    a_bytes[0] |= 0x80
    pool_name, user_id, password = "pycogDemo", "b7f3c2d4-bench-user", _util.PASSWORD
    salt = int.from_bytes(stream("salt", 16), "big")
    x = _srp.compute_x(salt, pool_name, user_id, password)
    v = pow(_srp.G, x, _srp.N)
    b = int.from_bytes(stream("b", 32), "big")
    big_b = (_srp.K * v + pow(_srp.G, b, _srp.N)) % _srp.N
    return {
        "a_hex": bytes(a_bytes).hex(),
        "B_hex": "%x" % big_b,
        "salt_hex": "%x" % salt,
        "secret_block": base64.b64encode(stream("block", 1124)).decode(),
        "pool_name": pool_name,
        "user_id": user_id,
        "password": password,
        "timestamp": "Wed May 7 00:09:40 UTC 2025",
    }


def _wheel():
    """The web build (scripts/web_wheel.py): what every page installs."""
    index = json.loads((ROOT / "site" / "wheels" / "index.json").read_text())
    return index["pycognito-web"]


def _full_wheel():
    """The normal wheel in dist/ (CPython's, with the emulator), for comparison."""
    found = list((ROOT / "dist").glob("pycognito_web-*-py3-none-any.whl"))
    if len(found) != 1:
        raise RuntimeError("expected one pycognito_web wheel in dist/ (run scripts/setup)")
    return found[0].name


def _parts(wheel_path):
    """Files, bytes and compressed bytes of a wheel, by part (client, emulator, metadata),
    and the size of the same wheel without its emulator."""
    parts = {}
    client = io.BytesIO()
    with (
        zipfile.ZipFile(wheel_path) as source,
        zipfile.ZipFile(client, "w", zipfile.ZIP_DEFLATED) as stripped,
    ):
        for info in source.infolist():
            name = info.filename
            part = (
                "emulator"
                if name.startswith("emulator/pycognito_emulator/")
                else ("metadata" if ".dist-info/" in name else "client")
            )
            entry = parts.setdefault(part, {"files": 0, "bytes": 0, "compressed": 0})
            entry["files"] += 1
            entry["bytes"] += info.file_size
            entry["compressed"] += info.compress_size
            if part != "emulator":
                stripped.writestr(info, source.read(name))
    return parts, len(client.getvalue())


def sizes():
    """What a page downloads (the web build) against the original's bundle, and the
    normal wheel (with the emulator) for comparison."""
    wheel_path = ROOT / "site" / "wheels" / _wheel()
    full_path = ROOT / "dist" / _full_wheel()
    bundle = (
        ROOT
        / "node_modules"
        / "amazon-cognito-identity-js"
        / "dist"
        / "amazon-cognito-identity.min.js"
    ).read_bytes()
    wheel = wheel_path.read_bytes()
    parts, _ = _parts(wheel_path)
    full_parts, client_only = _parts(full_path)
    return {
        "wheel": wheel_path.name,
        "wheel_bytes": len(wheel),
        "wheel_gzip_bytes": len(gzip.compress(wheel, 9)),
        "wheel_parts": parts,
        "full_wheel": full_path.name,
        "full_wheel_bytes": full_path.stat().st_size,
        "full_wheel_parts": full_parts,
        "client_only_wheel_bytes": client_only,
        "original_min_bytes": len(bundle),
        "original_min_gzip_bytes": len(gzip.compress(bundle, 9)),
    }


class _Wire:
    """Bytes received by one page (CDP Network.loadingFinished encodedDataLength)."""

    def __init__(self, context, page):
        self.total = 0
        self.requests = 0
        self.cdp = context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.cdp.on("Network.loadingFinished", self._done)

    def _done(self, event):
        self.total += int(event.get("encodedDataLength", 0))
        self.requests += 1


def _cold_once(browser, pw, base, path, warm=False):
    """One navigation in a fresh context; with ``warm`` a second one whose figures count.

    A warm run uses a persistent context (a profile folder, so a disk cache): the
    in-memory cache of an incognito context keeps no entry over about 1 MB, which would
    leave Pyodide's wasm and stdlib out, unlike a returning visitor's browser.
    """
    folder = None
    if warm:
        folder = tempfile.mkdtemp(prefix="bench-profile-")
        context = browser.launch_persistent_context(
            folder, **pw.launch_options(), **pw.context_options(base)
        )
    else:
        context = browser.new_context(**pw.context_options(base))
    try:
        page = context.pages[0] if warm and context.pages else context.new_page()
        wire = _Wire(context, page)
        result = None
        for _attempt in range(2 if warm else 1):
            wire.total = wire.requests = 0
            page.goto(base + path, wait_until="commit", timeout=BOOT_TIMEOUT_MS)
            page.wait_for_selector(
                "body[data-state='ready'], body[data-state='error']",
                timeout=BOOT_TIMEOUT_MS,
                state="attached",
            )
            if page.evaluate("document.body.dataset.state") == "error":
                status = page.evaluate("document.getElementById('status')?.textContent")
                raise RuntimeError("%s did not get ready: %s" % (path, status))
            # The bench pages keep window.marks; the demo's pages only say when they were ready.
            marks = page.evaluate("window.marks || {ready: window.mpyReadyMs}")
            nav = page.evaluate(
                "(() => { const n = performance.getEntriesByType('navigation')[0];"
                " return {responseEnd: n.responseEnd}; })()"
            )
            page.wait_for_timeout(50)  # let the last loadingFinished events arrive
            result = {"marks": marks, "nav": nav, "bytes": wire.total, "requests": wire.requests}
        return result
    finally:
        context.close()
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


COLD_VARIANTS = {
    "original": "/bench/sdk_cold.html",
    "pyodide": "/bench/pyodide_cold.html?wheel={wheel}",
    "pyodide_overlap": "/bench/pyodide_cold.html?overlap=1&wheel={wheel}",
    "pyodide_full": "/bench/pyodide_cold.html?wheel=/dist/{full_wheel}",  # the normal wheel
    "pyscript": "/bench/pyscript_cold.html",
    "micropython": "/bench/mpy_cold.html",
    # The demo's own MicroPython pages as shipped (site/config.json; ready = mpyReadyMs):
    "mpy_demo": "/site/mpy.html",  # <script type="mpy">, PyScript
    "mpy_direct": "/site/mpy-direct.html",  # loadMicroPython, no PyScript
}


def cold_start(browser, chromium, pw, runs, log):
    wheel, full_wheel = _wheel(), _full_wheel()
    (_util.GENERATED / "pyscript_cold.toml").write_text(
        'interpreter = "/pyodide/pyodide.mjs"\n'
        'packages = ["/wheels/%s"]\npackages_cache = "never"\n' % wheel
    )
    out = {}
    for mode in ("plain", "tuned"):
        base, stop = _util.start_server(mode)
        try:
            for name, path in COLD_VARIANTS.items():
                # quoted: a query string reads the "+" of "X+web" as a space
                path = path.format(wheel=quote(wheel, safe=""), full_wheel=quote(full_wheel))
                if runs > 1 or mode == "tuned":  # warm-up: the server's gzip cache, disk
                    _cold_once(browser, pw, base, path)
                samples = []
                for _ in range(runs):
                    samples.append(_cold_once(browser, pw, base, path))
                entry = {
                    "ready": summary([s["marks"]["ready"] for s in samples]),
                    "bytes": samples[-1]["bytes"],
                    "requests": samples[-1]["requests"],
                }
                marks = [s["marks"] for s in samples]
                if "booted" in marks[0]:
                    entry["boot"] = summary([m["booted"] for m in marks])
                    entry["install"] = summary([m["installed"] - m["booted"] for m in marks])
                    entry["import"] = summary([m["ready"] - m["installed"] for m in marks])
                if "python_start" in marks[0]:
                    entry["to_python"] = summary([m["python_start"] for m in marks])
                    entry["import"] = summary([m["ready"] - m["python_start"] for m in marks])
                if "phases" in marks[0]:  # a page's own breakdown (mpy_cold.html)
                    entry["phases"] = {
                        k: summary([m["phases"][k] for m in marks]) for k in marks[0]["phases"]
                    }
                if mode == "tuned":
                    warm = [_cold_once(chromium, pw, base, path, warm=True) for _ in range(runs)]
                    entry["warm_ready"] = summary([w["marks"]["ready"] for w in warm])
                    entry["warm_bytes"] = warm[-1]["bytes"]
                out.setdefault(mode, {})[name] = entry
                log(
                    "  cold %-6s %-16s ready %.0f ms, %d bytes"
                    % (mode, name, entry["ready"]["median"], entry["bytes"])
                )
        finally:
            stop()
    return out


def run(emulator, runs, cold_runs, log):
    """Sections 1, 2 and 3; returns their results."""
    from playwright.sync_api import sync_playwright

    pw = _playwright_config()
    inputs = fixed_inputs()
    results = {}
    base, stop = _util.start_server("plain")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**pw.launch_options())
        try:
            context = browser.new_context(**pw.context_options(base))
            page = context.new_page()
            errors = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(base + "/bench/bench.html")
            try:
                page.wait_for_selector(
                    "body[data-state='ready']", timeout=BOOT_TIMEOUT_MS, state="attached"
                )
            except Exception:
                raise RuntimeError("bench.html did not get ready: %s" % errors) from None
            results["imports"] = page.evaluate("bench.importTimes()")
            mpy = micropython_browser.MicroPythonPage(context, base, log)  # measured alongside
            results["srp"] = srp_section(page, inputs, runs, log, mpy)
            results["sign_in"] = sign_in_section(page, emulator, runs, log, mpy)
            if mpy.error:
                results["micropython_error"] = mpy.error
            context.close()
            stop()
            stop = None
            results["cold_start"] = cold_start(browser, playwright.chromium, pw, cold_runs, log)
        finally:
            browser.close()
            if stop:
                stop()
    results["sizes"] = sizes()
    return results


def srp_section(page, inputs, runs, log, mpy=None):
    page.evaluate("([i, n]) => bench.originalSrp(i, n)", [inputs, 3])  # warm-up (JIT)
    page.evaluate("([i, n]) => bench.portSrp(i, n)", [inputs, 3])
    original = {"A": [], "key": []}
    port = {"A": [], "claim": [], "bare_A": [], "bare_S": []}
    block = min(5, runs)
    done = 0
    while done < runs:
        n = min(block, runs - done)
        o = page.evaluate("([i, n]) => bench.originalSrp(i, n)", [inputs, n])
        p = page.evaluate("([i, n]) => bench.portSrp(i, n)", [inputs, n])
        if mpy:
            mpy.srp_block(inputs, n)
        for key in original:
            original[key] += o[key]
        for key in port:
            port[key] += p[key]
        done += n
    same_a = o["A_hex"] == p["A_hex"]
    same_key = o["key_hex"] == p["key_hex"]
    out = {
        "original": {k: summary(v) for k, v in original.items()},
        "port": {k: summary(v) for k, v in port.items()},
        "same_A": same_a,
        "same_key": same_key,
    }
    out["original"]["total"] = summary(
        [a + b for a, b in zip(original["A"], original["key"], strict=False)]
    )
    out["port"]["total"] = summary([a + b for a, b in zip(port["A"], port["claim"], strict=False)])
    out["port"]["bare_total"] = summary(
        [a + b for a, b in zip(port["bare_A"], port["bare_S"], strict=False)]
    )
    micro = mpy.srp_summary(page, inputs, runs) if mpy else None
    if micro:
        out["micropython"] = micro
    log(
        "  srp: original A %.1f key %.1f | port A %.1f claim %.1f (same A %s, key %s)"
        % (
            out["original"]["A"]["median"],
            out["original"]["key"]["median"],
            out["port"]["A"]["median"],
            out["port"]["claim"]["median"],
            same_a,
            same_key,
        )
    )
    return out


def sign_in_section(page, emulator, runs, log, mpy=None):
    username = emulator.sign_up(
        "bench-browser-%s" % hashlib.sha1(str(id(page)).encode()).hexdigest()[:8]
    )
    cfg = {
        "pool_id": emulator.pool_id,
        "client_id": emulator.client_id,
        "endpoint": emulator.url,
        "username": username,
        "password": _util.PASSWORD,
    }
    has_prepare = page.evaluate(
        "bench.pyodide.runPython('hasattr(pycognito_web.UserPool, \"prepare_srp\")')"
    )
    for _ in range(2):  # warm-up: connections, JIT, imports on first use
        page.evaluate("(c) => bench.originalSignIn(c)", cfg)
        page.evaluate("(c) => bench.portSignIn(c)", cfg)
    if mpy:
        mpy.sign_in_setup(emulator)
    kinds = ["original", "port"] + (["port_prepared"] if has_prepare else [])
    samples = {kind: [] for kind in kinds}
    for _ in range(runs):
        samples["original"].append(page.evaluate("(c) => bench.originalSignIn(c)", cfg))
        samples["port"].append(page.evaluate("(c) => bench.portSignIn(c)", cfg))
        if has_prepare:
            page.evaluate("(c) => bench.prepare(c)", cfg)  # ahead of the "click"
            samples["port_prepared"].append(
                page.evaluate("(c) => bench.portSignIn({...c, prepared: true})", cfg)
            )
        if mpy:
            mpy.sign_in_round()
    out = {"prepare_api": bool(has_prepare)}
    for kind, rows in samples.items():
        out[kind] = {
            "total": summary([r["total"] for r in rows]),
            "first_request": summary([r["first_request"] for r in rows]),
        }
    if mpy:
        out.update(mpy.sign_in_summary())
    log(
        "  sign-in: "
        + ", ".join(
            "%s %.0f ms (first request %.1f ms)"
            % (k, v["total"]["median"], v["first_request"]["median"])
            for k, v in out.items()
            if isinstance(v, dict)
        )
    )
    return out
