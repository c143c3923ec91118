"""Job adverts as PDF, standalone HTML and plain text, all from one AdvertDocument."""

from __future__ import annotations

import base64
import html
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from reportlab.platypus import Flowable, Paragraph, Spacer

from exports.files import write_text_atomic
from exports.styles import (
    LIGHT_FILL_HEX,
    MUTED_HEX,
    RULE_HEX,
    TEXT_HEX,
    Cell,
    Styles,
    Theme,
    build_pdf,
    bullet_list,
    clean,
    escape,
    facts_table,
    is_email,
    lines_as_items,
    make_styles,
    page_css,
    paragraphs_from_text,
    table,
    text_blocks,
    title_block,
)
from recruit_app.domain.dates import in_london, long_date, short_date
from recruit_app.readmodels import AdvertCriterionView, AdvertDocument, StageSummary
from recruit_app.vocabulary import SPECIFICATION_ORDER, Element, Outcome, StageMode

FORMATS = ("pdf", "html", "txt")
# The elements whose criteria each get a section of their own, after the specification.
DETAIL_ELEMENTS = (Element.BEHAVIOURS, Element.TECHNICAL, Element.STRENGTHS)
# The others: their criteria are described in the person specification itself.
DESCRIBED_IN_SPECIFICATION = frozenset(Element) - frozenset(DETAIL_ELEMENTS)

TEXT_WIDTH = 80


# --- formatting ----------------------------------------------------------------------


def format_money(pounds: int) -> str:
    return f"£{pounds:,}"


def format_pay_zone(zone: str, minimum: int, maximum: int) -> str:
    """ "National: £39,000 to £42,900"; a band with one figure shows it once."""
    amount = format_money(minimum)
    if maximum != minimum:
        amount = f"{amount} to {format_money(maximum)}"
    return f"{zone}: {amount}" if zone else amount


def format_closing(moment: datetime) -> str:
    """ "11:55pm on Sunday 15 November 2026", in UK time whatever the season."""
    # The database keeps UTC; a naive value can only have come from there.
    local = in_london(moment)
    day = long_date(local.date())
    if (local.hour, local.minute) == (0, 0):
        # "Midnight on Sunday" is read both ways; say which side of it we mean.
        return f"midnight at the start of {day}"
    if (local.hour, local.minute) == (12, 0):
        return f"midday on {day}"
    hour = local.hour % 12 or 12
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{hour}{minutes}{'am' if local.hour < 12 else 'pm'} on {day}"


def format_stage_dates(starts_on: date | None, ends_on: date | None) -> str:
    """ "Mon 16 Nov to Fri 20 Nov 2026", or one date, or "To be confirmed"."""
    if starts_on and ends_on and ends_on != starts_on:
        same_year = starts_on.year == ends_on.year
        return f"{short_date(starts_on, with_year=not same_year)} to {short_date(ends_on)}"
    if starts_on or ends_on:
        only = starts_on or ends_on
        assert only is not None
        return short_date(only) if starts_on else f"By {short_date(only)}"
    return "To be confirmed"


def criterion_name(criterion: AdvertCriterionView, *, with_level: bool = True) -> str:
    """ "Programming/software development (PROG), Level 4 (Enable)"."""
    name = clean(criterion.title).strip() or criterion.code
    # SFIA codes mean something to candidates; internal codes such as EXP1 do not.
    if criterion.element == "TEC" and criterion.code:
        name = f"{name} ({criterion.code})"
    if with_level and criterion.level_label:
        name = f"{name}, {criterion.level_label}"
    return name


def not_written(email: str) -> str:
    """What a candidate reads in a section the recruiting team has not written yet."""
    address = clean(email).strip()
    ask = f"please ask the recruitment team at {address}" if address else "please ask us"
    return f"This section is still being written; until it is, {ask}."


def _months(count: int) -> str:
    return f"{count} month" if count == 1 else f"{count} months"


# --- the content, independent of format ----------------------------------------------


@dataclass(frozen=True)
class _Text:
    """User text: paragraphs, line breaks and bullets as `text_blocks` reads them."""

    text: str


@dataclass(frozen=True)
class _Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class _Subheading:
    text: str


@dataclass(frozen=True)
class _Facts:
    pairs: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class _Cell:
    lines: tuple[str, ...]
    note: str = ""
    # A date range may break only at "to", never inside a date.
    dates: bool = False


