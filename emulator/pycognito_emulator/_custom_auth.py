"""Custom authentication: the CUSTOM_AUTH flow and its three Lambda triggers, in Python.

Triggers
--------
A triggers module defines any of these functions (the Lambda handlers of Cognito's
custom authentication, same event shapes, snake_case or Cognito's names)::

    def define_auth_challenge(event, context): ...          # or DefineAuthChallenge
    def create_auth_challenge(event, context): ...          # or CreateAuthChallenge
    def verify_auth_challenge_response(event, context): ... # or VerifyAuthChallengeResponse

Each gets the event dict (``version``, ``region``, ``userPoolId``, ``userName``,
``callerContext {awsSdkVersion, clientId}``, ``triggerSource``, ``request``,
``response``) and returns it with ``response`` filled in (returning None keeps the
event it was given, changed in place). A handler that takes one parameter gets the
event only. ``context`` has ``function_name``, ``aws_request_id`` and
``send_message(destination, code, kind="custom_challenge")``, which puts a code in
the emulator's outbox for the user signing in (what an SES or SNS call would do).

* Define: ``request.session`` is the list of ``{challengeName, challengeResult,
  challengeMetadata}`` so far, ``request.userAttributes``, ``request.clientMetadata``;
  it sets ``response.challengeName`` (``CUSTOM_CHALLENGE``, or ``PASSWORD_VERIFIER``
  after ``SRP_A``), ``response.issueTokens`` or ``response.failAuthentication``.
* Create: ``request.challengeName``, ``request.session``; it sets
  ``response.publicChallengeParameters`` (sent, with USERNAME added),
  ``response.privateChallengeParameters`` (kept) and ``response.challengeMetadata``.
* Verify: ``request.privateChallengeParameters``, ``request.challengeAnswer``; it
  sets ``response.answerCorrect``.

Where triggers come from: the pool's ``"triggers"`` setting in ``--config`` (a module
name on ``sys.path`` or a path to a ``.py`` file, relative to the emulator's working
directory), else ``--triggers`` on the command line. ``example_triggers`` is one. Only
the operator names code to run: the config's setting is kept in ``Settings``, by pool
id, never in the store, and the API cannot set it (``_registry.check_members`` refuses
a member Cognito does not define, so a ``triggers`` member in CreateUserPool or
UpdateUserPool is refused before anything is stored).

Flow: InitiateAuth CUSTOM_AUTH with USERNAME calls Define with an empty session. With
``CHALLENGE_NAME: SRP_A`` and ``SRP_A`` in AuthParameters the session starts with
``{challengeName: SRP_A, challengeResult: true}``; Define answers PASSWORD_VERIFIER,
the usual SRP step follows (``_auth``), and once the password is proved
(the step ``custom_auth``, first in ``_signin.STEPS``) Define is called again
with ``PASSWORD_VERIFIER`` true. RespondToAuthChallenge CUSTOM_CHALLENGE (USERNAME,
ANSWER) calls Verify, appends the result and calls Define again. When Define issues
tokens, the remaining after-password steps run (remembered devices; MFA is skipped
in this flow) and tokens come back.

Choices where Cognito's behaviour is not documented:

* ClientMetadata reaches the triggers from InitiateAuth as well as from
  RespondToAuthChallenge (Cognito documents only the latter for these triggers).
* A wrong password in the SRP step ends the sign-in with NotAuthorizedException
  ``Incorrect username or password.`` without asking Define (as AWS's example
  Define would answer); it counts towards the lockout.
* An unknown user is refused before any trigger runs (UserNotFoundException, or
  NotAuthorizedException with PreventUserExistenceErrors), so ``userNotFound`` is
  always false.
* At most 20 challenges per sign-in; then NotAuthorizedException.
* A trigger that raises: UserLambdaValidationException ``<Trigger> failed with error
  <message>.``; one that returns something unusable: InvalidLambdaResponseException
  ``Unrecognizable lambda output``; no triggers for the pool: InvalidParameterException
  ``Custom auth lambda trigger is not configured for the user pool.``
"""

import hashlib
import importlib
import importlib.util
import inspect
import os
import sys

from . import _accounts, _errors, _signin, _srp_server

