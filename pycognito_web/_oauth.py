"""Managed login (OAuth 2.0 with PKCE), the parts that do no I/O.

Theory of operation
-------------------
A redirect sign-in is two page loads. Before leaving, the page makes a PKCE verifier
(128 characters of ``[A-Za-z0-9]``) and a state (32 such characters, then ``-`` and the
hex of the caller's custom state, if any), keeps both in storage and goes to the
authorize endpoint with the verifier's S256 challenge. Managed login sends the browser
back to the redirect URI with ``code`` and ``state`` (or ``error``); the page checks the
state against storage, sends the code with the verifier to the token endpoint, and
keeps the tokens as any sign-in does. Everything here builds URLs and form bodies or
reads answers: random bytes come in as a function, nothing is sent.

The in-flight items use Amplify's keys, next to the original SDK's token keys::

    CognitoIdentityServiceProvider.<clientId>.oauthState
                                             .oauthPKCE
                                             .inflightOAuth

``OAuthConfig`` names the endpoints under the managed login domain: a Cognito domain
(``https://<prefix>.auth.<region>.amazoncognito.com``), a custom one, or the emulator's
``<url>/<prefix>``.
"""

import hashlib
import json

from ._portable import b64encode, hexlify
from ._storage import PREFIX
from .errors import InvalidParameterError, OAuthError

TYPE_CHECKING = False  # typing is absent on MicroPython; checkers still read this
if TYPE_CHECKING:
    from typing import Callable, Optional

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
IN_FLIGHT_NAMES = ("oauthState", "oauthPKCE", "inflightOAuth")


class OAuthConfig:
    """Where managed login is and how this app uses it.

    Args:
        domain: the managed login base URL, without a trailing slash.
        redirect_sign_in: the registered callback URL this page comes back to.
        redirect_sign_out: the registered sign-out URL (None: no redirect sign-out).
        scopes: the scopes to ask for (the app client's allowed ones when empty).

    Raises:
        InvalidParameterError: a missing domain or redirect URL.
    """

    def __init__(
        self,
        domain: "str",
        redirect_sign_in: "str",
        redirect_sign_out: "Optional[str]" = None,
        scopes: "Optional[list]" = None,
    ) -> None:
        for name, value in (("domain", domain), ("redirect_sign_in", redirect_sign_in)):
            if not isinstance(value, str) or "://" not in value:
                raise InvalidParameterError("%s must be an absolute URL" % name)
        self.domain = domain.rstrip("/")
        self.redirect_sign_in = redirect_sign_in
        self.redirect_sign_out = redirect_sign_out
        self.scopes = list(scopes or ("openid", "email", "profile"))

    def endpoint(self, name: "str") -> "str":
        """The URL of ``authorize``, ``token``, ``userInfo``, ``revoke`` or ``logout``."""
        if name == "logout":
            return self.domain + "/logout"
        return self.domain + "/oauth2/" + name

    def __repr__(self):
        return "<OAuthConfig %s>" % self.domain


def in_flight_key(client_id: "str", name: "str") -> "str":
    """The storage key of one in-flight item (``oauthState``, ``oauthPKCE``...)."""
    return "%s.%s.%s" % (PREFIX, client_id, name)


def random_text(random_bytes: "Callable[[int], bytes]", size: "int") -> "str":
    """``size`` characters of ``[A-Za-z0-9]``, unbiased (bytes past 247 are redrawn)."""
    out = []  # type: list[str]
    while len(out) < size:
        for byte in random_bytes(size * 2):
            if byte < 248 and len(out) < size:  # 248 = 4 * 62
                out.append(_ALPHABET[byte % 62])
    return "".join(out)


def make_verifier(random_bytes: "Callable[[int], bytes]") -> "str":
    """A PKCE code verifier: 128 characters (RFC 7636 allows 43 to 128)."""
    return random_text(random_bytes, 128)


def challenge_of(verifier: "str") -> "str":
    """The S256 challenge of a verifier: base64url of its SHA-256, unpadded."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return b64encode(digest).replace("+", "-").replace("/", "_").rstrip("=")


def make_state(random_bytes: "Callable[[int], bytes]", custom_state: "Optional[str]" = None):
    """A state: 32 random characters, then ``-`` and the hex of ``custom_state``."""
    state = random_text(random_bytes, 32)
    if custom_state:
        state += "-" + hexlify(custom_state.encode("utf-8"))
    return state


def custom_state_of(state: "str") -> "Optional[str]":
    """The custom state a state carries, or None."""
    if not isinstance(state, str) or "-" not in state:
        return None
    try:
        data = bytes(int(part, 16) for part in _pairs(state.split("-", 1)[1]))
        return data.decode("utf-8")
    except (ValueError, UnicodeError):
        return None


def _pairs(text):
    if len(text) % 2:
        raise ValueError("odd hex")
    return [text[i : i + 2] for i in range(0, len(text), 2)]


def quote(text: "str") -> "str":
    """Percent-encoding of everything but RFC 3986's unreserved characters."""
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        out.append(char if char in _UNRESERVED else "%%%02X" % byte)
    return "".join(out)


