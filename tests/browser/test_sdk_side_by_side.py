"""The port next to the original: amazon-cognito-identity-js (its dist min.js from npm)
and pycognito-web (its JavaScript-shaped API, in Pyodide) run the same flows in the same
Chromium page against the same emulator.

* the requests each sends: same actions, headers and bodies, but for random values;
* the storage each writes: same keys, same kinds of values;
* interop both ways: a session stored by one is found (and refreshed) by the other;
* during SRP the password is in no request, and no token or password reaches the console;
* randomness comes from crypto.getRandomValues and HTTP from fetch (counted in the page).
"""

import base64
import datetime
import json
import re

import pytest
from conftest import BOOT_TIMEOUT_MS, ROOT, SERVE, unique

import pycognito_web

pytestmark = [pytest.mark.browser, pytest.mark.peer]

PASSWORD = "Passw0rd!side"
HARNESS = ROOT / "tests" / "browser" / "harness.html"
RANDOM_FIELDS = {
    "SRP_A", "TIMESTAMP", "PASSWORD_CLAIM_SIGNATURE", "PASSWORD_CLAIM_SECRET_BLOCK",
    "Session", "ConfirmationCode", "DeviceKey", "Salt", "PasswordVerifier",
}  # fmt: skip
DEVICE_KEYS = (".deviceKey", ".deviceGroupKey", ".randomPasswordKey")
JWT = re.compile(r"^[\w-]+\.[\w-]+\.[\w-]*$")

# Wraps fetch, XMLHttpRequest and crypto.getRandomValues before any page script runs.
COUNTERS = """
window.__calls = {fetch: 0, fetchUrls: [], xhr: 0, random: 0, randomBytes: 0, randomSizes: []};
const realFetch = window.fetch.bind(window);
window.fetch = (input, init) => {
  window.__calls.fetch += 1;
  window.__calls.fetchUrls.push(String(input && input.url || input));
  return realFetch(input, init);
};
const realOpen = XMLHttpRequest.prototype.open;
XMLHttpRequest.prototype.open = function (...args) {
  window.__calls.xhr += 1;
  return realOpen.apply(this, args);
};
const realRandom = crypto.getRandomValues.bind(crypto);
crypto.getRandomValues = (array) => {
  window.__calls.random += 1;
  window.__calls.randomBytes += array.byteLength;
  window.__calls.randomSizes.push(array.byteLength);
  return realRandom(array);
};
"""


class Harness:
    def __init__(self, page, emulator, url):
        self.page = page
        self.emulator = emulator
        self.url = url
        self.requests = []
        config = {
            "UserPoolId": emulator.pool_id,
            "ClientId": emulator.client_id,
            "endpoint": emulator.url + "/",
        }
        page.add_init_script("window.POOL = %s;" % json.dumps(config) + COUNTERS)
        page.on("request", self._on_request)

    def _on_request(self, request):
        if request.url.startswith(self.emulator.url) and request.method == "POST":
            self.requests.append(
                {
                    "action": request.headers.get("x-amz-target", "").rsplit(".", 1)[-1],
                    "headers": {
                        k: v
                        for k, v in request.headers.items()
                        if k in ("content-type", "x-amz-target", "x-amz-user-agent")
                    },
                    "raw": request.post_data or "",
                    "body": json.loads(request.post_data or "{}"),
                }
            )

    def open(self):
        self.page.goto(self.url + "/harness.html")
        self.page.wait_for_selector(
            "body[data-state='ready']", state="attached", timeout=BOOT_TIMEOUT_MS
        )
        return self

    def run(self, sdk, step, *args):
        return self.page.evaluate(
            "([sdk, step, args]) => window[sdk][step](...args)", [sdk, step, list(args)]
        )

    def storage(self):
        return self.page.evaluate("Object.fromEntries(Object.entries(localStorage))")

    def clear(self):
        self.page.evaluate("localStorage.clear()")

    def full_sign_up(self, sdk, name):
        self.run(sdk, "signUp", name, PASSWORD, name + "@example.com")
        self.run(sdk, "confirm", name, self.emulator.last_code(name))


@pytest.fixture(scope="session")
def harness_url(tmp_path_factory):
    """harness.html served beside site/vendor and site/wheels by a real server.

    Not a Playwright route: Chromium refuses requests from a routed (fulfilled) document
    to the loopback emulator (Local Network Access), which a served page may make.
    """
    folder = tmp_path_factory.mktemp("harness")
    (folder / "harness.html").write_text(HARNESS.read_text())
    for name in ("vendor", "wheels"):
        (folder / name).symlink_to(ROOT / "site" / name, target_is_directory=True)
    url, stop = SERVE.start(folder)
    yield url
    stop()


