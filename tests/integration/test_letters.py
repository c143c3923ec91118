"""Outcome letters from the demo campaign, and the panel's feedback they carry."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import select

from db.models import Advert, AuditEvent, Candidate
from recruit_app.errors import Cancelled, ConflictError, PermissionDenied, ValidationError
from recruit_app.services.adverts import campaign_id_for
from recruit_app.services.demo import build_demo
from recruit_app.services.letters import (
    FEEDBACK_LIMIT,
    export_letters,
    letters_document,
    letters_warnings,
    outcome_feedback,
    set_feedback,
)
from recruit_app.services.stages import stages_overview

DEMO_DAY = date(2026, 11, 25)  # the CV sift and the technical exercise are final by then
LETTERHEAD = "Home Office Digital, Data and Technology"
SIGN_OFF = (
    "If you have any questions, please e-mail us at recruitment.team@example.gov.uk, quoting "
    "reference 283922. Yours sincerely, Priya Raman Recruitment team, Home Office Digital, "
    "Data and Technology"
)
SCORES_INTRO = (
    "Each criterion was scored from 1 to 7, where 7 is the highest. To pass, each score had "
    "to reach its pass mark. Where several panel members scored a criterion, your score is "
    "the average of their scores, or the score they agreed."
)
CRITERIA = (
    "EXP1: Back-end or full-stack development in at least one modern web language (such as "
    "Java, C#, Python, PHP or JavaScript with Node.js) and its ecosystem",
    "EXP2: Working in agile teams with version control",
    "EXP3: Test-driven development with automation, continuous integration and continuous delivery",
    "EXP4: Cloud platforms and orchestration tools such as Amazon Web Services (AWS), Azure, "
    "Docker and Kubernetes",
    "EXP5: The whole software delivery life cycle",
    "EXP6: Modern web frameworks such as Spring Boot or model-view-controller (MVC) frameworks",
)


def table(*rows: str) -> str:
    lines = " ".join(f"{c} {r}" for c, r in zip(CRITERIA, rows, strict=True))
    return f"Criterion Your score Pass mark Met {lines}"


PROGRESS_0002 = (
    f"{LETTERHEAD} Zoë Clarke zoe.clarke@example.net 25 November 2026 Reference 283922 "
    "Candidate 0002 Invitation to the technical exercise Dear Zoë, Thank you for applying for "
    "the Software Developer role. I am pleased to tell you that you were successful at the CV "
    "sift, and we would like to invite you to the next stage of the selection process: the "
    "technical exercise. The technical exercise will take place online. We will write to you "
    "soon with the arrangements. If you need any adjustments to take part, please tell us as "
    "early as you can so that we can put them in "
    f"place. Your scores at the CV sift {SCORES_INTRO} "
    + table("5.3 4 Yes", "5.3 4 Yes", "6 4 Yes", "6 4 Yes", "4.3 4 Yes", "5.3 4 Yes")
    + f" Total 32.3 — — {SIGN_OFF} Reference 283922 · Candidate 0002 Page 1 of 1"
)
REJECT_0004 = (
    f"{LETTERHEAD} Niamh O'Brien niamh.obrien@example.org 25 November 2026 Reference 283922 "
    "Candidate 0004 The outcome of your application Dear Niamh, Thank you for applying for "
    "the Software Developer role, and for the time and care you put into your application. I "
    "am sorry to tell you that you were not successful at the CV sift, so your application "
    "will not go any further in this campaign. We know this news is disappointing. The "
    "panel's assessment is set out below; we hope you find it helpful. Your scores at the CV "
    f"sift {SCORES_INTRO} "
    + table("4 4 Yes", "2.7 4 No", "4 4 Yes", "4 4 Yes", "4 4 Yes", "3 4 No")
    + " Total 21.7 — — You scored below the pass mark for EXP2 and EXP6. Feedback from the "
    "panel Your CV showed sound experience of maintaining existing code. The panel needed "
    "more evidence of working in agile teams with version control (EXP2) and of modern web "
    "frameworks (EXP6). We would be glad to see you apply for "
    f"a role with us again. {SIGN_OFF} Reference 283922 · Candidate 0004 Page 1 of 1"
)
TECHNICAL_REJECT_0002 = (
    f"{LETTERHEAD} Zoë Clarke zoe.clarke@example.net 25 November 2026 Reference 283922 "
    "Candidate 0002 The outcome of your application Dear Zoë, Thank you for applying for the "
    "Software Developer role, and for the time and care you put into your application. I am "
    "sorry to tell you that you were not successful at the technical exercise, so your "
    "application will not go any further in this campaign. We know this news is "
    "disappointing. The panel's assessment is set out below; we hope you find it helpful. "
    f"Your scores at the technical exercise {SCORES_INTRO} Criterion Your score Pass mark Met "
    "PROG: Programming/software development 5 4 Yes SWDN: Software design 4 4 Yes "
    "TEST: Testing 2 4 No Total 11 — — You scored below the pass mark for TEST. "
    "Feedback from the panel Your solution worked and was clearly structured. It lacked "
    "automated tests, which the exercise asked for, and the write-up did not explain the "
    "trade-offs you made. We would be glad to see you apply for a role with us again. "
    f"{SIGN_OFF} Reference 283922 · Candidate 0002 Page 1 of 1"
)


@pytest.fixture
def demo(ctx):
    """The demo's stages by name: CV sift, Technical exercise, Video interview."""
    build_demo(ctx, today=DEMO_DAY)
    overview = stages_overview(ctx, campaign_id_for(ctx, "283922"))
    return {s.name: s.id for s in overview.stages}


