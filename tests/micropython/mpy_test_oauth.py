"""The redirect sign-in's pure parts under MicroPython: PKCE, state, URLs, token answers
(the page-side code of managed login must run where PyScript's MicroPython runs)."""

from mpy_support import raises_now

from pycognito_web import _oauth, _platform


def test_s256_challenge():
    # RFC 7636, appendix B.
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert _oauth.challenge_of(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_verifier_state_and_custom_state():
    verifier = _oauth.make_verifier(_platform.random_bytes)
    assert len(verifier) == 128
    state = _oauth.make_state(_platform.random_bytes, "/orders?id=7")
    assert _oauth.custom_state_of(state) == "/orders?id=7"


def test_urls_and_token_answers():
    config = _oauth.OAuthConfig("https://login.example.com", "https://app.example.com/cb")
    url = _oauth.authorize_url(config, "client1", "st", "ch")
    base, query, _ = _oauth.split_url(url)
    assert base == "https://login.example.com/oauth2/authorize"
    assert query["redirect_uri"] == "https://app.example.com/cb"
    assert query["scope"] == "openid email profile"
    error = raises_now(
        _oauth.OAuthError, _oauth.read_token_response, 400, b'{"error":"invalid_grant"}'
    )
    assert error.code == "invalid_grant"
