"""``CognitoUserPool``: the original's pool object over the Pythonic ``UserPool``."""

from .._pool import UserPool
from ..errors import InvalidParameterError
from ._callbacks import node_call


class CognitoUserPool:
    """``CognitoUserPool({"UserPoolId": ..., "ClientId": ..., ...})``.

    Takes the original's keys (``UserPoolId``, ``ClientId``, ``endpoint``, ``Storage``,
    ``fetchOptions``, ``AdvancedSecurityDataCollectionFlag``) and, beyond it,
    ``ClientSecret``, ``Transport``, ``RandomBytes``, ``Clock``, ``Retry`` and ``Sleep``.

    Raises:
        InvalidParameterError: "Both UserPoolId and ClientId are required." or a
            message naming the malformed one.
    """

    def __init__(self, data=None, wrapRefreshSessionCallback=None):
        if not isinstance(data, dict) or not data.get("UserPoolId") or not data.get("ClientId"):
            raise InvalidParameterError("Both UserPoolId and ClientId are required.")
        flag = data.get("AdvancedSecurityDataCollectionFlag") is not False
        self.pool = UserPool(
            data["UserPoolId"],
            data["ClientId"],
            endpoint=data.get("endpoint"),
            storage=data.get("Storage"),
            client_secret=data.get("ClientSecret"),
            transport=data.get("Transport"),
            random_bytes=data.get("RandomBytes"),
            clock=data.get("Clock"),
            retry=data.get("Retry"),
            sleep=data.get("Sleep"),
            fetch_options=data.get("fetchOptions"),
            context_data=None if flag else (lambda username: None),
        )
        self.userPoolId = self.pool.pool_id
        self.clientId = self.pool.client_id
        self.storage = self.pool.storage
        self.client = self.pool.client
        self.advancedSecurityDataCollectionFlag = flag
        self.wrapRefreshSessionCallback = wrapRefreshSessionCallback

    def __repr__(self):
        return "<CognitoUserPool %s>" % self.userPoolId

    def getUserPoolId(self):
        return self.userPoolId

    def getUserPoolName(self):
        return self.pool.pool_name

    def getClientId(self):
        return self.clientId

    def getCurrentUser(self):
        """The last signed-in user from storage, or None."""
        from ._user import CognitoUser

        user = self.pool.current_user()
        if user is None:
            return None
        return CognitoUser({"Username": user.username, "Pool": self, "Storage": self.storage})

    def getUserContextData(self, username):
        return self.pool.context.context_data(username)

    def signUp(
        self, username, password, userAttributes, validationData, callback, clientMetadata=None
    ):
        """Register a user; ``callback(err, {"user", "userConfirmed", "userSub",
        "codeDeliveryDetails"})``."""
        from ._user import CognitoUser

        def shape(result):
            return {
                "user": CognitoUser({"Username": username, "Pool": self, "Storage": self.storage}),
                "userConfirmed": result.user_confirmed,
                "userSub": result.user_sub,
                "codeDeliveryDetails": result.code_delivery_details,
            }

        return node_call(
            callback,
            "signUp",
            lambda: self.pool.sign_up(
                username, password, userAttributes, validationData, clientMetadata
            ),
            shape,
        )
