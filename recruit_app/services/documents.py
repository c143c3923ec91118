"""Reading candidates' application documents (a folder or a ZIP of PDF, Word and text
files) safely, each one either read, with its text, or refused with a reason in words.

Every file comes from someone outside the organisation, so every file is hostile until
read: a ZIP is never unpacked to disk, sizes are checked before anything is inflated,
PDF and Word readers are fenced so that whatever they raise becomes a reason, and a type
is taken from the content as well as the name, never guessed. No database and no Qt:
the import service calls this and decides what the files belong to.
"""

from __future__ import annotations

import errno
import functools
import io
import logging
import os
import re
import stat
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recruit_app.errors import Cancelled, ValidationError
from recruit_app.readmodels import IsCancelled, Progress

if TYPE_CHECKING:
    from pypdf import PdfReader

MB = 1024 * 1024
MAX_FILE_BYTES = 20 * MB
MAX_TOTAL_BYTES = 2048 * MB
MAX_FILES = 20_000
MAX_PAGES = 60  # pages of a PDF whose text is read; a CV has two or three
MAX_TEXT_CHARS = 200_000  # characters kept of one document's text

# A member that unpacks to this many times its packed size, and to more than a megabyte,
# is a "ZIP bomb": text packs to a third or a quarter of its size, XML to a tenth or so.
BOMB_RATIO = 200
BOMB_MIN_BYTES = 1 * MB
# A Word file's parts together, unpacked: pictures are stored packed already, so even a
# 20 MB document full of them unpacks to little more; the text is XML of a few MB.
DOCX_MAX_UNPACKED_BYTES = 100 * MB
DOCX_MAX_PARTS = 10_000
CHUNK = 1 * MB

PDF_MEDIA = "application/pdf"
DOCX_MEDIA = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT_MEDIA = "text/plain"

NO_TEXT_NOTE = "no text: needs reading in the original"
SAVE_AS_ADVICE = "save it as PDF or Word (.docx)"

PDF_MAGIC = b"%PDF-"
PDF_MAGIC_WITHIN = 1024  # readers accept a little junk before the header, and so do we
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .doc/.xls, and Office files with a password
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # a stream name inside such an OLE file

# Formats people send that Recruit cannot read, with the words for them.
SAVE_AS = {
    ".rtf": "a Rich Text (.rtf) file",
    ".doc": "an old Word (.doc) file",
    ".docm": "a Word file with macros (.docm)",
    ".odt": "an OpenDocument (.odt) file",
    ".pages": "an Apple Pages file",
}
ARCHIVE_SUFFIXES = (".zip",)

# What computers leave in folders and ZIP files by themselves; ignored without a word.
CLUTTER_FOLDERS = frozenset({"__macosx"})
CLUTTER_FILES = frozenset({".ds_store", "thumbs.db", "desktop.ini"})
CLUTTER_PREFIXES = ("~$", "._")

ZIP_METHODS = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)

# Reasons, as a recruiting manager reads them after the file's path.
PASSWORD = "is protected by a password; save an unprotected copy"
ZIP_PASSWORD = "is protected by a password in the ZIP file; make the ZIP file without one"
DAMAGED = "cannot be read: it is damaged"
DAMAGED_IN_ZIP = "cannot be read: it is damaged in the ZIP file"
NO_PAGES = "cannot be read: it has no pages"
EMPTY = "is empty"
NOT_SUPPORTED = "is not a PDF, Word (.docx) or text file"
LINK = "is a link, not a file"
NOT_A_FILE = "is not a file"
UNSAFE_NAME = "has a name that points outside the ZIP file, so it was not opened"
BAD_NAME = "has a name that is not valid text; rename it and try again"
BOMB = "unpacks to far more than its own size, as a 'ZIP bomb' does, so it was not opened"
PACKING = "is packed in a way Recruit cannot unpack; make the ZIP file again"
NESTED_IN_ZIP = "is a ZIP file inside the ZIP file; unpack it and import its files"
NESTED_IN_FOLDER = "is a ZIP file inside the folder; import it on its own"
NOT_ALLOWED = "cannot be opened: Recruit may not read it"
CANNOT_OPEN = "cannot be opened"
ENCODING = "is not in a text encoding Recruit can read (UTF-8, UTF-16 or Windows-1252)"


@dataclass(frozen=True)
class DocumentFile:
    """A document read, with its original bytes and its text."""

    name: str  # the file's name without any folder part, as found (accents etc. kept)
    path: str  # where it was found inside the folder or ZIP, '/'-separated (for messages)
    data: bytes  # the original bytes
    media_type: str  # PDF_MEDIA, DOCX_MEDIA or TEXT_MEDIA
    text: str  # extracted text, normalised ("" when none)
    pages: int  # a PDF's pages (0 for others)
    no_text: bool  # read fine, but there is no text in it (a scanned PDF): kept, reported
    note: str  # "" or a remark in words kept with the file


