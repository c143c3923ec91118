"""Offline scoring workbooks: one sheet per stage, candidates by criteria, scale as a list;
beside a stage's sheet, its candidates' applications as the panel reads them.

The application sheets are for reading only: the about sheet does not list them as stage
sheets, so importing the workbook never reads them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exports.cells import xlsx_row
from exports.files import atomic_output
from recruit_app.readmodels import PanelApplication, PanelApplicationPart
from recruit_app.vocabulary import PartKind

META_SHEET = "About this workbook"
SHEET_PREFIX = "Sheet: "
APPLICATIONS_PREFIX = "Applications – "
APPLICATIONS_ABOUT = (
    "Each candidate's application as the panel reads it (name-blind at a name-blind "
    f"stage) is on the sheets named {APPLICATIONS_PREFIX}…, for reading offline. "
    "Recruit ignores those sheets when you import the workbook."
)
NO_APPLICATION = "No application imported."
CELL_LIMIT = 32_767  # characters (UTF-16 code units) Excel keeps in a cell
CUT_MARK = "[cut: read the rest in Recruit]"
SHEET_NAME_LIMIT = 31
# What XML 1.0 cannot hold (openpyxl refuses it): control characters and lone surrogates.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class WorkbookCriterion:
    code: str
    title: str
    # The points it is scored on, where they are not the sheet's (a strength's 1 to 4 at
    # an interview scored 1 to 7): () for the sheet's scale.
    scale: tuple[int, ...] = ()


@dataclass(frozen=True)
class WorkbookRow:
    number: str
    label: str
    values: dict[str, tuple[int | None, str]]  # code -> (score, evidence)
    # As the stage's panel reads it; None: none imported.
    application: PanelApplication | None = None


@dataclass(frozen=True)
class WorkbookSheet:
    stage_name: str
    scale: tuple[int, ...]
    criteria: tuple[WorkbookCriterion, ...]
    rows: tuple[WorkbookRow, ...]


def sheet_title(stage_name: str, used: set[str]) -> str:
    base = "".join(ch for ch in stage_name if ch not in "[]:*?/\\").strip()[:28] or "Stage"
    title, n = base, 2
    while title in used or title == META_SHEET:
        title, n = f"{base[:26]} {n}", n + 1
    used.add(title)
    return title


def applications_title(stage_name: str, used: set[str]) -> str:
    """ "Applications – CV sift", within Excel's 31 characters and unlike any other sheet."""
    base = "".join(ch for ch in stage_name if ch not in "[]:*?/\\").strip() or "Stage"
    taken = {name.casefold() for name in used} | {META_SHEET.casefold()}
    title, n = (APPLICATIONS_PREFIX + base)[:SHEET_NAME_LIMIT], 2
    while title.rstrip("' ").casefold() in taken:
        suffix = f" {n}"
        title = (APPLICATIONS_PREFIX + base)[: SHEET_NAME_LIMIT - len(suffix)] + suffix
        n += 1
    title = title.rstrip("' ")  # Excel refuses a name that ends in an apostrophe
    used.add(title)
    return title


def cell_text(text: str) -> str:
    """Text as a cell can hold it: what XML cannot carry removed, and cut to Excel's limit
    with CUT_MARK at the end."""
    text = _NOT_IN_XML.sub("", text)
    if _utf16_length(text) <= CELL_LIMIT:
        return text
    room = CELL_LIMIT - len(CUT_MARK) - 2
    kept = text[:room]
    while _utf16_length(kept) > room:  # each pass drops at least one character
        kept = kept[: len(kept) - (_utf16_length(kept) - room)]
    return f"{kept.rstrip()}\n\n{CUT_MARK}"


def _utf16_length(text: str) -> int:
    # Excel counts characters beyond U+FFFF (most emoji) twice.
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _part_words(part: PanelApplicationPart, *, headed: bool) -> str:
    remarks = " ".join(f"{remark}." for remark in part.remarks)
    words = "\n\n".join(w for w in (remarks, part.text) if w)
    return f"{part.heading}\n{words}" if headed else words


def _parts_cell(parts: Sequence[PanelApplicationPart], *, headed: bool = False) -> str | None:
    """Several parts in one cell each start with their heading."""
    if not parts:
        return None
    many = headed or len(parts) > 1
    return cell_text("\n\n".join(_part_words(p, headed=many) for p in parts))


def application_headers(criteria: Sequence[WorkbookCriterion]) -> list[str]:
    return [
        "Candidate number",
        *(f"{c.code} answer" for c in criteria),
        PartKind.STATEMENT.label,
        PartKind.CV.label,
        "Other parts",
        "Notes",
    ]


def application_cells(
    number: str, application: PanelApplication | None, criteria: Sequence[WorkbookCriterion]
) -> list[Any]:
    """One candidate's line: their answer to each of the stage's criteria, statement, CV,
    every other part under its heading, and notes (parts over their word limit)."""
    if application is None or not application.parts:
        return [number, *[None] * (len(criteria) + 3), NO_APPLICATION]
    parts = application.parts
    used: set[int] = set()

    def take(kind: str, criterion: str | None = None) -> str | None:
        """The cell of the parts of `kind` (all that are left, for kind ""), marked used."""
        picked = [
            i
            for i, p in enumerate(parts)
            if i not in used
            and (not kind or p.kind == kind)
            and (criterion is None or p.criterion == criterion)
        ]
        used.update(picked)
        return _parts_cell([parts[i] for i in picked], headed=not kind)

    line: list[Any] = [number]
    line += [take(PartKind.ANSWER, c.code) for c in criteria]
    line += [take(PartKind.STATEMENT), take(PartKind.CV), take("")]
    over = [f"{p.heading}: {p.length}" for p in parts if p.over_limit]
    line.append(cell_text("\n".join(over)) if over else None)
    return line


