"""The types that cross layers: read models handed to renderers and views, and the
callbacks a long job reports through. Frozen, no database, no Qt.

Services build them inside their unit of work; exports and the interface only read them,
so `exports` depends on this module and never on a service. Codes in them (an outcome, a
panel role, an element) are the vocabulary's (`recruit_app.vocabulary`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from recruit_app.vocabulary import PanelRole

if TYPE_CHECKING:
    # Only named in annotations: the domain's rules import the advert read models below,
    # so importing the rules here would go round in a circle.
    from recruit_app.domain.equality import Characteristic
    from recruit_app.domain.fairness import ImpactRow
    from recruit_app.domain.report import (
        AssessorLine,
        CriterionDistribution,
        FunnelRow,
        StageTiming,
        Standing,
    )
    from recruit_app.domain.stage_rules import Scale

# --- long jobs -----------------------------------------------------------------------

Progress = Callable[[int, int], None]  # (done, total)
PhasedProgress = Callable[[int, int, str], None]  # (done, total, what is being done)
IsCancelled = Callable[[], bool]  # asked between rows or pages; True stops the job
Checkpoint = Callable[[], None]  # called between sections; raises Cancelled to stop


# --- adverts -------------------------------------------------------------------------


@dataclass(frozen=True)
class CandidateSection:
    """One section a candidate reads in the advert and the information pack.

    `key` is the advert field it comes from; `text` is the manager's words, "" while the
    section is not written yet (renderers then say so, they never drop the section).
    """

    key: str
    heading: str
    text: str


# The sections every real Civil Service pack in our sources carries, in reading order:
# (advert field, heading). The advert checker asks for each; the builder offers each,
# with suggested wording (recruit_app.domain.advert_sections).
STANDARD_SECTIONS: tuple[tuple[str, str], ...] = (
    ("hearing_back", "When you will hear from us"),
    ("feedback_statement", "Feedback"),
    ("adjustments_statement", "Reasonable adjustments"),
    ("guaranteed_interview_statement", "Disability Confident scheme"),
    ("redeployment_statement", "Redeployment Interview Scheme"),
    ("expenses", "Expenses"),
    ("security_statement", "Security checks"),
    ("nationality_statement", "Nationality requirements"),
    ("recruitment_principles", "Recruitment principles"),
    ("complaints", "Complaints"),
)
# Sections the information pack cannot do without: an advert is not published while one
# is empty, and the pack prints each (saying who to ask while it is empty).
REQUIRED_PACK_SECTIONS: tuple[tuple[str, str], ...] = (
    ("about_organisation", "About the organisation"),
    ("how_to_apply", "How to apply"),
    ("terms_and_conditions", "Terms and conditions"),
)


def standard_sections(doc: AdvertDocument | InfoPackDocument) -> tuple[CandidateSection, ...]:
    """The standard sections of an advert or a pack; the security section starts with the
    clearance level when one is set."""
    found = []
    for key, heading in STANDARD_SECTIONS:
        text = str(getattr(doc, key, "") or "").strip()
        if key == "security_statement" and doc.security_clearance.strip():
            level = (
                "Before you can be appointed you must pass security checks at this level: "
                f"{doc.security_clearance.strip()}."
            )
            text = f"{level}\n\n{text}" if text else level
        found.append(CandidateSection(key, heading, text))
    return tuple(found)


def pack_sections(doc: AdvertDocument | InfoPackDocument) -> tuple[CandidateSection, ...]:
    return tuple(
        CandidateSection(key, heading, str(getattr(doc, key, "") or "").strip())
        for key, heading in REQUIRED_PACK_SECTIONS
    )


@dataclass(frozen=True)
class PayZone:
    zone: str
    minimum: int
    maximum: int


@dataclass(frozen=True)
class AdvertCriterionView:
    code: str
    title: str
    element: str  # ABI, BEH, STR, EXP or TEC
    essential: bool
    description: str = ""
    level: int | None = None
    level_label: str = ""  # e.g. "Level 3" or "Level 4 (Enable)"
    lead: bool = False
    weight: float = 1.0
    indicators: tuple[str, ...] = ()  # what good looks like at this level


@dataclass(frozen=True)
class StageSummary:
    name: str
    kind: str
    mode: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    criteria: tuple[str, ...] = ()  # codes of the advert criteria assessed


@dataclass(frozen=True)
class AdvertDocument:
    """Everything a candidate reads in an advert, ready to render."""

    organisation: str
    reference: str
    title: str
    grade: str = ""
    pay_zones: tuple[PayZone, ...] = ()
    allowance: str = ""
    contract_type: str = ""
    business_area: str = ""
    role_types: tuple[str, ...] = ()
    working_patterns: tuple[str, ...] = ()
    posts: int = 1
    locations: tuple[str, ...] = ()
    summary: str = ""
    job_description: str = ""
    responsibilities: str = ""
    person_specification: str = ""
    qualifications: str = ""
    benefits: str = ""
    selection_process: str = ""
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    contact_name: str = ""
    contact_email: str = ""
    team_email: str = ""
    security_clearance: str = ""
    nationality_statement: str = ""
    guaranteed_interview_statement: str = ""
    reserve_list_months: int = 12
    hiring_manager: str = ""
    welcome_letter: str = ""
    about_organisation: str = ""
    how_to_apply: str = ""
    terms_and_conditions: str = ""
    offers_feedback: bool = False
    # The standard sections (STANDARD_SECTIONS): what every real Civil Service pack says.
    hearing_back: str = ""
    feedback_statement: str = ""
    adjustments_statement: str = ""
    redeployment_statement: str = ""
    expenses: str = ""
    security_statement: str = ""
    recruitment_principles: str = ""
    complaints: str = ""
    criteria: tuple[AdvertCriterionView, ...] = ()
    stages: tuple[StageSummary, ...] = ()
    status_label: str = "Draft"  # e.g. "Draft" or "Published (version 2), 23 November 2026"

    @property
    def standard_sections(self) -> tuple[CandidateSection, ...]:
        """The standard sections in reading order, each as (key, heading, text)."""
        return standard_sections(self)

    @property
    def pack_sections(self) -> tuple[CandidateSection, ...]:
        """The sections the information pack needs filled in (REQUIRED_PACK_SECTIONS)."""
        return pack_sections(self)


def advert_document_to_dict(doc: AdvertDocument) -> dict[str, object]:
    """A JSON-ready copy (for freezing a published version)."""
    data = asdict(doc)
    for key in ("opens_at", "closes_at"):
        value = getattr(doc, key)
        data[key] = value.isoformat() if value else None
    for stage in data["stages"]:
        for key in ("starts_on", "ends_on"):
            stage[key] = stage[key].isoformat() if stage[key] else None
    return data


def advert_document_from_dict(data: Mapping[str, Any]) -> AdvertDocument:
    """The document back from its JSON copy (values as JSON has them: any shape)."""
    values = dict(data)
    for key in ("opens_at", "closes_at"):
        text = values.get(key)
        values[key] = datetime.fromisoformat(text) if isinstance(text, str) else None
    values["pay_zones"] = tuple(PayZone(**z) for z in values.get("pay_zones", ()))
    values["criteria"] = tuple(
        AdvertCriterionView(**{**c, "indicators": tuple(c["indicators"])})
        for c in values.get("criteria", ())
    )
    values["stages"] = tuple(
        StageSummary(
            **{
                **s,
                "criteria": tuple(s["criteria"]),
                "starts_on": date.fromisoformat(s["starts_on"]) if s["starts_on"] else None,
                "ends_on": date.fromisoformat(s["ends_on"]) if s["ends_on"] else None,
            }
        )
        for s in values.get("stages", ())
    )
    for key in ("role_types", "working_patterns", "locations"):
        values[key] = tuple(values.get(key, ()))
    return AdvertDocument(**values)


# --- calendars -----------------------------------------------------------------------


@dataclass(frozen=True)
class Attendee:
    name: str
    email: str
    role: str = "REQ-PARTICIPANT"  # or "CHAIR", "OPT-PARTICIPANT"


@dataclass(frozen=True)
class CalendarEvent:
    """One interview (or other timed event) as calendar files carry it."""

    uid: str  # stable: re-exporting updates the event instead of duplicating it
    sequence: int  # goes up each time the event changes
    starts_at: datetime  # aware
    ends_at: datetime  # aware
    summary: str
    description: str = ""
    location: str = ""
    cancelled: bool = False
    organiser: Attendee | None = None
    attendees: tuple[Attendee, ...] = ()


# --- the candidate information pack --------------------------------------------------


@dataclass(frozen=True)
class InfoPackCriterion:
    """An advert criterion as the pack describes it, with its level's indicators."""

    code: str
    title: str
    element: str  # an Element code: ABI, BEH, STR, EXP or TEC
    essential: bool = True
    lead: bool = False
    level: int | None = None
    level_label: str = ""  # "Level 3" or "Level 4 (Enable)"
    description: str = ""  # the advert's words, else the library's
    level_description: str = ""  # what the level means, from the library
    indicators: tuple[str, ...] = ()  # what good looks like at this level


