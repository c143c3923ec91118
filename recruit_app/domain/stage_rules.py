"""Stage kinds, scoring scales, the rules for a stage's settings, panel and matrix checks."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from recruit_app.domain.advert_rules import Finding
from recruit_app.domain.results import PROGRESS_RULES
from recruit_app.errors import ValidationError
from recruit_app.vocabulary import PanelRole, StageKind, StageMode

# --- scoring scales --------------------------------------------------------------------


@dataclass(frozen=True)
class ScalePoint:
    value: int
    label: str
    descriptor: str = ""


@dataclass(frozen=True)
class Scale:
    code: str
    name: str
    points: tuple[ScalePoint, ...]

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(p.value for p in self.points)

    @property
    def minimum(self) -> int:
        return self.points[0].value

    @property
    def maximum(self) -> int:
        return self.points[-1].value

    def label(self, value: int) -> str:
        for point in self.points:
            if point.value == value:
                return point.label
        raise ValidationError(f"{value} is not a point on the {self.name}.", "score")


def _scale(code: str, name: str, *points: tuple[int, str, str]) -> Scale:
    return Scale(code, name, tuple(ScalePoint(v, label, d) for v, label, d in points))


SCALES: dict[str, Scale] = {
    "sp7": _scale(
        "sp7",
        "Success Profiles scale (1 to 7)",
        (1, "Not demonstrated", "No positive evidence, or a great deal of negative evidence."),
        (2, "Minimal demonstration", "Little positive evidence; most of it is negative."),
        (3, "Moderate demonstration", "Some positive evidence, mixed with some negative evidence."),
        (4, "Acceptable demonstration", "Enough positive evidence; any negatives are minor."),
        (5, "Good demonstration", "A good deal of positive evidence."),
        (6, "Strong demonstration", "A lot of positive evidence, at times beyond the level."),
        (7, "Outstanding demonstration", "Evidence beyond what the level expects throughout."),
    ),
    "zero3": _scale(
        "zero3",
        "Evidence scale (0 to 3)",
        (0, "No evidence", "Nothing in the evidence speaks to the criterion."),
        (1, "Limited evidence", "Some relevant evidence, but not enough to meet the criterion."),
        (2, "Meets the criterion", "Clear evidence that the criterion is met."),
        (3, "Exceeds the criterion", "Strong evidence that goes beyond the criterion."),
    ),
    "pass_fail": _scale(
        "pass_fail",
        "Pass or fail",
        (0, "Fail", "The criterion is not met."),
        (1, "Pass", "The criterion is met."),
    ),
    "strengths4": _scale(
        "strengths4",
        "Strengths scale (1 to 4)",
        (1, "Weakness", "Little energy for it, little skill in it, rarely used."),
        (2, "Learned Behaviour", "Done well and used at times, but without enthusiasm."),
        (3, "Potential Strength", "Clear enthusiasm, with some skill and some use."),
        (4, "Strength", "Clear enthusiasm, real skill and frequent use."),
    ),
    # An ability test's result (CSJ turns the raw score into a percentile against a norm
    # group); the pass mark is the vacancy's cut-off.
    "percentile": Scale(
        "percentile",
        "Percentile",
        tuple(ScalePoint(v, f"Percentile {v}") for v in range(0, 101)),
    ),
}
# The mark that meets a criterion on each built-in scale ("Acceptable demonstration" on
# the 1 to 7 scale). Only essential criteria get it as their pass mark by default; a
# percentile's is a common cut-off, to be set to the vacancy's own.
DEFAULT_PASS_MARK = {"sp7": 4, "zero3": 2, "pass_fail": 1, "strengths4": 3, "percentile": 50}
CUSTOM_MIN, CUSTOM_MAX = 0, 100


def custom_scale(points: Sequence[Mapping[str, object]]) -> Scale:
    """A campaign's own scale, from points like {"value": 0, "label": "None", ...}."""
    if len(points) < 2:
        raise ValidationError("A scale needs at least two points.", "points")
    built: list[ScalePoint] = []
    for number, raw in enumerate(points, start=1):
        point = _custom_point(number, raw)
        if built and point.value <= built[-1].value:
            raise ValidationError(
                f"Point {number}: the values must go up, each higher than the one before.",
                f"points[{number - 1}].value",
            )
        built.append(point)
    return Scale("custom", "Custom scale", tuple(built))


