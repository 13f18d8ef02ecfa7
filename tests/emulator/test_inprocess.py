"""Pieces of the emulator tested in-process: the admin gate, config, store, SRP math."""

import asyncio
import json

import pytest

from pycognito_emulator import _app, _auth, _config, _srp_server, _store, _tokens
from pycognito_emulator._context import Settings
from pycognito_emulator._errors import ServiceError
from pycognito_emulator._registry import ACTIONS, Field, action
from pycognito_web import _srp


def test_admin_actions_need_a_signature():
    request = _app.Request(
        "POST", "/", b"", [("x-amz-target", "AWSCognitoIdentityProviderService.X")], b"{}", None
    )
    with pytest.raises(ServiceError) as caught:
        _app.check_admin_request(request, Settings(), 0)
    assert caught.value.error_type == "MissingAuthenticationTokenException"


def test_admin_actions_refuse_browsers_even_when_signed():
    request = _app.Request(
        "POST", "/", b"", [("origin", "http://evil.example"), ("authorization", "AWS4...")],
        b"{}", None,
    )  # fmt: skip
    with pytest.raises(ServiceError) as caught:
        _app.check_admin_request(request, Settings(), 0)
    assert (caught.value.error_type, caught.value.status) == ("AccessDeniedException", 403)


def asgi(app, method, path, body=b"", headers=()):
    """Run one request through the ASGI app; returns (status, headers dict, body)."""
    sent = []
    chunks = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        return chunks.pop(0) if chunks else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http", "method": method, "path": path, "raw_path": path.encode(),
        "query_string": b"", "headers": [(k.encode(), v.encode()) for k, v in headers],
        "client": ("127.0.0.1", 1),
    }  # fmt: skip
    asyncio.run(app(scope, receive, send))
    start, body_message = sent
    return start["status"], dict(start["headers"]), body_message["body"]


@pytest.fixture
def app():
    store = _store.Store(":memory:")
    application = _app.EmulatorApp(store, Settings())
    yield application
    application.executor.shutdown()
    store.close()


def test_an_unsigned_admin_call_gets_no_cors_and_no_run(app):
    ran = []
    name = "TestOnlyAdminAction"

    @action(name, fields=[Field("X")], public=False)
    def handler(ctx, body):
        ran.append(body)
        return {}

    try:
        status, headers, body = asgi(
            app, "POST", "/", b"{}", [("x-amz-target", "AWSCognitoIdentityProviderService." + name)]
        )
    finally:
        del ACTIONS["AWSCognitoIdentityProviderService." + name]
    assert status == 400 and not ran
    assert json.loads(body)["__type"] == "MissingAuthenticationTokenException"
    assert b"access-control-allow-origin" not in headers


def test_a_bug_is_a_500_without_trace(app, capsys):
    name = "TestOnlyBrokenAction"

    @action(name)
    def handler(ctx, body):
        raise KeyError("internal detail")

    try:
        status, _, body = asgi(
            app, "POST", "/", b"{}", [("x-amz-target", "AWSCognitoIdentityProviderService." + name)]
        )
    finally:
        del ACTIONS["AWSCognitoIdentityProviderService." + name]
    assert status == 500
    assert json.loads(body) == {
        "__type": "InternalErrorException",
        "message": "An internal error occurred.",
    }
    assert b"internal detail" not in body
    assert "internal detail" in capsys.readouterr().err  # the console gets the trace


def test_a_failed_handler_rolls_back_but_service_errors_commit():
    store = _store.Store(":memory:")
    with pytest.raises(KeyError):
        with store.transaction():
            store.add_message("p", "u", "k", "d", "1", 0)
            raise KeyError("bug")
    assert store.messages() == []
    with pytest.raises(ServiceError):
        with store.transaction():
            store.add_message("p", "u", "k", "d", "1", 0)
            raise ServiceError("NotAuthorizedException", "no")
    assert len(store.messages()) == 1


