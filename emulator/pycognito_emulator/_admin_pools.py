"""The admin API for user pools: CreateUserPool, DescribeUserPool, UpdateUserPool,
ListUserPools, DeleteUserPool, and the pool's MFA configuration (SetUserPoolMfaConfig,
GetUserPoolMfaConfig).

Where pool settings live (``pools.settings``, read by other modules):

* ``MfaConfiguration`` (OFF, ON, OPTIONAL), ``SmsMfaConfiguration``,
  ``SoftwareTokenMfaConfiguration`` (``{"Enabled": bool}``) and
  ``EmailMfaConfiguration``, as SetUserPoolMfaConfig sent them. A member that
  SetUserPoolMfaConfig leaves out keeps its value.
* ``Policies.PasswordPolicy.TemporaryPasswordValidityDays``: how long an
  AdminCreateUser / AdminSetUserPassword(Permanent=false) password works.

Choices where Cognito's behaviour was not found or is not emulated:

* UpdateUserPool resets what the request leaves out to the defaults, as the API
  reference says Cognito does; the schema, username and alias attributes, case
  sensitivity and the MFA factor settings are kept (UpdateUserPool cannot change
  them).
* SetUserPoolMfaConfig refuses MFA ON or OPTIONAL with no factor enabled (the
  message is the emulator's own).
"""

import json

from . import _config, _errors, _factors, _pool_extras, _tokens
from ._admin import _NAME_PATTERN, _POOL, _drop_none, _page, _pool, _region, _times
from ._registry import Field, action

ACCOUNT = "000000000000"

# Members of botocore's UserPoolType / UserPoolClientType that are echoed back when set.
_POOL_MEMBERS = (
    "Policies", "DeletionProtection", "LambdaConfig", "AutoVerifiedAttributes",
    "AliasAttributes", "UsernameAttributes", "SmsVerificationMessage",
    "EmailVerificationMessage", "EmailVerificationSubject", "VerificationMessageTemplate",
    "SmsAuthenticationMessage", "UserAttributeUpdateSettings", "MfaConfiguration",
    "DeviceConfiguration", "EmailConfiguration", "SmsConfiguration", "UserPoolTags",
    "AdminCreateUserConfig", "UserPoolAddOns", "UsernameConfiguration",
    "AccountRecoverySetting", "UserPoolTier", "Domain", "CustomDomain",
)  # fmt: skip
# What UpdateUserPool may change; the rest of the pool is kept as it is.
_POOL_UPDATABLE = (
    "Policies", "DeletionProtection", "LambdaConfig", "AutoVerifiedAttributes",
    "SmsVerificationMessage", "EmailVerificationMessage", "EmailVerificationSubject",
    "VerificationMessageTemplate", "SmsAuthenticationMessage", "UserAttributeUpdateSettings",
    "MfaConfiguration", "DeviceConfiguration", "EmailConfiguration", "SmsConfiguration",
    "UserPoolTags", "AdminCreateUserConfig", "UserPoolAddOns", "AccountRecoverySetting",
    "PoolName", "UserPoolTier",
)  # fmt: skip
_POOL_DEFAULTS = {
    "DeletionProtection": "INACTIVE",
    "LambdaConfig": {},
    "MfaConfiguration": "OFF",
    "EmailConfiguration": {"EmailSendingAccount": "COGNITO_DEFAULT"},
    "VerificationMessageTemplate": {"DefaultEmailOption": "CONFIRM_WITH_CODE"},
    "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": False, "UnusedAccountValidityDays": 7},
    "UserPoolTier": "ESSENTIALS",
}
_MFA_MEMBERS = (
    "SmsMfaConfiguration", "SoftwareTokenMfaConfiguration", "EmailMfaConfiguration",
    "WebAuthnConfiguration",
)  # fmt: skip
_POOL_FIELDS = [
    Field("Policies", "object"), Field("DeletionProtection", choices=["ACTIVE", "INACTIVE"]),
    Field("LambdaConfig", "object"), Field("AutoVerifiedAttributes", "strings"),
    Field("SmsVerificationMessage", max_len=140), Field("EmailVerificationMessage"),
    Field("EmailVerificationSubject", max_len=140),
    Field("VerificationMessageTemplate", "object"), Field("SmsAuthenticationMessage"),
    Field("UserAttributeUpdateSettings", "object"),
    Field("MfaConfiguration", choices=["OFF", "ON", "OPTIONAL"]),
    Field("DeviceConfiguration", "object"), Field("EmailConfiguration", "object"),
    Field("SmsConfiguration", "object"), Field("UserPoolTags", "map"),
    Field("AdminCreateUserConfig", "object"), Field("UserPoolAddOns", "object"),
    Field("AccountRecoverySetting", "object"),
    Field("UserPoolTier", choices=["LITE", "ESSENTIALS", "PLUS"]),
]  # fmt: skip


