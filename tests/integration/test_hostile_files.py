"""Hostile and malformed files: refused whole, naming the field, and nothing written.

The file commands run in-process through `recruit_app.cli.main`, as a user would run them;
"nothing written" is checked against every row of every table.
"""

from __future__ import annotations

import csv
import json
from dataclasses import replace

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from db.models import Candidate, Person
from recruit_app.cli import main
from recruit_app.errors import ValidationError
from recruit_app.services import adverts as advert_svc
from recruit_app.services import candidates as candidate_svc
from recruit_app.services import people as people_svc
from recruit_app.services import results as res
from recruit_app.services import scoring as sc
from recruit_app.services import stages as stage_svc
from recruit_app.services.campaign_files import create_from_template
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.services.database import open_db
from recruit_app.services.library_files import export_entry, import_file
from recruit_app.services.score_files import import_scores_file
from tests.helpers.fingerprint import fingerprint

pytestmark = pytest.mark.usefixtures("sign_in_on_postgres")

LONG_CELL = 200_000  # over the csv module's default field limit of 131,072 characters


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def db_fingerprint(url):
    db = open_db(url)
    try:
        return fingerprint(db)
    finally:
        db.dispose()


def refused(capsys, url, *args):
    """Run a command that must be refused: exit 1, nothing written; the message comes back."""
    before = db_fingerprint(url)
    code, out, err = run(capsys, "--db", url, *args)
    assert code == 1, (code, out, err)
    assert "something went wrong" not in err
    assert db_fingerprint(url) == before
    return " ".join(err.split())


# --- role templates and frameworks ----------------------------------------------------


@pytest.fixture
def template_json(capsys, db_url, tmp_path):
    """The developer role template as the app exports it, under a code of our own."""
    path = tmp_path / "dev.json"
    assert run(capsys, "--db", db_url, "templates", "export", "DDAT-DEV-SEO", path)[0] == 0
    data = json.loads(path.read_text(encoding="utf-8"))
    data["code"] = "MY-DEV"
    return data


