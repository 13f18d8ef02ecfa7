"""The configuration managed login uses, through boto3: domains, resource servers and
their scopes, identity providers, and an app client's OAuth settings."""

import pytest
from emu_admin import admin_client, error_of, new_pool
from emu_helpers import unique

CERT = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-1111-2222-3333-444444444444"
GOOGLE = {
    "client_id": "1example.apps.googleusercontent.com",
    "client_secret": "s3cret",
    "authorize_scopes": "email profile openid",
}
OIDC = {
    "client_id": "oidc-client",
    "attributes_request_method": "GET",
    "oidc_issuer": "https://issuer.example.com",
    "authorize_scopes": "openid email",
}
SAML_METADATA = (
    '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
    'entityID="https://idp.example.com"><md:IDPSSODescriptor '
    'protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
    '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" '
    'Location="https://idp.example.com/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>'
)


@pytest.fixture
def idp(emulator):
    return admin_client(emulator)


# Domains -----------------------------------------------------------------------------


def test_prefix_and_custom_domains(idp):
    pool_id, _ = new_pool(idp)
    prefix = unique("login").lower()
    assert (
        idp.create_user_pool_domain(Domain=prefix, UserPoolId=pool_id)["ManagedLoginVersion"] == 1
    )
    custom = "auth.%s.example.com" % prefix
    answer = idp.create_user_pool_domain(
        Domain=custom,
        UserPoolId=pool_id,
        ManagedLoginVersion=2,
        CustomDomainConfig={"CertificateArn": CERT},
    )
    assert answer["CloudFrontDomain"].endswith(".cloudfront.net")
    pool = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert pool["Domain"] == prefix and pool["CustomDomain"] == custom

    described = idp.describe_user_pool_domain(Domain=prefix)["DomainDescription"]
    assert described["UserPoolId"] == pool_id and described["Status"] == "ACTIVE"
    assert described["Domain"] == prefix and "CustomDomainConfig" not in described
    described = idp.describe_user_pool_domain(Domain=custom)["DomainDescription"]
    assert described["CustomDomainConfig"] == {"CertificateArn": CERT}
    assert described["ManagedLoginVersion"] == 2
    assert idp.describe_user_pool_domain(Domain="nobody-has-this")["DomainDescription"] == {}

    idp.update_user_pool_domain(Domain=prefix, UserPoolId=pool_id, ManagedLoginVersion=2)
    assert (
        idp.describe_user_pool_domain(Domain=prefix)["DomainDescription"]["ManagedLoginVersion"]
        == 2
    )

    # Taken by this pool or another; a second prefix; reserved words; bad names.
    other, _ = new_pool(idp)
    code, message = error_of(idp.create_user_pool_domain, Domain=prefix, UserPoolId=other)
    assert code == "InvalidParameterException" and "another user pool" in message
    code, _ = error_of(idp.create_user_pool_domain, Domain=prefix + "2", UserPoolId=pool_id)
    assert code == "InvalidParameterException"
    for bad in ("my-cognito-app", "my-aws-app", "amazonian", "Upper", "-dash", "dots.not.allowed"):
        code, _ = error_of(idp.create_user_pool_domain, Domain=bad, UserPoolId=other)
        assert code == "InvalidParameterException", bad
    code, _ = error_of(
        idp.create_user_pool_domain,
        Domain="nodots",
        UserPoolId=other,
        CustomDomainConfig={"CertificateArn": CERT},
    )
    assert code == "InvalidParameterException"
    code, _ = error_of(
        idp.create_user_pool_domain, Domain=prefix + "x", UserPoolId=other, ManagedLoginVersion=3
    )
    assert code == "InvalidParameterException"
    code, message = error_of(idp.delete_user_pool_domain, Domain=prefix, UserPoolId=other)
    assert (code, message) == ("InvalidParameterException", "No such domain or user pool exists.")

    idp.delete_user_pool_domain(Domain=prefix, UserPoolId=pool_id)
    assert "Domain" not in idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    idp.create_user_pool_domain(Domain=prefix, UserPoolId=other)  # free again
    assert idp.describe_user_pool_domain(Domain=prefix)["DomainDescription"]["UserPoolId"] == other
    # Deleting a pool frees its domains.
    idp.delete_user_pool(UserPoolId=other)
    assert idp.describe_user_pool_domain(Domain=prefix)["DomainDescription"] == {}


