"""The template library's exchange formats: frameworks, role templates and questions.

Plain dictionaries (parsed JSON) and CSV rows in, validated frozen dataclasses out, and
back again. Every error names where it is: a JSON path such as
`criteria[3].levels[1].level`, or a CSV line and column. Export then import gives back
exactly the same definition.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from recruit_app.domain.advert_fields import FIELDS as ADVERT_FIELDS
from recruit_app.domain.advert_fields import TEXT_LIMIT, clean_field
from recruit_app.domain.plan_format import (
    Loc,
    PlanCellDef,
    check_plan,
    parse_plan_shape,
    plan_to_json,
)
from recruit_app.domain.plans import SCRIPT_MAX
from recruit_app.domain.stage_rules import (
    MIN_ASSESSORS,
    check_stage_name_free,
    clean_pass_mark,
    clean_stage_name,
    clean_weight,
)
from recruit_app.errors import ValidationError
from recruit_app.vocabulary import LEVELLED_ELEMENTS, Element, StageKind, StageMode

LEVEL_MIN, LEVEL_MAX = 1, 9

FRAMEWORK_FORMAT = "recruit-framework/1"
TEMPLATE_FORMAT = "recruit-role-template/1"
QUESTIONS_FORMAT = "recruit-questions/1"

CODE_MAX, NAME_MAX, TEXT_MAX, INDICATOR_MAX = 40, 200, 20_000, 1_000
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

# Advert fields a role template may pre-fill, with their types.
TEMPLATE_ADVERT_FIELDS: dict[str, type] = {
    "contract_type": str,
    "business_area": str,
    "role_types": list,
    "working_patterns": list,
    "posts": int,
    "locations": list,
    "pay_zones": list,
    "allowance": str,
    "job_description": str,
    "responsibilities": str,
    "person_specification": str,
    "qualifications": str,
    "benefits": str,
    "selection_process": str,
    "security_clearance": str,
    "nationality_statement": str,
    "guaranteed_interview_statement": str,
    "reserve_list_months": int,
}


# --- definitions ---------------------------------------------------------------------


@dataclass(frozen=True)
class LevelDef:
    level: int
    title: str = ""
    grades: str = ""
    description: str = ""
    positive_indicators: tuple[str, ...] = ()
    negative_indicators: tuple[str, ...] = ()


@dataclass(frozen=True)
class CriterionDef:
    code: str
    name: str
    element: str
    description: str = ""
    cluster: str = ""
    levels: tuple[LevelDef, ...] = ()

    @property
    def level_range(self) -> tuple[int, int] | None:
        if not self.levels:
            return None
        numbers = [lv.level for lv in self.levels]
        return min(numbers), max(numbers)

    def level(self, number: int) -> LevelDef | None:
        return next((lv for lv in self.levels if lv.level == number), None)


@dataclass(frozen=True)
class FrameworkDef:
    code: str
    name: str
    description: str = ""
    edition: str = ""
    criteria: tuple[CriterionDef, ...] = ()

    def criterion(self, code: str) -> CriterionDef | None:
        return next((c for c in self.criteria if c.code == code), None)


@dataclass(frozen=True)
class TemplateCriterionDef:
    """A criterion a role template asks for: a library reference or free text."""

    code: str
    element: str
    title: str = ""
    description: str = ""
    framework: str = ""  # library framework code, empty for free text
    criterion: str = ""  # library criterion code within that framework
    level: int | None = None
    essential: bool = True
    lead: bool = False
    weight: float = 1.0
    # A lead criterion's place in the tie-break order: 1 first, 2 next; 0 for a lead with
    # no place (after the ordered ones, in the template's order) and for every other.
    lead_rank: int = 0


@dataclass(frozen=True)
class TemplateStageDef:
    name: str
    kind: str = "custom"
    mode: str = ""
    name_blind: bool = False
    min_assessors: int = 2
    pass_mark: int | None = None
    criteria: tuple[str, ...] = ()  # TemplateCriterionDef codes assessed at this stage
    # The question plan, by criterion assessed here, and the chair's scripts: a campaign
    # made from the template starts with them.
    plan: tuple[PlanCellDef, ...] = ()
    welcome_script: str = ""
    close_script: str = ""


@dataclass(frozen=True)
class RoleTemplateDef:
    code: str
    title: str
    grade: str = ""
    summary: str = ""
    advert: Mapping[str, Any] = field(default_factory=dict)
    criteria: tuple[TemplateCriterionDef, ...] = ()
    stages: tuple[TemplateStageDef, ...] = ()


@dataclass(frozen=True)
class QuestionDef:
    framework: str
    criterion: str
    text: str
    level: int | None = None
    probes: tuple[str, ...] = ()


# --- a criterion an advert or template asks for ---------------------------------------

CRITERION_TITLE_MAX = 300


def clean_criterion(
    code: Any,
    title: Any,
    element: Any,
    *,
    level: Any = None,
    weight: Any = 1.0,
    description: Any = "",
    level_range: tuple[int, int] | None = None,
) -> tuple[str, str, float]:
    """The rules for a criterion on an advert or in a role template, whoever gives it.

    Returns the code and title tidied and the weight as a number; messages leave the
    criterion to the caller to name.
    """
    if not isinstance(code, str) or not code.strip() or len(code.strip()) > CODE_MAX:
        raise ValidationError(f"Give a code of up to {CODE_MAX} characters.", "code")
    if not isinstance(title, str):
        raise ValidationError("The title must be text.", "title")
    title = " ".join(title.split())
    if not title or len(title) > CRITERION_TITLE_MAX:
        raise ValidationError(f"Give a title of up to {CRITERION_TITLE_MAX} characters.", "title")
    if element not in Element.codes():
        raise ValidationError("Choose the Success Profiles element.", "element")
    low, high = level_range or (LEVEL_MIN, LEVEL_MAX)
    if level is not None:
        if isinstance(level, bool) or not isinstance(level, int):
            raise ValidationError("The level must be a whole number.", "level")
        if not low <= level <= high:
            raise ValidationError(f"The level must be from {low} to {high}.", "level")
    if not isinstance(description, str):
        raise ValidationError("The description must be text.", "description")
    if len(description) > TEXT_LIMIT:
        raise ValidationError("The description is too long.", "description")
    return code.strip(), title, clean_weight(weight)


# Places in the lead order: more than any advert has criteria it would rank.
LEAD_RANK_MAX = 20


def lead_order_problem(criteria: Sequence[tuple[str, bool, Any]]) -> tuple[int, str] | None:
    """The first thing wrong with an order of lead criteria, given as (code, lead, rank) in
    the advert's order: where it is (an index) and what, or None.

    Several criteria may be lead, each with its own place in the tie-break order (1 first),
    or with none (0: after the ordered ones). A criterion that is not lead has no place.
    """
    seen: dict[int, str] = {}
    for index, (code, lead, rank) in enumerate(criteria):
        if isinstance(rank, bool) or not isinstance(rank, int) or not 0 <= rank <= LEAD_RANK_MAX:
            return index, f"The lead order must be a whole number from 0 to {LEAD_RANK_MAX}."
        if not rank:
            continue
        if not lead:
            return index, (
                f"{code} is not a lead criterion, so it has no place in the lead order: "
                "make it lead, or give it lead_rank 0."
            )
        if rank in seen:
            return index, (
                f"{seen[rank]} and {code} are both lead criterion {rank}; give each lead its "
                "own place in the order."
            )
        seen[rank] = code
    return None


def lower_first(message: str) -> str:
    """A sentence made to follow a colon: "Weights run..." becomes "weights run..."."""
    return message[:1].lower() + message[1:] if message[1:2].islower() else message


# --- reading helpers -----------------------------------------------------------------


class _Reader:
    """Typed access to a parsed JSON object, with the path for error messages."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, Mapping):
            raise ValidationError(f"{path or 'The file'} must be an object ({{...}}).", path)
        self.data = data
        self.path = path

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def text(self, key: str, *, required: bool = False, limit: int = TEXT_MAX) -> str:
        value = self.data.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise ValidationError(f"{self.at(key)} must be text.", self.at(key))
        value = value.strip()
        if required and not value:
            raise ValidationError(f"{self.at(key)} must not be empty.", self.at(key))
        if len(value) > limit:
            raise ValidationError(
                f"{self.at(key)} is {len(value)} characters long; the limit is {limit}.",
                self.at(key),
            )
        if "\x00" in value:
            raise ValidationError(f"{self.at(key)} contains a NUL character.", self.at(key))
        return value

    def code(self, key: str) -> str:
        value = self.text(key, required=True, limit=CODE_MAX)
        if not CODE_PATTERN.match(value):
            raise ValidationError(
                f"{self.at(key)} {value!r} may hold letters, digits and . _ - only.", self.at(key)
            )
        return value

    def integer(
        self,
        key: str,
        default: int | None = None,
        *,
        low: int | None = None,
        high: int | None = None,
    ) -> int | None:
        value = self.data.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"{self.at(key)} must be a whole number.", self.at(key))
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValidationError(
                f"{self.at(key)} is {value}; it must be between {low} and {high}.", self.at(key)
            )
        return value

    def rule(self, key: str, check: Callable[[Any], Any], default: Any = None) -> Any:
        """The value checked by a rule shared with the screens, its message put at its path."""
        try:
            return check(self.data.get(key, default))
        except ValidationError as exc:
            raise ValidationError(
                f"{self.at(key)}: {lower_first(exc.message)}", self.at(key)
            ) from None

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise ValidationError(f"{self.at(key)} must be true or false.", self.at(key))
        return value

    def items(self, key: str) -> list[Any]:
        value = self.data.get(key, [])
        if not isinstance(value, list):
            raise ValidationError(f"{self.at(key)} must be a list ([...]).", self.at(key))
        return value

    def strings(self, key: str, limit: int = INDICATOR_MAX) -> tuple[str, ...]:
        result = []
        for index, item in enumerate(self.items(key)):
            where = f"{self.at(key)}[{index}]"
            if not isinstance(item, str) or not item.strip():
                raise ValidationError(f"{where} must be non-empty text.", where)
            if len(item) > limit:
                raise ValidationError(f"{where} is longer than {limit} characters.", where)
            if "\x00" in item:
                raise ValidationError(f"{where} contains a NUL character.", where)
            result.append(item.strip())
        return tuple(result)


