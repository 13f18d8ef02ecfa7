"""SigV4, reading the request: the Authorization header, ``X-Amz-Date`` or ``Date``, the
clock check, and the errors AWS answers with (``SigV4Error``). Steps 1 to 3 of the
theory of operation in ``_sigv4``; pure functions, no I/O, no clock of their own.
"""

from __future__ import annotations

import datetime as _dt
import email.utils
import re
from collections.abc import Iterable, Mapping

ALGORITHM = "AWS4-HMAC-SHA256"
"""The only signing algorithm accepted (SigV4 with HMAC-SHA256)."""

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


HeadersLike = Mapping[str, str] | Iterable[tuple[str | bytes, str | bytes]]


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
