"""The tables: SQLModel classes for the whole data outline of DESIGN.md.

Rows that people edit carry `version`, `updated_at` and `updated_by`: SQLAlchemy
checks the version on every UPDATE (optimistic locking), and services compare it
with the version the user saw to refuse a save over someone else's newer change.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal, Protocol

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Index,
    LargeBinary,
    MetaData,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from db.types import UTCDateTime, utcnow
from recruit_app import vocabulary

# Stable constraint names, so migrations look the same on SQLite and PostgreSQL.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata

# The codes each CHECK constraint allows, in the vocabulary's order (the order is part of
# the constraint's SQL, which the migrations repeat).
ELEMENTS = vocabulary.Element.codes()
ROLES = vocabulary.Role.codes()
PANEL_ROLES = vocabulary.PanelRole.codes()
CAMPAIGN_STATUSES = vocabulary.CampaignStatus.codes()
OUTCOMES = vocabulary.Outcome.codes()
SCORE_STATUSES = vocabulary.ScoreStatus.codes()
SLOT_STATUSES = vocabulary.SlotStatus.codes()
PART_KINDS = vocabulary.PartKind.codes()


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


def _fk(
    target: str,
    *,
    ondelete: Literal["CASCADE", "SET NULL", "RESTRICT"] = "CASCADE",
    nullable: bool = False,
    **kw: Any,
) -> Any:
    return Field(foreign_key=target, ondelete=ondelete, nullable=nullable, index=True, **kw)


class _Saved(Protocol):
    id: int | None


def id_of(row: _Saved) -> int:
    """The id of a row that was loaded or flushed: the database has given it one.

    Tables declare `id: int | None` (None until the first flush); this says where code
    relies on the row being saved, and fails loudly if it is not.
    """
    assert row.id is not None, f"{type(row).__name__} has no id yet: flush it first"
    return row.id


class Versioned(SQLModel):
    """Columns for optimistic locking and 'changed by X at T' messages."""

    version: int = Field(default=1, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_by: str = Field(default="", max_length=200, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - SQLAlchemy's declared_attr
        # SQLAlchemy gives each table class its __table__; SQLModel's types do not declare it.
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


# --- competency template library -------------------------------------------------


class Framework(Versioned, table=True):
    """A named set of criteria: Success Profiles behaviours, SFIA skills, a local list..."""

    __tablename__ = "framework"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)
    name: str = Field(max_length=200)
    description: str = Field(default="", sa_type=Text)
    edition: str = Field(default="", max_length=40)
    builtin: bool = Field(default=False)
    retired: bool = Field(default=False)


class Criterion(Versioned, table=True):
    """One behaviour, strength, ability, experience or technical criterion."""

    __tablename__ = "criterion"
    __table_args__ = (
        UniqueConstraint("framework_id", "code"),
        CheckConstraint(_in("element", ELEMENTS), name="element_known"),
        CheckConstraint("min_level <= max_level", name="level_range"),
    )
    id: int | None = Field(default=None, primary_key=True)
    framework_id: int = _fk("framework.id")
    code: str = Field(max_length=40)
    name: str = Field(max_length=200)
    element: str = Field(max_length=3)
    description: str = Field(default="", sa_type=Text)
    cluster: str = Field(default="", max_length=200)
    min_level: int = Field(default=1)
    max_level: int = Field(default=1)
    position: int = Field(default=0)
    retired: bool = Field(default=False)


class CriterionLevel(Versioned, table=True):
    """A level of a criterion, the grades it serves and its indicators."""

    __tablename__ = "criterion_level"
    __table_args__ = (UniqueConstraint("criterion_id", "level"),)
    id: int | None = Field(default=None, primary_key=True)
    criterion_id: int = _fk("criterion.id")
    level: int
    title: str = Field(default="", max_length=200)
    grades: str = Field(default="", max_length=200)
    description: str = Field(default="", sa_type=Text)
    positive_indicators: list[str] = Field(default_factory=list, sa_type=JSON)
    negative_indicators: list[str] = Field(default_factory=list, sa_type=JSON)


class Question(Versioned, table=True):
    """An interview question (with probes) for a criterion, optionally at one level."""

    __tablename__ = "question"
    id: int | None = Field(default=None, primary_key=True)
    criterion_id: int = _fk("criterion.id")
    level: int | None = None
    text: str = Field(sa_type=Text)
    probes: list[str] = Field(default_factory=list, sa_type=JSON)
    position: int = Field(default=0)
    builtin: bool = Field(default=False)
    retired: bool = Field(default=False)


class RoleTemplate(Versioned, table=True):
    """A reusable starting point for an advert."""

    __tablename__ = "role_template"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)
    title: str = Field(max_length=200)
    grade: str = Field(default="", max_length=100)
    summary: str = Field(default="", sa_type=Text)
    content: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    builtin: bool = Field(default=False)
    retired: bool = Field(default=False)


# --- campaigns and adverts ---------------------------------------------------------


class Campaign(Versioned, table=True):
    __tablename__ = "campaign"
    __table_args__ = (CheckConstraint(_in("status", CAMPAIGN_STATUSES), name="status_known"),)
    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=40, unique=True)
    title: str = Field(max_length=200)
    status: str = Field(default="draft", max_length=20)
    archived: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Timetable: bank holidays of this part of the UK; the dates after the last stage.
    holiday_region: str = Field(default="england-and-wales", max_length=30)
    decisions_on: date | None = None
    expected_start_on: date | None = None
    # The recruiting manager who owns it; others see it only if it is shared with them.
    owner_id: int | None = Field(
        default=None, foreign_key="person.id", ondelete="SET NULL", index=True
    )


class CampaignShare(SQLModel, table=True):
    """A campaign another recruiting manager may work on as fully as its owner."""

    __tablename__ = "campaign_share"
    __table_args__ = (UniqueConstraint("campaign_id", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = _fk("campaign.id")
    person_id: int = _fk("person.id")
    shared_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    shared_by: str = Field(default="", max_length=200)


class TimetableEvent(Versioned, table=True):
    """A dated event beyond the advert and stage dates (an information session, say)."""

    __tablename__ = "timetable_event"
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = _fk("campaign.id")
    title: str = Field(max_length=200)
    starts_on: date
    ends_on: date | None = None
    note: str = Field(default="", sa_type=Text)


class Advert(Versioned, table=True):
    """Everything a candidate reads about the job."""

    __tablename__ = "advert"
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", ondelete="CASCADE", unique=True)
    template_code: str = Field(default="", max_length=40)
    title: str = Field(default="", max_length=200)
    grade: str = Field(default="", max_length=100)
    # Pay zones: [{"zone": "National", "min": 39000, "max": 42900}, ...] in whole pounds.
    pay_zones: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    allowance: str = Field(default="", sa_type=Text)
    contract_type: str = Field(default="", max_length=100)
    business_area: str = Field(default="", max_length=200)
    role_types: list[str] = Field(default_factory=list, sa_type=JSON)
    working_patterns: list[str] = Field(default_factory=list, sa_type=JSON)
    posts: int = Field(default=1)
    locations: list[str] = Field(default_factory=list, sa_type=JSON)
    summary: str = Field(default="", sa_type=Text)
    job_description: str = Field(default="", sa_type=Text)
    responsibilities: str = Field(default="", sa_type=Text)
    person_specification: str = Field(default="", sa_type=Text)
    qualifications: str = Field(default="", sa_type=Text)
    benefits: str = Field(default="", sa_type=Text)
    selection_process: str = Field(default="", sa_type=Text)
    opens_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closes_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    contact_name: str = Field(default="", max_length=200)
    contact_email: str = Field(default="", max_length=320)
    team_email: str = Field(default="", max_length=320)
    security_clearance: str = Field(default="", max_length=100)
    nationality_statement: str = Field(default="", sa_type=Text)
    guaranteed_interview_statement: str = Field(default="", sa_type=Text)
    reserve_list_months: int = Field(default=12)
    # The candidate information pack's own sections.
    hiring_manager: str = Field(default="", max_length=200)
    welcome_letter: str = Field(default="", sa_type=Text)
    about_organisation: str = Field(default="", sa_type=Text)
    how_to_apply: str = Field(default="", sa_type=Text)
    terms_and_conditions: str = Field(default="", sa_type=Text)
    # Whether candidates are told their scores and the panel's feedback in outcome letters.
    offers_feedback: bool = Field(default=False)
    # The standard sections every Civil Service pack carries (readmodels.STANDARD_SECTIONS).
    hearing_back: str = Field(default="", sa_type=Text)
    feedback_statement: str = Field(default="", sa_type=Text)
    adjustments_statement: str = Field(default="", sa_type=Text)
    redeployment_statement: str = Field(default="", sa_type=Text)
    expenses: str = Field(default="", sa_type=Text)
    security_statement: str = Field(default="", sa_type=Text)
    recruitment_principles: str = Field(default="", sa_type=Text)
    complaints: str = Field(default="", sa_type=Text)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    published_version: int = Field(default=0)
    # Word limits of the application form (0: none): the personal statement, and each
    # answer against a criterion (a behaviour example, usually 250).
    statement_word_limit: int = Field(default=0)
    answer_word_limit: int = Field(default=0)


class Post(Versioned, table=True):
    """One of several roles advertised together (each gets its own annex in the pack).

    A campaign without posts is a single role: its advert is the post.
    """

    __tablename__ = "post"
    __table_args__ = (
        UniqueConstraint("campaign_id", "title"),
        CheckConstraint("count >= 1", name="count_positive"),
    )
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = _fk("campaign.id")
    position: int = Field(default=0)
    title: str = Field(max_length=200)
    grade: str = Field(default="", max_length=100)
    count: int = Field(default=1)
    locations: list[str] = Field(default_factory=list, sa_type=JSON)
    job_description: str = Field(default="", sa_type=Text)
    responsibilities: str = Field(default="", sa_type=Text)
    # Codes of the advert criteria this post asks for; empty means all of them.
    criteria: list[str] = Field(default_factory=list, sa_type=JSON)


class AdvertPublication(SQLModel, table=True):
    """A published version of an advert, frozen as the candidate saw it."""

    __tablename__ = "advert_publication"
    __table_args__ = (UniqueConstraint("advert_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    advert_id: int = _fk("advert.id")
    number: int
    published_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    published_by: str = Field(max_length=200)
    snapshot: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class AdvertCriterion(Versioned, table=True):
    """A criterion the advert asks for: from the library or free text."""

    __tablename__ = "advert_criterion"
    __table_args__ = (
        UniqueConstraint("advert_id", "code"),
        CheckConstraint(_in("element", ELEMENTS), name="element_known"),
        CheckConstraint("weight >= 0", name="weight_not_negative"),
    )
    id: int | None = Field(default=None, primary_key=True)
    advert_id: int = _fk("advert.id")
    criterion_id: int | None = _fk("criterion.id", ondelete="SET NULL", nullable=True)
    code: str = Field(max_length=40)
    title: str = Field(max_length=300)
    description: str = Field(default="", sa_type=Text)
    element: str = Field(max_length=3)
    essential: bool = Field(default=True)
    level: int | None = Field(default=None)
    weight: float = Field(default=1.0)
    lead: bool = Field(default=False)
    # Where there are several lead criteria, their order in the tie-break (1 first); 0 for
    # a criterion that is not a lead, or a lead whose order follows the advert's.
    lead_rank: int = Field(default=0)
    position: int = Field(default=0)


# --- stages, matrix and panels -----------------------------------------------------


class Stage(Versioned, table=True):
    __tablename__ = "stage"
    __table_args__ = (
        CheckConstraint("min_assessors >= 1", name="min_assessors_positive"),
        CheckConstraint(
            "ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="dates_in_order"
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = _fk("campaign.id")
    position: int = Field(default=0)
    name: str = Field(max_length=200)
    kind: str = Field(default="custom", max_length=40)
    mode: str = Field(default="", max_length=40)
    starts_on: date | None = None
    ends_on: date | None = None
    scale: str = Field(default="sp7", max_length=40)
    custom_scale: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    pass_mark_total: float | None = None
    name_blind: bool = Field(default=False)
    min_assessors: int = Field(default=2)
    moderation_spread: int = Field(default=2)
    progress_rule: str = Field(default="all_passing", max_length=20)
    progress_count: int | None = None
    finalised_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Interview scheduling: where it happens, the slot planner's settings, and notice.
    location: str = Field(default="", max_length=200)
    video_link: str = Field(default="", max_length=500)
    slot_plan: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    invitations_on: date | None = None
    notice_days: int = Field(default=5)
    # How the chair settled a tie at the progression cut-off: a note and who progresses.
    tie_note: str = Field(default="", sa_type=Text)
    tie_progress: list[int] = Field(default_factory=list, sa_type=JSON)
    # The chair's script for an interview-like stage: how to open and how to close.
    welcome_script: str = Field(default="", sa_type=Text)
    close_script: str = Field(default="", sa_type=Text)


class StageCriterion(Versioned, table=True):
    """A cell of the assessment matrix: this stage assesses this advert criterion."""

    __tablename__ = "stage_criterion"
    __table_args__ = (
        UniqueConstraint("stage_id", "advert_criterion_id"),
        CheckConstraint("weight >= 0", name="weight_not_negative"),
    )
    id: int | None = Field(default=None, primary_key=True)
    stage_id: int = _fk("stage.id")
    advert_criterion_id: int = _fk("advert_criterion.id")
    weight: float = Field(default=1.0)
    pass_mark: int | None = None
    position: int = Field(default=0)
    # The scale this cell is scored on ("": the stage's): behaviours on 1 to 7 and a
    # strength on its 1 to 4 guide in one interview; "custom" takes custom_scale's points.
    scale: str = Field(default="", max_length=40)
    custom_scale: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)


class PlanQuestion(Versioned, table=True):
    """A question of a stage's interview plan: asked of every candidate, for one cell of
    the assessment matrix, in order, with its probes and the minutes it is given."""

    __tablename__ = "plan_question"
    __table_args__ = (CheckConstraint("minutes >= 0", name="minutes_not_negative"),)
    id: int | None = Field(default=None, primary_key=True)
    stage_id: int = _fk("stage.id")
    stage_criterion_id: int = _fk("stage_criterion.id")
    # Taken from the question bank (kept as written here if the bank's changes later).
    question_id: int | None = _fk("question.id", ondelete="SET NULL", nullable=True)
    position: int = Field(default=0)
    text: str = Field(sa_type=Text)
    probes: list[str] = Field(default_factory=list, sa_type=JSON)
    minutes: int = Field(default=0)
    unseen: bool = Field(default=False)  # a strength question: not sent in advance
    sent_on: date | None = None  # a presentation topic sent to candidates in advance


class PlanDeviation(SQLModel, table=True):
    """A departure from the plan with one candidate (a question not asked, one added)."""

    __tablename__ = "plan_deviation"
    id: int | None = Field(default=None, primary_key=True)
    stage_id: int = _fk("stage.id")
    candidate_id: int = _fk("candidate.id")
    note: str = Field(sa_type=Text)
    recorded_by: str = Field(default="", max_length=200)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Person(Versioned, table=True):
    __tablename__ = "person"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role_known"),)
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    email: str = Field(max_length=320, unique=True)
    role: str = Field(default="panel_member", max_length=30)
    active: bool = Field(default=True)
    password_hash: str | None = Field(default=None, max_length=400)
    # Repeated failures slow further attempts: no sign-in before `locked_until`.
    failed_sign_ins: int = Field(default=0)
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    password_changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # On PostgreSQL, the person's own login role (db.pg_roles.role_name); null on SQLite
    # and until they are enrolled.
    db_role: str | None = Field(default=None, max_length=63, unique=True)
    # May read equality monitoring answers and the fairness figures made from them
    # (administrators always may); set by administrators only, for recruiting managers.
    equality_monitoring: bool = Field(default=False)


class PanelAssignment(Versioned, table=True):
    __tablename__ = "panel_assignment"
    __table_args__ = (
        UniqueConstraint("stage_id", "person_id"),
        CheckConstraint(_in("panel_role", PANEL_ROLES), name="panel_role_known"),
    )
    id: int | None = Field(default=None, primary_key=True)
    stage_id: int = _fk("stage.id")
    person_id: int = _fk("person.id", ondelete="RESTRICT")
    panel_role: str = Field(default="member", max_length=20)
    panel_number: int = Field(default=1)


# --- candidates, slots, scores and outcomes ----------------------------------------


class Candidate(Versioned, table=True):
    __tablename__ = "candidate"
    __table_args__ = (
        UniqueConstraint("campaign_id", "candidate_number"),
        # One candidate per e-mail in a campaign, whatever its case: the database itself
        # refuses the second of two simultaneous imports. Erased candidates have none.
        Index(
            "uq_candidate_campaign_email",
            "campaign_id",
            func.lower(text("email")),
            unique=True,
            sqlite_where=text("email <> ''"),
            postgresql_where=text("email <> ''"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = _fk("campaign.id")
    candidate_number: str = Field(max_length=20)
    first_name: str = Field(default="", max_length=200)
    last_name: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=320)
    phone: str = Field(default="", max_length=60)
    guaranteed_interview: bool = Field(default=False)
    redeployment: bool = Field(default=False)
    adjustments: str = Field(default="", sa_type=Text)
    extra_minutes: int = Field(default=0)  # extra time at interviews, as an adjustment
    unavailable_dates: list[str] = Field(default_factory=list, sa_type=JSON)
    extra: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    status: str = Field(default="applied", max_length=40)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Set when personal data was erased (retention or a request); scores stay, anonymous.
    erased_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PersonBusy(Versioned, table=True):
    """Time a panel member cannot interview (leave, other commitments outside Recruit)."""

    __tablename__ = "person_busy"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = _fk("person.id")
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    reason: str = Field(default="", max_length=200)


class ConflictDeclaration(SQLModel, table=True):
    """A panel member knows a candidate, so must not score them."""

    __tablename__ = "conflict_declaration"
    __table_args__ = (UniqueConstraint("person_id", "candidate_id"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = _fk("person.id", ondelete="RESTRICT")
    candidate_id: int = _fk("candidate.id")
    note: str = Field(default="", sa_type=Text)
    declared_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class InterviewSlot(Versioned, table=True):
    __tablename__ = "interview_slot"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint(_in("status", SLOT_STATUSES), name="status_known"),
    )
    id: int | None = Field(default=None, primary_key=True)
    stage_id: int = _fk("stage.id")
    uid: str = Field(max_length=100, unique=True)
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    panel_number: int = Field(default=1)
    room: str = Field(default="", max_length=200)
    video_link: str = Field(default="", max_length=500)
    candidate_id: int | None = _fk("candidate.id", ondelete="SET NULL", nullable=True)
    status: str = Field(default="open", max_length=20)
    sequence: int = Field(default=0)


SCORE_RESULTS_COLUMNS = ("stage_criterion_id", "candidate_id", "assessor_id", "status", "value")


class Score(Versioned, table=True):
    """One assessor's score for one candidate on one criterion at one stage."""

    __tablename__ = "score"
    __table_args__ = (
        UniqueConstraint("stage_criterion_id", "candidate_id", "assessor_id"),
        CheckConstraint("value >= 0", name="value_not_negative"),
        CheckConstraint(_in("status", SCORE_STATUSES), name="status_known"),
        Index("ix_score_candidate_stage_criterion", "candidate_id", "stage_criterion_id"),
        # What the results, moderation and consistency reads need, from the index alone.
        Index(
            "ix_score_results",
            "stage_criterion_id",
            "candidate_id",
            "assessor_id",
            "status",
            "value",
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    # No index of its own: the unique index above starts with it.
    stage_criterion_id: int = Field(foreign_key="stage_criterion.id", ondelete="CASCADE")
    candidate_id: int = Field(foreign_key="candidate.id", ondelete="CASCADE")
    assessor_id: int = _fk("person.id", ondelete="RESTRICT")
    value: int | None = None
    evidence: str = Field(default="", sa_type=Text)
    status: str = Field(default="draft", max_length=20)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ModeratedScore(Versioned, table=True):
    """The score the panel agreed for a candidate on a criterion, with why."""

    __tablename__ = "moderated_score"
    __table_args__ = (
        UniqueConstraint("stage_criterion_id", "candidate_id"),
        CheckConstraint("value >= 0", name="value_not_negative"),
    )
    id: int | None = Field(default=None, primary_key=True)
    stage_criterion_id: int = _fk("stage_criterion.id")
    candidate_id: int = _fk("candidate.id")
    value: int
    rationale: str = Field(sa_type=Text)


class Outcome(Versioned, table=True):
    """What happened to a candidate at a stage."""

    __tablename__ = "outcome"
    __table_args__ = (
        UniqueConstraint("stage_id", "candidate_id"),
        CheckConstraint(_in("kind", OUTCOMES), name="kind_known"),
    )
    id: int | None = Field(default=None, primary_key=True)
    stage_id: int = _fk("stage.id")
    candidate_id: int = _fk("candidate.id")
    kind: str = Field(max_length=20)
    reason: str = Field(default="", sa_type=Text)
    decided_on: date | None = None
    rank: int | None = None  # merit order place when decided, for appointing in order
    reserve_expires_on: date | None = None
    reserve_extended_by: str = Field(default="", max_length=200)
    feedback: str = Field(default="", sa_type=Text)  # the panel's words to the candidate


# --- applications ------------------------------------------------------------------


class ApplicationPart(Versioned, table=True):
    """One part of a candidate's application: their CV, personal statement, an answer
    against a criterion, an eligibility answer or an attached document.

    The text as written (or extracted from the file) and, computed once at import, the
    text with the candidate's own identifiers replaced by neutral marks: what a panel
    member reads at a name-blind stage. The manager may correct the redaction. Original
    files are kept as they came, so one backup, one retention rule and one erasure cover
    them; erasing the candidate deletes these rows.
    """

    __tablename__ = "application_part"
    __table_args__ = (
        UniqueConstraint("candidate_id", "key"),
        CheckConstraint(_in("kind", PART_KINDS), name="kind_known"),
        CheckConstraint("words >= 0", name="words_not_negative"),
    )
    id: int | None = Field(default=None, primary_key=True)
    # No index of its own: the unique index above starts with it.
    candidate_id: int = Field(foreign_key="candidate.id", ondelete="CASCADE")
    # What a second import replaces: "answer:<criterion code>", "statement", "cv",
    # "eligibility:<heading>", "document:<file name>".
    key: str = Field(max_length=400)
    kind: str = Field(max_length=20)
    advert_criterion_id: int | None = _fk("advert_criterion.id", ondelete="SET NULL", nullable=True)
    label: str = Field(default="", max_length=300)  # the heading or the file's name
    position: int = Field(default=0)
    text: str = Field(default="", sa_type=Text)
    redacted_text: str = Field(default="", sa_type=Text)
    # What was replaced, for the manager's review: [{"kind", "text", "start", "end"}]
    # with offsets in `text`.
    redactions: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    redaction_checked: bool = Field(default=False)  # a manager checked or corrected it
    words: int = Field(default=0)
    file_name: str = Field(default="", max_length=255)
    media_type: str = Field(default="", max_length=120)
    content: bytes | None = Field(default=None, sa_type=LargeBinary)
    byte_size: int = Field(default=0)
    no_text: bool = Field(default=False)  # a scanned file: needs reading in the original
    note: str = Field(default="", max_length=300)
    source: str = Field(default="", max_length=255)  # the file it was imported from
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class OverallOverride(Versioned, table=True):
    """The chair's override of a candidate's overall score at a stage, with why (the CSJ
    interview form's override flag and score); shown in the results and the trail."""

    __tablename__ = "overall_override"
    __table_args__ = (UniqueConstraint("stage_id", "candidate_id"),)
    id: int | None = Field(default=None, primary_key=True)
    stage_id: int = _fk("stage.id")
    candidate_id: int = _fk("candidate.id")
    value: float
    reason: str = Field(sa_type=Text)


# --- equality monitoring -----------------------------------------------------------


class EqualityAnswer(SQLModel, table=True):
    """A candidate's answer to one equality monitoring question (recruit_app/domain/
    equality.py): held apart from the candidate row, read only by administrators and
    people given equality monitoring, used in aggregate; erasing the candidate deletes it."""

    __tablename__ = "equality_answer"
    __table_args__ = (UniqueConstraint("candidate_id", "characteristic"),)
    id: int | None = Field(default=None, primary_key=True)
    # No index of its own: the unique index above starts with it.
    candidate_id: int = Field(foreign_key="candidate.id", ondelete="CASCADE")
    characteristic: str = Field(max_length=60)  # a characteristic's code
    category: str = Field(max_length=60)  # a category's code, "prefer_not_to_say" included
    source: str = Field(default="", max_length=255)  # the file it was imported from
    imported_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    imported_by: str = Field(default="", max_length=200)


# --- bookkeeping -------------------------------------------------------------------


class AppMeta(SQLModel, table=True):
    """Small facts about the database itself, such as which built-in library it holds."""

    __tablename__ = "app_meta"
    key: str = Field(max_length=80, primary_key=True)
    value: str = Field(default="", sa_type=Text)


class SiftOrder(SQLModel, table=True):
    """The shuffled order a panel member reviews criteria and candidates in, kept to show later."""

    __tablename__ = "sift_order"
    __table_args__ = (UniqueConstraint("stage_id", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    stage_id: int = _fk("stage.id")
    person_id: int = _fk("person.id")
    seed: int
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


# --- audit -------------------------------------------------------------------------


class AppSetting(Versioned, table=True):
    """A setting of the whole database (every desktop that uses it), such as the retention
    period or whether everyone must sign in. Per-desktop preferences live in settings.json."""

    __tablename__ = "app_setting"
    key: str = Field(primary_key=True, max_length=80)
    value: Any = Field(default=None, sa_type=JSON)


class AuditEvent(SQLModel, table=True):
    """Who changed what, when, with the values before and after.

    No foreign keys: the trail outlives the rows it describes.
    """

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_campaign_time", "campaign_id", "occurred_at"),)
    id: int | None = Field(default=None, primary_key=True)
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    actor_id: int | None = None
    actor_name: str = Field(max_length=200)
    action: str = Field(max_length=80)
    entity: str = Field(max_length=80)
    entity_id: int | None = None
    campaign_id: int | None = None
    campaign_reference: str = Field(default="", max_length=40)
    summary: str = Field(default="", sa_type=Text)
    before: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    # On PostgreSQL, the login role that wrote the event, set by the database itself.
    db_role: str | None = Field(default=None, max_length=63)


class DataChange(SQLModel, table=True):
    """A change to a table as the database saw it: which role, which transaction, how many
    rows. Written by PostgreSQL's own triggers (empty on SQLite), so a change made outside
    Recruit, with a raw SQL client, is on record too; nobody but the owner may alter it."""

    __tablename__ = "data_change"
    __table_args__ = (
        UniqueConstraint("transaction_id", "table_name", "operation"),
        Index("ix_data_change_time", "occurred_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    db_role: str = Field(max_length=63)
    transaction_id: int = Field(sa_type=BigInteger)
    table_name: str = Field(max_length=63)
    operation: str = Field(max_length=10)
    rows: int = Field(default=0)
    # The first ids changed (up to 200), for finding the rows again.
    ids: list[Any] = Field(default_factory=list, sa_type=JSON)
