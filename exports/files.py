"""Writing files that may hold personal data: owner-only, whole or not at all, no leftovers.

Every file Recruit writes goes through here. A file is written to a temporary file beside
its target, flushed to disk and moved into place with `os.replace`, a rename on one file
system: readers see the old file or the new one, never half. Files are created readable
by their owner only (0600) and folders made for them private (0700), whatever the umask:
letters, results, calendars and subject access records all hold personal data, and one
rule for every file is simpler to keep than a list of exceptions.

A process killed part-way (SIGKILL, a power cut) cannot remove its temporary files, so
their names say whose they are: `.NAME.recruit-HOST-PID-XXXXXXXX.tmp`, with HOST a short
hash of the computer's name. The next write into the same folder removes the ones whose
process has ended, and nothing else.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import socket
import stat
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
# Folders shared between computers (a network drive) hold other computers' temporary
# files too; their process ids mean nothing here, so those are judged by age alone.
HOST_TAG = hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]
MARKER = "recruit"
SUFFIX = ".tmp"
# Keeps a temporary name within the usual 255-character limit however long the target's.
NAME_ROOM = 120
# A temporary file nobody can vouch for (another computer's, or an earlier version's,
# whose names carry no process id) is removed once untouched this long before the export
# started: longer than any export takes between two writes.
STALE_AFTER = 3600.0

_OURS = re.compile(
    rf"\..+\.{MARKER}-(?P<host>[0-9a-f]{{8}})-(?P<pid>[0-9]+)-[a-z0-9_]{{8}}{re.escape(SUFFIX)}",
    re.DOTALL,
)
# Versions before process ids were added: `tempfile`'s eight random characters.
_EARLIER = r"\.{name}\.[a-z0-9_]{{8}}" + re.escape(SUFFIX)
_BINARY = getattr(os, "O_BINARY", 0)  # Windows would otherwise translate line ends


def temporary_prefix(name: str) -> str:
    """The start of a temporary name for the target `name`, made by this process."""
    return f".{name[:NAME_ROOM]}.{MARKER}-{HOST_TAG}-{os.getpid()}-"


# --- folders -------------------------------------------------------------------------


def make_private_folder(path: Path | str) -> Path:
    """Make `path` and any missing parents, each owner-only; existing folders stay as they are.

    Unlike `Path.mkdir(parents=True)`, which gives the parents it makes the default mode.
    """
    folder = Path(path)
    missing = []
    probe = folder
    while not probe.exists() and probe.parent != probe:
        missing.append(probe)
        probe = probe.parent
    for level in reversed(missing):
        try:
            level.mkdir(mode=PRIVATE_FOLDER)
        except FileExistsError:
            continue  # made meanwhile by someone else: theirs, not ours to change
        # The umask may have taken away more than asked (0500 would stop us writing).
        with contextlib.suppress(OSError):
            os.chmod(level, PRIVATE_FOLDER)
    if not folder.is_dir():
        raise FileExistsError(errno.EEXIST, "Not a folder", str(folder))
    return folder


def fsync_folder(path: Path | str) -> None:
    """Make a rename inside `path` durable (POSIX; Windows has no such call, nor needs it)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the data itself is synced
    finally:
        os.close(fd)


# --- files ---------------------------------------------------------------------------


@contextlib.contextmanager
def atomic_output(path: Path | str) -> Iterator[BinaryIO]:
    """Yield a binary file that replaces `path` only if the block finishes without error.

    The temporary file lives in the target's folder so that `os.replace` is a rename on
    one file system. On any exception it is removed and an existing target is left alone.
    The result is owner-only even where it replaces a file others could read.
    """
    target = Path(path)
    folder = make_private_folder(target.parent)
    sweep_leftovers(folder, targets=[target.name])
    fd, temp_name = tempfile.mkstemp(
        dir=folder, prefix=temporary_prefix(target.name), suffix=SUFFIX
    )
    temp = Path(temp_name)
    try:
        # mkstemp creates the file 0600 whatever the umask.
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            # Without fsync a crash just after the rename can leave an empty file behind.
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    fsync_folder(folder)


def write_text_atomic(path: Path | str, text: str) -> Path:
    """Write `text` as UTF-8 to `path` atomically and return the path."""
    target = Path(path)
    with atomic_output(target) as handle:
        handle.write(text.encode("utf-8"))
    return target


