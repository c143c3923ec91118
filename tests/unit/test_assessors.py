"""Assessor consistency: harsh and lenient markers, moderation counts, lone assessors."""

from __future__ import annotations

import pytest

from recruit_app.domain.assessors import (
    HARSH,
    IN_LINE,
    LENIENT,
    NOT_COMPARED,
    AssessorScore,
    AssessorStats,
    consistency,
    spread_of,
)


def marks(assessor_id: int, values: dict[int, float], code: str = "EXP1") -> list[AssessorScore]:
    return [AssessorScore(assessor_id, cid, code, v) for cid, v in values.items()]


def by_id(stats: list[AssessorStats]) -> dict[int, AssessorStats]:
    return {s.assessor_id: s for s in stats}


# Assessor 1 marks low, 3 high and 2 in between, on the same four candidates.
PANEL = [
    *marks(3, {1: 6, 2: 6, 3: 6, 4: 6}),
    *marks(1, {1: 3, 2: 3, 3: 4, 4: 3}),
    *marks(2, {1: 5, 2: 5, 3: 5, 4: 5}),
]
AGREED = {(1, "EXP1"): 5.0, (2, "EXP1"): 5.0, (3, "EXP1"): 6.0}


def test_harsh_and_lenient_markers_are_labelled():
    stats = consistency(PANEL, AGREED)
    assert [s.assessor_id for s in stats] == [1, 2, 3]
    harsh, middle, lenient = stats
    assert (harsh.count, harsh.mean, harsh.panel_mean) == (4, 3.25, 5.5)
    assert harsh.difference == pytest.approx(-2.25)
    assert harsh.label == HARSH
    assert (middle.mean, middle.panel_mean) == (5.0, 4.625)
    assert middle.difference == pytest.approx(0.375)
    assert middle.label == IN_LINE
    assert (lenient.mean, lenient.panel_mean) == (6.0, 4.125)
    assert lenient.difference == pytest.approx(1.875)
    assert lenient.label == LENIENT


def test_spread_is_the_population_standard_deviation():
    harsh, middle, _ = consistency(PANEL, AGREED)
    assert harsh.spread == pytest.approx(0.4330127, abs=1e-7)
    assert middle.spread == 0.0


def test_moderated_and_moved_away_counts():
    stats = by_id(consistency(PANEL, AGREED))
    assert [stats[a].moderated for a in (1, 2, 3)] == [3, 3, 3]
    # Agreed 5, 5, 6 against: assessor 1's 3, 3, 4; assessor 2's 5, 5, 5; assessor 3's 6, 6, 6.
    assert [stats[a].moved_away for a in (1, 2, 3)] == [3, 1, 2]


def test_no_agreed_scores_means_nothing_moderated():
    stats = consistency(PANEL, {})
    assert {(s.moderated, s.moved_away) for s in stats} == {(0, 0)}


def test_an_assessor_with_no_co_assessors_has_no_comparison():
    stats = by_id(consistency([*PANEL, *marks(4, {9: 5})], AGREED))
    alone = stats[4]
    assert (alone.count, alone.mean, alone.spread) == (1, 5.0, 0.0)
    assert alone.panel_mean is None
    assert alone.difference is None
    assert alone.label == NOT_COMPARED
    assert (alone.moderated, alone.moved_away) == (0, 0)


def test_a_whole_point_either_way_is_enough_for_a_label():
    stats = by_id(consistency([*marks(7, {1: 4}), *marks(8, {1: 5})], {}))
    assert (stats[7].difference, stats[7].label) == (-1.0, HARSH)
    assert (stats[8].difference, stats[8].label) == (1.0, LENIENT)


def test_only_shared_pairs_are_compared():
    # Assessor 5 also scored candidate 21 alone: that 7 must not make them look lenient.
    scores = [*marks(5, {20: 4, 21: 7}), *marks(6, {20: 4})]
    five = by_id(consistency(scores, {}))[5]
    assert (five.count, five.mean, five.panel_mean, five.difference) == (2, 5.5, 4.0, 0.0)
    assert five.label == IN_LINE


def test_pairs_are_per_criterion():
    scores = [*marks(1, {1: 3}, "EXP1"), *marks(2, {1: 6}, "BEH1")]
    assert {s.panel_mean for s in consistency(scores, {})} == {None}


def test_no_scores_gives_no_stats():
    assert consistency([], {}) == []


def test_spread_of():
    assert spread_of([]) == 0.0
    assert spread_of([4]) == 0.0
    assert spread_of([2, 4, 4, 4, 5, 5, 7, 9]) == 2.0
