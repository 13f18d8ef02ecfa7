"""The emulator's SQLite store: every pool, client, user, code, challenge and token family.

Durability: the database runs in WAL mode with ``synchronous=FULL``, so a committed
transaction survives ``kill -9`` and power loss. Each API call runs in one
transaction (see ``Store.transaction``); the app serialises calls on one worker
thread, so a single connection is enough and no two writers race.

Schema (``PRAGMA user_version`` counts the migrations applied; add a migration at
the end of ``MIGRATIONS`` to change it, never edit an old one):

* ``pools(id, name, settings JSON, created, modified)``: settings are the
  normalised CreateUserPool shape (see ``_config.normalize_pool``).
* ``pool_keys(kid, pool_id, use, private_pem, created)``: one RSA key per pool and
  use (``id`` and ``access``), so ID and access tokens carry different ``kid`` s.
* ``clients(id, pool_id, name, secret, settings JSON, created, modified)``.
* ``users(sub, pool_id, username, username_key, status, enabled, attributes JSON,
  salt, verifier, failed_attempts, last_failed, locked_until, extra JSON, created,
  modified)``: ``salt`` and ``verifier`` are the SRP salt and v = g^x in hex; no
  password is ever stored. ``username_key`` is the lookup form (lower-cased when the
  pool is case-insensitive). ``extra`` is room for per-user settings that later
  features need (MFA preferences, TOTP secret...) without a migration.
* ``codes(sub, purpose, code, attribute, expires, attempts)``: the one live code per user and
  purpose (``signup``, ``forgot_password``, ``verify:email``...).
* ``messages(id, pool_id, username, kind, destination, code, sent_at)``: the outbox.
* ``challenges(session_hash, block_hash, pool_id, client_id, sub, username,
  challenge, state JSON, expires)``: pending auth challenges; only SHA-256 hashes of
  the Session and SECRET_BLOCK are kept.
* ``token_families(origin_jti, refresh_hash, pool_id, client_id, sub, auth_time,
  created, expires, revoked)``: one row per sign-in; the refresh token is kept as a
  SHA-256 hash, and revoking the row revokes the refresh token and every access
  token whose ``origin_jti`` points at it.
* ``devices(device_key, sub, pool_id, group_key, name, salt, verifier, status,
  last_ip, created, modified, last_authenticated)``: tracked devices (``_devices``);
  ``salt`` and ``verifier`` (hex) come from ConfirmDevice, ``status`` is ``new``
  (issued, not confirmed), ``remembered`` or ``not_remembered``.
* ``pool_documents(pool_id, kind, key, document JSON, created, modified)``: one
  configuration object per pool, kind and key (groups, domains, resource servers,
  identity providers...; see ``_documents``).
* ``group_members(pool_id, group_name, sub, added)``: who is in which group (``_groups``).
* ``rotated_refresh(refresh_hash, origin_jti, spent)``: refresh tokens issued or spent
  by rotation (``_rotation``), hashed like ``token_families.refresh_hash``.
* ``webauthn_credentials``, ``webauthn_challenges``: passkeys (``_webauthn``).
"""

import contextlib
import os
import sqlite3
import threading

from ._tables import Tables, User

__all__ = ["MIGRATIONS", "Store", "User", "default_data_path"]

