"""The admin API through real boto3 clients (SigV4-signed, as against AWS), and the
AWS CLI: pools, app clients, MFA configuration, users, admin sign-in, and the
refusals that keep web pages and unsigned callers out.

Every pool here is made by the test through CreateUserPool, so the tests do not
depend on the emulator's config file (except the restart test, which restarts it).
"""

import asyncio
import base64
import datetime
import hmac
import json
import os
import random
import subprocess
import sys
import uuid

import boto3
import botocore.exceptions
import pytest
from botocore.config import Config
from emu_helpers import PASSWORD, unique

from pycognito_web import MemoryStorage, NewPasswordRequired, Session, UserPool

NEW_PASSWORD = "N3w-Passw0rd!"
FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH",
         "ALLOW_ADMIN_USER_PASSWORD_AUTH"]  # fmt: skip


def make_client(emulator, secret="test", key="test"):
    return boto3.client(
        "cognito-idp",
        endpoint_url=emulator.url,
        region_name="us-east-1",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=Config(retries={"max_attempts": 1}),
    )


@pytest.fixture
def idp(emulator):
    return make_client(emulator)


def error_of(caught):
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


def new_pool(idp, **settings):
    """A fresh pool (email alias, email required) and a client without a secret."""
    request = {
        "PoolName": unique("pool"),
        "AliasAttributes": ["email"],
        "AutoVerifiedAttributes": ["email"],
        "Schema": [{"Name": "email", "Required": True}, {"Name": "team"}],
    }
    request.update(settings)
    pool = idp.create_user_pool(**request)["UserPool"]
    client = idp.create_user_pool_client(
        UserPoolId=pool["Id"], ClientName="web", ExplicitAuthFlows=FLOWS
    )["UserPoolClient"]
    return pool["Id"], client["ClientId"]


def create_user(idp, pool_id, username=None, email=None, **extra):
    username = username or unique("adm")
    attributes = [{"Name": "email", "Value": email or username + "@example.com"}]
    attributes += extra.pop("attributes", [])
    idp.admin_create_user(UserPoolId=pool_id, Username=username, UserAttributes=attributes, **extra)
    return username


def confirmed_user(idp, pool_id, verified=True):
    """A CONFIRMED user with PASSWORD (and a verified email)."""
    attributes = [{"Name": "email_verified", "Value": "true"}] if verified else []
    username = create_user(idp, pool_id, MessageAction="SUPPRESS", attributes=attributes)
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True
    )
    return username


def password_auth(emulator, client_id, username, password=PASSWORD):
    return emulator.call(
        "InitiateAuth",
        {
            "AuthFlow": "USER_PASSWORD_AUTH",
            "ClientId": client_id,
            "AuthParameters": {"USERNAME": username, "PASSWORD": password},
        },
    )


def invitation(emulator, username):
    messages = [m for m in emulator.messages(username) if m["kind"] == "invitation"]
    assert messages, "no invitation for %s" % username
    return messages[-1]


def claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


# Pools -------------------------------------------------------------------------------


def test_pool_create_describe_update_list_delete(idp):
    name = unique("pool")
    created = idp.create_user_pool(
        PoolName=name,
        Policies={"PasswordPolicy": {"MinimumLength": 10, "RequireSymbols": False,
                                     "TemporaryPasswordValidityDays": 3}},
        AliasAttributes=["email"],
        AutoVerifiedAttributes=["email"],
        Schema=[{"Name": "team", "AttributeDataType": "String", "Mutable": True}],
        UserPoolTags={"stage": "test"},
        UsernameConfiguration={"CaseSensitive": False},
    )["UserPool"]  # fmt: skip
    pool_id = created["Id"]
    assert pool_id.startswith("us-east-1_") and len(pool_id) == len("us-east-1_") + 9
    assert created["Name"] == name
    assert isinstance(created["CreationDate"], datetime.datetime)
    assert created["Arn"].endswith(":userpool/" + pool_id)

    pool = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    policy = pool["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] == 10 and policy["RequireSymbols"] is False
    assert policy["TemporaryPasswordValidityDays"] == 3
    assert pool["AliasAttributes"] == ["email"]
    assert pool["AutoVerifiedAttributes"] == ["email"]
    assert pool["UserPoolTags"] == {"stage": "test"}
    assert pool["UsernameConfiguration"] == {"CaseSensitive": False}
    assert pool["MfaConfiguration"] == "OFF"
    assert pool["EstimatedNumberOfUsers"] == 0
    schema = {item["Name"]: item for item in pool["SchemaAttributes"]}
    assert schema["custom:team"]["AttributeDataType"] == "String"
    assert schema["sub"]["Mutable"] is False and schema["sub"]["Required"] is True
    assert "email" in schema

    idp.update_user_pool(
        UserPoolId=pool_id,
        PoolName=name + "-renamed",
        Policies={"PasswordPolicy": {"MinimumLength": 12}},
        AutoVerifiedAttributes=["email"],
        UserPoolTags={"stage": "prod"},
    )
    pool = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert pool["Name"] == name + "-renamed"
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] == 12
    # Left out of UpdateUserPool: back to the default; not updatable: kept.
    assert pool["Policies"]["PasswordPolicy"]["RequireSymbols"] is True
    assert pool["AliasAttributes"] == ["email"]
    assert "custom:team" in {item["Name"] for item in pool["SchemaAttributes"]}
    assert pool["UserPoolTags"] == {"stage": "prod"}
    assert pool["LastModifiedDate"] >= pool["CreationDate"]

    # ListUserPools pages through every pool, ours among them.
    seen, token = [], None
    while True:
        kwargs = {"MaxResults": 2}
        if token:
            kwargs["NextToken"] = token
        page = idp.list_user_pools(**kwargs)
        assert len(page["UserPools"]) <= 2
        seen.extend(page["UserPools"])
        token = page.get("NextToken")
        if not token:
            break
    ids = [item["Id"] for item in seen]
    assert len(ids) == len(set(ids)) and pool_id in ids
    paginated = [
        item["Id"]
        for page in idp.get_paginator("list_user_pools").paginate(MaxResults=1)
        for item in page["UserPools"]
    ]
    assert paginated == ids

    idp.delete_user_pool(UserPoolId=pool_id)
    with pytest.raises(idp.exceptions.ResourceNotFoundException) as caught:
        idp.describe_user_pool(UserPoolId=pool_id)
    assert error_of(caught)[1] == "User pool %s does not exist." % pool_id
    assert pool_id not in [p["Id"] for p in idp.list_user_pools(MaxResults=60)["UserPools"]]


