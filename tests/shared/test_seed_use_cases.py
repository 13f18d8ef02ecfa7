"""The original README's use cases 6, 7, 8, 11, 12, 13, 17 and 23, transliterated line by
line with the JavaScript-shaped API (dicts for object literals, None for null, ``self``
for ``this``, the outbox for ``prompt``), against the emulator, on CPython and inside
Pyodide. The other use cases are in test_flows_emulator.py (1-5, 14, 16),
test_devices_emulator.py (14, 15, 18-22) and test_flows_mfa_custom_identity.py (9, 10, 24).
"""

import base64
import json
import os
import time

from shared_support import http, sigv4_headers

from pycognito_web import (
    AuthenticationDetails,
    CognitoUser,
    CognitoUserAttribute,
    CognitoUserPool,
    MemoryStorage,
)

PASSWORD = "Corr3ct-Horse-Battery!"
IDENTITY_POOL_ID = "us-east-1:00000000-0000-4000-8000-000000000017"  # tests/conftest.py


def unique(name):
    return "%s-%s" % (name, base64.b32encode(os.urandom(5)).decode().lower().rstrip("="))


def pool_data(info):
    return {
        "UserPoolId": info.pool_id,
        "ClientId": info.client_id,
        "endpoint": info.url + "/",
        "Storage": MemoryStorage(),
    }


async def signed_in(info, userPool, username=None):
    """A confirmed, signed-in CognitoUser (use cases 1, 2 and 4)."""
    username = username or unique("seed")
    attributes = [CognitoUserAttribute({"Name": "email", "Value": username + "@example.com"})]
    await userPool.signUp(username, PASSWORD, attributes, None, lambda err, result: None)
    cognitoUser = CognitoUser({"Username": username, "Pool": userPool})
    code = await info.last_code(username)
    await cognitoUser.confirmRegistration(code, True, lambda err, result: None)
    details = AuthenticationDetails({"Username": username, "Password": PASSWORD})
    await cognitoUser.authenticateUser(
        details, {"onSuccess": lambda session: None, "onFailure": lambda err: None}
    )
    return cognitoUser


async def test_use_case_6_verify_an_attribute(emulator_info):
    userPool = CognitoUserPool(pool_data(emulator_info))
    cognitoUser = await signed_in(emulator_info, userPool)
    # Change the email so that it needs verifying again.
    await cognitoUser.updateAttributes(
        [CognitoUserAttribute({"Name": "email", "Value": unique("new") + "@example.com"})],
        lambda err, result, *details: None,
    )
    log = []

    class Callbacks:
        def onSuccess(self, result):
            log.append("call result: " + result)

        def onFailure(self, err):
            log.append(err)

        async def inputVerificationCode(self, *args):
            verificationCode = await emulator_info.last_code(cognitoUser.getUsername())
            await cognitoUser.verifyAttribute("email", verificationCode, self)

    await cognitoUser.getAttributeVerificationCode("email", Callbacks())
    assert log == ["call result: SUCCESS"]
    attributes = await cognitoUser.getUserAttributes(lambda err, result: None)
    values = {a.getName(): a.getValue() for a in attributes}
    assert values["email_verified"] == "true"


async def test_use_cases_7_and_8_delete_and_update_attributes(emulator_info):
    userPool = CognitoUserPool(pool_data(emulator_info))
    cognitoUser = await signed_in(emulator_info, userPool)
    log = []

    # Use case 8. Update user attributes for an authenticated user.
    attributeList = []
    attribute = {"Name": "nickname", "Value": "joe"}
    attribute = CognitoUserAttribute(attribute)
    attributeList.append(attribute)

    def updated(err, result, *details):
        if err:
            log.append(err)
            return
        log.append("call result: " + result)

    await cognitoUser.updateAttributes(attributeList, updated)
    attributes = await cognitoUser.getUserAttributes(lambda err, result: None)
    assert {a.getName(): a.getValue() for a in attributes}["nickname"] == "joe"

    # Use case 7. Delete user attribute for an authenticated user.
    attributeList = []
    attributeList.append("nickname")

    def deleted(err, result):
        if err:
            log.append(err)
            return
        log.append("call result: " + result)

    await cognitoUser.deleteAttributes(attributeList, deleted)
    attributes = await cognitoUser.getUserAttributes(lambda err, result: None)
    assert "nickname" not in {a.getName() for a in attributes}
    assert log == ["call result: SUCCESS", "call result: SUCCESS"]


