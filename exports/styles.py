"""The look of every PDF the app makes: fonts, colours, paragraph styles, page furniture."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    Image,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import FrameBreak

from exports import glyphs
from exports.files import atomic_output

log = logging.getLogger(__name__)

# --- fonts ---------------------------------------------------------------------------

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "RecruitSans"
FONT_BOLD = "RecruitSans-Bold"
FONT_ITALIC = "RecruitSans-Italic"
FONT_BOLD_ITALIC = "RecruitSans-BoldItalic"

_FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_ITALIC: "DejaVuSans-Oblique.ttf",
    FONT_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """ReportLab's ToUnicode CMap, with characters beyond U+FFFF written as UTF-16 pairs."""
    entries = [
        f"<{code:02X}> <{chr(char).encode('utf-16-be', 'surrogatepass').hex().upper()}>"
        for code, char in enumerate(subset)
    ]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(subset)} beginbfchar",
            *entries,
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


def _mend_to_unicode() -> None:
    # ReportLab writes an emoji such as U+1F600 as <1F600>, which PDF readers reject, so
    # the emoji is lost when text is copied, searched or read aloud. Replace the map
    # maker only while ReportLab still has that fault.
    if "<1F600>" in ttfonts.makeToUnicodeCMap("probe", [0x1F600]):
        ttfonts.makeToUnicodeCMap = _to_unicode_cmap


@functools.cache
def register_fonts() -> str:
    """Register the embedded DejaVu family once per process and return its name.

    The base-14 PDF fonts cannot show names such as Łukasz; DejaVu covers Latin Extended.
    """
    _mend_to_unicode()
    for name, filename in _FONT_FILES.items():
        pdfmetrics.registerFont(ttfonts.TTFont(name, str(FONT_DIR / filename)))
    # The family mapping lets <b> and <i> in paragraph markup pick the right face.
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
    )
    return FONT


# --- colours -------------------------------------------------------------------------

TEXT_HEX = "#0b0c0c"
MUTED_HEX = "#505a5f"  # 7:1 on white, so small muted text stays readable
RULE_HEX = "#b1b4b6"
TICK = "✓"  # a criterion assessed at a stage, in the packs' grids
LIGHT_FILL_HEX = "#f3f2f1"
DEFAULT_PRIMARY_HEX = "#1d70b8"

TEXT = colors.HexColor(TEXT_HEX)
MUTED = colors.HexColor(MUTED_HEX)
RULE = colors.HexColor(RULE_HEX)
LIGHT_FILL = colors.HexColor(LIGHT_FILL_HEX)
WHITE = colors.white

# WCAG 2 AA for normal-sized text.
MIN_CONTRAST = 4.5

_HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    digits = hex_colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours, from 1 to 21."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_on_white(hex_colour: str, minimum: float = MIN_CONTRAST) -> str:
    """The colour itself if text in it is readable on white, else the nearest darker shade."""
    r, g, b = _rgb(hex_colour)
    shade = f"#{r:02x}{g:02x}{b:02x}"
    # An organisation's pale brand colour is fine for a rule but not for words.
    for step in range(21):
        keep = 1 - step / 20
        shade = f"#{round(r * keep):02x}{round(g * keep):02x}{round(b * keep):02x}"
        if contrast_ratio(shade, "#ffffff") >= minimum:
            break
    return shade


# --- theme ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Theme:
    """What an organisation may change about its documents."""

    organisation: str = ""
    primary: str = DEFAULT_PRIMARY_HEX
    logo_path: Path | None = None
    # A protective marking ("OFFICIAL-SENSITIVE") printed at the top and bottom of every
    # page of a document holding personal data; empty for none.
    marking: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.primary, str) or not _HEX_COLOUR.match(self.primary):
            # The colour also goes into HTML style sheets, so nothing else may pass.
            raise ValueError(f"The theme colour must look like #1d70b8, not {self.primary!r}")
        r, g, b = _rgb(self.primary)
        object.__setattr__(self, "primary", f"#{r:02x}{g:02x}{b:02x}")

    @property
    def primary_text(self) -> str:
        """The primary colour, darkened if needed so that words in it are readable."""
        return readable_on_white(self.primary)


# --- page ----------------------------------------------------------------------------

