"""Accounts: the app client a request names and its SECRET_HASH, finding and making
users, their passwords (the pool's policy, temporary passwords), and the checks that
keep a user out (disabled, reset required, locked after failed sign-ins).

Everything here reads and writes through ``ctx.store`` inside the request's
transaction and reports problems as ``ServiceError`` with Cognito's messages.
"""

import base64
import hashlib
import hmac
import re
import uuid

from . import _errors, _srp_server

LOCKOUT_AFTER = 5  # failed sign-ins before the first lock [DG]
LOCKOUT_MAX = 900  # the lock doubles per failure up to about 15 minutes
LOCKOUT_RESET = 900  # 15 minutes without failures resets the count

_SYMBOLS = set("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ")


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


def existing_pool(ctx, pool_id):
    """The pool's settings, or ResourceNotFoundException as Cognito words it."""
    found = ctx.store.get_pool(pool_id)
    if found is None:
        raise _errors.ResourceNotFound("User pool %s does not exist." % pool_id)
    return found


def existing_client(ctx, pool_id, client_id):
    """(pool, client) for a pool and one of its app clients, else ResourceNotFound."""
    pool = existing_pool(ctx, pool_id)
    client = ctx.store.get_client(client_id)
    if client is None or client["UserPoolId"] != pool_id:
        raise _errors.ResourceNotFound("User pool client %s does not exist." % client_id)
    return pool, client


def existing_user(ctx, body):
    """(pool, user) an admin call names by ``UserPoolId`` and ``Username``, else
    ResourceNotFoundException or UserNotFoundException."""
    pool = existing_pool(ctx, body["UserPoolId"])
    user = find_user(ctx, pool, body["Username"])
    if user is None:
        raise _errors.UserNotFound(_errors.USER_DOES_NOT_EXIST)
    return pool, user
