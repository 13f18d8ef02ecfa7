"""Build the web build of the wheel: what a browser page installs (run by scripts/setup).

    python scripts/web_wheel.py [--wheel dist/pycognito_web-X-py3-none-any.whl] [--out site/wheels]

From the normal wheel it writes ``pycognito_web-X+web-py3-none-any.whl``: the same
distribution at the same version with the PEP 440 local label ``+web``, holding

* the client only (the emulator is a distribution of its own), no ``py.typed``;
* slimmed sources, as min.js is to a JavaScript library: docstrings, comments,
  ``if TYPE_CHECKING:`` blocks and the annotations of function signatures removed (in
  CPython 3.14, Pyodide's, every annotated function compiles an ``__annotate__``), one
  space per indent. What runs is unchanged; tracebacks show the slimmed lines;
* ``__version__`` = the distribution's version (``X+web``); METADATA without the long
  description, and a RECORD with the new files' hashes.

A page downloads and compiles less: a py3-none-any wheel carries no bytecode, so Pyodide
compiles every module it imports from source on each page load. CPython users install
the normal wheel (with the docstrings and annotations).

``slim_source`` is also what scripts/mpy_assets.py writes into the MicroPython archive;
its output must compile on CPython 3.11 to 3.14 and on MicroPython.
"""

import argparse
import ast
import base64
import hashlib
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABEL = "web"
PACKAGE = "pycognito_web"
# Never in what a page downloads: the marker of inline annotations (PEP 561), which the
# slimmed sources no longer carry.
LEFT_OUT = (PACKAGE + "/py.typed",)
# Metadata fields only an index or a reader of the normal wheel uses (the web build is
# never uploaded: indexes take no local versions): its long description, classifiers,
# URLs and keywords, and the license file, which the web build leaves out (a page pays
# for its 4 KB on every cold load; License-Expression stays, and the normal wheel and
# the sdist carry the text). What an installer reads (name, version, Requires-*) stays.
DROPPED_FIELDS = (
    "Provides-Extra", "Description-Content-Type", "License-File", "Classifier", "Project-URL",
    "Keywords",
)


def _is_docstring(node):
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _is_type_checking(node):
    return (
        isinstance(node, ast.If)
        and isinstance(node.test, ast.Name)
        and node.test.id == "TYPE_CHECKING"
        and not node.orelse
    )


def _is_not_type_checking(node):
    """``if not TYPE_CHECKING:`` (what only runs, hidden from checkers): always entered."""
    return (
        isinstance(node, ast.If)
        and isinstance(node.test, ast.UnaryOp)
        and isinstance(node.test.op, ast.Not)
        and isinstance(node.test.operand, ast.Name)
        and node.test.operand.id == "TYPE_CHECKING"
        and not node.orelse
    )


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.ListComp,
           ast.SetComp, ast.DictComp, ast.GeneratorExp)  # fmt: skip
_DYNAMIC = {"locals", "vars", "eval", "exec", "dir"}


def _own_nodes(function):
    """The nodes of a function's body outside any scope nested in it."""
    stack = list(function.body)
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, _SCOPES):
            stack.extend(ast.iter_child_nodes(node))


def _short_names():
    letters = "abcdefghijklmnopqrstuvwxyz"
    yield from letters
    for first in letters:
        for second in letters:
            yield first + second