def _check_format(data: Any, expected: str) -> None:
    if isinstance(data, Mapping) and data.get("format") not in (None, expected):
        raise ValidationError(
            f"format is {_shown(data.get('format'))}, but this needs {expected!r}.", "format"
        )


# --- frameworks ----------------------------------------------------------------------


def parse_framework(data: Any) -> FrameworkDef:
    _check_format(data, FRAMEWORK_FORMAT)
    top = _Reader(data, "")
    criteria = []
    seen: set[str] = set()
    for index, item in enumerate(top.items("criteria")):
        criterion = _parse_criterion(_Reader(item, f"criteria[{index}]"))
        if criterion.code.casefold() in seen:
            raise ValidationError(
                f"criteria[{index}].code {criterion.code!r} is used twice in this framework.",
                f"criteria[{index}].code",
            )
        seen.add(criterion.code.casefold())
        criteria.append(criterion)
    return FrameworkDef(
        code=top.code("code"),
        name=top.text("name", required=True, limit=NAME_MAX),
        description=top.text("description"),
        edition=top.text("edition", limit=CODE_MAX),
        criteria=tuple(criteria),
    )


def _parse_criterion(item: _Reader) -> CriterionDef:
    element = item.text("element", required=True).upper()
    if element not in Element.codes():
        raise ValidationError(
            f"{item.at('element')} {_shown(element)} is not one of {', '.join(Element)}.",
            item.at("element"),
        )
    levels = [
        _parse_level(_Reader(lv, f"{item.at('levels')}[{i}]"))
        for i, lv in enumerate(item.items("levels"))
    ]
    criterion = CriterionDef(
        code=item.code("code"),
        name=item.text("name", required=True, limit=NAME_MAX),
        element=element,
        description=item.text("description"),
        cluster=item.text("cluster", limit=NAME_MAX),
        levels=tuple(sorted(levels, key=lambda lv: lv.level)),
    )
    check_levels(criterion, item.at("levels"))
    return criterion


