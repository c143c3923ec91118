"""Equality monitoring use cases: import candidates' answers, read the fairness figures
made from them, and the database's settings for both.

Who may (DOMAIN.md 6a; the same rule as PostgreSQL's, db/migrations/versions/0013): an
administrator, or a recruiting manager given equality monitoring (person.
equality_monitoring) for the campaigns they manage. Never a panel member. The answers
leave this module only in aggregate (`fairness_figures`, suppressed), in the count of an
import, and in the candidate's own subject access record (services/candidate_data.py).

Stages and progression: every candidate of the campaign enters its first stage; a
candidate progresses from a stage with the outcome "Progressed" or "Appointed" (and
"Reserve list" at the last stage: found appointable); "Not progressed", "Withdrawn", a
reserve place at an earlier stage and no outcome yet all count as not progressing (as
the core's `fairness_report` says), so read the figures of stages whose outcomes are all
decided. Erased candidates stay in the counts (their outcomes are kept) as "Not answered".
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import delete, text, tuple_
from sqlmodel import Session, col, select

from db import audit
from db.bulk import insert_rows
from db.locks import lock_campaign
from db.models import (
    Advert,
    AppSetting,
    Campaign,
    Candidate,
    EqualityAnswer,
    Outcome,
    Person,
    Stage,
    id_of,
)
from db.types import utcnow
from recruit_app.domain.application_import import number_key
from recruit_app.domain.equality import (
    DEFAULT_CHARACTERISTICS,
    PREFER_NOT_TO_SAY,
    Characteristic,
    characteristics_from_config,
    to_config,
)
from recruit_app.domain.fairness import (
    DEFAULT_THRESHOLD,
    FairnessReport,
    Journey,
    fairness_report,
)
from recruit_app.errors import PermissionDenied, ValidationError
from recruit_app.services.access import campaign_for, stage_for
from recruit_app.services.context import ServiceContext
from recruit_app.services.permissions import require
from recruit_app.services.uow import unit_of_work
from recruit_app.vocabulary import Outcome as OutcomeKind
from recruit_app.vocabulary import Role

log = logging.getLogger(__name__)

CHARACTERISTICS_SETTING = "equality.characteristics"
THRESHOLD_SETTING = "equality.suppression_threshold"
MAX_THRESHOLD = 100
INSERT_CHUNK = 1000
# Mapping targets besides a characteristic's code.
NUMBER, EMAIL, IGNORE = "candidate_number", "email", "ignore"
NUMBER_HEADINGS = ("Candidate number", "Applicant ID", "Application number", "Ref", "Number")
EMAIL_HEADINGS = ("Email", "E-mail", "E-mail address", "Email address")
PREFER_NOT_WORDS = ("Prefer not to say", "Prefer not to answer", "Rather not say", "Not stated")
_LETTERS = re.compile(r"[\W_]+")


def _key(text_: str) -> str:
    """Text without case, spaces or punctuation: "E-mail address" -> "emailaddress"."""
    return _LETTERS.sub("", text_.casefold())


# --- who may ---------------------------------------------------------------------------


def may_monitor(session: Session, ctx: ServiceContext) -> bool:
    """Whether the person acting may read equality monitoring answers at all."""
    actor = ctx.actor
    if actor.role == Role.ADMINISTRATOR:
        return True
    if actor.role != Role.RECRUITING_MANAGER or actor.person_id is None:
        return False
    person = session.get(Person, actor.person_id)
    return bool(person and person.active and person.equality_monitoring)


def require_monitor(session: Session, ctx: ServiceContext) -> None:
    """Refuse anyone but an administrator or a person given equality monitoring."""
    require(ctx.actor, "equality.monitor")  # panel members: never
    if not may_monitor(session, ctx):
        role = Role.phrase_for(ctx.actor.role)
        raise PermissionDenied(
            f"As a {role}, {ctx.actor.name} may not see equality monitoring answers or "
            "figures without the equality monitoring permission. Ask an administrator if "
            "you need to."
        )


# --- settings --------------------------------------------------------------------------


def configured_characteristics(session: Session) -> tuple[Characteristic, ...]:
    setting = session.get(AppSetting, CHARACTERISTICS_SETTING)
    if setting is None or setting.value is None:
        return DEFAULT_CHARACTERISTICS
    return characteristics_from_config(setting.value)


def configured_threshold(session: Session) -> int:
    setting = session.get(AppSetting, THRESHOLD_SETTING)
    return DEFAULT_THRESHOLD if setting is None else int(setting.value)


@dataclass(frozen=True)
class EqualitySettings:
    characteristics: tuple[Characteristic, ...]
    threshold: int  # counts below it are suppressed

    def to_json(self) -> dict[str, object]:
        return {"characteristics": to_config(self.characteristics), "threshold": self.threshold}


def equality_settings(ctx: ServiceContext) -> EqualitySettings:
    """The monitoring questions and categories, and the suppression threshold."""
    with unit_of_work(ctx, read_only=True) as session:
        require_monitor(session, ctx)
        return EqualitySettings(configured_characteristics(session), configured_threshold(session))


def _threshold_for(session: Session, ctx: ServiceContext, asked: int | None) -> int:
    """The suppression threshold of a report: the database's, or a higher one asked for.
    Only an administrator (who may change the setting anyway) may ask for a lower one."""
    setting = configured_threshold(session)
    if asked is None:
        return setting
    _check_threshold(asked)
    if asked < setting and ctx.actor.role != Role.ADMINISTRATOR:
        raise PermissionDenied(
            f"Counts below {setting} are suppressed in this database; only an administrator "
            "may ask for a lower threshold."
        )
    return asked


def _check_threshold(threshold: int) -> int:
    if isinstance(threshold, bool) or not isinstance(threshold, int):
        raise ValidationError("The suppression threshold is a whole number.", "threshold")
    if not 1 <= threshold <= MAX_THRESHOLD:
        raise ValidationError(
            f"The suppression threshold is from 1 to {MAX_THRESHOLD} (5 is usual).", "threshold"
        )
    return threshold


def set_equality_settings(
    ctx: ServiceContext,
    *,
    characteristics: Sequence[Mapping[str, object]] | None = None,
    threshold: int | None = None,
) -> EqualitySettings:
    """Change the configured list (as `recruit_app.domain.equality.to_config` gives it)
    or the suppression threshold; None leaves one as it is."""
    require(ctx.actor, "settings.manage")
    checked = None if characteristics is None else characteristics_from_config(characteristics)
    if threshold is not None:
        _check_threshold(threshold)
    with unit_of_work(ctx) as session:
        before: dict[str, object] = {"threshold": configured_threshold(session)}
        after: dict[str, object] = {}
        changes: list[tuple[str, object]] = []
        if checked is not None:
            before["characteristics"] = [c.code for c in configured_characteristics(session)]
            after["characteristics"] = [c.code for c in checked]
            changes.append((CHARACTERISTICS_SETTING, to_config(checked)))
        if threshold is not None:
            after["threshold"] = threshold
            changes.append((THRESHOLD_SETTING, threshold))
        for key, value in changes:
            setting = session.get(AppSetting, key)
            if setting is None:
                session.add(AppSetting(key=key, value=value, updated_by=ctx.actor.name))
            else:
                setting.value = value
                setting.updated_by = ctx.actor.name
                setting.updated_at = utcnow()
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="settings.equality",
            entity="app_setting",
            entity_id=None,
            summary="Changed the equality monitoring settings",
            before={k: before[k] for k in after if k in before},
            after=after,
        )
        session.flush()
        return EqualitySettings(configured_characteristics(session), configured_threshold(session))


# --- import ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerProblem:
    line: int
    message: str

    def to_json(self) -> dict[str, object]:
        return {"line": self.line, "message": self.message}


@dataclass(frozen=True)
class AnswerImport:
    """What an import found and did: the columns read as which question, how many
    candidates and answers were saved, and each line or answer left out with why."""

    source: str
    mapping: dict[str, str]  # heading -> characteristic code, "candidate_number", "email", "ignore"
    candidates: int
    answers: int
    problems: tuple[AnswerProblem, ...]
    dry_run: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "source": self.source,
            "mapping": self.mapping,
            "candidates": self.candidates,
            "answers": self.answers,
            "problems": [p.to_json() for p in self.problems],
            "dry_run": self.dry_run,
        }


def parse_overrides(items: Sequence[str]) -> dict[str, str]:
    """`--map` choices such as `Q3 Ethnicity=ethnic_group` as heading -> target."""
    found: dict[str, str] = {}
    for item in items:
        heading, sep, target = item.rpartition("=")
        if not sep or not heading.strip() or not target.strip():
            raise ValidationError(
                f"{item!r} should be a column heading, '=' and a question's code, such as "
                "'Ethnicity=ethnic_group'.",
                "map",
            )
        found[heading.strip()] = target.strip()
    return found


def guess_mapping(
    headings: Sequence[str],
    characteristics: Sequence[Characteristic],
    overrides: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Each heading's target: a characteristic (by its code, label or question), the
    candidate number, the e-mail address, or "ignore" (names and everything else)."""
    known: dict[str, str] = {_key(h): NUMBER for h in NUMBER_HEADINGS}
    known |= {_key(h): EMAIL for h in EMAIL_HEADINGS}
    for ch in characteristics:
        for name in (ch.code, ch.label, ch.question):
            known[_key(name)] = ch.code
    mapping = {h: known.get(_key(h), IGNORE) for h in headings}
    targets = {c.code for c in characteristics} | {NUMBER, EMAIL, IGNORE}
    for heading, target in (overrides or {}).items():
        match = next((h for h in headings if _key(h) == _key(heading)), None)
        if match is None:
            raise ValidationError(
                f"The file has no column headed {heading!r}; its columns: {', '.join(headings)}.",
                "map",
            )
        if target not in targets:
            raise ValidationError(
                f"{target!r} is not a question's code; choose from {', '.join(sorted(targets))}.",
                "map",
            )
        mapping[match] = target
    for target in targets - {IGNORE}:
        taken = [h for h, t in mapping.items() if t == target]
        if len(taken) > 1:
            raise ValidationError(
                f"The columns {', '.join(repr(h) for h in taken)} are all read as {target}: "
                "choose one with --map.",
                "map",
            )
    if NUMBER not in mapping.values() and EMAIL not in mapping.values():
        raise ValidationError(
            "The file needs a column of candidate numbers or e-mail addresses "
            "(or say which with --map HEADING=candidate_number).",
            "map",
        )
    if not set(mapping.values()) & {c.code for c in characteristics}:
        raise ValidationError(
            "No column of the file is an equality monitoring question; say which with "
            "--map HEADING=CODE (codes: "
            f"{', '.join(c.code for c in characteristics)}).",
            "map",
        )
    return mapping


