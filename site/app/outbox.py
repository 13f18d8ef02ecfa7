"""The emulator's outbox: it sends no mail or SMS, it lists the codes instead.

``GET <endpoint>/_emulator/messages?username=NAME`` answers
``{"messages": [{"kind", "destination", "code", "sent_at", ...}]}``. The panel is
shown only when the page talks to the emulator.
"""

import json
from urllib.parse import quote

from pyscript import window

from . import dom


def url(settings, username=None):
    base = (settings.get("endpoint") or "").rstrip("/") + "/_emulator/messages"
    return base + ("?username=" + quote(username) if username else "")


def enable(settings):
    panel = dom.el("outbox")
    panel.hidden = not settings.get("emulator")
    link = dom.el("outbox-link")
    link.href = link.textContent = url(settings)


async def refresh(settings, username=None):
    """Show the latest codes (for ``username`` when given)."""
    if not settings or not settings.get("emulator"):
        return
    response = await window.fetch(url(settings, username), cache="no-store")
    messages = json.loads(await response.text()).get("messages", [])[-5:]
    items = [
        "<li>%s for <b>%s</b> to %s: <code>%s</code></li>"
        % tuple(dom.escape(m.get(k)) for k in ("kind", "username", "destination", "code"))
        for m in reversed(messages)
    ]
    dom.el("outbox-list").innerHTML = "".join(items) or "<li class=muted>No messages yet.</li>"
