"""A small static file server for site/, with the MIME types Pyodide and PyScript need.

    python scripts/serve.py [--host 127.0.0.1] [--port 8000] [--dir site]

``python -m http.server`` takes its types from the machine's mime.types, which may lack
``.mjs`` or ``.wasm`` (WebAssembly.instantiateStreaming refuses anything but
application/wasm, and module scripts refuse anything but JavaScript). This one sets them,
and serves files compressed and cacheable: gzip where it pays (Pyodide's wasm and
stdlib, JavaScript, JSON; compressed once per file version, kept under .cache/serve-gzip/),
an ETag per file version, ``Cache-Control: max-age=3600`` for site/vendor/ (Pyodide,
PyScript, MicroPython, the original SDK: copied by scripts/setup, immutable per version)
and ``no-cache`` for the rest, which the browser keeps and revalidates on each use (a 304
without a body), so a rebuilt wheel is still picked up on reload. ``--no-compress``
serves as before: identity, ``no-store``. benchmarks/ measures the difference (section 3
of benchmarks/results.md).

Also importable: ``start(directory, host, port)`` runs it in a thread (the browser tests
use this) and returns ``(url, stop)``.
"""

import argparse
import functools
import gzip
import hashlib
import io
import os
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

MIME_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".toml": "text/plain; charset=utf-8",
    ".py": "text/plain; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".wasm": "application/wasm",
    ".whl": "application/octet-stream",
    ".zip": "application/zip",
    ".gz": "application/gzip",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
}


# Never worth compressing (already compressed); everything else is tried once per version.
INCOMPRESSIBLE = {".whl", ".png", ".ico", ".gz"}
GZIP_CACHE = Path(__file__).resolve().parent.parent / ".cache" / "serve-gzip"
_gzipped = {}  # (path, mtime_ns, size) -> gzip bytes, or None when it does not pay
_gzip_lock = threading.Lock()


def gzipped(path, data, stat):
    """The gzip of a file's bytes if it saves at least 10%, else None (memoised, and kept
    on disk so the next server process does not compress 8 MB of wasm again)."""
    key = (path, stat.st_mtime_ns, stat.st_size)
    if key in _gzipped:
        return _gzipped[key]
    with _gzip_lock:
        if key in _gzipped:
            return _gzipped[key]
        name = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
        cached = GZIP_CACHE / name
        try:
            body = cached.read_bytes() or None
        except OSError:
            body = gzip.compress(data, 6, mtime=0)
            if len(body) > len(data) * 0.9:
                body = None
            try:
                GZIP_CACHE.mkdir(parents=True, exist_ok=True)
                temporary = cached.with_suffix(".%d.tmp" % os.getpid())
                temporary.write_bytes(body or b"")
                os.replace(temporary, cached)
            except OSError:
                pass
        _gzipped[key] = body
        return body


class SiteHandler(SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict] = {"": "application/octet-stream", **MIME_TYPES}
    quiet = False
    compress = True  # gzip + ETag + caching; False: identity + no-store
    # Vendored files change only when scripts/setup copies a new version: a browser may
    # keep them for an hour without asking. Chromium re-downloads Pyodide's fetch()es of
    # no-cache files in full (no If-None-Match), so without this a reload would too.
    immutable_prefixes = ("/vendor/",)

    def end_headers(self):
        if not self.compress:
            policy = "no-store"
        elif self.path.startswith(self.immutable_prefixes):
            policy = "public, max-age=3600"
        else:
            policy = "no-cache"
        self.send_header("Cache-Control", policy)
        super().end_headers()

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?", 1)[0].endswith("/"):
            path = os.path.join(path, "index.html")
        if not self.compress or not os.path.isfile(path):
            return super().send_head()
        try:
            with open(path, "rb") as handle:
                data = handle.read()
                stat = os.fstat(handle.fileno())
        except OSError:
            return super().send_head()
        etag = '"%x-%x"' % (stat.st_mtime_ns, stat.st_size)
        if etag in (self.headers.get("If-None-Match") or ""):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return None
        ctype = self.guess_type(path)
        body = None
        if os.path.splitext(path)[1] not in INCOMPRESSIBLE and "gzip" in (
            self.headers.get("Accept-Encoding") or ""
        ):
            body = gzipped(path, data, stat)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("ETag", etag)
        self.send_header("Vary", "Accept-Encoding")
        if body is not None:
            self.send_header("Content-Encoding", "gzip")
            data = body
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)

    def log_message(self, format, *args):
        if not self.quiet:
            super().log_message(format, *args)


def make_server(directory, host="127.0.0.1", port=8000, quiet=False, compress=True):
    handler = type("Handler", (SiteHandler,), {"quiet": quiet, "compress": compress})
    return ThreadingHTTPServer((host, port), functools.partial(handler, directory=str(directory)))


def start(directory, host="127.0.0.1", port=0, quiet=True, compress=True):
    """Serve ``directory`` from a daemon thread; returns ``(base_url, stop)``."""
    server = make_server(directory, host, port, quiet=quiet, compress=compress)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()

    def stop():
        server.shutdown()
        server.server_close()
        thread.join(5)

    return f"http://{host}:{server.server_address[1]}", stop


def main(argv=None):
    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--dir", default=str(root / "site"))
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    parser.add_argument(
        "--no-compress", action="store_true", help="identity and no-store (no gzip, no cache)"
    )
    args = parser.parse_args(argv)
    server = make_server(
        args.dir, args.host, args.port, quiet=args.quiet, compress=not args.no_compress
    )
    print(f"serving {args.dir} on http://{args.host}:{server.server_address[1]}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
