"""The campaign report's figures: funnel, histograms, pass rates, planned against actual."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from statistics import fmean, pstdev

import pytest

from recruit_app.domain.assessors import (
    HARSH,
    IN_LINE,
    LENIENT,
    NOT_COMPARED,
    AssessorScore,
    consistency,
)
from recruit_app.domain.report import (
    AssessorTotals,
    FunnelRow,
    StageTiming,
    assessor_line,
    date_range,
    days_words,
    distribution,
    finalised_words,
    first_score_words,
    funnel,
    nearest_point,
    nice_axis_top,
    number,
    percent,
    planned_words,
    signed,
    standing,
    standing_rows,
    summary_sentences,
)

SP7 = (1, 2, 3, 4, 5, 6, 7)

# --- funnel ------------------------------------------------------------------------------


def test_the_demo_funnel():
    rows = funnel(
        40,
        [
            ("CV sift", {"progress": 14, "reject": 26}),
            ("Technical exercise", {"progress": 8, "reject": 6}),
            ("Video interview", {}),
        ],
    )
    assert rows == (
        FunnelRow("CV sift", 40, progressed=14, rejected=26),
        FunnelRow("Technical exercise", 14, progressed=8, rejected=6),
        FunnelRow("Video interview", 8, undecided=8),
    )


def test_a_funnel_with_every_kind_of_outcome():
    rows = funnel(
        100,
        [
            ("Sift", {"progress": 30, "reject": 65, "withdrawn": 2}),
            (
                "Interview",
                {"progress": 0, "reserve": 4, "appoint": 2, "reject": 20, "withdrawn": 1},
            ),
        ],
    )
    assert rows[0] == FunnelRow("Sift", 100, 30, 65, 0, 0, 2, undecided=3)
    assert rows[1] == FunnelRow("Interview", 30, 0, 20, 4, 2, 1, undecided=3)
    assert rows[1].decided == 27


def test_a_later_stage_nobody_reached_and_more_outcomes_than_candidates():
    rows = funnel(5, [("Sift", {"reject": 5}), ("Interview", {}), ("Offer", {"appoint": 1})])
    assert [(r.reached, r.undecided) for r in rows] == [(5, 0), (0, 0), (0, 0)]
    assert rows[2].appointed == 1  # an outcome typed in by hand is still counted


def test_no_candidates_no_stages():
    assert funnel(0, []) == ()
    assert funnel(0, [("Sift", {})]) == (FunnelRow("Sift", 0),)


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(14, 40, "35%"), (8, 14, "57%"), (1, 8, "13%"), (1, 3, "33%"), (0, 5, "0%"), (3, 0, "")],
)
def test_percentages_round_halves_up(part, whole, expected):
    assert percent(part, whole) == expected


# --- where candidates stand -------------------------------------------------------------


def test_standing_counts_each_candidate_by_their_latest_outcome():
    now = standing(40, {"reject": 32, "progress": 8})
    assert (now.in_process, now.rejected, now.reserve, now.appointed, now.withdrawn) == (
        8,
        32,
        0,
        0,
        0,
    )
    assert standing_rows(now) == (("Still in the process", 8), ("Not progressed", 32))
    # Those without any outcome yet are still in the process too.
    later = standing(50, {"reject": 20, "appoint": 2, "reserve": 3, "withdrawn": 1})
    assert standing_rows(later) == (
        ("Appointed", 2),
        ("Reserve list", 3),
        ("Still in the process", 24),
        ("Not progressed", 20),
        ("Withdrawn", 1),
    )


def test_summary_sentences():
    rows = funnel(40, [("CV sift", {"progress": 14, "reject": 26}), ("Interview", {})])
    assert summary_sentences(standing(40, {"reject": 26, "progress": 14}), rows) == (
        "40 candidates applied.",
        "Of these: 14 still in the process and 26 not progressed.",
        "CV sift: 14 of 40 progressed (35%).",
    )
    one = funnel(1, [("Sift", {})])
    assert summary_sentences(standing(1, {}), one) == (
        "1 candidate applied.",
        "Of these: 1 still in the process.",
    )


def test_nothing_has_happened_yet():
    (sentence,) = summary_sentences(standing(0, {}), ())
    assert sentence.startswith("Nothing has happened in this campaign yet")


# --- histograms ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (Fraction(4), 4),
        (Fraction(13, 3), 4),  # 4.33
        (Fraction(9, 2), 5),  # exactly halfway goes up
        (Fraction(14, 3), 5),  # 4.67
        (Fraction(1, 2), 1),  # below the lowest point
        (Fraction(15, 2), 7),
    ],
)
def test_nearest_point_on_a_one_to_seven_scale(score, expected):
    assert nearest_point(score, SP7) == expected


def test_nearest_point_on_an_uneven_custom_scale():
    points = (0, 25, 50, 100)
    assert nearest_point(Fraction(37), points) == 25
    assert nearest_point(Fraction(75), points) == 100  # halfway between 50 and 100
    assert nearest_point(Fraction(74), points) == 50


def test_histogram_bins_means_and_agreed_scores():
    # (sum of scores, how many, candidates): three assessors, or one agreed score.
    groups = [
        (12, 3, 5),  # mean 4: five candidates
        (13, 3, 2),  # 4.33 -> 4
        (14, 3, 3),  # 4.67 -> 5
        (9, 2, 1),  # 4.5 -> 5
        (6, 1, 1),  # agreed 6
        (7, 3, 4),  # 2.33 -> 2
        (1, 1, 1),  # agreed 1
    ]
    d = distribution("EXP1", "Agile delivery", 4, SP7, groups)
    assert d.points == SP7
    assert d.counts == (1, 4, 0, 7, 4, 1, 0)
    assert d.scored == 17
    # At or above the pass mark of 4: 5 + 2 + 3 + 1 + 1.
    assert d.passed == 12 and d.pass_rate == "71%"
    expected_mean = (12 / 3 * 5 + 13 / 3 * 2 + 14 / 3 * 3 + 4.5 + 6 + 7 / 3 * 4 + 1) / 17
    assert d.mean == pytest.approx(expected_mean)


def test_a_mean_exactly_at_the_pass_mark_passes():
    d = distribution("X", "X", 3.5, SP7, [(7, 2, 1), (10, 3, 1)])  # 3.5 passes, 3.33 fails
    assert (d.passed, d.counts) == (1, (0, 0, 1, 1, 0, 0, 0))


def test_histogram_without_a_pass_mark_or_scores():
    d = distribution("X", "X", None, (0, 1, 2, 3), [(2, 1, 3)])
    assert (d.counts, d.passed, d.pass_rate) == ((0, 0, 3, 0), None, "")
    empty = distribution("X", "X", 2, (0, 1, 2, 3), [])
    assert (empty.counts, empty.scored, empty.mean, empty.passed, empty.pass_rate) == (
        (0, 0, 0, 0),
        0,
        None,
        0,
        "",
    )


@pytest.mark.parametrize(
    ("highest", "expected"),
    [
        (0, (1, 1)),
        (3, (3, 1)),
        (5, (5, 1)),
        (7, (8, 2)),
        (19, (20, 5)),
        (40, (40, 10)),
        (41, (50, 10)),
        (1234, (1500, 500)),
        (10_000, (10_000, 2000)),
    ],
)
def test_count_axes_have_at_most_five_whole_steps(highest, expected):
    assert nice_axis_top(highest) == expected
    top, step = expected
    assert top >= highest and top % step == 0 and top // step <= 5


# --- planned against actual -------------------------------------------------------------


def timing(**kw: object) -> StageTiming:
    values: dict[str, object] = {
        "stage": "CV sift",
        "planned_start": date(2026, 11, 16),
        "planned_end": date(2026, 11, 20),
        "first_score": None,
        "finalised": None,
    }
    values.update(kw)
    return StageTiming(**values)  # type: ignore[arg-type]


def test_days_late_and_early():
    assert timing(finalised=date(2026, 11, 23)).days_late == 3
    assert timing(finalised=date(2026, 11, 19)).days_late == -1
    assert timing(finalised=date(2026, 11, 20)).days_late == 0
    assert timing(planned_end=None, finalised=date(2026, 11, 20)).days_late is None
    assert [days_words(n) for n in (3, 1, 0, -1, -4)] == [
        "3 days late",
        "1 day late",
        "on the planned day",
        "1 day early",
        "4 days early",
    ]


def test_finalised_words():
    today = date(2026, 11, 30)
    assert finalised_words(timing(finalised=date(2026, 11, 23)), today) == (
        "23 November 2026",
        "3 days late",
    )
    assert finalised_words(timing(finalised=date(2026, 11, 19)), today) == (
        "19 November 2026",
        "1 day early",
    )
    assert finalised_words(timing(), today) == (
        "Not finalised yet",
        "10 days after the planned end",
    )
    assert finalised_words(timing(), date(2026, 11, 20)) == ("Not finalised yet", "")
    assert finalised_words(timing(planned_end=None, finalised=date(2026, 1, 2)), today) == (
        "2 January 2026",
        "",
    )


def test_first_score_against_the_planned_dates():
    assert first_score_words(timing()) == ("No scores submitted in Recruit", "")
    assert first_score_words(timing(first_score=date(2026, 11, 18))) == (
        "18 November 2026",
        "within the planned dates",
    )
    assert first_score_words(timing(first_score=date(2026, 11, 15))) == (
        "15 November 2026",
        "1 day before the planned start",
    )
    assert first_score_words(timing(first_score=date(2026, 11, 24))) == (
        "24 November 2026",
        "4 days after the planned end",
    )
    assert first_score_words(
        timing(planned_start=None, planned_end=None, first_score=date(2026, 11, 24))
    ) == ("24 November 2026", "")


def test_planned_dates_in_words():
    assert planned_words(timing()) == "16 to 20 November 2026"
    assert date_range(date(2026, 11, 30), date(2026, 12, 4)) == "30 November to 4 December 2026"
    assert date_range(date(2026, 12, 28), date(2027, 1, 8)) == "28 December 2026 to 8 January 2027"
    assert date_range(date(2026, 12, 28), date(2026, 12, 28)) == "28 December 2026"
    assert planned_words(timing(planned_end=None)) == "From 16 November 2026"
    assert planned_words(timing(planned_start=None)) == "Until 20 November 2026"
    assert planned_words(timing(planned_start=None, planned_end=None)) == "No dates set"


# --- assessor consistency from SQL totals -------------------------------------------------


def _totals(name: str, mine: dict[tuple[int, str], float], everyone, agreed) -> AssessorTotals:
    """What the service's SQL adds up, worked out by hand from the same scores."""
    shared = [(p, v) for p, v in mine.items() if len(everyone[p]) > 1]
    return AssessorTotals(
        name=name,
        count=len(mine),
        value_sum=sum(mine.values()),
        square_sum=sum(v * v for v in mine.values()),
        compared=len(shared),
        own_sum=sum(v for _p, v in shared),
        panel_sum=sum((sum(everyone[p]) - v) / (len(everyone[p]) - 1) for p, v in shared),
        moderated=sum(p in agreed for p in mine),
        moved_away=sum(p in agreed and agreed[p] != v for p, v in mine.items()),
    )


