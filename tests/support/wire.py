"""HTTP to the emulator from CPython, as the tests and the benchmarks speak it.

* ``http(url, method, body, headers)``: one request with urllib, (status, headers, body).
* ``call(url, action, body)``: one Cognito action as the JavaScript SDK posts it; the
  answer dict, or ``ApiError``.
* ``Connection``: one keep-alive connection that checks every answer's shape and sorts
  failures into ``TransportError`` (no answer), ``ApiError`` (Cognito's error) and
  ``CorruptAnswer`` (anything else): what the load, kill -9 and fuzz runs need.
"""

import base64
import http.client as httpclient
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

TARGET_PREFIX = "AWSCognitoIdentityProviderService."
JSON11 = "application/x-amz-json-1.1"


class ApiError(Exception):
    """An error answer from the emulator's Cognito API.

    Attributes:
        status, headers (lower-case names), body (bytes), type (``__type``), message.
    """

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body
        try:
            data = json.loads(body)
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        self.type = data.get("__type")
        self.message = data.get("message")
        Exception.__init__(self, "%s %s: %s" % (status, self.type, self.message))


class TransportError(Exception):
    """No answer: ``kind`` is refused, reset, closed, broken-pipe, truncated or timeout."""

    def __init__(self, kind, detail=""):
        Exception.__init__(self, "%s %s" % (kind, detail))
        self.kind = kind


class CorruptAnswer(Exception):
    """An answer that is neither a valid result nor a Cognito error: never acceptable."""


def _headers(message):
    return {name.lower(): value for name, value in message.items()}


def http(url, method="GET", body=None, headers=None, timeout=30):
    """One HTTP request with urllib.

    Returns:
        (status, headers as a dict with lower-case names, body bytes).
    """
    if isinstance(body, str):
        body = body.encode("utf-8")
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, _headers(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, _headers(error.headers), error.read()


def action_request(action, body, service=TARGET_PREFIX):
    """(body bytes, headers) of one Cognito JSON action."""
    return json.dumps(body).encode(), {"Content-Type": JSON11, "X-Amz-Target": service + action}


def call(url, action, body, service=TARGET_PREFIX):
    """POST a Cognito action as the JavaScript SDK does.

    Returns:
        The answer's JSON.

    Raises:
        ApiError: for any non-200 answer.
    """
    data, headers = action_request(action, body, service)
    status, answer_headers, raw = http(url.rstrip("/") + "/", "POST", data, headers)
    if status != 200:
        raise ApiError(status, answer_headers, raw)
    return json.loads(raw)


def claims(jwt):
    """A JWT's payload (no verification: the server's own tokens)."""
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


class Connection:
    """One keep-alive HTTP/1.1 connection to the emulator that checks every answer.

    A broken connection is dropped and the next call opens a new one.
    """

    def __init__(self, url, timeout=30):
        parsed = urllib.parse.urlsplit(url)
        self.host, self.port = parsed.hostname, parsed.port
        self.timeout = timeout
        self.conn = None
        self.latencies = []  # seconds per answered request

    def _exchange(self, method, path, body, headers):
        if self.conn is None:
            self.conn = httpclient.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            self.conn.request(method, path, body=body, headers=headers)
            answer = self.conn.getresponse()
            raw = answer.read()
        except BaseException as error:
            self.close()
            raise _transport_error(error) from None
        if answer.will_close:
            self.close()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, raw

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def call(self, action, body):
        """POST one action; returns the answer dict.

        Raises:
            TransportError, ApiError, CorruptAnswer.
        """
        started = time.monotonic()
        data, headers = action_request(action, body)
        status, answer_headers, raw = self._exchange("POST", "/", data, headers)
        self.latencies.append(time.monotonic() - started)
        check_answer(status, answer_headers, raw)
        if status != 200:
            raise ApiError(status, answer_headers, raw)
        return json.loads(raw)

    def get_json(self, path):
        """GET an emulator route (outbox, JWKS); returns the JSON."""
        status, _, raw = self._exchange("GET", path, None, {})
        try:
            data = json.loads(raw)
        except ValueError:
            raise CorruptAnswer("GET %s: not JSON: %r" % (path, raw[:200])) from None
        if status != 200:
            raise CorruptAnswer("GET %s: %s %r" % (path, status, raw[:200]))
        return data


def _transport_error(error):
    # Order matters: RemoteDisconnected is a ConnectionResetError.
    if isinstance(error, httpclient.RemoteDisconnected):
        return TransportError("closed", str(error))
    if isinstance(error, ConnectionRefusedError):
        return TransportError("refused")
    if isinstance(error, BrokenPipeError):
        return TransportError("broken-pipe")
    if isinstance(error, (ConnectionResetError, ConnectionAbortedError)):
        return TransportError("reset")
    if isinstance(error, httpclient.IncompleteRead):
        # The body was cut short of its Content-Length: the client can tell.
        return TransportError("truncated", "%d bytes" % len(error.partial))
    if isinstance(error, (TimeoutError, socket.timeout)):
        return TransportError("timeout")
    if isinstance(error, (httpclient.BadStatusLine, httpclient.LineTooLong)):
        return CorruptAnswer("bad status line: %r" % error)
    if isinstance(error, OSError):
        return TransportError("oserror", repr(error))
    return CorruptAnswer("unexpected client failure: %r" % error)


def check_answer(status, headers, raw):
    """The answer's JSON if it is a valid Cognito answer, else CorruptAnswer.

    A 200 is a JSON object; an error (400, 403 or 500) is ``{"__type", "message"}``
    with a matching ``x-amzn-ErrorType`` header. Nothing else is acceptable.
    """
    if headers.get("content-type") != JSON11:
        raise CorruptAnswer("%s with content-type %r: %r" % (
            status, headers.get("content-type"), raw[:200]))  # fmt: skip
    if headers.get("content-length") != str(len(raw)):
        raise CorruptAnswer("content-length %r for %d bytes" % (
            headers.get("content-length"), len(raw)))  # fmt: skip
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError:
        raise CorruptAnswer("%s, not JSON: %r" % (status, raw[:200])) from None
    if not isinstance(data, dict):
        raise CorruptAnswer("%s, not an object: %r" % (status, raw[:200]))
    if status == 200:
        return data
    if (
        status not in (400, 403, 500)
        or list(data) != ["__type", "message"]
        or not isinstance(data["__type"], str)
        or not isinstance(data["message"], str)
        or headers.get("x-amzn-errortype") != data["__type"] + ":"
    ):
        raise CorruptAnswer("not a Cognito error: %s %r" % (status, raw[:200]))
    return data
