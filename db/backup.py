"""Copies of SQLite files, made with SQLite's online backup API (safe while in use).

A copy is written under a hidden temporary name beside its destination, checked (it
opens, `PRAGMA integrity_check` says ok, every table holds as many rows as the source
did at the moment of copying), flushed to disk, and only then given its name. A copy
cut off part-way, by a kill or a full disk, never carries the name of a good one.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from contextlib import closing
from datetime import datetime
from pathlib import Path

from exports.files import SUFFIX as TEMP_SUFFIX
from exports.files import fsync_folder, make_private_folder, sweep_leftovers, temporary_prefix
from recruit_app.errors import DatabaseUnavailable


def sqlite_uri(path: Path, **options: str) -> str:
    """A `file:` URI for `path`, percent-encoded so `#`, `?` and `%` stay part of the name."""
    query = "&".join(f"{k}={v}" for k, v in options.items())
    return path.absolute().as_uri() + (f"?{query}" if query else "")


def backup_sqlite(source: Path, destination: Path, *, unique: bool = False) -> Path:
    """Copy a live SQLite database to `destination` (a new owner-only file) and check it.

    With `unique`, a name already taken gets `-2`, `-3`... before its suffix rather than
    being refused, so two copies made in the same second both survive.
    """
    destination = destination.expanduser().absolute()
    if destination.exists() and not unique:
        raise DatabaseUnavailable(f"{destination} already exists; choose a new file name.")
    try:
        folder = make_private_folder(destination.parent)
        # A copy cut off by an earlier kill is a whole database of personal data: gone.
        sweep_leftovers(folder, targets=[destination.name])
        fd, temp_name = tempfile.mkstemp(
            dir=folder, prefix=temporary_prefix(destination.name), suffix=TEMP_SUFFIX
        )  # owner-only, as the database itself
        os.close(fd)
    except OSError as exc:
        raise DatabaseUnavailable(
            f"Cannot write the backup {destination}: {exc.strerror}."
        ) from None
    temp = Path(temp_name)
    try:
        counts = _copy(source, temp)
        _check(temp, counts)
        _flush(temp)
        return _name(temp, destination, unique)
    except sqlite3.Error as exc:
        raise DatabaseUnavailable(
            f"The backup of {source} failed ({exc}); no backup was made."
        ) from None
    except OSError as exc:
        raise DatabaseUnavailable(
            f"The backup of {source} could not be written to {destination.parent} "
            f"({exc.strerror}); no backup was made."
        ) from None
    finally:
        temp.unlink(missing_ok=True)


def _table_counts(connection: sqlite3.Connection) -> dict[str, int]:
    names = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    quoted = {name: '"' + name.replace('"', '""') + '"' for name in names}
    return {
        name: connection.execute(f"SELECT count(*) FROM {quoted[name]}").fetchone()[0]
        for name in names
    }


def _copy(source: Path, temp: Path) -> dict[str, int]:
    """Copy one snapshot of `source` into `temp`; the snapshot's row counts, to check by."""
    with closing(
        sqlite3.connect(sqlite_uri(source, mode="ro"), uri=True, isolation_level=None)
    ) as src:
        # One read transaction: the counts and the copy see the same committed state,
        # whatever other desktops write meanwhile.
        src.execute("BEGIN")
        counts = _table_counts(src)
        with closing(sqlite3.connect(temp)) as dst:
            src.backup(dst)
            # One self-contained file (no -wal beside it); the app turns WAL on again
            # when it opens a restored copy.
            dst.execute("PRAGMA journal_mode=DELETE")
        src.execute("COMMIT")
    return counts


def _check(temp: Path, expected: dict[str, int]) -> None:
    with closing(sqlite3.connect(sqlite_uri(temp, mode="ro"), uri=True)) as copy:
        state = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if state != "ok":
            raise sqlite3.DatabaseError(f"the copy is damaged: {state}")
        found = _table_counts(copy)
    if found != expected:
        differ = sorted(
            t for t in expected.keys() | found.keys() if expected.get(t) != found.get(t)
        )
        raise sqlite3.DatabaseError(f"the copy's row counts differ in {', '.join(differ[:5])}")


def _flush(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _name(temp: Path, destination: Path, unique: bool) -> Path:
    """Give the checked copy its name without ever replacing an existing file."""
    candidates = [destination]
    if unique:
        stem, suffix = destination.stem, destination.suffix
        candidates += [destination.with_name(f"{stem}-{n}{suffix}") for n in range(2, 1000)]
    for candidate in candidates:
        try:
            os.link(temp, candidate)  # fails if the name is taken: no race, no overwrite
        except FileExistsError:
            continue
        except OSError:
            # A file system without hard links (FAT, some shares): check, then rename.
            if candidate.exists():
                continue
            os.replace(temp, candidate)
        fsync_folder(candidate.parent)
        return candidate
    raise DatabaseUnavailable(f"{destination} already exists; choose a new file name.")


def timestamped_backup_path(database: Path, reason: str = "backup") -> Path:
    """`recruit.sqlite3` -> `recruit.2026-11-23T160501.before-upgrade.sqlite3` beside it."""
    stamp = datetime.now().strftime("%Y-%m-%dT%H%M%S")
    return database.with_name(f"{database.stem}.{stamp}.{reason}{database.suffix}")
