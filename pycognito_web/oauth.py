"""Managed login (the hosted sign-in pages) from a page or from CPython.

In a page (Pyodide, PyScript)::

    from pycognito_web.oauth import OAuthConfig, sign_in_with_redirect, \\
        complete_sign_in_with_redirect
    config = OAuthConfig(domain, redirect_sign_in, redirect_sign_out)
    result = await complete_sign_in_with_redirect(pool, config)   # on every load
    if result is None and pool.current_user() is None:
        await sign_in_with_redirect(pool, config)                 # leaves the page

On CPython only: ``ClientCredentials`` (a machine's cached access token) and
``sign_in_loopback`` (a command-line sign-in through the browser), from
``pycognito_web._oauth_native``, importable from here by name.
"""

from ._oauth import OAuthConfig, OAuthError
from ._redirect import (
    RedirectResult,
    complete_sign_in_with_redirect,
    sign_in_with_redirect,
    sign_out_with_redirect,
)

__all__ = [
    "OAuthConfig",
    "OAuthError",
    "RedirectResult",
    "complete_sign_in_with_redirect",
    "sign_in_with_redirect",
    "sign_out_with_redirect",
]


def __getattr__(name):
    # The CPython-only parts are imported when asked for: a page never compiles them.
    if name in ("ClientCredentials", "sign_in_loopback"):
        from . import _oauth_native

        return getattr(_oauth_native, name)
    raise AttributeError("module 'pycognito_web.oauth' has no attribute %r" % name)
