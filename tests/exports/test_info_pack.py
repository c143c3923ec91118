"""The candidate information pack renderer, from hand-built read models.

Content (every section, date and criterion), furniture (page X of Y, outline, metadata,
contents), hostile text kept exactly, long tables split with their headers, empty sections
left out, annexes for several posts, and cancelling without leaving a file.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from exports.info_pack import (
    annex_heading,
    criterion_name,
    info_pack_flowables,
    render_info_pack,
    section_headings,
)
from exports.styles import Theme, make_styles
from recruit_app.domain.dates import long_date
from recruit_app.readmodels import (
    REQUIRED_PACK_SECTIONS,
    STANDARD_SECTIONS,
    InfoPackCriterion,
    InfoPackDocument,
    PackDate,
    PackPost,
    PackStage,
    PayZone,
)

THEME = Theme(organisation="Home Office")
HOSTILE = 'O\'Brien & Sons <b>Ltd</b> "quoted" Siân Zoë Łukasz 😀'

CRITERIA = (
    InfoPackCriterion(
        "EXP1",
        "Building web services in a modern language",
        "EXP",
        lead=True,
        description="Tell us about services you built.",
    ),
    InfoPackCriterion("EXP2", "Working in agile teams", "EXP", essential=False),
    InfoPackCriterion(
        "BIGPIC",
        "Seeing the Big Picture",
        "BEH",
        level=3,
        level_label="Level 3",
        description="Knowing how your work fits the department's aims.",
        indicators=("Tracks trends that affect the area", "Explains the wider context"),
    ),
    InfoPackCriterion(
        "PROG",
        "Programming/software development",
        "TEC",
        level=4,
        level_label="Level 4 (Enable)",
        description="Planning, writing and testing code.",
        level_description="Designs, codes and tests complex programs.",
        indicators=("Chooses suitable languages", "Sets an example on code quality"),
    ),
    InfoPackCriterion(
        "RESIL",
        "Resilient",
        "STR",
        description="Bouncing back from setbacks.",
    ),
    InfoPackCriterion(
        "CSVT", "Civil Service Verbal Test", "ABI", description="Reading critically."
    ),
)
STAGES = (
    PackStage("CV sift", "sift", "online", date(2026, 3, 2), date(2026, 3, 6), ("EXP1", "EXP2")),
    PackStage(
        "Final interview",
        "panel_interview",
        "in_person",
        date(2026, 3, 23),
        date(2026, 3, 27),
        ("EXP1", "BIGPIC", "PROG", "RESIL"),
    ),
    PackStage("Online test", "online_test", "online", None, None, ("CSVT",)),
)
TIMETABLE = (
    PackDate("Advert opens", "opens", date(2026, 2, 11)),
    PackDate("Online information event", "event", date(2026, 2, 25)),
    PackDate("Advert closes", "closes", date(2026, 2, 26)),
    PackDate("CV sift", "stage", date(2026, 3, 2), date(2026, 3, 6)),
    PackDate("Final interview", "stage", date(2026, 3, 23), date(2026, 3, 27)),
    PackDate("Decisions", "decision", date(2026, 4, 3)),
    PackDate("Expected start date", "start", date(2026, 4, 27)),
    PackDate("Online test", "stage", None),
)
WELCOME = (
    "Thank you for your interest in this role.\n\n"
    "Our developers build the services the public relies on.\n\n"
    "I look forward to reading your application."
)
FULL_HEADINGS = (
    "Welcome",
    "About the organisation",
    "About the role",
    "Person specification",
    "Behaviours",
    "Technical skills",
    "Strengths",
    "How you will be assessed",
    "Vacancy timetable",
    "How to apply",
    "Benefits",
    "Terms and conditions",
    *(heading for _key, heading in STANDARD_SECTIONS),
    "Contact",
)
# The sections a pack always has: written, or saying whom to ask.
NEEDED = tuple(h for _k, h in REQUIRED_PACK_SECTIONS) + tuple(h for _k, h in STANDARD_SECTIONS)


def full_pack(**changes: object) -> InfoPackDocument:
    doc = InfoPackDocument(
        organisation="Home Office",
        reference="283922",
        title="Software Developer",
        grade="Senior Executive Officer",
        pay_zones=(PayZone("National", 39000, 42900), PayZone("London", 43000, 47300)),
        allowance="An allowance of up to £8,300 may be paid.",
        contract_type="Permanent",
        business_area="Digital, Data and Technology",
        working_patterns=("Full-time", "Part-time"),
        number_of_posts=2,
        locations=("Croydon", "Sheffield"),
        summary="Join our software engineering community.",
        job_description="You will build and look after services used by millions.",
        responsibilities="Build services\nReview code",
        person_specification="We want developers who enjoy hard problems.",
        qualifications="No formal qualification is required.",
        benefits="A Civil Service pension\n25 days' annual leave",
        selection_process="Sift: an anonymised CV.\nInterview: a panel.",
        opens_at=datetime(2026, 2, 11, 9, 0, tzinfo=UTC),
        closes_at=datetime(2026, 2, 26, 23, 55, tzinfo=UTC),
        contact_name="Priya Raman",
        contact_email="priya.raman@example.gov.uk",
        team_email="recruitment.team@example.gov.uk",
        security_clearance="Security Check (SC)",
        nationality_statement="UK nationals may apply.",
        guaranteed_interview_statement="We run the Disability Confident scheme.",
        hiring_manager="Tom Okonkwo",
        welcome_letter=WELCOME,
        about_organisation="We design, build and run digital services.",
        how_to_apply="- Apply online with a CV.\n- Write a statement of up to 750 words.",
        terms_and_conditions="Appointments are permanent, subject to checks.",
        hearing_back="We aim to tell you each outcome within ten working days.",
        feedback_statement="Interviewed candidates get written feedback.",
        adjustments_statement="Ask the team for adjustments before the closing date.",
        redeployment_statement="At-risk civil servants meeting the minimum criteria qualify.",
        expenses="We do not pay travel expenses.",
        security_statement="We check your identity and right to work.",
        recruitment_principles="We appoint on merit through fair and open competition.",
        complaints="Complain to us first, then to the Civil Service Commission.",
        criteria=CRITERIA,
        stages=STAGES,
        timetable=TIMETABLE,
    )
    return replace(doc, **changes)  # type: ignore[arg-type]


def two_posts(**changes: object) -> InfoPackDocument:
    posts = (
        PackPost(
            "A",
            "Senior Developer",
            "Senior Executive Officer",
            2,
            ("Croydon",),
            "Lead the visa service's back end.",
            "Design APIs\nMentor developers",
            ("EXP1", "PROG"),
        ),
        PackPost(
            "B",
            "Developer",
            "Higher Executive Officer",
            1,
            ("Sheffield", "Glasgow"),
            "Build the border systems.",
            "Write code\nTest code",
            ("EXP2", "BIGPIC", "RESIL"),
        ),
    )
    return full_pack(posts=posts, number_of_posts=3, **changes)


# --- helpers -------------------------------------------------------------------------


def flat(text: str) -> str:
    """Whitespace collapsed, so that words wrapped onto a new line still match."""
    return re.sub(r"\s+", " ", text).strip()


def page_texts(path: Path) -> list[str]:
    """Each page's text without its running header and footer, whitespace collapsed."""
    reader = PdfReader(path)
    total = len(reader.pages)
    pages = []
    for number, page in enumerate(reader.pages, start=1):
        text = flat(page.extract_text() or "")
        footer = f"Page {number} of {total}"
        assert footer in text, footer
        pages.append(text.split(footer, 1)[1].strip())
    return pages


