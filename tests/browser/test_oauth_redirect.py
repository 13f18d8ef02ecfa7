"""The redirect sign-in in Chromium: a Pyodide page goes to the emulator's managed login,
a person signs in on its page, and the page, loaded again with the code, completes the
sign-in (tokens in localStorage under the original SDK's keys, the code gone from the
address bar). Then the login page refuses to be framed by the app's origin."""

import importlib.util
import json
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
BOOT_TIMEOUT_MS = 120_000
PASSWORD = "Corr3ct-Horse-Battery!"

# The app's callback page: boots Pyodide, installs the wheel, then either completes a
# redirect sign-in (the URL has a code) or starts one.
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>redirect sign-in</title><link rel="icon" href="data:,"></head>
<body data-state="loading"><p id="status">Loading…</p>
<script type="module">
import { loadPyodide } from "./vendor/pyodide/pyodide.mjs";
const status = document.getElementById("status");
try {
  const pyodide = await loadPyodide({ indexURL: new URL("./vendor/pyodide/", location.href).href });
  await pyodide.loadPackage("micropip", { messageCallback: () => {} });
  const wheels = await (await fetch("./wheels/index.json")).json();
  const wheel = new URL("./wheels/" + wheels["pycognito-web"], location.href).href;
  await pyodide.pyimport("micropip").install(wheel);
  window.appConfig = %(config)s;
  const answer = await pyodide.runPythonAsync(`
import json, js
from pycognito_web import UserPool
from pycognito_web.oauth import OAuthConfig, complete_sign_in_with_redirect, sign_in_with_redirect
c = js.window.appConfig
pool = UserPool(c.pool_id, c.client_id, endpoint=c.endpoint)
config = OAuthConfig(c.domain, c.callback, None, ["openid", "email"])
result = await complete_sign_in_with_redirect(pool, config)
if result is None:
    await sign_in_with_redirect(pool, config, custom_state="/after")
    answer = "leaving"
else:
    answer = json.dumps({"user": result.user.username, "custom_state": result.custom_state,
                         "current": pool.current_user().username})
answer
`);
  if (answer !== "leaving") {
    window.signInResult = JSON.parse(answer);
    status.textContent = "Signed in as " + window.signInResult.user;
    document.body.dataset.state = "signed-in";
  }
} catch (err) {
  window.signInResult = { error: String(err && err.message || err) };
  status.textContent = "Failed: " + window.signInResult.error;
  document.body.dataset.state = "error";
}
</script></body></html>
"""


def _unique(name):
    return "%s-%s" % (name, uuid.uuid4().hex[:8])


def _serve_module():
    spec = importlib.util.spec_from_file_location(
        "_oauth_site_server", ROOT / "scripts" / "serve.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def app_site(tmp_path_factory):
    """The app's own origin: the callback page, with site/'s Pyodide and wheels beside it.
    A real file, because the browser reaches it by the emulator's redirect, which
    Playwright's routes do not see."""
    folder = tmp_path_factory.mktemp("oauth-app")
    for name in ("vendor", "wheels"):
        (folder / name).symlink_to(ROOT / "site" / name, target_is_directory=True)
    url, stop = _serve_module().start(str(folder))
    yield folder, url
    stop()


@pytest.fixture
def app(emulator, app_site):
    folder, site_url = app_site
    idp = boto3.client(
        "cognito-idp", region_name="us-east-1", endpoint_url=emulator.url,
        aws_access_key_id="test", aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}),
    )  # fmt: skip
    pool_id = idp.create_user_pool(PoolName=_unique("browser-oauth"))["UserPool"]["Id"]
    domain = _unique("app")
    idp.create_user_pool_domain(Domain=domain, UserPoolId=pool_id)
    callback = site_url + "/oauth-app.html"
    client = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="spa", CallbackURLs=[callback],
        AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email"], SupportedIdentityProviders=["COGNITO"],
        ExplicitAuthFlows=["ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]  # fmt: skip
    username = _unique("ada")
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "ada@example.com"}],
    )
    idp.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=PASSWORD,
                                Permanent=True)  # fmt: skip
    config = {"pool_id": pool_id, "client_id": client["ClientId"], "endpoint": emulator.url,
              "domain": "%s/%s" % (emulator.url, domain), "callback": callback}  # fmt: skip
    (folder / "oauth-app.html").write_text(PAGE % {"config": json.dumps(config)})
    return {"config": config, "username": username, "callback": callback, "site": site_url}


def test_redirect_sign_in_from_a_pyodide_page(page, app, console_messages, screenshot_dir):
    page.goto(app["callback"])
    # The page boots, keeps state and verifier, and leaves for managed login.
    page.wait_for_url("**/login?*", timeout=BOOT_TIMEOUT_MS)
    assert page.url.startswith(app["config"]["domain"] + "/login?")
    page.screenshot(path=str(screenshot_dir / "oauth-login.png"), full_page=True)
    page.fill("#username", app["username"])
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("body[data-state='signed-in'], body[data-state='error']",
                           timeout=BOOT_TIMEOUT_MS)  # fmt: skip
    result = page.evaluate("window.signInResult")
    assert page.evaluate("document.body.dataset.state") == "signed-in", "%s\nconsole: %s" % (
        result,
        console_messages,
    )
    assert result == {"user": app["username"], "custom_state": "/after",
                      "current": app["username"]}  # fmt: skip
    assert page.url == app["callback"]  # code and state cleaned by history.replaceState
    prefix = "CognitoIdentityServiceProvider.%s." % app["config"]["client_id"]
    stored = page.evaluate("Object.keys(localStorage)")
    assert prefix + "LastAuthUser" in stored
    assert prefix + app["username"] + ".idToken" in stored
    assert not [key for key in stored if "oauth" in key.lower()]
    page.screenshot(path=str(screenshot_dir / "oauth-signed-in.png"), full_page=True)


def test_the_login_page_cannot_be_framed(page, app):
    query = urllib.parse.urlencode({
        "client_id": app["config"]["client_id"], "response_type": "code",
        "redirect_uri": app["callback"], "code_challenge": "A" * 43,
        "code_challenge_method": "S256",
    })  # fmt: skip
    login = app["config"]["domain"] + "/login?" + query
    assert "username" in urllib.request.urlopen(login, timeout=30).read().decode()
    framing = "<!doctype html><iframe id=f src='%s'></iframe>" % login
    page.route(
        "**/framing.html", lambda route: route.fulfill(body=framing, content_type="text/html")
    )
    page.goto(app["site"] + "/framing.html")
    page.wait_for_timeout(1500)  # the frame's load is refused, not slow
    assert page.frame_locator("#f").locator("#username").count() == 0
