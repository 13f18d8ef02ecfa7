"""Pure rules the screens apply: the password policy, and which sentence each error gets.

No DOM here: the screens ask these functions, and the tests call them directly.
"""

# Cognito's password policy defaults, and its list of symbol characters.
DEFAULT_POLICY = {
    "MinimumLength": 8,
    "RequireLowercase": True,
    "RequireUppercase": True,
    "RequireNumbers": True,
    "RequireSymbols": True,
}
SYMBOLS = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- "

_LOWER = "abcdefghijklmnopqrstuvwxyz"
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DIGITS = "0123456789"


def policy_from(option: "object") -> "dict":
    """A full policy from a page's ``password_policy`` option (Cognito's field names).

    Raises:
        InvalidParameterError: for a value that is not such a dict.
    """
    from ..errors import InvalidParameterError

    policy = dict(DEFAULT_POLICY)
    if option is None:
        return policy
    if not isinstance(option, dict):
        raise InvalidParameterError("password_policy must be a dict of Cognito's PasswordPolicy")
    for key, value in option.items():
        if key not in DEFAULT_POLICY:
            continue  # e.g. TemporaryPasswordValidityDays: nothing to show
        if key == "MinimumLength":
            if isinstance(value, bool) or not isinstance(value, int) or not 6 <= value <= 99:
                raise InvalidParameterError("password_policy MinimumLength must be 6 to 99")
        elif not isinstance(value, bool):
            raise InvalidParameterError("password_policy %s must be True or False" % key)
        policy[key] = value
    return policy


def _has(text, chars):
    for char in text:
        if char in chars:
            return True
    return False


def password_rules(policy: "dict", password: "str") -> "list":
    """``[(rule, met)]`` in the order they are shown: ``length``, ``lowercase``, ..."""
    rules = [("length", len(password) >= policy["MinimumLength"])]
    if policy["RequireLowercase"]:
        rules.append(("lowercase", _has(password, _LOWER)))
    if policy["RequireUppercase"]:
        rules.append(("uppercase", _has(password, _UPPER)))
    if policy["RequireNumbers"]:
        rules.append(("number", _has(password, _DIGITS)))
    if policy["RequireSymbols"]:
        rules.append(("symbol", _has(password, SYMBOLS)))
    return rules


def unmet_rules(policy: "dict", password: "str") -> "list":
    """The rules ``password`` does not meet yet."""
    return [rule for rule, met in password_rules(policy, password) if not met]


# Cognito's InvalidPasswordException messages name the first rule that failed.
_PASSWORD_REASONS = (
    ("long enough", "length"),
    ("lowercase", "lowercase"),
    ("uppercase", "uppercase"),
    ("numeric", "number"),
    ("symbol", "symbol"),
)

# error code -> (field, message key); "_form" is the form as a whole. Codes that need a
# closer look (by screen or message) are handled in ``describe``.
_BY_CODE = {
    "UserNotFoundException": ("username", "error.user-not-found"),
    "UsernameExistsException": ("username", "error.user-exists"),
    "AliasExistsException": ("_attribute", "error.alias-exists"),
    "CodeMismatchException": ("code", "error.code-wrong"),
    "EnableSoftwareTokenMFAException": ("code", "error.code-wrong"),
    "ExpiredCodeException": ("code", "error.code-expired"),
    "LimitExceededException": ("_form", "error.limit"),
    "TooManyRequestsException": ("_form", "error.limit"),
    "TooManyFailedAttemptsException": ("_form", "error.limit"),
    "CodeDeliveryFailureException": ("_form", "error.delivery"),
    "NetworkError": ("_form", "error.network"),
}


def describe(error: "object", screen: "str", password_field: "str" = "password") -> "tuple":
    """Which field an error concerns, and the message key that explains it to a person.

    Args:
        error: a ``CognitoError`` (any other exception is "unexpected").
        screen: the screen that sent the request.
        password_field: the name of the password input on that screen.

    Returns:
        ``(field, key, reasons)``: ``field`` an input name or ``"_form"``; ``reasons`` the
        unmet password rules named by an InvalidPasswordException, else ``[]``.
    """
    code = getattr(error, "code", None)
    message = str(getattr(error, "message", "") or "")
    lowered = message.lower()
    if not isinstance(code, str):
        return "_form", "error.unexpected", []
    if code == "NotAuthorizedException":
        if screen == "confirm-sign-up":
            return "code", "error.already-confirmed", []
        if "attempts exceeded" in lowered:
            return "password", "error.too-many-attempts", []
        if "session" in lowered or "expired" in lowered or screen not in ("sign-in",):
            return "_form", "error.session-expired", []
        return "password", "error.wrong-password", []
    if code == "InvalidPasswordException":
        reasons = [rule for text, rule in _PASSWORD_REASONS if text in lowered]
        if reasons:
            return password_field, "error.password-weak", reasons
        return password_field, "error.password-invalid", []
    if code in ("InvalidParameterException", "InvalidParameterError"):
        for name in ("email", "phone_number", "phone"):
            if name in lowered:
                return (
                    ("phone_number" if name == "phone" else name),
                    "error." + ("phone_number" if name == "phone" else name),
                    [],
                )
        if "password" in lowered:
            return password_field, "error.password-invalid", []
        if "username" in lowered:
            return "username", "error.username", []
        if "code" in lowered:
            return "code", "error.code-format", []
        return "_form", "error.invalid", []
    if code == "UserNotFoundException" and screen != "sign-in":
        return "username", "error.user-not-found", []
    found = _BY_CODE.get(code)
    if found is not None:
        return found[0], found[1], []
    return "_form", "error.unexpected", []