def body_text(path: Path) -> str:
    return " ".join(page_texts(path))


def outline(reader: PdfReader) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title))

    walk(reader.outline, 0)
    return found


def top_level_pages(reader: PdfReader) -> dict[str, int]:
    """Outline title -> the index of the page its section starts on."""
    return {
        item.title: reader.get_destination_page_number(item)
        for item in reader.outline
        if not isinstance(item, list)
    }


def every_heading_page(reader: PdfReader) -> dict[str, int]:
    """Outline title (at any depth) -> the index of the page it points at."""
    found: dict[str, int] = {}

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found[item.title] = reader.get_destination_page_number(item)

    walk(reader.outline)
    return found


def in_order(text: str, parts: tuple[str, ...] | list[str]) -> bool:
    position = 0
    for part in parts:
        found = text.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


def render(doc: InfoPackDocument, path: Path, theme: Theme = THEME) -> Path:
    return render_info_pack(doc, path, theme)


@pytest.fixture(scope="module")
def full_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(full_pack(), tmp_path_factory.mktemp("pack") / "full.pdf")


@pytest.fixture(scope="module")
def posts_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(two_posts(), tmp_path_factory.mktemp("pack") / "posts.pdf")


# --- a single-post pack --------------------------------------------------------------


def test_every_section_is_there_in_order(full_pdf: Path) -> None:
    assert section_headings(full_pack()) == FULL_HEADINGS
    reader = PdfReader(full_pdf)
    assert [title for depth, title in outline(reader) if depth == 0] == list(FULL_HEADINGS)
    pages = page_texts(full_pdf)
    # The contents (two pages now) list every section, then the sections follow in order.
    first = top_level_pages(reader)["Welcome"]
    assert in_order(" ".join(pages[:first]), ["Contents", *FULL_HEADINGS])
    assert in_order(" ".join(pages[first:]), FULL_HEADINGS)
    assert not any(title.startswith("Annex") for _depth, title in outline(reader))


