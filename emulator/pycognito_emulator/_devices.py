"""Remembered devices: device tracking, device SRP and the device actions.

A pool tracks devices when its settings hold a ``DeviceConfiguration`` (from
``--config``, or CreateUserPool/UpdateUserPool, which keep it through
``_config.normalize_pool``):

* ``ChallengeRequiredOnNewDevice``: a remembered device that proves itself with
  device SRP replaces the MFA step (unremembered devices still need MFA).
* ``DeviceOnlyRememberedOnUserPrompt``: ConfirmDevice answers
  ``UserConfirmationNecessary: true`` and the device stays ``not_remembered``
  until UpdateDeviceStatus; otherwise it is remembered at once.

Sign-in (the steps ``device``, right after the new-password step and so before
MFA, ``device_after_mfa`` after MFA, and ``device_metadata`` once the tokens are
issued; see ``_signin.STEPS``):

1. The DEVICE_KEY sent (InitiateAuth, or the PASSWORD_VERIFIER answer) names a
   remembered device of the user: the answer is the DEVICE_SRP_AUTH challenge. The
   client sends USERNAME, DEVICE_KEY, SRP_A; the server answers
   DEVICE_PASSWORD_VERIFIER with the device's SALT, SRP_B and a SECRET_BLOCK; the
   client's PASSWORD_CLAIM_SIGNATURE is checked (constant time) with the device
   group key and device key in place of the pool name and username. Then the rest
   of the steps run with ``state["device_authenticated"] = True`` and
   ``state["device_remembered"] = True`` when the pool's
   ``ChallengeRequiredOnNewDevice`` lets the device stand in for MFA. When it does
   not, MFA is asked first and DEVICE_SRP_AUTH follows it (``device_after_mfa``):
   the original SDK answers DEVICE_SRP_AUTH after an MFA code (``sendMFACode``) and
   expects tokens after DEVICE_PASSWORD_VERIFIER.
2. A device that is known but not remembered is bound to the tokens
   (``device_key`` claim), without device SRP.
3. No device, or one this pool does not know: a new device key
   ``<region>_<uuid>`` and group key ``-<random>`` are chosen; the access token
   gets the ``device_key`` claim and AuthenticationResult ``NewDeviceMetadata``
   (``device_metadata``). The device exists from then on, but only
   ConfirmDevice (with its verifier) makes it usable.
4. A refresh whose AuthParameters carry DEVICE_KEY of a confirmed device of the user
   keeps the ``device_key`` claim (``refresh_claims``, called by the refresh flow).

The contract with an MFA step (``_mfa``): it must not ask for a second factor when
``state.get("device_remembered")`` is true.

A DEVICE_KEY in the PASSWORD_VERIFIER answer that this user has no confirmed device
for is ResourceNotFoundException ``Device does not exist.`` (``check_device_key``,
which PASSWORD_VERIFIER calls after the password signature; the challenge stays
pending), so that the original SDK's stale-device retry (it looks for "device" in
the message and answers again without DEVICE_KEY) gets a new device. With
USER_PASSWORD_AUTH, which the original does not retry, an unknown DEVICE_KEY just
counts as no device.

Choices where Cognito's behaviour is not documented: ListDevices and
AdminListDevices list remembered devices only (amplify-js#12171); GetDevice finds
any confirmed device of the user; the device attributes are ``device_status``
(``valid``), ``device_name``, ``dev:device_remembered_status`` and
``last_ip_used``; PaginationToken is an opaque offset; ConfirmDevice on a device
that already has a verifier is DeviceKeyExistsException; a device issued but never
confirmed is dropped after a day.
"""

import base64
import binascii
import secrets
import string
import uuid

from pycognito_web import _srp

from . import _accounts, _errors, _sessions, _signin, _srp_server, _tokens
from ._registry import Field, action

UNCONFIRMED_TTL = 86400
MAX_LIMIT = 60
DEVICE_NOT_FOUND = "Device does not exist."
_KEY_PATTERN = (r"^[\w-]+_[0-9a-f-]+$", r"[\w-]+_[0-9a-f-]+")
_GROUP_ALPHABET = string.ascii_letters + string.digits
_STATUSES = ("remembered", "not_remembered")


