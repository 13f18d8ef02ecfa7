"""The CPython transport: HTTP through ``urllib``.

Beside ``_fetch`` (the browser's), each in a module of its own so that a runtime
compiles only the one it runs: ``_pool.default_transport`` imports this one only where
there is no ``js``.
"""

from ._transport import Response, Transport
from .errors import NetworkError

TYPE_CHECKING = False  # typing is absent on MicroPython; checkers still read this
if TYPE_CHECKING:
    from ._transport import Request


class UrllibTransport(Transport):
    """HTTP through ``urllib`` on CPython, run in a worker thread.

    Args:
        timeout: seconds before a request counts as a network failure.
    """

    def __init__(self, timeout: "float" = 30.0) -> None:
        self.timeout = timeout

    def _send(self, request: "Request") -> "Response":
        import urllib.error
        import urllib.request

        http_request = urllib.request.Request(
            request.url,
            data=request.body if request.method != "GET" else None,
            headers=request.headers,
            method=request.method,
        )
        try:
            with urllib.request.urlopen(http_request, timeout=self.timeout) as answer:
                return Response(answer.status, dict(answer.headers), answer.read())
        except urllib.error.HTTPError as answer:
            with answer:
                return Response(answer.code, dict(answer.headers), answer.read())
        except (OSError, ValueError) as error:
            raise NetworkError(
                "Network error: %s" % (getattr(error, "reason", None) or error)
            ) from None

    async def handle_async_request(self, request: "Request") -> "Response":
        """Send one request from a worker thread.

        Raises:
            NetworkError: if no answer arrived (refused, unreachable, timed out).
        """
        import asyncio

        return await asyncio.get_running_loop().run_in_executor(None, self._send, request)
