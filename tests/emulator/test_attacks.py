"""Attacks on the emulator, each performed over HTTP as an attacker would, on loopback.

Each test here failed before the fix it holds (SECURITY.md lists them): code named by
an admin request, DNS rebinding to the outbox, answers that tell unknown users apart
under PreventUserExistenceErrors, header-hostile input that dropped the connection, the
data file's modes. Custom auth that signs anyone in is in test_custom_auth.py.
"""

import asyncio
import importlib.util
import json
import os
import re
import stat
import subprocess
import sys

import boto3
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from emu_helpers import PASSWORD, unique
from emu_srp import SrpSignIn

from pycognito_emulator import _app, _registry
from pycognito_web import _srp

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGET = "AWSCognitoIdentityProviderService."
JSON11 = "application/x-amz-json-1.1"


def admin(emulator):
    return boto3.client(
        "cognito-idp", endpoint_url=emulator.url, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}),
    )  # fmt: skip


def signed(emulator, action, body, headers=None):
    """A SigV4-signed admin call sent as raw HTTP (botocore itself would refuse a member
    its model lacks before sending it). Returns (status, headers, JSON answer)."""
    raw = json.dumps(body).encode()
    request = AWSRequest(method="POST", url=emulator.url + "/", data=raw,
                         headers={"Content-Type": JSON11, "X-Amz-Target": TARGET + action})
    SigV4Auth(Credentials("test", "test"), "cognito-idp", "us-east-1").add_auth(request)
    status, answer_headers, answer = emulator.http("POST", "/", raw, dict(request.headers.items()))
    return status, answer_headers, json.loads(answer or b"{}")


# Code execution through the admin API -----------------------------------------------------

PAYLOAD = """
import pathlib
pathlib.Path(%r).write_text("ran")


def define_auth_challenge(event, context):
    event["response"]["issueTokens"] = True
    return event
"""


def test_admin_requests_cannot_name_code_to_run(emulator, tmp_path):
    marker = tmp_path / "ran.txt"
    payload = tmp_path / "evil_triggers.py"
    payload.write_text(PAYLOAD % str(marker))
    name = unique("evil-pool")
    status, _, answer = signed(emulator, "CreateUserPool",
                               {"PoolName": name, "triggers": str(payload)})  # fmt: skip
    assert status == 400, answer
    assert answer == {"__type": "SerializationException",
                      "message": "Unknown member 'triggers' for CreateUserPool."}  # fmt: skip
    boto = admin(emulator)
    pools = boto.list_user_pools(MaxResults=60)["UserPools"]
    assert name not in [pool["Name"] for pool in pools]  # nothing half-written

    # A pool made the usual way cannot be given triggers afterwards either.
    pool_id = boto.create_user_pool(PoolName=name)["UserPool"]["Id"]
    status, _, answer = signed(emulator, "UpdateUserPool",
                               {"UserPoolId": pool_id, "triggers": str(payload)})  # fmt: skip
    assert (status, answer["__type"]) == (400, "SerializationException"), answer
    client_id = boto.create_user_pool_client(
        UserPoolId=pool_id, ClientName="c", ExplicitAuthFlows=["ALLOW_CUSTOM_AUTH"]
    )["UserPoolClient"]["ClientId"]
    error = emulator.fail("InitiateAuth", {"AuthFlow": "CUSTOM_AUTH", "ClientId": client_id,
                                           "AuthParameters": {"USERNAME": "anyone"}})
    assert (error.type, error.message) == (
        "InvalidParameterException",
        "Custom auth lambda trigger is not configured for the user pool.",
    )
    assert not marker.exists()
    assert "triggers" not in json.dumps(boto.describe_user_pool(UserPoolId=pool_id), default=str)
    boto.delete_user_pool(UserPoolId=pool_id)


def test_unknown_members_are_refused_in_public_actions_too(emulator):
    status, _, body = emulator.http(
        "POST", "/",
        json.dumps({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": emulator.client_id,
                    "AuthParameters": {"USERNAME": "x", "PASSWORD": "y"},
                    "Extra": "secret-value"}).encode(),
        {"Content-Type": JSON11, "X-Amz-Target": TARGET + "InitiateAuth"},
    )  # fmt: skip
    assert status == 400
    assert json.loads(body) == {"__type": "SerializationException",
                                "message": "Unknown member 'Extra' for InitiateAuth."}
    assert b"secret-value" not in body  # never the value


