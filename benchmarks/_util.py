"""Shared pieces: statistics, the emulator as a subprocess, JSON calls, a static server."""

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

from pycognito_emulator.launch import launch

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
EMULATOR_CONFIG = ROOT / "site" / "emulator-config.json"
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


class Emulator:
    """``python -m pycognito_emulator`` with the demo's pool on a free port."""

    def __init__(self):
        self.folder = tempfile.TemporaryDirectory(prefix="bench-emulator-")
        try:
            self.running = launch(
                ["--host", "127.0.0.1", "--port", "0",
                 "--data", os.path.join(self.folder.name, "emulator.sqlite3"),
                 "--config", str(EMULATOR_CONFIG)],
                timeout=60,
                cwd=ROOT,
            )  # fmt: skip
        except RuntimeError:
            self.folder.cleanup()
            raise
        self.process, self.url, self.output = (
            self.running.process,
            self.running.url,
            self.running.output,
        )
        self.pid = self.process.pid
        summary_line = self.running.summary
        pool = summary_line["pools"][0]
        self.pool_id = pool["id"]
        self.client_id = pool["clients"][0]["id"]

    def call(self, action, body):
        return call(self.url, action, body)

    def sign_up(self, username, password=PASSWORD):
        """A confirmed user (SignUp, then ConfirmSignUp with the outbox's code)."""
        self.call(
            "SignUp",
            {
                "ClientId": self.client_id,
                "Username": username,
                "Password": password,
                "UserAttributes": [{"Name": "email", "Value": username + "@example.com"}],
            },
        )
        query = urllib.parse.urlencode({"username": username})
        _status, body = http_get(self.url + "/_emulator/messages?" + query)
        code = json.loads(body)["messages"][-1]["code"]
        self.call(
            "ConfirmSignUp",
            {"ClientId": self.client_id, "Username": username, "ConfirmationCode": code},
        )
        return username

    def stop(self):
        self.running.stop(timeout=15)
        self.folder.cleanup()


def http_get(url):
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request("GET", parts.path + ("?" + parts.query if parts.query else ""))
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class ApiError(Exception):
    pass


def call(url, action, body, conn=None, service="AWSCognitoIdentityProviderService"):
    """POST one Cognito JSON action; the answer dict, or ApiError."""
    parts = urllib.parse.urlsplit(url)
    own = conn is None
    if own:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.request(
            "POST",
            "/",
            json.dumps(body).encode(),
            {
                "Content-Type": "application/x-amz-json-1.1",
                "X-Amz-Target": service + "." + action,
            },
        )
        response = conn.getresponse()
        data = response.read()
    finally:
        if own:
            conn.close()
    answer = json.loads(data) if data else {}
    if response.status >= 400:
        raise ApiError("%s: %s %s" % (action, response.status, data[:300]))
    return answer


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

    ``compress`` False is "plain" (identity, no-store: the demo before issue 7), True is
    "tuned" (gzip where it pays, ETag, no-cache: what scripts/serve.py does now).
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
