"""Advert exports: PDF content, layout furniture and outline; HTML; plain text; atomic writes."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from exports.advert import (
    advert_html,
    advert_text,
    format_closing,
    format_stage_dates,
    render_advert_pdf,
    section_headings,
    write_advert,
)
from exports.files import atomic_output, write_text_atomic
from exports.styles import (
    Styles,
    Theme,
    contrast_ratio,
    escape,
    readable_on_white,
    text_blocks,
)
from recruit_app.readmodels import (
    STANDARD_SECTIONS,
    AdvertCriterionView,
    AdvertDocument,
    PayZone,
    StageSummary,
)

THEME = Theme(organisation="Home Office")

SFIA = (
    ("DATM", "Data management"),
    ("SWDN", "Software design"),
    ("PROG", "Programming/software development"),
    ("TEST", "Testing"),
    ("SINT", "Systems integration and build"),
    ("ASUP", "Application support"),
)
EXPERIENCE = (
    "Back-end or full-stack development in at least one modern web language and its ecosystem",
    "Working in agile teams with version control",
    "Test-driven development with automation, continuous integration and delivery",
    "Cloud platforms and orchestration tools such as AWS, Azure, Docker and Kubernetes",
    "The whole software delivery life cycle",
    "Modern web frameworks such as Spring Boot",
)
FULL_HEADINGS = (
    "About the job",
    "Person specification",
    "Behaviours",
    "Technical skills",
    "Strengths",
    "Qualifications",
    "How you will be assessed",
    "Benefits",
    "Things you need to know",
    "Contact",
)


def full_advert(**changes: object) -> AdvertDocument:
    """A realistic advert modelled on the facts of Civil Service Jobs vacancy 283922."""
    criteria = [
        AdvertCriterionView(
            code=f"EXP{n}",
            title=title,
            element="EXP",
            essential=n < 6,
            lead=n == 1,
            description="Tell us about a service you built and what you learnt." if n == 1 else "",
        )
        for n, title in enumerate(EXPERIENCE, start=1)
    ]
    criteria += [
        AdvertCriterionView(
            code=code,
            title=title,
            element="TEC",
            essential=True,
            level=4,
            level_label="Level 4 (Enable)",
            indicators=(
                f"Applies {title.lower()} practice across a team",
                "Chooses methods and tools, and explains the choice",
            ),
        )
        for code, title in SFIA
    ]
    criteria += [
        AdvertCriterionView(
            code="DAP",
            title="Delivering at Pace",
            element="BEH",
            essential=True,
            level=3,
            level_label="Level 3",
            description="Take responsibility for the quality of your team's work.",
            indicators=("Plans work so that deadlines are met", "Reviews progress often"),
        ),
        AdvertCriterionView(
            code="ADAPT",
            title="Adaptable",
            element="STR",
            essential=False,
            description="You adjust your approach to suit changing situations.",
        ),
    ]
    values: dict[str, object] = dict(
        organisation="Home Office",
        reference="283922",
        title="Software Developer",
        grade="Senior Executive Officer",
        pay_zones=(PayZone("National", 39000, 42900), PayZone("London", 43000, 47300)),
        allowance="A recruitment and retention allowance of up to £8,300 may be paid.",
        contract_type="Permanent",
        business_area="HO - Digital Data and Technology",
        role_types=("Digital", "Engineering", "Information Technology"),
        working_patterns=("Flexible working", "Full-time", "Part-time", "Compressed Hours"),
        posts=2,
        locations=("Glasgow", "Manchester", "Sheffield", "Croydon", "Hendon"),
        summary=(
            "Join the software engineering community in Digital, Data and Technology.\n\n"
            "Our teams build the services people use to prove who they are and apply "
            "for visas and passports."
        ),
        job_description=(
            "You will build and look after services used by millions of people.\n\n"
            "Teams release often and safely:\n"
            "- test-driven development\n"
            "- continuous integration and delivery\n"
            "- code review by pull request"
        ),
        responsibilities=(
            "Build RESTful services and own the quality of your code.\n"
            "Create toolkits and APIs for integration and scale.\n"
            "Design new software to team standards."
        ),
        person_specification="We want developers who enjoy tracking down hard problems.",
        qualifications="No formal qualification is required.",
        benefits=(
            "Civil Service pension with an average employer contribution of 27%.\n"
            "25 days' annual leave, rising with service.\n"
            "Flexible working."
        ),
        selection_process="We assess Experience and Technical skills.",
        opens_at=datetime(2026, 10, 26, 9, 0, tzinfo=UTC),
        # 23:55 UTC in November is 11:55pm in London (GMT).
        closes_at=datetime(2026, 11, 15, 23, 55, tzinfo=UTC),
        contact_name="Priya Raman",
        contact_email="priya.raman@example.gov.uk",
        team_email="recruitment.team@example.gov.uk",
        security_clearance="Security Check (SC)",
        nationality_statement="Open to UK, Commonwealth, Irish and eligible EU nationals.",
        guaranteed_interview_statement="We run the Disability Confident scheme.",
        reserve_list_months=12,
        criteria=tuple(criteria),
        stages=(
            StageSummary(
                "CV sift",
                "sift",
                "online",
                date(2026, 11, 16),
                date(2026, 11, 20),
                tuple(f"EXP{n}" for n in range(1, 7)),
            ),
            StageSummary(
                "Technical exercise",
                "technical_exercise",
                "online",
                date(2026, 11, 23),
                date(2026, 11, 27),
                ("PROG", "SWDN", "TEST"),
            ),
            StageSummary(
                "Video interview",
                "video_interview",
                "video",
                date(2026, 12, 7),
                date(2026, 12, 11),
                ("DATM", "SWDN", "PROG", "TEST", "SINT", "ASUP", "EXP1", "DAP", "ADAPT"),
            ),
        ),
        status_label="Published (version 2), 23 November 2026",
    )
    values.update(changes)
    return AdvertDocument(**values)  # type: ignore[arg-type]


HOSTILE_ORG = 'O\'Brien & Sons <Recruitment> "Ltd"'
HOSTILE_NAMES = (
    "Siân O'Brien",
    "Zoë <Smith> & Co",
    'Łukasz "Luke" Nowak',
    "Emoji 😀 ★ team",
)
SENTENCE = "Our team & partners <care> about \"quality\" and O'Brien's users in Zoë's region. "


def _long_description(words: int = 3000) -> str:
    """About `words` words in paragraphs of about 120 words, with bullets and a long link."""
    per_sentence = len(SENTENCE.split())
    sentences = words // per_sentence
    paragraphs = []
    for start in range(0, sentences, 8):
        paragraphs.append(" ".join(SENTENCE.strip() for _ in range(min(8, sentences - start))))
    paragraphs.insert(3, '- first point & more\n- second <point>\n- third "point"')
    paragraphs.insert(6, "https://example.gov.uk/" + "a-very-long-path-segment" * 12)
    return "\n\n".join(paragraphs)


def hostile_advert(**changes: object) -> AdvertDocument:
    """Markup characters, quotes, emoji and accents everywhere; long text; 60 criteria."""
    elements = ("EXP", "TEC", "BEH", "STR", "ABI")
    criteria = tuple(
        AdvertCriterionView(
            code=f"C{n:02d}",
            title=f'Criterion {n:02d} for {HOSTILE_NAMES[n % 4]} & <team> "{n}"',
            element=elements[n % 5],
            essential=n % 3 != 0,
            lead=n == 5,
            level=3 if elements[n % 5] != "EXP" else None,
            level_label="Level 3" if elements[n % 5] != "EXP" else "",
            description=f"Describe work with {HOSTILE_NAMES[(n + 1) % 4]} & others." * 2,
            indicators=(f'Indicator <{n}> & "more"',),
        )
        for n in range(60)
    )
    values: dict[str, object] = dict(
        organisation=HOSTILE_ORG,
        reference="R&D-<7>",
        title="<script>alert('x')</script> & \"Tester\" 😀",
        grade="Grade 7 & <SEO>",
        pay_zones=(PayZone("Zoë's zone <A>", 30000, 30000),),
        allowance='Up to £1,000 & "more" <maybe>',
        locations=("Llandudno – Siân's office", "Kraków & Łódź"),
        working_patterns=("Full-time",),
        summary="Siân, Zoë & Łukasz welcome you 😀. Quotes: \"double\" and 'single'.",
        job_description=_long_description(),
        responsibilities="- Lead <things>\n* Follow & learn\n• Emoji 😀 line",
        person_specification='Criteria <below> & "above".',
        selection_process="Sift & interview <remote>.",
        closes_at=datetime(2026, 7, 12, 22, 55, tzinfo=UTC),
        contact_name="Siân O'Brien",
        contact_email="sian.o'brien@example.gov.uk",
        security_clearance='SC & "DV"',
        criteria=criteria,
        stages=(
            StageSummary(
                'Sift <CV> & "more"',
                "sift",
                "",
                date(2026, 12, 28),
                date(2027, 1, 8),
                ("C00", "C01", "MISSING"),
            ),
        ),
        status_label="Draft",
    )
    values.update(changes)
    return AdvertDocument(**values)  # type: ignore[arg-type]


# --- helpers -------------------------------------------------------------------------


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def flat(text: str) -> str:
    """Whitespace collapsed, so that words wrapped onto a new line still match."""
    return re.sub(r"\s+", " ", text).strip()


def outline_titles(reader: PdfReader) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title))

    walk(reader.outline, 0)
    return found


def in_order(text: str, parts: tuple[str, ...] | list[str]) -> bool:
    position = 0
    for part in parts:
        found = text.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


@pytest.fixture(scope="module")
def full_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("advert") / "full.pdf"
    render_advert_pdf(full_advert(), path, THEME)
    return path


@pytest.fixture(scope="module")
def hostile_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("advert") / "hostile.pdf"
    render_advert_pdf(hostile_advert(), path, Theme())
    return path


# --- PDF -----------------------------------------------------------------------------


def test_full_pdf_has_every_section_in_order(full_pdf: Path) -> None:
    text = flat("\n".join(pdf_pages(full_pdf)))
    assert section_headings(full_advert()) == FULL_HEADINGS
    assert in_order(text, ["Home Office", "Software Developer", *FULL_HEADINGS])
    assert in_order(
        text, ["Job summary", "Job description", "Your responsibilities", "Person specification"]
    )


def test_full_pdf_shows_every_key_fact(full_pdf: Path) -> None:
    text = flat("\n".join(pdf_pages(full_pdf)))
    for fact in (
        "Reference 283922",
        "Senior Executive Officer",
        "Published (version 2), 23 November 2026",
        "National: £39,000 to £42,900",
        "London: £43,000 to £47,300",
        "A recruitment and retention allowance of up to £8,300 may be paid.",
        "11:55pm on Sunday 15 November 2026",
        "Glasgow, Manchester, Sheffield, Croydon, Hendon",
        "Permanent",
        "Flexible working, Full-time, Part-time, Compressed Hours",
        "Number of posts 2",
        "HO - Digital Data and Technology",
        "Digital, Engineering, Information Technology",
        "Security Check (SC)",
        "A reserve list will be kept for 12 months.",
        "Priya Raman",
        "priya.raman@example.gov.uk",
        "recruitment.team@example.gov.uk",
        "Civil Service pension with an average employer contribution of 27%.",
        "Build RESTful services and own the quality of your code.",
    ):
        assert fact in text, fact


def test_full_pdf_lists_every_criterion_and_stage(full_pdf: Path) -> None:
    text = flat("\n".join(pdf_pages(full_pdf)))
    for title in EXPERIENCE:
        assert title in text, title
    assert f"{EXPERIENCE[0]} (lead criterion)" in text
    for code, title in SFIA:
        assert f"{title} ({code}), Level 4 (Enable)" in text
        assert f"Applies {title.lower()} practice across a team" in text
    assert "Delivering at Pace, Level 3" in text
    assert "Adaptable" in text
    # Experience, then technical, then behaviours, then strengths.
    assert in_order(text, ["Experience", EXPERIENCE[5], "Technical", "Application support"])
    assert in_order(text, ["Behaviours Delivering at Pace", "Strengths Adaptable"])
    for dates in (
        "Mon 16 Nov to Fri 20 Nov 2026",
        "Mon 23 Nov to Fri 27 Nov 2026",
        "Mon 7 Dec to Fri 11 Dec 2026",
    ):
        assert dates in text, dates
    assert in_order(text, ["CV sift", "Technical exercise", "Video interview"])


def test_pdf_pages_are_numbered_out_of_the_total(full_pdf: Path, hostile_pdf: Path) -> None:
    for path in (full_pdf, hostile_pdf):
        pages = pdf_pages(path)
        total = len(pages)
        for number, text in enumerate(pages, start=1):
            assert f"Page {number} of {total}" in text
    assert len(pdf_pages(hostile_pdf)) > 3


def test_pdf_outline_is_the_headings(full_pdf: Path) -> None:
    outline = outline_titles(PdfReader(full_pdf))
    top = [title for depth, title in outline if depth == 0]
    assert top == list(FULL_HEADINGS)
    nested = [title for depth, title in outline if depth == 1]
    assert nested[:3] == ["Job summary", "Job description", "Your responsibilities"]
    assert "Programming/software development (PROG), Level 4 (Enable)" in nested
    assert "Nationality requirements" in nested
    assert all(depth in (0, 1) for depth, _ in outline)


def test_pdf_metadata(full_pdf: Path, hostile_pdf: Path) -> None:
    meta = PdfReader(full_pdf).metadata
    assert meta is not None
    assert meta.title == "Software Developer"
    assert meta.author == "Home Office"
    assert meta.subject == "Job advert, reference 283922"
    assert meta.creator == "Recruit"
    hostile = PdfReader(hostile_pdf).metadata
    assert hostile is not None
    assert hostile.title == hostile_advert().title
    assert hostile.author == HOSTILE_ORG


def test_pdf_keeps_hostile_text_exactly(hostile_pdf: Path) -> None:
    text = flat("\n".join(pdf_pages(hostile_pdf)))
    doc = hostile_advert()
    for expected in (
        HOSTILE_ORG,
        doc.title,
        "Reference R&D-<7>",
        "Grade 7 & <SEO>",
        "Zoë's zone <A>: £30,000",
        'Up to £1,000 & "more" <maybe>',
        "Llandudno – Siân's office, Kraków & Łódź",
        "Siân, Zoë & Łukasz welcome you 😀. Quotes: \"double\" and 'single'.",
        "Lead <things>",
        "Follow & learn",
        "Emoji 😀 line",
        "sian.o'brien@example.gov.uk",
        'SC & "DV"',
        'Sift <CV> & "more"',
        "Mon 28 Dec 2026 to Fri 8 Jan 2027",
        "MISSING",
        SENTENCE.strip(),
        *HOSTILE_NAMES,
    ):
        assert expected in text, expected
    for criterion in doc.criteria:
        assert criterion.title in text, criterion.title


def test_long_criteria_table_repeats_its_header(hostile_pdf: Path) -> None:
    reader = PdfReader(hostile_pdf)
    pages = [flat(page.extract_text() or "") for page in reader.pages]
    starts = {
        item.title: reader.get_destination_page_number(item)
        for item in reader.outline
        if not isinstance(item, list)
    }
    first, after = starts["Person specification"], starts["Behaviours"]
    # The table of 60 criteria runs from its section's page over whole pages to the next.
    inside = range(first + 1, after)
    assert len(inside) >= 2
    for index in (first, *inside):
        assert "Criterion Essential or desirable" in pages[index]
    for index in inside:
        # The repeated header row comes straight after the running header.
        body = pages[index].split(f"Page {index + 1} of {len(pages)}", 1)[1].strip()
        assert body.startswith("Criterion Essential or desirable")


def test_text_stays_inside_the_margins(full_pdf: Path, hostile_pdf: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    from exports.styles import register_fonts

    register_fonts()
    faces = {
        "DejaVuSans": "RecruitSans",
        "DejaVuSans-Bold": "RecruitSans-Bold",
        "DejaVuSans-Oblique": "RecruitSans-Italic",
        "DejaVuSans-BoldOblique": "RecruitSans-BoldItalic",
    }
    left, right = 20 * mm - 0.5, float(A4[0]) - 20 * mm + 0.5
    for path in (full_pdf, hostile_pdf):
        for page in PdfReader(path).pages:
            spans = _text_spans(page, faces)
            assert spans
            for start, end, text in spans:
                assert left <= start and end <= right, (start, end, text)


def _text_spans(page: object, faces: dict[str, str]) -> list[tuple[float, float, str]]:
    """Where each run of text on `page` starts and ends, in points from the left edge."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    spans: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list, tm: list, font: dict | None, size: float) -> None:
        if not text.strip() or font is None:
            return
        face = faces[str(font["/BaseFont"]).split("+", 1)[-1]]
        scale = tm[0] * cm[0]
        start = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        line = text.rstrip()
        # ReportLab may narrow each space by up to 5% to fit a line.
        squeeze = 0.05 * line.count(" ") * stringWidth(" ", face, size)
        width = (stringWidth(line, face, size) - squeeze) * scale
        spans.append((start, start + width, text))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return spans


