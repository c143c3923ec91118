"""Bare-library baselines for a stage's results: the merit list, the moderation pairs and
assessor consistency, worked out with a DBAPI connection (sqlite3 or psycopg) and plain
Python loops, as `recruit_app.services.results` works them out through the app's layers.

Each function takes a bare connection, the driver's parameter placeholder ("?" or "%s")
and the stage's id, and reads everything it needs in its own statements. They import
nothing of the app, and agree with the app's functions (tests/benchmarks): they are the
same work, done with nothing but the libraries.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

# The app's rules, restated (recruit_app.domain.results, assessors, stage_rules).
_PLACES = 9  # marks are compared rounded to this many places
_ROUNDING_MARGIN = 1e-6
_STANDARD_MARK = {"sp7": 4, "zero3": 2, "pass_fail": 1, "strengths4": 3}
_TIE_FLAG = "tie at the cut-off"
_GUARANTEED_FLAG = "progresses under the guaranteed interview scheme"
_LABEL_GAP = 1.0
HARSH = "harsher than the panel"
LENIENT = "more lenient than the panel"
IN_LINE = "in line with the panel"
NOT_COMPARED = "no other assessor scored the same candidates"


class BareModerationPair(NamedTuple):
    candidate_id: int
    label: str
    cell_id: int
    code: str
    scores: tuple[tuple[str, int | None], ...]  # assessor name and score, by name
    spread: float
    flagged: bool
    agreed: int | None


@dataclass(frozen=True, slots=True)
class BareAssessor:
    assessor_id: int
    name: str
    count: int
    mean: float
    spread: float  # population standard deviation
    panel_mean: float | None
    difference: float | None
    moderated: int
    moved_away: int
    label: str


class _Criterion(NamedTuple):
    cell_id: int
    code: str
    weight: float
    pass_mark: float | None
    lead: bool
    essential: bool


class _Stage(NamedTuple):
    campaign_id: int
    position: int
    kind: str
    scale: str
    custom_scale: Any
    pass_mark_total: float | None
    min_assessors: int
    moderation_spread: int
    progress_rule: str
    progress_count: int | None
    tie_note: str
    tie_progress: Any


def _sql(text: str, marker: str) -> str:
    return text if marker == "?" else text.replace("?", marker)


def _number_key(number: str) -> tuple[int, str, str]:
    digits = number.lstrip("0")
    return len(digits), digits, number


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _read_stage(cursor: Any, marker: str, stage_id: int) -> _Stage:
    cursor.execute(
        _sql(
            "SELECT campaign_id, position, kind, scale, custom_scale, pass_mark_total, "
            "min_assessors, moderation_spread, progress_rule, progress_count, tie_note, "
            "tie_progress FROM stage WHERE id = ?",
            marker,
        ),
        (stage_id,),
    )
    row = cursor.fetchone()
    if row is None:
        raise LookupError(f"no stage {stage_id}")
    return _Stage(*row)


def _read_criteria(cursor: Any, marker: str, stage_id: int) -> list[_Criterion]:
    cursor.execute(
        _sql(
            "SELECT sc.id, a.code, sc.weight, sc.pass_mark, a.lead, a.essential "
            "FROM stage_criterion sc JOIN advert_criterion a ON a.id = sc.advert_criterion_id "
            "WHERE sc.stage_id = ? ORDER BY sc.position",
            marker,
        ),
        (stage_id,),
    )
    return [
        _Criterion(cell, code, weight, mark, bool(lead), bool(essential))
        for cell, code, weight, mark, lead, essential in cursor.fetchall()
    ]


def candidates_at_stage(
    cursor: Any, marker: str, campaign_id: int, position: int, columns: str
) -> list[tuple[Any, ...]]:
    """Who reached the stage at `position` (those the previous stage progressed; everyone
    at the first), less the withdrawn, by candidate number: rows of `columns` (of
    `candidate c`), the candidate number second."""
    cursor.execute(
        _sql(
            "SELECT id FROM stage WHERE campaign_id = ? AND position < ? "
            "ORDER BY position DESC LIMIT 1",
            marker,
        ),
        (campaign_id, position),
    )
    earlier = cursor.fetchone()
    join, params = "", [campaign_id]
    if earlier is not None:
        join = "JOIN outcome o ON o.candidate_id = c.id AND o.stage_id = ? AND o.kind = 'progress' "
        params.insert(0, earlier[0])
    cursor.execute(
        _sql(
            f"SELECT {columns} FROM candidate c {join}WHERE c.campaign_id = ? AND c.id NOT IN "
            "(SELECT candidate_id FROM outcome WHERE kind = 'withdrawn')",
            marker,
        ),
        params,
    )
    rows = cursor.fetchall()
    rows.sort(key=lambda r: _number_key(r[1]))
    return rows


def _label(number: str, first: str, last: str) -> str:
    return f"{number} {first} {last}".strip()


def _num(value: float) -> str:
    return f"{value:g}"


def _standard(stage: _Stage) -> int | None:
    if stage.scale in _STANDARD_MARK:
        return _STANDARD_MARK[stage.scale]
    if stage.scale != "custom":
        return None
    values = [p.get("value") for p in _json(stage.custom_scale) or []]
    return values[len(values) // 2] if len(values) >= 2 else None


# --- the merit list ------------------------------------------------------------------


class _Row:
    """One candidate while the results are worked out."""

    __slots__ = (
        "cid",
        "failed",
        "flags",
        "guaranteed",
        "key",
        "label",
        "missing",
        "moderation",
        "number",
        "outcome",
        "passed",
        "progresses",
        "rank",
        "scores",
        "total",
    )

    def __init__(self, cid: int, number: str, label: str, guaranteed: bool) -> None:
        self.cid, self.number, self.label, self.guaranteed = cid, number, label, guaranteed
        self.scores: list[float | None] = []
        self.total: float | None = None
        self.passed = False
        self.failed: list[str] = []
        self.missing: list[tuple[str, int, int]] = []
        self.moderation: list[tuple[str, float]] = []
        self.flags: list[str] = []
        self.key: tuple[float, ...] = ()
        self.rank: int | None = None
        self.progresses: bool | None = False
        self.outcome: tuple[Any, ...] | None = None


def bare_results(connection: Any, marker: str, stage_id: int) -> list[_Row]:
    """Every candidate at the stage worked out: merit order, then those who did not pass."""
    cursor = connection.cursor()
    stage = _read_stage(cursor, marker, stage_id)
    criteria = _read_criteria(cursor, marker, stage_id)
    people = candidates_at_stage(
        cursor,
        marker,
        stage.campaign_id,
        stage.position,
        "c.id, c.candidate_number, c.first_name, c.last_name, c.guaranteed_interview",
    )
    submitted: dict[tuple[int, int], tuple[int, float, float, float]] = {}
    if criteria:
        cells = [c.cell_id for c in criteria]
        cursor.execute(
            _sql(
                "SELECT candidate_id, stage_criterion_id, count(*), sum(value), min(value), "
                "max(value) FROM score "
                f"WHERE stage_criterion_id IN ({', '.join('?' * len(cells))}) "
                "AND status = 'submitted' AND value IS NOT NULL "
                "GROUP BY stage_criterion_id, candidate_id",
                marker,
            ),
            cells,
        )
        for cid, cell, count, total, low, high in cursor.fetchall():
            submitted[(cid, cell)] = (count, total / count, float(low), float(high))
    cursor.execute(
        _sql(
            "SELECT m.candidate_id, m.stage_criterion_id, m.value FROM moderated_score m "
            "JOIN stage_criterion c ON c.id = m.stage_criterion_id WHERE c.stage_id = ?",
            marker,
        ),
        (stage_id,),
    )
    agreed = {(cid, cell): float(value) for cid, cell, value in cursor.fetchall()}
    cursor.execute(
        _sql(
            "SELECT candidate_id, kind, id, version, reserve_expires_on FROM outcome "
            "WHERE stage_id = ?",
            marker,
        ),
        (stage_id,),
    )
    outcomes = {row[0]: row for row in cursor.fetchall()}
    cursor.close()

    need, spread_limit = stage.min_assessors, stage.moderation_spread
    mark_total, standard = stage.pass_mark_total, _standard(stage)
    weights = [c.weight for c in criteria]
    leads = [n for n, c in enumerate(criteria) if c.lead]
    rows: list[_Row] = []
    for cid, number, first, last, guaranteed in people:
        row = _Row(cid, number, _label(number, first, last), bool(guaranteed))
        row.outcome = outcomes.get(cid)
        for c in criteria:
            score = agreed.get((cid, c.cell_id))
            if score is None:
                found = submitted.get((cid, c.cell_id))
                count, spread = (found[0], found[3] - found[2]) if found else (0, 0.0)
                score = found[1] if found else None
                if count < need or spread >= spread_limit - _ROUNDING_MARGIN:
                    if count < need:
                        row.missing.append((c.code, count, need))
                        row.flags.append(f"{c.code} has {count} of {need} assessors")
                    if count and round(spread, _PLACES) >= spread_limit:
                        row.moderation.append((c.code, spread))
                        row.flags.append(
                            f"{c.code} needs an agreed score (scores differ by {_num(spread)})"
                        )
            row.scores.append(score)
            if score is None:
                continue
            if c.pass_mark is not None:
                if round(score, _PLACES) < round(c.pass_mark, _PLACES):
                    row.failed.append(c.code)
                    row.flags.append(f"{c.code} is below its pass mark of {_num(c.pass_mark)}")
            elif (
                not c.essential
                and standard is not None
                and round(score, _PLACES) < round(standard, _PLACES)
            ):
                row.flags.append(
                    f"{c.code} is below {_num(standard)}: desirable, so it counts towards "
                    "the total only"
                )
        if None not in row.scores:
            row.total = sum([w * (v or 0.0) for w, v in zip(weights, row.scores, strict=True)])
        row.passed = not row.missing and not row.failed and row.total is not None
        if (
            row.passed
            and mark_total is not None
            and row.total is not None
            and round(row.total, _PLACES) < round(mark_total, _PLACES)
        ):
            row.flags.append(
                f"total {_num(row.total)} is below the pass mark of {_num(mark_total)}"
            )
            row.passed = False
        if row.passed:
            scores = [round(s or 0.0, _PLACES) for s in row.scores]
            row.key = (round(row.total or 0.0, _PLACES), *[scores[n] for n in leads], *scores)
        rows.append(row)

    # Merit order: by number already, so equal keys stay in number order (for display).
    ranked = sorted((r for r in rows if r.passed), key=lambda r: r.key, reverse=True)
    previous: tuple[float, ...] | None = None
    rank = 0
    for position, row in enumerate(ranked, start=1):
        if row.key != previous:
            rank, previous = position, row.key
        row.rank = rank
    unranked = sorted(
        (r for r in rows if not r.passed),
        key=lambda r: (
            r.total is None,
            -round(r.total, _PLACES) if r.total is not None else 0.0,
            _number_key(r.number),
        ),
    )
    _progress(stage, ranked, unranked)
    return [*ranked, *unranked]


def _progress(stage: _Stage, ranked: list[_Row], unranked: list[_Row]) -> None:
    for row in unranked:
        row.progresses = None if row.missing else False
    if stage.progress_rule == "all_passing":
        for row in ranked:
            row.progresses = True
    else:
        count = stage.progress_count or 0
        tied: list[_Row] = []
        if 0 < count < len(ranked):
            shared = ranked[count].rank
            if shared is not None and shared <= count:
                tied = [r for r in ranked if r.rank == shared]
        resolved = set(_json(stage.tie_progress) or []) if stage.tie_note else set()
        decided = any(r.cid in resolved for r in tied)
        tied_ids = {r.cid for r in tied}
        for row in ranked:
            if row.cid in tied_ids:
                row.flags.append(_TIE_FLAG)
                row.progresses = True if row.cid in resolved else (False if decided else None)
            else:
                row.progresses = row.rank is not None and row.rank <= count
    if stage.kind == "sift":
        for row in ranked:
            if row.guaranteed and row.progresses is not True:
                row.progresses = True
                row.flags.append(_GUARANTEED_FLAG)


def bare_merit_list(
    connection: Any, marker: str, stage_id: int
) -> list[tuple[int, float | None, int | None]]:
    """(candidate id, total, rank) in merit order, then those who did not pass (rank None):
    what `stage_results` shows, from the same tables."""
    return [(r.cid, r.total, r.rank) for r in bare_results(connection, marker, stage_id)]


# --- moderation ----------------------------------------------------------------------


def bare_moderation_pairs(
    connection: Any, marker: str, stage_id: int, *, needed_only: bool = False
) -> list[BareModerationPair]:
    """Every candidate at the stage (by number) and criterion (in matrix order) with each
    assessor's submitted score side by side, by assessor name: what `moderation_view`
    shows, less evidence. `needed_only`: only the pairs moderation needs (scores `spread`
    or more apart) or that hold an agreed score, as the Results tab lists them."""
    cursor = connection.cursor()
    stage = _read_stage(cursor, marker, stage_id)
    criteria = _read_criteria(cursor, marker, stage_id)
    people = candidates_at_stage(
        cursor,
        marker,
        stage.campaign_id,
        stage.position,
        "c.id, c.candidate_number, c.first_name, c.last_name",
    )
    cursor.execute(
        _sql(
            "SELECT s.candidate_id, s.stage_criterion_id, p.name, s.value FROM score s "
            "JOIN stage_criterion c ON c.id = s.stage_criterion_id "
            "JOIN person p ON p.id = s.assessor_id "
            "WHERE c.stage_id = ? AND s.status = 'submitted' AND s.value IS NOT NULL "
            "ORDER BY p.name, p.id",
            marker,
        ),
        (stage_id,),
    )
    scores: dict[tuple[int, int], list[tuple[str, int | None]]] = {}
    for cid, cell, name, value in cursor.fetchall():
        found = scores.get((cid, cell))
        if found is None:
            scores[(cid, cell)] = [(name, value)]
        else:
            found.append((name, value))
    cursor.execute(
        _sql(
            "SELECT m.candidate_id, m.stage_criterion_id, m.value FROM moderated_score m "
            "JOIN stage_criterion c ON c.id = m.stage_criterion_id WHERE c.stage_id = ?",
            marker,
        ),
        (stage_id,),
    )
    agreed = {(cid, cell): value for cid, cell, value in cursor.fetchall()}
    cursor.close()
    limit = stage.moderation_spread
    pairs = []
    for cid, number, first, last in people:
        label = _label(number, first, last)
        for c in criteria:
            found = scores.get((cid, c.cell_id), [])
            values = [v for _n, v in found if v is not None]
            spread = float(max(values) - min(values)) if values else 0.0
            settled = agreed.get((cid, c.cell_id))
            if needed_only and not (
                values and (settled is not None or (len(values) > 1 and spread >= limit))
            ):
                continue
            pairs.append(
                BareModerationPair(
                    cid,
                    label,
                    c.cell_id,
                    c.code,
                    tuple(found),
                    spread,
                    spread >= limit and len(values) > 1,
                    settled,
                )
            )
    return pairs


# --- assessor consistency ------------------------------------------------------------


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _pstdev(values: Sequence[float]) -> float:
    if len(values) < 2:
        return 0.0
    mean = sum(values) / len(values)
    return math.sqrt(sum((v - mean) * (v - mean) for v in values) / len(values))


def bare_assessor_consistency(connection: Any, marker: str, stage_id: int) -> list[BareAssessor]:
    """Per assessor (by id): how many submitted scores, their mean and spread, the rest of
    the panel's mean on the pairs they share, the difference, how many of their pairs have
    an agreed score and how many of those moved away from theirs: `assessor_consistency`."""
    cursor = connection.cursor()
    cursor.execute(
        _sql(
            "SELECT s.assessor_id, s.candidate_id, s.stage_criterion_id, s.value FROM score s "
            "JOIN stage_criterion c ON c.id = s.stage_criterion_id "
            "WHERE c.stage_id = ? AND s.status = 'submitted' AND s.value IS NOT NULL",
            marker,
        ),
        (stage_id,),
    )
    by_pair: dict[tuple[int, int], dict[int, list[float]]] = {}
    own: dict[int, dict[tuple[int, int], list[float]]] = {}
    for assessor, cid, cell, value in cursor.fetchall():
        pair = (cid, cell)
        others = by_pair.get(pair)
        if others is None:
            others = by_pair[pair] = {}
        mine = others.get(assessor)
        if mine is None:
            mine = others[assessor] = []
            own.setdefault(assessor, {})[pair] = mine
        mine.append(float(value))
    cursor.execute(
        _sql(
            "SELECT m.candidate_id, m.stage_criterion_id, m.value FROM moderated_score m "
            "JOIN stage_criterion c ON c.id = m.stage_criterion_id WHERE c.stage_id = ?",
            marker,
        ),
        (stage_id,),
    )
    agreed = {(cid, cell): float(value) for cid, cell, value in cursor.fetchall()}
    cursor.execute("SELECT id, name FROM person")
    names = dict(cursor.fetchall())
    cursor.close()
    found = []
    for assessor in sorted(own):
        pairs = own[assessor]
        values = [v for vs in pairs.values() for v in vs]
        mine_means, panel_means = [], []
        moderated = moved = 0
        for pair, vs in pairs.items():
            theirs = [v for a, ovs in by_pair[pair].items() if a != assessor for v in ovs]
            if theirs:
                mine_means.append(_mean(vs))
                panel_means.append(_mean(theirs))
            settled = agreed.get(pair)
            if settled is not None:
                moderated += 1
                moved += round(_mean(vs), _PLACES) != round(settled, _PLACES)
        panel_mean = _mean(panel_means) if panel_means else None
        difference = _mean(mine_means) - panel_mean if panel_mean is not None else None
        found.append(
            BareAssessor(
                assessor,
                names.get(assessor, str(assessor)),
                len(values),
                _mean(values),
                _pstdev(values),
                panel_mean,
                difference,
                moderated,
                moved,
                _consistency_label(difference),
            )
        )
    return found


def _consistency_label(difference: float | None) -> str:
    if difference is None:
        return NOT_COMPARED
    gap = round(difference, _PLACES)
    if gap <= -_LABEL_GAP:
        return HARSH
    if gap >= _LABEL_GAP:
        return LENIENT
    return IN_LINE
