"""Shared pytest fixtures.

``emulator`` (session scope) runs ``python -m pycognito_emulator`` as a
subprocess on a free port, with a temporary data file and the config below, and
yields an ``Emulator``:

* ``.url``, ``.pool_id``, ``.client_id`` (no secret; USER_SRP_AUTH,
  USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH allowed), ``.secret_client_id`` and
  ``.secret_client_secret``; ``.pools`` maps each config pool name to
  ``{"id", "clients": {name: {"id", "secret"}}}``; ``.config`` is the config dict.
* ``.call(action, body)``: the answer dict, or raises ``ApiError`` (``.type``,
  ``.message``, ``.status``, ``.headers``); ``.fail(action, body)`` expects an error
  and returns it; ``.http(method, path, body=None, headers=None)`` is the raw form,
  returning (status, headers, body bytes).
* ``.messages(username=None)``: the outbox list (username: the internal name or the
  address the code went to); ``.last_code(username)``.
* ``.advance_clock(seconds)`` / ``.reset_clock()``: the emulator runs with
  ``--test-clock``.
* ``.restart(kill=True)``: SIGKILL (or terminate) and start again on the same data
  file and port.
"""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request

import pytest

from pycognito_emulator.launch import launch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET_PREFIX = "AWSCognitoIdentityProviderService."

_DEVICE_FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
_MFA_FLOWS = _DEVICE_FLOWS
_SMS = {"SnsCallerArn": "arn:aws:iam::000000000000:role/emulator-sms", "ExternalId": "emulator"}
IDENTITY_POOL_ID = "us-east-1:00000000-0000-4000-8000-000000000017"

