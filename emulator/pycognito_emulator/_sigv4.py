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
as a pure function (no I/O, no clock, no logging; the caller passes ``now``).

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

import datetime as _dt
import email.utils
import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote, unquote_to_bytes

__all__ = [
    "ALGORITHM",
    "DEFAULT_CREDENTIALS",
    "SERVICE",
    "SigV4Error",
    "SigV4Result",
    "verify",
]

ALGORITHM = "AWS4-HMAC-SHA256"
"""The only signing algorithm accepted (SigV4 with HMAC-SHA256)."""

SERVICE = "cognito-idp"
"""The signing name of Amazon Cognito user pools, the service part of the scope."""

DEFAULT_CREDENTIALS: Mapping[str, str] = {"test": "test"}
"""The access key / secret pair the emulator accepts unless configured otherwise."""

TERMINATOR = "aws4_request"
_AMZ_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
_AMZ_DATE_RE = re.compile(r"^\d{8}T\d{6}Z$")
# Coral separates the Authorization parameters by a comma followed by white space.
_PARAM_SPLIT_RE = re.compile(r",\s+")

MISSING_TOKEN = "MissingAuthenticationTokenException"
INCOMPLETE_SIGNATURE = "IncompleteSignatureException"
UNRECOGNIZED_CLIENT = "UnrecognizedClientException"
INVALID_SIGNATURE = "InvalidSignatureException"

MSG_MISSING_TOKEN = "Missing Authentication Token"
MSG_UNRECOGNIZED_CLIENT = "The security token included in the request is invalid."
MSG_SIGNATURE_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. "
    "Consult the service documentation for details."
)
MSG_PAYLOAD_MISMATCH = (
    "The provided 'x-amz-content-sha256' header does not match what was computed."
)
MSG_HOST_NOT_SIGNED = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."


class SigV4Error(Exception):
    """A request whose SigV4 signature is absent, unreadable or wrong.

    The emulator turns it into a Cognito-shaped error answer: HTTP ``status``, body
    ``{"__type": error_type, "message": message}`` and the ``x-amzn-ErrorType`` header.

    Attributes:
        error_type: The ``__type`` AWS answers with, without namespace
            (``"InvalidSignatureException"``...).
        message: The message AWS answers with. Never contains a secret.
        status: The HTTP status to answer with (400, as AWS JSON services do).
    """

    def __init__(self, error_type: str, message: str, status: int = 400) -> None:
        """Create the error.

        Args:
            error_type: The AWS error type (``__type``), without namespace.
            message: The AWS message.
            status: The HTTP status code.
        """
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.status = status

    def __repr__(self) -> str:
        return f"SigV4Error({self.error_type!r}, {self.message!r}, status={self.status})"


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


HeadersLike = Mapping[str, str] | Iterable[tuple[str | bytes, str | bytes]]


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


# -- parsing -------------------------------------------------------------------------


def _text(value: str | bytes) -> str:
    """Return ``value`` as text, decoding bytes as latin-1 (HTTP's byte-preserving map).

    Args:
        value: A string, or bytes as an ASGI server hands them over.

    Returns:
        The text.
    """
    return value.decode("latin-1") if isinstance(value, bytes | bytearray) else value


def _wire_bytes(value: str | bytes) -> bytes:
    """Return the bytes a value had on the wire.

    Args:
        value: Bytes as received, or text (latin-1 decoded bytes, or Unicode text, which
            an SDK would have sent as UTF-8).

    Returns:
        The bytes.
    """
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8")


def _header_list(headers: HeadersLike) -> list[tuple[str, str]]:
    """Normalise the request headers to ``(lowercase name, value)`` pairs, in order.

    Args:
        headers: A mapping or an iterable of ``(name, value)`` pairs (str or bytes).

    Returns:
        The pairs, names lowercased and stripped, values as received.
    """
    items = headers.items() if isinstance(headers, Mapping) else headers
    return [(_text(name).strip().lower(), _text(value)) for name, value in items]


def _first(header_list: list[tuple[str, str]], name: str) -> str | None:
    """Return the first value of header ``name`` with surrounding white space removed.

    Args:
        header_list: The normalised headers.
        name: A lowercase header name.

    Returns:
        The value, or ``None`` if the header is absent.
    """
    for key, value in header_list:
        if key == name:
            return value.strip()
    return None


