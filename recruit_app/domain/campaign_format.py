"""The campaign file (recruit-campaign/1): its shape, then each value by the screens' own rules.

Parsing runs in two steps. Pydantic models say what shape and type each value must have
(strictly: "4" is not a whole number, true is not 1, NaN is not a number). The values are
then checked by the same rules the advert, stage and matrix screens apply, so a file can
hold nothing a user could not have typed. Errors are worded for a recruiting manager,
naming the stage and criterion, with the path in the file after them:
"Stage 'Interview', criterion DEV1: the pass mark must be a whole number, not 'four'
(stages[2].criteria[0].pass_mark)."
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pydantic
from pydantic import BaseModel, ConfigDict

from recruit_app.domain.advert_fields import clean_fields
from recruit_app.domain.library_format import (
    CODE_MAX,
    clean_criterion,
    lead_order_problem,
    lower_first,
)
from recruit_app.domain.plan_format import (
    PLAN_LABELS,
    SHAPE_PROBLEMS,
    PlanCellDef,
    PlanCellEntry,
    check_plan,
)
from recruit_app.domain.plans import clean_script
from recruit_app.domain.stage_rules import (
    check_stage,
    check_stage_name_free,
    clean_cell_scale,
    clean_pass_mark,
    clean_stage_changes,
    clean_weight,
    custom_scale,
    default_pass_mark,
)
from recruit_app.domain.timetable import REGIONS, clean_event
from recruit_app.errors import ValidationError

CAMPAIGN_FORMAT = "recruit-campaign/1"
DEFAULT_REGION = "england-and-wales"  # a new campaign's bank holidays
ADVERT_MOMENTS = ("opens_at", "closes_at")

# Library criteria by (framework code, criterion code): the levels each is defined at.
LibraryLevels = Mapping[tuple[str, str], tuple[int, int] | None]


# --- the file's shape ------------------------------------------------------------------


class _Shape(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False, frozen=True)


class LibraryEntry(_Shape):
    framework: str
    criterion: str


class CriterionEntry(_Shape):
    code: str
    title: str
    element: str
    description: str = ""
    essential: bool = True
    level: int | None = None
    weight: float = 1.0
    lead: bool = False
    # A lead criterion's place in the tie-break order (1 first); 0 or null: none.
    lead_rank: int | None = 0
    library: LibraryEntry | None = None


class ScalePointEntry(_Shape):
    value: int
    label: str
    descriptor: str = ""


class CellEntry(_Shape):
    code: str
    weight: float = 1.0
    pass_mark: int | None = None
    # The cell's own scale ("" the stage's): a strength on its 1 to 4 in a 1 to 7 interview.
    scale: str = ""
    custom_scale: list[ScalePointEntry] = []


class StageEntry(_Shape):
    # What a missing setting means; a stage added on the screen starts the same way.
    name: str
    kind: str = "custom"
    mode: str = ""
    scale: str = "sp7"
    custom_scale: list[ScalePointEntry] = []
    pass_mark_total: float | None = None
    name_blind: bool = False
    min_assessors: int = 2
    moderation_spread: int = 2
    progress_rule: str = "all_passing"
    progress_count: int | None = None
    starts_on: str | None = None
    ends_on: str | None = None
    criteria: list[CellEntry] = []
    # The question plan of an interview-like stage, by criterion, and the chair's script.
    plan: list[PlanCellEntry] = []
    welcome_script: str = ""
    close_script: str = ""


class EventEntry(_Shape):
    title: str
    starts_on: str
    ends_on: str | None = None
    note: str = ""


class TimetableFileEntry(_Shape):
    # A file from before the timetable was carried gets what a new campaign has.
    holiday_region: str = DEFAULT_REGION
    decisions_on: str | None = None
    expected_start_on: str | None = None
    events: list[EventEntry] = []


class CampaignEntry(_Shape):
    format: str
    reference: str = ""
    title: str = ""
    template_code: str = ""
    advert: dict[str, Any] = {}
    criteria: list[CriterionEntry] = []
    stages: list[StageEntry] = []
    timetable: TimetableFileEntry = TimetableFileEntry()


STAGE_FILE_FIELDS = (
    "name",
    "kind",
    "mode",
    "scale",
    "custom_scale",
    "pass_mark_total",
    "name_blind",
    "min_assessors",
    "moderation_spread",
    "progress_rule",
    "progress_count",
)

# --- what comes out --------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignCriterion:
    code: str
    title: str
    description: str
    element: str
    essential: bool
    level: int | None
    weight: float
    lead: bool
    library: tuple[str, str] | None  # (framework code, criterion code)
    lead_rank: int = 0  # the place in the lead order: 1 first; 0 none


@dataclass(frozen=True)
class CampaignCell:
    code: str
    weight: float
    pass_mark: int | None
    scale: str = ""  # its own scale; "" the stage's
    custom_scale: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class CampaignStage:
    settings: Mapping[str, Any]  # STAGE_FILE_FIELDS, checked by the stage screen's rules
    starts_on: date | None
    ends_on: date | None
    cells: tuple[CampaignCell, ...]
    plan: tuple[PlanCellDef, ...] = ()  # each for one of the stage's cells
    welcome_script: str = ""
    close_script: str = ""


@dataclass(frozen=True)
class CampaignEvent:
    title: str
    starts_on: date
    ends_on: date | None
    note: str


@dataclass(frozen=True)
class CampaignTimetable:
    holiday_region: str = DEFAULT_REGION
    decisions_on: date | None = None
    expected_start_on: date | None = None
    events: tuple[CampaignEvent, ...] = ()


@dataclass(frozen=True)
class CampaignDefinition:
    reference: str
    title: str
    template_code: str
    advert: Mapping[str, Any]  # advert fields, checked by the advert form's rules
    criteria: tuple[CampaignCriterion, ...]
    stages: tuple[CampaignStage, ...]
    timetable: CampaignTimetable = CampaignTimetable()


# --- parsing ---------------------------------------------------------------------------


def parse_campaign(data: Any, library: LibraryLevels) -> CampaignDefinition:
    """A checked campaign definition, or ValidationError naming the first thing wrong."""
    if not isinstance(data, dict) or data.get("format") != CAMPAIGN_FORMAT:
        raise ValidationError(
            f"It is not a Recruit campaign file (format {CAMPAIGN_FORMAT}).", "format"
        )
    try:
        entry = CampaignEntry.model_validate(data)
    except pydantic.ValidationError as exc:
        raise _worded(exc.errors()[0], data) from None
    where = _Where(data)
    if len(entry.template_code) > CODE_MAX:
        raise where.error(
            ("template_code",), f"The template code must be {CODE_MAX} characters or fewer."
        )
    criteria = _criteria(entry, library, where)
    codes = {c.code.casefold(): c.code for c in criteria}
    essential = {c.code: c.essential for c in criteria}
    stages = tuple(
        _stage(index, stage, codes, essential, where) for index, stage in enumerate(entry.stages)
    )
    names = [s.settings["name"] for s in stages]
    for index, name in enumerate(names):
        try:
            check_stage_name_free(name, names[:index])
        except ValidationError as exc:
            raise where.error(("stages", index, "name"), exc.message) from None
    return CampaignDefinition(
        reference=entry.reference,
        title=entry.title,
        template_code=entry.template_code,
        advert=_advert(entry.advert, where),
        criteria=criteria,
        stages=stages,
        timetable=_timetable(entry.timetable, where),
    )


def _timetable(entry: TimetableFileEntry, where: _Where) -> CampaignTimetable:
    """The key dates, bank holiday region and events, by the timetable tab's own rules."""
    if entry.holiday_region not in REGIONS:
        raise where.error(
            ("timetable", "holiday_region"),
            f"{_shown(entry.holiday_region)} is not a bank holiday region: use "
            f"{', '.join(REGIONS)}.",
        )
    events = []
    for index, event in enumerate(entry.events):
        at = ("timetable", "events", index)
        starts_on = _day(event.starts_on, (*at, "starts_on"), where)
        if starts_on is None:
            raise where.error((*at, "starts_on"), "The start date is missing.")
        ends_on = _day(event.ends_on, (*at, "ends_on"), where)
        try:
            title = clean_event(event.title, starts_on, ends_on, event.note)
        except ValidationError as exc:
            raise where.error((*at, exc.field or ""), exc.message) from None
        events.append(CampaignEvent(title, starts_on, ends_on, event.note))
    return CampaignTimetable(
        holiday_region=entry.holiday_region,
        decisions_on=_day(entry.decisions_on, ("timetable", "decisions_on"), where),
        expected_start_on=_day(entry.expected_start_on, ("timetable", "expected_start_on"), where),
        # In date order, as the timetable lists them (and a file exports them).
        events=tuple(sorted(events, key=lambda event: event.starts_on)),
    )