def check_levels(criterion: CriterionDef, where: str) -> None:
    """Levelled elements need levels; numbers must be unique and without gaps."""
    numbers = [lv.level for lv in criterion.levels]
    if not numbers:
        if criterion.element in LEVELLED_ELEMENTS:
            raise ValidationError(
                f"{criterion.code} ({Element(criterion.element).label}) has no levels; "
                "give it at least one.",
                where,
            )
        return
    duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
    if duplicates:
        raise ValidationError(f"{criterion.code} has level {duplicates[0]} twice.", where)
    missing = sorted(set(range(min(numbers), max(numbers) + 1)) - set(numbers))
    if missing:
        listed = ", ".join(str(n) for n in missing)
        raise ValidationError(
            f"{criterion.code} has levels {min(numbers)} to {max(numbers)} but is missing "
            f"level {listed}.",
            where,
        )


def _parse_level(item: _Reader) -> LevelDef:
    level = item.integer("level", low=LEVEL_MIN, high=LEVEL_MAX)
    if level is None:
        raise ValidationError(f"{item.at('level')} is missing.", item.at("level"))
    return LevelDef(
        level=level,
        title=item.text("title", limit=NAME_MAX),
        grades=item.text("grades", limit=NAME_MAX),
        description=item.text("description"),
        positive_indicators=item.strings("positive_indicators"),
        negative_indicators=item.strings("negative_indicators"),
    )


def framework_to_dict(framework: FrameworkDef) -> dict[str, Any]:
    return {
        "format": FRAMEWORK_FORMAT,
        "code": framework.code,
        "name": framework.name,
        "edition": framework.edition,
        "description": framework.description,
        "criteria": [
            {
                "code": c.code,
                "name": c.name,
                "element": c.element,
                "cluster": c.cluster,
                "description": c.description,
                "levels": [
                    {
                        "level": lv.level,
                        "title": lv.title,
                        "grades": lv.grades,
                        "description": lv.description,
                        "positive_indicators": list(lv.positive_indicators),
                        "negative_indicators": list(lv.negative_indicators),
                    }
                    for lv in c.levels
                ],
            }
            for c in framework.criteria
        ],
    }


# One row per criterion level (a criterion without levels has one row with level empty).
# Indicators sit one per line inside their cell.
FRAMEWORK_CSV_COLUMNS = (
    "framework_code",
    "framework_name",
    "framework_edition",
    "framework_description",
    "criterion_code",
    "criterion_name",
    "element",
    "cluster",
    "criterion_description",
    "level",
    "level_title",
    "grades",
    "level_description",
    "positive_indicators",
    "negative_indicators",
)


