"""Panel pack renderer: sections, outline, score sheets, hostile text, layout, cancel."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from exports.panel_pack import (
    BOX_MAX,
    BOX_MIN_INTERVIEW,
    BOX_MIN_PAPER,
    DECLARATION_NONE,
    NAME_BLIND_NOTICE,
    _CriterionBlock,
    panel_pack_flowables,
    render_panel_pack,
)
from exports.styles import FRAME_HEIGHT, Theme, make_styles
from recruit_app.domain.stage_rules import SCALES
from recruit_app.errors import Cancelled
from recruit_app.readmodels import (
    PackCandidate,
    PackMember,
    PackSlot,
    PanelPackCriterion,
    PanelPackDocument,
)

THEME = Theme(organisation="Home Office")
CHAIR = PackMember("Tom Okonkwo", "chair", 1)
MEMBER = PackMember("Hannah Lee", "member", 1)
INDEPENDENT = PackMember("Marek Kowalski", "independent", 1)
PANEL = (CHAIR, MEMBER, INDEPENDENT)
HOSTILE_MEMBER = PackMember("Zoë <i>O'Hara</i> & Co 😀", "member", 1)


def criterion(code: str, title: str, **kw: object) -> PanelPackCriterion:
    values: dict[str, object] = {
        "code": code,
        "title": title,
        "element": "TEC",
        "element_name": "Technical",
        "essential": True,
        "lead": False,
        "level": 4,
        "level_label": "Level 4 (Enable)",
        "level_description": f"What {title.lower()} looks like at this level.",
        "pass_mark": 4,
        "weight": 1.0,
        "indicators": (f"{title}: the first sign.", f"{title}: the second sign."),
        "negative_indicators": (),
        "description": "",
    }
    values.update(kw)
    return PanelPackCriterion(**values)  # type: ignore[arg-type]


CRITERIA = (
    criterion("PROG", "Programming/software development"),
    criterion("TEST", "Testing", negative_indicators=("Tests only by hand.",)),
    criterion(
        "EXP1",
        "Back-end development in a modern web language",
        element="EXP",
        element_name="Experience",
        level=None,
        level_label="",
        level_description="",
        indicators=(),
        description="Years of work & <real> projects.\n\n- Shipped to production",
        lead=True,
    ),
)


def slot(day: int, starts: str, ends: str, number: str = "", label: str = "") -> PackSlot:
    return PackSlot(
        day=date(2026, 12, day),
        starts=starts,
        ends=ends,
        panel_number=1,
        where="https://meet.example.org/283922",
        candidate_number=number,
        candidate_label=label,
        members=PANEL,
    )


def person(
    number: str, first: str, last: str, *, blind: bool = False, **kw: object
) -> PackCandidate:
    name = "" if blind else f"{first} {last}"
    values: dict[str, object] = {
        "number": number,
        "name": name,
        "label": f"Candidate {number}" if blind else f"{number} {name}",
        "slot": None,
        "adjustments": False,
        "extra_minutes": 0,
        "conflicts": (),
        "members": PANEL,
    }
    values.update(kw)
    return PackCandidate(**values)  # type: ignore[arg-type]


def document(**kw: object) -> PanelPackDocument:
    values: dict[str, object] = {
        "organisation": "Home Office",
        "campaign_reference": "283922",
        "campaign_title": "Software Developer",
        "stage_name": "Video interview",
        "stage_kind": "video_interview",
        "mode": "Video",
        "starts_on": date(2026, 12, 7),
        "ends_on": date(2026, 12, 11),
        "location": "",
        "video_link": "https://meet.example.org/283922",
        "name_blind": False,
        "interview": True,
        "shows_adjustments": True,
        "scale": SCALES["sp7"],
        "pass_mark_total": None,
        "members": PANEL,
        "criteria": CRITERIA,
        "slots": (),
        "candidates": (),
    }
    values.update(kw)
    return PanelPackDocument(**values)  # type: ignore[arg-type]


def interview_doc() -> PanelPackDocument:
    first = slot(7, "09:30", "10:30", "0001", "0001 Siân Evans")
    second = slot(7, "10:45", "11:45", "0003", "0003 Łukasz Nowak")
    return document(
        slots=(first, second, slot(8, "09:30", "10:30")),
        candidates=(
            person("0001", "Siân", "Evans", slot=first, adjustments=True, extra_minutes=15),
            person("0003", "Łukasz", "Nowak", slot=second),
        ),
    )


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pages_of(path: Path) -> list[str]:
    return [flat(page.extract_text() or "") for page in PdfReader(path).pages]


def body(text: str) -> str:
    """A page's text without its running header and footer."""
    return re.sub(r"^.*? Page \d+ of \d+ ", "", text, count=1)


