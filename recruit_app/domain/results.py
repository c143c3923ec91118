"""A stage's results from its scores: merit order, progression and what blocks finalising."""

from __future__ import annotations

import calendar
import random
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple, TypeVar

from recruit_app.domain.candidate_numbers import number_key
from recruit_app.errors import ValidationError

PROGRESS_RULES = ("all_passing", "top_n")
TIE_FLAG = "tie at the cut-off"
GUARANTEED_FLAG = "progresses under the guaranteed interview scheme"
# Means of several scores and fractional weights are inexact in binary floating point, so
# marks are compared rounded to this many places: equal marks must compare equal.
_PLACES = 9
# A quick pre-check before the exact, rounded comparison in _check_submitted.
_ROUNDING_MARGIN = 1e-6
_LISTED = 5  # candidates a blocker names before "and N more"

# --- inputs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionSpec:
    """A criterion as a stage scores it.

    A score below `pass_mark` fails the candidate, on an essential criterion or (set
    deliberately, and warned about in the matrix) on a desirable one. A desirable criterion
    without one counts towards the total and the tie-breaks only: a score below `standard`
    (the mark an essential criterion would need) is shown as below, and fails nobody.
    """

    code: str
    weight: float = 1.0
    pass_mark: float | None = None
    lead: bool = False
    essential: bool = True
    standard: float | None = None
    # The ends of the scale this criterion is scored on (None: the stage's); see
    # StageRules.scale_range for how a total puts criteria on different scales together.
    low: float | None = None
    high: float | None = None
    lead_rank: int = 0  # among the leads: 1 first, 2 next...; 0 after them, in matrix order


@dataclass(frozen=True)
class StageRules:
    criteria: tuple[CriterionSpec, ...]  # in matrix order, the tie-break order after leads
    pass_mark_total: float | None = None
    min_assessors: int = 2
    moderation_spread: int = 2
    progress_rule: str = "all_passing"  # "all_passing" | "top_n"
    progress_count: int | None = None
    is_sift: bool = False
    # The ends of the stage's scale. Where a criterion is scored on another scale, its
    # score counts towards the total put on this one, end to end (a strength's 1 to 4 as
    # 1, 3, 5 and 7 on the 1 to 7 scale); its own score and pass mark stay on its scale,
    # and so does its moderation spread, in proportion (see spread_for).
    scale_range: tuple[float, float] | None = None

    def spread_for(self, spec: CriterionSpec) -> float:
        """The spread that calls for moderation on the criterion's own scale."""
        factor = _factor(self, spec)
        return self.moderation_spread if factor is None else self.moderation_spread / factor

    @property
    def mixed_scales(self) -> bool:
        """Some criterion is scored on a scale other than the stage's."""
        return any(_factor(self, spec) is not None for spec in self.criteria)


def _factor(rules: StageRules, spec: CriterionSpec) -> float | None:
    """How much one point of the criterion's scale is worth on the stage's, or None when
    it is scored on the stage's scale (or a scale with the same ends)."""
    if rules.scale_range is None or spec.low is None or spec.high is None:
        return None
    low, high = rules.scale_range
    if (spec.low, spec.high) == (low, high) or spec.high <= spec.low:
        return None
    return (high - low) / (spec.high - spec.low)


def on_stage_scale(rules: StageRules, spec: CriterionSpec, score: float) -> float:
    """A criterion's score as it counts towards the total: on the stage's scale."""
    factor = _factor(rules, spec)
    if factor is None or rules.scale_range is None or spec.low is None:
        return score
    return rules.scale_range[0] + (score - spec.low) * factor


def totals_note(rules: StageRules, names: Mapping[str, str] | None = None) -> str:
    """How the total puts criteria on different scales together, in words ("" if they
    share one): what the results, letters and reports say."""
    if rules.scale_range is None:
        return ""
    low, high = rules.scale_range
    parts = []
    for spec in rules.criteria:
        if _factor(rules, spec) is None or spec.low is None or spec.high is None:
            continue
        points = _points(spec.low, spec.high)
        counted = ", ".join(_num(on_stage_scale(rules, spec, p)) for p in points)
        name = (names or {}).get(spec.code, spec.code)
        parts.append(
            f"{name}'s {_num(spec.low)} to {_num(spec.high)} counts as {counted}"
            if len(points) <= 11
            else f"{name}'s {_num(spec.low)} to {_num(spec.high)} counts as "
            f"{_num(low)} to {_num(high)}, in proportion"
        )
    if not parts:
        return ""
    return (
        f"Totals put each criterion on the {_num(low)} to {_num(high)} scale: "
        + "; ".join(parts)
        + ". Each criterion's own score and pass mark stay on its scale."
    )


