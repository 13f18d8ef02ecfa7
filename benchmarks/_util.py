"""Shared pieces: statistics, the emulator (the test support package's process handle),
JSON calls, a static server."""

import atexit
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.parse
from http.server import ThreadingHTTPServer
from pathlib import Path

from tests.support.emulator import EmulatorProcess
from tests.support.wire import ApiError, CorruptAnswer, action_request
from tests.support.wire import http as http_request

__all__ = ["ApiError", "CorruptAnswer", "Emulator", "call", "http_get"]

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
EMULATOR_CONFIG = str(ROOT / "site" / "emulator-config.json")
PASSWORD = "Bench-passw0rd!"


# --- statistics -------------------------------------------------------------------------


def percentile(values, q):
    """The q-th percentile (0..100) with linear interpolation; None for no values."""
    data = sorted(values)
    if not data:
        return None
    if len(data) == 1:
        return data[0]
    pos = (len(data) - 1) * q / 100.0
    low = int(pos)
    high = min(low + 1, len(data) - 1)
    return data[low] + (data[high] - data[low]) * (pos - low)


def summary(values, unit="ms"):
    """Median, p10, p90, min, max and n of a list of samples."""
    values = [float(v) for v in values]
    return {
        "median": statistics.median(values) if values else None,
        "p10": percentile(values, 10),
        "p90": percentile(values, 90),
        "min": min(values) if values else None,
        "max": max(values) if values else None,
        "n": len(values),
        "unit": unit,
    }


def ratio(a, b):
    """a / b of two summaries' medians (or numbers), rounded; None when undefined."""
    a = a["median"] if isinstance(a, dict) else a
    b = b["median"] if isinstance(b, dict) else b
    if a is None or not b:
        return None
    return round(a / b, 3)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the emulator -----------------------------------------------------------------------


class Emulator(EmulatorProcess):
    """``python -m pycognito_emulator`` with the demo's pool on a free port (the support
    package's process handle, in a temporary folder of its own)."""

    def __init__(self):
        self._folder = tempfile.TemporaryDirectory(prefix="bench-emulator-")
        try:
            EmulatorProcess.__init__(
                self, self._folder.name, config=EMULATOR_CONFIG, test_clock=False, timeout=60
            )
        except RuntimeError:
            self._folder.cleanup()
            raise

    def sign_up(self, username, password=PASSWORD):
        """A confirmed user (SignUp, then ConfirmSignUp with the outbox's code)."""
        return self.confirmed_user(username, password)

    def stop(self):
        self.running.stop(timeout=15)
        self._folder.cleanup()


def http_get(url):
    """(status, body bytes) of one GET."""
    status, _, body = http_request(url)
    return status, body


def call(url, action, body, conn=None, service="AWSCognitoIdentityProviderService"):
    """POST one Cognito JSON action, on a kept-alive ``conn`` if given; the answer dict.

    Raises:
        ApiError: for an error answer.
    """
    parts = urllib.parse.urlsplit(url)
    own = conn is None
    if own:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    data, headers = action_request(action, body, service + ".")
    try:
        conn.request("POST", "/", data, headers)
        response = conn.getresponse()
        raw = response.read()
    finally:
        if own:
            conn.close()
    if response.status >= 400:
        raise ApiError(response.status, {k.lower(): v for k, v in response.getheaders()}, raw)
    return json.loads(raw) if raw else {}


# --- CPU time of a process (and its children) -------------------------------------------


