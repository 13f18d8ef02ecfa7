"""When a failed call is worth sending again, and how long to wait first.

Theory of operation
-------------------
The original SDK retries its refresh and revocation calls on *any* error, five times,
so a revoked refresh token costs six round trips before the user is told. Here an
error is retried only when a second try can succeed and cannot do harm:

* **Throttling** (``TooManyRequestsException``, ``ThrottlingException``): the service
  refused before doing anything, so every action may be sent again.
* **Faults** (no answer, a timeout, HTTP 5xx, ``InternalErrorException``): the service
  may have acted before the answer was lost, so only actions that are safe to repeat
  are retried: reads, refresh, starting a sign-in, revocation and sign-out, settings
  that are set rather than changed. Answers to challenges (single-use sessions),
  sign-up, confirmations, password changes and anything that sends a code are not.
* **Everything else** (``NotAuthorizedException``, ``CodeMismatchException``, bad
  input...) is final: the same request gets the same answer.

Waits use "full jitter" exponential backoff (AWS Architecture Blog, "Exponential
Backoff And Jitter"): a uniform random delay below ``min(cap, base * 2**attempt)``.
This module only decides; the caller sleeps.
"""

from .errors import InvalidResponseError, NetworkError, ServiceError

TYPE_CHECKING = False  # typing is absent on MicroPython; checkers still read this
if TYPE_CHECKING:
    from typing import Optional

THROTTLING = ("TooManyRequestsException", "ThrottlingException", "RequestLimitExceeded")

# Actions that may be repeated after a fault without changing the outcome.
SAFE_TO_REPEAT = (
    "GetUser",
    "GetDevice",
    "ListDevices",
    "InitiateAuth",
    "RevokeToken",
    "GlobalSignOut",
    "UpdateDeviceStatus",
    "SetUserMFAPreference",
    "SetUserSettings",
    "GetId",
    "GetCredentialsForIdentity",
)


def is_fault(error: "Exception") -> "bool":
    """Whether an error means the call may not have reached, or finished on, the service."""
    if isinstance(error, NetworkError):
        return True
    status = getattr(error, "status_code", None)
    if isinstance(error, InvalidResponseError):
        return isinstance(status, int) and status >= 500
    if isinstance(error, ServiceError):
        return error.code == "InternalErrorException" or (isinstance(status, int) and status >= 500)
    return False


class RetryPolicy:
    """How many times to try, and the backoff between tries.

    Args:
        attempts: tries in all, the first included (1 turns retrying off).
        base: seconds of the first backoff ceiling.
        cap: the largest ceiling, in seconds.
    """

    def __init__(self, attempts: "int" = 3, base: "float" = 0.1, cap: "float" = 2.0) -> None:
        if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
            from .errors import InvalidParameterError

            raise InvalidParameterError("attempts must be a positive integer")
        self.attempts = attempts
        self.base = base
        self.cap = cap

    def retryable(self, action: "str", error: "Exception") -> "bool":
        """Whether ``error`` from ``action`` is worth another try."""
        if isinstance(error, ServiceError) and error.code in THROTTLING:
            return True
        return action in SAFE_TO_REPEAT and is_fault(error)

    def delay(
        self, action: "str", error: "Exception", attempt: "int", fraction: "float"
    ) -> "Optional[float]":
        """Seconds to wait before try ``attempt + 1``, or None to give up.

        Args:
            attempt: how many tries have been made (1 after the first).
            fraction: a uniform random number in [0, 1), for the jitter.
        """
        if attempt >= self.attempts or not self.retryable(action, error):
            return None
        return fraction * min(self.cap, self.base * (2 ** (attempt - 1)))


NO_RETRY = RetryPolicy(attempts=1)
