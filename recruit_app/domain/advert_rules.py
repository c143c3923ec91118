"""Checks on an advert before it is published: errors block publication, warnings do not."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from recruit_app.domain.advert_sections import scheme_terms
from recruit_app.readmodels import STANDARD_SECTIONS, AdvertDocument

MAX_PER_ELEMENT = 8  # Civil Service Jobs assesses at most 8 behaviours, skills or strengths

# Success Profiles behaviour level for each Civil Service grade.
GRADE_LEVELS = {
    "administrative assistant": 1,
    "aa": 1,
    "administrative officer": 1,
    "ao": 1,
    "executive officer": 2,
    "eo": 2,
    "higher executive officer": 3,
    "heo": 3,
    "senior executive officer": 3,
    "seo": 3,
    "grade 7": 4,
    "g7": 4,
    "grade 6": 4,
    "g6": 4,
    "deputy director": 5,
    "scs pay band 1": 5,
    "scs1": 5,
    "director": 6,
    "scs pay band 2": 6,
    "scs2": 6,
    "director general": 6,
    "scs pay band 3": 6,
    "scs3": 6,
}

REQUIRED_TEXT = {
    "title": "Give the advert a title.",
    "grade": "Give the grade of the post.",
    "summary": "The job summary is empty.",
    "job_description": "The job description is empty.",
    # The information pack's own sections: candidates need each (REQUIRED_PACK_SECTIONS).
    "about_organisation": "Say something about the organisation: the pack's About us is empty.",
    "how_to_apply": "Say how to apply: the pack's How to apply is empty.",
    "terms_and_conditions": "Give the terms and conditions: the pack's section is empty.",
}
WANTED_TEXT = {
    "responsibilities": "List the main responsibilities.",
    "selection_process": "Say how candidates will be assessed.",
    "benefits": "Say what the organisation offers (pay aside).",
}


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" blocks publishing, "warning" does not
    kind: str
    field: str
    message: str
    text: str = ""
    start: int = -1
    end: int = -1

    def to_json(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "kind": self.kind,
            "field": self.field,
            "message": self.message,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }


def grade_level(grade: str) -> int | None:
    """The behaviour level a grade calls for, or None for grades outside the ladder."""
    text = " ".join(grade.lower().replace("(", " ").replace(")", " ").split())
    if text in GRADE_LEVELS:
        return GRADE_LEVELS[text]
    for name in sorted(GRADE_LEVELS, key=len, reverse=True):
        if len(name) > 3 and re.search(rf"\b{re.escape(name)}\b", text):
            return GRADE_LEVELS[name]
    return None


def money(amount: int) -> str:
    return f"£{amount:,}"


def check_advert(doc: AdvertDocument, *, now: datetime, published: bool) -> list[Finding]:
    """Every finding about the advert's content and structure (not its wording)."""
    findings: list[Finding] = []
    findings += _required(doc)
    findings += _pay(doc)
    findings += _dates(doc, now, published)
    findings += _criteria(doc)
    findings += _stages(doc)
    findings += _standard_sections(doc)
    return findings


def _error(kind: str, field: str, message: str) -> Finding:
    return Finding("error", kind, field, message)


def _warning(kind: str, field: str, message: str) -> Finding:
    return Finding("warning", kind, field, message)


def _required(doc: AdvertDocument) -> list[Finding]:
    found = [
        _error("required", f, m)
        for f, m in REQUIRED_TEXT.items()
        if not str(getattr(doc, f)).strip()
    ]
    found += [
        _warning("recommended", f, m)
        for f, m in WANTED_TEXT.items()
        if not str(getattr(doc, f)).strip()
    ]
    if not doc.locations:
        found.append(_error("required", "locations", "Give at least one location."))
    if doc.posts < 1:
        found.append(_error("required", "posts", "The number of posts must be at least 1."))
    if not doc.contact_email.strip():
        found.append(
            _error("required", "contact_email", "Give a contact e-mail address for applicants.")
        )
    return found


def _standard_sections(doc: AdvertDocument) -> list[Finding]:
    """Each standard section every Civil Service pack carries; the two interview schemes
    naming their threshold the same way."""
    found = [
        _warning(
            "section",
            key,
            f"The {heading} section is empty: every Civil Service pack has one. "
            "Write it, or start from the suggested wording.",
        )
        for key, heading in STANDARD_SECTIONS
        if not str(getattr(doc, key)).strip()
    ]
    confident = scheme_terms(doc.guaranteed_interview_statement)
    redeployment = scheme_terms(doc.redeployment_statement)
    if confident and redeployment and confident != redeployment:
        found.append(
            _warning(
                "schemes",
                "redeployment_statement",
                "The Disability Confident and Redeployment Interview Scheme sections name "
                f"different thresholds (minimum {' / '.join(sorted(confident))} against "
                f"minimum {' / '.join(sorted(redeployment))}): word both the same way.",
            )
        )
    return found


