"""The Pythonic face: one user of a pool, signed in or not.

``User`` runs the flows of ``flows/`` (where every request body and every reader of an
answer lives) through a private environment over the pool's transport, clock and random
source, and keeps the session with ``_session``: written once, after a flow has fully
succeeded, so a failure never leaves half a session behind.
"""

from . import _session, _validate
from ._tokens import Session
from .errors import (
    CognitoError,
    InvalidParameterError,
    NotAuthenticatedError,
    ServiceError,
)

TYPE_CHECKING = False  # typing is absent on MicroPython; checkers still read this
if TYPE_CHECKING:
    from typing import Any, Optional

FLOWS = ("USER_SRP_AUTH", "USER_PASSWORD_AUTH", "CUSTOM_AUTH")
NOT_SIGNED_IN = "User is not authenticated"
NO_REFRESH = "Cannot retrieve a new session. Please authenticate."

# The flows are imported by the first method that runs one (or, for signing in, ahead of
# it by UserPool.prepare_srp): a page that shows a stored session compiles none of them.


def _sign_in():
    from .flows import sign_in

    return sign_in


def _account():
    from .flows import account

    return account


def _mfa():
    from .flows import mfa

    return mfa


def _devices():
    from .flows import devices

    return devices


def _sign_up():
    from .flows import sign_up

    return sign_up


