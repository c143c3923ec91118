"""Library definitions as files: JSON for exchange, CSV for people who keep spreadsheets."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from exports.cells import csv_record
from exports.files import write_text_atomic


def write_json(data: Any, path: Path) -> Path:
    write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return path


def csv_text(rows: Sequence[dict[str, str]], columns: Sequence[str]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(csv_record(row) for row in rows)
    return buffer.getvalue()


def write_csv(rows: Sequence[dict[str, str]], columns: Sequence[str], path: Path) -> Path:
    # A byte-order mark makes Excel read accents (Siân, Zoë) correctly.
    write_text_atomic(path, "\ufeff" + csv_text(rows, columns))
    return path
