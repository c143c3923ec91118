"""Importing and exporting library frameworks and role templates (JSON or CSV)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db import audit
from db import library as rows
from exports.library_files import write_csv, write_json
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
from recruit_app.services.textfiles import read_text
from recruit_app.services.uow import unit_of_work

FORMATS = ("json", "csv")
MAX_FILE_BYTES = 20 * 1024 * 1024


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
    kind, definition = _parse(text, path.name)
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


def _parse(text: str, name: str) -> tuple[str, Any]:
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ValidationError(
                f"{name} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
            ) from None
        fmt = data.get("format") if isinstance(data, dict) else None
        try:
            if fmt == TEMPLATE_FORMAT:
                return "template", parse_role_template(data)
            if fmt in (FRAMEWORK_FORMAT, None):
                return "framework", parse_framework(data)
        except ValidationError as exc:
            raise ValidationError(f"{name}: {exc.message}", exc.field) from None
        raise ValidationError(f"{name}: format {fmt!r} is not a library format Recruit knows.")
    return _parse_csv(text, name)


def _parse_csv(text: str, name: str) -> tuple[str, Any]:
    records, lines, header = [], [], []
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = list(reader.fieldnames or [])
        start = reader.line_num + 1
        for record in reader:
            if any(isinstance(v, str) and v.strip() for v in record.values()):
                if None in record:
                    raise ValidationError(f"{name}, line {start}: more cells than the header has.")
                records.append(record)
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ValidationError(f"{name} is not a CSV file Recruit can read: {exc}.") from None
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
