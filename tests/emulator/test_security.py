"""Security properties of the emulator, each a test, over HTTP.

Already covered elsewhere and not repeated here: wrong password, single-use secret
block, tampered signature, stale and malformed TIMESTAMP, challenge expiry and other
client's challenge (test_srp); the first lockout (test_srp); refresh with another
client's refresh token, GlobalSignOut and RevokeToken for GetUser and refresh
(test_tokens); the SigV4 check itself (test_sigv4); the body size limit (test_service).
"""

import asyncio
import base64
import json
import os
import socket
import sqlite3
import time
import uuid

import boto3
import pytest
from botocore.config import Config
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from emu_helpers import PASSWORD, password_auth, sign_up, signed_in, unique
from emu_srp import SrpSignIn
from support import load as emulator_load

from pycognito_emulator import _app, _registry, _store
from pycognito_emulator._context import Settings
from pycognito_web import _srp

TARGET = "AWSCognitoIdentityProviderService."
JSON11 = "application/x-amz-json-1.1"


@pytest.fixture
def clock(emulator):
    yield emulator
    emulator.reset_clock()


def admin(emulator, secret="test"):
    return boto3.client(
        "cognito-idp", endpoint_url=emulator.url, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key=secret,
        config=Config(retries={"max_attempts": 1}),
    )  # fmt: skip


def srp(emulator, username, password=PASSWORD):
    return SrpSignIn(emulator.call, emulator.pool_id, emulator.client_id, username, password)


def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(jwt):
    part = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


# No plaintext password ------------------------------------------------------------------


def test_no_password_in_any_table_column_file_or_console_line(emulator):
    first, changed, reset, wrong, temporary, admin_set = (
        "Pw-%s-%s!1a" % (name, uuid.uuid4().hex[:12])
        for name in ("first", "changed", "reset", "wrong", "temp", "admin")
    )
    username, _ = sign_up(emulator, password=first)
    tokens = password_auth(emulator, username, first)
    emulator.call("ChangePassword", {"AccessToken": tokens["AccessToken"],
                                     "PreviousPassword": first, "ProposedPassword": changed})
    emulator.fail("InitiateAuth", {
        "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": emulator.client_id,
        "AuthParameters": {"USERNAME": username, "PASSWORD": wrong},
    })  # fmt: skip
    emulator.call("ForgotPassword", {"ClientId": emulator.client_id, "Username": username})
    emulator.call("ConfirmForgotPassword", {
        "ClientId": emulator.client_id, "Username": username, "Password": reset,
        "ConfirmationCode": emulator.last_code(username),
    })  # fmt: skip
    boto = admin(emulator)
    invited = unique("invited")
    boto.admin_create_user(
        UserPoolId=emulator.pool_id, Username=invited, TemporaryPassword=temporary,
        UserAttributes=[{"Name": "email", "Value": invited + "@example.com"}],
        MessageAction="SUPPRESS",
    )  # fmt: skip
    boto.admin_set_user_password(
        UserPoolId=emulator.pool_id, Username=username, Password=admin_set, Permanent=True
    )
    assert password_auth(emulator, username, admin_set)["TokenType"] == "Bearer"
    passwords = [first, changed, reset, wrong, temporary, admin_set]

    # Every text or blob value of every column of every table.
    db = sqlite3.connect("file:%s?mode=ro" % emulator.data, uri=True)
    try:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        values = []
        for table in tables:
            for row in db.execute('SELECT * FROM "%s"' % table):
                values.extend(str(value) if not isinstance(value, bytes)
                              else value.decode("latin-1") for value in row)  # fmt: skip
    finally:
        db.close()
    assert "users" in tables and any(username in value for value in values)  # the scan works
    for password in passwords:
        assert not [value for value in values if password in value], password
    # The raw bytes of the database, its WAL and shared-memory files.
    blob = b"".join(
        open(emulator.data + suffix, "rb").read()
        for suffix in ("", "-wal", "-shm") if os.path.exists(emulator.data + suffix)
    )  # fmt: skip
    assert username.encode() in blob
    for password in passwords:
        assert password.encode() not in blob, password
        assert password.encode("utf-16-le") not in blob, password
    console = "".join(emulator.output)
    for password in passwords:
        assert password not in console


