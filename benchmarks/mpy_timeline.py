"""Where a MicroPython page's cold start goes, in headless Chromium.

    .venv/bin/python -m benchmarks.mpy_timeline [--runs 5] [--only NAME,...] [--json FILE]

Serves site/ as the demo does (scripts/serve.py: gzip, ETag, max-age for vendor/) plus a
few generated pages under /_prof/, opens each page in a fresh browser context (cold: no
cache) and records, relative to navigation start:

* every request from resource timing: start, end, transfer size;
* PyScript's events on the script element (``mpy:ready`` just before the code runs,
  ``mpy:done`` after it) and the page's ``performance.mark``s;
* WebAssembly compile/instantiate calls (start, end), first paint and first contentful paint;
* ``ready``: when the page says it is ready to sign in (``body[data-state=ready]``).

Pages (``--only``):

  sdk       benchmarks/web/sdk_cold.html's body: the original SDK, the yardstick
  mpy       site/mpy.html as shipped (PyScript + MicroPython + the package zip), with
            performance.marks added around the import (py_start, imported, pool): the
            server answers /mpy_app.py with site/mpy_app.py plus those marks, for every page
  mpy_direct  site/mpy-direct.html as shipped: the same app on MicroPython without PyScript
            (loadMicroPython, the zip unpacked by mpy-unzip.js, runPythonAsync)
  mpy_direct_heap8  the same with an 8 MiB MicroPython heap instead of 1 MiB (PyScript's)
  mpy_direct_static  ... with static imports of micropython.mjs and mpy-unzip.js
  mpy_direct_nowasmhint  ... without the wasm's preload hint (compiled as it streams in)
  mpy_direct_lateinflate  ... with mpy-unzip.js of LATE_INFLATE_COMMIT (see mpy_lateinflate)
  mpy_direct_stored  ... with the zip's entries stored, not deflated (the server gzips it)
  mpy_files the same but the zip unpacked by PyScript's `files` setting (zip.js)
  mpy_lateinflate  the same with mpy-unzip.js of LATE_INFLATE_COMMIT (the zip inflated
            only once MicroPython is up, not while it loads)
  before    site/mpy.html as it was at BEFORE_COMMIT; before_* are experiments on it
            (stored zip, one file per module, zip.js without workers, plugins off,
            preload hints): see BEFORE_VARIANTS
  mpy_min   <script type="mpy"> with one line of Python: PyScript + MicroPython only
  direct    loadMicroPython() from micropython.mjs without PyScript, one line of Python
  direct_pkg  the same, then the zip unpacked into MicroPython's file system (JS
            DecompressionStream) and the package imported: MicroPython + the package

Prints a table of medians per phase; ``--json`` also writes every sample.
"""

import argparse
import json
import statistics
import sys
from http import HTTPStatus
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "site"

# Recorded before any page script runs.
PROBE = r"""
(() => {
  const t = window.__t = { events: [], wasm: [], console: [] };
  const now = () => performance.now();
  for (const name of ["mpy:ready", "mpy:done", "py:all-done", "DOMContentLoaded", "load"]) {
    addEventListener(name, () => t.events.push([name, now()]), true);
  }
  for (const fn of ["compile", "compileStreaming", "instantiate", "instantiateStreaming"]) {
    const orig = WebAssembly[fn];
    WebAssembly[fn] = function (...args) {
      const start = now();
      const p = orig.apply(this, args);
      p.then(() => t.wasm.push([fn, start, now()]), () => {});
      return p;
    };
  }
})();
"""

COLLECT = r"""
(() => {
  const nav = performance.getEntriesByType("navigation")[0];
  return {
    nav: { responseEnd: nav.responseEnd, domInteractive: nav.domInteractive,
           domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd },
    resources: performance.getEntriesByType("resource").map(r => ({
      name: r.name.replace(location.origin, ""), start: r.startTime, fetchStart: r.fetchStart,
      responseStart: r.responseStart, end: r.responseEnd, bytes: r.transferSize,
      body: r.decodedBodySize, initiator: r.initiatorType })),
    marks: performance.getEntriesByType("mark").map(m => [m.name, m.startTime]),
    paint: performance.getEntriesByType("paint").map(p => [p.name, p.startTime]),
    events: window.__t.events, wasm: window.__t.wasm,
    ready: window.mpyReadyMs ?? (window.marks && window.marks.ready),
  };
})()
"""

