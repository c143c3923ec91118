"""Saving over someone else's newer change is refused, never silent."""

from __future__ import annotations

import pytest
from sqlmodel import select

from db.models import Campaign
from recruit_app.errors import ConflictError
from recruit_app.services import campaigns as svc
from recruit_app.services.context import Actor, ServiceContext


def test_second_editor_is_told_who_changed_it(database):
    alex = ServiceContext(database, Actor("Alex Manager"))
    sam = ServiceContext(database, Actor("Sam Chair"))
    created = svc.create_campaign(alex, title="Developer")
    # Both opened version 1; Sam saves first.
    svc.rename_campaign(sam, created.id, title="Senior Developer", expected_version=1)
    with pytest.raises(ConflictError) as caught:
        svc.rename_campaign(alex, created.id, title="Lead Developer", expected_version=1)
    assert caught.value.changed_by == "Sam Chair"
    assert "was changed by Sam Chair on" in caught.value.message
    assert "Reload" in caught.value.message
    assert svc.find_campaign(alex, created.reference).title == "Senior Developer"


def test_archive_and_delete_check_the_version_too(database):
    alex = ServiceContext(database, Actor("Alex Manager"))
    created = svc.create_campaign(alex, title="Developer")
    svc.rename_campaign(alex, created.id, title="Developer 2", expected_version=1)
    with pytest.raises(ConflictError):
        svc.set_archived(alex, created.id, archived=True, expected_version=1)
    with pytest.raises(ConflictError):
        svc.delete_campaign(alex, created.id, expected_version=1)
    assert svc.find_campaign(alex, created.reference).archived is False


def test_concurrent_sessions_cannot_both_write_the_same_version(database):
    """Two sessions read version 1 and both write: the database-level check refuses one.

    Each read ends its transaction, as a desktop's read does before the user types
    (on SQLite a write transaction holds the file's lock from its start: see db.engine)."""
    alex = ServiceContext(database, Actor("Alex Manager"))
    created = svc.create_campaign(alex, title="Developer")
    first, second = database.session(), database.session()
    try:
        a = first.exec(select(Campaign).where(Campaign.id == created.id)).one()
        first.commit()
        b = second.exec(select(Campaign).where(Campaign.id == created.id)).one()
        second.commit()
        a.title = "From first"
        first.commit()
        b.title = "From second"
        from sqlalchemy.orm.exc import StaleDataError

        with pytest.raises(StaleDataError):
            second.commit()
    finally:
        first.close()
        second.close()
    assert svc.find_campaign(alex, created.reference).title == "From first"
