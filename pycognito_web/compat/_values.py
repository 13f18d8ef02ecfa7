"""The original SDK's value classes: tokens, session, attributes, authentication details.

Each takes the dict its JavaScript constructor takes and offers the same camelCase
getters; the token and session classes extend the Pythonic ones, so a session from
either face works in the other.
"""

from .. import _platform, _validate
from .._tokens import AccessToken, IdToken, JwtToken, RefreshToken, Session, decode_payload
from ..errors import InvalidParameterError


def _option(data, name):
    if data is None:
        return None
    if not isinstance(data, dict):
        raise InvalidParameterError(
            "expected a dict like {%r: ...}, got %s" % (name, type(data).__name__)
        )
    return data.get(name)


class _JwtMethods:
    def getJwtToken(self):
        return self.jwt

    @property
    def jwtToken(self):
        return self.jwt

    def getExpiration(self):
        return self.expiration

    def getIssuedAt(self):
        return self.issued_at

    def decodePayload(self):
        return decode_payload(self.jwt)


class CognitoJwtToken(_JwtMethods, JwtToken):
    """A JWT: ``CognitoJwtToken(token)``."""


class CognitoIdToken(_JwtMethods, IdToken):
    """``CognitoIdToken({"IdToken": jwt})``."""

    def __init__(self, data=None):
        IdToken.__init__(self, _option(data, "IdToken"))


class CognitoAccessToken(_JwtMethods, AccessToken):
    """``CognitoAccessToken({"AccessToken": jwt})``."""

    def __init__(self, data=None):
        AccessToken.__init__(self, _option(data, "AccessToken"))


class CognitoRefreshToken(RefreshToken):
    """``CognitoRefreshToken({"RefreshToken": token})``."""

    def __init__(self, data=None):
        RefreshToken.__init__(self, _option(data, "RefreshToken"))

    def getToken(self):
        return self.token


class CognitoUserSession(Session):
    """``CognitoUserSession({"IdToken", "AccessToken", "RefreshToken", "ClockDrift"})``.

    ``isValid()`` reads the clock of the pool that made the session (or the platform's).
    """

    def __init__(self, data=None, clock=None):
        data = data or {}
        if not isinstance(data, dict):
            raise InvalidParameterError("CognitoUserSession takes a dict of tokens")
        self._clock = clock or _platform.now
        for name, kind in (("IdToken", IdToken), ("AccessToken", AccessToken)):
            if data.get(name) is not None and not isinstance(data[name], kind):
                raise InvalidParameterError(
                    "%s must be a Cognito%s, not %s" % (name, name, type(data[name]).__name__)
                )
        refresh = data.get("RefreshToken")
        if refresh is not None and not isinstance(refresh, RefreshToken):
            raise InvalidParameterError("RefreshToken must be a CognitoRefreshToken")
        drift = data.get("ClockDrift")
        if drift is not None and (isinstance(drift, bool) or not isinstance(drift, (int, float))):
            raise InvalidParameterError("ClockDrift must be a number of seconds")
        Session.__init__(
            self,
            data.get("IdToken"),
            data.get("AccessToken"),
            data.get("RefreshToken"),
            clock_drift=data.get("ClockDrift"),
            now=self._clock(),
        )

    @classmethod
    def adopt(cls, session, clock=None):
        """The compat twin of a Pythonic Session (the same one if it already is)."""
        if session is None or isinstance(session, cls):
            return session
        return cls(
            {
                "IdToken": CognitoIdToken({"IdToken": session.id_token.jwt}),
                "AccessToken": CognitoAccessToken({"AccessToken": session.access_token.jwt}),
                "RefreshToken": CognitoRefreshToken({"RefreshToken": session.refresh_token.token}),
                "ClockDrift": session.clock_drift,
            },
            clock,
        )

    def getIdToken(self):
        return self.id_token

    def getAccessToken(self):
        return self.access_token

    def getRefreshToken(self):
        return self.refresh_token

    def getClockDrift(self):
        return self.clock_drift

    def calculateClockDrift(self):
        return self._measure_drift(self._clock())

    def isValid(self):
        return self.is_valid(self._clock())


class CognitoUserAttribute:
    """``CognitoUserAttribute({"Name": ..., "Value": ...})``."""

    def __init__(self, data=None):
        data = data or {}
        if not isinstance(data, dict):
            raise InvalidParameterError("CognitoUserAttribute takes {'Name': ..., 'Value': ...}")
        self.Name = data.get("Name") or ""
        self.Value = data.get("Value") or ""

    def getName(self):
        return self.Name

    def setName(self, name):
        self.Name = name
        return self

    def getValue(self):
        return self.Value

    def setValue(self, value):
        self.Value = value
        return self

    def toJSON(self):
        return {"Name": self.Name, "Value": self.Value}

    def toString(self):
        from .._api import dumps

        return dumps(self.toJSON())

    def __repr__(self):
        return "CognitoUserAttribute(%r)" % (self.toJSON(),)

    def __eq__(self, other):
        return isinstance(other, CognitoUserAttribute) and self.toJSON() == other.toJSON()


class AuthenticationDetails:
    """``AuthenticationDetails({"Username", "Password", "ValidationData", ...})``."""

    def __init__(self, data=None):
        data = data or {}
        if not isinstance(data, dict):
            raise InvalidParameterError("AuthenticationDetails takes a dict")
        self.validationData = data.get("ValidationData") or {}
        self.authParameters = data.get("AuthParameters") or {}
        self.clientMetadata = data.get("ClientMetadata") or {}
        self.username = data.get("Username")
        self.password = data.get("Password")

    def getUsername(self):
        return self.username

    def getPassword(self):
        return self.password

    def getValidationData(self):
        return self.validationData

    def getAuthParameters(self):
        return self.authParameters

    def getClientMetadata(self):
        return self.clientMetadata

    def metadata(self):
        """What the original sends as ClientMetadata: ValidationData if any, else
        ClientMetadata (a quirk kept for byte-compatibility)."""
        chosen = self.validationData if self.validationData else self.clientMetadata
        if isinstance(chosen, (list, tuple)):  # a list of attributes: Cognito wants a map
            items = _validate.attributes(chosen, "ValidationData")
            chosen = {item["Name"]: item["Value"] for item in items}
        return chosen

    def __repr__(self):
        return "<AuthenticationDetails %r>" % (self.username,)


class DateHelper:
    """``DateHelper().getNowString()``: Cognito's TIMESTAMP for now."""

    def __init__(self, clock=None):
        self._clock = clock or _platform.now

    def getNowString(self):
        from .._srp import timestamp

        return timestamp(self._clock())
