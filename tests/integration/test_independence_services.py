"""Independence and name-blind through the services, on SQLite and PostgreSQL (issue 12).

A name-blind CV sift with a chair (Cleo) and two members (Mo, Pat). Cleo and Mo have
scored and submitted everyone; Pat, a member, has not: she sees no other assessor's score
for a candidate, nor anything worked out from them, until she has submitted her own for
that candidate, and the merit order only once she owes nothing at the stage. At the
name-blind sift she meets no personal detail of anyone.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta

import pytest

from db.models import Candidate, InterviewSlot, Person
from recruit_app.services import candidates as cand
from recruit_app.services import results as res
from recruit_app.services import scoring as sc
from recruit_app.services import stages as svc
from recruit_app.services.access import INDEPENDENCE_RULE, NAME_BLIND_RULE
from recruit_app.services.campaign_files import create_from_template
from recruit_app.services.context import Actor, ServiceContext


@pytest.fixture
def sift(ctx):
    """(campaign id, sift id, {name: person id}, {number: candidate id})."""
    campaign = create_from_template(ctx, "DDAT-DEV-SEO", title="Developer", reference="IND-1")
    stage = svc.stages_overview(ctx, campaign.id).stages[0]
    assert stage.name_blind
    with ctx.db.session() as session:
        people = {
            name: Person(name=name, email=f"{name.lower()}@example.org")
            for name in ("Cleo", "Mo", "Pat")
        }
        session.add_all(people.values())
        for number in range(1, 4):
            session.add(
                Candidate(
                    campaign_id=campaign.id,
                    candidate_number=f"{number:04d}",
                    first_name=f"Quinta{number}",
                    last_name="Marlowe",
                    email=f"c{number}@example.com",
                    guaranteed_interview=number == 3,
                    redeployment=number == 2,
                    adjustments="Quillramp access",
                    extra_minutes=37,
                    unavailable_dates=["2027-02-03"],
                    extra={"Place of study": "Quillfeather College"},
                )
            )
        session.commit()
        ids = {name: p.id for name, p in people.items()}
        numbers = {
            c.candidate_number: c.id
            for c in session.exec(
                Candidate.__table__.select().where(Candidate.campaign_id == campaign.id)
            )
        }
    svc.set_panel(
        ctx,
        stage.id,
        [
            svc.SeatChoice(ids["Cleo"], "chair"),
            svc.SeatChoice(ids["Mo"], "member"),
            svc.SeatChoice(ids["Pat"], "member"),
        ],
        expected_version=stage.version,
    )
    for name in ("Cleo", "Mo"):
        _submit(ctx, stage.id, ids[name], list(numbers.values()))
    return campaign.id, stage.id, ids, numbers


def _as(ctx, ids, name: str) -> ServiceContext:
    return ServiceContext(db=ctx.db, actor=Actor(name, "panel_member", ids[name]))


def _submit(ctx, stage_id: int, person: int, candidates: list[int], value: int = 5) -> None:
    sheet = sc.scoring_sheet(ctx, stage_id, person)
    for candidate in candidates:
        for criterion in sheet.criteria:
            sc.save_score(
                ctx,
                stage_id,
                person,
                candidate,
                criterion.cell_id,
                value=value,
                evidence="Seen in the CV",
                expected_version=None,
            )
    sc.submit_scores(ctx, stage_id, person, candidates)


def test_a_member_who_has_not_scored_sees_no_score_and_no_merit_order(ctx, sift):
    _campaign, stage_id, ids, _numbers = sift
    pat = _as(ctx, ids, "Pat")
    view = res.stage_results(pat, stage_id)
    assert [r.number for r in view.rows] == ["0001", "0002", "0003"]
    for row in view.rows:
        assert row.withheld and row.total is None and row.rank is None
        assert set(row.criterion_scores.values()) == {None}
        assert (row.passed, row.progresses, row.flags, row.outcome) == (False, None, (), None)
        assert row.to_json()["passed"] is None and row.to_json()["scores_withheld"]
    assert not view.merit_order_shown and not view.can_finalise
    assert view.blockers == () and view.cutoff_tie == ()
    assert view.notice.startswith(INDEPENDENCE_RULE)
    assert "You still owe scores for 3 candidates." in view.notice
    assert NAME_BLIND_RULE in view.notice
    # The same stage, as the manager sees it: every total.
    managed = res.stage_results(ctx, stage_id)
    assert all(r.total is not None and not r.withheld for r in managed.rows)
    assert managed.notice == "" and managed.merit_order_shown


def test_the_chair_sees_the_stage_as_the_managers_do_without_scoring(ctx, sift):
    _campaign, stage_id, ids, _numbers = sift
    other = res.stage_results(ctx, stage_id)
    # Cleo scored already; the chair's seat is what counts: a chair who has not is seated.
    svc.set_panel(
        ctx,
        stage_id,
        [
            svc.SeatChoice(ids["Pat"], "chair"),
            svc.SeatChoice(ids["Cleo"], "member"),
            svc.SeatChoice(ids["Mo"], "member"),
        ],
        expected_version=None,
    )
    chaired = res.stage_results(_as(ctx, ids, "Pat"), stage_id)
    assert chaired.merit_order_shown and not any(r.withheld for r in chaired.rows)
    assert [(r.rank, r.total) for r in chaired.rows] == [(r.rank, r.total) for r in other.rows]
    assert chaired.notice == NAME_BLIND_RULE


def test_submitting_for_a_candidate_unlocks_that_candidate_only(ctx, sift):
    _campaign, stage_id, ids, numbers = sift
    pat = _as(ctx, ids, "Pat")
    _submit(pat, stage_id, ids["Pat"], [numbers["0002"]], value=4)
    view = res.stage_results(pat, stage_id)
    shown = {r.number: r for r in view.rows if not r.withheld}
    assert set(shown) == {"0002"}
    managed = {r.number: r for r in res.stage_results(ctx, stage_id).rows}
    assert shown["0002"].criterion_scores == managed["0002"].criterion_scores
    assert shown["0002"].total == managed["0002"].total
    assert shown["0002"].rank is None and shown["0002"].progresses is None
    assert "You still owe scores for 2 candidates." in view.notice
    # A draft is not a submission: nothing more unlocks.
    sheet = sc.scoring_sheet(pat, stage_id, ids["Pat"])
    sc.save_score(
        pat,
        stage_id,
        ids["Pat"],
        numbers["0001"],
        sheet.criteria[0].cell_id,
        value=3,
        evidence="draft",
        expected_version=None,
    )
    assert {r.number for r in res.stage_results(pat, stage_id).rows if not r.withheld} == {"0002"}


def test_the_merit_order_shows_once_every_owed_score_is_submitted(ctx, sift):
    """Owed: everyone who reached the stage, but not a candidate who withdrew nor one the
    member declared a conflict with (as the server counts it)."""
    _campaign, stage_id, ids, numbers = sift
    pat = _as(ctx, ids, "Pat")
    sc.declare_conflict(pat, stage_id, ids["Pat"], numbers["0003"], "My neighbour")
    _submit(pat, stage_id, ids["Pat"], [numbers["0001"]])
    assert not res.stage_results(pat, stage_id).merit_order_shown
    res.set_outcome(ctx, stage_id, numbers["0002"], kind="withdrawn", reason="Took another job")
    view = res.stage_results(pat, stage_id)
    assert view.merit_order_shown and not any(r.withheld for r in view.rows)
    managed = res.stage_results(ctx, stage_id)
    assert [(r.number, r.rank, r.progresses) for r in view.rows] == [
        (r.number, r.rank, r.progresses) for r in managed.rows
    ]
    assert view.notice == NAME_BLIND_RULE


def test_where_interviews_are_booked_a_member_owes_only_their_panels_candidates(ctx, sift):
    """Two panels: 0003 is booked on panel 2, so Pat (panel 1) owes 0001 and 0002 only, as
    the server counts it (recruit_completed_stages)."""
    _campaign, stage_id, ids, numbers = sift
    starts = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    with ctx.db.session() as session:
        for n, (number, panel) in enumerate((("0001", 1), ("0002", 1), ("0003", 2))):
            session.add(
                InterviewSlot(
                    stage_id=stage_id,
                    uid=f"slot-{n}@test",
                    starts_at=starts + timedelta(hours=n),
                    ends_at=starts + timedelta(hours=n, minutes=45),
                    panel_number=panel,
                    candidate_id=numbers[number],
                    status="booked",
                )
            )
        session.commit()
    pat = _as(ctx, ids, "Pat")
    _submit(pat, stage_id, ids["Pat"], [numbers["0001"]])
    view = res.stage_results(pat, stage_id)
    assert not view.merit_order_shown and "You still owe scores for 1 candidate." in view.notice
    _submit(pat, stage_id, ids["Pat"], [numbers["0002"]])
    assert res.stage_results(pat, stage_id).merit_order_shown


def test_a_stages_outcomes_show_a_member_with_its_merit_order(ctx, sift):
    campaign_id, stage_id, ids, numbers = sift
    pat = _as(ctx, ids, "Pat")
    res.set_outcome(ctx, stage_id, numbers["0001"], kind="reject", reason="Below the bar")
    listed = cand.list_candidates(pat, campaign_id, stage_id=stage_id)
    sift_name = svc.stages_overview(ctx, campaign_id).stages[0].name
    # Not "Applied", as if nothing were decided: where they are, and no more.
    assert [c.status for c in listed] == [f"At {sift_name}"] * 3 and not listed[0].outcomes
    assert cand.list_candidates(ctx, campaign_id, stage_id=stage_id)[0].outcomes
    _submit(pat, stage_id, ids["Pat"], list(numbers.values()))
    listed = cand.list_candidates(pat, campaign_id, stage_id=stage_id)
    assert listed[0].status.startswith("Not progressed")


def test_the_results_export_withholds_and_says_why(ctx, sift, tmp_path):
    _campaign, stage_id, ids, _numbers = sift
    path = res.export_results(_as(ctx, ids, "Pat"), stage_id, tmp_path / "mine.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    headers, rows = table[0], table[1:4]
    assert "Guaranteed interview" not in headers  # name-blind: no scheme column
    column = dict(zip(headers, range(len(headers)), strict=True))
    assert [r[column["Passed"]] for r in rows] == ["after yours"] * 3
    assert {r[column["Total"]] for r in rows} == {""}
    assert {r[column["Progresses"]] for r in rows} == {"not shown yet"}
    assert INDEPENDENCE_RULE in table[-1][0]
    managed = res.export_results(ctx, stage_id, tmp_path / "all.csv")
    text = managed.read_text(encoding="utf-8-sig")
    assert "Guaranteed interview" in text and INDEPENDENCE_RULE not in text


def test_a_name_blind_stage_shows_a_member_no_personal_detail(ctx, sift):
    """Even the chair, once everything is theirs to see: the details drive the rules but
    are the managers' and schedulers'."""
    campaign_id, stage_id, ids, _numbers = sift
    for name in ("Pat", "Cleo"):
        who = _as(ctx, ids, name)
        for c in cand.list_candidates(who, campaign_id, stage_id=stage_id):
            assert (c.first_name, c.last_name, c.email, c.phone) == ("", "", "", "")
            assert (c.guaranteed_interview, c.redeployment, c.adjustments) == (False, False, "")
            assert (c.extra_minutes, c.unavailable_dates, dict(c.extra)) == (0, (), {})
            assert set(c.to_json()) == {"candidate_number", "status", "outcomes"}
        view = res.stage_results(who, stage_id)
        assert view.details_hidden and not any(r.guaranteed_interview for r in view.rows)
        assert not any("guaranteed interview" in f for r in view.rows for f in r.flags)
        assert "Quinta" not in repr(view) and "Quill" not in repr(view)
    managed = cand.list_candidates(ctx, campaign_id, stage_id=stage_id)
    assert [c.guaranteed_interview for c in managed] == [False, False, True]
    assert managed[0].adjustments and managed[0].extra_minutes == 37
    assert managed[0].to_json()["first_name"] == "Quinta1"
    assert [r.guaranteed_interview for r in res.stage_results(ctx, stage_id).rows] == [
        False,
        False,
        True,
    ]
