"""The flow drivers: the same generator runs under run_sync (tests) and run_async."""

import asyncio

import pytest
from unit_helpers import NOW, tokens

from pycognito_web.errors import ServiceError
from pycognito_web.flows import run_async, run_sync, sign_in
from pycognito_web.flows.context import FlowContext, SignedIn


class Env:
    """Answers InitiateAuth with tokens; records what the flow asked for."""

    def __init__(self, fail=None):
        self.calls = []
        self.fail = fail

    def call(self, action, params):
        self.calls.append((action, params))
        if self.fail is not None:
            raise self.fail
        return {"AuthenticationResult": tokens()}

    def random(self, count):
        return bytes(count)

    def now(self):
        return NOW

    def device(self, username):
        return None


CTX = FlowContext("client1", "AbCdEf123")


def test_run_sync_and_run_async_drive_the_same_flow_alike():
    sync_env, async_env = Env(), Env()

    class AsyncEnv(Env):
        async def call(self, action, params):
            return Env.call(self, action, params)

    async_env = AsyncEnv()
    one = run_sync(sign_in.password(CTX, "alice", "pw"), sync_env)
    two = asyncio.run(run_async(sign_in.password(CTX, "alice", "pw"), async_env))
    assert isinstance(one, SignedIn) and isinstance(two, SignedIn)
    assert one.result == two.result
    assert sync_env.calls == async_env.calls
    assert sync_env.calls[0][1]["AuthFlow"] == "USER_PASSWORD_AUTH"


def test_errors_from_call_reach_the_caller_through_the_flow():
    env = Env(fail=ServiceError("Incorrect username or password.", code="NotAuthorizedException"))
    with pytest.raises(ServiceError) as raised:
        run_sync(sign_in.password(CTX, "alice", "pw"), env)
    assert raised.value.code == "NotAuthorizedException"


def test_run_sync_refuses_an_environment_that_really_awaits():
    class Slow(Env):
        async def call(self, action, params):
            await asyncio.sleep(0)
            return {}

    with pytest.raises(RuntimeError):
        run_sync(sign_in.password(CTX, "alice", "pw"), Slow())
