"""Bare-library baselines for the two imports: candidates from a CSV file, and scores.

Each does what the app's use case does (recruit_app.services.candidates.import_candidates,
recruit_app.services.scoring.import_scores) with csv, re and a DBAPI connection (sqlite3
or psycopg) only: the same reads and checks, the same rows into the real tables (their
indexes, constraints, foreign keys and, on PostgreSQL, triggers), the audit row, one
transaction. Nothing of the app is imported.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.baselines.results import candidates_at_stage

# The app's rules, restated (recruit_app.domain.candidate_import).
_LIMITS = {"first_name": 200, "last_name": 200, "email": 320, "phone": 60}
_EXTRA_LIMIT = 1_000
_CONTROL = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile(r"[\n\r\u2028\u2029\x85]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_HEADING = re.compile(r"[\W_]+")
_FIELDS = {
    "firstname": "first_name",
    "forename": "first_name",
    "givenname": "first_name",
    "surname": "last_name",
    "lastname": "last_name",
    "familyname": "last_name",
    "email": "email",
    "emailaddress": "email",
    "phone": "phone",
    "telephone": "phone",
    "mobile": "phone",
}
_NUMBER_WIDTH = 4
# The built-in scoring scales' points (recruit_app.domain.stage_rules.SCALES).
_SCALES = {
    "sp7": tuple(range(1, 8)),
    "zero3": tuple(range(4)),
    "pass_fail": (0, 1),
    "strengths4": tuple(range(1, 5)),
}
_EVIDENCE_LIMIT = 10_000


def _sql(text: str, marker: str) -> str:
    return text if marker == "?" else text.replace("?", marker)


def _now(dialect: str) -> Any:
    """Now in UTC as the app stores it: naive, as text on SQLite."""
    now = datetime.now(UTC).replace(tzinfo=None)
    return now.strftime("%Y-%m-%d %H:%M:%S.%f") if dialect == "sqlite" else now


def _begin(cursor: Any, dialect: str) -> None:
    if dialect == "sqlite":
        cursor.execute("BEGIN IMMEDIATE")


def _for_update(dialect: str) -> str:
    return " FOR UPDATE" if dialect == "postgresql" else ""


def _audit(
    cursor: Any,
    marker: str,
    now: Any,
    actor: str,
    action: str,
    entity: str,
    entity_id: int,
    campaign: tuple[int, str],
    summary: str,
    after: dict[str, Any],
) -> None:
    cursor.execute(
        _sql(
            "INSERT INTO audit_event (occurred_at, actor_id, actor_name, action, entity, "
            "entity_id, campaign_id, campaign_reference, summary, before, after) "
            "VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
            marker,
        ),
        (now, actor, action, entity, entity_id, *campaign, summary, json.dumps(after)),
    )


# --- candidates ----------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    first = text[: text.find("\n")] if "\n" in text else text
    return max(",;\t", key=first.count)


def _next_numbers(existing: list[str], count: int) -> list[str]:
    numeric = [n for n in existing if n.isascii() and n.isdigit()]
    highest = max((int(n) for n in numeric), default=0)
    width = max((len(n) for n in numeric), default=_NUMBER_WIDTH)
    return [f"{highest + step:0{width}d}" for step in range(1, count + 1)]


def _text_problem(value: str, limit: int, single_line: bool) -> bool:
    return (
        len(value) > limit
        or _CONTROL.search(value) is not None
        or (single_line and _LINE_BREAK.search(value) is not None)
    )


def bare_candidate_import(
    connection: Any,
    dialect: str,
    path: Path,
    campaign_id: int,
    actor: str = "benchmark",
) -> tuple[int, list[tuple[int, str, str]]]:
    """Read the CSV file, check every row as the app does (names present, lengths, control
    characters and line breaks, e-mail well formed, new to the campaign and once in the
    file), number the good rows after the campaign's highest number, insert them into the
    candidate table with the audit row, in one transaction. (imported, problems)."""
    marker = "?" if dialect == "sqlite" else "%s"
    text = _decode(path.read_bytes())
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    headers: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    start = 1
    for record in reader:
        if "".join(record).strip():
            if headers is None:
                headers = [cell.strip() for cell in record]
            else:
                rows.append((start, record))
        start = reader.line_num + 1
    if not headers:
        raise ValueError(f"{path.name} has no header row")
    width = len(headers)
    fields = {_FIELDS.get(_HEADING.sub("", h.casefold()), ""): n for n, h in enumerate(headers)}
    extras = [
        (n, h) for n, h in enumerate(headers) if _FIELDS.get(_HEADING.sub("", h.casefold())) is None
    ]
    if "email" not in fields or not {"first_name", "last_name"} <= fields.keys():
        raise ValueError("the file needs first and last names and e-mail addresses")
    at = [fields["first_name"], fields["last_name"], fields["email"]]
    phone_at = fields.get("phone")

    cursor = connection.cursor()
    _begin(cursor, dialect)
    cursor.execute(
        _sql(f"SELECT id, reference FROM campaign WHERE id = ?{_for_update(dialect)}", marker),
        (campaign_id,),
    )
    campaign = cursor.fetchone()
    if campaign is None:
        raise LookupError(f"no campaign {campaign_id}")
    cursor.execute(
        _sql("SELECT email, candidate_number FROM candidate WHERE campaign_id = ?", marker),
        (campaign_id,),
    )
    found = cursor.fetchall()
    known = {e.lower() for e, _n in found if e}
    numbers = [n for _e, n in found]

    seen: dict[str, int] = {}
    good: list[tuple[str, str, str, str, str]] = []
    problems: list[tuple[int, str, str]] = []
    for line, record in rows:
        cells = [cell.strip() for cell in record[:width]]
        cells += [""] * (width - len(cells))
        first, last, email = cells[at[0]], cells[at[1]], cells[at[2]]
        phone = cells[phone_at] if phone_at is not None else ""
        wrong = [
            field
            for field, value in (
                ("first_name", first),
                ("last_name", last),
                ("email", email),
                ("phone", phone),
            )
            if _text_problem(value, _LIMITS[field], single_line=True)
        ]
        if not first or not last:
            wrong.append("missing name")
        key = email.lower()
        if not email:
            wrong.append("missing e-mail")
        elif not _EMAIL.fullmatch(email):
            wrong.append(f"malformed e-mail '{email}'")
        elif key in known:
            wrong.append("already in this campaign")
        elif key in seen:
            wrong.append(f"duplicate of line {seen[key]}")
        else:
            seen[key] = line
        extra = {h: cells[n] for n, h in extras if cells[n]}
        wrong += [h for h, v in extra.items() if _text_problem(v, _EXTRA_LIMIT, single_line=False)]
        if wrong:
            problems.append((line, wrong[0], "; ".join(wrong)))
            continue
        good.append((first, last, email, phone, json.dumps(extra)))

    now = _now(dialect)
    fresh = _next_numbers(numbers, len(good))
    cursor.executemany(
        _sql(
            "INSERT INTO candidate (campaign_id, candidate_number, first_name, last_name, email, "
            "phone, guaranteed_interview, redeployment, adjustments, extra_minutes, "
            "unavailable_dates, extra, status, created_at, updated_at, updated_by, version) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', 0, '[]', ?, 'applied', ?, ?, ?, 1)",
            marker,
        ),
        [
            (campaign_id, number, first, last, email, phone, False, False, extra, now, now, actor)
            for number, (first, last, email, phone, extra) in zip(fresh, good, strict=True)
        ],
    )
    _audit(
        cursor,
        marker,
        now,
        actor,
        "candidates.import",
        "campaign",
        campaign_id,
        campaign,
        f"Imported {len(good)} candidates from {path.name}; skipped {len(problems)} problems",
        {"imported": len(good), "source": path.name},
    )
    connection.commit()
    cursor.close()
    return len(good), problems


# --- scores --------------------------------------------------------------------------


def bare_score_import(
    connection: Any,
    dialect: str,
    stage_id: int,
    rows: list[tuple[int, dict[str, str]]],
    source: str,
    actor: str = "benchmark",
) -> tuple[int, int]:
    """Check every row as the app does (candidate number at the stage, criterion code of
    the stage, assessor e-mail on its panel, score on its scale, evidence not too long,
    no row twice), then insert the new scores into the score table and update those that
    replace one, with the audit row, in one transaction. (imported, replaced)."""
    marker = "?" if dialect == "sqlite" else "%s"
    cursor = connection.cursor()
    _begin(cursor, dialect)
    cursor.execute(
        _sql(f"SELECT id FROM stage WHERE id = ?{_for_update(dialect)}", marker), (stage_id,)
    )
    cursor.execute(
        _sql(
            "SELECT campaign_id, position, name, finalised_at, scale, custom_scale FROM stage "
            "WHERE id = ?",
            marker,
        ),
        (stage_id,),
    )
    campaign_id, position, name, finalised, scale, custom = cursor.fetchone()
    if finalised is not None:
        raise ValueError(f"The results of {name} are final, so its scores are locked.")
    if scale == "custom":
        points = json.loads(custom) if isinstance(custom, str) else custom
        values: tuple[int, ...] = tuple(p["value"] for p in points)
    else:
        values = _SCALES[scale]
    allowed = {str(v): v for v in values}
    cursor.execute(
        _sql(
            "SELECT a.code, sc.id FROM stage_criterion sc "
            "JOIN advert_criterion a ON a.id = sc.advert_criterion_id WHERE sc.stage_id = ?",
            marker,
        ),
        (stage_id,),
    )
    cells = {code.casefold(): cell for code, cell in cursor.fetchall()}
    cursor.execute(
        _sql(
            "SELECT p.email, p.id FROM panel_assignment pa JOIN person p ON p.id = pa.person_id "
            "WHERE pa.stage_id = ?",
            marker,
        ),
        (stage_id,),
    )
    people = {email.casefold(): person for email, person in cursor.fetchall()}
    candidates = {
        number: cid
        for cid, number in candidates_at_stage(
            cursor, marker, campaign_id, position, "c.id, c.candidate_number"
        )
    }

    clean: list[tuple[int, int, int, int, str]] = []
    problems: list[tuple[int, str]] = []
    seen: dict[tuple[str, str, str], int] = {}
    for line, row in rows:
        number = (row.get("candidate_number") or "").strip()
        code = (row.get("criterion") or "").strip().casefold()
        email = (row.get("assessor") or "").strip().casefold()
        text = (row.get("score") or "").strip()
        evidence = (row.get("evidence") or "").strip()
        value = allowed.get(text)
        if value is None and text.isascii() and text.isdigit() and len(text) <= 20:
            value = allowed.get(str(int(text)))
        key = (number, code, email)
        cell, cid, person = cells.get(code), candidates.get(number), people.get(email)
        if (
            cell is not None
            and cid is not None
            and person is not None
            and value is not None
            and len(evidence) <= _EVIDENCE_LIMIT
            and key not in seen
        ):
            seen[key] = line
            clean.append((cell, cid, person, value, evidence))
        else:
            problems.append((line, "wrong"))
    if problems:
        connection.rollback()
        raise ValueError(f"{source} was not imported: {len(problems)} rows are wrong")

    now = _now(dialect)
    used = sorted({cell for cell, *_ in clean})
    cursor.execute(
        _sql(
            "SELECT id, stage_criterion_id, candidate_id, assessor_id FROM score "
            f"WHERE stage_criterion_id IN ({', '.join('?' * len(used))})",
            marker,
        ),
        used,
    )
    existing = {(cell, cid, person): score for score, cell, cid, person in cursor.fetchall()}
    fresh, replaced = [], 0
    for cell, cid, person, value, evidence in clean:
        score = existing.get((cell, cid, person))
        if score is None:
            fresh.append((cell, cid, person, value, evidence, now, now, actor))
            continue
        cursor.execute(
            _sql(
                "UPDATE score SET value = ?, evidence = ?, status = 'submitted', "
                "submitted_at = ?, version = version + 1, updated_at = ?, updated_by = ? "
                "WHERE id = ?",
                marker,
            ),
            (value, evidence, now, now, actor, score),
        )
        replaced += 1
    cursor.executemany(
        _sql(
            "INSERT INTO score (stage_criterion_id, candidate_id, assessor_id, value, evidence, "
            "status, submitted_at, version, updated_at, updated_by) "
            "VALUES (?, ?, ?, ?, ?, 'submitted', ?, 1, ?, ?)",
            marker,
        ),
        fresh,
    )
    cursor.execute(_sql("SELECT id, reference FROM campaign WHERE id = ?", marker), (campaign_id,))
    campaign = cursor.fetchone()
    _audit(
        cursor,
        marker,
        now,
        actor,
        "scores.import",
        "stage",
        stage_id,
        campaign,
        f"Imported {len(clean)} scores from {source}",
        {"rows": len(clean), "replaced": replaced},
    )
    connection.commit()
    cursor.close()
    return len(clean), replaced
