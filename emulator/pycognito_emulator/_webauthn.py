"""Passkeys (WebAuthn): the pool's WebAuthnConfiguration, registration, listing, deletion,
and the assertion check a passkey sign-in uses.

Every check of what a browser sends is done by the ``fido2`` library (Yubico): parsing
RegistrationResponseJSON / AuthenticationResponseJSON, clientDataJSON's ``type``,
``challenge`` and ``origin`` (``fido2.rpid.verify_rp_id``: the relying party's host or a
subdomain of it over https; http only for ``localhost``), the rpIdHash, user presence,
user verification when required, the COSE public key and the assertion signature. This
module keeps the state around them and turns a failed check into Cognito's error:

* challenge unknown, used or expired: WebAuthnChallengeNotFoundException (challenges are
  single-use: any answer naming one spends it, and they live ``CHALLENGE_SECONDS``);
* the access token's app client is not the one that started: WebAuthnClientMismatchException;
* origin not allowed for the relying party: WebAuthnOriginNotAllowedException;
* rpIdHash of another relying party: WebAuthnRelyingPartyMismatchException;
* attestation other than ``none``, an algorithm other than ES256 (-7) or RS256 (-257),
  or an authenticator that did not verify the user when the pool requires it:
  WebAuthnCredentialNotSupportedException;
* anything malformed (not JSON-shaped as the spec says, id != rawId, type not
  ``public-key``, clientData type not ``webauthn.create``): InvalidParameterException.

Pool settings: ``WebAuthnConfiguration {RelyingPartyId (1-127), UserVerification
required|preferred, FactorConfiguration SINGLE_FACTOR|MULTI_FACTOR_WITH_USER_VERIFICATION}``
(SetUserPoolMfaConfig; left-out members get ``preferred`` and ``SINGLE_FACTOR``). Without
a RelyingPartyId the pool's prefix domain is the relying party
(``<domain>.auth.<region>.amazoncognito.com``); with neither, StartWebAuthnRegistration is
WebAuthnConfigurationMissingException. LITE pools have no passkeys (WebAuthnNotEnabled).

Tables (migration 5): ``webauthn_credentials(credential_id, sub, pool_id, rp_id,
public_key, sign_count, transports, attachment, name, created)`` (the COSE key as CBOR,
base64url) and ``webauthn_challenges(challenge_hash, sub, client_id, purpose, rp_id,
user_verification, expires)`` (only a SHA-256 of each challenge is kept).

Choices where Cognito's behaviour is not documented: at most ``MAX_CREDENTIALS`` passkeys
per user (LimitExceededException); FriendlyCredentialName is ``Passkey`` (or
``Security key`` for a cross-platform authenticator); a credential id registered before
is InvalidParameterException; the options ask for a resident key and attestation
``none`` and time out after ``CHALLENGE_SECONDS``.
"""

import base64
import hashlib
import hmac
import json
import secrets

from fido2 import cbor
from fido2.cose import CoseKey
from fido2.rpid import verify_rp_id
from fido2.server import Fido2Server
from fido2.utils import websafe_decode, websafe_encode
from fido2.webauthn import (
    Aaguid,
    AttestedCredentialData,
    AuthenticationResponse,
    RegistrationResponse,
    UserVerificationRequirement,
)

from . import _documents, _errors, _sessions
from ._registry import Field, action

CHALLENGE_SECONDS = 300
MAX_CREDENTIALS = 20
ALGORITHMS = (-7, -257)  # ES256, RS256
DEFAULT_PAGE = 20
_TOKEN = Field(
    "AccessToken", required=True, max_len=16384,
    pattern=(r"^[A-Za-z0-9\-_=.]+$", r"[A-Za-z0-9-_=.]+"),
)  # fmt: skip
_USER_VERIFICATION = ("required", "preferred")
_FACTORS = ("SINGLE_FACTOR", "MULTI_FACTOR_WITH_USER_VERIFICATION")


def _fail(kind, message):
    return _errors.ServiceError(kind, message)


# Pool settings -----------------------------------------------------------------------


