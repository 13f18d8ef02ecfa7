"""CUSTOM_AUTH over HTTP with the example triggers (pool "custom"): a one-time code sent to
the user's verified email, with and without the password over SRP first; that nothing
shown in a challenge signs anyone in (in the demo's pools too); triggers loaded from a file
by ``--triggers``."""

import json
import os
import re
import subprocess
import sys
import textwrap
import urllib.error
import urllib.request

from emu_helpers import PASSWORD, unique
from emu_srp import SrpSignIn


def client_of(emulator, name="web"):
    return emulator.pools["custom"]["clients"][name]["id"]


def new_user(emulator):
    username = unique("cust")
    emulator.call(
        "SignUp",
        {"ClientId": client_of(emulator), "Username": username, "Password": PASSWORD,
         "UserAttributes": [{"Name": "email", "Value": username + "@example.com"}]},
    )  # fmt: skip
    emulator.call(
        "ConfirmSignUp",
        {"ClientId": client_of(emulator), "Username": username,
         "ConfirmationCode": emulator.last_code(username)},
    )  # fmt: skip
    return username


def initiate(emulator, username, params=None, metadata=None):
    body = {
        "AuthFlow": "CUSTOM_AUTH",
        "ClientId": client_of(emulator),
        "AuthParameters": dict({"USERNAME": username}, **(params or {})),
    }
    if metadata is not None:
        body["ClientMetadata"] = metadata
    return emulator.call("InitiateAuth", body)


def answer(emulator, challenge, username, text, fail=False):
    body = {
        "ChallengeName": "CUSTOM_CHALLENGE",
        "ClientId": client_of(emulator),
        "Session": challenge["Session"],
        "ChallengeResponses": {"USERNAME": username, "ANSWER": text},
    }
    return (
        emulator.fail("RespondToAuthChallenge", body)
        if fail
        else emulator.call("RespondToAuthChallenge", body)
    )


def solve(emulator, username):
    """The code the example triggers just sent to the user's verified email."""
    message = emulator.messages(username)[-1]
    assert message["kind"] == "custom_challenge", message
    return message["code"]


def test_custom_challenge_without_srp(emulator):
    username = new_user(emulator)
    challenge = initiate(emulator, username)
    assert challenge["ChallengeName"] == "CUSTOM_CHALLENGE"
    params = challenge["ChallengeParameters"]
    assert params == {"USERNAME": username, "question": "Type the code sent to your email."}
    code = solve(emulator, username)
    assert code not in json.dumps(challenge)  # private parameters stay on the server
    done = answer(emulator, challenge, username, code)
    result = done["AuthenticationResult"]
    user = emulator.call("GetUser", {"AccessToken": result["AccessToken"]})
    assert user["Username"] == username