@dataclass(frozen=True)
class PackStage:
    name: str
    kind: str = ""  # a StageKind code
    mode: str = ""  # a StageMode code; "" when not set
    starts_on: date | None = None
    ends_on: date | None = None
    criteria: tuple[str, ...] = ()  # codes of the criteria it assesses, in matrix order


@dataclass(frozen=True)
class PackDate:
    """One line of the vacancy timetable."""

    label: str
    kind: str  # opens, closes, stage, event, decision, start
    starts_on: date | None
    ends_on: date | None = None


@dataclass(frozen=True)
class PackPost:
    """One role of a campaign with several: its own annex."""

    annex: str  # "A", "B", ...
    title: str
    grade: str = ""
    count: int = 1
    locations: tuple[str, ...] = ()
    job_description: str = ""
    responsibilities: str = ""
    criteria: tuple[str, ...] = ()  # codes; the service resolves "none listed" to all


@dataclass(frozen=True)
class InfoPackDocument:
    organisation: str
    reference: str
    title: str
    grade: str = ""
    pay_zones: tuple[PayZone, ...] = ()
    allowance: str = ""
    contract_type: str = ""
    business_area: str = ""
    working_patterns: tuple[str, ...] = ()
    number_of_posts: int = 1
    locations: tuple[str, ...] = ()
    summary: str = ""
    job_description: str = ""
    responsibilities: str = ""
    person_specification: str = ""
    qualifications: str = ""
    benefits: str = ""
    selection_process: str = ""
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    contact_name: str = ""
    contact_email: str = ""
    team_email: str = ""
    security_clearance: str = ""
    nationality_statement: str = ""
    guaranteed_interview_statement: str = ""
    hiring_manager: str = ""
    welcome_letter: str = ""
    about_organisation: str = ""
    how_to_apply: str = ""
    terms_and_conditions: str = ""
    hearing_back: str = ""
    feedback_statement: str = ""
    adjustments_statement: str = ""
    redeployment_statement: str = ""
    expenses: str = ""
    security_statement: str = ""
    recruitment_principles: str = ""
    complaints: str = ""
    criteria: tuple[InfoPackCriterion, ...] = ()
    stages: tuple[PackStage, ...] = ()
    timetable: tuple[PackDate, ...] = ()
    posts: tuple[PackPost, ...] = ()  # empty: the advert is the single post

    @property
    def standard_sections(self) -> tuple[CandidateSection, ...]:
        """The standard sections in reading order, each as (key, heading, text)."""
        return standard_sections(self)

    @property
    def pack_sections(self) -> tuple[CandidateSection, ...]:
        """About the organisation, how to apply, terms and conditions."""
        return pack_sections(self)

    @property
    def unwritten(self) -> tuple[str, ...]:
        """Headings of the sections still without words (the pack says whom to ask)."""
        return tuple(
            s.heading for s in (*self.pack_sections, *self.standard_sections) if not s.text
        )

    def criterion(self, code: str) -> InfoPackCriterion | None:
        return next((c for c in self.criteria if c.code == code), None)