@dataclass(frozen=True)
class RefusedFile:
    """A file that was not read, and why, in words that follow its path."""

    path: str
    reason: str


@dataclass(frozen=True)
class DocumentBatch:
    """Everything found in a folder or ZIP file: read, or refused with a reason."""

    source: str  # the folder's or ZIP file's name
    files: tuple[DocumentFile, ...]  # sorted by path
    refused: tuple[RefusedFile, ...]  # sorted by path


class DocumentRefused(Exception):
    """A file that cannot be taken; `reason` is in words that follow its path or name."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class _Entry:
    """One thing found: a refusal known from its name and metadata, or a way to read it."""

    path: str
    name: str
    read: Callable[[], bytes] | None
    refusal: str = ""


# --- the folder or ZIP file -------------------------------------------------------------


def read_documents(
    path: Path,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
    max_file_bytes: int = MAX_FILE_BYTES,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    max_files: int = MAX_FILES,
) -> DocumentBatch:
    """Every document in the folder (walked through its sub-folders) or the .zip file.

    ValidationError, in words, when the folder or ZIP file itself cannot be used: it is
    missing or unreadable, a ZIP file is damaged, or it holds more than `max_files` files
    or `max_total_bytes` in all. Otherwise each file is either read or refused with a
    reason; only what computers leave by themselves (`__MACOSX/`, `.DS_Store`,
    `Thumbs.db`, `desktop.ini`, `~$...`, `._...`) is passed over without a word.
    `progress(done, total)` is called before the first file and after each; `cancelled`
    is asked before each file, and its True raises Cancelled.
    """
    _check_cancelled(cancelled)
    try:
        is_folder = path.is_dir()
        is_file = not is_folder and path.is_file()
    except OSError:
        raise ValidationError(f"Recruit may not read {path}.") from None
    if is_folder:
        entries = _folder_entries(path, cancelled, max_file_bytes, max_total_bytes, max_files)
        return _read_entries(path.name, entries, progress, cancelled)
    if not is_file:
        if not path.exists():
            raise ValidationError(f"There is no folder or file at {path}.")
        raise ValidationError(f"{path.name} is not a folder or a ZIP file.")
    if path.suffix.lower() != ".zip":
        raise ValidationError(
            f"{path.name} is not a folder or a ZIP file; choose a folder of documents or a "
            ".zip file."
        )
    try:
        with path.open("rb") as handle:
            archive = _open_zip(handle, path.name, max_files)
            with archive:
                entries = _zip_entries(
                    archive, path.name, max_file_bytes, max_total_bytes, max_files
                )
                return _read_entries(path.name, entries, progress, cancelled)
    except PermissionError:
        raise ValidationError(f"Recruit may not read {path}.") from None
    except OSError as exc:
        raise ValidationError(f"Recruit could not read {path.name}: {exc.strerror}.") from None


def _check_cancelled(cancelled: IsCancelled | None) -> None:
    if cancelled is not None and cancelled():
        raise Cancelled()


def _read_entries(
    source: str,
    entries: list[_Entry],
    progress: Progress | None,
    cancelled: IsCancelled | None,
) -> DocumentBatch:
    entries.sort(key=lambda entry: entry.path)
    total = len(entries)
    if progress is not None:
        progress(0, total)
    files: list[DocumentFile] = []
    refused: list[RefusedFile] = []
    for done, entry in enumerate(entries, start=1):
        _check_cancelled(cancelled)
        taken = _take(entry)
        if isinstance(taken, DocumentFile):
            files.append(taken)
        else:
            refused.append(taken)
        if progress is not None:
            progress(done, total)
    return DocumentBatch(source, tuple(files), tuple(refused))


def _take(entry: _Entry) -> DocumentFile | RefusedFile:
    if entry.read is None:
        return RefusedFile(entry.path, entry.refusal)
    try:
        data = entry.read()
        media_type, text, pages, no_text, note = _extract(entry.name, data)
    except DocumentRefused as exc:
        return RefusedFile(entry.path, exc.reason)
    return DocumentFile(entry.name, entry.path, data, media_type, text, pages, no_text, note)


def _is_clutter(parts: list[str]) -> bool:
    """Whether a path (split into its folders and name) is something a computer left."""
    if any(part.casefold() in CLUTTER_FOLDERS for part in parts[:-1]):
        return True
    name = parts[-1]
    return name.casefold() in CLUTTER_FILES or name.startswith(CLUTTER_PREFIXES)


def _name_refusal(name: str, *, in_zip: bool) -> str:
    """The reason a file is refused from its name alone, or "" if its name is fine."""
    suffix = _suffix(name)
    if suffix in SAVE_AS:
        return f"is {SAVE_AS[suffix]}, which Recruit cannot read; {SAVE_AS_ADVICE}"
    if suffix in ARCHIVE_SUFFIXES:
        return NESTED_IN_ZIP if in_zip else NESTED_IN_FOLDER
    if suffix not in (".pdf", ".docx", ".txt"):
        return NOT_SUPPORTED
    return ""


def _suffix(name: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    return f".{suffix.lower()}" if dot and stem else ""


def _too_big(limit: int) -> str:
    return f"is bigger than {_size_words(limit)}"


def _size_words(size: int) -> str:
    """A size as people say it: "20 MB", "2 GB", "1.5 MB", "512 KB", "100 bytes"."""
    if size >= 1024 * MB and size % (1024 * MB) == 0:
        return f"{size // (1024 * MB)} GB"
    if size >= MB:
        return f"{size // MB} MB" if size % MB == 0 else f"{size / MB:.1f} MB"
    if size >= 1024:
        return f"{size // 1024} KB" if size % 1024 == 0 else f"{size / 1024:.1f} KB"
    return f"{size:,} bytes"


def _too_many_files(source: str, max_files: int) -> ValidationError:
    return ValidationError(
        f"{source} holds more than {max_files:,} files; Recruit imports at most that many at once."
    )


def _too_much(source: str, max_total_bytes: int, verb: str = "holds") -> ValidationError:
    return ValidationError(
        f"{source} {verb} more than {_size_words(max_total_bytes)} of files; Recruit imports "
        "at most that much at once."
    )


# --- a folder ---------------------------------------------------------------------------


def _folder_entries(
    root: Path,
    cancelled: IsCancelled | None,
    max_file_bytes: int,
    max_total_bytes: int,
    max_files: int,
) -> list[_Entry]:
    """Every file under `root`, links and all, never following a link; not yet read."""
    entries: list[_Entry] = []
    total_bytes = 0
    folders: list[tuple[str, list[str]]] = [(str(root), [])]
    while folders:
        _check_cancelled(cancelled)  # a large tree on a network drive takes a while to walk
        folder, parts = folders.pop()
        try:
            with os.scandir(folder) as found:
                children = sorted(found, key=lambda child: child.name)
        except OSError as exc:
            if not parts:
                raise ValidationError(f"Recruit may not read {root}.") from None
            entries.append(_Entry(_shown(parts), parts[-1], None, _open_error(exc)))
            continue
        for child in children:
            child_parts = [*parts, child.name]
            if child.name.casefold() in CLUTTER_FOLDERS or _is_clutter(child_parts):
                continue
            entry = _folder_entry(child, child_parts, max_file_bytes)
            if entry is None:  # a sub-folder: walked in its turn
                folders.append((child.path, child_parts))
                continue
            entries.append(entry)
            if len(entries) > max_files:
                raise _too_many_files(root.name, max_files)
            if entry.read is not None:
                total_bytes += _lstat_size(child)
                if total_bytes > max_total_bytes:
                    raise _too_much(root.name, max_total_bytes)
    return entries


def _folder_entry(child: os.DirEntry[str], parts: list[str], max_file_bytes: int) -> _Entry | None:
    """The entry for what `child` is, or None for a sub-folder to walk."""
    path, name = _shown(parts), child.name
    try:
        if child.is_symlink() or _is_junction(child):
            return _Entry(path, name, None, LINK)
        if child.is_dir(follow_symlinks=False):
            if _suffix(name) == ".pages":  # Apple Pages keeps a document as a folder
                return _Entry(path, name, None, _name_refusal(name, in_zip=False))
            return None
        if not child.is_file(follow_symlinks=False):
            return _Entry(path, name, None, NOT_A_FILE)
        size = _lstat_size(child)
    except OSError as exc:
        return _Entry(path, name, None, _open_error(exc))
    if not _is_valid_text("/".join(parts)):
        return _Entry(path, name, None, BAD_NAME)
    refusal = _name_refusal(name, in_zip=False)
    if not refusal and size > max_file_bytes:
        refusal = _too_big(max_file_bytes)
    if not refusal and size == 0:
        refusal = EMPTY
    if refusal:
        return _Entry(path, name, None, refusal)
    return _Entry(path, name, functools.partial(_read_file, child.path, max_file_bytes))


def _is_junction(child: os.DirEntry[str]) -> bool:
    """Whether `child` is a Windows junction, a link to a folder (Python 3.12 tells)."""
    is_junction = getattr(child, "is_junction", None)
    return bool(is_junction()) if is_junction is not None else False


def _lstat_size(child: os.DirEntry[str]) -> int:
    return child.stat(follow_symlinks=False).st_size


def _shown(parts: list[str]) -> str:
    """A path fit to show: a name that is not valid text has its bad bytes replaced."""
    path = "/".join(parts)
    if _is_valid_text(path):
        return path
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _is_valid_text(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False  # a name in bytes that are not UTF-8, which Python keeps as surrogates
    return True


def _read_file(path: str, max_file_bytes: int) -> bytes:
    """The file's bytes, read no further than one byte past the limit.

    Opened without following a link, in case the file was swapped for one after the walk,
    and without waiting, in case it became a pipe; checked to be a plain file once open.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        raise DocumentRefused(_open_error(exc)) from None
    with os.fdopen(descriptor, "rb") as handle:
        try:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                raise DocumentRefused(NOT_A_FILE)
            data = handle.read(max_file_bytes + 1)
        except OSError as exc:
            raise DocumentRefused(_open_error(exc)) from None
    if len(data) > max_file_bytes:
        raise DocumentRefused(_too_big(max_file_bytes))
    return data


