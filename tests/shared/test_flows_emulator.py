"""The client's flows against the emulator over HTTP, on CPython and inside Pyodide.

On CPython the library talks through urllib and os.urandom; inside Pyodide (Node),
through ``fetch`` and ``crypto.getRandomValues``: the same tests prove both paths. Each
test makes its own user, so tests are independent and can run in any order.
"""

import base64
import json
import os
import sys
import time

import pytest

from pycognito_web import (
    AuthenticationDetails,
    CodeChallenge,
    CognitoUser,
    CognitoUserPool,
    CognitoUserSession,
    InvalidParameterError,
    MemoryStorage,
    NotAuthenticatedError,
    Session,
    TokenVerificationError,
    UserPool,
    _platform,
    _pool,
)

IN_PYODIDE = sys.platform == "emscripten"
PASSWORD = "Corr3ct-Horse-Battery!"
PREFIX = "CognitoIdentityServiceProvider."


def unique(name):
    return "%s-%s" % (name, base64.b32encode(os.urandom(5)).decode().lower().rstrip("="))


def make_pool(info, storage=None, **options):
    return UserPool(
        info.pool_id,
        info.client_id,
        endpoint=info.url + "/",
        storage=storage if storage is not None else MemoryStorage(),
        transport=info.transport,
        **options,
    )


async def signed_up(info, pool, name=None, attributes=None):
    """A confirmed user: sign up, read the code from the outbox, confirm."""
    username = name or unique("user")
    email = username + "@example.com"
    result = await pool.sign_up(username, PASSWORD, attributes or {"email": email})
    assert result.user_confirmed is False
    assert result.code_delivery_details["DeliveryMedium"] == "EMAIL"
    code = await info.last_code(username)
    assert await result.user.confirm_sign_up(code) == "SUCCESS"
    return result.user


def test_platform_is_the_expected_one():
    # Inside Pyodide the library must use fetch and getRandomValues, not a fallback.
    assert _platform.IN_BROWSER is IN_PYODIDE
    transport = _pool.default_transport()
    expected = "FetchTransport" if IN_PYODIDE else "UrllibTransport"
    assert type(transport).__name__ == expected
    assert len(_platform.random_bytes(128)) == 128
    assert _platform.random_bytes(16) != _platform.random_bytes(16)


async def test_sign_up_confirm_sign_in_and_out(emulator_info):
    storage = MemoryStorage()
    pool = make_pool(emulator_info, storage)
    user = await signed_up(emulator_info, pool)

    session = await pool.user(user.username).authenticate(PASSWORD)
    assert isinstance(session, Session)
    assert session.is_valid(time.time())
    assert session.id_token.claim("cognito:username") == user.username
    assert session.access_token.claim("token_use") == "access"
    base = PREFIX + emulator_info.client_id + "."
    assert sorted(storage.keys()) == sorted(
        [base + "LastAuthUser"]
        + [
            base + user.username + "." + n
            for n in ("idToken", "accessToken", "refreshToken", "clockDrift")
        ]
    )
    assert storage.getItem(base + "LastAuthUser") == user.username
    assert storage.getItem(base + user.username + ".idToken") == session.id_token.jwt

    # A new pool object on the same storage finds the user, as a page reload would.
    again = make_pool(emulator_info, storage).current_user()
    assert again.username == user.username
    restored = await again.get_session()
    assert restored.access_token.jwt == session.access_token.jwt
    attributes = await again.get_attributes()
    assert attributes["email"] == user.username + "@example.com"
    assert attributes["sub"] == session.id_token.claim("sub")

    await again.sign_out()
    assert storage.keys() == []
    with pytest.raises(NotAuthenticatedError):
        await again.get_session()


async def test_wrong_password_is_refused_and_nothing_stored(emulator_info):
    storage = MemoryStorage()
    pool = make_pool(emulator_info, storage)
    user = await signed_up(emulator_info, pool)
    with pytest.raises(Exception) as raised:
        await pool.user(user.username).authenticate("Wrong-Password-1!")
    assert raised.value.code == "NotAuthorizedException"
    assert raised.value.message == "Incorrect username or password."
    assert storage.keys() == []


