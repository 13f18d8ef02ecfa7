"""Each module's contract: tokens, storage keys, CookieStorage (byte for byte as
js-cookie 3.0.8 writes it, recorded from Node), read_response, _verify, _identity,
compat callback semantics, and the flows driven by run_sync."""

import asyncio
import base64
import json

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from unit_helpers import (
    CLIENT_ID,
    NOW,
    PASSWORD,
    POOL_ID,
    Cognito,
    RecordingStorage,
    answer,
    b64url,
    compat_pool,
    expect_error,
    fixed_random,
    make_jwt,
    pool,
    run,
    srp_challenge,
    tokens,
)

from pycognito_web import (
    AccessToken,
    AuthenticationDetails,
    CognitoUser,
    CookieStorage,
    IdToken,
    RefreshToken,
    Response,
    Session,
    _api,
    _storage,
    _tokens,
    _verify,
    errors,
)
from pycognito_web._cookies import CookieJar as _CookieJar
from pycognito_web.compat._callbacks import Done
from pycognito_web.errors import InvalidResponseError, NetworkError, TokenVerificationError
from pycognito_web.flows import account, run_sync, sign_in
from pycognito_web.flows.context import Challenge, FlowContext, SignedIn

# -- tokens -----------------------------------------------------------------------------------


def test_payload_accepts_base64url_and_missing_padding():
    claims = {"sub": "ü?>>", "exp": 10, "n": "~~~"}  # bytes that give - and _ in base64url
    raw = json.dumps(claims).encode()
    standard = base64.b64encode(raw).decode()
    url_padded = base64.urlsafe_b64encode(raw).decode()
    for segment in (b64url(raw), url_padded, standard, standard.rstrip("=")):
        assert _tokens.decode_payload("h." + segment + ".s") == claims
    assert "-" in b64url(raw) or "_" in b64url(raw)


@pytest.mark.parametrize("jwt", [None, 5, "", "abc", "a.!!!.c", "a.W10.c", "a.bnVsbA.c"])
def test_unreadable_payload_is_empty(jwt):
    assert _tokens.decode_payload(jwt) == {}


def test_exp_iat_and_claims():
    token = IdToken(make_jwt({"exp": 200, "iat": 100, "email": "a@b"}))
    assert (token.expiration, token.issued_at, token.claim("email")) == (200, 100, "a@b")
    assert IdToken(make_jwt({"exp": "200", "iat": True})).expiration is None
    assert IdToken(make_jwt({"exp": "200", "iat": True})).issued_at is None
    assert IdToken(None).jwt == "" and RefreshToken(None).token == ""


def _session(exp=1100, iat=1000, drift=None, now=None):
    id_token = IdToken(make_jwt({"exp": exp, "iat": iat}))
    access = AccessToken(make_jwt({"exp": exp + 50, "iat": iat + 5}))
    return Session(id_token, access, RefreshToken("r"), clock_drift=drift, now=now)


def test_clock_drift_is_now_minus_earliest_iat():
    assert _session(now=1300).clock_drift == 300
    assert _session(now=900).clock_drift == -100
    assert _session().clock_drift == 0


@pytest.mark.parametrize(
    "drift, now, valid",
    [(0, 1099, True), (0, 1099.99, True), (0, 1100, False), (300, 1399, True),
     (300, 1400, False), (-50, 1049, True), (-50, 1050, False)],
)  # fmt: skip
def test_is_valid_edges(drift, now, valid):
    session = _session(drift=drift)
    assert session.is_valid(now) is valid
    assert session.expires_at() == 1100 + drift


def test_session_without_exp_is_never_valid():
    session = Session(IdToken(make_jwt({"iat": 1})), AccessToken(make_jwt({"exp": 10**10})))
    assert session.is_valid(0) is False and session.expires_at() is None


def test_session_from_result_keeps_the_old_refresh_token():
    result = tokens(refresh=None)
    session = _tokens.session_from_result(result, NOW, refresh_token="old")
    assert session.refresh_token.token == "old" and session.clock_drift == 0
    expect_error(lambda: _tokens.session_from_result("x", NOW), kind=InvalidResponseError)


# -- storage keys --------------------------------------------------------------------------------


def test_storage_keys_are_the_originals():
    assert _storage.last_user_key("cid") == "CognitoIdentityServiceProvider.cid.LastAuthUser"
    assert (_storage.user_key("cid", "a@b.c", "idToken")
            == "CognitoIdentityServiceProvider.cid.a@b.c.idToken")  # fmt: skip