def framework_to_rows(framework: FrameworkDef) -> list[dict[str, str]]:
    head = {
        "framework_code": framework.code,
        "framework_name": framework.name,
        "framework_edition": framework.edition,
        "framework_description": framework.description,
    }
    rows = []
    for c in framework.criteria:
        base = {
            **head,
            "criterion_code": c.code,
            "criterion_name": c.name,
            "element": c.element,
            "cluster": c.cluster,
            "criterion_description": c.description,
        }
        empty_level = {
            "level": "",
            "level_title": "",
            "grades": "",
            "level_description": "",
            "positive_indicators": "",
            "negative_indicators": "",
        }
        if not c.levels:
            rows.append({**base, **empty_level})
        for lv in c.levels:
            rows.append(
                {
                    **base,
                    "level": str(lv.level),
                    "level_title": lv.title,
                    "grades": lv.grades,
                    "level_description": lv.description,
                    "positive_indicators": "\n".join(lv.positive_indicators),
                    "negative_indicators": "\n".join(lv.negative_indicators),
                }
            )
    if not framework.criteria:
        rows.append({**head, **{k: "" for k in FRAMEWORK_CSV_COLUMNS if k not in head}})
    return rows


def _line_numbers(rows: Sequence[Any], lines: Sequence[int] | None) -> list[int]:
    """The file line each row starts on (rows may span lines when cells hold newlines)."""
    return list(lines) if lines is not None else [n + 2 for n in range(len(rows))]


def framework_from_rows(
    rows: Sequence[Mapping[str, str]], lines: Sequence[int] | None = None
) -> FrameworkDef:
    """Rebuild a framework from CSV rows; `lines` gives each row's line in the file."""
    if not rows:
        raise ValidationError("The file has no rows under its header.")
    _require_columns(rows[0], FRAMEWORK_CSV_COLUMNS)
    head = rows[0]
    numbers = _line_numbers(rows, lines)
    first_line = numbers[0]
    criteria: dict[str, dict[str, Any]] = {}
    for offset, row in enumerate(rows):
        line = numbers[offset]
        for key in (
            "framework_code",
            "framework_name",
            "framework_edition",
            "framework_description",
        ):
            if (row.get(key) or "") != (head.get(key) or ""):
                raise ValidationError(
                    f"Line {line}, column {key}: every row must name the same framework "
                    f"as line {first_line}.",
                    key,
                )
        code = (row.get("criterion_code") or "").strip()
        if not code:
            if len(rows) == 1 and not any(row.get(k) for k in FRAMEWORK_CSV_COLUMNS[4:]):
                break  # a framework with no criteria yet
            raise ValidationError(
                f"Line {line}, column criterion_code: it is empty.", "criterion_code"
            )
        entry = criteria.setdefault(
            code,
            {
                "code": code,
                "name": row.get("criterion_name", ""),
                "element": row.get("element", ""),
                "cluster": row.get("cluster", ""),
                "description": row.get("criterion_description", ""),
                "levels": [],
                "line": line,
            },
        )
        for key, column in (
            ("name", "criterion_name"),
            ("element", "element"),
            ("cluster", "cluster"),
            ("description", "criterion_description"),
        ):
            if (row.get(column) or "") != entry[key]:
                raise ValidationError(
                    f"Line {line}, column {column}: differs from line {entry['line']} for "
                    f"criterion {code}.",
                    column,
                )
        level_text = (row.get("level") or "").strip()
        if level_text:
            if not _WHOLE.fullmatch(level_text):
                raise ValidationError(
                    f"Line {line}, column level: {_shown(level_text)} is not a whole number.",
                    "level",
                )
            entry["levels"].append(
                {
                    "level": int(level_text),
                    "title": row.get("level_title", ""),
                    "grades": row.get("grades", ""),
                    "description": row.get("level_description", ""),
                    "positive_indicators": _lines(row.get("positive_indicators", "")),
                    "negative_indicators": _lines(row.get("negative_indicators", "")),
                    "line": line,
                }
            )
    data = {
        "code": head.get("framework_code", ""),
        "name": head.get("framework_name", ""),
        "edition": head.get("framework_edition", ""),
        "description": head.get("framework_description", ""),
        "criteria": list(criteria.values()),
    }
    try:
        return parse_framework(data)
    except ValidationError as exc:
        raise ValidationError(_line_of(exc, criteria, first_line), exc.field) from None


def _lines(cell: str) -> list[str]:
    return [line for line in (cell or "").splitlines() if line.strip()]


def _require_columns(row: Mapping[str, str], columns: Iterable[str]) -> None:
    missing = [c for c in columns if c not in row]
    if missing:
        raise ValidationError(f"The header is missing the column(s): {', '.join(missing)}.")


def _line_of(exc: ValidationError, criteria: dict[str, dict[str, Any]], first_line: int) -> str:
    """Turn a JSON-path error (criteria[2].levels[0].level) into a CSV line number."""
    match = re.match(r"criteria\[(\d+)\](?:\.levels\[(\d+)\])?(?:\.(\w+))?", exc.field or "")
    if not match:
        return f"Line {first_line}: {exc.message}"
    entry = list(criteria.values())[int(match.group(1))]
    line = entry["line"]
    if match.group(2) is not None and int(match.group(2)) < len(entry["levels"]):
        line = entry["levels"][int(match.group(2))]["line"]
    return f"Line {line}: {exc.message}"


