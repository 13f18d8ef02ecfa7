"""The original JavaScript SDK (nobody here wrote it) against the emulator, in Node."""

import json
import os
import shutil
import subprocess

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SDK = os.path.join(HERE, "..", "..", "node_modules", "amazon-cognito-identity-js")


@pytest.mark.peer
@pytest.mark.skipif(
    not shutil.which("node") or not os.path.isdir(SDK),
    reason="needs node and npm's amazon-cognito-identity-js",
)
def test_original_sdk_signs_up_and_in_with_srp(emulator):
    run = subprocess.run(
        ["node", os.path.join(HERE, "peer_js_signin.js"), emulator.url, emulator.pool_id,
         emulator.client_id],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["signUp"] == "EMAIL"
    assert out["confirm"] == "ok"
    assert out["wrongPassword"] == "NotAuthorizedException: Incorrect username or password."
    assert out["signIn"] is True
    assert out["username"].startswith("js-")
    assert out["attributes"] == ["email", "email_verified", "sub"]
    assert out["refresh"] is True
    assert out["updateAttributes"] == "ok"
    assert out["changePassword"] == "SUCCESS"
    assert out["globalSignOut"] == "ok"
    assert out["afterSignOut"] == "Access Token has been revoked"
    assert out["forgotPassword"] == "EMAIL"
    assert out["confirmPassword"] == "SUCCESS"
    assert out["signInAfterReset"] == "ok"
    assert out["deleteUser"] == "SUCCESS"