def _points(low: float, high: float) -> list[float]:
    """The whole points from low to high (the ends only where they are not whole)."""
    if low != int(low) or high != int(high):
        return [low, high]
    return [float(v) for v in range(int(low), int(high) + 1)]


class Summary(NamedTuple):
    """The submitted scores of one criterion as SQL can total them: count, mean, lowest, highest.

    Results for thousands of candidates are computed from these rather than every score
    (a named tuple: tens of thousands are made at a time, and tuples are cheap to make).
    """

    scores: int  # how many (not `count`: that name is the tuple's own method)
    mean: float
    low: float
    high: float


# Not frozen: tens of thousands are made per results run, and a frozen dataclass is
# three times slower to make. Treat as read-only.
@dataclass(slots=True)
class CandidateScores:
    candidate_id: int
    number: str
    guaranteed_interview: bool = False
    submitted: Mapping[str, tuple[float, ...] | Summary] = field(default_factory=dict)
    agreed: Mapping[str, float] = field(default_factory=dict)
    resolved_tie: bool = False  # a recorded decision puts this candidate through at a tie
    # The chair's override of the overall score (the CSJ form's override flag and score),
    # with the reason: it stands for the total in the merit order.
    override: tuple[float, str] | None = None


# --- outputs ---------------------------------------------------------------------------


# Not frozen: tens of thousands are made per results run, and a frozen dataclass is
# three times slower to make. Treat as read-only.
@dataclass(slots=True)
class CandidateResult:
    candidate_id: int
    number: str
    criterion_scores: Mapping[str, float | None]
    total: float | None
    passed: bool
    failed_criteria: tuple[str, ...]
    rank: int | None
    progresses: bool | None  # None: undecided (scores missing, or a tie at the cut-off)
    guaranteed_interview_progress: bool
    flags: tuple[str, ...]
    # Criteria scored below their pass mark (the failed ones) or, for a desirable criterion
    # without one, below the standard: shown as below, in matrix order.
    below_criteria: tuple[str, ...] = ()
    # Where the chair overrode the overall score: the total worked out from the scores.
    computed_total: float | None = None
    overridden: bool = False
    override_reason: str = ""


OVERRIDE_FLAG = "overall score overridden by the chair"


@dataclass(frozen=True)
class StageResults:
    results: tuple[CandidateResult, ...]  # merit order, then those who did not pass
    missing: tuple[tuple[int, str, int, int], ...]  # (candidate_id, code, have, need)
    moderation: tuple[tuple[int, str, float], ...]  # (candidate_id, code, spread)
    cutoff_tie: tuple[int, ...]  # candidate ids sharing the rank that straddles the cut-off
    blockers: tuple[str, ...]
    can_finalise: bool


@dataclass(slots=True)
class _Scored:
    """One candidate while the results are worked out."""

    source: CandidateScores
    scores: dict[str, float | None]
    total: float | None
    failed: list[str]
    missing: list[tuple[int, str, int, int]]
    moderation: list[tuple[int, str, float]]
    flags: list[str]
    below: list[str]
    passed: bool = False
    key: tuple[float, ...] = ()
    rank: int | None = None
    progresses: bool | None = False
    guaranteed: bool = False
    tied: bool = False
    computed: float | None = None


# --- results ---------------------------------------------------------------------------