async def test_unconfirmed_and_unknown_users(emulator_info):
    pool = make_pool(emulator_info)
    name = unique("pending")
    await pool.sign_up(name, PASSWORD, {"email": name + "@example.com"})
    with pytest.raises(Exception) as raised:
        await pool.user(name).authenticate(PASSWORD)
    assert raised.value.code == "UserNotConfirmedException"
    with pytest.raises(Exception) as raised:
        await pool.user(unique("nobody")).authenticate(PASSWORD)
    assert raised.value.code == "UserNotFoundException"
    with pytest.raises(Exception) as raised:
        await pool.user(name).confirm_sign_up("000000")
    assert raised.value.code == "CodeMismatchException"


async def test_resend_confirmation_code(emulator_info):
    pool = make_pool(emulator_info)
    name = unique("resend")
    await pool.sign_up(name, PASSWORD, {"email": name + "@example.com"})
    first = await emulator_info.messages(name)
    answer = await pool.user(name).resend_confirmation_code()
    assert answer["CodeDeliveryDetails"]["Destination"].startswith(name[0] + "***@")
    second = await emulator_info.messages(name)
    assert len(second) == len(first) + 1
    await pool.user(name).confirm_sign_up(second[-1]["code"])
    assert isinstance(await pool.user(name).authenticate(PASSWORD), Session)


async def test_user_password_auth(emulator_info):
    pool = make_pool(emulator_info)
    user = await signed_up(emulator_info, pool)
    session = await pool.user(user.username).authenticate(PASSWORD, flow="USER_PASSWORD_AUTH")
    assert session.id_token.claim("cognito:username") == user.username
    with pytest.raises(InvalidParameterError):
        await pool.user(user.username).authenticate(PASSWORD, flow="NO_SUCH_FLOW")


async def test_sign_in_by_email_alias_stores_the_canonical_username(emulator_info):
    storage = MemoryStorage()
    pool = make_pool(emulator_info, storage)
    user = await signed_up(emulator_info, pool)
    by_email = pool.user(user.username + "@example.com")
    await by_email.authenticate(PASSWORD)
    assert by_email.username == user.username  # USER_ID_FOR_SRP replaced the alias
    assert storage.getItem(PREFIX + emulator_info.client_id + ".LastAuthUser") == user.username


async def test_expired_session_is_refreshed(emulator_info):
    storage = MemoryStorage()
    offset = [0]
    pool = make_pool(emulator_info, storage, clock=lambda: time.time() + offset[0])
    user = await signed_up(emulator_info, pool)
    first = await pool.user(user.username).authenticate(PASSWORD)

    offset[0] = 2 * 3600  # two hours later the ID and access tokens have expired
    later = pool.current_user()
    assert later.cached_session() is None
    refreshed = await later.get_session()
    assert refreshed.is_valid(time.time() + offset[0])
    assert refreshed.access_token.jwt != first.access_token.jwt
    assert refreshed.refresh_token.token == first.refresh_token.token  # kept
    key = PREFIX + emulator_info.client_id + "." + user.username
    assert storage.getItem(key + ".accessToken") == refreshed.access_token.jwt
    assert int(storage.getItem(key + ".clockDrift")) == refreshed.clock_drift


async def test_tokens_verify_against_the_pools_jwks(emulator_info):
    pool = make_pool(emulator_info)
    user = await signed_up(emulator_info, pool)
    session = await pool.user(user.username).authenticate(PASSWORD)
    claims = await pool.verify_token(session.id_token, "id")
    assert claims["cognito:username"] == user.username
    assert claims["aud"] == emulator_info.client_id
    access = await pool.verify_token(session.access_token, "access")
    assert access["client_id"] == emulator_info.client_id
    with pytest.raises(TokenVerificationError):
        await pool.verify_token(session.id_token, "access")
    head, body, sig = session.id_token.jwt.split(".")
    forged = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    forged["cognito:username"] = "mallory"
    body = base64.urlsafe_b64encode(json.dumps(forged).encode()).decode().rstrip("=")
    with pytest.raises(TokenVerificationError) as raised:
        await pool.verify_token(head + "." + body + "." + sig, "id")
    assert "signature" in raised.value.message