def tracking(pool):
    """The pool's DeviceConfiguration dict, or None when devices are not tracked."""
    config = pool.get("DeviceConfiguration")
    return config if isinstance(config, dict) else None


# Storage -------------------------------------------------------------------------------


def _get(ctx, device_key):
    return ctx.store.one("SELECT * FROM devices WHERE device_key = ?", (device_key,))


def confirmed_device(ctx, user, device_key):
    """The user's device row with this key if ConfirmDevice gave it a verifier, or None."""
    if not isinstance(device_key, str) or not device_key:
        return None
    row = _get(ctx, device_key)
    if row is None or row["sub"] != user.sub or row["verifier"] is None:
        return None
    return row


def _client_ip(ctx):
    client = getattr(ctx.request, "client", None)
    return client[0] if client else None


def _touch(ctx, device_key):
    now = ctx.now()
    ctx.store.run(
        "UPDATE devices SET last_authenticated = ?, last_ip = COALESCE(?, last_ip)"
        " WHERE device_key = ?",
        (now, _client_ip(ctx), device_key),
    )


def describe(row):
    """A device row as Cognito's DeviceType."""
    attributes = [{"Name": "device_status", "Value": "valid"}]
    if row["name"]:
        attributes.append({"Name": "device_name", "Value": row["name"]})
    attributes.append({"Name": "dev:device_remembered_status", "Value": row["status"]})
    if row["last_ip"]:
        attributes.append({"Name": "last_ip_used", "Value": row["last_ip"]})
    device = {
        "DeviceKey": row["device_key"],
        "DeviceAttributes": attributes,
        "DeviceCreateDate": row["created"],
        "DeviceLastModifiedDate": row["modified"],
    }
    if row["last_authenticated"] is not None:
        device["DeviceLastAuthenticatedDate"] = row["last_authenticated"]
    return device


# Sign-in -------------------------------------------------------------------------------


def check_device_key(ctx, pool, user, device_key):
    """A DEVICE_KEY sent with PASSWORD_VERIFIER must name a confirmed device of the
    user (in pools that track devices).

    Raises:
        ServiceError: ResourceNotFoundException ``Device does not exist.``
    """
    if tracking(pool) is not None and confirmed_device(ctx, user, device_key) is None:
        raise _errors.ResourceNotFound(DEVICE_NOT_FOUND)


@_signin.step("device")
def device_step(ctx, pool, client, user, state):
    """The sign-in step ``device`` (see the module docstring)."""
    if tracking(pool) is None:
        return None
    claims = state.setdefault("access_claims", {})
    row = confirmed_device(ctx, user, state.get("device_key"))
    if row is None:
        key = "%s_%s" % (pool["Id"].split("_", 1)[0], uuid.uuid4())
        group = "-" + "".join(secrets.choice(_GROUP_ALPHABET) for _ in range(9))
        state["device_key"] = None
        state["new_device"] = {"key": key, "group_key": group}
        claims["device_key"] = key
        return None
    claims["device_key"] = row["device_key"]
    if row["status"] != "remembered":
        return None
    if not tracking(pool).get("ChallengeRequiredOnNewDevice"):
        # The device does not stand in for MFA: MFA comes first, then device SRP
        # (late_device_step), the order the original SDK's sendMFACode expects.
        state["device_srp_after_mfa"] = True
        return None
    state["device_step"] = "early"
    return _signin.challenge_answer(ctx, pool, client, user, "DEVICE_SRP_AUTH", {}, state)


@_signin.step("device_after_mfa")
def late_device_step(ctx, pool, client, user, state):
    """The sign-in step ``device_after_mfa``: device SRP for a remembered device that
    does not replace MFA."""
    if not state.pop("device_srp_after_mfa", False):
        return None
    state["device_step"] = "late"
    return _signin.challenge_answer(ctx, pool, client, user, "DEVICE_SRP_AUTH", {}, state)


