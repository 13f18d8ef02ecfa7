"""An app client's OAuth settings, checked as Cognito checks them when a client is
created or updated (``_admin`` calls ``check_client``).

* ``AllowedOAuthFlows``: ``code``, ``implicit``, ``client_credentials``; the last only
  alone and only for a client with a secret (InvalidOAuthFlowException), and only with
  custom scopes.
* ``AllowedOAuthFlowsUserPoolClient`` true needs flows and scopes; flows or scopes
  without it are refused (the flag must be true "before you can configure" them).
* ``AllowedOAuthScopes`` (50 at most): ``phone``, ``email``, ``openid``, ``profile``,
  ``aws.cognito.signin.user.admin`` and the ``<Identifier>/<ScopeName>`` of the pool's
  resource servers; anything else is ScopeDoesNotExistException.
* ``CallbackURLs`` and ``LogoutURLs`` (100 each, 1-1024 characters): absolute, no
  fragment, https, except http to ``localhost``, ``127.0.0.1`` and ``[::1]`` (any
  port); app schemes such as ``myapp://callback`` are allowed. ``code`` and
  ``implicit`` need at least one callback URL.
* ``DefaultRedirectURI`` must be one of the CallbackURLs.
* ``SupportedIdentityProviders``: ``COGNITO`` or the names of the pool's identity
  providers.
"""

import urllib.parse

from . import _errors, _identity_providers, _resource_servers

FLOWS = ("code", "implicit", "client_credentials")
STANDARD_SCOPES = ("phone", "email", "openid", "profile", "aws.cognito.signin.user.admin")
_LOOPBACK = ("localhost", "127.0.0.1", "::1")


def _oauth_flow_error(message):
    return _errors.ServiceError("InvalidOAuthFlowException", message)


def check_url(url, member):
    """Refuse a callback or logout URL Cognito refuses.

    Raises:
        ServiceError: InvalidParameterException naming the member.
    """
    if not isinstance(url, str) or not 1 <= len(url) <= 1024:
        raise _errors.InvalidParameter("%s must have 1 to 1024 characters." % member)
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname
    except ValueError:
        parts, host = None, None
    if parts is None or not parts.scheme or any(ch.isspace() for ch in url):
        raise _errors.InvalidParameter("%s must be absolute URIs: %s" % (member, url))
    if parts.fragment or "#" in url:
        raise _errors.InvalidParameter("%s must not include a fragment: %s" % (member, url))
    scheme = parts.scheme.lower()
    if scheme == "http" and host not in _LOOPBACK:
        raise _errors.InvalidParameter(
            "%s must use https, except http://localhost, http://127.0.0.1 and "
            "http://[::1]: %s" % (member, url)
        )
    if scheme in ("http", "https") and not host:
        raise _errors.InvalidParameter("%s must be absolute URIs: %s" % (member, url))


def check_client(ctx, pool, settings, has_secret):
    """Check the OAuth members of a normalised client settings dict.

    Args:
        pool: the pool's settings; settings: the client's (``_config.normalize_client``).
        has_secret: whether the client has (or gets) a client secret.

    Raises:
        ServiceError: InvalidParameterException, InvalidOAuthFlowException or
            ScopeDoesNotExistException, as above.
    """
    flows = settings.get("AllowedOAuthFlows") or []
    scopes = settings.get("AllowedOAuthScopes") or []
    enabled = settings.get("AllowedOAuthFlowsUserPoolClient") is True
    for flow in flows:
        if flow not in FLOWS:
            raise _errors.InvalidParameter(
                "1 validation error detected: Value at 'allowedOAuthFlows' failed to satisfy "
                "constraint: Member must satisfy enum value set: [%s]" % ", ".join(FLOWS)
            )
    if len(flows) > 3 or len(scopes) > 50:
        raise _errors.InvalidParameter("Too many AllowedOAuthFlows or AllowedOAuthScopes.")
    if enabled and (not flows or not scopes):
        raise _errors.InvalidParameter(
            "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is "
            "allowed to use OAuth flows."
        )
    if (flows or scopes) and not enabled:
        raise _errors.InvalidParameter(
            "AllowedOAuthFlowsUserPoolClient must be true to set AllowedOAuthFlows or "
            "AllowedOAuthScopes."
        )
    if "client_credentials" in flows:
        if len(set(flows)) > 1:
            raise _oauth_flow_error(
                "client_credentials flow can not be selected along with code flow or implicit "
                "flow."
            )
        if not has_secret:
            raise _oauth_flow_error(
                "client_credentials flow can not be selected if client does not have a client "
                "secret."
            )
    custom = _resource_servers.custom_scopes(ctx.store, pool["Id"])
    for scope in scopes:
        if scope not in STANDARD_SCOPES and scope not in custom:
            raise _errors.ServiceError("ScopeDoesNotExistException",
                                       "Invalid scope requested: %s" % scope)  # fmt: skip
        if "client_credentials" in flows and scope in STANDARD_SCOPES:
            raise _oauth_flow_error(
                "client_credentials flow can only be used with custom scopes: %s" % scope
            )
    for member in ("CallbackURLs", "LogoutURLs"):
        urls = settings.get(member) or []
        if len(urls) > 100:
            raise _errors.InvalidParameter("%s can have at most 100 URLs." % member)
        for url in urls:
            check_url(url, member)
    callbacks = settings.get("CallbackURLs") or []
    if set(flows) & {"code", "implicit"} and not callbacks:
        raise _errors.InvalidParameter(
            "CallbackURLs are required when the code or implicit flow is allowed."
        )
    default = settings.get("DefaultRedirectURI")
    if default is not None:
        check_url(default, "DefaultRedirectURI")
        if default not in callbacks:
            raise _errors.InvalidParameter("DefaultRedirectURI must be one of the CallbackURLs.")
    providers = settings.get("SupportedIdentityProviders") or []
    known = _identity_providers.provider_names(ctx.store, pool["Id"])
    for name in providers:
        if name != "COGNITO" and name not in known:
            raise _errors.InvalidParameter(
                "The provider %s does not exist for User Pool %s" % (name, pool["Id"])
            )
