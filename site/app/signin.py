"""Signing up and in: registration, confirmation, password reset, and every challenge.

``sign_in`` calls ``User.authenticate``; what comes back is a ``Session`` (done) or a
typed challenge, which ``show_challenge`` turns into a form from ``FORMS``. Answering
it gives the next step, until a session arrives. A session that remembered a new
device asks the person whether to keep it (``user_confirmation_necessary``).
"""

import json

from pycognito_web import (
    CodeChallenge,
    CustomChallenge,
    MfaSetup,
    NewPasswordRequired,
    SelectMfaType,
    Session,
)

from . import dom, markup, outbox, qr

MFA_NAMES = {"SMS_MFA": "Text message (SMS)", "SOFTWARE_TOKEN_MFA": "Authenticator app"}


_field = markup.field  # escapes the name too: it may be a server-provided attribute name


_CODE = 'inputmode="numeric" autocomplete="one-time-code"'


class SignIn:
    """The sign-in side of the page; ``account`` is shown once signed in."""

    def __init__(self, state, account):
        self.state = state
        self.account = account

    def actions(self):
        return {
            "sign-up": self.sign_up,
            "confirm": self.confirm,
            "resend-code": self.resend,
            "forgot-password": self.forgot,
            "confirm-password": self.confirm_password,
            "sign-in": self.sign_in,
            "answer-challenge": self.answer,
            "cancel-challenge": self.cancel,
            "remember-device": self.remember_device,
            "dont-remember-device": self.dont_remember_device,
        }

    def _user(self, username):
        self.state.user = self.state.pool.user(username)
        return self.state.user

    async def _outbox(self, username):
        await outbox.refresh(self.state.settings, username)

    # -- registration ---------------------------------------------------------------

    async def sign_up(self, values):
        attributes = {"email": values["email"]}
        if values.get("phone_number"):
            attributes["phone_number"] = values["phone_number"]
        username = values["username"]
        result = await self.state.pool.sign_up(username, values["password"], attributes)
        dom.clear_passwords()
        dom.set_field("[data-action=confirm]", "username", username)
        if result.user_confirmed:
            dom.notice("Account created and already confirmed: sign in.")
            dom.set_field("[data-action=sign-in]", "username", username)
            dom.show_view("sign-in")
            return
        self._say_sent("confirm-sent", result.code_delivery_details)
        dom.show_view("confirm")
        dom.el("view-confirm").querySelector("[name=code]").focus()
        await self._outbox(username)

    def _say_sent(self, element_id, details):
        details = details or {}
        where = "%s %s" % (
            details.get("DeliveryMedium", "").lower(),
            details.get("Destination", ""),
        )
        text = "We sent a code by %s." % where.strip() if details else "We sent a code."
        if self.state.settings.get("emulator"):
            text += " The emulator sends nothing: find the code in its outbox below."
        dom.el(element_id).textContent = text
        dom.notice(text)

    async def confirm(self, values):
        user = self._user(values["username"])
        await user.confirm_sign_up(values["code"])
        dom.set_field("[data-action=sign-in]", "username", values["username"])
        dom.show_view("sign-in")
        dom.el("view-sign-in").querySelector("[name=password]").focus()
        dom.notice("Account confirmed: you can sign in now.")

    async def resend(self, values):
        if not values.get("username"):
            raise ValueError("Enter your username first.")
        answer = await self._user(values["username"]).resend_confirmation_code()
        self._say_sent("confirm-sent", answer.get("CodeDeliveryDetails"))
        await self._outbox(values["username"])

    async def forgot(self, values):
        answer = await self._user(values["username"]).forgot_password()
        self._say_sent("forgot-sent", answer.get("CodeDeliveryDetails"))
        dom.el("view-forgot").querySelector("[name=code]").focus()
        await self._outbox(values["username"])

    async def confirm_password(self, values):
        if self.state.user is None:
            raise ValueError("Ask for a code first.")
        await self.state.user.confirm_password(values["code"], values["password"])
        dom.clear_passwords()
        dom.set_field("[data-action=sign-in]", "username", self.state.user.username)
        dom.show_view("sign-in")
        dom.notice("Password changed: sign in with the new one.")

    # -- signing in -----------------------------------------------------------------

    async def sign_in(self, values):
        user = self._user(values["username"])
        result = await user.authenticate(
            values["password"], flow=values.get("flow") or "USER_SRP_AUTH"
        )
        dom.clear_passwords()
        await self.step(result)

    async def step(self, result):
        """Go on from what a sign-in step returned."""
        if isinstance(result, Session):
            self.state.challenge = None
            if self.state.user.user_confirmation_necessary:
                dom.show_view("device")
                return
            await self.account.show()
            return
        self.state.challenge = result
        await self.show_challenge(result)

    async def show_challenge(self, challenge):
        title, text, fields = self._describe(challenge)
        dom.el("challenge-title").textContent = title
        dom.el("challenge-text").textContent = text
        dom.el("challenge-totp").hidden = True
        dom.el("challenge-form").innerHTML = fields + '<button type="submit">Continue</button>'
        dom.el("view-challenge").dataset.challenge = challenge.name
        if isinstance(challenge, MfaSetup):
            secret = await challenge.associate_software_token()
            qr.show("challenge", secret, self.state.user.username)
            dom.el("challenge-totp").hidden = False
        dom.show_view("challenge")
        if challenge.name == "SMS_MFA":
            await self._outbox(self.state.user.username)

    def _describe(self, challenge):
        """(title, explanation, form fields) for a challenge."""
        if isinstance(challenge, CodeChallenge):
            if challenge.name == "SOFTWARE_TOKEN_MFA":
                return (
                    "Authenticator code",
                    "Enter the 6-digit code your authenticator app shows.",
                    _field("code", "Code", extra=_CODE),
                )
            return (
                "Verification code",
                "Enter the code we sent to %s." % (challenge.destination or "you"),
                _field("code", "Code", extra=_CODE),
            )
        if isinstance(challenge, SelectMfaType):
            options = "".join(
                '<label class="check"><input type="radio" name="mfa" value="%s" required>'
                " %s</label>" % (dom.escape(o), dom.escape(MFA_NAMES.get(o, o)))
                for o in challenge.options
            )
            return ("Choose how to verify", "This account has more than one MFA method.", options)
        if isinstance(challenge, MfaSetup):
            return (
                "Set up an authenticator app",
                "This pool requires MFA. Scan the QR code (or type the secret) in an"
                " authenticator app, then enter the code it shows.",
                _field("code", "Code from the app", extra=_CODE)
                + '<label>Name it <input name="device_name" placeholder="My phone"></label>',
            )
        if isinstance(challenge, NewPasswordRequired):
            fields = _field(
                "new_password", "New password", "password", 'autocomplete="new-password"'
            )
            for name in challenge.required_attributes:
                fields += _field("attr:" + name, name)
            return ("Choose a new password", "Your account needs a new password.", fields)
        if isinstance(challenge, CustomChallenge):
            shown = {k: v for k, v in challenge.parameters.items() if k != "USERNAME"}
            question = shown.get("question") or json.dumps(shown)
            return (
                "One more question",
                question,
                _field("answer", "Answer", extra='autocomplete="off"'),
            )
        return (
            challenge.name,
            "This demo cannot answer the %s challenge." % challenge.name,
            "",
        )

    async def answer(self, values):
        challenge = self.state.challenge
        if challenge is None:
            raise ValueError("There is no sign-in in progress.")
        if isinstance(challenge, CodeChallenge):
            result = await challenge.answer(values["code"])
        elif isinstance(challenge, SelectMfaType):
            result = await challenge.select(values["mfa"])
        elif isinstance(challenge, MfaSetup):
            result = await challenge.verify(values["code"], values.get("device_name") or None)
        elif isinstance(challenge, NewPasswordRequired):
            attributes = {k[5:]: v for k, v in values.items() if k.startswith("attr:")}
            result = await challenge.complete(values["new_password"], attributes)
        elif isinstance(challenge, CustomChallenge):
            result = await challenge.answer(values["answer"])
        else:
            raise ValueError("This demo cannot answer the %s challenge." % challenge.name)
        dom.clear_passwords()
        await self.step(result)

    async def cancel(self, values):
        self.state.challenge = None
        dom.show_view("sign-in")

    # -- remembering the device --------------------------------------------------------

    async def remember_device(self, values):
        await self.state.user.set_device_status(True)
        dom.notice("This device is remembered.")
        await self.account.show()

    async def dont_remember_device(self, values):
        await self.state.user.set_device_status(False)
        await self.account.show()
