"""The candidate information pack as a PDF, from an `InfoPackDocument`.

Reading order: a cover with the key facts and the contents, then the sections every
candidate reads (welcome, the organisation, the role or roles, the person specification,
how they are assessed, the timetable, how to apply, benefits, terms, the standard sections
of every Civil Service pack, contact), then, for a campaign with several posts, one annex
per post with that post's role and criteria. The sections a candidate needs (about the
organisation, how to apply, terms and the standard sections) are always there, saying
whom to ask while they are not written; optional ones with nothing to say are left out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from exports.advert import (
    DESCRIBED_IN_SPECIFICATION,
    DETAIL_ELEMENTS,
    format_closing,
    format_pay_zone,
    format_stage_dates,
    not_written,
)
from exports.styles import (
    FONT,
    RULE,
    TICK,
    Cell,
    Styles,
    Theme,
    build_pdf,
    bullet_list,
    clean,
    escape,
    facts_table,
    lines_as_items,
    make_styles,
    paragraphs_from_text,
    table,
    title_block,
)
from recruit_app.domain.dates import long_date
from recruit_app.readmodels import (
    InfoPackCriterion,
    InfoPackDocument,
    PackDate,
    PackPost,
    Progress,
)
from recruit_app.vocabulary import SPECIFICATION_ORDER, Element, StageMode

PACK_NAME = "Candidate information pack"
# Timetable labels a candidate reads more easily than the planner's own.
DATE_LABELS = {"decision": "Final decisions", "start": "Expected start date"}


def _has_text(value: object) -> bool:
    return bool(clean(value).strip())


def _plain(value: object) -> str:
    return clean(value).strip()


def criterion_name(criterion: InfoPackCriterion, *, with_level: bool = True) -> str:
    """ "Programming/software development (PROG), Level 4 (Enable)"."""
    name = _plain(criterion.title) or criterion.code
    # SFIA codes mean something to candidates; internal codes such as EXP1 do not.
    if criterion.element == "TEC" and criterion.code:
        name = f"{name} ({criterion.code})"
    if with_level and _has_text(criterion.level_label):
        name = f"{name}, {_plain(criterion.level_label)}"
    return name


def annex_heading(post: PackPost) -> str:
    return f"Annex {post.annex} – {_plain(post.title) or 'Untitled post'}"


def _moment(moment: datetime) -> str:
    return format_closing(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def _date_words(entry: PackDate) -> str:
    """ "Monday 2 March 2026 to Friday 6 March 2026": whole dates, never shortened."""
    start, end = entry.starts_on, entry.ends_on
    if start is None:
        return "To be confirmed"
    if end is None or end == start:
        return long_date(start)
    return f"{long_date(start)} to {long_date(end)}"


# --- the plan: which sections, in which order ---------------------------------------


@dataclass(frozen=True)
class Section:
    heading: str
    build: Callable[[], list[Flowable]]
    new_page: bool = False


def _criteria_of(doc: InfoPackDocument, codes: Sequence[str]) -> list[InfoPackCriterion]:
    """The post's criteria in the advert's order; none listed means all of them."""
    wanted = set(codes)
    return [c for c in doc.criteria if not wanted or c.code in wanted]


class _Pack:
    """Builds the flowables of one pack; each method returns [] when it has nothing to say."""

    def __init__(self, doc: InfoPackDocument, styles: Styles) -> None:
        self.doc = doc
        self.styles = styles
        self.many = bool(doc.posts)
        self.stage_names = {
            code: tuple(_plain(s.name) or "Stage" for s in doc.stages if code in s.criteria)
            for code in (c.code for c in doc.criteria)
        }

    # --- small pieces ----------------------------------------------------------------

    def text(self, value: str, style: ParagraphStyle | None = None) -> list[Flowable]:
        return paragraphs_from_text(value, style or self.styles.body, self.styles.bullet)

    def bullets(self, value: str) -> list[Flowable]:
        return bullet_list(lines_as_items(value), self.styles.bullet)

    def h2(self, text: str) -> Paragraph:
        return Paragraph(escape(text), self.styles.h2)

    def h3(self, text: str) -> Paragraph:
        return Paragraph(escape(text), self.styles.h3)

    def pay_lines(self) -> list[str]:
        return [format_pay_zone(z.zone, z.minimum, z.maximum) for z in self.doc.pay_zones]

    # --- cover -----------------------------------------------------------------------

    def key_facts(self) -> list[tuple[str, tuple[str, ...]]]:
        doc = self.doc
        pairs: list[tuple[str, tuple[str, ...]]] = []

        def add(label: str, *values: str) -> None:
            lines = tuple(v for v in (_plain(v) for v in values) if v)
            if lines:
                pairs.append((label, lines))

        if doc.closes_at is not None:
            add("Closing date", _moment(doc.closes_at))
        add("Reference", doc.reference)
        add("Grade", doc.grade)
        add("Salary", *self.pay_lines())
        add("Allowance", doc.allowance)
        add("Location" if len(doc.locations) == 1 else "Locations", ", ".join(doc.locations))
        if doc.number_of_posts > 0:
            add("Number of posts", str(doc.number_of_posts))
        if self.many:
            add("Roles", *(annex_heading(p) for p in doc.posts))
        add("Contract type", doc.contract_type)
        add("Working pattern", ", ".join(doc.working_patterns))
        add("Business area", doc.business_area)
        return pairs

    def cover(self, contents: TableOfContents | None) -> list[Flowable]:
        doc, styles = self.doc, self.styles
        story = title_block(
            styles,
            _plain(doc.title) or "Untitled campaign",
            kicker=_plain(doc.organisation) or styles.theme.organisation,
            subtitle=PACK_NAME,
        )
        facts = self.key_facts()
        if facts:
            story.append(facts_table(facts, styles))
        if contents is not None:
            heading = ParagraphStyle("InfoPackContents", parent=styles.h2, spaceBefore=18)
            story += [Paragraph("Contents", heading), contents, PageBreak()]
        return story

    # --- common sections -------------------------------------------------------------

    def welcome(self) -> list[Flowable]:
        doc = self.doc
        if not _has_text(doc.welcome_letter):
            return []
        story = self.text(doc.welcome_letter)
        if _has_text(doc.hiring_manager):
            story += [
                Spacer(1, 6),
                Paragraph(escape(_plain(doc.hiring_manager)), self.styles.label),
                Paragraph("Hiring manager", self.styles.small),
            ]
        return story

    def written(self, value: str) -> list[Flowable]:
        """The section's words; while there are none, who to ask (never an empty gap)."""
        if _has_text(value):
            return self.text(value)
        return self.text(not_written(self.doc.team_email or self.doc.contact_email))

    def about_organisation(self) -> list[Flowable]:
        return self.written(self.doc.about_organisation)

    def about_role(self) -> list[Flowable]:
        doc = self.doc
        story = self.text(doc.summary)
        if _has_text(doc.job_description):
            story += [self.h2("Job description"), *self.text(doc.job_description)]
        duties = self.bullets(doc.responsibilities)
        if duties:
            story += [self.h2("Responsibilities"), *duties]
        return story

    def roles(self) -> list[Flowable]:
        doc, styles = self.doc, self.styles
        story = self.text(doc.summary)
        rows: list[list[Cell]] = [["Annex", "Role", "Grade", "Posts", "Locations"]]
        for post in doc.posts:
            rows.append(
                [
                    post.annex,
                    _plain(post.title),
                    _plain(post.grade),
                    str(post.count),
                    ", ".join(_plain(x) for x in post.locations),
                ]
            )
        story.append(table(rows, (0.1, 0.34, 0.2, 0.1, 0.26), styles=styles))
        story.append(
            Paragraph(
                "Each role has an annex at the end of this pack with its job description "
                "and the criteria it asks for.",
                styles.small,
            )
        )
        if _has_text(doc.person_specification):
            story += [self.h2("What we look for"), *self.text(doc.person_specification)]
        if _has_text(doc.qualifications):
            story += [self.h2("Qualifications"), *self.text(doc.qualifications)]
        return story

    def spec_table(self, criteria: list[InfoPackCriterion]) -> list[Flowable]:
        """Essential and desirable criteria grouped by Success Profiles element."""
        if not criteria:
            return []
        styles = self.styles
        with_stages = bool(self.doc.stages)
        columns: list[Cell] = ["Criterion", "Essential or desirable"]
        widths: tuple[float, ...] = (0.68, 0.32)
        if with_stages:
            columns.append("Assessed at")
            widths = (0.52, 0.2, 0.28)
        rows: list[list[Cell]] = [columns]
        groups: list[int] = []
        known = [(e, [c for c in criteria if c.element == e]) for e in SPECIFICATION_ORDER]
        others = [c for c in criteria if c.element not in Element.codes()]
        labelled = [(element.label, items) for element, items in known if items]
        if others:
            labelled.append(("Other", others))
        for label, items in labelled:
            groups.append(len(rows))
            rows.append([label])
            for c in items:
                name = criterion_name(c)
                if c.lead:
                    name = f"{name} (lead criterion)"
                title = Paragraph(escape(name), styles.table_cell)
                cell: Cell = title
                # Behaviours, skills and strengths are described in their own sections.
                if c.element in DESCRIBED_IN_SPECIFICATION and _has_text(c.description):
                    note = paragraphs_from_text(c.description, styles.table_note)
                    cell = [title, Spacer(1, 2), *note]
                row: list[Cell] = [cell, "Essential" if c.essential else "Desirable"]
                if with_stages:
                    stages = self.stage_names.get(c.code, ())
                    row.append("\n".join(stages) if stages else "–")
                rows.append(row)
        return [table(rows, widths, styles=styles, group_rows=groups)]

    def person_specification(self) -> list[Flowable]:
        doc = self.doc
        story = self.text(doc.person_specification)
        story += self.spec_table(list(doc.criteria))
        if _has_text(doc.qualifications):
            story += [self.h2("Qualifications"), *self.text(doc.qualifications)]
        return story

    def details(
        self,
        element: Element,
        criteria: list[InfoPackCriterion],
        heading: Callable[[str], Paragraph],
    ) -> list[Flowable]:
        """Each behaviour, skill or strength: what it is and, at its level, what good looks like."""
        styles = self.styles
        story: list[Flowable] = []
        for c in (c for c in criteria if c.element == element):
            block: list[Flowable] = [heading(criterion_name(c))]
            if _has_text(c.description):
                block += self.text(c.description)
            if _has_text(c.level_description):
                block += self.text(c.level_description)
            indicators = [i for i in (_plain(i) for i in c.indicators) if i]
            if indicators:
                label = "At this level, we look for people who:"
                if element is Element.TECHNICAL:
                    label = "At this level, someone with this skill:"
                block.append(Paragraph(escape(label), styles.label))
                block.append(Spacer(1, 3))
                block += bullet_list(indicators, styles.bullet)
            # One criterion is short: a last indicator alone on a new page reads as lost.
            story.append(KeepTogether(block))
        return story

    def assessment(self) -> list[Flowable]:
        doc, styles = self.doc, self.styles
        story = self.text(doc.selection_process)
        if not doc.stages:
            return story
        stage_rows: list[list[Cell]] = [["Stage", "How", "When"]]
        for s in doc.stages:
            when = format_stage_dates(s.starts_on, s.ends_on)
            when = " to ".join(p.replace(" ", "\xa0") for p in when.split(" to "))
            stage_rows.append([_plain(s.name) or "Stage", StageMode.label_if_set(s.mode), when])
        story += [self.h2("The stages"), table(stage_rows, (0.42, 0.2, 0.38), styles=styles)]
        if doc.criteria:
            story += [
                self.h2("What each stage assesses"),
                *self.matrix(),
                Paragraph(
                    f"A tick ({TICK}) shows each stage at which a criterion is assessed.",
                    styles.small,
                ),
            ]
        return story

    def matrix(self) -> list[Flowable]:
        doc, styles = self.doc, self.styles
        stages = doc.stages
        first = 0.46 if len(stages) <= 4 else 0.34
        widths = (first, *([(1 - first) / len(stages)] * len(stages)))
        centred = ParagraphStyle("InfoPackTick", parent=styles.table_cell, alignment=TA_CENTER)
        centred_head = ParagraphStyle(
            "InfoPackStageHead", parent=styles.table_header, alignment=TA_CENTER
        )
        header: list[Cell] = ["Criterion"]
        header += [Paragraph(escape(_plain(s.name) or "Stage"), centred_head) for s in stages]
        rows: list[list[Cell]] = [header]
        groups: list[int] = []
        for element in (*SPECIFICATION_ORDER, None):
            items = [
                c
                for c in doc.criteria
                if (
                    c.element == element
                    if element is not None
                    else c.element not in Element.codes()
                )
            ]
            if not items:
                continue
            groups.append(len(rows))
            rows.append([element.label if element is not None else "Other"])
            for c in items:
                ticks: list[Cell] = [
                    Paragraph(TICK, centred) if c.code in s.criteria else "" for s in stages
                ]
                rows.append([criterion_name(c, with_level=False), *ticks])
        return [table(rows, widths, styles=styles, group_rows=groups)]

    def timetable(self) -> list[Flowable]:
        doc = self.doc
        if not doc.timetable:
            return []
        rows: list[list[Cell]] = [["What happens", "When"]]
        for entry in doc.timetable:
            label = DATE_LABELS.get(entry.kind, _plain(entry.label))
            when = _date_words(entry)
            if entry.kind == "closes" and doc.closes_at is not None:
                when = _moment(doc.closes_at)
            elif entry.kind == "opens" and doc.opens_at is not None:
                when = _moment(doc.opens_at)
            rows.append([label, when])
        return [table(rows, (0.48, 0.52), styles=self.styles)]

    def how_to_apply(self) -> list[Flowable]:
        doc = self.doc
        story = self.written(doc.how_to_apply)
        if doc.closes_at is not None:
            story += self.text(f"Applications close at {_moment(doc.closes_at)}.")
        return story

    def benefits(self) -> list[Flowable]:
        return self.bullets(self.doc.benefits)

    def terms(self) -> list[Flowable]:
        return self.written(self.doc.terms_and_conditions)

    def contact(self) -> list[Flowable]:
        doc = self.doc
        pairs = [
            (label, (_plain(value),))
            for label, value in (
                ("Name", doc.contact_name),
                ("E-mail", doc.contact_email),
                ("Recruitment team", doc.team_email),
            )
            if _has_text(value)
        ]
        if not pairs:
            return []
        return [
            *self.text("If you have a question about the role or how to apply, please ask:"),
            facts_table(pairs, self.styles),
        ]

    # --- annexes ---------------------------------------------------------------------

    def annex(self, post: PackPost) -> list[Flowable]:
        doc, styles = self.doc, self.styles
        facts: list[tuple[str, tuple[str, ...]]] = []
        if _has_text(post.grade):
            facts.append(("Grade", (_plain(post.grade),)))
        same_grade = _plain(post.grade).casefold() == _plain(doc.grade).casefold()
        if same_grade and doc.pay_zones:
            # The advert's pay is for its grade; a post at another grade says nothing of pay.
            facts.append(("Salary", tuple(self.pay_lines())))
        facts.append(("Number of posts", (str(post.count),)))
        locations = ", ".join(_plain(x) for x in post.locations if _has_text(x))
        if locations:
            facts.append(("Location" if len(post.locations) == 1 else "Locations", (locations,)))
        story: list[Flowable] = [self.h2("The role"), facts_table(facts, styles)]
        if _has_text(post.job_description):
            story += [self.h2("Job description"), *self.text(post.job_description)]
        duties = self.bullets(post.responsibilities)
        if duties:
            story += [self.h2("Responsibilities"), *duties]
        criteria = _criteria_of(doc, post.criteria)
        spec = self.spec_table(criteria)
        if spec:
            story += [self.h2("Person specification"), *spec]
        for element in DETAIL_ELEMENTS:
            details = self.details(element, criteria, self.h3)
            if details:
                story += [self.h2(element.heading), *details]
        return story

    # --- the whole pack --------------------------------------------------------------

    def sections(self) -> list[Section]:
        doc = self.doc
        found = [
            Section("Welcome", self.welcome),
            Section("About the organisation", self.about_organisation),
        ]
        if self.many:
            found.append(Section("The roles", self.roles))
        else:
            found += [
                Section("About the role", self.about_role),
                Section("Person specification", self.person_specification),
            ]
            criteria = list(doc.criteria)
            for element in DETAIL_ELEMENTS:
                found.append(
                    Section(element.heading, partial(self.details, element, criteria, self.h2))
                )
        found += [
            Section("How you will be assessed", self.assessment),
            Section("Vacancy timetable", self.timetable),
            Section("How to apply", self.how_to_apply),
            Section("Benefits", self.benefits),
            Section("Terms and conditions", self.terms),
        ]
        # Every standard section, each in the contents; one not written yet says whom to ask.
        found += [
            Section(section.heading, partial(self.written, section.text))
            for section in doc.standard_sections
        ]
        found.append(Section("Contact", self.contact))
        for post in doc.posts:
            found.append(Section(annex_heading(post), partial(self.annex, post), new_page=True))
        return found


