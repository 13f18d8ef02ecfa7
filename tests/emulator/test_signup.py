"""SignUp, ConfirmSignUp and ResendConfirmationCode, in the three kinds of pool."""

import pytest
from emu_helpers import PASSWORD, sign_up, unique

from pycognito_emulator._accounts import secret_hash
from pycognito_emulator._codes import mask_email, mask_phone


@pytest.fixture
def clock(emulator):
    yield emulator
    emulator.reset_clock()


def signup_body(emulator, username=None, password=PASSWORD, **extra):
    username = username or unique()
    body = {
        "ClientId": emulator.client_id,
        "Username": username,
        "Password": password,
        "UserAttributes": [{"Name": "email", "Value": "%s@example.com" % username}],
    }
    body.update(extra)
    return body


def test_sign_up_answer_and_code(emulator):
    body = signup_body(emulator)
    answer = emulator.call("SignUp", body)
    assert answer["UserConfirmed"] is False
    assert len(answer["UserSub"]) == 36
    assert answer["CodeDeliveryDetails"] == {
        "Destination": "u***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    code = emulator.last_code(body["Username"])
    assert len(code) == 6 and code.isdigit()


def test_masking():
    assert mask_email("alice@example.com") == "a***@e***"
    assert mask_phone("+12065550008") == "+*******0008"
    assert mask_phone("+441234564114") == "+********4114"


def test_username_exists(emulator):
    username, _ = sign_up(emulator, confirm=False)
    error = emulator.fail("SignUp", signup_body(emulator, username))
    assert (error.type, error.message) == ("UsernameExistsException", "User already exists")


@pytest.mark.parametrize(
    "password, reason",
    [
        ("Pw0rd!", "Password not long enough"),
        ("passw0rd!", "Password must have uppercase characters"),
        ("PASSW0RD!", "Password must have lowercase characters"),
        ("Password!", "Password must have numeric characters"),
        ("Passw0rdd", "Password must have symbol characters"),
    ],
)
def test_password_policy(emulator, password, reason):
    error = emulator.fail("SignUp", signup_body(emulator, password=password))
    assert error.type == "InvalidPasswordException"
    assert error.message == "Password did not conform with policy: " + reason


def test_space_counts_as_a_symbol(emulator):
    emulator.call("SignUp", signup_body(emulator, password="Pass w0rd"))


def test_required_attribute(emulator):
    body = signup_body(emulator)
    body["UserAttributes"] = []
    error = emulator.fail("SignUp", body)
    assert error.type == "InvalidParameterException"
    assert (
        error.message
        == "Attributes did not conform to the schema: email: The attribute is required"
    )


def test_attribute_checks(emulator):
    body = signup_body(emulator)
    body["UserAttributes"].append({"Name": "shoe_size", "Value": "9"})
    assert "does not exist in the schema" in emulator.fail("SignUp", body).message
    body = signup_body(emulator)
    body["UserAttributes"].append({"Name": "email_verified", "Value": "true"})
    error = emulator.fail("SignUp", body)
    assert (error.type, error.message) == (
        "NotAuthorizedException",
        "A client attempted to write unauthorized attribute",
    )
    body = signup_body(emulator)
    body["UserAttributes"].append({"Name": "custom:team", "Value": "blue"})
    emulator.call("SignUp", body)
    body = signup_body(emulator)
    body["UserAttributes"][0]["Value"] = "not-an-email"
    assert emulator.fail("SignUp", body).message == "Invalid email address format."


def test_alias_pool_refuses_email_shaped_usernames(emulator):
    error = emulator.fail("SignUp", signup_body(emulator, "someone@example.com"))
    assert error.message == (
        "Username cannot be of email format, since user pool is configured for email alias."
    )


def test_unknown_client(emulator):
    body = signup_body(emulator, ClientId="doesnotexist")
    error = emulator.fail("SignUp", body)
    assert (error.type, error.message) == (
        "ResourceNotFoundException",
        "User pool client doesnotexist does not exist.",
    )


def test_confirm_sign_up(emulator):
    username, _ = sign_up(emulator, confirm=False)
    body = {"ClientId": emulator.client_id, "Username": username, "ConfirmationCode": "000000"}
    code = emulator.last_code(username)
    if code == "000000":
        body["ConfirmationCode"] = "111111"
    error = emulator.fail("ConfirmSignUp", body)
    assert (error.type, error.message) == (
        "CodeMismatchException",
        "Invalid verification code provided, please try again.",
    )
    assert emulator.call("ConfirmSignUp", dict(body, ConfirmationCode=code)) == {}
    error = emulator.fail("ConfirmSignUp", dict(body, ConfirmationCode=code))
    assert (error.type, error.message) == (
        "NotAuthorizedException",
        "User cannot be confirmed. Current status is CONFIRMED",
    )
    error = emulator.fail("ResendConfirmationCode", {"ClientId": emulator.client_id,
                                                     "Username": username})  # fmt: skip
    assert (error.type, error.message) == (
        "InvalidParameterException",
        "User is already confirmed.",
    )


def test_confirmation_code_expires_after_a_day(clock):
    emulator = clock
    username, _ = sign_up(emulator, confirm=False)
    code = emulator.last_code(username)
    emulator.advance_clock(24 * 3600 + 1)
    error = emulator.fail(
        "ConfirmSignUp",
        {"ClientId": emulator.client_id, "Username": username, "ConfirmationCode": code},
    )
    assert (error.type, error.message) == (
        "ExpiredCodeException",
        "Invalid code provided, please request a code again.",
    )


def test_too_many_wrong_codes(emulator):
    username, _ = sign_up(emulator, confirm=False)
    code = emulator.last_code(username)
    wrong = "%06d" % ((int(code) + 1) % 1000000)
    body = {"ClientId": emulator.client_id, "Username": username, "ConfirmationCode": wrong}
    for _ in range(5):
        assert emulator.fail("ConfirmSignUp", body).type == "CodeMismatchException"
    error = emulator.fail("ConfirmSignUp", dict(body, ConfirmationCode=code))
    assert error.type == "LimitExceededException"
    emulator.call("ResendConfirmationCode", {"ClientId": emulator.client_id, "Username": username})
    body["ConfirmationCode"] = emulator.last_code(username)
    assert emulator.call("ConfirmSignUp", body) == {}


def test_resend_replaces_the_code(emulator):
    username, _ = sign_up(emulator, confirm=False)
    old = emulator.last_code(username)
    answer = emulator.call(
        "ResendConfirmationCode", {"ClientId": emulator.client_id, "Username": username}
    )
    assert answer["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    new = emulator.last_code(username)
    if old != new:
        error = emulator.fail(
            "ConfirmSignUp",
            {"ClientId": emulator.client_id, "Username": username, "ConfirmationCode": old},
        )
        assert error.type == "CodeMismatchException"


def test_unknown_user_for_codes(emulator):
    body = {"ClientId": emulator.client_id, "Username": unique("ghost")}
    error = emulator.fail("ResendConfirmationCode", body)
    assert (error.type, error.message) == (
        "UserNotFoundException",
        "Username/client id combination not found.",
    )
    error = emulator.fail("ConfirmSignUp", dict(body, ConfirmationCode="123456"))
    assert error.type == "UserNotFoundException"
    quiet = emulator.pools["main"]["clients"]["quiet"]["id"]
    answer = emulator.call("ResendConfirmationCode", dict(body, ClientId=quiet))
    assert answer["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"


def test_email_pool(emulator):
    pool = emulator.pools["email"]
    client_id = pool["clients"]["web"]["id"]
    email = unique("Mail") + "@Example.com"
    answer = emulator.call(
        "SignUp", {"ClientId": client_id, "Username": email, "Password": "secret1A"}
    )
    assert emulator.messages(answer["UserSub"])[-1]["destination"] == email
    assert emulator.last_code(email) == emulator.last_code(answer["UserSub"])
    error = emulator.fail(
        "SignUp", {"ClientId": client_id, "Username": email.lower(), "Password": "secret1A"}
    )
    assert (error.type, error.message) == (
        "UsernameExistsException",
        "An account with the given email already exists.",
    )
    error = emulator.fail(
        "SignUp", {"ClientId": client_id, "Username": "plainname", "Password": "secret1A"}
    )
    assert error.message == "Username should be an email."
    # The policy of this pool: 6 characters, no symbol needed.
    emulator.call(
        "ConfirmSignUp",
        {
            "ClientId": client_id,
            "Username": email,
            "ConfirmationCode": emulator.last_code(answer["UserSub"]),
        },
    )
    result = emulator.call(
        "InitiateAuth",
        {
            "AuthFlow": "USER_SRP_AUTH",
            "ClientId": client_id,
            "AuthParameters": {"USERNAME": email, "SRP_A": "abcdef"},
        },
    )
    assert result["ChallengeParameters"]["USER_ID_FOR_SRP"] == answer["UserSub"]


def test_phone_pool_sends_sms(emulator):
    client_id = emulator.pools["phone"]["clients"]["web"]["id"]
    number = "+1555%07d" % (int(unique("x")[-7:], 16) % 10000000)
    answer = emulator.call(
        "SignUp", {"ClientId": client_id, "Username": number, "Password": PASSWORD}
    )
    details = answer["CodeDeliveryDetails"]
    assert details["DeliveryMedium"] == "SMS"
    assert details["AttributeName"] == "phone_number"
    assert details["Destination"] == "+*******" + number[-4:]
    message = emulator.messages(answer["UserSub"])[-1]
    assert message["destination"] == number
    error = emulator.fail(
        "SignUp", {"ClientId": client_id, "Username": "someone", "Password": PASSWORD}
    )
    assert error.message == "Username should be a phone number."


def test_secret_hash_on_sign_up(emulator):
    client_id, secret = emulator.secret_client_id, emulator.secret_client_secret
    body = signup_body(emulator, ClientId=client_id)
    error = emulator.fail("SignUp", body)
    assert error.message == (
        "Client %s is configured for secret but secret was not received" % client_id
    )
    error = emulator.fail("SignUp", dict(body, SecretHash="bad"))
    assert error.message == "Unable to verify secret hash for client %s" % client_id
    body["SecretHash"] = secret_hash(secret, body["Username"], client_id)
    assert emulator.call("SignUp", body)["UserConfirmed"] is False
    confirm = {
        "ClientId": client_id,
        "Username": body["Username"],
        "ConfirmationCode": emulator.last_code(body["Username"]),
    }
    assert emulator.fail("ConfirmSignUp", confirm).type == "NotAuthorizedException"
    confirm["SecretHash"] = body["SecretHash"]
    assert emulator.call("ConfirmSignUp", confirm) == {}


def test_alias_is_only_usable_once_verified(emulator):
    _, email = sign_up(emulator, confirm=False)
    error = emulator.fail(
        "InitiateAuth",
        {
            "AuthFlow": "USER_PASSWORD_AUTH",
            "ClientId": emulator.client_id,
            "AuthParameters": {"USERNAME": email, "PASSWORD": PASSWORD},
        },
    )
    assert error.type == "UserNotFoundException"


def test_confirming_a_taken_alias(emulator):
    _, email = sign_up(emulator)
    second, _ = sign_up(emulator, email=email, confirm=False)
    body = {
        "ClientId": emulator.client_id,
        "Username": second,
        "ConfirmationCode": emulator.last_code(second),
    }
    error = emulator.fail("ConfirmSignUp", body)
    assert (error.type, error.message) == (
        "AliasExistsException",
        "An account with the email already exists.",
    )
    emulator.call("ResendConfirmationCode", {"ClientId": emulator.client_id, "Username": second})
    body["ConfirmationCode"] = emulator.last_code(second)
    emulator.call("ConfirmSignUp", dict(body, ForceAliasCreation=True))
    # The alias moved: the email now signs the second user in.
    answer = emulator.call(
        "InitiateAuth",
        {
            "AuthFlow": "USER_PASSWORD_AUTH",
            "ClientId": emulator.client_id,
            "AuthParameters": {"USERNAME": email, "PASSWORD": PASSWORD},
        },
    )
    user = emulator.call("GetUser", {"AccessToken": answer["AuthenticationResult"]["AccessToken"]})
    assert user["Username"] == second
