"""Stage results: scores, pass marks, merit order, tie-breaks, progression and blockers."""

from __future__ import annotations

import random
from datetime import date
from itertools import pairwise

import pytest

from recruit_app.domain.results import (
    GUARANTEED_FLAG,
    TIE_FLAG,
    CandidateResult,
    CandidateScores,
    CriterionSpec,
    StageResults,
    StageRules,
    candidate_order_for,
    compute_results,
    criterion_order_for,
    new_seed,
    reserve_expired,
    reserve_expiry,
)
from recruit_app.errors import ValidationError

CODES = ("EXP1", "BEH1", "BEH2")
CRITERIA = (
    CriterionSpec("EXP1", pass_mark=4, lead=True),
    CriterionSpec("BEH1", pass_mark=4),
    CriterionSpec("BEH2", pass_mark=4),
)


def rules(**changes: object) -> StageRules:
    return StageRules(**{"criteria": CRITERIA, **changes})  # type: ignore[arg-type]


def cand(
    cid: int, *scores: float, codes: tuple[str, ...] = CODES, **more: object
) -> CandidateScores:
    """A candidate both of whose assessors gave the same score on each criterion."""
    submitted = {code: (s, s) for code, s in zip(codes, scores, strict=True)}
    return CandidateScores(cid, f"{cid:04d}", submitted=submitted, **more)  # type: ignore[arg-type]


def raw(cid: int, **submitted: tuple[float, ...]) -> CandidateScores:
    return CandidateScores(cid, f"{cid:04d}", submitted=submitted)


def order(results: StageResults) -> list[tuple[str, int | None, float | None]]:
    return [(r.number, r.rank, r.total) for r in results.results]


def one(results: StageResults, number: str) -> CandidateResult:
    return next(r for r in results.results if r.number == number)


def progress(results: StageResults) -> dict[str, bool | None]:
    return {r.number: r.progresses for r in results.results}


# --- scores and merit order ------------------------------------------------------------


def test_a_clear_merit_order():
    results = compute_results(rules(), [cand(1, 5, 6, 5), cand(2, 4, 4, 4), cand(3, 6, 6, 6)])
    assert order(results) == [("0003", 1, 18.0), ("0001", 2, 16.0), ("0002", 3, 12.0)]
    assert one(results, "0001").criterion_scores == {"EXP1": 5.0, "BEH1": 6.0, "BEH2": 5.0}
    assert all(r.passed and r.progresses for r in results.results)
    assert (results.blockers, results.can_finalise) == ((), True)


def test_a_tie_on_total_is_broken_by_the_lead_criterion():
    # The lead comes second in the matrix, yet it decides before the first criterion.
    criteria = (
        CriterionSpec("BEH1", pass_mark=4),
        CriterionSpec("EXP1", pass_mark=4, lead=True),
        CriterionSpec("BEH2", pass_mark=4),
    )
    codes = ("BEH1", "EXP1", "BEH2")
    results = compute_results(
        rules(criteria=criteria), [cand(1, 6, 4, 5, codes=codes), cand(2, 4, 6, 5, codes=codes)]
    )
    assert order(results) == [("0002", 1, 15.0), ("0001", 2, 15.0)]


def test_a_tie_on_total_and_lead_is_broken_by_the_next_criterion_in_matrix_order():
    results = compute_results(rules(), [cand(1, 5, 4, 6), cand(2, 5, 6, 4), cand(3, 5, 5, 5)])
    assert order(results) == [("0002", 1, 15.0), ("0003", 2, 15.0), ("0001", 3, 15.0)]


def test_candidates_level_on_every_tie_break_share_a_rank():
    candidates = [cand(1, 6, 6, 6), cand(3, 5, 5, 5), cand(2, 5, 5, 5), cand(4, 4, 4, 4)]
    expected = [("0001", 1, 18.0), ("0002", 2, 15.0), ("0003", 2, 15.0), ("0004", 4, 12.0)]
    assert order(compute_results(rules(), candidates)) == expected
    # The order of the input never matters.
    assert order(compute_results(rules(), candidates[::-1])) == expected


def test_marks_equal_on_paper_compare_equal_despite_floating_point():
    # 0.1 x 3 + 0.2 x 1 is 0.5000000000000001 in floating point; 0.1 x 1 + 0.2 x 2 is 0.5.
    criteria = (CriterionSpec("EXP1", weight=0.1), CriterionSpec("BEH1", weight=0.2, lead=True))
    candidates = [raw(1, EXP1=(1,), BEH1=(2,)), raw(2, EXP1=(3,), BEH1=(1,))]
    results = compute_results(StageRules(criteria, min_assessors=1), candidates)
    # Level on total, so the lead criterion decides.
    assert [(r.number, r.rank) for r in results.results] == [("0001", 1), ("0002", 2)]


