"""Passkeys over HTTP: WebAuthnConfiguration in SetUserPoolMfaConfig, StartWebAuthnRegistration,
CompleteWebAuthnRegistration (verified by fido2 in the emulator) with the software
authenticator of soft_authenticator.py, ListWebAuthnCredentials (paged) and
DeleteWebAuthnCredential; the good path for ES256 and RS256 and the refusals (foreign
origin, http origin, wrong rpId, replayed and expired challenges, user presence and
verification, attestation formats, another app client). Pools are made here with boto3."""

import boto3
import botocore.exceptions
import pytest
from botocore.config import Config
from emu_helpers import PASSWORD, unique
from soft_authenticator import UP, UV, SoftAuthenticator, b64url, unb64url

FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
LOCAL = "http://localhost:8123"


def boto(emulator, validate=True):
    return boto3.client(
        "cognito-idp", endpoint_url=emulator.url, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}, parameter_validation=validate),
    )  # fmt: skip


@pytest.fixture(scope="module")
def admin(emulator):
    return boto(emulator)


@pytest.fixture
def clock(emulator):
    yield emulator
    emulator.reset_clock()


class PasskeyPool:
    """A pool of this module's own with a WebAuthnConfiguration (None: none at all)."""

    def __init__(self, emulator, admin, webauthn=None, **pool):
        self.emulator, self.admin = emulator, admin
        self.id = admin.create_user_pool(PoolName=unique("passkeys"), **pool)["UserPool"]["Id"]
        self.client_id = self.new_client()
        self.config = None
        if webauthn is not None:
            self.config = admin.set_user_pool_mfa_config(
                UserPoolId=self.id, WebAuthnConfiguration=webauthn
            )["WebAuthnConfiguration"]

    def new_client(self):
        return self.admin.create_user_pool_client(
            UserPoolId=self.id, ClientName=unique("web"), ExplicitAuthFlows=FLOWS
        )["UserPoolClient"]["ClientId"]

    def user(self, client_id=None):
        """A new user; returns (username, access token)."""
        username = unique("pk")
        self.admin.admin_create_user(
            UserPoolId=self.id, Username=username, MessageAction="SUPPRESS",
            UserAttributes=[{"Name": "email", "Value": username + "@example.com"},
                            {"Name": "email_verified", "Value": "true"}],
        )  # fmt: skip
        self.admin.admin_set_user_password(
            UserPoolId=self.id, Username=username, Password=PASSWORD, Permanent=True
        )
        return username, self.sign_in(username, client_id)

    def sign_in(self, username, client_id=None):
        return self.emulator.call(
            "InitiateAuth",
            {
                "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id or self.client_id,
                "AuthParameters": {"USERNAME": username, "PASSWORD": PASSWORD},
            },
        )["AuthenticationResult"]["AccessToken"]  # fmt: skip

    def start(self, token):
        return self.emulator.call("StartWebAuthnRegistration", {"AccessToken": token})[
            "CredentialCreationOptions"
        ]

    def complete(self, token, credential):
        return self.emulator.call(
            "CompleteWebAuthnRegistration", {"AccessToken": token, "Credential": credential}
        )

    def refused(self, token, credential):
        return self.emulator.fail(
            "CompleteWebAuthnRegistration", {"AccessToken": token, "Credential": credential}
        )

    def register(self, token, authenticator=None, origin=LOCAL):
        authenticator = authenticator or SoftAuthenticator()
        assert self.complete(token, authenticator.create(self.start(token), origin)) == {}
        return authenticator

    def listed(self, token, **extra):
        return self.emulator.call("ListWebAuthnCredentials", dict({"AccessToken": token}, **extra))


@pytest.fixture(scope="module")
def local(emulator, admin):
    return PasskeyPool(emulator, admin, {"RelyingPartyId": "localhost"})


@pytest.fixture(scope="module")
def hosted(emulator, admin):
    return PasskeyPool(
        emulator, admin, {"RelyingPartyId": "example.com", "UserVerification": "required"}
    )


