"""Per-pool and per-client settings that Cognito stores and gives back: UI
customization, risk configuration, log delivery, session configuration, and the
pool's SAML signing certificate.

Each is a ``pool_documents`` row (kinds ``ui``, ``risk``, ``log_delivery``,
``session``, ``client_session``, ``signing_certificate``), keyed by the client id, or
``ALL`` for the pool-wide one.

* SetUICustomization / GetUICustomization: CSS (131,072 characters at most) and a logo
  (``ImageFile``, PNG or JPEG, 100 kB at most); the pool needs a domain first, as in
  Cognito. The logo is not served: ``ImageUrl`` names where Cognito's CDN would.
  Nothing set: the answer names only the pool and ``ALL``.
* SetRiskConfiguration / DescribeRiskConfiguration: need threat protection on
  (``UserPoolAddOns.AdvancedSecurityMode`` AUDIT or ENFORCED), else
  UserPoolAddOnNotEnabledException; actions and event filters checked against the
  model's enums, IP ranges as CIDR blocks (200 each). The emulator keeps them but
  assesses no risk (README: what does nothing offline).
* SetLogDeliveryConfiguration / GetLogDeliveryConfiguration: up to 2 configurations,
  one destination each; ``userNotification`` logs at ERROR, ``userAuthEvents`` at
  INFO or ERROR and only in the PLUS tier (FeatureUnavailableInTierException). Nothing
  is delivered offline.
* Set/GetUserPoolSessionConfiguration (UserSessionTracking, TokenSession.MaxPerUser
  1-100) and Set/GetUserPoolClientSessionConfiguration (SSOSession.MaxValidityMinutes
  0-129600): stored and given back.
* GetSigningCertificate: a self-signed X.509 certificate (base64 DER, as Cognito
  gives it) over the pool's ID-token key, made once and kept.
"""

import base64
import binascii
import datetime
import hashlib
import ipaddress

from . import _documents, _errors
from ._documents import POOL
from ._registry import Field, action

_CLIENT_PATTERN = (r"^[\w+]+$", r"[\w+]+")
_CLIENT = Field("ClientId", min_len=1, max_len=128, pattern=_CLIENT_PATTERN)
_REQUIRED_CLIENT = Field("ClientId", required=True, min_len=1, max_len=128,
                         pattern=_CLIENT_PATTERN)  # fmt: skip
MAX_CSS = 131072
MAX_IMAGE = 100 * 1024


def _scope(ctx, body):
    """(pool, key): the client id named (it must exist) or ALL."""
    client_id = body.get("ClientId")
    if client_id is None or client_id == "ALL":
        return _documents.pool(ctx, body["UserPoolId"]), "ALL"
    pool, client = _documents.client(ctx, body["UserPoolId"], client_id)
    return pool, client["ClientId"]


# UI customization --------------------------------------------------------------------


def _ui_shape(pool, key, found):
    shape = {"UserPoolId": pool["Id"], "ClientId": key}
    if found is None:
        return shape
    document, created, modified = found
    if document.get("ImageHash"):
        shape["ImageUrl"] = "https://%s.cloudfront.net/%s/%s/%s.%s" % (
            "d" + hashlib.sha256(pool["Id"].encode()).hexdigest()[:13], pool["Id"], key,
            document["ImageHash"], document["ImageType"],
        )  # fmt: skip
    if document.get("CSS") is not None:
        shape["CSS"] = document["CSS"]
    shape["CSSVersion"] = document["CSSVersion"]
    shape["LastModifiedDate"] = modified
    shape["CreationDate"] = created
    return shape


