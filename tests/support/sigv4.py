"""AWS Signature Version 4 for the tests' own admin calls (AdminCreateUser...), in every
runtime: hashlib.sha256 and ``digest.hmac_digest`` only, dates without ``time.strftime``
(MicroPython has none)."""

import time

from .digest import hmac_digest, sha256


def _hex(data):
    return "".join("%02x" % byte for byte in data)


def _stamp(epoch):
    """``YYYYMMDDTHHMMSSZ`` of epoch seconds (civil date from days, proleptic Gregorian)."""
    epoch = int(epoch)
    days, rest = divmod(epoch, 86400)
    z = days + 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    year = yoe + era * 400 + (1 if month <= 2 else 0)
    return "%04d%02d%02dT%02d%02d%02dZ" % (
        year, month, day, rest // 3600, rest % 3600 // 60, rest % 60,
    )  # fmt: skip


def _host(url):
    rest = url.split("://", 1)[1]
    return rest.split("/", 1)[0]


def sigv4_headers(
    url, target, body, access_key="test", secret_key="test", region="us-east-1", now=None
):
    """Headers that sign one Cognito admin call (POST / with a JSON body).

    Returns:
        The headers to send, without ``Host`` (the sender sets it to the URL's host).
    """
    stamp = _stamp(now if now is not None else time.time())
    day = stamp[:8]
    headers = {
        "content-type": "application/x-amz-json-1.1",
        "host": _host(url),
        "x-amz-date": stamp,
        "x-amz-target": "AWSCognitoIdentityProviderService." + target,
    }
    names = sorted(headers)
    signed = ";".join(names)
    canonical = "\n".join(
        ["POST", "/", "", "".join("%s:%s\n" % (k, headers[k]) for k in names),
         signed, _hex(sha256(body.encode("utf-8")))]
    )  # fmt: skip
    scope = "%s/%s/cognito-idp/aws4_request" % (day, region)
    to_sign = "\n".join(["AWS4-HMAC-SHA256", stamp, scope, _hex(sha256(canonical.encode()))])
    key = ("AWS4" + secret_key).encode()
    for part in (day, region, "cognito-idp", "aws4_request"):
        key = hmac_digest(key, part.encode(), sha256)
    signature = _hex(hmac_digest(key, to_sign.encode(), sha256))
    out = {}
    for name in names:
        if name != "host":
            out[name] = headers[name]
    out["authorization"] = "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
        access_key, scope, signed, signature,
    )  # fmt: skip
    return out