@dataclass(frozen=True)
class _Table:
    kind: Literal["criteria", "stages"]
    columns: tuple[str, ...]
    widths: tuple[float, ...]
    # (group label or "", rows); a label becomes a full-width row above its rows.
    groups: tuple[tuple[str, tuple[tuple[_Cell, ...], ...]], ...]


_Part = _Text | _Bullets | _Subheading | _Facts | _Table


@dataclass(frozen=True)
class _Section:
    heading: str
    parts: tuple[_Part, ...]


def _has_text(value: str) -> bool:
    return bool(clean(value).strip())


def key_facts(doc: AdvertDocument) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The facts a candidate scans first, as (label, lines) pairs; empty ones left out."""
    pairs: list[tuple[str, tuple[str, ...]]] = []

    def add(label: str, *values: str) -> None:
        lines = tuple(v for v in (clean(v).strip() for v in values) if v)
        if lines:
            pairs.append((label, lines))

    add("Salary", *(format_pay_zone(z.zone, z.minimum, z.maximum) for z in doc.pay_zones))
    add("Allowance", doc.allowance)
    if doc.closes_at is not None:
        add("Closing date", format_closing(doc.closes_at))
    add("Location" if len(doc.locations) == 1 else "Locations", ", ".join(doc.locations))
    add("Contract type", doc.contract_type)
    add("Working pattern", ", ".join(doc.working_patterns))
    if doc.posts > 0:
        add("Number of posts", str(doc.posts))
    add("Business area", doc.business_area)
    add("Type of role", ", ".join(doc.role_types))
    return tuple(pairs)


def _criteria_by_element(doc: AdvertDocument) -> list[tuple[str, list[AdvertCriterionView]]]:
    known = [(e, [c for c in doc.criteria if c.element == e]) for e in SPECIFICATION_ORDER]
    # Unknown elements should not exist, but a criterion must never silently vanish.
    others = [c for c in doc.criteria if c.element not in Element.codes()]
    groups = [(element.label, items) for element, items in known if items]
    if others:
        groups.append(("Other", others))
    return groups


def _criterion_sections(doc: AdvertDocument, element: Element) -> _Section:
    parts: list[_Part] = []
    for criterion in (c for c in doc.criteria if c.element == element):
        parts.append(_Subheading(criterion_name(criterion)))
        if _has_text(criterion.description):
            parts.append(_Text(criterion.description))
        indicators = tuple(i for i in (clean(i).strip() for i in criterion.indicators) if i)
        if indicators:
            parts.append(_Bullets(indicators))
    return _Section(element.heading, tuple(parts))


def _stage_criteria(stage: StageSummary, doc: AdvertDocument) -> tuple[str, ...]:
    by_code = {c.code: c for c in doc.criteria}
    return tuple(
        criterion_name(by_code[code], with_level=False) if code in by_code else code
        for code in stage.criteria
    )


def sections(doc: AdvertDocument) -> tuple[_Section, ...]:
    """Every section of the advert in reading order, empty ones left out."""
    found: list[_Section] = []

    about: list[_Part] = []
    if _has_text(doc.summary):
        about += [_Subheading("Job summary"), _Text(doc.summary)]
    if _has_text(doc.job_description):
        about += [_Subheading("Job description"), _Text(doc.job_description)]
    responsibilities = lines_as_items(doc.responsibilities)
    if responsibilities:
        about += [_Subheading("Your responsibilities"), _Bullets(responsibilities)]
    found.append(_Section("About the job", tuple(about)))

    person: list[_Part] = []
    if _has_text(doc.person_specification):
        person.append(_Text(doc.person_specification))
    groups = _criteria_by_element(doc)
    if groups:
        rows = []
        for label, items in groups:
            cells = []
            for c in items:
                name = criterion_name(c)
                if c.lead:
                    name = f"{name} (lead criterion)"
                # Behaviours, skills and strengths are described in their own sections.
                note = c.description if c.element in DESCRIBED_IN_SPECIFICATION else ""
                essential = "Essential" if c.essential else "Desirable"
                cells.append((_Cell((name,), clean(note).strip()), _Cell((essential,))))
            rows.append((label, tuple(cells)))
        person.append(
            _Table("criteria", ("Criterion", "Essential or desirable"), (0.72, 0.28), tuple(rows))
        )
    found.append(_Section("Person specification", tuple(person)))

    found += [_criterion_sections(doc, element) for element in DETAIL_ELEMENTS]

    if _has_text(doc.qualifications):
        found.append(_Section("Qualifications", (_Text(doc.qualifications),)))

    assessed: list[_Part] = []
    if _has_text(doc.selection_process):
        assessed.append(_Text(doc.selection_process))
    if doc.stages:
        stage_rows = tuple(
            (
                _Cell((clean(s.name).strip() or "Stage",), StageMode.label_if_set(s.mode)),
                _Cell((format_stage_dates(s.starts_on, s.ends_on),), dates=True),
                _Cell(_stage_criteria(s, doc)),
            )
            for s in doc.stages
        )
        assessed.append(
            _Table(
                "stages",
                ("Stage", "Dates", "What it assesses"),
                (0.22, 0.34, 0.44),
                (("", stage_rows),),
            )
        )
    found.append(_Section("How you will be assessed", tuple(assessed)))

    benefits = lines_as_items(doc.benefits)
    found.append(_Section("Benefits", (_Bullets(benefits),) if benefits else ()))

    know: list[_Part] = []
    # Every standard section, in order; one not written yet says whom to ask.
    for section in doc.standard_sections:
        text = section.text or not_written(doc.team_email or doc.contact_email)
        know += [_Subheading(section.heading), _Text(text)]
    if doc.reserve_list_months > 0:
        know += [
            _Subheading(Outcome.RESERVE.label),
            _Text(f"A reserve list will be kept for {_months(doc.reserve_list_months)}."),
        ]
    found.append(_Section("Things you need to know", tuple(know)))

    contact = [
        (label, (clean(value).strip(),))
        for label, value in (
            ("Name", doc.contact_name),
            ("E-mail", doc.contact_email),
            ("Recruitment team", doc.team_email),
        )
        if _has_text(value)
    ]
    found.append(_Section("Contact", (_Facts(tuple(contact)),) if contact else ()))

    return tuple(s for s in found if s.parts)


def section_headings(doc: AdvertDocument) -> tuple[str, ...]:
    """The top-level headings the advert will show, in order."""
    return tuple(s.heading for s in sections(doc))


def _title_meta(doc: AdvertDocument) -> tuple[str, ...]:
    lines = []
    if _has_text(doc.reference):
        lines.append(f"Reference {clean(doc.reference).strip()}")
    return tuple(lines)


# --- PDF -----------------------------------------------------------------------------


def _pdf_cell(cell: _Cell, styles: Styles) -> list[Flowable]:
    lines = cell.lines
    if cell.dates:
        lines = tuple(
            " to ".join(p.replace(" ", "\xa0") for p in line.split(" to ")) for line in lines
        )
    flowables: list[Flowable]
    if len(lines) > 1:
        # Several items in one cell: bullets show where one ends when it wraps.
        flowables = [Paragraph(escape(line), styles.table_bullet, bulletText="•") for line in lines]
    else:
        flowables = [Paragraph(escape(lines[0]) if lines else "", styles.table_cell)]
    if cell.note:
        flowables.append(Spacer(1, 2))
        flowables += paragraphs_from_text(cell.note, styles.table_note)
    return flowables


def _pdf_part(part: _Part, styles: Styles) -> list[Flowable]:
    if isinstance(part, _Text):
        return paragraphs_from_text(part.text, styles.body, styles.bullet)
    if isinstance(part, _Bullets):
        return bullet_list(part.items, styles.bullet)
    if isinstance(part, _Subheading):
        return [Paragraph(escape(part.text), styles.h2)]
    if isinstance(part, _Facts):
        return [facts_table(part.pairs, styles)]
    rows: list[list[Cell]] = [list(part.columns)]
    group_rows: list[int] = []
    for label, cells in part.groups:
        if label:
            group_rows.append(len(rows))
            rows.append([label])
        rows += [[_pdf_cell(cell, styles) for cell in row] for row in cells]
    return [table(rows, part.widths, header=True, styles=styles, group_rows=group_rows)]


def advert_flowables(doc: AdvertDocument, styles: Styles) -> list[Flowable]:
    """The advert as ReportLab flowables, for a PDF of its own or inside a candidate pack."""
    meta = [*_title_meta(doc), clean(doc.status_label).strip()]
    story = title_block(
        styles,
        clean(doc.title).strip() or "Untitled advert",
        kicker=clean(doc.organisation).strip(),
        subtitle=clean(doc.grade).strip(),
        meta=[" · ".join(line for line in meta if line)],
    )
    facts = key_facts(doc)
    if facts:
        story.append(facts_table(facts, styles))
    for section in sections(doc):
        story.append(Paragraph(escape(section.heading), styles.h1))
        for part in section.parts:
            story += _pdf_part(part, styles)
    return story


def _pdf_theme(doc: AdvertDocument, theme: Theme) -> Theme:
    if theme.organisation or not _has_text(doc.organisation):
        return theme
    return replace(theme, organisation=clean(doc.organisation).strip())


def render_advert_pdf(doc: AdvertDocument, path: Path, theme: Theme) -> Path:
    """Write the advert as a PDF to `path` (atomically) and return the path."""
    theme = _pdf_theme(doc, theme)
    title = clean(doc.title).strip() or "Untitled advert"
    reference = clean(doc.reference).strip()
    return build_pdf(
        path,
        advert_flowables(doc, make_styles(theme)),
        theme,
        title=title,
        subject=f"Job advert, reference {reference}" if reference else "Job advert",
        author=clean(doc.organisation).strip() or theme.organisation,
    )


# --- HTML ----------------------------------------------------------------------------


def _h(value: object) -> str:
    return html.escape(clean(value), quote=True)


def _slug(text: str, used: set[str]) -> str:
    base = "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")
    base = "-".join(filter(None, base.split("-"))) or "section"
    slug, n = base, 2
    while slug in used:
        slug, n = f"{base}-{n}", n + 1
    used.add(slug)
    return slug


def _html_text(text: str) -> str:
    out = []
    for kind, parts in text_blocks(text):
        if kind == "bullets":
            out.append("<ul>" + "".join(f"<li>{_h(item)}</li>" for item in parts) + "</ul>")
        else:
            out.append("<p>" + "<br>".join(_h(line) for line in parts) + "</p>")
    return "\n".join(out)


def _html_cell(cell: _Cell) -> str:
    if len(cell.lines) > 1:
        body = '<ul class="in-cell">' + "".join(f"<li>{_h(x)}</li>" for x in cell.lines) + "</ul>"
    else:
        body = "".join(_h(line) for line in cell.lines)
    if cell.note:
        body += f'<div class="note">{_html_text(cell.note)}</div>'
    return f"<td>{body}</td>"


def _html_part(part: _Part) -> str:
    if isinstance(part, _Text):
        return _html_text(part.text)
    if isinstance(part, _Bullets):
        return "<ul>" + "".join(f"<li>{_h(item)}</li>" for item in part.items) + "</ul>"
    if isinstance(part, _Subheading):
        return f"<h3>{_h(part.text)}</h3>"
    if isinstance(part, _Facts):
        return _html_facts(part.pairs)
    head = "".join(f'<th scope="col">{_h(c)}</th>' for c in part.columns)
    bodies = []
    for label, rows in part.groups:
        lines = []
        if label:
            lines.append(
                f'<tr class="group"><th scope="rowgroup" colspan="{len(part.columns)}">'
                f"{_h(label)}</th></tr>"
            )
        for row in rows:
            lines.append("<tr>" + "".join(_html_cell(cell) for cell in row) + "</tr>")
        bodies.append("<tbody>" + "\n".join(lines) + "</tbody>")
    return f"<table>\n<thead><tr>{head}</tr></thead>\n" + "\n".join(bodies) + "\n</table>"


def _html_value(value: str) -> str:
    if is_email(value):
        return f'<a href="mailto:{_h(value.strip())}">{_h(value.strip())}</a>'
    return _h(value)


def _html_facts(pairs: Iterable[tuple[str, Sequence[str]]]) -> str:
    items = []
    for label, values in pairs:
        values_html = "".join(f"<dd>{_html_value(v)}</dd>" for v in values)
        items.append(f"<div><dt>{_h(label)}</dt>{values_html}</div>")
    return '<dl class="facts">' + "".join(items) + "</dl>"


_LOGO_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
}


def _html_logo(theme: Theme, organisation: str) -> str:
    path = theme.logo_path
    if path is None or path.suffix.lower() not in _LOGO_TYPES:
        return ""
    try:
        data = base64.b64encode(path.read_bytes()).decode("ascii")
    except OSError:
        return ""
    # Embedded so that the page stands alone when sent on or uploaded.
    mime = _LOGO_TYPES[path.suffix.lower()]
    return f'<img class="logo" src="data:{mime};base64,{data}" alt="{_h(organisation)}">'


def _css(theme: Theme) -> str:
    # Theme colours were checked to be #rrggbb when the Theme was made.
    return (
        page_css(theme)
        + f"""
  .grade {{ font-size: 1.25rem; color: {MUTED_HEX}; margin: 0 0 .3rem; }}
  .meta {{ color: {MUTED_HEX}; margin: 0; }}
  .title-block {{ border-bottom: 4px solid {theme.primary}; padding-bottom: 1rem;
    margin-bottom: 1.5rem; }}
  h2 {{ font-size: 1.5rem; margin: 2.25rem 0 .75rem; }}
  h3 {{ font-size: 1.15rem; margin: 1.5rem 0 .4rem; }}
  p, ul {{ margin: 0 0 .9rem; }}
  li {{ margin-bottom: .3rem; }}
  a {{ color: {theme.primary_text}; }}
  dl.facts {{ background: {LIGHT_FILL_HEX}; padding: 1rem 1.25rem; margin: 0 0 1rem; }}
  dl.facts div {{ display: grid; grid-template-columns: 30% 1fr; gap: 0 1rem;
    padding: .25rem 0; }}
  dl.facts dt {{ font-weight: bold; }}
  dl.facts dd {{ margin: 0; grid-column: 2; }}
  table {{ border-collapse: collapse; width: 100%; margin: .5rem 0 1.25rem; }}
  th, td {{ text-align: left; vertical-align: top; padding: .5rem .6rem;
    border-bottom: 1px solid {RULE_HEX}; overflow-wrap: anywhere; }}
  thead th {{ border-bottom: 2px solid {TEXT_HEX}; }}
  tr.group th {{ background: {LIGHT_FILL_HEX}; }}
  .note {{ color: {MUTED_HEX}; font-size: .9rem; margin-top: .25rem; }}
  .note p {{ margin: 0; }}
  ul.in-cell {{ margin: 0; padding-left: 1.1rem; }}
  ul.in-cell li {{ margin-bottom: .15rem; }}
  @media print {{ main {{ max-width: none; padding: 0; }} }}
