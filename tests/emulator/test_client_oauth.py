"""The client's managed login against the emulator, on CPython: redirect sign-in and its
failures, redirect sign-out, the client_credentials token provider, and the command-line
sign-in through a loopback port."""

import asyncio
import socket
import urllib.parse

import pytest
import requests
from emu_admin import admin_client
from emu_helpers import PASSWORD
from emu_oauth import CALLBACK, LOGOUT, OAuthPool, forms, submit

from pycognito_web import MemoryStorage, UserPool
from pycognito_web.oauth import (
    ClientCredentials,
    OAuthConfig,
    OAuthError,
    complete_sign_in_with_redirect,
    sign_in_loopback,
    sign_in_with_redirect,
    sign_out_with_redirect,
)


@pytest.fixture(scope="module")
def pool(emulator):
    return OAuthPool(emulator, admin_client(emulator))


@pytest.fixture
def app(pool):
    storage = MemoryStorage()
    user_pool = UserPool(pool.pool_id, pool.public["ClientId"], endpoint=pool.emulator.url,
                         storage=storage)  # fmt: skip
    config = OAuthConfig(pool.base, CALLBACK, LOGOUT, ["openid", "email", "api/read"])
    return user_pool, config, storage


def _browser(pool, url, username=None):
    """A person's browser: the authorize URL, the form, back to the callback URL."""
    session = requests.Session()
    page = session.get(url, timeout=30)
    assert page.status_code == 200 and forms(page.text), page.text
    answer = submit(session, page.url, page.text,
                    {"username": username or pool.username, "password": PASSWORD})  # fmt: skip
    assert answer.status_code == 302, answer.text
    return answer.headers["location"]


def _snapshot(storage):
    return {key: storage.getItem(key) for key in storage.keys()}


async def test_redirect_sign_in_stores_the_session_like_an_srp_sign_in(pool, app):
    user_pool, config, storage = app
    sent = []
    url = await sign_in_with_redirect(user_pool, config, custom_state="/orders/7",
                                      navigate=sent.append)  # fmt: skip
    assert sent == [url]
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert query["scope"] == "openid email api/read"
    callback = _browser(pool, url)
    replaced = []
    result = await complete_sign_in_with_redirect(user_pool, config, callback + "&keep=1",
                                                  replace_url=replaced.append)  # fmt: skip
    assert replaced == [CALLBACK + "?keep=1"]  # code and state gone from the address
    assert result.custom_state == "/orders/7" and result.user.username == pool.username
    current = user_pool.current_user()
    assert current.username == pool.username
    assert current.session.is_valid(user_pool.clock())
    assert current.session.access_token.claim("scope") == "openid email api/read"
    prefix = "CognitoIdentityServiceProvider.%s." % pool.public["ClientId"]
    assert storage.getItem(prefix + "LastAuthUser") == pool.username
    assert storage.getItem(prefix + pool.username + ".idToken")
    assert not [key for key in storage.keys() if "oauth" in key.lower()]
    answer = await current.get_user()  # the access token works with the user API
    attributes = {a["Name"]: a["Value"] for a in answer["UserAttributes"]}
    assert attributes["email"] == pool.username + "@example.com"


async def test_a_return_with_another_state_is_refused_and_storage_is_unchanged(pool, app):
    user_pool, config, storage = app
    first = await sign_in_with_redirect(user_pool, config, navigate=lambda url: None)
    callback = _browser(pool, first)
    await sign_in_with_redirect(user_pool, config, navigate=lambda url: None)  # a new one
    before = _snapshot(storage)
    with pytest.raises(OAuthError) as caught:
        await complete_sign_in_with_redirect(user_pool, config, callback)
    assert caught.value.code == "state_mismatch"
    assert _snapshot(storage) == before and user_pool.current_user() is None
    forged = CALLBACK + "?code=attacker-code"  # no state at all
    with pytest.raises(OAuthError):
        await complete_sign_in_with_redirect(user_pool, config, forged)
    assert _snapshot(storage) == before