NAMES = {
    "DefineAuthChallenge": "define_auth_challenge",
    "CreateAuthChallenge": "create_auth_challenge",
    "VerifyAuthChallengeResponse": "verify_auth_challenge_response",
}
MAX_CHALLENGES = 20
NOT_CONFIGURED = "Custom auth lambda trigger is not configured for the user pool."
UNRECOGNIZABLE = "Unrecognizable lambda output"
_LOADED = {}


# Loading -------------------------------------------------------------------------------


def load(spec):
    """Import a triggers module by name or by ``.py`` path (cached by spec).

    Raises:
        ImportError, OSError, SyntaxError: the module cannot be loaded.
    """
    module = _LOADED.get(spec)
    if module is not None:
        return module
    if spec.endswith(".py") or os.sep in spec or "/" in spec:
        path = os.path.abspath(spec)
        name = "pycognito_web_triggers_%s" % hashlib.sha256(path.encode()).hexdigest()[:12]
        found = importlib.util.spec_from_file_location(name, path)
        if found is None or not os.path.isfile(path):
            raise ImportError("no triggers file at %s" % path)
        module = importlib.util.module_from_spec(found)
        sys.modules[name] = module
        try:
            found.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(name, None)
            raise
    else:
        module = importlib.import_module(spec)
    if not any(callable(_handler(module, trigger)) for trigger in NAMES):
        raise ImportError("%s defines none of %s" % (spec, ", ".join(sorted(NAMES.values()))))
    _LOADED[spec] = module
    return module


def check(settings, store):
    """Load ``--triggers`` and every pool's ``triggers`` now, so that a typo stops the
    emulator at start rather than at the first sign-in.

    Raises:
        ValueError: naming the module that failed and why.
    """
    specs = [getattr(settings, "triggers", None)]
    specs += list((getattr(settings, "pool_triggers", None) or {}).values())
    for spec in specs:
        if spec is None:
            continue
        if not isinstance(spec, str) or not spec:
            raise ValueError("triggers must be a module name or a .py path")
        try:
            load(spec)
        except (ImportError, OSError, SyntaxError) as error:
            raise ValueError("cannot load triggers %s: %s" % (spec, error)) from None


def config_triggers(config, summary):
    """``{pool id: triggers spec}`` for the config's pools that name triggers.

    Args:
        config: the config dict; summary: what ``_config.apply_config`` returned for it
            (the same pools, in the same order, with their ids).
    """
    found = {}
    for request, pool in zip((config or {}).get("pools", []), summary["pools"], strict=False):
        if isinstance(request, dict) and request.get("triggers") is not None:
            found[pool["id"]] = request["triggers"]
    return found


def _handler(module, trigger):
    return getattr(module, NAMES[trigger], None) or getattr(module, trigger, None)


def triggers_for(ctx, pool):
    """The pool's triggers module (its ``triggers`` setting, else ``--triggers``)."""
    by_pool = getattr(ctx.settings, "pool_triggers", None) or {}
    spec = by_pool.get(pool["Id"]) or getattr(ctx.settings, "triggers", None)
    if not spec:
        raise _errors.InvalidParameter(NOT_CONFIGURED)
    try:
        return load(spec)
    except (ImportError, OSError, SyntaxError) as error:
        ctx.print("[triggers] cannot load %s: %s" % (spec, error))
        raise _errors.ServiceError(
            "UnexpectedLambdaException", "The triggers module could not be loaded."
        ) from None


class TriggerContext:
    """The ``context`` argument of a trigger (see the module docstring)."""

    def __init__(self, ctx, pool, user, trigger):
        self._ctx = ctx
        self._pool = pool
        self._user = user
        self.function_name = trigger
        self.aws_request_id = ctx.request_id

    def send_message(self, destination, code, kind="custom_challenge"):
        """Put a code in the outbox for the user signing in (and on the console)."""
        ctx = self._ctx
        ctx.store.add_message(
            self._pool["Id"], self._user.username, kind, str(destination), str(code), ctx.now()
        )
        ctx.print(
            "[outbox] %s code %s for %s in %s, to %s"
            % (kind, code, self._user.username, self._pool["Id"], destination)
        )


def _takes_context(function):
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return True
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in parameters)


