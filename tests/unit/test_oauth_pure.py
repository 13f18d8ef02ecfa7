"""The pure parts of the redirect sign-in: PKCE, state, URLs, token answers."""

import pytest

from pycognito_web import _oauth
from pycognito_web.oauth import OAuthConfig, OAuthError

CONFIG = OAuthConfig("https://login.example.com/", "https://app.example.com/cb?x=1",
                     "https://app.example.com/bye", ["openid", "orders/read"])  # fmt: skip


def test_s256_challenge_is_rfc_7636s_example():
    # RFC 7636, appendix B.
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert _oauth.challenge_of(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_verifier_and_state_are_random_text_of_their_sizes():
    counter = iter(range(10**6))

    def random_bytes(count):
        return bytes(next(counter) % 256 for _ in range(count))

    verifier = _oauth.make_verifier(random_bytes)
    assert len(verifier) == 128 and verifier.isalnum()
    state = _oauth.make_state(random_bytes, "back to /orders?id=7 ✓")
    assert len(state.split("-")[0]) == 32
    assert _oauth.custom_state_of(state) == "back to /orders?id=7 ✓"
    assert _oauth.custom_state_of(_oauth.make_state(random_bytes)) is None
    assert _oauth.custom_state_of("abc-zz") is None


def test_random_text_draws_again_past_the_unbiased_range():
    answers = iter([bytes([255] * 8), bytes([0, 248, 1, 62, 249, 247, 2, 3])])
    assert _oauth.random_text(lambda count: next(answers), 4) == "ABA9"


def test_authorize_url_carries_every_parameter_encoded():
    url = _oauth.authorize_url(CONFIG, "client1", "st", "ch", "Google", {"login_hint": "a b"})
    base, query, _ = _oauth.split_url(url)
    assert base == "https://login.example.com/oauth2/authorize"
    assert query == {
        "response_type": "code", "client_id": "client1",
        "redirect_uri": "https://app.example.com/cb?x=1", "state": "st",
        "scope": "openid orders/read", "code_challenge": "ch", "code_challenge_method": "S256",
        "identity_provider": "Google", "login_hint": "a b",
    }  # fmt: skip
    assert "redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb%3Fx%3D1" in url


def test_logout_url_needs_a_sign_out_url():
    assert _oauth.logout_url(CONFIG, "c") == (
        "https://login.example.com/logout?client_id=c&logout_uri=https%3A%2F%2Fapp.example.com"
        "%2Fbye"
    )
    with pytest.raises(Exception) as caught:
        _oauth.logout_url(OAuthConfig("https://l.example.com", "https://a.example.com/"), "c")
    assert "redirect_sign_out" in str(caught.value)


def test_unquote_keeps_a_stray_percent():
    assert _oauth.unquote("100%25+sure%") == "100% sure%"
    assert _oauth.parse_query("a=1&a=2&b=&c") == {"a": "1", "b": "", "c": ""}


def test_token_answers_and_errors():
    ok = _oauth.read_token_response(
        200, b'{"access_token":"a","id_token":"i","refresh_token":"r","expires_in":3600}'
    )
    assert ok == {"AccessToken": "a", "IdToken": "i", "RefreshToken": "r", "ExpiresIn": 3600,
                  "TokenType": "Bearer"}  # fmt: skip
    with pytest.raises(OAuthError) as caught:
        _oauth.read_token_response(400, b'{"error":"invalid_grant","error_description":"used"}')
    assert caught.value.code == "invalid_grant" and caught.value.status_code == 400
    for status, body in ((502, b"<html>"), (200, b"{}"), (200, b"[1]")):
        with pytest.raises(OAuthError) as caught:
            _oauth.read_token_response(status, body)
        assert caught.value.code == "invalid_response"


def test_config_refuses_relative_urls():
    with pytest.raises(Exception) as caught:
        OAuthConfig("login.example.com", "https://a.example.com/")
    assert "domain" in str(caught.value)
