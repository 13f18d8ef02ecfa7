"""The emulator's layers, as emulator/ARCHITECTURE.md draws them: every module imports only
from its own layer or the ones below, and no imports close a circle (function-local imports
included); and no module grows past what a reader takes in at once."""

import ast
import pathlib

import pycognito_emulator

PACKAGE = pathlib.Path(pycognito_emulator.__file__).parent
# Lowest first. A module named nowhere is an action module: new action modules need no entry.
LAYERS = (
    ("foundations", {
        "__init__", "_errors", "_context", "_registry", "_request_members", "_config", "_store",
        "_filemodes", "_tables",
        "_tokens", "_group_claims", "_srp_server", "_sigv4", "_sigv4_request",
        "_sigv4_canonical", "_http",
    }),
    ("helpers", {"_accounts", "_attributes", "_codes", "_sessions", "_existence"}),
    ("pipeline", {"_signin"}),
    ("actions", None),
    ("server", {"_app", "server", "__main__", "launch"}),
)  # fmt: skip


# A module longer than this is split along a seam a reader would name. The generated table
# of request members is data, not code to read.
MAX_LINES = 500
GENERATED = {"_request_members"}


def _modules():
    return {path.stem: path for path in sorted(PACKAGE.glob("*.py"))}


def _rank(name):
    for rank, (_, members) in enumerate(LAYERS):
        if members is not None and name in members:
            return rank
    return [layer for layer, _ in LAYERS].index("actions")


def _imports(path):
    """The package's modules that ``path`` imports, anywhere in the file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                parts = node.module.split(".") if node.module else []
            elif node.level == 0 and (node.module or "").split(".")[0] == "pycognito_emulator":
                parts = node.module.split(".")[1:]
            else:
                continue
            found.update(parts[:1] or [alias.name for alias in node.names])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "pycognito_emulator" and len(parts) > 1:
                    found.add(parts[1])
    return found


def test_the_layer_table_names_real_modules():
    modules = _modules()
    named = set().union(*(members for _, members in LAYERS if members is not None))
    assert sorted(named - set(modules)) == []
    assert {"_signin", "_auth", "_app"} <= set(modules)


def test_imports_point_down():
    modules = _modules()
    upward = []
    for name, path in modules.items():
        for target in sorted(_imports(path)):
            assert target in modules, "%s imports %s, which does not exist" % (name, target)
            if _rank(target) > _rank(name):
                upward.append("%s (%s) -> %s (%s)" % (
                    name, LAYERS[_rank(name)][0], target, LAYERS[_rank(target)][0]))  # fmt: skip
    assert upward == []


def test_no_import_closes_a_circle():
    graph = {name: _imports(path) for name, path in _modules().items()}
    circles = []

    def visit(name, path, done):
        if name in path:
            circles.append(" -> ".join([*path[path.index(name) :], name]))
            return
        if name in done:
            return
        for target in sorted(graph.get(name, ())):
            visit(target, [*path, name], done)
        done.add(name)

    done = set()
    for name in sorted(graph):
        visit(name, [], done)
    assert circles == []


def test_no_module_is_over_the_line_limit():
    modules = _modules()
    assert GENERATED <= set(modules), "the generated modules %s must exist" % sorted(GENERATED)
    # Every .py file, whatever folder: a subpackage must not hide a long module.
    paths = sorted(PACKAGE.rglob("*.py"))
    assert paths, "no emulator modules found under %s" % PACKAGE
    too_long = []
    for path in paths:
        name = path.relative_to(PACKAGE).with_suffix("").as_posix()
        if name in GENERATED:
            continue
        with path.open(encoding="utf-8") as file:
            count = sum(1 for _ in file)
        if count > MAX_LINES:
            too_long.append("%s.py has %d lines (the limit is %d)" % (name, count, MAX_LINES))
    assert too_long == [], "split these modules: " + "; ".join(too_long)
