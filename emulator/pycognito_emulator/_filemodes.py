"""The data file's permissions: only its owner may read it.

The SQLite file and its WAL and shared-memory files hold the pools' signing keys, SRP
verifiers, live codes and temporary passwords. ``secure(path)`` runs before SQLite
opens the file: it creates missing folders 0700, the database file 0600 (and sets an
existing one to 0600), and tightens the WAL, SHM and journal files left from an earlier
run. SQLite creates the WAL and SHM files with the database file's own mode, so they
are 0600 too. Folders that already exist are not changed (``--data ./x.sqlite3`` must
not chmod the working directory), except the default folder (``pycognito-web`` under
the XDG data home), which is the emulator's own.
"""

import os

FILE_MODE = 0o600
FOLDER_MODE = 0o700
SIDE_FILES = ("-wal", "-shm", "-journal")


def _make_folders(folder):
    # os.makedirs applies its mode to the last folder only: make each missing one 0700.
    missing = []
    while folder and not os.path.isdir(folder):
        missing.append(folder)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    for each in reversed(missing):
        try:
            os.mkdir(each, FOLDER_MODE)
        except FileExistsError:  # made meanwhile by another process
            pass
        else:
            os.chmod(each, FOLDER_MODE)  # whatever the umask


def secure(path, default_folder=None):
    """Prepare ``path`` for SQLite with owner-only permissions (see the module docstring).

    Args:
        path: the database path; ``:memory:`` and ``file:`` URIs are left alone.
        default_folder: the emulator's own data folder, tightened even if it exists.

    Raises:
        OSError: a folder or the file cannot be created.
    """
    if path == ":memory:" or path.startswith("file:"):
        return
    path = os.path.abspath(path)
    folder = os.path.dirname(path)
    _make_folders(folder)
    if default_folder is not None and os.path.abspath(default_folder) == folder:
        os.chmod(folder, FOLDER_MODE)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        os.fchmod(descriptor, FILE_MODE)
    finally:
        os.close(descriptor)
    for suffix in SIDE_FILES:
        if os.path.exists(path + suffix):
            os.chmod(path + suffix, FILE_MODE)
