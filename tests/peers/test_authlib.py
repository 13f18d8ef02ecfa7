"""Authlib, an OAuth 2.0 / OpenID Connect client nobody here wrote, against the emulator's
managed login: the authorization code flow with PKCE (a person's visit to the login page
played with plain HTTP requests), the ID token checked with Authlib's own OIDC rules
(signature from the JWKS, iss, aud, nonce, at_hash), refresh, userInfo, revoke, and
client_credentials."""

import base64
import html.parser
import os
import urllib.parse
import warnings

import boto3
import pytest
import requests
from authlib.common.errors import AuthlibBaseError
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc6749.errors import MismatchingStateException
from authlib.oidc.core import CodeIDToken
from botocore.config import Config

with warnings.catch_warnings():
    # Authlib's own JOSE is deprecated for joserfc, but its OIDC claim checks use it.
    warnings.filterwarnings("ignore", message="authlib.jose module is deprecated")
    from authlib.jose import JsonWebKey, jwt

pytestmark = pytest.mark.peer

PASSWORD = "Corr3ct-Horse-Battery!"
CALLBACK = "http://127.0.0.1:8765/callback"


def unique(name):
    return "%s-%s" % (name, base64.b32encode(os.urandom(5)).decode().lower().rstrip("="))


class _Form(html.parser.HTMLParser):
    def __init__(self):
        html.parser.HTMLParser.__init__(self)
        self.action, self.fields = None, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = attrs.get("action")
        elif tag == "input" and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value", "")


@pytest.fixture(scope="module")
def setup(emulator):
    idp = boto3.client(
        "cognito-idp", region_name="us-east-1", endpoint_url=emulator.url,
        aws_access_key_id="test", aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}),
    )  # fmt: skip
    pool_id = idp.create_user_pool(PoolName=unique("authlib"))["UserPool"]["Id"]
    domain = unique("authlib")
    idp.create_user_pool_domain(Domain=domain, UserPoolId=pool_id)
    idp.create_resource_server(
        UserPoolId=pool_id,
        Identifier="orders",
        Name="orders",
        Scopes=[{"ScopeName": "read", "ScopeDescription": "read"}],
    )
    username = unique("alice")
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "alice@example.com"}],
    )
    idp.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=PASSWORD,
                                Permanent=True)  # fmt: skip
    web = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="spa", CallbackURLs=[CALLBACK],
        AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email", "profile"], SupportedIdentityProviders=["COGNITO"],
        ExplicitAuthFlows=["ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]  # fmt: skip
    machine = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="machine", GenerateSecret=True,
        AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=["orders/read"],
    )["UserPoolClient"]  # fmt: skip
    issuer = "%s/%s" % (emulator.url, pool_id)
    metadata = requests.get(issuer + "/.well-known/openid-configuration", timeout=30).json()
    return {"issuer": issuer, "metadata": metadata, "web": web, "machine": machine,
            "username": username}  # fmt: skip


def _person_signs_in(authorize_url, username):
    """What the person does in the browser: open the URL, fill in the form; returns the
    callback URL the browser is sent to."""
    browser = requests.Session()
    page = browser.get(authorize_url, timeout=30)
    assert page.status_code == 200, page.text
    form = _Form()
    form.feed(page.text)
    fields = dict(form.fields, username=username, password=PASSWORD)
    answer = browser.post(urllib.parse.urljoin(page.url, form.action), data=fields,
                          allow_redirects=False, timeout=30)  # fmt: skip
    assert answer.status_code == 302, answer.text
    return answer.headers["location"]


def test_authlib_code_flow_with_pkce_refresh_userinfo_revoke(setup):
    metadata, web = setup["metadata"], setup["web"]
    client = OAuth2Session(
        web["ClientId"],
        redirect_uri=CALLBACK,
        scope="openid email",
        code_challenge_method="S256",
        token_endpoint_auth_method="none",
    )
    verifier, nonce = generate_token(48), generate_token(20)
    url, state = client.create_authorization_url(
        metadata["authorization_endpoint"], code_verifier=verifier, nonce=nonce
    )
    callback = _person_signs_in(url, setup["username"])
    assert callback.startswith(CALLBACK + "?")
    token = client.fetch_token(metadata["token_endpoint"], authorization_response=callback,
                               code_verifier=verifier, state=state)  # fmt: skip
    assert token["token_type"] == "Bearer" and token["refresh_token"]

    keys = JsonWebKey.import_key_set(requests.get(metadata["jwks_uri"], timeout=30).json())
    id_token = jwt.decode(
        token["id_token"], keys, claims_cls=CodeIDToken,
        claims_options={"iss": {"values": [setup["issuer"]]}},
        claims_params={"nonce": nonce, "client_id": web["ClientId"],
                       "access_token": token["access_token"]},
    )  # fmt: skip
    id_token.validate()  # exp, iat, aud, nonce, at_hash: Authlib's checks
    assert id_token["email"] == "alice@example.com"

    info = client.get(metadata["userinfo_endpoint"], timeout=30)
    assert info.status_code == 200 and info.json()["sub"] == id_token["sub"]

    refreshed = client.refresh_token(metadata["token_endpoint"],
                                     refresh_token=token["refresh_token"])  # fmt: skip
    assert refreshed["access_token"] != token["access_token"]

    revoked = client.revoke_token(metadata["revocation_endpoint"], token=token["refresh_token"],
                                  token_type_hint="refresh_token")  # fmt: skip
    assert revoked.status_code == 200
    with pytest.raises(AuthlibBaseError) as caught:
        client.refresh_token(metadata["token_endpoint"], refresh_token=token["refresh_token"])
    assert "invalid_grant" in str(caught.value)


def test_authlib_refuses_a_callback_with_the_wrong_state(setup):
    metadata, web = setup["metadata"], setup["web"]
    client = OAuth2Session(
        web["ClientId"],
        redirect_uri=CALLBACK,
        scope="openid",
        code_challenge_method="S256",
        token_endpoint_auth_method="none",
    )
    verifier = generate_token(48)
    url, _ = client.create_authorization_url(metadata["authorization_endpoint"],
                                             code_verifier=verifier)  # fmt: skip
    callback = _person_signs_in(url, setup["username"])
    with pytest.raises(MismatchingStateException) as caught:
        client.fetch_token(metadata["token_endpoint"], authorization_response=callback,
                           code_verifier=verifier, state="not-the-state")  # fmt: skip
    assert "state" in str(caught.value).lower()


def test_authlib_client_credentials(setup):
    metadata, machine = setup["metadata"], setup["machine"]
    client = OAuth2Session(machine["ClientId"], machine["ClientSecret"], scope="orders/read")
    token = client.fetch_token(metadata["token_endpoint"], grant_type="client_credentials")
    assert token["token_type"] == "Bearer" and "refresh_token" not in token
    keys = JsonWebKey.import_key_set(requests.get(metadata["jwks_uri"], timeout=30).json())
    claims = jwt.decode(token["access_token"], keys)
    claims.validate()
    assert claims["scope"] == "orders/read" and claims["client_id"] == machine["ClientId"]
    wrong = OAuth2Session(machine["ClientId"], "wrong-secret", scope="orders/read")
    with pytest.raises(AuthlibBaseError) as caught:
        wrong.fetch_token(metadata["token_endpoint"], grant_type="client_credentials")
    assert "invalid_client" in str(caught.value)
