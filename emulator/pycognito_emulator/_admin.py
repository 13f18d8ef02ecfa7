"""The admin API: pools, app clients, MFA configuration and users, as boto3 and the AWS
CLI send them (signed with SigV4; every action here is ``public=False``).

Pools: CreateUserPool, DescribeUserPool, UpdateUserPool, ListUserPools,
DeleteUserPool. Clients: CreateUserPoolClient, DescribeUserPoolClient,
ListUserPoolClients, UpdateUserPoolClient, DeleteUserPoolClient. MFA:
SetUserPoolMfaConfig, GetUserPoolMfaConfig. Users: AdminCreateUser, AdminGetUser,
AdminConfirmSignUp, AdminSetUserPassword, AdminDeleteUser, AdminUpdateUserAttributes,
AdminDeleteUserAttributes, AdminDisableUser, AdminEnableUser, AdminResetUserPassword,
AdminUserGlobalSignOut, ListUsers. Sign-in: AdminInitiateAuth
(ADMIN_USER_PASSWORD_AUTH, ADMIN_NO_SRP_AUTH, and the ``_auth.FLOWS`` other than
USER_PASSWORD_AUTH) and AdminRespondToAuthChallenge (every ``_auth.CHALLENGES``).

Answers follow botocore's service model: timestamps are epoch seconds (numbers),
users are ``{Username, Attributes|UserAttributes, UserCreateDate,
UserLastModifiedDate, Enabled, UserStatus}``.

Where pool settings live (``pools.settings``, read by other modules):

* ``MfaConfiguration`` (OFF, ON, OPTIONAL), ``SmsMfaConfiguration``,
  ``SoftwareTokenMfaConfiguration`` (``{"Enabled": bool}``) and
  ``EmailMfaConfiguration``, as SetUserPoolMfaConfig sent them. A member that
  SetUserPoolMfaConfig leaves out keeps its value.
* ``Policies.PasswordPolicy.TemporaryPasswordValidityDays``: how long an
  AdminCreateUser / AdminSetUserPassword(Permanent=false) password works.

Choices where Cognito's behaviour was not found or is not emulated:

* UpdateUserPool and UpdateUserPoolClient reset what the request leaves out to the
  defaults, as the API reference says Cognito does; the schema, username and alias
  attributes, case sensitivity and the MFA factor settings are kept (UpdateUserPool
  cannot change them).
* AdminCreateUser refuses a user without the pool's required attributes, as
  Cognito does today (aws-amplify/amplify-backend#3117); the temporary password,
  generated when absent, goes to the outbox as an ``invitation`` message (its
  ``code`` is the password) by the DesiredDeliveryMediums (default SMS) the user has
  an address for, else by any address the user has; it is never printed on the
  console.
* ListUsers pages through users oldest first; a pagination token is opaque.
* SetUserPoolMfaConfig refuses MFA ON or OPTIONAL with no factor enabled (the
  message is the emulator's own).
"""

import base64
import binascii
import json
import re
import secrets
import string
import uuid

from . import _auth, _common, _config, _errors, _factors, _rotation, _tokens
from ._registry import USERNAME_PATTERN, Field, action
from ._store import User

_POOL_ID_PATTERN = (r"^[\w-]+_[0-9a-zA-Z]+$", r"[\w-]+_[0-9a-zA-Z]+")
_POOL = Field("UserPoolId", required=True, min_len=1, max_len=55, pattern=_POOL_ID_PATTERN)
_CLIENT = Field("ClientId", required=True, min_len=1, max_len=128,
                pattern=(r"^[\w+]+$", r"[\w+]+"))  # fmt: skip
