"""Fuzzing every file Recruit imports: each is imported exactly, or refused with nothing written.

Each test starts from a file the app itself wrote (or, for candidates, a well-formed
sheet), and Hypothesis breaks it: values of the wrong type or out of range, keys removed
or added, rows dropped, doubled or cut short, hostile numbers and text. Whatever comes
out, the import must either succeed and read back exactly what the file says (as the
file format's own parser reads it), or fail with a RecruitError and leave every row of
every table as it was. Any other exception fails the test.

One database per test, not per example: a refused import must leave it unchanged, so
the next example starts from a known state (compared by a fingerprint of every row).
"""

from __future__ import annotations

import copy
import csv
import io
import itertools
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from recruit_app.domain.campaign_format import parse_campaign
from recruit_app.domain.campaigns import clean_title
from recruit_app.domain.library_format import resolve_template
from recruit_app.errors import RecruitError
from recruit_app.services import candidates as candidate_svc
from recruit_app.services import library as lib
from recruit_app.services.campaign_files import (
    create_from_template,
    export_campaign,
    import_campaign,
    library_criteria,
)
from recruit_app.services.campaigns import create_campaign
from recruit_app.services.library_files import export_entry, import_file, parse_library_text
from tests.helpers.fingerprint import fingerprint

pytestmark = pytest.mark.slow  # about ten seconds a test at 40 examples

FUZZ = settings(
    # Enough for CI; RECRUIT_APP_FUZZ_EXAMPLES=2000 searches harder on a quiet machine.
    max_examples=int(os.environ.get("RECRUIT_APP_FUZZ_EXAMPLES", "40")),
    deadline=None,
    database=None,  # no .hypothesis folder in the working tree
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # one database per test, on purpose
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# --- hostile values ---------------------------------------------------------------------

HOSTILE_TEXT = st.sampled_from(
    [
        "",
        " ",
        "four",
        "=cmd|' /C calc'!A0",
        "+44",
        "-1",
        "@SUM(1)",
        "'=1",
        "NaN",
        "Infinity",
        "1e999",
        "²",
        "٣",
        "1_0",
        "x" * 300,
        "y" * 25_000,
        "line\nbreak",
        '"quoted", with comma',
        "Siân Zoë 日本語",
        "a\x00b",
        "custom",
        "top_n",
        "sift",
        "EXP1",
        "2026-02-30",
        "2026-05-01",
        "2026-11-15T23:55:00+00:00",
        "0001-01-01T00:00:00+14:00",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-3, max_value=110),
    st.integers(),
    st.sampled_from([10**30, -(10**30), 2**63, 2**31]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0, max_value=100),
    st.text(max_size=20),
    HOSTILE_TEXT,
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=5,
)


def _places(doc: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a JSON document: the paths to each value below the top."""
    items = (
        doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else ()
    )
    for key, value in items:
        yield (*prefix, key)
        yield from _places(value, (*prefix, key))


def _at(doc: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        doc = doc[key]
    return doc


def _plausible(value: Any) -> st.SearchStrategy[Any]:
    """Values of the same type as the one there, so that some broken files still import."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        return st.integers(min_value=-2, max_value=105)
    if isinstance(value, float):
        return st.floats(min_value=-1, max_value=101, allow_nan=False)
    if isinstance(value, str):
        return st.text(max_size=12) | HOSTILE_TEXT
    return VALUES


@st.composite
def broken_json(draw: st.DrawFn, original: dict[str, Any]) -> str:
    """The document with a few things changed, written as JSON text (sometimes damaged)."""
    doc = copy.deepcopy(original)
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        places = list(_places(doc))
        if not places:
            break
        path = draw(st.sampled_from(places))
        parent, key = _at(doc, path[:-1]), path[-1]
        action = draw(st.sampled_from(["plausible", "plausible", "any", "delete", "extra", "copy"]))
        if action == "plausible":
            parent[key] = draw(_plausible(parent[key]))
        elif action == "any":
            parent[key] = draw(VALUES)
        elif action == "delete":
            del parent[key]
        elif action == "extra" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=8))] = draw(VALUES)
        elif action == "copy" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
    text = json.dumps(doc, ensure_ascii=draw(st.booleans()))
    damage = draw(st.sampled_from(["none"] * 6 + ["cut", "huge number", "deep", "nan"]))
    if damage == "cut":
        return text[: draw(st.integers(min_value=0, max_value=len(text)))]
    if damage == "huge number":
        return text.replace(": 4", ": " + "4" * 5000, 1)
    if damage == "deep":
        return text.replace(": true", ": " + "[" * 5000 + "]" * 5000, 1)
    if damage == "nan":
        return text.replace(": 1.0", ": NaN", 1)
    return text


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


