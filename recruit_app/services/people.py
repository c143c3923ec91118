"""People use cases: the recruiting managers and panel members a campaign draws on."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from db import audit, pg_roles
from db.models import Campaign, PanelAssignment, Person, Stage, id_of
from recruit_app.errors import NotFound, ValidationError
from recruit_app.services.context import ServiceContext
from recruit_app.services.permissions import require
from recruit_app.services.stages import PersonView
from recruit_app.services.uow import check_version, touch, unit_of_work
from recruit_app.vocabulary import Role

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Control characters cannot be printed; lone surrogates (bytes of a command line that were
# not UTF-8) cannot even be stored.
_NOT_PRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_person(name: str, email: str, role: str) -> tuple[str, str, str]:
    name = " ".join((name or "").split())
    email = (email or "").strip().lower()
    if not name or len(name) > 200:
        raise ValidationError("Give the person's name (up to 200 characters).", "name")
    if _NOT_PRINTABLE.search(name):
        raise ValidationError(
            "The name holds a control character or bytes that are not text.", "name"
        )
    if not _EMAIL.match(email) or len(email) > 320 or _NOT_PRINTABLE.search(email):
        raise ValidationError(f"{email!r} does not look like an e-mail address.", "email")
    if role not in Role.codes():
        *others, last = (r.phrase for r in Role)
        raise ValidationError(f"Choose {', '.join(others)} or {last}.", "role")
    return name, email, role


def create_person(
    ctx: ServiceContext, *, name: str, email: str, role: str = Role.PANEL_MEMBER
) -> PersonView:
    _may_change(ctx, role)
    name, email, role = clean_person(name, email, role)
    with unit_of_work(ctx) as session:
        # Addresses are saved in lower case, but rows written before that (or by another
        # tool) may not be: compare ignoring case, never as a LIKE pattern.
        if session.exec(select(Person.id).where(func.lower(Person.email) == email)).first():
            raise ValidationError(f"Someone with the e-mail {email} is already listed.", "email")
        person = Person(name=name, email=email, role=role, updated_by=ctx.actor.name)
        session.add(person)
        session.flush()
        _enrol(session, person)
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="person.create",
            entity="person",
            entity_id=person.id,
            summary=f"Added {name}",
            after={"name": name, "email": email, "role": role},
        )
        return PersonView(id_of(person), name, email, role, True)


# --- the People screen ---------------------------------------------------------------


@dataclass(frozen=True)
class PersonRow:
    """A person as the People screen lists them."""

    id: int
    name: str
    email: str
    role: str
    active: bool
    can_sign_in: bool  # has a password
    panels: tuple[str, ...]  # "283922 CV sift (chair)"
    version: int
    db_role: str | None = None  # their PostgreSQL login role; None on SQLite
    equality_monitoring: bool = False  # may read equality monitoring (services/equality.py)


def list_people(ctx: ServiceContext, *, include_inactive: bool = True) -> list[PersonRow]:
    require(ctx.actor, "people.view")
    with unit_of_work(ctx, read_only=True) as session:
        query = select(Person).order_by(col(Person.name), col(Person.id))
        if not include_inactive:
            query = query.where(Person.active == True)  # noqa: E712 - SQL, not Python truth
        people = list(session.exec(query))
        seats: dict[int, list[str]] = {}
        for person_id, reference, stage, role in session.exec(
            select(
                PanelAssignment.person_id,
                Campaign.reference,
                Stage.name,
                PanelAssignment.panel_role,
            )
            .join(Stage, col(Stage.id) == PanelAssignment.stage_id)
            .join(Campaign, col(Campaign.id) == Stage.campaign_id)
            .order_by(col(Campaign.reference), col(Stage.position))
        ):
            seats.setdefault(person_id, []).append(f"{reference} {stage} ({role})")
        return [
            PersonRow(
                id_of(p),
                p.name,
                p.email,
                p.role,
                p.active,
                bool(p.password_hash) or p.password_changed_at is not None,
                tuple(seats.get(id_of(p), ())),
                p.version,
                p.db_role,
                p.equality_monitoring,
            )
            for p in people
        ]


def _may_change(ctx: ServiceContext, role: str) -> None:
    """Administrators change anyone; recruiting managers only panel members (for panels)."""
    if ctx.actor.role == "administrator":
        return
    require(ctx.actor, "campaign.manage")
    if role != "panel_member":
        require(ctx.actor, "people.manage")


def update_person(
    ctx: ServiceContext,
    person_id: int,
    *,
    name: str,
    email: str,
    role: str,
    expected_version: int | None,
    equality_monitoring: bool | None = None,
) -> None:
    """Change someone's details; `equality_monitoring` (None: as it is) gives or takes the
    permission in the same transaction, as `set_equality_monitoring` does."""
    name, email, role = clean_person(name, email, role)
    if equality_monitoring is not None:
        require(ctx.actor, "people.manage")
    with unit_of_work(ctx) as session:
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound("That person is no longer listed.")
        _may_change(ctx, person.role)
        _may_change(ctx, role)
        check_version(person, expected_version, f"{person.name}'s details")
        clash = session.exec(
            select(Person.id).where(func.lower(Person.email) == email, Person.id != person_id)
        ).first()
        if clash is not None:
            raise ValidationError(f"Someone with the e-mail {email} is already listed.", "email")
        if person.role == "administrator" and role != "administrator":
            _keep_an_administrator(session, person)
        before = {"name": person.name, "email": person.email, "role": person.role}
        person.name, person.email, person.role = name, email, role
        if role == Role.PANEL_MEMBER:
            person.equality_monitoring = False  # never for a panel member
        touch(person, ctx)
        _enrol(session, person)
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="person.update",
            entity="person",
            entity_id=person.id,
            summary=f"Changed {name}'s details",
            before=before,
            after={"name": name, "email": email, "role": role},
        )
        if equality_monitoring is not None and equality_monitoring != person.equality_monitoring:
            _set_monitoring(session, ctx, person, equality_monitoring)


def set_active(
    ctx: ServiceContext, person_id: int, active: bool, *, expected_version: int | None
) -> None:
    """Deactivate (they can no longer sign in or be put on panels) or reactivate someone.
    People are never deleted: their scores and the audit trail name them."""
    with unit_of_work(ctx) as session:
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound("That person is no longer listed.")
        _may_change(ctx, person.role)
        check_version(person, expected_version, f"{person.name}'s details")
        if person.id == ctx.actor.person_id and not active:
            raise ValidationError("You cannot deactivate yourself.")
        if not active and person.role == "administrator":
            _keep_an_administrator(session, person)
        before = person.active
        person.active = active
        touch(person, ctx)
        _enrol(session, person)
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="person.activate" if active else "person.deactivate",
            entity="person",
            entity_id=person.id,
            summary=f"{'Reactivated' if active else 'Deactivated'} {person.name}",
            before={"active": before},
            after={"active": active},
        )


def set_equality_monitoring(
    ctx: ServiceContext, person_id: int, allowed: bool, *, expected_version: int | None
) -> None:
    """Give a recruiting manager the equality monitoring permission (to read the answers
    and fairness figures of the campaigns they manage), or take it away. Administrators
    always have it; panel members never may. On PostgreSQL the database gives or takes
    the matching group role (migration 0013)."""
    require(ctx.actor, "people.manage")
    with unit_of_work(ctx) as session:
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound("That person is no longer listed.")
        check_version(person, expected_version, f"{person.name}'s details")
        _set_monitoring(session, ctx, person, allowed)


def _set_monitoring(session: Session, ctx: ServiceContext, person: Person, allowed: bool) -> None:
    if allowed and person.role != Role.RECRUITING_MANAGER:
        raise ValidationError(
            f"{person.name} is a {Role.phrase_for(person.role)}: equality monitoring is "
            "given to recruiting managers (administrators always have it; panel members "
            "never may)."
        )
    before = person.equality_monitoring
    person.equality_monitoring = allowed
    touch(person, ctx)
    audit.record(
        session,
        actor_name=ctx.actor.name,
        actor_id=ctx.actor.person_id,
        action="person.equality_monitoring",
        entity="person",
        entity_id=person.id,
        summary=f"{'Gave' if allowed else 'Took away'} equality monitoring "
        f"{'to' if allowed else 'from'} {person.name}",
        before={"equality_monitoring": before},
        after={"equality_monitoring": allowed},
    )


def _enrol(session: Session, person: Person) -> None:
    """On PostgreSQL, bring the person's login role in line with their row: its name (from
    the e-mail), its group (from the role), LOGIN only while active with a password."""
    if session.get_bind().dialect.name == "postgresql":
        pg_roles.enrol(session, id_of(person), person.email)


def _keep_an_administrator(session: Session, leaving: Person) -> None:
    others = session.exec(
        select(Person.id).where(
            Person.role == "administrator",
            Person.active == True,  # noqa: E712 - SQL, not Python truth
            Person.id != leaving.id,
        )
    ).first()
    if others is None:
        raise ValidationError(
            f"{leaving.name} is the only active administrator: make someone else one first."
        )