MPY_MIN = """<!doctype html><html><head><meta charset="utf-8"><title>mpy min</title>
<script type="module" src="/vendor/pyscript/core.js"></script></head><body data-state="loading">
<script type="mpy" config='{"interpreter": "/vendor/micropython/micropython.mjs"}'>
import js
js.window.mpyReadyMs = js.performance.now()
js.document.body.dataset.state = "ready"
</script></body></html>
"""

DIRECT = """<!doctype html><html><head><meta charset="utf-8"><title>direct</title></head>
<body data-state="loading"><script type="module">
import { loadMicroPython } from "/vendor/micropython/micropython.mjs";
performance.mark("module");
const mp = await loadMicroPython({ url: "/vendor/micropython/micropython.wasm",
                                  linebuffer: false });
performance.mark("booted");
mp.runPython(`
import js
js.window.mpyReadyMs = js.performance.now()
js.document.body.dataset.state = "ready"
`);
</script></body></html>
"""

# The zip unpacked with the browser's own DecompressionStream (no zip.js), then imported.
DIRECT_PKG = """<!doctype html><html><head><meta charset="utf-8"><title>direct + package</title>
<link rel="preload" href="/wheels/pycognito_web-mpy.zip" as="fetch" crossorigin>
</head><body data-state="loading"><script type="module">
import { loadMicroPython } from "/vendor/micropython/micropython.mjs";
const zip = fetch("/wheels/pycognito_web-mpy.zip").then(r => r.arrayBuffer());
performance.mark("module");
const mp = await loadMicroPython({ url: "/vendor/micropython/micropython.wasm",
                                  linebuffer: false });
performance.mark("booted");
const buf = new Uint8Array(await zip);
performance.mark("zip_fetched");
const view = new DataView(buf.buffer);
let eocd = buf.length - 22;
while (view.getUint32(eocd, true) !== 0x06054b50) eocd--;
let at = view.getUint32(eocd + 16, true);
const count = view.getUint16(eocd + 10, true);
const made = new Set();
for (let i = 0; i < count; i++) {
  const method = view.getUint16(at + 10, true), size = view.getUint32(at + 20, true);
  const nameLen = view.getUint16(at + 28, true), extra = view.getUint16(at + 30, true);
  const comment = view.getUint16(at + 32, true), local = view.getUint32(at + 42, true);
  const name = new TextDecoder().decode(buf.subarray(at + 46, at + 46 + nameLen));
  at += 46 + nameLen + extra + comment;
  const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
  let data = buf.subarray(start, start + size);
  if (method === 8) {
    const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    data = new Uint8Array(await new Response(stream).arrayBuffer());
  }
  const parts = name.split("/");
  for (let j = 1; j < parts.length; j++) {
    const dir = parts.slice(0, j).join("/");
    if (!made.has(dir)) { try { mp.FS.mkdir(dir); } catch (e) {} made.add(dir); }
  }
  if (!name.endsWith("/")) mp.FS.writeFile(name, data);
}
performance.mark("unzipped");
mp.runPython(`
import js, time
t = time.ticks_ms()
from pycognito_web import UserPool
pool = UserPool("us-east-1_pycogDemo", "pycognitowebdemoclient0001")
js.performance.mark("imported")
js.window.mpyReadyMs = js.performance.now()
js.document.body.dataset.state = "ready"
`);
</script></body></html>
"""


# site/mpy.html before this profile (PyScript's `files` unpacked the zip, no preload hints,
# prepare_srp before "ready"): the baseline, and what the experiments below change.
BEFORE_COMMIT = "947fc64"


