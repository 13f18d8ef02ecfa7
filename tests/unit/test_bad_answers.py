"""Bad answers from the service, through MockTransport: each becomes a clear typed
error, and nothing is written to storage (the storage is compared after every one).
"""

import json

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
    make_jwt,
    pool,
    run,
    srp_challenge,
    tokens,
)

from pycognito_web import (
    AuthenticationDetails,
    CognitoUser,
    MockTransport,
    NetworkError,
    Response,
    ServiceError,
    _srp,
    errors,
)
from pycognito_web.errors import InvalidResponseError, SrpError

IRE = InvalidResponseError
N = _srp.N
PREFIX = "CognitoIdentityServiceProvider.%s." % CLIENT_ID
HTML_502 = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"


def signed_in(**extra):
    return {"AuthenticationResult": tokens(**extra)}


def with_result(**changes):
    """An answer whose AuthenticationResult has fields replaced (None drops one)."""
    result = tokens()
    for name, value in changes.items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = value
    return {"AuthenticationResult": result}


def payload_jwt(raw_payload):
    from unit_helpers import b64url

    return "eyJhbGciOiJSUzI1NiJ9." + b64url(raw_payload) + ".c2ln"


# First answer (InitiateAuth for SRP): (id, answer, words, kind)
FIRST = [
    ("not-json", answer("this is not json"), ["not a JSON object"], IRE),
    ("html-502", answer(HTML_502, 502, {"Content-Type": "text/html"}), ["HTTP 502"], IRE),
    ("html-200", answer(HTML_502, 200, {"Content-Type": "text/html"}), ["not a JSON object"], IRE),
    ("empty-200", Response(200, {}, b""), ["not a JSON object"], IRE),
    ("empty-500", Response(500, {}, b""), ["HTTP 500"], IRE),
    ("json-list", answer([1, 2, 3]), ["not a JSON object"], IRE),
    ("json-string", answer('"PASSWORD_VERIFIER"'), ["not a JSON object"], IRE),
    ("json-null", answer("null"), ["not a JSON object"], IRE),
    ("json-number", answer("42"), ["not a JSON object"], IRE),
    ("invalid-utf8", Response(200, {}, b'\xff\xfe{"a":1}'), ["not a JSON object"], IRE),
    ("truncated-json", answer('{"ChallengeName": "PASSWORD_VERIF'), ["not a JSON object"], IRE),
    ("empty-object", answer({}), ["ChallengeParameters"], IRE),
    ("no-challenge-parameters", answer({"ChallengeName": "PASSWORD_VERIFIER"}),
     ["ChallengeParameters"], IRE),
    ("challenge-parameters-list",
     answer({"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": ["SRP_B"]}),
     ["ChallengeParameters"], IRE),
    ("challenge-name-int", answer({"ChallengeName": 5}), ["ChallengeName"], IRE),
    ("srp-b-zero", answer(srp_challenge(SRP_B="0")), ["SRP_B", "0 mod N"], SrpError),
    ("srp-b-n", answer(srp_challenge(SRP_B="%x" % N)), ["SRP_B", "0 mod N"], SrpError),
    ("srp-b-2n", answer(srp_challenge(SRP_B="%x" % (2 * N))), ["SRP_B", "0 mod N"], SrpError),
    ("srp-b-n-plus-1", answer(srp_challenge(SRP_B="%x" % (N + 1))), ["SRP_B", "larger"],
     SrpError),
    ("srp-b-huge", answer(srp_challenge(SRP_B="f" * 5000)), ["SRP_B", "larger"], SrpError),
    ("srp-b-negative", answer(srp_challenge(SRP_B="-5")), ["SRP_B", "hexadecimal"], SrpError),
    ("srp-b-0x", answer(srp_challenge(SRP_B="0x1f")), ["SRP_B", "hexadecimal"], SrpError),
    ("srp-b-spaces", answer(srp_challenge(SRP_B=" 1f ")), ["SRP_B", "hexadecimal"], SrpError),
    ("srp-b-underscore", answer(srp_challenge(SRP_B="1_f")), ["SRP_B", "hexadecimal"],
     SrpError),
    ("srp-b-not-hex", answer(srp_challenge(SRP_B="xyz")), ["SRP_B", "hexadecimal"], SrpError),
    ("srp-b-number", answer(srp_challenge(SRP_B=12345)), ["SRP_B", "not a string"], SrpError),
    ("srp-b-missing", answer(srp_challenge(SRP_B=None)), ["SRP_B", "missing"], SrpError),
    ("srp-b-empty", answer(srp_challenge(SRP_B="")), ["SRP_B", "missing"], SrpError),
    ("salt-not-hex", answer(srp_challenge(SALT="salty")), ["SALT", "hexadecimal"], SrpError),
    ("salt-negative", answer(srp_challenge(SALT="-1a")), ["SALT", "hexadecimal"], SrpError),
    ("salt-missing", answer(srp_challenge(SALT=None)), ["SALT", "missing"], SrpError),
    ("secret-block-missing", answer(srp_challenge(SECRET_BLOCK=None)), ["SECRET_BLOCK"], IRE),
    ("secret-block-not-base64", answer(srp_challenge(SECRET_BLOCK="!!not base64!!")),
     ["SECRET_BLOCK", "base64"], SrpError),
    ("secret-block-int", answer(srp_challenge(SECRET_BLOCK=7)), ["SECRET_BLOCK"], IRE),
    ("user-id-missing", answer(srp_challenge(USER_ID_FOR_SRP=None)), ["USER_ID_FOR_SRP"], IRE),
    ("user-id-int", answer(srp_challenge(USER_ID_FOR_SRP=42)), ["USER_ID_FOR_SRP"], IRE),
    ("error-header-only",
     Response(400, {"x-amzn-ErrorType": "NotAuthorizedException:http://internal.amazon.com/"}),
     ["400"], errors.NotAuthorizedException),
    ("error-header-with-message",
     Response(400, {"X-Amzn-ErrorType": "UserNotFoundException",
                    "x-amzn-ErrorMessage": "User does not exist."}, b"<html/>"),
     ["User does not exist"], errors.UserNotFoundException),
    ("error-no-type", answer({"message": "Something"}, 400), ["HTTP 400"], IRE),
    ("error-code-key", answer({"code": "UserNotConfirmedException", "message": "Not yet"}, 400),
     ["Not yet"], errors.UserNotConfirmedException),
    ("error-namespaced-type",
     answer({"__type": "com.amazonaws.cognito#PasswordResetRequiredException",
             "message": "Password reset required"}, 400),
     ["reset required"], errors.PasswordResetRequiredException),
    ("error-type-not-string",
     answer({"__type": 5, "message": "odd"}, 400, {"x-amzn-errortype": "InternalErrorException"}),
     [], errors.InternalErrorException),
    ("error-unknown-type", answer({"__type": "BrandNewException", "message": "new"}, 400),
     ["new"], ServiceError),
    ("throttled-429", answer({"__type": "TooManyRequestsException", "message": "Slow down"}, 429),
     ["Slow down"], errors.TooManyRequestsException),
    ("error-looking-200",
     answer({"__type": "NotAuthorizedException", "message": "Incorrect username or password."}),
     [], errors.CognitoError),
    ("error-html-403", answer("<html>Forbidden</html>", 403), ["HTTP 403"], IRE),
    ("device-srp-without-device", answer({"ChallengeName": "DEVICE_SRP_AUTH", "Session": "s"}),
     ["device"], IRE),
]