def test_pool_refusals(idp):
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.create_user_pool(PoolName=unique("p"), UsernameAttributes=["email"],
                             AliasAttributes=["email"])  # fmt: skip
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.create_user_pool(PoolName=unique("p"), Schema=[{"Name": "team", "Required": True}])
    with pytest.raises(botocore.exceptions.ParamValidationError):
        idp.list_user_pools(MaxResults=0)  # botocore checks it before sending
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.delete_user_pool(UserPoolId="us-east-1_nothere00")
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.list_user_pools(MaxResults=10, NextToken="not-a-token")
    protected = idp.create_user_pool(PoolName=unique("p"), DeletionProtection="ACTIVE")
    pool_id = protected["UserPool"]["Id"]
    with pytest.raises(idp.exceptions.InvalidParameterException) as caught:
        idp.delete_user_pool(UserPoolId=pool_id)
    assert "deletion protection" in error_of(caught)[1]
    idp.update_user_pool(UserPoolId=pool_id, DeletionProtection="INACTIVE")
    idp.delete_user_pool(UserPoolId=pool_id)


def test_deleting_a_pool_takes_its_users_clients_and_keys(emulator, idp):
    pool_id, client_id = new_pool(idp)
    username = confirmed_user(idp, pool_id)
    tokens = password_auth(emulator, client_id, username)["AuthenticationResult"]
    idp.delete_user_pool(UserPoolId=pool_id)
    assert emulator.fail("GetUser", {"AccessToken": tokens["AccessToken"]}).status == 400
    error = emulator.fail(
        "InitiateAuth",
        {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
         "AuthParameters": {"USERNAME": username, "PASSWORD": PASSWORD}},
    )  # fmt: skip
    assert error.type == "ResourceNotFoundException"
    status, _, _ = emulator.http("GET", "/%s/.well-known/jwks.json" % pool_id)
    assert status == 404


# App clients -------------------------------------------------------------------------


def test_client_create_describe_list_update_delete(emulator, idp):
    pool_id, first = new_pool(idp)
    created = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="server",
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        AccessTokenValidity=10,
        IdTokenValidity=2,
        RefreshTokenValidity=5,
        TokenValidityUnits={"AccessToken": "minutes", "IdToken": "hours", "RefreshToken": "days"},
        PreventUserExistenceErrors="ENABLED",
        EnableTokenRevocation=False,
    )["UserPoolClient"]
    client_id, secret = created["ClientId"], created["ClientSecret"]
    assert len(client_id) == 26 and len(secret) == 51
    assert created["UserPoolId"] == pool_id and created["ClientName"] == "server"
    assert isinstance(created["CreationDate"], datetime.datetime)

    described = idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    client = described["UserPoolClient"]
    assert client["ClientSecret"] == secret
    assert client["ExplicitAuthFlows"] == ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    assert (client["AccessTokenValidity"], client["IdTokenValidity"]) == (10, 2)
    assert client["RefreshTokenValidity"] == 5
    assert client["TokenValidityUnits"]["AccessToken"] == "minutes"
    assert client["PreventUserExistenceErrors"] == "ENABLED"
    assert client["EnableTokenRevocation"] is False

    # The settings take effect: token lifetimes, the secret, hidden user existence.
    username = confirmed_user(idp, pool_id)

    def secret_hash(name):
        mac = hmac.new(secret.encode(), (name + client_id).encode(), "sha256")
        return base64.b64encode(mac.digest()).decode()

    digest = secret_hash(username)
    result = emulator.call(
        "InitiateAuth",
        {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
         "AuthParameters": {"USERNAME": username, "PASSWORD": PASSWORD, "SECRET_HASH": digest}},
    )["AuthenticationResult"]  # fmt: skip
    access, id_token = claims(result["AccessToken"]), claims(result["IdToken"])
    assert access["exp"] - access["iat"] == 600 and id_token["exp"] - id_token["iat"] == 7200
    error = emulator.fail(
        "InitiateAuth",
        {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
         "AuthParameters": {"USERNAME": "nobody", "PASSWORD": PASSWORD,
                            "SECRET_HASH": secret_hash("nobody")}},
    )  # fmt: skip
    assert error.type == "NotAuthorizedException"
    assert error.message == "Incorrect username or password."

    listed = idp.list_user_pool_clients(UserPoolId=pool_id, MaxResults=1)
    assert len(listed["UserPoolClients"]) == 1 and listed["NextToken"]
    rest = idp.list_user_pool_clients(UserPoolId=pool_id, NextToken=listed["NextToken"])
    both = listed["UserPoolClients"] + rest["UserPoolClients"]
    names = {c["ClientId"]: c["ClientName"] for c in both}
    assert names == {first: "web", client_id: "server"}
    assert "NextToken" not in rest

    updated = idp.update_user_pool_client(
        UserPoolId=pool_id, ClientId=client_id, ClientName="server-2",
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]  # fmt: skip
    assert updated["ClientName"] == "server-2" and updated["ClientSecret"] == secret
    # What UpdateUserPoolClient leaves out goes back to the default.
    assert updated["PreventUserExistenceErrors"] == "LEGACY"
    assert updated["EnableTokenRevocation"] is True
    assert updated["AccessTokenValidity"] == 60
    error = emulator.fail(
        "InitiateAuth",
        {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
         "AuthParameters": {"USERNAME": username, "PASSWORD": PASSWORD, "SECRET_HASH": digest}},
    )  # fmt: skip
    assert error.message == "USER_PASSWORD_AUTH flow not enabled for this client"

    # A client named with the wrong pool, or unknown, is not found.
    other_pool, _ = new_pool(idp)
    with pytest.raises(idp.exceptions.ResourceNotFoundException) as caught:
        idp.describe_user_pool_client(UserPoolId=other_pool, ClientId=client_id)
    assert error_of(caught)[1] == "User pool client %s does not exist." % client_id
    idp.delete_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.create_user_pool_client(UserPoolId="us-east-1_nothere00", ClientName="x")
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.create_user_pool_client(UserPoolId=pool_id, ClientName="x",
                                    ExplicitAuthFlows=["ALLOW_TELEPATHY"])  # fmt: skip


