"""Which shipped font draws each character of user text, and what no shipped font can draw.

DejaVu Sans, the house font, covers Latin, Greek, Cyrillic and many symbols. Names and
text arrive as people type them, so a run of characters DejaVu lacks (most emoji,
Chinese, Japanese, Korean) is set in a fallback font shipped beside it: Noto Emoji
(monochrome: ReportLab cannot draw colour emoji) and Droid Sans Fallback. A character
that no shipped font has is kept in the text, so copying and screen readers still get it,
and is recorded, so that the export can say which names and words will not print.
"""

from __future__ import annotations

import functools
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfgen.canvas import Canvas

FONT_DIR = Path(__file__).resolve().parent / "fonts"

# The house font's faces: a character counts as covered only if every face has it,
# since user text can be set bold (headings) or italic.
MAIN_FILES = (
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique.ttf",
    "DejaVuSans-BoldOblique.ttf",
)
# Tried in this order for a character the house font's faces do not all have. The regular
# DejaVu face comes after the emoji so that emoji look alike, and before the CJK font so
# that the symbols only DejaVu's regular face has keep its look.
FALLBACKS: tuple[tuple[str, str], ...] = (
    ("RecruitEmoji", "NotoEmoji-Regular.ttf"),
    ("RecruitSans", "DejaVuSans.ttf"),
    ("RecruitCJK", "DroidSansFallback.ttf"),
)
# Every font file the PDFs use, with the licence that allows shipping it.
LICENCES = {
    **dict.fromkeys(MAIN_FILES, "LICENSE-DejaVu.txt"),
    "NotoEmoji-Regular.ttf": "LICENSE-NotoEmoji.txt",
    "DroidSansFallback.ttf": "LICENSE-DroidSansFallback.txt",
}

_lock = threading.Lock()


@functools.cache
def _face(filename: str) -> ttfonts.TTFont:
    return ttfonts.TTFont(f"RecruitProbe-{filename}", str(FONT_DIR / filename))


def _characters(filename: str) -> frozenset[int]:
    return frozenset(_face(filename).face.charToGlyph)


@functools.cache
def main_coverage() -> frozenset[int]:
    """The code points every face of the house font can draw."""
    with _lock:
        sets = [_characters(name) for name in MAIN_FILES]
    return frozenset.intersection(*sets)


@functools.cache
def _fallback_coverage() -> tuple[tuple[str, frozenset[int]], ...]:
    with _lock:
        return tuple((name, _characters(filename)) for name, filename in FALLBACKS)


@functools.cache
def _register(name: str) -> str:
    filename = dict(FALLBACKS)[name]
    with _lock:
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(ttfonts.TTFont(name, str(FONT_DIR / filename)))
    return name


def _invisible(char: str) -> bool:
    # Joiners, variation selectors and other format characters take no room.
    return unicodedata.category(char) == "Cf"


def _sticks(char: str) -> bool:
    """Whether `char` belongs with the character before it (a mark, joiner or skin tone)."""
    return unicodedata.category(char) in ("Mn", "Me", "Cf") or 0x1F3FB <= ord(char) <= 0x1F3FF


Run = tuple[str | None, str]


def font_runs(text: str) -> list[Run]:
    """`text` cut into runs, each with the fallback font that draws it (None: the house font).

    A character no font has stays in the run before it, so the text keeps its order.
    """
    main = main_coverage()
    fallbacks = _fallback_coverage()
    covers = dict(fallbacks)
    runs: list[Run] = []
    current: str | None = None
    chunk: list[str] = []
    for char in text:
        code = ord(char)
        font: str | None
        if chunk and _sticks(char) and code in (main if current is None else covers[current]):
            font = current
        elif code in main:
            font = None
        else:
            font = next((name for name, chars in fallbacks if code in chars), current)
        if font != current and chunk:
            runs.append((current, "".join(chunk)))
            chunk = []
        current = font
        chunk.append(char)
    if chunk:
        runs.append((current, "".join(chunk)))
    return runs


def undrawable(text: str) -> str:
    """The characters of `text` that no shipped font can draw, each once, in order."""
    main = main_coverage()
    fallbacks = _fallback_coverage()
    missing: dict[str, None] = {}
    for char in text:
        code = ord(char)
        if code in main or char in "\n\t" or _invisible(char):
            continue
        if not any(code in chars for _name, chars in fallbacks):
            missing[char] = None
    return "".join(missing)


# --- what could not be drawn ---------------------------------------------------------


@dataclass
class GlyphReport:
    """Text met while making one export that holds characters no shipped font can draw."""

    texts: dict[str, str] = field(default_factory=dict)  # text -> its undrawable characters

    def note(self, text: str) -> None:
        if text.isascii():
            return
        missing = undrawable(text)
        if missing:
            self.texts.setdefault(text.strip(), missing)

    @property
    def warnings(self) -> tuple[str, ...]:
        """One sentence per affected name or text, for the person exporting."""
        return tuple(
            f"“{_shortened(text)}” has characters no font in Recruit can print "
            f"({', '.join(_code(c) for c in missing)}): they will show as blank boxes."
            for text, missing in self.texts.items()
        )


_report: ContextVar[GlyphReport | None] = ContextVar("recruit_glyph_report", default=None)


@contextmanager
def glyph_report() -> Iterator[GlyphReport]:
    """Collect, while the block runs, the texts that will not print in full."""
    report = GlyphReport()
    token = _report.set(report)
    try:
        yield report
    finally:
        _report.reset(token)


def note(text: str) -> None:
    """Tell the report being collected, if any, about text that will be printed."""
    report = _report.get()
    if report is not None:
        report.note(text)


def _shortened(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _code(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"{char} U+{ord(char):04X}" + (f" {name.title()}" if name else "")


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def markup(text: str) -> str:
    """Paragraph markup for plain `text`: escaped, with runs the house font lacks in a fallback."""
    note(text)
    if text.isascii():
        return _escape(text)
    out = []
    for font, chunk in font_runs(text):
        if font is None:
            out.append(_escape(chunk))
        else:
            out.append(f'<font name="{_register(font)}">{_escape(chunk)}</font>')
    return "".join(out)


def draw_string(
    canv: Canvas,
    x: float,
    y: float,
    text: str,
    font: str,
    size: float,
    *,
    align: str = "left",
) -> float:
    """Draw one line on a canvas, switching to a fallback font for runs `font` lacks.

    Returns the width drawn, in points.
    """
    note(text)
    runs = [(name if name is None else _register(name), chunk) for name, chunk in font_runs(text)]
    widths = [pdfmetrics.stringWidth(chunk, name or font, size) for name, chunk in runs]
    total = sum(widths)
    start = x - total if align == "right" else x - total / 2 if align == "centre" else x
    for (name, chunk), width in zip(runs, widths, strict=True):
        canv.setFont(name or font, size)
        canv.drawString(start, y, chunk)
        start += width
    canv.setFont(font, size)
    return total
