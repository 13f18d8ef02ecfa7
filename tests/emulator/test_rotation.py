"""Refresh-token rotation over HTTP: GetTokensFromRefreshToken with rotation on and off,
the grace period, reuse after it, REFRESH_TOKEN_AUTH refused on rotating clients,
revocation of rotated tokens, client secrets, device keys, and the app client's
RefreshTokenRotation setting through boto3 (botocore's own model checks the shapes)."""

import base64
import json

import boto3
import pytest
from botocore.config import Config
from emu_helpers import password_auth, sign_up, unique
from test_devices import Pool

FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def claims(jwt):
    body = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


@pytest.fixture(scope="module")
def admin(emulator):
    return boto3.client(
        "cognito-idp", endpoint_url=emulator.url, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}),
    )  # fmt: skip


@pytest.fixture
def clock(emulator):
    yield emulator
    emulator.reset_clock()


def make_client(admin, pool_id, rotation=None, **extra):
    settings = dict(ClientName=unique("rot"), ExplicitAuthFlows=FLOWS, **extra)
    if rotation is not None:
        settings["RefreshTokenRotation"] = rotation
    return admin.create_user_pool_client(UserPoolId=pool_id, **settings)["UserPoolClient"]


@pytest.fixture(scope="module")
def rotating(admin, emulator):
    return make_client(
        admin, emulator.pool_id, {"Feature": "ENABLED", "RetryGracePeriodSeconds": 10}
    )["ClientId"]


@pytest.fixture(scope="module")
def strict(admin, emulator):
    """Rotation with no grace period: a token works exactly once."""
    return make_client(admin, emulator.pool_id, {"Feature": "ENABLED"})["ClientId"]


@pytest.fixture(scope="module")
def plain(admin, emulator):
    return make_client(admin, emulator.pool_id, {"Feature": "DISABLED"})["ClientId"]


def sign_in(emulator, client_id):
    username, _ = sign_up(emulator, client_id=client_id)
    return username, password_auth(emulator, username, client_id=client_id)


def get_tokens(emulator, client_id, token, **extra):
    body = dict({"ClientId": client_id, "RefreshToken": token}, **extra)
    return emulator.call("GetTokensFromRefreshToken", body)["AuthenticationResult"]


def refresh_auth(emulator, client_id, token):
    return {
        "AuthFlow": "REFRESH_TOKEN_AUTH",
        "ClientId": client_id,
        "AuthParameters": {"REFRESH_TOKEN": token},
    }


# Without rotation ---------------------------------------------------------------------


def test_without_rotation_only_id_and_access_tokens(emulator, plain):
    username, first = sign_in(emulator, plain)
    again = get_tokens(emulator, plain, first["RefreshToken"])
    assert sorted(again) == ["AccessToken", "ExpiresIn", "IdToken", "TokenType"]
    assert again["TokenType"] == "Bearer" and again["ExpiresIn"] == 3600
    assert claims(again["AccessToken"])["origin_jti"] == claims(first["AccessToken"])["origin_jti"]
    assert claims(again["IdToken"])["cognito:username"] == username
    # The same token keeps working, and REFRESH_TOKEN_AUTH still does too.
    get_tokens(emulator, plain, first["RefreshToken"])
    answer = emulator.call("InitiateAuth", refresh_auth(emulator, plain, first["RefreshToken"]))
    assert "RefreshToken" not in answer["AuthenticationResult"]


def test_works_on_a_client_that_never_set_rotation(emulator):
    _, first = password_auth_user(emulator)
    again = get_tokens(emulator, emulator.client_id, first["RefreshToken"])
    assert "RefreshToken" not in again
    emulator.call("GetUser", {"AccessToken": again["AccessToken"]})


def password_auth_user(emulator):
    username, _ = sign_up(emulator)
    return username, password_auth(emulator, username)


# With rotation ------------------------------------------------------------------------


def test_rotation_returns_a_new_refresh_token_that_works(emulator, strict):
    _, first = sign_in(emulator, strict)
    second = get_tokens(emulator, strict, first["RefreshToken"])
    assert sorted(second) == ["AccessToken", "ExpiresIn", "IdToken", "RefreshToken", "TokenType"]
    assert second["RefreshToken"] != first["RefreshToken"]
    assert second["RefreshToken"].count(".") == 4
    third = get_tokens(emulator, strict, second["RefreshToken"])
    assert third["RefreshToken"] not in (first["RefreshToken"], second["RefreshToken"])
    emulator.call("GetUser", {"AccessToken": third["AccessToken"]})
    # One sign-in: every token carries the sign-in's origin_jti.
    jtis = {claims(r["AccessToken"])["origin_jti"] for r in (first, second, third)}
    assert len(jtis) == 1


