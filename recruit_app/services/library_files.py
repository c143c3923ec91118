"""Importing and exporting library frameworks and role templates (JSON or CSV)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db import audit
from db import library as rows
from db.models import Framework, RoleTemplate
from exports.library_files import write_csv, write_json
from recruit_app.domain.formulas import restore
from recruit_app.domain.library_format import (
    FRAMEWORK_CSV_COLUMNS,
    FRAMEWORK_FORMAT,
    TEMPLATE_CSV_COLUMNS,
    TEMPLATE_FORMAT,
    framework_from_rows,
    framework_to_dict,
    framework_to_rows,
    parse_framework,
    parse_role_template,
    resolve_template,
    role_template_to_dict,
    template_from_rows,
    template_to_rows,
)
from recruit_app.errors import ValidationError
from recruit_app.services.context import ServiceContext
from recruit_app.services.library import find_entry, get_framework, get_template, library_frameworks
from recruit_app.services.permissions import require
from recruit_app.services.tabular import csv_table
from recruit_app.services.textfiles import parse_json, read_text
from recruit_app.services.uow import unit_of_work

FORMATS = ("json", "csv")
# The largest built-in framework is under 100 kB: a file fifty times that is not a template.
MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class ImportReport:
    kind: str
    code: str
    name: str
    created: bool
    criteria: int

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "code": self.code,
            "name": self.name,
            "created": self.created,
            "criteria": self.criteria,
        }


def export_entry(ctx: ServiceContext, code: str, path: Path, fmt: str | None = None) -> Path:
    """Write a framework or role template to `path` as JSON or CSV (from the suffix)."""
    fmt = (fmt or path.suffix.lstrip(".") or "json").lower()
    if fmt not in FORMATS:
        raise ValidationError(f"Export as json or csv, not {fmt!r}.", "format")
    if find_entry(ctx, code) == "framework":
        definition = get_framework(ctx, code).definition
        if fmt == "json":
            return write_json(framework_to_dict(definition), path)
        return write_csv(framework_to_rows(definition), FRAMEWORK_CSV_COLUMNS, path)
    template = get_template(ctx, code).definition
    if fmt == "json":
        return write_json(role_template_to_dict(template), path)
    return write_csv(template_to_rows(template), TEMPLATE_CSV_COLUMNS, path)


def import_file(ctx: ServiceContext, path: Path) -> ImportReport:
    """Add or replace a user framework or template from a file; all or nothing."""
    require(ctx.actor, "library.edit")
    text = read_text(path, limit=MAX_FILE_BYTES)
    kind, definition = parse_library_text(text, path.name)
    with unit_of_work(ctx) as session:
        clash = (
            rows.template_by_code(session, definition.code)
            if kind == "framework"
            else rows.framework_by_code(session, definition.code)
        )
        if clash is not None:
            raise ValidationError(
                f"The code {definition.code!r} is already used by a "
                f"{'role template' if kind == 'framework' else 'framework'} in the library."
            )
        existing: Framework | RoleTemplate | None
        row: Framework | RoleTemplate
        if kind == "framework":
            existing = rows.framework_by_code(session, definition.code)
            if existing is not None and existing.builtin:
                raise ValidationError(_builtin_message(definition.code))
            row = rows.upsert_framework(session, definition, builtin=False, who=ctx.actor.name)
            count = len(definition.criteria)
            name = definition.name
        else:
            existing = rows.template_by_code(session, definition.code)
            if existing is not None and existing.builtin:
                raise ValidationError(_builtin_message(definition.code))
            resolved = resolve_template(definition, library_frameworks(session))
            row = rows.upsert_template(session, resolved, builtin=False, who=ctx.actor.name)
            count = len(resolved.criteria)
            name = resolved.title
        session.flush()
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action=f"library.{kind}.import",
            entity=kind,
            entity_id=row.id,
            summary=f"Imported {definition.code} from {path.name}",
        )
        return ImportReport(kind, definition.code, name, existing is None, count)


def _builtin_message(code: str) -> str:
    return (
        f"{code} is a built-in library entry and cannot be replaced by an import. "
        "Change the code in the file to import it as your own."
    )


def parse_library_text(text: str, name: str) -> tuple[str, Any]:
    """A framework or role template from a file's text (JSON or CSV), checked but not saved;
    ("framework" | "template", definition). `name` is the file's, for messages."""
    stripped = text.lstrip()
    if stripped.startswith("{"):
        data = parse_json(text, name)
        fmt = data.get("format") if isinstance(data, dict) else None
        try:
            if fmt == TEMPLATE_FORMAT:
                return "template", parse_role_template(data)
            if fmt in (FRAMEWORK_FORMAT, None):
                return "framework", parse_framework(data)
        except ValidationError as exc:
            raise ValidationError(f"{name}: {exc.message}", exc.field) from None
        shown = repr(fmt) if len(repr(fmt)) <= 60 else repr(fmt)[:59] + "…"
        raise ValidationError(f"{name}: format {shown} is not a library format Recruit knows.")
    return _parse_csv(text, name)


def _parse_csv(text: str, name: str) -> tuple[str, Any]:
    if not text.strip():
        raise ValidationError(f"{name} does not look like a Recruit library file: it is empty.")
    table = csv_table(text, name)
    header = list(table.headers)
    # Cells the app wrote with an apostrophe, so no spreadsheet runs them, lose it again.
    records = [
        {key: restore(cell) for key, cell in zip(header, cells, strict=True)}
        for _line, cells in table.rows
    ]
    lines = [line for line, _cells in table.rows]
    try:
        if "record" in header:
            return "template", template_from_rows(records, lines)
        if "framework_code" in header:
            return "framework", framework_from_rows(records, lines)
    except ValidationError as exc:
        raise ValidationError(f"{name}: {exc.message}", exc.field) from None
    raise ValidationError(
        f"{name} does not look like a Recruit library file: its header has neither "
        "framework_code nor record."
    )
