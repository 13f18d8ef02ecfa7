"""What the unit tests share: a scripted Cognito, fixed randomness, a frozen clock, tokens.

``expect_error`` and ``compat_error`` are the two assertions every bad-call and
bad-answer test goes through: the failure must be a ``CognitoError`` subclass whose
message names the problem, and no ``AttributeError``, ``KeyError`` or ``TypeError``
(raw, or wrapped by the compat layer) may come out of the library.
"""

import asyncio
import base64
import inspect
import json
import traceback

from pycognito_web import CognitoUserPool, MemoryStorage, MockTransport, Response, UserPool, _srp
from pycognito_web._retry import NO_RETRY
from pycognito_web.errors import CognitoError

POOL_ID = "us-east-1_AbCdEf123"
CLIENT_ID = "5u7m1h2k3j4g5f6d7s8a9p0o1i"
NOW = 1746576580.0
PASSWORD = "Pa55-word-NEVER-SHOWN-7a1"
REFRESH = "REFRESH-TOKEN-NEVER-SHOWN-3c9"
SALT = "d4a8b1c7e2f3091a5b6c7d8e9f0a1b2c"
SRP_B = "%x" % pow(2, 0x5EED1234567890ABCDEF, _srp.N)
SECRET_BLOCK = base64.b64encode(bytes(range(64))).decode()
INTERNAL = (AttributeError, KeyError, TypeError, IndexError, NameError, ZeroDivisionError)


def fixed_random(count):
    """Deterministic "random" bytes: 1, 2, ... 255, 1, 2, ..."""
    return bytes(i % 255 + 1 for i in range(count))


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_jwt(payload, header=None, signature=b"not-a-real-signature"):
    """A JWT-shaped string (base64url, no padding); the signature is not checked here."""
    head = header if header is not None else {"kid": "k1", "alg": "RS256"}
    return ".".join(
        [b64url(json.dumps(head).encode()), b64url(json.dumps(payload).encode()), b64url(signature)]
    )


def tokens(now=NOW, ttl=3600, username="alice", marker="", refresh=REFRESH, **extra):
    """An AuthenticationResult with ID, access and refresh tokens issued at ``now``."""
    claims = {"sub": "sub-1", "iat": int(now), "exp": int(now) + ttl, "marker": marker}
    id_claims = dict(claims, token_use="id", aud=CLIENT_ID, **{"cognito:username": username})
    access_claims = dict(claims, token_use="access", client_id=CLIENT_ID, username=username)
    result = {
        "AccessToken": make_jwt(access_claims),
        "ExpiresIn": ttl,
        "IdToken": make_jwt(id_claims),
        "TokenType": "Bearer",
    }
    if refresh is not None:
        result["RefreshToken"] = refresh
    result.update(extra)
    return result


def answer(body=None, status=200, headers=None):
    """A Response: dicts and lists as JSON, str and bytes as they are."""
    if isinstance(body, (dict, list)) or (body is None and status == 200):
        body = json.dumps(body if body is not None else {})
    return Response(status, headers or {}, body if body is not None else b"")


def srp_challenge(user_id="alice", **overrides):
    """InitiateAuth's PASSWORD_VERIFIER answer; ``None`` in overrides drops a parameter."""
    params = {"SALT": SALT, "SECRET_BLOCK": SECRET_BLOCK, "SRP_B": SRP_B,
              "USERNAME": user_id, "USER_ID_FOR_SRP": user_id}  # fmt: skip
    for name, value in overrides.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = value
    return {"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": params}


class Cognito:
    """A scripted service: ``answers`` maps an action to a Response, a list of them
    (served in order), or ``f(body) -> Response``. Requests are kept in ``sent``."""

    def __init__(self, answers=None):
        self.answers = dict(answers or {})
        self.sent = []
        self.requests = []

    def __call__(self, request):
        target = request.headers.get("X-Amz-Target", "")
        action = target.rsplit(".", 1)[-1] if target else request.method + " " + request.url
        body = json.loads(request.body) if request.body else None
        self.sent.append((action, body))
        self.requests.append(request)
        script = self.answers.get(action)
        if script is None:
            raise AssertionError("unexpected request %s" % action)
        if isinstance(script, list):
            if not script:
                raise AssertionError("no answer left for %s" % action)
            script = script.pop(0)
        if callable(script) and not isinstance(script, Response):
            script = script(body)
        if isinstance(script, (dict, list)):
            script = answer(script)
        return script

    def actions(self):
        return [action for action, _ in self.sent]