def _open_error(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return NOT_ALLOWED
    if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a link
        return LINK
    return CANNOT_OPEN


# --- a ZIP file -------------------------------------------------------------------------


def _open_zip(handle: io.BufferedReader, source: str, max_files: int) -> zipfile.ZipFile:
    """The ZIP file opened from `handle`, its entries first counted from its last record,
    so that millions of them are refused before Python builds a record for each."""
    entries = _declared_entries(handle)
    if entries is not None and entries > ENTRIES_PER_FILE * max_files + 100:
        raise ValidationError(
            f"{source} holds {entries:,} entries; Recruit imports at most {max_files:,} files "
            "at once."
        )
    handle.seek(0)
    try:
        return zipfile.ZipFile(handle)
    except OSError:
        raise
    except Exception:  # BadZipFile, and what a mangled directory makes zipfile raise
        raise ValidationError(
            f"{source} cannot be opened: it is damaged or is not a ZIP file."
        ) from None


# Entries a ZIP file may hold for each file: folders, and the "._" twin a Mac adds to each.
ENTRIES_PER_FILE = 3
_END_RECORD = b"PK\x05\x06"
_END_RECORD_SIZE = 22
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_END_RECORD = b"PK\x06\x06"


def _declared_entries(handle: io.BufferedIOBase | io.BytesIO) -> int | None:
    """The number of entries the ZIP file's end record declares; None if it has none."""
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    tail_size = min(size, _END_RECORD_SIZE + 0xFFFF + 20)  # the record, a comment, a locator
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(_END_RECORD)
    # the last record whose comment runs to the end of the file (a comment may hold "PK")
    while at >= 0 and at + _END_RECORD_SIZE + _le(tail, at + 20, 2) != len(tail):
        at = tail.rfind(_END_RECORD, 0, at)
    if at < 0:
        return None  # zipfile will say it is damaged
    entries = _le(tail, at + 10, 2)
    if entries != 0xFFFF:
        return entries
    locator = at - 20  # ZIP64: the count is in the ZIP64 end record the locator points to
    if locator < 0 or tail[locator : locator + 4] != _ZIP64_LOCATOR:
        return None
    handle.seek(_le(tail, locator + 8, 8))
    record = handle.read(56)
    if len(record) < 40 or record[:4] != _ZIP64_END_RECORD:
        return None
    return _le(record, 32, 8)


def _le(data: bytes, at: int, size: int) -> int:
    return int.from_bytes(data[at : at + size], "little")


_DRIVE = re.compile(r"[A-Za-z]:")
_SEPARATORS = re.compile(r"[\\/]")


def _zip_entries(
    archive: zipfile.ZipFile,
    source: str,
    max_file_bytes: int,
    max_total_bytes: int,
    max_files: int,
) -> list[_Entry]:
    infos = archive.infolist()
    if sum(info.file_size for info in infos) > max_total_bytes:
        raise _too_much(source, max_total_bytes, "unpacks to")
    entries: list[_Entry] = []
    for info in infos:
        raw = info.filename
        if raw.endswith(("/", "\\")):
            continue  # a folder: its files are entries of their own
        pieces = _SEPARATORS.split(raw)
        unsafe = raw.startswith(("/", "\\")) or bool(_DRIVE.match(raw)) or ".." in pieces
        parts = [piece for piece in pieces if piece not in ("", ".")]
        if not unsafe and (not parts or _is_clutter(parts)):
            continue
        path = raw.replace("\\", "/") if unsafe else "/".join(parts)
        name = parts[-1] if parts else raw
        entries.append(_zip_entry(archive, info, path, name, unsafe, max_file_bytes))
        if len(entries) > max_files:
            raise _too_many_files(source, max_files)
    return entries


def _zip_entry(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    path: str,
    name: str,
    unsafe: bool,
    max_file_bytes: int,
) -> _Entry:
    """The entry for a ZIP member, refused from its record alone where it can be."""
    refusal = ""
    if unsafe:
        refusal = UNSAFE_NAME
    elif stat.S_ISLNK(info.external_attr >> 16):
        refusal = LINK
    else:
        refusal = _name_refusal(name, in_zip=True)
    if not refusal:
        if info.flag_bits & 0x1:
            refusal = ZIP_PASSWORD
        elif info.compress_type not in ZIP_METHODS:
            refusal = PACKING
        elif info.file_size > max_file_bytes:
            refusal = _too_big(max_file_bytes)
        elif _is_bomb(info):
            refusal = BOMB
        elif info.file_size == 0:
            refusal = EMPTY
    if refusal:
        return _Entry(path, name, None, refusal)
    return _Entry(path, name, functools.partial(_read_member, archive, info))


def _is_bomb(info: zipfile.ZipInfo) -> bool:
    return info.file_size > BOMB_MIN_BYTES and info.file_size > BOMB_RATIO * max(
        info.compress_size, 1
    )


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The member's bytes, never more than its record declares.

    zipfile stops at the declared size and then checks the CRC, so a member that would
    inflate past what it declares is damaged, not a flood; the cap here keeps that so
    whatever zipfile does.
    """
    declared = info.file_size
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(min(CHUNK, declared + 1 - size)):
                chunks.append(chunk)
                size += len(chunk)
                if size > declared:
                    raise DocumentRefused(DAMAGED_IN_ZIP)
    except (DocumentRefused, Cancelled):
        raise
    except Exception:  # a bad CRC, a cut stream, zlib's or lzma's errors, a read error
        raise DocumentRefused(DAMAGED_IN_ZIP) from None
    if size != declared:
        raise DocumentRefused(DAMAGED_IN_ZIP)
    return b"".join(chunks)


# --- one document -----------------------------------------------------------------------


def extract_text(name: str, data: bytes) -> tuple[str, int, bool, str]:
    """The text of one document: (text, pages, no_text, note); DocumentRefused if refused.

    The type comes from the name's ending and must agree with the content. `text` is
    normalised (normalise_text) and at most MAX_TEXT_CHARS long; `no_text` is True for a
    document read fine with no letters or digits in it (a scanned PDF), whose text is ""
    and whose note says it needs reading in the original.
    """
    _, text, pages, no_text, note = _extract(name, data)
    return text, pages, no_text, note


def _extract(name: str, data: bytes) -> tuple[str, str, int, bool, str]:
    if not data:
        raise DocumentRefused(EMPTY)
    suffix = _suffix(name)
    if suffix == ".pdf":
        return (PDF_MEDIA, *_pdf(data))
    if suffix == ".docx":
        text, no_text, note = _docx(data)
        return DOCX_MEDIA, text, 0, no_text, note
    if suffix == ".txt":
        text, no_text, note = _finish(_decode_text(data), [])
        return TEXT_MEDIA, text, 0, no_text, note
    if suffix in SAVE_AS:
        raise DocumentRefused(f"is {SAVE_AS[suffix]}, which Recruit cannot read; {SAVE_AS_ADVICE}")
    raise DocumentRefused(NOT_SUPPORTED)


# Raw text read before normalising; far more than is kept, so the cut is after normalising.
RAW_TEXT_CHARS = 10 * MAX_TEXT_CHARS
CUT_NOTE = f"only the first {MAX_TEXT_CHARS:,} characters of its text were kept"
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def _finish(raw: str, notes: list[str], *, more: bool = False) -> tuple[str, bool, str]:
    """Normalised text cut to MAX_TEXT_CHARS, whether it has no text, and the note.

    `more` says the reader stopped before the end of a long document's text.
    """
    cut = more or len(raw) > RAW_TEXT_CHARS
    text = normalise_text(raw[:RAW_TEXT_CHARS])
    if len(text) > MAX_TEXT_CHARS:
        text = text[:MAX_TEXT_CHARS].rstrip()
        cut = True
    no_text = _LETTER_OR_DIGIT.search(text) is None
    if no_text:
        text = ""
        notes = [NO_TEXT_NOTE, *notes]
    elif cut:
        notes = [*notes, CUT_NOTE]
    return text, no_text, "; ".join(notes)


# --- what the content is, for a file whose name says otherwise --------------------------

_PICTURE_MAGICS = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # JPEG
    b"GIF87a",
    b"GIF89a",
    b"II*\x00",  # TIFF
    b"MM\x00*",
)
_HEIF_BRANDS = (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypmsf1")


def _content_words(data: bytes) -> str:
    """What the bytes are, in words: "a PDF", "a Word document", "text", ..."""
    if PDF_MAGIC in data[:PDF_MAGIC_WITHIN]:
        return "a PDF"
    if data.startswith(ZIP_MAGICS):
        # the part names are stored as they are, so a search finds them without unpacking
        if b"word/document.xml" in data:
            return "a Word document"
        if b"xl/workbook.xml" in data:
            return "an Excel workbook"
        if b"ppt/presentation.xml" in data:
            return "a PowerPoint presentation"
        if b"mimetypeapplication/vnd.oasis.opendocument" in data[:200]:
            return "an OpenDocument file"
        return "a ZIP file"
    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_PACKAGE in data:
            return "an Office file protected by a password"
        return "an old Word or Excel file (.doc or .xls)"
    if data.startswith(b"{\\rtf"):
        return "a Rich Text (.rtf) file"
    if data.startswith(_PICTURE_MAGICS) or data[4:12] in _HEIF_BRANDS:
        return "a picture"
    start = data[:1024].lstrip().lower()
    if start.startswith((b"<!doctype html", b"<html")):
        return "a web page (HTML)"
    if data.startswith(UTF16_BOMS) or b"\x00" not in data:
        return "text"
    return "data of an unknown kind"


_RENAME_ADVICE = {
    "a PDF": "; rename it to end in .pdf",
    "a Word document": "; rename it to end in .docx",
    "an OpenDocument file": f"; {SAVE_AS_ADVICE}",
    "an old Word or Excel file (.doc or .xls)": f"; {SAVE_AS_ADVICE}",
    "a Rich Text (.rtf) file": f"; {SAVE_AS_ADVICE}",
    "an Office file protected by a password": "; save an unprotected copy",
}


def _not_what_it_says(what: str, data: bytes) -> DocumentRefused:
    """A refusal for content that is not what its name says: "is not a PDF (its content
    is a Word document); rename it to end in .docx"."""
    words = _content_words(data)
    return DocumentRefused(f"{what} (its content is {words}){_RENAME_ADVICE.get(words, '')}")