def _advert(values: Mapping[str, Any], where: _Where) -> dict[str, Any]:
    fields = dict(values)
    for name in ADVERT_MOMENTS:
        if isinstance(fields.get(name), str):
            fields[name] = _moment(fields[name], name, where)
    try:
        return clean_fields(fields)
    except ValidationError as exc:
        raise where.error(("advert", exc.field or ""), exc.message) from None


def _moment(text: str, name: str, where: _Where) -> datetime | None:
    if not text.strip():
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise where.error(
            ("advert", name),
            f"{_shown(text)} is not a date and time with its time zone, such as "
            "2026-11-15T23:55:00+00:00.",
        )
    return moment


def _criteria(
    entry: CampaignEntry, library: LibraryLevels, where: _Where
) -> tuple[CampaignCriterion, ...]:
    found: list[CampaignCriterion] = []
    seen: set[str] = set()
    for index, item in enumerate(entry.criteria):
        ref = (item.library.framework, item.library.criterion) if item.library else None
        if ref not in library:
            ref = None  # from a framework this library lacks: kept as free text
        try:
            code, title, weight = clean_criterion(
                item.code,
                item.title,
                item.element,
                level=item.level,
                weight=item.weight,
                description=item.description,
                level_range=library.get(ref) if ref else None,
            )
        except ValidationError as exc:
            raise where.error(("criteria", index, exc.field or ""), exc.message) from None
        if code.casefold() in seen:
            raise where.error(
                ("criteria", index, "code"), f"The code {code} is used by two criteria."
            )
        seen.add(code.casefold())
        found.append(
            CampaignCriterion(
                code=code,
                title=title,
                description=item.description,
                element=item.element,
                essential=item.essential,
                level=item.level,
                weight=weight,
                lead=item.lead,
                library=ref,
                lead_rank=item.lead_rank or 0,
            )
        )
    problem = lead_order_problem([(c.code, c.lead, c.lead_rank) for c in found])
    if problem is not None:
        index, message = problem
        raise where.error(("criteria", index, "lead_rank"), message)
    return tuple(found)


