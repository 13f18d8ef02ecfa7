"""A small static file server for site/, with the MIME types Pyodide and PyScript need.

    python scripts/serve.py [--host 127.0.0.1] [--port 8000] [--dir site]

``python -m http.server`` takes its types from the machine's mime.types, which may lack
``.mjs`` or ``.wasm`` (WebAssembly.instantiateStreaming refuses anything but
application/wasm, and module scripts refuse anything but JavaScript). This one sets them,
and tells the browser not to cache, so a rebuilt wheel is picked up on reload.

Also importable: ``start(directory, host, port)`` runs it in a thread (the browser tests
use this) and returns ``(url, stop)``.
"""

import argparse
import functools
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
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
}


class SiteHandler(SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict] = {"": "application/octet-stream", **MIME_TYPES}
    quiet = False

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format, *args):
        if not self.quiet:
            super().log_message(format, *args)


def make_server(directory, host="127.0.0.1", port=8000, quiet=False):
    handler = type("Handler", (SiteHandler,), {"quiet": quiet})
    return ThreadingHTTPServer((host, port), functools.partial(handler, directory=str(directory)))


def start(directory, host="127.0.0.1", port=0, quiet=True):
    """Serve ``directory`` from a daemon thread; returns ``(base_url, stop)``."""
    server = make_server(directory, host, port, quiet=quiet)
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
    args = parser.parse_args(argv)
    server = make_server(args.dir, args.host, args.port, quiet=args.quiet)
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