def words(path: Path) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())


def page_words(path: Path, index: int) -> str:
    return " ".join(PdfReader(path).pages[index].extract_text().split())


def outline(path: Path) -> list[object]:
    def titles(items: list[object]) -> list[object]:
        return [titles(i) if isinstance(i, list) else i.title for i in items]  # type: ignore[attr-defined]

    return titles(PdfReader(path).outline)


def test_the_demo_sift_letters_read_exactly_as_written(ctx, demo, tmp_path):
    doc = letters_document(ctx, demo["CV sift"], today=DEMO_DAY)
    assert len(doc.letters) == 40
    kinds = [letter.outcome for letter in doc.letters]
    assert (kinds.count("progress"), kinds.count("reject")) == (14, 26)
    niamh = next(letter for letter in doc.letters if letter.candidate_number == "0004")
    assert [(s.code, round(s.score, 2), s.pass_mark, s.met) for s in niamh.scores] == [  # type: ignore[arg-type]
        ("EXP1", 4.0, 4, True),
        ("EXP2", 2.67, 4, False),
        ("EXP3", 4.0, 4, True),
        ("EXP4", 4.0, 4, True),
        ("EXP5", 4.0, 4, True),
        ("EXP6", 3.0, 4, False),
    ]
    assert round(niamh.total, 2) == 21.67  # type: ignore[arg-type]
    assert (niamh.total_pass_mark, niamh.total_met) == (None, None)

    out = tmp_path / "sift letters"
    paths = export_letters(ctx, demo["CV sift"], out, today=DEMO_DAY)
    assert [p.name for p in paths] == [f"{n:04d}-outcome-letter.pdf" for n in range(1, 41)]
    assert sorted(p.name for p in out.iterdir()) == [p.name for p in paths]
    # The sift was name-blind, but letters go to the candidates: names are shown.
    assert words(out / "0002-outcome-letter.pdf") == PROGRESS_0002
    assert words(out / "0004-outcome-letter.pdf") == REJECT_0004
    assert outline(out / "0004-outcome-letter.pdf") == [
        "0004 Niamh O'Brien: Not progressed",
        ["Your scores at the CV sift", "Feedback from the panel"],
    ]
    assert all(len(PdfReader(p).pages) == 1 for p in paths)


def test_the_technical_exercise_letters_merged_into_one_file(ctx, demo, tmp_path):
    stage = demo["Technical exercise"]
    folder = tmp_path / "technical"
    export_letters(ctx, stage, folder, today=DEMO_DAY)
    assert words(folder / "0002-outcome-letter.pdf") == TECHNICAL_REJECT_0002
    merged = tmp_path / "technical.pdf"
    assert export_letters(ctx, stage, merged, merge=True, today=DEMO_DAY) == [merged]
    reader = PdfReader(merged)
    assert len(reader.pages) == 14  # one page for each of the sift's fourteen
    titles = outline(merged)
    tops = [t for t in titles if isinstance(t, str)]
    assert tops[:3] == [
        "0001 Siân Evans: Progressed",
        "0002 Zoë Clarke: Not progressed",
        "0003 Łukasz Nowak: Progressed",
    ]
    assert len(tops) == 14
    assert reader.metadata.title == "Outcome letters: Technical exercise"
    first = " ".join(reader.pages[0].extract_text().split())
    # 0001 progresses to the video interview: its name and dates are in the letter.
    assert "invite you to the next stage of the selection process: the video interview" in first
    assert "The video interview will take place between 7 and 11 December 2026." in first
    assert "A well-tested, readable solution with a thoughtful explanation" in first
    preview = tmp_path / "preview.pdf"
    export_letters(ctx, stage, preview, merge=True, today=DEMO_DAY, limit=3)
    assert len(PdfReader(preview).pages) == 3