# --- PDF ------------------------------------------------------------------------------


def _pdf(data: bytes) -> tuple[str, int, bool, str]:
    if PDF_MAGIC not in data[:PDF_MAGIC_WITHIN]:
        raise _not_what_it_says("is not a PDF", data)
    try:
        # pypdf warns (through warnings, and through its logger) about what it repairs
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _pdf_text(data)
    except (DocumentRefused, Cancelled):
        raise
    except Exception:  # pypdf raises every kind of error on a damaged or hostile file
        if _ENCRYPT_KEY.search(data):  # a reader that could not even try the empty password
            raise DocumentRefused(PASSWORD) from None
        raise DocumentRefused(DAMAGED) from None


_ENCRYPT_KEY = re.compile(rb"/Encrypt\s*(?:\d+\s+\d+\s+R|<<)")


def _pdf_text(data: bytes) -> tuple[str, int, bool, str]:
    reader = _pdf_reader(data)
    if reader.is_encrypted:  # pypdf opens one with an empty password too: refused all the same
        raise DocumentRefused(PASSWORD)
    pages = len(reader.pages)
    if pages == 0:
        raise DocumentRefused(NO_PAGES)
    texts: list[str] = []
    size = 0
    read = min(pages, MAX_PAGES)
    for number in range(read):
        text = reader.pages[number].extract_text()
        texts.append(text)
        size += len(text)
        if size > RAW_TEXT_CHARS:
            read = number + 1
            break
    notes = []
    more = read < min(pages, MAX_PAGES)
    if pages > MAX_PAGES and not more:
        notes.append(f"only the first {MAX_PAGES} pages were read (it has {pages})")
    text, no_text, note = _finish("\n\n".join(texts), notes, more=more)
    return text, pages, no_text, note


