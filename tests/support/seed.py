"""The original SDK README's 24 use cases, written once, run in every runtime.

Transliterated line by line with the JavaScript-shaped API (dicts for object literals,
None for null, ``self`` for ``this``, the emulator's outbox for ``prompt``). Each
scenario is ``async def scenario(info)`` over a ``support.remote.EmulatorInfo``; it
asserts what it checks and raises on the first difference. They run:

* on CPython under pytest, in-process and over HTTP (tests/shared/test_seed_use_cases.py);
* inside Pyodide, over fetch (the same file, through tests/pyodide);
* inside MicroPython, over fetch (tests/micropython/mpy_test_seed.py).

In MicroPython's subset: plain classes, ``%`` formatting, a polled flag for the
callbacks a scenario waits for (MicroPython's asyncio has no futures).

``SCENARIOS`` lists them as (name, function).
"""

import asyncio
import time

from pycognito_web import (
    AuthenticationDetails,
    CognitoUser,
    CognitoUserAttribute,
    CognitoUserPool,
    MemoryStorage,
    ServiceError,
    UserPool,
)

from .common import PASSWORD, PREFIX, raises, unique
from .config import IDENTITY_POOL_ID

PHONE = "+12065550008"


class Waiter:
    """A callback object's outcome that the scenario can await (onSuccess/onFailure)."""

    def __init__(self):
        self.event = asyncio.Event()
        self.args = None
        self.error = None

    def success(self, *args):
        if not self.event.is_set():
            self.args = args
            self.event.set()

    def failure(self, error):
        if not self.event.is_set():
            self.error = error
            self.event.set()

    async def wait(self, seconds=60):
        # Polled, not asyncio.wait_for: MicroPython's browser event loop cannot cancel
        # a top-level wait.
        deadline = time.time() + seconds
        while not self.event.is_set():
            assert time.time() < deadline, "no onSuccess/onFailure within %d s" % seconds
            await asyncio.sleep(0.01)
        if self.error is not None:
            raise self.error
        return self.args


async def signed_in(info, userPool, username=None):
    """A confirmed, signed-in CognitoUser (use cases 1, 2 and 4, quietly)."""
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


async def use_cases_1_to_5_14_16(info):
    """Register, confirm, resend, sign in, attributes, the current user, sign out."""
    storage = MemoryStorage()
    name = unique("seed")
    events = []

    # Use case 1. Registering a user with the application.
    poolData = info.pool_data(storage)
    userPool = CognitoUserPool(poolData)
    attributeList = []
    dataEmail = {"Name": "email", "Value": name + "@example.com"}
    attributeEmail = CognitoUserAttribute(dataEmail)
    attributeList.append(attributeEmail)

    def signed_up(err, result):
        assert err is None, err
        events.append(("signUp", result["user"].getUsername()))

    await userPool.signUp(name, PASSWORD, attributeList, None, signed_up)

    # Use case 2. Confirming a registered, unauthenticated user.
    userData = {"Username": name, "Pool": userPool}
    cognitoUser = CognitoUser(userData)
    code = await info.last_code(name)

    def confirmed(err, result):
        assert err is None, err
        events.append(("confirmRegistration", result))

    await cognitoUser.confirmRegistration(code, True, confirmed)

    # Use case 3. Resending a confirmation code (refused: already confirmed).
    def resent(err, result):
        events.append(("resendConfirmationCode", err.code if err else result))

    error = await raises(ServiceError, cognitoUser.resendConfirmationCode(resent))
    assert error.code == "InvalidParameterException", error  # also given to the callback

    # Use case 4. Authenticating a user and establishing a user session.
    authenticationData = {"Username": name, "Password": PASSWORD}
    authenticationDetails = AuthenticationDetails(authenticationData)
    cognitoUser = CognitoUser(userData)

    def on_success(result):
        events.append(("onSuccess", result.getAccessToken().getJwtToken().count(".")))
        login_key = "cognito-idp.us-east-1.amazonaws.com/" + info.pool_id
        events.append(("logins", {login_key: result.getIdToken().getJwtToken()} != {}))

    await cognitoUser.authenticateUser(
        authenticationDetails,
        {"onSuccess": on_success, "onFailure": lambda err: events.append(("fail", err))},
    )

    # Use case 5. Retrieve user attributes for an authenticated user.
    def attributes(err, result):
        assert err is None, err
        for attribute in result:
            events.append(("attribute", attribute.getName()))

    await cognitoUser.getUserAttributes(attributes)

    # Use case 16. Retrieving the current user from local storage.
    userPool = CognitoUserPool(poolData)
    cognitoUser = userPool.getCurrentUser()
    assert cognitoUser is not None

    nested = []

    def got_session(err, session):
        assert err is None, err
        events.append(("session validity", session.isValid()))

        def attributes_again(err, attributes):
            events.append(("attributes again", err is None and len(attributes) > 1))

        nested.append(cognitoUser.getUserAttributes(attributes_again))

    cognitoUser.getSession(got_session)  # answered at once: the session is cached
    assert len(nested) == 1
    await nested[0]

    # Use case 14. Signing out from the application.
    cognitoUser.signOut()
    assert storage.keys() == []

    names = [e[0] for e in events]
    assert names[:5] == [
        "signUp",
        "confirmRegistration",
        "resendConfirmationCode",
        "onSuccess",
        "logins",
    ], events
    assert ("confirmRegistration", "SUCCESS") in events
    assert ("resendConfirmationCode", "InvalidParameterException") in events
    assert ("onSuccess", 2) in events
    assert ("attribute", "email") in events and ("attribute", "sub") in events
    assert ("session validity", True) in events
    assert ("attributes again", True) in events
    assert userPool.getCurrentUser() is None


