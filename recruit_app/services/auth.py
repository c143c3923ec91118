"""Signing in: who is acting, proved with a password stored only as an argon2 hash.

Team mode (PostgreSQL) always asks people to sign in. A single desk (SQLite) runs as its
local owner, an administrator, unless an administrator switches sign-in on.

Every command and the window's first read ask whether sign-in is needed, so those checks
are plain SQL and this module loads the table classes only in the functions that change
people or sign someone in.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Connection, String, column, func, or_, select, table

from db.types import utcnow
from recruit_app.errors import DatabaseUnavailable, PermissionDenied, ValidationError
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.services.permissions import require

if TYPE_CHECKING:
    from argon2 import PasswordHasher
    from sqlmodel import Session

    from db.database import Database

MIN_PASSWORD = 10
MAX_PASSWORD = 1_000
FREE_ATTEMPTS = 3  # failures before each further attempt has to wait
FIRST_WAIT = timedelta(seconds=5)  # doubled with each failure after that
LONGEST_WAIT = timedelta(minutes=15)
SIGN_IN_SETTING = "sign_in_required"
WRONG = "The e-mail address or password is not right."


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    check_password_rules(password)
    return _hasher().hash(password)


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationError(
            f"Choose a password of at least {MIN_PASSWORD} characters.", "password"
        )
    if len(password) > MAX_PASSWORD or "\x00" in password:
        raise ValidationError("That password cannot be used.", "password")
    if not password.strip():
        raise ValidationError("A password cannot be only spaces.", "password")


# --- whether people sign in ---------------------------------------------------------------


def sign_in_required(db: Database) -> bool:
    """Always on a shared PostgreSQL server; on a SQLite file when switched on."""
    if db.backend != "sqlite":
        return True
    return bool(db.setting(SIGN_IN_SETTING))


def has_administrator(db: Database) -> bool:
    """Whether an active administrator can sign in (otherwise set-up creates the first).

    A shared PostgreSQL database cannot be asked before someone signs in: its owner sets
    up the first administrator (`recruit-app users create-admin`), so one is assumed."""
    if db.awaiting_sign_in:
        return True
    with db.reader.connect() as connection:
        return _administrators(connection) > 0


# The columns of `person` that say who can sign in as an administrator, as plain SQL
# (the table class is not needed to ask).
_PERSON = table(
    "person",
    column("role", String),
    column("active", Boolean),
    column("password_hash", String),
    column("password_changed_at"),
)


def _administrators(connection: Connection) -> int:
    """Active administrators with a password, counted on `connection` (a session's own
    connection inside a unit of work, so the count is part of its transaction)."""
    person = _PERSON.c
    return connection.execute(
        select(func.count())
        .select_from(_PERSON)
        .where(
            person.role == "administrator",
            person.active == True,  # noqa: E712 - SQL, not Python truth
            # A password: its hash here (SQLite), or the server's verifier (PostgreSQL).
            or_(person.password_hash.is_not(None), person.password_changed_at.is_not(None)),
        )
    ).scalar_one()


def set_sign_in_required(ctx: ServiceContext, required: bool) -> None:
    """Switch sign-in on or off for a SQLite file (PostgreSQL always asks)."""
    from db.models import AppSetting
    from recruit_app.services.uow import unit_of_work

    require(ctx.actor, "people.manage")
    if ctx.db.backend != "sqlite":
        raise ValidationError("On a shared PostgreSQL database everyone always signs in.")
    with unit_of_work(ctx) as session:
        if required and _administrators(session.connection()) == 0:
            raise ValidationError(
                "Give an administrator a password first, or nobody could sign in."
            )
        setting = session.get(AppSetting, SIGN_IN_SETTING)
        before = bool(setting.value) if setting is not None else False
        if setting is None:
            setting = AppSetting(key=SIGN_IN_SETTING, value=required, updated_by=ctx.actor.name)
            session.add(setting)
        else:
            setting.value = required
            setting.updated_by, setting.updated_at = ctx.actor.name, utcnow()
        _record(
            session,
            ctx,
            "setting.change",
            "app_setting",
            None,
            f"Sign-in {'switched on' if required else 'switched off'}",
            {"sign_in_required": before},
            {"sign_in_required": required},
        )


# --- signing in ------------------------------------------------------------------------


def sign_in(db: Database, email: str, password: str, *, now: datetime | None = None) -> Actor:
    """The person with this e-mail and password, as an Actor; refused in words otherwise.

    After FREE_ATTEMPTS failures in a row each attempt must wait, twice as long each time,
    so guessing is slow; the wait is counted per person and kept in the database, so it
    holds across desktops and restarts.
    """
    from sqlmodel import select

    from db.models import Person

    now = now or utcnow()
    email = (email or "").strip().lower()
    if db.backend == "postgresql":
        return _sign_in_to_server(db, email, password)
    with _signing_in(db) as session:
        # Locked for the whole attempt: parallel guesses wait their turn and each sees the
        # failures counted before it, so none goes uncounted.
        person = session.exec(select(Person).where(Person.email == email).with_for_update()).first()
        if person is None or not person.password_hash:
            _hasher().hash("timing")  # as slow as a real check: no hint whether the e-mail exists
            raise PermissionDenied(WRONG)
        if not person.active:
            raise PermissionDenied(f"{person.name} can no longer sign in: ask an administrator.")
        if person.locked_until is not None and person.locked_until > now:
            wait = math.ceil((person.locked_until - now).total_seconds())
            raise PermissionDenied(f"Too many attempts that failed: try again in {_seconds(wait)}.")
        if not _verify(person.password_hash, password):
            person.failed_sign_ins += 1
            person.locked_until = now + _wait_after(person.failed_sign_ins)
            session.commit()
            raise PermissionDenied(WRONG)
        if _hasher().check_needs_rehash(person.password_hash):
            person.password_hash = _hasher().hash(password)
        person.failed_sign_ins, person.locked_until = 0, None
        session.commit()
        assert person.id is not None
        return Actor(name=person.name, role=person.role, person_id=person.id)


def _sign_in_to_server(db: Database, email: str, password: str) -> Actor:
    """On PostgreSQL, signing in is connecting as the person's own role: the server checks
    the password (and slows down guessing, see the README). Then the person's row says who
    they are; the connection stays theirs for everything they do."""
    from sqlalchemy.exc import DBAPIError
    from sqlmodel import select

    from db import schema
    from db.models import Person
    from db.pg_roles import role_name
    from recruit_app.errors import SchemaTooNew

    if not password or "\x00" in password or len(password) > MAX_PASSWORD:
        raise PermissionDenied(WRONG)
    role = role_name(str(db.target.url.database), email)
    try:
        db.reconnect(username=role, password=password)
    except DBAPIError as exc:
        said = str(exc.orig or "").lower()
        if "password authentication failed" in said or "does not exist" in said:
            raise PermissionDenied(WRONG) from None
        if "not permitted to log in" in said:
            raise PermissionDenied(
                "This account cannot sign in: it was deactivated, or has no password yet. "
                "Ask an administrator."
            ) from None
        if "permission denied for database" in said:
            raise PermissionDenied(
                f"{email} is not one of the people of this database: ask its administrator."
            ) from None
        raise DatabaseUnavailable(
            f"Recruit cannot reach the PostgreSQL database {db.target.display}: check the "
            "server is running and its address is right."
        ) from None
    try:
        if db.revision != schema.head_revision():
            if db.revision not in schema.known_revisions():
                raise SchemaTooNew(
                    f"The database {db.target.display} was written by a newer version of "
                    "Recruit. Update Recruit to use it."
                )
            raise DatabaseUnavailable(
                f"The database {db.target.display} needs an upgrade before this version of "
                "Recruit can use it: ask its owner to run `recruit-app db upgrade`."
            )
        with db.session(read_only=True) as session:
            person = session.exec(select(Person).where(Person.db_role == role)).first()
        if person is None or not person.active:
            raise PermissionDenied(
                f"{email} cannot sign in to this database: ask an administrator."
            )
        assert person.id is not None
        return Actor(name=person.name, role=person.role, person_id=person.id)
    except BaseException:
        db.forget_sign_in()
        raise


def sign_out(db: Database) -> None:
    """Drop the signed-in person's connection (PostgreSQL); nothing to do on SQLite."""
    db.forget_sign_in()