async def test_an_error_return_is_a_typed_error(pool, app):
    user_pool, config, storage = app
    url = await sign_in_with_redirect(user_pool, config, navigate=lambda url: None)
    state = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))["state"]
    before = _snapshot(storage)
    cancelled = (
        CALLBACK
        + "?"
        + urllib.parse.urlencode(
            {"error": "access_denied", "error_description": "The user cancelled", "state": state}
        )
    )
    with pytest.raises(OAuthError) as caught:
        await complete_sign_in_with_redirect(user_pool, config, cancelled)
    assert caught.value.code == "access_denied" and "cancelled" in caught.value.message
    assert _snapshot(storage) == before
    assert await complete_sign_in_with_redirect(user_pool, config, CALLBACK) is None


async def test_a_reused_code_is_refused_and_storage_is_unchanged(pool, app):
    user_pool, config, storage = app
    url = await sign_in_with_redirect(user_pool, config, navigate=lambda url: None)
    callback = _browser(pool, url)
    in_flight = {k: v for k, v in _snapshot(storage).items() if "oauth" in k.lower()}
    await complete_sign_in_with_redirect(user_pool, config, callback)
    for key, value in in_flight.items():  # the same return again, as a replay would be
        storage.setItem(key, value)
    before = _snapshot(storage)
    with pytest.raises(OAuthError) as caught:
        await complete_sign_in_with_redirect(user_pool, config, callback)
    assert caught.value.code == "invalid_grant"
    assert _snapshot(storage) == before


async def test_redirect_sign_out_revokes_and_goes_to_the_registered_url(pool, app):
    user_pool, config, _ = app
    url = await sign_in_with_redirect(user_pool, config, navigate=lambda url: None)
    result = await complete_sign_in_with_redirect(user_pool, config, _browser(pool, url))
    refresh = result.user.session.refresh_token.token
    sent = []
    logout = await sign_out_with_redirect(user_pool, config, navigate=sent.append)
    assert sent == [logout] and user_pool.current_user() is None
    answer = requests.get(logout, allow_redirects=False, timeout=30)
    assert answer.status_code == 302 and answer.headers["location"] == LOGOUT
    again = requests.post(pool.url("/oauth2/token"), timeout=30, data={
        "grant_type": "refresh_token", "client_id": pool.public["ClientId"],
        "refresh_token": refresh})  # fmt: skip
    assert again.json()["error"] == "invalid_grant"


async def test_client_credentials_is_cached_and_shared(pool):
    now = [1000.0]
    machine = ClientCredentials(pool.url("/oauth2/token"), pool.machine["ClientId"],
                                pool.machine["ClientSecret"], ["api/read"],
                                clock=lambda: now[0])  # fmt: skip
    tokens = await asyncio.gather(*[machine.token() for _ in range(5)])
    assert len(set(tokens)) == 1 and machine.requests == 1
    assert await machine.token() == tokens[0] and machine.requests == 1
    now[0] += 3600 - 30  # inside the margin before expiry: a new token
    fresh = await machine.token()
    assert machine.requests == 2 and fresh != tokens[0]
    wrong = ClientCredentials(pool.url("/oauth2/token"), pool.machine["ClientId"], "nope")
    with pytest.raises(OAuthError) as caught:
        await wrong.token()
    assert caught.value.code == "invalid_client"


async def test_command_line_sign_in_through_a_loopback_port(pool, app):
    user_pool, config, _ = app
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    loopback = "http://127.0.0.1:%d/callback" % port
    pool.idp.update_user_pool_client(
        UserPoolId=pool.pool_id, ClientId=pool.public["ClientId"],
        CallbackURLs=[CALLBACK, loopback], LogoutURLs=[LOGOUT],
        AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email", "profile", "api/read"],
        SupportedIdentityProviders=["COGNITO"],
        ExplicitAuthFlows=pool.public["ExplicitAuthFlows"],
    )  # fmt: skip

    def person(url):
        back = _browser(pool, url)
        assert back.startswith(loopback + "?")
        page = requests.get(back, timeout=30)  # the browser lands on the loopback server
        assert page.status_code == 200 and "close this window" in page.text

    async def open_browser(url):
        await asyncio.to_thread(person, url)

    result = await sign_in_loopback(user_pool, config, port=port, open_browser=open_browser,
                                    timeout=60)  # fmt: skip
    assert result.user.username == pool.username
    assert user_pool.current_user().session.is_valid(user_pool.clock())