def unquote(text: "str") -> "str":
    """Inverse of ``quote``, with ``+`` as a space (form encoding)."""
    data = bytearray()
    raw = text.replace("+", " ").encode("utf-8")
    i = 0
    while i < len(raw):
        if raw[i] == 37 and i + 2 < len(raw):  # "%" and two more characters
            try:
                data.append(int(raw[i + 1 : i + 3].decode("ascii"), 16))
                i += 3
                continue
            except ValueError:
                pass
        data.append(raw[i])
        i += 1
    return bytes(data).decode("utf-8", "replace")


def encode_form(params: "dict") -> "str":
    """``name=value&...`` (values that are None are left out), in the given order."""
    return "&".join(
        quote(name) + "=" + quote(str(value)) for name, value in params.items() if value is not None
    )


def parse_query(text: "str") -> "dict":
    """A query string or fragment as {name: value} (the first of repeated names)."""
    found = {}
    for part in text.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        name = unquote(name)
        if name not in found:
            found[name] = unquote(value)
    return found


def split_url(url: "str"):
    """(the URL without query and fragment, query dict, fragment dict)."""
    rest, _, fragment = url.partition("#")
    base, _, query = rest.partition("?")
    return base, parse_query(query), parse_query(fragment)


def authorize_url(
    config: "OAuthConfig",
    client_id: "str",
    state: "str",
    challenge: "str",
    provider: "Optional[str]" = None,
    extra: "Optional[dict]" = None,
) -> "str":
    """The authorize URL of a code flow with PKCE.

    Args:
        provider: an identity provider name (``Google``, an OIDC provider's name) to go
            straight to it; None shows managed login's own page.
        extra: more parameters (``login_hint``, ``prompt``, ``nonce``, ``lang``).
    """
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": config.redirect_sign_in,
        "state": state,
        "scope": " ".join(config.scopes),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "identity_provider": provider,
    }
    for name, value in (extra or {}).items():
        params[name] = value
    return config.endpoint("authorize") + "?" + encode_form(params)


def code_exchange_body(config: "OAuthConfig", client_id: "str", code: "str", verifier: "str"):
    """The form body of the authorization_code grant."""
    return encode_form({
        "grant_type": "authorization_code", "client_id": client_id, "code": code,
        "redirect_uri": config.redirect_sign_in, "code_verifier": verifier,
    })  # fmt: skip


def logout_url(config: "OAuthConfig", client_id: "str") -> "str":
    """The managed login sign-out URL back to ``redirect_sign_out``.

    Raises:
        InvalidParameterError: the config has no ``redirect_sign_out``.
    """
    if not config.redirect_sign_out:
        raise InvalidParameterError("OAuthConfig.redirect_sign_out is not set")
    return (
        config.endpoint("logout")
        + "?"
        + encode_form({"client_id": client_id, "logout_uri": config.redirect_sign_out})
    )


def callback_error(params: "dict") -> "Optional[OAuthError]":
    """The error a callback's parameters carry (``error``, ``error_description``)."""
    if "error" not in params:
        return None
    return OAuthError(params.get("error_description") or params["error"], params["error"])


def read_token_response(status: "int", body: "bytes") -> "dict":
    """The tokens of a token endpoint answer as an AuthenticationResult dict
    (``IdToken``, ``AccessToken``, ``RefreshToken``, ``ExpiresIn``, ``TokenType``).

    Raises:
        OAuthError: the endpoint's ``error`` (``invalid_grant``...), or
            ``invalid_response`` for an answer that is not JSON with an access token.
    """
    try:
        data = json.loads(body.decode("utf-8")) if body else {}
    except (ValueError, UnicodeError):
        data = None
    if not isinstance(data, dict):
        raise OAuthError("the token endpoint answered %d, not JSON" % status, "invalid_response")
    if status != 200 or "error" in data:
        error = data.get("error") if isinstance(data.get("error"), str) else "invalid_response"
        raise OAuthError(str(data.get("error_description") or error), error, status)
    if not isinstance(data.get("access_token"), str):
        raise OAuthError("the token endpoint answered no access_token", "invalid_response")
    result = {"AccessToken": data["access_token"], "TokenType": data.get("token_type", "Bearer")}
    for name, key in (("IdToken", "id_token"), ("RefreshToken", "refresh_token"),
                      ("ExpiresIn", "expires_in")):  # fmt: skip
        if data.get(key) is not None:
            result[name] = data[key]
    return result
