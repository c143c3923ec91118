"""Data protection on real databases: the retention purge, erasure on request, subject access."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from sqlmodel import col, select

from db.models import AuditEvent, Campaign, Candidate, Outcome, Score, Stage
from recruit_app.errors import NotFound, PermissionDenied, ValidationError
from recruit_app.services import candidate_data, retention
from recruit_app.services.adverts import campaign_id_for
from recruit_app.services.candidates import list_candidates, update_candidate
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.services.demo import build_demo
from recruit_app.services.results import stage_results

DEMO_DAY = date(2026, 11, 25)
FINALISED = datetime(2026, 12, 18, 12, 0, tzinfo=UTC)  # the last decision: 18 December 2026


@pytest.fixture
def closed_demo(ctx):
    """The demo campaign, over: every kind of candidate, the last decision on 18 Dec 2026.

    At the technical exercise: 0001 appointed, 0003 on a reserve list to 30 June 2029,
    0005 withdrew; the rest of the 40 were rejected at one stage or another, or never
    got an outcome at the video interview (0009 and the other five who reached it).
    """
    build_demo(ctx, today=DEMO_DAY)
    campaign_id = campaign_id_for(ctx, "283922")
    with ctx.db.session() as session:
        numbers = {
            c.candidate_number: c.id
            for c in session.exec(select(Candidate).where(Candidate.campaign_id == campaign_id))
        }
        stages = {
            s.name: s for s in session.exec(select(Stage).where(Stage.campaign_id == campaign_id))
        }
        exercise = stages["Technical exercise"]
        for number, kind, expires in (
            ("0001", "appoint", None),
            ("0003", "reserve", date(2029, 6, 30)),
            ("0005", "withdrawn", None),
        ):
            outcome = session.exec(
                select(Outcome).where(
                    Outcome.stage_id == exercise.id, Outcome.candidate_id == numbers[number]
                )
            ).one()
            outcome.kind, outcome.reserve_expires_on = kind, expires
        for stage in stages.values():
            stage.finalised_at = FINALISED
        session.get(Campaign, campaign_id).archived = True
        session.commit()
    return campaign_id, numbers


def _purge(ctx, day: date, *, dry_run: bool = True):
    return retention.purge(ctx, dry_run=dry_run, today=day)


def test_nothing_is_due_before_the_retention_period_ends(ctx, closed_demo):
    assert retention.retention_months(ctx) == 24
    assert _purge(ctx, date(2028, 12, 17)).candidates == ()  # the day before 24 months


def test_the_purge_lists_the_unsuccessful_and_keeps_the_appointed_and_the_reserve(ctx, closed_demo):
    _campaign_id, numbers = closed_demo
    report = _purge(ctx, date(2028, 12, 18))
    due = {d.candidate_number: d for d in report.candidates}
    assert len(due) == 38  # all 40 but the appointed 0001 and 0003 on the reserve list
    assert "0001" not in due and "0003" not in due
    assert due["0005"].reason == "24 months after the campaign closed"  # withdrew
    assert due["0002"].due_on == date(2028, 12, 18)
    assert report.to_json()["erased"] == 0 and report.dry_run
    # The reserve list keeps 0003 until it expires; the appointed are never due.
    later = {d.candidate_number: d for d in _purge(ctx, date(2029, 6, 30)).candidates}
    assert later["0003"].reason == "reserve list expired" and "0001" not in later
    with ctx.db.session() as session:  # a dry run changes nothing
        assert session.get(Candidate, numbers["0002"]).first_name == "Zoë"


def test_the_purge_erases_personal_data_and_keeps_anonymous_scores(ctx, closed_demo):
    campaign_id, numbers = closed_demo
    sift = next(s for s in stage_results(ctx, _stage_id(ctx, "CV sift")).rows if s.rank == 1)
    with ctx.db.session() as session:
        scores_before = session.exec(select(Score.value).order_by(col(Score.id))).all()
    mine = next(c for c in list_candidates(ctx, campaign_id) if c.candidate_number == "0002")
    update_candidate(ctx, mine.id, {"phone": "07700 900999"}, expected_version=mine.version)

    report = _purge(ctx, date(2029, 1, 5), dry_run=False)
    assert report.to_json()["erased"] == 38

    with ctx.db.session() as session:
        zoe = session.get(Candidate, numbers["0002"])
        assert (zoe.first_name, zoe.last_name, zoe.email, zoe.phone) == ("", "", "", "")
        assert zoe.erased_at is not None and zoe.candidate_number == "0002"
        kept = session.get(Candidate, numbers["0001"])
        assert kept.first_name == "Siân" and kept.erased_at is None
        # Every score stays, value for value; evidence notes about the erased go.
        assert session.exec(select(Score.value).order_by(col(Score.id))).all() == scores_before
        notes = session.exec(
            select(Score.evidence).where(Score.candidate_id == numbers["0002"])
        ).all()
        assert notes and set(notes) == {""}
        assert session.exec(
            select(Outcome.feedback).where(Outcome.candidate_id == numbers["0004"])
        ).all() == [""]
        # The trail keeps that Zoë's phone changed, not the numbers.
        change = session.exec(
            select(AuditEvent).where(
                AuditEvent.action == "candidate.update", AuditEvent.entity_id == numbers["0002"]
            )
        ).one()
        assert (change.before, change.after) == ({"erased": True}, {"erased": True})
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "retention.purge")).one()
        assert event.summary == (
            "Erased the personal data of 38 candidates past the 24-month retention period"
        )
        assert "283922/0002" in event.after["candidates"]
    # Statistics still add up: the same merit order, by number.
    again = next(s for s in stage_results(ctx, _stage_id(ctx, "CV sift")).rows if s.rank == 1)
    assert (again.number, again.total) == (sift.number, sift.total)
    assert _purge(ctx, date(2029, 1, 5)).candidates == ()  # nothing left to erase


def _stage_id(ctx, name: str) -> int:
    with ctx.db.session() as session:
        return session.exec(select(Stage.id).where(Stage.name == name)).one()


def test_only_an_administrator_purges_and_the_period_is_a_checked_setting(database, ctx):
    manager = ServiceContext(database, Actor("Rita Manager", role="recruiting_manager"))
    with pytest.raises(PermissionDenied, match="may not erase personal data past its"):
        retention.purge(manager, dry_run=True)
    with pytest.raises(ValidationError, match="Keep personal data for 1 to 120 months"):
        retention.set_retention_months(ctx, 0)
    retention.set_retention_months(ctx, 12)
    assert retention.retention_months(ctx) == 12
    with ctx.db.session() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "setting.change")).one()
        assert (event.before, event.after) == ({"retention_months": 24}, {"retention_months": 12})


def test_a_subject_access_record_holds_everything_then_erasure_on_request(
    ctx, tmp_path, closed_demo
):
    _campaign_id, numbers = closed_demo
    niamh = numbers["0004"]
    written = candidate_data.export_candidate_record(ctx, niamh, tmp_path / "0004.json")
    record = json.loads(written.read_text(encoding="utf-8"))
    assert record["details"]["last_name"] == "O'Brien"
    assert record["details"]["email"] == "niamh.obrien@example.org"
    assert [s["stage"] for s in record["stages"]] == ["CV sift"]
    assert record["stages"][0]["outcome"] == "reject"
    assert record["stages"][0]["feedback"].startswith("Your CV showed sound experience")
    assert len(record["scores"]) == 18  # 6 criteria by 3 assessors
    assert {s["assessor"] for s in record["scores"]} == {
        "Hannah Lee",
        "Marek Kowalski",
        "Tom Okonkwo",
    }
    pdf = candidate_data.export_candidate_record(ctx, niamh, tmp_path / "0004.pdf")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(pdf).pages).split())
    assert "Personal data held about candidate 0004" in text
    assert "O'Brien" in text and "niamh.obrien@example.org" in text
    assert "Your CV showed sound experience" in text
    assert "CV sift Not progressed" in text  # the outcome in words, not its code
    with pytest.raises(ValidationError, match=r"as a \.json or \.pdf file, not \.txt"):
        candidate_data.export_candidate_record(ctx, niamh, tmp_path / "0004.txt")

    retention.erase_candidate(ctx, niamh, reason="Asked by e-mail on 2 February")
    after = candidate_data.candidate_record(ctx, niamh)
    assert after.details["last_name"] == "" and after.details["erased_on"]
    assert all(s.evidence == "" for s in after.scores) and len(after.scores) == 18
    with pytest.raises(NotFound, match="already erased"):
        retention.erase_candidate(ctx, niamh, reason="again")
    with ctx.db.session() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "candidate.erase")).one()
        assert event.summary == (
            "Erased candidate 0004's personal data: Asked by e-mail on 2 February"
        )


def test_a_panel_member_cannot_export_or_erase_a_candidate(database, closed_demo):
    _campaign_id, numbers = closed_demo
    panel = ServiceContext(database, Actor("Hannah Lee", role="panel_member", person_id=1))
    with pytest.raises(PermissionDenied, match="may not export or erase a candidate's"):
        candidate_data.candidate_record(panel, numbers["0004"])
    with pytest.raises(PermissionDenied):
        retention.erase_candidate(panel, numbers["0004"], reason="")
