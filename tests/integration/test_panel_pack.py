"""Panel packs from the demo campaign on real databases: content, name-blind, access, scale."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import insert
from sqlmodel import select

from db.models import Campaign, Candidate, Person, Stage
from recruit_app.errors import NotFound, PermissionDenied
from recruit_app.library import load_json
from recruit_app.services.context import Actor
from recruit_app.services.demo import build_demo
from recruit_app.services.panel_pack import export_panel_pack, panel_pack_document

DEMO_DAY = date(2026, 11, 25)  # the sift was the week before; interviews 7 to 11 December
PANEL_TEXT = "Tom Okonkwo (chair), Hannah Lee, Marek Kowalski (independent member)"
SLOT_TIMES = (("09:30", "10:30"), ("10:45", "11:45"), ("13:30", "14:30"), ("14:45", "15:45"))
BOOKED = {
    ("Mon 7 Dec", "09:30"): "0001 Siân Evans",
    ("Mon 7 Dec", "10:45"): "0003 Łukasz Nowak",
    ("Mon 7 Dec", "13:30"): "0005 Chidi Okafor",
    ("Mon 7 Dec", "14:45"): "0009 Mohammed Al-Sayed",
    ("Tue 8 Dec", "09:30"): "0014 Mei Lin Chen",
    ("Tue 8 Dec", "10:45"): "0018 Amélie Dubois",
    ("Tue 8 Dec", "13:30"): "0023 Ravi Patel",
    ("Tue 8 Dec", "14:45"): "0028 Grace Adebayo",
}
DAYS = ("Mon 7 Dec", "Tue 8 Dec", "Wed 9 Dec", "Thu 10 Dec", "Fri 11 Dec")


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def body(text: str) -> str:
    """A page's text without its running header and footer."""
    return re.sub(r"^.*? Page \d+ of \d+ ", "", text, count=1)


def pages_of(path: Path) -> list[str]:
    return [flat(page.extract_text() or "") for page in PdfReader(path).pages]


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


@pytest.fixture
def demo(ctx):
    """The demo campaign on a fixed day, with the organisation's name; its stages by name."""
    ctx = replace(ctx, organisation="Home Office")
    build_demo(ctx, today=DEMO_DAY)
    with ctx.db.session() as session:
        stages = {s.name: s.id for s in session.exec(select(Stage))}
    return ctx, stages


def _person(ctx, name: str) -> Actor:
    with ctx.db.session() as session:
        found = session.exec(select(Person).where(Person.name == name)).one()
        return Actor(found.name, found.role, found.id)