def test_three_wrong_answers_fail_and_sessions_are_single_use(emulator):
    username = new_user(emulator)
    challenge = initiate(emulator, username)
    second = answer(emulator, challenge, username, "not a number")
    assert second["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert second["Session"] != challenge["Session"]
    spent = answer(emulator, challenge, username, solve(emulator, username), fail=True)
    assert spent.type == "NotAuthorizedException"
    third = answer(emulator, second, username, "-1")
    error = answer(emulator, third, username, "-1", fail=True)
    assert (error.type, error.message) == (
        "NotAuthorizedException",
        "Incorrect username or password.",
    )


def test_code_through_the_outbox_a_new_one_each_challenge(emulator):
    username = new_user(emulator)
    challenge = initiate(emulator, username, metadata={"any": "thing"})
    assert challenge["ChallengeParameters"]["question"] == "Type the code sent to your email."
    message = emulator.messages(username)[-1]
    assert message["kind"] == "custom_challenge"
    assert message["destination"] == username + "@example.com"
    # A wrong answer: a new code for the next try, and the old one is spent.
    second = answer(emulator, challenge, username, "000000" if message["code"] != "000000"
                    else "111111")  # fmt: skip
    assert second["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert len([m for m in emulator.messages(username) if m["kind"] == "custom_challenge"]) == 2
    done = answer(emulator, second, username, solve(emulator, username))
    assert "AuthenticationResult" in done


def _answers_from_what_is_shown(challenge):
    """Every answer an attacker can derive from a challenge: each public value, and
    the sum of every pair of numbers in it (the old example's "What is a + b?")."""
    values = [v for k, v in challenge["ChallengeParameters"].items() if k != "USERNAME"]
    numbers = [int(n) for v in values for n in re.findall(r"-?\d+", v)]
    sums = [str(a + b) for i, a in enumerate(numbers) for b in numbers[i + 1 :]]
    return list(dict.fromkeys(sums + values)) or ["0"]


def _attack(call, client_id, username):
    """CUSTOM_AUTH with only a USERNAME, answered from what each challenge shows."""
    challenge = call("InitiateAuth", {"AuthFlow": "CUSTOM_AUTH", "ClientId": client_id,
                                      "AuthParameters": {"USERNAME": username}})  # fmt: skip
    tried = 0
    while "ChallengeName" in challenge and tried < 20:
        guesses = _answers_from_what_is_shown(challenge)
        tried += 1
        try:
            challenge = call("RespondToAuthChallenge", {
                "ChallengeName": challenge["ChallengeName"], "ClientId": client_id,
                "Session": challenge["Session"],
                "ChallengeResponses": {"USERNAME": username,
                                       "ANSWER": guesses[(tried - 1) % len(guesses)]},
            })  # fmt: skip
        except Exception as error:  # refused: the attack failed, as it must
            return error
    return challenge


def test_nothing_a_challenge_shows_signs_anyone_in(emulator):
    username = new_user(emulator)

    def call(action, body):
        return emulator.call(action, body)

    outcome = _attack(call, client_of(emulator), username)
    assert not isinstance(outcome, dict) or "AuthenticationResult" not in outcome, outcome
    assert outcome.message == "Incorrect username or password."


def test_a_user_without_a_verified_email_gets_no_code(emulator):
    boto = _admin(emulator)
    username = unique("unverified")
    boto.admin_create_user(
        UserPoolId=emulator.pools["custom"]["id"], Username=username, MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": username + "@example.com"}],
    )  # fmt: skip
    boto.admin_set_user_password(UserPoolId=emulator.pools["custom"]["id"], Username=username,
                                 Password=PASSWORD, Permanent=True)  # fmt: skip
    error = emulator.fail("InitiateAuth", {"AuthFlow": "CUSTOM_AUTH",
                                           "ClientId": client_of(emulator),
                                           "AuthParameters": {"USERNAME": username}})
    assert error.message == "Incorrect username or password."
    assert not [m for m in emulator.messages(username) if m["kind"] == "custom_challenge"]


def _admin(emulator):
    import boto3

    return boto3.client("cognito-idp", endpoint_url=emulator.url, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test")  # fmt: skip


def test_srp_first_then_the_custom_challenge(emulator):
    username = new_user(emulator)
    srp = SrpSignIn(emulator.call, emulator.pools["custom"]["id"], client_of(emulator),
                    username, PASSWORD)  # fmt: skip
    srp.challenge = initiate(
        emulator, username, {"CHALLENGE_NAME": "SRP_A", "SRP_A": "%x" % srp.big_a}
    )
    assert srp.challenge["ChallengeName"] == "PASSWORD_VERIFIER"
    custom = srp.answer(srp.responses())
    assert custom["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert custom["ChallengeParameters"]["question"] == "Type the code sent to your email."
    done = answer(emulator, custom, username, solve(emulator, username))
    assert "AuthenticationResult" in done

    wrong = SrpSignIn(emulator.call, emulator.pools["custom"]["id"], client_of(emulator),
                      username, PASSWORD)  # fmt: skip
    wrong.challenge = initiate(
        emulator, username, {"CHALLENGE_NAME": "SRP_A", "SRP_A": "%x" % wrong.big_a}
    )
    error = emulator.fail(
        "RespondToAuthChallenge",
        {"ChallengeName": "PASSWORD_VERIFIER", "ClientId": client_of(emulator),
         "Session": wrong.challenge["Session"],
         "ChallengeResponses": wrong.responses(password="Wr0ng-Password!")},
    )  # fmt: skip
    assert error.message == "Incorrect username or password."


def test_refusals(emulator):
    username = new_user(emulator)
    body = {
        "AuthFlow": "CUSTOM_AUTH",
        "ClientId": client_of(emulator, "no-custom"),
        "AuthParameters": {"USERNAME": username},
    }
    assert (
        emulator.fail("InitiateAuth", body).message
        == "CUSTOM_AUTH flow not enabled for this client"
    )
    # The "email" pool's client allows CUSTOM_AUTH, but the pool has no triggers.
    body["ClientId"] = emulator.pools["email"]["clients"]["web"]["id"]
    error = emulator.fail("InitiateAuth", body)
    assert (error.type, error.message) == (
        "InvalidParameterException",
        "Custom auth lambda trigger is not configured for the user pool.",
    )
    error = emulator.fail(
        "InitiateAuth",
        {"AuthFlow": "CUSTOM_AUTH", "ClientId": client_of(emulator),
         "AuthParameters": {"USERNAME": unique("nobody")}},
    )  # fmt: skip
    assert error.type == "UserNotFoundException"
    challenge = initiate(emulator, username)
    error = emulator.fail(
        "RespondToAuthChallenge",
        {"ChallengeName": "CUSTOM_CHALLENGE", "ClientId": client_of(emulator),
         "Session": challenge["Session"], "ChallengeResponses": {"USERNAME": username}},
    )  # fmt: skip
    assert error.message == "Missing required parameter ANSWER"


TRIGGERS = """
import json

SEEN = []


def define_auth_challenge(event, context):
    session = event["request"]["session"]
    if session and session[-1]["challengeResult"]:
        event["response"]["issueTokens"] = True
    elif event["request"]["clientMetadata"].get("mode") == "raise":
        raise RuntimeError("boom")
    elif event["request"]["clientMetadata"].get("mode") == "junk":
        return "junk"
    else:
        event["response"]["challengeName"] = "CUSTOM_CHALLENGE"


def create_auth_challenge(event):  # one parameter: no context
    event["response"]["publicChallengeParameters"] = {
        "echo": json.dumps(event["request"]["clientMetadata"], sort_keys=True),
        "trigger": event["triggerSource"],
        "pool": event["userPoolId"],
    }
    event["response"]["privateChallengeParameters"] = {"answer": "yes"}
    event["response"]["challengeMetadata"] = "META"
    return event


def verify_auth_challenge_response(event, context):
    event["response"]["answerCorrect"] = (
        event["request"]["challengeAnswer"]
        == event["request"]["privateChallengeParameters"]["answer"]
        and event["request"]["clientMetadata"].get("second") == "2"
        and context.function_name == "VerifyAuthChallengeResponse"
    )
    return event
"""


class ApiError(Exception):
    def __init__(self, body):
        data = json.loads(body or b"{}")
        self.type, self.message = data.get("__type"), data.get("message")
        Exception.__init__(self, "%s: %s" % (self.type, self.message))


def call(url, action, body):
    request = urllib.request.Request(
        url + "/", json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/x-amz-json-1.1",
                 "X-Amz-Target": "AWSCognitoIdentityProviderService." + action},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read())
    except urllib.error.HTTPError as error:
        raise ApiError(error.read()) from None


def _start_emulator(tmp_path, *extra):
    command = [sys.executable, "-m", "pycognito_emulator", "--port", "0", "--data",
               ":memory:", *extra]  # fmt: skip
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)  # fmt: skip


def test_triggers_from_a_file_on_the_command_line(tmp_path):
    path = tmp_path / "my_triggers.py"
    path.write_text(textwrap.dedent(TRIGGERS))
    config = tmp_path / "config.json"
    pool = {"PoolName": "p", "AutoVerifiedAttributes": ["email"],
            "clients": [{"ClientName": "c"}]}  # fmt: skip
    config.write_text(json.dumps({"pools": [pool]}))
    process = _start_emulator(tmp_path, "--config", str(config), "--triggers", str(path))
    try:
        url = process.stdout.readline().split(" on ", 1)[1].strip()
        summary = json.loads(process.stdout.readline())
        pool_id = summary["pools"][0]["id"]
        client_id = summary["pools"][0]["clients"][0]["id"]
        call(
            url,
            "SignUp",
            {
                "ClientId": client_id,
                "Username": "ann",
                "Password": PASSWORD,
                "UserAttributes": [{"Name": "email", "Value": "ann@example.com"}],
            },
        )
        with urllib.request.urlopen(url + "/_emulator/messages?username=ann") as answer:
            code = json.loads(answer.read())["messages"][-1]["code"]
        call(url, "ConfirmSignUp", {"ClientId": client_id, "Username": "ann",
                                    "ConfirmationCode": code})  # fmt: skip

        def start(metadata):
            return call(url, "InitiateAuth", {
                "AuthFlow": "CUSTOM_AUTH", "ClientId": client_id,
                "AuthParameters": {"USERNAME": "ann"}, "ClientMetadata": metadata,
            })  # fmt: skip

        def respond(challenge, metadata):
            return call(url, "RespondToAuthChallenge", {
                "ChallengeName": "CUSTOM_CHALLENGE", "ClientId": client_id,
                "Session": challenge["Session"], "ClientMetadata": metadata,
                "ChallengeResponses": {"USERNAME": "ann", "ANSWER": "yes"},
            })  # fmt: skip

        challenge = start({"first": "1"})
        assert challenge["ChallengeParameters"] == {
            "echo": '{"first": "1"}', "trigger": "CreateAuthChallenge_Authentication",
            "pool": pool_id, "USERNAME": "ann",
        }  # fmt: skip
        # Verify sees RespondToAuthChallenge's ClientMetadata: without "second" it says no.
        again = respond(challenge, {"other": "x"})
        assert again["ChallengeName"] == "CUSTOM_CHALLENGE"
        assert "AuthenticationResult" in respond(again, {"second": "2"})
        for mode, error_type, message in (
            (
                "raise",
                "UserLambdaValidationException",
                "DefineAuthChallenge failed with error boom.",
            ),
            ("junk", "InvalidLambdaResponseException", "Unrecognizable lambda output"),
        ):
            try:
                start({"mode": mode})
                raise AssertionError("the trigger's failure was not reported")
            except ApiError as error:
                assert (error.type, error.message) == (error_type, message)
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_missing_triggers_module_stops_the_emulator(tmp_path):
    process = _start_emulator(tmp_path, "--triggers", str(tmp_path / "nope.py"))
    _, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert "cannot load triggers" in err and "nope.py" in err


def test_the_demo_pools_sign_no_one_in_without_a_secret(tmp_path):
    # The demo's own config (site/emulator-config.json), as scripts/demo starts it.
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    config = os.path.join(root, "site", "emulator-config.json")
    process = _start_emulator(tmp_path, "--config", config)
    try:
        url = process.stdout.readline().split(" on ", 1)[1].strip()
        summary = json.loads(process.stdout.readline())
        assert len(summary["pools"]) == 2
        for pool in summary["pools"]:
            client_id = pool["clients"][0]["id"]
            name = unique("victim")
            call(url, "SignUp", {
                "ClientId": client_id, "Username": name, "Password": PASSWORD,
                "UserAttributes": [{"Name": "email", "Value": name + "@example.com"}],
            })  # fmt: skip
            with urllib.request.urlopen(url + "/_emulator/messages?username=" + name) as got:
                code = json.loads(got.read())["messages"][-1]["code"]
            call(url, "ConfirmSignUp", {"ClientId": client_id, "Username": name,
                                        "ConfirmationCode": code})  # fmt: skip
            outcome = _attack(lambda action, body: call(url, action, body), client_id, name)
            assert isinstance(outcome, ApiError), (pool["name"], outcome)
            assert outcome.message == "Incorrect username or password.", pool["name"]
    finally:
        process.terminate()
        process.wait(timeout=20)