def test_without_grace_period_a_spent_token_is_reuse(emulator, strict):
    _, first = sign_in(emulator, strict)
    second = get_tokens(emulator, strict, first["RefreshToken"])
    error = emulator.fail(
        "GetTokensFromRefreshToken", {"ClientId": strict, "RefreshToken": first["RefreshToken"]}
    )
    assert error.type == "RefreshTokenReuseException"
    # Reuse means a copy is loose: the whole sign-in is revoked, new token included.
    error = emulator.fail(
        "GetTokensFromRefreshToken", {"ClientId": strict, "RefreshToken": second["RefreshToken"]}
    )
    assert (error.type, error.message) == (
        "NotAuthorizedException",
        "Refresh Token has been revoked",
    )
    error = emulator.fail("GetUser", {"AccessToken": second["AccessToken"]})
    assert (error.type, error.message) == (
        "NotAuthorizedException",
        "Access Token has been revoked",
    )


def test_grace_period_lets_the_old_token_retry_then_refuses_it(clock, rotating):
    emulator = clock
    _, first = sign_in(emulator, rotating)
    second = get_tokens(emulator, rotating, first["RefreshToken"])
    emulator.advance_clock(8)
    retry = get_tokens(emulator, rotating, first["RefreshToken"])  # within 10 s
    assert retry["RefreshToken"] not in (first["RefreshToken"], second["RefreshToken"])
    # Both tokens the retries produced are good (a lost answer loses nothing).
    emulator.call("GetUser", {"AccessToken": retry["AccessToken"]})
    kept = get_tokens(emulator, rotating, second["RefreshToken"])
    emulator.advance_clock(5)  # 13 s after the first use
    error = emulator.fail(
        "GetTokensFromRefreshToken", {"ClientId": rotating, "RefreshToken": first["RefreshToken"]}
    )
    assert error.type == "RefreshTokenReuseException"
    assert error.message
    error = emulator.fail("GetUser", {"AccessToken": kept["AccessToken"]})
    assert error.type == "NotAuthorizedException"


def test_rotation_refuses_refresh_token_auth(emulator, rotating, admin):
    _, first = sign_in(emulator, rotating)
    error = emulator.fail("InitiateAuth", refresh_auth(emulator, rotating, first["RefreshToken"]))
    assert error.type == "InvalidParameterException"
    assert "GetTokensFromRefreshToken" in error.message
    # Refused by the flow, not spent: the token still rotates.
    get_tokens(emulator, rotating, first["RefreshToken"])
    with pytest.raises(admin.exceptions.InvalidParameterException):
        admin.admin_initiate_auth(
            UserPoolId=emulator.pool_id, ClientId=rotating, AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": first["RefreshToken"]},
        )  # fmt: skip


def test_tokens_spent_by_rotation_stay_refused_when_rotation_is_turned_off(emulator, admin):
    client = make_client(admin, emulator.pool_id, {"Feature": "ENABLED"})
    _, first = sign_in(emulator, client["ClientId"])
    second = get_tokens(emulator, client["ClientId"], first["RefreshToken"])
    admin.update_user_pool_client(
        UserPoolId=emulator.pool_id, ClientId=client["ClientId"], ExplicitAuthFlows=FLOWS,
        RefreshTokenRotation={"Feature": "DISABLED"},
    )  # fmt: skip
    error = emulator.fail(
        "InitiateAuth", refresh_auth(emulator, client["ClientId"], first["RefreshToken"])
    )
    assert (error.type, error.message) == ("NotAuthorizedException", "Invalid Refresh Token")
    error = emulator.fail(
        "GetTokensFromRefreshToken",
        {"ClientId": client["ClientId"], "RefreshToken": first["RefreshToken"]},
    )
    assert error.type == "RefreshTokenReuseException"
    # The token rotation issued last works with both ways of refreshing now.
    assert "RefreshToken" not in get_tokens(emulator, client["ClientId"], second["RefreshToken"])
    emulator.call(
        "InitiateAuth", refresh_auth(emulator, client["ClientId"], second["RefreshToken"])
    )


# Revocation ---------------------------------------------------------------------------


def test_revoke_token_reaches_rotated_tokens(emulator, strict):
    _, first = sign_in(emulator, strict)
    second = get_tokens(emulator, strict, first["RefreshToken"])
    assert emulator.call("RevokeToken", {"Token": second["RefreshToken"], "ClientId": strict}) == {}
    for token in (first["AccessToken"], second["AccessToken"]):
        error = emulator.fail("GetUser", {"AccessToken": token})
        assert error.message == "Access Token has been revoked"
    error = emulator.fail(
        "GetTokensFromRefreshToken", {"ClientId": strict, "RefreshToken": second["RefreshToken"]}
    )
    assert (error.type, error.message) == (
        "NotAuthorizedException",
        "Refresh Token has been revoked",
    )


