"""Runs on CPython and, through tests/pyodide/runner.mjs, inside real Pyodide in Node.

Each test knows where it runs and asserts what must hold there; nothing is skipped.
"""

import asyncio
import json
import os
import sys
import time

import pytest
from support.remote import fetch as http

from pycognito_web import _srp

IN_PYODIDE = sys.platform == "emscripten"


def test_runs_where_it_thinks():
    if IN_PYODIDE:
        import js  # only Pyodide has it
        import pyodide

        assert pyodide.__version__
        assert callable(js.fetch)
        assert callable(js.crypto.getRandomValues)
    else:
        assert sys.implementation.name == "cpython"
        with pytest.raises(ImportError):
            import js


def test_installed_package_is_the_wheel():
    """Inside Pyodide the import comes from the micropip-installed wheel, not the tree."""
    import pycognito_web

    where = os.path.dirname(pycognito_web.__file__)
    if IN_PYODIDE:
        assert "site-packages" in where, where
        from importlib.metadata import version

        assert version("pycognito-web") == pycognito_web.__version__
    else:
        assert os.path.isfile(os.path.join(where, "_srp.py"))


def _random_bytes(n):
    if IN_PYODIDE:
        import js

        buf = js.Uint8Array.new(n)
        js.crypto.getRandomValues(buf)
        return bytes(buf.to_py())
    return os.urandom(n)


def test_large_a_from_platform_randomness():
    raw = _random_bytes(128)
    assert len(raw) == 128
    a = _srp.small_a(raw)
    big_a = _srp.large_a(a)
    assert 1 < big_a < _srp.N
    assert big_a == pow(2, a, _srp.N)
    assert _srp.large_a(1) == 2
    assert _srp.large_a(_srp.N - 1) == pow(2, _srp.N - 1, _srp.N)


@pytest.mark.parametrize(
    "epoch, expected",
    [
        (0, "Thu Jan 1 00:00:00 UTC 1970"),
        (951782400, "Tue Feb 29 00:00:00 UTC 2000"),
        (1709164799, "Wed Feb 28 23:59:59 UTC 2024"),
        (1746576580, "Wed May 7 00:09:40 UTC 2025"),
        (4102444800, "Fri Jan 1 00:00:00 UTC 2100"),
    ],
)
def test_timestamp(epoch, expected):
    assert _srp.timestamp(epoch) == expected
    assert _srp.timestamp(epoch + 0.999) == expected


def test_timestamp_agrees_with_gmtime_now():
    now = int(time.time())
    t = time.gmtime(now)
    expected = time.strftime("%a %b ", t) + str(t.tm_mday) + time.strftime(" %H:%M:%S UTC %Y", t)
    assert _srp.timestamp(now) == expected


async def test_async_tests_run_here():
    """pytest-asyncio on CPython, tests/pyodide/_pyodide_plugin.py inside Pyodide."""
    await asyncio.sleep(0.01)
    loop = asyncio.get_running_loop()
    if IN_PYODIDE:
        assert type(loop).__name__ == "WebLoop"


async def test_http_to_the_host(echo_url):
    """A real HTTP round trip: Node's fetch inside Pyodide, urllib on CPython."""
    headers = {
        "X-Amz-Target": "AWSCognitoIdentityProviderService.Ping",
        "Content-Type": "application/x-amz-json-1.1",
    }
    status, text = await http("POST", echo_url, '{"a": 1}', headers)
    assert status == 200
    seen = json.loads(text)
    assert seen["target"] == "AWSCognitoIdentityProviderService.Ping"
    assert seen["content_type"] == "application/x-amz-json-1.1"
    assert json.loads(seen["body"]) == {"a": 1}