def _write_json(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _criterion(data, code):
    return next(c for c in data["criteria"] if c["code"] == code)


TEMPLATE_CASES = [
    ("weight text", lambda d: d["criteria"][0].update(weight="heavy"), "criteria[0].weight"),
    ("weight list", lambda d: d["criteria"][0].update(weight=[1]), "criteria[0].weight"),
    ("weight too big", lambda d: d["criteria"][0].update(weight=500), "criteria[0].weight"),
    ("stage criteria a number", lambda d: d["stages"][0].update(criteria=7), "stages[0].criteria"),
    ("pass mark text", lambda d: d["stages"][0].update(pass_mark="four"), "stages[0].pass_mark"),
    ("pass mark too big", lambda d: d["stages"][0].update(pass_mark=101), "stages[0].pass_mark"),
    (
        "negative assessors",
        lambda d: d["stages"][0].update(min_assessors=-1),
        "stages[0].min_assessors",
    ),
    ("level out of range", lambda d: d["criteria"][0].update(level=12), "criteria[0].level"),
    (
        "two stages of one name",
        lambda d: d["stages"][1].update(name=d["stages"][0]["name"]),
        "stages[1].name: another stage is already called CV sift",
    ),
    (
        "a criterion twice at a stage",
        lambda d: d["stages"][0].update(criteria=["EXP1", "EXP1"]),
        "stages[0].criteria names EXP1 twice",
    ),
    ("too many posts", lambda d: d["advert"].update(posts=5000), "advert.posts"),
    (
        "too many locations",
        lambda d: d["advert"].update(locations=[f"Town {n}" for n in range(60)]),
        "advert.locations",
    ),
    (
        "reserve list too long",
        lambda d: d["advert"].update(reserve_list_months=600),
        "advert.reserve_list_months",
    ),
    (
        "too many pay zones",
        lambda d: d["advert"].update(
            pay_zones=[{"zone": f"Z{n}", "min": 1, "max": 2} for n in range(11)]
        ),
        "advert.pay_zones",
    ),
    ("stages a number", lambda d: d.update(stages=3), "stages must be a list"),
    ("a stage is text", lambda d: d["stages"].__setitem__(0, "CV sift"), "stages[0] must be"),
]


@pytest.mark.parametrize(
    ("mangle", "expected"),
    [case[1:] for case in TEMPLATE_CASES],
    ids=[case[0] for case in TEMPLATE_CASES],
)
def test_hostile_template_json_is_refused_naming_the_field(
    capsys, db_url, tmp_path, template_json, mangle, expected
):
    mangle(template_json)
    path = _write_json(tmp_path, "hostile.json", template_json)
    message = refused(capsys, db_url, "templates", "import", path)
    assert expected in message, message


def test_stage_criteria_in_another_case_are_the_templates_own(
    capsys, db_url, tmp_path, template_json
):
    # "exp1" is accepted as EXP1, so a campaign can then be made from the template.
    template_json["stages"][0]["criteria"] = ["exp1", "Exp2"]
    path = _write_json(tmp_path, "mine.json", template_json)
    assert run(capsys, "--db", db_url, "templates", "import", path)[0] == 0
    shown = json.loads(run(capsys, "--db", db_url, "templates", "show", "MY-DEV", "--json")[1])
    assert shown["stages"][0]["criteria"] == ["EXP1", "EXP2"]
    code, _out, err = run(
        capsys, "--db", db_url, "campaign", "create", "--template", "MY-DEV", "--title", "Dev"
    )
    assert code == 0, err


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            '{"format": "recruit-role-template/1", "code": "X", "title": "T", "criteria": '
            '[{"code": "A", "element": "EXP", "title": "A", "weight": NaN}]}',
            "NaN",
        ),
        (
            '{"format": "recruit-role-template/1", "code": "X", "title": "T", "criteria": '
            '[{"code": "A", "element": "EXP", "title": "A", "weight": -Infinity}]}',
            "Infinity",
        ),
        (
            '{"format": "recruit-role-template/1", "code": "X", "title": "T", "criteria": '
            '[{"code": "A", "element": "EXP", "title": "A", "weight": 1e400}]}',
            "too large",
        ),
        (
            '{"format": "recruit-framework/1", "code": "X", "name": "N", "criteria": '
            '[{"code": "A", "name": "A", "element": "BEH", "levels": [{"level": '
            + "9" * 5000
            + "}]}]}",
            "digits",
        ),
        (
            '{"format": "recruit-framework/1", "code": "X", "name": "N", "description": '
            + "[" * 100_000
            + "]" * 100_000
            + "}",
            "nested too deeply",
        ),
        (
            '{"format": "recruit-framework/1", "code": "X", "name": "N", "description": '
            + "[" * 200
            + "]" * 200
            + "}",
            "nested too deeply",
        ),
        (
            '{"format": "recruit-framework/1", "code": "X", "name": "N\\ud800"}',
            "broken character",
        ),
    ],
    ids=["NaN", "Infinity", "1e400", "huge integer", "deep nesting", "nesting", "half a character"],
)
def test_hostile_json_numbers_and_nesting_are_refused(capsys, db_url, tmp_path, raw, expected):
    path = tmp_path / "hostile.json"
    path.write_text(raw, encoding="utf-8")
    message = refused(capsys, db_url, "templates", "import", path)
    assert "hostile.json" in message and expected in message, message


def test_a_file_too_large_to_be_a_template_is_refused_unread(capsys, sqlite_url, tmp_path):
    path = tmp_path / "huge.json"
    path.write_text('{"format": "recruit-framework/1", "description": "' + "x" * 6_000_000 + '"}')
    message = refused(capsys, sqlite_url, "templates", "import", path)
    assert "huge.json is 5.7 MB" in message and "5 MB" in message, message
    message = refused(capsys, sqlite_url, "campaign", "import", path)
    assert "huge.json is 5.7 MB" in message and "5 MB" in message, message


# --- campaign definitions ---------------------------------------------------------------


@pytest.fixture
def campaign_json(capsys, db_url, tmp_path):
    """A campaign made from the developer template, exported as the app writes it."""
    code, _out, err = run(
        capsys,
        "--db",
        db_url,
        "campaign",
        "create",
        "--template",
        "DDAT-DEV-SEO",
        "--title",
        "Developer",
        "--reference",
        "DEV-1",
    )
    assert code == 0, err
    path = tmp_path / "dev-1.json"
    assert run(capsys, "--db", db_url, "campaign", "export", "DEV-1", path)[0] == 0
    return json.loads(path.read_text(encoding="utf-8"))