def test_the_mean_of_submitted_scores_is_the_criterion_score():
    candidates = [raw(1, EXP1=(4, 5), BEH1=(5, 5, 6), BEH2=(6, 5))]
    result = one(compute_results(rules(), candidates), "0001")
    assert result.criterion_scores == {"EXP1": 4.5, "BEH1": pytest.approx(16 / 3), "BEH2": 5.5}
    assert result.total == pytest.approx(4.5 + 16 / 3 + 5.5)


def test_agreed_scores_override_the_mean():
    candidate = CandidateScores(
        1,
        "0001",
        submitted={"EXP1": (3, 5), "BEH1": (4, 4), "BEH2": (6, 6)},
        agreed={"EXP1": 5, "BEH1": 6},
    )
    results = compute_results(rules(), [candidate])
    result = one(results, "0001")
    assert result.criterion_scores == {"EXP1": 5.0, "BEH1": 6.0, "BEH2": 6.0}
    assert result.total == 17.0
    assert (results.moderation, result.flags) == ((), ())


def test_the_weighted_total():
    criteria = (CriterionSpec("EXP1", weight=2, pass_mark=4), CriterionSpec("BEH1", pass_mark=4))
    codes = ("EXP1", "BEH1")
    results = compute_results(
        rules(criteria=criteria), [cand(1, 6, 4, codes=codes), cand(2, 4, 7, codes=codes)]
    )
    # Unweighted, candidate 0002 would lead 11 to 10.
    assert order(results) == [("0001", 1, 16.0), ("0002", 2, 15.0)]


# --- pass marks ------------------------------------------------------------------------


def test_failing_one_criterion_fails_even_with_the_highest_total():
    results = compute_results(rules(), [cand(1, 7, 7, 3), cand(2, 4, 4, 4)])
    assert order(results) == [("0002", 1, 12.0), ("0001", None, 17.0)]
    failed = one(results, "0001")
    assert (failed.passed, failed.failed_criteria, failed.progresses) == (False, ("BEH2",), False)
    assert failed.flags == ("BEH2 is below its pass mark of 4",)


def test_the_overall_pass_mark():
    results = compute_results(
        rules(pass_mark_total=14), [cand(1, 5, 5, 5), cand(2, 4, 5, 5), cand(3, 4, 4, 5)]
    )
    assert order(results) == [("0001", 1, 15.0), ("0002", 2, 14.0), ("0003", None, 13.0)]
    below = one(results, "0003")
    assert (below.passed, below.failed_criteria) == (False, ())
    assert below.flags == ("total 13 is below the pass mark of 14",)


# --- essential and desirable criteria --------------------------------------------------

MIXED = (
    CriterionSpec("EXP1", pass_mark=4, lead=True),
    CriterionSpec("DES1", essential=False, standard=4),
    CriterionSpec("EXP2", pass_mark=4),
)
MIXED_CODES = ("EXP1", "DES1", "EXP2")


def test_meeting_every_essential_criterion_is_never_undone_by_a_desirable_one():
    candidates = [
        cand(1, 5, 2, 5, codes=MIXED_CODES),  # every essential met, weak on the desirable
        cand(2, 5, 6, 4, codes=MIXED_CODES),
        cand(3, 5, 5, 5, codes=MIXED_CODES),
        cand(4, 6, 7, 3, codes=MIXED_CODES),  # below on an essential criterion
        cand(5, 4, 5, 4, codes=MIXED_CODES),
    ]
    results = compute_results(rules(criteria=MIXED), candidates)
    # The desirable score counts towards the total, and breaks the tie between 0002 and
    # 0003 (level on total and lead; DES1 comes next in matrix order).
    assert order(results) == [
        ("0002", 1, 15.0),
        ("0003", 2, 15.0),
        ("0005", 3, 13.0),
        ("0001", 4, 12.0),
        ("0004", None, 16.0),
    ]
    weak = one(results, "0001")
    assert (weak.passed, weak.failed_criteria, weak.progresses) == (True, (), True)
    assert weak.below_criteria == ("DES1",)
    assert weak.flags == ("DES1 is below 4: desirable, so it counts towards the total only",)
    rejected = one(results, "0004")
    assert (rejected.passed, rejected.failed_criteria, rejected.below_criteria) == (
        False,
        ("EXP2",),
        ("EXP2",),
    )


