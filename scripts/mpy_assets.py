"""Put what a ``<script type="mpy">`` page needs into site/ (run by scripts/setup).

    python scripts/mpy_assets.py [--site site]

* site/vendor/micropython/: micropython.mjs and micropython.wasm from the npm package
  @micropython/micropython-webassembly-pyscript (package.json pins it), the interpreter
  that PyScript's ``mpy`` runs; pages point PyScript's ``interpreter`` setting at it.
* site/wheels/pycognito_web-mpy.zip: the client package's .py files (no emulator/, which
  is server-side), slimmed as in the web wheel (scripts/web_wheel.py), which PyScript's
  ``files`` setting unpacks into MicroPython's file system:
  ``"files": {"./wheels/pycognito_web-mpy.zip": "./*"}``.
* site/wheels/pycognito_web-mpy.zip.gz: the same files as a stored (uncompressed) zip,
  gzipped as a whole, which site/mpy-unzip.js fetches and unpacks (site/mpy.html and
  site/mpy-direct.html): smaller, and inflated in one stream.
"""

import argparse
import gzip
import importlib.util
import io
import shutil
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NPM = ROOT / "node_modules" / "@micropython" / "micropython-webassembly-pyscript"
ARCHIVE = "pycognito_web-mpy.zip"
GZ_ARCHIVE = ARCHIVE + ".gz"  # the same files: a stored zip, gzipped whole


def client_files(package):
    """The client's .py files and package data (the ui's CSS), relative to the package's
    parent, sorted."""
    return sorted(
        p.relative_to(package.parent)
        for pattern in ("*.py", "*.css")
        for p in package.rglob(pattern)
        if "emulator" not in p.relative_to(package).parts and "__pycache__" not in p.parts
    )


def _slim_source():
    """scripts/web_wheel.py's slim_source (scripts/ is no package)."""
    spec = importlib.util.spec_from_file_location(
        "web_wheel", Path(__file__).with_name("web_wheel.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.slim_source


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", default=str(ROOT / "site"))
    site = Path(parser.parse_args(argv).site)
    vendor = site / "vendor" / "micropython"
    vendor.mkdir(parents=True, exist_ok=True)
    for name in ("micropython.mjs", "micropython.wasm"):
        if not (NPM / name).is_file():
            sys.exit(f"{NPM / name} is missing: npm ci installs it (package.json)")
        shutil.copy2(NPM / name, vendor / name)
    package = ROOT / "pycognito_web"
    (site / "wheels").mkdir(parents=True, exist_ok=True)
    target = site / "wheels" / ARCHIVE
    slim_source = _slim_source()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for relative in client_files(package):
            # Slimmed as in the web wheel (scripts/web_wheel.py): no docstrings, comments
            # or signature annotations; MicroPython compiles less, the page fetches less.
            source = (package.parent / relative).read_text(encoding="utf-8")
            if relative.suffix == ".py":
                source = slim_source(source, str(relative))
            # A fixed date: the same sources make the same bytes (and the same ETag).
            info = zipfile.ZipInfo(relative.as_posix(), date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, source, compresslevel=9)
    # The same files as a stored zip, gzipped as a whole: what mpy-unzip.js fetches. One
    # gzip stream inflates in a few milliseconds where 25 deflated entries take ~40 ms in
    # the browser (benchmarks/micropython.md), and it is smaller on the wire too.
    with zipfile.ZipFile(target) as deflated:
        entries = [(info, deflated.read(info)) for info in deflated.infolist()]
    stored = io.BytesIO()
    with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as archive:
        for info, data in entries:
            archive.writestr(info, data, compress_type=zipfile.ZIP_STORED)
    gz_target = site / "wheels" / GZ_ARCHIVE
    gz_target.write_bytes(gzip.compress(stored.getvalue(), 9, mtime=0))
    print(
        f"site/vendor/micropython/, site/wheels/{ARCHIVE} ({target.stat().st_size} bytes) "
        f"and {GZ_ARCHIVE} ({gz_target.stat().st_size} bytes)"
    )


if __name__ == "__main__":
    main()
