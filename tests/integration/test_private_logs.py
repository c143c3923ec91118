"""The log file keeps no personal data and is the owner's alone; a closed pipe ends quietly."""

from __future__ import annotations

import json
import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from recruit_app.cli import main
from recruit_app.services.adverts import campaign_id_for
from recruit_app.services.candidates import list_candidates
from recruit_app.services.demo import build_demo

ROOT = Path(__file__).resolve().parents[2]
EXIT_INTERNAL_ERROR = 70
EXIT_CLOSED_PIPE = 141  # 128 + SIGPIPE, as a shell reports a reader that went away


@pytest.fixture
def demo_db(sqlite_url):
    """A SQLite file holding the demo campaign, and its first candidate."""
    from recruit_app.services.context import Actor, ServiceContext
    from recruit_app.services.database import open_db

    db = open_db(sqlite_url)
    try:
        ctx = ServiceContext(db=db, actor=Actor("Alex Manager"))
        build_demo(ctx)
        people = list_candidates(ctx, campaign_id_for(ctx, "283922"))
    finally:
        db.dispose()
    return sqlite_url, people[0]


def log_text(app_home: Path) -> str:
    # Handlers stay open between in-process runs: flush them before reading the file.
    for handler in logging.getLogger().handlers:
        handler.flush()
    path = app_home / "logs" / "recruit-app.log"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- no personal values in the log ---------------------------------------------------


def test_an_unexpected_error_leaves_its_type_and_place_but_not_its_values(
    capsys, monkeypatch, demo_db, app_home
):
    url, person = demo_db
    first, email = person.first_name, person.email

    def broken(*_args, **_kwargs):
        try:
            raise KeyError(email)
        except KeyError as exc:
            raise ValueError(f"could not convert string to float: {first!r}") from exc

    monkeypatch.setattr("recruit_app.services.candidates.list_candidates", broken)
    assert main(["--db", url, "candidates", "list", "283922"]) == EXIT_INTERNAL_ERROR
    err = capsys.readouterr().err
    assert "something went wrong" in err and first not in err

    logged = log_text(app_home)
    assert "unexpected error in cmd_candidates_list" in logged
    # Where it happened, for support: both errors of the chain, their types and frames.
    assert "ValueError" in logged and "KeyError" in logged
    assert "direct cause of the following exception" in logged
    assert "in cmd_candidates_list" in logged and "in broken" in logged
    # Never what it was about (the line of code that raised it is code, and is kept).
    assert first not in logged and email not in logged


def test_a_hostile_file_value_in_an_error_never_reaches_the_log(
    capsys, demo_db, app_home, tmp_path
):
    """A definition file whose stage weight is a person's name: whatever the command makes
    of it (today an unexpected float conversion error), the name is not written down."""
    url, _ = demo_db
    exported = tmp_path / "campaign.json"
    assert main(["--db", url, "campaign", "export", "283922", str(exported)]) == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    data["stages"][0]["criteria"][0]["weight"] = "Zofia Wiśniewska"
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps(data), encoding="utf-8")

    code = main(["--db", url, "campaign", "import", str(hostile), "--reference", "999001"])
    assert code in (1, EXIT_INTERNAL_ERROR)
    capsys.readouterr()
    logged = log_text(app_home)
    assert "Zofia" not in logged and "Wiśniewska" not in logged
    if code == EXIT_INTERNAL_ERROR:
        assert "ValueError" in logged and "_stage" in logged


def test_our_own_messages_known_to_be_free_of_personal_data_are_kept():
    from recruit_app.errors import Cancelled
    from recruit_app.logs import safe_message

    assert safe_message(Cancelled("The export was cancelled; no file was written.")) == (
        "recruit_app.errors.Cancelled: The export was cancelled; no file was written."
    )
    kept_out = safe_message(ValueError("could not convert string to float: 'Jane'"))
    assert "Jane" not in kept_out and kept_out.startswith("ValueError")


