"""SECURITY.md stays true: every test it names as holding a promise exists."""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
# `path/test_x.py::test_name`, `test_x.py::test_name` (a file found under tests/), and
# `::test_name`, which reuses the file named last before it.
REFERENCE = re.compile(r"`((?:[\w./-]*test_\w+\.py)?)::(\w+)")


def _find(name):
    if "/" in name:
        path = ROOT / name
        return [path] if path.exists() else []
    return sorted(TESTS.rglob(name))


def _references():
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    last = None
    for match in REFERENCE.finditer(text):
        path, test = match.groups()
        last = path or last
        yield last, test


def test_security_md_names_tests():
    assert len(list(_references())) > 40


def test_every_test_security_md_names_exists():
    missing = []
    for path, test in _references():
        files = _find(path) if path else []
        if len(files) != 1:
            missing.append("%s (file %s)" % (test, "not found" if not files else "ambiguous"))
            continue
        source = files[0].read_text(encoding="utf-8")
        if not re.search(r"^(async )?def %s\(" % re.escape(test), source, re.M):
            missing.append("%s::%s" % (path, test))
    assert missing == []
