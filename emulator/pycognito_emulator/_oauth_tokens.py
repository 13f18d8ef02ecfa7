"""Managed login's token side: the token, userInfo and revoke endpoints, and what the
authorize side (``_oauth``, which routes every request here) shares with them: the
``Reply`` it answers, the OAuth and error-page exceptions, the query parser, and the
tokens of a grant.

    <base>/<domain or pool id>/oauth2/token       POST  authorization_code, refresh_token,
                                                        client_credentials (JSON, CORS *)
    <base>/<domain or pool id>/oauth2/userInfo    GET, POST   Bearer access token
    <base>/<domain or pool id>/oauth2/revoke      POST  a refresh token

Rules kept, as Cognito and OAuth 2.0 want them:

* A client authenticates by HTTP Basic or by client_id (and client_secret) in the
  form, one way only; a client without a secret sends none.
* A code is single-use and bound to its client, redirect_uri, scopes and PKCE
  challenge (``S256``: the code_verifier must match); presented twice, it revokes the
  tokens it gave.
* The access token's ``scope`` is what was granted; the ID token (only with
  ``openid``) carries ``nonce`` and ``at_hash``; a refresh keeps the family's scopes.
  client_credentials grants only custom scopes.
* userInfo wants a Bearer access token with ``openid`` (or the admin scope); revoke
  answers 200 for an unknown token (RFC 7009).
"""

import base64
import hashlib
import hmac
import json
import re
import urllib.parse
import uuid

from . import _documents, _errors, _oauth_clients, _sessions, _tokens
from ._config import token_seconds

CODE_KIND = "oauth_code"
FAMILY_KIND = "oauth_family"
JSON_TYPE = b"application/json;charset=UTF-8"
NO_STORE = [(b"cache-control", b"no-store"), (b"pragma", b"no-cache")]
_VERIFIER = re.compile(r"^[A-Za-z0-9._~-]{43,128}$")


# Answers, errors, the query ----------------------------------------------------------


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


def parse_query(text):
    """A query or form body as {name: value}; a name given twice is invalid_request."""
    pairs = urllib.parse.parse_qsl(text, keep_blank_values=True)
    values = {}
    for name, value in pairs:
        if name in values:
            raise PageError("The parameter %s was given more than once." % name)
        values[name] = value
    return values


def claims_of(token):
    return json.loads(_tokens.b64url_decode(token.split(".")[1]))


# Tokens ------------------------------------------------------------------------------


def _at_hash(access_token):
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return _tokens.b64url(digest[:16])


def issue(ctx, pool, client, user, scopes, nonce=None, family=None):
    """Tokens for granted scopes: a new token family (or the one refreshed)."""
    scope = " ".join(scopes)
    if family is None:
        result = _sessions.start_session(ctx, pool, client, user, {"scope": scope})
        id_token, access_token = result["IdToken"], result["AccessToken"]
        refresh, expires_in = result["RefreshToken"], result["ExpiresIn"]
        origin_jti = claims_of(access_token)["origin_jti"]
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
        claims = claims_of(id_token)
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
        return parse_query(request.body.decode("utf-8"))
    except (PageError, UnicodeDecodeError):
        raise OAuthError("invalid_request", "The form body is malformed.") from None


def _json_reply(data):
    return Reply(200, JSON_TYPE, json.dumps(data).encode(), NO_STORE, cors=True)


def token_endpoint(ctx, pool, request):
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
    answer = issue(ctx, pool, client, user, document["scopes"], document["nonce"])
    document["used"] = claims_of(answer["access_token"])["origin_jti"]
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
    return issue(ctx, pool, client, user, scopes, family=family)


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


# userInfo, revoke --------------------------------------------------------------------


def userinfo(ctx, request):
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


def revoke(ctx, pool, request):
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
    return Reply(200, JSON_TYPE, b"", NO_STORE, cors=True)
