"""Application use cases: import candidates' answers, statements, CVs and documents; read
an application as the person acting may see it (name-blind at a name-blind stage); review
and correct what name-blind reading hides; search applications.

Who reads what (the same rule as PostgreSQL's recruit_panel.application_part view,
db/migrations/versions/0011):
- administrators and the campaign's managers read the original text and files, and may
  ask for the redacted text to see what a panel will read;
- a panel member reads the applications of the candidates who reached a stage they sit
  on: at a name-blind stage the redacted text only, never a file or its name; at a stage
  without name-blinding the original.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, tuple_
from sqlmodel import Session, col, func, select

from db import audit
from db.bulk import insert_rows
from db.locks import lock_campaign
from db.models import (
    Advert,
    AdvertCriterion,
    ApplicationPart,
    Campaign,
    Candidate,
    PanelAssignment,
    Stage,
    id_of,
)
from db.ordering import by_number
from db.types import utcnow
from recruit_app.domain import application_import as plan
from recruit_app.domain.redaction import Person, Span, apply, check_spans, redact, spans_from_json
from recruit_app.errors import Cancelled, NotFound, PermissionDenied, ValidationError
from recruit_app.readmodels import IsCancelled, PhasedProgress
from recruit_app.services.access import campaign_for, stage_for
from recruit_app.services.candidates import at_stage_query
from recruit_app.services.context import ServiceContext
from recruit_app.services.permissions import require
from recruit_app.services.uow import check_version, plain_rows, select_columns, touch, unit_of_work
from recruit_app.vocabulary import PartKind, Role

if TYPE_CHECKING:
    from recruit_app.services.documents import DocumentBatch

log = logging.getLogger(__name__)

NO_TEXT = "no text: needs reading in the original"
INSERT_CHUNK = 500  # parts per insert: each may carry a file of up to 20 MB
# The order a reader meets the parts in: the statement and CV, the answers in the
# advert's order, eligibility, then any other document.
PART_ORDER = {
    kind: n
    for n, kind in enumerate(
        (PartKind.STATEMENT, PartKind.CV, PartKind.ANSWER, PartKind.ELIGIBILITY, PartKind.DOCUMENT)
    )
}
SNIPPET = 60  # characters each side of a search hit
SEARCH_LIMIT = 500
NAME_BLIND_SEARCH = (
    "This stage is name-blind: panel members cannot search applications, since a search "
    "could pick out who wrote one."
)


# --- read models -----------------------------------------------------------------------


@dataclass(frozen=True)
class PartView:
    """One part of an application as the reader may see it."""

    id: int
    version: int
    kind: str
    criterion: str  # the advert criterion's code ("" when none)
    criterion_title: str
    label: str  # heading, or the file's name (its redacted name at a name-blind stage)
    text: str
    words: int
    limit: int  # the advert's word limit (0: none)
    has_file: bool
    no_text: bool
    note: str

    @property
    def over_limit(self) -> bool:
        return bool(self.limit) and self.words > self.limit

    @property
    def heading(self) -> str:
        if self.kind == PartKind.ANSWER and self.criterion:
            return f"{self.criterion_title} ({self.criterion})"
        if self.has_file:
            return f"{PartKind.label_for(self.kind)}: {self.label}"
        return self.label or PartKind.label_for(self.kind)


@dataclass(frozen=True)
class ApplicationView:
    candidate_id: int
    candidate_number: str
    redacted: bool  # the text is what name-blind reading leaves
    parts: tuple[PartView, ...]

    @property
    def answers(self) -> tuple[PartView, ...]:
        """What the candidate typed into the form (no file)."""
        return tuple(p for p in self.parts if not p.has_file)

    @property
    def documents(self) -> tuple[PartView, ...]:
        return tuple(p for p in self.parts if p.has_file)

    def answer_for(self, criterion: str) -> PartView | None:
        return next((p for p in self.parts if p.criterion == criterion), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "candidate_number": self.candidate_number,
            "redacted": self.redacted,
            "answers": [
                {
                    "criterion": p.criterion or None,
                    "kind": p.kind,
                    "label": p.label,
                    "text": p.text,
                    "words": p.words,
                    "limit": p.limit or None,
                    "over_limit": p.over_limit,
                }
                for p in self.answers
            ],
            "documents": [
                {
                    "name": p.label,
                    "kind": p.kind,
                    "text": p.text,
                    "words": p.words,
                    "no_text": p.no_text,
                    "note": p.note,
                }
                for p in self.documents
            ],
        }


@dataclass(frozen=True)
class StageApplications:
    """The applications of a stage's candidates, as the person acting may read them."""

    stage_id: int
    redacted: bool
    by_candidate: Mapping[int, ApplicationView]

    def get(self, candidate_id: int) -> ApplicationView | None:
        return self.by_candidate.get(candidate_id)


