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


# -- errors in one place, and nothing private public by accident ------------------------

PACKAGE_DIR = os.path.dirname(os.path.abspath(pycognito_web.__file__))


def _client_sources():
    import ast

    for folder, _, files in os.walk(PACKAGE_DIR):
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as handle:
                    yield path, ast.parse(handle.read(), path)


def test_every_error_class_is_defined_in_errors():
    import ast

    from pycognito_web import errors

    error_names = {
        name for name, value in vars(errors).items()
        if isinstance(value, type) and issubclass(value, BaseException)
    }  # fmt: skip
    elsewhere = []
    for path, tree in _client_sources():
        if os.path.basename(path) == "errors.py":
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = {getattr(b, "id", getattr(b, "attr", "")) for b in node.bases}
            if bases & (error_names | {"Exception", "BaseException", "ValueError", "RuntimeError"}):
                elsewhere.append("%s: %s" % (os.path.relpath(path, PACKAGE_DIR), node.name))
    assert elsewhere == [], "error classes outside errors.py: %s" % elsewhere
    for name in error_names - {"Exception", "BaseException"}:
        cls = getattr(errors, name)
        assert cls.__module__ == "pycognito_web.errors", name
    assert pycognito_web.TokenVerificationError is errors.TokenVerificationError
    assert issubclass(errors.Undeliverable, errors.InvalidParameterError)


def test_service_errors_are_real_class_statements():
    import ast

    from pycognito_web import errors

    path = os.path.join(PACKAGE_DIR, "errors.py")
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), path)
    written = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and [getattr(b, "id", "") for b in node.bases] == [
            "ServiceError"
        ]:
            codes = [
                s.value.value for s in node.body
                if isinstance(s, ast.Assign) and s.targets[0].id == "code"
            ]  # fmt: skip
            written[node.name] = codes
    assert len(written) >= 37, sorted(written)
    assert set(written) == set(errors.SERVICE_ERROR_TYPES)
    for name, codes in written.items():
        assert codes == [name], name  # each class's code is its own Cognito __type
        error = errors.service_error("com.amazonaws#" + name, "m", 400)
        assert type(error) is getattr(errors, name) and error.code == name
    unknown = errors.service_error("SomethingNewException", "m", 400)
    assert type(unknown) is errors.ServiceError and unknown.code == "SomethingNewException"


def test_retry_policy_is_exported_and_accepted():
    policy = pycognito_web.RetryPolicy(attempts=1)
    pool = pycognito_web.UserPool("us-east-1_AbCdEf123", "client", retry=policy)
    assert pool.client.retry is policy


# The public members of the exported classes of the pool, the seams and the errors: a
# new public method or attribute is added here on purpose, never by accident (a helper
# that another module calls is private, as UserPool._take_srp_pair).
PUBLIC_MEMBERS = {
    "UserPool": [
        "call", "client", "context", "current_user", "identity_credentials", "issuer",
        "jwks", "prepare_srp", "sign_up", "transport", "user", "verify_token",
    ],
    "SignUpResult": [],
    "MemoryStorage": ["clear", "getItem", "keys", "removeItem", "setItem"],
    "CookieStorage": ["clear", "getItem", "removeItem", "setItem"],
    "Request": [],
    "Response": [],
    "Transport": ["aclose", "handle_async_request"],
    "MockTransport": ["aclose", "handle_async_request"],
    "RetryPolicy": ["delay", "retryable"],
    "CognitoError": ["code", "statusCode"],
}  # fmt: skip


def test_public_members_are_the_listed_ones():
    for name, members in PUBLIC_MEMBERS.items():
        cls = getattr(pycognito_web, name)
        found = sorted(
            a for a in dir(cls) if not a.startswith("_") and not hasattr(BaseException, a)
        )
        assert found == members, "%s: %s" % (name, found)


def test_exports_come_from_the_package():
    for name in pycognito_web.__all__:
        value = getattr(pycognito_web, name)
        module = getattr(value, "__module__", "pycognito_web")
        assert module.startswith("pycognito_web"), (name, module)
    for name in ("take_srp_pair", "TYPE_CHECKING", "default_storage", "FetchTransport"):
        assert not hasattr(pycognito_web, name), name
    assert not hasattr(pycognito_web.UserPool, "take_srp_pair")
