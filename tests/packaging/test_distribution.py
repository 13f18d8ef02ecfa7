"""The client's distribution as PyPI shows it: metadata, LICENSE, CHANGELOG, and an sdist
that builds the same wheel as ``python -m build --wheel`` (same files, same bytes).

The release tree is what git would ship: the tracked and not-ignored files, copied
aside so that nothing is written into the work tree.
"""

import json
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from trove_classifiers import classifiers as KNOWN_CLASSIFIERS

import pycognito_web

ROOT = Path(__file__).resolve().parents[2]


def _build(args, source, out):
    command = [sys.executable, "-m", "build", "--no-isolation", *args, "--outdir", str(out)]
    result = subprocess.run([*command, str(source)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail("%s failed:\n%s\n%s" % (command, result.stdout, result.stderr[-3000:]))
    return result


@pytest.fixture(scope="module")
def release_tree(tmp_path_factory):
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    tree = tmp_path_factory.mktemp("release-tree")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (tree / name).parent.mkdir(parents=True, exist_ok=True)
            (tree / name).write_bytes(source.read_bytes())
    return tree


@pytest.fixture(scope="module")
def builds(release_tree, tmp_path_factory):
    """(wheel from the tree, sdist, wheel built from that sdist)."""
    direct = tmp_path_factory.mktemp("wheel-direct")
    _build(["--wheel"], release_tree, direct)
    sdist_out = tmp_path_factory.mktemp("sdist")
    _build(["--sdist"], release_tree, sdist_out)
    (sdist,) = sdist_out.glob("pycognito_web-*.tar.gz")
    unpacked = tmp_path_factory.mktemp("sdist-unpacked")
    with tarfile.open(sdist) as archive:
        archive.extractall(unpacked, filter="data")
    (source,) = unpacked.iterdir()
    from_sdist = tmp_path_factory.mktemp("wheel-from-sdist")
    _build(["--wheel"], source, from_sdist)
    (wheel_a,) = direct.glob("*.whl")
    (wheel_b,) = from_sdist.glob("*.whl")
    return wheel_a, sdist, wheel_b


def _contents(wheel):
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_sdist_builds_the_same_wheel(builds):
    direct, _, from_sdist = builds
    assert direct.name == from_sdist.name == "pycognito_web-%s-py3-none-any.whl" % (
        pycognito_web.__version__
    )
    a, b = _contents(direct), _contents(from_sdist)
    assert sorted(a) == sorted(b)
    differing = [name for name in a if a[name] != b[name]]
    assert differing == []
    # The wheel is the client alone, with its license.
    info = "pycognito_web-%s.dist-info/" % pycognito_web.__version__
    assert info + "licenses/LICENSE" in a
    assert all(n.startswith(("pycognito_web/", info)) for n in a), sorted(a)


def test_the_sdist_holds_what_a_release_needs(builds):
    _, sdist, _ = builds
    with tarfile.open(sdist) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    for needed in ("LICENSE", "CHANGELOG.md", "README.md", "pyproject.toml", "PKG-INFO",
                   "pycognito_web/__init__.py", "pycognito_web/py.typed"):
        assert needed in names, needed
    assert not [n for n in names if n.startswith(("tests/", "emulator/", "site/"))]


def test_metadata_as_pypi_shows_it(builds):
    direct, _, _ = builds
    info = "pycognito_web-%s.dist-info/METADATA" % pycognito_web.__version__
    metadata = Parser().parsestr(_contents(direct)[info].decode())
    assert metadata["Name"] == "pycognito-web"
    assert metadata["Version"] == pycognito_web.__version__
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata["Requires-Python"] == ">=3.11"
    assert metadata.get_all("Requires-Dist") is None  # no runtime dependencies
    classifiers = metadata.get_all("Classifier")
    assert "Environment :: WebAssembly :: Emscripten" in classifiers
    unknown = [c for c in classifiers if c not in KNOWN_CLASSIFIERS]
    assert unknown == []
    urls = dict(line.split(", ", 1) for line in metadata.get_all("Project-URL"))
    assert set(urls) >= {"Homepage", "Documentation", "Source", "Issues", "Changelog"}
    assert all(u.startswith("https://") for u in urls.values())


def test_python_versions_named_are_the_ones_tested():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    named = sorted(
        c.rsplit(" :: ", 1)[1]
        for c in project["classifiers"]
        if c.startswith("Programming Language :: Python :: 3.")
    )
    # CPython of the test venv, and Pyodide's CPython (its npm package says which).
    pyodide_python = (ROOT / "node_modules" / "pyodide" / "pyodide-lock.json").read_text()
    pyodide_version = json.loads(pyodide_python)["info"]["python"]
    tested = sorted({"%d.%d" % sys.version_info[:2], ".".join(pyodide_version.split(".")[:2])})
    assert named == tested
    assert project["requires-python"] == ">=%d.%d" % sys.version_info[:2]


def test_license_and_changelog():
    text = (ROOT / "LICENSE").read_text()
    assert text.lstrip().startswith("Apache License\n")
    assert "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text
    assert len(text) > 10000  # the whole license, not a pointer to it
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert "## [%s]" % pycognito_web.__version__ in changelog
