"""Property-based fuzzing of the JSON API over HTTP: random actions, public and
admin, signed or not, with bodies shaped from each action's ``Field`` specs or plain
garbage (wrong types, huge strings, nested junk, invalid UTF-8, duplicate keys, JSON
that is not an object), under odd content types and odd or missing X-Amz-Target.

Every answer must be a valid result or Cognito's JSON error: never a 5xx, never a stack
trace, a Python type name or an exception's repr. The run is deterministic here
(``derandomize``, 300 examples); PYCOGNITO_FUZZ_EXAMPLES=5000 PYCOGNITO_FUZZ_RANDOM=1
runs more with random seeds (tests/README.md).

Besides the random runs, a sweep puts header-hostile values (NUL, CR, LF, controls,
leading and trailing spaces, non-ASCII) and an oversized one into every string member of
every action, each in turn, and requires a well-formed answer whose error headers are
clean ASCII.

The fuzzer gets its own emulator (DeleteUserPool or UpdateUserPool with real ids are
fair game) and real ids and tokens to reach past the first checks.
"""

import collections
import http.client
import json
import os
import re
import urllib.parse

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import load as emulator_load

from pycognito_emulator import _app, _registry

EXAMPLES = int(os.environ.get("PYCOGNITO_FUZZ_EXAMPLES", "300"))
RANDOM = bool(os.environ.get("PYCOGNITO_FUZZ_RANDOM"))
JSON11 = "application/x-amz-json-1.1"
FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
CONFIG = {
    "pools": [
        {
            "PoolName": "fuzz",
            "AliasAttributes": ["email"],
            "AutoVerifiedAttributes": ["email"],
            "DeviceConfiguration": {"ChallengeRequiredOnNewDevice": False},
            "clients": [
                {"ClientName": "web", "ExplicitAuthFlows": FLOWS},
                {"ClientName": "secret", "GenerateSecret": True, "ExplicitAuthFlows": FLOWS},
            ],
        }
    ]
}
# What must never reach a client: traces, reprs, Python's own type and error names.
LEAKS = re.compile(
    r"Traceback|File \"|<class |<built-in|object at 0x|NoneType|\b(Key|Type|Value|Attribute|"
    r"Index|Recursion|UnicodeDecode|UnicodeEncode|JSONDecode|ZeroDivision|Overflow|Lookup|"
    r"Assertion|Runtime|Name|OS|Import)Error\b|sqlite3|\bErrno\b|'(dict|list|str|int|"
    r"float|bool|bytes)'"
)

_app.load_actions()
TARGETS = sorted(_registry.ACTIONS)
PLACEHOLDERS = ["$POOL", "$CLIENT", "$SECRET_CLIENT", "$SECRET", "$USER", "$EMAIL", "$ACCESS",
                "$ID", "$REFRESH", "$DEVICE", "$PASSWORD"]  # fmt: skip
PARAM_NAMES = [
    "USERNAME", "PASSWORD", "SRP_A", "SECRET_HASH", "REFRESH_TOKEN", "DEVICE_KEY",
    "PASSWORD_CLAIM_SIGNATURE", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP", "NEW_PASSWORD",
    "SMS_MFA_CODE", "SOFTWARE_TOKEN_MFA_CODE", "ANSWER", "userAttributes.email", "SRP_B",
]  # fmt: skip
ATTRIBUTE_NAMES = ["email", "email_verified", "phone_number", "name", "sub",
                   "preferred_username", "custom:x", "team", ""]  # fmt: skip

junk = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=12,
)  # fmt: skip
placeholder = st.sampled_from(PLACEHOLDERS)
long_text = st.integers(200, 70_000).map(lambda size: "x" * size)
# What a header cannot hold (messages quote members into x-amzn-ErrorMessage): NUL, CR,
# LF, other controls, a trailing or leading space, characters beyond latin-1 and ASCII.
HOSTILE_PIECES = ["\x00", "\r", "\n", "\r\n", "\t", " ", "\x7f", "\x1b", "\x0b", "\xe9",
                  "\u2603", "\U0001f600", "\u2028"]  # fmt: skip
hostile_text = st.builds(
    lambda before, piece, after: before + piece + after,
    st.sampled_from(["", "x", "us-east-1_", "$CLIENT"]) | st.text(max_size=8),
    st.sampled_from(HOSTILE_PIECES),
    st.sampled_from(["", " ", "x", "$USER"]) | st.text(max_size=8),
)


def _string(field):
    options = [placeholder, st.text(max_size=40), long_text, hostile_text, hostile_text]
    if field.choices:
        options.insert(0, st.sampled_from(field.choices))
    if field.min_len:
        options.append(st.text(min_size=field.min_len, max_size=field.min_len + 5))
    return st.one_of(options)


