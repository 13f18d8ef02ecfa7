"""TOTP and a remembered device under MicroPython, against a Cognito stub in the test.

The emulator does not implement AssociateSoftwareToken, VerifySoftwareToken,
SetUserMFAPreference, ConfirmDevice or device SRP yet, so these flows run against
``Stub``: a MockTransport handler that plays the service's side for real (server-side
SRP-6a for the password and for the device, RFC 6238 TOTP checks). What is under test is
the client's half, both API faces, running in MicroPython.
"""

import binascii
import json
import time

from mpy_support import PASSWORD, raises, totp

from pycognito_web import (
    AuthenticationDetails,
    CodeChallenge,
    CognitoUser,
    CognitoUserPool,
    MemoryStorage,
    MockTransport,
    Response,
    ServiceError,
    Session,
    UserPool,
    _srp,
)
from pycognito_web._portable import b64decode, b64encode

POOL_ID = "us-east-1_Stub1"
CLIENT_ID = "stubclient"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # base32, as the service sends SecretCode


def _b64url(data):
    return b64encode(json.dumps(data).encode()).replace("+", "-").replace("/", "_").rstrip("=")


def _jwt(claims):
    return _b64url({"alg": "none", "kid": "stub"}) + "." + _b64url(claims) + ".c2ln"


def _int(data):
    return int.from_bytes(data, "big")


