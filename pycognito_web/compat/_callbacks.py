"""Callbacks the JavaScript way, over coroutines.

The original SDK reports through callbacks: an object with ``onSuccess``/``onFailure``
(and challenge handlers), or a node-style ``callback(err, result)``. Here a callback
object may be a dict or any object with those attributes, and a callback may be a plain
function or a coroutine function. Each call starts its work at once, as JavaScript
does, and also returns an awaitable (``Pending``) that gives the result, or raises the
error that went to ``onFailure``/``callback(err)``.
"""

import asyncio

from .._portable import loop_is_running, task_result
from ..errors import CognitoError, InvalidParameterError, LocalError, Undeliverable


class Callbacks:
    """A callback object (dict or object), read by name."""

    def __init__(self, target, method, required=("onSuccess", "onFailure")):
        if target is None:
            raise InvalidParameterError(
                "%s needs a callback object with %s" % (method, " and ".join(required))
            )
        self.target = target
        self.method = method
        for name in required:
            if self.get(name) is None:
                raise InvalidParameterError(
                    "the callback object given to %s has no %s function" % (method, name)
                )

    def get(self, name):
        if isinstance(self.target, dict):
            value = self.target.get(name)
        else:
            value = getattr(self.target, name, None)
        return value if callable(value) else None

    def require(self, name):
        """The named callback, or InvalidParameterError saying the caller lacks it."""
        value = self.get(name)
        if value is None:
            raise Undeliverable(
                "the sign-in needs the %s callback, which the callback object given to %s "
                "does not have" % (name, self.method)
            )
        return value


def node_callback(callback, method):
    """A node-style callback, checked to be callable."""
    if not callable(callback):
        raise InvalidParameterError("%s needs a callback function(err, result)" % method)
    return callback


async def invoke(function, *args):
    """Call a callback, awaiting it if it is a coroutine function."""
    result = function(*args)
    if hasattr(result, "__await__") or hasattr(result, "send"):
        result = await result
    return result


def as_error(error):
    """Errors from inside the library stay typed; anything else is wrapped once."""
    if isinstance(error, CognitoError):
        return error
    wrapped = LocalError("%s: %s" % (type(error).__name__, error))
    wrapped.__cause__ = error
    return wrapped


class Pending:
    """What each JavaScript-shaped call returns: an awaitable over its running task.

    Awaiting it gives the success value, or raises the error the callbacks received.
    Not awaiting it is fine: the error was delivered, so nothing is logged twice.
    """

    def __init__(self, coroutine):
        self._task = asyncio.create_task(coroutine)

    def __await__(self):
        ok, value = yield from self._task  # a Task is iterable, as the await protocol
        if not ok:
            raise value
        return value

    __iter__ = __await__  # MicroPython's ``await`` asks for __iter__ (as asyncio.Future has)

    def done(self):
        return self._task.done()

    def cancel(self):
        return self._task.cancel()

    def result(self):
        ok, value = task_result(self._task)
        if not ok:
            raise value
        return value


def start(coroutine):
    """Run a JavaScript-shaped call's coroutine as a task, returning ``Pending``.

    The coroutine returns ``(True, value)`` or ``(False, error)`` after it has
    called the callbacks.

    Raises:
        InvalidParameterError: outside a running event loop (PyScript and Pyodide
            always have one; on CPython call from ``asyncio`` code).
    """
    if not loop_is_running():
        coroutine.close()
        raise InvalidParameterError(
            "pycognito-web's JavaScript-shaped calls run on the event loop: call them from "
            "async code (PyScript and Pyodide always have a loop)"
        ) from None
    return Pending(coroutine)


class Done:
    """A call answered synchronously (as the original answers a cached getSession)."""

    def __init__(self, value):
        self._value = value

    def __await__(self):
        return self._value
        yield  # a generator, so that ``await`` accepts it

    __iter__ = __await__

    def done(self):
        return True

    def result(self):
        return self._value


def node_call(callback, method, work, transform=None):
    """Run ``work()`` (a coroutine function) for a node-style ``callback(err, result)``.

    Library errors, bad input included, go to ``callback(err, None)``; an exception
    raised by the callback itself is not caught (as in JavaScript, it surfaces).
    """
    node_callback(callback, method)

    async def run():
        try:
            value = await work()
            if transform is not None:
                value = transform(value)
        except Exception as raised:
            error = as_error(raised)
            await invoke(callback, error, None)
            return False, error
        await invoke(callback, None, value)
        return True, value

    return start(run())


def object_call(callbacks, work, deliver):
    """Run ``work()`` for a callback object: errors to ``onFailure``, the value to
    ``deliver(value)`` (a coroutine that calls onSuccess or a challenge handler and
    returns what the awaitable gives). When ``deliver`` finds no callback for the
    value (``Undeliverable``), that error goes to ``onFailure`` instead."""

    async def run():
        try:
            value = await work()
        except Exception as raised:
            error = as_error(raised)
            await invoke(callbacks.get("onFailure"), error)
            return False, error
        try:
            return True, await deliver(value)
        except Undeliverable as error:
            await invoke(callbacks.get("onFailure"), error)
            return False, error

    return start(run())


def errback_call(callback, work, ok_args=()):
    """Run ``work()`` for a callback that only takes an error: ``callback(err)`` on
    failure, ``callback(*ok_args)`` on success."""

    async def run():
        try:
            await work()
        except Exception as raised:
            error = as_error(raised)
            await invoke(callback, error)
            return False, error
        await invoke(callback, *ok_args)
        return True, None

    return start(run())
