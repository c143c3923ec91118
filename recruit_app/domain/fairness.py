"""Adverse-impact monitoring: selection rates by group at each stage, impact ratios,
Fisher's exact test, the funnel across stages, and the suppression of small numbers.

UK law (the Equality Act 2010) sets no numeric threshold for adverse impact. The
four-fifths rule (an impact ratio below 0.8) comes from the US Uniform Guidelines
(29 CFR 1607.4(D)); here it is only a monitoring flag that asks someone to look closer,
never a finding of discrimination. Small groups need the p-value beside the ratio.

Small numbers are suppressed (fewer than 5 by default, a setting) so that no candidate
can be identified, with secondary suppression so that no suppressed figure can be worked
out from the totals, which are assumed to be known (every stage's numbers are).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise
from math import comb

from recruit_app.domain.equality import (
    NOT_ANSWERED,
    PREFER_NOT_TO_SAY,
    TOTAL,
    Characteristic,
)
from recruit_app.errors import ValidationError

DEFAULT_THRESHOLD = 5
FOUR_FIFTHS = Fraction(4, 5)
# Reported as rows of their own but never the reference group and never flagged: they
# say nothing about any group's treatment.
NOT_COMPARED = frozenset({PREFER_NOT_TO_SAY, NOT_ANSWERED})
# Two outcomes whose probabilities differ by less than this ratio count as equally likely
# (R's fisher.test uses 1 + 1e-7), so floating-point noise never drops a tied table.
_TIE = 10**7  # a term t counts when t * _TIE <= observed * (_TIE + 1)


def suppressed_text(threshold: int = DEFAULT_THRESHOLD) -> str:
    """What a report shows in place of a suppressed figure."""
    return f"fewer than {threshold}"


# --- Fisher's exact test ----------------------------------------------------------------


def fisher_exact(a: int, b: int, c: int, d: int) -> float:
    """Two-sided p-value of Fisher's exact test on the 2x2 table [[a, b], [c, d]].

    With the margins fixed, the top-left cell follows the hypergeometric distribution;
    the p-value is the sum of the probabilities of every table no more likely than the
    one observed (with a relative tolerance of 1e-7 for ties, as R's fisher.test).
    Computed exactly in integers (math.comb and a ratio recurrence), then divided once.
    A table with an empty row or column gives 1.0.
    """
    if min(a, b, c, d) < 0:
        raise ValueError("A 2x2 table holds counts of 0 or more.")
    row1, row2, col1 = a + b, c + d, a + c
    n = row1 + row2
    low, high = max(0, col1 - row2), min(row1, col1)
    # weight(x) = comb(row1, x) * comb(row2, col1 - x): the tables' probabilities times
    # comb(n, col1). Each is the one before times a ratio that divides exactly.
    weight = comb(row1, low) * comb(row2, col1 - low)
    weights = [weight]
    for x in range(low, high):
        weight = weight * (row1 - x) * (col1 - x) // ((x + 1) * (row2 - col1 + x + 1))
        weights.append(weight)
    observed = weights[a - low]
    tail = sum(w for w in weights if w * _TIE <= observed * (_TIE + 1))
    return min(1.0, tail / comb(n, col1))


# --- suppression ------------------------------------------------------------------------


def suppressed_cells(
    counts: Sequence[Sequence[int]], threshold: int = DEFAULT_THRESHOLD
) -> frozenset[tuple[int, int]]:
    """The cells (group, point) to hide in a funnel table.

    `counts[g][p]` is how many of group g reached point p: point 0 is entering the first
    stage, point k having progressed from stage k (so also entering stage k + 1). Counts
    never rise along a row. The column totals are taken as known; row totals are not.

    - Primary: a count from 1 to threshold - 1 is hidden. So is a count whose difference
      from the last shown count before it in its row (the people of the group who did
      not progress) is from 1 to threshold - 1; the later one is hidden, so the numbers
      entering stay in view.
    - Zeros are shown: a zero describes no one, and hiding "no one from this group
      progressed" would hide the very pattern monitoring looks for. The group around it
      is shown only when it has at least `threshold` people, so a zero tells of an
      outcome shared by that many, never of one person.
    - Secondary: every hidden count, and every hidden number not progressing that is
      from 1 to threshold - 1, must have another possible value given what is shown and
      the totals. One is proved by a move: add 1 to a run of hidden counts of one group
      and take 1 from the same run of another's; the columns keep their totals, and the
      move is allowed where both rows still never rise. When no move exists, the
      cheapest one is made possible by hiding the fewest and then the smallest counts
      (in a stage table: the next smallest group). So no suppressed figure can be worked
      out from the totals by subtraction, nor from the neighbouring stages.

    Hiding a count never brings two shown counts of a row closer together and never
    spoils a move, so the rounds end when nothing more is hidden.
    """
    if threshold < 1:
        raise ValidationError("The suppression threshold is 1 or more.", field="threshold")
    rows = [list(row) for row in counts]
    width = len(rows[0]) if rows else 0
    for row in rows:
        if len(row) != width or any(v < 0 for v in row):
            raise ValueError("Every group needs one count of 0 or more at each point.")
        if any(later > earlier for earlier, later in pairwise(row)):
            raise ValueError("More people progressed from a stage than entered it.")
    hidden = {(g, p) for g, row in enumerate(rows) for p, v in enumerate(row) if 0 < v < threshold}
    while True:
        before = len(hidden)
        for g, row in enumerate(rows):
            last_shown: int | None = None
            for p, value in enumerate(row):
                if (g, p) in hidden:
                    continue
                if last_shown is not None and 0 < last_shown - value < threshold:
                    hidden.add((g, p))
                else:
                    last_shown = value
        for g, p in sorted(hidden):
            spans = [(a, b) for a in range(p + 1) for b in range(p, width)]
            hidden |= _cheapest_move(rows, hidden, g, spans)
        for g, row in enumerate(rows):
            for k in range(width - 1):
                if ({(g, k), (g, k + 1)} & hidden) and 0 < row[k] - row[k + 1] < threshold:
                    # Moves that change one side of the gap only: ending at k or starting
                    # at k + 1.
                    spans = [(a, k) for a in range(k + 1)]
                    spans += [(k + 1, b) for b in range(k + 1, width)]
                    hidden |= _cheapest_move(rows, hidden, g, spans)
        if len(hidden) == before:
            return frozenset(hidden)


def _cheapest_move(
    rows: list[list[int]],
    hidden: set[tuple[int, int]],
    g: int,
    spans: list[tuple[int, int]],
) -> set[tuple[int, int]]:
    """The counts to hide so that group g can move over one of `spans` with another
    group: none when it already can (or when no group could move with it)."""
    best: tuple[tuple[int, int, int, int, int], set[tuple[int, int]]] | None = None
    for h in range(len(rows)):
        if h == g:
            continue
        for a, b in spans:
            up_g_down_h = _can_rise(rows[g], a) and _can_fall(rows[h], b)
            if not (up_g_down_h or (_can_fall(rows[g], b) and _can_rise(rows[h], a))):
                continue
            added = {(r, q) for r in (g, h) for q in range(a, b + 1)} - hidden
            key = (len(added), sum(rows[r][q] for r, q in added), h, a, b)
            if best is None or key < best[0]:
                best = (key, added)
    return best[1] if best else set()


def _can_rise(row: list[int], a: int) -> bool:
    """Whether the run starting at point a may gain one and the row still never rise."""
    return a == 0 or row[a - 1] > row[a]


def _can_fall(row: list[int], b: int) -> bool:
    """Whether the run ending at point b may lose one and stay at or above what follows."""
    return row[b] > (row[b + 1] if b + 1 < len(row) else 0)


# --- rows -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupCount:
    """How many of a group entered a stage and how many of them progressed from it."""

    group: str
    entered: int
    progressed: int


@dataclass(frozen=True)
class ImpactRow:
    """One group at one stage for one characteristic, or the stage's total.

    A suppressed row carries None for every figure. `flag` is the monitoring flag (an
    impact ratio below 0.8; UK law sets no threshold); None on suppressed and total rows.
    """

    stage: str
    characteristic: str
    group: str
    entered: int | None
    progressed: int | None
    rate: float | None
    impact_ratio: float | None
    flag: bool | None
    p_value: float | None
    suppressed: bool

    def to_json(self) -> dict[str, object]:
        return {
            "stage": self.stage,
            "characteristic": self.characteristic,
            "group": self.group,
            "entered": self.entered,
            "progressed": self.progressed,
            "rate": self.rate,
            "impact_ratio": self.impact_ratio,
            "flag": self.flag,
            "p_value": self.p_value,
            "suppressed": self.suppressed,
        }


@dataclass(frozen=True)
class FunnelRow:
    """One group's numbers through the stages: how many entered the first stage, then
    how many progressed from each stage, in order; None where suppressed."""

    characteristic: str
    group: str
    entered: int | None
    progressed: tuple[tuple[str, int | None], ...]  # (stage, progressed from it)

    @property
    def suppressed(self) -> bool:
        return self.entered is None or any(n is None for _, n in self.progressed)

    def to_json(self) -> dict[str, object]:
        return {
            "characteristic": self.characteristic,
            "group": self.group,
            "entered": self.entered,
            "progressed": dict(self.progressed),
            "suppressed": self.suppressed,
        }


def _stage_rows(
    stage: str,
    characteristic: str,
    groups: Sequence[str],
    entered: Sequence[int],
    progressed: Sequence[int],
    hidden: set[int],
) -> list[ImpactRow]:
    """The rows of one stage and characteristic, the total last.

    The impact ratio is the group's rate over the highest rate among the shown groups
    that answered (never a suppressed group, whose rate the ratios would give away, nor
    "Prefer not to say" or "Not answered"). Those two rows carry a ratio for reading but
    are never flagged. The flag (ratio below 0.8) is a monitoring flag only: UK law sets
    no numeric threshold.

    The p-value (Fisher's exact test, exact at any size, so given for every shown group
    and most telling for small ones) compares the group with everyone else at the stage.
    That complement is the known total less the shown group, so the p-value reveals
    nothing that suppression hides; comparing with the other answered groups only would
    not promise that when "Prefer not to say" or "Not answered" is suppressed.
    """
    total_in, total_out = sum(entered), sum(progressed)
    reference: Fraction | None = None
    for i, group in enumerate(groups):
        if i not in hidden and group not in NOT_COMPARED and entered[i] > 0:
            best = Fraction(progressed[i], entered[i])
            reference = best if reference is None else max(reference, best)
    rows = []
    for i, group in enumerate(groups):
        if i in hidden:
            rows.append(
                ImpactRow(stage, characteristic, group, None, None, None, None, None, None, True)
            )
            continue
        n, k = entered[i], progressed[i]
        ratio = None
        if n > 0 and reference:  # no ratio against a best rate of nought
            ratio = Fraction(k, n) / reference
        rows.append(
            ImpactRow(
                stage,
                characteristic,
                group,
                entered=n,
                progressed=k,
                rate=k / n if n else None,
                impact_ratio=None if ratio is None else float(ratio),
                flag=group not in NOT_COMPARED and ratio is not None and ratio < FOUR_FIFTHS,
                p_value=(
                    fisher_exact(k, n - k, total_out - k, total_in - total_out - (n - k))
                    if n
                    else None
                ),
                suppressed=False,
            )
        )
    rate = total_out / total_in if total_in else None
    rows.append(
        ImpactRow(stage, characteristic, TOTAL, total_in, total_out, rate, None, None, None, False)
    )
    return rows


def stage_rows(
    stage: str,
    characteristic: str,
    counts: Sequence[GroupCount],
    *,
    threshold: int = DEFAULT_THRESHOLD,
) -> tuple[ImpactRow, ...]:
    """The rows of one stage and characteristic from its groups' counts, in their order,
    with a total row last; suppressed as `suppressed_cells` says for a table of two
    points (entered, progressed). A row is suppressed when either of its figures is."""
    groups = [count.group for count in counts]
    if len(set(groups)) != len(groups):
        raise ValueError("Each group is counted once.")
    table = [(count.entered, count.progressed) for count in counts]
    hidden = suppressed_cells(table, threshold)
    rows = _stage_rows(
        stage,
        characteristic,
        groups,
        [c.entered for c in counts],
        [c.progressed for c in counts],
        {g for g, _ in hidden},
    )
    return tuple(rows)


# --- a campaign's report ----------------------------------------------------------------


@dataclass(frozen=True)
class Journey:
    """One candidate: their monitoring answers and how far they went.

    `answers` maps a characteristic's code to the category chosen; a missing or empty
    answer counts as "Not answered". `progressed` holds, in stage order, whether the
    candidate progressed from each stage they entered: everyone enters the first stage,
    and progressing from a stage is entering the next, so only the last may be False.
    """

    answers: Mapping[str, str]
    progressed: tuple[bool, ...] = ()


@dataclass(frozen=True)
class FairnessReport:
    threshold: int
    rows: tuple[ImpactRow, ...]  # by stage, then characteristic, then group; totals last
    funnel: tuple[FunnelRow, ...]  # by characteristic, then group
    characteristics: tuple[Characteristic, ...] = ()  # the questions reported, in order

    def to_json(self) -> list[dict[str, object]]:
        """The rows as the command prints them."""
        return [row.to_json() for row in self.rows]


def fairness_report(
    journeys: Iterable[Journey],
    stages: Sequence[str],
    characteristics: Sequence[Characteristic],
    *,
    threshold: int = DEFAULT_THRESHOLD,
) -> FairnessReport:
    """Every stage's rows for every characteristic, and the funnel, suppressed together.

    Each characteristic's funnel table (groups by points, see `suppressed_cells`) is
    suppressed once, and the stage rows are read from it: a stage's row for a group is
    suppressed when its entering or its progressing count is. So a figure hidden at one
    stage is never shown at the next as the number entering it. Groups: the configured
    categories other than "Prefer not to say", then any answer no longer in the list
    (a category removed after people chose it), then "Prefer not to say" and "Not
    answered".

    Report on stages whose outcomes are all decided: a candidate still waiting for one
    counts as entering that stage and not progressing from it.
    """
    journeys = list(journeys)
    for journey in journeys:
        if len(journey.progressed) > len(stages):
            raise ValidationError("A candidate has more outcomes than there are stages.")
        if False in journey.progressed[:-1]:
            raise ValidationError("A candidate has an outcome after not progressing.")
    rows: list[list[ImpactRow]] = [[] for _ in stages]
    funnel: list[FunnelRow] = []
    for characteristic in characteristics:
        groups, table = _tally(journeys, len(stages), characteristic)
        hidden = suppressed_cells(table, threshold)
        for k, stage in enumerate(stages):
            rows[k] += _stage_rows(
                stage,
                characteristic.code,
                groups,
                [row[k] for row in table],
                [row[k + 1] for row in table],
                {g for g, p in hidden if p in (k, k + 1)},
            )
        for g, group in enumerate(groups):
            shown = [None if (g, p) in hidden else n for p, n in enumerate(table[g])]
            funnel.append(
                FunnelRow(
                    characteristic.code, group, shown[0], tuple(zip(stages, shown[1:], strict=True))
                )
            )
    return FairnessReport(
        threshold,
        tuple(row for stage in rows for row in stage),
        tuple(funnel),
        tuple(characteristics),
    )


def _tally(
    journeys: Sequence[Journey], stage_count: int, characteristic: Characteristic
) -> tuple[list[str], list[list[int]]]:
    """The groups in report order and how many of each reached each point."""
    reached: dict[str, list[int]] = {}
    for journey in journeys:
        group = journey.answers.get(characteristic.code) or NOT_ANSWERED
        counts = reached.setdefault(group, [0] * (stage_count + 1))
        for p in range(sum(journey.progressed) + 1):
            counts[p] += 1
    known = set(characteristic.codes) | NOT_COMPARED
    groups = [code for code in characteristic.codes if code != PREFER_NOT_TO_SAY]
    groups += sorted(set(reached) - known)
    groups += [PREFER_NOT_TO_SAY, NOT_ANSWERED]
    return groups, [reached.get(group, [0] * (stage_count + 1)) for group in groups]
