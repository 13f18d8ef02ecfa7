"""Checks on what callers pass in, each failing with an error that names the problem.

Only shapes are checked here (types, emptiness, the pool id's form); what the service
decides (password policy, which attributes exist) is left to the service.
"""

from .errors import InvalidParameterError

_WORD = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
POOL_ID_MAX_LENGTH = 55


def text(value, name, empty_ok=False):
    """A string argument, or InvalidParameterError naming it."""
    if not isinstance(value, str):
        kind = "None" if value is None else type(value).__name__
        raise InvalidParameterError("%s must be a string, not %s" % (name, kind))
    if not value and not empty_ok:
        raise InvalidParameterError("%s must not be empty" % name)
    return value


def pool_id(value):
    """A user pool id: ``<region>_<id>``, at most 55 characters, as the original checks.

    Returns:
        (region, pool name)
    """
    text(value, "UserPoolId")
    region, sep, name = value.partition("_")
    valid = (
        len(value) <= POOL_ID_MAX_LENGTH
        and sep
        and region
        and name
        and all(c in _WORD or c == "-" for c in region)
        and all(c in _WORD and c != "_" for c in name)
    )
    if not valid:
        raise InvalidParameterError(
            "Invalid UserPoolId format: expected <region>_<id> such as us-east-1_aB12cDe34"
        )
    # The original splits on every underscore and keeps the second part.
    return region, value.split("_")[1]


def client_id(value):
    """An app client id: 1 to 128 word characters or ``+``."""
    text(value, "ClientId")
    if len(value) > 128 or not all(c in _WORD or c == "+" for c in value):
        raise InvalidParameterError("Invalid ClientId format")
    return value


def storage(value, name="storage"):
    """A Web-Storage-shaped object (getItem, setItem, removeItem), or None."""
    if value is None:
        return None
    if isinstance(value, type):
        raise InvalidParameterError("%s must be a storage object, not a class" % name)
    for method in ("getItem", "setItem", "removeItem"):
        if not callable(getattr(value, method, None)):
            raise InvalidParameterError("%s has no %s method" % (name, method))
    return value


def optional_function(value, name):
    """A callable argument, or None."""
    if value is not None and not callable(value):
        raise InvalidParameterError("%s must be a function, not %s" % (name, type(value).__name__))
    return value


def optional_dict(value, name):
    """A dict of strings (ClientMetadata, ValidationData maps), or None."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InvalidParameterError("%s must be a dict, not %s" % (name, type(value).__name__))
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str):
            raise InvalidParameterError("%s must map strings to strings" % name)
    return value


def attributes(value, name="UserAttributes"):
    """Attributes as Cognito's list of ``{"Name", "Value"}``, or None.

    Accepts a dict ``{name: value}``, a list of dicts with Name/Value, or a list of
    objects with ``Name``/``Value`` attributes (``CognitoUserAttribute``).
    """
    if value is None:
        return None
    if isinstance(value, dict):
        items = [{"Name": k, "Value": v} for k, v in value.items()]
    elif isinstance(value, (list, tuple)):
        items = []
        for entry in value:
            if isinstance(entry, dict):
                items.append({"Name": entry.get("Name"), "Value": entry.get("Value")})
            elif hasattr(entry, "Name") and hasattr(entry, "Value"):
                items.append({"Name": entry.Name, "Value": entry.Value})
            else:
                raise InvalidParameterError(
                    "each of %s must be a dict with Name and Value, not %s"
                    % (name, type(entry).__name__)
                )
    else:
        raise InvalidParameterError(
            "%s must be a dict or a list of attributes, not %s" % (name, type(value).__name__)
        )
    for item in items:
        if not isinstance(item["Name"], str) or not item["Name"]:
            raise InvalidParameterError("an attribute in %s has no Name" % name)
        if not isinstance(item["Value"], str):
            raise InvalidParameterError(
                "attribute %s in %s must have a string Value" % (item["Name"], name)
            )
    return items


def names(value, name):
    """A list of attribute names."""
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v for v in value):
        raise InvalidParameterError("%s must be a list of attribute names" % name)
    return list(value)