def test_contact_addresses_are_links(full_pdf: Path) -> None:
    links = [
        annotation.get_object()["/A"]["/URI"]
        for page in PdfReader(full_pdf).pages
        for annotation in page.get("/Annots") or []
    ]
    assert links == [
        "mailto:priya.raman@example.gov.uk",
        "mailto:recruitment.team@example.gov.uk",
    ]
    page = advert_html(full_advert(), THEME)
    assert '<a href="mailto:priya.raman@example.gov.uk">' in page


def test_pdf_embeds_its_fonts(full_pdf: Path) -> None:
    for page in PdfReader(full_pdf).pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            assert "DejaVuSans" in str(font["/BaseFont"])
            assert "/FontFile2" in font["/FontDescriptor"].get_object()


def test_closing_time_is_shown_in_london_time() -> None:
    assert format_closing(datetime(2026, 11, 15, 23, 55, tzinfo=UTC)) == (
        "11:55pm on Sunday 15 November 2026"
    )
    # British Summer Time: 22:55 UTC is 11:55pm in London.
    assert format_closing(datetime(2026, 7, 12, 22, 55, tzinfo=UTC)) == (
        "11:55pm on Sunday 12 July 2026"
    )
    assert format_closing(datetime(2026, 7, 12, 11, 0, tzinfo=UTC)) == (
        "midday on Sunday 12 July 2026"
    )
    assert format_closing(datetime(2026, 1, 5, 9, 0, tzinfo=UTC)) == (
        "9am on Monday 5 January 2026"
    )