def _value(field):
    """A value for one Field: mostly the right shape, sometimes garbage."""
    kind = field.kind
    if kind == "string":
        good = _string(field)
    elif kind == "boolean":
        good = st.booleans()
    elif kind == "integer":
        good = st.integers(-5, 100) | st.integers(-(2**70), 2**70)
    elif kind == "map":
        good = st.dictionaries(
            st.sampled_from(PARAM_NAMES) | st.text(max_size=12),
            placeholder | st.text(max_size=40) | st.none(),
            max_size=6,
        )
    elif kind == "attributes":
        good = st.lists(
            st.fixed_dictionaries(
                {"Name": st.sampled_from(ATTRIBUTE_NAMES) | st.text(max_size=10)},
                optional={"Value": placeholder | st.text(max_size=30) | junk},
            ),
            max_size=4,
        )
    elif kind == "strings":
        good = st.lists(st.sampled_from(ATTRIBUTE_NAMES) | st.text(max_size=10), max_size=4)
    else:
        good = st.dictionaries(
            st.sampled_from(["Salt", "PasswordVerifier", "Enabled", "PreferredMfa",
                             "PasswordPolicy", "MinimumLength"]) | st.text(max_size=8),
            placeholder | junk, max_size=4,
        )  # fmt: skip
    return st.one_of(good, good, good, junk)


# Well-formed values by member name, so that some requests get past validation.
KNOWN = {
    "ClientId": "$CLIENT", "UserPoolId": "$POOL", "Username": "$USER", "AccessToken": "$ACCESS",
    "DeviceKey": "$DEVICE", "Password": "$PASSWORD", "PreviousPassword": "$PASSWORD",
    "ProposedPassword": "$PASSWORD", "Token": "$REFRESH", "PoolName": "fuzz-pool",
    "ClientName": "fuzz-client", "AttributeName": "email", "UserCode": "123456",
    "ConfirmationCode": "123456", "Code": "123456", "DeviceName": "fuzz",
}  # fmt: skip


def _well_formed(field):
    if field.name in KNOWN:
        return st.just(KNOWN[field.name])
    if field.choices:
        return st.sampled_from(field.choices)
    return {
        "string": st.text(min_size=max(1, field.min_len or 0),
                          max_size=max(12, field.min_len or 0)),
        "boolean": st.booleans(),
        "integer": st.integers(1, 60),
        "map": st.fixed_dictionaries({"USERNAME": st.just("$USER")},
                                     optional={"PASSWORD": st.just("$PASSWORD"),
                                               "REFRESH_TOKEN": st.just("$REFRESH")}),
        "attributes": st.lists(st.fixed_dictionaries({
            "Name": st.sampled_from(["email", "name", "custom:x"]),
            "Value": st.sampled_from(["fuzzer@example.com", "Fuzz", "x"])}), max_size=2),
        "strings": st.lists(st.sampled_from(["email", "name"]), max_size=2),
    }.get(field.kind, st.just({}))  # fmt: skip


@st.composite
def shaped_body(draw, target):
    """A JSON object built from the action's fields (some left out, some extra)."""
    action = _registry.ACTIONS.get(target)
    body = {}
    well_formed = draw(st.booleans())
    for field in action.fields if action else []:
        if well_formed:
            if field.required or draw(st.booleans()):
                body[field.name] = draw(_well_formed(field))
        elif draw(st.integers(0, 9)) < 8:
            body[field.name] = draw(_value(field))
    if draw(st.booleans()):
        body[draw(st.text(max_size=10))] = draw(junk)
    return ("json", body)


raw_bodies = st.one_of(
    st.binary(max_size=200).map(lambda raw: ("raw", raw)),
    st.sampled_from([
        b"", b" ", b"null", b"[]", b"[1,2]", b'"text"', b"42", b"true", b"{", b"}",
        b'{"ClientId": NaN}', b'{"Limit": Infinity}', b'{"ClientId": "x"} trailing',
        b'{"ClientId": "\xff\xfe"}', b"\xef\xbb\xbf{}", b'{"a": "\\ud800"}',
        b'{"ClientId": "a", "ClientId": 5}', b'{"AccessToken": "$ACCESS", "AccessToken": []}',
        b"[" * 50_000 + b"]" * 50_000, b'{"a":' * 20_000 + b"1" + b"}" * 20_000,
        b'{"Username": "' + b"\\u0000" * 2000 + b'"}',
    ]).map(lambda raw: ("raw", raw)),
    junk.map(lambda value: ("json", value)),
)  # fmt: skip

