"""The configuration-only operations through boto3: UI customization, risk and log
delivery configuration, session configuration, the signing certificate, user import
jobs, client secrets, managed login branding, terms, the features that are off offline,
and user sessions."""

import base64
import datetime
import hashlib
import hmac
import struct
import time

import pytest
from cryptography import x509
from emu_admin import admin_client, confirmed_user, error_of, new_pool, sign_in
from emu_helpers import unique

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
ROLE = "arn:aws:iam::123456789012:role/import-logs"


@pytest.fixture
def idp(emulator):
    return admin_client(emulator)


def test_ui_customization_needs_a_domain_then_round_trips(idp):
    pool_id, client_id = new_pool(idp)
    code, message = error_of(idp.set_ui_customization, UserPoolId=pool_id, CSS=".banner{}")
    assert code == "InvalidParameterException" and "domain" in message
    idp.create_user_pool_domain(Domain=unique("ui").lower(), UserPoolId=pool_id)
    empty = idp.get_ui_customization(UserPoolId=pool_id)["UICustomization"]
    assert empty == {"UserPoolId": pool_id, "ClientId": "ALL"}

    pool_wide = idp.set_ui_customization(UserPoolId=pool_id, CSS=".banner{color:red}")
    assert pool_wide["UICustomization"]["CSS"] == ".banner{color:red}"
    mine = idp.set_ui_customization(
        UserPoolId=pool_id, ClientId=client_id, CSS=".x{}", ImageFile=PNG
    )
    shape = mine["UICustomization"]
    assert shape["ClientId"] == client_id and shape["ImageUrl"].endswith(".png")
    assert isinstance(shape["CreationDate"], datetime.datetime) and shape["CSSVersion"]
    got = idp.get_ui_customization(UserPoolId=pool_id, ClientId=client_id)["UICustomization"]
    assert got["CSS"] == ".x{}"
    # A client without its own falls back to the pool's.
    other = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="other")["UserPoolClient"]
    fallback = idp.get_ui_customization(UserPoolId=pool_id, ClientId=other["ClientId"])
    assert fallback["UICustomization"]["ClientId"] == "ALL"
    assert fallback["UICustomization"]["CSS"] == ".banner{color:red}"
    code, _ = error_of(idp.set_ui_customization, UserPoolId=pool_id, ImageFile=b"GIF89a")
    assert code == "InvalidParameterException"
    code, _ = error_of(idp.get_ui_customization, UserPoolId=pool_id, ClientId="nosuchclient")
    assert code == "ResourceNotFoundException"


def test_risk_configuration_needs_threat_protection(idp):
    pool_id, _ = new_pool(idp)
    code, _ = error_of(idp.describe_risk_configuration, UserPoolId=pool_id)
    assert code == "UserPoolAddOnNotEnabledException"
    secured, client_id = new_pool(idp, UserPoolAddOns={"AdvancedSecurityMode": "AUDIT"})
    assert idp.describe_risk_configuration(UserPoolId=secured)["RiskConfiguration"] == {
        "UserPoolId": secured
    }
    config = {
        "CompromisedCredentialsRiskConfiguration": {
            "EventFilter": ["SIGN_IN"],
            "Actions": {"EventAction": "BLOCK"},
        },
        "RiskExceptionConfiguration": {"SkippedIPRangeList": ["10.0.0.0/8"]},
    }
    answer = idp.set_risk_configuration(UserPoolId=secured, ClientId=client_id, **config)
    assert answer["RiskConfiguration"]["ClientId"] == client_id
    described = idp.describe_risk_configuration(UserPoolId=secured, ClientId=client_id)
    got = described["RiskConfiguration"]
    assert (
        got["CompromisedCredentialsRiskConfiguration"]
        == config["CompromisedCredentialsRiskConfiguration"]
    )
    assert got["RiskExceptionConfiguration"] == config["RiskExceptionConfiguration"]
    code, _ = error_of(
        idp.set_risk_configuration,
        UserPoolId=secured,
        RiskExceptionConfiguration={"BlockedIPRangeList": ["not-a-cidr"]},
    )
    assert code == "InvalidParameterException"


