"""pycognito_web.ui's screens on CPython, in a fake DOM (fake_dom.py), with Cognito's
answers given by a MockTransport: what a person sees, where an error's sentence goes, the
busy state, texts, and that nothing is sent for a form that cannot be right.

The flows end to end against the emulator are in tests/ui/; in Chromium, tests/browser.
"""

import asyncio
import json

import pytest
from fake_dom import Document, Event, Page

from pycognito_web import (
    InvalidParameterError,
    MemoryStorage,
    MockTransport,
    NetworkError,
    Response,
    UserPool,
)
from pycognito_web.ui import EN, FR, Authenticator, stylesheet_text

POOL_ID = "us-east-1_TestPool1"
CLIENT_ID = "testclient0000000000000001"


class Cognito:
    """Canned answers per action; records what was sent."""

    def __init__(self, **answers):
        self.answers = answers  # action -> dict (200) or (type, message) (400)
        self.sent = []
        self.gate = None  # an asyncio.Event that holds every answer until set

    async def __call__(self, request):
        action = request.headers["X-Amz-Target"].rsplit(".", 1)[-1]
        self.sent.append((action, json.loads(request.body)))
        if self.gate is not None:
            await self.gate.wait()
        answer = self.answers.get(action, {})
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, tuple):
            body = {"__type": answer[0], "message": answer[1]}
            return Response(400, {}, json.dumps(body).encode())
        return Response(200, {}, json.dumps(answer).encode())

    def actions(self):
        return [action for action, _ in self.sent]


def component(cognito, **options):
    page = Page()
    pool = UserPool(POOL_ID, CLIENT_ID, transport=MockTransport(cognito), storage=MemoryStorage())
    page.auth = Authenticator(pool, "#auth", document=page.document, **options)
    return page


def english(sentence):
    """A sentence of the English catalogue (placeholders as wildcards), never raw text."""
    for template in EN.values():
        head = template.split("%(")[0]
        if template == sentence or ("%(" in template and head and sentence.startswith(head)):
            return True
    return False


async def test_sign_in_is_the_first_screen_with_labelled_fields_and_a_live_status():
    page = component(Cognito())
    assert page.screen == "sign-in"
    status = page.mount.find("p", role="status")
    assert status.getAttribute("aria-live") == "polite"
    for node in page.mount.find_all("input"):
        (label,) = page.mount.find_all("label", **{"for": node.getAttribute("id")})
        assert label.textContent
    assert page.field("username").getAttribute("autocomplete") == "username"
    assert page.field("password").getAttribute("type") == "password"
    assert page.mount.find("h2").textContent == "Sign in"


async def test_empty_fields_are_named_beside_the_field_and_nothing_is_sent():
    cognito = Cognito()
    page = component(cognito)
    await page.submit(username="  ")
    assert page.error_of("username") == "Please fill this in."
    assert page.field("username").getAttribute("aria-invalid") == "true"
    assert page.focused() is page.field("username")
    await page.submit(username="alice")
    assert page.error_of("username") is None
    assert page.error_of("password") == "Please fill this in."
    assert page.focused() is page.field("password")
    assert page.field("username").value == "alice"  # kept across the re-render
    assert cognito.sent == []


async def test_a_wrong_password_is_a_sentence_beside_the_password_never_the_raw_text():
    cognito = Cognito(InitiateAuth=("NotAuthorizedException", "Incorrect username or password."))
    page = component(cognito)
    await page.submit(username="alice", password="wrong")
    assert cognito.actions() == ["InitiateAuth"]
    assert page.screen == "sign-in"
    assert page.error_of("password") == "The username or password is incorrect."
    assert page.focused() is page.field("password")
    assert "Incorrect username or password." not in page.mount.textContent


async def test_service_errors_become_sentences_of_the_catalogue():
    cases = [
        (("UserNotFoundException", "User does not exist."), "username"),
        (("NotAuthorizedException", "Password attempts exceeded"), "password"),
        (("TooManyRequestsException", "Rate exceeded"), None),
        (("InternalErrorException", "1 validation error detected: Value at 'x'"), None),
        (NetworkError("fetch failed: TypeError"), None),
    ]
    for answer, field in cases:
        page = component(Cognito(InitiateAuth=answer))
        await page.submit(username="alice", password="Secret-1")
        sentence = page.error_of(field) if field else page.form_error()
        assert sentence and english(sentence), (answer, sentence)
        raw = answer[1] if isinstance(answer, tuple) else str(answer)
        assert raw not in page.mount.textContent, answer


