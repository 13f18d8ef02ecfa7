"""Typed challenges: what the Pythonic API returns when a sign-in needs the user.

Each class answers one challenge; its methods send the answer and return the next
step, a ``Session`` or another challenge. ``make_challenge`` picks the class from a
table keyed by challenge name; unknown names become a ``GenericChallenge``.
"""

import json

from . import _validate
from .errors import InvalidParameterError, NotAuthenticatedError

TYPE_CHECKING = False  # typing is absent on MicroPython; checkers still read this
if TYPE_CHECKING:
    from typing import Any, Optional

ATTRIBUTE_PREFIX = "userAttributes."


class GenericChallenge:
    """A challenge this version has no special class for; answer with ``respond``.

    Attributes:
        name: the ChallengeName.
        parameters: the ChallengeParameters dict.
        user: the ``User`` signing in.
    """

    def __init__(self, user, outcome):
        self.user = user
        self.name = outcome.name
        self.parameters = outcome.parameters
        self.session = outcome.session

    def __repr__(self):
        return "<%s %s>" % (type(self).__name__, self.name)

    def _check_pending(self):
        # A challenge object outlives its sign-in; answering a stale one would send a
        # spent session. Only the user's pending challenge may be answered.
        if self.user.pending_challenge is not self:
            raise NotAuthenticatedError("this %s challenge is no longer pending" % self.name)

    def _request(self, responses, metadata=None, order="responses-first"):
        self._check_pending()
        user = self.user
        body = {"ChallengeName": self.name}
        if order == "client-first":
            body["ClientId"] = user.pool.client_id
            body["ChallengeResponses"] = responses
        else:
            body["ChallengeResponses"] = responses
            body["ClientId"] = user.pool.client_id
        body["Session"] = self.session
        body["ClientMetadata"] = _validate.optional_dict(metadata, "client_metadata")
        body["UserContextData"] = user.pool.context.context_data(user.username)
        return body

    def _responses(self, extra):
        user = self.user
        responses = {"USERNAME": user.username}
        responses.update(extra)
        if user.known_device is not None and "DEVICE_KEY" not in responses:
            responses["DEVICE_KEY"] = user.known_device.key
        responses["SECRET_HASH"] = user.pool.context.secret_hash(user.username)
        return responses

    async def respond(self, responses: "dict", client_metadata: "Optional[dict]" = None) -> "Any":
        """Send ChallengeResponses (USERNAME and SECRET_HASH are added)."""
        if not isinstance(responses, dict):
            raise InvalidParameterError("responses must be a dict")
        request = self._request(self._responses(responses), client_metadata)
        return await self.user.respond_to_challenge(request, client_metadata)


class CodeChallenge(GenericChallenge):
    """SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP: the user types a code."""

    async def answer(self, code: "str", client_metadata: "Optional[dict]" = None) -> "Any":
        """Send the code the user received or read from the authenticator."""
        _validate.text(code, "code")
        extra = {"SMS_MFA_CODE": code}
        if self.name == "SOFTWARE_TOKEN_MFA":
            extra["SOFTWARE_TOKEN_MFA_CODE"] = code
        elif self.name == "EMAIL_OTP":
            extra = {"EMAIL_OTP_CODE": code}
        request = self._request(self._responses(extra), client_metadata)
        return await self.user.respond_to_challenge(request, client_metadata)

    @property
    def destination(self) -> "Optional[str]":
        """Where the code went (masked), when the service says."""
        return self.parameters.get("CODE_DELIVERY_DESTINATION")