# --- flowables with a job beyond drawing ---------------------------------------------


class _ContentsHeading(Paragraph):
    """A section heading that also gives the contents list its line and link."""

    def __init__(self, text: str, style: ParagraphStyle, key: str) -> None:
        super().__init__(escape(text), style)
        self.toc_markup = escape(text)
        self.toc_key = key

    def draw(self) -> None:
        super().draw()
        # The heading's top, as the outline entries of RecruitDocTemplate mark it.
        self.canv.bookmarkHorizontal(self.toc_key, 0, self.height + 4)
        template = getattr(self.canv, "_doctemplate", None)
        if template is not None:
            template.notify(
                "TOCEntry", (0, self.toc_markup, self.canv.getPageNumber(), self.toc_key)
            )


class _Checkpoint(Flowable):
    """Takes no room; reports that layout reached part `done` of `total` (and may cancel)."""

    def __init__(self, done: int, total: int, on_part: Progress) -> None:
        super().__init__()
        self.done, self.total, self.on_part = done, total, on_part
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        self.on_part(self.done, self.total)


class _Contents(TableOfContents):
    """The contents list: each section with its page, both linked to the section.

    ReportLab's own list draws the dots and page number before the entry's words, so text
    extraction and screen readers meet "2 Welcome"; two real columns read in order.
    """

    def __init__(self, styles: Styles) -> None:
        super().__init__(dotsMinLevel=-1)
        self.entry_style = ParagraphStyle(
            "InfoPackContentsEntry", parent=styles.table_cell, fontSize=10.5, leading=14
        )
        self.page_style = ParagraphStyle(
            "InfoPackContentsPage", parent=self.entry_style, alignment=TA_RIGHT
        )

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        # The first pass has no entries yet: one line keeps its place.
        # TableOfContents keeps the last pass's entries here (private: not in its stubs).
        entries = self._lastEntries or [(0, "Contents", 0, None)]  # type: ignore[attr-defined]
        rows = []
        for _level, markup, page, key in entries:
            start, end = (f'<a href="#{key}">', "</a>") if key else ("", "")
            rows.append(
                [
                    Paragraph(f"{start}{markup}{end}", self.entry_style),
                    Paragraph(f"{start}{page}{end}", self.page_style),
                ]
            )
        self._table = Table(
            rows,
            colWidths=(availWidth - 40, 40),
            hAlign="LEFT",
            style=TableStyle(
                [
                    # Without a font, the table would name Helvetica, which is not embedded.
                    ("FONT", (0, 0), (-1, -1), FONT, 10.5),
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
                ]
            ),
        )
        self.width, self.height = self._table.wrapOn(self.canv, availWidth, availHeight)
        return self.width, self.height