class Stub:
    """The service's side of SRP sign-in, TOTP MFA and remembered devices."""

    def __init__(self):
        self.users = {}  # username -> {"salt", "verifier", "mfa", "totp"}
        self.devices = {}  # device key -> {"group", "salt", "verifier"}
        self.sessions = {}  # session id -> state of one sign-in
        self.actions = []
        self.serial = 0

    def add_user(self, username, password):
        salt = _int(b"\x5a" * 16)
        x = _srp.compute_x(salt, POOL_ID.split("_")[1], username, password)
        self.users[username] = {"salt": salt, "verifier": pow(_srp.G, x, _srp.N), "mfa": False}

    def handler(self, request):
        action = request.headers["X-Amz-Target"].split(".")[1]
        self.actions.append(action)
        body = json.loads(request.body)
        try:
            answer = getattr(self, action)(body)
        except ServiceError as error:
            payload = {"__type": error.code, "message": error.message}
            return Response(400, {}, json.dumps(payload).encode())
        return Response(200, {}, json.dumps(answer).encode())

    # -- helpers -------------------------------------------------------------------

    def _session(self, **state):
        self.serial += 1
        key = "session-%d" % self.serial
        self.sessions[key] = state
        return key

    def _srp_challenge(self, verifier, salt, big_a):
        b = _int(b"\x3c" * 32)
        big_b = (_srp.K * verifier + pow(_srp.G, b, _srp.N)) % _srp.N
        u = _srp.compute_u(big_a, big_b)
        s = pow(big_a * pow(verifier, u, _srp.N) % _srp.N, b, _srp.N)
        key = _srp.hkdf(binascii.unhexlify(_srp.pad_hex(s)), binascii.unhexlify(_srp.pad_hex(u)))
        return big_b, key

    def _check_claim(self, state, responses, name, user_id):
        expected = _srp.claim_signature(
            state["key"], name, user_id, responses["PASSWORD_CLAIM_SECRET_BLOCK"],
            responses["TIMESTAMP"],
        )  # fmt: skip
        if responses["PASSWORD_CLAIM_SIGNATURE"] != expected:
            raise ServiceError("Incorrect username or password.", code="NotAuthorizedException")

    def _tokens(self, username, new_device=False):
        now = int(time.time())
        claims = {"sub": "sub-" + username, "exp": now + 3600, "iat": now, "auth_time": now}
        id_claims = dict(claims, **{"cognito:username": username, "token_use": "id"})
        access_claims = dict(claims, username=username, token_use="access")
        access = _jwt(access_claims)
        self.access_users = getattr(self, "access_users", {})
        self.access_users[access] = username
        result = {"IdToken": _jwt(id_claims), "AccessToken": access, "RefreshToken": "rt"}
        if new_device:
            self.serial += 1
            result["NewDeviceMetadata"] = {
                "DeviceKey": "us-east-1_dev-%d" % self.serial,
                "DeviceGroupKey": "-group%d" % self.serial,
            }
        return {"AuthenticationResult": result}

    def _user(self, body):
        return self.users[self.access_users[body["AccessToken"]]]

    # -- actions ---------------------------------------------------------------------

    def InitiateAuth(self, body):
        params = body["AuthParameters"]
        username = params["USERNAME"]
        user = self.users[username]
        big_a = int(params["SRP_A"], 16)
        big_b, key = self._srp_challenge(user["verifier"], user["salt"], big_a)
        return {
            "ChallengeName": "PASSWORD_VERIFIER",
            "Session": self._session(username=username, key=key),
            "ChallengeParameters": {
                "SALT": "%x" % user["salt"],
                "SRP_B": "%x" % big_b,
                "SECRET_BLOCK": b64encode(b"secret block"),
                "USER_ID_FOR_SRP": username,
            },
        }

    def RespondToAuthChallenge(self, body):
        state = self.sessions.pop(body["Session"])
        responses = body["ChallengeResponses"]
        name = body["ChallengeName"]
        username = state["username"]
        if name == "PASSWORD_VERIFIER":
            self._check_claim(state, responses, POOL_ID.split("_")[1], username)
            device = self.devices.get(responses.get("DEVICE_KEY"))
            if device is not None:
                return {"ChallengeName": "DEVICE_SRP_AUTH", "Session": self._session(**state)}
            if self.users[username]["mfa"]:
                return {
                    "ChallengeName": "SOFTWARE_TOKEN_MFA",
                    "Session": self._session(**state),
                    "ChallengeParameters": {},
                }
            return self._tokens(username, new_device=True)
        if name == "SOFTWARE_TOKEN_MFA":
            if responses["SOFTWARE_TOKEN_MFA_CODE"] != totp(SECRET, time.time()):
                raise ServiceError("Invalid code received for user", code="CodeMismatchException")
            return self._tokens(username)
        if name == "DEVICE_SRP_AUTH":
            device = self.devices[responses["DEVICE_KEY"]]
            big_a = int(responses["SRP_A"], 16)
            big_b, key = self._srp_challenge(device["verifier"], device["salt"], big_a)
            return {
                "ChallengeName": "DEVICE_PASSWORD_VERIFIER",
                "Session": self._session(username=username, key=key,
                                         device=responses["DEVICE_KEY"]),
                "ChallengeParameters": {
                    "SALT": "%x" % device["salt"],
                    "SRP_B": "%x" % big_b,
                    "SECRET_BLOCK": b64encode(b"device block"),
                },
            }  # fmt: skip
        if name == "DEVICE_PASSWORD_VERIFIER":
            device = self.devices[state["device"]]
            self._check_claim(state, responses, device["group"], state["device"])
            self.device_sign_ins = getattr(self, "device_sign_ins", 0) + 1
            return self._tokens(username)
        raise AssertionError(name)

    def ConfirmDevice(self, body):
        config = body["DeviceSecretVerifierConfig"]
        key = body["DeviceKey"]
        group = "-group" + key.rsplit("-", 1)[1]
        self.devices[key] = {
            "group": group,
            "salt": _int(b64decode(config["Salt"])),
            "verifier": _int(b64decode(config["PasswordVerifier"])),
        }
        return {"UserConfirmationNecessary": False}

    def AssociateSoftwareToken(self, body):
        self._user(body)
        return {"SecretCode": SECRET}

    def VerifySoftwareToken(self, body):
        user = self._user(body)
        if body["UserCode"] != totp(SECRET, time.time()):
            raise ServiceError(
                "Invalid code received for user", code="EnableSoftwareTokenMFAException"
            )
        user["totp"] = True
        return {"Status": "SUCCESS"}

    def SetUserMFAPreference(self, body):
        user = self._user(body)
        user["mfa"] = bool(user.get("totp") and body["SoftwareTokenMfaSettings"]["Enabled"])
        return {}