def test_summer_closing_time_in_the_pdf(hostile_pdf: Path) -> None:
    assert "11:55pm on Sunday 12 July 2026" in flat("\n".join(pdf_pages(hostile_pdf)))


def test_stage_dates() -> None:
    assert format_stage_dates(date(2026, 11, 16), date(2026, 11, 20)) == (
        "Mon 16 Nov to Fri 20 Nov 2026"
    )
    assert format_stage_dates(date(2026, 11, 16), None) == "Mon 16 Nov 2026"
    assert format_stage_dates(date(2026, 11, 16), date(2026, 11, 16)) == "Mon 16 Nov 2026"
    assert format_stage_dates(None, None) == "To be confirmed"


def test_empty_sections_are_left_out_but_standard_ones_say_whom_to_ask(tmp_path: Path) -> None:
    minimal = AdvertDocument(
        organisation="Home Office", reference="1", title="Clerk", reserve_list_months=0
    )
    assert section_headings(minimal) == ("Things you need to know",)
    path = render_advert_pdf(minimal, tmp_path / "minimal.pdf", THEME)
    text = flat("\n".join(pdf_pages(path)))
    for heading in FULL_HEADINGS:
        if heading != "Things you need to know":
            assert heading not in text
    for _key, heading in STANDARD_SECTIONS:
        assert f"{heading} This section is still being written; until it is, please ask us." in text
    top = [item for item in PdfReader(path).outline if not isinstance(item, list)]
    assert [item.title for item in top] == ["Things you need to know"]
    partial = full_advert(benefits=" \n ", criteria=(), stages=(), contact_name="")
    headings = section_headings(partial)
    assert "Benefits" not in headings
    assert "Behaviours" not in headings
    assert "Contact" in headings