class _Environment:
    """What the flows ask the outside world for, answered for one user."""

    def __init__(self, user):
        self.user = user

    async def call(self, action, params):
        return await self.user.pool.client.call(action, params)

    def random(self, count):
        return self.user.pool.random_bytes(count)

    def now(self):
        return self.user.pool.clock()

    def device(self, username):
        return self.user._store.device(username)

    def access_token(self):
        session = self.user.session
        if session is None or not session.is_valid(self.now()):
            raise NotAuthenticatedError(NOT_SIGNED_IN)
        return session.access_token.jwt


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
        self._store = _session.SessionStore(pool, storage if storage is not None else pool.storage)
        self._env = _Environment(self)
        self.username = username
        self.session = self.known_device = None
        self.challenge_session = self.pending_challenge = None
        self.user_confirmation_necessary = False

    def __repr__(self):
        return "<User %s %s>" % (self.username, "signed in" if self.session else "signed out")

    @property
    def storage(self) -> "Any":
        return self._store.storage

    @storage.setter
    def storage(self, value):
        self._store.storage = value

    async def _run(self, flow):
        from .flows import run_async

        return await run_async(flow, self._env)

    def _signed_in(self):
        return self.session is not None and self.session.is_valid(self.pool.clock())

    # -- storage -------------------------------------------------------------------------

    def device(self, username: "str") -> "Any":
        """The device remembered for ``username`` in storage (``DeviceSecrets``), or None."""
        return self._store.device(username)

    def clear_cached_tokens(self) -> None:
        """Remove this user's tokens, clock drift and LastAuthUser from storage."""
        self._store.clear_tokens(self.username)

    def clear_cached_user_data(self) -> None:
        """Remove the cached GetUser answer (``.userData``) from storage."""
        self._store.remove(self.username, ("userData",))

    def clear_cached_user(self) -> None:
        """Remove this user's tokens, LastAuthUser and cached user data from storage."""
        self.clear_cached_tokens()
        self.clear_cached_user_data()

    def cache_user_data(self, data: "dict") -> None:
        """Keep GetUser's answer in storage under ``.userData``."""
        self._store.cache_user_data(self.username, data)

    def cached_user_data(self) -> "Optional[str]":
        """The ``.userData`` item as stored (a JSON string), or None."""
        return self._store.read(self.username, "userData")

    def store_session(self) -> None:
        """Write the current session to storage (sign-in does this by itself)."""
        if self.session is None:
            raise NotAuthenticatedError(NOT_SIGNED_IN)
        self._store.write_session(self.username, self.session)

    def store_device(self) -> None:
        """Write the known device's keys to storage (sign-in does this by itself)."""
        if self.known_device is None:
            raise InvalidParameterError("this user has no remembered device here")
        self._store.write_device(self.username, self.known_device)

    def forget_device_locally(self) -> None:
        """Drop the remembered device from memory and storage, sending nothing."""
        from ._storage import DEVICE_NAMES

        self._store.remove(self.username, DEVICE_NAMES)
        self.known_device = None

    def set_session(self, session: "Session") -> None:
        """Adopt a session (e.g. one made elsewhere) and store it."""
        if not isinstance(session, Session):
            raise InvalidParameterError("session must be a Session")
        self.clear_cached_user_data()
        self._keep(session)

    def _keep(self, session):
        self.session = session
        self._store.write_session(self.username, session)
        return session

    # -- signing in ------------------------------------------------------------------------

    async def _sign(self, flow):
        from .flows.context import Challenge

        outcome = await self._run(flow)
        self.username = outcome.username
        if isinstance(outcome, Challenge):
            if outcome.device is not None:
                self.known_device = outcome.device
            self.challenge_session = outcome.session
            from ._challenges import make_challenge  # only when a challenge comes

            self.pending_challenge = make_challenge(self, outcome)
            return self.pending_challenge
        session = _session.fresh_session(outcome.result, self.pool.clock())
        self.challenge_session = self.pending_challenge = None
        if outcome.forget_device:
            self.forget_device_locally()
        self._keep(session)
        if outcome.device is not None:
            self.known_device = outcome.device
            if outcome.new_device:
                self._store.write_device(self.username, outcome.device)
        self.user_confirmation_necessary = outcome.user_confirmation_necessary
        return session

    async def authenticate(
        self, password: "str", *, flow: "str" = "USER_SRP_AUTH", client_metadata: "Any" = None
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
        ctx, device = self.pool.context, self.known_device
        if flow == "USER_PASSWORD_AUTH":
            return await self._sign(
                _sign_in().password(ctx, self.username, password, device, metadata)
            )
        pair = self.pool.take_srp_pair()
        return await self._sign(
            _sign_in().srp(ctx, self.username, password, flow, device, metadata, pair)
        )

    async def initiate_custom_auth(
        self, auth_parameters: "Optional[dict]" = None, client_metadata: "Any" = None
    ) -> "Any":
        """Start CUSTOM_AUTH without SRP; usually answers with a ``CustomChallenge``."""
        params = _validate.optional_dict(auth_parameters, "auth_parameters") or {}
        metadata = _validate.optional_dict(client_metadata, "client_metadata")
        return await self._sign(
            _sign_in().custom(self.pool.context, self.username, params, metadata)
        )

    async def continue_sign_in(self, answer: "dict") -> "Any":
        """Carry on a sign-in from an InitiateAuth/RespondToAuthChallenge answer obtained
        elsewhere (the original's ``authenticateUserInternal``)."""
        ctx, device = self.pool.context, self.known_device
        return await self._sign(_sign_in().after_answer(ctx, answer, self.username, device, None))

    async def respond_to_challenge(self, request: "dict", metadata: "Any" = None) -> "Any":
        """Send a RespondToAuthChallenge body for the pending challenge and continue."""
        if not isinstance(request, dict):
            raise InvalidParameterError("request must be a RespondToAuthChallenge body (a dict)")
        if self.challenge_session is None and request.get("Session") is None:
            raise NotAuthenticatedError("there is no challenge to answer: sign in first")
        ctx, device = self.pool.context, self.known_device
        return await self._sign(_sign_in().respond(ctx, request, self.username, device, metadata))

    async def _answer(self, challenge, value, metadata, given=False):
        # What the typed challenges send: the answer laid out by flows.sign_in.ANSWERS.
        flow = _sign_in().answer(
            self.pool.context, challenge.name, challenge.session, self.username, value,
            self.known_device, metadata, given,
        )  # fmt: skip
        return await self._sign(flow)

    # -- the session -------------------------------------------------------------------------

    def cached_session(self) -> "Optional[Session]":
        """The valid session in memory or storage, without any request; else None."""
        now = self.pool.clock()
        if self.session is not None and self.session.is_valid(now):
            return self.session
        stored = self._store.session(self.username)
        if stored is not None and stored.is_valid(now):
            self.session = stored
            return stored
        return None

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
        async with self._store.refreshing():  # callers meanwhile get its result
            session = self.cached_session()
            if session is not None:
                return session
            stored = self._store.session(self.username)
            if stored is None:
                raise NotAuthenticatedError(
                    "Local storage is missing an ID Token, Please authenticate"
                )
            if not stored.refresh_token.token:
                raise NotAuthenticatedError(NO_REFRESH)
            return await self.refresh_session(stored.refresh_token, client_metadata)

    async def refresh_session(
        self, refresh_token: "Any" = None, client_metadata: "Optional[dict]" = None
    ) -> "Session":
        """New ID and access tokens from a refresh token (the current one by default)."""
        if refresh_token is None:
            current = self.session or self._store.session(self.username)
            refresh_token = current.refresh_token if current else None
        token = getattr(refresh_token, "token", refresh_token)
        if not isinstance(token, str) or not token:
            raise NotAuthenticatedError(NO_REFRESH)
        metadata = _validate.optional_dict(client_metadata, "client_metadata")
        device_key = self._store.read(self.username, "deviceKey")
        ctx = self.pool.context
        try:
            result = await self._run(
                _account().refresh(ctx, token, self.username, device_key, metadata)
            )
        except ServiceError as error:
            if error.code != "NotAuthorizedException":
                raise
            # Another tab may have refreshed (and rotated the token) meanwhile.
            other = self._store.newer_session(self.username, token, self.pool.clock())
            if other is not None:
                self.session = other
                return other
            self.clear_cached_user()
            self.session = None
            raise
        return self._keep(_session.fresh_session(result, self.pool.clock(), token))

    # -- registration ------------------------------------------------------------------------

    async def confirm_sign_up(
        self, code: "str", force_alias_creation: "Optional[bool]" = None, client_metadata=None
    ) -> "str":
        """Confirm the account with the code the user received; returns ``"SUCCESS"``."""
        ctx = self.pool.context
        flow = _sign_up().confirm_sign_up
        return await self._run(
            flow(ctx, self.username, code, force_alias_creation, client_metadata)
        )

    async def resend_confirmation_code(self, client_metadata: "Any" = None) -> "dict":
        """Send the confirmation code again; returns the answer (CodeDeliveryDetails)."""
        flow = _sign_up().resend_confirmation_code
        return await self._run(flow(self.pool.context, self.username, client_metadata))

    # -- the user's data ---------------------------------------------------------------------

    async def get_user(self) -> "dict":
        """GetUser's answer: Username, UserAttributes, MFAOptions, ..."""
        return await self._run(_account().get_user())

    async def get_attributes(self) -> "dict":
        """The user's attributes as ``{name: value}``, in the service's order."""
        return _account().attributes(await self.get_user())

    async def get_user_data(self, bypass_cache: "bool" = False, client_metadata=None) -> "dict":
        """GetUser's answer, cached in storage under ``.userData`` as the original.

        With ``bypass_cache`` the data is fetched again and the session refreshed when
        it can be (the original's ``getUserData({bypassCache: true})``).
        """
        if not self._signed_in():
            self.clear_cached_user_data()
            raise NotAuthenticatedError(NOT_SIGNED_IN)
        cached = self.cached_user_data()
        if cached and not bypass_cache:
            return self._store.user_data(self.username)
        data = await self.get_user()
        self.cache_user_data(data)
        if cached and self.session.refresh_token.token:  # bypassing a cache, as the original
            await self.refresh_session(self.session.refresh_token, client_metadata)
        return data

    async def update_attributes(self, attributes: "Any", client_metadata=None) -> "dict":
        """Change attributes; returns the answer (CodeDeliveryDetailsList when a changed
        email or phone needs verifying). The cached user data is refreshed."""
        result = await self._run(_account().update_attributes(attributes, client_metadata))
        await self._refresh_user_data()
        return result

    async def delete_attributes(self, names: "Any") -> "str":
        """Delete attributes by name; returns ``"SUCCESS"``."""
        result = await self._run(_account().delete_attributes(names))
        await self._refresh_user_data()
        return result

    async def _refresh_user_data(self):
        try:  # the original refreshes the cache after a change and ignores how that went
            await self.get_user_data(bypass_cache=True)
        except CognitoError:
            pass

    async def get_attribute_verification_code(self, name: "str", client_metadata=None) -> "dict":
        """Send a code to verify an attribute (email, phone_number); returns the answer."""
        return await self._run(_account().get_attribute_verification_code(name, client_metadata))

    async def verify_attribute(self, name: "str", code: "str") -> "str":
        """Verify an attribute with the code the user received; returns ``"SUCCESS"``."""
        return await self._run(_account().verify_attribute(name, code))

    # -- passwords ---------------------------------------------------------------------------

    async def change_password(self, old_password: "str", new_password: "str", client_metadata=None):
        """Change the signed-in user's password; returns ``"SUCCESS"``."""
        flow = _account().change_password(old_password, new_password, client_metadata)
        return await self._run(flow)

    async def forgot_password(self, client_metadata: "Optional[dict]" = None) -> "dict":
        """Start a password reset: a code is sent. Returns the answer (CodeDeliveryDetails)."""
        flow = _account().forgot_password(self.pool.context, self.username, client_metadata)
        return await self._run(flow)

    async def confirm_password(self, code: "str", new_password: "str", client_metadata=None):
        """Finish a password reset with the code; returns ``"SUCCESS"``."""
        ctx = self.pool.context
        flow = _account().confirm_password(ctx, self.username, code, new_password, client_metadata)
        return await self._run(flow)

    # -- MFA ---------------------------------------------------------------------------------

    async def set_user_settings(self, mfa_options: "list") -> "str":
        """SetUserSettings with the legacy SMS MFAOptions (the original's enable/disableMFA)."""
        return await self._run(_mfa().set_user_settings(mfa_options))

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
        return _account().mfa_options(await self.get_user())

    async def set_mfa_preference(self, sms: "Any" = None, software_token: "Any" = None) -> "str":
        """SetUserMFAPreference, e.g. ``software_token={"Enabled": True,
        "PreferredMfa": True}``; returns ``"SUCCESS"``."""
        return await self._run(_mfa().set_mfa_preference(sms, software_token))

    def _setup_session(self):
        # TOTP set-up: signed in, the access token authorises it (None here); during an
        # MFA_SETUP challenge, the challenge's session.
        if self._signed_in():
            return None
        if self.challenge_session is None:
            raise NotAuthenticatedError(NOT_SIGNED_IN)
        return self.challenge_session

    async def associate_software_token(self) -> "str":
        """Start TOTP set-up; returns the secret for the authenticator app."""
        session = self._setup_session()
        secret, following = await self._run(_mfa().associate_software_token(session))
        if session is not None and following:
            self.challenge_session = following
        return secret

    async def verify_software_token(self, code: "str", friendly_device_name=None) -> "Any":
        """Finish TOTP set-up with a code from the app.

        Returns:
            Signed in: the answer (``{"Status": "SUCCESS"}``). During an MFA_SETUP
            challenge: the sign-in's next step (a Session, usually).
        """
        _validate.text(code, "code")
        session = self._setup_session()
        if session is None:
            return await self._run(_mfa().verify_software_token(code, friendly_device_name))
        ctx, device = self.pool.context, self.known_device
        flow = _sign_in().mfa_setup(ctx, session, self.username, code, friendly_device_name, device)
        return await self._sign(flow)

    # -- remembered devices -------------------------------------------------------------------

    def _device_key(self, device_key=None):
        if device_key is not None:
            return _validate.text(device_key, "device key")
        if self.known_device is None:
            self.known_device = self._store.device(self.username)
        if self.known_device is None:
            raise InvalidParameterError("this user has no remembered device here")
        return self.known_device.key

    async def get_device(self, device_key: "Optional[str]" = None) -> "dict":
        """GetDevice for this device (or the one named); returns the answer."""
        self._env.access_token()  # signed out is said first, as the original
        return await self._run(_devices().get_device(self._device_key(device_key)))

    async def list_devices(self, limit: "Any" = None, pagination_token: "Any" = None) -> "dict":
        """ListDevices: ``{"Devices": [...], "PaginationToken": ...}``."""
        return await self._run(_devices().list_devices(limit, pagination_token))

    async def set_device_status(self, remembered: "bool", device_key: "Any" = None) -> "str":
        """UpdateDeviceStatus to ``remembered`` or ``not_remembered``."""
        self._env.access_token()
        return await self._run(_devices().set_status(self._device_key(device_key), remembered))

    async def forget_device(self, device_key: "Optional[str]" = None) -> "str":
        """ForgetDevice: this device (and its keys in storage), or the one named."""
        key = self._device_key(device_key)
        result = await self._run(_devices().forget_device(key))
        if device_key is None or (self.known_device and self.known_device.key == key):
            self.forget_device_locally()
        return result

    # -- the account and signing out ----------------------------------------------------------

    async def delete_user(self, client_metadata: "Optional[dict]" = None) -> "str":
        """Delete the signed-in user's account, then clear it from storage."""
        result = await self._run(_account().delete_user(client_metadata))
        self.sign_out_locally()
        return result

    async def revoke_token(self, token: "str") -> None:
        """RevokeToken for one refresh token."""
        await self._run(_account().revoke_token(self.pool.context, token))

    async def revoke_tokens(self) -> None:
        """Revoke the refresh token (and the access tokens made from it), if revocable.

        Only tokens with ``origin_jti`` (clients with token revocation on) can be
        revoked; for others this does nothing, as the original.
        """
        if self.session is None:
            raise NotAuthenticatedError(NOT_SIGNED_IN)
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
        await self._run(_account().global_sign_out())
        self.sign_out_locally()