# Pool configuration -------------------------------------------------------------------


def test_config_defaults_and_echo(admin, local, hosted):
    assert local.config == {
        "RelyingPartyId": "localhost", "UserVerification": "preferred",
        "FactorConfiguration": "SINGLE_FACTOR",
    }  # fmt: skip
    shown = admin.get_user_pool_mfa_config(UserPoolId=hosted.id)["WebAuthnConfiguration"]
    assert shown == {
        "RelyingPartyId": "example.com", "UserVerification": "required",
        "FactorConfiguration": "SINGLE_FACTOR",
    }  # fmt: skip


@pytest.mark.parametrize(
    "config, words",
    [
        ({"RelyingPartyId": "localhost", "UserVerification": "always"},
         "webAuthnConfiguration.userVerification"),
        ({"RelyingPartyId": "localhost", "FactorConfiguration": "TWO"},
         "webAuthnConfiguration.factorConfiguration"),
        ({"RelyingPartyId": "x" * 128}, "less than or equal to 127"),
        ({"RelyingPartyId": ""}, "greater than or equal to 1"),
    ],
)  # fmt: skip
def test_bad_config_is_refused(emulator, local, config, words):
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        boto(emulator, validate=False).set_user_pool_mfa_config(
            UserPoolId=local.id, WebAuthnConfiguration=config
        )
    error = caught.value.response["Error"]
    assert error["Code"] == "InvalidParameterException" and words in error["Message"]
    shown = local.admin.get_user_pool_mfa_config(UserPoolId=local.id)["WebAuthnConfiguration"]
    assert shown["RelyingPartyId"] == "localhost"


def test_lite_pools_have_no_passkeys(emulator, admin):
    pool_id = admin.create_user_pool(PoolName=unique("lite"), UserPoolTier="LITE")["UserPool"]["Id"]
    with pytest.raises(admin.exceptions.FeatureUnavailableInTierException):
        admin.set_user_pool_mfa_config(
            UserPoolId=pool_id, WebAuthnConfiguration={"RelyingPartyId": "localhost"}
        )


def test_a_pool_without_relying_party_cannot_start(emulator, admin):
    pool = PasskeyPool(emulator, admin)
    _, token = pool.user()
    error = emulator.fail("StartWebAuthnRegistration", {"AccessToken": token})
    assert error.type == "WebAuthnConfigurationMissingException"


# Registration -------------------------------------------------------------------------


def test_creation_options(emulator, local):
    username, token = local.user()
    options = local.start(token)
    assert len(unb64url(options["challenge"])) == 32
    assert options["rp"] == {"id": "localhost", "name": "localhost"}
    assert options["user"]["name"] == username and options["user"]["displayName"] == username
    assert unb64url(options["user"]["id"])
    assert options["pubKeyCredParams"] == [
        {"type": "public-key", "alg": -7}, {"type": "public-key", "alg": -257},
    ]  # fmt: skip
    assert options["authenticatorSelection"]["userVerification"] == "preferred"
    assert options["excludeCredentials"] == []
    assert options["attestation"] == "none" and options["timeout"] > 0
    assert local.start(token)["challenge"] != options["challenge"]


@pytest.mark.parametrize("alg", [-7, -257])
def test_register_list_and_delete(emulator, local, alg):
    _, token = local.user()
    authenticator = local.register(token, SoftAuthenticator(alg))
    listed = local.listed(token)
    assert list(listed) == ["Credentials"]
    (credential,) = listed["Credentials"]
    assert credential["CredentialId"] == b64url(authenticator.credential_id)
    assert credential["RelyingPartyId"] == "localhost"
    assert credential["AuthenticatorAttachment"] == "platform"
    assert credential["AuthenticatorTransports"] == ["internal"]
    assert credential["FriendlyCredentialName"]
    assert isinstance(credential["CreatedAt"], (int, float))
    # The next registration excludes it.
    excluded = local.start(token)["excludeCredentials"]
    assert excluded == [
        {"type": "public-key", "id": credential["CredentialId"], "transports": ["internal"]}
    ]
    body = {"AccessToken": token, "CredentialId": credential["CredentialId"]}
    assert emulator.call("DeleteWebAuthnCredential", body) == {}
    assert local.listed(token)["Credentials"] == []
    error = emulator.fail("DeleteWebAuthnCredential", body)
    assert error.type == "ResourceNotFoundException"