class RecordingStorage(MemoryStorage):
    """A MemoryStorage that can be compared before and after."""

    def snapshot(self):
        return dict(self._items)


def pool(cognito=None, storage=None, clock=None, **options):
    """A Pythonic UserPool on the scripted service, fixed randomness and a frozen clock.

    Retries are off: these tests read one scripted answer per call (test_retry.py
    covers retrying).
    """
    options.setdefault("retry", NO_RETRY)
    return UserPool(
        POOL_ID,
        CLIENT_ID,
        storage=storage if storage is not None else RecordingStorage(),
        transport=MockTransport(cognito if cognito is not None else Cognito()),
        random_bytes=fixed_random,
        clock=clock or (lambda: NOW),
        **options,
    )


def compat_pool(cognito=None, storage=None, clock=None, **extra):
    """The JavaScript-shaped pool over the same pieces."""
    data = {
        "UserPoolId": POOL_ID,
        "ClientId": CLIENT_ID,
        "Storage": storage if storage is not None else RecordingStorage(),
        "Transport": MockTransport(cognito if cognito is not None else Cognito()),
        "RandomBytes": fixed_random,
        "Clock": clock or (lambda: NOW),
        "Retry": NO_RETRY,
    }
    data.update(extra)
    return CognitoUserPool(data)


def run(awaitable):
    """Await anything (a coroutine, a Pending) on a fresh event loop."""

    async def main():
        return await awaitable

    return asyncio.run(main())


def check_error(error, kind=CognitoError, words=()):
    """A typed error whose message names the problem; not a wrapped internal crash."""
    assert isinstance(error, kind), "expected %s, got %r" % (kind.__name__, error)
    cause = error.__cause__ or error.__context__
    chain = []
    while cause is not None and len(chain) < 10:
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    for link in chain:
        if isinstance(link, INTERNAL):
            raise AssertionError(
                "%r wraps an internal %s: %s" % (error, type(link).__name__, link)
            ) from link
    for internal in INTERNAL:
        assert not error.message.startswith(internal.__name__), error.message
    assert isinstance(error.message, str) and error.message, "an error without a message"
    assert error.code and error.name == error.code
    text = error.message.lower()
    for word in words:
        assert word.lower() in text, "%r does not name %r" % (error.message, word)
    return error


def expect_error(action, *words, kind=CognitoError):
    """Call ``action()`` (awaiting what it returns, if awaitable on a fresh loop) and
    assert it fails with a typed ``kind`` naming ``words``. Returns the error."""
    try:
        result = action()
        if inspect.isawaitable(result):
            result = run(result)
    except CognitoError as error:
        return check_error(error, kind, words)
    except Exception as error:
        raise AssertionError(
            "an untyped %s escaped from the library:\n%s"
            % (type(error).__name__, "".join(traceback.format_exception(error)))
        ) from error
    raise AssertionError("no error; the call gave %r" % (result,))


def compat_error(make_call, *words, kind=CognitoError, node=False, handlers=()):
    """Run a JavaScript-shaped call and assert its failure is delivered exactly once.

    ``make_call(callback)`` makes the call with a recording callback object (or, with
    ``node``, a node-style function). The error may be raised at once (bad callbacks)
    or delivered to ``onFailure``/``callback(err)``; then awaiting the returned
    ``Pending`` must raise that same error. Returns the error.
    """
    deliveries = []

    def record(name):
        return lambda *args: deliveries.append((name, args))

    if node:
        callback = record("callback")
    else:
        callback = {"onSuccess": record("onSuccess"), "onFailure": record("onFailure")}
        for name in handlers:
            callback[name] = record(name)

    async def main():
        try:
            pending = make_call(callback)
        except CognitoError as error:
            return error, True
        try:
            value = await pending
        except CognitoError as error:
            return error, False
        raise AssertionError("no error; the call gave %r after %r" % (value, deliveries))

    try:
        error, raised_at_once = asyncio.run(main())
    except AssertionError:
        raise
    except Exception as error:
        raise AssertionError(
            "an untyped %s escaped from the library:\n%s"
            % (type(error).__name__, "".join(traceback.format_exception(error)))
        ) from error
    check_error(error, kind, words)
    if raised_at_once:
        assert deliveries == [], "raised and also delivered: %r" % deliveries
        return error
    assert len(deliveries) == 1, "delivered %d times: %r" % (len(deliveries), deliveries)
    name, args = deliveries[0]
    assert name in ("onFailure", "callback"), "went to %s, not onFailure" % name
    assert args[0] is error, "the callback got %r, the awaitable raised %r" % (args, error)
    return error