def _before(path="site/mpy.html", commit=BEFORE_COMMIT):
    import subprocess

    return subprocess.run(
        ["git", "show", commit + ":" + path],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _marked(html):
    """A page (or site/mpy_app.py) with performance.marks between the Python phases."""
    for line in (
        "from pycognito_web import UserPool, ServiceError, CognitoError\n",  # before e02cc27
        "from pycognito_web import CognitoError, UserPool\n",  # site/mpy_app.py
    ):
        html = html.replace(
            line, "js.performance.mark('py_start')\n" + line + "js.performance.mark('imported')\n"
        )
    return html.replace(' + "/")\n', ' + "/")\n    js.performance.mark("pool")\n', 1)


CORE_TAG = '<script type="module" src="./vendor/pyscript/core.js"></script>'
ZIP_CONFIG = '"files": {"./wheels/pycognito_web-mpy.zip": "./*"}'
ZIP = SITE / "wheels" / "pycognito_web-mpy.zip"


def _chunk(prefix):
    return next((SITE / "vendor" / "pyscript").glob(prefix + "-*.js")).name


def _zip_entries():
    import zipfile

    with zipfile.ZipFile(ZIP) as archive:
        return {name: archive.read(name) for name in archive.namelist() if not name.endswith("/")}


def _stored_zip():
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, data in _zip_entries().items():
            archive.writestr(name, data)
    return out.getvalue()


def _stored(html):
    """`files` with an uncompressed zip (served gzipped)."""
    return html.replace(
        ZIP_CONFIG, ZIP_CONFIG.replace("./wheels/pycognito_web-mpy.zip", "./_stored.zip")
    )


def _separate(html):
    """`files` naming each .py file instead of a zip."""
    files = ", ".join('"./_pkg/%s": "./%s"' % (name, name) for name in _zip_entries())
    return html.replace(ZIP_CONFIG, '"files": {%s}' % files)


def _zip_no_workers(html):
    """zip.js told not to use web workers (its `configure`, imported by its hashed name)."""
    return html.replace(
        CORE_TAG,
        '<script type="module">import { configure } from "./vendor/pyscript/%s";'
        " configure({ useWebWorkers: false });</script>\n" % _chunk("zip") + CORE_TAG,
    )


def _hints(html):
    """Preload hints for what PyScript would otherwise discover one after the other."""
    links = [
        '<link rel="modulepreload" href="./vendor/pyscript/%s">' % _chunk("core"),
        '<link rel="modulepreload" href="./vendor/micropython/micropython.mjs">',
        '<link rel="preload" href="./vendor/micropython/micropython.wasm" as="fetch" crossorigin>',
        '<link rel="preload" href="./wheels/pycognito_web-mpy.zip" as="fetch" crossorigin>',
        '<link rel="modulepreload" href="./vendor/pyscript/%s">' % _chunk("zip"),
    ]
    return html.replace(CORE_TAG, "\n".join(links) + "\n" + CORE_TAG)


def _no_plugins(html):
    """PyScript's optional plugins switched off in the config (`"plugins": ["!name"]`)."""
    return html.replace(
        '"interpreter":',
        '"plugins": ["!deprecations-manager", "!donkey", "!error", "!py-editor", "!py-game",'
        ' "!py-terminal"], "interpreter":',
    )


def _files_instead_of_hook(html):
    """The page as shipped, but the zip unpacked by PyScript's `files` (zip.js)."""
    start = html.index('  <script type="module">\n    import { unzipBeforeRun }')
    end = html.index("</script>", start) + len("</script>\n")
    html = html[:start] + CORE_TAG + "\n" + html[end:]
    return html.replace(
        '"interpreter": "./vendor/micropython/micropython.mjs"}',
        '"interpreter": "./vendor/micropython/micropython.mjs", %s}' % ZIP_CONFIG,
    )


# Variants served next to site/mpy.html (/NAME.prof.html), so that relative URLs hold.
BEFORE_VARIANTS = {
    "before": lambda html: html,
    "before_stored": _stored,
    "before_separate": _separate,
    "before_noworkers": _zip_no_workers,
    "before_noplugins": _no_plugins,
    "before_hints": _hints,
    "before_hints_noworkers": lambda html: _hints(_zip_no_workers(html)),
}
# mpy-unzip.js as it was before it inflated the zip while the interpreter loads (it did after).
LATE_INFLATE_COMMIT = "e02cc27"


def _late_inflate(html):
    """mpy-unzip.js of LATE_INFLATE_COMMIT: the zip inflated only once MicroPython is up."""
    assert '"./mpy-unzip.js"' in html
    html = _deflated(html)  # that mpy-unzip.js reads only the deflated zip
    return html.replace('"./mpy-unzip.js"', '"./_prof/mpy-unzip-late.js"')


GZ_URL = "./wheels/pycognito_web-mpy.zip.gz"


def _deflated(html):
    """The deflated zip (each entry inflated on its own) instead of the gzipped stored one."""
    return html.replace(GZ_URL, "./wheels/pycognito_web-mpy.zip")


NOW_VARIANTS = {
    "mpy": lambda html: html,
    "mpy_files": _files_instead_of_hook,
    "mpy_lateinflate": _late_inflate,
    "mpy_deflated": _deflated,
}

# site/mpy-direct.html (MicroPython without PyScript) and experiments on it.
DIRECT_HEAP = "const HEAP = 1024 * 1024;"
DYNAMIC_IMPORTS = (
    "      const [{ loadMicroPython }, { fetchArchive, unzipInto }] = await Promise.all([\n"
    '        import("./vendor/micropython/micropython.mjs"),\n'
    '        import("./mpy-unzip.js"),\n'
    "      ]);\n"
)
STATIC_IMPORTS = """    import { loadMicroPython } from "./vendor/micropython/micropython.mjs";
    import { fetchArchive, unzipInto } from "./mpy-unzip.js";
"""
WASM_HINT = (
    '<link rel="preload" href="./vendor/micropython/micropython.wasm" as="fetch" crossorigin>\n'
)


def _static_imports(html):
    """micropython.mjs and mpy-unzip.js imported statically (a load error: no status line)."""
    html = html.replace(DYNAMIC_IMPORTS, "")
    return html.replace('  <script type="module">\n', '  <script type="module">\n' + STATIC_IMPORTS)


def _script_mark(html):
    """A mark "script" when the page's module script starts (after any static imports)."""
    tag = '  <script type="module">\n'
    start = html.index(tag) + len(tag)
    body = html.index("    // MicroPython's heap", start)
    return html[:body] + '    performance.mark("script");\n' + html[body:]


DIRECT_VARIANTS = {
    "mpy_direct": lambda html: html,
    "mpy_direct_heap8": lambda html: html.replace(DIRECT_HEAP, "const HEAP = 8 * 1024 * 1024;"),
    "mpy_direct_static": _static_imports,
    "mpy_direct_nowasmhint": lambda html: html.replace(WASM_HINT, ""),
    "mpy_direct_lateinflate": _late_inflate,
    "mpy_direct_stored": lambda html: html.replace(GZ_URL, "./_stored.zip"),
    "mpy_direct_deflated": _deflated,
}

PAGES = {
    "sdk": "/_prof/sdk.html",
    **{
        name: "/%s.prof.html" % name for name in (*BEFORE_VARIANTS, *NOW_VARIANTS, *DIRECT_VARIANTS)
    },
    "mpy_min": "/_prof/mpy_min.html",
    "direct": "/_prof/direct.html",
    "direct_pkg": "/_prof/direct_pkg.html",
}


def generated():
    before, now = _marked(_before()), _marked((SITE / "mpy.html").read_text())
    variants = {"/%s.prof.html" % name: make(before) for name, make in BEFORE_VARIANTS.items()}
    variants.update({"/%s.prof.html" % name: make(now) for name, make in NOW_VARIANTS.items()})
    direct = (SITE / "mpy-direct.html").read_text()
    for text in (DIRECT_HEAP, DYNAMIC_IMPORTS, WASM_HINT):
        assert text in direct, "site/mpy-direct.html changed: update %r" % text
    variants.update(
        {
            "/%s.prof.html" % name: _script_mark(make(direct))
            for name, make in DIRECT_VARIANTS.items()
        }
    )
    sdk = (ROOT / "benchmarks" / "web" / "sdk_cold.html").read_text()
    sdk = sdk.replace("/sdk/", "/vendor/amazon-cognito-identity-js/")
    return {
        "/_prof/sdk.html": sdk,
        "/_prof/mpy_min.html": MPY_MIN,
        "/_prof/direct.html": DIRECT,
        "/_prof/direct_pkg.html": DIRECT_PKG,
        "/_stored.zip": _stored_zip(),
        "/mpy_app.py": _marked((SITE / "mpy_app.py").read_text()),
        "/_prof/mpy-unzip-late.js": _before("site/mpy-unzip.js", LATE_INFLATE_COMMIT),
        **{"/_pkg/" + name: data for name, data in _zip_entries().items()},
        **variants,
    }


def serve():
    """site/ through scripts/serve.py's handler, plus the generated pages."""
    import functools
    import threading
    from http.server import ThreadingHTTPServer

    serve_py = _util_load(ROOT / "scripts" / "serve.py", "_serve_for_timeline")
    pages = generated()

    class Handler(serve_py.SiteHandler):
        quiet = True

        def send_head(self):
            body = pages.get(self.path.split("?", 1)[0])
            if body is None:
                return super().send_head()
            import io

            data = body.encode() if isinstance(body, str) else body
            kind = (
                self.guess_type(self.path) if self.path.endswith((".zip", ".py", ".js")) else None
            )
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", kind or "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            return io.BytesIO(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(SITE)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return "http://127.0.0.1:%d" % server.server_address[1], server


def _util_load(path, name):
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def once(browser, pw, base, path):
    context = browser.new_context(**pw.context_options(base))
    try:
        context.add_init_script(PROBE)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(base + path, wait_until="commit")
        try:
            page.wait_for_selector("body[data-state='ready']", timeout=60_000, state="attached")
        except Exception:
            raise RuntimeError("%s never got ready: %s" % (path, errors)) from None
        page.wait_for_timeout(100)
        return page.evaluate(COLLECT)
    finally:
        context.close()


def phases(sample):
    """The sample's named points (ms after navigation start)."""
    points = {"html": sample["nav"]["responseEnd"], "ready": sample["ready"]}
    for r in sample["resources"]:
        short = r["name"].rsplit("/", 1)[-1].split("?")[0]
        points.setdefault("got " + short, r["end"])
        points.setdefault("ask " + short, r["start"])
    for name, at in sample["marks"] + sample["events"] + sample["paint"]:
        points.setdefault(name, at)
    for fn, start, end in sample["wasm"]:
        points.setdefault("wasm %s start" % fn, start)
        points.setdefault("wasm %s end" % fn, end)
    return points


def report(name, samples, verbose=False):
    table = {}
    for s in samples:
        for point, at in phases(s).items():
            table.setdefault(point, []).append(at)
    last = samples[-1]
    total = sum(r["bytes"] for r in last["resources"])
    print(
        "\n== %s  (%s, %d runs, %d requests, %d bytes on the wire)"
        % (name, PAGES[name], len(samples), len(last["resources"]), total)
    )
    for point, values in sorted(table.items(), key=lambda kv: statistics.median(kv[1])):
        print("  %7.1f ms  %s" % (statistics.median(values), point))
    if verbose:
        for r in last["resources"]:
            print("    %7.1f -> %7.1f  %7d B  %s" % (r["start"], r["end"], r["bytes"], r["name"]))


def cpu_profile(browser, pw, base, path, bin_ms=20):
    """The main thread's samples (V8 CPU profiler), in bins of bin_ms after navigation."""
    context = browser.new_context(**pw.context_options(base))
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 200})
        cdp.send("Profiler.start")
        page.goto(base + path, wait_until="commit")
        page.wait_for_selector("body[data-state='ready']", timeout=60_000, state="attached")
        ready = page.evaluate("window.mpyReadyMs ?? (window.marks && window.marks.ready)")
        # performance.now() of a known instant, to place the profile's clock
        now_page = page.evaluate("performance.now()")
        profile = cdp.send("Profiler.stop")["profile"]
    finally:
        context.close()
    nodes = {n["id"]: n for n in profile["nodes"]}
    end = profile["endTime"]  # microseconds, ~ the instant of now_page
    offset = now_page - end / 1000.0  # page ms = profile us / 1000 + offset
    t = profile["startTime"]
    bins = {}
    for node_id, delta in zip(profile["samples"], profile["timeDeltas"], strict=False):
        t += delta
        frame = nodes[node_id]["callFrame"]
        label = frame["functionName"] or "(anonymous)"
        url = frame["url"].rsplit("/", 1)[-1]
        if url:
            label = "%s %s" % (url, label)
        at = t / 1000.0 + offset
        if at > ready + 50:
            break
        key = int(at // bin_ms) * bin_ms
        bins.setdefault(key, {}).setdefault(label, 0)
        bins[key][label] += delta / 1000.0
    print("\n== CPU profile of %s (ready at %.0f ms)" % (path, ready))
    for key in sorted(bins):
        top = sorted(bins[key].items(), key=lambda kv: -kv[1])[:3]
        print("  %5d ms  %s" % (key, ";  ".join("%s %.1f" % (k[:60], v) for k, v in top)))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default=",".join(PAGES))
    parser.add_argument("--json")
    parser.add_argument("--verbose", action="store_true", help="print each request of the last run")
    parser.add_argument("--profile", help="also print a CPU profile of this page's load")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    pw = _util_load(ROOT / "playwright.config.py", "_timeline_playwright_config")
    base, server = serve()
    names = args.only.split(",")
    out = {name: [] for name in names}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**pw.launch_options())
            try:
                for name in names:  # warm-up: the server's gzip cache, the disk
                    once(browser, pw, base, PAGES[name])
                # Round robin, so that a busy moment of a shared machine hits every page.
                for _ in range(args.runs):
                    for name in names:
                        out[name].append(once(browser, pw, base, PAGES[name]))
                if args.profile:
                    cpu_profile(browser, pw, base, PAGES[args.profile])
            finally:
                browser.close()
    finally:
        server.shutdown()
    for name, samples in out.items():
        report(name, samples, args.verbose)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