async def use_case_6_verify_an_attribute(info):
    userPool = CognitoUserPool(info.pool_data())
    cognitoUser = await signed_in(info, userPool)
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
            verificationCode = await info.last_code(cognitoUser.getUsername())
            await cognitoUser.verifyAttribute("email", verificationCode, self)

    await cognitoUser.getAttributeVerificationCode("email", Callbacks())
    assert log == ["call result: SUCCESS"], log
    attributes = await cognitoUser.getUserAttributes(lambda err, result: None)
    values = {}
    for a in attributes:
        values[a.getName()] = a.getValue()
    assert values["email_verified"] == "true", values


async def use_cases_7_and_8_delete_and_update_attributes(info):
    userPool = CognitoUserPool(info.pool_data())
    cognitoUser = await signed_in(info, userPool)
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
    assert [a.getValue() for a in attributes if a.getName() == "nickname"] == ["joe"]

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
    assert "nickname" not in [a.getName() for a in attributes]
    assert log == ["call result: SUCCESS", "call result: SUCCESS"], log


async def use_cases_9_10_24_mfa_options(info):
    """Enable, list and disable SMS MFA around an SMS sign-in."""
    storage = MemoryStorage()
    poolData = info.pool_data(storage, pool="mfa-optional")
    userPool = CognitoUserPool(poolData)
    name = unique("u")
    attributeList = [
        CognitoUserAttribute({"Name": "email", "Value": name + "@example.com"}),
        CognitoUserAttribute({"Name": "phone_number", "Value": PHONE}),
    ]
    await userPool.signUp(name, PASSWORD, attributeList, None, lambda err, result: None)
    userData = {"Username": name, "Pool": userPool}
    cognitoUser = CognitoUser(userData)
    await cognitoUser.confirmRegistration(
        await info.last_code(name), True, lambda err, result: None
    )
    authenticationDetails = AuthenticationDetails({"Username": name, "Password": PASSWORD})
    signed = Waiter()
    await cognitoUser.authenticateUser(
        authenticationDetails, {"onSuccess": signed.success, "onFailure": signed.failure}
    )
    await signed.wait()
    log = []

    # Use case 9. Enabling MFA for a user on a pool that has an optional MFA setting.
    def enabled(err, result):
        if err:
            log.append(("alert", err))
            return
        log.append("call result: " + result)

    await cognitoUser.enableMFA(enabled)

    # Use case 24. Retrieve the MFA Options for the user in case MFA is optional.
    def options(err, mfaOptions):
        if err:
            log.append(("alert", err))
            return
        log.append(("MFA options for user", mfaOptions))

    await cognitoUser.getMFAOptions(options)

    # The next sign-in asks for the SMS code (mfaRequired, sendMFACode).
    cognitoUser.signOut()
    cognitoUser = CognitoUser(userData)
    outcome = Waiter()
    callbacks = {}

    async def mfaRequired(challengeName, challengeParameters):
        log.append((challengeName, challengeParameters["CODE_DELIVERY_DESTINATION"]))
        verificationCode = await info.last_code(name)
        cognitoUser.sendMFACode(verificationCode, callbacks)

    callbacks["onSuccess"] = outcome.success
    callbacks["onFailure"] = outcome.failure
    callbacks["mfaRequired"] = mfaRequired
    cognitoUser.authenticateUser(authenticationDetails, callbacks)
    session = (await outcome.wait())[0]
    assert session.isValid()

    # Use case 10. Disabling MFA for a user on a pool that has an optional MFA setting.
    def disabled(err, result):
        if err:
            log.append(("alert", err))
            return
        log.append("call result: " + result)

    await cognitoUser.disableMFA(disabled)
    await cognitoUser.getMFAOptions(options)

    assert log == [
        "call result: SUCCESS",
        ("MFA options for user", [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]),
        ("SMS_MFA", "+*******0008"),
        "call result: SUCCESS",
        ("MFA options for user", None),
    ], log