def test_sign_in_writes_exactly_the_original_keys():
    final = answer({"AuthenticationResult": tokens()})
    first = answer(srp_challenge())
    cognito = Cognito({"InitiateAuth": [first], "RespondToAuthChallenge": [final]})
    store = RecordingStorage()
    run(pool(cognito, store).user("alice").authenticate(PASSWORD))
    prefix = "CognitoIdentityServiceProvider.%s." % CLIENT_ID
    assert sorted(store.keys()) == sorted(
        [prefix + "LastAuthUser"]
        + [prefix + "alice." + n for n in ("idToken", "accessToken", "refreshToken", "clockDrift")]
    )
    assert store.getItem(prefix + "LastAuthUser") == "alice"
    assert store.getItem(prefix + "alice.clockDrift") == "0"


# -- CookieStorage ---------------------------------------------------------------------------


class Document:
    def __init__(self, jar=""):
        self.writes = []
        self.jar = jar

    @property
    def cookie(self):
        return self.jar

    @cookie.setter
    def cookie(self, text):
        self.writes.append(text)


# What js-cookie 3.0.8 wrote for the same calls (Node, Date.now() = NOW * 1000).
JS_WRITES = [
    "CognitoIdentityServiceProvider.cid.alice%40example.com%20%28x%29%2Fy%3Az.idToken="
    "a=b%20c%3Bd/%C3%A9#$&+:<>?@[]^`{|}(); path=/; expires=Thu, 07 May 2026 00:09:40 GMT; "
    "secure; sameSite=strict",
    "k=v; path=/app; expires=Thu, 08 May 2025 12:09:40 GMT; domain=example.com",
    "k=; path=/; expires=Tue, 06 May 2025 00:09:40 GMT; secure",
]


def test_cookie_writes_match_js_cookie():
    document = Document()
    strict = CookieStorage({"sameSite": "strict"}, document=document, clock=lambda: NOW)
    strict.setItem("CognitoIdentityServiceProvider.cid.alice@example.com (x)/y:z.idToken",
                   "a=b c;d/\u00e9#$&+:<>?@[]^`{|}()")  # fmt: skip
    other = CookieStorage({"path": "/app", "expires": 1.5, "domain": "example.com",
                           "secure": False}, document=document, clock=lambda: NOW)  # fmt: skip
    other.setItem("k", "v")
    CookieStorage({}, document=document, clock=lambda: NOW).removeItem("k")
    assert document.writes == JS_WRITES


def test_cookie_reads_match_js_cookie():
    jar = ('a=1; b=%E2%9C%93; a=2; c="quoted"; '
           "CognitoIdentityServiceProvider.cid.alice%40example.com.idToken=x%3Dy")  # fmt: skip
    storage = CookieStorage({}, document=Document(jar), clock=lambda: NOW)
    assert storage.getItem("a") == "1"  # the first one wins, as js-cookie
    assert storage.getItem("b") == "\u2713"
    assert storage.getItem("c") == "quoted"
    assert storage.getItem("CognitoIdentityServiceProvider.cid.alice@example.com.idToken") == "x=y"
    assert storage.getItem("missing") is None


def test_cookie_defaults_and_round_trip_through_the_fake_document():
    storage = CookieStorage(document=_CookieJar(), clock=lambda: NOW)
    assert (storage.path, storage.expires, storage.secure, storage.sameSite) == ("/", 365, True,
                                                                                  None)  # fmt: skip
    storage.setItem("key.with@odd;chars", "value=with;odd chars")
    assert storage.getItem("key.with@odd;chars") == "value=with;odd chars"
    storage.removeItem("key.with@odd;chars")
    assert storage.getItem("key.with@odd;chars") is None
    storage.setItem("a", "1")
    storage.setItem("b", "2")
    storage.clear()
    assert storage.getItem("a") is None and storage.getItem("b") is None


@pytest.mark.parametrize("same_site", ["strict", "lax", "none"])
def test_cookie_same_site_values(same_site):
    storage = CookieStorage({"sameSite": same_site}, document=_CookieJar(), clock=lambda: NOW)
    assert storage.sameSite == same_site
    assert "sameSite=" + same_site in storage._attributes(1)