targets = st.one_of(
    st.sampled_from(TARGETS),
    st.sampled_from(TARGETS),
    st.sampled_from(TARGETS),
    st.sampled_from([
        None, "", "AWSCognitoIdentityProviderService.", "AWSCognitoIdentityProviderService",
        "AWSCognitoIdentityProviderService.Nope", "awscognitoidentityproviderservice.signup",
        "AWSCognitoIdentityProviderService.Sign Up", "X" * 300, "Cognito.\xe9",
        "AWSCognitoIdentityService.GetId", "..", "AWSCognitoIdentityProviderService.__init__",
        "AWSCognitoIdentityProviderService.InitiateAuth.Extra",
    ]),
)  # fmt: skip


@st.composite
def requests(draw, target_strategy):
    target = draw(target_strategy)
    if draw(st.integers(0, 9)) < 7:
        kind, body = draw(shaped_body(target))
    else:
        kind, body = draw(raw_bodies)
    return {
        "target": target,
        "kind": kind,
        "body": body,
        "content_type": draw(st.sampled_from(
            [JSON11, JSON11, "application/json", "application/x-amz-json-1.0", "text/plain",
             None, "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]
        )),
        "sign": draw(st.booleans()),
        "origin": draw(st.sampled_from([None, None, "http://127.0.0.1:8000",
                                        "https://evil.example"])),
        "method": draw(st.sampled_from(["POST"] * 12 + ["GET", "PUT", "DELETE", "PATCH"])),
    }  # fmt: skip


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory):
    folder = str(tmp_path_factory.mktemp("fuzz"))
    with emulator_load.EmulatorProcess(folder, config=CONFIG) as server:
        pool = server.pools["fuzz"]
        conn = emulator_load.Connection(server.url)
        pool_id, client_id = pool["id"], pool["clients"]["web"]["id"]
        emulator_load.sign_up(conn, client_id, "fuzzer")
        result = emulator_load.srp_sign_in(conn, pool_id, client_id, "fuzzer")
        conn.close()
        values = _Values({
            "$POOL": pool_id,
            "$CLIENT": client_id,
            "$SECRET_CLIENT": pool["clients"]["secret"]["id"],
            "$SECRET": pool["clients"]["secret"]["secret"],
            "$USER": "fuzzer",
            "$EMAIL": "fuzzer@example.com",
            "$ACCESS": result["AccessToken"],
            "$ID": result["IdToken"],
            "$REFRESH": result["RefreshToken"],
            "$DEVICE": result["NewDeviceMetadata"]["DeviceKey"],
            "$PASSWORD": emulator_load.PASSWORD,
        })
        yield server, values
        assert not [line for line in server.output if "Traceback" in line], server.output


class _Values(dict):
    def __repr__(self):  # hypothesis prints the fixture's value on failure: keep it short
        return "<real ids and tokens>"


def _fill(value, values):
    if isinstance(value, str):
        return values.get(value, value)
    if isinstance(value, list):
        return [_fill(item, values) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, values) for key, item in value.items()}
    return value


def send(server, values, request):
    """One request; returns (status, headers, body bytes)."""
    if request["kind"] == "json":
        raw = json.dumps(_fill(request["body"], values)).encode("utf-8")
    else:
        raw = request["body"].replace(b"$ACCESS", values["$ACCESS"].encode())
    headers = {}
    if request["content_type"] is not None:
        headers["Content-Type"] = request["content_type"]
    if request["target"] is not None:
        headers["X-Amz-Target"] = request["target"]
    if request["sign"]:
        signed = AWSRequest(method=request["method"], url=server.url + "/", data=raw,
                            headers=headers)  # fmt: skip
        SigV4Auth(Credentials("test", "test"), "cognito-idp", "us-east-1").add_auth(signed)
        headers = dict(signed.headers.items())
    if request["origin"]:
        headers["Origin"] = request["origin"]
    parsed = urllib.parse.urlsplit(server.url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    try:
        encoded = {name: value.encode("latin-1") for name, value in headers.items()}
        conn.request(request["method"], "/", body=raw, headers=encoded)
        answer = conn.getresponse()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
    finally:
        conn.close()


SEEN = collections.Counter()


def check(request, status, headers, raw):
    text = raw.decode("utf-8", "replace")
    assert status < 500, (request, status, text[:500])
    assert not LEAKS.search(text), (request, text[:500])
    for name in ("x-amzn-errormessage", "x-amzn-errortype"):
        assert not LEAKS.search(headers.get(name, "")), (request, headers)
    data = json.loads(text)
    assert isinstance(data, dict)
    if request["method"] != "POST":
        assert status == 404 and data == {"message": "Not Found"}
        return
    assert headers["content-type"] == JSON11
    name = (request["target"] or "").rsplit(".", 1)[-1]
    if status == 200:
        SEEN[(name, "OK")] += 1
        return
    assert status in (400, 403), (request, status, text)
    assert list(data) == ["__type", "message"], (request, text)
    assert isinstance(data["message"], str) and data["message"]
    assert headers["x-amzn-errortype"] == data["__type"] + ":"
    SEEN[(name, data["__type"])] += 1
    action = _registry.ACTIONS.get(request["target"] or "")
    if action is not None and not action.public:
        # Admin answers are never readable by a page, whatever happened.
        assert "access-control-allow-origin" not in headers
    if action is None:
        assert data["__type"] == "UnknownOperationException"


def _settings(examples):
    return settings(
        max_examples=examples,
        derandomize=not RANDOM,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                               HealthCheck.function_scoped_fixture],
    )  # fmt: skip


