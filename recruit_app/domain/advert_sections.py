"""The standard sections of an advert and information pack: suggested wording and checks.

Every Civil Service pack we model carries the same sections: when candidates will hear,
feedback, reasonable adjustments, the Disability Confident and Redeployment Interview
schemes, expenses, security and nationality, the recruitment principles and complaints.
The wording suggested here is Recruit's own, built from the advert's facts (its dates,
stages, contact and clearance level); the manager edits it as they wish.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from recruit_app.domain.dates import london_date, plain_date
from recruit_app.readmodels import STANDARD_SECTIONS, AdvertDocument
from recruit_app.vocabulary import StageKind

# The one phrase both interview schemes use for who qualifies, said the same way in both.
MINIMUM_CRITERIA = (
    "the minimum criteria for the role (a score at or above the pass mark on every "
    "essential criterion at the sift)"
)
HEADINGS = dict(STANDARD_SECTIONS)
# How long after a stage's last day candidates are told its outcome, by default.
OUTCOME_WORKING_DAYS = 10
# Years of UK residence a vetting level usually expects (BPSS and AC expect none).
RESIDENCE_YEARS = {"CTC": 3, "SC": 5, "DV": 10}
_SCHEME_TERM = re.compile(r"minimum\s+(criteria|requirements|standards?)", re.IGNORECASE)


def _contact(doc: AdvertDocument) -> str:
    email = (doc.team_email or doc.contact_email).strip()
    return f"the recruitment team at {email}" if email else "the recruitment team"


def _closing(doc: AdvertDocument) -> str:
    if doc.closes_at is None:
        return "the closing date"
    return f"the closing date ({plain_date(london_date(doc.closes_at))})"


def _after_working_days(day: date, count: int) -> date:
    while count:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def _hearing_back(doc: AdvertDocument) -> str:
    lines = [
        f"We will confirm that we have your application soon after {_closing(doc)}.",
    ]
    for stage in doc.stages:
        if stage.kind in (StageKind.OFFER, StageKind.PRE_EMPLOYMENT_CHECKS):
            continue
        name = stage.name.strip() or "each stage"
        last = stage.ends_on or stage.starts_on
        if last is None:
            lines.append(
                f"- {name}: we aim to tell you the outcome within {OUTCOME_WORKING_DAYS} "
                "working days of its last day."
            )
        else:
            by = _after_working_days(last, OUTCOME_WORKING_DAYS)
            lines.append(f"- {name}: we aim to tell you the outcome by {plain_date(by)}.")
    lines.append("If a date moves, we will tell you as soon as we know.")
    return "\n".join(lines)


def _feedback(doc: AdvertDocument) -> str:
    names = [s.name.strip() for s in doc.stages if s.name.strip() and s.criteria]
    if not doc.offers_feedback:
        return (
            "Each outcome letter tells you the result of that stage. We are not able to "
            "give individual scores or comments at any stage of this campaign."
        )
    stages = ", ".join(names) if names else "every assessed stage"
    return (
        f"We give written feedback at these stages: {stages}. Your outcome letter for each "
        "shows your score for every criterion assessed, the pass mark it had to reach and "
        "any comments from the panel. If you have a question about your feedback, contact "
        f"{_contact(doc)}."
    )


def _adjustments(doc: AdvertDocument) -> str:
    return (
        "If a disability or long-term health condition means you need something done "
        "differently when you apply or are assessed, tell us and we will make reasonable "
        "adjustments. Ask "
        f"{_contact(doc)} before {_closing(doc)}, and say what would help: for example "
        "extra time for a test, a room with step-free access, or a sign language "
        "interpreter at interview. If a need arises later, tell us as soon as you know, at "
        "any stage. Your request is handled by the recruitment team, not the panel that "
        "assesses you."
    )


def _disability_confident(doc: AdvertDocument) -> str:
    return (
        "We are a Disability Confident employer. We offer an interview to a fair and "
        "proportionate number of disabled candidates who meet "
        f"{MINIMUM_CRITERIA}. To be considered, say in your application that you wish to "
        "apply under the Disability Confident scheme."
    )


def _redeployment(doc: AdvertDocument) -> str:
    return (
        "Civil servants who are at risk of redundancy and meet "
        f"{MINIMUM_CRITERIA} are offered an interview under the Redeployment Interview "
        "Scheme. To be considered, say in your application that you are on your "
        "department's redeployment list."
    )


def _expenses(doc: AdvertDocument) -> str:
    return (
        "We do not normally pay travel or other expenses for taking part in the selection "
        f"process. If cost would stop you attending, contact {_contact(doc)} before you "
        "travel and we will discuss what we can do."
    )


def _security(doc: AdvertDocument) -> str:
    text = (
        "Before you start we complete the Baseline Personnel Security Standard checks: "
        "your identity, your right to work in the UK, your employment history for the last "
        "three years and any unspent criminal record. Tell us if you have spent six months "
        "or more abroad in the last three years."
    )
    level = doc.security_clearance
    years = next((y for code, y in RESIDENCE_YEARS.items() if f"({code})" in level), None)
    if years:
        text += (
            f" This post also needs {level.strip()} clearance, which usually "
            f"expects you to have lived in the UK for the last {years} years. Vetting starts "
            "after an offer; time spent outside the UK does not rule you out on its own."
        )
    return text


def _nationality(doc: AdvertDocument) -> str:
    return (
        "This post is open to:\n"
        "- UK nationals\n"
        "- nationals of the Republic of Ireland\n"
        "- nationals of Commonwealth countries who have the right to work in the UK\n"
        "- nationals of the EU, the EEA or Switzerland with settled or pre-settled status "
        "under the EU Settlement Scheme\n"
        "- some other EU, EEA, Swiss and Turkish nationals and their family members\n"
        f"If you are not sure whether you can apply, ask {_contact(doc)}."
    )


def _principles(doc: AdvertDocument) -> str:
    return (
        "We recruit on merit, through fair and open competition, as the Civil Service "
        "Commission's Recruitment Principles require. Every candidate is assessed against "
        "the same published criteria, and posts are offered in merit order."
    )


def _complaints(doc: AdvertDocument) -> str:
    reference = doc.reference.strip()
    quoting = f", quoting reference {reference}" if reference else ""
    return (
        "If you feel your application has not been handled in line with the Recruitment "
        f"Principles, first write to {_contact(doc)}{quoting}. If you are not satisfied "
        "with the department's reply, you can then complain to the Civil Service "
        "Commission."
    )


_WRITERS = {
    "hearing_back": _hearing_back,
    "feedback_statement": _feedback,
    "adjustments_statement": _adjustments,
    "guaranteed_interview_statement": _disability_confident,
    "redeployment_statement": _redeployment,
    "expenses": _expenses,
    "security_statement": _security,
    "nationality_statement": _nationality,
    "recruitment_principles": _principles,
    "complaints": _complaints,
}


def suggested_wording(key: str, doc: AdvertDocument) -> str:
    """Recruit's suggested words for the standard section `key`, from the advert's facts."""
    return _WRITERS[key](doc)


def scheme_terms(text: str) -> set[str]:
    """How a scheme statement names its threshold: {"criteria"}, {"requirements"}..."""
    return {m.group(1).lower().rstrip("s") for m in _SCHEME_TERM.finditer(text)}
