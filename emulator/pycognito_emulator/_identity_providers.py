"""Third-party identity providers of a pool: CreateIdentityProvider,
DescribeIdentityProvider, UpdateIdentityProvider, DeleteIdentityProvider,
ListIdentityProviders, GetIdentityProviderByIdentifier.

Each is a ``pool_documents`` row of kind ``identity_provider`` keyed by ProviderName.
Validation as Cognito's:

* ProviderName: 3-32 characters with no spaces, no ``_`` first or after the second
  character; ``Cognito`` is reserved. A social provider's name is its type (``Google``,
  ``Facebook``, ``LoginWithAmazon``, ``SignInWithApple``).
* ProviderDetails, the keys each type needs: Google, Facebook, LoginWithAmazon
  ``client_id``, ``client_secret``, ``authorize_scopes``; SignInWithApple
  ``client_id``, ``team_id``, ``key_id``, ``private_key``, ``authorize_scopes``;
  OIDC ``client_id``, ``attributes_request_method`` (GET or POST), ``oidc_issuer``,
  ``authorize_scopes`` (with ``openid``); SAML exactly one of ``MetadataURL`` or
  ``MetadataFile`` (an XML EntityDescriptor), ``IDPSignout`` / ``IDPInit`` /
  ``EncryptedResponses`` ``true`` or ``false``. URLs are https, except on loopback
  (so a second pool of this emulator can be an OIDC provider). Unknown keys are
  refused.
* AttributeMapping: keys are the pool's attributes (or ``username``), at most 32
  characters; values the provider's claim names.
* IdpIdentifiers: up to 50, unique across the pool's providers
  (DuplicateProviderException).
* 300 providers a pool (LimitExceededException).

Describe answers with what Cognito fills in: the social providers' fixed endpoints,
``attributes_url_add_attributes``, and the default ``username`` mapping (``sub``,
Facebook ``id``, LoginWithAmazon ``user_id``); SignInWithApple's ``private_key`` is not
given back. An OIDC provider named by its issuer alone keeps it: discovery happens
where the provider is used (managed login), not here, since an offline emulator
cannot reach most issuers. UpdateIdentityProvider changes what it is given.
ListIdentityProviders: by ProviderName, MaxResults 0-60 (0 or none: 60).
"""

import re
import urllib.parse
import xml.etree.ElementTree as ElementTree

from . import _documents, _errors
from ._documents import POOL
from ._registry import Field, action

KIND = "identity_provider"
MAX_PROVIDERS = 300
TYPES = ("SAML", "Facebook", "Google", "LoginWithAmazon", "SignInWithApple", "OIDC")
SOCIAL = ("Facebook", "Google", "LoginWithAmazon", "SignInWithApple")
_NAME_PATTERN = (
    r"^[^_\s][^\s\x00-\x1f][^_\s]+$",
    r"[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+",
)
_IDENTIFIER = re.compile(r"^[\w\s+=.@-]{1,40}$")
_SAML_NS = "urn:oasis:names:tc:SAML:2.0:metadata"
_REDIRECT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
_LOOPBACK = ("localhost", "127.0.0.1", "[::1]", "::1")

# Per type: (required keys, optional keys, what Describe adds).
_DETAILS = {
    "Google": (
        ("client_id", "client_secret", "authorize_scopes"), (),
        {"attributes_url": "https://people.googleapis.com/v1/people/me?personFields=",
         "attributes_url_add_attributes": "true",
         "authorize_url": "https://accounts.google.com/o/oauth2/v2/auth",
         "oidc_issuer": "https://accounts.google.com", "token_request_method": "POST",
         "token_url": "https://www.googleapis.com/oauth2/v4/token"},
    ),
    "Facebook": (
        ("client_id", "client_secret", "authorize_scopes"), ("api_version",),
        {"attributes_url_add_attributes": "true", "token_request_method": "GET"},
    ),
    "LoginWithAmazon": (
        ("client_id", "client_secret", "authorize_scopes"), (),
        {"attributes_url": "https://api.amazon.com/user/profile",
         "attributes_url_add_attributes": "false",
         "authorize_url": "https://www.amazon.com/ap/oa", "token_request_method": "POST",
         "token_url": "https://api.amazon.com/auth/o2/token"},
    ),
    "SignInWithApple": (
        ("client_id", "team_id", "key_id", "private_key", "authorize_scopes"), (),
        {"attributes_url_add_attributes": "false",
         "authorize_url": "https://appleid.apple.com/auth/authorize",
         "oidc_issuer": "https://appleid.apple.com", "token_request_method": "POST",
         "token_url": "https://appleid.apple.com/auth/token"},
    ),
    "OIDC": (
        ("client_id", "attributes_request_method", "oidc_issuer", "authorize_scopes"),
        ("client_secret", "authorize_url", "token_url", "attributes_url", "jwks_uri"),
        {"attributes_url_add_attributes": "false"},
    ),
    "SAML": (
        (), ("MetadataURL", "MetadataFile", "IDPSignout", "IDPInit", "EncryptedResponses",
             "RequestSigningAlgorithm"),
        {},
    ),
}  # fmt: skip
_DEFAULT_USERNAME = {"Google": "sub", "Facebook": "id", "LoginWithAmazon": "user_id",
                     "SignInWithApple": "sub", "OIDC": "sub"}  # fmt: skip
