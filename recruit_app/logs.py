"""The log file: what went wrong and where, for support, never the personal data involved.

An error's message may quote any value it met: "could not convert string to float:
'Jane'", a KeyError's key, PostgreSQL's DETAIL line ("Key (email)=(...) already exists"),
a worker process's traceback text. So the log keeps, for each error of a chain, its type
and the traceback's frames (file, line, function and the line of code), never its
message; except for our own errors whose wording is fixed, and the schema names of a
database error (the constraint, table or column at fault), which are code, not data.
The file itself, and the ones rotation makes, are readable by their owner only.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import traceback
from logging.handlers import RotatingFileHandler
from typing import Any

from recruit_app.errors import Cancelled

WITHHELD = "(message withheld: it may quote personal data)"
# Our errors whose messages are fixed wording, never filled in with a value.
KNOWN_SAFE: tuple[type[BaseException], ...] = (Cancelled,)
# SQLite's messages that name only schema objects (the rest may quote the SQL or values).
_SQLITE_SAFE = re.compile(
    r"(?:UNIQUE|NOT NULL|CHECK|FOREIGN KEY) constraint failed(?:: [\w.]+(?:, [\w.]+)*)?"
    r"|database (?:table )?is locked|database disk image is malformed|disk I/O error"
    r"|attempt to write a readonly database|unable to open database file"
    r"|no such (?:table|column): [\w.]+",
    re.ASCII,
)
_CAUSE = "\nThe above exception was the direct cause of the following exception:\n\n"
_CONTEXT = "\nDuring handling of the above exception, another exception occurred:\n\n"
LOG_FILE_MODE = 0o600


def type_name(exc: BaseException) -> str:
    kind = type(exc)
    module = kind.__module__
    return kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"


def safe_message(exc: BaseException) -> str:
    """The error in one line: its type, and its message only where it cannot hold data."""
    if isinstance(exc, KNOWN_SAFE):
        return f"{type_name(exc)}: {exc}"
    orig = getattr(exc, "orig", None)
    if orig is not None and hasattr(exc, "statement"):  # SQLAlchemy's DBAPIError
        return f"{type_name(exc)}: {_database_detail(orig)}"
    return f"{type_name(exc)}: {WITHHELD}"


def _database_detail(orig: BaseException) -> str:
    lines = str(orig).strip().splitlines()
    first = lines[0].strip() if lines else ""
    if type(orig).__module__ == "sqlite3" and _SQLITE_SAFE.fullmatch(first):
        return f"{type_name(orig)}: {first}"
    # PostgreSQL (psycopg) names the code and schema objects apart from its message.
    found = []
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if isinstance(code, str) and code.isalnum():
        found.append(f"sqlstate {code}")
    diag = getattr(orig, "diag", None)
    for field in ("constraint_name", "table_name", "column_name"):
        value = getattr(diag, field, None)
        if isinstance(value, str) and value:
            found.append(f"{field.split('_')[0]} {value}")
    named = f"{type_name(orig)} ({', '.join(found)})" if found else type_name(orig)
    return f"{named}: {WITHHELD}"


def _chain(exc: BaseException) -> list[tuple[BaseException, str]]:
    """The errors of a chain, oldest first, each with the words that lead to the next."""
    found: list[tuple[BaseException, str]] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    link = ""
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        found.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, _CAUSE
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, _CONTEXT
        else:
            current = None
    return found[::-1]


def format_private(exc: BaseException | None) -> str:
    """A traceback as Python prints it, every error's message replaced by `safe_message`."""
    if exc is None:
        return "NoneType: None"
    parts = []
    for error, link in _chain(exc):
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(error.__traceback__))
        parts.append(safe_message(error) + "\n")
        parts.append(link)
    return "".join(parts).rstrip("\n")


class PrivateFormatter(logging.Formatter):
    """Formats tracebacks with `safe_message` in place of each error's own message."""

    def format(self, record: logging.LogRecord) -> str:
        # logging caches the first handler's traceback text on the record, and another
        # handler's formatter (a console, a test's capture) keeps the messages: ignore it.
        cached = record.exc_text
        record.exc_text = None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei: Any) -> str:  # noqa: N802 - logging's name
        return format_private(ei[1])


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A rotating log whose every file is readable by its owner only, whatever the umask."""

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, LOG_FILE_MODE)
        # A log an earlier version left readable by others is made private too.
        if hasattr(os, "fchmod"):
            with contextlib.suppress(OSError):
                os.fchmod(fd, LOG_FILE_MODE)
        # Always appending: RotatingFileHandler forces mode "a" when it rotates.
        return open(fd, "a", encoding=self.encoding, errors=self.errors)


def log_to_file(path: str) -> logging.Handler:
    handler = PrivateRotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(PrivateFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    return handler