def test_a_minimum_set_on_a_desirable_criterion_rejects_those_below_it():
    criteria = (
        CriterionSpec("EXP1", pass_mark=4, lead=True),
        CriterionSpec("DES1", pass_mark=4, essential=False, standard=4),
    )
    codes = ("EXP1", "DES1")
    results = compute_results(
        rules(criteria=criteria), [cand(1, 7, 3, codes=codes), cand(2, 4, 4, codes=codes)]
    )
    assert order(results) == [("0002", 1, 8.0), ("0001", None, 10.0)]
    below = one(results, "0001")
    assert (below.passed, below.failed_criteria) == (False, ("DES1",))
    assert below.flags == ("DES1 is below its pass mark of 4",)


def test_those_who_do_not_pass_follow_by_total_then_number():
    candidates = [
        cand(5, 3, 3, 4),
        cand(4, 3, 3, 4),
        raw(6, EXP1=(5,)),
        cand(3, 7, 7, 3),
        cand(9, 4, 4, 4),
    ]
    assert order(compute_results(rules(), candidates)) == [
        ("0009", 1, 12.0),
        ("0003", None, 17.0),
        ("0004", None, 10.0),
        ("0005", None, 10.0),
        ("0006", None, None),
    ]


def test_candidate_numbers_order_equals_as_numbers():
    def numbered(number: str, *scores: float) -> CandidateScores:
        submitted = {code: (s, s) for code, s in zip(CODES, scores, strict=True)}
        return CandidateScores(int(number), number, submitted=submitted)

    candidates = [
        numbered("10", 5, 5, 5),
        numbered("9", 5, 5, 5),
        numbered("100", 3, 5, 5),
        numbered("11", 3, 5, 5),
        CandidateScores(20, "20"),
        CandidateScores(3, "3"),
    ]
    results = compute_results(rules(), candidates)
    # Level candidates share a rank and are listed by number: 9 before 10.
    assert order(results) == [
        ("9", 1, 15.0),
        ("10", 1, 15.0),
        ("11", None, 13.0),
        ("100", None, 13.0),
        ("3", None, None),
        ("20", None, None),
    ]
    assert results.blockers[0].startswith("12 scores are missing (candidate 3: ")


# --- progression -----------------------------------------------------------------------

FOUR = [cand(1, 6, 6, 6), cand(2, 5, 5, 5), cand(3, 4, 4, 5), cand(4, 7, 7, 3)]


def test_all_passing_progresses_everyone_who_passes():
    results = compute_results(rules(progress_rule="all_passing"), FOUR)
    assert progress(results) == {"0001": True, "0002": True, "0003": True, "0004": False}


def test_top_n_progresses_only_the_first_places():
    results = compute_results(rules(progress_rule="top_n", progress_count=2), FOUR)
    assert progress(results) == {"0001": True, "0002": True, "0003": False, "0004": False}
    assert (results.cutoff_tie, results.can_finalise) == ((), True)


TIED = [cand(1, 6, 6, 6), cand(2, 5, 5, 5), cand(3, 5, 5, 5), cand(4, 4, 4, 4)]


def test_a_tie_straddling_the_cut_off_is_flagged_and_undecided():
    results = compute_results(rules(progress_rule="top_n", progress_count=2), TIED)
    assert order(results) == [
        ("0001", 1, 18.0),
        ("0002", 2, 15.0),
        ("0003", 2, 15.0),
        ("0004", 4, 12.0),
    ]
    assert progress(results) == {"0001": True, "0002": None, "0003": None, "0004": False}
    assert results.cutoff_tie == (2, 3)
    assert one(results, "0002").flags == (TIE_FLAG,)
    assert one(results, "0003").flags == ("tie at the cut-off",)
    assert results.blockers == ("A tie at the cut-off needs a recorded decision: 0002, 0003",)
    assert results.can_finalise is False


def test_a_recorded_decision_resolves_the_tie():
    candidates = [*TIED[:2], cand(3, 5, 5, 5, resolved_tie=True), TIED[3]]
    results = compute_results(rules(progress_rule="top_n", progress_count=2), candidates)
    assert progress(results) == {"0001": True, "0002": False, "0003": True, "0004": False}
    assert results.cutoff_tie == (2, 3)
    assert (results.blockers, results.can_finalise) == ((), True)