# Pools -------------------------------------------------------------------------------


def _schema_attributes(schema):
    result = []
    for name, spec in schema.items():
        entry = {
            "Name": name,
            "AttributeDataType": spec["AttributeDataType"],
            "DeveloperOnlyAttribute": spec.get("DeveloperOnlyAttribute", False),
            "Mutable": spec["Mutable"],
            "Required": spec["Required"] or name == "sub",
        }
        if spec["AttributeDataType"] == "String":
            entry["StringAttributeConstraints"] = {
                "MinLength": "1" if name == "sub" else "0", "MaxLength": "2048",
            }  # fmt: skip
            entry["StringAttributeConstraints"].update(spec.get("StringAttributeConstraints", {}))
        elif spec["AttributeDataType"] == "Number":
            entry["NumberAttributeConstraints"] = dict(spec.get("NumberAttributeConstraints", {}))
        result.append(entry)
    return result


def _pool_shape(ctx, pool):
    created, modified = _times(ctx, "pools", pool["Id"])
    region = pool["Id"].split("_", 1)[0]
    shape = {
        "Id": pool["Id"],
        "Name": pool["Name"],
        "Arn": "arn:aws:cognito-idp:%s:%s:userpool/%s" % (region, ACCOUNT, pool["Id"]),
        "Status": "Enabled",
        "CreationDate": created,
        "LastModifiedDate": modified,
        "SchemaAttributes": _schema_attributes(pool["Schema"]),
        "EstimatedNumberOfUsers": ctx.store.one(
            "SELECT count(*) AS n FROM users WHERE pool_id = ?", (pool["Id"],)
        )["n"],
    }
    for key, value in _POOL_DEFAULTS.items():
        shape[key] = value
    for key in _POOL_MEMBERS:
        value = pool.get(key)
        if value is None or (key in ("AliasAttributes", "UsernameAttributes") and not value):
            continue
        shape[key] = value
    return shape


def _save_pool(ctx, pool_id, settings):
    ctx.store.run(
        "UPDATE pools SET name = ?, settings = ?, modified = ? WHERE id = ?",
        (settings["PoolName"], json.dumps(settings), ctx.now(), pool_id),
    )


@action(
    "CreateUserPool",
    fields=[
        Field("PoolName", required=True, min_len=1, max_len=128, pattern=_NAME_PATTERN),
        Field("AliasAttributes", "strings"), Field("UsernameAttributes", "strings"),
        Field("UsernameConfiguration", "object"), *_POOL_FIELDS,
    ],
    public=False,
)  # fmt: skip
def create_user_pool(ctx, body):
    """CreateUserPool: a new pool with its own signing keys."""
    _pool_extras.check_tags(body.get("UserPoolTags") or {})
    settings = _config.normalize_pool(body)
    pool_id = _config.new_pool_id(_region(ctx))
    now = ctx.now()
    ctx.store.insert_pool(pool_id, settings["PoolName"], settings, now)
    _tokens.make_pool_keys(ctx.store, pool_id, now)
    return {"UserPool": _pool_shape(ctx, ctx.store.get_pool(pool_id))}


@action("DescribeUserPool", fields=[_POOL], public=False)
def describe_user_pool(ctx, body):
    """DescribeUserPool: the pool's settings."""
    return {"UserPool": _pool_shape(ctx, _pool(ctx, body["UserPoolId"]))}


def _schema_list(schema):
    return [
        {"Name": name, "AttributeDataType": spec["AttributeDataType"],
         "Required": spec["Required"], "Mutable": spec["Mutable"]}
        for name, spec in schema.items()
    ]  # fmt: skip


@action(
    "UpdateUserPool",
    fields=[_POOL, Field("PoolName", min_len=1, max_len=128, pattern=_NAME_PATTERN),
            *_POOL_FIELDS],
    public=False,
)  # fmt: skip
def update_user_pool(ctx, body):
    """UpdateUserPool: replace the updatable settings (what is left out gets its default)."""
    pool = _pool(ctx, body["UserPoolId"])
    request = {key: body[key] for key in _POOL_UPDATABLE if body.get(key) is not None}
    request.setdefault("PoolName", pool["Name"])
    for key in ("UsernameAttributes", "AliasAttributes", "UsernameConfiguration",
                "AuthSessionValidity", *_MFA_MEMBERS):  # fmt: skip
        if pool.get(key) is not None:
            request[key] = pool[key]
    request["Schema"] = _schema_list(pool["Schema"])
    _save_pool(ctx, pool["Id"], _config.normalize_pool(request))
    return {}


