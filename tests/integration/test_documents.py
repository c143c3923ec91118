"""Candidates' documents read from real folders and ZIP files: what is read, with its exact
text, and what is refused, with its exact reason; hostile files among them.

Every file is made here: PDFs by ReportLab (and encrypted by pypdf), Word files by
python-docx, ZIP files by zipfile, some then patched byte by byte to lie.
"""

from __future__ import annotations

import io
import os
import stat
import struct
import sys
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from openpyxl import Workbook
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfgen.canvas import Canvas

from recruit_app.errors import Cancelled, ValidationError
from recruit_app.services.documents import (
    DOCX_MEDIA,
    MAX_PAGES,
    MAX_TEXT_CHARS,
    PDF_MEDIA,
    TEXT_MEDIA,
    DocumentBatch,
    DocumentFile,
    DocumentRefused,
    RefusedFile,
    extract_text,
    normalise_text,
    read_documents,
)

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024

# The reasons, spelled out here so that a change of wording is a change of this test.
PASSWORD = "is protected by a password; save an unprotected copy"
DAMAGED = "cannot be read: it is damaged"
DAMAGED_IN_ZIP = "cannot be read: it is damaged in the ZIP file"
NO_TEXT = "no text: needs reading in the original"
NOT_SUPPORTED = "is not a PDF, Word (.docx) or text file"
UNSAFE = "has a name that points outside the ZIP file, so it was not opened"
LINK = "is a link, not a file"
BOMB = "unpacks to far more than its own size, as a 'ZIP bomb' does, so it was not opened"
EMPTY = "is empty"


# --- making files -----------------------------------------------------------------------


