"""Replay the original SDK's recorded flows through the port and compare every byte.

Each case in ``tests/vectors/flow_*.json`` was recorded by running
``amazon-cognito-identity-js`` in Node (``tests/vectors/generate/kat.js``) with fixed
random bytes and a frozen clock. Here the JavaScript-shaped API makes the same call
with the same random bytes, clock and storage, against a transport that answers with
the recorded responses, and must produce:

* the same requests: action, headers (but the user agent, which names the SDK) and
  the body text byte for byte (key order and escaping included), except that the
  original writes ``null`` for arguments left out where the port omits the field;
* the same storage writes and removals, in the same order, and the same final storage;
* the same callbacks with the same arguments.

Known, deliberate differences are listed in ``DELIBERATE`` with the reason.
"""

import asyncio
import glob
import json
import os

import pytest

from pycognito_web import (
    AuthenticationDetails,
    CognitoError,
    CognitoUser,
    CognitoUserAttribute,
    CognitoUserPool,
    CognitoUserSession,
    MockTransport,
    Response,
)
from pycognito_web._api import drop_none, dumps

HERE = os.path.dirname(__file__)
CASES = []
for path in sorted(glob.glob(os.path.join(HERE, "vectors", "flow_*.json"))):
    with open(path, encoding="utf-8") as handle:
        for case in json.load(handle)["cases"]:
            CASES.append(case)

# The original builds an AuthenticationHelper (128 random bytes and a 3072-bit pow) even
# for USER_PASSWORD_AUTH, where it is never used; the port does not draw them.
UNUSED_DRAWS = {"USER_PASSWORD_AUTH": {"srp_small_a"}}

# Where the port differs on purpose, with the reason. The test checks these too: each
# entry says what the port does instead.
DELIBERATE = {
    # Local errors are typed here: the port's error names the rule ("Error" in JS).
    "local_error_name": "InvalidParameterException or NotAuthorizedException, not Error",
    # The original's refresh retries every error, NotAuthorizedException included, five
    # times; an answer that cannot change is not retried here (only throttling, and
    # faults on calls safe to repeat, are).
    "no_retry_of_final_errors": "one request where the original repeats a refused one",
}
FINAL_ERRORS = ("NotAuthorizedException",)


class RecordingStorage:
    def __init__(self, items):
        self.items = dict(items)
        self.ops = []

    def getItem(self, key):
        return self.items.get(key)

    def setItem(self, key, value):
        self.ops.append({"op": "setItem", "key": key, "value": value})
        self.items[key] = value

    def removeItem(self, key):
        self.ops.append({"op": "removeItem", "key": key})
        self.items.pop(key, None)

    def clear(self):
        self.ops.append({"op": "clear"})
        self.items.clear()


class Replay:
    """Random bytes and HTTP answers, served from a recorded case."""

    def __init__(self, case):
        self.case = case
        self.draws = list(case["random"])
        self.requests = list(case["requests"])
        self.sent = []

    def random(self, count):
        for index, draw in enumerate(self.draws):
            if draw["nbytes"] == count:
                del self.draws[index]
                return bytes.fromhex(draw["hex"])
        raise AssertionError("the port drew %d random bytes the original did not" % count)

    def handle(self, request):
        assert self.requests, "the port sent a request the original did not: %r" % request
        expected = self.requests.pop(0)
        self.sent.append((request, expected))
        want = expected["request"]
        assert request.url == want["url"]
        assert request.method == want["method"]
        ours = {k: v for k, v in request.headers.items() if k != "X-Amz-User-Agent"}
        theirs = {k: v for k, v in want["headers"].items() if k != "X-Amz-User-Agent"}
        assert ours == theirs
        # Byte for byte, once the original's explicit nulls are taken out.
        original = json.loads(want["body_text"])
        assert request.body.decode("utf-8") == dumps(drop_none(original)), want["action"]
        answer = expected["response"]
        return Response(answer["status"], answer.get("headers") or {}, answer["body_text"])


def _shape(value):
    """A callback argument in the recorder's JSON form."""
    if isinstance(value, CognitoUserSession):
        return {
            "__type": "CognitoUserSession",
            "idToken": value.getIdToken().getJwtToken(),
            "accessToken": value.getAccessToken().getJwtToken(),
            "refreshToken": value.getRefreshToken().getToken(),
            "clockDrift": value.getClockDrift(),
            "isValid": value.isValid(),
        }
    if isinstance(value, CognitoError):
        return {"__type": "Error", "name": value.name, "message": value.message,
                "code": value.code}
    if isinstance(value, CognitoUserAttribute):
        return {"__type": "CognitoUserAttribute", "Name": value.Name, "Value": value.Value}
    if isinstance(value, CognitoUser):
        return {"__type": "CognitoUser", "username": value.getUsername()}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    return value


def _expected_args(args):
    out = []
    for arg in args:
        if isinstance(arg, dict) and arg.get("__type") == "undefined":
            out.append(None)
        elif isinstance(arg, dict) and arg.get("__type") == "Error" and arg["name"] == "Error":
            # A local error: the original's plain Error; ours is typed (DELIBERATE).
            out.append({"__type": "Error", "message": arg["message"], "local": True})
        else:
            out.append(arg)
    return out