class SelectMfaType(GenericChallenge):
    """SELECT_MFA_TYPE: the user picks SMS_MFA or SOFTWARE_TOKEN_MFA."""

    @property
    def options(self) -> "list":
        try:
            return json.loads(self.parameters.get("MFAS_CAN_CHOOSE") or "[]")
        except ValueError:
            return []

    async def select(self, mfa_type: "str", client_metadata: "Optional[dict]" = None) -> "Any":
        _validate.text(mfa_type, "mfa_type")
        self._check_pending()
        user = self.user
        body = {
            "ChallengeName": self.name,
            "ChallengeResponses": {
                "USERNAME": user.username,
                "ANSWER": mfa_type,
                "SECRET_HASH": user.pool.context.secret_hash(user.username),
            },
            "ClientId": user.pool.client_id,
            "Session": self.session,
            "UserContextData": user.pool.context.context_data(user.username),
        }
        return await user.respond_to_challenge(body, client_metadata)


class CustomChallenge(GenericChallenge):
    """CUSTOM_CHALLENGE: the pool's own question, answered with a string."""

    async def answer(self, answer: "str", client_metadata: "Optional[dict]" = None) -> "Any":
        _validate.text(answer, "answer", empty_ok=True)
        user = self.user
        if user.known_device is None:  # the original reloads the stored device here
            user.known_device = user.device(user.username)
        request = self._request(self._responses({"ANSWER": answer}), client_metadata)
        return await user.respond_to_challenge(request, client_metadata)


class NewPasswordRequired(GenericChallenge):
    """NEW_PASSWORD_REQUIRED: an admin-created user must choose a password.

    Attributes:
        user_attributes: the user's current attributes.
        required_attributes: attribute names the pool requires and the user lacks,
            without the ``userAttributes.`` prefix.
    """

    def __init__(self, user, outcome):
        GenericChallenge.__init__(self, user, outcome)
        self.user_attributes = _json_or(self.parameters.get("userAttributes"), {})
        required = _json_or(self.parameters.get("requiredAttributes"), [])
        self.required_attributes = [
            name[len(ATTRIBUTE_PREFIX) :] if name.startswith(ATTRIBUTE_PREFIX) else name
            for name in required
            if isinstance(name, str)
        ]

    async def complete(
        self,
        new_password: "str",
        attributes: "Optional[dict]" = None,
        client_metadata: "Optional[dict]" = None,
    ) -> "Any":
        """Set the new password (and any required attributes) and finish signing in."""
        if not new_password:
            raise InvalidParameterError("New password is required.")
        _validate.text(new_password, "new password")
        responses = {}
        for name, value in (_validate.optional_dict(attributes, "attributes") or {}).items():
            responses[ATTRIBUTE_PREFIX + name] = value
        responses["NEW_PASSWORD"] = new_password
        responses["USERNAME"] = self.user.username
        responses["SECRET_HASH"] = self.user.pool.context.secret_hash(self.user.username)
        request = self._request(responses, client_metadata, order="client-first")
        return await self.user.respond_to_challenge(request, client_metadata)


class MfaSetup(GenericChallenge):
    """MFA_SETUP: the pool requires MFA and the user has none; set up TOTP now."""

    async def associate_software_token(self) -> "str":
        """The secret to show the user (as text and as an ``otpauth://`` QR code)."""
        return await self.user.associate_software_token()

    async def verify(self, code: "str", friendly_device_name: "Optional[str]" = None) -> "Any":
        """Check the first code from the app and finish signing in."""
        return await self.user.verify_software_token(code, friendly_device_name)


def _json_or(text, default):
    if not isinstance(text, str):
        return default
    try:
        value = json.loads(text)
    except ValueError:
        return default
    return value if isinstance(value, type(default)) else default


_TABLE = {
    "SMS_MFA": CodeChallenge,
    "SOFTWARE_TOKEN_MFA": CodeChallenge,
    "EMAIL_OTP": CodeChallenge,
    "SELECT_MFA_TYPE": SelectMfaType,
    "MFA_SETUP": MfaSetup,
    "CUSTOM_CHALLENGE": CustomChallenge,
    "NEW_PASSWORD_REQUIRED": NewPasswordRequired,
}


def make_challenge(user, outcome):
    """The typed challenge object for a Challenge outcome."""
    return _TABLE.get(outcome.name, GenericChallenge)(user, outcome)