def test_html_is_escaped_and_complete() -> None:
    page = advert_html(full_advert(title="<script>alert(1)</script>"), THEME)
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="en-GB">' in page
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for heading in FULL_HEADINGS:
        assert f">{heading}</h2>" in page
    assert '<th scope="col">Criterion</th>' in page
    assert '<th scope="col">Essential or desirable</th>' in page
    assert "<dt>Salary</dt><dd>National: £39,000 to £42,900</dd>" in page
    assert "11:55pm on Sunday 15 November 2026" in page

    hostile = advert_html(hostile_advert(), Theme())
    assert "O&#x27;Brien &amp; Sons &lt;Recruitment&gt; &quot;Ltd&quot;" in hostile
    assert "Siân" in hostile and "Łukasz" in hostile and "😀" in hostile
    assert "<team>" not in hostile


def test_plain_text_of_a_small_advert() -> None:
    doc = AdvertDocument(
        organisation="Home Office",
        reference="283922",
        title="Software Developer",
        grade="Senior Executive Officer",
        pay_zones=(PayZone("National", 39000, 42900), PayZone("London", 43000, 47300)),
        closes_at=datetime(2026, 11, 15, 23, 55, tzinfo=UTC),
        locations=("Glasgow", "Croydon"),
        posts=2,
        responsibilities="Build services.\nReview code.",
        criteria=(
            AdvertCriterionView("EXP1", "Building web services", "EXP", True, lead=True),
            AdvertCriterionView(
                "PROG",
                "Programming/software development",
                "TEC",
                True,
                level=4,
                level_label="Level 4 (Enable)",
                indicators=("Writes clear code",),
            ),
        ),
        stages=(
            StageSummary(
                "Interview",
                "panel_interview",
                "video",
                date(2026, 12, 7),
                date(2026, 12, 11),
                ("EXP1", "PROG"),
            ),
        ),
        contact_email="jobs@example.gov.uk",
        reserve_list_months=12,
    )
    assert advert_text(doc) == EXPECTED_TEXT


