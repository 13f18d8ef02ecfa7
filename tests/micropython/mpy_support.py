"""What the MicroPython tests share: the host's values, the emulator's outbox, helpers.

The CPython side (test_in_micropython.py) starts the emulator and hands its URL and ids
to runner.mjs (``--env``), which writes them to /tests/mpy_env.json; ``emulator()`` reads
them. The tests' own HTTP (the outbox) goes through ``js.fetch`` directly; the library
under test uses its default transport, which is the same ``fetch``.
"""

import binascii
import json

import js

from pycognito_web import MemoryStorage, UserPool, _platform

ENV_FILE = "/tests/mpy_env.json"
EMULATOR_VAR = "PYCOGNITO_WEB_TEST_EMULATOR"
PASSWORD = "Corr3ct-Horse-Battery!"
PREFIX = "CognitoIdentityServiceProvider."


def env(name):
    """A value the host passed with ``--env NAME=...``."""
    with open(ENV_FILE) as handle:
        values = json.load(handle)
    if name not in values:
        raise AssertionError("runner.mjs got no --env %s=..." % name)
    return values[name]


_emulator = []


def emulator():
    """The emulator's url, pool_id, client_id, secret_client_id, secret_client_secret."""
    if not _emulator:
        info = json.loads(env(EMULATOR_VAR))
        info["url"] = info["url"].rstrip("/")
        _emulator.append(info)
    return _emulator[0]


async def http(method, url, body=None):
    """(status, text) of one request through fetch (a JS object for its options)."""
    init = {"method": method, "headers": {"Content-Type": "application/json"}}
    if body is not None:
        init["body"] = json.dumps(body)
    response = await js.fetch(url, js.JSON.parse(json.dumps(init)))
    return int(response.status), str(await response.text())


async def messages(username):
    """The emulator's outbox for ``username``, oldest first."""
    status, text = await http("GET", emulator()["url"] + "/_emulator/messages?username=" + username)
    assert status == 200, (status, text)
    return json.loads(text)["messages"]


async def last_code(username):
    found = await messages(username)
    assert found, "no message for %s" % username
    return found[-1]["code"]


def unique(name):
    return "%s-%s" % (name, binascii.hexlify(_platform.random_bytes(5)).decode())


def make_pool(storage=None, **options):
    info = emulator()
    return UserPool(
        info["pool_id"],
        info["client_id"],
        endpoint=info["url"] + "/",
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


async def raises(kind, awaitable):
    """Await ``awaitable``, which must raise ``kind``; returns the error."""
    try:
        value = await awaitable
    except kind as error:
        return error
    raise AssertionError("expected %s, got %r" % (kind.__name__, value))


def raises_now(kind, function, *args):
    """Call ``function(*args)``, which must raise ``kind`` at once; returns the error."""
    try:
        value = function(*args)
    except kind as error:
        return error
    raise AssertionError("expected %s, got %r" % (kind.__name__, value))


_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def b32decode(text):
    """RFC 4648 base32 (as authenticator apps take TOTP secrets), padding optional."""
    bits = value = 0
    out = bytearray()
    for char in text.rstrip("=").upper():
        value = (value << 5) | _B32.index(char)
        bits += 5
        if bits >= 8:
            bits -= 8
            out.append((value >> bits) & 0xFF)
    return bytes(out)


def _sha1(data):
    # FIPS 180-4 SHA-1: MicroPython's hashlib has only sha256, and TOTP apps use SHA-1.
    h = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0]
    mask = 0xFFFFFFFF
    length = len(data)
    data = bytes(data) + b"\x80" + b"\x00" * ((55 - length) % 64) + (8 * length).to_bytes(8, "big")
    for start in range(0, len(data), 64):
        w = [int.from_bytes(data[start + 4 * i : start + 4 * i + 4], "big") for i in range(16)]
        for i in range(16, 80):
            x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]
            w.append(((x << 1) | (x >> 31)) & mask)
        a, b, c, d, e = h
        for i in range(80):
            if i < 20:
                f, k = (b & c) | (~b & d), 0x5A827999
            elif i < 40:
                f, k = b ^ c ^ d, 0x6ED9EBA1
            elif i < 60:
                f, k = (b & c) | (b & d) | (c & d), 0x8F1BBCDC
            else:
                f, k = b ^ c ^ d, 0xCA62C1D6
            rotated = ((a << 5) | (a >> 27)) & mask
            temp = (rotated + f + e + k + w[i]) & mask
            e, d, c, b, a = d, c, ((b << 30) | (b >> 2)) & mask, a, temp
        h = [(h[j] + (a, b, c, d, e)[j]) & mask for j in range(5)]
    return b"".join(x.to_bytes(4, "big") for x in h)


def _hmac_sha1(key, message):
    key = _sha1(key) if len(key) > 64 else key
    key = key + b"\x00" * (64 - len(key))
    inner = _sha1(bytes(x ^ 0x36 for x in key) + message)
    return _sha1(bytes(x ^ 0x5C for x in key) + inner)


def totp(secret_b32, at, digits=6, step=30):
    """RFC 6238 TOTP (HMAC-SHA1) of a base32 secret at ``at`` seconds since the epoch."""
    counter = int(at // step)
    digest = _hmac_sha1(b32decode(secret_b32), counter.to_bytes(8, "big"))
    offset = digest[-1] & 0x0F
    number = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    text = str(number % 10**digits)
    return "0" * (digits - len(text)) + text
