"""The emulator as an HTTP service: health, CORS, wire format, bad input, outbox."""

import json

import pytest

TARGET = "AWSCognitoIdentityProviderService."
JSON11 = "application/x-amz-json-1.1"


def post(emulator, body, target="SignUp", content_type=JSON11):
    headers = {"Content-Type": content_type}
    if target is not None:
        headers["X-Amz-Target"] = TARGET + target
    return emulator.http("POST", "/", body, headers)


def test_health(emulator):
    status, headers, body = emulator.http("GET", "/_emulator/health")
    assert status == 200
    data = json.loads(body)
    assert data["status"] == "ok" and data["pools"] >= 3
    assert headers["x-amzn-requestid"]


def test_cors_preflight_allows_the_sdk_headers(emulator):
    status, headers, _ = emulator.http(
        "OPTIONS",
        "/",
        headers={
            "Origin": "http://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-amz-target,x-amz-user-agent",
        },
    )
    assert status == 200
    assert headers["access-control-allow-origin"] == "*"
    assert "POST" in headers["access-control-allow-methods"]
    allowed = {item.strip() for item in headers["access-control-allow-headers"].split(",")}
    for name in ("content-type", "x-amz-target", "x-amz-user-agent", "cache-control",
                 "authorization", "x-amz-date", "x-amz-security-token"):  # fmt: skip
        assert name in allowed


def test_answers_expose_error_headers_to_pages(emulator):
    status, headers, _ = post(emulator, b"{}", target="GetUser")
    assert status == 400
    assert headers["access-control-allow-origin"] == "*"
    exposed = headers["access-control-expose-headers"].lower()
    for name in ("x-amzn-requestid", "x-amzn-errortype", "x-amzn-errormessage"):
        assert name in exposed


def test_error_wire_format_is_cognitos(emulator):
    error = emulator.fail("InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": "nope"})
    assert error.status == 400
    assert error.body.startswith(b'{"__type":"ResourceNotFoundException","message":')
    assert error.message == "User pool client nope does not exist."
    assert error.headers["x-amzn-errortype"] == "ResourceNotFoundException:"
    assert error.headers["x-amzn-errormessage"] == error.message
    assert error.headers["content-type"] == JSON11
    assert len(error.headers["x-amzn-requestid"]) == 36


def test_unknown_action(emulator):
    status, _, body = post(emulator, b"{}", target="MakeCoffee")
    assert status == 400
    assert json.loads(body)["__type"] == "UnknownOperationException"
    status, _, body = post(emulator, b"{}", target=None)
    assert status == 400 and json.loads(body)["__type"] == "UnknownOperationException"


@pytest.mark.parametrize(
    "raw",
    [b"{", b"[1, 2]", b'"text"', b"\xff\xfe", b'{"ClientId": NaN}', b"[" * 100000],
)
def test_malformed_json_is_a_serialization_error(emulator, raw):
    status, _, body = post(emulator, raw)
    assert status == 400
    assert json.loads(body)["__type"] == "SerializationException"


def test_missing_parameters_are_listed_cognito_style(emulator):
    error = emulator.fail("SignUp", {"ClientId": emulator.client_id})
    assert error.type == "InvalidParameterException"
    assert error.message.startswith("2 validation errors detected: ")
    assert "Value at 'username' failed to satisfy constraint: Member must not be null" in (
        error.message
    )
    assert "Value at 'password' failed to satisfy constraint: Member must not be null" in (
        error.message
    )


def test_constraint_violations(emulator):
    error = emulator.fail(
        "SignUp", {"ClientId": emulator.client_id, "Username": "x" * 129, "Password": "Passw0rd!"}
    )
    assert error.message == (
        "1 validation error detected: Value at 'username' failed to satisfy constraint: "
        "Member must have length less than or equal to 128"
    )
    error = emulator.fail(
        "SignUp", {"ClientId": emulator.client_id, "Username": "a b", "Password": "Passw0rd!"}
    )
    assert "regular expression pattern" in error.message
    error = emulator.fail("InitiateAuth", {"ClientId": emulator.client_id, "AuthFlow": "MAGIC"})
    assert "Member must satisfy enum value set" in error.message


@pytest.mark.parametrize(
    "body",
    [
        {"ClientId": 5, "Username": "a", "Password": "b"},
        {"ClientId": "x", "Username": ["a"], "Password": "b"},
        {"ClientId": "x", "Username": "a", "Password": "b", "UserAttributes": {"a": 1}},
        {"ClientId": "x", "Username": "a", "Password": "b", "UserAttributes": [{"Name": 1}]},
        {"ClientId": "x", "Username": "a", "Password": "b", "ClientMetadata": {"k": 1}},
    ],
)
def test_wrongly_typed_members(emulator, body):
    error = emulator.fail("SignUp", body)
    assert error.status == 400
    assert error.type == "SerializationException"


def test_values_are_never_echoed(emulator):
    secret = "Sup3r secret password!"
    error = emulator.fail(
        "SignUp", {"ClientId": emulator.client_id, "Username": "u", "Password": " " + secret}
    )
    assert secret not in error.message


def test_oversized_body_is_refused(emulator):
    big = json.dumps({"ClientId": "x" * (1024 * 1024 + 10)}).encode()
    status, _, body = post(emulator, big)
    assert status == 400
    assert json.loads(body)["__type"] == "InvalidParameterException"


def test_unknown_route_is_404_json(emulator):
    status, _, body = emulator.http("GET", "/nowhere")
    assert status == 404
    assert json.loads(body)["message"] == "Not Found"


def test_get_on_the_api_root_is_not_a_500(emulator):
    status, _, _ = emulator.http("GET", "/")
    assert status == 404


def test_outbox_lists_messages_newest_last(emulator):
    from emu_helpers import sign_up

    username, email = sign_up(emulator, confirm=False)
    emulator.call("ResendConfirmationCode", {"ClientId": emulator.client_id, "Username": username})
    messages = emulator.messages(username)
    assert [m["kind"] for m in messages] == ["signup", "signup"]
    first, second = messages
    assert set(first) == {"pool_id", "username", "kind", "destination", "code", "sent_at"}
    assert first["pool_id"] == emulator.pool_id
    assert first["destination"] == email
    assert len(first["code"]) == 6 and first["code"].isdigit()
    assert first["sent_at"] <= second["sent_at"]
    assert emulator.messages()[-1] == second
    assert "[outbox] signup code %s for %s" % (second["code"], username) in "".join(emulator.output)