# Pools for the emulator tests: "main" (usernames with email/preferred_username
# aliases), "email" (emails as usernames), "phone" (phone numbers, SMS codes), "devices"
# and "devices-always" (device tracking, below).
EMULATOR_CONFIG = {
    "pools": [
        {
            "PoolName": "main",
            "AliasAttributes": ["email", "preferred_username"],
            "AutoVerifiedAttributes": ["email"],
            "Schema": [
                {"Name": "email", "Required": True},
                {"Name": "team", "AttributeDataType": "String"},
            ],
            "clients": [
                {
                    "ClientName": "web",
                    "ExplicitAuthFlows": [
                        "ALLOW_USER_SRP_AUTH",
                        "ALLOW_USER_PASSWORD_AUTH",
                        "ALLOW_REFRESH_TOKEN_AUTH",
                    ],
                },
                {
                    "ClientName": "server",
                    "GenerateSecret": True,
                    "ExplicitAuthFlows": [
                        "ALLOW_USER_SRP_AUTH",
                        "ALLOW_USER_PASSWORD_AUTH",
                        "ALLOW_REFRESH_TOKEN_AUTH",
                    ],
                },
                {
                    "ClientName": "srp-only",
                    "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                },
                {
                    "ClientName": "quiet",
                    "PreventUserExistenceErrors": "ENABLED",
                    "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH"],
                },
            ],
        },
        {
            "PoolName": "email",
            "UsernameAttributes": ["email"],
            "AutoVerifiedAttributes": ["email"],
            "Policies": {"PasswordPolicy": {"MinimumLength": 6, "RequireSymbols": False}},
            "clients": [{"ClientName": "web"}],
        },
        {
            "PoolName": "phone",
            "UsernameAttributes": ["phone_number"],
            "AutoVerifiedAttributes": ["phone_number"],
            "clients": [{"ClientName": "web", "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"]}],
        },
        # Device tracking: "devices" asks the user (DeviceOnlyRememberedOnUserPrompt) and
        # lets remembered devices replace MFA; "devices-always" remembers at once.
        {
            "PoolName": "devices",
            "AutoVerifiedAttributes": ["email"],
            "DeviceConfiguration": {
                "ChallengeRequiredOnNewDevice": True,
                "DeviceOnlyRememberedOnUserPrompt": True,
            },
            "clients": [
                {"ClientName": "web", "ExplicitAuthFlows": _DEVICE_FLOWS},
                {
                    "ClientName": "server",
                    "GenerateSecret": True,
                    "ExplicitAuthFlows": _DEVICE_FLOWS,
                },
                {
                    "ClientName": "no-revocation",
                    "EnableTokenRevocation": False,
                    "ExplicitAuthFlows": _DEVICE_FLOWS,
                },
            ],
        },
        {
            "PoolName": "devices-always",
            "AutoVerifiedAttributes": ["email"],
            "DeviceConfiguration": {
                "ChallengeRequiredOnNewDevice": False,
                "DeviceOnlyRememberedOnUserPrompt": False,
            },
            "clients": [{"ClientName": "web", "ExplicitAuthFlows": _DEVICE_FLOWS}],
        },
        # MFA (_mfa): "mfa-optional" and "mfa-on" offer SMS and TOTP.
        {
            "PoolName": "mfa-optional",
            "AutoVerifiedAttributes": ["email"],
            "MfaConfiguration": "OPTIONAL",
            "SmsConfiguration": _SMS,
            "SoftwareTokenMfaConfiguration": {"Enabled": True},
            "clients": [{"ClientName": "web", "ExplicitAuthFlows": _MFA_FLOWS}],
        },
        {
            "PoolName": "mfa-on",
            "AutoVerifiedAttributes": ["email"],
            "MfaConfiguration": "ON",
            "SmsConfiguration": _SMS,
            "SoftwareTokenMfaConfiguration": {"Enabled": True},
            "clients": [{"ClientName": "web", "ExplicitAuthFlows": _MFA_FLOWS}],
        },
        # MFA ON with device tracking: a remembered device stands in for MFA.
        {
            "PoolName": "mfa-devices",
            "AutoVerifiedAttributes": ["email"],
            "MfaConfiguration": "ON",
            "SmsConfiguration": _SMS,
            "SoftwareTokenMfaConfiguration": {"Enabled": True},
            "DeviceConfiguration": {
                "ChallengeRequiredOnNewDevice": True,
                "DeviceOnlyRememberedOnUserPrompt": False,
            },
            "clients": [{"ClientName": "web", "ExplicitAuthFlows": _MFA_FLOWS}],
        },
        # MFA ON with device tracking where a remembered device does NOT replace MFA:
        # MFA first, then DEVICE_SRP_AUTH (what the original SDK's sendMFACode expects).
        {
            "PoolName": "mfa-devices-each",
            "AutoVerifiedAttributes": ["email"],
            "MfaConfiguration": "ON",
            "SoftwareTokenMfaConfiguration": {"Enabled": True},
            "SmsConfiguration": _SMS,
            "DeviceConfiguration": {
                "ChallengeRequiredOnNewDevice": False,
                "DeviceOnlyRememberedOnUserPrompt": False,
            },
            "clients": [{"ClientName": "web", "ExplicitAuthFlows": _MFA_FLOWS}],
        },
        # Custom auth (_custom_auth) with the example triggers; "no-custom" lacks the flow.
        {
            "PoolName": "custom",
            "AutoVerifiedAttributes": ["email"],
            "triggers": "pycognito_emulator.example_triggers",
            "clients": [
                {
                    "ClientName": "web",
                    "ExplicitAuthFlows": [
                        "ALLOW_CUSTOM_AUTH",
                        "ALLOW_USER_SRP_AUTH",
                        "ALLOW_REFRESH_TOKEN_AUTH",
                    ],
                },
                {"ClientName": "no-custom", "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH"]},
            ],
        },
    ],
    # Cognito Identity (_identity): this identity pool trusts main/web and mfa-optional;
    # any other well-formed IdentityPoolId is open to every pool.
    "identity_pools": [
        {
            "IdentityPoolId": IDENTITY_POOL_ID,
            "providers": [{"pool": "main", "client": "web"}, {"pool": "mfa-optional"}],
        }
    ],
}