# -- read_response ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "response, kind, code, message",
    [
        (Response(400, {}, b'{"__type":"NotAuthorizedException","message":"No"}'),
         errors.NotAuthorizedException, "NotAuthorizedException", "No"),
        (Response(400, {}, b'{"__type":"a.b#CodeMismatchException","Message":"Bad code"}'),
         errors.CodeMismatchException, "CodeMismatchException", "Bad code"),
        (Response(400, {"X-Amzn-ErrorType": "ExpiredCodeException:http://x/"}, b""),
         errors.ExpiredCodeException, "ExpiredCodeException", "400"),
        (Response(400, {"x-amzn-errortype": "LimitExceededException",
                        "x-amzn-errormessage": "Too many"}, b"<html>"),
         errors.LimitExceededException, "LimitExceededException", "Too many"),
        (Response(400, {}, b'{"code":"UserNotFoundException","message":"Gone"}'),
         errors.UserNotFoundException, "UserNotFoundException", "Gone"),
        (Response(500, {}, b'{"__type":"NewException"}'), errors.ServiceError, "NewException", ""),
        (Response(502, {}, b"<html>bad gateway</html>"), InvalidResponseError,
         "InvalidResponseError", "HTTP 502"),
        (Response(200, {}, b"[]"), InvalidResponseError, "InvalidResponseError", "not a JSON"),
    ],
)  # fmt: skip
def test_read_response_error_shapes(response, kind, code, message):
    with pytest.raises(kind) as raised:
        _api.read_response(response)
    error = raised.value
    assert error.code == code == error.name
    assert message in error.message
    assert error.status_code == response.status_code == error.statusCode


def test_read_response_success_and_request_shape():
    assert _api.read_response(Response(200, {}, b'{"a":1}')) == {"a": 1}
    request = _api.build_request("https://e/", "SignUp", {"A": None, "B": {"C": None, "D": "é"}})
    assert request.body == '{"B":{"D":"é"}}'.encode()
    assert request.headers == {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "AWSCognitoIdentityProviderService.SignUp",
        "X-Amz-User-Agent": _api.USER_AGENT,
        "Cache-Control": "no-store",
    }


# -- _verify ----------------------------------------------------------------------------------

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/" + POOL_ID


def _int_b64(value):
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


JWKS = {"keys": [{"kid": "k1", "kty": "RSA", "alg": "RS256", "use": "sig",
                  "n": _int_b64(KEY.public_key().public_numbers().n),
                  "e": _int_b64(KEY.public_key().public_numbers().e)}]}  # fmt: skip


def _signed(claims=None, header=None, key=KEY, **changes):
    body = {"iss": ISSUER, "token_use": "id", "aud": CLIENT_ID, "exp": NOW + 60, "sub": "s"}
    body.update(claims or {})
    for name, value in changes.items():
        if value is None:
            body.pop(name, None)
        else:
            body[name] = value
    head = header or {"kid": "k1", "alg": "RS256"}
    signing_input = b64url(json.dumps(head).encode()) + "." + b64url(json.dumps(body).encode())
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return signing_input + "." + b64url(signature)


def _verify_token(token, use="id", now=NOW, leeway=0):
    return _verify.verify(token, JWKS, ISSUER, CLIENT_ID, use, now, leeway)


def test_verify_accepts_good_tokens():
    assert _verify_token(_signed())["sub"] == "s"
    access = _signed({"token_use": "access", "client_id": CLIENT_ID}, aud=None)
    assert _verify_token(access, "access")["client_id"] == CLIENT_ID
    assert _verify_token(_signed(exp=NOW - 5), leeway=10)


OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.mark.parametrize(
    "token, use, words",
    [
        (lambda: "not-a-jwt", "id", "not a JWT"),
        (lambda: "a.b", "id", "not a JWT"),
        (lambda: _signed(header={"kid": "k1", "alg": "none"}), "id", "algorithm"),
        (lambda: _signed(header={"kid": "k1", "alg": "HS256"}), "id", "algorithm"),
        (lambda: _signed(header={"kid": "k2", "alg": "RS256"}), "id", "kid"),
        (lambda: _signed(key=OTHER_KEY), "id", "signature"),
        (lambda: _signed()[:-4] + "AAAA", "id", "signature"),
        (lambda: ".".join(_signed().split(".")[:2]) + ".", "id", "signature"),
        (lambda: _signed(iss="https://evil/" + POOL_ID), "id", "another pool"),
        (lambda: _signed(iss=None), "id", "another pool"),
        (lambda: _signed(token_use="access"), "id", "not an id token"),
        (lambda: _signed(), "access", "not an access token"),
        (lambda: _signed(aud="other-client"), "id", "another app client"),
        (lambda: _signed({"token_use": "access", "client_id": "x"}), "access", "app client"),
        (lambda: _signed(exp=None), "id", "no expiry"),
        (lambda: _signed(exp="9999999999"), "id", "no expiry"),
        (lambda: _signed(exp=NOW), "id", "expired"),
        (lambda: "e30.e30.!!!", "id", "algorithm"),
        (lambda: "W10.e30.AA", "id", "JSON object"),
        (lambda: "bm90IGpzb24.e30.AA", "id", "not JSON"),
    ],
)  # fmt: skip
def test_verify_names_each_failing_check(token, use, words):
    expect_error(lambda: _verify_token(token(), use), words, kind=TokenVerificationError)


