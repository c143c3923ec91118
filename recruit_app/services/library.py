"""Template library use cases: browse, edit, duplicate, retire, import and export.

Built-in frameworks and templates are read-only (they are refreshed from the data files
that ship with Recruit); duplicating one gives an editable copy.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from db import audit
from db import library as rows
from db.database import Database
from db.models import AppMeta, Criterion, Framework, Question, RoleTemplate, id_of
from recruit_app.domain.library_format import (
    CODE_MAX,
    CODE_PATTERN,
    NAME_MAX,
    CriterionDef,
    FrameworkDef,
    RoleTemplateDef,
    check_levels,
    framework_to_dict,
    parse_role_template,
    resolve_template,
    role_template_to_dict,
)
from recruit_app.errors import DatabaseUnavailable, NotFound, ValidationError
from recruit_app.library import builtin
from recruit_app.services.context import ServiceContext
from recruit_app.services.permissions import require
from recruit_app.services.uow import check_version, not_saved, touch, unit_of_work

BUILTIN_KEY = builtin.META_KEY
SYSTEM = "Recruit"


# --- read models ---------------------------------------------------------------------


@dataclass(frozen=True)
class LibraryEntry:
    kind: str  # "framework" or "template"
    id: int
    code: str
    name: str
    detail: str  # edition of a framework, grade of a template
    builtin: bool
    retired: bool
    count: int  # criteria in it
    version: int

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "code": self.code,
            "name": self.name,
            "detail": self.detail,
            "builtin": self.builtin,
            "retired": self.retired,
            "criteria": self.count,
        }


@dataclass(frozen=True)
class CriterionView:
    id: int
    version: int
    retired: bool
    definition: CriterionDef


@dataclass(frozen=True)
class FrameworkView:
    id: int
    version: int
    builtin: bool
    retired: bool
    definition: FrameworkDef
    criteria: tuple[CriterionView, ...]


@dataclass(frozen=True)
class TemplateView:
    id: int
    version: int
    builtin: bool
    retired: bool
    definition: RoleTemplateDef


@dataclass(frozen=True)
class QuestionView:
    id: int
    version: int
    framework: str
    criterion: str
    level: int | None
    text: str
    probes: tuple[str, ...]
    builtin: bool
    retired: bool


# --- the built-in library ------------------------------------------------------------


def ensure_builtin_library(db: Database) -> bool:
    """Load or refresh the built-in library when the shipped data files changed.

    Returns True when something was written. Cheap when nothing changed: one query.
    """
    stamp = builtin.fingerprint()
    # Read first, without the write lock, so every start does not queue behind another
    # desktop's long import; then again under the lock, in case someone just loaded it.
    if db.meta(BUILTIN_KEY) == stamp:
        return False
    try:
        return _load_builtin_library(db, stamp)
    except DBAPIError as exc:
        raise DatabaseUnavailable(not_saved(exc)) from None


def _load_builtin_library(db: Database, stamp: str) -> bool:
    with db.session() as session:
        current = session.get(AppMeta, BUILTIN_KEY)
        if current is not None and current.value == stamp:
            return False
        for definition in builtin.frameworks():
            framework = rows.upsert_framework(session, definition, builtin=True, who=SYSTEM)
            session.flush()
            questions = [q for q in builtin.questions() if q.framework == definition.code]
            rows.replace_builtin_questions(session, framework, questions, SYSTEM)
        session.flush()
        frameworks = library_frameworks(session)
        for template in builtin.templates():
            rows.upsert_template(
                session, resolve_template(template, frameworks), builtin=True, who=SYSTEM
            )
        if current is None:
            session.add(AppMeta(key=BUILTIN_KEY, value=stamp))
        else:
            current.value = stamp
        session.commit()
    return True


def library_frameworks(session: Session) -> dict[str, FrameworkDef]:
    """Every framework by code, for resolving template references."""
    return {f.code: rows.framework_definition(session, f) for f in session.exec(select(Framework))}


# --- browsing ------------------------------------------------------------------------


def list_library(ctx: ServiceContext, *, include_retired: bool = False) -> list[LibraryEntry]:
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        counts = dict(
            session.exec(
                select(Criterion.framework_id, func.count())
                .where(col(Criterion.retired).is_(False))
                .group_by(col(Criterion.framework_id))
            ).all()
        )
        entries = [
            LibraryEntry(
                "framework",
                id_of(f),
                f.code,
                f.name,
                f.edition,
                f.builtin,
                f.retired,
                counts.get(id_of(f), 0),
                f.version,
            )
            for f in session.exec(select(Framework).order_by(col(Framework.name)))
        ]
        for t in session.exec(select(RoleTemplate).order_by(col(RoleTemplate.title))):
            entries.append(
                LibraryEntry(
                    "template",
                    id_of(t),
                    t.code,
                    t.title,
                    t.grade,
                    t.builtin,
                    t.retired,
                    len(t.content.get("criteria", [])),
                    t.version,
                )
            )
    return [e for e in entries if include_retired or not e.retired]


def _framework(session: Session, code: str) -> Framework:
    framework = rows.framework_by_code(session, code.strip())
    if framework is None:
        raise NotFound(f"The library has no framework with the code {code!r}.")
    return framework


def _template(session: Session, code: str) -> RoleTemplate:
    template = rows.template_by_code(session, code.strip())
    if template is None:
        raise NotFound(f"The library has no role template with the code {code!r}.")
    return template


def _framework_view(session: Session, framework: Framework) -> FrameworkView:
    assert framework.id is not None
    criteria = rows.criteria_of(session, framework.id)
    levels = rows.levels_of(session, [id_of(c) for c in criteria])
    views = tuple(
        CriterionView(
            id_of(c),
            c.version,
            c.retired,
            rows.criterion_definition(c, levels[id_of(c)]),
        )
        for c in criteria
    )
    definition = FrameworkDef(
        code=framework.code,
        name=framework.name,
        description=framework.description,
        edition=framework.edition,
        criteria=tuple(v.definition for v in views if not v.retired),
    )
    return FrameworkView(
        framework.id, framework.version, framework.builtin, framework.retired, definition, views
    )


def get_framework(ctx: ServiceContext, code: str) -> FrameworkView:
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        return _framework_view(session, _framework(session, code))


def get_template(ctx: ServiceContext, code: str) -> TemplateView:
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        template = _template(session, code)
        return TemplateView(
            id_of(template),
            template.version,
            template.builtin,
            template.retired,
            rows.template_definition(template),
        )


def find_entry(ctx: ServiceContext, code: str) -> str:
    """'framework' or 'template': which kind of library entry has this code."""
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        if rows.framework_by_code(session, code.strip()):
            return "framework"
        if rows.template_by_code(session, code.strip()):
            return "template"
    raise NotFound(f"The library has nothing with the code {code!r}.")


# --- editing frameworks and criteria -------------------------------------------------


def _editable(row: Framework | RoleTemplate, what: str) -> None:
    if row.builtin:
        raise ValidationError(
            f"{what} is built in and read-only. Duplicate it to make a version you can change."
        )


def _check_code_free(session: Session, code: str) -> None:
    if rows.framework_by_code(session, code) or rows.template_by_code(session, code):
        raise ValidationError(f"The code {code!r} is already used in the library.", "code")


def _clean_code(code: str) -> str:
    code = (code or "").strip()
    if not code:
        raise ValidationError("Give a code.", "code")
    if len(code) > CODE_MAX or not CODE_PATTERN.match(code):
        raise ValidationError(
            f"A code may hold up to {CODE_MAX} letters, digits and . _ - characters.", "code"
        )
    return code


def _clean_name(name: str, field: str = "name") -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError("Give a name.", field)
    if len(name) > NAME_MAX:
        raise ValidationError(f"Keep the name to {NAME_MAX} characters or fewer.", field)
    return name


def _audit(
    session: Session,
    ctx: ServiceContext,
    action: str,
    entity: str,
    entity_id: int | None,
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    audit.record(
        session,
        actor_name=ctx.actor.name,
        actor_id=ctx.actor.person_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        summary=summary,
        before=before,
        after=after,
    )


def create_framework(
    ctx: ServiceContext, *, code: str, name: str, description: str = "", edition: str = ""
) -> FrameworkView:
    require(ctx.actor, "library.edit")
    definition = FrameworkDef(
        code=_clean_code(code),
        name=_clean_name(name),
        description=description.strip(),
        edition=edition.strip(),
    )
    with unit_of_work(ctx) as session:
        _check_code_free(session, definition.code)
        framework = rows.upsert_framework(session, definition, builtin=False, who=ctx.actor.name)
        session.flush()
        _audit(
            session,
            ctx,
            "library.framework.create",
            "framework",
            framework.id,
            f"Created framework {definition.code}",
        )
        return _framework_view(session, framework)


def update_framework(
    ctx: ServiceContext,
    code: str,
    *,
    name: str,
    description: str,
    edition: str,
    expected_version: int | None,
) -> FrameworkView:
    require(ctx.actor, "library.edit")
    with unit_of_work(ctx) as session:
        framework = _framework(session, code)
        _editable(framework, framework.name)
        check_version(framework, expected_version, f"The framework {framework.code}")
        before = {
            "name": framework.name,
            "description": framework.description,
            "edition": framework.edition,
        }
        framework.name = _clean_name(name)
        framework.description = description.strip()
        framework.edition = edition.strip()[:CODE_MAX]
        touch(framework, ctx)
        _audit(
            session,
            ctx,
            "library.framework.update",
            "framework",
            framework.id,
            f"Changed framework {framework.code}",
            before,
            {
                "name": framework.name,
                "description": framework.description,
                "edition": framework.edition,
            },
        )
        session.flush()
        return _framework_view(session, framework)


def duplicate_framework(
    ctx: ServiceContext, code: str, *, new_code: str, new_name: str | None = None
) -> FrameworkView:
    """An editable copy of a framework with its criteria, levels and questions."""
    require(ctx.actor, "library.edit")
    new_code = _clean_code(new_code)
    with unit_of_work(ctx) as session:
        source = _framework(session, code)
        _check_code_free(session, new_code)
        definition = replace(
            rows.framework_definition(session, source),
            code=new_code,
            name=_clean_name(new_name or f"{source.name} (copy)"),
        )
        copy = rows.upsert_framework(session, definition, builtin=False, who=ctx.actor.name)
        session.flush()
        _copy_questions(session, source, copy, ctx.actor.name)
        _audit(
            session,
            ctx,
            "library.framework.duplicate",
            "framework",
            copy.id,
            f"Copied {source.code} to {new_code}",
        )
        return _framework_view(session, copy)


def _copy_questions(session: Session, source: Framework, copy: Framework, who: str) -> None:
    new_ids = {c.code: id_of(c) for c in rows.criteria_of(session, id_of(copy))}
    for criterion in rows.criteria_of(session, id_of(source)):
        for question in session.exec(select(Question).where(Question.criterion_id == criterion.id)):
            session.add(
                Question(
                    criterion_id=new_ids[criterion.code],
                    level=question.level,
                    text=question.text,
                    probes=list(question.probes),
                    position=question.position,
                    retired=question.retired,
                    updated_by=who,
                )
            )


def set_framework_retired(
    ctx: ServiceContext, code: str, *, retired: bool, expected_version: int | None
) -> FrameworkView:
    require(ctx.actor, "library.edit")
    with unit_of_work(ctx) as session:
        framework = _framework(session, code)
        _editable(framework, framework.name)
        check_version(framework, expected_version, f"The framework {framework.code}")
        framework.retired = retired
        touch(framework, ctx)
        _audit(
            session,
            ctx,
            "library.framework.retire" if retired else "library.framework.restore",
            "framework",
            framework.id,
            framework.code,
        )
        session.flush()
        return _framework_view(session, framework)


def save_criterion(
    ctx: ServiceContext,
    framework_code: str,
    definition: CriterionDef,
    *,
    criterion_id: int | None = None,
    expected_version: int | None = None,
) -> FrameworkView:
    """Add a criterion (criterion_id None) or replace one, with all its levels."""
    require(ctx.actor, "library.edit")
    definition = replace(
        definition, code=_clean_code(definition.code), name=_clean_name(definition.name)
    )
    check_levels(definition, "levels")
    with unit_of_work(ctx) as session:
        framework = _framework(session, framework_code)
        _editable(framework, framework.name)
        siblings = rows.criteria_of(session, id_of(framework))
        clash = next(
            (
                c
                for c in siblings
                if c.code.casefold() == definition.code.casefold() and c.id != criterion_id
            ),
            None,
        )
        if clash is not None:
            raise ValidationError(
                f"{framework.code} already has a criterion with the code {clash.code!r}.",
                "code",
            )
        criterion: Criterion | None
        if criterion_id is None:
            criterion = Criterion(
                framework_id=id_of(framework),
                code=definition.code,
                name=definition.name,
                element=definition.element,
                updated_by=ctx.actor.name,
            )
            session.add(criterion)
            position, before = len(siblings), None
        else:
            criterion = next((c for c in siblings if c.id == criterion_id), None)
            if criterion is None:
                raise NotFound("That criterion no longer exists in this framework.")
            check_version(criterion, expected_version, f"The criterion {criterion.code}")
            position = criterion.position
            levels = rows.levels_of(session, [criterion_id])[criterion_id]
            before = _criterion_json(rows.criterion_definition(criterion, levels))
        rows.write_criterion(session, criterion, definition, position=position, who=ctx.actor.name)
        _audit(
            session,
            ctx,
            "library.criterion.save",
            "criterion",
            criterion.id,
            f"Saved {framework.code} {definition.code}",
            before,
            _criterion_json(definition),
        )
        session.flush()
        return _framework_view(session, framework)


def _criterion_json(definition: CriterionDef) -> dict[str, Any]:
    wrapper = FrameworkDef(code="X", name="X", criteria=(definition,))
    return framework_to_dict(wrapper)["criteria"][0]


def set_criterion_retired(
    ctx: ServiceContext, criterion_id: int, *, retired: bool, expected_version: int | None
) -> FrameworkView:
    require(ctx.actor, "library.edit")
    with unit_of_work(ctx) as session:
        criterion = session.get(Criterion, criterion_id)
        if criterion is None:
            raise NotFound("That criterion no longer exists.")
        framework = session.get(Framework, criterion.framework_id)
        assert framework is not None
        _editable(framework, framework.name)
        check_version(criterion, expected_version, f"The criterion {criterion.code}")
        criterion.retired = retired
        touch(criterion, ctx)
        _audit(
            session,
            ctx,
            "library.criterion.retire" if retired else "library.criterion.restore",
            "criterion",
            criterion.id,
            criterion.code,
        )
        session.flush()
        return _framework_view(session, framework)


# --- role templates ------------------------------------------------------------------


def save_template(
    ctx: ServiceContext,
    definition: RoleTemplateDef,
    *,
    expected_version: int | None = None,
    create: bool = False,
) -> TemplateView:
    """Create (create=True) or replace a user template; references are checked."""
    require(ctx.actor, "library.edit")
    definition = replace(
        definition, code=_clean_code(definition.code), title=_clean_name(definition.title, "title")
    )
    # The same rules as an imported file: unique codes, a lead order with each place once,
    # stages naming criteria, plans naming what their stage assesses.
    definition = parse_role_template(role_template_to_dict(definition))
    with unit_of_work(ctx) as session:
        existing = rows.template_by_code(session, definition.code)
        if create:
            _check_code_free(session, definition.code)
        elif existing is None:
            raise NotFound(f"The library has no role template with the code {definition.code!r}.")
        else:
            _editable(existing, existing.title)
            check_version(existing, expected_version, f"The template {existing.code}")
        resolved = resolve_template(definition, library_frameworks(session))
        before = dict(existing.content) if existing is not None else None
        template = rows.upsert_template(session, resolved, builtin=False, who=ctx.actor.name)
        session.flush()
        _audit(
            session,
            ctx,
            "library.template.save",
            "role_template",
            template.id,
            f"Saved template {resolved.code}",
            before,
            template.content,
        )
        session.flush()
        return TemplateView(id_of(template), template.version, False, False, resolved)


def duplicate_template(
    ctx: ServiceContext, code: str, *, new_code: str, new_title: str | None = None
) -> TemplateView:
    require(ctx.actor, "library.edit")
    source = get_template(ctx, code)
    copy = replace(
        source.definition,
        code=_clean_code(new_code),
        title=new_title or f"{source.definition.title} (copy)",
    )
    return save_template(ctx, copy, create=True)


def set_template_retired(
    ctx: ServiceContext, code: str, *, retired: bool, expected_version: int | None
) -> TemplateView:
    require(ctx.actor, "library.edit")
    with unit_of_work(ctx) as session:
        template = _template(session, code)
        _editable(template, template.title)
        check_version(template, expected_version, f"The template {template.code}")
        template.retired = retired
        touch(template, ctx)
        _audit(
            session,
            ctx,
            "library.template.retire" if retired else "library.template.restore",
            "role_template",
            template.id,
            template.code,
        )
        session.flush()
        return TemplateView(
            id_of(template),
            template.version,
            False,
            retired,
            rows.template_definition(template),
        )


# --- questions -----------------------------------------------------------------------


def list_questions(
    ctx: ServiceContext,
    framework_code: str,
    criterion_code: str | None = None,
    level: int | None = None,
) -> list[QuestionView]:
    """Questions for a framework (or one criterion); with a level, those for it or any level."""
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        framework = _framework(session, framework_code)
        query = (
            select(Question, Criterion.code)
            .join(Criterion, col(Criterion.id) == Question.criterion_id)
            .where(Criterion.framework_id == framework.id)
            .order_by(
                col(Criterion.position), col(Question.level).nulls_first(), col(Question.position)
            )
        )
        if criterion_code:
            query = query.where(Criterion.code == criterion_code)
        found = []
        for question, code in session.exec(query):
            if level is not None and question.level not in (None, level):
                continue
            found.append(
                QuestionView(
                    id_of(question),
                    question.version,
                    framework.code,
                    code,
                    question.level,
                    question.text,
                    tuple(question.probes),
                    question.builtin,
                    question.retired,
                )
            )
        return found


def save_question(
    ctx: ServiceContext,
    framework_code: str,
    criterion_code: str,
    *,
    text: str,
    probes: list[str],
    level: int | None = None,
    question_id: int | None = None,
    expected_version: int | None = None,
) -> QuestionView:
    require(ctx.actor, "library.edit")
    text = text.strip()
    if not text:
        raise ValidationError("Write the question.", "text")
    if len(text) > 1000:
        raise ValidationError("Keep a question to 1,000 characters or fewer.", "text")
    probes = [p.strip() for p in probes if p.strip()]
    with unit_of_work(ctx) as session:
        framework = _framework(session, framework_code)
        criterion = session.exec(
            select(Criterion).where(
                Criterion.framework_id == framework.id, Criterion.code == criterion_code
            )
        ).first()
        if criterion is None:
            raise NotFound(f"{framework.code} has no criterion {criterion_code!r}.")
        if level is not None and not criterion.min_level <= level <= criterion.max_level:
            raise ValidationError(
                f"{criterion.name} has levels {criterion.min_level} to {criterion.max_level}.",
                "level",
            )
        question: Question | None
        if question_id is None:
            question = Question(criterion_id=id_of(criterion), text=text, updated_by=ctx.actor.name)
            session.add(question)
        else:
            question = session.get(Question, question_id)
            if question is None:
                raise NotFound("That question no longer exists.")
            if question.builtin:
                raise ValidationError("Built-in questions are read-only; add your own instead.")
            check_version(question, expected_version, "The question")
            touch(question, ctx)
        question.text, question.probes, question.level = text, probes, level
        session.flush()
        _audit(
            session,
            ctx,
            "library.question.save",
            "question",
            question.id,
            f"Saved a question for {framework.code} {criterion.code}",
        )
        return QuestionView(
            id_of(question),
            question.version,
            framework.code,
            criterion.code,
            level,
            text,
            tuple(probes),
            question.builtin,
            question.retired,
        )


__all__ = [
    "CriterionView",
    "FrameworkView",
    "LibraryEntry",
    "QuestionView",
    "TemplateView",
    "create_framework",
    "duplicate_framework",
    "duplicate_template",
    "ensure_builtin_library",
    "find_entry",
    "get_framework",
    "get_template",
    "list_library",
    "list_questions",
    "save_criterion",
    "save_question",
    "save_template",
    "set_criterion_retired",
    "set_framework_retired",
    "set_template_retired",
    "update_framework",
]
