"""examples/cpython (the script, as a user runs it) and examples/backend (the ASGI app
that checks a page's access token), on CPython against the emulator."""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
import uuid

import pytest
from examples_support import (
    CLIENT_ID,
    EXAMPLES,
    PASSWORD,
    POOL_ID,
    newest_code,
    start_backend,
    start_emulator,
)

from pycognito_web import MemoryStorage, UserPool


@pytest.fixture(scope="module")
def emulator(tmp_path_factory):
    running = start_emulator(tmp_path_factory.mktemp("examples-emulator"))
    yield running.url
    running.stop()


def test_the_cpython_script_signs_up_confirms_signs_in_and_out(emulator):
    username = "cli-" + uuid.uuid4().hex[:8]
    process = subprocess.Popen(
        [sys.executable, str(EXAMPLES / "cpython" / "sign_up_and_in.py"), POOL_ID, CLIENT_ID,
         username, username + "@example.com", "--endpoint", emulator],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PASSWORD": PASSWORD},
    )  # fmt: skip
    try:
        # The script waits at its prompt for the code; the outbox has it by then.
        code = newest_code(emulator, username)
        out, err = process.communicate(code + "\n", timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "signed in as %s <%s@example.com>" % (username, username) in out
    assert out.rstrip().endswith("signed out")


def _get(url, token=None):
    headers = {"Authorization": "Bearer " + token} if token else {}
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.load(answer), dict(answer.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error), dict(error.headers)


async def test_the_backend_answers_with_the_claims_of_a_verified_access_token(emulator):
    url, stop = start_backend(emulator, allow_origin="http://127.0.0.1:8000")
    try:
        pool = UserPool(POOL_ID, CLIENT_ID, endpoint=emulator, storage=MemoryStorage())
        username = "api-" + uuid.uuid4().hex[:8]
        result = await pool.sign_up(username, PASSWORD, {"email": username + "@example.com"})
        await result.user.confirm_sign_up(newest_code(emulator, username))
        session = await result.user.authenticate(PASSWORD)
        status, claims, _ = _get(url + "/me", session.access_token.jwt)
        assert status == 200
        assert claims["username"] == username and claims["token_use"] == "access"
        assert claims["client_id"] == CLIENT_ID
        # An ID token is not an access token; no token, or a forged one, is refused.
        assert _get(url + "/me", session.id_token.jwt)[0] == 401
        assert _get(url + "/me")[0] == 401
        header, payload, signature = session.access_token.jwt.split(".")
        assert _get(url + "/me", "%s.%s.%s" % (header, payload, signature[::-1]))[0] == 401
        # CORS: the page's origin may send the Authorization header.
        preflight = urllib.request.Request(url + "/me", method="OPTIONS", headers={
            "Origin": "http://127.0.0.1:8000", "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization"})  # fmt: skip
        with urllib.request.urlopen(preflight, timeout=10) as answer:
            assert answer.headers["access-control-allow-origin"] == "http://127.0.0.1:8000"
    finally:
        stop()
