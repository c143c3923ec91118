"""The log file: what went wrong, for support, without the personal data involved.

Database errors are the risk: SQLAlchemy's own message carries the values written (hidden
by the engines' `hide_parameters`) and PostgreSQL adds a DETAIL line that quotes the row
("Key (email)=(...) already exists"). The log keeps the traceback and the error's first
line only.
"""

from __future__ import annotations

import logging
import traceback
from types import TracebackType

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def safe_message(exc: BaseException) -> str:
    """The error in one line, without the values a database error quotes."""
    if getattr(exc, "orig", None) is not None and hasattr(exc, "statement"):
        first = str(exc.orig).strip().splitlines()  # type: ignore[attr-defined]
        return f"{type(exc.orig).__name__}: {first[0] if first else ''}"  # type: ignore[attr-defined]
    return f"{type(exc).__name__}: {exc}"


class PrivateFormatter(logging.Formatter):
    """Formats tracebacks with `safe_message` in place of each error's own message."""

    def formatException(self, ei: ExcInfo) -> str:  # noqa: N802 - logging's name
        exc = ei[1]
        lines = traceback.format_tb(ei[2])
        return "Traceback (most recent call last):\n" + "".join(lines) + safe_message(exc)


def log_to_file(path: str) -> logging.Handler:
    from logging.handlers import RotatingFileHandler

    handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(PrivateFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    return handler