def test_no_scores_or_feedback_unless_the_advert_offers_them(ctx, demo, tmp_path):
    with ctx.db.session() as session:
        advert = session.exec(select(Advert)).one()
        advert.offers_feedback = False
        session.commit()
    doc = letters_document(ctx, demo["CV sift"], today=DEMO_DAY)
    assert not doc.offers_feedback
    assert all(not letter.scores and not letter.feedback for letter in doc.letters)
    first_four = tmp_path / "letters.pdf"
    export_letters(ctx, demo["CV sift"], first_four, merge=True, today=DEMO_DAY, limit=4)
    text = page_words(first_four, 3)
    assert "Candidate 0004" in text
    assert "Your scores" not in text
    assert "Feedback from the panel" not in text
    assert "maintaining existing code" not in text
    assert "set out below" not in text
    assert "not successful at the CV sift" in text


def test_letters_need_outcomes_and_a_sensible_target(ctx, demo, tmp_path):
    tmp_path = tmp_path / "out"  # the test's database lives beside it
    tmp_path.mkdir()
    with pytest.raises(ValidationError) as refused:
        letters_document(ctx, demo["Video interview"])
    assert refused.value.message == (
        "No outcomes are recorded for Video interview yet: finalise the results first."
    )
    with pytest.raises(ValidationError, match=r"as a \.pdf file, not \.txt"):
        export_letters(ctx, demo["CV sift"], tmp_path / "letters.txt", merge=True)
    a_file = tmp_path / "taken"
    a_file.write_text("mine")
    with pytest.raises(ValidationError, match="choose a folder"):
        export_letters(ctx, demo["CV sift"], a_file)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


def test_a_cancel_midway_leaves_nothing_behind(ctx, demo, tmp_path):
    tmp_path = tmp_path / "out"  # the test's database lives beside it
    tmp_path.mkdir()
    seen: list[int] = []
    with pytest.raises(Cancelled):
        export_letters(
            ctx,
            demo["CV sift"],
            tmp_path / "letters",
            progress=lambda done, total: seen.append(done),
            cancelled=lambda: len(seen) >= 3,
        )
    assert seen == [1, 2, 3]
    with pytest.raises(Cancelled):
        export_letters(
            ctx,
            demo["CV sift"],
            tmp_path / "letters.pdf",
            merge=True,
            progress=lambda done, total: seen.append(done),
            cancelled=lambda: len(seen) >= 6,
        )
    assert list(tmp_path.iterdir()) == []  # no folder, file or temporary left behind


def test_hostile_names_print_as_typed(ctx, demo, tmp_path):
    with ctx.db.session() as session:
        zoe = session.exec(select(Candidate).where(Candidate.candidate_number == "0002")).one()
        zoe.first_name, zoe.last_name = "Zoë 😀", "O'Brien & Sons <b>"
        session.commit()
    first_two = tmp_path / "letters.pdf"
    export_letters(ctx, demo["CV sift"], first_two, merge=True, today=DEMO_DAY, limit=2)
    text = page_words(first_two, 1)
    assert text.startswith(f"{LETTERHEAD} Zoë 😀 O'Brien & Sons <b> zoe.clarke@example.net")
    assert "Dear Zoë 😀," in text
    assert outline(first_two)[2] == "0002 Zoë 😀 O'Brien & Sons <b>: Progressed"


def test_feedback_is_cleaned_checked_and_audited(ctx, demo, tmp_path):
    sift = demo["CV sift"]
    with ctx.db.session() as session:
        number = {c.candidate_number: c.id for c in session.exec(select(Candidate))}
    before = outcome_feedback(ctx, sift, number["0004"])
    assert before.outcome == "reject"
    assert before.label == "0004 Niamh O'Brien"
    assert before.feedback.startswith("Your CV showed sound experience")
    assert before.offers_feedback

    saved = set_feedback(
        ctx,
        sift,
        number["0004"],
        "  Clear CV.\r\n\r\nMore on agile delivery (EXP2), please.\x00 \n",
        expected_version=before.version,
    )
    assert saved.feedback == "Clear CV.\n\nMore on agile delivery (EXP2), please."
    assert saved.version == before.version + 1
    # The same text again changes nothing, not even the version.
    again = set_feedback(ctx, sift, number["0004"], saved.feedback, expected_version=saved.version)
    assert again.version == saved.version
    with ctx.db.session() as session:
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "outcome.feedback")
        ).one()
        assert event.summary == "Feedback for candidate 0004 at CV sift"
        assert event.campaign_reference == "283922"
        assert event.before == {"feedback": before.feedback}
        assert event.after == {"feedback": "Clear CV.\n\nMore on agile delivery (EXP2), please."}

    with pytest.raises(ConflictError, match="The feedback was changed by Alex Manager"):
        set_feedback(ctx, sift, number["0004"], "Mine", expected_version=before.version)
    with pytest.raises(ValidationError) as too_long:
        set_feedback(ctx, sift, number["0004"], "x" * (FEEDBACK_LIMIT + 1), expected_version=None)
    assert too_long.value.field == "feedback"
    assert too_long.value.message == "Keep the feedback to 5,000 characters; it has 5,001."
    with pytest.raises(ValidationError) as no_outcome:
        set_feedback(ctx, demo["Video interview"], number["0001"], "Hi", expected_version=None)
    assert no_outcome.value.message.startswith(
        "Candidate 0001 has no outcome at Video interview yet."
    )

    first_four = tmp_path / "letters.pdf"
    export_letters(ctx, sift, first_four, merge=True, today=DEMO_DAY, limit=4)
    text = page_words(first_four, 3)
    assert (
        "Feedback from the panel Clear CV. More on agile delivery (EXP2), please. We would be glad"
        in text
    )

    panel = replace(ctx, actor=replace(ctx.actor, role="panel_member", person_id=None))
    with pytest.raises(PermissionDenied):
        set_feedback(panel, sift, number["0004"], "Hi", expected_version=None)
    with pytest.raises(PermissionDenied):
        letters_document(panel, sift)


