"""Load, kill -9 and fuzz runs against the emulator (issue 8, README "Load and soak").

Commands (each starts its own emulator on a free loopback port and a temporary data
file, and stops it at the end)::

    .venv/bin/python -m benchmarks.emulator_load load [--signins 2000] [--clients 32]
                                                      [--processes 4]
    .venv/bin/python -m benchmarks.emulator_load kill [--clients 32] [--kills 3]
                                                      [--seconds 4]
    .venv/bin/python -m benchmarks.emulator_load fuzz [--examples 5000]
    .venv/bin/python -m benchmarks.emulator_load all      # the three, full size

``load``: every client owns a few confirmed users and signs in with USER_SRP_AUTH
(InitiateAuth + PASSWORD_VERIFIER) until the run's sign-ins are done. Clients are
threads spread over several processes, so the client-side SRP math runs beside the
server rather than in one interpreter. Afterwards every sign-in's token family (its
``origin_jti``) must be in the database: no lost write. Prints throughput and the
latency percentiles of whole sign-ins and of single requests.

``kill``: clients sign users up, confirm them, sign in (getting NewDeviceMetadata) and
confirm the device, over and over, while the emulator is killed with SIGKILL and
restarted on the same data file and port. Every answer is checked: a 200 must be a
complete JSON answer of the right shape, an error must be Cognito's JSON error, and
anything else must be a transport error (refused, reset, closed, or a body shorter
than its Content-Length). Afterwards the JWKS kids are the ones from before, and
every user and device whose confirmation a client saw succeed is still there: each
user signs in again and ListDevices shows the device.

``fuzz``: runs tests/emulator/test_fuzz.py with more examples and a random seed.

The tests (tests/emulator/test_load.py) run ``run_load`` and ``run_kill`` at a reduced
size. Figures are recorded in benchmarks/load.md.
"""

import argparse
import base64
import collections
import http.client
import json
import multiprocessing
import os
import queue
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:  # run as a file, or imported from the tests
    sys.path.insert(0, ROOT)

from pycognito_emulator.launch import launch  # noqa: E402
from pycognito_web import _srp  # noqa: E402

TARGET_PREFIX = "AWSCognitoIdentityProviderService."
JSON11 = "application/x-amz-json-1.1"
PASSWORD = "Load-passw0rd!"
_FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
CONFIG = {
    "pools": [
        {
            "PoolName": "load",
            "AutoVerifiedAttributes": ["email"],
            "clients": [{"ClientName": "web", "ExplicitAuthFlows": _FLOWS}],
        },
        {
            # Devices are remembered at once, so ListDevices shows each confirmed one.
            "PoolName": "devices",
            "AutoVerifiedAttributes": ["email"],
            "DeviceConfiguration": {
                "ChallengeRequiredOnNewDevice": False,
                "DeviceOnlyRememberedOnUserPrompt": False,
            },
            "clients": [{"ClientName": "web", "ExplicitAuthFlows": _FLOWS}],
        },
    ]
}


# The emulator process ------------------------------------------------------------------


class EmulatorProcess:
    """``python -m pycognito_emulator`` on 127.0.0.1, a free port and a data file.

    Args:
        folder: where the data file and the config go.
        config: the ``--config`` dict (pools and clients).
        args: more command-line arguments.

    Attributes:
        url, port, pools ({name: {"id", "clients": {name: {"id", "secret"}}}}),
        output (console lines), data (the SQLite path).
    """

    def __init__(self, folder, config=CONFIG, args=()):
        self.folder = folder
        self.data = os.path.join(folder, "emulator.sqlite3")
        self.config_path = os.path.join(folder, "config.json")
        with open(self.config_path, "w") as handle:
            json.dump(config, handle)
        self.args = list(args)
        self.port = 0
        self.process = None
        self.output = []
        self.start()

    def start(self):
        """Start it and wait for its two ready lines (20 s at most)."""
        self.running = launch(
            ["--host", "127.0.0.1", "--port", str(self.port), "--data", self.data,
             "--config", self.config_path, *self.args],
            output=self.output,
            cwd=ROOT,
        )  # fmt: skip
        self.process = self.running.process
        self.url, self.port, self.pools = self.running.url, self.running.port, self.running.pools

    def kill(self):
        """SIGKILL, as ``kill -9`` does, and reap it."""
        if self.process is not None:
            self.running.stop(kill=True)

    def stop(self):
        """SIGTERM (graceful) and reap it; SIGKILL after 20 s."""
        if self.process is not None:
            self.running.stop()

    def restart(self):
        """Start again on the same data file and port (after ``kill`` or ``stop``)."""
        self.stop()
        self.start()

    def pool(self, name):
        """(pool id, client id of its "web" client)."""
        pool = self.pools[name]
        return pool["id"], pool["clients"]["web"]["id"]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()