def _stage(
    index: int,
    stage: StageEntry,
    codes: Mapping[str, str],
    essential: Mapping[str, bool],
    where: _Where,
) -> CampaignStage:
    at = ("stages", index)
    given = {name: getattr(stage, name) for name in STAGE_FILE_FIELDS}
    given["custom_scale"] = [point.model_dump() for point in stage.custom_scale]
    try:
        settings = clean_stage_changes(given)
    except ValidationError as exc:
        # The scale's own rule names its points "points[1].value"; here they are custom_scale.
        field = (exc.field or "").replace("points", "custom_scale", 1)
        raise where.error((*at, field), exc.message) from None
    starts_on = _day(stage.starts_on, (*at, "starts_on"), where)
    ends_on = _day(stage.ends_on, (*at, "ends_on"), where)
    try:
        check_stage(
            settings["name"],
            starts_on=starts_on,
            ends_on=ends_on,
            progress_rule=settings["progress_rule"],
            progress_count=settings["progress_count"],
            scale=settings["scale"],
            custom_scale=settings["custom_scale"],
        )
    except ValidationError as exc:
        raise where.error((*at, exc.field or ""), exc.message) from None
    cells: list[CampaignCell] = []
    for number, cell in enumerate(stage.criteria):
        spot = (*at, "criteria", number)
        code = codes.get(cell.code.casefold())
        if code is None:
            raise where.error(
                (*spot, "code"), f"{_shown(cell.code)} is not one of the campaign's criteria."
            )
        if any(c.code == code for c in cells):
            raise where.error((*at, "criteria"), f"{code} is assessed twice at this stage.")
        own = [point.model_dump() for point in cell.custom_scale]
        try:
            weight, pass_mark = clean_weight(cell.weight), clean_pass_mark(cell.pass_mark)
            own_scale = clean_cell_scale(cell.scale)
            if own_scale == "custom":
                custom_scale(own)
        except ValidationError as exc:
            field = (exc.field or "").replace("points", "custom_scale", 1)
            raise where.error((*spot, field), exc.message) from None
        if own and own_scale != "custom":
            raise where.error(
                (*spot, "custom_scale"), "Points belong only to a cell whose scale is custom."
            )
        if "pass_mark" not in cell.model_fields_set:
            # Saying nothing gets what ticking the cell on screen gets: the scale's mark
            # for an essential criterion, none for a desirable one. `null` means none.
            pass_mark = default_pass_mark(
                own_scale or settings["scale"],
                essential=essential[code],
                custom=own if own_scale else settings["custom_scale"],
            )
        cells.append(CampaignCell(code, weight, pass_mark, own_scale, tuple(own)))
    scripts = {}
    for name in ("welcome_script", "close_script"):
        try:
            scripts[name] = clean_script(getattr(stage, name), name)
        except ValidationError as exc:
            raise where.error((*at, name), exc.message) from None
    return CampaignStage(
        settings,
        starts_on,
        ends_on,
        tuple(cells),
        _plan(stage, at, [c.code for c in cells], where),
        **scripts,
    )


