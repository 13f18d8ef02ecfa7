"""Pool and client settings: defaults, validation, ids, and the ``--config`` file.

Settings are kept in Cognito's own request shapes (CreateUserPool and
CreateUserPoolClient), normalised so that every key a handler reads is present.
The admin actions (CreateUserPool...) are meant to reuse ``normalize_pool`` and
``normalize_client``, so a pool made by the config file and one made by boto3 are
the same thing.

Defaults where Cognito's API documentation does not state one (choices, written
down as COGNITO-BEHAVIOUR.md asks):

* PasswordPolicy: MinimumLength 8 and all four character classes (the CDK's and
  the console's defaults), TemporaryPasswordValidityDays 7.
* UsernameConfiguration.CaseSensitive: true (pools created through the API without
  it are case-sensitive).
* Clients: ExplicitAuthFlows ALLOW_USER_SRP_AUTH, ALLOW_CUSTOM_AUTH and
  ALLOW_REFRESH_TOKEN_AUTH; ID and access tokens 60 minutes, refresh tokens 30
  days; PreventUserExistenceErrors LEGACY; EnableTokenRevocation true; every
  attribute readable; every attribute writable except ``email_verified`` and
  ``phone_number_verified`` (so a user cannot verify an address they do not own).

Config file (JSON)::

    {
      "region": "us-east-1",                       # optional, else --region
      "pools": [
        {
          "PoolName": "demo",                      # pools are matched by name
          "Id": "us-east-1_Demo12345",             # optional fixed id
          "Policies": {"PasswordPolicy": {"MinimumLength": 8, ...}},
          "UsernameAttributes": ["email"],         # or AliasAttributes
          "AutoVerifiedAttributes": ["email"],
          "Schema": [{"Name": "email", "Required": true},
                     {"Name": "team", "AttributeDataType": "String"}],
          "MfaConfiguration": "OFF",
          "DeviceConfiguration": {"ChallengeRequiredOnNewDevice": false,
                                  "DeviceOnlyRememberedOnUserPrompt": true},
          "clients": [
            {"ClientName": "web", "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH",
             "ALLOW_REFRESH_TOKEN_AUTH"], "GenerateSecret": false,
             "AccessTokenValidity": 60, "TokenValidityUnits": {"AccessToken": "minutes"},
             "PreventUserExistenceErrors": "ENABLED",
             "ClientId": "optionalfixedid", "ClientSecret": "optional fixed secret"}
          ]
        }
      ]
    }

Applying the file twice to the same data changes nothing: pools and clients are
found by name, their settings are brought up to date, and their ids and secrets
are kept.
"""

import json
import re
import secrets
import string

from . import _errors

STANDARD_ATTRIBUTES = (
    "address", "birthdate", "email", "email_verified", "family_name", "gender",
    "given_name", "locale", "middle_name", "name", "nickname", "phone_number",
    "phone_number_verified", "picture", "preferred_username", "profile", "sub",
    "updated_at", "website", "zoneinfo",
)  # fmt: skip
VERIFIED_FLAGS = ("email_verified", "phone_number_verified")
ALL_FLOWS = (
    "ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_CUSTOM_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_AUTH",
)  # fmt: skip
# Pre-2019 flow names, still accepted by Cognito, mapped onto the ALLOW_ ones.
LEGACY_FLOWS = {
    "ADMIN_NO_SRP_AUTH": "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "USER_PASSWORD_AUTH": "ALLOW_USER_PASSWORD_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY": "ALLOW_CUSTOM_AUTH",
}
DEFAULT_FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
_UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
_POOL_ID = re.compile(r"^[\w-]+_[0-9a-zA-Z]+$")
_ALNUM = string.ascii_letters + string.digits
_LOWER = string.ascii_lowercase + string.digits


def new_pool_id(region):
    """A fresh pool id: ``<region>_`` and nine letters or digits, as Cognito's."""
    return "%s_%s" % (region, "".join(secrets.choice(_ALNUM) for _ in range(9)))


def new_client_id():
    """A fresh app client id: 26 lower-case letters and digits."""
    return "".join(secrets.choice(_LOWER) for _ in range(26))


def new_client_secret():
    """A fresh app client secret: 51 lower-case letters and digits."""
    return "".join(secrets.choice(_LOWER) for _ in range(51))


def _bool(value, name, default):
    if value is None:
        return default
    if not isinstance(value, bool):
        raise _errors.InvalidParameter("%s must be a boolean." % name)
    return value


def _int(value, name, default, low, high):
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _errors.InvalidParameter("%s must be an integer from %d to %d." % (name, low, high))
    return value


def _names(value, name, allowed):
    if value is None:
        return []
    if not isinstance(value, list) or any(item not in allowed for item in value):
        raise _errors.InvalidParameter(
            "%s must be a list of: %s." % (name, ", ".join(sorted(allowed)))
        )
    return list(dict.fromkeys(value))