def category_of(characteristic: Characteristic, answer: str) -> str | None:
    """The category code an answer names (by code or label, or the start of one label),
    "" for no answer, None when it names none."""
    typed = _key(answer)
    if not typed:
        return ""
    if typed in {_key(w) for w in PREFER_NOT_WORDS}:
        return PREFER_NOT_TO_SAY
    for category in characteristic.categories:
        if typed in (_key(category.code), _key(category.label)):
            return category.code
    starting = [c.code for c in characteristic.categories if _key(c.label).startswith(typed)]
    return starting[0] if len(starting) == 1 else None


def _campaign_candidates(
    session: Session, campaign_id: int
) -> tuple[dict[str, int], dict[str, int]]:
    numbers: dict[str, int] = {}
    emails: dict[str, int] = {}
    for id_, number, email in session.exec(
        select(Candidate.id, Candidate.candidate_number, Candidate.email).where(
            Candidate.campaign_id == campaign_id, col(Candidate.erased_at).is_(None)
        )
    ):
        assert id_ is not None
        numbers[number_key(number)] = id_
        if email:
            emails[email.casefold()] = id_
    return numbers, emails


def import_answers(
    ctx: ServiceContext,
    campaign_id: int,
    path: Path,
    *,
    overrides: Mapping[str, str] | None = None,
    dry_run: bool = False,
) -> AnswerImport:
    """Save the equality monitoring answers in a CSV or Excel file: the candidates' own
    export (other columns are ignored) or a file of answers by candidate number or e-mail.

    A candidate's answers to the questions the file has columns for are replaced (an
    empty cell clears one). A line naming no candidate of the campaign, and each answer
    that is none of its question's categories, is reported and left out; the rest is
    saved in one transaction.
    """
    from recruit_app.services.tabular import read_table

    table = read_table(path)
    with unit_of_work(ctx) as session:
        require_monitor(session, ctx)
        lock_campaign(session, campaign_id)
        campaign = campaign_for(session, ctx, campaign_id, "manage")
        characteristics = configured_characteristics(session)
        by_code = {c.code: c for c in characteristics}
        mapping = guess_mapping(table.headers, characteristics, overrides)
        columns = [
            (i, by_code[mapping[h]]) for i, h in enumerate(table.headers) if mapping[h] in by_code
        ]
        number_at = next((i for i, h in enumerate(table.headers) if mapping[h] == NUMBER), None)
        email_at = next((i for i, h in enumerate(table.headers) if mapping[h] == EMAIL), None)
        numbers, emails = _campaign_candidates(session, campaign_id)
        problems: list[AnswerProblem] = []
        answers: dict[int, dict[str, str]] = {}
        for line, cells in table.rows:
            if not any(cell.strip() for cell in cells):
                continue
            number = cells[number_at].strip() if number_at is not None else ""
            email = cells[email_at].strip().casefold() if email_at is not None else ""
            candidate_id = numbers.get(number_key(number)) if number else emails.get(email)
            if candidate_id is None:
                said = f"numbered {number!r}" if number else f"with the e-mail {email!r}"
                if not number and not email:
                    problems.append(AnswerProblem(line, "no candidate number or e-mail address"))
                else:
                    problems.append(
                        AnswerProblem(line, f"there is no candidate {said} in {campaign.reference}")
                    )
                continue
            if candidate_id in answers:
                problems.append(AnswerProblem(line, "a second line for the same candidate"))
                continue
            given: dict[str, str] = {}
            for i, characteristic in columns:
                cell = cells[i] if i < len(cells) else ""
                category = category_of(characteristic, cell)
                if category is None:
                    offered = ", ".join(c.label for c in characteristic.categories)
                    problems.append(
                        AnswerProblem(
                            line,
                            f"{cell.strip()[:60]!r} is not an answer to {characteristic.label} "
                            f"({offered}); left out",
                        )
                    )
                    continue
                given[characteristic.code] = category
            answers[candidate_id] = given
        saved = sum(1 for given in answers.values() for v in given.values() if v)
        report = AnswerImport(
            table.source or path.name,
            dict(mapping),
            len(answers),
            saved,
            tuple(problems),
            dry_run,
        )
        if dry_run:
            return report  # nothing written
        codes = [c.code for _i, c in columns]
        pairs = [(cid, code) for cid in answers for code in codes]
        for start in range(0, len(pairs), INSERT_CHUNK):
            session.execute(
                delete(EqualityAnswer).where(
                    tuple_(
                        col(EqualityAnswer.candidate_id), col(EqualityAnswer.characteristic)
                    ).in_(pairs[start : start + INSERT_CHUNK])
                )
            )
        rows = [
            {"candidate_id": cid, "characteristic": code, "category": category}
            for cid, given in answers.items()
            for code, category in given.items()
            if category
        ]
        constants: dict[str, Any] = {
            "source": report.source[:255],
            "imported_at": utcnow(),
            "imported_by": ctx.actor.name[:200],
        }
        for start in range(0, len(rows), INSERT_CHUNK):
            insert_rows(
                session,
                EqualityAnswer.__table__,  # type: ignore[attr-defined]  # SQLAlchemy's
                rows[start : start + INSERT_CHUNK],
                constants=constants,
                chunk=INSERT_CHUNK,
            )
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="equality.import",
            entity="campaign",
            entity_id=campaign.id,
            campaign_id=campaign.id,
            campaign_reference=campaign.reference,
            summary=f"Imported the equality monitoring answers of {report.candidates} "
            f"candidates from {report.source}; {len(problems)} problems",
            # Counts only: the answers themselves never enter the trail.
            after={"candidates": report.candidates, "answers": saved, "source": report.source},
        )
    log.info("imported %d equality monitoring answers", saved)
    return report


