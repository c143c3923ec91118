"""`recruit-app results --override` (issue 16): the chair's override of an overall score
from the command line, with its reason, shown in the results JSON, and taken away."""

from __future__ import annotations

import json

import pytest

from recruit_app.cli import main

pytestmark = pytest.mark.usefixtures("sign_in_on_postgres")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_override_and_clear_from_the_command_line(capsys, db_url):
    assert run(capsys, "--db", db_url, "demo")[0] == 0
    where = ("--db", db_url, "results", "283922", "--stage", "Video interview")
    code, out, err = run(
        capsys, *where, "--override", "0001", "--score", "30", "--reason", "Presentation"
    )
    assert code == 0, err
    assert out.startswith("Overrode the overall score of candidate 0001: 30.")
    code, out, err = run(capsys, *where, "--json")
    first = next(r for r in json.loads(out) if r["candidate_number"] == "0001")
    assert (first["total"], first["overridden"], first["override_reason"]) == (
        30.0,
        True,
        "Presentation",
    )
    code, _out, err = run(capsys, *where, "--override", "0001", "--score", "5")
    assert code == 1 and "Give the overriding score with --score and why with --reason." in err
    code, out, err = run(capsys, *where, "--clear-override", "0001")
    assert code == 0 and out.startswith("The overall score of candidate 0001 is its total again.")
    code, out, err = run(capsys, *where, "--json")
    first = next(r for r in json.loads(out) if r["candidate_number"] == "0001")
    assert first["overridden"] is False
