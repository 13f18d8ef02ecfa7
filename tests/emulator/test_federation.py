"""Federated sign-in offline: pool A trusts pool B of the same emulator as an OIDC identity
provider; a person signs in to A through B's login page. Then AdminLinkProviderForUser
and AdminDisableProviderForUser."""

import json
import urllib.parse

import pytest
import requests
from emu_admin import admin_client, claims, confirmed_user
from emu_helpers import PASSWORD, unique
from emu_oauth import CALLBACK, OAuthPool, authorize_params, forms, pkce, submit, token


@pytest.fixture(scope="module")
def federation(emulator):
    idp = admin_client(emulator)
    a = OAuthPool(emulator, idp)
    b_pool = idp.create_user_pool(PoolName=unique("upstream"))["UserPool"]["Id"]
    person = confirmed_user(idp, b_pool, attributes=[{"Name": "given_name", "Value": "Ada"}])
    b_client = idp.create_user_pool_client(
        UserPoolId=b_pool, ClientName="pool-a", GenerateSecret=True,
        CallbackURLs=["%s/%s/oauth2/idpresponse" % (emulator.url, a.domain)],
        AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email", "profile"], SupportedIdentityProviders=["COGNITO"],
    )["UserPoolClient"]  # fmt: skip
    idp.create_identity_provider(
        UserPoolId=a.pool_id, ProviderName="PoolB", ProviderType="OIDC",
        ProviderDetails={"client_id": b_client["ClientId"],
                         "client_secret": b_client["ClientSecret"],
                         "attributes_request_method": "GET",
                         "oidc_issuer": "%s/%s" % (emulator.url, b_pool),
                         "authorize_scopes": "openid email profile"},
        AttributeMapping={"email": "email", "given_name": "given_name"},
        IdpIdentifiers=["example.org"],
    )  # fmt: skip
    idp.update_user_pool_client(
        UserPoolId=a.pool_id, ClientId=a.public["ClientId"], CallbackURLs=[CALLBACK],
        AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email", "profile"],
        SupportedIdentityProviders=["COGNITO", "PoolB"],
    )  # fmt: skip
    b_sub = idp.admin_get_user(UserPoolId=b_pool, Username=person)["UserAttributes"]
    b_sub = next(item["Value"] for item in b_sub if item["Name"] == "sub")
    return {"a": a, "idp": idp, "b_pool": b_pool, "person": person, "b_sub": b_sub}


def _through_b(fed, **params):
    """Authorize at A with the provider, sign in on B's page, come back to A's client.
    Returns (redirect query to A's client, verifier)."""
    a = fed["a"]
    verifier, challenge = pkce()
    browser = requests.Session()
    params = authorize_params(a.public, challenge=challenge, **params)
    first = browser.get(a.url("/oauth2/authorize"), params=params, allow_redirects=False,
                        timeout=30)  # fmt: skip
    assert first.status_code == 302, first.text
    to_b = first.headers["location"]
    assert to_b.startswith("%s/%s/oauth2/authorize?" % (a.emulator.url, fed["b_pool"]))
    page = browser.get(to_b, timeout=30)  # B redirects to its own login page
    assert page.status_code == 200 and forms(page.text), page.text
    back = submit(browser, page.url, page.text, {"username": fed["person"], "password": PASSWORD})
    assert back.status_code == 302 and "/oauth2/idpresponse?code=" in back.headers["location"]
    done = browser.get(back.headers["location"], allow_redirects=False, timeout=30)
    assert done.status_code == 302, done.text
    location = done.headers["location"]
    assert location.startswith(CALLBACK + "?")
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query)), verifier