# --- what candidates read is true on the day -----------------------------------------


def test_feedback_may_cite_only_the_criteria_fallen_below(ctx, demo):
    sift = demo["CV sift"]
    with ctx.db.session() as session:
        number = {c.candidate_number: c.id for c in session.exec(select(Candidate))}
    before = outcome_feedback(ctx, sift, number["0004"])
    # 0004 fell below EXP2 and EXP6 only; EXP1 she met.
    with pytest.raises(ValidationError) as refused:
        set_feedback(
            ctx,
            sift,
            number["0004"],
            "Strong on back-end work but EXP1 needed more depth.",
            expected_version=before.version,
        )
    assert refused.value.field == "feedback"
    assert refused.value.message.startswith(
        "The feedback names EXP1, but candidate 0004 did not fall below its pass mark."
    )
    assert outcome_feedback(ctx, sift, number["0004"]).feedback == before.feedback
    # Feedback written before the rule (or straight into the database) is warned about.
    with ctx.db.session() as session:
        from db.models import Outcome

        row = session.exec(
            select(Outcome).where(Outcome.stage_id == sift, Outcome.candidate_id == number["0004"])
        ).one()
        row.feedback = "More on EXP2, and on EXP1 and EXP4."
        session.commit()
    doc = letters_document(ctx, sift, today=DEMO_DAY)
    niamh = next(letter for letter in doc.letters if letter.candidate_number == "0004")
    assert niamh.below == ("EXP2", "EXP6")
    assert (
        "The feedback to candidate 0004 names EXP1, EXP4, which they did not fall below: "
        "a letter's feedback cites only the criteria a candidate fell below."
    ) in doc.warnings


def test_a_stage_whose_later_dates_have_passed_warns_first(ctx, demo, tmp_path):
    sift = demo["CV sift"]
    # On 25 November the technical exercise (23 to 27 November) has started.
    warned = letters_warnings(ctx, sift, today=DEMO_DAY)
    assert warned == (
        "The Technical exercise was due to start on 23 November 2026, which has passed: the "
        "letters will not give its dates. If it has moved, change the stage's dates first.",
    )
    assert letters_warnings(ctx, sift, today=date(2026, 11, 20)) == ()
    out = tmp_path / "letters.pdf"
    export_letters(ctx, sift, out, merge=True, today=DEMO_DAY, limit=2)
    text = page_words(out, 1)  # 0002 progresses to the technical exercise
    assert "Invitation to the technical exercise" in text
    assert "23 November" not in text and "27 November" not in text
    export_letters(ctx, sift, out, merge=True, today=date(2026, 11, 20), limit=2)
    assert "will take place online between 23 and 27 November 2026" in page_words(out, 1)


@pytest.mark.usefixtures("sign_in_on_postgres")  # a team signs in on PostgreSQL
def test_the_cli_prints_the_warning_before_writing(capsys, demo, db_url, tmp_path):
    from recruit_app.cli import main

    # The demo was laid out for 25 November 2026; letters are dated the day they are made,
    # later than that, when the technical exercise (from 23 November) has started.
    out = tmp_path / "letters.pdf"
    args = ["--db", db_url, "export", "pack", "283922", "--kind", "letters"]
    code = main([*args, "--stage", "CV sift", "--out", str(out), "--merge"])
    printed, err = capsys.readouterr()
    assert code == 0 and out.is_file()
    assert err.startswith("Warning: The Technical exercise was due to start on ")
    assert "which has passed: the letters will not give its dates." in err
    assert printed.startswith("Wrote the outcome letters to ")