_URL_KEYS = ("oidc_issuer", "authorize_url", "token_url", "attributes_url", "jwks_uri",
             "MetadataURL")  # fmt: skip
_PROVIDER_NAME = Field("ProviderName", required=True, min_len=1, max_len=32)


def _url_ok(value):
    try:
        parts = urllib.parse.urlsplit(value)
    except ValueError:
        return False
    if not parts.netloc or parts.fragment:
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in _LOOPBACK)


def _saml_metadata(text):
    """The SSO redirect URL of a SAML metadata document (InvalidParameter if not one)."""
    try:
        root = ElementTree.fromstring(text)
    except (ElementTree.ParseError, ValueError):
        raise _errors.InvalidParameter(
            "Invalid SAML metadata: not a well-formed XML document."
        ) from None
    if root.tag != "{%s}EntityDescriptor" % _SAML_NS:
        raise _errors.InvalidParameter("Invalid SAML metadata: no EntityDescriptor.")
    for service in root.iter("{%s}SingleSignOnService" % _SAML_NS):
        if service.get("Binding") == _REDIRECT_BINDING and service.get("Location"):
            return service.get("Location")
    raise _errors.InvalidParameter("Invalid SAML metadata: no SingleSignOnService with the "
                                   "HTTP-Redirect binding.")  # fmt: skip


def _details(kind, details):
    """Checked ProviderDetails (what is kept), or InvalidParameterException."""
    required, optional, _ = _DETAILS[kind]
    for key, value in details.items():
        if key not in required and key not in optional:
            raise _errors.InvalidParameter("%s is not a valid ProviderDetails key for %s."
                                           % (key, kind))  # fmt: skip
        if not isinstance(value, str):
            raise _errors.InvalidParameter("ProviderDetails %s must be a string." % key)
    missing = [key for key in required if not details.get(key)]
    if missing:
        raise _errors.InvalidParameter("%s is required in ProviderDetails for %s."
                                       % (missing[0], kind))  # fmt: skip
    for key in _URL_KEYS:
        if key in details and not _url_ok(details[key]):
            raise _errors.InvalidParameter("ProviderDetails %s must be an https URL." % key)
    if kind == "OIDC":
        if details["attributes_request_method"] not in ("GET", "POST"):
            raise _errors.InvalidParameter("attributes_request_method must be GET or POST.")
        if "openid" not in details["authorize_scopes"].split():
            raise _errors.InvalidParameter("authorize_scopes must include openid for OIDC.")
    if kind == "SAML":
        given = [key for key in ("MetadataURL", "MetadataFile") if details.get(key)]
        if len(given) != 1:
            raise _errors.InvalidParameter(
                "Exactly one of MetadataURL or MetadataFile is required for SAML."
            )
        for key in ("IDPSignout", "IDPInit", "EncryptedResponses"):
            if key in details and details[key] not in ("true", "false"):
                raise _errors.InvalidParameter("%s must be true or false." % key)
        if details.get("RequestSigningAlgorithm") not in (None, "rsa-sha256"):
            raise _errors.InvalidParameter("RequestSigningAlgorithm must be rsa-sha256.")
        if details.get("MetadataFile"):
            _saml_metadata(details["MetadataFile"])
    return dict(details)


def _mapping(pool, mapping):
    for key, value in (mapping or {}).items():
        if key != "username" and key not in pool["Schema"]:
            raise _errors.InvalidParameter(
                "Attribute mapping key %s is not an attribute of the user pool." % key
            )
        if key == "sub":
            raise _errors.InvalidParameter("The sub attribute cannot be mapped.")
        if not 1 <= len(key) <= 32 or not isinstance(value, str) or len(value) > 131072:
            raise _errors.InvalidParameter("Invalid AttributeMapping entry %s." % key)
    return dict(mapping or {})


