"""The signed-in side: profile attributes, verification, password, MFA, devices, session."""

import datetime

from pycognito_web import CognitoError

from . import dom, markup, outbox, qr

READ_ONLY = ("sub", "email_verified", "phone_number_verified")
VERIFIABLE = {"email": "email_verified", "phone_number": "phone_number_verified"}
KEEP = ("sub", "email", "email_verified", "phone_number_verified")


def _when(value):
    if isinstance(value, (int, float)):
        return datetime.datetime.fromtimestamp(value, datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return str(value or "")


class Account:
    """The account view of ``state.user``."""

    def __init__(self, state, signed_out):
        self.state = state
        self.signed_out = signed_out  # callback(message) once the session is gone

    def actions(self):
        return {
            "refresh-account": lambda values: self.show(),
            "save-attributes": self.save_attributes,
            "delete-attribute": self.delete_attribute,
            "send-verification": self.send_verification,
            "verify-attribute": self.verify_attribute,
            "change-password": self.change_password,
            "save-mfa": self.save_mfa,
            "setup-totp": self.setup_totp,
            "verify-totp": self.verify_totp,
            "list-devices": lambda values: self.list_devices(),
            "forget-device": self.forget_device,
            "sign-out": self.sign_out,
            "global-sign-out": self.global_sign_out,
            "delete-user": self.delete_user,
        }

    @property
    def user(self):
        return self.state.user

    async def show(self):
        """Load the user (refreshing the session if it expired) and show the account."""
        session = await self.user.get_session()
        data = await self.user.get_user()
        dom.el("account-name").textContent = self.user.username
        dom.el("account-session").textContent = "Session valid until %s (clock drift %ss)." % (
            _when(session.expires_at()),
            session.clock_drift,
        )
        self._render_attributes(data.get("UserAttributes", []))
        self._render_mfa(data)
        dom.el("totp-setup").hidden = True
        dom.el("verify-form").hidden = True
        dom.show_view("account", focus=False)
        dom.el("account-name").closest(".card").querySelector("button").focus()
        # Devices load on request, or at once when this browser is a remembered device.
        if self.user.device(self.user.username) is not None:
            await self.list_devices()
        else:
            dom.el("devices").innerHTML = (
                '<tr><td colspan="4" class="muted">Not loaded: press Show devices.</td></tr>'
            )

    # -- attributes -------------------------------------------------------------------

    def _render_attributes(self, items):
        attributes = {a["Name"]: a.get("Value", "") for a in items}
        self.state.attributes = attributes
        rows = []
        for name, value in attributes.items():
            flag = VERIFIABLE.get(name)
            if flag:
                action = "verified" if attributes.get(flag) == "true" else "verify"
            else:
                action = "" if name in KEEP else "remove"
            rows.append(markup.attribute_row(name, value, name in READ_ONLY, action))
        dom.el("attributes").innerHTML = "".join(rows)

    async def save_attributes(self, values):
        changed = {
            key[5:]: value
            for key, value in values.items()
            if key.startswith("attr:")
            and key[5:] not in READ_ONLY
            and value != self.state.attributes.get(key[5:])
        }
        if values.get("new_name"):
            changed[values["new_name"]] = values.get("new_value", "")
        if not changed:
            dom.notice("Nothing changed.")
            return
        answer = await self.user.update_attributes(changed)
        for field in ("new_name", "new_value"):
            dom.set_field("#attributes-form", field, "")
        await self.show()
        sent = answer.get("CodeDeliveryDetailsList") or []
        if sent:
            self._ask_code(sent[0].get("AttributeName"), sent[0])
            await outbox.refresh(self.state.settings, self.user.username)
        dom.notice("Saved %s." % ", ".join(sorted(changed)))

    async def delete_attribute(self, values):
        await self.user.delete_attributes([values["attribute"]])
        await self.show()
        dom.notice("Removed %s." % values["attribute"])

    def _ask_code(self, name, details):
        form = dom.el("verify-form")
        form.hidden = False
        dom.set_field("#verify-form", "attribute", name)
        dom.el("verify-sent").textContent = "Enter the code sent to %s to verify your %s." % (
            (details or {}).get("Destination", "you"),
            name,
        )
        form.querySelector("[name=code]").focus()

    async def send_verification(self, values):
        name = values["attribute"]
        answer = await self.user.get_attribute_verification_code(name)
        self._ask_code(name, answer.get("CodeDeliveryDetails"))
        await outbox.refresh(self.state.settings, self.user.username)

    async def verify_attribute(self, values):
        await self.user.verify_attribute(values["attribute"], values["code"])
        await self.show()
        dom.notice("Your %s is verified." % values["attribute"])

    # -- password ------------------------------------------------------------------

    async def change_password(self, values):
        await self.user.change_password(values["old_password"], values["new_password"])
        dom.clear_passwords()
        dom.notice("Password changed.")

    # -- MFA ---------------------------------------------------------------------------

    def _render_mfa(self, data):
        enabled = data.get("UserMFASettingList") or []
        preferred = data.get("PreferredMfaSetting") or ""
        form = dom.el("mfa-form")
        form.querySelector("[name=sms]").checked = "SMS_MFA" in enabled
        form.querySelector("[name=totp]").checked = "SOFTWARE_TOKEN_MFA" in enabled
        form.querySelector("[name=preferred]").value = {
            "SMS_MFA": "sms",
            "SOFTWARE_TOKEN_MFA": "totp",
        }.get(preferred, "")
        names = {"SMS_MFA": "text message", "SOFTWARE_TOKEN_MFA": "authenticator app"}
        dom.el("mfa-state").textContent = (
            "MFA is on: %s%s."
            % (
                ", ".join(names.get(m, m) for m in enabled),
                " (preferred: %s)" % names.get(preferred, preferred) if preferred else "",
            )
            if enabled
            else "MFA is off for this account."
        )

    async def save_mfa(self, values):
        preferred = values.get("preferred")
        await self.user.set_mfa_preference(
            sms={"Enabled": values["sms"], "PreferredMfa": values["sms"] and preferred == "sms"},
            software_token={
                "Enabled": values["totp"],
                "PreferredMfa": values["totp"] and preferred == "totp",
            },
        )
        await self.show()
        dom.notice("MFA settings saved.")

    async def setup_totp(self, values):
        secret = await self.user.associate_software_token()
        qr.show("totp", secret, self.user.username)
        dom.el("totp-setup").hidden = False
        dom.el("totp-setup").querySelector("[name=code]").focus()

    async def verify_totp(self, values):
        await self.user.verify_software_token(values["code"], values.get("device_name") or None)
        await self.user.set_mfa_preference(software_token={"Enabled": True, "PreferredMfa": True})
        await self.show()
        dom.notice("Authenticator app verified: it is now your preferred MFA.")

    # -- devices -----------------------------------------------------------------------

    async def list_devices(self):
        body = dom.el("devices")
        try:
            devices = (await self.user.list_devices(limit=20)).get("Devices", [])
        except CognitoError as error:
            body.innerHTML = '<tr><td colspan="4" class="muted">%s: %s</td></tr>' % (
                dom.escape(error.code),
                dom.escape(error.message),
            )
            return
        mine = self.user.device(self.user.username)
        rows = []
        for device in devices:
            attributes = {a["Name"]: a.get("Value") for a in device.get("DeviceAttributes", [])}
            key = device.get("DeviceKey", "")
            name = attributes.get("device_name") or key
            if mine is not None and mine.key == key:
                name += " (this browser)"
            rows.append(
                '<tr><td>%s</td><td>%s</td><td>%s</td><td><button type="button" class="link"'
                ' data-action="forget-device" data-device="%s">Forget</button></td></tr>'
                % (
                    dom.escape(name),
                    dom.escape(attributes.get("device_status", "")),
                    dom.escape(_when(device.get("DeviceLastAuthenticatedDate"))),
                    dom.escape(key),
                )
            )
        body.innerHTML = "".join(rows) or '<tr><td colspan="4" class="muted">None.</td></tr>'

    async def forget_device(self, values):
        await self.user.forget_device(values["device"])
        await self.list_devices()
        dom.notice("Device forgotten.")

    # -- the session ------------------------------------------------------------------

    async def sign_out(self, values):
        await self.user.sign_out()
        self.signed_out("Signed out.")

    async def global_sign_out(self, values):
        await self.user.global_sign_out()
        self.signed_out("Signed out on every device.")

    async def delete_user(self, values):
        await self.user.delete_user()
        self.signed_out("Your account is deleted.")
