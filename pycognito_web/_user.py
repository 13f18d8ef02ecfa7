"""The Pythonic face: one user of a pool, signed in or not.

``User`` drives the flows of ``flows/`` through the pool's transport and keeps the
session in storage under the original SDK's keys. Storage is written once, after a flow
has fully succeeded, so a failure never leaves half a session behind.
"""

import json

from . import _storage, _validate
from ._tokens import AccessToken, IdToken, RefreshToken, Session, session_from_result
from .errors import (
    CognitoError,
    InvalidParameterError,
    InvalidResponseError,
    NotAuthenticatedError,
    ServiceError,
)

TYPE_CHECKING = False  # typing is absent on MicroPython; checkers still read this
if TYPE_CHECKING:
    from typing import Any, Optional

FLOWS = ("USER_SRP_AUTH", "USER_PASSWORD_AUTH", "CUSTOM_AUTH")


def _sign_in():
    # flows/ (the sign-in flow, SRP) is imported by the first method that runs a flow, or
    # ahead of it by UserPool.prepare_srp: a page that shows a stored session compiles none
    # of it. Later calls find it in sys.modules.
    from .flows import sign_in

    return sign_in


class User:
    """A user of a ``UserPool``.

    Attributes:
        pool: the UserPool.
        storage: where this user's session lives (the pool's, unless given).
        username: the name it was made with; after an SRP sign-in, the canonical
            username the service returned (an alias such as an email is replaced).
        session: the current ``Session``, or None.
        known_device: the remembered device this object holds (``DeviceSecrets``).
        pending_challenge: the challenge a sign-in is waiting on, or None.
        user_confirmation_necessary: after a sign-in that remembered a new device,
            whether the pool wants the user asked (then call ``set_device_status``).
    """

    def __init__(self, pool, username: "str", storage: "Any" = None) -> None:
        _validate.text(username, "username")
        _validate.storage(storage)
        self.pool = pool
        self.storage = storage if storage is not None else pool.storage
        self.username = username
        self.session = None
        self.known_device = None
        self.challenge_session = None
        self.pending_challenge = None
        self.user_confirmation_necessary = False
        self._lock = None

    def __repr__(self):
        return "<User %s %s>" % (self.username, "signed in" if self.session else "signed out")

    # -- the flow environment ----------------------------------------------------

    async def call(self, action: "str", params: "dict") -> "dict":
        """Send one action with the pool's client."""
        return await self.pool.client.call(action, params)

    def random(self, count):
        return self.pool.random_bytes(count)

    def now(self):
        return self.pool.clock()

    def device(self, username):
        """The device remembered for ``username`` in storage, or None."""
        values = [self._read(name, username) for name in _storage.DEVICE_NAMES]
        if not all(values):
            return None
        from .flows.context import DeviceSecrets

        return DeviceSecrets(values[0], values[2], values[1])

    # -- storage -------------------------------------------------------------------

    def _key(self, name, username=None):
        return _storage.user_key(self.pool.client_id, username or self.username, name)

    def _read(self, name, username=None):
        return _storage.read(self.storage, self._key(name, username))

    def _write_session(self, session):
        self._write(
            [
                (self._key("idToken"), session.id_token.jwt),
                (self._key("accessToken"), session.access_token.jwt),
                (self._key("refreshToken"), session.refresh_token.token),
                (self._key("clockDrift"), str(session.clock_drift)),
                (_storage.last_user_key(self.pool.client_id), self.username),
            ]
        )

    def _write_device(self, device):
        self._write(
            [
                (self._key("deviceKey"), device.key),
                (self._key("randomPasswordKey"), device.password),
                (self._key("deviceGroupKey"), device.group_key),
            ]
        )

    def _write(self, items):
        """Write items in order, all or none; a storage that refuses (full, blocked)
        is replaced by memory for this user and pool, with a warning."""
        written = []
        try:
            for key, value in items:
                self.storage.setItem(key, value)
                written.append(key)
            return
        except Exception as error:  # QuotaExceededError, SecurityError, a broken shim
            for key in written:
                try:
                    self.storage.removeItem(key)
                except Exception:  # the storage is failing anyway; memory takes over
                    pass
            reason = type(error).__name__
        from . import _platform
        from ._storage import MemoryStorage

        _platform.warn(
            "pycognito-web: storage refused a write (%s); keeping the session in memory "
            "for this page instead" % reason
        )
        fallback = MemoryStorage()
        if self.pool.storage is self.storage:
            self.pool.storage = fallback
        self.storage = fallback
        for key, value in items:
            fallback.setItem(key, value)

    def _forget_device_locally(self):
        for name in _storage.DEVICE_NAMES:
            self.storage.removeItem(self._key(name))
        self.known_device = None

    def clear_cached_tokens(self) -> None:
        """Remove this user's tokens, clock drift and LastAuthUser from storage."""
        storage = self.storage
        for name in ("idToken", "accessToken", "refreshToken"):
            storage.removeItem(self._key(name))
        storage.removeItem(_storage.last_user_key(self.pool.client_id))
        storage.removeItem(self._key("clockDrift"))

    def clear_cached_user_data(self) -> None:
        """Remove the cached GetUser answer (``.userData``) from storage."""
        self.storage.removeItem(self._key("userData"))

    def clear_cached_user(self) -> None:
        """Remove this user's tokens, LastAuthUser and cached user data from storage."""
        self.clear_cached_tokens()
        self.clear_cached_user_data()

    def cache_user_data(self, data: "dict") -> None:
        """Keep GetUser's answer in storage under ``.userData``."""
        from ._api import dumps

        self.storage.setItem(self._key("userData"), dumps(data))

    def cached_user_data(self) -> "Optional[str]":
        """The ``.userData`` item as stored (a JSON string), or None."""
        return self._read("userData")

    def store_session(self) -> None:
        """Write the current session to storage (sign-in does this by itself)."""
        if self.session is None:
            raise NotAuthenticatedError("User is not authenticated")
        self._write_session(self.session)

    def store_device(self) -> None:
        """Write the known device's keys to storage (sign-in does this by itself)."""
        if self.known_device is None:
            raise InvalidParameterError("this user has no remembered device here")
        self._write_device(self.known_device)

    def forget_device_locally(self) -> None:
        """Drop the remembered device from memory and storage, sending nothing."""
        self._forget_device_locally()

    async def continue_sign_in(self, answer: "dict") -> "Any":
        """Carry on a sign-in from an InitiateAuth/RespondToAuthChallenge answer obtained
        elsewhere (the original's ``authenticateUserInternal``)."""
        flow = _sign_in().after_answer(
            self.pool.context, answer, self.username, self.known_device, None
        )
        return await self._run(flow)

    def set_session(self, session: "Session") -> None:
        """Adopt a session (e.g. one made elsewhere) and store it."""
        if not isinstance(session, Session):
            raise InvalidParameterError("session must be a Session")
        self.clear_cached_user_data()
        self.session = session
        self._write_session(session)

    # -- signing in ------------------------------------------------------------------

    async def _run(self, flow):
        from .flows import run_async

        outcome = await run_async(flow, self)
        return self._finish(outcome)

    def _finish(self, outcome):
        from .flows.context import Challenge

        self.username = outcome.username
        if isinstance(outcome, Challenge):
            if outcome.device is not None:
                self.known_device = outcome.device
            self.challenge_session = outcome.session
            from ._challenges import make_challenge  # only when a challenge comes

            self.pending_challenge = make_challenge(self, outcome)
            return self.pending_challenge
        session = _fresh(session_from_result(outcome.result, self.now()), self.now())
        self.challenge_session = self.pending_challenge = None
        if outcome.forget_device:
            self._forget_device_locally()
        self.session = session
        self._write_session(session)
        if outcome.device is not None:
            self.known_device = outcome.device
            if outcome.new_device:
                self._write_device(outcome.device)
        self.user_confirmation_necessary = outcome.user_confirmation_necessary
        return session

    async def authenticate(
        self,
        password: "str",
        *,
        flow: "str" = "USER_SRP_AUTH",
        client_metadata: "Optional[dict]" = None,
    ) -> "Any":
        """Sign in with a password.

        Args:
            password: the user's password; with SRP (the default) it never leaves
                this machine.
            flow: ``USER_SRP_AUTH``, ``USER_PASSWORD_AUTH`` or ``CUSTOM_AUTH`` (SRP first,
                then the pool's custom challenges).
            client_metadata: a dict of strings for the Lambda triggers.

        Returns:
            The new ``Session``, or a challenge object (``SmsMfaRequired``,
            ``TotpRequired``, ``NewPasswordRequired``, ``CustomChallenge``, ...) whose
            methods continue the sign-in.

        Raises:
            InvalidParameterError, ServiceError (NotAuthorizedException for a wrong
            password, UserNotConfirmedException...), SrpError, NetworkError.
        """
        _validate.text(password, "password")
        if flow not in FLOWS:
            raise InvalidParameterError(
                "Authentication flow type is invalid: %r (expected one of %s)"
                % (flow, ", ".join(FLOWS))
            )
        metadata = _validate.optional_dict(client_metadata, "client_metadata")
        ctx = self.pool.context
        if flow == "USER_PASSWORD_AUTH":
            return await self._run(
                _sign_in().password(ctx, self.username, password, self.known_device, metadata)
            )
        prepared = self.pool._take_srp_pair()
        return await self._run(
            _sign_in().srp(
                ctx, self.username, password, flow, self.known_device, metadata, prepared
            )
        )

    async def initiate_custom_auth(
        self, auth_parameters: "Optional[dict]" = None, client_metadata: "Optional[dict]" = None
    ) -> "Any":
        """Start CUSTOM_AUTH without SRP; usually answers with a ``CustomChallenge``."""
        params = _validate.optional_dict(auth_parameters, "auth_parameters") or {}
        metadata = _validate.optional_dict(client_metadata, "client_metadata")
        return await self._run(
            _sign_in().custom(self.pool.context, self.username, params, metadata)
        )

    async def respond_to_challenge(self, request: "dict", metadata=None) -> "Any":
        """Send a RespondToAuthChallenge body for the pending challenge and continue."""
        if not isinstance(request, dict):
            raise InvalidParameterError("request must be a RespondToAuthChallenge body (a dict)")
        if self.challenge_session is None and request.get("Session") is None:
            raise NotAuthenticatedError("there is no challenge to answer: sign in first")
        return await self._run(
            _sign_in().respond(
                self.pool.context, request, self.username, self.known_device, metadata
            )
        )

    # -- the session -------------------------------------------------------------------

    def cached_session(self) -> "Optional[Session]":
        """The valid session in memory or storage, without any request; else None."""
        now = self.now()
        if self.session is not None and self.session.is_valid(now):
            return self.session
        stored = self._stored_session()
        if stored is not None and stored.is_valid(now):
            self.session = stored
            return stored
        return None

    def _stored_session(self):
        id_token = self._read("idToken")
        if not id_token:
            return None
        drift = self._read("clockDrift")
        try:
            drift = int(drift) if drift else 0
        except ValueError:  # garbage in storage counts as no drift
            drift = 0
        return Session(
            IdToken(id_token),
            AccessToken(self._read("accessToken") or ""),
            RefreshToken(self._read("refreshToken") or ""),
            clock_drift=drift,
        )

    async def get_session(self, client_metadata: "Optional[dict]" = None) -> "Session":
        """The current session, refreshed with the refresh token if it has expired.

        Raises:
            NotAuthenticatedError: when there is no stored session to use or refresh.
            ServiceError: when the refresh is refused (the stored session is cleared
                on NotAuthorizedException, as the original does).
        """
        session = self.cached_session()
        if session is not None:
            return session
        # One refresh at a time: callers that arrive meanwhile get its result.
        async with self._refresh_lock():
            session = self.cached_session()
            if session is not None:
                return session
            stored = self._stored_session()
            if stored is None:
                raise NotAuthenticatedError(
                    "Local storage is missing an ID Token, Please authenticate"
                )
            if not stored.refresh_token.token:
                raise NotAuthenticatedError("Cannot retrieve a new session. Please authenticate.")
            return await self.refresh_session(stored.refresh_token, client_metadata)

    def _refresh_lock(self):
        import asyncio

        if self._lock is None:
            self._lock = asyncio.Lock()
        return self._lock

    async def refresh_session(
        self, refresh_token: "Any" = None, client_metadata: "Optional[dict]" = None
    ) -> "Session":
        """New ID and access tokens from a refresh token (the current one by default)."""
        if refresh_token is None:
            current = self.session or self._stored_session()
            refresh_token = current.refresh_token if current else None
        token = getattr(refresh_token, "token", refresh_token)
        if not isinstance(token, str) or not token:
            raise NotAuthenticatedError("Cannot retrieve a new session. Please authenticate.")
        metadata = _validate.optional_dict(client_metadata, "client_metadata")
        device_key = self._read("deviceKey")
        flow = _sign_in().refresh(self.pool.context, token, self.username, device_key, metadata)
        from .flows import run_async

        try:
            result = await run_async(flow, self)
        except ServiceError as error:
            if error.code != "NotAuthorizedException":
                raise
            # Another tab may have refreshed (and, with rotation, replaced) the token
            # meanwhile: its session in the shared storage is then the one to use.
            other = self._stored_session()
            if (
                other is not None
                and other.refresh_token.token
                and other.refresh_token.token != token
                and other.is_valid(self.now())
            ):
                self.session = other
                return other
            self.clear_cached_user()
            self.session = None
            raise
        session = _fresh(session_from_result(result, self.now(), refresh_token=token), self.now())
        self.session = session
        self._write_session(session)
        return session

    def _access_token(self):
        # What every token-authorised call needs; the original's "not authenticated".
        if self.session is None or not self.session.is_valid(self.now()):
            raise NotAuthenticatedError("User is not authenticated")
        return self.session.access_token.jwt

    # -- registration ----------------------------------------------------------------

    async def confirm_sign_up(
        self,
        code: "str",
        force_alias_creation: "Optional[bool]" = None,
        client_metadata: "Optional[dict]" = None,
    ) -> "str":
        """Confirm the account with the code the user received.

        Returns:
            ``"SUCCESS"``, as the original.
        """
        _validate.text(code, "confirmation code")
        if force_alias_creation is not None and not isinstance(force_alias_creation, bool):
            raise InvalidParameterError("force_alias_creation must be True, False or None")
        ctx = self.pool.context
        await self.call(
            "ConfirmSignUp",
            {
                "ClientId": ctx.client_id,
                "ConfirmationCode": code,
                "Username": self.username,
                "ForceAliasCreation": force_alias_creation,
                "ClientMetadata": _validate.optional_dict(client_metadata, "client_metadata"),
                "SecretHash": ctx.secret_hash(self.username),
                "UserContextData": ctx.context_data(self.username),
            },
        )
        return "SUCCESS"

    async def resend_confirmation_code(self, client_metadata: "Optional[dict]" = None) -> "dict":
        """Send the confirmation code again; returns the answer (CodeDeliveryDetails)."""
        ctx = self.pool.context
        return await self.call(
            "ResendConfirmationCode",
            {
                "ClientId": ctx.client_id,
                "Username": self.username,
                "ClientMetadata": _validate.optional_dict(client_metadata, "client_metadata"),
                "SecretHash": ctx.secret_hash(self.username),
            },
        )

    # -- the user's data ------------------------------------------------------------------

    async def get_user(self) -> "dict":
        """GetUser's answer: Username, UserAttributes, MFAOptions, ..."""
        return await self.call("GetUser", {"AccessToken": self._access_token()})

    async def get_attributes(self) -> "dict":
        """The user's attributes as ``{name: value}``, in the service's order."""
        data = await self.get_user()
        return {a["Name"]: a.get("Value", "") for a in _attribute_list(data)}

    async def get_user_data(
        self, bypass_cache: "bool" = False, client_metadata: "Optional[dict]" = None
    ) -> "dict":
        """GetUser's answer, cached in storage under ``.userData`` as the original.

        With ``bypass_cache`` the data is fetched again and the session refreshed when
        it can be (the original's ``getUserData({bypassCache: true})``).
        """
        try:
            self._access_token()
        except NotAuthenticatedError:
            self.clear_cached_user_data()
            raise
        cached = self._read("userData")
        if cached and not bypass_cache:
            try:
                data = json.loads(cached)
            except ValueError:  # garbage in storage reads as signed out of the cache
                data = None
            if not isinstance(data, dict):
                self.clear_cached_user_data()
                raise InvalidResponseError("the cached user data is not a JSON object")
            return data
        data = await self.get_user()
        self.cache_user_data(data)
        if cached and bypass_cache and self.session.refresh_token.token:
            await self.refresh_session(self.session.refresh_token, client_metadata)
        return data

    async def update_attributes(
        self, attributes: "Any", client_metadata: "Optional[dict]" = None
    ) -> "dict":
        """Change attributes; returns the answer (CodeDeliveryDetailsList when a changed
        email or phone needs verifying). The cached user data is refreshed."""
        items = _validate.attributes(attributes)
        if not items:
            raise InvalidParameterError("attributes must name at least one attribute")
        result = await self.call(
            "UpdateUserAttributes",
            {
                "AccessToken": self._access_token(),
                "UserAttributes": items,
                "ClientMetadata": _validate.optional_dict(client_metadata, "client_metadata"),
            },
        )
        await self._refresh_user_data()
        return result

    async def delete_attributes(self, names: "Any") -> "str":
        """Delete attributes by name; returns ``"SUCCESS"``."""
        await self.call(
            "DeleteUserAttributes",
            {
                "UserAttributeNames": _validate.names(names, "attribute names"),
                "AccessToken": self._access_token(),
            },
        )
        await self._refresh_user_data()
        return "SUCCESS"

    async def _refresh_user_data(self):
        # The original refreshes the cache after a change and ignores how that went.
        try:
            await self.get_user_data(bypass_cache=True)
        except CognitoError:
            pass

    async def get_attribute_verification_code(
        self, name: "str", client_metadata: "Optional[dict]" = None
    ) -> "dict":
        """Send a code to verify an attribute (email, phone_number); returns the answer."""
        return await self.call(
            "GetUserAttributeVerificationCode",
            {
                "AttributeName": _validate.text(name, "attribute name"),
                "AccessToken": self._access_token(),
                "ClientMetadata": _validate.optional_dict(client_metadata, "client_metadata"),
            },
        )

    async def verify_attribute(self, name: "str", code: "str") -> "str":
        """Verify an attribute with the code the user received; returns ``"SUCCESS"``."""
        await self.call(
            "VerifyUserAttribute",
            {
                "AttributeName": _validate.text(name, "attribute name"),
                "Code": _validate.text(code, "code"),
                "AccessToken": self._access_token(),
            },
        )
        return "SUCCESS"

    # -- passwords --------------------------------------------------------------------------

    async def change_password(
        self, old_password: "str", new_password: "str", client_metadata: "Optional[dict]" = None
    ) -> "str":
        """Change the signed-in user's password; returns ``"SUCCESS"``."""
        await self.call(
            "ChangePassword",
            {
                "PreviousPassword": _validate.text(old_password, "old password"),
                "ProposedPassword": _validate.text(new_password, "new password"),
                "AccessToken": self._access_token(),
                "ClientMetadata": _validate.optional_dict(client_metadata, "client_metadata"),
            },
        )
        return "SUCCESS"

    async def forgot_password(self, client_metadata: "Optional[dict]" = None) -> "dict":
        """Start a password reset: a code is sent. Returns the answer
        (``CodeDeliveryDetails``)."""
        ctx = self.pool.context
        return await self.call(
            "ForgotPassword",
            {
                "ClientId": ctx.client_id,
                "Username": self.username,
                "ClientMetadata": _validate.optional_dict(client_metadata, "client_metadata"),
                "UserContextData": ctx.context_data(self.username),
                "SecretHash": ctx.secret_hash(self.username),
            },
        )

    async def confirm_password(
        self, code: "str", new_password: "str", client_metadata: "Optional[dict]" = None
    ) -> "str":
        """Finish a password reset with the code; returns ``"SUCCESS"``."""
        ctx = self.pool.context
        await self.call(
            "ConfirmForgotPassword",
            {
                "ClientId": ctx.client_id,
                "Username": self.username,
                "ConfirmationCode": _validate.text(code, "code"),
                "Password": _validate.text(new_password, "new password"),
                "ClientMetadata": _validate.optional_dict(client_metadata, "client_metadata"),
                "UserContextData": ctx.context_data(self.username),
                "SecretHash": ctx.secret_hash(self.username),
            },
        )
        return "SUCCESS"

    # -- MFA -------------------------------------------------------------------------------

    async def set_user_settings(self, mfa_options: "list") -> "str":
        """SetUserSettings with the legacy SMS MFAOptions (the original's enable/disableMFA)."""
        if not isinstance(mfa_options, list) or not all(isinstance(o, dict) for o in mfa_options):
            raise InvalidParameterError("mfa_options must be a list of MFAOptions dicts")
        await self.call(
            "SetUserSettings", {"MFAOptions": mfa_options, "AccessToken": self._access_token()}
        )
        return "SUCCESS"

    async def enable_mfa(self) -> "str":
        """Turn on SMS MFA (legacy MFAOptions, as the original)."""
        return await self.set_user_settings(
            [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]
        )

    async def disable_mfa(self) -> "str":
        """Turn off SMS MFA (legacy MFAOptions, as the original)."""
        return await self.set_user_settings([])

    async def get_mfa_options(self) -> "Any":
        """The legacy MFAOptions from GetUser (None when unset)."""
        return (await self.get_user()).get("MFAOptions")

    async def set_mfa_preference(
        self, sms: "Optional[dict]" = None, software_token: "Optional[dict]" = None
    ) -> "str":
        """SetUserMFAPreference, e.g. ``software_token={"Enabled": True,
        "PreferredMfa": True}``; returns ``"SUCCESS"``."""
        await self.call(
            "SetUserMFAPreference",
            {
                "SMSMfaSettings": _validate_settings(sms, "sms"),
                "SoftwareTokenMfaSettings": _validate_settings(software_token, "software_token"),
                "AccessToken": self._access_token(),
            },
        )
        return "SUCCESS"

    async def associate_software_token(self) -> "str":
        """Start TOTP set-up; returns the secret for the authenticator app.

        Signed in, this uses the access token; during an MFA_SETUP challenge, the
        challenge's session.
        """
        if self.session is not None and self.session.is_valid(self.now()):
            data = await self.call("AssociateSoftwareToken", {"AccessToken": self._access_token()})
        else:
            if self.challenge_session is None:
                raise NotAuthenticatedError("User is not authenticated")
            data = await self.call("AssociateSoftwareToken", {"Session": self.challenge_session})
            self.challenge_session = data.get("Session") or self.challenge_session
        secret = data.get("SecretCode") if isinstance(data, dict) else None
        if not isinstance(secret, str) or not secret:
            raise InvalidResponseError("AssociateSoftwareToken answer has no SecretCode")
        return secret

    async def verify_software_token(
        self, code: "str", friendly_device_name: "Optional[str]" = None
    ) -> "Any":
        """Finish TOTP set-up with a code from the app.

        Returns:
            Signed in: the answer (``{"Status": "SUCCESS"}``). During an MFA_SETUP
            challenge: the sign-in's next step (a Session, usually).
        """
        _validate.text(code, "code")
        if self.session is not None and self.session.is_valid(self.now()):
            return await self.call(
                "VerifySoftwareToken",
                {
                    "AccessToken": self._access_token(),
                    "UserCode": code,
                    "FriendlyDeviceName": friendly_device_name,
                },
            )
        if self.challenge_session is None:
            raise NotAuthenticatedError("User is not authenticated")
        data = await self.call(
            "VerifySoftwareToken",
            {
                "Session": self.challenge_session,
                "UserCode": code,
                "FriendlyDeviceName": friendly_device_name,
            },
        )
        ctx = self.pool.context
        request = {
            "ChallengeName": "MFA_SETUP",
            "ClientId": ctx.client_id,
            "ChallengeResponses": {
                "USERNAME": self.username,
                "SECRET_HASH": ctx.secret_hash(self.username),
            },
            "Session": data.get("Session") or self.challenge_session,
            "UserContextData": ctx.context_data(self.username),
        }
        return await self.respond_to_challenge(request)

    # -- remembered devices -------------------------------------------------------------------

    def _device_key(self, device_key=None):
        if device_key is not None:
            return _validate.text(device_key, "device key")
        if self.known_device is None:
            self.known_device = self.device(self.username)
        if self.known_device is None:
            raise InvalidParameterError("this user has no remembered device here")
        return self.known_device.key

    async def get_device(self, device_key: "Optional[str]" = None) -> "dict":
        """GetDevice for this device (or the one named); returns the answer."""
        return await self.call(
            "GetDevice",
            {"AccessToken": self._access_token(), "DeviceKey": self._device_key(device_key)},
        )

    async def list_devices(
        self, limit: "Optional[int]" = None, pagination_token: "Optional[str]" = None
    ) -> "dict":
        """ListDevices: ``{"Devices": [...], "PaginationToken": ...}``."""
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
            raise InvalidParameterError("limit must be an integer")
        params = {"AccessToken": self._access_token(), "Limit": limit}
        if pagination_token:
            params["PaginationToken"] = pagination_token
        return await self.call("ListDevices", params)

    async def set_device_status(
        self, remembered: "bool", device_key: "Optional[str]" = None
    ) -> "str":
        """UpdateDeviceStatus to ``remembered`` or ``not_remembered``."""
        await self.call(
            "UpdateDeviceStatus",
            {
                "AccessToken": self._access_token(),
                "DeviceKey": self._device_key(device_key),
                "DeviceRememberedStatus": "remembered" if remembered else "not_remembered",
            },
        )
        return "SUCCESS"

    async def forget_device(self, device_key: "Optional[str]" = None) -> "str":
        """ForgetDevice: this device (and its keys in storage), or the one named."""
        key = self._device_key(device_key)
        await self.call("ForgetDevice", {"AccessToken": self._access_token(), "DeviceKey": key})
        if device_key is None or (self.known_device and self.known_device.key == key):
            self._forget_device_locally()
        return "SUCCESS"

    # -- the account -----------------------------------------------------------------------

    async def delete_user(self, client_metadata: "Optional[dict]" = None) -> "str":
        """Delete the signed-in user's account, then clear it from storage."""
        await self.call(
            "DeleteUser",
            {
                "AccessToken": self._access_token(),
                "ClientMetadata": _validate.optional_dict(client_metadata, "client_metadata"),
            },
        )
        self.sign_out_locally()
        return "SUCCESS"

    # -- signing out ---------------------------------------------------------------------

    async def revoke_token(self, token: "str") -> None:
        """RevokeToken for one refresh token."""
        await self.call(
            "RevokeToken",
            {
                "Token": _validate.text(token, "token"),
                "ClientId": self.pool.client_id,
                "ClientSecret": self.pool.context.client_secret,
            },
        )

    async def revoke_tokens(self) -> None:
        """Revoke the refresh token (and the access tokens made from it), if revocable.

        Only tokens with ``origin_jti`` (clients with token revocation on) can be
        revoked; for others this does nothing, as the original.
        """
        if self.session is None:
            raise NotAuthenticatedError("User is not authenticated")
        refresh = self.session.refresh_token.token
        if self.session.access_token.claim("origin_jti") and refresh:
            await self.revoke_token(refresh)

    async def sign_out(self, revoke: "bool" = True) -> None:
        """Sign out here: revoke the tokens (by default) and clear them from storage.

        Storage is cleared even when revocation fails; the error is then raised.
        """
        error = None
        if revoke:
            try:
                await self.get_session()
                await self.revoke_tokens()
            except Exception as raised:  # still sign out locally, then report
                error = raised
        self.sign_out_locally()
        if error is not None:
            raise error

    def sign_out_locally(self) -> None:
        """Forget the session in memory and storage, sending nothing."""
        self.session = None
        self.clear_cached_user()

    async def global_sign_out(self) -> None:
        """Invalidate every token issued to this user, everywhere, then sign out here."""
        await self.call("GlobalSignOut", {"AccessToken": self._access_token()})
        self.sign_out_locally()


def _fresh(session, now):
    # Tokens that are expired on arrival (or carry no exp) are not a session: refuse them
    # before anything is stored.
    if not session.is_valid(now):
        raise InvalidResponseError("the service sent tokens that are already expired")
    return session


def _validate_settings(value, name):
    if value is None:
        return None
    if not isinstance(value, dict) or not all(
        k in ("Enabled", "PreferredMfa") and isinstance(v, bool) for k, v in value.items()
    ):
        raise InvalidParameterError("%s must be a dict of Enabled/PreferredMfa booleans" % name)
    return value


def _attribute_list(data):
    items = data.get("UserAttributes") if isinstance(data, dict) else None
    if not isinstance(items, list) or not all(
        isinstance(a, dict) and isinstance(a.get("Name"), str) for a in items
    ):
        raise InvalidResponseError("GetUser answer has no UserAttributes list")
    return items
