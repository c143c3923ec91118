"""Seeded synthetic application documents: a two-page CV as a PDF for each candidate.

Written with ReportLab in the app's embedded font, as a word processor exports a CV: a
header with the name, e-mail and a telephone number, a personal statement, a job history
with dates and duties, qualifications and skills; about 700 words, with a page break
after the second job. The text is invented, varied per candidate by random.Random seeded
with the candidate's number, so the same numbers always give the same files. Set-up for
the document benchmarks, not what is timed.
"""

from __future__ import annotations

import random
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    ListFlowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
)
from reportlab.platypus.flowables import KeepTogether

from benchmarks.synthetic import ascii_local
from exports.styles import FONT, FONT_BOLD, register_fonts

DOMAINS = ("example.com", "example.org", "example.net")
TOWNS = (
    "Cardiff",
    "Leeds",
    "Glasgow",
    "Belfast",
    "Norwich",
    "Swansea",
    "Bristol",
    "Newcastle upon Tyne",
    "Milton Keynes",
    "Aberdeen",
)
OPENINGS = (
    "I am an experienced {role} with {years} years in public service, most recently at {employer}.",
    "Over {years} years as a {role}, I have learned that good services begin with listening.",
    "I am a {role} who enjoys turning complicated problems into plain, workable plans.",
    "Since joining {employer}, I have built my career around delivery, data and people.",
)
STATEMENT = (
    "I lead small teams through change, and I take care that every colleague understands "
    "why the work matters as well as what needs doing.",
    "I write clearly for ministers, managers and members of the public, and I am at ease "
    "presenting evidence to senior audiences who want a straight answer.",
    "I use data to decide where effort is best spent, and I check the results against what "
    "customers tell us rather than against the plan alone.",
    "My colleagues describe me as calm under pressure, well-organised and quick to ask for "
    "help when a second opinion would improve the outcome.",
    "I have managed budgets of up to £{budget:,}, negotiated with suppliers and kept "
    "projects within their agreed scope, time and cost.",
    "I am committed to equality, diversity and inclusion, and I have mentored colleagues "
    "through the Civil Service's development schemes.",
)
CLOSING = (
    "I would welcome the chance to bring this experience to your team and to keep learning "
    "from the people around me."
)
ROLES = (
    "policy adviser",
    "operational delivery manager",
    "data analyst",
    "project manager",
    "caseworker",
    "digital performance analyst",
    "commercial officer",
    "HR business partner",
)
EMPLOYERS = (
    "HM Revenue and Customs",
    "the Department for Work and Pensions",
    "the Home Office",
    "Cardiff Council",
    "NHS Business Services Authority",
    "the Ministry of Justice",
    "the Office for National Statistics",
    "Leeds City Council",
    "the Environment Agency",
    "the Driver and Vehicle Licensing Agency",
)
GRADES = ("AO", "EO", "HEO", "SEO", "Grade 7")
DUTIES = (
    "Led a team of {team} caseworkers clearing an average of {cases:,} cases each month, "
    "meeting every service standard for two years running.",
    "Wrote briefings and submissions for senior officials and ministers on {topic}, often "
    "to deadlines of a day or less.",
    "Designed a weekly performance report in Excel and Power BI that replaced four "
    "separate returns and saved around {hours} hours of staff time a month.",
    "Managed a £{budget:,} contract with an external supplier, holding monthly reviews and "
    "resolving disputes before they escalated.",
    "Redesigned the complaints process with front-line staff, cutting the average reply "
    "time from {before} to {after} working days.",
    "Ran recruitment campaigns for {team} posts, chairing sift and interview panels and "
    "making sure reasonable adjustments were in place.",
    "Analysed customer feedback and call data to find the ten most common reasons for "
    "contact, then worked with policy teams to remove three of them.",
    "Coached new starters through their first six months, and wrote the induction guide "
    "still used by the team today.",
    "Represented the directorate at cross-government working groups on {topic}, agreeing "
    "shared definitions and a common data standard.",
    "Planned and delivered the move of {team} staff to a new office with no break in "
    "service to the public.",
)
TOPICS = (
    "benefit fraud",
    "tax credits",
    "immigration casework",
    "flood resilience",
    "digital inclusion",
    "prison education",
    "local housing",
    "waiting lists",
)
UNIVERSITIES = (
    "Cardiff University",
    "the University of Leeds",
    "the University of Glasgow",
    "Queen's University Belfast",
    "the University of East Anglia",
    "Swansea University",
    "the Open University",
)
DEGREES = (
    "BSc (Hons) Economics, 2:1",
    "BA (Hons) History and Politics, 2:1",
    "BSc (Hons) Mathematics, First",
    "BA (Hons) English Literature, 2:2",
    "LLB (Hons) Law, 2:1",
    "BSc (Hons) Psychology, 2:1",
)
QUALIFICATIONS = (
    "PRINCE2 Practitioner ({year})",
    "Chartered Institute of Personnel and Development, Level 5 ({year})",
    "Government Commercial Function, Practitioner accreditation ({year})",
    "Level 4 Data Analyst apprenticeship, with distinction ({year})",
    "Institute of Leadership and Management, Level 3 Certificate ({year})",
    "Agile Project Management Foundation ({year})",
)
SKILLS = (
    "Microsoft Excel (advanced), Power BI and SQL",
    "Drafting briefings, submissions and correspondence",
    "Stakeholder management across government",
    "Welsh: conversational; French: basic",
    "Full UK driving licence",
    "Mental Health First Aider",
    "Security cleared to SC level",
)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
INTERESTS = (
    "Running, and volunteering as a parkrun marshal",
    "Choir singing, with concerts twice a year",
    "Allotment gardening and community food projects",
    "Coaching an under-11s football team",
    "Hill walking (I have climbed the Welsh 3000s)",
    "Reading modern history and learning Welsh",
)
JOBS = 4  # the second page starts after the second
DUTIES_PER_JOB = 5


