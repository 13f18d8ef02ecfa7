"""The client's layers: every module has a rank, and imports only point down.

``LAYERS`` is the authority on the client's structure (ARCHITECTURE.md describes it and
defers to this table). Each module of ``pycognito_web`` is parsed with ``ast``, and every
import in it is read: at module level, inside functions, and under ``if TYPE_CHECKING:``
(a type is a dependency too). The test fails on

* a module missing from the table (add it, at the rank of what it may import), or a
  table entry that names no module;
* an import of a module of a higher layer;
* a circle of imports, which can only run among modules of one layer;
* an import of the emulator: the client never depends on the server.

A module may import modules of its own layer, as long as no circle closes. Importing a
submodule runs its parent packages too (``from .flows import sign_in`` runs
``flows/__init__``), so those count as imports, except a package the importer is inside
(it is running already); so the root package only counts when a module imports a name
from it (``from . import __version__``).
"""

import ast
import os

import pycognito_web

PACKAGE = "pycognito_web"
ROOT = os.path.dirname(os.path.abspath(pycognito_web.__file__))

# Bottom first. ``name.*`` is every module below the package ``name`` (so new modules of
# flows/ and compat/ fit without a new row); ``pycognito_web`` is the package itself.
LAYERS = (
    # Runtime facts and leaves: they import nothing from the package.
    ("platform", ("_platform", "_dates", "_version", "errors", "_portable")),
    # The seams: requests and responses, storage keys, argument checks.
    ("seams", ("_transport", "_storage", "_validate")),
    # Pure mechanisms over arguments, and the real transports.
    ("core", ("_srp", "_tokens", "_verify", "_retry", "_cookies", "_fetch", "_urllib", "_oauth")),
    # Cognito's JSON protocol and the async caller.
    ("protocol", ("_api",)),
    # Every request body and response reader, sans-I/O.
    ("flows", ("flows", "flows.*")),
    # The Pythonic face's objects: users, challenges, identity-pool credentials.
    ("face", ("_challenges", "_session", "_user", "_identity", "_redirect", "_oauth_native")),
    # The entry point that chooses the defaults and makes users.
    ("pool", ("_pool",)),
    # The JavaScript-shaped face over the Pythonic one.
    ("compat", ("compat", "compat.*")),
    # What `import pycognito_web` runs: the public names.
    ("package", (PACKAGE, "oauth")),
    # The sign-in component, over the public names only; nothing imports it.
    ("ui", ("ui", "ui.*")),
)


def client_modules():
    """Every module of the package, by dotted name, with its file."""
    found = {}
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            relative = os.path.relpath(os.path.join(folder, name), ROOT)[: -len(".py")]
            parts = [PACKAGE, *relative.split(os.sep)]
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = os.path.join(folder, name)
    return found


def rank_of(module):
    """The layer index of a module, or None when the table lacks it."""
    short = module[len(PACKAGE) + 1 :] if module != PACKAGE else PACKAGE
    for index, (_, entries) in enumerate(LAYERS):
        for entry in entries:
            if entry == short or (entry.endswith(".*") and short.startswith(entry[:-1])):
                return index
    return None


def _absolute(module, is_package, level, target):
    """The absolute name of ``from <level dots><target> import ...`` written in ``module``."""
    if not level:
        return target
    base = module.split(".")
    if not is_package:
        base.pop()
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join(base + ([target] if target else []))


def _with_parents(module, target, modules):
    """The imported module and the parent packages that importing it runs: not the
    root, nor a package the importer is inside (it is running already)."""
    parts = target.split(".")
    out = [target] if target in modules else []
    for end in range(2, len(parts)):
        name = ".".join(parts[:end])
        if name in modules and not (module + ".").startswith(name + "."):
            out.append(name)
    return out


def imports_of(module, path, modules):
    """``(line, imported name, what the source says)`` for every import in a module."""
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), path)
    is_package = path.endswith("__init__.py")
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append((node.lineno, alias.name, "import " + alias.name))
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, is_package, node.level, node.module)
            said = "from %s%s import ..." % ("." * node.level, node.module or "")
            for alias in node.names:
                submodule = base + "." + alias.name
                found.append((node.lineno, submodule if submodule in modules else base, said))
    edges = []
    for line, target, said in sorted(set(found)):
        if target == "pycognito_emulator" or target.startswith("pycognito_emulator."):
            edges.append((line, target, said))
        elif target == PACKAGE:
            edges.append((line, PACKAGE, said))
        elif target.startswith(PACKAGE + "."):
            for name in _with_parents(module, target, modules):
                if name != module and (line, name, said) not in edges:
                    edges.append((line, name, said))
    return edges


def graph():
    modules = client_modules()
    return modules, {m: imports_of(m, path, modules) for m, path in modules.items()}


def test_every_module_has_a_rank_and_every_entry_a_module():
    modules, _ = graph()
    missing = sorted(m for m in modules if rank_of(m) is None)
    assert not missing, (
        "modules missing from LAYERS in tests/unit/test_client_layers.py: %s. Add each to the "
        "layer of what it may import (and describe it in ARCHITECTURE.md)" % missing
    )
    short = {m[len(PACKAGE) + 1 :] if m != PACKAGE else PACKAGE for m in modules}
    stale = [
        entry
        for _, entries in LAYERS
        for entry in entries
        if not entry.endswith(".*") and entry not in short
    ]
    assert not stale, "LAYERS names modules that do not exist: %s" % stale


