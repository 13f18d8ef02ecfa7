"""Smoke test: Chromium boots Pyodide from site/vendor, micropip installs our wheel from
site/wheels, and pycognito_web imports and computes inside the page."""

import json

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

BOOT_TIMEOUT_MS = 120_000


def test_plain_pyodide_page_installs_and_imports(page, console_messages, screenshot_dir):
    response = page.goto("/smoke.html")
    assert response is not None and response.ok, f"GET /smoke.html: {response and response.status}"
    page.wait_for_selector(
        "body[data-state='ready'], body[data-state='error']", timeout=BOOT_TIMEOUT_MS
    )
    page.screenshot(path=str(screenshot_dir / "smoke.png"), full_page=True)
    result = page.evaluate("window.smokeResult")
    assert page.evaluate("document.body.dataset.state") == "ready", (
        f"page failed: {json.dumps(result)}\nconsole: {console_messages}"
    )
    expect(page.locator("#status")).to_contain_text("imported in Pyodide")

    assert result["platform"] == "emscripten"
    assert result["version"]
    assert "site-packages/pycognito_web" in result["file"], result["file"]
    assert result["a_bits"] > 3000
    assert result["timestamp"] == "Thu Jan 1 00:00:00 UTC 1970"
    errors = [m for m in console_messages if m[0] in ("error", "pageerror")]
    assert not errors, errors