def _parse_authorization(authorization: str, has_date: bool) -> dict[str, str]:
    """Split an ``AWS4-HMAC-SHA256`` Authorization header into its parameters.

    Args:
        authorization: The header value.
        has_date: Whether the request carries ``X-Amz-Date`` or ``Date``.

    Returns:
        ``{"Credential": ..., "SignedHeaders": ..., "Signature": ...}`` (and any other
        parameter the client added).

    Raises:
        SigV4Error: ``IncompleteSignatureException`` if the header cannot be read or
            lacks a parameter, or the request lacks a date.
    """
    text = authorization.strip()
    algorithm, _, rest = text.partition(" ")
    params: dict[str, str] = {}
    if algorithm == ALGORITHM:
        for item in _PARAM_SPLIT_RE.split(rest.strip()):
            if not item:
                continue
            key, eq, value = item.partition("=")
            if not eq:
                raise SigV4Error(
                    INCOMPLETE_SIGNATURE,
                    f"'{item}' not a valid key=value pair (missing equal-sign) in "
                    f"Authorization header: '{authorization}'.",
                )
            params[key.strip()] = value.strip()
    problems = [
        f"Authorization header requires '{name}' parameter."
        for name in ("Credential", "Signature", "SignedHeaders")
        if not params.get(name)
    ]
    if not has_date:
        problems.append(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
        )
    if problems:
        if algorithm == ALGORITHM:
            # AWS echoes the header; only an AWS4 one, which holds no secret (a bearer
            # token sent by mistake would be one).
            problems.append(f"Authorization={authorization}")
        raise SigV4Error(INCOMPLETE_SIGNATURE, " ".join(problems))
    return params


def _parse_amz_date(amz_date: str) -> _dt.datetime:
    """Parse ``YYYYMMDDTHHMMSSZ`` as an aware UTC datetime.

    Args:
        amz_date: The ``X-Amz-Date`` value, already matched against the pattern.

    Returns:
        The time it names.

    Raises:
        SigV4Error: ``IncompleteSignatureException`` if it names no real time.
    """
    try:
        parsed = _dt.datetime.strptime(amz_date, _AMZ_DATE_FORMAT)
    except ValueError:
        raise SigV4Error(
            INCOMPLETE_SIGNATURE,
            f"Date must be in ISO-8601 'basic format'. Got '{amz_date}'. "
            "See http://en.wikipedia.org/wiki/ISO_8601",
        ) from None
    return parsed.replace(tzinfo=_dt.UTC)


def _parse_http_date(value: str) -> _dt.datetime:
    """Parse an HTTP ``Date`` header (RFC 9110 IMF-fixdate), used when X-Amz-Date is absent.

    Args:
        value: The header value.

    Returns:
        The time it names, as an aware UTC datetime.

    Raises:
        SigV4Error: ``IncompleteSignatureException`` if it cannot be read.
    """
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is None:
        raise SigV4Error(INCOMPLETE_SIGNATURE, f"Date header could not be parsed: '{value}'.")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=_dt.UTC)
    return parsed.astimezone(_dt.UTC)


def _check_skew(request_time: _dt.datetime, amz_date: str, now: float, max_skew: float) -> None:
    """Refuse a signing time more than ``max_skew`` seconds away from ``now``.

    Args:
        request_time: The signing time.
        amz_date: The signing time as sent, quoted in the message.
        now: The current time, seconds since the epoch.
        max_skew: The tolerance in seconds.

    Raises:
        SigV4Error: ``InvalidSignatureException`` with AWS's ``Signature expired`` or
            ``Signature not yet current`` message.
    """
    current = _dt.datetime.fromtimestamp(now, _dt.UTC)
    skew = _dt.timedelta(seconds=max_skew)
    minutes = f"{max_skew / 60:g}"
    if request_time < current - skew:
        raise SigV4Error(
            INVALID_SIGNATURE,
            f"Signature expired: {amz_date} is now earlier than "
            f"{_fmt(current - skew)} ({_fmt(current)} - {minutes} min.)",
        )
    if request_time > current + skew:
        raise SigV4Error(
            INVALID_SIGNATURE,
            f"Signature not yet current: {amz_date} is still later than "
            f"{_fmt(current + skew)} ({_fmt(current)} + {minutes} min.)",
        )


def _fmt(moment: _dt.datetime) -> str:
    """Format a datetime as ``YYYYMMDDTHHMMSSZ``.

    Args:
        moment: An aware UTC datetime.

    Returns:
        The basic ISO-8601 form.
    """
    return moment.strftime(_AMZ_DATE_FORMAT)


# -- canonical request ---------------------------------------------------------------


def _uri_encode(data: str | bytes, safe: str) -> str:
    """URI-encode as SigV4 does: RFC 3986 unreserved characters (and ``safe``) kept.

    Args:
        data: Text (encoded as UTF-8) or bytes.
        safe: Extra characters left alone (``"/"`` for paths).

    Returns:
        The encoded text, escapes in upper-case hex.
    """
    # urllib's always-safe set is exactly RFC 3986's unreserved set: A-Z a-z 0-9 - _ . ~
    return quote(data, safe=safe)


