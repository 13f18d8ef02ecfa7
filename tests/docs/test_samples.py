"""The documentation site (docs/, mkdocs.yml) cannot rot:

- every ```python block of every page (and of README.md) runs, in page order in one
  namespace per page, on CPython against the emulator holding the pool, app client and
  user the samples name (docs/samples.md says how); a block the tests cannot run must
  say why just above it (``*Not run by the tests: ...*``, or once for its page:
  ``*Not run by the tests (this page): ...*``);
- ``mkdocs build --strict`` passes, and its API reference shows every public name of
  ``pycognito_web`` and ``pycognito_web.compat``;
- the emulator's reference names every command-line option it has.
"""

import ast
import asyncio
import builtins
import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
import textwrap
import urllib.request
from pathlib import Path

import boto3
import pytest

import pycognito_web
import pycognito_web.compat
from pycognito_emulator.launch import launch

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
POOL_ID = "us-east-1_aB12cDe34"
CLIENT_ID = "7ghr5379orhbo88d52vphda6s9"
ALICE = ("alice", "correct horse battery staple", "alice@example.com")
CONFIG = {
    "region": "us-east-1",
    "pools": [{
        "PoolName": "docs",
        "Id": POOL_ID,
        "AutoVerifiedAttributes": ["email"],
        "Schema": [{"Name": "email", "Required": True}, {"Name": "nickname"}],
        "MfaConfiguration": "OFF",
        "Policies": {"PasswordPolicy": {
            "MinimumLength": 8, "RequireUppercase": False, "RequireLowercase": False,
            "RequireNumbers": False, "RequireSymbols": False}},
        "clients": [{
            "ClientName": "web",
            "ClientId": CLIENT_ID,
            "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH",
                                  "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_CUSTOM_AUTH"],
        }],
    }],
}  # fmt: skip
SKIP_ONE = re.compile(r"^\*Not run by the tests: \S.+")
SKIP_PAGE = re.compile(r"^\*Not run by the tests \(this page\): \S.+", re.M)
FENCE = re.compile(r"^(\s*)```(\w*)\s*$")


def samples(page):
    """[(first line number, code, reason it is not run or None)] of a page's python blocks."""
    lines = page.read_text().splitlines()
    page_reason = SKIP_PAGE.search(page.read_text())
    found, i = [], 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match or not match.group(2):
            i += 1
            continue
        indent, language, start = match.group(1), match.group(2), i
        i += 1
        body = []
        while i < len(lines) and lines[i].strip() != "```":
            body.append(lines[i])
            i += 1
        i += 1
        if language != "python":
            continue
        previous = _paragraph_before(lines, start)
        if previous.startswith("==="):  # a content tab: the marker may stand above it
            previous = _paragraph_before(lines, start - len(previous.splitlines()) - 1)
        reason = None
        if SKIP_ONE.match(previous):
            reason = previous
        elif page_reason:
            reason = page_reason.group(0)
        code = textwrap.dedent("\n".join(line[len(indent):] if line.startswith(indent)
                                         else line for line in body))  # fmt: skip
        found.append((start + 1, code, reason))
    return found


def _paragraph_before(lines, index):
    """The paragraph that ends above ``lines[index]``, its lines joined by spaces."""
    end = index - 1
    while end >= 0 and not lines[end].strip():
        end -= 1
    begin = end
    while begin > 0 and lines[begin - 1].strip() and not FENCE.match(lines[begin - 1]):
        begin -= 1
    return " ".join(line.strip() for line in lines[begin : end + 1])


PAGES = [*sorted(DOCS.rglob("*.md")), ROOT / "README.md"]


@pytest.fixture(scope="module")
def docs_emulator(tmp_path_factory):
    folder = tmp_path_factory.mktemp("docs-emulator")
    (folder / "config.json").write_text(json.dumps(CONFIG))
    running = launch(
        ["--host", "127.0.0.1", "--port", "0", "--data", str(folder / "data.sqlite3"),
         "--config", str(folder / "config.json")],
        timeout=30, cwd=ROOT,
    )  # fmt: skip
    yield running.url
    running.stop()


def _admin(url):
    return boto3.client("cognito-idp", endpoint_url=url, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test")  # fmt: skip


def _fresh_users(url):
    """Every page starts with alice alone in the pool, confirmed, her email verified."""
    idp = _admin(url)
    for user in idp.list_users(UserPoolId=POOL_ID)["Users"]:
        idp.admin_delete_user(UserPoolId=POOL_ID, Username=user["Username"])
    name, password, email = ALICE
    idp.admin_create_user(
        UserPoolId=POOL_ID, Username=name, MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": email},
                        {"Name": "email_verified", "Value": "true"}],
    )  # fmt: skip
    idp.admin_set_user_password(UserPoolId=POOL_ID, Username=name, Password=password,
                                Permanent=True)  # fmt: skip


