"""Signing in: SRP, plain password, custom auth, challenges, and remembered devices.

Theory of operation
-------------------
Cognito's sign-in is a conversation (InitiateAuth, then RespondToAuthChallenge until
an AuthenticationResult arrives). The steps the client answers by itself are:

* ``PASSWORD_VERIFIER``: the second half of SRP (``_srp``), signed with the timestamp;
* ``DEVICE_SRP_AUTH`` then ``DEVICE_PASSWORD_VERIFIER``: the same SRP with the device
  group key, device key and device password in place of pool, user and password;
* an AuthenticationResult with ``NewDeviceMetadata``: the device verifier is made
  and sent with ConfirmDevice.

Every other challenge (MFA codes, new password, custom challenge, MFA set-up) needs the
user, so the flow returns a ``Challenge``; ``answer`` sends what the user gave, laid out
by the ``ANSWERS`` table, and carries on. Request bodies keep the original SDK's field
order, so they match it byte for byte.
"""

from .. import _srp, _validate
from ..errors import InvalidParameterError, InvalidResponseError, ServiceError, SrpError
from . import NOW, call, device, random
from .context import Challenge, DeviceSecrets, SignedIn, auth_result

ATTRIBUTE_PREFIX = "userAttributes."

# Challenges the client answers itself; anything else goes back to the user.
AUTOMATIC = ("DEVICE_SRP_AUTH",)
# The flows that sign in with a password.
FLOWS = ("USER_SRP_AUTH", "USER_PASSWORD_AUTH", "CUSTOM_AUTH")


def check_password_sign_in(secret, auth_flow, metadata):
    """Check a password sign-in's arguments before anything is drawn or sent.

    Returns:
        The checked ClientMetadata.

    Raises:
        InvalidParameterError: naming the bad argument.
    """
    _validate.text(secret, "password")
    if auth_flow not in FLOWS:
        raise InvalidParameterError(
            "Authentication flow type is invalid: %r (expected one of %s)"
            % (auth_flow, ", ".join(FLOWS))
        )
    return _validate.optional_dict(metadata, "client_metadata")


def _parameters(answer, what):
    params = answer.get("ChallengeParameters") if isinstance(answer, dict) else None
    if not isinstance(params, dict):
        raise InvalidResponseError("%s answer has no ChallengeParameters" % what)
    return params


def session_of(answer):
    """The answer's Session (a string), or None when it has none.

    Raises:
        InvalidResponseError: when Session is there but not a string.
    """
    value = answer.get("Session") if isinstance(answer, dict) else None
    if value is not None and not isinstance(value, str):
        raise InvalidResponseError("Session is not a string")
    return value


def _required_text(params, name):
    value = params.get(name)
    if not isinstance(value, str) or not value:
        raise InvalidResponseError("ChallengeParameters.%s is missing" % name)
    return value


_HEX_DIGITS = "0123456789abcdefABCDEF"
_BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _hex_param(params, name):
    # Only hex digits: int(text, 16) would also take a sign, "0x", spaces and "_".
    value = params.get(name)
    if isinstance(value, str) and not all(c in _HEX_DIGITS for c in value):
        raise SrpError("%s is not hexadecimal" % name)
    return _srp.parse_hex(name, value)


def _server_srp(params):
    # B, salt and secret block, checked before any arithmetic is spent on them.
    big_b = _hex_param(params, "SRP_B")
    if big_b % _srp.N == 0:
        raise SrpError("SRP_B must not be 0 mod N")
    if big_b >= _srp.N:  # Cognito sends B mod N; anything larger is not its answer
        raise SrpError("SRP_B is larger than the SRP group's N")
    salt = _hex_param(params, "SALT")
    block = _required_text(params, "SECRET_BLOCK")
    body = block.rstrip("=")
    if len(block) - len(body) > 2 or not all(c in _BASE64 for c in body) or len(block) % 4:
        raise SrpError("ChallengeParameters.SECRET_BLOCK is not base64")
    return big_b, salt, block