def _shorten_locals(function):
    """Give a function's plain local variables one- or two-letter names.

    Only names the function itself binds by assignment, ``for``, ``with ... as`` or
    ``except ... as``, and a method's ``self``; never another parameter (callers may
    pass it by keyword), an imported name (renaming those saves nothing once zipped:
    the import line repeats across modules), a ``global``/``nonlocal``, or a name any
    nested scope (function, lambda, class, comprehension) mentions; nothing at all in
    a function that calls ``locals()``, ``eval()`` and the like. Within those bounds a local name is
    invisible outside the function, so the rename changes nothing that runs.
    """
    own = list(_own_nodes(function))
    nested_names = set()
    for node in own:
        if isinstance(node, _SCOPES):
            nested_names.update(n.id for n in ast.walk(node) if isinstance(n, ast.Name))
            nested_names.update(
                a.arg for n in ast.walk(node) if isinstance(n, ast.arguments)
                for a in (*n.posonlyargs, *n.args, *n.kwonlyargs, n.vararg, n.kwarg) if a
            )  # fmt: skip
    names = [n for n in own if isinstance(n, ast.Name)]
    if any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in _DYNAMIC
           for n in own):  # fmt: skip
        return
    args = function.args
    params = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg,
                              args.kwarg) if a}  # fmt: skip
    excluded = params | nested_names
    for node in own:
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            excluded.update(node.names)
    for node in own:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            excluded.update((a.asname or a.name).split(".")[0] for a in node.names)
    bound = {n.id for n in names if isinstance(n.ctx, (ast.Store, ast.Del))}
    handlers = [n for n in own if isinstance(n, ast.ExceptHandler) and n.name]
    bound.update(h.name for h in handlers)
    renamable = sorted(bound - excluded, key=lambda name: (-len(name), name))
    taken = {n.id for n in names} | params | nested_names
    # A method's ``self`` too: it is only ever passed by position (zero-argument
    # super() finds it by position as well).
    first = (args.posonlyargs + args.args)[:1]
    if first and first[0].arg == "self" and "self" not in nested_names and "s" not in taken:
        first[0].arg = "s"
        taken.add("s")
        for node in names:
            if node.id == "self":
                node.id = "s"
    fresh = (name for name in _short_names() if name not in taken)
    mapping = {}
    for name in renamable:
        short = next(fresh)
        if len(short) < len(name):
            mapping[name] = short
    for node in names:
        if node.id in mapping:
            node.id = mapping[node.id]
    for handler in handlers:
        handler.name = mapping.get(handler.name, handler.name)


class _Slimmer(ast.NodeTransformer):
    """Drops what only readers and type checkers use; keeps every run-time effect."""

    def __init__(self):
        self.in_function = 0

    def _body(self, body):
        kept = []
        for node in body:
            # A bare string statement (a docstring, or a string used as a comment)
            # does nothing at run time; nor does a block only type checkers enter.
            if _is_docstring(node) or _is_type_checking(node):
                continue
            if _is_not_type_checking(node):  # always runs: its body, unwrapped
                kept.extend(n for n in node.body if not isinstance(n, ast.Pass))
                continue
            kept.append(node)
        return kept or [ast.Pass()]

    def _block(self, node):
        self.generic_visit(node)
        for field in ("body", "orelse", "finalbody"):
            body = getattr(node, field, None)
            if body:
                setattr(node, field, self._body(body))
        return node

    def visit_Module(self, node):
        self.generic_visit(node)
        node.body = self._body(node.body)
        if node.body and all(isinstance(n, ast.Pass) for n in node.body):
            node.body = []
        return node

    def _function(self, node):
        for arg in (
            *node.args.posonlyargs,
            *node.args.args,
            *node.args.kwonlyargs,
            node.args.vararg,
            node.args.kwarg,
        ):
            if arg is not None:
                arg.annotation = None
        node.returns = None
        self.in_function += 1
        try:
            node = self._block(node)
        finally:
            self.in_function -= 1
        _shorten_locals(node)
        return node

    visit_FunctionDef = visit_AsyncFunctionDef = _function

    def visit_ClassDef(self, node):
        # A class body is not a function body: its annotations stay (they fill the
        # class's __annotations__, which a reader of the class may use).
        saved, self.in_function = self.in_function, 0
        try:
            return self._block(node)
        finally:
            self.in_function = saved

    def visit_AnnAssign(self, node):
        self.generic_visit(node)
        if not self.in_function or not isinstance(node.target, ast.Name):
            return node
        # Inside a function an annotation is never evaluated nor kept: `x: T = v` is
        # `x = v`. A bare `x: T` only makes x local, which the assignment that must
        # follow it (before any read) does too.
        if node.value is None:
            return None
        return ast.copy_location(ast.Assign(targets=[node.target], value=node.value), node)

    visit_If = visit_For = visit_AsyncFor = visit_While = visit_With = _block
    visit_AsyncWith = visit_Try = visit_TryStar = visit_ExceptHandler = _block


def _uses_name(tree, name):
    return any(
        isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)
        for node in ast.walk(tree)
    )


def _drop_unused_flag(tree, name="TYPE_CHECKING"):
    """`TYPE_CHECKING = False` once no `if TYPE_CHECKING:` block is left to read it, and
    the `del TYPE_CHECKING` that keeps it out of a package's public names."""
    if _uses_name(tree, name):
        return

    def is_flag(targets):
        return len(targets) == 1 and isinstance(targets[0], ast.Name) and targets[0].id == name

    tree.body = [
        node
        for node in tree.body
        if not (isinstance(node, (ast.Assign, ast.Delete)) and is_flag(node.targets))
    ]