@action(
    "SetUICustomization",
    fields=[POOL, _CLIENT, Field("CSS", max_len=MAX_CSS), Field("ImageFile")],
    public=False,
)
def set_ui_customization(ctx, body):
    """SetUICustomization: the hosted UI's CSS and logo, for the pool or one client."""
    pool, key = _scope(ctx, body)
    if not pool.get("Domain") and not pool.get("CustomDomain"):
        raise _errors.InvalidParameter(
            "There has to be an existing domain associated with this user pool or app client."
        )
    document = {"CSS": body.get("CSS")}
    image = body.get("ImageFile")
    if image is not None:
        try:
            raw = base64.b64decode(image, validate=True)
        except (binascii.Error, ValueError):
            raise _errors.Serialization("Value at 'imageFile' must be base64.") from None
        if len(raw) > MAX_IMAGE:
            raise _errors.InvalidParameter("The image file must be at most 100 kB.")
        if raw.startswith(b"\x89PNG\r\n\x1a\n"):
            document["ImageType"] = "png"
        elif raw.startswith(b"\xff\xd8\xff"):
            document["ImageType"] = "jpg"
        else:
            raise _errors.InvalidParameter("The image file must be a PNG or JPEG image.")
        document["ImageHash"] = hashlib.sha256(raw).hexdigest()[:20]
    document["CSSVersion"] = hashlib.sha256((document["CSS"] or "").encode()).hexdigest()[:20]
    _documents.put(ctx.store, pool["Id"], "ui", key, document, ctx.now())
    return {"UICustomization": _ui_shape(pool, key, _documents.get(ctx.store, pool["Id"], "ui",
                                                                   key))}  # fmt: skip


@action("GetUICustomization", fields=[POOL, _CLIENT], public=False)
def get_ui_customization(ctx, body):
    """GetUICustomization: the client's customization, else the pool's."""
    pool, key = _scope(ctx, body)
    found = _documents.get(ctx.store, pool["Id"], "ui", key)
    if found is None and key != "ALL":
        found = _documents.get(ctx.store, pool["Id"], "ui", "ALL")
        if found is not None:
            key = "ALL"
    return {"UICustomization": _ui_shape(pool, key, found)}


# Risk configuration ------------------------------------------------------------------

_TAKEOVER_ACTIONS = ("BLOCK", "MFA_IF_CONFIGURED", "MFA_REQUIRED", "NO_ACTION")


def _threat_protection(pool):
    mode = (pool.get("UserPoolAddOns") or {}).get("AdvancedSecurityMode")
    if mode not in ("AUDIT", "ENFORCED"):
        raise _errors.ServiceError(
            "UserPoolAddOnNotEnabledException",
            "Threat protection (advanced security) is not enabled for this user pool.",
        )


def _enum(value, label, choices):
    if value not in choices:
        raise _documents.validation_error(
            [(label, "Member must satisfy enum value set: [%s]" % ", ".join(choices), value)]
        )


def _check_risk(body):
    compromised = body.get("CompromisedCredentialsRiskConfiguration")
    if compromised is not None:
        actions = compromised.get("Actions")
        if not isinstance(actions, dict):
            raise _documents.validation_error(
                [("compromisedCredentialsRiskConfiguration.actions", "Member must not be null",
                  None)]
            )  # fmt: skip
        _enum(actions.get("EventAction"),
              "compromisedCredentialsRiskConfiguration.actions.eventAction",
              ("BLOCK", "NO_ACTION"))  # fmt: skip
        for event in compromised.get("EventFilter") or []:
            _enum(event, "compromisedCredentialsRiskConfiguration.eventFilter",
                  ("SIGN_IN", "PASSWORD_CHANGE", "SIGN_UP"))  # fmt: skip
    takeover = body.get("AccountTakeoverRiskConfiguration")
    if takeover is not None:
        actions = takeover.get("Actions")
        if not isinstance(actions, dict):
            raise _documents.validation_error(
                [("accountTakeoverRiskConfiguration.actions", "Member must not be null", None)]
            )
        for level in ("LowAction", "MediumAction", "HighAction"):
            chosen = actions.get(level)
            if chosen is None:
                continue
            label = "accountTakeoverRiskConfiguration.actions.%s" % (level[0].lower() + level[1:])
            if not isinstance(chosen.get("Notify"), bool):
                raise _documents.validation_error([(label + ".notify", "Member must not be null",
                                                    None)])  # fmt: skip
            _enum(chosen.get("EventAction"), label + ".eventAction", _TAKEOVER_ACTIONS)
        notify = takeover.get("NotifyConfiguration")
        if notify is not None and not isinstance(notify.get("SourceArn"), str):
            raise _documents.validation_error(
                [("accountTakeoverRiskConfiguration.notifyConfiguration.sourceArn",
                  "Member must not be null", None)]
            )  # fmt: skip
    exceptions = body.get("RiskExceptionConfiguration")
    if exceptions is not None:
        for member in ("BlockedIPRangeList", "SkippedIPRangeList"):
            ranges = exceptions.get(member) or []
            if len(ranges) > 200:
                raise _errors.InvalidParameter("%s can have at most 200 ranges." % member)
            for block in ranges:
                try:
                    ipaddress.ip_network(block, strict=False)
                except (ValueError, TypeError):
                    raise _errors.InvalidParameter(
                        "%s: %s is not a CIDR block." % (member, block)
                    ) from None


