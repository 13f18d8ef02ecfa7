"""A local server that behaves like Amazon Cognito User Pools (the emulator).

Run it with ``python -m pycognito_emulator`` or ``pycognito-emulator`` (see ``__main__``);
``server.build`` assembles one in-process. The client library never imports it.
``emulator/ARCHITECTURE.md`` draws the layers, the sign-in pipeline and how to extend
it; in short, module by module (lower layers first):

Foundations:

* ``_errors``: ServiceError and Cognito's messages. ``_context``: Settings, the
  per-request Context (store, clock, console). ``_registry``: the action table
  (``@action``) and request validation (``Field``).
* ``_store``: SQLite, ``MIGRATIONS``, transactions. ``_tables``: ``User`` and the
  queries of each table (mixed into ``Store``).
* ``_config``: pool/client settings and the ``--config`` file. ``_tokens``: keys,
  JWKS, JWTs, refresh tokens. ``_srp_server``: the server's SRP.
* ``_sigv4``: SigV4 ``verify`` for admin actions; ``_sigv4_request`` reads the
  request, ``_sigv4_canonical`` rebuilds the canonical request. ``_http``: uvicorn's
  protocol with a read deadline.

Helpers the actions share:

* ``_accounts``: app clients and SECRET_HASH, finding and making users, passwords and
  the password policy, disabled users, the lockout. ``_attributes``: schema checks,
  visible attributes, aliases. ``_codes``: codes, their delivery and the outbox.
  ``_sessions``: the tokens of a sign-in, the user behind an access token.

The sign-in pipeline:

* ``_signin``: ``STEPS`` and ``AFTER_TOKENS`` (the order of every sign-in), the
  ``FLOWS`` and ``CHALLENGES`` tables and their decorators, pending challenges.

Actions (each module registers its own):

* ``_auth``: InitiateAuth, RespondToAuthChallenge, the password and refresh flows,
  PASSWORD_VERIFIER, GlobalSignOut, RevokeToken. ``_new_password``:
  NEW_PASSWORD_REQUIRED. ``_custom_auth``: CUSTOM_AUTH and its triggers
  (``example_triggers`` is a triggers module). ``_devices``: device tracking, device
  SRP, the device actions. ``_mfa``: MFA settings and preferences, the MFA step, SMS
  and email MFA, SELECT_MFA_TYPE and MFA_SETUP. ``_totp``: TOTP (RFC 6238),
  AssociateSoftwareToken, VerifySoftwareToken, SOFTWARE_TOKEN_MFA (calls ``_mfa``).
* ``_rotation``: GetTokensFromRefreshToken and refresh-token rotation (``_auth``
  calls it). ``_webauthn``: passkeys (WebAuthn) registration, listing, deletion and
  the assertion check. ``_factors``: AdminSetUserMFAPreference, GetUserAuthFactors,
  AdminGetUserAuthFactors, the email and WebAuthn checks of SetUserPoolMfaConfig.
  ``_user_auth``: choice-based sign-in (InitiateAuth USER_AUTH) and its challenges.
* Managed login: ``_oauth`` (the routes, the authorize request, the sign-in pages,
  logout), ``_oauth_tokens`` (the token, userInfo and revoke endpoints; what ``_oauth``
  shares with them), ``_login_page`` (the HTML), ``_federation`` (federated sign-in).
* ``_users``: sign-up, confirmation, passwords, attributes (the user API).
  ``_identity``: Cognito Identity's GetId and GetCredentialsForIdentity.
* ``_admin``: what admin actions share; ``_admin_pools`` (pools, MFA configuration),
  ``_admin_clients`` (app clients), ``_admin_users`` (users, ListUsers),
  ``_admin_auth`` (AdminInitiateAuth, AdminRespondToAuthChallenge).

The server:

* ``_app``: ASGI app, routes, wire format, CORS, the admin (SigV4) gate, and
  ``load_actions``, which imports every action module by name. ``server``: ``build``.
  ``__main__``: command line, socket, uvicorn. ``launch``: a child process for tests.

Extending it:

* A new action: a function ``handler(ctx, body) -> dict`` decorated with
  ``@_registry.action("Name", fields=[Field(...)], public=True|False)``, in a module
  that ``_app.load_actions`` imports (one line there). ``public=False`` actions only
  run after ``_sigv4.verify`` accepts the request (``ctx.request.signer`` then names
  the key); their answers carry no CORS headers.
* A new sign-in flow: ``@_signin.flow("CUSTOM_AUTH", "ALLOW_CUSTOM_AUTH")``.
* A new challenge answer: ``@_signin.challenge("SMS_MFA")``; load the pending state
  with ``_signin.take_session``, and go on with ``_signin.resume(..., after="mfa")``.
  (``_auth.flow``, ``_auth.challenge``, ``_auth.resume``... are the same functions.)
* A new step of every sign-in: add its name to ``_signin.STEPS`` (or
  ``AFTER_TOKENS``) where it belongs, and register ``step(ctx, pool, client, user,
  state)`` with ``@_signin.step(name)``; it returns ``_signin.challenge_answer(...)``
  to ask something, or None. ``load_actions`` refuses to start with a step that no
  module handles.
* Per-user settings without a migration: ``user.extra`` (JSON); new tables: append
  a migration to ``_store.MIGRATIONS`` and keep the table's queries in your module.
* Codes: ``_codes.send_code`` (outbox, console, CodeDeliveryDetails) and
  ``_codes.check_code``.
"""
