"""What the MicroPython tests share: the host's values and a few helpers over the support
package (tests/support/, copied to /tests/support by runner.mjs).

The CPython side (test_in_micropython.py) starts the emulator and hands its URL and ids
to runner.mjs (``--env``), which writes them to /tests/mpy_env.json; ``info()`` reads
them into a ``support.remote.EmulatorInfo`` (the outbox, the clock, admin calls over
``js.fetch``); ``emulator()`` is the same as a dict. The library under test uses its
default transport, which is the same ``fetch``.
"""

import json

from support.common import PASSWORD, PREFIX, raises, unique
from support.remote import EMULATOR_VAR, EmulatorInfo
from support.totp import totp

from pycognito_web import MemoryStorage, UserPool

ENV_FILE = "/tests/mpy_env.json"
__all__ = ["PASSWORD", "PREFIX", "emulator", "env", "info", "last_code", "make_pool",
           "messages", "raises", "raises_now", "signed_up", "totp", "unique"]  # fmt: skip


def env(name):
    """A value the host passed with ``--env NAME=...``."""
    with open(ENV_FILE) as handle:
        values = json.load(handle)
    if name not in values:
        raise AssertionError("runner.mjs got no --env %s=..." % name)
    return values[name]


_info = []


def info():
    """The emulator as a ``support.remote.EmulatorInfo`` (over fetch)."""
    if not _info:
        _info.append(EmulatorInfo.from_json(env(EMULATOR_VAR)))
    return _info[0]


def emulator():
    """The emulator's url, pool_id, client_id, secret_client_id, secret_client_secret, pools."""
    return info().fields()


async def messages(username):
    """The emulator's outbox for ``username``, oldest first."""
    return await info().messages(username)


async def last_code(username):
    return await info().last_code(username)


def make_pool(storage=None, **options):
    found = info()
    return UserPool(
        found.pool_id,
        found.client_id,
        endpoint=found.url + "/",
        storage=storage if storage is not None else MemoryStorage(),
        **options,
    )


async def signed_up(pool, name=None):
    """A confirmed user of the pool: sign up, the code from the outbox, confirm."""
    username = name or unique("mpy")
    result = await pool.sign_up(username, PASSWORD, {"email": username + "@example.com"})
    assert result.user_confirmed is False, result
    assert result.code_delivery_details["DeliveryMedium"] == "EMAIL"
    code = await last_code(username)
    assert await result.user.confirm_sign_up(code) == "SUCCESS"
    return result.user


def raises_now(kind, function, *args):
    """Call ``function(*args)``, which must raise ``kind`` at once; returns the error."""
    try:
        value = function(*args)
    except kind as error:
        return error
    raise AssertionError("expected %s, got %r" % (kind.__name__, value))
