"""The emulator in-process for tests: a client transport that calls the ASGI app directly.

As httpx's ASGI transport serves an app without a socket, ``AsgiTransport`` hands each
request of a ``pycognito_web`` client to an emulator's ASGI app in the same process and
event loop: no server process, no port, no HTTP parsing::

    from pycognito_emulator.server import build
    from pycognito_emulator.testing import AsgiTransport
    from pycognito_web import UserPool

    emulator = build(config={"pools": [...]}, data=":memory:", test_clock=True)
    pool = UserPool(pool_id, client_id, endpoint="http://127.0.0.1:9/",
                    transport=AsgiTransport(emulator.app))

The endpoint's host and port only name the emulator (its tokens' ``iss``, the ``Host``
header); nothing connects to them. ``asgi_request`` is the same call for a test's own
requests (the outbox, the clock).

The emulator imports the client here (its ``Transport`` seam); the client never imports
the emulator.
"""

from urllib.parse import urlsplit

from pycognito_web._transport import Response, Transport
from pycognito_web.errors import NetworkError


async def asgi_request(app, method, url, headers=None, body=b""):
    """Run one HTTP request through an ASGI app, in the running event loop.

    Args:
        app: an ASGI 3 application (``build(...).app``).
        method: ``"GET"``, ``"POST"``...
        url: the full URL; its path and query go to the app, its host to ``Host``.
        headers: a dict of request headers.
        body: the request body (bytes or str).

    Returns:
        (status, headers as a dict with lower-case names, body bytes).

    Raises:
        NetworkError: the app ended without answering.
    """
    parts = urlsplit(url)
    if isinstance(body, str):
        body = body.encode("utf-8")
    body = body or b""
    names = {name.lower(): value for name, value in (headers or {}).items()}
    names.setdefault("host", parts.netloc)
    names["content-length"] = str(len(body))
    path = parts.path or "/"
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method.upper(),
        "scheme": parts.scheme or "http",
        "path": path,
        "raw_path": path.encode("latin-1"),
        "query_string": parts.query.encode("latin-1"),
        "root_path": "",
        "headers": [(k.encode("latin-1"), str(v).encode("latin-1")) for k, v in names.items()],
        "client": ("127.0.0.1", 50000),
        "server": (parts.hostname or "127.0.0.1", parts.port or 80),
    }
    pending = [{"type": "http.request", "body": body, "more_body": False}]
    started, chunks = {}, []

    async def receive():
        if pending:
            return pending.pop(0)
        return {"type": "http.disconnect"}

    async def send(message):
        if message["type"] == "http.response.start":
            started["status"] = message["status"]
            started["headers"] = message.get("headers", [])
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    if "status" not in started:
        raise NetworkError("Network error: the emulator app sent no answer")
    answer_headers = {}
    for name, value in started["headers"]:
        answer_headers[name.decode("latin-1").lower()] = value.decode("latin-1")
    return started["status"], answer_headers, b"".join(chunks)


class AsgiTransport(Transport):
    """A ``pycognito_web`` transport that serves every request with an ASGI app.

    Args:
        app: the emulator's ASGI app (``pycognito_emulator.server.build(...).app``).
    """

    def __init__(self, app) -> None:
        self.app = app
        self.requests = 0  # how many went through: a test can tell this path was taken

    async def handle_async_request(self, request):
        """Answer one client request through the app (see ``asgi_request``)."""
        self.requests += 1
        status, headers, body = await asgi_request(
            self.app, request.method, request.url, request.headers, request.body
        )
        return Response(status, headers, body)
