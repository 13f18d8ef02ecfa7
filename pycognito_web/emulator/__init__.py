"""A local server that behaves like Amazon Cognito User Pools (the emulator).

Run it with ``python -m pycognito_web.emulator`` (see ``__main__``). It needs the
``emulator`` extra (uvicorn, cryptography); the client library never imports it.

Layout:

* ``__main__``: command line, socket, uvicorn.
* ``_app``: ASGI app, routes, wire format, CORS, admin (SigV4) gate.
* ``_registry``: action table and request validation.
* ``_auth``: InitiateAuth, RespondToAuthChallenge (flow and challenge tables),
  GlobalSignOut, RevokeToken. ``_users``: sign-up, passwords, attributes.
* ``_common``: helpers the actions share. ``_srp_server``: the server's SRP.
  ``_tokens``: keys, JWKS, JWTs, refresh tokens. ``_store``: SQLite.
  ``_config``: pool/client settings and the ``--config`` file. ``_errors``.
"""
