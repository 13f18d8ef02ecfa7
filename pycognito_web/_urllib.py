"""The CPython transport: HTTP through ``urllib``.

Its own module so that a browser page never compiles it: ``_platform.default_transport``
imports it only where there is no ``fetch``.
"""

from ._transport import Response, Transport
from .errors import NetworkError


class UrllibTransport(Transport):
    """HTTP through ``urllib`` on CPython, run in a worker thread.

    Args:
        timeout: seconds before a request counts as a network failure.
    """

    def __init__(self, timeout: "float" = 30.0) -> None:
        self.timeout = timeout

    def _send(self, request):
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

    async def handle_async_request(self, request):
        import asyncio

        return await asyncio.get_running_loop().run_in_executor(None, self._send, request)