# Second answer (RespondToAuthChallenge after PASSWORD_VERIFIER)
SECOND = [
    ("result-missing", answer({}), ["neither a challenge nor tokens"], IRE),
    ("result-string", answer({"AuthenticationResult": "tokens"}), ["neither"], IRE),
    ("result-list", answer({"AuthenticationResult": [tokens()]}), ["neither"], IRE),
    ("access-token-missing", answer(with_result(AccessToken=None)), ["AccessToken"], IRE),
    ("access-token-empty", answer(with_result(AccessToken="")), ["AccessToken"], IRE),
    ("access-token-int", answer(with_result(AccessToken=7)), ["AccessToken"], IRE),
    ("id-token-missing", answer(with_result(IdToken=None)), ["IdToken"], IRE),
    ("id-token-not-jwt", answer(with_result(IdToken="not-a-jwt")), ["IdToken", "JWT"], IRE),
    ("id-token-truncated", answer(with_result(IdToken=tokens()["IdToken"][:30])),
     ["IdToken", "JWT"], IRE),
    ("id-token-payload-not-json", answer(with_result(IdToken=payload_jwt(b"{not json"))),
     ["IdToken", "JWT"], IRE),
    ("id-token-payload-list", answer(with_result(IdToken=payload_jwt(b"[1,2]"))),
     ["IdToken", "JWT"], IRE),
    ("id-token-payload-not-base64", answer(with_result(IdToken="a.%%%%.c")), ["IdToken"], IRE),
    ("access-token-not-json-jwt", answer(with_result(AccessToken=payload_jwt(b"\xff\xfe"))),
     ["AccessToken"], IRE),
    ("tokens-expired", answer(signed_in(ttl=-60)), ["expired"], IRE),
    ("tokens-without-exp",
     answer(with_result(AccessToken=make_jwt({"iat": int(NOW), "token_use": "access"}))),
     ["expired"], IRE),
    ("tokens-exp-string",
     answer(with_result(IdToken=make_jwt({"iat": int(NOW), "exp": str(int(NOW) + 3600)}))),
     ["expired"], IRE),
    ("new-device-metadata-string", answer(signed_in(NewDeviceMetadata="device-1")),
     ["NewDeviceMetadata"], IRE),
    ("new-device-metadata-list", answer(signed_in(NewDeviceMetadata=["device-1"])),
     ["NewDeviceMetadata"], IRE),
    ("new-device-no-group", answer(signed_in(NewDeviceMetadata={"DeviceKey": "us-east-1_k"})),
     ["DeviceGroupKey"], IRE),
    ("new-device-key-int",
     answer(signed_in(NewDeviceMetadata={"DeviceKey": 5, "DeviceGroupKey": "g"})),
     ["DeviceKey"], IRE),
    ("html-502-verifier", answer(HTML_502, 502), ["HTTP 502"], IRE),
    ("wrong-password", answer({"__type": "NotAuthorizedException",
                               "message": "Incorrect username or password."}, 400),
     ["Incorrect"], errors.NotAuthorizedException),
]


