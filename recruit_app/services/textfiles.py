"""Reading text and JSON files people bring: any common encoding, size-limited, in plain words."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

from recruit_app.errors import ValidationError

DEFAULT_LIMIT = 50 * 1024 * 1024


def read_text(path: Path, *, limit: int = DEFAULT_LIMIT) -> str:
    """The file's text: UTF-8 (with or without BOM), else Windows-1252 as Excel saves it."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise ValidationError(
                f"{path.name} is {size / 1_048_576:.1f} MB; the limit is "
                f"{limit / 1_048_576:.0f} MB."
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"There is no file at {path}.") from None
    except IsADirectoryError:
        raise ValidationError(f"{path} is a folder, not a file.") from None
    except PermissionError:
        raise ValidationError(f"Recruit may not read {path}.") from None
    if b"\x00" in data[:4096]:
        raise ValidationError(f"{path.name} is not a text file.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ValidationError(
            f"{path.name} is not in a text encoding Recruit can read (UTF-8 or Windows-1252)."
        ) from None


# JSON nests a Recruit file at most six deep; far deeper is a damaged or hostile file.
MAX_JSON_DEPTH = 32


class _Refused(Exception):
    """A value json.loads must not accept, raised from inside its hooks."""


def _constant(name: str) -> Any:
    raise _Refused(f"holds {name}, which is not a number; write a number instead")


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _Refused(f"holds the number {_shortened(text)}, which is too large")
    return value


def parse_json(text: str, source: str) -> Any:
    """Parsed JSON, refusing what Python's json would let through into the app.

    NaN and Infinity are not JSON, and would pass every "from 0 to 100" check; numbers
    too long for Python to read and nesting deep enough to exhaust the stack would
    otherwise fail with errors the user cannot act on.
    """
    try:
        data = json.loads(text, parse_constant=_constant, parse_float=_finite)
    except _Refused as exc:
        raise ValidationError(f"{source} {exc}.") from None
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"{source} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from None
    except RecursionError:
        raise ValidationError(f"{source} is nested too deeply to be a Recruit file.") from None
    except ValueError:
        # Python refuses to read integers of more than sys.get_int_max_str_digits() digits.
        raise ValidationError(
            f"{source} holds a number with more than {sys.get_int_max_str_digits():,} digits; "
            "no value in a Recruit file is that long."
        ) from None
    _check_values(data, source)
    return data


def _check_values(data: Any, source: str) -> None:
    """Refuse nesting deeper than any Recruit file, and text no database can store.

    Walked without recursion, so a deep file cannot exhaust the stack here either.
    """
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            _check_text(value, source)
            continue
        if isinstance(value, dict):
            children: list[Any] = [*value.keys(), *value.values()]
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth >= MAX_JSON_DEPTH:
            raise ValidationError(f"{source} is nested too deeply to be a Recruit file.")
        stack.extend((child, depth + 1) for child in children)


def _check_text(text: str, source: str) -> None:
    # The escapes \u0000 and \ud800 make characters PostgreSQL and UTF-8 cannot store.
    if "\x00" in text:
        raise ValidationError(f"{source} holds a NUL character (\\u0000) in its text.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(
            f"{source} holds text with a broken character (an unpaired \\u escape)."
        ) from None


def _shortened(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