def test_assessor_lines_read_as_the_domain_consistency_reads_them():
    scores = {
        1: {(1, "A"): 5.0, (2, "A"): 6.0, (3, "A"): 6.0, (4, "A"): 3.0},
        2: {(1, "A"): 4.0, (2, "A"): 4.0, (3, "A"): 5.0},
        3: {(1, "A"): 3.0, (2, "A"): 4.0, (3, "A"): 4.0},
    }
    agreed = {(2, "A"): 5.0}
    everyone: dict[tuple[int, str], list[float]] = {}
    for mine in scores.values():
        for pair, value in mine.items():
            everyone.setdefault(pair, []).append(value)
    expected = {
        s.assessor_id: s
        for s in consistency(
            [
                AssessorScore(a, cid, code, v)
                for a, mine in scores.items()
                for (cid, code), v in mine.items()
            ],
            agreed,
        )
    }
    for assessor, mine in scores.items():
        line = assessor_line(_totals(f"P{assessor}", mine, everyone, agreed))
        want = expected[assessor]
        assert line.count == want.count
        assert line.mean == pytest.approx(want.mean)
        assert line.spread == pytest.approx(want.spread)
        assert line.panel_mean == pytest.approx(want.panel_mean)
        assert line.difference == pytest.approx(want.difference)
        assert (line.moderated, line.moved_away, line.reading) == (
            want.moderated,
            want.moved_away,
            want.label,
        )
    assert expected[1].label == LENIENT and expected[3].label == HARSH
    assert expected[2].label == IN_LINE


def test_an_assessor_nobody_else_scored_beside():
    line = assessor_line(AssessorTotals("Solo", 2, 9.0, 41.0, 0, 0.0, 0.0, 0, 0))
    assert (line.mean, line.panel_mean, line.difference, line.reading) == (
        4.5,
        None,
        None,
        NOT_COMPARED,
    )
    assert line.spread == pytest.approx(pstdev([4.0, 5.0]))
    assert fmean([4.0, 5.0]) == line.mean


def test_numbers_as_people_write_them():
    assert [number(v) for v in (4, 4.5, 13 / 3, 34.666666, 0.0, -0.001, None)] == [
        "4",
        "4.5",
        "4.33",
        "34.67",
        "0",
        "0",
        "–",
    ]
    assert [signed(v) for v in (0.5, -1 / 3, 0.0, -0.001, None)] == [
        "+0.5",
        "-0.33",
        "0",
        "0",
        "–",
    ]
