"""The web build of the wheel (scripts/web_wheel.py): what every page of the demo installs.

It must hold the client only, slimmed, as a valid wheel (RECORD hashes, METADATA at the
``+web`` version), be much smaller than the normal wheel, and behave the same: the
public names are the full package's, and the unit tests pass against it.
"""

import ast
import base64
import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("web_wheel", ROOT / "scripts" / "web_wheel.py")
web_wheel = importlib.util.module_from_spec(spec)
spec.loader.exec_module(web_wheel)

VERSION = "0.1.0"


@pytest.fixture(scope="module")
def wheels(built_wheels):
    """(normal wheel, web wheel), both built from the work tree (tests/conftest.py)."""
    return built_wheels


@pytest.fixture(scope="module")
def extracted(wheels, tmp_path_factory):
    folder = tmp_path_factory.mktemp("web-wheel")
    with zipfile.ZipFile(wheels[1]) as archive:
        archive.extractall(folder)
    return folder


def test_name_and_contents(wheels):
    normal, web = wheels
    assert normal.name == "pycognito_web-%s-py3-none-any.whl" % VERSION
    assert web.name == "pycognito_web-%s+web-py3-none-any.whl" % VERSION
    names = zipfile.ZipFile(web).namelist()
    full = zipfile.ZipFile(normal).namelist()
    # The emulator is a distribution of its own: neither wheel carries a file of it.
    assert not [n for n in full if "emulator" in n]
    assert not [n for n in names if "emulator" in n]
    info = "pycognito_web-%s+web.dist-info/" % VERSION
    assert sorted(n for n in names if n.startswith(info)) == [
        info + n for n in ("METADATA", "RECORD", "WHEEL", "top_level.txt")
    ]
    client = sorted(n for n in full if n.endswith(".py"))
    assert client and sorted(n for n in names if n.endswith(".py")) == client
    # Package data a page needs: the sign-in component's stylesheet, as in the normal wheel.
    data = ["pycognito_web/ui/authenticator.css"]
    assert set(data) <= set(full)
    assert set(names) == set(client) | set(data) | {n for n in names if n.startswith(info)}
    with zipfile.ZipFile(normal) as a, zipfile.ZipFile(web) as b:
        assert a.read(data[0]) == b.read(data[0])  # not slimmed: CSS is not Python


def test_it_is_much_smaller(wheels):
    normal, web = wheels
    # A ceiling against accidents, not the target: benchmarks/ reports what a page
    # downloads. Managed login and the sign-in component (about 20 KB together) ride
    # in every page's download until they become downloads of their own.
    assert web.stat().st_size < 72 * 1024, web.stat().st_size
    # Docstrings, comments and annotations are a third of the client's bytes or more.
    assert web.stat().st_size * 3 < normal.stat().st_size * 2


def test_record_and_metadata_are_valid(wheels):
    _, web = wheels
    info = "pycognito_web-%s+web.dist-info/" % VERSION
    with zipfile.ZipFile(web) as archive:
        rows = [r.split(",") for r in archive.read(info + "RECORD").decode().splitlines()]
        listed = {path for path, _, _ in rows}
        assert listed == set(archive.namelist())
        for path, digest, size in rows:
            if path == info + "RECORD":
                assert (digest, size) == ("", "")
                continue
            data = archive.read(path)
            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            assert digest == "sha256=" + expected.decode(), path
            assert int(size) == len(data), path
        metadata = archive.read(info + "METADATA").decode()
        wheel_file = archive.read(info + "WHEEL").decode()
    headers = dict(line.split(": ", 1) for line in metadata.splitlines())
    assert headers["Name"] == "pycognito-web"
    assert headers["Version"] == "%s+web" % VERSION
    assert "Provides-Extra" not in headers and "Requires-Dist" not in headers
    assert "# pycognito-web" not in metadata  # no README as long description
    assert "Tag: py3-none-any" in wheel_file


def test_sources_are_slim_and_compile(wheels):
    _, web = wheels
    with zipfile.ZipFile(web) as archive:
        for name in archive.namelist():
            if not name.endswith(".py"):
                continue
            source = archive.read(name).decode()
            compile(source, name, "exec", dont_inherit=True)
            assert not [line for line in source.splitlines() if line.lstrip().startswith("#")]
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef):
                    assert ast.get_docstring(node) is None, (name, getattr(node, "name", ""))
                if isinstance(node, ast.arguments):
                    every = node.posonlyargs + node.args + node.kwonlyargs
                    every += [a for a in (node.vararg, node.kwarg) if a]
                    assert not [a.arg for a in every if a.annotation], name
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    assert node.returns is None, name
                assert not (isinstance(node, ast.Name) and node.id == "TYPE_CHECKING"), name


