"""A PyScript page that names the package, ``packages = ["pycognito-web"]``, and a
PyPI-shaped index (``index_urls``, PyScript's micropip setting) over the built wheel, as a
user's page would, in Chromium: PyScript installs the web build by name before the page's
Python runs.

The page lives in a throw-away folder served beside site/'s vendor/ and wheels/ (links),
so it is exactly what a user writes, with local files instead of a CDN.
"""

import functools
import threading
import urllib.parse

from conftest import BOOT_TIMEOUT_MS, ROOT, SERVE

PAGE = """<!doctype html>
<html><head><meta charset="utf-8">
<script type="module" src="./vendor/pyscript/core.js"></script></head>
<body data-state="loading">
<script type="py" config="./pyscript.toml">
import importlib.metadata
import js
import pycognito_web
pool = pycognito_web.UserPool("us-east-1_aB12cDe34", "7ghr5379orhbo88d52vphda6s9")
js.document.body.dataset.version = importlib.metadata.version("pycognito-web")
js.document.body.dataset.region = pool.region
js.document.body.dataset.state = "ready"
</script>
</body></html>
"""

CONFIG = """interpreter = "./vendor/pyodide/pyodide.mjs"
packages = ["pycognito-web"]
index_urls = ["%s/wheels/simple"]
packages_cache = "never"
"""


def test_pyscript_installs_it_by_name_from_an_index(page, tmp_path, console_messages):
    (tmp_path / "vendor").symlink_to(ROOT / "site" / "vendor")
    (tmp_path / "wheels").symlink_to(ROOT / "site" / "wheels")
    server = SERVE.make_server(tmp_path, "127.0.0.1", 0, quiet=True)
    asked = []
    handler = server.RequestHandlerClass

    class Recording(handler.func):
        def log_request(self, code="-", size="-"):
            asked.append(urllib.parse.unquote(self.path))

    server.RequestHandlerClass = functools.partial(Recording, *handler.args, **handler.keywords)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = "http://127.0.0.1:%d" % server.server_address[1]
    try:
        (tmp_path / "index.html").write_text(PAGE)
        (tmp_path / "pyscript.toml").write_text(CONFIG % url)
        failed = []
        page.on("response", lambda r: r.status >= 400 and failed.append((r.url, r.status)))
        page.goto(url + "/index.html")
        ready = "body[data-state='ready']"
        page.wait_for_selector(ready, state="attached", timeout=BOOT_TIMEOUT_MS)
        (web_wheel,) = (ROOT / "site" / "wheels").glob("pycognito_web-*+web-py3-none-any.whl")
        assert page.locator("body").get_attribute("data-version") == web_wheel.name.split("-")[1]
        assert page.locator("body").get_attribute("data-region") == "us-east-1"
        assert "/wheels/simple/pycognito-web/" in asked
        assert "/wheels/" + web_wheel.name in asked
        assert [f for f in failed if not f[0].endswith("/favicon.ico")] == []
        assert not [m for m in console_messages if m[0] == "pageerror"]
    finally:
        server.shutdown()
        server.server_close()
