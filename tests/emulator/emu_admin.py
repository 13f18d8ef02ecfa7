"""Helpers for the configuration-action tests: boto3 admin clients against the emulator,
a fresh pool per test, confirmed users, token claims."""

import base64
import json

import boto3
import botocore.exceptions
import pytest
from botocore.config import Config
from emu_helpers import PASSWORD, unique

FLOWS = [
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
]


def admin_client(emulator, service="cognito-idp", validate=True):
    """A boto3 client signing with test/test, pointed at the emulator (validate=False:
    botocore sends values its own checks would refuse, to reach the emulator's)."""
    return boto3.client(
        service,
        endpoint_url=emulator.url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}, parameter_validation=validate),
    )


def new_pool(idp, **settings):
    """A fresh pool and a client without secret: (pool id, client id)."""
    request = {"PoolName": unique("pool"), "AutoVerifiedAttributes": ["email"]}
    request.update(settings)
    pool = idp.create_user_pool(**request)["UserPool"]
    client = idp.create_user_pool_client(
        UserPoolId=pool["Id"], ClientName="web", ExplicitAuthFlows=FLOWS
    )["UserPoolClient"]
    return pool["Id"], client["ClientId"]


def confirmed_user(idp, pool_id, username=None, attributes=()):
    """A CONFIRMED user with PASSWORD; returns the username."""
    username = username or unique("member")
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": username + "@example.com"}, *attributes],
    )
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True
    )
    return username


def sign_in(emulator, client_id, username):
    """USER_PASSWORD_AUTH: the AuthenticationResult."""
    return emulator.call(
        "InitiateAuth",
        {
            "AuthFlow": "USER_PASSWORD_AUTH",
            "ClientId": client_id,
            "AuthParameters": {"USERNAME": username, "PASSWORD": PASSWORD},
        },
    )["AuthenticationResult"]


def refresh(emulator, client_id, refresh_token):
    """REFRESH_TOKEN_AUTH: the AuthenticationResult."""
    return emulator.call(
        "InitiateAuth",
        {
            "AuthFlow": "REFRESH_TOKEN_AUTH",
            "ClientId": client_id,
            "AuthParameters": {"REFRESH_TOKEN": refresh_token},
        },
    )["AuthenticationResult"]


def claims(token):
    """A JWT's payload (the signature is checked elsewhere)."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def error_of(call, *args, **kwargs):
    """Run a boto3 call that must fail: (code, message)."""
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        call(*args, **kwargs)
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]