def write_cv_pdfs(folder: Path, numbers: list[str], names: list[tuple[str, str]]) -> list[Path]:
    """One two-page A4 CV named "<number> CV.pdf" in `folder` for each (number, name)."""
    folder.mkdir(parents=True, exist_ok=True)
    styles = _styles()
    paths = []
    for number, (first, last) in zip(numbers, names, strict=True):
        path = folder / f"{number} CV.pdf"
        story = _cv(random.Random(f"cv-{number}"), number, first, last, styles)
        document = SimpleDocTemplate(
            str(path),
            pagesize=A4,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=18 * mm,
            bottomMargin=18 * mm,
            title=f"CV: {first} {last}",
            author=f"{first} {last}",
            invariant=True,
        )
        document.build(story)
        paths.append(path)
    return paths


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13.5, spaceAfter=4)
    return {
        "name": ParagraphStyle("name", parent=body, fontName=FONT_BOLD, fontSize=20, leading=24),
        "contact": ParagraphStyle("contact", parent=body, textColor=HexColor("#505a5f")),
        "heading": ParagraphStyle(
            "heading", parent=body, fontName=FONT_BOLD, fontSize=13, leading=17, spaceBefore=8
        ),
        "job": ParagraphStyle("job", parent=body, fontName=FONT_BOLD, spaceBefore=4),
        "body": body,
    }


def _cv(
    rng: random.Random, number: str, first: str, last: str, styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    email = f"{_plain(first)}.{_plain(last)}{number}@{rng.choice(DOMAINS)}"
    phone = f"07700 900{rng.randrange(1000):03}"  # Ofcom's range for invented numbers
    role, employer = rng.choice(ROLES), rng.choice(EMPLOYERS)
    years = rng.randrange(6, 19)
    story: list[Flowable] = [
        Paragraph(f"{first} {last}", styles["name"]),
        Paragraph(f"{email} · {phone} · {rng.choice(TOWNS)}", styles["contact"]),
        Paragraph(f"Candidate number {number}", styles["contact"]),
        HRFlowable(width="100%", thickness=0.5, color=HexColor("#b1b4b6"), spaceAfter=6),
        Paragraph("Personal statement", styles["heading"]),
    ]
    opening = rng.choice(OPENINGS).format(role=role, years=years, employer=employer)
    sentences = [s.format(budget=rng.randrange(50, 900) * 1000) for s in STATEMENT]
    rng.shuffle(sentences)
    statement = " ".join([opening, *sentences[:5], CLOSING])
    story.append(Paragraph(statement, styles["body"]))
    story.append(Paragraph("Employment history", styles["heading"]))
    end_year = 2026
    for job in range(JOBS):
        start_year = end_year - rng.randrange(2, 5)
        start = f"{rng.choice(MONTHS)} {start_year}"
        until = "present" if job == 0 else f"{rng.choice(MONTHS)} {end_year}"
        role_title = rng.choice(ROLES)
        title = f"{role_title[0].upper()}{role_title[1:]} ({rng.choice(GRADES)})"
        where = rng.choice(EMPLOYERS)
        duties = [_duty(rng, duty) for duty in rng.sample(DUTIES, DUTIES_PER_JOB)]
        story.append(
            KeepTogether(
                [
                    Paragraph(f"{title}, {where}", styles["job"]),
                    Paragraph(f"{start} – {until}", styles["contact"]),
                    _bullets(duties, styles["body"]),
                ]
            )
        )
        if job == 1:
            story.append(PageBreak())
        end_year = start_year
    story.append(Paragraph("Education and qualifications", styles["heading"]))
    degree_year = end_year - rng.randrange(0, 3)
    story.append(
        Paragraph(
            f"{rng.choice(DEGREES)}, {rng.choice(UNIVERSITIES)} ({degree_year})", styles["body"]
        )
    )
    qualifications = [
        q.format(year=rng.randrange(degree_year + 1, 2026)) for q in rng.sample(QUALIFICATIONS, 3)
    ]
    story.append(_bullets(qualifications, styles["body"]))
    story.append(Paragraph("Skills", styles["heading"]))
    story.append(_bullets(rng.sample(SKILLS, 4), styles["body"]))
    story.append(Paragraph("Interests", styles["heading"]))
    story.append(Paragraph("; ".join(rng.sample(INTERESTS, 3)) + ".", styles["body"]))
    story.append(Spacer(1, 6))
    story.append(Paragraph("References are available on request.", styles["body"]))
    return story


def _duty(rng: random.Random, duty: str) -> str:
    before = rng.randrange(15, 40)
    return duty.format(
        team=rng.randrange(4, 25),
        cases=rng.randrange(200, 3000),
        topic=rng.choice(TOPICS),
        hours=rng.randrange(10, 80),
        budget=rng.randrange(100, 2000) * 1000,
        before=before,
        after=rng.randrange(5, before),
    )


def _bullets(items: list[str], style: ParagraphStyle) -> ListFlowable:
    return ListFlowable(
        [Paragraph(item, style) for item in items],
        bulletType="bullet",
        start="•",
        leftIndent=12,
        bulletFontName=FONT,
    )


def _plain(name: str) -> str:
    """A name as an e-mail address spells it: no accents, apostrophes or spaces."""
    return ascii_local(name).replace(".", "")