# --- role templates ------------------------------------------------------------------


def parse_role_template(data: Any) -> RoleTemplateDef:
    _check_format(data, TEMPLATE_FORMAT)
    top = _Reader(data, "")
    advert = _parse_template_advert(_Reader(data.get("advert", {}), "advert"))
    criteria = []
    codes: set[str] = set()
    for index, item in enumerate(top.items("criteria")):
        criterion = _parse_template_criterion(_Reader(item, f"criteria[{index}]"))
        if criterion.code.casefold() in codes:
            raise ValidationError(
                f"criteria[{index}].code {criterion.code!r} is used twice in this template.",
                f"criteria[{index}].code",
            )
        codes.add(criterion.code.casefold())
        criteria.append(criterion)
    problem = lead_order_problem([(c.code, c.lead, c.lead_rank) for c in criteria])
    if problem is not None:
        index, message = problem
        where = f"criteria[{index}].lead_rank"
        raise ValidationError(f"{where}: {lower_first(message)}", where)
    stages = []
    spelling = {c.code.casefold(): c.code for c in criteria}
    for index, item in enumerate(top.items("stages")):
        stage = _parse_template_stage(_Reader(item, f"stages[{index}]"))
        where = f"stages[{index}].criteria"
        unknown = [c for c in stage.criteria if c.casefold() not in codes]
        if unknown:
            raise ValidationError(
                f"{where} names {', '.join(unknown)}, which the template does not ask for.",
                where,
            )
        # Codes match ignoring case, as they do on the advert; keep the criterion's own.
        assessed = tuple(spelling[c.casefold()] for c in stage.criteria)
        twice = sorted({c for c in assessed if assessed.count(c) > 1})
        if twice:
            raise ValidationError(f"{where} names {', '.join(twice)} twice.", where)
        plan = _parse_template_plan(item.get("plan"), f"stages[{index}]", assessed)
        stages.append(replace(stage, criteria=assessed, plan=plan))
    names = [s.name for s in stages]
    for index, name in enumerate(names):
        try:
            check_stage_name_free(name, names[:index])
        except ValidationError:
            where = f"stages[{index}].name"
            raise ValidationError(
                f"{where}: another stage is already called {name}; each needs its own name.",
                where,
            ) from None
    return RoleTemplateDef(
        code=top.code("code"),
        title=top.text("title", required=True, limit=NAME_MAX),
        grade=top.text("grade", limit=100),
        summary=top.text("summary"),
        advert=advert,
        criteria=tuple(criteria),
        stages=tuple(stages),
    )


def _parse_template_advert(item: _Reader) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key in item.data:
        kind = TEMPLATE_ADVERT_FIELDS.get(key)
        if kind is None:
            raise ValidationError(
                f"{item.at(key)} is not an advert field a template can fill.", item.at(key)
            )
        if kind is str:
            value: Any = item.text(key)
        elif kind is int:
            value = item.integer(key)
        elif key == "pay_zones":
            value = [
                _parse_pay_zone(_Reader(z, f"{item.at(key)}[{i}]"))
                for i, z in enumerate(item.items(key))
            ]
        else:
            value = list(item.strings(key, limit=NAME_MAX))
        # A campaign made from the template must pass the advert form's own rules.
        field_kind, limit = ADVERT_FIELDS[key]
        result[key] = item.rule(key, partial(clean_field, key, kind=field_kind, limit=limit), value)
    return result


def _parse_pay_zone(item: _Reader) -> dict[str, Any]:
    zone = item.text("zone", required=True, limit=100)
    low = item.integer("min", low=0, high=10_000_000)
    high = item.integer("max", low=0, high=10_000_000)
    if low is None or high is None:
        raise ValidationError(f"{item.path} needs both min and max.", item.path)
    if low > high:
        raise ValidationError(f"{item.path}: the minimum is above the maximum.", item.path)
    return {"zone": zone, "min": low, "max": high}


def _parse_template_criterion(item: _Reader) -> TemplateCriterionDef:
    framework = item.text("framework", limit=CODE_MAX)
    reference = item.text("criterion", limit=CODE_MAX)
    if bool(framework) != bool(reference):
        raise ValidationError(
            f"{item.path}: give both framework and criterion for a library criterion, or "
            "neither for free text.",
            item.path,
        )
    element = item.text("element", required=not framework).upper()
    if element and element not in Element.codes():
        raise ValidationError(
            f"{item.at('element')} {_shown(element)} is not one of {', '.join(Element)}.",
            item.at("element"),
        )
    title = item.text("title", required=not framework, limit=CRITERION_TITLE_MAX)
    return TemplateCriterionDef(
        code=item.code("code"),
        element=element,
        title=title,
        description=item.text("description"),
        framework=framework,
        criterion=reference,
        level=item.integer("level", low=LEVEL_MIN, high=LEVEL_MAX),
        essential=item.flag("essential", True),
        lead=item.flag("lead", False),
        weight=item.rule("weight", clean_weight, 1.0),
        # A whole number checked with the others' (lead_order_problem); null is no place.
        lead_rank=item.integer("lead_rank", 0, low=0, high=LEAD_RANK_MAX) or 0,
    )


