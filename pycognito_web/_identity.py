"""AWS credentials for a signed-in user, from a Cognito identity pool (use case 17).

Theory of operation
-------------------
In JavaScript, use case 17 hands the ID token to the AWS SDK's
``CognitoIdentityCredentials``. The browser has no AWS SDK for Python, so this module
does the same two unsigned calls to Cognito Identity (``AWSCognitoIdentityService``):
``GetId`` (identity pool + logins -> identity id) and ``GetCredentialsForIdentity``
(identity id + logins -> temporary credentials). The login key is the user pool's
provider name, ``cognito-idp.<region>.amazonaws.com/<poolId>``. Credentials are kept
until five minutes before they expire and fetched again after that.
"""

from . import _validate
from ._api import ServiceClient
from .errors import InvalidResponseError, NotAuthenticatedError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Optional

TARGET_PREFIX = "AWSCognitoIdentityService."
REFRESH_MARGIN = 300


def identity_endpoint(region):
    """The public Cognito Identity endpoint of a region."""
    return "https://cognito-identity.%s.amazonaws.com/" % region


def provider_name(pool):
    """The login key of a user pool for Cognito Identity."""
    return "cognito-idp.%s.amazonaws.com/%s" % (pool.region, pool.pool_id)


class Credentials:
    """Temporary AWS credentials: ``access_key_id``, ``secret_key``, ``session_token``,
    ``expiration`` (seconds since the epoch) and the ``identity_id`` they belong to."""

    def __init__(self, identity_id, data):
        if not isinstance(data, dict) or not all(
            isinstance(data.get(k), str) for k in ("AccessKeyId", "SecretKey", "SessionToken")
        ):
            raise InvalidResponseError("GetCredentialsForIdentity answer has no Credentials")
        self.identity_id = identity_id
        self.access_key_id = data["AccessKeyId"]
        self.secret_key = data["SecretKey"]
        self.session_token = data["SessionToken"]
        expiration = data.get("Expiration")
        self.expiration = float(expiration) if isinstance(expiration, (int, float)) else None

    def __repr__(self):
        # The key id only: the secret and token never go to logs.
        return "<Credentials %s expires=%r>" % (self.access_key_id, self.expiration)


class IdentityCredentials:
    """Credentials for the users of one user pool from one identity pool.

    Args:
        identity_pool_id: e.g. ``us-east-1:85156295-afa8-482c-8933-1371f8b3b145``.
        pool: the ``UserPool`` whose users sign in.
        endpoint: another Cognito Identity URL (the emulator, a proxy).
    """

    def __init__(self, identity_pool_id: "str", pool, endpoint: "Optional[str]" = None) -> None:
        _validate.text(identity_pool_id, "identity_pool_id")
        region = identity_pool_id.partition(":")[0]
        if not region or ":" not in identity_pool_id:
            from .errors import InvalidParameterError

            raise InvalidParameterError(
                "identity_pool_id must look like <region>:<uuid>, e.g. us-east-1:8515..."
            )
        self.identity_pool_id = identity_pool_id
        self.pool = pool
        self.client = ServiceClient(
            endpoint or identity_endpoint(region),
            pool.transport,
            target_prefix=TARGET_PREFIX,
            retry=pool.client.retry,
            random_bytes=pool.random_bytes,
            sleep=pool.client._sleep,
        )
        self.identity_id = None  # type: Optional[str]
        self.credentials = None  # type: Optional[Credentials]

    async def get(self, id_token: "Any") -> "Credentials":
        """Credentials for the user whose ID token (or session) is given, fetched only
        when none are held or they expire within five minutes.

        Raises:
            NotAuthenticatedError: without an ID token; ServiceError from the service.
        """
        token = getattr(id_token, "id_token", id_token)  # a Session: its IdToken
        token = getattr(token, "jwt", token)  # an IdToken: its JWT text
        if not isinstance(token, str) or not token:
            raise NotAuthenticatedError("an ID token is needed for identity credentials")
        now = self.pool.clock()
        held = self.credentials
        if held is not None and held.expiration and held.expiration - REFRESH_MARGIN > now:
            return held
        logins = {provider_name(self.pool): token}
        if self.identity_id is None:
            answer = await self.client.call(
                "GetId", {"IdentityPoolId": self.identity_pool_id, "Logins": logins}
            )
            if not isinstance(answer.get("IdentityId"), str):
                raise InvalidResponseError("GetId answer has no IdentityId")
            self.identity_id = answer["IdentityId"]
        answer = await self.client.call(
            "GetCredentialsForIdentity", {"IdentityId": self.identity_id, "Logins": logins}
        )
        self.credentials = Credentials(self.identity_id, answer.get("Credentials"))
        return self.credentials
