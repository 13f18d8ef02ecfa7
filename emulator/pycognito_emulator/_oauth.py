"""Managed login's OAuth 2.0 and OpenID Connect endpoints, served on the emulator's own
origin.

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

import base64
import hashlib
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
    _oauth_clients,
    _sessions,
    _signin,
    _tokens,
)
from ._config import token_seconds

ROUTE = re.compile(
    r"^/([A-Za-z0-9][A-Za-z0-9._-]{0,252})/"
    r"(oauth2/authorize|oauth2/token|oauth2/userInfo|oauth2/revoke|oauth2/idpresponse|login|"
    r"logout)$"
)
CODE_SECONDS = 300
CODE_KIND = "oauth_code"
FAMILY_KIND = "oauth_family"
CSRF_COOKIE = "XSRF-TOKEN"
JSON_TYPE = b"application/json;charset=UTF-8"
_NO_STORE = [(b"cache-control", b"no-store"), (b"pragma", b"no-cache")]
# Federated sign-in registers here (``_federation``, above this module): "start"
# (ctx, pool, checked, base) -> Reply, and "response" (ctx, pool, query, base) -> Reply.
FEDERATION = {}
_VERIFIER = re.compile(r"^[A-Za-z0-9._~-]{43,128}$")


class Reply:
    """What ``_app`` sends: status, content type, body bytes, extra headers, and
    ``cors`` (True: any origin; False: no CORS headers)."""

    def __init__(self, status, content_type, body, headers=(), cors=False):
        self.status = status
        self.content_type = content_type
        self.body = body
        self.headers = list(headers)
        self.cors = cors


class OAuthError(Exception):
    """An OAuth 2.0 error answer (``error``, ``error_description``, HTTP status)."""

    def __init__(self, error, description, status=400):
        Exception.__init__(self, description)
        self.error = error
        self.description = description
        self.status = status


class PageError(Exception):
    """A request that must not be redirected anywhere: answered with the error page."""


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
        A ``Reply``.
    """
    selector, endpoint = ROUTE.match(request.path).groups()
    pool = pool_of(ctx.store, selector)
    base = "/%s/" % selector
    try:
        query = _query(request.query_string.decode("latin-1"))
        if pool is None:
            raise PageError("No user pool has the domain %s." % selector)
        if endpoint == "oauth2/token":
            return _token(ctx, pool, request)
        if endpoint == "oauth2/userInfo":
            return _userinfo(ctx, request)
        if endpoint == "oauth2/revoke":
            return _revoke(ctx, pool, request)
        if endpoint == "logout":
            return _logout(ctx, pool, query, base)
        if endpoint == "oauth2/idpresponse":
            return FEDERATION["response"](ctx, pool, query, base)
        if request.method != "GET" and endpoint == "oauth2/authorize":
            raise PageError("The authorize endpoint takes GET requests.")
        return _authorize(ctx, pool, request, query, base, endpoint == "login")
    except PageError as error:
        return Reply(400, _login_page.HTML_TYPE, _login_page.error_page(str(error)),
                     _login_page.HEADERS)  # fmt: skip
    except _errors.ServiceError as error:
        # A store or token failure inside a grant: OAuth words, never a traceback.
        return _oauth_error(OAuthError("server_error", error.message, 500))
    except OAuthError as error:
        return _oauth_error(error)


def _oauth_error(error):
    headers = list(_NO_STORE)
    if error.status == 401:
        headers.append((b"www-authenticate", b'Basic realm="token"'))
    body = json.dumps({"error": error.error, "error_description": error.description})
    return Reply(error.status, JSON_TYPE, body.encode(), headers, cors=True)


def _query(text):
    """A query or form body as {name: value}; a name given twice is invalid_request."""
    pairs = urllib.parse.parse_qsl(text, keep_blank_values=True)
    values = {}
    for name, value in pairs:
        if name in values:
            raise PageError("The parameter %s was given more than once." % name)
        values[name] = value
    return values


# The authorize request ---------------------------------------------------------------