def test_contents_give_each_section_its_page(full_pdf: Path) -> None:
    reader = PdfReader(full_pdf)
    pages = top_level_pages(reader)
    cover = " ".join(page_texts(full_pdf)[: pages["Welcome"]])
    for title, index in pages.items():
        assert f"{title} {index + 1}" in cover


def test_cover_has_the_organisation_title_and_key_facts(full_pdf: Path) -> None:
    cover = page_texts(full_pdf)[0]
    assert in_order(
        cover,
        [
            "Home Office",
            "Software Developer",
            "Candidate information pack",
            "Closing date 11:55pm on Thursday 26 February 2026",
            "Reference 283922",
            "Grade Senior Executive Officer",
            "Salary National: £39,000 to £42,900 London: £43,000 to £47,300",
            "Locations Croydon, Sheffield",
            "Number of posts 2",
        ],
    )


def test_welcome_letter_is_signed_by_the_hiring_manager(full_pdf: Path) -> None:
    text = body_text(full_pdf)
    paragraphs = [flat(p) for p in WELCOME.split("\n\n")]
    assert in_order(text, ["Welcome", *paragraphs, "Tom Okonkwo", "Hiring manager"])


def test_every_criterion_is_described(full_pdf: Path) -> None:
    text = body_text(full_pdf)
    for criterion in CRITERIA:
        assert criterion_name(criterion) in text
    assert "Building web services in a modern language (lead criterion)" in text
    # Behaviours and skills come with the indicators for their level.
    assert in_order(
        text,
        [
            "Seeing the Big Picture, Level 3",
            "Knowing how your work fits",
            "Tracks trends that affect the area",
            "Explains the wider context",
            "Programming/software development (PROG), Level 4 (Enable)",
            "Planning, writing and testing code.",
            "Designs, codes and tests complex programs.",
            "Chooses suitable languages",
        ],
    )
    # Experience and ability are explained in the person specification's table.
    assert "Tell us about services you built." in text
    assert "Reading critically." in text


