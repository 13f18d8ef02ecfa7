"""The emulator's ASGI application: routing, CORS, the wire format, and the admin hook.

Routes:

* ``POST /``: the Cognito JSON API (``X-Amz-Target`` picks the action from
  ``_registry.ACTIONS``).
* ``OPTIONS <any>``: CORS preflight.
* ``GET /_emulator/health``: ``{"status": "ok", "version", "pools"}``.
* ``GET /_emulator/messages[?username=NAME][&pool_id=ID]``: the outbox.
* ``POST /_emulator/clock`` ``{"advance": s}`` or ``{"offset": s}``: moves the clock;
  only with ``--test-clock``.
* ``GET /<poolId>/.well-known/jwks.json`` and ``.../openid-configuration``.
* ``/<domain or poolId>/oauth2/...``, ``/login``, ``/logout``: managed login (``_oauth``).

CORS: the public API and the well-known documents (public keys) answer any origin
(``*``). Admin answers carry no CORS headers, and a request with an ``Origin`` is
refused before its signature is checked; a preflight cannot name the action, so it is
answered the same for every target. The ``/_emulator/`` routes (the outbox lists
live codes, the clock moves expiry) are for this machine only: a request whose
``Origin`` is not a loopback one (``http(s)://localhost``, ``127.x.x.x`` or ``[::1]``,
any port) gets 403, and loopback origins are echoed back, never ``*``. They also answer
only a request whose ``Host`` is a loopback name or address (``localhost``,
``127.x.x.x``, ``[::1]``, with or without a port): a DNS-rebinding page (its own name
pointed at 127.0.0.1) sends a same-origin GET with no ``Origin`` but with its own name
in ``Host``, and gets 403 too. (No ``Host`` at all, as an in-process ASGI caller
sends, is let through: every browser sends one.)

A request whose body does not arrive in full (the client went away, or ``_http``
closed a connection that was too slow) runs nothing.

Handlers are synchronous and run one at a time on a single worker thread, each
inside one store transaction: SQLite then needs no locking of its own, and the
event loop stays free for other connections while a handler does SRP math. An
exception that is not a ``ServiceError`` becomes InternalErrorException (500)
with a generic message; the traceback goes to the console only.
"""

import asyncio
import concurrent.futures
import datetime
import json
import re
import sys
import time
import traceback
import urllib.parse
import uuid

from pycognito_web import __version__

from . import _errors, _oauth, _registry, _tokens
from ._context import Context

JSON_TYPE = b"application/x-amz-json-1.1"
CORS_ALLOW_HEADERS = (
    "content-type, x-amz-target, x-amz-user-agent, cache-control, authorization, "
    "x-amz-date, x-amz-content-sha256, x-amz-security-token, "
    # What the AWS SDK for JavaScript v3 adds in browsers.
    "amz-sdk-invocation-id, amz-sdk-request"
)
CORS_EXPOSE_HEADERS = "x-amzn-requestid, x-amzn-errortype, x-amzn-errormessage, date"
_DRAIN_LIMIT = 16 * 1024 * 1024
_LOOPBACK_ORIGIN = re.compile(
    r"^https?://(localhost|127(\.[0-9]{1,3}){3}|\[::1\])(:[0-9]{1,5})?$", re.IGNORECASE
)
_LOOPBACK_HOST = re.compile(
    r"^(localhost|127(\.[0-9]{1,3}){3}|\[::1\])(:[0-9]{1,5})?$", re.IGNORECASE
)
_WELL_KNOWN = re.compile(r"^/([\w-]+_[0-9a-zA-Z]+)/\.well-known/(jwks\.json|openid-configuration)$")