_USERNAME = Field("Username", required=True, min_len=1, max_len=128, pattern=USERNAME_PATTERN)
_PASSWORD_PATTERN = (r"^\S(.*\S)?$", r"^[\S]+.*[\S]+$")
_METADATA = Field("ClientMetadata", "map")
ACCOUNT = "000000000000"
DEFAULT_PAGE = 60
_SEARCHABLE = (
    "username", "email", "phone_number", "name", "given_name", "family_name",
    "preferred_username", "cognito:user_status", "status", "sub",
)  # fmt: skip
_FILTER = re.compile(r'^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$', re.S)

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
_CLIENT_MEMBERS = (
    "RefreshTokenValidity", "AccessTokenValidity", "IdTokenValidity", "TokenValidityUnits",
    "ReadAttributes", "WriteAttributes", "ExplicitAuthFlows", "SupportedIdentityProviders",
    "CallbackURLs", "LogoutURLs", "DefaultRedirectURI", "AllowedOAuthFlows",
    "AllowedOAuthScopes", "AllowedOAuthFlowsUserPoolClient", "AnalyticsConfiguration",
    "PreventUserExistenceErrors", "EnableTokenRevocation",
    "EnablePropagateAdditionalUserContextData", "AuthSessionValidity", "RefreshTokenRotation",
)  # fmt: skip
_CLIENT_FIELDS = [
    Field("RefreshTokenValidity", "integer"), Field("AccessTokenValidity", "integer"),
    Field("IdTokenValidity", "integer"), Field("TokenValidityUnits", "object"),
    Field("ReadAttributes", "strings"), Field("WriteAttributes", "strings"),
    Field("ExplicitAuthFlows", "strings"), Field("SupportedIdentityProviders", "strings"),
    Field("CallbackURLs", "strings"), Field("LogoutURLs", "strings"),
    Field("DefaultRedirectURI", max_len=1024), Field("AllowedOAuthFlows", "strings"),
    Field("AllowedOAuthScopes", "strings"), Field("AllowedOAuthFlowsUserPoolClient", "boolean"),
    Field("AnalyticsConfiguration", "object"),
    Field("PreventUserExistenceErrors", choices=["LEGACY", "ENABLED"]),
    Field("EnableTokenRevocation", "boolean"),
    Field("EnablePropagateAdditionalUserContextData", "boolean"),
    Field("AuthSessionValidity", "integer"), Field("RefreshTokenRotation", "object"),
]  # fmt: skip
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
_NAME_PATTERN = (r"^[\w\s+=,.@-]+$", r"[\w\s+=,.@-]+")


# Helpers -----------------------------------------------------------------------------


def _region(ctx):
    signer = getattr(ctx.request, "signer", None) if ctx.request is not None else None
    return getattr(signer, "region", None) or ctx.settings.region


def _pool(ctx, pool_id):
    pool = ctx.store.get_pool(pool_id)
    if pool is None:
        raise _errors.ResourceNotFound("User pool %s does not exist." % pool_id)
    return pool


def _pool_client(ctx, pool_id, client_id):
    pool = _pool(ctx, pool_id)
    client = ctx.store.get_client(client_id)
    if client is None or client["UserPoolId"] != pool_id:
        raise _errors.ResourceNotFound("User pool client %s does not exist." % client_id)
    return pool, client


def _user(ctx, pool, name):
    """The user an admin call names: username, alias or sub. UserNotFound otherwise."""
    user = _common.find_user(ctx, pool, name)
    if user is None:
        by_sub = ctx.store.get_user_by_sub(name)
        if by_sub is not None and by_sub.pool_id == pool["Id"]:
            user = by_sub
    if user is None:
        raise _errors.UserNotFound(_errors.USER_DOES_NOT_EXIST)
    return user


def _times(ctx, table, key):
    row = ctx.store.one("SELECT created, modified FROM %s WHERE id = ?" % table, (key,))
    return row["created"], row["modified"]


