"""Which user pool the page talks to.

Two sources, the first found wins:

1. what the person saved in the settings form, kept in ``localStorage`` under
   ``STORAGE_KEY`` (a real Cognito pool: pool id, app client id, optional endpoint);
2. ``site/config.json``, written by ``scripts/demo`` from the emulator it started::

       {"pool_id": "us-east-1_pycogDemo", "client_id": "...",
        "endpoint": "http://127.0.0.1:9229", "emulator": true,
        "pools": [{"name": "demo", "pool_id": "...", "client_id": "..."}, ...]}

   ``pools`` lists every pool of the emulator (the first is the default); the settings
   form offers the others (``demo-mfa-required``, with MFA ON) as one-click choices.

With neither, the page opens the settings form.
"""

import json

from pyscript import window

from pycognito_web import UserPool

STORAGE_KEY = "pycognito-web-demo.pool"


async def load():
    """The settings dict (``pool_id``, ``client_id``, ``endpoint``, ``emulator``,
    ``source``), or None."""
    saved = window.localStorage.getItem(STORAGE_KEY)
    if saved:
        try:
            data = json.loads(saved)
            data["source"] = "saved"
            return data
        except ValueError:
            window.localStorage.removeItem(STORAGE_KEY)
    return await demo_config()


async def demo_config():
    """site/config.json as a settings dict, or None when there is none."""
    response = await window.fetch("./config.json", cache="no-store")
    if not response.ok:
        return None
    data = json.loads(await response.text())
    data["source"] = "config.json"
    return data


def save(pool_id, client_id, endpoint, emulator=False):
    """Remember a pool; returns the settings dict. Raises for a malformed id."""
    data = {"pool_id": pool_id, "client_id": client_id, "endpoint": endpoint or None}
    if emulator:
        data["emulator"] = True
    make_pool(data)  # validates: InvalidParameterError for a bad pool or client id
    window.localStorage.setItem(STORAGE_KEY, json.dumps(data))
    data["source"] = "saved"
    return data


def forget():
    window.localStorage.removeItem(STORAGE_KEY)


def make_pool(data):
    """The ``UserPool`` for a settings dict (sessions in localStorage, HTTP by fetch)."""
    return UserPool(data["pool_id"], data["client_id"], endpoint=data.get("endpoint") or None)


def describe(data):
    """A short label for the header badge."""
    where = "emulator" if data.get("emulator") else "Cognito"
    return "%s · %s" % (where, data["pool_id"])
