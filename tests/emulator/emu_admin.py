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


def shape_problems(shape, value, path="answer"):
    """Where a JSON answer breaks a botocore output shape: unknown or missing members,
    wrong types, values outside an enum (a list of strings, empty when it fits)."""
    if shape is None:
        return [] if value in ({}, None) else ["%s: the model has no output" % path]
    kind = shape.type_name
    if kind == "structure":
        if shape.metadata.get("document"):
            return []
        if not isinstance(value, dict):
            return ["%s: not an object" % path]
        problems = [
            "%s.%s: not in the model" % (path, key) for key in value if key not in shape.members
        ]
        problems += [
            "%s.%s: required, missing" % (path, key)
            for key in shape.required_members
            if key not in value
        ]
        for key, item in value.items():
            if key in shape.members:
                problems += shape_problems(shape.members[key], item, "%s.%s" % (path, key))
        return problems
    if kind == "list":
        if not isinstance(value, list):
            return ["%s: not a list" % path]
        return [
            p
            for i, item in enumerate(value)
            for p in shape_problems(shape.member, item, "%s[%d]" % (path, i))
        ]
    if kind == "map":
        if not isinstance(value, dict):
            return ["%s: not a map" % path]
        return [
            p
            for key, item in value.items()
            for p in shape_problems(shape.value, item, "%s[%s]" % (path, key))
        ]
    checks = {
        "string": lambda v: isinstance(v, str),
        "blob": lambda v: isinstance(v, str),
        "boolean": lambda v: isinstance(v, bool),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "long": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "timestamp": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "double": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    }
    if kind in checks and not checks[kind](value):
        return ["%s: not a %s" % (path, kind)]
    if kind == "string" and shape.enum and value not in shape.enum:
        return ["%s: %r not in %s" % (path, value, shape.enum)]
    return []


def _check_answer(operation_model, response_dict, **_):
    if response_dict.get("status_code") != 200:
        return
    body = response_dict.get("body") or b"{}"
    problems = shape_problems(operation_model.output_shape, json.loads(body))
    assert not problems, "%s answer off the model: %s" % (operation_model.name, problems)


def admin_client(emulator, service="cognito-idp", validate=True):
    """A boto3 client signing with test/test, pointed at the emulator (validate=False:
    botocore sends values its own checks would refuse, to reach the emulator's)."""
    client = boto3.client(
        service,
        endpoint_url=emulator.url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}, parameter_validation=validate),
    )
    # Every successful answer is checked against botocore's output shape.
    client.meta.events.register("before-parse.*.*", _check_answer)
    return client


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