@pytest.fixture
def harness(page, demo_emulator, harness_url):
    return Harness(page, demo_emulator, harness_url).open()


def claims(jwt):
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def normalize(value, name):
    """Replace what differs from run to run (user, random values, tokens) by markers."""
    if isinstance(value, dict):
        return {
            k: "<random>" if k in RANDOM_FIELDS else normalize(v, name) for k, v in value.items()
        }
    if isinstance(value, list):
        return [normalize(v, name) for v in value]
    if isinstance(value, str):
        if JWT.match(value):
            return "<jwt %s>" % sorted(claims(value))
        if len(value) > 200:
            return "<token>"
        return value.replace(name, "<user>")
    return value


def normalized(requests, name):
    """Requests without what legitimately differs.

    * ``X-Amz-User-Agent`` names each SDK (checked separately);
    * a member the caller passed as null: the original sends ``"ValidationData": null``
      when ``signUp`` gets ``null``, the port leaves the member out; Cognito reads both
      as absent.
    """
    out = []
    for r in requests:
        body = {k: v for k, v in r["body"].items() if v is not None}
        headers = {k: v for k, v in r["headers"].items() if k != "x-amz-user-agent"}
        out.append(
            {
                "action": r["action"],
                "headers": headers,
                "body": normalize(body, name),
                "order": list(body),
            }
        )
    return out


def normalize_storage(storage, name):
    out = {}
    for key, value in storage.items():
        key = key.replace(name, "<user>")
        if JWT.match(value):
            value = "<jwt %s>" % sorted(claims(value))
        elif key.endswith(".clockDrift"):
            value = "<int>" if re.fullmatch(r"-?\d+", value) else value
        elif key.endswith(".refreshToken"):
            value = "<refresh token>"
        elif key.endswith(DEVICE_KEYS):
            value = "<device value>" if value else ""
        else:
            value = value.replace(name, "<user>")
        out[key] = value
    return out


def run_flow(harness, sdk, name):
    """Sign up, confirm, sign in, look at the session, sign out; returns what it saw."""
    harness.clear()
    start = len(harness.requests)
    harness.full_sign_up(sdk, name)
    id_token = harness.run(sdk, "signIn", name, PASSWORD)
    stored = harness.storage()
    current = harness.run(sdk, "current")
    harness.run(sdk, "signOut")
    return {
        "requests": harness.requests[start:],
        "stored": stored,
        "after_sign_out": harness.storage(),
        "current": current,
        "id_token": id_token,
    }


def test_same_requests_and_storage_as_the_original(harness):
    js_name, py_name = unique("js"), unique("py")
    js = run_flow(harness, "jsSdk", js_name)
    py = run_flow(harness, "pySdk", py_name)

    js_requests = normalized(js["requests"], js_name)
    py_requests = normalized(py["requests"], py_name)
    actions = [r["action"] for r in js_requests]
    # ConfirmDevice comes in when the pool tracks devices (the demo pool does).
    assert [a for a in actions if a != "ConfirmDevice"] == [
        "SignUp", "ConfirmSignUp", "InitiateAuth", "RespondToAuthChallenge", "RevokeToken",
    ], actions  # fmt: skip
    for mine, theirs in zip(py_requests, js_requests, strict=True):
        assert mine == theirs, json.dumps({"port": mine, "original": theirs}, indent=1)
    # The version of the wheel the page installed (the web build's carries "+web").
    installed = json.loads((ROOT / "site" / "wheels" / "index.json").read_text())
    version = installed["pycognito-web"].split("-")[1]
    assert version.startswith(pycognito_web.__version__), (version, pycognito_web.__version__)
    assert {r["headers"].get("x-amz-user-agent") for r in py["requests"]} == {
        "pycognito-web/" + version
    }

    assert normalize_storage(py["stored"], py_name) == normalize_storage(js["stored"], js_name)
    assert js["current"]["username"] == js_name and js["current"]["valid"]
    assert py["current"]["username"] == py_name and py["current"]["valid"]
    assert claims(py["id_token"])["cognito:username"] == py_name
    assert normalize_storage(py["after_sign_out"], py_name) == normalize_storage(
        js["after_sign_out"], js_name
    )
    assert not [k for k in py["after_sign_out"] if k.endswith("Token")]