def _initiate(ctx, auth_flow, params, username, metadata):
    """The InitiateAuth effect, fields in the original's order."""
    return call(
        "InitiateAuth",
        {
            "AuthFlow": auth_flow,
            "ClientId": ctx.client_id,
            "AuthParameters": params,
            "ClientMetadata": metadata,
            "UserContextData": ctx.context_data(username),
        },
    )


def srp_pair(random_bytes):
    """SRP's secret exponent ``a`` and public ``A = g^a mod N`` from 128 random bytes.

    ``A`` is most of the client's SRP work (a 3072-bit exponentiation), and it does not
    depend on the user or the password, so a client may make the pair ahead of a sign-in
    (``UserPool.prepare_srp``) and hand it to ``srp``. A pair serves one sign-in only.
    """
    a = _srp.small_a(random_bytes)
    return a, _srp.large_a(a)


def srp(
    ctx,
    username,
    password,
    auth_flow="USER_SRP_AUTH",
    known_device=None,
    metadata=None,
    prepared=None,
):
    """USER_SRP_AUTH (or CUSTOM_AUTH that starts with SRP).

    Args:
        ctx: the FlowContext.
        username: as the user typed it (a username or an alias).
        password: the password; it never leaves this generator.
        auth_flow: ``USER_SRP_AUTH`` or ``CUSTOM_AUTH``.
        known_device: the device the caller already holds (its key goes in
            AuthParameters, as the original does).
        metadata: ClientMetadata for the Lambda triggers.
        prepared: an unused ``(a, A)`` from ``srp_pair``; without it the flow asks for
            128 random bytes and makes its own.

    Returns:
        A SignedIn or a Challenge.
    """
    if prepared is None:
        prepared = srp_pair((yield random(128)))
    a, big_a = prepared
    params = {}
    if known_device is not None:
        params["DEVICE_KEY"] = known_device.key
    params["USERNAME"] = username
    params["SRP_A"] = "%x" % big_a
    if auth_flow == "CUSTOM_AUTH":
        params["CHALLENGE_NAME"] = "SRP_A"
    params["SECRET_HASH"] = ctx.secret_hash(username)
    answer = yield _initiate(ctx, auth_flow, params, username, metadata)
    if not isinstance(answer, dict) or answer.get("ChallengeName") not in (
        None,
        "PASSWORD_VERIFIER",
    ):
        return (yield from after_answer(ctx, answer, username, known_device, metadata))
    challenge = _parameters(answer, "InitiateAuth")
    user_id = _required_text(challenge, "USER_ID_FOR_SRP")
    big_b, salt, secret_block = _server_srp(challenge)
    stored = yield device(user_id)
    key = _srp.authentication_key(a, big_a, big_b, salt, ctx.pool_name, user_id, password)
    stamp = _srp.timestamp((yield NOW))
    responses = {
        "USERNAME": user_id,
        "PASSWORD_CLAIM_SECRET_BLOCK": secret_block,
        "TIMESTAMP": stamp,
        "PASSWORD_CLAIM_SIGNATURE": _srp.claim_signature(
            key, ctx.pool_name, user_id, secret_block, stamp
        ),
    }
    if stored is not None:
        responses["DEVICE_KEY"] = stored.key
    responses["SECRET_HASH"] = ctx.secret_hash(user_id)
    request = {
        "ChallengeName": "PASSWORD_VERIFIER",
        "ClientId": ctx.client_id,
        "ChallengeResponses": responses,
        "Session": session_of(answer),
        "ClientMetadata": metadata,
        "UserContextData": ctx.context_data(user_id),
    }
    stale = False
    try:
        answer = yield call("RespondToAuthChallenge", request)
    except ServiceError as error:
        # The original's stale-device retry: the pool forgot the device, so sign in
        # without it once, and tell the caller to drop it from storage.
        if not (
            stored is not None
            and error.code == "ResourceNotFoundException"
            and "device" in error.message.lower()
        ):
            raise
        stale, stored = True, None
        responses.pop("DEVICE_KEY", None)
        answer = yield call("RespondToAuthChallenge", request)
    outcome = yield from after_answer(ctx, answer, user_id, stored, metadata)
    if stale and isinstance(outcome, SignedIn):
        outcome.forget_device = True
    return outcome