def _plan(
    stage: StageEntry, at: tuple[Any, ...], assessed: list[str], where: _Where
) -> tuple[PlanCellDef, ...]:
    """The stage's question plan, each entry for one of the criteria it assesses."""
    return check_plan(stage.plan, assessed, lambda loc, message: where.error((*at, *loc), message))


def _day(text: str | None, at: tuple[Any, ...], where: _Where) -> date | None:
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise where.error(at, f"{_shown(text)} is not a date written YYYY-MM-DD.") from None


# --- messages --------------------------------------------------------------------------

# Fields as a recruiting manager would name them.
LABELS = {
    "name": "the name",
    "kind": "the kind of stage",
    "mode": "the way it is run",
    "scale": "the scoring scale",
    "custom_scale": "the custom scale",
    "pass_mark_total": "the overall pass mark",
    "name_blind": "name-blind",
    "min_assessors": "the minimum number of assessors",
    "moderation_spread": "the spread that calls for moderation",
    "progress_rule": "who progresses",
    "progress_count": "the number who progress",
    "starts_on": "the start date",
    "ends_on": "the end date",
    "criteria": "the criteria",
    "code": "the code",
    "title": "the title",
    "element": "the element",
    "description": "the description",
    "essential": "essential",
    "level": "the level",
    "weight": "the weight",
    "lead": "lead",
    "lead_rank": "the place in the lead order",
    "library": "the library reference",
    "framework": "the framework",
    "criterion": "the criterion",
    "pass_mark": "the pass mark",
    "value": "the value",
    "label": "the label",
    "descriptor": "the descriptor",
    "reference": "the reference",
    "template_code": "the template code",
    "advert": "the advert",
    "stages": "the stages",
    "format": "the format",
    "timetable": "the timetable",
    "holiday_region": "the bank holiday region",
    "decisions_on": "the decisions date",
    "expected_start_on": "the expected start date",
    "events": "the events",
    "note": "the note",
    **PLAN_LABELS,
    "welcome_script": "the welcome script",
    "close_script": "the close script",
}
PROBLEMS = SHAPE_PROBLEMS
_SCALARS = (str, int, float, bool)
DATE_FIELDS = ("starts_on", "ends_on", "decisions_on", "expected_start_on", "sent_on")


