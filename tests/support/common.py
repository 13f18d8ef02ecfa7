"""Small helpers the scenario and the suites share, in every runtime (MicroPython too)."""

import binascii

from pycognito_web import _platform

PASSWORD = "Corr3ct-Horse-Battery!"
PREFIX = "CognitoIdentityServiceProvider."  # the original SDK's storage key prefix


def unique(name):
    """A username no other test uses."""
    return "%s-%s" % (name, binascii.hexlify(_platform.random_bytes(5)).decode())


async def raises(kind, awaitable):
    """Await ``awaitable``, which must raise ``kind``; returns the error."""
    try:
        value = await awaitable
    except kind as error:
        return error
    raise AssertionError("expected %s, got %r" % (kind.__name__, value))