# The wire ------------------------------------------------------------------------------


class TransportError(Exception):
    """No answer: ``kind`` is refused, reset, closed, broken-pipe, truncated or timeout."""

    def __init__(self, kind, detail=""):
        Exception.__init__(self, "%s %s" % (kind, detail))
        self.kind = kind


class ApiError(Exception):
    """A well-formed Cognito error answer."""

    def __init__(self, status, error_type, message):
        Exception.__init__(self, "%s %s: %s" % (status, error_type, message))
        self.status = status
        self.type = error_type
        self.message = message


class CorruptAnswer(Exception):
    """An answer that is neither a valid result nor a Cognito error: never acceptable."""


class Connection:
    """One keep-alive HTTP/1.1 connection to the emulator that checks every answer.

    A broken connection is dropped and the next call opens a new one.
    """

    def __init__(self, url, timeout=30):
        parsed = urllib.parse.urlsplit(url)
        self.host, self.port = parsed.hostname, parsed.port
        self.timeout = timeout
        self.conn = None
        self.latencies = []  # seconds per answered request

    def _exchange(self, method, path, body, headers):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            self.conn.request(method, path, body=body, headers=headers)
            answer = self.conn.getresponse()
            raw = answer.read()
        except BaseException as error:
            self.close()
            raise _transport_error(error) from None
        if answer.will_close:
            self.close()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, raw

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def call(self, action, body):
        """POST one action; returns the answer dict.

        Raises:
            TransportError, ApiError, CorruptAnswer.
        """
        started = time.monotonic()
        status, headers, raw = self._exchange(
            "POST", "/", json.dumps(body).encode(),
            {"Content-Type": JSON11, "X-Amz-Target": TARGET_PREFIX + action},
        )  # fmt: skip
        self.latencies.append(time.monotonic() - started)
        data = check_answer(status, headers, raw)
        if status != 200:
            raise ApiError(status, data["__type"], data["message"])
        return data

    def get_json(self, path):
        """GET an emulator route (outbox, JWKS); returns the JSON."""
        status, _, raw = self._exchange("GET", path, None, {})
        try:
            data = json.loads(raw)
        except ValueError:
            raise CorruptAnswer("GET %s: not JSON: %r" % (path, raw[:200])) from None
        if status != 200:
            raise CorruptAnswer("GET %s: %s %r" % (path, status, raw[:200]))
        return data


def _transport_error(error):
    # Order matters: RemoteDisconnected is a ConnectionResetError.
    if isinstance(error, http.client.RemoteDisconnected):
        return TransportError("closed", str(error))
    if isinstance(error, ConnectionRefusedError):
        return TransportError("refused")
    if isinstance(error, BrokenPipeError):
        return TransportError("broken-pipe")
    if isinstance(error, (ConnectionResetError, ConnectionAbortedError)):
        return TransportError("reset")
    if isinstance(error, http.client.IncompleteRead):
        # The body was cut short of its Content-Length: the client can tell.
        return TransportError("truncated", "%d bytes" % len(error.partial))
    if isinstance(error, (TimeoutError, socket.timeout)):
        return TransportError("timeout")
    if isinstance(error, (http.client.BadStatusLine, http.client.LineTooLong)):
        return CorruptAnswer("bad status line: %r" % error)
    if isinstance(error, OSError):
        return TransportError("oserror", repr(error))
    return CorruptAnswer("unexpected client failure: %r" % error)