def load_actions():
    """Import every module that registers actions, flows, challenge answers or sign-in
    steps (they fill ``_registry.ACTIONS`` and the tables of ``_signin``), then check
    that every step of the sign-in pipeline has its handler.

    Raises:
        ValueError: a sign-in step that no module handles.
    """
    # Imported for what they register; one module a line, so that a new action module
    # is a one-line change. A module missing here is an ImportError, never a feature off.
    from . import (
        _admin_auth,  # noqa: F401
        _admin_clients,  # noqa: F401
        _admin_pools,  # noqa: F401
        _admin_users,  # noqa: F401
        _auth,  # noqa: F401
        _branding,  # noqa: F401
        _client_secrets,  # noqa: F401
        _custom_auth,  # noqa: F401
        _devices,  # noqa: F401
        _domains,  # noqa: F401
        _factors,  # noqa: F401
        _federation,  # noqa: F401
        _groups,  # noqa: F401
        _identity,  # noqa: F401
        _identity_providers,  # noqa: F401
        _import_jobs,  # noqa: F401
        _mfa,  # noqa: F401
        _new_password,  # noqa: F401
        _offline_features,  # noqa: F401
        _pool_extras,  # noqa: F401
        _pool_settings,  # noqa: F401
        _resource_servers,  # noqa: F401
        _rotation,  # noqa: F401
        _signin,
        _totp,  # noqa: F401
        _user_auth,  # noqa: F401
        _users,  # noqa: F401
        _webauthn,  # noqa: F401
    )

    _signin.check_steps()


def check_admin_request(request, settings, now):
    """The gate for admin (``public=False``) actions: the request's SigV4 must verify.

    Args:
        request: the ``Request`` (method, raw_path, query_string, headers, body).
        settings: ``Settings``; ``settings.credentials`` maps access key ids to secrets.
        now: epoch seconds, for the signature's date check.

    Returns:
        ``_sigv4.SigV4Result`` (the access key and region that signed).

    Raises:
        ServiceError: the call must not run: AccessDeniedException (403) when a
            browser sent it (an ``Origin`` header), else AWS's type and message from
            ``_sigv4.SigV4Error``.
    """
    from . import _sigv4

    # Browsers put Origin on every cross-origin request; boto3 and the CLI never do.
    # The default credentials are public (test/test), so a page could sign a call
    # itself: refusing anything a browser sent keeps web pages out of admin.
    if request.header("origin") is not None:
        raise _errors.ServiceError(
            "AccessDeniedException", "Admin actions cannot be called from a web page.", 403
        )
    try:
        return _sigv4.verify(
            request.method,
            request.raw_path,
            request.query_string,
            request.headers,
            request.body,
            settings.credentials,
            now,
        )
    except _sigv4.SigV4Error as error:
        raise _errors.ServiceError(error.error_type, error.message, error.status) from None


class Request:
    """An HTTP request as the handlers and the SigV4 check see it.

    Attributes:
        method: ``POST``...; path: the decoded URL path; raw_path: the path as sent
            (still percent-encoded); query_string: raw query bytes.
        headers: list of (lower-case name, value) str pairs, in arrival order.
        body: the raw body bytes; client: (host, port) or None.
        signer: for admin actions, the ``_sigv4.SigV4Result`` that let it in.
    """

    def __init__(self, method, path, query_string, headers, body, client, raw_path=None):
        self.method = method
        self.path = path
        self.raw_path = raw_path if raw_path is not None else path.encode("utf-8")
        self.signer = None
        self.query_string = query_string
        self.headers = headers
        self.body = body
        self.client = client

    def header(self, name):
        """The first value of a header (name in lower case), or None."""
        for key, value in self.headers:
            if key == name:
                return value
        return None


class _Response:
    """An answer; ``cors``: True (``*``), False (no CORS headers) or an origin to echo."""

    def __init__(self, status, body, content_type=JSON_TYPE, headers=None, cors=True):
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = list(headers or [])
        self.cors = cors


def _json(data):
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


_HEADER_HOSTILE = re.compile(r"[\x00-\x20\x7f]+")


def _header_text(text):
    """A message as a header value every HTTP stack accepts (the body keeps it whole).

    Messages may quote what the client sent (a ClientId, a SigV4 scope), so they may
    hold NUL, CR, LF, other control characters, characters beyond latin-1, or end in a
    space (AWS's own SigV4 messages do); h11 refuses such a value and the connection
    would drop with no answer. Runs of control characters and white space become one
    space, the value is trimmed, cut to 1024 characters, and what is not ASCII becomes
    ``?``.
    """
    clean = _HEADER_HOSTILE.sub(" ", text)[:1024].strip()
    return clean.encode("ascii", "replace")


def _error_response(error, cors=True):
    return _Response(
        error.status,
        error.body(),
        headers=[
            (b"x-amzn-errortype", _header_text(error.error_type + ":")),
            (b"x-amzn-errormessage", _header_text(error.message)),
        ],
        cors=cors,
    )


