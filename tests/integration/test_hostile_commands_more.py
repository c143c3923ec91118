"""The newer commands used by a hostile hand: `fairness import`, `candidates add`,
`organisation set --logo`, `users`, `results set-outcome` and `audit list|export`.

Killed (SIGKILL) part-way, run twice at once, given odd paths and broken files, arguments
that are not text, and a reader that has gone: each ends whole or changes nothing, with
one plain line and exit code 1 (141 for a closed pipe, as a shell reports SIGPIPE).
The kills and races run real processes through tests/helpers/faults.py and races.py.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import text

from recruit_app.cli import EXIT_CLOSED_PIPE, main
from recruit_app.services.database import open_db
from tests.integration.test_concurrent_processes import _race
from tests.integration.test_fault_injection import _faults
from tests.integration.test_hostile_files import db_fingerprint, refused, run

pytestmark = pytest.mark.usefixtures("sign_in_on_postgres")

ROOT = Path(__file__).resolve().parents[2]
REF = "HOST-1"
MANY = 5_000  # candidates, and lines of answers: 10 chunks of deletes and of inserts
ODD = "odd #1? é dir"  # a folder name with what URLs and shells treat specially
NOT_TEXT = "B\udced\udca0\udc80"  # what Python makes of bytes that are not UTF-8 in argv


# --- set-up ---------------------------------------------------------------------------


def _campaign_with(capsys, url: str, tmp_path: Path, count: int) -> None:
    """Campaign REF with candidates 00001.. (c{n}@example.org), imported as a user would."""
    assert main(["--db", url, "campaign", "create", "--title", "Hostile", "--reference", REF]) == 0
    people = tmp_path / "people.csv"
    lines = ["Candidate number,First name,Surname,E-mail"]
    lines += [f"{n:05d},Person,Number {n},c{n}@example.org" for n in range(1, count + 1)]
    people.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["--db", url, "candidates", "import", REF, str(people)]) == 0
    capsys.readouterr()


def _answers_file(path: Path, count: int, sex: str, disability: str) -> Path:
    lines = ["Candidate number,Sex,Disability"]
    lines += [f"{n:05d},{sex},{disability}" for n in range(1, count + 1)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _answers(url: str) -> dict[tuple[str, str], int]:
    """How many answers of each (question, category), and the duplicates as ('dup', '')."""
    db = open_db(url)
    try:
        with db.engine.connect() as connection:
            found = {
                (q, c): n
                for q, c, n in connection.execute(
                    text(
                        "SELECT characteristic, category, count(*) FROM equality_answer "
                        "GROUP BY characteristic, category"
                    )
                )
            }
            dup = connection.execute(
                text(
                    "SELECT count(*) FROM (SELECT candidate_id, characteristic "
                    "FROM equality_answer GROUP BY candidate_id, characteristic "
                    "HAVING count(*) > 1) AS twice"
                )
            ).scalar()
            if db.backend == "sqlite":
                assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        db.dispose()
    if dup:
        found["dup", ""] = dup
    return found


def _audited(url: str, action: str) -> int:
    db = open_db(url)
    try:
        with db.engine.connect() as connection:
            return connection.execute(
                text("SELECT count(*) FROM audit_event WHERE action = :a"), {"a": action}
            ).scalar()
    finally:
        db.dispose()


def _killed(monkeypatch, url: str, statement: str, points: list[int], *args: str) -> list[dict]:
    """Run `recruit-app --db URL ARGS` once per point, killed just before that statement
    beginning with `statement`; how each attempt ended."""
    monkeypatch.setenv("FAULT_STATEMENT", statement)
    lines = _faults("command", *map(str, points), "--", "--db", url, *args)
    monkeypatch.delenv("FAULT_STATEMENT")
    return [json.loads(line) for line in lines]


def _picture(path: Path, size: tuple[int, int], *, noise: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if noise:  # does not compress: a big file
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (29, 112, 184))
    image.save(path)
    return path


def _stored_logo(url: str) -> bytes:
    from db.models import AppSetting

    db = open_db(url)
    try:
        with db.session() as session:
            setting = session.get(AppSetting, "organisation_logo")
            return base64.b64decode(setting.value) if setting and setting.value else b""
    finally:
        db.dispose()


def _organisation(capsys, url: str) -> dict:
    code, out, err = run(capsys, "--db", url, "organisation", "show", "--json")
    assert code == 0, err
    return json.loads(out)


# --- 1. killed part-way -----------------------------------------------------------------

SEX_A, SEX_B = ("sex", "female"), ("sex", "male")
DIS_A, DIS_B = ("disability", "no"), ("disability", "yes")


@pytest.mark.slow
def test_a_fairness_import_killed_at_any_point_keeps_the_old_answers_whole(
    capsys, monkeypatch, db_url, tmp_path
):
    _campaign_with(capsys, db_url, tmp_path, MANY)
    before = _answers_file(tmp_path / "before.csv", MANY, "Female", "No")
    after = _answers_file(tmp_path / "after.csv", MANY, "Male", "Yes")
    assert main(["--db", db_url, "fairness", "import", REF, str(before)]) == 0
    capsys.readouterr()
    whole_before = {SEX_A: MANY, DIS_A: MANY}
    assert _answers(db_url) == whole_before
    imports = _audited(db_url, "equality.import")
    # Before the first, a middle and the last chunk of the deletes and of the inserts, and
    # after them all (before the audit row, the last statement before the commit).
    for statement, points in (
        ("DELETE FROM equality_answer", [1, 5, 10]),
        ("INSERT INTO equality_answer", [1, 5, 10]),
        ("INSERT INTO audit_event", [1]),
    ):
        ended = _killed(
            monkeypatch, db_url, statement, points, "fairness", "import", REF, str(after)
        )
        assert [e["ended"] for e in ended] == ["signal 9"] * len(points), (statement, ended)
        assert _answers(db_url) == whole_before, statement
    assert _audited(db_url, "equality.import") == imports
    # The next command works, and the import run again is whole.
    assert main(["--db", db_url, "fairness", "import", REF, str(after), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["candidates"] == MANY and report["answers"] == 2 * MANY
    assert _answers(db_url) == {SEX_B: MANY, DIS_B: MANY}


def test_organisation_set_killed_while_storing_a_big_logo_keeps_the_old_one(
    capsys, monkeypatch, db_url, tmp_path
):
    small = _picture(tmp_path / "small.png", (40, 20))
    big = _picture(tmp_path / "big.png", (800, 800), noise=True)
    assert 1_500_000 < big.stat().st_size < 2_000_000  # near the limit
    assert (
        main(["--db", db_url, "organisation", "set", "--name", "Before", "--logo", str(small)]) == 0
    )
    capsys.readouterr()
    shown = _organisation(capsys, db_url)
    fingerprint = db_fingerprint(db_url)
    for statement in ("UPDATE app_setting", "INSERT INTO audit_event"):
        ended = _killed(
            monkeypatch,
            db_url,
            statement,
            [1],
            "organisation",
            "set",
            "--name",
            "After",
            "--logo",
            str(big),
        )
        assert [e["ended"] for e in ended] == ["signal 9"], (statement, ended)
        assert db_fingerprint(db_url) == fingerprint, statement
    assert _organisation(capsys, db_url) == shown
    assert _stored_logo(db_url) == small.read_bytes()
    # The next command works.
    code, _out, err = run(capsys, "--db", db_url, "organisation", "set", "--logo", str(big))
    assert code == 0, err
    assert _stored_logo(db_url) == big.read_bytes()


def test_candidates_add_killed_part_way_adds_nobody_and_the_next_add_works(
    capsys, monkeypatch, db_url, tmp_path
):
    _campaign_with(capsys, db_url, tmp_path, 3)
    fingerprint = db_fingerprint(db_url)
    add = ["candidates", "add", REF, "--first-name", "Kim", "--last-name", "Killed"]
    for statement in ("INSERT INTO candidate", "INSERT INTO audit_event"):
        ended = _killed(monkeypatch, db_url, statement, [1], *add, "--email", "kim@example.org")
        assert [e["ended"] for e in ended] == ["signal 9"], (statement, ended)
        assert db_fingerprint(db_url) == fingerprint, statement
    code, out, err = run(capsys, "--db", db_url, *add, "--email", "kim@example.org", "--json")
    assert code == 0, err
    assert json.loads(out)["candidate_number"] == "00004"


# --- 2. two at once ---------------------------------------------------------------------


def test_two_fairness_imports_of_one_file_at_once_save_each_answer_once(capsys, db_url, tmp_path):
    count = 300
    _campaign_with(capsys, db_url, tmp_path, count)
    answers = _answers_file(tmp_path / "answers.csv", count, "Female", "No")
    ended = _race(
        2,
        "--db",
        db_url,
        "fairness",
        "import",
        REF,
        str(answers),
        "--json",
        table="equality_answer",
    )
    done = [e for e in ended if e["code"] == 0]
    refused_ = [e for e in ended if e["code"] != 0]
    assert done, ended
    for e in refused_:  # waited too long for the other: a plain line, nothing half-done
        assert e["code"] == 1, e
        assert e["err"].startswith("recruit-app: ") and e["err"].count("\n") == 1, e
        assert "something went wrong" not in e["err"]
    for e in done:
        assert json.loads(e["out"])["answers"] == 2 * count, e
    assert _answers(db_url) == {SEX_A: count, DIS_A: count}
    assert _audited(db_url, "equality.import") == len(done)


# --- 3. odd paths ------------------------------------------------------------------------


def test_files_and_a_database_in_a_folder_named_with_hash_question_mark_space_and_accent(
    capsys, db_url, tmp_path
):
    folder = tmp_path / ODD
    url = db_url
    if not db_url.startswith("postgresql"):
        folder.mkdir()
        url = str(folder / "da ta #?é.sqlite3")
        shutil.move(db_url, url)
    _campaign_with(capsys, url, tmp_path, 5)
    answers = _answers_file(folder / "an swers #2?é.csv", 5, "Female", "No")
    code, out, err = run(capsys, "--db", url, "fairness", "import", REF, answers, "--json")
    assert code == 0, err
    assert json.loads(out)["source"] == "an swers #2?é.csv"
    logo = _picture(folder / "lo go #3?é.png", (30, 10))
    code, _out, err = run(capsys, "--db", url, "organisation", "set", "--logo", logo)
    assert code == 0, err
    assert _organisation(capsys, url)["logo"] == "lo go #3?é.png"
    assert _stored_logo(url) == logo.read_bytes()
    target = folder / "tr ail #4?é.csv"
    code, _out, err = run(capsys, "--db", url, "audit", "export", "--out", target)
    assert code == 0, err
    assert "Imported the equality monitoring answers" in target.read_text(encoding="utf-8-sig")
    if not db_url.startswith("postgresql"):
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            ["home", "people.csv", ODD]
        )  # nothing made under a name cut at the '#' or '?'


def test_a_sqlite_url_whose_path_holds_a_question_mark_is_refused_not_cut_short(capsys, tmp_path):
    folder = tmp_path / ODD
    folder.mkdir()
    code, _out, err = run(capsys, "--db", f"sqlite:///{folder}/d.sqlite3", "campaign", "list")
    assert code == 1, err
    assert err.count("\n") == 1 and "%3F" in err, err
    # Not the database "odd #1" the URL's query string would leave.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", ODD]
    assert list(folder.iterdir()) == []


# --- 4. hostile files ---------------------------------------------------------------------


def _hostile_answers(path: Path, kind: str) -> Path:
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "binary garbage":
        path.write_bytes(bytes(range(256)) * 40)
    elif kind == "NUL bytes":
        path.write_bytes(b"Candidate number,Sex\r\n00001,Fe\x00male\r\n")
    elif kind == "10 MB on one line":
        path.write_bytes(b"Candidate number," + b"x" * 10_000_000)
    elif kind == "10 MB in one cell":
        path.write_bytes(b"Candidate number,Sex\r\n00001," + b"x" * 10_000_000 + b"\r\n")
    elif kind == "a quote left open":
        path.write_bytes(b'Candidate number,Sex\r\n00001,"Female\r\n00002,Male\r\n')
    elif kind == "a zip called csv":
        path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    return path


HOSTILE_ANSWERS = {
    "empty": "is empty",
    "binary garbage": "is not a text file",
    "NUL bytes": "is not a text file",
    "10 MB on one line": "--map HEADING=CODE",  # one heading: no question to save
    "10 MB in one cell": "left out",  # reported, and nothing else to save
    "a quote left open": "line 2",
    "a zip called csv": "not CSV text",
}


@pytest.mark.parametrize("kind", list(HOSTILE_ANSWERS))
def test_a_hostile_answers_file_is_refused_in_one_line_and_nothing_written(
    capsys, db_url, tmp_path, kind
):
    _campaign_with(capsys, db_url, tmp_path, 2)
    path = _hostile_answers(tmp_path / "answers.csv", kind)
    if kind == "10 MB in one cell":  # a file with one bad answer: read, reported, no answer
        code, out, err = run(capsys, "--db", db_url, "fairness", "import", REF, path)
        assert code == 0, err
        assert HOSTILE_ANSWERS[kind] in out and len(out) < 2_000
        assert _answers(db_url) == {}
        return
    message = refused(capsys, db_url, "fairness", "import", REF, path)
    assert HOSTILE_ANSWERS[kind] in message, message
    assert len(message) < 400 and "\n" not in message.strip()


def _hostile_logo(folder: Path, kind: str) -> Path:
    good = _picture(folder / "good.png", (200, 100))
    whole = good.read_bytes()
    if kind == "text renamed .png":
        path = folder / "notes.png"
        path.write_text("This is not a picture.\n", encoding="utf-8")
    elif kind == "a truncated PNG":
        path = folder / "cut.png"
        path.write_bytes(whole[: len(whole) // 2])
    elif kind == "a PNG signature only":
        path = folder / "head.png"
        path.write_bytes(whole[:8])
    elif kind == "a truncated JPEG":
        jpeg = folder / "whole.jpg"
        Image.open(good).save(jpeg)
        path = folder / "cut.jpg"
        path.write_bytes(jpeg.read_bytes()[:300])
    elif kind == "a PNG with a broken checksum":
        path = folder / "crc.png"
        broken = bytearray(whole)
        broken[30] ^= 0xFF  # inside the header chunk (IHDR)
        path.write_bytes(bytes(broken))
    elif kind == "a picture too many pixels to open":
        path = folder / "bomb.png"
        Image.new("1", (40_000, 40_000)).save(path)  # a few kilobytes, 1.6 gigapixels
    elif kind == "an empty file":
        path = folder / "empty.png"
        path.write_bytes(b"")
    elif kind == "a folder":
        path = folder / "folder.png"
        path.mkdir()
    return path


HOSTILE_LOGOS = [
    "text renamed .png",
    "a truncated PNG",
    "a PNG signature only",
    "a truncated JPEG",
    "a PNG with a broken checksum",
    "a picture too many pixels to open",
    "an empty file",
    "a folder",
]


@pytest.mark.parametrize("kind", HOSTILE_LOGOS)
def test_a_hostile_logo_is_refused_in_one_line_and_nothing_written(capsys, db_url, tmp_path, kind):
    path = _hostile_logo(tmp_path, kind)
    message = refused(capsys, db_url, "organisation", "set", "--name", "X", "--logo", path)
    assert "logo" in message.lower() or "picture" in message.lower() or "file" in message
    assert len(message) < 300


# --- arguments that are not text -----------------------------------------------------------


NOT_TEXT_COMMANDS = {
    "candidates add: name": [
        "candidates",
        "add",
        REF,
        "--first-name",
        NOT_TEXT,
        "--last-name",
        "B",
        "--email",
        "nt@example.org",
    ],
    "candidates add: e-mail": [
        "candidates",
        "add",
        REF,
        "--first-name",
        "A",
        "--last-name",
        "B",
        "--email",
        f"{NOT_TEXT}@example.org",
    ],
    "users add: name": ["users", "add", "--name", NOT_TEXT, "--email", "nt@example.org"],
    "users add: e-mail": ["users", "add", "--name", "Nat", "--email", f"{NOT_TEXT}@example.org"],
    "users edit: name": ["users", "edit", "pat@example.org", "--name", NOT_TEXT],
    "organisation set: name": ["organisation", "set", "--name", NOT_TEXT],
    "organisation set: marking": ["organisation", "set", "--marking", NOT_TEXT],
    "audit list: person": ["audit", "list", "--person", NOT_TEXT],
    "audit export: person": ["audit", "export", "--person", NOT_TEXT, "--out", "{tmp}/a.csv"],
}


@pytest.mark.parametrize("words", list(NOT_TEXT_COMMANDS.values()), ids=list(NOT_TEXT_COMMANDS))
def test_an_argument_that_is_not_text_is_refused_in_plain_words(capsys, db_url, tmp_path, words):
    _campaign_with(capsys, db_url, tmp_path, 1)
    assert (
        main(["--db", db_url, "users", "add", "--name", "Pat", "--email", "pat@example.org"]) == 0
    )
    capsys.readouterr()
    words = [w.replace("{tmp}", str(tmp_path)) for w in words]
    message = refused(capsys, db_url, *words)
    assert "not text" in message or "not look like an e-mail" in message, message
    assert not (tmp_path / "a.csv").exists()


# --- users, outcomes and the audit trail ---------------------------------------------------


def test_users_commands_refuse_hostile_values_in_one_line(capsys, db_url, tmp_path):
    assert (
        main(["--db", db_url, "users", "add", "--name", "Pat", "--email", "pat@example.org"]) == 0
    )
    assert (
        main(["--db", db_url, "users", "add", "--name", "Sam", "--email", "sam@example.org"]) == 0
    )
    capsys.readouterr()
    for words, expected in (
        (["users", "add", "--name", "Pat Again", "--email", "PAT@example.org"], "pat@example.org"),
        (["users", "add", "--name", "x" * 5000, "--email", "long@example.org"], "name"),
        (["users", "add", "--name", "Ctl\x07", "--email", "ctl@example.org"], "name"),
        (["users", "add", "--name", "Bad", "--email", "not-an-address"], "e-mail"),
        (["users", "edit", "sam@example.org", "--new-email", "pat@example.org"], "pat@"),
        (["users", "edit", "nobody@example.org", "--name", "N"], "nobody@example.org"),
        (["users", "deactivate", "nobody@example.org"], "nobody@example.org"),
    ):
        message = refused(capsys, db_url, *words)
        assert expected in message.lower(), (words, message)
        assert len(message) < 300


def test_audit_list_refuses_odd_paging_and_dates_in_one_line(capsys, db_url, tmp_path):
    for words in (
        ["audit", "list", "--limit", "-1"],
        ["audit", "list", "--offset", str(10**30)],
        ["audit", "list", "--limit", str(10**30)],
    ):
        code, out, err = run(capsys, "--db", db_url, *words)
        assert code in (0, 1), (words, err)
        assert "something went wrong" not in err and "Traceback" not in err
        if code == 0 and "--json" in words:
            json.loads(out)
    with pytest.raises(SystemExit) as usage:  # argparse's usage error, as for any option
        main(["--db", db_url, "audit", "list", "--since", "2026-02-30"])
    assert usage.value.code == 2 and "2026-02-30" in capsys.readouterr().err
    message = refused(capsys, db_url, "audit", "export", "--out", tmp_path / "trail.txt")
    assert ".csv" in message
    (tmp_path / "a file").write_text("x", encoding="utf-8")
    message = refused(capsys, db_url, "audit", "export", "--out", tmp_path / "a file" / "t.csv")
    assert len(message) < 300 and (tmp_path / "a file").read_text(encoding="utf-8") == "x"


# --- 5. a reader that has gone -------------------------------------------------------------


def _to_a_closed_pipe(*args: str) -> subprocess.CompletedProcess:
    """Run `recruit-app ARGS` with its output a pipe nobody reads any more (`| head -0`)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "recruit_app", *args],
            cwd=ROOT,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write_end)


def test_listings_into_a_closed_pipe_end_quietly(capsys, db_url, tmp_path):
    _campaign_with(capsys, db_url, tmp_path, 12)
    answers = _answers_file(tmp_path / "answers.csv", 12, "Female", "No")
    assert main(["--db", db_url, "fairness", "import", REF, str(answers)]) == 0
    capsys.readouterr()
    for words in (
        ["audit", "list", "--json"],
        ["audit", "list"],
        ["fairness", REF, "--json"],
        ["fairness", REF],
        ["campaign", "list"],
        ["candidates", "list", REF],
        ["users", "list", "--json"],
        ["organisation", "show", "--json"],
    ):
        done = _to_a_closed_pipe("--db", db_url, *words)
        assert done.returncode == EXIT_CLOSED_PIPE, (words, done.stderr)
        assert done.stderr == "", (words, done.stderr)