def check_answer(status, headers, raw):
    """The answer's JSON if it is a valid Cognito answer, else CorruptAnswer.

    A 200 is a JSON object; an error (400, 403 or 500) is ``{"__type", "message"}``
    with a matching ``x-amzn-ErrorType`` header. Nothing else is acceptable.
    """
    if headers.get("content-type") != JSON11:
        raise CorruptAnswer("%s with content-type %r: %r" % (
            status, headers.get("content-type"), raw[:200]))  # fmt: skip
    if headers.get("content-length") != str(len(raw)):
        raise CorruptAnswer("content-length %r for %d bytes" % (
            headers.get("content-length"), len(raw)))  # fmt: skip
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError:
        raise CorruptAnswer("%s, not JSON: %r" % (status, raw[:200])) from None
    if not isinstance(data, dict):
        raise CorruptAnswer("%s, not an object: %r" % (status, raw[:200]))
    if status == 200:
        return data
    if (
        status not in (400, 403, 500)
        or list(data) != ["__type", "message"]
        or not isinstance(data["__type"], str)
        or not isinstance(data["message"], str)
        or headers.get("x-amzn-errortype") != data["__type"] + ":"
    ):
        raise CorruptAnswer("not a Cognito error: %s %r" % (status, raw[:200]))
    return data


def claims(jwt):
    """A JWT's payload (no verification: the server's own tokens)."""
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


# Cognito flows, as a browser client runs them ------------------------------------------


def sign_up(conn, client_id, username, password=PASSWORD):
    """SignUp, the code from the outbox, ConfirmSignUp."""
    conn.call(
        "SignUp",
        {
            "ClientId": client_id,
            "Username": username,
            "Password": password,
            "UserAttributes": [{"Name": "email", "Value": username + "@example.com"}],
        },
    )
    outbox = conn.get_json("/_emulator/messages?username=" + urllib.parse.quote(username))
    codes = [m["code"] for m in outbox["messages"] if m["kind"] == "signup"]
    if not codes:
        raise CorruptAnswer("no sign-up code for %s" % username)
    conn.call(
        "ConfirmSignUp",
        {"ClientId": client_id, "Username": username, "ConfirmationCode": codes[-1]},
    )


def srp_sign_in(conn, pool_id, client_id, username, password=PASSWORD):
    """USER_SRP_AUTH: InitiateAuth then PASSWORD_VERIFIER; returns AuthenticationResult.

    The client's secret ``a`` has 256 random bits (the SDK uses 1024): the server's
    work is the same, and the clients, which share the machine, cost less.
    """
    a = int.from_bytes(os.urandom(32), "big") | 1
    big_a = _srp.large_a(a)
    challenge = conn.call(
        "InitiateAuth",
        {
            "AuthFlow": "USER_SRP_AUTH",
            "ClientId": client_id,
            "AuthParameters": {"USERNAME": username, "SRP_A": "%x" % big_a},
        },
    )
    params = challenge.get("ChallengeParameters") or {}
    if challenge.get("ChallengeName") != "PASSWORD_VERIFIER" or not {
        "SALT", "SECRET_BLOCK", "SRP_B", "USER_ID_FOR_SRP"
    } <= set(params):  # fmt: skip
        raise CorruptAnswer("unexpected challenge: %r" % (challenge,))
    pool_name = pool_id.split("_", 1)[1]
    user_id = params["USER_ID_FOR_SRP"]
    key = _srp.authentication_key(
        a, big_a, int(params["SRP_B"], 16), int(params["SALT"], 16), pool_name, user_id,
        password,
    )  # fmt: skip
    stamp = _srp.timestamp(time.time())
    answer = conn.call(
        "RespondToAuthChallenge",
        {
            "ChallengeName": "PASSWORD_VERIFIER",
            "ClientId": client_id,
            "Session": challenge["Session"],
            "ChallengeResponses": {
                "USERNAME": user_id,
                "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
                "TIMESTAMP": stamp,
                "PASSWORD_CLAIM_SIGNATURE": _srp.claim_signature(
                    key, pool_name, user_id, params["SECRET_BLOCK"], stamp
                ),
            },
        },
    )
    result = answer.get("AuthenticationResult") or {}
    if not {"AccessToken", "IdToken", "RefreshToken"} <= set(result):
        raise CorruptAnswer("sign-in answer without tokens: %r" % sorted(answer))
    return result


