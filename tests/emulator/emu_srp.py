"""A minimal, test-only SRP client for the emulator tests, built on ``pycognito_web._srp``.

It does what ``CognitoUser.authenticateUserDefaultAuth`` of the JavaScript SDK does
(InitiateAuth with SRP_A, then PASSWORD_VERIFIER), with hooks to tamper with each
step. The real client lives in the package; this one exists so the emulator can be
tested on its own.
"""

import os
import time

from pycognito_web import _srp


class SrpSignIn:
    """One USER_SRP_AUTH attempt.

    Args:
        call: ``call(action, body)`` returning the answer dict.
        pool_id, client_id: where to sign in.
        username, password: the credentials.
    """

    def __init__(self, call, pool_id, client_id, username, password):
        self.call = call
        self.pool_id = pool_id
        self.pool_name = pool_id.split("_", 1)[1]
        self.client_id = client_id
        self.username = username
        self.password = password
        # 256 random bits instead of the SDK's 1024 keep the suite fast; the server
        # cannot tell (the peer tests run full-size clients).
        self.a = int.from_bytes(os.urandom(32), "big") | 1
        self.big_a = _srp.large_a(self.a)
        self.challenge = None

    def start(self, extra_params=None):
        """InitiateAuth; returns the PASSWORD_VERIFIER challenge answer."""
        params = {"USERNAME": self.username, "SRP_A": "%x" % self.big_a}
        params.update(extra_params or {})
        self.challenge = self.call(
            "InitiateAuth",
            {"AuthFlow": "USER_SRP_AUTH", "ClientId": self.client_id, "AuthParameters": params},
        )
        return self.challenge

    def responses(self, password=None, stamp=None):
        """The ChallengeResponses for the pending challenge (password overridable)."""
        parameters = self.challenge["ChallengeParameters"]
        user_id = parameters["USER_ID_FOR_SRP"]
        key = _srp.authentication_key(
            self.a,
            self.big_a,
            int(parameters["SRP_B"], 16),
            int(parameters["SALT"], 16),
            self.pool_name,
            user_id,
            self.password if password is None else password,
        )
        stamp = stamp or _srp.timestamp(time.time())
        signature = _srp.claim_signature(
            key, self.pool_name, user_id, parameters["SECRET_BLOCK"], stamp
        )
        return {
            "USERNAME": user_id,
            "PASSWORD_CLAIM_SECRET_BLOCK": parameters["SECRET_BLOCK"],
            "TIMESTAMP": stamp,
            "PASSWORD_CLAIM_SIGNATURE": signature,
        }

    def answer(self, responses, session=True):
        """RespondToAuthChallenge with the given responses (Session sent unless False)."""
        body = {
            "ChallengeName": "PASSWORD_VERIFIER",
            "ClientId": self.client_id,
            "ChallengeResponses": responses,
        }
        if session:
            body["Session"] = self.challenge["Session"]
        return self.call("RespondToAuthChallenge", body)

    def run(self, password=None):
        """Both steps; returns the final answer (AuthenticationResult on success)."""
        self.start()
        return self.answer(self.responses(password))