def _srp_env(*answers, storage=None, flow=None):
    scripts = {"InitiateAuth": [answers[0]]}
    if len(answers) > 1:
        scripts["RespondToAuthChallenge"] = list(answers[1:2])
    if len(answers) > 2:
        scripts["ConfirmDevice"] = list(answers[2:])
    cognito = Cognito(scripts)
    store = storage if storage is not None else RecordingStorage()
    store.setItem("unrelated", "kept")
    return cognito, store, pool(cognito, store)


def _fails_cleanly(cognito, store, action, words, kind):
    before = store.snapshot()
    error = expect_error(action, *words, kind=kind)
    assert store.snapshot() == before, "storage changed on a failed call"
    return error


@pytest.mark.parametrize("name, reply, words, kind", FIRST, ids=[c[0] for c in FIRST])
def test_bad_first_answer(name, reply, words, kind):
    cognito, store, p = _srp_env(reply)
    _fails_cleanly(cognito, store, lambda: p.user("alice").authenticate(PASSWORD), words, kind)
    assert cognito.actions() == ["InitiateAuth"]


@pytest.mark.parametrize("name, reply, words, kind", SECOND, ids=[c[0] for c in SECOND])
def test_bad_second_answer(name, reply, words, kind):
    cognito, store, p = _srp_env(answer(srp_challenge()), reply)
    _fails_cleanly(cognito, store, lambda: p.user("alice").authenticate(PASSWORD), words, kind)
    assert cognito.actions() == ["InitiateAuth", "RespondToAuthChallenge"]


