"""Accessible HTML pages from the flowables a PDF is laid out from, starting with the info pack.

GOV.UK asks for HTML rather than PDF where candidates use assistive technology. The
page is made from the very flowables the PDF renderer builds from the read model, so a
section added to the PDF appears here with no further work: headings by paragraph
style, bullets as lists, tables with header cells (and row groups), key facts as a
description list, the logo with alt text, and a contents list linking each section.
Every word is escaped: paragraph markup is re-read with the standard library's parser
and only text, line breaks, emphasis and mailto or web links pass through.
"""

from __future__ import annotations

import base64
import html
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

from reportlab.lib.styles import PropertySet
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    Image,
    KeepTogether,
    Paragraph,
    Table,
)
from reportlab.platypus.tableofcontents import TableOfContents

from exports.files import write_text_atomic
from exports.styles import (
    H1_NAME,
    H2_NAME,
    LIGHT_FILL_HEX,
    MUTED_HEX,
    RULE_HEX,
    TEXT_HEX,
    TICK,
    Theme,
    clean,
    make_styles,
    page_css,
)
from recruit_app.readmodels import InfoPackDocument

log = logging.getLogger(__name__)

LANG = "en-GB"

# What each paragraph style (or the style it derives from) becomes.
_ROLES = {
    "RecruitTitle": "title",
    "RecruitKicker": "organisation",
    "RecruitSubtitle": "subtitle",
    "RecruitMeta": "meta",
    H1_NAME: "section",
    H2_NAME: "h3",
    "RecruitH3": "h4",
    "RecruitLabel": "label",
    "RecruitSmall": "small",
    "RecruitTableNote": "small",
    "RecruitTableHeader": "header",
}


def _role(style: PropertySet | None) -> str:
    while style is not None:
        role = _ROLES.get(style.name)
        if role:
            return role
        style = style.parent
    return "p"


def _h(value: object) -> str:
    return html.escape(clean(value), quote=True)


# --- paragraph markup to HTML --------------------------------------------------------


class _Markup(HTMLParser):
    """Re-reads ReportLab paragraph markup, keeping only what is safe and means something."""

    _EMPHASIS: ClassVar[dict[str, str]] = {"b": "strong", "strong": "strong", "i": "em", "em": "em"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.out.append("<br>")
        elif tag in self._EMPHASIS:
            self.out.append(f"<{self._EMPHASIS[tag]}>")
            self.open.append(f"</{self._EMPHASIS[tag]}>")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith(("mailto:", "https://", "http://")):
                self.out.append(f'<a href="{_h(href)}">')
                self.open.append("</a>")
            else:
                self.open.append("")
        elif tag not in ("br",):
            # <font>, <u>, <span> and the like only change the look.
            self.open.append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.out.append("<br>")

    def handle_endtag(self, tag: str) -> None:
        if tag != "br" and self.open:
            self.out.append(self.open.pop())

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(data, quote=False))

    def result(self) -> str:
        self.close()
        return "".join(self.out) + "".join(reversed(self.open))


def markup_html(markup: str) -> str:
    """HTML for ReportLab paragraph markup: text escaped, only harmless tags kept."""
    parser = _Markup()
    parser.feed(markup)
    return parser.result()


def _paragraph_html(paragraph: Paragraph) -> str:
    return markup_html(str(getattr(paragraph, "text", "") or ""))


# --- flowables to HTML ---------------------------------------------------------------


@dataclass
class _Page:
    theme: Theme
    organisation: str
    header: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    sections: list[tuple[str, str]] = field(default_factory=list)  # (id, heading)
    contents_at: int | None = None
    in_header: bool = True
    section_open: bool = False
    bullets: list[str] = field(default_factory=list)

    @property
    def out(self) -> list[str]:
        return self.header if self.in_header else self.body

    def flush_bullets(self) -> None:
        if self.bullets:
            self.out.append("<ul>\n" + "\n".join(self.bullets) + "\n</ul>")
            self.bullets = []

    def start_section(self, heading_html: str, plain: str) -> None:
        self.flush_bullets()
        self.in_header = False
        if self.section_open:
            self.body.append("</section>")
        slug = _slug(plain, {s for s, _ in self.sections})
        self.sections.append((slug, heading_html))
        self.body.append(f'<section aria-labelledby="{slug}">')
        self.body.append(f'<h2 id="{slug}">{heading_html}</h2>')
        self.section_open = True


def _slug(text: str, used: set[str]) -> str:
    base = "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")
    base = "-".join(filter(None, base.split("-"))) or "section"
    slug, n = base, 2
    while slug in used:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _paragraph(page: _Page, paragraph: Paragraph) -> None:
    text = _paragraph_html(paragraph)
    if getattr(paragraph, "bulletText", None):
        page.bullets.append(f"<li>{text}</li>")
        return
    page.flush_bullets()
    role = _role(paragraph.style)
    if role == "section":
        page.start_section(text, paragraph.getPlainText())
        return
    if not text.strip():
        return
    tags = {
        "title": ("<h1>", "</h1>"),
        "organisation": ('<p class="organisation">', "</p>"),
        "subtitle": ('<p class="subtitle">', "</p>"),
        "meta": ('<p class="meta">', "</p>"),
        "h3": ("<h3>", "</h3>"),
        "h4": ("<h4>", "</h4>"),
        "label": ('<p class="label">', "</p>"),
        "small": ('<p class="small">', "</p>"),
    }
    start, end = tags.get(role, ("<p>", "</p>"))
    page.out.append(f"{start}{text}{end}")


