"""A local server that behaves like Amazon Cognito User Pools (the emulator).

Run it with ``python -m pycognito_emulator`` or ``pycognito-emulator`` (see ``__main__``);
``server.build`` assembles one in-process. The client library never imports it.

Layout:

* ``__main__``: command line, socket, uvicorn.
* ``_app``: ASGI app, routes, wire format, CORS, admin (SigV4) gate.
* ``_registry``: action table and request validation.
* ``_auth``: InitiateAuth, RespondToAuthChallenge (flow and challenge tables),
  GlobalSignOut, RevokeToken. ``_users``: sign-up, passwords, attributes.
* ``_common``: helpers the actions share. ``_srp_server``: the server's SRP.
  ``_tokens``: keys, JWKS, JWTs, refresh tokens. ``_store``: SQLite.
  ``_config``: pool/client settings and the ``--config`` file. ``_errors``.
* ``_mfa``: MFA settings, TOTP and the MFA step. ``_custom_auth``: CUSTOM_AUTH and
  its triggers (``example_triggers`` is a triggers module). ``_identity``: Cognito
  Identity's GetId and GetCredentialsForIdentity.

Extending it:

* A new action: a function ``handler(ctx, body) -> dict`` decorated with
  ``@_registry.action("Name", fields=[Field(...)], public=True|False)``, in a module
  that ``_app.load_actions`` imports (the names in ``_app.OPTIONAL_ACTION_MODULES``,
  ``_admin``, ``_mfa``, ``_devices``, ``_identity``, are picked up once they exist).
  ``public=False`` actions only run after ``_sigv4.verify`` accepts the request
  (``ctx.request.signer`` then names the key); their answers carry no CORS headers.
* A new sign-in flow: ``@_auth.flow("CUSTOM_AUTH", "ALLOW_CUSTOM_AUTH")``.
* A new challenge answer: ``@_auth.challenge("SMS_MFA")``; load the pending state
  with ``_auth.take_session``, and go on with ``_auth.resume(..., after=step)``.
* A step between the password and the tokens (MFA, device SRP): append
  ``step(ctx, pool, client, user, state)`` to ``_auth.AFTER_PASSWORD_STEPS``; it
  returns ``_auth.challenge_answer(...)`` to ask something, or None.
  ``state["access_claims"]`` adds access-token claims; ``_auth.RESULT_EXTRAS`` add
  AuthenticationResult members (NewDeviceMetadata). ``_devices`` puts its step
  right after the new-password step, before MFA, and sets
  ``state["device_remembered"]`` when a remembered device passed device SRP and may
  stand in for MFA; ``_auth.DEVICE_KEY_CHECKS`` refuse an unknown DEVICE_KEY in
  PASSWORD_VERIFIER while keeping the challenge (the original SDK's retry).
* Per-user settings without a migration: ``user.extra`` (JSON); new tables: append
  a migration to ``_store.MIGRATIONS``.
* Codes: ``_codes.send_code`` (outbox, console, CodeDeliveryDetails) and
  ``_codes.check_code``.
"""
