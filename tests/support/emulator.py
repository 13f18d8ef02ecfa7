"""The emulator handle of every CPython suite and of the benchmarks, two ways to run it.

``EmulatorProcess(folder, config=EMULATOR_CONFIG, args=(), test_clock=True)``:
``python -m pycognito_emulator`` as a child process on 127.0.0.1, a free port and a data
file in ``folder``: real HTTP, what Pyodide, MicroPython, Chromium, boto3 and the kill -9
runs need. ``InProcessEmulator(config=EMULATOR_CONFIG, folder=None)``: the same emulator
built in this process (``pycognito_emulator.server.build``) and reached through
``pycognito_emulator.testing.AsgiTransport``: no process, no socket.

Both offer the same handle (what tests/conftest.py's ``emulator`` fixture documents):

* ``.url``, ``.pool_id``, ``.client_id``, ``.secret_client_id``,
  ``.secret_client_secret`` (the "main" pool's "web" and "server" clients, or the first
  pool's first client), ``.pools`` (``{name: {"id", "clients": {name: {"id",
  "secret"}}}}``), ``.config``, ``.pool(name)`` -> (pool id, "web" or first client id);
* ``.call(action, body)`` (``ApiError`` on an error answer), ``.fail(action, body)``,
  ``.http(method, path, body=None, headers=None)`` -> (status, headers, body bytes);
* ``.messages(username=None)``, ``.last_code(username, kind=None)``,
  ``.confirmed_user(username, password, client_id=None)``;
* ``.advance_clock(seconds)``, ``.reset_clock()``; ``.restart(kill=True)``, ``.stop()``;
* ``.info()``: the ``support.remote.EmulatorInfo`` of the tests that run in every runtime,
  ``.test_env()``: that info for a Node or browser runtime (process only).
"""

import asyncio
import json
import os
import tempfile
import threading
import urllib.parse

from .config import EMULATOR_CONFIG
from .remote import EMULATOR_VAR, EmulatorInfo, invitation
from .sigv4 import sigv4_headers
from .wire import ApiError, action_request, http

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Nothing listens on port 9 (discard): a client built without the in-process transport
# fails at once instead of reaching some other emulator.
IN_PROCESS_URL = "http://127.0.0.1:9"


class EmulatorApi:
    """The handle's calls, over whatever ``_request`` reaches (see the module docstring)."""

    ApiError = ApiError

    def _set_pools(self, pools):
        self._pools = self.pools = pools
        main = pools.get("main") or (next(iter(pools.values())) if pools else None)
        clients = main["clients"] if main else {}
        first = next(iter(clients.values()), None)
        web = clients.get("web") or first
        server = clients.get("server")
        self.pool_id = main["id"] if main else None
        self.client_id = web["id"] if web else None
        self.secret_client_id = server["id"] if server else None
        self.secret_client_secret = server["secret"] if server else None

    def pool(self, name):
        """(pool id, client id of its "web" client, else of its first client)."""
        pool = self._pools[name]
        clients = pool["clients"]
        client = clients.get("web") or next(iter(clients.values()))
        return pool["id"], client["id"]

    def fields(self):
        return {
            "url": self.url,
            "pool_id": self.pool_id,
            "client_id": self.client_id,
            "secret_client_id": self.secret_client_id,
            "secret_client_secret": self.secret_client_secret,
            "pools": self._pools,
        }

    def call(self, action, body):
        """An action's answer dict; raises ApiError on error answers."""
        data, headers = action_request(action, body)
        status, answer_headers, raw = self.http("POST", "/", data, headers)
        if status != 200:
            raise ApiError(status, answer_headers, raw)
        return json.loads(raw)

    def fail(self, action, body):
        """Run an action that must fail; returns the ApiError."""
        try:
            answer = self.call(action, body)
        except ApiError as error:
            return error
        raise AssertionError("%s succeeded: %r" % (action, answer))

    def http(self, method, path, body=None, headers=None):
        """A raw request: (status, headers with lower-case names, body bytes)."""
        return self._request(method, path, body, headers)

    def messages(self, username=None):
        """The outbox, oldest first, optionally for one username (or address)."""
        query = "" if username is None else "?" + urllib.parse.urlencode({"username": username})
        status, _, body = self.http("GET", "/_emulator/messages" + query)
        assert status == 200, (status, body)
        return json.loads(body)["messages"]

    def last_code(self, username, kind=None):
        """The newest code sent to a user (of that kind: signup, invitation...)."""
        found = [m for m in self.messages(username) if kind is None or m["kind"] == kind]
        assert found, "no %s message for %s" % (kind or "", username)
        return found[-1]["code"]

    def confirmed_user(self, username, password, client_id=None, email=None):
        """SignUp, the code from the outbox, ConfirmSignUp; returns the username."""
        client_id = client_id or self.client_id
        self.call(
            "SignUp",
            {
                "ClientId": client_id,
                "Username": username,
                "Password": password,
                "UserAttributes": [{"Name": "email", "Value": email or username + "@example.com"}],
            },
        )
        code = self.last_code(username, "signup")
        self.call(
            "ConfirmSignUp",
            {"ClientId": client_id, "Username": username, "ConfirmationCode": code},
        )
        return username

    def invite(self, username):
        """AdminCreateUser in the main pool, signed (keys test/test): (username, temporary
        password), what ``EmulatorInfo.invite`` hands a page that may not call it."""
        body = json.dumps(invitation(self.pool_id, username))
        headers = sigv4_headers(self.url + "/", "AdminCreateUser", body)
        status, _, raw = self.http("POST", "/", body, headers)
        if status != 200:
            raise ApiError(status, {}, raw)
        return [username, self.last_code(username, "invitation")]

    def advance_clock(self, seconds):
        """Move the emulator's clock forward (it runs with --test-clock)."""
        status, _, body = self.http("POST", "/_emulator/clock", json.dumps({"advance": seconds}))
        assert status == 200, (status, body)

    def reset_clock(self):
        """Put the emulator's clock back to real time."""
        status, _, body = self.http("POST", "/_emulator/clock", json.dumps({"offset": 0}))
        assert status == 200, (status, body)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class EmulatorProcess(EmulatorApi):
    """``python -m pycognito_emulator`` as a child process (see the module docstring).

    Args:
        folder: where the data file (``emulator.sqlite3``) and the config go.
        config: the config as a dict, or a config file's path.
        args: more command-line arguments (``--max-body``...).
        test_clock: start with ``--test-clock``.
        timeout: seconds to wait for its ready lines.

    Attributes (besides the handle's): ``port``, ``data``, ``process``, ``output`` (the
    console lines), ``summary`` (its ready line's JSON).
    """

    def __init__(self, folder, config=EMULATOR_CONFIG, args=(), test_clock=True, timeout=30):
        self.folder = str(folder)
        self.data = os.path.join(self.folder, "emulator.sqlite3")
        if isinstance(config, dict):
            self.config = config
            self.config_path = os.path.join(self.folder, "config.json")
            with open(self.config_path, "w") as handle:
                json.dump(config, handle)
        else:
            self.config_path = str(config)
            with open(self.config_path) as handle:
                self.config = json.load(handle)
        self.args = list(args) + (["--test-clock"] if test_clock else [])
        self.timeout = timeout
        self.port = 0
        self.process = None
        self.output = []
        self.start()

    def start(self):
        """Start the process and wait for its two ready lines (on the same port again)."""
        from pycognito_emulator.launch import launch

        self.running = launch(
            ["--host", "127.0.0.1", "--port", str(self.port), "--data", self.data,
             "--config", self.config_path, *self.args],
            output=self.output,
            timeout=self.timeout,
            cwd=ROOT,
        )  # fmt: skip
        self.process = self.running.process
        self.pid = self.process.pid
        self.url, self.port = self.running.url, self.running.port
        self.summary = self.running.summary
        self._set_pools(self.running.pools)

    def _request(self, method, path, body, headers):
        return http(self.url + path, method, body, headers)

    def test_env(self):
        """``PYCOGNITO_WEB_TEST_EMULATOR``: where it listens and its ids, as JSON: what
        the tests in Pyodide and MicroPython read (``support.remote.EmulatorInfo``)."""
        return {EMULATOR_VAR: json.dumps(self.fields())}

    def info(self):
        """The handle the tests that run in every runtime use (real HTTP)."""
        return EmulatorInfo(self.fields())

    def kill(self):
        """SIGKILL, as ``kill -9`` does, and reap it."""
        if self.process is not None:
            self.running.stop(kill=True)

    def stop(self, kill=False):
        """Stop the process: SIGKILL when kill, else SIGTERM (SIGKILL after 20 s)."""
        if self.process is not None:
            self.running.stop(kill=kill)

    def restart(self, kill=True):
        """Stop (kill -9 by default) and start again on the same data file and port."""
        self.stop(kill=kill)
        self.start()


