"""Template library use cases on real databases: edit, duplicate, retire, import, export."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from db import library as rows
from db.models import AuditEvent, Criterion
from recruit_app.domain.library_format import (
    CriterionDef,
    LevelDef,
    framework_to_dict,
    parse_framework,
    parse_role_template,
    role_template_to_dict,
)
from recruit_app.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from recruit_app.services import library as lib
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.services.library_files import export_entry, import_file

FRAMEWORK = {
    "format": "recruit-framework/1",
    "code": "LOCAL-BEH",
    "name": "Local behaviours",
    "edition": "2026",
    "description": "Behaviours for Siân's team & partners",
    "criteria": [
        {
            "code": "TEAM",
            "name": "Working Together",
            "element": "BEH",
            "levels": [
                {"level": 1, "title": "Level 1", "positive_indicators": ["Shares", "Listens"]},
                {
                    "level": 2,
                    "title": "Level 2",
                    "positive_indicators": ["Builds links"],
                    "negative_indicators": ["Works alone"],
                },
            ],
        },
        {"code": "CLOUD", "name": "Cloud platforms", "element": "EXP", "levels": []},
    ],
}


@pytest.fixture
def local(ctx, tmp_path):
    path = tmp_path / "local.json"
    path.write_text(json.dumps(FRAMEWORK), encoding="utf-8")
    import_file(ctx, path)
    return lib.get_framework(ctx, "LOCAL-BEH")


def _builtin(ctx, code="BUILT"):
    """A read-only framework, as the shipped library makes them."""
    data = dict(FRAMEWORK, code=code, name="Shipped")
    with ctx.db.session() as session:
        rows.upsert_framework(session, parse_framework(data), builtin=True, who="Recruit")
        session.commit()


def test_import_then_export_json_and_csv_give_back_the_same(ctx, local, tmp_path):
    assert local.definition == parse_framework(FRAMEWORK)
    for fmt in ("json", "csv"):
        path = export_entry(ctx, "LOCAL-BEH", tmp_path / f"out.{fmt}")
        data = path.read_text(encoding="utf-8-sig")
        if fmt == "json":
            assert json.loads(data) == framework_to_dict(parse_framework(FRAMEWORK))
        copy = path.with_name(f"copy.{fmt}")
        copy.write_text(data.replace("LOCAL-BEH", "LOCAL-COPY"), encoding="utf-8")
        report = import_file(ctx, copy)
        assert (report.kind, report.code, report.created, report.criteria) == (
            "framework",
            "LOCAL-COPY",
            True,
            2,
        )
        again = lib.get_framework(ctx, "LOCAL-COPY").definition
        assert framework_to_dict(again) == {
            **framework_to_dict(local.definition),
            "code": "LOCAL-COPY",
        }
        lib.set_framework_retired(ctx, "LOCAL-COPY", retired=True, expected_version=None)
        with ctx.db.session() as session:  # free the code for the next format
            framework = rows.framework_by_code(session, "LOCAL-COPY")
            framework.code = f"OLD-{fmt}"
            session.commit()


def test_windows_1252_csv_imports(ctx, local, tmp_path):
    path = export_entry(ctx, "LOCAL-BEH", tmp_path / "out.csv")
    text = path.read_text(encoding="utf-8-sig").replace("LOCAL-BEH", "ANSI")
    (tmp_path / "ansi.csv").write_bytes(text.encode("cp1252"))
    import_file(ctx, tmp_path / "ansi.csv")
    assert lib.get_framework(ctx, "ANSI").definition.description.startswith("Behaviours for Siân")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON: Expecting property name"),
        (
            '{"format": "recruit-framework/1", "code": "X", "name": "X", "criteria": '
            '[{"code": "A", "name": "A", "element": "BEH", '
            '"levels": [{"level": 1}, {"level": 3}]}]}',
            "A has levels 1 to 3 but is missing level 2",
        ),
        ("framework_code,nothing\nX,Y\n", "The header is missing the column(s)"),
        ("a,b\n1,2\n", "does not look like a Recruit library file"),
        ("", "does not look like a Recruit library file"),
        ('{"format": "recruit-campaign/1"}', "is not a library format"),
    ],
)
def test_malformed_files_are_refused_whole(ctx, local, tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_text(content, encoding="utf-8")
    before = lib.list_library(ctx, include_retired=True)
    with pytest.raises(ValidationError) as caught:
        import_file(ctx, path)
    assert message in caught.value.message and caught.value.message.startswith("bad.txt")
    assert lib.list_library(ctx, include_retired=True) == before


def test_a_bad_row_deep_in_a_csv_names_its_line(ctx, local, tmp_path):
    path = export_entry(ctx, "LOCAL-BEH", tmp_path / "out.csv")
    text = path.read_text(encoding="utf-8-sig")
    # Line 1 is the header; TEAM level 1 spans lines 2-3 (two indicators in one cell),
    # level 2 is line 4 and CLOUD line 5.
    assert text.count("\n") == 5
    text = text.replace("LOCAL-BEH", "NEW").replace(",EXP,", ",XYZ,")
    bad = tmp_path / "bad.csv"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError, match=r"bad.csv: Line 5: criteria\[1\].element 'XYZ'"):
        import_file(ctx, bad)


def test_oversized_and_missing_files(ctx, tmp_path, monkeypatch):
    from recruit_app.services import library_files

    monkeypatch.setattr(library_files, "MAX_FILE_BYTES", 100)
    big = tmp_path / "big.json"
    big.write_text("x" * 101)
    with pytest.raises(ValidationError, match=r"big\.json is 0\.0 MB; the limit is 0 MB"):
        import_file(ctx, big)
    with pytest.raises(ValidationError, match="There is no file at"):
        import_file(ctx, tmp_path / "nowhere.json")


def test_builtin_entries_are_read_only_but_can_be_duplicated(ctx):
    _builtin(ctx)
    view = lib.get_framework(ctx, "BUILT")
    assert view.builtin
    with pytest.raises(ValidationError, match=r"built in and read-only\. Duplicate it"):
        lib.update_framework(
            ctx, "BUILT", name="Mine", description="", edition="", expected_version=view.version
        )
    with pytest.raises(ValidationError, match="built in and read-only"):
        lib.save_criterion(ctx, "BUILT", CriterionDef("NEW", "New", "EXP"))
    copy = lib.duplicate_framework(ctx, "BUILT", new_code="MINE", new_name="My behaviours")
    assert not copy.builtin and copy.definition.criteria == view.definition.criteria
    edited = lib.update_framework(
        ctx,
        "MINE",
        name="Mine, edited",
        description="d",
        edition="1",
        expected_version=copy.version,
    )
    assert edited.definition.name == "Mine, edited"


def test_criterion_rules_are_checked_before_saving(ctx, local):
    with pytest.raises(ValidationError, match="already has a criterion with the code 'TEAM'"):
        lib.save_criterion(ctx, "LOCAL-BEH", CriterionDef("team", "Again", "EXP"))
    gap = CriterionDef("NEW", "New", "BEH", levels=(LevelDef(1), LevelDef(3)))
    with pytest.raises(ValidationError, match="missing level 2"):
        lib.save_criterion(ctx, "LOCAL-BEH", gap)
    with pytest.raises(ValidationError, match="Give a name"):
        lib.save_criterion(ctx, "LOCAL-BEH", CriterionDef("NEW", "  ", "EXP"))
    with pytest.raises(ValidationError, match="has no levels"):
        lib.save_criterion(ctx, "LOCAL-BEH", CriterionDef("NEW", "New", "TEC"))
    saved = lib.save_criterion(
        ctx,
        "LOCAL-BEH",
        CriterionDef(
            "NEW", "New skill", "TEC", levels=(LevelDef(3, "Level 3"), LevelDef(4, "Level 4"))
        ),
    )
    assert saved.definition.criterion("NEW").level_range == (3, 4)


def test_editing_a_criterion_over_someone_elses_change_is_refused(database, local):
    alex = ServiceContext(database, Actor("Alex Manager"))
    sam = ServiceContext(database, Actor("Sam Chair"))
    team = next(c for c in local.criteria if c.definition.code == "TEAM")
    changed = CriterionDef("TEAM", "Working Together well", "BEH", levels=team.definition.levels)
    lib.save_criterion(
        sam, "LOCAL-BEH", changed, criterion_id=team.id, expected_version=team.version
    )
    with pytest.raises(ConflictError, match="changed by Sam Chair"):
        lib.save_criterion(
            alex, "LOCAL-BEH", changed, criterion_id=team.id, expected_version=team.version
        )


def test_retired_criteria_keep_their_rows(ctx, local):
    team = next(c for c in local.criteria if c.definition.code == "TEAM")
    after = lib.set_criterion_retired(ctx, team.id, retired=True, expected_version=team.version)
    assert [c.code for c in after.definition.criteria] == ["CLOUD"]
    assert [c.retired for c in after.criteria] == [True, False]
    with ctx.db.session() as session:
        assert session.get(Criterion, team.id) is not None


def test_templates_resolve_against_the_library(ctx, local):
    template = parse_role_template(
        {
            "code": "MY-DEV",
            "title": "Developer",
            "grade": "Executive Officer",
            "criteria": [
                {"code": "TEAM", "framework": "LOCAL-BEH", "criterion": "TEAM", "level": 2}
            ],
            "stages": [{"name": "Interview", "kind": "panel_interview", "criteria": ["TEAM"]}],
        }
    )
    saved = lib.save_template(ctx, template, create=True)
    assert saved.definition.criteria[0].title == "Working Together"
    assert lib.find_entry(ctx, "MY-DEV") == "template"
    with pytest.raises(ValidationError, match="already used in the library"):
        lib.save_template(ctx, template, create=True)
    wrong = parse_role_template(
        {
            **role_template_to_dict(template),
            "code": "MY-DEV-2",
            "criteria": [
                {"code": "TEAM", "framework": "LOCAL-BEH", "criterion": "TEAM", "level": 5}
            ],
            "stages": [],
        }
    )
    with pytest.raises(ValidationError, match="defined at levels 1 to 2, not 5"):
        lib.save_template(ctx, wrong, create=True)
    copy = lib.duplicate_template(ctx, "MY-DEV", new_code="MY-DEV-COPY")
    assert copy.definition.title == "Developer (copy)"


def test_questions_for_a_criterion(ctx, local):
    lib.save_question(
        ctx,
        "LOCAL-BEH",
        "TEAM",
        text="Tell me about a time you helped a team.",
        probes=["What did you do?", " "],
        level=2,
    )
    lib.save_question(ctx, "LOCAL-BEH", "TEAM", text="Any level question", probes=[])
    found = lib.list_questions(ctx, "LOCAL-BEH", "TEAM", level=2)
    assert [(q.text, q.probes, q.level) for q in found] == [
        ("Any level question", (), None),
        ("Tell me about a time you helped a team.", ("What did you do?",), 2),
    ]
    assert lib.list_questions(ctx, "LOCAL-BEH", "TEAM", level=1)[0].level is None
    with pytest.raises(ValidationError, match="has levels 1 to 2"):
        lib.save_question(ctx, "LOCAL-BEH", "TEAM", text="Q", probes=[], level=4)
    with pytest.raises(NotFound, match="no criterion 'NOPE'"):
        lib.save_question(ctx, "LOCAL-BEH", "NOPE", text="Q", probes=[])


def test_every_library_change_is_audited(ctx, local):
    lib.create_framework(ctx, code="NEW", name="New framework")
    with ctx.db.session() as session:
        actions = [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions == ["library.framework.import", "library.framework.create"]


def test_panel_members_may_not_edit_the_library(database):
    panel = ServiceContext(database, Actor("Pat Panel", role="panel_member"))
    with pytest.raises(PermissionDenied, match="may not change the template library"):
        lib.create_framework(panel, code="X", name="X")
    assert isinstance(lib.list_library(panel), list)


def test_built_in_library_loads_once_and_refreshes_when_the_files_change(database, monkeypatch):
    from recruit_app.library import builtin

    assert lib.ensure_builtin_library(database) is False  # open_db loaded it already
    ctx = ServiceContext(database, Actor("Alex Manager"))
    before = lib.list_library(ctx)
    monkeypatch.setattr(builtin, "fingerprint", lambda: "a newer release")
    assert lib.ensure_builtin_library(database) is True
    assert lib.ensure_builtin_library(database) is False
    assert lib.list_library(ctx) == [
        replace_version(e, after) for e, after in zip(before, lib.list_library(ctx), strict=True)
    ]
    assert len(lib.list_questions(ctx, "SP-BEH")) == 72


def replace_version(entry, after):
    """Refreshing rewrites rows (new versions) but adds or loses nothing."""
    from dataclasses import replace

    return replace(entry, version=after.version)


def test_a_template_with_two_leads_in_one_place_is_refused(ctx, local):
    from dataclasses import replace

    from recruit_app.domain.library_format import RoleTemplateDef, TemplateCriterionDef

    template = RoleTemplateDef(
        code="TWO-LEADS",
        title="Developer",
        criteria=(
            TemplateCriterionDef("A", "EXP", "First", lead=True, lead_rank=1),
            TemplateCriterionDef("B", "EXP", "Second", lead=True, lead_rank=1),
        ),
    )
    with pytest.raises(ValidationError, match="A and B are both lead criterion 1"):
        lib.save_template(ctx, template, create=True)
    # Several leads, each in its own place (or in none), are what a template may name.
    ordered = replace(
        template,
        criteria=(
            replace(template.criteria[0], lead_rank=2),
            template.criteria[1],
            TemplateCriterionDef("C", "EXP", "Third", lead=True),
        ),
    )
    saved = lib.save_template(ctx, ordered, create=True)
    assert [(c.code, c.lead_rank) for c in saved.definition.criteria] == [
        ("A", 2),
        ("B", 1),
        ("C", 0),
    ]