async def use_cases_11_12_13_passwords_and_deletion(info):
    userPool = CognitoUserPool(info.pool_data())
    cognitoUser = await signed_in(info, userPool)
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
            verificationCode = await info.last_code(username)
            newPassword = "R3set-Passw0rd!"
            await cognitoUser.confirmPassword(verificationCode, newPassword, self)

    await cognitoUser.forgotPassword(ForgotPassword())
    assert log[0] == "call result: SUCCESS", log
    assert log[1].startswith("Code sent to: " + username[0] + "***@"), log
    assert log[2] == "reset: SUCCESS", log

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
    assert log[3:] == ["call result: SUCCESS"], log
    gone = []
    pending = cognitoUser.authenticateUser(
        details, {"onSuccess": lambda s: None, "onFailure": gone.append}
    )
    await raises(ServiceError, pending)  # also delivered to onFailure
    assert [e.code for e in gone] == ["UserNotFoundException"], gone


def _device_attributes(device):
    out = {}
    for item in device["DeviceAttributes"]:
        out[item["Name"]] = item["Value"]
    return out


async def use_cases_14_15_18_to_22_devices_and_sign_out(info):
    """Remembered devices, then signing out here and everywhere, on the "devices" pool."""
    storage = MemoryStorage()
    name = unique("seeddev")
    events = []
    poolData = info.pool_data(storage, pool="devices")
    userPool = CognitoUserPool(poolData)
    attributeList = [CognitoUserAttribute({"Name": "email", "Value": name + "@example.com"})]
    await userPool.signUp(name, PASSWORD, attributeList, None, lambda err, result: None)
    userData = {"Username": name, "Pool": userPool}
    cognitoUser = CognitoUser(userData)
    await cognitoUser.confirmRegistration(
        await info.last_code(name), True, lambda err, result: None
    )

    # Use case 4, on a pool that tracks devices: onSuccess(session, userConfirmationNecessary).
    authenticationDetails = AuthenticationDetails({"Username": name, "Password": PASSWORD})

    def onSuccess(session, userConfirmationNecessary=False):
        events.append(("onSuccess", session.isValid(), userConfirmationNecessary))

    def onFailure(err):
        events.append(("onFailure", err.code))

    def callbacks(label, pick=None):
        def success(result):
            events.append((label, pick(result) if pick else result))

        return {"onSuccess": success, "onFailure": onFailure}

    await cognitoUser.authenticateUser(
        authenticationDetails, {"onSuccess": onSuccess, "onFailure": onFailure}
    )
    assert events[-1] == ("onSuccess", True, True), events
    deviceKey = cognitoUser.deviceKey
    device_item = PREFIX + poolData["ClientId"] + "." + name + ".deviceKey"
    assert deviceKey and storage.getItem(device_item) == deviceKey

    # Use case 20. Remember a device.
    await cognitoUser.setDeviceStatusRemembered(callbacks("remembered"))
    assert events[-1] == ("remembered", "SUCCESS"), events

    # Use case 18. List all remembered devices for an authenticated user.
    limit, paginationToken = 10, None
    keys = callbacks("listDevices", lambda result: [d["DeviceKey"] for d in result["Devices"]])
    await cognitoUser.listDevices(limit, paginationToken, keys)
    assert events[-1] == ("listDevices", [deviceKey]), events

    # Use case 19. List information about the current device.
    await cognitoUser.getDevice(callbacks("getDevice", lambda result: result["Device"]))
    assert events[-1][1]["DeviceKey"] == deviceKey, events
    status = _device_attributes(events[-1][1])["dev:device_remembered_status"]
    assert status == "remembered", status

    # A new CognitoUser on the same storage signs in through DEVICE_SRP_AUTH.
    cognitoUser = CognitoUser(userData)
    await cognitoUser.authenticateUser(
        authenticationDetails, {"onSuccess": onSuccess, "onFailure": onFailure}
    )
    assert events[-1] == ("onSuccess", True, False), events
    assert cognitoUser.deviceKey == deviceKey
    payload = cognitoUser.getSignInUserSession().getAccessToken().decodePayload()
    assert payload["device_key"] == deviceKey, payload

    # Use case 21. Do not remember a device.
    await cognitoUser.setDeviceStatusNotRemembered(callbacks("notRemembered"))
    assert events[-1] == ("notRemembered", "SUCCESS"), events
    devices = callbacks("listDevices", lambda result: result["Devices"])
    await cognitoUser.listDevices(limit, paginationToken, devices)
    assert events[-1] == ("listDevices", []), events

    # Use case 22. Forget the current device.
    await cognitoUser.forgetDevice(callbacks("forgetDevice"))
    assert events[-1] == ("forgetDevice", "SUCCESS"), events
    assert cognitoUser.deviceKey is None
    assert storage.getItem(device_item) is None

    # Use case 14. Signing out from the application (with the callback, the refresh
    # token is revoked first, as the original does when the token has origin_jti).
    access = cognitoUser.getSignInUserSession().getAccessToken().getJwtToken()
    signedOut = []
    await cognitoUser.signOut(lambda err=None: signedOut.append(err))
    assert signedOut == [None], signedOut
    assert not [key for key in storage.keys() if key.endswith("Token")]
    client = UserPool(
        poolData["UserPoolId"], poolData["ClientId"], endpoint=poolData["endpoint"],
        storage=MemoryStorage(), transport=poolData.get("Transport"),
    )  # fmt: skip
    error = await raises(ServiceError, client.client.call("GetUser", {"AccessToken": access}))
    assert error.message == "Access Token has been revoked", error

    # Use case 15. Global signout for an authenticated user (invalidates all issued tokens).
    cognitoUser = CognitoUser(userData)
    await cognitoUser.authenticateUser(
        authenticationDetails, {"onSuccess": onSuccess, "onFailure": onFailure}
    )
    access = cognitoUser.getSignInUserSession().getAccessToken().getJwtToken()
    await cognitoUser.globalSignOut(callbacks("globalSignOut"))
    assert events[-1] == ("globalSignOut", "SUCCESS"), events
    error = await raises(ServiceError, client.client.call("GetUser", {"AccessToken": access}))
    assert error.message == "Access Token has been revoked", error
    assert userPool.getCurrentUser() is None
    assert not [e for e in events if e[0] == "onFailure"], events