class ApiError(Exception):
    """An error answer from the emulator's Cognito API."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body
        try:
            data = json.loads(body)
        except ValueError:
            data = {}
        self.type = data.get("__type")
        self.message = data.get("message")
        Exception.__init__(self, "%s %s: %s" % (status, self.type, self.message))


def http(url, method="GET", body=None, headers=None):
    """One HTTP request with urllib.

    Returns:
        (status, headers as a dict with lower-case names, body bytes).
    """
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, _headers(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, _headers(error.headers), error.read()


def _headers(message):
    return {name.lower(): value for name, value in message.items()}


def call(url, action, body):
    """POST a Cognito action as the JavaScript SDK does.

    Returns:
        The answer's JSON.

    Raises:
        ApiError: for any non-200 answer.
    """
    status, headers, raw = http(
        url + "/",
        "POST",
        json.dumps(body).encode(),
        {
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": TARGET_PREFIX + action,
        },
    )
    if status != 200:
        raise ApiError(status, headers, raw)
    return json.loads(raw)


class Emulator:
    """A running emulator subprocess (see the module docstring)."""

    ApiError = ApiError

    def __init__(self, folder):
        self.folder = folder
        self.data = os.path.join(folder, "emulator.sqlite3")
        self.config_path = os.path.join(folder, "config.json")
        self.config = EMULATOR_CONFIG
        with open(self.config_path, "w") as handle:
            json.dump(self.config, handle)
        self.port = 0
        self.process = None
        self.output = []
        self.start()

    def start(self):
        """Start the subprocess and wait for its two ready lines."""
        self.running = launch(
            ["--host", "127.0.0.1", "--port", str(self.port), "--data", self.data,
             "--config", self.config_path, "--test-clock"],
            output=self.output,
            cwd=ROOT,
        )  # fmt: skip
        self.process = self.running.process
        self.url, self.port, self.pools = self.running.url, self.running.port, self.running.pools
        main = self.pools["main"]
        self.pool_id = main["id"]
        self.client_id = main["clients"]["web"]["id"]
        self.secret_client_id = main["clients"]["server"]["id"]
        self.secret_client_secret = main["clients"]["server"]["secret"]

    def test_env(self):
        """``PYCOGNITO_WEB_TEST_EMULATOR``: where it listens and its ids as JSON, what the
        MicroPython tests read (tests/micropython/mpy_support.py) in Node or a browser."""
        info = {
            "url": self.url,
            "pool_id": self.pool_id,
            "client_id": self.client_id,
            "secret_client_id": self.secret_client_id,
            "secret_client_secret": self.secret_client_secret,
            "pools": self.pools,
        }
        return {"PYCOGNITO_WEB_TEST_EMULATOR": json.dumps(info)}

    def stop(self, kill=False):
        """Stop the subprocess: SIGKILL when kill, else SIGTERM."""
        if self.process is not None:
            self.running.stop(kill=kill)

    def restart(self, kill=True):
        """Stop (kill -9 by default) and start again on the same data file and port."""
        self.stop(kill=kill)
        self.start()

    def call(self, action, body):
        """An action's answer dict; raises ApiError on error answers."""
        return call(self.url, action, body)

    def fail(self, action, body):
        """Run an action that must fail; returns the ApiError."""
        try:
            answer = self.call(action, body)
        except ApiError as error:
            return error
        raise AssertionError("%s succeeded: %r" % (action, answer))

    def http(self, method, path, body=None, headers=None):
        """A raw request: (status, headers, body bytes)."""
        return http(self.url + path, method, body, headers)

    def messages(self, username=None):
        """The outbox, oldest first, optionally for one username."""
        query = "" if username is None else "?" + urllib.parse.urlencode({"username": username})
        status, _, body = self.http("GET", "/_emulator/messages" + query)
        assert status == 200
        return json.loads(body)["messages"]

    def last_code(self, username):
        """The newest code sent to a user."""
        messages = self.messages(username)
        assert messages, "no message for %s" % username
        return messages[-1]["code"]

    def advance_clock(self, seconds):
        """Move the emulator's clock forward."""
        self.http("POST", "/_emulator/clock", json.dumps({"advance": seconds}).encode())

    def reset_clock(self):
        """Put the emulator's clock back to real time."""
        self.http("POST", "/_emulator/clock", json.dumps({"offset": 0}).encode())


@pytest.fixture(scope="session")
def emulator():
    """A running emulator for the whole session (see the module docstring)."""
    with tempfile.TemporaryDirectory(prefix="pycognito-emulator-") as folder:
        instance = Emulator(folder)
        try:
            yield instance
        finally:
            instance.stop()


@pytest.fixture(scope="session")
def built_wheels(tmp_path_factory):
    """(normal wheel, web wheel), built once per session from the current source tree.

    The source is copied first, so the build never sees a stale build/ folder and never
    writes into the work tree (scripts/setup builds dist/ for the demo). The web wheel is
    scripts/web_wheel.py's build of the normal one: what every page installs.
    """
    src = tmp_path_factory.mktemp("wheel-src")
    out = tmp_path_factory.mktemp("wheel-dist")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if os.path.exists(os.path.join(ROOT, name)):
            shutil.copy2(os.path.join(ROOT, name), src / name)
    shutil.copytree(
        os.path.join(ROOT, "pycognito_web"),
        src / "pycognito_web",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    command = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)]
    result = subprocess.run([*command, str(src)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{result.stdout}\n{result.stderr[-3000:]}")
    wheels = list(out.glob("pycognito_web-*-py3-none-any.whl"))
    if len(wheels) != 1:
        pytest.fail(f"expected one pure-Python wheel, got {[w.name for w in out.iterdir()]}")
    spec = importlib.util.spec_from_file_location(
        "_web_wheel_for_tests", os.path.join(ROOT, "scripts", "web_wheel.py")
    )
    web_wheel = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(web_wheel)
    return wheels[0], web_wheel.build(wheels[0], out / "web")