# MFA configuration -------------------------------------------------------------------


def test_user_pool_mfa_config_round_trip(idp):
    pool_id, _ = new_pool(idp)
    config = idp.get_user_pool_mfa_config(UserPoolId=pool_id)
    assert config["MfaConfiguration"] == "OFF"
    assert config["SoftwareTokenMfaConfiguration"] == {"Enabled": False}
    sms = {
        "SmsAuthenticationMessage": "Your code is {####}",
        "SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::000000000000:role/sns",
                             "ExternalId": "x"},
    }  # fmt: skip
    answer = idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        SmsMfaConfiguration=sms,
        MfaConfiguration="OPTIONAL",
    )
    assert answer["MfaConfiguration"] == "OPTIONAL"
    config = idp.get_user_pool_mfa_config(UserPoolId=pool_id)
    assert config["MfaConfiguration"] == "OPTIONAL"
    assert config["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
    assert config["SmsMfaConfiguration"] == sms
    assert idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["MfaConfiguration"] == "OPTIONAL"
    # Members left out keep their values.
    idp.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="ON")
    config = idp.get_user_pool_mfa_config(UserPoolId=pool_id)
    assert config["MfaConfiguration"] == "ON"
    assert config["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
    idp.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OFF")
    assert idp.get_user_pool_mfa_config(UserPoolId=pool_id)["MfaConfiguration"] == "OFF"

    bare, _ = new_pool(idp)
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.set_user_pool_mfa_config(UserPoolId=bare, MfaConfiguration="ON")
    assert idp.get_user_pool_mfa_config(UserPoolId=bare)["MfaConfiguration"] == "OFF"
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.get_user_pool_mfa_config(UserPoolId="us-east-1_nothere00")


# AdminCreateUser and NEW_PASSWORD_REQUIRED -------------------------------------------


def test_admin_create_user_then_the_port_completes_new_password(emulator, idp):
    pool_id, client_id = new_pool(idp)
    username = unique("new")
    answer = idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        UserAttributes=[{"Name": "email", "Value": username + "@example.com"},
                        {"Name": "custom:team", "Value": "blue"}],
        DesiredDeliveryMediums=["EMAIL"],
    )["User"]  # fmt: skip
    assert answer["Username"] == username
    assert answer["UserStatus"] == "FORCE_CHANGE_PASSWORD" and answer["Enabled"] is True
    attributes = {item["Name"]: item["Value"] for item in answer["Attributes"]}
    assert attributes["email"] == username + "@example.com"
    assert attributes["custom:team"] == "blue" and attributes["sub"]
    assert isinstance(answer["UserCreateDate"], datetime.datetime)

    message = invitation(emulator, username)
    assert message["destination"] == username + "@example.com"
    temporary = message["code"]
    assert len(temporary) >= 12
    assert temporary not in "".join(emulator.output)  # never printed on the console

    pool = UserPool(pool_id, client_id, endpoint=emulator.url, storage=MemoryStorage())

    async def complete():
        challenge = await pool.user(username).authenticate(temporary)
        assert isinstance(challenge, NewPasswordRequired)
        assert challenge.user_attributes["email"] == username + "@example.com"
        assert challenge.required_attributes == []
        return await challenge.complete(NEW_PASSWORD, {"name": "Ada Admin"})

    session = asyncio.run(complete())
    assert isinstance(session, Session)
    assert session.id_token.claim("name") == "Ada Admin"
    user = idp.admin_get_user(UserPoolId=pool_id, Username=username)
    assert user["UserStatus"] == "CONFIRMED"
    assert {"Name": "name", "Value": "Ada Admin"} in user["UserAttributes"]
    # The temporary password is spent; the new one works.
    assert password_auth(emulator, client_id, username, NEW_PASSWORD)["AuthenticationResult"]
    error = emulator.fail(
        "InitiateAuth",
        {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
         "AuthParameters": {"USERNAME": username, "PASSWORD": temporary}},
    )  # fmt: skip
    assert error.type == "NotAuthorizedException"