@dataclass(frozen=True)
class ImportProblem:
    """Why something in the import was skipped: at a line of the table or in a file."""

    reason: str
    line: int | None = None
    file: str = ""
    column: str = ""

    def to_json(self) -> dict[str, Any]:
        where: dict[str, Any] = {"line": self.line} if self.line is not None else {}
        if self.file:
            where["file"] = self.file
        if self.column:
            where["column"] = self.column
        return where | {"reason": self.reason}


@dataclass(frozen=True)
class Flag:
    """An imported part a manager should know about: over its word limit, or no text."""

    candidate_number: str
    part: str
    words: int = 0
    limit: int = 0
    line: int | None = None
    file: str = ""
    no_text: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"candidate_number": self.candidate_number, "part": self.part}
        if self.limit:
            data |= {"words": self.words, "limit": self.limit}
        if self.line is not None:
            data["line"] = self.line
        if self.file:
            data["file"] = self.file
        if self.no_text:
            data["reason"] = NO_TEXT
        return data


@dataclass(frozen=True)
class ApplicationImport:
    """What an import did (or, as a dry run or preview, would do)."""

    source: str
    headers: tuple[str, ...]
    mapping: dict[str, str]
    criteria: tuple[plan.CriterionChoice, ...]
    imported: int  # candidates whose applications were added or replaced
    parts: int
    documents: int
    skipped: tuple[ImportProblem, ...]
    over_limit: tuple[Flag, ...]
    no_text: tuple[Flag, ...]
    dry_run: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "parts": self.parts,
            "documents": self.documents,
            "dry_run": self.dry_run,
            "skipped": [p.to_json() for p in self.skipped],
            "over_limit": [f.to_json() for f in self.over_limit],
            "no_text": [f.to_json() for f in self.no_text],
        }


# --- importing -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Known:
    """The campaign as an import needs it."""

    reference: str
    criteria: tuple[plan.CriterionChoice, ...]
    criterion_ids: Mapping[str, int]
    statement_limit: int
    answer_limit: int
    numbers: Mapping[str, int]  # number_key -> candidate id
    emails: Mapping[str, int]  # lower-case e-mail -> candidate id
    people: Mapping[int, tuple[str, Person]]  # id -> (number, identity)


@dataclass
class _Plan:
    rows: list[dict[str, Any]] = field(default_factory=list)
    where: list[tuple[int | None, str]] = field(default_factory=list)  # each row's line or file
    skipped: list[ImportProblem] = field(default_factory=list)
    over_limit: list[Flag] = field(default_factory=list)
    no_text: list[Flag] = field(default_factory=list)
    documents: int = 0


def _known(session: Session, campaign: Campaign) -> _Known:
    advert = session.exec(select(Advert).where(Advert.campaign_id == campaign.id)).first()
    criteria: list[plan.CriterionChoice] = []
    ids: dict[str, int] = {}
    if advert is not None:
        for row in session.exec(
            select(AdvertCriterion)
            .where(AdvertCriterion.advert_id == advert.id)
            .order_by(col(AdvertCriterion.position))
        ):
            criteria.append(plan.CriterionChoice(row.code, row.title, row.element))
            ids[row.code] = id_of(row)
    numbers: dict[str, int] = {}
    emails: dict[str, int] = {}
    people: dict[int, tuple[str, Person]] = {}
    query = select_columns(
        Candidate.id,
        Candidate.candidate_number,
        Candidate.first_name,
        Candidate.last_name,
        Candidate.email,
        Candidate.phone,
    ).where(Candidate.campaign_id == campaign.id, col(Candidate.erased_at).is_(None))
    for id_, number, first, last, email, phone in plain_rows(session, query):
        numbers[plan.number_key(number)] = id_
        if email:
            emails[email.casefold()] = id_
        people[id_] = (number, Person(first, last, email, phone))
    return _Known(
        campaign.reference,
        tuple(criteria),
        ids,
        advert.statement_word_limit if advert else 0,
        advert.answer_word_limit if advert else 0,
        numbers,
        emails,
        people,
    )