def _remove_dot_segments(path: str) -> str:
    """Normalise a path: drop ``.`` and empty segments, apply ``..`` (RFC 3986 5.2.4).

    AWS also collapses repeated slashes; a leading and a trailing slash are kept.

    Args:
        path: The raw path.

    Returns:
        The normalised path, ``"/"`` for an empty one.
    """
    if not path:
        return "/"
    out: list[str] = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if out:
                out.pop()
        else:
            out.append(segment)
    first = "/" if path.startswith("/") else ""
    last = "/" if path.endswith("/") and out else ""
    return first + "/".join(out) + last


def _canonical_uri(raw_path: str | bytes) -> str:
    """Build the CanonicalURI of a non-S3 request from the path as sent.

    Args:
        raw_path: The path as it appeared on the request line (already encoded once).

    Returns:
        The normalised path, URI-encoded again with ``/`` kept.
    """
    path = _wire_bytes(raw_path).decode("latin-1")
    return _uri_encode(_remove_dot_segments(path).encode("latin-1"), safe="/~")


def _canonical_query_candidates(query: str | bytes) -> list[str]:
    """Build the CanonicalQueryString in the forms SDKs sign.

    Args:
        query: The raw query string, without ``?``.

    Returns:
        One or two distinct candidates: first the specification's form (pairs decoded,
        ``+`` read as a space, then URI-encoded and sorted), then botocore's form for a
        query written into the URL (raw pairs sorted), if it differs.
    """
    raw = _wire_bytes(query).decode("latin-1")
    if raw.startswith("?"):
        raw = raw[1:]
    if not raw:
        return [""]
    encoded: list[tuple[str, str]] = []
    verbatim: list[tuple[str, str]] = []
    for pair in raw.split("&"):
        key, _, value = pair.partition("=")
        verbatim.append((key, value))
        if not pair:
            continue
        encoded.append((_decode_then_encode(key), _decode_then_encode(value)))
    candidates = ["&".join(f"{k}={v}" for k, v in sorted(encoded))]
    botocore_form = "&".join(f"{k}={v}" for k, v in sorted(verbatim))
    if botocore_form != candidates[0]:
        candidates.append(botocore_form)
    return candidates


def _decode_then_encode(component: str) -> str:
    """Percent-decode a query component (``+`` as space) and URI-encode it canonically.

    Args:
        component: A raw query name or value.

    Returns:
        Its canonical encoding; undecodable bytes survive unchanged.
    """
    raw = unquote_to_bytes(component.replace("+", " ").encode("latin-1"))
    return _uri_encode(raw, safe="-_.~")


def _canonical_headers(header_list: list[tuple[str, str]], signed_names: list[str]) -> str:
    """Build the CanonicalHeaders block (without its final newline).

    Args:
        header_list: The normalised request headers.
        signed_names: The names listed in SignedHeaders.

    Returns:
        ``name:value`` lines for the signed headers, sorted by name, values trimmed with
        runs of white space collapsed, repeated headers joined with ``,``.

    Raises:
        SigV4Error: ``IncompleteSignatureException`` if a signed header is absent.
    """
    lines = []
    for name in sorted(set(signed_names)):
        values = [" ".join(v.split()) for n, v in header_list if n == name]
        if not values:
            raise SigV4Error(
                INCOMPLETE_SIGNATURE,
                f"'{name}' is named as a SignedHeader, but it does not exist in the HTTP request.",
            )
        lines.append(f"{name}:{','.join(values)}")
    return "\n".join(lines)


# -- crypto --------------------------------------------------------------------------


def _sha256_hex(data: bytes) -> str:
    """Return the lowercase hex SHA-256 of ``data``.

    Args:
        data: Bytes to hash.

    Returns:
        64 hex characters.
    """
    return hashlib.sha256(data).hexdigest()


def _hmac(key: bytes, msg: str) -> bytes:
    """Return HMAC-SHA256(key, msg) as raw bytes.

    Args:
        key: The HMAC key.
        msg: The message, encoded as UTF-8.

    Returns:
        32 bytes.
    """
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def _signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    """Derive the SigV4 signing key for one day, region and service.

    Args:
        secret: The secret access key.
        date: ``YYYYMMDD``.
        region: The region of the scope.
        service: The service of the scope.

    Returns:
        ``kSigning``, 32 bytes.
    """
    k_date = _hmac(f"AWS4{secret}".encode(), date)
    k_region = _hmac(k_date, region)
    k_service = _hmac(k_region, service)
    return _hmac(k_service, TERMINATOR)