def test_admin_create_user_options_and_refusals(emulator, idp):
    pool_id, client_id = new_pool(idp)
    username = create_user(idp, pool_id, TemporaryPassword="Temp-0rary!", MessageAction="SUPPRESS")
    assert not [m for m in emulator.messages(username) if m["kind"] == "invitation"]
    challenge = password_auth(emulator, client_id, username, "Temp-0rary!")
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    parameters = challenge["ChallengeParameters"]
    assert json.loads(parameters["requiredAttributes"]) == []
    assert json.loads(parameters["userAttributes"])["email"] == username + "@example.com"
    assert parameters["USER_ID_FOR_SRP"] == username

    with pytest.raises(idp.exceptions.UsernameExistsException) as caught:
        create_user(idp, pool_id, username)
    assert error_of(caught)[1] == "User account already exists"
    with pytest.raises(idp.exceptions.InvalidPasswordException):
        create_user(idp, pool_id, TemporaryPassword="short")
    with pytest.raises(idp.exceptions.InvalidParameterException) as caught:
        idp.admin_create_user(UserPoolId=pool_id, Username=unique("noemail"))
    assert "email" in error_of(caught)[1]  # email is required in this pool
    with pytest.raises(idp.exceptions.InvalidParameterException):
        create_user(idp, pool_id, attributes=[{"Name": "shoe_size", "Value": "9"}])
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.admin_create_user(UserPoolId="us-east-1_nothere00", Username="x")

    # RESEND: a new temporary password in a new invitation.
    idp.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="RESEND",
                          DesiredDeliveryMediums=["EMAIL"])  # fmt: skip
    resent = invitation(emulator, username)["code"]
    assert password_auth(emulator, client_id, username, resent)["ChallengeName"] == (
        "NEW_PASSWORD_REQUIRED"
    )
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_create_user(UserPoolId=pool_id, Username=unique("x"), MessageAction="RESEND")

    # A verified email held by another user is refused unless ForceAliasCreation.
    email = unique("shared") + "@example.com"
    verified = [{"Name": "email_verified", "Value": "true"}]
    first = create_user(idp, pool_id, email=email, attributes=verified, MessageAction="SUPPRESS")
    with pytest.raises(idp.exceptions.AliasExistsException):
        create_user(idp, pool_id, email=email, attributes=verified, MessageAction="SUPPRESS")
    create_user(idp, pool_id, email=email, attributes=verified, MessageAction="SUPPRESS",
                ForceAliasCreation=True)  # fmt: skip
    old = idp.admin_get_user(UserPoolId=pool_id, Username=first)["UserAttributes"]
    assert {"Name": "email_verified", "Value": "false"} in old


def test_email_username_pool_admin_create_user(emulator, idp):
    pool_id = idp.create_user_pool(PoolName=unique("emailpool"), UsernameAttributes=["email"])[
        "UserPool"
    ]["Id"]
    email = unique("mail") + "@example.com"
    user = idp.admin_create_user(UserPoolId=pool_id, Username=email,
                                 DesiredDeliveryMediums=["EMAIL"])["User"]  # fmt: skip
    attributes = {item["Name"]: item["Value"] for item in user["Attributes"]}
    assert user["Username"] == attributes["sub"] and attributes["email"] == email
    # Found again by the email, and by the sub.
    assert idp.admin_get_user(UserPoolId=pool_id, Username=email)["Username"] == user["Username"]
    assert idp.admin_get_user(UserPoolId=pool_id, Username=user["Username"])["Username"]
    assert invitation(emulator, email)["destination"] == email
    with pytest.raises(idp.exceptions.UsernameExistsException):
        idp.admin_create_user(UserPoolId=pool_id, Username=email)
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.admin_create_user(UserPoolId=pool_id, Username="not-an-email")


def test_temporary_password_expires_per_pool_setting(emulator, idp):
    pool_id, client_id = new_pool(
        idp, Policies={"PasswordPolicy": {"TemporaryPasswordValidityDays": 1}}
    )
    username = create_user(idp, pool_id, TemporaryPassword="Temp-0rary!", MessageAction="SUPPRESS")
    assert password_auth(emulator, client_id, username, "Temp-0rary!")["ChallengeName"]
    emulator.advance_clock(2 * 86400)
    try:
        error = emulator.fail(
            "InitiateAuth",
            {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
             "AuthParameters": {"USERNAME": username, "PASSWORD": "Temp-0rary!"}},
        )  # fmt: skip
    finally:
        emulator.reset_clock()
    assert (error.type, error.message) == (
        "NotAuthorizedException",
        "Temporary password has expired and must be reset by an administrator.",
    )