@contextmanager
def _signing_in(db: Database) -> Iterator[Session]:
    """A session for one sign-in attempt, database failures said in words."""
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.orm.exc import StaleDataError

    from recruit_app.services.uow import not_saved

    try:
        with db.session() as session:
            yield session
    except StaleDataError:
        raise PermissionDenied(
            "Another sign-in changed this account at the same moment: try again."
        ) from None
    except DBAPIError as exc:
        raise DatabaseUnavailable(not_saved(exc)) from None


def _verify(stored: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(_hasher().verify(stored, password))
    except (VerificationError, InvalidHashError):
        return False


def _wait_after(failures: int) -> timedelta:
    """No wait for the first few failures, then 5 s, 10 s, 20 s... up to 15 minutes."""
    if failures < FREE_ATTEMPTS:
        return timedelta(0)
    return min(FIRST_WAIT * 2 ** (failures - FREE_ATTEMPTS), LONGEST_WAIT)


def _seconds(count: int) -> str:
    if count < 120:
        return f"{count} second{'s' if count != 1 else ''}"
    return f"{(count + 59) // 60} minutes"


# --- set-up and passwords --------------------------------------------------------------


def create_first_administrator(db: Database, *, email: str, name: str, password: str) -> Actor:
    """Set-up: the first administrator of a database that has none yet."""
    from sqlmodel import select

    from db import pg_roles
    from db.models import Person, id_of
    from recruit_app.services.people import clean_person
    from recruit_app.services.uow import unit_of_work

    name, email, _role = clean_person(name, email, "administrator")
    hashed = hash_password(password)
    server = db.backend == "postgresql"  # the server keeps the password, as its verifier
    actor = Actor(name=name, role="administrator")
    ctx = ServiceContext(db=db, actor=actor)
    with unit_of_work(ctx) as session:
        if _administrators(session.connection()) > 0:
            raise PermissionDenied(
                "This database already has an administrator: sign in as them to add people."
            )
        person = session.exec(select(Person).where(Person.email == email)).first()
        if person is None:
            person = Person(name=name, email=email, role="administrator", updated_by=name)
            session.add(person)
        person.name, person.role, person.active = name, "administrator", True
        person.password_hash = None if server else hashed
        person.password_changed_at = utcnow()
        session.flush()
        if server:
            pg_roles.enrol(session, id_of(person), email, password)
        _record(
            session,
            ctx,
            "person.create_admin",
            "person",
            person.id,
            f"{name} set up as the first administrator",
            None,
            {"name": name, "email": email, "role": "administrator"},
        )
        assert person.id is not None
        return Actor(name=name, role="administrator", person_id=person.id)


def change_password(ctx: ServiceContext, old: str, new: str) -> None:
    """The person acting changes their own password, proving the old one."""
    from db.models import Person
    from recruit_app.services.uow import unit_of_work

    if ctx.actor.person_id is None:
        raise ValidationError("The desktop's owner has no password to change.")
    hashed = hash_password(new)
    if ctx.db.backend == "postgresql":
        _change_password_on_server(ctx, old, new)
        return
    with unit_of_work(ctx) as session:
        person = session.get(Person, ctx.actor.person_id)
        if person is None or not person.password_hash or not _verify(person.password_hash, old):
            raise ValidationError("The current password is not right.", "old_password")
        person.password_hash, person.password_changed_at = hashed, utcnow()
        person.failed_sign_ins, person.locked_until = 0, None
        _record(
            session,
            ctx,
            "person.password",
            "person",
            person.id,
            f"{person.name} changed their password",
            None,
            None,
        )


def _change_password_on_server(ctx: ServiceContext, old: str, new: str) -> None:
    """PostgreSQL: the server proves the old password (a connection made with it), then
    takes the new one as a verifier made here."""
    from sqlalchemy.exc import DBAPIError

    from db import pg_roles
    from db.database import Database
    from db.engine import make_engine
    from db.models import Person
    from recruit_app.services.uow import unit_of_work

    with unit_of_work(ctx, read_only=True) as session:
        person = session.get(Person, ctx.actor.person_id)
        if person is None or not person.db_role:
            raise ValidationError("You are not enrolled on this database's server.")
        email, role = person.email, person.db_role
    proof = Database(
        target=ctx.db.target,
        engine=make_engine(ctx.db.target),
        revision=None,
        awaiting_sign_in=True,
    )
    try:
        proof.reconnect(username=role, password=old)
    except DBAPIError:
        raise ValidationError("The current password is not right.", "old_password") from None
    finally:
        proof.dispose()
    with unit_of_work(ctx) as session:
        pg_roles.change_own_password(session, email, new)
        _record(
            session,
            ctx,
            "person.password",
            "person",
            ctx.actor.person_id,
            f"{ctx.actor.name} changed their password",
            None,
            None,
        )


def reset_password(ctx: ServiceContext, person_id: int, new: str) -> None:
    """An administrator sets someone's password (and lifts any wait after failures)."""
    from db import pg_roles
    from db.models import Person
    from recruit_app.services.uow import unit_of_work

    require(ctx.actor, "people.manage")
    hashed = hash_password(new)
    server = ctx.db.backend == "postgresql"  # the server keeps the password, as its verifier
    with unit_of_work(ctx) as session:
        person = session.get(Person, person_id)
        if person is None:
            raise ValidationError("That person is no longer listed.")
        person.password_hash = None if server else hashed
        person.password_changed_at = utcnow()
        person.failed_sign_ins, person.locked_until = 0, None
        person.updated_by, person.updated_at = ctx.actor.name, utcnow()
        if server:
            pg_roles.enrol(session, person_id, person.email, new)
        _record(
            session,
            ctx,
            "person.password_reset",
            "person",
            person.id,
            f"Password of {person.name} reset",
            None,
            None,
        )


def _record(
    session: Session,
    ctx: ServiceContext,
    action: str,
    entity: str,
    entity_id: int | None,
    summary: str,
    before: dict[str, object] | None,
    after: dict[str, object] | None,
) -> None:
    from db import audit

    # Passwords and their hashes never go into the audit trail.
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