def test_revoking_the_first_token_revokes_its_rotations(emulator, strict):
    _, first = sign_in(emulator, strict)
    second = get_tokens(emulator, strict, first["RefreshToken"])
    emulator.call("RevokeToken", {"Token": first["RefreshToken"], "ClientId": strict})
    error = emulator.fail(
        "GetTokensFromRefreshToken", {"ClientId": strict, "RefreshToken": second["RefreshToken"]}
    )
    assert error.message == "Refresh Token has been revoked"


def test_global_sign_out_reaches_rotated_tokens(emulator, strict):
    username, first = sign_in(emulator, strict)
    second = get_tokens(emulator, strict, first["RefreshToken"])
    other = password_auth(emulator, username, client_id=strict)
    emulator.call("GlobalSignOut", {"AccessToken": second["AccessToken"]})
    for token in (second["RefreshToken"], other["RefreshToken"]):
        error = emulator.fail(
            "GetTokensFromRefreshToken", {"ClientId": strict, "RefreshToken": token}
        )
        assert error.message == "Refresh Token has been revoked"


# Refusals -----------------------------------------------------------------------------


def test_refusals(emulator, strict, plain):
    _, first = sign_in(emulator, strict)
    cases = [
        ({"ClientId": plain, "RefreshToken": first["RefreshToken"]},
         "NotAuthorizedException", "Invalid Refresh Token"),
        ({"ClientId": strict, "RefreshToken": "a.b.c.d.e"},
         "NotAuthorizedException", "Invalid Refresh Token"),
        ({"ClientId": "nosuchclient", "RefreshToken": first["RefreshToken"]},
         "ResourceNotFoundException", None),
        ({"ClientId": strict}, "InvalidParameterException", None),
        ({"ClientId": strict, "RefreshToken": "not a token!"}, "InvalidParameterException", None),
        ({"ClientId": strict, "RefreshToken": first["RefreshToken"], "DeviceKey": "bad key"},
         "InvalidParameterException", None),
        ({"ClientId": strict, "RefreshToken": 5}, "SerializationException", None),
    ]  # fmt: skip
    for body, kind, message in cases:
        error = emulator.fail("GetTokensFromRefreshToken", body)
        assert error.type == kind, body
        if message:
            assert error.message == message
        assert first["RefreshToken"] not in error.message
    # None of the refusals spent the token.
    get_tokens(emulator, strict, first["RefreshToken"])


def test_expired_refresh_token(clock, strict):
    emulator = clock
    _, first = sign_in(emulator, strict)
    second = get_tokens(emulator, strict, first["RefreshToken"])
    emulator.advance_clock(30 * 86400 + 1)
    error = emulator.fail(
        "GetTokensFromRefreshToken", {"ClientId": strict, "RefreshToken": second["RefreshToken"]}
    )
    assert (error.type, error.message) == ("NotAuthorizedException", "Refresh Token has expired")


def test_client_secret(emulator, admin):
    client = make_client(admin, emulator.pool_id, {"Feature": "ENABLED"}, GenerateSecret=True)
    username = unique("sec")
    secret_hash = _secret_hash(client, username)
    admin.sign_up(
        ClientId=client["ClientId"], Username=username, Password="Passw0rd!",
        SecretHash=secret_hash,
        UserAttributes=[{"Name": "email", "Value": username + "@example.com"}],
    )  # fmt: skip
    admin.admin_confirm_sign_up(UserPoolId=emulator.pool_id, Username=username)
    result = emulator.call(
        "InitiateAuth",
        {
            "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client["ClientId"],
            "AuthParameters": {"USERNAME": username, "PASSWORD": "Passw0rd!",
                               "SECRET_HASH": secret_hash},
        },
    )["AuthenticationResult"]  # fmt: skip
    body = {"ClientId": client["ClientId"], "RefreshToken": result["RefreshToken"]}
    error = emulator.fail("GetTokensFromRefreshToken", body)
    assert error.type == "NotAuthorizedException" and "secret" in error.message
    error = emulator.fail("GetTokensFromRefreshToken", dict(body, ClientSecret="x" * 30))
    assert error.type == "NotAuthorizedException" and "secret" in error.message
    boto = admin.get_tokens_from_refresh_token(
        ClientId=client["ClientId"], RefreshToken=result["RefreshToken"],
        ClientSecret=client["ClientSecret"], ClientMetadata={"source": "test"},
    )["AuthenticationResult"]  # fmt: skip
    assert boto["RefreshToken"] != result["RefreshToken"]