def normalize_pool(request):
    """Fill in and check a CreateUserPool-shaped dict.

    Args:
        request: the CreateUserPool request (``PoolName`` and optional settings).

    Returns:
        A new dict with every setting the handlers read.

    Raises:
        ServiceError: InvalidParameterException naming the first bad setting.
    """
    if not isinstance(request, dict):
        raise _errors.InvalidParameter("A user pool must be a JSON object.")
    name = request.get("PoolName")
    if not isinstance(name, str) or not 1 <= len(name) <= 128:
        raise _errors.InvalidParameter("PoolName must be a string of 1 to 128 characters.")
    policy = ((request.get("Policies") or {}).get("PasswordPolicy")) or {}
    password_policy = {
        "MinimumLength": _int(policy.get("MinimumLength"), "MinimumLength", 8, 6, 99),
        "RequireUppercase": _bool(policy.get("RequireUppercase"), "RequireUppercase", True),
        "RequireLowercase": _bool(policy.get("RequireLowercase"), "RequireLowercase", True),
        "RequireNumbers": _bool(policy.get("RequireNumbers"), "RequireNumbers", True),
        "RequireSymbols": _bool(policy.get("RequireSymbols"), "RequireSymbols", True),
        "TemporaryPasswordValidityDays": _int(
            policy.get("TemporaryPasswordValidityDays"), "TemporaryPasswordValidityDays",
            7, 0, 365,
        ),
    }  # fmt: skip
    username_attributes = _names(
        request.get("UsernameAttributes"), "UsernameAttributes", {"email", "phone_number"}
    )
    alias_attributes = _names(
        request.get("AliasAttributes"), "AliasAttributes",
        {"email", "phone_number", "preferred_username"},
    )  # fmt: skip
    if username_attributes and alias_attributes:
        raise _errors.InvalidParameter(
            "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool."
        )
    auto_verified = _names(
        request.get("AutoVerifiedAttributes"), "AutoVerifiedAttributes", {"email", "phone_number"}
    )
    mfa = request.get("MfaConfiguration") or "OFF"
    if mfa not in ("OFF", "ON", "OPTIONAL"):
        raise _errors.InvalidParameter("MfaConfiguration must be OFF, ON or OPTIONAL.")
    device = request.get("DeviceConfiguration")
    if device is not None:
        if not isinstance(device, dict):
            raise _errors.InvalidParameter("DeviceConfiguration must be an object.")
        device = {
            "ChallengeRequiredOnNewDevice": _bool(
                device.get("ChallengeRequiredOnNewDevice"), "ChallengeRequiredOnNewDevice", False
            ),
            "DeviceOnlyRememberedOnUserPrompt": _bool(
                device.get("DeviceOnlyRememberedOnUserPrompt"),
                "DeviceOnlyRememberedOnUserPrompt", False,
            ),
        }  # fmt: skip
    case = (request.get("UsernameConfiguration") or {}).get("CaseSensitive")
    settings = {
        "PoolName": name,
        # SignInPolicy (AllowedFirstAuthFactors) is kept as sent, for USER_AUTH.
        "Policies": dict(request.get("Policies") or {}, PasswordPolicy=password_policy),
        "UsernameAttributes": username_attributes,
        "AliasAttributes": alias_attributes,
        "AutoVerifiedAttributes": auto_verified,
        "Schema": _normalize_schema(request.get("Schema")),
        "MfaConfiguration": mfa,
        "DeviceConfiguration": device,
        "UsernameConfiguration": {"CaseSensitive": _bool(case, "CaseSensitive", True)},
        "AuthSessionValidity": _int(
            request.get("AuthSessionValidity"), "AuthSessionValidity", 3, 3, 15
        ),
    }
    # Keep anything else the caller sent (admin Describe* may echo it back).
    for key, value in request.items():
        if key not in settings and key not in ("clients", "Clients", "Id"):
            settings[key] = value
    return settings