def test_log_delivery_configuration(idp):
    pool_id, _ = new_pool(idp)
    assert idp.get_log_delivery_configuration(UserPoolId=pool_id)["LogDeliveryConfiguration"] == {
        "UserPoolId": pool_id,
        "LogConfigurations": [],
    }
    logs = "arn:aws:logs:us-east-1:123456789012:log-group:cognito"
    config = [
        {
            "LogLevel": "ERROR",
            "EventSource": "userNotification",
            "CloudWatchLogsConfiguration": {"LogGroupArn": logs},
        }
    ]
    idp.set_log_delivery_configuration(UserPoolId=pool_id, LogConfigurations=config)
    got = idp.get_log_delivery_configuration(UserPoolId=pool_id)["LogDeliveryConfiguration"]
    assert got["LogConfigurations"] == config
    auth_events = {
        "LogLevel": "INFO",
        "EventSource": "userAuthEvents",
        "S3Configuration": {"BucketArn": "arn:aws:s3:::my-logs"},
    }
    code, _ = error_of(
        idp.set_log_delivery_configuration, UserPoolId=pool_id, LogConfigurations=[auth_events]
    )
    assert code == "FeatureUnavailableInTierException"
    plus, _ = new_pool(idp, UserPoolTier="PLUS")
    idp.set_log_delivery_configuration(UserPoolId=plus, LogConfigurations=[auth_events])
    code, _ = error_of(
        idp.set_log_delivery_configuration,
        UserPoolId=pool_id,
        LogConfigurations=[dict(config[0], LogLevel="INFO")],
    )
    assert code == "InvalidParameterException"


def test_session_configuration_and_user_sessions(emulator, idp):
    pool_id, client_id = new_pool(idp)
    assert (
        idp.get_user_pool_session_configuration(UserPoolId=pool_id)["UserSessionTracking"]
        == "DISABLED"
    )
    username = confirmed_user(idp, pool_id)
    first = sign_in(emulator, client_id, username)
    code, _ = error_of(idp.admin_list_user_sessions, UserPoolId=pool_id, Username=username)
    assert code == "InvalidParameterException"

    answer = idp.set_user_pool_session_configuration(
        UserPoolId=pool_id, UserSessionTracking="ENABLED", TokenSession={"MaxPerUser": 5}
    )
    assert answer["TokenSession"] == {"MaxPerUser": 5}
    second = sign_in(emulator, client_id, username)
    sessions = idp.admin_list_user_sessions(UserPoolId=pool_id, Username=username)["Sessions"]
    assert len(sessions) == 2 and all(s["SessionId"].startswith("tkn") for s in sessions)
    mine = emulator.call("ListUserSessions", {"AccessToken": second["AccessToken"]})["Sessions"]
    assert [s["IsCurrentSession"] for s in mine] == [False, True]
    idp.admin_revoke_user_session(
        UserPoolId=pool_id, Username=username, SessionId=mine[0]["SessionId"]
    )
    # The revoked sign-in's tokens no longer work; the other one's do.
    error = emulator.fail("GetUser", {"AccessToken": first["AccessToken"]})
    assert error.type == "NotAuthorizedException"
    emulator.call("GetUser", {"AccessToken": second["AccessToken"]})
    assert len(idp.admin_list_user_sessions(UserPoolId=pool_id, Username=username)["Sessions"]) == 1

    client = idp.set_user_pool_client_session_configuration(
        UserPoolId=pool_id, ClientId=client_id, SSOSession={"MaxValidityMinutes": 60}
    )
    assert client["SSOSession"] == {"MaxValidityMinutes": 60}
    got = idp.get_user_pool_client_session_configuration(UserPoolId=pool_id, ClientId=client_id)
    assert got["SSOSession"] == {"MaxValidityMinutes": 60}


def test_signing_certificate_is_stable_and_matches_the_pool(idp):
    pool_id, _ = new_pool(idp)
    text = idp.get_signing_certificate(UserPoolId=pool_id)["Certificate"]
    assert idp.get_signing_certificate(UserPoolId=pool_id)["Certificate"] == text
    certificate = x509.load_der_x509_certificate(base64.b64decode(text))
    assert pool_id in certificate.subject.rfc4514_string()