def test_boto3_reads_the_answers(emulator, local):
    client = boto(emulator)
    _, token = local.user()
    options = client.start_web_authn_registration(AccessToken=token)["CredentialCreationOptions"]
    client.complete_web_authn_registration(
        AccessToken=token, Credential=SoftAuthenticator().create(options, LOCAL)
    )
    listed = client.list_web_authn_credentials(AccessToken=token)["Credentials"]
    assert len(listed) == 1 and listed[0]["CreatedAt"].year >= 2024


def test_listing_pages(emulator, local):
    _, token = local.user()
    ids = [b64url(local.register(token).credential_id) for _ in range(3)]
    first = local.listed(token, MaxResults=2)
    assert [c["CredentialId"] for c in first["Credentials"]] == ids[:2]
    second = local.listed(token, MaxResults=2, NextToken=first["NextToken"])
    assert [c["CredentialId"] for c in second["Credentials"]] == ids[2:]
    assert "NextToken" not in second
    error = emulator.fail("ListWebAuthnCredentials", {"AccessToken": token, "MaxResults": 21})
    assert error.type == "InvalidParameterException"
    error = emulator.fail("ListWebAuthnCredentials", {"AccessToken": token, "NextToken": "junk"})
    assert error.type == "InvalidParameterException"


def test_users_see_and_delete_only_their_own(emulator, local):
    _, token = local.user()
    _, other = local.user()
    credential_id = b64url(local.register(token).credential_id)
    assert local.listed(other)["Credentials"] == []
    error = emulator.fail(
        "DeleteWebAuthnCredential", {"AccessToken": other, "CredentialId": credential_id}
    )
    assert error.type == "ResourceNotFoundException"
    assert len(local.listed(token)["Credentials"]) == 1


def test_https_subdomain_of_the_relying_party(emulator, hosted):
    _, token = hosted.user()
    hosted.register(token, origin="https://app.example.com")
    hosted.register(token, origin="https://example.com:8443")
    assert len(hosted.listed(token)["Credentials"]) == 2


@pytest.mark.parametrize(
    "origin",
    ["https://evil.example", "http://app.example.com", "https://example.com.evil.example",
     "https://notexample.com"],
)  # fmt: skip
def test_foreign_origins_are_refused(emulator, hosted, origin):
    _, token = hosted.user()
    error = hosted.refused(token, SoftAuthenticator().create(hosted.start(token), origin))
    assert error.type == "WebAuthnOriginNotAllowedException"
    assert hosted.listed(token)["Credentials"] == []


def test_wrong_relying_party_id(emulator, local):
    _, token = local.user()
    credential = SoftAuthenticator().create(local.start(token), LOCAL, rp_id="example.com")
    assert local.refused(token, credential).type == "WebAuthnRelyingPartyMismatchException"


def test_challenges_are_single_use(emulator, local):
    _, token = local.user()
    options = local.start(token)
    authenticator = SoftAuthenticator()
    # A failed answer spends the challenge too: no retrying against it.
    bad = authenticator.create(options, LOCAL, rp_id="example.com")
    assert local.refused(token, bad).type == "WebAuthnRelyingPartyMismatchException"
    error = local.refused(token, authenticator.create(options, LOCAL))
    assert error.type == "WebAuthnChallengeNotFoundException"
    # A good answer cannot be replayed either.
    options = local.start(token)
    good = SoftAuthenticator().create(options, LOCAL)
    assert local.complete(token, good) == {}
    assert local.refused(token, good).type == "WebAuthnChallengeNotFoundException"


