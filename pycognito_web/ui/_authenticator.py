"""``Authenticator``: every sign-in screen of the client, rendered into one element.

The screens form a small state machine. ``screen`` names the one shown; a person's submit
or click becomes an action (``_submit_<screen>`` or ``_act_<name>``) that runs as one
task, calls the public client API (``UserPool``, ``User``, the typed challenges) and
moves to the next screen, or keeps the screen and puts a sentence beside the field the
error concerns (``_rules.describe``). While a task runs the component is busy: its button
says so and further submits are ignored.

Screens: sign-in, sign-up, confirm-sign-up, mfa-code, select-mfa, totp-setup,
new-password, forgot-password, reset-password, remember-device, signed-in.

Rendering rebuilds the screen's part of the tree on each transition and after each
failed request; typing only updates the password-policy list in place, so focus and
caret stay put. Every DOM call goes through ``_dom.Dom``.
"""

import asyncio

from .. import _platform
from ..errors import CognitoError, InvalidParameterError
from . import _rules
from ._dom import Dom
from ._messages import catalogue

TYPE_CHECKING = False  # typing is absent on MicroPython; checkers still read this
if TYPE_CHECKING:
    from typing import Any, Callable, Optional

# Input attributes per field name: (type, autocomplete, inputmode).
_FIELD_KINDS = {
    "username": ("text", "username", None),
    "password": ("password", "current-password", None),
    "new_password": ("password", "new-password", None),
    "code": ("text", "one-time-code", "numeric"),
    "email": ("email", "email", None),
    "phone_number": ("tel", "tel", None),
    "name": ("text", "name", None),
    "given_name": ("text", "given-name", None),
    "family_name": ("text", "family-name", None),
}
_TEXT_ATTRIBUTE = ("text", None, None)

_instances = [0]  # id prefixes: several components may share a page


def _awaitable(value):
    # MicroPython has no inspect; its coroutines are generators (they have send).
    return hasattr(value, "send") or hasattr(value, "__await__")


def _spawn(coroutine):
    # Pyodide's event loop runs tasks started from a JavaScript callback with
    # ensure_future (create_task wants a running loop); MicroPython has create_task.
    start = getattr(asyncio, "ensure_future", None) or asyncio.create_task
    return start(coroutine)