def test_user_import_jobs(idp):
    pool_id, _ = new_pool(idp)
    idp.add_custom_attributes(UserPoolId=pool_id, CustomAttributes=[{"Name": "plan"}])
    header = idp.get_csv_header(UserPoolId=pool_id)["CSVHeader"]
    assert header[0] == "name" and header[-2:] == ["cognito:mfa_enabled", "cognito:username"]
    assert "custom:plan" in header and "email_verified" in header

    job = idp.create_user_import_job(
        JobName="first", UserPoolId=pool_id, CloudWatchLogsRoleArn=ROLE
    )["UserImportJob"]
    assert job["Status"] == "Created" and job["JobId"].startswith("import-")
    assert job["PreSignedUrl"]
    second = idp.create_user_import_job(
        JobName="second", UserPoolId=pool_id, CloudWatchLogsRoleArn=ROLE
    )["UserImportJob"]
    listed = idp.list_user_import_jobs(UserPoolId=pool_id, MaxResults=1)
    assert [j["JobId"] for j in listed["UserImportJobs"]] == [second["JobId"]]
    rest = idp.list_user_import_jobs(
        UserPoolId=pool_id, MaxResults=1, PaginationToken=listed["PaginationToken"]
    )
    assert [j["JobId"] for j in rest["UserImportJobs"]] == [job["JobId"]]

    code, _ = error_of(idp.stop_user_import_job, UserPoolId=pool_id, JobId=job["JobId"])
    assert code == "PreconditionNotMetException"
    started = idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])["UserImportJob"]
    assert started["Status"] == "Pending" and "StartDate" in started
    code, _ = error_of(idp.start_user_import_job, UserPoolId=pool_id, JobId=job["JobId"])
    assert code == "PreconditionNotMetException"
    stopped = idp.stop_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])["UserImportJob"]
    assert stopped["Status"] == "Stopped"
    described = idp.describe_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    assert described["UserImportJob"]["Status"] == "Stopped"
    code, _ = error_of(idp.describe_user_import_job, UserPoolId=pool_id, JobId="import-nope")
    assert code == "ResourceNotFoundException"


def test_client_secrets_rotation(idp):
    pool_id, public_id = new_pool(idp)
    client = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="server", GenerateSecret=True
    )["UserPoolClient"]
    client_id, first_secret = client["ClientId"], client["ClientSecret"]
    listed = idp.list_user_pool_client_secrets(UserPoolId=pool_id, ClientId=client_id)
    assert [s["ClientSecretId"] for s in listed["ClientSecrets"]] == [client_id + "-1"]
    added = idp.add_user_pool_client_secret(UserPoolId=pool_id, ClientId=client_id)[
        "ClientSecretDescriptor"
    ]
    assert added["ClientSecretId"] == client_id + "-2" and len(added["ClientSecretValue"]) >= 24
    code, _ = error_of(idp.add_user_pool_client_secret, UserPoolId=pool_id, ClientId=client_id)
    assert code == "LimitExceededException"
    idp.delete_user_pool_client_secret(
        UserPoolId=pool_id, ClientId=client_id, ClientSecretId=client_id + "-1"
    )
    described = idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    assert described["UserPoolClient"]["ClientSecret"] == added["ClientSecretValue"] != first_secret
    code, _ = error_of(
        idp.delete_user_pool_client_secret,
        UserPoolId=pool_id,
        ClientId=client_id,
        ClientSecretId=client_id + "-2",
    )
    assert code == "InvalidParameterException"
    code, _ = error_of(idp.add_user_pool_client_secret, UserPoolId=pool_id, ClientId=public_id)
    assert code == "InvalidParameterException"


def test_managed_login_branding_and_terms(idp):
    pool_id, client_id = new_pool(idp)
    created = idp.create_managed_login_branding(
        UserPoolId=pool_id, ClientId=client_id, Settings={"components": {"pageBackground": {}}}
    )["ManagedLoginBranding"]
    branding_id = created["ManagedLoginBrandingId"]
    assert created["Settings"] == {"components": {"pageBackground": {}}}
    code, _ = error_of(idp.create_managed_login_branding, UserPoolId=pool_id, ClientId=client_id)
    assert code == "ManagedLoginBrandingExistsException"
    by_client = idp.describe_managed_login_branding_by_client(
        UserPoolId=pool_id, ClientId=client_id
    )
    assert by_client["ManagedLoginBranding"]["ManagedLoginBrandingId"] == branding_id
    updated = idp.update_managed_login_branding(
        UserPoolId=pool_id, ManagedLoginBrandingId=branding_id, UseCognitoProvidedValues=True
    )["ManagedLoginBranding"]
    assert updated["UseCognitoProvidedValues"] is True and updated["Settings"] == {}
    idp.delete_managed_login_branding(UserPoolId=pool_id, ManagedLoginBrandingId=branding_id)
    code, _ = error_of(
        idp.describe_managed_login_branding, UserPoolId=pool_id, ManagedLoginBrandingId=branding_id
    )
    assert code == "ResourceNotFoundException"

    links = {"cognito:default": "https://example.com/terms"}
    terms = idp.create_terms(
        UserPoolId=pool_id,
        ClientId=client_id,
        TermsName="terms-of-use",
        TermsSource="LINK",
        Enforcement="NONE",
        Links=links,
    )["Terms"]
    assert terms["Links"] == links
    code, _ = error_of(
        idp.create_terms,
        UserPoolId=pool_id,
        ClientId=client_id,
        TermsName="terms-of-use",
        TermsSource="LINK",
        Enforcement="NONE",
        Links=links,
    )
    assert code == "TermsExistsException"
    code, _ = error_of(
        idp.create_terms,
        UserPoolId=pool_id,
        ClientId=client_id,
        TermsName="privacy-policy",
        TermsSource="LINK",
        Enforcement="NONE",
        Links={"klingon": "https://example.com"},
    )
    assert code == "InvalidParameterException"
    by_name = idp.describe_terms_by_client(
        UserPoolId=pool_id, ClientId=client_id, TermsName="terms-of-use"
    )
    assert by_name["Terms"]["TermsId"] == terms["TermsId"]
    new_links = {"cognito:english": "https://example.com/en"}
    idp.update_terms(TermsId=terms["TermsId"], UserPoolId=pool_id, Links=new_links)
    assert (
        idp.describe_terms(TermsId=terms["TermsId"], UserPoolId=pool_id)["Terms"]["Links"]
        == new_links
    )
    assert [t["TermsId"] for t in idp.list_terms(UserPoolId=pool_id)["Terms"]] == [terms["TermsId"]]
    idp.delete_terms(TermsId=terms["TermsId"], UserPoolId=pool_id)
    assert idp.list_terms(UserPoolId=pool_id)["Terms"] == []


