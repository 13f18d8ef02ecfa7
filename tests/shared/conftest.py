"""Fixtures for tests that run both on CPython and inside Pyodide (tests/pyodide/runner.mjs).

Inside Pyodide nothing can listen on a socket, so anything a test needs from the host
(the emulator's URL and ids, an HTTP echo server) arrives through environment variables
that the CPython side passes with the runner's ``--env KEY=VALUE``. On CPython the same
fixtures read the same variables, or start what they need themselves.

Only this folder is copied into Pyodide: tests/conftest.py is not, so inside Pyodide
nothing here may depend on its fixtures.

Fixtures:
  emulator_info  an ``EmulatorInfo`` (shared_support.py): from $PYCOGNITO_WEB_TEST_EMULATOR
                 (JSON) when set, else, on CPython, from tests/conftest.py's ``emulator``
  echo_url       an HTTP server that echoes a POST as JSON
"""

import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from shared_support import EMULATOR_VAR, EmulatorInfo

IN_PYODIDE = sys.platform == "emscripten"
ECHO_URL_VAR = "PYCOGNITO_WEB_TEST_ECHO_URL"


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


@pytest.fixture(scope="session")
def emulator_info(request):
    """The running emulator, as the shared tests see it (see shared_support.EmulatorInfo)."""
    text = os.environ.get(EMULATOR_VAR)
    if text:
        return EmulatorInfo.from_json(text)
    if IN_PYODIDE:
        pytest.fail(
            f"{EMULATOR_VAR} is not set: tests/pyodide passes the emulator's details "
            "with --env (see tests/pyodide/conftest.py, pyodide_test_env)"
        )
    return EmulatorInfo.from_emulator(request.getfixturevalue("emulator"))
