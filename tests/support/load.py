"""The load and kill -9 runs against the emulator, and the SRP client they drive.

``run_load``: every client owns a few confirmed users and signs in with USER_SRP_AUTH
(InitiateAuth + PASSWORD_VERIFIER) until the run's sign-ins are done. Clients are
threads spread over several processes, so the client-side SRP math runs beside the
server rather than in one interpreter. Afterwards every sign-in's token family (its
``origin_jti``) must be in the database: no lost write. Reports throughput and the
latency percentiles of whole sign-ins and of single requests.

``run_kill``: clients sign users up, confirm them, sign in (getting NewDeviceMetadata)
and confirm the device, over and over, while the emulator is killed with SIGKILL and
restarted on the same data file and port. Every answer is checked: a 200 must be a
complete JSON answer of the right shape, an error must be Cognito's JSON error, and
anything else must be a transport error (refused, reset, closed, or a body shorter
than its Content-Length). Afterwards the JWKS kids are the ones from before, and
every user and device whose confirmation a client saw succeed is still there: each
user signs in again and ListDevices shows the device.

Each run starts its own emulator (``EmulatorProcess`` below) on a free port and a
temporary data file. tests/emulator/test_load.py runs both at a reduced size;
``scripts/bench --only load`` at full size (figures in benchmarks/load.md). The fuzzer
(tests/emulator/test_fuzz.py) uses the same process and client.
"""

import collections
import multiprocessing
import os
import queue
import random
import sqlite3
import tempfile
import threading
import time
import urllib.parse

from pycognito_web import _srp

from . import emulator as _emulator
from .wire import ApiError, Connection, CorruptAnswer, TransportError, claims

__all__ = ["ApiError", "Connection", "CorruptAnswer", "EmulatorProcess", "TransportError"]

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


class EmulatorProcess(_emulator.EmulatorProcess):
    """The emulator process these runs start: the pools above by default, no test clock,
    and killed (not stopped) when its ``with`` block ends."""

    def __init__(self, folder, config=CONFIG, args=()):
        _emulator.EmulatorProcess.__init__(self, folder, config, args, test_clock=False)

    def __exit__(self, *exc):
        self.kill()


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