def cpu_seconds(pid):
    """utime + stime of a process and its direct children, in seconds (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    pids = [pid]
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as handle:
            pids += [int(p) for p in handle.read().split()]
    except OSError:
        pass
    for one in pids:
        try:
            with open("/proc/%d/stat" % one) as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return total / ticks


# --- a static server for the bench pages ------------------------------------------------


def _load_serve():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "_bench_site_server", ROOT / "scripts" / "serve.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SERVE = _load_serve()
GENERATED = Path(tempfile.mkdtemp(prefix="bench-generated-"))  # files made at run time
atexit.register(shutil.rmtree, GENERATED, True)
MOUNTS = {
    "/bench/": HERE / "web",
    "/gen/": GENERATED,
    "/sdk/": ROOT / "node_modules" / "amazon-cognito-identity-js" / "dist",
    "/pyodide/": ROOT / "site" / "vendor" / "pyodide",
    "/pyscript/": ROOT / "site" / "vendor" / "pyscript",
    "/micropython/": ROOT / "site" / "vendor" / "micropython",
    "/site/": ROOT / "site",  # the demo's own scripts (mpy-unzip.js) for the mpy pages
    "/wheels/": ROOT / "site" / "wheels",
    "/dist/": ROOT / "dist",  # the normal wheel, for comparison with the web build
}


# The demo's MicroPython pages read site/config.json, which scripts/demo writes (it is not
# in git): here a config of the demo pool's ids. Getting ready sends no request, so the
# endpoint is never called.
SITE_CONFIG = GENERATED / "site-config.json"
SITE_CONFIG.write_text(
    json.dumps(
        {
            "pool_id": "us-east-1_pycogDemo",
            "client_id": "pycognitowebdemoclient0001",
            "endpoint": "http://127.0.0.1:9",
            "emulator": True,
        }
    )
)


class BenchHandler(SERVE.SiteHandler):
    """scripts/serve.py's handler (the demo's serving) over MOUNTS instead of site/.

    ``compress`` False is "plain" (identity, no-store: how the demo was served before
    compression and caching), True is "tuned" (gzip where it pays, ETag, no-cache: what
    scripts/serve.py does now).
    """

    quiet = True
    # what site/vendor/ holds
    immutable_prefixes = ("/pyodide/", "/pyscript/", "/micropython/", "/sdk/", "/site/vendor/")

    def translate_path(self, path):
        path = urllib.parse.unquote(urllib.parse.urlsplit(path).path)
        if path == "/site/config.json":
            return str(SITE_CONFIG)
        for prefix, folder in MOUNTS.items():
            if path.startswith(prefix):
                target = (folder / path[len(prefix) :]).resolve()
                if folder.resolve() in target.parents:
                    return str(target)
        return str(GENERATED / "404-not-found")


def start_server(mode="plain"):
    """Serve the bench pages from a daemon thread; returns (base_url, stop)."""
    handler = type("Handler", (BenchHandler,), {"compress": mode == "tuned"})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop():
        server.shutdown()
        server.server_close()
        thread.join(5)

    return "http://127.0.0.1:%d" % server.server_address[1], stop


def machine():
    """What this ran on: CPU, cores, load, versions."""
    import platform

    info = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cores": os.cpu_count(),
        "loadavg_start": list(os.getloadavg()),
        "time": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    for name, path in (
        ("pyodide", ROOT / "node_modules" / "pyodide" / "package.json"),
        ("pyscript", ROOT / "node_modules" / "@pyscript" / "core" / "package.json"),
        ("amazon-cognito-identity-js",
         ROOT / "node_modules" / "amazon-cognito-identity-js" / "package.json"),
    ):  # fmt: skip
        try:
            info[name] = json.loads(path.read_text())["version"]
        except (OSError, ValueError, KeyError):
            info[name] = None
    pins = (HERE / "ministack.txt").read_text().split()
    info["ministack"] = next((p.split("==")[1] for p in pins if p.startswith("ministack==")), None)
    for dist in ("pycognito", "cryptography", "uvicorn", "playwright"):
        try:
            from importlib.metadata import version

            info[dist] = version(dist)
        except Exception:
            info[dist] = None
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "pycognito_web"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
        info["git"] = head + (" + uncommitted changes in pycognito_web/" if dirty else "")
    except OSError:
        info["git"] = None
    try:
        out = subprocess.run(
            ["chromium", "--version"], capture_output=True, text=True, timeout=30
        ).stdout.strip()
        info["chromium"] = out
    except (OSError, subprocess.SubprocessError):
        info["chromium"] = None
    return info