def _cell(data, stage, code):
    return next(c for c in data["stages"][stage]["criteria"] if c["code"] == code)


CAMPAIGN_CASES = [
    (
        "pass mark text",
        lambda d: _cell(d, 0, "EXP1").update(pass_mark="four"),
        "Stage 'CV sift', criterion EXP1: the pass mark must be a whole number",
    ),
    (
        "pass mark out of range",
        lambda d: _cell(d, 0, "EXP1").update(pass_mark=500),
        "Stage 'CV sift', criterion EXP1: pass marks run from 0 to 100",
    ),
    (
        "weight list",
        lambda d: _cell(d, 0, "EXP2").update(weight=[1]),
        "Stage 'CV sift', criterion EXP2: the weight must be a number",
    ),
    (
        "weight text",
        lambda d: _cell(d, 0, "EXP2").update(weight="1"),
        "Stage 'CV sift', criterion EXP2: the weight must be a number",
    ),
    (
        "weight negative",
        lambda d: _cell(d, 0, "EXP2").update(weight=-1),
        "Stage 'CV sift', criterion EXP2: weights run from 0 to 100",
    ),
    (
        "criteria a number",
        lambda d: d["stages"][0].update(criteria=5),
        "Stage 'CV sift': the criteria must be a list",
    ),
    (
        "a criterion twice at a stage",
        lambda d: d["stages"][0]["criteria"].append(dict(d["stages"][0]["criteria"][0])),
        "Stage 'CV sift': EXP1 is assessed twice",
    ),
    (
        "overall pass mark text",
        lambda d: d["stages"][0].update(pass_mark_total="four"),
        "Stage 'CV sift': the overall pass mark must be a number",
    ),
    (
        "negative count",
        lambda d: d["stages"][0].update(progress_rule="top_n", progress_count=-5),
        "Stage 'CV sift': the number who progress must be a whole number from 1 to",
    ),
    (
        "top N without N",
        lambda d: d["stages"][0].update(progress_rule="top_n", progress_count=None),
        "Stage 'CV sift': say how many candidates progress",
    ),
    (
        "unknown scale",
        lambda d: d["stages"][0].update(scale="bogus"),
        "Stage 'CV sift': 'bogus' is not a scoring scale",
    ),
    (
        "unknown progress rule",
        lambda d: d["stages"][0].update(progress_rule="lottery"),
        "Stage 'CV sift': choose who progresses",
    ),
    (
        "custom scale of numbers",
        lambda d: d["stages"][0].update(scale="custom", custom_scale=[1, 2]),
        "Stage 'CV sift', scale point 1: it must be an object",
    ),
    (
        "custom scale going down",
        lambda d: d["stages"][0].update(
            scale="custom",
            custom_scale=[{"value": 3, "label": "High"}, {"value": 1, "label": "Low"}],
        ),
        "Stage 'CV sift': point 2: the values must go up",
    ),
    (
        "custom scale without points",
        lambda d: d["stages"][0].update(scale="custom", custom_scale=[]),
        "Stage 'CV sift': give the points of the custom scale",
    ),
    (
        "huge number of assessors",
        lambda d: d["stages"][0].update(min_assessors=10**30),
        "Stage 'CV sift': the minimum number of assessors must be a whole number from 1 to 20",
    ),
    (
        "negative spread",
        lambda d: d["stages"][0].update(moderation_spread=-1),
        "Stage 'CV sift': the spread that calls for moderation must be a whole number",
    ),
    (
        "kind a list",
        lambda d: d["stages"][0].update(kind=["sift"]),
        "Stage 'CV sift': the kind of stage must be text",
    ),
    (
        "two stages of one name",
        lambda d: d["stages"][1].update(name="cv SIFT"),
        "already has a stage called cv SIFT",
    ),
    (
        "a start date that is a number",
        lambda d: d["stages"][0].update(starts_on=5),
        "Stage 'CV sift': the start date must be a date written YYYY-MM-DD, not 5",
    ),
    (
        "ends before it starts",
        lambda d: d["stages"][0].update(starts_on="2026-05-02", ends_on="2026-05-01"),
        "CV sift ends before it starts",
    ),
    (
        "unknown stage field",
        lambda d: d["stages"][0].update(pass_mak=3),
        "Stage 'CV sift': pass_mak is not something a campaign file can hold",
    ),
    (
        "library level out of range",
        lambda d: _criterion(d, "PROG").update(level=9),
        "Criterion PROG: the level must be from",
    ),
    (
        "level text",
        lambda d: _criterion(d, "PROG").update(level="4"),
        "Criterion PROG: the level must be a whole number",
    ),
    (
        "criterion weight NaN",
        lambda d: _criterion(d, "EXP3").update(weight=float("nan")),
        "NaN",
    ),
    (
        "unknown element",
        lambda d: _criterion(d, "EXP3").update(element="XYZ"),
        "Criterion EXP3: choose the Success Profiles element",
    ),
    (
        "library reference text",
        lambda d: _criterion(d, "PROG").update(library="SFIA"),
        "Criterion PROG: the library reference must be an object",
    ),
    (
        "unknown top-level field",
        lambda d: d.update(timetabel={"closes_on": "2027-01-04"}),
        "timetabel is not something a campaign file can hold",
    ),
    ("title a list", lambda d: d.update(title=["Developer"]), "the title must be text"),
    ("reference an object", lambda d: d.update(reference={}), "the reference must be text"),
    ("criteria an object", lambda d: d.update(criteria={}), "the criteria must be a list"),
    (
        "posts too many",
        lambda d: d["advert"].update(posts=5000),
        "The advert: the posts must be a whole number from 0 to 1000",
    ),
    (
        "closing time a number",
        lambda d: d["advert"].update(closes_at=20261231),
        "closes at must be a date and time",
    ),
    ("format missing", lambda d: d.pop("format"), "is not a Recruit campaign file"),
    (
        "cell scale unknown",
        lambda d: _cell(d, 0, "EXP1").update(scale="sp99"),
        "'sp99' is not a scoring scale",
    ),
    (
        "cell points without a custom scale",
        lambda d: _cell(d, 0, "EXP1").update(
            scale="strengths4", custom_scale=[{"value": 1, "label": "One"}]
        ),
        "criterion EXP1: points belong only to a cell whose scale is custom",
    ),
    (
        "cell custom scale of one point",
        lambda d: _cell(d, 0, "EXP1").update(
            scale="custom", custom_scale=[{"value": 1, "label": "One"}]
        ),
        "criterion EXP1: A scale needs at least two points (stages[0].criteria[0].custom_scale)",
    ),
]