def compute_results(rules: StageRules, candidates: Sequence[CandidateScores]) -> StageResults:
    """Scores, pass or fail, merit order, progression and blockers for one stage."""
    check_rules(rules)
    # What depends on the stage alone is worked out once, not for every candidate.
    cells = _Cells(
        tuple(
            (spec, rules.moderation_spread if spec.low is None else rules.spread_for(spec))
            for spec in rules.criteria
        ),
        _lead_positions(rules),
        tuple(spec.weight for spec in rules.criteria),
        rules.mixed_scales,
    )
    scored = [_score(rules, cells, c) for c in candidates]
    ranked = _merit_order(rules, [s for s in scored if s.passed])
    unranked = sorted((s for s in scored if not s.passed), key=_unranked_key)
    tied = _progress(rules, ranked, unranked)
    by_number = sorted(scored, key=lambda s: number_key(s.source.number))
    missing = tuple(m for s in by_number for m in s.missing)
    moderation = tuple(m for s in by_number for m in s.moderation)
    blockers = _blockers(by_number, [s for s in tied if s.progresses is None])
    return StageResults(
        results=tuple(_result(s) for s in [*ranked, *unranked]),
        missing=missing,
        moderation=moderation,
        cutoff_tie=tuple(s.source.candidate_id for s in tied),
        blockers=blockers,
        can_finalise=not blockers,
    )


def check_rules(rules: StageRules) -> None:
    """Raise ValidationError when the stage's rules cannot produce results."""
    if rules.progress_rule not in PROGRESS_RULES:
        raise ValidationError(
            f"{rules.progress_rule!r} is not a known progression rule.", "progress_rule"
        )
    if rules.progress_rule == "top_n" and (rules.progress_count or 0) < 1:
        raise ValidationError("Say how many candidates progress: 1 or more.", "progress_count")
    if rules.min_assessors < 1:
        raise ValidationError("At least one assessor must score each criterion.", "min_assessors")
    codes = [c.code for c in rules.criteria]
    if len(set(codes)) != len(codes):
        raise ValidationError("A criterion appears twice in the stage's criteria.", "criteria")


@dataclass(frozen=True, slots=True)
class _Cells:
    """A stage's criteria as every candidate's scoring uses them, worked out once."""

    specs: tuple[tuple[CriterionSpec, float], ...]  # each with the spread that needs moderation
    leads: tuple[int, ...]  # positions of the lead criteria, in tie-break order
    weights: tuple[float, ...]
    mixed: bool  # some criterion is scored on a scale other than the stage's


def _score(rules: StageRules, cells: _Cells, candidate: CandidateScores) -> _Scored:
    item = _Scored(candidate, {}, None, [], [], [], [], [])
    scores = item.scores
    for spec, needed in cells.specs:
        scores[spec.code] = _criterion(rules, spec, needed, candidate, item)
    values = [v for v in scores.values() if v is not None]
    if len(values) == len(scores):
        if not cells.mixed:
            item.total = sum(w * v for w, v in zip(cells.weights, values, strict=True))
        else:
            item.total = sum(
                spec.weight * on_stage_scale(rules, spec, v)
                for spec, v in zip(rules.criteria, values, strict=True)
            )
    item.computed = item.total
    if candidate.override is not None:
        item.total = candidate.override[0]
        item.flags.append(f"{OVERRIDE_FLAG}: {candidate.override[1]}")
    item.passed = _passes(rules, item)
    if item.passed:
        item.key = _merit_key(cells.leads, item)
    return item


def _criterion(
    rules: StageRules,
    spec: CriterionSpec,
    needed: float,
    candidate: CandidateScores,
    item: _Scored,
) -> float | None:
    """The criterion's score; records what is missing, needs moderation or fails.

    Run for every candidate and criterion (70,000 times for a big sift): kept lean."""
    code = spec.code
    agreed = candidate.agreed.get(code) if candidate.agreed else None
    if agreed is not None:
        score: float | None = float(agreed)
    else:
        given = candidate.submitted.get(code, ())
        if type(given) is Summary:  # as SQL totals them: the usual case
            count, spread = given.scores, given.high - given.low
            score = given.mean if count else None
        else:
            count, score, spread = _stats(given)
        if count < rules.min_assessors or spread >= needed - _ROUNDING_MARGIN:
            _check_submitted(rules, code, candidate.candidate_id, count, spread, item, needed)
    if score is None:
        return score
    mark = spec.pass_mark
    if mark is not None:
        if round(score, _PLACES) < round(mark, _PLACES):  # _below, inline
            item.failed.append(code)
            item.below.append(code)
            item.flags.append(f"{code} is below its pass mark of {_num(mark)}")
    elif not spec.essential and spec.standard is not None and _below(score, spec.standard):
        item.below.append(code)
        item.flags.append(
            f"{code} is below {_num(spec.standard)}: desirable, so it counts towards the total only"
        )
    return score