def _read_known(ctx: ServiceContext, campaign_id: int) -> _Known:
    with unit_of_work(ctx, read_only=True) as session:
        return _known(session, campaign_for(session, ctx, campaign_id, "manage"))


def part_row(
    candidate_id: int,
    person: Person,
    *,
    key: str,
    kind: str,
    label: str,
    text: str,
    position: int,
    source: str,
    criterion_id: int | None = None,
    document: Any = None,
) -> dict[str, Any]:
    """The columns of one part as an import writes it: the text, its name-blind text
    (computed here, once), its words, and the file it came in if any."""
    from recruit_app.services.documents import word_count

    redacted = redact(text, person)
    return {
        "candidate_id": candidate_id,
        "key": key[:400],
        "kind": kind,
        "advert_criterion_id": criterion_id,
        "label": label[:300],
        "position": position,
        "text": text,
        "redacted_text": redacted.text,
        "redactions": [s.to_json(text) for s in redacted.spans],
        "redaction_checked": False,
        "words": word_count(text),
        "file_name": document.name[:255] if document is not None else "",
        "media_type": document.media_type if document is not None else "",
        "content": document.data if document is not None else None,
        "byte_size": len(document.data) if document is not None else 0,
        "no_text": bool(document is not None and document.no_text),
        "note": (document.note if document is not None else "")[:300],
        "source": source[:255],
    }


def _plan_table(table: Any, mapping: Mapping[str, str], known: _Known, out: _Plan) -> None:
    from recruit_app.services.documents import normalise_text

    columns = list(table.headers)
    number_at = next((i for i, h in enumerate(columns) if mapping.get(h) == plan.NUMBER), None)
    email_at = next((i for i, h in enumerate(columns) if mapping.get(h) == plan.EMAIL), None)
    kept = [
        (i, h, mapping[h])
        for i, h in enumerate(columns)
        if mapping.get(h) not in (None, plan.NUMBER, plan.EMAIL, plan.IGNORE)
    ]
    seen: dict[int, int] = {}
    positions = {c.code: n for n, c in enumerate(known.criteria)}
    for line, cells in table.rows:
        candidate_id, why = _whose_row(cells, number_at, email_at, known)
        if candidate_id is None:
            out.skipped.append(ImportProblem(why, line=line))
            continue
        if candidate_id in seen:
            number = known.people[candidate_id][0]
            out.skipped.append(
                ImportProblem(
                    f"candidate {number} is also on line {seen[candidate_id]}: "
                    "only the first line is imported",
                    line=line,
                )
            )
            continue
        seen[candidate_id] = line
        number, person = known.people[candidate_id]
        for index, header, target in kept:
            raw = cells[index] if index < len(cells) else ""
            text = normalise_text(raw)
            if not text:
                out.skipped.append(ImportProblem("empty answer", line=line, column=header))
                continue
            if len(text) > plan.ANSWER_LIMIT:
                out.skipped.append(
                    ImportProblem(
                        f"the answer is {len(text):,} characters long; "
                        f"Recruit keeps answers of up to {plan.ANSWER_LIMIT:,}",
                        line=line,
                        column=header,
                    )
                )
                continue
            if target.startswith(plan.CRITERION_PREFIX):
                code = target.removeprefix(plan.CRITERION_PREFIX)
                row = part_row(
                    candidate_id,
                    person,
                    key=f"answer:{code}",
                    kind=PartKind.ANSWER,
                    label=header,
                    text=text,
                    position=positions.get(code, 0),
                    source=table.source,
                    criterion_id=known.criterion_ids.get(code),
                )
            elif target == plan.ELIGIBILITY:
                row = part_row(
                    candidate_id,
                    person,
                    key=f"eligibility:{header}",
                    kind=PartKind.ELIGIBILITY,
                    label=header,
                    text=text,
                    position=index,
                    source=table.source,
                )
            else:  # statement or CV
                kind = PartKind.STATEMENT if target == plan.STATEMENT else PartKind.CV
                row = part_row(
                    candidate_id,
                    person,
                    key=kind.value,
                    kind=kind,
                    label=kind.label,
                    text=text,
                    position=0,
                    source=table.source,
                )
            _flag_limit(row, number, known, out, line=line)
            out.rows.append(row)
            out.where.append((line, ""))