async def use_case_17_aws_credentials_from_the_id_token(info):
    # JavaScript hands the ID token to AWS.CognitoIdentityCredentials; the port trades
    # it itself (GetId, GetCredentialsForIdentity) under the same Logins key.
    userPool = CognitoUserPool(info.pool_data())
    await signed_in(info, userPool)
    cognitoUser = userPool.getCurrentUser()
    results = []
    cognitoUser.getSession(lambda err, result: results.append(result))
    result = results[0]
    credentials = userPool.pool.identity_credentials(IDENTITY_POOL_ID, endpoint=info.url)
    aws = await credentials.get(result.getIdToken())
    assert aws.access_key_id.startswith("ASIA"), aws.access_key_id
    assert aws.identity_id.startswith("us-east-1:"), aws.identity_id
    assert aws.expiration > time.time()


async def use_case_23_new_password_for_an_admin_created_user(info):
    # An administrator made the user (AdminCreateUser): its temporary password came by mail.
    username, temporaryPassword = await info.invite(unique("invited"))

    userPool = CognitoUserPool(info.pool_data())
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
    assert log[0][0] == "newPasswordRequired", log
    assert "email" in log[0][1] and "email_verified" in log[0][1], log
    assert log[1] == ("onSuccess", True), log
    # The new password works from now on.
    again = CognitoUser({"Username": username, "Pool": userPool})
    signed = []
    await again.authenticateUser(
        AuthenticationDetails({"Username": username, "Password": newPassword}),
        {"onSuccess": signed.append, "onFailure": signed.append},
    )
    assert signed[0].isValid(), signed


SCENARIOS = [
    (function.__name__, function)
    for function in (
        use_cases_1_to_5_14_16,
        use_case_6_verify_an_attribute,
        use_cases_7_and_8_delete_and_update_attributes,
        use_cases_9_10_24_mfa_options,
        use_cases_11_12_13_passwords_and_deletion,
        use_cases_14_15_18_to_22_devices_and_sign_out,
        use_case_17_aws_credentials_from_the_id_token,
        use_case_23_new_password_for_an_admin_created_user,
    )
]
