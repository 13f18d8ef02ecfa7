"""Cognito Identity over HTTP: GetId and GetCredentialsForIdentity with user-pool ID tokens."""

import base64
import hashlib
import hmac
import json
import time

from emu_helpers import PASSWORD, signed_in, unique
from emu_srp import SrpSignIn

TARGET = "AWSCognitoIdentityService."
IDENTITY_POOL_ID = "us-east-1:00000000-0000-4000-8000-000000000017"  # tests/conftest.py
OPEN_POOL = "us-east-1:99999999-0000-4000-8000-000000000001"


def identity(emulator, action, body):
    status, headers, raw = emulator.http(
        "POST", "/", json.dumps(body).encode(),
        {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": TARGET + action},
    )  # fmt: skip
    if status != 200:
        raise emulator.ApiError(status, headers, raw)
    return json.loads(raw)


def refused(emulator, action, body):
    try:
        answer = identity(emulator, action, body)
    except emulator.ApiError as error:
        return error
    raise AssertionError("%s succeeded: %r" % (action, answer))


def logins(emulator, token, pool_id=None):
    return {"cognito-idp.us-east-1.amazonaws.com/%s" % (pool_id or emulator.pool_id): token}


def test_get_id_and_credentials(emulator):
    _, _, result = signed_in(emulator)
    login = logins(emulator, result["IdToken"])
    first = identity(emulator, "GetId", {"IdentityPoolId": IDENTITY_POOL_ID, "Logins": login})
    again = identity(emulator, "GetId", {"IdentityPoolId": IDENTITY_POOL_ID, "Logins": login})
    assert first == again and first["IdentityId"].startswith("us-east-1:")
    answer = identity(
        emulator, "GetCredentialsForIdentity", {"IdentityId": first["IdentityId"], "Logins": login}
    )
    credentials = answer["Credentials"]
    assert answer["IdentityId"] == first["IdentityId"]
    assert credentials["AccessKeyId"].startswith("ASIAEMULATOR")
    assert len(credentials["AccessKeyId"]) == 20
    assert credentials["SecretKey"] and credentials["SessionToken"].startswith("emulator-")
    assert 3500 < credentials["Expiration"] - time.time() <= 3600
    # Another identity pool gives another identity; an open one accepts any user pool.
    other = identity(emulator, "GetId", {"IdentityPoolId": OPEN_POOL, "Logins": login})
    assert other["IdentityId"] != first["IdentityId"]
    mismatch = refused(
        emulator, "GetCredentialsForIdentity",
        {"IdentityId": first["IdentityId"].replace("-", "0", 1)[:-1] + "0", "Logins": login},
    )  # fmt: skip
    assert mismatch.type == "NotAuthorizedException"


def test_bad_logins_are_refused(emulator):
    _, _, result = signed_in(emulator)
    token = result["IdToken"]
    cases = [
        ({}, "Unauthenticated access is not supported for this identity pool."),
        (logins(emulator, result["AccessToken"]), "Invalid login token. Token signature invalid."),
        (logins(emulator, "not-a-jwt"),
         "Invalid login token. Not a valid OpenId Connect identity token."),
        (logins(emulator, token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")),
         "Invalid login token. Token signature invalid."),
        ({"accounts.google.com": token},
         "Token is not from a supported provider of this identity pool."),
        (logins(emulator, token, emulator.pools["email"]["id"]),
         "Invalid login token. Issuer doesn't match providerName"),
    ]  # fmt: skip
    for login, message in cases:
        error = refused(emulator, "GetId", {"IdentityPoolId": IDENTITY_POOL_ID, "Logins": login})
        assert (error.type, error.message) == ("NotAuthorizedException", message), login
    bad = refused(emulator, "GetId", {"IdentityPoolId": "nope", "Logins": logins(emulator, token)})
    assert bad.type == "InvalidParameterException"


def test_listed_identity_pools_trust_only_their_providers(emulator):
    # IDENTITY_POOL_ID trusts main/web and mfa-optional: not main/server, not "email".
    username, _, _ = signed_in(emulator)
    secret = emulator.secret_client_secret
    digest = hmac.new(secret.encode(), (username + emulator.secret_client_id).encode(),
                      hashlib.sha256).digest()  # fmt: skip
    server = emulator.call(
        "InitiateAuth",
        {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": emulator.secret_client_id,
         "AuthParameters": {"USERNAME": username, "PASSWORD": PASSWORD,
                            "SECRET_HASH": base64.b64encode(digest).decode()}},
    )["AuthenticationResult"]  # fmt: skip
    error = refused(
        emulator, "GetId",
        {"IdentityPoolId": IDENTITY_POOL_ID, "Logins": logins(emulator, server["IdToken"])},
    )  # fmt: skip
    assert error.message == "Token is not from a supported provider of this identity pool."
    opened = {"IdentityPoolId": OPEN_POOL, "Logins": logins(emulator, server["IdToken"])}
    assert identity(emulator, "GetId", opened)["IdentityId"]

    email_pool = emulator.pools["email"]
    client_id = email_pool["clients"]["web"]["id"]
    name = "id-%s@example.com" % unique("e")
    emulator.call("SignUp", {"ClientId": client_id, "Username": name, "Password": PASSWORD})
    emulator.call(
        "ConfirmSignUp",
        {"ClientId": client_id, "Username": name, "ConfirmationCode": emulator.last_code(name)},
    )
    result = SrpSignIn(emulator.call, email_pool["id"], client_id, name, PASSWORD).run()
    login = logins(emulator, result["AuthenticationResult"]["IdToken"], email_pool["id"])
    error = refused(emulator, "GetId", {"IdentityPoolId": IDENTITY_POOL_ID, "Logins": login})
    assert error.message == "Token is not from a supported provider of this identity pool."
    opened = identity(emulator, "GetId", {"IdentityPoolId": OPEN_POOL, "Logins": login})
    answer = identity(
        emulator, "GetCredentialsForIdentity", {"IdentityId": opened["IdentityId"], "Logins": login}
    )
    assert answer["Credentials"]["AccessKeyId"].startswith("ASIAEMULATOR")


def test_expired_id_tokens_are_refused(emulator):
    _, _, result = signed_in(emulator)
    login = logins(emulator, result["IdToken"])
    found = identity(emulator, "GetId", {"IdentityPoolId": IDENTITY_POOL_ID, "Logins": login})
    emulator.advance_clock(2 * 3600)
    try:
        error = refused(
            emulator, "GetCredentialsForIdentity",
            {"IdentityId": found["IdentityId"], "Logins": login},
        )  # fmt: skip
    finally:
        emulator.reset_clock()
    assert error.message.startswith("Invalid login token. Token expired")
