"""Token revocation over HTTP: RevokeToken and GlobalSignOut reach the access tokens made
by refreshes too, EnableTokenRevocation, and what revocation leaves alone (devices)."""

import base64
import json

from test_devices import Pool


def claims(jwt):
    body = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def refresh(emulator, client_id, token):
    return emulator.call(
        "InitiateAuth",
        {
            "AuthFlow": "REFRESH_TOKEN_AUTH",
            "ClientId": client_id,
            "AuthParameters": {"REFRESH_TOKEN": token},
        },
    )["AuthenticationResult"]


def test_every_token_carries_jti_and_the_sign_ins_origin_jti(emulator):
    pool = Pool(emulator)
    first = pool.password_auth(pool.user())["AuthenticationResult"]
    again = refresh(emulator, pool.client_id, first["RefreshToken"])
    tokens = [claims(first[n]) for n in ("IdToken", "AccessToken")]
    tokens += [claims(again[n]) for n in ("IdToken", "AccessToken")]
    assert len({token["jti"] for token in tokens}) == 4
    assert len({token["origin_jti"] for token in tokens}) == 1
    assert "RefreshToken" not in again


def test_revoke_token_reaches_access_tokens_made_by_refresh(emulator):
    pool = Pool(emulator)
    username = pool.user()
    first = pool.password_auth(username)["AuthenticationResult"]
    other = pool.password_auth(username)["AuthenticationResult"]
    refreshed = refresh(emulator, pool.client_id, first["RefreshToken"])
    body = {"Token": first["RefreshToken"], "ClientId": pool.client_id}
    assert emulator.call("RevokeToken", body) == {}
    for token in (first["AccessToken"], refreshed["AccessToken"]):
        for action, extra in (("GetUser", {}), ("ListDevices", {})):
            error = emulator.fail(action, dict({"AccessToken": token}, **extra))
            assert (error.type, error.message) == (
                "NotAuthorizedException",
                "Access Token has been revoked",
            )
    error = emulator.fail(
        "InitiateAuth",
        {
            "AuthFlow": "REFRESH_TOKEN_AUTH",
            "ClientId": pool.client_id,
            "AuthParameters": {"REFRESH_TOKEN": first["RefreshToken"]},
        },
    )
    assert (error.type, error.message) == (
        "NotAuthorizedException",
        "Refresh Token has been revoked",
    )
    # Revoking twice is fine; the other sign-in is untouched.
    assert emulator.call("RevokeToken", body) == {}
    emulator.call("GetUser", {"AccessToken": other["AccessToken"]})
    refresh(emulator, pool.client_id, other["RefreshToken"])


def test_revoke_token_needs_token_revocation_and_the_right_client(emulator):
    pool = Pool(emulator, client="no-revocation")
    result = pool.password_auth(pool.user())["AuthenticationResult"]
    error = emulator.fail(
        "RevokeToken", {"Token": result["RefreshToken"], "ClientId": pool.client_id}
    )
    assert error.type == "UnsupportedOperationException"
    emulator.call("GetUser", {"AccessToken": result["AccessToken"]})
    web = Pool(emulator).client_id
    error = emulator.fail("RevokeToken", {"Token": result["RefreshToken"], "ClientId": web})
    assert error.type == "UnauthorizedException"
    error = emulator.fail("RevokeToken", {"Token": result["RefreshToken"], "ClientId": "nope"})
    assert error.type == "UnauthorizedException"
    emulator.call("GetUser", {"AccessToken": result["AccessToken"]})
    # GlobalSignOut works whatever the client's revocation setting.
    emulator.call("GlobalSignOut", {"AccessToken": result["AccessToken"]})
    error = emulator.fail("GetUser", {"AccessToken": result["AccessToken"]})
    assert error.message == "Access Token has been revoked"


def test_global_sign_out_revokes_refreshed_tokens_and_keeps_devices(emulator):
    pool = Pool(emulator, "devices-always")
    username = pool.user()
    first = pool.sign_in(username)["AuthenticationResult"]
    device, _ = pool.confirm(first)
    second = pool.remembered_sign_in(username, device)
    refreshed = refresh(emulator, pool.client_id, second["RefreshToken"])
    assert emulator.call("GlobalSignOut", {"AccessToken": refreshed["AccessToken"]}) == {}
    for result in (first, second, refreshed):
        error = emulator.fail("GetUser", {"AccessToken": result["AccessToken"]})
        assert error.message == "Access Token has been revoked"
    for result in (first, second):
        error = emulator.fail(
            "InitiateAuth",
            {
                "AuthFlow": "REFRESH_TOKEN_AUTH",
                "ClientId": pool.client_id,
                "AuthParameters": {"REFRESH_TOKEN": result["RefreshToken"]},
            },
        )
        assert error.message == "Refresh Token has been revoked"
    error = emulator.fail("GlobalSignOut", {"AccessToken": first["AccessToken"]})
    assert error.message == "Access Token has been revoked"
    # The device is still remembered: the next sign-in uses it.
    after = pool.remembered_sign_in(username, device)
    assert [d["DeviceKey"] for d in pool.list(after["AccessToken"])["Devices"]] == [device["key"]]
