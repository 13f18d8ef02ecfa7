"""Managed login: /oauth2/authorize, the login pages, /oauth2/token, userInfo, revoke,
logout and the discovery document, driven as a browser and an OAuth client would."""

import base64
import hashlib
import hmac
import json
import struct
import time
import urllib.parse

import pytest
import requests
from emu_admin import admin_client, claims
from emu_helpers import PASSWORD
from emu_oauth import (
    CALLBACK,
    LOGOUT,
    OAuthPool,
    authorize_params,
    forms,
    open_login,
    pkce,
    sign_in_for_code,
    submit,
    token,
)


@pytest.fixture(scope="module")
def pool(emulator):
    return OAuthPool(emulator, admin_client(emulator))


def _exchange(pool, client, code, verifier, **more):
    data = {"grant_type": "authorization_code", "client_id": client["ClientId"],
            "code": code, "redirect_uri": CALLBACK, "code_verifier": verifier}  # fmt: skip
    data.update(more)
    return token(pool, data)


# Discovery ---------------------------------------------------------------------------


def test_discovery_names_the_endpoints_under_the_domain(pool):
    answer = requests.get("%s/%s/.well-known/openid-configuration"
                          % (pool.emulator.url, pool.pool_id), timeout=30)  # fmt: skip
    document = answer.json()
    for name, path in [("authorization_endpoint", "/oauth2/authorize"),
                       ("token_endpoint", "/oauth2/token"),
                       ("userinfo_endpoint", "/oauth2/userInfo"),
                       ("revocation_endpoint", "/oauth2/revoke"),
                       ("end_session_endpoint", "/logout")]:  # fmt: skip
        assert document[name] == pool.base + path
    assert document["code_challenge_methods_supported"] == ["S256"]


# The code flow -----------------------------------------------------------------------


def test_code_flow_with_pkce_gives_scoped_tokens_with_nonce_and_at_hash(pool):
    params, verifier = sign_in_for_code(
        pool, pool.public, nonce="n-0S6", scope="openid email api/read"
    )
    assert params["state"] == "xyz"
    answer = _exchange(pool, pool.public, params["code"], verifier)
    assert answer.status_code == 200, answer.text
    assert answer.headers["access-control-allow-origin"] == "*"
    assert answer.headers["cache-control"] == "no-store"
    body = answer.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    access, identity = claims(body["access_token"]), claims(body["id_token"])
    assert access["scope"] == "openid email api/read"
    assert identity["nonce"] == "n-0S6" and identity["aud"] == pool.public["ClientId"]
    digest = hashlib.sha256(body["access_token"].encode()).digest()[:16]
    assert identity["at_hash"] == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    assert identity["cognito:username"] == pool.username


def test_code_is_single_use_and_a_replay_revokes_its_tokens(pool):
    params, verifier = sign_in_for_code(pool, pool.public)
    first = _exchange(pool, pool.public, params["code"], verifier).json()
    again = _exchange(pool, pool.public, params["code"], verifier)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    info = requests.get(
        pool.url("/oauth2/userInfo"),
        timeout=30,
        headers={"Authorization": "Bearer " + first["access_token"]},
    )
    assert info.status_code == 401 and info.json()["error"] == "invalid_token"


def test_code_expires(pool):
    params, verifier = sign_in_for_code(pool, pool.public)
    pool.emulator.advance_clock(301)
    try:
        answer = _exchange(pool, pool.public, params["code"], verifier)
    finally:
        pool.emulator.reset_clock()
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"


def test_pkce_verifier_must_match(pool):
    params, _ = sign_in_for_code(pool, pool.public)
    other, _ = pkce()
    answer = _exchange(pool, pool.public, params["code"], other)
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"


def test_public_client_must_send_pkce(pool):
    session = requests.Session()
    params = authorize_params(pool.public)
    answer = session.get(pool.url("/oauth2/authorize"), params=params, allow_redirects=False,
                         timeout=30)  # fmt: skip
    location = urllib.parse.urlsplit(answer.headers["location"])
    assert location.geturl().startswith(CALLBACK + "?")
    query = dict(urllib.parse.parse_qsl(location.query))
    assert query["error"] == "invalid_request" and query["state"] == "xyz"
    plain = dict(params, code_challenge="x" * 43, code_challenge_method="plain")
    answer = session.get(pool.url("/oauth2/authorize"), params=plain, allow_redirects=False,
                         timeout=30)  # fmt: skip
    assert "error=invalid_request" in answer.headers["location"]