def test_imports_point_down_or_sideways():
    modules, edges = graph()
    wrong = []
    for module in sorted(modules):
        rank = rank_of(module)
        for line, target, said in edges[module]:
            if target.split(".")[0] == "pycognito_emulator":
                wrong.append("%s:%d %s: the client never imports the emulator" % (
                    module, line, said))
                continue
            if rank is None or rank_of(target) is None:
                continue  # reported by the test above
            if rank_of(target) > rank:
                wrong.append("%s (%s):%d %s imports %s (%s), a higher layer" % (
                    module, LAYERS[rank][0], line, said, target, LAYERS[rank_of(target)][0]))
    assert not wrong, "imports that point up:\n" + "\n".join(wrong)


def find_circle(edges):
    """One circle of imports as a list of modules (first == last), or None."""
    state = {}
    stack = []

    def visit(module):
        state[module] = "open"
        stack.append(module)
        for _, target, _ in edges.get(module, ()):
            if target not in edges:
                continue
            if state.get(target) == "open":
                return [*stack[stack.index(target) :], target]
            if target not in state:
                circle = visit(target)
                if circle:
                    return circle
        stack.pop()
        state[module] = "done"
        return None

    for module in sorted(edges):
        if module not in state:
            circle = visit(module)
            if circle:
                return circle
    return None


def test_no_circle_of_imports():
    _, edges = graph()
    circle = find_circle(edges)
    assert circle is None, "a circle of imports: " + " -> ".join(circle)


# -- the checker itself -------------------------------------------------------------------


def test_the_checker_sees_function_local_and_relative_imports(tmp_path):
    package = tmp_path / PACKAGE
    (package / "flows").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "_srp.py").write_text("def f():\n    from . import _platform\n")
    (package / "_platform.py").write_text("def g():\n    from ._srp import f\n")
    (package / "_api.py").write_text("from . import __version__\n")
    (package / "flows" / "__init__.py").write_text("")
    sign_in = "from .. import _srp\nfrom . import context, NOW\n"
    (package / "flows" / "sign_in.py").write_text(sign_in)
    (package / "_pool.py").write_text("from .flows import sign_in\n")
    (package / "flows" / "context.py").write_text("")
    modules = {
        "pycognito_web": package / "__init__.py",
        "pycognito_web._srp": package / "_srp.py",
        "pycognito_web._platform": package / "_platform.py",
        "pycognito_web._api": package / "_api.py",
        "pycognito_web._pool": package / "_pool.py",
        "pycognito_web.flows": package / "flows" / "__init__.py",
        "pycognito_web.flows.sign_in": package / "flows" / "sign_in.py",
        "pycognito_web.flows.context": package / "flows" / "context.py",
    }
    edges = {m: imports_of(m, str(p), modules) for m, p in modules.items()}
    targets = {m: sorted(t for _, t, _ in e) for m, e in edges.items()}
    assert targets["pycognito_web._platform"] == ["pycognito_web._srp"]  # in a function
    assert targets["pycognito_web._api"] == ["pycognito_web"]  # a name of the package
    # A name of its own package counts; that package running already does not.
    assert targets["pycognito_web.flows.sign_in"] == [
        "pycognito_web._srp",
        "pycognito_web.flows",
        "pycognito_web.flows.context",
    ]
    # A submodule from outside its package runs the package too.
    assert targets["pycognito_web._pool"] == ["pycognito_web.flows", "pycognito_web.flows.sign_in"]
    assert find_circle(edges) in (
        ["pycognito_web._platform", "pycognito_web._srp", "pycognito_web._platform"],
        ["pycognito_web._srp", "pycognito_web._platform", "pycognito_web._srp"],
    )
    assert rank_of("pycognito_web._platform") < rank_of("pycognito_web._srp")
    assert rank_of("pycognito_web._api") < rank_of("pycognito_web")


def test_the_table_ranks_new_flows_and_compat_modules():
    assert rank_of("pycognito_web.flows.some_new_area") == rank_of("pycognito_web.flows")
    assert rank_of("pycognito_web.compat._new") == rank_of("pycognito_web.compat")
    assert rank_of("pycognito_web._nothing_like_it") is None


def test_architecture_md_names_every_layer_and_module_of_the_table():
    # The repository's, beside tests/ (the package under test may be the web build).
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(os.path.dirname(os.path.dirname(here)), "ARCHITECTURE.md")
    with open(path, encoding="utf-8") as handle:
        rows = [line for line in handle if line.startswith("| ")]
    described = {}
    for row in rows:
        cells = [cell.strip() for cell in row.strip().strip("|").split("|")]
        described[cells[0]] = cells[1] if len(cells) > 1 else ""
    for layer, entries in LAYERS:
        assert layer in described, "ARCHITECTURE.md's table lacks the layer %s" % layer
        for entry in entries:
            assert "`%s`" % entry in described[layer], (
                "ARCHITECTURE.md does not list `%s` in the %s layer" % (entry, layer)
            )
