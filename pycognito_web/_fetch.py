"""The browser's transport: HTTP through ``fetch``, as the original SDK sends it.

Beside ``_urllib`` (CPython's), each in a module of its own so that a runtime compiles
only the one it runs; ``_pool`` picks between them when a pool first sends a request.
``js`` comes from ``_platform``, the only module that imports it.
"""

import json

from . import _platform
from ._transport import Response, Transport
from .errors import NetworkError

TYPE_CHECKING = False  # typing is absent on MicroPython; checkers still read this
if TYPE_CHECKING:
    from typing import Any, Optional

    from ._transport import Request


def _js_object(value: "dict") -> "Any":
    # A JS object for fetch's options. MicroPython hands a dict over as a proxy that
    # fetch reads as an iterable of keys, so there the object is built by JSON.parse.
    js = _platform.js
    if _platform.to_js is not None:
        return _platform.to_js(value, dict_converter=js.Object.fromEntries)
    plain = {}
    for name, item in value.items():
        if isinstance(item, (str, int, float, bool, dict, list)):
            plain[name] = item
    init = js.JSON.parse(json.dumps(plain))
    for name, item in value.items():
        if name not in plain:  # a JS object (an AbortSignal) goes on as it is
            setattr(init, name, item)
    return init


def _js_message(error: "Any") -> "str":
    message = getattr(error, "message", None)
    return str(message if message is not None else error)


class FetchTransport(Transport):
    """HTTP through the browser's ``fetch``, as the original SDK does it.

    Args:
        fetch_options: the original's ``fetchOptions`` (only ``credentials`` is used).
        timeout: seconds before a request is aborted and counts as a network failure
            (the original waits for ever).
    """

    def __init__(self, fetch_options: "Optional[dict]" = None, timeout: "float" = 30.0) -> None:
        # The original passes on only ``credentials`` (for cookies on custom endpoints).
        self.fetch_options = {}
        if fetch_options and fetch_options.get("credentials"):
            self.fetch_options["credentials"] = fetch_options["credentials"]
        self.timeout = timeout

    def _signal(self) -> "Any":
        # AbortSignal.timeout is in every current browser and Node 18+; without it the
        # request simply has no deadline.
        abort = getattr(_platform.js, "AbortSignal", None)
        if abort is None or not hasattr(abort, "timeout") or not self.timeout:
            return None
        return abort.timeout(int(self.timeout * 1000))

    def _init(self, options: "dict") -> "Any":
        """The fetch options as a JS object, with the timeout's AbortSignal on it."""
        signal = self._signal()
        if signal is not None:
            options["signal"] = signal  # a JS object: _js_object passes it through
        return _js_object(options)

    async def handle_async_request(self, request: "Request") -> "Response":
        """Send one request with ``fetch``.

        Raises:
            NetworkError: if fetch rejected (DNS, CORS, offline, the timeout).
        """
        options = dict(self.fetch_options)
        options.update({"method": request.method, "mode": "cors", "headers": request.headers})
        if request.method != "GET":  # fetch refuses a body on GET
            options["body"] = request.body.decode("utf-8")
        try:
            response = await _platform.js.fetch(request.url, self._init(options))
            body = await response.text()
        except Exception as error:  # a rejected fetch: DNS, CORS, offline
            raise NetworkError("Network error: %s" % _js_message(error)) from None
        headers = {}
        for name in ("x-amzn-errortype", "x-amzn-errormessage", "x-amzn-requestid"):
            value = response.headers.get(name)
            if value is not None:
                headers[name] = str(value)
        return Response(int(response.status), headers, str(body).encode("utf-8"))
