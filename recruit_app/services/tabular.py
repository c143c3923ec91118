"""Reading the spreadsheets people bring (CSV or Excel) as a plain table of text."""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from recruit_app.errors import Cancelled, RecruitError, ValidationError
from recruit_app.readmodels import IsCancelled, Progress

MAX_BYTES = 200 * 1024 * 1024
MAX_ROWS = 1_000_000
CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
PREFERRED_SHEET = "candidates"
DELIMITERS = (",", ";", "\t")  # in order of preference when the evidence ties
SNIFF_CHARS = 64 * 1024
SNIFF_RECORDS = 50
PROGRESS_STEPS = 100
CHECK_EVERY = 256  # rows between calls to the progress and cancel hooks, to keep them cheap
UNKNOWN_TOTAL_STEP = 10_000  # rows between progress reports when a sheet's size is unknown

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and Office files with a password
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class Table:
    """A header row and the data rows under it, each with its line (or Excel row) number."""

    headers: tuple[str, ...]
    rows: list[tuple[int, tuple[str, ...]]]
    source: str
    sheet: str = ""


def read_table(
    path: Path,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
) -> Table:
    """The table in a .csv/.txt or .xlsx/.xlsm file; ValidationError in plain words if not.

    `progress(done, total)` counts characters of a CSV or rows of a sheet (total 0 when
    the sheet does not record its size), about a hundred times at most; `cancelled` is
    asked as the reading goes, and its True raises Cancelled.
    """
    suffix = path.suffix.lower()
    if suffix not in CSV_SUFFIXES + XLSX_SUFFIXES:
        raise ValidationError(_suffix_message(path))
    _check_file(path, max_bytes)
    hooks = _Hooks(progress, cancelled)
    hooks.check()
    if suffix in CSV_SUFFIXES:
        return _read_csv(path, hooks, max_rows)
    return _read_xlsx(path, hooks, max_rows)


def _suffix_message(path: Path) -> str:
    if not path.suffix:
        return f"{path.name} has no file type; Recruit reads .csv, .txt, .xlsx and .xlsm files."
    advice = ""
    if path.suffix.lower() in (".xls", ".ods", ".numbers"):
        advice = " Save it from your spreadsheet program as an Excel workbook (.xlsx) or as CSV."
    return f"Recruit cannot read {path.suffix} files; it reads .csv, .txt, .xlsx and .xlsm.{advice}"


def _check_file(path: Path, max_bytes: int) -> None:
    try:
        if path.is_dir():
            raise ValidationError(f"{path} is a folder, not a file.")
        size = path.stat().st_size
    except FileNotFoundError:
        raise ValidationError(f"There is no file at {path}.") from None
    except PermissionError:
        raise ValidationError(f"Recruit may not read {path}.") from None
    if size > max_bytes:
        raise ValidationError(
            f"{path.name} is {size / 1_048_576:.1f} MB; the limit is "
            f"{max_bytes / 1_048_576:.0f} MB."
        )


class _Hooks:
    """Throttled progress reports and cancel checks, so callers are not flooded."""

    def __init__(self, progress: Progress | None, cancelled: IsCancelled | None) -> None:
        self._progress = progress
        self._cancelled = cancelled
        self._next = 0

    def check(self) -> None:
        if self._cancelled is not None and self._cancelled():
            raise Cancelled()

    def report(self, done: int, total: int, step: int) -> None:
        """Report `done` only once it has moved a whole `step` past the last report."""
        self.check()
        if self._progress is not None and done >= self._next:
            self._progress(done, total)
            self._next = done + max(step, 1)

    def finish(self, total: int) -> None:
        if self._progress is not None:
            self._progress(total, total)


# --- headers and rows, shared by both formats -----------------------------------------


def _make_headers(cells: Sequence[str]) -> tuple[str, ...]:
    """Stripped headings, with names for blank ones and numbers on repeats."""
    names = [str(cell).strip() for cell in cells]
    while names and not names[-1]:
        names.pop()  # trailing blank headings are spreadsheet padding, not columns
    headers: list[str] = []
    seen: set[str] = set()
    for number, name in enumerate(names, start=1):
        name = name or f"Column {number}"
        unique, copy = name, 1
        while unique.casefold() in seen:
            copy += 1
            unique = f"{name} ({copy})"
        seen.add(unique.casefold())
        headers.append(unique)
    return tuple(headers)