def _normalize_schema(schema):
    """The pool's attribute schema as {name: {Required, Mutable, AttributeDataType}}."""
    result = {
        name: {"AttributeDataType": "String", "Required": False, "Mutable": True}
        for name in STANDARD_ATTRIBUTES
    }
    result["sub"]["Mutable"] = False
    result["email_verified"]["AttributeDataType"] = "Boolean"
    result["phone_number_verified"]["AttributeDataType"] = "Boolean"
    if schema is None:
        return result
    if not isinstance(schema, list):
        raise _errors.InvalidParameter("Schema must be a list of attributes.")
    for item in schema:
        if not isinstance(item, dict) or not isinstance(item.get("Name"), str):
            raise _errors.InvalidParameter("Each Schema entry needs a Name.")
        name = item["Name"]
        if name not in STANDARD_ATTRIBUTES and not name.startswith("custom:"):
            name = "custom:" + name
        if not re.match(r"^[\w:-]{1,32}$", name.split(":", 1)[-1]):
            raise _errors.InvalidParameter("Invalid attribute name %s." % name)
        kind = item.get("AttributeDataType") or "String"
        if kind not in ("String", "Number", "DateTime", "Boolean"):
            raise _errors.InvalidParameter("Invalid AttributeDataType for %s." % name)
        entry = {
            "AttributeDataType": kind,
            "Required": _bool(item.get("Required"), "Required", False),
            "Mutable": _bool(item.get("Mutable"), "Mutable", True),
        }
        if name.startswith("custom:") and entry["Required"]:
            raise _errors.InvalidParameter("Required custom attributes are not supported.")
        result[name] = entry
    return result


def check_refresh_rotation(value):
    """Check an app client's RefreshTokenRotation (CreateUserPoolClient,
    UpdateUserPoolClient, ``--config``) as botocore's RefreshTokenRotationType says;
    ``_rotation`` acts on it.

    Args:
        value: the member, or None when left out.

    Raises:
        ServiceError: SerializationException for a wrongly typed member;
            InvalidParameterException (Cognito's validation wording) for a missing
            Feature, an unknown Feature or a grace period outside 0-60.
    """
    if value is None:
        return
    if not isinstance(value, dict):
        raise _errors.Serialization("Value at 'refreshTokenRotation' must be an object.")
    unknown = sorted(set(value) - {"Feature", "RetryGracePeriodSeconds"})
    if unknown:
        raise _errors.Serialization(
            "Unknown member at 'refreshTokenRotation': %s." % ", ".join(unknown)
        )
    feature = value.get("Feature")
    grace = value.get("RetryGracePeriodSeconds")
    if feature is not None and not isinstance(feature, str):
        raise _errors.Serialization("Value at 'refreshTokenRotation.feature' must be a string.")
    if grace is not None and (not isinstance(grace, int) or isinstance(grace, bool)):
        raise _errors.Serialization(
            "Value at 'refreshTokenRotation.retryGracePeriodSeconds' must be an integer."
        )
    problems = []
    if feature is None:
        problems.append(("refreshTokenRotation.feature", "Member must not be null"))
    elif feature not in ("ENABLED", "DISABLED"):
        problems.append(
            (
                "refreshTokenRotation.feature",
                "Member must satisfy enum value set: [ENABLED, DISABLED]",
            )
        )
    if grace is not None and grace < 0:
        problems.append(
            ("refreshTokenRotation.retryGracePeriodSeconds",
             "Member must have value greater than or equal to 0")
        )  # fmt: skip
    elif grace is not None and grace > 60:
        problems.append(
            ("refreshTokenRotation.retryGracePeriodSeconds",
             "Member must have value less than or equal to 60")
        )  # fmt: skip
    if problems:
        raise _errors.InvalidParameter(
            "%d validation error%s detected: %s"
            % (
                len(problems),
                "" if len(problems) == 1 else "s",
                "; ".join("Value at '%s' failed to satisfy constraint: %s" % p for p in problems),
            )
        )


def normalize_client(request):
    """Fill in and check a CreateUserPoolClient-shaped dict.

    Args:
        request: the CreateUserPoolClient request (``ClientName`` and settings).

    Returns:
        A new dict with every setting the handlers read (no id or secret).

    Raises:
        ServiceError: InvalidParameterException naming the first bad setting.
    """
    if not isinstance(request, dict):
        raise _errors.InvalidParameter("An app client must be a JSON object.")
    name = request.get("ClientName")
    if not isinstance(name, str) or not 1 <= len(name) <= 128:
        raise _errors.InvalidParameter("ClientName must be a string of 1 to 128 characters.")
    flows = request.get("ExplicitAuthFlows")
    flows = DEFAULT_FLOWS if flows is None else flows
    flows = _names(flows, "ExplicitAuthFlows", set(ALL_FLOWS) | set(LEGACY_FLOWS))
    flows = list(dict.fromkeys(LEGACY_FLOWS.get(flow, flow) for flow in flows))
    units = dict(request.get("TokenValidityUnits") or {})
    validity = {}
    for key, default, unit, low, high in (
        ("AccessToken", 60, "minutes", 300, 86400),
        ("IdToken", 60, "minutes", 300, 86400),
        ("RefreshToken", 30, "days", 3600, 315360000),
    ):
        value = request.get(key + "Validity")
        if value is None:
            value, units[key] = default, unit
        # A number without a unit counts in hours (ID, access) or days (refresh).
        units.setdefault(key, "days" if key == "RefreshToken" else "hours")
        if units[key] not in _UNIT_SECONDS or isinstance(value, bool):
            raise _errors.InvalidParameter("Invalid TokenValidityUnits for %s." % key)
        if not isinstance(value, int) or not low <= value * _UNIT_SECONDS[units[key]] <= high:
            raise _errors.InvalidParameter("Invalid %sValidity." % key)
        validity[key + "Validity"] = value
    check_refresh_rotation(request.get("RefreshTokenRotation"))
    prevent = request.get("PreventUserExistenceErrors") or "LEGACY"
    if prevent not in ("LEGACY", "ENABLED"):
        raise _errors.InvalidParameter("PreventUserExistenceErrors must be LEGACY or ENABLED.")
    settings = {
        "ClientName": name,
        "ExplicitAuthFlows": flows,
        "TokenValidityUnits": units,
        "PreventUserExistenceErrors": prevent,
        "EnableTokenRevocation": _bool(
            request.get("EnableTokenRevocation"), "EnableTokenRevocation", True
        ),
        "ReadAttributes": request.get("ReadAttributes"),
        "WriteAttributes": request.get("WriteAttributes"),
    }
    settings.update(validity)
    for key, value in request.items():
        if key not in settings and key not in ("GenerateSecret", "ClientId", "ClientSecret"):
            settings[key] = value
    return settings


