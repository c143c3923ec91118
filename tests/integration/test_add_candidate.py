"""One candidate added by hand (a late or paper application), with an import's checks."""

from __future__ import annotations

import pytest
from sqlmodel import select

from db.models import AuditEvent
from recruit_app.errors import PermissionDenied, ValidationError
from recruit_app.services import candidates as svc
from recruit_app.services.campaigns import create_campaign
from recruit_app.services.context import Actor, ServiceContext

CSV = "First name,Last name,Email\r\nAnn,Ash,ann@example.org\r\nBo,Birch,bo@example.org\r\n"


@pytest.fixture
def campaign(ctx, tmp_path):
    made = create_campaign(ctx, title="Developer", reference="DEV-1")
    path = tmp_path / "people.csv"
    path.write_text(CSV, encoding="utf-8")
    svc.import_candidates(ctx, made.id, path)
    return made


def test_a_late_application_gets_the_next_number_and_every_detail(ctx, campaign):
    added = svc.add_candidate(
        ctx,
        campaign.id,
        {
            "first_name": " Siân ",
            "last_name": "Ní Bhriain",
            "email": "Sian@Example.org",
            "phone": "07700 900123",
            "guaranteed_interview": True,
            "redeployment": False,
            "adjustments": "Large print, please",
            "extra_minutes": 15,
            "unavailable_dates": ["2027-03-02", "2027-03-01"],
        },
    )
    assert (added.candidate_number, added.first_name, added.last_name) == (
        "0003",
        "Siân",
        "Ní Bhriain",
    )
    listed = {c.candidate_number: c for c in svc.list_candidates(ctx, campaign.id)}
    sian = listed["0003"]
    assert sian.email == "Sian@Example.org" and sian.phone == "07700 900123"
    assert sian.guaranteed_interview and not sian.redeployment
    assert (sian.adjustments, sian.extra_minutes) == ("Large print, please", 15)
    assert sian.unavailable_dates == ("2027-03-01", "2027-03-02")
    assert sian.status == "Applied"
    with ctx.db.session() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "candidate.add")).one()
    assert event.summary == "Added candidate 0003 by hand"


def test_a_number_typed_by_hand_is_kept(ctx, campaign):
    added = svc.add_candidate(
        ctx,
        campaign.id,
        {
            "first_name": "Cy",
            "last_name": "Cedar",
            "email": "cy@example.org",
            "candidate_number": "0042",
        },
    )
    assert added.candidate_number == "0042"


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"first_name": "Cy", "email": "cy@example.org"}, "last_name", "Missing name."),
        (
            {"first_name": "Cy", "last_name": "Cedar", "email": "not-an-email"},
            "email",
            "Malformed e-mail 'not-an-email'.",
        ),
        (
            {"first_name": "Cy", "last_name": "Cedar", "email": "ANN@example.org"},
            "email",
            None,
        ),
        (
            {
                "first_name": "Cy",
                "last_name": "Cedar",
                "email": "cy@example.org",
                "candidate_number": "0002",
            },
            "candidate_number",
            None,
        ),
        (
            {
                "first_name": "Cy",
                "last_name": "Cedar",
                "email": "cy@example.org",
                "extra_minutes": 999,
            },
            "extra_minutes",
            None,
        ),
        (
            {"first_name": "Cy", "last_name": "Cedar", "email": "cy@example.org", "salary": "1"},
            "salary",
            "'salary' is not a detail of a candidate.",
        ),
    ],
)
def test_a_candidate_by_hand_is_checked_as_an_import_line_is(ctx, campaign, values, field, message):
    with pytest.raises(ValidationError) as refused:
        svc.add_candidate(ctx, campaign.id, values)
    assert refused.value.field == field
    if message is not None:
        assert refused.value.message == message
    assert len(svc.list_candidates(ctx, campaign.id)) == 2  # nothing added


def test_a_panel_member_cannot_add_a_candidate(ctx, campaign):
    member = ServiceContext(ctx.db, Actor("panel", role="panel_member"))
    with pytest.raises(PermissionDenied):
        svc.add_candidate(member, campaign.id, {"first_name": "Cy", "last_name": "Cedar"})


@pytest.mark.usefixtures("sign_in_on_postgres")
def test_the_command_adds_one_candidate_and_refuses_a_bad_one(capsys, db_url, tmp_path):
    import json

    from recruit_app.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", db_url, *args])
        out, err = capsys.readouterr()
        return code, out, err

    assert run("campaign", "create", "--title", "Developer", "--reference", "DEV-1")[0] == 0
    code, out, _ = run(
        "candidates", "add", "DEV-1", "--first-name", "Siân", "--last-name", "Evans",
        "--email", "sian@example.org", "--guaranteed-interview", "--extra-minutes", "15",
        "--unavailable", "2027-03-01", "--json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out) == {
        "candidate_number": "0001",
        "status": "Applied",
        "outcomes": {},
        "first_name": "Siân",
        "last_name": "Evans",
        "email": "sian@example.org",
        "phone": "",
        "guaranteed_interview": True,
        "redeployment": False,
    }
    code, out, err = run(
        "candidates", "add", "DEV-1", "--first-name", "Zoë", "--last-name", "Clarke",
        "--email", "SIAN@example.org",
    )  # fmt: skip
    assert (code, out) == (1, "")
    assert "Already in this campaign." in err
    code, out, _ = run("candidates", "list", "DEV-1", "--json")
    assert [c["candidate_number"] for c in json.loads(out)] == ["0001"]