def _whose_row(
    cells: Sequence[str], number_at: int | None, email_at: int | None, known: _Known
) -> tuple[int | None, str]:
    number = cells[number_at].strip() if number_at is not None and number_at < len(cells) else ""
    email = cells[email_at].strip() if email_at is not None and email_at < len(cells) else ""
    if number:
        found = known.numbers.get(plan.number_key(number))
        if found is None:
            return None, f"there is no candidate numbered {_shown(number)} in {known.reference}"
        return found, ""
    if email:
        found = known.emails.get(email.casefold())
        if found is None:
            return None, f"there is no candidate with the e-mail address {_shown(email)}"
        return found, ""
    return None, "the line gives no candidate number or e-mail address"


def _shown(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _flag_limit(
    row: Mapping[str, Any],
    number: str,
    known: _Known,
    out: _Plan,
    *,
    line: int | None = None,
    file: str = "",
) -> None:
    limit = plan.word_limit(row["kind"], known.statement_limit, known.answer_limit)
    if limit and row["words"] > limit:
        out.over_limit.append(Flag(number, row["label"], row["words"], limit, line=line, file=file))


def _plan_documents(batch: DocumentBatch, known: _Known, out: _Plan, rows_taken: set) -> None:
    for refused in batch.refused:
        out.skipped.append(ImportProblem(refused.reason, file=refused.path))
    for document in batch.files:
        found = plan.candidates_in_file_name(document.name, known.numbers, known.emails)
        if not found:
            out.skipped.append(
                ImportProblem(
                    "its name gives no candidate number or e-mail address of this campaign",
                    file=document.path,
                )
            )
            continue
        if len(found) > 1:
            numbers = ", ".join(sorted(known.people[c][0] for c in found))
            out.skipped.append(
                ImportProblem(
                    f"its name points to more than one candidate ({numbers})", file=document.path
                )
            )
            continue
        (candidate_id,) = found
        key = f"document:{document.name.casefold()}"
        if (candidate_id, key) in rows_taken:
            out.skipped.append(
                ImportProblem(
                    "another file of the same name was imported for this candidate",
                    file=document.path,
                )
            )
            continue
        rows_taken.add((candidate_id, key))
        number, person = known.people[candidate_id]
        kind = plan.document_kind(document.name)
        label = redact(document.name, person).text  # the name may name them
        row = part_row(
            candidate_id,
            person,
            key=key,
            kind=kind,
            label=label,
            text=document.text,
            position=len(out.rows),
            source=batch.source,
            document=document,
        )
        out.documents += 1
        if document.no_text:
            out.no_text.append(Flag(number, label, file=document.path, no_text=True))
        _flag_limit(row, number, known, out, file=document.path)
        out.rows.append(row)
        out.where.append((None, document.path))


def _read_inputs(
    known: _Known,
    path: Path | None,
    documents: Path | None,
    overrides: Mapping[str, str],
    progress: PhasedProgress | None,
    cancelled: IsCancelled | None,
) -> tuple[str, tuple[str, ...], dict[str, str], _Plan]:
    out = _Plan()
    headers: tuple[str, ...] = ()
    mapping: dict[str, str] = {}
    sources = []
    if path is None and documents is None:
        raise ValidationError(
            "Give a table of applications, a folder or ZIP of documents, or both."
        )
    if path is not None:
        from recruit_app.services.tabular import read_table

        def reading(done: int, total: int) -> None:
            if progress is not None:
                progress(done, total, f"Reading {path.name}")

        table = read_table(path, progress=reading, cancelled=cancelled)
        headers = tuple(table.headers)
        mapping = plan.apply_overrides(
            plan.guess_mapping(headers, known.criteria), overrides, known.criteria
        )
        plan.check_mapping(mapping, known.criteria)
        if progress is not None:
            progress(0, len(table.rows), "Hiding names in the answers")
        _plan_table(table, mapping, known, out)
        sources.append(path.name)
    if documents is not None:
        from recruit_app.services.documents import read_documents

        def reading_documents(done: int, total: int) -> None:
            if progress is not None:
                progress(done, total, f"Reading the documents in {documents.name}")

        batch = read_documents(documents, progress=reading_documents, cancelled=cancelled)
        taken = {(r["candidate_id"], r["key"]) for r in out.rows}
        _plan_documents(batch, known, out, taken)
        sources.append(documents.name)
    if cancelled is not None and cancelled():
        raise Cancelled("The import was cancelled; nothing was added.")
    return " and ".join(sources), headers, mapping, out


def import_applications(
    ctx: ServiceContext,
    campaign_id: int,
    path: Path | None,
    *,
    documents: Path | None = None,
    overrides: Mapping[str, str] | None = None,
    dry_run: bool = False,
    progress: PhasedProgress | None = None,
    cancelled: IsCancelled | None = None,
) -> ApplicationImport:
    """Add the applications in a table (a line per candidate, a column per answer) and
    a folder or ZIP of documents named by candidate number or e-mail address.

    Everything that can be imported is, in one transaction; each thing that cannot is
    reported with why. A part the candidate already has (the same answer, the statement,
    a file of the same name) is replaced. Cancelling, or any error, changes nothing.
    """
    require(ctx.actor, "campaign.manage")
    known = _read_known(ctx, campaign_id)
    source, headers, mapping, out = _read_inputs(
        known, path, documents, overrides or {}, progress, cancelled
    )
    if dry_run:
        return _report(source, headers, mapping, known, out, dry_run=True)
    with unit_of_work(ctx) as session:
        lock_campaign(session, campaign_id)
        campaign = campaign_for(session, ctx, campaign_id, "manage")
        now = _known(session, campaign)
        _recheck(out, known, now)
        rows = out.rows
        pairs = [(r["candidate_id"], r["key"]) for r in rows]
        for start in range(0, len(pairs), INSERT_CHUNK):
            session.execute(
                delete(ApplicationPart).where(
                    tuple_(col(ApplicationPart.candidate_id), col(ApplicationPart.key)).in_(
                        pairs[start : start + INSERT_CHUNK]
                    )
                )
            )
        stamp = utcnow()
        constants = {
            "created_at": stamp,
            "updated_at": stamp,
            "updated_by": ctx.actor.name,
            "version": 1,
        }
        for start in range(0, len(rows), INSERT_CHUNK):
            if cancelled is not None and cancelled():
                raise Cancelled("The import was cancelled; nothing was added.")
            insert_rows(
                session,
                ApplicationPart.__table__,  # type: ignore[attr-defined]  # SQLAlchemy's
                rows[start : start + INSERT_CHUNK],
                constants=constants,
                chunk=INSERT_CHUNK,
            )
            if progress is not None:
                progress(min(start + INSERT_CHUNK, len(rows)), len(rows), "Saving applications")
        report = _report(source, headers, mapping, now, out, dry_run=False)
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="applications.import",
            entity="campaign",
            entity_id=campaign.id,
            campaign_id=campaign.id,
            campaign_reference=campaign.reference,
            summary=f"Imported the applications of {report.imported} candidates "
            f"({report.parts} parts, {report.documents} documents) from {source}; "
            f"skipped {len(report.skipped)} problems",
            after={"imported": report.imported, "parts": report.parts, "source": source},
        )
    log.info("imported %d application parts", len(rows))
    return report


