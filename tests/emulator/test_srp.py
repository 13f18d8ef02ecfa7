"""USER_SRP_AUTH end to end, and every way the exchange must be refused."""

import time

import pytest
from emu_helpers import PASSWORD, password_auth, sign_up, unique
from emu_srp import SrpSignIn

from pycognito_web import _srp


def srp(emulator, username, password=PASSWORD, client_id=None):
    return SrpSignIn(emulator.call, emulator.pool_id, client_id or emulator.client_id,
                     username, password)  # fmt: skip


@pytest.fixture
def clock(emulator):
    yield emulator
    emulator.reset_clock()


def test_srp_sign_in_issues_tokens(emulator):
    username, _ = sign_up(emulator)
    attempt = srp(emulator, username)
    challenge = attempt.start()
    assert challenge["ChallengeName"] == "PASSWORD_VERIFIER"
    parameters = challenge["ChallengeParameters"]
    assert set(parameters) == {"SALT", "SECRET_BLOCK", "SRP_B", "USERNAME", "USER_ID_FOR_SRP"}
    assert parameters["USER_ID_FOR_SRP"] == username
    int(parameters["SALT"], 16), int(parameters["SRP_B"], 16)
    answer = attempt.answer(attempt.responses())
    result = answer["AuthenticationResult"]
    assert answer["ChallengeParameters"] == {}
    assert result["TokenType"] == "Bearer" and result["ExpiresIn"] == 3600
    assert set(result) == {"AccessToken", "ExpiresIn", "TokenType", "RefreshToken", "IdToken"}
    assert emulator.call("GetUser", {"AccessToken": result["AccessToken"]})["Username"] == username


def test_sign_in_by_email_alias_uses_the_internal_username(emulator):
    username, email = sign_up(emulator)
    attempt = srp(emulator, email.upper())  # alias lookup ignores the e-mail's case
    challenge = attempt.start()
    assert challenge["ChallengeParameters"]["USER_ID_FOR_SRP"] == username
    assert "AuthenticationResult" in attempt.answer(attempt.responses())


def test_email_pool_srp_user_id_is_the_sub(emulator):
    pool = emulator.pools["email"]
    client_id = pool["clients"]["web"]["id"]
    email = unique("mail") + "@example.com"
    sub = emulator.call(
        "SignUp", {"ClientId": client_id, "Username": email, "Password": "secret1A"}
    )["UserSub"]
    emulator.call(
        "ConfirmSignUp",
        {"ClientId": client_id, "Username": email, "ConfirmationCode": emulator.last_code(sub)},
    )
    attempt = SrpSignIn(emulator.call, pool["id"], client_id, email, "secret1A")
    assert attempt.start()["ChallengeParameters"]["USER_ID_FOR_SRP"] == sub
    assert "AuthenticationResult" in attempt.answer(attempt.responses())


def test_wrong_password_is_refused(emulator):
    username, _ = sign_up(emulator)
    attempt = srp(emulator, username)
    attempt.start()
    with pytest.raises(emulator.ApiError) as caught:
        attempt.answer(attempt.responses(password="Wrong-passw0rd"))
    assert caught.value.type == "NotAuthorizedException"
    assert caught.value.message == "Incorrect username or password."


def test_secret_block_is_single_use(emulator):
    username, _ = sign_up(emulator)
    attempt = srp(emulator, username)
    attempt.start()
    responses = attempt.responses()
    attempt.answer(responses)
    with pytest.raises(emulator.ApiError) as caught:
        attempt.answer(responses)  # a replay of a valid answer
    assert caught.value.type == "NotAuthorizedException"
    assert caught.value.message == "Invalid session for the user."


def test_a_failed_answer_consumes_the_challenge(emulator):
    username, _ = sign_up(emulator)
    attempt = srp(emulator, username)
    attempt.start()
    good = attempt.responses()
    with pytest.raises(emulator.ApiError):
        attempt.answer(attempt.responses(password="Wrong-passw0rd"))
    with pytest.raises(emulator.ApiError) as caught:
        attempt.answer(good)
    assert caught.value.message == "Invalid session for the user."


def test_answer_without_session_works_as_pycognito_sends_it(emulator):
    username, _ = sign_up(emulator)
    attempt = srp(emulator, username)
    attempt.start()
    assert "AuthenticationResult" in attempt.answer(attempt.responses(), session=False)


def test_session_from_another_challenge_is_refused(emulator):
    username, _ = sign_up(emulator)
    first, second = srp(emulator, username), srp(emulator, username)
    first.start()
    second.start()
    responses = first.responses()
    body = {
        "ChallengeName": "PASSWORD_VERIFIER",
        "ClientId": emulator.client_id,
        "ChallengeResponses": responses,
        "Session": second.challenge["Session"],
    }
    error = emulator.fail("RespondToAuthChallenge", body)
    assert error.type == "NotAuthorizedException"