@_signin.step("device_metadata")
def device_metadata_step(ctx, pool, client, user, state):
    """The step ``device_metadata``, once the tokens are issued: record a new device and
    add NewDeviceMetadata, or note when a known device signed in."""
    new = state.get("new_device")
    if new:
        now = ctx.now()
        ctx.store.run(
            "DELETE FROM devices WHERE verifier IS NULL AND created < ?", (now - UNCONFIRMED_TTL,)
        )
        ctx.store.run(
            "INSERT INTO devices (device_key, sub, pool_id, group_key, status, last_ip, created,"
            " modified, last_authenticated) VALUES (?, ?, ?, ?, 'new', ?, ?, ?, ?)",
            (new["key"], user.sub, pool["Id"], new["group_key"], _client_ip(ctx), now, now, now),
        )
        return {"NewDeviceMetadata": {"DeviceKey": new["key"], "DeviceGroupKey": new["group_key"]}}
    key = (state.get("access_claims") or {}).get("device_key")
    if key:
        _touch(ctx, key)
    return None


def refresh_claims(ctx, pool, client, user, params):
    """Access-token claims for a refresh: one that names the user's device (DEVICE_KEY,
    as the original SDK sends it) keeps the ``device_key`` claim.

    Returns:
        ``{"device_key": ...}`` or None.
    """
    if tracking(pool) is not None and confirmed_device(ctx, user, params.get("DEVICE_KEY")):
        return {"device_key": params["DEVICE_KEY"]}
    return None


def _session_user(ctx, pool, client, row, username, responses):
    user = ctx.store.get_user_by_sub(row["sub"]) if row["sub"] else None
    named = _accounts.find_user(ctx, pool, username)
    if user is None or named is None or named.sub != user.sub:
        raise _errors.NotAuthorized("Invalid session provided for the user.")
    _accounts.check_secret_hash(
        client, responses.get("SECRET_HASH"), _accounts.user_names(user, username)
    )
    _accounts.check_user_usable(user)
    return user


def _remembered(ctx, user, state, device_key):
    row = confirmed_device(ctx, user, device_key)
    if row is None or row["status"] != "remembered" or device_key != state.get("device_key"):
        raise _errors.ResourceNotFound(DEVICE_NOT_FOUND)
    return row


@_signin.challenge("DEVICE_SRP_AUTH")
def _device_srp_auth(ctx, pool, client, responses, body):
    username, device_key, srp_a = _signin.required(responses, "USERNAME", "DEVICE_KEY", "SRP_A")
    row = _signin.take_session(ctx, client, "DEVICE_SRP_AUTH", session=body.get("Session"))
    user = _session_user(ctx, pool, client, row, username, responses)
    state = row["state"]
    device = _remembered(ctx, user, state, device_key)
    a = _srp_server.parse_a(srp_a)
    if a is None:
        raise _errors.InvalidParameter("SRP_A is not a valid SRP value.")
    b, big_b = _srp_server.server_challenge(device["verifier"])
    block = base64.b64encode(secrets.token_bytes(48)).decode("ascii")
    state = dict(state, a="%x" % a, b="%x" % b, B="%x" % big_b)
    parameters = {
        "DEVICE_KEY": device_key, "SALT": device["salt"], "SECRET_BLOCK": block,
        "SRP_B": "%x" % big_b, "USERNAME": user.username,
    }  # fmt: skip
    return _signin.challenge_answer(
        ctx, pool, client, user, "DEVICE_PASSWORD_VERIFIER", parameters, state, block
    )