def test_slim_source_keeps_what_runs():
    source = '''"""Module doc."""
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

class Thing:
    """Class doc."""
    size: int = 3  # a class annotation fills __annotations__: kept

    def method(self, value: "Any" = None, *rest: int, key: str = "k", **more) -> "int":
        """Method doc."""
        total: int = len(rest)
        hint: str
        if value:
            """a string statement"""
        return total + self.size

def empty():
    """Only a docstring."""

if not TYPE_CHECKING:  # what runs but checkers should not see: unwrapped
    def hidden():
        return "hidden"

async def run(x: int) -> None:
    async with x as y:
        """doc-like"""
    try:
        pass
    except* ValueError:
        "nothing"
'''
    slim = web_wheel.slim_source(source)
    assert "doc" not in slim and "TYPE_CHECKING" not in slim and "Any" not in slim
    assert "size: int = 3" in slim
    assert "->" not in slim and "value: " not in slim and "key: " not in slim
    assert "\n  a = len(rest)\n" in slim and "hint" not in slim and "total" not in slim
    namespace = {}
    exec(compile(slim, "<slim>", "exec"), namespace)
    thing = namespace["Thing"]()
    assert thing.method(1, 2, 3) == 5 and thing.method() == 3
    assert namespace["Thing"].__annotations__ == {"size": int}
    assert namespace["empty"]() is None
    assert namespace["hidden"]() == "hidden" and "\ndef hidden():" in slim
    assert web_wheel.slim_source('"""Only a docstring."""\n') == ""


def test_slim_source_shortens_only_what_no_one_else_can_see():
    source = """
def outer(keyword, *, flag=False):
    counted = 0
    seen = []
    for element in keyword:
        counted += element
    def inner():
        return seen
    try:
        raise ValueError(counted)
    except ValueError as problem:
        seen.append(problem.args[0])
    return counted, inner(), flag, [square * square for square in keyword]

def dynamic(value):
    result = value + 1
    return locals()

class Box:
    def __init__(self, content):
        self.content = content
    def get(self):
        later = lambda: self.content
        return later()
"""
    slim = web_wheel.slim_source(source)
    # Locals and self shrink; parameters, closures' names and comprehension names stay.
    for gone in ("counted", "element", "problem"):
        assert gone not in slim, slim
    assert "s.content = content" in slim and "def get(self):" in slim
    for kept in ("keyword", "flag", "seen", "square", "result"):
        assert kept in slim, kept
    namespace = {}
    exec(compile(slim, "<slim>", "exec"), namespace)
    assert namespace["outer"](keyword=[1, 2], flag=True) == (3, [3], True, [1, 4])
    assert namespace["dynamic"](1) == {"value": 1, "result": 2}
    assert namespace["Box"](7).get() == 7


def _python(args, cwd, path):
    """Python with ``path`` first on sys.path and neither the work tree nor cwd on it."""
    env = dict(os.environ, PYTHONPATH=str(path))
    return subprocess.run(
        [sys.executable, "-P", *args], cwd=cwd, env=env, capture_output=True, text=True
    )


PUBLIC = """
import json, pycognito_web
names = sorted(pycognito_web.__all__)
resolved = sorted(n for n in names if getattr(pycognito_web, n, None) is not None)
print(json.dumps({"file": pycognito_web.__file__, "all": names, "resolved": resolved,
                  "version": pycognito_web.__version__,
                  "dir": sorted(dir(pycognito_web))}))
"""


def test_it_exposes_the_full_packages_public_names(extracted, tmp_path):
    web = _python(["-c", PUBLIC], tmp_path, extracted)
    assert web.returncode == 0, web.stderr
    full = _python(["-c", PUBLIC], tmp_path, ROOT)
    assert full.returncode == 0, full.stderr
    web, full = json.loads(web.stdout), json.loads(full.stdout)
    assert Path(web["file"]).is_relative_to(extracted)
    assert Path(full["file"]).is_relative_to(ROOT / "pycognito_web")
    assert web["all"] == full["all"] and web["resolved"] == web["all"]
    assert (web["version"], full["version"]) == (VERSION + "+web", VERSION)
    assert web["dir"] == full["dir"]


def test_the_unit_tests_pass_against_it(extracted, tmp_path):
    """The same behaviour: tests/unit and the public API test run on the web build.

    No conftest: tests/conftest.py starts the emulator, which the web build lacks.
    """
    args = [
        "-q",
        "-p",
        "no:cacheprovider",
        "--noconftest",
        "--rootdir",
        str(ROOT),
        "-c",
        str(ROOT / "pyproject.toml"),
        str(ROOT / "tests" / "unit"),
        str(ROOT / "tests" / "test_public_api.py"),
    ]
    script = (
        "import sys, pycognito_web, pytest\n"
        "assert pycognito_web.__file__.startswith(%r), pycognito_web.__file__\n"
        "sys.exit(pytest.main(%r))\n" % (str(extracted), args)
    )
    run = _python(["-c", script], tmp_path, extracted)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert " passed" in run.stdout and " failed" not in run.stdout


def test_the_slimmed_sources_run_under_micropython(extracted, emulator):
    """MicroPython compiles the same slimmed sources (scripts/mpy_assets.py's archive)."""
    node = shutil.which("node")
    assert node, "node is not on the PATH: run scripts/setup"
    run = subprocess.run(
        [
            node,
            str(ROOT / "tests" / "micropython" / "runner.mjs"),
            "--package",
            str(extracted / "pycognito_web"),
            "--env",
            "PYCOGNITO_WEB_TEST_EMULATOR=" + emulator.test_env()["PYCOGNITO_WEB_TEST_EMULATOR"],
            str(ROOT / "tests" / "micropython" / "mpy_test_pythonic.py"),
        ],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert re.search(r"^[1-9]\d* passed, 0 failed$", output, re.M), output