async def test_use_cases_11_12_13_passwords_and_deletion(emulator_info):
    userPool = CognitoUserPool(pool_data(emulator_info))
    cognitoUser = await signed_in(emulator_info, userPool)
    username = cognitoUser.getUsername()
    log = []

    # Use case 11. Changing the current password for an authenticated user.
    def changed(err, result):
        if err:
            log.append(err)
            return
        log.append("call result: " + result)

    await cognitoUser.changePassword(PASSWORD, "Chang3d-Passw0rd!", changed)

    # Use case 12. Starting and completing a forgot password flow.
    cognitoUser = CognitoUser({"Username": username, "Pool": userPool})

    class ForgotPassword:
        def onSuccess(self, data):
            log.append("reset: %s" % data)

        def onFailure(self, err):
            log.append(err)

        async def inputVerificationCode(self, data):
            log.append("Code sent to: " + data["CodeDeliveryDetails"]["Destination"])
            verificationCode = await emulator_info.last_code(username)
            newPassword = "R3set-Passw0rd!"
            await cognitoUser.confirmPassword(verificationCode, newPassword, self)

    await cognitoUser.forgotPassword(ForgotPassword())
    assert log[0] == "call result: SUCCESS"
    assert log[1].startswith("Code sent to: " + username[0] + "***@")
    assert log[2] == "reset: SUCCESS"

    # Signing in with the new password, then use case 13. Deleting an authenticated user.
    details = AuthenticationDetails({"Username": username, "Password": "R3set-Passw0rd!"})
    await cognitoUser.authenticateUser(
        details, {"onSuccess": lambda s: None, "onFailure": log.append}
    )

    def deleted(err, result):
        if err:
            log.append(err)
            return
        log.append("call result: " + result)

    await cognitoUser.deleteUser(deleted)
    assert log[3:] == ["call result: SUCCESS"]
    gone = []
    try:
        await cognitoUser.authenticateUser(
            details, {"onSuccess": lambda s: None, "onFailure": gone.append}
        )
    except Exception:  # also delivered to onFailure
        pass
    assert [e.code for e in gone] == ["UserNotFoundException"]


async def test_use_case_17_aws_credentials_from_the_id_token(emulator_info):
    # JavaScript hands the ID token to AWS.CognitoIdentityCredentials; the port trades
    # it itself (GetId, GetCredentialsForIdentity) under the same Logins key.
    userPool = CognitoUserPool(pool_data(emulator_info))
    await signed_in(emulator_info, userPool)
    cognitoUser = userPool.getCurrentUser()
    results = []
    cognitoUser.getSession(lambda err, result: results.append(result))
    result = results[0]
    credentials = userPool.pool.identity_credentials(IDENTITY_POOL_ID, endpoint=emulator_info.url)
    aws = await credentials.get(result.getIdToken())
    assert aws.access_key_id.startswith("ASIA")
    assert aws.identity_id.startswith("us-east-1:")
    assert aws.expiration > time.time()


async def test_use_case_23_new_password_for_an_admin_created_user(emulator_info):
    username = unique("invited")
    body = json.dumps(
        {
            "UserPoolId": emulator_info.pool_id,
            "Username": username,
            "UserAttributes": [{"Name": "email", "Value": username + "@example.com"},
                               {"Name": "email_verified", "Value": "true"}],
        }
    )  # fmt: skip
    status, text = await http(
        "POST", emulator_info.url + "/", body,
        sigv4_headers(emulator_info.url + "/", "AdminCreateUser", body),
    )  # fmt: skip
    assert status == 200, text
    invitation = [m for m in await emulator_info.messages(username) if m["kind"] == "invitation"]
    temporaryPassword = invitation[-1]["code"]

    userPool = CognitoUserPool(pool_data(emulator_info))
    cognitoUser = CognitoUser({"Username": username, "Pool": userPool})
    authenticationDetails = AuthenticationDetails(
        {"Username": username, "Password": temporaryPassword}
    )
    newPassword = "N3w-Passw0rd-for-invitee"
    log = []

    class Callbacks:
        def onSuccess(self, result):
            # User authentication was successful
            log.append(("onSuccess", result.isValid()))

        def onFailure(self, err):
            # User authentication was not successful
            log.append(("onFailure", err))

        def mfaRequired(self, codeDeliveryDetails):
            log.append(("mfaRequired", codeDeliveryDetails))

        async def newPasswordRequired(self, userAttributes, requiredAttributes):
            log.append(("newPasswordRequired", sorted(userAttributes), requiredAttributes))
            # the api doesn't accept this field back
            del userAttributes["email_verified"]
            await cognitoUser.completeNewPasswordChallenge(newPassword, userAttributes, self)

    await cognitoUser.authenticateUser(authenticationDetails, Callbacks())
    assert log[0][0] == "newPasswordRequired"
    assert "email" in log[0][1] and "email_verified" in log[0][1]
    assert log[1] == ("onSuccess", True)
    # The new password works from now on.
    again = CognitoUser({"Username": username, "Pool": userPool})
    signed = []
    await again.authenticateUser(
        AuthenticationDetails({"Username": username, "Password": newPassword}),
        {"onSuccess": signed.append, "onFailure": signed.append},
    )
    assert signed[0].isValid()
