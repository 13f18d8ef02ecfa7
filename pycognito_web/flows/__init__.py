"""Cognito's flows as plain generators, free of I/O, and the loops that drive them.

Theory of operation
-------------------
A flow is a generator. It yields *effects*, tuples that ask its driver for something
from the outside world, and receives the answer from ``send``:

================================  ============================================
``("call", action, params)``      the action's answer (a dict); errors are thrown in
``("random", n)``                 ``n`` random bytes
``("now",)``                      the time, in seconds since the epoch
``("device", username)``          the remembered device of that user, or None
``("token",)``                    the signed-in user's access token; raises
                                  NotAuthenticatedError when nobody is signed in
================================  ============================================

and finally returns its outcome. So the protocol is ordinary code that a test can drive
with recorded answers, fixed random bytes and a frozen clock (``run_sync``), and that
the client drives through its transport (``run_async``). Flows hold no ``with`` or
``finally`` cleanup: MicroPython does not close abandoned generators.

One module per area holds every request body of that area and every reader of its
answers: ``sign_in`` (SRP, password, custom auth, devices' SRP, the challenge answers),
``account`` (the user's data, passwords, sign-out, refresh), ``mfa``, ``devices`` and
``sign_up``. A flow checks its arguments before it asks for the token or sends anything,
so a bad call is refused as such even when nobody is signed in.
"""

TYPE_CHECKING = False  # typing is absent on MicroPython; checkers still read this
if TYPE_CHECKING:
    from typing import Any


def call(action, params):
    """The effect that sends one action."""
    return ("call", action, params)


RANDOM = "random"
NOW = ("now",)
TOKEN = ("token",)


def random(count):
    """The effect that asks for ``count`` random bytes."""
    return ("random", count)


def device(username):
    """The effect that asks for a user's remembered device."""
    return ("device", username)


def _local(effect, env):
    # Effects answered without awaiting: randomness, clock, stored device.
    kind = effect[0]
    if kind == "random":
        return env.random(effect[1])
    if kind == "now":
        return env.now()
    if kind == "device":
        return env.device(effect[1])
    if kind == "token":
        return env.access_token()
    raise RuntimeError("unknown flow effect %r" % (kind,))


async def run_async(flow, env) -> "Any":
    """Drive a flow with an environment whose methods answer its effects.

    Args:
        flow: the generator.
        env: an object with ``async call(action, params)``, ``random(n)``, ``now()``,
            ``device(username)`` and ``access_token()``.

    Returns:
        The flow's return value; an error from ``call`` that the flow does not
        handle propagates.
    """
    value = error = None
    while True:
        try:
            effect = flow.throw(error) if error is not None else flow.send(value)
        except StopIteration as stop:
            return stop.value
        value = error = None
        if effect[0] != "call":
            value = _local(effect, env)
            continue
        try:
            value = await env.call(effect[1], effect[2])
        except Exception as raised:  # handed to the flow, which may recover
            error = raised


class _SyncCalls:
    """An environment whose plain ``call`` is presented as a coroutine."""

    def __init__(self, env):
        self.env = env

    async def call(self, action, params):
        answer = self.env.call(action, params)
        if hasattr(answer, "__await__") or hasattr(answer, "send"):
            answer.close()
            raise RuntimeError("run_sync: the environment's call is async; use run_async")
        return answer

    def random(self, count):
        return self.env.random(count)

    def now(self):
        return self.env.now()

    def device(self, username):
        return self.env.device(username)

    def access_token(self):
        return self.env.access_token()


def run_sync(flow, env) -> "Any":
    """``run_async`` for an environment whose ``call`` is a plain function (tests).

    Nothing awaits anything real, so the driving coroutine finishes in one step.
    """
    coroutine = run_async(flow, _SyncCalls(env))
    try:
        coroutine.send(None)
    except StopIteration as stop:
        return stop.value
    coroutine.close()
    raise RuntimeError("run_sync: the environment awaited something; use run_async")
