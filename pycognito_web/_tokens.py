"""Cognito's tokens and the session they make, read without verifying signatures.

Theory of operation
-------------------
A sign-in yields three tokens. The ID and access tokens are JWTs (RFC 7519); the
client only needs their payloads (``exp``, ``iat``, the claims) and decodes them
leniently, as the original SDK does: base64url or plain base64, padded or not, and
an unreadable payload reads as ``{}`` rather than raising. The refresh token is opaque.

A session is valid while ``now - clock_drift`` is before both JWTs' ``exp``, where
``clock_drift`` is the difference between this machine's clock and the service's,
measured as ``now - min(iat)`` when the session is made. Every function that needs the
time takes it as an argument: this module reads no clock.
"""

import json

from ._portable import b64url_decode

TYPE_CHECKING = False  # typing is absent on MicroPython; checkers still read this
if TYPE_CHECKING:
    from typing import Any, Optional


def decode_payload(jwt: "str") -> "dict":
    """The JSON payload of a JWT, or ``{}`` when it cannot be read.

    Accepts base64url and base64, with or without padding, like the original SDK.
    """
    if not isinstance(jwt, str):
        return {}
    parts = jwt.split(".")
    if len(parts) < 2:
        return {}
    try:
        payload = json.loads(b64url_decode(parts[1]).decode("utf-8"))
    except (ValueError, TypeError, UnicodeError):
        return {}
    return payload if isinstance(payload, dict) else {}


def _number(value):
    # Claims must be numbers; a string or null in exp/iat counts as absent.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


class JwtToken:
    """A JWT as Cognito issues it: the raw string and its decoded payload."""

    def __init__(self, token: "Optional[str]" = None) -> None:
        self.jwt = token if isinstance(token, str) else ""
        self.payload = decode_payload(self.jwt)

    @property
    def expiration(self) -> "Optional[float]":
        """``exp`` (seconds since the epoch), or None if the token has none."""
        return _number(self.payload.get("exp"))

    @property
    def issued_at(self) -> "Optional[float]":
        """``iat`` (seconds since the epoch), or None if the token has none."""
        return _number(self.payload.get("iat"))

    def claim(self, name: "str", default: "Any" = None) -> "Any":
        """One claim of the payload."""
        return self.payload.get(name, default)

    def __repr__(self):
        # Never the token itself: reprs end up in logs.
        return "<%s exp=%r>" % (type(self).__name__, self.expiration)


class IdToken(JwtToken):
    """The ID token: who the user is (``sub``, ``cognito:username``, attributes)."""


class AccessToken(JwtToken):
    """The access token: what authorises the user-facing API calls."""


class RefreshToken:
    """The opaque refresh token."""

    def __init__(self, token: "Optional[str]" = None) -> None:
        self.token = token if isinstance(token, str) else ""

    def __repr__(self):
        return "<%s %s>" % (type(self).__name__, "set" if self.token else "empty")


class Session:
    """A signed-in user's tokens and the clock drift measured when they arrived.

    Args:
        id_token, access_token: the two JWTs (required).
        refresh_token: may be empty (a session restored without one cannot refresh).
        clock_drift: seconds this machine's clock runs ahead of the service's; when
            None it is measured from ``now`` and the tokens' ``iat``.
        now: the current time in seconds, needed only to measure the drift.
    """

    def __init__(
        self,
        id_token: "IdToken",
        access_token: "AccessToken",
        refresh_token: "Optional[RefreshToken]" = None,
        clock_drift: "Optional[int]" = None,
        now: "Optional[float]" = None,
    ) -> None:
        from .errors import InvalidParameterError

        if id_token is None or access_token is None:
            raise InvalidParameterError("Id token and Access Token must be present.")
        if not isinstance(id_token, IdToken) or not isinstance(access_token, AccessToken):
            raise InvalidParameterError("the tokens must be an IdToken and an AccessToken")
        if refresh_token is not None and not isinstance(refresh_token, RefreshToken):
            raise InvalidParameterError("refresh_token must be a RefreshToken")
        if clock_drift is not None and (
            isinstance(clock_drift, bool) or not isinstance(clock_drift, (int, float))
        ):
            raise InvalidParameterError("clock_drift must be a number of seconds")
        self.id_token = id_token
        self.access_token = access_token
        self.refresh_token = refresh_token if refresh_token is not None else RefreshToken()
        if clock_drift is None:
            clock_drift = self._measure_drift(now)
        self.clock_drift = clock_drift

    def _measure_drift(self, now):
        issued = [t for t in (self.access_token.issued_at, self.id_token.issued_at) if t]
        if now is None or not issued:
            return 0
        return int(now) - int(min(issued))

    def expires_at(self) -> "Optional[float]":
        """The earlier of the two JWTs' ``exp`` on this machine's clock (drift applied)."""
        id_exp, access_exp = self.id_token.expiration, self.access_token.expiration
        if id_exp is None or access_exp is None:
            return None
        return min(id_exp, access_exp) + self.clock_drift

    def is_valid(self, now: "float") -> "bool":
        """Whether both JWTs are unexpired at ``now`` (seconds), allowing for drift."""
        adjusted = int(now) - self.clock_drift
        for token in (self.access_token, self.id_token):
            exp = token.expiration
            if exp is None or not adjusted < exp:
                return False
        return True

    def __repr__(self):
        return "<%s expires_at=%r drift=%r>" % (
            type(self).__name__,
            self.expires_at(),
            self.clock_drift,
        )


def session_from_result(
    result: "dict", now: "float", refresh_token: "Optional[str]" = None
) -> "Session":
    """A Session from an ``AuthenticationResult``.

    Args:
        result: the AuthenticationResult dict of InitiateAuth/RespondToAuthChallenge.
        now: the current time, to measure clock drift.
        refresh_token: used when the result carries none (a refresh answer).

    Raises:
        InvalidResponseError: if the ID or access token is missing or not a JWT.
    """
    from .errors import InvalidResponseError

    if not isinstance(result, dict):
        raise InvalidResponseError("AuthenticationResult is missing from the answer")
    for name in ("IdToken", "AccessToken"):
        value = result.get(name)
        if not isinstance(value, str) or not decode_payload(value):
            raise InvalidResponseError("AuthenticationResult.%s is missing or not a JWT" % name)
    refresh = result.get("RefreshToken")
    if not isinstance(refresh, str) or not refresh:
        refresh = refresh_token
    return Session(
        IdToken(result["IdToken"]),
        AccessToken(result["AccessToken"]),
        RefreshToken(refresh),
        now=now,
    )
