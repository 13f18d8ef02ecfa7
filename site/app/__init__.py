"""The pycognito-web demo: the page's Python, split by concern.

* ``dom``: small DOM helpers (views, forms, busy state, messages, event wiring).
* ``settings``: which pool the page talks to (site/config.json or localStorage).
* ``outbox``: the emulator's outbox, where confirmation and MFA codes land.
* ``qr``: otpauth:// URIs and their QR codes (segno, pure Python).
* ``signin``: sign-up, confirmation, password reset, sign-in and its challenges.
* ``account``: the signed-in user's profile, password, MFA, devices and session.

``main.py`` (the ``<script type="py">``) builds the ``State`` and wires them together.
"""


class State:
    """What the page knows right now.

    Attributes:
        settings: the pool settings dict (see ``settings.load``).
        pool: the ``UserPool`` built from them, or None.
        user: the ``User`` signing in or signed in, or None.
        challenge: the challenge the sign-in waits on, or None.
        attributes: the signed-in user's attributes as last loaded.
    """

    def __init__(self):
        self.settings = None
        self.pool = None
        self.user = None
        self.challenge = None
        self.attributes = {}