def test_video_interview_pack(demo, tmp_path: Path) -> None:
    """Cover and schedule word for word, the candidate list, a full sheet per candidate, a
    hostile name as typed; who may export it."""
    ctx, stages = demo
    hostile = "O'Brien & Sons <b>"
    with ctx.db.session() as session:
        renamed = session.exec(select(Candidate).where(Candidate.candidate_number == "0003")).one()
        renamed.first_name, renamed.last_name = "Zoë 😀", hostile
        session.add(renamed)
        session.commit()
    booked = {**BOOKED, ("Mon 7 Dec", "10:45"): f"0003 Zoë 😀 {hostile}"}
    path = export_panel_pack(ctx, stages["Video interview"], tmp_path / "interview.pdf")
    reader = PdfReader(path)
    texts = pages_of(path)
    assert body(texts[0]) == (
        "Home Office Panel pack: Video interview 283922 Software Developer "
        "Campaign 283922 Software Developer "
        "Stage Video interview "
        "Dates Monday 7 December 2026 to Friday 11 December 2026 "
        "Mode Video "
        "Video link https://meet.example.org/283922-interviews "
        "Scoring Success Profiles scale (1 to 7); PROBLEMSOLVER on the Strengths scale (1 to 4) "
        "Criteria DATM, SWDN, PROG, TEST, SINT, ASUP, EXP1, TEAM, PACE, PROBLEMSOLVER "
        "Candidates 8 "
        "Panel Chair Tom Okonkwo Member Hannah Lee Independent member Marek Kowalski "
        "Using this pack "
        "• Score each candidate on your own, against each criterion and the scale on the "
        "score sheet, before the panel discusses them. "
        "• Write down the evidence behind each score: what you saw or heard, not impressions. "
        "The panel agrees its scores from it, and candidates may be given feedback based on it. "
        "• Each criterion shows its pass mark: a score below it does not meet the criterion. "
        "• Before each interview, sign the declaration on the first page of the candidate's "
        "score sheet. If you know a candidate, tell the chair and do not score them. "
        "• Keep this pack secure: it holds personal information. Return it to the recruiting "
        "manager when the panel has finished."
    )
    rows = [
        f"{day} {start} {end} {booked.get((day, start), 'Open')} {PANEL_TEXT}"
        for day in DAYS
        for start, end in SLOT_TIMES
    ]
    assert body(texts[1]) == (
        "Schedule 20 slots on 5 days, 8 booked. Times are UK time. "
        "Video link https://meet.example.org/283922-interviews "
        "Day Time Ends Candidate Panel " + " ".join(rows[:17])
    )
    # The table runs on to a second page with its header repeated there.
    assert body(texts[2]) == "Day Time Ends Candidate Panel " + " ".join(rows[17:])

    outline = outline_of(reader)
    labels = list(booked.values())
    assert [(depth, title) for depth, title, _ in outline] == [
        (0, "Cover"),
        (0, "Schedule"),
        (0, "Question plan"),  # the chair's brief is in the chair's copy only
        (0, "Candidates"),
        (0, "Score sheets"),
        *[(1, label) for label in labels],
    ]
    listing = body(texts[outline[3][2]])
    assert listing.startswith(
        "Candidates 8 candidates reached this stage. Number Name Interview Adjustments Sheet "
        "0001 Siân Evans Mon 7 Dec, 09:30 Yes; 15 minutes extra time Page 6 "
        f"0003 Zoë 😀 {hostile} Mon 7 Dec, 10:45 Page 22"
    )
    assert "0018 Amélie Dubois Tue 8 Dec, 10:45 Yes Page" in listing
    sheet_pages = dict(re.findall(r"(\d{4}) .*?Page (\d+)", listing))
    starts = [page for depth, _, page in outline if depth == 1]
    ends = [*starts[1:], len(texts)]
    codes = ("DATM", "SWDN", "PROG", "TEST", "SINT", "ASUP", "EXP1")
    codes += ("TEAM", "PACE", "PROBLEMSOLVER")  # the demo's behaviours and strength
    for label, start, end in zip(labels, starts, ends, strict=True):
        sheet = " ".join(body(text) for text in texts[start:end])
        assert sheet_pages[label[:4]] == str(start + 1)  # the list points at the sheet
        assert sheet.startswith(f"Score sheet · Video interview {label} Interview ")
        for code in codes:
            assert f"{code} " in sheet
        assert (
            "DATM Data management Technical · Level 4 (Enable) · Essential · Pass mark 4" in sheet
        )
        assert "• Designs data structures and storage that suit how the data is used." in sheet
        assert "1 Not demonstrated: No positive evidence" in sheet
        assert "7 Outstanding demonstration: Evidence beyond what the level expects" in sheet
        assert sheet.count("Marek Kowalski (independent member) Evidence seen or heard") == 10
        # The strength is scored on its own 1 to 4, said in its scale and under its boxes.
        assert "Scale for PROBLEMSOLVER: Strengths scale (1 to 4) Score Meaning 1 Weakness" in sheet
        assert sheet.count("1 to 4") == 4  # the scale's heading and three members' boxes
        assert sheet.count("I have no conflict of interest with this candidate.") == 3
        for text in texts[start:end]:
            assert label in text  # a loose page still says whose it is
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text
    assert reader.metadata is not None
    assert reader.metadata.title == "Panel pack: Video interview, 283922"
    assert reader.metadata.author == "Home Office"

    # Who may export: a manager, or a member of that stage's panel.
    marek = _person(ctx, "Marek Kowalski")  # on the sift and interview panels only
    assert panel_pack_document(replace(ctx, actor=marek), stages["Video interview"]).candidates
    with pytest.raises(PermissionDenied):
        export_panel_pack(
            replace(ctx, actor=marek), stages["Technical exercise"], tmp_path / "no.pdf"
        )
    assert not (tmp_path / "no.pdf").exists()
    manager = _person(ctx, "Priya Raman")
    doc = panel_pack_document(replace(ctx, actor=manager), stages["Technical exercise"])
    assert doc.candidates[0].label == "0001 Siân Evans"  # not name-blind: names for all
    with pytest.raises(NotFound):
        panel_pack_document(ctx, 999_999)