class Authenticator:
    """A sign-in component: sign-up, confirmation, MFA, password reset and sign-out.

    Args:
        pool: the ``UserPool`` to sign in to.
        mount: a CSS selector (``"#auth"``) or the element to render into.
        on_signed_in: ``f(user)`` (or ``async``) once someone is signed in, also when a
            stored session is found at start.
        on_signed_out: ``f()`` (or ``async``) after sign-out.
        sign_up_attributes: the attributes the sign-up form asks for (the pool's
            required ones), e.g. ``["email"]`` or ``["email", "phone_number"]``.
        password_policy: the pool's ``PasswordPolicy`` (Cognito's field names) shown
            while the person types; Cognito's defaults when not given.
        language: ``"en"`` or ``"fr"``.
        messages: texts replacing the language's (keys of ``_messages.EN``).
        document: the DOM document (the browser's by default; a fake in tests).
        stylesheet: whether to add the package's CSS to the page (once per page).
        theme: ``"dark"`` for the dark theme, or None (the page's custom properties).
        device_name: the name given to a remembered device, instead of the user agent.

    Raises:
        InvalidParameterError: for a bad argument, or a ``mount`` that matches nothing.
    """

    def __init__(
        self,
        pool: "Any",
        mount: "Any" = "#auth",
        *,
        on_signed_in: "Optional[Callable]" = None,
        on_signed_out: "Optional[Callable]" = None,
        sign_up_attributes: "Any" = ("email",),
        password_policy: "Optional[dict]" = None,
        language: "str" = "en",
        messages: "Optional[dict]" = None,
        document: "Any" = None,
        stylesheet: "bool" = True,
        theme: "Optional[str]" = None,
    ) -> None:
        if not callable(getattr(pool, "user", None)) or not callable(
            getattr(pool, "sign_up", None)
        ):
            raise InvalidParameterError("pool must be a UserPool")
        for name, function in (("on_signed_in", on_signed_in), ("on_signed_out", on_signed_out)):
            if function is not None and not callable(function):
                raise InvalidParameterError("%s must be a function" % name)
        if isinstance(sign_up_attributes, str) or not isinstance(sign_up_attributes, (list, tuple)):
            raise InvalidParameterError("sign_up_attributes must be a list of attribute names")
        for name in sign_up_attributes:
            if not isinstance(name, str) or not name:
                raise InvalidParameterError("sign_up_attributes must be a list of attribute names")
        if theme not in (None, "light", "dark"):
            raise InvalidParameterError("theme must be None, 'light' or 'dark'")
        self.pool = pool
        self.texts = catalogue(language, messages)
        self.policy = _rules.policy_from(password_policy)
        self.sign_up_attributes = list(sign_up_attributes)
        self.on_signed_in = on_signed_in
        self.on_signed_out = on_signed_out
        self.dom = Dom(document)
        self.root = self.dom.find(mount)
        _instances[0] += 1
        self._prefix = "pcw%d-" % _instances[0]

        self.screen = ""  # the screen shown
        self.errors = {}  # type: dict  # field name (or "_form") -> (sentence, link action)
        self.status = ""  # the polite status line
        self.busy = False
        self.user = None  # type: Any
        self.challenge = None  # type: Any
        self.destination = None  # type: Optional[str]
        self.secret = None  # type: Optional[str]
        self.values = {}  # type: dict  # what the person typed, kept across re-renders
        self._inputs = {}  # type: dict
        self._policy_items = []  # type: list
        self._mfa_used = False
        self._task = None  # type: Any
        self._busy_button = None  # type: Any
        self._submit_button = None  # type: Any
        self._first_input = None  # type: Any

        if stylesheet:
            self.dom.add_stylesheet(stylesheet_text(), "pcw-auth-style")
        dom = self.dom
        dom.set_attr(self.root, "class", "pcw-auth")
        dom.set_attr(self.root, "data-theme", theme)
        if language != "en":
            dom.set_attr(self.root, "lang", language)
        dom.clear(self.root)
        # The status line exists before anything is said in it, so that screen readers
        # announce each change (a live region added with its text is often not read).
        self._status = dom.add(
            self.root, "p", {"class": "pcw-status", "role": "status", "aria-live": "polite"}
        )
        self._body = dom.add(self.root, "div", {"class": "pcw-body"})
        dom.listen(self.root, "submit", self._on_submit)
        dom.listen(self.root, "click", self._on_click)
        dom.listen(self.root, "input", self._on_input)

        user = pool.current_user()
        if user is not None and user.session is not None and user.session.is_valid(pool.clock()):
            self.user = user
            self._show("signed-in", focus=False)
            self._start(self._announce_signed_in)
        else:
            self._show("sign-in", focus=False)
            if user is not None:  # a stored session that may only need a refresh
                self.values["username"] = user.username
                self._render(focus=False)
                self.user = user
                self._start(self._restore)

    # -- public -------------------------------------------------------------------------

    def text(self, key: "str", **values: "Any") -> "str":
        """The text of ``key`` with its ``%(name)s`` placeholders filled."""
        template = self.texts.get(key, key)
        return template % values if values else template

    async def settled(self) -> None:
        """Wait until the running request (if any) and its screen change are done."""
        while self._task is not None:
            task = self._task
            await task
            if self._task is task:
                self._task = None

    def sign_out_locally(self) -> None:
        """Forget the signed-in user here (no request) and show the sign-in screen."""
        if self.user is not None:
            self.user.sign_out_locally()
        self.user = None
        self._show("sign-in")

    # -- events ---------------------------------------------------------------------------

    def _on_submit(self, event):
        self.dom.prevent_default(event)
        form = event.target
        screen = self.dom.attr(form, "data-form")
        if screen != self.screen:
            return
        action = getattr(self, "_submit_" + screen.replace("-", "_"), None)
        if action is not None:
            self._start(action, self._submit_button)

    def _on_click(self, event):
        node = self.dom.acting(event)
        if node is None:
            return
        name = self.dom.attr(node, "data-action") or ""
        if name.startswith("go:"):
            if not self.busy:
                self._keep_username()
                self._show(name[3:])
            return
        action = getattr(self, "_act_" + name.replace("-", "_"), None)
        if action is not None:
            self._start(action, node)

    def _on_input(self, event):
        name = self.dom.attr(event.target, "name")
        if name in ("password", "new_password") and self._policy_items:
            self._update_policy(self.dom.value(event.target))

    # -- running one request at a time -----------------------------------------------------

    def _start(self, action, button=None):
        if self.busy:
            return  # no double submits
        self.busy = True
        self._collect()
        dom = self.dom
        dom.set_attr(self.root, "data-busy", True)
        dom.set_attr(self.root, "aria-busy", "true")
        if button is not None:
            label = dom.attr(button, "data-busy-label") or self.text("busy")
            self._busy_button = (button, button.textContent)
            dom.set_attr(button, "aria-disabled", "true")
            dom.set_text(button, label)
            dom.add(button, "span", {"class": "pcw-spinner", "aria-hidden": "true"})
        self._task = _spawn(self._run(action))

    async def _run(self, action):
        try:
            await action()
        except CognitoError as error:
            self._fail(error)
        except Exception as error:  # a bug, or a callback's: a sentence, never the raw text
            _platform.warn("pycognito_web.ui: %s in %s" % (type(error).__name__, self.screen))
            self._fail(error)
        finally:
            self.busy = False
            self.dom.set_attr(self.root, "data-busy", None)
            self.dom.set_attr(self.root, "aria-busy", None)
            if self._busy_button is not None:
                button, label = self._busy_button
                self._busy_button = None
                self.dom.set_attr(button, "aria-disabled", None)
                self.dom.set_text(button, label)

    def _fail(self, error):
        password_field = "new_password" if "new_password" in self._inputs else "password"
        field, key, reasons = _rules.describe(error, self.screen, password_field)
        if key == "error.session-expired":
            self._keep_username()
            self._show("sign-in")
            self.errors = {"_form": (self.text(key), None)}
            self._render()
            return
        if field == "_attribute":
            field = self.sign_up_attributes[0] if self.sign_up_attributes else "_form"
        if field != "_form" and field not in self._inputs:
            field = "_form"
        if reasons:
            sentence = self.text(key, reasons=self._reasons(reasons))
        else:
            sentence = self.text(key)
        link = None
        if key == "error.code-expired" and self.screen in ("confirm-sign-up", "reset-password"):
            link = "resend"  # only these codes can be sent again; an MFA code cannot
        self.errors = {field: (sentence, link)}
        self.status = ""  # an earlier "confirmed" or "code sent" is no longer the news
        self._render(focus_field=field)

    def _reasons(self, rules):
        return ", ".join(
            self.text("policy." + rule, count=self.policy["MinimumLength"]) for rule in rules
        )

    # -- values ---------------------------------------------------------------------------------

    def _collect(self):
        for name, node in self._inputs.items():
            if self.dom.attr(node, "type") == "radio":
                continue
            self.values[name] = self.dom.value(node)
        for name, node in self._radios():
            if self.dom.checked(node):
                self.values[name] = self.dom.attr(node, "value") or ""

    def _radios(self):
        return [(key.split("=", 1)[0], node) for key, node in self._inputs.items() if "=" in key]

    def _keep_username(self):
        self._collect()
        name = self.values.get("username") or (self.user.username if self.user else "")
        self.values = {"username": name} if name else {}

    def _required(self, *names):
        """Values of fields, or None (with "please fill this in" beside the first empty)."""
        found = []
        for name in names:
            value = self.values.get(name, "")
            if name not in ("password", "new_password"):
                value = value.strip()
            if not value:
                self.errors = {name: (self.text("error.required"), None)}
                self._render(focus_field=name)
                return None
            found.append(value)
        return found

    def _strong_enough(self, field, password):
        unmet = _rules.unmet_rules(self.policy, password)
        if not unmet:
            return True
        self.errors = {
            field: (self.text("error.password-weak", reasons=self._reasons(unmet)), None)
        }
        self._render(focus_field=field)
        return False

    # -- transitions -------------------------------------------------------------------------

    def _show(self, screen, status="", focus=True):
        previous_username = self.values.get("username")
        if screen != self.screen:
            self.values = {"username": previous_username} if previous_username else {}
        self.screen = screen
        self.errors = {}
        self.status = status
        self._render(focus=focus)

    async def _next(self, result):
        """Where a sign-in step leads: signed in, or the screen of the next challenge."""
        import pycognito_web as api

        self.challenge = result
        if isinstance(result, api.Session):
            self.challenge = None
            if self._mfa_used and self.user.user_confirmation_necessary:
                self._show("remember-device")
            else:
                await self._signed_in()
        elif isinstance(result, api.CodeChallenge):
            self._mfa_used = True
            self.destination = result.destination
            self._show("mfa-code")
        elif isinstance(result, api.SelectMfaType):
            self._show("select-mfa")
        elif isinstance(result, api.MfaSetup):
            self._mfa_used = True
            self.secret = await result.associate_software_token()
            self._show("totp-setup")
        elif isinstance(result, api.NewPasswordRequired):
            self._show("new-password")
        else:  # a custom challenge: not something a generic form can answer
            self._show("sign-in")
            self.errors = {"_form": (self.text("error.unexpected"), None)}
            self._render()

    async def _signed_in(self):
        self._show("signed-in")
        await self._announce_signed_in()

    async def _announce_signed_in(self):
        if self.on_signed_in is not None:
            result = self.on_signed_in(self.user)
            if _awaitable(result):
                await result

    def _delivery(self, answer):
        details = answer.get("CodeDeliveryDetails") if isinstance(answer, dict) else None
        if isinstance(details, dict) and isinstance(details.get("Destination"), str):
            return details["Destination"]
        return None

    # -- actions: one per screen's form, then the buttons ------------------------------------

    async def _submit_sign_in(self):
        found = self._required("username", "password")
        if found is None:
            return
        username, password = found
        self.user = self.pool.user(username)
        self._mfa_used = False
        try:
            result = await self.user.authenticate(password)
        except CognitoError as error:
            if error.code == "UserNotConfirmedException":
                self.destination = self._delivery(await self.user.resend_confirmation_code())
                self._show("confirm-sign-up", self.text("status.not-confirmed"))
                return
            if error.code == "PasswordResetRequiredException":
                self.destination = self._delivery(await self.user.forgot_password())
                self._show("reset-password", self.text("status.reset-required"))
                return
            raise
        await self._next(result)

    async def _submit_sign_up(self):
        # Concatenated: MicroPython has no starred items in a list display.
        names = ["username"] + self.sign_up_attributes + ["password"]  # noqa: RUF005
        found = self._required(*names)
        if found is None or not self._strong_enough("password", found[-1]):
            return
        attributes = {}
        for index, name in enumerate(self.sign_up_attributes):
            attributes[name] = found[index + 1]
        result = await self.pool.sign_up(found[0], found[-1], attributes)
        self.user = result.user
        if result.user_confirmed:
            self._show("sign-in", self.text("status.confirmed"))
            return
        details = result.code_delivery_details
        self.destination = details.get("Destination") if isinstance(details, dict) else None
        self._show("confirm-sign-up")

    async def _submit_confirm_sign_up(self):
        found = self._required("code")
        if found is None:
            return
        await self.user.confirm_sign_up(found[0])
        self._show("sign-in", self.text("status.confirmed"))

    async def _submit_mfa_code(self):
        found = self._required("code")
        if found is not None:
            await self._next(await self.challenge.answer(found[0]))

    async def _submit_select_mfa(self):
        choice = self.values.get("mfa")
        if not choice:
            self.errors = {"mfa": (self.text("error.choose"), None)}
            self._render(focus_field="mfa")
            return
        await self._next(await self.challenge.select(choice))

    async def _submit_totp_setup(self):
        found = self._required("code")
        if found is not None:
            await self._next(await self.challenge.verify(found[0]))

    async def _submit_new_password(self):
        names = ["new_password"] + self._missing_attributes()  # noqa: RUF005
        found = self._required(*names)
        if found is None or not self._strong_enough("new_password", found[0]):
            return
        attributes = {}
        for index, name in enumerate(names[1:]):
            attributes[name] = found[index + 1]
        await self._next(await self.challenge.complete(found[0], attributes or None))

    async def _submit_forgot_password(self):
        found = self._required("username")
        if found is None:
            return
        self.user = self.pool.user(found[0])
        self.destination = self._delivery(await self.user.forgot_password())
        self._show("reset-password")

    async def _submit_reset_password(self):
        found = self._required("code", "new_password")
        if found is None or not self._strong_enough("new_password", found[1]):
            return
        await self.user.confirm_password(found[0], found[1])
        self._show("sign-in", self.text("status.password-changed"))

    async def _act_resend(self):
        if self.screen == "reset-password":
            answer = await self.user.forgot_password()
        else:
            answer = await self.user.resend_confirmation_code()
        self.destination = self._delivery(answer) or self.destination
        self._collect()
        self.errors = {}
        if self.destination:
            self.status = self.text("status.code-sent", destination=self.destination)
        else:
            self.status = self.text("status.code-sent.unknown")
        self._render(focus_field="code")

    async def _act_remember(self):
        await self.user.set_device_status(True)
        await self._signed_in()

    async def _act_dont_remember(self):
        await self._signed_in()

    async def _act_sign_out(self):
        user, self.user = self.user, None
        try:
            await user.sign_out()
        except CognitoError:
            pass  # signed out here all the same (storage is cleared before it raises)
        self._show("sign-in", self.text("status.signed-out"))
        if self.on_signed_out is not None:
            result = self.on_signed_out()
            if _awaitable(result):
                await result

    async def _restore(self):
        try:
            await self.user.get_session()
        except CognitoError:
            self.user = None
            return  # nobody signed in after all: the sign-in screen stays
        if self.screen == "sign-in":
            await self._signed_in()

    def _missing_attributes(self):
        if self.challenge is None:
            return []
        return [n for n in getattr(self.challenge, "required_attributes", []) if isinstance(n, str)]

    # -- rendering ----------------------------------------------------------------------------

    def _render(self, focus=True, focus_field=None):
        dom = self.dom
        dom.clear(self._body)
        self._inputs = {}
        self._policy_items = []
        self._submit_button = None
        self._first_input = None
        dom.set_attr(self.root, "data-screen", self.screen)
        dom.set_text(self._status, self.status)
        heading = dom.add(
            self._body,
            "h2",
            {"class": "pcw-title", "tabindex": "-1"},
            self.text("title." + self.screen),
        )
        getattr(self, "_draw_" + self.screen.replace("-", "_"))()
        if not focus:
            return
        # Focus the field in error, else the screen's first field, else its heading, so
        # that a keyboard or screen-reader user starts where the new screen starts.
        target = None
        if focus_field is not None:
            target = self._inputs.get(focus_field)
            if target is None:
                for key, node in self._inputs.items():
                    if key.startswith(focus_field + "="):
                        target = node
                        break
        if target is None and self._inputs:
            target = self._first_input
        dom.focus(target if target is not None else heading)

    def _form(self):
        form = self.dom.add(
            self._body, "form", {"class": "pcw-form", "data-form": self.screen, "novalidate": True}
        )
        error = self.errors.get("_form")
        if error is not None:
            self.dom.add(
                form, "p", {"class": "pcw-error pcw-form-error", "role": "alert"}, error[0]
            )
        return form

    def _intro(self, parent, text):
        self.dom.add(parent, "p", {"class": "pcw-intro"}, text)

    def _field(self, form, name, label=None, policy=False):
        dom = self.dom
        kind, autocomplete, inputmode = _FIELD_KINDS.get(name, _TEXT_ATTRIBUTE)
        if name == "password" and self.screen == "sign-up":
            autocomplete = "new-password"
        ident = self._prefix + name
        wrap = dom.add(form, "div", {"class": "pcw-field"})
        dom.add(wrap, "label", {"for": ident}, label or self._label(name))
        error = self.errors.get(name)
        described = []
        if policy:
            described.append(ident + "-policy")
        if error is not None:
            described.append(ident + "-error")
        node = dom.add(
            wrap,
            "input",
            {
                "id": ident,
                "name": name,
                "type": kind,
                "autocomplete": autocomplete,
                "inputmode": inputmode,
                "required": True,
                "aria-invalid": "true" if error is not None else None,
                "aria-describedby": " ".join(described) if described else None,
                "autocapitalize": "none"
                if kind == "text" and name in ("username", "code")
                else None,
                "spellcheck": "false" if name in ("username", "code") else None,
            },
        )
        if name in self.values:
            dom.set_value(node, self.values[name])
        self._inputs[name] = node
        if self._first_input is None:
            self._first_input = node
        if error is not None:
            self._error(wrap, ident + "-error", error)
        if policy:
            self._policy(wrap, ident + "-policy", self.values.get(name, ""))
        return node

    def _error(self, parent, ident, error):
        dom = self.dom
        box = dom.add(parent, "p", {"class": "pcw-error", "id": ident}, error[0])
        if error[1] == "resend":
            dom.set_text(box, error[0] + " ")
            dom.add(
                box,
                "button",
                {"type": "button", "class": "pcw-link", "data-action": "resend"},
                self.text("link.resend"),
            )

    def _policy(self, parent, ident, password):
        dom = self.dom
        box = dom.add(parent, "div", {"class": "pcw-policy", "id": ident})
        dom.add(box, "p", {"class": "pcw-policy-title"}, self.text("policy.title"))
        items = dom.add(box, "ul", {})
        for rule, _ in _rules.password_rules(self.policy, ""):
            item = dom.add(items, "li", {"data-rule": rule})
            dom.add(item, "span", {"class": "pcw-mark", "aria-hidden": "true"})
            dom.add(
                item, "span", {}, self.text("policy." + rule, count=self.policy["MinimumLength"])
            )
            state = dom.add(item, "span", {"class": "pcw-visually-hidden"})
            self._policy_items.append((rule, item, state))
        self._update_policy(password)

    def _update_policy(self, password):
        met = dict(_rules.password_rules(self.policy, password))
        for rule, item, state in self._policy_items:
            ok = met.get(rule, False)
            self.dom.set_attr(item, "data-met", "true" if ok else "false")
            self.dom.set_text(state, " (%s)" % self.text("policy.met" if ok else "policy.unmet"))

    def _label(self, name):
        if name.startswith("custom:") or ("attr." + name) not in self.texts:
            if ("field." + name) in self.texts:
                return self.text("field." + name)
            return self.text("attr.other", name=name.replace("custom:", "").replace("_", " "))
        return self.text("attr." + name)

    def _submit(self, form, key, busy_key="busy"):
        button = self.dom.add(
            form,
            "button",
            {"type": "submit", "class": "pcw-primary", "data-busy-label": self.text(busy_key)},
            self.text(key),
        )
        self._submit_button = button
        return button

    def _links(self, *links):
        nav = self.dom.add(self._body, "div", {"class": "pcw-links"})
        for action, key in links:
            self.dom.add(
                nav,
                "button",
                {"type": "button", "class": "pcw-link", "data-action": action},
                self.text(key),
            )

    def _draw_sign_in(self):
        form = self._form()
        self._field(form, "username")
        self._field(form, "password")
        self._submit(form, "button.sign-in", "busy.sign-in")
        self._links(("go:forgot-password", "link.forgot-password"), ("go:sign-up", "link.sign-up"))

    def _draw_sign_up(self):
        form = self._form()
        self._field(form, "username")
        for name in self.sign_up_attributes:
            self._field(form, name)
        self._field(form, "password", policy=True)
        self._submit(form, "button.sign-up")
        self._links(("go:sign-in", "link.sign-in"))

    def _destination_text(self, key):
        if self.destination:
            return self.text(key, destination=self.destination)
        return self.text(key + ".unknown")

    def _draw_confirm_sign_up(self):
        form = self._form()
        self._intro(form, self._destination_text("intro.confirm-sign-up"))
        self._field(form, "code")
        self._submit(form, "button.confirm")
        self._links(("resend", "link.resend"), ("go:sign-in", "link.sign-in"))

    def _draw_mfa_code(self):
        form = self._form()
        name = getattr(self.challenge, "name", "SOFTWARE_TOKEN_MFA")
        key = "intro." + name
        if key not in self.texts:
            key = "intro.SOFTWARE_TOKEN_MFA"
        self._intro(form, self.text(key, destination=self.destination or ""))
        self._field(form, "code")
        self._submit(form, "button.verify", "busy.sign-in")
        self._links(("go:sign-in", "link.sign-in"))

    def _draw_select_mfa(self):
        dom = self.dom
        form = self._form()
        group = dom.add(form, "fieldset", {"class": "pcw-choices"})
        dom.add(group, "legend", {}, self.text("field.mfa"))
        error = self.errors.get("mfa")
        options = getattr(self.challenge, "options", []) or []
        for index, option in enumerate(options):
            ident = "%smfa-%d" % (self._prefix, index)
            row = dom.add(group, "div", {"class": "pcw-choice"})
            node = dom.add(
                row,
                "input",
                {
                    "type": "radio",
                    "name": "mfa",
                    "id": ident,
                    "value": option,
                    "checked": self.values.get("mfa") == option,
                    "aria-describedby": self._prefix + "mfa-error" if error else None,
                },
            )
            dom.add(
                row,
                "label",
                {"for": ident},
                self.text("mfa." + option) if ("mfa." + option) in self.texts else option,
            )
            self._inputs["mfa=" + option] = node
            if self._first_input is None:
                self._first_input = node
        if error is not None:
            self._error(group, self._prefix + "mfa-error", error)
        self._submit(form, "button.continue", "busy.sign-in")
        self._links(("go:sign-in", "link.sign-in"))

    def _draw_totp_setup(self):
        dom = self.dom
        form = self._form()
        image = qr_data_uri(self._otpauth_uri()) if self.secret else None
        self._intro(form, self.text("intro.totp-setup" if image else "intro.totp-setup.no-qr"))
        if image is not None:
            dom.add(
                form,
                "img",
                {
                    "class": "pcw-qr",
                    "src": image,
                    "alt": self.text("qr.alt"),
                    "width": "200",
                    "height": "200",
                },
            )
        ident = self._prefix + "secret"
        wrap = dom.add(form, "div", {"class": "pcw-field"})
        dom.add(wrap, "label", {"for": ident}, self.text("field.secret"))
        secret = dom.add(
            wrap,
            "input",
            {
                "id": ident,
                "class": "pcw-secret",
                "readonly": True,
                "spellcheck": "false",
                "type": "text",
            },
        )
        dom.set_value(secret, self.secret or "")
        self._field(form, "code")
        self._first_input = self._inputs["code"]
        self._submit(form, "button.verify", "busy.sign-in")
        self._links(("go:sign-in", "link.sign-in"))

    def _otpauth_uri(self):
        user = self.user.username if self.user is not None else ""
        issuer = "Cognito"
        return "otpauth://totp/%s:%s?secret=%s&issuer=%s" % (
            _quote(issuer),
            _quote(user),
            self.secret,
            _quote(issuer),
        )

    def _draw_new_password(self):
        form = self._form()
        self._intro(form, self.text("intro.new-password"))
        self._field(form, "new_password", policy=True)
        for name in self._missing_attributes():
            self._field(form, name)
        self._submit(form, "button.change-password", "busy.sign-in")
        self._links(("go:sign-in", "link.sign-in"))

    def _draw_forgot_password(self):
        form = self._form()
        self._intro(form, self.text("intro.forgot-password"))
        self._field(form, "username")
        self._submit(form, "button.send-code")
        self._links(("go:sign-in", "link.sign-in"))

    def _draw_reset_password(self):
        form = self._form()
        self._intro(form, self._destination_text("intro.reset-password"))
        self._field(form, "code")
        self._field(form, "new_password", policy=True)
        self._submit(form, "button.change-password")
        self._links(("resend", "link.resend"), ("go:sign-in", "link.sign-in"))

    def _draw_remember_device(self):
        dom = self.dom
        self._first_input = None
        self._intro(self._body, self.text("intro.remember-device"))
        error = self.errors.get("_form")
        if error is not None:
            dom.add(
                self._body, "p", {"class": "pcw-error pcw-form-error", "role": "alert"}, error[0]
            )
        row = dom.add(self._body, "div", {"class": "pcw-actions"})
        yes = dom.add(
            row,
            "button",
            {"type": "button", "class": "pcw-primary", "data-action": "remember"},
            self.text("button.remember"),
        )
        dom.add(
            row,
            "button",
            {"type": "button", "class": "pcw-secondary", "data-action": "dont-remember"},
            self.text("button.dont-remember"),
        )
        self._inputs["_remember"] = yes
        self._first_input = yes

    def _draw_signed_in(self):
        dom = self.dom
        self._first_input = None
        name = self.user.username if self.user is not None else ""
        dom.add(
            self._body, "p", {"class": "pcw-intro pcw-who"}, self.text("signed-in", username=name)
        )
        error = self.errors.get("_form")
        if error is not None:
            dom.add(
                self._body, "p", {"class": "pcw-error pcw-form-error", "role": "alert"}, error[0]
            )
        row = dom.add(self._body, "div", {"class": "pcw-actions"})
        dom.add(
            row,
            "button",
            {
                "type": "button",
                "class": "pcw-secondary",
                "data-action": "sign-out",
                "data-busy-label": self.text("busy.sign-out"),
            },
            self.text("button.sign-out"),
        )


def _quote(text):
    # Percent-encoding for the otpauth label (no urllib.parse on MicroPython).
    safe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~@"
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        out.append(char if char in safe else "%%%02X" % byte)
    return "".join(out)


def qr_data_uri(uri: "str") -> "Optional[str]":
    """An SVG data URI of ``uri``'s QR code, drawn by segno when it is installed, else None."""
    try:
        import segno  # optional: pure Python, served to the demo pages
    except ImportError:
        return None
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def stylesheet_text() -> "str":
    """The component's CSS, shipped beside this module (``authenticator.css``)."""
    folder = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
    with open(folder + "/authenticator.css") as source:
        return source.read()