def outline_of(reader: PdfReader) -> list[tuple[int, str, int]]:
    found: list[tuple[int, str, int]] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


def sheets(path: Path) -> dict[str, str]:
    """Each candidate's score sheet text, from their outline entry to the next."""
    reader = PdfReader(path)
    texts = pages_of(path)
    entries = [(title, page) for depth, title, page in outline_of(reader) if depth == 1]
    ends = [page for _, page in entries[1:]] + [len(texts)]
    return {
        title: " ".join(body(text) for text in texts[page:end])
        for (title, page), end in zip(entries, ends, strict=True)
    }


@pytest.fixture(scope="module")
def interview_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("panel") / "interview.pdf"
    return render_panel_pack(interview_doc(), path, THEME, author="Alex Manager")


# --- the document ------------------------------------------------------------------


def test_outline_metadata_and_page_numbers(interview_pdf: Path) -> None:
    reader = PdfReader(interview_pdf)
    outline = outline_of(reader)
    assert [(depth, title) for depth, title, _ in outline] == [
        (0, "Cover"),
        (0, "Schedule"),
        (0, "Candidates"),
        (0, "Score sheets"),
        (1, "0001 Siân Evans"),
        (1, "0003 Łukasz Nowak"),
    ]
    assert [page for _, _, page in outline[:4]] == [0, 1, 2, 3]
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Panel pack: Video interview, 283922"
    assert meta.author == "Home Office"
    assert meta.subject == "Panel pack for Video interview: schedule, candidates and score sheets"
    texts = pages_of(interview_pdf)
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text
        assert text.startswith("Home Office Panel pack: Video interview, 283922")
    # A4 throughout.
    assert {tuple(round(float(v)) for v in p.mediabox[2:]) for p in reader.pages} == {(595, 842)}


def test_cover_schedule_and_candidate_list(interview_pdf: Path) -> None:
    cover, schedule, candidates = (body(text) for text in pages_of(interview_pdf)[:3])
    assert (
        "Home Office Panel pack: Video interview 283922 Software Developer "
        "Campaign 283922 Software Developer Stage Video interview "
        "Dates Monday 7 December 2026 to Friday 11 December 2026 Mode Video "
        "Video link https://meet.example.org/283922 Scoring Success Profiles scale (1 to 7) "
        "Criteria PROG, TEST, EXP1 Candidates 2 "
        "Panel Chair Tom Okonkwo Member Hannah Lee Independent member Marek Kowalski"
    ) in cover
    assert "Name-blind" not in cover
    assert "Before each interview, sign the declaration" in cover
    assert (
        "Schedule 3 slots on 2 days, 2 booked. Times are UK time. "
        "Video link https://meet.example.org/283922 Day Time Ends Candidate Panel "
        "Mon 7 Dec 09:30 10:30 0001 Siân Evans "
        "Tom Okonkwo (chair), Hannah Lee, Marek Kowalski (independent member) "
        "Mon 7 Dec 10:45 11:45 0003 Łukasz Nowak "
        "Tom Okonkwo (chair), Hannah Lee, Marek Kowalski (independent member) "
        "Tue 8 Dec 09:30 10:30 Open "
        "Tom Okonkwo (chair), Hannah Lee, Marek Kowalski (independent member)"
    ) in schedule
    assert (
        "Candidates 2 candidates reached this stage. "
        "Number Name Interview Adjustments Sheet "
        "0001 Siân Evans Mon 7 Dec, 09:30 Yes; 15 minutes extra time Page 4 "
        "0003 Łukasz Nowak Mon 7 Dec, 10:45"
    ) in candidates


