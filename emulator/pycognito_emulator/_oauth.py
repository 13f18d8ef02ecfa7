"""Managed login's OAuth 2.0 and OpenID Connect endpoints, served on the emulator's own
origin: the routing of every one of them, and the authorize side (the authorize
request, the sign-in pages, the code or implicit grant, logout). The token, userInfo
and revoke endpoints are ``_oauth_tokens``'s; ``handle`` sends them there.

How a domain maps to URLs offline: the first path segment names the pool, either by
one of its domains (the prefix of ``<prefix>.auth.<region>.amazoncognito.com``, or
the custom domain's full name) or by the pool id::

    <base>/<domain or pool id>/oauth2/authorize   GET   response_type code or token
    <base>/<domain or pool id>/login              GET, POST   the sign-in pages
    <base>/<domain or pool id>/oauth2/token       POST  authorization_code, refresh_token,
                                                        client_credentials (JSON, CORS *)
    <base>/<domain or pool id>/oauth2/userInfo    GET, POST   Bearer access token
    <base>/<domain or pool id>/oauth2/revoke      POST  a refresh token
    <base>/<domain or pool id>/logout             GET   to a registered logout_uri

The issuer's ``/.well-known/openid-configuration`` names them (``endpoints``).

Rules kept, as Cognito and OAuth 2.0 want them:

* ``redirect_uri`` must equal one of the client's CallbackURLs exactly. An unknown
  client or an unregistered redirect_uri gets an error page, never a redirect; other
  errors go back to the redirect_uri as ``error`` (and ``state``).
* PKCE: ``S256`` only; a client without a secret must send a ``code_challenge``.
* Codes are single-use and live ``CODE_SECONDS``; a code presented twice revokes the
  tokens it gave. A code is bound to its client, redirect_uri, scopes and PKCE
  challenge.
* Scopes: those asked, each allowed to the client (else ``invalid_scope``); none asked
  means all the client's. The access token's ``scope`` is what was granted; the ID
  token (only with ``openid``) carries ``nonce`` and ``at_hash``. client_credentials
  grants only custom scopes (the client's settings already guarantee it).
* The login form's CSRF token is a double-submit: a cookie scoped to the pool's path
  and the hidden field must match.
* There is no single sign-on session between visits: every authorize shows the form,
  and ``prompt=none`` answers ``login_required``.
"""

import hmac
import json
import re
import secrets
import urllib.parse
import uuid

from . import (
    _accounts,
    _auth,
    _documents,
    _errors,
    _login_page,
    _oauth_tokens,
    _signin,
    _tokens,
)

ROUTE = re.compile(
    r"^/([A-Za-z0-9][A-Za-z0-9._-]{0,252})/"
    r"(oauth2/authorize|oauth2/token|oauth2/userInfo|oauth2/revoke|oauth2/idpresponse|login|"
    r"logout)$"
)
CODE_SECONDS = 300
CSRF_COOKIE = "XSRF-TOKEN"
# Federated sign-in registers here (``_federation``, above this module): "start"
# (ctx, pool, checked, base) -> Reply, and "response" (ctx, pool, query, base) -> Reply
# (``_oauth_tokens.Reply``).
FEDERATION = {}


# Routing -----------------------------------------------------------------------------


def pool_of(store, selector):
    """The pool a path's first segment names (a domain or a pool id), or None."""
    if "_" in selector:
        return store.get_pool(selector)
    found = _documents.find(store, "domain", selector.lower())
    return store.get_pool(found[0]) if found else None


