"""``CognitoUser``: the original's user object over the Pythonic ``User``.

Each method keeps the original's name, argument order and callback style, checks its
callbacks up front, and hands the work to the Pythonic ``User``. Challenge objects that
come back are dispatched to the callback the original would call
(``mfaRequired``, ``totpRequired``, ``newPasswordRequired``...).
"""

from .._challenges import GenericChallenge
from .._user import User
from ..errors import InvalidParameterError, NotAuthenticatedError
from ._callbacks import (
    Callbacks,
    Done,
    Undeliverable,
    as_error,
    errback_call,
    invoke,
    node_call,
    node_callback,
    object_call,
    start,
)
from ._values import CognitoUserAttribute, CognitoUserSession

FLOW_TYPES = ("USER_SRP_AUTH", "USER_PASSWORD_AUTH", "CUSTOM_AUTH")

# Challenge name -> (callback name, whether it gets (name, parameters) or parameters).
_CHALLENGE_CALLBACKS = {
    "SMS_MFA": ("mfaRequired", True),
    "SELECT_MFA_TYPE": ("selectMFAType", True),
    "MFA_SETUP": ("mfaSetup", True),
    "SOFTWARE_TOKEN_MFA": ("totpRequired", True),
    "CUSTOM_CHALLENGE": ("customChallenge", False),
}


