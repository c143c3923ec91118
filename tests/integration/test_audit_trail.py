"""The audit trail read back: filters, who may see which events, the CSV export."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime

import pytest

from db import audit
from recruit_app.errors import PermissionDenied, ValidationError
from recruit_app.services import audit_trail as trail
from recruit_app.services import people
from recruit_app.services.campaigns import create_campaign, rename_campaign, share_campaign
from recruit_app.services.context import Actor, ServiceContext


@pytest.fixture
def team(database):
    """An administrator (no sign-in needed here), two recruiting managers, a panel member."""
    admin = ServiceContext(database, Actor("Ada Admin", "administrator"))
    made = {}
    for name, email, role in (
        ("Mia Manager", "mia@example.org", "recruiting_manager"),
        ("Max Manager", "max@example.org", "recruiting_manager"),
        ("Pat Panel", "pat@example.org", "panel_member"),
    ):
        view = people.create_person(admin, name=name, email=email, role=role)
        made[name.split()[0].lower()] = ServiceContext(database, Actor(name, role, view.id))
    made["admin"] = admin
    return made


def _event(ctx, when: datetime, summary: str, *, campaign=None, actor=None, **values):
    """An event at a chosen moment (services stamp the present)."""
    actor = actor or ctx.actor
    with ctx.db.session() as session:
        event = audit.record(
            session,
            actor_name=actor.name,
            actor_id=actor.person_id,
            action="test.event",
            entity="test",
            entity_id=None,
            campaign_id=campaign.id if campaign else None,
            campaign_reference=campaign.reference if campaign else "",
            summary=summary,
            **values,
        )
        event.occurred_at = when
        session.commit()


def _whats(page) -> list[str]:
    return [row.what for row in page.rows]


def test_filters_by_campaign_person_and_uk_dates(team):
    admin, mia, max_ = team["admin"], team["mia"], team["max"]
    dev = create_campaign(mia, title="Developer", reference="DEV1")
    ops = create_campaign(max_, title="Operations", reference="OPS1")
    # 23:30 UTC on 31 March 2025 is 00:30 on 1 April in the UK (summer time).
    _event(mia, datetime(2025, 3, 31, 22, 30, tzinfo=UTC), "late March", campaign=dev)
    _event(mia, datetime(2025, 3, 31, 23, 30, tzinfo=UTC), "first of April", campaign=dev)
    _event(max_, datetime(2025, 4, 2, 9, 0, tzinfo=UTC), "ops in April", campaign=ops)
    _event(
        mia,
        datetime(2025, 4, 3, 12, 0, tzinfo=UTC),
        "renamed by hand",
        campaign=dev,
        before={"title": "Developer", "grade": "SEO"},
        after={"title": "Senior Developer", "grade": "SEO"},
    )

    april = trail.audit_events(admin, since=date(2025, 4, 1), until=date(2025, 4, 3))
    assert _whats(april) == ["renamed by hand", "ops in April", "first of April"]
    assert april.total == 3 and not april.has_more
    assert [(r.when, r.who, r.campaign) for r in april.rows] == [
        ("3 April 2025 13:00", "Mia Manager", "DEV1"),
        ("2 April 2025 10:00", "Max Manager", "OPS1"),
        ("1 April 2025 00:30", "Mia Manager", "DEV1"),
    ]
    assert april.rows[0].changes == ("title: Developer → Senior Developer",)
    assert _whats(trail.audit_events(admin, until=date(2025, 3, 31))) == ["late March"]

    by_campaign = trail.audit_events(admin, campaign_id=dev.id)
    assert _whats(by_campaign) == [
        "Created Developer",  # made today, so the newest
        "renamed by hand",
        "first of April",
        "late March",
    ]
    assert _whats(trail.audit_events(admin, person=max_.actor.person_id)) == [
        "Created Operations",
        "ops in April",
    ]
    by_name = trail.audit_events(admin, person="max manager", until=date(2025, 12, 31))
    assert _whats(by_name) == ["ops in April"]
    assert _whats(trail.audit_events(admin, person="MAX@example.org", campaign_id=dev.id)) == []

    with pytest.raises(ValidationError, match="‘from’ date is after the ‘to’ date") as error:
        trail.audit_events(admin, since=date(2025, 4, 2), until=date(2025, 4, 1))
    assert error.value.field == "until"


def test_pages_hold_still_while_new_events_arrive(team):
    admin, mia = team["admin"], team["mia"]
    campaign = create_campaign(mia, title="Paged", reference="PAGE1")
    for n in range(5):
        _event(mia, datetime(2024, 1, 1, 9, n, tzinfo=UTC), f"event {n}", campaign=campaign)
    first = trail.audit_events(admin, campaign_id=campaign.id, limit=2)
    assert _whats(first) == ["Created Paged", "event 4"]
    assert (first.total, first.has_more) == (6, True)
    rename_campaign(mia, campaign.id, title="Paged again", expected_version=None)
    second = trail.audit_events(
        admin, campaign_id=campaign.id, limit=2, offset=2, snapshot=first.snapshot
    )
    assert _whats(second) == ["event 3", "event 2"]
    assert second.total == 6
    fresh = trail.audit_events(admin, campaign_id=campaign.id, limit=2)
    assert (fresh.total, _whats(fresh)) == (7, ["Renamed to Paged again", "Created Paged"])


def test_a_manager_sees_only_their_campaigns_and_their_own_actions(team):
    admin, mia, max_, pat = team["admin"], team["mia"], team["max"], team["pat"]
    mine = create_campaign(mia, title="Mia's campaign", reference="MIA1")
    theirs = create_campaign(max_, title="Max's campaign", reference="MAX1")
    everyone = create_campaign(admin, title="Nobody's campaign", reference="ALL1")
    _event(max_, datetime(2025, 5, 1, 9, 0, tzinfo=UTC), "Max's secret", campaign=theirs)
    people.create_person(mia, name="Nia New", email="nia@example.org")  # Mia's own, no campaign

    seen = trail.audit_events(mia)
    whats = set(_whats(seen))
    assert whats == {"Created Mia's campaign", "Created Nobody's campaign", "Added Nia New"}
    assert seen.total == 3
    assert trail.audit_events(mia, campaign_id=theirs.id).total == 0
    assert trail.audit_events(mia, person=max_.actor.person_id).total == 0
    filters = trail.audit_filters(mia)
    assert [c.label for c in filters.campaigns] == ["ALL1 Nobody's campaign", "MIA1 Mia's campaign"]
    assert [p.label for p in filters.people] == ["Ada Admin", "Mia Manager (mia@example.org)"]

    share_campaign(max_, theirs.id, mia.actor.person_id, True)
    assert "Max's secret" in _whats(trail.audit_events(mia, campaign_id=theirs.id))

    assert trail.audit_events(admin).total == len(_whats(trail.audit_events(admin)))
    assert {c.reference for c in trail.audit_filters(admin).campaigns} == {"MIA1", "MAX1", "ALL1"}
    assert everyone.reference == "ALL1" and mine.reference == "MIA1"
    with pytest.raises(PermissionDenied, match="may not see the audit trail"):
        trail.audit_events(pat)
    with pytest.raises(PermissionDenied, match="may not see the audit trail"):
        trail.audit_filters(pat)


def test_csv_export_has_the_header_and_neutralises_formulas(team, tmp_path):
    admin = team["admin"]
    campaign = create_campaign(admin, title="Export", reference="EXP1")
    _event(
        admin,
        datetime(2025, 6, 30, 23, 15, tzinfo=UTC),
        '=HYPERLINK("http://evil")',
        campaign=campaign,
        before={"score": 3},
        after={"score": 5},
    )
    folder = tmp_path / "out"
    target = trail.export_audit_csv(admin, folder / "audit.csv", campaign_id=campaign.id)
    assert target == folder / "audit.csv"
    raw = target.read_bytes().decode("utf-8")
    assert raw.startswith("\ufeffWhen (UK time),Who,Action,What,Campaign,Changes,Before,After\r\n")
    rows = list(csv.reader(raw.lstrip("\ufeff").splitlines()))
    assert rows[0] == list(trail.CSV_HEADERS)
    assert rows[2] == [
        "2025-07-01 00:15:00",
        "Ada Admin",
        "test.event",
        '\'=HYPERLINK("http://evil")',
        "EXP1",
        "score: 3 → 5",
        '{"score": 3}',
        '{"score": 5}',
    ]
    assert rows[1][1:5] == ["Ada Admin", "campaign.create", "Created Export", "EXP1"]
    assert len(rows) == 3
    assert [p.name for p in folder.iterdir()] == ["audit.csv"]  # no temporary file left

    with pytest.raises(ValidationError, match=r"as a \.csv file, not \.xlsx"):
        trail.export_audit_csv(admin, folder / "audit.xlsx")
    with pytest.raises(PermissionDenied):
        trail.export_audit_csv(team["pat"], folder / "other.csv")
    assert [p.name for p in folder.iterdir()] == ["audit.csv"]


def test_changes_read_as_short_lines():
    assert trail.describe_changes(None, {"name": "Ada", "active": True}) == (
        "name: Ada",
        "active: yes",
    )
    assert trail.describe_changes(
        {"role": "panel_member", "name": "Pat", "notes": "x"},
        {"role": "recruiting_manager", "name": "Pat", "starts_on": "2025-01-02"},
    ) == (
        "role: panel_member → recruiting_manager",
        "notes: x → —",
        "starts on: — → 2025-01-02",
    )
    long = "word " * 40
    (line,) = trail.describe_changes({"text": ""}, {"text": long})
    assert line.endswith("…") and len(line) == len("text: — → ") + trail.VALUE_WIDTH


def test_no_use_case_edits_or_deletes_audit_rows():
    public = {name for name in dir(trail) if not name.startswith("_")}
    assert not {n for n in public if n.split("_")[0] in {"delete", "edit", "update", "remove"}}


def test_filters_by_kind_of_change(team, tmp_path):
    admin, mia = team["admin"], team["mia"]
    dev = create_campaign(mia, title="Developer", reference="DEV1")
    rename_campaign(mia, dev.id, title="Senior Developer", expected_version=None)

    def kinds(area: str) -> list[str]:
        return _whats(trail.audit_events(admin, area=area))

    assert kinds("campaigns") == ["Renamed to Senior Developer", "Created Developer"]
    assert kinds("people") == ["Added Pat Panel", "Added Max Manager", "Added Mia Manager"]
    assert kinds(" PEOPLE ") == kinds("people")
    assert kinds("scores") == []
    out = trail.export_audit_csv(admin, tmp_path / "people.csv", area="people")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        assert [row["What"] for row in csv.DictReader(handle)] == kinds("people")
    with pytest.raises(ValidationError, match="no kind of change 'marks'; the kinds: scores"):
        trail.audit_events(admin, area="marks")


def test_every_action_recorded_is_of_exactly_one_kind():
    import re
    from pathlib import Path

    import recruit_app
    from recruit_app.services.equality import CHARACTERISTICS_SETTING, THRESHOLD_SETTING
    from recruit_app.services.permissions import ALLOWED
    from recruit_app.vocabulary import AuditArea

    # Every dotted code written in the services ("outcome.set", ...): an action recorded,
    # literal or chosen from literals, unless it is a permission, a setting's key or a
    # column. Each action falls in one kind of change, so no filter hides it.
    source = Path(recruit_app.__file__).parent / "services"
    codes = {
        match.group(1)
        for path in source.glob("*.py")
        for match in re.finditer(r'f?"([a-z_]+\.[a-z_.{}]+)"', path.read_text())
    }
    files = {"desktop.ini", "thumbs.db", "preview.pdf"}  # names of files the services skip
    others = {*ALLOWED, CHARACTERISTICS_SETTING, THRESHOLD_SETTING, *files, "framework.code"}
    actions = {
        c for c in codes - others if not c.endswith((".json", "_id")) and "_" not in c.split(".")[0]
    }
    assert {"outcome.set", "score.agree", "setting.change", "library.{kind}.import"} <= actions
    assert set(trail.AREA_ACTIONS) == set(AuditArea)
    for action in sorted(actions):
        areas = [area for area, starts in trail.AREA_ACTIONS.items() if action.startswith(starts)]
        assert len(areas) == 1, f"{action}: {areas}"
