"""The emulator as a test sees it from any runtime: CPython, Pyodide, MicroPython.

In MicroPython's subset (plain classes, ``%`` formatting, no CPython-only module at
import time), because the MicroPython suite imports it as it is.

* ``await fetch(method, url, body=None, headers=None)`` -> ``(status, text)``: ``js.fetch``
  inside Pyodide or MicroPython, urllib in a thread on CPython. For the tests' own calls
  (the outbox, the clock, admin calls); the library under test uses its own transport.
* ``EmulatorInfo``: the ids (``url``, ``pool_id``, ``client_id``, ``secret_client_id``,
  ``secret_client_secret``, ``pools``), the ``transport`` clients should use (None: the
  library's default, over HTTP), and async helpers for the outbox, the clock and signed
  admin calls. It travels from the CPython side as JSON in $PYCOGNITO_WEB_TEST_EMULATOR.
"""

import json
import sys

try:
    import js  # Pyodide and PyScript's MicroPython
except ImportError:
    js = None

from .sigv4 import sigv4_headers

EMULATOR_VAR = "PYCOGNITO_WEB_TEST_EMULATOR"
TARGET_PREFIX = "AWSCognitoIdentityProviderService."
JSON11 = "application/x-amz-json-1.1"


def quote(text):
    """Percent-encode a query value (urllib.parse is not in MicroPython)."""
    safe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        out.append(char if char in safe else "%%%02X" % byte)
    return "".join(out)


async def fetch(method, url, body=None, headers=None):
    """One HTTP request from wherever this runs; returns ``(status, text)``.

    A dict or list body is sent as JSON.
    """
    headers = dict(headers or {})
    if isinstance(body, (dict, list)):
        body = json.dumps(body)
        if "Content-Type" not in headers:
            headers["Content-Type"] = "application/json"
    if js is not None:
        init = {"method": method, "headers": headers}
        if body is not None:
            init["body"] = body if isinstance(body, str) else body.decode("utf-8")
        # A JS object from JSON: the same in Pyodide and MicroPython.
        response = await js.fetch(url, js.JSON.parse(json.dumps(init)))
        return int(response.status), str(await response.text())

    import asyncio
    import urllib.error
    import urllib.request

    def send():
        data = body.encode("utf-8") if isinstance(body, str) else body
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read().decode("utf-8")

    return await asyncio.to_thread(send)


class EmulatorInfo:
    """What the tests know about a running emulator, and async helpers to use it.

    Args:
        fields: ``url``, ``pool_id``, ``client_id``, ``secret_client_id``,
            ``secret_client_secret``, ``pools`` (``{name: {"id", "clients": {name:
            {"id", "secret"}}}}``), ``invitations`` (``[[username, temporary password]]``
            of users the host made with AdminCreateUser in the main pool, for a page,
            which may not make admin calls).
        transport: what clients should be built with (None: the library's default).
        fetch: ``async (method, url, body, headers) -> (status, text)`` for the tests'
            own requests (default: ``fetch`` above, real HTTP).
    """

    FIELDS = ("url", "pool_id", "client_id", "secret_client_id", "secret_client_secret", "pools",
              "invitations")  # fmt: skip

    def __init__(self, fields, transport=None, fetch=None):
        for name in self.FIELDS:
            setattr(self, name, fields.get(name))
        if not self.url:
            raise ValueError("EmulatorInfo needs a url, got %r" % (fields,))
        self.url = self.url.rstrip("/")
        self.transport = transport
        self._fetch = fetch

    @classmethod
    def from_json(cls, text):
        """From $PYCOGNITO_WEB_TEST_EMULATOR (``to_json``'s text)."""
        return cls(json.loads(text))

    def to_json(self):
        return json.dumps(self.fields())

    def fields(self):
        return {name: getattr(self, name) for name in self.FIELDS}

    def over_http(self):
        """Whether clients reach it over real HTTP (not an in-process transport)."""
        return self.transport is None

    def pool_data(self, storage=None, pool=None, client="web"):
        """The JavaScript-shaped API's ``poolData`` for one of its pools (default main/web).

        ``storage`` None: a fresh MemoryStorage.
        """
        from pycognito_web import MemoryStorage

        if pool is None:
            pool_id, client_id = self.pool_id, self.client_id
        else:
            pool_id = self.pools[pool]["id"]
            client_id = self.pools[pool]["clients"][client]["id"]
        data = {
            "UserPoolId": pool_id,
            "ClientId": client_id,
            "endpoint": self.url + "/",
            "Storage": storage if storage is not None else MemoryStorage(),
        }
        if self.transport is not None:
            data["Transport"] = self.transport
        return data

    async def request(self, method, path, body=None, headers=None):
        """``(status, text)`` of one request to the emulator (path from its root)."""
        send = self._fetch or fetch
        return await send(method, self.url + path, body, headers)

    async def messages(self, username=None):
        """The emulator's outbox, oldest first, optionally for one username."""
        query = "" if username is None else "?username=" + quote(username)
        status, text = await self.request("GET", "/_emulator/messages" + query)
        assert status == 200, (status, text)
        return json.loads(text)["messages"]

    async def last_code(self, username, kind=None):
        """The newest code the emulator sent to ``username`` (of that kind, if given)."""
        found = await self.messages(username)  # (no await inside a comprehension: MicroPython)
        found = [m for m in found if kind is None or m["kind"] == kind]
        assert found, "no %s message for %s" % (kind or "", username)
        return found[-1]["code"]

    async def advance_clock(self, seconds):
        """Move the emulator's clock forward (it runs with --test-clock in tests)."""
        status, text = await self.request("POST", "/_emulator/clock", {"advance": seconds})
        assert status == 200, (status, text)

    async def reset_clock(self):
        """Put the emulator's clock back to real time."""
        status, text = await self.request("POST", "/_emulator/clock", {"offset": 0})
        assert status == 200, (status, text)

    async def invite(self, username):
        """A user an administrator made in the main pool (AdminCreateUser, a verified
        email): (username, temporary password). A host-made one when there are
        ``invitations`` (a browser page may not call admin actions), else made here."""
        if self.invitations:
            found = self.invitations.pop()
            return found[0], found[1]
        await self.admin("AdminCreateUser", invitation(self.pool_id, username))
        return username, await self.last_code(username, "invitation")

    async def admin(self, action, body):
        """One admin action signed with SigV4 (keys test/test); the answer dict.

        Raises:
            AssertionError: on an error answer (its status and text).
        """
        text = json.dumps(body)
        headers = sigv4_headers(self.url + "/", action, text)
        status, answer = await self.request("POST", "/", text, headers)
        assert status == 200, (action, status, answer)
        return json.loads(answer)


def invitation(pool_id, username):
    """The AdminCreateUser body of ``invite``: the user with a verified email."""
    return {
        "UserPoolId": pool_id,
        "Username": username,
        "UserAttributes": [{"Name": "email", "Value": username + "@example.com"},
                           {"Name": "email_verified", "Value": "true"}],
    }  # fmt: skip


def in_browser_runtime():
    """Whether this is Pyodide or MicroPython (where no server can be started)."""
    return js is not None or sys.implementation.name == "micropython"
