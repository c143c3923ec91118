"""Letters exports killed part-way (SIGKILL): no process and no personal data left behind.

Each test starts the real command line as a subprocess, waits for a chosen moment (the
staging folder made, the worker processes rendering, the merged file being written),
kills it with SIGKILL and then checks what a person would find: every process it started
gone, and after a second, normal export to the same folder, no temporary leftovers and
only owner-only files. Processes are recognised by a marker in their environment, which
spawned workers inherit and keep even after the killed parent's children are re-parented.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc (Linux)"),
]

ROOT = Path(__file__).resolve().parents[2]
MARK = "RECRUIT_FAULT_TEST_MARK"
REFERENCE, STAGE = "283922", "CV sift"
COPIES = 4  # the demo's 40 sift letters four times over: enough to run on two cores
TIMEOUT = 60.0
LEFTOVER = re.compile(r"^\..+\.tmp$")


# --- processes, seen through /proc ---------------------------------------------------


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name may hold spaces and brackets: the fields start after the last ")".
    return text.rsplit(")", 1)[1].split()


def _running(pid: int) -> bool:
    fields = _stat_fields(pid)
    return fields is not None and fields[0] not in ("Z", "X")  # a zombie has ended


def marked_processes(mark: str) -> set[int]:
    """Running processes whose environment carries `mark` (the CLI and all it started)."""
    needle = f"{MARK}={mark}".encode()
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if needle in environ.split(b"\0") and _running(int(entry.name)):
            found.add(int(entry.name))
    return found


def children(pid: int) -> dict[int, str]:
    """The running children of `pid`, with their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(int(entry.name))
        if fields is None or fields[0] in ("Z", "X") or int(fields[1]) != pid:
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        found[int(entry.name)] = command
    return found


def workers_of(pid: int) -> set[int]:
    return {c for c, command in children(pid).items() if "spawn_main" in command}