def test_code_of_one_client_is_refused_to_another(pool):
    params, verifier = sign_in_for_code(pool, pool.public)
    secret = pool.confidential["ClientSecret"]
    answer = token(pool, {"grant_type": "authorization_code", "code": params["code"],
                          "redirect_uri": CALLBACK, "code_verifier": verifier},
                   auth=(pool.confidential["ClientId"], secret))  # fmt: skip
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"


def test_redirect_uri_at_the_token_endpoint_must_match(pool):
    params, verifier = sign_in_for_code(pool, pool.public)
    answer = _exchange(pool, pool.public, params["code"], verifier,
                       redirect_uri=CALLBACK + "/other")  # fmt: skip
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"


def test_confidential_client_authenticates_by_basic_or_body(pool):
    client = pool.confidential
    for how in ("basic", "body", "wrong", "none"):
        params, verifier = sign_in_for_code(pool, client)
        data = {"grant_type": "authorization_code", "code": params["code"],
                "redirect_uri": CALLBACK, "code_verifier": verifier}  # fmt: skip
        auth = None
        if how == "basic":
            auth = (client["ClientId"], client["ClientSecret"])
        elif how == "body":
            data.update(client_id=client["ClientId"], client_secret=client["ClientSecret"])
        elif how == "wrong":
            auth = (client["ClientId"], "not-the-secret")
        else:
            data["client_id"] = client["ClientId"]
        answer = token(pool, data, auth)
        if how in ("basic", "body"):
            assert answer.status_code == 200, answer.text
        else:
            assert answer.json()["error"] == "invalid_client"
            assert answer.status_code == (401 if how == "wrong" else 400)


def test_refresh_userinfo_and_revoke(pool):
    params, verifier = sign_in_for_code(pool, pool.public, scope="openid email")
    first = _exchange(pool, pool.public, params["code"], verifier).json()
    refreshed = token(pool, {"grant_type": "refresh_token", "client_id": pool.public["ClientId"],
                             "refresh_token": first["refresh_token"]})  # fmt: skip
    assert refreshed.status_code == 200, refreshed.text
    body = refreshed.json()
    assert "refresh_token" not in body and claims(body["access_token"])["scope"] == "openid email"
    info = requests.get(
        pool.url("/oauth2/userInfo"),
        timeout=30,
        headers={"Authorization": "Bearer " + body["access_token"]},
    )
    assert info.status_code == 200
    assert info.json()["email"] == pool.username + "@example.com"
    assert info.json()["username"] == pool.username
    revoked = requests.post(pool.url("/oauth2/revoke"), timeout=30,
                            data={"token": first["refresh_token"],
                                  "client_id": pool.public["ClientId"]})  # fmt: skip
    assert revoked.status_code == 200
    again = token(pool, {"grant_type": "refresh_token", "client_id": pool.public["ClientId"],
                         "refresh_token": first["refresh_token"]})  # fmt: skip
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_userinfo_needs_a_bearer_token(pool):
    answer = requests.get(pool.url("/oauth2/userInfo"), timeout=30)
    assert answer.status_code == 401 and answer.json()["error"] == "invalid_token"
    answer = requests.get(
        pool.url("/oauth2/userInfo"), timeout=30, headers={"Authorization": "Bearer not-a-token"}
    )
    assert answer.status_code == 401


# client_credentials ------------------------------------------------------------------


def test_client_credentials_grants_custom_scopes(pool):
    machine = (pool.machine["ClientId"], pool.machine["ClientSecret"])
    answer = token(pool, {"grant_type": "client_credentials", "scope": "api/read"}, machine)
    assert answer.status_code == 200, answer.text
    access = claims(answer.json()["access_token"])
    assert access["scope"] == "api/read" and access["sub"] == pool.machine["ClientId"]
    assert access["token_use"] == "access" and "id_token" not in answer.json()
    every = token(pool, {"grant_type": "client_credentials"}, machine).json()
    assert claims(every["access_token"])["scope"] == "api/read api/write"
    bad = token(pool, {"grant_type": "client_credentials", "scope": "openid"}, machine)
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_scope"
    body = token(pool, {"grant_type": "client_credentials", "client_id": machine[0],
                        "client_secret": machine[1]})  # fmt: skip
    assert body.status_code == 200


