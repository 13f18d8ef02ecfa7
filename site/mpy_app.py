"""The demo's app under MicroPython: sign up, confirm, sign in, sign out.

Run by both MicroPython pages, unchanged: site/mpy.html (PyScript,
``<script type="mpy" src="./mpy_app.py">``) and site/mpy-direct.html (micropython.mjs's
``loadMicroPython`` without PyScript, which fetches this file and runs it with
``runPythonAsync``). Either has put the package (site/wheels/pycognito_web-mpy.zip.gz) into
MicroPython's file system first. Only ``js`` is used, no ``pyscript`` module, so that it runs
without PyScript; the code runs with top-level ``await`` (both runners allow it).
"""

import asyncio
import json
import time

import js

from pycognito_web import CognitoError, UserPool

document = js.document
started = time.ticks_ms()


def show(state, text):
    document.body.dataset.state = state
    document.getElementById("status").textContent = text


def field(form, name):
    return document.querySelector("#%s [name=%s]" % (form, name)).value.strip()


def on(element_id, event, work):
    # An async handler runs as a task; errors land in the status line.
    async def run():
        show("working", "Working…")
        try:
            await work()
        except CognitoError as error:
            show("error", "%s: %s" % (getattr(error, "code", type(error).__name__), error))
        except Exception as error:  # a bug: show it rather than lose it in the task
            show("error", "%s: %s" % (type(error).__name__, error))
            raise

    def handler(evt):
        evt.preventDefault()
        # MicroPython's asyncio holds its tasks until they end: no reference to keep.
        asyncio.create_task(run())  # noqa: RUF006

    document.getElementById(element_id).addEventListener(event, handler)


async def main():
    answer = await js.fetch("./config.json")
    settings = json.loads(str(await answer.text()))
    pool = UserPool(settings["pool_id"], settings["client_id"], endpoint=settings["endpoint"] + "/")

    async def sign_up():
        name = field("sign-up", "username")
        await pool.sign_up(name, field("sign-up", "password"), {"email": field("sign-up", "email")})
        document.querySelector("#confirm [name=username]").value = name
        show("signed-up", "Signed up %s: enter the code that was sent." % name)

    async def confirm():
        name = field("confirm", "username")
        await pool.user(name).confirm_sign_up(field("confirm", "code"))
        document.querySelector("#sign-in [name=username]").value = name
        show("confirmed", "Confirmed %s: you can sign in." % name)

    async def sign_in():
        start = time.ticks_ms()
        user = pool.user(field("sign-in", "username"))
        session = await user.authenticate(field("sign-in", "password"))
        took = time.ticks_diff(time.ticks_ms(), start)
        email = (await user.get_attributes()).get("email", "")
        who = session.id_token.claim("cognito:username")
        show("signed-in", "Signed in as %s (%s)" % (who, email))
        document.getElementById("timing").textContent = "sign-in took %d ms" % took
        document.getElementById("sign-out").disabled = False
        pool.prepare_srp()

    async def sign_out():
        user = pool.current_user()
        if user is not None:
            await user.sign_out()
        document.getElementById("sign-out").disabled = True
        show("signed-out", "Signed out.")

    on("sign-up", "submit", sign_up)
    on("confirm", "submit", confirm)
    on("sign-in", "submit", sign_in)
    on("sign-out", "click", sign_out)
    for button in document.querySelectorAll("form button"):
        button.disabled = False
    ready = js.performance.now()
    show("ready", "Ready (MicroPython)")
    python_ms = time.ticks_diff(time.ticks_ms(), started)
    document.getElementById("timing").textContent = (
        "ready %d ms after navigation; Python started %d ms ago" % (ready, python_ms)
    )
    js.window.mpyReadyMs = ready
    # SRP's A (and the modules that make it) right after the page says ready, not before:
    # it is ~40 ms that a sign-in click, which needs a typed password first, cannot beat.
    await asyncio.sleep_ms(0)
    pool.prepare_srp()


try:
    await main()  # noqa: F704 (top-level await: both runners run this file async)
except Exception as error:
    show("error", "%s: %s" % (type(error).__name__, error))
    raise
