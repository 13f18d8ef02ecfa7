"""The demo page's entry point (``<script type="py" src="./app/main.py">``).

Loads the pool settings, wires every ``data-action`` to its handler, and shows the
account of the user already signed in here, or the sign-in form.
"""

import asyncio

from pyscript import document

from app import State, dom, outbox, settings
from app.account import Account
from app.signin import SignIn
from pycognito_web import CognitoError

state = State()


def use_settings(data):
    """Point the page at a pool (None: ask for one)."""
    state.settings = data
    state.pool = settings.make_pool(data) if data else None
    state.user = state.challenge = None
    badge = dom.el("pool-badge")
    badge.hidden = not data
    if data:
        badge.textContent = settings.describe(data)
        outbox.enable(data)
    else:
        dom.el("outbox").hidden = True


def signed_out(message):
    state.user = state.challenge = None
    dom.show_view("sign-in")
    dom.notice(message)


async def show_home(values=None):
    """The account of the user signed in here, else the sign-in form."""
    if state.pool is None:
        dom.show_view("settings")
        return
    user = state.pool.current_user()
    if user is not None:
        state.user = user
        try:
            await account.show()
            return
        except CognitoError:  # expired and not refreshable, revoked, deleted...
            user.sign_out_locally()
            state.user = None
    dom.show_view("sign-in")


def show(view):
    async def handler(values):
        dom.show_view(view)

    return handler


async def show_settings(values):
    data = state.settings or {}
    for name in ("pool_id", "client_id", "endpoint"):
        dom.set_field("[data-action=save-settings]", name, data.get(name) or "")
    await show_emulator_pools()
    dom.show_view("settings")


async def show_emulator_pools():
    """One button per pool of the demo emulator (site/config.json's ``pools``)."""
    demo = await settings.demo_config() or {}
    pools = demo.get("pools") or []
    buttons = [
        '<button type="button" class="secondary" data-action="use-emulator-pool"'
        ' data-pool-id="%s" data-client-id="%s" data-endpoint="%s">%s <span class="muted">'
        "%s</span></button>"
        % tuple(
            dom.escape(v)
            for v in (p["pool_id"], p["client_id"], demo.get("endpoint"), p["name"], p["pool_id"])
        )
        for p in pools
    ]
    dom.el("emulator-pool-list").innerHTML = "".join(buttons)
    dom.el("emulator-pools").hidden = len(pools) < 2


async def use_emulator_pool(values):
    use_settings(
        settings.save(values["poolId"], values["clientId"], values["endpoint"], emulator=True)
    )
    await show_home()
    dom.notice("Now using %s." % settings.describe(state.settings))


async def save_settings(values):
    use_settings(settings.save(values["pool_id"], values["client_id"], values["endpoint"]))
    await show_home()
    dom.notice("Now using %s." % settings.describe(state.settings))


async def reset_settings(values):
    settings.forget()
    use_settings(await settings.load())
    await show_home()
    if state.settings:
        dom.notice("Now using %s." % settings.describe(state.settings))


async def refresh_outbox(values):
    await outbox.refresh(state.settings, state.user.username if state.user else None)


account = Account(state, signed_out)
sign_in = SignIn(state, account)
actions = {
    "show-sign-in": show("sign-in"),
    "show-sign-up": show("sign-up"),
    "show-confirm": show("confirm"),
    "show-forgot": show("forgot"),
    "show-home": show_home,
    "show-settings": show_settings,
    "save-settings": save_settings,
    "use-emulator-pool": use_emulator_pool,
    "reset-settings": reset_settings,
    "refresh-outbox": refresh_outbox,
}
actions.update(sign_in.actions())
actions.update(account.actions())
dom.wire(actions)

try:
    use_settings(await settings.load())  # noqa: F704 -- PyScript runs this with top-level await
    await show_home()  # noqa: F704
    await refresh_outbox(None)  # noqa: F704
except Exception as error:  # show it rather than leave a half-started page
    dom.show_view("sign-in")
    dom.show_error(error)
document.querySelector("[data-action=show-settings]").disabled = False
document.body.dataset.state = "ready"
if state.pool is not None and state.user is None:
    # After "ready", in the time a person takes to type a password: SRP's A and the
    # sign-in code (compiled now rather than on the click). See UserPool.prepare_srp.
    await asyncio.sleep(0)  # noqa: F704 -- let the page paint first
    state.pool.prepare_srp()
