"""The campaign report as a PDF: funnel, score charts, merit orders, timetable, outcomes,
assessor consistency, selection rates by group (for those who may monitor) and the
departures from the question plans.

Read model in, file out. Charts are drawn with `reportlab.graphics` in the organisation's
colour (darkened where needed so that it stands out on white), and every number a chart
shows is also in a table beside it, as real text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.attrmap import AttrMap, AttrMapValue
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.validators import isNumber
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle

from exports.panel_pack import deviation_flowables
from exports.styles import (
    FONT,
    FONT_BOLD,
    FRAME_WIDTH,
    MUTED,
    RULE,
    TEXT,
    Cell,
    Styles,
    Theme,
    build_pdf,
    clean,
    escape,
    facts_table,
    make_styles,
    table,
    title_block,
)
from recruit_app.domain.dates import long_date
from recruit_app.domain.fairness import suppressed_text
from recruit_app.domain.report import (
    CriterionDistribution,
    finalised_words,
    first_score_words,
    nice_axis_top,
    number,
    percent,
    planned_words,
    signed,
    standing_rows,
)
from recruit_app.readmodels import (
    FLAG_WORDS,
    GROUPS_NOTE,
    UK_LAW_NOTE,
    CampaignReportDocument,
    Checkpoint,
    FairnessLine,
    FairnessTable,
    MeritOrder,
    StageConsistency,
    StageDeviations,
    StageDistribution,
    p_value_words,
    rate_words,
    ratio_words,
)
from recruit_app.vocabulary import Outcome

# Section headings, in the order they appear; the tests and the outline share them.
SUMMARY = "Summary"
FUNNEL = "Candidates at each stage"
DISTRIBUTION = "Score distribution"
MERIT = "Merit order"
TIMETABLE = "Timetable: planned and actual"
OUTCOMES = "Outcomes"
RESERVES = "Reserve lists"
STANDING = "Where candidates stand now"
CONSISTENCY = "Assessor consistency"
DEVIATIONS = "Departures from the question plan"
FAIRNESS = "Fairness: selection rates by group"

CHART_COLUMNS = 3
CHART_HEIGHT = 110.0
CHART_TITLE_CHARS = 70


def write_campaign_report(
    doc: CampaignReportDocument,
    path: Path | str,
    theme: Theme,
    *,
    checkpoint: Checkpoint | None = None,
) -> Path:
    """Render `doc` to a PDF at `path`; `checkpoint` is called between sections (it may
    raise to stop, and then no file is written)."""
    return build_pdf(
        path,
        report_flowables(doc, theme, checkpoint=checkpoint),
        theme,
        title=f"Campaign report: {doc.title}",
        subject=f"Campaign {doc.reference}: candidates, scores, merit order, timetable, outcomes",
        author=doc.organisation or "Recruit",
    )


def section_headings(doc: CampaignReportDocument) -> list[str]:
    """The top-level headings the report will have, in order."""
    found = [SUMMARY]
    if doc.funnel:
        found.append(FUNNEL)
    if doc.distributions:
        found.append(DISTRIBUTION)
    if doc.merit_orders:
        found.append(MERIT)
    if doc.timings:
        found.append(TIMETABLE)
    if not doc.empty:
        found.append(OUTCOMES)
    if doc.consistency:
        found.append(CONSISTENCY)
    if doc.fairness is not None and doc.fairness.tables:
        found.append(FAIRNESS)
    if doc.deviations:
        found.append(DEVIATIONS)
    return found


def report_flowables(
    doc: CampaignReportDocument, theme: Theme, *, checkpoint: Checkpoint | None = None
) -> list[Flowable]:
    styles = make_styles(theme)
    parts = _Parts(styles, theme, checkpoint)
    story: list[Flowable] = [*parts.cover(doc)]
    sections = (
        (FUNNEL, parts.funnel),
        (DISTRIBUTION, parts.distributions),
        (MERIT, parts.merit_orders),
        (TIMETABLE, parts.timetable),
        (OUTCOMES, parts.outcomes),
        (CONSISTENCY, parts.consistency),
        (FAIRNESS, parts.fairness),
        (DEVIATIONS, parts.deviations),
    )
    wanted = set(section_headings(doc))
    first = True
    for heading, build in sections:
        if heading not in wanted:
            continue
        if first:
            # The cover and summary stand alone on the first page.
            story.append(PageBreak())
            first = False
        story.append(Paragraph(escape(heading), styles.h1))
        story.extend(build(doc))
    return story


class _Checkpoint(Flowable):
    """An invisible flowable that calls back when it is laid out (to honour a cancel)."""

    def __init__(self, callback: Checkpoint) -> None:
        super().__init__()
        self.callback = callback
        self.width = self.height = 0

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:  # noqa: N803 (ReportLab's names)
        self.callback()
        return 0, 0

    def draw(self) -> None:
        pass


# --- colours -------------------------------------------------------------------------


def _mix(hex_colour: str, share: float) -> colors.Color:
    """`hex_colour` with `share` of it kept and the rest white: a tint for a second series."""
    base = colors.HexColor(hex_colour)
    return colors.Color(
        base.red * share + (1 - share),
        base.green * share + (1 - share),
        base.blue * share + (1 - share),
    )


def _fit(text: str, font: str, size: float, width: float) -> str:
    text = clean(text).replace("\n", " ")
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _two_lines(parts: tuple[str, str]) -> str:
    main, note = parts
    return f"{main}\n{note}" if note else main


def _nobody_yet(hidden: set[str]) -> str:
    """The sentence that stands in for the funnel's columns of noughts."""
    been = [
        words
        for outcome, words in (
            (Outcome.RESERVE, "put on a reserve list"),
            (Outcome.APPOINT, "appointed"),
        )
        if outcome.label in hidden
    ]
    parts = []
    if been:
        parts.append(f"nobody has been {' or '.join(been)}")
    if Outcome.WITHDRAWN.label in hidden:
        parts.append("nobody has withdrawn")
    return f"So far {', and '.join(parts)}." if parts else ""


