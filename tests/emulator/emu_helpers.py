"""Small helpers shared by the emulator tests (users with unique names, sign-in)."""

import uuid

PASSWORD = "Passw0rd!"


def unique(prefix="user"):
    """A username no other test uses."""
    return "%s-%s" % (prefix, uuid.uuid4().hex[:10])


def sign_up(emulator, username=None, email=None, confirm=True, client_id=None, password=PASSWORD):
    """Sign a user up in the main pool (and confirm with the outbox code).

    Returns:
        (username, email).
    """
    username = username or unique()
    email = email or "%s@example.com" % username
    emulator.call(
        "SignUp",
        {
            "ClientId": client_id or emulator.client_id,
            "Username": username,
            "Password": password,
            "UserAttributes": [{"Name": "email", "Value": email}],
        },
    )
    if confirm:
        emulator.call(
            "ConfirmSignUp",
            {
                "ClientId": client_id or emulator.client_id,
                "Username": username,
                "ConfirmationCode": emulator.last_code(username),
            },
        )
    return username, email


def password_auth(emulator, username, password=PASSWORD, client_id=None):
    """USER_PASSWORD_AUTH; returns AuthenticationResult."""
    answer = emulator.call(
        "InitiateAuth",
        {
            "AuthFlow": "USER_PASSWORD_AUTH",
            "ClientId": client_id or emulator.client_id,
            "AuthParameters": {"USERNAME": username, "PASSWORD": password},
        },
    )
    return answer["AuthenticationResult"]


def signed_in(emulator):
    """A new confirmed user and their tokens: (username, email, AuthenticationResult)."""
    username, email = sign_up(emulator)
    return username, email, password_auth(emulator, username)
