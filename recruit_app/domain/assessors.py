"""Assessor consistency: how each assessor's scores compare with the rest of the panel."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean, pstdev

HARSH = "harsher than the panel"
LENIENT = "more lenient than the panel"
IN_LINE = "in line with the panel"
NOT_COMPARED = "no other assessor scored the same candidates"
LABEL_GAP = 1.0  # a whole scale point away from the panel, on average, is worth a look
_PLACES = 9  # means are inexact in floating point; compare them rounded

Pair = tuple[int, str]  # (candidate_id, criterion code)


@dataclass(frozen=True)
class AssessorScore:
    assessor_id: int
    candidate_id: int
    code: str
    value: float


@dataclass(frozen=True)
class AssessorStats:
    assessor_id: int
    count: int
    mean: float
    spread: float  # population standard deviation of their scores
    panel_mean: float | None  # the other assessors on the same pairs; None if nobody else
    difference: float | None  # their mean on those pairs less the panel's
    moderated: int  # their pairs that have an agreed score
    moved_away: int  # agreed scores that differ from theirs
    label: str


def spread_of(values: Sequence[float]) -> float:
    """Population standard deviation; 0.0 for fewer than two values."""
    return pstdev(values) if len(values) > 1 else 0.0


def consistency(
    scores: Sequence[AssessorScore], agreed: Mapping[Pair, float]
) -> list[AssessorStats]:
    """One line per assessor, by assessor id, for a chair looking for harsh or lenient marking."""
    by_pair: dict[Pair, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for score in scores:
        by_pair[(score.candidate_id, score.code)][score.assessor_id].append(score.value)
    own: dict[int, dict[Pair, list[float]]] = defaultdict(dict)
    for pair, by_assessor in by_pair.items():
        for assessor_id, values in by_assessor.items():
            own[assessor_id][pair] = values
    return [_stats(a, own[a], by_pair, agreed) for a in sorted(own)]


def _stats(
    assessor_id: int,
    pairs: Mapping[Pair, list[float]],
    by_pair: Mapping[Pair, Mapping[int, list[float]]],
    agreed: Mapping[Pair, float],
) -> AssessorStats:
    values = [v for vs in pairs.values() for v in vs]
    mine, panel = _compared(assessor_id, pairs, by_pair)
    panel_mean = fmean(panel) if panel else None
    difference = fmean(mine) - panel_mean if panel_mean is not None else None
    settled = [pair for pair in pairs if pair in agreed]
    return AssessorStats(
        assessor_id=assessor_id,
        count=len(values),
        mean=fmean(values),
        spread=spread_of(values),
        panel_mean=panel_mean,
        difference=difference,
        moderated=len(settled),
        moved_away=sum(_differs(fmean(pairs[p]), agreed[p]) for p in settled),
        label=_label(difference),
    )


def _compared(
    assessor_id: int,
    pairs: Mapping[Pair, list[float]],
    by_pair: Mapping[Pair, Mapping[int, list[float]]],
) -> tuple[list[float], list[float]]:
    """Their score and the others' mean on each pair someone else also scored."""
    # Only shared pairs count on both sides, and each pair once, so that scoring extra
    # candidates alone, or beside more assessors, does not tilt the comparison.
    mine, panel = [], []
    for pair, values in pairs.items():
        others = [v for a, vs in by_pair[pair].items() if a != assessor_id for v in vs]
        if others:
            mine.append(fmean(values))
            panel.append(fmean(others))
    return mine, panel


def _differs(score: float, agreed: float) -> bool:
    return round(score, _PLACES) != round(agreed, _PLACES)


def _label(difference: float | None) -> str:
    if difference is None:
        return NOT_COMPARED
    gap = round(difference, _PLACES)
    if gap <= -LABEL_GAP:
        return HARSH
    if gap >= LABEL_GAP:
        return LENIENT
    return IN_LINE
