"""Tokens: claims, signatures against the JWKS, refresh, expiry and revocation."""

import base64
import json

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from emu_helpers import PASSWORD, password_auth, sign_up, signed_in


def b64decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def claims(token):
    return json.loads(b64decode(token.split(".")[1]))


def header(token):
    return json.loads(b64decode(token.split(".")[0]))


def jwks(emulator, pool_id=None):
    status, _, body = emulator.http(
        "GET", "/%s/.well-known/jwks.json" % (pool_id or emulator.pool_id)
    )
    assert status == 200
    return json.loads(body)


def verify_with_jwks(keys, token):
    """Check a JWT's RS256 signature with the JWKS key its kid names."""
    head = header(token)
    assert head["alg"] == "RS256"
    (key,) = [key for key in keys["keys"] if key["kid"] == head["kid"]]
    public = rsa.RSAPublicNumbers(
        int.from_bytes(b64decode(key["e"]), "big"), int.from_bytes(b64decode(key["n"]), "big")
    ).public_key()
    signing_input, _, signature = token.rpartition(".")
    public.verify(b64decode(signature), signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())


@pytest.fixture
def clock(emulator):
    yield emulator
    emulator.reset_clock()


def test_id_token_claims(emulator):
    username, email, result = signed_in(emulator)
    id_claims = claims(result["IdToken"])
    assert id_claims["token_use"] == "id"
    assert id_claims["cognito:username"] == username
    assert id_claims["aud"] == emulator.client_id
    assert id_claims["email"] == email
    assert id_claims["email_verified"] is True
    assert id_claims["iss"] == "%s/%s" % (emulator.url, emulator.pool_id)
    assert id_claims["exp"] - id_claims["iat"] == 3600
    assert id_claims["auth_time"] == id_claims["iat"]
    for name in ("sub", "jti", "origin_jti", "event_id"):
        assert isinstance(id_claims[name], str) and len(id_claims[name]) == 36


def test_access_token_claims(emulator):
    username, _, result = signed_in(emulator)
    access = claims(result["AccessToken"])
    id_claims = claims(result["IdToken"])
    assert access["token_use"] == "access"
    assert access["username"] == username
    assert access["client_id"] == emulator.client_id
    assert "aud" not in access
    assert access["scope"] == "aws.cognito.signin.user.admin"
    assert access["sub"] == id_claims["sub"]
    assert access["origin_jti"] == id_claims["origin_jti"]
    assert access["event_id"] == id_claims["event_id"]
    assert access["jti"] != id_claims["jti"]


def test_tokens_verify_against_the_jwks_with_different_keys(emulator):
    _, _, result = signed_in(emulator)
    keys = jwks(emulator)
    assert {key["alg"] for key in keys["keys"]} == {"RS256"}
    assert len(keys["keys"]) == 2
    verify_with_jwks(keys, result["IdToken"])
    verify_with_jwks(keys, result["AccessToken"])
    assert header(result["IdToken"])["kid"] != header(result["AccessToken"])["kid"]
    other = jwks(emulator, emulator.pools["email"]["id"])
    assert not {k["kid"] for k in other["keys"]} & {k["kid"] for k in keys["keys"]}


def test_openid_configuration(emulator):
    status, _, body = emulator.http(
        "GET", "/%s/.well-known/openid-configuration" % emulator.pool_id
    )
    assert status == 200
    data = json.loads(body)
    assert data["issuer"] == "%s/%s" % (emulator.url, emulator.pool_id)
    assert data["jwks_uri"] == data["issuer"] + "/.well-known/jwks.json"
    assert data["id_token_signing_alg_values_supported"] == ["RS256"]
    status, _, _ = emulator.http("GET", "/us-east-1_Nope12345/.well-known/jwks.json")
    assert status == 404


def test_refresh_keeps_auth_time_and_origin(emulator):
    _, _, result = signed_in(emulator)
    for flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
        answer = emulator.call(
            "InitiateAuth",
            {
                "AuthFlow": flow,
                "ClientId": emulator.client_id,
                "AuthParameters": {"REFRESH_TOKEN": result["RefreshToken"]},
            },
        )
        fresh = answer["AuthenticationResult"]
        assert "RefreshToken" not in fresh
        assert fresh["TokenType"] == "Bearer"
        new_claims, old_claims = claims(fresh["IdToken"]), claims(result["IdToken"])
        assert new_claims["auth_time"] == old_claims["auth_time"]
        assert new_claims["origin_jti"] == old_claims["origin_jti"]
        assert new_claims["jti"] != old_claims["jti"]
        emulator.call("GetUser", {"AccessToken": fresh["AccessToken"]})


def test_refresh_token_shape_and_uniqueness(emulator):
    _, _, first = signed_in(emulator)
    _, _, second = signed_in(emulator)
    assert first["RefreshToken"].count(".") == 4
    assert first["RefreshToken"] != second["RefreshToken"]


@pytest.mark.parametrize("token", ["garbage", "a.b.c.d.e", ""])
def test_invalid_refresh_token(emulator, token):
    error = emulator.fail(
        "InitiateAuth",
        {
            "AuthFlow": "REFRESH_TOKEN_AUTH",
            "ClientId": emulator.client_id,
            "AuthParameters": {"REFRESH_TOKEN": token},
        },
    )
    assert error.type in ("NotAuthorizedException", "InvalidParameterException")