_RISK_MEMBERS = (
    "CompromisedCredentialsRiskConfiguration", "AccountTakeoverRiskConfiguration",
    "RiskExceptionConfiguration",
)  # fmt: skip


def _risk_shape(pool, key, found):
    shape = {"UserPoolId": pool["Id"]}
    if key != "ALL":
        shape["ClientId"] = key
    if found is not None:
        document, _, modified = found
        shape.update(document)
        shape["LastModifiedDate"] = modified
    return shape


@action(
    "SetRiskConfiguration",
    fields=[POOL, _CLIENT, *(Field(name, "object") for name in _RISK_MEMBERS)],
    public=False,
)
def set_risk_configuration(ctx, body):
    """SetRiskConfiguration: threat protection's responses, for the pool or a client."""
    pool, key = _scope(ctx, body)
    _threat_protection(pool)
    _check_risk(body)
    document = {name: body[name] for name in _RISK_MEMBERS if body.get(name) is not None}
    _documents.put(ctx.store, pool["Id"], "risk", key, document, ctx.now())
    found = _documents.get(ctx.store, pool["Id"], "risk", key)
    return {"RiskConfiguration": _risk_shape(pool, key, found)}


@action("DescribeRiskConfiguration", fields=[POOL, _CLIENT], public=False)
def describe_risk_configuration(ctx, body):
    """DescribeRiskConfiguration: the client's configuration, else the pool's."""
    pool, key = _scope(ctx, body)
    _threat_protection(pool)
    found = _documents.get(ctx.store, pool["Id"], "risk", key)
    if found is None and key != "ALL":
        found = _documents.get(ctx.store, pool["Id"], "risk", "ALL")
    return {"RiskConfiguration": _risk_shape(pool, key, found)}


# Log delivery ------------------------------------------------------------------------

_DESTINATIONS = {
    "CloudWatchLogsConfiguration": "LogGroupArn",
    "S3Configuration": "BucketArn",
    "FirehoseConfiguration": "StreamArn",
}


@action(
    "SetLogDeliveryConfiguration",
    fields=[POOL, Field("LogConfigurations", "objects", required=True, max_len=2)],
    public=False,
)
def set_log_delivery_configuration(ctx, body):
    """SetLogDeliveryConfiguration: where the pool's logs would go."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    configurations = []
    for index, item in enumerate(body["LogConfigurations"]):
        label = "logConfigurations.%d.member" % (index + 1)
        _enum(item.get("LogLevel"), label + ".logLevel", ("ERROR", "INFO"))
        _enum(item.get("EventSource"), label + ".eventSource",
              ("userNotification", "userAuthEvents"))  # fmt: skip
        given = [name for name in _DESTINATIONS if item.get(name) is not None]
        if len(given) != 1:
            raise _errors.InvalidParameter("Each log configuration needs exactly one destination.")
        arn = (item[given[0]] or {}).get(_DESTINATIONS[given[0]])
        if not isinstance(arn, str) or not arn.startswith("arn:"):
            raise _errors.InvalidParameter("%s needs a %s." % (given[0], _DESTINATIONS[given[0]]))
        if item["EventSource"] == "userNotification" and item["LogLevel"] != "ERROR":
            raise _errors.InvalidParameter("userNotification logs are delivered at ERROR level.")
        if item["EventSource"] == "userAuthEvents" and pool.get("UserPoolTier") != "PLUS":
            raise _errors.ServiceError(
                "FeatureUnavailableInTierException",
                "userAuthEvents logs need the PLUS feature plan.",
            )
        if item["EventSource"] in [c["EventSource"] for c in configurations]:
            raise _errors.InvalidParameter("Only one log configuration per EventSource.")
        configurations.append(
            {"LogLevel": item["LogLevel"], "EventSource": item["EventSource"],
             given[0]: {_DESTINATIONS[given[0]]: arn}}
        )  # fmt: skip
    document = {"UserPoolId": pool["Id"], "LogConfigurations": configurations}
    _documents.put(ctx.store, pool["Id"], "log_delivery", "ALL", document, ctx.now())
    return {"LogDeliveryConfiguration": document}


@action("GetLogDeliveryConfiguration", fields=[POOL], public=False)
def get_log_delivery_configuration(ctx, body):
    """GetLogDeliveryConfiguration: what SetLogDeliveryConfiguration set (or none)."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    found = _documents.get(ctx.store, pool["Id"], "log_delivery", "ALL")
    document = found[0] if found else {"UserPoolId": pool["Id"], "LogConfigurations": []}
    return {"LogDeliveryConfiguration": document}