def _parse_template_stage(item: _Reader) -> TemplateStageDef:
    kind = item.text("kind") or "custom"
    if kind not in StageKind.codes():
        raise ValidationError(
            f"{item.at('kind')} {_shown(kind)} is not a known kind of stage.", item.at("kind")
        )
    mode = item.text("mode")
    if mode not in StageMode.codes():
        raise ValidationError(
            f"{item.at('mode')} {_shown(mode)} is not one of in_person, video, telephone, online.",
            item.at("mode"),
        )
    item.text("name", required=True, limit=NAME_MAX)  # text, present, no NUL
    fewest, most = MIN_ASSESSORS
    return TemplateStageDef(
        name=item.rule("name", clean_stage_name),
        kind=kind,
        mode=mode,
        name_blind=item.flag("name_blind", kind == "sift"),
        min_assessors=item.integer("min_assessors", 2, low=fewest, high=most) or 2,
        pass_mark=item.rule("pass_mark", clean_pass_mark),
        criteria=item.strings("criteria", limit=CODE_MAX),
        welcome_script=item.text("welcome_script", limit=SCRIPT_MAX),
        close_script=item.text("close_script", limit=SCRIPT_MAX),
    )


def _parse_template_plan(raw: Any, at: str, assessed: Sequence[str]) -> tuple[PlanCellDef, ...]:
    """The stage's question plan (missing or null: none), by the rules a campaign file's
    plan is read with."""

    def fail(loc: Loc, message: str) -> ValidationError:
        where = _json_path(at, loc)
        return ValidationError(f"{where}: {lower_first(message)}", where)

    return check_plan(parse_plan_shape([] if raw is None else raw, fail), assessed, fail)


def _json_path(at: str, loc: Loc) -> str:
    """("plan", 0, "questions", 2, "minutes") under stages[1]: stages[1].plan[0]...minutes."""
    text = at
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if part else ""
    return text


def resolve_template(
    template: RoleTemplateDef, frameworks: Mapping[str, FrameworkDef]
) -> RoleTemplateDef:
    """Check library references and fill each criterion's element and title from the library."""
    resolved = []
    for index, c in enumerate(template.criteria):
        where = f"criteria[{index}]"
        if not c.framework:  # free text: nothing to look up
            resolved.append(c)
            continue
        framework = frameworks.get(c.framework)
        if framework is None:
            raise ValidationError(
                f"{where} refers to the framework {c.framework!r}, which the "
                "library does not have.",
                where,
            )
        source = framework.criterion(c.criterion)
        if source is None:
            raise ValidationError(
                f"{where} refers to {c.framework} {c.criterion!r}, which that "
                "framework does not have.",
                where,
            )
        span = source.level_range
        if c.level is not None and span is not None and not span[0] <= c.level <= span[1]:
            raise ValidationError(
                f"{where}: {source.name} is defined at levels {span[0]} to {span[1]}, "
                f"not {c.level}.",
                where,
            )
        if c.element and c.element != source.element:
            raise ValidationError(
                f"{where}: {source.name} is a {Element(source.element).label} "
                f"criterion, not {Element(c.element).label}.",
                where,
            )
        resolved.append(replace(c, element=source.element, title=c.title or source.name))
    return replace(template, criteria=tuple(resolved))


def role_template_to_dict(template: RoleTemplateDef) -> dict[str, Any]:
    return {
        "format": TEMPLATE_FORMAT,
        "code": template.code,
        "title": template.title,
        "grade": template.grade,
        "summary": template.summary,
        "advert": dict(template.advert),
        "criteria": [
            {
                "code": c.code,
                "element": c.element,
                "title": c.title,
                "description": c.description,
                "framework": c.framework,
                "criterion": c.criterion,
                "level": c.level,
                "essential": c.essential,
                "lead": c.lead,
                "lead_rank": c.lead_rank,
                "weight": c.weight,
            }
            for c in template.criteria
        ],
        "stages": [
            {
                "name": s.name,
                "kind": s.kind,
                "mode": s.mode,
                "name_blind": s.name_blind,
                "min_assessors": s.min_assessors,
                "pass_mark": s.pass_mark,
                "criteria": list(s.criteria),
                "plan": plan_to_json(s.plan),
                "welcome_script": s.welcome_script,
                "close_script": s.close_script,
            }
            for s in template.stages
        ],
    }


# --- questions -----------------------------------------------------------------------


def parse_questions(data: Any) -> tuple[QuestionDef, ...]:
    _check_format(data, QUESTIONS_FORMAT)
    top = _Reader(data, "")
    questions = []
    for index, item in enumerate(top.items("questions")):
        reader = _Reader(item, f"questions[{index}]")
        questions.append(
            QuestionDef(
                framework=reader.code("framework"),
                criterion=reader.code("criterion"),
                text=reader.text("text", required=True, limit=INDICATOR_MAX),
                level=reader.integer("level", low=LEVEL_MIN, high=LEVEL_MAX),
                probes=reader.strings("probes"),
            )
        )
    return tuple(questions)


