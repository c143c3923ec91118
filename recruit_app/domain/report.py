"""The campaign report's figures: funnel, score histograms, pass rates, planned against actual.

Plain Python in, plain Python out. The service totals everything in SQL (GROUP BY) and hands
the totals here, so a campaign of ten thousand candidates costs no more than one of forty.
The figures' types live here; the document the renderer draws from, which holds them, is
`recruit_app.readmodels.CampaignReportDocument`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from math import sqrt

from recruit_app.domain.assessors import HARSH, IN_LINE, LABEL_GAP, LENIENT, NOT_COMPARED
from recruit_app.domain.dates import MONTHS, plain_date
from recruit_app.vocabulary import Outcome

STILL_IN = "Still in the process"
_PLACES = 9  # means are inexact in floating point; compare them rounded


# --- the funnel ------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelRow:
    """How many candidates reached a stage and what happened to them there."""

    stage: str
    reached: int
    progressed: int = 0
    rejected: int = 0
    reserve: int = 0
    appointed: int = 0
    withdrawn: int = 0
    undecided: int = 0  # reached the stage, no outcome yet

    @property
    def decided(self) -> int:
        return self.progressed + self.rejected + self.reserve + self.appointed + self.withdrawn


def funnel(applied: int, stages: Sequence[tuple[str, Mapping[str, int]]]) -> tuple[FunnelRow, ...]:
    """One row per stage, in order: everyone who applied reaches the first stage; a later
    stage is reached by those the stage before it progressed.

    `stages` pairs each stage's name with its outcome counts by Outcome code.
    """
    rows = []
    reached = applied
    for name, counts in stages:
        row = FunnelRow(
            stage=name,
            reached=reached,
            progressed=counts.get(Outcome.PROGRESS, 0),
            rejected=counts.get(Outcome.REJECT, 0),
            reserve=counts.get(Outcome.RESERVE, 0),
            appointed=counts.get(Outcome.APPOINT, 0),
            withdrawn=counts.get(Outcome.WITHDRAWN, 0),
        )
        # Outcomes recorded by hand can outnumber who reached the stage; never below nought.
        rows.append(_with_undecided(row, max(0, reached - row.decided)))
        reached = row.progressed
    return tuple(rows)


def _with_undecided(row: FunnelRow, undecided: int) -> FunnelRow:
    return FunnelRow(
        row.stage,
        row.reached,
        row.progressed,
        row.rejected,
        row.reserve,
        row.appointed,
        row.withdrawn,
        undecided,
    )


def percent(part: int, whole: int) -> str:
    """ "35%", or "" when there is nothing to divide by; halves round up."""
    if whole <= 0:
        return ""
    return f"{int(Fraction(100 * part, whole) + Fraction(1, 2))}%"


# --- where candidates stand --------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """Where every candidate stands now, by their latest outcome."""

    applied: int
    in_process: int  # no outcome yet, or progressed from their latest stage
    rejected: int
    reserve: int
    appointed: int
    withdrawn: int


def standing(applied: int, latest: Mapping[str, int]) -> Standing:
    """`latest` counts candidates by the kind of their latest outcome (by stage order)."""
    settled = (Outcome.REJECT, Outcome.RESERVE, Outcome.APPOINT, Outcome.WITHDRAWN)
    decided = sum(latest.get(kind, 0) for kind in settled)
    return Standing(
        applied=applied,
        in_process=max(0, applied - decided),
        rejected=latest.get(Outcome.REJECT, 0),
        reserve=latest.get(Outcome.RESERVE, 0),
        appointed=latest.get(Outcome.APPOINT, 0),
        withdrawn=latest.get(Outcome.WITHDRAWN, 0),
    )


def standing_rows(s: Standing) -> tuple[tuple[str, int], ...]:
    """Label and count for each group with anyone in it, in the order a reader expects."""
    rows = (
        (Outcome.APPOINT.label, s.appointed),
        (Outcome.RESERVE.label, s.reserve),
        (STILL_IN, s.in_process),
        (Outcome.REJECT.label, s.rejected),
        (Outcome.WITHDRAWN.label, s.withdrawn),
    )
    return tuple((label, count) for label, count in rows if count)


def summary_sentences(s: Standing, rows: Sequence[FunnelRow]) -> tuple[str, ...]:
    """A few plain sentences on where the campaign has got to."""
    if s.applied == 0:
        return (
            "Nothing has happened in this campaign yet: no candidates have applied, "
            "so there are no results to report.",
        )
    sentences = [f"{_count(s.applied, 'candidate')} applied."]
    parts = [
        f"{n} {words}"
        for n, words in (
            (s.appointed, Outcome.APPOINT.phrase),
            (s.reserve, Outcome.RESERVE.phrase),
            (s.in_process, STILL_IN.lower()),
            (s.rejected, Outcome.REJECT.phrase),
            (s.withdrawn, Outcome.WITHDRAWN.phrase),
        )
        if n
    ]
    if parts:
        sentences.append(f"Of these: {_join(parts)}.")
    for row in rows:
        if row.reached and row.decided:
            sentences.append(
                f"{row.stage}: {row.progressed} of {row.reached} progressed "
                f"({percent(row.progressed, row.reached)})."
            )
    return tuple(sentences)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _join(parts: Sequence[str]) -> str:
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


# --- score distributions -----------------------------------------------------------------


def nearest_point(score: Fraction, points: Sequence[int]) -> int:
    """The scale point nearest `score`; exactly halfway goes to the higher point."""
    if not points:
        raise ValueError("A scale has points.")
    best = points[0]
    for point in points[1:]:
        if abs(Fraction(point) - score) <= abs(Fraction(best) - score):
            best = point
    return best


@dataclass(frozen=True)
class CriterionDistribution:
    """How candidates scored on one criterion at one stage."""

    code: str
    title: str
    pass_mark: float | None
    points: tuple[int, ...]  # the scale, lowest to highest
    counts: tuple[int, ...]  # candidates per point, by nearest point
    scored: int
    passed: int | None  # None without a pass mark
    mean: float | None

    @property
    def pass_rate(self) -> str:
        return "" if self.passed is None else percent(self.passed, self.scored)


ScoreGroup = tuple[int, int, int]  # (sum of scores, how many scores, how many candidates)


def distribution(
    code: str,
    title: str,
    pass_mark: float | None,
    points: Sequence[int],
    groups: Iterable[ScoreGroup],
) -> CriterionDistribution:
    """Histogram, mean and pass count from SQL's groups of candidates with the same score.

    A candidate's score is the sum of their scores over how many there are (the panel's
    agreed score counts as one score of that value); it is worked with exactly, as a
    fraction, so that 4.5 always rounds up and a mean of exactly the pass mark passes.
    """
    ordered = tuple(sorted(points))
    counts = dict.fromkeys(ordered, 0)
    scored = passed = 0
    total = Fraction(0)
    mark = Fraction(pass_mark) if pass_mark is not None else None
    for value_sum, value_count, candidates in groups:
        if value_count <= 0 or candidates <= 0:
            continue
        score = Fraction(value_sum, value_count)
        counts[nearest_point(score, ordered)] += candidates
        scored += candidates
        total += score * candidates
        if mark is not None and score >= mark:
            passed += candidates
    return CriterionDistribution(
        code=code,
        title=title,
        pass_mark=pass_mark,
        points=ordered,
        counts=tuple(counts[p] for p in ordered),
        scored=scored,
        passed=passed if mark is not None else None,
        mean=float(total / scored) if scored else None,
    )


def nice_axis_top(highest: int) -> tuple[int, int]:
    """The top of a count axis and its whole-number step (1, 2, 5, 10, 20, 50, ...), with
    at most five steps from nought to the top."""
    if highest <= 0:
        return 1, 1
    magnitude = 1
    while True:
        for multiple in (1, 2, 5):
            step = multiple * magnitude
            steps = -(-highest // step)
            if steps <= 5:
                return steps * step, step
        magnitude *= 10


# --- planned against actual ----------------------------------------------------------------


@dataclass(frozen=True)
class StageTiming:
    """A stage's planned window against what happened."""

    stage: str
    planned_start: date | None
    planned_end: date | None
    first_score: date | None  # the day the first score was submitted (London)
    finalised: date | None  # the day the results were finalised (London)

    @property
    def days_late(self) -> int | None:
        """Days from the planned end to finalising: positive late, negative early."""
        if self.planned_end is None or self.finalised is None:
            return None
        return (self.finalised - self.planned_end).days


