"""A test harness small enough for MicroPython, where pytest does not run.

``await main(["mpy_test_x", ...])`` imports each module, runs its ``test_*`` functions in
name order (MicroPython's module dicts keep no definition order), awaiting those that are
coroutine functions, and prints one line per test, a traceback for each failure and, last,
``N passed, N failed``. A module that fails to import counts as one failed test. Tests
take no arguments: what they need from the host comes from ``mpy_support``.

It runs on CPython too (``asyncio.run(main([...]))``), which is how its own behaviour is
checked.
"""

import sys
import time

try:
    _ticks = time.ticks_ms

    def _elapsed(start):
        return time.ticks_diff(time.ticks_ms(), start)

except AttributeError:  # CPython

    def _ticks():
        return time.monotonic() * 1000.0

    def _elapsed(start):
        return time.monotonic() * 1000.0 - start


def _print_exception(error):
    if hasattr(sys, "print_exception"):  # MicroPython
        sys.print_exception(error)
    else:
        import traceback

        traceback.print_exception(type(error), error, error.__traceback__)


def collect(module):
    """The module's ``test_*`` functions as (name, function), sorted by name."""
    tests = []
    for name in dir(module):
        value = getattr(module, name)
        if name.startswith("test_") and callable(value):
            tests.append((name, value))
    tests.sort(key=lambda item: item[0])
    return tests


async def run_test(function):
    """Run one test; an ``async def`` one is awaited. Raises what it raises."""
    result = function()
    if hasattr(result, "send"):  # a coroutine (MicroPython's are generators)
        result = await result
    return result


async def main(module_names):
    """Run every test of the named modules; returns (passed, failed)."""
    passed = failed = 0
    for module_name in module_names:
        try:
            module = __import__(module_name)
        except Exception as error:  # a broken test file is a failure, not a crash
            failed += 1
            print("FAIL %s (import)" % module_name)
            _print_exception(error)
            continue
        for name, function in collect(module):
            start = _ticks()
            try:
                await run_test(function)
            except Exception as error:
                failed += 1
                print("FAIL %s::%s (%d ms)" % (module_name, name, _elapsed(start)))
                _print_exception(error)
            else:
                passed += 1
                print("PASS %s::%s (%d ms)" % (module_name, name, _elapsed(start)))
    print("%d passed, %d failed" % (passed, failed))
    return passed, failed
