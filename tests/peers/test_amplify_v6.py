"""AWS Amplify JS v6 (``aws-amplify`` from npm, pinned in package.json) in Node against
the emulator (tests/peers/amplify_v6_client.js): sign-in with USER_SRP_AUTH and
USER_PASSWORD_AUTH as Amplify does them, then ``fetchAuthSession({ forceRefresh: true })``,
which Amplify v6 sends as GetTokensFromRefreshToken, on app clients with refresh-token
rotation on and off; with rotation, a spent refresh token put back after the grace
period is refused (RefreshTokenReuseException) and Amplify drops the session. Then
choice-based sign-in (``authFlowType: 'USER_AUTH'``) with PASSWORD, PASSWORD_SRP and
EMAIL_OTP and the factor selection, and listWebAuthnCredentials /
deleteWebAuthnCredential on passkeys registered with the emulator tests' software
authenticator.
"""

import json
import os
import shutil
import subprocess
import sys

import boto3
import pytest
from botocore.config import Config

pytestmark = pytest.mark.peer

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "amplify_v6_client.js")
ROOT = os.path.dirname(os.path.dirname(HERE))
PASSWORD = "Corr3ct-Horse-Battery!"
GRACE = 3
FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
# The software authenticator lives with the emulator tests.
sys.path.insert(0, os.path.join(ROOT, "tests", "emulator"))


def unique(name):
    return "%s-%s" % (name, os.urandom(5).hex())


def run_amplify(scenario, **args):
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on the PATH: Amplify runs in Node (scripts/setup)")
    if not os.path.isdir(os.path.join(ROOT, "node_modules", "aws-amplify")):
        pytest.fail("node_modules/aws-amplify is missing: run scripts/setup")
    done = subprocess.run(
        [node, SCRIPT, scenario, json.dumps(args)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_amplify_is_the_pinned_version():
    with open(os.path.join(ROOT, "package.json")) as handle:
        pinned = json.load(handle)["dependencies"]["aws-amplify"]
    with open(os.path.join(ROOT, "node_modules", "aws-amplify", "package.json")) as handle:
        installed = json.load(handle)["version"]
    assert pinned == installed and pinned.startswith("6.22.")


@pytest.fixture(scope="module")
def admin(emulator):
    return boto3.client(
        "cognito-idp", endpoint_url=emulator.url, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}),
    )  # fmt: skip


@pytest.fixture(scope="module")
def clients(admin, emulator):
    """App clients in the main pool: rotation on (with a grace period) and off."""
    made = {}
    for name, rotation in (
        ("on", {"Feature": "ENABLED", "RetryGracePeriodSeconds": GRACE}),
        ("off", {"Feature": "DISABLED"}),
    ):
        made[name] = admin.create_user_pool_client(
            UserPoolId=emulator.pool_id, ClientName=unique("amplify-" + name),
            ExplicitAuthFlows=FLOWS, RefreshTokenRotation=rotation,
        )["UserPoolClient"]["ClientId"]  # fmt: skip
    return made


@pytest.fixture
def clock(emulator):
    yield emulator
    emulator.reset_clock()


def user(admin, emulator):
    username = unique("amp")
    admin.admin_create_user(
        UserPoolId=emulator.pool_id, Username=username, MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": username + "@example.com"},
                        {"Name": "email_verified", "Value": "true"}],
    )  # fmt: skip
    admin.admin_set_user_password(
        UserPoolId=emulator.pool_id, Username=username, Password=PASSWORD, Permanent=True
    )
    return username


SIGN_IN_SENT = {
    "USER_SRP_AUTH": ["InitiateAuth", "RespondToAuthChallenge"],
    "USER_PASSWORD_AUTH": ["InitiateAuth"],
}


@pytest.mark.parametrize("flow", ["USER_SRP_AUTH", "USER_PASSWORD_AUTH"])
def test_refresh_without_rotation(emulator, admin, clients, flow):
    username = user(admin, emulator)
    result = run_amplify(
        "refresh", url=emulator.url.rstrip("/"), poolId=emulator.pool_id,
        clientId=clients["off"], username=username, password=PASSWORD, flow=flow,
    )  # fmt: skip
    assert result["signIn"] == {"isSignedIn": True, "step": "DONE"}
    assert result["signInSent"] == SIGN_IN_SENT[flow]
    assert result["refreshSent"] == ["GetTokensFromRefreshToken"]
    assert result["refreshed"] == {
        "newAccessToken": True, "newIdToken": True, "sameSignIn": True,
        "newRefreshToken": False,  # Amplify keeps the old one when none comes back
    }  # fmt: skip
    assert result["attributesSub"] == result["firstSub"]
    assert result["currentUser"] == username
    assert "signedIn" in result["events"] and "tokenRefresh" in result["events"]
    assert "tokenRefresh_failure" not in result["events"]