@pytest.mark.parametrize(
    ("mangle", "expected"),
    [case[1:] for case in CAMPAIGN_CASES],
    ids=[case[0] for case in CAMPAIGN_CASES],
)
def test_hostile_campaign_files_are_refused_naming_the_field(
    capsys, db_url, tmp_path, campaign_json, mangle, expected
):
    mangle(campaign_json)
    path = _write_json(tmp_path, "hostile.json", campaign_json)
    message = refused(capsys, db_url, "campaign", "import", path, "--reference", "COPY-1")
    assert expected in message, message
    code, _out, err = run(capsys, "--db", db_url, "campaign", "show", "COPY-1")
    assert code == 1 and "COPY-1" in err


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('"pass_mark": 4', '"pass_mark": NaN'),
        ('"pass_mark": 4', '"pass_mark": ' + "4" * 5000),
        ('"weight": 1.0', '"weight": 1e999'),
    ],
    ids=["NaN", "huge integer", "infinite float"],
)
def test_hostile_numbers_in_a_campaign_file(capsys, db_url, tmp_path, campaign_json, raw, expected):
    text = json.dumps(campaign_json).replace(raw, expected, 1)
    path = tmp_path / "hostile.json"
    path.write_text(text, encoding="utf-8")
    message = refused(capsys, db_url, "campaign", "import", path, "--reference", "COPY-1")
    assert "hostile.json" in message, message


def test_a_refused_campaign_cannot_break_results_later(capsys, db_url, tmp_path, campaign_json):
    # A text pass mark used to be stored, and `results` then failed on every call.
    _cell(campaign_json, 0, "EXP1").update(pass_mark="4")
    path = _write_json(tmp_path, "text-mark.json", campaign_json)
    refused(capsys, db_url, "campaign", "import", path, "--reference", "COPY-1")
    _cell(campaign_json, 0, "EXP1").update(pass_mark=4)
    path = _write_json(tmp_path, "good.json", campaign_json)
    assert run(capsys, "--db", db_url, "campaign", "import", path, "--reference", "COPY-1")[0] == 0
    code, out, err = run(
        capsys, "--db", db_url, "results", "COPY-1", "--stage", "CV sift", "--json"
    )
    assert code == 0 and json.loads(out) == [], err