PAGE_SIZE = A4
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
FRAME_HEIGHT = PAGE_HEIGHT - 2 * MARGIN
MARKING_BASELINE = PAGE_HEIGHT - 7 * mm
HEADER_BASELINE = PAGE_HEIGHT - 11 * mm
HEADER_RULE = PAGE_HEIGHT - 13 * mm
FOOTER_BASELINE = 11 * mm


# --- paragraph styles ----------------------------------------------------------------


@dataclass(frozen=True)
class Styles:
    """Every paragraph style a document uses; build with `make_styles`."""

    title: ParagraphStyle
    subtitle: ParagraphStyle
    kicker: ParagraphStyle
    meta: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    bullet: ParagraphStyle
    table_header: ParagraphStyle
    table_cell: ParagraphStyle
    table_note: ParagraphStyle
    table_bullet: ParagraphStyle
    label: ParagraphStyle
    theme: Theme = field(default_factory=Theme)


# Outline (bookmark) level by style name; other styles make no outline entry.
H1_NAME, H2_NAME = "RecruitH1", "RecruitH2"
_OUTLINE_LEVELS = {H1_NAME: 0, H2_NAME: 1}


@functools.lru_cache(maxsize=16)
def make_styles(theme: Theme | None = None) -> Styles:
    """The paragraph styles for `theme` (cached: themes are immutable)."""
    theme = theme or Theme()
    register_fonts()
    base = ParagraphStyle(
        "RecruitBase",
        fontName=FONT,
        fontSize=10,
        leading=14.5,
        textColor=TEXT,
        alignment=TA_LEFT,
        bulletFontName=FONT,
        # Long unbroken strings (addresses, links) are split rather than run off the page.
        splitLongWords=1,
        allowOrphans=0,
        allowWidows=0,
    )

    def style(name: str, parent: ParagraphStyle = base, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=parent, **kw)

    heading = style("RecruitHeading", fontName=FONT_BOLD, keepWithNext=1)
    body = style("RecruitBody", spaceAfter=7)
    return Styles(
        title=style(
            "RecruitTitle",
            heading,
            fontSize=23,
            leading=28,
            spaceAfter=4,
        ),
        subtitle=style("RecruitSubtitle", fontSize=13.5, leading=18, textColor=MUTED, spaceAfter=2),
        kicker=style(
            "RecruitKicker",
            fontName=FONT_BOLD,
            fontSize=10.5,
            leading=14,
            textColor=colors.HexColor(theme.primary_text),
            spaceAfter=6,
            keepWithNext=1,
        ),
        meta=style("RecruitMeta", fontSize=9.5, leading=13, textColor=MUTED, spaceBefore=4),
        h1=style(
            H1_NAME,
            heading,
            fontSize=16,
            leading=20,
            spaceBefore=20,
            spaceAfter=8,
            textColor=TEXT,
        ),
        h2=style(H2_NAME, heading, fontSize=12.5, leading=16, spaceBefore=12, spaceAfter=5),
        h3=style("RecruitH3", heading, fontSize=10.5, leading=14, spaceBefore=8, spaceAfter=3),
        body=body,
        small=style("RecruitSmall", fontSize=8.5, leading=11.5, textColor=MUTED, spaceAfter=4),
        bullet=style(
            "RecruitBullet",
            body,
            leftIndent=15,
            bulletIndent=4,
            spaceAfter=3.5,
        ),
        table_header=style("RecruitTableHeader", fontName=FONT_BOLD, fontSize=9.5, leading=13),
        table_cell=style("RecruitTableCell", fontSize=9.5, leading=13.5),
        table_note=style("RecruitTableNote", fontSize=8.5, leading=12, textColor=MUTED),
        table_bullet=style(
            "RecruitTableBullet",
            fontSize=9.5,
            leading=13.5,
            leftIndent=9,
            bulletIndent=0,
            spaceAfter=2,
        ),
        label=style("RecruitLabel", fontName=FONT_BOLD, fontSize=9.5, leading=13.5),
        theme=theme,
    )


# --- user text -----------------------------------------------------------------------

