"""AWS Signature Version 4 verification for the emulator's admin actions.

Admin actions (CreateUserPool, AdminCreateUser, ListUsers, ...) reach the emulator
exactly as boto3 and the AWS CLI send them to ``cognito-idp.<region>.amazonaws.com``
when ``endpoint_url`` points here: ``POST /`` with a JSON body and an ``Authorization``
header of the form::

    AWS4-HMAC-SHA256 Credential=<key id>/<YYYYMMDD>/<region>/cognito-idp/aws4_request,
        SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=<64 hex>

The emulator holds the secret of every access key it accepts (by default ``test`` /
``test``). It cannot check a signature by decrypting anything: it recomputes the
signature the client must have computed and compares the two. :func:`verify` does that,
as a pure function (no I/O, no clock, no logging; the caller passes ``now``). This
module holds :func:`verify` and what it returns; ``_sigv4_request`` reads the request
(steps 1 to 3 below, and :class:`SigV4Error`), ``_sigv4_canonical`` rebuilds the
canonical request and the signing key (steps 5 to 7).

Theory of operation, following the SigV4 specification ("Create a signed AWS API
request", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html,
formerly https://docs.aws.amazon.com/general/latest/gr/sigv4_signing.html) and matching
botocore's ``botocore.auth.SigV4Auth`` byte for byte:

1. **Parse the Authorization header.** The algorithm must be ``AWS4-HMAC-SHA256``;
   its parameters are separated by a comma *and white space* (as AWS does: a header
   written ``Credential=..,SignedHeaders=..`` is read as one long Credential); it must
   carry ``Credential``, ``SignedHeaders`` and ``Signature``, and the request must
   carry ``X-Amz-Date`` (or ``Date``). The credential is
   ``key/date/region/service/aws4_request``.
2. **Check the scope.** The service must be ``cognito-idp``, the terminator
   ``aws4_request``, the scope date the date of ``X-Amz-Date``, and (if the emulator
   pins one) the region its region. ``host`` must be among the signed headers.
3. **Check the clock.** ``X-Amz-Date`` must lie within ``max_skew`` seconds of ``now``
   (AWS uses 5 minutes on JSON services), which bounds replays.
4. **Find the secret** of the access key; an unknown key is refused.
5. **Rebuild the canonical request**::

       METHOD \\n
       CanonicalURI \\n          the raw (already URI-encoded) path with dot segments
                                 and repeated slashes removed, URI-encoded once more
                                 (every service but S3 double-encodes), "/" if empty
       CanonicalQueryString \\n  name=value pairs, each URI-encoded (RFC 3986
                                 unreserved characters kept), sorted by name then value
       CanonicalHeaders \\n      lowercase name ":" value trimmed with runs of white
                                 space collapsed; repeated headers joined with ","; one
                                 line per signed header, sorted, each ending in "\\n"
       SignedHeaders \\n         the sorted lowercase names joined with ";"
       HashedPayload             hex SHA-256 of the body, or the X-Amz-Content-Sha256
                                 header's value when the client sent one

6. **String to sign**: ``AWS4-HMAC-SHA256 \\n <X-Amz-Date> \\n
   <date>/<region>/<service>/aws4_request \\n hex(SHA256(canonical request))``.
7. **Signing key**: ``kDate = HMAC("AWS4" + secret, date)``, ``kRegion = HMAC(kDate,
   region)``, ``kService = HMAC(kRegion, service)``, ``kSigning = HMAC(kService,
   "aws4_request")``; the signature is ``hex(HMAC(kSigning, string to sign))``.
8. **Compare** with :func:`hmac.compare_digest` (constant time). When the client sent
   ``X-Amz-Content-Sha256``, that value must also equal the SHA-256 of the body that
   arrived (otherwise the body would not be protected by the signature);
   ``UNSIGNED-PAYLOAD`` is therefore refused.

Query strings: botocore signs a query given as ``params`` by URI-encoding the decoded
pairs (spaces sent as ``+`` are signed as ``%20``) but signs a query already written into
the URL as its raw pairs, sorted. Both forms are tried; they coincide for the canonical
encodings every SDK emits, and Cognito's API never uses a query string anyway.

Errors are raised as :class:`SigV4Error` with the ``__type`` and message AWS JSON
services (Coral) answer with, all with HTTP status 400 as observed on the wire:

=================================== ===================================================
``MissingAuthenticationTokenException`` no Authorization header:
                                    ``Missing Authentication Token`` (what Cognito
                                    answers to unsigned AdminCreateUser and ListUsers
                                    calls: aws/aws-aspnet-cognito-identity-provider#66,
                                    #155; aws/aws-sdk-net-extensions-cognito#95)
``IncompleteSignatureException``    a header that cannot be read (missing parameter,
                                    no ``=``, bad credential shape, bad date format,
                                    a signed header absent from the request)
``UnrecognizedClientException``     unknown access key: ``The security token included
                                    in the request is invalid.``
``InvalidSignatureException``       wrong service/region/date in the scope, ``host``
                                    not signed, a stale or future date (``Signature
                                    expired: ...`` / ``Signature not yet current:
                                    ...``), a wrong signature, a body whose hash is
                                    not the one declared
=================================== ===================================================

Secrets never appear in a message, an exception attribute or a repr; the module logs
nothing. Messages may quote the access key id and the Authorization header, as AWS's do
(neither is secret: the signature is an HMAC output, useless without the secret).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass

from ._sigv4_canonical import (
    TERMINATOR,
    _canonical_headers,
    _canonical_query_candidates,
    _canonical_uri,
    _sha256_hex,
    _signing_key,
)
from ._sigv4_request import (
    _AMZ_DATE_FORMAT,
    _AMZ_DATE_RE,
    ALGORITHM,
    INCOMPLETE_SIGNATURE,
    INVALID_SIGNATURE,
    MISSING_TOKEN,
    MSG_HOST_NOT_SIGNED,
    MSG_MISSING_TOKEN,
    MSG_PAYLOAD_MISMATCH,
    MSG_SIGNATURE_MISMATCH,
    MSG_UNRECOGNIZED_CLIENT,
    UNRECOGNIZED_CLIENT,
    HeadersLike,
    SigV4Error,
    _check_skew,
    _first,
    _header_list,
    _parse_amz_date,
    _parse_authorization,
    _parse_http_date,
    _text,
)

__all__ = [
    "ALGORITHM",
    "DEFAULT_CREDENTIALS",
    "SERVICE",
    "SigV4Error",
    "SigV4Result",
    "verify",
]

SERVICE = "cognito-idp"
"""The signing name of Amazon Cognito user pools, the service part of the scope."""

DEFAULT_CREDENTIALS: Mapping[str, str] = {"test": "test"}
"""The access key / secret pair the emulator accepts unless configured otherwise."""


@dataclass(frozen=True)
class SigV4Result:
    """What a correctly signed request proved.

    Attributes:
        access_key: The access key id that signed the request.
        region: The region of the credential scope (``us-east-1``...).
        service: The service of the credential scope (always ``cognito-idp``).
        amz_date: The request's signing time, ``YYYYMMDDTHHMMSSZ``.
        signed_headers: The lowercase names of the headers the signature covers.
        session_token: The ``X-Amz-Security-Token`` sent, if any. The emulator has no
            STS and does not check it; it is kept out of ``repr``.
    """

    access_key: str
    region: str
    service: str
    amz_date: str
    signed_headers: tuple[str, ...]
    session_token: str | None = None

    def __repr__(self) -> str:
        token = "<present>" if self.session_token is not None else None
        return (
            f"SigV4Result(access_key={self.access_key!r}, region={self.region!r}, "
            f"service={self.service!r}, amz_date={self.amz_date!r}, "
            f"signed_headers={self.signed_headers!r}, session_token={token!r})"
        )


def verify(
    method: str | bytes,
    path: str | bytes,
    query: str | bytes,
    headers: HeadersLike,
    body: bytes,
    credentials: Mapping[str, str],
    now: float,
    max_skew: float = 300,
    *,
    service: str = SERVICE,
    region: str | None = None,
) -> SigV4Result:
    """Check the SigV4 signature of one HTTP request.

    Args:
        method: The HTTP method (``"POST"``).
        path: The path exactly as it appeared on the request line, still
            percent-encoded and without the query (ASGI ``scope["raw_path"]``).
        query: The raw query string without ``?`` (ASGI ``scope["query_string"]``),
            ``""`` if none.
        headers: Every request header as received, as a list of ``(name, value)`` pairs
            (ASGI ``scope["headers"]``, bytes are decoded as latin-1) or a mapping. Repeated
            headers must stay repeated in the list.
        body: The raw body bytes as received, before any parsing.
        credentials: Access key id -> secret access key, the pairs the emulator accepts.
        now: The current time, seconds since the epoch (``time.time()``).
        max_skew: How far, in seconds, ``X-Amz-Date`` may lie from ``now`` either way.
        service: The signing name the scope must carry.
        region: If given, the only region the scope may carry; by default any region is
            accepted (the emulator serves every region) and returned.

    Returns:
        A :class:`SigV4Result` naming the access key and region that signed.

    Raises:
        SigV4Error: The request is not signed, or not signed correctly; ``error_type``
            and ``message`` are what AWS would answer (see the module docstring).
    """
    header_list = _header_list(headers)
    auth_values = [v for n, v in header_list if n == "authorization"]
    if not auth_values:
        raise SigV4Error(MISSING_TOKEN, MSG_MISSING_TOKEN)
    if len(auth_values) > 1:
        raise SigV4Error(INCOMPLETE_SIGNATURE, "Found multiple Authorization headers.")
    authorization = auth_values[0]

    amz_date = _first(header_list, "x-amz-date")
    date_header = _first(header_list, "date")
    has_date = amz_date is not None or date_header is not None
    params = _parse_authorization(authorization, has_date=has_date)

    credential = params["Credential"]
    parts = credential.split("/")
    if len(parts) != 5:
        raise SigV4Error(
            INCOMPLETE_SIGNATURE,
            "Credential must have exactly 5 slash-delimited elements, "
            f"e.g. keyid/date/region/service/term, got '{credential}'",
        )
    access_key, scope_date, scope_region, scope_service, terminator = parts

    signed_names = params["SignedHeaders"].split(";")
    signature = params["Signature"]

    if amz_date is not None:
        if not _AMZ_DATE_RE.match(amz_date):
            raise SigV4Error(
                INCOMPLETE_SIGNATURE,
                f"Date must be in ISO-8601 'basic format'. Got '{amz_date}'. "
                "See http://en.wikipedia.org/wiki/ISO_8601",
            )
        request_time = _parse_amz_date(amz_date)
    else:
        request_time = _parse_http_date(date_header or "")
        amz_date = request_time.strftime(_AMZ_DATE_FORMAT)

    if scope_service != service:
        raise SigV4Error(
            INVALID_SIGNATURE, f"Credential should be scoped to correct service: '{service}'. "
        )
    if region is not None and scope_region != region:
        raise SigV4Error(
            INVALID_SIGNATURE,
            f"Credential should be scoped to a valid region, not '{scope_region}'. ",
        )
    if terminator != TERMINATOR:
        raise SigV4Error(
            INVALID_SIGNATURE,
            f"Credential should be scoped with a valid terminator: '{TERMINATOR}', "
            f"not '{terminator}'. ",
        )
    if scope_date != amz_date[:8]:
        raise SigV4Error(
            INVALID_SIGNATURE,
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of "
            f"date from HTTP: '{scope_date}' != '{amz_date[:8]}', from '{amz_date}'.",
        )
    if "host" not in signed_names:
        raise SigV4Error(INVALID_SIGNATURE, MSG_HOST_NOT_SIGNED)

    _check_skew(request_time, amz_date, now, max_skew)

    secret = credentials.get(access_key)
    if secret is None:
        raise SigV4Error(UNRECOGNIZED_CLIENT, MSG_UNRECOGNIZED_CLIENT)

    canonical_headers = _canonical_headers(header_list, signed_names)
    declared_hash = _first(header_list, "x-amz-content-sha256")
    payload_hash = declared_hash if declared_hash is not None else _sha256_hex(body)
    method_str = _text(method).upper()
    canonical_uri = _canonical_uri(path)
    scope = f"{scope_date}/{scope_region}/{scope_service}/{TERMINATOR}"
    signing_key = _signing_key(secret, scope_date, scope_region, scope_service)
    provided = signature.encode("utf-8")

    matched = False
    for canonical_query in _canonical_query_candidates(query):
        canonical_request = "\n".join(
            [
                method_str,
                canonical_uri,
                canonical_query,
                canonical_headers + "\n",
                ";".join(sorted(set(signed_names))),
                payload_hash,
            ]
        )
        string_to_sign = "\n".join(
            [ALGORITHM, amz_date, scope, _sha256_hex(canonical_request.encode("utf-8"))]
        )
        expected = hmac.new(signing_key, string_to_sign.encode("utf-8"), hashlib.sha256)
        # Evaluate every candidate so the time taken does not depend on which matched.
        matched |= hmac.compare_digest(expected.hexdigest().encode("ascii"), provided)
    if not matched:
        raise SigV4Error(INVALID_SIGNATURE, MSG_SIGNATURE_MISMATCH)

    if declared_hash is not None and not hmac.compare_digest(
        declared_hash.lower().encode("utf-8"), _sha256_hex(body).encode("ascii")
    ):
        raise SigV4Error(INVALID_SIGNATURE, MSG_PAYLOAD_MISMATCH)

    return SigV4Result(
        access_key=access_key,
        region=scope_region,
        service=scope_service,
        amz_date=amz_date,
        signed_headers=tuple(sorted(set(signed_names))),
        session_token=_first(header_list, "x-amz-security-token"),
    )