def confirm_device(conn, result):
    """ConfirmDevice for the NewDeviceMetadata of an AuthenticationResult; the key."""
    meta = result.get("NewDeviceMetadata") or {}
    if not {"DeviceKey", "DeviceGroupKey"} <= set(meta):
        raise CorruptAnswer("sign-in answer without NewDeviceMetadata")
    _, salt_hex, verifier_hex = _srp.device_secrets(
        meta["DeviceGroupKey"], meta["DeviceKey"], os.urandom(40), os.urandom(16)
    )
    conn.call(
        "ConfirmDevice",
        {
            "AccessToken": result["AccessToken"],
            "DeviceKey": meta["DeviceKey"],
            "DeviceSecretVerifierConfig": {
                "Salt": _srp.hex_to_base64(salt_hex),
                "PasswordVerifier": _srp.hex_to_base64(verifier_hex),
            },
            "DeviceName": "load",
        },
    )
    return meta["DeviceKey"]


# Client processes ----------------------------------------------------------------------


def _load_client(spec, index, go, out):
    """One load client: sign its users up, wait for ``go``, then do its sign-ins."""
    conn = Connection(spec["url"])
    pool_id, client_id = spec["pool_id"], spec["client_id"]
    users = ["%s-%d-%d" % (spec["prefix"], index, n) for n in range(spec["users_per_client"])]
    for name in users:
        sign_up(conn, client_id, name)
    out["ready"].put(1)
    go.wait()
    conn.latencies = []
    record = {"signins": [], "jtis": [], "errors": collections.Counter(), "requests": []}
    for n in range(spec["signins"][index]):
        started = time.monotonic()
        try:
            result = srp_sign_in(conn, pool_id, client_id, users[n % len(users)])
        except TransportError as error:
            record["errors"]["transport:" + error.kind] += 1
            continue
        except ApiError as error:
            record["errors"]["api:%s: %s" % (error.type, error.message)] += 1
            continue
        except CorruptAnswer as error:
            record["errors"]["corrupt: %s" % error] += 1
            continue
        record["signins"].append((started, time.monotonic()))
        record["jtis"].append(claims(result["AccessToken"])["origin_jti"])
    record["requests"] = conn.latencies
    conn.close()
    return record


def _fault_client(spec, index, go, out):
    """One fault-run client: sign up, confirm, sign in, confirm the device, until stop."""
    conn = Connection(spec["url"], timeout=10)
    pool_id, client_id = spec["pool_id"], spec["client_id"]
    rng = random.Random()
    record = {"users": [], "devices": [], "ok": 0, "errors": collections.Counter()}
    out["ready"].put(1)
    go.wait()
    n = 0
    while not spec["stop"].is_set():
        n += 1
        name = "%s-%d-%d" % (spec["prefix"], index, n)
        step = "sign-up"
        try:
            sign_up(conn, client_id, name)
            record["users"].append(name)
            record["ok"] += 1
            step = "sign-in"
            result = srp_sign_in(conn, pool_id, client_id, name)
            record["ok"] += 1
            step = "device"
            record["devices"].append((name, confirm_device(conn, result)))
            record["ok"] += 1
            if len(record["users"]) > 1:
                step = "old user"
                srp_sign_in(conn, pool_id, client_id, rng.choice(record["users"][:-1]))
                record["ok"] += 1
        except TransportError as error:
            record["errors"]["transport:" + error.kind] += 1
            time.sleep(0.05)  # the server is down or restarting
        except ApiError as error:
            record["errors"]["api:%s: %s: %s" % (step, error.type, error.message)] += 1
        except CorruptAnswer as error:
            record["errors"]["corrupt:%s: %s" % (step, error)] += 1
    conn.close()
    return record