class Authorize:
    """A checked authorize request: client, redirect_uri, response type, scopes, PKCE."""

    def __init__(self, ctx, pool, params):
        client_id = params.get("client_id") or ""
        client = ctx.store.get_client(client_id) if client_id else None
        if client is None or client["UserPoolId"] != pool["Id"]:
            raise PageError("The app client %s is not a client of this user pool." % client_id)
        callbacks = client.get("CallbackURLs") or []
        redirect_uri = params.get("redirect_uri") or client.get("DefaultRedirectURI")
        if not redirect_uri or redirect_uri not in callbacks:
            # Never redirect to a URL the client did not register, not even an error.
            raise PageError("redirect_uri is not one of the app client's callback URLs.")
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
    return Reply(302, b"text/plain", b"",
                 [(b"location", location.encode("utf-8")), *_NO_STORE, *headers])  # fmt: skip


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
    return Reply(status, _login_page.HTML_TYPE, body, _login_page.HEADERS + list(headers))


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
    form = _query(request.body.decode("utf-8", "replace"))
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


def _claims_of(token):
    return json.loads(_tokens.b64url_decode(token.split(".")[1]))


def _signed_in(ctx, pool, checked, result):
    """The user passed every step: a code (or, implicit, the tokens) for the redirect."""
    claims = _claims_of(result["AccessToken"])
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
        tokens = _issue(ctx, pool, checked.client, user, checked.scopes, checked.nonce)
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
    _documents.put(ctx.store, pool["Id"], CODE_KIND, _tokens.sha256_hex(code), document,
                   ctx.now())  # fmt: skip
    return Redirect(checked.redirect_uri, {"code": code, "state": checked.state})


def _purge_codes(ctx):
    ctx.store.run("DELETE FROM pool_documents WHERE kind = ? AND created < ?",
                  (CODE_KIND, ctx.now() - 3600))  # fmt: skip


# Tokens ------------------------------------------------------------------------------


def _at_hash(access_token):
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return _tokens.b64url(digest[:16])


def _issue(ctx, pool, client, user, scopes, nonce=None, family=None):
    """Tokens for granted scopes: a new token family (or the one refreshed)."""
    scope = " ".join(scopes)
    if family is None:
        result = _sessions.start_session(ctx, pool, client, user, {"scope": scope})
        id_token, access_token = result["IdToken"], result["AccessToken"]
        refresh, expires_in = result["RefreshToken"], result["ExpiresIn"]
        origin_jti = _claims_of(access_token)["origin_jti"]
        _documents.put(ctx.store, pool["Id"], FAMILY_KIND, origin_jti, {"scopes": scopes},
                       ctx.now())  # fmt: skip
    else:
        id_token, access_token, expires_in = _tokens.issue(
            ctx.store, ctx, pool, client, user, family["auth_time"], family["origin_jti"],
            {"scope": scope},
        )  # fmt: skip
        refresh = None
    answer = {"access_token": access_token, "expires_in": expires_in, "token_type": "Bearer"}
    if refresh:
        answer["refresh_token"] = refresh
    if "openid" in scopes:
        claims = _claims_of(id_token)
        claims["at_hash"] = _at_hash(access_token)
        if isinstance(claims.get("identities"), str):  # federated users: a JSON list
            claims["identities"] = json.loads(claims["identities"])
        if nonce:
            claims["nonce"] = nonce
        answer["id_token"] = _tokens.sign(ctx.store, pool["Id"], "id", claims)
    return answer


def _client_auth(ctx, pool, request, form):
    """The client of a token or revoke request, authenticated by HTTP Basic or by
    client_id (and client_secret) in the body.

    Raises:
        OAuthError: invalid_client or invalid_request.
    """
    header = request.header("authorization") or ""
    basic = None
    if header[:6].lower() == "basic ":
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
            client_id, _, secret = decoded.partition(":")
            basic = (urllib.parse.unquote_plus(client_id), urllib.parse.unquote_plus(secret))
        except (ValueError, UnicodeDecodeError):
            raise OAuthError("invalid_client", "Malformed Basic authorization.", 401) from None
    if basic and form.get("client_secret"):
        raise OAuthError("invalid_request", "Send the client secret one way only.")
    client_id, secret = basic or (form.get("client_id"), form.get("client_secret"))
    if basic and form.get("client_id") not in (None, client_id):
        raise OAuthError("invalid_request", "client_id differs from the authorized client.")
    if not client_id:
        raise OAuthError("invalid_request", "client_id is required.")
    client = ctx.store.get_client(client_id)
    if client is None or client["UserPoolId"] != pool["Id"]:
        raise OAuthError("invalid_client", "Unknown client.", 401 if basic else 400)
    known = [client.get("ClientSecret")]
    extra = _documents.get(ctx.store, pool["Id"], "client_secret", client_id)
    if extra:
        known = [item["ClientSecretValue"] for item in extra[0]["secrets"]]
    if client.get("ClientSecret"):
        if not secret or not any(
            value and hmac.compare_digest(value.encode(), secret.encode("utf-8", "replace"))
            for value in known
        ):
            raise OAuthError("invalid_client", "Client authentication failed.",
                             401 if basic else 400)  # fmt: skip
    elif secret:
        raise OAuthError("invalid_client", "The client has no secret.", 401 if basic else 400)
    return client


