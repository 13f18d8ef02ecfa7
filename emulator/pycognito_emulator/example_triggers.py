"""Example custom-authentication triggers for the emulator (``--triggers``, or a pool's
``"triggers"`` in ``--config``): AWS's usual three Lambda handlers, written in Python.

The challenge is a sum to work out (``publicChallengeParameters``: ``question``, ``a``,
``b``), or, when the sign-in's ClientMetadata says ``{"challenge": "code"}``, a
six-digit code "sent" to the user's email through the emulator's outbox (kind
``custom_challenge``). Three wrong answers fail the sign-in. With SRP first
(``CHALLENGE_NAME: SRP_A``) the password is checked before the custom challenge.

Copy this file to write your own: each function gets Cognito's event and returns it.
"""

import secrets

MAX_ATTEMPTS = 3


def define_auth_challenge(event, context):
    """DefineAuthChallenge: SRP_A -> PASSWORD_VERIFIER -> CUSTOM_CHALLENGE -> tokens."""
    session = event["request"]["session"]
    response = event["response"]
    last = session[-1] if session else None
    if last and last["challengeName"] == "SRP_A":
        response.update(challengeName="PASSWORD_VERIFIER", issueTokens=False,
                        failAuthentication=False)  # fmt: skip
    elif last and last["challengeName"] == "PASSWORD_VERIFIER" and not last["challengeResult"]:
        response.update(issueTokens=False, failAuthentication=True)
    elif last and last["challengeName"] == "CUSTOM_CHALLENGE" and last["challengeResult"]:
        response.update(issueTokens=True, failAuthentication=False)
    elif sum(1 for item in session if item["challengeName"] == "CUSTOM_CHALLENGE") >= MAX_ATTEMPTS:
        response.update(issueTokens=False, failAuthentication=True)
    else:
        response.update(challengeName="CUSTOM_CHALLENGE", issueTokens=False,
                        failAuthentication=False)  # fmt: skip
    return event


def create_auth_challenge(event, context):
    """CreateAuthChallenge: a sum, or a code through the outbox."""
    request = event["request"]
    response = event["response"]
    email = request["userAttributes"].get("email")
    if request.get("clientMetadata", {}).get("challenge") == "code" and email:
        code = "%06d" % secrets.randbelow(1000000)
        context.send_message(email, code)
        response["publicChallengeParameters"] = {"question": "Type the code sent to your email."}
        response["privateChallengeParameters"] = {"answer": code}
        response["challengeMetadata"] = "CODE"
    else:
        a, b = 2 + secrets.randbelow(20), 2 + secrets.randbelow(20)
        response["publicChallengeParameters"] = {
            "question": "What is %d + %d?" % (a, b), "a": str(a), "b": str(b),
        }  # fmt: skip
        response["privateChallengeParameters"] = {"answer": str(a + b)}
        response["challengeMetadata"] = "SUM"
    return event


def verify_auth_challenge_response(event, context):
    """VerifyAuthChallengeResponse: the answer must equal the private answer."""
    expected = event["request"]["privateChallengeParameters"].get("answer")
    given = (event["request"].get("challengeAnswer") or "").strip()
    event["response"]["answerCorrect"] = expected is not None and given == expected
    return event
