"""The bare results baselines (benchmarks/baselines/results.py) do the same work as the app:
on a small synthetic campaign they give what the app's own functions give."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, insert, update
from sqlmodel import col, select

from benchmarks.baselines.results import (
    bare_assessor_consistency,
    bare_merit_list,
    bare_moderation_pairs,
    bare_results,
)
from benchmarks.synthetic import (
    MODERATION_SPREAD,
    add_campaign,
    agreed_rows,
    score_rows,
    stage_with_panel,
)
from db.models import (
    AdvertCriterion,
    Candidate,
    ModeratedScore,
    Outcome,
    PanelAssignment,
    Score,
    Stage,
    StageCriterion,
)
from recruit_app.services.results import assessor_consistency, moderation_view, stage_results


def _outcome(stage_id: int, candidate_id: int, kind: str) -> dict[str, object]:
    return {
        "stage_id": stage_id,
        "candidate_id": candidate_id,
        "kind": kind,
        "reason": "",
        "updated_at": datetime.now(UTC),
        "updated_by": "test",
        "version": 1,
    }


@pytest.fixture
def campaign(database):
    """A sift of 60 candidates (varied scores, a few missing, agreed scores for half the
    wide disagreements, a weighted criterion, a lead, a pass mark a few fail, a withdrawn
    candidate, two candidates alike) and an interview after it that the sift's top half reached."""
    campaign_id = add_campaign(database, "BARE-1", "Bare baselines", 60)
    sift, cells, assessors = stage_with_panel(database, campaign_id)
    scores = score_rows(database, campaign_id, cells, assessors)
    with database.session() as session:
        ids = list(
            session.exec(
                select(Candidate.id)
                .where(Candidate.campaign_id == campaign_id)
                .order_by(col(Candidate.id))
            )
        )
        for row in scores:  # two candidates alike: a shared rank
            if row["candidate_id"] in ids[20:22]:
                row["value"] = 5
        session.execute(insert(Score), scores)
        session.execute(insert(ModeratedScore), agreed_rows(scores, MODERATION_SPREAD))
        # One score missing for two candidates; one left a draft (not counted).
        session.execute(
            delete(Score).where(
                col(Score.candidate_id).in_(ids[3:5]),
                Score.stage_criterion_id == cells[2],
                Score.assessor_id == assessors[1],
            )
        )
        session.execute(
            update(Score)
            .where(
                Score.candidate_id == ids[7],
                Score.stage_criterion_id == cells[1],
                Score.assessor_id == assessors[2],
            )
            .values(status="draft")
        )
        session.execute(
            update(StageCriterion).where(StageCriterion.id == cells[1]).values(weight=2)
        )
        session.execute(
            update(StageCriterion).where(StageCriterion.id == cells[4]).values(pass_mark=4)
        )
        session.execute(insert(Outcome), [_outcome(sift, ids[10], "withdrawn")])
        # The interview: the first half progressed at the sift, a different weighting.
        interview = Stage(
            campaign_id=campaign_id,
            name="Interview",
            kind="panel_interview",
            position=1,
            min_assessors=2,
            moderation_spread=2,
            progress_rule="top_n",
            progress_count=5,
            updated_by="test",
        )
        session.add(interview)
        session.flush()
        assert interview.id is not None
        criteria = session.exec(
            select(AdvertCriterion.id)
            .join(StageCriterion, col(StageCriterion.advert_criterion_id) == AdvertCriterion.id)
            .where(StageCriterion.stage_id == sift)
            .order_by(col(StageCriterion.position))
        ).all()
        late = [
            StageCriterion(
                stage_id=interview.id,
                advert_criterion_id=a,
                pass_mark=3,
                weight=1.5 if n == 0 else 1.0,
                position=n,
            )
            for n, a in enumerate(criteria[:4])
        ]
        session.add_all(late)
        session.add_all(
            [PanelAssignment(stage_id=interview.id, person_id=p) for p in assessors[:2]]
        )
        session.flush()
        through = ids[:30]
        session.execute(
            insert(Outcome),
            [_outcome(sift, cid, "progress") for cid in through if cid != ids[10]],
        )
        late_cells = [c.id for c in late if c.id is not None]
        interview_id = interview.id
        session.commit()
    late_scores = [
        row
        for row in score_rows(database, campaign_id, late_cells, assessors[:2], seed=5)
        if row["candidate_id"] in through
    ]
    with database.session() as session:
        session.execute(insert(Score), late_scores)
        session.execute(insert(ModeratedScore), agreed_rows(late_scores, 2, share=0.7))
        session.commit()
    return sift, interview_id