def _compare_callbacks(got, case):
    expected = case["callbacks"]
    assert [g[0] for g in got] == [e["name"] for e in expected]
    for (name, args), want in zip(got, expected, strict=True):
        shaped = [_shape(a) for a in args]
        for ours, theirs in zip(shaped, _expected_args(want["args"]), strict=False):
            if isinstance(theirs, dict) and theirs.get("local"):
                assert ours["message"] == theirs["message"]
                assert ours["name"] in ("InvalidParameterException", "NotAuthorizedException")
            else:
                assert ours == theirs, name
        # JS drops trailing undefined args; Python passes explicit Nones.
        assert len(args) >= len(want["args"])


async def _run(case):
    replay = Replay(case)
    storage = RecordingStorage(case["storage_before"])
    clock_seconds = case["clock"]["epoch_ms"] / 1000.0
    pool = CognitoUserPool(
        {
            "UserPoolId": case["pool"]["UserPoolId"],
            "ClientId": case["pool"]["ClientId"],
            "Storage": storage,
            "Transport": MockTransport(replay.handle),
            "RandomBytes": replay.random,
            "Clock": lambda: clock_seconds,
        }
    )
    # The original names a device after navigator.userAgent, or "nodejs" without one;
    # the port uses the user agent in a browser too, and its own name on CPython.
    pool.pool.context.device_name = "nodejs"
    got = []

    def recorder(name):
        return lambda *args: got.append((name, args))

    callbacks = {n: recorder(n) for n in ("onSuccess", "onFailure")}
    call = case["call"]
    method = call["method"]
    args = [a for a in call.get("args", []) if a != "<callback>"]
    pending = None
    if method == "CognitoUser.authenticateUser":
        user = CognitoUser({"Username": call["username"], "Pool": pool})
        user.setAuthenticationFlowType(call["authenticationFlowType"])
        pending = user.authenticateUser(
            AuthenticationDetails(call["authenticationDetails"]), callbacks
        )
    elif method == "CognitoUser.confirmRegistration":
        user = CognitoUser({"Username": call["username"], "Pool": pool})
        code, force = args[0], args[1]
        pending = user.confirmRegistration(code, force, recorder("callback"), *args[2:])
    elif method == "CognitoUser.resendConfirmationCode":
        user = CognitoUser({"Username": call["username"], "Pool": pool})
        pending = user.resendConfirmationCode(recorder("callback"), *args)
    elif method == "CognitoUserPool.signUp":
        attrs = [CognitoUserAttribute(a) for a in args[2]] if args[2] is not None else None
        validation = (
            [CognitoUserAttribute(a) for a in args[3]] if args[3] is not None else None
        )
        pending = pool.signUp(args[0], args[1], attrs, validation, recorder("callback"),
                              *args[4:])
    elif method == "CognitoUserPool.getCurrentUser().getSession":
        pending = pool.getCurrentUser().getSession(recorder("callback"), *args)
    elif method == "new CognitoUser(alice).getSession":
        pending = CognitoUser({"Username": "alice", "Pool": pool}).getSession(
            recorder("callback")
        )
    elif method == "getCurrentUser().getSession(...) then getUserAttributes":
        user = pool.getCurrentUser()
        await user.getSession(lambda err, session: None)
        pending = user.getUserAttributes(recorder("callback"))
    elif method == "new CognitoUser(alice).getUserAttributes":
        pending = CognitoUser({"Username": "alice", "Pool": pool}).getUserAttributes(
            recorder("callback")
        )
    elif method == "getCurrentUser().signOut":
        user = pool.getCurrentUser()
        if call.get("args"):
            await user.getSession(lambda err, session: None)
            pending = user.signOut(recorder("callback"))
        else:
            result = user.signOut()
            got.append(("(returned)", (await result,)))
    else:
        raise AssertionError("no replay for %s" % method)
    if pending is not None:
        try:
            await pending
        except CognitoError:
            pass  # delivered to the callback, compared below
    return replay, storage, got


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_flow_matches_original(case):
    replay, storage, got = asyncio.run(_run(case))
    if replay.requests and replay.sent:
        # Only the original's retries of a final error may be left unsent.
        last = replay.sent[-1][1]
        assert json.loads(last["response"]["body_text"]).get("__type") in FINAL_ERRORS
        assert all(r == last for r in replay.requests)
        replay.requests = []
    assert replay.requests == [], "the original sent requests the port did not"
    flow = case["call"].get("authenticationFlowType")
    unused = [d for d in replay.draws if d["purpose"] not in UNUSED_DRAWS.get(flow, ())]
    assert unused == [], "the port drew fewer random values than the original"
    assert storage.ops == case["storage_ops"]
    assert storage.items == case["storage_after"]
    _compare_callbacks(got, case)


def test_every_recorded_flow_is_replayed():
    # A vector file that the replay skipped would be a silent gap.
    assert len(CASES) >= 25