def check_config(pool, body):
    """Check SetUserPoolMfaConfig's WebAuthnConfiguration and fill in its defaults (in
    ``body``); ``_factors.check_mfa_config`` calls this.

    Raises:
        ServiceError: SerializationException, InvalidParameterException (Cognito's
            validation wording) or FeatureUnavailableInTierException (LITE pools).
    """
    config = body.get("WebAuthnConfiguration")
    if config is None:
        return
    allowed = {"RelyingPartyId", "UserVerification", "FactorConfiguration"}
    if not isinstance(config, dict) or set(config) - allowed:
        raise _errors.Serialization(
            "Value at 'webAuthnConfiguration' must be a WebAuthnConfigurationType."
        )
    for key, value in config.items():
        if value is not None and not isinstance(value, str):
            raise _errors.Serialization(
                "Value at 'webAuthnConfiguration.%s' must be a string."
                % (key[:1].lower() + key[1:])
            )
    problems = []
    rp_id = config.get("RelyingPartyId")
    if rp_id is not None and not 1 <= len(rp_id) <= 127:
        problems.append(
            ("webAuthnConfiguration.relyingPartyId",
             "Member must have length %s" % ("greater than or equal to 1" if not rp_id
                                             else "less than or equal to 127"))
        )  # fmt: skip
    for key, choices in (
        ("UserVerification", _USER_VERIFICATION),
        ("FactorConfiguration", _FACTORS),
    ):
        if config.get(key) is not None and config[key] not in choices:
            problems.append(
                ("webAuthnConfiguration." + key[:1].lower() + key[1:],
                 "Member must satisfy enum value set: [%s]" % ", ".join(choices))
            )  # fmt: skip
    if problems:
        raise _documents.validation_error([(label, text, None) for label, text in problems])
    if pool.get("UserPoolTier") == "LITE":
        raise _fail(
            "FeatureUnavailableInTierException",
            "Passkeys are not available in the LITE feature plan.",
        )
    filled = {"UserVerification": "preferred", "FactorConfiguration": "SINGLE_FACTOR"}
    filled.update({key: value for key, value in config.items() if value is not None})
    body["WebAuthnConfiguration"] = filled


def relying_party(pool):
    """(rp_id, user_verification) of a pool.

    Raises:
        ServiceError: WebAuthnNotEnabledException (LITE), WebAuthnConfigurationMissingException.
    """
    if pool.get("UserPoolTier") == "LITE":
        raise _fail("WebAuthnNotEnabledException", "Passkeys are not enabled for this user pool.")
    config = pool.get("WebAuthnConfiguration") or {}
    rp_id = config.get("RelyingPartyId")
    if not rp_id and pool.get("Domain"):
        rp_id = "%s.auth.%s.amazoncognito.com" % (pool["Domain"], pool["Id"].split("_", 1)[0])
    if not rp_id:
        raise _fail(
            "WebAuthnConfigurationMissingException",
            "The user pool has no passkey relying party id and no domain.",
        )
    return rp_id, config.get("UserVerification") or "preferred"


# Challenges --------------------------------------------------------------------------


def new_challenge(ctx, user, client_id, purpose, rp_id, user_verification):
    """A fresh random challenge, remembered (hashed) for one answer.

    Returns:
        The challenge bytes.
    """
    ctx.store.run("DELETE FROM webauthn_challenges WHERE expires < ?", (ctx.now() - 3600,))
    challenge = secrets.token_bytes(32)
    ctx.store.run(
        "INSERT INTO webauthn_challenges (challenge_hash, sub, client_id, purpose, rp_id,"
        " user_verification, expires) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (hashlib.sha256(challenge).hexdigest(), user.sub, client_id, purpose, rp_id,
         user_verification, ctx.now() + CHALLENGE_SECONDS),
    )  # fmt: skip
    return challenge


def take_challenge(ctx, user, purpose, challenge):
    """Spend the challenge a clientDataJSON names.

    Returns:
        The challenge row.

    Raises:
        ServiceError: WebAuthnChallengeNotFoundException (unknown, used, another user's
            or another ceremony's, expired).
    """
    digest = hashlib.sha256(challenge).hexdigest()
    row = ctx.store.one("SELECT * FROM webauthn_challenges WHERE challenge_hash = ?", (digest,))
    if row is not None:
        ctx.store.run("DELETE FROM webauthn_challenges WHERE challenge_hash = ?", (digest,))
    if row is None or row["sub"] != user.sub or row["purpose"] != purpose:
        raise _fail("WebAuthnChallengeNotFoundException", "The passkey challenge was not found.")
    if row["expires"] < ctx.now():
        raise _fail("WebAuthnChallengeNotFoundException", "The passkey challenge has expired.")
    return row


