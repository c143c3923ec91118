"""The campaign report renderer: every section, charts, long tables, hostile text, colours."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing

from exports.report import (
    CONSISTENCY,
    DISTRIBUTION,
    FUNNEL,
    MERIT,
    OUTCOMES,
    RESERVES,
    STANDING,
    SUMMARY,
    TIMETABLE,
    _column_widths,
    _FunnelChart,
    _histogram,
    _point_labels,
    section_headings,
    write_campaign_report,
)
from exports.styles import FONT, FRAME_WIDTH, Theme, contrast_ratio, make_styles
from recruit_app.domain.report import (
    AssessorTotals,
    StageTiming,
    assessor_line,
    distribution,
    funnel,
    standing,
    summary_sentences,
)
from recruit_app.readmodels import (
    CampaignReportDocument,
    MeritOrder,
    MeritRow,
    ReserveGroup,
    StageConsistency,
    StageDistribution,
)

HOSTILE_STAGE = "Interview <b>&amp;</b> 'panel' 😀"
HOSTILE_NAME = "O'Brien & <Sons> Łukasz"
SP7 = ((1, "Not demonstrated"), (4, "Acceptable demonstration"), (7, "Outstanding"))
PERCENT = tuple((v, f"{v} per cent") for v in range(0, 101, 10))


def full_document(merit_rows: int = 30, total_rows: int | None = None) -> CampaignReportDocument:
    """A campaign at its end: every kind of outcome, three stages, two scales."""
    counts = [
        ("Sift", {"progress": 30, "reject": 62, "withdrawn": 2}),
        ("Written test", {"progress": 12, "reject": 17, "withdrawn": 1}),
        (HOSTILE_STAGE, {"reserve": 3, "appoint": 2, "reject": 6, "withdrawn": 1}),
    ]
    rows = funnel(100, counts)
    now = standing(100, {"reject": 85, "withdrawn": 4, "reserve": 3, "appoint": 2})
    sift = StageDistribution(
        "Sift",
        "Success Profiles scale (1 to 7)",
        tuple((v, f"Point {v}") for v in range(1, 8)),
        tuple(
            distribution(
                f"C{n}",
                f"Criterion {n}: a long title about delivering {HOSTILE_NAME} at pace "
                "with a great deal of care and attention",
                4,
                tuple(range(1, 8)),
                [(value, 1, 3 + (value * n) % 9) for value in range(1, 8)],
            )
            for n in range(1, 6)
        ),
    )
    test = StageDistribution(
        "Written test",
        "Custom scale",
        PERCENT,
        (
            distribution("T1", "Accuracy", 50, [p for p, _ in PERCENT], [(30, 1, 4), (70, 1, 9)]),
            distribution("T2", "Speed", None, [p for p, _ in PERCENT], [(100, 1, 1)]),
        ),
    )
    merit = MeritOrder(
        HOSTILE_STAGE,
        name_blind=False,
        finalised=True,
        scored=True,
        rows=tuple(
            MeritRow(
                n if n <= merit_rows - 2 else None,
                f"{n:05d}",
                HOSTILE_NAME if n == 1 else f"Candidate Person {n}",
                40 - n / 3,
                "Appointed" if n <= 2 else "Reserve list" if n <= 5 else "Not progressed",
            )
            for n in range(1, merit_rows + 1)
        ),
        total_rows=total_rows or merit_rows,
    )
    blind = MeritOrder(
        "Sift",
        name_blind=True,
        finalised=False,
        scored=True,
        rows=(MeritRow(1, "00001", "", 30.5, "Not decided yet"),),
        total_rows=1,
    )
    lines = (
        assessor_line(AssessorTotals("Ann Assessor", 10, 50.0, 260.0, 10, 50.0, 38.0, 1, 1)),
        assessor_line(AssessorTotals(HOSTILE_NAME, 10, 30.0, 100.0, 10, 30.0, 45.0, 1, 0)),
    )
    return CampaignReportDocument(
        organisation="Borough & <Council>",
        reference="REF-1",
        title="Senior caseworker",
        status="Closed",
        produced_on=date(2027, 3, 1),
        grade="Grade 7",
        applied=100,
        summary=summary_sentences(now, rows),
        funnel=rows,
        standing=now,
        distributions=(sift, test),
        merit_orders=(blind, merit),
        timings=(
            StageTiming("Sift", date(2027, 1, 4), date(2027, 1, 8), date(2027, 1, 5), None),
            StageTiming(
                "Written test", date(2027, 1, 18), date(2027, 1, 22), None, date(2027, 1, 29)
            ),
            StageTiming(HOSTILE_STAGE, None, None, None, None),
        ),
        reserves=(
            ReserveGroup(HOSTILE_STAGE, date(2028, 2, 10), 2, False),
            ReserveGroup(HOSTILE_STAGE, date(2027, 2, 10), 1, True),
        ),
        consistency=(StageConsistency("Sift", lines),),
    )


def _flat(text: str) -> str:
    return " ".join(text.split())


def _render(doc: CampaignReportDocument, tmp_path: Path, theme: Theme | None = None):
    theme = theme or Theme(organisation=doc.organisation)
    path = write_campaign_report(doc, tmp_path / "report.pdf", theme)
    reader = PdfReader(path)
    pages = [page.extract_text() for page in reader.pages]
    return reader, pages, _flat("\n".join(pages))


def test_every_section_of_a_finished_campaign(tmp_path):
    doc = full_document()
    reader, pages, text = _render(doc, tmp_path)
    assert section_headings(doc) == [
        SUMMARY,
        FUNNEL,
        DISTRIBUTION,
        MERIT,
        TIMETABLE,
        OUTCOMES,
        CONSISTENCY,
    ]
    assert reader.metadata.author == "Borough & <Council>"
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
    # All eight funnel columns once anyone was reserved, appointed or withdrew.
    assert (
        "Stage Reached Progressed Not progressed Reserve list Appointed Withdrawn No decision yet"
    ) in text
    assert f"{HOSTILE_STAGE} 12 0 6 3 2 1 0" in text
    assert "Sift 100 30 (30%) 62 0 0 2 6" in text
    assert "So far nobody" not in text
    # Reserve lists, soonest first, and where everyone stands.
    assert f"{RESERVES} Candidates held on a reserve list" in text
    assert f"{HOSTILE_STAGE} 2 Thursday 10 February 2028 Running" in text
    assert f"{HOSTILE_STAGE} 1 Wednesday 10 February 2027 Expired" in text
    assert (
        f"{STANDING} Each candidate is counted once, by their latest outcome. "
        "Candidates Number Share Appointed 2 2% Reserve list 3 3% Still in the process 6 6% "
        "Not progressed 85 85% Withdrawn 4 4% All who applied 100 100%"
    ) in text
    # Planned against actual, including what is overdue on the day the report was made.
    assert "Sift 4 to 8 January 2027 5 January 2027 within the planned dates" in text
    assert "Not finalised yet 52 days after the planned end" in text
    assert "29 January 2027 7 days late" in text
    assert f"{HOSTILE_STAGE} No dates set No scores submitted in Recruit Not finalised yet" in text
    # Merit orders: the unfinished sift says so; names only where the stage was not blind.
    assert "Name-blind stage: candidate numbers only. The results are not final yet" in text
    assert "Rank Candidate Total Outcome 1 00001 30.5 Not decided yet" in text
    assert f"1 00001 {HOSTILE_NAME} 39.67 Appointed" in text
    assert "– 00030 Candidate Person 30 30 Not progressed" in text
    # Consistency readings, in words.
    assert "Ann Assessor 10 5 1 3.8 +1.2 1 (1) More lenient than the panel" in text
    assert f"{HOSTILE_NAME} 10 3 1 4.5 -1.5 1 (0) Harsher than the panel" in text
    # Charts: criterion titles cut at a word, scale points, axes.
    assert "C1 Criterion 1: a long title about delivering O'Brien & <Sons> Łukasz…" in text
    assert "Custom scale: 0 0 per cent; 10 10 per cent;" in text


def test_outline_has_every_section_and_stage(tmp_path):
    reader, _pages, _text = _render(full_document(), tmp_path)

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                yield from walk(item, level + 1)
            else:
                yield level, item.title

    assert list(walk(reader.outline, 0)) == [
        (0, SUMMARY),
        (0, FUNNEL),
        (0, DISTRIBUTION),
        (1, "Sift"),
        (1, "Written test"),
        (0, MERIT),
        (1, "Sift"),
        (1, HOSTILE_STAGE),
        (0, TIMETABLE),
        (0, OUTCOMES),
        (1, STANDING),
        (1, RESERVES),
        (0, CONSISTENCY),
        (1, "Sift"),
    ]


def test_a_long_merit_order_repeats_its_header_and_says_what_it_left_out(tmp_path):
    doc = full_document(merit_rows=100, total_rows=10_000)
    _reader, pages, text = _render(doc, tmp_path)
    merit_pages = [p for p in pages if "Candidate Person" in p]
    assert len(merit_pages) >= 3
    for page in merit_pages:
        assert "Rank Candidate Name Total Outcome" in _flat(page)
    assert "The first 100 of 10,000 candidates are listed." in text
    for n in (3, 50, 98):
        assert f"{n} {n:05d} Candidate Person {n} " in text


def test_an_empty_campaign_has_a_summary_and_nothing_else(tmp_path):
    now = standing(0, {})
    doc = replace(
        full_document(),
        applied=0,
        summary=summary_sentences(now, ()),
        funnel=(),
        standing=now,
        distributions=(),
        merit_orders=(),
        timings=(),
        reserves=(),
        consistency=(),
    )
    assert section_headings(doc) == [SUMMARY]
    _reader, pages, text = _render(doc, tmp_path)
    assert len(pages) == 1
    assert "Nothing has happened in this campaign yet" in text


# --- charts ------------------------------------------------------------------------


def _chart(drawing: Drawing, kind: type) -> object:
    (chart,) = [item for item in drawing.contents if isinstance(item, kind)]
    return chart


def test_histograms_run_from_the_lowest_point_of_the_scale_to_the_highest():
    make_styles()  # registers the fonts
    doc = full_document()
    strong, tint = Theme().primary_text, "#dddddd"
    from reportlab.lib import colors

    for stage in doc.distributions:
        for criterion in stage.criteria:
            drawing = _histogram(
                criterion, (20, 5), 150, 118, colors.HexColor(strong), colors.HexColor(tint)
            )
            chart = _chart(drawing, VerticalBarChart)
            names = chart.categoryAxis.categoryNames  # type: ignore[attr-defined]
            assert len(names) == len(criterion.points)
            assert names[0] == f"{criterion.points[0]:g}"
            assert names[-1] == f"{criterion.points[-1]:g}"
            assert chart.valueAxis.valueMin == 0 and chart.valueAxis.valueMax == 20  # type: ignore[attr-defined]
            assert drawing.width <= FRAME_WIDTH / 2
            # Bars below the pass mark are the paler colour, the rest the strong one.
            for index, point in enumerate(criterion.points):
                fill = chart.bars[(0, index)].fillColor  # type: ignore[attr-defined]
                below = criterion.pass_mark is not None and point < criterion.pass_mark
                assert fill.hexval()[2:] == (tint if below else strong)[1:]


def test_crowded_scale_labels_are_thinned_never_overlapping():
    from reportlab.pdfbase.pdfmetrics import stringWidth

    make_styles()
    points = list(range(0, 101, 10))
    labels = _point_labels(points, 110, 7.5)
    shown = [(i, label) for i, label in enumerate(labels) if label]
    assert shown[0] == (0, "0") and shown[-1] == (10, "100")
    room = 110 / len(points)
    for (i, a), (j, b) in pairwise(shown):
        gap = (j - i) * room
        assert (stringWidth(a, FONT, 7.5) + stringWidth(b, FONT, 7.5)) / 2 + 2 < gap
    assert _point_labels(list(range(1, 8)), 110, 7.5) == [str(n) for n in range(1, 8)]


def test_funnel_chart_fits_the_page_and_puts_the_first_stage_on_top():
    make_styles()
    from reportlab.lib import colors

    doc = full_document()
    drawing = _FunnelChart(doc, colors.black, colors.grey).drawing()
    assert drawing.width <= FRAME_WIDTH
    chart = _chart(drawing, HorizontalBarChart)
    assert chart.categoryAxis.reverseDirection == 1  # type: ignore[attr-defined]
    assert chart.data == [[30, 12, 0], [100, 30, 12]]  # type: ignore[attr-defined]
    assert chart.valueAxis.valueMax == 100  # type: ignore[attr-defined]
    names = chart.categoryAxis.categoryNames  # type: ignore[attr-defined]
    assert names[:2] == ["Sift", "Written test"]  # short names whole, never cut
    one = replace(doc, funnel=doc.funnel[:1])
    only = _chart(_FunnelChart(one, colors.black, colors.grey).drawing(), HorizontalBarChart)
    assert only.categoryAxis.categoryNames == ["Sift"]  # type: ignore[attr-defined]


def test_a_pale_house_colour_is_darkened_for_bars_and_text(tmp_path):
    theme = Theme(organisation="Sunny Council", primary="#ffdd00")
    assert contrast_ratio(theme.primary_text, "#ffffff") >= 4.5
    _reader, pages, text = _render(full_document(), tmp_path, theme)
    assert "Pass rate by criterion" in text and len(pages) >= 5


def test_number_columns_never_break_inside_a_word():
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from exports.styles import FONT_BOLD

    make_styles()
    header = ["Stage", "Reached", "Progressed", "No decision yet"]
    widths = _column_widths(header, [["Sift", "10,000", "3,000 (30%)", "0"]], {0: 1.0})
    assert widths is not None and sum(widths) == pytest.approx(FRAME_WIDTH)
    for width, title in zip(widths[1:], header[1:], strict=True):
        assert max(stringWidth(w, FONT_BOLD, 9.5) for w in title.split()) + 12 <= width
    # Too many wide columns at the full size: none fits, so the caller tries a smaller one.
    many = ["Name", *[f"Heading{n} number" for n in range(8)]]
    assert _column_widths(many, [["x", *["1,000,000"] * 8]], {0: 1.0}) is None
