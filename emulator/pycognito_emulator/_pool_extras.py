"""Pool tags, custom attributes, and two per-user admin settings.

Tags: TagResource, UntagResource, ListTagsForResource on a pool's ARN
(``arn:aws:cognito-idp:<region>:<account>:userpool/<id>``, as DescribeUserPool gives
it; any account number is accepted, the emulator has one). They are the pool's
``UserPoolTags`` (so CreateUserPool, UpdateUserPool and DescribeUserPool see the
same map). AWS's tagging limits: 50 tags a resource, keys 1-128 characters and not
starting with ``aws:``, values up to 256.

AddCustomAttributes: 1-25 attributes a call, each named without the ``custom:`` prefix
(which Cognito adds; a name given with it keeps it once), at most 50 custom
attributes a pool; never required; an existing name is refused. They join the pool's
schema, so SignUp, AdminCreateUser and the attribute updates accept them at once.
StringAttributeConstraints (MinLength/MaxLength, 0-2048) and NumberAttributeConstraints
are kept, shown by DescribeUserPool, and enforced when a value is written
(``_attributes.check_constraints``).

AdminSetUserSettings: the legacy MFAOptions of a user (SMS to phone_number turns SMS
MFA on, an empty list turns it off), as SetUserSettings does for the user.
AdminUpdateDeviceStatus: remembered / not_remembered for a user's confirmed device.
AdminDeleteSoftwareToken: the user's TOTP secret is forgotten and TOTP MFA turned off.
"""

import re

from . import _devices, _documents, _errors, _mfa
from ._documents import POOL
from ._registry import USERNAME_PATTERN, Field, action

MAX_TAGS = 50
MAX_CUSTOM_ATTRIBUTES = 50
_ARN_PATTERN = (
    r"^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+"
    r"(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$",
    r"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+"
    r"(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?",
)
_POOL_ARN = re.compile(r"^arn:aws:cognito-idp:([\w-]+):([0-9]{12}):userpool/([\w-]+_[0-9a-zA-Z]+)$")
_ARN = Field("ResourceArn", required=True, min_len=20, max_len=2048, pattern=_ARN_PATTERN)
_USERNAME = Field("Username", required=True, min_len=1, max_len=128, pattern=USERNAME_PATTERN)


# Tags --------------------------------------------------------------------------------


def _tagged_pool(ctx, arn):
    match = _POOL_ARN.match(arn)
    if match is None:
        raise _errors.InvalidParameter("Invalid ResourceArn: %s is not a user pool ARN." % arn)
    region, _, pool_id = match.groups()
    pool = ctx.store.get_pool(pool_id) if _documents.region_of(pool_id) == region else None
    if pool is None:
        raise _errors.ResourceNotFound("User pool %s does not exist." % pool_id)
    return pool


def check_tags(tags):
    """Refuse tags AWS's tagging rules refuse.

    Raises:
        ServiceError: InvalidParameterException naming the bad key.
    """
    if len(tags) > MAX_TAGS:
        raise _errors.InvalidParameter("A resource can have at most %d tags." % MAX_TAGS)
    for key, value in tags.items():
        if not 1 <= len(key) <= 128:
            raise _errors.InvalidParameter("Tag keys must have 1 to 128 characters.")
        if key.lower().startswith("aws:"):
            raise _errors.InvalidParameter("Tag keys starting with aws: are reserved: %s" % key)
        if value is None or len(value) > 256:
            raise _errors.InvalidParameter("The value of tag %s must have 0 to 256 characters."
                                           % key)  # fmt: skip


@action("TagResource", fields=[_ARN, Field("Tags", "map", required=True)], public=False)
def tag_resource(ctx, body):
    """TagResource: add or replace tags of a pool."""
    pool = _tagged_pool(ctx, body["ResourceArn"])
    tags = dict(pool.get("UserPoolTags") or {})
    tags.update(body["Tags"])
    check_tags(tags)
    pool["UserPoolTags"] = tags
    _documents.save_pool_settings(ctx, pool)
    return {}