# Replays, secret blocks, sessions, timestamps ---------------------------------------------


def test_a_signature_cannot_be_replayed_on_a_new_challenge(emulator):
    username, _ = sign_up(emulator)
    first = srp(emulator, username)
    first.start()
    old = first.responses()
    first.answer(old)
    second = srp(emulator, username)
    second.start()
    # The old, valid signature with the new secret block, and with the old block.
    replay = dict(old, PASSWORD_CLAIM_SECRET_BLOCK=second.challenge["ChallengeParameters"][
        "SECRET_BLOCK"])  # fmt: skip
    error = emulator.fail("RespondToAuthChallenge", {
        "ChallengeName": "PASSWORD_VERIFIER", "ClientId": emulator.client_id,
        "ChallengeResponses": replay, "Session": second.challenge["Session"],
    })  # fmt: skip
    assert (error.type, error.message) == ("NotAuthorizedException",
                                          "Incorrect username or password.")
    error = emulator.fail("RespondToAuthChallenge", {
        "ChallengeName": "PASSWORD_VERIFIER", "ClientId": emulator.client_id,
        "ChallengeResponses": old,
    })  # fmt: skip
    assert error.type == "NotAuthorizedException"


def test_a_timestamp_from_the_future_is_refused(emulator):
    username, _ = sign_up(emulator)
    attempt = srp(emulator, username)
    attempt.start()
    with pytest.raises(emulator.ApiError) as caught:
        attempt.answer(attempt.responses(stamp=_srp.timestamp(time.time() + 600)))
    assert caught.value.type == "NotAuthorizedException"
    assert "TIMESTAMP" in caught.value.message


def test_an_expired_secret_block_is_refused_even_without_a_session(clock):
    emulator = clock
    username, _ = sign_up(emulator)
    attempt = srp(emulator, username)
    attempt.start()
    emulator.advance_clock(181)
    # Signed with the server's (moved) time, so only the expiry can refuse it.
    stamp = _srp.timestamp(time.time() + 181)
    with pytest.raises(emulator.ApiError) as caught:
        attempt.answer(attempt.responses(stamp=stamp), session=False)
    assert caught.value.type == "NotAuthorizedException"
    assert "expired" in caught.value.message
    with pytest.raises(emulator.ApiError) as caught:  # and it is gone for good
        attempt.answer(attempt.responses(stamp=stamp))
    assert caught.value.message == "Invalid session for the user."


# Lockout ---------------------------------------------------------------------------------


def _wrong(emulator, username):
    return emulator.fail("InitiateAuth", {
        "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": emulator.client_id,
        "AuthParameters": {"USERNAME": username, "PASSWORD": "Wrong-passw0rd"},
    }).message  # fmt: skip


def test_lockout_doubles_does_not_count_attempts_while_locked_and_is_capped(clock):
    emulator = clock
    username, _ = sign_up(emulator)
    for _ in range(5):
        assert _wrong(emulator, username) == "Incorrect username or password."
    for _ in range(3):  # refused while locked, and not counted
        assert _wrong(emulator, username) == "Password attempts exceeded"
    emulator.advance_clock(1.1)
    # The 6th counted failure locks for 2 s (not 2^(6+3-5) s: locked tries did not count).
    assert _wrong(emulator, username) == "Incorrect username or password."
    emulator.advance_clock(1.5)
    assert _wrong(emulator, username) == "Password attempts exceeded"
    emulator.advance_clock(0.7)
    # Failures 7 to 14 lock 4, 8, ... 512 s; the 15th 1024 s, capped at 900 (15 minutes).
    for n in range(7, 15):
        assert _wrong(emulator, username) == "Incorrect username or password.", n
        emulator.advance_clock(2 ** (n - 5) - 0.5)
        assert _wrong(emulator, username) == "Password attempts exceeded", n
        emulator.advance_clock(0.7)
    assert _wrong(emulator, username) == "Incorrect username or password."  # 15th
    emulator.advance_clock(899)
    with pytest.raises(emulator.ApiError) as caught:
        password_auth(emulator, username)
    assert caught.value.message == "Password attempts exceeded"
    emulator.advance_clock(1.5)
    # Released: the right password works and clears the count.
    assert password_auth(emulator, username)["TokenType"] == "Bearer"
    assert _wrong(emulator, username) == "Incorrect username or password."
    assert password_auth(emulator, username)["TokenType"] == "Bearer"


