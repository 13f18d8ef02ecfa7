"""Bad calls, on both faces: each is a typed CognitoError naming the problem, and
nothing is sent and nothing is stored.

Each case is ``(id, make(env) -> callable, words the message must contain, kind)``;
``expect_error``/``compat_error`` (unit_helpers) also fail the test if an
AttributeError, KeyError or TypeError escapes, raw or wrapped.
"""

import pytest
from unit_helpers import (
    CLIENT_ID,
    NOW,
    PASSWORD,
    POOL_ID,
    Cognito,
    RecordingStorage,
    answer,
    compat_error,
    compat_pool,
    expect_error,
    fixed_random,
    pool,
    run,
    srp_challenge,
    tokens,
)

from pycognito_web import (
    AccessToken,
    AuthenticationDetails,
    CognitoAccessToken,
    CognitoIdToken,
    CognitoUser,
    CognitoUserAttribute,
    CognitoUserPool,
    CognitoUserSession,
    CookieStorage,
    IdToken,
    MemoryStorage,
    MockTransport,
    RefreshToken,
    Session,
    UserPool,
)
from pycognito_web._cookies import CookieJar as _CookieJar
from pycognito_web.errors import (
    InvalidParameterError,
    InvalidResponseError,
    NotAuthenticatedError,
)

IPE = InvalidParameterError
NAE = NotAuthenticatedError


class Env:
    def __init__(self, answers=None):
        self.cognito = Cognito(answers)
        self.storage = RecordingStorage()
        self.pool = pool(self.cognito, self.storage)
        self.user = self.pool.user("alice")
        self.cpool = compat_pool(self.cognito, self.storage)
        self.cuser = CognitoUser({"Username": "alice", "Pool": self.cpool})


def _pool(pool_id=POOL_ID, client_id=CLIENT_ID, **options):
    return lambda: UserPool(pool_id, client_id, transport=MockTransport(Cognito()), **options)


class _NoSetItem:
    def getItem(self, key):
        return None

    def removeItem(self, key):
        pass


def _jwt_session():
    result = tokens()
    return Session(IdToken(result["IdToken"]), AccessToken(result["AccessToken"]))