def test_unknown_challenge(emulator, local):
    _, token = local.user()
    options = dict(local.start(token), challenge=b64url(b"\x01" * 32))
    error = local.refused(token, SoftAuthenticator().create(options, LOCAL))
    assert error.type == "WebAuthnChallengeNotFoundException"


def test_another_users_challenge(emulator, local):
    _, token = local.user()
    _, other = local.user()
    credential = SoftAuthenticator().create(local.start(other), LOCAL)
    assert local.refused(token, credential).type == "WebAuthnChallengeNotFoundException"


def test_expired_challenge(clock, local):
    emulator = clock
    _, token = local.user()
    options = local.start(token)
    emulator.advance_clock(301)
    error = local.refused(token, SoftAuthenticator().create(options, LOCAL))
    assert error.type == "WebAuthnChallengeNotFoundException"


def test_user_verification_when_required(emulator, local, hosted):
    _, token = hosted.user()
    credential = SoftAuthenticator().create(hosted.start(token), "https://example.com", flags=UP)
    assert hosted.refused(token, credential).type == "WebAuthnCredentialNotSupportedException"
    # "preferred" takes an authenticator that did not verify the user.
    _, token = local.user()
    assert (
        local.complete(token, SoftAuthenticator().create(local.start(token), LOCAL, flags=UP)) == {}
    )


def test_user_presence_is_required(emulator, local):
    _, token = local.user()
    credential = SoftAuthenticator().create(local.start(token), LOCAL, flags=UV)  # no UP
    assert local.refused(token, credential).type == "WebAuthnCredentialNotSupportedException"


def test_attestation_other_than_none(emulator, local):
    _, token = local.user()
    credential = SoftAuthenticator().create(local.start(token), LOCAL, fmt="packed")
    assert local.refused(token, credential).type == "WebAuthnCredentialNotSupportedException"


def test_malformed_credentials(emulator, local):
    _, token = local.user()
    options = local.start(token)
    good = SoftAuthenticator().create(options, LOCAL)
    wrong_kind = SoftAuthenticator().create(local.start(token), LOCAL, kind="webauthn.get")
    cases = [
        dict(good, id=b64url(b"other")),
        dict(good, type="password"),
        dict(good, response=dict(good["response"], attestationObject="AAAA")),
        dict(good, response=dict(good["response"], clientDataJSON=b64url(b"not json"))),
        {"id": "x"},
        wrong_kind,
    ]
    for credential in cases:
        error = local.refused(token, credential)
        assert error.type == "InvalidParameterException", credential
    error = emulator.fail(
        "CompleteWebAuthnRegistration", {"AccessToken": token, "Credential": "a string"}
    )
    assert error.type == "SerializationException"


def test_another_app_client(emulator, local):
    username, token = local.user()
    other_client = local.new_client()
    other = local.sign_in(username, other_client)
    credential = SoftAuthenticator().create(local.start(token), LOCAL)
    assert local.refused(other, credential).type == "WebAuthnClientMismatchException"


def test_the_same_credential_twice(emulator, local):
    _, token = local.user()
    authenticator = local.register(token)
    error = local.refused(token, authenticator.create(local.start(token), LOCAL))
    assert error.type == "InvalidParameterException"


def test_access_token_is_required(emulator, local):
    error = emulator.fail("StartWebAuthnRegistration", {"AccessToken": "a.b.c"})
    assert error.type == "NotAuthorizedException"
    error = emulator.fail("ListWebAuthnCredentials", {})
    assert error.type == "InvalidParameterException"


def test_auth_factors_show_passkeys(emulator, admin):
    policies = {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"]}}
    pool = PasskeyPool(emulator, admin, {"RelyingPartyId": "localhost"}, Policies=policies)
    _, token = pool.user()
    factors = emulator.call("GetUserAuthFactors", {"AccessToken": token})
    assert factors["ConfiguredUserAuthFactors"] == ["PASSWORD"]
    pool.register(token)
    factors = emulator.call("GetUserAuthFactors", {"AccessToken": token})
    assert factors["ConfiguredUserAuthFactors"] == ["PASSWORD", "WEB_AUTHN"]