# --- figures ---------------------------------------------------------------------------


def _journeys(
    session: Session, campaign_id: int, stage_ids: Sequence[int]
) -> tuple[list[Journey], list[int]]:
    """Each candidate's answers and how far they went; the stages still undecided."""
    candidates = [
        cid
        for cid in session.exec(
            select(Candidate.id).where(Candidate.campaign_id == campaign_id)
        ).all()
        if cid is not None
    ]
    answers: dict[int, dict[str, str]] = {cid: {} for cid in candidates}
    for cid, characteristic, category in session.exec(
        select(EqualityAnswer.candidate_id, EqualityAnswer.characteristic, EqualityAnswer.category)
        .join(Candidate, col(Candidate.id) == EqualityAnswer.candidate_id)
        .where(Candidate.campaign_id == campaign_id)
    ):
        answers.setdefault(cid, {})[characteristic] = category
    outcomes: dict[tuple[int, int], str] = {
        (stage_id, cid): kind
        for stage_id, cid, kind in session.exec(
            select(Outcome.stage_id, Outcome.candidate_id, Outcome.kind).where(
                col(Outcome.stage_id).in_(list(stage_ids))
            )
        )
    }
    last = len(stage_ids) - 1
    undecided: set[int] = set()
    journeys = []
    for cid in candidates:
        progressed: list[bool] = []
        for k, stage_id in enumerate(stage_ids):
            kind = outcomes.get((stage_id, cid))
            if kind is None:
                undecided.add(stage_id)
            onward = {OutcomeKind.PROGRESS, OutcomeKind.APPOINT}
            if k == last:
                onward.add(OutcomeKind.RESERVE)
            progressed.append(kind in onward)
            if not progressed[-1]:
                break
        journeys.append(Journey(answers.get(cid, {}), tuple(progressed)))
    return journeys, [s for s in stage_ids if s in undecided]