def stub_pool(stub, storage):
    return UserPool(POOL_ID, CLIENT_ID, transport=MockTransport(stub.handler), storage=storage)


async def test_totp_set_up_then_sign_in_with_a_code():
    stub = Stub()
    stub.add_user("tina", PASSWORD)
    pool = stub_pool(stub, MemoryStorage())
    user = pool.user("tina")
    assert isinstance(await user.authenticate(PASSWORD), Session)
    secret = await user.associate_software_token()
    assert secret == SECRET
    error = await raises(ServiceError, user.verify_software_token("000000"))
    assert error.code == "EnableSoftwareTokenMFAException", error
    answer = await user.verify_software_token(totp(secret, time.time()), "phone")
    assert answer["Status"] == "SUCCESS", answer
    await user.set_mfa_preference(software_token={"Enabled": True, "PreferredMfa": True})

    again = stub_pool(stub, MemoryStorage()).user("tina")
    challenge = await again.authenticate(PASSWORD)
    assert isinstance(challenge, CodeChallenge), challenge
    assert challenge.name == "SOFTWARE_TOKEN_MFA"
    session = await challenge.answer(totp(SECRET, time.time()))
    assert isinstance(session, Session) and session.is_valid(time.time())


async def test_totp_sign_in_with_the_javascript_shaped_callbacks():
    stub = Stub()
    stub.add_user("tom", PASSWORD)
    stub.users["tom"].update(totp=True, mfa=True)
    storage = MemoryStorage()
    pool = CognitoUserPool(
        {"UserPoolId": POOL_ID, "ClientId": CLIENT_ID, "Storage": storage,
         "Transport": MockTransport(stub.handler)}
    )  # fmt: skip
    user = CognitoUser({"Username": "tom", "Pool": pool})
    seen = []

    def totp_required(name, parameters):
        seen.append(name)
        user.sendMFACode(totp(SECRET, time.time()), callbacks, "SOFTWARE_TOKEN_MFA")

    callbacks = {
        "onSuccess": lambda session: seen.append(("signed in", session.isValid())),
        "onFailure": lambda err: seen.append(("failed", err)),
        "totpRequired": totp_required,
    }
    await user.authenticateUser(
        AuthenticationDetails({"Username": "tom", "Password": PASSWORD}), callbacks
    )
    for _ in range(100):  # sendMFACode runs on its own task
        if len(seen) > 1:
            break
        await _sleep()
    assert seen == ["SOFTWARE_TOKEN_MFA", ("signed in", True)], seen
    assert pool.getCurrentUser().getUsername() == "tom"


async def _sleep():
    import asyncio

    await asyncio.sleep(0.01)


async def test_a_remembered_device_signs_in_with_device_srp():
    stub = Stub()
    stub.add_user("dana", PASSWORD)
    storage = MemoryStorage()
    pool = stub_pool(stub, storage)
    first = pool.user("dana")
    await first.authenticate(PASSWORD)
    assert stub.actions == ["InitiateAuth", "RespondToAuthChallenge", "ConfirmDevice"]
    device = first.known_device
    assert device is not None and device.key in stub.devices
    prefix = "CognitoIdentityServiceProvider.%s.dana." % CLIENT_ID
    assert storage.getItem(prefix + "deviceKey") == device.key
    assert storage.getItem(prefix + "deviceGroupKey") == device.group_key
    assert len(b64decode(storage.getItem(prefix + "randomPasswordKey"))) == 40

    # Later, on the same storage: SRP for the password, then SRP for the device.
    stub.actions = []
    second = stub_pool(stub, storage).user("dana")
    session = await second.authenticate(PASSWORD)
    assert isinstance(session, Session)
    assert stub.actions == ["InitiateAuth"] + ["RespondToAuthChallenge"] * 3, stub.actions
    assert stub.device_sign_ins == 1
    assert second.known_device.key == device.key

    # A wrong device password is refused by the service's check of the device claim.
    storage.setItem(prefix + "randomPasswordKey", b64encode(b"\x00" * 40))
    error = await raises(ServiceError, stub_pool(stub, storage).user("dana").authenticate(PASSWORD))
    assert error.code == "NotAuthorizedException", error