MIGRATIONS = [
    """
    CREATE TABLE pools (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        settings TEXT NOT NULL,
        created REAL NOT NULL,
        modified REAL NOT NULL
    );
    CREATE INDEX pools_name ON pools(name);
    CREATE TABLE pool_keys (
        kid TEXT PRIMARY KEY,
        pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
        use TEXT NOT NULL,
        private_pem TEXT NOT NULL,
        created REAL NOT NULL
    );
    CREATE INDEX pool_keys_pool ON pool_keys(pool_id);
    CREATE TABLE clients (
        id TEXT PRIMARY KEY,
        pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        secret TEXT,
        settings TEXT NOT NULL,
        created REAL NOT NULL,
        modified REAL NOT NULL
    );
    CREATE INDEX clients_pool ON clients(pool_id, name);
    CREATE TABLE users (
        sub TEXT PRIMARY KEY,
        pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
        username TEXT NOT NULL,
        username_key TEXT NOT NULL,
        status TEXT NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1,
        attributes TEXT NOT NULL,
        salt TEXT,
        verifier TEXT,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        last_failed REAL,
        locked_until REAL,
        extra TEXT NOT NULL DEFAULT '{}',
        created REAL NOT NULL,
        modified REAL NOT NULL,
        UNIQUE (pool_id, username_key)
    );
    CREATE INDEX users_email ON users(pool_id, lower(json_extract(attributes, '$.email')));
    CREATE INDEX users_phone ON users(pool_id, json_extract(attributes, '$.phone_number'));
    CREATE TABLE codes (
        sub TEXT NOT NULL REFERENCES users(sub) ON DELETE CASCADE,
        purpose TEXT NOT NULL,
        code TEXT NOT NULL,
        attribute TEXT,
        expires REAL NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (sub, purpose)
    );
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        pool_id TEXT NOT NULL,
        username TEXT NOT NULL,
        kind TEXT NOT NULL,
        destination TEXT NOT NULL,
        code TEXT NOT NULL,
        sent_at REAL NOT NULL
    );
    CREATE INDEX messages_user ON messages(username);
    CREATE TABLE challenges (
        session_hash TEXT PRIMARY KEY,
        block_hash TEXT UNIQUE,
        pool_id TEXT NOT NULL,
        client_id TEXT NOT NULL,
        sub TEXT,
        username TEXT NOT NULL,
        challenge TEXT NOT NULL,
        state TEXT NOT NULL,
        expires REAL NOT NULL
    );
    CREATE INDEX challenges_expires ON challenges(expires);
    CREATE TABLE token_families (
        origin_jti TEXT PRIMARY KEY,
        refresh_hash TEXT NOT NULL UNIQUE,
        pool_id TEXT NOT NULL,
        client_id TEXT NOT NULL,
        sub TEXT NOT NULL REFERENCES users(sub) ON DELETE CASCADE,
        auth_time INTEGER NOT NULL,
        created REAL NOT NULL,
        expires REAL NOT NULL,
        revoked REAL
    );
    CREATE INDEX token_families_sub ON token_families(sub);
    """,
    # 2: remembered devices (_devices).
    """
    CREATE TABLE devices (
        device_key TEXT PRIMARY KEY,
        sub TEXT NOT NULL REFERENCES users(sub) ON DELETE CASCADE,
        pool_id TEXT NOT NULL,
        group_key TEXT NOT NULL,
        name TEXT,
        salt TEXT,
        verifier TEXT,
        status TEXT NOT NULL,
        last_ip TEXT,
        created REAL NOT NULL,
        modified REAL NOT NULL,
        last_authenticated REAL
    );
    CREATE INDEX devices_sub ON devices(sub, created);
    """,
    # 3: configuration documents (_documents) and group membership (_groups).
    """
    CREATE TABLE pool_documents (
        pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        document TEXT NOT NULL,
        created REAL NOT NULL,
        modified REAL NOT NULL,
        PRIMARY KEY (pool_id, kind, key)
    );
    CREATE INDEX pool_documents_key ON pool_documents(kind, key);
    CREATE TABLE group_members (
        pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
        group_name TEXT NOT NULL,
        sub TEXT NOT NULL REFERENCES users(sub) ON DELETE CASCADE,
        added REAL NOT NULL,
        PRIMARY KEY (pool_id, group_name, sub)
    );
    CREATE INDEX group_members_sub ON group_members(sub);
    """,
    # 4: refresh tokens issued and spent by rotation (_rotation).
    """
    CREATE TABLE rotated_refresh (
        refresh_hash TEXT PRIMARY KEY,
        origin_jti TEXT NOT NULL REFERENCES token_families(origin_jti) ON DELETE CASCADE,
        spent REAL
    );
    CREATE INDEX rotated_refresh_family ON rotated_refresh(origin_jti);
    """,
    # 5: passkeys and their pending challenges (_webauthn).
    """
    CREATE TABLE webauthn_credentials (
        credential_id TEXT PRIMARY KEY,
        sub TEXT NOT NULL REFERENCES users(sub) ON DELETE CASCADE,
        pool_id TEXT NOT NULL,
        rp_id TEXT NOT NULL,
        public_key TEXT NOT NULL,
        sign_count INTEGER NOT NULL,
        transports TEXT NOT NULL,
        attachment TEXT,
        name TEXT NOT NULL,
        created REAL NOT NULL
    );
    CREATE INDEX webauthn_credentials_sub ON webauthn_credentials(sub, created);
    CREATE TABLE webauthn_challenges (
        challenge_hash TEXT PRIMARY KEY,
        sub TEXT NOT NULL REFERENCES users(sub) ON DELETE CASCADE,
        client_id TEXT,
        purpose TEXT NOT NULL,
        rp_id TEXT NOT NULL,
        user_verification TEXT NOT NULL,
        expires REAL NOT NULL
    );
    """,
]


