"""Criteria on their own scales in one stage, ordered lead criteria and the chair's override."""

from __future__ import annotations

from recruit_app.domain.advert_rules import Finding
from recruit_app.domain.results import (
    OVERRIDE_FLAG,
    CandidateScores,
    CriterionSpec,
    StageResults,
    StageRules,
    compute_results,
    on_stage_scale,
    totals_note,
)
from recruit_app.domain.stage_rules import (
    SCALES,
    MatrixCriterion,
    MatrixStage,
    check_matrix,
    default_pass_mark,
    standard_mark,
)

SP7 = (1.0, 7.0)
# Two behaviours on the stage's 1 to 7 scale and a strength on its 1 to 4 guide.
B1 = CriterionSpec("B1", pass_mark=4)
B2 = CriterionSpec("B2", pass_mark=4)
S1 = CriterionSpec("S1", pass_mark=3, low=1, high=4)


def rules(*criteria: CriterionSpec, **changes: object) -> StageRules:
    return StageRules(criteria=criteria, scale_range=SP7, **changes)  # type: ignore[arg-type]


def cand(cid: int, **scores: float) -> CandidateScores:
    """Both assessors gave the same score on each criterion."""
    return CandidateScores(cid, f"{cid:04d}", submitted={c: (s, s) for c, s in scores.items()})


def order(results: StageResults) -> list[tuple[str, int | None, float | None]]:
    return [(r.number, r.rank, r.total) for r in results.results]


def test_a_strength_counts_on_the_stage_scale_end_to_end() -> None:
    stage = rules(B1, S1)
    assert [on_stage_scale(stage, S1, v) for v in (1, 2, 3, 4)] == [1, 3, 5, 7]
    assert on_stage_scale(stage, B1, 5) == 5
    assert stage.mixed_scales
    assert not rules(B1, B2).mixed_scales
    # A percentile on a 1 to 7 stage: 0 is 1, 100 is 7, 50 is the middle.
    ability = CriterionSpec("ABI", low=0, high=100)
    assert [on_stage_scale(stage, ability, v) for v in (0, 50, 100)] == [1, 4, 7]


def test_totals_are_normalised_and_pass_marks_stay_on_each_scale() -> None:
    results = compute_results(
        rules(B1, B2, S1),
        [
            cand(1, B1=5, B2=5, S1=4),  # 5 + 5 + 7
            cand(2, B1=6, B2=6, S1=3),  # 6 + 6 + 5
            cand(3, B1=7, B2=7, S1=2),  # below the strength's pass mark of 3
            cand(4, B1=4, B2=4, S1=4),  # 4 + 4 + 7
            cand(5, B1=3, B2=7, S1=4),  # below a behaviour's pass mark of 4: 3 + 7 + 7
        ],
    )
    # 0001 and 0002 tie on 17; no lead, so the matrix order decides: B1 (6 beats 5).
    assert order(results) == [
        ("0002", 1, 17),
        ("0001", 2, 17),
        ("0004", 3, 15),
        # Those who did not pass: by total, then number.
        ("0003", None, 17),
        ("0005", None, 17),
    ]
    third = next(r for r in results.results if r.number == "0003")
    assert third.failed_criteria == ("S1",)
    # Each criterion's own score stays on its own scale.
    assert third.criterion_scores == {"B1": 7, "B2": 7, "S1": 2}
    assert "S1 is below its pass mark of 3" in third.flags


def test_the_results_say_how_the_total_puts_scales_together() -> None:
    assert totals_note(rules(B1, S1), {"S1": "Resilient"}) == (
        "Totals put each criterion on the 1 to 7 scale: Resilient's 1 to 4 counts as "
        "1, 3, 5, 7. Each criterion's own score and pass mark stay on its scale."
    )
    assert totals_note(rules(B1, B2)) == ""
    percentile = CriterionSpec("ABI", low=0, high=100)
    assert "ABI's 0 to 100 counts as 1 to 7, in proportion" in totals_note(rules(B1, percentile))


def test_moderation_spread_is_scaled_to_the_criterion() -> None:
    # Scores 2 apart call for moderation on 1 to 7; on 1 to 4 that is 1 apart.
    stage = rules(B1, S1, moderation_spread=2)
    assert stage.spread_for(B1) == 2
    assert stage.spread_for(S1) == 1
    results = compute_results(
        stage,
        [
            CandidateScores(1, "0001", submitted={"B1": (4, 5), "S1": (3, 4)}),
            CandidateScores(2, "0002", submitted={"B1": (4, 6), "S1": (3, 3)}),
        ],
    )
    assert results.moderation == ((1, "S1", 1.0), (2, "B1", 2.0))


