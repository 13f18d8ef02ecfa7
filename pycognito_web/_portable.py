"""The few helpers whose standard-library spelling differs between CPython and MicroPython.

MicroPython's ``binascii`` takes only bytes and has no ``Error`` class (a bad input
raises ValueError, which is what ``binascii.Error`` subclasses on CPython), and its
``b2a_base64`` always appends a newline. Everything else the client uses is the same on
both, so this is the whole shim.
"""

import binascii


def b64decode(text):
    """Bytes from standard base64 text (str or bytes).

    Raises:
        ValueError: if it is not base64.
    """
    if isinstance(text, str):
        text = text.encode("ascii")
    return binascii.a2b_base64(text)


def b64encode(data):
    """Standard base64 text of bytes, without a newline."""
    return binascii.b2a_base64(data).decode("ascii").strip()


def b64url_decode(text):
    """Bytes from base64url text, padded or not (as JWTs write it).

    Raises:
        ValueError: if it is not base64url.
    """
    if isinstance(text, bytes):
        text = text.decode("ascii")
    text = text.strip().replace("-", "+").replace("_", "/")
    return b64decode(text + "=" * (-len(text) % 4))


def hexlify(data):
    """Lower-case hex text of bytes."""
    return binascii.hexlify(data).decode("ascii")