def _stats(given: Summary | Sequence[float]) -> tuple[int, float | None, float]:
    """How many scores, their mean and their spread, from the scores or their summary."""
    if isinstance(given, Summary):
        return given.scores, given.mean if given.scores else None, given.high - given.low
    values = tuple(given)
    if not values:
        return 0, None, 0.0
    return len(values), sum(values) / len(values), float(max(values) - min(values))


def _check_submitted(
    rules: StageRules,
    code: str,
    cid: int,
    count: int,
    spread: float,
    item: _Scored,
    needed: float | None = None,
) -> None:
    need = rules.min_assessors
    if count < need:
        item.missing.append((cid, code, count, need))
        item.flags.append(f"{code} has {count} of {need} assessors")
    limit = rules.moderation_spread if needed is None else needed
    if count and round(spread, _PLACES) >= round(limit, _PLACES):
        item.moderation.append((cid, code, spread))
        item.flags.append(f"{code} needs an agreed score (scores differ by {_num(spread)})")


def _passes(rules: StageRules, item: _Scored) -> bool:
    # Missing scores leave the result open: the candidate has not passed yet.
    if item.missing or item.failed or item.total is None:
        return False
    mark = rules.pass_mark_total
    if mark is not None and _below(item.total, mark):
        item.flags.append(f"total {_num(item.total)} is below the pass mark of {_num(mark)}")
        return False
    return True


def _below(value: float, mark: float) -> bool:
    return round(value, _PLACES) < round(mark, _PLACES)


def _merit_key(leads: tuple[int, ...], item: _Scored) -> tuple[float, ...]:
    """Total, then lead criteria, then every criterion in matrix order: never name or time."""
    # Only a passing candidate has a key, and a passing one has every score.
    scores = [round(v or 0.0, _PLACES) for v in item.scores.values()]
    return (round(item.total or 0.0, _PLACES), *(scores[n] for n in leads), *scores)


def _lead_positions(rules: StageRules) -> tuple[int, ...]:
    """The leads in the campaign's order (lead_rank 1, 2...), then any other lead in
    matrix order."""
    leads = [(n, c) for n, c in enumerate(rules.criteria) if c.lead]
    ranked = sorted((c.lead_rank, n) for n, c in leads if c.lead_rank >= 1)
    return (*(n for _r, n in ranked), *(n for n, c in leads if c.lead_rank < 1))


def _merit_order(rules: StageRules, passing: list[_Scored]) -> list[_Scored]:
    # Candidate number orders equal candidates for display only; they share a rank.
    ranked = sorted(passing, key=lambda s: number_key(s.source.number))
    ranked.sort(key=lambda s: s.key, reverse=True)
    previous: tuple[float, ...] | None = None
    rank = 0
    for position, item in enumerate(ranked, start=1):
        if item.key != previous:
            rank, previous = position, item.key
        item.rank = rank
    return ranked


def _unranked_key(item: _Scored) -> tuple[bool, float, tuple[int, str, str]]:
    total = item.total
    return (
        total is None,
        -round(total, _PLACES) if total is not None else 0.0,
        number_key(item.source.number),
    )


# --- progression -----------------------------------------------------------------------


def _progress(rules: StageRules, ranked: list[_Scored], unranked: list[_Scored]) -> list[_Scored]:
    """Set who progresses; returns the tied group straddling the cut-off, if any."""
    for item in unranked:
        item.progresses = None if item.missing else False
    tied: list[_Scored] = []
    if rules.progress_rule == "all_passing":
        for item in ranked:
            item.progresses = True
    else:
        tied = _top_n(ranked, rules.progress_count or 0)
    if rules.is_sift:
        _guaranteed_interviews(ranked)
    return tied


def _top_n(ranked: list[_Scored], count: int) -> list[_Scored]:
    tied = _tied_at_cutoff(ranked, count)
    # Once any of the tied group is recorded as going through, the decision is made for all.
    decided = any(s.source.resolved_tie for s in tied)
    for item in ranked:
        if item.tied:
            item.flags.append(TIE_FLAG)
            item.progresses = True if item.source.resolved_tie else (False if decided else None)
        else:
            item.progresses = item.rank is not None and item.rank <= count
    return tied