# Resource servers --------------------------------------------------------------------


def test_resource_servers(idp):
    pool_id, _ = new_pool(idp)
    scopes = [
        {"ScopeName": "read", "ScopeDescription": "Read"},
        {"ScopeName": "write", "ScopeDescription": "Write"},
    ]
    created = idp.create_resource_server(
        UserPoolId=pool_id, Identifier="https://api.example.com", Name="API", Scopes=scopes
    )["ResourceServer"]
    assert created == {
        "UserPoolId": pool_id,
        "Identifier": "https://api.example.com",
        "Name": "API",
        "Scopes": scopes,
    }
    assert (
        idp.describe_resource_server(UserPoolId=pool_id, Identifier="https://api.example.com")[
            "ResourceServer"
        ]
        == created
    )
    idp.create_resource_server(UserPoolId=pool_id, Identifier="billing", Name="Billing")
    listed = idp.list_resource_servers(UserPoolId=pool_id, MaxResults=1)
    assert [s["Identifier"] for s in listed["ResourceServers"]] == ["billing"]
    rest = idp.list_resource_servers(
        UserPoolId=pool_id, MaxResults=1, NextToken=listed["NextToken"]
    )
    assert [s["Identifier"] for s in rest["ResourceServers"]] == ["https://api.example.com"]
    assert "NextToken" not in rest

    updated = idp.update_resource_server(UserPoolId=pool_id, Identifier="billing", Name="Pay")
    assert updated["ResourceServer"]["Name"] == "Pay" and updated["ResourceServer"]["Scopes"] == []

    code, _ = error_of(
        idp.create_resource_server, UserPoolId=pool_id, Identifier="billing", Name="Again"
    )
    assert code == "InvalidParameterException"
    code, _ = error_of(
        idp.create_resource_server,
        UserPoolId=pool_id,
        Identifier="dup",
        Name="Dup",
        Scopes=[scopes[0], scopes[0]],
    )
    assert code == "InvalidParameterException"
    code, _ = error_of(
        idp.create_resource_server,
        UserPoolId=pool_id,
        Identifier="slash",
        Name="Slash",
        Scopes=[{"ScopeName": "a/b", "ScopeDescription": "x"}],
    )
    assert code == "InvalidParameterException"
    code, _ = error_of(idp.describe_resource_server, UserPoolId=pool_id, Identifier="ghost")
    assert code == "ResourceNotFoundException"
    idp.delete_resource_server(UserPoolId=pool_id, Identifier="billing")
    code, _ = error_of(idp.delete_resource_server, UserPoolId=pool_id, Identifier="billing")
    assert code == "ResourceNotFoundException"


# Identity providers ------------------------------------------------------------------