async def test_one_request_at_a_time_with_the_button_busy_meanwhile():
    cognito = Cognito(InitiateAuth=("NotAuthorizedException", "Incorrect username or password."))
    cognito.gate = asyncio.Event()
    page = component(cognito)
    page.fill(username="alice", password="wrong")
    button = page.button()
    page.submit_now()
    await asyncio.sleep(0.05)
    assert page.mount.getAttribute("data-busy") == ""
    assert button.getAttribute("aria-disabled") == "true"
    assert button.textContent == "Signing in…"
    page.submit_now()  # a second Enter while the first request runs
    page.click_now("go:sign-up")  # and no leaving the screen either
    assert page.screen == "sign-in"
    cognito.gate.set()
    await page.auth.settled()
    assert cognito.actions() == ["InitiateAuth"]
    assert page.mount.getAttribute("data-busy") is None
    assert page.button().getAttribute("aria-disabled") is None
    assert page.button().textContent == "Sign in"


async def test_sign_up_shows_the_policy_as_the_person_types():
    cognito = Cognito()
    page = component(cognito, sign_up_attributes=["email", "phone_number"])
    await page.click("go:sign-up")
    assert page.screen == "sign-up"
    assert page.focused() is page.field("username")
    assert [n.getAttribute("name") for n in page.mount.find_all("input")] == [
        "username",
        "email",
        "phone_number",
        "password",
    ]
    assert page.field("email").getAttribute("type") == "email"
    assert page.field("password").getAttribute("autocomplete") == "new-password"

    def met():
        return {
            item.getAttribute("data-rule"): item.getAttribute("data-met")
            for item in page.mount.find_all("li")
        }

    assert set(met().values()) == {"false"}
    page.type("password", "abc")
    assert met() == {
        "length": "false",
        "lowercase": "true",
        "uppercase": "false",
        "number": "false",
        "symbol": "false",
    }
    page.type("password", "abcDEF12!")
    assert set(met().values()) == {"true"}
    assert "(done)" in page.mount.find("li", data_rule="symbol").textContent
    policy = page.field("password").getAttribute("aria-describedby")
    assert page.document.getElementById(policy).getAttribute("class") == "pcw-policy"


async def test_a_weak_password_says_why_before_anything_is_sent():
    cognito = Cognito()
    page = component(cognito, password_policy={"MinimumLength": 10, "RequireSymbols": False})
    await page.click("go:sign-up")
    await page.submit(username="bob", email="bob@example.com", password="short1A")
    assert page.error_of("password") == (
        "This password is too weak: it needs at least 10 characters."
    )
    assert cognito.sent == []
    assert [li.getAttribute("data-rule") for li in page.mount.find_all("li")] == [
        "length",
        "lowercase",
        "uppercase",
        "number",
    ]


async def test_the_services_password_and_user_exists_errors_go_beside_their_fields():
    page = component(Cognito(SignUp=("UsernameExistsException", "User already exists")))
    await page.click("go:sign-up")
    await page.submit(username="bob", email="bob@example.com", password="Passw0rd!")
    assert page.error_of("username") == "This username is taken. Choose another, or sign in."
    page = component(
        Cognito(
            SignUp=(
                "InvalidPasswordException",
                "Password did not conform with policy: Password must have symbol characters",
            )
        ),
        password_policy={"RequireSymbols": False},  # the page's option is out of date
    )
    await page.click("go:sign-up")
    await page.submit(username="bob", email="bob@example.com", password="Passw0rd")
    assert page.error_of("password") == (
        "This password is too weak: it needs a symbol, such as ! or @."
    )
    page = component(Cognito(SignUp=("InvalidParameterException", "Invalid email address format.")))
    await page.click("go:sign-up")
    await page.submit(username="bob", email="bob@", password="Passw0rd!")
    assert page.error_of("email") == "Enter an email address, like name@example.com."
    assert page.focused() is page.field("email")


