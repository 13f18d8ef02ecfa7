"""Cognito's JSON protocol: requests built and answers read, plus the async caller.

Theory of operation
-------------------
Every user-pool action is ``POST /`` to the pool's regional endpoint with
``X-Amz-Target: AWSCognitoIdentityProviderService.<Action>`` and a JSON body
(``application/x-amz-json-1.1``); user-facing actions are unsigned. The headers are the
original SDK's four. Fields whose value is None are left out of the body, which Cognito
reads as absent. Errors come back as a non-2xx status with ``{"__type", "message"}``
and an ``x-amzn-ErrorType`` header; ``read_response`` turns them into the typed
exceptions of ``errors``. ``build_request`` and ``read_response`` are pure;
``ServiceClient.call`` adds the one await on the transport.
"""

import json

from ._transport import Request
from ._version import __version__
from .errors import InvalidResponseError, NetworkError, ServiceError, service_error

TYPE_CHECKING = False  # typing is absent on MicroPython; checkers still read this
if TYPE_CHECKING:
    from typing import Any, Awaitable, Callable, Optional

    from ._retry import RetryPolicy
    from ._transport import Response, Transport

TARGET_PREFIX = "AWSCognitoIdentityProviderService."
CONTENT_TYPE = "application/x-amz-json-1.1"
USER_AGENT = "pycognito-web/" + __version__


def drop_none(value: "Any") -> "Any":
    """A copy of nested dicts/lists without the None values of dicts."""
    if isinstance(value, dict):
        return {k: drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [drop_none(v) for v in value]
    return value


def dumps(value: "Any") -> "str":
    """JSON as ``JSON.stringify`` writes it: compact, non-ASCII kept."""
    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    except TypeError:  # MicroPython's json has no ensure_ascii (and keeps non-ASCII as is)
        return json.dumps(value, separators=(",", ":"))


def build_request(
    endpoint: "str",
    action: "str",
    params: "dict",
    user_agent: "Optional[str]" = None,
    target_prefix: "str" = TARGET_PREFIX,
) -> "Request":
    """The HTTP request for one action.

    Args:
        endpoint: the service URL.
        action: the action name, e.g. ``"InitiateAuth"``.
        params: the request body; None values are dropped.
        target_prefix: the service's X-Amz-Target prefix (Cognito Identity has another).

    Returns:
        A ``Request``.
    """
    headers = {
        "Content-Type": CONTENT_TYPE,
        "X-Amz-Target": target_prefix + action,
        # Read at call time: appendToCognitoUserAgent changes it for every client.
        "X-Amz-User-Agent": user_agent or USER_AGENT,
        "Cache-Control": "no-store",
    }
    return Request("POST", endpoint, headers, dumps(drop_none(params)).encode("utf-8"))


def read_response(response: "Response") -> "dict":
    """The answer's JSON object, or the typed error it carries.

    Raises:
        ServiceError: (a subclass named after ``__type``) for a Cognito error.
        InvalidResponseError: when the answer is not Cognito's JSON.
    """
    status = response.status_code
    data = None
    if response.body:
        try:
            data = json.loads(response.body.decode("utf-8"))
        except (ValueError, UnicodeError):
            data = None
    ok = 200 <= status < 300
    if ok:
        if isinstance(data, dict):
            return data
        raise InvalidResponseError(
            "the service answered HTTP %d with a body that is not a JSON object" % status,
            status_code=status,
        )
    if isinstance(data, dict):
        kind = data.get("__type") or data.get("code")
        if isinstance(kind, str) and kind:
            message = data.get("message") or data.get("Message") or ""
            return _raise(service_error(kind, str(message), status))
    header = response.headers.get("x-amzn-errortype")
    if header:
        message = response.headers.get("x-amzn-errormessage") or str(status)
        return _raise(service_error(header, message, status))
    raise InvalidResponseError(
        "the service answered HTTP %d without a Cognito error in its body" % status,
        status_code=status,
    )


def _raise(error: "Exception") -> "dict":
    raise error


class ServiceClient:
    """Calls actions on one endpoint through a transport.

    Args:
        endpoint: the service URL.
        transport: a ``Transport``.
        user_agent: the ``X-Amz-User-Agent`` value.
        target_prefix: the service's X-Amz-Target prefix.
        retry: a ``RetryPolicy`` (see ``_retry`` for what is retried, and why).
        random_bytes: the random source for backoff jitter.
        sleep: ``async sleep(seconds)``; ``asyncio.sleep`` by default.
    """

    def __init__(
        self,
        endpoint: "str",
        transport: "Transport",
        user_agent: "Optional[str]" = None,
        target_prefix: "str" = TARGET_PREFIX,
        retry: "Optional[RetryPolicy]" = None,
        random_bytes: "Optional[Callable[[int], bytes]]" = None,
        sleep: "Optional[Callable[[float], Awaitable[Any]]]" = None,
    ) -> None:
        from ._retry import RetryPolicy

        self.endpoint = endpoint
        self.transport = transport
        self.user_agent = user_agent
        self.target_prefix = target_prefix
        self.retry = retry if retry is not None else RetryPolicy()
        self._random_bytes = random_bytes
        self._sleep = sleep

    async def call(self, action: "str", params: "dict") -> "dict":
        """Send one action and return its answer, retrying where that is safe.

        Raises:
            ServiceError, InvalidResponseError, NetworkError: from the last try.
        """
        request = build_request(self.endpoint, action, params, self.user_agent, self.target_prefix)
        attempt = 0
        while True:
            attempt += 1
            try:
                return read_response(await self._send(request))
            except (ServiceError, InvalidResponseError, NetworkError) as error:
                # Random bytes are drawn only for a retry, so a final error costs none.
                if attempt >= self.retry.attempts or not self.retry.retryable(action, error):
                    raise
                wait = self.retry.delay(action, error, attempt, self._fraction())
                if wait is None:  # the policy gives up after all
                    raise
            await self._pause(wait)

    def _fraction(self) -> "float":
        if self._random_bytes is None:
            from . import _platform

            self._random_bytes = _platform.random_bytes
        return int.from_bytes(self._random_bytes(2), "big") / 65536.0

    async def _pause(self, seconds: "float") -> None:
        if self._sleep is not None:
            await self._sleep(seconds)
            return
        import asyncio

        await asyncio.sleep(seconds)

    async def _send(self, request: "Request") -> "Response":
        # A transport raises NetworkError and returns a Response; a custom one that lets
        # an OSError through, or returns something else, is held to that here.
        try:
            response = await self.transport.handle_async_request(request)
        except OSError as error:
            raise NetworkError("Network error: %s" % (error,)) from error
        if not isinstance(getattr(response, "status_code", None), int) or not isinstance(
            getattr(response, "body", None), bytes
        ):
            raise InvalidResponseError(
                "the transport returned %s, not a Response" % type(response).__name__
            )
        return response

    async def get_json(self, url: "str") -> "dict":
        """GET a JSON document (the pool's JWKS) through the same transport."""
        response = await self._send(Request("GET", url, {}, b""))
        if not 200 <= response.status_code < 300:
            raise InvalidResponseError(
                "GET %s answered HTTP %d" % (url, response.status_code),
                status_code=response.status_code,
            )
        try:
            data = json.loads(response.body.decode("utf-8"))
        except (ValueError, UnicodeError):
            data = None
        if not isinstance(data, dict):
            raise InvalidResponseError("GET %s did not answer a JSON object" % url)
        return data