def _form(request):
    kind = (request.header("content-type") or "").split(";")[0].strip().lower()
    if request.method != "POST" or kind != "application/x-www-form-urlencoded":
        raise OAuthError("invalid_request",
                         "POST application/x-www-form-urlencoded is required.")  # fmt: skip
    try:
        return _query(request.body.decode("utf-8"))
    except (PageError, UnicodeDecodeError):
        raise OAuthError("invalid_request", "The form body is malformed.") from None


def _json_reply(data):
    return Reply(200, JSON_TYPE, json.dumps(data).encode(), _NO_STORE, cors=True)


def _token(ctx, pool, request):
    form = _form(request)
    client = _client_auth(ctx, pool, request, form)
    grant = form.get("grant_type")
    if grant == "authorization_code":
        return _json_reply(code_grant(ctx, pool, client, form))
    if grant == "refresh_token":
        return _json_reply(_refresh_grant(ctx, pool, client, form))
    if grant == "client_credentials":
        return _json_reply(_client_credentials(ctx, pool, client, form))
    if not grant:
        raise OAuthError("invalid_request", "grant_type is required.")
    raise OAuthError("unsupported_grant_type", "Unsupported grant_type %s." % grant[:100])


def code_grant(ctx, pool, client, form):
    code, redirect_uri = form.get("code"), form.get("redirect_uri")
    if not code or not redirect_uri:
        raise OAuthError("invalid_request", "code and redirect_uri are required.")
    key = _tokens.sha256_hex(code)
    found = _documents.get(ctx.store, pool["Id"], CODE_KIND, key)
    document = found[0] if found else None
    if document is None or document["client_id"] != client["ClientId"]:
        raise OAuthError("invalid_grant", "Invalid authorization code.")
    if document["used"]:
        # A code presented twice was intercepted or replayed: its tokens stop working.
        ctx.store.revoke_family(document["used"], ctx.now())
        raise OAuthError("invalid_grant", "The authorization code was already used.")
    document["used"] = "spent"
    _documents.put(ctx.store, pool["Id"], CODE_KIND, key, document, ctx.now())
    if document["expires"] < ctx.now():
        raise OAuthError("invalid_grant", "The authorization code has expired.")
    if redirect_uri != document["redirect_uri"]:
        raise OAuthError("invalid_grant", "redirect_uri differs from the authorize request.")
    if document["challenge"]:
        verifier = form.get("code_verifier") or ""
        if not _VERIFIER.match(verifier):
            raise OAuthError("invalid_grant", "A valid code_verifier is required.")
        made = _tokens.b64url(hashlib.sha256(verifier.encode("ascii")).digest())
        if not hmac.compare_digest(made, document["challenge"]):
            raise OAuthError("invalid_grant", "code_verifier does not match the challenge.")
    user = ctx.store.get_user_by_sub(document["sub"])
    if user is None or not user.enabled:
        raise OAuthError("invalid_grant", "The user is no longer able to sign in.")
    answer = _issue(ctx, pool, client, user, document["scopes"], document["nonce"])
    document["used"] = _claims_of(answer["access_token"])["origin_jti"]
    _documents.put(ctx.store, pool["Id"], CODE_KIND, key, document, ctx.now())
    return answer


def _refresh_grant(ctx, pool, client, form):
    token = form.get("refresh_token")
    if not token:
        raise OAuthError("invalid_request", "refresh_token is required.")
    if "ALLOW_REFRESH_TOKEN_AUTH" not in (client.get("ExplicitAuthFlows") or []):
        raise OAuthError("unauthorized_client", "The client may not refresh tokens.")
    family = ctx.store.family_by_refresh(_tokens.sha256_hex(token))
    if family is None or family["client_id"] != client["ClientId"]:
        raise OAuthError("invalid_grant", "Invalid refresh token.")
    if family["revoked"] is not None or family["expires"] < ctx.now():
        raise OAuthError("invalid_grant", "The refresh token was revoked or has expired.")
    user = ctx.store.get_user_by_sub(family["sub"])
    if user is None or not user.enabled:
        raise OAuthError("invalid_grant", "The user is no longer able to sign in.")
    granted = _documents.get(ctx.store, pool["Id"], FAMILY_KIND, family["origin_jti"])
    scopes = granted[0]["scopes"] if granted else [_tokens.SCOPE]
    return _issue(ctx, pool, client, user, scopes, family=family)


