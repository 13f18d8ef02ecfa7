"""The JavaScript-shaped face (CognitoUserPool, CognitoUser, callbacks) under MicroPython,
against the emulator, beyond the seed README's use cases (those are mpy_test_seed.py)."""

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
