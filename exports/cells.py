"""Cells for the spreadsheets the app writes (CSV and XLSX), with formula-like text defused.

Every CSV and XLSX writer goes through here, so no code, name or note a user typed can
run as a formula when the file is opened in a spreadsheet program.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from recruit_app.domain.formulas import is_formula_like, neutralise


def csv_row(values: Iterable[Any]) -> list[Any]:
    """A CSV row: formula-like text gets a leading apostrophe (undone by formulas.restore)."""
    return [neutralise(value) for value in values]


def csv_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """A CSV row written by column name (csv.DictWriter), defused the same way."""
    return {key: neutralise(value) for key, value in record.items()}


def xlsx_cell(sheet: Any, value: Any, *, font: Any = None, alignment: Any = None) -> Any:
    """An openpyxl cell for `sheet` (write-only or not) holding `value`.

    Text is always stored as text: openpyxl would otherwise store "=..." as a formula. Text
    a spreadsheet could take for a formula is also marked quote-prefixed, so it stays text
    when someone edits the cell; the value itself is unchanged and reads back exactly.
    """
    from openpyxl.cell import WriteOnlyCell

    # A cell made apart from its sheet, as write-only sheets need; `append` places it.
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    return cell


def xlsx_row(sheet: Any, values: Iterable[Any], **style: Any) -> list[Any]:
    """A row of cells for `sheet.append`, each made by `xlsx_cell`."""
    return [xlsx_cell(sheet, value, **style) for value in values]
