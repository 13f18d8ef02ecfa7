"""The JavaScript-shaped face (CognitoUserPool, CognitoUser, callbacks) under MicroPython,
against the emulator: the seed README's use cases, transliterated line by line."""

from mpy_support import PASSWORD, emulator, last_code, raises, raises_now, unique

from pycognito_web import (
    AuthenticationDetails,
    CognitoUser,
    CognitoUserAttribute,
    CognitoUserPool,
    CognitoUserSession,
    InvalidParameterError,
    MemoryStorage,
    ServiceError,
)


def pool_data(storage):
    info = emulator()
    return {
        "UserPoolId": info["pool_id"],
        "ClientId": info["client_id"],
        "endpoint": info["url"] + "/",
        "Storage": storage,
    }


async def test_seed_use_cases_1_to_5_14_16():
    storage = MemoryStorage()
    name = unique("seed")
    events = []

    # Use case 1. Registering a user with the application.
    userPool = CognitoUserPool(pool_data(storage))
    attributeList = [CognitoUserAttribute({"Name": "email", "Value": name + "@example.com"})]

    def signed_up(err, result):
        assert err is None, err
        events.append(("signUp", result["user"].getUsername()))

    await userPool.signUp(name, PASSWORD, attributeList, None, signed_up)

    # Use case 2. Confirming a registered, unauthenticated user.
    userData = {"Username": name, "Pool": userPool}
    cognitoUser = CognitoUser(userData)
    code = await last_code(name)

    def confirmed(err, result):
        assert err is None, err
        events.append(("confirmRegistration", result))

    await cognitoUser.confirmRegistration(code, True, confirmed)

    # Use case 3. Resending a confirmation code (refused: already confirmed).
    def resent(err, result):
        events.append(("resendConfirmationCode", err.code if err else result))

    error = await raises(ServiceError, cognitoUser.resendConfirmationCode(resent))
    assert error.code == "InvalidParameterException", error

    # Use case 4. Authenticating a user and establishing a user session.
    authenticationDetails = AuthenticationDetails({"Username": name, "Password": PASSWORD})
    cognitoUser = CognitoUser(userData)

    def on_success(result):
        events.append(("onSuccess", result.getAccessToken().getJwtToken().count(".")))

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
    userPool = CognitoUserPool(pool_data(storage))
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

    assert [e[0] for e in events[:4]] == [
        "signUp",
        "confirmRegistration",
        "resendConfirmationCode",
        "onSuccess",
    ], events
    assert ("confirmRegistration", "SUCCESS") in events
    assert ("resendConfirmationCode", "InvalidParameterException") in events
    assert ("onSuccess", 2) in events
    assert ("attribute", "email") in events and ("attribute", "sub") in events
    assert ("session validity", True) in events
    assert ("attributes again", True) in events
    assert userPool.getCurrentUser() is None


async def test_update_attributes_with_callbacks_and_an_object():
    storage = MemoryStorage()
    name = unique("cattr")
    userPool = CognitoUserPool(pool_data(storage))
    await userPool.signUp(
        name,
        PASSWORD,
        [CognitoUserAttribute({"Name": "email", "Value": name + "@example.com"})],
        None,
        lambda err, result: None,
    )
    user = CognitoUser({"Username": name, "Pool": userPool})
    await user.confirmRegistration(await last_code(name), True, lambda err, result: None)

    class Handler:  # a callback object with methods, not a dict
        def __init__(self):
            self.session = None

        def onSuccess(self, session):
            self.session = session

        def onFailure(self, err):
            raise AssertionError(err)

    handler = Handler()
    await user.authenticateUser(
        AuthenticationDetails({"Username": name, "Password": PASSWORD}), handler
    )
    assert isinstance(handler.session, CognitoUserSession)
    results = []
    team = CognitoUserAttribute({"Name": "custom:team", "Value": "red"})
    await user.updateAttributes([team], lambda err, result, *details: results.append((err, result)))
    assert results == [(None, "SUCCESS")], results
    got = []
    await user.getUserAttributes(lambda err, attributes: got.extend(attributes or []))
    assert ("custom:team", "red") in [(a.getName(), a.getValue()) for a in got]


async def test_failure_goes_to_on_failure_and_the_awaitable():
    userPool = CognitoUserPool(pool_data(MemoryStorage()))
    failures = []
    user = CognitoUser({"Username": unique("ghost"), "Pool": userPool})
    pending = user.authenticateUser(
        AuthenticationDetails({"Username": "ghost", "Password": PASSWORD}),
        {"onSuccess": lambda s: failures.append("success?"), "onFailure": failures.append},
    )
    assert not pending.done()
    error = await raises(ServiceError, pending)
    assert failures == [error], failures
    assert error.code == "UserNotFoundException", error
    assert pending.done()
    raised = raises_now(ServiceError, pending.result)
    assert raised is error
    raises_now(
        InvalidParameterError,
        user.authenticateUser,
        AuthenticationDetails({}),
        {"onSuccess": print},
    )
