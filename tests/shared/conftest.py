"""Fixtures for tests that run both on CPython and inside Pyodide (tests/pyodide/runner.mjs).

Inside Pyodide nothing can listen on a socket, so anything a test needs from the host
(the emulator's URL and ids, an HTTP echo server) arrives through environment variables
that the CPython side passes with the runner's ``--env KEY=VALUE``. The helpers are the
support package's (tests/support/, copied into Pyodide beside this folder).

Only this folder and tests/support are copied into Pyodide: tests/conftest.py is not, so
inside Pyodide nothing here may depend on its fixtures.

Fixtures:
  emulator_info       a ``support.remote.EmulatorInfo``: from $PYCOGNITO_WEB_TEST_EMULATOR
                      (JSON) when set (Pyodide: over fetch); else, on CPython, the
                      in-process emulator (tests/conftest.py's ``emulator_inprocess``:
                      clients get ``.transport``, nothing listens), or the ``emulator``
                      process when $PYCOGNITO_WEB_TEST_HTTP is set
  emulator_http_info  the same over real HTTP, always (the ``emulator`` process)
  echo_url            an HTTP server that echoes a POST as JSON
"""

import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from support.remote import EMULATOR_VAR, EmulatorInfo

IN_PYODIDE = sys.platform == "emscripten"
ECHO_URL_VAR = "PYCOGNITO_WEB_TEST_ECHO_URL"
HTTP_VAR = "PYCOGNITO_WEB_TEST_HTTP"


class _EchoHandler(BaseHTTPRequestHandler):
    """Answers a POST with a JSON description of the request it got."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.startswith("/slow"):  # for timeout tests: answer too late
            import time

            time.sleep(3)
        answer = json.dumps(
            {
                "path": self.path,
                "target": self.headers.get("X-Amz-Target"),
                "content_type": self.headers.get("Content-Type"),
                "body": body.decode("utf-8"),
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


def start_echo_server():
    """Start the echo server on a free loopback port; returns (url, stop)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EchoHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop():
        server.shutdown()
        server.server_close()

    return f"http://127.0.0.1:{server.server_address[1]}/", stop


@pytest.fixture(scope="session")
def echo_url():
    """URL of an HTTP server that echoes a POST back as JSON."""
    url = os.environ.get(ECHO_URL_VAR)
    if url:
        yield url
        return
    if IN_PYODIDE:
        pytest.fail(
            f"{ECHO_URL_VAR} is not set: the CPython side must start the echo server and "
            f"pass --env {ECHO_URL_VAR}=<url> to tests/pyodide/runner.mjs"
        )
    url, stop = start_echo_server()
    yield url
    stop()


def _from_host():
    text = os.environ.get(EMULATOR_VAR)
    if text:
        return EmulatorInfo.from_json(text)
    if IN_PYODIDE:
        pytest.fail(
            f"{EMULATOR_VAR} is not set: tests/pyodide passes the emulator's details "
            "with --env (see tests/pyodide/conftest.py, pyodide_test_env)"
        )
    return None


@pytest.fixture(scope="session")
def emulator_info(request):
    """The emulator as the shared tests see it (see support.remote.EmulatorInfo)."""
    info = _from_host()
    if info is not None:
        return info
    if os.environ.get(HTTP_VAR):
        return request.getfixturevalue("emulator").info()
    return request.getfixturevalue("emulator_inprocess").info()


@pytest.fixture(scope="session")
def emulator_http_info(request):
    """The emulator over real HTTP, on CPython too (the ``emulator`` process)."""
    info = _from_host()
    if info is not None:
        return info
    return request.getfixturevalue("emulator").info()
