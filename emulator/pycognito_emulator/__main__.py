"""Command line: ``python -m pycognito_emulator [options]``.

Options:

* ``--host`` (127.0.0.1), ``--port`` (9229; 0 picks a free port).
* ``--data PATH``: the SQLite file (default ``~/.local/share/pycognito-web/
  emulator.sqlite3``); ``:memory:`` keeps nothing.
* ``--config FILE``: JSON pools and clients to create at start (see ``_config``).
* ``--region`` (us-east-1): for new pool ids.
* ``--public-url``: the URL clients use, if not ``http://HOST:PORT`` (it is the
  tokens' ``iss`` prefix).
* ``--access-key``/``--secret-key`` (test/test): credentials for SigV4 admin calls.
* ``--max-body`` (1048576): the largest request body accepted.
* ``--request-timeout`` (30): seconds a request may take to arrive in full (headers
  and body); a slower client's connection is closed (see ``_http``).
* ``--test-clock``: allow ``POST /_emulator/clock`` (tests of expiry).
* ``--triggers MODULE_OR_PATH.py``: custom-auth triggers for pools whose config
  names none (see ``_custom_auth``; ``pycognito_emulator.example_triggers``).

Once it listens it prints two lines on stdout and flushes them:
``pycognito-web emulator listening on http://HOST:PORT``, then one JSON line
``{"pools": [{"name", "id", "clients": [{"name", "id", "secret"}]}]}`` for the
config's pools (``{"pools": []}`` without ``--config``).
"""

import argparse
import asyncio
import json
import socket
import sys


def _parse(argv):
    from ._store import default_data_path

    parser = argparse.ArgumentParser(
        prog="python -m pycognito_emulator",
        description="A local Amazon Cognito User Pools emulator.",
    )
    add = parser.add_argument
    add("--host", default="127.0.0.1", help="address to listen on (default %(default)s)")
    add("--port", type=int, default=9229, help="port; 0 picks a free one (default %(default)s)")
    add(
        "--data",
        default=default_data_path(),
        help="SQLite file; ':memory:' keeps nothing (default %(default)s)",
    )
    add("--config", help="JSON file of user pools and app clients to create at start")
    add("--region", default="us-east-1", help="region in new pool ids (default %(default)s)")
    add("--public-url", help="URL clients use, if not http://HOST:PORT (the tokens' iss)")
    add("--access-key", default="test", help="SigV4 access key for admin calls")
    add("--secret-key", default="test", help="SigV4 secret key for admin calls")
    add("--max-body", type=int, default=1024 * 1024, help="largest request body, in bytes")
    add(
        "--request-timeout",
        type=float,
        default=30.0,
        help="seconds a request may take to arrive in full (default %(default)s)",
    )
    add("--test-clock", action="store_true", help="allow POST /_emulator/clock (tests only)")
    add("--triggers", help="custom-auth triggers: a module name or a .py file (see _custom_auth)")
    add("--log-level", default="warning", help="uvicorn's log level (default %(default)s)")
    return parser.parse_args(argv)


def _bind(host, port):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets whose proto says TCP.
    # Without it Nagle holds each answer's body until the client's delayed ACK of its
    # headers (about 40 ms per request on Linux).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    # Restarting on the same port right after a kill must not fail on TIME_WAIT.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


_LOOPBACK_HOSTS = ("localhost", "::1")


def exposure_warning(host, access_key, secret_key):
    """The warning to print at start, or None.

    Listening beyond loopback with the default ``test``/``test`` keys lets anyone who
    can reach the port call every admin action (create users, set passwords, read
    pools), since those keys are public; loopback-only, or other keys, get no warning.

    Returns:
        The text (several lines), or None.
    """
    loopback = host in _LOOPBACK_HOSTS or host.startswith("127.")
    if loopback or (access_key, secret_key) != ("test", "test"):
        return None
    bar = "!" * 78
    return "\n".join([
        bar,
        "WARNING: the emulator listens on %s, beyond this machine, with the default" % host,
        "admin keys test/test, which everyone knows: anyone who reaches this port can",
        "call every admin action. Listen on 127.0.0.1 (the default), or set your own",
        "--access-key and --secret-key. The emulator is a development server, not a",
        "service to expose (see SECURITY.md).",
        bar,
    ])  # fmt: skip


def main(argv=None):
    """Run the emulator until interrupted.

    Returns:
        The process exit status.
    """
    args = _parse(argv)
    import uvicorn

    from . import _http
    from .server import build

    warning = exposure_warning(args.host, args.access_key, args.secret_key)
    if warning:
        sys.stderr.write(warning + "\n")
        sys.stderr.flush()
    try:
        sock = _bind(args.host, args.port)
    except OSError as error:
        sys.stderr.write("cannot listen on %s:%d: %s\n" % (args.host, args.port, error))
        return 1
    port = sock.getsockname()[1]
    # A wildcard address is no URL to give clients: name the loopback instead.
    url_host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(args.host, args.host)
    url_host = "[%s]" % url_host if ":" in url_host else url_host
    base_url = args.public_url or "http://%s:%d" % (url_host, port)
    try:
        built = build(
            base_url=base_url,
            data=args.data,
            config=args.config,
            region=args.region,
            credentials={args.access_key: args.secret_key},
            max_body=args.max_body,
            test_clock=args.test_clock,
            triggers=args.triggers,
        )
    except ValueError as error:
        sys.stderr.write("%s\n" % error)
        return 1
    app, summary = built.app, built.summary
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            log_level=args.log_level,
            access_log=False,
            lifespan="off",
            http=_http.protocol(args.request_timeout),
            server_header=False,
        )
    )

    async def serve():
        task = asyncio.ensure_future(server.serve(sockets=[sock]))
        while not server.started and not task.done():
            await asyncio.sleep(0.01)
        if server.started:
            sys.stdout.write("pycognito-web emulator listening on %s\n" % base_url)
            sys.stdout.write(json.dumps(summary, separators=(",", ":")) + "\n")
            sys.stdout.flush()
        await task

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        pass
    finally:
        built.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
