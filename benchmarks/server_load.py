"""Section 5: SRP sign-ins per second, latency and server CPU per sign-in under 1, 8 and
32 concurrent clients: the emulator against ministack (PyPI), the same client load.

Clients are threads spread over several processes, each thread with its own keep-alive
HTTP connection, running InitiateAuth (SRP_A) then RespondToAuthChallenge
(PASSWORD_VERIFIER) in a loop. To keep the clients from being the bottleneck on a small
machine their ``a`` is 256 bits (the server cannot tell) and A is made before the timed
window. Server CPU is utime + stime from /proc/<pid>/stat (and its children) before and
after the window.

ministack pins a botocore that conflicts with this project's boto3 pin, so it lives in
its own virtualenv (``.cache/ministack-venv``, pinned by benchmarks/ministack.txt) and is
started offline on loopback with ``SERVICES=cognito-idp``.
"""

import base64
import hashlib
import hmac
import http.client
import json
import multiprocessing
import os
import subprocess
import sys
import threading
import time
import urllib.parse

from . import _util
from ._util import ROOT, summary

MINISTACK_VENV = ROOT / ".cache" / "ministack-venv"
MINISTACK_PINS = ROOT / "benchmarks" / "ministack.txt"


# --- the client ------------------------------------------------------------------------


def _mod_pow(base, exponent):
    from pycognito_emulator._srp_server import mod_pow

    return mod_pow(base, exponent)


def _sign_in(conn, target, username, pair):
    from pycognito_web import _srp

    a, big_a = pair
    answer = _util.call(
        target["url"],
        "InitiateAuth",
        {
            "AuthFlow": "USER_SRP_AUTH",
            "ClientId": target["client_id"],
            "AuthParameters": {"USERNAME": username, "SRP_A": "%x" % big_a},
        },
        conn=conn,
    )
    params = answer["ChallengeParameters"]
    user_id = params["USER_ID_FOR_SRP"]
    # _srp.authentication_key, with OpenSSL's modular exponentiation (the emulator's
    # mod_pow) so that the clients stay cheap next to the servers they measure.
    big_b, salt = int(params["SRP_B"], 16), int(params["SALT"], 16)
    u = _srp.compute_u(big_a, big_b)
    x = _srp.compute_x(salt, target["pool_name"], user_id, _util.PASSWORD)
    s = _mod_pow((big_b - _srp.K * _mod_pow(_srp.G, x)) % _srp.N, a + u * x)
    key = _srp.hkdf(bytes.fromhex(_srp.pad_hex(s)), bytes.fromhex(_srp.pad_hex(u)))
    stamp = _srp.timestamp(time.time())
    message = (target["pool_name"] + user_id).encode() + base64.b64decode(params["SECRET_BLOCK"])
    signature = base64.b64encode(
        hmac.new(key, message + stamp.encode(), hashlib.sha256).digest()
    ).decode()
    result = _util.call(
        target["url"],
        "RespondToAuthChallenge",
        {
            "ChallengeName": "PASSWORD_VERIFIER",
            "ClientId": target["client_id"],
            "ChallengeResponses": {
                "USERNAME": user_id,
                "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
                "TIMESTAMP": stamp,
                "PASSWORD_CLAIM_SIGNATURE": signature,
            },
            "Session": answer.get("Session"),
        },
        conn=conn,
    )
    if "AuthenticationResult" not in result:
        raise _util.CorruptAnswer("no tokens: %r" % result)


def _worker(target, usernames, window, ready, go, queue):
    from pycognito_web import _srp

    parts = urllib.parse.urlsplit(target["url"])
    pairs = []
    for _ in range(min(256, 32 * len(usernames))):
        a = int.from_bytes(os.urandom(32), "big") | 1
        pairs.append((a, _mod_pow(_srp.G, a)))
    results = []
    lock = threading.Lock()
    ready.put(os.getpid())
    go.wait()
    start_at, stop_at = window[0], window[1]

    def loop(index, username):
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        mine, errors = [], 0
        while time.time() < start_at:
            time.sleep(0.001)
        n = 0
        while True:
            begin = time.time()
            if begin >= stop_at:
                break
            try:
                _sign_in(conn, target, username, pairs[(index + n * len(usernames)) % len(pairs)])
                mine.append((begin, time.time()))
            except Exception as error:  # counted, reported
                errors += 1
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
                if errors < 3:
                    sys.stderr.write("bench client: %s\n" % error)
            n += 1
        conn.close()
        with lock:
            results.append((mine, errors))

    threads = [threading.Thread(target=loop, args=(i, u)) for i, u in enumerate(usernames)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put(results)


def load(target, usernames, clients, seconds, server_pid):
    """Run ``clients`` concurrent sign-in loops for ``seconds``; figures of the window."""
    processes = min(clients, max(2, (os.cpu_count() or 2)))
    groups = [usernames[i::processes] for i in range(processes)]
    groups = [g for g in groups if g]
    ctx = multiprocessing.get_context("spawn")
    queue, ready, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    window = ctx.Array("d", 2)
    procs = [
        ctx.Process(target=_worker, args=(target, g, window, ready, go, queue)) for g in groups
    ]
    for proc in procs:
        proc.start()
    for _ in procs:  # every process has imported and made its A's
        ready.get(timeout=300)
    start_at = time.time() + 0.3
    stop_at = start_at + seconds
    window[0], window[1] = start_at, stop_at
    go.set()
    while time.time() < start_at:
        time.sleep(0.005)
    cpu_before = _util.cpu_seconds(server_pid)
    while time.time() < stop_at:
        time.sleep(0.01)
    cpu_after = _util.cpu_seconds(server_pid)
    rows, errors = [], 0
    for _ in procs:
        for mine, errs in queue.get(timeout=300):
            rows += mine
            errors += errs
    for proc in procs:
        proc.join(60)
    # Sign-ins that finished inside the window (the last ones may run past stop_at).
    done = [end - begin for begin, end in rows if end <= stop_at + 0.001]
    latencies = [1000 * d for d in done]
    count = len(done)
    return {
        "clients": clients,
        "processes": len(groups),
        "seconds": seconds,
        "sign_ins": count,
        "errors": errors,
        "per_second": count / seconds,
        "p50_ms": _util.percentile(latencies, 50),
        "p99_ms": _util.percentile(latencies, 99),
        "latency": summary(latencies),
        "server_cpu_s": cpu_after - cpu_before,
        "server_cpu_ms_per_sign_in": 1000 * (cpu_after - cpu_before) / count if count else None,
    }


# --- the two servers -------------------------------------------------------------------


def emulator_target(emulator, users):
    names = [emulator.sign_up("load-%d-%s" % (i, os.urandom(3).hex())) for i in range(users)]
    target = {
        "url": emulator.url,
        "client_id": emulator.client_id,
        "pool_name": emulator.pool_id.split("_", 1)[1],
    }
    return target, names


def ensure_ministack(log):
    """The ministack virtualenv (made once from benchmarks/ministack.txt); its python."""
    python = MINISTACK_VENV / "bin" / "python"
    stamp = MINISTACK_VENV / ".bench-stamp"
    pins = MINISTACK_PINS.read_text()
    if python.exists() and stamp.exists() and stamp.read_text() == pins:
        return python
    log("  installing ministack into %s" % MINISTACK_VENV)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(MINISTACK_VENV)], check=True)
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            "-r",
            str(MINISTACK_PINS),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    stamp.write_text(pins)
    return python


