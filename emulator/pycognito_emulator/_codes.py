"""Codes and their delivery: six-digit codes (sign-up, forgot-password, attribute
verification, SMS MFA), where they go, the masked CodeDeliveryDetails, and the outbox
(``/_emulator/messages``) that stands in for email and SMS.
"""

import hmac
import secrets

from . import _errors

SIGNUP_CODE_TTL = 24 * 3600  # [DG Quotas]: sign-up and attribute codes live 24 h
VERIFY_CODE_TTL = 24 * 3600
FORGOT_CODE_TTL = 3600  # forgot-password codes live 1 h
MAX_CODE_ATTEMPTS = 5  # wrong codes before the code is dead (LimitExceeded)


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
