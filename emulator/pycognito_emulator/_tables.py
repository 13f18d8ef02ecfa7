"""What the store holds, table by table: the ``User`` row type and the queries of each
table (pools, keys, clients, users, codes, outbox, challenges, token families).

``Tables`` is mixed into ``_store.Store``, which gives it ``one``, ``all`` and ``run``
(and the connection and transactions they run in); the schema is ``_store.MIGRATIONS``.
A new table's queries belong in the module that owns the table (using
``store.one/all/run``), not here.
"""

import json


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


class Tables:
    """The per-table queries of ``Store`` (see the module docstring)."""

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