def _pdf_reader(data: bytes) -> PdfReader:
    from pypdf import PdfReader  # only an import of documents pays for it

    _quiet_pypdf()
    return PdfReader(io.BytesIO(data), strict=False)


@functools.cache
def _quiet_pypdf() -> None:
    """Silence pypdf's logger: it describes the damage Recruit reports in words anyway, and
    its messages may quote a candidate's document, which the log must never hold."""
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)


# --- Word (.docx) -----------------------------------------------------------------------

_CONTENT_TYPES = "[Content_Types].xml"
_WORD_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_MAX_CONTENT_TYPES_BYTES = 1 * MB


def _docx(data: bytes) -> tuple[str, bool, str]:
    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_PACKAGE in data:  # Word keeps a document with a password in such a file
            raise DocumentRefused(PASSWORD)
        raise _not_what_it_says("is not a Word (.docx) file", data)
    if not data.startswith(ZIP_MAGICS):
        raise _not_what_it_says("is not a Word (.docx) file", data)
    stream = io.BytesIO(data)
    entries = _declared_entries(stream)
    if entries is not None and entries > DOCX_MAX_PARTS:
        raise DocumentRefused(DAMAGED)
    _check_docx_parts(stream, data)
    try:
        return _finish(_docx_text(data), [])
    except (DocumentRefused, Cancelled):
        raise
    except Exception:  # python-docx, lxml and zipfile raise many kinds on a damaged file
        raise DocumentRefused(DAMAGED) from None