def _newest_code(url):
    with urllib.request.urlopen(url + "/_emulator/messages", timeout=10) as answer:
        messages = json.load(answer)["messages"]
    assert messages, "a sample asked for a code, and the outbox is empty"
    return messages[-1]["code"]


def _run(code, namespace, where):
    compiled = compile(code, where, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    result = eval(compiled, namespace)
    if asyncio.iscoroutine(result):
        asyncio.run(result)


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_the_pages_python_samples_run(page, docs_emulator, monkeypatch):
    found = samples(page)
    runnable = [(line, code) for line, code, reason in found if reason is None]
    for line, _code, reason in found:
        assert reason is None or len(reason) > 30, "%s:%d: say why it is not run" % (page, line)
    if not runnable:
        # Nothing to run: fine, as long as each python block said why.
        assert all(reason for _, _, reason in found)
        return
    _fresh_users(docs_emulator)
    monkeypatch.setattr("pycognito_web._pool.endpoint_for_region", lambda r: docs_emulator + "/")
    monkeypatch.setattr(builtins, "input", lambda prompt="": _newest_code(docs_emulator))
    namespace = {"__name__": "__docs_sample__"}
    for line, code in runnable:
        with contextlib.redirect_stdout(io.StringIO()):
            try:
                _run(code, namespace, "%s:%d" % (page.relative_to(ROOT), line))
            except Exception as error:
                pytest.fail("%s, the sample at line %d failed: %r\n%s"
                            % (page.relative_to(ROOT), line, error, code))


def test_samples_are_found_and_the_skipped_ones_say_why():
    every = [(page, s) for page in PAGES for s in samples(page)]
    run = [s for _, s in every if s[2] is None]
    assert len(run) >= 10, "the extractor found only %d runnable samples" % len(run)
    # The migration guide's 24 use cases, three faces each, and its imports.
    guide = samples(DOCS / "migration" / "identity-js.md")
    assert len(guide) == 24 * 2 + 1 and all(s[2] for s in guide)


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("docs-site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    if result.returncode != 0:
        pytest.fail("mkdocs build --strict failed:\n" + result.stderr[-5000:])
    return out


def test_the_reference_shows_every_public_name(built_site):
    client = (built_site / "reference" / "client.html").read_text()
    missing = [n for n in pycognito_web.__all__ if n != "__version__"
               and 'id="pycognito_web.%s"' % n not in client]  # fmt: skip
    assert missing == []
    compat = (built_site / "reference" / "compat.html").read_text()
    missing = [n for n in pycognito_web.compat.__all__
               if 'id="pycognito_web.compat.%s"' % n not in compat]  # fmt: skip
    assert missing == []


def test_the_emulator_reference_names_every_option():
    result = subprocess.run([sys.executable, "-m", "pycognito_emulator", "--help"],
                            capture_output=True, text=True, check=True)  # fmt: skip
    options = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", result.stdout)) - {"--help"}
    page = (DOCS / "reference" / "emulator.md").read_text()
    assert options and sorted(o for o in options if "`%s" % o not in page) == []


def test_cdn_urls_name_the_versions_the_tests_run():
    """A page copied from the docs loads the PyScript and Pyodide that the tests ran."""
    package = json.loads((ROOT / "package.json").read_text())
    wanted = {**package.get("dependencies", {}), **package.get("devDependencies", {})}
    text = "\n".join(p.read_text() for p in PAGES)
    pyscript = set(re.findall(r"npm/@pyscript/core@([^/]+)/", text))
    pyodide = set(re.findall(r"cdn\.jsdelivr\.net/pyodide/v([^/]+)/", text))
    assert pyscript == {wanted["@pyscript/core"].lstrip("=^~")}
    assert pyodide == {wanted["pyodide"].lstrip("=^~")}


@pytest.mark.parametrize("broken", ["[a page](nowhere.md)", "[a name][pycognito_web.NoSuchName]"])
def test_a_broken_reference_fails_the_build(tmp_path, broken):
    """What scripts/test runs (mkdocs build --strict) fails on a dead link or API name."""
    shutil.copytree(DOCS, tmp_path / "docs")
    shutil.copy2(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    for name in ("pycognito_web", "emulator"):
        (tmp_path / name).symlink_to(ROOT / name)
    with open(tmp_path / "docs" / "index.md", "a") as page:
        page.write("\nSee %s.\n" % broken)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "out")],
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr[-2000:]
    named = "nowhere.md" if "nowhere" in broken else "pycognito_web.NoSuchName"
    assert named in result.stdout + result.stderr