def password(ctx, username, secret, known_device=None, metadata=None):
    """USER_PASSWORD_AUTH: the password goes to the service (over TLS), not SRP.

    Returns:
        A SignedIn or a Challenge.
    """
    stored = yield device(username)
    if stored is None:
        stored = known_device
    params = {"USERNAME": username, "PASSWORD": secret}
    if stored is not None:
        params["DEVICE_KEY"] = stored.key
    params["SECRET_HASH"] = ctx.secret_hash(username)
    answer = yield _initiate(ctx, "USER_PASSWORD_AUTH", params, username, metadata)
    return (yield from after_answer(ctx, answer, username, stored, metadata))


def custom(ctx, username, auth_parameters, metadata=None):
    """CUSTOM_AUTH without SRP (the original's ``initiateAuth``).

    Returns:
        A SignedIn or a Challenge (usually CUSTOM_CHALLENGE).
    """
    params = dict(auth_parameters or {})
    params["USERNAME"] = username
    if "SECRET_HASH" not in params:
        params["SECRET_HASH"] = ctx.secret_hash(username)
    answer = yield _initiate(ctx, "CUSTOM_AUTH", params, username, metadata)
    return (yield from after_answer(ctx, answer, username, None, metadata))


def respond(ctx, request, username, known_device=None, metadata=None):
    """Answer a user-facing challenge with a RespondToAuthChallenge body built by the caller.

    Returns:
        A SignedIn or the next Challenge.
    """
    answer = yield call("RespondToAuthChallenge", request)
    return (yield from after_answer(ctx, answer, username, known_device, metadata))


def after_answer(ctx, answer, username, known_device, metadata):
    """What follows an answer: a challenge for the user, device SRP, or tokens.

    Returns:
        A SignedIn or a Challenge.
    """
    if not isinstance(answer, dict):
        raise InvalidResponseError("the answer is not a JSON object")
    name = answer.get("ChallengeName")
    if name == "DEVICE_SRP_AUTH":
        if known_device is None:
            raise InvalidResponseError("the service asked for device SRP but no device is known")
        # The original sends no ClientMetadata in the device steps; neither do we.
        return (yield from device_srp(ctx, username, known_device, session_of(answer)))
    if name:
        if not isinstance(name, str):
            raise InvalidResponseError("ChallengeName is not a string")
        params = answer.get("ChallengeParameters")
        parameters = params if isinstance(params, dict) else {}
        return Challenge(name, parameters, session_of(answer), username, known_device)
    result = auth_result(answer)
    meta = result.get("NewDeviceMetadata")
    if not meta:
        return SignedIn(result, username, known_device)
    new_device, confirm = yield from confirm_device(ctx, result["AccessToken"], meta)
    return SignedIn(result, username, new_device, True, confirm)


def device_srp(ctx, username, known, session):
    """DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER for a remembered device.

    Returns:
        A SignedIn bound to that device.
    """
    a = _srp.small_a((yield random(128)))
    big_a = _srp.large_a(a)
    answer = yield call(
        "RespondToAuthChallenge",
        {
            "ChallengeName": "DEVICE_SRP_AUTH",
            "ClientId": ctx.client_id,
            "ChallengeResponses": {
                "USERNAME": username,
                "DEVICE_KEY": known.key,
                "SRP_A": "%x" % big_a,
                "SECRET_HASH": ctx.secret_hash(username),
            },
            "Session": session,
            "UserContextData": ctx.context_data(username),
        },
    )
    params = _parameters(answer, "DEVICE_SRP_AUTH")
    big_b, salt, secret_block = _server_srp(params)
    key = _srp.authentication_key(a, big_a, big_b, salt, known.group_key, known.key, known.password)
    stamp = _srp.timestamp((yield NOW))
    answer = yield call(
        "RespondToAuthChallenge",
        {
            "ChallengeName": "DEVICE_PASSWORD_VERIFIER",
            "ClientId": ctx.client_id,
            "ChallengeResponses": {
                "USERNAME": username,
                "PASSWORD_CLAIM_SECRET_BLOCK": secret_block,
                "TIMESTAMP": stamp,
                "PASSWORD_CLAIM_SIGNATURE": _srp.claim_signature(
                    key, known.group_key, known.key, secret_block, stamp
                ),
                "DEVICE_KEY": known.key,
                "SECRET_HASH": ctx.secret_hash(username),
            },
            "Session": session_of(answer),
            "UserContextData": ctx.context_data(username),
        },
    )
    return SignedIn(auth_result(answer), username, known)