# Two thirds of the examples go to the registered actions, a few each, so that every one
# of them is reached; the rest to anything (odd targets, raw bodies, other methods).
PER_ACTION = max(3, (2 * EXAMPLES) // (3 * len(TARGETS)))


@pytest.mark.parametrize("target", TARGETS, ids=lambda target: target.rsplit(".", 1)[1])
def test_fuzz_each_action(fuzz_server, target):
    @_settings(PER_ACTION)
    @given(request=requests(st.just(target)))
    def run(request):
        check(request, *send(*fuzz_server, request))

    run()


@_settings(max(10, EXAMPLES - PER_ACTION * len(TARGETS)))
@given(request=requests(targets))
def test_fuzz_anything(fuzz_server, request):
    check(request, *send(*fuzz_server, request))


def test_fuzz_coverage(fuzz_server):
    # Runs after the fuzzer (file order): the run reached most actions, admin ones
    # included, and got past validation often enough to see real results and errors.
    actions = {name for name, _ in SEEN}
    registered = {target.rsplit(".", 1)[1] for target in TARGETS}
    reached = actions & registered
    print("fuzz coverage: %d/%d actions, %d (action, outcome) pairs"
          % (len(reached), len(registered), len(SEEN)))  # fmt: skip
    assert reached == registered, sorted(registered - reached)
    outcomes = {outcome for _, outcome in SEEN}
    assert {"OK", "SerializationException", "InvalidParameterException",
            "NotAuthorizedException", "UnknownOperationException"} <= outcomes, outcomes
    assert any(ACTION_IS_ADMIN.get(name) and outcome == "OK" for name, outcome in SEEN)


ACTION_IS_ADMIN = {a.name: not a.public for a in _registry.ACTIONS.values()}

# The sweep: every string member of every action, in turn, holds each of these while
# the others are well formed (so the value reaches past the first checks). Runs after
# the coverage count (file order), as it may spend the real ids.
SWEEP = ["a\x00b", "a\r\nX-Injected: 1", "trailing ", " leading", "caf\xe9 \u2603",
         "\x7f\x1b\x0b", "x" * 70_000]  # fmt: skip


def _sweep_body(action, hostile_field, value):
    body = {}
    for field in action.fields:
        if field is hostile_field:
            body[field.name] = value
        elif field.name in KNOWN:
            body[field.name] = KNOWN[field.name]
        elif field.required:
            body[field.name] = field.choices[0] if field.choices else _WELL_FORMED[field.kind]
    return body


_WELL_FORMED = {"string": "well-formed", "boolean": True, "integer": 1, "map": {},
                "attributes": [], "strings": [], "object": {}, "objects": []}  # fmt: skip


@pytest.mark.parametrize("target", TARGETS, ids=lambda target: target.rsplit(".", 1)[1])
def test_header_hostile_and_oversized_values_in_every_string_member(fuzz_server, target):
    server, values = fuzz_server
    action = _registry.ACTIONS[target]
    strings = [field for field in action.fields if field.kind == "string"]
    for field in strings:
        for value in SWEEP:
            request = {"target": target, "kind": "json",
                       "body": _sweep_body(action, field, value), "content_type": JSON11,
                       "sign": not action.public, "origin": None, "method": "POST"}  # fmt: skip
            status, headers, raw = send(server, values, request)
            check(request, status, headers, raw)
            for name in ("x-amzn-errormessage", "x-amzn-errortype"):
                shown = headers.get(name, "")
                assert shown == shown.strip(), (target, field.name, shown)
                assert all(" " <= char < "\x7f" for char in shown), (target, field.name, shown)