def test_challenge_expires_after_three_minutes(clock):
    emulator = clock
    username, _ = sign_up(emulator)
    attempt = srp(emulator, username)
    attempt.start()
    emulator.advance_clock(181)
    stamp = _srp.timestamp(time.time() + 181)
    with pytest.raises(emulator.ApiError) as caught:
        attempt.answer(attempt.responses(stamp=stamp))
    assert caught.value.message == "Invalid session for the user, session is expired."


def test_challenge_of_another_client_is_refused(emulator):
    username, _ = sign_up(emulator)
    attempt = srp(emulator, username)
    attempt.start()
    attempt.client_id = emulator.pools["main"]["clients"]["srp-only"]["id"]
    with pytest.raises(emulator.ApiError) as caught:
        attempt.answer(attempt.responses())
    assert caught.value.type == "NotAuthorizedException"


def test_stale_timestamp_is_refused(emulator):
    username, _ = sign_up(emulator)
    attempt = srp(emulator, username)
    attempt.start()
    with pytest.raises(emulator.ApiError) as caught:
        attempt.answer(attempt.responses(stamp=_srp.timestamp(time.time() - 600)))
    assert caught.value.type == "NotAuthorizedException"
    assert "TIMESTAMP" in caught.value.message


def test_zero_padded_day_timestamp_is_accepted(emulator):
    username, _ = sign_up(emulator)
    attempt = srp(emulator, username)
    attempt.start()
    stamp = time.strftime("%a %b %d %H:%M:%S UTC %Y", time.gmtime())
    assert "AuthenticationResult" in attempt.answer(attempt.responses(stamp=stamp))


@pytest.mark.parametrize("stamp", ["yesterday", "Tue May 7 00:09:40 GMT 2025", "Xyz"])
def test_malformed_timestamp_is_refused(emulator, stamp):
    username, _ = sign_up(emulator)
    attempt = srp(emulator, username)
    attempt.start()
    with pytest.raises(emulator.ApiError) as caught:
        attempt.answer(attempt.responses(stamp=stamp))
    assert caught.value.type == "InvalidParameterException"


def test_tampered_signature_is_refused(emulator):
    username, _ = sign_up(emulator)
    attempt = srp(emulator, username)
    attempt.start()
    responses = attempt.responses()
    signature = responses["PASSWORD_CLAIM_SIGNATURE"]
    responses["PASSWORD_CLAIM_SIGNATURE"] = ("B" if signature[0] == "A" else "A") + signature[1:]
    with pytest.raises(emulator.ApiError) as caught:
        attempt.answer(responses)
    assert caught.value.message == "Incorrect username or password."


@pytest.mark.parametrize("srp_a", ["0", _srp.N_HEX, "%x" % (2 * _srp.N), "xyz", "f" * 2000])
def test_degenerate_srp_a_is_refused(emulator, srp_a):
    username, _ = sign_up(emulator)
    error = emulator.fail(
        "InitiateAuth",
        {
            "AuthFlow": "USER_SRP_AUTH",
            "ClientId": emulator.client_id,
            "AuthParameters": {"USERNAME": username, "SRP_A": srp_a},
        },
    )
    assert error.type == "InvalidParameterException"


def test_missing_auth_parameters(emulator):
    error = emulator.fail(
        "InitiateAuth",
        {"AuthFlow": "USER_SRP_AUTH", "ClientId": emulator.client_id, "AuthParameters": {}},
    )
    assert error.message == "Missing required parameter USERNAME"


def test_unconfirmed_user_is_told_so_even_with_a_wrong_password(emulator):
    username, _ = sign_up(emulator, confirm=False)
    for password in (PASSWORD, "Wrong-passw0rd"):
        attempt = srp(emulator, username, password)
        attempt.start()
        with pytest.raises(emulator.ApiError) as caught:
            attempt.answer(attempt.responses())
        assert caught.value.type == "UserNotConfirmedException"
        assert caught.value.message == "User is not confirmed."


def test_unknown_user_legacy(emulator):
    with pytest.raises(emulator.ApiError) as caught:
        srp(emulator, unique("ghost")).start()
    assert caught.value.type == "UserNotFoundException"
    assert caught.value.message == "User does not exist."


