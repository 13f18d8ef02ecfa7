"""Example custom-authentication triggers for the emulator (``--triggers``, or a pool's
``"triggers"`` in ``--config``): AWS's usual three Lambda handlers, written in Python.

Why they look like this: these three functions alone decide who gets tokens, and
CUSTOM_AUTH starts from an unsigned ``InitiateAuth`` that any web page can send with
nothing but a USERNAME. A challenge whose answer can be worked out from what the
challenge shows (a sum of public numbers, a question, a CAPTCHA) signs anyone in as
anyone, MFA or not. So these triggers never issue tokens unless the user proved a
secret they hold:

* With SRP first (``CHALLENGE_NAME: SRP_A`` and ``SRP_A`` in AuthParameters, what the
  original SDK's ``authenticateUser`` does with the CUSTOM_AUTH flow type): the
  password over SRP (PASSWORD_VERIFIER), then a one-time code sent to the user's
  verified email.
* Without SRP: the one-time code alone (a passwordless sign-in by email).

The code is six random digits, a new one for each challenge, put in the emulator's
outbox (kind ``custom_challenge``) for the address in ``email`` when
``email_verified`` is ``"true"``; a user without a verified email is refused (an
unverified address may belong to someone else). The answer is compared in constant
time. Three wrong answers fail the sign-in; a wrong password fails it at once.

Copy this file to write your own: each function gets Cognito's event and returns it.
Keep the rule above: whatever you ask, tokens only after a secret the user holds.
"""

import hmac
import secrets

MAX_ATTEMPTS = 3
QUESTION = "Type the code sent to your email."


def _verified_email(attributes):
    email = attributes.get("email")
    if email and attributes.get("email_verified") == "true":
        return email
    return None


def define_auth_challenge(event, context):
    """DefineAuthChallenge: [SRP_A -> PASSWORD_VERIFIER ->] CUSTOM_CHALLENGE -> tokens.

    Tokens only after a right answer to the emailed code, and, when the sign-in began
    with SRP_A, only after the password was proved too.
    """
    request = event["request"]
    session = request["session"]
    response = event["response"]
    last = session[-1] if session else None
    started_with_srp = bool(session) and session[0]["challengeName"] == "SRP_A"
    password_proved = any(
        item["challengeName"] == "PASSWORD_VERIFIER" and item["challengeResult"] for item in session
    )
    codes = [item for item in session if item["challengeName"] == "CUSTOM_CHALLENGE"]
    if last and last["challengeName"] == "SRP_A":
        response.update(challengeName="PASSWORD_VERIFIER", issueTokens=False,
                        failAuthentication=False)  # fmt: skip
    elif last and last["challengeName"] == "PASSWORD_VERIFIER" and not last["challengeResult"]:
        response.update(issueTokens=False, failAuthentication=True)
    elif (
        last
        and last["challengeName"] == "CUSTOM_CHALLENGE"
        and last["challengeResult"] is True
        and (password_proved or not started_with_srp)
    ):
        response.update(issueTokens=True, failAuthentication=False)
    elif len(codes) >= MAX_ATTEMPTS or not _verified_email(request["userAttributes"]):
        response.update(issueTokens=False, failAuthentication=True)
    else:
        response.update(challengeName="CUSTOM_CHALLENGE", issueTokens=False,
                        failAuthentication=False)  # fmt: skip
    return event


def create_auth_challenge(event, context):
    """CreateAuthChallenge: a new one-time code, sent to the user's verified email."""
    request = event["request"]
    response = event["response"]
    email = _verified_email(request["userAttributes"])
    if email is None:  # Define refuses such a user; never send a code to an unverified address
        raise ValueError("the user has no verified email")
    code = "%06d" % secrets.randbelow(1000000)
    context.send_message(email, code)
    response["publicChallengeParameters"] = {"question": QUESTION}
    response["privateChallengeParameters"] = {"answer": code}
    response["challengeMetadata"] = "CODE"
    return event


def verify_auth_challenge_response(event, context):
    """VerifyAuthChallengeResponse: the answer must equal the code (constant time)."""
    expected = event["request"]["privateChallengeParameters"].get("answer")
    given = (event["request"].get("challengeAnswer") or "").strip()
    event["response"]["answerCorrect"] = bool(expected) and hmac.compare_digest(
        given.encode("utf-8"), expected.encode("utf-8")
    )
    return event
