"""NEW_PASSWORD_REQUIRED: the sign-in step of users whose password is temporary.

AdminCreateUser, and AdminSetUserPassword with Permanent false, leave a user in
FORCE_CHANGE_PASSWORD. Once such a user proves the temporary password, the
``new_password`` step asks NEW_PASSWORD_REQUIRED, with the attributes the user may
change (``userAttributes``) and the required ones still missing
(``requiredAttributes``). The answer sets the new password (and those attributes),
makes the user CONFIRMED and goes on with the steps after this one.

A refused password or a missing required attribute leaves the challenge pending, so
the user can try again with the same Session; a temporary password older than the
pool's TemporaryPasswordValidityDays is refused before the challenge.
"""

import json

from . import _accounts, _attributes, _errors, _signin


@_signin.step("new_password")
def new_password_step(ctx, pool, client, user, state):
    """Users made by AdminCreateUser must choose a password first (FORCE_CHANGE_PASSWORD)."""
    if user.status != "FORCE_CHANGE_PASSWORD":
        return None
    expires = user.extra.get("temporary_password_expires")
    if expires is not None and ctx.now() > expires:
        raise _errors.NotAuthorized(
            "Temporary password has expired and must be reset by an administrator."
        )
    shown = {
        name: value
        for name, value in user.attributes.items()
        if name != "sub" and pool["Schema"].get(name, {}).get("Mutable", True)
    }
    required = [
        "userAttributes." + name
        for name, spec in sorted(pool["Schema"].items())
        if spec["Required"] and not user.attributes.get(name)
    ]
    parameters = {
        "USER_ID_FOR_SRP": user.username,
        "requiredAttributes": json.dumps(required),
        "userAttributes": json.dumps(shown),
    }
    return _signin.challenge_answer(
        ctx, pool, client, user, "NEW_PASSWORD_REQUIRED", parameters, state
    )


@_signin.challenge("NEW_PASSWORD_REQUIRED")
def _new_password_required(ctx, pool, client, responses, body):
    (password,) = _signin.required(responses, "NEW_PASSWORD")
    row = _signin.take_session(
        ctx, client, "NEW_PASSWORD_REQUIRED", session=body.get("Session"), consume=False
    )
    user = ctx.store.get_user_by_sub(row["sub"])
    username = responses.get("USERNAME")
    named = _accounts.find_user(ctx, pool, username) if username else user
    if user is None or named is None or named.sub != user.sub:
        ctx.store.drop_challenge(row["session_hash"])
        raise _errors.NotAuthorized("Invalid session provided for the user.")
    # A refused password or missing attribute leaves the session usable for a retry.
    _accounts.check_password_policy(pool, password)
    prefix = "userAttributes."
    changes = _attributes.check_attributes(
        pool,
        client,
        [
            {"Name": name[len(prefix) :], "Value": value}
            for name, value in responses.items()
            if name.startswith(prefix)
        ],
        updating=True,
    )
    merged = dict(user.attributes, **changes)
    _attributes.check_required(pool, merged)
    ctx.store.drop_challenge(row["session_hash"])
    _accounts.check_secret_hash(
        client, responses.get("SECRET_HASH"), _accounts.user_names(user, username)
    )
    user.attributes = {name: value for name, value in merged.items() if value != ""}
    _accounts.set_password(ctx, pool, user, password)
    user.status = "CONFIRMED"
    user.extra.pop("temporary_password_expires", None)
    ctx.store.save_user(user)
    return _signin.resume(ctx, pool, client, user, row["state"], after="new_password")
