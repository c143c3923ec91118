"""Reading text files people bring: any common encoding, size-limited, in plain words."""

from __future__ import annotations

from pathlib import Path

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