def _cell_html(value: Any) -> str:
    """The inside of a table cell: a string, a paragraph, or a list of flowables."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _h(value).replace("\n", "<br>")
    if isinstance(value, Paragraph) and value.getPlainText().strip() == TICK:
        # A tick in a grid, spoken as the word it stands for.
        hidden = '<span class="visually-hidden">Assessed</span>'
        return f'<span aria-hidden="true">{TICK}</span>{hidden}'
    if isinstance(value, Flowable):
        value = [value]
    inner = _Page(Theme(), "")
    inner.in_header = False
    _flowables(inner, list(value))
    inner.flush_bullets()
    parts = inner.body
    # A lone paragraph needs no <p> of its own inside a cell.
    lone = _LONE_PARAGRAPH.match(parts[0]) if len(parts) == 1 else None
    if lone:
        return lone.group(1)
    return "\n".join(part.replace("<ul>", '<ul class="in-cell">', 1) for part in parts)


_LONE_PARAGRAPH = re.compile(r"^<p(?: class=\"[a-z]+\")?>((?:(?!<p[ >]).)*)</p>$", re.DOTALL)


def _is_label(value: Any) -> bool:
    return isinstance(value, Paragraph) and _role(value.style) == "label"


def _full_row_spans(table: Table, columns: int) -> set[int]:
    rows = set()
    for command in getattr(table, "_spanCmds", ()):
        _name, (start_col, start_row), (end_col, end_row) = command
        if start_col == 0 and end_col in (-1, columns - 1) and start_row == end_row:
            rows.add(start_row)
    return rows


def _table(page: _Page, table: Table) -> None:
    page.flush_bullets()
    rows: Sequence[Sequence[Any]] = getattr(table, "_cellvalues", ())
    if not rows:
        return
    columns = max(len(row) for row in rows)
    header_rows = int(getattr(table, "repeatRows", 0) or 0)
    if header_rows == 0 and columns == 2 and all(_is_label(row[0]) for row in rows):
        # Label and value pairs: the key facts of a document.
        items = [
            f"<div><dt>{_cell_html(label)}</dt><dd>{_cell_html(value)}</dd></div>"
            for label, value in rows
        ]
        page.out.append('<dl class="facts">\n' + "\n".join(items) + "\n</dl>")
        return
    groups = _full_row_spans(table, columns)
    lines = ["<table>"]
    if header_rows:
        lines.append("<thead>")
        for row in rows[:header_rows]:
            cells = "".join(f'<th scope="col">{_cell_html(cell)}</th>' for cell in row)
            lines.append(f"<tr>{cells}</tr>")
        lines.append("</thead>")
    lines.append("<tbody>")
    for index in range(header_rows, len(rows)):
        row = rows[index]
        if index in groups:
            if index != header_rows:
                lines += ["</tbody>", "<tbody>"]
            lines.append(
                f'<tr class="group"><th scope="rowgroup" colspan="{columns}">'
                f"{_cell_html(row[0])}</th></tr>"
            )
            continue
        # Under column headers, a row is named by its first cell: a screen reader then says
        # which criterion (or stage) a cell belongs to.
        first, *rest = row
        head = (
            f'<th scope="row">{_cell_html(first)}</th>'
            if header_rows
            else (f"<td>{_cell_html(first)}</td>")
        )
        cells = head + "".join(f"<td>{_cell_html(cell)}</td>" for cell in rest)
        lines.append(f"<tr>{cells}</tr>")
    lines += ["</tbody>", "</table>"]
    page.out.append("\n".join(lines))


_IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
}


def logo_html(path: Path | None, organisation: str) -> str:
    """The logo embedded in the page (it stands alone when sent on), with its alt text."""
    if path is None or path.suffix.lower() not in _IMAGE_TYPES:
        return ""
    try:
        data = base64.b64encode(path.read_bytes()).decode("ascii")
    except OSError:
        return ""
    alt = f"{organisation} logo" if organisation else "Logo"
    mime = _IMAGE_TYPES[path.suffix.lower()]
    return f'<img class="logo" src="data:{mime};base64,{data}" alt="{_h(alt)}">'


def _flowables(page: _Page, flowables: Iterable[Flowable]) -> None:
    items = list(flowables)
    for index, flowable in enumerate(items):
        if isinstance(flowable, TableOfContents):
            page.flush_bullets()
            # The contents list's own heading came just before it; the page makes its own.
            if page.out and index and isinstance(items[index - 1], Paragraph):
                page.out.pop()
            page.contents_at = len(page.body) if not page.in_header else -1
        elif isinstance(flowable, Paragraph):
            _paragraph(page, flowable)
        elif isinstance(flowable, Table):
            _table(page, flowable)
        elif isinstance(flowable, KeepTogether):
            _flowables(page, getattr(flowable, "_content", ()))
        elif isinstance(flowable, Image):
            page.flush_bullets()
            filename = getattr(flowable, "filename", None)
            logo = logo_html(Path(filename) if filename else None, page.organisation)
            if logo:
                page.out.append(logo)
        elif isinstance(flowable, HRFlowable) and page.in_header:
            # The coloured rule under the title ends the title block.
            page.flush_bullets()
            page.in_header = False
        else:
            # Spacers, page breaks and progress checkpoints have nothing to say in HTML.
            content = getattr(flowable, "_content", None)
            if isinstance(content, list):
                _flowables(page, content)
    page.flush_bullets()


def _css(theme: Theme) -> str:
    # Theme colours were checked to be #rrggbb when the Theme was made.
    return (
        page_css(theme)
        + f"""
  .subtitle {{ font-size: 1.25rem; color: {MUTED_HEX}; margin: 0 0 .3rem; }}
  .meta, .small {{ color: {MUTED_HEX}; }}
  header {{ border-bottom: 4px solid {theme.primary}; padding-bottom: 1rem;
    margin-bottom: 1.5rem; }}
  h2 {{ font-size: 1.5rem; margin: 2.25rem 0 .75rem; }}
  h3 {{ font-size: 1.2rem; margin: 1.5rem 0 .4rem; }}
  h4 {{ font-size: 1.05rem; margin: 1.25rem 0 .3rem; }}
  p, ul, ol {{ margin: 0 0 .9rem; }}
  li {{ margin-bottom: .3rem; }}
  .label {{ font-weight: bold; margin-bottom: .3rem; }}
  a {{ color: {theme.primary_text}; }}
  dl.facts {{ background: {LIGHT_FILL_HEX}; padding: 1rem 1.25rem; margin: 0 0 1rem; }}
  dl.facts div {{ display: grid; grid-template-columns: 30% 1fr; gap: 0 1rem;
    padding: .25rem 0; }}
  dl.facts dt {{ font-weight: bold; }}
  dl.facts dd {{ margin: 0; }}
  table {{ border-collapse: collapse; width: 100%; margin: .5rem 0 1.25rem; }}
  th, td {{ text-align: left; vertical-align: top; padding: .5rem .6rem;
    border-bottom: 1px solid {RULE_HEX}; overflow-wrap: break-word; }}
  thead th {{ border-bottom: 2px solid {TEXT_HEX}; }}
  tr.group th {{ background: {LIGHT_FILL_HEX}; }}
  td p {{ margin: 0 0 .3rem; }}
  tbody th[scope="row"] {{ font-weight: normal; }}
  .visually-hidden {{ position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0); white-space: nowrap; }}
  ul.in-cell {{ margin: 0; padding-left: 1.1rem; }}
  @media print {{ main {{ max-width: none; padding: 0; }} }}
