"""The Pythonic face: one user of a pool, signed in or not.

``User`` is thin: each method runs a flow of ``flows/`` (where every request body and
every reader of an answer lives) through a private environment over the pool's
transport, clock and random source. What it keeps in storage, and how, is ``_session``'s
(``StoredUser``, its base class).
"""

from . import _validate
from ._session import NO_REFRESH, NOT_SIGNED_IN, StoredUser, fresh_session
from .errors import CognitoError, InvalidParameterError, NotAuthenticatedError, ServiceError

TYPE_CHECKING = False  # typing is absent on MicroPython; checkers still read this
if TYPE_CHECKING:
    from typing import Any, Optional

    from ._tokens import Session


def _area(name):
    """The flows module of an area, imported on first use: a page that shows a stored
    session compiles none of them, and one that signs in only what signing in runs
    (``UserPool.prepare_srp`` imports the sign-in ahead of its click)."""
    if name == "sign_in":
        from .flows import sign_in as module
    elif name == "account":
        from .flows import account as module
    elif name == "mfa":
        from .flows import mfa as module
    elif name == "devices":
        from .flows import devices as module
    elif name == "sign_up":
        from .flows import sign_up as module
    else:
        raise ValueError("no flows area %r" % (name,))
    return module


class _Environment:
    """What the flows ask the outside world for, answered for one user."""

    def __init__(self, user):
        self.user, self.pool = user, user.pool

    async def call(self, action, params):
        return await self.pool.client.call(action, params)

    def random(self, count):
        return self.pool.random_bytes(count)

    def now(self):
        return self.pool.clock()

    def device(self, username):
        return self.user.device(username)

    def access_token(self):
        if not self.user._signed_in():
            raise NotAuthenticatedError(NOT_SIGNED_IN)
        return self.user.session.access_token.jwt