@pytest.mark.parametrize("jwks", [None, {}, {"keys": "k"}, {"keys": [{"kid": "k1", "kty": "EC"}]}])
def test_verify_bad_jwks(jwks):
    expect_error(lambda: _verify.verify(_signed(), jwks, ISSUER, CLIENT_ID, "id", NOW),
                 kind=TokenVerificationError)  # fmt: skip


def test_pool_verify_token_refetches_keys_once_for_an_unknown_kid():
    url = "GET " + ISSUER + "/.well-known/jwks.json"
    cognito = Cognito({url: [answer({"keys": []}), answer(JWKS)]})
    assert run(pool(cognito).verify_token(_signed()))["sub"] == "s"
    assert len(cognito.sent) == 2


# -- _identity --------------------------------------------------------------------------------


def test_identity_credentials_are_fetched_then_kept():
    cognito = Cognito({
        "GetId": [answer({"IdentityId": "us-east-1:id-1"})],
        "GetCredentialsForIdentity": [
            answer({"IdentityId": "us-east-1:id-1", "Credentials": {
                "AccessKeyId": "AKIA1", "SecretKey": "s", "SessionToken": "t",
                "Expiration": NOW + 3600}}),
            answer({"Credentials": {"AccessKeyId": "AKIA2", "SecretKey": "s",
                                    "SessionToken": "t", "Expiration": NOW + 7200}}),
        ],
    })  # fmt: skip
    clock = [NOW]
    p = pool(cognito, clock=lambda: clock[0])
    identity = p.identity_credentials("us-east-1:abc")
    id_token = tokens()["IdToken"]
    first = run(identity.get(id_token))
    assert (first.access_key_id, first.identity_id) == ("AKIA1", "us-east-1:id-1")
    assert run(identity.get(id_token)) is first
    clock[0] = NOW + 3600 - 299  # within five minutes of expiry: fetch again
    assert run(identity.get(id_token)).access_key_id == "AKIA2"
    assert cognito.actions() == ["GetId", "GetCredentialsForIdentity", "GetCredentialsForIdentity"]
    request = cognito.requests[0]
    assert request.url == "https://cognito-identity.us-east-1.amazonaws.com/"
    assert request.headers["X-Amz-Target"] == "AWSCognitoIdentityService.GetId"
    provider = "cognito-idp.us-east-1.amazonaws.com/" + POOL_ID
    assert cognito.sent[0][1] == {"IdentityPoolId": "us-east-1:abc", "Logins": {provider: id_token}}


# -- compat callbacks -----------------------------------------------------------------------------


def _signed_in_compat(**answers):
    cognito = Cognito(dict({"InitiateAuth": [answer(srp_challenge())],
                            "RespondToAuthChallenge": [answer({"AuthenticationResult": tokens()})]},
                           **answers))  # fmt: skip
    store = RecordingStorage()
    cpool = compat_pool(cognito, store)
    return cognito, cpool, CognitoUser({"Username": "alice", "Pool": cpool})


DETAILS = AuthenticationDetails({"Username": "alice", "Password": PASSWORD})


def test_object_callbacks_and_awaitable_result():
    async def main():
        _, cpool, user = _signed_in_compat()
        got = []
        pending = user.authenticateUser(DETAILS, {"onSuccess": lambda s: got.append(("ok", s)),
                                                  "onFailure": got.append})  # fmt: skip
        assert not pending.done()  # started, not finished
        session = await pending
        assert got == [("ok", session)] and session.isValid()
        return cpool

    cpool = asyncio.run(main())
    assert cpool.getCurrentUser().getUsername() == "alice"


def test_object_callbacks_may_be_objects_with_coroutine_methods():
    class Callbacks:
        def __init__(self):
            self.got = []

        async def onSuccess(self, session):
            await asyncio.sleep(0)
            self.got.append(session)

        def onFailure(self, err):
            self.got.append(err)

    async def main():
        _, _, user = _signed_in_compat()
        callbacks = Callbacks()
        session = await user.authenticateUser(DETAILS, callbacks)
        assert callbacks.got == [session]

    asyncio.run(main())


