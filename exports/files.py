"""Atomic file writing: a temporary file beside the target, moved into place only on success."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


@contextlib.contextmanager
def atomic_output(path: Path | str) -> Iterator[BinaryIO]:
    """Yield a binary file that replaces `path` only if the block finishes without error.

    The temporary file lives in the target's folder so that `os.replace` is a rename on
    one file system, which is atomic: readers see the old file or the new one, never half.
    On any exception the temporary file is removed and an existing target is left alone.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            # Without fsync a crash just after the rename can leave an empty file behind.
            os.fsync(handle.fileno())
        # mkstemp makes the file private to its owner, which suits files that may hold
        # personal data; a file being replaced keeps the permissions it had.
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temp, target.stat().st_mode & 0o7777)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise


def write_text_atomic(path: Path | str, text: str) -> Path:
    """Write `text` as UTF-8 to `path` atomically and return the path."""
    target = Path(path)
    with atomic_output(target) as handle:
        handle.write(text.encode("utf-8"))
    return target