def section_headings(doc: InfoPackDocument, styles: Styles | None = None) -> tuple[str, ...]:
    """The top-level headings the pack will show (and list in its contents), in order."""
    pack = _Pack(doc, styles or make_styles())
    return tuple(s.heading for s in pack.sections() if s.build())


def info_pack_flowables(
    doc: InfoPackDocument, styles: Styles, *, on_part: Progress | None = None
) -> list[Flowable]:
    """The whole pack as flowables; `on_part(done, total)` is called as layout reaches each part."""
    pack = _Pack(doc, styles)
    built = [(s, s.build()) for s in pack.sections()]
    built = [(s, story) for s, story in built if story]
    flowables = pack.cover(_Contents(styles) if built else None)
    total = len(built)
    for index, (section, story) in enumerate(built):
        if on_part is not None:
            flowables.append(_Checkpoint(index, total, on_part))
        if section.new_page and index:
            flowables.append(PageBreak())
        flowables.append(_ContentsHeading(section.heading, styles.h1, f"pack-section-{index}"))
        flowables += story
    if on_part is not None:
        flowables.append(_Checkpoint(total, total, on_part))
    return flowables


def _title(doc: InfoPackDocument) -> str:
    return f"{_plain(doc.title) or 'Untitled campaign'}: {PACK_NAME.lower()}"


def render_info_pack(
    doc: InfoPackDocument, path: Path, theme: Theme, *, on_part: Progress | None = None
) -> Path:
    """Write the pack as a PDF to `path` (atomically: an error or a cancel leaves no file)."""
    if not theme.organisation and _has_text(doc.organisation):
        theme = replace(theme, organisation=_plain(doc.organisation))
    reference = _plain(doc.reference)
    subject = f"{PACK_NAME}, reference {reference}" if reference else PACK_NAME
    return build_pdf(
        path,
        info_pack_flowables(doc, make_styles(theme), on_part=on_part),
        theme,
        title=_title(doc),
        subject=subject,
        author=_plain(doc.organisation) or theme.organisation,
    )