EXPECTED_TEXT = """\
Home Office

SOFTWARE DEVELOPER
==================

Reference 283922
Grade: Senior Executive Officer
Status: Draft

Salary: National: £39,000 to £42,900; London: £43,000 to £47,300
Closing date: 11:55pm on Sunday 15 November 2026
Locations: Glasgow, Croydon
Number of posts: 2

ABOUT THE JOB
=============

Your responsibilities
---------------------

- Build services.
- Review code.

PERSON SPECIFICATION
====================

Experience
----------

- Essential: Building web services (lead criterion)

Technical
---------

- Essential: Programming/software development (PROG), Level 4 (Enable)

TECHNICAL SKILLS
================

Programming/software development (PROG), Level 4 (Enable)
---------------------------------------------------------

- Writes clear code

HOW YOU WILL BE ASSESSED
========================

- Interview (Video): Mon 7 Dec to Fri 11 Dec 2026. Assesses: Building web
  services; Programming/software development (PROG).

THINGS YOU NEED TO KNOW
=======================

{unwritten}Reserve list
------------

A reserve list will be kept for 12 months.

CONTACT
=======

E-mail: jobs@example.gov.uk
""".format(
    # Every standard section is there: not written yet, it says whom to ask.
    unwritten="".join(
        f"{heading}\n{'-' * len(heading)}\n\nThis section is still being written; until it "
        "is, please ask the recruitment\nteam at jobs@example.gov.uk.\n\n"
        for _key, heading in STANDARD_SECTIONS
    )
)