PYTHONIC = [
    # the pool
    ("pool-id-none", lambda e: _pool(None), ["UserPoolId", "None"], IPE),
    ("pool-id-int", lambda e: _pool(12345), ["UserPoolId", "int"], IPE),
    ("pool-id-bytes", lambda e: _pool(POOL_ID.encode()), ["UserPoolId", "bytes"], IPE),
    ("pool-id-empty", lambda e: _pool(""), ["UserPoolId", "empty"], IPE),
    ("pool-id-no-underscore", lambda e: _pool("useast1AbCdEf"), ["UserPoolId format"], IPE),
    ("pool-id-no-region", lambda e: _pool("_AbCdEf123"), ["UserPoolId format"], IPE),
    ("pool-id-no-name", lambda e: _pool("us-east-1_"), ["UserPoolId format"], IPE),
    ("pool-id-bad-char", lambda e: _pool("us-east-1_ab$cd"), ["UserPoolId format"], IPE),
    ("pool-id-too-long", lambda e: _pool("us-east-1_" + "a" * 50), ["UserPoolId format"], IPE),
    ("pool-id-list", lambda e: _pool([POOL_ID]), ["UserPoolId", "list"], IPE),
    ("client-id-none", lambda e: _pool(client_id=None), ["ClientId", "None"], IPE),
    ("client-id-empty", lambda e: _pool(client_id=""), ["ClientId", "empty"], IPE),
    ("client-id-space", lambda e: _pool(client_id="abc def"), ["ClientId format"], IPE),
    ("client-id-too-long", lambda e: _pool(client_id="a" * 129), ["ClientId format"], IPE),
    ("client-id-dict", lambda e: _pool(client_id={"id": 1}), ["ClientId", "dict"], IPE),
    ("endpoint-int", lambda e: _pool(endpoint=443), ["endpoint", "int"], IPE),
    ("client-secret-bytes", lambda e: _pool(client_secret=b"s"), ["client_secret"], IPE),
    ("storage-dict", lambda e: _pool(storage={}), ["storage", "getItem"], IPE),
    ("storage-no-setitem", lambda e: _pool(storage=_NoSetItem()), ["setItem"], IPE),
    ("storage-str", lambda e: _pool(storage="localStorage"), ["storage"], IPE),
    ("transport-str", lambda e: lambda: UserPool(POOL_ID, CLIENT_ID, transport="https://x/"),
     ["transport"], IPE),
    ("random-bytes-not-callable",
     lambda e: lambda: UserPool(POOL_ID, CLIENT_ID, random_bytes=b"1234"), ["random_bytes"], IPE),
    ("clock-not-callable", lambda e: lambda: UserPool(POOL_ID, CLIENT_ID, clock=NOW),
     ["clock"], IPE),
    ("context-data-not-callable",
     lambda e: lambda: UserPool(POOL_ID, CLIENT_ID, context_data={"EncodedData": "x"}),
     ["context_data"], IPE),
    ("device-name-int", lambda e: lambda: UserPool(POOL_ID, CLIENT_ID, device_name=7),
     ["device_name"], IPE),
    # sign-up
    ("sign-up-username-none", lambda e: lambda: e.pool.sign_up(None, PASSWORD),
     ["username", "None"], IPE),
    ("sign-up-username-int", lambda e: lambda: e.pool.sign_up(42, PASSWORD),
     ["username", "int"], IPE),
    ("sign-up-password-none", lambda e: lambda: e.pool.sign_up("alice", None),
     ["password", "None"], IPE),
    ("sign-up-password-empty", lambda e: lambda: e.pool.sign_up("alice", ""),
     ["password", "empty"], IPE),
    ("sign-up-password-bytes", lambda e: lambda: e.pool.sign_up("alice", PASSWORD.encode()),
     ["password", "bytes"], IPE),
    ("attributes-str", lambda e: lambda: e.pool.sign_up("alice", PASSWORD, "email=a@b.c"),
     ["UserAttributes", "str"], IPE),
    ("attributes-list-of-str", lambda e: lambda: e.pool.sign_up("alice", PASSWORD, ["email"]),
     ["UserAttributes", "Name and Value"], IPE),
    ("attributes-int-value", lambda e: lambda: e.pool.sign_up("alice", PASSWORD, {"age": 5}),
     ["age", "string Value"], IPE),
    ("attributes-no-name", lambda e: lambda: e.pool.sign_up("alice", PASSWORD, [{"Value": "x"}]),
     ["no Name"], IPE),
    ("attributes-int-key", lambda e: lambda: e.pool.sign_up("alice", PASSWORD, {1: "x"}),
     ["no Name"], IPE),
    ("attributes-none-value",
     lambda e: lambda: e.pool.sign_up("alice", PASSWORD, [{"Name": "email", "Value": None}]),
     ["email", "string Value"], IPE),
    ("validation-data-int", lambda e: lambda: e.pool.sign_up("alice", PASSWORD, None, 7),
     ["ValidationData", "int"], IPE),
    ("client-metadata-list",
     lambda e: lambda: e.pool.sign_up("alice", PASSWORD, client_metadata=["a"]),
     ["client_metadata", "dict"], IPE),
    ("client-metadata-int-value",
     lambda e: lambda: e.pool.sign_up("alice", PASSWORD, client_metadata={"a": 1}),
     ["client_metadata", "strings"], IPE),
    # the user
    ("user-none", lambda e: lambda: e.pool.user(None), ["username", "None"], IPE),
    ("user-int", lambda e: lambda: e.pool.user(7), ["username", "int"], IPE),
    ("user-empty", lambda e: lambda: e.pool.user(""), ["username", "empty"], IPE),
    ("authenticate-password-none", lambda e: lambda: e.user.authenticate(None),
     ["password", "None"], IPE),
    ("authenticate-password-list", lambda e: lambda: e.user.authenticate([PASSWORD]),
     ["password", "list"], IPE),
    ("authenticate-bad-flow", lambda e: lambda: e.user.authenticate(PASSWORD, flow="SRP"),
     ["flow type", "SRP"], IPE),
    ("authenticate-metadata-str",
     lambda e: lambda: e.user.authenticate(PASSWORD, client_metadata="x"),
     ["client_metadata"], IPE),
    ("custom-auth-params-list", lambda e: lambda: e.user.initiate_custom_auth(["a"]),
     ["auth_parameters"], IPE),
    ("get-user-signed-out", lambda e: e.user.get_user, ["not authenticated"], NAE),
    ("get-attributes-signed-out", lambda e: e.user.get_attributes, ["not authenticated"], NAE),
    ("get-user-data-signed-out", lambda e: e.user.get_user_data, ["not authenticated"], NAE),
    ("update-attributes-signed-out",
     lambda e: lambda: e.user.update_attributes({"name": "A"}), ["not authenticated"], NAE),
    ("update-attributes-empty", lambda e: lambda: e.user.update_attributes({}),
     ["at least one"], IPE),
    ("delete-attributes-str", lambda e: lambda: e.user.delete_attributes("email"),
     ["attribute names"], IPE),
    ("delete-attributes-int", lambda e: lambda: e.user.delete_attributes([1]),
     ["attribute names"], IPE),
    ("change-password-signed-out",
     lambda e: lambda: e.user.change_password(PASSWORD, PASSWORD + "2"),
     ["not authenticated"], NAE),
    ("change-password-old-none", lambda e: lambda: e.user.change_password(None, "x"),
     ["old password"], IPE),
    ("verify-attribute-code-none", lambda e: lambda: e.user.verify_attribute("email", None),
     ["code", "None"], IPE),
    ("verification-code-name-none",
     lambda e: lambda: e.user.get_attribute_verification_code(None), ["attribute name"], IPE),
    ("confirm-sign-up-code-none", lambda e: lambda: e.user.confirm_sign_up(None),
     ["confirmation code"], IPE),
    ("confirm-sign-up-force-str", lambda e: lambda: e.user.confirm_sign_up("123", "yes"),
     ["force_alias_creation"], IPE),
    ("confirm-password-code-empty", lambda e: lambda: e.user.confirm_password("", "new"),
     ["code", "empty"], IPE),
    ("confirm-password-new-int", lambda e: lambda: e.user.confirm_password("123", 5),
     ["new password", "int"], IPE),
    ("mfa-preference-str", lambda e: lambda: e.user.set_mfa_preference(sms="yes"),
     ["sms"], IPE),
    ("mfa-preference-str-flag",
     lambda e: lambda: e.user.set_mfa_preference(software_token={"Enabled": "true"}),
     ["software_token", "booleans"], IPE),
    ("user-settings-str", lambda e: lambda: e.user.set_user_settings("SMS"),
     ["mfa_options"], IPE),
    ("list-devices-limit-str", lambda e: lambda: e.user.list_devices("10"), ["limit"], IPE),
    ("get-device-signed-out", lambda e: e.user.get_device, ["not authenticated"], NAE),
    ("forget-device-key-int", lambda e: lambda: e.user.forget_device(5),
     ["device key", "int"], IPE),
    ("global-sign-out-signed-out", lambda e: e.user.global_sign_out, ["not authenticated"], NAE),
    ("revoke-signed-out", lambda e: e.user.revoke_tokens, ["not authenticated"], NAE),
    ("delete-user-signed-out", lambda e: e.user.delete_user, ["not authenticated"], NAE),
    ("get-session-nothing-stored", lambda e: e.user.get_session, ["ID Token"], NAE),
    ("refresh-token-int", lambda e: lambda: e.user.refresh_session(5), ["new session"], NAE),
    ("refresh-nothing-stored", lambda e: e.user.refresh_session, ["new session"], NAE),
    ("respond-nothing-pending",
     lambda e: lambda: e.user.respond_to_challenge({"ChallengeName": "SMS_MFA"}),
     ["no challenge"], NAE),
    ("respond-not-a-dict", lambda e: lambda: e.user.respond_to_challenge("SMS_MFA"),
     ["request"], IPE),
    ("set-session-str", lambda e: lambda: e.user.set_session("id.access.refresh"),
     ["session"], IPE),
    ("associate-token-signed-out", lambda e: e.user.associate_software_token,
     ["not authenticated"], NAE),
    ("verify-token-code-none", lambda e: lambda: e.user.verify_software_token(None),
     ["code"], IPE),
    ("verify-token-signed-out", lambda e: lambda: e.user.verify_software_token("123456"),
     ["not authenticated"], NAE),
    # tokens and sessions
    ("session-no-id-token", lambda e: lambda: Session(None, AccessToken("")),
     ["Id token"], IPE),
    ("session-str-tokens", lambda e: lambda: Session(tokens()["IdToken"], tokens()["AccessToken"]),
     ["IdToken"], IPE),
    ("session-str-refresh",
     lambda e: lambda: Session(IdToken(""), AccessToken(""), "refresh-as-str"),
     ["RefreshToken"], IPE),
    ("session-drift-str",
     lambda e: lambda: Session(IdToken(""), AccessToken(""), clock_drift="5"),
     ["clock_drift"], IPE),
    # identity pools and verification
    ("identity-pool-none", lambda e: lambda: e.pool.identity_credentials(None),
     ["identity_pool_id", "None"], IPE),
    ("identity-pool-no-colon", lambda e: lambda: e.pool.identity_credentials("us-east-1"),
     ["identity_pool_id", "<region>:<uuid>"], IPE),
    ("identity-pool-no-region", lambda e: lambda: e.pool.identity_credentials(":abc"),
     ["identity_pool_id"], IPE),
    ("identity-get-no-token",
     lambda e: lambda: e.pool.identity_credentials("us-east-1:abc").get(None),
     ["ID token"], NAE),
    ("identity-get-int-token",
     lambda e: lambda: e.pool.identity_credentials("us-east-1:abc").get(12),
     ["ID token"], NAE),
    ("verify-token-use-refresh",
     lambda e: lambda: e.pool.verify_token("a.b.c", token_use="refresh"), ["token_use"], IPE),
    # cookie storage
    ("cookie-same-site-bogus",
     lambda e: lambda: CookieStorage({"sameSite": "always"}, document=_CookieJar()),
     ["sameSite"], IPE),
    ("cookie-same-site-none-insecure",
     lambda e: lambda: CookieStorage({"sameSite": "none", "secure": False}, document=_CookieJar()),
     ["Secure"], IPE),
    ("cookie-options-list", lambda e: lambda: CookieStorage(["domain"], document=_CookieJar()),
     ["dict"], IPE),
    ("cookie-expires-str",
     lambda e: lambda: CookieStorage({"expires": "7"}, document=_CookieJar()), ["expires"], IPE),
    ("cookie-path-int", lambda e: lambda: CookieStorage({"path": 5}, document=_CookieJar()),
     ["path"], IPE),
    ("cookie-domain-int", lambda e: lambda: CookieStorage({"domain": 5}, document=_CookieJar()),
     ["domain"], IPE),
    # random bytes of the wrong size (a bad injected source)
    ("random-too-short",
     lambda e: lambda: UserPool(POOL_ID, CLIENT_ID, transport=MockTransport(e.cognito),
                                random_bytes=lambda n: b"\x01" * 8)
     .user("alice").authenticate(PASSWORD), ["128 random bytes"], None),
]