def _identifiers(ctx, pool_id, name, identifiers):
    if identifiers is None:
        return None
    if len(identifiers) > 50:
        raise _documents.validation_error(
            [("idpIdentifiers", "Member must have length less than or equal to 50", None)]
        )
    for identifier in identifiers:
        if not _IDENTIFIER.match(identifier):
            raise _documents.validation_error(
                [("idpIdentifiers.member", "Member must satisfy regular expression pattern: "
                  "[\\w\\s+=.@-]+", identifier)]
            )  # fmt: skip
    if len(set(identifiers)) != len(identifiers):
        raise _errors.ServiceError("DuplicateProviderException", "Duplicate IdpIdentifier.")
    for other, document, _, _ in _documents.all_of(ctx.store, pool_id, KIND):
        if other != name and set(document.get("IdpIdentifiers") or ()) & set(identifiers):
            raise _errors.ServiceError(
                "DuplicateProviderException", "An identity provider already uses an IdpIdentifier"
                " of this request: %s." % other,
            )  # fmt: skip
    return list(identifiers)


def _acr(mapping):
    if mapping is None:
        return None
    if len(mapping) > 4 or any(not re.match(r"^Level[1-4]$", key) for key in mapping):
        raise _errors.InvalidParameter("AcrMapping keys are Level1 to Level4.")
    return dict(mapping)


def _shape(pool_id, name, document, created, modified):
    kind = document["ProviderType"]
    details = dict(_DETAILS[kind][2])
    if kind == "Facebook":
        version = document["ProviderDetails"].get("api_version", "v17.0")
        details.update({
            "api_version": version,
            "attributes_url": "https://graph.facebook.com/%s/me?fields=" % version,
            "authorize_url": "https://www.facebook.com/%s/dialog/oauth" % version,
            "token_url": "https://graph.facebook.com/%s/oauth/access_token" % version,
        })  # fmt: skip
    details.update(document["ProviderDetails"])
    if kind == "SignInWithApple":
        details.pop("private_key", None)
    if kind == "SAML" and details.get("MetadataFile"):
        details["SSORedirectBindingURI"] = _saml_metadata(details["MetadataFile"])
    mapping = dict(document.get("AttributeMapping") or {})
    if kind in _DEFAULT_USERNAME:
        mapping.setdefault("username", _DEFAULT_USERNAME[kind])
    shape = {
        "UserPoolId": pool_id,
        "ProviderName": name,
        "ProviderType": kind,
        "ProviderDetails": details,
        "AttributeMapping": mapping,
        "IdpIdentifiers": document.get("IdpIdentifiers") or [],
        "LastModifiedDate": modified,
        "CreationDate": created,
    }
    if document.get("AcrMapping"):
        shape["AcrMapping"] = document["AcrMapping"]
    return shape


def _provider(ctx, pool_id, name):
    found = _documents.get(ctx.store, pool_id, KIND, name)
    if found is None:
        raise _errors.ResourceNotFound("Identity provider %s does not exist." % name)
    return found


_SETTINGS = [
    Field("ProviderDetails", "map"), Field("AttributeMapping", "map"),
    Field("IdpIdentifiers", "strings"), Field("AcrMapping", "map"),
]  # fmt: skip


@action(
    "CreateIdentityProvider",
    fields=[POOL, Field("ProviderName", required=True, min_len=1, max_len=32,
                        pattern=_NAME_PATTERN),
            Field("ProviderType", required=True, choices=list(TYPES)), *_SETTINGS],
    public=False,
)  # fmt: skip
def create_identity_provider(ctx, body):
    """CreateIdentityProvider: a SAML, OIDC or social provider of the pool."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    name, kind = body["ProviderName"], body["ProviderType"]
    if body.get("ProviderDetails") is None:
        raise _documents.validation_error([("providerDetails", "Member must not be null", None)])
    if name.lower() == "cognito":
        raise _errors.InvalidParameter("The provider name Cognito is reserved.")
    if kind in SOCIAL and name != kind:
        raise _errors.InvalidParameter("The name of a %s provider must be %s." % (kind, kind))
    if kind not in SOCIAL and name in SOCIAL:
        raise _errors.InvalidParameter("%s is reserved for the %s provider type." % (name, name))
    if _documents.get(ctx.store, pool["Id"], KIND, name) is not None:
        raise _errors.ServiceError(
            "DuplicateProviderException", "A provider with the name %s already exists." % name
        )
    if len(_documents.all_of(ctx.store, pool["Id"], KIND)) >= MAX_PROVIDERS:
        raise _errors.LimitExceeded(
            "The user pool has reached its limit of %d identity providers." % MAX_PROVIDERS
        )
    document = {
        "ProviderType": kind,
        "ProviderDetails": _details(kind, body["ProviderDetails"]),
        "AttributeMapping": _mapping(pool, body.get("AttributeMapping")),
        "IdpIdentifiers": _identifiers(ctx, pool["Id"], name, body.get("IdpIdentifiers")) or [],
    }
    acr = _acr(body.get("AcrMapping"))
    if acr:
        document["AcrMapping"] = acr
    now = ctx.now()
    _documents.put(ctx.store, pool["Id"], KIND, name, document, now)
    return {"IdentityProvider": _shape(pool["Id"], name, document, now, now)}


@action("DescribeIdentityProvider", fields=[POOL, _PROVIDER_NAME], public=False)
def describe_identity_provider(ctx, body):
    """DescribeIdentityProvider: one provider, with what Cognito fills in."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    document, created, modified = _provider(ctx, pool["Id"], body["ProviderName"])
    shape = _shape(pool["Id"], body["ProviderName"], document, created, modified)
    return {"IdentityProvider": shape}