@contextlib.contextmanager
def new_private_file(path: Path | str) -> Iterator[BinaryIO]:
    """Yield a new owner-only file at `path` (inside a staging folder), synced to disk on
    success. Refuses to open an existing file or follow a link."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY
    with os.fdopen(os.open(path, flags, PRIVATE_FILE), "wb") as handle:
        yield handle
        handle.flush()
        os.fsync(handle.fileno())


# --- folders of files, all or nothing ------------------------------------------------


@contextlib.contextmanager
def staging_folder(target: Path | str) -> Iterator[Path]:
    """Yield a new owner-only folder beside `target` to fill; it is removed on the way out
    (after `move_into_place` has emptied it, or on an error)."""
    target = Path(target)
    folder = make_private_folder(target.parent)
    sweep_leftovers(folder, targets=[target.name])
    temp = Path(tempfile.mkdtemp(dir=folder, prefix=temporary_prefix(target.name), suffix=SUFFIX))
    try:
        yield temp
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def move_into_place(staging: Path, out: Path, names: Sequence[str]) -> list[Path]:
    """Move the files `names` from `staging` into the folder `out`, all or nothing."""
    if not out.exists():
        # One rename: the whole folder appears at once, private as mkdtemp made it.
        os.rename(staging, out)
        fsync_folder(out.parent)
        return [out / name for name in names]
    moved: list[Path] = []
    try:
        for name in names:
            os.replace(staging / name, out / name)
            moved.append(out / name)
    except BaseException:
        # All or nothing: take back what was moved (a letter replaced is lost either way).
        for path in moved:
            with contextlib.suppress(OSError):
                path.unlink()
        raise
    fsync_folder(out)
    return moved


# --- leftovers of processes that were killed -----------------------------------------


def sweep_leftovers(
    folder: Path | str, *, targets: Iterable[str] = (), started: float | None = None
) -> list[Path]:
    """Remove the temporary files and folders in `folder` that a killed export left.

    Removed: names of our pattern made on this computer by a process that has ended, and
    ones untouched for STALE_AFTER before `started` (now) whose owner cannot be checked:
    another computer's, or an earlier version's for one of `targets`. Never anything
    else: not a running export's, not a link, not another user's. Returns what went.
    """
    started = time.time() if started is None else started
    earlier = [re.compile(_EARLIER.format(name=re.escape(name)), re.DOTALL) for name in targets]
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    removed = []
    for entry in entries:
        ours = _OURS.fullmatch(entry.name)
        if ours is None and not any(p.fullmatch(entry.name) for p in earlier):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
            continue
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            continue
        if ours is not None and ours["host"] == HOST_TAG:
            abandoned = not process_running(int(ours["pid"]))
        else:
            abandoned = info.st_mtime < started - STALE_AFTER
        if abandoned and _remove(Path(entry.path), is_folder=stat.S_ISDIR(info.st_mode)):
            removed.append(Path(entry.path))
    return removed


def _remove(path: Path, *, is_folder: bool) -> bool:
    if is_folder:
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()
    return not os.path.lexists(path)


def process_running(pid: int) -> bool:
    """Whether a process with id `pid` is running on this computer (when unsure, yes)."""
    if pid <= 0:
        return False  # never a process of ours; and kill(0, ...) means the process group
    if sys.platform == "win32":
        return _windows_process_running(pid)
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process (PermissionError), or cannot tell
    if sys.platform.startswith("linux"):
        # An ended process its parent has not yet collected still answers (a zombie).
        with contextlib.suppress(OSError, IndexError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            return fields[0] not in ("Z", "X")
    return True


if sys.platform == "win32":
    import ctypes
    from ctypes import wintypes

    _kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    _kernel32.OpenProcess.restype = wintypes.HANDLE
    _kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    _kernel32.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))
    _kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
    _QUERY_LIMITED_INFORMATION, _STILL_ACTIVE, _ACCESS_DENIED = 0x1000, 259, 5

    def _windows_process_running(pid: int) -> bool:
        # os.kill(pid, 0) would end the process on Windows: ask the kernel instead.
        handle = _kernel32.OpenProcess(_QUERY_LIMITED_INFORMATION, False, pid)
        if not handle:
            return ctypes.get_last_error() == _ACCESS_DENIED
        try:
            code = wintypes.DWORD()
            if not _kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == _STILL_ACTIVE
        finally:
            _kernel32.CloseHandle(handle)