def fairness_figures(
    ctx: ServiceContext,
    campaign_id: int,
    stage_id: int | None = None,
    characteristic: str | None = None,
    threshold: int | None = None,
) -> FairnessReport:
    """Each stage's selection rates, impact ratios (flagged below 0.8, a monitoring flag
    only) and Fisher's exact p-values by group, for every characteristic or one, and the
    funnel; small numbers suppressed (the database's threshold unless one is given).

    Suppression is worked out over the whole funnel of a characteristic, so the rows of
    one stage are the same as in the whole report."""
    with unit_of_work(ctx, read_only=True) as session:
        require_monitor(session, ctx)
        campaign_for(session, ctx, campaign_id, "view")
        chosen = None
        if stage_id is not None:
            chosen = stage_for(session, ctx, stage_id, "view")
            if chosen.campaign_id != campaign_id:
                raise ValidationError("That stage is not one of this campaign's.", "stage")
        characteristics = configured_characteristics(session)
        if characteristic is not None:
            characteristics = tuple(c for c in characteristics if c.code == characteristic)
            if not characteristics:
                codes = ", ".join(c.code for c in configured_characteristics(session))
                raise ValidationError(
                    f"There is no equality monitoring question {characteristic!r}; "
                    f"the questions: {codes}.",
                    "characteristic",
                )
        limit = _threshold_for(session, ctx, threshold)
        stages = list(
            session.exec(
                select(Stage.id, Stage.name)
                .where(Stage.campaign_id == campaign_id)
                .order_by(col(Stage.position), col(Stage.id))
            )
        )
        stage_ids = [sid for sid, _name in stages if sid is not None]
        journeys, _undecided = _journeys(session, campaign_id, stage_ids)
    report = fairness_report(
        journeys, [name for _sid, name in stages], characteristics, threshold=limit
    )
    if chosen is None:
        return report
    return replace(report, rows=tuple(row for row in report.rows if row.stage == chosen.name))


