"""The words of the trade, defined once: every code the database stores and files carry,
with the one label people read on every screen, pack, letter, CSV and JSON.

Each vocabulary is a `StrEnum`: a member *is* its code (`Outcome.REJECT == "reject"`), so
rows, JSON and CSV keep the codes they always had, and `.label` is the only place its
words are written. `.phrase` is the same label as it reads inside a sentence ("As a panel
member, …"); where a member needs other words mid-sentence ("on a reserve list") they sit
beside its label. Plain Python: no database, no Qt.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class Vocabulary(StrEnum):
    """Codes with one label each. Members are written `NAME = code, label[, phrase]`."""

    label: str
    _phrase: str

    # `label` defaults only so that `Outcome("reject")` (a lookup by code) type-checks; a
    # member without one fails tests/unit/test_vocabulary.py.
    def __new__(cls, code: str, label: str = "", phrase: str = "") -> Self:
        member = str.__new__(cls, code)
        member._value_ = code
        member.label = label
        member._phrase = phrase
        return member

    @property
    def phrase(self) -> str:
        """The label inside a sentence: "recruiting manager", "on a reserve list"."""
        return self._phrase or self.label[:1].lower() + self.label[1:]

    @classmethod
    def codes(cls) -> tuple[str, ...]:
        """Every code, in the order the database's CHECK constraint lists them."""
        return tuple(member.value for member in cls)

    @classmethod
    def labels(cls) -> dict[str, str]:
        """Code -> label, in order: for choosing one from a list."""
        return {member.value: member.label for member in cls}

    @classmethod
    def label_for(cls, code: str) -> str:
        """The label of `code`; a code no longer known (an old file, a newer database) is
        shown as it is rather than lost."""
        try:
            return cls(code).label
        except ValueError:
            return code

    @classmethod
    def phrase_for(cls, code: str) -> str:
        """The phrase of `code`, or the code as it is when it is not known."""
        try:
            return cls(code).phrase
        except ValueError:
            return code


# --- campaigns, candidates, outcomes ---------------------------------------------------


class CampaignStatus(Vocabulary):
    DRAFT = "draft", "Draft"
    LIVE = "live", "Live"
    CLOSED = "closed", "Closed"


class Outcome(Vocabulary):
    """What a stage decided for a candidate. Letters to candidates say it in sentences of
    their own (exports/letters.py); every staff screen, report and export uses `label`."""

    PROGRESS = "progress", "Progressed"
    REJECT = "reject", "Not progressed"
    RESERVE = "reserve", "Reserve list", "on a reserve list"
    APPOINT = "appoint", "Appointed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ScoreStatus(Vocabulary):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class SlotStatus(Vocabulary):
    OPEN = "open", "Open"
    BOOKED = "booked", "Booked"
    CANCELLED = "cancelled", "Cancelled"


# --- stages ----------------------------------------------------------------------------


class StageKind(Vocabulary):
    APPLICATION = "application", "Application and eligibility"
    SIFT = "sift", "Sift"
    ONLINE_TEST = "online_test", "Online test"
    TECHNICAL_EXERCISE = "technical_exercise", "Technical exercise"
    TELEPHONE_INTERVIEW = "telephone_interview", "Telephone interview"
    VIDEO_INTERVIEW = "video_interview", "Video interview"
    ASSESSMENT_CENTRE = "assessment_centre", "Assessment centre"
    PANEL_INTERVIEW = "panel_interview", "Panel interview"
    PRESENTATION = "presentation", "Presentation"
    OFFER = "offer", "Offer"
    PRE_EMPLOYMENT_CHECKS = "pre_employment_checks", "Pre-employment checks"
    CUSTOM = "custom", "Custom"
    # When applications are many: a first sift on the lead criteria alone; only those who
    # meet the lead pass mark are scored on the rest at the next stage (DOMAIN.md 1.10).
    LEAD_SIFT = "lead_sift", "Pre-sift on the lead criteria"


class StageMode(Vocabulary):
    """How a stage is run. An unset mode is stored as ""; documents for candidates leave
    it out rather than print "Not set"."""

    NOT_SET = "", "Not set"
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video"
    TELEPHONE = "telephone", "Telephone"
    ONLINE = "online", "Online"

    @classmethod
    def label_if_set(cls, code: str) -> str:
        """The mode's label, or "" for a stage whose mode is not set."""
        return "" if code == cls.NOT_SET else cls.label_for(code)


# --- the Success Profiles elements -----------------------------------------------------


class Element(Vocabulary):
    ABILITY = "ABI", "Ability"
    BEHAVIOURS = "BEH", "Behaviours"
    STRENGTHS = "STR", "Strengths"
    EXPERIENCE = "EXP", "Experience"
    TECHNICAL = "TEC", "Technical"

    @property
    def heading(self) -> str:
        """The element as a section of an advert or pack says it to candidates: the
        technical element's section describes skills, and says so."""
        return "Technical skills" if self is Element.TECHNICAL else self.label


# The order candidates read the elements in a person specification.
SPECIFICATION_ORDER = (
    Element.EXPERIENCE,
    Element.TECHNICAL,
    Element.BEHAVIOURS,
    Element.STRENGTHS,
    Element.ABILITY,
)
# Elements whose criteria are judged at a level; experience is free-form.
LEVELLED_ELEMENTS = frozenset(
    {Element.ABILITY, Element.BEHAVIOURS, Element.STRENGTHS, Element.TECHNICAL}
)


# --- people ----------------------------------------------------------------------------


class Role(Vocabulary):
    """What a person may do in Recruit."""

    ADMINISTRATOR = "administrator", "Administrator"
    RECRUITING_MANAGER = "recruiting_manager", "Recruiting manager"
    PANEL_MEMBER = "panel_member", "Panel member"


class PanelRole(Vocabulary):
    """A person's seat on a stage's panel."""

    CHAIR = "chair", "Chair"
    MEMBER = "member", "Member"
    INDEPENDENT = "independent", "Independent member"


# --- the audit trail -------------------------------------------------------------------


class AuditArea(Vocabulary):
    """A kind of change the audit trail can be narrowed to (services.audit_trail says which
    actions each covers)."""

    SCORES = "scores", "Scores and conflicts of interest"
    OUTCOMES = "outcomes", "Outcomes, merit order and reserve lists"
    CANDIDATES = "candidates", "Candidates, applications and monitoring answers"
    CAMPAIGNS = "campaigns", "Campaigns, adverts, stages and plans"
    TIMETABLE = "timetable", "Timetable and interview slots"
    PEOPLE = "people", "People and passwords"
    SETTINGS = "settings", "Settings and retention"
    LIBRARY = "library", "Template library"


# --- applications ----------------------------------------------------------------------


class PartKind(Vocabulary):
    """A part of a candidate's application."""

    CV = "cv", "CV"
    STATEMENT = "statement", "Personal statement"
    ANSWER = "answer", "Answer"
    ELIGIBILITY = "eligibility", "Eligibility answer"
    DOCUMENT = "document", "Document"


class Redaction(Vocabulary):
    """What name-blind reading replaced in an application, and the mark put in its place."""

    NAME = "name", "[name]"
    EMAIL = "email", "[e-mail]"
    PHONE = "phone", "[phone]"
    POSTCODE = "postcode", "[postcode]"
    LINK = "link", "[link]"
    BIRTH = "birth", "[date of birth]"
    AGE = "age", "[age]"
    ADDRESS = "address", "[address]"
    MANUAL = "manual", "[removed]"