def _state(challenge, user_verification):
    # What fido2's Fido2Server.*_complete expect from *_begin.
    return {
        "challenge": websafe_encode(challenge),
        "user_verification": UserVerificationRequirement(user_verification),
    }


def _check_origin_and_rp(client_data, auth_data, rp_id):
    if not verify_rp_id(rp_id, client_data.origin):
        raise _fail(
            "WebAuthnOriginNotAllowedException",
            "The origin of the passkey credential is not allowed for the relying party.",
        )
    if not hmac.compare_digest(auth_data.rp_id_hash, hashlib.sha256(rp_id.encode()).digest()):
        raise _fail(
            "WebAuthnRelyingPartyMismatchException",
            "The passkey credential is for another relying party.",
        )


def _server(rp_id):
    return Fido2Server({"id": rp_id, "name": rp_id}, attestation="none")


# Credentials -------------------------------------------------------------------------


def user_credentials(ctx, user):
    """The user's credential rows, oldest first."""
    return ctx.store.all(
        "SELECT * FROM webauthn_credentials WHERE sub = ? ORDER BY created, credential_id",
        (user.sub,),
    )


def descriptor(row):
    """A PublicKeyCredentialDescriptorJSON for a stored credential."""
    return {
        "type": "public-key",
        "id": row["credential_id"],
        "transports": json.loads(row["transports"]),
    }


def _user_handle(user):
    return websafe_encode(user.sub.encode("ascii"))


@action("StartWebAuthnRegistration", fields=[_TOKEN])
def start_web_authn_registration(ctx, body):
    """StartWebAuthnRegistration: PublicKeyCredentialCreationOptionsJSON for a new passkey."""
    pool, user, claims = _sessions.authenticate(ctx, body["AccessToken"])
    rp_id, user_verification = relying_party(pool)
    existing = user_credentials(ctx, user)
    if len(existing) >= MAX_CREDENTIALS:
        raise _errors.LimitExceeded("The user has the most passkeys allowed.")
    challenge = new_challenge(
        ctx, user, claims.get("client_id"), "register", rp_id, user_verification
    )
    options = {
        "challenge": websafe_encode(challenge),
        "rp": {"id": rp_id, "name": rp_id},
        "user": {"id": _user_handle(user), "name": user.username, "displayName": user.username},
        "pubKeyCredParams": [{"type": "public-key", "alg": alg} for alg in ALGORITHMS],
        "timeout": CHALLENGE_SECONDS * 1000,
        "excludeCredentials": [descriptor(row) for row in existing],
        "authenticatorSelection": {
            "requireResidentKey": True,
            "residentKey": "required",
            "userVerification": user_verification,
        },
        "attestation": "none",
    }
    return {"CredentialCreationOptions": options}


def _registration(credential):
    if not isinstance(credential, dict):
        raise _errors.InvalidParameter("Credential must be a RegistrationResponseJSON object.")
    if credential.get("type") != "public-key":
        raise _errors.InvalidParameter("Credential type must be public-key.")
    try:
        registration = RegistrationResponse.from_dict(credential)
        client_data = registration.response.client_data
        attestation = registration.response.attestation_object
    except Exception:  # fido2 raises ValueError, KeyError, TypeError... on bad input
        raise _errors.InvalidParameter(
            "Credential is not a valid RegistrationResponseJSON."
        ) from None
    if client_data.type != "webauthn.create":
        raise _errors.InvalidParameter("clientDataJSON type must be webauthn.create.")
    transports = credential["response"].get("transports") or []
    if not isinstance(transports, list) or not all(isinstance(t, str) for t in transports):
        raise _errors.InvalidParameter("response.transports must be a list of strings.")
    if credential.get("authenticatorAttachment") not in (None, "platform", "cross-platform"):
        raise _errors.InvalidParameter(
            "authenticatorAttachment must be platform or cross-platform."
        )
    return client_data, attestation