def _check_docx_parts(stream: io.BytesIO, data: bytes) -> None:
    """Refuse a Word file that is not one, or whose parts would unpack to a flood, before
    python-docx unpacks any of them (it reads each part whole)."""
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            if any(_is_bomb(info) for info in infos) or (
                sum(info.file_size for info in infos) > DOCX_MAX_UNPACKED_BYTES
            ):
                raise DocumentRefused(BOMB)
            if any(info.flag_bits & 0x1 for info in infos):
                raise DocumentRefused(DAMAGED)  # Word never packs its parts with a password
            types = next((i for i in infos if i.filename == _CONTENT_TYPES), None)
            if types is None or types.file_size > _MAX_CONTENT_TYPES_BYTES:
                raise _not_what_it_says("is not a Word (.docx) file", data)
            is_word = _WORD_MAIN in archive.read(types)
    except (DocumentRefused, Cancelled):
        raise
    except Exception:
        raise DocumentRefused(DAMAGED) from None
    if not is_word:
        raise _not_what_it_says("is not a Word (.docx) file", data)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc"
_T, _TAB, _PTAB, _BR, _CR = f"{_W}t", f"{_W}tab", f"{_W}ptab", f"{_W}br", f"{_W}cr"
_NO_BREAK_HYPHEN, _TEXT_BOX = f"{_W}noBreakHyphen", f"{_W}txbxContent"
# Not text: properties, deleted text, field codes, and the older copy of a drawing that
# Word writes beside the new one for older readers (its text boxes would come out twice).
_SKIPPED = frozenset(
    {
        f"{_W}pPr",
        f"{_W}rPr",
        f"{_W}sectPr",
        f"{_W}tblPr",
        f"{_W}trPr",
        f"{_W}tcPr",
        f"{_W}sdtPr",
        f"{_W}del",
        f"{_W}delText",
        f"{_W}instrText",
        "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
    }
)