def test_assessment_matrix_ticks_each_stage_that_assesses_a_criterion(full_pdf: Path) -> None:
    text = body_text(full_pdf)
    assert in_order(text, ["What each stage assesses", "Criterion CV sift Final interview"])
    matrix = text.split("What each stage assesses", 1)[1]
    assert "Building web services in a modern language ✓ ✓" in matrix
    assert "Working in agile teams ✓" in matrix
    assert "Civil Service Verbal Test ✓" in matrix
    # The person specification says where each criterion is assessed, too.
    assert "Seeing the Big Picture, Level 3 Essential Final interview" in text


def test_every_date_of_the_timetable_is_printed(full_pdf: Path) -> None:
    text = body_text(full_pdf)
    timetable = text.split("Vacancy timetable", 2)[2]  # after the contents and the heading
    for entry in TIMETABLE:
        for day in (entry.starts_on, entry.ends_on):
            if day is not None:
                assert long_date(day) in timetable, day
    assert in_order(
        timetable,
        [
            "Advert opens 9am on Wednesday 11 February 2026",
            "Online information event Wednesday 25 February 2026",
            "Advert closes 11:55pm on Thursday 26 February 2026",
            "CV sift Monday 2 March 2026 to Friday 6 March 2026",
            "Final decisions Friday 3 April 2026",
            "Expected start date Monday 27 April 2026",
            "Online test To be confirmed",
        ],
    )


def test_page_numbers_outline_and_metadata(full_pdf: Path) -> None:
    reader = PdfReader(full_pdf)
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {total}" in (page.extract_text() or "")
    assert (1, "Job description") in outline(reader)
    assert (1, "Programming/software development (PROG), Level 4 (Enable)") in outline(reader)
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Software Developer: candidate information pack"
    assert meta.author == "Home Office"
    assert meta.subject == "Candidate information pack, reference 283922"


def test_fonts_are_embedded_and_contacts_are_links(full_pdf: Path) -> None:
    reader = PdfReader(full_pdf)
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            assert "DejaVuSans" in str(font["/BaseFont"])
            assert "/FontFile2" in font["/FontDescriptor"].get_object()
    annotations = [a.get_object() for page in reader.pages for a in page.get("/Annots") or []]
    links = [a["/A"]["/URI"] for a in annotations if "/A" in a]
    # Each line of the contents links to its section twice: the words and the page number.
    inside = [a for a in annotations if "/Dest" in a]
    assert len(inside) == 2 * len(FULL_HEADINGS)
    assert links == [
        "mailto:priya.raman@example.gov.uk",
        "mailto:recruitment.team@example.gov.uk",
    ]


# --- several posts -------------------------------------------------------------------


def test_several_posts_get_one_annex_each_with_their_own_criteria(posts_pdf: Path) -> None:
    doc = two_posts()
    reader = PdfReader(posts_pdf)
    starts = top_level_pages(reader)
    first, second = annex_heading(doc.posts[0]), annex_heading(doc.posts[1])
    assert first == "Annex A – Senior Developer" and second == "Annex B – Developer"
    headings = section_headings(doc)
    assert headings[-2:] == (first, second)
    # The common sections come first; the criteria are described in the annexes only.
    assert "The roles" in headings and "How you will be assessed" in headings
    for only_single in ("About the role", "Person specification", "Behaviours"):
        assert only_single not in headings
    pages = page_texts(posts_pdf)
    annex_a = " ".join(pages[starts[first] : starts[second]])
    annex_b = " ".join(pages[starts[second] :])
    assert annex_a.startswith(first) and annex_b.startswith(second)
    names = {c.code: criterion_name(c) for c in CRITERIA}
    for code in ("EXP1", "PROG"):
        assert names[code] in annex_a and names[code] not in annex_b
    for code in ("EXP2", "BIGPIC", "RESIL"):
        assert names[code] in annex_b and names[code] not in annex_a
    assert in_order(
        annex_a,
        [
            "The role",
            "Grade Senior Executive Officer",
            "Salary National: £39,000 to £42,900",
            "Number of posts 2",
            "Location Croydon",
            "Job description Lead the visa service's back end.",
            "Responsibilities • Design APIs • Mentor developers",
            "Person specification",
            "Technical skills",
            "At this level, someone with this skill: • Chooses suitable languages",
        ],
    )
    # Pay is the advert's grade's: a post at another grade says nothing of it.
    assert "Salary" not in annex_b
    assert in_order(annex_b, ["Behaviours", "Tracks trends", "Strengths", "Resilient"])
    outline_titles = outline(reader)
    assert (0, first) in outline_titles and (0, second) in outline_titles
    assert outline_titles[outline_titles.index((0, second)) + 1] == (1, "The role")