def test_a_tied_group_inside_the_cut_off_all_progress():
    results = compute_results(rules(progress_rule="top_n", progress_count=3), TIED)
    assert progress(results) == {"0001": True, "0002": True, "0003": True, "0004": False}
    assert (results.cutoff_tie, results.blockers) == ((), ())


def test_a_tied_group_beyond_the_cut_off_does_not_progress():
    results = compute_results(rules(progress_rule="top_n", progress_count=1), TIED)
    assert progress(results) == {"0001": True, "0002": False, "0003": False, "0004": False}
    assert results.cutoff_tie == ()


GUARANTEED = [
    cand(1, 6, 6, 6),
    cand(2, 5, 5, 5),
    cand(3, 4, 4, 4, guaranteed_interview=True),
    cand(4, 5, 4, 4),
    cand(5, 7, 7, 3, guaranteed_interview=True),
    cand(6, 6, 6, 5, guaranteed_interview=True),
]


def test_a_guaranteed_interview_candidate_below_the_cut_off_progresses_at_a_sift():
    results = compute_results(
        rules(progress_rule="top_n", progress_count=2, is_sift=True), GUARANTEED
    )
    assert order(results) == [
        ("0001", 1, 18.0),
        ("0006", 2, 17.0),
        ("0002", 3, 15.0),
        ("0004", 4, 13.0),
        ("0003", 5, 12.0),
        ("0005", None, 17.0),
    ]
    assert progress(results) == {
        "0001": True,
        "0006": True,
        "0002": False,
        "0004": False,
        "0003": True,
        "0005": False,  # the scheme needs the minimum criteria met
    }
    scheme = {r.number for r in results.results if r.guaranteed_interview_progress}
    assert scheme == {"0003"}  # 0006 went through on merit
    assert one(results, "0003").flags == (GUARANTEED_FLAG,)
    assert GUARANTEED_FLAG == "progresses under the guaranteed interview scheme"


def test_the_guaranteed_interview_scheme_does_not_apply_after_the_sift():
    results = compute_results(rules(progress_rule="top_n", progress_count=2), GUARANTEED)
    below = one(results, "0003")
    assert (below.progresses, below.guaranteed_interview_progress, below.flags) == (
        False,
        False,
        (),
    )


def test_a_guaranteed_interview_candidate_in_a_tie_at_the_cut_off_progresses_at_a_sift():
    candidates = [TIED[0], cand(2, 5, 5, 5, guaranteed_interview=True), *TIED[2:]]
    results = compute_results(
        rules(progress_rule="top_n", progress_count=2, is_sift=True), candidates
    )
    assert progress(results) == {"0001": True, "0002": True, "0003": None, "0004": False}
    assert one(results, "0002").flags == (TIE_FLAG, GUARANTEED_FLAG)
    assert results.blockers == ("A tie at the cut-off needs a recorded decision: 0003",)


# --- what blocks finalising ------------------------------------------------------------


def test_missing_scores_block_finalising():
    candidates = [
        cand(1, 5, 5, 5),
        raw(7, EXP1=(5,), BEH1=(5, 5)),
        raw(9, EXP1=(5, 5), BEH1=(6,), BEH2=(5, 5)),
    ]
    results = compute_results(rules(), candidates)
    assert results.missing == ((7, "EXP1", 1, 2), (7, "BEH2", 0, 2), (9, "BEH1", 1, 2))
    assert results.blockers == (
        "4 scores are missing (candidate 0007: EXP1 has 1 of 2 assessors, "
        "BEH2 has 0 of 2 assessors; candidate 0009: BEH1 has 1 of 2 assessors)",
    )
    assert results.can_finalise is False
    assert order(results) == [("0001", 1, 15.0), ("0009", None, 16.0), ("0007", None, None)]
    short = one(results, "0007")
    assert short.criterion_scores == {"EXP1": 5.0, "BEH1": 5.0, "BEH2": None}
    assert (short.passed, short.rank, short.progresses) == (False, None, None)
    assert short.flags == ("EXP1 has 1 of 2 assessors", "BEH2 has 0 of 2 assessors")


def test_one_missing_score_and_a_higher_minimum():
    results = compute_results(
        rules(min_assessors=3), [raw(1, EXP1=(5, 5), BEH1=(5, 5, 5), BEH2=(4, 4, 4))]
    )
    assert results.missing == ((1, "EXP1", 2, 3),)
    assert results.blockers == ("1 score is missing (candidate 0001: EXP1 has 2 of 3 assessors)",)


