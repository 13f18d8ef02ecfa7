"""The version of pycognito-web, in a module of its own so that any layer may read it.

``scripts/web_wheel.py`` rewrites this line in the web build (``X+web``).
"""

__version__ = "0.1.0"
