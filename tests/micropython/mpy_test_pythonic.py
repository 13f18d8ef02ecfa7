"""The Pythonic face (UserPool, User) under MicroPython, against the emulator over fetch.

Each test makes its own user, so they are independent (the harness runs them in name
order). HTTP is the library's default FetchTransport, randomness crypto.getRandomValues.
"""

import sys
import time

from mpy_support import (
    PASSWORD,
    PREFIX,
    emulator,
    make_pool,
    raises,
    signed_up,
    unique,
)

from pycognito_web import (
    InvalidParameterError,
    MemoryStorage,
    NotAuthenticatedError,
    ServiceError,
    Session,
    TokenVerificationError,
    UserPool,
    _platform,
    _pool,
)


def test_runs_on_micropython_with_the_browser_defaults():
    assert sys.implementation.name == "micropython"
    assert _platform.IN_BROWSER is True
    assert type(_pool.default_transport()).__name__ == "FetchTransport"
    assert len(_platform.random_bytes(128)) == 128
    assert _platform.random_bytes(16) != _platform.random_bytes(16)
    # The clock is the real time (a JS Date.now() int arrives here cut to 32 bits).
    assert abs(_platform.now() - time.time()) < 5, (_platform.now(), time.time())
    assert _platform.now() > 1.7e9


async def test_sign_up_confirm_sign_in_restore_and_sign_out():
    storage = MemoryStorage()
    pool = make_pool(storage)
    user = await signed_up(pool)

    session = await pool.user(user.username).authenticate(PASSWORD)
    assert isinstance(session, Session)
    assert session.is_valid(time.time())
    assert session.id_token.claim("cognito:username") == user.username
    assert session.access_token.claim("token_use") == "access"
    base = PREFIX + emulator()["client_id"] + "."
    expected = [base + "LastAuthUser"] + [
        base + user.username + "." + n
        for n in ("idToken", "accessToken", "refreshToken", "clockDrift")
    ]
    assert sorted(storage.keys()) == sorted(expected), storage.keys()
    assert storage.getItem(base + user.username + ".idToken") == session.id_token.jwt

    # A new pool on the same storage finds the user, as a page reload would.
    again = make_pool(storage).current_user()
    assert again.username == user.username
    restored = await again.get_session()
    assert restored.access_token.jwt == session.access_token.jwt
    attributes = await again.get_attributes()
    assert attributes["email"] == user.username + "@example.com", attributes
    assert attributes["sub"] == session.id_token.claim("sub")

    await again.sign_out()
    assert storage.keys() == []
    await raises(NotAuthenticatedError, again.get_session())


async def test_update_and_delete_attributes():
    pool = make_pool()
    user = await signed_up(pool)
    await user.authenticate(PASSWORD)
    assert await user.update_attributes({"custom:team": "blue"}) is not None
    assert (await user.get_attributes())["custom:team"] == "blue"
    await user.delete_attributes(["custom:team"])
    assert "custom:team" not in await user.get_attributes()


async def test_wrong_password_is_refused_and_nothing_stored():
    storage = MemoryStorage()
    pool = make_pool(storage)
    user = await signed_up(pool)
    error = await raises(ServiceError, pool.user(user.username).authenticate("Wrong-Passw0rd!"))
    assert error.code == "NotAuthorizedException", error
    assert error.message == "Incorrect username or password."
    assert storage.keys() == []


async def test_unconfirmed_and_unknown_users():
    pool = make_pool()
    name = unique("pending")
    await pool.sign_up(name, PASSWORD, {"email": name + "@example.com"})
    error = await raises(ServiceError, pool.user(name).authenticate(PASSWORD))
    assert error.code == "UserNotConfirmedException", error
    error = await raises(ServiceError, pool.user(unique("nobody")).authenticate(PASSWORD))
    assert error.code == "UserNotFoundException", error
    error = await raises(ServiceError, pool.user(name).confirm_sign_up("000000"))
    assert error.code == "CodeMismatchException", error


async def test_user_password_auth_and_bad_flow():
    pool = make_pool()
    user = await signed_up(pool)
    session = await pool.user(user.username).authenticate(PASSWORD, flow="USER_PASSWORD_AUTH")
    assert session.id_token.claim("cognito:username") == user.username
    await raises(InvalidParameterError, user.authenticate(PASSWORD, flow="NO_SUCH_FLOW"))


async def test_expired_session_is_refreshed():
    storage = MemoryStorage()
    offset = [0]
    pool = make_pool(storage, clock=lambda: time.time() + offset[0])
    user = await signed_up(pool)
    first = await pool.user(user.username).authenticate(PASSWORD)
    offset[0] = 2 * 3600  # two hours on, the ID and access tokens have expired
    later = pool.current_user()
    assert later.cached_session() is None
    refreshed = await later.get_session()
    assert refreshed.is_valid(time.time() + offset[0])
    assert refreshed.access_token.jwt != first.access_token.jwt
    assert refreshed.refresh_token.token == first.refresh_token.token


async def test_tokens_verify_against_the_pools_jwks():
    pool = make_pool()
    user = await signed_up(pool)
    session = await pool.user(user.username).authenticate(PASSWORD)
    claims = await pool.verify_token(session.id_token, "id")
    assert claims["cognito:username"] == user.username
    await raises(TokenVerificationError, pool.verify_token(session.id_token, "access"))
    head, body, sig = session.id_token.jwt.split(".")
    forged = head + "." + body + "." + ("A" if sig[0] != "A" else "B") + sig[1:]
    await raises(TokenVerificationError, pool.verify_token(forged, "id"))


async def test_client_with_a_secret_sends_the_secret_hash():
    info = emulator()
    pool = UserPool(
        info["pool_id"],
        info["secret_client_id"],
        endpoint=info["url"] + "/",
        storage=MemoryStorage(),
        client_secret=info["secret_client_secret"],
    )
    user = await signed_up(pool)
    session = await pool.user(user.username).authenticate(PASSWORD)
    assert session.access_token.claim("client_id") == info["secret_client_id"]
    assert (await pool.current_user().refresh_session()).is_valid(time.time())


async def test_global_sign_out_revokes_the_refresh_token():
    storage = MemoryStorage()
    pool = make_pool(storage)
    user = await signed_up(pool)
    await user.authenticate(PASSWORD)
    token = user.session.refresh_token.token
    await user.global_sign_out()
    assert storage.keys() == []
    other = make_pool(MemoryStorage()).user(user.username)
    error = await raises(ServiceError, other.refresh_session(token))
    assert error.code == "NotAuthorizedException", error