def test_refresh_token_of_another_client_is_refused(emulator):
    _, _, result = signed_in(emulator)
    error = emulator.fail(
        "InitiateAuth",
        {
            "AuthFlow": "REFRESH_TOKEN_AUTH",
            "ClientId": emulator.pools["main"]["clients"]["srp-only"]["id"],
            "AuthParameters": {"REFRESH_TOKEN": result["RefreshToken"]},
        },
    )
    assert (error.type, error.message) == ("NotAuthorizedException", "Invalid Refresh Token")


def _tamper(token):
    head, payload, signature = token.split(".")
    data = json.loads(b64decode(payload))
    data["username"] = "admin"
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return ".".join((head, forged, signature))


def test_bad_access_tokens_are_refused(emulator):
    _, _, result = signed_in(emulator)
    other_pool = emulator.pools["email"]
    for token in ("nonsense", "a.b.c", _tamper(result["AccessToken"]), result["IdToken"],
                  result["RefreshToken"], "x" * 20000):  # fmt: skip
        error = emulator.fail("GetUser", {"AccessToken": token})
        assert error.type in ("NotAuthorizedException", "InvalidParameterException"), token[:20]
        if error.type == "NotAuthorizedException":
            assert error.message == "Invalid Access Token"
    assert other_pool  # tokens carry their pool through the kid, checked above


def test_expired_access_token(clock):
    emulator = clock
    _, _, result = signed_in(emulator)
    emulator.advance_clock(3601)
    error = emulator.fail("GetUser", {"AccessToken": result["AccessToken"]})
    assert (error.type, error.message) == ("NotAuthorizedException", "Access Token has expired")


def test_expired_refresh_token(clock):
    emulator = clock
    _, _, result = signed_in(emulator)
    emulator.advance_clock(31 * 86400)
    error = emulator.fail(
        "InitiateAuth",
        {
            "AuthFlow": "REFRESH_TOKEN_AUTH",
            "ClientId": emulator.client_id,
            "AuthParameters": {"REFRESH_TOKEN": result["RefreshToken"]},
        },
    )
    assert error.message == "Refresh Token has expired"


def test_global_sign_out_revokes_every_session(emulator):
    username, _, first = signed_in(emulator)
    second = password_auth(emulator, username)
    emulator.call("GlobalSignOut", {"AccessToken": first["AccessToken"]})
    for result in (first, second):
        error = emulator.fail("GetUser", {"AccessToken": result["AccessToken"]})
        assert (error.type, error.message) == (
            "NotAuthorizedException",
            "Access Token has been revoked",
        )
        error = emulator.fail(
            "InitiateAuth",
            {
                "AuthFlow": "REFRESH_TOKEN_AUTH",
                "ClientId": emulator.client_id,
                "AuthParameters": {"REFRESH_TOKEN": result["RefreshToken"]},
            },
        )
        assert error.message == "Refresh Token has been revoked"
    # Signing in again works.
    emulator.call("GetUser", {"AccessToken": password_auth(emulator, username)["AccessToken"]})


def test_revoke_token_revokes_one_session(emulator):
    username, _, first = signed_in(emulator)
    second = password_auth(emulator, username)
    assert (
        emulator.call(
            "RevokeToken", {"Token": first["RefreshToken"], "ClientId": emulator.client_id}
        )
        == {}
    )
    assert emulator.fail("GetUser", {"AccessToken": first["AccessToken"]}).message == (
        "Access Token has been revoked"
    )
    emulator.call("GetUser", {"AccessToken": second["AccessToken"]})
    # Unknown tokens are accepted silently; JWTs are not refresh tokens.
    assert (
        emulator.call("RevokeToken", {"Token": "x.y.z.w.v", "ClientId": emulator.client_id}) == {}
    )
    error = emulator.fail(
        "RevokeToken", {"Token": second["AccessToken"], "ClientId": emulator.client_id}
    )
    assert error.type == "UnsupportedTokenTypeException"
    error = emulator.fail(
        "RevokeToken",
        {
            "Token": second["RefreshToken"],
            "ClientId": emulator.pools["main"]["clients"]["srp-only"]["id"],
        },
    )
    assert error.type == "UnauthorizedException"


def test_revoke_token_with_a_secret_client(emulator):
    username, _ = sign_up(emulator)
    from pycognito_emulator._accounts import secret_hash

    client_id, secret = emulator.secret_client_id, emulator.secret_client_secret
    result = emulator.call(
        "InitiateAuth",
        {
            "AuthFlow": "USER_PASSWORD_AUTH",
            "ClientId": client_id,
            "AuthParameters": {
                "USERNAME": username,
                "PASSWORD": PASSWORD,
                "SECRET_HASH": secret_hash(secret, username, client_id),
            },
        },
    )["AuthenticationResult"]
    body = {"Token": result["RefreshToken"], "ClientId": client_id}
    assert emulator.fail("RevokeToken", body).type == "UnauthorizedException"
    assert emulator.call("RevokeToken", dict(body, ClientSecret=secret)) == {}