# --- the panel pack ------------------------------------------------------------------


@dataclass(frozen=True)
class PackMember:
    name: str
    role: str  # a PanelRole code: chair, member or independent
    panel_number: int

    @property
    def role_words(self) -> str:
        """The seat inside a sentence: "chair", "independent member"."""
        return PanelRole.phrase_for(self.role)

    @property
    def label(self) -> str:
        """ "Tom Okonkwo (chair)"; a plain member is just the name."""
        return self.name if self.role == PanelRole.MEMBER else f"{self.name} ({self.role_words})"


@dataclass(frozen=True)
class PanelPackCriterion:
    code: str
    title: str
    element: str  # an Element code: ABI, BEH, STR, EXP or TEC
    element_name: str
    essential: bool
    lead: bool
    level: int | None
    level_label: str  # "Level 4 (Enable)", "Level 3" or ""
    level_description: str
    pass_mark: int | None
    weight: float
    indicators: tuple[str, ...]  # what good looks like at the level
    negative_indicators: tuple[str, ...]
    description: str  # the advert's own words, for criteria outside the library
    # The cell's own scale where it is not the stage's (a strength's 1 to 4), else None.
    scale: Scale | None = None


@dataclass(frozen=True)
class PackSlot:
    day: date  # London
    starts: str  # "09:30", London
    ends: str
    panel_number: int
    where: str  # room, else video link (the slot's own, else the stage's)
    candidate_number: str  # "" when the slot is open
    candidate_label: str  # "0003" at a name-blind stage, else "0003 Łukasz Nowak"
    members: tuple[PackMember, ...]