def test_failures_are_forgotten_after_15_quiet_minutes(clock):
    emulator = clock
    username, _ = sign_up(emulator)
    for _ in range(4):
        _wrong(emulator, username)
    emulator.advance_clock(15 * 60 + 5)
    _wrong(emulator, username)  # a first failure again, not the fifth
    assert password_auth(emulator, username)["TokenType"] == "Bearer"
    for _ in range(4):
        _wrong(emulator, username)
    emulator.advance_clock(60)
    _wrong(emulator, username)  # the fifth within 15 minutes: locked
    assert _wrong(emulator, username) == "Password attempts exceeded"


# Other pools and other clients -----------------------------------------------------------


def _forge(emulator, pool_name, use, claims):
    """A token signed with a key of another pool of this emulator (read from its file)."""
    db = sqlite3.connect("file:%s?mode=ro" % emulator.data, uri=True)
    try:
        kid, pem = db.execute(
            "SELECT kid, private_pem FROM pool_keys WHERE pool_id = ? AND use = ?",
            (emulator.pools[pool_name]["id"], use),
        ).fetchone()
    finally:
        db.close()
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    head = _b64(json.dumps({"kid": kid, "alg": "RS256"}).encode())
    body = _b64(json.dumps(claims).encode())
    signature = key.sign((head + "." + body).encode(), padding.PKCS1v15(), hashes.SHA256())
    return head + "." + body + "." + _b64(signature)


def test_a_token_of_another_pool_is_refused(emulator):
    _, _, tokens = signed_in(emulator)
    claims = _claims(tokens["AccessToken"])
    # The main pool's claims (its user, its live session) under the "email" pool's key.
    forged = _forge(emulator, "email", "access", claims)
    for action, body in (("GetUser", {}), ("UpdateUserAttributes", {"UserAttributes": [
            {"Name": "team", "Value": "forged"}]}), ("GlobalSignOut", {})):  # fmt: skip
        error = emulator.fail(action, dict(body, AccessToken=forged))
        assert error.type in ("NotAuthorizedException", "UserNotFoundException"), action
    # Nothing happened to the real user or session.
    user = emulator.call("GetUser", {"AccessToken": tokens["AccessToken"]})
    assert "team" not in {item["Name"] for item in user["UserAttributes"]}
    # The main pool's ID-token key does not make access tokens either.
    error = emulator.fail("GetUser", {"AccessToken": _forge(emulator, "main", "id", claims)})
    assert error.type == "NotAuthorizedException"


def test_refresh_and_revoke_with_a_client_of_another_pool_are_refused(emulator):
    _, _, tokens = signed_in(emulator)
    other_client = emulator.pools["email"]["clients"]["web"]["id"]
    error = emulator.fail("InitiateAuth", {
        "AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": other_client,
        "AuthParameters": {"REFRESH_TOKEN": tokens["RefreshToken"]},
    })  # fmt: skip
    assert error.type in ("NotAuthorizedException", "InvalidParameterException")
    error = emulator.fail("RevokeToken", {"Token": tokens["RefreshToken"],
                                          "ClientId": other_client})  # fmt: skip
    assert error.type == "UnauthorizedException"
    emulator.call("GetUser", {"AccessToken": tokens["AccessToken"]})  # still valid


# Revocation ------------------------------------------------------------------------------

