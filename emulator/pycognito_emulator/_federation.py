"""Federated sign-in offline, and the actions on federated users: AdminLinkProviderForUser,
AdminDisableProviderForUser.

An OIDC identity provider can be reached offline when its ``oidc_issuer`` is another
pool of this emulator (``<base_url>/<poolId>``): authorize with ``identity_provider``
sends the browser to that pool's managed login, whose code comes back to
``/<domain>/oauth2/idpresponse``; the code is exchanged inside the emulator (the
provider's client_id and client_secret must be a client of that pool with the
callback registered), the ID token is checked (signature, iss, aud, nonce), and the
user signs in to this pool:

* the user linked to that identity by AdminLinkProviderForUser, else
* ``<ProviderName>_<sub>``, created on the first visit with status
  ``EXTERNAL_PROVIDER``, its attributes set from the ID token's claims through the
  provider's AttributeMapping on every visit, and ``identities`` (a JSON list, as
  Cognito's ID tokens carry it).

Any other provider answers ``invalid_request`` (there is no network to reach it).
AdminDisableProviderForUser removes the link of that identity and disables the
federated user it made.
"""

import json
import secrets

from . import _accounts, _documents, _errors, _oauth, _oauth_tokens, _tokens
from ._documents import POOL
from ._registry import Field, action

STATE_KIND = "oauth_federation"
LINK_KIND = "provider_link"
STATE_SECONDS = 600


def _local_issuer(ctx, provider):
    """The pool of this emulator an OIDC provider's issuer names, or None."""
    if provider["ProviderType"] != "OIDC":
        return None
    issuer = provider["ProviderDetails"].get("oidc_issuer", "").rstrip("/")
    prefix = ctx.settings.base_url + "/"
    if not issuer.startswith(prefix) or "/" in issuer[len(prefix) :]:
        return None
    return ctx.store.get_pool(issuer[len(prefix) :])


def _start(ctx, pool, checked, base):
    found = _documents.get(ctx.store, pool["Id"], "identity_provider", checked.provider)
    upstream = _local_issuer(ctx, found[0]) if found else None
    if upstream is None:
        raise checked.error("invalid_request", "The identity provider %s cannot be reached "
                            "offline." % checked.provider)  # fmt: skip
    details = found[0]["ProviderDetails"]
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(16)
    _documents.put(ctx.store, pool["Id"], STATE_KIND, _tokens.sha256_hex(state), {
        "query": checked.params, "provider": checked.provider, "nonce": nonce,
        "expires": ctx.now() + STATE_SECONDS,
    }, ctx.now())  # fmt: skip
    params = {
        "response_type": "code", "client_id": details.get("client_id", ""),
        "redirect_uri": ctx.settings.base_url + base + "oauth2/idpresponse",
        "scope": details.get("authorize_scopes", "openid"), "state": state, "nonce": nonce,
    }  # fmt: skip
    target = "%s/%s/" % (ctx.settings.base_url, upstream["Id"])
    return _oauth.Redirect(target + "oauth2/authorize", params).reply()


def _response(ctx, pool, query, base):
    key = _tokens.sha256_hex(query.get("state") or "")
    found = _documents.get(ctx.store, pool["Id"], STATE_KIND, key)
    if found is None or found[0]["expires"] < ctx.now():
        raise _oauth_tokens.PageError("The sign-in through the identity provider expired or "
                                      "was already completed; start again.")  # fmt: skip
    _documents.delete(ctx.store, pool["Id"], STATE_KIND, key)  # single use
    saved = found[0]
    try:
        checked = _oauth.Authorize(ctx, pool, saved["query"])
        if query.get("error"):
            raise checked.error("access_denied", "The identity provider answered %s."
                                % query["error"][:100])  # fmt: skip
        claims = _upstream_claims(ctx, pool, saved, query, base, checked)
        user = _federated_user(ctx, pool, saved["provider"], claims)
        if not user.enabled:
            raise checked.error("access_denied", "User is disabled.")
        return _oauth.grant(ctx, pool, checked, user).reply()
    except _oauth.Redirect as redirect:
        return redirect.reply()


def _upstream_claims(ctx, pool, saved, query, base, checked):
    """Exchange the provider's code inside the emulator; the checked ID token claims."""
    provider = _documents.get(ctx.store, pool["Id"], "identity_provider", saved["provider"])
    upstream = _local_issuer(ctx, provider[0]) if provider else None
    details = provider[0]["ProviderDetails"] if provider else {}
    client = ctx.store.get_client(details.get("client_id", ""))
    secret = details.get("client_secret") or ""
    if upstream is None or client is None or client["UserPoolId"] != upstream["Id"] or (
        client.get("ClientSecret") and not secrets.compare_digest(
            client["ClientSecret"].encode(), secret.encode())
    ):  # fmt: skip
        raise checked.error("invalid_request", "The identity provider refused the client.")
    form = {"code": query.get("code") or "",
            "redirect_uri": ctx.settings.base_url + base + "oauth2/idpresponse"}  # fmt: skip
    try:
        answer = _oauth_tokens.code_grant(ctx, upstream, client, form)
        issuer_pool, claims = _tokens.verify(ctx.store, answer.get("id_token", ""), "id")
    except (_oauth_tokens.OAuthError, ValueError):
        raise checked.error("access_denied", "The identity provider's code or ID token "
                            "was refused.") from None  # fmt: skip
    if (issuer_pool != upstream["Id"] or claims.get("aud") != client["ClientId"]
            or claims.get("nonce") != saved["nonce"]
            or claims.get("iss") != ctx.issuer(upstream["Id"])):  # fmt: skip
        raise checked.error("access_denied", "The identity provider's ID token does not match.")
    return claims