@_signin.challenge("DEVICE_PASSWORD_VERIFIER")
def _device_password_verifier(ctx, pool, client, responses, body):
    block, signature, stamp, username, device_key = _signin.required(
        responses, "PASSWORD_CLAIM_SECRET_BLOCK", "PASSWORD_CLAIM_SIGNATURE", "TIMESTAMP",
        "USERNAME", "DEVICE_KEY",
    )  # fmt: skip
    session = body.get("Session")
    row = _signin.take_session(
        ctx, client, "DEVICE_PASSWORD_VERIFIER", session=session,
        block=block if session is None else None,
    )  # fmt: skip
    if row["block_hash"] != _tokens.sha256_hex(block):
        raise _errors.NotAuthorized("Invalid session provided for the user.")
    user = _session_user(ctx, pool, client, row, username, responses)
    state = row["state"]
    device = _remembered(ctx, user, state, device_key)
    _signin.check_timestamp(ctx, stamp)
    expected = _srp_server.expected_signature(
        device["group_key"], device_key, device["verifier"], int(state["a"], 16),
        int(state["b"], 16), int(state["B"], 16), block, stamp,
    )  # fmt: skip
    if not _srp_server.signatures_match(expected, signature):
        raise _errors.NotAuthorized(_errors.INCORRECT_CREDENTIALS)
    state = {key: value for key, value in state.items() if key not in ("a", "b", "B")}
    state["device_authenticated"] = True
    state["device_remembered"] = bool(tracking(pool).get("ChallengeRequiredOnNewDevice"))
    after = "device_after_mfa" if state.pop("device_step", "early") == "late" else "device"
    return _signin.resume(ctx, pool, client, user, state, after=after)


# Actions -------------------------------------------------------------------------------

_ACCESS = Field("AccessToken", required=True, max_len=16384)
_KEY = Field("DeviceKey", required=True, min_len=1, max_len=55, pattern=_KEY_PATTERN)
_POOL = Field("UserPoolId", required=True, min_len=1, max_len=55)
_USERNAME = Field("Username", required=True, min_len=1, max_len=128)
_LIMIT = Field("Limit", "integer")
_PAGE = Field("PaginationToken", min_len=1, max_len=131072)


def _tracking_pool(pool):
    if tracking(pool) is None:
        raise _errors.ServiceError(
            "InvalidUserPoolConfigurationException",
            "Device tracking is not enabled for this user pool.",
        )


def _token_user(ctx, body):
    pool, user, _ = _sessions.authenticate(ctx, body["AccessToken"])
    return pool, user


def _device_of(ctx, user, device_key):
    row = confirmed_device(ctx, user, device_key)
    if row is None:
        raise _errors.ResourceNotFound(DEVICE_NOT_FOUND)
    return row


def _page(ctx, user, body):
    limit = body.get("Limit")
    if limit is not None and not 0 <= limit <= MAX_LIMIT:
        raise _errors.InvalidParameter(
            "1 validation error detected: Value at 'limit' failed to satisfy constraint: "
            "Member must have value less than or equal to %d" % MAX_LIMIT
        )
    limit = limit or MAX_LIMIT
    offset = 0
    token = body.get("PaginationToken")
    if token is not None:
        try:
            offset = int(_tokens.b64url_decode(token).decode("ascii"))
        except (ValueError, UnicodeDecodeError, binascii.Error):
            offset = -1
        if offset < 0:
            raise _errors.InvalidParameter("Invalid pagination token.")
    rows = ctx.store.all(
        "SELECT * FROM devices WHERE sub = ? AND status = 'remembered' AND verifier IS NOT NULL"
        " ORDER BY created, device_key LIMIT ? OFFSET ?",
        (user.sub, limit + 1, offset),
    )
    answer = {"Devices": [describe(row) for row in rows[:limit]]}
    if len(rows) > limit:
        answer["PaginationToken"] = _tokens.b64url(str(offset + limit).encode("ascii"))
    return answer