def _client_credentials(ctx, pool, client, form):
    if not client.get("ClientSecret"):
        raise OAuthError("invalid_client", "client_credentials needs a client secret.")
    allowed = client.get("AllowedOAuthScopes") or []
    if "client_credentials" not in (client.get("AllowedOAuthFlows") or []):
        raise OAuthError("unauthorized_client", "The client is not allowed client_credentials.")
    asked = form.get("scope")
    scopes = asked.split() if asked else list(allowed)
    for scope in scopes:
        if scope not in allowed or scope in _oauth_clients.STANDARD_SCOPES:
            raise OAuthError("invalid_scope", "Scope %s is not allowed." % scope[:200])
    now = int(ctx.now())
    life = token_seconds(client, "AccessToken")
    claims = {
        "sub": client["ClientId"], "token_use": "access", "scope": " ".join(scopes),
        "auth_time": now, "iss": ctx.issuer(pool["Id"]), "exp": now + life, "iat": now,
        "version": 2, "jti": str(uuid.uuid4()), "client_id": client["ClientId"],
    }  # fmt: skip
    token = _tokens.sign(ctx.store, pool["Id"], "access", claims)
    return {"access_token": token, "expires_in": life, "token_type": "Bearer"}


# userInfo, revoke, logout ------------------------------------------------------------


def _userinfo(ctx, request):
    header = request.header("authorization") or ""
    if header[:7].lower() != "bearer ":
        raise OAuthError("invalid_token", "A Bearer access token is required.", 401)
    try:
        _, user, claims = _sessions.authenticate(ctx, header[7:].strip())
    except _errors.ServiceError as error:
        raise OAuthError("invalid_token", error.message, 401) from None
    scopes = str(claims.get("scope", "")).split()
    if "openid" not in scopes and _tokens.SCOPE not in scopes:
        raise OAuthError("insufficient_scope", "The token has no openid scope.", 403)
    info = {"sub": user.sub, "username": user.username}
    for name, value in user.attributes.items():
        info[name] = value
    return _json_reply(info)


def _revoke(ctx, pool, request):
    form = _form(request)
    client = _client_auth(ctx, pool, request, form)
    token = form.get("token")
    if not token:
        raise OAuthError("invalid_request", "token is required.")
    if client.get("EnableTokenRevocation") is False:
        raise OAuthError("unsupported_token_type", "Token revocation is not enabled for this "
                         "app client.")  # fmt: skip
    family = ctx.store.family_by_refresh(_tokens.sha256_hex(token))
    if family is not None:
        if family["client_id"] != client["ClientId"]:
            raise OAuthError("unauthorized_client", "The token belongs to another client.")
        ctx.store.revoke_family(family["origin_jti"], ctx.now())
    # RFC 7009: an unknown token answers 200 too.
    return Reply(200, JSON_TYPE, b"", _NO_STORE, cors=True)


def _logout(ctx, pool, query, base):
    client_id = query.get("client_id") or ""
    client = ctx.store.get_client(client_id) if client_id else None
    if client is None or client["UserPoolId"] != pool["Id"]:
        raise PageError("The app client %s is not a client of this user pool." % client_id)
    forget = [(b"set-cookie", ("%s=; Path=%s; Max-Age=0; HttpOnly; SameSite=Lax"
                               % (CSRF_COOKIE, base)).encode("latin-1"))]  # fmt: skip
    logout_uri = query.get("logout_uri")
    if logout_uri is not None:
        if logout_uri not in (client.get("LogoutURLs") or []):
            raise PageError("logout_uri is not one of the app client's sign-out URLs.")
        return _found(logout_uri, forget)
    # Without logout_uri: back to the sign-in page (checked as an authorize request).
    try:
        Authorize(ctx, pool, query)
    except Redirect as redirect:
        return redirect.reply(forget)
    location = base + "login?" + urllib.parse.urlencode(query)
    return _found(location, forget)
