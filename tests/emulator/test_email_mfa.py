"""Email as an MFA factor over HTTP: the pool's EmailMfaConfiguration, EmailMfaSettings in
SetUserMFAPreference and AdminSetUserMFAPreference (with its SMS and software-token
settings), the EMAIL_OTP challenge, SELECT_MFA_TYPE and MFA_SETUP offering EMAIL_OTP, and
GetUserAuthFactors / AdminGetUserAuthFactors. Pools are made here through boto3."""

import boto3
import botocore.exceptions
import pytest
from botocore.config import Config
from emu_helpers import PASSWORD, unique

FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
EMAIL_MFA = {"Message": "Your sign-in code is {####}.", "Subject": "Your code"}
SMS = {
    "SmsConfiguration": {
        "SnsCallerArn": "arn:aws:iam::000000000000:role/emulator-sms", "ExternalId": "emulator",
    },
}  # fmt: skip


def boto(emulator, validate=True):
    return boto3.client(
        "cognito-idp", endpoint_url=emulator.url, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}, parameter_validation=validate),
    )  # fmt: skip


@pytest.fixture(scope="module")
def admin(emulator):
    return boto(emulator)


class EmailPool:
    """A pool of this module's own, with its web client and helpers."""

    def __init__(self, emulator, admin, mode="OPTIONAL", sms=False, **pool):
        self.emulator, self.admin = emulator, admin
        self.id = admin.create_user_pool(PoolName=unique("email-mfa"), **pool)["UserPool"]["Id"]
        self.client_id = admin.create_user_pool_client(
            UserPoolId=self.id, ClientName="web", ExplicitAuthFlows=FLOWS
        )["UserPoolClient"]["ClientId"]
        config = {"MfaConfiguration": mode, "EmailMfaConfiguration": EMAIL_MFA}
        if sms:
            config["SmsMfaConfiguration"] = dict(SMS, SmsAuthenticationMessage="SMS {####}")
        self.mfa_config = admin.set_user_pool_mfa_config(UserPoolId=self.id, **config)

    def user(self, email=True, phone=None):
        username = unique("em")
        attributes = []
        if email:
            attributes += [
                {"Name": "email", "Value": username + "@example.com"},
                {"Name": "email_verified", "Value": "true"},
            ]
        if phone:
            attributes.append({"Name": "phone_number", "Value": phone})
        self.admin.admin_create_user(
            UserPoolId=self.id, Username=username, MessageAction="SUPPRESS",
            UserAttributes=attributes,
        )  # fmt: skip
        self.admin.admin_set_user_password(
            UserPoolId=self.id, Username=username, Password=PASSWORD, Permanent=True
        )
        return username

    def initiate(self, username):
        return self.emulator.call(
            "InitiateAuth",
            {
                "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": self.client_id,
                "AuthParameters": {"USERNAME": username, "PASSWORD": PASSWORD},
            },
        )  # fmt: skip

    def respond(self, name, session, **responses):
        return self.emulator.call(
            "RespondToAuthChallenge",
            {
                "ClientId": self.client_id, "ChallengeName": name, "Session": session,
                "ChallengeResponses": responses,
            },
        )  # fmt: skip

    def enable_email(self, username, preferred=True):
        self.admin.admin_set_user_mfa_preference(
            UserPoolId=self.id, Username=username,
            EmailMfaSettings={"Enabled": True, "PreferredMfa": preferred},
        )  # fmt: skip


@pytest.fixture(scope="module")
def optional(emulator, admin):
    return EmailPool(emulator, admin, sms=True)


def test_pool_config_is_kept_and_shown(emulator, admin, optional):
    assert optional.mfa_config["EmailMfaConfiguration"] == EMAIL_MFA
    shown = admin.get_user_pool_mfa_config(UserPoolId=optional.id)
    assert shown["EmailMfaConfiguration"] == EMAIL_MFA
    assert shown["MfaConfiguration"] == "OPTIONAL"


@pytest.mark.parametrize(
    "config, words",
    [
        ({"Message": "no placeholder here"}, "emailMfaConfiguration.message"),
        ({"Message": "{####}" + "x" * 20000}, "less than or equal to 20000"),
        ({"Message": "{###}"}, "greater than or equal to 6"),
        ({"Message": "code {####}", "Subject": "bad\x01subject"}, "emailMfaConfiguration.subject"),
    ],
)
def test_bad_email_mfa_config_is_refused(emulator, optional, config, words):
    raw = boto(emulator, validate=False)
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        raw.set_user_pool_mfa_config(
            UserPoolId=optional.id, MfaConfiguration="OFF", EmailMfaConfiguration=config
        )
    error = caught.value.response["Error"]
    assert error["Code"] == "InvalidParameterException"
    assert words in error["Message"]
    # Nothing was half-written.
    assert raw.get_user_pool_mfa_config(UserPoolId=optional.id)["MfaConfiguration"] == "OPTIONAL"


