"""Remembered devices of the signed-in user: get, list, remember or not, forget.

Flows as in ``flows.account``; confirming a new device is part of signing in
(``flows.sign_in.confirm_device``).
"""

from ..errors import InvalidParameterError, InvalidResponseError
from . import TOKEN, call
from .context import SUCCESS, answer_object, optional_field


def device_answer(answer: "object") -> "dict":
    """GetDevice's answer, whose ``Device`` is an object with a DeviceKey string.

    Raises:
        InvalidResponseError: for another shape.
    """
    data = answer_object(answer, "GetDevice")
    found = data.get("Device")
    if not isinstance(found, dict) or not isinstance(found.get("DeviceKey"), str):
        raise InvalidResponseError("GetDevice answer has no Device")
    return data


def device_list(answer: "object") -> "dict":
    """ListDevices' answer: ``Devices`` a list of objects, ``PaginationToken`` a string
    or absent.

    Raises:
        InvalidResponseError: for another shape.
    """
    data = answer_object(answer, "ListDevices")
    found = optional_field(data, "Devices", list, "ListDevices") or []
    if not all(isinstance(d, dict) for d in found):
        raise InvalidResponseError("ListDevices.Devices is not a list of objects")
    optional_field(data, "PaginationToken", str, "ListDevices")
    return data


def get_device(key):
    """GetDevice for one device key; returns the answer."""
    body = {"AccessToken": (yield TOKEN), "DeviceKey": key}
    return device_answer((yield call("GetDevice", body)))


def list_devices(limit=None, pagination_token=None):
    """ListDevices: ``{"Devices": [...], "PaginationToken": ...}``."""
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
        raise InvalidParameterError("limit must be an integer")
    body = {"AccessToken": (yield TOKEN), "Limit": limit}
    if pagination_token:
        body["PaginationToken"] = pagination_token
    return device_list((yield call("ListDevices", body)))


def set_status(key, remembered):
    """UpdateDeviceStatus to ``remembered`` or ``not_remembered``; ``"SUCCESS"``."""
    body = {"AccessToken": (yield TOKEN), "DeviceKey": key}
    body["DeviceRememberedStatus"] = "remembered" if remembered else "not_remembered"
    yield call("UpdateDeviceStatus", body)
    return SUCCESS


def forget_device(key):
    """ForgetDevice for one device key; returns ``"SUCCESS"``."""
    yield call("ForgetDevice", {"AccessToken": (yield TOKEN), "DeviceKey": key})
    return SUCCESS