def _demo_people() -> list[dict[str, str]]:
    return load_json("demo_campaign.json")["candidates"]


def _leaks(whole: str, people: list[dict[str, str]], panel: set[str]) -> list[str]:
    """Every candidate name, e-mail or phone found in `whole` (names as whole words).

    A panel member's own name is printed by design, so a candidate's first name that is
    also a panel member's (Hannah) counts only as part of the candidate's full name.
    """
    found = []
    for person in people:
        first, last = person["first_name"], person["last_name"]
        words = [f"{first} {last}", person["email"], person.get("phone", "")]
        words += [w for w in (first, last) if w not in panel]
        for word in filter(None, words):
            if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", whole):
                found.append(word)
    return found


def test_name_blind_sift_pack_never_names_a_candidate(demo, tmp_path: Path) -> None:
    ctx, stages = demo
    people = _demo_people()
    panel = {"Tom", "Okonkwo", "Hannah", "Lee", "Marek", "Kowalski"}
    path = export_panel_pack(ctx, stages["CV sift"], tmp_path / "sift.pdf")
    reader = PdfReader(path)
    texts = pages_of(path)
    whole = " ".join(texts)
    assert _leaks(whole, people, panel) == []
    assert "Siân" not in whole and "@" not in whole and "07700" not in whole
    metadata = json.dumps({k: str(v) for k, v in (reader.metadata or {}).items()})
    assert _leaks(metadata, people, panel) == []
    # No adjustments either: a sift panel has no need of them.
    assert "Adjustments" not in whole and "extra time" not in whole

    outline = outline_of(reader)
    assert [title for _, title, _ in outline] == [
        "Cover",
        "Candidates",
        "Score sheets",
        *[f"Candidate {n:04d}" for n in range(1, 41)],
    ]
    assert "Name-blind stage Candidates appear in this pack by candidate number only." in (texts[0])
    listing = body(texts[1])
    assert listing.startswith(
        "Candidates 40 candidates reached this stage; this stage is name-blind, so they "
        "are shown by candidate number only. Number Conflicts declared Sheet "
        "0001 Page 4 0002 Page 8"
    )
    assert "0015 Marek Kowalski Page" in listing

    # Each sheet: every criterion, the scale, the panel's boxes, the declaration at the end.
    starts = {title: page for depth, title, page in outline if depth == 1}
    ends = [*list(starts.values())[1:], len(texts)]
    for (label, start), end in zip(starts.items(), ends, strict=True):
        sheet = " ".join(body(text) for text in texts[start:end])
        assert sheet.startswith(f"Score sheet · CV sift {label} ")
        for code in ("EXP1", "EXP2", "EXP3", "EXP4", "EXP5", "EXP6"):
            assert f"{code} " in sheet
        assert "4 Acceptable demonstration: Enough positive evidence" in sheet
        assert sheet.index("Conflict of interest declaration") < sheet.index("EXP1")
        if label == "Candidate 0015":  # Marek declared a conflict: no boxes for him
            assert "Conflicts Declared by Marek Kowalski" in sheet
            assert "Marek Kowalski (independent member) Evidence" not in sheet
            assert sheet.count("Marek Kowalski has declared a conflict of interest") == 7
        else:
            assert sheet.count("Marek Kowalski (independent member) Evidence") == 6

    # A panel member of the sift gets the very same pack: names are hidden whoever asks.
    hannah = replace(ctx, actor=_person(ctx, "Hannah Lee"))
    doc = panel_pack_document(hannah, stages["CV sift"])
    assert doc == panel_pack_document(ctx, stages["CV sift"])
    assert {c.name for c in doc.candidates} == {""}
    assert not any(c.adjustments or c.extra_minutes for c in doc.candidates)