"""
    )


def advert_html(doc: AdvertDocument, theme: Theme) -> str:
    """The advert as one standalone HTML5 page with inline styles."""
    title = clean(doc.title).strip() or "Untitled advert"
    organisation = clean(doc.organisation).strip() or theme.organisation
    head_title = f"{title} – {organisation}" if organisation else title
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(head_title)}</title>",
        f"<style>{_css(theme)}</style>",
        "</head>",
        "<body>",
        "<main>",
        '<header class="title-block">',
    ]
    logo = _html_logo(theme, organisation)
    if logo:
        out.append(logo)
    if organisation:
        out.append(f'<p class="organisation">{_h(organisation)}</p>')
    out.append(f"<h1>{_h(title)}</h1>")
    if _has_text(doc.grade):
        out.append(f'<p class="grade">{_h(doc.grade.strip())}</p>')
    meta = [*_title_meta(doc), clean(doc.status_label).strip()]
    meta_text = " · ".join(_h(m) for m in meta if m)
    if meta_text:
        out.append(f'<p class="meta">{meta_text}</p>')
    out.append("</header>")
    facts = key_facts(doc)
    if facts:
        out.append(_html_facts(facts))
    used: set[str] = set()
    for section in sections(doc):
        slug = _slug(section.heading, used)
        out.append(f'<section aria-labelledby="{slug}">')
        out.append(f'<h2 id="{slug}">{_h(section.heading)}</h2>')
        out += [_html_part(part) for part in section.parts]
        out.append("</section>")
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out)


# --- plain text ----------------------------------------------------------------------


def _wrap(text: str, indent: str = "", hang: str = "") -> list[str]:
    # Addresses and links must stay whole, so long words are never broken.
    return textwrap.wrap(
        text,
        TEXT_WIDTH,
        initial_indent=indent,
        subsequent_indent=hang or indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


def _underlined(text: str, char: str) -> list[str]:
    # Long headings wrap too; the rule is as long as the longest line.
    lines = _wrap(text)
    return [*lines, char * max(len(line) for line in lines)]


def _text_bullets(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        out += _wrap(item, "- ", "  ")
    return out


def _text_text(text: str) -> list[list[str]]:
    blocks = []
    for kind, parts in text_blocks(text):
        if kind == "bullets":
            blocks.append(_text_bullets(parts))
        else:
            lines: list[str] = []
            for line in parts:
                lines += _wrap(line)
            blocks.append(lines)
    return blocks


def _text_facts(pairs: Iterable[tuple[str, Sequence[str]]]) -> list[str]:
    out: list[str] = []
    for label, values in pairs:
        out += _wrap(f"{label}: {'; '.join(values)}", "", "  ")
    return out


def _text_part(part: _Part) -> list[list[str]]:
    if isinstance(part, _Text):
        return _text_text(part.text)
    if isinstance(part, _Bullets):
        return [_text_bullets(part.items)]
    if isinstance(part, _Subheading):
        return [_underlined(part.text, "-")]
    if isinstance(part, _Facts):
        return [_text_facts(part.pairs)]
    blocks: list[list[str]] = []
    for label, rows in part.groups:
        if label:
            blocks.append(_underlined(label, "-"))
        blocks.append(_text_bullets(_text_row(part.kind, row) for row in rows))
    return blocks


def _flat(cell: _Cell) -> str:
    return "; ".join(cell.lines)


def _text_row(kind: str, row: Sequence[_Cell]) -> str:
    """A table row as one sentence-like line: text has no columns to line things up in."""
    first, *rest = row
    note = " ".join(line for _, lines in text_blocks(first.note) for line in lines)
    if kind == "criteria":
        text = f"{_flat(rest[0])}: {_flat(first)}" if rest else _flat(first)
        return f"{text} – {note}" if note else text
    text = f"{_flat(first)} ({note})" if note else _flat(first)
    dates = _flat(rest[0]) if rest else ""
    assesses = _flat(rest[1]) if len(rest) > 1 else ""
    text = f"{text}: {dates}." if dates else f"{text}."
    return f"{text} Assesses: {assesses}." if assesses else text


def advert_text(doc: AdvertDocument) -> str:
    """The advert as plain text for job boards, wrapped at 80 columns."""
    blocks: list[list[str]] = []
    top: list[str] = []
    if _has_text(doc.organisation):
        top += _wrap(clean(doc.organisation).strip())
    if top:
        blocks.append(top)
    blocks.append(_underlined((clean(doc.title).strip() or "Untitled advert").upper(), "="))
    details = [*_title_meta(doc)]
    if _has_text(doc.grade):
        details.append(f"Grade: {clean(doc.grade).strip()}")
    if _has_text(doc.status_label):
        details.append(f"Status: {clean(doc.status_label).strip()}")
    if details:
        blocks.append([line for d in details for line in _wrap(d, "", "  ")])
    facts = key_facts(doc)
    if facts:
        blocks.append(_text_facts(facts))
    for section in sections(doc):
        blocks.append(_underlined(section.heading.upper(), "="))
        for part in section.parts:
            blocks += _text_part(part)
    return "\n\n".join("\n".join(block) for block in blocks if block) + "\n"


# --- writing -------------------------------------------------------------------------


def write_advert(doc: AdvertDocument, path: Path, fmt: str, theme: Theme | None = None) -> Path:
    """Write the advert to `path` as "pdf", "html" or "txt", atomically; return the path."""
    theme = theme or Theme()
    fmt = fmt.lower().lstrip(".")
    if fmt == "pdf":
        return render_advert_pdf(doc, Path(path), theme)
    if fmt == "html":
        return write_text_atomic(path, advert_html(doc, theme))
    if fmt == "txt":
        return write_text_atomic(path, advert_text(doc))
    raise ValueError(f"Unknown advert format {fmt!r}; expected one of {', '.join(FORMATS)}")