def _encode_token(position):
    raw = json.dumps(position, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _page(items, position, limit, token):
    """One page of ``items`` (already sorted by ``position(item)``) after ``token``.

    Returns:
        (page, next_token or None).

    Raises:
        ServiceError: InvalidParameterException for a token this emulator did not make.
    """
    if token is not None:
        try:
            padded = token + "=" * (-len(token) % 4)
            after = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            if (
                not isinstance(after, list)
                or len(after) != 2
                or not isinstance(after[0], (int, float))
                or isinstance(after[0], bool)
                or not isinstance(after[1], str)
            ):
                raise ValueError("not a position")
        except (ValueError, binascii.Error, UnicodeError, RecursionError):
            raise _errors.InvalidParameter("Invalid pagination token.") from None
        items = [item for item in items if list(position(item)) > after]
    page = items[:limit]
    more = len(items) > limit
    return page, (_encode_token(list(position(page[-1]))) if more and page else None)


def _admin_client(pool):
    # The admin writes every attribute, the verified flags included (not sub).
    return {"WriteAttributes": [name for name in pool["Schema"] if name != "sub"]}


def _user_shape(user, attributes_member="Attributes", names=None):
    attributes = _common.visible_attributes(user)
    if names is not None:
        attributes = [item for item in attributes if item["Name"] in names]
    shape = {
        "Username": user.username,
        attributes_member: attributes,
        "UserCreateDate": user.created,
        "UserLastModifiedDate": user.modified,
        "Enabled": bool(user.enabled),
        "UserStatus": user.status,
    }
    if user.extra.get("MFAOptions"):
        shape["MFAOptions"] = user.extra["MFAOptions"]
    return shape


def _drop_none(data):
    return {key: value for key, value in data.items() if value is not None}


# Pools -------------------------------------------------------------------------------


def _schema_attributes(schema):
    result = []
    for name, spec in schema.items():
        entry = {
            "Name": name,
            "AttributeDataType": spec["AttributeDataType"],
            "DeveloperOnlyAttribute": False,
            "Mutable": spec["Mutable"],
            "Required": spec["Required"] or name == "sub",
        }
        if spec["AttributeDataType"] == "String":
            entry["StringAttributeConstraints"] = {
                "MinLength": "1" if name == "sub" else "0", "MaxLength": "2048",
            }  # fmt: skip
        elif spec["AttributeDataType"] == "Number":
            entry["NumberAttributeConstraints"] = {}
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


# App clients -------------------------------------------------------------------------


def _client_shape(ctx, client):
    created, modified = _times(ctx, "clients", client["ClientId"])
    shape = {
        "UserPoolId": client["UserPoolId"],
        "ClientName": client["ClientName"],
        "ClientId": client["ClientId"],
        "LastModifiedDate": modified,
        "CreationDate": created,
        "AuthSessionValidity": 3,
        "ClientType": "REGULAR",
        "AllowedOAuthFlowsUserPoolClient": False,
        "EnablePropagateAdditionalUserContextData": False,
    }
    if client.get("ClientSecret"):
        shape["ClientSecret"] = client["ClientSecret"]
    for key in _CLIENT_MEMBERS:
        if client.get(key) is not None:
            shape[key] = client[key]
    return shape


def _client_request(body):
    request = _drop_none(dict(body))
    request.pop("UserPoolId", None)
    if request.get("RefreshTokenValidity") == 0:  # 0 means the default
        del request["RefreshTokenValidity"]
        (request.get("TokenValidityUnits") or {}).pop("RefreshToken", None)
    _rotation.check_setting(request.get("RefreshTokenRotation"))
    validity = request.get("AuthSessionValidity")
    if validity is not None and not 3 <= validity <= 15:
        raise _errors.InvalidParameter("AuthSessionValidity must be from 3 to 15 minutes.")
    return request


@action(
    "CreateUserPoolClient",
    fields=[
        _POOL, Field("ClientName", required=True, min_len=1, max_len=128, pattern=_NAME_PATTERN),
        Field("GenerateSecret", "boolean"), Field("ClientSecret", min_len=24, max_len=64),
        *_CLIENT_FIELDS,
    ],
    public=False,
)  # fmt: skip
def create_user_pool_client(ctx, body):
    """CreateUserPoolClient: a new app client, with a generated secret if asked."""
    pool = _pool(ctx, body["UserPoolId"])
    request = _client_request(body)
    settings = _config.normalize_client(request)
    settings.pop("PublishSecretsInAWSSecretsManager", None)
    secret = None
    if body.get("GenerateSecret") or body.get("ClientSecret"):
        secret = body.get("ClientSecret") or _config.new_client_secret()
    client_id = _config.new_client_id()
    ctx.store.insert_client(client_id, pool["Id"], settings["ClientName"], secret, settings,
                            ctx.now())  # fmt: skip
    return {"UserPoolClient": _client_shape(ctx, ctx.store.get_client(client_id))}


@action("DescribeUserPoolClient", fields=[_POOL, _CLIENT], public=False)
def describe_user_pool_client(ctx, body):
    """DescribeUserPoolClient: the client's settings, its secret included."""
    _, client = _pool_client(ctx, body["UserPoolId"], body["ClientId"])
    return {"UserPoolClient": _client_shape(ctx, client)}


@action(
    "ListUserPoolClients",
    fields=[_POOL, Field("MaxResults", "integer"), Field("NextToken", min_len=1),
            Field("ClientType", choices=["REGULAR", "DCR"])],
    public=False,
)  # fmt: skip
def list_user_pool_clients(ctx, body):
    """ListUserPoolClients: the pool's clients, oldest first."""
    pool = _pool(ctx, body["UserPoolId"])
    limit = body.get("MaxResults") or DEFAULT_PAGE
    if not 1 <= limit <= 60:
        raise _errors.InvalidParameter("MaxResults must be from 1 to 60.")
    rows = ctx.store.all(
        "SELECT id, name, created FROM clients WHERE pool_id = ? ORDER BY created, id",
        (pool["Id"],),
    )
    page, token = _page(rows, lambda row: (row["created"], row["id"]), limit,
                        body.get("NextToken"))  # fmt: skip
    answer = {
        "UserPoolClients": [
            {"ClientId": row["id"], "UserPoolId": pool["Id"], "ClientName": row["name"]}
            for row in page
        ]
    }
    if token:
        answer["NextToken"] = token
    return answer


@action(
    "UpdateUserPoolClient",
    fields=[_POOL, _CLIENT, Field("ClientName", min_len=1, max_len=128, pattern=_NAME_PATTERN),
            *_CLIENT_FIELDS],
    public=False,
)  # fmt: skip
def update_user_pool_client(ctx, body):
    """UpdateUserPoolClient: replace the client's settings (left out: the default);
    the id and secret stay."""
    _, client = _pool_client(ctx, body["UserPoolId"], body["ClientId"])
    request = _client_request(body)
    request.pop("ClientId", None)
    request.setdefault("ClientName", client["ClientName"])
    settings = _config.normalize_client(request)
    settings.pop("PublishSecretsInAWSSecretsManager", None)
    ctx.store.run(
        "UPDATE clients SET name = ?, settings = ?, modified = ? WHERE id = ?",
        (settings["ClientName"], json.dumps(settings), ctx.now(), client["ClientId"]),
    )
    return {"UserPoolClient": _client_shape(ctx, ctx.store.get_client(client["ClientId"]))}


@action("DeleteUserPoolClient", fields=[_POOL, _CLIENT], public=False)
def delete_user_pool_client(ctx, body):
    """DeleteUserPoolClient: the client and its pending challenges and refresh tokens."""
    _, client = _pool_client(ctx, body["UserPoolId"], body["ClientId"])
    for table in ("challenges", "token_families"):
        ctx.store.run("DELETE FROM %s WHERE client_id = ?" % table, (client["ClientId"],))
    ctx.store.run("DELETE FROM clients WHERE id = ?", (client["ClientId"],))
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


# Users -------------------------------------------------------------------------------


def _temporary_password(pool):
    policy = pool["Policies"]["PasswordPolicy"]
    size = max(policy["MinimumLength"], 12)
    symbols = "^$*.[]{}()?!@#%&/,><:;|_~=+-"
    alphabet = string.ascii_letters + string.digits + symbols
    while True:
        chosen = [
            secrets.choice(string.ascii_uppercase), secrets.choice(string.ascii_lowercase),
            secrets.choice(string.digits), secrets.choice(symbols),
        ]  # fmt: skip
        chosen += [secrets.choice(alphabet) for _ in range(size - len(chosen))]
        secrets.SystemRandom().shuffle(chosen)
        password = "".join(chosen)
        if password[0] != " " and password[-1] != " ":
            return password


def _send_invitation(ctx, pool, user, password, mediums):
    """Put the invitation (with the temporary password) in the outbox."""
    by_medium = {"EMAIL": "email", "SMS": "phone_number"}
    targets = [
        (by_medium[medium], medium, user.attributes[by_medium[medium]])
        for medium in mediums
        if user.attributes.get(by_medium[medium])
    ]
    if not targets:
        fallback = _common.delivery_target(user, ("email", "phone_number"))
        targets = [fallback] if fallback else [(None, "NONE", "")]
    now = ctx.now()
    for _, medium, address in targets:
        ctx.store.add_message(pool["Id"], user.username, "invitation", address, password, now)
        ctx.print(
            "[outbox] invitation for %s in %s, to %s (%s); the temporary password is in "
            "/_emulator/messages" % (user.username, pool["Id"], address or "nobody", medium)
        )


def _take_alias(ctx, pool, user, force):
    """For each verified alias of a new user, take it over (force) or refuse."""
    for attribute in ("email", "phone_number"):
        if user.attributes.get(attribute + "_verified") != "true":
            continue
        other = _common.alias_owner(ctx, pool, user, attribute)
        if other is None:
            continue
        if not force:
            raise _errors.AliasExists("An account with the %s already exists." % attribute)
        other.attributes[attribute + "_verified"] = "false"
        other.modified = ctx.now()
        ctx.store.save_user(other)


@action(
    "AdminCreateUser",
    fields=[
        _POOL, _USERNAME, Field("UserAttributes", "attributes"),
        Field("ValidationData", "attributes"),
        Field("TemporaryPassword", max_len=256, pattern=_PASSWORD_PATTERN),
        Field("ForceAliasCreation", "boolean"),
        Field("MessageAction", choices=["RESEND", "SUPPRESS"]),
        Field("DesiredDeliveryMediums", "strings"), _METADATA,
    ],
    public=False,
)  # fmt: skip
def admin_create_user(ctx, body):
    """AdminCreateUser: a FORCE_CHANGE_PASSWORD user with a temporary password."""
    pool = _pool(ctx, body["UserPoolId"])
    name = body["Username"]
    mediums = body.get("DesiredDeliveryMediums") or ["SMS"]
    if any(medium not in ("SMS", "EMAIL") for medium in mediums):
        raise _errors.InvalidParameter("DesiredDeliveryMediums must be SMS or EMAIL.")
    password = body.get("TemporaryPassword")
    if password is not None:
        _common.check_password_policy(pool, password)
    else:
        password = _temporary_password(pool)
    if body.get("MessageAction") == "RESEND":
        user = _user(ctx, pool, name)
        if user.status != "FORCE_CHANGE_PASSWORD":
            raise _errors.ServiceError(
                "UnsupportedUserStateException",
                "Resend not possible. %s status is not FORCE_CHANGE_PASSWORD" % user.username,
            )
        _common.set_temporary_password(ctx, pool, user, password)
        ctx.store.save_user(user)
        _send_invitation(ctx, pool, user, password, mediums)
        return {"User": _user_shape(user)}
    attributes = _common.check_attributes(pool, _admin_client(pool), body.get("UserAttributes"))
    username = name
    by_attribute = pool["UsernameAttributes"]
    if by_attribute:
        if "email" in by_attribute and "@" in name:
            kind = "email"
        elif "phone_number" in by_attribute and re.match(r"^\+[0-9]+$", name):
            kind = "phone_number"
        else:
            raise _errors.InvalidParameter(
                "Username should be %s." % " or ".join(
                    {"email": "an email", "phone_number": "a phone number"}[item]
                    for item in by_attribute
                )
            )  # fmt: skip
        if attributes.get(kind) and attributes[kind] != name:
            raise _errors.InvalidParameter("The %s attribute must match the username." % kind)
        attributes.update(
            _common.check_attributes(pool, _admin_client(pool), [{"Name": kind, "Value": name}])
        )
        if ctx.store.users_with_attribute(pool["Id"], kind, name):
            raise _errors.UsernameExists("User account already exists")
        username = None
    else:
        if "@" in name and "email" in pool["AliasAttributes"]:
            raise _errors.InvalidParameter(
                "Username cannot be of email format, since user pool is configured for email alias."
            )
        if re.match(r"^\+[0-9]+$", name) and "phone_number" in pool["AliasAttributes"]:
            raise _errors.InvalidParameter(
                "Username cannot be of phone number format, since user pool is configured for "
                "phone number alias."
            )
        if ctx.store.get_user(pool["Id"], _common.username_key(pool, name)):
            raise _errors.UsernameExists("User account already exists")
    attributes = {key: value for key, value in attributes.items() if value != ""}
    _common.check_required(pool, attributes)
    for flag in _config.VERIFIED_FLAGS:
        if flag[: -len("_verified")] in attributes:
            attributes.setdefault(flag, "false")
    if username is None:
        username = attributes["sub"] = str(uuid.uuid4())
    user = _common.new_user(ctx, pool, username, attributes, None, "FORCE_CHANGE_PASSWORD")
    _take_alias(ctx, pool, user, body.get("ForceAliasCreation") is True)
    _common.set_temporary_password(ctx, pool, user, password)
    ctx.store.save_user(user)
    if body.get("MessageAction") != "SUPPRESS":
        _send_invitation(ctx, pool, user, password, mediums)
    return {"User": _user_shape(user)}


_POOL_USER = [_POOL, _USERNAME]


@action("AdminGetUser", fields=_POOL_USER, public=False)
def admin_get_user(ctx, body):
    """AdminGetUser: the user's attributes, status and MFA settings."""
    user = _user(ctx, _pool(ctx, body["UserPoolId"]), body["Username"])
    answer = _user_shape(user, "UserAttributes")
    for key in ("PreferredMfaSetting", "UserMFASettingList"):
        if user.extra.get(key):
            answer[key] = user.extra[key]
    return answer


@action("AdminConfirmSignUp", fields=[*_POOL_USER, _METADATA], public=False)
def admin_confirm_sign_up(ctx, body):
    """AdminConfirmSignUp: confirm an UNCONFIRMED user without a code (addresses stay
    unverified)."""
    user = _user(ctx, _pool(ctx, body["UserPoolId"]), body["Username"])
    if user.status != "UNCONFIRMED":
        raise _errors.NotAuthorized("User cannot be confirmed. Current status is %s" % user.status)
    user.status = "CONFIRMED"
    user.modified = ctx.now()
    ctx.store.delete_code(user.sub, "signup")
    ctx.store.save_user(user)
    return {}


@action(
    "AdminSetUserPassword",
    fields=[*_POOL_USER,
            Field("Password", required=True, max_len=256, pattern=_PASSWORD_PATTERN),
            Field("Permanent", "boolean")],
    public=False,
)  # fmt: skip
def admin_set_user_password(ctx, body):
    """AdminSetUserPassword: a permanent password (CONFIRMED) or a temporary one
    (FORCE_CHANGE_PASSWORD)."""
    pool = _pool(ctx, body["UserPoolId"])
    user = _user(ctx, pool, body["Username"])
    _common.check_password_policy(pool, body["Password"])
    if body.get("Permanent"):
        _common.set_password(ctx, pool, user, body["Password"])
        user.status = "CONFIRMED"
        user.extra.pop("temporary_password_expires", None)
    else:
        _common.set_temporary_password(ctx, pool, user, body["Password"])
    ctx.store.save_user(user)
    return {}


@action("AdminDeleteUser", fields=_POOL_USER, public=False)
def admin_delete_user(ctx, body):
    """AdminDeleteUser: the user, its codes and its tokens."""
    user = _user(ctx, _pool(ctx, body["UserPoolId"]), body["Username"])
    ctx.store.run("DELETE FROM challenges WHERE sub = ?", (user.sub,))
    ctx.store.delete_user(user.sub)
    return {}


@action(
    "AdminUpdateUserAttributes",
    fields=[*_POOL_USER, Field("UserAttributes", "attributes", required=True), _METADATA],
    public=False,
)
def admin_update_user_attributes(ctx, body):
    """AdminUpdateUserAttributes: change attributes, verified flags included; a changed
    email or phone number is unverified unless the request verifies it, and gets a
    code when the pool auto-verifies it."""
    pool = _pool(ctx, body["UserPoolId"])
    user = _user(ctx, pool, body["Username"])
    changes = _common.check_attributes(
        pool, _admin_client(pool), body["UserAttributes"], updating=True
    )
    to_verify = []
    for name in ("email", "phone_number"):
        value = changes.get(name)
        if value is None or value == user.attributes.get(name):
            continue
        if (
            value
            and name in pool["UsernameAttributes"]
            and any(
                other.sub != user.sub
                for other in ctx.store.users_with_attribute(pool["Id"], name, value)
            )
        ):
            raise _errors.AliasExists("An account with the given %s already exists." % name)
        if name + "_verified" not in changes:
            changes[name + "_verified"] = "false"
            if value and name in pool["AutoVerifiedAttributes"]:
                to_verify.append(name)
    for name, value in changes.items():
        if value == "":
            user.attributes.pop(name, None)
        else:
            user.attributes[name] = value
    _take_alias(ctx, pool, user, False)
    _common.check_required(pool, user.attributes)
    user.modified = ctx.now()
    ctx.store.save_user(user)
    for name in to_verify:
        _common.send_code(
            ctx, pool, user, "verify:" + name, "verify_attribute",
            _common.delivery_target(user, (name,)), _common.VERIFY_CODE_TTL,
        )  # fmt: skip
    return {}


@action(
    "AdminDeleteUserAttributes",
    fields=[*_POOL_USER, Field("UserAttributeNames", "strings", required=True)],
    public=False,
)
def admin_delete_user_attributes(ctx, body):
    """AdminDeleteUserAttributes: remove attributes (never sub or a required one)."""
    pool = _pool(ctx, body["UserPoolId"])
    user = _user(ctx, pool, body["Username"])
    for name in body["UserAttributeNames"]:
        if name not in pool["Schema"]:
            raise _errors.InvalidParameter(
                "Attributes did not conform to the schema: %s: Attribute does not exist in the "
                "schema." % name
            )
        if name == "sub" or not pool["Schema"][name]["Mutable"]:
            raise _errors.InvalidParameter(
                "Attributes did not conform to the schema: %s: Attribute cannot be updated. "
                "(changing an immutable attribute)" % name
            )
        user.attributes.pop(name, None)
        if name in ("email", "phone_number"):
            user.attributes.pop(name + "_verified", None)
    _common.check_required(pool, user.attributes)
    user.modified = ctx.now()
    ctx.store.save_user(user)
    return {}


@action("AdminDisableUser", fields=_POOL_USER, public=False)
def admin_disable_user(ctx, body):
    """AdminDisableUser: the user cannot sign in, and every token of theirs is revoked."""
    user = _user(ctx, _pool(ctx, body["UserPoolId"]), body["Username"])
    user.enabled = False
    user.modified = ctx.now()
    ctx.store.save_user(user)
    ctx.store.revoke_user_families(user.sub, ctx.now())
    return {}


@action("AdminEnableUser", fields=_POOL_USER, public=False)
def admin_enable_user(ctx, body):
    """AdminEnableUser: the user can sign in again (old tokens stay revoked)."""
    user = _user(ctx, _pool(ctx, body["UserPoolId"]), body["Username"])
    user.enabled = True
    user.modified = ctx.now()
    ctx.store.save_user(user)
    return {}


@action("AdminResetUserPassword", fields=[*_POOL_USER, _METADATA], public=False)
def admin_reset_user_password(ctx, body):
    """AdminResetUserPassword: RESET_REQUIRED, and a reset code to a verified address
    (the user then calls ConfirmForgotPassword)."""
    pool = _pool(ctx, body["UserPoolId"])
    user = _user(ctx, pool, body["Username"])
    target = _common.delivery_target(user, ("email", "phone_number"), verified_only=True)
    if target is None:
        raise _errors.InvalidParameter(
            "Cannot reset password for the user as there is no registered/verified email or "
            "phone_number"
        )
    if user.status != "UNCONFIRMED":
        user.status = "RESET_REQUIRED"
    user.modified = ctx.now()
    ctx.store.save_user(user)
    _common.send_code(
        ctx, pool, user, "forgot_password", "forgot_password", target, _common.FORGOT_CODE_TTL
    )
    return {}


@action("AdminUserGlobalSignOut", fields=_POOL_USER, public=False)
def admin_user_global_sign_out(ctx, body):
    """AdminUserGlobalSignOut: revoke every refresh token of the user and their access
    tokens."""
    user = _user(ctx, _pool(ctx, body["UserPoolId"]), body["Username"])
    ctx.store.revoke_user_families(user.sub, ctx.now())
    return {}


# ListUsers ---------------------------------------------------------------------------


def _parse_filter(pool, text):
    """A ListUsers Filter as a predicate on users (None: every user)."""
    if not text.strip():
        return None
    match = _FILTER.match(text)
    if match is None:
        raise _errors.InvalidParameter("Error while parsing filter.")
    name, operator, value = match.groups()
    value = re.sub(r"\\(.)", r"\1", value)
    if name not in _SEARCHABLE:
        raise _errors.InvalidParameter("Invalid search attribute: %s" % name)
    case_blind = name == "cognito:user_status" or (
        name == "username" and not pool["UsernameConfiguration"]["CaseSensitive"]
    )

    def field(user):
        if name == "username":
            return user.username
        if name == "cognito:user_status":
            return user.status
        if name == "status":
            return "Enabled" if user.enabled else "Disabled"
        return user.attributes.get(name)

    def matches(user):
        actual = field(user)
        if actual is None:
            return False
        wanted = value
        if case_blind:
            actual, wanted = actual.lower(), wanted.lower()
        return actual.startswith(wanted) if operator == "^=" else actual == wanted

    return matches


@action(
    "ListUsers",
    fields=[
        _POOL, Field("AttributesToGet", "strings"), Field("Limit", "integer"),
        Field("PaginationToken", min_len=1, pattern=(r"^\S+$", r"[\S]+")),
        Field("Filter", max_len=256),
    ],
    public=False,
)  # fmt: skip
def list_users(ctx, body):
    """ListUsers: users oldest first, filtered (``name = "v"`` / ``name ^= "v"``),
    ``Limit`` (default and most 60) at a time, with only ``AttributesToGet``."""
    pool = _pool(ctx, body["UserPoolId"])
    limit = body.get("Limit")
    if limit is not None and not 0 <= limit <= 60:
        raise _errors.InvalidParameter(
            "1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: "
            "Member must have value less than or equal to 60" % limit
            if limit > 60 else "Limit must be from 0 to 60."
        )  # fmt: skip
    limit = limit or DEFAULT_PAGE
    names = body.get("AttributesToGet")
    if names is not None:
        unknown = [name for name in names if name not in pool["Schema"]]
        if unknown:
            raise _errors.InvalidParameter(
                "One or more requested attributes do not exist: %s" % ", ".join(unknown[:5])
            )
    predicate = _parse_filter(pool, body.get("Filter") or "")
    rows = ctx.store.all(
        "SELECT * FROM users WHERE pool_id = ? ORDER BY created, sub", (pool["Id"],)
    )
    users = [User.from_row(row) for row in rows]
    if predicate is not None:
        users = [user for user in users if predicate(user)]
    page, token = _page(users, lambda user: (user.created, user.sub), limit,
                        body.get("PaginationToken"))  # fmt: skip
    answer = {"Users": [_user_shape(user, names=names) for user in page]}
    if token:
        answer["PaginationToken"] = token
    return answer


# Admin sign-in -----------------------------------------------------------------------

ADMIN_FLOWS = {}


def _admin_password_auth(ctx, pool, client, params, body):
    return _auth.password_sign_in(ctx, pool, client, params, "ADMIN_USER_PASSWORD_AUTH")


ADMIN_FLOWS["ADMIN_USER_PASSWORD_AUTH"] = ("ALLOW_ADMIN_USER_PASSWORD_AUTH", _admin_password_auth)
ADMIN_FLOWS["ADMIN_NO_SRP_AUTH"] = ("ALLOW_ADMIN_USER_PASSWORD_AUTH", _admin_password_auth)


def _required(params, *names):
    for name in names:
        value = params.get(name)
        if not isinstance(value, str) or not value:
            raise _errors.InvalidParameter("Missing required parameter %s" % name)
    return [params[name] for name in names]


_AUTH_EXTRAS = [
    _METADATA, Field("AnalyticsMetadata", "object"), Field("ContextData", "object"),
]  # fmt: skip


@action(
    "AdminInitiateAuth",
    fields=[
        _POOL, _CLIENT, Field("AuthFlow", required=True, choices=_auth.AUTH_FLOW_NAMES),
        Field("AuthParameters", "map"), Field("Session", min_len=20, max_len=2048),
        *_AUTH_EXTRAS,
    ],
    public=False,
)  # fmt: skip
def admin_initiate_auth(ctx, body):
    """AdminInitiateAuth: ADMIN_USER_PASSWORD_AUTH, or a user flow other than
    USER_PASSWORD_AUTH (which Cognito does not take here)."""
    pool, client = _pool_client(ctx, body["UserPoolId"], body["ClientId"])
    name = body["AuthFlow"]
    entry = ADMIN_FLOWS.get(name)
    if entry is None and name != "USER_PASSWORD_AUTH":
        entry = _auth.FLOWS.get(name)
    return _auth.start_flow(ctx, pool, client, body, entry)


@action(
    "AdminRespondToAuthChallenge",
    fields=[
        _POOL, _CLIENT, Field("ChallengeName", required=True, choices=_auth.CHALLENGE_NAMES),
        Field("ChallengeResponses", "map"), Field("Session", min_len=20, max_len=2048),
        *_AUTH_EXTRAS,
    ],
    public=False,
)  # fmt: skip
def admin_respond_to_auth_challenge(ctx, body):
    """AdminRespondToAuthChallenge: RespondToAuthChallenge, for a pool and client the
    caller names."""
    pool, client = _pool_client(ctx, body["UserPoolId"], body["ClientId"])
    handler = _auth.CHALLENGES.get(body["ChallengeName"])
    if handler is None:
        raise _errors.InvalidParameter("Invalid challenge name %s" % body["ChallengeName"])
    return handler(ctx, pool, client, body.get("ChallengeResponses") or {}, body)