def test_roles_are_listed_before_the_annexes(posts_pdf: Path) -> None:
    text = body_text(posts_pdf)
    assert in_order(
        text,
        [
            "The roles",
            "Join our software engineering community.",
            "Annex Role Grade Posts Locations",
            "A Senior Developer Senior Executive Officer 2 Croydon",
            "B Developer Higher Executive Officer 1 Sheffield, Glasgow",
            "What we look for",
            "Qualifications",
        ],
    )
    cover = page_texts(posts_pdf)[0]
    assert "Roles Annex A – Senior Developer Annex B – Developer" in cover
    assert "Number of posts 3" in cover


# --- hostile text --------------------------------------------------------------------


def hostile_pack() -> InfoPackDocument:
    criteria = tuple(replace(c, title=f"{c.title} <{c.code}> & “{HOSTILE}”") for c in CRITERIA[:4])
    post = PackPost(
        "A",
        f"Post {HOSTILE}",
        "Grade <7> & up",
        1,
        (f"Town {HOSTILE}",),
        f"Job {HOSTILE}",
        f"- Duty {HOSTILE}",
        ("EXP1", "PROG"),
    )
    return full_pack(
        organisation=HOSTILE,
        title=f"Title {HOSTILE}",
        welcome_letter=f"Dear candidate,\n\nWelcome {HOSTILE}.",
        hiring_manager=f"Manager {HOSTILE}",
        about_organisation=f"About {HOSTILE}\x00\x07 done",
        contact_name=f"Contact {HOSTILE}",
        criteria=criteria,
        stages=(replace(STAGES[1], name=f"Stage {HOSTILE}"),),
        timetable=(PackDate(f"Event {HOSTILE}", "event", date(2026, 5, 1)),),
        posts=(post, replace(post, annex="B", title="Second & <last>", criteria=())),
    )


def test_hostile_text_is_printed_exactly(tmp_path: Path) -> None:
    doc = hostile_pack()
    path = render(doc, tmp_path / "hostile.pdf", Theme())
    reader = PdfReader(path)
    text = body_text(path)
    for expected in (
        f"Title {HOSTILE}",
        f"Welcome {HOSTILE}.",
        f"Manager {HOSTILE}",
        f"About {HOSTILE} done",
        f"Contact {HOSTILE}",
        f"Stage {HOSTILE}",
        f"Event {HOSTILE} Friday 1 May 2026",
        f"Annex A – Post {HOSTILE}",
        "Annex B – Second & <last>",
        "Grade Grade <7> & up",
        f"Location Town {HOSTILE}",
        f"Job {HOSTILE}",
        f"Duty {HOSTILE}",
    ):
        assert expected in text, expected
    for criterion in doc.criteria:
        assert flat(criterion_name(criterion)) in text
    titles = [title for _depth, title in outline(reader)]
    assert f"Annex A – Post {HOSTILE}" in titles
    assert "Annex B – Second & <last>" in titles
    meta = reader.metadata
    assert meta is not None
    assert meta.title == f"Title {HOSTILE}: candidate information pack"
    assert meta.author == HOSTILE
    # The running header carries the organisation, shortened if it must be, never broken.
    assert all((page.extract_text() or "").startswith("O'Brien & Sons") for page in reader.pages)


# --- long content --------------------------------------------------------------------


