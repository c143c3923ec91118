"""Files holding personal data: owner-only, written whole, and no leftovers after a crash."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from exports import files
from exports.files import atomic_output, make_private_folder, sweep_leftovers, write_text_atomic
from exports.letters import render_merged, write_letter_folder
from tests.exports.test_letters import THEME, document, letter

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
ROOT = Path(__file__).resolve().parents[2]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def open_umask():
    """The loosest umask a user could have: nothing the app writes may rely on it."""
    old = os.umask(0)
    yield
    os.umask(old)


def dead_pid() -> int:
    """The id of a process of ours that has finished (and been reaped)."""
    done = subprocess.Popen([sys.executable, "-c", "pass"])
    done.wait()
    return done.pid


def leftover(folder: Path, name: str, *, pid: int, host: str | None = None, is_dir=False) -> Path:
    """A temporary file or folder as an exporter of this version names it."""
    host = host or files.HOST_TAG
    path = folder / f".{name}.recruit-{host}-{pid}-abcd_123.tmp"
    if is_dir:
        path.mkdir()
        (path / "0001-outcome-letter.pdf").write_bytes(b"%PDF personal")
    else:
        path.write_bytes(b"%PDF personal")
    return path


def age(path: Path, seconds: float) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


# --- owner-only files and folders ----------------------------------------------------


@posix_only
def test_atomic_files_are_owner_only_whatever_the_umask(tmp_path, open_umask):
    target = tmp_path / "new" / "deeper" / "results.csv"
    write_text_atomic(target, "name\nJane\n")
    assert mode(target) == 0o600
    # The folders it had to make are private too; the one that was there is untouched.
    assert mode(tmp_path / "new") == 0o700 and mode(tmp_path / "new" / "deeper") == 0o700
    assert mode(tmp_path) == stat.S_IMODE(tmp_path.stat().st_mode)


@posix_only
def test_replacing_a_readable_file_makes_it_owner_only(tmp_path):
    target = tmp_path / "letters.pdf"
    target.write_bytes(b"old")
    target.chmod(0o644)
    with atomic_output(target) as handle:
        handle.write(b"new")
    assert target.read_bytes() == b"new" and mode(target) == 0o600


@posix_only
def test_make_private_folder_leaves_existing_folders_alone(tmp_path, open_umask):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    made = make_private_folder(shared / "a" / "b")
    assert made == shared / "a" / "b"
    assert mode(shared) == 0o755
    assert mode(shared / "a") == 0o700 and mode(shared / "a" / "b") == 0o700
    assert make_private_folder(shared) == shared and mode(shared) == 0o755


@posix_only
def test_letters_one_each_in_this_process_are_owner_only(tmp_path, open_umask):
    out = tmp_path / "exports" / "letters"
    paths = write_letter_folder(document((letter(1), letter(2))), out, THEME)
    assert [mode(p) for p in paths] == [0o600, 0o600]
    assert mode(out) == 0o700 and mode(tmp_path / "exports") == 0o700


@posix_only
def test_letters_on_two_cores_are_owner_only(tmp_path, open_umask):
    out = tmp_path / "letters"
    letters = tuple(letter(n) for n in range(1, 5))
    paths = write_letter_folder(document(letters), out, THEME, parallel_from=1, chunk_size=1)
    assert len(paths) == 4 and {mode(p) for p in paths} == {0o600}
    assert mode(out) == 0o700
    assert sorted(p.name for p in tmp_path.iterdir()) == ["letters"]


@posix_only
def test_letters_into_an_existing_folder_are_owner_only(tmp_path, open_umask):
    out = tmp_path / "letters"
    out.mkdir(mode=0o755)
    (out / "0001-outcome-letter.pdf").write_bytes(b"an old letter")
    (out / "0001-outcome-letter.pdf").chmod(0o644)
    paths = write_letter_folder(document((letter(1), letter(2))), out, THEME)
    assert {mode(p) for p in paths} == {0o600}
    assert mode(out) == 0o755  # the person's own folder keeps the mode they gave it


class DiesInAWorker(str):
    """A name that ends the worker process that unpickles it, as running out of memory would."""

    def __reduce__(self):
        return (os._exit, (1,))


def test_when_a_worker_dies_the_letters_are_rendered_here_instead(tmp_path):
    # The last letter is sent only after an earlier one is written, so the fallback
    # finds letters in the staging folder already.
    letters = (*(letter(n) for n in range(1, 6)), letter(6, first_name=DiesInAWorker("Zoë")))
    out = tmp_path / "letters"
    paths = write_letter_folder(document(letters), out, THEME, parallel_from=1, chunk_size=1)
    assert [p.name for p in paths] == [f"{n:04d}-outcome-letter.pdf" for n in range(1, 7)]
    assert all(len(PdfReader(p).pages) == 1 for p in paths)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["letters"]


@posix_only
def test_merged_letters_are_owner_only(tmp_path, open_umask):
    path = render_merged(document((letter(1), letter(2))), tmp_path / "letters.pdf", THEME)
    assert mode(path) == 0o600 and len(PdfReader(path).pages) == 2


# --- leftovers of a crash ------------------------------------------------------------


def test_temporary_names_say_whose_they_are(tmp_path):
    seen: list[str] = []
    with atomic_output(tmp_path / "letters.pdf") as handle:
        seen = [p.name for p in tmp_path.iterdir()]
        handle.write(b"x")
    assert len(seen) == 1
    pattern = rf"\.letters\.pdf\.recruit-{files.HOST_TAG}-{os.getpid()}-[a-z0-9_]{{8}}\.tmp"
    assert re.fullmatch(pattern, seen[0]), seen


def test_leftovers_of_a_finished_process_are_swept(tmp_path):
    gone = dead_pid()
    as_file = leftover(tmp_path, "letters.pdf", pid=gone)
    as_folder = leftover(tmp_path, "letters", pid=gone, is_dir=True)
    removed = sweep_leftovers(tmp_path)
    assert sorted(removed) == sorted([as_file, as_folder])
    assert list(tmp_path.iterdir()) == []


def test_what_is_not_a_dead_exports_leftover_stays(tmp_path):
    kept = [
        # A running export: this process's own, and one on another computer.
        leftover(tmp_path, "letters.pdf", pid=os.getpid()),
        leftover(tmp_path, "letters", pid=dead_pid(), host="0badc0de"),
        # Other programs' files, and the person's own.
        tmp_path / ".letters.pdf.tmp",
        tmp_path / "notes.tmp",
        tmp_path / ".letters.pdf.recruit-nothex00-12-abcdefgh.tmp",
        tmp_path / "letters.pdf",
        # An earlier version's name for the same target, fresh: it may be in use.
        tmp_path / ".letters.pdf.abcd1234.tmp",
        # A different target's name in the earlier version's style: not recognisably ours.
        tmp_path / ".report.pdf.abcd1234.tmp",
    ]
    for path in kept[2:]:
        path.write_bytes(b"keep")
    age(kept[-1], 2 * 24 * 3600)
    (tmp_path / "link-target").mkdir()
    link = tmp_path / f".x.recruit-{files.HOST_TAG}-{dead_pid()}-abcdefgh.tmp"
    link.symlink_to(tmp_path / "link-target")
    kept += [link, tmp_path / "link-target"]

    assert sweep_leftovers(tmp_path, targets=["letters.pdf"]) == []
    assert sorted(tmp_path.iterdir()) == sorted(kept)


def test_old_leftovers_go_even_when_their_owner_cannot_be_checked(tmp_path):
    other_host = leftover(tmp_path, "letters", pid=4242, host="0badc0de", is_dir=True)
    earlier_version = tmp_path / ".letters.pdf.abcd1234.tmp"
    earlier_version.write_bytes(b"personal")
    for path in (other_host, other_host / "0001-outcome-letter.pdf", earlier_version):
        age(path, 2 * 3600)
    removed = sweep_leftovers(tmp_path, targets=["letters.pdf"])
    assert sorted(removed) == sorted([other_host, earlier_version])
    assert list(tmp_path.iterdir()) == []


def test_writing_a_file_sweeps_its_folder(tmp_path):
    stale = leftover(tmp_path, "results.csv", pid=dead_pid())
    write_text_atomic(tmp_path / "audit.csv", "a,b\n")
    assert not stale.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["audit.csv"]


def test_a_letters_export_sweeps_its_folder(tmp_path):
    gone = dead_pid()
    stale = [leftover(tmp_path, "letters", pid=gone, is_dir=True)]
    stale.append(leftover(tmp_path, "letters.pdf", pid=gone))
    write_letter_folder(document((letter(1),)), tmp_path / "letters", THEME)
    assert [p.exists() for p in stale] == [False, False]
    assert [p.name for p in tmp_path.iterdir()] == ["letters"]


def test_a_running_process_is_told_from_a_finished_one():
    assert files.process_running(os.getpid())
    assert not files.process_running(dead_pid())


# --- one way to write files ----------------------------------------------------------

# Only these may create files or temporary names on their own, each for its stated reason.
OWN_WRITERS = {
    "exports/files.py": "the shared safe-write helper itself",
    "recruit_app/settings.py": "settings.json holds no personal data (its own atomic write)",
    "recruit_app/logs.py": "the log, appended to as it goes: owner-only, no personal data",
}
WRITING = re.compile(
    r"mkstemp|mkdtemp|NamedTemporaryFile|TemporaryDirectory|os\.replace|os\.rename"
    r"|\.write_text\(|\.write_bytes\(|open\([^)]*[\"'][wax]b?\+?[\"']"
)


def test_every_writer_goes_through_the_shared_helper():
    found = []
    for package in ("exports", "recruit_app"):
        for path in sorted((ROOT / package).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if name in OWN_WRITERS:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if WRITING.search(line):
                    found.append(f"{name}:{number}: {line.strip()}")
    assert found == [], "write files through exports.files (owner-only, atomic, swept)"
