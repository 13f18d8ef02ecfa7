"""Assemble an emulator: the store, the settings, the config's pools, the ASGI app.

``__main__`` serves what ``build`` returns over a socket; tests and tools may instead
call the ASGI app in-process (no socket, no child process)::

    from pycognito_emulator.server import build

    emulator = build(config={"pools": [...]}, data=":memory:", test_clock=True)
    emulator.app          # an ASGI 3 application
    emulator.pools        # {pool name: {"id", "clients": {name: {"id", "secret"}}}}
    emulator.close()
"""

import sqlite3
import time

from . import _app, _config, _context, _custom_auth, _identity, _store, _tokens
from .launch import pools_of


class Built:
    """An assembled emulator (see the module docstring)."""

    def __init__(self, app, store, settings, summary):
        self.app = app
        self.store = store
        self.settings = settings
        self.summary = summary
        self.pools = pools_of(summary)

    def close(self):
        """Stop the app's worker thread and close the store."""
        self.app.executor.shutdown(wait=True)
        self.store.close()


def build(
    base_url="http://127.0.0.1:9229",
    data=":memory:",
    config=None,
    region="us-east-1",
    credentials=None,
    max_body=1024 * 1024,
    test_clock=False,
    triggers=None,
):
    """Make the store, apply the config and return the app ready to serve.

    Args:
        base_url: the URL clients use (the tokens' ``iss`` prefix).
        data: the SQLite file, or ``:memory:``.
        config: a config file's path, or the config as a dict (see ``_config``).
        region: the region in new pool ids.
        credentials: ``{access key id: secret}`` for SigV4 admin calls (default test/test).
        max_body: the largest request body accepted, in bytes.
        test_clock: allow ``POST /_emulator/clock``.
        triggers: custom-auth triggers for pools whose config names none.

    Returns:
        ``Built``.

    Raises:
        ValueError: the data file cannot be opened, or the config or triggers are bad;
            the message says which.
    """
    settings = _context.Settings(
        base_url=base_url,
        region=region,
        credentials=credentials or {"test": "test"},
        max_body=max_body,
        test_clock=test_clock,
    )
    try:
        store = _store.Store(data)
    except (OSError, sqlite3.Error) as error:
        raise ValueError("cannot open --data %s: %s" % (data, error)) from None
    summary = {"pools": []}
    loaded = {}
    try:
        if config is not None:
            source = config if isinstance(config, str) else "the config"
            try:
                loaded = _config.load_config(config) if isinstance(config, str) else config
                summary = _config.apply_config(
                    store, loaded, region, time.time(), _tokens.make_pool_keys
                )
            except (OSError, ValueError) as error:
                raise ValueError("bad --config %s: %s" % (source, error)) from None
        # Top-level config sections (identity_pools) and the triggers, for the actions.
        settings.config, settings.triggers = loaded, triggers
        # Each config pool's own triggers, by pool id: the operator's, never the API's.
        settings.pool_triggers = _custom_auth.config_triggers(loaded, summary)
        try:
            _custom_auth.check(settings, store)
            _identity.check(settings, store)
        except ValueError as error:
            raise ValueError("bad --triggers or --config: %s" % error) from None
    except ValueError:
        store.close()
        raise
    return Built(_app.EmulatorApp(store, settings), store, settings, summary)