def _fit_row(cells: Sequence[str], width: int, source: str, where: str) -> tuple[str, ...]:
    """The row cut or padded to the header's width; refused if cut would drop a value."""
    if len(cells) > width:
        surplus = cells[width:]
        if "".join(surplus).strip():
            used = width + max(i for i, cell in enumerate(surplus) if cell.strip()) + 1
            raise ValidationError(
                f"{source}, {where}: the row has {used} cells but the header has {width}."
            )
        cells = cells[:width]
    row = tuple(cells)
    if len(row) < width:
        row += ("",) * (width - len(row))
    return row


def _too_many_rows(source: str, max_rows: int) -> ValidationError:
    return ValidationError(
        f"{source} has more than {max_rows:,} rows; Recruit imports at most that many at once."
    )


# --- CSV ------------------------------------------------------------------------------


def _read_csv(path: Path, hooks: _Hooks, max_rows: int) -> Table:
    text = _decode(path)
    delimiter = _sniff_delimiter(text[:SNIFF_CHARS], truncated=len(text) > SNIFF_CHARS)
    return csv_table(text, path.name, delimiter=delimiter, hooks=hooks, max_rows=max_rows)


def csv_table(
    text: str,
    source: str,
    *,
    delimiter: str = ",",
    hooks: _Hooks | None = None,
    max_rows: int = MAX_ROWS,
) -> Table:
    """The table in CSV text, read strictly; every CSV the app reads goes through here.

    A quote left open (a file cut off part-way through a cell) is refused with its line,
    never allowed to swallow the rest of the file. A cell of any length is read: whether
    it is too long is for the rules of what it holds to say, on its own row.
    """
    hooks = hooks or _Hooks(None, None)
    _allow_long_cells()
    stream = io.StringIO(text, newline="")
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    total, step = len(text), len(text) // PROGRESS_STEPS
    headers: tuple[str, ...] | None = None
    rows: list[tuple[int, tuple[str, ...]]] = []
    start = 1
    try:
        for count, record in enumerate(reader):
            if count % CHECK_EVERY == 0:
                hooks.report(stream.tell(), total, step)
            if "".join(record).strip():
                if headers is None:
                    headers = _make_headers(record)
                else:
                    rows.append((start, _fit_row(record, len(headers), source, f"line {start}")))
                    if len(rows) > max_rows:
                        raise _too_many_rows(source, max_rows)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ValidationError(
            f"{source}, line {start}: Recruit cannot read this row ({exc})."
        ) from None
    if not headers:
        raise ValidationError(f"{source} is empty: it has no header row.")
    hooks.finish(total)
    return Table(headers, rows, source)


def _allow_long_cells() -> None:
    """Lift the csv module's cell limit (128 KiB) to the largest file Recruit reads.

    Over that limit csv refuses the whole file, where the Excel reader reads any cell: so
    a long CSV cell is read too, and reported as too long on its own row like any other.
    The limit is global to the process; raising it never makes another reader refuse.
    """
    if csv.field_size_limit() < MAX_BYTES:
        csv.field_size_limit(MAX_BYTES)