def _generator():
    path = os.path.join(ROOT, "scripts", "request_members.py")
    spec = importlib.util.spec_from_file_location("request_members_script", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_known_members_file_is_what_the_installed_botocore_gives():
    generator = _generator()
    with open(generator.TARGET, encoding="utf-8") as handle:
        shipped = handle.read()
    expected = generator.render(generator.members())
    # The first line names the botocore version; the members must be the same.
    assert shipped.split("\n", 1)[1] == expected.split("\n", 1)[1], (
        "run scripts/request_members.py: the shipped member lists differ from botocore's"
    )
    from pycognito_emulator._request_members import MEMBERS

    assert "Policies" in MEMBERS["AWSCognitoIdentityProviderService"]["CreateUserPool"]
    _app.load_actions()
    missing = [target for target, action in _registry.ACTIONS.items()
               if action.name not in MEMBERS.get(action.service, {})]  # fmt: skip
    assert not missing, "registered actions botocore's model does not define: %s" % missing


def test_the_emulator_warns_when_it_listens_beyond_loopback_with_the_default_keys(tmp_path):
    from pycognito_emulator.__main__ import exposure_warning

    for host in ("127.0.0.1", "127.1.2.3", "localhost", "::1"):
        assert exposure_warning(host, "test", "test") is None, host
    for host in ("0.0.0.0", "::", "192.0.2.1"):
        assert "WARNING" in exposure_warning(host, "test", "test"), host
    assert exposure_warning("0.0.0.0", "mine", "s3cret") is None
    # At start, before anything else (192.0.2.1 is a documentation address: the bind
    # fails, so nothing ever listens and no traffic leaves this machine).
    run = subprocess.run(
        [sys.executable, "-m", "pycognito_emulator", "--host", "192.0.2.1", "--port", "0",
         "--data", ":memory:"],
        cwd=str(tmp_path), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode == 1
    assert run.stderr.startswith("!" * 78 + "\nWARNING: the emulator listens on 192.0.2.1")
    assert "test/test" in run.stderr


# DNS rebinding: the outbox and the clock answer loopback names only -------------------------


@pytest.mark.parametrize("host", ["evil.example", "evil.example:9229", "127.0.0.1.evil.example",
                                  "localhost.evil.example", "10.0.0.1", "[::2]:80", ""])
def test_a_rebinding_page_cannot_read_the_outbox_or_move_the_clock(emulator, host):
    # A page on evil.example whose name now points at 127.0.0.1: a same-origin request,
    # so no Origin header, and its own name in Host.
    username = unique("rebind")
    emulator.call("SignUp", {"ClientId": emulator.client_id, "Username": username,
                             "Password": PASSWORD,
                             "UserAttributes": [{"Name": "email",
                                                 "Value": username + "@example.com"}]})
    for method, path, body in (("GET", "/_emulator/messages", None),
                               ("GET", "/_emulator/messages?username=" + username, None),
                               ("GET", "/_emulator/health", None),
                               ("POST", "/_emulator/clock", b'{"advance": 3600}')):
        status, headers, answer = emulator.http(method, path, body, {"Host": host})
        assert status == 403, (host, path, answer)
        assert username.encode() not in answer and b"code" not in answer
        assert "access-control-allow-origin" not in headers
    assert emulator.last_code(username)  # the outbox itself is still there for loopback


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST:9229", "127.0.0.1", "127.0.0.1:1",
                                  "127.255.0.9:65535", "[::1]", "[::1]:9229"])
def test_the_outbox_answers_loopback_names(emulator, host):
    status, _, answer = emulator.http("GET", "/_emulator/health", None, {"Host": host})
    assert status == 200, (host, answer)
    assert json.loads(answer)["status"] == "ok"


# Every input gets a well-formed answer ---------------------------------------------------

HOSTILE = ["a\x00b", "a\rb", "a\nb", "a\r\nX-Injected: 1", "trailing ", "\x00", "caf\xe9",
           "snow\u2603man", "\x7f\x1b[31m", "x" * 5000]  # fmt: skip


