"""Session persistence: what a user keeps in storage (its session, its remembered
device, its cached GetUser answer), and the refresh lock.

Theory of operation
-------------------
Items live under ``_storage``'s keys, which are amazon-cognito-identity-js's byte for
byte, and are written in its order (``idToken``, ``accessToken``, ``refreshToken``,
``clockDrift``, ``LastAuthUser``; then ``deviceKey``, ``randomPasswordKey``,
``deviceGroupKey``), so a page can move between the two SDKs without signing anyone out.

A group of items is written all or nothing: when the storage refuses one (full,
blocked, a broken shim), what was written is removed again and the user (and its pool,
when they share the storage) carry on with a ``MemoryStorage`` for this page, with a
warning. Reads are defensive: a missing or garbled item reads as absent, and a stored
session is rebuilt from whatever is there (it may be expired, or lack a refresh token).
Tokens are stored only once a flow has fully succeeded, and only when they are valid on
arrival, so a failure never leaves half a session behind.

``StoredUser`` holds this; ``User`` (``_user``) adds the flows that talk to the service.
"""

from . import _storage, _validate
from ._tokens import AccessToken, IdToken, RefreshToken, Session, session_from_result
from .errors import InvalidParameterError, InvalidResponseError, NotAuthenticatedError

TYPE_CHECKING = False  # typing is absent on MicroPython; checkers still read this
if TYPE_CHECKING:
    from typing import Any, Optional

NOT_SIGNED_IN = "User is not authenticated"
NO_REFRESH = "Cannot retrieve a new session. Please authenticate."


def fresh_session(result: "dict", now: "float", refresh_token: "Optional[str]" = None) -> "Session":
    """The Session of an AuthenticationResult, refused when its tokens are expired on
    arrival (or carry no exp): such tokens are not a session, and are never stored.

    Raises:
        InvalidResponseError: for tokens that are missing, not JWTs, or expired.
    """
    session = session_from_result(result, now, refresh_token=refresh_token)
    if not session.is_valid(now):
        raise InvalidResponseError("the service sent tokens that are already expired")
    return session