def test_three_hundred_candidates(demo, tmp_path: Path) -> None:
    """260 more candidates at the sift: the candidate list runs over several pages with its
    header on each, nobody is left out, nobody is named."""
    ctx, stages = demo
    now = datetime.now(UTC)
    with ctx.db.session() as session:
        campaign_id = session.exec(select(Campaign.id)).one()
        rows = [
            {
                "campaign_id": campaign_id,
                "candidate_number": f"{n:04d}",
                "first_name": f"Zoë{n}",
                "last_name": f"O'Brien-{n} & Sons <b>",
                "email": f"zoe{n}@example.org",
                "phone": f"07700 9{n:05d}",
                "adjustments": "Needs a quiet room" if n % 7 == 0 else "",
                "extra_minutes": 10 if n % 7 == 0 else 0,
                "guaranteed_interview": False,
                "redeployment": False,
                "unavailable_dates": [],
                "extra": {},
                "status": "applied",
                "created_at": now,
                "updated_at": now,
                "updated_by": "test",
                "version": 1,
            }
            for n in range(41, 301)
        ]
        session.execute(insert(Candidate), rows)
        session.commit()
    # How quickly is for the benchmarks ("panel pack, 300 score sheets").
    path = export_panel_pack(ctx, stages["CV sift"], tmp_path / "big.pdf")

    reader = PdfReader(path)
    outline = outline_of(reader)
    sheets_from = next(page for depth, title, page in outline if title == "Score sheets")
    # Text extraction is slow: read the candidate list and the first and last sheets.
    read = [*range(sheets_from + 1), *range(len(reader.pages) - 4, len(reader.pages))]
    texts = [flat(reader.pages[n].extract_text() or "") for n in read]
    listing = [body(text) for text in texts[1:sheets_from]]
    header = "Number Conflicts declared Sheet"
    assert len(listing) >= 5
    assert f"by candidate number only. {header} 0001 Page" in listing[0]
    for page in listing[1:]:
        assert page.startswith(f"{header} ")  # the header row repeats on every page
    numbers = re.findall(r"(?<!\d)(\d{4}) (?:Marek Kowalski )?Page \d+", " ".join(listing))
    assert numbers == [f"{n:04d}" for n in range(1, 301)]  # nothing cut off, in order
    assert [title for depth, title, _ in outline if depth == 1] == [
        f"Candidate {n:04d}" for n in range(1, 301)
    ]
    last = " ".join(body(text) for text in texts[-4:])
    assert "Candidate 0300" in last and "EXP6" in last and "Conflict of interest" in last
    whole = " ".join(texts)
    assert "Zoë" not in whole and "O'Brien" not in whole and "@" not in whole
    assert "07700" not in whole and "quiet room" not in whole


def test_a_panel_members_own_copy_has_their_boxes_only(demo, tmp_path: Path) -> None:
    """Each member may have a copy of their own: their declaration and score boxes only,
    for the candidates they assess, saying whose copy it is."""
    ctx, stages = demo
    with ctx.db.session() as session:
        hannah = session.exec(select(Person).where(Person.name == "Hannah Lee")).one()
        outsider = session.exec(select(Person).where(Person.name == "Alex Morgan")).one()
    document = panel_pack_document(ctx, stages["Video interview"], member=hannah.id)
    assert document.member_copy == "Hannah Lee"
    assert document.title == "Panel pack (Hannah Lee's copy): Video interview"
    assert {m.name for c in document.candidates for m in c.members} == {"Hannah Lee"}
    path = export_panel_pack(
        ctx, stages["Video interview"], tmp_path / "hannah.pdf", member=hannah.id
    )
    text = " ".join(pages_of(path))
    assert "Hannah Lee Evidence seen or heard" in text
    assert "Tom Okonkwo (chair) Evidence seen or heard" not in text
    assert "Marek Kowalski (independent member) Evidence seen or heard" not in text
    combined = " ".join(
        pages_of(export_panel_pack(ctx, stages["Video interview"], tmp_path / "all.pdf"))
    )
    assert "Tom Okonkwo (chair) Evidence seen or heard" in combined
    with pytest.raises(NotFound, match="not on this stage's panel"):
        panel_pack_document(ctx, stages["Video interview"], member=outsider.id)