@action(
    "UntagResource",
    fields=[_ARN, Field("TagKeys", "strings", required=True)],
    public=False,
)
def untag_resource(ctx, body):
    """UntagResource: remove tags of a pool (keys it does not have are ignored)."""
    pool = _tagged_pool(ctx, body["ResourceArn"])
    tags = dict(pool.get("UserPoolTags") or {})
    for key in body["TagKeys"]:
        tags.pop(key, None)
    pool["UserPoolTags"] = tags
    _documents.save_pool_settings(ctx, pool)
    return {}


@action("ListTagsForResource", fields=[_ARN], public=False)
def list_tags_for_resource(ctx, body):
    """ListTagsForResource: a pool's tags."""
    return {"Tags": dict(_tagged_pool(ctx, body["ResourceArn"]).get("UserPoolTags") or {})}


# Custom attributes -------------------------------------------------------------------


def _constraint(value, name, label):
    if value is None:
        return None
    if not isinstance(value, str) or not re.match(r"^-?[0-9]+$", value):
        raise _errors.InvalidParameter("%s of %s must be a number." % (label, name))
    return int(value)


def _custom_attribute(item, schema):
    """One CustomAttributes entry as the schema keeps it: (name, spec)."""
    if not isinstance(item, dict):
        raise _errors.Serialization("Value at 'customAttributes' must be a list of objects.")
    name = item.get("Name")
    if not isinstance(name, str) or not name:
        raise _documents.validation_error(
            [("customAttributes.member.name", "Member must not be null", None)]
        )
    bare = name[len("custom:"):] if name.startswith("custom:") else name
    if not 1 <= len(bare) <= 20 or not re.match(r"^[^\s\x00-\x1f\x7f-\x9f]+$", bare):
        raise _documents.validation_error(
            [("customAttributes.member.name",
              "Member must have length less than or equal to 20" if len(bare) > 20
              else "Member must satisfy regular expression pattern: "
              "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+", None)]
        )  # fmt: skip
    full = "custom:" + bare
    if full in schema:
        raise _errors.InvalidParameter("Existing attribute already has name %s." % full)
    kind = item.get("AttributeDataType") or "String"
    if kind not in ("String", "Number", "DateTime", "Boolean"):
        raise _documents.validation_error(
            [("customAttributes.member.attributeDataType",
              "Member must satisfy enum value set: [String, Number, DateTime, Boolean]", kind)]
        )  # fmt: skip
    for flag in ("Required", "Mutable", "DeveloperOnlyAttribute"):
        if item.get(flag) is not None and not isinstance(item[flag], bool):
            raise _errors.Serialization("Value at '%s' must be a boolean." % flag)
    if item.get("Required"):
        raise _errors.InvalidParameter("Required custom attributes are not supported currently.")
    spec = {
        "AttributeDataType": kind,
        "Required": False,
        "Mutable": item.get("Mutable", True) is not False,
    }
    if item.get("DeveloperOnlyAttribute"):
        spec["DeveloperOnlyAttribute"] = True
    strings = item.get("StringAttributeConstraints")
    if strings is not None and kind == "String":
        low = _constraint(strings.get("MinLength"), full, "MinLength")
        high = _constraint(strings.get("MaxLength"), full, "MaxLength")
        bad = [value for value in (low, high) if value is not None and not 0 <= value <= 2048]
        if bad or (low is not None and high is not None and low > high):
            raise _errors.InvalidParameter(
                "Invalid StringAttributeConstraints for %s: lengths must be from 0 to 2048 "
                "and MinLength at most MaxLength." % full
            )
        spec["StringAttributeConstraints"] = {
            key: strings[key] for key in ("MinLength", "MaxLength") if strings.get(key) is not None
        }
    numbers = item.get("NumberAttributeConstraints")
    if numbers is not None and kind == "Number":
        low = _constraint(numbers.get("MinValue"), full, "MinValue")
        high = _constraint(numbers.get("MaxValue"), full, "MaxValue")
        if low is not None and high is not None and low > high:
            raise _errors.InvalidParameter(
                "Invalid NumberAttributeConstraints for %s: MinValue is above MaxValue." % full
            )
        spec["NumberAttributeConstraints"] = {
            key: numbers[key] for key in ("MinValue", "MaxValue") if numbers.get(key) is not None
        }
    return full, spec