class StoredUser:
    """A user as storage knows it: its session, remembered device and cached data.

    Attributes:
        pool: the UserPool.
        storage: where this user's items live (the pool's, unless given).
        username: the name the items are kept under.
        session: the current ``Session``, or None.
        known_device: the remembered device this object holds (``DeviceSecrets``).
    """

    def __init__(self, pool, username: "str", storage: "Any" = None) -> None:
        _validate.text(username, "username")
        _validate.storage(storage)
        self.pool = pool
        self.storage = storage if storage is not None else pool.storage
        self.username = username
        self.session = self.known_device = None
        self._lock = None

    def _key(self, name, username=None):
        return _storage.user_key(self.pool.client_id, username or self.username, name)

    def _read(self, name, username=None):
        return _storage.read(self.storage, self._key(name, username))

    def _remove(self, names):
        for name in names:
            self.storage.removeItem(self._key(name))

    def _write(self, items):
        """Write ``(key, value)`` items in order, all or none; a storage that refuses is
        replaced by memory for this user and pool, with a warning."""
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

        _platform.warn(
            "pycognito-web: storage refused a write (%s); keeping the session in memory "
            "for this page instead" % reason
        )
        fallback = _storage.MemoryStorage()
        if self.pool.storage is self.storage:
            self.pool.storage = fallback
        self.storage = fallback
        for key, value in items:
            fallback.setItem(key, value)

    # -- the session -------------------------------------------------------------------------

    def _keep(self, session):
        # The tokens, the clock drift and LastAuthUser, as the original's cacheTokens.
        self.session = session
        self._write(
            [
                (self._key("idToken"), session.id_token.jwt),
                (self._key("accessToken"), session.access_token.jwt),
                (self._key("refreshToken"), session.refresh_token.token),
                (self._key("clockDrift"), str(session.clock_drift)),
                (_storage.last_user_key(self.pool.client_id), self.username),
            ]
        )
        return session

    def _keep_sign_in(self, outcome):
        # What a finished sign-in (a SignedIn) brings is stored only now that it has
        # fully succeeded: the session, and the device it confirmed or found stale.
        session = fresh_session(outcome.result, self.pool.clock())
        if outcome.forget_device:
            self.forget_device_locally()
        self._keep(session)
        if outcome.device is not None:
            self.known_device = outcome.device
            if outcome.new_device:
                self._keep_device(outcome.device)
        return session

    def _stored_refresh_token(self):
        # What get_session refreshes with, or why it cannot.
        stored = self._stored_session()
        if stored is None:
            raise NotAuthenticatedError("Local storage is missing an ID Token, Please authenticate")
        if not stored.refresh_token.token:
            raise NotAuthenticatedError(NO_REFRESH)
        return stored.refresh_token

    def _stored_session(self):
        """The stored session (valid or not), or None without an ID token."""
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

    def _newer_session(self, token):
        # The stored session when another tab refreshed meanwhile (and, with rotation,
        # replaced the refresh token ``token``) and it is valid; else None.
        other = self._stored_session()
        if other is None or other.refresh_token.token in ("", token):
            return None
        return other if other.is_valid(self.pool.clock()) else None

    def _refresh_lock(self):
        # One refresh at a time per user: callers who arrive meanwhile wait for its result.
        import asyncio

        if self._lock is None:
            self._lock = asyncio.Lock()
        return self._lock

    def _signed_in(self):
        return self.session is not None and self.session.is_valid(self.pool.clock())

    def cached_session(self) -> "Optional[Session]":
        """The valid session in memory or storage, without any request; else None."""
        if self._signed_in():
            return self.session
        stored = self._stored_session()
        if stored is not None and stored.is_valid(self.pool.clock()):
            self.session = stored
            return stored
        return None

    def set_session(self, session: "Session") -> None:
        """Adopt a session (e.g. one made elsewhere) and store it."""
        if not isinstance(session, Session):
            raise InvalidParameterError("session must be a Session")
        self.clear_cached_user_data()
        self._keep(session)

    def store_session(self) -> None:
        """Write the current session to storage (sign-in does this by itself)."""
        if self.session is None:
            raise NotAuthenticatedError(NOT_SIGNED_IN)
        self._keep(self.session)

    def clear_cached_tokens(self) -> None:
        """Remove this user's tokens, clock drift and LastAuthUser from storage."""
        self._remove(("idToken", "accessToken", "refreshToken"))
        self.storage.removeItem(_storage.last_user_key(self.pool.client_id))
        self._remove(("clockDrift",))

    def clear_cached_user(self) -> None:
        """Remove this user's tokens, LastAuthUser and cached user data from storage."""
        self.clear_cached_tokens()
        self.clear_cached_user_data()

    def sign_out_locally(self) -> None:
        """Forget the session in memory and storage, sending nothing."""
        self.session = None
        self.clear_cached_user()

    # -- the remembered device ----------------------------------------------------------------

    def device(self, username: "str") -> "Any":
        """The device remembered for ``username`` in storage (``DeviceSecrets``), or None
        unless all three of its items are there."""
        values = [self._read(name, username) for name in _storage.DEVICE_NAMES]
        if not all(values):
            return None
        from .flows.context import DeviceSecrets

        return DeviceSecrets(values[0], values[2], values[1])

    def _keep_device(self, device):
        self._write(
            [
                (self._key("deviceKey"), device.key),
                (self._key("randomPasswordKey"), device.password),
                (self._key("deviceGroupKey"), device.group_key),
            ]
        )

    def store_device(self) -> None:
        """Write the known device's keys to storage (sign-in does this by itself)."""
        if self.known_device is None:
            raise InvalidParameterError("this user has no remembered device here")
        self._keep_device(self.known_device)

    def forget_device_locally(self) -> None:
        """Drop the remembered device from memory and storage, sending nothing."""
        self._remove(_storage.DEVICE_NAMES)
        self.known_device = None

    # -- GetUser's cached answer -------------------------------------------------------------

    def cache_user_data(self, data: "dict") -> None:
        """Keep GetUser's answer in storage under ``.userData``."""
        from ._api import dumps

        self.storage.setItem(self._key("userData"), dumps(data))

    def cached_user_data(self) -> "Optional[str]":
        """The ``.userData`` item as stored (a JSON string), or None."""
        return self._read("userData")

    def clear_cached_user_data(self) -> None:
        """Remove the cached GetUser answer (``.userData``) from storage."""
        self._remove(("userData",))

    def _cached_user_object(self):
        # The cached answer as a dict; an item that is not a JSON object is removed.
        import json

        try:
            data = json.loads(self.cached_user_data() or "")
        except ValueError:  # garbage in storage reads as signed out of the cache
            data = None
        if not isinstance(data, dict):
            self.clear_cached_user_data()
            raise InvalidResponseError("the cached user data is not a JSON object")
        return data