def test_plain_text_wraps_at_80_columns() -> None:
    text = advert_text(hostile_advert())
    assert text.endswith("\n")
    long_word = "https://example.gov.uk/" + "a-very-long-path-segment" * 12
    for line in text.splitlines():
        assert len(line) <= 80 or line.strip() == long_word, line
    assert "Siân O'Brien" in text


@pytest.mark.parametrize("fmt", ["pdf", "html", "txt"])
def test_write_advert_in_each_format(tmp_path: Path, fmt: str) -> None:
    path = write_advert(full_advert(), tmp_path / "out" / f"advert.{fmt}", fmt, THEME)
    data = path.read_bytes()
    assert data.startswith({"pdf": b"%PDF", "html": b"<!DOCTYPE html>", "txt": b"Home Office"}[fmt])
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_write_advert_refuses_unknown_formats(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="docx"):
        write_advert(full_advert(), tmp_path / "advert.docx", "docx", THEME)
    assert list(tmp_path.iterdir()) == []


# --- styles --------------------------------------------------------------------------


def test_escape_keeps_accents_and_emoji() -> None:
    assert escape('O\'Brien & <Sons> "Ltd" Siân 😀') == (
        "O&#39;Brien &amp; &lt;Sons&gt; &quot;Ltd&quot; Siân 😀"
    )


