"""Sign-in and sign-out through managed login's pages: the thin async driver of ``_oauth``.

::

    config = OAuthConfig("https://example.auth.us-east-1.amazoncognito.com",
                         "https://app.example.com/", "https://app.example.com/bye")
    await sign_in_with_redirect(pool, config)            # the page leaves
    ...                                                  # the page comes back
    result = await complete_sign_in_with_redirect(pool, config)
    result.user if result else None                      # pool.current_user() too

``complete_sign_in_with_redirect`` is meant to run on every load of the callback page:
without OAuth parameters in the URL it returns None. A return that fails (managed
login's ``error``, a state that is not the one kept, a code the token endpoint refuses)
raises ``OAuthError`` and leaves storage as it was; the URL is cleaned either way, so
that no code stays in the address bar, the history or a Referer.
"""

from . import _oauth, _platform, _storage
from ._transport import Request
from .errors import InvalidParameterError

TYPE_CHECKING = False  # typing is absent on MicroPython; checkers still read this
if TYPE_CHECKING:
    from typing import Any, Callable, Optional

_OAUTH_PARAMS = ("code", "state", "error", "error_description", "error_uri")


class RedirectResult:
    """A completed redirect sign-in.

    Attributes:
        user: the signed-in ``User`` (its session stored, as after an SRP sign-in).
        custom_state: what ``sign_in_with_redirect`` was given as ``custom_state``.
    """

    def __init__(self, user, custom_state):
        self.user = user
        self.custom_state = custom_state

    def __repr__(self):
        return "<RedirectResult %s>" % self.user.username


async def sign_in_with_redirect(
    pool: "Any",
    config: "_oauth.OAuthConfig",
    provider: "Optional[str]" = None,
    custom_state: "Optional[str]" = None,
    extra: "Optional[dict]" = None,
    navigate: "Optional[Callable[[str], Any]]" = None,
) -> "str":
    """Keep a new PKCE verifier and state in the pool's storage and send the page to
    managed login.

    Args:
        pool: the ``UserPool`` (its client id, storage and random bytes are used).
        config: the ``OAuthConfig``.
        provider: go straight to this identity provider.
        custom_state: text to get back from ``complete_sign_in_with_redirect``.
        extra: more authorize parameters (``login_hint``, ``prompt``...).
        navigate: what sends the browser to a URL (the page's ``location.assign``).

    Returns:
        The authorize URL the page was sent to.
    """
    verifier = _oauth.make_verifier(pool.random_bytes)
    state = _oauth.make_state(pool.random_bytes, custom_state)
    url = _oauth.authorize_url(
        config, pool.client_id, state, _oauth.challenge_of(verifier), provider, extra
    )
    storage = pool.storage
    storage.setItem(_oauth.in_flight_key(pool.client_id, "oauthState"), state)
    storage.setItem(_oauth.in_flight_key(pool.client_id, "oauthPKCE"), verifier)
    storage.setItem(_oauth.in_flight_key(pool.client_id, "inflightOAuth"), "true")
    (navigate or _navigate)(url)
    return url


def _page():
    location = _platform.location()
    if location is None:
        raise InvalidParameterError("there is no page here: pass the URL and a navigate function")
    return location


def _navigate(url):
    _page().assign(url)


async def complete_sign_in_with_redirect(
    pool: "Any",
    config: "_oauth.OAuthConfig",
    url: "Optional[str]" = None,
    replace_url: "Optional[Callable[[str], Any]]" = None,
) -> "Optional[RedirectResult]":
    """Finish a redirect sign-in on the callback page: check the state, exchange the
    code, store the tokens under the original SDK's keys, clean the URL.

    Args:
        url: the callback URL (the page's address when None).
        replace_url: what rewrites the address bar (``history.replaceState`` when
            ``url`` is None; nothing when a URL is given).

    Returns:
        A ``RedirectResult``, or None when the URL carries no OAuth answer.

    Raises:
        OAuthError: ``access_denied`` and managed login's other errors,
            ``state_mismatch``, ``invalid_grant`` and the token endpoint's other errors.
    """
    if url is None:
        url = str(_page().href)
        replace_url = replace_url or _platform.replace_url
    base, query, fragment = _oauth.split_url(url)
    params = query if ("code" in query or "error" in query) else fragment
    if "code" not in params and "error" not in params:
        return None
    if replace_url is not None:
        kept = {name: value for name, value in query.items() if name not in _OAUTH_PARAMS}
        replace_url(base + ("?" + _oauth.encode_form(kept) if kept else ""))
    storage = pool.storage
    client_id = pool.client_id
    kept_state = _storage.read(storage, _oauth.in_flight_key(client_id, "oauthState"))
    verifier = _storage.read(storage, _oauth.in_flight_key(client_id, "oauthPKCE"))
    # The state is checked before anything else, errors included: an answer that is
    # not this page's own sign-in must not be acted on.
    if not kept_state or params.get("state") != kept_state or not verifier:
        raise _oauth.OAuthError(
            "the answer does not belong to a sign-in started here", "state_mismatch"
        )
    error = _oauth.callback_error(params)
    if error is not None:
        raise error
    status, body = await post_form(
        pool.transport,
        config.endpoint("token"),
        _oauth.code_exchange_body(config, client_id, params["code"], verifier),
    )
    result = _oauth.read_token_response(status, body)
    user = store_tokens(pool, result)
    for name in _oauth.IN_FLIGHT_NAMES:
        storage.removeItem(_oauth.in_flight_key(client_id, name))
    return RedirectResult(user, _oauth.custom_state_of(kept_state))


def store_tokens(pool: "Any", result: "dict") -> "Any":
    """Keep a token endpoint's tokens as a sign-in's session: the ``User`` they name,
    its session written under the original SDK's keys (``current_user()`` finds it).

    Raises:
        OAuthError: ``invalid_response`` when the tokens name no user or lack the ID
            token (ask for the ``openid`` scope).
    """
    from ._tokens import decode_payload, session_from_result

    claims = decode_payload(str(result.get("AccessToken") or ""))
    username = claims.get("username")
    if not isinstance(username, str) or not username or not result.get("IdToken"):
        raise _oauth.OAuthError(
            "the tokens name no user, or no ID token came (is openid among the scopes?)",
            "invalid_response",
        )
    user = pool.user(username)
    user.session = session_from_result(result, pool.clock())
    user.store_session()
    return user


async def sign_out_with_redirect(
    pool: "Any",
    config: "_oauth.OAuthConfig",
    navigate: "Optional[Callable[[str], Any]]" = None,
) -> "str":
    """Revoke the current user's refresh token (when there is one), forget the session
    here, and send the page to managed login's sign-out, back to ``redirect_sign_out``.

    Returns:
        The logout URL the page was sent to.

    Raises:
        InvalidParameterError: the config has no ``redirect_sign_out``.
    """
    url = _oauth.logout_url(config, pool.client_id)
    user = pool.current_user()
    if user is not None:
        refresh = user.session.refresh_token.token if user.session is not None else None
        if refresh:
            try:
                body = _oauth.encode_form({"token": refresh, "client_id": pool.client_id})
                await post_form(pool.transport, config.endpoint("revoke"), body)
            except Exception:  # signing out goes on; the refresh token expires anyway
                pass
        user.sign_out_locally()
    (navigate or _navigate)(url)
    return url


async def post_form(transport: "Any", url: "str", body: "str", authorization=None):
    """POST a form through a transport; (status, body bytes)."""
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if authorization:
        headers["Authorization"] = authorization
    response = await transport.handle_async_request(
        Request("POST", url, headers, body.encode("utf-8"))
    )
    return response.status_code, response.body