def _reject_constant(name):
    raise ValueError("%s is not JSON" % name)


class EmulatorApp:
    """The ASGI application.

    Args:
        store: an open ``Store``.
        settings: the ``Settings``.
    """

    def __init__(self, store, settings):
        load_actions()
        self.store = store
        self.settings = settings
        # One worker: handlers and SQLite run strictly one at a time.
        self.executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="emulator"
        )

    async def __call__(self, scope, receive, send):
        """ASGI entry point (http; lifespan answered as a no-op)."""
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        request_id = str(uuid.uuid4())
        try:
            response = await self._handle(scope, receive, request_id)
        except Exception:
            traceback.print_exc(file=sys.stderr)
            response = _error_response(_errors.InternalError("An internal error occurred."))
        if response is None:  # the client went away before its request was complete
            return
        await self._send(send, response, request_id)

    async def _send(self, send, response, request_id):
        headers = [
            (b"content-type", response.content_type),
            (b"content-length", str(len(response.body)).encode()),
            (b"x-amzn-requestid", request_id.encode()),
        ]
        headers.extend(response.headers)
        if response.cors:
            origin = b"*" if response.cors is True else response.cors.encode("latin-1")
            headers.append((b"access-control-allow-origin", origin))
            headers.append((b"access-control-expose-headers", CORS_EXPOSE_HEADERS.encode()))
            if response.cors is not True:
                headers.append((b"vary", b"Origin"))
        await send({"type": "http.response.start", "status": response.status, "headers": headers})
        await send({"type": "http.response.body", "body": response.body})

    async def _read_body(self, scope, receive):
        """The whole body; None when it is larger than the limit; ``_GONE`` when the
        client disconnected before sending all of it.

        An oversized body is still read (and dropped) up to ``_DRAIN_LIMIT`` bytes so
        that the client, still sending, gets the 400 instead of a broken pipe.
        """
        limit = self.settings.max_body
        chunks, size = [], 0
        for name, value in scope.get("headers", []):
            if name == b"content-length" and not value.isdigit():
                return None
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return _GONE
            chunk = message.get("body", b"")
            size += len(chunk)
            if size <= limit:
                chunks.append(chunk)
            elif size > _DRAIN_LIMIT:
                break
            if not message.get("more_body"):
                break
        if size > limit:
            return None
        return b"".join(chunks)

    async def _run(self, function, *args):
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, function, *args)

    async def _handle(self, scope, receive, request_id):
        method = scope["method"]
        path = scope["path"]
        origin = _origin(scope)
        local_route = path.startswith("/_emulator/")
        host = _header(scope, b"host")
        if local_route and host is not None and not _LOOPBACK_HOST.match(host):
            body = _json({"message": "The /_emulator/ routes only answer requests to loopback."})
            return _Response(403, body, b"application/json", cors=False)
        if local_route and origin is not None and not _LOOPBACK_ORIGIN.match(origin):
            body = _json({"message": "The /_emulator/ routes only answer pages on loopback."})
            return _Response(403, body, b"application/json", cors=False)
        cors = origin if local_route and origin is not None else True
        if method == "OPTIONS":
            return _Response(
                200,
                b"",
                headers=[
                    (b"access-control-allow-methods", b"GET, POST, OPTIONS"),
                    (b"access-control-allow-headers", CORS_ALLOW_HEADERS.encode()),
                    (b"access-control-max-age", b"86400"),
                ],
                cors=cors,
            )
        body = await self._read_body(scope, receive)
        if body is _GONE:
            return None
        if body is None:
            return _error_response(
                _errors.InvalidParameter(
                    "Request body is larger than %d bytes." % self.settings.max_body
                )
            )
        headers = [
            (name.decode("latin-1").lower(), value.decode("latin-1"))
            for name, value in scope.get("headers", [])
        ]
        request = Request(
            method, path, scope.get("query_string", b""), headers, body, scope.get("client"),
            scope.get("raw_path"),
        )  # fmt: skip
        if path == "/" and method == "POST":
            return await self._api(request, request_id)
        if local_route:
            response = await self._emulator_route(request)
            response.cors = cors
            return response
        if _oauth.ROUTE.match(path):  # managed login (see _oauth for the URLs)
            reply = await self._run(self._call_oauth, request)
            return _Response(reply.status, reply.body, reply.content_type, reply.headers,
                             reply.cors)  # fmt: skip
        match = _WELL_KNOWN.match(path)
        if match and method == "GET":
            return await self._well_known(match.group(1), match.group(2))
        return _Response(404, _json({"message": "Not Found"}), b"application/json")

    async def _api(self, request, request_id):
        target = request.header("x-amz-target") or ""
        action = _registry.ACTIONS.get(target)
        if action is None:
            return _error_response(
                _errors.UnknownOperation("Unknown operation %s." % target[:200]
                                         if target else "Missing X-Amz-Target header.")
            )  # fmt: skip
        cors = action.public
        try:
            if not action.public:
                request.signer = check_admin_request(request, self.settings, time.time())
            body = self._parse(request.body)
            _registry.check_members(action, body)
            _registry.check(action.fields, body)
            result = await self._run(self._call, action, request, body, request_id)
        except _errors.ServiceError as error:
            return _error_response(error, cors)
        return _Response(200, _json(result), cors=cors)

    @staticmethod
    def _parse(raw):
        if not raw.strip():
            return {}
        try:
            body = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
        except (ValueError, RecursionError):
            raise _errors.Serialization("The request body is not valid JSON.") from None
        if not isinstance(body, dict):
            raise _errors.Serialization("The request body must be a JSON object.")
        return body

    def _call(self, action, request, body, request_id):
        ctx = Context(self.store, self.settings, request, request_id)
        with self.store.transaction():
            result = action.handler(ctx, body)
        return result

    def _call_oauth(self, request):
        with self.store.transaction():
            return _oauth.handle(Context(self.store, self.settings, request), request)

    async def _emulator_route(self, request):
        path, method = request.path, request.method
        query = urllib.parse.parse_qs(request.query_string.decode("latin-1"))
        if path == "/_emulator/health" and method == "GET":
            pools = await self._run(lambda: len(self.store.list_pools()))
            data = {"status": "ok", "version": __version__, "pools": pools}
            return _Response(200, _json(data), b"application/json")
        if path == "/_emulator/messages" and method == "GET":
            username = (query.get("username") or [None])[0]
            pool_id = (query.get("pool_id") or [None])[0]
            rows = await self._run(self.store.messages, username, pool_id)
            messages = [
                {
                    "pool_id": row["pool_id"],
                    "username": row["username"],
                    "kind": row["kind"],
                    "destination": row["destination"],
                    "code": row["code"],
                    "sent_at": _iso(row["sent_at"]),
                }
                for row in rows
            ]
            return _Response(200, _json({"messages": messages}), b"application/json")
        if path == "/_emulator/clock" and method == "POST" and self.settings.test_clock:
            try:
                data = self._parse(request.body)
                if "offset" in data:
                    self.settings.clock_offset = float(data["offset"])
                else:
                    self.settings.clock_offset += float(data.get("advance", 0))
            except (_errors.ServiceError, TypeError, ValueError):
                return _Response(400, _json({"message": "Expected {advance} or {offset}."}))
            offset = _json({"offset": self.settings.clock_offset})
            return _Response(200, offset, b"application/json")
        return _Response(404, _json({"message": "Not Found"}), b"application/json")

    async def _well_known(self, pool_id, document):
        pool = await self._run(self.store.get_pool, pool_id)
        if pool is None:
            body = _json({"message": "User pool %s does not exist." % pool_id})
            return _Response(404, body, b"application/json")
        issuer = "%s/%s" % (self.settings.base_url, pool_id)
        if document == "jwks.json":
            data = await self._run(_tokens.jwks, self.store, pool_id)
        else:
            data = {
                "issuer": issuer,
                "jwks_uri": issuer + "/.well-known/jwks.json",
                "response_types_supported": ["code", "token"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "email", "phone", "profile"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_basic", "client_secret_post",
                ],
            }  # fmt: skip
            data.update(await self._run(_oauth.endpoints, self.store, self.settings.base_url,
                                        pool_id))  # fmt: skip
        return _Response(200, _json(data), b"application/json")


_GONE = object()


def _origin(scope):
    return _header(scope, b"origin")


def _header(scope, name):
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _iso(epoch):
    moment = datetime.datetime.fromtimestamp(epoch, datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)
