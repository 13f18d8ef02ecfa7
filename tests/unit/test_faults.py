"""Faults around the session: a storage that refuses writes, two tabs refreshing the same
session, callers racing for one refresh, and a fetch that fails mid-flow."""

import asyncio
import logging

import pytest
from unit_helpers import (
    NOW,
    REFRESH,
    Cognito,
    answer,
    pool,
    run,
    srp_challenge,
    tokens,
)

from pycognito_web import MemoryStorage, NetworkError, Session


class FullStorage(MemoryStorage):
    """A localStorage that is full: the first ``room`` writes succeed, then QuotaExceeded."""

    class QuotaExceededError(Exception):
        pass

    def __init__(self, room):
        MemoryStorage.__init__(self)
        self.room = room

    def setItem(self, key, value):
        if self.room <= 0:
            raise self.QuotaExceededError("The quota has been exceeded.")
        self.room -= 1
        MemoryStorage.setItem(self, key, value)


def test_a_full_storage_falls_back_to_memory_with_a_warning(caplog):
    full = FullStorage(room=2)
    cognito = Cognito(
        {
            "InitiateAuth": srp_challenge(),
            "RespondToAuthChallenge": {"AuthenticationResult": tokens()},
        }
    )
    p = pool(cognito, storage=full)
    user = p.user("alice")
    with caplog.at_level(logging.WARNING, logger="pycognito_web"):
        session = run(user.authenticate("Pa55-word-NEVER-SHOWN-7a1"))
    assert isinstance(session, Session)
    # Nothing half-written stays behind in the storage that refused...
    assert full.keys() == []
    # ...the session lives in memory instead, for this user and the pool...
    assert user.storage is p.storage and user.storage is not full
    assert sorted(k.rsplit(".", 1)[-1] for k in user.storage.keys()) == sorted(
        ["LastAuthUser", "idToken", "accessToken", "refreshToken", "clockDrift"]
    )
    assert p.current_user().cached_session() is not None
    # ...and the developer is told, without any token in the message.
    warnings = [r.getMessage() for r in caplog.records if r.name == "pycognito_web"]
    assert len(warnings) == 1 and "QuotaExceededError" in warnings[0]
    assert session.access_token.jwt not in warnings[0] and REFRESH not in warnings[0]


def _expired_session_in(storage, cognito):
    """Sign in at NOW on a shared storage; return a pool whose clock is 2 h later."""
    run(pool(cognito, storage=storage).user("alice").authenticate("Pa55-word-NEVER-SHOWN-7a1"))
    return pool(cognito, storage=storage, clock=lambda: NOW + 7200)


def test_two_tabs_refreshing_with_rotation_leave_a_valid_session():
    storage = MemoryStorage()
    later = NOW + 7200
    cognito = Cognito(
        {
            "InitiateAuth": [
                answer(srp_challenge()),
                # Tab A's refresh rotates the token; tab B's, with the old one, is refused.
                answer({"AuthenticationResult": tokens(now=later, refresh="ROTATED-2")}),
                answer(
                    {
                        "__type": "NotAuthorizedException",
                        "message": "Refresh Token has been revoked",
                    },
                    status=400,
                ),
            ],
            "RespondToAuthChallenge": {"AuthenticationResult": tokens()},
        }
    )
    tab_a = _expired_session_in(storage, cognito)
    tab_b = pool(cognito, storage=storage, clock=lambda: later)
    user_b = tab_b.user("alice")
    stale = user_b._stored_session()  # tab B read the old session before A refreshed

    refreshed_a = run(tab_a.current_user().get_session())
    assert refreshed_a.refresh_token.token == "ROTATED-2"
    got_b = run(user_b.refresh_session(stale.refresh_token))
    # B adopts A's session instead of signing the user out.
    assert got_b.access_token.jwt == refreshed_a.access_token.jwt
    assert got_b.is_valid(later)
    assert (
        storage.getItem("CognitoIdentityServiceProvider.%s.alice.refreshToken" % tab_b.client_id)
        == "ROTATED-2"
    )


def test_a_refused_refresh_without_another_session_signs_out():
    storage = MemoryStorage()
    cognito = Cognito(
        {
            "InitiateAuth": [
                answer(srp_challenge()),
                answer(
                    {
                        "__type": "NotAuthorizedException",
                        "message": "Refresh Token has been revoked",
                    },
                    status=400,
                ),
            ],
            "RespondToAuthChallenge": {"AuthenticationResult": tokens()},
        }
    )
    later = _expired_session_in(storage, cognito)
    with pytest.raises(Exception) as raised:
        run(later.current_user().get_session())
    assert raised.value.code == "NotAuthorizedException"
    assert storage.keys() == []


def test_callers_racing_for_a_refresh_share_one_request():
    storage = MemoryStorage()
    cognito = Cognito(
        {
            "InitiateAuth": [
                answer(srp_challenge()),
                answer({"AuthenticationResult": tokens(now=NOW + 7200, refresh=None)}),
            ],
            "RespondToAuthChallenge": {"AuthenticationResult": tokens()},
        }
    )
    later = _expired_session_in(storage, cognito)
    user = later.current_user()

    async def both():
        return await asyncio.gather(user.get_session(), user.get_session(), user.get_session())

    sessions = run(both())
    assert cognito.actions().count("InitiateAuth") == 2  # the sign-in and ONE refresh
    assert len({s.access_token.jwt for s in sessions}) == 1


def test_fetch_failing_mid_flow_leaves_nothing_behind():
    storage = MemoryStorage()
    cognito = Cognito(
        {
            "InitiateAuth": srp_challenge(),
            "RespondToAuthChallenge": lambda body: (_ for _ in ()).throw(
                NetworkError("Network error: Failed to fetch")
            ),
        }
    )
    with pytest.raises(NetworkError):
        run(pool(cognito, storage=storage).user("alice").authenticate("Pa55-word-NEVER-SHOWN-7a1"))
    assert storage.keys() == []
    # RespondToAuthChallenge is not repeated: its session may already be spent.
    assert cognito.actions() == ["InitiateAuth", "RespondToAuthChallenge"]