async def test_an_expired_code_offers_a_resend_link_beside_the_code():
    delivery = {"Destination": "b***@e***.com", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
    cognito = Cognito(
        SignUp={"UserConfirmed": False, "UserSub": "s", "CodeDeliveryDetails": delivery},
        ConfirmSignUp=(
            "ExpiredCodeException",
            "Invalid code provided, please request a code again.",
        ),
        ResendConfirmationCode={"CodeDeliveryDetails": delivery},
    )
    page = component(cognito)
    await page.click("go:sign-up")
    await page.submit(username="bob", email="bob@example.com", password="Passw0rd!")
    assert page.screen == "confirm-sign-up"
    assert "b***@e***.com" in page.mount.textContent
    assert page.focused() is page.field("code")
    await page.submit(code="123456")
    assert page.error_of("code").startswith("This code has expired.")
    error = page.document.getElementById(page.field("code").getAttribute("aria-describedby"))
    (resend,) = error.find_all("button", data_action="resend")
    assert resend.textContent == "Send a new code"
    page.mount.onclick(Event(resend))
    await page.auth.settled()
    assert cognito.actions()[-1] == "ResendConfirmationCode"
    assert page.status() == "We sent a new code to b***@e***.com."
    assert page.error_of("code") is None
    assert page.focused() is page.field("code")


async def test_forgot_password_then_the_new_password_and_back_to_sign_in():
    delivery = {"Destination": "a***@e***.com", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
    cognito = Cognito(ForgotPassword={"CodeDeliveryDetails": delivery}, ConfirmForgotPassword={})
    page = component(cognito)
    await page.click("go:forgot-password")
    assert page.screen == "forgot-password"
    await page.submit(username="alice")
    assert page.screen == "reset-password"
    assert page.focused() is page.field("code")
    await page.submit(code="123456", new_password="weak")
    assert page.error_of("new_password").startswith("This password is too weak")
    await page.submit(code="123456", new_password="N3w-Passw0rd")
    assert cognito.actions() == ["ForgotPassword", "ConfirmForgotPassword"]
    assert page.screen == "sign-in"
    assert page.status() == "Your password is changed. Sign in with the new one."
    assert page.field("username").value == "alice"


async def test_every_screen_change_moves_focus_to_its_first_field():
    page = component(Cognito())
    for action, screen, first in (
        ("go:sign-up", "sign-up", "username"),
        ("go:sign-in", "sign-in", "username"),
        ("go:forgot-password", "forgot-password", "username"),
    ):
        await page.click(action)
        assert page.screen == screen
        assert page.focused() is page.field(first)


async def test_texts_are_replaceable_and_french_is_built_in():
    page = component(Cognito(), language="fr")
    assert page.mount.find("h2").textContent == "Connexion"
    assert page.mount.getAttribute("lang") == "fr"
    assert page.button().textContent == "Se connecter"
    await page.submit(username="")
    assert page.error_of("username") == "Veuillez remplir ce champ."
    assert set(FR) <= set(EN)  # every French text replaces an English one
    page = component(Cognito(), messages={"title.sign-in": "Welcome back"})
    assert page.mount.find("h2").textContent == "Welcome back"
    assert page.button().textContent == "Sign in"


async def test_bad_options_are_refused_with_a_clear_error():
    pool = UserPool(POOL_ID, CLIENT_ID, storage=MemoryStorage())
    document = Document()
    with pytest.raises(InvalidParameterError, match="matches no element"):
        Authenticator(pool, "#nowhere", document=document)
    for options, words in (
        ({"language": "xx"}, "language"),
        ({"messages": ["x"]}, "messages"),
        ({"messages": {"title.sign-in": 3}}, "messages"),
        ({"sign_up_attributes": "email"}, "sign_up_attributes"),
        ({"password_policy": {"MinimumLength": 2}}, "MinimumLength"),
        ({"theme": "pink"}, "theme"),
        ({"on_signed_in": "show"}, "on_signed_in"),
    ):
        with pytest.raises(InvalidParameterError, match=words):
            Authenticator(pool, document.body, document=document, **options)
    with pytest.raises(InvalidParameterError, match="UserPool"):
        Authenticator("pool", document.body, document=document)
    with pytest.raises(InvalidParameterError, match="document"):
        Authenticator(pool, "#auth")  # outside a browser, no document of its own


async def test_the_stylesheet_is_shipped_themeable_and_added_once():
    css = stylesheet_text()
    for needed in ("--pcw-accent", "--pcw-bg", '[data-theme="dark"]', ":focus-visible"):
        assert needed in css
    page = component(Cognito(), theme="dark")
    Authenticator(
        page.auth.pool, page.document.body, document=page.document
    )  # a second component on the page
    styles = page.document.head.find_all("style")
    assert len(styles) == 1 and styles[0].textContent == css
    assert page.mount.getAttribute("data-theme") == "dark"
    assert page.mount.getAttribute("class") == "pcw-auth"


async def test_an_expired_mfa_code_sends_the_person_back_to_sign_in_without_a_resend_link():
    from pycognito_web.ui import _rules

    error = type(
        "E",
        (),
        {
            "code": "NotAuthorizedException",
            "message": "Invalid session for the user, session is expired.",
        },
    )()
    assert _rules.describe(error, "mfa-code") == ("_form", "error.session-expired", [])
    page = component(Cognito())
    page.auth.screen = "mfa-code"
    page.auth._render()
    expired = type(
        "E",
        (),
        {
            "code": "ExpiredCodeException",
            "message": "Your software token has already been used once.",
        },
    )()
    page.auth._fail(expired)
    assert page.error_of("code") == "This code has expired."
    assert page.mount.find_all("button", data_action="resend") == []