# --- CSV files cut off, or with cells over the csv module's limit ------------------------


def _cut_inside_a_quoted_cell(text: str) -> str:
    """The text cut just after a line break inside its last quoted cell that spans lines."""
    # Rows end in CRLF; a bare LF is a line break inside a quoted cell.
    inner = max(i for i, ch in enumerate(text) if ch == "\n" and text[i - 1] != "\r")
    return text[: inner + 1]


@pytest.mark.parametrize(
    "text",
    ['a,b\r\n1,"abc', 'a,b\r\n1,"abc\r\n', 'a,b\r\n1,"ab\r\nc', 'a,b\r\n1,"ab"c\r\n'],
    ids=["at the end", "before a line break", "across lines", "text after the quote"],
)
def test_every_csv_reader_refuses_a_quoted_cell_left_open(text):
    from recruit_app.services.tabular import csv_table

    with pytest.raises(ValidationError, match=r"^cut\.csv, line 2: Recruit cannot read this row"):
        csv_table(text, "cut.csv")


@pytest.mark.parametrize("code", ["CSCF", "DDAT-DEV-SEO"])
def test_a_library_csv_cut_inside_a_quoted_cell_is_refused(capsys, db_url, tmp_path, code):
    path = tmp_path / "entry.csv"
    assert run(capsys, "--db", db_url, "templates", "export", code, path)[0] == 0
    text = path.read_bytes().decode("utf-8-sig").replace(code, "MINE")
    cut = tmp_path / "cut.csv"
    cut.write_bytes(_cut_inside_a_quoted_cell(text).encode("utf-8"))
    message = refused(capsys, db_url, "templates", "import", cut)
    assert "cut.csv, line" in message and "unexpected end of data" in message, message


def test_a_framework_csv_with_a_huge_cell_names_its_line(ctx, tmp_path):
    path = export_entry(ctx, "CSCF", tmp_path / "cscf.csv")
    rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines(keepends=True)))
    for row in rows:
        row["framework_code"] = "MINE"
    rows[2]["level_description"] = "x" * LONG_CELL
    target = tmp_path / "mine.csv"
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    # Each row takes a line, plus one for each line break inside its cells.
    line = 2 + sum(1 + sum(value.count("\n") for value in row.values()) for row in rows[:2])
    before = fingerprint(ctx.db)
    with pytest.raises(ValidationError) as caught:
        import_file(ctx, target)
    assert f"Line {line}:" in caught.value.message
    assert "200000 characters long; the limit is 20000" in caught.value.message
    assert fingerprint(ctx.db) == before


def test_a_template_csv_with_a_huge_cell_names_its_line(ctx, tmp_path):
    path = export_entry(ctx, "DDAT-DEV-SEO", tmp_path / "dev.csv")
    text = path.read_text(encoding="utf-8-sig").replace("DDAT-DEV-SEO", "MINE")
    rows = list(csv.reader(text.splitlines(keepends=True)))
    summary = next(i for i, r in enumerate(rows) if r[:2] == ["template", "summary"])
    rows[summary][2] = "y" * LONG_CELL
    target = tmp_path / "mine.csv"
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    before = fingerprint(ctx.db)
    with pytest.raises(ValidationError, match="200000 characters long; the limit is 20000"):
        import_file(ctx, target)
    assert fingerprint(ctx.db) == before


@pytest.fixture
def campaign_id(ctx):
    return create_from_template(ctx, "DDAT-DEV-SEO", title="Developer", reference="DEV-1").id