class InProcessEmulator(EmulatorApi):
    """The emulator built in this process, reached without a socket.

    Args:
        config: the config dict.
        folder: where its data file goes (None: a temporary folder of its own).

    Attributes (besides the handle's): ``built`` (``server.build``'s answer: ``.app``,
    ``.store``), ``transport`` (an ``AsgiTransport`` for clients), ``url`` (a name only:
    nothing listens there).
    """

    def __init__(self, config=EMULATOR_CONFIG, folder=None):
        from pycognito_emulator.testing import AsgiTransport

        self.config = config
        self._own = None
        if folder is None:
            self._own = tempfile.TemporaryDirectory(prefix="pycognito-inprocess-")
            folder = self._own.name
        self.data = os.path.join(str(folder), "emulator.sqlite3")
        self.url = IN_PROCESS_URL
        self.transport = AsgiTransport(None)
        self.built = None
        # The handle's own sync calls run on a loop of their own: a test may call them
        # from inside its event loop.
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self.start()

    def start(self):
        from pycognito_emulator.server import build

        self.built = build(base_url=self.url, data=self.data, config=self.config, test_clock=True)
        self.transport.app = self.built.app
        self._set_pools(self.built.pools)

    async def fetch(self, method, url, body=None, headers=None):
        """``support.remote.fetch`` served by the app: (status, text)."""
        from pycognito_emulator.testing import asgi_request

        headers = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            headers.setdefault("Content-Type", "application/json")
        status, _, raw = await asgi_request(self.built.app, method, url, headers, body or b"")
        return status, raw.decode("utf-8")

    def _request(self, method, path, body, headers):
        from pycognito_emulator.testing import asgi_request

        future = asyncio.run_coroutine_threadsafe(
            asgi_request(self.built.app, method, self.url + path, headers, body or b""),
            self._loop,
        )
        return future.result(timeout=60)

    def info(self):
        """The handle the tests that run in every runtime use, served in-process."""
        return EmulatorInfo(self.fields(), transport=self.transport, fetch=self.fetch)

    def test_env(self):
        raise AssertionError(
            "an in-process emulator cannot serve Node or a browser: use EmulatorProcess"
        )

    def stop(self, kill=False):
        """Close the app and its store (``kill`` is accepted for the handle's sake)."""
        if self.built is not None:
            self.built.close()
            self.built = None

    def restart(self, kill=True):
        """Close and build again on the same data file: what survives is what was stored."""
        self.stop(kill=kill)
        self.start()

    def close(self):
        """Stop, and end the helper loop and the temporary folder."""
        self.stop()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()
        if self._own is not None:
            self._own.cleanup()