@action(
    "CompleteWebAuthnRegistration", fields=[_TOKEN, Field("Credential", "object", required=True)]
)
def complete_web_authn_registration(ctx, body):
    """CompleteWebAuthnRegistration: verify and store the passkey the browser made."""
    pool, user, claims = _sessions.authenticate(ctx, body["AccessToken"])
    credential = body["Credential"]
    client_data, attestation = _registration(credential)
    row = take_challenge(ctx, user, "register", client_data.challenge)
    if row["client_id"] != claims.get("client_id"):
        raise _fail(
            "WebAuthnClientMismatchException",
            "The access token is for another app client than the one that started.",
        )
    rp_id = row["rp_id"]
    _check_origin_and_rp(client_data, attestation.auth_data, rp_id)
    try:
        auth_data = _server(rp_id).register_complete(
            _state(client_data.challenge, row["user_verification"]), credential
        )
    except ValueError as error:  # user presence or verification missing
        raise _fail("WebAuthnCredentialNotSupportedException", str(error)) from None
    if attestation.fmt != "none":
        raise _fail(
            "WebAuthnCredentialNotSupportedException", "Only attestation none is supported."
        )
    data = auth_data.credential_data
    if data is None:
        raise _errors.InvalidParameter("The authenticator data holds no credential.")
    if data.public_key.ALGORITHM not in ALGORITHMS:
        raise _fail(
            "WebAuthnCredentialNotSupportedException",
            "The passkey's algorithm is not supported (ES256 and RS256 are).",
        )
    credential_id = websafe_encode(data.credential_id)
    if ctx.store.one(
        "SELECT 1 FROM webauthn_credentials WHERE credential_id = ?", (credential_id,)
    ):
        raise _errors.InvalidParameter("This passkey is already registered.")
    if len(user_credentials(ctx, user)) >= MAX_CREDENTIALS:
        raise _errors.LimitExceeded("The user has the most passkeys allowed.")
    transports = credential["response"].get("transports") or []
    attachment = credential.get("authenticatorAttachment")
    ctx.store.run(
        "INSERT INTO webauthn_credentials (credential_id, sub, pool_id, rp_id, public_key,"
        " sign_count, transports, attachment, name, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (credential_id, user.sub, pool["Id"], rp_id,
         websafe_encode(cbor.encode(dict(data.public_key))), auth_data.counter,
         json.dumps(transports), attachment,
         "Security key" if attachment == "cross-platform" else "Passkey", ctx.now()),
    )  # fmt: skip
    return {}


def _page_token(row):
    return base64.urlsafe_b64encode(
        json.dumps([row["created"], row["credential_id"]]).encode()
    ).decode()


def _after(token):
    try:
        created, credential_id = json.loads(base64.urlsafe_b64decode(token.encode()))
        if isinstance(created, (int, float)) and isinstance(credential_id, str):
            return created, credential_id
    except ValueError:
        pass
    raise _errors.InvalidParameter("Invalid NextToken.")


@action(
    "ListWebAuthnCredentials",
    fields=[_TOKEN, Field("NextToken", min_len=1, max_len=131072, pattern=(r"^\S+$", r"[\S]+")),
            Field("MaxResults", "integer")],
)  # fmt: skip
def list_web_authn_credentials(ctx, body):
    """ListWebAuthnCredentials: the signed-in user's passkeys, oldest first, paged."""
    _, user, _ = _sessions.authenticate(ctx, body["AccessToken"])
    limit = body.get("MaxResults")
    if limit is not None and not 0 <= limit <= 20:
        raise _errors.InvalidParameter(
            "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: "
            "Member must have value %s"
            % ("less than or equal to 20" if limit > 20 else "greater than or equal to 0")
        )
    limit = limit or DEFAULT_PAGE
    rows = list(user_credentials(ctx, user))
    if body.get("NextToken"):
        after = _after(body["NextToken"])
        rows = [row for row in rows if (row["created"], row["credential_id"]) > after]
    page = rows[:limit]
    answer = {
        "Credentials": [
            dict(
                {
                    "CredentialId": row["credential_id"],
                    "FriendlyCredentialName": row["name"],
                    "RelyingPartyId": row["rp_id"],
                },
                **({"AuthenticatorAttachment": row["attachment"]} if row["attachment"] else {}),
                AuthenticatorTransports=json.loads(row["transports"]),
                CreatedAt=row["created"],
            )
            for row in page
        ]
    }
    if len(rows) > limit:
        answer["NextToken"] = _page_token(page[-1])
    return answer


