"""The Pyodide recipe (packaging/pyodide-recipe/meta.yaml), for proposing the package to
Pyodide's own distribution: pure Python, the current version, the sha256 of the sdist this
tree builds (scripts/sdist.py, reproducible), and test imports that import."""

import hashlib
import importlib
import importlib.util
import tomllib
from pathlib import Path

import yaml

import pycognito_web

ROOT = Path(__file__).resolve().parents[2]
RECIPE = ROOT / "packaging" / "pyodide-recipe" / "meta.yaml"
FIX = "run `.venv/bin/python scripts/sdist.py --update-recipe` and commit meta.yaml"

spec = importlib.util.spec_from_file_location("_sdist_script", ROOT / "scripts" / "sdist.py")
sdist_script = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sdist_script)


def test_it_names_the_current_version_and_the_built_sdists_sha256(tmp_path):
    recipe = yaml.safe_load(RECIPE.read_text())
    sdist = sdist_script.build(tmp_path)
    assert sdist.name == "pycognito_web-%s.tar.gz" % pycognito_web.__version__
    assert str(recipe["package"]["version"]) == pycognito_web.__version__, FIX
    assert recipe["source"]["url"].endswith("/" + sdist.name), FIX
    assert recipe["source"]["sha256"] == hashlib.sha256(sdist.read_bytes()).hexdigest(), FIX


def test_the_sdist_build_is_reproducible(tmp_path):
    first = sdist_script.build(tmp_path / "a").read_bytes()
    second = sdist_script.build(tmp_path / "b").read_bytes()
    assert first == second


def test_it_is_a_pure_python_recipe_with_imports_that_import():
    recipe = yaml.safe_load(RECIPE.read_text())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert recipe["package"]["name"] == project["name"]
    assert recipe["about"]["license"] == project["license"]
    assert recipe["requirements"]["run"] == project["dependencies"] == []
    # No build script, no compiled parts: pyodide-build would make a py3-none-any wheel.
    assert "build" not in recipe or not {"script", "cflags", "ldflags"} & set(recipe["build"])
    imports = recipe["test"]["imports"]
    assert "pycognito_web" in imports and recipe["package"]["top-level"] == ["pycognito_web"]
    for name in imports:
        assert importlib.import_module(name) is not None
