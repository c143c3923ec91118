"""Equality monitoring through the services, on SQLite and PostgreSQL (issue 18): importing
answers, the fairness figures of a hand-worked campaign, suppression, who may, erasure and
subject access."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlmodel import select

from db.models import AuditEvent, Candidate, EqualityAnswer, Outcome, Person
from recruit_app.domain.equality import DEFAULT_CHARACTERISTICS
from recruit_app.domain.fairness import Journey, fairness_report
from recruit_app.errors import PermissionDenied, ValidationError
from recruit_app.services import equality, people
from recruit_app.services import stages as svc
from recruit_app.services.campaign_files import create_from_template
from recruit_app.services.candidate_data import candidate_record
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.services.retention import erase_candidate

# Candidates 0001-0010 female, 0011-0020 male.
# CV sift: female 1-8 progress, 9 withdrawn, 10 rejected; male 11-15 progress, 16-20 rejected.
# Technical exercise: female 1-4 progress, 5-8 rejected; male 11-14 progress, 15 rejected.
# Video interview: nobody decided yet.
SIFT = {n: "progress" for n in (*range(1, 9), *range(11, 16))} | {9: "withdrawn", 10: "reject"}
SIFT |= {n: "reject" for n in range(16, 21)}
EXERCISE = {n: "progress" for n in (1, 2, 3, 4, 11, 12, 13, 14)}
EXERCISE |= {n: "reject" for n in (5, 6, 7, 8, 15)}

ANSWERS = (
    "Candidate number,First name,Sex,What is your ethnic group?,Disability,Notes\r\n"
    + "".join(
        f"{n if n % 2 else f'{n:04d}'},Name{n},{'Female' if n <= 10 else 'male'},"
        f"{'Asian' if n % 3 == 0 else 'White'},{'Prefer not to say' if n == 2 else 'No'},x\r\n"
        for n in range(1, 21)
    )
    + "0099,Nobody,Female,White,No,\r\n"
    + "0003,Again,Female,White,No,\r\n"
)


@pytest.fixture
def world(ctx):
    """(campaign id, {stage name: stage id}, {number: candidate id}, {who: person id})."""
    summary = create_from_template(ctx, "DDAT-DEV-SEO", title="Developer", reference="EQ-1")
    stages = {s.name: s.id for s in svc.stages_overview(ctx, summary.id).stages}
    with ctx.db.session() as session:
        persons = {
            "flagged": Person(
                name="Fola Flagged", email="fola@example.org", role="recruiting_manager"
            ),
            "plain": Person(name="Pia Plain", email="pia@example.org", role="recruiting_manager"),
            "panel": Person(name="Pat Panel", email="pat@example.org", role="panel_member"),
        }
        for person in persons.values():
            person.updated_by = "test"
        session.add_all(persons.values())
        for n in range(1, 21):
            session.add(
                Candidate(
                    campaign_id=summary.id,
                    candidate_number=f"{n:04d}",
                    first_name=f"Name{n}",
                    last_name="Test",
                    email=f"c{n}@example.org",
                )
            )
        session.commit()
        ids = {who: p.id for who, p in persons.items()}
        numbers = {
            int(c.candidate_number): c.id
            for c in session.exec(select(Candidate).where(Candidate.campaign_id == summary.id))
        }
        for stage, decided in (("CV sift", SIFT), ("Technical exercise", EXERCISE)):
            for n, kind in decided.items():
                session.add(
                    Outcome(
                        stage_id=stages[stage],
                        candidate_id=numbers[n],
                        kind=kind,
                        decided_on=date(2027, 1, 5),
                    )
                )
        session.commit()
    people.set_equality_monitoring(ctx, ids["flagged"], True, expected_version=None)
    return summary.id, stages, numbers, ids


def _as(ctx, ids, who, role):
    names = {"flagged": "Fola Flagged", "plain": "Pia Plain", "panel": "Pat Panel"}
    return ServiceContext(db=ctx.db, actor=Actor(names[who], role, ids[who]))


def _file(tmp_path, text=ANSWERS, name="monitoring.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _answers(ctx, numbers):
    back = {v: k for k, v in numbers.items()}
    with ctx.db.session() as session:
        return {
            (back[a.candidate_id], a.characteristic): a.category
            for a in session.exec(select(EqualityAnswer))
        }


def test_import_matches_numbers_reads_headings_and_reports_problems(ctx, world, tmp_path):
    campaign_id, _stages, numbers, _ids = world
    report = equality.import_answers(ctx, campaign_id, _file(tmp_path))
    assert report.mapping == {
        "Candidate number": "candidate_number",
        "First name": "ignore",
        "Sex": "sex",
        "What is your ethnic group?": "ethnic_group",
        "Disability": "disability",
        "Notes": "ignore",
    }
    assert report.candidates == 20 and report.answers == 60
    assert [(p.line, p.message) for p in report.problems] == [
        (22, "there is no candidate numbered '0099' in EQ-1"),
        (23, "a second line for the same candidate"),
    ]
    saved = _answers(ctx, numbers)
    assert len(saved) == 60
    assert saved[1, "sex"] == "female" and saved[11, "sex"] == "male"  # "1" is 0001
    assert saved[3, "ethnic_group"] == "asian" and saved[4, "ethnic_group"] == "white"
    assert saved[2, "disability"] == "prefer_not_to_say"
    with ctx.db.session() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "equality.import")).one()
        assert event.after == {"candidates": 20, "answers": 60, "source": "monitoring.csv"}
        assert "female" not in repr(event.after).lower()  # counts only, never answers

    # A second import replaces the answers it has columns for; an unknown answer is left
    # out and reported; an empty cell clears the answer; others stay.
    second = "Applicant ID,Sex,Ethnicity\r\n1,Martian,Black\r\n0011,,Mixed\r\n"
    again = equality.import_answers(
        ctx,
        campaign_id,
        _file(tmp_path, second, "again.csv"),
        overrides={"Ethnicity": "ethnic_group"},
    )
    assert again.candidates == 2 and again.answers == 2
    assert [(p.line, p.message[:40]) for p in again.problems] == [
        (2, "'Martian' is not an answer to Sex (Femal")
    ]
    saved = _answers(ctx, numbers)
    assert (1, "sex") not in saved and (11, "sex") not in saved
    assert saved[1, "ethnic_group"] == "black" and saved[11, "ethnic_group"] == "mixed"
    assert saved[1, "disability"] == "no"


def test_import_refuses_a_file_without_candidates_or_questions(ctx, world, tmp_path):
    campaign_id, *_ = world
    with pytest.raises(ValidationError, match="candidate numbers or e-mail"):
        equality.import_answers(ctx, campaign_id, _file(tmp_path, "Sex\r\nFemale\r\n"))
    with pytest.raises(ValidationError, match="No column"):
        equality.import_answers(ctx, campaign_id, _file(tmp_path, "Email,Colour\r\nx,y\r\n"))
    with pytest.raises(ValidationError, match="not a question's code"):
        equality.import_answers(
            ctx, campaign_id, _file(tmp_path), overrides={"Notes": "favourite_colour"}
        )


def test_exact_figures_of_a_hand_worked_campaign(ctx, world, tmp_path):
    campaign_id, stages, _numbers, _ids = world
    equality.import_answers(ctx, campaign_id, _file(tmp_path))
    report = equality.fairness_figures(ctx, campaign_id, characteristic="sex", threshold=1)
    rows = {(r.stage, r.group): r for r in report.rows}
    female, male = rows["CV sift", "female"], rows["CV sift", "male"]
    # Female 8 of 10 (0.8, the best rate); male 5 of 10: 0.5 / 0.8 = 0.625, flagged.
    assert (female.entered, female.progressed, female.rate) == (10, 8, 0.8)
    assert (male.entered, male.progressed, male.rate) == (10, 5, 0.5)
    assert female.impact_ratio == 1.0 and female.flag is False
    assert male.impact_ratio == 0.625 and male.flag is True
    # Fisher's exact test on [[8, 2], [5, 5]]: the tables no likelier than the one seen,
    # x = 3, 4, 5, 8, 9, 10 of comb(10, x) * comb(10, 13 - x), over comb(20, 13) = 77520:
    # (120 + 2100 + 11340 + 11340 + 2100 + 120) / 77520 = 27120 / 77520 = 113 / 323.
    assert female.p_value == pytest.approx(113 / 323, rel=1e-12)
    assert male.p_value == pytest.approx(113 / 323, rel=1e-12)
    total = rows["CV sift", "total"]
    assert (total.entered, total.progressed, total.rate) == (20, 13, 0.65)
    # The exercise: female 4 of 8 (0.5), male 4 of 5 (0.8): female 0.625, flagged.
    female, male = rows["Technical exercise", "female"], rows["Technical exercise", "male"]
    assert (female.entered, female.progressed, male.entered, male.progressed) == (8, 4, 5, 4)
    assert female.impact_ratio == 0.625 and female.flag is True and male.flag is False
    # The interview: 8 entered, none decided, so none progressed; no ratio against nought.
    interview = rows["Video interview", "total"]
    assert (interview.entered, interview.progressed) == (8, 0)
    assert rows["Video interview", "female"].impact_ratio is None
    # Groups nobody is in show zeros.
    assert rows["CV sift", "not_answered"].entered == 0
    assert rows["CV sift", "prefer_not_to_say"].rate is None
    funnel = {(f.characteristic, f.group): f for f in report.funnel}
    assert funnel["sex", "female"].entered == 10
    assert dict(funnel["sex", "female"].progressed) == {
        "CV sift": 8,
        "Technical exercise": 4,
        "Video interview": 0,
    }
    # One stage: the same rows.
    one = equality.fairness_figures(
        ctx, campaign_id, stage_id=stages["CV sift"], characteristic="sex", threshold=1
    )
    assert one.rows == tuple(r for r in report.rows if r.stage == "CV sift")
    assert one.to_json()[0] == {
        "stage": "CV sift",
        "characteristic": "sex",
        "group": "female",
        "entered": 10,
        "progressed": 8,
        "rate": 0.8,
        "impact_ratio": 1.0,
        "flag": False,
        "p_value": pytest.approx(113 / 323),
        "suppressed": False,
    }


def test_suppression_through_the_service(ctx, world, tmp_path):
    campaign_id, _stages, numbers, _ids = world
    equality.import_answers(ctx, campaign_id, _file(tmp_path))
    report = equality.fairness_figures(ctx, campaign_id, characteristic="sex")
    assert report.threshold == 5  # the default setting
    rows = {(r.stage, r.group): r for r in report.rows}
    # Female at the sift: 2 did not progress (fewer than 5): the row is suppressed, every
    # figure null; the totals stay.
    female = rows["CV sift", "female"]
    assert female.suppressed and female.to_json() == {
        "stage": "CV sift",
        "characteristic": "sex",
        "group": "female",
        "entered": None,
        "progressed": None,
        "rate": None,
        "impact_ratio": None,
        "flag": None,
        "p_value": None,
        "suppressed": True,
    }
    # Secondary: the male row would give the female one away from the total.
    assert rows["CV sift", "male"].suppressed
    assert (rows["CV sift", "total"].entered, rows["CV sift", "total"].progressed) == (20, 13)
    # The same as the core's report on the journeys worked out by hand.
    sex = next(c for c in DEFAULT_CHARACTERISTICS if c.code == "sex")
    journeys = []
    for n in range(1, 21):
        path: tuple[bool, ...] = (SIFT[n] == "progress",)
        if path[0]:
            path += (EXERCISE[n] == "progress",)
            if path[1]:
                path += (False,)
        journeys.append(Journey({"sex": "female" if n <= 10 else "male"}, path))
    expected = fairness_report(
        journeys, ["CV sift", "Technical exercise", "Video interview"], [sex], threshold=5
    )
    assert report == expected
    # The threshold is a setting.
    equality.set_equality_settings(ctx, threshold=2)
    assert equality.fairness_figures(ctx, campaign_id, characteristic="sex").threshold == 2
    assert equality.equality_settings(ctx).threshold == 2
    with pytest.raises(ValidationError, match="from 1 to"):
        equality.set_equality_settings(ctx, threshold=0)
    assert len(numbers) == 20


def test_who_may_see_and_import(ctx, world, tmp_path):
    campaign_id, stages, _numbers, ids = world
    path = _file(tmp_path)
    flagged = _as(ctx, ids, "flagged", "recruiting_manager")
    plain = _as(ctx, ids, "plain", "recruiting_manager")
    panel = _as(ctx, ids, "panel", "panel_member")
    # An administrator and a manager given equality monitoring may.
    assert equality.import_answers(flagged, campaign_id, path).candidates == 20
    assert equality.fairness_figures(flagged, campaign_id).rows
    assert equality.fairness_figures(ctx, campaign_id).rows
    # Suppression is not theirs to lower; raising it is.
    with pytest.raises(PermissionDenied, match="only an administrator"):
        equality.fairness_figures(flagged, campaign_id, threshold=1)
    assert equality.fairness_figures(flagged, campaign_id, threshold=10).threshold == 10
    # A manager without it and a panel member (even sitting on the stage) may not.
    svc.set_panel(
        ctx,
        stages["CV sift"],
        [svc.SeatChoice(ids["panel"], "member")],
        expected_version=None,
    )
    for who, role in ((plain, "recruiting manager"), (panel, "panel member")):
        with pytest.raises(PermissionDenied, match=f"As a {role}"):
            equality.fairness_figures(who, campaign_id)
        with pytest.raises(PermissionDenied, match=f"As a {role}"):
            equality.fairness_figures(who, campaign_id, stage_id=stages["CV sift"])
        with pytest.raises(PermissionDenied, match=f"As a {role}"):
            equality.import_answers(who, campaign_id, path)
        with pytest.raises(PermissionDenied):
            equality.equality_settings(who)
    # Only an administrator gives it, and only to a recruiting manager.
    with pytest.raises(PermissionDenied):
        people.set_equality_monitoring(flagged, ids["plain"], True, expected_version=None)
    with pytest.raises(ValidationError, match="panel members never"):
        people.set_equality_monitoring(ctx, ids["panel"], True, expected_version=None)
    # Taken away, it goes; made a panel member, a manager loses it.
    people.set_equality_monitoring(ctx, ids["flagged"], False, expected_version=None)
    with pytest.raises(PermissionDenied):
        equality.fairness_figures(flagged, campaign_id)
    people.set_equality_monitoring(ctx, ids["plain"], True, expected_version=None)
    assert equality.fairness_figures(plain, campaign_id).rows
    people.update_person(
        ctx,
        ids["plain"],
        name="Pia Plain",
        email="pia@example.org",
        role="panel_member",
        expected_version=None,
    )
    listed = {p.id: p for p in people.list_people(ctx)}
    assert listed[ids["plain"]].equality_monitoring is False


def test_erasure_deletes_answers_and_subject_access_shows_only_their_own(ctx, world, tmp_path):
    campaign_id, _stages, numbers, ids = world
    equality.import_answers(ctx, campaign_id, _file(tmp_path))
    # Subject access, even by a manager without equality monitoring: their own answers.
    plain = _as(ctx, ids, "plain", "recruiting_manager")
    record = candidate_record(plain, numbers[2])
    assert record.details["equality_monitoring"] == {
        "Sex": "Female",
        "Ethnic group": "White",
        "Disability": "Prefer not to say",
    }
    assert candidate_record(ctx, numbers[3]).details["equality_monitoring"]["Ethnic group"] == (
        "Asian, Asian British or Asian Welsh"
    )
    erase_candidate(plain, numbers[2], reason="asked")
    saved = _answers(ctx, numbers)
    assert not [key for key in saved if key[0] == 2]
    assert len(saved) == 57  # everyone else's stay
    assert candidate_record(ctx, numbers[2]).details["equality_monitoring"] == {}
    # Deleting a candidate deletes their answers with them.
    with ctx.db.session() as session:
        candidate = session.get(Candidate, numbers[3])
        session.delete(candidate)
        session.commit()
    assert len(_answers(ctx, numbers)) == 54


def test_the_command_prints_the_issues_json_and_imports(ctx, world, tmp_path, db_url, capsys):
    import argparse
    import json

    from recruit_app import cli_fairness

    if db_url.startswith("postgresql"):
        pytest.skip("the command on PostgreSQL signs in as a person: tried in test_pg_security")
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    cli_fairness.add_parser(parser.add_subparsers())

    def run(*words: str) -> object:
        args = parser.parse_args(["--db", db_url, "fairness", *words])
        assert args.handler(args) == 0
        return json.loads(capsys.readouterr().out)

    imported = run("import", "EQ-1", str(_file(tmp_path)), "--map", "Notes=ignore", "--json")
    assert imported["candidates"] == 20 and imported["answers"] == 60
    rows = run("EQ-1", "--stage", "cv sift", "--characteristic", "sex", "--json")
    assert [r["group"] for r in rows] == [
        "female",
        "male",
        "prefer_not_to_say",
        "not_answered",
        "total",
    ]
    assert list(rows[0]) == [
        "stage",
        "characteristic",
        "group",
        "entered",
        "progressed",
        "rate",
        "impact_ratio",
        "flag",
        "p_value",
        "suppressed",
    ]
    assert rows[0]["suppressed"] is True and rows[0]["entered"] is None
    assert rows[-1]["entered"] == 20 and rows[-1]["progressed"] == 13
    args = parser.parse_args(["--db", db_url, "fairness", "EQ-1", "--threshold", "1"])
    assert args.handler(args) == 0
    out = capsys.readouterr().out
    assert "below 0.8" in out and "Counts below 1 are suppressed" in out
    funnel = run("funnel", "2020-01-01", "2030-12-31", "--characteristic", "sex", "--json")
    assert funnel["campaigns"] == ["EQ-1"] and funnel["threshold"] == 5
    with pytest.raises(ValidationError, match="fairness import REF FILE"):
        args = parser.parse_args(["--db", db_url, "fairness", "import", "EQ-1"])
        args.handler(args)


def test_the_demos_invented_answers_show_a_flag_above_the_threshold(ctx):
    from recruit_app.services.demo import build_demo

    report = build_demo(ctx, today=date(2026, 11, 25))  # the demo invents them itself
    campaign_id = equality_campaign_id(ctx, report.reference)
    with ctx.db.session() as session:
        added = len(session.exec(select(EqualityAnswer)).all())
    assert added > 40
    figures = equality.fairness_figures(ctx, campaign_id, characteristic="sex")
    flagged = [r for r in figures.rows if r.flag]
    assert flagged and all(not r.suppressed for r in flagged)
    stage = flagged[0].stage
    shown = [r for r in figures.rows if r.stage == stage and r.group in ("female", "male")]
    assert all(not r.suppressed and (r.entered or 0) >= 5 for r in shown)
    # Other questions: some groups small enough to be suppressed.
    assert any(r.suppressed for r in equality.fairness_figures(ctx, campaign_id).rows)


def equality_campaign_id(ctx, reference):
    from recruit_app.services.adverts import campaign_id_for

    return campaign_id_for(ctx, reference)


def test_the_funnel_across_campaigns_of_a_date_range(ctx, world, tmp_path):
    from datetime import timedelta

    from recruit_app.domain.dates import LONDON
    from recruit_app.services.equality import FUNNEL_STAGES, organisation_funnel

    campaign_id, _stages, _numbers, ids = world
    equality.import_answers(ctx, campaign_id, _file(tmp_path))
    # A second campaign of one stage, in range: two women, both appointed.
    other = create_from_template(ctx, "DDAT-DEV-SEO", title="Other", reference="EQ-2")
    for stage in svc.stages_overview(ctx, other.id).stages[1:]:
        svc.remove_stage(ctx, stage.id, expected_version=None)
    first = svc.stages_overview(ctx, other.id).stages[0].id
    with ctx.db.session() as session:
        for n in (1, 2):
            candidate = Candidate(campaign_id=other.id, candidate_number=f"{n:04d}", email="")
            session.add(candidate)
            session.flush()
            session.add(Outcome(stage_id=first, candidate_id=candidate.id, kind="appoint"))
            session.add(
                EqualityAnswer(candidate_id=candidate.id, characteristic="sex", category="female")
            )
        session.commit()
    today = datetime.now(LONDON).date()
    found = organisation_funnel(
        ctx, today - timedelta(days=1), today + timedelta(days=1), characteristic="sex", threshold=1
    )
    assert found.references == ("EQ-1", "EQ-2")
    funnel = {f.group: f for f in found.report.funnel}
    # EQ-1 women: 10 applied, 8 passed the sift, 4 reached the interview, none selected yet;
    # EQ-2 women: 2 applied, passed, reached and were selected at its one stage.
    assert funnel["female"].entered == 12
    assert dict(funnel["female"].progressed) == dict(zip(FUNNEL_STAGES, (10, 6, 2), strict=True))
    assert funnel["male"].entered == 10
    assert dict(funnel["male"].progressed) == dict(zip(FUNNEL_STAGES, (5, 4, 0), strict=True))
    assert found.to_json()["campaigns"] == ["EQ-1", "EQ-2"]
    # Out of range: nothing. Refused as elsewhere.
    empty = organisation_funnel(ctx, date(2020, 1, 1), date(2020, 12, 31))
    assert empty.references == () and all(r.entered in (0, None) for r in empty.report.rows)
    with pytest.raises(PermissionDenied):
        organisation_funnel(_as(ctx, ids, "plain", "recruiting_manager"), today, today)
    with pytest.raises(ValidationError, match="ends before"):
        organisation_funnel(ctx, today, today - timedelta(days=1))


def test_an_excel_file_matched_by_e_mail_and_a_dry_run(ctx, world, tmp_path):
    from openpyxl import Workbook

    campaign_id, _stages, numbers, _ids = world
    book = Workbook()
    sheet = book.active
    sheet.append(["E-mail address", "Age", "Religion or belief", "Caring responsibilities"])
    sheet.append(["C5@example.org", "25 to 34", "No religion", "Yes, both"])
    sheet.append(["c6@example.org", "65_over", "Sikh", "No"])
    path = tmp_path / "monitoring.xlsx"
    book.save(path)
    preview = equality.import_answers(ctx, campaign_id, path, dry_run=True)
    assert (preview.dry_run, preview.candidates, preview.answers) == (True, 2, 6)
    assert _answers(ctx, numbers) == {}
    equality.import_answers(ctx, campaign_id, path)
    assert _answers(ctx, numbers) == {
        (5, "age_band"): "25_34",
        (5, "religion"): "none",
        (5, "caring"): "both",
        (6, "age_band"): "65_over",
        (6, "religion"): "sikh",
        (6, "caring"): "none",
    }


@pytest.mark.usefixtures("sign_in_on_postgres")
def test_an_administrator_gives_and_takes_the_permission_from_the_command_line(capsys, db_url):
    from recruit_app.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", db_url, *args])
        out, err = capsys.readouterr()
        return code, out, err

    assert run("users", "add", "--name", "Priya Raman", "--email", "priya@example.org",
               "--role", "recruiting_manager")[0] == 0  # fmt: skip
    assert run("users", "add", "--name", "Tom Okonkwo", "--email", "tom@example.org")[0] == 0
    code, out, _ = run("users", "equality-monitoring", "priya@example.org", "on")
    assert (code, out) == (
        0,
        "Priya Raman may now read equality monitoring answers and fairness figures.\n",
    )
    code, _out, err = run("users", "equality-monitoring", "tom@example.org", "on")
    assert code == 1 and "equality monitoring is given to recruiting managers" in err
    assert run("users", "equality-monitoring", "priya@example.org", "off")[0] == 0


@pytest.mark.usefixtures("sign_in_on_postgres")
def test_the_settings_command_shows_and_changes_threshold_and_questions(capsys, db_url, tmp_path):
    import json

    from recruit_app.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", db_url, "fairness", "settings", *args])
        out, err = capsys.readouterr()
        return code, out, err

    code, out, _ = run("--json")
    shown = json.loads(out)
    assert code == 0 and shown["threshold"] == 5
    assert [c["code"] for c in shown["characteristics"]] == [
        c.code for c in DEFAULT_CHARACTERISTICS
    ]
    code, out, _ = run("--threshold", "10")
    assert (code, out.splitlines()[0]) == (0, "Counts below 10 are suppressed.")
    code, _out, err = run("--threshold", "0")
    assert code == 1 and "The suppression threshold is from 1 to" in err

    # Two questions only, from the file `--json` prints, edited.
    shown["characteristics"] = shown["characteristics"][:2]
    shown["characteristics"][0]["label"] = "Sex (as asked)"
    questions = tmp_path / "questions #1 é.json"
    questions.write_text(json.dumps(shown), encoding="utf-8")
    code, out, _ = run("--questions", str(questions), "--json")
    after = json.loads(out)
    assert code == 0 and after["threshold"] == 10
    assert [c["label"] for c in after["characteristics"]] == ["Sex (as asked)", "Gender identity"]

    # A hostile file changes nothing.
    questions.write_text('[{"code": "sex", "label": "Sex", "categories": []}]')
    code, _out, err = run("--questions", str(questions))
    assert code == 1 and err.strip()
    questions.write_bytes(b"\x00\xff garbage")
    assert run("--questions", str(questions))[0] == 1
    code, out, _ = run("--json")
    assert json.loads(out) == after

    # Changes are in the audit trail.
    assert main(["--db", db_url, "audit", "list", "--json"]) == 0
    events = json.loads(capsys.readouterr().out)["events"]
    assert [e["what"] for e in events[:2]] == ["Changed the equality monitoring settings"] * 2


def test_details_and_the_permission_are_saved_together_or_not_at_all(ctx):
    priya = people.create_person(ctx, name="Priya", email="priya@example.org",
                                 role="recruiting_manager")  # fmt: skip
    sam = people.create_person(ctx, name="Sam", email="sam@example.org", role="panel_member")
    people.update_person(ctx, priya.id, name="Priya Raman", email="priya@example.org",
                         role="recruiting_manager", expected_version=None,
                         equality_monitoring=True)  # fmt: skip
    with pytest.raises(ValidationError, match="Sam Jones is a panel member"):
        people.update_person(ctx, sam.id, name="Sam Jones", email="sam@example.org",
                             role="panel_member", expected_version=None,
                             equality_monitoring=True)  # fmt: skip
    rows = {p.id: p for p in people.list_people(ctx)}
    assert (rows[priya.id].name, rows[priya.id].equality_monitoring) == ("Priya Raman", True)
    assert (rows[sam.id].name, rows[sam.id].equality_monitoring) == ("Sam", False)  # untouched
    manager = ServiceContext(ctx.db, Actor("Max", "recruiting_manager", priya.id))
    with pytest.raises(PermissionDenied):
        people.update_person(manager, sam.id, name="Sam", email="sam@example.org",
                             role="panel_member", expected_version=None,
                             equality_monitoring=False)  # fmt: skip