@pytest.mark.parametrize("name, reply, words, kind", SECOND[:16], ids=[c[0] for c in SECOND[:16]])
def test_bad_password_auth_answer(name, reply, words, kind):
    cognito, store, p = _srp_env(reply)
    _fails_cleanly(
        cognito,
        store,
        lambda: p.user("alice").authenticate(PASSWORD, flow="USER_PASSWORD_AUTH"),
        words,
        kind,
    )


NEW_DEVICE = {"DeviceKey": "us-east-1_dev-1", "DeviceGroupKey": "-group-1"}


@pytest.mark.parametrize(
    "reply, words, kind",
    [
        (answer(HTML_502, 500), ["HTTP 500"], IRE),
        (answer([True]), ["not a JSON object"], IRE),
        (answer({"__type": "InvalidParameterException", "message": "bad verifier"}, 400),
         ["bad verifier"], errors.InvalidParameterException),
    ],
    ids=["html-500", "list", "refused"],
)
def test_bad_confirm_device_answer(reply, words, kind):
    cognito, store, p = _srp_env(
        answer(srp_challenge()), answer(signed_in(NewDeviceMetadata=NEW_DEVICE)), reply
    )
    _fails_cleanly(cognito, store, lambda: p.user("alice").authenticate(PASSWORD), words, kind)
    assert cognito.actions()[-1] == "ConfirmDevice"


def _stored_device(store, username="alice"):
    store.setItem(PREFIX + username + ".deviceKey", "us-east-1_dev-1")
    store.setItem(PREFIX + username + ".randomPasswordKey", "device-password")
    store.setItem(PREFIX + username + ".deviceGroupKey", "-group-1")


@pytest.mark.parametrize(
    "device_answer, final, words, kind",
    [
        (answer({"ChallengeName": "DEVICE_PASSWORD_VERIFIER"}), None, ["ChallengeParameters"],
         IRE),
        (answer({"ChallengeParameters": {"SRP_B": "%x" % N, "SALT": "ab",
                                         "SECRET_BLOCK": "QUJD"}}), None, ["0 mod N"], SrpError),
        (answer({"ChallengeParameters": {"SRP_B": "2", "SALT": "ab", "SECRET_BLOCK": "QUJD"}}),
         answer({"Session": "x"}), ["neither"], IRE),
        (answer({"ChallengeParameters": {"SRP_B": "2", "SALT": "ab", "SECRET_BLOCK": "QUJD"}}),
         answer(signed_in(ttl=-1)), ["expired"], IRE),
    ],
    ids=["no-parameters", "b-is-n", "no-tokens", "expired-tokens"],
)
def test_bad_device_srp_answers(device_answer, final, words, kind):
    store = RecordingStorage()
    _stored_device(store)
    device_challenge = answer({"ChallengeName": "DEVICE_SRP_AUTH", "Session": "d"})
    replies = [device_challenge, device_answer] + ([final] if final else [])
    cognito = Cognito(
        {"InitiateAuth": [answer(srp_challenge())], "RespondToAuthChallenge": replies}
    )
    p = pool(cognito, store)
    _fails_cleanly(cognito, store, lambda: p.user("alice").authenticate(PASSWORD), words, kind)


def _expired_session_storage():
    store = RecordingStorage()
    old = tokens(now=NOW - 7200, ttl=3600)
    store.setItem(PREFIX + "LastAuthUser", "alice")
    store.setItem(PREFIX + "alice.idToken", old["IdToken"])
    store.setItem(PREFIX + "alice.accessToken", old["AccessToken"])
    store.setItem(PREFIX + "alice.refreshToken", REFRESH)
    store.setItem(PREFIX + "alice.clockDrift", "0")
    return store


REFRESH_ANSWERS = [
    ("no-result", answer({}), ["neither"], IRE),
    ("html-502", answer(HTML_502, 502), ["HTTP 502"], IRE),
    ("not-json", answer("{{{"), ["not a JSON object"], IRE),
    ("expired", answer(signed_in(ttl=-5, refresh=None)), ["expired"], IRE),
    ("id-not-jwt", answer(with_result(IdToken="x")), ["IdToken"], IRE),
    ("throttled", answer({"__type": "TooManyRequestsException", "message": "Rate exceeded"}, 400),
     ["Rate exceeded"], errors.TooManyRequestsException),
]