def questions_to_dict(questions: Iterable[QuestionDef]) -> dict[str, Any]:
    return {
        "format": QUESTIONS_FORMAT,
        "questions": [
            {
                "framework": q.framework,
                "criterion": q.criterion,
                "level": q.level,
                "text": q.text,
                "probes": list(q.probes),
            }
            for q in questions
        ],
    }


# --- role templates as CSV -----------------------------------------------------------
# One row per fact: `template` rows carry the title fields, `advert` rows one advert
# field each (lists as JSON), then one row per criterion and per stage. A stage's question
# plan is one `question` row per question under its stage row: the criterion's code, the
# question in `value`, its probes one per line.

# The columns every template file has had; a file written before plans lacks the others.
TEMPLATE_CSV_REQUIRED = (
    "record",
    "key",
    "value",
    "code",
    "element",
    "title",
    "description",
    "framework",
    "criterion",
    "level",
    "essential",
    "lead",
    "weight",
    "kind",
    "mode",
    "name_blind",
    "min_assessors",
    "pass_mark",
    "criteria",
)
TEMPLATE_CSV_COLUMNS = (
    *TEMPLATE_CSV_REQUIRED,
    "lead_rank",
    "welcome_script",
    "close_script",
    "probes",
    "minutes",
    "unseen",
    "sent_on",
)
_YES, _NO = "yes", "no"


def template_to_rows(template: RoleTemplateDef) -> list[dict[str, str]]:
    blank = dict.fromkeys(TEMPLATE_CSV_COLUMNS, "")
    rows = [
        {**blank, "record": "template", "key": key, "value": getattr(template, key)}
        for key in ("code", "title", "grade", "summary")
    ]
    for key, value in template.advert.items():
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        rows.append({**blank, "record": "advert", "key": key, "value": text})
    for c in template.criteria:
        rows.append(
            {
                **blank,
                "record": "criterion",
                "code": c.code,
                "element": c.element,
                "title": c.title,
                "description": c.description,
                "framework": c.framework,
                "criterion": c.criterion,
                "level": "" if c.level is None else str(c.level),
                "essential": _YES if c.essential else _NO,
                "lead": _YES if c.lead else _NO,
                "lead_rank": str(c.lead_rank) if c.lead_rank else "",
                "weight": repr(c.weight),
            }
        )
    for s in template.stages:
        rows.append(
            {
                **blank,
                "record": "stage",
                "title": s.name,
                "kind": s.kind,
                "mode": s.mode,
                "name_blind": _YES if s.name_blind else _NO,
                "min_assessors": str(s.min_assessors),
                "pass_mark": "" if s.pass_mark is None else str(s.pass_mark),
                "criteria": " ".join(s.criteria),
                "welcome_script": s.welcome_script,
                "close_script": s.close_script,
            }
        )
        for cell in s.plan:
            for q in cell.questions:
                rows.append(
                    {
                        **blank,
                        "record": "question",
                        "code": cell.code,
                        "value": q.text,
                        "probes": "\n".join(q.probes),
                        "minutes": str(q.minutes),
                        "unseen": _YES if q.unseen else _NO,
                        "sent_on": q.sent_on.isoformat() if q.sent_on else "",
                    }
                )
    return rows


def template_from_rows(
    rows: Sequence[Mapping[str, str]], lines: Sequence[int] | None = None
) -> RoleTemplateDef:
    if not rows:
        raise ValidationError("The file has no rows under its header.")
    _require_columns(rows[0], TEMPLATE_CSV_REQUIRED)
    numbers = _line_numbers(rows, lines)
    data: dict[str, Any] = {"advert": {}, "criteria": [], "stages": []}
    where_lines: dict[str, int] = {}
    for offset, row in enumerate(rows):
        line = numbers[offset]
        record = (row.get("record") or "").strip()
        try:
            if record == "template":
                data[row.get("key", "")] = row.get("value", "")
            elif record == "advert":
                data["advert"][row.get("key", "")] = _advert_cell(
                    row.get("key", ""), row.get("value", "")
                )
            elif record == "criterion":
                where_lines[f"criteria[{len(data['criteria'])}]"] = line
                data["criteria"].append(_criterion_cells(row))
            elif record == "stage":
                where_lines[f"stages[{len(data['stages'])}]"] = line
                data["stages"].append(_stage_cells(row))
            elif record == "question":
                if not data["stages"]:
                    raise ValidationError(
                        "column record: a question belongs to the stage row above it, and "
                        "there is none.",
                        "record",
                    )
                at = f"stages[{len(data['stages']) - 1}]"
                plan = data["stages"][-1]["plan"]
                code = (row.get("code") or "").strip()
                number = next(
                    (n for n, e in enumerate(plan) if e["criterion"].casefold() == code.casefold()),
                    len(plan),
                )
                if number == len(plan):
                    plan.append({"criterion": code, "questions": []})
                    where_lines[f"{at}.plan[{number}]"] = line
                questions = plan[number]["questions"]
                where_lines[f"{at}.plan[{number}].questions[{len(questions)}]"] = line
                questions.append(_question_cells(row))
            else:
                raise ValidationError(
                    f"column record is {_shown(record)}; use template, advert, criterion, "
                    "stage or question."
                )
        except ValidationError as exc:
            raise ValidationError(f"Line {line}, {exc.message}", exc.field) from None
    try:
        return parse_role_template(data)
    except ValidationError as exc:
        found = _line_of_field(exc.field or "", where_lines)
        prefix = f"Line {found}: " if found else ""
        raise ValidationError(prefix + exc.message, exc.field) from None


