"""State survives restarts and kill -9; nothing secret is stored in the clear."""

import glob
import json

from emu_helpers import PASSWORD, password_auth, sign_up, signed_in
from emu_srp import SrpSignIn
from test_tokens import jwks, verify_with_jwks


def test_restart_after_kill_keeps_users_keys_and_sessions(emulator):
    username, email, result = signed_in(emulator)
    pending, _ = sign_up(emulator, confirm=False)
    ids = (emulator.pool_id, emulator.client_id, emulator.secret_client_secret)
    keys = jwks(emulator)
    outbox = len(emulator.messages())
    emulator.restart(kill=True)
    # Config applied again by name: same pool, clients and secrets.
    assert (emulator.pool_id, emulator.client_id, emulator.secret_client_secret) == ids
    assert jwks(emulator) == keys
    verify_with_jwks(jwks(emulator), result["IdToken"])
    # The old session still works, and so does the password, by SRP and by alias.
    emulator.call("GetUser", {"AccessToken": result["AccessToken"]})
    refreshed = emulator.call(
        "InitiateAuth",
        {
            "AuthFlow": "REFRESH_TOKEN_AUTH",
            "ClientId": emulator.client_id,
            "AuthParameters": {"REFRESH_TOKEN": result["RefreshToken"]},
        },
    )
    assert "AccessToken" in refreshed["AuthenticationResult"]
    attempt = SrpSignIn(emulator.call, emulator.pool_id, emulator.client_id, email, PASSWORD)
    assert "AuthenticationResult" in attempt.run()
    # The unconfirmed user and the outbox are still there.
    assert len(emulator.messages()) == outbox
    emulator.call(
        "ConfirmSignUp",
        {
            "ClientId": emulator.client_id,
            "Username": pending,
            "ConfirmationCode": emulator.last_code(pending),
        },
    )
    assert password_auth(emulator, pending)["TokenType"] == "Bearer"
    assert username


def test_graceful_restart(emulator):
    username, _ = sign_up(emulator)
    emulator.restart(kill=False)
    assert password_auth(emulator, username)["TokenType"] == "Bearer"


def test_no_plaintext_password_or_token_on_disk(emulator):
    username, _, result = signed_in(emulator)
    files = glob.glob(emulator.data + "*")
    assert files
    blob = b"".join(open(path, "rb").read() for path in files)
    assert PASSWORD.encode() not in blob
    assert result["RefreshToken"].encode() not in blob
    assert username.encode() in blob  # the search itself works


def test_ready_lines(emulator):
    lines = emulator.output
    ready = [line for line in lines if line.startswith("pycognito-web emulator listening on ")]
    assert ready and ready[-1].strip().endswith(emulator.url)
    summary = json.loads(lines[lines.index(ready[-1]) + 1])
    names = [pool["name"] for pool in summary["pools"]]
    assert names == [pool["PoolName"] for pool in emulator.config["pools"]]
    assert names[:3] == ["main", "email", "phone"]
    assert summary["pools"][0]["id"].startswith("us-east-1_")
    assert len(summary["pools"][0]["id"]) == len("us-east-1_") + 9
