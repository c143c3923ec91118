"""The organisation printed on documents, kept in the database so every desk prints the
same packs: set by an administrator, audited, refused to others."""

from __future__ import annotations

import base64
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import col, select

from db.models import AuditEvent, Stage
from recruit_app.errors import PermissionDenied, ValidationError
from recruit_app.services.branding import organisation_settings, set_organisation
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.services.demo import build_demo
from recruit_app.services.panel_pack import export_panel_pack

# The smallest PNG: one transparent pixel.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def test_a_desk_prints_what_the_database_holds_not_its_own_setting(ctx, tmp_path):
    desk = replace(ctx, organisation="Desk Name Ltd", marking="")
    assert organisation_settings(desk).name == "Desk Name Ltd"  # nothing stored yet
    logo = tmp_path / "crest.png"
    logo.write_bytes(PIXEL)
    stored = set_organisation(
        ctx, name=" Home  Office ", colour="#00703C", marking="OFFICIAL-SENSITIVE", logo=logo
    )
    assert (stored.name, stored.colour, stored.marking) == (
        "Home Office",
        "#00703c",
        "OFFICIAL-SENSITIVE",
    )
    assert (stored.logo_name, stored.logo_size, stored.in_database) == (
        "crest.png",
        len(PIXEL),
        True,
    )
    assert organisation_settings(desk) == stored  # every desk: the database's
    build_demo(desk, today=date(2026, 11, 25))
    with ctx.db.session() as session:
        sift = session.exec(select(Stage).where(Stage.name == "CV sift")).one()
    pack = export_panel_pack(desk, sift.id, tmp_path / "sift.pdf")
    first = PdfReader(pack).pages[1].extract_text()
    assert "Home Office" in first and "Desk Name Ltd" not in first
    assert "OFFICIAL-SENSITIVE" in first  # the database's marking, though the desk had none
    with ctx.db.session() as session:
        said = session.exec(
            select(AuditEvent.summary)
            .where(AuditEvent.action == "setting.change")
            .order_by(col(AuditEvent.id))
        ).all()
    assert said == [
        "Changed the organisation printed on documents: its name, its colour, the marking, the logo"
    ]
    kept = set_organisation(ctx, name="Home Office", colour="#00703c", marking="")
    assert (kept.logo_name, kept.marking) == ("crest.png", "")  # the logo stays
    cleared = set_organisation(ctx, name="Home Office", colour="", marking="", clear_logo=True)
    assert (cleared.logo_name, cleared.logo_size) == ("", 0)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"colour": "green"}, "brand_colour"),
        ({"marking": "X" * 61}, "marking"),
        ({"name": "N" * 201}, "name"),
    ],
)
def test_bad_values_are_refused_naming_the_field(ctx, values, field):
    given = {"name": "Home Office", "colour": "", "marking": "", **values}
    with pytest.raises(ValidationError) as refused:
        set_organisation(ctx, **given)
    assert refused.value.field == field


def test_a_file_that_is_not_a_picture_is_refused(ctx, tmp_path):
    fake = tmp_path / "logo.png"
    fake.write_bytes(b"%PDF-1.7 not a picture")
    with pytest.raises(ValidationError, match="not a picture Recruit can print"):
        set_organisation(ctx, name="Home Office", colour="", marking="", logo=fake)


def test_only_an_administrator_sets_it(ctx):
    for role in ("recruiting_manager", "panel_member"):
        other = ServiceContext(ctx.db, Actor("Someone", role=role))
        with pytest.raises(PermissionDenied):
            set_organisation(other, name="Elsewhere", colour="", marking="")
    assert organisation_settings(ServiceContext(ctx.db, Actor("P", role="panel_member"))).name == ""


@pytest.mark.usefixtures("sign_in_on_postgres")
def test_the_organisation_commands(capsys, db_url, tmp_path):
    import json

    from recruit_app.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", db_url, *args])
        out, err = capsys.readouterr()
        return code, out, err

    logo = tmp_path / "crest.png"
    logo.write_bytes(PIXEL)
    code, out, err = run(
        "organisation", "set", "--name", "Home Office", "--colour", "#00703c", "--logo", str(logo),
        "--json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out) == {
        "name": "Home Office",
        "colour": "#00703c",
        "marking": "OFFICIAL-SENSITIVE",  # this desk's setting, kept as it was
        "logo": "crest.png",
        "logo_bytes": len(PIXEL),
        "in_database": True,
    }
    assert run("organisation", "set", "--colour", "green")[0] == 1
    code, out, _ = run("organisation", "show", "--json")
    assert json.loads(out)["colour"] == "#00703c"  # the refused change changed nothing


def test_saving_over_a_change_made_since_is_refused_and_words_not_given_stay(ctx):
    from recruit_app.errors import ConflictError

    seen = set_organisation(ctx, name="Home Office", colour="#00703c", marking="")
    other = ServiceContext(ctx.db, Actor("Ada Admin"))
    set_organisation(other, colour="#8f23b3", expected=seen)  # only the colour: the rest stays
    now = organisation_settings(ctx)
    assert (now.name, now.colour, now.marking) == ("Home Office", "#8f23b3", "")
    with pytest.raises(ConflictError, match=r"changed by Ada Admin on .*after you opened them"):
        set_organisation(ctx, name="Home Office Digital", colour="#00703c", expected=seen)
    assert organisation_settings(ctx) == now  # nothing saved
    set_organisation(ctx, name="Home Office Digital", expected=now)
    assert organisation_settings(ctx).name == "Home Office Digital"


def test_a_logo_whose_name_ends_in_a_space_is_taken_as_named(ctx, tmp_path):
    spaced = tmp_path / "crest.png "  # a suffix of ".png " is not a picture's
    spaced.write_bytes(PIXEL)
    with pytest.raises(ValidationError, match="PNG or JPEG"):
        set_organisation(ctx, logo=spaced)
    leading = tmp_path / " crest.png"
    leading.write_bytes(PIXEL)
    assert set_organisation(ctx, logo=leading).logo_name == " crest.png"
    plain = tmp_path / "plain.png"
    plain.write_bytes(PIXEL)
    assert set_organisation(ctx, logo=Path(f"  {plain}  ")).logo_name == "plain.png"