class User(StoredUser):
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
        StoredUser.__init__(self, pool, username, storage)
        self._env = _Environment(self)
        self.challenge_session = self.pending_challenge = None
        self.user_confirmation_necessary = False

    def __repr__(self):
        return "<User %s %s>" % (self.username, "signed in" if self.session else "signed out")

    async def _run(self, flow):
        from .flows import run_async

        return await run_async(flow, self._env)

    # -- signing in ----------------------------------------------------------------------------

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
        session = self._keep_sign_in(outcome)
        self.challenge_session = self.pending_challenge = None
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
            The new ``Session``, or a challenge object (``CodeChallenge``,
            ``NewPasswordRequired``, ``CustomChallenge``, ``MfaSetup``, ...) whose
            methods continue the sign-in.

        Raises:
            InvalidParameterError, ServiceError (NotAuthorizedException for a wrong
            password, UserNotConfirmedException...), SrpError, NetworkError.
        """
        sign_in = _area("sign_in")
        metadata = sign_in.check_password_sign_in(password, flow, client_metadata)
        ctx, name, device = self.pool.context, self.username, self.known_device
        if flow == "USER_PASSWORD_AUTH":
            return await self._sign(sign_in.password(ctx, name, password, device, metadata))
        pair = self.pool._take_srp_pair()
        return await self._sign(sign_in.srp(ctx, name, password, flow, device, metadata, pair))

    async def initiate_custom_auth(
        self, auth_parameters: "Optional[dict]" = None, client_metadata: "Any" = None
    ) -> "Any":
        """Start CUSTOM_AUTH without SRP; usually answers with a ``CustomChallenge``."""
        params = _validate.optional_dict(auth_parameters, "auth_parameters") or {}
        metadata = _validate.optional_dict(client_metadata, "client_metadata")
        flow = _area("sign_in").custom(self.pool.context, self.username, params, metadata)
        return await self._sign(flow)

    async def continue_sign_in(self, answer: "dict") -> "Any":
        """Carry on a sign-in from an InitiateAuth/RespondToAuthChallenge answer obtained
        elsewhere (the original's ``authenticateUserInternal``)."""
        ctx, device = self.pool.context, self.known_device
        return await self._sign(
            _area("sign_in").after_answer(ctx, answer, self.username, device, None)
        )

    async def respond_to_challenge(self, request: "dict", metadata: "Any" = None) -> "Any":
        """Send a RespondToAuthChallenge body for the pending challenge and continue."""
        if not isinstance(request, dict):
            raise InvalidParameterError("request must be a RespondToAuthChallenge body (a dict)")
        if self.challenge_session is None and request.get("Session") is None:
            raise NotAuthenticatedError("there is no challenge to answer: sign in first")
        ctx, device = self.pool.context, self.known_device
        return await self._sign(
            _area("sign_in").respond(ctx, request, self.username, device, metadata)
        )

    async def _answer(self, challenge, value, metadata, given=False):
        # What the typed challenges send, laid out by flows.sign_in.ANSWERS.
        if challenge.session is None:  # nothing to answer with, as respond_to_challenge
            raise NotAuthenticatedError("there is no challenge to answer: sign in first")
        flow = _area("sign_in").answer(
            self.pool.context, challenge.name, challenge.session, self.username, value,
            self.known_device, metadata, given,
        )  # fmt: skip
        return await self._sign(flow)

    # -- the session ---------------------------------------------------------------------------

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
        async with self._refresh_lock():
            session = self.cached_session()
            if session is not None:
                return session
            return await self.refresh_session(self._stored_refresh_token(), client_metadata)

    async def refresh_session(
        self, refresh_token: "Any" = None, client_metadata: "Optional[dict]" = None
    ) -> "Session":
        """New ID and access tokens from a refresh token (the current one by default)."""
        if refresh_token is None:
            current = self.session or self._stored_session()
            refresh_token = current.refresh_token if current else None
        token = getattr(refresh_token, "token", refresh_token)
        if not isinstance(token, str) or not token:
            raise NotAuthenticatedError(NO_REFRESH)
        metadata = _validate.optional_dict(client_metadata, "client_metadata")
        ctx, device_key = self.pool.context, self._read("deviceKey")
        flow = _area("account").refresh(ctx, token, self.username, device_key, metadata)
        try:
            result = await self._run(flow)
        except ServiceError as error:
            if error.code != "NotAuthorizedException":
                raise
            other = self._newer_session(token)  # another tab may have refreshed meanwhile
            if other is None:
                self.sign_out_locally()
                raise
            self.session = other
            return other
        return self._keep(fresh_session(result, self.pool.clock(), token))

    # -- registration ----------------------------------------------------------------------------

    async def confirm_sign_up(
        self, code: "str", force_alias_creation: "Any" = None, client_metadata: "Any" = None
    ) -> "str":
        """Confirm the account with the code the user received; returns ``"SUCCESS"``."""
        ctx, force, metadata = self.pool.context, force_alias_creation, client_metadata
        return await self._run(
            _area("sign_up").confirm_sign_up(ctx, self.username, code, force, metadata)
        )

    async def resend_confirmation_code(self, client_metadata: "Any" = None) -> "dict":
        """Send the confirmation code again; returns the answer (CodeDeliveryDetails)."""
        flow = _area("sign_up").resend_confirmation_code
        return await self._run(flow(self.pool.context, self.username, client_metadata))

    # -- the user's data ---------------------------------------------------------------------

    async def get_user(self) -> "dict":
        """GetUser's answer: Username, UserAttributes, MFAOptions, ..."""
        return await self._run(_area("account").get_user())

    async def get_attributes(self) -> "dict":
        """The user's attributes as ``{name: value}``, in the service's order."""
        return _area("account").attributes(await self.get_user())

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
            return self._cached_user_object()
        data = await self.get_user()
        self.cache_user_data(data)
        if cached and self.session.refresh_token.token:  # a bypassed cache, as the original
            await self.refresh_session(self.session.refresh_token, client_metadata)
        return data

    async def update_attributes(self, attributes: "Any", client_metadata: "Any" = None) -> "dict":
        """Change attributes; returns the answer (CodeDeliveryDetailsList when a changed
        email or phone needs verifying). The cached user data is refreshed."""
        return await self._refreshing(
            _area("account").update_attributes(attributes, client_metadata)
        )

    async def delete_attributes(self, names: "Any") -> "str":
        """Delete attributes by name; returns ``"SUCCESS"``."""
        return await self._refreshing(_area("account").delete_attributes(names))

    async def _refreshing(self, flow):
        result = await self._run(flow)
        try:  # the original refreshes the cache after a change and ignores how that went
            await self.get_user_data(bypass_cache=True)
        except CognitoError:
            pass
        return result

    async def get_attribute_verification_code(self, name: "str", client_metadata=None) -> "dict":
        """Send a code to verify an attribute (email, phone_number); returns the answer."""
        flows = _area("account")
        return await self._run(flows.get_attribute_verification_code(name, client_metadata))

    async def verify_attribute(self, name: "str", code: "str") -> "str":
        """Verify an attribute with the code the user received; returns ``"SUCCESS"``."""
        return await self._run(_area("account").verify_attribute(name, code))

    # -- passwords -------------------------------------------------------------------------------

    async def change_password(self, old_password: "str", new_password: "str", client_metadata=None):
        """Change the signed-in user's password; returns ``"SUCCESS"``."""
        flows = _area("account")
        return await self._run(flows.change_password(old_password, new_password, client_metadata))

    async def forgot_password(self, client_metadata: "Optional[dict]" = None) -> "dict":
        """Start a password reset: a code is sent. Returns the answer (CodeDeliveryDetails)."""
        flow = _area("account").forgot_password
        return await self._run(flow(self.pool.context, self.username, client_metadata))

    async def confirm_password(self, code: "str", new_password: "str", client_metadata=None):
        """Finish a password reset with the code; returns ``"SUCCESS"``."""
        ctx, flow = self.pool.context, _area("account").confirm_password
        return await self._run(flow(ctx, self.username, code, new_password, client_metadata))

    # -- MFA -------------------------------------------------------------------------------------

    async def set_user_settings(self, mfa_options: "list") -> "str":
        """SetUserSettings with the legacy SMS MFAOptions (the original's enable/disableMFA)."""
        return await self._run(_area("mfa").set_user_settings(mfa_options))

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
        return _area("account").mfa_options(await self.get_user())

    async def set_mfa_preference(self, sms: "Any" = None, software_token: "Any" = None) -> "str":
        """SetUserMFAPreference, e.g. ``software_token={"Enabled": True,
        "PreferredMfa": True}``; returns ``"SUCCESS"``."""
        return await self._run(_area("mfa").set_mfa_preference(sms, software_token))

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
        secret, following = await self._run(_area("mfa").associate_software_token(session))
        if session is not None and following:
            self.challenge_session = following
        return secret

    async def verify_software_token(self, code: "str", friendly_device_name: "Any" = None) -> "Any":
        """Finish TOTP set-up with a code from the app.

        Returns:
            Signed in: the answer (``{"Status": "SUCCESS"}``). During an MFA_SETUP
            challenge: the sign-in's next step (a Session, usually).
        """
        _validate.text(code, "code")
        session, name = self._setup_session(), friendly_device_name
        if session is None:
            return await self._run(_area("mfa").verify_software_token(code, name))
        ctx, flow = self.pool.context, _area("sign_in").mfa_setup
        return await self._sign(flow(ctx, session, self.username, code, name, self.known_device))

    # -- remembered devices --------------------------------------------------------------------

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
        self._env.access_token()  # signed out is said before a missing device, as before
        return await self._run(_area("devices").get_device(self._device_key(device_key)))

    async def list_devices(self, limit: "Any" = None, pagination_token: "Any" = None) -> "dict":
        """ListDevices: ``{"Devices": [...], "PaginationToken": ...}``."""
        return await self._run(_area("devices").list_devices(limit, pagination_token))

    async def set_device_status(self, remembered: "bool", device_key: "Any" = None) -> "str":
        """UpdateDeviceStatus to ``remembered`` or ``not_remembered``."""
        self._env.access_token()
        key = self._device_key(device_key)
        return await self._run(_area("devices").set_status(key, remembered))

    async def forget_device(self, device_key: "Optional[str]" = None) -> "str":
        """ForgetDevice: this device (and its keys in storage), or the one named."""
        key = self._device_key(device_key)
        result = await self._run(_area("devices").forget_device(key))
        if device_key is None or (self.known_device and self.known_device.key == key):
            self.forget_device_locally()
        return result

    # -- the account and signing out -------------------------------------------------------------

    async def delete_user(self, client_metadata: "Optional[dict]" = None) -> "str":
        """Delete the signed-in user's account, then clear it from storage."""
        result = await self._run(_area("account").delete_user(client_metadata))
        self.sign_out_locally()
        return result

    async def revoke_token(self, token: "str") -> None:
        """RevokeToken for one refresh token."""
        await self._run(_area("account").revoke_token(self.pool.context, token))

    async def revoke_tokens(self) -> None:
        """Revoke the refresh token (and the access tokens made from it), if revocable:
        only tokens with ``origin_jti`` (clients with token revocation on) are; for
        others this does nothing, as the original."""
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

    async def global_sign_out(self) -> None:
        """Invalidate every token issued to this user, everywhere, then sign out here."""
        await self._run(_area("account").global_sign_out())
        self.sign_out_locally()