def confirm_device(ctx, access_token, meta):
    """Make a new device's verifier and register it with ConfirmDevice.

    Returns:
        (DeviceSecrets, user_confirmation_necessary)
    """
    if not isinstance(meta, dict):
        raise InvalidResponseError("NewDeviceMetadata is not an object")
    key = _required_text(meta, "DeviceKey")
    group_key = _required_text(meta, "DeviceGroupKey")
    random40 = yield random(40)
    random16 = yield random(16)
    secret, salt_hex, verifier_hex = _srp.device_secrets(group_key, key, random40, random16)
    answer = yield call(
        "ConfirmDevice",
        {
            "DeviceKey": key,
            "AccessToken": access_token,
            "DeviceSecretVerifierConfig": {
                "Salt": _srp.hex_to_base64(salt_hex),
                "PasswordVerifier": _srp.hex_to_base64(verifier_hex),
            },
            "DeviceName": ctx.device_name,
        },
    )
    confirm = isinstance(answer, dict) and answer.get("UserConfirmationNecessary") is True
    return DeviceSecrets(key, group_key, secret), confirm


# -- answering the user's challenges ------------------------------------------------------
#
# The original SDK builds each RespondToAuthChallenge body by hand, each in its own field
# order, and replay compares bytes, so where ClientId goes, whether ClientMetadata and the
# device key go and what ChallengeResponses holds are part of each answer.
# Layout -> (ClientId before ChallengeResponses, ClientMetadata sent, DEVICE_KEY sent).
LAYOUTS = {
    "code": (False, True, True),
    "new-password": (True, True, False),
    "select": (False, False, False),
    "setup": (True, False, False),
}


def _code(field):
    def fields(username, code):
        responses = {"USERNAME": username, "SMS_MFA_CODE": _validate.text(code, "code")}
        if field != "SMS_MFA_CODE":
            responses[field] = code
        return responses

    return fields


def _email(username, code):
    return {"USERNAME": username, "EMAIL_OTP_CODE": _validate.text(code, "code")}


def _custom(username, text):
    return {"USERNAME": username, "ANSWER": _validate.text(text, "answer", empty_ok=True)}


def _select(username, mfa_type):
    return {"USERNAME": username, "ANSWER": _validate.text(mfa_type, "mfa_type")}


def _new_password(username, value):
    password, attributes = value
    if not password:
        raise InvalidParameterError("New password is required.")
    _validate.text(password, "new password")
    responses = {}
    for name, text in (_validate.optional_dict(attributes, "attributes") or {}).items():
        responses[ATTRIBUTE_PREFIX + name] = text
    responses["NEW_PASSWORD"] = password
    responses["USERNAME"] = username
    return responses


def _setup(username, _value):
    return {"USERNAME": username}


def _given(username, responses):
    # A caller's own ChallengeResponses: USERNAME first, as every answer has it.
    if not isinstance(responses, dict):
        raise InvalidParameterError("responses must be a dict")
    fields = {"USERNAME": username}
    fields.update(responses)
    return fields


# What a challenge's answer is: name -> (ChallengeResponses from the user's value, layout).
# ``None`` is a caller's own ChallengeResponses, for any challenge.
ANSWERS = {
    "SMS_MFA": (_code("SMS_MFA_CODE"), "code"),
    "SOFTWARE_TOKEN_MFA": (_code("SOFTWARE_TOKEN_MFA_CODE"), "code"),
    "EMAIL_OTP": (_email, "code"),
    "CUSTOM_CHALLENGE": (_custom, "code"),
    "SELECT_MFA_TYPE": (_select, "select"),
    "NEW_PASSWORD_REQUIRED": (_new_password, "new-password"),
    "MFA_SETUP": (_setup, "setup"),
    None: (_given, "code"),
}


