"""The action registry: which ``X-Amz-Target`` runs which handler, with what checks.

Every action is one entry::

    @action("SignUp", fields=[Field("ClientId", required=True, max_len=128), ...])
    def sign_up(ctx, body):
        ...
        return {"UserConfirmed": False, ...}

* ``ctx`` is the request's ``Context`` (store, clock, outbox, issuer); ``body`` is
  the request JSON after ``fields`` were checked; the handler returns the answer
  dict or raises ``_errors.ServiceError``. Handlers run on the app's single worker
  thread inside one store transaction (see ``_store.Store.transaction``).
* ``public=True`` actions are the unsigned user API that browsers call (answers
  carry CORS headers). ``public=False`` actions are admin actions: the app refuses
  them unless the request's SigV4 signature verifies (``_app.check_admin_request``),
  and their answers carry no CORS headers, so a web page cannot read them.
* ``service`` is the ``X-Amz-Target`` prefix; Cognito Identity
  (``AWSCognitoIdentityService``) actions can live in the same table.

Modules register their actions when imported; ``_app.load_actions`` imports them.
"""

import re

SERVICE = "AWSCognitoIdentityProviderService"
ACTIONS = {}


class Action:
    """One registered action (see the module docstring)."""

    def __init__(self, service, name, handler, public, fields):
        self.service = service
        self.name = name
        self.handler = handler
        self.public = public
        self.fields = fields

    @property
    def target(self):
        """The full ``X-Amz-Target`` value."""
        return "%s.%s" % (self.service, self.name)


def action(name, fields=(), public=True, service=SERVICE):
    """Decorator registering a handler under ``<service>.<name>``.

    Args:
        name: the action, e.g. ``InitiateAuth``.
        fields: the request members to check, as ``Field`` s.
        public: False for admin actions (SigV4 required).
        service: the X-Amz-Target prefix.

    Raises:
        ValueError: the action is already registered (two modules claim it).
    """

    def register(handler):
        target = "%s.%s" % (service, name)
        if target in ACTIONS:
            raise ValueError("action %s registered twice" % target)
        ACTIONS[target] = Action(service, name, handler, public, list(fields))
        return handler

    return register


# Cognito's username pattern is [\p{L}\p{M}\p{S}\p{N}\p{P}]+: any letter, mark,
# symbol, digit or punctuation; re has no \p classes, so refuse what is left
# (separators and control characters).
USERNAME_PATTERN = (r"^[^\s\x00-\x1f\x7f-\x9f]+$", r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+")
CODE_PATTERN = (r"^[\S]+$", r"[\S]+")
_TYPE_NAMES = {
    "string": "a string", "boolean": "a boolean", "integer": "an integer",
    "map": "a map of strings", "attributes": "a list of {Name, Value} objects",
    "strings": "a list of strings", "object": "an object",
    "objects": "a list of objects",
}  # fmt: skip


class Field:
    """One request member and its constraints.

    Args:
        name: the JSON member name (``ClientId``).
        kind: ``string``, ``boolean``, ``integer``, ``map`` (string to string),
            ``attributes`` (list of {Name, Value}), ``strings``, ``object`` or
            ``objects`` (a list of objects).
        required: whether it must be present and not null.
        min_len, max_len: length bounds for strings and lists.
        pattern: (python_regex, pattern_as_cognito_prints_it) for strings.
        choices: allowed values for an enum string.
    """

    def __init__(self, name, kind="string", required=False, min_len=None, max_len=None,
                 pattern=None, choices=None):  # fmt: skip
        self.name = name
        self.kind = kind
        self.required = required
        self.min_len = min_len
        self.max_len = max_len
        self.pattern = pattern
        self.choices = choices

    @property
    def label(self):
        """The member as Cognito's validation messages name it (lowerCamelCase)."""
        return self.name[:1].lower() + self.name[1:]


def _type_ok(kind, value):
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "map":
        return isinstance(value, dict) and all(
            isinstance(item, str) or item is None for item in value.values()
        )
    if kind == "strings":
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    if kind == "attributes":
        return isinstance(value, list) and all(
            isinstance(item, dict)
            and isinstance(item.get("Name"), str)
            and isinstance(item.get("Value", ""), (str, type(None)))
            for item in value
        )
    if kind == "objects":
        return isinstance(value, list) and all(isinstance(item, dict) for item in value)
    return isinstance(value, dict)


def check(fields, body):
    """Check a request body against an action's fields.

    Wrongly typed members are a SerializationException (what AWS's JSON protocol
    answers when a value cannot be read as the member's type); missing members and
    broken constraints are one InvalidParameterException listing each problem in
    Cognito's words ("1 validation error detected: Value at 'username' failed to
    satisfy constraint: Member must not be null"). Values are never echoed: they
    may be passwords.

    Raises:
        ServiceError: as above.
    """
    from . import _errors

    problems = []
    for field in fields:
        value = body.get(field.name)
        if value is None:
            if field.required:
                problems.append((field.label, "Member must not be null"))
            continue
        if not _type_ok(field.kind, value):
            raise _errors.Serialization(
                "Value at '%s' must be %s." % (field.label, _TYPE_NAMES[field.kind])
            )
        if field.kind in ("string", "strings", "attributes", "objects"):
            size = len(value)
            if field.min_len is not None and size < field.min_len:
                problems.append(
                    (field.label, "Member must have length greater than or equal to %d"
                     % field.min_len)
                )  # fmt: skip
            elif field.max_len is not None and size > field.max_len:
                problems.append(
                    (field.label, "Member must have length less than or equal to %d"
                     % field.max_len)
                )  # fmt: skip
            elif field.pattern and field.kind == "string" and not re.match(field.pattern[0], value):
                problems.append(
                    (field.label, "Member must satisfy regular expression pattern: %s"
                     % field.pattern[1])
                )  # fmt: skip
        if field.choices and value not in field.choices:
            problems.append(
                (field.label, "Member must satisfy enum value set: [%s]"
                 % ", ".join(field.choices))
            )  # fmt: skip
    if problems:
        count = len(problems)
        raise _errors.InvalidParameter(
            "%d validation error%s detected: %s"
            % (
                count,
                "" if count == 1 else "s",
                "; ".join(
                    "Value at '%s' failed to satisfy constraint: %s" % item for item in problems
                ),
            )
        )