@pytest.mark.parametrize("name, make, words, kind", PYTHONIC, ids=[c[0] for c in PYTHONIC])
def test_pythonic_bad_call(name, make, words, kind):
    env = Env()
    before = env.storage.snapshot()
    if kind is None:  # the case builds its own pool, which must reject the bad source
        from pycognito_web.errors import SrpError

        kind = SrpError
    expect_error(make(env), *words, kind=kind)
    assert env.cognito.sent == [], "a bad call reached the service"
    assert env.storage.snapshot() == before


def _details(**data):
    return AuthenticationDetails(dict({"Username": "alice", "Password": PASSWORD}, **data))


def _with_flow(user, flow):
    user.setAuthenticationFlowType(flow)
    return user


COMPAT_RAISED = [
    # constructors: raised at once, as the original throws
    ("pool-none", lambda e: lambda: CognitoUserPool(None), ["UserPoolId and ClientId"]),
    ("pool-empty-dict", lambda e: lambda: CognitoUserPool({}), ["UserPoolId and ClientId"]),
    ("pool-str", lambda e: lambda: CognitoUserPool(POOL_ID), ["UserPoolId and ClientId"]),
    ("pool-no-client", lambda e: lambda: CognitoUserPool({"UserPoolId": POOL_ID}),
     ["ClientId"]),
    ("pool-malformed-id",
     lambda e: lambda: CognitoUserPool({"UserPoolId": "bad", "ClientId": CLIENT_ID}),
     ["UserPoolId format"]),
    ("pool-int-id", lambda e: lambda: CognitoUserPool({"UserPoolId": 5, "ClientId": CLIENT_ID}),
     ["UserPoolId", "int"]),
    ("pool-storage-dict",
     lambda e: lambda: compat_pool(storage=None, Storage={"getItem": None}), ["storage"]),
    ("pool-storage-memory-class", lambda e: lambda: compat_pool(Storage=MemoryStorage),
     ["storage"]),
    ("user-none", lambda e: lambda: CognitoUser(None), ["Username and Pool"]),
    ("user-no-pool", lambda e: lambda: CognitoUser({"Username": "alice"}), ["Username and Pool"]),
    ("user-pool-str", lambda e: lambda: CognitoUser({"Username": "alice", "Pool": POOL_ID}),
     ["CognitoUserPool"]),
    ("user-username-int", lambda e: lambda: CognitoUser({"Username": 7, "Pool": e.cpool}),
     ["username", "int"]),
    ("user-storage-bad",
     lambda e: lambda: CognitoUser({"Username": "a", "Pool": e.cpool, "Storage": "x"}),
     ["storage"]),
    ("details-str", lambda e: lambda: AuthenticationDetails("alice"), ["dict"]),
    ("attribute-int", lambda e: lambda: CognitoUserAttribute(5), ["Name"]),
    ("session-str", lambda e: lambda: CognitoUserSession("tokens"), ["dict"]),
    ("session-raw-strings",
     lambda e: lambda: CognitoUserSession(
         {"IdToken": tokens()["IdToken"], "AccessToken": tokens()["AccessToken"]}),
     ["IdToken"]),
    ("session-no-tokens", lambda e: lambda: CognitoUserSession({}), ["Id token"]),
    ("id-token-int", lambda e: lambda: CognitoIdToken(5), ["IdToken"]),
    ("access-token-list", lambda e: lambda: CognitoAccessToken(["a"]), ["AccessToken"]),
    ("set-session-str", lambda e: lambda: e.cuser.setSignInUserSession("x"), ["session"]),
    ("revoke-callback-str", lambda e: lambda: e.cuser.revokeTokens("cb"), ["revokeTokenCallback"]),
    ("outside-event-loop",
     lambda e: lambda: e.cuser.getUserAttributes(lambda err, result: None), ["event loop"]),
]


