"""What every flow needs to know about the app client, the outcomes flows return, and
the readers every area shares."""

import hashlib
import hmac

from .._portable import b64encode
from ..errors import InvalidResponseError

TYPE_CHECKING = False  # typing is absent on MicroPython; checkers still read this
if TYPE_CHECKING:
    from typing import Any, Optional

SUCCESS = "SUCCESS"  # what the original's callbacks get from calls that answer nothing


def answer_object(answer: "object", action: "str") -> "dict":
    """An answer that must be a JSON object, returned as it is.

    Raises:
        InvalidResponseError: naming the action, for anything else.
    """
    if not isinstance(answer, dict):
        raise InvalidResponseError("the %s answer is not a JSON object" % action)
    return answer


def optional_field(data: "dict", name: "str", kind: "type", what: "str") -> "Any":
    """``data[name]`` when it is a ``kind``, None when absent or null.

    Raises:
        InvalidResponseError: when it is there with another type.
    """
    value = data.get(name)
    if value is not None and (
        not isinstance(value, kind) or (kind is not bool and isinstance(value, bool))
    ):
        raise InvalidResponseError("%s.%s is not a %s" % (what, name, kind.__name__))
    return value


def auth_result(answer: "object") -> "dict":
    """The AuthenticationResult of an answer, checked for the two JWTs.

    Raises:
        InvalidResponseError: if the answer holds neither a challenge nor tokens.
    """
    result = answer.get("AuthenticationResult") if isinstance(answer, dict) else None
    if not isinstance(result, dict):
        raise InvalidResponseError("the answer has neither a challenge nor tokens")
    for name in ("IdToken", "AccessToken"):
        if not isinstance(result.get(name), str) or not result.get(name):
            raise InvalidResponseError("AuthenticationResult.%s is missing" % name)
    return result


class FlowContext:
    """The app client as the flows see it.

    Args:
        client_id: the app client id.
        pool_name: the user pool id after its underscore (SRP's "pool name").
        client_secret: the app client's secret, for clients that have one; every
            request that names a user then carries its SECRET_HASH.
        context_data: a function ``username -> dict or None`` giving the
            ``UserContextData`` of Cognito's advanced security features.
        device_name: the name ConfirmDevice gives a new device.
    """

    def __init__(
        self,
        client_id: "str",
        pool_name: "str",
        client_secret: "Optional[str]" = None,
        context_data=None,
        device_name: "str" = "pycognito-web",
    ) -> None:
        self.client_id = client_id
        self.pool_name = pool_name
        self.client_secret = client_secret
        self._context_data = context_data
        self.device_name = device_name

    def secret_hash(self, username: "str") -> "Optional[str]":
        """Base64 HMAC-SHA256(secret, username + client id), or None without a secret."""
        if not self.client_secret:
            return None
        digest = hmac.new(
            self.client_secret.encode("utf-8"),
            (username + self.client_id).encode("utf-8"),
            hashlib.sha256,
        ).digest()
        return b64encode(digest)

    def context_data(self, username: "Optional[str]" = None) -> "Optional[dict]":
        """``UserContextData`` for a request, or None when the page provides none."""
        if self._context_data is None:
            return None
        data = self._context_data(username)
        return data if data else None


class DeviceSecrets:
    """A remembered device: its key, its group and the random password only it knows."""

    def __init__(self, key: "str", group_key: "str", password: "str") -> None:
        self.key = key
        self.group_key = group_key
        self.password = password

    def __repr__(self):
        return "<DeviceSecrets %s>" % self.key


class Challenge:
    """Outcome: the service asks the user for something more (MFA code, new password...)."""

    def __init__(self, name, parameters, session, username, device=None) -> None:
        self.name = name
        self.parameters = parameters
        self.session = session
        self.username = username
        # The remembered device in play, for a DEVICE_SRP_AUTH that follows the answer.
        self.device = device


class SignedIn:
    """Outcome: tokens arrived.

    Attributes:
        result: the AuthenticationResult dict.
        username: the user's canonical name (USER_ID_FOR_SRP when SRP told it).
        device: the device the tokens are bound to (newly confirmed or reused), or None.
        new_device: whether ``device`` was confirmed during this sign-in.
        user_confirmation_necessary: ConfirmDevice asked the user to choose whether to
            remember the device.
        forget_device: the stored device was stale and must be forgotten.
    """

    def __init__(self, result, username, device=None, new_device=False, confirm=False):
        self.result = result
        self.username = username
        self.device = device
        self.new_device = new_device
        self.user_confirmation_necessary = confirm
        self.forget_device = False
