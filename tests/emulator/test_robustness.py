"""Junk in every member of every action: always a Cognito-shaped 400 (or a 200), never a 500.

A seeded, deterministic sweep; the property-based fuzzer of the reliability issue goes
further.
"""

import concurrent.futures
import json
import random

from emu_helpers import password_auth, sign_up, signed_in

from pycognito_emulator import _app, _registry

TARGET = "AWSCognitoIdentityProviderService."


def junk_values(emulator, tokens):
    return [
        None, "", " ", "x" * 3000, "\x00", "é" * 40, 0, -1, 2**70, 1.5, True, [], {}, [None],
        [{"Name": "email", "Value": 7}], [{"Name": "nope", "Value": "v"}],
        [{"Name": "email", "Value": "a@b.c"}], {"USERNAME": "u", "SRP_A": "0"},
        {"USERNAME": 5}, {"REFRESH_TOKEN": tokens["RefreshToken"]},
        emulator.client_id, emulator.secret_client_id, tokens["AccessToken"],
        tokens["IdToken"], tokens["RefreshToken"], "USER_SRP_AUTH", "PASSWORD_VERIFIER",
        "REFRESH_TOKEN_AUTH", "123456", "email",
    ]  # fmt: skip


def test_every_action_survives_junk(emulator):
    _app.load_actions()
    _, _, tokens = signed_in(emulator)
    values = junk_values(emulator, tokens)
    rng = random.Random(20261126)
    public = sorted(
        (target, action)
        for target, action in _registry.ACTIONS.items()
        if action.public and target.startswith(TARGET)
    )
    seen = set()
    for target, action in public:
        names = [field.name for field in action.fields] + ["Unexpected"]
        for _ in range(25):
            body = {name: rng.choice(values) for name in names if rng.random() < 0.8}
            status, headers, raw = emulator.http(
                "POST",
                "/",
                json.dumps(body).encode(),
                {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": target},
            )
            assert status in (200, 400), (target, body, raw)
            answer = json.loads(raw)
            assert b"Traceback" not in raw
            if status == 400:
                assert list(answer)[:1] == ["__type"]
                assert headers["x-amzn-errortype"] == answer["__type"] + ":"
                seen.add(answer["__type"])
    assert "InternalErrorException" not in seen
    assert {"SerializationException", "InvalidParameterException"} <= seen


def test_concurrent_clients_all_succeed(emulator):
    def one(_):
        username, _ = sign_up(emulator)
        tokens = password_auth(emulator, username)
        return emulator.call("GetUser", {"AccessToken": tokens["AccessToken"]})["Username"]

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        names = list(pool.map(one, range(32)))
    assert len(set(names)) == 32