def _recheck(out: _Plan, before: _Known, now: _Known) -> None:
    """Between reading the files and writing, a candidate may have been erased or changed
    their name: drop the parts of the first, hide the new name for the second."""
    kept, where = [], []
    for row, (line, file) in zip(out.rows, out.where, strict=True):
        candidate_id = row["candidate_id"]
        if candidate_id not in now.people:
            out.skipped.append(
                ImportProblem(
                    f"candidate {before.people[candidate_id][0]} was removed or their data "
                    "erased while the import ran",
                    line=line,
                    file=file,
                )
            )
            if row["content"] is not None:
                out.documents -= 1
            continue
        person = now.people[candidate_id][1]
        if person != before.people[candidate_id][1]:
            redacted = redact(row["text"], person)
            row["redacted_text"] = redacted.text
            row["redactions"] = [s.to_json(row["text"]) for s in redacted.spans]
        kept.append(row)
        where.append((line, file))
    out.rows[:], out.where[:] = kept, where


def _report(
    source: str,
    headers: tuple[str, ...],
    mapping: dict[str, str],
    known: _Known,
    out: _Plan,
    *,
    dry_run: bool,
) -> ApplicationImport:
    return ApplicationImport(
        source,
        headers,
        mapping,
        known.criteria,
        len({r["candidate_id"] for r in out.rows}),
        len(out.rows),
        out.documents,
        tuple(out.skipped),
        tuple(out.over_limit),
        tuple(out.no_text),
        dry_run,
    )