@st.composite
def broken_csv(draw: st.DrawFn, original: str) -> str:
    """The CSV with cells, rows or columns changed, sometimes cut off part-way."""
    rows = _csv_rows(original)
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        action = draw(st.sampled_from(["cell", "cell", "cell", "drop", "copy", "extra", "column"]))
        row = draw(st.integers(min_value=0, max_value=len(rows) - 1))
        if action == "cell" and rows[row]:
            column = draw(st.integers(min_value=0, max_value=len(rows[row]) - 1))
            rows[row][column] = draw(st.text(max_size=12) | HOSTILE_TEXT)
        elif action == "drop" and len(rows) > 1:
            del rows[row]
        elif action == "copy":
            rows.insert(row, list(rows[row]))
        elif action == "extra":
            rows[row].append(draw(st.text(max_size=6) | HOSTILE_TEXT))
        elif action == "column" and rows[0]:
            column = draw(st.integers(min_value=0, max_value=len(rows[0]) - 1))
            rows = [r[:column] + r[column + 1 :] for r in rows]
    text = _csv_text(rows)
    damage = draw(st.sampled_from(["none"] * 6 + ["cut", "long cell", "open quote"]))
    if damage == "cut":
        return text[: draw(st.integers(min_value=0, max_value=len(text)))]
    if damage == "long cell":
        return text.replace(",,", ',"' + "z" * 140_000 + '",', 1)
    if damage == "open quote":
        return text + '"unfinished'
    return text


# --- the check every example makes ---------------------------------------------------


class Imports:
    """Runs one import per example and checks its outcome against the database."""

    def __init__(self, ctx: Any, folder: Path) -> None:
        self.ctx = ctx
        self.folder = folder
        self.count = itertools.count(1)

    def file(self, name: str, text: str) -> Path:
        path = self.folder / f"{next(self.count)}-{name}"
        path.write_bytes(text.encode("utf-8"))
        return path

    def attempt(self, action: Callable[[], Any]) -> Any | None:
        """The action's result, or None when it was refused (and wrote nothing)."""
        before = fingerprint(self.ctx.db)
        try:
            result = action()
        except RecruitError as exc:
            assert fingerprint(self.ctx.db) == before, "a refused import wrote something"
            event(f"refused: {type(exc).__name__}")  # --hypothesis-show-statistics
            return None
        event("imported")
        return result


@pytest.fixture
def imports(ctx: Any, tmp_path: Path) -> Imports:
    lib.list_library(ctx)  # the built-in library, loaded before the first fingerprint
    return Imports(ctx, tmp_path)


def _exported(ctx: Any, code: str, fmt: str, tmp_path: Path, new_code: str) -> str:
    path = export_entry(ctx, code, tmp_path / f"source.{fmt}")
    return path.read_bytes().decode("utf-8-sig").replace(code, new_code)


def _check_library_entry(imports: Imports, path: Path) -> None:
    report = imports.attempt(lambda: import_file(imports.ctx, path))
    if report is None:
        return
    kind, expected = parse_library_text(path.read_bytes().decode("utf-8-sig"), path.name)
    assert report.kind == kind
    if kind == "framework":
        assert lib.get_framework(imports.ctx, expected.code).definition == expected
        return
    frameworks = {
        c.framework: lib.get_framework(imports.ctx, c.framework).definition
        for c in expected.criteria
        if c.framework
    }
    stored = lib.get_template(imports.ctx, expected.code).definition
    assert stored == resolve_template(expected, frameworks)


# --- frameworks and role templates --------------------------------------------------


@pytest.fixture
def framework_json(ctx: Any, tmp_path: Path) -> dict[str, Any]:
    return json.loads(_exported(ctx, "SP-STR", "json", tmp_path, "FUZZ-FW"))


@pytest.fixture
def template_json(ctx: Any, tmp_path: Path) -> dict[str, Any]:
    return json.loads(_exported(ctx, "DDAT-DEV-SEO", "json", tmp_path, "FUZZ-TPL"))


@FUZZ
@given(data=st.data())
def test_framework_json(imports, framework_json, data):
    text = data.draw(broken_json(framework_json))
    _check_library_entry(imports, imports.file("framework.json", text))


@FUZZ
@given(data=st.data())
def test_role_template_json(imports, template_json, data):
    text = data.draw(broken_json(template_json))
    _check_library_entry(imports, imports.file("template.json", text))


@pytest.fixture
def framework_csv(ctx: Any, tmp_path: Path) -> str:
    return _exported(ctx, "SP-STR", "csv", tmp_path, "FUZZ-FW")


@pytest.fixture
def template_csv(ctx: Any, tmp_path: Path) -> str:
    return _exported(ctx, "DDAT-DEV-SEO", "csv", tmp_path, "FUZZ-TPL")


@FUZZ
@given(data=st.data())
def test_framework_csv(imports, framework_csv, data):
    text = data.draw(broken_csv(framework_csv))
    _check_library_entry(imports, imports.file("framework.csv", text))


@FUZZ
@given(data=st.data())
def test_role_template_csv(imports, template_csv, data):
    text = data.draw(broken_csv(template_csv))
    _check_library_entry(imports, imports.file("template.csv", text))


# --- campaign definitions -------------------------------------------------------------


