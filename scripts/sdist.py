"""Build the client's sdist reproducibly, and keep the Pyodide recipe naming it.

    python scripts/sdist.py [--out dist]            build dist/pycognito_web-X.tar.gz
    python scripts/sdist.py --update-recipe         ... and write its version and sha256
                                                    into packaging/pyodide-recipe/meta.yaml

The sdist is setuptools' (``python -m build --sdist``) from the release tree (the files git
tracks or would track, copied aside), re-packed so that the same tree always gives the same
bytes: entries sorted, times fixed, owners cleared, gzip without a time stamp. The recipe
pins the sdist's sha256, so it is only right for the exact tree it was written from:
tests/packaging/test_pyodide_recipe.py rebuilds the sdist and fails, naming this command,
whenever the client, README.md, pyproject.toml, LICENSE or CHANGELOG.md changed since.
"""

import argparse
import gzip
import hashlib
import io
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECIPE = ROOT / "packaging" / "pyodide-recipe" / "meta.yaml"
FIXED_TIME = 315532800  # 1980-01-01, as reproducible wheels use


def release_tree(into):
    """Copy the files git tracks or would track (not ignored) into ``into``."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            (into / name).write_bytes(source.read_bytes())


def normalized(sdist_bytes):
    """The same archive with sorted entries, fixed times and no owners."""
    members = []
    with tarfile.open(fileobj=io.BytesIO(sdist_bytes), mode="r:gz") as archive:
        for member in archive.getmembers():
            data = archive.extractfile(member).read() if member.isfile() else None
            members.append((member, data))
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as out:
        for member, data in sorted(members, key=lambda m: m[0].name):
            member.mtime = FIXED_TIME
            member.uid = member.gid = 0
            member.uname = member.gname = ""
            member.mode = 0o755 if member.isdir() else 0o644
            member.pax_headers = {}
            out.addfile(member, io.BytesIO(data) if data is not None else None)
    packed = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=packed, mtime=0) as stream:
        stream.write(raw.getvalue())
    return packed.getvalue()


def build(out_dir):
    """Build the sdist into ``out_dir``; returns its path."""
    with tempfile.TemporaryDirectory(prefix="pycognito-sdist-") as work:
        tree, built = Path(work) / "tree", Path(work) / "out"
        tree.mkdir()
        release_tree(tree)
        command = [sys.executable, "-m", "build", "--sdist", "--no-isolation",
                   "--outdir", str(built), str(tree)]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit("python -m build --sdist failed:\n" + result.stderr[-3000:])
        (sdist,) = built.glob("pycognito_web-*.tar.gz")
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / sdist.name
        target.write_bytes(normalized(sdist.read_bytes()))
        return target


def version_of(sdist):
    match = re.fullmatch(r"pycognito_web-(.+)\.tar\.gz", sdist.name)
    return match.group(1)


def update_recipe(sdist, recipe=RECIPE):
    """Write the sdist's version, file name and sha256 into the recipe."""
    text = recipe.read_text()
    version, digest = version_of(sdist), hashlib.sha256(sdist.read_bytes()).hexdigest()
    text = re.sub(r"(?m)^(  version: ).*$", r"\g<1>" + version, text, count=1)
    text = re.sub(r"(?m)^(  sha256: ).*$", r"\g<1>" + digest, text, count=1)
    text = re.sub(r"pycognito_web-[^/\s]+\.tar\.gz", sdist.name, text)
    recipe.write_text(text)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "dist"))
    parser.add_argument("--update-recipe", action="store_true")
    args = parser.parse_args(argv)
    sdist = build(Path(args.out))
    print("%s sha256 %s" % (sdist, hashlib.sha256(sdist.read_bytes()).hexdigest()))
    if args.update_recipe:
        update_recipe(sdist)
        print("updated %s" % RECIPE.relative_to(ROOT))


if __name__ == "__main__":
    main()
