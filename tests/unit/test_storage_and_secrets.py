"""Garbage in storage means signed out (or a typed error), never a crash; and no secret
shows in an exception message, a repr or a log record."""

import asyncio
import logging

import pytest
from unit_helpers import (
    CLIENT_ID,
    NOW,
    PASSWORD,
    REFRESH,
    Cognito,
    RecordingStorage,
    answer,
    compat_error,
    compat_pool,
    expect_error,
    pool,
    run,
    srp_challenge,
    tokens,
)

from pycognito_web import (
    AuthenticationDetails,
    CognitoUser,
    CookieStorage,
    Session,
    User,
)
from pycognito_web._cookies import CookieJar as _CookieJar
from pycognito_web._transport import Request
from pycognito_web.errors import CognitoError, InvalidResponseError, NotAuthenticatedError

PREFIX = "CognitoIdentityServiceProvider.%s." % CLIENT_ID


def _store(**items):
    store = RecordingStorage()
    store.setItem(PREFIX + "LastAuthUser", "alice")
    for name, value in items.items():
        store.setItem(PREFIX + "alice." + name, value)
    return store


GOOD = tokens()
EXPIRED = tokens(ttl=-10)

GARBAGE = [
    ("tokens-not-jwts", {"idToken": "garbage", "accessToken": "more garbage"}),
    ("id-token-only", {"idToken": GOOD["IdToken"]}),
    ("access-token-only", {"accessToken": GOOD["AccessToken"]}),
    ("id-token-empty", {"idToken": "", "accessToken": GOOD["AccessToken"]}),
    ("tokens-swapped-for-json", {"idToken": '{"exp": 9999999999}', "accessToken": "[]"}),
    ("tokens-three-dots", {"idToken": "...", "accessToken": "a.b.c.d"}),
    ("tokens-expired", {"idToken": EXPIRED["IdToken"], "accessToken": EXPIRED["AccessToken"]}),
]


@pytest.mark.parametrize("name, items", GARBAGE, ids=[g[0] for g in GARBAGE])
def test_garbage_session_reads_as_signed_out(name, items):
    store = _store(**items)
    p = pool(Cognito(), store)
    user = p.current_user()
    assert user is not None and user.username == "alice"
    assert user.cached_session() is None
    expect_error(user.get_session, kind=NotAuthenticatedError)
    expect_error(user.get_user, "not authenticated", kind=NotAuthenticatedError)
    cuser = compat_pool(Cognito(), store).getCurrentUser()
    compat_error(lambda cb: cuser.getSession(cb), node=True, kind=NotAuthenticatedError)


@pytest.mark.parametrize("drift", ["abc", "", "1e3", "NaN", "inf", "3.5", "[]", "None"])
def test_non_numeric_clock_drift_counts_as_none(drift):
    store = _store(idToken=GOOD["IdToken"], accessToken=GOOD["AccessToken"], clockDrift=drift)
    user = pool(Cognito(), store).current_user()
    session = user.cached_session()
    assert session is not None and session.clock_drift == 0


def test_numeric_clock_drift_is_used():
    store = _store(idToken=GOOD["IdToken"], accessToken=GOOD["AccessToken"], clockDrift="-4000")
    user = pool(Cognito(), store).current_user()
    assert user.cached_session() is None  # a -4000 s drift puts now past exp


def test_half_a_session_with_refresh_token_refreshes():
    store = _store(idToken="garbage", refreshToken=REFRESH)
    cognito = Cognito({"InitiateAuth": [answer({"AuthenticationResult": tokens(refresh=None)})]})
    user = pool(cognito, store).current_user()
    session = run(user.get_session())
    assert session.is_valid(NOW)
    assert store.getItem(PREFIX + "alice.refreshToken") == REFRESH
    assert cognito.sent[0][1]["AuthParameters"]["REFRESH_TOKEN"] == REFRESH


@pytest.mark.parametrize("data", ["not json", "[1, 2]", '"text"', "null", "{"])
def test_user_data_that_is_not_a_json_object(data):
    store = _store(idToken=GOOD["IdToken"], accessToken=GOOD["AccessToken"], userData=data)
    fresh = {"Username": "alice", "UserAttributes": []}
    cognito = Cognito({"GetUser": [answer(fresh)]})
    user = pool(cognito, store).current_user()
    user.cached_session()
    expect_error(user.get_user_data, "user data", kind=InvalidResponseError)
    assert store.getItem(PREFIX + "alice.userData") is None
    assert run(user.get_user_data()) == fresh  # the next call fetches again


@pytest.mark.parametrize("last", ["", None])
def test_empty_last_auth_user(last):
    store = RecordingStorage()
    if last is not None:
        store.setItem(PREFIX + "LastAuthUser", last)
    assert pool(Cognito(), store).current_user() is None
    assert compat_pool(Cognito(), store).getCurrentUser() is None


class ThrowingStorage:
    def getItem(self, key):
        raise RuntimeError("SecurityError: storage is disabled")

    def setItem(self, key, value):
        raise RuntimeError("QuotaExceededError")

    def removeItem(self, key):
        pass


class OddStorage(RecordingStorage):
    def getItem(self, key):
        value = RecordingStorage.getItem(self, key)
        return 12345 if value is None else value


def test_storage_whose_get_item_raises_is_signed_out():
    p = pool(Cognito(), ThrowingStorage())
    assert p.current_user() is None
    user = p.user("alice")
    assert user.cached_session() is None
    assert user.device("alice") is None
    expect_error(user.get_session, "ID Token", kind=NotAuthenticatedError)


def test_storage_returning_non_strings_is_signed_out():
    p = pool(Cognito(), OddStorage())
    user = p.user("alice")
    assert user.cached_session() is None
    expect_error(user.get_session, kind=NotAuthenticatedError)


