"""Retrying: throttling is retried for every action, faults only for safe ones, and final
errors never (the original retries everything, which is the bug not copied here)."""

import asyncio
import json

import pytest

from pycognito_web import CognitoError, MockTransport, NetworkError, Response, UserPool
from pycognito_web._retry import NO_RETRY, SAFE_TO_REPEAT, RetryPolicy

POOL = "us-east-1_AbCdEf123"
CLIENT = "client1"


def answer(status, body):
    text = body if isinstance(body, str) else json.dumps(body)
    return Response(status, {"content-type": "application/x-amz-json-1.1"}, text.encode())


def error(kind, status=400, message="nope"):
    return answer(status, {"__type": kind, "message": message})


class Script:
    """Answers from a list; raising entries are raised (a failed fetch)."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.actions = []

    def __call__(self, request):
        self.actions.append(request.headers["X-Amz-Target"].split(".")[-1])
        item = self.answers.pop(0)
        if isinstance(item, Exception):
            raise item
        return item


def make_pool(script, retry=None):
    waits = []

    async def sleep(seconds):
        waits.append(seconds)

    pool = UserPool(
        POOL,
        CLIENT,
        transport=MockTransport(script),
        random_bytes=lambda n: b"\x80" + bytes(n - 1),  # jitter fraction 0.5
        clock=lambda: 1_000_000.0,
        retry=retry,
        sleep=sleep,
    )
    return pool, waits


def run(coroutine):
    return asyncio.run(coroutine)


@pytest.mark.parametrize("kind", ["TooManyRequestsException", "ThrottlingException"])
def test_throttling_is_retried_even_for_unsafe_actions(kind):
    script = Script([error(kind, 429), error(kind, 429), answer(200, {"UserConfirmed": False})])
    pool, waits = make_pool(script)
    result = run(pool.sign_up("alice", "Passw0rd!"))
    assert result.user_confirmed is False
    assert script.actions == ["SignUp"] * 3
    assert waits == [0.05, 0.1]  # half of 0.1 * 2**n: full jitter with a fixed fraction


def test_throttling_gives_up_after_the_attempts():
    script = Script([error("TooManyRequestsException", 429)] * 3)
    pool, waits = make_pool(script)
    with pytest.raises(Exception) as raised:
        run(pool.sign_up("alice", "Passw0rd!"))
    assert raised.value.code == "TooManyRequestsException"
    assert len(script.actions) == 3 and len(waits) == 2


@pytest.mark.parametrize(
    "fault",
    [
        NetworkError("Network error: connection reset"),
        error("InternalErrorException", 500),
        answer(502, "<html><body>Bad Gateway</body></html>"),
        answer(503, ""),
    ],
    ids=["network", "internal-error", "html-502", "empty-503"],
)
def test_faults_are_retried_for_safe_actions(fault):
    ok = answer(200, {"Username": "alice", "UserAttributes": []})
    script = Script([fault, ok])
    pool, waits = make_pool(script)
    assert run(pool.call("GetUser", {"AccessToken": "x"}))["Username"] == "alice"
    assert script.actions == ["GetUser", "GetUser"]
    assert waits == [0.05]


@pytest.mark.parametrize(
    "action",
    ["SignUp", "ConfirmSignUp", "RespondToAuthChallenge", "ChangePassword", "ForgotPassword"],
)
def test_faults_are_not_retried_for_actions_that_may_have_happened(action):
    assert action not in SAFE_TO_REPEAT
    script = Script([NetworkError("Network error: timed out")])
    pool, waits = make_pool(script)
    with pytest.raises(NetworkError):
        run(pool.call(action, {}))
    assert script.actions == [action] and waits == []


@pytest.mark.parametrize(
    "kind",
    [
        "NotAuthorizedException",
        "CodeMismatchException",
        "UserNotFoundException",
        "InvalidParameterException",
        "LimitExceededException",
        "ExpiredCodeException",
    ],
)
def test_final_errors_are_never_retried(kind):
    script = Script([error(kind)])
    pool, waits = make_pool(script)
    with pytest.raises(Exception) as raised:
        run(pool.call("InitiateAuth", {}))
    assert raised.value.code == kind
    assert script.actions == ["InitiateAuth"] and waits == []


def test_a_refused_refresh_is_sent_once():
    # The original sends a refused REFRESH_TOKEN_AUTH six times before giving up.
    script = Script([error("NotAuthorizedException", 400, "Refresh Token has been revoked")])
    pool, _ = make_pool(script)
    with pytest.raises(CognitoError):
        run(pool.user("alice").refresh_session("a-refresh-token"))
    assert script.actions == ["InitiateAuth"]


def test_retrying_can_be_turned_off():
    script = Script([error("TooManyRequestsException", 429)])
    pool, waits = make_pool(script, retry=NO_RETRY)
    with pytest.raises(CognitoError):
        run(pool.sign_up("alice", "Passw0rd!"))
    assert len(script.actions) == 1 and waits == []


def test_backoff_is_capped_and_jittered():
    policy = RetryPolicy(attempts=10, base=0.1, cap=1.0)
    throttled = type("E", (), {})  # not a ServiceError: nothing is retryable
    assert policy.delay("GetUser", throttled(), 1, 0.5) is None
    fault = NetworkError("x")
    assert policy.delay("GetUser", fault, 1, 0.999) < 0.1
    assert policy.delay("GetUser", fault, 8, 0.999) < 1.0
    assert policy.delay("GetUser", fault, 8, 0.0) == 0.0
    assert policy.delay("GetUser", fault, 10, 0.5) is None


def test_bad_policies_are_refused():
    with pytest.raises(Exception) as raised:
        RetryPolicy(attempts=0)
    assert raised.value.code == "InvalidParameterException"
    with pytest.raises(Exception) as raised:
        UserPool(POOL, CLIENT, retry="three times")
    assert "RetryPolicy" in raised.value.message