class CognitoUser:
    """``CognitoUser({"Username": ..., "Pool": CognitoUserPool, "Storage": ...})``.

    Raises:
        InvalidParameterError: "Username and Pool information are required."
    """

    def __init__(self, data=None):
        if not isinstance(data, dict) or data.get("Username") is None or data.get("Pool") is None:
            raise InvalidParameterError("Username and Pool information are required.")
        pool = data["Pool"]
        if not hasattr(pool, "pool"):
            raise InvalidParameterError("Pool must be a CognitoUserPool")
        self.pool = pool
        self._user = User(pool.pool, data["Username"], data.get("Storage"))
        self.authenticationFlowType = "USER_SRP_AUTH"
        self.client = pool.client
        self.storage = self._user.storage

    def __repr__(self):
        return "<CognitoUser %s>" % self._user.username

    @property
    def user(self):
        """The Pythonic ``User`` behind this object."""
        return self._user

    @property
    def username(self):
        return self._user.username

    @property
    def signInUserSession(self):
        return self._adopt(self._user.session)

    @property
    def Session(self):  # the pending challenge's session, as the original names it
        return self._user.challenge_session

    @property
    def deviceKey(self):
        device = self._user.known_device
        return device.key if device else None

    def _adopt(self, session):
        return CognitoUserSession.adopt(session, self._user.pool.clock)

    # -- plain getters -------------------------------------------------------------

    def getUsername(self):
        return self._user.username

    def getAuthenticationFlowType(self):
        return self.authenticationFlowType

    def setAuthenticationFlowType(self, authenticationFlowType):
        self.authenticationFlowType = authenticationFlowType

    def getSignInUserSession(self):
        return self.signInUserSession

    def setSignInUserSession(self, signInUserSession):
        self._user.set_session(signInUserSession)

    def getCachedDeviceKeyAndPassword(self):
        device = self._user.device(self._user.username)
        if device is not None:
            self._user.known_device = device

    def clearCachedUser(self):
        self._user.clear_cached_user()

    def getUserContextData(self):
        return self._user.pool.context.context_data(self._user.username)

    # -- signing in -------------------------------------------------------------------

    def _deliver(self, callbacks):
        """A coroutine function that hands a sign-in's outcome to the right callback."""

        async def deliver(outcome):
            if isinstance(outcome, dict):  # verifySoftwareToken when signed in
                await invoke(callbacks.get("onSuccess"), outcome)
                return outcome
            if not isinstance(outcome, GenericChallenge):
                session = self._adopt(outcome)
                if self._user.user_confirmation_necessary:
                    await invoke(callbacks.get("onSuccess"), session, True)
                else:
                    await invoke(callbacks.get("onSuccess"), session)
                return session
            name = outcome.name
            if name == "NEW_PASSWORD_REQUIRED":
                handler = callbacks.require("newPasswordRequired")
                await invoke(handler, outcome.user_attributes, outcome.required_attributes)
                return outcome
            callback_name, with_name = _CHALLENGE_CALLBACKS.get(name, (None, True))
            if callback_name is None:
                raise Undeliverable(
                    "the service sent challenge %s, which this client cannot answer; "
                    "use user.respond_to_challenge" % name
                )
            handler = callbacks.require(callback_name)
            if with_name:
                await invoke(handler, name, outcome.parameters)
            else:
                await invoke(handler, outcome.parameters)
            return outcome

        return deliver

    def _sign_in(self, callbacks, work):
        return object_call(callbacks, work, self._deliver(callbacks))

    def authenticateUser(self, authDetails, callback):
        """Sign in with ``AuthenticationDetails`` by the flow type set on this user."""
        callbacks = Callbacks(callback, "authenticateUser")
        flow = self.authenticationFlowType

        async def work():
            if not hasattr(authDetails, "getPassword"):
                raise InvalidParameterError("authenticateUser needs AuthenticationDetails")
            if flow not in FLOW_TYPES:
                raise InvalidParameterError("Authentication flow type is invalid.")
            password = authDetails.getPassword()
            if not password:
                raise InvalidParameterError("PASSWORD parameter is required")
            return await self._user.authenticate(
                password, flow=flow, client_metadata=authDetails.metadata()
            )

        return self._sign_in(callbacks, work)

    def initiateAuth(self, authDetails, callback):
        """CUSTOM_AUTH without SRP."""
        callbacks = Callbacks(callback, "initiateAuth")

        async def work():
            if not hasattr(authDetails, "getAuthParameters"):
                raise InvalidParameterError("initiateAuth needs AuthenticationDetails")
            return await self._user.initiate_custom_auth(
                dict(authDetails.getAuthParameters()), authDetails.metadata()
            )

        return self._sign_in(callbacks, work)

    def _pending(self, name):
        pending = getattr(self._user, "pending_challenge", None)
        if pending is None or (name and pending.name not in name):
            raise NotAuthenticatedError("there is no pending %s challenge" % "/".join(name))
        return pending

    def sendCustomChallengeAnswer(self, answerChallenge, callback, clientMetadata=None):
        callbacks = Callbacks(callback, "sendCustomChallengeAnswer")
        return self._sign_in(
            callbacks,
            lambda: self._pending(("CUSTOM_CHALLENGE",)).answer(answerChallenge, clientMetadata),
        )

    def sendMFACode(self, confirmationCode, callback, mfaType=None, clientMetadata=None):
        callbacks = Callbacks(callback, "sendMFACode")
        names = ("SOFTWARE_TOKEN_MFA",) if mfaType == "SOFTWARE_TOKEN_MFA" else ("SMS_MFA",)
        return self._sign_in(
            callbacks,
            lambda: self._pending(names).answer(confirmationCode, clientMetadata),
        )

    def sendMFASelectionAnswer(self, answerChallenge, callback):
        callbacks = Callbacks(callback, "sendMFASelectionAnswer", ("onFailure",))
        return self._sign_in(
            callbacks, lambda: self._pending(("SELECT_MFA_TYPE",)).select(answerChallenge)
        )

    def completeNewPasswordChallenge(
        self, newPassword, requiredAttributeData, callback, clientMetadata=None
    ):
        callbacks = Callbacks(callback, "completeNewPasswordChallenge")
        return self._sign_in(
            callbacks,
            lambda: self._pending(("NEW_PASSWORD_REQUIRED",)).complete(
                newPassword, requiredAttributeData, clientMetadata
            ),
        )

    # -- registration --------------------------------------------------------------------

    def confirmRegistration(
        self, confirmationCode, forceAliasCreation, callback, clientMetadata=None
    ):
        return node_call(
            callback,
            "confirmRegistration",
            lambda: self._user.confirm_sign_up(
                confirmationCode, forceAliasCreation, clientMetadata
            ),
        )

    def resendConfirmationCode(self, callback, clientMetadata=None):
        return node_call(
            callback,
            "resendConfirmationCode",
            lambda: self._user.resend_confirmation_code(clientMetadata),
        )

    # -- the session -------------------------------------------------------------------

    def getSession(self, callback, options=None):
        """``callback(err, session)``; answered synchronously when a valid session is
        cached, as the original, else after a refresh."""
        node_callback(callback, "getSession")
        options = options or {}
        try:
            session = self._user.cached_session()
        except Exception as raised:
            session = None
            error = as_error(raised)
            callback(error, None)
            return Done(None)
        if session is not None:
            adopted = self._adopt(session)
            callback(None, adopted)
            return Done(adopted)
        metadata = options.get("clientMetadata") if isinstance(options, dict) else None
        return node_call(
            self._wrap_refresh(callback),
            "getSession",
            lambda: self._user.get_session(metadata),
            self._adopt,
        )

    def _wrap_refresh(self, callback):
        wrap = getattr(self.pool, "wrapRefreshSessionCallback", None)
        return wrap(callback) if wrap else callback

    def refreshSession(self, refreshToken, callback, clientMetadata=None):
        return node_call(
            self._wrap_refresh(callback),
            "refreshSession",
            lambda: self._user.refresh_session(refreshToken, clientMetadata),
            self._adopt,
        )

    # -- the user's data ------------------------------------------------------------------

    def getUserAttributes(self, callback):
        def shape(data):
            from ..flows.account import attribute_list

            return [
                CognitoUserAttribute({"Name": a["Name"], "Value": a.get("Value")})
                for a in attribute_list(data)
            ]

        return node_call(callback, "getUserAttributes", self._user.get_user, shape)

    def getUserData(self, callback, params=None):
        bypass = bool(params.get("bypassCache")) if isinstance(params, dict) else False
        return node_call(
            callback, "getUserData", lambda: self._user.get_user_data(bypass_cache=bypass)
        )

    # -- signing out --------------------------------------------------------------------

    def signOut(self, revokeTokenCallback=None):
        """Without a callback: clear local data only. With one: revoke the tokens
        first, then clear, then ``revokeTokenCallback(err)``."""
        if not callable(revokeTokenCallback):
            self._user.sign_out_locally()
            return Done(None)

        return errback_call(revokeTokenCallback, lambda: self._user.sign_out(revoke=True), (None,))

    def revokeTokens(self, revokeTokenCallback=None):
        callback = revokeTokenCallback or (lambda err=None: None)
        if not callable(callback):
            raise InvalidParameterError("Invalid revokeTokenCallback. It should be a function.")

        return errback_call(callback, self._user.revoke_tokens)

    def globalSignOut(self, callback):
        callbacks = Callbacks(callback, "globalSignOut")

        async def deliver(_value):
            await invoke(callbacks.get("onSuccess"), "SUCCESS")
            return "SUCCESS"

        return object_call(callbacks, self._user.global_sign_out, deliver)

    # -- attributes ------------------------------------------------------------------------

    def updateAttributes(self, attributes, callback, clientMetadata=None):
        """``callback(err, "SUCCESS", result)`` after the change and a cache refresh."""
        node_callback(callback, "updateAttributes")

        async def run():
            try:
                result = await self._user.update_attributes(attributes, clientMetadata)
            except Exception as raised:
                error = as_error(raised)
                await invoke(callback, error, None)
                return False, error
            await invoke(callback, None, "SUCCESS", result)
            return True, "SUCCESS"

        return start(run())

    def deleteAttributes(self, attributeList, callback):
        return node_call(
            callback, "deleteAttributes", lambda: self._user.delete_attributes(attributeList)
        )

    def _with_code(self, method, callback, work):
        """Calls whose callback object may take ``inputVerificationCode(data)``."""
        callbacks = Callbacks(callback, method)

        async def deliver(data):
            handler = callbacks.get("inputVerificationCode")
            if handler is not None:
                await invoke(handler, data)
            else:
                await invoke(
                    callbacks.get("onSuccess"), "SUCCESS" if method != "forgotPassword" else data
                )
            return data

        return object_call(callbacks, work, deliver)

    def getAttributeVerificationCode(self, attributeName, callback, clientMetadata=None):
        return self._with_code(
            "getAttributeVerificationCode",
            callback,
            lambda: self._user.get_attribute_verification_code(attributeName, clientMetadata),
        )

    def verifyAttribute(self, attributeName, confirmationCode, callback):
        return self._success(
            "verifyAttribute",
            callback,
            lambda: self._user.verify_attribute(attributeName, confirmationCode),
        )

    def _success(self, method, callback, work, value=None):
        """Calls that end in ``onSuccess(result)`` or ``onFailure(err)``."""
        callbacks = Callbacks(callback, method)

        async def deliver(result):
            result = value if value is not None else result
            await invoke(callbacks.get("onSuccess"), result)
            return result

        return object_call(callbacks, work, deliver)

    # -- passwords --------------------------------------------------------------------------

    def changePassword(self, oldUserPassword, newUserPassword, callback, clientMetadata=None):
        return node_call(
            callback,
            "changePassword",
            lambda: self._user.change_password(oldUserPassword, newUserPassword, clientMetadata),
        )

    def forgotPassword(self, callback, clientMetadata=None):
        """``inputVerificationCode(data)`` if the callback object has it, else
        ``onSuccess(data)``."""
        return self._with_code(
            "forgotPassword", callback, lambda: self._user.forgot_password(clientMetadata)
        )

    def confirmPassword(self, confirmationCode, newPassword, callback, clientMetadata=None):
        return self._success(
            "confirmPassword",
            callback,
            lambda: self._user.confirm_password(confirmationCode, newPassword, clientMetadata),
        )

    # -- MFA ----------------------------------------------------------------------------------

    def enableMFA(self, callback):
        return node_call(callback, "enableMFA", self._user.enable_mfa)

    def disableMFA(self, callback):
        return node_call(callback, "disableMFA", self._user.disable_mfa)

    def getMFAOptions(self, callback):
        return node_call(callback, "getMFAOptions", self._user.get_mfa_options)

    def setUserMfaPreference(self, smsMfaSettings, softwareTokenMfaSettings, callback):
        return node_call(
            callback,
            "setUserMfaPreference",
            lambda: self._user.set_mfa_preference(smsMfaSettings, softwareTokenMfaSettings),
        )

    def associateSoftwareToken(self, callback):
        """``associateSecretCode(secret)`` or ``onFailure(err)``."""
        callbacks = Callbacks(
            callback, "associateSoftwareToken", ("associateSecretCode", "onFailure")
        )

        async def deliver(secret):
            await invoke(callbacks.get("associateSecretCode"), secret)
            return secret

        return object_call(callbacks, self._user.associate_software_token, deliver)

    def verifySoftwareToken(self, totpCode, friendlyDeviceName, callback):
        """Signed in: ``onSuccess(data)``; during MFA_SETUP: ``onSuccess(session)``."""
        callbacks = Callbacks(callback, "verifySoftwareToken")
        return self._sign_in(
            callbacks, lambda: self._user.verify_software_token(totpCode, friendlyDeviceName)
        )

    # -- devices -------------------------------------------------------------------------------

    def getDevice(self, callback):
        return self._success("getDevice", callback, self._user.get_device)

    def listDevices(self, limit, paginationToken, callback):
        return self._success(
            "listDevices", callback, lambda: self._user.list_devices(limit, paginationToken)
        )

    def setDeviceStatusRemembered(self, callback):
        return self._success(
            "setDeviceStatusRemembered", callback, lambda: self._user.set_device_status(True)
        )

    def setDeviceStatusNotRemembered(self, callback):
        return self._success(
            "setDeviceStatusNotRemembered", callback, lambda: self._user.set_device_status(False)
        )

    def forgetDevice(self, callback):
        return self._success("forgetDevice", callback, self._user.forget_device)

    def forgetSpecificDevice(self, deviceKey, callback):
        return self._success(
            "forgetSpecificDevice", callback, lambda: self._user.forget_device(deviceKey)
        )

    # -- the account ----------------------------------------------------------------------------

    def deleteUser(self, callback, clientMetadata=None):
        return node_call(callback, "deleteUser", lambda: self._user.delete_user(clientMetadata))

    # -- the original's lower-level public methods -----------------------------------------

    def authenticateUserDefaultAuth(self, authDetails, callback):
        """SRP sign-in (USER_SRP_AUTH, or CUSTOM_AUTH when that is the flow type)."""
        if self.authenticationFlowType not in ("USER_SRP_AUTH", "CUSTOM_AUTH"):
            self.authenticationFlowType = "USER_SRP_AUTH"
        return self.authenticateUser(authDetails, callback)

    def authenticateUserPlainUsernamePassword(self, authDetails, callback):
        """USER_PASSWORD_AUTH sign-in, whatever the flow type."""
        saved = self.authenticationFlowType
        self.authenticationFlowType = "USER_PASSWORD_AUTH"
        try:
            return self.authenticateUser(authDetails, callback)
        finally:
            self.authenticationFlowType = saved

    def authenticateUserInternal(self, dataAuthenticate, authenticationHelper, callback):
        """Continue a sign-in from an answer dict (the helper argument is not needed)."""
        callbacks = Callbacks(callback, "authenticateUserInternal", ("onFailure",))
        return self._sign_in(callbacks, lambda: self._user.continue_sign_in(dataAuthenticate))

    def cacheTokens(self):
        self._user.store_session()

    def cacheDeviceKeyAndPassword(self):
        self._user.store_device()

    def clearCachedDeviceKeyAndPassword(self):
        self._user.forget_device_locally()

    def cacheUserData(self, userData):
        self._user.cache_user_data(userData)

    def getUserDataFromCache(self):
        return self._user.cached_user_data()

    def clearCachedUserData(self):
        self._user.clear_cached_user_data()

    def clearCachedTokens(self):
        self._user.clear_cached_tokens()

    def cleanClientData(self):
        self._user.sign_out_locally()

    def isFetchUserDataAndTokenRequired(self, params=None):
        return bool(params.get("bypassCache")) if isinstance(params, dict) else False

    def isSessionRevocable(self, token):
        claim = getattr(token, "claim", None)
        return bool(claim("origin_jti")) if callable(claim) else False

    def createGetUserRequest(self):
        """An awaitable of GetUser's answer (the original returns a Promise)."""
        return start(_ok(self._user.get_user()))

    def fetchUserData(self):
        """An awaitable of GetUser's answer, which is also cached."""
        return start(_ok(self._user.get_user_data(bypass_cache=True)))

    def refreshSessionIfPossible(self, options=None):
        """An awaitable that refreshes the session when there is a refresh token."""
        metadata = options.get("clientMetadata") if isinstance(options, dict) else None

        async def run():
            current = self._user.session
            if current is not None and current.refresh_token.token:
                await self._user.refresh_session(current.refresh_token, metadata)

        return start(_ok(run()))

    def revokeToken(self, params):
        """``revokeToken({"token": ..., "callback": fn})``: RevokeToken for that token."""
        if not isinstance(params, dict) or not callable(params.get("callback")):
            raise InvalidParameterError("revokeToken takes {'token': ..., 'callback': fn}")
        token = params.get("token")
        return errback_call(params["callback"], lambda: self._user.revoke_token(token))


async def _ok(coroutine):
    # Pending's protocol: (ok, value); errors propagate to whoever awaits.
    return True, await coroutine
