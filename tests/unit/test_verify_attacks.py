"""Token verification under attack: every malformed token gets a typed error, and tokens
with unknown key ids cannot make the verifier fetch the pool's keys at will.

Each test performs one attack; each failed before the verifier was hardened (a
RecursionError or UnicodeEncodeError escaped, or every unknown kid cost a JWKS fetch).
"""

import base64
import json

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from unit_helpers import CLIENT_ID, NOW, POOL_ID, Cognito, answer, pool, run

from pycognito_web import InvalidParameterError, TokenVerificationError, _verify

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/" + POOL_ID
JWKS_URL = "GET " + ISSUER + "/.well-known/jwks.json"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
DEEP = 100000  # far past any JSON parser's recursion limit


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _int_b64(value):
    return _b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


NUMBERS = KEY.public_key().public_numbers()
JWKS = {"keys": [{"kid": "k1", "kty": "RSA", "alg": "RS256", "use": "sig",
                  "n": _int_b64(NUMBERS.n), "e": _int_b64(NUMBERS.e)}]}  # fmt: skip
CLAIMS = {"iss": ISSUER, "token_use": "id", "aud": CLIENT_ID, "exp": NOW + 60, "sub": "s"}


def _signed_parts(head_text, body_text):
    """A token whose header and payload are the given JSON texts, validly signed."""
    signing_input = _b64url(head_text.encode()) + "." + _b64url(body_text.encode())
    signature = KEY.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return signing_input + "." + _b64url(signature)


def _good():
    return _signed_parts(json.dumps({"kid": "k1", "alg": "RS256"}), json.dumps(CLAIMS))


def _verify_token(token):
    return _verify.verify(token, JWKS, ISSUER, CLIENT_ID, "id", NOW)


MALFORMED = {
    "header nested deeply": lambda: _signed_parts("[" * DEEP + "]" * DEEP, json.dumps(CLAIMS)),
    "header member nested deeply": lambda: _signed_parts(
        '{"kid": "k1", "alg": "RS256", "x": ' + "[" * DEEP + "]" * DEEP + "}", json.dumps(CLAIMS)
    ),
    "payload nested deeply, validly signed": lambda: _signed_parts(
        json.dumps({"kid": "k1", "alg": "RS256"}), '{"sub": ' + "[" * DEEP + "]" * DEEP + "}"
    ),
    "payload not ASCII": lambda: _good().split(".")[0] + ".\u00e9\u00e9\u00e9." + "AAAA",
    "algorithm a deep structure": lambda: _signed_parts(
        '{"kid": "k1", "alg": ' + "[" * 900 + "]" * 900 + "}", json.dumps(CLAIMS)
    ),
}


@pytest.mark.parametrize("attack", sorted(MALFORMED))
def test_a_malformed_token_gets_a_typed_error(attack):
    token = MALFORMED[attack]()
    with pytest.raises(TokenVerificationError) as raised:
        _verify_token(token)
    assert len(raised.value.message) < 120  # names the check, never echoes the token


@pytest.mark.parametrize("attack", sorted(MALFORMED))
def test_a_malformed_token_is_refused_by_the_pool_before_any_fetch(attack):
    cognito = Cognito({JWKS_URL: [answer(JWKS)]})
    with pytest.raises(TokenVerificationError):
        run(pool(cognito).verify_token(MALFORMED[attack]()))
    fetched = [a for a in cognito.actions() if a == JWKS_URL]
    # The header is read first; only a token whose header passes can need the keys.
    assert len(fetched) <= (1 if attack.startswith("payload") else 0)


def test_the_good_token_still_verifies():
    assert _verify_token(_good())["sub"] == "s"


class Clock:
    def __init__(self):
        self.now = NOW

    def __call__(self):
        return self.now


def _with_kid(kid):
    return _signed_parts(json.dumps({"kid": kid, "alg": "RS256"}), json.dumps(CLAIMS))


def _counting_pool(clock, **options):
    fetches = []

    def jwks(_body):
        fetches.append(clock.now)
        return answer(JWKS)

    cognito = Cognito({JWKS_URL: jwks})
    return pool(cognito, clock=clock, **options), fetches


def test_unknown_kids_refetch_the_keys_at_most_once_per_interval():
    clock = Clock()
    p, fetches = _counting_pool(clock)
    for i in range(50):
        with pytest.raises(TokenVerificationError, match="kid"):
            run(p.verify_token(_with_kid("forged-%d" % i)))
        clock.now += 0.1  # 50 tokens in 5 seconds
    assert len(fetches) == 2  # the first fetch, and one refetch for the first unknown kid
    clock.now = NOW + 10.0
    with pytest.raises(TokenVerificationError, match="kid"):
        run(p.verify_token(_with_kid("forged-again")))
    assert len(fetches) == 3  # the interval passed: one more
    assert run(p.verify_token(_good()))["sub"] == "s"  # a known kid needs no fetch
    assert len(fetches) == 3


def test_the_interval_is_configurable():
    clock = Clock()
    assert pool().jwks_refetch_interval == 10.0  # aws-jwt-verify's default
    p, fetches = _counting_pool(clock, jwks_refetch_interval=60)
    for i in range(5):
        with pytest.raises(TokenVerificationError):
            run(p.verify_token(_with_kid("forged-%d" % i)))
        clock.now += 30
    assert len(fetches) == 1 + 3  # refetched at 0, 60 and 120 seconds
    eager, eager_fetches = _counting_pool(Clock(), jwks_refetch_interval=0)
    for i in range(3):
        with pytest.raises(TokenVerificationError):
            run(eager.verify_token(_with_kid("forged-%d" % i)))
    assert len(eager_fetches) == 1 + 3  # 0: every unknown kid refetches (the old way)


@pytest.mark.parametrize("interval", [-1, "10", None, True, float("nan")])
def test_a_bad_interval_is_refused(interval):
    with pytest.raises(InvalidParameterError, match="jwks_refetch_interval"):
        pool(jwks_refetch_interval=interval)


def test_rotated_keys_are_still_found_with_one_refetch():
    clock = Clock()
    rotated = {"keys": [dict(JWKS["keys"][0], kid="k0")]}  # the cache predates k1
    cognito = Cognito({JWKS_URL: [answer(rotated), answer(JWKS)]})
    p = pool(cognito, clock=clock)
    assert run(p.verify_token(_good()))["sub"] == "s"
    assert cognito.actions().count(JWKS_URL) == 2