NO_TEXT_WORDS = "No text: needs reading in the original"


@dataclass(frozen=True)
class PanelApplicationPart:
    """One part of a candidate's application as the stage's panel reads it: at a
    name-blind stage the redacted text (names, contact details and links replaced by
    "[name]", "[e-mail]"...) under a heading that never holds a file's original name."""

    kind: str  # a PartKind code
    criterion: str  # the advert criterion's code ("" when none)
    heading: str  # "Data management (DATM)", "Personal statement", "CV: [name] CV.pdf"
    text: str
    words: int
    limit: int  # the advert's word limit (0: none)
    no_text: bool  # a scanned document: no text to read
    note: str = ""  # a remark kept with a document: "only the first 50 pages were read"

    @property
    def over_limit(self) -> bool:
        return bool(self.limit) and self.words > self.limit

    @property
    def length(self) -> str:
        """ "312 words; limit 250: over the limit", "180 words; limit 250", "312 words";
        "" for a document with no text."""
        if self.no_text:
            return ""
        said = f"{self.words:,} {'word' if self.words == 1 else 'words'}"
        if not self.limit:
            return said
        said += f"; limit {self.limit:,}"
        return f"{said}: over the limit" if self.over_limit else said

    @property
    def remarks(self) -> tuple[str, ...]:
        """What a reader must know besides the text: "No text: needs reading in the
        original", and the document's note, each as a sentence without its full stop."""
        said = [NO_TEXT_WORDS] if self.no_text else []
        for remark in self.note.split(";"):
            remark = remark.strip()
            if remark and remark.casefold() != NO_TEXT_WORDS.casefold():
                said.append(remark[:1].upper() + remark[1:])
        return tuple(said)


@dataclass(frozen=True)
class PanelApplication:
    """A candidate's application as the stage's panel reads it (packs and workbooks)."""

    redacted: bool  # name-blind: the text is what redaction leaves
    parts: tuple[PanelApplicationPart, ...]

    def answer_for(self, criterion: str) -> PanelApplicationPart | None:
        return next((p for p in self.parts if p.criterion == criterion), None)


