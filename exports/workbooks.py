"""Offline scoring workbooks: one sheet per stage, candidates by criteria, scale as a list."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from exports.cells import xlsx_row
from exports.files import atomic_output

META_SHEET = "About this workbook"
SHEET_PREFIX = "Sheet: "


@dataclass(frozen=True)
class WorkbookCriterion:
    code: str
    title: str


@dataclass(frozen=True)
class WorkbookRow:
    number: str
    label: str
    values: dict[str, tuple[int | None, str]]  # code -> (score, evidence)


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


def write_scoring_workbook(
    path: Path, *, campaign: str, assessor: str, assessor_email: str, sheets: list[WorkbookSheet]
) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation
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
        choices = ",".join(str(v) for v in spec.scale)
        validation = DataValidation(
            type="list",
            formula1=f'"{choices}"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Not on the scale",
            error=f"Choose one of {choices}.",
        )
        sheet.add_data_validation(validation)
        last = max(2, len(spec.rows) + 1)
        for index in range(len(spec.criteria)):
            column = sheet.cell(row=1, column=3 + 2 * index).column_letter
            validation.add(f"{column}2:{column}{last}")
            sheet.column_dimensions[column].width = 9
            evidence = sheet.cell(row=1, column=4 + 2 * index).column_letter
            sheet.column_dimensions[evidence].width = 40
        sheet.column_dimensions["A"].width = 12
        sheet.column_dimensions["B"].width = 28
        sheet.freeze_panes = "C2"
        sheet.sheet_properties.tabColor = "1D70B8"
    with atomic_output(path) as handle:
        workbook.save(handle)
    return path


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