@pytest.mark.parametrize("flow", ["USER_SRP_AUTH", "USER_PASSWORD_AUTH"])
def test_refresh_with_rotation_and_reuse_after_the_grace_period(clock, admin, clients, flow):
    emulator = clock
    username = user(admin, emulator)
    result = run_amplify(
        "refresh", url=emulator.url.rstrip("/"), poolId=emulator.pool_id,
        clientId=clients["on"], username=username, password=PASSWORD, flow=flow,
        reuseAfter=GRACE + 2,
    )  # fmt: skip
    assert result["signIn"] == {"isSignedIn": True, "step": "DONE"}
    assert result["signInSent"] == SIGN_IN_SENT[flow]
    assert result["refreshSent"] == ["GetTokensFromRefreshToken"]
    assert result["refreshed"] == {
        "newAccessToken": True, "newIdToken": True, "sameSignIn": True, "newRefreshToken": True,
    }  # fmt: skip
    assert result["attributesSub"] == result["firstSub"]
    assert result["thirdOk"] is True and result["thirdNewRefresh"] is True
    # The spent token after the grace period: Amplify sees the reuse and drops the session.
    assert result["reuse"]["error"]["name"] == "RefreshTokenReuseException"
    assert result["reuseSent"] == ["GetTokensFromRefreshToken"]
    assert result["refreshTokenLeft"] is False
    assert result["events"].count("tokenRefresh") == 2
    assert result["events"][-1] == "tokenRefresh_failure"


def test_choice_based_sign_in_and_passkeys(emulator, admin):
    policies = {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"]}}
    pool_id = admin.create_user_pool(PoolName=unique("amplify-choice"), Policies=policies)[
        "UserPool"
    ]["Id"]
    admin.set_user_pool_mfa_config(
        UserPoolId=pool_id, WebAuthnConfiguration={"RelyingPartyId": "localhost"}
    )
    client_id = admin.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web",
        ExplicitAuthFlows=["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH",
                           "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]  # fmt: skip
    username = unique("ampua")
    admin.admin_create_user(
        UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": username + "@example.com"},
                        {"Name": "email_verified", "Value": "true"}],
    )  # fmt: skip
    admin.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True
    )
    ids = register_passkeys(emulator, client_id, username, 2)
    result = run_amplify(
        "userAuth", url=emulator.url.rstrip("/"), poolId=pool_id, clientId=client_id,
        username=username, password=PASSWORD,
    )  # fmt: skip
    for preferred, sent in (
        ("PASSWORD", ["InitiateAuth"]),
        ("PASSWORD_SRP", ["InitiateAuth", "RespondToAuthChallenge"]),
        ("EMAIL_OTP", ["InitiateAuth", "RespondToAuthChallenge"]),
    ):
        outcome = result["preferred"][preferred]
        assert outcome["isSignedIn"] is True, preferred
        assert outcome["steps"][-1] == "DONE"
        assert outcome["sent"][: len(sent)] == sent
        assert outcome["user"] == username
    assert result["preferred"]["EMAIL_OTP"]["steps"][0] == "CONFIRM_SIGN_IN_WITH_EMAIL_CODE"
    assert result["selection"] == {
        "step": "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION",
        "availableChallenges": ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "WEB_AUTHN"],
    }
    assert result["afterChoice"] == "CONFIRM_SIGN_IN_WITH_PASSWORD"
    assert result["chosen"] == {"isSignedIn": True, "step": "DONE"}
    assert result["listed"] == [
        {"credentialId": ids[0], "relyingPartyId": "localhost", "transports": ["internal"],
         "createdAt": True},
    ]  # fmt: skip
    assert result["nextToken"] is True and result["secondPage"] == [ids[1]]
    assert result["afterDelete"] == [ids[1]]


def register_passkeys(emulator, client_id, username, count):
    from soft_authenticator import SoftAuthenticator, b64url

    token = emulator.call(
        "InitiateAuth",
        {
            "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
            "AuthParameters": {"USERNAME": username, "PASSWORD": PASSWORD},
        },
    )["AuthenticationResult"]["AccessToken"]  # fmt: skip
    ids = []
    for _ in range(count):
        options = emulator.call("StartWebAuthnRegistration", {"AccessToken": token})[
            "CredentialCreationOptions"
        ]
        authenticator = SoftAuthenticator()
        emulator.call(
            "CompleteWebAuthnRegistration",
            {
                "AccessToken": token,
                "Credential": authenticator.create(options, "http://localhost:3000"),
            },
        )
        ids.append(b64url(authenticator.credential_id))
    return ids