def test_each_sheet_has_every_criterion_the_scale_and_the_declaration(interview_pdf: Path) -> None:
    found = sheets(interview_pdf)
    assert list(found) == ["0001 Siân Evans", "0003 Łukasz Nowak"]
    for label, text in found.items():
        assert text.startswith(f"Score sheet · Video interview {label}")
        for item in CRITERIA:
            assert f"{item.code} {item.title}" in text
        assert "Technical · Level 4 (Enable) · Essential · Pass mark 4" in text
        assert "Experience · Essential · Lead criterion · Pass mark 4" in text
        assert "What to look for • Programming/software development: the first sign." in text
        assert "Signs the level is not met • Tests only by hand." in text
        # A criterion outside the library shows the advert's own words.
        assert "Years of work & <real> projects. • Shipped to production" in text
        for point in SCALES["sp7"].points:
            assert f"{point.value} {point.label}: {point.descriptor}" in text
        for member in ("Tom Okonkwo (chair)", "Hannah Lee", "Marek Kowalski (independent member)"):
            assert text.count(f"{member} Evidence seen or heard") == len(CRITERIA)
        assert "Conflict of interest declaration" in text
        assert text.count(DECLARATION_NONE) == 3
        assert text.count("Signature Date") == 3
    assert (
        "Interview Monday 7 December 2026, 09:30 to 10:30 Adjustments Yes; 15 minutes"
        in (found["0001 Siân Evans"])
    )


def test_every_page_of_a_sheet_names_its_candidate(interview_pdf: Path) -> None:
    reader = PdfReader(interview_pdf)
    texts = pages_of(interview_pdf)
    entries = [(title, page) for depth, title, page in outline_of(reader) if depth == 1]
    ends = [page for _, page in entries[1:]] + [len(texts)]
    for (label, start), end in zip(entries, ends, strict=True):
        assert end - start >= 1 + len(CRITERIA)  # interviews: a page for each criterion
        for text in texts[start:end]:
            assert label in text


def test_a_criterion_never_parts_from_its_boxes(tmp_path: Path) -> None:
    """Every page holds whole criteria: a header with all of the panel's boxes under it."""
    many = tuple(
        criterion(f"C{n}", f"Criterion {n}", indicators=tuple(f"Sign {i}." for i in range(n % 6)))
        for n in range(9)
    )
    people = tuple(person(f"{n:04d}", "Sam", f"Applicant {n}") for n in range(1, 4))
    for interview in (True, False):
        doc = document(criteria=many, candidates=people, interview=interview)
        path = render_panel_pack(doc, tmp_path / f"blocks-{interview}.pdf", THEME)
        for text in pages_of(path)[2:]:
            headers = len(re.findall(r"Technical · Level 4 \(Enable\)", text))
            assert text.count("Evidence seen or heard") == 3 * headers


def test_boxes_leave_room_to_write_and_fill_the_page() -> None:
    doc = interview_doc()
    styles = make_styles(THEME)
    story = panel_pack_flowables(doc, styles)
    blocks = [f for f in story if isinstance(f, _CriterionBlock)]
    assert len(blocks) == 2 * len(CRITERIA)
    block = blocks[0]
    assert block.box_min == BOX_MIN_INTERVIEW >= 30 * mm
    # Room for the next criterion: boxes stay at their least.
    block.next_min = 10 * mm
    block.wrap(170 * mm, FRAME_HEIGHT)
    assert block.box_height == BOX_MIN_INTERVIEW
    # Nothing else fits on this page: the boxes share it out, up to a limit.
    block.next_min = float("inf")
    _, height = block.wrap(170 * mm, FRAME_HEIGHT)
    assert BOX_MIN_INTERVIEW < block.box_height <= BOX_MAX
    assert FRAME_HEIGHT - 3 * 1 * mm <= height <= FRAME_HEIGHT
    # Too little room left: the block goes to the next page whole.
    assert block.split(170 * mm, 100 * mm) == []
    paper = panel_pack_flowables(replace(doc, interview=False), styles)
    assert next(f for f in paper if isinstance(f, _CriterionBlock)).box_min == BOX_MIN_PAPER


# --- names and hostile text --------------------------------------------------------