def _custom_point(number: int, raw: Mapping[str, object]) -> ScalePoint:
    value = raw.get("value")
    # bool is an int subclass, but True is not a score.
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError(
            f"Point {number}: the value must be a whole number.", f"points[{number - 1}].value"
        )
    if not CUSTOM_MIN <= value <= CUSTOM_MAX:
        raise ValidationError(
            f"Point {number}: the value must be from {CUSTOM_MIN} to {CUSTOM_MAX}.",
            f"points[{number - 1}].value",
        )
    label = str(raw.get("label") or "").strip()
    if not label:
        raise ValidationError(f"Point {number}: give it a label.", f"points[{number - 1}].label")
    return ScalePoint(value, label, str(raw.get("descriptor") or "").strip())


def standard_mark(scale: str, custom: Sequence[Mapping[str, object]] | None = None) -> int | None:
    """The mark that meets a criterion on the scale; a custom scale's middle point."""
    if scale in DEFAULT_PASS_MARK:
        return DEFAULT_PASS_MARK[scale]
    if scale != "custom":
        return None
    try:
        values = custom_scale(custom or []).values
    except ValidationError:  # no points yet: nothing to meet
        return None
    return values[len(values) // 2]


def default_pass_mark(
    scale: str, *, essential: bool, custom: Sequence[Mapping[str, object]] | None = None
) -> int | None:
    """A new matrix cell's pass mark: the standard for an essential criterion; none for a
    desirable one, which counts towards the total and the tie-breaks but fails nobody."""
    return standard_mark(scale, custom) if essential else None


def cell_scale_code(cell_scale: str, stage_scale: str) -> str:
    """The scale a matrix cell is scored on: its own, else ("") the stage's."""
    return cell_scale or stage_scale


def clean_cell_scale(value: Any) -> str:
    """A matrix cell's scale: "" for the stage's, a built-in one, or "custom"."""
    if not isinstance(value, str) or value not in ("", *SCALES, "custom"):
        raise ValidationError(f"{value!r} is not a scoring scale.", "scale")
    return value


def scale_for(code: str, custom: Sequence[Mapping[str, object]] | None = None) -> Scale:
    """The built-in scale `code`, or the campaign's own when code is "custom"."""
    if code == "custom":
        return custom_scale(custom or [])
    if code not in SCALES:
        raise ValidationError(f"{code!r} is not a known scoring scale.", "scale")
    return SCALES[code]


# --- stage kinds -----------------------------------------------------------------------

# The kinds at which a panel scores candidates: all but application, offer and checks.
SCORING_KINDS = frozenset(StageKind) - {
    StageKind.APPLICATION,
    StageKind.OFFER,
    StageKind.PRE_EMPLOYMENT_CHECKS,
}
INTERVIEW_KINDS = frozenset(
    {
        StageKind.TELEPHONE_INTERVIEW,
        StageKind.VIDEO_INTERVIEW,
        StageKind.PANEL_INTERVIEW,
        StageKind.ASSESSMENT_CENTRE,
        StageKind.PRESENTATION,
    }
)

# --- panels ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PanelSeat:
    person_id: int
    name: str
    role: str  # a PanelRole code
    panel_number: int = 1


def check_panel(stage_name: str, kind: str, seats: Sequence[PanelSeat]) -> list[Finding]:
    """Warnings about who sits on each of a stage's panels."""
    # Stages that score nobody (application, offer, checks) need no panel.
    if kind not in SCORING_KINDS:
        return []
    if not seats:
        return [
            _warning("panel", "panel", f"{stage_name} has no panel yet; add at least two people.")
        ]
    numbers = sorted({s.panel_number for s in seats})
    found: list[Finding] = []
    for number in numbers:
        panel = [s for s in seats if s.panel_number == number]
        title = (
            f"Panel {number} for {stage_name}"
            if len(numbers) > 1
            else f"The panel for {stage_name}"
        )
        found += _check_one_panel(title, kind, panel)
    return found


def _check_one_panel(title: str, kind: str, panel: list[PanelSeat]) -> list[Finding]:
    found = []
    people = {s.person_id for s in panel}
    if len(people) == 1:
        found.append(
            _warning(
                "panel",
                "panel",
                f"{title} has only one person ({panel[0].name}); "
                "shortlisting and interviews need at least two.",
            )
        )
    if kind in INTERVIEW_KINDS and not any(s.role == PanelRole.INDEPENDENT for s in panel):
        found.append(_warning("panel", "panel", f"{title} has no independent member."))
    chairs = [s.name for s in panel if s.role == PanelRole.CHAIR]
    if len(chairs) > 1:
        found.append(
            _warning(
                "panel",
                "panel",
                f"{title} has {len(chairs)} chairs ({', '.join(chairs)}); choose one.",
            )
        )
    if not chairs:
        found.append(_warning("panel", "panel", f"{title} has no chair."))
    return found


# --- assessment matrix -----------------------------------------------------------------


@dataclass(frozen=True)
class MatrixCriterion:
    code: str
    title: str
    essential: bool
    lead: bool = False


LEAD_SIFT_KINDS = frozenset({StageKind.LEAD_SIFT})


@dataclass(frozen=True)
class MatrixStage:
    name: str
    kind: str
    criteria: tuple[str, ...]  # criterion codes assessed at this stage
    pass_marks: tuple[tuple[str, int], ...] = ()  # (code, pass mark) of cells that set one


def check_matrix(
    criteria: Sequence[MatrixCriterion], stages: Sequence[MatrixStage]
) -> list[Finding]:
    """Which criterion is assessed where: gaps are errors, oddities warnings."""
    by_code = {c.code: c for c in criteria}
    found = _unassessed(criteria, stages)
    found += _lead_first(criteria, stages)
    for index, stage in enumerate(stages):
        found += _stage_criteria(index, stage, by_code)
    return found


def _named(c: MatrixCriterion) -> str:
    return f"{c.title} ({c.code})"


def _unassessed(
    criteria: Sequence[MatrixCriterion], stages: Sequence[MatrixStage]
) -> list[Finding]:
    assessed = {code for s in stages for code in s.criteria}
    return [
        _error(
            "matrix",
            f"criterion:{c.code}",
            f"{_named(c)} is essential but no stage assesses it.",
        )
        for c in criteria
        if c.essential and c.code not in assessed
    ]


def _lead_first(
    criteria: Sequence[MatrixCriterion], stages: Sequence[MatrixStage]
) -> list[Finding]:
    first = next((s for s in stages if s.kind in SCORING_KINDS), None)
    if first is None:
        return []
    return [
        _warning(
            "lead",
            f"criterion:{c.code}",
            f"The lead criterion, {_named(c)}, is not assessed at the first scoring stage, "
            f"{first.name}.",
        )
        for c in criteria
        if c.lead and c.code not in first.criteria
    ]


def _stage_criteria(
    index: int, stage: MatrixStage, by_code: Mapping[str, MatrixCriterion]
) -> list[Finding]:
    field = f"stage:{index}"
    found = []
    if stage.kind in SCORING_KINDS and not stage.criteria:
        found.append(
            _error(
                "matrix",
                field,
                f"{stage.name} scores candidates but assesses no criteria; choose at least one.",
            )
        )
    known = [by_code[code] for code in stage.criteria if code in by_code]
    if stage.kind in LEAD_SIFT_KINDS:
        found += _lead_sift(field, stage, known, by_code)
    if stage.kind == "sift" and known and not any(c.essential for c in known):
        found.append(
            _warning(
                "matrix",
                field,
                f"{stage.name} assesses only desirable criteria; a sift should test "
                "essential ones.",
            )
        )
    found += [
        _warning(
            "matrix",
            field,
            f"{stage.name} assesses {code}, which is not one of the advert's criteria.",
        )
        for code in stage.criteria
        if code not in by_code
    ]
    found += [
        _warning(
            "matrix",
            f"cell:{index}:{code}",
            f"{_named(by_code[code])} is desirable, but {stage.name} gives it a pass mark of "
            f"{mark}: candidates below it will be rejected, even if they meet every essential "
            "criterion.",
        )
        for code, mark in stage.pass_marks
        if code in by_code and not by_code[code].essential and code in stage.criteria
    ]
    return found


def _lead_sift(
    field: str,
    stage: MatrixStage,
    known: Sequence[MatrixCriterion],
    by_code: Mapping[str, MatrixCriterion],
) -> list[Finding]:
    """A pre-sift assesses the lead criteria alone: the rest wait for those who pass."""
    if not any(c.lead for c in by_code.values()):
        return [
            _warning(
                "lead",
                field,
                f"{stage.name} is a pre-sift on the lead criteria, but the advert marks no "
                "criterion as lead.",
            )
        ]
    return [
        _warning(
            "lead",
            f"cell:{field.split(':')[1]}:{c.code}",
            f"{stage.name} is a pre-sift on the lead criteria, but it also assesses "
            f"{_named(c)}, which is not a lead criterion.",
        )
        for c in known
        if not c.lead
    ]


# --- a stage's settings ----------------------------------------------------------------
# The same rules whoever sets them: the stage screen, a campaign file, a role template.

STAGE_NAME_MAX = 200
STAGE_SETTINGS = (
    "name",
    "kind",
    "mode",
    "starts_on",
    "ends_on",
    "scale",
    "custom_scale",
    "pass_mark_total",
    "name_blind",
    "min_assessors",
    "moderation_spread",
    "progress_rule",
    "progress_count",
    "location",
    "video_link",
    "invitations_on",
    "notice_days",
)
MIN_ASSESSORS = (1, 20)
WEIGHT_RANGE = (0, 100)
PASS_MARK_RANGE = (0, 100)


def clean_stage_name(name: Any) -> str:
    if not isinstance(name, str):
        raise ValidationError("The stage name must be text.", "name")
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationError("Give the stage a name.", "name")
    if len(cleaned) > STAGE_NAME_MAX:
        raise ValidationError(
            f"Keep the stage name to {STAGE_NAME_MAX} characters or fewer.", "name"
        )
    return cleaned


def clean_stage_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Check each changed stage setting; a bad value is refused with the field it names."""
    cleaned: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in STAGE_SETTINGS:
            raise ValidationError(f"{name} is not a stage setting.", name)
        cleaned[name] = clean_stage_setting(name, value)
    return cleaned


def _whole(name: str, value: Any, low: int, high: int, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(f"{label} must be a whole number from {low} to {high}.", name)
    return value


def clean_stage_setting(name: str, value: Any) -> Any:
    """One stage setting, checked and tidied."""
    if name == "name":
        return clean_stage_name(value)
    if name == "kind" and (not isinstance(value, str) or value not in StageKind.codes()):
        raise ValidationError(f"{value!r} is not a kind of stage.", name)
    if name == "mode" and (not isinstance(value, str) or value not in StageMode.codes()):
        raise ValidationError(f"{value!r} is not a way of running a stage.", name)
    if (
        name in ("starts_on", "ends_on", "invitations_on")
        and value is not None
        and not isinstance(value, date)
    ):
        raise ValidationError("Give a date.", name)
    if name == "scale" and (not isinstance(value, str) or value not in (*SCALES, "custom")):
        raise ValidationError(f"{value!r} is not a scoring scale.", name)
    if name == "custom_scale":
        if not isinstance(value, list | tuple) or not all(isinstance(p, Mapping) for p in value):
            raise ValidationError("Give each point of the scale a value and a label.", name)
        return (
            list(value)
            if not value
            else [
                {"value": p.value, "label": p.label, "descriptor": p.descriptor}
                for p in custom_scale(list(value)).points
            ]
        )
    if name == "pass_mark_total" and value is not None:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or value < 0
        ):
            raise ValidationError("The overall pass mark must be a number, 0 or more.", name)
        return float(value)
    if name == "name_blind" and not isinstance(value, bool):
        raise ValidationError("Name-blind is yes or no.", name)
    if name == "min_assessors":
        return _whole(name, value, *MIN_ASSESSORS, "The minimum number of assessors")
    if name == "moderation_spread":
        return _whole(name, value, 0, 100, "The spread that calls for moderation")
    if name == "notice_days":
        return _whole(name, value, 0, 30, "The notice period")
    if name == "progress_rule" and (not isinstance(value, str) or value not in PROGRESS_RULES):
        raise ValidationError("Choose who progresses: all who pass, or the top N.", name)
    if name == "progress_count" and value is not None:
        return _whole(name, value, 1, 100_000, "The number who progress")
    if name in ("location", "video_link"):
        text = str(value or "").strip()
        if len(text) > (200 if name == "location" else 500):
            raise ValidationError("That is too long.", name)
        return text
    return value


def check_stage(
    name: str,
    *,
    starts_on: date | None,
    ends_on: date | None,
    progress_rule: str,
    progress_count: int | None,
    scale: str,
    custom_scale: Sequence[Any],
) -> None:
    """The rules between a stage's settings, once each one has passed on its own."""
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError(f"{name} ends before it starts.", "ends_on")
    if progress_rule == "top_n" and not progress_count:
        raise ValidationError("Say how many candidates progress.", "progress_count")
    if scale == "custom" and not custom_scale:
        raise ValidationError("Give the points of the custom scale.", "custom_scale")


def check_stage_name_free(name: str, others: Sequence[str]) -> None:
    """Stage names are told apart ignoring case: commands pick a stage by its name."""
    if any(other.casefold() == name.casefold() for other in others):
        raise ValidationError(f"The campaign already has a stage called {name}.", "name")


# --- a cell of the assessment matrix ---------------------------------------------------


def clean_weight(value: Any) -> float:
    """A criterion's weight at a stage (or in an advert): a number from 0 to 100."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError("The weight must be a number.", "weight")
    low, high = WEIGHT_RANGE
    # NaN fails every comparison, so this refuses it too.
    if not low <= value <= high:
        raise ValidationError(f"Weights run from {low} to {high}.", "weight")
    return float(value)


def clean_pass_mark(value: Any) -> int | None:
    """A criterion's pass mark at a stage: a whole number from 0 to 100, or none."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("The pass mark must be a whole number.", "pass_mark")
    low, high = PASS_MARK_RANGE
    if not low <= value <= high:
        raise ValidationError(f"Pass marks run from {low} to {high}.", "pass_mark")
    return value


# --- stage changes ---------------------------------------------------------------------


def removal_refusal(has_scores: bool, stage_name: str = "This stage") -> str:
    """Why the stage cannot be removed, or "" if it can: what the core refuses with and
    the screen's Remove button says beside itself."""
    if has_scores:
        return f"{stage_name} has scores, so it cannot be removed: candidates' marks would be lost."
    return ""


def can_remove_stage(has_scores: bool, stage_name: str = "This stage") -> None:
    """Refuse to remove a stage whose scores would go with it."""
    reason = removal_refusal(has_scores, stage_name)
    if reason:
        raise ValidationError(reason, "stage")


def reorder(ids: list[int], moved_id: int, new_index: int) -> list[int]:
    """`ids` with `moved_id` moved to `new_index` (clamped, as a drop may land past the end)."""
    if len(set(ids)) != len(ids):
        raise ValidationError("Each stage can appear only once in the order.", "stages")
    if moved_id not in ids:
        raise ValidationError("That stage is not part of this campaign.", "stages")
    rest = [i for i in ids if i != moved_id]
    position = min(max(new_index, 0), len(rest))
    return [*rest[:position], moved_id, *rest[position:]]


def _error(kind: str, field: str, message: str) -> Finding:
    return Finding("error", kind, field, message)


def _warning(kind: str, field: str, message: str) -> Finding:
    return Finding("warning", kind, field, message)
