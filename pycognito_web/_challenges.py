"""Typed challenges: what the Pythonic API returns when a sign-in needs the user.

Each class answers one challenge; its methods send the answer and return the next
step, a ``Session`` or another challenge. What an answer's request holds, and how a
challenge's parameters are read, is ``flows.sign_in``'s (its ``ANSWERS`` table);
``make_challenge`` picks the class from a table keyed by challenge name; unknown names
become a ``GenericChallenge``.
"""

from .errors import NotAuthenticatedError

TYPE_CHECKING = False  # typing is absent on MicroPython; checkers still read this
if TYPE_CHECKING:
    from typing import Any, Optional


def _sign_in():
    # A page may import these classes up front (to test what a sign-in returned) without
    # compiling the sign-in; by the time a challenge exists, it has run.
    from .flows import sign_in

    return sign_in


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

    async def _send(self, value, client_metadata, given=False):
        # A challenge object outlives its sign-in; answering a stale one would send a
        # spent session. Only the user's pending challenge may be answered.
        if self.user.pending_challenge is not self:
            raise NotAuthenticatedError("this %s challenge is no longer pending" % self.name)
        return await self.user._answer(self, value, client_metadata, given)

    async def respond(self, responses: "dict", client_metadata: "Optional[dict]" = None) -> "Any":
        """Send ChallengeResponses (USERNAME and SECRET_HASH are added)."""
        return await self._send(responses, client_metadata, given=True)


class CodeChallenge(GenericChallenge):
    """SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP: the user types a code."""

    async def answer(self, code: "str", client_metadata: "Optional[dict]" = None) -> "Any":
        """Send the code the user received or read from the authenticator."""
        return await self._send(code, client_metadata)

    @property
    def destination(self) -> "Optional[str]":
        """Where the code went (masked), when the service says."""
        return _sign_in().text_parameter(self.parameters, "CODE_DELIVERY_DESTINATION")


class SelectMfaType(GenericChallenge):
    """SELECT_MFA_TYPE: the user picks SMS_MFA or SOFTWARE_TOKEN_MFA."""

    @property
    def options(self) -> "list":
        """The MFA types the user may pick."""
        return _sign_in().mfa_choices(self.parameters)

    async def select(self, mfa_type: "str", client_metadata: "Optional[dict]" = None) -> "Any":
        """Pick one of ``options``; returns the next step (usually its code challenge)."""
        return await self._send(mfa_type, client_metadata)


class CustomChallenge(GenericChallenge):
    """CUSTOM_CHALLENGE: the pool's own question, answered with a string."""

    async def answer(self, answer: "str", client_metadata: "Optional[dict]" = None) -> "Any":
        """Send the user's answer."""
        return await self._send(answer, client_metadata)


class NewPasswordRequired(GenericChallenge):
    """NEW_PASSWORD_REQUIRED: an admin-created user must choose a password.

    Attributes:
        user_attributes: the user's current attributes.
        required_attributes: attribute names the pool requires and the user lacks,
            without the ``userAttributes.`` prefix.
    """

    def __init__(self, user, outcome):
        GenericChallenge.__init__(self, user, outcome)
        current, required = _sign_in().new_password_attributes(self.parameters)
        self.user_attributes, self.required_attributes = current, required

    async def complete(
        self,
        new_password: "str",
        attributes: "Optional[dict]" = None,
        client_metadata: "Optional[dict]" = None,
    ) -> "Any":
        """Set the new password (and any required attributes) and finish signing in."""
        return await self._send((new_password, attributes), client_metadata)


class MfaSetup(GenericChallenge):
    """MFA_SETUP: the pool requires MFA and the user has none; set up TOTP now."""

    async def associate_software_token(self) -> "str":
        """The secret to show the user (as text and as an ``otpauth://`` QR code)."""
        return await self.user.associate_software_token()

    async def verify(self, code: "str", friendly_device_name: "Optional[str]" = None) -> "Any":
        """Check the first code from the app and finish signing in."""
        return await self.user.verify_software_token(code, friendly_device_name)


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
