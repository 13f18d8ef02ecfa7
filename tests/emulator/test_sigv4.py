"""Tests of the emulator's SigV4 verifier against requests signed by botocore itself.

Every accepted request here was signed by ``botocore.auth.SigV4Auth`` (or sent by a real
boto3 client, captured before it leaves the process), so the verifier is checked against
what AWS SDKs really produce, not against a second copy of its own logic. Two vectors
from the AWS SigV4 documentation pin the algorithm independently of botocore.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from urllib.parse import urlsplit

import boto3
import botocore.auth
import botocore.exceptions
import pytest
from botocore.awsrequest import AWSRequest, AWSResponse
from botocore.config import Config
from botocore.credentials import Credentials

from pycognito_emulator._sigv4 import (
    DEFAULT_CREDENTIALS,
    SigV4Error,
    SigV4Result,
    verify,
)

SIGNED_AT = datetime.datetime(2026, 11, 26, 10, 30, 0)  # naive UTC, as botocore uses
NOW = SIGNED_AT.replace(tzinfo=datetime.UTC).timestamp()
ENDPOINT = "http://127.0.0.1:9229"
SECRET = "s3cr3t-Do-Not-Leak/+xyz"
CREDENTIALS = {"test": "test", "AKIDADMIN": SECRET}
TARGET = "AWSCognitoIdentityProviderService."
JSON_TYPE = "application/x-amz-json-1.1"

MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. "
    "Consult the service documentation for details."
)


@pytest.fixture(autouse=True)
def frozen_botocore_clock(monkeypatch):
    """Make botocore sign at SIGNED_AT."""
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda *a, **k: SIGNED_AT)


def admin_body(action_params: dict) -> bytes:
    return json.dumps(action_params, ensure_ascii=False).encode("utf-8")


def sign(
    action: str | None = "ListUsers",
    body: bytes = b"{}",
    *,
    url: str = ENDPOINT + "/",
    method: str = "POST",
    key: str = "test",
    secret: str = "test",
    token: str | None = None,
    service: str = "cognito-idp",
    region: str = "us-east-1",
    headers: dict | None = None,
    params: dict | None = None,
) -> dict:
    """Sign a request with botocore and return it as the emulator would receive it.

    Returns:
        Keyword arguments for ``verify``: method, raw path, raw query, the header list
        as it would arrive over HTTP (Host added as the HTTP client adds it), body.
    """
    all_headers = {"Content-Type": JSON_TYPE}
    if action is not None:
        all_headers["X-Amz-Target"] = TARGET + action
    all_headers.update(headers or {})
    request = AWSRequest(method=method, url=url, data=body, headers=all_headers, params=params)
    botocore.auth.SigV4Auth(Credentials(key, secret, token), service, region).add_auth(request)
    prepared = request.prepare()
    return wire(prepared.method, prepared.url, prepared.headers.items(), prepared.body)


def _latin1(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("latin-1")


def wire(method, url, header_items, body, *, asgi: bool = False) -> dict:
    """Describe a prepared request as the emulator receives it.

    The Host header is added as urllib3 adds it. With ``asgi``, names and values are
    bytes, names lowercased, as an ASGI server passes ``scope["headers"]``.
    """
    split = urlsplit(url)
    header_list = [(name, value) for name, value in header_items]
    if not any(name.lower() == "host" for name, _ in header_list):
        header_list.append(("Host", split.netloc))
    if asgi:
        header_list = [(_latin1(n).lower(), _latin1(v)) for n, v in header_list]
    if isinstance(body, str):
        body = body.encode("utf-8")
    return {
        "method": method,
        "path": split.path,
        "query": split.query,
        "headers": header_list,
        "body": body or b"",
    }


def check(request: dict, credentials=CREDENTIALS, now=NOW, **kwargs) -> SigV4Result:
    return verify(
        request["method"],
        request["path"],
        request["query"],
        request["headers"],
        request["body"],
        credentials,
        now,
        **kwargs,
    )


def refused(request: dict, error_type: str, credentials=CREDENTIALS, now=NOW, **kwargs) -> str:
    with pytest.raises(SigV4Error) as caught:
        check(request, credentials=credentials, now=now, **kwargs)
    err = caught.value
    assert err.error_type == error_type, err.message
    assert err.status == 400
    assert str(err) == err.message
    for secret in set(CREDENTIALS.values()) - {"test"}:
        assert secret not in err.message
        assert secret not in repr(err)
    return err.message


def replace_header(request: dict, name: str, value: str) -> dict:
    headers = [(n, value if n.lower() == name.lower() else v) for n, v in request["headers"]]
    return {**request, "headers": headers}


def drop_header(request: dict, name: str) -> dict:
    headers = [(n, v) for n, v in request["headers"] if n.lower() != name.lower()]
    return {**request, "headers": headers}


def header(request: dict, name: str) -> str:
    for n, v in request["headers"]:
        n, v = (x.decode("latin-1") if isinstance(x, bytes) else x for x in (n, v))
        if n.lower() == name.lower():
            return v
    raise KeyError(name)


# -- AWS documentation vectors -------------------------------------------------------

DOC_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
DOC_NOW = datetime.datetime(2015, 8, 30, 12, 36, tzinfo=datetime.UTC).timestamp()


def test_aws_test_suite_get_vanilla():
    auth = (
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        "SignedHeaders=host;x-amz-date, "
        "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    )
    headers = [
        ("Host", "example.amazonaws.com"),
        ("X-Amz-Date", "20150830T123600Z"),
        ("Authorization", auth),
    ]
    result = verify(
        "GET", "/", "", headers, b"", {"AKIDEXAMPLE": DOC_SECRET}, DOC_NOW, service="service"
    )
    assert result.access_key == "AKIDEXAMPLE"
    assert result.region == "us-east-1"
    assert result.service == "service"
    assert result.signed_headers == ("host", "x-amz-date")


def test_aws_documentation_iam_list_users_with_query_string():
    auth = (
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date, "
        "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
    )
    headers = [
        ("Host", "iam.amazonaws.com"),
        ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
        ("X-Amz-Date", "20150830T123600Z"),
        ("Authorization", auth),
    ]
    creds = {"AKIDEXAMPLE": DOC_SECRET}
    query = "Action=ListUsers&Version=2010-05-08"
    assert verify("GET", "/", query, headers, b"", creds, DOC_NOW, service="iam").region == (
        "us-east-1"
    )
    # Parameters in another order are the same canonical query string.
    reordered = "Version=2010-05-08&Action=ListUsers"
    verify("GET", "/", reordered, headers, b"", creds, DOC_NOW, service="iam")
    with pytest.raises(SigV4Error) as caught:
        verify(
            "GET",
            "/",
            "Action=ListGroups&Version=2010-05-08",
            headers,
            b"",
            creds,
            DOC_NOW,
            service="iam",
        )
    assert caught.value.error_type == "InvalidSignatureException"


# -- botocore-signed requests that must pass -----------------------------------------


@pytest.mark.parametrize(
    ("action", "params"),
    [
        (
            "CreateUserPool",
            {"PoolName": "demo", "Policies": {"PasswordPolicy": {"MinimumLength": 8}}},
        ),
        ("ListUserPools", {"MaxResults": 60}),
        (
            "AdminCreateUser",
            {
                "UserPoolId": "us-east-1_AbCdEfGhI",
                "Username": "zoë",
                "UserAttributes": [
                    {"Name": "name", "Value": "Zoë Ünïcödé 山田 🐍"},
                    {"Name": "email", "Value": "zoe@example.com"},
                ],
                "TemporaryPassword": "Tmp pass  with   spaces!",
            },
        ),
        ("ListUsers", {"UserPoolId": "us-east-1_AbCdEfGhI", "Filter": 'email ^= "zoe"'}),
        ("AdminDeleteUser", {"UserPoolId": "us-east-1_AbCdEfGhI", "Username": "a\nb\tc"}),
    ],
)
def test_botocore_signed_admin_actions_verify(action, params):
    result = check(sign(action, admin_body(params)))
    assert result.access_key == "test"
    assert result.region == "us-east-1"
    assert result.service == "cognito-idp"
    assert result.amz_date == "20261126T103000Z"
    assert "host" in result.signed_headers
    assert "x-amz-target" in result.signed_headers
    assert result.session_token is None


def test_empty_body():
    check(sign("ListUserPools", b""))


def test_unicode_body_is_checked_as_raw_utf8_bytes():
    body = admin_body({"Username": "José", "Note": "naïve \u2013 ✓"})
    request = sign("AdminGetUser", body)
    assert check(request)
    tampered = body.replace("José".encode(), "Josê".encode())
    refused({**request, "body": tampered}, "InvalidSignatureException")


def test_second_credential_pair_and_other_region():
    result = check(sign(key="AKIDADMIN", secret=SECRET, region="eu-west-3"))
    assert (result.access_key, result.region) == ("AKIDADMIN", "eu-west-3")


def test_default_credentials_are_test_test():
    assert dict(DEFAULT_CREDENTIALS) == {"test": "test"}
    check(sign(), credentials=DEFAULT_CREDENTIALS)


def test_session_token_is_signed_and_returned_but_not_shown():
    request = sign(token="FQoGZXIvYXdzEXAMPLETOKEN==")
    assert header(request, "X-Amz-Security-Token") == "FQoGZXIvYXdzEXAMPLETOKEN=="
    result = check(request)
    assert "x-amz-security-token" in result.signed_headers
    assert result.session_token == "FQoGZXIvYXdzEXAMPLETOKEN=="
    assert "FQoGZXIvYXdz" not in repr(result)
    # The token is covered by the signature.
    refused(replace_header(request, "X-Amz-Security-Token", "other"), "InvalidSignatureException")


@pytest.mark.parametrize(
    "url",
    [
        ENDPOINT + "/some/path",
        ENDPOINT + "/some/path/",
        ENDPOINT + "/a%20b/c%2Fd/~x",
        ENDPOINT + "/a/./b/../c//d",
        ENDPOINT + "/%E2%9C%93",
        ENDPOINT,
    ],
)
def test_paths_other_than_root(url):
    request = sign(url=url)
    check(request)
    refused({**request, "path": request["path"] + "x"}, "InvalidSignatureException")


def test_raw_path_with_dot_segments_is_normalised_like_botocore():
    request = sign(url=ENDPOINT + "/a/./b/../c//d")
    assert request["path"] == "/a/./b/../c//d"
    check({**request, "path": "/a/c/d"})


def test_query_string_from_params():
    request = sign(params={"b": "2", "a": "x y+z/é~", "empty": ""})
    assert request["query"]
    check(request)
    refused(
        {**request, "query": request["query"].replace("b=2", "b=3")}, "InvalidSignatureException"
    )


def test_query_string_written_in_url():
    request = sign(url=ENDPOINT + "/?z=1&a=2&a=1&plus=a+b&k")
    check(request)
    refused({**request, "query": "z=1&a=2"}, "InvalidSignatureException")


def test_asgi_shaped_input_bytes_everywhere():
    request = sign("AdminCreateUser", admin_body({"Username": "zoë"}), url=ENDPOINT + "/p%20q")
    asgi_headers = [
        (name.lower().encode("latin-1"), value.encode("latin-1"))
        for name, value in request["headers"]
    ]
    result = verify(
        b"POST",
        request["path"].encode("ascii"),
        request["query"].encode("ascii"),
        asgi_headers,
        request["body"],
        CREDENTIALS,
        NOW,
    )
    assert result.access_key == "test"


def test_headers_as_mapping():
    request = sign()
    check({**request, "headers": dict(request["headers"])})


def test_header_values_are_trimmed_and_spaces_collapsed():
    request = sign(headers={"X-Custom": "  a   b \t c  "})
    assert "x-custom" in check(request).signed_headers
    check(replace_header(request, "X-Custom", "a b c"))
    refused(replace_header(request, "X-Custom", "a bc"), "InvalidSignatureException")


def test_repeated_header_values_are_joined_with_commas():
    request = sign(headers={"X-Multi": "one,two"})
    split = drop_header(request, "X-Multi")
    split["headers"] += [("X-Multi", "one"), ("x-multi", "two")]
    check(split)


def test_header_name_case_does_not_matter():
    request = sign()
    upper = {**request, "headers": [(n.upper(), v) for n, v in request["headers"]]}
    check(upper)


def test_date_header_instead_of_x_amz_date():
    request = sign(headers={"Date": "Thu, 01 Jan 1970 00:00:00 GMT"})
    assert not any(n.lower() == "x-amz-date" for n, _ in request["headers"])
    assert header(request, "Date") == "Thu, 26 Nov 2026 10:30:00 -0000"
    assert check(request).amz_date == "20261126T103000Z"


def test_x_amz_content_sha256_matching_the_body_is_accepted():
    body = admin_body({"UserPoolId": "us-east-1_X"})
    digest = hashlib.sha256(body).hexdigest()
    request = sign("DescribeUserPool", body, headers={"X-Amz-Content-Sha256": digest})
    assert "x-amz-content-sha256" in check(request).signed_headers


def test_skew_window_edges():
    request = sign()
    check(request, now=NOW + 300)
    check(request, now=NOW - 300)
    check(request, now=NOW + 899, max_skew=900)


# -- refusals ------------------------------------------------------------------------


def test_missing_authorization_is_missing_authentication_token():
    request = drop_header(sign(), "Authorization")
    assert refused(request, "MissingAuthenticationTokenException") == (
        "Missing Authentication Token"
    )


def test_unsigned_browser_style_request_is_missing_authentication_token():
    request = wire(
        "POST",
        ENDPOINT + "/",
        [("Content-Type", JSON_TYPE), ("X-Amz-Target", TARGET + "ListUsers")],
        b"{}",
    )
    refused(request, "MissingAuthenticationTokenException")


def test_tampered_body():
    request = sign("AdminCreateUser", admin_body({"Username": "alice"}))
    msg = refused(
        {**request, "body": admin_body({"Username": "mallory"})}, "InvalidSignatureException"
    )
    assert msg == MISMATCH


def test_tampered_signed_header():
    request = sign("ListUsers")
    refused(
        replace_header(request, "X-Amz-Target", TARGET + "AdminDeleteUser"),
        "InvalidSignatureException",
    )
    refused(replace_header(request, "Host", "evil.example:9229"), "InvalidSignatureException")


def test_unsigned_extra_header_is_ignored():
    request = sign()
    request["headers"].append(("X-Unsigned", "whatever"))
    assert "x-unsigned" not in check(request).signed_headers


def test_wrong_method():
    request = sign()
    refused({**request, "method": "PUT"}, "InvalidSignatureException")


def test_wrong_secret():
    assert refused(sign(secret="not-the-secret"), "InvalidSignatureException") == MISMATCH
    refused(sign(key="AKIDADMIN", secret="test"), "InvalidSignatureException")


def test_unknown_access_key():
    msg = refused(sign(key="AKIDUNKNOWN", secret="x"), "UnrecognizedClientException")
    assert msg == "The security token included in the request is invalid."


def test_expired_date():
    msg = refused(sign(), "InvalidSignatureException", now=NOW + 301)
    assert msg == (
        "Signature expired: 20261126T103000Z is now earlier than 20261126T103001Z "
        "(20261126T103501Z - 5 min.)"
    )


def test_date_in_the_future():
    msg = refused(sign(), "InvalidSignatureException", now=NOW - 3600)
    assert msg == (
        "Signature not yet current: 20261126T103000Z is still later than 20261126T093500Z "
        "(20261126T093000Z + 5 min.)"
    )


def test_expired_date_with_custom_skew_message():
    msg = refused(sign(), "InvalidSignatureException", now=NOW + 901, max_skew=900)
    assert msg.endswith("- 15 min.)")


def test_changing_x_amz_date_breaks_the_signature():
    request = sign()
    refused(replace_header(request, "X-Amz-Date", "20261126T103001Z"), "InvalidSignatureException")


def test_wrong_service_in_scope():
    msg = refused(sign(service="dynamodb"), "InvalidSignatureException")
    assert msg == "Credential should be scoped to correct service: 'cognito-idp'. "


def test_region_pinning():
    request = sign(region="eu-west-1")
    check(request)
    msg = refused(request, "InvalidSignatureException", region="us-east-1")
    assert msg == "Credential should be scoped to a valid region, not 'eu-west-1'. "
    assert check(request, region="eu-west-1").region == "eu-west-1"


def test_scope_date_must_match_x_amz_date():
    request = sign()
    auth = header(request, "Authorization").replace("/20261126/", "/20261125/")
    msg = refused(replace_header(request, "Authorization", auth), "InvalidSignatureException")
    assert msg.startswith("Date in Credential scope does not match YYYYMMDD")
    assert "'20261125' != '20261126'" in msg


def test_bad_terminator():
    request = sign()
    auth = header(request, "Authorization").replace("/aws4_request", "/aws5_request")
    msg = refused(replace_header(request, "Authorization", auth), "InvalidSignatureException")
    assert "aws4_request" in msg


def test_credential_with_wrong_number_of_elements():
    request = sign()
    auth = header(request, "Authorization").replace("Credential=test/", "Credential=te/st/")
    msg = refused(replace_header(request, "Authorization", auth), "IncompleteSignatureException")
    assert msg.startswith("Credential must have exactly 5 slash-delimited elements")


@pytest.mark.parametrize(
    ("mangle", "needle"),
    [
        (lambda a: a.split(", Signature=")[0], "requires 'Signature' parameter"),
        (lambda a: a.replace("SignedHeaders=", "Headers="), "requires 'SignedHeaders' parameter"),
        (lambda a: a.replace("Signature=", "Signature"), "missing equal-sign"),
        (lambda a: a.replace(", ", ","), "requires 'Signature' parameter"),
        (lambda a: "AWS4-HMAC-SHA256", "requires 'Credential' parameter"),
        (lambda a: a.replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512"), "requires 'Credential'"),
        (lambda a: "", "requires 'Credential' parameter"),
    ],
)
def test_malformed_authorization(mangle, needle):
    request = sign()
    mangled = replace_header(request, "Authorization", mangle(header(request, "Authorization")))
    assert needle in refused(mangled, "IncompleteSignatureException")


def test_bearer_token_in_authorization_is_not_echoed():
    request = replace_header(sign(), "Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.secret.sig")
    msg = refused(request, "IncompleteSignatureException")
    assert "eyJ" not in msg


def test_missing_date():
    msg = refused(drop_header(sign(), "X-Amz-Date"), "IncompleteSignatureException")
    assert "requires existence of either a 'X-Amz-Date' or a 'Date' header" in msg


def test_malformed_x_amz_date():
    request = sign()
    for bad in ("2026-11-26T10:30:00Z", "20261399T103000Z"):
        msg = refused(replace_header(request, "X-Amz-Date", bad), "IncompleteSignatureException")
        assert msg.startswith("Date must be in ISO-8601 'basic format'.")


def test_signed_header_not_present():
    request = drop_header(sign(), "X-Amz-Target")
    msg = refused(request, "IncompleteSignatureException")
    assert msg == (
        "'x-amz-target' is named as a SignedHeader, but it does not exist in the HTTP request."
    )


def test_host_must_be_signed():
    request = sign()
    auth = header(request, "Authorization").replace("host;", "")
    msg = refused(replace_header(request, "Authorization", auth), "InvalidSignatureException")
    assert msg == "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."


def test_two_authorization_headers():
    request = sign()
    request["headers"].append(("Authorization", header(request, "Authorization")))
    refused(request, "IncompleteSignatureException")


def test_declared_content_sha256_must_match_the_body():
    original = admin_body({"Username": "alice"})
    digest = hashlib.sha256(original).hexdigest()
    request = sign("AdminGetUser", original, headers={"X-Amz-Content-Sha256": digest})
    # The signature covers the declared hash, not the body: swapping the body keeps the
    # signature valid, so the declared hash must be checked against the body received.
    msg = refused(
        {**request, "body": admin_body({"Username": "mallory"})}, "InvalidSignatureException"
    )
    assert "x-amz-content-sha256" in msg


def test_unsigned_payload_is_refused():
    request = sign(headers={"X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD"})
    refused(request, "InvalidSignatureException")


def test_secret_never_in_any_message_or_repr():
    request = sign(key="AKIDADMIN", secret=SECRET)
    result = check(request)
    assert SECRET not in repr(result)
    for bad in (
        {**request, "body": b"{"},
        replace_header(request, "X-Amz-Date", "20261126T103001Z"),
        drop_header(request, "Host"),
    ):
        refused(bad, refused_type(bad))


def refused_type(request):
    try:
        check(request)
    except SigV4Error as err:
        return err.error_type
    raise AssertionError("accepted")


# -- what boto3 really sends ---------------------------------------------------------


class _Raw:
    def __init__(self, data: bytes):
        self._data = data

    def stream(self, **_kwargs):
        yield self._data


def _captured_boto3_requests(calls, **client_kwargs):
    """Run boto3 calls against a fake endpoint; return the requests as received."""
    client = boto3.client(
        "cognito-idp",
        endpoint_url="http://127.0.0.1:1",
        region_name=client_kwargs.pop("region_name", "us-east-1"),
        aws_access_key_id=client_kwargs.pop("key", "test"),
        aws_secret_access_key=client_kwargs.pop("secret", "test"),
        config=Config(retries={"max_attempts": 1}),
        **client_kwargs,
    )
    captured = []

    def before_send(request, **_kwargs):
        captured.append(
            wire(request.method, request.url, request.headers.items(), request.body, asgi=True)
        )
        return AWSResponse(
            request.url, 200, {"x-amzn-requestid": "0", "content-type": JSON_TYPE}, _Raw(b"{}")
        )

    client.meta.events.register("before-send.cognito-idp", before_send)
    for name, kwargs in calls:
        getattr(client, name)(**kwargs)
    return captured


BOTO3_CALLS = [
    ("create_user_pool", {"PoolName": "démo pool"}),
    ("list_user_pools", {"MaxResults": 10}),
    (
        "admin_create_user",
        {
            "UserPoolId": "us-east-1_AbCdEfGhI",
            "Username": "zoë",
            "TemporaryPassword": "P@ssw0rd!",
            "UserAttributes": [{"Name": "email", "Value": "zoë@exämple.com"}],
        },
    ),
    ("list_users", {"UserPoolId": "us-east-1_AbCdEfGhI", "Filter": 'email = "a@b.c"'}),
    ("admin_delete_user", {"UserPoolId": "us-east-1_AbCdEfGhI", "Username": "zoë"}),
]


def test_boto3_client_requests_verify():
    requests = _captured_boto3_requests(BOTO3_CALLS)
    assert len(requests) == len(BOTO3_CALLS)
    for request in requests:
        assert request["method"] == "POST"
        assert request["path"] == "/"
        assert header(request, "Authorization").startswith(
            "AWS4-HMAC-SHA256 Credential=test/20261126/us-east-1/cognito-idp/aws4_request, "
        )
        result = check(request)
        assert result.access_key == "test"
        assert "x-amz-target" in result.signed_headers


def test_boto3_client_with_session_token_and_other_region():
    requests = _captured_boto3_requests(
        [("list_users", {"UserPoolId": "eu-west-3_AbCdEfGhI"})],
        region_name="eu-west-3",
        key="AKIDADMIN",
        secret=SECRET,
        aws_session_token="IQoJb3JpZ2luX2VjEXAMPLE",
    )
    result = check(requests[0], region="eu-west-3")
    assert (result.access_key, result.region) == ("AKIDADMIN", "eu-west-3")
    assert result.session_token == "IQoJb3JpZ2luX2VjEXAMPLE"


def test_boto3_client_with_wrong_secret_is_refused():
    requests = _captured_boto3_requests(BOTO3_CALLS[:1], secret="wrong")
    assert refused(requests[0], "InvalidSignatureException") == MISMATCH


def test_boto3_over_a_real_socket_verifies():
    """End to end on the wire: urllib3 adds Host and the rest, the server sees raw bytes."""
    import http.server
    import threading

    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            path, _, query = self.path.partition("?")
            headers = [
                (n.lower().encode("latin-1"), v.encode("latin-1")) for n, v in self.headers.items()
            ]
            try:
                result = verify("POST", path, query, headers, body, CREDENTIALS, NOW)
                received.append(result)
                status, answer = 200, b"{}"
            except SigV4Error as err:
                received.append(err)
                status = err.status
                answer = json.dumps({"__type": err.error_type, "message": err.message}).encode()
            self.send_response(status)
            self.send_header("Content-Type", JSON_TYPE)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *_args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"

        def client(secret):
            return boto3.client(
                "cognito-idp",
                endpoint_url=url,
                region_name="us-east-1",
                aws_access_key_id="AKIDADMIN",
                aws_secret_access_key=secret,
                config=Config(retries={"max_attempts": 1}),
            )

        client(SECRET).admin_create_user(UserPoolId="us-east-1_AbCdEfGhI", Username="zoë")
        assert isinstance(received[-1], SigV4Result)
        assert received[-1].access_key == "AKIDADMIN"
        with pytest.raises(botocore.exceptions.ClientError) as caught:
            client("wrong").list_users(UserPoolId="us-east-1_AbCdEfGhI")
        assert caught.value.response["Error"]["Code"] == "InvalidSignatureException"
        assert caught.value.response["Error"]["Message"] == MISMATCH
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