def test_storage_interop_both_ways(harness):
    page = harness.page
    js_name, py_name = unique("jsi"), unique("pyi")
    harness.full_sign_up("jsSdk", js_name)
    harness.full_sign_up("jsSdk", py_name)

    # Signed in by the original, found by the port (getCurrentUser, getSession).
    harness.clear()
    id_token = harness.run("jsSdk", "signIn", js_name, PASSWORD)
    found = harness.run("pySdk", "current")
    assert found == {"username": js_name, "valid": True, "idToken": id_token}

    # ... and refreshed by the port once expired: two hours later by the page's clock.
    before = len(harness.requests)
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=2)
    page.clock.set_system_time(later)
    refreshed = harness.run("pySdk", "current")
    assert refreshed["username"] == js_name and refreshed["valid"]
    assert refreshed["idToken"] != id_token
    sent = harness.requests[before:]
    assert [r["body"].get("AuthFlow") for r in sent] == ["REFRESH_TOKEN_AUTH"]
    # The original reads the refreshed session back as valid.
    assert harness.run("jsSdk", "current") == refreshed

    # Signed in by the port, found by the original (back to the real time first: SRP's
    # TIMESTAMP two hours ahead would be refused).
    page.clock.set_system_time(datetime.datetime.now(datetime.UTC))
    harness.clear()
    id_token = harness.run("pySdk", "signIn", py_name, PASSWORD)
    found = harness.run("jsSdk", "current")
    assert found == {"username": py_name, "valid": True, "idToken": id_token}


def test_password_never_sent_and_nothing_secret_in_the_console(harness, console_messages):
    name = unique("sec")
    for sdk in ("jsSdk", "pySdk"):
        harness.clear()
        harness.full_sign_up(sdk, name + sdk)
    harness.requests.clear()
    tokens = []
    for sdk in ("pySdk", "jsSdk"):
        harness.clear()
        tokens.append(harness.run(sdk, "signIn", name + sdk, PASSWORD))
        tokens.extend(v for v in harness.storage().values() if len(v) > 100)
        harness.run(sdk, "current")
    actions = [r["action"] for r in harness.requests if r["action"] != "ConfirmDevice"]
    assert actions == ["InitiateAuth", "RespondToAuthChallenge"] * 2
    encoded = {PASSWORD, json.dumps(PASSWORD)[1:-1], base64.b64encode(PASSWORD.encode()).decode()}
    for request in harness.requests:
        for secret in encoded:
            assert secret not in request["raw"], request["action"]
    console = "\n".join(text for _, text in console_messages)
    assert PASSWORD not in console
    for token in tokens:
        assert token not in console


def test_randomness_from_get_random_values_and_http_from_fetch(harness):
    page = harness.page
    name = unique("rnd")
    harness.full_sign_up("jsSdk", name)
    harness.clear()
    before = page.evaluate("({...window.__calls, fetchUrls: window.__calls.fetchUrls.length})")
    sent = len(harness.requests)
    harness.run("pySdk", "signIn", name, PASSWORD)
    after = page.evaluate("({...window.__calls, fetchUrls: window.__calls.fetchUrls.length})")
    requests = len(harness.requests) - sent
    assert requests >= 2  # InitiateAuth, RespondToAuthChallenge (ConfirmDevice)
    # Every request the port sent went through window.fetch, none through XHR.
    assert after["fetch"] - before["fetch"] == requests
    assert after["xhr"] == before["xhr"]
    # SRP's secret a (128 bytes) came from crypto.getRandomValues.
    assert after["random"] > before["random"]
    assert after["randomBytes"] - before["randomBytes"] >= 128


def test_demo_page_uses_fetch_and_get_random_values(demo):
    """The same, through the demo's UI: every Cognito request by fetch, SRP randomness by
    crypto.getRandomValues."""
    page = demo.page
    page.add_init_script(COUNTERS)
    seen = []
    page.on(
        "request",
        lambda r: seen.append(r.url)
        if r.url.startswith(demo.emulator.url) and r.method == "POST"
        else None,
    )
    demo.open()
    name = unique("fetch")
    demo.sign_up(name, PASSWORD)
    before = page.evaluate("({...window.__calls})")
    posts = len(seen)
    demo.sign_in(name, PASSWORD)
    demo.expect_view("account")
    after = page.evaluate("({...window.__calls})")
    emulator_fetches = [u for u in after["fetchUrls"][len(before["fetchUrls"]) :]
                        if u.startswith(demo.emulator.url)]  # fmt: skip
    cognito_fetches = [u for u in emulator_fetches if "/_emulator/" not in u]
    assert len(cognito_fetches) == len(seen) - posts >= 3  # SRP x2, GetUser
    assert after["xhr"] == 0
    # SRP's secret a: 128 bytes from crypto.getRandomValues, drawn once, by prepare_srp()
    # when the page was ready, and used by the click (no second draw). Nothing else asks
    # for 128 bytes (Pyodide's own seeding: 16 to 256).
    assert after["randomSizes"].count(128) == 1, after["randomSizes"]