def test_a_code_client_may_not_use_client_credentials(pool):
    client = pool.confidential
    answer = token(pool, {"grant_type": "client_credentials"},
                   (client["ClientId"], client["ClientSecret"]))  # fmt: skip
    assert answer.status_code == 400 and answer.json()["error"] == "unauthorized_client"


def test_token_endpoint_errors(pool):
    public = pool.public["ClientId"]
    assert token(pool, {"client_id": public}).json()["error"] == "invalid_request"
    answer = token(pool, {"client_id": public, "grant_type": "password"})
    assert answer.json()["error"] == "unsupported_grant_type"
    answer = token(pool, {"client_id": "nobody", "grant_type": "refresh_token"})
    assert answer.json()["error"] == "invalid_client"
    answer = requests.post(pool.url("/oauth2/token"), json={"grant_type": "refresh_token"},
                           timeout=30)  # fmt: skip
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_request"
    preflight = requests.options(
        pool.url("/oauth2/token"),
        timeout=30,
        headers={"Origin": "http://localhost:8123", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.headers["access-control-allow-origin"] == "*"


# Redirects ---------------------------------------------------------------------------


def test_unregistered_redirect_uri_gets_an_error_page_not_a_redirect(pool):
    for uri in ("https://evil.example.com/cb", CALLBACK + "/", CALLBACK + "?x=1"):
        params = dict(authorize_params(pool.public, challenge=pkce()[1]), redirect_uri=uri)
        answer = requests.get(pool.url("/oauth2/authorize"), params=params,
                              allow_redirects=False, timeout=30)  # fmt: skip
        assert answer.status_code == 400 and "location" not in answer.headers
        assert "redirect_uri" in answer.text and "evil" not in answer.headers.get("location", "")
    params = dict(authorize_params(pool.public, challenge=pkce()[1]), client_id="nobody")
    answer = requests.get(pool.url("/oauth2/authorize"), params=params, allow_redirects=False,
                          timeout=30)  # fmt: skip
    assert answer.status_code == 400 and "location" not in answer.headers


def test_authorize_errors_go_back_with_state(pool):
    challenge = pkce()[1]
    cases = [({"scope": "openid aws.cognito.signin.user.admin"}, "invalid_scope"),
             ({"response_type": "id_token"}, "unsupported_response_type"),
             ({"response_type": "token"}, "unauthorized_client"),
             ({"prompt": "none"}, "login_required"),
             ({"identity_provider": "Nobody"}, "invalid_request")]  # fmt: skip
    for extra, error in cases:
        params = authorize_params(pool.public, state="s-1", challenge=challenge, **extra)
        answer = requests.get(pool.url("/oauth2/authorize"), params=params,
                              allow_redirects=False, timeout=30)  # fmt: skip
        location = urllib.parse.urlsplit(answer.headers["location"])
        # An implicit request hears its error in the fragment, as its tokens would come.
        query = dict(urllib.parse.parse_qsl(location.fragment or location.query))
        assert (query["error"], query["state"]) == (error, "s-1"), extra
        assert bool(location.fragment) == (extra.get("response_type") == "token")


def test_implicit_flow_puts_tokens_in_the_fragment(pool):
    session = requests.Session()
    params = authorize_params(pool.implicit, response_type="token", nonce="abc")
    page = open_login(session, pool, params)
    answer = submit(session, page.url, page.text, {"username": pool.username, "password": PASSWORD})
    location = answer.headers["location"]
    assert location.startswith(CALLBACK + "#") and "?" not in location
    fragment = dict(urllib.parse.parse_qsl(location.split("#", 1)[1]))
    assert fragment["state"] == "xyz" and "refresh_token" not in fragment
    assert claims(fragment["id_token"])["nonce"] == "abc"
    assert claims(fragment["access_token"])["scope"] == "openid email"


def test_logout_only_to_a_registered_uri(pool):
    params = {"client_id": pool.public["ClientId"], "logout_uri": LOGOUT}
    answer = requests.get(pool.url("/logout"), params=params, allow_redirects=False, timeout=30)
    assert answer.status_code == 302 and answer.headers["location"] == LOGOUT
    params["logout_uri"] = "https://evil.example.com/"
    answer = requests.get(pool.url("/logout"), params=params, allow_redirects=False, timeout=30)
    assert answer.status_code == 400 and "location" not in answer.headers


def test_the_pool_id_selects_the_pool_too(pool):
    answer = requests.get("%s/%s/oauth2/authorize" % (pool.emulator.url, pool.pool_id),
                          params=authorize_params(pool.public, challenge=pkce()[1]),
                          allow_redirects=False, timeout=30)  # fmt: skip
    assert answer.headers["location"].startswith("/%s/login?" % pool.pool_id)
    answer = requests.get("%s/no-such-domain/oauth2/authorize" % pool.emulator.url,
                          allow_redirects=False, timeout=30)  # fmt: skip
    assert answer.status_code == 400 and "location" not in answer.headers


# The login pages ---------------------------------------------------------------------


def test_login_page_refuses_framing_and_carries_a_csrf_token(pool):
    session = requests.Session()
    page = open_login(session, pool, authorize_params(pool.public, challenge=pkce()[1],
                                                      login_hint="someone"))  # fmt: skip
    assert page.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    ((_, fields),) = forms(page.text)
    assert fields["_csrf"] == session.cookies["XSRF-TOKEN"] and len(fields["_csrf"]) >= 32
    assert fields["username"] == "someone"


def test_login_post_without_the_csrf_token_is_refused(pool):
    session = requests.Session()
    page = open_login(session, pool, authorize_params(pool.public, challenge=pkce()[1]))
    forged = submit(session, page.url, page.text, {"_csrf": "forged", "username": pool.username,
                                                   "password": PASSWORD})  # fmt: skip
    assert forged.status_code == 403 and "location" not in forged.headers
    # A cross-site post carries no cookie (SameSite): refused too.
    stranger = requests.Session()
    answer = submit(stranger, page.url, page.text, {"username": pool.username,
                                                    "password": PASSWORD})  # fmt: skip
    assert answer.status_code == 403 and "location" not in answer.headers


def test_wrong_password_shows_the_form_again(pool):
    session = requests.Session()
    page = open_login(session, pool, authorize_params(pool.public, challenge=pkce()[1]))
    answer = submit(session, page.url, page.text, {"username": pool.username, "password": "nope"})
    assert answer.status_code == 400 and "Incorrect username or password" in answer.text
    assert "location" not in answer.headers
    again = submit(session, page.url, answer.text, {"password": PASSWORD})
    assert again.status_code == 302 and again.headers["location"].startswith(CALLBACK + "?code=")


def test_new_password_and_mfa_pages(pool, emulator):
    idp = pool.idp
    username = "temp-" + pool.domain
    idp.admin_create_user(
        UserPoolId=pool.pool_id,
        Username=username,
        TemporaryPassword="Temp0rary!",
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": "t@example.com"},
            {"Name": "phone_number", "Value": "+15555550100"},
            {"Name": "phone_number_verified", "Value": "true"},
        ],
    )
    session = requests.Session()
    page = open_login(session, pool, authorize_params(pool.public, challenge=pkce()[1]))
    answer = submit(session, page.url, page.text, {"username": username, "password": "Temp0rary!"})
    assert answer.status_code == 200 and "Choose a new password" in answer.text
    assert answer.headers["x-frame-options"] == "DENY"
    weak = submit(session, page.url, answer.text, {"new_password": "short"})
    assert weak.status_code == 400 and "new_password" in weak.text
    done = submit(session, page.url, weak.text, {"new_password": "N3w-Passw0rd!"})
    assert done.status_code == 302 and "code=" in done.headers["location"]
    idp.set_user_pool_mfa_config(
        UserPoolId=pool.pool_id,
        MfaConfiguration="OPTIONAL",
        SmsMfaConfiguration={
            "SmsConfiguration": {
                "SnsCallerArn": "arn:aws:iam::123456789012:role/sms",
                "ExternalId": "x",
            }
        },
    )
    signed = emulator.call(
        "InitiateAuth",
        {
            "AuthFlow": "USER_PASSWORD_AUTH",
            "ClientId": pool.public["ClientId"],
            "AuthParameters": {"USERNAME": username, "PASSWORD": "N3w-Passw0rd!"},
        },
    )
    emulator.call("SetUserMFAPreference", {
        "AccessToken": signed["AuthenticationResult"]["AccessToken"],
        "SMSMfaSettings": {"Enabled": True, "PreferredMfa": True}})  # fmt: skip
    page = open_login(session, pool, authorize_params(pool.public, challenge=pkce()[1]))
    answer = submit(
        session, page.url, page.text, {"username": username, "password": "N3w-Passw0rd!"}
    )
    assert answer.status_code == 200 and "Enter the code we sent" in answer.text
    wrong = submit(session, page.url, answer.text, {"code": "000000"})
    assert wrong.status_code == 400 and "Enter the code we sent" in wrong.text
    done = submit(session, page.url, wrong.text, {"code": emulator.last_code(username)})
    assert done.status_code == 302 and "code=" in done.headers["location"]
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(done.headers["location"]).query))
    assert query["state"] == "xyz"


