"""Choice-based sign-in (InitiateAuth USER_AUTH) over HTTP: SELECT_CHALLENGE with the
factors this user has, PREFERRED_CHALLENGE PASSWORD / PASSWORD_SRP / EMAIL_OTP / WEB_AUTHN,
the passkey sign-in with the software authenticator and its refusals (tampered
signature, replayed assertion, deleted credential, foreign origin, wrong rpId, signCount
that does not grow), and MFA after a password but not after a verified passkey."""

import json

import boto3
import pytest
from botocore.config import Config
from emu_helpers import PASSWORD, unique
from emu_srp import SrpSignIn
from soft_authenticator import UP, SoftAuthenticator, b64url, unb64url

LOCAL = "http://localhost:5173"
FLOWS = ["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
FACTORS = ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"]


@pytest.fixture(scope="module")
def admin(emulator):
    return boto3.client(
        "cognito-idp", endpoint_url=emulator.url, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}),
    )  # fmt: skip


class ChoicePool:
    """A pool of this module's own for USER_AUTH, with passkeys on localhost."""

    def __init__(self, emulator, admin, factors=FACTORS, mfa=None, **pool):
        self.emulator, self.admin = emulator, admin
        policies = {"SignInPolicy": {"AllowedFirstAuthFactors": factors}}
        self.id = admin.create_user_pool(PoolName=unique("choice"), Policies=policies, **pool)[
            "UserPool"
        ]["Id"]
        self.client_id = admin.create_user_pool_client(
            UserPoolId=self.id, ClientName="web", ExplicitAuthFlows=FLOWS
        )["UserPoolClient"]["ClientId"]
        config = {"WebAuthnConfiguration": {"RelyingPartyId": "localhost"}}
        config.update(mfa or {})
        admin.set_user_pool_mfa_config(UserPoolId=self.id, **config)

    def user(self):
        username = unique("ua")
        self.admin.admin_create_user(
            UserPoolId=self.id, Username=username, MessageAction="SUPPRESS",
            UserAttributes=[{"Name": "email", "Value": username + "@example.com"},
                            {"Name": "email_verified", "Value": "true"}],
        )  # fmt: skip
        self.admin.admin_set_user_password(
            UserPoolId=self.id, Username=username, Password=PASSWORD, Permanent=True
        )
        return username

    def initiate(self, username, **params):
        params = dict({"USERNAME": username}, **params)
        return self.emulator.call(
            "InitiateAuth",
            {"AuthFlow": "USER_AUTH", "ClientId": self.client_id, "AuthParameters": params},
        )

    def initiate_fails(self, username, **params):
        params = dict({"USERNAME": username}, **params)
        return self.emulator.fail(
            "InitiateAuth",
            {"AuthFlow": "USER_AUTH", "ClientId": self.client_id, "AuthParameters": params},
        )

    def body(self, name, session, responses):
        return {
            "ClientId": self.client_id, "ChallengeName": name, "Session": session,
            "ChallengeResponses": responses,
        }  # fmt: skip

    def respond(self, name, session, **responses):
        return self.emulator.call("RespondToAuthChallenge", self.body(name, session, responses))

    def respond_fails(self, name, session, **responses):
        return self.emulator.fail("RespondToAuthChallenge", self.body(name, session, responses))

    def passkey_user(self):
        """A user with a registered passkey: (username, authenticator)."""
        username = self.user()
        token = self.initiate(username, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)[
            "AuthenticationResult"
        ]["AccessToken"]
        options = self.emulator.call("StartWebAuthnRegistration", {"AccessToken": token})[
            "CredentialCreationOptions"
        ]
        authenticator = SoftAuthenticator()
        self.emulator.call(
            "CompleteWebAuthnRegistration",
            {"AccessToken": token, "Credential": authenticator.create(options, LOCAL)},
        )
        return username, authenticator

    def web_authn(self, username):
        """The WEB_AUTHN challenge: (answer, request options)."""
        challenge = self.initiate(username, PREFERRED_CHALLENGE="WEB_AUTHN")
        assert challenge["ChallengeName"] == "WEB_AUTHN"
        return challenge, json.loads(challenge["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])

    def answer_passkey(self, username, challenge, credential, fails=False):
        call = self.respond_fails if fails else self.respond
        return call(
            "WEB_AUTHN", challenge["Session"], USERNAME=username, CREDENTIAL=json.dumps(credential)
        )


@pytest.fixture(scope="module")
def pool(emulator, admin):
    return ChoicePool(emulator, admin)


def test_select_challenge_lists_what_the_user_has(emulator, pool):
    username, _ = pool.passkey_user()
    answer = pool.initiate(username)
    assert answer["ChallengeName"] == "SELECT_CHALLENGE"
    assert answer["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "WEB_AUTHN"]
    other = pool.initiate(pool.user())
    assert other["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]
    # A preferred factor the user lacks: the choice instead.
    fallback = pool.initiate(pool.user(), PREFERRED_CHALLENGE="WEB_AUTHN")
    assert fallback["ChallengeName"] == "SELECT_CHALLENGE"


def test_select_challenge_answers(emulator, pool):
    username = pool.user()
    select = pool.initiate(username)
    # Finished in the same call with PASSWORD.
    done = pool.respond(
        "SELECT_CHALLENGE", select["Session"], USERNAME=username, ANSWER="PASSWORD",
        PASSWORD=PASSWORD,
    )  # fmt: skip
    assert done["AuthenticationResult"]["TokenType"] == "Bearer"
    # Or asked: PASSWORD, then answered.
    select = pool.initiate(username)
    asked = pool.respond(
        "SELECT_CHALLENGE", select["Session"], USERNAME=username, ANSWER="PASSWORD"
    )
    assert asked["ChallengeName"] == "PASSWORD"
    done = pool.respond("PASSWORD", asked["Session"], USERNAME=username, PASSWORD=PASSWORD)
    assert "AuthenticationResult" in done
    select = pool.initiate(username)
    error = pool.respond_fails(
        "SELECT_CHALLENGE", select["Session"], USERNAME=username, ANSWER="WEB_AUTHN"
    )
    assert error.type == "InvalidParameterException"


def test_preferred_password(emulator, pool):
    username = pool.user()
    done = pool.initiate(username, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)
    assert done["AuthenticationResult"]["TokenType"] == "Bearer"
    error = pool.initiate_fails(username, PREFERRED_CHALLENGE="PASSWORD", PASSWORD="Wrong0ne!")
    assert (error.type, error.message) == (
        "NotAuthorizedException",
        "Incorrect username or password.",
    )


def test_preferred_password_srp(emulator, pool):
    username = pool.user()
    signin = SrpSignIn(emulator.call, pool.id, pool.client_id, username, PASSWORD)
    signin.challenge = pool.initiate(
        username, PREFERRED_CHALLENGE="PASSWORD_SRP", SRP_A="%x" % signin.big_a
    )
    assert signin.challenge["ChallengeName"] == "PASSWORD_VERIFIER"
    assert "AuthenticationResult" in signin.answer(signin.responses())
    # Through SELECT_CHALLENGE and the PASSWORD_SRP challenge.
    signin = SrpSignIn(emulator.call, pool.id, pool.client_id, username, PASSWORD)
    select = pool.initiate(username)
    asked = pool.respond(
        "SELECT_CHALLENGE", select["Session"], USERNAME=username, ANSWER="PASSWORD_SRP"
    )
    assert asked["ChallengeName"] == "PASSWORD_SRP"
    signin.challenge = pool.respond(
        "PASSWORD_SRP", asked["Session"], USERNAME=username, SRP_A="%x" % signin.big_a
    )
    assert signin.challenge["ChallengeName"] == "PASSWORD_VERIFIER"
    assert "AuthenticationResult" in signin.answer(signin.responses())


def test_preferred_email_otp(emulator, pool):
    username = pool.user()
    asked = pool.initiate(username, PREFERRED_CHALLENGE="EMAIL_OTP")
    assert asked["ChallengeName"] == "EMAIL_OTP"
    assert asked["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == "EMAIL"
    code = emulator.last_code(username)
    assert len(code) == 8
    wrong = "1" * 8 if code != "1" * 8 else "2" * 8
    error = pool.respond_fails(
        "EMAIL_OTP", asked["Session"], USERNAME=username, EMAIL_OTP_CODE=wrong
    )
    assert error.type == "CodeMismatchException"
    done = pool.respond("EMAIL_OTP", asked["Session"], USERNAME=username, EMAIL_OTP_CODE=code)
    assert done["AuthenticationResult"]["TokenType"] == "Bearer"


def test_passkey_sign_in(emulator, pool):
    username, authenticator = pool.passkey_user()
    challenge, options = pool.web_authn(username)
    assert options["rpId"] == "localhost" and options["userVerification"] == "preferred"
    assert options["allowCredentials"][0]["id"] == b64url(authenticator.credential_id)
    assert len(unb64url(options["challenge"])) == 32
    done = pool.answer_passkey(username, challenge, authenticator.get(options, LOCAL))
    tokens = done["AuthenticationResult"]
    assert emulator.call("GetUser", {"AccessToken": tokens["AccessToken"]})["Username"] == username


def test_tampered_signature(emulator, pool):
    username, authenticator = pool.passkey_user()
    challenge, options = pool.web_authn(username)
    credential = authenticator.get(options, LOCAL)
    signature = bytearray(unb64url(credential["response"]["signature"]))
    signature[-1] ^= 0x01
    credential["response"]["signature"] = b64url(bytes(signature))
    error = pool.answer_passkey(username, challenge, credential, fails=True)
    assert error.type == "NotAuthorizedException"


def test_replayed_assertion(emulator, pool):
    username, authenticator = pool.passkey_user()
    challenge, options = pool.web_authn(username)
    credential = authenticator.get(options, LOCAL)
    assert "AuthenticationResult" in pool.answer_passkey(username, challenge, credential)
    # The same assertion on a new sign-in: its challenge is spent.
    again, _ = pool.web_authn(username)
    error = pool.answer_passkey(username, again, credential, fails=True)
    assert error.type == "WebAuthnChallengeNotFoundException"


def test_deleted_credential(emulator, pool):
    username, authenticator = pool.passkey_user()
    challenge, options = pool.web_authn(username)
    token = pool.initiate(username, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)[
        "AuthenticationResult"
    ]["AccessToken"]
    emulator.call(
        "DeleteWebAuthnCredential",
        {"AccessToken": token, "CredentialId": b64url(authenticator.credential_id)},
    )
    error = pool.answer_passkey(username, challenge, authenticator.get(options, LOCAL), fails=True)
    assert error.type == "NotAuthorizedException"
    assert "WEB_AUTHN" not in pool.initiate(username)["AvailableChallenges"]


@pytest.mark.parametrize(
    "change, kind",
    [
        ({"origin": "https://evil.example"}, "WebAuthnOriginNotAllowedException"),
        ({"rp_id": "example.com"}, "WebAuthnRelyingPartyMismatchException"),
        ({"kind": "webauthn.create"}, "InvalidParameterException"),
    ],
)
def test_passkey_refusals(emulator, pool, change, kind):
    username, authenticator = pool.passkey_user()
    challenge, options = pool.web_authn(username)
    change = dict(change)
    origin = change.pop("origin", LOCAL)
    credential = authenticator.get(options, origin, **change)
    assert pool.answer_passkey(username, challenge, credential, fails=True).type == kind


def test_sign_count_must_grow(emulator, pool):
    username, authenticator = pool.passkey_user()
    challenge, options = pool.web_authn(username)
    pool.answer_passkey(username, challenge, authenticator.get(options, LOCAL, counter=5))
    # A counter at or below the last one seen: a cloned authenticator.
    for counter in (5, 3):
        challenge, options = pool.web_authn(username)
        credential = authenticator.get(options, LOCAL, counter=counter)
        error = pool.answer_passkey(username, challenge, credential, fails=True)
        assert error.type == "NotAuthorizedException"
    challenge, options = pool.web_authn(username)
    pool.answer_passkey(username, challenge, authenticator.get(options, LOCAL, counter=6))


def test_password_needs_mfa_a_verified_passkey_does_not(emulator, admin):
    mfa = {
        "MfaConfiguration": "OPTIONAL",
        "EmailMfaConfiguration": {"Message": "Code {####}", "Subject": "Code"},
    }
    pool = ChoicePool(emulator, admin, mfa=mfa)
    username, authenticator = pool.passkey_user()
    admin.admin_set_user_mfa_preference(
        UserPoolId=pool.id, Username=username,
        EmailMfaSettings={"Enabled": True, "PreferredMfa": True},
    )  # fmt: skip
    after_password = pool.initiate(username, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)
    assert after_password["ChallengeName"] == "EMAIL_OTP"
    done = pool.respond(
        "EMAIL_OTP", after_password["Session"], USERNAME=username,
        EMAIL_OTP_CODE=emulator.last_code(username),
    )  # fmt: skip
    assert "AuthenticationResult" in done
    challenge, options = pool.web_authn(username)
    done = pool.answer_passkey(username, challenge, authenticator.get(options, LOCAL))
    assert "AuthenticationResult" in done
    # Without user verification the passkey is one factor: MFA follows.
    challenge, options = pool.web_authn(username)
    asked = pool.answer_passkey(username, challenge, authenticator.get(options, LOCAL, flags=UP))
    assert asked["ChallengeName"] == "EMAIL_OTP"


def test_refusals(emulator, admin, pool):
    error = pool.initiate_fails(pool.user(), PREFERRED_CHALLENGE="MAGIC")
    assert error.type == "InvalidParameterException"
    error = pool.initiate_fails("nobody-" + unique())
    assert error.type == "UserNotFoundException"
    plain = admin.create_user_pool_client(
        UserPoolId=pool.id, ClientName="plain", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    error = emulator.fail(
        "InitiateAuth",
        {"AuthFlow": "USER_AUTH", "ClientId": plain, "AuthParameters": {"USERNAME": "x"}},
    )
    assert error.type == "InvalidParameterException"
    lite = admin.create_user_pool(PoolName=unique("lite"), UserPoolTier="LITE")["UserPool"]["Id"]
    client = admin.create_user_pool_client(
        UserPoolId=lite, ClientName="web", ExplicitAuthFlows=FLOWS
    )["UserPoolClient"]["ClientId"]
    error = emulator.fail(
        "InitiateAuth",
        {"AuthFlow": "USER_AUTH", "ClientId": client, "AuthParameters": {"USERNAME": "x"}},
    )
    assert error.type == "FeatureUnavailableInTierException"