def default_data_path():
    """Where the database lives when ``--data`` is not given.

    Returns:
        ``$XDG_DATA_HOME/pycognito-web/emulator.sqlite3``, with XDG_DATA_HOME
        defaulting to ``~/.local/share``.
    """
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(
        os.path.expanduser("~"), ".local", "share"
    )
    return os.path.join(base, "pycognito-web", "emulator.sqlite3")


class Store(Tables):
    """A SQLite database with the emulator's schema, used from one thread at a time.

    This class holds the connection, the migrations and transactions, and the generic
    ``one``/``all``/``run``; the queries of each table come from ``_tables.Tables``.

    Args:
        path: a file path, or ``":memory:"`` for a database that keeps nothing.
    """

    def __init__(self, path):
        if path != ":memory:":
            folder = os.path.dirname(os.path.abspath(path))
            os.makedirs(folder, exist_ok=True)
        # Autocommit mode; transactions are explicit (BEGIN IMMEDIATE ... COMMIT).
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute("PRAGMA busy_timeout=5000")
        self._lock = threading.RLock()
        self._depth = 0
        self._migrate()

    def _migrate(self):
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        for number in range(version, len(MIGRATIONS)):
            with self.transaction():
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        self.conn.execute(statement)
                self.conn.execute("PRAGMA user_version=%d" % (number + 1))

    @contextlib.contextmanager
    def transaction(self, rollback_service_errors=False):
        """One atomic unit of work; nested uses join the outer transaction.

        Commits on normal exit. ``ServiceError`` also commits, on purpose: an error
        answer may carry writes that must stick (a failed-attempt count, a consumed
        challenge), unless ``rollback_service_errors`` (all-or-nothing work such as
        applying a config). Any other exception rolls back.
        """
        from ._errors import ServiceError

        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self
                finally:
                    self._depth -= 1
                return
            self.conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self
            except ServiceError:
                self.conn.execute("ROLLBACK" if rollback_service_errors else "COMMIT")
                raise
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")
            finally:
                self._depth = 0

    def close(self):
        """Close the connection (a checkpoint folds the WAL into the main file)."""
        self.conn.close()

    # Generic helpers -------------------------------------------------------------

    def one(self, sql, params=()):
        """The first row of a query, or None."""
        return self.conn.execute(sql, params).fetchone()

    def all(self, sql, params=()):
        """Every row of a query, as a list."""
        return self.conn.execute(sql, params).fetchall()

    def run(self, sql, params=()):
        """Execute one statement; returns the cursor (for rowcount)."""
        return self.conn.execute(sql, params)
