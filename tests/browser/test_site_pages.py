"""The demo's other pages: the <py-script> example and the plain-Pyodide example, and
the consistency of site/pyscript.toml with what scripts/setup put in site/wheels/."""

import tomllib

import pytest
from conftest import ROOT, unique
from playwright.sync_api import expect

import pycognito_web._version

PASSWORD = "Passw0rd!pages"


def test_pyscript_toml_names_the_built_wheels():
    config = tomllib.loads((ROOT / "site" / "pyscript.toml").read_text())
    assert config["interpreter"] == "./vendor/pyodide/pyodide.mjs"
    assert not any("://" in p for p in config["packages"]), "nothing from a CDN"
    version = pycognito_web._version.__version__
    assert "./wheels/pycognito_web-%s+web-py3-none-any.whl" % version in config["packages"]
    for package in config["packages"]:
        assert (ROOT / "site" / package).is_file(), "%s: run scripts/setup" % package
    for source in config["files"]:
        assert (ROOT / "site" / source).is_file(), source


@pytest.mark.browser
def test_py_script_tag_page(demo, console_messages):
    demo.open("/py-script.html")
    expect(demo.page.locator("#who")).to_contain_text("nobody is signed in here")
    demo.shot("10-py-script-tag")
    assert not [m for m in console_messages if m[0] in ("error", "pageerror")]


@pytest.mark.browser
def test_plain_pyodide_page_signs_in(demo, console_messages):
    name = unique("pyo")
    demo.open()
    demo.sign_up(name, PASSWORD)
    page = demo.page
    demo.open("/pyodide.html")
    expect(page.locator("#status")).to_have_text("Nobody is signed in here.")
    page.locator("#sign-in [name=username]").fill(name)
    page.locator("#sign-in [name=password]").fill("nope-Passw0rd")
    page.locator("#sign-in [name=password]").press("Enter")
    expect(page.locator("#error")).to_contain_text("NotAuthorizedException: ")
    page.locator("#sign-in [name=password]").fill(PASSWORD)
    page.locator("#sign-in [name=password]").press("Enter")
    expect(page.locator("#status")).to_have_text("%s is signed in." % name)
    demo.shot("11-plain-pyodide")
    # The same session is the demo's, and the <py-script> page's.
    demo.open("/py-script.html")
    expect(page.locator("#who")).to_contain_text("%s is signed in (token use: id)" % name)
    demo.open()
    demo.expect_view("account")
    bad = [m for m in console_messages if m[0] == "pageerror"]
    assert not bad, bad
