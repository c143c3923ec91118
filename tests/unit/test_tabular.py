"""Reading CSV and Excel files people bring: encodings, delimiters, quirks and refusals."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from recruit_app.errors import Cancelled, ValidationError
from recruit_app.services.tabular import Table, cell_text, read_table


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def many_rows(count: int) -> bytes:
    lines = ["First name,Last name,Email,Notes"]
    lines += [f'Ann{n},Lee,ann{n}@example.org,"note, {n}"' for n in range(count)]
    return ("\r\n".join(lines) + "\r\n").encode()


# --- encodings and delimiters ------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        "First name,Notes\r\nZoë,£5 voucher\r\n".encode("utf-8-sig"),
        "First name,Notes\r\nZoë,£5 voucher\r\n".encode(),
        "First name,Notes\r\nZoë,£5 voucher\r\n".encode("cp1252"),
        "First name\tNotes\r\nZoë\t£5 voucher\r\n".encode("utf-16"),
    ],
    ids=["utf-8 with BOM", "utf-8", "windows-1252", "utf-16 from Excel"],
)
def test_text_in_every_common_encoding_reads_the_same(tmp_path, data):
    table = read_table(write(tmp_path, "people.csv", data))
    assert table == Table(("First name", "Notes"), [(2, ("Zoë", "£5 voucher"))], "people.csv")


def test_semicolons_are_sniffed_even_with_commas_in_values(tmp_path):
    data = "Name;Email, work;Notes\nAnn Lee;ann@example.org;a, b\nBo Yu;bo@example.org;c\n"
    table = read_table(write(tmp_path, "people.csv", data.encode()))
    assert table.headers == ("Name", "Email, work", "Notes")
    assert table.rows[0] == (2, ("Ann Lee", "ann@example.org", "a, b"))


def test_tabs_are_sniffed(tmp_path):
    table = read_table(write(tmp_path, "people.txt", b"Name\tEmail\nAnn Lee\tann@example.org\n"))
    assert table.rows == [(2, ("Ann Lee", "ann@example.org"))]


def test_quoted_cells_keep_commas_and_line_breaks_and_lines_count_physically(tmp_path):
    data = b'Name,Notes\r\n"Lee, Ann","line one\r\nline two, with a comma"\r\nBo Yu,plain\r\n'
    table = read_table(write(tmp_path, "people.csv", data))
    assert table.rows == [
        (2, ("Lee, Ann", "line one\r\nline two, with a comma")),
        (4, ("Bo Yu", "plain")),
    ]


def test_blank_lines_and_rows_of_empty_cells_are_skipped(tmp_path):
    table = read_table(write(tmp_path, "people.csv", b"\nA,B\n\n1,2\n , \n\n3,4\n\n"))
    assert table.headers == ("A", "B")
    assert table.rows == [(4, ("1", "2")), (7, ("3", "4"))]


def test_short_rows_are_padded_and_trailing_empty_cells_dropped(tmp_path):
    table = read_table(write(tmp_path, "people.csv", b"A,B,C\n1\n1,2,3,,\n"))
    assert table.rows == [(2, ("1", "", "")), (3, ("1", "2", "3"))]


def test_a_row_with_more_cells_than_the_header_is_refused_with_its_line(tmp_path):
    path = write(tmp_path, "people.csv", b"A,B\n1,2\n\n1,2,3\n")
    with pytest.raises(ValidationError) as caught:
        read_table(path)
    assert caught.value.message == "people.csv, line 4: the row has 3 cells but the header has 2."


def test_headers_are_stripped_named_and_made_unique(tmp_path):
    data = b" First name ,,Email,Email,email,  \n1,2,3,4,5\n"
    table = read_table(write(tmp_path, "people.csv", data))
    assert table.headers == ("First name", "Column 2", "Email", "Email (2)", "email (3)")


def test_cells_are_returned_as_typed(tmp_path):
    data = '"=HYPERLINK(""http://x"")", <b>Łukasz</b> 😀 ,Niamh O\'Brien\n'.encode()
    table = read_table(write(tmp_path, "people.csv", b"A,B,C\n" + data))
    assert table.rows[0][1] == ('=HYPERLINK("http://x")', " <b>Łukasz</b> 😀 ", "Niamh O'Brien")


def test_an_unclosed_quote_is_refused_rather_than_swallowing_rows(tmp_path):
    path = write(tmp_path, "people.csv", b'A,B\n1,2\n3,"never closed\n4,5\n')
    with pytest.raises(ValidationError, match=r"^people\.csv, line 3: Recruit cannot read"):
        read_table(path)


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(ValidationError, match="is empty"):
        read_table(write(tmp_path, "people.csv", b"\r\n\r\n"))


# --- Excel -------------------------------------------------------------------------------


def candidates_workbook(path: Path) -> Path:
    book = Workbook()
    notes = book.active
    notes.title = "Read me"
    notes.append(["This sheet is not the data"])
    sheet = book.create_sheet("Candidates")
    sheet.append(["First name", "Joined", "Interview", "Minutes", "Score", "GIS", "Phone"])
    sheet.append([])
    sheet.append(["Zoë", date(2026, 12, 8), datetime(2026, 12, 9, 9, 30), 15, 15.0, True, None])
    sheet.append([None, None, None, None, None, None, None])
    sheet.append(["Łukasz", datetime(2026, 12, 10), None, 0, 2.5, False, 7700900123.0])
    book.save(path)
    return path


def test_an_excel_sheet_named_candidates_is_read_as_text_with_excel_row_numbers(tmp_path):
    table = read_table(candidates_workbook(tmp_path / "people.xlsx"))
    assert table.sheet == "Candidates"
    assert table.source == "people.xlsx"
    assert table.headers == (
        "First name",
        "Joined",
        "Interview",
        "Minutes",
        "Score",
        "GIS",
        "Phone",
    )
    assert table.rows == [
        (3, ("Zoë", "2026-12-08", "2026-12-09 09:30", "15", "15", "yes", "")),
        (5, ("Łukasz", "2026-12-10", "", "0", "2.5", "no", "7700900123")),
    ]


def test_without_a_candidates_sheet_the_first_sheet_is_read(tmp_path):
    book = Workbook()
    book.active.title = "Applicants"
    book.active.append(["Name", "Email"])
    book.active.append(["Ann Lee", "ann@example.org"])
    book.create_sheet("Other").append(["x"])
    book.save(tmp_path / "people.xlsm")
    table = read_table(tmp_path / "people.xlsm")
    assert (table.sheet, table.rows) == ("Applicants", [(2, ("Ann Lee", "ann@example.org"))])


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("  as typed ", "  as typed "),
        (True, "yes"),
        (False, "no"),
        (42, "42"),
        (42.0, "42"),
        (0.1, "0.1"),
        (date(2026, 12, 8), "2026-12-08"),
        (datetime(2026, 12, 8), "2026-12-08"),
        (datetime(2026, 12, 8, 14, 5), "2026-12-08 14:05"),
    ],
)
def test_cell_values_become_the_text_a_person_reads(value, text):
    assert cell_text(value) == text


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (bytes(range(256)) * 16, "is not an Excel workbook Recruit can read"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "protected with a password"),
    ],
    ids=["random bytes", "encrypted or old .xls"],
)
def test_a_damaged_or_protected_workbook_is_refused_in_words(tmp_path, data, words):
    with pytest.raises(ValidationError, match=words):
        read_table(write(tmp_path, "people.xlsx", data))


def test_a_zip_that_is_not_a_workbook_is_refused_in_words(tmp_path):
    with zipfile.ZipFile(tmp_path / "people.xlsx", "w") as archive:
        archive.writestr("hello.txt", "hello")
    with pytest.raises(ValidationError, match="is not an Excel workbook Recruit can read"):
        read_table(tmp_path / "people.xlsx")


# --- refusals ------------------------------------------------------------------------------


def test_an_unknown_suffix_is_refused_naming_it(tmp_path):
    with pytest.raises(ValidationError, match=r"cannot read \.pdf files"):
        read_table(write(tmp_path, "people.pdf", b"%PDF-1.7"))
    with pytest.raises(ValidationError, match=r"\.xls files.*Excel workbook \(\.xlsx\)"):
        read_table(write(tmp_path, "people.xls", b"x"))


def test_a_missing_file_or_a_folder_is_refused(tmp_path):
    with pytest.raises(ValidationError, match="There is no file at"):
        read_table(tmp_path / "missing.csv")
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(ValidationError, match="is a folder, not a file"):
        read_table(tmp_path / "folder.csv")


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    with pytest.raises(ValidationError, match="the limit is"):
        read_table(write(tmp_path, "people.csv", many_rows(100)), max_bytes=1024)


def test_a_file_over_the_row_limit_is_refused(tmp_path):
    with pytest.raises(ValidationError, match="more than 50 rows"):
        read_table(write(tmp_path, "people.csv", many_rows(51)), max_rows=50)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"Name\x00\x01\x02\xff" * 100, "is not a text file"),
        (b"PK\x03\x04" + bytes(100), "give it the .xlsx ending"),
    ],
)
def test_a_csv_that_is_really_binary_is_refused(tmp_path, data, words):
    with pytest.raises(ValidationError, match=words):
        read_table(write(tmp_path, "people.csv", data))


# --- size, progress and cancelling ---------------------------------------------------------


def test_a_hundred_thousand_rows_are_read(tmp_path):
    table = read_table(write(tmp_path, "people.csv", many_rows(100_000)))
    assert len(table.rows) == 100_000
    assert table.rows[-1][0] == 100_001


@pytest.mark.parametrize("name", ["people.csv", "people.xlsx"])
def test_progress_is_reported_a_bounded_number_of_times(tmp_path, name):
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_bytes(many_rows(20_000))
    else:
        book = Workbook()
        book.active.append(["Name", "Email"])
        for n in range(3_000):
            book.active.append([f"Ann {n}", f"ann{n}@example.org"])
        book.save(path)
    calls: list[tuple[int, int]] = []
    read_table(path, progress=lambda done, total: calls.append((done, total)))
    assert 2 <= len(calls) <= 102
    assert calls[-1][0] == calls[-1][1]
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


@pytest.mark.parametrize("name", ["people.csv", "people.xlsx"])
def test_cancelling_raises_cancelled(tmp_path, name):
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_bytes(many_rows(5_000))
    else:
        candidates_workbook(path)
    with pytest.raises(Cancelled):
        read_table(path, cancelled=lambda: True)


def test_cancelling_part_way_through_stops_the_read(tmp_path):
    path = write(tmp_path, "people.csv", many_rows(5_000))
    asked = []

    def cancelled() -> bool:
        asked.append(True)
        return len(asked) > 3

    with pytest.raises(Cancelled):
        read_table(path, cancelled=cancelled)
    assert len(asked) == 4
