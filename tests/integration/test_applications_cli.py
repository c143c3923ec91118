"""`recruit-app applications import|show` (issue 15) on real databases: JSON shapes, errors
in words with exit code 1, odd paths, and an import killed at any statement."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from recruit_app.cli import main

pytestmark = pytest.mark.usefixtures("sign_in_on_postgres")
ROOT = Path(__file__).resolve().parents[2]

CANDIDATES = (
    "First name,Surname,E-mail,Phone\n"
    "Siân,O'Brien-Smith,sian@example.org,07700 900123\n"
    "Łukasz,Nowak,lukasz@example.org,\n"
)
ANSWERS = (
    "Candidate number,Personal statement,EXP1\n"
    '0001,"I am Siân O\'Brien-Smith; write to sian@example.org.",Python at a council.\n'
    "0002,Łukasz Nowak: Java for ten years.,\n"
)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def campaign(capsys, db_url, tmp_path):
    """A campaign from the DDAT template with two candidates; its files in an odd folder."""
    folder = tmp_path / "Siân's #1 ? files"
    folder.mkdir()
    people = folder / "candidates.csv"
    people.write_text(CANDIDATES, encoding="utf-8")
    answers = folder / "answers – final.csv"
    answers.write_text(ANSWERS, encoding="utf-8")
    documents = folder / "cvs"
    documents.mkdir()
    (documents / "0002 CV.txt").write_text("Łukasz Nowak, +44 7700 900456", encoding="utf-8")
    code, _out, err = run(capsys, "--db", db_url, "campaign", "create", "--title", "Dev",
                          "--reference", "APP-9", "--template", "DDAT-DEV-SEO")  # fmt: skip
    assert code == 0, err
    code, _out, err = run(capsys, "--db", db_url, "candidates", "import", "APP-9", str(people))
    assert code == 0, err
    return db_url, answers, documents


def test_import_and_show_json(capsys, campaign):
    db_url, answers, documents = campaign
    code, out, err = run(capsys, "--db", db_url, "applications", "import", "APP-9",
                         str(answers), "--documents", str(documents), "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out) == {
        "imported": 2,
        "parts": 4,
        "documents": 1,
        "dry_run": False,
        "skipped": [{"line": 3, "column": "EXP1", "reason": "empty answer"}],
        "over_limit": [],
        "no_text": [],
    }
    code, out, err = run(capsys, "--db", db_url, "applications", "show", "APP-9", "0001",
                         "--redacted", "--json")  # fmt: skip
    assert code == 0, err
    shown = json.loads(out)
    assert shown["candidate_number"] == "0001" and shown["redacted"] is True
    assert [(a["criterion"], a["kind"], a["text"]) for a in shown["answers"]] == [
        (None, "statement", "I am [name]; write to [e-mail]."),
        ("EXP1", "answer", "Python at a council."),
    ]
    assert shown["documents"] == []
    code, out, err = run(capsys, "--db", db_url, "applications", "show", "APP-9", "0002",
                         "--json")  # fmt: skip
    document = json.loads(out)["documents"][0]
    assert (document["name"], document["kind"], document["text"]) == (
        "0002 CV.txt", "cv", "Łukasz Nowak, +44 7700 900456"
    )  # fmt: skip
    code, out, err = run(capsys, "--db", db_url, "applications", "show", "APP-9", "0001",
                         "--criterion", "EXP1")  # fmt: skip
    assert code == 0 and "Python at a council." in out and "I am" not in out


def test_a_dry_run_and_a_mapping(capsys, campaign):
    db_url, answers, _documents = campaign
    code, out, err = run(capsys, "--db", db_url, "applications", "import", "APP-9",
                         str(answers), "--map", "EXP1=PROG", "--dry-run", "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["dry_run"] is True
    code, out, _err = run(capsys, "--db", db_url, "applications", "show", "APP-9", "0001",
                          "--json")  # fmt: skip
    assert json.loads(out)["answers"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["NOPE", "answers"], "NOPE"),
        (["APP-9", "missing.csv"], "missing.csv"),
        (["APP-9", "answers", "--map", "EXP1"], "should be a column heading"),
        (["APP-9", "answers", "--map", "EXP1=NOTHING"], "cannot be mapped to 'NOTHING'"),
        (["APP-9"], "Give a table of applications"),
        (["APP-9", "answers", "--documents", "no-such-folder"], "There is no folder or file"),
    ],
)
def test_errors_are_said_in_words_with_exit_1(capsys, campaign, args, message):
    db_url, answers, _documents = campaign
    args = [str(answers) if a == "answers" else a for a in args]
    code, _out, err = run(capsys, "--db", db_url, "applications", "import", *args)
    assert code == 1 and message in err and "Traceback" not in err, err
    code, _out, err = run(capsys, "--db", db_url, "applications", "show", "APP-9", "0999")
    assert code == 1 and "no candidate numbered '0999'" in err


def test_a_closed_pipe_ends_quietly(campaign, tmp_path):
    db_url, answers, _documents = campaign
    assert main(["--db", db_url, "applications", "import", "APP-9", str(answers)]) == 0
    shell = (
        f"{sys.executable} -m recruit_app --db '{db_url}' applications show APP-9 0001 | head -c 1"
    )
    done = subprocess.run(shell, shell=True, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr


IMPORTED_PARTS = 40


def test_an_import_killed_at_any_statement_adds_all_or_nothing(capsys, db_url, tmp_path):
    from recruit_app.services.database import open_db

    attempts = 32  # more statements than a whole import sends: the last ones finish
    people = tmp_path / "people.csv"
    people.write_text(
        "First name,Surname,E-mail\n"
        + "".join(f"Person,Number {n},p{n}@example.org\n" for n in range(20)),
        encoding="utf-8",
    )
    answers = tmp_path / "answers.csv"
    answers.write_text(
        "Candidate number,Personal statement,Supporting evidence EXP1\n"
        + "".join(f"{n + 1:04d},Statement {n},Answer {n}\n" for n in range(20)),
        encoding="utf-8",
    )
    for n in range(attempts):
        args = ["--db", db_url, "campaign", "create", "--title", f"T{n}", "--reference", f"K{n}",
                "--template", "DDAT-DEV-SEO"]  # fmt: skip
        assert main(args) == 0
        assert main(["--db", db_url, "candidates", "import", f"K{n}", str(people)]) == 0
    capsys.readouterr()
    done = subprocess.run(
        [sys.executable, "-m", "tests.helpers.faults", "command",
         *map(str, range(1, attempts + 1)), "--",
         "--db", db_url, "applications", "import", "K{n}", str(answers)],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=600,
    )  # fmt: skip
    ended = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(ended) == attempts
    db = open_db(db_url)
    try:
        with db.engine.connect() as connection:
            counts = dict(
                connection.execute(
                    text(
                        "SELECT campaign.reference, count(a.id) FROM campaign "
                        "JOIN candidate ON candidate.campaign_id = campaign.id "
                        "LEFT JOIN application_part a ON a.candidate_id = candidate.id "
                        "GROUP BY campaign.reference"
                    )
                ).all()
            )
            if db.backend == "sqlite":
                assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        db.dispose()
    for n, attempt in enumerate(ended):
        assert attempt["ended"] in ("finished", "signal 9"), attempt
        expected = IMPORTED_PARTS if attempt["ended"] == "finished" else 0
        assert counts[f"K{n}"] == expected, (n, attempt, counts[f"K{n}"])
    kinds = [a["ended"] for a in ended]
    assert kinds.count("signal 9") >= 5 and kinds[-1] == "finished"
    assert main(["--db", db_url, "applications", "import", "K0", str(answers)]) == 0