def test_config_is_idempotent_and_validated(tmp_path):
    store = _store.Store(str(tmp_path / "db.sqlite3"))
    config = {
        "pools": [
            {
                "PoolName": "p",
                "Id": "eu-west-1_Fixed1234",
                "clients": [{"ClientName": "c", "ClientId": "fixedclient", "GenerateSecret": True}],
            }
        ]
    }
    first = _config.apply_config(store, config, "us-east-1", 0, _tokens.make_pool_keys)
    second = _config.apply_config(store, config, "us-east-1", 1, _tokens.make_pool_keys)
    assert first == second
    assert first["pools"][0]["id"] == "eu-west-1_Fixed1234"
    assert first["pools"][0]["clients"][0]["id"] == "fixedclient"
    assert len(first["pools"][0]["clients"][0]["secret"]) == 51
    assert len(store.pool_keys("eu-west-1_Fixed1234")) == 2
    other = {"pools": [{"PoolName": "q", "Id": "eu-west-1_Fixed1234"}]}
    with pytest.raises(ValueError):
        _config.apply_config(store, other, "us-east-1", 0, _tokens.make_pool_keys)
    for bad in (
        {"PoolName": "x", "Policies": {"PasswordPolicy": {"MinimumLength": 3}}},
        {"PoolName": "x", "UsernameAttributes": ["email"], "AliasAttributes": ["email"]},
        {"PoolName": "x", "MfaConfiguration": "SOMETIMES"},
        {"PoolName": "x", "clients": [{"ClientName": "c", "ExplicitAuthFlows": ["MAGIC"]}]},
        {"PoolName": "x", "clients": [{"ClientName": "c", "AccessTokenValidity": 25}]},
        {"PoolName": "p", "clients": [{"ClientName": "c", "ExplicitAuthFlows": "ALL"}]},
    ):
        with pytest.raises(ValueError):
            _config.apply_config(store, {"pools": [bad]}, "us-east-1", 0, _tokens.make_pool_keys)
    # Nothing of a refused config was kept.
    assert [pool["Name"] for pool in store.list_pools()] == ["p"]
    assert store.list_clients("eu-west-1_Fixed1234")[0]["ExplicitAuthFlows"] == (
        _config.DEFAULT_FLOWS
    )


def test_client_defaults():
    client = _config.normalize_client({"ClientName": "c"})
    assert client["ExplicitAuthFlows"] == _config.DEFAULT_FLOWS
    assert _config.token_seconds(client, "AccessToken") == 3600
    assert _config.token_seconds(client, "RefreshToken") == 30 * 86400
    client = _config.normalize_client(
        {"ClientName": "c", "AccessTokenValidity": 2, "ExplicitAuthFlows": ["USER_PASSWORD_AUTH"]}
    )
    assert _config.token_seconds(client, "AccessToken") == 7200  # hours without units
    assert client["ExplicitAuthFlows"] == ["ALLOW_USER_PASSWORD_AUTH"]


def test_server_srp_matches_the_client_math():
    import os

    salt_hex, verifier_hex = _srp_server.make_verifier("Pool1", "alice", "pw")
    assert _srp_server.check_password("Pool1", "alice", "pw", salt_hex, verifier_hex)
    assert not _srp_server.check_password("Pool1", "alice", "pW", salt_hex, verifier_hex)
    b, big_b = _srp_server.server_challenge(verifier_hex)
    a = _srp.small_a(os.urandom(128))
    big_a = _srp.large_a(a)
    key = _srp.authentication_key(a, big_a, big_b, int(salt_hex, 16), "Pool1", "alice", "pw")
    block = "c2VjcmV0"
    stamp = _srp.timestamp(0)
    client_signature = _srp.claim_signature(key, "Pool1", "alice", block, stamp)
    expected = _srp_server.expected_signature(
        "Pool1", "alice", verifier_hex, big_a, b, big_b, block, stamp
    )
    assert _srp_server.signatures_match(expected, client_signature)
    assert not _srp_server.signatures_match(expected, "é" + client_signature[1:])
    assert _srp_server.parse_a("0") is None
    assert _srp_server.parse_a(_srp.N_HEX) is None


@pytest.mark.parametrize(
    "text, epoch",
    [
        ("Thu Jan 1 00:00:00 UTC 1970", 0),
        ("Tue May 7 00:09:40 UTC 2024", 1715040580),
        ("Tue May 07 00:09:40 UTC 2024", 1715040580),
        ("Tue Feb 30 00:09:40 UTC 2024", None),
        ("Tue May 7 00:09:40 UTC 24", None),
    ],
)
def test_timestamp_parsing(text, epoch):
    assert _auth.parse_timestamp(text) == epoch
    if epoch is not None:
        assert _auth.parse_timestamp(_srp.timestamp(epoch)) == epoch