# Session configuration ---------------------------------------------------------------


@action(
    "SetUserPoolSessionConfiguration",
    fields=[POOL, Field("UserSessionTracking", required=True, choices=["ENABLED", "DISABLED"]),
            Field("TokenSession", "object", required=True)],
    public=False,
)  # fmt: skip
def set_user_pool_session_configuration(ctx, body):
    """SetUserPoolSessionConfiguration: session tracking and sessions per user."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    most = body["TokenSession"].get("MaxPerUser")
    if isinstance(most, bool) or not isinstance(most, int) or not 1 <= most <= 100:
        raise _documents.validation_error(
            [("tokenSession.maxPerUser", "Member must have value between 1 and 100", most)]
        )
    document = {"UserSessionTracking": body["UserSessionTracking"],
                "TokenSession": {"MaxPerUser": most}}  # fmt: skip
    _documents.put(ctx.store, pool["Id"], "session", "ALL", document, ctx.now())
    return dict(document, UserPoolId=pool["Id"])


def session_configuration(store, pool_id):
    """The pool's session configuration (tracking DISABLED when never set)."""
    found = _documents.get(store, pool_id, "session", "ALL")
    return found[0] if found else {"UserSessionTracking": "DISABLED"}


@action("GetUserPoolSessionConfiguration", fields=[POOL], public=False)
def get_user_pool_session_configuration(ctx, body):
    """GetUserPoolSessionConfiguration: what was set, else tracking DISABLED."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    return dict(session_configuration(ctx.store, pool["Id"]), UserPoolId=pool["Id"])


@action(
    "SetUserPoolClientSessionConfiguration",
    fields=[POOL, _REQUIRED_CLIENT, Field("SSOSession", "object", required=True)],
    public=False,
)
def set_user_pool_client_session_configuration(ctx, body):
    """SetUserPoolClientSessionConfiguration: how long the client's SSO session lasts."""
    pool, key = _scope(ctx, body)
    minutes = body["SSOSession"].get("MaxValidityMinutes")
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 <= minutes <= 129600:
        raise _documents.validation_error(
            [("sSOSession.maxValidityMinutes", "Member must have value between 0 and 129600",
              minutes)]
        )  # fmt: skip
    document = {"SSOSession": {"MaxValidityMinutes": minutes}}
    _documents.put(ctx.store, pool["Id"], "client_session", key, document, ctx.now())
    return dict(document, UserPoolId=pool["Id"], ClientId=key)


@action("GetUserPoolClientSessionConfiguration", fields=[POOL, _REQUIRED_CLIENT], public=False)
def get_user_pool_client_session_configuration(ctx, body):
    """GetUserPoolClientSessionConfiguration: what was set (nothing: ids only)."""
    pool, key = _scope(ctx, body)
    found = _documents.get(ctx.store, pool["Id"], "client_session", key)
    return dict(found[0] if found else {}, UserPoolId=pool["Id"], ClientId=key)


# Signing certificate -----------------------------------------------------------------


@action("GetSigningCertificate", fields=[POOL], public=False)
def get_signing_certificate(ctx, body):
    """GetSigningCertificate: the pool's SAML signing certificate (base64 DER)."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    found = _documents.get(ctx.store, pool["Id"], "signing_certificate", "ALL")
    if found is not None:
        return {"Certificate": found[0]["Certificate"]}
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import NameOID

    row = next(row for row in ctx.store.pool_keys(pool["Id"]) if row["use"] == "id")
    key = serialization.load_pem_private_key(row["private_pem"].encode(), password=None)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, pool["Id"])])
    now = datetime.datetime.fromtimestamp(int(ctx.now()), datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    text = base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()
    _documents.put(ctx.store, pool["Id"], "signing_certificate", "ALL", {"Certificate": text},
                   ctx.now())  # fmt: skip
    return {"Certificate": text}
