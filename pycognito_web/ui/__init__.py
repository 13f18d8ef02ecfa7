"""A drop-in sign-in component for Python pages (Pyodide, PyScript, MicroPython).

    from pycognito_web import UserPool
    from pycognito_web.ui import Authenticator
    pool = UserPool("us-east-1_XXXXXXXXX", "client-id")
    auth = Authenticator(pool, mount="#auth", on_signed_in=show_app)

Nothing of it is imported by ``import pycognito_web``: a page that does not use it
compiles none of it. Its CSS (``authenticator.css``, beside these modules) is added to
the page by the component; theme it with the ``--pcw-*`` custom properties.
"""

from ._authenticator import Authenticator, qr_data_uri, stylesheet_text
from ._messages import EN, FR, LANGUAGES

__all__ = ["EN", "FR", "LANGUAGES", "Authenticator", "qr_data_uri", "stylesheet_text"]