class _Where:
    """Turns a path in the file into words: "Stage 'Interview', criterion DEV1"."""

    def __init__(self, data: Any) -> None:
        self.data = data

    def error(self, loc: tuple[Any, ...], message: str) -> ValidationError:
        """A rule's message, put after the words for where it applies."""
        place, _field = self.place(loc)
        sentence = lower_first(message).rstrip(".")
        return ValidationError(f"{place}: {sentence} ({_path(loc)}).", _path(loc))

    def place(self, loc: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
        """The words for where `loc` is, and what is left of it: the field there."""
        top = loc[0] if loc else ""
        if top == "stages" and len(loc) > 1 and isinstance(loc[1], int):
            stage = self._item("stages", loc[1])
            words = f"Stage {_name_of(stage, 'name', loc[1])}"
            if len(loc) > 3 and loc[2] == "criteria" and isinstance(loc[3], int):
                cell = self._child(stage, "criteria", loc[3])
                return f"{words}, criterion {_code_of(cell, loc[3])}", loc[4:]
            if len(loc) > 3 and loc[2] == "custom_scale" and isinstance(loc[3], int):
                return f"{words}, scale point {loc[3] + 1}", loc[4:]
            if len(loc) > 3 and loc[2] == "plan" and isinstance(loc[3], int):
                entry = self._child(stage, "plan", loc[3])
                words += f", plan for {_criterion_of(entry, loc[3])}"
                if len(loc) > 5 and loc[4] == "questions" and isinstance(loc[5], int):
                    return f"{words}, question {loc[5] + 1}", loc[6:]
                return words, loc[4:]
            return words, loc[2:]
        if top == "criteria" and len(loc) > 1 and isinstance(loc[1], int):
            return f"Criterion {_code_of(self._item('criteria', loc[1]), loc[1])}", loc[2:]
        if top == "advert" and len(loc) > 1:
            return "The advert", loc[1:]
        if top == "timetable" and len(loc) > 2 and loc[1] == "events" and isinstance(loc[2], int):
            timetable = self.data.get("timetable") if isinstance(self.data, dict) else None
            event = self._child(timetable, "events", loc[2])
            return f"Timetable event {_name_of(event, 'title', loc[2])}", loc[3:]
        if top == "timetable" and len(loc) > 1:
            return "The timetable", loc[1:]
        return "The campaign", loc

    def _item(self, key: str, index: int) -> Any:
        return self._child(self.data, key, index)

    @staticmethod
    def _child(parent: Any, key: str, index: int) -> Any:
        items = parent.get(key) if isinstance(parent, dict) else None
        return items[index] if isinstance(items, list) and index < len(items) else None


def _worded(error: Mapping[str, Any], data: Any) -> ValidationError:
    """A pydantic error as a sentence about the campaign, naming where it is."""
    loc = tuple(error["loc"])
    where = _Where(data)
    place, rest = where.place(loc)
    field = next((part for part in reversed(rest) if isinstance(part, str)), None)
    kind = error["type"]
    if kind == "extra_forbidden":
        sentence = f"{field} is not something a campaign file can hold"
    else:
        label = LABELS.get(field, field.replace("_", " ")) if field else "it"
        problem = PROBLEMS.get(kind, lower_first(str(error["msg"])))
        if field in DATE_FIELDS and kind == "string_type":
            problem = "must be a date written YYYY-MM-DD"
        sentence = f"{label} {problem}"
        value = error.get("input")
        if kind != "missing" and isinstance(value, _SCALARS):
            sentence += f", not {_shown(value)}"
    return ValidationError(f"{place}: {sentence} ({_path(loc)}).", _path(loc))


def _name_of(item: Any, key: str, index: int) -> str:
    name = item.get(key) if isinstance(item, dict) else None
    if isinstance(name, str) and name.strip():
        return _shown(" ".join(name.split()))
    return str(index + 1)


def _criterion_of(item: Any, index: int) -> str:
    code = item.get("criterion") if isinstance(item, dict) else None
    if isinstance(code, str) and code.strip() and len(code) <= CODE_MAX:
        return code.strip()
    return str(index + 1)


def _code_of(item: Any, index: int) -> str:
    code = item.get("code") if isinstance(item, dict) else None
    if isinstance(code, str) and code.strip() and len(code) <= CODE_MAX:
        return code.strip()
    return str(index + 1)


def _path(loc: tuple[Any, ...]) -> str:
    """("stages", 2, "criteria", 0, "pass_mark") as stages[2].criteria[0].pass_mark."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part:
            text += f".{part}" if text else str(part)
    return text


def _shown(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