"""
    )


def flowables_html(
    flowables: Iterable[Flowable], theme: Theme, *, title: str, organisation: str = ""
) -> str:
    """One standalone HTML5 page (inline styles, embedded logo) for a document's flowables."""
    page = _Page(theme, clean(organisation).strip())
    _flowables(page, flowables)
    if page.section_open:
        page.body.append("</section>")
    contents = ""
    if page.sections:
        links = "\n".join(
            f'<li><a href="#{slug}">{heading}</a></li>' for slug, heading in page.sections
        )
        contents = (
            '<nav aria-labelledby="contents">\n<h2 id="contents">Contents</h2>\n'
            f"<ol>\n{links}\n</ol>\n</nav>"
        )
    body = list(page.body)
    if contents:
        at = page.contents_at if page.contents_at not in (None, -1) else 0
        body.insert(at or 0, contents)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{LANG}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(title)}</title>",
        f"<style>{_css(theme)}</style>",
        "</head>",
        "<body>",
        "<main>",
    ]
    if page.header:
        out += ["<header>", *page.header, "</header>"]
    out += [*body, "</main>", "</body>", "</html>", ""]
    return "\n".join(out)


# --- the documents -------------------------------------------------------------------


def info_pack_html(doc: InfoPackDocument, theme: Theme) -> str:
    """The candidate information pack as one accessible HTML page, with the PDF's sections."""
    from exports.info_pack import PACK_NAME, info_pack_flowables

    organisation = clean(doc.organisation).strip() or theme.organisation
    if not theme.organisation and organisation:
        theme = replace(theme, organisation=organisation)
    title = f"{clean(doc.title).strip() or 'Untitled campaign'}: {PACK_NAME.lower()}"
    if organisation:
        title = f"{title} – {organisation}"
    flowables = info_pack_flowables(doc, make_styles(theme))
    return flowables_html(flowables, theme, title=title, organisation=organisation)


def write_info_pack_html(doc: InfoPackDocument, path: Path | str, theme: Theme) -> Path:
    """Write the information pack as HTML to `path` (atomically) and return the path."""
    return write_text_atomic(path, info_pack_html(doc, theme))