def test_two_ordered_leads_break_ties_in_their_order() -> None:
    candidates = [
        cand(1, B1=5, B2=6, S1=3),  # 16
        cand(2, B1=6, B2=5, S1=3),  # 16
        cand(3, B1=6, B2=5, S1=3),  # 16, the same as 0002 throughout: they share a rank
        cand(4, B1=4, B2=4, S1=2),  # fails S1
    ]

    def ranked(b1: CriterionSpec, b2: CriterionSpec) -> list[tuple[str, int | None]]:
        results = compute_results(rules(b1, b2, S1), candidates)
        return [(r.number, r.rank) for r in results.results if r.rank is not None]

    # B2 is lead 1, B1 lead 2: B2 decides first.
    b1 = CriterionSpec("B1", pass_mark=4, lead=True, lead_rank=2)
    b2 = CriterionSpec("B2", pass_mark=4, lead=True, lead_rank=1)
    assert ranked(b1, b2) == [("0001", 1), ("0002", 2), ("0003", 2)]
    # The other way round.
    b1 = CriterionSpec("B1", pass_mark=4, lead=True, lead_rank=1)
    b2 = CriterionSpec("B2", pass_mark=4, lead=True, lead_rank=2)
    assert ranked(b1, b2) == [("0002", 1), ("0003", 1), ("0001", 3)]
    # Two leads without an order: matrix order, so B1 first.
    b1 = CriterionSpec("B1", pass_mark=4, lead=True)
    b2 = CriterionSpec("B2", pass_mark=4, lead=True)
    assert ranked(b1, b2) == [("0002", 1), ("0003", 1), ("0001", 3)]
    # An ordered lead comes before an unordered one, wherever it sits in the matrix.
    b2 = CriterionSpec("B2", pass_mark=4, lead=True, lead_rank=1)
    assert ranked(b1, b2) == [("0001", 1), ("0002", 2), ("0003", 2)]


def test_a_lead_that_ties_hands_over_to_the_next_lead() -> None:
    b1 = CriterionSpec("B1", pass_mark=4, lead=True, lead_rank=1)
    s1 = CriterionSpec("S1", pass_mark=3, low=1, high=4, lead=True, lead_rank=2)
    results = compute_results(
        rules(b1, B2, s1),
        [
            cand(1, B1=6, B2=6, S1=3),  # 6 + 6 + 5 = 17
            cand(2, B1=6, B2=4, S1=4),  # 6 + 4 + 7 = 17: B1 ties, S1 (4 beats 3) decides
            cand(3, B1=5, B2=5, S1=4),  # 5 + 5 + 7 = 17: lowest on B1
        ],
    )
    assert order(results) == [("0002", 1, 17), ("0001", 2, 17), ("0003", 3, 17)]


def test_the_chairs_override_stands_for_the_total() -> None:
    override = (20.0, "The panel agreed the presentation showed far more than the scores")
    results = compute_results(
        rules(B1, B2, S1),
        [
            cand(1, B1=6, B2=6, S1=4),  # 19
            CandidateScores(
                2,
                "0002",
                submitted={"B1": (5, 5), "B2": (5, 5), "S1": (3, 3)},  # 15
                override=override,
            ),
            cand(3, B1=5, B2=5, S1=4),  # 17
        ],
    )
    assert order(results) == [("0002", 1, 20), ("0001", 2, 19), ("0003", 3, 17)]
    chosen = results.results[0]
    assert chosen.overridden and chosen.computed_total == 15
    assert chosen.override_reason == override[1]
    assert f"{OVERRIDE_FLAG}: {override[1]}" in chosen.flags
    assert not results.results[1].overridden
    assert results.results[1].computed_total == 19


def test_an_override_does_not_pass_a_candidate_who_fails_a_criterion() -> None:
    results = compute_results(
        rules(B1, S1),
        [
            CandidateScores(1, "0001", submitted={"B1": (3, 3), "S1": (4, 4)}, override=(14, "x")),
        ],
    )
    assert results.results[0].passed is False
    assert results.results[0].failed_criteria == ("B1",)


def test_a_lead_pre_sift_assesses_the_lead_criteria_alone() -> None:
    criteria = [
        MatrixCriterion("B1", "Seeing the big picture", True, lead=True),
        MatrixCriterion("B2", "Working together", True),
    ]
    stages = [
        MatrixStage("Pre-sift", "lead_sift", ("B1", "B2")),
        MatrixStage("Interview", "panel_interview", ("B1", "B2")),
    ]
    found = check_matrix(criteria, stages)
    assert (
        Finding(
            "warning",
            "lead",
            "cell:0:B2",
            "Pre-sift is a pre-sift on the lead criteria, but it also assesses Working "
            "together (B2), which is not a lead criterion.",
        )
        in found
    )
    clean = check_matrix(
        criteria,
        [MatrixStage("Pre-sift", "lead_sift", ("B1",)), MatrixStage("Interview", "sift", ("B2",))],
    )
    assert [f for f in clean if f.kind == "lead"] == []


def test_percentile_and_cell_pass_marks_follow_the_scale() -> None:
    percentile = SCALES["percentile"]
    assert (percentile.minimum, percentile.maximum, len(percentile.values)) == (0, 100, 101)
    assert percentile.name == "Percentile"
    assert standard_mark("strengths4") == 3
    assert default_pass_mark("strengths4", essential=True) == 3
    assert default_pass_mark("strengths4", essential=False) is None
    assert default_pass_mark("percentile", essential=True) == 50