def test_unknown_user_with_prevent_user_existence_errors(emulator):
    quiet = emulator.pools["main"]["clients"]["quiet"]["id"]
    name = unique("ghost")
    attempt = srp(emulator, name, client_id=quiet)
    first = attempt.start()["ChallengeParameters"]
    again = srp(emulator, name, client_id=quiet).start()["ChallengeParameters"]
    assert first["SALT"] == again["SALT"]  # stable, like a real user's
    with pytest.raises(emulator.ApiError) as caught:
        attempt.answer(attempt.responses())
    assert caught.value.type == "NotAuthorizedException"
    assert caught.value.message == "Incorrect username or password."
    error = emulator.fail(
        "InitiateAuth",
        {
            "AuthFlow": "USER_PASSWORD_AUTH",
            "ClientId": quiet,
            "AuthParameters": {"USERNAME": name, "PASSWORD": PASSWORD},
        },
    )
    assert (error.type, error.message) == (
        "NotAuthorizedException",
        "Incorrect username or password.",
    )


def test_password_auth(emulator):
    username, email = sign_up(emulator)
    assert password_auth(emulator, email)["TokenType"] == "Bearer"
    error = emulator.fail(
        "InitiateAuth",
        {
            "AuthFlow": "USER_PASSWORD_AUTH",
            "ClientId": emulator.client_id,
            "AuthParameters": {"USERNAME": username, "PASSWORD": "Wrong-passw0rd"},
        },
    )
    assert (error.type, error.message) == (
        "NotAuthorizedException",
        "Incorrect username or password.",
    )


def test_explicit_auth_flows_are_enforced(emulator):
    username, _ = sign_up(emulator)
    srp_only = emulator.pools["main"]["clients"]["srp-only"]["id"]
    error = emulator.fail(
        "InitiateAuth",
        {
            "AuthFlow": "USER_PASSWORD_AUTH",
            "ClientId": srp_only,
            "AuthParameters": {"USERNAME": username, "PASSWORD": PASSWORD},
        },
    )
    assert error.type == "InvalidParameterException"
    assert error.message == "USER_PASSWORD_AUTH flow not enabled for this client"
    assert "AuthenticationResult" in srp(emulator, username, client_id=srp_only).run()
    phone_client = emulator.pools["phone"]["clients"]["web"]["id"]
    error = emulator.fail(
        "InitiateAuth",
        {
            "AuthFlow": "USER_SRP_AUTH",
            "ClientId": phone_client,
            "AuthParameters": {"USERNAME": "+15550001111", "SRP_A": "abc"},
        },
    )
    assert error.message == "USER_SRP_AUTH flow not enabled for this client"


def test_lockout_after_five_failures(clock):
    emulator = clock
    username, _ = sign_up(emulator)
    body = {
        "AuthFlow": "USER_PASSWORD_AUTH",
        "ClientId": emulator.client_id,
        "AuthParameters": {"USERNAME": username, "PASSWORD": "Wrong-passw0rd"},
    }
    for _ in range(5):
        assert emulator.fail("InitiateAuth", body).message == "Incorrect username or password."
    # Locked for 1 s: even the right password is refused, and that does not count.
    right = dict(body, AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD})
    assert emulator.fail("InitiateAuth", right).message == "Password attempts exceeded"
    attempt = srp(emulator, username)
    attempt.start()
    with pytest.raises(emulator.ApiError) as caught:
        attempt.answer(attempt.responses())
    assert caught.value.message == "Password attempts exceeded"
    emulator.advance_clock(1.1)
    assert password_auth(emulator, username)["TokenType"] == "Bearer"


def test_secret_client_needs_secret_hash(emulator):
    from pycognito_emulator._accounts import secret_hash

    client_id, secret = emulator.secret_client_id, emulator.secret_client_secret
    username, email = sign_up(emulator)
    params = {"USERNAME": username, "PASSWORD": PASSWORD}
    body = {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id, "AuthParameters": params}
    error = emulator.fail("InitiateAuth", body)
    assert error.message == (
        "Client %s is configured for secret but secret was not received" % client_id
    )
    params["SECRET_HASH"] = secret_hash(secret, "someone-else", client_id)
    error = emulator.fail("InitiateAuth", body)
    assert error.type == "NotAuthorizedException"
    assert error.message == "Unable to verify secret hash for client %s" % client_id
    params["SECRET_HASH"] = secret_hash(secret, username, client_id)
    assert "AuthenticationResult" in emulator.call("InitiateAuth", body)
    # SRP through the secret client: the hash of the name used to sign in.
    attempt = SrpSignIn(emulator.call, emulator.pool_id, client_id, email, PASSWORD)
    attempt.start({"SECRET_HASH": secret_hash(secret, email, client_id)})
    responses = attempt.responses()
    responses["SECRET_HASH"] = secret_hash(secret, username, client_id)
    assert "AuthenticationResult" in attempt.answer(responses)