def test_half_a_remembered_device_is_no_device():
    store = _store(deviceKey="us-east-1_dev", deviceGroupKey="-g")  # no randomPasswordKey
    user = pool(Cognito(), store).user("alice")
    assert user.device("alice") is None


@pytest.mark.parametrize(
    "jar",
    ["a", "=b", "; ;", "%E0%A4%A=x", "k=%zz%", 'q="quoted"', "x=1=2=3", "\u00e9=\u00e8"],
)
def test_cookie_jar_garbage_does_not_crash(jar):
    document = _CookieJar()
    document._cookies = {}
    storage = CookieStorage({}, document=_Raw(jar), clock=lambda: NOW)
    assert storage.getItem(PREFIX + "LastAuthUser") is None
    storage.clear()
    assert pool(Cognito(), storage).current_user() is None


class _Raw:
    def __init__(self, text):
        self.cookie = text


# -- secrets ------------------------------------------------------------------------------

SECRET = "CLIENT-SECRET-NEVER-SHOWN-5e2"
MARK = "TOKEN-MARKER-NEVER-SHOWN-8d4"


def _secrets(*extra):
    result = tokens(marker=MARK)
    jwts = [result["IdToken"], result["AccessToken"]]
    return [PASSWORD, REFRESH, SECRET, MARK, *jwts, *[t.split(".")[1] for t in jwts], *extra]


def _assert_clean(text, secrets):
    for secret in secrets:
        assert secret not in text, "a secret shows in %r" % text[:200]


def test_no_secret_in_repr_messages_or_logs(caplog):
    caplog.set_level(logging.DEBUG)
    new_device = {"DeviceKey": "us-east-1_dev-1", "DeviceGroupKey": "-group-1"}
    cognito = Cognito({
        "InitiateAuth": [answer(srp_challenge()), answer(srp_challenge()),
                         answer({"__type": "NotAuthorizedException", "message": "Refused"}, 400)],
        "RespondToAuthChallenge": [
            answer({"AuthenticationResult": tokens(marker=MARK, NewDeviceMetadata=new_device)}),
            answer({"ChallengeName": "SMS_MFA", "Session": "sess", "ChallengeParameters": {}}),
        ],
        "ConfirmDevice": [answer({"UserConfirmationNecessary": False})],
        "GetId": [answer({"IdentityId": "us-east-1:id"})],
        "GetCredentialsForIdentity": [answer({"Credentials": {
            "AccessKeyId": "AKIAEXAMPLE", "SecretKey": "AWS-SECRET-NEVER-SHOWN",
            "SessionToken": "AWS-SESSION-NEVER-SHOWN", "Expiration": NOW + 3600}})],
    })  # fmt: skip
    store = RecordingStorage()
    p = pool(cognito, store, client_secret=SECRET)
    user = p.user("alice")
    session = run(user.authenticate(PASSWORD))
    device = user.known_device
    secrets = _secrets(device.password, "AWS-SECRET-NEVER-SHOWN", "AWS-SESSION-NEVER-SHOWN")
    identity = p.identity_credentials("us-east-1:abc")
    credentials = run(identity.get(session))
    challenge = run(p.user("alice").authenticate(PASSWORD))
    errors = [
        expect_error(lambda: p.user("alice").authenticate(PASSWORD, flow="USER_PASSWORD_AUTH")),
        expect_error(lambda: p.sign_up("alice", PASSWORD, {"email": 5})),
        expect_error(lambda: p.sign_up("alice", PASSWORD, [{"Name": "x", "Value": PASSWORD[:0]}],
                                       client_metadata={"k": 1})),
        expect_error(lambda: user.change_password(PASSWORD, 5)),
        expect_error(lambda: Session(session.id_token.jwt, session.access_token.jwt)),
        expect_error(lambda: User(p, "alice", storage=PASSWORD)),
    ]
    cpool = compat_pool(cognito, store, ClientSecret=SECRET)
    cuser = CognitoUser({"Username": "alice", "Pool": cpool})
    details = AuthenticationDetails({"Username": "alice", "Password": PASSWORD})
    objects = [p, user, session, session.id_token, session.access_token, session.refresh_token,
               device, credentials, identity, challenge, cpool, cuser, details, store,
               cuser.getSignInUserSession(), *cognito.requests,
               Request("POST", "https://x/", {}, PASSWORD.encode())]  # fmt: skip
    for thing in objects:
        _assert_clean(repr(thing), secrets)
        _assert_clean(str(thing), secrets)
    for error in errors:
        _assert_clean(str(error) + repr(error) + error.message, secrets)
    for record in caplog.records:
        _assert_clean(record.getMessage(), secrets)
    assert details.getPassword() == PASSWORD  # the values are there, only never shown


def test_no_secret_in_errors_from_the_service_path():
    result = tokens(marker=MARK, ttl=-5)
    final = answer({"AuthenticationResult": result})
    first = answer(srp_challenge())
    cognito = Cognito({"InitiateAuth": [first], "RespondToAuthChallenge": [final]})
    error = expect_error(lambda: pool(cognito).user("alice").authenticate(PASSWORD), "expired")
    _assert_clean(str(error) + repr(error), _secrets())


def test_compat_errors_do_not_echo_the_password():
    async def main():
        cuser = CognitoUser({"Username": "alice", "Pool": compat_pool()})
        got = []
        pending = cuser.changePassword(PASSWORD, ["new"], lambda err, result=None: got.append(err))
        try:
            await pending
        except CognitoError as error:
            return got, error

    got, error = asyncio.run(main())
    assert got == [error]
    _assert_clean(str(error) + repr(error), _secrets())