def _short(text: str, limit: int) -> str:
    """`text` cut at a word to at most `limit` characters, with an ellipsis if cut."""
    text = " ".join(clean(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:(") + "…"


# --- tables --------------------------------------------------------------------------

_MIN_TEXT_COLUMN = 72.0
# Font size and side padding to try in turn until a table's number columns fit.
_TABLE_SIZES = ((9.5, 6.0), (8.5, 4.0), (7.5, 3.0))


def _column_widths(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    text_columns: dict[int, float],
    size: float = 9.5,
    padding: float = 6.0,
) -> list[float] | None:
    """Widths in points: a number column (or a text column of weight 0) as wide as its
    widest word or value, so that a heading never breaks inside a word; the other text
    columns share the rest by their weights. None when too little room is left for them."""
    widths = [0.0] * len(header)
    flexible = {i: w for i, w in text_columns.items() if w > 0}
    for index, title in enumerate(header):
        if index in flexible:
            continue
        words = [stringWidth(w, FONT_BOLD, size) for w in title.split()] or [0.0]
        values = [stringWidth(row[index], FONT, size) for row in rows] or [0.0]
        widths[index] = max(*words, *values) + 2 * padding + 2
    left = FRAME_WIDTH - sum(widths)
    if left < _MIN_TEXT_COLUMN * len(flexible):
        return None
    weights = sum(flexible.values()) or 1.0
    for index, weight in flexible.items():
        widths[index] = left * weight / weights
    return widths


# --- the parts -----------------------------------------------------------------------


class _Parts:
    def __init__(self, styles: Styles, theme: Theme, checkpoint: Checkpoint | None) -> None:
        self.styles = styles
        self.checkpoint = checkpoint
        self.strong = colors.HexColor(theme.primary_text)
        self.tint = _mix(theme.primary_text, 0.35)
        self._sizes: dict[float, dict[str, ParagraphStyle]] = {}
        self.intro_style = ParagraphStyle("ReportIntro", parent=styles.body, keepWithNext=1)
        self.caption = ParagraphStyle(
            "ReportCaption", parent=styles.small, spaceBefore=2, spaceAfter=10
        )
        self.chart_title = ParagraphStyle(
            "ReportChartTitle", parent=styles.table_cell, fontSize=8.5, leading=11
        )

    def check(self) -> Flowable:
        if self.checkpoint is None:
            return Spacer(0, 0)
        return _Checkpoint(self.checkpoint)

    def body(self, text: str) -> Paragraph:
        return Paragraph(escape(text), self.styles.body)

    def intro(self, text: str) -> Paragraph:
        """A section's opening words, kept with what follows them."""
        return Paragraph(escape(text), self.intro_style)

    def grid(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        text_columns: dict[int, float],
        *,
        strong_rows: Sequence[int] = (),
    ) -> Table:
        """A house table whose number columns are right-aligned and sized to fit; a wide
        one is set a little smaller rather than break its headings inside words."""
        size, padding = _TABLE_SIZES[-1]
        widths = None
        for size, padding in _TABLE_SIZES:
            widths = _column_widths(header, rows, text_columns, size, padding)
            if widths is not None:
                break
        if widths is None:
            widths = [FRAME_WIDTH / len(header)] * len(header)
        styles = self._sized(size)
        head: list[Cell] = [
            Paragraph(escape(title), styles["header"] if index in text_columns else styles["rh"])
            for index, title in enumerate(header)
        ]
        body: list[list[Cell]] = [head]
        for row_number, row in enumerate(rows):
            strong = row_number in strong_rows
            body.append(
                [
                    Paragraph(
                        escape(value).replace("\n", "<br/>"),
                        styles[
                            ("rs" if strong else "r")
                            if index not in text_columns
                            else ("strong" if strong else "cell")
                        ],
                    )
                    for index, value in enumerate(row)
                ]
            )
        built = table(body, widths, styles=self.styles)
        if padding != 6.0:
            built.setStyle(
                TableStyle(
                    [
                        ("LEFTPADDING", (0, 0), (-1, -1), padding),
                        ("RIGHTPADDING", (0, 0), (-1, -1), padding),
                    ]
                )
            )
        return built

    def _sized(self, size: float) -> dict[str, ParagraphStyle]:
        """Table paragraph styles at `size` points (cached per size)."""
        found = self._sizes.get(size)
        if found is None:
            s = self.styles
            leading = size * 1.4
            found = {
                "header": ParagraphStyle(
                    f"ReportHeader{size}", parent=s.table_header, fontSize=size, leading=leading
                ),
                "cell": ParagraphStyle(
                    f"ReportCell{size}", parent=s.table_cell, fontSize=size, leading=leading
                ),
                "strong": ParagraphStyle(
                    f"ReportStrong{size}", parent=s.label, fontSize=size, leading=leading
                ),
            }
            found["rh"] = ParagraphStyle(
                f"ReportRightHeader{size}", parent=found["header"], alignment=TA_RIGHT
            )
            found["r"] = ParagraphStyle(
                f"ReportRight{size}", parent=found["cell"], alignment=TA_RIGHT
            )
            found["rs"] = ParagraphStyle(
                f"ReportRightStrong{size}", parent=found["strong"], alignment=TA_RIGHT
            )
            self._sizes[size] = found
        return found

    # --- cover ---------------------------------------------------------------------------

    def cover(self, doc: CampaignReportDocument) -> list[Flowable]:
        s = self.styles
        facts: list[tuple[str, str]] = []
        if doc.organisation:
            facts.append(("Organisation", doc.organisation))
        facts += [("Reference", doc.reference), ("Campaign", doc.title)]
        if doc.grade:
            facts.append(("Grade", doc.grade))
        facts += [
            ("Status", doc.status),
            ("Produced on", long_date(doc.produced_on)),
            ("Candidates", f"{doc.applied:,} applied" if doc.applied else "None yet"),
        ]
        flowables = [
            *title_block(
                s,
                doc.title,
                kicker=f"{doc.organisation} · Campaign report"
                if doc.organisation
                else "Campaign report",
                subtitle=f"Reference {doc.reference}",
            ),
            facts_table(facts, s),
            Paragraph(escape(SUMMARY), s.h1),
            *[self.body(sentence) for sentence in doc.summary],
        ]
        return flowables

    # --- funnel --------------------------------------------------------------------------

    def funnel(self, doc: CampaignReportDocument) -> list[Flowable]:
        columns = [
            ("Reached", lambda r: r.reached, True),
            (Outcome.PROGRESS.label, lambda r: r.progressed, True),
            (Outcome.REJECT.label, lambda r: r.rejected, True),
            (Outcome.RESERVE.label, lambda r: r.reserve, False),
            (Outcome.APPOINT.label, lambda r: r.appointed, False),
            (Outcome.WITHDRAWN.label, lambda r: r.withdrawn, False),
            ("No decision yet", lambda r: r.undecided, False),
        ]
        # A column of noughts says nothing a sentence cannot: such columns give way.
        shown = [c for c in columns if c[2] or any(c[1](r) for r in doc.funnel)]
        hidden = {c[0] for c in columns} - {c[0] for c in shown}
        rows = []
        for row in doc.funnel:
            cells = [row.stage]
            for title, count, _always in shown:
                value = f"{count(row):,}"
                share = percent(row.progressed, row.reached)
                if title == Outcome.PROGRESS.label and row.progressed and share:
                    value += f" ({share})"
                cells.append(value)
            rows.append(cells)
        flowables: list[Flowable] = [
            self.intro(
                f"{doc.applied:,} {'candidate' if doc.applied == 1 else 'candidates'} applied. "
                "Everyone who applied reaches the first stage; each later stage is reached by "
                "those the stage before it progressed."
            ),
            self.grid(["Stage", *(c[0] for c in shown)], rows, {0: 1.0}),
        ]
        sentence = _nobody_yet(hidden)
        if sentence:
            flowables.append(Paragraph(escape(sentence), self.styles.small))
        flowables += [
            _FunnelChart(doc, self.strong, self.tint).drawing(),
            Paragraph(
                "Figure: candidates who reached each stage and how many of them progressed.",
                self.caption,
            ),
            self.check(),
        ]
        return flowables

    # --- score distributions ---------------------------------------------------------------

    def distributions(self, doc: CampaignReportDocument) -> list[Flowable]:
        flowables: list[Flowable] = [
            self.intro(
                "Candidates by their score on each criterion: the agreed score where the panel "
                "moderated, otherwise the mean of the panel's scores at the nearest point of "
                "the scale (halves go up)."
            )
        ]
        for stage in doc.distributions:
            flowables.append(Paragraph(escape(stage.stage), self.styles.h2))
            flowables += self._stage_distribution(stage)
            flowables.append(self.check())
        return flowables

    def _stage_distribution(self, stage: StageDistribution) -> list[Flowable]:
        s = self.styles
        # A no-break space keeps each point's number with its label.
        scale = "; ".join(f"{value}\u00a0{label}" for value, label in stage.scale_points)
        top = max((max(c.counts) for c in stage.criteria), default=0)
        axis = nice_axis_top(top)
        has_marks = any(c.pass_mark is not None for c in stage.criteria)
        scale_note = ParagraphStyle("ReportScaleNote", parent=s.small, keepWithNext=1)
        flowables: list[Flowable] = [
            Paragraph(f"<b>{escape(stage.scale_name)}</b>: {escape(scale)}.", scale_note)
        ]
        if has_marks:
            flowables.append(_legend(self.strong, self.tint))
        flowables.append(self._chart_grid(stage.criteria, axis))
        header = [
            "Criterion",
            "Candidates scored",
            "Mean score",
            "Pass mark",
            "Passed",
            "Pass rate",
        ]
        rows = [
            [
                f"{c.code} {c.title}",
                f"{c.scored:,}",
                number(c.mean),
                number(c.pass_mark) if c.pass_mark is not None else "None",
                f"{c.passed:,}" if c.passed is not None else "–",
                c.pass_rate or "–",
            ]
            for c in stage.criteria
        ]
        flowables.append(Paragraph("Pass rate by criterion", s.h3))
        flowables.append(self.grid(header, rows, {0: 1.0}))
        return flowables

    def _chart_grid(
        self, criteria: Sequence[CriterionDistribution], axis: tuple[int, int]
    ) -> Table:
        columns = CHART_COLUMNS if len(criteria) > 2 else 2
        width = FRAME_WIDTH / columns
        data: list[list[object]] = []
        for start in range(0, len(criteria), columns):
            chunk = list(criteria[start : start + columns])
            titles: list[object] = [
                Paragraph(
                    f"<b>{escape(c.code)}</b> {escape(_short(c.title, CHART_TITLE_CHARS))}",
                    self.chart_title,
                )
                for c in chunk
            ]
            charts: list[object] = [
                _histogram(c, axis, width - 8, CHART_HEIGHT, self.strong, self.tint) for c in chunk
            ]
            padding = [""] * (columns - len(chunk))
            data += [titles + padding, charts + padding]
        commands: list[tuple[Any, ...]] = [
            ("FONT", (0, 0), (-1, -1), FONT, 8.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
        for row in range(0, len(data), 2):
            commands += [
                ("VALIGN", (0, row), (-1, row), "BOTTOM"),
                ("TOPPADDING", (0, row), (-1, row), 8),
                ("NOSPLIT", (0, row), (-1, row + 1)),
            ]
        grid = Table(data, colWidths=[width] * columns, hAlign="LEFT", style=TableStyle(commands))
        grid.spaceAfter = 6
        return grid

    # --- merit orders -----------------------------------------------------------------------

    def merit_orders(self, doc: CampaignReportDocument) -> list[Flowable]:
        flowables: list[Flowable] = [
            self.intro(
                "The order in which candidates finished at each stage with results. Names are "
                "shown for the recruiting team where the stage was not name-blind; at a "
                "name-blind stage only candidate numbers appear, as the panel saw them."
            )
        ]
        for order in doc.merit_orders:
            flowables.append(Paragraph(escape(order.stage), self.styles.h2))
            flowables += self._merit_order(order)
            flowables.append(self.check())
        return flowables

    def _merit_order(self, order: MeritOrder) -> list[Flowable]:
        notes = []
        if order.name_blind:
            notes.append("Name-blind stage: candidate numbers only.")
        if not order.scored:
            notes.append(
                "No scores were recorded in Recruit for this stage; these are the outcomes "
                "the recruiting team recorded."
            )
        elif not order.finalised:
            notes.append("The results are not final yet: the order may still change.")
        if order.note:
            notes.append(order.note)
        note_style = ParagraphStyle(
            "ReportTableNote", parent=self.styles.small, keepWithNext=int(bool(order.rows))
        )
        flowables: list[Flowable] = (
            [Paragraph(escape(" ".join(notes)), note_style)] if notes else []
        )
        if not order.rows:
            return flowables
        ranked = any(row.rank is not None for row in order.rows)
        named = not order.name_blind
        header: list[str] = []
        text_columns: dict[int, float] = {}
        if ranked:
            header.append("Rank")
        text_columns[len(header)] = 0
        header.append("Candidate")
        if named:
            text_columns[len(header)] = 1.2
            header.append("Name")
        if order.scored:
            header.append("Total")
        text_columns[len(header)] = 1.0
        header.append("Outcome")
        rows = []
        for row in order.rows:
            cells = [str(row.rank) if row.rank is not None else "–"] if ranked else []
            cells.append(row.number)
            if named:
                cells.append(row.name)
            if order.scored:
                cells.append(number(row.total))
            cells.append(row.outcome)
            rows.append(cells)
        flowables.append(self.grid(header, rows, text_columns))
        hidden = order.total_rows - len(order.rows)
        if hidden > 0:
            flowables.append(
                Paragraph(
                    f"The first {len(order.rows):,} of {order.total_rows:,} candidates are "
                    "listed. Export the stage's results (CSV or XLSX) for the full order.",
                    self.styles.small,
                )
            )
        return flowables

    # --- timetable -------------------------------------------------------------------------

    def timetable(self, doc: CampaignReportDocument) -> list[Flowable]:
        header = ["Stage", "Planned", "First score submitted", "Results finalised"]
        rows = [
            [
                t.stage,
                planned_words(t),
                _two_lines(first_score_words(t)),
                _two_lines(finalised_words(t, doc.produced_on)),
            ]
            for t in doc.timings
        ]
        return [
            self.intro(
                "Each stage's planned dates against what happened: the day its first score "
                "was submitted, and the day its results were finalised, with how many days "
                "that was before or after the planned end."
            ),
            self.grid(header, rows, {0: 0.22, 1: 0.24, 2: 0.27, 3: 0.27}),
            self.check(),
        ]

    # --- outcomes -------------------------------------------------------------------------

    def outcomes(self, doc: CampaignReportDocument) -> list[Flowable]:
        s = self.styles
        standing = doc.standing
        rows = [
            [label, f"{count:,}", percent(count, standing.applied)]
            for label, count in standing_rows(standing)
        ]
        rows.append(["All who applied", f"{standing.applied:,}", "100%"])
        flowables: list[Flowable] = [
            Paragraph(escape(STANDING), s.h2),
            self.intro("Each candidate is counted once, by their latest outcome."),
            self.grid(
                ["Candidates", "Number", "Share"], rows, {0: 1.0}, strong_rows=[len(rows) - 1]
            ),
        ]
        if doc.reserves:
            reserve_rows = []
            for group in doc.reserves:
                if group.expires_on is None:
                    expires, status = "No date recorded", "–"
                else:
                    expires = long_date(group.expires_on)
                    status = "Expired" if group.expired else "Running"
                reserve_rows.append([group.stage, f"{group.candidates:,}", expires, status])
            flowables += [
                Paragraph(escape(RESERVES), s.h2),
                self.intro(
                    "Candidates held on a reserve list, by stage and the day the list ends."
                ),
                self.grid(
                    ["Stage", "Candidates", "List expires", "Status"],
                    reserve_rows,
                    {0: 0.4, 2: 0.4, 3: 0.2},
                ),
            ]
        flowables.append(self.check())
        return flowables

    # --- assessor consistency -----------------------------------------------------------------

    def consistency(self, doc: CampaignReportDocument) -> list[Flowable]:
        flowables: list[Flowable] = [
            self.intro(
                "How each assessor's submitted scores compare with the rest of the panel on "
                "the same candidates and criteria. A difference of a whole point or more, on "
                "average, is worth a conversation; it is not a finding on its own. Agreed "
                "counts the scores settled in moderation, and in brackets how many of them "
                "differ from the assessor's own."
            )
        ]
        for stage in doc.consistency:
            flowables.append(Paragraph(escape(stage.stage), self.styles.h2))
            flowables.append(self._consistency_table(stage))
            flowables.append(self.check())
        return flowables

    def _consistency_table(self, stage: StageConsistency) -> Table:
        header = [
            "Assessor",
            "Scores",
            "Mean",
            "Spread",
            "Panel's mean",
            "Difference",
            "Agreed",
            "Reading",
        ]
        rows = [
            [
                line.name,
                f"{line.count:,}",
                number(line.mean),
                number(line.spread),
                number(line.panel_mean),
                signed(line.difference),
                f"{line.moderated:,} ({line.moved_away:,})",
                line.reading.capitalize(),
            ]
            for line in stage.lines
        ]
        return self.grid(header, rows, {0: 1.0, 7: 1.0})

    # --- departures from the question plan ----------------------------------------------------

    def deviations(self, doc: CampaignReportDocument) -> list[Flowable]:
        flowables: list[Flowable] = [
            self.intro(
                "Every candidate at an interview stage is asked the same questions in the same "
                "order. Where an interview departed from the stage's plan (a question left out, "
                "added or asked differently) the panel recorded it; these are those records. "
                "Candidates are shown by number only."
            )
        ]
        for stage in doc.deviations:
            flowables += self._stage_deviations(stage)
            flowables.append(self.check())
        return flowables

    def _stage_deviations(self, stage: StageDeviations) -> list[Flowable]:
        count = len(stage.lines)
        said = "1 departure recorded." if count == 1 else f"{count:,} departures recorded."
        return [
            Paragraph(escape(stage.stage), self.styles.h2),
            Paragraph(escape(said), self.styles.small),
            *deviation_flowables(stage.lines, self.styles),
        ]

    # --- fairness ------------------------------------------------------------------------

    def fairness(self, doc: CampaignReportDocument) -> list[Flowable]:
        section = doc.fairness
        if section is None:  # never asked for: section_headings leaves it out
            return []
        hidden = suppressed_text(section.threshold)
        flowables: list[Flowable] = [
            self.intro(
                "How many candidates of each group entered each stage and how many of them "
                "progressed, from the equality monitoring answers. The impact ratio is a "
                "group's selection rate over the highest rate among the groups shown; the "
                "p-value (Fisher's exact test) says how likely a difference at least as big "
                f"would be by chance. Figures for fewer than {section.threshold} candidates, "
                "and any that would give them away, are shown as "
                f"\u201c{hidden}\u201d. Groups with no candidates at a stage, and questions no "
                "candidate answered, are left out."
            ),
            Paragraph(escape(UK_LAW_NOTE), self.styles.body),
            Paragraph(escape(GROUPS_NOTE), self.styles.small),
        ]
        for table_ in section.tables:
            flowables += self._fairness_table(table_, hidden)
            flowables.append(self.check())
        return flowables

    def _fairness_table(self, table_: FairnessTable, hidden: str) -> list[Flowable]:
        """One table per question: each stage a row of its own, its groups under it and
        its total last. A stage whose every group is suppressed gets one line for them."""
        header = [
            "Group", "Entered", Outcome.PROGRESS.label, "Rate", "Impact ratio", "p-value", "Flag",
        ]  # fmt: skip
        stages: dict[str, list[FairnessLine]] = {}
        for line in table_.lines:
            if _worth_a_line(line):
                stages.setdefault(line.stage, []).append(line)
        rows: list[list[str]] = []
        strong: list[int] = []
        spans: list[int] = []
        for stage, lines in stages.items():
            spans.append(len(rows))
            strong.append(len(rows))
            rows.append([stage] + [""] * (len(header) - 1))
            groups = [line for line in lines if not line.total]
            if groups and all(line.suppressed for line in groups):
                rows.append(["Every group", *[hidden] * 5, ""])
                groups = []
            for line in lines:
                if line.total or line in groups:
                    if line.total:
                        strong.append(len(rows))
                    rows.append(_fairness_cells(line, hidden))
        built = self.grid(header, rows, {0: 1.6, 6: 1.4}, strong_rows=strong)
        built.setStyle(
            TableStyle(
                [("SPAN", (0, n + 1), (-1, n + 1)) for n in spans]
                + [("TOPPADDING", (0, n + 1), (-1, n + 1), 8) for n in spans]
            )
        )
        return [Paragraph(escape(table_.characteristic), self.styles.h2), built]


def _worth_a_line(line: FairnessLine) -> bool:
    """Every suppressed line and total; a group's only when someone of it entered."""
    return line.suppressed or line.total or bool(line.entered)


def _fairness_cells(line: FairnessLine, hidden: str) -> list[str]:
    if line.suppressed:
        return [line.group, hidden, hidden, hidden, hidden, hidden, ""]
    return [
        line.group,
        f"{line.entered or 0:,}",
        f"{line.progressed or 0:,}",
        rate_words(line.rate),
        "" if line.total else ratio_words(line.impact_ratio),
        "" if line.total else p_value_words(line.p_value),
        FLAG_WORDS if line.flag else "",
    ]


# --- charts ------------------------------------------------------------------------------


class _Figure(Drawing):
    """A drawing that can be kept with the flowable after it (Drawing refuses attributes it
    was not declared with, and ReportLab sets and resets this one while it lays out)."""

    _attrMap = AttrMap(  # noqa: N815 (ReportLab's name)
        BASE=Drawing, keepWithNext=AttrMapValue(isNumber, desc="keep with next")
    )


def _legend(strong: colors.Color, tint: colors.Color) -> Drawing:
    """Swatches saying which bars are at or above the pass mark and which below."""
    drawing = _Figure(FRAME_WIDTH, 16)
    drawing.keepWithNext = 1  # never a legend at the foot of a page, its charts overleaf
    x = 0.0
    for fill, words in ((strong, "At or above the pass mark"), (tint, "Below the pass mark")):
        swatch = Rect(x, 3, 10, 10)
        swatch.fillColor, swatch.strokeColor, swatch.strokeWidth = fill, strong, 0.6
        drawing.add(swatch)
        drawing.add(String(x + 14, 5, words, fontName=FONT, fontSize=8, fillColor=TEXT))
        x += 14 + stringWidth(words, FONT, 8) + 18
    return drawing


def _histogram(
    c: CriterionDistribution,
    axis: tuple[int, int],
    width: float,
    height: float,
    strong: colors.Color,
    tint: colors.Color,
) -> Drawing:
    """Candidates at each point of the scale, from its lowest point to its highest."""
    top, step = axis
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    label_room = stringWidth(f"{top:,}", FONT, 7) + 6
    # The stubs declare a chart's position, size and spacing as int; ReportLab takes floats.
    chart.x, chart.y = label_room, 24  # type: ignore[assignment]
    chart.width, chart.height = width - label_room - 4, height - 24 - 12  # type: ignore[assignment]
    chart.data = [list(c.counts)]
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = top
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labels.fillColor = MUTED
    chart.valueAxis.labelTextFormat = "{:,.0f}".format
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e4e3e2")
    chart.valueAxis.gridStrokeWidth = 0.5
    chart.valueAxis.strokeColor = RULE
    chart.valueAxis.visibleAxis = 0
    chart.valueAxis.tickLeft = 0
    chart.categoryAxis.strokeColor = TEXT
    chart.categoryAxis.strokeWidth = 0.6
    chart.categoryAxis.tickDown = 0
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.fillColor = TEXT
    chart.categoryAxis.labels.dy = -2
    chart.categoryAxis.categoryNames = _point_labels(c.points, chart.width, 7.5)
    chart.barSpacing = 0
    chart.groupSpacing = max(1.5, chart.width / max(len(c.points), 1) * 0.18)  # type: ignore[assignment]
    chart.bars.strokeColor = strong
    chart.bars.strokeWidth = 0.5
    chart.bars[0].fillColor = strong
    for index, point in enumerate(c.points):
        below = c.pass_mark is not None and point < c.pass_mark
        chart.bars[(0, index)].fillColor = tint if below else strong
    chart.barLabelFormat = lambda v: f"{int(v):,}" if v else ""
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7
    chart.barLabels.fillColor = TEXT
    chart.barLabels.nudge = 5
    chart.barLabels.boxAnchor = "s"
    drawing.add(chart)
    drawing.add(
        String(
            chart.x + chart.width / 2,
            2,
            "Score",
            fontName=FONT,
            fontSize=7,
            fillColor=MUTED,
            textAnchor="middle",
        )
    )
    return drawing


def _point_labels(points: Sequence[int], width: float, size: float) -> list[str]:
    """Scale points as axis labels, every other one (or fewer) where they would collide."""
    labels = [f"{p:g}" for p in points]
    room = width / max(len(labels), 1)
    widest = max((stringWidth(label, FONT, size) for label in labels), default=0)
    every = 1
    while widest + 3 > room * every and every < len(labels):
        every += 1
    last = len(labels) - 1
    return [
        label if (index % every == 0 or index == last) and not _crowds(index, last, every) else ""
        for index, label in enumerate(labels)
    ]


def _crowds(index: int, last: int, every: int) -> bool:
    # The highest point is always labelled; the thinned label just before it gives way.
    return every > 1 and index != last and last - index < every


class _FunnelChart:
    """Horizontal bars: reached and progressed for each stage, first stage at the top."""

    LABEL_SIZE = 8.5
    BAR_ROW = 27.0

    def __init__(self, doc: CampaignReportDocument, strong: colors.Color, tint: colors.Color):
        self.doc = doc
        self.strong = strong
        self.tint = tint

    def drawing(self) -> Drawing:
        rows = self.doc.funnel
        # Room for the longest stage name, up to a limit; longer names end in an ellipsis.
        text_room = min(
            140.0, max(stringWidth(clean(r.stage), FONT, self.LABEL_SIZE) for r in rows)
        )
        label_width = text_room + 10
        legend_height = 22.0
        plot_height = self.BAR_ROW * len(rows)
        height = plot_height + 36 + legend_height
        drawing = _Figure(FRAME_WIDTH, height)
        drawing.keepWithNext = 1  # with its caption
        chart = HorizontalBarChart()
        # The stubs declare a chart's position and size as int; ReportLab takes floats.
        chart.x, chart.y = label_width, 30  # type: ignore[assignment]
        chart.width = FRAME_WIDTH - label_width - 30  # type: ignore[assignment]
        chart.height = plot_height  # type: ignore[assignment]
        # Within a stage the first series is drawn lowest: progressed goes under reached.
        chart.data = [[r.progressed for r in rows], [r.reached for r in rows]]
        top, step = nice_axis_top(max(self.doc.applied, 1))
        chart.valueAxis.valueMin = 0
        chart.valueAxis.valueMax = top
        chart.valueAxis.valueStep = step
        chart.valueAxis.labels.fontName = FONT
        chart.valueAxis.labels.fontSize = 7.5
        chart.valueAxis.labels.fillColor = MUTED
        chart.valueAxis.labelTextFormat = "{:,.0f}".format
        chart.valueAxis.visibleGrid = 1
        chart.valueAxis.gridStrokeColor = colors.HexColor("#e4e3e2")
        chart.valueAxis.gridStrokeWidth = 0.5
        chart.valueAxis.visibleAxis = 0
        chart.valueAxis.visibleTicks = 0
        chart.categoryAxis.reverseDirection = 1
        chart.categoryAxis.strokeColor = TEXT
        chart.categoryAxis.strokeWidth = 0.6
        chart.categoryAxis.tickLeft = 0
        chart.categoryAxis.labels.fontName = FONT
        chart.categoryAxis.labels.fontSize = self.LABEL_SIZE
        chart.categoryAxis.labels.fillColor = TEXT
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.categoryAxis.labels.dx = -6
        chart.categoryAxis.categoryNames = [
            _fit(r.stage, FONT, self.LABEL_SIZE, text_room + 0.5) for r in rows
        ]
        chart.barSpacing = 1
        chart.groupSpacing = 7
        chart.bars.strokeColor = self.strong
        chart.bars.strokeWidth = 0.5
        chart.bars[0].fillColor = self.strong
        chart.bars[1].fillColor = self.tint
        chart.barLabelFormat = lambda v: f"{int(v):,}"
        chart.barLabels.fontName = FONT
        chart.barLabels.fontSize = 7.5
        chart.barLabels.fillColor = TEXT
        chart.barLabels.boxAnchor = "w"
        chart.barLabels.nudge = 4
        drawing.add(chart)
        x = label_width
        legend_y = height - 14
        for fill, words in ((self.tint, "Reached the stage"), (self.strong, "Progressed from it")):
            swatch = Rect(x, legend_y, 10, 10)
            swatch.fillColor, swatch.strokeColor, swatch.strokeWidth = fill, self.strong, 0.6
            drawing.add(swatch)
            drawing.add(
                String(x + 14, legend_y + 2, words, fontName=FONT, fontSize=8, fillColor=TEXT)
            )
            x += 14 + stringWidth(words, FONT, 8) + 18
        drawing.add(
            String(
                chart.x + chart.width / 2,
                2,
                "Candidates",
                fontName=FONT,
                fontSize=7.5,
                fillColor=MUTED,
                textAnchor="middle",
            )
        )
        return drawing


__all__ = [
    "CONSISTENCY",
    "DISTRIBUTION",
    "FAIRNESS",
    "FUNNEL",
    "MERIT",
    "OUTCOMES",
    "RESERVES",
    "STANDING",
    "SUMMARY",
    "TIMETABLE",
    "report_flowables",
    "section_headings",
    "write_campaign_report",
]