@dataclass(frozen=True)
class PackCandidate:
    number: str
    name: str  # "" at a name-blind stage
    label: str  # "Candidate 0003" at a name-blind stage, else "0003 Łukasz Nowak"
    slot: PackSlot | None
    adjustments: bool  # never set at a name-blind stage or a sift
    extra_minutes: int
    conflicts: tuple[PackMember, ...]  # panel members who declared a conflict with them

    @property
    def conflict_names(self) -> str:
        return ", ".join(m.name for m in self.conflicts)

    members: tuple[PackMember, ...]  # who assesses them: their slot's panel, else everyone
    # Their application where the pack is made with applications (None: none imported).
    application: PanelApplication | None = None


@dataclass(frozen=True)
class PackPlanQuestion:
    """A question of the stage's plan, asked of every candidate in this order."""

    number: int  # 1, 2, ... through the whole plan
    text: str
    probes: tuple[str, ...]
    minutes: int
    unseen: bool  # a strength question: not sent to candidates in advance
    sent_on: date | None  # a presentation topic: the day it was sent


@dataclass(frozen=True)
class PackPlanCriterion:
    code: str
    title: str
    questions: tuple[PackPlanQuestion, ...]

    @property
    def minutes(self) -> int:
        return sum(q.minutes for q in self.questions)


@dataclass(frozen=True)
class PlanDeviationLine:
    """A departure from a stage's question plan with one candidate, as the chair's copy of
    the panel pack and the campaign report print it: the candidate by number only."""

    candidate_number: str
    note: str
    recorded_by: str
    recorded_on: date  # the London day it was recorded


@dataclass(frozen=True)
class PanelPackDocument:
    """Everything a panel pack prints, ready to render. At a name-blind stage it holds no
    candidate's name, e-mail or phone, so no renderer can print them."""

    organisation: str
    campaign_reference: str
    campaign_title: str
    stage_name: str
    stage_kind: str  # a StageKind code
    mode: str  # in words (the StageMode's label): "Video", or "" when not set
    starts_on: date | None
    ends_on: date | None
    location: str
    video_link: str
    name_blind: bool
    interview: bool  # the candidate is there in person or on a call: bigger evidence boxes
    shows_adjustments: bool
    scale: Scale
    pass_mark_total: float | None
    members: tuple[PackMember, ...]
    criteria: tuple[PanelPackCriterion, ...]
    slots: tuple[PackSlot, ...]
    candidates: tuple[PackCandidate, ...]
    # Each candidate's application follows their score sheet (as the panel reads it).
    with_applications: bool = False
    # The question plan, criterion by criterion (those with questions), and the chair's
    # script; the timing against the slot length, in words, where it does not fit.
    plan: tuple[PackPlanCriterion, ...] = ()
    welcome_script: str = ""
    close_script: str = ""
    slot_minutes: int | None = None
    plan_warnings: tuple[str, ...] = ()
    # The chair's copy adds the chair's brief: the running order, the welcome and close
    # script, and the departures from the plan recorded so far (only read for that copy).
    chair_copy: bool = False
    deviations: tuple[PlanDeviationLine, ...] = ()
    # One panel member's own copy: their score boxes only, for the candidates they assess.
    member_copy: str = ""  # the member's name; "" for the whole panel's pack

    @property
    def plan_minutes(self) -> int:
        return sum(c.minutes for c in self.plan)

    @property
    def has_chair_brief(self) -> bool:
        return self.chair_copy and bool(
            self.plan or self.welcome_script or self.close_script or self.deviations
        )

    @property
    def title(self) -> str:
        copy = " (chair's copy)" if self.chair_copy else ""
        if self.member_copy:
            copy = f" ({self.member_copy}'s copy)"
        return f"Panel pack{copy}: {self.stage_name}"

    @property
    def panels(self) -> tuple[int, ...]:
        return tuple(sorted({m.panel_number for m in self.members}))


# --- outcome letters -----------------------------------------------------------------
# Worker processes receive these pickled: plain strings, numbers and dates only.


@dataclass(frozen=True)
class ScoreLine:
    """One criterion of the stage: the candidate's score against its pass mark."""

    code: str
    title: str
    score: float | None  # the agreed score, else the mean of the panel's scores
    pass_mark: float | None
    met: bool | None  # None: no pass mark, or no score