@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: repr(v[:12]))
def test_header_hostile_values_get_a_well_formed_answer(emulator, value):
    for action, body in (
        ("InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": value,
                          "AuthParameters": {"USERNAME": "x", "PASSWORD": "y"}}),
        ("ForgotPassword", {"ClientId": value, "Username": "x"}),
        ("GetUser", {"AccessToken": value}),
        ("SignUp", {"ClientId": emulator.client_id, "Username": value, "Password": value}),
    ):  # fmt: skip
        status, headers, answer = emulator.http(
            "POST", "/", json.dumps(body).encode(),
            {"Content-Type": JSON11, "X-Amz-Target": TARGET + action},
        )  # fmt: skip
        assert 400 <= status < 500, (action, status, answer)
        data = json.loads(answer)
        assert headers["x-amzn-errortype"] == data["__type"] + ":"
        shown = headers.get("x-amzn-errormessage", "")
        assert shown == shown.strip() and all(" " <= c < "\x7f" for c in shown), shown


def test_a_sigv4_error_ending_in_a_space_gets_a_well_formed_answer(emulator):
    # AWS's message for a credential scoped to another service ends in a space.
    raw = json.dumps({"MaxResults": 1}).encode()
    request = AWSRequest(method="POST", url=emulator.url + "/", data=raw,
                         headers={"Content-Type": JSON11,
                                  "X-Amz-Target": TARGET + "ListUserPools"})  # fmt: skip
    SigV4Auth(Credentials("test", "test"), "s3", "us-east-1").add_auth(request)
    status, headers, answer = emulator.http("POST", "/", raw, dict(request.headers.items()))
    data = json.loads(answer)
    assert (status, data["__type"]) == (400, "InvalidSignatureException"), answer
    assert data["message"] == "Credential should be scoped to correct service: 'cognito-idp'. "
    assert headers["x-amzn-errormessage"] == data["message"].strip()


# The data is for its owner only ------------------------------------------------------------


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def _run_emulator(tmp_path, env, *args):
    """Start the emulator (umask 022, as a shell's usual), sign one user up so that
    the WAL and shared-memory files exist, and stop it."""
    process = subprocess.Popen(
        [sys.executable, "-m", "pycognito_emulator", "--port", "0", *args],
        cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, **env), preexec_fn=lambda: os.umask(0o022),
    )  # fmt: skip
    try:
        line = process.stdout.readline()
        assert " on " in line, process.stderr.read()
        url = line.split(" on ", 1)[1].strip()
        boto = boto3.client("cognito-idp", endpoint_url=url, region_name="us-east-1",
                            aws_access_key_id="test", aws_secret_access_key="test")  # fmt: skip
        pool_id = boto.create_user_pool(PoolName="modes")["UserPool"]["Id"]
        boto.admin_create_user(UserPoolId=pool_id, Username="ann", MessageAction="SUPPRESS",
                               TemporaryPassword=PASSWORD)  # fmt: skip
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_the_data_file_and_its_wal_are_owner_only(tmp_path):
    home = tmp_path / "xdg"
    folder = home / "pycognito-web"
    data = folder / "emulator.sqlite3"
    process_env = {"XDG_DATA_HOME": str(home)}
    # The default place, as a first run makes it: the WAL and SHM are checked while the
    # emulator runs (a clean stop may remove them), so look from a second connection.
    process = subprocess.Popen(
        [sys.executable, "-m", "pycognito_emulator", "--port", "0"], cwd=str(tmp_path),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, **process_env), preexec_fn=lambda: os.umask(0o022),
    )  # fmt: skip
    try:
        line = process.stdout.readline()
        assert " on " in line, process.stderr.read()
        url = line.split(" on ", 1)[1].strip()
        boto = boto3.client("cognito-idp", endpoint_url=url, region_name="us-east-1",
                            aws_access_key_id="test", aws_secret_access_key="test")  # fmt: skip
        boto.create_user_pool(PoolName="modes")
        assert os.path.exists(str(data) + "-wal") and os.path.exists(str(data) + "-shm")
        assert _mode(folder) == 0o700
        for path in (data, str(data) + "-wal", str(data) + "-shm"):
            assert _mode(path) == 0o600, (path, oct(_mode(path)))
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert _mode(home) == 0o700  # made by the emulator too