# Control characters other than tab and newline cannot appear in PDF text; lone
# surrogates cannot be encoded at all. Both come from pasted text now and then.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_BULLET = re.compile(r"^[-*•]\s+(?=\S)")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def clean(text: object) -> str:
    """`text` as a string with newlines normalised and unprintable characters removed."""
    value = "" if text is None else str(text)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _UNPRINTABLE.sub("", value)


def escape(text: object) -> str:
    """Paragraph markup for user text: escaped, with characters DejaVu lacks in a fallback font.

    Accents, symbols, emoji and CJK stay as typed; see `exports.glyphs`.
    """
    return glyphs.markup(clean(text))


def escape_attribute(text: object) -> str:
    """Escape user text for an attribute of paragraph markup (no font changes inside)."""
    return (
        clean(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


BlockKind = Literal["paragraph", "bullets"]


def text_blocks(text: str) -> list[tuple[BlockKind, tuple[str, ...]]]:
    """Split user text into paragraphs (tuples of lines) and bullet lists (tuples of items).

    A blank line starts a new paragraph; a single newline is a line break inside one.
    Lines starting with "- ", "* " or "• " are bullet items; an indented line straight
    after an item continues it. Every output format shares this reading of the text.
    """
    blocks: list[tuple[BlockKind, tuple[str, ...]]] = []
    for chunk in _BLANK_LINE.split(clean(text).strip("\n")):
        lines: list[str] = []
        items: list[str] = []
        for raw in chunk.split("\n"):
            stripped = raw.strip()
            if not stripped:
                continue
            marker = _BULLET.match(stripped)
            if marker:
                _flush(blocks, "paragraph", lines)
                items.append(stripped[marker.end() :])
            elif items and raw[:1] in (" ", "\t"):
                items[-1] = f"{items[-1]} {stripped}"
            else:
                _flush(blocks, "bullets", items)
                lines.append(stripped)
        _flush(blocks, "paragraph", lines)
        _flush(blocks, "bullets", items)
    return blocks


def _flush(
    blocks: list[tuple[BlockKind, tuple[str, ...]]], kind: BlockKind, parts: list[str]
) -> None:
    if parts:
        blocks.append((kind, tuple(parts)))
        parts.clear()


def lines_as_items(text: str) -> tuple[str, ...]:
    """One item per non-blank line, any bullet marker the user typed removed."""
    items = []
    for raw in clean(text).split("\n"):
        stripped = raw.strip()
        if stripped:
            marker = _BULLET.match(stripped)
            items.append(stripped[marker.end() :] if marker else stripped)
    return tuple(items)


def bullet_list(items: Iterable[str], style: ParagraphStyle) -> list[Flowable]:
    """One paragraph per item with a bullet, followed by the space a paragraph would leave."""
    flowables: list[Flowable] = [Paragraph(escape(item), style, bulletText="•") for item in items]
    if flowables:
        flowables.append(Spacer(1, 4))
    return flowables


def _bullet_style_for(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(
        f"{style.name}-bullet",
        parent=style,
        leftIndent=style.leftIndent + 15,
        bulletIndent=style.leftIndent + 4,
        bulletFontName=style.fontName,
        spaceBefore=0,
        spaceAfter=3.5,
    )


def paragraphs_from_text(
    text: str, style: ParagraphStyle, bullet_style: ParagraphStyle | None = None
) -> list[Flowable]:
    """Flowables for user-typed text: see `text_blocks` for how the text is read."""
    bullets = bullet_style or _bullet_style_for(style)
    flowables: list[Flowable] = []
    for kind, parts in text_blocks(text):
        if kind == "bullets":
            flowables.extend(bullet_list(parts, bullets))
        else:
            flowables.append(Paragraph("<br/>".join(escape(line) for line in parts), style))
    return flowables


# --- building blocks -----------------------------------------------------------------

Cell = str | Flowable | Sequence[Flowable] | None

# Tables set a cell font even when every cell is a Paragraph; the default is Helvetica,
# which would put an unembedded base-14 font into the file.
_TABLE_FONT: tuple[tuple[Any, ...], ...] = (("FONT", (0, 0), (-1, -1), FONT, 9.5),)


def _cell(value: Cell, style: ParagraphStyle) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        # A Paragraph wraps to the column width; a bare string would run past it.
        return Paragraph(escape(value).replace("\n", "<br/>"), style)
    return value


def table(
    rows: Sequence[Sequence[Cell]],
    col_widths: Sequence[float] | None = None,
    header: bool = True,
    *,
    styles: Styles | None = None,
    group_rows: Iterable[int] = (),
) -> Table:
    """A table in the house style that wraps its cells and repeats its header on new pages.

    `col_widths` are fractions of the text width (equal columns when omitted). Strings
    become wrapping paragraphs; flowables are used as they are. Rows listed in
    `group_rows` hold one label that spans the table and is kept with the row after it.
    """
    styles = styles or make_styles()
    columns = max((len(row) for row in rows), default=1)
    fractions = list(col_widths) if col_widths else [1 / columns] * columns
    total = sum(fractions)
    widths = [FRAME_WIDTH * f / max(total, 1) for f in fractions]
    groups = {index for index in group_rows if 0 <= index < len(rows)}

    data = []
    for index, row in enumerate(rows):
        if index in groups:
            data.append([_cell(row[0], styles.label)] + [""] * (columns - 1))
            continue
        style = styles.table_header if header and index == 0 else styles.table_cell
        cells = [_cell(value, style) for value in row]
        data.append(cells + [""] * (columns - len(cells)))

    commands: list[tuple[Any, ...]] = [
        *_TABLE_FONT,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
    ]
    if header and data:
        commands += [
            ("LINEBELOW", (0, 0), (-1, 0), 1.2, TEXT),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 5),
        ]
    for index in sorted(groups):
        commands += [
            ("SPAN", (0, index), (-1, index)),
            ("BACKGROUND", (0, index), (-1, index), LIGHT_FILL),
            ("TOPPADDING", (0, index), (-1, index), 4),
            ("BOTTOMPADDING", (0, index), (-1, index), 4),
        ]
        if index + 1 < len(data):
            # A group label alone at the foot of a page would point at nothing.
            commands.append(("NOSPLIT", (0, index), (-1, index + 1)))
    return Table(
        data,
        colWidths=widths,
        repeatRows=1 if header and data else 0,
        splitInRow=1,
        emptyTableAction="ignore",
        hAlign="LEFT",
        style=TableStyle(commands),
        spaceBefore=4,
        spaceAfter=12,
    )


FactValue = str | Sequence[str]


_EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")


def is_email(text: str) -> bool:
    """Whether `text` is one e-mail address and nothing else."""
    return bool(_EMAIL.match(text.strip()))


def linked(text: str, styles: Styles) -> str:
    """Paragraph markup for `text`: an e-mail address becomes a mailto link."""
    if not is_email(text):
        return escape(text)
    address = escape_attribute(text.strip())
    colour = styles.theme.primary_text
    return f'<a href="mailto:{address}" color="{colour}"><u>{escape(text.strip())}</u></a>'


def facts_table(pairs: Sequence[tuple[str, FactValue]], styles: Styles | None = None) -> Table:
    """Label and value pairs in a shaded panel: the key facts of a document."""
    styles = styles or make_styles()
    data = []
    for label, value in pairs:
        lines = [value] if isinstance(value, str) else list(value)
        text = "<br/>".join(linked(line, styles) for line in lines)
        data.append([Paragraph(escape(label), styles.label), Paragraph(text, styles.table_cell)])
    return Table(
        data,
        emptyTableAction="ignore",
        colWidths=[FRAME_WIDTH * 0.28, FRAME_WIDTH * 0.72],
        hAlign="LEFT",
        splitInRow=1,
        style=TableStyle(
            [
                *_TABLE_FONT,
                ("BACKGROUND", (0, 0), (-1, -1), LIGHT_FILL),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                # A little more air inside the panel's top and bottom edges.
                ("TOPPADDING", (0, 0), (-1, 0), 10),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 10),
            ]
        ),
        spaceBefore=6,
        spaceAfter=6,
    )


def _logo(path: Path) -> Flowable | None:
    try:
        width, height = ImageReader(str(path)).getSize()
    except Exception:
        # A missing or broken logo should not stop a document; the log says why.
        log.warning("Cannot read the logo %s; leaving it out", path, exc_info=True)
        return None
    scale = min(60 * mm / width, 16 * mm / height)
    logo = Image(str(path), width=width * scale, height=height * scale)
    logo.hAlign = "LEFT"
    return logo


def title_block(
    styles: Styles,
    title: str,
    *,
    kicker: str = "",
    subtitle: str = "",
    meta: Iterable[str] = (),
) -> list[Flowable]:
    """The top of a document: logo, organisation, title, subtitle, details, a coloured rule."""
    flowables: list[Flowable] = []
    theme = styles.theme
    if theme.logo_path is not None:
        logo = _logo(theme.logo_path)
        if logo is not None:
            flowables += [logo, Spacer(1, 5 * mm)]
    if kicker:
        flowables.append(Paragraph(escape(kicker), styles.kicker))
    flowables.append(Paragraph(escape(title), styles.title))
    if subtitle:
        flowables.append(Paragraph(escape(subtitle), styles.subtitle))
    flowables += [Paragraph(escape(line), styles.meta) for line in meta if line]
    flowables.append(
        HRFlowable(
            width="100%",
            thickness=3,
            color=colors.HexColor(theme.primary),
            spaceBefore=8,
            spaceAfter=10,
        )
    )
    return flowables


# --- documents -----------------------------------------------------------------------


def _start_height(flowable: Flowable, canv: Canvas, width: float, height: float) -> float:
    """How much of `flowable` must fit beside a heading for the heading not to look stranded."""
    _, full = flowable.wrapOn(canv, width, height)
    full += flowable.getSpaceBefore()
    if isinstance(flowable, Table):
        row_heights = list(getattr(flowable, "_rowHeights", None) or [])
        # The header and two rows: a group label row never leaves without its first row.
        first = sum(row_heights[: flowable.repeatRows + 2])
        return min(full, first + flowable.getSpaceBefore()) if first else full
    if isinstance(flowable, Paragraph):
        # Paragraphs here never leave a single line behind, so two lines is the least.
        return min(full, 2 * flowable.style.leading + flowable.getSpaceBefore())
    return full


class _KeepWithStart(KeepTogether):
    """Keeps headings with the start of what follows them rather than with all of it.

    ReportLab's own KeepTogether moves the whole group to a new page when it is taller
    than the space left, which throws away most of a page before a long table.
    """

    def split(self, aW: float, aH: float) -> list[Flowable]:  # noqa: N803 (ReportLab's names)
        content = list(self._content)  # type: ignore[attr-defined]  # ReportLab's, not in stubs
        frame = getattr(self, "_frame", None)
        at_top = bool(frame is not None and getattr(frame, "_atTop", False))
        needed = 0.0
        for flowable in content[:-1]:
            _, height = flowable.wrapOn(self.canv, aW, aH)
            needed += height + flowable.getSpaceBefore() + flowable.getSpaceAfter()
        needed += _start_height(content[-1], self.canv, aW, aH)
        if needed > aH and not at_top:
            return [FrameBreak(), *content]
        return content


def _fit(text: str, font: str, size: float, width: float) -> str:
    """`text` shortened with an ellipsis so that it fits in `width` points."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


class RecruitDocTemplate(BaseDocTemplate):
    """A4 pages with a running header, "Page X of Y" footers and an outline of headings.

    It is built with `multiBuild`: the first pass counts the pages, the second draws
    the right total in every footer.
    """

    def __init__(self, file: Any, theme: Theme, *, title: str, subject: str, author: str):
        register_fonts()
        super().__init__(
            file,
            pagesize=PAGE_SIZE,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=clean(title),
            subject=clean(subject),
            author=clean(author),
            creator="Recruit",
            lang="en-GB",
            # Otherwise every page names Helvetica, a font that is not embedded.
            initialFontName=FONT,
            initialFontSize=10,
            initialLeading=14.5,
            displayDocTitle=1,
            keepTogetherClass=_KeepWithStart,
        )
        self.theme = theme
        self.document_title = clean(title)
        self._page_total: int | None = None
        self._outline_count = 0
        self._outline_has_top = False
        body = Frame(
            MARGIN,
            MARGIN,
            FRAME_WIDTH,
            FRAME_HEIGHT,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[body], onPage=self._furniture)])

    def beforeDocument(self) -> None:  # noqa: N802 (ReportLab's hook name)
        # Each pass draws on a new canvas, so the outline starts again.
        self._outline_count = 0
        self._outline_has_top = False

    def _allSatisfied(self) -> int:  # noqa: N802 (ReportLab's hook name)
        # Done once a pass drew the page total that the pass before it counted.
        counted, self._page_total = self._page_total, self.page
        # A private hook of BaseDocTemplate (not in its stubs): the multi-pass build's test.
        satisfied = super()._allSatisfied()  # type: ignore[misc]
        return int(counted == self.page and bool(satisfied))

    def _furniture(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.saveState()
        size = 8
        canv.setFont(FONT, size)
        canv.setFillColor(MUTED)
        half = FRAME_WIDTH / 2 - 6
        organisation = clean(self.theme.organisation)
        if organisation:
            glyphs.draw_string(
                canv, MARGIN, HEADER_BASELINE, _fit(organisation, FONT, size, half), FONT, size
            )
        if self.document_title:
            width = FRAME_WIDTH if not organisation else half
            glyphs.draw_string(
                canv,
                PAGE_WIDTH - MARGIN,
                HEADER_BASELINE,
                _fit(self.document_title, FONT, size, width),
                FONT,
                size,
                align="right",
            )
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN, HEADER_RULE, PAGE_WIDTH - MARGIN, HEADER_RULE)
        total = self._page_total if self._page_total is not None else canv.getPageNumber()
        canv.drawRightString(
            PAGE_WIDTH - MARGIN, FOOTER_BASELINE, f"Page {canv.getPageNumber()} of {total}"
        )
        marking = clean(self.theme.marking)
        if marking:  # centred above the header and in the footer, as markings are worn
            canv.setFont(FONT_BOLD, 9)
            canv.setFillColor(colors.black)
            text = _fit(marking, FONT_BOLD, 9, FRAME_WIDTH / 2)
            for baseline in (MARKING_BASELINE, FOOTER_BASELINE):
                glyphs.draw_string(
                    canv, PAGE_WIDTH / 2, baseline, text, FONT_BOLD, 9, align="centre"
                )
        canv.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (ReportLab's hook name)
        name = getattr(getattr(flowable, "style", None), "name", "")
        if name not in _OUTLINE_LEVELS or not isinstance(flowable, Paragraph):
            return
        level = _OUTLINE_LEVELS[name]
        # An outline cannot start at level 1; a lone h2 becomes a top-level entry.
        if level == 1 and not self._outline_has_top:
            level = 0
        self._outline_has_top = self._outline_has_top or level == 0
        key = f"heading-{self._outline_count}"
        self._outline_count += 1
        # Frame._y (private, not in ReportLab's stubs) is where the flowable just drawn ended.
        ends_at: float = self.frame._y  # type: ignore[attr-defined]
        top = ends_at + flowable.getSpaceAfter() + getattr(flowable, "height", 0)
        self.canv.bookmarkHorizontal(key, 0, top + 4)
        self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level, closed=False)
        if self._outline_count == 1:
            self.canv.showOutline()


def build_pdf(
    path: Path | str,
    flowables: Sequence[Flowable],
    theme: Theme,
    *,
    title: str,
    subject: str = "",
    author: str = "",
) -> Path:
    """Lay out `flowables` on house-style pages and write the PDF atomically to `path`."""
    target = Path(path)
    with atomic_output(target) as handle:
        doc = RecruitDocTemplate(handle, theme, title=title, subject=subject, author=author)
        doc.multiBuild(list(flowables), maxPasses=6)
    return target


def page_css(theme: Theme) -> str:
    """The page, logo, organisation and title rules every HTML document shares."""
    # Theme colours were checked to be #rrggbb when the Theme was made.
    return f"""
  body {{ margin: 0; background: #ffffff; color: {TEXT_HEX};
    font: 1rem/1.5 "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; }}
  main {{ max-width: 46rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }}
  .logo {{ max-height: 4rem; max-width: 15rem; display: block; margin-bottom: 1rem; }}
  .organisation {{ color: {theme.primary_text}; font-weight: bold; margin: 0 0 .4rem; }}
  h1 {{ font-size: 2rem; line-height: 1.2; margin: 0 0 .3rem; }}
"""