def _bare(database):
    connection = database.engine.raw_connection()
    marker = "?" if database.engine.dialect.paramstyle == "qmark" else "%s"
    return connection, marker


@pytest.mark.parametrize("which", [0, 1])
def test_the_bare_merit_list_is_the_apps(ctx, database, campaign, which):
    stage_id = campaign[which]
    view = stage_results(ctx, stage_id)
    connection, marker = _bare(database)
    try:
        bare = bare_merit_list(connection, marker, stage_id)
        rows = bare_results(connection, marker, stage_id)
    finally:
        connection.close()
    assert [cid for cid, _t, _r in bare] == [r.candidate_id for r in view.rows]
    assert [rank for _c, _t, rank in bare] == [r.rank for r in view.rows]
    assert [t for _c, t, _r in bare] == pytest.approx([r.total for r in view.rows], abs=1e-9)
    assert [r.progresses for r in rows] == [r.progresses for r in view.rows]
    assert [r.passed for r in rows] == [r.passed for r in view.rows]
    assert [tuple(r.flags) for r in rows] == [r.flags for r in view.rows]
    # The synthetic campaign exercises what the merit list turns on.
    assert any(r.rank is None for r in view.rows)
    assert which or len({r.rank for r in view.rows if r.rank}) < len(
        [r for r in view.rows if r.rank]
    )


@pytest.mark.parametrize("which", [0, 1])
def test_the_bare_moderation_pairs_are_the_apps(ctx, database, campaign, which):
    stage_id = campaign[which]
    pairs = moderation_view(ctx, stage_id)
    connection, marker = _bare(database)
    try:
        bare = bare_moderation_pairs(connection, marker, stage_id)
    finally:
        connection.close()
    assert [
        (p.candidate_id, p.label, p.cell_id, p.code, p.scores, p.spread, p.flagged, p.agreed)
        for p in bare
    ] == [
        (
            p.candidate_id,
            p.label,
            p.cell_id,
            p.code,
            tuple((name, value) for name, value, _evidence in p.scores),
            p.spread,
            p.flagged,
            p.agreed,
        )
        for p in pairs
    ]
    assert any(p.flagged for p in pairs) and any(p.agreed is not None for p in pairs)
    # The Results tab lists only the pairs moderation needs, or that hold an agreed score.
    connection, marker = _bare(database)
    try:
        needed = bare_moderation_pairs(connection, marker, stage_id, needed_only=True)
    finally:
        connection.close()
    assert [(p.candidate_id, p.cell_id) for p in needed] == [
        (p.candidate_id, p.cell_id)
        for p in pairs
        if p.scores and (p.flagged or p.agreed is not None)
    ]
    assert 0 < len(needed) < len(pairs)


@pytest.mark.parametrize("which", [0, 1])
def test_the_bare_assessor_consistency_is_the_apps(ctx, database, campaign, which):
    stage_id = campaign[which]
    views = assessor_consistency(ctx, stage_id)
    connection, marker = _bare(database)
    try:
        bare = bare_assessor_consistency(connection, marker, stage_id)
    finally:
        connection.close()
    assert [(b.name, b.count, b.moderated, b.moved_away, b.label) for b in bare] == [
        (v.name, v.count, v.moderated, v.moved_away, v.label) for v in views
    ]
    for b, v in zip(bare, views, strict=True):
        assert (b.mean, b.spread) == pytest.approx((v.mean, v.spread), abs=1e-9)
        assert b.panel_mean == pytest.approx(v.panel_mean, abs=1e-9)
        assert b.difference == pytest.approx(v.difference, abs=1e-9)
    assert any(v.moderated for v in views)