def test_lite_pools_have_no_email_mfa(emulator, admin):
    pool_id = admin.create_user_pool(PoolName=unique("lite"), UserPoolTier="LITE")["UserPool"]["Id"]
    with pytest.raises(admin.exceptions.FeatureUnavailableInTierException):
        admin.set_user_pool_mfa_config(
            UserPoolId=pool_id, MfaConfiguration="OPTIONAL", EmailMfaConfiguration=EMAIL_MFA
        )


def test_email_otp_challenge(emulator, optional):
    username = optional.user()
    optional.enable_email(username)
    challenge = optional.initiate(username)
    assert challenge["ChallengeName"] == "EMAIL_OTP"
    assert challenge["ChallengeParameters"] == {
        "CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL",
        "CODE_DELIVERY_DESTINATION": "%s***@e***" % username[0],
    }
    message = emulator.messages(username)[-1]
    assert message["destination"] == username + "@example.com"
    code = message["code"]
    assert len(code) == 8 and code.isdigit()
    wrong = "0" * 8 if code != "0" * 8 else "1" * 8
    error = emulator.fail(
        "RespondToAuthChallenge",
        {
            "ClientId": optional.client_id, "ChallengeName": "EMAIL_OTP",
            "Session": challenge["Session"],
            "ChallengeResponses": {"USERNAME": username, "EMAIL_OTP_CODE": wrong},
        },
    )  # fmt: skip
    assert error.type == "CodeMismatchException"
    # The session survives a wrong code; the right one signs in.
    answer = optional.respond(
        "EMAIL_OTP", challenge["Session"], USERNAME=username, EMAIL_OTP_CODE=code
    )
    assert answer["AuthenticationResult"]["TokenType"] == "Bearer"
    user = emulator.call("GetUser", {"AccessToken": answer["AuthenticationResult"]["AccessToken"]})
    assert user["UserMFASettingList"] == ["EMAIL_OTP"]
    assert user["PreferredMfaSetting"] == "EMAIL_OTP"
    # The code is spent.
    error = emulator.fail(
        "RespondToAuthChallenge",
        {
            "ClientId": optional.client_id, "ChallengeName": "EMAIL_OTP",
            "Session": challenge["Session"],
            "ChallengeResponses": {"USERNAME": username, "EMAIL_OTP_CODE": code},
        },
    )  # fmt: skip
    assert error.type == "NotAuthorizedException"


def test_email_otp_needs_its_code(emulator, optional):
    username = optional.user()
    optional.enable_email(username)
    challenge = optional.initiate(username)
    error = emulator.fail(
        "RespondToAuthChallenge",
        {
            "ClientId": optional.client_id, "ChallengeName": "EMAIL_OTP",
            "Session": challenge["Session"], "ChallengeResponses": {"USERNAME": username},
        },
    )  # fmt: skip
    assert (error.type, error.message) == (
        "InvalidParameterException",
        "Missing required parameter EMAIL_OTP_CODE",
    )


def test_set_user_mfa_preference_email(emulator, optional):
    username = optional.user()
    first = optional.initiate(username)["AuthenticationResult"]  # no MFA yet
    emulator.call(
        "SetUserMFAPreference",
        {"AccessToken": first["AccessToken"], "EmailMfaSettings": {"Enabled": True}},
    )
    user = emulator.call("GetUser", {"AccessToken": first["AccessToken"]})
    assert user["UserMFASettingList"] == ["EMAIL_OTP"]
    assert "PreferredMfaSetting" not in user
    assert optional.initiate(username)["ChallengeName"] == "EMAIL_OTP"
    emulator.call(
        "SetUserMFAPreference",
        {"AccessToken": first["AccessToken"], "EmailMfaSettings": {"Enabled": False}},
    )
    assert "AuthenticationResult" in optional.initiate(username)


def test_email_mfa_needs_an_email_address(emulator, admin, optional):
    username = optional.user(email=False, phone="+12065550100")
    with pytest.raises(admin.exceptions.InvalidParameterException):
        optional.enable_email(username)