class InProcess:
    """The emulator app without a socket: a store in memory, one pool, one client."""

    def __init__(self, app):
        self.app = app
        config = {
            "pools": [
                {
                    "PoolName": "p",
                    "Schema": [{"Name": "name", "Required": True}],
                    "Policies": {"PasswordPolicy": {"TemporaryPasswordValidityDays": 1}},
                    "clients": [
                        {"ClientName": "c", "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"]}
                    ],
                }
            ]
        }
        summary = _config.apply_config(app.store, config, "us-east-1", 0, _tokens.make_pool_keys)
        self.pool_id = summary["pools"][0]["id"]
        self.client_id = summary["pools"][0]["clients"][0]["id"]

    def call(self, name, body):
        status, _, raw = asgi(
            self.app,
            "POST",
            "/",
            json.dumps(body).encode(),
            [("x-amz-target", "AWSCognitoIdentityProviderService." + name)],
        )
        return status, json.loads(raw)

    def admin_created_user(self, username, password):
        from pycognito_emulator import _accounts
        from pycognito_emulator._context import Context

        ctx = Context(self.app.store, self.app.settings)
        with self.app.store.transaction():
            pool = self.app.store.get_pool(self.pool_id)
            user = _accounts.new_user(ctx, pool, username, {"email": "x@example.com"}, None, "")
            _accounts.set_temporary_password(ctx, pool, user, password)
            self.app.store.save_user(user)


def test_new_password_required_for_admin_created_users(app):
    emu = InProcess(app)
    emu.admin_created_user("temp", "Temp0rary!")
    login = {
        "AuthFlow": "USER_PASSWORD_AUTH",
        "ClientId": emu.client_id,
        "AuthParameters": {"USERNAME": "temp", "PASSWORD": "Temp0rary!"},
    }
    status, answer = emu.call("InitiateAuth", login)
    assert status == 200 and answer["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    parameters = answer["ChallengeParameters"]
    assert json.loads(parameters["userAttributes"]) == {"email": "x@example.com"}
    assert json.loads(parameters["requiredAttributes"]) == ["userAttributes.name"]
    respond = {
        "ChallengeName": "NEW_PASSWORD_REQUIRED",
        "ClientId": emu.client_id,
        "Session": answer["Session"],
        "ChallengeResponses": {"USERNAME": "temp", "NEW_PASSWORD": "weak"},
    }
    status, error = emu.call("RespondToAuthChallenge", respond)
    assert error["__type"] == "InvalidPasswordException"
    respond["ChallengeResponses"]["NEW_PASSWORD"] = "Final-passw0rd"
    status, error = emu.call("RespondToAuthChallenge", respond)
    assert (
        error["message"]
        == "Attributes did not conform to the schema: name: The attribute is required"
    )
    # Those refusals left the session usable.
    respond["ChallengeResponses"]["userAttributes.name"] = "Temp"
    status, answer = emu.call("RespondToAuthChallenge", respond)
    assert status == 200 and "IdToken" in answer["AuthenticationResult"]
    status, error = emu.call("RespondToAuthChallenge", respond)
    assert error["message"] == "Invalid session for the user."
    status, error = emu.call("InitiateAuth", login)
    assert error["message"] == "Incorrect username or password."
    login["AuthParameters"]["PASSWORD"] = "Final-passw0rd"
    status, answer = emu.call("InitiateAuth", login)
    assert "AuthenticationResult" in answer


def test_temporary_password_expires(app):
    emu = InProcess(app)
    emu.admin_created_user("late", "Temp0rary!")
    app.settings.clock_offset = 86401
    _, error = emu.call(
        "InitiateAuth",
        {
            "AuthFlow": "USER_PASSWORD_AUTH",
            "ClientId": emu.client_id,
            "AuthParameters": {"USERNAME": "late", "PASSWORD": "Temp0rary!"},
        },
    )
    assert error["message"] == (
        "Temporary password has expired and must be reset by an administrator."
    )