def test_answers_are_json(pool):
    answer = token(pool, {"client_id": pool.public["ClientId"], "grant_type": "nope"})
    assert answer.headers["content-type"].startswith("application/json")
    json.loads(answer.text)


def _totp(secret, at):
    # RFC 6238 with Cognito's parameters (SHA-1, 30 s, 6 digits).
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return "%06d" % ((int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF) % 10**6)


def test_totp_page(pool, emulator):
    idp = pool.idp
    idp.set_user_pool_mfa_config(UserPoolId=pool.pool_id, MfaConfiguration="OPTIONAL",
                                 SoftwareTokenMfaConfiguration={"Enabled": True})  # fmt: skip
    username = "totp-" + pool.domain
    idp.admin_create_user(
        UserPoolId=pool.pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "o@example.com"}],
    )
    idp.admin_set_user_password(UserPoolId=pool.pool_id, Username=username, Password=PASSWORD,
                                Permanent=True)  # fmt: skip
    access = emulator.call("InitiateAuth", {
        "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": pool.public["ClientId"],
        "AuthParameters": {"USERNAME": username, "PASSWORD": PASSWORD},
    })["AuthenticationResult"]["AccessToken"]  # fmt: skip
    secret = emulator.call("AssociateSoftwareToken", {"AccessToken": access})["SecretCode"]
    now = time.time()
    emulator.call("VerifySoftwareToken", {"AccessToken": access, "UserCode": _totp(secret, now)})
    emulator.call("SetUserMFAPreference", {
        "AccessToken": access,
        "SoftwareTokenMfaSettings": {"Enabled": True, "PreferredMfa": True}})  # fmt: skip
    session = requests.Session()
    page = open_login(session, pool, authorize_params(pool.public, challenge=pkce()[1]))
    answer = submit(session, page.url, page.text, {"username": username, "password": PASSWORD})
    assert answer.status_code == 200 and "authenticator code" in answer.text
    assert answer.headers["x-frame-options"] == "DENY"
    # The code of the next step: the one used to verify the token cannot be used again.
    done = submit(session, page.url, answer.text, {"code": _totp(secret, now + 30)})
    assert done.status_code == 302, done.text
    assert done.headers["location"].startswith(CALLBACK + "?code=")


def test_revoke_needs_token_revocation_enabled(pool):
    client = pool.idp.create_user_pool_client(
        UserPoolId=pool.pool_id, ClientName="no-revoke", EnableTokenRevocation=False,
    )["UserPoolClient"]  # fmt: skip
    answer = requests.post(pool.url("/oauth2/revoke"), timeout=30,
                           data={"token": "x", "client_id": client["ClientId"]})  # fmt: skip
    assert answer.status_code == 400 and answer.json()["error"] == "unsupported_token_type"


def test_a_parameter_given_twice_is_an_error_page(pool):
    query = "client_id=%s&redirect_uri=%s&redirect_uri=https://evil.example.com/" % (
        pool.public["ClientId"], CALLBACK)  # fmt: skip
    answer = requests.get(pool.url("/oauth2/authorize?") + query, allow_redirects=False,
                          timeout=30)  # fmt: skip
    assert answer.status_code == 400 and "location" not in answer.headers
    assert "more than once" in answer.text