def test_identity_providers(idp):
    pool_id, _ = new_pool(idp, Schema=[{"Name": "email", "Required": False}])
    google = idp.create_identity_provider(
        UserPoolId=pool_id,
        ProviderName="Google",
        ProviderType="Google",
        ProviderDetails=GOOGLE,
        AttributeMapping={"email": "email"},
    )["IdentityProvider"]
    assert (
        google["ProviderDetails"]["authorize_url"] == "https://accounts.google.com/o/oauth2/v2/auth"
    )
    assert google["ProviderDetails"]["client_id"] == GOOGLE["client_id"]
    assert google["AttributeMapping"] == {"email": "email", "username": "sub"}

    oidc = idp.create_identity_provider(
        UserPoolId=pool_id,
        ProviderName="Corp",
        ProviderType="OIDC",
        ProviderDetails=OIDC,
        IdpIdentifiers=["corp.example.com"],
    )["IdentityProvider"]
    assert oidc["IdpIdentifiers"] == ["corp.example.com"]
    found = idp.get_identity_provider_by_identifier(
        UserPoolId=pool_id, IdpIdentifier="corp.example.com"
    )
    assert found["IdentityProvider"]["ProviderName"] == "Corp"

    saml = idp.create_identity_provider(
        UserPoolId=pool_id,
        ProviderName="Okta",
        ProviderType="SAML",
        ProviderDetails={"MetadataFile": SAML_METADATA, "IDPSignout": "true"},
    )["IdentityProvider"]
    assert saml["ProviderDetails"]["SSORedirectBindingURI"] == "https://idp.example.com/sso"

    apple = idp.create_identity_provider(
        UserPoolId=pool_id,
        ProviderName="SignInWithApple",
        ProviderType="SignInWithApple",
        ProviderDetails={
            "client_id": "com.example",
            "team_id": "T",
            "key_id": "K",
            "private_key": "PRIVATE",
            "authorize_scopes": "email name",
        },
    )["IdentityProvider"]
    assert "private_key" not in apple["ProviderDetails"]

    listed = idp.list_identity_providers(UserPoolId=pool_id)["Providers"]
    assert [(p["ProviderName"], p["ProviderType"]) for p in listed] == [
        ("Corp", "OIDC"),
        ("Google", "Google"),
        ("Okta", "SAML"),
        ("SignInWithApple", "SignInWithApple"),
    ]

    updated = idp.update_identity_provider(
        UserPoolId=pool_id,
        ProviderName="Corp",
        ProviderDetails={"client_id": "renamed"},
        AttributeMapping={"email": "mail"},
    )["IdentityProvider"]
    assert updated["ProviderDetails"]["client_id"] == "renamed"
    assert updated["ProviderDetails"]["oidc_issuer"] == OIDC["oidc_issuer"]
    assert updated["AttributeMapping"]["email"] == "mail"

    refusals = [
        dict(ProviderName="Google", ProviderType="Google", ProviderDetails=GOOGLE),
        dict(ProviderName="Gmail", ProviderType="Google", ProviderDetails=GOOGLE),
        dict(
            ProviderName="Other",
            ProviderType="OIDC",
            ProviderDetails={k: v for k, v in OIDC.items() if k != "oidc_issuer"},
        ),
        dict(
            ProviderName="Plain",
            ProviderType="OIDC",
            ProviderDetails=dict(OIDC, oidc_issuer="http://issuer.example.com"),
        ),
        dict(
            ProviderName="NoOpenid",
            ProviderType="OIDC",
            ProviderDetails=dict(OIDC, authorize_scopes="email"),
        ),
        dict(
            ProviderName="Both",
            ProviderType="SAML",
            ProviderDetails={
                "MetadataFile": SAML_METADATA,
                "MetadataURL": "https://idp.example.com/md",
            },
        ),
        dict(ProviderName="BadXml", ProviderType="SAML", ProviderDetails={"MetadataFile": "<x"}),
        dict(
            ProviderName="Mapped",
            ProviderType="OIDC",
            ProviderDetails=OIDC,
            AttributeMapping={"no_such_attribute": "x"},
        ),
        dict(ProviderName="Extra", ProviderType="OIDC", ProviderDetails=dict(OIDC, junk="1")),
        dict(
            ProviderName="Same",
            ProviderType="OIDC",
            ProviderDetails=OIDC,
            IdpIdentifiers=["corp.example.com"],
        ),
        dict(ProviderName="Cognito", ProviderType="OIDC", ProviderDetails=OIDC),
    ]
    codes = [
        error_of(idp.create_identity_provider, UserPoolId=pool_id, **request)[0]
        for request in refusals
    ]
    assert codes == ["DuplicateProviderException"] + ["InvalidParameterException"] * 8 + [
        "DuplicateProviderException",
        "InvalidParameterException",
    ]
    # A loopback issuer is fine (another pool of this emulator as the provider).
    idp.create_identity_provider(
        UserPoolId=pool_id,
        ProviderName="PoolB",
        ProviderType="OIDC",
        ProviderDetails=dict(OIDC, oidc_issuer="http://127.0.0.1:9229/us-east-1_Other0000"),
    )

    idp.delete_identity_provider(UserPoolId=pool_id, ProviderName="Okta")
    code, _ = error_of(idp.describe_identity_provider, UserPoolId=pool_id, ProviderName="Okta")
    assert code == "ResourceNotFoundException"
    code, _ = error_of(
        idp.get_identity_provider_by_identifier, UserPoolId=pool_id, IdpIdentifier="nobody"
    )
    assert code == "ResourceNotFoundException"