@action(
    "AddCustomAttributes",
    fields=[POOL, Field("CustomAttributes", "objects", required=True, min_len=1, max_len=25)],
    public=False,
)
def add_custom_attributes(ctx, body):
    """AddCustomAttributes: new ``custom:`` attributes in the pool's schema."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    items = body["CustomAttributes"]
    schema = dict(pool["Schema"])
    for item in items:
        name, spec = _custom_attribute(item, schema)
        schema[name] = spec
    if sum(1 for name in schema if name.startswith("custom:")) > MAX_CUSTOM_ATTRIBUTES:
        raise _errors.InvalidParameter(
            "A user pool can have at most %d custom attributes." % MAX_CUSTOM_ATTRIBUTES
        )
    pool["Schema"] = schema
    _documents.save_pool_settings(ctx, pool)
    ctx.store.run("UPDATE pools SET modified = ? WHERE id = ?", (ctx.now(), pool["Id"]))
    return {}


# Per-user admin settings -------------------------------------------------------------


@action(
    "AdminSetUserSettings",
    fields=[POOL, _USERNAME, Field("MFAOptions", "objects", required=True)],
    public=False,
)
def admin_set_user_settings(ctx, body):
    """AdminSetUserSettings: a user's legacy MFAOptions (SMS MFA on or off)."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    user = _documents.user(ctx, pool, body["Username"])
    options = body["MFAOptions"]
    sms = False
    for option in options:
        if option.get("DeliveryMedium") not in ("SMS", "EMAIL"):
            raise _documents.validation_error(
                [("mFAOptions.member.deliveryMedium",
                  "Member must satisfy enum value set: [SMS, EMAIL]", option.get("DeliveryMedium"))]
            )  # fmt: skip
        if option.get("DeliveryMedium") != "SMS" or option.get("AttributeName") != "phone_number":
            raise _errors.InvalidParameter("Only SMS MFA to phone_number is supported.")
        sms = True
    _mfa.set_method(user, _mfa.SMS, sms)
    user.modified = ctx.now()
    ctx.store.save_user(user)
    return {}


@action(
    "AdminUpdateDeviceStatus",
    fields=[
        POOL, _USERNAME,
        Field("DeviceKey", required=True, min_len=1, max_len=55,
              pattern=(r"^[\w-]+_[0-9a-f-]+$", r"[\w-]+_[0-9a-f-]+")),
        Field("DeviceRememberedStatus", choices=["remembered", "not_remembered"]),
    ],
    public=False,
)  # fmt: skip
def admin_update_device_status(ctx, body):
    """AdminUpdateDeviceStatus: remember or stop remembering a user's device."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    user = _documents.user(ctx, pool, body["Username"])
    row = _devices.confirmed_device(ctx, user, body["DeviceKey"])
    if row is None:
        raise _errors.ResourceNotFound(_devices.DEVICE_NOT_FOUND)
    status = body.get("DeviceRememberedStatus") or "not_remembered"
    ctx.store.run(
        "UPDATE devices SET status = ?, modified = ? WHERE device_key = ?",
        (status, ctx.now(), row["device_key"]),
    )
    return {}


@action("AdminDeleteSoftwareToken", fields=[POOL, _USERNAME], public=False)
def admin_delete_software_token(ctx, body):
    """AdminDeleteSoftwareToken: forget a user's authenticator app (TOTP MFA goes off)."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    user = _documents.user(ctx, pool, body["Username"])
    if user.status == "UNCONFIRMED":
        raise _errors.UserNotConfirmed(_errors.USER_NOT_CONFIRMED)
    _mfa.set_method(user, _mfa.TOTP, False)
    user.extra.pop("software_token", None)
    user.extra.pop("software_token_pending", None)
    user.modified = ctx.now()
    ctx.store.save_user(user)
    return {}