def endpoints(store, base_url, pool_id):
    """The managed login endpoints of a pool, for its discovery document: under its
    prefix domain (or custom domain) when it has one, else under its pool id."""
    pool = store.get_pool(pool_id) or {}
    root = "%s/%s" % (base_url, pool.get("Domain") or pool.get("CustomDomain") or pool_id)
    return {
        "authorization_endpoint": root + "/oauth2/authorize",
        "token_endpoint": root + "/oauth2/token",
        "userinfo_endpoint": root + "/oauth2/userInfo",
        "revocation_endpoint": root + "/oauth2/revoke",
        "end_session_endpoint": root + "/logout",
        "code_challenge_methods_supported": ["S256"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
    }


def handle(ctx, request):
    """Answer one request to a managed login route (``ROUTE`` matched its path).

    Returns:
        A ``_oauth_tokens.Reply``.
    """
    selector, endpoint = ROUTE.match(request.path).groups()
    pool = pool_of(ctx.store, selector)
    base = "/%s/" % selector
    try:
        query = _oauth_tokens.parse_query(request.query_string.decode("latin-1"))
        if pool is None:
            raise _oauth_tokens.PageError("No user pool has the domain %s." % selector)
        if endpoint == "oauth2/token":
            return _oauth_tokens.token_endpoint(ctx, pool, request)
        if endpoint == "oauth2/userInfo":
            return _oauth_tokens.userinfo(ctx, request)
        if endpoint == "oauth2/revoke":
            return _oauth_tokens.revoke(ctx, pool, request)
        if endpoint == "logout":
            return _logout(ctx, pool, query, base)
        if endpoint == "oauth2/idpresponse":
            return FEDERATION["response"](ctx, pool, query, base)
        if request.method != "GET" and endpoint == "oauth2/authorize":
            raise _oauth_tokens.PageError("The authorize endpoint takes GET requests.")
        return _authorize(ctx, pool, request, query, base, endpoint == "login")
    except _oauth_tokens.PageError as error:
        return _oauth_tokens.Reply(400, _login_page.HTML_TYPE,
                                   _login_page.error_page(str(error)),
                                   _login_page.HEADERS)  # fmt: skip
    except _errors.ServiceError as error:
        # A store or token failure inside a grant: OAuth words, never a traceback.
        return _oauth_error(_oauth_tokens.OAuthError("server_error", error.message, 500))
    except _oauth_tokens.OAuthError as error:
        return _oauth_error(error)


def _oauth_error(error):
    headers = list(_oauth_tokens.NO_STORE)
    if error.status == 401:
        headers.append((b"www-authenticate", b'Basic realm="token"'))
    body = json.dumps({"error": error.error, "error_description": error.description})
    return _oauth_tokens.Reply(
        error.status, _oauth_tokens.JSON_TYPE, body.encode(), headers, cors=True
    )


# The authorize request ---------------------------------------------------------------


class Authorize:
    """A checked authorize request: client, redirect_uri, response type, scopes, PKCE."""

    def __init__(self, ctx, pool, params):
        client_id = params.get("client_id") or ""
        client = ctx.store.get_client(client_id) if client_id else None
        if client is None or client["UserPoolId"] != pool["Id"]:
            raise _oauth_tokens.PageError(
                "The app client %s is not a client of this user pool." % client_id
            )
        callbacks = client.get("CallbackURLs") or []
        redirect_uri = params.get("redirect_uri") or client.get("DefaultRedirectURI")
        if not redirect_uri or redirect_uri not in callbacks:
            # Never redirect to a URL the client did not register, not even an error.
            raise _oauth_tokens.PageError(
                "redirect_uri is not one of the app client's callback URLs."
            )
        self.client, self.pool, self.redirect_uri = client, pool, redirect_uri
        self.params = dict(params)
        self.state = params.get("state")
        self.response_type = params.get("response_type")
        self.nonce = params.get("nonce")
        self.login_hint = params.get("login_hint") or ""
        flows = client.get("AllowedOAuthFlows") or []
        if self.response_type not in ("code", "token"):
            raise self.error("unsupported_response_type", "response_type must be code or token.")
        wanted = "code" if self.response_type == "code" else "implicit"
        if not client.get("AllowedOAuthFlowsUserPoolClient") or wanted not in flows:
            raise self.error("unauthorized_client",
                             "The client is not allowed the %s flow." % wanted)  # fmt: skip
        allowed = client.get("AllowedOAuthScopes") or []
        asked = params.get("scope")
        self.scopes = asked.split() if asked else list(allowed)
        for scope in self.scopes:
            if scope not in allowed:
                raise self.error("invalid_scope", "The client is not allowed scope %s." % scope)
        self.challenge = params.get("code_challenge")
        method = params.get("code_challenge_method")
        if self.challenge is not None or method is not None:
            if method != "S256":
                raise self.error("invalid_request", "code_challenge_method must be S256.")
            if not self.challenge or not re.match(r"^[A-Za-z0-9_-]{43}$", self.challenge):
                raise self.error("invalid_request", "code_challenge must be a S256 challenge.")
        elif self.response_type == "code" and not client.get("ClientSecret"):
            raise self.error("invalid_request", "A public client must send a PKCE "
                                                "code_challenge (S256).")  # fmt: skip
        provider = params.get("identity_provider")
        identifier = params.get("idp_identifier")
        if identifier and not provider:
            provider = next((name for name, document, _, _ in _documents.all_of(
                ctx.store, pool["Id"], "identity_provider")
                if identifier in (document.get("IdpIdentifiers") or ())), None)  # fmt: skip
            if provider is None:
                raise self.error("invalid_request", "No identity provider has that identifier.")
        self.provider = provider or "COGNITO"
        supported = client.get("SupportedIdentityProviders") or []
        if self.provider not in supported:
            raise self.error("invalid_request", "The client does not support the identity "
                             "provider %s." % self.provider)  # fmt: skip
        if params.get("prompt") == "none":
            raise self.error("login_required", "No signed-in session: the user must sign in.")

    def error(self, code, description):
        """An error answered by redirecting to the (registered) redirect_uri."""
        return Redirect(self.redirect_uri,
                         {"error": code, "error_description": description, "state": self.state},
                         fragment=self.response_type == "token")  # fmt: skip


class Redirect(Exception):
    """A redirect to a registered redirect_uri, with params in its query or fragment."""

    def __init__(self, uri, params, fragment=False):
        Exception.__init__(self, "redirect")
        items = [(k, v) for k, v in params.items() if v is not None]
        joined = urllib.parse.urlencode(items, quote_via=urllib.parse.quote)
        if fragment:
            self.location = uri + "#" + joined
        else:
            self.location = uri + ("&" if "?" in uri else "?") + joined

    def reply(self, headers=()):
        return _found(self.location, headers)


def _found(location, headers=()):
    return _oauth_tokens.Reply(302, b"text/plain", b"", [
        (b"location", location.encode("utf-8")), *_oauth_tokens.NO_STORE, *headers,
    ])  # fmt: skip


def _cookie(request, name):
    for header_name, value in request.headers:
        if header_name == "cookie":
            for part in value.split(";"):
                key, _, found = part.strip().partition("=")
                if key == name:
                    return found
    return None


def _authorize(ctx, pool, request, query, base, is_login):
    try:
        checked = Authorize(ctx, pool, query)
        if not is_login:
            if checked.provider != "COGNITO":
                return FEDERATION["start"](ctx, pool, checked, base)
            location = base + "login?" + request.query_string.decode("latin-1")
            return _found(location)
        return _login(ctx, pool, request, checked, base)
    except Redirect as redirect:
        return redirect.reply()


def _page(status, body, headers=()):
    return _oauth_tokens.Reply(
        status, _login_page.HTML_TYPE, body, _login_page.HEADERS + list(headers)
    )


def _login(ctx, pool, request, checked, base):
    action = base + "login?" + request.query_string.decode("latin-1")
    client_name = checked.client.get("ClientName") or checked.client["ClientId"]
    cookie = _cookie(request, CSRF_COOKIE)
    if request.method == "GET" or not cookie:
        csrf = secrets.token_urlsafe(32)
        set_cookie = "%s=%s; Path=%s; HttpOnly; SameSite=Lax" % (CSRF_COOKIE, csrf, base)
        status = 200 if request.method == "GET" else 403
        error = None if request.method == "GET" else "Your session expired; sign in again."
        body = _login_page.sign_in(action, csrf, client_name, checked.login_hint, error)
        return _page(status, body, [(b"set-cookie", set_cookie.encode("latin-1"))])
    form = _oauth_tokens.parse_query(request.body.decode("utf-8", "replace"))
    given = form.get("_csrf", "")
    if not hmac.compare_digest(given.encode("utf-8", "replace"), cookie.encode("latin-1")):
        body = _login_page.sign_in(action, cookie, client_name, "",
                                   "The form expired; sign in again.")  # fmt: skip
        return _page(403, body)
    step = form.get("step")
    username = form.get("username", "")
    try:
        if step == "password":
            params = {"USERNAME": username, "PASSWORD": form.get("password", "")}
            _add_secret_hash(checked.client, params, username)
            outcome = _auth.password_sign_in(ctx, pool, checked.client, params,
                                             "USER_PASSWORD_AUTH")  # fmt: skip
        elif step in _login_page.CHALLENGE_FIELDS or step == "SELECT_MFA_TYPE":
            outcome = _signin.answer_challenge(ctx, pool, checked.client, {
                "ChallengeName": step, "Session": form.get("session", ""),
                "ChallengeResponses": _responses(checked.client, step, form, username),
            })  # fmt: skip
        else:
            raise _errors.InvalidParameter("Unknown sign-in step.")
    except _errors.ServiceError as error:
        if step in _login_page.CHALLENGE_FIELDS and error.error_type in (
            "CodeMismatchException",
            "InvalidPasswordException",
            "InvalidParameterException",
        ):  # the same challenge may be answered again
            body = _login_page.challenge(action, cookie, step, form.get("session", ""),
                                         username, error.message)  # fmt: skip
            return _page(400, body)
        return _page(400, _login_page.sign_in(action, cookie, client_name, username,
                                              error.message))  # fmt: skip
    if "ChallengeName" in outcome:
        name = outcome["ChallengeName"]
        if name not in _login_page.CHALLENGE_FIELDS and name != "SELECT_MFA_TYPE":
            return _page(400, _login_page.sign_in(
                action, cookie, client_name, username,
                "This sign-in needs %s, which this page cannot do." % name))  # fmt: skip
        parameters = outcome.get("ChallengeParameters") or {}
        name_for_answer = parameters.get("USER_ID_FOR_SRP") or username
        choices = json.loads(parameters.get("MFAS_CAN_CHOOSE", "[]") or "[]")
        body = _login_page.challenge(action, cookie, name, outcome["Session"],
                                     name_for_answer, choices=choices)  # fmt: skip
        return _page(200, body)
    return _signed_in(ctx, pool, checked, outcome["AuthenticationResult"]).reply()


def _add_secret_hash(client, params, username):
    # The managed login page stands in for the client: it knows the client's secret.
    if client.get("ClientSecret"):
        params["SECRET_HASH"] = _accounts.secret_hash(
            client["ClientSecret"], username, client["ClientId"]
        )


def _responses(client, step, form, username):
    responses = {"USERNAME": username}
    if step == "SMS_MFA":
        responses["SMS_MFA_CODE"] = form.get("code", "")
    elif step == "EMAIL_OTP":
        responses["EMAIL_OTP_CODE"] = form.get("code", "")
    elif step == "SOFTWARE_TOKEN_MFA":
        responses["SOFTWARE_TOKEN_MFA_CODE"] = form.get("code", "")
    elif step == "NEW_PASSWORD_REQUIRED":
        responses["NEW_PASSWORD"] = form.get("new_password", "")
    elif step == "SELECT_MFA_TYPE":
        responses["ANSWER"] = form.get("answer", "")
    _add_secret_hash(client, responses, username)
    return responses


def _signed_in(ctx, pool, checked, result):
    """The user passed every step: a code (or, implicit, the tokens) for the redirect."""
    claims = _oauth_tokens.claims_of(result["AccessToken"])
    # The pipeline's own tokens are not handed out: the OAuth ones carry the scopes.
    ctx.store.revoke_family(claims["origin_jti"], ctx.now())
    return grant(ctx, pool, checked, ctx.store.get_user_by_sub(claims["sub"]))


def grant(ctx, pool, checked, user):
    """What the redirect back to the client carries once ``user`` signed in: a code, or
    (implicit) the tokens in the fragment.

    Args:
        checked: the authorize request (``Authorize``).

    Returns:
        A ``Redirect`` (``.reply()`` answers it).
    """
    if checked.response_type == "token":
        tokens = _oauth_tokens.issue(ctx, pool, checked.client, user, checked.scopes, checked.nonce)
        params = {"access_token": tokens["access_token"], "id_token": tokens.get("id_token"),
                  "token_type": "Bearer", "expires_in": str(tokens["expires_in"]),
                  "state": checked.state}  # fmt: skip
        return Redirect(checked.redirect_uri, params, fragment=True)
    code = str(uuid.uuid4())
    _purge_codes(ctx)
    document = {
        "client_id": checked.client["ClientId"], "redirect_uri": checked.redirect_uri,
        "scopes": checked.scopes, "nonce": checked.nonce, "challenge": checked.challenge,
        "sub": user.sub, "expires": ctx.now() + CODE_SECONDS, "used": None,
    }  # fmt: skip
    _documents.put(ctx.store, pool["Id"], _oauth_tokens.CODE_KIND, _tokens.sha256_hex(code),
                   document, ctx.now())  # fmt: skip
    return Redirect(checked.redirect_uri, {"code": code, "state": checked.state})


def _purge_codes(ctx):
    ctx.store.run("DELETE FROM pool_documents WHERE kind = ? AND created < ?",
                  (_oauth_tokens.CODE_KIND, ctx.now() - 3600))  # fmt: skip


# logout ------------------------------------------------------------------------------


def _logout(ctx, pool, query, base):
    client_id = query.get("client_id") or ""
    client = ctx.store.get_client(client_id) if client_id else None
    if client is None or client["UserPoolId"] != pool["Id"]:
        raise _oauth_tokens.PageError(
            "The app client %s is not a client of this user pool." % client_id
        )
    forget = [(b"set-cookie", ("%s=; Path=%s; Max-Age=0; HttpOnly; SameSite=Lax"
                               % (CSRF_COOKIE, base)).encode("latin-1"))]  # fmt: skip
    logout_uri = query.get("logout_uri")
    if logout_uri is not None:
        if logout_uri not in (client.get("LogoutURLs") or []):
            raise _oauth_tokens.PageError(
                "logout_uri is not one of the app client's sign-out URLs."
            )
        return _found(logout_uri, forget)
    # Without logout_uri: back to the sign-in page (checked as an authorize request).
    try:
        Authorize(ctx, pool, query)
    except Redirect as redirect:
        return redirect.reply(forget)
    location = base + "login?" + urllib.parse.urlencode(query)
    return _found(location, forget)