def preview_applications(
    ctx: ServiceContext,
    campaign_id: int,
    path: Path | None,
    *,
    documents: Path | None = None,
    overrides: Mapping[str, str] | None = None,
    progress: PhasedProgress | None = None,
    cancelled: IsCancelled | None = None,
) -> ApplicationImport:
    """What importing would do, with every problem: nothing is written."""
    return import_applications(
        ctx,
        campaign_id,
        path,
        documents=documents,
        overrides=overrides,
        dry_run=True,
        progress=progress,
        cancelled=cancelled,
    )


def mapping_choices(ctx: ServiceContext, campaign_id: int) -> dict[str, str]:
    """What a column may be mapped to: target -> words (the advert's criteria included)."""
    require(ctx.actor, "campaign.manage")
    known = _read_known(ctx, campaign_id)
    choices = dict(plan.TARGETS)
    for c in known.criteria:
        target = plan.criterion_target(c.code)
        choices[target] = plan.target_label(target, known.criteria)
    return choices


# --- reading ---------------------------------------------------------------------------

_PART_COLUMNS = (
    ApplicationPart.id,
    ApplicationPart.version,
    ApplicationPart.candidate_id,
    ApplicationPart.kind,
    ApplicationPart.label,
    ApplicationPart.position,
    ApplicationPart.words,
    ApplicationPart.media_type,  # not the file's name: hidden from a panel at a name-blind stage
    ApplicationPart.no_text,
    ApplicationPart.note,
    AdvertCriterion.code,
    AdvertCriterion.title,
)


def _parts(
    session: Session, where: Any, *, redacted: bool, limits: tuple[int, int]
) -> dict[int, list[PartView]]:
    text_column = ApplicationPart.redacted_text if redacted else ApplicationPart.text
    query = (
        select_columns(*_PART_COLUMNS, text_column)
        .outerjoin(AdvertCriterion, col(AdvertCriterion.id) == ApplicationPart.advert_criterion_id)
        .where(where)
    )
    found: dict[int, list[tuple[int, int, int, PartView]]] = {}
    for row in session.exec(query).all():
        (id_, version, candidate, kind, label, position, words, media_type, no_text, note,
         code, title, text) = row  # fmt: skip
        limit = plan.word_limit(kind, *limits)
        found.setdefault(candidate, []).append(
            (PART_ORDER.get(kind, 9), position, id_, PartView(
                id_, version, kind, code or "", title or "", label, text, words, limit,
                bool(media_type), bool(no_text), note,
            ))
        )  # fmt: skip
    return {c: [t[3] for t in sorted(parts, key=lambda t: t[:3])] for c, parts in found.items()}


def _limits(session: Session, campaign_id: int) -> tuple[int, int]:
    advert = session.exec(select(Advert).where(Advert.campaign_id == campaign_id)).first()
    if advert is None:
        return 0, 0
    return advert.statement_word_limit, advert.answer_word_limit


def _reader_sees_originals(
    session: Session,
    ctx: ServiceContext,
    campaign: Campaign,
    candidate_id: int,
    stage: Stage | None,
) -> bool:
    """Whether the person acting reads the candidate's original text (else the redacted);
    PermissionDenied if they may read neither."""
    if ctx.actor.role != Role.PANEL_MEMBER:
        campaign_for(session, ctx, id_of(campaign), "manage")
        return True
    stages = (
        [stage]
        if stage is not None
        else list(
            session.exec(
                select(Stage).where(
                    Stage.campaign_id == campaign.id,
                    col(Stage.id).in_(
                        select(PanelAssignment.stage_id).where(
                            PanelAssignment.person_id == ctx.actor.person_id
                        )
                    ),
                )
            )
        )
    )
    reached = [
        s
        for s in stages
        if session.exec(
            at_stage_query(session, s, select(Candidate.id), True).where(
                Candidate.id == candidate_id
            )
        ).first()
        is not None
    ]
    if not reached:
        raise PermissionDenied(
            f"As a panel member, {ctx.actor.name} may read only the applications of the "
            "candidates at the stages they sit on."
        )
    return any(not s.name_blind for s in reached)