async def test_client_with_secret_sends_secret_hash(emulator_info):
    pool = UserPool(
        emulator_info.pool_id,
        emulator_info.secret_client_id,
        endpoint=emulator_info.url + "/",
        storage=MemoryStorage(),
        transport=emulator_info.transport,
        client_secret=emulator_info.secret_client_secret,
    )
    user = await signed_up(emulator_info, pool)
    session = await pool.user(user.username).authenticate(PASSWORD)
    assert session.access_token.claim("client_id") == emulator_info.secret_client_id
    refreshed = await pool.current_user().refresh_session()
    assert refreshed.is_valid(time.time())
    wrong = UserPool(
        emulator_info.pool_id,
        emulator_info.secret_client_id,
        endpoint=emulator_info.url + "/",
        storage=MemoryStorage(),
        transport=emulator_info.transport,
        client_secret="not-the-secret",
    )
    with pytest.raises(Exception) as raised:
        await wrong.user(user.username).authenticate(PASSWORD)
    assert raised.value.code == "NotAuthorizedException"
    assert "secret hash" in raised.value.message


async def test_compat_failure_goes_to_on_failure_and_the_awaitable(emulator_info):
    pool = CognitoUserPool(
        {
            "UserPoolId": emulator_info.pool_id,
            "ClientId": emulator_info.client_id,
            "endpoint": emulator_info.url + "/",
            "Transport": emulator_info.transport,
            "Storage": MemoryStorage(),
        }
    )
    failures = []
    user = CognitoUser({"Username": unique("ghost"), "Pool": pool})
    pending = user.authenticateUser(
        AuthenticationDetails({"Username": "ghost", "Password": PASSWORD}),
        {"onSuccess": lambda s: failures.append("success?"), "onFailure": failures.append},
    )
    with pytest.raises(Exception) as raised:
        await pending
    assert failures == [raised.value]
    assert raised.value.code == "UserNotFoundException"
    with pytest.raises(InvalidParameterError):
        user.authenticateUser(AuthenticationDetails({}), {"onSuccess": print})


async def test_session_objects_cross_between_the_two_faces(emulator_info):
    storage = MemoryStorage()
    pool = make_pool(emulator_info, storage)
    user = await signed_up(emulator_info, pool)
    session = await pool.user(user.username).authenticate(PASSWORD)
    compat_pool = CognitoUserPool(
        {
            "UserPoolId": emulator_info.pool_id,
            "ClientId": emulator_info.client_id,
            "endpoint": emulator_info.url + "/",
            "Transport": emulator_info.transport,
            "Storage": storage,
        }
    )
    current = compat_pool.getCurrentUser()
    found = []
    current.getSession(lambda err, s: found.append(s))
    assert isinstance(found[0], CognitoUserSession)
    assert found[0].getIdToken().getJwtToken() == session.id_token.jwt
    assert not isinstance(session, CodeChallenge)


async def test_a_request_that_takes_too_long_is_a_network_error(echo_url):
    from pycognito_web import NetworkError, Request

    if IN_PYODIDE:
        from pycognito_web._fetch import FetchTransport

        transport = FetchTransport(timeout=0.3)
    else:
        from pycognito_web._urllib import UrllibTransport

        transport = UrllibTransport(timeout=0.3)
    started = time.time()
    with pytest.raises(NetworkError):
        await transport.handle_async_request(
            Request("POST", echo_url + "slow", {"Content-Type": "application/json"}, b"{}")
        )
    assert time.time() - started < 2.5
    # The same transport still answers a prompt request.
    fast = await transport.handle_async_request(
        Request("POST", echo_url, {"Content-Type": "application/json"}, b"{}")
    )
    assert fast.status_code == 200


def test_without_local_storage_sessions_go_to_memory_with_a_warning(monkeypatch):
    from pycognito_web import _platform as platform

    said = []
    monkeypatch.setattr(platform, "warn", said.append)
    storage = _pool.default_storage()
    assert isinstance(storage, MemoryStorage)
    if IN_PYODIDE:  # Node has no localStorage: the browser code path falls back, loudly
        assert len(said) == 1 and "localStorage is unavailable" in said[0]
    else:  # CPython has no localStorage to miss: memory is simply the default
        assert said == []
