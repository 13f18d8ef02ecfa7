"""Helpers that several action modules share: clients, users, codes, attributes, tokens.

Everything here reads and writes through ``ctx.store`` inside the request's
transaction and reports problems as ``ServiceError`` with Cognito's messages.
"""

import base64
import hashlib
import hmac
import re
import secrets
import uuid

from . import _errors, _srp_server, _tokens
from ._config import VERIFIED_FLAGS, token_seconds

SIGNUP_CODE_TTL = 24 * 3600  # [DG Quotas]: sign-up and attribute codes live 24 h
VERIFY_CODE_TTL = 24 * 3600
FORGOT_CODE_TTL = 3600  # forgot-password codes live 1 h
MAX_CODE_ATTEMPTS = 5  # wrong codes before the code is dead (LimitExceeded)
LOCKOUT_AFTER = 5  # failed sign-ins before the first lock [DG]
LOCKOUT_MAX = 900  # the lock doubles per failure up to about 15 minutes
LOCKOUT_RESET = 900  # 15 minutes without failures resets the count

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_PHONE = re.compile(r"^\+[0-9]{4,15}$")
_SYMBOLS = set("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ")
_MAX_ATTRIBUTE = 2048


# Pools and clients -------------------------------------------------------------------


def get_client(ctx, client_id):
    """The app client and its pool.

    Returns:
        (pool, client) settings dicts.

    Raises:
        ServiceError: ResourceNotFoundException if the client does not exist.
    """
    client = ctx.store.get_client(client_id)
    pool = ctx.store.get_pool(client["UserPoolId"]) if client else None
    if pool is None:
        raise _errors.ResourceNotFound("User pool client %s does not exist." % client_id)
    return pool, client


def pool_name(pool):
    """The pool id after its underscore: what SRP hashes as the pool name."""
    return pool["Id"].split("_", 1)[1]


def prevents_existence_errors(client):
    """Whether the client hides which users exist (PreventUserExistenceErrors=ENABLED)."""
    return client.get("PreventUserExistenceErrors") == "ENABLED"


