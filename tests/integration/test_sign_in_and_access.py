"""Signing in, campaign ownership and sharing, and the People use cases, on real databases."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from sqlmodel import select

from db.models import AuditEvent, Person
from db.types import utcnow
from recruit_app.errors import PermissionDenied, ValidationError
from recruit_app.services import auth, people
from recruit_app.services.campaigns import (
    create_campaign,
    list_campaigns,
    rename_campaign,
    share_campaign,
)
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.services.database import open_db
from recruit_app.services.stages import SeatChoice, add_stage, set_panel, stages_overview

PASSWORD = "correct horse battery"


@pytest.fixture
def desks(database) -> Iterator[Callable[[str], ServiceContext]]:
    """Signing in at a desk of one's own: on PostgreSQL a connection as one's own role
    (a Database each, as separate desktops), on SQLite the one file."""
    opened = []

    def sign_in_at_a_desk(email: str) -> ServiceContext:
        db = database
        if database.backend == "postgresql":
            db = open_db(database.target.url.render_as_string(hide_password=False))
            opened.append(db)
        return ServiceContext(db, auth.sign_in(db, email, PASSWORD))

    yield sign_in_at_a_desk
    for db in opened:
        db.dispose()


@pytest.fixture
def admin(database, desks):
    auth.create_first_administrator(
        database, email="Ada@Example.org", name="Ada Admin", password=PASSWORD
    )
    return desks("ada@example.org")


@pytest.fixture
def sqlite_database(sqlite_url):
    """The app's own password checks and failure counts are for SQLite desks; on
    PostgreSQL the server checks passwords (tests/integration/test_pg_security.py)."""
    db = open_db(sqlite_url)
    yield db
    db.dispose()


def _person(admin, name: str, email: str, role: str, desks) -> ServiceContext:
    view = people.create_person(admin, name=name, email=email, role=role)
    auth.reset_password(admin, view.id, PASSWORD)
    return desks(email)


def test_signing_in_with_the_right_password_only(sqlite_database):
    database = sqlite_database
    auth.create_first_administrator(
        database, email="Ada@Example.org", name="Ada Admin", password=PASSWORD
    )
    actor = auth.sign_in(database, " ADA@example.org ", PASSWORD)
    assert (actor.name, actor.role, actor.person_id) == ("Ada Admin", "administrator", 1)
    with pytest.raises(PermissionDenied, match="The e-mail address or password is not right"):
        auth.sign_in(database, "ada@example.org", "wrong password")
    with pytest.raises(PermissionDenied, match="The e-mail address or password is not right"):
        auth.sign_in(database, "nobody@example.org", PASSWORD)  # no hint which was wrong
    with database.session() as session:
        stored = session.exec(select(Person.password_hash)).one()
    assert stored.startswith("$argon2") and PASSWORD not in stored


def test_repeated_failures_slow_further_attempts(sqlite_database):
    database = sqlite_database
    auth.create_first_administrator(
        database, email="Ada@Example.org", name="Ada Admin", password=PASSWORD
    )
    now = utcnow()
    for _ in range(auth.FREE_ATTEMPTS - 1):
        with pytest.raises(PermissionDenied, match="not right"):
            auth.sign_in(database, "ada@example.org", "guess", now=now)
    with pytest.raises(PermissionDenied, match="not right"):
        auth.sign_in(database, "ada@example.org", "guess", now=now)  # the third: wait 5 s
    with pytest.raises(PermissionDenied, match="try again in 5 seconds"):
        auth.sign_in(database, "ada@example.org", PASSWORD, now=now)  # even the right one
    later = now + timedelta(seconds=6)
    with pytest.raises(PermissionDenied, match="not right"):
        auth.sign_in(database, "ada@example.org", "guess", now=later)  # the fourth: 10 s
    with pytest.raises(PermissionDenied, match="try again in 10 seconds"):
        auth.sign_in(database, "ada@example.org", PASSWORD, now=later)
    assert auth.sign_in(database, "ada@example.org", PASSWORD, now=later + timedelta(seconds=11))
    with database.session() as session:  # a success starts the count again
        assert session.exec(select(Person.failed_sign_ins)).one() == 0


def test_set_up_makes_one_first_administrator(database, admin):
    with pytest.raises(PermissionDenied, match="already has an administrator"):
        auth.create_first_administrator(
            database, email="eve@example.org", name="Eve", password=PASSWORD
        )
    with pytest.raises(ValidationError, match="at least 10 characters"):
        auth.reset_password(admin, admin.actor.person_id, "short")
    auth.reset_password(admin, admin.actor.person_id, "another long password")
    with database.session() as session:
        actions = session.exec(select(AuditEvent.action)).all()
        assert "person.create_admin" in actions and "person.password_reset" in actions
        assert not any(PASSWORD in str(e.after) for e in session.exec(select(AuditEvent)))


def test_deactivated_people_cannot_sign_in_and_the_last_administrator_stays(database, admin, desks):
    pat = _person(admin, "Pat Panel", "pat@example.org", "panel_member", desks)
    row = next(p for p in people.list_people(admin) if p.name == "Pat Panel")
    people.set_active(admin, row.id, False, expected_version=row.version)
    # On PostgreSQL her role may no longer log in (the server says so, past the password).
    with pytest.raises(PermissionDenied, match=r"Pat Panel can no longer|was deactivated"):
        desks("pat@example.org")
    ada = next(p for p in people.list_people(admin) if p.name == "Ada Admin")
    with pytest.raises(ValidationError, match="cannot deactivate yourself"):
        people.set_active(admin, ada.id, False, expected_version=ada.version)
    with pytest.raises(ValidationError, match="only active administrator"):
        people.update_person(
            admin,
            ada.id,
            name="Ada Admin",
            email="ada@example.org",
            role="recruiting_manager",
            expected_version=ada.version,
        )
    assert pat.actor.role == "panel_member"


def test_sign_in_on_sqlite_is_switched_on_by_an_administrator(sqlite_url):
    from recruit_app.services.database import open_db

    database = open_db(sqlite_url)
    try:
        assert not auth.sign_in_required(database)
        owner = ServiceContext(database, Actor.local_owner())
        with pytest.raises(ValidationError, match="Give an administrator a password first"):
            auth.set_sign_in_required(owner, True)
        auth.create_first_administrator(
            database, email="ada@example.org", name="Ada Admin", password=PASSWORD
        )
        auth.set_sign_in_required(owner, True)
        assert auth.sign_in_required(database)
    finally:
        database.dispose()


@pytest.mark.postgres
def test_postgresql_always_asks_people_to_sign_in(pg_url):
    from recruit_app.services.database import open_db

    database = open_db(pg_url)
    try:
        assert auth.sign_in_required(database)
        with pytest.raises(ValidationError, match="everyone always signs in"):
            auth.set_sign_in_required(ServiceContext(database, Actor("Ada")), False)
    finally:
        database.dispose()


def test_managers_see_their_own_campaigns_and_those_shared_with_them(admin, desks):
    rita = _person(admin, "Rita Manager", "rita@example.org", "recruiting_manager", desks)
    omar = _person(admin, "Omar Manager", "omar@example.org", "recruiting_manager", desks)
    mine = create_campaign(rita, title="Rita's developers", reference="R-1")
    everyone = create_campaign(admin, title="Shared by nobody", reference="A-1")
    assert [c.reference for c in list_campaigns(rita)] == ["A-1", "R-1"]
    assert [c.reference for c in list_campaigns(omar)] == ["A-1"]
    # On PostgreSQL the server hides the campaign from him: refused without naming it.
    with pytest.raises(PermissionDenied, match=r"may not work on (the campaign R-1|that campaign)"):
        rename_campaign(omar, mine.id, title="Mine now", expected_version=mine.version)
    with pytest.raises(PermissionDenied, match=r"may not work on (the campaign R-1|that campaign)"):
        stages_overview(omar, mine.id)
    share_campaign(rita, mine.id, omar.actor.person_id, True)
    renamed = rename_campaign(omar, mine.id, title="Ours", expected_version=mine.version)
    assert renamed.title == "Ours"
    share_campaign(rita, mine.id, omar.actor.person_id, False)
    assert [c.reference for c in list_campaigns(omar)] == ["A-1"]
    assert everyone.reference == "A-1"


def test_panel_members_reach_only_the_stages_they_sit_on(admin, desks):
    rita = _person(admin, "Rita Manager", "rita@example.org", "recruiting_manager", desks)
    pat = _person(admin, "Pat Panel", "pat@example.org", "panel_member", desks)
    campaign = create_campaign(rita, title="Developers", reference="R-1")
    other = create_campaign(rita, title="Testers", reference="R-2")
    sift = add_stage(rita, campaign.id, name="CV sift", kind="sift")
    add_stage(rita, campaign.id, name="Interview", kind="panel_interview")
    set_panel(rita, sift.id, [SeatChoice(pat.actor.person_id)], expected_version=sift.version)
    assert [c.reference for c in list_campaigns(pat)] == ["R-1"]
    assert [s.name for s in stages_overview(pat, campaign.id).stages] == ["CV sift"]
    with pytest.raises(PermissionDenied, match="may only see the stages they sit on"):
        stages_overview(pat, other.id)
    with pytest.raises(PermissionDenied, match="may not create or change campaigns"):
        rename_campaign(pat, campaign.id, title="Mine", expected_version=campaign.version)


def test_managers_add_panel_members_but_only_administrators_change_roles(admin, desks):
    rita = _person(admin, "Rita Manager", "rita@example.org", "recruiting_manager", desks)
    people.create_person(rita, name="Pat Panel", email="pat@example.org", role="panel_member")
    with pytest.raises(PermissionDenied, match="may not add or change people"):
        people.create_person(rita, name="Eve", email="eve@example.org", role="administrator")
    pat = next(p for p in people.list_people(rita) if p.name == "Pat Panel")
    with pytest.raises(PermissionDenied, match="may not add or change people"):
        people.update_person(
            rita,
            pat.id,
            name="Pat Panel",
            email="pat@example.org",
            role="recruiting_manager",
            expected_version=pat.version,
        )
    people.update_person(
        admin,
        pat.id,
        name="Pat Panel",
        email="pat@example.org",
        role="recruiting_manager",
        expected_version=pat.version,
    )
    with admin.db.session() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "person.update")).one()
        assert (event.before["role"], event.after["role"]) == ("panel_member", "recruiting_manager")