def _secret_hash(client, username):
    import hashlib
    import hmac

    digest = hmac.new(
        client["ClientSecret"].encode(), (username + client["ClientId"]).encode(), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode()


def test_device_key(emulator, admin):
    pool = Pool(emulator, "devices-always")
    client = make_client(admin, pool.id, {"Feature": "ENABLED"})["ClientId"]
    pool.client_id = client
    username = pool.user()
    result = pool.password_auth(username)["AuthenticationResult"]
    device = pool.confirm(result)[0]
    signed = result
    assert claims(signed["AccessToken"])["device_key"] == device["key"]
    kept = get_tokens(emulator, client, signed["RefreshToken"], DeviceKey=device["key"])
    assert claims(kept["AccessToken"])["device_key"] == device["key"]
    # A device key this user has no confirmed device for: Cognito's Invalid Refresh Token.
    other = pool.id.split("_")[0] + "_00000000-0000-4000-8000-000000000000"
    error = emulator.fail(
        "GetTokensFromRefreshToken",
        {"ClientId": client, "RefreshToken": kept["RefreshToken"], "DeviceKey": other},
    )
    assert (error.type, error.message) == ("NotAuthorizedException", "Invalid Refresh Token")
    get_tokens(emulator, client, kept["RefreshToken"], DeviceKey=device["key"])


# The app client setting ---------------------------------------------------------------


def test_describe_and_update_show_the_setting(admin, emulator):
    client = make_client(
        admin, emulator.pool_id, {"Feature": "ENABLED", "RetryGracePeriodSeconds": 60}
    )
    assert client["RefreshTokenRotation"] == {"Feature": "ENABLED", "RetryGracePeriodSeconds": 60}
    described = admin.describe_user_pool_client(
        UserPoolId=emulator.pool_id, ClientId=client["ClientId"]
    )["UserPoolClient"]
    assert described["RefreshTokenRotation"] == client["RefreshTokenRotation"]
    updated = admin.update_user_pool_client(
        UserPoolId=emulator.pool_id, ClientId=client["ClientId"],
        RefreshTokenRotation={"Feature": "DISABLED", "RetryGracePeriodSeconds": 0},
    )["UserPoolClient"]  # fmt: skip
    assert updated["RefreshTokenRotation"] == {"Feature": "DISABLED", "RetryGracePeriodSeconds": 0}
    # UpdateUserPoolClient resets what it leaves out, this setting too.
    updated = admin.update_user_pool_client(
        UserPoolId=emulator.pool_id, ClientId=client["ClientId"]
    )["UserPoolClient"]
    assert "RefreshTokenRotation" not in updated


@pytest.mark.parametrize(
    "setting, words",
    [
        ({"RetryGracePeriodSeconds": 5}, "refreshTokenRotation.feature' failed to satisfy "
         "constraint: Member must not be null"),
        ({"Feature": "ON"}, "Member must satisfy enum value set: [ENABLED, DISABLED]"),
        ({"Feature": "ENABLED", "RetryGracePeriodSeconds": 61},
         "Member must have value less than or equal to 60"),
        ({"Feature": "ENABLED", "RetryGracePeriodSeconds": -1},
         "Member must have value greater than or equal to 0"),
    ],
)  # fmt: skip
def test_bad_settings_are_refused(emulator, setting, words):
    # boto3 with its own checks off: botocore would refuse these before sending.
    for call, extra in (
        ("create_user_pool_client", {"ClientName": unique("bad")}),
        ("update_user_pool_client", {"ClientId": emulator.client_id}),
    ):
        body = dict({"UserPoolId": emulator.pool_id, "RefreshTokenRotation": setting}, **extra)
        code, message = unchecked_fail(emulator, call, body)
        assert code == "InvalidParameterException"
        assert words in message


def unchecked_fail(emulator, call, body):
    import botocore.exceptions

    client = boto3.client(
        "cognito-idp", endpoint_url=emulator.url, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}, parameter_validation=False),
    )  # fmt: skip
    try:
        getattr(client, call)(**body)
    except botocore.exceptions.ClientError as error:
        return error.response["Error"]["Code"], error.response["Error"]["Message"]
    raise AssertionError("%s succeeded" % call)


def test_bad_setting_on_update_changes_nothing(admin, emulator):
    client = make_client(admin, emulator.pool_id, {"Feature": "ENABLED"})
    body = {"UserPoolId": emulator.pool_id, "ClientId": client["ClientId"],
            "RefreshTokenRotation": {"Feature": "MAYBE"}}  # fmt: skip
    assert unchecked_fail(emulator, "update_user_pool_client", body)[0] == (
        "InvalidParameterException"
    )
    described = admin.describe_user_pool_client(
        UserPoolId=emulator.pool_id, ClientId=client["ClientId"]
    )["UserPoolClient"]
    assert described["RefreshTokenRotation"] == {"Feature": "ENABLED"}
