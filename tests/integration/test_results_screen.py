"""The Results screen's one read: the same figures as each use case reads on its own."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlmodel import col, select

from db.models import Person, Stage, StageCriterion
from recruit_app.domain.report import assessor_line
from recruit_app.errors import PermissionDenied
from recruit_app.services.adverts import campaign_id_for
from recruit_app.services.context import Actor
from recruit_app.services.demo import build_demo
from recruit_app.services.results import (
    CONSISTENCY_REFUSED,
    assessor_consistency,
    assessor_totals,
    moderation_pair,
    moderation_view,
    results_screen,
    stage_results,
)

DEMO_DAY = date(2026, 11, 25)


@pytest.fixture
def demo(ctx):
    build_demo(ctx, today=DEMO_DAY)
    return campaign_id_for(ctx, "283922")


def _stage_id(ctx, campaign_id: int, name: str) -> int:
    with ctx.db.session() as session:
        return session.exec(
            select(Stage.id).where(Stage.campaign_id == campaign_id, Stage.name == name)
        ).one()


def _without_evidence(pair):
    return dataclasses.replace(
        pair,
        scores=tuple((name, value, "") for name, value, _e in pair.scores),
        evidence_read=False,
    )


def _open_sift(ctx, campaign_id: int) -> int:
    """The demo's CV sift: a pair whose scores differ by 2, its agreed score recorded."""
    return _stage_id(ctx, campaign_id, "CV sift")


def test_the_screen_holds_what_each_use_case_reads(ctx, demo):
    stage_id = _open_sift(ctx, demo)
    screen = results_screen(ctx, demo, stage_id, every_pair=True)
    assert screen.stage_id == stage_id and screen.reference == "283922"
    assert screen.results == stage_results(ctx, stage_id)
    everything = moderation_view(ctx, stage_id)
    assert list(screen.pairs) == [_without_evidence(p) for p in everything]
    assert screen.assessors == tuple(assessor_consistency(ctx, stage_id))
    assert screen.scorers == ("Hannah Lee", "Marek Kowalski", "Tom Okonkwo")


def test_by_default_the_screen_lists_the_pairs_moderation_needs(ctx, demo):
    stage_id = _open_sift(ctx, demo)
    screen = results_screen(ctx, demo, stage_id)
    assert not screen.every_pair
    needed = [
        _without_evidence(p)
        for p in moderation_view(ctx, stage_id)
        if p.flagged or p.agreed is not None
    ]
    assert needed and list(screen.pairs) == needed
    assert all(not p.evidence_read for p in screen.pairs)


def test_one_pair_is_read_with_its_evidence(ctx, demo):
    stage_id = _open_sift(ctx, demo)
    listed = results_screen(ctx, demo, stage_id).pairs[0]
    full = moderation_pair(ctx, stage_id, listed.candidate_id, listed.cell_id)
    assert full.evidence_read
    assert full == next(
        p
        for p in moderation_view(ctx, stage_id)
        if (p.candidate_id, p.cell_id) == (listed.candidate_id, listed.cell_id)
    )
    assert any(evidence for _n, _v, evidence in full.scores)


def test_consistency_from_the_one_read_equals_the_report_totals_in_sql(ctx, demo):
    """Two homes for one sum would drift: the screen's walk and the report's SQL agree."""
    stage_id = _open_sift(ctx, demo)
    with ctx.db.session() as session:
        totals = assessor_totals(session, col(StageCriterion.stage_id) == stage_id)[stage_id]
    from_sql = [assessor_line(t) for t in totals]
    screen = results_screen(ctx, demo, stage_id).assessors
    assert [a.name for a in screen] == [line.name for line in from_sql]
    for mine, theirs in zip(screen, from_sql, strict=True):
        assert (mine.count, mine.moderated, mine.moved_away, mine.label) == (
            theirs.count,
            theirs.moderated,
            theirs.moved_away,
            theirs.reading,
        )
        assert mine.mean == pytest.approx(theirs.mean)
        assert mine.spread == pytest.approx(theirs.spread)
        assert mine.panel_mean == pytest.approx(theirs.panel_mean)
        assert mine.difference == pytest.approx(theirs.difference)


def test_a_panel_member_who_is_not_the_chair_sees_no_pairs_and_no_consistency(ctx, demo):
    stage_id = _open_sift(ctx, demo)
    with ctx.db.session() as session:
        person = session.exec(select(Person).where(Person.name == "Tom Okonkwo")).one()
    member = dataclasses.replace(
        ctx, actor=Actor("Tom Okonkwo", role="panel_member", person_id=person.id)
    )
    with pytest.raises(PermissionDenied):
        moderation_view(member, stage_id)
    screen = results_screen(member, demo, stage_id)
    assert screen.pairs == () and screen.scorers == ()
    assert screen.pairs_note.startswith("As a panel member, Tom Okonkwo may not record")
    assert screen.assessors == () and screen.assessors_note == CONSISTENCY_REFUSED