@pytest.mark.parametrize("name, make, words", COMPAT_RAISED, ids=[c[0] for c in COMPAT_RAISED])
def test_compat_bad_call_raises(name, make, words):
    env = Env()
    before = env.storage.snapshot()
    expect_error(make(env), *words, kind=InvalidParameterError)
    assert env.cognito.sent == []
    assert env.storage.snapshot() == before


COMPAT = [
    # (id, make(env, callback) -> Pending, words, node-style?, extra handler names)
    ("auth-callback-none", lambda e, cb: e.cuser.authenticateUser(_details(), None),
     ["callback object"], False),
    ("auth-no-on-failure",
     lambda e, cb: e.cuser.authenticateUser(_details(), {"onSuccess": cb["onSuccess"]}),
     ["onFailure"], False),
    ("auth-on-failure-str",
     lambda e, cb: e.cuser.authenticateUser(_details(), dict(cb, onFailure="log")),
     ["onFailure"], False),
    ("auth-callback-list", lambda e, cb: e.cuser.authenticateUser(_details(), [cb]),
     ["onSuccess"], False),
    ("auth-details-dict",
     lambda e, cb: e.cuser.authenticateUser({"Username": "a", "Password": PASSWORD}, cb),
     ["AuthenticationDetails"], False),
    ("auth-no-password",
     lambda e, cb: e.cuser.authenticateUser(AuthenticationDetails({"Username": "a"}), cb),
     ["PASSWORD"], False),
    ("auth-password-int",
     lambda e, cb: e.cuser.authenticateUser(_details(Password=1234), cb), ["password", "int"],
     False),
    ("auth-bad-flow",
     lambda e, cb: _with_flow(e.cuser, "SRP").authenticateUser(_details(), cb),
     ["flow type"], False),
    ("auth-validation-data-strs",
     lambda e, cb: e.cuser.authenticateUser(_details(ValidationData=["x"]), cb),
     ["ValidationData"], False),
    ("auth-metadata-int-values",
     lambda e, cb: e.cuser.authenticateUser(_details(ClientMetadata={"a": 1}), cb),
     ["client_metadata"], False),
    ("initiate-auth-details-str", lambda e, cb: e.cuser.initiateAuth("alice", cb),
     ["AuthenticationDetails"], False),
    ("send-mfa-nothing-pending", lambda e, cb: e.cuser.sendMFACode("123456", cb),
     ["no pending", "SMS_MFA"], False),
    ("send-totp-nothing-pending",
     lambda e, cb: e.cuser.sendMFACode("123456", cb, "SOFTWARE_TOKEN_MFA"),
     ["SOFTWARE_TOKEN_MFA"], False),
    ("custom-answer-nothing-pending", lambda e, cb: e.cuser.sendCustomChallengeAnswer("a", cb),
     ["CUSTOM_CHALLENGE"], False),
    ("new-password-nothing-pending",
     lambda e, cb: e.cuser.completeNewPasswordChallenge("N3w!pass", {}, cb),
     ["NEW_PASSWORD_REQUIRED"], False),
    ("mfa-selection-nothing-pending",
     lambda e, cb: e.cuser.sendMFASelectionAnswer("SMS_MFA", cb), ["SELECT_MFA_TYPE"], False),
    ("get-session-callback-none", lambda e, cb: e.cuser.getSession(None), ["callback"], True),
    ("get-session-callback-dict", lambda e, cb: e.cuser.getSession({"onSuccess": cb}),
     ["callback"], True),
    ("get-session-nothing-stored", lambda e, cb: e.cuser.getSession(cb), ["ID Token"], True),
    ("get-attributes-signed-out", lambda e, cb: e.cuser.getUserAttributes(cb),
     ["not authenticated"], True),
    ("get-attributes-callback-none", lambda e, cb: e.cuser.getUserAttributes(None),
     ["callback"], True),
    ("get-user-data-signed-out", lambda e, cb: e.cuser.getUserData(cb),
     ["not authenticated"], True),
    ("sign-up-callback-none",
     lambda e, cb: e.cpool.signUp("alice", PASSWORD, [], None, None), ["callback"], True),
    ("sign-up-username-none", lambda e, cb: e.cpool.signUp(None, PASSWORD, [], None, cb),
     ["username"], True),
    ("sign-up-attributes-str", lambda e, cb: e.cpool.signUp("alice", PASSWORD, "x", None, cb),
     ["UserAttributes"], True),
    ("sign-up-attributes-objects",
     lambda e, cb: e.cpool.signUp("alice", PASSWORD, [object()], None, cb),
     ["UserAttributes"], True),
    ("update-attributes-callback-none",
     lambda e, cb: e.cuser.updateAttributes([CognitoUserAttribute({"Name": "n", "Value": "v"})],
                                            None), ["callback"], True),
    ("update-attributes-str", lambda e, cb: e.cuser.updateAttributes("name=A", cb),
     ["UserAttributes"], True),
    ("delete-attributes-str", lambda e, cb: e.cuser.deleteAttributes("email", cb),
     ["attribute names"], True),
    ("change-password-signed-out",
     lambda e, cb: e.cuser.changePassword(PASSWORD, PASSWORD + "2", cb),
     ["not authenticated"], True),
    ("confirm-registration-code-none",
     lambda e, cb: e.cuser.confirmRegistration(None, False, cb), ["confirmation code"], True),
    ("confirm-registration-force-str",
     lambda e, cb: e.cuser.confirmRegistration("123", "true", cb), ["force_alias_creation"],
     True),
    ("resend-code-metadata-list",
     lambda e, cb: e.cuser.resendConfirmationCode(cb, ["x"]), ["client_metadata"], True),
    ("forgot-password-empty-callbacks", lambda e, cb: e.cuser.forgotPassword({}),
     ["onSuccess"], False),
    ("forgot-password-metadata-int", lambda e, cb: e.cuser.forgotPassword(cb, {"a": 1}),
     ["client_metadata"], False),
    ("confirm-password-empty-code",
     lambda e, cb: e.cuser.confirmPassword("", "N3w!pass", cb), ["code"], False),
    ("global-sign-out-callback-none", lambda e, cb: e.cuser.globalSignOut(None),
     ["callback object"], False),
    ("global-sign-out-signed-out", lambda e, cb: e.cuser.globalSignOut(cb),
     ["not authenticated"], False),
    ("associate-no-secret-handler", lambda e, cb: e.cuser.associateSoftwareToken(cb),
     ["associateSecretCode"], False),
    ("verify-software-token-code-none",
     lambda e, cb: e.cuser.verifySoftwareToken(None, "phone", cb), ["code"], False),
    ("list-devices-limit-str", lambda e, cb: e.cuser.listDevices("10", None, cb),
     ["limit"], False),
    ("get-device-signed-out", lambda e, cb: e.cuser.getDevice(cb), ["not authenticated"], False),
    ("forget-specific-device-int", lambda e, cb: e.cuser.forgetSpecificDevice(5, cb),
     ["device key"], False),
    ("mfa-preference-str", lambda e, cb: e.cuser.setUserMfaPreference("x", None, cb), ["sms"],
     True),
    ("enable-mfa-signed-out", lambda e, cb: e.cuser.enableMFA(cb), ["not authenticated"], True),
    ("delete-user-signed-out", lambda e, cb: e.cuser.deleteUser(cb), ["not authenticated"], True),
    ("refresh-session-nothing", lambda e, cb: e.cuser.refreshSession(None, cb), ["new session"],
     True),
    ("sign-out-revoke-signed-out", lambda e, cb: e.cuser.signOut(cb), ["ID Token"], True),
    ("revoke-tokens-signed-out", lambda e, cb: e.cuser.revokeTokens(cb), ["not authenticated"],
     True),
]