def test_an_existing_data_file_is_tightened_and_new_folders_are_0700(tmp_path):
    os.chmod(tmp_path, 0o755)
    old = tmp_path / "old.sqlite3"
    old.write_bytes(b"")
    os.chmod(old, 0o644)
    _run_emulator(tmp_path, {}, "--data", str(old))
    assert _mode(old) == 0o600
    assert _mode(tmp_path) == 0o755  # a folder that was there is left as it was
    nested = tmp_path / "new" / "deeper" / "data.sqlite3"
    _run_emulator(tmp_path, {}, "--data", str(nested))
    assert _mode(nested) == 0o600
    assert _mode(tmp_path / "new") == 0o700 and _mode(tmp_path / "new" / "deeper") == 0o700


# PreventUserExistenceErrors: an unknown name looks like a real user --------------------------

QUIET = {"ClientName": "quiet", "PreventUserExistenceErrors": "ENABLED",
         "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH"]}  # fmt: skip
EXISTENCE_CONFIG = {"pools": [
    {"PoolName": "named", "clients": [QUIET]},
    {"PoolName": "by-email", "UsernameAttributes": ["email"], "clients": [QUIET]},
    {"PoolName": "no-case", "UsernameConfiguration": {"CaseSensitive": False},
     "clients": [QUIET]},
]}  # fmt: skip
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


class InProcess:
    """The emulator's ASGI app called in-process (so a test can count its work)."""

    def __init__(self, config):
        from pycognito_emulator.server import build

        self.built = build(config=config, data=":memory:")
        self.pools = self.built.pools

    def http(self, method, path, body=b""):
        sent, chunks = [], [{"type": "http.request", "body": body, "more_body": False}]

        async def receive():
            return chunks.pop(0) if chunks else {"type": "http.disconnect"}

        async def send(message):
            sent.append(message)

        target = path.split("?", 1)
        scope = {"type": "http", "method": method, "path": target[0], "raw_path": path.encode(),
                 "query_string": (target[1] if len(target) > 1 else "").encode(),
                 "headers": [(b"host", b"127.0.0.1"), (b"content-type", JSON11.encode())],
                 "client": ("127.0.0.1", 1)}  # fmt: skip
        asyncio.run(self.built.app(scope, receive, send))
        return sent[0]["status"], json.loads(sent[1]["body"] or b"{}")

    def call(self, action, body, expect=200):
        sent, chunks = [], [{"type": "http.request", "body": json.dumps(body).encode(),
                             "more_body": False}]  # fmt: skip

        async def receive():
            return chunks.pop(0) if chunks else {"type": "http.disconnect"}

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "method": "POST", "path": "/", "raw_path": b"/",
                 "query_string": b"", "client": ("127.0.0.1", 1),
                 "headers": [(b"host", b"127.0.0.1"), (b"content-type", JSON11.encode()),
                             (b"x-amz-target", (TARGET + action).encode())]}  # fmt: skip
        asyncio.run(self.built.app(scope, receive, send))
        answer = json.loads(sent[1]["body"])
        assert sent[0]["status"] == expect, answer
        return answer

    def user(self, pool, username, email=None):
        client = self.pools[pool]["clients"]["quiet"]["id"]
        attributes = [{"Name": "email", "Value": email}] if email else []
        self.call("SignUp", {"ClientId": client, "Username": username, "Password": PASSWORD,
                             "UserAttributes": attributes})  # fmt: skip
        return username


@pytest.fixture(scope="module")
def quiet():
    emulator = InProcess(EXISTENCE_CONFIG)
    yield emulator
    emulator.built.close()


def _srp_start(quiet, pool, name):
    attempt = SrpSignIn(quiet.call, quiet.pools[pool]["id"],
                        quiet.pools[pool]["clients"]["quiet"]["id"], name, PASSWORD)  # fmt: skip
    return attempt, attempt.start()["ChallengeParameters"]


def _real_salt_shape(salt):
    value = int(salt, 16)
    return value < 2**128 and _srp.pad_hex(value) == salt