def long_pack() -> InfoPackDocument:
    criteria = tuple(
        InfoPackCriterion(
            f"EXP{n}",
            f"Experience number {n} of building and running services at scale",
            "EXP",
            essential=n % 3 != 0,
            description="Examples from the last three years." if n % 2 else "",
        )
        for n in range(1, 61)
    )
    stages = tuple(
        PackStage(
            f"Stage {s}",
            "custom",
            "online",
            date(2026, 3, s),
            date(2026, 3, s + 1),
            tuple(f"EXP{n}" for n in range(1, 61) if n % 6 == s % 6),
        )
        for s in range(1, 7)
    )
    events = tuple(
        PackDate(f"Information session {n}", "event", date(2026, 1, 1 + n % 28)) for n in range(40)
    )
    return full_pack(criteria=criteria, stages=stages, timetable=events)


def test_long_tables_split_with_their_headers_repeated(tmp_path: Path) -> None:
    doc = long_pack()
    path = render(doc, tmp_path / "long.pdf")
    reader = PdfReader(path)
    pages = page_texts(path)
    starts = top_level_pages(reader)

    def spanned(section: str, following: str) -> list[str]:
        return pages[starts[section] : starts[following] + 1]

    spec = spanned("Person specification", "How you will be assessed")
    assert len(spec) >= 3
    for page in spec[1:-1]:
        assert page.startswith("Criterion Essential or desirable Assessed at")
    matrix = every_heading_page(reader)["What each stage assesses"]
    ticked = [
        index for index in range(matrix + 1, starts["Vacancy timetable"] + 1) if "✓" in pages[index]
    ]
    assert ticked
    for index in ticked:
        assert pages[index].startswith(
            "Criterion Stage 1 Stage 2 Stage 3 Stage 4 Stage 5 Stage 6"
        ), index
    timetable = [
        i
        for i in range(starts["Vacancy timetable"] + 1, len(pages))
        if "Information session" in pages[i]
    ]
    for index in timetable:
        assert pages[index].startswith("What happens When")
    text = " ".join(pages)
    for criterion in doc.criteria:
        assert criterion.title in text
    for event in doc.timetable:
        assert f"{event.label} {long_date(event.starts_on)}" in text  # type: ignore[arg-type]