def days_words(days: int) -> str:
    """ "on the planned day", "1 day late", "3 days early"."""
    if days == 0:
        return "on the planned day"
    return f"{_days(abs(days))} {'late' if days > 0 else 'early'}"


def first_score_words(t: StageTiming) -> tuple[str, str]:
    """The day of the first submitted score, and where it fell against the planned dates."""
    if t.first_score is None:
        return "No scores submitted in Recruit", ""
    when = plain_date(t.first_score)
    start, end = t.planned_start, t.planned_end
    if start is not None and t.first_score < start:
        return when, f"{_days((start - t.first_score).days)} before the planned start"
    if end is not None and t.first_score > end:
        return when, f"{_days((t.first_score - end).days)} after the planned end"
    if start is None and end is None:
        return when, ""
    return when, "within the planned dates"


def finalised_words(t: StageTiming, today: date) -> tuple[str, str]:
    """The day the results were finalised and how that compares with the planned end; or
    that they are not final yet, and by how much that is overdue."""
    if t.finalised is not None:
        late = t.days_late
        return plain_date(t.finalised), "" if late is None else days_words(late)
    if t.planned_end is not None and t.planned_end < today:
        return "Not finalised yet", f"{_days((today - t.planned_end).days)} after the planned end"
    return "Not finalised yet", ""


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def planned_words(t: StageTiming) -> str:
    """ "16 to 20 November 2026", "30 November to 4 December 2026", or one day."""
    start, end = t.planned_start, t.planned_end
    if start and end:
        return date_range(start, end)
    if start:
        return f"From {plain_date(start)}"
    if end:
        return f"Until {plain_date(end)}"
    return "No dates set"