@pytest.mark.parametrize("name, make, words, node", COMPAT, ids=[c[0] for c in COMPAT])
def test_compat_bad_call(name, make, words, node):
    env = Env()
    before = env.storage.snapshot()
    compat_error(lambda cb: make(env, cb), *words, node=node)
    assert env.cognito.sent == []
    assert env.storage.snapshot() == before


def test_there_are_at_least_sixty_kinds_of_bad_call():
    assert len(PYTHONIC) + len(COMPAT_RAISED) + len(COMPAT) >= 60


# -- challenge handlers and answers that are not pending ----------------------------------


def _mfa_env(challenge="SMS_MFA", params=None):
    params = params or {"CODE_DELIVERY_DESTINATION": "+*******1234"}
    final = {"ChallengeName": challenge, "Session": "mfa-session", "ChallengeParameters": params}
    return Env({"InitiateAuth": [srp_challenge()], "RespondToAuthChallenge": [final]})


@pytest.mark.parametrize(
    "challenge, handler",
    [
        ("SMS_MFA", "mfaRequired"),
        ("SOFTWARE_TOKEN_MFA", "totpRequired"),
        ("SELECT_MFA_TYPE", "selectMFAType"),
        ("MFA_SETUP", "mfaSetup"),
        ("CUSTOM_CHALLENGE", "customChallenge"),
        ("NEW_PASSWORD_REQUIRED", "newPasswordRequired"),
    ],
)
def test_missing_challenge_handler_goes_to_on_failure(challenge, handler):
    env = _mfa_env(challenge)
    before = env.storage.snapshot()
    error = compat_error(lambda cb: env.cuser.authenticateUser(_details(), cb), handler)
    assert isinstance(error, InvalidParameterError)
    assert challenge in error.message or handler in error.message
    assert env.storage.snapshot() == before