@dataclass(frozen=True)
class Letter:
    """One candidate's letter; scores and feedback are empty unless the advert offers them."""

    candidate_id: int
    candidate_number: str
    first_name: str
    last_name: str
    email: str
    outcome: str  # an Outcome code: progress, reject, reserve, appoint or withdrawn
    reserve_expires_on: date | None = None
    feedback: str = ""
    scores: tuple[ScoreLine, ...] = ()
    total: float | None = None
    total_pass_mark: float | None = None
    total_met: bool | None = None
    # Titles of the criteria scored below their pass mark, in matrix order: the reasons a
    # letter gives, and the only criteria its feedback may name.
    below: tuple[str, ...] = ()

    @property
    def has_scores(self) -> bool:
        return any(line.score is not None for line in self.scores)


@dataclass(frozen=True)
class NextStage:
    name: str
    kind: str  # a StageKind code
    mode: str = ""  # a StageMode code: in_person, video, telephone, online or ""
    starts_on: date | None = None
    ends_on: date | None = None


@dataclass(frozen=True)
class LettersDocument:
    """The outcome letters of one stage, ready to render."""

    organisation: str
    reference: str
    campaign_title: str
    stage_id: int
    stage_name: str
    dated: date
    letters: tuple[Letter, ...]
    grade: str = ""
    next_stage: NextStage | None = None
    offers_feedback: bool = False
    scale_minimum: int | None = None
    scale_maximum: int | None = None
    weighted: bool = False  # some criterion counts more than once in the total
    contact_name: str = ""
    team_email: str = ""
    security_clearance: str = ""
    reserve_list_months: int = 12
    expected_start_on: date | None = None
    # What the manager should know before sending: later dates already passed, feedback
    # naming a criterion the candidate met. Shown, or asked about, before generating.
    warnings: tuple[str, ...] = ()


# --- the campaign report -------------------------------------------------------------
# Its figures (funnel rows, distributions, timings, assessor lines) are worked out by the
# pure rules in `recruit_app.domain.report`, which own those types.


@dataclass(frozen=True)
class MeritRow:
    rank: int | None
    number: str
    name: str  # empty at a name-blind stage
    total: float | None
    outcome: str  # words: an Outcome's label, or "Not decided yet"


@dataclass(frozen=True)
class MeritOrder:
    stage: str
    name_blind: bool
    finalised: bool
    scored: bool  # False: outcomes recorded without scores in Recruit
    rows: tuple[MeritRow, ...]
    total_rows: int  # rows beyond the listed ones are counted, not listed
    note: str = ""


@dataclass(frozen=True)
class StageDistribution:
    stage: str
    scale_name: str
    scale_points: tuple[tuple[int, str], ...]  # value and label, lowest first
    criteria: tuple[CriterionDistribution, ...]


@dataclass(frozen=True)
class ReserveGroup:
    stage: str
    expires_on: date | None
    candidates: int
    expired: bool


@dataclass(frozen=True)
class StageConsistency:
    stage: str
    lines: tuple[AssessorLine, ...]


@dataclass(frozen=True)
class StageDeviations:
    """The departures from one stage's question plan, oldest first (numbers, no names)."""

    stage: str
    lines: tuple[PlanDeviationLine, ...]


@dataclass(frozen=True)
class CampaignReportDocument:
    """Everything the campaign report shows, ready to render."""

    organisation: str
    reference: str
    title: str
    status: str  # words: "Live", "Closed (archived)"
    produced_on: date
    grade: str
    applied: int
    summary: tuple[str, ...]
    funnel: tuple[FunnelRow, ...]
    standing: Standing
    distributions: tuple[StageDistribution, ...]
    merit_orders: tuple[MeritOrder, ...]
    timings: tuple[StageTiming, ...]
    reserves: tuple[ReserveGroup, ...]
    consistency: tuple[StageConsistency, ...]
    deviations: tuple[StageDeviations, ...] = ()
    # Only for those who may see equality monitoring figures (services.equality); None
    # for everyone else, and then the report says nothing of them at all.
    fairness: FairnessSection | None = None

    @property
    def empty(self) -> bool:
        return self.applied == 0


