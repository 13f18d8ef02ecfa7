"""Passwords, attributes and account deletion for a signed-in (or forgetful) user."""

import pytest
from emu_helpers import PASSWORD, password_auth, sign_up, signed_in, unique
from emu_srp import SrpSignIn

NEW_PASSWORD = "N3w-passw0rd"


@pytest.fixture
def clock(emulator):
    yield emulator
    emulator.reset_clock()


def attributes(emulator, access_token):
    answer = emulator.call("GetUser", {"AccessToken": access_token})
    return {item["Name"]: item["Value"] for item in answer["UserAttributes"]}


def test_get_user(emulator):
    username, email, result = signed_in(emulator)
    answer = emulator.call("GetUser", {"AccessToken": result["AccessToken"]})
    assert answer["Username"] == username
    assert answer["UserAttributes"][0]["Name"] == "sub"
    assert attributes(emulator, result["AccessToken"]) == {
        "sub": answer["UserAttributes"][0]["Value"],
        "email": email,
        "email_verified": "true",
    }


def test_forgot_password(emulator):
    username, email = sign_up(emulator)
    answer = emulator.call("ForgotPassword", {"ClientId": emulator.client_id, "Username": email})
    assert answer["CodeDeliveryDetails"] == {
        "Destination": email[0] + "***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    message = emulator.messages(username)[-1]
    assert message["kind"] == "forgot_password"
    body = {
        "ClientId": emulator.client_id,
        "Username": username,
        "ConfirmationCode": "%06d" % ((int(message["code"]) + 1) % 1000000),
        "Password": NEW_PASSWORD,
    }
    assert emulator.fail("ConfirmForgotPassword", body).type == "CodeMismatchException"
    body["ConfirmationCode"] = message["code"]
    error = emulator.fail("ConfirmForgotPassword", dict(body, Password="weakpass"))
    assert error.type == "InvalidPasswordException"
    assert emulator.call("ConfirmForgotPassword", body) == {}
    assert emulator.fail("ConfirmForgotPassword", body).type == "ExpiredCodeException"
    assert password_auth(emulator, username, NEW_PASSWORD)["TokenType"] == "Bearer"
    attempt = SrpSignIn(emulator.call, emulator.pool_id, emulator.client_id, username, PASSWORD)
    with pytest.raises(emulator.ApiError):
        attempt.run()
    attempt = SrpSignIn(emulator.call, emulator.pool_id, emulator.client_id, username, NEW_PASSWORD)
    assert "AuthenticationResult" in attempt.run()


def test_forgot_password_code_lives_one_hour(clock):
    emulator = clock
    username, _ = sign_up(emulator)
    emulator.call("ForgotPassword", {"ClientId": emulator.client_id, "Username": username})
    emulator.advance_clock(3601)
    error = emulator.fail(
        "ConfirmForgotPassword",
        {
            "ClientId": emulator.client_id,
            "Username": username,
            "ConfirmationCode": emulator.last_code(username),
            "Password": NEW_PASSWORD,
        },
    )
    assert error.type == "ExpiredCodeException"


def test_forgot_password_needs_a_verified_address(emulator):
    username, _ = sign_up(emulator, confirm=False)
    error = emulator.fail("ForgotPassword", {"ClientId": emulator.client_id, "Username": username})
    assert error.type == "InvalidParameterException"
    assert error.message.startswith("Cannot reset password for the user as there is no")
    error = emulator.fail(
        "ForgotPassword", {"ClientId": emulator.client_id, "Username": unique("ghost")}
    )
    assert (error.type, error.message) == (
        "UserNotFoundException",
        "Username/client id combination not found.",
    )
    quiet = emulator.pools["main"]["clients"]["quiet"]["id"]
    answer = emulator.call("ForgotPassword", {"ClientId": quiet, "Username": unique("ghost")})
    assert answer["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    error = emulator.fail(
        "ConfirmForgotPassword",
        {
            "ClientId": quiet,
            "Username": unique("ghost"),
            "ConfirmationCode": "123456",
            "Password": NEW_PASSWORD,
        },
    )
    assert error.type == "CodeMismatchException"


def test_change_password(emulator):
    username, _, result = signed_in(emulator)
    body = {
        "AccessToken": result["AccessToken"],
        "PreviousPassword": "Wrong-passw0rd",
        "ProposedPassword": NEW_PASSWORD,
    }
    error = emulator.fail("ChangePassword", body)
    assert (error.type, error.message) == (
        "NotAuthorizedException",
        "Incorrect username or password.",
    )
    body["PreviousPassword"] = PASSWORD
    error = emulator.fail("ChangePassword", dict(body, ProposedPassword="short"))
    assert error.type == "InvalidPasswordException"
    assert emulator.call("ChangePassword", body) == {}
    assert password_auth(emulator, username, NEW_PASSWORD)["TokenType"] == "Bearer"
    assert (
        emulator.fail(
            "InitiateAuth",
            {
                "AuthFlow": "USER_PASSWORD_AUTH",
                "ClientId": emulator.client_id,
                "AuthParameters": {"USERNAME": username, "PASSWORD": PASSWORD},
            },
        ).message
        == "Incorrect username or password."
    )


def test_update_attributes_and_verify_the_new_email(emulator):
    username, _, result = signed_in(emulator)
    token = result["AccessToken"]
    new_email = unique("new") + "@example.org"
    answer = emulator.call(
        "UpdateUserAttributes",
        {
            "AccessToken": token,
            "UserAttributes": [
                {"Name": "email", "Value": new_email},
                {"Name": "name", "Value": "Ada"},
                {"Name": "custom:team", "Value": "blue"},
            ],
        },
    )
    assert answer["CodeDeliveryDetailsList"] == [
        {"Destination": "n***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
    ]
    now = attributes(emulator, token)
    assert now["email"] == new_email and now["email_verified"] == "false"
    assert now["name"] == "Ada" and now["custom:team"] == "blue"
    message = emulator.messages(username)[-1]
    assert message["kind"] == "verify_attribute" and message["destination"] == new_email
    body = {"AccessToken": token, "AttributeName": "email", "Code": "x"}
    assert emulator.fail("VerifyUserAttribute", body).type == "CodeMismatchException"
    assert emulator.call("VerifyUserAttribute", dict(body, Code=message["code"])) == {}
    assert attributes(emulator, token)["email_verified"] == "true"
    # The verified alias signs in.
    assert password_auth(emulator, new_email)["TokenType"] == "Bearer"


def test_attribute_verification_code_on_request(emulator):
    username, email, result = signed_in(emulator)
    answer = emulator.call(
        "GetUserAttributeVerificationCode",
        {"AccessToken": result["AccessToken"], "AttributeName": "email"},
    )
    assert answer["CodeDeliveryDetails"]["AttributeName"] == "email"
    message = emulator.messages(username)[-1]
    assert message["destination"] == email
    emulator.call(
        "VerifyUserAttribute",
        {"AccessToken": result["AccessToken"], "AttributeName": "email", "Code": message["code"]},
    )
    error = emulator.fail(
        "GetUserAttributeVerificationCode",
        {"AccessToken": result["AccessToken"], "AttributeName": "phone_number"},
    )
    assert error.type == "InvalidParameterException"


def test_update_refuses_what_a_user_may_not_write(emulator):
    _, _, result = signed_in(emulator)
    for name in ("email_verified", "sub"):
        error = emulator.fail(
            "UpdateUserAttributes",
            {
                "AccessToken": result["AccessToken"],
                "UserAttributes": [{"Name": name, "Value": "x"}],
            },
        )
        assert error.type == "NotAuthorizedException"


def test_delete_user_attributes(emulator):
    _, _, result = signed_in(emulator)
    token = result["AccessToken"]
    emulator.call(
        "UpdateUserAttributes",
        {"AccessToken": token, "UserAttributes": [{"Name": "nickname", "Value": "ace"}]},
    )
    assert (
        emulator.call(
            "DeleteUserAttributes", {"AccessToken": token, "UserAttributeNames": ["nickname"]}
        )
        == {}
    )
    assert "nickname" not in attributes(emulator, token)
    error = emulator.fail(
        "DeleteUserAttributes", {"AccessToken": token, "UserAttributeNames": ["email"]}
    )
    assert (
        error.message
        == "Attributes did not conform to the schema: email: The attribute is required"
    )


def test_delete_user(emulator):
    username, _, result = signed_in(emulator)
    assert emulator.call("DeleteUser", {"AccessToken": result["AccessToken"]}) == {}
    error = emulator.fail("GetUser", {"AccessToken": result["AccessToken"]})
    assert (error.type, error.message) == ("UserNotFoundException", "User does not exist.")
    error = emulator.fail(
        "InitiateAuth",
        {
            "AuthFlow": "USER_PASSWORD_AUTH",
            "ClientId": emulator.client_id,
            "AuthParameters": {"USERNAME": username, "PASSWORD": PASSWORD},
        },
    )
    assert error.type == "UserNotFoundException"
    # The name is free again.
    sign_up(emulator, username=username)