def test_unknown_challenge_goes_to_on_failure_once():
    env = _mfa_env("PASSKEY_CHALLENGE_FROM_THE_FUTURE")
    before = env.storage.snapshot()
    compat_error(
        lambda cb: env.cuser.authenticateUser(_details(), cb), "PASSKEY_CHALLENGE_FROM_THE_FUTURE"
    )
    assert env.storage.snapshot() == before


def test_mfa_code_while_another_challenge_is_pending():
    env = _mfa_env("CUSTOM_CHALLENGE")

    async def main():
        got = []
        await env.cuser.authenticateUser(
            _details(),
            {
                "onSuccess": got.append,
                "onFailure": got.append,
                "customChallenge": lambda params: got.append("custom"),
            },
        )
        assert got == ["custom"]

    run(main())
    compat_error(lambda cb: env.cuser.sendMFACode("123456", cb), "SMS_MFA")
    assert env.cognito.actions() == ["InitiateAuth", "RespondToAuthChallenge"]


def _signed_in_with_stale_challenge():
    env = Env(
        {
            "InitiateAuth": [srp_challenge()],
            "RespondToAuthChallenge": [
                {"ChallengeName": "SMS_MFA", "Session": "s1", "ChallengeParameters": {}},
                {"AuthenticationResult": tokens()},
            ],
        }
    )
    challenge = run(env.user.authenticate(PASSWORD))
    session = run(challenge.answer("123456"))
    assert isinstance(session, Session)
    return env, challenge


