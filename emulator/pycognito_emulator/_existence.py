"""PreventUserExistenceErrors=ENABLED: answers for an unknown name that cannot be told
apart from a real user's.

What a real user's sign-in shows, and what an unknown name now gets instead:

* USER_SRP_AUTH's challenge: ``USERNAME``/``USER_ID_FOR_SRP`` are the stored name, so
  an unknown name gets what a stored one would look like in that pool: a UUID (the
  ``sub``) where email or phone number is the username, one form however it is typed
  in a case-insensitive pool (lower case: a real user shows its stored form whatever
  case was typed), the name as typed otherwise. (In alias pools a real user who
  types an alias gets their username back, which cannot be guessed; the typed name is
  shown.) ``SALT`` is ``pad_hex`` of 16 bytes, the shape of a real salt (``_srp_server.
  make_verifier``). ``SRP_B`` comes from ``server_challenge`` over a verifier-sized
  value: one exponentiation, as for a real user. ``SECRET_BLOCK`` is random for both.
* PASSWORD_VERIFIER for that challenge: the same checks in the same order and the same
  signature computation (two exponentiations) before the refusal.
* USER_PASSWORD_AUTH: the password is hashed and exponentiated against a fake salt and
  verifier, as ``check_password`` does for a real user, before the refusal.
* ForgotPassword/ResendConfirmationCode: a destination masked as real ones are
  (``a***@e***``), with letters that vary with the name.

Everything fake is stable across calls: derived by HMAC-SHA256 from the pool id and
the name's lookup form, keyed by a per-pool secret of 32 random bytes kept in the store
(table ``existence_secrets``, made on first use), never by a signing key.
"""

import hashlib
import hmac
import secrets
import string
import uuid

from pycognito_web import _srp

from . import _accounts, _codes, _srp_server

_LETTERS = string.ascii_lowercase + string.digits


def _secret(ctx, pool):
    row = ctx.store.one("SELECT secret FROM existence_secrets WHERE pool_id = ?", (pool["Id"],))
    if row is not None:
        return bytes.fromhex(row["secret"])
    secret = secrets.token_bytes(32)
    ctx.store.run(
        "INSERT OR IGNORE INTO existence_secrets (pool_id, secret) VALUES (?, ?)",
        (pool["Id"], secret.hex()),
    )
    row = ctx.store.one("SELECT secret FROM existence_secrets WHERE pool_id = ?", (pool["Id"],))
    return bytes.fromhex(row["secret"])


def derive(ctx, pool, name, purpose, size=32):
    """``size`` stable pseudo-random bytes for (pool, name, purpose)."""
    key = _secret(ctx, pool)
    message = "\x00".join((purpose, pool["Id"], _accounts.username_key(pool, name)))
    out, counter = b"", 0
    while len(out) < size:
        block = "%d\x00%s" % (counter, message)
        out += hmac.new(key, block.encode("utf-8"), hashlib.sha256).digest()
        counter += 1
    return out[:size]


def shown_name(ctx, pool, name):
    """The USERNAME/USER_ID_FOR_SRP a stored user with this name would show."""
    if pool.get("UsernameAttributes"):
        return str(uuid.UUID(bytes=derive(ctx, pool, name, "sub", 16), version=4))
    return _accounts.username_key(pool, name)


def fake_salt(ctx, pool, name):
    """A salt of a real salt's shape (``pad_hex`` of 16 bytes), stable per name."""
    return _srp.pad_hex(int.from_bytes(derive(ctx, pool, name, "salt", 16), "big"))


def fake_verifier(ctx, pool, name):
    """A verifier-sized value (never shown: B hides it), with no exponentiation."""
    value = int.from_bytes(derive(ctx, pool, name, "verifier", 384), "big") % _srp.N
    return _srp.pad_hex(value)


def srp_challenge(ctx, pool, name):
    """(parameters without SECRET_BLOCK, ghost state) for an unknown name's SRP step."""
    verifier = fake_verifier(ctx, pool, name)
    b, big_b = _srp_server.server_challenge(verifier)
    shown = shown_name(ctx, pool, name)
    parameters = {"SALT": fake_salt(ctx, pool, name), "SRP_B": "%x" % big_b,
                  "USERNAME": shown, "USER_ID_FOR_SRP": shown}  # fmt: skip
    state = {"ghost": True, "b": "%x" % b, "B": "%x" % big_b, "verifier": verifier,
             "shown": shown}  # fmt: skip
    return parameters, state


def srp_answer_work(pool, state, a_hex, block, stamp):
    """The signature a real user's answer is checked against, computed and dropped."""
    if not a_hex or "verifier" not in state:
        return
    _srp_server.expected_signature(
        _accounts.pool_name(pool), state["shown"], state["verifier"], int(a_hex, 16),
        int(state["b"], 16), int(state["B"], 16), block, stamp,
    )  # fmt: skip


def password_work(ctx, pool, name, password):
    """The work ``check_password`` does for a real user, for an unknown name."""
    _srp_server.check_password(
        _accounts.pool_name(pool), shown_name(ctx, pool, name), password,
        fake_salt(ctx, pool, name), fake_verifier(ctx, pool, name),
    )  # fmt: skip


def fake_delivery(ctx, pool, name):
    """CodeDeliveryDetails for an unknown name, masked as a real one, stable per name."""
    if name.startswith("+") and name[1:].isdigit():
        return _codes.delivery_details(("phone_number", "SMS", name))
    if "@" in name:
        return _codes.delivery_details(("email", "EMAIL", name))
    letters = derive(ctx, pool, name, "destination", 2)
    local = _LETTERS[letters[0] % len(_LETTERS)]
    domain = string.ascii_lowercase[letters[1] % 26]
    return _codes.delivery_details(("email", "EMAIL", "%s@%s" % (local, domain)))
