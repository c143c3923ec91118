"""Fairness analytics: Fisher's exact test, impact ratios, suppression and the funnel.

Expected figures are worked out here by hand or with fractions, never with the code
under test.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from fractions import Fraction
from itertools import pairwise
from math import comb

import pytest

from recruit_app.domain.equality import (
    DEFAULT_CHARACTERISTICS,
    NOT_ANSWERED,
    PREFER_NOT_TO_SAY,
    TOTAL,
    Category,
    Characteristic,
    characteristics_from_config,
    default_config,
)
from recruit_app.domain.fairness import (
    FunnelRow,
    GroupCount,
    ImpactRow,
    Journey,
    fairness_report,
    fisher_exact,
    stage_rows,
    suppressed_cells,
    suppressed_text,
)
from recruit_app.errors import ValidationError

PNTS, NA = PREFER_NOT_TO_SAY, NOT_ANSWERED


def by_hand(a: int, b: int, c: int, d: int) -> Fraction:
    """Fisher's two-sided p-value as a fraction: every table with the same margins that
    is no more likely than the observed one (exact comparison, no tolerance)."""
    r1, r2, c1 = a + b, c + d, a + c
    n = r1 + r2
    p = {x: Fraction(comb(r1, x) * comb(r2, c1 - x), comb(n, c1)) for x in range(c1 + 1)}
    return sum((v for v in p.values() if v <= p[a]), Fraction(0))


# --- Fisher's exact test ----------------------------------------------------------------


def test_fisher_tea_tasting() -> None:
    # Margins 4/4, 4/4 out of 8: comb(4, x) * comb(4, 4 - x) = 1, 16, 36, 16, 1 of 70.
    # The observed 3 (weight 16) and every table as unlikely: 1 + 16 + 16 + 1 = 34.
    assert fisher_exact(3, 1, 1, 3) == pytest.approx(34 / 70, rel=1e-12)
    assert fisher_exact(3, 1, 1, 3) == pytest.approx(0.4857142857, rel=1e-9)


def test_fisher_wikipedia_example() -> None:
    expected = by_hand(1, 9, 11, 3)
    assert float(expected) == pytest.approx(0.002759456, rel=1e-6)
    assert fisher_exact(1, 9, 11, 3) == pytest.approx(float(expected), rel=1e-12)


def test_fisher_perfect_separation() -> None:
    # Margins 5/5, 5/5 of 10: weights 1, 25, 100, 100, 25, 1 of 252; x = 0 and x = 5.
    assert fisher_exact(0, 5, 5, 0) == pytest.approx(2 / 252, rel=1e-12)
    assert fisher_exact(5, 0, 0, 5) == pytest.approx(2 / 252, rel=1e-12)


def test_fisher_scipy_docs_example() -> None:
    # Margins: rows 10 and 6, first column 9, of 16.
    weights = [comb(10, x) * comb(6, 9 - x) for x in range(3, 10)]
    observed = comb(10, 8) * comb(6, 1)
    expected = Fraction(sum(w for w in weights if w <= observed), comb(16, 9))
    assert fisher_exact(8, 2, 1, 5) == pytest.approx(float(expected), rel=1e-12)
    assert float(expected) == pytest.approx(0.03496503496503495, rel=1e-9)


@pytest.mark.parametrize(
    "table", [(0, 0, 0, 0), (0, 0, 3, 4), (3, 4, 0, 0), (0, 3, 0, 4), (5, 0, 7, 0)]
)
def test_fisher_empty_row_or_column_is_one(table: tuple[int, int, int, int]) -> None:
    assert fisher_exact(*table) == 1.0


def test_fisher_balanced_table_is_one() -> None:
    assert fisher_exact(2, 2, 2, 2) == 1.0
    assert fisher_exact(10, 10, 10, 10) == 1.0


@pytest.mark.parametrize(
    "a, b, c, d", [(1, 9, 11, 3), (8, 2, 1, 5), (3, 1, 1, 3), (40, 60, 24, 76), (0, 10, 4, 6)]
)
def test_fisher_symmetries_and_hand_values(a: int, b: int, c: int, d: int) -> None:
    expected = float(by_hand(a, b, c, d))
    for table in [(a, b, c, d), (c, d, a, b), (b, a, d, c), (a, c, b, d), (d, c, b, a)]:
        assert fisher_exact(*table) == pytest.approx(expected, rel=1e-9)


def test_fisher_counts_ties_despite_rounding() -> None:
    # Rows 3 and 3, first column 3: weights 1, 9, 9, 1 of 20; x = 1 ties with x = 2.
    assert fisher_exact(1, 2, 2, 1) == 1.0
    assert fisher_exact(0, 3, 3, 0) == pytest.approx(2 / 20, rel=1e-12)


def test_fisher_refuses_negative_counts() -> None:
    with pytest.raises(ValueError):
        fisher_exact(-1, 2, 3, 4)


def test_fisher_large_table_agrees_with_fractions() -> None:
    assert fisher_exact(400, 600, 240, 760) == pytest.approx(
        float(by_hand(400, 600, 240, 760)), rel=1e-9
    )


# --- one stage --------------------------------------------------------------------------


def rows_by_group(rows: tuple[ImpactRow, ...]) -> dict[str, ImpactRow]:
    return {row.group: row for row in rows}


def p_against_rest(k: int, n: int, total_k: int, total_n: int) -> float:
    """The group against everyone else at the stage."""
    return float(by_hand(k, n - k, total_k - k, total_n - total_k - (n - k)))


def test_three_groups_one_flagged() -> None:
    rows = stage_rows(
        "sift",
        "sex",
        [GroupCount("female", 100, 40), GroupCount("male", 100, 24), GroupCount("x", 50, 20)],
    )
    got = rows_by_group(rows)
    assert [row.group for row in rows] == ["female", "male", "x", TOTAL]
    assert got["female"].rate == 0.4 and got["female"].impact_ratio == 1.0
    assert got["female"].flag is False
    assert got["male"].rate == 0.24
    assert got["male"].impact_ratio == 0.6  # 0.24 / 0.40, exact before rounding
    assert got["male"].flag is True
    assert got["x"].impact_ratio == 1.0 and got["x"].flag is False
    assert got["male"].p_value == pytest.approx(p_against_rest(24, 100, 84, 250), rel=1e-9)
    assert got["female"].p_value == pytest.approx(p_against_rest(40, 100, 84, 250), rel=1e-9)
    total = got[TOTAL]
    assert (total.entered, total.progressed, total.rate) == (250, 84, 84 / 250)
    assert (total.impact_ratio, total.flag, total.p_value, total.suppressed) == (
        None,
        None,
        None,
        False,
    )
    assert not any(row.suppressed for row in rows)


def test_ratio_of_exactly_four_fifths_is_not_flagged() -> None:
    got = rows_by_group(
        stage_rows(
            "sift",
            "sex",
            [GroupCount("a", 100, 40), GroupCount("b", 100, 32), GroupCount("c", 100, 31)],
        )
    )
    assert got["b"].impact_ratio == 0.8 and got["b"].flag is False
    assert got["c"].impact_ratio == pytest.approx(0.775) and got["c"].flag is True


def test_tie_for_the_highest_rate() -> None:
    got = rows_by_group(
        stage_rows(
            "interview",
            "age_band",
            [GroupCount("a", 50, 20), GroupCount("b", 100, 40), GroupCount("c", 100, 30)],
        )
    )
    assert got["a"].impact_ratio == 1.0 and got["b"].impact_ratio == 1.0
    assert not got["a"].flag and not got["b"].flag
    assert got["c"].impact_ratio == 0.75 and got["c"].flag is True


def test_group_with_no_one_progressing() -> None:
    got = rows_by_group(
        stage_rows("sift", "disability", [GroupCount("no", 60, 30), GroupCount("yes", 10, 0)])
    )
    assert (got["yes"].entered, got["yes"].progressed) == (10, 0)  # a zero is shown
    assert got["yes"].rate == 0.0 and got["yes"].impact_ratio == 0.0
    assert got["yes"].flag is True
    assert got["yes"].p_value == pytest.approx(p_against_rest(0, 10, 30, 70), rel=1e-9)


def test_prefer_not_to_say_and_not_answered_are_rows_never_flagged_nor_reference() -> None:
    rows = stage_rows(
        "sift",
        "ethnic_group",
        [
            GroupCount("white", 100, 40),
            GroupCount("asian", 50, 10),
            GroupCount(PNTS, 10, 10),  # the highest rate: still not the reference
            GroupCount(NA, 20, 0),  # the lowest: still not flagged
        ],
    )
    got = rows_by_group(rows)
    assert [row.group for row in rows] == ["white", "asian", PNTS, NA, TOTAL]
    assert got["white"].impact_ratio == 1.0
    assert got["asian"].impact_ratio == 0.5 and got["asian"].flag is True
    assert got[PNTS].rate == 1.0 and got[PNTS].impact_ratio == 2.5
    assert got[PNTS].flag is False
    assert got[NA].rate == 0.0 and got[NA].impact_ratio == 0.0
    assert got[NA].flag is False
    assert got[NA].p_value == pytest.approx(p_against_rest(0, 20, 60, 180), rel=1e-9)


def test_no_ratio_when_nobody_answered_or_nobody_progressed() -> None:
    got = rows_by_group(stage_rows("sift", "sex", [GroupCount("a", 0, 0), GroupCount("b", 10, 0)]))
    assert (got["a"].entered, got["a"].rate, got["a"].impact_ratio) == (0, None, None)
    assert got["a"].p_value is None and got["a"].flag is False
    assert got["b"].rate == 0.0 and got["b"].impact_ratio is None and got["b"].flag is False


def assert_suppressed(row: ImpactRow) -> None:
    assert row.suppressed is True
    figures = (row.entered, row.progressed, row.rate, row.impact_ratio, row.flag, row.p_value)
    assert figures == (None,) * 6


def test_primary_and_secondary_suppression() -> None:
    rows = stage_rows(
        "sift",
        "religion",
        [
            GroupCount("none", 40, 20),
            GroupCount("christian", 30, 12),
            GroupCount("jewish", 3, 1),  # fewer than 5
            GroupCount("muslim", 20, 10),  # the smallest other: hidden with it
        ],
    )
    got = rows_by_group(rows)
    assert_suppressed(got["jewish"])
    assert_suppressed(got["muslim"])
    assert not got["none"].suppressed and not got["christian"].suppressed
    assert (got[TOTAL].entered, got[TOTAL].progressed) == (93, 43)
    # The total less the shown rows leaves 23 and 11: two groups' worth, neither alone.
    assert got["christian"].impact_ratio == pytest.approx(0.8)
    assert suppressed_text() == "fewer than 5"


def test_two_groups_one_small_hides_both() -> None:
    rows = stage_rows("sift", "disability", [GroupCount("no", 20, 10), GroupCount("yes", 3, 1)])
    got = rows_by_group(rows)
    assert_suppressed(got["no"])
    assert_suppressed(got["yes"])
    assert (got[TOTAL].entered, got[TOTAL].progressed, got[TOTAL].suppressed) == (23, 11, False)


@pytest.mark.parametrize("entered, progressed", [(4, 0), (20, 3), (20, 17), (20, 18)], ids=str)
def test_small_entered_progressed_or_not_progressed_is_suppressed(
    entered: int, progressed: int
) -> None:
    got = rows_by_group(
        stage_rows(
            "sift",
            "sex",
            [
                GroupCount("a", 50, 20),
                GroupCount("b", 40, 15),
                GroupCount("c", entered, progressed),
            ],
        )
    )
    assert_suppressed(got["c"])
    assert_suppressed(got["b"])  # the smallest other group
    assert not got["a"].suppressed


def test_zero_counts_are_not_suppressed() -> None:
    got = rows_by_group(
        stage_rows(
            "sift", "sex", [GroupCount("a", 50, 20), GroupCount("b", 0, 0), GroupCount("c", 6, 6)]
        )
    )
    assert not any(row.suppressed for row in got.values())
    assert got["c"].rate == 1.0 and got["a"].impact_ratio == 0.4 and got["a"].flag


def test_threshold_of_ten() -> None:
    counts = [GroupCount("a", 50, 20), GroupCount("b", 40, 20), GroupCount("c", 8, 0)]
    assert not any(row.suppressed for row in stage_rows("sift", "sex", counts))
    got = rows_by_group(stage_rows("sift", "sex", counts, threshold=10))
    assert_suppressed(got["c"])
    assert_suppressed(got["b"])
    assert got["a"].entered == 50
    assert suppressed_text(10) == "fewer than 10"


def test_the_reference_is_never_a_suppressed_group() -> None:
    got = rows_by_group(
        stage_rows(
            "sift",
            "sex",
            [GroupCount("a", 4, 4), GroupCount("b", 50, 10), GroupCount("c", 60, 30)],
        )
    )
    assert_suppressed(got["a"])  # rate 1.0, which the ratios would give away
    assert_suppressed(got["b"])
    assert got["c"].impact_ratio == 1.0


def test_bad_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        stage_rows("sift", "sex", [GroupCount("a", 5, 6)])
    with pytest.raises(ValueError):
        stage_rows("sift", "sex", [GroupCount("a", 5, 1), GroupCount("a", 6, 1)])
    with pytest.raises(ValidationError):
        stage_rows("sift", "sex", [GroupCount("a", 5, 1)], threshold=0)


def test_row_json_shape() -> None:
    rows = stage_rows("sift", "sex", [GroupCount("a", 20, 10), GroupCount("b", 2, 1)])
    assert rows[0].to_json() == {
        "stage": "sift",
        "characteristic": "sex",
        "group": "a",
        "entered": None,
        "progressed": None,
        "rate": None,
        "impact_ratio": None,
        "flag": None,
        "p_value": None,
        "suppressed": True,
    }
    assert list(rows[-1].to_json()) == [
        "stage",
        "characteristic",
        "group",
        "entered",
        "progressed",
        "rate",
        "impact_ratio",
        "flag",
        "p_value",
        "suppressed",
    ]


# --- suppression, checked by brute force ------------------------------------------------


def completions(
    table: list[list[int]], hidden: frozenset[tuple[int, int]]
) -> Iterator[list[list[int]]]:
    """Every table an outsider could think true: the shown counts, the column totals,
    counts of 0 or more that never rise along a row."""
    width = len(table[0])
    totals = [sum(row[p] for row in table) for p in range(width)]
    grid: list[list[int | None]] = [
        [None if (g, p) in hidden else v for p, v in enumerate(row)] for g, row in enumerate(table)
    ]
    cells = sorted(hidden, key=lambda cell: (cell[1], cell[0]))

    def fits(g: int, p: int) -> bool:
        known = [v for v in grid[g] if v is not None]
        if any(later > earlier for earlier, later in pairwise(known)):
            return False
        column = [row[p] for row in grid]
        partial = sum(v for v in column if v is not None)
        return partial == totals[p] if None not in column else partial <= totals[p]

    def search(i: int) -> Iterator[list[list[int]]]:
        if i == len(cells):
            yield [[v for v in row if v is not None] for row in grid]
            return
        g, p = cells[i]
        for value in range(totals[p] + 1):
            grid[g][p] = value
            if fits(g, p):
                yield from search(i + 1)
        grid[g][p] = None

    yield from search(0)


def random_table(rng: random.Random, groups: int, points: int, top: int) -> list[list[int]]:
    table = []
    for _ in range(groups):
        row = [rng.randint(0, top)]
        for _ in range(points - 1):
            row.append(rng.randint(0, row[-1]))
        table.append(row)
    return table


def test_no_suppressed_figure_can_be_worked_out_from_the_totals() -> None:
    """Plain subtraction: in each column (entered, progressed, not progressed) of every
    stage, never exactly one group hidden."""
    rng = random.Random(20261207)
    for _ in range(2000):
        groups = rng.randint(1, 6)
        counts = []
        for g in range(groups):
            entered = rng.choice([0, rng.randint(1, 12), rng.randint(1, 60)])
            counts.append(GroupCount(f"g{g}", entered, rng.randint(0, entered)))
        threshold = rng.choice([3, 5, 10])
        rows = stage_rows("s", "c", counts, threshold=threshold)[:-1]
        hidden = [row for row in rows if row.suppressed]
        if len(hidden) == 1:
            # Only when every other group is empty can nothing else be hidden; then the
            # total is the group's own figure, which the stage's numbers show anyway.
            others = [c for c in counts if c.group != hidden[0].group]
            assert all(c.entered == 0 for c in others)
        for row, count in zip(rows, counts, strict=True):
            if not row.suppressed:
                assert row.entered == count.entered and row.progressed == count.progressed
                for figure in (count.entered, count.progressed, count.entered - count.progressed):
                    assert figure == 0 or figure >= threshold


def test_no_suppressed_figure_has_only_one_possible_value() -> None:
    """Brute force over small funnels: every hidden count, and every hidden number not
    progressing that is from 1 to threshold - 1, could be at least two values given all
    that is shown and the column totals. (A single group cannot be protected: its total
    is its own figure.)"""
    rng = random.Random(7)
    checked = 0
    for _ in range(1200):
        table = random_table(rng, rng.randint(2, 4), rng.randint(1, 3), rng.randint(2, 9))
        threshold = rng.choice([2, 3, 4])
        hidden = suppressed_cells(table, threshold)
        if not hidden:
            continue
        seen: dict[tuple[int, int], set[int]] = {cell: set() for cell in hidden}
        gaps: dict[tuple[int, int], set[int]] = {
            (g, k): set()
            for g, p in hidden
            for k in (p - 1, p)
            if 0 <= k < len(table[0]) - 1 and 0 < table[g][k] - table[g][k + 1] < threshold
        }
        for possible in completions(table, hidden):
            for g, p in seen:
                seen[g, p].add(possible[g][p])
            for g, k in gaps:
                gaps[g, k].add(possible[g][k] - possible[g][k + 1])
        assert all(len(values) >= 2 for values in seen.values()), (table, hidden, seen)
        assert all(len(values) >= 2 for values in gaps.values()), (table, hidden, gaps)
        checked += 1
    assert checked > 300


def test_suppression_of_a_single_group_and_of_nothing() -> None:
    assert suppressed_cells([], 5) == frozenset()
    assert suppressed_cells([[3, 1]], 5) == {(0, 0), (0, 1)}  # its own total shows it
    assert suppressed_cells([[10, 0], [0, 0], [5, 5]], 5) == frozenset()


def test_secondary_suppression_follows_the_group_across_stages() -> None:
    # Group 0: 20 entered, 12 progressed, 10 progressed again (2 dropped: hidden).
    # Group 2, smaller than group 1 at that point, is hidden with it.
    table = [[20, 12, 10], [40, 30, 20], [30, 25, 15]]
    assert suppressed_cells(table, 5) == {(0, 2), (2, 2)}


# --- the report across stages -----------------------------------------------------------

SEX = Characteristic(
    "sex",
    "Sex",
    "What is your sex?",
    (Category("female", "Female"), Category("male", "Male"), Category(PNTS, "Prefer not to say")),
)


def people(count: int, answer: str | None, *progressed: bool) -> list[Journey]:
    answers = {} if answer is None else {"sex": answer}
    return [Journey(answers, tuple(progressed)) for _ in range(count)]


def test_report_rows_and_funnel() -> None:
    journeys = (
        people(20, "female", True, True)
        + people(20, "female", True, False)
        + people(10, "female", False)
        + people(10, "male", True, True)
        + people(30, "male", False)
        + people(6, PNTS, True, True)
        + people(7, None)  # no outcome yet at the sift, no answer
        + people(5, "", False)  # an empty answer is no answer
    )
    report = fairness_report(journeys, ["sift", "interview"], [SEX])
    assert report.threshold == 5
    sift = [row for row in report.rows if row.stage == "sift"]
    assert [row.group for row in sift] == ["female", "male", PNTS, NA, TOTAL]
    got = rows_by_group(tuple(sift))
    assert (got["female"].entered, got["female"].progressed) == (50, 40)
    assert (got["male"].entered, got["male"].progressed, got["male"].rate) == (40, 10, 0.25)
    assert got["male"].impact_ratio == pytest.approx(0.3125) and got["male"].flag
    assert (got[PNTS].entered, got[PNTS].progressed, got[PNTS].flag) == (6, 6, False)
    assert (got[NA].entered, got[NA].progressed, got[NA].flag) == (12, 0, False)
    assert (got[TOTAL].entered, got[TOTAL].progressed) == (108, 56)
    interview = rows_by_group(tuple(row for row in report.rows if row.stage == "interview"))
    assert (interview["female"].entered, interview["female"].progressed) == (40, 20)
    assert interview["male"].impact_ratio == 1.0 and not interview["male"].flag
    assert interview["female"].impact_ratio == 0.5 and interview["female"].flag
    assert interview[NA].entered == 0 and interview[NA].rate is None
    assert report.funnel == (
        FunnelRow("sex", "female", 50, (("sift", 40), ("interview", 20))),
        FunnelRow("sex", "male", 40, (("sift", 10), ("interview", 10))),
        FunnelRow("sex", PNTS, 6, (("sift", 6), ("interview", 6))),
        FunnelRow("sex", NA, 12, (("sift", 0), ("interview", 0))),
    )
    assert report.funnel[0].to_json() == {
        "characteristic": "sex",
        "group": "female",
        "entered": 50,
        "progressed": {"sift": 40, "interview": 20},
        "suppressed": False,
    }
    assert report.to_json() == [row.to_json() for row in report.rows]


def test_a_figure_hidden_at_one_stage_is_not_shown_at_the_next() -> None:
    journeys = (
        people(30, "female", True, True)
        + people(30, "female", False)
        + people(8, "male", True, False)
        + people(2, "male", True, True)  # 10 sifted in; 2 at interview: hidden
        + people(12, "male", False)
    )
    report = fairness_report(journeys, ["sift", "interview"], [SEX])
    got = {(row.stage, row.group): row for row in report.rows}
    assert not got["sift", "male"].suppressed  # 22 entered, 10 progressed
    assert_suppressed(got["interview", "male"])  # 10 entered, 2 progressed
    assert_suppressed(got["interview", "female"])  # else 32 - 30 gives the 2 away
    funnel = {row.group: row for row in report.funnel}
    assert funnel["male"] == FunnelRow("sex", "male", 22, (("sift", 10), ("interview", None)))
    assert funnel["female"] == FunnelRow("sex", "female", 60, (("sift", 30), ("interview", None)))
    assert funnel["male"].suppressed and not funnel[PNTS].suppressed


def test_answers_no_longer_in_the_list_are_their_own_rows() -> None:
    journeys = people(10, "female", True) + people(10, "intersex", True) + people(10, "male")
    report = fairness_report(journeys, ["sift"], [SEX])
    assert [row.group for row in report.rows] == ["female", "male", "intersex", PNTS, NA, TOTAL]


def test_journeys_that_cannot_be_are_refused() -> None:
    with pytest.raises(ValidationError):
        fairness_report(people(1, "male", False, True), ["sift", "interview"], [SEX])
    with pytest.raises(ValidationError):
        fairness_report(people(1, "male", True, True), ["sift"], [SEX])


def test_report_over_the_default_characteristics() -> None:
    journeys = [Journey({}, (True,)) for _ in range(12)] + [Journey({}, ()) for _ in range(3)]
    report = fairness_report(journeys, ["sift"], DEFAULT_CHARACTERISTICS)
    totals = [row for row in report.rows if row.group == TOTAL]
    assert len(totals) == 9
    assert all((row.entered, row.progressed) == (15, 12) for row in totals)
    # Everyone unanswered: 15 entered, 3 not progressing, a figure the total shows anyway.
    not_answered = [row for row in report.rows if row.group == NA]
    assert all(row.suppressed for row in not_answered)


# --- the configurable list --------------------------------------------------------------


def test_default_list() -> None:
    codes = [ch.code for ch in DEFAULT_CHARACTERISTICS]
    assert codes == [
        "sex",
        "gender_identity",
        "age_band",
        "ethnic_group",
        "disability",
        "sexual_orientation",
        "religion",
        "socio_economic",
        "caring",
    ]
    for ch in DEFAULT_CHARACTERISTICS:
        assert ch.codes[-1] == PNTS and ch.label_for(PNTS) == "Prefer not to say"
        assert ch.label_for(NA) == "Not answered" and ch.label_for("gone") == "gone"
    ages = DEFAULT_CHARACTERISTICS[2]
    assert ages.codes == ("16_24", "25_34", "35_44", "45_54", "55_64", "65_over", PNTS)
    assert len(DEFAULT_CHARACTERISTICS[3].codes) == 6  # the 5 ONS high-level groups
    assert characteristics_from_config(default_config()) == DEFAULT_CHARACTERISTICS


def config_with(**changes: object) -> list[dict[str, object]]:
    config = default_config()
    config[0] = {**config[0], **changes}
    return config


@pytest.mark.parametrize(
    "config, field",
    [
        ([], "characteristics"),
        (config_with(label="  "), "characteristics[0].label"),
        (config_with(code="Sex!"), "characteristics[0].code"),
        (config_with(colour="red"), "characteristics[0].colour"),
        (config_with(code="gender_identity"), "characteristics[1].code"),
        (
            config_with(categories=[{"code": "female", "label": "Female"}]),
            "characteristics[0].categories",
        ),
        (
            config_with(categories=[{"code": PNTS, "label": "Prefer not to say"}]),
            "characteristics[0].categories",
        ),
        (
            config_with(
                categories=[
                    {"code": "female", "label": "Female"},
                    {"code": "female", "label": "Woman"},
                    {"code": PNTS, "label": "Prefer not to say"},
                ]
            ),
            "characteristics[0].categories[1].code",
        ),
        (
            config_with(
                categories=[
                    {"code": "f", "label": "Female"},
                    {"code": "w", "label": "female"},
                    {"code": PNTS, "label": "Prefer not to say"},
                ]
            ),
            "characteristics[0].categories[1].label",
        ),
        (
            config_with(
                categories=[{"code": "f", "label": ""}, {"code": PNTS, "label": "Prefer not"}]
            ),
            "characteristics[0].categories[0].label",
        ),
        (
            config_with(
                categories=[
                    {"code": NA, "label": "Nothing"},
                    {"code": PNTS, "label": "Prefer not to say"},
                ]
            ),
            "characteristics[0].categories[0].code",
        ),
    ],
)
def test_bad_lists_are_refused_naming_the_field(config: object, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        characteristics_from_config(config)
    assert caught.value.field == field


def test_an_organisation_may_change_the_categories() -> None:
    config = config_with(
        categories=[
            {"code": "female", "label": "  Female "},
            {"code": "male", "label": "Male"},
            {"code": "other", "label": "Another term"},
            {"code": PNTS, "label": "I would rather not say"},
        ]
    )
    sex = characteristics_from_config(config)[0]
    assert sex.codes == ("female", "male", "other", PNTS)
    assert sex.label_for("female") == "Female"
    assert sex.label_for(PNTS) == "I would rather not say"
