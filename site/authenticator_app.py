"""The sign-in component's demo: pycognito_web.ui.Authenticator on a page, in a few lines.

Run unchanged by site/authenticator.html (Pyodide) and site/authenticator-mpy.html
(MicroPython), each after installing the package. The page's query string picks the
theme (``?theme=dark``) and the language (``?lang=fr``). Top-level ``await``: both
runners allow it.
"""

import json

import js

from pycognito_web import UserPool
from pycognito_web.ui import Authenticator

settings = json.loads(await (await js.fetch("./config.json")).text())  # noqa: F704
pool = UserPool(settings["pool_id"], settings["client_id"], endpoint=settings.get("endpoint"))
query = js.URLSearchParams.new(js.location.search)


def option(name, default):
    value = query.get(name)
    return value if isinstance(value, str) and value else default


def show_app(user):
    js.document.body.dataset.user = user.username


def hide_app():
    js.document.body.dataset.user = ""


theme = option("theme", "light")
js.document.body.dataset.theme = theme
auth = Authenticator(
    pool,
    "#auth",
    on_signed_in=show_app,
    on_signed_out=hide_app,
    sign_up_attributes=["email"],
    language=option("lang", "en"),
    theme=theme,
)
js.document.body.dataset.state = "ready"