def _line_of_field(field: str, where_lines: Mapping[str, int]) -> int | None:
    """The line of the row a JSON path points into: a question's, else its stage's."""
    for pattern in (
        r"stages\[\d+\]\.plan\[\d+\]\.questions\[\d+\]",
        r"stages\[\d+\]\.plan\[\d+\]",
        r"(criteria|stages)\[\d+\]",
    ):
        where = re.match(pattern, field)
        if where and where.group(0) in where_lines:
            return where_lines[where.group(0)]
    return None


def _advert_cell(key: str, text: str) -> Any:
    kind = TEMPLATE_ADVERT_FIELDS.get(key)
    if kind is str or kind is None:
        return text  # unknown keys are reported by parse_role_template
    if kind is int:
        if not _WHOLE.fullmatch(text.strip()):
            raise ValidationError(
                f"column value: {key} must be a whole number, not {_shown(text)}."
            )
        return int(text)
    try:
        value = json.loads(text or "[]", parse_constant=_not_a_number)
        # An escape such as \ud800 leaves half a character that no database can store.
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (ValueError, RecursionError):
        raise ValidationError(f"column value: {key} must be a JSON list.") from None
    return value


def _flag_cell(row: Mapping[str, str], column: str, default: bool) -> bool:
    text = (row.get(column) or "").strip().lower()
    if not text:
        return default
    if text in (_YES, "true", "y", "1"):
        return True
    if text in (_NO, "false", "n", "0"):
        return False
    raise ValidationError(f"column {column}: {_shown(text)} is not yes or no.", column)


# Plain digits only: str.isdigit() also passes "²", which int() then refuses, and a
# thousand-digit cell would stop int() with Python's own digit limit.
_WHOLE = re.compile(r"-?[0-9]{1,30}")


def _shown(value: Any, limit: int = 40) -> str:
    """A value for a message, cut short: a cell or JSON value can be megabytes long."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _not_a_number(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def _int_cell(row: Mapping[str, str], column: str) -> int | None:
    text = (row.get(column) or "").strip()
    if not text:
        return None
    if not _WHOLE.fullmatch(text):
        raise ValidationError(f"column {column}: {_shown(text)} is not a whole number.", column)
    return int(text)


def _criterion_cells(row: Mapping[str, str]) -> dict[str, Any]:
    weight_text = (row.get("weight") or "").strip() or "1.0"
    try:
        # float() also reads "1_0" and other scripts' digits; a weight is plain ASCII.
        if not weight_text.isascii() or "_" in weight_text:
            raise ValueError(weight_text)
        weight = float(weight_text)
    except ValueError:
        raise ValidationError(
            f"column weight: {_shown(weight_text)} is not a number.", "weight"
        ) from None
    return {
        "code": row.get("code", ""),
        "element": row.get("element", ""),
        "title": row.get("title", ""),
        "description": row.get("description", ""),
        "framework": row.get("framework", ""),
        "criterion": row.get("criterion", ""),
        "level": _int_cell(row, "level"),
        "essential": _flag_cell(row, "essential", True),
        "lead": _flag_cell(row, "lead", False),
        "lead_rank": _int_cell(row, "lead_rank"),
        "weight": weight,
    }


def _stage_cells(row: Mapping[str, str]) -> dict[str, Any]:
    return {
        "name": row.get("title", ""),
        "kind": row.get("kind", "") or "custom",
        "mode": row.get("mode", ""),
        "name_blind": _flag_cell(row, "name_blind", False),
        "min_assessors": _int_cell(row, "min_assessors") or 2,
        "pass_mark": _int_cell(row, "pass_mark"),
        "criteria": (row.get("criteria") or "").split(),
        "plan": [],  # from the question rows under it
        "welcome_script": row.get("welcome_script") or "",
        "close_script": row.get("close_script") or "",
    }


def _question_cells(row: Mapping[str, str]) -> dict[str, Any]:
    minutes = _int_cell(row, "minutes")
    return {
        "text": row.get("value") or "",
        "probes": _lines(row.get("probes") or ""),
        "minutes": 0 if minutes is None else minutes,
        "unseen": _flag_cell(row, "unseen", False),
        "sent_on": (row.get("sent_on") or "").strip() or None,
    }