@pytest.mark.parametrize(
    "name, reply, words, kind", REFRESH_ANSWERS, ids=[c[0] for c in REFRESH_ANSWERS]
)
def test_bad_refresh_answer(name, reply, words, kind):
    store = _expired_session_storage()
    cognito = Cognito({"InitiateAuth": [reply] * 10})
    p = pool(cognito, store)
    user = p.current_user()
    _fails_cleanly(cognito, store, user.get_session, words, kind)
    assert cognito.sent[0][1]["AuthFlow"] == "REFRESH_TOKEN_AUTH"


def test_refused_refresh_signs_out_as_the_original():
    store = _expired_session_storage()
    refused = answer({"__type": "NotAuthorizedException", "message": "Refresh Token has expired"},
                     400)  # fmt: skip
    cognito = Cognito({"InitiateAuth": [refused]})
    user = pool(cognito, store).current_user()
    expect_error(user.get_session, "Refresh Token", kind=errors.NotAuthorizedException)
    assert store.snapshot() == {}


# -- answers to signed-in calls -------------------------------------------------------------


def _signed_in_user(scripts):
    cognito = Cognito(dict(scripts, InitiateAuth=[answer(srp_challenge())],
                           RespondToAuthChallenge=[answer(signed_in())]))  # fmt: skip
    store = RecordingStorage()
    p = pool(cognito, store)
    user = p.user("alice")
    run(user.authenticate(PASSWORD))
    return cognito, store, p, user


@pytest.mark.parametrize(
    "reply",
    [answer({"Username": "alice"}), answer({"UserAttributes": "email=a"}),
     answer({"UserAttributes": ["email"]}), answer({"UserAttributes": [{"Value": "x"}]})],
    ids=["none", "string", "list-of-strings", "no-name"],
)  # fmt: skip
def test_bad_get_user_answer(reply):
    cognito, store, _pool, user = _signed_in_user({"GetUser": [reply]})
    _fails_cleanly(cognito, store, user.get_attributes, ["UserAttributes"], IRE)


def test_bad_get_user_answer_through_compat():
    cognito, store, _pool, user = _signed_in_user({"GetUser": [answer({"UserAttributes": ["x"]})]})
    cpool = compat_pool(cognito, store)
    cuser = CognitoUser({"Username": "alice", "Pool": cpool})
    before = store.snapshot()

    def make(cb):
        cuser.user.session = user.session
        return cuser.getUserAttributes(cb)

    compat_error(make, "UserAttributes", node=True, kind=IRE)
    assert store.snapshot() == before


def test_associate_software_token_without_secret():
    cognito, store, _pool, user = _signed_in_user(
        {"AssociateSoftwareToken": [answer({"Session": "s"})]}
    )
    _fails_cleanly(cognito, store, user.associate_software_token, ["SecretCode"], IRE)


@pytest.mark.parametrize(
    "get_id, credentials, words",
    [
        (answer({}), None, ["IdentityId"]),
        (answer({"IdentityId": 5}), None, ["IdentityId"]),
        (answer({"IdentityId": "us-east-1:id"}), answer({}), ["Credentials"]),
        (answer({"IdentityId": "us-east-1:id"}),
         answer({"Credentials": {"AccessKeyId": "AKIA", "SecretKey": 5, "SessionToken": "t"}}),
         ["Credentials"]),
        (answer({"IdentityId": "us-east-1:id"}), answer("<html/>", 502), ["HTTP 502"]),
    ],
    ids=["no-id", "id-int", "no-credentials", "secret-int", "html"],
)
def test_bad_identity_answers(get_id, credentials, words):
    scripts = {"GetId": [get_id]}
    if credentials is not None:
        scripts["GetCredentialsForIdentity"] = [credentials]
    cognito = Cognito(scripts)
    store = RecordingStorage()
    identity = pool(cognito, store).identity_credentials("us-east-1:abc")
    _fails_cleanly(cognito, store, lambda: identity.get(tokens()["IdToken"]), words, IRE)
    assert identity.credentials is None


