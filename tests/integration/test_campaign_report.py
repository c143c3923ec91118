"""The campaign report from the database: the demo, a brand-new campaign, hostile text."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import select

from db.models import Campaign, Candidate, Stage
from exports.report import (
    CONSISTENCY,
    DISTRIBUTION,
    FUNNEL,
    MERIT,
    OUTCOMES,
    STANDING,
    SUMMARY,
    TIMETABLE,
)
from recruit_app.errors import Cancelled, PermissionDenied, ValidationError
from recruit_app.services.adverts import campaign_id_for
from recruit_app.services.campaign_report import (
    campaign_report_document,
    export_campaign_report,
)
from recruit_app.services.campaigns import create_campaign, rename_campaign
from recruit_app.services.context import Actor
from recruit_app.services.demo import build_demo
from recruit_app.services.results import assessor_consistency, stage_results

TODAY = date(2026, 11, 25)
HOSTILE = 'O\'Brien & Sons <b>"Quotes"</b> 😀 Zoë'


@pytest.fixture
def manager(ctx):
    return dataclasses.replace(ctx, organisation="Home Office")


@pytest.fixture
def demo(manager):
    """The demo campaign with its finalising moments pinned, so the days late are exact."""
    build_demo(manager, today=TODAY)
    campaign_id = campaign_id_for(manager, "283922")
    pinned = {
        "CV sift": datetime(2026, 11, 23, 10, 0, tzinfo=UTC),  # Monday after a Friday end
        "Technical exercise": datetime(2026, 11, 26, 16, 30, tzinfo=UTC),  # a day early
    }
    with manager.db.session() as session:
        for stage in session.exec(select(Stage).where(Stage.campaign_id == campaign_id)):
            if stage.name in pinned:
                stage.finalised_at = pinned[stage.name]
        session.commit()
    return campaign_id


def _stage_id(ctx, campaign_id: int, name: str) -> int:
    with ctx.db.session() as session:
        return session.exec(
            select(Stage.id).where(Stage.campaign_id == campaign_id, Stage.name == name)
        ).one()


def _names(ctx, campaign_id: int) -> list[tuple[str, str]]:
    with ctx.db.session() as session:
        return list(
            session.exec(
                select(Candidate.first_name, Candidate.last_name).where(
                    Candidate.campaign_id == campaign_id
                )
            ).all()
        )


def _flat(text: str) -> str:
    return " ".join(text.split())


def _outline(reader: PdfReader) -> list[tuple[int, str]]:
    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                yield from walk(item, level + 1)
            else:
                yield level, item.title

    return list(walk(reader.outline, 0))


def _read(path: Path) -> tuple[PdfReader, list[str], str]:
    reader = PdfReader(path)
    pages = [page.extract_text() for page in reader.pages]
    return reader, pages, _flat("\n".join(pages))


def _between(text: str, start: str, end: str) -> str:
    begin = text.index(start)
    return text[begin : text.index(end, begin + len(start))]


# --- the demo ------------------------------------------------------------------------


def test_demo_report(manager, demo, tmp_path):
    seen: list[tuple[int, int]] = []
    path = export_campaign_report(
        manager,
        demo,
        tmp_path / "report.pdf",
        today=TODAY,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]
    reader, pages, text = _read(path)

    # Furniture and metadata.
    total = len(pages)
    assert 5 <= total <= 14  # with the fairness section (the demo has monitoring answers)
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in page
        assert "Home Office" in page
    meta = reader.metadata
    assert meta.title == "Campaign report: Software Developer"
    assert meta.author == "Home Office"
    assert "283922" in meta.subject

    # The cover.
    cover = _flat(pages[0])
    assert "Campaign report" in cover and "Software Developer" in cover
    for fact in (
        "Reference 283922",
        "Organisation Home Office",
        "Status Live",
        "Grade Senior Executive Officer",
        "Produced on Wednesday 25 November 2026",
        "Candidates 40 applied",
    ):
        assert fact in cover
    assert (
        "40 candidates applied. Of these: 8 still in the process and 32 not progressed. "
        "CV sift: 14 of 40 progressed (35%). Technical exercise: 8 of 14 progressed (57%)."
    ) in cover

    # The funnel: table numbers, in order, then the chart's labels.
    funnel = _between(text, f"{FUNNEL} 40 candidates applied.", DISTRIBUTION)
    assert "Stage Reached Progressed Not progressed No decision yet" in funnel
    assert (
        "CV sift 40 14 (35%) 26 0 Technical exercise 14 8 (57%) 6 0 Video interview 8 0 0 8"
    ) in funnel
    assert "So far nobody has been put on a reserve list or appointed" in funnel
    assert "Reached the stage" in funnel and "Progressed from it" in funnel

    # Every section heading, in order, and the outline that mirrors them.
    headings = [SUMMARY, FUNNEL, DISTRIBUTION, MERIT, TIMETABLE, OUTCOMES, CONSISTENCY]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    assert _outline(reader) == [
        (0, SUMMARY),
        (0, FUNNEL),
        (0, DISTRIBUTION),
        (1, "CV sift"),
        (1, "Technical exercise"),
        (0, MERIT),
        (1, "CV sift"),
        (1, "Technical exercise"),
        (0, TIMETABLE),
        (0, OUTCOMES),
        (1, STANDING),
        (0, CONSISTENCY),
        (1, "CV sift"),
        (1, "Technical exercise"),
        # An administrator may monitor: the fairness section, a table per question.
        (0, "Fairness: selection rates by group"),
        *[
            (1, q)
            for q in (
                "Sex",
                "Gender identity",
                "Age",
                "Ethnic group",
                "Disability",
                "Sexual orientation",
                "Religion or belief",
                "Socio-economic background",
                "Caring responsibilities",
            )
        ],
    ]

    # Planned against actual, in words.
    timetable = _between(text, TIMETABLE, OUTCOMES)
    assert (
        "CV sift 16 to 20 November 2026 20 November 2026 within the planned dates "
        "23 November 2026 3 days late"
    ) in timetable
    assert (
        "Technical exercise 23 to 27 November 2026 25 November 2026 within the planned dates "
        "26 November 2026 1 day early"
    ) in timetable
    assert "Video interview 7 to 11 December 2026 No scores submitted in Recruit" in timetable
    assert "Not finalised yet" in timetable

    # Outcomes.
    outcomes = _between(text, f"{OUTCOMES} {STANDING}", CONSISTENCY)
    assert "Still in the process 8 20% Not progressed 32 80% All who applied 40 100%" in outcomes
    assert "Reserve lists" not in text  # nobody is on one: no empty heading

    # Merit orders: numbers only at the name-blind sift, names at the exercise.
    merit = _between(text, f"{MERIT} The order", TIMETABLE)
    sift = _between(merit, "CV sift", "Technical exercise")
    exercise = merit[merit.index("Technical exercise") :]

    assert "Name-blind stage: candidate numbers only." in sift
    assert "Rank Candidate Total Outcome" in sift
    rows = stage_results(manager, _stage_id(manager, demo, "CV sift")).rows
    assert len(rows) == 40
    assert sum(r.outcome == "progress" for r in rows) == 14
    for row in rows:
        total = f"{row.total:.2f}".rstrip("0").rstrip(".")
        rank = str(row.rank) if row.rank is not None else "–"
        outcome = "Progressed" if row.outcome == "progress" else "Not progressed"
        assert f"{rank} {row.number} {total} {outcome}" in sift
    # The merit order comes in merit order: the first ranked candidate first.
    first = rows[0]
    assert sift.index(f"1 {first.number} ") < sift.index(f" {rows[13].number} ")

    names = _names(manager, demo)
    for first_name, last_name in names:
        assert f"{first_name} {last_name}" not in sift
        assert last_name not in sift

    # The technical exercise was not name-blind: names for the team, with its scores.
    assert "Rank Candidate Name Total Outcome" in exercise
    assert "1 0005 Chidi Okafor 17 Progressed" in exercise
    assert "7 0001 Siân Evans 15 Progressed" in exercise
    assert "4 0003 Łukasz Nowak 15.5 Progressed" in exercise
    assert "– 0002 Zoë Clarke 11 Not progressed" in exercise
    assert exercise.count("Progressed") == 8 and exercise.count("Not progressed") == 6


def test_demo_distributions_and_consistency_agree_with_the_results(manager, demo):
    doc = campaign_report_document(manager, demo, today=TODAY)
    sift_id = _stage_id(manager, demo, "CV sift")
    view = stage_results(manager, sift_id)

    stage, exercise = doc.distributions
    assert exercise.stage == "Technical exercise"
    assert stage.stage == "CV sift" and stage.scale_points[0] == (1, "Not demonstrated")
    assert [c.code for c in stage.criteria] == [c.code for c in view.criteria]
    for criterion in stage.criteria:
        scores = [r.criterion_scores[criterion.code] for r in view.rows]
        assert criterion.points == (1, 2, 3, 4, 5, 6, 7)
        assert sum(criterion.counts) == criterion.scored == 40
        assert criterion.passed == sum(s is not None and s >= 4 - 1e-9 for s in scores)
        assert criterion.mean == pytest.approx(sum(scores) / 40)  # type: ignore[arg-type]

    consistency, _exercise = doc.consistency
    expected = {a.name: a for a in assessor_consistency(manager, sift_id)}
    assert [line.name for line in consistency.lines] == sorted(expected, key=str.casefold)
    for line in consistency.lines:
        want = expected[line.name]
        assert (line.count, line.moderated, line.moved_away, line.reading) == (
            want.count,
            want.moderated,
            want.moved_away,
            want.label,
        )
        assert line.mean == pytest.approx(want.mean)
        assert line.spread == pytest.approx(want.spread)
        assert line.panel_mean == pytest.approx(want.panel_mean)
        assert line.difference == pytest.approx(want.difference)

    assert [(t.stage, t.first_score, t.finalised, t.days_late) for t in doc.timings] == [
        ("CV sift", date(2026, 11, 20), date(2026, 11, 23), 3),
        ("Technical exercise", date(2026, 11, 25), date(2026, 11, 26), -1),
        ("Video interview", None, None, None),
    ]
    assert [(m.stage, m.name_blind, m.scored, m.total_rows) for m in doc.merit_orders] == [
        ("CV sift", True, True, 40),
        ("Technical exercise", False, True, 14),
    ]
    assert all(row.name == "" for row in doc.merit_orders[0].rows)


# --- a brand-new campaign --------------------------------------------------------------


def test_a_brand_new_campaign_exports_with_a_clear_line(manager, tmp_path):
    summary = create_campaign(manager, title="Graduate scheme 2027", reference="GRAD-27")
    path = export_campaign_report(manager, summary.id, tmp_path / "new.pdf", today=TODAY)
    reader, pages, text = _read(path)
    assert len(pages) == 1
    assert "Nothing has happened in this campaign yet: no candidates have applied" in text
    assert "Candidates None yet" in text and "Status Draft" in text
    assert "Page 1 of 1" in text
    for heading in (FUNNEL, DISTRIBUTION, MERIT, TIMETABLE, OUTCOMES, CONSISTENCY):
        assert heading not in text
    assert _outline(reader) == [(0, SUMMARY)]
    assert reader.metadata.title == "Campaign report: Graduate scheme 2027"


# --- hostile text ------------------------------------------------------------------------


def test_hostile_campaign_title_stage_and_names(manager, demo, tmp_path):
    with manager.db.session() as session:
        version = session.get(Campaign, demo).version
    rename_campaign(manager, demo, title=HOSTILE, expected_version=version)
    with manager.db.session() as session:
        stage = session.exec(
            select(Stage).where(Stage.campaign_id == demo, Stage.name == "Technical exercise")
        ).one()
        stage.name = "Exercise <i>&amp; 'tests'</i> 😀"
        person = session.exec(
            select(Candidate).where(
                Candidate.campaign_id == demo, Candidate.candidate_number == "0001"
            )
        ).one()
        person.last_name = "O'Brien & <Sons>"
        session.commit()
    path = export_campaign_report(manager, demo, tmp_path / "hostile.pdf", today=TODAY)
    reader, pages, text = _read(path)
    assert reader.metadata.title == f"Campaign report: {HOSTILE}"
    assert _flat(HOSTILE) in _flat(pages[0])
    assert "Exercise <i>&amp; 'tests'</i> 😀" in text
    assert "7 0001 Siân O'Brien & <Sons> 15 Progressed" in text
    titles = [title for _level, title in _outline(reader)]
    assert "Exercise <i>&amp; 'tests'</i> 😀" in titles


# --- progress, cancel, permissions -----------------------------------------------------


def test_a_cancel_leaves_no_file(manager, demo, tmp_path):
    target = tmp_path / "cancelled.pdf"
    with pytest.raises(Cancelled, match="no file was written"):
        export_campaign_report(manager, demo, target, cancelled=lambda: True)
    assert not target.exists()

    # A cancel while the pages are laid out: the renderer stops between sections.
    asked = 0

    def later() -> bool:
        nonlocal asked
        asked += 1
        return asked > 3

    with pytest.raises(Cancelled):
        export_campaign_report(manager, demo, target, cancelled=later)
    assert asked > 3
    assert not list(tmp_path.glob("*cancelled*"))  # nor a temporary file beside it


def test_only_managers_may_export_and_only_as_pdf(manager, tmp_path):
    campaign = create_campaign(manager, title="Graduate scheme 2027").id
    panel = dataclasses.replace(manager, actor=Actor("Pat Panel", role="panel_member"))
    with pytest.raises(PermissionDenied):
        campaign_report_document(panel, campaign)
    with pytest.raises(ValidationError, match=r"\.pdf"):
        export_campaign_report(manager, campaign, tmp_path / "report.docx")
    assert not (tmp_path / "report.docx").exists()