@action(
    "DeleteWebAuthnCredential",
    fields=[_TOKEN, Field("CredentialId", required=True, max_len=131072)],
)
def delete_web_authn_credential(ctx, body):
    """DeleteWebAuthnCredential: remove one of the signed-in user's passkeys."""
    _, user, _ = _sessions.authenticate(ctx, body["AccessToken"])
    done = ctx.store.run(
        "DELETE FROM webauthn_credentials WHERE credential_id = ? AND sub = ?",
        (body["CredentialId"], user.sub),
    )
    if done.rowcount == 0:
        raise _errors.ResourceNotFound("Credential not found.")
    return {}


# Sign-in -----------------------------------------------------------------------------


def request_options(ctx, user, client_id, pool):
    """PublicKeyCredentialRequestOptionsJSON for a passkey sign-in (the challenge is
    remembered for ``verify_assertion``)."""
    rp_id, user_verification = relying_party(pool)
    challenge = new_challenge(ctx, user, client_id, "authenticate", rp_id, user_verification)
    return {
        "challenge": websafe_encode(challenge),
        "rpId": rp_id,
        "timeout": CHALLENGE_SECONDS * 1000,
        "allowCredentials": [descriptor(row) for row in user_credentials(ctx, user)],
        "userVerification": user_verification,
    }


def verify_assertion(ctx, user, client_id, credential):
    """Check an AuthenticationResponseJSON against a challenge from ``request_options``.

    Returns:
        Whether the authenticator verified the user (the UV flag).

    Raises:
        ServiceError: the errors listed in the module docstring; NotAuthorizedException
            for a credential the user does not have (deleted), a bad signature, or a
            signCount that did not grow (a cloned authenticator).
    """
    if not isinstance(credential, dict) or credential.get("type") != "public-key":
        raise _errors.InvalidParameter("CREDENTIAL must be an AuthenticationResponseJSON.")
    try:
        response = AuthenticationResponse.from_dict(credential)
        client_data = response.response.client_data
        auth_data = response.response.authenticator_data
    except Exception:  # fido2 raises ValueError, KeyError, TypeError... on bad input
        raise _errors.InvalidParameter(
            "CREDENTIAL is not a valid AuthenticationResponseJSON."
        ) from None
    if client_data.type != "webauthn.get":
        raise _errors.InvalidParameter("clientDataJSON type must be webauthn.get.")
    row = take_challenge(ctx, user, "authenticate", client_data.challenge)
    if row["client_id"] != client_id:
        raise _fail(
            "WebAuthnClientMismatchException", "The passkey challenge is for another app client."
        )
    _check_origin_and_rp(client_data, auth_data, row["rp_id"])
    stored = ctx.store.one(
        "SELECT * FROM webauthn_credentials WHERE credential_id = ? AND sub = ?",
        (websafe_encode(response.raw_id), user.sub),
    )
    if stored is None:
        raise _errors.NotAuthorized("The passkey is not registered for this user.")
    key = CoseKey.parse(cbor.decode(websafe_decode(stored["public_key"])))
    known = AttestedCredentialData.create(Aaguid.NONE, response.raw_id, key)
    try:
        _server(row["rp_id"]).authenticate_complete(
            _state(client_data.challenge, row["user_verification"]), [known], credential
        )
    except ValueError as error:
        if "signature" in str(error):
            raise _errors.NotAuthorized("The passkey signature is not valid.") from None
        raise _fail("WebAuthnCredentialNotSupportedException", str(error)) from None
    count = auth_data.counter
    if (count or stored["sign_count"]) and count <= stored["sign_count"]:
        raise _errors.NotAuthorized("The passkey's signature counter did not increase.")
    ctx.store.run(
        "UPDATE webauthn_credentials SET sign_count = ? WHERE credential_id = ?",
        (count, stored["credential_id"]),
    )
    return auth_data.is_user_verified()