def show_application(
    ctx: ServiceContext,
    campaign_id: int,
    candidate_number: str,
    *,
    stage_id: int | None = None,
    criterion: str | None = None,
    redacted: bool = False,
) -> ApplicationView:
    """One candidate's application as the person acting may read it; `redacted` asks
    for the name-blind text (what a panel reads at a name-blind stage) even where the
    original could be shown; `criterion` keeps that criterion's answer only."""
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        campaign = campaign_for(session, ctx, campaign_id, "view")
        stage = stage_for(session, ctx, stage_id, "view") if stage_id is not None else None
        if stage is not None and stage.campaign_id != campaign_id:
            raise NotFound(f"That stage is not one of {campaign.reference}'s.")
        candidate = session.exec(
            select(Candidate).where(
                Candidate.campaign_id == campaign_id,
                Candidate.candidate_number == candidate_number.strip(),
            )
        ).first()
        if candidate is None:
            raise NotFound(f"{campaign.reference} has no candidate numbered {candidate_number!r}.")
        originals = _reader_sees_originals(session, ctx, campaign, id_of(candidate), stage)
        hide = redacted or not originals
        parts = _parts(
            session,
            ApplicationPart.candidate_id == candidate.id,
            redacted=hide,
            limits=_limits(session, campaign_id),
        ).get(id_of(candidate), [])
        if criterion is not None:
            codes = {p.criterion for p in parts}
            wanted = criterion.strip()
            if wanted.casefold() not in {c.casefold() for c in codes if c}:
                known = {c.code for c in _known(session, campaign).criteria}
                if wanted.casefold() not in {c.casefold() for c in known}:
                    raise NotFound(
                        f"The advert of {campaign.reference} has no criterion {wanted!r}."
                    )
            parts = [p for p in parts if p.criterion.casefold() == wanted.casefold()]
        return ApplicationView(id_of(candidate), candidate.candidate_number, hide, tuple(parts))


def stage_applications(
    ctx: ServiceContext, stage_id: int, *, for_panel: bool = False
) -> StageApplications:
    """The applications of everyone who reached the stage, as the person acting may read
    them (the reader beside the scoring sheet: one read, then moving is instant), or with
    `for_panel` as the stage's panel reads them (packs and workbooks made for a panel:
    redacted at a name-blind stage, whoever makes them)."""
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        stage = stage_for(session, ctx, stage_id, "view")
        panel = for_panel or ctx.actor.role == Role.PANEL_MEMBER
        hide = panel and stage.name_blind
        reached = at_stage_query(session, stage, select(Candidate.id), True)
        numbers = dict(
            session.exec(
                select(Candidate.id, Candidate.candidate_number).where(
                    col(Candidate.id).in_(reached.order_by(None))
                )
            ).all()
        )
        parts = _parts(
            session,
            col(ApplicationPart.candidate_id).in_(reached.order_by(None)),
            redacted=hide,
            limits=_limits(session, stage.campaign_id),
        )
        return StageApplications(
            stage_id,
            hide,
            {
                candidate: ApplicationView(candidate, numbers[candidate], hide, tuple(found))
                for candidate, found in parts.items()
            },
        )


def document_file(ctx: ServiceContext, part_id: int) -> tuple[str, str, bytes]:
    """An original file as it came (name, media type, bytes): for those who may read the
    candidate's originals."""
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        part = session.get(ApplicationPart, part_id)
        if part is None or part.content is None:
            raise NotFound("That document is no longer there.")
        candidate = session.get(Candidate, part.candidate_id)
        assert candidate is not None
        campaign = campaign_for(session, ctx, candidate.campaign_id, "view")
        if not _reader_sees_originals(session, ctx, campaign, id_of(candidate), None):
            raise PermissionDenied(
                f"As a panel member, {ctx.actor.name} may not open the candidate's original "
                "files at a name-blind stage: read the redacted text instead."
            )
        return part.file_name, part.media_type, bytes(part.content)


# --- name-blind review -----------------------------------------------------------------


@dataclass(frozen=True)
class RedactionItem:
    """A part with what name-blind reading hides in it, for the manager to check."""

    id: int
    version: int
    candidate_id: int
    candidate_number: str
    label: str
    text: str
    spans: tuple[Span, ...]
    checked: bool

    @property
    def redacted_text(self) -> str:
        return apply(self.text, self.spans)


def redaction_review(ctx: ServiceContext, campaign_id: int) -> list[RedactionItem]:
    """Every part of the campaign's applications, with what is hidden in each."""
    require(ctx.actor, "campaign.manage")
    with unit_of_work(ctx, read_only=True) as session:
        campaign_for(session, ctx, campaign_id, "manage")
        query = (
            select(ApplicationPart, Candidate.candidate_number)
            .join(Candidate, col(Candidate.id) == ApplicationPart.candidate_id)
            .where(Candidate.campaign_id == campaign_id)
            .order_by(*by_number(session, Candidate.candidate_number), col(ApplicationPart.id))
        )
        return [
            RedactionItem(
                id_of(part),
                part.version,
                part.candidate_id,
                number,
                part.label,
                part.text,
                spans_from_json(part.redactions),
                part.redaction_checked,
            )
            for part, number in session.exec(query)
        ]


