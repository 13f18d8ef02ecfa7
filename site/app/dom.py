"""Small DOM helpers: views, forms, busy state, messages, and event wiring.

Every form and button that does something carries ``data-action="name"``; one
``submit`` and one ``click`` listener on the document look the name up in the
table given to ``wire`` and run the (async) handler with the form's values. While a
handler runs, ``body[data-busy]`` is set and the form's buttons are disabled; when it
fails, the error shows as its Cognito code and message.
"""

import asyncio
import html

from pyodide.ffi import create_proxy, jsnull
from pyscript import document, window

from pycognito_web import CognitoError

_proxies = []  # keep the listeners alive for the page's lifetime
_tasks = set()


def found(node):
    """A DOM lookup's result, or None (Pyodide gives JS null as ``jsnull``, not None)."""
    return None if node is None or node is jsnull else node


def el(element_id):
    """The element with that id (None if absent)."""
    return found(document.getElementById(element_id))


def escape(text):
    return html.escape("" if text is None else str(text))


def show_view(name, focus=True):
    """Show the ``section[data-view=name]`` and hide the other views."""
    for section in document.querySelectorAll("main > section[data-view]"):
        section.hidden = section.dataset.view != name
    document.body.dataset.view = name
    if focus:
        view = el("view-" + name)
        target = found(view.querySelector("input:not([hidden]):not([disabled]), select, button"))
        if target is not None:
            target.focus()


def form_values(form):
    """A form's named fields: text as str (trimmed, passwords as typed), checkboxes as bool."""
    values = {}
    if form is None:
        return values
    for field in form.elements:
        name = field.name
        if not name:
            continue
        if field.type == "checkbox":
            values[name] = bool(field.checked)
        elif field.type == "radio":
            if field.checked:
                values[name] = field.value
        elif field.type == "password":
            values[name] = field.value
        else:
            values[name] = field.value.strip()
    return values


def set_field(form_selector, name, value):
    field = found(document.querySelector("%s [name='%s']" % (form_selector, name)))
    if field is not None:
        field.value = value


def clear_passwords():
    for field in document.querySelectorAll("input[type=password]"):
        field.value = ""


def notice(text):
    """A success or progress message (role=status)."""
    box = el("notice")
    box.textContent = text
    box.hidden = not text


def show_error(error):
    """An error as ``Code: message``: Cognito's error code where there is one."""
    if isinstance(error, CognitoError):
        code, message = error.code, error.message
    else:
        code, message = type(error).__name__, str(error)
    el("error-code").textContent = code
    el("error-message").textContent = message
    el("error").hidden = False


def clear_messages():
    notice("")
    el("error").hidden = True


async def _run(handler, values, controls):
    try:
        await handler(values)
    except Exception as error:  # every failure is shown, none is thrown at the console
        show_error(error)
    finally:
        for control in controls:
            control.disabled = False
        del document.body.dataset.busy


def _start(handler, values, form, button):
    # Busy at once (not when the task first runs), so nothing can be sent twice.
    clear_messages()
    document.body.dataset.busy = "true"
    controls = list(form.querySelectorAll("button")) if form is not None else []
    if button is not None and button not in controls:
        controls.append(button)
    for control in controls:
        control.disabled = True
    task = asyncio.ensure_future(_run(handler, values, controls))
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


def wire(actions):
    """Route ``data-action`` submits and clicks to ``actions[name](values)``.

    A click passes the enclosing form's values plus the button's ``data-*`` values.
    """

    def on_submit(event):
        form = event.target
        name = form.dataset.action
        if name in actions:
            event.preventDefault()
            _start(actions[name], form_values(form), form, None)

    def on_click(event):
        button = found(event.target.closest("button[data-action]"))
        if button is None or button.type == "submit":
            return
        name = button.dataset.action
        if name in actions:
            event.preventDefault()
            values = form_values(found(button.closest("form")))
            for key, value in window.Object.entries(button.dataset):
                values[key] = value
            _start(actions[name], values, None, button)

    for kind, listener in (("submit", on_submit), ("click", on_click)):
        proxy = create_proxy(listener)
        _proxies.append(proxy)
        document.addEventListener(kind, proxy)
