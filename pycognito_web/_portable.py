"""The few helpers whose standard-library spelling differs between CPython and MicroPython.

MicroPython's ``binascii`` takes only bytes and has no ``Error`` class (a bad input
raises ValueError, which is what ``binascii.Error`` subclasses on CPython), and its
``b2a_base64`` always appends a newline; its ``hmac`` has no ``compare_digest`` and its
``int`` no ``bit_length``. PyScript's MicroPython ``asyncio`` runs on the
JavaScript event loop: it has no ``get_running_loop`` (the loop always runs) and its
``Task`` keeps its outcome in ``data`` (the value, or the StopIteration or error
it ended with) rather than behind ``result()``. Everything else
the client uses is the same on both, so this is the whole shim.
"""

import binascii
import sys

# MicroPython's big-integer pow is plain square-and-multiply; _srp uses windowed and
# fixed-base exponentiation there instead (measured faster), and the built-in elsewhere.
PLAIN_POW = sys.implementation.name == "micropython"

try:
    from hmac import compare_digest
except ImportError:  # MicroPython

    def compare_digest(a, b):  # type: ignore[no-redef]
        """Whether two byte strings are equal, in time that does not depend on where
        they differ."""
        if len(a) != len(b):
            return False
        difference = 0
        for i in range(len(a)):  # (MicroPython's zip takes no strict=)
            difference |= a[i] ^ b[i]
        return difference == 0


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


def byte_length(value):
    """How many bytes a non-negative int takes, big-endian (``(bit_length + 7) // 8``)."""
    return (len("%x" % value) + 1) // 2 if value else 0


def hexlify(data):
    """Lower-case hex text of bytes."""
    return binascii.hexlify(data).decode("ascii")


def loop_is_running():
    """Whether a task can be started now (always, on MicroPython's JS event loop)."""
    import asyncio

    get_running_loop = getattr(asyncio, "get_running_loop", None)
    if get_running_loop is None:
        return True
    try:
        get_running_loop()
    except RuntimeError:
        return False
    return True


def task_result(task):
    """A finished task's return value, or the error it raised.

    Raises:
        The task's exception; ``asyncio.InvalidStateError`` (CPython) or RuntimeError
        (MicroPython) if it has not finished.
    """
    result = getattr(task, "result", None)
    if result is not None:
        return result()
    if not task.done():
        raise RuntimeError("the task has not finished")
    data = task.data
    if isinstance(data, StopIteration):  # how it ends once something awaited it
        return data.args[0] if data.args else None
    if isinstance(data, BaseException):
        raise data
    return data