def test_features_that_are_off_offline(emulator, idp):
    pool_id, _ = new_pool(idp)
    username = confirmed_user(idp, pool_id)
    assert idp.list_user_pool_replicas(UserPoolId=pool_id)["UserPoolReplicas"] == []
    code, _ = error_of(idp.create_user_pool_replica, UserPoolId=pool_id, RegionName="eu-west-1")
    assert code == "FeatureUnavailableInTierException"
    assert idp.list_point_in_time_recoveries(UserPoolId=pool_id)["Restorations"] == []
    code, _ = error_of(
        idp.initiate_point_in_time_recovery,
        UserPoolId=pool_id,
        RestoreTimestamp=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    assert code == "FeatureUnavailableInTierException"
    assert idp.list_cimd_policies(UserPoolId=pool_id)["CIMDPolicies"] == []
    code, _ = error_of(idp.describe_cimd_policy, UserPoolId=pool_id, CIMDPolicyId="policy")
    assert code == "ResourceNotFoundException"
    code, _ = error_of(idp.admin_list_user_auth_events, UserPoolId=pool_id, Username=username)
    assert code == "UserPoolAddOnNotEnabledException"

    limit = idp.get_provisioned_limit(
        LimitDefinition={"LimitClass": "API_CATEGORY", "Attributes": {"Category": "UserCreation"}}
    )["Limit"]
    assert limit["FreeLimitValue"] == limit["ProvisionedLimitValue"] == 50
    code, _ = error_of(
        idp.update_provisioned_limit,
        LimitDefinition={"LimitClass": "API_CATEGORY", "Attributes": {"Category": "UserCreation"}},
        RequestedLimitValue=500,
    )
    assert code == "ServiceQuotaExceededException"


def _totp(secret):
    """RFC 6238 (SHA-1, 30 s, 6 digits), independent of the emulator's code."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 15
    return "%06d" % ((int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF) % 10**6)


def test_admin_delete_software_token(emulator, idp):
    pool_id, client_id = new_pool(idp)
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="OPTIONAL",
        SoftwareTokenMfaConfiguration={"Enabled": True},
    )
    username = confirmed_user(idp, pool_id)
    token = sign_in(emulator, client_id, username)["AccessToken"]
    secret = emulator.call("AssociateSoftwareToken", {"AccessToken": token})["SecretCode"]
    emulator.call("VerifySoftwareToken", {"AccessToken": token, "UserCode": _totp(secret)})
    emulator.call(
        "SetUserMFAPreference",
        {"AccessToken": token, "SoftwareTokenMfaSettings": {"Enabled": True, "PreferredMfa": True}},
    )
    user = idp.admin_get_user(UserPoolId=pool_id, Username=username)
    assert user["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]

    idp.admin_delete_software_token(UserPoolId=pool_id, Username=username)
    user = idp.admin_get_user(UserPoolId=pool_id, Username=username)
    assert not user.get("UserMFASettingList") and not user.get("PreferredMfaSetting")
    # Sign-in no longer asks for the authenticator's code.
    assert "AccessToken" in sign_in(emulator, client_id, username)
    code, _ = error_of(idp.admin_delete_software_token, UserPoolId=pool_id, Username="nobody")
    assert code == "UserNotFoundException"