def _client_process(kind, spec, indexes, ready, go, stop, results):
    """A process running one thread per client index; puts one record per client."""
    spec = dict(spec, stop=stop)
    function = {"load": _load_client, "fault": _fault_client}[kind]
    out = {"ready": ready}

    def run(index):
        try:
            results.put(("ok", function(spec, index, go, out)))
        except BaseException as error:  # a setup failure: report it, never hang
            ready.put(1)
            results.put(("failed", "client %d: %r" % (index, error)))

    threads = [threading.Thread(target=run, args=(index,)) for index in indexes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


class _Clients:
    """``clients`` client threads spread over ``processes`` processes (spawned)."""

    def __init__(self, kind, spec, clients, processes):
        context = multiprocessing.get_context("spawn")
        self.clients = clients
        self.ready, self.results = context.Queue(), context.Queue()
        self.go, self.stop = context.Event(), context.Event()
        self.processes = [
            context.Process(
                target=_client_process,
                args=(
                    kind,
                    spec,
                    list(range(p, clients, processes)),
                    self.ready,
                    self.go,
                    self.stop,
                    self.results,
                ),
                daemon=True,
            )
            for p in range(processes)
        ]
        for process in self.processes:
            process.start()

    def wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        count = 0
        while count < self.clients:
            try:
                self.ready.get(timeout=0.5)
                count += 1
            except queue.Empty:
                dead = [p.exitcode for p in self.processes if not p.is_alive()]
                if dead or time.monotonic() > deadline:
                    self.stop.set()
                    self.go.set()
                    raise AssertionError(
                        "client processes not ready (exit codes %r)" % dead
                    ) from None

    def collect(self, timeout):
        records, failures = [], []
        deadline = time.monotonic() + timeout
        try:
            for _ in range(self.clients):
                status, value = self.results.get(timeout=max(0.1, deadline - time.monotonic()))
                (records if status == "ok" else failures).append(value)
        except queue.Empty:
            failures.append("clients did not finish within %d s" % timeout)
        for process in self.processes:
            process.join(timeout=10)
            if process.is_alive():
                process.kill()
                process.join(timeout=10)
        return records, failures


def _split(total, parts):
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def _percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _db_rows(path, sql, params=()):
    # Read-only, beside the running server (WAL lets a reader in at any time).
    conn = sqlite3.connect("file:%s?mode=ro" % urllib.parse.quote(path), uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


# The runs ------------------------------------------------------------------------------


def run_load(signins=2000, clients=32, processes=4, users_per_client=2, folder=None):
    """Run the load test; returns a report dict (see ``format_load``).

    Raises:
        AssertionError: an error, a lost write, or a client that did not finish.
    """
    with tempfile.TemporaryDirectory(prefix="emulator-load-", dir=folder) as tmp:
        with EmulatorProcess(tmp) as emulator:
            pool_id, client_id = emulator.pool("load")
            spec = {
                "url": emulator.url, "pool_id": pool_id, "client_id": client_id,
                "prefix": "load", "users_per_client": users_per_client,
                "signins": _split(signins, clients),
            }  # fmt: skip
            group = _Clients("load", spec, clients, processes)
            group.wait_ready(timeout=60 + clients * users_per_client)
            started = time.monotonic()
            group.go.set()
            records, failures = group.collect(timeout=120 + signins)
            wall = time.monotonic() - started
            assert not failures, failures
            errors = collections.Counter()
            for record in records:
                errors.update(record["errors"])
            jtis = [jti for record in records for jti in record["jtis"]]
            stored = {
                row[0]
                for row in _db_rows(
                    emulator.data,
                    "SELECT origin_jti FROM token_families WHERE pool_id = ?", (pool_id,),
                )
            }  # fmt: skip
            users = _db_rows(
                emulator.data,
                "SELECT count(*) FROM users WHERE pool_id = ? AND status = 'CONFIRMED'",
                (pool_id,),
            )[0][0]
            emulator.stop()
            integrity = _db_rows(emulator.data, "PRAGMA integrity_check")[0][0]
    spans = [span for record in records for span in record["signins"]]
    latencies = [end - start for start, end in spans]
    requests = [value for record in records for value in record["requests"]]
    first = min(start for start, _ in spans) if spans else started
    last = max(end for _, end in spans) if spans else started
    report = {
        "signins": signins,
        "clients": clients,
        "processes": processes,
        "succeeded": len(spans),
        "errors": dict(errors),
        "distinct_sessions": len(set(jtis)),
        "lost_writes": len(set(jtis) - stored),
        "confirmed_users": users,
        "integrity": integrity,
        "seconds": last - first,
        "wall_seconds": wall,
        "throughput": len(spans) / (last - first) if last > first else 0.0,
        "p50_ms": 1000 * _percentile(latencies, 0.50),
        "p99_ms": 1000 * _percentile(latencies, 0.99),
        "max_ms": 1000 * max(latencies, default=float("nan")),
        "request_p50_ms": 1000 * _percentile(requests, 0.50),
        "request_p99_ms": 1000 * _percentile(requests, 0.99),
    }
    assert report["succeeded"] == signins and not errors, report
    assert report["distinct_sessions"] == signins and report["lost_writes"] == 0, report
    assert users == clients * users_per_client and integrity == "ok", report
    return report


def _jwks_kids(conn, pool_ids):
    return {
        pool_id: sorted(key["kid"] for key in
                        conn.get_json("/%s/.well-known/jwks.json" % pool_id)["keys"])
        for pool_id in pool_ids
    }  # fmt: skip


def _check_users(url, pool_id, client_id, users, threads=4):
    """Sign every user in (4 connections at once); returns (failures, {name: device keys})."""
    failures, listed, lock = [], {}, threading.Lock()
    todo = list(users)

    def work():
        conn = Connection(url)
        while True:
            with lock:
                if not todo:
                    break
                name = todo.pop()
            try:
                result = srp_sign_in(conn, pool_id, client_id, name)
                answer = conn.call(
                    "ListDevices", {"AccessToken": result["AccessToken"], "Limit": 60}
                )
            except (ApiError, CorruptAnswer, TransportError) as error:
                with lock:
                    failures.append((name, str(error)))
                continue
            with lock:
                listed[name] = {device["DeviceKey"] for device in answer["Devices"]}
        conn.close()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return failures, listed


def run_kill(clients=32, processes=4, kills=3, seconds=4.0, down=0.5, folder=None):
    """Run the kill -9 test; returns a report dict (see ``format_kill``).

    ``kills`` times: let the clients work ``seconds`` s, SIGKILL the emulator, leave
    it down ``down`` s, restart it on the same data and port. Then more work, stop
    the clients, and check everything the clients saw confirmed.

    Raises:
        AssertionError: a corrupt answer, an unexpected Cognito error, or anything
            confirmed and then lost.
    """
    with tempfile.TemporaryDirectory(prefix="emulator-kill-", dir=folder) as tmp:
        with EmulatorProcess(tmp) as emulator:
            pool_id, client_id = emulator.pool("devices")
            probe = Connection(emulator.url)
            kids_before = _jwks_kids(probe, [p["id"] for p in emulator.pools.values()])
            spec = {
                "url": emulator.url, "pool_id": pool_id, "client_id": client_id,
                "prefix": "kill",
            }  # fmt: skip
            group = _Clients("fault", spec, clients, processes)
            group.wait_ready(timeout=60)
            group.go.set()
            kill_times = []
            for _ in range(kills):
                time.sleep(seconds)
                emulator.kill()
                kill_times.append(time.monotonic())
                time.sleep(down)
                emulator.start()
            time.sleep(seconds)
            group.stop.set()
            records, failures = group.collect(timeout=60)
            assert not failures, failures
            errors = collections.Counter()
            for record in records:
                errors.update(record["errors"])
            users = [name for record in records for name in record["users"]]
            devices = [item for record in records for item in record["devices"]]
            probe = Connection(emulator.url)
            kids_after = _jwks_kids(probe, [p["id"] for p in emulator.pools.values()])
            probe.close()
            # Every confirmed user signs in again; every confirmed device is listed.
            missing_users, listed = _check_users(emulator.url, pool_id, client_id, users)
            missing_devices = [
                (name, key) for name, key in devices if key not in listed.get(name, ())
            ]
            emulator.stop()
            integrity = _db_rows(emulator.data, "PRAGMA integrity_check")[0][0]
    transport = {k: v for k, v in errors.items() if k.startswith("transport:")}
    others = {k: v for k, v in errors.items() if not k.startswith("transport:")}
    report = {
        "clients": clients,
        "kills": kills,
        "operations_ok": sum(record["ok"] for record in records),
        "confirmed_users": len(users),
        "confirmed_devices": len(devices),
        "transport_errors": transport,
        "other_errors": others,
        "jwks_same": kids_before == kids_after,
        "missing_users": missing_users,
        "missing_devices": missing_devices,
        "integrity": integrity,
    }
    assert not others, report
    assert transport, report  # the kills did land while clients were working
    assert report["jwks_same"] and integrity == "ok", report
    assert not missing_users and not missing_devices, report
    assert users and devices, report
    return report


def format_load(report):
    """The load report as Markdown table rows."""
    return "\n".join(
        [
            "| Sign-ins | Clients (processes) | Errors | Lost writes | Throughput | "
            "p50 | p99 | max | request p50 | request p99 |",
            "|---|---|---|---|---|---|---|---|---|---|",
            "| %(succeeded)d/%(signins)d | %(clients)d (%(processes)d) | %(n_errors)d | "
            "%(lost_writes)d | %(throughput).1f/s | %(p50_ms).0f ms | %(p99_ms).0f ms | "
            "%(max_ms).0f ms | %(request_p50_ms).1f ms | %(request_p99_ms).1f ms |"
            % dict(report, n_errors=sum(report["errors"].values())),
        ]
    )


def format_kill(report):
    """The kill -9 report as Markdown list lines."""
    return "\n".join(
        [
            "- %(kills)d x SIGKILL under %(clients)d clients; %(operations_ok)d operations "
            "answered OK" % report,
            "- confirmed and still there after the restarts: %(confirmed_users)d users "
            "(each signed in again), %(confirmed_devices)d devices (each listed); "
            "missing: %(n_missing)d"
            % dict(
                report,
                n_missing=len(report["missing_users"]) + len(report["missing_devices"]),
            ),
            "- JWKS kids unchanged: %s; SQLite integrity_check: %s"
            % (report["jwks_same"], report["integrity"]),
            "- what clients saw meanwhile (besides valid answers): %s; corrupt or "
            "unexpected answers: %d"
            % (
                ", ".join(
                    "%s %d" % (k.split(":", 1)[1], v)
                    for k, v in sorted(report["transport_errors"].items())
                ),
                sum(report["other_errors"].values()),
            ),
        ]
    )


def run_fuzz(examples):
    """tests/emulator/test_fuzz.py with ``examples`` examples and a random seed."""
    env = dict(os.environ, PYCOGNITO_FUZZ_EXAMPLES=str(examples), PYCOGNITO_FUZZ_RANDOM="1")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               "tests/emulator/test_fuzz.py"]  # fmt: skip
    return subprocess.call(command, cwd=ROOT, env=env)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.emulator_load")
    parser.add_argument("command", choices=["load", "kill", "fuzz", "all"])
    parser.add_argument("--signins", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--examples", type=int, default=5000)
    args = parser.parse_args(argv)
    status = 0
    if args.command in ("load", "all"):
        report = run_load(args.signins, args.clients, args.processes)
        print(format_load(report))
        print(json.dumps(report))
    if args.command in ("kill", "all"):
        report = run_kill(args.clients, args.processes, args.kills, args.seconds)
        print(format_kill(report))
        print(json.dumps(report))
    if args.command in ("fuzz", "all"):
        status = run_fuzz(args.examples)
    return status


if __name__ == "__main__":
    sys.exit(main())