def _reindent(text):
    """One space per indentation level instead of four.

    ast.unparse writes one statement per line and every string constant as its repr
    (newlines escaped), so each line's leading spaces are indentation and nothing else.
    """
    lines = []
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        if stripped:
            lines.append(" " * ((len(line) - len(stripped)) // 4) + stripped)
    return "\n".join(lines) + "\n" if lines else ""


def slim_source(source, filename="<source>"):
    """The source without docstrings, comments, signature annotations and TYPE_CHECKING
    blocks, one space per indent; raises SyntaxError if ``source`` does not parse."""
    tree = ast.parse(source, filename)
    tree = _Slimmer().visit(tree)
    _drop_unused_flag(tree)
    ast.fix_missing_locations(tree)
    return _reindent(ast.unparse(tree))


def _record_hash(data):
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _web_metadata(text, version):
    """METADATA with the local version, without the emulator's extra and the README."""
    head = text.split("\n\n", 1)[0]  # the headers; the body is the long description
    out = []
    for line in head.splitlines():
        field = line.split(":", 1)[0]
        if field == "Version":
            line = "Version: " + version
        elif field in DROPPED_FIELDS or line == "Dynamic: license-file":
            continue
        elif field == "Requires-Dist" and "extra ==" in line:
            continue
        out.append(line)
    return "\n".join(out) + "\n"


def build(wheel, out_dir, label=LABEL):
    """Write the web build of ``wheel`` into ``out_dir``; returns its path."""
    wheel = Path(wheel)
    match = re.fullmatch(r"([^-]+)-([^-]+)-(py3-none-any)\.whl", wheel.name)
    if not match:
        raise ValueError("not a py3-none-any wheel name: %s" % wheel.name)
    name, version, tag = match.groups()
    if "+" in version:
        raise ValueError("%s already has a local version label" % wheel.name)
    web_version = "%s+%s" % (version, label)
    old_info = "%s-%s.dist-info/" % (name, version)
    new_info = "%s-%s.dist-info/" % (name, web_version)
    target = Path(out_dir) / ("%s-%s-%s.whl" % (name, web_version, tag))
    target.parent.mkdir(parents=True, exist_ok=True)
    files = []
    with zipfile.ZipFile(wheel) as source:
        for info in source.infolist():
            path = info.filename
            if path.endswith("/") or path.startswith(LEFT_OUT):
                continue
            data = source.read(path)
            if path.startswith(old_info):
                short = path[len(old_info) :]
                if short in ("RECORD", "entry_points.txt") or short.startswith("licenses/"):
                    continue  # a new RECORD follows; the license text: see DROPPED_FIELDS
                if short == "METADATA":
                    data = _web_metadata(data.decode("utf-8"), web_version).encode("utf-8")
                path = new_info + short
            elif path.endswith(".py"):
                text = slim_source(data.decode("utf-8"), path)
                if path == PACKAGE + "/_version.py":
                    # __version__ names the version installed, as importlib.metadata does.
                    old, new = "__version__ = %r\n" % version, "__version__ = %r\n" % web_version
                    if text.count(old) != 1:
                        raise ValueError("%s: no %r" % (path, old))
                    text = text.replace(old, new)
                data = text.encode("utf-8")
            files.append((path, data))
    record = "".join("%s,%s,%d\n" % (p, _record_hash(d), len(d)) for p, d in files)
    files.append((new_info + "RECORD", (record + new_info + "RECORD,,\n").encode("utf-8")))
    tmp = target.with_name(target.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path, data in files:
            info = zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=9)
    tmp.replace(target)
    return target


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wheel", help="the normal wheel (default: the one in dist/)")
    parser.add_argument("--out", default=str(ROOT / "dist"), help="folder to write into")
    args = parser.parse_args(argv)
    if args.wheel:
        wheel = Path(args.wheel)
    else:
        found = [
            p for p in (ROOT / "dist").glob(PACKAGE + "-*-py3-none-any.whl") if "+" not in p.name
        ]
        if len(found) != 1:
            sys.exit("expected one %s-*-py3-none-any.whl in dist/, found %s" % (PACKAGE, found))
        wheel = found[0]
    target = build(wheel, args.out)
    print(
        "%s (%d bytes, from %s: %d bytes)"
        % (target, target.stat().st_size, wheel.name, wheel.stat().st_size)
    )


if __name__ == "__main__":
    main()