def _tied_at_cutoff(ranked: list[_Scored], count: int) -> list[_Scored]:
    # The first candidate beyond the cut-off shares a rank within it: that group straddles it.
    if not 0 < count < len(ranked):
        return []
    shared = ranked[count].rank
    if shared is None or shared > count:
        return []
    tied = [s for s in ranked if s.rank == shared]
    for item in tied:
        item.tied = True
    return tied


def _guaranteed_interviews(ranked: list[_Scored]) -> None:
    """At a sift a guaranteed-interview candidate who passes goes through whatever the cut-off."""
    for item in ranked:
        if item.source.guaranteed_interview and item.progresses is not True:
            item.progresses = True
            item.guaranteed = True
            item.flags.append(GUARANTEED_FLAG)


# --- blockers --------------------------------------------------------------------------


def _blockers(by_number: list[_Scored], undecided: list[_Scored]) -> tuple[str, ...]:
    found = []
    missing = [s for s in by_number if s.missing]
    if missing:
        count = sum(need - have for s in missing for _, _, have, need in s.missing)
        found.append(
            f"{_plural(count, 'score is', 'scores are')} missing "
            f"({_per_candidate(missing, _missing_text)})"
        )
    moderated = [s for s in by_number if s.moderation]
    if moderated:
        count = sum(len(s.moderation) for s in moderated)
        found.append(
            f"{_plural(count, 'criterion needs', 'criteria need')} an agreed score after "
            f"moderation ({_per_candidate(moderated, _moderation_text)})"
        )
    if undecided:
        numbers = ", ".join(s.source.number for s in undecided)
        found.append(f"A tie at the cut-off needs a recorded decision: {numbers}")
    return tuple(found)


def _per_candidate(items: list[_Scored], describe: Callable[[_Scored], str]) -> str:
    parts = [f"candidate {s.source.number}: {describe(s)}" for s in items[:_LISTED]]
    more = len(items) - _LISTED
    if more > 0:
        parts.append(f"and {_plural(more, 'more candidate', 'more candidates')}")
    return "; ".join(parts)


def _missing_text(item: _Scored) -> str:
    return ", ".join(
        f"{code} has {have} of {need} assessors" for _, code, have, need in item.missing
    )


def _moderation_text(item: _Scored) -> str:
    return ", ".join(
        f"{code} scores differ by {_num(spread)}" for _, code, spread in item.moderation
    )


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _num(value: float) -> str:
    return f"{value:g}"


def _result(item: _Scored) -> CandidateResult:
    return CandidateResult(
        candidate_id=item.source.candidate_id,
        number=item.source.number,
        criterion_scores=item.scores,  # the working copy is not used again
        total=item.total,
        passed=item.passed,
        failed_criteria=tuple(item.failed),
        rank=item.rank,
        progresses=item.progresses,
        guaranteed_interview_progress=item.guaranteed,
        flags=tuple(item.flags),
        below_criteria=tuple(item.below),
        computed_total=item.computed,
        overridden=item.source.override is not None,
        override_reason=item.source.override[1] if item.source.override is not None else "",
    )


# --- reserve lists ---------------------------------------------------------------------


def reserve_expiry(decided_on: date, months: int) -> date:
    """The last day of a reserve list; a day the month lacks becomes its last day."""
    if months < 1:
        raise ValidationError("A reserve list lasts 1 month or more.", "months")
    year, month = divmod(decided_on.year * 12 + decided_on.month - 1 + months, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(decided_on.day, last_day))


def reserve_expired(expires_on: date, today: date) -> bool:
    """A list still runs on its expiry date and has expired from the day after."""
    return today > expires_on


# --- sift by criterion -----------------------------------------------------------------


_Item = TypeVar("_Item")


def criterion_order_for(codes: Sequence[_Item], seed: int) -> list[_Item]:
    """Criteria (codes or cell ids) in a shuffled order that the same seed always repeats."""
    order = list(codes)
    random.Random(seed).shuffle(order)
    return order


def candidate_order_for(ids: Sequence[int], seed: int) -> list[int]:
    """Candidates in a shuffled order that the same seed always repeats."""
    order = list(ids)
    random.Random(seed).shuffle(order)
    return order


def new_seed() -> int:
    """A fresh seed to store with a sift, so its order can be shown again."""
    return secrets.randbelow(2**31)