# App client OAuth settings -----------------------------------------------------------


def _client(idp, pool_id, **settings):
    return idp.create_user_pool_client(UserPoolId=pool_id, ClientName="oauth", **settings)[
        "UserPoolClient"
    ]


def test_client_oauth_settings(idp):
    pool_id, _ = new_pool(idp)
    idp.create_resource_server(
        UserPoolId=pool_id,
        Identifier="api",
        Name="API",
        Scopes=[{"ScopeName": "read", "ScopeDescription": "Read"}],
    )
    idp.create_identity_provider(
        UserPoolId=pool_id, ProviderName="Google", ProviderType="Google", ProviderDetails=GOOGLE
    )
    web = dict(
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email", "api/read"],
        CallbackURLs=["https://app.example.com/cb", "http://localhost:3000/cb", "myapp://cb"],
        LogoutURLs=["https://app.example.com/"],
        DefaultRedirectURI="https://app.example.com/cb",
        SupportedIdentityProviders=["COGNITO", "Google"],
    )
    client = _client(idp, pool_id, **web)
    for key, value in web.items():
        assert client[key] == value, key
    described = idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client["ClientId"])
    assert described["UserPoolClient"]["AllowedOAuthScopes"] == web["AllowedOAuthScopes"]

    machine = _client(
        idp,
        pool_id,
        GenerateSecret=True,
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=["api/read"],
    )
    assert machine["AllowedOAuthFlows"] == ["client_credentials"]

    def refused(**changes):
        request = dict(web)
        request.update(changes)
        request = {key: value for key, value in request.items() if value is not None}
        return error_of(
            idp.create_user_pool_client, UserPoolId=pool_id, ClientName="bad", **request
        )[0]

    assert refused(AllowedOAuthScopes=["api/write"]) == "ScopeDoesNotExistException"
    assert refused(AllowedOAuthScopes=["nonsense"]) == "ScopeDoesNotExistException"
    assert refused(AllowedOAuthFlows=["client_credentials"]) == "InvalidOAuthFlowException"
    assert refused(AllowedOAuthFlows=["code", "client_credentials"], GenerateSecret=True) == (
        "InvalidOAuthFlowException"
    )
    assert refused(AllowedOAuthFlows=["client_credentials"], GenerateSecret=True) == (
        "InvalidOAuthFlowException"
    )
    assert (
        refused(CallbackURLs=["http://app.example.com/cb"], DefaultRedirectURI=None)
        == "InvalidParameterException"
    )
    assert (
        refused(CallbackURLs=["https://app.example.com/cb#x"], DefaultRedirectURI=None)
        == "InvalidParameterException"
    )
    assert refused(CallbackURLs=["not a url"], DefaultRedirectURI=None) == (
        "InvalidParameterException"
    )
    assert refused(DefaultRedirectURI="https://elsewhere.example.com/") == (
        "InvalidParameterException"
    )
    assert refused(LogoutURLs=["http://example.com/"]) == "InvalidParameterException"
    assert refused(SupportedIdentityProviders=["Facebook"]) == "InvalidParameterException"
    assert refused(CallbackURLs=None, DefaultRedirectURI=None) == "InvalidParameterException"
    assert refused(AllowedOAuthScopes=None) == "InvalidParameterException"
    assert refused(AllowedOAuthFlowsUserPoolClient=False) == "InvalidParameterException"

    # UpdateUserPoolClient checks the same way.
    code, _ = error_of(
        idp.update_user_pool_client,
        UserPoolId=pool_id,
        ClientId=client["ClientId"],
        **dict(web, AllowedOAuthScopes=["api/x"]),
    )
    assert code == "ScopeDoesNotExistException"
    idp.update_user_pool_client(
        UserPoolId=pool_id, ClientId=client["ClientId"], **dict(web, AllowedOAuthScopes=["openid"])
    )
    assert idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client["ClientId"])[
        "UserPoolClient"
    ]["AllowedOAuthScopes"] == ["openid"]