def invoke(ctx, pool, client, user, module, trigger, request, response):
    """Run one trigger with Cognito's event shape.

    Returns:
        The ``response`` dict the trigger filled in.

    Raises:
        ServiceError: InvalidParameterException when the module lacks the trigger
            (Define) or UnexpectedLambdaException (Create, Verify);
            UserLambdaValidationException when it raises; InvalidLambdaResponseException
            when it returns no usable event.
    """
    function = _handler(module, trigger)
    if not callable(function):
        if trigger == "DefineAuthChallenge":
            raise _errors.InvalidParameter(NOT_CONFIGURED)
        raise _errors.ServiceError(
            "UnexpectedLambdaException", "%s is not configured for the user pool." % trigger
        )
    event = {
        "version": "1",
        "region": pool["Id"].split("_", 1)[0],
        "userPoolId": pool["Id"],
        "userName": user.username,
        "callerContext": {
            "awsSdkVersion": "aws-sdk-unknown-unknown",
            "clientId": client["ClientId"],
        },
        "triggerSource": "%s_Authentication" % trigger,
        "request": request,
        "response": response,
    }
    context = TriggerContext(ctx, pool, user, trigger)
    try:
        result = function(event, context) if _takes_context(function) else function(event)
    except Exception as error:  # the trigger's own failure, reported as Cognito does
        ctx.print("[triggers] %s raised %s" % (trigger, type(error).__name__))
        raise _errors.ServiceError(
            "UserLambdaValidationException", "%s failed with error %s." % (trigger, error)
        ) from None
    if result is None:
        result = event
    answer = result.get("response") if isinstance(result, dict) else None
    if not isinstance(answer, dict):
        raise _errors.ServiceError("InvalidLambdaResponseException", UNRECOGNIZABLE)
    return answer


# The flow ------------------------------------------------------------------------------


def _request(user, custom, **more):
    request = {
        "userAttributes": dict(user.attributes),
        "session": [dict(item) for item in custom["session"]],
        "clientMetadata": dict(custom.get("metadata") or {}),
        "userNotFound": False,
    }
    request.update(more)
    return request


def _next(ctx, pool, client, user, state):
    """Ask Define what comes next, and do it."""
    custom = state["custom"]
    if len(custom["session"]) > MAX_CHALLENGES:
        raise _errors.NotAuthorized(_errors.INCORRECT_CREDENTIALS)
    module = triggers_for(ctx, pool)
    decided = invoke(
        ctx, pool, client, user, module, "DefineAuthChallenge", _request(user, custom),
        {"challengeName": None, "issueTokens": None, "failAuthentication": None},
    )  # fmt: skip
    if decided.get("failAuthentication") is True:
        raise _errors.NotAuthorized(_errors.INCORRECT_CREDENTIALS)
    if decided.get("issueTokens") is True:
        custom["done"] = True
        custom.pop("srp", None)
        return _signin.after_password(ctx, pool, client, user, state)
    name = decided.get("challengeName")
    if name == "PASSWORD_VERIFIER" and custom.get("srp"):
        return _password_verifier(ctx, pool, client, user, state)
    if name != "CUSTOM_CHALLENGE":
        raise _errors.ServiceError("InvalidLambdaResponseException", UNRECOGNIZABLE)
    created = invoke(
        ctx, pool, client, user, module, "CreateAuthChallenge",
        _request(user, custom, challengeName=name),
        {"publicChallengeParameters": {}, "privateChallengeParameters": {},
         "challengeMetadata": None},
    )  # fmt: skip
    public = created.get("publicChallengeParameters") or {}
    private = created.get("privateChallengeParameters") or {}
    metadata = created.get("challengeMetadata")
    if (
        not isinstance(public, dict)
        or not isinstance(private, dict)
        or not all(isinstance(v, str) for v in list(public.values()) + list(private.values()))
        or not isinstance(metadata, (str, type(None)))
    ):
        raise _errors.ServiceError("InvalidLambdaResponseException", UNRECOGNIZABLE)
    custom["private"] = private
    custom["challenge_metadata"] = metadata
    parameters = dict(public)
    parameters["USERNAME"] = user.username
    return _signin.challenge_answer(ctx, pool, client, user, name, parameters, state)