def _docx_text(data: bytes) -> str:
    """The document's text in reading order: headers, body, footers; paragraphs, table
    rows (cells apart by a tab), and text boxes after the paragraph that holds them."""
    import docx  # only an import of documents pays for it

    document = docx.Document(io.BytesIO(data))
    headers: list[Any] = []
    footers: list[Any] = []
    seen: set[str] = set()
    for section in document.sections:
        for kept, each in (
            (headers, (section.header, section.first_page_header, section.even_page_header)),
            (footers, (section.footer, section.first_page_footer, section.even_page_footer)),
        ):
            for header_or_footer in each:
                if header_or_footer.is_linked_to_previous:
                    continue  # it shows an earlier section's, kept already (or none at all)
                part = header_or_footer.part
                if part.partname not in seen:  # sections may share one
                    seen.add(part.partname)
                    kept.append(part.element)
    texts: list[str] = []
    for container in (*headers, document.element.body, *footers):
        texts.extend(_blocks(container))
    return "\n".join(texts)


def _blocks(container: Any) -> Iterator[str]:
    """The text of each paragraph and table row under `container`, in order."""
    for child in container:
        tag = child.tag
        if tag == _P:
            boxes: list[Any] = []
            pieces: list[str] = []
            _inline(child, pieces, boxes)
            yield "".join(pieces)
            for box in boxes:
                yield from _blocks(box)
        elif tag == _TBL:
            for row in _descendants(child, _TR, _TBL):
                cells = ["\n".join(_blocks(cell)) for cell in _descendants(row, _TC, _TR)]
                yield "\t".join(cells)
        elif tag not in _SKIPPED:
            yield from _blocks(child)  # content controls, custom XML and the like


