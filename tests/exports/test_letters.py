"""Outcome letters rendered from plain read models: wording, layout, files, two cores, cancel."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from exports.letters import (
    chunk_size_for,
    date_span,
    in_sentence,
    letter_file_names,
    outcome_paragraphs,
    render_letter,
    render_merged,
    subject,
    write_letter_folder,
)
from exports.styles import Theme
from recruit_app.errors import Cancelled
from recruit_app.readmodels import Letter, LettersDocument, NextStage, ScoreLine

THEME = Theme(organisation="Home Office")
TODAY = date(2026, 11, 25)
CRITERIA = (
    ("EXP1", "Building services end to end in a modern web language"),
    ("EXP2", "Working in agile teams with version control"),
    ("EXP3", "Test-driven development and continuous delivery"),
)
HOSTILE = "O'Brien & Sons <b>"


def scores(*values: float | None, mark: float | None = 4) -> tuple[ScoreLine, ...]:
    return tuple(
        ScoreLine(
            code,
            title,
            value,
            mark,
            None if value is None or mark is None else value >= mark,
        )
        for (code, title), value in zip(CRITERIA, values, strict=False)
    )


def letter(number: int = 1, outcome: str = "reject", **changes: object) -> Letter:
    values: dict[str, object] = dict(
        candidate_id=number,
        candidate_number=f"{number:04d}",
        first_name="Łukasz",
        last_name="Nowak",
        email="lukasz.nowak@example.com",
        outcome=outcome,
        scores=scores(5, 3.6666666, 4.5),
        total=13.1666666,
        total_pass_mark=12.0,
        total_met=True,
    )
    values.update(changes)
    return Letter(**values)  # type: ignore[arg-type]


def document(letters: tuple[Letter, ...] = (), **changes: object) -> LettersDocument:
    values: dict[str, object] = dict(
        organisation="Home Office",
        reference="283922",
        campaign_title="Software Developer",
        stage_id=1,
        stage_name="CV sift",
        dated=TODAY,
        letters=letters or (letter(),),
        grade="Senior Executive Officer",
        next_stage=NextStage(
            "Video interview", "video_interview", "video", date(2026, 12, 7), date(2026, 12, 11)
        ),
        offers_feedback=True,
        scale_minimum=1,
        scale_maximum=7,
        contact_name="Priya Raman",
        team_email="recruitment.team@example.gov.uk",
        security_clearance="Counter Terrorism Check (CTC)",
        reserve_list_months=12,
        expected_start_on=date(2027, 1, 4),
    )
    values.update(changes)
    return LettersDocument(**values)  # type: ignore[arg-type]


def words(path: Path) -> str:
    reader = PdfReader(path)
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def page_words(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def outline(path: Path) -> list[object]:
    def titles(items: list[object]) -> list[object]:
        return [titles(i) if isinstance(i, list) else i.title for i in items]  # type: ignore[attr-defined]

    return titles(PdfReader(path).outline)


# --- words ---------------------------------------------------------------------------


def test_stage_names_and_dates_read_as_words_in_sentences() -> None:
    assert in_sentence("Technical exercise") == "technical exercise"
    assert in_sentence("CV sift") == "CV sift"
    assert in_sentence("Assessment Centre") == "Assessment Centre"
    assert in_sentence("Interview at Home Office") == "Interview at Home Office"
    assert date_span(date(2026, 12, 7), date(2026, 12, 11)) == "between 7 and 11 December 2026"
    assert date_span(date(2026, 11, 30), date(2026, 12, 4)) == (
        "between 30 November and 4 December 2026"
    )
    assert date_span(date(2026, 12, 30), date(2027, 1, 2)) == (
        "between 30 December 2026 and 2 January 2027"
    )
    assert date_span(date(2026, 12, 7), date(2026, 12, 7)) == "on 7 December 2026"
    assert date_span(None, date(2026, 12, 7)) == "on 7 December 2026"
    assert date_span(None, None) == ""


def test_each_outcome_has_its_own_kind_words() -> None:
    doc = document()
    said = {
        kind: " ".join(outcome_paragraphs(doc, letter(outcome=kind)))
        for kind in ("progress", "reject", "reserve", "appoint", "withdrawn")
    }
    assert (
        "invite you to the next stage of the selection process: the video interview"
        in (said["progress"])
    )
    # The stage's mode is not repeated when its name says it already.
    assert (
        "The video interview will take place between 7 and 11 December 2026." in (said["progress"])
    )
    assert "not successful at the CV sift" in said["reject"]
    assert "The panel's assessment is set out below" in said["reject"]
    assert "keep you on our reserve list for up to 12 months" in said["reserve"]
    reserve = letter(outcome="reserve", reserve_expires_on=date(2027, 11, 20))
    assert "reserve list until 20 November 2027" in " ".join(outcome_paragraphs(doc, reserve))
    assert (
        "offer you the post of Software Developer at Senior Executive Officer grade."
        in (said["appoint"])
    )
    assert "including Counter Terrorism Check (CTC) security clearance" in said["appoint"]
    assert "start around 4 January 2027" in said["appoint"]
    assert "confirms that your application has been withdrawn" in said["withdrawn"]
    assert subject(doc, letter(outcome="progress")) == "Invitation to the video interview"
    assert subject(doc, letter(outcome="appoint")) == "A provisional offer of appointment"
    last = replace(doc, next_stage=None)
    assert " ".join(outcome_paragraphs(last, letter(outcome="progress"))).endswith(
        "We will be in touch soon about the next steps."
    )
    online = replace(
        doc, next_stage=NextStage("Technical exercise", "technical_exercise", "online")
    )
    assert "The technical exercise will take place online." in " ".join(
        outcome_paragraphs(online, letter(outcome="progress"))
    )


# --- one letter ----------------------------------------------------------------------


def test_a_letter_holds_the_scores_against_the_pass_marks(tmp_path: Path) -> None:
    path = tmp_path / "letter.pdf"
    doc = document(weighted=True)
    render_letter(doc, letter(scores=scores(5, 3.6666666, None), total=None), str(path), THEME)
    text = words(path)
    assert text.startswith(
        "Home Office Łukasz Nowak lukasz.nowak@example.com 25 November 2026 Reference 283922 "
        "Candidate 0001 The outcome of your application Dear Łukasz,"
    )
    assert (
        "Criterion Your score Pass mark Met "
        "EXP1: Building services end to end in a modern web language 5 4 Yes "
        "EXP2: Working in agile teams with version control 3.7 4 No "
        "EXP3: Test-driven development and continuous delivery — 4 —"
    ) in text
    assert "Total" not in text  # no total without every score
    assert text.endswith("Reference 283922 · Candidate 0001 Page 1 of 1")
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    assert reader.metadata.title == "CV sift outcome: Łukasz Nowak"
    assert reader.metadata.subject == "Software Developer, reference 283922"
    assert reader.metadata.author == "Home Office"
    assert outline(path) == ["0001 Łukasz Nowak: Not progressed", ["Your scores at the CV sift"]]


def test_the_total_row_and_its_pass_mark(tmp_path: Path) -> None:
    path = tmp_path / "letter.pdf"
    render_letter(document(weighted=True), letter(outcome="progress"), str(path), THEME)
    text = words(path)
    assert "and the total had to reach 12." in text
    assert "Total (weighted) 13.2 12 Yes" in text


def test_a_rejection_despite_every_pass_mark_says_why(tmp_path: Path) -> None:
    path = tmp_path / "letter.pdf"
    partly = (*scores(5, 4.5), ScoreLine("EXP3", "Unmarked", 3, None, None))
    render_letter(document(), letter(scores=partly, total=12.5), str(path), THEME)
    text = words(path)
    assert (
        "To pass, each score with a pass mark had to reach it and the total had to reach 12."
        in text
    )
    assert "EXP3: Unmarked 3 — —" in text
    assert (
        "Total 12.5 12 Yes You met every pass mark. There were fewer places at the next stage "
        "than candidates who did, so places went to the highest scores in merit order."
    ) in text
    render_letter(document(), letter(), str(path), THEME)  # 3.67 is below its mark of 4
    assert "You met every pass mark" not in words(path)


def test_no_scores_or_feedback_unless_the_advert_offers_them(tmp_path: Path) -> None:
    path = tmp_path / "letter.pdf"
    quiet = document(offers_feedback=False)
    render_letter(quiet, letter(feedback="Strong examples."), str(path), THEME)
    text = words(path)
    assert "Your scores" not in text
    assert "Feedback" not in text
    assert "Strong examples." not in text
    assert "assessment is set out below" not in text
    assert outline(path) == ["0001 Łukasz Nowak: Not progressed"]


def test_long_feedback_flows_on_to_a_second_page_with_header_and_footer(tmp_path: Path) -> None:
    path = tmp_path / "letter.pdf"
    feedback = "\n\n".join(
        f"Point {n}: the panel found clear evidence in some answers and little in others, "
        "and would have liked to hear more about how you worked with users and colleagues."
        for n in range(1, 16)
    )
    render_letter(document(), letter(feedback=feedback), str(path), THEME)
    pages = page_words(path)
    assert len(pages) == 2
    assert pages[0].endswith("Reference 283922 · Candidate 0001 Page 1 of 2")
    assert "Letter to Łukasz Nowak, continued" not in pages[0]
    assert pages[1].startswith("Home Office Letter to Łukasz Nowak, continued")
    assert "Yours sincerely, Priya Raman Recruitment team, Home Office" in pages[1]
    assert pages[1].endswith("Reference 283922 · Candidate 0001 Page 2 of 2")
    assert "Point 15: the panel found" in pages[1]


def test_hostile_names_and_feedback_print_exactly_as_typed(tmp_path: Path) -> None:
    path = tmp_path / "letter.pdf"
    hostile = letter(
        first_name="Zoë 😀",
        last_name=HOSTILE,
        email="zoe<script>@example.org",
        candidate_number="00/7 & <x>",
        feedback=f"Keep going, {HOSTILE}! \x00Good <i>work</i> & more 😀\n- one\n- two",
    )
    doc = document(
        (hostile,),
        organisation="Siân's & Sons <Ltd>",
        campaign_title="Dev <ops> & more",
        stage_name="Sift <1>",
        contact_name="Aoife Ní Bhriain",
    )
    render_letter(doc, hostile, str(path), Theme())
    text = words(path)
    assert text.startswith(
        f"Siân's & Sons <Ltd> Zoë 😀 {HOSTILE} zoe<script>@example.org 25 November 2026"
    )
    assert "Candidate 00/7 & <x>" in text
    assert "Dear Zoë 😀," in text
    assert "applying for the Dev <ops> & more role" in text
    assert f"Keep going, {HOSTILE}! Good <i>work</i> & more 😀 • one • two" in text
    assert "Aoife Ní Bhriain Recruitment team, Siân's & Sons <Ltd>" in text
    assert PdfReader(path).metadata.title == f"Sift <1> outcome: Zoë 😀 {HOSTILE}"
    assert letter_file_names([hostile]) == ["00-7-x-outcome-letter.pdf"]


def test_file_names_follow_the_candidate_number_and_never_clash() -> None:
    letters = [
        letter(3),
        letter(12),
        letter(7, candidate_number="0003"),
        letter(8, candidate_number=""),
    ]
    assert letter_file_names(letters) == [
        "0003-outcome-letter.pdf",
        "0012-outcome-letter.pdf",
        "0003-7-outcome-letter.pdf",
        "candidate-outcome-letter.pdf",
    ]


# --- many letters --------------------------------------------------------------------


def test_the_merged_file_starts_each_letter_on_a_new_page(tmp_path: Path) -> None:
    long = "\n\n".join("A long paragraph of feedback that goes on and on. " * 6 for _ in range(8))
    letters = (
        letter(1, "progress"),
        letter(2, "reject", feedback=long, first_name="Siân", last_name="Evans"),
        letter(3, "withdrawn", first_name="Zoë", last_name="Clarke"),
    )
    path = tmp_path / "all.pdf"
    seen: list[tuple[int, int]] = []
    render_merged(document(letters), path, THEME, progress=lambda d, t: seen.append((d, t)))
    pages = page_words(path)
    assert len(pages) == 4
    assert pages[0].startswith("Home Office Łukasz Nowak")
    assert "Candidate 0001 Invitation to the video interview Dear Łukasz," in pages[0]
    assert pages[1].startswith("Home Office Siân Evans")
    assert pages[2].startswith("Home Office Letter to Siân Evans, continued")
    assert pages[3].startswith("Home Office Zoë Clarke")
    footers = [p.rsplit("Page ", 1)[1] for p in pages]
    assert footers == ["1 of 1", "1 of 2", "2 of 2", "1 of 1"]
    assert "Your scores" not in pages[3]  # no scores for a withdrawal
    assert outline(path) == [
        "0001 Łukasz Nowak: Progressed",
        ["Your scores at the CV sift"],
        "0002 Siân Evans: Not progressed",
        ["Your scores at the CV sift", "Feedback from the panel"],
        "0003 Zoë Clarke: Withdrawn",
    ]
    reader = PdfReader(path)
    starts = [
        reader.get_destination_page_number(i) for i in reader.outline if not isinstance(i, list)
    ]
    assert starts == [0, 1, 3]
    assert reader.metadata.title == "Outcome letters: CV sift"
    assert seen[-1] == (3, 3)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_a_cancelled_merge_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "all.pdf"
    letters = tuple(letter(n) for n in range(1, 6))
    calls: list[int] = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(Cancelled):
        render_merged(document(letters), path, THEME, cancelled=cancelled)
    assert list(tmp_path.iterdir()) == []


def test_chunks_are_small_enough_to_report_often() -> None:
    assert chunk_size_for(60) == 5
    assert chunk_size_for(1000) == 25
    assert chunk_size_for(300) == 19


def test_sixty_letters_on_two_cores_one_file_each(tmp_path: Path) -> None:
    letters = tuple(
        letter(n, ("progress", "reject", "reserve")[n % 3], first_name=f"Zoë{n}")
        for n in range(1, 61)
    )
    out = tmp_path / "letters"
    seen: list[tuple[int, int]] = []
    paths = write_letter_folder(
        document(letters), out, THEME, progress=lambda d, t: seen.append((d, t))
    )
    assert paths == [out / f"{n:04d}-outcome-letter.pdf" for n in range(1, 61)]
    assert sorted(p.name for p in out.iterdir()) == [p.name for p in paths]
    assert list(tmp_path.iterdir()) == [out]  # the temporary folder is gone
    # Progress came per chunk of five, ending at the total.
    assert [d for d, _ in seen] == list(range(5, 61, 5))
    assert {t for _, t in seen} == {60}
    text = words(paths[43])
    assert "Zoë44 Nowak" in text
    assert "A place on our reserve list" in text
    assert all(len(PdfReader(p).pages) == 1 for p in paths[:3])


def test_a_cancel_on_two_cores_leaves_nothing_behind(tmp_path: Path) -> None:
    letters = tuple(letter(n) for n in range(1, 61))
    out = tmp_path / "letters"
    seen: list[int] = []

    with pytest.raises(Cancelled):
        write_letter_folder(
            document(letters),
            out,
            THEME,
            progress=lambda d, t: seen.append(d),
            cancelled=lambda: bool(seen),
        )
    assert seen == [5]  # nothing more was reported after the cancel
    assert list(tmp_path.iterdir()) == []


def test_an_error_in_a_worker_leaves_nothing_behind(tmp_path: Path) -> None:
    broken = ScoreLine("EXP1", "Broken", "not a number", 4, None)  # type: ignore[arg-type]
    letters = (letter(1, scores=(broken,)), *(letter(n) for n in range(2, 61)))
    out = tmp_path / "letters"
    with pytest.raises(TypeError, match="__round__"):
        write_letter_folder(document(letters), out, THEME)
    assert list(tmp_path.iterdir()) == []


def test_a_few_letters_into_an_existing_folder_keep_what_is_there(tmp_path: Path) -> None:
    out = tmp_path / "letters"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    (out / "0001-outcome-letter.pdf").write_bytes(b"an old letter")
    paths = write_letter_folder(document((letter(1), letter(2))), out, THEME)
    assert [p.name for p in paths] == ["0001-outcome-letter.pdf", "0002-outcome-letter.pdf"]
    assert sorted(p.name for p in out.iterdir()) == [
        "0001-outcome-letter.pdf",
        "0002-outcome-letter.pdf",
        "notes.txt",
    ]
    assert (out / "0001-outcome-letter.pdf").read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["letters"]
