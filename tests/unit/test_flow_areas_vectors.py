"""Each area of ``flows/`` on its own, against the original SDK's recorded exchanges.

tests/test_flow_vectors.py replays the recorded cases through the JavaScript-shaped API;
here the flows themselves are driven with ``run_sync``, with no ``User`` or transport in
between: every body a flow yields must be the recorded request's, byte for byte (once
the original's explicit nulls and the flow's unset fields are both left out), and what
the flow returns must be what the recorded answer holds. Random bytes, the clock, the
stored device and the access token come from the case.
"""

import glob
import json
import os

import pytest

from pycognito_web._api import drop_none, dumps
from pycognito_web.compat import AuthenticationDetails
from pycognito_web.errors import ServiceError, service_error
from pycognito_web.flows import account, run_sync, sign_in, sign_up
from pycognito_web.flows.context import DeviceSecrets, FlowContext, SignedIn

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES = []
for _path in sorted(glob.glob(os.path.join(HERE, "vectors", "flow_*.json"))):
    with open(_path, encoding="utf-8") as _handle:
        CASES.extend(json.load(_handle)["cases"])
SENDING = [case for case in CASES if case["requests"]]


class Recorded:
    """A flow environment answering from one recorded case."""

    def __init__(self, case):
        self.case = case
        self.requests = list(case["requests"])
        self.draws = list(case["random"])
        self.sent = []
        self.prefix = "CognitoIdentityServiceProvider.%s." % case["pool"]["ClientId"]

    def stored(self, name, username=None):
        user = username or self.case["storage_before"].get(self.prefix + "LastAuthUser")
        return self.case["storage_before"].get("%s%s.%s" % (self.prefix, user, name))

    def call(self, action, params):
        assert self.requests, "the flow sent %s, which the original did not" % action
        recorded = self.requests.pop(0)
        want = recorded["request"]
        self.sent.append(action)
        assert action == want["action"]
        assert dumps(drop_none(params)) == dumps(drop_none(json.loads(want["body_text"])))
        answer = recorded["response"]
        body = json.loads(answer["body_text"])
        if answer["status"] != 200:
            raise service_error(body["__type"], body["message"], answer["status"])
        return body

    def random(self, count):
        for index, draw in enumerate(self.draws):
            if draw["nbytes"] == count:
                del self.draws[index]
                return bytes.fromhex(draw["hex"])
        raise AssertionError("the flow drew %d bytes the original did not" % count)

    def now(self):
        return self.case["clock"]["epoch_ms"] / 1000.0

    def device(self, username):
        names = ("deviceKey", "deviceGroupKey", "randomPasswordKey")
        values = [self.stored(name, username) for name in names]
        return DeviceSecrets(*values) if all(values) else None

    def access_token(self):
        token = self.stored("accessToken")
        assert token, "the flow asked for a token the case does not hold"
        return token


def _flow(case, ctx):
    """The flow the recorded SDK call ran, from the call's arguments."""
    call = case["call"]
    method, args = call["method"], call.get("args", [])
    extra = args[3] if len(args) > 3 else None
    if method == "CognitoUser.confirmRegistration":
        return sign_up.confirm_sign_up(ctx, call["username"], args[0], args[1], extra)
    if method == "CognitoUser.resendConfirmationCode":
        return sign_up.resend_confirmation_code(ctx, call["username"], args[1] if args else None)
    if method == "CognitoUserPool.signUp":
        metadata = args[5] if len(args) > 5 else None
        return sign_up.sign_up(ctx, args[0], args[1], args[2], args[3], metadata)
    if method == "CognitoUser.authenticateUser":
        details = AuthenticationDetails(call["authenticationDetails"])
        metadata, password = details.metadata(), details.getPassword()
        if call["authenticationFlowType"] == "USER_PASSWORD_AUTH":
            return sign_in.password(ctx, call["username"], password, None, metadata)
        return sign_in.srp(ctx, call["username"], password, "USER_SRP_AUTH", None, metadata)
    return None


def _run(case):
    ctx = FlowContext(case["pool"]["ClientId"], case["pool"]["UserPoolId"].split("_", 1)[1],
                      device_name="nodejs")  # fmt: skip
    env = Recorded(case)
    method = case["call"]["method"]
    flow = _flow(case, ctx)
    if flow is None and method.endswith("getSession"):
        options = case["call"]["args"][1] if len(case["call"]["args"]) > 1 else {}
        user = case["storage_before"][env.prefix + "LastAuthUser"]
        flow = account.refresh(ctx, env.stored("refreshToken"), user, env.stored("deviceKey"),
                               options.get("clientMetadata"))  # fmt: skip
    elif flow is None and method.endswith("getUserAttributes"):
        flow = account.get_user()
    elif flow is None and method.endswith("signOut"):
        flow = account.revoke_token(ctx, env.stored("refreshToken"))
    assert flow is not None, "no flow for %s" % method
    try:
        return env, run_sync(flow, env), None
    except ServiceError as error:
        return env, None, error


@pytest.mark.parametrize("case", SENDING, ids=[c["name"] for c in SENDING])
def test_each_flow_sends_the_recorded_bodies_and_reads_the_recorded_answer(case):
    env, outcome, error = _run(case)
    last = json.loads(case["requests"][len(env.sent) - 1]["response"]["body_text"])
    if error is not None:
        # A refused request ends the flow with that typed error; the original's
        # retries of a refused refresh are the only recorded requests left unsent.
        assert error.code == last["__type"] and error.message == last["message"]
        assert all(r["request"]["action"] == "InitiateAuth" for r in env.requests)
        return
    assert env.requests == [], "the original sent more than the flow did"
    assert [d for d in env.draws if d["purpose"] != "srp_small_a"] == []
    method = case["call"]["method"]
    if isinstance(outcome, SignedIn):
        first = json.loads(case["requests"][0]["response"]["body_text"])
        result = next(
            json.loads(r["response"]["body_text"])["AuthenticationResult"]
            for r in case["requests"]
            if "AuthenticationResult" in r["response"]["body_text"]
        )
        assert outcome.result == result
        user_id = first.get("ChallengeParameters", {}).get("USER_ID_FOR_SRP")
        assert outcome.username == (user_id or case["call"]["username"])
        assert outcome.new_device == ("ConfirmDevice" in env.sent)
    elif method.endswith("getSession"):
        assert outcome == last["AuthenticationResult"]
    elif method.endswith("getUserAttributes"):
        shaped = [{"__type": "CognitoUserAttribute", "Name": a["Name"], "Value": a["Value"]}
                  for a in account.attribute_list(outcome)]  # fmt: skip
        assert shaped == case["callbacks"][0]["args"][1]
    elif method in ("CognitoUser.resendConfirmationCode", "CognitoUserPool.signUp"):
        assert outcome == last  # the callback gets the answer as it came
    else:
        assert outcome == "SUCCESS"


def test_every_area_with_a_recorded_exchange_is_replayed():
    # A case that _run could not map would fail above; this guards the selection.
    actions = {r["request"]["action"] for case in SENDING for r in case["requests"]}
    assert actions == {
        "ConfirmDevice", "ConfirmSignUp", "GetUser", "InitiateAuth", "ResendConfirmationCode",
        "RespondToAuthChallenge", "RevokeToken", "SignUp",
    }  # fmt: skip
    assert len(SENDING) >= 18
