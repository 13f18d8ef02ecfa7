"""A complete sign-in page in Python: sign up, confirm with the emailed code, sign in, ask
your backend who you are (with the session's access token), sign out.

The same file runs in all three pages of this folder: PyScript under Pyodide
(pyscript-pyodide.html), PyScript under MicroPython (pyscript-micropython.html) and plain
Pyodide (pyodide.html). It uses only ``js`` (the browser's objects) and the client.
config.json names the pool: {"pool_id", "client_id", "endpoint" (optional), "backend"}.
"""

import asyncio
import json

import js

from pycognito_web import CognitoError, UserPool

try:  # Pyodide: a Python function handed to JavaScript for later must be a proxy
    from pyodide.ffi import create_proxy
except ImportError:  # MicroPython: functions are passed as they are
    def create_proxy(function):
        return function

TASKS = set()  # running handlers, kept so that none is collected half-way


def el(element_id):
    return js.document.getElementById(element_id)


def say(text, state=None):
    el("status").textContent = text
    if state is not None:
        js.document.body.dataset.state = state


def on(element_id, handler):
    """Run ``await handler()`` on each click; errors are shown, not raised into the page."""

    async def run(box):
        try:
            await handler()
        except CognitoError as error:
            say("%s: %s" % (error.code, error.message), "error")
        finally:
            TASKS.discard(box[0])

    def clicked(event):
        box = []  # MicroPython's Task has no add_done_callback: the task removes itself
        box.append(asyncio.create_task(run(box)))
        TASKS.add(box[0])

    el(element_id).addEventListener("click", create_proxy(clicked))


async def main():
    config = json.loads(await (await js.fetch("./config.json")).text())
    pool = UserPool(config["pool_id"], config["client_id"], endpoint=config.get("endpoint"))

    def user():
        return pool.user(el("username").value)

    async def sign_up():
        await pool.sign_up(el("username").value, el("password").value,
                           {"email": el("email").value})
        say("Signed up: enter the code sent to your email.", "signed-up")

    async def confirm():
        await user().confirm_sign_up(el("code").value)
        say("Confirmed: you can sign in.", "confirmed")

    async def sign_in():
        session = await user().authenticate(el("password").value)
        say("Signed in as %s." % session.access_token.claim("username"), "signed-in")

    async def ask_backend():
        current = pool.current_user()
        session = await current.get_session()  # refreshed first if it had expired
        answer = await js.fetch(config["backend"] + "/me", js.JSON.parse(json.dumps(
            {"headers": {"Authorization": "Bearer " + session.access_token.jwt}})))
        claims = json.loads(await answer.text())
        el("claims").textContent = json.dumps(claims)
        say("The backend says you are %s." % claims.get("username"), "backend-answered")

    async def sign_out():
        await pool.current_user().sign_out()
        el("claims").textContent = ""
        say("Signed out.", "signed-out")

    for element_id, handler in (("sign-up", sign_up), ("confirm", confirm),
                                ("sign-in", sign_in), ("ask-backend", ask_backend),
                                ("sign-out", sign_out)):
        on(element_id, handler)
    pool.prepare_srp()  # SRP's first step now, so the click does not wait for it
    say("Ready.", "ready")


await main()  # noqa: F704 (the page runs this file with top-level await)