def test_hostile_names_and_text_render_as_typed(tmp_path: Path) -> None:
    hostile = "O'Brien & Sons <b>"
    first = slot(7, "09:30", "10:30", "0001", f"0001 Zoë {hostile}")
    panel = (CHAIR, HOSTILE_MEMBER)
    doc = document(
        campaign_title='Developer & "Tester" <script>',
        stage_name="Interview <b>1</b> & more",
        members=panel,
        slots=(replace(first, members=panel),),
        candidates=(
            person("0001", "Zoë", hostile, slot=first, members=panel),
            person("0002", "Łukasz 😀", "Nowak", members=panel),
            person("0003", "Siân", "Evans", members=panel, conflicts=(HOSTILE_MEMBER,)),
        ),
    )
    path = render_panel_pack(doc, tmp_path / "hostile.pdf", THEME)
    whole = " ".join(pages_of(path))
    for text in (
        'Developer & "Tester" <script>',
        "Panel pack: Interview <b>1</b> & more",
        f"0001 Zoë {hostile}",
        "0002 Łukasz 😀 Nowak",
        f"{HOSTILE_MEMBER.name} Evidence seen or heard",
        f"{HOSTILE_MEMBER.name} has declared a conflict of interest with this candidate",
    ):
        assert text in whole
    titles = [title for _, title, _ in outline_of(PdfReader(path))]
    assert titles[-3:] == [f"0001 Zoë {hostile}", "0002 Łukasz 😀 Nowak", "0003 Siân Evans"]
    conflicted = sheets(path)["0003 Siân Evans"]
    # The member who declared a conflict has no boxes and no declaration to sign.
    assert f"{HOSTILE_MEMBER.name} Evidence seen or heard" not in conflicted
    assert conflicted.count(DECLARATION_NONE) == 1
    assert f"Conflicts Declared by {HOSTILE_MEMBER.name}" in conflicted


def test_name_blind_pack_shows_numbers_only(tmp_path: Path) -> None:
    doc = document(
        stage_name="CV sift",
        stage_kind="sift",
        mode="Online",
        name_blind=True,
        interview=False,
        shows_adjustments=False,
        video_link="",
        candidates=tuple(person(f"{n:04d}", "", "", blind=True) for n in range(1, 4)),
    )
    path = render_panel_pack(doc, tmp_path / "blind.pdf", THEME)
    texts = pages_of(path)
    assert "Name-blind stage " + flat(NAME_BLIND_NOTICE) in texts[0]
    assert "Sign the declaration at the end of each score sheet." in texts[0]
    assert "Schedule" not in [title for _, title, _ in outline_of(PdfReader(path))]
    assert (
        "Candidates 3 candidates reached this stage; this stage is name-blind, so they are "
        "shown by candidate number only. Number Sheet 0001 Page 3 0002 Page"
    ) in texts[1]
    assert list(sheets(path)) == ["Candidate 0001", "Candidate 0002", "Candidate 0003"]
    # The declaration comes first, before any criterion is scored (at a sift too).
    sheet = sheets(path)["Candidate 0001"]
    assert sheet.index("Conflict of interest declaration") < sheet.index("EXP1")
    assert "Before scoring this candidate, each panel member ticks one box" in sheet


# --- empty sections, progress, cancel ----------------------------------------------


def test_empty_sections_are_left_out(tmp_path: Path) -> None:
    path = render_panel_pack(document(), tmp_path / "empty.pdf", THEME)
    texts = pages_of(path)
    assert len(texts) == 1
    assert "No candidates have reached this stage yet, so the pack has no score sheets." in texts[0]
    assert [title for _, title, _ in outline_of(PdfReader(path))] == ["Cover"]

    doc = replace(interview_doc(), criteria=())
    path = render_panel_pack(doc, tmp_path / "no-criteria.pdf", THEME)
    texts = pages_of(path)
    assert "Video interview assesses no criteria yet" in texts[0]
    assert [title for _, title, _ in outline_of(PdfReader(path))] == [
        "Cover",
        "Schedule",
        "Candidates",
    ]
    assert "Criteria" not in texts[0].split("Candidates")[0]

    doc = replace(
        interview_doc(), members=(), candidates=(person("0001", "Ann", "Lee", members=()),)
    )
    path = render_panel_pack(doc, tmp_path / "no-panel.pdf", THEME)
    text = " ".join(pages_of(path))
    assert "Panel No one sits on this panel yet." in text
    assert text.count("Panel member Evidence seen or heard") == len(CRITERIA)


def test_progress_runs_to_the_end_and_cancel_writes_nothing(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    path = tmp_path / "pack.pdf"
    render_panel_pack(interview_doc(), path, THEME, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (4, 4)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)

    old = path.read_bytes()
    calls = iter(range(100))
    with pytest.raises(Cancelled, match="no file was written"):
        render_panel_pack(interview_doc(), path, THEME, cancelled=lambda: next(calls) >= 2)
    assert path.read_bytes() == old  # the earlier file is untouched
    fresh = tmp_path / "never.pdf"
    with pytest.raises(Cancelled):
        render_panel_pack(interview_doc(), fresh, THEME, cancelled=lambda: True)
    assert not fresh.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["pack.pdf"]
