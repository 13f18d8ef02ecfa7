"""Helpers for the managed login tests: a pool with a domain, a resource server and OAuth
app clients, and a person's visit to the login pages driven with plain HTTP."""

import base64
import hashlib
import html.parser
import secrets
import urllib.parse

import requests
from emu_admin import FLOWS, confirmed_user
from emu_helpers import PASSWORD, unique

CALLBACK = "http://localhost:8123/callback"
LOGOUT = "http://localhost:8123/signed-out"


class OAuthPool:
    """A pool with a prefix domain, a resource server ``api`` (scopes read, write), a user,
    and four clients: ``public`` (code, PKCE), ``confidential`` (code, secret),
    ``implicit`` and ``machine`` (client_credentials)."""

    def __init__(self, emulator, idp):
        self.emulator, self.idp = emulator, idp
        self.pool_id = idp.create_user_pool(
            PoolName=unique("oauth"), AutoVerifiedAttributes=["email"]
        )["UserPool"]["Id"]
        self.domain = unique("login").lower().replace("_", "-")
        idp.create_user_pool_domain(Domain=self.domain, UserPoolId=self.pool_id)
        idp.create_resource_server(
            UserPoolId=self.pool_id,
            Identifier="api",
            Name="api",
            Scopes=[
                {"ScopeName": "read", "ScopeDescription": "r"},
                {"ScopeName": "write", "ScopeDescription": "w"},
            ],
        )
        self.username = confirmed_user(idp, self.pool_id)
        common = {
            "CallbackURLs": [CALLBACK],
            "LogoutURLs": [LOGOUT],
            "SupportedIdentityProviders": ["COGNITO"],
            "ExplicitAuthFlows": FLOWS,
            "AllowedOAuthFlowsUserPoolClient": True,
        }
        scopes = ["openid", "email", "profile", "api/read"]
        self.public = self._client("public", False, ["code"], scopes, common)
        self.confidential = self._client("confidential", True, ["code"], scopes, common)
        self.implicit = self._client("implicit", False, ["implicit"], ["openid", "email"], common)
        self.machine = self._client(
            "machine",
            True,
            ["client_credentials"],
            ["api/read", "api/write"],
            {"AllowedOAuthFlowsUserPoolClient": True},
        )
        self.base = "%s/%s" % (emulator.url, self.domain)

    def _client(self, name, secret, flows, scopes, common):
        settings = dict(common, AllowedOAuthFlows=flows, AllowedOAuthScopes=scopes)
        return self.idp.create_user_pool_client(
            UserPoolId=self.pool_id, ClientName=name, GenerateSecret=secret, **settings
        )["UserPoolClient"]

    def url(self, path):
        return self.base + path


def pkce():
    """(verifier, S256 challenge)."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class _Forms(html.parser.HTMLParser):
    """The forms of a page: [(action, {name: value})], hidden and prefilled fields."""

    def __init__(self):
        html.parser.HTMLParser.__init__(self)
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append((attrs.get("action"), {}))
        elif tag == "input" and self.forms and attrs.get("name"):
            self.forms[-1][1][attrs["name"]] = attrs.get("value", "")


def forms(page):
    parser = _Forms()
    parser.feed(page)
    return parser.forms


def submit(session, base_url, page, fields):
    """Post the page's first form with its hidden fields plus ``fields``; the answer
    (redirects not followed)."""
    action, values = forms(page)[0]
    values.update(fields)
    return session.post(urllib.parse.urljoin(base_url, action), data=values,
                        allow_redirects=False, timeout=30)  # fmt: skip


def open_login(session, pool, params):
    """GET authorize and follow its redirect to the login page: the page's response."""
    answer = session.get(pool.url("/oauth2/authorize"), params=params, allow_redirects=False,
                         timeout=30)  # fmt: skip
    assert answer.status_code == 302, answer.text
    location = answer.headers["location"]
    assert location.startswith("/%s/login?" % pool.domain)
    return session.get(urllib.parse.urljoin(pool.emulator.url, location), timeout=30)


def authorize_params(client, state="xyz", challenge=None, **more):
    params = {
        "response_type": "code",
        "client_id": client["ClientId"],
        "redirect_uri": CALLBACK,
        "state": state,
        "scope": "openid email",
    }
    if challenge:
        params.update(code_challenge=challenge, code_challenge_method="S256")
    params.update(more)
    return params


def sign_in_for_code(pool, client, username=None, password=PASSWORD, **params):
    """The whole visit: authorize, the form, the redirect. Returns (query dict of the
    callback, verifier)."""
    verifier, challenge = pkce()
    session = requests.Session()
    page = open_login(session, pool, authorize_params(client, challenge=challenge, **params))
    answer = submit(
        session, page.url, page.text, {"username": username or pool.username, "password": password}
    )
    assert answer.status_code == 302, answer.text
    location = answer.headers["location"]
    assert location.startswith(CALLBACK + "?")
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query)), verifier


def token(pool, data, auth=None):
    return requests.post(pool.url("/oauth2/token"), data=data, auth=auth, timeout=30)