class Ministack:
    """``python -m ministack`` on loopback, Cognito only, on a free port."""

    def __init__(self, log):
        python = ensure_ministack(log)
        self.port = _util.free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        env = dict(os.environ)
        env.update(
            {
                "GATEWAY_PORT": str(self.port),
                "BIND_HOST": "127.0.0.1",
                "SERVICES": "cognito-idp",
                "LOG_LEVEL": "WARNING",
                "MINISTACK_HOST": "127.0.0.1",
                "TMPDIR": env.get("TMPDIR", "/tmp"),
            }
        )
        self.log_file = open(
            os.path.join(env["TMPDIR"], "bench-ministack-%d.log" % self.port), "w+"
        )
        self.process = subprocess.Popen(
            [str(python), "-m", "ministack"],
            env=env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            cwd="/tmp",
        )
        self.pid = self.process.pid
        deadline = time.time() + 60
        while True:
            try:
                status, _ = _util.http_get(self.url + "/_ministack/health")
                if status < 500:
                    break
            except OSError:
                pass
            if self.process.poll() is not None or time.time() > deadline:
                self.log_file.seek(0)
                raise RuntimeError("ministack did not start:\n" + self.log_file.read()[-3000:])
            time.sleep(0.2)

    def target(self, users):
        import boto3

        boto = boto3.client(
            "cognito-idp",
            region_name="us-east-1",
            endpoint_url=self.url,
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )
        pool_id = boto.create_user_pool(PoolName="bench")["UserPool"]["Id"]
        client_id = boto.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="bench",
            ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]["ClientId"]
        names = []
        for i in range(users):
            name = "load-%d" % i
            boto.admin_create_user(UserPoolId=pool_id, Username=name, MessageAction="SUPPRESS")
            boto.admin_set_user_password(
                UserPoolId=pool_id, Username=name, Password=_util.PASSWORD, Permanent=True
            )
            names.append(name)
        target = {"url": self.url, "client_id": client_id, "pool_name": pool_id.split("_", 1)[1]}
        return target, names

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()


def run(levels, seconds, log, emulator_factory=_util.Emulator):
    out = {"levels": list(levels), "seconds": seconds}
    users = max(levels)
    servers = [("emulator", emulator_factory), ("ministack", lambda: Ministack(log))]
    for name, factory in servers:
        try:
            server = factory()
        except Exception as error:  # reported in the table
            out[name] = {"error": str(error)[:2000]}
            log("  %s: could not start: %s" % (name, str(error)[:300]))
            continue
        try:
            target, names = (
                server.target(users) if name == "ministack" else emulator_target(server, users)
            )
            # Warm-up: one sign-in each way (key caches, imports) before the windows.
            conn = http.client.HTTPConnection("127.0.0.1", int(target["url"].rsplit(":", 1)[1]))
            from pycognito_web import _srp

            a = int.from_bytes(os.urandom(32), "big") | 1
            _sign_in(conn, target, names[0], (a, pow(_srp.G, a, _srp.N)))
            conn.close()
            results = {}
            for clients in levels:
                results[str(clients)] = load(target, names[:clients], clients, seconds, server.pid)
                r = results[str(clients)]
                log(
                    "  %s x%d: %.1f/s p50 %.0f ms p99 %.0f ms cpu %.1f ms/sign-in (%d errors)"
                    % (
                        name,
                        clients,
                        r["per_second"],
                        r["p50_ms"] or 0,
                        r["p99_ms"] or 0,
                        r["server_cpu_ms_per_sign_in"] or 0,
                        r["errors"],
                    )
                )
            out[name] = results
        except Exception as error:  # reported in the table
            out[name] = {"error": "%s: %s" % (type(error).__name__, str(error)[:2000])}
            log("  %s failed: %s" % (name, str(error)[:300]))
        finally:
            server.stop()
    return out


if __name__ == "__main__":  # python -m benchmarks.server_load: a quick look
    print(json.dumps(run([1, 8], 4, print), indent=1))