@action("UpdateIdentityProvider", fields=[POOL, _PROVIDER_NAME, *_SETTINGS], public=False)
def update_identity_provider(ctx, body):
    """UpdateIdentityProvider: the details, mapping, identifiers or ACR mapping given."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    name = body["ProviderName"]
    document, created, _ = _provider(ctx, pool["Id"], name)
    kind = document["ProviderType"]
    if body.get("ProviderDetails") is not None:
        merged = dict(document["ProviderDetails"])
        merged.update(body["ProviderDetails"])
        if kind == "SAML":  # one metadata source replaces the other
            for key in ("MetadataURL", "MetadataFile"):
                if key in body["ProviderDetails"]:
                    other = "MetadataFile" if key == "MetadataURL" else "MetadataURL"
                    if other not in body["ProviderDetails"]:
                        merged.pop(other, None)
        document["ProviderDetails"] = _details(kind, merged)
    if body.get("AttributeMapping") is not None:
        document["AttributeMapping"] = _mapping(pool, body["AttributeMapping"])
    if body.get("IdpIdentifiers") is not None:
        document["IdpIdentifiers"] = _identifiers(ctx, pool["Id"], name, body["IdpIdentifiers"])
    if body.get("AcrMapping") is not None:
        document["AcrMapping"] = _acr(body["AcrMapping"])
    now = ctx.now()
    _documents.put(ctx.store, pool["Id"], KIND, name, document, now)
    return {"IdentityProvider": _shape(pool["Id"], name, document, created, now)}


@action("DeleteIdentityProvider", fields=[POOL, _PROVIDER_NAME], public=False)
def delete_identity_provider(ctx, body):
    """DeleteIdentityProvider: the provider is gone (app clients keep their lists)."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    _provider(ctx, pool["Id"], body["ProviderName"])
    _documents.delete(ctx.store, pool["Id"], KIND, body["ProviderName"])
    return {}


@action(
    "ListIdentityProviders",
    fields=[POOL, Field("MaxResults", "integer"),
            Field("NextToken", min_len=1, pattern=_documents.NEXT_TOKEN_PATTERN)],
    public=False,
)  # fmt: skip
def list_identity_providers(ctx, body):
    """ListIdentityProviders: name, type and dates of each provider, by name."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    size = _documents.limit(body, "MaxResults")
    rows = _documents.all_of(ctx.store, pool["Id"], KIND)
    chosen, token = _documents.page(rows, lambda row: [row[0]], size, body.get("NextToken"))
    answer = {
        "Providers": [
            {"ProviderName": name, "ProviderType": document["ProviderType"],
             "LastModifiedDate": modified, "CreationDate": created}
            for name, document, created, modified in chosen
        ]
    }  # fmt: skip
    if token:
        answer["NextToken"] = token
    return answer


@action(
    "GetIdentityProviderByIdentifier",
    fields=[POOL, Field("IdpIdentifier", required=True, min_len=1, max_len=40,
                        pattern=(r"^[\w\s+=.@-]+$", r"[\w\s+=.@-]+"))],
    public=False,
)  # fmt: skip
def get_identity_provider_by_identifier(ctx, body):
    """GetIdentityProviderByIdentifier: the provider that has this IdpIdentifier."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    for name, document, created, modified in _documents.all_of(ctx.store, pool["Id"], KIND):
        if body["IdpIdentifier"] in (document.get("IdpIdentifiers") or ()):
            return {"IdentityProvider": _shape(pool["Id"], name, document, created, modified)}
    raise _errors.ResourceNotFound("Identity provider with identifier %s does not exist."
                                   % body["IdpIdentifier"])  # fmt: skip


def provider_names(store, pool_id):
    """The names of the pool's identity providers."""
    return {name for name, _, _, _ in _documents.all_of(store, pool_id, KIND)}
