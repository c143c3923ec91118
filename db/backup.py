"""Copies of SQLite files, made with SQLite's online backup API (safe while in use)."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from recruit_app.errors import DatabaseUnavailable


def backup_sqlite(source: Path, destination: Path) -> Path:
    """Copy a live SQLite database to `destination` (a new owner-only file)."""
    destination = destination.expanduser().absolute()
    if destination.exists():
        raise DatabaseUnavailable(f"{destination} already exists; choose a new file name.")
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(destination, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    except OSError as exc:
        raise DatabaseUnavailable(
            f"Cannot write the backup {destination}: {exc.strerror}."
        ) from None
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(destination)
    try:
        src.backup(dst)
    except sqlite3.Error as exc:
        dst.close()
        destination.unlink(missing_ok=True)
        raise DatabaseUnavailable(f"The backup of {source} failed: {exc}.") from None
    finally:
        src.close()
        dst.close()
    return destination


def timestamped_backup_path(database: Path, reason: str = "backup") -> Path:
    """`recruit.sqlite3` -> `recruit.2026-11-23T160501.before-upgrade.sqlite3` beside it."""
    stamp = datetime.now().strftime("%Y-%m-%dT%H%M%S")
    return database.with_name(f"{database.stem}.{stamp}.{reason}{database.suffix}")
