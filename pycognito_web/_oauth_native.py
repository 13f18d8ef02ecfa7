"""Managed login from CPython: a machine's access token (client_credentials) and a
command-line sign-in through a loopback redirect (RFC 8252). A page never imports this.

``ClientCredentials.token()`` answers from its cache until ``margin`` seconds before the
token expires; callers that ask while a request is under way share that one request.

``sign_in_loopback`` listens on ``127.0.0.1`` (a free port unless one is given), opens
the authorize URL in the person's browser, waits for the one callback, checks its state,
exchanges the code with PKCE and stores the session in the pool's storage. The app
client must register ``http://127.0.0.1:<port>/callback`` for the port used (Cognito
matches callback URLs exactly, port included).
"""

import asyncio
import base64
import time
import webbrowser

from . import _oauth, _redirect
from .errors import InvalidParameterError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Optional

_DONE_PAGE = (
    b"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Signed in</title></head>"
    b"<body><p>%s</p></body></html>"
)


class ClientCredentials:
    """An access token for a machine client (the client_credentials grant), cached.

    Args:
        token_url: the managed login token endpoint (``OAuthConfig.endpoint("token")``).
        client_id, client_secret: the app client (it must have a secret).
        scopes: the custom scopes to ask for (all the client's when None).
        transport: the HTTP transport (``UrllibTransport`` by default).
        clock: seconds since the epoch (``time.time``).
        margin: seconds before expiry when the token counts as expired.

    Raises:
        InvalidParameterError: a missing client id or secret.
    """

    def __init__(
        self,
        token_url: "str",
        client_id: "str",
        client_secret: "str",
        scopes: "Optional[list]" = None,
        transport: "Any" = None,
        clock: "Optional[Callable[[], float]]" = None,
        margin: "float" = 60.0,
    ) -> None:
        if not client_id or not client_secret:
            raise InvalidParameterError("client_credentials needs a client id and secret")
        if transport is None:
            from ._urllib import UrllibTransport

            transport = UrllibTransport()
        self.token_url = token_url
        self.client_id = client_id
        self._secret = client_secret
        self.scopes = list(scopes) if scopes else None
        self.transport = transport
        self.clock = clock or time.time
        self.margin = margin
        self._token = None
        self._expires = 0.0
        self._pending = None  # type: Optional[asyncio.Future[str]]
        self.requests = 0  # how many token requests were sent (for the curious and tests)

    def __repr__(self):
        return "<ClientCredentials %s>" % self.client_id

    async def token(self) -> "str":
        """A valid access token: the cached one, or a new one.

        Raises:
            OAuthError: the token endpoint refused (``invalid_client``, ``invalid_scope``...).
        """
        if self._token is not None and self.clock() < self._expires - self.margin:
            return self._token
        if self._pending is None:
            self._pending = asyncio.ensure_future(self._fetch())
        pending = self._pending
        try:
            return await asyncio.shield(pending)
        finally:
            if pending.done() and self._pending is pending:
                self._pending = None

    async def _fetch(self):
        pair = ("%s:%s" % (_oauth.quote(self.client_id), _oauth.quote(self._secret))).encode()
        body = _oauth.encode_form({
            "grant_type": "client_credentials",
            "scope": " ".join(self.scopes) if self.scopes else None,
        })  # fmt: skip
        self.requests += 1
        started = self.clock()
        status, raw = await _redirect.post_form(
            self.transport, self.token_url, body, "Basic " + base64.b64encode(pair).decode()
        )
        result = _oauth.read_token_response(status, raw)
        self._token = result["AccessToken"]
        self._expires = started + float(result.get("ExpiresIn") or 0)
        return self._token


async def sign_in_loopback(
    pool: "Any",
    config: "_oauth.OAuthConfig",
    port: "int" = 0,
    open_browser: "Optional[Callable[[str], Any]]" = None,
    timeout: "float" = 300.0,
    provider: "Optional[str]" = None,
) -> "_redirect.RedirectResult":
    """Sign in from a terminal: managed login in the browser, back to a loopback port.

    Args:
        pool: the ``UserPool``; config: the ``OAuthConfig`` (its ``redirect_sign_in`` is
            replaced by ``http://127.0.0.1:<port>/callback``).
        port: the port to listen on (0: a free one).
        open_browser: what opens the URL (``webbrowser.open``); it may be a plain
            function or a coroutine function.
        timeout: seconds to wait for the person.
        provider: go straight to this identity provider.

    Returns:
        A ``RedirectResult`` (the session is in the pool's storage).

    Raises:
        OAuthError: the sign-in failed or was cancelled; TimeoutError: nobody came back.
    """
    arrived = asyncio.get_running_loop().create_future()

    async def serve(reader, writer):
        try:
            line = await asyncio.wait_for(reader.readline(), 10)
            while (await asyncio.wait_for(reader.readline(), 10)) not in (b"\r\n", b"\n", b""):
                pass
            parts = line.decode("latin-1").split(" ")
            target = parts[1] if len(parts) > 2 else "/"
            if not target.startswith("/callback") or arrived.done():
                writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                return
            arrived.set_result(target)
            page = _DONE_PAGE % b"You can close this window and go back to the terminal."
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                b"Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\n"
                b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(page) + page
            )
        except (TimeoutError, ConnectionError):
            pass
        finally:
            try:
                await writer.drain()
            except ConnectionError:
                pass
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", port)
    try:
        bound = server.sockets[0].getsockname()[1]
        local = _oauth.OAuthConfig(
            config.domain, "http://127.0.0.1:%d/callback" % bound,
            config.redirect_sign_out, config.scopes,
        )  # fmt: skip
        opened = []  # type: list[str]
        await _redirect.sign_in_with_redirect(pool, local, provider, navigate=opened.append)
        answer = (open_browser or webbrowser.open)(opened[0])
        if asyncio.iscoroutine(answer):
            await answer
        target = await asyncio.wait_for(arrived, timeout)
    finally:
        server.close()
        await server.wait_closed()
    result = await _redirect.complete_sign_in_with_redirect(
        pool, local, "http://127.0.0.1:%d%s" % (bound, target), replace_url=None
    )
    if result is None:
        raise _oauth.OAuthError("the browser came back without a code", "invalid_request")
    return result