def _claim_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)


def _federated_user(ctx, pool, provider_name, claims):
    sub = str(claims["sub"])
    link = _documents.get(ctx.store, pool["Id"], LINK_KIND, "%s:%s" % (provider_name, sub))
    if link is not None:
        linked = ctx.store.get_user(pool["Id"], link[0]["username_key"])
        if linked is not None:
            return linked
    provider = _documents.get(ctx.store, pool["Id"], "identity_provider", provider_name)
    mapping = (provider[0].get("AttributeMapping") or {}) if provider else {}
    attributes = {
        name: _claim_text(claims[claim])
        for name, claim in mapping.items()
        if name not in ("username", "sub") and claim in claims
    }
    username = "%s_%s" % (provider_name, sub)
    user = ctx.store.get_user(pool["Id"], _accounts.username_key(pool, username))
    identity = {"userId": sub, "providerName": provider_name, "providerType": "OIDC",
                "issuer": None, "primary": "true",
                "dateCreated": int(ctx.now() * 1000)}  # fmt: skip
    if user is None:
        attributes["identities"] = json.dumps([identity])
        return _accounts.new_user(ctx, pool, username, attributes, None, "EXTERNAL_PROVIDER")
    user.attributes.update(attributes)
    user.modified = ctx.now()
    ctx.store.save_user(user)
    return user


_oauth.FEDERATION.update(start=_start, response=_response)


# Actions -----------------------------------------------------------------------------


def _provider_user(body, member):
    value = body[member]
    if not isinstance(value, dict):
        raise _errors.InvalidParameter("%s must be an object." % member)
    for name in ("ProviderName", "ProviderAttributeValue"):
        if not isinstance(value.get(name), str) or not value[name]:
            raise _errors.InvalidParameter("%s.%s is required." % (member, name))
    return value


@action("AdminLinkProviderForUser",
        fields=[POOL, Field("DestinationUser", "object", required=True),
                Field("SourceUser", "object", required=True)], public=False)  # fmt: skip
def admin_link_provider_for_user(ctx, body):
    """AdminLinkProviderForUser: an identity of a provider signs in as an existing user."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    destination = _provider_user(body, "DestinationUser")
    source = _provider_user(body, "SourceUser")
    if destination["ProviderName"].lower() != "cognito":
        raise _errors.InvalidParameter("DestinationUser must be a Cognito user.")
    name = source["ProviderName"]
    if _documents.get(ctx.store, pool["Id"], "identity_provider", name) is None:
        raise _errors.InvalidParameter("Identity provider %s does not exist." % name)
    if source.get("ProviderAttributeName", "Cognito_Subject") != "Cognito_Subject":
        raise _errors.InvalidParameter("SourceUser.ProviderAttributeName must be Cognito_Subject.")
    user = _documents.user(ctx, pool, destination["ProviderAttributeValue"])
    key = "%s:%s" % (name, source["ProviderAttributeValue"])
    if _documents.get(ctx.store, pool["Id"], LINK_KIND, key) is not None:
        raise _errors.ServiceError("AliasExistsException",
                                   "The source user is already linked to a user.")  # fmt: skip
    _documents.put(ctx.store, pool["Id"], LINK_KIND, key,
                   {"username_key": user.username_key}, ctx.now())  # fmt: skip
    identities = json.loads(user.attributes.get("identities") or "[]")
    identities.append({"userId": source["ProviderAttributeValue"], "providerName": name,
                       "providerType": "OIDC", "issuer": None, "primary": "false",
                       "dateCreated": int(ctx.now() * 1000)})  # fmt: skip
    user.attributes["identities"] = json.dumps(identities)
    user.modified = ctx.now()
    ctx.store.save_user(user)
    return {}


@action("AdminDisableProviderForUser",
        fields=[POOL, Field("User", "object", required=True)], public=False)  # fmt: skip
def admin_disable_provider_for_user(ctx, body):
    """AdminDisableProviderForUser: the identity no longer signs in (its link goes, and
    the federated user it made is disabled)."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    given = _provider_user(body, "User")
    name, value = given["ProviderName"], given["ProviderAttributeValue"]
    key = "%s:%s" % (name, value)
    link = _documents.get(ctx.store, pool["Id"], LINK_KIND, key)
    federated = ctx.store.get_user(
        pool["Id"], _accounts.username_key(pool, "%s_%s" % (name, value))
    )
    if link is None and federated is None:
        raise _errors.UserNotFound(_errors.USER_DOES_NOT_EXIST)
    if link is not None:
        _documents.delete(ctx.store, pool["Id"], LINK_KIND, key)
        linked = ctx.store.get_user(pool["Id"], link[0]["username_key"])
        if linked is not None:
            identities = [
                item
                for item in json.loads(linked.attributes.get("identities") or "[]")
                if (item.get("providerName"), item.get("userId")) != (name, value)
            ]
            linked.attributes["identities"] = json.dumps(identities)
            ctx.store.save_user(linked)
    if federated is not None:
        federated.enabled = False
        federated.modified = ctx.now()
        ctx.store.save_user(federated)
        ctx.store.revoke_user_families(federated.sub, ctx.now())
    return {}