def pdf_bytes(*pages: list[str], font: str = "Helvetica") -> bytes:
    """A PDF with one page per list of lines, drawn as real text."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    for lines in pages:
        canvas.setFont(font, 11)
        for number, line in enumerate(lines):
            canvas.drawString(72, 770 - 16 * number, line)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def image_pdf() -> bytes:
    """A scanned page, as far as text goes: shapes and a picture, no text at all."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    picture = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 30, 30)).save(picture, format="PNG")
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.rect(72, 500, 300, 200, fill=1)
    canvas.circle(300, 300, 50)
    canvas.drawImage(ImageReader(io.BytesIO(picture.getvalue())), 72, 72, 120, 80)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def encrypted_pdf(password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(["Secret CV"]))))
    writer.encrypt(password, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def docx_bytes(build=None) -> bytes:
    document = docx.Document()
    if build is None:
        document.add_paragraph("Personal statement")
        document.add_paragraph("I’m Siân O’Brien, a well-known analyst.")
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text = "2019–2021"
        table.cell(0, 1).text = "Analyst, HMRC"
        table.cell(1, 0).text = "2021–2024"
        table.cell(1, 1).text = "Senior analyst, DWP"
        document.add_paragraph("Qualifications: BSc Economics")
        document.sections[0].header.paragraphs[0].text = "Candidate 0012"
        document.sections[0].footer.paragraphs[0].text = "Page 1"
    else:
        build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


DOCX_TEXT = (
    "Candidate 0012\n"
    "Personal statement\n"
    "I’m Siân O’Brien, a well-known analyst.\n"
    "2019–2021 Analyst, HMRC\n"
    "2021–2024 Senior analyst, DWP\n"
    "Qualifications: BSc Economics\n"
    "Page 1"
)


def write(folder: Path, relative: str, data: bytes) -> Path:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def zip_file(path: Path, members: list[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return path


def patch_member(
    data: bytes,
    *,
    size: int | None = None,
    crc: int | None = None,
    flags: int | None = None,
    method: int | None = None,
) -> bytes:
    """The ZIP file's only member with its headers (local and central) made to say
    something else: its unpacked size, its CRC, its flags, its packing method."""
    data = bytearray(data)
    for signature, at_flags, at_crc, at_size in (
        (b"PK\x03\x04", 6, 14, 22),
        (b"PK\x01\x02", 8, 16, 24),
    ):
        start = data.find(signature)
        assert start >= 0 and data.find(signature, start + 1) < 0
        if flags is not None:
            struct.pack_into("<H", data, start + at_flags, flags)
        if method is not None:
            struct.pack_into("<H", data, start + at_flags + 2, method)
        if crc is not None:
            struct.pack_into("<I", data, start + at_crc, crc)
        if size is not None:
            struct.pack_into("<I", data, start + at_size, size)
    return bytes(data)


def reasons(batch: DocumentBatch) -> dict[str, str]:
    return {refused.path: refused.reason for refused in batch.refused}


def refusal(name: str, data: bytes) -> str:
    with pytest.raises(DocumentRefused) as caught:
        extract_text(name, data)
    return caught.value.reason


# --- a folder ---------------------------------------------------------------------------


def test_a_folder_of_documents_is_read_in_the_order_of_its_paths(tmp_path: Path) -> None:
    folder = tmp_path / "Applications"
    cv = write(folder, "0007 CV.pdf", pdf_bytes(["Jane Doe", "jane.doe@example.org"], ["Page two"]))
    statement = write(folder, "0012-statement.docx", docx_bytes())
    note = write(folder, "jane.doe@example.org.txt", b"Hello,\r\n\r\nI attach my CV.\r\n")
    write(folder, "late/0020.pdf", pdf_bytes(["Late entry"]))
    calls: list[tuple[int, int]] = []

    batch = read_documents(folder, progress=lambda done, total: calls.append((done, total)))

    assert batch.source == "Applications"
    assert batch.refused == ()
    assert batch.files == (
        DocumentFile(
            name="0007 CV.pdf",
            path="0007 CV.pdf",
            data=cv.read_bytes(),
            media_type=PDF_MEDIA,
            text="Jane Doe\njane.doe@example.org\n\nPage two",
            pages=2,
            no_text=False,
            note="",
        ),
        DocumentFile(
            name="0012-statement.docx",
            path="0012-statement.docx",
            data=statement.read_bytes(),
            media_type=DOCX_MEDIA,
            text=DOCX_TEXT,
            pages=0,
            no_text=False,
            note="",
        ),
        DocumentFile(
            name="jane.doe@example.org.txt",
            path="jane.doe@example.org.txt",
            data=note.read_bytes(),
            media_type=TEXT_MEDIA,
            text="Hello,\n\nI attach my CV.",
            pages=0,
            no_text=False,
            note="",
        ),
        DocumentFile(
            name="0020.pdf",
            path="late/0020.pdf",
            data=(folder / "late/0020.pdf").read_bytes(),
            media_type=PDF_MEDIA,
            text="Late entry",
            pages=1,
            no_text=False,
            note="",
        ),
    )
    assert calls == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]


def test_odd_names_are_read_as_they_are(tmp_path: Path) -> None:
    folder = tmp_path / "odd #1? folder"
    write(folder, "Siân O'Brien CV.pdf", pdf_bytes(["Siân"], font=dejavu()))
    write(folder, "0007 #1?.txt", b"hash and question")
    write(folder, "Zoë Ünïcode/0012 statement (final).docx", docx_bytes())
    write(folder, "%20 & ; $HOME.txt", b"shell-ish")

    batch = read_documents(folder)

    assert batch.source == "odd #1? folder"
    assert [(f.path, f.name, f.text) for f in batch.files] == [
        ("%20 & ; $HOME.txt", "%20 & ; $HOME.txt", "shell-ish"),
        ("0007 #1?.txt", "0007 #1?.txt", "hash and question"),
        ("Siân O'Brien CV.pdf", "Siân O'Brien CV.pdf", "Siân"),
        ("Zoë Ünïcode/0012 statement (final).docx", "0012 statement (final).docx", DOCX_TEXT),
    ]
    assert batch.refused == ()


def test_clutter_is_ignored_and_everything_else_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    write(folder, "0007.txt", b"kept")
    for clutter in (
        ".DS_Store",
        "Thumbs.db",
        "sub/desktop.ini",
        "~$0007 CV.docx",
        "._0007.txt",
        "__MACOSX/0007.txt",
        "sub/__MACOSX/._x.pdf",
    ):
        write(folder, clutter, b"\x00\x01 clutter")
    write(folder, "photo.jpg", b"\xff\xd8\xff\xe0 not read")
    write(folder, "notes", b"no ending")
    write(folder, "0008.rtf", b"{\\rtf1 hello}")
    write(folder, "0009.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    write(folder, "0010.odt", b"PK\x03\x04")
    write(folder, "0011.pages/Index.zip", b"PK\x03\x04")  # Pages keeps a document as a folder
    write(folder, "inner.zip", b"PK\x05\x06" + bytes(18))
    write(folder, "0012.txt", b"")

    batch = read_documents(folder)

    assert [f.path for f in batch.files] == ["0007.txt"]
    assert reasons(batch) == {
        "0008.rtf": (
            "is a Rich Text (.rtf) file, which Recruit cannot read; save it as PDF or Word (.docx)"
        ),
        "0009.doc": (
            "is an old Word (.doc) file, which Recruit cannot read; save it as PDF or Word (.docx)"
        ),
        "0010.odt": (
            "is an OpenDocument (.odt) file, which Recruit cannot read; "
            "save it as PDF or Word (.docx)"
        ),
        "0011.pages": (
            "is an Apple Pages file, which Recruit cannot read; save it as PDF or Word (.docx)"
        ),
        "0012.txt": EMPTY,
        "inner.zip": "is a ZIP file inside the folder; import it on its own",
        "notes": NOT_SUPPORTED,
        "photo.jpg": NOT_SUPPORTED,
    }
    assert [r.path for r in batch.refused] == sorted(r.path for r in batch.refused)


NO_FIFOS = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


@NO_FIFOS
def test_links_are_reported_and_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write(outside, "secret.txt", b"never read")
    folder = tmp_path / "docs"
    write(folder, "0007.txt", b"kept")
    (folder / "0008.txt").symlink_to(outside / "secret.txt")
    (folder / "elsewhere").symlink_to(outside, target_is_directory=True)
    (folder / "dangling.pdf").symlink_to(tmp_path / "missing.pdf")
    os.mkfifo(folder / "0009.txt")

    batch = read_documents(folder)

    assert [(f.path, f.text) for f in batch.files] == [("0007.txt", "kept")]
    assert reasons(batch) == {
        "0008.txt": LINK,
        "0009.txt": "is not a file",
        "dangling.pdf": LINK,
        "elsewhere": LINK,
    }


def test_a_file_over_the_limit_is_refused_unread(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    with (folder / "0007 CV.pdf").open("wb") as handle:
        handle.truncate(25 * MB)  # sparse: nothing to read even if it were read
    write(folder, "0008.txt", b"x" * 2000)

    assert reasons(read_documents(folder)) == {"0007 CV.pdf": "is bigger than 20 MB"}
    small = read_documents(folder, max_file_bytes=1000)
    assert reasons(small) == {
        "0007 CV.pdf": "is bigger than 1,000 bytes",
        "0008.txt": "is bigger than 1,000 bytes",
    }


@pytest.mark.skipif(sys.platform != "linux", reason="other systems keep file names as text")
def test_a_name_that_is_not_text_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    with open(os.fsencode(folder) + b"/0007 \xff.txt", "wb") as handle:
        handle.write(b"text")

    batch = read_documents(folder)

    assert batch.files == ()
    assert reasons(batch) == {
        "0007 \ufffd.txt": "has a name that is not valid text; rename it and try again"
    }


@NO_FIFOS
def test_a_file_changed_after_the_walk_is_checked_again_as_it_is_opened(
    tmp_path: Path,
) -> None:
    """Between finding a file and reading it, it may become a link, a pipe, or grow."""
    outside = write(tmp_path, "outside/secret.txt", b"never read")
    folder = tmp_path / "docs"
    write(folder, "0001.txt", b"first")
    write(folder, "0002.txt", b"becomes a link")
    write(folder, "0003.txt", b"becomes a pipe")
    write(folder, "0004.txt", b"grows")

    def meddle(done: int, total: int) -> None:
        if done == 1:  # the walk is over and the first file read: change the others
            (folder / "0002.txt").unlink()
            (folder / "0002.txt").symlink_to(outside)
            (folder / "0003.txt").unlink()
            os.mkfifo(folder / "0003.txt")
            (folder / "0004.txt").write_bytes(b"x" * 2000)

    batch = read_documents(folder, progress=meddle, max_file_bytes=1000)

    assert [(f.path, f.text) for f in batch.files] == [("0001.txt", "first")]
    assert reasons(batch) == {
        "0002.txt": LINK,
        "0003.txt": "is not a file",
        "0004.txt": "is bigger than 1,000 bytes",
    }


def test_a_file_recruit_may_not_read_is_refused(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "docs"
    write(folder, "0007.txt", b"text")
    write(folder, "0008.txt", b"text")
    real_open = os.open

    def refuse_0007(path, flags, *args):
        if str(path).endswith("0007.txt"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", refuse_0007)
    batch = read_documents(folder)
    assert [f.path for f in batch.files] == ["0008.txt"]
    assert reasons(batch) == {"0007.txt": "cannot be opened: Recruit may not read it"}


def test_too_many_files_or_bytes_refuse_the_whole_folder(tmp_path: Path) -> None:
    folder = tmp_path / "Applications"
    for number in range(4):
        write(folder, f"{number:04}.txt", b"x" * 1000)

    assert len(read_documents(folder, max_files=4).files) == 4
    with pytest.raises(ValidationError) as caught:
        read_documents(folder, max_files=3)
    assert str(caught.value) == (
        "Applications holds more than 3 files; Recruit imports at most that many at once."
    )
    with pytest.raises(ValidationError) as caught:
        read_documents(folder, max_total_bytes=3999)
    assert str(caught.value) == (
        "Applications holds more than 3.9 KB of files; Recruit imports at most that much at once."
    )


def test_paths_that_cannot_be_used(tmp_path: Path) -> None:
    def message(path: Path) -> str:
        with pytest.raises(ValidationError) as caught:
            read_documents(path)
        return str(caught.value)

    missing = tmp_path / "missing"
    assert message(missing) == f"There is no folder or file at {missing}."
    text = write(tmp_path, "list.txt", b"text")
    assert message(text) == (
        "list.txt is not a folder or a ZIP file; choose a folder of documents or a .zip file."
    )
    for name, data in (("bad.zip", b"not a zip at all"), ("cut.zip", zip_bytes()[:-10])):
        assert message(write(tmp_path, name, data)) == (
            f"{name} cannot be opened: it is damaged or is not a ZIP file."
        )


def test_cancel_stops_between_files(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    for number in range(5):
        write(folder, f"{number:04}.txt", b"text")
    calls: list[tuple[int, int]] = []

    def cancelled() -> bool:
        return len(calls) > 2  # the user presses Cancel once two files are read

    with pytest.raises(Cancelled):
        read_documents(folder, progress=lambda d, t: calls.append((d, t)), cancelled=cancelled)
    assert calls == [(0, 5), (1, 5), (2, 5)]


def test_cancelled_before_anything_is_read(tmp_path: Path) -> None:
    with pytest.raises(Cancelled):
        read_documents(tmp_path / "missing", cancelled=lambda: True)


# --- a ZIP file -------------------------------------------------------------------------


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("0007.txt", b"text " * 100)
    return buffer.getvalue()


def test_a_zip_file_is_read_in_memory(tmp_path: Path) -> None:
    cv = pdf_bytes(["Siân O’Brien"], font=dejavu())
    path = zip_file(
        tmp_path / "Applications 2026.zip",
        [
            ("Applications/", b""),
            ("Applications/Siân O'Brien CV.pdf", cv),
            ("Applications/0012 #2?.docx", docx_bytes()),
            ("Applications/jane.doe@example.org.txt", "Dear panel – hello".encode("cp1252")),
            ("__MACOSX/Applications/._Siân O'Brien CV.pdf", b"\x00\x05\x16\x07"),
            ("Applications/.DS_Store", b"\x00\x00\x00\x01Bud1"),
            ("Applications/Thumbs.db", b"\xd0\xcf\x11\xe0"),
        ],
    )
    before = sorted(p.name for p in tmp_path.iterdir())

    batch = read_documents(path)

    assert batch.source == "Applications 2026.zip"
    assert batch.refused == ()
    assert [(f.path, f.name, f.media_type, f.text) for f in batch.files] == [
        ("Applications/0012 #2?.docx", "0012 #2?.docx", DOCX_MEDIA, DOCX_TEXT),
        ("Applications/Siân O'Brien CV.pdf", "Siân O'Brien CV.pdf", PDF_MEDIA, "Siân O’Brien"),
        (
            "Applications/jane.doe@example.org.txt",
            "jane.doe@example.org.txt",
            TEXT_MEDIA,
            "Dear panel – hello",
        ),
    ]
    assert batch.files[1].data == cv
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing unpacked to disk


def test_names_that_point_outside_the_zip_are_refused(tmp_path: Path) -> None:
    path = zip_file(
        tmp_path / "evil.zip",
        [
            ("../evil.txt", b"escape"),
            ("/etc/x.txt", b"absolute"),
            ("a/../../b.txt", b"climb"),
            ("a/../c.txt", b"climb back in"),
            ("..\\windows.txt", b"backslash"),
            ("docs\\..\\..\\up.txt", b"backslashes"),
            ("C:/Users/x.txt", b"drive"),
            ("c:evil.txt", b"drive relative"),
            ("\\\\server\\share\\x.txt", b"network"),
            ("docs\\0007.txt", b"a Windows folder"),
            ("./0008.txt", b"here"),
        ],
    )

    batch = read_documents(path)

    assert [(f.path, f.name, f.text) for f in batch.files] == [
        ("0008.txt", "0008.txt", "here"),
        ("docs/0007.txt", "0007.txt", "a Windows folder"),
    ]
    assert reasons(batch) == {
        "../evil.txt": UNSAFE,
        "/etc/x.txt": UNSAFE,
        "a/../../b.txt": UNSAFE,
        "a/../c.txt": UNSAFE,
        "../windows.txt": UNSAFE,
        "docs/../../up.txt": UNSAFE,
        "C:/Users/x.txt": UNSAFE,
        "c:evil.txt": UNSAFE,
        "//server/share/x.txt": UNSAFE,
    }


def test_links_archives_and_passwords_inside_a_zip_are_refused(tmp_path: Path) -> None:
    link = zipfile.ZipInfo("0007.pdf")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    path = zip_file(
        tmp_path / "docs.zip",
        [
            (link, b"/etc/passwd"),
            ("inner.zip", zip_bytes()),
            ("0008.txt", b""),
            ("0009.rtf", b"{\\rtf1 hi}"),
        ],
    )

    assert reasons(read_documents(path)) == {
        "0007.pdf": LINK,
        "0008.txt": EMPTY,
        "0009.rtf": (
            "is a Rich Text (.rtf) file, which Recruit cannot read; save it as PDF or Word (.docx)"
        ),
        "inner.zip": "is a ZIP file inside the ZIP file; unpack it and import its files",
    }

    locked = write(tmp_path, "locked.zip", patch_member(zip_bytes(), flags=0x1))
    assert reasons(read_documents(locked)) == {
        "0007.txt": "is protected by a password in the ZIP file; make the ZIP file without one"
    }


def test_a_member_packed_in_an_unknown_way_is_refused(tmp_path: Path) -> None:
    deflate64 = write(tmp_path, "odd.zip", patch_member(zip_bytes(), method=9))
    assert reasons(read_documents(deflate64)) == {
        "0007.txt": "is packed in a way Recruit cannot unpack; make the ZIP file again"
    }


def test_cancel_stops_between_members(tmp_path: Path) -> None:
    path = zip_file(tmp_path / "docs.zip", [(f"{n:04}.txt", b"text") for n in range(3)])
    calls: list[tuple[int, int]] = []
    with pytest.raises(Cancelled):
        read_documents(
            path, progress=lambda d, t: calls.append((d, t)), cancelled=lambda: len(calls) > 1
        )
    assert calls == [(0, 3), (1, 3)]


def zeros_zip(path: Path, name: str, size: int) -> Path:
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open(name, "w") as member,
    ):
        block = bytes(MB)
        for _ in range(size // MB):
            member.write(block)
    return path


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    bomb = zeros_zip(tmp_path / "bomb.zip", "0007 CV.txt", 50 * MB)
    assert bomb.stat().st_size < 100_000

    assert reasons(read_documents(bomb)) == {"0007 CV.txt": "is bigger than 20 MB"}
    assert reasons(read_documents(bomb, max_file_bytes=1 * MB)) == {
        "0007 CV.txt": "is bigger than 1 MB"
    }
    under_limit = zeros_zip(tmp_path / "small bomb.zip", "0007 CV.pdf", 10 * MB)
    assert reasons(read_documents(under_limit)) == {"0007 CV.pdf": BOMB}
    with pytest.raises(ValidationError) as caught:
        read_documents(bomb, max_total_bytes=40 * MB)
    assert str(caught.value) == (
        "bomb.zip unpacks to more than 40 MB of files; Recruit imports at most that much at once."
    )


def test_a_member_that_lies_about_its_size_is_never_inflated_past_it(tmp_path: Path) -> None:
    text = b"I am a much longer statement than my header says. " * 40_000  # 2 MB
    honest = io.BytesIO()
    with zipfile.ZipFile(honest, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("0007.txt", text)

    # The header says 100 bytes: zipfile stops there, and the CRC of the whole is wrong.
    lying = write(tmp_path, "lying.zip", patch_member(honest.getvalue(), size=100))
    assert reasons(read_documents(lying)) == {"0007.txt": DAMAGED_IN_ZIP}

    # With a CRC to match those 100 bytes too, the member is those 100 bytes, no more.
    crc = zlib.crc32(text[:100])
    matching = write(tmp_path, "matching.zip", patch_member(honest.getvalue(), size=100, crc=crc))
    batch = read_documents(matching)
    assert [(f.data, f.text) for f in batch.files] == [(text[:100], text[:100].decode().strip())]

    # Cut short: the header promises more than the packed data holds.
    cut = write(tmp_path, "cut.zip", patch_member(zip_bytes(), size=600))
    assert reasons(read_documents(cut)) == {"0007.txt": DAMAGED_IN_ZIP}


def test_too_many_members_refuse_the_whole_zip(tmp_path: Path) -> None:
    path = zip_file(tmp_path / "many.zip", [(f"{n:04}.txt", b"x") for n in range(5)])
    assert len(read_documents(path, max_files=5).files) == 5
    with pytest.raises(ValidationError) as caught:
        read_documents(path, max_files=4)
    assert str(caught.value) == (
        "many.zip holds more than 4 files; Recruit imports at most that many at once."
    )


def test_millions_of_entries_are_refused_from_the_zip_files_last_record(tmp_path: Path) -> None:
    # An end record declaring 65,534 entries, with nothing behind it: refused unread.
    path = write(
        tmp_path, "huge.zip", b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, 65534, 65534, 0, 0, 0)
    )
    with pytest.raises(ValidationError) as caught:
        read_documents(path, max_files=1000)
    assert str(caught.value) == (
        "huge.zip holds 65,534 entries; Recruit imports at most 1,000 files at once."
    )


def test_an_empty_zip_or_folder_has_nothing_in_it(tmp_path: Path) -> None:
    empty = zip_file(tmp_path / "empty.zip", [])
    assert read_documents(empty) == DocumentBatch("empty.zip", (), ())
    (tmp_path / "none").mkdir()
    assert read_documents(tmp_path / "none") == DocumentBatch("none", (), ())


# --- PDF ------------------------------------------------------------------------------


def dejavu() -> str:
    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        font = ttfonts.TTFont("DejaVu", str(ROOT / "exports" / "fonts" / "DejaVuSans.ttf"))
        pdfmetrics.registerFont(font)
    return "DejaVu"


def test_pdf_text_with_ligatures_accents_and_curly_quotes() -> None:
    data = pdf_bytes(
        ["A ﬁne ﬂat for Siân O’Brien — café   "], ["", ""], ["Third page"], font=dejavu()
    )
    assert extract_text("0007 CV.pdf", data) == (
        "A fine flat for Siân O’Brien — café\n\nThird page",
        3,
        False,
        "",
    )


def test_a_pdf_with_no_text_is_kept_and_said_to_need_reading() -> None:
    data = image_pdf()
    assert extract_text("0007 CV.pdf", data) == ("", 1, True, NO_TEXT)


def test_a_scanned_pdf_is_kept_in_a_batch(tmp_path: Path) -> None:
    write(tmp_path / "docs", "0007 scan.PDF", image_pdf())
    (scan,) = read_documents(tmp_path / "docs").files
    assert (scan.media_type, scan.text, scan.pages, scan.no_text, scan.note) == (
        PDF_MEDIA,
        "",
        1,
        True,
        NO_TEXT,
    )


def test_only_the_first_pages_of_a_long_pdf_are_read() -> None:
    data = pdf_bytes(*([f"Page {n}"] for n in range(1, MAX_PAGES + 6)))
    text, pages, no_text, note = extract_text("long.pdf", data)
    assert text == "\n\n".join(f"Page {n}" for n in range(1, MAX_PAGES + 1))
    assert (pages, no_text, note) == (65, False, "only the first 60 pages were read (it has 65)")


@pytest.mark.parametrize("password", ["", "secret"], ids=["empty password", "real password"])
def test_a_pdf_with_a_password_is_refused(password: str) -> None:
    assert refusal("0007.pdf", encrypted_pdf(password)) == PASSWORD


def test_a_pdf_whose_encryption_pypdf_cannot_handle_is_still_protected() -> None:
    data = encrypted_pdf("").replace(b"/R 3", b"/R 9").replace(b"/V 2", b"/V 9")
    assert refusal("0007.pdf", data) == PASSWORD


def test_damaged_pdfs_are_refused() -> None:
    good = pdf_bytes(["Jane Doe"], ["Page two"])
    for damaged in (
        good[: len(good) // 2],
        good[:200],
        b"%PDF-1.7\n" + bytes(range(256)) * 100,
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>",
    ):
        assert refusal("0007.pdf", damaged) == DAMAGED


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"Dear panel,\nplease find my CV.", "is not a PDF (its content is text)"),
        (
            b"<!DOCTYPE html><html><body>Error 404</body></html>",
            "is not a PDF (its content is a web page (HTML))",
        ),
        (
            b"{\\rtf1\\ansi Jane}",
            "is not a PDF (its content is a Rich Text (.rtf) file); save it as PDF or Word (.docx)",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "is not a PDF (its content is a picture)"),
        (b"\x00\x01\x02\x03", "is not a PDF (its content is data of an unknown kind)"),
    ],
    ids=["text", "html", "rtf", "png", "binary"],
)
def test_a_pdf_that_is_something_else_is_refused(data: bytes, reason: str) -> None:
    assert refusal("0007.pdf", data) == reason


def test_a_file_named_wrongly_is_refused_not_guessed() -> None:
    assert refusal("0007.pdf", docx_bytes()) == (
        "is not a PDF (its content is a Word document); rename it to end in .docx"
    )
    assert refusal("0007.docx", pdf_bytes(["CV"])) == (
        "is not a Word (.docx) file (its content is a PDF); rename it to end in .pdf"
    )
    assert refusal("0007.txt", pdf_bytes(["CV"])) == (
        "is not a text file (its content is a PDF); rename it to end in .pdf"
    )
    assert refusal("0007.txt", docx_bytes()) == (
        "is not a text file (its content is a Word document); rename it to end in .docx"
    )


# --- Word -----------------------------------------------------------------------------


def test_word_text_in_reading_order_with_tables_headers_and_footers() -> None:
    assert extract_text("0012.docx", docx_bytes()) == (DOCX_TEXT, 0, False, "")


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'


def test_word_content_controls_text_boxes_nested_tables_and_tracked_changes() -> None:
    def build(document) -> None:
        def add(block) -> None:  # before the section's properties, where Word puts blocks
            document.element.body.sectPr.addprevious(block)

        add(
            parse_xml(
                f"<w:sdt {W}><w:sdtPr><w:alias w:val='Name'/></w:sdtPr><w:sdtContent>"
                "<w:p><w:r><w:t>Jane Doe</w:t></w:r></w:p></w:sdtContent></w:sdt>"
            )
        )
        add(
            parse_xml(
                f"<w:p {W} {MC}><w:r><w:t xml:space='preserve'>Beside </w:t></w:r>"
                "<w:r><mc:AlternateContent><mc:Choice Requires='wps'><w:drawing>"
                "<w:txbxContent><w:p><w:r><w:t>In a text box</w:t></w:r></w:p></w:txbxContent>"
                "</w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r>"
                "<w:t>In a text box</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>"
                "</mc:AlternateContent></w:r><w:r><w:t>the box</w:t></w:r></w:p>"
            )
        )
        add(
            parse_xml(
                f"<w:p {W}><w:r><w:t>well</w:t></w:r><w:r><w:noBreakHyphen/></w:r>"
                "<w:ins><w:r><w:t>known</w:t></w:r></w:ins>"
                "<w:del><w:r><w:delText>deleted</w:delText></w:r></w:del>"
                "<w:r><w:tab/><w:t>tabbed</w:t><w:br/><w:t>next line</w:t></w:r></w:p>"
            )
        )
        outer = document.add_table(rows=1, cols=2)
        outer.cell(0, 0).text = "Outer"
        inner = outer.cell(0, 1).add_table(rows=1, cols=2)
        inner.cell(0, 0).text = "In"
        inner.cell(0, 1).text = "ner"
        merged = document.add_table(rows=1, cols=3)
        merged.cell(0, 0).merge(merged.cell(0, 1)).text = "Merged"
        merged.cell(0, 2).text = "Alone"

    assert extract_text("0012.docx", docx_bytes(build)) == (
        "Jane Doe\n"
        "Beside the box\n"
        "In a text box\n"  # once: the copy Word keeps for older readers is passed over
        "well-known tabbed\n"
        "next line\n"
        "Outer\n"  # a row's cells are apart by a tab (a space once normalised) ...
        "In ner\n"  # ... here the second cell's own empty paragraph, then its table
        "\n"
        "Merged Alone",  # a merged cell once
        0,
        False,
        "",
    )


def ole_file(*streams: str) -> bytes:
    """The start of an OLE compound file naming `streams`, as Word's password files do."""
    names = b"".join(name.encode("utf-16-le") + bytes(2) for name in streams)
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + names + bytes(512)


def test_word_files_that_cannot_be_read_are_refused() -> None:
    good = docx_bytes()
    assert refusal("0012.docx", ole_file("EncryptionInfo", "EncryptedPackage")) == PASSWORD
    assert refusal("0012.docx", ole_file("WordDocument", "1Table")) == (
        "is not a Word (.docx) file (its content is an old Word or Excel file (.doc or .xls)); "
        "save it as PDF or Word (.docx)"
    )
    assert refusal("0012.docx", good[: len(good) // 2]) == DAMAGED
    assert refusal("0012.docx", b"PK\x03\x04" + b"junk" * 100) == DAMAGED
    workbook = io.BytesIO()
    Workbook().save(workbook)
    assert refusal("0012.docx", workbook.getvalue()) == (
        "is not a Word (.docx) file (its content is an Excel workbook)"
    )
    assert refusal("0012.docx", zip_bytes()) == (
        "is not a Word (.docx) file (its content is a ZIP file)"
    )


def test_a_word_file_that_is_a_zip_bomb_is_refused_before_python_docx_opens_it() -> None:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx_bytes())) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for info in source.infolist():
            bomb.writestr(info.filename, source.read(info))
        with bomb.open("word/media/image1.png", "w") as member:
            for _ in range(50):
                member.write(bytes(MB))
    assert len(buffer.getvalue()) < 200_000
    assert refusal("0012.docx", buffer.getvalue()) == BOMB


def test_a_word_file_with_no_text_needs_reading() -> None:
    assert extract_text("0012.docx", docx_bytes(lambda document: None)) == ("", 0, True, NO_TEXT)


# --- text -----------------------------------------------------------------------------

STATEMENT = "Siân O’Brien — café, naïve résumé"


@pytest.mark.parametrize(
    "data",
    [
        STATEMENT.encode("utf-8"),
        b"\xef\xbb\xbf" + STATEMENT.encode("utf-8"),
        STATEMENT.encode("utf-16"),
        b"\xfe\xff" + STATEMENT.encode("utf-16-be"),
        STATEMENT.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8 with BOM", "utf-16 LE", "utf-16 BE", "cp1252"],
)
def test_text_in_any_common_encoding(data: bytes) -> None:
    assert extract_text("0007.txt", data) == (STATEMENT, 0, False, "")


def test_text_that_is_not_text_is_refused() -> None:
    assert refusal("0007.txt", b"text\x00\x01\x02 then binary") == (
        "is not a text file (its content is data of an unknown kind)"
    )
    assert refusal("0007.txt", b"\xff\xd8\xff\xe0 JFIF") == (
        "is not a text file (its content is a picture)"
    )
    assert refusal("0007.txt", b"\x81\x8d\x8f\x90\x9d") == (
        "is not in a text encoding Recruit can read (UTF-8, UTF-16 or Windows-1252)"
    )
    assert refusal("0007.txt", b"\xff\xfe\x41") == DAMAGED  # UTF-16 cut in half a character


def test_long_text_is_cut_with_a_note() -> None:
    data = ("word " * 50_000).encode()  # 250,000 characters
    text, pages, no_text, note = extract_text("0007.txt", data)
    assert len(text) == MAX_TEXT_CHARS - 1  # cut at 200,000, then the space at the end
    assert text == ("word " * 40_000).strip()
    assert (pages, no_text, note) == (
        0,
        False,
        "only the first 200,000 characters of its text were kept",
    )


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        (
            "0007.rtf",
            "is a Rich Text (.rtf) file, which Recruit cannot read; save it as PDF or Word (.docx)",
        ),
        (
            "0007.doc",
            "is an old Word (.doc) file, which Recruit cannot read; save it as PDF or Word (.docx)",
        ),
        (
            "0007.ODT",
            "is an OpenDocument (.odt) file, which Recruit cannot read; "
            "save it as PDF or Word (.docx)",
        ),
        (
            "0007.pages",
            "is an Apple Pages file, which Recruit cannot read; save it as PDF or Word (.docx)",
        ),
        ("0007.jpg", NOT_SUPPORTED),
        ("0007", NOT_SUPPORTED),
        (".pdf", NOT_SUPPORTED),
    ],
)
def test_formats_recruit_cannot_read_are_refused_with_advice(name: str, reason: str) -> None:
    assert refusal(name, b"{\\rtf1 whatever}") == reason


def test_an_empty_file_is_refused() -> None:
    assert refusal("0007.pdf", b"") == EMPTY


# --- normalising ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  hello  ", "hello"),
        ("a\r\nb\rc\n", "a\nb\nc"),
        ("line   \nnext\t\n", "line\nnext"),
        ("a\n\n\n\n\nb", "a\n\nb"),
        ("a\n \n\t\n  \nb", "a\n\nb"),
        ("a\n\nb", "a\n\nb"),
        ("tab\there", "tab here"),
        ("nul\x00bell\x07del\x7fc1\x85x", "nulbelldelc1\nx"),
        ("page\x0cbreak", "page\nbreak"),
        ("ﬁne ﬂat ﬀ ﬃ ﬄ", "fine flat ff ffi ffl"),
        ("cafe\u0301", "café"),  # NFC
        (
            "O’Brien “quoted” ½ ² ｆｕｌｌ",
            "O’Brien “quoted” ½ ² ｆｕｌｌ",
        ),  # no NFKC beyond ligatures
        ("\ufeffbom", "bom"),
        ("recruit\xadment", "recruitment"),  # a soft hyphen
        ("line\u2028separator\u2029paragraph", "line\nseparator\nparagraph"),
        ("half \ud800 a character", "half  a character"),
        ("  indented\n    more", "indented\n    more"),
        ("", ""),
    ],
)
def test_normalise_text(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


def test_refused_and_read_files_are_plain_values() -> None:
    assert RefusedFile("a.pdf", EMPTY) == RefusedFile("a.pdf", EMPTY)
    with pytest.raises(AttributeError):
        RefusedFile("a.pdf", EMPTY).reason = "x"