def _tokens_of(fed, query, verifier):
    a = fed["a"]
    answer = token(a, {"grant_type": "authorization_code", "client_id": a.public["ClientId"],
                       "code": query["code"], "redirect_uri": CALLBACK,
                       "code_verifier": verifier})  # fmt: skip
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_sign_in_to_a_through_b_creates_the_federated_user(federation):
    query, verifier = _through_b(federation, identity_provider="PoolB")
    assert query["state"] == "xyz"
    identity = claims(_tokens_of(federation, query, verifier)["id_token"])
    username = "PoolB_%s" % federation["b_sub"]
    assert identity["cognito:username"] == username
    assert identity["email"] == federation["person"] + "@example.com"
    assert identity["given_name"] == "Ada"
    (linked,) = identity["identities"]
    assert (linked["providerName"], linked["userId"]) == ("PoolB", federation["b_sub"])
    assert linked["providerType"] == "OIDC"
    described = federation["idp"].admin_get_user(UserPoolId=federation["a"].pool_id,
                                                 Username=username)  # fmt: skip
    assert described["UserStatus"] == "EXTERNAL_PROVIDER"
    attributes = {item["Name"]: item["Value"] for item in described["UserAttributes"]}
    assert json.loads(attributes["identities"])[0]["userId"] == federation["b_sub"]


def test_idp_identifier_picks_the_provider(federation):
    query, _ = _through_b(federation, idp_identifier="example.org")
    assert "code" in query


def test_an_idpresponse_without_its_state_is_an_error_page(federation):
    a = federation["a"]
    answer = requests.get(a.url("/oauth2/idpresponse"), params={"code": "x", "state": "forged"},
                          allow_redirects=False, timeout=30)  # fmt: skip
    assert answer.status_code == 400 and "location" not in answer.headers


def test_link_then_disable_provider_for_user(federation):
    idp, a = federation["idp"], federation["a"]
    native = confirmed_user(idp, a.pool_id)
    # The federated user of the first test exists: disable it, then link the identity.
    idp.admin_link_provider_for_user(
        UserPoolId=a.pool_id,
        DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": native},
        SourceUser={"ProviderName": "PoolB", "ProviderAttributeName": "Cognito_Subject",
                    "ProviderAttributeValue": federation["b_sub"]},
    )  # fmt: skip
    query, verifier = _through_b(federation, identity_provider="PoolB")
    identity = claims(_tokens_of(federation, query, verifier)["id_token"])
    assert identity["cognito:username"] == native
    assert identity["identities"][0]["userId"] == federation["b_sub"]
    with pytest.raises(idp.exceptions.AliasExistsException):
        idp.admin_link_provider_for_user(
            UserPoolId=a.pool_id,
            DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": native},
            SourceUser={"ProviderName": "PoolB", "ProviderAttributeName": "Cognito_Subject",
                        "ProviderAttributeValue": federation["b_sub"]},
        )  # fmt: skip
    idp.admin_disable_provider_for_user(
        UserPoolId=a.pool_id,
        User={"ProviderName": "PoolB", "ProviderAttributeName": "Cognito_Subject",
              "ProviderAttributeValue": federation["b_sub"]},
    )  # fmt: skip
    attributes = idp.admin_get_user(UserPoolId=a.pool_id, Username=native)["UserAttributes"]
    assert json.loads({i["Name"]: i["Value"] for i in attributes}["identities"]) == []
    federated = idp.admin_get_user(UserPoolId=a.pool_id,
                                   Username="PoolB_%s" % federation["b_sub"])  # fmt: skip
    assert federated["Enabled"] is False
    # Unlinked and disabled: the identity no longer signs in.
    verifier, challenge = pkce()
    browser = requests.Session()
    first = browser.get(a.url("/oauth2/authorize"), timeout=30, allow_redirects=False,
                        params=authorize_params(a.public, challenge=challenge,
                                                identity_provider="PoolB"))  # fmt: skip
    page = browser.get(first.headers["location"], timeout=30)
    back = submit(browser, page.url, page.text, {"username": federation["person"],
                                                 "password": PASSWORD})  # fmt: skip
    done = browser.get(back.headers["location"], allow_redirects=False, timeout=30)
    assert "error=access_denied" in done.headers["location"]
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_disable_provider_for_user(
            UserPoolId=a.pool_id,
            User={"ProviderName": "PoolB", "ProviderAttributeValue": "nobody"},
        )  # fmt: skip