def test_a_database_error_keeps_the_constraint_not_the_values():
    import sqlite3

    from sqlalchemy.exc import IntegrityError

    from recruit_app.logs import safe_message

    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE person (email TEXT UNIQUE)")
    connection.execute("INSERT INTO person VALUES ('jane@example.org')")
    with pytest.raises(sqlite3.IntegrityError) as raised:
        connection.execute("INSERT INTO person VALUES ('jane@example.org')")
    connection.close()
    wrapped = IntegrityError("INSERT INTO person VALUES (?)", ("jane@example.org",), raised.value)
    line = safe_message(wrapped)
    assert "UNIQUE constraint failed: person.email" in line and "IntegrityError" in line
    assert "jane" not in line

    quoting = sqlite3.OperationalError('near "Jane": syntax error')
    line = safe_message(IntegrityError("SELECT", (), quoting))
    assert "Jane" not in line and "OperationalError" in line


# --- the log file is the owner's alone -----------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_the_log_file_is_owner_only_and_so_are_rotated_ones(tmp_path):
    from recruit_app.logs import log_to_file

    old = os.umask(0)
    try:
        path = tmp_path / "recruit-app.log"
        handler = log_to_file(str(path))
        try:
            assert mode(path) == 0o600
            record = logging.LogRecord("t", logging.INFO, __file__, 1, "written", None, None)
            handler.emit(record)
            handler.doRollover()  # type: ignore[attr-defined]
            handler.emit(record)
        finally:
            handler.close()
        rotated = tmp_path / "recruit-app.log.1"
        assert "written" in rotated.read_text(encoding="utf-8")
        assert mode(path) == 0o600 and mode(rotated) == 0o600

        # A log left readable by an earlier version is made private when next opened.
        path.chmod(0o644)
        log_to_file(str(path)).close()
        assert mode(path) == 0o600
    finally:
        os.umask(old)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_the_command_line_writes_an_owner_only_log(capsys, app_home):
    assert main(["--db", str(app_home.parent / "x.sqlite3"), "campaign", "list"]) == 0
    capsys.readouterr()
    assert mode(app_home / "logs" / "recruit-app.log") == 0o600


def test_running_the_command_line_twice_keeps_one_log_handler(capsys, app_home):
    for _ in range(2):
        main(["--db", str(app_home.parent / "x.sqlite3"), "campaign", "list"])
    capsys.readouterr()
    ours = [h for h in logging.getLogger().handlers if getattr(h, "recruit_app_log", False)]
    assert len(ours) == 1


# --- a reader that went away ---------------------------------------------------------


def _cli_env(app_home: Path) -> dict[str, str]:
    env = dict(os.environ, RECRUIT_APP_HOME=str(app_home), PYTHONPATH=str(ROOT))
    env.pop("RECRUIT_APP_DB", None)
    return env


@pytest.mark.skipif(os.name != "posix", reason="POSIX pipes")
@pytest.mark.parametrize(
    "command",
    [["candidates", "list", "283922", "--json"], ["candidates", "list", "283922"]],
    ids=["json", "table"],
)
def test_output_into_a_closed_pipe_ends_quietly(demo_db, app_home, command):
    url, _ = demo_db
    reader, writer = os.pipe()
    os.close(reader)  # nobody will read: the first write fails with EPIPE
    try:
        done = subprocess.run(
            [sys.executable, "-m", "recruit_app", "--db", url, *command],
            stdout=writer,
            stderr=subprocess.PIPE,
            env=_cli_env(app_home),
            cwd=ROOT,
            timeout=120,
        )
    finally:
        os.close(writer)
    assert done.stderr.decode() == ""
    assert done.returncode == EXIT_CLOSED_PIPE
    logged = log_text(app_home)
    assert "Traceback" not in logged and "ERROR" not in logged and "BrokenPipe" not in logged


@pytest.mark.skipif(os.name != "posix", reason="a POSIX shell pipeline")
def test_piping_into_head_prints_the_first_line_quietly(demo_db, app_home):
    url, _ = demo_db
    command = (
        f"set -o pipefail; {sys.executable} -m recruit_app --db {url} "
        "candidates list 283922 --json | head -1"
    )
    done = subprocess.run(
        ["bash", "-c", command],
        capture_output=True,
        env=_cli_env(app_home),
        cwd=ROOT,
        timeout=120,
    )
    assert done.stdout.decode() == "[\n"
    assert done.stderr.decode() == ""
    # Whether the reader left before the last write is a race: either end is quiet.
    assert done.returncode in (0, EXIT_CLOSED_PIPE)
    assert "Traceback" not in log_text(app_home)