def secret_hash(secret, username, client_id):
    """Base64 HMAC-SHA256(secret, username + client_id): Cognito's SECRET_HASH."""
    digest = hmac.new(
        secret.encode("utf-8"), (username + client_id).encode("utf-8"), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode("ascii")


def check_secret_hash(client, given, names):
    """Check SECRET_HASH for a client with a secret; clients without one skip the check.

    Any name the user is known by is accepted (the username given, the internal
    username, a verified alias), because clients differ in which one they hash
    between the two steps of SRP.

    Args:
        client: the client settings.
        given: the SECRET_HASH sent, or None.
        names: candidate usernames (None entries are ignored).

    Raises:
        ServiceError: NotAuthorizedException when missing or wrong.
    """
    secret = client.get("ClientSecret")
    if not secret:
        return
    if not given:
        raise _errors.NotAuthorized(
            "Client %s is configured for secret but secret was not received" % client["ClientId"]
        )
    for name in names:
        if name is not None and isinstance(given, str):
            expected = secret_hash(secret, name, client["ClientId"])
            if hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace")):
                return
    raise _errors.NotAuthorized("Unable to verify secret hash for client %s" % client["ClientId"])


def user_names(user, given=None):
    """Every name a user may be addressed by, for SECRET_HASH checks."""
    names = [given]
    if user is not None:
        names.append(user.username)
        for attribute in ("email", "phone_number", "preferred_username"):
            names.append(user.attributes.get(attribute))
    return names


# Users -------------------------------------------------------------------------------


def username_key(pool, name):
    """The lookup form of a username (lower-cased in case-insensitive pools)."""
    if pool["UsernameConfiguration"]["CaseSensitive"]:
        return name
    return name.lower()


def find_user(ctx, pool, name):
    """The user a sign-in name points at: username, username attribute or alias.

    Aliases count only when verified (preferred_username needs no verification),
    as in Cognito.

    Returns:
        The User, or None.
    """
    store = ctx.store
    user = store.get_user(pool["Id"], username_key(pool, name))
    if user is not None:
        return user
    for attribute in pool["UsernameAttributes"]:
        for candidate in store.users_with_attribute(pool["Id"], attribute, name):
            return candidate
    for attribute in pool["AliasAttributes"]:
        for candidate in store.users_with_attribute(pool["Id"], attribute, name):
            flag = attribute + "_verified"
            if attribute == "preferred_username" or candidate.attributes.get(flag) == "true":
                return candidate
    return None


def new_user(ctx, pool, username, attributes, password, status):
    """Create and store a user.

    Args:
        username: the internal username (a UUID equal to sub in pools whose
            usernames are emails or phone numbers).
        attributes: attribute dict without ``sub``.
        password: the password, turned into salt and verifier here; None for none.
        status: UNCONFIRMED, CONFIRMED, FORCE_CHANGE_PASSWORD...

    Returns:
        The new User.
    """
    from ._store import User

    sub = attributes.pop("sub", None) or str(uuid.uuid4())
    now = ctx.now()
    user = User(
        sub=sub, pool_id=pool["Id"], username=username,
        username_key=username_key(pool, username), status=status, enabled=True,
        attributes=dict({"sub": sub}, **attributes), salt=None, verifier=None,
        failed_attempts=0, extra={}, created=now, modified=now,
    )  # fmt: skip
    if password is not None:
        user.salt, user.verifier = _srp_server.make_verifier(pool_name(pool), username, password)
    ctx.store.insert_user(user)
    return user


def set_password(ctx, pool, user, password):
    """Replace a user's salt and verifier (the password itself is not kept)."""
    user.salt, user.verifier = _srp_server.make_verifier(pool_name(pool), user.username, password)
    user.failed_attempts, user.last_failed, user.locked_until = 0, None, None
    user.modified = ctx.now()


def set_temporary_password(ctx, pool, user, password):
    """Give a user a temporary password (AdminCreateUser, AdminSetUserPassword with
    Permanent false): FORCE_CHANGE_PASSWORD, valid for the pool's
    TemporaryPasswordValidityDays; the next sign-in gets NEW_PASSWORD_REQUIRED.
    """
    set_password(ctx, pool, user, password)
    user.status = "FORCE_CHANGE_PASSWORD"
    days = pool["Policies"]["PasswordPolicy"]["TemporaryPasswordValidityDays"]
    user.extra["temporary_password_expires"] = ctx.now() + days * 86400


def check_password_policy(pool, password):
    """Enforce the pool's password policy.

    Raises:
        ServiceError: InvalidPasswordException "Password did not conform with policy: ...".
    """
    policy = pool["Policies"]["PasswordPolicy"]
    reason = None
    if len(password) < policy["MinimumLength"]:
        reason = "Password not long enough"
    elif policy["RequireUppercase"] and not re.search(r"[A-Z]", password):
        reason = "Password must have uppercase characters"
    elif policy["RequireLowercase"] and not re.search(r"[a-z]", password):
        reason = "Password must have lowercase characters"
    elif policy["RequireNumbers"] and not re.search(r"[0-9]", password):
        reason = "Password must have numeric characters"
    elif policy["RequireSymbols"] and not any(char in _SYMBOLS for char in password):
        reason = "Password must have symbol characters"
    if reason:
        raise _errors.InvalidPassword("Password did not conform with policy: " + reason)


def check_user_usable(user):
    """Refuse disabled users and users that must reset their password first."""
    if not user.enabled:
        raise _errors.NotAuthorized("User is disabled.")
    if user.status == "RESET_REQUIRED":
        raise _errors.PasswordResetRequired("Password reset required for the user")


def check_not_locked(ctx, user):
    """Refuse sign-in attempts during a lockout (they do not count as failures)."""
    if user.locked_until and ctx.now() < user.locked_until:
        raise _errors.NotAuthorized("Password attempts exceeded")


def record_failure(ctx, user):
    """Count a failed sign-in; from the fifth on, lock for 2^(n-5) s, at most 15 min."""
    now = ctx.now()
    if user.last_failed and now - user.last_failed > LOCKOUT_RESET:
        user.failed_attempts = 0
    user.failed_attempts = (user.failed_attempts or 0) + 1
    user.last_failed = now
    if user.failed_attempts >= LOCKOUT_AFTER:
        user.locked_until = now + min(2 ** (user.failed_attempts - LOCKOUT_AFTER), LOCKOUT_MAX)
    user.modified = now
    ctx.store.save_user(user)


def clear_failures(ctx, user):
    """Forget failed sign-ins after a success."""
    if user.failed_attempts or user.locked_until:
        user.failed_attempts, user.last_failed, user.locked_until = 0, None, None
        ctx.store.save_user(user)


# Attributes --------------------------------------------------------------------------


def _schema_error(name, problem):
    return _errors.InvalidParameter(
        "Attributes did not conform to the schema: %s: %s" % (name, problem)
    )


# More checks of one written attribute (custom attributes' constraints...): each is
# check(name, schema entry, value) and raises a ServiceError.
ATTRIBUTE_CHECKS = []


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
        for extra_check in ATTRIBUTE_CHECKS:
            extra_check(name, spec, value)
        result[name] = value
    return result


def check_required(pool, attributes):
    """Refuse a user that lacks an attribute the pool's schema requires."""
    for name, spec in pool["Schema"].items():
        if spec["Required"] and not attributes.get(name):
            raise _schema_error(name, "The attribute is required")


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


# Codes and the outbox ----------------------------------------------------------------


def mask_email(address):
    """``alice@example.com`` -> ``a***@e***`` (Cognito's CodeDeliveryDetails form)."""
    local, _, domain = address.partition("@")
    return "%s***@%s***" % (local[:1], domain[:1])


def mask_phone(number):
    """``+12065550008`` -> ``+*******0008``: the plus and the last four digits kept."""
    digits = number.lstrip("+")
    return "+" + "*" * max(len(digits) - 4, 0) + digits[-4:]


def delivery_target(user, attributes, verified_only=False):
    """Where to send a code: (attribute, medium, address), or None.

    Args:
        attributes: candidate attributes in order of preference.
        verified_only: only verified addresses qualify (forgot-password).
    """
    for attribute in attributes:
        address = user.attributes.get(attribute)
        if not address:
            continue
        if verified_only and user.attributes.get(attribute + "_verified") != "true":
            continue
        return attribute, ("EMAIL" if attribute == "email" else "SMS"), address
    return None


def signup_target(pool, user):
    """Where the sign-up code goes: the phone when auto-verified (Cognito prefers SMS),
    else the email when auto-verified, else nowhere (None)."""
    auto = pool["AutoVerifiedAttributes"]
    order = [name for name in ("phone_number", "email") if name in auto]
    return delivery_target(user, order)


def send_code(ctx, pool, user, purpose, kind, target, ttl):
    """Make a six-digit code, remember it, and "send" it through the outbox.

    Args:
        purpose: the code's slot (``signup``, ``forgot_password``, ``verify:email``).
        kind: the outbox kind shown to developers.
        target: (attribute, medium, address) from ``delivery_target``.
        ttl: validity in seconds.

    Returns:
        CodeDeliveryDetails: {Destination (masked), DeliveryMedium, AttributeName}.
    """
    attribute, medium, address = target
    code = "%06d" % secrets.randbelow(1000000)
    now = ctx.now()
    ctx.store.put_code(user.sub, purpose, code, now + ttl, attribute)
    ctx.store.add_message(pool["Id"], user.username, kind, address, code, now)
    ctx.print(
        "[outbox] %s code %s for %s in %s, to %s (%s)"
        % (kind, code, user.username, pool["Id"], address, medium)
    )
    return delivery_details(target)


def delivery_details(target):
    """CodeDeliveryDetails for a (attribute, medium, address) target, masked."""
    attribute, medium, address = target
    masked = mask_email(address) if medium == "EMAIL" else mask_phone(address)
    return {"Destination": masked, "DeliveryMedium": medium, "AttributeName": attribute}


def check_code(ctx, user, purpose, given):
    """Check and consume a code.

    Returns:
        The attribute the code was sent to (or None).

    Raises:
        ServiceError: ExpiredCodeException when there is no live code,
            LimitExceededException after too many wrong tries,
            CodeMismatchException when it does not match.
    """
    row = ctx.store.get_code(user.sub, purpose)
    if row is None:
        raise _errors.ExpiredCode(_errors.CODE_EXPIRED)
    if row["expires"] < ctx.now():
        ctx.store.delete_code(user.sub, purpose)
        raise _errors.ExpiredCode(_errors.CODE_EXPIRED)
    if row["attempts"] >= MAX_CODE_ATTEMPTS:
        raise _errors.LimitExceeded("Attempt limit exceeded, please try after some time.")
    if not hmac.compare_digest(row["code"].encode(), str(given).encode("utf-8", "replace")):
        ctx.store.count_code_attempt(user.sub, purpose)
        raise _errors.CodeMismatch(_errors.CODE_MISMATCH)
    ctx.store.delete_code(user.sub, purpose)
    return row["attribute"]


# Tokens ------------------------------------------------------------------------------


def authenticate(ctx, access_token):
    """The user behind an access token, checked as Cognito checks it.

    Returns:
        (pool, user, claims).

    Raises:
        ServiceError: NotAuthorizedException "Invalid Access Token", "Access Token
            has expired" or "Access Token has been revoked"; UserNotFoundException if
            the user was deleted.
    """
    try:
        pool_id, claims = _tokens.verify(ctx.store, access_token, "access")
    except (ValueError, TypeError, RecursionError):
        raise _errors.NotAuthorized("Invalid Access Token") from None
    exp = claims.get("exp")
    if claims.get("token_use") != "access" or not isinstance(exp, int):
        raise _errors.NotAuthorized("Invalid Access Token")
    if ctx.now() >= exp:
        raise _errors.NotAuthorized("Access Token has expired")
    pool = ctx.store.get_pool(pool_id)
    user = ctx.store.get_user_by_sub(str(claims.get("sub")))
    if pool is None or user is None or user.pool_id != pool_id:
        raise _errors.UserNotFound(_errors.USER_DOES_NOT_EXIST)
    family = ctx.store.family(str(claims.get("origin_jti")))
    if family is None or family["revoked"] is not None or not user.enabled:
        raise _errors.NotAuthorized("Access Token has been revoked")
    return pool, user, claims


def start_session(ctx, pool, client, user, extra_access=None):
    """Tokens for a completed sign-in: a new token family with its refresh token.

    Returns:
        AuthenticationResult: AccessToken, ExpiresIn, TokenType, RefreshToken, IdToken.
    """
    now = ctx.now()
    origin_jti = str(uuid.uuid4())
    refresh = _tokens.new_refresh_token()
    ctx.store.insert_family(
        origin_jti, _tokens.sha256_hex(refresh), pool["Id"], client["ClientId"], user.sub,
        int(now), now, now + token_seconds(client, "RefreshToken"),
    )  # fmt: skip
    id_token, access_token, expires_in = _tokens.issue(
        ctx.store, ctx, pool, client, user, int(now), origin_jti, extra_access
    )
    return {
        "AccessToken": access_token,
        "ExpiresIn": expires_in,
        "TokenType": "Bearer",
        "RefreshToken": refresh,
        "IdToken": id_token,
    }