def test_text_blocks() -> None:
    assert text_blocks("One\ntwo\n\n- a\n  more\n* b\n• c\nAfter") == [
        ("paragraph", ("One", "two")),
        ("bullets", ("a more", "b", "c")),
        ("paragraph", ("After",)),
    ]


def test_theme_colours() -> None:
    assert Theme(primary="#ABC").primary == "#aabbcc"
    with pytest.raises(ValueError, match="colour"):
        Theme(primary="red; background: url(x)")
    assert contrast_ratio(readable_on_white("#ffdd00"), "#ffffff") >= 4.5
    assert readable_on_white("#1d70b8") == "#1d70b8"


def _page_of(reader: PdfReader, text: str) -> int:
    return next(i for i, page in enumerate(reader.pages) if text in flat(page.extract_text() or ""))


def test_a_heading_moves_with_the_paragraph_after_it(tmp_path: Path) -> None:
    from reportlab.platypus import Paragraph, Spacer

    from exports.styles import FRAME_HEIGHT, build_pdf, make_styles

    styles = make_styles()
    # Room for the heading at the foot of page 1, but not for two lines after it.
    story = [
        Spacer(1, FRAME_HEIGHT - 60),
        Paragraph("Stranded heading", styles.h1),
        Paragraph("The paragraph after it. " * 12, styles.body),
    ]
    reader = PdfReader(build_pdf(tmp_path / "keep.pdf", story, THEME, title="Keep"))
    assert _page_of(reader, "Stranded heading") == 1
    assert _page_of(reader, "The paragraph after it.") == 1


