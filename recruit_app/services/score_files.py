"""Scores from a file: a Recruit scoring workbook for its stages, or a table of score rows."""

from __future__ import annotations

from pathlib import Path

from recruit_app.errors import ValidationError
from recruit_app.services.context import ServiceContext
from recruit_app.services.scoring import (
    SCORE_COLUMNS,
    ScoreImportReport,
    import_scores,
    import_workbook,
)
from recruit_app.services.tabular import read_table

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def import_scores_file(
    ctx: ServiceContext, campaign_id: int, stage_id: int, path: Path
) -> ScoreImportReport:
    """A scoring workbook fills the stages it was written for; any other CSV or XLSX is a
    table of score rows for `stage_id`. All or nothing either way."""
    from exports.workbooks import is_scoring_workbook

    if path.suffix.lower() in WORKBOOK_SUFFIXES and is_scoring_workbook(path):
        return import_workbook(ctx, campaign_id, path)
    table = read_table(path)
    headers = [h.strip().casefold() for h in table.headers]
    missing = [c for c in SCORE_COLUMNS[:4] if c not in headers]
    if missing:
        raise ValidationError(
            f"{path.name} needs the columns {', '.join(SCORE_COLUMNS)}; "
            f"missing: {', '.join(missing)}."
        )
    rows = [(line, dict(zip(headers, cells, strict=False))) for line, cells in table.rows]
    return import_scores(ctx, stage_id, rows, source=path.name)