def _descendants(element: Any, tag: str, stop: str) -> Iterator[Any]:
    """The `tag` elements under `element`, through wrappers (content controls), never
    inside another `stop` element (a nested table's rows are its own)."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag != stop and child.tag not in _SKIPPED:
            yield from _descendants(child, tag, stop)


def _inline(element: Any, pieces: list[str], boxes: list[Any]) -> None:
    for child in element:
        tag = child.tag
        if tag == _T:
            pieces.append(child.text or "")
        elif tag in (_TAB, _PTAB):
            pieces.append("\t")
        elif tag in (_BR, _CR):
            pieces.append("\n")
        elif tag == _NO_BREAK_HYPHEN:
            pieces.append("-")
        elif tag == _TEXT_BOX:
            boxes.append(child)
        elif tag not in _SKIPPED:
            _inline(child, pieces, boxes)


# --- text -----------------------------------------------------------------------------


def _decode_text(data: bytes) -> str:
    """UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1252, as tabular.py reads CSV."""
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise DocumentRefused(DAMAGED) from None
    words = _content_words(data)
    if words != "text" and words != "a web page (HTML)":
        raise _not_what_it_says("is not a text file", data)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise DocumentRefused(ENCODING) from None


# --- normalising and counting ---------------------------------------------------------

_LIGATURES = {
    code: unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)
}  # ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ, as PDFs set them
# Control characters go; a tab becomes a space, and the other line breaks a newline.
_CONTROLS: dict[int, str | None] = {
    **{code: None for code in range(0x20)},
    **{code: None for code in range(0x7F, 0xA0)},  # DEL and the C1 controls
    ord("\n"): "\n",
    ord("\t"): " ",
    0x0B: "\n",  # vertical tab
    0x0C: "\n",  # form feed (a page break)
    0x85: "\n",  # next line
    0x2028: "\n",  # line separator
    0x2029: "\n",  # paragraph separator
    0xFEFF: None,  # a byte order mark left inside the text
    0xAD: None,  # a soft hyphen: invisible but where a line breaks, and it parts words
}
_SURROGATES = re.compile("[\ud800-\udfff]")
_TRAILING_SPACE = re.compile(r"[^\S\n]+(?=\n)|[^\S\n]+\Z")
_BLANK_LINES = re.compile(r"\n{3,}")


def normalise_text(text: str) -> str:
    """Text as it is kept: NFC, ligatures undone, no control characters (a tab is a space,
    line breaks of every kind one newline), no spaces at line ends, never two blank lines
    in a row, and nothing blank at either end. Accents and curly quotes are kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text.translate(_LIGATURES)).translate(_CONTROLS)
    text = _SURROGATES.sub("", text)  # halves of a character no database can store
    text = _TRAILING_SPACE.sub("", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


_JOINERS = "'’‐‑-"  # apostrophes and hyphens that keep a word whole: "O'Brien", "well-known"


@functools.cache
def _word_pattern() -> re.Pattern[str]:
    """Letters and digits, with the marks that combine with them (a Devanagari vowel sign
    is a mark, not a letter); built once, on first use."""
    ranges: list[str] = []
    start = previous = -2
    for code in [*range(0x20000), *range(0xE0100, 0xE01F0)]:
        if unicodedata.category(chr(code)).startswith("M"):
            if code != previous + 1:
                if start >= 0:
                    ranges.append(_range(start, previous))
                start = code
            previous = code
    ranges.append(_range(start, previous))
    marks = "".join(ranges)
    part = rf"(?:[^\W_]|[{marks}])"
    return re.compile(rf"[^\W_]{part}*(?:(?:[{re.escape(_JOINERS)}]|(?<=\d)[.,](?=\d)){part}+)*")


def _range(start: int, end: int) -> str:
    first, last = re.escape(chr(start)), re.escape(chr(end))
    return first if start == end else f"{first}-{last}"


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of letters and digits, with an apostrophe or a
    hyphen inside a word keeping it one ("O'Brien", "well-known"), and so a point or a
    comma between digits ("2,000", "3.5")."""
    return sum(1 for _ in _word_pattern().finditer(text))


__all__ = [
    "MAX_FILES",
    "MAX_FILE_BYTES",
    "MAX_PAGES",
    "MAX_TEXT_CHARS",
    "MAX_TOTAL_BYTES",
    "DocumentBatch",
    "DocumentFile",
    "DocumentRefused",
    "RefusedFile",
    "extract_text",
    "normalise_text",
    "read_documents",
    "word_count",
]