def test_text_stays_inside_the_margins(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from exports.styles import register_fonts

    register_fonts()
    faces = {
        "DejaVuSans": "RecruitSans",
        "DejaVuSans-Bold": "RecruitSans-Bold",
        "DejaVuSans-Oblique": "RecruitSans-Italic",
        "DejaVuSans-BoldOblique": "RecruitSans-BoldItalic",
    }
    left, right = 20 * mm - 0.5, float(A4[0]) - 20 * mm + 0.5
    long_title = "Head of " + "Organisation Design and Development " * 8
    doc = replace(
        long_pack(),
        title=long_title,
        posts=(PackPost("A", long_title, "G6", 1, ("A" * 150,), "x", "y", ()),),
    )
    path = render(doc, tmp_path / "margins.pdf")
    for page in PdfReader(path).pages:
        spans: list[tuple[float, float, str]] = []

        def visit(text: str, cm: list, tm: list, font: dict | None, size: float) -> None:
            if not text.strip() or font is None:
                return
            face = faces[str(font["/BaseFont"]).split("+", 1)[-1]]
            scale = tm[0] * cm[0]
            start = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            line = text.rstrip()
            squeeze = 0.05 * line.count(" ") * stringWidth(" ", face, size)
            width = (stringWidth(line, face, size) - squeeze) * scale
            spans.append((start, start + width, text))  # noqa: B023 - used at once

        page.extract_text(visitor_text=visit)
        assert spans
        for start, end, text in spans:
            assert left <= start and end <= right, (start, end, text)


# --- empty sections ------------------------------------------------------------------

OPTIONAL = (
    ("welcome_letter", "Welcome"),
    ("benefits", "Benefits"),
)


def bare_pack(**changes: object) -> InfoPackDocument:
    return replace(InfoPackDocument(organisation="", reference="R1", title="Bare"), **changes)  # type: ignore[arg-type]


def test_a_bare_pack_never_drops_a_section_it_needs(tmp_path: Path) -> None:
    doc = bare_pack(team_email="jobs@example.gov.uk")
    assert section_headings(doc) == (*NEEDED, "Contact")
    assert doc.unwritten == NEEDED
    path = render(doc, tmp_path / "bare.pdf", Theme())
    reader = PdfReader(path)
    assert [title for _depth, title in outline(reader)] == [*NEEDED, "Contact"]
    text = body_text(path)
    assert in_order(text, ["Bare", "Candidate information pack", "Reference R1", "Contents"])
    ask = (
        "This section is still being written; until it is, please ask the recruitment team "
        "at jobs@example.gov.uk."
    )
    assert text.count(ask) == len(NEEDED)
    for _field, heading in OPTIONAL:
        assert heading not in text


@pytest.mark.parametrize(("field", "heading"), [*REQUIRED_PACK_SECTIONS, *STANDARD_SECTIONS])
def test_each_needed_section_is_printed_even_when_empty(
    field: str, heading: str, tmp_path: Path
) -> None:
    path = render(full_pack(**{field: "", "security_clearance": ""}), tmp_path / "gap.pdf")
    titles = [title for depth, title in outline(PdfReader(path)) if depth == 0]
    assert titles == list(FULL_HEADINGS)
    text = body_text(path)
    after = text[text.rindex(heading) :]
    assert (
        after.split(heading, 1)[1]
        .lstrip()
        .startswith(
            "This section is still being written; until it is, please ask the recruitment team "
            "at recruitment.team@example.gov.uk."
        )
    )
    assert full_pack(**{field: "", "security_clearance": ""}).unwritten == (heading,)


@pytest.mark.parametrize(("field", "heading"), OPTIONAL)
def test_each_text_section_shows_only_when_it_has_words(
    field: str, heading: str, tmp_path: Path
) -> None:
    assert heading in section_headings(bare_pack(**{field: "Some words."}))
    assert section_headings(bare_pack(**{field: " \n\n "})) == NEEDED
    path = render(full_pack(**{field: ""}), tmp_path / "gap.pdf")
    titles = [title for _depth, title in outline(PdfReader(path))]
    assert heading not in titles
    assert heading not in body_text(path)


def test_parts_of_sections_are_left_out_when_empty() -> None:
    doc = full_pack(
        hiring_manager="",
        security_clearance="",
        nationality_statement="",
        guaranteed_interview_statement="",
        contact_name="",
        contact_email="",
        team_email="",
        stages=(),
        timetable=(),
        criteria=CRITERIA[:2],
    )
    headings = section_headings(doc)
    for gone in (
        "Things you need to know",
        "Contact",
        "Vacancy timetable",
        "Behaviours",
        "Technical skills",
        "Strengths",
    ):
        assert gone not in headings
    assert "How you will be assessed" in headings  # the selection process text remains
    flowables = info_pack_flowables(doc, make_styles(THEME))
    words = " ".join(getattr(f, "getPlainText", lambda: "")() for f in flowables)
    assert "Hiring manager" not in words
    assert "What each stage assesses" not in words


# --- progress and cancelling ---------------------------------------------------------


def test_progress_is_reported_and_a_cancel_leaves_no_file(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    path = render_info_pack(
        full_pack(), tmp_path / "done.pdf", THEME, on_part=lambda d, t: calls.append((d, t))
    )
    assert path.is_file()
    total = len(FULL_HEADINGS)
    assert calls[0] == (0, total) and (total, total) in calls

    class Stop(Exception):
        pass

    def stop(done: int, _total: int) -> None:
        if done == 5:
            raise Stop

    target = tmp_path / "cancelled.pdf"
    with pytest.raises(Stop):
        render_info_pack(full_pack(), target, THEME, on_part=stop)
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["done.pdf"]
