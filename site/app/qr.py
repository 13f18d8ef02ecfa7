"""TOTP set-up: the ``otpauth://`` URI authenticator apps read, and its QR code.

The QR code is drawn in pure Python by segno (installed by micropip like
pycognito-web), as inline SVG: no CDN, no canvas, no JavaScript library.
"""

from urllib.parse import quote

import segno

from . import dom

ISSUER = "pycognito-web demo"


def otpauth_uri(secret, username, issuer=ISSUER):
    """Key URI format of Google Authenticator: ``otpauth://totp/ISSUER:USER?secret=...``."""
    label = quote("%s:%s" % (issuer, username))
    return "otpauth://totp/%s?secret=%s&issuer=%s" % (label, secret, quote(issuer))


def show(prefix, secret, username):
    """Fill ``#<prefix>-qr`` and ``#<prefix>-secret`` and reveal their box."""
    uri = otpauth_uri(secret, username)
    box = dom.el(prefix + "-qr")
    box.innerHTML = segno.make(uri, error="m").svg_inline(scale=5, border=2)
    box.dataset.otpauth = uri
    dom.el(prefix + "-secret").textContent = secret
