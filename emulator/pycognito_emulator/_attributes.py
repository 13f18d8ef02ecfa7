"""User attributes: checking what a client writes against the pool's schema, what
GetUser shows, and who holds an alias.
"""

import re

from . import _errors
from ._config import VERIFIED_FLAGS

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_PHONE = re.compile(r"^\+[0-9]{4,15}$")
_MAX_ATTRIBUTE = 2048


def _schema_error(name, problem):
    return _errors.InvalidParameter(
        "Attributes did not conform to the schema: %s: %s" % (name, problem)
    )


def check_attributes(pool, client, attributes, updating=False):
    """Check attributes a user writes (SignUp, UpdateUserAttributes).

    Args:
        attributes: the request's list of {Name, Value}.
        updating: True for updates (immutable attributes refused).

    Returns:
        A dict name -> value (custom attributes keep their ``custom:`` prefix).

    Raises:
        ServiceError: unknown, unwritable or malformed attributes.
    """
    schema = pool["Schema"]
    writable = client.get("WriteAttributes")
    result = {}
    for item in attributes or []:
        name, value = item["Name"], item.get("Value") or ""
        spec = schema.get(name)
        if spec is None:
            raise _schema_error(name, "Attribute does not exist in the schema.")
        if (
            name == "sub"
            or (writable is not None and name not in writable)
            or (writable is None and name in VERIFIED_FLAGS)
        ):
            raise _errors.NotAuthorized("A client attempted to write unauthorized attribute")
        if updating and not spec["Mutable"]:
            raise _schema_error(name, "Attribute cannot be updated.")
        if len(value) > _MAX_ATTRIBUTE:
            raise _schema_error(name, "String must be no longer than 2048 characters")
        if name == "email" and value and not _EMAIL.match(value):
            raise _errors.InvalidParameter("Invalid email address format.")
        if name == "phone_number" and value and not _PHONE.match(value):
            raise _errors.InvalidParameter("Invalid phone number format.")
        if spec["AttributeDataType"] == "Boolean" and value not in ("true", "false"):
            raise _schema_error(name, "Attribute value must be true or false.")
        if spec["AttributeDataType"] == "Number" and value:
            try:
                float(value)
            except ValueError:
                raise _schema_error(name, "Number expected.") from None
        check_constraints(name, spec, value)
        result[name] = value
    return result


def check_required(pool, attributes):
    """Refuse a user that lacks an attribute the pool's schema requires."""
    for name, spec in pool["Schema"].items():
        if spec["Required"] and not attributes.get(name):
            raise _schema_error(name, "The attribute is required")


def delete_attributes(pool, user, names, unwritable):
    """Remove attributes from a user (DeleteUserAttributes, AdminDeleteUserAttributes),
    an address's verified flag with it; the caller saves the user.

    Args:
        names: the attribute names to remove.
        unwritable: name -> the ServiceError for ``sub`` or an immutable attribute.

    Raises:
        ServiceError: an attribute not in the schema, ``unwritable(name)``, or a
            required attribute that would be missing.
    """
    for name in names:
        if name not in pool["Schema"]:
            raise _schema_error(name, "Attribute does not exist in the schema.")
        if name == "sub" or not pool["Schema"][name]["Mutable"]:
            raise unwritable(name)
        user.attributes.pop(name, None)
        if name in ("email", "phone_number"):
            user.attributes.pop(name + "_verified", None)
    check_required(pool, user.attributes)


def visible_attributes(user, client=None):
    """A user's attributes as GetUser lists them ([{Name, Value}], sub first)."""
    readable = client.get("ReadAttributes") if client else None
    names = ["sub", *sorted(name for name in user.attributes if name != "sub")]
    return [
        {"Name": name, "Value": user.attributes[name]}
        for name in names
        if name in user.attributes and (readable is None or name in readable or name == "sub")
    ]


def alias_owner(ctx, pool, user, attribute):
    """Another user who holds ``attribute``'s value of ``user`` as a verified alias.

    Returns:
        The other User, or None (also when the attribute is not an alias).
    """
    value = user.attributes.get(attribute)
    if not value or attribute not in pool["AliasAttributes"] + pool["UsernameAttributes"]:
        return None
    for other in ctx.store.users_with_attribute(pool["Id"], attribute, value):
        if other.sub != user.sub and other.attributes.get(attribute + "_verified") == "true":
            return other
    return None


def check_constraints(name, spec, value):
    """A written value within its attribute's String or Number constraints."""
    if not value:
        return
    strings = spec.get("StringAttributeConstraints") or {}
    if strings.get("MaxLength") is not None and len(value) > int(strings["MaxLength"]):
        raise _errors.InvalidParameter(
            "Attributes did not conform to the schema: %s: String must be no longer than %s "
            "characters" % (name, strings["MaxLength"])
        )
    if strings.get("MinLength") is not None and len(value) < int(strings["MinLength"]):
        raise _errors.InvalidParameter(
            "Attributes did not conform to the schema: %s: String must be no shorter than %s "
            "characters" % (name, strings["MinLength"])
        )
    numbers = spec.get("NumberAttributeConstraints") or {}
    try:
        number = float(value) if numbers else None
    except ValueError:
        return  # the Number type check refuses it
    if numbers.get("MaxValue") is not None and number > int(numbers["MaxValue"]):
        raise _errors.InvalidParameter(
            "Attributes did not conform to the schema: %s: Number must be no greater than %s"
            % (name, numbers["MaxValue"])
        )
    if numbers.get("MinValue") is not None and number < int(numbers["MinValue"]):
        raise _errors.InvalidParameter(
            "Attributes did not conform to the schema: %s: Number must be no less than %s"
            % (name, numbers["MinValue"])
        )