def test_admin_initiate_auth_and_respond_to_challenge(emulator, idp):
    pool_id, client_id = new_pool(idp)
    username = create_user(idp, pool_id, TemporaryPassword="Temp-0rary!", MessageAction="SUPPRESS")
    challenge = idp.admin_initiate_auth(
        UserPoolId=pool_id, ClientId=client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": "Temp-0rary!"},
    )  # fmt: skip
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    with pytest.raises(idp.exceptions.InvalidPasswordException):
        idp.admin_respond_to_auth_challenge(
            UserPoolId=pool_id, ClientId=client_id, ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=challenge["Session"],
            ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": "weak"},
        )  # fmt: skip
    done = idp.admin_respond_to_auth_challenge(
        UserPoolId=pool_id, ClientId=client_id, ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": NEW_PASSWORD,
                            "userAttributes.given_name": "Grace"},
    )  # fmt: skip
    tokens = done["AuthenticationResult"]
    assert tokens["TokenType"] == "Bearer" and tokens["RefreshToken"]
    assert claims(tokens["IdToken"])["given_name"] == "Grace"

    refreshed = idp.admin_initiate_auth(
        UserPoolId=pool_id, ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
    )["AuthenticationResult"]  # fmt: skip
    assert refreshed["AccessToken"] and "RefreshToken" not in refreshed
    again = idp.admin_initiate_auth(
        UserPoolId=pool_id, ClientId=client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": NEW_PASSWORD},
    )  # fmt: skip
    assert again["AuthenticationResult"]["AccessToken"]
    with pytest.raises(idp.exceptions.NotAuthorizedException) as caught:
        idp.admin_initiate_auth(
            UserPoolId=pool_id, ClientId=client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": "Wr0ng-password"},
        )  # fmt: skip
    assert error_of(caught)[1] == "Incorrect username or password."
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.admin_initiate_auth(
            UserPoolId=pool_id, ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": NEW_PASSWORD},
        )  # fmt: skip
    # The public InitiateAuth does not take the admin flow.
    error = emulator.fail(
        "InitiateAuth",
        {"AuthFlow": "ADMIN_USER_PASSWORD_AUTH", "ClientId": client_id,
         "AuthParameters": {"USERNAME": username, "PASSWORD": NEW_PASSWORD}},
    )  # fmt: skip
    assert error.type == "InvalidParameterException"
    # A client that does not allow the flow.
    other = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="srp")["UserPoolClient"]
    with pytest.raises(idp.exceptions.InvalidParameterException) as caught:
        idp.admin_initiate_auth(
            UserPoolId=pool_id, ClientId=other["ClientId"], AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": NEW_PASSWORD},
        )  # fmt: skip
    assert error_of(caught)[1] == "ADMIN_USER_PASSWORD_AUTH flow not enabled for this client"


# Users -------------------------------------------------------------------------------