def wait_until(condition: Callable[[], object], what: str, process=None) -> object:
    """Poll `condition` until it holds; fail naming `what` after TIMEOUT seconds."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        value = condition()
        if value:
            return value
        if process is not None and process.poll() is not None:
            pytest.fail(f"the export ended ({process.returncode}) before {what}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.01)


# --- the database and the command ----------------------------------------------------


@pytest.fixture(scope="module")
def letters_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo (made by `recruit-app demo`) with the sift's outcomes for 160 candidates."""
    folder = tmp_path_factory.mktemp("fault-db")
    path = folder / "recruit.sqlite3"
    env = dict(os.environ, RECRUIT_APP_HOME=str(folder / "home"))
    env.pop("RECRUIT_APP_DB", None)
    subprocess.run(
        [sys.executable, "-m", "recruit_app", "--db", str(path), "demo"],
        check=True,
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    _more_candidates(path)
    return path


def _more_candidates(path: Path) -> None:
    from sqlmodel import col, select

    from db.models import Campaign, Candidate, Outcome, Stage
    from recruit_app.services.database import open_db

    db = open_db(str(path))
    try:
        with db.session() as session:
            campaign = session.exec(select(Campaign).where(Campaign.reference == REFERENCE)).one()
            stage = session.exec(
                select(Stage).where(Stage.campaign_id == campaign.id, Stage.name == STAGE)
            ).one()
            outcomes = session.exec(
                select(Outcome, Candidate)
                .join(Candidate, col(Candidate.id) == Outcome.candidate_id)
                .where(Outcome.stage_id == stage.id)
                .order_by(col(Candidate.candidate_number))
            ).all()
            number = len(outcomes)
            for copy in range(1, COPIES):
                for outcome, candidate in outcomes:
                    number += 1
                    twin = Candidate(
                        campaign_id=campaign.id,
                        candidate_number=f"{number:04d}",
                        first_name=candidate.first_name,
                        last_name=f"{candidate.last_name} {copy}",
                        email=f"{copy}.{candidate.email}",
                    )
                    session.add(twin)
                    session.flush()
                    session.add(Outcome(stage_id=stage.id, candidate_id=twin.id, kind=outcome.kind))
            session.commit()
    finally:
        db.dispose()


@pytest.fixture
def db_copy(letters_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "recruit.sqlite3"
    shutil.copyfile(letters_db, path)
    return path


class Export:
    """`recruit-app export pack REF --kind letters` to one target, run as a subprocess."""

    def __init__(self, db: Path, target: Path, home: Path, *, merge: bool = False) -> None:
        self.target, self.merge, self.mark = target, merge, uuid.uuid4().hex
        self.args = [sys.executable, "-m", "recruit_app", "--db", str(db), "export", "pack"]
        self.args += [REFERENCE, "--kind", "letters", "--stage", STAGE, "--out", str(target)]
        self.args += ["--merge"] if merge else []
        self.env = dict(os.environ, RECRUIT_APP_HOME=str(home), **{MARK: self.mark})
        self.env.pop("RECRUIT_APP_DB", None)
        target.parent.mkdir(parents=True, exist_ok=True)

    def start(self) -> subprocess.Popen[bytes]:
        # Output goes to files, not pipes: orphaned workers would hold a pipe open.
        self.output = self.target.parent.parent / f"{self.mark}.out"
        with self.output.open("wb") as output:
            return subprocess.Popen(
                self.args, stdout=output, stderr=subprocess.STDOUT, env=self.env, cwd=ROOT
            )

    def said(self) -> str:
        return self.output.read_text(errors="replace")

    def run(self) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(self.args, capture_output=True, env=self.env, cwd=ROOT, timeout=300)

    def temporaries(self) -> list[Path]:
        return [p for p in self.target.parent.iterdir() if LEFTOVER.match(p.name)]


def kill(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=TIMEOUT) == -signal.SIGKILL


@pytest.fixture
def exports() -> Iterator[list[Export]]:
    """The exports a test starts; whatever of theirs still runs at the end is ended, so a
    failing test leaves no orphans on a shared machine."""
    started: list[Export] = []
    yield started
    for export in started:
        for pid in marked_processes(export.mark):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def assert_all_gone(export: Export) -> None:
    """Every process the killed export started ends by itself, promptly."""
    wait_until(lambda: not marked_processes(export.mark), "the export's processes to end")


def assert_clean_after_a_second_export(export: Export, expected: int) -> None:
    done = export.run()
    assert done.returncode == 0, done.stderr.decode()
    assert export.temporaries() == []
    assert not marked_processes(export.mark)
    written = [export.target] if export.merge else sorted(export.target.iterdir())
    assert len(written) == expected
    assert {stat.S_IMODE(p.stat().st_mode) for p in written} == {0o600}
    if not export.merge:
        assert stat.S_IMODE(export.target.stat().st_mode) == 0o700
    assert sorted(export.target.parent.iterdir()) == [export.target]


# --- the tests -----------------------------------------------------------------------


def test_killed_while_the_workers_render(db_copy, tmp_path, exports):
    export = Export(db_copy, tmp_path / "out" / "letters", tmp_path / "home")
    exports.append(export)
    process = export.start()
    try:
        staging = wait_until(export.temporaries, "the staging folder", process)
        workers = wait_until(
            lambda: len(workers_of(process.pid)) == 2 and workers_of(process.pid),
            "two worker processes",
            process,
        )
        wait_until(lambda: any(staging[0].glob("*.pdf")), "a first letter", process)
        kill(process)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert_all_gone(export)
    assert all(not _running(pid) for pid in workers)
    # The workers saw their parent go and took the half-written letters with them.
    wait_until(lambda: not staging[0].exists(), "the workers to remove the staging folder")
    assert_clean_after_a_second_export(export, expected=40 * COPIES)


def test_killed_as_soon_as_the_staging_folder_appears(db_copy, tmp_path, exports):
    export = Export(db_copy, tmp_path / "out" / "letters", tmp_path / "home")
    exports.append(export)
    process = export.start()
    try:
        wait_until(export.temporaries, "the staging folder", process)
        kill(process)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert_all_gone(export)
    assert_clean_after_a_second_export(export, expected=40 * COPIES)


def test_killed_while_writing_the_merged_file(db_copy, tmp_path, exports):
    export = Export(db_copy, tmp_path / "out" / "letters.pdf", tmp_path / "home", merge=True)
    exports.append(export)
    process = export.start()
    try:
        temporary = wait_until(export.temporaries, "the merged file's temporary file", process)
        kill(process)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert_all_gone(export)
    assert temporary[0].exists()  # nobody was left to remove it: the next export does
    assert_clean_after_a_second_export(export, expected=1)


def test_a_running_exports_files_are_not_swept(db_copy, tmp_path, exports):
    """Two exports into one folder at once: the second does not sweep the first's files."""
    first = Export(db_copy, tmp_path / "out" / "letters", tmp_path / "home")
    second = Export(db_copy, tmp_path / "out" / "letters.pdf", tmp_path / "home", merge=True)
    exports += [first, second]
    process = first.start()
    try:
        wait_until(first.temporaries, "the first export's staging folder", process)
        done = second.run()
        assert done.returncode == 0, done.stderr.decode()
        assert process.wait(timeout=300) == 0, first.said()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert sorted(p.name for p in first.target.parent.iterdir()) == ["letters", "letters.pdf"]
    assert len(list(first.target.iterdir())) == 40 * COPIES