def _password_verifier(ctx, pool, client, user, state):
    """The SRP step inside CUSTOM_AUTH: the same PASSWORD_VERIFIER as USER_SRP_AUTH."""
    if user.verifier is None:
        raise _errors.NotAuthorized(_errors.INCORRECT_CREDENTIALS)
    b, big_b = _srp_server.server_challenge(user.verifier)
    block = _signin.random_text(48)
    custom = state["custom"]
    state = dict(state, a=custom.pop("srp"), b="%x" % b, B="%x" % big_b)
    custom["awaiting_password"] = True
    parameters = {
        "SALT": user.salt, "SECRET_BLOCK": block, "SRP_B": "%x" % big_b,
        "USERNAME": user.username, "USER_ID_FOR_SRP": user.username,
    }  # fmt: skip
    return _signin.challenge_answer(ctx, pool, client, user, "PASSWORD_VERIFIER", parameters,
                                  state, block)  # fmt: skip


@_signin.step("custom_auth")
def custom_step(ctx, pool, client, user, state):
    """The sign-in step ``custom_auth``: once the SRP step of CUSTOM_AUTH has proved the
    password, Define decides what follows. Other flows, and a finished custom flow,
    pass through."""
    custom = state.get("custom")
    if state.get("flow") != "CUSTOM_AUTH" or not custom or custom.get("done"):
        return None
    if not custom.pop("awaiting_password", False):
        return None
    custom["session"].append(
        {"challengeName": "PASSWORD_VERIFIER", "challengeResult": True, "challengeMetadata": None}
    )
    return _next(ctx, pool, client, user, state)


@_signin.flow("CUSTOM_AUTH", "ALLOW_CUSTOM_AUTH")
def _custom_auth(ctx, pool, client, params, body):
    (username,) = _signin.required(params, "USERNAME")
    srp = params.get("CHALLENGE_NAME") == "SRP_A"
    a = None
    if srp:
        (srp_a,) = _signin.required(params, "SRP_A")
        a = _srp_server.parse_a(srp_a)
        if a is None:
            raise _errors.InvalidParameter("SRP_A is not a valid SRP value.")
    triggers_for(ctx, pool)  # no triggers: refuse before looking at the user
    user = _accounts.find_user(ctx, pool, username)
    _accounts.check_secret_hash(
        client, params.get("SECRET_HASH"), _accounts.user_names(user, username)
    )
    if user is None:
        raise _signin.unknown_user(client)
    _accounts.check_user_usable(user)
    if user.status == "UNCONFIRMED":
        raise _errors.UserNotConfirmed(_errors.USER_NOT_CONFIRMED)
    _accounts.check_not_locked(ctx, user)
    custom = {"session": [], "metadata": body.get("ClientMetadata") or {}}
    if srp:
        custom["session"].append(
            {"challengeName": "SRP_A", "challengeResult": True, "challengeMetadata": None}
        )
        custom["srp"] = "%x" % a
    state = {"flow": "CUSTOM_AUTH", "device_key": params.get("DEVICE_KEY"), "custom": custom}
    return _next(ctx, pool, client, user, state)


@_signin.challenge("CUSTOM_CHALLENGE")
def _custom_challenge(ctx, pool, client, responses, body):
    answer, username = _signin.required(responses, "ANSWER", "USERNAME")
    row = _signin.take_session(ctx, client, "CUSTOM_CHALLENGE", session=body.get("Session"))
    user = ctx.store.get_user_by_sub(row["sub"]) if row["sub"] else None
    named = _accounts.find_user(ctx, pool, username)
    if user is None or named is None or named.sub != user.sub:
        raise _errors.NotAuthorized("Invalid session provided for the user.")
    _accounts.check_secret_hash(
        client, responses.get("SECRET_HASH"), _accounts.user_names(user, username)
    )
    _accounts.check_user_usable(user)
    state = row["state"]
    custom = state["custom"]
    if body.get("ClientMetadata") is not None:
        custom["metadata"] = body["ClientMetadata"]
    if responses.get("DEVICE_KEY") and not state.get("device_key"):
        state["device_key"] = responses["DEVICE_KEY"]
    verified = invoke(
        ctx, pool, client, user, triggers_for(ctx, pool), "VerifyAuthChallengeResponse",
        _request(user, custom, privateChallengeParameters=dict(custom.pop("private", {})),
                 challengeAnswer=answer),
        {"answerCorrect": None},
    )  # fmt: skip
    custom["session"].append(
        {
            "challengeName": "CUSTOM_CHALLENGE",
            "challengeResult": verified.get("answerCorrect") is True,
            "challengeMetadata": custom.pop("challenge_metadata", None),
        }
    )
    return _next(ctx, pool, client, user, state)