def test_identity_error_with_header_only():
    cognito = Cognito({"GetId": [Response(400, {"x-amzn-ErrorType": "NotAuthorizedException"})]})
    identity = pool(cognito).identity_credentials("us-east-1:abc")
    expect_error(lambda: identity.get(tokens()["IdToken"]), kind=errors.NotAuthorizedException)


@pytest.mark.parametrize(
    "reply, words",
    [(answer("<html>404</html>", 404), ["HTTP 404"]), (answer([{"kid": "k"}]), ["JSON object"]),
     (answer("not json"), ["JSON object"])],
    ids=["404", "list", "not-json"],
)  # fmt: skip
def test_bad_jwks_answers(reply, words):
    jwks_url = "GET https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123"
    cognito = Cognito({jwks_url + "/.well-known/jwks.json": [reply]})
    expect_error(lambda: pool(cognito).verify_token(tokens()["IdToken"]), *words, kind=IRE)


# -- transports that misbehave ----------------------------------------------------------------


def _sign_in_over(handler):
    store = RecordingStorage()
    store.setItem("unrelated", "kept")
    p = pool(None, store)
    p.transport = MockTransport(handler)
    p.client.transport = p.transport
    return store, p


@pytest.mark.parametrize(
    "handler, words, kind",
    [
        (lambda request: None, ["not a Response"], IRE),
        (lambda request: {"status": 200}, ["not a Response"], IRE),
        (lambda request: (_ for _ in ()).throw(ConnectionResetError("reset by peer")),
         ["reset by peer"], NetworkError),
        (lambda request: (_ for _ in ()).throw(NetworkError("Network error: offline")),
         ["offline"], NetworkError),
    ],
    ids=["none", "dict", "oserror", "network-error"],
)
def test_misbehaving_transport(handler, words, kind):
    store, p = _sign_in_over(handler)
    before = store.snapshot()
    expect_error(lambda: p.user("alice").authenticate(PASSWORD), *words, kind=kind)
    assert store.snapshot() == before


def test_fetch_failing_mid_flow_stores_nothing():
    calls = []

    def handler(request):
        calls.append(request)
        if len(calls) == 1:
            return answer(srp_challenge())
        raise NetworkError("Network error: Failed to fetch")

    store, p = _sign_in_over(handler)
    before = store.snapshot()
    expect_error(lambda: p.user("alice").authenticate(PASSWORD), "Failed to fetch",
                 kind=NetworkError)  # fmt: skip
    assert store.snapshot() == before and len(calls) == 2


def test_unknown_challenge_is_generic_in_python_and_a_failure_in_compat():
    web_authn = answer({"ChallengeName": "WEB_AUTHN", "Session": "s"})
    _, store, p = _srp_env(answer(srp_challenge()), web_authn)
    before = store.snapshot()
    outcome = run(p.user("alice").authenticate(PASSWORD))
    assert outcome.name == "WEB_AUTHN" and type(outcome).__name__ == "GenericChallenge"
    assert store.snapshot() == before
    web_authn = answer({"ChallengeName": "WEB_AUTHN", "Session": "s"})
    cognito2, store2, _ = _srp_env(answer(srp_challenge()), web_authn)
    cuser = CognitoUser({"Username": "alice", "Pool": compat_pool(cognito2, store2)})
    before2 = store2.snapshot()
    details = AuthenticationDetails({"Username": "alice", "Password": PASSWORD})
    compat_error(lambda cb: cuser.authenticateUser(details, cb), "WEB_AUTHN")
    assert store2.snapshot() == before2


def test_there_are_at_least_forty_kinds_of_bad_answer():
    kinds = len(FIRST) + len(SECOND) + len(REFRESH_ANSWERS) + 3 + 4 + 4 + 5 + 3 + 4
    assert kinds >= 40
    assert json.loads(answer({"a": 1}).body) == {"a": 1}