@action(
    "ConfirmDevice",
    fields=[
        _ACCESS,
        _KEY,
        Field("DeviceSecretVerifierConfig", "object"),
        Field("DeviceName", min_len=1, max_len=1024),
    ],
)
def confirm_device(ctx, body):
    """ConfirmDevice: keep a new device's SRP verifier; say whether to ask the user."""
    pool, user = _token_user(ctx, body)
    config = tracking(pool)
    _tracking_pool(pool)
    row = _get(ctx, body["DeviceKey"])
    if row is None or row["sub"] != user.sub:
        raise _errors.ResourceNotFound(DEVICE_NOT_FOUND)
    if row["verifier"] is not None:
        raise _errors.ServiceError("DeviceKeyExistsException", "Device key already exists.")
    verifier_config = body.get("DeviceSecretVerifierConfig") or {}
    try:
        salt = base64.b64decode(verifier_config.get("Salt") or "", validate=True)
        verifier = base64.b64decode(verifier_config.get("PasswordVerifier") or "", validate=True)
    except (binascii.Error, TypeError, ValueError):
        salt = verifier = b""
    value = int.from_bytes(verifier, "big")
    if not salt or len(salt) > 256 or not 1 < value < _srp.N:
        raise _errors.InvalidParameter(
            "DeviceSecretVerifierConfig needs a base64 Salt and PasswordVerifier."
        )
    necessary = bool(config.get("DeviceOnlyRememberedOnUserPrompt"))
    ctx.store.run(
        "UPDATE devices SET salt = ?, verifier = ?, name = ?, status = ?, modified = ?,"
        " last_ip = COALESCE(?, last_ip) WHERE device_key = ?",
        (
            salt.hex(), verifier.hex(), body.get("DeviceName"),
            "not_remembered" if necessary else "remembered", ctx.now(), _client_ip(ctx),
            body["DeviceKey"],
        ),
    )  # fmt: skip
    return {"UserConfirmationNecessary": necessary}


@action("GetDevice", fields=[_KEY, _ACCESS])
def get_device(ctx, body):
    """GetDevice: one device of the signed-in user."""
    _, user = _token_user(ctx, body)
    return {"Device": describe(_device_of(ctx, user, body["DeviceKey"]))}


@action("ListDevices", fields=[_ACCESS, _LIMIT, _PAGE])
def list_devices(ctx, body):
    """ListDevices: the signed-in user's remembered devices, oldest first."""
    _, user = _token_user(ctx, body)
    return _page(ctx, user, body)


@action(
    "UpdateDeviceStatus",
    fields=[_ACCESS, _KEY, Field("DeviceRememberedStatus", choices=list(_STATUSES))],
)
def update_device_status(ctx, body):
    """UpdateDeviceStatus: remembered or not_remembered."""
    _, user = _token_user(ctx, body)
    row = _device_of(ctx, user, body["DeviceKey"])
    status = body.get("DeviceRememberedStatus") or "not_remembered"
    ctx.store.run(
        "UPDATE devices SET status = ?, modified = ? WHERE device_key = ?",
        (status, ctx.now(), row["device_key"]),
    )
    return {}


@action("ForgetDevice", fields=[_ACCESS, _KEY])
def forget_device(ctx, body):
    """ForgetDevice: the device is gone; its key no longer signs in."""
    _, user = _token_user(ctx, body)
    row = _device_of(ctx, user, body["DeviceKey"])
    ctx.store.run("DELETE FROM devices WHERE device_key = ?", (row["device_key"],))
    return {}


@action("AdminGetDevice", fields=[_KEY, _POOL, _USERNAME], public=False)
def admin_get_device(ctx, body):
    """AdminGetDevice: one device of a user."""
    _, user = _accounts.existing_user(ctx, body)
    return {"Device": describe(_device_of(ctx, user, body["DeviceKey"]))}


@action("AdminListDevices", fields=[_POOL, _USERNAME, _LIMIT, _PAGE], public=False)
def admin_list_devices(ctx, body):
    """AdminListDevices: a user's remembered devices, oldest first."""
    _, user = _accounts.existing_user(ctx, body)
    return _page(ctx, user, body)


@action("AdminForgetDevice", fields=[_POOL, _USERNAME, _KEY], public=False)
def admin_forget_device(ctx, body):
    """AdminForgetDevice: forget one device of a user."""
    _, user = _accounts.existing_user(ctx, body)
    row = _device_of(ctx, user, body["DeviceKey"])
    ctx.store.run("DELETE FROM devices WHERE device_key = ?", (row["device_key"],))
    return {}
