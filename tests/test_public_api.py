"""The public surface: what ``pycognito_web`` exports, and that it covers the original's.

A name added without being listed, or listed without existing, fails here; so does an
export of amazon-cognito-identity-js (read from its own index.js) that the port lacks.
"""

import os
import re

import pycognito_web
from pycognito_web import compat

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ORIGINAL_INDEX = os.path.join(ROOT, "node_modules", "amazon-cognito-identity-js", "src", "index.js")


def test_all_is_sorted_and_complete():
    assert pycognito_web.__all__ == sorted(pycognito_web.__all__)
    for name in pycognito_web.__all__:
        assert hasattr(pycognito_web, name), name
    public = {
        name
        for name in vars(pycognito_web)
        if not name.startswith("_") and not isinstance(getattr(pycognito_web, name), type(os))
    }
    assert public == set(pycognito_web.__all__) - {"__version__"}


def test_every_export_of_the_original_exists_under_its_name():
    with open(ORIGINAL_INDEX, encoding="utf-8") as handle:
        source = handle.read()
    names = re.findall(r"export \{ (?:default as )?(\w+) \}", source)
    assert len(names) >= 12, names
    for name in names:
        assert hasattr(pycognito_web, name), "the original exports %s" % name
        assert hasattr(compat, name), "compat lacks %s" % name


def test_every_public_method_of_the_original_user_and_pool_exists():
    source_dir = os.path.dirname(ORIGINAL_INDEX)
    for cls_name in (
        "CognitoUser",
        "CognitoUserPool",
        "CognitoUserSession",
        "AuthenticationDetails",
        "CognitoUserAttribute",
        "CookieStorage",
    ):
        with open(os.path.join(source_dir, cls_name + ".js"), encoding="utf-8") as handle:
            source = handle.read()
        methods = set(re.findall(r"^\t(\w+)\([^)]*\) \{$", source, re.MULTILINE))
        # What the original's JSDoc marks @private is not part of its surface.
        private = set(re.findall(r"@private\s*\*/\s*\n\t(\w+)\(", source))
        methods -= {"constructor"} | private
        cls = getattr(pycognito_web, cls_name)
        missing = sorted(m for m in methods if not hasattr(cls, m))
        assert missing == [], "%s lacks %s" % (cls_name, missing)


def test_the_user_agent_can_be_extended_as_in_the_original():
    from pycognito_web import _api

    before = _api.USER_AGENT
    try:
        pycognito_web.appendToCognitoUserAgent("my-app/1.0")
        pycognito_web.appendToCognitoUserAgent("my-app/1.0")
        request = _api.build_request("https://example.test/", "GetUser", {})
        assert request.headers["X-Amz-User-Agent"] == before + " my-app/1.0"
    finally:
        _api.USER_AGENT = before


def test_authentication_helper_matches_the_srp_core():
    from pycognito_web import _srp

    fixed = bytes(range(128))
    helper = pycognito_web.AuthenticationHelper("AbCdEf123", random_bytes=lambda n: fixed[:n])
    assert helper.getLargeAValue(lambda err, value: value) == _srp.large_a(
        int.from_bytes(fixed, "big")
    )
    assert helper.padHex(-128) == "80"
    assert helper.getNewPasswordRequiredChallengeUserAttributePrefix() == "userAttributes."
    got = []
    helper.getPasswordAuthenticationKey("alice", "pw", 0, 1, lambda err, key: got.append(err))
    assert got[0].code == "SrpError"