def date_range(start: date, end: date) -> str:
    """Two dates in words without saying a month or year twice."""
    if start == end:
        return plain_date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day} to {plain_date(end)}"
    if start.year == end.year:
        return f"{start.day} {MONTHS[start.month - 1]} to {plain_date(end)}"
    return f"{plain_date(start)} to {plain_date(end)}"


# --- assessor consistency ------------------------------------------------------------------


@dataclass(frozen=True)
class AssessorTotals:
    """One assessor's scores at a stage as SQL totals them.

    `compared` counts the pairs (candidate, criterion) someone else also scored; on those,
    `own_sum` adds this assessor's scores and `panel_sum` the other assessors' means.
    """

    name: str
    count: int
    value_sum: float
    square_sum: float
    compared: int
    own_sum: float
    panel_sum: float
    moderated: int
    moved_away: int


@dataclass(frozen=True)
class AssessorLine:
    name: str
    count: int
    mean: float
    spread: float  # population standard deviation of their scores
    panel_mean: float | None
    difference: float | None
    moderated: int
    moved_away: int
    reading: str


def assessor_line(t: AssessorTotals) -> AssessorLine:
    """The line of the assessor consistency table, read as `domain.assessors` reads it."""
    mean = t.value_sum / t.count if t.count else 0.0
    variance = t.square_sum / t.count - mean * mean if t.count > 1 else 0.0
    panel_mean = t.panel_sum / t.compared if t.compared else None
    difference = (t.own_sum / t.compared - panel_mean) if panel_mean is not None else None
    return AssessorLine(
        name=t.name,
        count=t.count,
        mean=mean,
        spread=sqrt(max(0.0, variance)),
        panel_mean=panel_mean,
        difference=difference,
        moderated=t.moderated,
        moved_away=t.moved_away,
        reading=consistency_reading(difference),
    )


def consistency_reading(difference: float | None) -> str:
    if difference is None:
        return NOT_COMPARED
    gap = round(difference, _PLACES)
    if gap <= -LABEL_GAP:
        return HARSH
    if gap >= LABEL_GAP:
        return LENIENT
    return IN_LINE


# --- numbers in words ------------------------------------------------------------------


def number(value: float | None, places: int = 2) -> str:
    """A score as people write it: 4, 4.5, 4.33; a dash for none."""
    if value is None:
        return "–"
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def signed(value: float | None, places: int = 2) -> str:
    """A difference with its sign: +0.5, -0.33, 0; a dash for none."""
    if value is None:
        return "–"
    text = number(value, places)
    return text if text == "0" or text.startswith("-") else f"+{text}"
