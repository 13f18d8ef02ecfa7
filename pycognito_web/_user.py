"""The Pythonic face: one user of a pool, signed in or not.

``User`` drives the flows of ``flows/`` through the pool's transport and keeps the
session in storage under the original SDK's keys. Storage is written once, after a flow
has fully succeeded, so a failure never leaves half a session behind.
"""

import json

from . import _storage, _validate
from ._challenges import make_challenge
from ._tokens import AccessToken, IdToken, RefreshToken, Session, session_from_result
from .errors import InvalidParameterError, NotAuthenticatedError, ServiceError
from .flows import run_async, sign_in
from .flows.context import Challenge, DeviceSecrets

TYPE_CHECKING = False  # typing is absent on MicroPython; checkers still read this
if TYPE_CHECKING:
    from typing import Any, Optional

FLOWS = ("USER_SRP_AUTH", "USER_PASSWORD_AUTH", "CUSTOM_AUTH")


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
        self.pool = pool
        self.storage = storage if storage is not None else pool.storage
        self.username = username
        self.session = None
        self.known_device = None
        self.challenge_session = None
        self.pending_challenge = None
        self.user_confirmation_necessary = False

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
        return DeviceSecrets(values[0], values[2], values[1])

    # -- storage -------------------------------------------------------------------

    def _key(self, name, username=None):
        return _storage.user_key(self.pool.client_id, username or self.username, name)

    def _read(self, name, username=None):
        return _storage.read(self.storage, self._key(name, username))

    def _write_session(self, session):
        storage = self.storage
        storage.setItem(self._key("idToken"), session.id_token.jwt)
        storage.setItem(self._key("accessToken"), session.access_token.jwt)
        storage.setItem(self._key("refreshToken"), session.refresh_token.token)
        storage.setItem(self._key("clockDrift"), str(session.clock_drift))
        storage.setItem(_storage.last_user_key(self.pool.client_id), self.username)

    def _write_device(self, device):
        storage = self.storage
        storage.setItem(self._key("deviceKey"), device.key)
        storage.setItem(self._key("randomPasswordKey"), device.password)
        storage.setItem(self._key("deviceGroupKey"), device.group_key)

    def _forget_device_locally(self):
        for name in _storage.DEVICE_NAMES:
            self.storage.removeItem(self._key(name))
        self.known_device = None

    def clear_cached_user(self) -> None:
        """Remove this user's tokens, LastAuthUser and cached user data from storage."""
        storage = self.storage
        for name in ("idToken", "accessToken", "refreshToken"):
            storage.removeItem(self._key(name))
        storage.removeItem(_storage.last_user_key(self.pool.client_id))
        storage.removeItem(self._key("clockDrift"))
        storage.removeItem(self._key("userData"))

    def set_session(self, session: "Session") -> None:
        """Adopt a session (e.g. one made elsewhere) and store it."""
        if not isinstance(session, Session):
            raise InvalidParameterError("session must be a Session")
        self.storage.removeItem(self._key("userData"))
        self.session = session
        self._write_session(session)

    # -- signing in ------------------------------------------------------------------

    async def _run(self, flow):
        outcome = await run_async(flow, self)
        return self._finish(outcome)

    def _finish(self, outcome):
        self.username = outcome.username
        if isinstance(outcome, Challenge):
            self.challenge_session = outcome.session
            self.pending_challenge = make_challenge(self, outcome)
            return self.pending_challenge
        session = session_from_result(outcome.result, self.now())
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
                sign_in.password(ctx, self.username, password, self.known_device, metadata)
            )
        return await self._run(
            sign_in.srp(ctx, self.username, password, flow, self.known_device, metadata)
        )

    async def initiate_custom_auth(
        self, auth_parameters: "Optional[dict]" = None, client_metadata: "Optional[dict]" = None
    ) -> "Any":
        """Start CUSTOM_AUTH without SRP; usually answers with a ``CustomChallenge``."""
        params = _validate.optional_dict(auth_parameters, "auth_parameters") or {}
        metadata = _validate.optional_dict(client_metadata, "client_metadata")
        return await self._run(sign_in.custom(self.pool.context, self.username, params, metadata))

    async def respond_to_challenge(self, request: "dict", metadata=None) -> "Any":
        """Send a RespondToAuthChallenge body for the pending challenge and continue."""
        if self.challenge_session is None and request.get("Session") is None:
            raise NotAuthenticatedError("there is no challenge to answer: sign in first")
        return await self._run(
            sign_in.respond(self.pool.context, request, self.username, self.known_device, metadata)
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
        stored = self._stored_session()
        if stored is None:
            raise NotAuthenticatedError("Local storage is missing an ID Token, Please authenticate")
        if not stored.refresh_token.token:
            raise NotAuthenticatedError("Cannot retrieve a new session. Please authenticate.")
        return await self.refresh_session(stored.refresh_token, client_metadata)

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
        flow = sign_in.refresh(self.pool.context, token, self.username, device_key, metadata)
        try:
            result = await run_async(flow, self)
        except ServiceError as error:
            if error.code == "NotAuthorizedException":
                self.clear_cached_user()
                self.session = None
            raise
        session = session_from_result(result, self.now(), refresh_token=token)
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

    async def get_user_data(self, bypass_cache: "bool" = False) -> "dict":
        """GetUser's answer, cached in storage under ``.userData`` as the original."""
        self._access_token()
        if not bypass_cache:
            cached = self._read("userData")
            if cached:
                try:
                    return json.loads(cached)
                except ValueError:  # garbage in storage: fetch again
                    self.storage.removeItem(self._key("userData"))
        data = await self.get_user()
        self.storage.setItem(self._key("userData"), json.dumps(data))
        return data

    # -- signing out ---------------------------------------------------------------------

    async def revoke_tokens(self) -> None:
        """Revoke the refresh token (and the access tokens made from it), if revocable.

        Only tokens with ``origin_jti`` (clients with token revocation on) can be
        revoked; for others this does nothing, as the original.
        """
        if self.session is None:
            raise NotAuthenticatedError("User is not authenticated")
        refresh = self.session.refresh_token.token
        if self.session.access_token.claim("origin_jti") and refresh:
            await self.call(
                "RevokeToken",
                {
                    "Token": refresh,
                    "ClientId": self.pool.client_id,
                    "ClientSecret": self.pool.context.client_secret,
                },
            )

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


def _attribute_list(data):
    from .errors import InvalidResponseError

    items = data.get("UserAttributes") if isinstance(data, dict) else None
    if not isinstance(items, list) or not all(
        isinstance(a, dict) and isinstance(a.get("Name"), str) for a in items
    ):
        raise InvalidResponseError("GetUser answer has no UserAttributes list")
    return items
