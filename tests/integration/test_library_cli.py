"""The library, advert and campaign-file commands, run in-process on real databases."""

from __future__ import annotations

import json

import pytest
from pypdf import PdfReader

from recruit_app.cli import main

pytestmark = pytest.mark.usefixtures("sign_in_on_postgres")


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *args):
    code, out, err = run(capsys, *args)
    assert code == 0, err
    return json.loads(out)


def test_templates_list_shows_the_built_in_library(capsys, db_url):
    entries = run_json(capsys, "--db", db_url, "templates", "list", "--json")
    codes = {e["code"]: e for e in entries}
    assert {
        "SP-BEH",
        "SP-STR",
        "CSCF",
        "SFIA",
        "DDAT",
        "EXP-QUAL",
        "DDAT-DEV-SEO",
        "KCC-GRAD-DEVOPS",
        "DVLA-DEVTEST",
    } <= set(codes)
    assert codes["SP-BEH"] == {
        "kind": "framework",
        "code": "SP-BEH",
        "name": "Success Profiles: Civil Service Behaviours",
        "detail": "2018",
        "builtin": True,
        "retired": False,
        "criteria": 9,
    }
    assert codes["CSCF"]["criteria"] == 10
    assert codes["DDAT-DEV-SEO"]["kind"] == "template"


def test_templates_show_framework_and_template(capsys, sqlite_url):
    behaviours = run_json(capsys, "--db", sqlite_url, "templates", "show", "SP-BEH", "--json")
    assert [c["name"] for c in behaviours["criteria"]] == [
        "Seeing the Big Picture",
        "Changing and Improving",
        "Making Effective Decisions",
        "Leadership",
        "Communicating and Influencing",
        "Working Together",
        "Developing Self and Others",
        "Managing a Quality Service",
        "Delivering at Pace",
    ]
    levels = behaviours["criteria"][0]["levels"]
    assert [lv["level"] for lv in levels] == [1, 2, 3, 4, 5, 6]
    assert levels[2]["grades"] == "Higher Executive Officer, Senior Executive Officer"
    developer = run_json(capsys, "--db", sqlite_url, "templates", "show", "DDAT-DEV-SEO", "--json")
    technical = [(c["code"], c["level"]) for c in developer["criteria"] if c["framework"] == "SFIA"]
    assert technical == [
        ("DATM", 4),
        ("SWDN", 4),
        ("PROG", 4),
        ("TEST", 4),
        ("SINT", 4),
        ("ASUP", 4),
    ]
    code, _out, err = run(capsys, "--db", sqlite_url, "templates", "show", "NOPE")
    assert code == 1 and "nothing with the code 'NOPE'" in err


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_then_import_gives_back_the_same(capsys, sqlite_url, tmp_path, fmt):
    for code in ("CSCF", "DDAT-DEV-SEO"):
        path = tmp_path / f"{code}.{fmt}"
        assert run(capsys, "--db", sqlite_url, "templates", "export", code, str(path))[0] == 0
        text = path.read_text(encoding="utf-8-sig").replace(code, f"MY-{code}")
        copy = tmp_path / f"my-{code}.{fmt}"
        copy.write_text(text, encoding="utf-8")
        report = run_json(capsys, "--db", sqlite_url, "templates", "import", str(copy), "--json")
        assert report["code"] == f"MY-{code}" and report["created"] is True
        original = run_json(capsys, "--db", sqlite_url, "templates", "show", code, "--json")
        mine = run_json(capsys, "--db", sqlite_url, "templates", "show", f"MY-{code}", "--json")
        assert mine.pop("builtin") is False and original.pop("builtin") is True
        assert mine.pop("code") == f"MY-{code}" and original.pop("code") == code
        assert mine == original


def test_importing_over_a_built_in_is_refused(capsys, sqlite_url, tmp_path):
    path = tmp_path / "cscf.json"
    run(capsys, "--db", sqlite_url, "templates", "export", "CSCF", str(path))
    code, _out, err = run(capsys, "--db", sqlite_url, "templates", "import", str(path))
    assert code == 1 and "CSCF is a built-in library entry and cannot be replaced" in err


def test_campaign_from_template_then_definition_round_trip(capsys, db_url, tmp_path):
    created = run_json(
        capsys,
        "--db",
        db_url,
        "campaign",
        "create",
        "--template",
        "DVLA-BA",
        "--title",
        "Business Analyst",
        "--json",
    )
    shown = run_json(capsys, "--db", db_url, "campaign", "show", created["reference"], "--json")
    assert shown["advert"]["grade"] and shown["stages"]
    first = tmp_path / "first.json"
    assert (
        run(capsys, "--db", db_url, "campaign", "export", created["reference"], str(first))[0] == 0
    )
    copy = run_json(
        capsys, "--db", db_url, "campaign", "import", str(first), "--reference", "BA-COPY", "--json"
    )
    second = tmp_path / "second.json"
    run(capsys, "--db", db_url, "campaign", "export", "BA-COPY", str(second))
    one, two = json.loads(first.read_text()), json.loads(second.read_text())
    one.pop("reference"), two.pop("reference")
    assert one == two and copy["title"] == "Business Analyst"


def test_advert_check_and_exports_of_the_demo(capsys, sqlite_url, tmp_path):
    run_json(capsys, "--db", sqlite_url, "demo", "--json")
    findings = run_json(capsys, "--db", sqlite_url, "advert", "check", "283922", "--json")
    assert findings == []
    for fmt in ("pdf", "html", "txt"):
        out = tmp_path / f"advert.{fmt}"
        assert (
            run(
                capsys,
                "--db",
                sqlite_url,
                "advert",
                "export",
                "283922",
                "--format",
                fmt,
                "--out",
                str(out),
            )[0]
            == 0
        )
    text = "\n".join(page.extract_text() for page in PdfReader(tmp_path / "advert.pdf").pages)
    for expected in (
        "Software Developer",
        "Reference 283922",
        "Senior Executive Officer",
        "National: £39,000 to £42,900",
        "London: £43,000 to £47,300",
        "11:55pm on Thursday",
        "Glasgow",
        "Hendon",
        "Person specification",
        "Technical skills",
        "Data management (DATM), Level 4",
        "Programming/software development (PROG), Level 4",
        "Application support (ASUP), Level 4",
        "How you will be assessed",
        "CV sift",
        "Video interview",
        "Page 1 of",
    ):
        assert expected in " ".join(text.split()), expected
    html = (tmp_path / "advert.html").read_text(encoding="utf-8")
    assert "<h1" in html and "Software Developer" in html
    txt = (tmp_path / "advert.txt").read_text(encoding="utf-8")
    assert txt.startswith("SOFTWARE DEVELOPER\n")


def test_advert_check_reports_errors_for_a_blank_campaign(capsys, sqlite_url):
    run_json(
        capsys,
        "--db",
        sqlite_url,
        "campaign",
        "create",
        "--title",
        "Blank",
        "--reference",
        "B-1",
        "--json",
    )
    findings = run_json(capsys, "--db", sqlite_url, "advert", "check", "B-1", "--json")
    errors = {(f["field"], f["message"]) for f in findings if f["severity"] == "error"}
    assert ("grade", "Give the grade of the post.") in errors
    assert ("closes_at", "Set the closing date and time.") in errors
    code, _out, err = run(capsys, "--db", sqlite_url, "advert", "publish", "B-1")
    assert code == 1 and "The advert cannot be published yet" in err