# --- across campaigns ------------------------------------------------------------------

FUNNEL_STAGES = ("First stage", "Through to the final stage", "Final stage")


@dataclass(frozen=True)
class OrganisationFunnel:
    """The fairness figures of every campaign the person may see whose applications
    closed (or, without an advert closing date, which was made) in a date range.

    Campaigns have different stages, so each candidate's journey is read as three steps
    every campaign has: passing its first stage, reaching its final stage, and being
    selected there (appointed or on the reserve list). A campaign of one or two stages
    has nothing between: everyone who passes its first stage reaches its final one."""

    date_from: date
    date_to: date
    references: tuple[str, ...]
    report: FairnessReport

    def to_json(self) -> dict[str, object]:
        return {
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "campaigns": list(self.references),
            "threshold": self.report.threshold,
            "rows": self.report.to_json(),
            "funnel": [f.to_json() for f in self.report.funnel],
        }


def _three_steps(journey: Journey, stage_count: int) -> Journey:
    p = journey.progressed
    first = bool(p) and p[0]
    reached_final = first and all(p[: stage_count - 1]) and len(p) >= stage_count - 1
    if stage_count == 1:
        reached_final = first
    selected = reached_final and len(p) == stage_count and p[-1]
    steps = (first, reached_final, selected)
    kept = steps[: steps.index(False) + 1] if False in steps else steps
    return Journey(journey.answers, kept)