def test_admin_set_user_password(emulator, idp):
    pool_id, client_id = new_pool(idp)
    username = create_user(idp, pool_id, MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=PASSWORD,
                                Permanent=True)  # fmt: skip
    assert idp.admin_get_user(UserPoolId=pool_id, Username=username)["UserStatus"] == "CONFIRMED"
    assert password_auth(emulator, client_id, username)["AuthenticationResult"]["AccessToken"]
    idp.admin_set_user_password(UserPoolId=pool_id, Username=username, Password="Temp-0rary!",
                                Permanent=False)  # fmt: skip
    user = idp.admin_get_user(UserPoolId=pool_id, Username=username)
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    answer = password_auth(emulator, client_id, username, "Temp-0rary!")
    assert answer["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    with pytest.raises(idp.exceptions.InvalidPasswordException) as caught:
        idp.admin_set_user_password(UserPoolId=pool_id, Username=username, Password="abcdefgh",
                                    Permanent=True)  # fmt: skip
    assert error_of(caught)[1].startswith("Password did not conform with policy")
    with pytest.raises(idp.exceptions.UserNotFoundException) as caught:
        idp.admin_set_user_password(UserPoolId=pool_id, Username="ghost", Password=PASSWORD)
    assert error_of(caught)[1] == "User does not exist."


def test_admin_confirm_sign_up_get_and_delete(emulator, idp):
    pool_id, client_id = new_pool(idp)
    username = unique("signup")
    emulator.call(
        "SignUp",
        {"ClientId": client_id, "Username": username, "Password": PASSWORD,
         "UserAttributes": [{"Name": "email", "Value": username + "@example.com"}]},
    )  # fmt: skip
    assert idp.admin_get_user(UserPoolId=pool_id, Username=username)["UserStatus"] == (
        "UNCONFIRMED"
    )
    idp.admin_confirm_sign_up(UserPoolId=pool_id, Username=username)
    user = idp.admin_get_user(UserPoolId=pool_id, Username=username)
    assert user["UserStatus"] == "CONFIRMED" and user["Enabled"] is True
    assert {"Name": "email_verified", "Value": "false"} in user["UserAttributes"]
    with pytest.raises(idp.exceptions.NotAuthorizedException) as caught:
        idp.admin_confirm_sign_up(UserPoolId=pool_id, Username=username)
    assert error_of(caught)[1] == "User cannot be confirmed. Current status is CONFIRMED"
    assert password_auth(emulator, client_id, username)["AuthenticationResult"]
    assert idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["EstimatedNumberOfUsers"] == 1

    idp.admin_delete_user(UserPoolId=pool_id, Username=username)
    with pytest.raises(idp.exceptions.UserNotFoundException) as caught:
        idp.admin_get_user(UserPoolId=pool_id, Username=username)
    assert error_of(caught) == ("UserNotFoundException", "User does not exist.")
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_delete_user(UserPoolId=pool_id, Username=username)


def test_admin_update_and_delete_user_attributes(emulator, idp):
    pool_id, _ = new_pool(idp)
    username = confirmed_user(idp, pool_id)
    new_email = unique("moved") + "@example.com"
    idp.admin_update_user_attributes(
        UserPoolId=pool_id, Username=username,
        UserAttributes=[{"Name": "email", "Value": new_email},
                        {"Name": "custom:team", "Value": "red"}],
    )  # fmt: skip
    attributes = {
        item["Name"]: item["Value"]
        for item in idp.admin_get_user(UserPoolId=pool_id, Username=username)["UserAttributes"]
    }
    assert attributes["email"] == new_email and attributes["custom:team"] == "red"
    assert attributes["email_verified"] == "false"
    # The pool auto-verifies email: a verification code went to the new address.
    codes = [m for m in emulator.messages(username) if m["kind"] == "verify_attribute"]
    assert codes and codes[-1]["destination"] == new_email
    # The admin may mark it verified directly.
    idp.admin_update_user_attributes(
        UserPoolId=pool_id, Username=username,
        UserAttributes=[{"Name": "email_verified", "Value": "true"}],
    )  # fmt: skip
    user = idp.admin_get_user(UserPoolId=pool_id, Username=new_email)  # by the verified alias
    assert {"Name": "email_verified", "Value": "true"} in user["UserAttributes"]

    idp.admin_delete_user_attributes(
        UserPoolId=pool_id, Username=username, UserAttributeNames=["custom:team"]
    )
    names = {
        item["Name"]
        for item in idp.admin_get_user(UserPoolId=pool_id, Username=username)["UserAttributes"]
    }
    assert "custom:team" not in names
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.admin_delete_user_attributes(
            UserPoolId=pool_id, Username=username, UserAttributeNames=["email"]
        )  # required
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.admin_update_user_attributes(
            UserPoolId=pool_id, Username=username, UserAttributes=[{"Name": "nope", "Value": "x"}]
        )
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_update_user_attributes(
            UserPoolId=pool_id, Username="ghost", UserAttributes=[{"Name": "name", "Value": "x"}]
        )


def test_disable_and_enable_user(emulator, idp):
    pool_id, client_id = new_pool(idp)
    username = confirmed_user(idp, pool_id)
    tokens = password_auth(emulator, client_id, username)["AuthenticationResult"]
    idp.admin_disable_user(UserPoolId=pool_id, Username=username)
    assert idp.admin_get_user(UserPoolId=pool_id, Username=username)["Enabled"] is False
    error = emulator.fail(
        "InitiateAuth",
        {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
         "AuthParameters": {"USERNAME": username, "PASSWORD": PASSWORD}},
    )  # fmt: skip
    assert (error.type, error.message) == ("NotAuthorizedException", "User is disabled.")
    error = emulator.fail("GetUser", {"AccessToken": tokens["AccessToken"]})
    assert error.type == "NotAuthorizedException"
    disabled = idp.list_users(UserPoolId=pool_id, Filter='status = "Disabled"')["Users"]
    assert [user["Username"] for user in disabled] == [username]

    idp.admin_enable_user(UserPoolId=pool_id, Username=username)
    assert idp.admin_get_user(UserPoolId=pool_id, Username=username)["Enabled"] is True
    fresh = password_auth(emulator, client_id, username)["AuthenticationResult"]
    assert emulator.call("GetUser", {"AccessToken": fresh["AccessToken"]})["Username"] == username
    # Tokens from before the user was disabled stay revoked.
    error = emulator.fail("GetUser", {"AccessToken": tokens["AccessToken"]})
    assert error.message == "Access Token has been revoked"


def test_admin_reset_user_password(emulator, idp):
    pool_id, client_id = new_pool(idp)
    username = confirmed_user(idp, pool_id)
    idp.admin_reset_user_password(UserPoolId=pool_id, Username=username)
    assert idp.admin_get_user(UserPoolId=pool_id, Username=username)["UserStatus"] == (
        "RESET_REQUIRED"
    )
    error = emulator.fail(
        "InitiateAuth",
        {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
         "AuthParameters": {"USERNAME": username, "PASSWORD": PASSWORD}},
    )  # fmt: skip
    assert error.type == "PasswordResetRequiredException"
    code = [m for m in emulator.messages(username) if m["kind"] == "forgot_password"][-1]["code"]
    emulator.call(
        "ConfirmForgotPassword",
        {"ClientId": client_id, "Username": username, "ConfirmationCode": code,
         "Password": NEW_PASSWORD},
    )  # fmt: skip
    assert idp.admin_get_user(UserPoolId=pool_id, Username=username)["UserStatus"] == "CONFIRMED"
    assert password_auth(emulator, client_id, username, NEW_PASSWORD)["AuthenticationResult"]
    # No verified address: nowhere to send the code.
    unverified = confirmed_user(idp, pool_id, verified=False)
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.admin_reset_user_password(UserPoolId=pool_id, Username=unverified)


def test_admin_user_global_sign_out(emulator, idp):
    pool_id, client_id = new_pool(idp)
    username = confirmed_user(idp, pool_id)
    tokens = password_auth(emulator, client_id, username)["AuthenticationResult"]
    assert emulator.call("GetUser", {"AccessToken": tokens["AccessToken"]})["Username"] == username
    idp.admin_user_global_sign_out(UserPoolId=pool_id, Username=username)
    error = emulator.fail("GetUser", {"AccessToken": tokens["AccessToken"]})
    assert error.type == "NotAuthorizedException"
    assert error.message == "Access Token has been revoked"
    error = emulator.fail(
        "InitiateAuth",
        {"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": client_id,
         "AuthParameters": {"REFRESH_TOKEN": tokens["RefreshToken"]}},
    )  # fmt: skip
    assert error.message == "Refresh Token has been revoked"
    # Signing in again works.
    fresh = password_auth(emulator, client_id, username)["AuthenticationResult"]
    assert emulator.call("GetUser", {"AccessToken": fresh["AccessToken"]})["Username"] == username
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_user_global_sign_out(UserPoolId=pool_id, Username="ghost")


# ListUsers ---------------------------------------------------------------------------


def test_list_users_filters_pagination_and_attributes(idp):
    pool_id, _ = new_pool(idp)
    names = ["alice", "alicia", "albert", "bob", "carol"]
    for name in names:
        create_user(idp, pool_id, name, email=name + "@example.com", MessageAction="SUPPRESS",
                    attributes=[{"Name": "given_name", "Value": name.title()}])  # fmt: skip
    idp.admin_set_user_password(UserPoolId=pool_id, Username="carol", Password=PASSWORD,
                                Permanent=True)  # fmt: skip

    def usernames(**kwargs):
        return sorted(u["Username"] for u in idp.list_users(UserPoolId=pool_id, **kwargs)["Users"])

    assert usernames() == sorted(names)
    assert usernames(Filter='email = "bob@example.com"') == ["bob"]
    assert usernames(Filter='username ^= "ali"') == ["alice", "alicia"]
    assert usernames(Filter='username ^= "al"') == ["albert", "alice", "alicia"]
    assert usernames(Filter='given_name = "Carol"') == ["carol"]
    assert usernames(Filter='cognito:user_status = "CONFIRMED"') == ["carol"]
    assert usernames(Filter='cognito:user_status = "force_change_password"') == [
        "albert", "alice", "alicia", "bob",
    ]  # fmt: skip
    assert usernames(Filter='status = "Enabled"') == sorted(names)
    assert usernames(Filter='email = "nobody@example.com"') == []
    assert usernames(Filter="") == sorted(names)
    carol = idp.list_users(UserPoolId=pool_id, Filter='username = "carol"')["Users"][0]
    sub = {a["Name"]: a["Value"] for a in carol["Attributes"]}["sub"]
    assert usernames(Filter='sub = "%s"' % sub) == ["carol"]
    assert carol["UserStatus"] == "CONFIRMED" and carol["Enabled"] is True
    assert isinstance(carol["UserLastModifiedDate"], datetime.datetime)

    # Limit and PaginationToken: every user once, in pages of two.
    seen, token = [], None
    while True:
        kwargs = {"Limit": 2}
        if token:
            kwargs["PaginationToken"] = token
        page = idp.list_users(UserPoolId=pool_id, **kwargs)
        assert len(page["Users"]) <= 2
        seen += [user["Username"] for user in page["Users"]]
        token = page.get("PaginationToken")
        if not token:
            break
    assert sorted(seen) == sorted(names) and len(seen) == len(names)
    paged = [
        user["Username"]
        for page in idp.get_paginator("list_users").paginate(
            UserPoolId=pool_id, PaginationConfig={"PageSize": 3}
        )
        for user in page["Users"]
    ]
    assert paged == seen
    filtered = idp.list_users(UserPoolId=pool_id, Filter='username ^= "al"', Limit=1)
    assert len(filtered["Users"]) == 1 and filtered["PaginationToken"]

    only = idp.list_users(UserPoolId=pool_id, AttributesToGet=["email"], Limit=1)["Users"][0]
    assert [a["Name"] for a in only["Attributes"]] == ["email"]

    for bad in ('email == "x"', "email = x", 'shoe_size = "9"', 'custom:team = "x"', "junk"):
        with pytest.raises(idp.exceptions.InvalidParameterException):
            idp.list_users(UserPoolId=pool_id, Filter=bad)
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.list_users(UserPoolId=pool_id, AttributesToGet=["shoe_size"])
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.list_users(UserPoolId=pool_id, PaginationToken="garbage!")
    # Well-formed base64 of the wrong JSON: still only InvalidParameterException.
    for crafted in (b'["a", "b"]', b"[1]", b"[true, 1]", b"{}", b"[" * 50000):
        token = base64.urlsafe_b64encode(crafted).decode().rstrip("=")
        with pytest.raises(idp.exceptions.InvalidParameterException):
            idp.list_users(UserPoolId=pool_id, PaginationToken=token)
        with pytest.raises(idp.exceptions.InvalidParameterException):
            idp.list_user_pools(MaxResults=5, NextToken=token)
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.list_users(UserPoolId="us-east-1_nothere00")


# Refusals ----------------------------------------------------------------------------


def test_unsigned_admin_call_is_refused(emulator):
    body = json.dumps({"MaxResults": 10}).encode()
    status, headers, raw = emulator.http(
        "POST", "/", body,
        {"Content-Type": "application/x-amz-json-1.1",
         "X-Amz-Target": "AWSCognitoIdentityProviderService.ListUserPools"},
    )  # fmt: skip
    assert status == 400
    assert json.loads(raw) == {
        "__type": "MissingAuthenticationTokenException",
        "message": "Missing Authentication Token",
    }
    assert "access-control-allow-origin" not in headers
    # Also through the test helper, for a user action's shape.
    error = emulator.fail("AdminGetUser", {"UserPoolId": emulator.pool_id, "Username": "x"})
    assert error.type == "MissingAuthenticationTokenException"


def test_wrong_secret_or_unknown_key_is_refused(emulator):
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        make_client(emulator, secret="not-the-secret").list_user_pools(MaxResults=10)
    assert error_of(caught)[0] == "InvalidSignatureException"
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        make_client(emulator, key="AKIDUNKNOWN").create_user_pool(PoolName="x")
    assert error_of(caught) == (
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
    )


def test_admin_call_from_a_browser_origin_is_refused(emulator):
    client = make_client(emulator)

    def add_origin(request, **_):
        request.headers["Origin"] = "http://localhost:8000"

    client.meta.events.register("before-sign.cognito-idp.ListUserPools", add_origin)
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        client.list_user_pools(MaxResults=10)
    assert error_of(caught)[0] == "AccessDeniedException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


# Restart -----------------------------------------------------------------------------


def test_admin_made_pools_clients_and_users_survive_restart(emulator, idp):
    pool_id, client_id = new_pool(idp)
    secret_client = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="server", GenerateSecret=True
    )["UserPoolClient"]
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id, SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="OPTIONAL",
    )  # fmt: skip
    username = confirmed_user(idp, pool_id)
    invited = create_user(idp, pool_id, TemporaryPassword="Temp-0rary!", MessageAction="SUPPRESS")
    before = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]

    emulator.restart(kill=True)
    idp = make_client(emulator)

    after = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert after == before
    described = idp.describe_user_pool_client(UserPoolId=pool_id,
                                              ClientId=secret_client["ClientId"])  # fmt: skip
    assert described["UserPoolClient"]["ClientSecret"] == secret_client["ClientSecret"]
    listed = idp.list_user_pool_clients(UserPoolId=pool_id)["UserPoolClients"]
    assert {c["ClientId"] for c in listed} == {client_id, secret_client["ClientId"]}
    assert idp.get_user_pool_mfa_config(UserPoolId=pool_id)["MfaConfiguration"] == "OPTIONAL"
    users = {u["Username"]: u["UserStatus"] for u in idp.list_users(UserPoolId=pool_id)["Users"]}
    assert users == {username: "CONFIRMED", invited: "FORCE_CHANGE_PASSWORD"}
    assert password_auth(emulator, client_id, username)["AuthenticationResult"]
    challenge = password_auth(emulator, client_id, invited, "Temp-0rary!")
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"