def correct_redaction(
    ctx: ServiceContext,
    part_id: int,
    spans: Iterable[tuple[int, int, str]],
    *,
    expected_version: int,
) -> RedactionItem:
    """Set what is hidden in a part (the manager's correction) and mark it checked."""
    require(ctx.actor, "campaign.manage")
    with unit_of_work(ctx) as session:
        part = session.get(ApplicationPart, part_id)
        if part is None:
            raise NotFound("That part of the application is no longer there.")
        candidate = session.get(Candidate, part.candidate_id)
        assert candidate is not None
        campaign = campaign_for(session, ctx, candidate.campaign_id, "manage")
        check_version(part, expected_version, "This part of the application")
        checked = check_spans(part.text, spans)
        before = len(part.redactions)
        part.redactions = [s.to_json(part.text) for s in checked]
        part.redacted_text = apply(part.text, checked)
        part.redaction_checked = True
        touch(part, ctx)
        session.add(part)
        session.flush()
        # Filed under the candidate, so erasing them redacts it; no text of theirs in it.
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="application.redaction",
            entity="candidate",
            entity_id=candidate.id,
            campaign_id=campaign.id,
            campaign_reference=campaign.reference,
            summary=f"Checked what is hidden in candidate {candidate.candidate_number}'s "
            f"{part.label or PartKind.label_for(part.kind)}: {len(checked)} items "
            f"(was {before})",
            before={"hidden": before},
            after={"hidden": len(checked)},
        )
        return RedactionItem(
            id_of(part),
            part.version,
            part.candidate_id,
            candidate.candidate_number,
            part.label,
            part.text,
            checked,
            True,
        )


# --- search ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    candidate_id: int
    candidate_number: str
    part: str
    snippet: str
    part_id: int = 0


def search_applications(
    ctx: ServiceContext, campaign_id: int, words: str, *, stage_id: int | None = None
) -> list[SearchHit]:
    """Where the words appear in the campaign's applications (a qualification, say):
    for managers, and for panel members at a stage without name-blinding."""
    require(ctx.actor, "campaign.view")
    wanted = " ".join(words.split())
    if not wanted:
        raise ValidationError("Type what to look for.", "words")
    with unit_of_work(ctx, read_only=True) as session:
        campaign = campaign_for(session, ctx, campaign_id, "view")
        where: Any = Candidate.campaign_id == campaign_id
        if ctx.actor.role == Role.PANEL_MEMBER:
            if stage_id is None:
                raise PermissionDenied(
                    "Choose the stage you are reading for: panel members search the "
                    "applications of a stage without name-blinding."
                )
            stage = stage_for(session, ctx, stage_id, "view")
            if stage.name_blind:
                raise PermissionDenied(NAME_BLIND_SEARCH)
            reached = at_stage_query(session, stage, select(Candidate.id), True).order_by(None)
            where = col(Candidate.id).in_(reached)
        else:
            campaign_for(session, ctx, id_of(campaign), "manage")
        pattern = (
            "%" + wanted.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        query = (
            select_columns(
                ApplicationPart.candidate_id,
                Candidate.candidate_number,
                ApplicationPart.label,
                ApplicationPart.kind,
                ApplicationPart.text,
                ApplicationPart.id,
            )
            .join(Candidate, col(Candidate.id) == ApplicationPart.candidate_id)
            .where(where, func.lower(ApplicationPart.text).like(pattern, escape="\\"))
            .order_by(*by_number(session, Candidate.candidate_number), col(ApplicationPart.id))
            .limit(SEARCH_LIMIT)
        )
        hits = []
        for candidate_id, number, label, kind, text, part_id in session.exec(query).all():
            at = max(0, text.lower().find(wanted.lower()))
            start, end = max(0, at - SNIPPET), at + len(wanted) + SNIPPET
            snippet = (
                ("…" if start else "")
                + " ".join(text[start:end].split())
                + ("…" if end < len(text) else "")
            )
            hits.append(
                SearchHit(candidate_id, number, label or PartKind.label_for(kind), snippet, part_id)
            )
        return hits
