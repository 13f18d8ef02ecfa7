"""What a page compiles before it is ready, and that prepare_srp() leaves the click nothing.

In Pyodide every module of the package is compiled from source on each page load, so
start-up imports are start-up time (benchmarks/results.md, section 3). A page is ready to
sign in after ``import pycognito_web``, ``UserPool(...)`` and ``pool.current_user()``; with
nobody stored that must import only the small set below, the same in a browser and on
CPython (the transport is made with the pool's first request). ``prepare_srp()`` (idle
time before the click) imports what an SRP sign-in runs, the platform's transport with
it, and the sign-in then imports nothing.

Each case runs in a fresh interpreter, on the same package as this test (the work tree,
or the web build when tests/test_web_wheel.py runs the unit tests against it).
"""

import json
import os
import subprocess
import sys

import pycognito_web

PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(pycognito_web.__file__)))

READY = {
    "pycognito_web",
    "pycognito_web._platform",
    "pycognito_web._pool",
    "pycognito_web._storage",
    "pycognito_web._validate",
    "pycognito_web.errors",
}
# The platform's transport, made by prepare_srp() (or the first request).
TRANSPORT = {"browser": "pycognito_web._fetch", "cpython": "pycognito_web._urllib"}
SIGN_IN = {
    "pycognito_web._api",
    "pycognito_web._dates",
    "pycognito_web._portable",
    "pycognito_web._retry",
    "pycognito_web._session",  # session persistence, split out of _user
    "pycognito_web._srp",
    "pycognito_web._tokens",
    "pycognito_web._transport",
    "pycognito_web._user",
    "pycognito_web._version",
    "pycognito_web.flows",
    "pycognito_web.flows.context",
    "pycognito_web.flows.sign_in",
}
STORED_SESSION = {
    "pycognito_web._portable",
    "pycognito_web._session",
    "pycognito_web._tokens",
    "pycognito_web._user",
}

SCRIPT = r"""
import base64, json, sys, time, types

mode = sys.argv[1]
stages = {}

def loaded(stage):
    stages[stage] = sorted(m for m in sys.modules if m.startswith("pycognito_web"))

class Items:
    def __init__(self):
        self.items = {}
    def getItem(self, key):
        return self.items.get(key)
    def setItem(self, key, value):
        self.items[key] = str(value)
    def removeItem(self, key):
        self.items.pop(key, None)

def jwt(claims):
    part = lambda data: base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return part({"alg": "RS256", "kid": "k"}) + "." + part(claims) + ".c2ln"

now = int(time.time())
claims = {"sub": "s", "iat": now, "exp": now + 3600, "cognito:username": "alice"}
storage = Items()
if mode == "browser":  # what _platform finds in Pyodide or PyScript: a js module
    js = types.ModuleType("js")
    js.localStorage = storage
    sys.modules["js"] = js
if mode == "returning":
    prefix = "CognitoIdentityServiceProvider.client."
    storage.setItem(prefix + "LastAuthUser", "alice")
    for name in ("idToken", "accessToken"):
        storage.setItem(prefix + "alice." + name, jwt(dict(claims, token_use=name[:-5])))
    storage.setItem(prefix + "alice.refreshToken", "refresh")

import pycognito_web
loaded("import")
import os
# In a browser the storage is localStorage; the fake js has no crypto.getRandomValues.
options = {"random_bytes": os.urandom} if mode == "browser" else {"storage": storage}
pool = pycognito_web.UserPool("us-east-1_Abc", "client", **options)
loaded("UserPool")
user = pool.current_user()
assert (user is None) == (mode != "returning"), user
loaded("current_user")

if mode != "returning":
    pool.prepare_srp()  # the page's own pool: its transport is made now
    loaded("prepare_srp")
    from pycognito_web._transport import MockTransport, Response

    def cognito(request):
        action = request.headers["X-Amz-Target"].rsplit(".", 1)[-1]
        if action == "InitiateAuth":
            from pycognito_web import _srp
            body = {"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": {
                "SALT": "d4a8b1c7", "SECRET_BLOCK": base64.b64encode(bytes(64)).decode(),
                "SRP_B": "%x" % pow(2, 12345, _srp.N), "USERNAME": "alice",
                "USER_ID_FOR_SRP": "alice"}}
        else:
            body = {"AuthenticationResult": {
                "IdToken": jwt(dict(claims, token_use="id")),
                "AccessToken": jwt(dict(claims, token_use="access")),
                "RefreshToken": "refresh", "ExpiresIn": 3600, "TokenType": "Bearer"}}
        return Response(200, {}, json.dumps(body).encode())

    # The page's pool, as it would be, with the service answered here.
    pool = pycognito_web.UserPool("us-east-1_Abc", "client", transport=MockTransport(cognito),
                                  random_bytes=os.urandom, storage=storage)
    pool.prepare_srp()
    import asyncio
    session = asyncio.run(pool.user("alice").authenticate("Passw0rd!"))
    assert session.is_valid(time.time())
    loaded("sign_in")
print(json.dumps(stages))
"""


def stages(mode):
    env = dict(os.environ, PYTHONPATH=PACKAGE_PARENT)
    run = subprocess.run(
        [sys.executable, "-P", "-c", SCRIPT, mode], env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    return {stage: set(modules) for stage, modules in json.loads(run.stdout).items()}


def test_a_page_ready_to_sign_in_has_imported_only_the_small_set():
    found = stages("browser")
    assert found["current_user"] == READY
    assert found["import"] == found["UserPool"] == found["current_user"]


def test_on_cpython_the_same_set_and_no_transport_before_the_first_request():
    found = stages("cpython")
    assert found["import"] == found["current_user"] == READY


def test_prepare_srp_imports_what_the_sign_in_runs_and_the_click_imports_nothing():
    for mode in ("browser", "cpython"):
        found = stages(mode)
        assert found["prepare_srp"] == READY | SIGN_IN | {TRANSPORT[mode]}, mode
        assert found["sign_in"] == found["prepare_srp"], mode


def test_a_stored_session_brings_user_and_tokens_but_not_the_sign_in():
    found = stages("returning")
    assert found["current_user"] == READY | STORED_SESSION


def test_a_page_that_imports_the_challenge_classes_compiles_no_sign_in():
    # The demo imports them up front, to tell what a sign-in returned.
    script = (
        "import json, sys\n"
        "from pycognito_web import CodeChallenge, CustomChallenge, MfaSetup\n"
        "from pycognito_web import NewPasswordRequired, SelectMfaType\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('pycognito_web'))))\n"
    )
    env = dict(os.environ, PYTHONPATH=PACKAGE_PARENT)
    run = subprocess.run(
        [sys.executable, "-P", "-c", script], env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert set(json.loads(run.stdout)) == READY | {"pycognito_web._challenges"}