def test_admin_set_user_mfa_preference_all_settings(emulator, admin, optional):
    username = optional.user(phone="+12065550101")
    admin.admin_set_user_mfa_preference(
        UserPoolId=optional.id, Username=username,
        SMSMfaSettings={"Enabled": True, "PreferredMfa": False},
        EmailMfaSettings={"Enabled": True, "PreferredMfa": False},
    )  # fmt: skip
    shown = admin.admin_get_user(UserPoolId=optional.id, Username=username)
    assert shown["UserMFASettingList"] == ["SMS_MFA", "EMAIL_OTP"]
    # Two methods, no preference: the user chooses, EMAIL_OTP among them.
    challenge = optional.initiate(username)
    assert challenge["ChallengeName"] == "SELECT_MFA_TYPE"
    assert challenge["ChallengeParameters"]["MFAS_CAN_CHOOSE"] == '["SMS_MFA", "EMAIL_OTP"]'
    asked = optional.respond(
        "SELECT_MFA_TYPE", challenge["Session"], USERNAME=username, ANSWER="EMAIL_OTP"
    )
    assert asked["ChallengeName"] == "EMAIL_OTP"
    answer = optional.respond(
        "EMAIL_OTP", asked["Session"], USERNAME=username,
        EMAIL_OTP_CODE=emulator.last_code(username),
    )  # fmt: skip
    assert "AuthenticationResult" in answer
    # A preference decides; a software token cannot be enabled before it is verified.
    admin.admin_set_user_mfa_preference(
        UserPoolId=optional.id, Username=username, SMSMfaSettings={"PreferredMfa": True}
    )
    assert optional.initiate(username)["ChallengeName"] == "SMS_MFA"
    with pytest.raises(admin.exceptions.InvalidParameterException):
        admin.admin_set_user_mfa_preference(
            UserPoolId=optional.id, Username=username,
            SoftwareTokenMfaSettings={"Enabled": True},
        )  # fmt: skip
    admin.admin_set_user_mfa_preference(
        UserPoolId=optional.id, Username=username,
        SMSMfaSettings={"Enabled": False}, EmailMfaSettings={"Enabled": False},
    )  # fmt: skip
    assert "UserMFASettingList" not in admin.admin_get_user(
        UserPoolId=optional.id, Username=username
    )
    with pytest.raises(admin.exceptions.UserNotFoundException):
        admin.admin_set_user_mfa_preference(
            UserPoolId=optional.id, Username="nobody-" + username,
            EmailMfaSettings={"Enabled": True},
        )  # fmt: skip


def test_mfa_setup_offers_email_and_sets_it_up(emulator, admin):
    pool = EmailPool(emulator, admin, mode="ON")
    username = pool.user()
    challenge = pool.initiate(username)
    assert challenge["ChallengeName"] == "MFA_SETUP"
    assert challenge["ChallengeParameters"]["MFAS_CAN_SETUP"] == '["EMAIL_OTP"]'
    address = "new-" + username + "@example.org"
    asked = pool.respond("MFA_SETUP", challenge["Session"], USERNAME=username, EMAIL=address)
    assert asked["ChallengeName"] == "EMAIL_OTP"
    assert asked["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "n***@e***"
    message = emulator.messages(username)[-1]
    assert message["destination"] == address
    answer = pool.respond(
        "EMAIL_OTP", asked["Session"], USERNAME=username, EMAIL_OTP_CODE=message["code"]
    )
    tokens = answer["AuthenticationResult"]
    user = emulator.call("GetUser", {"AccessToken": tokens["AccessToken"]})
    attributes = {item["Name"]: item["Value"] for item in user["UserAttributes"]}
    assert attributes["email"] == address and attributes["email_verified"] == "true"
    assert user["PreferredMfaSetting"] == "EMAIL_OTP"
    # The next sign-in asks for the email code directly.
    assert pool.initiate(username)["ChallengeName"] == "EMAIL_OTP"


def test_mfa_setup_refuses_a_bad_email(emulator, admin):
    pool = EmailPool(emulator, admin, mode="ON")
    username = pool.user()
    challenge = pool.initiate(username)
    error = emulator.fail(
        "RespondToAuthChallenge",
        {
            "ClientId": pool.client_id, "ChallengeName": "MFA_SETUP",
            "Session": challenge["Session"],
            "ChallengeResponses": {"USERNAME": username, "EMAIL": "not-an-address"},
        },
    )  # fmt: skip
    assert error.type == "InvalidParameterException"


# Auth factors -------------------------------------------------------------------------


def test_get_user_auth_factors(emulator, admin, optional):
    username = optional.user()
    optional.enable_email(username)
    challenge = optional.initiate(username)
    tokens = optional.respond(
        "EMAIL_OTP", challenge["Session"], USERNAME=username,
        EMAIL_OTP_CODE=emulator.last_code(username),
    )["AuthenticationResult"]  # fmt: skip
    answer = emulator.call("GetUserAuthFactors", {"AccessToken": tokens["AccessToken"]})
    assert answer == {
        "Username": username,
        "PreferredMfaSetting": "EMAIL_OTP",
        "UserMFASettingList": ["EMAIL_OTP"],
        "ConfiguredUserAuthFactors": ["PASSWORD"],
    }
    shown = admin.admin_get_user_auth_factors(UserPoolId=optional.id, Username=username)
    shown.pop("ResponseMetadata")
    assert shown == answer
    error = emulator.fail("GetUserAuthFactors", {"AccessToken": "a.b.c"})
    assert error.type == "NotAuthorizedException"
    with pytest.raises(admin.exceptions.UserNotFoundException):
        admin.admin_get_user_auth_factors(UserPoolId=optional.id, Username="nobody-" + username)


def test_auth_factors_follow_the_sign_in_policy(emulator, admin):
    policies = {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP", "SMS_OTP"]}}
    pool = EmailPool(emulator, admin, Policies=policies)
    username = pool.user(phone="+12065550102")
    shown = admin.admin_get_user_auth_factors(UserPoolId=pool.id, Username=username)
    # The phone number is not verified: no SMS_OTP.
    assert shown["ConfiguredUserAuthFactors"] == ["PASSWORD", "EMAIL_OTP"]
    assert "UserMFASettingList" not in shown and "PreferredMfaSetting" not in shown
