"""Managed login branding and terms documents, per app client.

Branding (CreateManagedLoginBranding, UpdateManagedLoginBranding,
DescribeManagedLoginBranding, DescribeManagedLoginBrandingByClient,
DeleteManagedLoginBranding): one style per client (ManagedLoginBrandingExistsException
for a second), ``Settings`` kept as the JSON document sent, ``Assets`` (40 at most,
each with the model's Category, ColorMode and Extension, 1 MB) kept; with
``UseCognitoProvidedValues`` true, Settings and Assets must be left out.
``ReturnMergedResources`` gives back what was stored (the emulator has no default
style to merge in).

Terms (CreateTerms, DescribeTerms, DescribeTermsByClient, ListTerms, UpdateTerms,
DeleteTerms):
``terms-of-use`` or ``privacy-policy`` per client (TermsExistsException), source
``LINK``, enforcement ``NONE``, 1-13 ``Links`` keyed ``cognito:<language>``.

Both are ``pool_documents`` keyed by a version-4 UUID (kinds ``branding``,
``terms``).
"""

import re
import uuid

from . import _documents, _errors
from ._documents import POOL
from ._registry import Field, action

_CLIENT_PATTERN = (r"^[\w+]+$", r"[\w+]+")
_CLIENT = Field("ClientId", required=True, min_len=1, max_len=128, pattern=_CLIENT_PATTERN)
_UUID = (
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$",
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[4][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$",
)
_CATEGORIES = (
    "FAVICON_ICO", "FAVICON_SVG", "EMAIL_GRAPHIC", "SMS_GRAPHIC", "AUTH_APP_GRAPHIC",
    "PASSWORD_GRAPHIC", "PASSKEY_GRAPHIC", "PAGE_HEADER_LOGO", "PAGE_HEADER_BACKGROUND",
    "PAGE_FOOTER_LOGO", "PAGE_FOOTER_BACKGROUND", "PAGE_BACKGROUND", "FORM_BACKGROUND",
    "FORM_LOGO", "IDP_BUTTON_ICON",
)  # fmt: skip
_LANGUAGES = re.compile(
    r"^cognito:(default|dutch|english|french|spanish|german|bahasa-indonesia|italian|"
    r"japanese|korean|portuguese-brazil|chinese-(simplified|traditional))$"
)


def _assets(assets):
    if assets is None:
        return []
    if len(assets) > 40:
        raise _errors.InvalidParameter("A branding style can have at most 40 assets.")
    for index, asset in enumerate(assets):
        label = "assets.%d.member" % (index + 1)
        for member, choices in (("Category", _CATEGORIES), ("ColorMode", ("LIGHT", "DARK",
                                "DYNAMIC")), ("Extension", ("ICO", "JPEG", "PNG", "SVG",
                                                            "WEBP"))):  # fmt: skip
            if asset.get(member) not in choices:
                raise _documents.validation_error(
                    [("%s.%s" % (label, member[0].lower() + member[1:]),
                      "Member must satisfy enum value set: [%s]" % ", ".join(choices),
                      asset.get(member))]
                )  # fmt: skip
        if len(asset.get("Bytes") or "") > 1400000:  # base64 of 1 MB
            raise _errors.InvalidParameter("An asset must be at most 1 MB.")
    return list(assets)


def _branding_body(body, document=None):
    document = dict(document or {})
    if body.get("UseCognitoProvidedValues"):
        if body.get("Settings") is not None or body.get("Assets"):
            raise _errors.InvalidParameter(
                "Settings and Assets cannot be given with UseCognitoProvidedValues true."
            )
        document.update({"UseCognitoProvidedValues": True, "Settings": {}, "Assets": []})
        return document
    document["UseCognitoProvidedValues"] = False
    if body.get("Settings") is not None:
        document["Settings"] = body["Settings"]
    if body.get("Assets") is not None:
        document["Assets"] = _assets(body["Assets"])
    document.setdefault("Settings", {})
    document.setdefault("Assets", [])
    return document


def _branding_shape(pool_id, key, found):
    document, created, modified = found
    return {"ManagedLoginBranding": {
        "ManagedLoginBrandingId": key, "UserPoolId": pool_id,
        "UseCognitoProvidedValues": document["UseCognitoProvidedValues"],
        "Settings": document["Settings"], "Assets": document["Assets"],
        "CreationDate": created, "LastModifiedDate": modified,
    }}  # fmt: skip


def _find_by_client(ctx, pool_id, kind, client_id, extra=None):
    for key, document, created, modified in _documents.all_of(ctx.store, pool_id, kind):
        if document["ClientId"] == client_id and all(
            document.get(name) == value for name, value in (extra or {}).items()
        ):
            return key, (document, created, modified)
    return None


_BRANDING = [Field("UseCognitoProvidedValues", "boolean"), Field("Settings", "object"),
             Field("Assets", "objects")]  # fmt: skip
_BRANDING_ID = Field("ManagedLoginBrandingId", required=True, pattern=_UUID)


@action("CreateManagedLoginBranding", fields=[POOL, _CLIENT, *_BRANDING], public=False)
def create_managed_login_branding(ctx, body):
    """CreateManagedLoginBranding: a managed login style for one app client."""
    pool, client = _documents.client(ctx, body["UserPoolId"], body["ClientId"])
    if _find_by_client(ctx, pool["Id"], "branding", client["ClientId"]) is not None:
        raise _errors.ServiceError(
            "ManagedLoginBrandingExistsException",
            "The app client already has a managed login branding style.",
        )
    document = _branding_body(body)
    document["ClientId"] = client["ClientId"]
    key = str(uuid.uuid4())
    _documents.put(ctx.store, pool["Id"], "branding", key, document, ctx.now())
    return _branding_shape(pool["Id"], key, _documents.get(ctx.store, pool["Id"], "branding", key))


def _branding(ctx, pool_id, key):
    found = _documents.get(ctx.store, pool_id, "branding", key)
    if found is None:
        raise _errors.ResourceNotFound("Managed login branding %s does not exist." % key)
    return found


@action(
    "UpdateManagedLoginBranding",
    fields=[Field("UserPoolId", required=True, min_len=1, max_len=55,
                  pattern=_documents.POOL_ID_PATTERN),
            Field("ManagedLoginBrandingId", required=True, pattern=_UUID), *_BRANDING],
    public=False,
)  # fmt: skip
def update_managed_login_branding(ctx, body):
    """UpdateManagedLoginBranding: new settings or assets for a style."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    key = body["ManagedLoginBrandingId"]
    document = _branding_body(body, _branding(ctx, pool["Id"], key)[0])
    _documents.put(ctx.store, pool["Id"], "branding", key, document, ctx.now())
    return _branding_shape(pool["Id"], key, _documents.get(ctx.store, pool["Id"], "branding", key))


@action(
    "DescribeManagedLoginBranding",
    fields=[POOL, _BRANDING_ID, Field("ReturnMergedResources", "boolean")],
    public=False,
)
def describe_managed_login_branding(ctx, body):
    """DescribeManagedLoginBranding: one style by id."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    key = body["ManagedLoginBrandingId"]
    return _branding_shape(pool["Id"], key, _branding(ctx, pool["Id"], key))


@action(
    "DescribeManagedLoginBrandingByClient",
    fields=[POOL, _CLIENT, Field("ReturnMergedResources", "boolean")],
    public=False,
)
def describe_managed_login_branding_by_client(ctx, body):
    """DescribeManagedLoginBrandingByClient: the style of one app client."""
    pool, client = _documents.client(ctx, body["UserPoolId"], body["ClientId"])
    found = _find_by_client(ctx, pool["Id"], "branding", client["ClientId"])
    if found is None:
        raise _errors.ResourceNotFound("The app client has no managed login branding style.")
    return _branding_shape(pool["Id"], found[0], found[1])


@action("DeleteManagedLoginBranding", fields=[_BRANDING_ID, POOL], public=False)
def delete_managed_login_branding(ctx, body):
    """DeleteManagedLoginBranding: the client falls back to Cognito's style."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    _branding(ctx, pool["Id"], body["ManagedLoginBrandingId"])
    _documents.delete(ctx.store, pool["Id"], "branding", body["ManagedLoginBrandingId"])
    return {}


# Terms -------------------------------------------------------------------------------

_TERMS_NAMES = ("terms-of-use", "privacy-policy")
_TERMS_ID = Field("TermsId", required=True, pattern=_UUID)


def _links(links):
    if not 1 <= len(links) <= 13:
        raise _documents.validation_error(
            [("links", "Member must have length between 1 and 13", None)]
        )
    for language, url in links.items():
        if not _LANGUAGES.match(language):
            raise _errors.InvalidParameter("Invalid Links key %s: use cognito:<language>."
                                           % language)  # fmt: skip
        if not isinstance(url, str) or not 1 <= len(url) <= 1024 or re.search(r"\s", url):
            raise _errors.InvalidParameter("Invalid link for %s." % language)
    return dict(links)


def _terms_shape(pool_id, key, found):
    document, created, modified = found
    return {"Terms": {
        "TermsId": key, "UserPoolId": pool_id, "ClientId": document["ClientId"],
        "TermsName": document["TermsName"], "TermsSource": document["TermsSource"],
        "Enforcement": document["Enforcement"], "Links": document["Links"],
        "CreationDate": created, "LastModifiedDate": modified,
    }}  # fmt: skip


def _terms(ctx, pool_id, key):
    found = _documents.get(ctx.store, pool_id, "terms", key)
    if found is None:
        raise _errors.ResourceNotFound("Terms %s do not exist." % key)
    return found


def _terms_exists(name):
    return _errors.ServiceError("TermsExistsException",
                                "The app client already has %s terms." % name)  # fmt: skip


@action(
    "CreateTerms",
    fields=[POOL, _CLIENT, Field("TermsName", required=True, choices=list(_TERMS_NAMES)),
            Field("TermsSource", required=True, choices=["LINK"]),
            Field("Enforcement", required=True, choices=["NONE"]), Field("Links", "map")],
    public=False,
)  # fmt: skip
def create_terms(ctx, body):
    """CreateTerms: links to terms of use or a privacy policy for managed login."""
    pool, client = _documents.client(ctx, body["UserPoolId"], body["ClientId"])
    name = body["TermsName"]
    if _find_by_client(ctx, pool["Id"], "terms", client["ClientId"],
                       {"TermsName": name}) is not None:  # fmt: skip
        raise _terms_exists(name)
    document = {"ClientId": client["ClientId"], "TermsName": name, "TermsSource": "LINK",
                "Enforcement": "NONE", "Links": _links(body.get("Links") or {})}  # fmt: skip
    key = str(uuid.uuid4())
    _documents.put(ctx.store, pool["Id"], "terms", key, document, ctx.now())
    return _terms_shape(pool["Id"], key, _documents.get(ctx.store, pool["Id"], "terms", key))


@action("DescribeTerms", fields=[_TERMS_ID, POOL], public=False)
def describe_terms(ctx, body):
    """DescribeTerms: one terms document."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    return _terms_shape(pool["Id"], body["TermsId"], _terms(ctx, pool["Id"], body["TermsId"]))


@action(
    "ListTerms",
    fields=[POOL, Field("MaxResults", "integer"),
            Field("NextToken", min_len=1, pattern=_documents.NEXT_TOKEN_PATTERN)],
    public=False,
)  # fmt: skip
def list_terms(ctx, body):
    """ListTerms: the pool's terms (id, name, enforcement, dates)."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    _documents.check_range(body, "MaxResults", 1, 60)
    rows = _documents.all_of(ctx.store, pool["Id"], "terms")
    size = body.get("MaxResults") or 60
    chosen, token = _documents.page(rows, lambda row: [row[2], row[0]], size,
                                    body.get("NextToken"))  # fmt: skip
    answer = {"Terms": [
        {"TermsId": key, "TermsName": document["TermsName"],
         "Enforcement": document["Enforcement"], "CreationDate": created,
         "LastModifiedDate": modified}
        for key, document, created, modified in chosen
    ]}  # fmt: skip
    if token:
        answer["NextToken"] = token
    return answer


@action(
    "UpdateTerms",
    fields=[_TERMS_ID, POOL, Field("TermsName", choices=list(_TERMS_NAMES)),
            Field("TermsSource", choices=["LINK"]), Field("Enforcement", choices=["NONE"]),
            Field("Links", "map")],
    public=False,
)  # fmt: skip
def update_terms(ctx, body):
    """UpdateTerms: change the name or links of a terms document."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    key = body["TermsId"]
    document = _terms(ctx, pool["Id"], key)[0]
    name = body.get("TermsName")
    if name and name != document["TermsName"]:
        other = _find_by_client(ctx, pool["Id"], "terms", document["ClientId"],
                                {"TermsName": name})  # fmt: skip
        if other is not None:
            raise _terms_exists(name)
        document["TermsName"] = name
    if body.get("Links") is not None:
        document["Links"] = _links(body["Links"])
    _documents.put(ctx.store, pool["Id"], "terms", key, document, ctx.now())
    return _terms_shape(pool["Id"], key, _documents.get(ctx.store, pool["Id"], "terms", key))


@action("DeleteTerms", fields=[_TERMS_ID, POOL], public=False)
def delete_terms(ctx, body):
    """DeleteTerms: the terms document is gone."""
    pool = _documents.pool(ctx, body["UserPoolId"])
    _terms(ctx, pool["Id"], body["TermsId"])
    _documents.delete(ctx.store, pool["Id"], "terms", body["TermsId"])
    return {}


@action(
    "DescribeTermsByClient",
    fields=[_CLIENT, POOL, Field("TermsName", required=True, choices=list(_TERMS_NAMES))],
    public=False,
)
def describe_terms_by_client(ctx, body):
    """DescribeTermsByClient: an app client's terms of use or privacy policy."""
    pool, client = _documents.client(ctx, body["UserPoolId"], body["ClientId"])
    found = _find_by_client(ctx, pool["Id"], "terms", client["ClientId"],
                            {"TermsName": body["TermsName"]})  # fmt: skip
    if found is None:
        raise _errors.ResourceNotFound("The app client has no %s terms." % body["TermsName"])
    return _terms_shape(pool["Id"], found[0], found[1])
