"""SigV4, recomputing the signature: the canonical request (URI, query string,
headers), the hashes and the signing key. Steps 5 to 7 of the theory of operation in
``_sigv4``; pure functions.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import quote, unquote_to_bytes

from ._sigv4_request import INCOMPLETE_SIGNATURE, SigV4Error, _wire_bytes

TERMINATOR = "aws4_request"


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
