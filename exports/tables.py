"""Tables as CSV or XLSX files that are safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from exports.cells import csv_row, xlsx_cell, xlsx_row
from exports.files import atomic_output, write_text_atomic


def csv_text(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(csv_row(headers))
    writer.writerows(csv_row(row) for row in rows)
    return buffer.getvalue()


def write_table(
    path: Path, headers: Sequence[str], rows: Sequence[Sequence[Any]], *, title: str = "Sheet"
) -> Path:
    """CSV (UTF-8 with a byte-order mark, for Excel) or XLSX, chosen by the suffix."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return write_text_atomic(path, "\ufeff" + csv_text(headers, rows))
    if suffix == ".xlsx":
        return _write_xlsx(path, headers, rows, title)
    raise ValueError(f"Write a table as .csv or .xlsx, not {suffix or 'no suffix'}")


def _write_xlsx(
    path: Path, headers: Sequence[str], rows: Sequence[Sequence[Any]], title: str
) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(title))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([xlsx_cell(sheet, header, font=bold) for header in headers])
    for row in rows:
        sheet.append(xlsx_row(sheet, row))
    with atomic_output(path) as handle:
        workbook.save(handle)
    return path


def _sheet_title(title: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(ch for ch in title if ch not in "[]:*?/\\").strip() or "Sheet"
    return cleaned[:31]