def test_an_unknown_names_srp_challenge_is_shaped_like_a_real_users(quiet):
    real = quiet.user("named", "realname")
    _, known = _srp_start(quiet, "named", real)
    salts = []
    for number in range(40):
        name = "nobody-%d" % number
        _, first = _srp_start(quiet, "named", name)
        _, again = _srp_start(quiet, "named", name)
        assert sorted(first) == sorted(known)
        assert (first["USERNAME"], first["USER_ID_FOR_SRP"]) == (name, name)
        assert first["SALT"] == again["SALT"] and first["SRP_B"] != again["SRP_B"]  # stable
        salts.append(first["SALT"])
    assert _real_salt_shape(known["SALT"])
    assert all(_real_salt_shape(salt) for salt in salts), salts
    # Email as username: a real user shows its sub; so does an unknown address, stably.
    quiet.user("by-email", "ann@example.com", email="ann@example.com")
    _, ann = _srp_start(quiet, "by-email", "ann@example.com")
    _, ghost = _srp_start(quiet, "by-email", "ghost@example.com")
    _, ghost_again = _srp_start(quiet, "by-email", "ghost@example.com")
    assert UUID.match(ann["USERNAME"]) and UUID.match(ghost["USERNAME"]), (ann, ghost)
    assert ghost["USERNAME"] == ghost["USER_ID_FOR_SRP"] == ghost_again["USERNAME"]
    # Case-insensitive pool: a real user shows its stored form whatever case was typed,
    # never the typed one; an unknown name shows one form (lower case) however typed.
    quiet.user("no-case", "MixedCase")
    _, mixed = _srp_start(quiet, "no-case", "MIXEDCASE")
    _, unknown = _srp_start(quiet, "no-case", "UnKnown")
    _, unknown_again = _srp_start(quiet, "no-case", "UNKNOWN")
    assert mixed["USERNAME"] == "MixedCase"
    assert unknown["USERNAME"] == unknown_again["USERNAME"] == "unknown"


class _Counter:
    def __init__(self, monkeypatch):
        from pycognito_emulator import _srp_server

        self.calls = 0
        original = _srp_server.mod_pow

        def counted(base, exponent):
            self.calls += 1
            return original(base, exponent)

        monkeypatch.setattr(_srp_server, "mod_pow", counted)

    def during(self, function, *args, **named):
        before = self.calls
        function(*args, **named)
        return self.calls - before


def test_an_unknown_name_costs_the_same_work_as_a_real_user(quiet, monkeypatch):
    counter = _Counter(monkeypatch)
    real = quiet.user("named", "worker")
    client = quiet.pools["named"]["clients"]["quiet"]["id"]
    pool_id = quiet.pools["named"]["id"]
    for name in (real, "no-such-worker"):
        attempt = SrpSignIn(quiet.call, pool_id, client, name, PASSWORD)
        assert counter.during(attempt.start) == 1, name  # B = kv + g^b
        responses = attempt.responses(password="Wrong-passw0rd!")
        work = counter.during(quiet.call, "RespondToAuthChallenge", {
            "ChallengeName": "PASSWORD_VERIFIER", "ClientId": client,
            "Session": attempt.challenge["Session"], "ChallengeResponses": responses,
        }, expect=400)  # fmt: skip
        assert work == 2, (name, work)  # v^u, then (A v^u)^b
        work = counter.during(quiet.call, "InitiateAuth", {
            "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client,
            "AuthParameters": {"USERNAME": name, "PASSWORD": "Wrong-passw0rd!"},
        }, expect=400)  # fmt: skip
        assert work == 1, (name, work)  # g^x for the typed password


def test_fake_delivery_destinations_are_masked_like_real_ones_and_stable(quiet):
    client = quiet.pools["named"]["clients"]["quiet"]["id"]
    seen = []
    for number in range(30):
        name = "ghost-%d" % number
        first = quiet.call("ForgotPassword", {"ClientId": client, "Username": name})
        again = quiet.call("ResendConfirmationCode", {"ClientId": client, "Username": name})
        destination = first["CodeDeliveryDetails"]["Destination"]
        assert re.match(r"^[a-z0-9]\*\*\*@[a-z]\*\*\*$", destination), destination
        assert again["CodeDeliveryDetails"]["Destination"] == destination
        seen.append(destination)
    # Not one constant domain letter, nor the typed name's first letter.
    assert len({d.split("@")[1] for d in seen}) > 3 and len({d[0] for d in seen}) > 3, seen
