"""Session persistence: one user's session, device and cached data in a storage.

Theory of operation
-------------------
Items live under ``_storage``'s keys, which are amazon-cognito-identity-js's byte for
byte, in the order it writes them (``idToken``, ``accessToken``, ``refreshToken``,
``clockDrift``, ``LastAuthUser``; then ``deviceKey``, ``randomPasswordKey``,
``deviceGroupKey``), so a page can move between the two SDKs without signing anyone out.

A group of items is written all or nothing: when the storage refuses one (full,
blocked, a broken shim), what was written is removed again, and the user (and its pool,
when they share the storage) carry on with a ``MemoryStorage`` for this page, with a
warning. Reads are defensive: a missing or garbled item reads as absent, and a stored
session is rebuilt from whatever is there (it may be expired, or lack a refresh token).

One refresh at a time per user: ``refreshing()`` is the lock that callers who arrive
during a refresh wait on.
"""

from . import _storage
from ._tokens import AccessToken, IdToken, RefreshToken, Session, session_from_result
from .errors import InvalidResponseError

TYPE_CHECKING = False  # typing is absent on MicroPython; checkers still read this
if TYPE_CHECKING:
    from typing import Any, Optional

SESSION_NAMES = ("idToken", "accessToken", "refreshToken")


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


class SessionStore:
    """Where one ``User`` keeps its items.

    Args:
        pool: the UserPool (its ``client_id``, and its ``storage`` that a memory
            fallback replaces too when the two are one).
        storage: a Web-Storage-shaped object.
    """

    def __init__(self, pool: "Any", storage: "Any") -> None:
        self.pool = pool
        self.storage = storage
        self._lock = None

    def key(self, username: "str", name: "str") -> "str":
        return _storage.user_key(self.pool.client_id, username, name)

    def read(self, username: "str", name: "str") -> "Optional[str]":
        """One stored string, or None."""
        return _storage.read(self.storage, self.key(username, name))

    def write(self, items: "list") -> None:
        """Write ``(key, value)`` items in order, all or none, falling back to memory."""
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

    def remove(self, username: "str", names: "tuple") -> None:
        for name in names:
            self.storage.removeItem(self.key(username, name))

    # -- the session ---------------------------------------------------------------------

    def write_session(self, username: "str", session: "Session") -> None:
        """The tokens, the clock drift and LastAuthUser, as the original's cacheTokens."""
        self.write(
            [
                (self.key(username, "idToken"), session.id_token.jwt),
                (self.key(username, "accessToken"), session.access_token.jwt),
                (self.key(username, "refreshToken"), session.refresh_token.token),
                (self.key(username, "clockDrift"), str(session.clock_drift)),
                (_storage.last_user_key(self.pool.client_id), username),
            ]
        )

    def session(self, username: "str") -> "Optional[Session]":
        """The stored session (valid or not), or None without an ID token."""
        id_token = self.read(username, "idToken")
        if not id_token:
            return None
        drift = self.read(username, "clockDrift")
        try:
            drift = int(drift) if drift else 0
        except ValueError:  # garbage in storage counts as no drift
            drift = 0
        return Session(
            IdToken(id_token),
            AccessToken(self.read(username, "accessToken") or ""),
            RefreshToken(self.read(username, "refreshToken") or ""),
            clock_drift=drift,
        )

    def newer_session(self, username: "str", token: "str", now: "float") -> "Optional[Session]":
        """The stored session when another tab has refreshed meanwhile (and, with
        rotation, replaced the refresh token ``token``) and it is valid; else None."""
        other = self.session(username)
        if other is None or other.refresh_token.token in ("", token):
            return None
        return other if other.is_valid(now) else None

    def clear_tokens(self, username: "str") -> None:
        """The tokens, LastAuthUser and the clock drift, in the original's order."""
        self.remove(username, SESSION_NAMES)
        self.storage.removeItem(_storage.last_user_key(self.pool.client_id))
        self.storage.removeItem(self.key(username, "clockDrift"))

    def refreshing(self) -> "Any":
        """The lock held while this user's session is refreshed."""
        import asyncio

        if self._lock is None:
            self._lock = asyncio.Lock()
        return self._lock

    # -- the remembered device ----------------------------------------------------------------

    def write_device(self, username: "str", device: "Any") -> None:
        self.write(
            [
                (self.key(username, "deviceKey"), device.key),
                (self.key(username, "randomPasswordKey"), device.password),
                (self.key(username, "deviceGroupKey"), device.group_key),
            ]
        )

    def device(self, username: "str") -> "Any":
        """The remembered device (``DeviceSecrets``), or None unless all three are stored."""
        values = [self.read(username, name) for name in _storage.DEVICE_NAMES]
        if not all(values):
            return None
        from .flows.context import DeviceSecrets

        return DeviceSecrets(values[0], values[2], values[1])

    # -- GetUser's cached answer ------------------------------------------------------------

    def cache_user_data(self, username: "str", data: "dict") -> None:
        from ._api import dumps

        self.storage.setItem(self.key(username, "userData"), dumps(data))

    def user_data(self, username: "str") -> "Optional[dict]":
        """The cached GetUser answer, or None when nothing is cached.

        Raises:
            InvalidResponseError: when the item is not a JSON object (it is removed).
        """
        cached = self.read(username, "userData")
        if not cached:
            return None
        import json

        try:
            data = json.loads(cached)
        except ValueError:  # garbage in storage reads as signed out of the cache
            data = None
        if not isinstance(data, dict):
            self.remove(username, ("userData",))
            raise InvalidResponseError("the cached user data is not a JSON object")
        return data