def test_a_long_list_of_missing_scores_is_cut_short():
    results = compute_results(rules(), [raw(n, EXP1=(4, 4), BEH1=(4, 4)) for n in range(1, 8)])
    named = "; ".join(f"candidate {n:04d}: BEH2 has 0 of 2 assessors" for n in range(1, 6))
    assert results.blockers == (f"14 scores are missing ({named}; and 2 more candidates)",)


def test_an_agreed_score_fills_a_missing_one():
    candidate = CandidateScores(
        1, "0001", submitted={"EXP1": (5,)}, agreed={"EXP1": 5, "BEH1": 4, "BEH2": 4}
    )
    results = compute_results(rules(), [candidate])
    assert (results.missing, results.can_finalise) == ((), True)
    assert order(results) == [("0001", 1, 13.0)]


MODERATE = [
    raw(1, EXP1=(3, 6), BEH1=(4, 5), BEH2=(5, 5)),
    raw(2, EXP1=(4, 6), BEH1=(5, 6), BEH2=(5, 7)),
]


def test_scores_far_apart_need_moderation_before_finalising():
    results = compute_results(rules(), MODERATE)
    assert results.moderation == ((1, "EXP1", 3.0), (2, "EXP1", 2.0), (2, "BEH2", 2.0))
    assert results.blockers == (
        "3 criteria need an agreed score after moderation (candidate 0001: EXP1 scores "
        "differ by 3; candidate 0002: EXP1 scores differ by 2, BEH2 scores differ by 2)",
    )
    assert results.can_finalise is False
    assert one(results, "0001").flags == ("EXP1 needs an agreed score (scores differ by 3)",)
    # Meanwhile the means give a provisional order.
    assert order(results) == [("0002", 1, 16.5), ("0001", 2, 14.0)]


def test_agreed_scores_settle_moderation():
    agreed = {1: {"EXP1": 5}, 2: {"EXP1": 5, "BEH2": 6}}
    settled = [
        CandidateScores(
            c.candidate_id, c.number, submitted=c.submitted, agreed=agreed[c.candidate_id]
        )
        for c in MODERATE
    ]
    results = compute_results(rules(), settled)
    assert (results.moderation, results.blockers, results.can_finalise) == ((), (), True)
    assert order(results) == [("0002", 1, 16.5), ("0001", 2, 14.5)]


def test_one_criterion_needing_moderation_and_a_wider_threshold():
    results = compute_results(rules(), MODERATE[:1])
    assert results.blockers == (
        "1 criterion needs an agreed score after moderation "
        "(candidate 0001: EXP1 scores differ by 3)",
    )
    assert compute_results(rules(moderation_spread=3), MODERATE).moderation == ((1, "EXP1", 3.0),)


def test_every_blocker_at_once():
    candidates = [*TIED, raw(5, EXP1=(2, 7), BEH1=(4,), BEH2=(4, 4))]
    results = compute_results(rules(progress_rule="top_n", progress_count=2), candidates)
    assert results.blockers == (
        "1 score is missing (candidate 0005: BEH1 has 1 of 2 assessors)",
        "1 criterion needs an agreed score after moderation "
        "(candidate 0005: EXP1 scores differ by 5)",
        "A tie at the cut-off needs a recorded decision: 0002, 0003",
    )


def test_rules_that_cannot_give_results_are_refused():
    with pytest.raises(ValidationError, match="not a known progression rule"):
        compute_results(rules(progress_rule="best"), [])
    with pytest.raises(ValidationError, match="how many candidates progress"):
        compute_results(rules(progress_rule="top_n"), [])
    with pytest.raises(ValidationError, match="At least one assessor"):
        compute_results(rules(min_assessors=0), [])
    with pytest.raises(ValidationError, match="appears twice"):
        compute_results(rules(criteria=(*CRITERIA, CriterionSpec("EXP1"))), [])


def test_no_candidates_gives_empty_results():
    results = compute_results(rules(progress_rule="top_n", progress_count=3), [])
    assert results == StageResults((), (), (), (), (), True)


# --- volume ----------------------------------------------------------------------------