def test_a_candidate_csv_cell_over_the_csv_limit_is_reported_on_its_row(ctx, campaign_id, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(
        "First name,Last name,E-mail,Notes\r\n"
        "Siân,Evans,sian@example.org,short\r\n"
        f'Niamh,O\'Brien,niamh@example.org,"{"n" * LONG_CELL}"\r\n'
        "Zoë,Clarke,zoe@example.org,\r\n",
        encoding="utf-8",
    )
    report = candidate_svc.import_candidates(ctx, campaign_id, path)
    assert report.imported == 2
    assert [(p.line, p.field) for p in report.skipped] == [(3, "Notes")]
    assert "too long (200,000 characters" in report.skipped[0].message


@pytest.fixture
def sift(ctx, campaign_id):
    """The developer campaign's CV sift with Hannah on its panel and two candidates."""
    stage = stage_svc.stages_overview(ctx, campaign_id).stages[0]
    with ctx.db.session() as session:
        hannah = Person(name="Hannah Lee", email="hannah@example.org")
        session.add(hannah)
        for number in ("0001", "0002"):
            session.add(
                Candidate(
                    campaign_id=campaign_id,
                    candidate_number=number,
                    first_name="C",
                    last_name=number,
                    email=f"c{number}@example.org",
                )
            )
        session.commit()
        hannah_id = hannah.id
    stage_svc.set_panel(
        ctx, stage.id, [stage_svc.SeatChoice(hannah_id, "chair")], expected_version=stage.version
    )
    return stage, hannah_id


def test_a_scores_csv_cell_over_the_csv_limit_is_reported_on_its_row(
    ctx, campaign_id, sift, tmp_path
):
    stage, _hannah = sift
    path = tmp_path / "scores.csv"
    path.write_text(
        "candidate_number,criterion,assessor,score,evidence\r\n"
        "0001,EXP1,hannah@example.org,4,fine\r\n"
        f'0002,EXP1,hannah@example.org,5,"{"e" * LONG_CELL}"\r\n',
        encoding="utf-8",
    )
    before = fingerprint(ctx.db)
    with pytest.raises(ValidationError) as caught:
        import_scores_file(ctx, campaign_id, stage.id, path)
    assert "line 3: the evidence is too long" in caught.value.message
    assert fingerprint(ctx.db) == before


@pytest.mark.parametrize("score", ["²", "4" * 5000, "٤", "4.0", "NaN"])
def test_a_hostile_score_is_reported_on_its_row(ctx, campaign_id, sift, tmp_path, score):
    stage, _hannah = sift
    path = tmp_path / "scores.csv"
    path.write_text(
        "candidate_number,criterion,assessor,score,evidence\r\n"
        "0001,EXP1,hannah@example.org,4,fine\r\n"
        f"0002,EXP1,hannah@example.org,{score},odd\r\n",
        encoding="utf-8",
    )
    before = fingerprint(ctx.db)
    with pytest.raises(ValidationError, match=r"line 3: score .* is not on the scale"):
        import_scores_file(ctx, campaign_id, stage.id, path)
    assert fingerprint(ctx.db) == before


# --- formulas in the spreadsheets the app writes ----------------------------------------

HOSTILE_CODES = {"EXP1": "=SUM(1,2)", "EXP2": "@cmd", "EXP3": "+44", "EXP4": "-X"}


def _hostile_codes(ctx, campaign_id):
    form = advert_svc.get_advert(ctx, campaign_id)
    rows = [replace(r, code=HOSTILE_CODES.get(r.code, r.code)) for r in form.criteria]
    advert_svc.save_advert(
        ctx, campaign_id, fields={}, criteria=rows, expected_version=form.version
    )


def test_the_scoring_workbook_keeps_formula_like_codes_as_text(ctx, campaign_id, sift, tmp_path):
    stage, hannah = sift
    _hostile_codes(ctx, campaign_id)
    path = sc.export_workbook(ctx, campaign_id, hannah, tmp_path / "hannah.xlsx")
    workbook = load_workbook(path)
    sheet = workbook["CV sift"]
    headers = list(sheet[1])
    assert [c.value for c in headers[2:6]] == [
        "=SUM(1,2) score",
        "=SUM(1,2) evidence",
        "@cmd score",
        "@cmd evidence",
    ]
    for cell in headers:
        assert cell.data_type == "s", cell.value
        if cell.value[0] in "=+-@":
            assert cell.quotePrefix, cell.value
    for row in range(2, 4):
        for column in range(3, 3 + 2 * 6, 2):
            sheet.cell(row=row, column=column, value=4)
    workbook.save(path)
    report = sc.import_workbook(ctx, campaign_id, path)
    assert report.imported == 2 * 6
    view = res.stage_results(ctx, stage.id)
    assert [c.code for c in view.criteria] == ["=SUM(1,2)", "@cmd", "+44", "-X", "EXP5", "EXP6"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_results_exports_defuse_formula_like_headers(ctx, campaign_id, sift, tmp_path, suffix):
    stage, _hannah = sift
    _hostile_codes(ctx, campaign_id)
    path = res.export_results(ctx, stage.id, tmp_path / f"results{suffix}")
    if suffix == ".csv":
        rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
        assert rows[0][4].startswith("'=SUM(1,2) ") and rows[0][5].startswith("'@cmd ")
        return
    sheet = load_workbook(path).active
    header = sheet.cell(row=1, column=5)
    assert header.value.startswith("=SUM(1,2) ")  # the text exactly, never run
    assert header.data_type == "s" and header.quotePrefix


def test_a_library_csv_defuses_formulas_and_reads_back_exactly(ctx, tmp_path):
    framework = {
        "format": "recruit-framework/1",
        "code": "HOSTILE",
        "name": '=HYPERLINK("http://evil")',
        "criteria": [
            {
                "code": "A",
                "name": "@SUM(1)",
                "element": "BEH",
                "cluster": "+cluster",
                "levels": [
                    {
                        "level": 1,
                        "title": "-minus",
                        "positive_indicators": ["=1+1", "'=already quoted", "plain"],
                        "negative_indicators": ["-less"],
                    }
                ],
            }
        ],
    }
    source = _write_json(tmp_path, "hostile.json", framework)
    import_file(ctx, source)
    first = export_entry(ctx, "HOSTILE", tmp_path / "out.csv")
    rows = list(csv.DictReader(first.read_text(encoding="utf-8-sig").splitlines(keepends=True)))
    assert rows[0]["framework_name"] == '\'=HYPERLINK("http://evil")'
    assert rows[0]["criterion_name"] == "'@SUM(1)"
    assert rows[0]["level_title"] == "'-minus"
    assert rows[0]["positive_indicators"].startswith("'=1+1\n")
    from recruit_app.services import library as lib

    before = lib.get_framework(ctx, "HOSTILE").definition
    copy = tmp_path / "copy.csv"
    copy.write_text(first.read_text(encoding="utf-8-sig").replace("HOSTILE", "COPY"), "utf-8")
    import_file(ctx, copy)
    after = lib.get_framework(ctx, "COPY").definition
    assert replace(after, code="HOSTILE") == before


# --- e-mail clashes are exact, not patterns ---------------------------------------------


def test_an_email_clash_is_exact_not_a_pattern(ctx, campaign_id, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(
        "First name,Last name,E-mail\r\n"
        "Ann,One,axb@example.org\r\n"
        "Bob,Two,bob@example.org\r\n"
        "Cat,Three,anyone@example.org\r\n",
        encoding="utf-8",
    )
    candidate_svc.import_candidates(ctx, campaign_id, path)
    _ann, bob, cat = candidate_svc.list_candidates(ctx, campaign_id)
    # `_` and `%` are ordinary characters in an address, not wildcards.
    changed = candidate_svc.update_candidate(
        ctx, bob.id, {"email": "a_b@example.org"}, expected_version=bob.version
    )
    assert changed.email == "a_b@example.org"
    changed = candidate_svc.update_candidate(
        ctx, cat.id, {"email": "%@example.org"}, expected_version=cat.version
    )
    assert changed.email == "%@example.org"
    with pytest.raises(ValidationError, match="Another candidate in this campaign has that"):
        candidate_svc.update_candidate(
            ctx, cat.id, {"email": "AXB@Example.org"}, expected_version=changed.version
        )


def test_a_person_clash_ignores_case_even_for_rows_stored_in_capitals(database):
    admin = ServiceContext(database, Actor("Ada Admin", "administrator"))
    with database.session() as session:
        # Written before addresses were kept in lower case, or by another tool.
        session.add(Person(name="Ana Old", email="Ana@Example.org"))
        session.commit()
    with pytest.raises(ValidationError, match=r"Someone with the e-mail ana@example\.org"):
        people_svc.create_person(admin, name="Ana New", email="ana@example.org")
    with database.session() as session:
        emails = sorted(p.email for p in session.exec(select(Person)) if "ana" in p.email.lower())
    assert emails == ["Ana@Example.org"]