def _pay(doc: AdvertDocument) -> list[Finding]:
    if not doc.pay_zones:
        return [_error("required", "pay_zones", "Give the salary for at least one pay zone.")]
    found = []
    for zone in doc.pay_zones:
        name = zone.zone or "A pay zone"
        if not zone.zone.strip():
            found.append(_error("salary", "pay_zones", "Every pay zone needs a name."))
        if zone.minimum > zone.maximum:
            found.append(
                _error(
                    "salary",
                    "pay_zones",
                    f"{name}: the minimum {money(zone.minimum)} is above the maximum "
                    f"{money(zone.maximum)}.",
                )
            )
        if zone.maximum == 0:
            found.append(_error("salary", "pay_zones", f"{name}: give the salary."))
    return found


def _dates(doc: AdvertDocument, now: datetime, published: bool) -> list[Finding]:
    if doc.closes_at is None:
        return [_error("required", "closes_at", "Set the closing date and time.")]
    found = []
    if not published and doc.closes_at <= now:
        found.append(
            _error(
                "closing-date",
                "closes_at",
                "The closing date is in the past; set a later one before publishing.",
            )
        )
    if doc.opens_at is not None and doc.opens_at >= doc.closes_at:
        found.append(
            _error(
                "closing-date", "opens_at", "The advert opens after it closes; check both dates."
            )
        )
    return found


def _criteria(doc: AdvertDocument) -> list[Finding]:
    found = []
    if not any(c.essential for c in doc.criteria):
        found.append(
            _error(
                "criteria",
                "criteria",
                "Add at least one essential criterion: candidates are judged against them.",
            )
        )
    expected = grade_level(doc.grade)
    for c in doc.criteria:
        if c.element == "BEH" and expected is not None and c.level not in (None, expected):
            found.append(
                _warning(
                    "level",
                    "criteria",
                    f"{c.title} is at level {c.level}, but {doc.grade} posts are usually assessed "
                    f"at level {expected}.",
                )
            )
    for element, label in (
        ("BEH", "behaviours"),
        ("TEC", "technical skills"),
        ("STR", "strengths"),
    ):
        count = sum(c.element == element for c in doc.criteria)
        if count > MAX_PER_ELEMENT:
            found.append(
                _warning(
                    "criteria",
                    "criteria",
                    f"The advert asks for {count} {label}; keep it to {MAX_PER_ELEMENT} or fewer.",
                )
            )
    return found


def _stages(doc: AdvertDocument) -> list[Finding]:
    """Each lead criterion (a campaign may name several, in order) is assessed at the
    first scoring stage."""
    found = []
    scoring = [s for s in doc.stages if s.criteria]
    for lead in (c for c in doc.criteria if c.lead):
        if not scoring:
            found.append(
                _warning(
                    "lead", "criteria", f"No stage assesses the lead criterion ({lead.title}) yet."
                )
            )
        elif lead.code not in scoring[0].criteria:
            found.append(
                _warning(
                    "lead",
                    "criteria",
                    f"The lead criterion ({lead.title}) is not assessed at the first "
                    f"scoring stage, {scoring[0].name}.",
                )
            )
    return found


# Choices offered in the advert form (users may still type their own).
GRADES = (
    "Administrative Assistant",
    "Administrative Officer",
    "Executive Officer",
    "Higher Executive Officer",
    "Senior Executive Officer",
    "Grade 7",
    "Grade 6",
    "Deputy Director (SCS pay band 1)",
    "Director (SCS pay band 2)",
    "Director General (SCS pay band 3)",
)
CONTRACT_TYPES = ("Permanent", "Fixed term", "Temporary", "Loan", "Secondment", "Apprenticeship")
WORKING_PATTERNS = (
    "Full-time",
    "Part-time",
    "Flexible working",
    "Compressed Hours",
    "Job share",
    "Homeworking",
)
SECURITY_LEVELS = (
    "Baseline Personnel Security Standard (BPSS)",
    "Counter Terrorist Check (CTC)",
    "Security Check (SC)",
    "Developed Vetting (DV)",
)