def test_answering_a_challenge_that_is_no_longer_pending():
    env, challenge = _signed_in_with_stale_challenge()
    sent = len(env.cognito.sent)
    before = env.storage.snapshot()
    expect_error(lambda: challenge.answer("654321"), "no longer pending", kind=NAE)
    assert len(env.cognito.sent) == sent
    assert env.storage.snapshot() == before


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda c: c.answer(None), ["code", "None"]),
        (lambda c: c.answer(123456), ["code", "int"]),
        (lambda c: c.respond("SMS_MFA_CODE=1"), ["responses"]),
        (lambda c: c.answer("123456", client_metadata=[1]), ["client_metadata"]),
    ],
)
def test_bad_challenge_answers(call, words):
    env = _mfa_env("SMS_MFA")
    challenge = run(env.user.authenticate(PASSWORD))
    sent = len(env.cognito.sent)
    expect_error(lambda: call(challenge), *words, kind=IPE)
    assert len(env.cognito.sent) == sent


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda c: c.complete(""), ["New password"]),
        (lambda c: c.complete(None), ["New password"]),
        (lambda c: c.complete(["pw"]), ["new password", "list"]),
        (lambda c: c.complete("N3w!pass", ["email"]), ["attributes"]),
        (lambda c: c.complete("N3w!pass", {"email": 5}), ["attributes"]),
    ],
)
def test_bad_new_password_answers(call, words):
    env = _mfa_env("NEW_PASSWORD_REQUIRED", {"userAttributes": "{}", "requiredAttributes": "[]"})
    challenge = run(env.user.authenticate(PASSWORD))
    sent = len(env.cognito.sent)
    expect_error(lambda: call(challenge), *words, kind=IPE)
    assert len(env.cognito.sent) == sent