def test_a_heading_before_a_long_table_stays_where_the_table_starts(tmp_path: Path) -> None:
    from reportlab.platypus import Paragraph, Spacer

    from exports.styles import FRAME_HEIGHT, build_pdf, make_styles, table

    styles = make_styles()
    rows = [["Name", "Note"], *([f"Row {n}", "Some text"] for n in range(1, 81))]
    story = [
        Spacer(1, FRAME_HEIGHT - 200),
        Paragraph("Table heading", styles.h1),
        table(rows, (0.5, 0.5), styles=styles),
    ]
    reader = PdfReader(build_pdf(tmp_path / "table.pdf", story, THEME, title="Table"))
    # A whole-group page break would leave most of page 1 empty.
    assert _page_of(reader, "Table heading") == 0
    assert _page_of(reader, "Row 1 Some text") == 0
    assert len(reader.pages) > 2
    for page in reader.pages[1:]:
        assert "Name Note" in flat(page.extract_text() or "")


def test_outline_nests_h2_under_h1_and_tolerates_a_leading_h2(tmp_path: Path) -> None:
    from reportlab.platypus import Paragraph

    from exports.styles import build_pdf, make_styles

    styles = make_styles()
    story = [
        Paragraph("Before any section", styles.h2),
        Paragraph(escape("Section & <one>"), styles.h1),
        Paragraph("Part 1", styles.h2),
        Paragraph("Not in the outline", styles.h3),
    ]
    reader = PdfReader(build_pdf(tmp_path / "o.pdf", story, THEME, title="Outline"))
    assert outline_titles(reader) == [
        (0, "Before any section"),
        (0, "Section & <one>"),
        (1, "Part 1"),
    ]


def test_logo_is_drawn_and_a_broken_one_is_left_out(tmp_path: Path) -> None:
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 80), (29, 112, 184)).save(logo)
    with_logo = render_advert_pdf(full_advert(), tmp_path / "a.pdf", Theme(logo_path=logo))
    images = PdfReader(with_logo).pages[0].images
    assert len(images) == 1
    assert 'src="data:image/png;base64,' in advert_html(full_advert(), Theme(logo_path=logo))

    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a picture")
    path = render_advert_pdf(full_advert(), tmp_path / "b.pdf", Theme(logo_path=broken))
    assert len(PdfReader(path).pages[0].images) == 0


# --- atomic files --------------------------------------------------------------------


def test_atomic_output_leaves_nothing_when_it_fails(tmp_path: Path) -> None:
    target = tmp_path / "new" / "advert.pdf"
    with pytest.raises(RuntimeError), atomic_output(target) as handle:
        handle.write(b"half a file")
        raise RuntimeError("boom")
    assert list(target.parent.iterdir()) == []


def test_atomic_output_keeps_the_old_file_when_it_fails(tmp_path: Path) -> None:
    target = tmp_path / "advert.txt"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_output(target) as handle:
        handle.write(b"new")
        raise RuntimeError("boom")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["advert.txt"]


def test_failed_pdf_does_not_clobber_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportlab.platypus import Flowable, Paragraph

    import exports.advert

    class Broken(Flowable):
        def wrap(self, aW: float, aH: float) -> tuple[float, float]:  # noqa: N803
            return 10, 10

        def draw(self) -> None:
            raise RuntimeError("the renderer failed half way")

    def broken_story(doc: AdvertDocument, styles: Styles) -> list[Flowable]:
        return [Paragraph("Start", styles.body), Broken()]

    monkeypatch.setattr(exports.advert, "advert_flowables", broken_story)
    target = tmp_path / "advert.pdf"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="half way"):
        render_advert_pdf(full_advert(), target, THEME)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["advert.pdf"]


def test_write_text_atomic(tmp_path: Path) -> None:
    path = write_text_atomic(tmp_path / "a" / "b.txt", "Zoë\n")
    assert path.read_bytes() == "Zoë\n".encode()
    write_text_atomic(path, "Siân\n")
    assert path.read_text(encoding="utf-8") == "Siân\n"
    assert [p.name for p in path.parent.iterdir()] == ["b.txt"]