def answer_body(ctx, name, session, username, value, known_device=None, metadata=None, given=False):
    """The RespondToAuthChallenge body that answers challenge ``name`` with ``value``.

    Args:
        ctx: the FlowContext.
        name: the ChallengeName being answered.
        session: the challenge's Session.
        username: the user signing in.
        value: what the user gave: a code, an answer, ``(new_password, attributes)``,
            or (with ``given``) a dict of ChallengeResponses.
        known_device: the remembered device, whose key goes in code answers.
        metadata: ClientMetadata for the Lambda triggers.
        given: ``value`` is the caller's own ChallengeResponses, whatever ``name`` is.

    Raises:
        InvalidParameterError: for a value the challenge cannot take.
    """
    fields, layout = ANSWERS[None] if given else ANSWERS.get(name, ANSWERS[None])
    client_first, with_metadata, with_device = LAYOUTS[layout]
    responses = fields(username, value)
    metadata = _validate.optional_dict(metadata, "client_metadata")
    if with_device and known_device is not None and "DEVICE_KEY" not in responses:
        responses["DEVICE_KEY"] = known_device.key
    responses["SECRET_HASH"] = ctx.secret_hash(username)
    body = {"ChallengeName": name}
    if client_first:
        body["ClientId"] = ctx.client_id
    body["ChallengeResponses"] = responses
    if not client_first:
        body["ClientId"] = ctx.client_id
    body["Session"] = session
    if with_metadata:
        body["ClientMetadata"] = metadata
    body["UserContextData"] = ctx.context_data(username)
    return body


def answer(ctx, name, session, username, value, known_device=None, metadata=None, given=False):
    """Answer a user's challenge (see ``answer_body``) and carry on signing in.

    A custom challenge's answer carries the stored device's key, read as the original
    reads it then.

    Returns:
        A SignedIn or the next Challenge.
    """
    if name == "CUSTOM_CHALLENGE" and known_device is None:
        known_device = yield device(username)
    body = answer_body(ctx, name, session, username, value, known_device, metadata, given)
    return (yield from respond(ctx, body, username, known_device, metadata))


def mfa_setup(ctx, session, username, code, friendly_name=None, known_device=None):
    """MFA_SETUP: verify the first TOTP code with the challenge's session, then answer.

    Returns:
        A SignedIn or the next Challenge.
    """
    from .mfa import verify_software_token  # only a sign-in that sets up MFA needs it

    verified = yield from verify_software_token(code, friendly_name, session)
    next_session = session_of(verified) or session
    body = answer_body(ctx, "MFA_SETUP", next_session, username, None, known_device)
    return (yield from respond(ctx, body, username, known_device))


# -- reading a challenge's parameters --------------------------------------------------------


def _json_or(text, default):
    import json

    if not isinstance(text, str):
        return default
    try:
        value = json.loads(text)
    except ValueError:
        return default
    return value if isinstance(value, type(default)) else default


def text_parameter(parameters, name):
    """A ChallengeParameters string, or None when absent or not a string."""
    value = parameters.get(name) if isinstance(parameters, dict) else None
    return value if isinstance(value, str) else None


def mfa_choices(parameters):
    """SELECT_MFA_TYPE's MFAS_CAN_CHOOSE: the MFA types the user may pick (strings)."""
    names = _json_or(text_parameter(parameters, "MFAS_CAN_CHOOSE"), [])
    return [name for name in names if isinstance(name, str)]


def new_password_attributes(parameters):
    """NEW_PASSWORD_REQUIRED's attributes: ``(current {name: value}, required names)``,
    the required names without the ``userAttributes.`` prefix."""
    current = _json_or(text_parameter(parameters, "userAttributes"), {})
    required = [
        name[len(ATTRIBUTE_PREFIX) :] if name.startswith(ATTRIBUTE_PREFIX) else name
        for name in _json_or(text_parameter(parameters, "requiredAttributes"), [])
        if isinstance(name, str)
    ]
    return current, required
