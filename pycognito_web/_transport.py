"""The one seam through which requests leave the client.

A transport takes a ``Request`` and returns a ``Response``; it is the only place where
I/O happens. ``_fetch`` and ``_urllib`` hold the real ones (the browser's ``fetch``,
the standard library on CPython), and ``_pool`` picks one; ``MockTransport`` answers
from a function, for tests and for callers who want to record or rewrite traffic. A transport raises
``NetworkError`` when no answer arrived at all; any HTTP answer, error or not, is a
Response.
"""

TYPE_CHECKING = False  # typing is absent on MicroPython; checkers still read this
if TYPE_CHECKING:
    from typing import Any, Callable, Optional


class Request:
    """An HTTP request: method, URL, headers (a dict) and body (bytes)."""

    def __init__(self, method: "str", url: "str", headers: "dict", body: "bytes") -> None:
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body

    def __repr__(self) -> "str":
        # Bodies carry passwords and tokens: never shown.
        return "<Request %s %s %s>" % (
            self.method,
            self.url,
            self.headers.get("X-Amz-Target", ""),
        )


class Response:
    """An HTTP response: status, headers (lower-cased names) and body (bytes)."""

    def __init__(
        self, status_code: "int", headers: "Optional[dict]" = None, body: "Any" = b""
    ) -> None:
        self.status_code = status_code
        self.headers = {}  # type: dict
        for name, value in (headers or {}).items():
            self.headers[name.lower()] = value
        self.body = body if isinstance(body, bytes) else str(body).encode("utf-8")

    def __repr__(self) -> "str":
        return "<Response %d, %d bytes>" % (self.status_code, len(self.body))


class Transport:
    """Base class: subclasses implement ``handle_async_request``."""

    async def handle_async_request(self, request: "Request") -> "Response":
        """Send one request and return its response.

        Raises:
            NetworkError: if no response arrived.
        """
        raise NotImplementedError

    async def aclose(self) -> None:
        """Release what the transport holds (nothing, by default)."""


class MockTransport(Transport):
    """A transport that answers with ``handler(request)``.

    The handler may be a plain function or a coroutine function; it may return a
    ``Response`` or raise (``NetworkError`` to simulate a failed fetch).
    """

    def __init__(self, handler: "Callable[[Request], Any]") -> None:
        self.handler = handler

    async def handle_async_request(self, request: "Request") -> "Response":
        result = self.handler(request)
        if hasattr(result, "__await__") or hasattr(result, "send"):
            result = await result
        return result
