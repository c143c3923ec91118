"""A role template's criteria and stages as editable rows, and back to a definition.

Stages point at criterion rows, not at codes, so renaming a criterion's code in the
dialog keeps the stages that assess it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from recruit_app.domain.library_format import (
    LEVEL_MAX,
    LEVEL_MIN,
    RoleTemplateDef,
    TemplateCriterionDef,
    TemplateStageDef,
)
from recruit_app.domain.plan_format import PlanCellDef
from recruit_app.vocabulary import Element, StageKind, StageMode

if TYPE_CHECKING:
    from ui.library.snapshot import LibrarySnapshot

FREE_LEVELS = tuple(range(LEVEL_MIN, LEVEL_MAX + 1))


@dataclass(eq=False)
class CriterionRow:
    code: str
    element: str
    title: str
    description: str = ""
    framework: str = ""
    criterion: str = ""
    level: int | None = None
    essential: bool = True
    lead: bool = False
    weight: float = 1.0
    levels: tuple[int, ...] = FREE_LEVELS  # the levels this criterion may be asked at
    lead_rank: int = 0  # a lead's place in the tie-break order (0: none), kept as it was

    @property
    def from_library(self) -> bool:
        return bool(self.framework)

    def need(self) -> str:
        return "Essential" if self.essential else "Desirable"

    def element_name(self) -> str:
        return Element.label_for(self.element)

    def source(self) -> str:
        return f"{self.framework} {self.criterion}" if self.from_library else "Free text"

    def definition(self) -> TemplateCriterionDef:
        return TemplateCriterionDef(
            code=self.code.strip(),
            element=self.element,
            title=self.title.strip(),
            description=self.description,
            framework=self.framework,
            criterion=self.criterion,
            level=self.level,
            essential=self.essential,
            lead=self.lead,
            lead_rank=self.lead_rank if self.lead else 0,
            weight=self.weight,
        )


@dataclass(eq=False)
class StageRow:
    name: str
    kind: str = "custom"
    mode: str = ""
    name_blind: bool = False
    min_assessors: int = 2
    pass_mark: int | None = None
    assessed: list[CriterionRow] = field(default_factory=list)
    # The question plan (by the criterion row it asks about, so a renamed code follows)
    # and the chair's scripts: not edited here, kept whole through a save.
    plan: list[tuple[CriterionRow, PlanCellDef]] = field(default_factory=list)
    welcome_script: str = ""
    close_script: str = ""

    def kind_name(self) -> str:
        return StageKind.label_for(self.kind)

    def mode_name(self) -> str:
        return StageMode.label_for(self.mode)

    def assessed_codes(self) -> str:
        return ", ".join(row.code for row in self.assessed)

    def definition(self) -> TemplateStageDef:
        return TemplateStageDef(
            name=self.name.strip(),
            kind=self.kind,
            mode=self.mode,
            name_blind=self.name_blind,
            min_assessors=self.min_assessors,
            pass_mark=self.pass_mark,
            criteria=tuple(row.code.strip() for row in self.assessed),
            # Questions about a criterion no longer assessed here go with it.
            plan=tuple(
                replace(cell, code=row.code.strip())
                for row, cell in self.plan
                if any(row is kept for kept in self.assessed)
            ),
            welcome_script=self.welcome_script,
            close_script=self.close_script,
        )


def library_levels(snapshot: LibrarySnapshot, framework: str, criterion: str) -> tuple[int, ...]:
    """The levels a library criterion defines (retired ones too: old templates may use them)."""
    view = snapshot.frameworks.get(framework)
    if view is None:
        return ()
    found = next((c for c in view.criteria if c.definition.code == criterion), None)
    return tuple(lv.level for lv in found.definition.levels) if found else ()


def rows_of(
    template: RoleTemplateDef, snapshot: LibrarySnapshot
) -> tuple[list[CriterionRow], list[StageRow]]:
    criteria = []
    for item in template.criteria:
        title, element = snapshot.resolved(item)
        levels = (
            library_levels(snapshot, item.framework, item.criterion)
            if item.framework
            else FREE_LEVELS
        )
        criteria.append(
            CriterionRow(
                code=item.code,
                element=element,
                title=title,
                description=item.description,
                framework=item.framework,
                criterion=item.criterion,
                level=item.level,
                essential=item.essential,
                lead=item.lead,
                weight=item.weight,
                levels=levels,
                lead_rank=item.lead_rank,
            )
        )
    by_code = {row.code.casefold(): row for row in criteria}
    stages = [
        StageRow(
            name=stage.name,
            kind=stage.kind,
            mode=stage.mode,
            name_blind=stage.name_blind,
            min_assessors=stage.min_assessors,
            pass_mark=stage.pass_mark,
            assessed=[by_code[c.casefold()] for c in stage.criteria if c.casefold() in by_code],
            plan=[
                (by_code[cell.code.casefold()], cell)
                for cell in stage.plan
                if cell.code.casefold() in by_code
            ],
            welcome_script=stage.welcome_script,
            close_script=stage.close_script,
        )
        for stage in template.stages
    ]
    return criteria, stages


def definition_of(
    template: RoleTemplateDef,
    *,
    title: str,
    grade: str,
    summary: str,
    criteria: Iterable[CriterionRow],
    stages: Iterable[StageRow],
) -> RoleTemplateDef:
    """The edited template; advert fields the dialog does not show are kept as they were."""
    return RoleTemplateDef(
        code=template.code,
        title=title,
        grade=grade.strip(),
        summary=summary.strip(),
        advert=dict(template.advert),
        criteria=tuple(row.definition() for row in criteria),
        stages=tuple(stage.definition() for stage in stages),
    )


def free_code(taken: Iterable[str], stem: str) -> str:
    """`stem`, or stem-2, stem-3…: codes must be unique within a template."""
    used = {code.casefold() for code in taken}
    if stem.casefold() not in used:
        return stem
    number = 2
    while f"{stem}-{number}".casefold() in used:
        number += 1
    return f"{stem}-{number}"


def next_numbered(taken: Iterable[str], prefix: str) -> str:
    """EXP1, EXP2…: the next free code for a free-text criterion."""
    used = {code.casefold() for code in taken}
    number = 1
    while f"{prefix}{number}".casefold() in used:
        number += 1
    return f"{prefix}{number}"


def element_choices() -> list[tuple[str, str]]:
    """Each element's code and how a list of them shows it: "Ability (ABI)"."""
    return [(element.value, f"{element.label} ({element.value})") for element in Element]
