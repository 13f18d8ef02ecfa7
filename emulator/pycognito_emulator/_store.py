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
"""

import contextlib
import json
import os
import sqlite3
import threading

from . import _filemodes

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
    # _existence: the per-pool key of the fake answers for unknown users.
    "CREATE TABLE existence_secrets (pool_id TEXT PRIMARY KEY, secret TEXT NOT NULL)",
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


class User:
    """One user row, loaded into plain attributes; ``Store.save_user`` writes it back.

    ``attributes`` maps attribute names to string values, ``sub`` included, as
    GetUser lists them (``email_verified`` is ``"true"``/``"false"``).
    """

    __slots__ = (
        "attributes", "created", "enabled", "extra", "failed_attempts", "last_failed",
        "locked_until", "modified", "pool_id", "salt", "status", "sub", "username",
        "username_key", "verifier",
    )  # fmt: skip

    def __init__(self, **fields):
        for name in self.__slots__:
            setattr(self, name, fields.get(name))

    @classmethod
    def from_row(cls, row):
        """Build a User from a ``users`` row (JSON columns decoded)."""
        user = cls(**{key: row[key] for key in row.keys()})
        user.attributes = json.loads(row["attributes"])
        user.extra = json.loads(row["extra"])
        user.enabled = bool(row["enabled"])
        return user

    def __repr__(self):
        # No salt, verifier or attributes: reprs end up in logs.
        return "User(%r, %r, %s)" % (self.pool_id, self.username, self.status)


class Store:
    """A SQLite database with the emulator's schema, used from one thread at a time.

    Args:
        path: a file path, or ``":memory:"`` for a database that keeps nothing.
    """

    def __init__(self, path):
        # Owner-only folders and files: the data holds keys, verifiers and codes.
        _filemodes.secure(path, os.path.dirname(default_data_path()))
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

    # Pools, keys, clients ---------------------------------------------------------

    def insert_pool(self, pool_id, name, settings, now):
        """Add a pool with its normalised settings dict."""
        self.run(
            "INSERT INTO pools (id, name, settings, created, modified) VALUES (?, ?, ?, ?, ?)",
            (pool_id, name, json.dumps(settings), now, now),
        )

    def get_pool(self, pool_id):
        """The pool's settings dict (with ``Id``, ``Name``), or None."""
        row = self.one("SELECT * FROM pools WHERE id = ?", (pool_id,))
        return _pool(row)

    def find_pool_by_name(self, name):
        """The oldest pool with this name, or None (Cognito allows duplicate names)."""
        row = self.one("SELECT * FROM pools WHERE name = ? ORDER BY created, id LIMIT 1", (name,))
        return _pool(row)

    def list_pools(self):
        """Every pool's settings dict, oldest first."""
        return [_pool(row) for row in self.all("SELECT * FROM pools ORDER BY created, id")]

    def insert_key(self, kid, pool_id, use, private_pem, now):
        """Store a pool's signing key (PEM, PKCS#8, unencrypted: it is a test server)."""
        self.run(
            "INSERT INTO pool_keys (kid, pool_id, use, private_pem, created) VALUES (?,?,?,?,?)",
            (kid, pool_id, use, private_pem, now),
        )

    def pool_keys(self, pool_id):
        """Rows (kid, use, private_pem) of a pool's keys, oldest first."""
        return self.all(
            "SELECT kid, use, private_pem FROM pool_keys WHERE pool_id = ? ORDER BY created, kid",
            (pool_id,),
        )

    def key_by_kid(self, kid):
        """The row (kid, pool_id, use, private_pem) of one key, or None."""
        return self.one(
            "SELECT kid, pool_id, use, private_pem FROM pool_keys WHERE kid = ?", (kid,)
        )

    def insert_client(self, client_id, pool_id, name, secret, settings, now):
        """Add an app client with its normalised settings dict."""
        self.run(
            "INSERT INTO clients (id, pool_id, name, secret, settings, created, modified)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (client_id, pool_id, name, secret, json.dumps(settings), now, now),
        )

    def get_client(self, client_id):
        """The client's settings dict (with ``ClientId``, ``UserPoolId``,
        ``ClientName`` and ``ClientSecret`` when it has one), or None."""
        row = self.one("SELECT * FROM clients WHERE id = ?", (client_id,))
        return _client(row)

    def list_clients(self, pool_id):
        """The pool's clients, oldest first."""
        rows = self.all("SELECT * FROM clients WHERE pool_id = ? ORDER BY created, id", (pool_id,))
        return [_client(row) for row in rows]

    # Users ------------------------------------------------------------------------

    def get_user(self, pool_id, username_key):
        """The user whose lookup key is ``username_key``, or None."""
        row = self.one(
            "SELECT * FROM users WHERE pool_id = ? AND username_key = ?", (pool_id, username_key)
        )
        return User.from_row(row) if row else None

    def get_user_by_sub(self, sub):
        """The user with this ``sub``, or None."""
        row = self.one("SELECT * FROM users WHERE sub = ?", (sub,))
        return User.from_row(row) if row else None

    def users_with_attribute(self, pool_id, name, value):
        """Users of the pool whose attribute equals value (email compared case-blind).

        Args:
            name: ``email``, ``phone_number`` or ``preferred_username``.
        """
        if name == "email":
            rows = self.all(
                "SELECT * FROM users WHERE pool_id = ?"
                " AND lower(json_extract(attributes, '$.email')) = lower(?)",
                (pool_id, value),
            )
        elif name in ("phone_number", "preferred_username"):
            # The path is spelled out so that SQLite can use the users_phone index.
            rows = self.all(
                "SELECT * FROM users WHERE pool_id = ?"
                " AND json_extract(attributes, '$.%s') = ?" % name,
                (pool_id, value),
            )
        else:
            raise ValueError("not a sign-in attribute: %r" % name)
        return [User.from_row(row) for row in rows]

    def insert_user(self, user):
        """Add a new user (every field of the User must be set)."""
        self.run(
            "INSERT INTO users (sub, pool_id, username, username_key, status, enabled,"
            " attributes, salt, verifier, failed_attempts, last_failed, locked_until, extra,"
            " created, modified) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                user.sub, user.pool_id, user.username, user.username_key, user.status,
                int(user.enabled), json.dumps(user.attributes), user.salt, user.verifier,
                user.failed_attempts or 0, user.last_failed, user.locked_until,
                json.dumps(user.extra or {}), user.created, user.modified,
            ),
        )  # fmt: skip

    def save_user(self, user):
        """Write back every mutable field of a loaded User."""
        self.run(
            "UPDATE users SET status=?, enabled=?, attributes=?, salt=?, verifier=?,"
            " failed_attempts=?, last_failed=?, locked_until=?, extra=?, modified=?"
            " WHERE sub = ?",
            (
                user.status, int(user.enabled), json.dumps(user.attributes), user.salt,
                user.verifier, user.failed_attempts or 0, user.last_failed, user.locked_until,
                json.dumps(user.extra or {}), user.modified, user.sub,
            ),
        )  # fmt: skip

    def delete_user(self, sub):
        """Delete a user; codes and token families go with it (foreign keys)."""
        self.run("DELETE FROM users WHERE sub = ?", (sub,))

    # Codes ------------------------------------------------------------------------

    def put_code(self, sub, purpose, code, expires, attribute=None):
        """Set the user's live code for a purpose, replacing any older one.

        Args:
            attribute: the attribute the code was sent to (verified on success).
        """
        self.run(
            "INSERT OR REPLACE INTO codes (sub, purpose, code, attribute, expires, attempts)"
            " VALUES (?, ?, ?, ?, ?, 0)",
            (sub, purpose, code, attribute, expires),
        )

    def get_code(self, sub, purpose):
        """The row (code, attribute, expires, attempts) of the user's code, or None."""
        return self.one(
            "SELECT code, attribute, expires, attempts FROM codes WHERE sub = ? AND purpose = ?",
            (sub, purpose),
        )

    def count_code_attempt(self, sub, purpose):
        """Add one to a code's failed-attempt count."""
        self.run(
            "UPDATE codes SET attempts = attempts + 1 WHERE sub = ? AND purpose = ?",
            (sub, purpose),
        )

    def delete_code(self, sub, purpose):
        """Forget the user's code for a purpose (it was used)."""
        self.run("DELETE FROM codes WHERE sub = ? AND purpose = ?", (sub, purpose))

    # Outbox -----------------------------------------------------------------------

    def add_message(self, pool_id, username, kind, destination, code, now):
        """Append one message to the outbox."""
        self.run(
            "INSERT INTO messages (pool_id, username, kind, destination, code, sent_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (pool_id, username, kind, destination, code, now),
        )

    def messages(self, username=None, pool_id=None):
        """Outbox rows, oldest first, optionally for one user and/or pool.

        Args:
            username: the internal username, or the address the code went to (in
                pools where users sign up with an email, that is the name they typed).
        """
        sql = "SELECT * FROM messages"
        where, params = [], []
        if username is not None:
            where.append("(username = ? OR destination = ?)")
            params.extend((username, username))
        if pool_id is not None:
            where.append("pool_id = ?")
            params.append(pool_id)
        if where:
            sql += " WHERE " + " AND ".join(where)
        return self.all(sql + " ORDER BY id", params)

    # Challenges -------------------------------------------------------------------

    def put_challenge(self, session_hash, block_hash, pool_id, client_id, sub, username,
                      challenge, state, expires):  # fmt: skip
        """Remember a pending challenge (state is a JSON-able dict of server secrets)."""
        self.run(
            "INSERT INTO challenges (session_hash, block_hash, pool_id, client_id, sub,"
            " username, challenge, state, expires) VALUES (?,?,?,?,?,?,?,?,?)",
            (session_hash, block_hash, pool_id, client_id, sub, username, challenge,
             json.dumps(state), expires),
        )  # fmt: skip

    def take_challenge(self, session_hash=None, block_hash=None, consume=True):
        """Find a pending challenge by Session or secret-block hash and delete it.

        Challenges are single-use: whoever takes one consumes it, whatever the
        outcome of the answer. With ``consume=False`` the row stays (the caller
        deletes it with ``drop_challenge`` once the answer is accepted).

        Returns:
            The row with ``state`` decoded, or None.
        """
        if session_hash is not None:
            row = self.one("SELECT * FROM challenges WHERE session_hash = ?", (session_hash,))
        else:
            row = self.one("SELECT * FROM challenges WHERE block_hash = ?", (block_hash,))
        if row is None:
            return None
        if consume:
            self.drop_challenge(row["session_hash"])
        result = dict(row)
        result["state"] = json.loads(row["state"])
        return result

    def drop_challenge(self, session_hash):
        """Delete a pending challenge."""
        self.run("DELETE FROM challenges WHERE session_hash = ?", (session_hash,))

    def purge_challenges(self, now):
        """Drop challenges that expired (housekeeping, called now and then)."""
        self.run("DELETE FROM challenges WHERE expires < ?", (now,))

    # Token families ---------------------------------------------------------------

    def insert_family(self, origin_jti, refresh_hash, pool_id, client_id, sub, auth_time,
                      now, expires):  # fmt: skip
        """Record a sign-in: its refresh token hash and what it was issued for."""
        self.run(
            "INSERT INTO token_families (origin_jti, refresh_hash, pool_id, client_id, sub,"
            " auth_time, created, expires) VALUES (?,?,?,?,?,?,?,?)",
            (origin_jti, refresh_hash, pool_id, client_id, sub, auth_time, now, expires),
        )

    def family_by_refresh(self, refresh_hash):
        """The token family of a refresh token hash, or None."""
        return self.one("SELECT * FROM token_families WHERE refresh_hash = ?", (refresh_hash,))

    def family(self, origin_jti):
        """The token family with this origin_jti, or None."""
        return self.one("SELECT * FROM token_families WHERE origin_jti = ?", (origin_jti,))

    def revoke_family(self, origin_jti, now):
        """Revoke one family (refresh token and its access tokens)."""
        self.run(
            "UPDATE token_families SET revoked = ? WHERE origin_jti = ? AND revoked IS NULL",
            (now, origin_jti),
        )

    def revoke_user_families(self, sub, now):
        """Revoke every family of a user (GlobalSignOut)."""
        self.run(
            "UPDATE token_families SET revoked = ? WHERE sub = ? AND revoked IS NULL", (now, sub)
        )


def _pool(row):
    if row is None:
        return None
    settings = json.loads(row["settings"])
    settings["Id"] = row["id"]
    settings["Name"] = row["name"]
    return settings


def _client(row):
    if row is None:
        return None
    settings = json.loads(row["settings"])
    settings["ClientId"] = row["id"]
    settings["UserPoolId"] = row["pool_id"]
    settings["ClientName"] = row["name"]
    if row["secret"]:
        settings["ClientSecret"] = row["secret"]
    return settings