ACCESS_TOKEN_ACTIONS = {
    "GetUser": {},
    "UpdateUserAttributes": {"UserAttributes": [{"Name": "team", "Value": "x"}]},
    "DeleteUserAttributes": {"UserAttributeNames": ["team"]},
    "ChangePassword": {"PreviousPassword": PASSWORD, "ProposedPassword": "Other-passw0rd!"},
    "GetUserAttributeVerificationCode": {"AttributeName": "email"},
    "VerifyUserAttribute": {"AttributeName": "email", "Code": "123456"},
    "ListDevices": {},
    "GlobalSignOut": {},
    "DeleteUser": {},
    "SetUserSettings": {"MFAOptions": []},
    "SetUserMFAPreference": {"SoftwareTokenMfaSettings": {"Enabled": False}},
    "AssociateSoftwareToken": {},
}


def _refused_everywhere(emulator, username, tokens):
    for action, body in ACCESS_TOKEN_ACTIONS.items():
        if TARGET + action not in _registry.ACTIONS:
            continue
        error = emulator.fail(action, dict(body, AccessToken=tokens["AccessToken"]))
        assert (error.type, error.message) == (
            "NotAuthorizedException", "Access Token has been revoked"), action
    error = emulator.fail("InitiateAuth", {
        "AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": emulator.client_id,
        "AuthParameters": {"REFRESH_TOKEN": tokens["RefreshToken"]},
    })  # fmt: skip
    assert error.message == "Refresh Token has been revoked"
    # Nothing the revoked token asked for happened (DeleteUser, ChangePassword...).
    assert password_auth(emulator, username)["TokenType"] == "Bearer"


def test_revoked_tokens_are_refused_by_every_action_and_after_a_kill(emulator):
    _app.load_actions()
    username, _, signed_out = signed_in(emulator)
    revoked = password_auth(emulator, username)
    admin_signed_out = password_auth(emulator, username)
    emulator.call("RevokeToken", {"Token": revoked["RefreshToken"],
                                  "ClientId": emulator.client_id})  # fmt: skip
    _refused_everywhere(emulator, username, revoked)
    emulator.call("GlobalSignOut", {"AccessToken": signed_out["AccessToken"]})
    _refused_everywhere(emulator, username, signed_out)
    later = password_auth(emulator, username)
    admin(emulator).admin_user_global_sign_out(UserPoolId=emulator.pool_id, Username=username)
    for tokens in (later, admin_signed_out):
        _refused_everywhere(emulator, username, tokens)
    emulator.restart(kill=True)
    for tokens in (revoked, signed_out, later):
        _refused_everywhere(emulator, username, tokens)


# Admin actions need SigV4; CORS -----------------------------------------------------------


def _raw_admin(emulator, action, body, headers=()):
    status, answer_headers, raw = emulator.http("POST", "/", json.dumps(body).encode(), dict(
        {"Content-Type": JSON11, "X-Amz-Target": TARGET + action}, **dict(headers)))
    return status, answer_headers, json.loads(raw)