def token_seconds(client, kind):
    """How long a token lives for a client.

    Args:
        client: normalised client settings.
        kind: ``AccessToken``, ``IdToken`` or ``RefreshToken``.

    Returns:
        The validity in seconds.
    """
    return client[kind + "Validity"] * _UNIT_SECONDS[client["TokenValidityUnits"][kind]]


def load_config(path):
    """Read a ``--config`` file.

    Raises:
        ValueError: the file is not JSON or not shaped as documented above.
    """
    with open(path, encoding="utf-8") as handle:
        config = json.load(handle)
    if not isinstance(config, dict) or not isinstance(config.get("pools", []), list):
        raise ValueError('the config must be an object with a "pools" list')
    return config


def apply_config(store, config, region, now, make_keys):
    """Create or update the config's pools and clients, by name.

    Args:
        store: the open Store (a transaction is opened here).
        config: the dict from ``load_config``.
        region: region for new pool ids when the config has no ``region``.
        now: the current time (epoch seconds).
        make_keys: ``make_keys(store, pool_id, now)`` creates a new pool's signing keys.

    Returns:
        ``{"pools": [{"name", "id", "clients": [{"name", "id", "secret"}]}]}``,
        secret None for clients without one.

    Raises:
        ValueError: a setting is invalid, or a fixed id is malformed or taken; nothing
            of the config is applied then.
    """
    try:
        return _apply(store, config, config.get("region") or region, now, make_keys)
    except _errors.ServiceError as error:
        # Raised outside the transaction's ServiceError commit rule: roll back all.
        raise ValueError(error.message) from None


def _apply(store, config, region, now, make_keys):
    summary = []
    with store.transaction(rollback_service_errors=True):
        for request in config.get("pools", []):
            settings = normalize_pool(request)
            existing = store.find_pool_by_name(settings["PoolName"])
            if existing is None:
                pool_id = request.get("Id") or new_pool_id(region)
                if not _POOL_ID.match(pool_id) or store.get_pool(pool_id):
                    raise ValueError("pool id %r is malformed or taken" % pool_id)
                store.insert_pool(pool_id, settings["PoolName"], settings, now)
                make_keys(store, pool_id, now)
            else:
                pool_id = existing["Id"]
                store.run(
                    "UPDATE pools SET settings = ?, modified = ? WHERE id = ?",
                    (json.dumps(settings), now, pool_id),
                )
            clients = []
            by_name = {client["ClientName"]: client for client in store.list_clients(pool_id)}
            for client_request in request.get("clients", request.get("Clients", [])):
                client_settings = normalize_client(client_request)
                client = by_name.get(client_settings["ClientName"])
                if client is None:
                    client_id = client_request.get("ClientId") or new_client_id()
                    secret = client_request.get("ClientSecret")
                    if secret is None and client_request.get("GenerateSecret"):
                        secret = new_client_secret()
                    store.insert_client(
                        client_id, pool_id, client_settings["ClientName"], secret,
                        client_settings, now,
                    )  # fmt: skip
                else:
                    client_id, secret = client["ClientId"], client.get("ClientSecret")
                    store.run(
                        "UPDATE clients SET settings = ?, modified = ? WHERE id = ?",
                        (json.dumps(client_settings), now, client_id),
                    )
                clients.append(
                    {"name": client_settings["ClientName"], "id": client_id, "secret": secret}
                )
            summary.append({"name": settings["PoolName"], "id": pool_id, "clients": clients})
    return {"pools": summary}
