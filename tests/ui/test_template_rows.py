"""The template editor's rows keep what they do not edit: plans, scripts and lead order."""

from __future__ import annotations

from recruit_app.services.library import ensure_builtin_library
from ui.library.snapshot import load_snapshot
from ui.library.template_rows import definition_of, rows_of


def test_saving_a_template_unchanged_keeps_its_plans_scripts_and_lead_order(ctx):
    ensure_builtin_library(ctx.db)
    snapshot = load_snapshot(ctx)
    template = snapshot.templates["HO-HRBP-G7"].definition
    assert any(stage.plan for stage in template.stages)  # the built-in example has plans
    criteria, stages = rows_of(template, snapshot)
    saved = definition_of(
        template,
        title=template.title,
        grade=template.grade,
        summary=template.summary,
        criteria=criteria,
        stages=stages,
    )
    assert saved.criteria == template.criteria
    assert saved.stages == template.stages


def test_a_criterion_no_longer_assessed_takes_its_questions_with_it(ctx):
    ensure_builtin_library(ctx.db)
    snapshot = load_snapshot(ctx)
    template = snapshot.templates["HO-HRBP-G7"].definition
    criteria, stages = rows_of(template, snapshot)
    stage = next(s for s in stages if s.plan)
    dropped = stage.plan[0][0]
    stage.assessed.remove(dropped)
    dropped.code = "RENAMED"  # renaming follows the row; but it is no longer assessed here
    saved = definition_of(
        template,
        title=template.title,
        grade=template.grade,
        summary=template.summary,
        criteria=criteria,
        stages=stages,
    )
    saved_stage = next(s for s in saved.stages if s.name == stage.name)
    assert "RENAMED" not in {cell.code for cell in saved_stage.plan}
    assert len(saved_stage.plan) == len(stage.plan) - 1