@action(
    "ListUserPools",
    fields=[Field("MaxResults", "integer", required=True),
            Field("NextToken", min_len=1, max_len=131072)],
    public=False,
)  # fmt: skip
def list_user_pools(ctx, body):
    """ListUserPools: pools oldest first, MaxResults (1-60) at a time."""
    limit = body["MaxResults"]
    if not 1 <= limit <= 60:
        raise _errors.InvalidParameter(
            "1 validation error detected: Value '%d' at 'maxResults' failed to satisfy "
            "constraint: Member must have value %s" % (
                limit, "less than or equal to 60" if limit > 60 else "greater than or equal to 1")
        )  # fmt: skip
    rows = ctx.store.all("SELECT id, name, created, modified FROM pools ORDER BY created, id")
    page, token = _page(rows, lambda row: (row["created"], row["id"]), limit,
                        body.get("NextToken"))  # fmt: skip
    answer = {
        "UserPools": [
            {"Id": row["id"], "Name": row["name"], "LambdaConfig": {}, "Status": "Enabled",
             "CreationDate": row["created"], "LastModifiedDate": row["modified"]}
            for row in page
        ]
    }  # fmt: skip
    if token:
        answer["NextToken"] = token
    return answer


@action("DeleteUserPool", fields=[_POOL], public=False)
def delete_user_pool(ctx, body):
    """DeleteUserPool: the pool, its keys, clients, users, codes, sessions and outbox."""
    pool = _pool(ctx, body["UserPoolId"])
    if pool.get("DeletionProtection") == "ACTIVE":
        raise _errors.InvalidParameter(
            "The user pool cannot be deleted because deletion protection is activated. "
            "Deletion protection must be inactivated first."
        )
    for table in ("challenges", "messages", "token_families"):
        ctx.store.run("DELETE FROM %s WHERE pool_id = ?" % table, (pool["Id"],))
    # Keys, clients and users (with their codes) go by foreign-key cascade.
    ctx.store.run("DELETE FROM pools WHERE id = ?", (pool["Id"],))
    return {}


# MFA configuration -------------------------------------------------------------------


def _mfa_shape(pool):
    answer = {"MfaConfiguration": pool.get("MfaConfiguration") or "OFF"}
    sms = pool.get("SmsMfaConfiguration")
    if sms is None and pool.get("SmsConfiguration"):
        sms = _drop_none({
            "SmsAuthenticationMessage": pool.get("SmsAuthenticationMessage"),
            "SmsConfiguration": pool["SmsConfiguration"],
        })  # fmt: skip
    if sms is not None:
        answer["SmsMfaConfiguration"] = sms
    answer["SoftwareTokenMfaConfiguration"] = pool.get("SoftwareTokenMfaConfiguration") or {
        "Enabled": False
    }
    for key in ("EmailMfaConfiguration", "WebAuthnConfiguration"):
        if pool.get(key) is not None:
            answer[key] = pool[key]
    return answer


@action(
    "SetUserPoolMfaConfig",
    fields=[
        _POOL, Field("SmsMfaConfiguration", "object"),
        Field("SoftwareTokenMfaConfiguration", "object"), Field("EmailMfaConfiguration", "object"),
        Field("MfaConfiguration", choices=["OFF", "ON", "OPTIONAL"]),
        Field("WebAuthnConfiguration", "object"),
    ],
    public=False,
)  # fmt: skip
def set_user_pool_mfa_config(ctx, body):
    """SetUserPoolMfaConfig: MFA on/off/optional and which factors the pool offers."""
    pool = _pool(ctx, body["UserPoolId"])
    _factors.check_mfa_config(pool, body)
    totp = body.get("SoftwareTokenMfaConfiguration")
    if totp is not None and not isinstance(totp.get("Enabled", False), bool):
        raise _errors.Serialization(
            "Value at 'softwareTokenMfaConfiguration.enabled' must be a boolean."
        )
    for key in _MFA_MEMBERS:
        if body.get(key) is not None:
            pool[key] = body[key]
    if body.get("MfaConfiguration") is not None:
        pool["MfaConfiguration"] = body["MfaConfiguration"]
    shape = _mfa_shape(pool)
    factors = (
        shape["SoftwareTokenMfaConfiguration"].get("Enabled")
        or "SmsMfaConfiguration" in shape
        or "EmailMfaConfiguration" in shape
    )
    if shape["MfaConfiguration"] != "OFF" and not factors:
        raise _errors.InvalidParameter(
            "MFA cannot be turned %s without enabling at least one MFA factor "
            "(SMS, software token or email)." % shape["MfaConfiguration"]
        )
    settings = {key: value for key, value in pool.items() if key not in ("Id", "Name")}
    _save_pool(ctx, pool["Id"], settings)
    return shape


@action("GetUserPoolMfaConfig", fields=[_POOL], public=False)
def get_user_pool_mfa_config(ctx, body):
    """GetUserPoolMfaConfig: what SetUserPoolMfaConfig (or CreateUserPool) set."""
    return _mfa_shape(_pool(ctx, body["UserPoolId"]))
