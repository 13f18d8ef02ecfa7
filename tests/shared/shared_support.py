"""Helpers for tests/shared: the same code on CPython and inside Pyodide.

``await http(method, url, body=None, headers=None)`` -> ``(status, text)``: Node's or the
browser's ``fetch`` inside Pyodide (through ``js``), urllib in a thread on CPython. It is
for the tests' own calls (the emulator's outbox, its clock); the library under test uses
its own transport.

``EmulatorInfo``: what the tests know about the running emulator (``url``, ``pool_id``,
``client_id``, ``secret_client_id``, ``secret_client_secret``, ``pools``), with async
helpers for its outbox and clock. The ``emulator_info`` fixture in conftest.py gives one.
"""

import asyncio
import json
import sys
import urllib.parse

IN_PYODIDE = sys.platform == "emscripten"
EMULATOR_VAR = "PYCOGNITO_WEB_TEST_EMULATOR"


async def http(method, url, body=None, headers=None):
    headers = dict(headers or {})
    if isinstance(body, (dict, list)):
        body = json.dumps(body)
        headers.setdefault("Content-Type", "application/json")
    if IN_PYODIDE:
        import js
        from pyodide.ffi import to_js

        init = {"method": method, "headers": headers}
        if body is not None:
            init["body"] = body
        response = await js.fetch(url, to_js(init, dict_converter=js.Object.fromEntries))
        return response.status, await response.text()

    import urllib.error
    import urllib.request

    def call():
        data = body.encode() if isinstance(body, str) else body
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    return await asyncio.to_thread(call)


class EmulatorInfo:
    FIELDS = ("url", "pool_id", "client_id", "secret_client_id", "secret_client_secret", "pools")

    def __init__(self, **fields):
        for name in self.FIELDS:
            setattr(self, name, fields.get(name))
        self.url = self.url.rstrip("/")

    @classmethod
    def from_emulator(cls, emulator):
        """From tests/conftest.py's ``emulator`` fixture (CPython only)."""
        return cls(**{name: getattr(emulator, name, None) for name in cls.FIELDS})

    @classmethod
    def from_json(cls, text):
        return cls(**json.loads(text))

    def to_json(self):
        return json.dumps({name: getattr(self, name) for name in self.FIELDS})

    async def messages(self, username=None):
        """The emulator's outbox, oldest first, optionally for one username."""
        query = "" if username is None else "?" + urllib.parse.urlencode({"username": username})
        status, text = await http("GET", self.url + "/_emulator/messages" + query)
        assert status == 200, (status, text)
        return json.loads(text)["messages"]

    async def last_code(self, username):
        """The newest code the emulator sent to ``username``."""
        messages = await self.messages(username)
        assert messages, "no message for %s" % username
        return messages[-1]["code"]

    async def advance_clock(self, seconds):
        """Move the emulator's clock forward (it runs with --test-clock in tests)."""
        status, text = await http("POST", self.url + "/_emulator/clock", {"advance": seconds})
        assert status == 200, (status, text)

    async def reset_clock(self):
        status, text = await http("POST", self.url + "/_emulator/clock", {"offset": 0})
        assert status == 200, (status, text)


def sigv4_headers(
    url, target, body, access_key="test", secret_key="test", region="us-east-1", now=None
):
    """Headers that sign one Cognito admin call with AWS Signature Version 4.

    A minimal signer (hashlib/hmac only, so it runs inside Pyodide too) for the tests'
    own admin calls, such as AdminCreateUser for use case 23.
    """
    import hashlib
    import hmac
    import time

    host = urllib.parse.urlsplit(url).netloc
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now if now is not None else time.time()))
    day = stamp[:8]
    headers = {
        "content-type": "application/x-amz-json-1.1",
        "host": host,
        "x-amz-date": stamp,
        "x-amz-target": "AWSCognitoIdentityProviderService." + target,
    }
    signed = ";".join(sorted(headers))
    canonical = "\n".join(
        ["POST", "/", "", "".join("%s:%s\n" % (k, headers[k]) for k in sorted(headers)),
         signed, hashlib.sha256(body.encode()).hexdigest()]
    )  # fmt: skip
    scope = "%s/%s/cognito-idp/aws4_request" % (day, region)
    to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    key = ("AWS4" + secret_key).encode()
    for part in (day, region, "cognito-idp", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    out = {k: v for k, v in headers.items() if k != "host"}  # the client sets Host itself
    out["authorization"] = "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
        access_key,
        scope,
        signed,
        signature,
    )
    return out
