"""What a handler gets besides its request body: the store, the clock, the outbox.

``Settings`` holds the running server's configuration; ``Context`` is made per
request. Handlers read time only through ``ctx.now()`` so that a test build can
move the clock (``--test-clock``, ``POST /_emulator/clock``).
"""

import sys
import time


class Settings:
    """The emulator's run-time configuration.

    Args:
        base_url: the URL clients reach it at; ``iss`` is ``<base_url>/<poolId>``.
        region: region used in new pool ids.
        credentials: {access key id: secret key} accepted for SigV4 admin calls.
        max_body: the largest request body accepted, in bytes.
        test_clock: whether ``POST /_emulator/clock`` may move the clock.
        console: where outbox lines are printed (a callable taking one str).
    """

    def __init__(
        self,
        base_url="http://127.0.0.1:9229",
        region="us-east-1",
        credentials=None,
        max_body=1024 * 1024,
        test_clock=False,
        console=None,
    ):
        self.base_url = base_url.rstrip("/")
        self.region = region
        self.credentials = credentials if credentials is not None else {"test": "test"}
        self.max_body = max_body
        self.test_clock = test_clock
        self.clock_offset = 0.0
        self.console = console or _print

    def now(self):
        """Epoch seconds, shifted by the test clock offset."""
        return time.time() + self.clock_offset


def _print(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class Context:
    """One request's view of the emulator, passed to every handler.

    Attributes:
        store: the Store (already inside this request's transaction).
        settings: the Settings.
        request: the HTTP request (``_app.Request``), for headers and source address.
        request_id: the ``x-amzn-RequestId`` of the answer.
    """

    def __init__(self, store, settings, request=None, request_id=""):
        self.store = store
        self.settings = settings
        self.request = request
        self.request_id = request_id

    def now(self):
        """The current time, epoch seconds (float)."""
        return self.settings.now()

    def issuer(self, pool_id):
        """The ``iss`` of the pool's tokens."""
        return "%s/%s" % (self.settings.base_url, pool_id)

    def print(self, line):
        """Write one line on the emulator's console (never a secret or token).

        A console that went away (closed pipe) must not fail the request.
        """
        try:
            self.settings.console(line)
        except (OSError, ValueError):
            pass