def test_select_mfa_type_not_a_string():
    env = _mfa_env("SELECT_MFA_TYPE", {"MFAS_CAN_CHOOSE": '["SMS_MFA"]'})
    challenge = run(env.user.authenticate(PASSWORD))
    expect_error(lambda: challenge.select(None), "mfa_type", kind=IPE)


def test_bad_answer_does_not_crash_in_the_service_client():
    # Sanity check of the helpers themselves: a local error leaves the script unread.
    env = Env({"SignUp": [answer({"UserConfirmed": False, "UserSub": "s"})]})
    result = run(env.pool.sign_up("alice", PASSWORD, {"email": "a@example.com"}))
    assert result.user_confirmed is False
    assert env.cognito.actions() == ["SignUp"]
    with pytest.raises(AssertionError):
        expect_error(lambda: None)
    with pytest.raises(AssertionError):
        expect_error(lambda: {}["missing"])
    with pytest.raises(AssertionError):
        check_wrapped()


def check_wrapped():
    from pycognito_web.compat._callbacks import as_error

    try:
        {}["x"]
    except KeyError as error:
        wrapped = as_error(error)
    from unit_helpers import check_error

    check_error(wrapped)


def test_fixed_random_is_what_the_pool_draws():
    env = Env()
    assert env.pool.random_bytes is fixed_random
    assert len(fixed_random(128)) == 128 and 0 not in fixed_random(600)
    assert isinstance(InvalidResponseError("x"), Exception)
    assert RefreshToken("r").token == "r"
