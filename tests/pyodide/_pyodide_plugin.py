"""pytest plugin loaded only inside Pyodide by tests/pyodide/runner.mjs.

Inside Pyodide the event loop (``pyodide.webloop.WebLoop``) is always "running", so
pytest-asyncio's ``asyncio.Runner`` refuses to start. With WebAssembly stack switching
(JSPI) ``pyodide.ffi.run_sync`` can block on an awaitable instead, so this plugin runs
``async def`` tests and async (generator) fixtures with it. It accepts the same
configuration that pytest-asyncio reads on CPython (``asyncio_mode`` and friends, the
``asyncio`` mark), so one test file runs unchanged in both places.
"""

import functools
import inspect

import pytest
from pyodide.ffi import can_run_sync, run_sync

_INI_NAMES = (
    "asyncio_mode",
    "asyncio_default_fixture_loop_scope",
    "asyncio_default_test_loop_scope",
)


def pytest_addoption(parser):
    for name in _INI_NAMES:
        parser.addini(name, "accepted for pytest-asyncio compatibility; ignored in Pyodide")


def pytest_configure(config):
    config.addinivalue_line("markers", "asyncio: run an async test (Pyodide: via run_sync)")
    if not can_run_sync():
        raise pytest.UsageError(
            "pyodide.ffi.can_run_sync() is False: start Node with JSPI "
            "(--experimental-wasm-stack-switching on Node 20, --experimental-wasm-jspi on 22+) "
            "and call pytest through callPromising"
        )


def _sync_coroutine_fixture(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return run_sync(func(*args, **kwargs))

    return wrapper


def _sync_asyncgen_fixture(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        agen = func(*args, **kwargs)
        value = run_sync(agen.__anext__())
        yield value
        try:
            run_sync(agen.__anext__())
        except StopAsyncIteration:
            pass
        else:
            raise RuntimeError(f"async fixture {func.__name__} yielded more than once")

    return wrapper


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    func = fixturedef.func
    if inspect.isasyncgenfunction(func):
        fixturedef.func = _sync_asyncgen_fixture(func)
    elif inspect.iscoroutinefunction(func):
        fixturedef.func = _sync_coroutine_fixture(func)
    return (yield)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    func = pyfuncitem.obj
    if not inspect.iscoroutinefunction(func):
        return None
    funcargs = pyfuncitem.funcargs
    kwargs = {name: funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    run_sync(func(**kwargs))
    return True
