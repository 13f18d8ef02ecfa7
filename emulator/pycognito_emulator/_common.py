"""The old home of the helpers that action modules share, kept so that code written
against it still imports. Nothing in the emulator imports it; new code imports the
module that holds the helper:

* ``_accounts``: app clients and SECRET_HASH, finding and making users, passwords and
  the password policy, disabled users and the lockout.
* ``_attributes``: schema checks of written attributes, visible attributes, aliases.
* ``_codes``: codes, their delivery (CodeDeliveryDetails) and the outbox.
* ``_sessions``: the tokens that end a sign-in, the user behind an access token.
"""

from ._accounts import (
    LOCKOUT_AFTER,
    LOCKOUT_MAX,
    LOCKOUT_RESET,
    check_not_locked,
    check_password_policy,
    check_secret_hash,
    check_user_usable,
    clear_failures,
    find_user,
    get_client,
    new_user,
    pool_name,
    prevents_existence_errors,
    record_failure,
    secret_hash,
    set_password,
    set_temporary_password,
    user_names,
    username_key,
)  # fmt: skip
from ._attributes import alias_owner, check_attributes, check_required, visible_attributes
from ._codes import (
    FORGOT_CODE_TTL,
    MAX_CODE_ATTEMPTS,
    SIGNUP_CODE_TTL,
    VERIFY_CODE_TTL,
    check_code,
    delivery_details,
    delivery_target,
    mask_email,
    mask_phone,
    send_code,
    signup_target,
)  # fmt: skip
from ._sessions import authenticate, start_session

__all__ = [
    "FORGOT_CODE_TTL", "LOCKOUT_AFTER", "LOCKOUT_MAX", "LOCKOUT_RESET", "MAX_CODE_ATTEMPTS",
    "SIGNUP_CODE_TTL", "VERIFY_CODE_TTL", "alias_owner", "authenticate", "check_attributes",
    "check_code", "check_not_locked", "check_password_policy", "check_required",
    "check_secret_hash", "check_user_usable", "clear_failures", "delivery_details",
    "delivery_target", "find_user", "get_client", "mask_email", "mask_phone", "new_user",
    "pool_name", "prevents_existence_errors", "record_failure", "secret_hash", "send_code",
    "set_password", "set_temporary_password", "signup_target", "start_session", "user_names",
    "username_key", "visible_attributes",
]  # fmt: skip