def organisation_funnel(
    ctx: ServiceContext,
    date_from: date,
    date_to: date,
    *,
    characteristic: str | None = None,
    threshold: int | None = None,
) -> OrganisationFunnel:
    """The funnel across the campaigns of a date range (see OrganisationFunnel)."""
    from recruit_app.domain.dates import LONDON
    from recruit_app.services.access import check_campaign

    if date_to < date_from:
        raise ValidationError("The range ends before it starts.", "to")
    with unit_of_work(ctx, read_only=True) as session:
        require_monitor(session, ctx)
        characteristics = configured_characteristics(session)
        if characteristic is not None:
            characteristics = tuple(c for c in characteristics if c.code == characteristic)
            if not characteristics:
                raise ValidationError(
                    f"There is no equality monitoring question {characteristic!r}.",
                    "characteristic",
                )
        limit = _threshold_for(session, ctx, threshold)
        closes = dict(session.exec(select(Advert.campaign_id, Advert.closes_at)).all())
        references: list[str] = []
        journeys: list[Journey] = []
        for campaign in session.exec(select(Campaign).order_by(col(Campaign.reference))):
            moment = closes.get(id_of(campaign)) or campaign.created_at
            if not date_from <= moment.astimezone(LONDON).date() <= date_to:
                continue
            try:
                check_campaign(session, ctx.actor, campaign, "view")
            except PermissionDenied:
                continue
            stage_ids = [
                sid
                for sid in session.exec(
                    select(Stage.id)
                    .where(Stage.campaign_id == campaign.id)
                    .order_by(col(Stage.position), col(Stage.id))
                )
                if sid is not None
            ]
            if not stage_ids:
                continue
            found, _undecided = _journeys(session, id_of(campaign), stage_ids)
            journeys += [_three_steps(j, len(stage_ids)) for j in found]
            references.append(campaign.reference)
    report = fairness_report(journeys, FUNNEL_STAGES, characteristics, threshold=limit)
    return OrganisationFunnel(date_from, date_to, tuple(references), report)


# --- erasure and subject access (called inside their own use cases) --------------------


def erase_answers(session: Session, candidate_ids: Sequence[int]) -> None:
    """Delete these candidates' answers, whoever erases them (on PostgreSQL through the
    database's function, which checks the candidates are the eraser's)."""
    ids = list(candidate_ids)
    if not ids:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT recruit_erase_equality_answers(:ids)"), {"ids": ids})
    else:
        session.execute(delete(EqualityAnswer).where(col(EqualityAnswer.candidate_id).in_(ids)))


def own_answers(session: Session, candidate_id: int) -> dict[str, str]:
    """The candidate's own answers, labelled, for their subject access record."""
    if session.get_bind().dialect.name == "postgresql":
        rows = session.execute(
            text("SELECT characteristic, category FROM recruit_own_equality_answers(:id)"),
            {"id": candidate_id},
        ).all()
    else:
        rows = session.execute(
            select(EqualityAnswer.characteristic, EqualityAnswer.category)
            .where(EqualityAnswer.candidate_id == candidate_id)
            .order_by(col(EqualityAnswer.id))
        ).all()
    by_code = {c.code: c for c in configured_characteristics(session)}
    found = {}
    for code, category in rows:
        ch = by_code.get(code)
        found[ch.label if ch else code] = ch.label_for(category) if ch else category
    return found
