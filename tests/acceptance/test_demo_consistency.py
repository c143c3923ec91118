"""The demo tells one consistent story: what is decided follows from the scores, nothing is
scored or decided after the day it is built, and the panels' words fit their marks."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlmodel import select

from db.models import Outcome, Score, StageCriterion
from recruit_app.domain.dates import LONDON
from recruit_app.library import load_json
from recruit_app.services import results as res
from recruit_app.services import stages as stage_svc
from recruit_app.services.adverts import campaign_id_for
from recruit_app.services.candidates import list_candidates
from recruit_app.services.demo import DEMO_FILE, build_demo
from recruit_app.services.letters import letters_document

DAYS = [date(2026, 11, 25), date(2026, 12, 7)]  # an ordinary week; one before Christmas


@pytest.fixture(params=DAYS, ids=str)
def demo(request, ctx):
    today = request.param
    build_demo(ctx, today=today)
    return today, stage_svc.stages_overview(ctx, campaign_id_for(ctx, "283922"))


def test_every_finalised_stage_was_scored_and_decided_by_its_scores(ctx, demo):
    _today, overview = demo
    plans = {plan["stage"]: plan for plan in load_json(DEMO_FILE)["held"]}
    finalised = [s for s in overview.stages if s.finalised]
    assert [s.name for s in finalised] == list(plans)
    for stage in finalised:
        view = res.stage_results(ctx, stage.id)
        assert view.blockers == () and view.can_finalise, stage.name
        # Every row decided by its scores: nobody "to decide" beside locked scores.
        assert all(r.progresses is not None and r.outcome for r in view.rows), stage.name
        assert all(r.outcome == ("progress" if r.progresses else "reject") for r in view.rows)
        progressed = sorted(r.number for r in view.rows if r.progresses)
        assert progressed == sorted(plans[stage.name]["passing"]), stage.name
    for stage in overview.stages:
        if not stage.finalised:
            assert not stage.has_scores, stage.name


def test_nothing_is_scored_or_decided_after_the_day_the_demo_is_built(ctx, demo):
    today, overview = demo
    starts = {s.id: s.starts_on for s in overview.stages}
    with ctx.db.session() as session:
        decided = session.exec(select(Outcome.stage_id, Outcome.decided_on)).all()
        submitted = session.exec(
            select(StageCriterion.stage_id, Score.submitted_at).join(
                StageCriterion, StageCriterion.id == Score.stage_criterion_id
            )
        ).all()
    assert decided and submitted
    for stage_id, day in decided:
        assert starts[stage_id] <= day <= today
    for stage_id, moment in submitted:
        assert starts[stage_id] <= moment.astimezone(LONDON).date() <= today


def test_the_panels_feedback_names_only_the_criteria_a_candidate_fell_short_on(ctx, demo):
    today, overview = demo
    feedback = load_json(DEMO_FILE)["feedback"]
    by_name = {s.name: s for s in overview.stages}
    for stage_name, notes in feedback.items():
        rows = {r.number: r for r in res.stage_results(ctx, by_name[stage_name].id).rows}
        for number, text in notes.items():
            named = set(re.findall(r"\(([A-Z]+\d*)\)", text))
            row = rows[number]
            assert named <= set(row.failed_criteria), (stage_name, number, named)
        letters = letters_document(ctx, by_name[stage_name].id, today=today).letters
        assert {letter.candidate_number for letter in letters if letter.feedback} == set(notes)


def test_candidate_numbers_share_one_width_and_no_desirable_cell_rejects(ctx, demo):
    _today, overview = demo
    numbers = [c.candidate_number for c in list_candidates(ctx, overview.campaign_id)]
    assert {len(n) for n in numbers} == {4}
    assert numbers == sorted(numbers, key=int)
    assert [f for f in overview.findings if f.field.startswith("cell:")] == []