def _decode(path: Path) -> str:
    """The file's text, decoded once: UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1252."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"Recruit could not read {path.name}: {exc.strerror}.") from None
    if data.startswith(UTF16_BOMS):
        # Excel's "Unicode Text" is UTF-16; it is text, so the NUL test below must not see it.
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ValidationError(f"{path.name} is damaged: its UTF-16 text is cut.") from None
    _refuse_binary(data, path.name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ValidationError(
            f"{path.name} is not in a text encoding Recruit can read (UTF-8 or Windows-1252)."
        ) from None


def _refuse_binary(data: bytes, name: str) -> None:
    if data.startswith(ZIP_MAGIC):
        raise ValidationError(
            f"{name} is an Excel workbook or another zipped file, not CSV text; "
            "give it the .xlsx ending or save it as CSV."
        )
    if data.startswith(OLE_MAGIC):
        raise ValidationError(f"{name} is an old Excel (.xls) file, not CSV text; save it as CSV.")
    if b"\x00" in data:
        raise ValidationError(f"{name} is not a text file.")


def _sniff_delimiter(sample: str, *, truncated: bool) -> str:
    """The delimiter whose columns line up best with the header over the first records."""
    best, best_score = DELIMITERS[0], (0, 0)
    for delimiter in DELIMITERS:
        records = _sample_records(sample, delimiter, truncated)
        if not records or len(records[0]) < 2:
            continue
        width = len(records[0])
        score = (sum(len(r) == width for r in records[1:]), width)
        if score > best_score:  # ties keep the earlier, more usual delimiter
            best, best_score = delimiter, score
    return best


def _sample_records(sample: str, delimiter: str, truncated: bool) -> list[list[str]]:
    records: list[list[str]] = []
    try:
        for record in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter):
            if "".join(record).strip():
                records.append(record)
            if len(records) > SNIFF_RECORDS:
                break
    except csv.Error:
        pass  # the full read reports bad quoting with its line; sniffing just stops here
    if truncated and len(records) > 1:
        records.pop()  # the sample may end part-way through a record
    return records


# --- Excel ----------------------------------------------------------------------------


def _read_xlsx(path: Path, hooks: _Hooks, max_rows: int) -> Table:
    try:
        # our own handle, so the file is closed even when openpyxl fails part-way through
        with path.open("rb") as handle:
            if handle.read(len(OLE_MAGIC)) == OLE_MAGIC:
                raise ValidationError(
                    f"{path.name} is protected with a password or is an old Excel (.xls) "
                    "file; remove the password or save it as an Excel workbook (.xlsx), "
                    "then try again."
                )
            handle.seek(0)
            # openpyxl warns about features it skips (data validation, styles): irrelevant
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return _read_workbook(handle, path.name, hooks, max_rows)
    except RecruitError:
        raise
    except OSError as exc:
        raise ValidationError(f"Recruit could not read {path.name}: {exc.strerror}.") from None
    except Exception:  # openpyxl raises many kinds (zip, XML, key, value) on damaged files
        raise ValidationError(
            f"{path.name} is not an Excel workbook Recruit can read; it may be damaged or "
            "saved in another format. Open it in Excel and save it again as .xlsx."
        ) from None


def _read_workbook(handle: BinaryIO, source: str, hooks: _Hooks, max_rows: int) -> Table:
    from openpyxl import load_workbook  # heavy; only Excel imports pay for it

    book = load_workbook(handle, read_only=True, data_only=True)
    try:
        if not book.worksheets:
            raise ValidationError(f"{source} has no worksheets.")
        sheet = _pick_sheet(book.worksheets)
        total = sheet.max_row or 0  # the file's own note of its size; 0 when it has none
        # that note is often wrong in files from other programs; read every cell instead
        sheet.reset_dimensions()
        values = sheet.iter_rows(min_row=1, values_only=True)
        headers, rows = _sheet_rows(values, source, hooks, total, max_rows)
        if not headers:
            raise ValidationError(f"The sheet {sheet.title!r} in {source} is empty.")
        hooks.finish(max(total, rows[-1][0] if rows else 1))
        return Table(headers, rows, source, sheet.title)
    finally:
        book.close()


def _pick_sheet(sheets: Sequence[Any]) -> Any:
    for sheet in sheets:
        if sheet.title.strip().casefold() == PREFERRED_SHEET:
            return sheet
    return sheets[0]


def _sheet_rows(
    values: Iterable[tuple[Any, ...]], source: str, hooks: _Hooks, total: int, max_rows: int
) -> tuple[tuple[str, ...], list[tuple[int, tuple[str, ...]]]]:
    step = total // PROGRESS_STEPS if total else UNKNOWN_TOTAL_STEP
    headers: tuple[str, ...] = ()
    rows: list[tuple[int, tuple[str, ...]]] = []
    # From row 1 openpyxl yields a tuple, empty or not, for every row: counting gives the
    # row numbers Excel shows.
    for number, cells in enumerate(values, start=1):
        if number % CHECK_EVERY == 0:
            hooks.report(number, total, step)
        texts = [cell_text(value) for value in cells]
        if not "".join(texts).strip():
            continue
        if not headers:
            headers = _make_headers(texts)
            continue
        rows.append((number, _fit_row(texts, len(headers), source, f"row {number}")))
        if len(rows) > max_rows:
            raise _too_many_rows(source, max_rows)
    return headers, rows


def cell_text(value: Any) -> str:
    """An Excel cell's value as the text a person would read in it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return _datetime_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="seconds" if value.second else "minutes")
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _datetime_text(value: datetime) -> str:
    if value.time() == time(0, 0):
        return value.date().isoformat()
    return value.isoformat(sep=" ", timespec="seconds" if value.second else "minutes")