# The AWS CLI -------------------------------------------------------------------------


def aws(emulator, *args):
    env = dict(
        os.environ,
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_MAX_ATTEMPTS="1",
    )
    env.pop("AWS_PROFILE", None)
    done = subprocess.run(
        [sys.executable, "-m", "awscli", "--endpoint-url", emulator.url, "--output", "json",
         "cognito-idp", *args],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    return done


def test_aws_cli(emulator):
    name = "cli-" + uuid.uuid4().hex[:8]
    done = aws(emulator, "create-user-pool", "--pool-name", name,
               "--auto-verified-attributes", "email")  # fmt: skip
    assert done.returncode == 0, done.stderr
    pool = json.loads(done.stdout)["UserPool"]
    assert pool["Name"] == name
    done = aws(emulator, "create-user-pool-client", "--user-pool-id", pool["Id"],
               "--client-name", "cli", "--generate-secret")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["UserPoolClient"]["ClientSecret"]
    done = aws(emulator, "admin-create-user", "--user-pool-id", pool["Id"], "--username",
               "clara", "--user-attributes", "Name=email,Value=clara@example.com",
               "--message-action", "SUPPRESS")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["User"]["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    done = aws(emulator, "list-users", "--user-pool-id", pool["Id"], "--filter",
               'email = "clara@example.com"')  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert [u["Username"] for u in json.loads(done.stdout)["Users"]] == ["clara"]
    done = aws(emulator, "list-user-pools", "--max-results", "60")
    assert done.returncode == 0, done.stderr
    assert pool["Id"] in [p["Id"] for p in json.loads(done.stdout)["UserPools"]]
    done = aws(emulator, "admin-get-user", "--user-pool-id", pool["Id"], "--username", "nobody")
    assert done.returncode != 0
    assert "UserNotFoundException" in done.stderr and "User does not exist." in done.stderr


# Junk ----------------------------------------------------------------------------------


def test_every_admin_action_survives_junk(emulator, idp):
    # Signed calls with junk in every member: a Cognito-shaped 400 (or a 200), never a 500.
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    from pycognito_emulator import _app, _registry

    _app.load_actions()
    pool_id, client_id = new_pool(idp)
    username = confirmed_user(idp, pool_id)
    values = [
        None, "", " ", "x" * 3000, "\x00", "é" * 40, 0, -1, 61, 2**70, 1.5, True, [], {}, [None],
        [{"Name": "email", "Value": 7}], [{"Name": "nope", "Value": "v"}],
        [{"Name": "email", "Value": "a@b.c"}], ["email"], ["SMS", "EMAIL"], {"USERNAME": 5},
        {"USERNAME": username, "PASSWORD": PASSWORD}, {"PasswordPolicy": {"MinimumLength": "8"}},
        {"Enabled": "yes"}, [{"Name": 5}], {"AccessToken": "weeks"}, pool_id, client_id,
        username, "us-east-1_nothere00", "ADMIN_USER_PASSWORD_AUTH", "NEW_PASSWORD_REQUIRED",
        'email = "a@b.c"', 'username ^= "', "OPTIONAL", "RESEND", "SUPPRESS", "ACTIVE",
    ]  # fmt: skip
    rng = random.Random(20261127)
    admin = sorted(
        (target, action)
        for target, action in _registry.ACTIONS.items()
        if not action.public and action.handler.__module__.rsplit(".", 1)[-1].startswith("_admin")
    )
    assert len(admin) == 26
    credentials = Credentials("test", "test")
    seen = set()
    for target, action in admin:
        names = [field.name for field in action.fields] + ["Unexpected"]
        for _ in range(20):
            body = {name: rng.choice(values) for name in names if rng.random() < 0.8}
            if target.endswith("DeleteUserPool"):
                body["UserPoolId"] = "us-east-1_nothere00"
            raw_body = json.dumps(body).encode()
            request = AWSRequest(
                method="POST", url=emulator.url + "/", data=raw_body,
                headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": target},
            )  # fmt: skip
            SigV4Auth(credentials, "cognito-idp", "us-east-1").add_auth(request)
            headers = dict(request.headers.items())
            status, answer_headers, raw = emulator.http("POST", "/", raw_body, headers)
            assert status in (200, 400), (target, body, raw)
            assert b"Traceback" not in raw
            answer = json.loads(raw)
            if status == 400:
                assert list(answer)[:1] == ["__type"]
                assert answer_headers["x-amzn-errortype"] == answer["__type"] + ":"
                seen.add(answer["__type"])
    assert "InternalErrorException" not in seen
    assert {"SerializationException", "InvalidParameterException"} <= seen