def test_every_admin_action_is_refused_without_a_valid_signature(emulator):
    _app.load_actions()
    username, _ = sign_up(emulator)
    admins = sorted(a.name for a in _registry.ACTIONS.values()
                    if not a.public and a.service + "." == TARGET)  # fmt: skip
    assert "AdminDeleteUser" in admins and len(admins) >= 10
    body = {"UserPoolId": emulator.pool_id, "Username": username, "Password": "Admin-passw0rd!",
            "Permanent": True, "PoolName": "x", "ClientId": emulator.client_id}  # fmt: skip
    forged = ("AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/cognito-idp/aws4_request, "
              "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64)  # fmt: skip
    for action in admins:
        for headers in ((), (("Authorization", forged), ("X-Amz-Date", "20260101T000000Z"))):
            status, answer_headers, data = _raw_admin(emulator, action, body, headers)
            assert status in (400, 403), (action, data)
            assert data["__type"] in ("MissingAuthenticationTokenException",
                                      "IncompleteSignatureException",
                                      "InvalidSignatureException",
                                      "UnrecognizedClientException"), (action, data)  # fmt: skip
            assert "access-control-allow-origin" not in answer_headers
        status, answer_headers, data = _raw_admin(
            emulator, action, body, (("Origin", "http://127.0.0.1:8000"),))
        assert (status, data["__type"]) == (403, "AccessDeniedException"), action
        assert "access-control-allow-origin" not in answer_headers
    # A wrong secret, through boto3's real signing.
    with pytest.raises(Exception) as caught:
        admin(emulator, secret="wrong").admin_delete_user(
            UserPoolId=emulator.pool_id, Username=username)
    assert "Signature" in str(caught.value) or "signature" in str(caught.value)
    # None of it ran: the user is there with the old password.
    assert password_auth(emulator, username)["TokenType"] == "Bearer"
    # And correctly signed, it runs (the gate is not just closed).
    assert admin(emulator).admin_get_user(
        UserPoolId=emulator.pool_id, Username=username)["Username"] == username


def test_public_answers_allow_any_origin_admin_answers_none(emulator):
    status, headers, _ = emulator.http("POST", "/", b"{}", {
        "Content-Type": JSON11, "X-Amz-Target": TARGET + "GetUser",
        "Origin": "https://app.example"})  # fmt: skip
    assert headers["access-control-allow-origin"] == "*"
    username, _ = sign_up(emulator)
    # A correctly signed admin call: its answer is not readable by pages.
    client = admin(emulator)
    seen = {}
    client.meta.events.register(
        "after-call.cognito-idp.AdminGetUser",
        lambda http_response, **_: seen.update(http_response.headers),
    )
    client.admin_get_user(UserPoolId=emulator.pool_id, Username=username)
    assert seen and not any(name.lower().startswith("access-control-") for name in seen)
    # JWKS (public keys) are for anyone; preflights cannot name the target (the
    # admin call itself is refused when it carries an Origin, tested above).
    status, headers, _ = emulator.http("GET", "/%s/.well-known/jwks.json" % emulator.pool_id,
                                       headers={"Origin": "https://app.example"})
    assert status == 200 and headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("origin", ["https://evil.example", "http://localhost.evil.example",
                                    "http://127.0.0.1.evil.example", "null"])
def test_outbox_and_clock_refuse_other_origins(emulator, origin):
    username, _ = sign_up(emulator, confirm=False)
    for method, path, body in (("GET", "/_emulator/messages?username=" + username, None),
                               ("GET", "/_emulator/health", None),
                               ("POST", "/_emulator/clock", b'{"advance": 3600}')):
        status, headers, raw = emulator.http(method, path, body, {"Origin": origin})
        assert status == 403, (path, raw)
        assert "access-control-allow-origin" not in headers
        assert username.encode() not in raw
    status, headers, _ = emulator.http("OPTIONS", "/_emulator/messages", headers={
        "Origin": origin, "Access-Control-Request-Method": "GET"})  # fmt: skip
    assert "access-control-allow-origin" not in headers
    # The refused clock call did not move the clock: a fresh token is still valid.
    _, _, tokens = signed_in(emulator)
    emulator.call("GetUser", {"AccessToken": tokens["AccessToken"]})


@pytest.mark.parametrize("origin", ["http://127.0.0.1:8000", "http://localhost:5173",
                                    "http://[::1]:8000", "https://localhost"])
def test_outbox_answers_loopback_pages_by_name(emulator, origin):
    username, _ = sign_up(emulator, confirm=False)
    status, headers, raw = emulator.http(
        "GET", "/_emulator/messages?username=" + username, headers={"Origin": origin})
    assert status == 200 and json.loads(raw)["messages"][0]["username"] == username
    assert headers["access-control-allow-origin"] == origin
    assert headers["vary"] == "Origin"
    status, headers, _ = emulator.http("OPTIONS", "/_emulator/messages", headers={
        "Origin": origin, "Access-Control-Request-Method": "GET"})  # fmt: skip
    assert status == 200 and headers["access-control-allow-origin"] == origin
    # Tools without an Origin (urllib, curl, Node) read it as before.
    assert emulator.messages(username)


# Body size and slow clients -----------------------------------------------------------------


def test_a_chunked_body_over_the_limit_is_refused(emulator):
    host, port = emulator.url.split("//")[1].split(":")
    chunk = b"x" * 65536
    with socket.create_connection((host, int(port)), timeout=20) as sock:
        sock.sendall(
            b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\n"
            b"X-Amz-Target: " + (TARGET + "SignUp").encode() + b"\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        for _ in range(20):  # 1.3 MB, over the 1 MB default
            sock.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
        sock.sendall(b"0\r\n\r\n")
        answer = _read_answer(sock)
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert b'"__type":"InvalidParameterException"' in answer


def _read_answer(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        part = sock.recv(65536)
        if not part:
            return data
        data += part
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
    while len(body) < length:
        part = sock.recv(65536)
        if not part:
            break
        body += part
    return head + b"\r\n\r\n" + body


@pytest.fixture(scope="module")
def impatient(tmp_path_factory):
    """An emulator that gives requests 1 s to arrive and takes 4 KB bodies."""
    folder = str(tmp_path_factory.mktemp("impatient"))
    config = {"pools": [{"PoolName": "slow", "clients": [{"ClientName": "web"}]}]}
    with emulator_load.EmulatorProcess(
        folder, config=config, args=["--request-timeout", "1", "--max-body", "4096"]
    ) as server:
        yield server


def _closed_within(sock, seconds):
    """Wait for the server to close the connection; returns how long it took (or None)."""
    started = time.monotonic()
    sock.settimeout(seconds)
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        return None
    except ConnectionResetError:
        pass
    return time.monotonic() - started


def test_slow_clients_are_cut_off_and_do_not_hold_the_server(impatient):
    _, client_id = impatient.pool("slow")
    host, port = "127.0.0.1", impatient.port
    body = json.dumps({
        "ClientId": client_id, "Username": "slowpoke", "Password": "Slow-passw0rd!",
    }).encode()  # fmt: skip
    idle = socket.create_connection((host, port), timeout=10)  # says nothing at all
    half_head = socket.create_connection((host, port), timeout=10)
    half_head.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: applic")
    # Headers and a complete JSON object, but 64 more bytes promised: never sent.
    half_body = socket.create_connection((host, port), timeout=10)
    half_body.sendall(
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\n"
        b"X-Amz-Target: " + (TARGET + "SignUp").encode() + b"\r\n"
        b"Content-Length: %d\r\n\r\n" % (len(body) + 64) + body
    )
    # Others are served meanwhile.
    conn = emulator_load.Connection(impatient.url)
    assert conn.get_json("/_emulator/health")["status"] == "ok"
    for sock in (idle, half_head, half_body):
        took = _closed_within(sock, 5)
        sock.close()
        assert took is not None and took < 3, "connection not closed"
    # The half-sent SignUp never ran: the name is free.
    answer = conn.call("SignUp", json.loads(body))
    assert answer["UserConfirmed"] is False
    # Slow is fine while the server works: a request sent whole is answered.
    with pytest.raises(emulator_load.ApiError) as caught:
        conn.call("SignUp", dict(json.loads(body), Username="x" * 5000))
    assert caught.value.type == "InvalidParameterException"  # over 4 KB
    conn.close()


def test_a_body_cut_short_by_a_disconnect_runs_nothing():
    store = _store.Store(":memory:")
    app = _app.EmulatorApp(store, Settings())
    ran = []
    name = "TestOnlyRecordingAction"

    @_registry.action(name)
    def handler(ctx, body):
        ran.append(body)
        return {}

    messages = [
        {"type": "http.request", "body": b'{"a": 1}', "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent = []

    async def receive():
        return messages.pop(0)

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http", "method": "POST", "path": "/", "raw_path": b"/", "query_string": b"",
        "headers": [(b"x-amz-target", (TARGET + name).encode())], "client": ("127.0.0.1", 1),
    }  # fmt: skip
    try:
        asyncio.run(app(scope, receive, send))
    finally:
        del _registry.ACTIONS[TARGET + name]
        app.executor.shutdown()
        store.close()
    assert ran == [] and sent == []