def _applications_sheet(workbook: Any, title: str, spec: WorkbookSheet) -> None:
    from openpyxl.styles import Alignment, Font

    sheet = workbook.create_sheet(title)
    bold, top = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    headers = application_headers(spec.criteria)
    sheet.append(xlsx_row(sheet, headers, font=bold, alignment=top))
    for row in spec.rows:
        cells = application_cells(row.number, row.application, spec.criteria)
        sheet.append(xlsx_row(sheet, cells, alignment=top))
    sheet.column_dimensions["A"].width = 12
    for index in range(2, len(headers) + 1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 60 if index < len(headers) else 40
    sheet.freeze_panes = "B2"
    sheet.sheet_properties.tabColor = "B1B4B6"  # grey: for reading, not for scores


def write_scoring_workbook(
    path: Path, *, campaign: str, assessor: str, assessor_email: str, sheets: list[WorkbookSheet]
) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.worksheet import Worksheet

    workbook = Workbook()
    about = workbook.active
    assert isinstance(about, Worksheet)  # a new workbook has one sheet, a worksheet
    about.title = META_SHEET
    for fact in (
        ("Campaign", campaign),
        ("Assessor", assessor),
        ("Assessor e-mail", assessor_email),
        (
            "How to use",
            "Type a score from the list in each score column and your "
            "evidence beside it, save, and import the file into Recruit.",
        ),
    ):
        about.append(xlsx_row(about, fact))
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 90
    if any(row.application is not None for spec in sheets for row in spec.rows):
        about.append(xlsx_row(about, ("Applications", APPLICATIONS_ABOUT)))
    used: set[str] = set()
    for spec in sheets:
        title = sheet_title(spec.stage_name, used)
        # Sheet names are cut to Excel's limits: the full stage name is kept here.
        about.append(xlsx_row(about, [f"{SHEET_PREFIX}{title}", spec.stage_name]))
        sheet = workbook.create_sheet(title)
        headers = ["Candidate number", "Candidate"]
        for criterion in spec.criteria:
            headers += [f"{criterion.code} score", f"{criterion.code} evidence"]
        bold, top = Font(bold=True), Alignment(wrap_text=True, vertical="top")
        sheet.append(xlsx_row(sheet, headers, font=bold, alignment=top))
        for row in spec.rows:
            line: list[object] = [row.number, row.label]
            for criterion in spec.criteria:
                value, evidence = row.values.get(criterion.code, (None, ""))
                line += [value, evidence]
            sheet.append(xlsx_row(sheet, line))
        validations: dict[tuple[int, ...], Any] = {}
        last = max(2, len(spec.rows) + 1)
        for index, criterion in enumerate(spec.criteria):
            points = criterion.scale or spec.scale
            validation = validations.get(points)
            if validation is None:
                validation = validations[points] = _score_validation(points)
                sheet.add_data_validation(validation)
            column = sheet.cell(row=1, column=3 + 2 * index).column_letter
            validation.add(f"{column}2:{column}{last}")
            sheet.column_dimensions[column].width = 9
            evidence = sheet.cell(row=1, column=4 + 2 * index).column_letter
            sheet.column_dimensions[evidence].width = 40
        sheet.column_dimensions["A"].width = 12
        sheet.column_dimensions["B"].width = 28
        sheet.freeze_panes = "C2"
        sheet.sheet_properties.tabColor = "1D70B8"
        if any(row.application is not None for row in spec.rows):
            # Not listed on the about sheet: the import never reads it.
            _applications_sheet(workbook, applications_title(spec.stage_name, used), spec)
    with atomic_output(path) as handle:
        workbook.save(handle)
    return path


def _score_validation(points: tuple[int, ...]) -> Any:
    """A score column's check: a list of the points, or for a long run of whole numbers
    (a percentile's 0 to 100, too long for Excel's 255-character list) the range."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if len(points) > 12 and list(points) == list(range(points[0], points[-1] + 1)):
        return DataValidation(
            type="whole",
            operator="between",
            formula1=str(points[0]),
            formula2=str(points[-1]),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Not on the scale",
            error=f"Type a whole number from {points[0]} to {points[-1]}.",
        )
    choices = ",".join(str(v) for v in points)
    return DataValidation(
        type="list",
        formula1=f'"{choices}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not on the scale",
        error=f"Choose one of {choices}.",
    )


def is_scoring_workbook(path: Path) -> bool:
    """Whether an Excel file is one Recruit wrote for offline scoring (it has the about sheet).
    Anything unreadable is simply not one: the table reader then says what is wrong."""
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        return False
    try:
        return META_SHEET in workbook.sheetnames
    finally:
        workbook.close()