def test_ten_thousand_candidates_seven_criteria_three_assessors():
    codes = [f"C{i}" for i in range(1, 8)]
    criteria = tuple(CriterionSpec(c, pass_mark=4, lead=c == "C3") for c in codes)
    stage = StageRules(criteria, progress_rule="top_n", progress_count=500)
    rng = random.Random(2024)
    candidates = []
    for cid in range(1, 10_001):
        submitted = {c: tuple(rng.randint(3, 7) for _ in range(3)) for c in codes}
        agreed = {c: round(sum(v) / 3) for c, v in submitted.items() if max(v) - min(v) >= 2}
        candidates.append(CandidateScores(cid, f"{cid:05d}", submitted=submitted, agreed=agreed))

    def expected(c: CandidateScores) -> dict[str, float]:
        return {code: c.agreed.get(code, sum(c.submitted[code]) / 3) for code in codes}

    results = compute_results(stage, candidates)
    by_id = {r.candidate_id: r for r in results.results}
    assert len(results.results) == 10_000
    assert (results.missing, results.moderation) == ((), ())
    for cid in (1, 5_000, 10_000):
        scores = expected(candidates[cid - 1])
        assert by_id[cid].criterion_scores == pytest.approx(scores)
        assert by_id[cid].total == pytest.approx(sum(scores.values()))
        assert by_id[cid].passed == all(s >= 4 for s in scores.values())
    passing = [c for c in candidates if all(s >= 4 for s in expected(c).values())]
    ranked = [r for r in results.results if r.rank is not None]
    assert len(ranked) == len(passing)
    assert ranked[0].total == pytest.approx(max(sum(expected(c).values()) for c in passing))
    for position, (before, after) in enumerate(pairwise(ranked), start=2):
        assert before.total >= after.total - 1e-9
        assert after.rank in (before.rank, position)
        if after.total == pytest.approx(before.total):
            assert before.criterion_scores["C3"] >= after.criterion_scores["C3"] - 1e-9
    for r in ranked:
        want = None if r.candidate_id in results.cutoff_tie else r.rank <= 500
        assert r.progresses is want


# --- reserve lists ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decided", "months", "expires"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2023, 11, 30), 3, date(2024, 2, 29)),
        (date(2024, 8, 31), 6, date(2025, 2, 28)),
        (date(2024, 5, 31), 1, date(2024, 6, 30)),
        (date(2024, 12, 31), 1, date(2025, 1, 31)),
        (date(2024, 3, 15), 12, date(2025, 3, 15)),
        (date(2099, 12, 1), 1, date(2100, 1, 1)),
        (date(2099, 11, 29), 3, date(2100, 2, 28)),  # 2100 is not a leap year
    ],
)
def test_reserve_expiry_counts_calendar_months(decided: date, months: int, expires: date):
    assert reserve_expiry(decided, months) == expires


def test_a_reserve_list_lasts_at_least_a_month():
    with pytest.raises(ValidationError, match="1 month or more"):
        reserve_expiry(date(2024, 1, 1), 0)


def test_a_reserve_list_expires_the_day_after_its_expiry_date():
    expires = date(2025, 2, 28)
    assert reserve_expired(expires, date(2025, 2, 27)) is False
    assert reserve_expired(expires, expires) is False
    assert reserve_expired(expires, date(2025, 3, 1)) is True


# --- sift by criterion -----------------------------------------------------------------


def test_shuffles_repeat_for_the_same_seed():
    codes = [f"C{i}" for i in range(10)]
    ids = list(range(1, 51))
    assert criterion_order_for(codes, 7) == criterion_order_for(codes, 7)
    assert candidate_order_for(ids, 7) == candidate_order_for(ids, 7)
    assert sorted(criterion_order_for(codes, 7)) == codes
    assert sorted(candidate_order_for(ids, 7)) == ids
    assert candidate_order_for(ids, 7) != candidate_order_for(ids, 8)
    assert candidate_order_for(ids, 7) != ids
    assert codes == [f"C{i}" for i in range(10)]  # the input is not shuffled in place


def test_new_seed_is_a_non_negative_31_bit_number():
    seeds = {new_seed() for _ in range(20)}
    assert all(isinstance(s, int) and 0 <= s < 2**31 for s in seeds)
    assert len(seeds) > 1


def test_summaries_give_the_same_results_as_the_scores():
    from recruit_app.domain.results import Summary

    rules = StageRules(
        criteria=(CriterionSpec("A", pass_mark=4, lead=True), CriterionSpec("B")),
        min_assessors=3,
        moderation_spread=2,
    )
    scores = {"A": (5.0, 6.0, 7.0), "B": (4.0, 4.0)}
    plain = CandidateScores(1, "0001", submitted=scores)
    summed = CandidateScores(
        1,
        "0001",
        submitted={
            code: Summary(len(v), sum(v) / len(v), min(v), max(v)) for code, v in scores.items()
        },
    )
    assert compute_results(rules, [plain]) == compute_results(rules, [summed])