def test_node_style_callbacks_success_and_error():
    async def main():
        _, _, user = _signed_in_compat(
            GetUser=[answer({"UserAttributes": [{"Name": "email", "Value": "a@b"}]})])
        await user.authenticateUser(DETAILS, {"onSuccess": lambda s: None,
                                              "onFailure": lambda e: None})  # fmt: skip
        got = []

        async def callback(err, result):
            got.append((err, result))

        attributes = await user.getUserAttributes(callback)
        assert got == [(None, attributes)]
        assert [(a.getName(), a.getValue()) for a in attributes] == [("email", "a@b")]
        got.clear()
        with pytest.raises(errors.InvalidParameterError):
            await user.deleteAttributes("email", callback)
        assert len(got) == 1 and got[0][1] is None

    asyncio.run(main())


def test_error_is_delivered_once_even_if_not_awaited():
    async def main():
        user = CognitoUser({"Username": "alice", "Pool": compat_pool()})
        got = []
        pending = user.getUserAttributes(lambda err, result: got.append(err))
        for _ in range(5):
            await asyncio.sleep(0)
        assert pending.done() and len(got) == 1
        with pytest.raises(errors.NotAuthenticatedError):
            pending.result()
        assert len(got) == 1

    asyncio.run(main())


def test_get_session_is_synchronous_when_cached():
    async def main():
        _, cpool, user = _signed_in_compat()
        await user.authenticateUser(DETAILS, {"onSuccess": lambda s: None,
                                              "onFailure": lambda e: None})  # fmt: skip
        current = cpool.getCurrentUser()
        got = []
        result = current.getSession(lambda err, session: got.append((err, session)))
        assert isinstance(result, Done) and len(got) == 1  # before any await
        assert got[0][0] is None and got[0][1].isValid()
        assert await result is got[0][1]

    asyncio.run(main())


def test_callback_exceptions_surface_and_are_not_sent_to_on_failure():
    async def main():
        _, _, user = _signed_in_compat()
        failures = []

        def on_success(session):
            raise RuntimeError("the page's own bug")

        with pytest.raises(RuntimeError):
            await user.authenticateUser(DETAILS, {"onSuccess": on_success,
                                                  "onFailure": failures.append})  # fmt: skip
        assert failures == []

    asyncio.run(main())


# -- flows with run_sync ------------------------------------------------------------------------


class Env:
    def __init__(self, answers):
        self.answers = list(answers)
        self.calls = []

    def call(self, action, params):
        self.calls.append((action, params))
        reply = self.answers.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply

    random = staticmethod(fixed_random)

    def now(self):
        return NOW

    def device(self, username):
        return None


CTX = FlowContext(CLIENT_ID, POOL_ID.split("_")[1], None, lambda u: None, "test-device")


def test_srp_flow_with_run_sync():
    env = Env([srp_challenge("alice-id"), {"AuthenticationResult": tokens()}])
    outcome = run_sync(sign_in.srp(CTX, "alice@example.com", PASSWORD), env)
    assert isinstance(outcome, SignedIn) and outcome.username == "alice-id"
    (first, init), (second, respond) = env.calls
    assert (first, second) == ("InitiateAuth", "RespondToAuthChallenge")
    assert init["AuthParameters"]["USERNAME"] == "alice@example.com"
    assert respond["ChallengeResponses"]["USERNAME"] == "alice-id"
    assert respond["ChallengeResponses"]["TIMESTAMP"] == "Wed May 7 00:09:40 UTC 2025"
    assert PASSWORD not in json.dumps(env.calls)


def test_password_flow_returns_a_challenge():
    env = Env([{"ChallengeName": "SMS_MFA", "Session": "s", "ChallengeParameters": {"A": "1"}}])
    outcome = run_sync(sign_in.password(CTX, "alice", PASSWORD), env)
    assert isinstance(outcome, Challenge)
    assert (outcome.name, outcome.session, outcome.parameters) == ("SMS_MFA", "s", {"A": "1"})
    assert env.calls[0][1]["AuthParameters"]["PASSWORD"] == PASSWORD


def test_flow_errors_propagate_through_run_sync():
    env = Env([NetworkError("Network error: offline")])
    with pytest.raises(NetworkError):
        run_sync(sign_in.srp(CTX, "alice", PASSWORD), env)


def test_refresh_flow():
    env = Env([{"AuthenticationResult": tokens(refresh=None)}])
    result = run_sync(account.refresh(CTX, "r-token", "alice", "dev-key"), env)
    assert "IdToken" in result
    params = env.calls[0][1]
    assert params["AuthFlow"] == "REFRESH_TOKEN_AUTH"
    assert params["AuthParameters"] == {"REFRESH_TOKEN": "r-token", "DEVICE_KEY": "dev-key",
                                        "SECRET_HASH": None}  # fmt: skip