@pytest.fixture
def campaign_json(ctx: Any, tmp_path: Path) -> dict[str, Any]:
    """The developer campaign, with a custom scale and dates so that every field has a value."""
    create_from_template(ctx, "DDAT-DEV-SEO", title="Developer", reference="DEV-1")
    data = json.loads(export_campaign(ctx, "DEV-1", tmp_path / "dev-1.json").read_text("utf-8"))
    data["stages"][1].update(
        scale="custom",
        custom_scale=[
            {"value": 0, "label": "None", "descriptor": ""},
            {"value": 2, "label": "Some", "descriptor": "Partly there"},
            {"value": 5, "label": "All", "descriptor": ""},
        ],
        progress_rule="top_n",
        progress_count=10,
        pass_mark_total=12.5,
        starts_on="2026-05-01",
        ends_on="2026-05-08",
    )
    data["advert"]["closes_at"] = "2026-11-15T23:55:00+00:00"
    data["timetable"].update(
        holiday_region="scotland",
        decisions_on="2026-06-12",
        expected_start_on="2026-09-07",
        events=[
            {"title": "Assessment centre", "starts_on": "2026-05-11", "ends_on": "2026-05-15"},
            {"title": "Open day", "starts_on": "2026-04-01", "ends_on": None, "note": "Room 4"},
        ],
    )
    return data


@FUZZ
@given(data=st.data())
def test_campaign_json(imports, campaign_json, data):
    text = data.draw(broken_json(campaign_json))
    path = imports.file("campaign.json", text)
    reference = f"FUZZ-{next(imports.count)}"
    summary = imports.attempt(lambda: import_campaign(imports.ctx, path, reference=reference))
    if summary is None:
        return
    with imports.ctx.db.session() as session:
        levels = {ref: span for ref, (_id, span) in library_criteria(session).items()}
    expected = parse_campaign(json.loads(text), levels)
    exported = export_campaign(imports.ctx, reference, imports.folder / f"{reference}.json")
    got = parse_campaign(json.loads(exported.read_text("utf-8")), levels)
    assert summary.title == clean_title(expected.title)
    # The export holds every advert field; the file may have left some to their defaults.
    got = replace(got, advert={name: got.advert[name] for name in expected.advert})
    assert replace(got, reference="", title="") == replace(expected, reference="", title="")


# --- candidates -------------------------------------------------------------------------

CANDIDATE_HEADERS = [
    "First name",
    "Last name",
    "E-mail",
    "Phone",
    "GIS",
    "Reasonable adjustments",
    "Extra time",
    "Unavailable dates",
    "Notes",
]


@st.composite
def candidate_sheet(draw: st.DrawFn) -> str:
    count = draw(st.integers(min_value=1, max_value=6))
    rows = [CANDIDATE_HEADERS]
    for n in range(count):
        rows.append(
            [
                draw(st.sampled_from(["Siân", "Zoë", "Chidi", "Niamh", "Łukasz"])),
                draw(st.sampled_from(["Evans", "O'Brien", "Okafor", "Nowak"])),
                f"person{n}-{draw(st.integers(0, 10**6))}@example.org",
                draw(st.sampled_from(["", "07700 900001", "+44 20 7946 0000"])),
                draw(st.sampled_from(["", "yes", "no"])),
                draw(st.sampled_from(["", "Large print, please", "Ramp\naccess"])),
                draw(st.sampled_from(["", "0", "15", "30"])),
                draw(st.sampled_from(["", "2026-05-01", "01/05/2026; 2026-05-08"])),
                draw(st.text(max_size=10)),
            ]
        )
    return draw(broken_csv(_csv_text(rows)))


@FUZZ
@given(text=candidate_sheet())
def test_candidate_csv(imports, text):
    ctx = imports.ctx
    campaign = create_campaign(ctx, title="Fuzz", reference=f"CAND-{next(imports.count)}")
    path = imports.file("people.csv", text)
    preview = imports.attempt(lambda: candidate_svc.preview_import(ctx, campaign.id, path))
    if preview is None:
        return
    report = imports.attempt(lambda: candidate_svc.import_candidates(ctx, campaign.id, path))
    assert report is not None, "the preview read the file but the import refused it"
    assert report.imported == preview.good and report.skipped == preview.problems
    listed = {c.candidate_number: c for c in candidate_svc.list_candidates(ctx, campaign.id)}
    assert len(listed) == preview.good
    for row, number in zip(preview.sample, report.numbers, strict=False):
        got = listed[number]
        assert (
            got.first_name,
            got.last_name,
            got.email,
            got.phone,
            got.guaranteed_interview,
            got.redeployment,
            got.adjustments,
            got.extra_minutes,
            got.unavailable_dates,
            dict(got.extra),
        ) == (
            row.first_name,
            row.last_name,
            row.email,
            row.phone,
            row.guaranteed_interview,
            row.redeployment,
            row.adjustments,
            row.extra_minutes,
            row.unavailable_dates,
            dict(row.extra),
        )
