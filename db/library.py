"""Writing and reading library definitions (frameworks, templates, questions) as rows.

Functions take a session and never commit: the calling use case owns the transaction.
Criteria are matched by code and never deleted (adverts may point at them): a criterion
that leaves a framework is retired instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlmodel import Session, col, delete, select

from db.models import (
    Criterion,
    CriterionLevel,
    Framework,
    Question,
    RoleTemplate,
    Versioned,
    id_of,
)
from db.types import utcnow
from recruit_app.domain.library_format import (
    CriterionDef,
    FrameworkDef,
    LevelDef,
    QuestionDef,
    RoleTemplateDef,
    parse_role_template,
    role_template_to_dict,
)


def _stamp(row: Versioned, who: str) -> None:
    row.updated_at = utcnow()
    row.updated_by = who


def framework_by_code(session: Session, code: str) -> Framework | None:
    return session.exec(select(Framework).where(Framework.code == code)).first()


def criteria_of(session: Session, framework_id: int) -> list[Criterion]:
    return list(
        session.exec(
            select(Criterion)
            .where(Criterion.framework_id == framework_id)
            .order_by(col(Criterion.position), col(Criterion.id))
        )
    )


def levels_of(session: Session, criterion_ids: Sequence[int]) -> dict[int, list[CriterionLevel]]:
    result: dict[int, list[CriterionLevel]] = {cid: [] for cid in criterion_ids}
    if not criterion_ids:
        return result
    rows = session.exec(
        select(CriterionLevel)
        .where(col(CriterionLevel.criterion_id).in_(criterion_ids))
        .order_by(col(CriterionLevel.level))
    )
    for row in rows:
        result[row.criterion_id].append(row)
    return result


def upsert_framework(
    session: Session, definition: FrameworkDef, *, builtin: bool, who: str
) -> Framework:
    """Create or update a framework and its criteria to match `definition` exactly."""
    framework = framework_by_code(session, definition.code)
    if framework is None:
        framework = Framework(
            code=definition.code, name=definition.name, builtin=builtin, updated_by=who
        )
        session.add(framework)
    framework.name = definition.name
    framework.description = definition.description
    framework.edition = definition.edition
    framework.builtin = builtin
    framework.retired = False
    _stamp(framework, who)
    session.flush()
    assert framework.id is not None
    existing = {c.code: c for c in criteria_of(session, framework.id)}
    wanted = {c.code for c in definition.criteria}
    for position, item in enumerate(definition.criteria):
        criterion = existing.get(item.code)
        if criterion is None:
            criterion = Criterion(
                framework_id=framework.id,
                code=item.code,
                name=item.name,
                element=item.element,
                updated_by=who,
            )
            session.add(criterion)
        write_criterion(session, criterion, item, position=position, who=who)
    for code, criterion in existing.items():
        if code not in wanted and not criterion.retired:
            criterion.retired = True
            _stamp(criterion, who)
    return framework


def write_criterion(
    session: Session, criterion: Criterion, item: CriterionDef, *, position: int, who: str
) -> None:
    """Make one criterion row and its level rows match `item`."""
    span = item.level_range or (1, 1)
    criterion.name = item.name
    criterion.element = item.element
    criterion.description = item.description
    criterion.cluster = item.cluster
    criterion.min_level, criterion.max_level = span
    criterion.position = position
    criterion.retired = False
    _stamp(criterion, who)
    session.flush()
    assert criterion.id is not None
    current = {lv.level: lv for lv in levels_of(session, [criterion.id])[criterion.id]}
    for level in item.levels:
        row = current.pop(level.level, None)
        if row is None:
            row = CriterionLevel(criterion_id=criterion.id, level=level.level, updated_by=who)
            session.add(row)
        row.title = level.title
        row.grades = level.grades
        row.description = level.description
        row.positive_indicators = list(level.positive_indicators)
        row.negative_indicators = list(level.negative_indicators)
        _stamp(row, who)
    for row in current.values():
        session.delete(row)


def framework_definition(
    session: Session, framework: Framework, *, include_retired: bool = False
) -> FrameworkDef:
    assert framework.id is not None
    criteria = [c for c in criteria_of(session, framework.id) if include_retired or not c.retired]
    levels = levels_of(session, [c.id for c in criteria if c.id is not None])
    return FrameworkDef(
        code=framework.code,
        name=framework.name,
        description=framework.description,
        edition=framework.edition,
        criteria=tuple(criterion_definition(c, levels[id_of(c)]) for c in criteria),
    )


def criterion_definition(criterion: Criterion, levels: Iterable[CriterionLevel]) -> CriterionDef:
    return CriterionDef(
        code=criterion.code,
        name=criterion.name,
        element=criterion.element,
        description=criterion.description,
        cluster=criterion.cluster,
        levels=tuple(
            LevelDef(
                level=lv.level,
                title=lv.title,
                grades=lv.grades,
                description=lv.description,
                positive_indicators=tuple(lv.positive_indicators),
                negative_indicators=tuple(lv.negative_indicators),
            )
            for lv in levels
        ),
    )


def replace_builtin_questions(
    session: Session, framework: Framework, questions: Iterable[QuestionDef], who: str
) -> int:
    """Built-in questions of a framework are replaced wholesale; users' own stay."""
    assert framework.id is not None
    criteria = {c.code: c for c in criteria_of(session, framework.id)}
    ids = [c.id for c in criteria.values()]
    session.exec(
        delete(Question).where(
            col(Question.criterion_id).in_(ids),
            col(Question.builtin).is_(True),
        )
    )
    count = 0
    for position, question in enumerate(questions):
        criterion = criteria.get(question.criterion)
        if criterion is None:
            continue
        session.add(
            Question(
                criterion_id=id_of(criterion),
                level=question.level,
                text=question.text,
                probes=list(question.probes),
                position=position,
                builtin=True,
                updated_by=who,
            )
        )
        count += 1
    return count


def template_by_code(session: Session, code: str) -> RoleTemplate | None:
    return session.exec(select(RoleTemplate).where(RoleTemplate.code == code)).first()


def upsert_template(
    session: Session, definition: RoleTemplateDef, *, builtin: bool, who: str
) -> RoleTemplate:
    template = template_by_code(session, definition.code)
    if template is None:
        template = RoleTemplate(code=definition.code, title=definition.title, updated_by=who)
        session.add(template)
    template.title = definition.title
    template.grade = definition.grade
    template.summary = definition.summary
    template.content = role_template_to_dict(definition)
    template.builtin = builtin
    template.retired = False
    _stamp(template, who)
    return template


def template_definition(template: RoleTemplate) -> RoleTemplateDef:
    return parse_role_template(template.content)