# --- fairness (adverse impact) -------------------------------------------------------

# UK law (the Equality Act 2010) sets no numeric threshold; the four-fifths rule is a US
# guideline, used here only as a flag (recruit_app.domain.fairness).
UK_LAW_NOTE = (
    "UK law sets no threshold: an impact ratio below 0.8 is a monitoring flag to look "
    "into, not a finding."
)
FLAG_WORDS = "Below 0.8: look into it"
GROUPS_NOTE = (
    "\u201cPrefer not to say\u201d counts candidates who chose not to answer the question; "
    "\u201cNot answered\u201d counts those who gave no answer at all (or whose answers were "
    "never imported). Neither is compared with the other groups or flagged."
)


def rate_words(rate: float | None) -> str:
    """A selection rate as a percentage to one place: "52.9%"; a dash for none."""
    return "\u2013" if rate is None else f"{rate * 100:.1f}%"


def ratio_words(ratio: float | None) -> str:
    return "\u2013" if ratio is None else f"{ratio:.2f}"


def p_value_words(p_value: float | None) -> str:
    if p_value is None:
        return "\u2013"
    return "below 0.001" if p_value < 0.001 else f"{p_value:.3f}"


@dataclass(frozen=True)
class FairnessLine:
    """One group at one stage, labelled; a suppressed line carries None for its figures."""

    stage: str
    group: str  # the category's label, "Prefer not to say", "Not answered", "All candidates"
    entered: int | None
    progressed: int | None
    rate: float | None
    impact_ratio: float | None
    flag: bool
    p_value: float | None
    suppressed: bool
    total: bool  # the stage's row for everyone
    compared: bool = True  # False for "Prefer not to say", "Not answered" and the total

    @classmethod
    def of(cls, row: ImpactRow, characteristic: Characteristic) -> FairnessLine:
        from recruit_app.domain.equality import TOTAL
        from recruit_app.domain.fairness import NOT_COMPARED

        return cls(
            stage=row.stage,
            group=characteristic.label_for(row.group),
            entered=row.entered,
            progressed=row.progressed,
            rate=row.rate,
            impact_ratio=row.impact_ratio,
            flag=bool(row.flag),
            p_value=row.p_value,
            suppressed=row.suppressed,
            total=row.group == TOTAL,
            compared=row.group not in NOT_COMPARED and row.group != TOTAL,
        )


@dataclass(frozen=True)
class FairnessTable:
    """One characteristic's lines, stage by stage (each stage's total last)."""

    characteristic: str  # its label
    lines: tuple[FairnessLine, ...]


@dataclass(frozen=True)
class FairnessSection:
    threshold: int  # counts below it are suppressed
    tables: tuple[FairnessTable, ...]


# --- subject access ------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreEntry:
    stage: str
    criterion: str
    assessor: str
    score: int | None
    status: str  # a ScoreStatus code
    evidence: str


@dataclass(frozen=True)
class StageEntry:
    stage: str
    outcome: str  # an Outcome code, or "" when none is recorded
    decided_on: str
    reason: str
    feedback: str
    reserve_expires_on: str
    interview: str  # "2026-12-07 10:45 to 11:45, panel 1" (London), or ""


@dataclass(frozen=True)
class CandidateRecord:
    """What Recruit holds about one candidate (their subject access request)."""

    produced_at: str
    campaign_reference: str
    campaign_title: str
    details: dict[str, object]
    stages: tuple[StageEntry, ...]
    scores: tuple[ScoreEntry, ...]
    agreed_scores: tuple[dict[str, object], ...]
    conflicts_declared: int
    history: tuple[dict[str, object], ...]
    # Their application as they sent it: [{"part", "criterion", "text", "file"}].
    application: tuple[dict[str, object], ...] = ()

    def to_json(self) -> dict[str, object]:
        return asdict(self)
