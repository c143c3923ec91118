"""Importing candidates: matching a table's columns to fields and checking every row."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from itertools import compress, starmap
from operator import itemgetter

from recruit_app.domain.candidate_numbers import matching_key
from recruit_app.errors import ValidationError

IGNORE = "ignore"
EXTRA = "extra"

FIELDS: dict[str, str] = {
    "first_name": "First name",
    "last_name": "Last name",
    "full_name": "Full name",
    "email": "E-mail",
    "phone": "Phone",
    "candidate_number": "Candidate number",
    "guaranteed_interview": "Guaranteed interview",
    "redeployment": "Redeployment",
    "adjustments": "Adjustments",
    "extra_minutes": "Extra minutes",
    "unavailable_dates": "Unavailable dates",
    IGNORE: "Ignore this column",
    EXTRA: "Keep as other information",
}
# Fields that may take any number of columns; the others take one column at most.
MANY_COLUMN_FIELDS = frozenset({IGNORE, EXTRA})

SYNONYMS: dict[str, tuple[str, ...]] = {
    "first_name": ("First name", "Forename", "Given name", "First names", "Forenames"),
    "last_name": ("Surname", "Last name", "Family name"),
    "full_name": ("Name", "Full name", "Candidate name", "Applicant name"),
    "email": ("Email", "E-mail", "E-mail address", "Email address"),
    "phone": ("Phone", "Telephone", "Mobile", "Phone number", "Telephone number"),
    "candidate_number": ("Candidate number", "Applicant ID", "Application number", "Ref"),
    "guaranteed_interview": (
        "Guaranteed interview",
        "GIS",
        "Disability Confident",
        "DCS",
        "Guaranteed interview scheme",
    ),
    "redeployment": ("Redeployment", "RIS", "Redeployment interview scheme"),
    "adjustments": ("Reasonable adjustments", "Adjustments", "Assistance required"),
    "extra_minutes": ("Extra time (minutes)", "Extra minutes", "Extra time"),
    "unavailable_dates": ("Unavailable dates", "Dates unavailable"),
}

LIMITS = {
    "first_name": 200,
    "last_name": 200,
    "full_name": 200,
    "email": 320,
    "phone": 60,
    "candidate_number": 20,
    "adjustments": 5_000,
}
EXTRA_LIMIT = 1_000
MAX_EXTRA_MINUTES = 240
SINGLE_LINE = frozenset({"first_name", "last_name", "full_name", "email", "phone"})
YES = frozenset({"yes", "y", "true", "1"})
NO = frozenset({"no", "n", "false", "0", ""})
# Lower-case words that begin a surname: "Aoife Ní Bhriain", "Ludwig van der Berg".
SURNAME_PARTICLES = frozenset(
    {"ní", "nic", "uí", "mhic", "ó", "o'", "o’", "mac", "mc"}  # Irish and Scottish
    | {"de", "del", "della", "da", "das", "dos", "di", "du", "des", "le", "la"}
    | {"van", "von", "der", "den", "ter", "ten"}
)
SHOWN_VALUE_MAX = 60  # longer values are shortened in messages, never in the data

_LETTERS = re.compile(r"[\W_]+")
_CONTROL = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # tab too; \n and \r allowed
_LINE_BREAK = re.compile(r"[\n\r\u2028\u2029\x85]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_CANDIDATE_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9/-]*")
_MINUTES = re.compile(r"[0-9]{1,3}")
_DATE_SPLIT = re.compile(r"[;,]")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_UK_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_SPACES = re.compile(r"\s+")


def _key(header: str) -> str:
    """A heading without case, spaces or punctuation: "E-mail address" -> "emailaddress"."""
    return _LETTERS.sub("", header.casefold())


_SYNONYM_FIELD = {_key(word): field for field, words in SYNONYMS.items() for word in words}
_FIELD_BY_NAME = {_key(name): name for name in FIELDS} | {
    _key(label): name for name, label in FIELDS.items()
}


@dataclass(frozen=True)
class RowProblem:
    """Why the row at `line` cannot be imported; `field` is a field name or an extra header."""

    line: int
    field: str
    message: str


@dataclass(frozen=True)
class CandidateRow:
    """A row fit to import, trimmed but otherwise exactly as typed."""

    line: int
    first_name: str
    last_name: str
    email: str
    phone: str
    candidate_number: str
    guaranteed_interview: bool
    redeployment: bool
    adjustments: str
    extra_minutes: int
    unavailable_dates: tuple[str, ...]
    extra: dict[str, str]


@dataclass(frozen=True)
class Preview:
    """What an import would do: the good rows, the bad rows' problems, the mapping used."""

    rows: tuple[CandidateRow, ...]
    problems: tuple[RowProblem, ...]
    mapping: dict[str, str]


# --- mapping ------------------------------------------------------------------------


def _monitoring_keys() -> frozenset[str]:
    """Headings of equality monitoring questions, as the candidates' export may carry them."""
    from recruit_app.domain.equality import DEFAULT_CHARACTERISTICS

    names = [n for ch in DEFAULT_CHARACTERISTICS for n in (ch.code, ch.label, ch.question)]
    return frozenset(_key(n) for n in (*names, *MONITORING_WORDS))


# Other ways exports head the equality monitoring questions.
MONITORING_WORDS = (
    "Gender", "Ethnicity", "Ethnic origin", "Ethnic background", "Age band", "Age group",
    "Religion", "Belief", "Sexuality", "Disabled", "Carer", "Caring", "Socio-economic",
    "Social background", "Transgender", "Trans",
)  # fmt: skip


def guess_mapping(headers: Iterable[str]) -> dict[str, str]:
    """Every header with the field it most likely holds; EXTRA for the unrecognised.

    Equality monitoring columns are IGNORE, never kept as the candidate's other
    information: they are kept apart (`fairness import` reads the same file)."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    monitoring = _monitoring_keys()
    for header in headers:
        if _key(header) in monitoring:
            mapping[header] = IGNORE
            continue
        field = _SYNONYM_FIELD.get(_key(header), EXTRA)
        if field in taken:
            field = EXTRA  # the first matching column wins
        taken.add(field)
        mapping[header] = field
    return mapping


def parse_overrides(items: Iterable[str]) -> dict[str, str]:
    """Command-line choices such as `Forename=first_name` as a header -> field dictionary."""
    overrides: dict[str, str] = {}
    for item in items:
        # split at the last "=": a heading may contain one, a field name never does
        header, sep, field = item.rpartition("=")
        if not sep or not header.strip():
            raise ValidationError(
                f"{item!r} should be a column heading, '=' and a field, such as "
                "'Forename=first_name'.",
                "map",
            )
        overrides[header.strip()] = field.strip()
    return overrides


def apply_overrides(mapping: Mapping[str, str], overrides: Mapping[str, str]) -> dict[str, str]:
    """`mapping` (from guess_mapping, so naming every header) with the user's choices applied.

    A field given to a new column leaves its old one, which becomes extra.
    """
    result = dict(mapping)
    chosen: dict[str, str] = {}
    for typed_header, typed_field in overrides.items():
        header = _find_header(result, typed_header)
        field = _find_field(typed_field, header)
        if field not in MANY_COLUMN_FIELDS and field in chosen:
            raise ValidationError(
                f"Both {chosen[field]!r} and {header!r} are mapped to {FIELDS[field]}; choose one.",
                header,
            )
        chosen[field] = header
        result[header] = field
    for header, field in result.items():
        owner = chosen.get(field)
        if field not in MANY_COLUMN_FIELDS and owner is not None and owner != header:
            result[header] = EXTRA
    return result


def _find_header(mapping: Mapping[str, str], typed: str) -> str:
    if typed in mapping:
        return typed
    matches = [header for header in mapping if _key(header) == _key(typed)]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(repr(header) for header in mapping)
    raise ValidationError(f"There is no column headed {typed!r}; the columns are {known}.", typed)


def _find_field(typed: str, header: str) -> str:
    field = _FIELD_BY_NAME.get(_key(typed))
    if field is None:
        names = ", ".join(FIELDS)
        raise ValidationError(
            f"The column {header!r} cannot be mapped to {typed!r}; the fields are {names}.",
            header,
        )
    return field


def check_mapping(mapping: Mapping[str, str]) -> None:
    """Refuse a mapping that names unknown fields, repeats one, or lacks names or e-mail."""
    owners: dict[str, str] = {}
    for header, field in mapping.items():
        if field not in FIELDS:
            raise ValidationError(f"The column {header!r} maps to unknown field {field!r}.", header)
        if field in owners and field not in MANY_COLUMN_FIELDS:
            raise ValidationError(
                f"Both {owners[field]!r} and {header!r} are mapped to {FIELDS[field]}; choose one.",
                header,
            )
        owners[field] = header
    if "email" not in owners:
        raise ValidationError("Choose the column that holds candidates' e-mail addresses.")
    if "full_name" not in owners and not {"first_name", "last_name"} <= owners.keys():
        raise ValidationError(
            "Choose the columns that hold candidates' first and last names, or their full name."
        )


# --- names --------------------------------------------------------------------------


def split_full_name(name: str) -> tuple[str, str] | None:
    """(first, last) from a full name, or None if it does not split.

    "Chen, Mei Lin" is surname first; otherwise the last word is the surname, with any
    particles before it ("Aoife Ní Bhriain"). The text itself is never changed.
    """
    name = name.strip()
    before, comma, after = name.partition(",")
    if comma and "," not in after:
        if before.strip() and after.strip():
            return after.strip(), before.strip()
        return None
    gaps = list(_SPACES.finditer(name))
    if not gaps:
        return None
    cut = len(gaps) - 1
    # walk back over particles, leaving at least one word for the first name
    while cut > 0 and name[gaps[cut - 1].end() : gaps[cut].start()].casefold() in SURNAME_PARTICLES:
        cut -= 1
    return name[: gaps[cut].start()], name[gaps[cut].end() :]


# --- rows ---------------------------------------------------------------------------


_FLAG_VALUES = dict.fromkeys(YES, True) | dict.fromkeys(NO, False)
_MINUTE_VALUES = {str(n): n for n in range(MAX_EXTRA_MINUTES + 1)} | {"": 0}
_has_value = itemgetter(1)  # of a (header, value) pair: blank values are falsy


def check_rows(
    table_headers: Sequence[str],
    rows: Iterable[tuple[int, Sequence[str]]],
    mapping: Mapping[str, str],
    *,
    existing_emails: AbstractSet[str] = frozenset(),
    existing_numbers: AbstractSet[str] = frozenset(),
) -> Preview:
    """The rows fit to import, and the problems (with line numbers) of those that are not."""
    headers = tuple(table_headers)
    full_mapping = {header: mapping.get(header, EXTRA) for header in headers}
    check_mapping(full_mapping)
    lines, table = _square(rows, len(headers))
    # Column by column: the per-cell work then runs in C (map, join, zip) and a clean
    # column costs one regex search, which keeps 10,000 rows well under 100 ms.
    raw = list(zip(*table, strict=True)) if table else [() for _ in headers]
    checker = _Checker(lines)
    column = {
        full_mapping[header]: raw[index]
        for index, header in enumerate(headers)
        if full_mapping[header] not in MANY_COLUMN_FIELDS
    }
    first, last = checker.names(column)
    email = checker.keyed(
        "email", checker.text("email", column.get("email")), existing_emails, str.lower
    )
    number = checker.keyed(
        "candidate_number",
        checker.text("candidate_number", column.get("candidate_number")),
        existing_numbers,
        matching_key,  # "41" repeats "0041": imports of scores and answers match them alike
    )
    values = (
        lines,
        first,
        last,
        email,
        checker.text("phone", column.get("phone")),
        number,
        checker.flags("guaranteed_interview", column.get("guaranteed_interview")),
        checker.flags("redeployment", column.get("redeployment")),
        checker.text("adjustments", column.get("adjustments")),
        checker.minutes(column.get("extra_minutes")),
        checker.dates(column.get("unavailable_dates")),
        checker.extra([(h, raw[i]) for i, h in enumerate(headers) if full_mapping[h] == EXTRA]),
    )
    # positional, in CandidateRow's field order; rows with problems are never built
    good = starmap(CandidateRow, compress(zip(*values, strict=True), checker.good_mask()))
    return Preview(tuple(good), checker.all_problems(), full_mapping)


def _square(
    rows: Iterable[tuple[int, Sequence[str]]], width: int
) -> tuple[list[int], list[Sequence[str]]]:
    """Line numbers, and rows cut or padded to the header's width."""
    lines: list[int] = []
    table: list[Sequence[str]] = []
    for line, cells in rows:
        lines.append(line)
        if len(cells) != width:
            cells = (*cells[:width], *([""] * (width - len(cells))))
        table.append(cells)
    return lines, table


class _Checker:
    """Checks whole columns, filing each problem under its row."""

    def __init__(self, lines: list[int]) -> None:
        self.lines = lines
        self.count = len(lines)
        self.problems: dict[int, list[RowProblem]] = {}

    def add(self, index: int, field: str, message: str) -> None:
        problem = RowProblem(self.lines[index], field, message)
        self.problems.setdefault(index, []).append(problem)

    def good_mask(self) -> list[bool]:
        mask = [True] * self.count
        for index in self.problems:
            mask[index] = False
        return mask

    def all_problems(self) -> tuple[RowProblem, ...]:
        return tuple(p for index in sorted(self.problems) for p in self.problems[index])

    def text(self, field: str, raw: Sequence[str] | None) -> list[str]:
        """The column trimmed, with its problems filed."""
        if raw is None:
            return [""] * self.count
        values = list(map(str.strip, raw))
        label, limit = FIELDS[field].lower(), LIMITS[field]
        self._check_text(field, values, label, limit, single_line=field in SINGLE_LINE)
        return values

    def _check_text(
        self, field: str, values: list[str], label: str, limit: int, *, single_line: bool
    ) -> None:
        """File values too long, with control characters, or (if single-line) line breaks."""
        if max(map(len, values), default=0) > limit:
            for index, value in enumerate(values):
                if len(value) > limit:
                    message = f"{label} is too long ({len(value):,} characters; the limit is "
                    self.add(index, field, message + f"{limit:,})")
        self._search(field, values, _CONTROL, "\n", f"{label} contains a control character")
        if single_line:
            self._search(field, values, _LINE_BREAK, " ", f"{label} contains a line break")

    def _search(
        self, field: str, values: list[str], pattern: re.Pattern[str], glue: str, message: str
    ) -> None:
        # one search over the whole column; only a hit needs the cell-by-cell look
        if pattern.search(glue.join(values)):
            for index, value in enumerate(values):
                if pattern.search(value):
                    self.add(index, field, message)

    def names(self, column: Mapping[str, Sequence[str]]) -> tuple[list[str], list[str]]:
        first = self.text("first_name", column.get("first_name"))
        last = self.text("last_name", column.get("last_name"))
        full = self.text("full_name", column.get("full_name"))
        first_field = "first_name" if "first_name" in column else "full_name"
        last_field = "last_name" if "last_name" in column else "full_name"
        incomplete = [i for i, pair in enumerate(zip(first, last, strict=True)) if not all(pair)]
        for index in incomplete:
            parts = split_full_name(full[index]) if full[index] else None
            if parts:
                first[index] = first[index] or parts[0]
                last[index] = last[index] or parts[1]
            if not first[index] or not last[index]:
                self.add(index, first_field if not first[index] else last_field, "missing name")
        return first, last

    def keyed(
        self,
        field: str,
        values: list[str],
        existing: AbstractSet[str],
        fold: Callable[[str], str],
    ) -> list[str]:
        """E-mails or candidate numbers: well formed, new to the campaign, once in the file."""
        pattern = _EMAIL if field == "email" else _CANDIDATE_NUMBER
        known = {fold(value.strip()) for value in existing}
        first_line: dict[str, int] = {}
        for index, value in enumerate(values):
            if not value:
                if field == "email":
                    self.add(index, field, "missing e-mail")
            elif not pattern.fullmatch(value):
                self.add(index, field, _malformed(field, value))
            elif (key := fold(value)) in known:
                self.add(index, field, "already in this campaign")
            elif key in first_line:
                self.add(index, field, f"duplicate of line {first_line[key]}")
            else:
                first_line[key] = self.lines[index]
        return values

    def flags(self, field: str, raw: Sequence[str] | None) -> list[bool | None]:
        if raw is None:
            return [False] * self.count
        values = list(map(str.strip, raw))
        answers = list(map(_FLAG_VALUES.get, map(str.lower, values)))
        if None in answers:
            for index in [i for i, answer in enumerate(answers) if answer is None]:
                self.add(index, field, f"'{_shown(values[index])}' is not yes or no")
        return answers  # None only in rows with a problem, which are never built

    def minutes(self, raw: Sequence[str] | None) -> list[int | None]:
        if raw is None:
            return [0] * self.count
        values = list(map(str.strip, raw))
        minutes: list[int | None] = list(map(_MINUTE_VALUES.get, values))
        for index in [i for i, number in enumerate(minutes) if number is None]:
            value = values[index]
            if _MINUTES.fullmatch(value) and int(value) <= MAX_EXTRA_MINUTES:
                minutes[index] = int(value)  # written with leading zeros, such as "015"
            else:
                message = f"'{_shown(value)}' is not a whole number of minutes from 0 to "
                message += str(MAX_EXTRA_MINUTES)
                self.add(index, "extra_minutes", message)
        return minutes  # None only in rows with a problem, which are never built

    def dates(self, raw: Sequence[str] | None) -> list[tuple[str, ...]]:
        if raw is None:
            return [()] * self.count
        values = list(map(str.strip, raw))
        # the same few dates recur down a file: parse each distinct cell once
        parsed = {value: parse_dates(value) for value in set(values)}
        for index, value in enumerate(values):
            for part in parsed[value][1]:
                message = f"'{_shown(part)}' is not a date (use 2026-12-08 or 08/12/2026)"
                self.add(index, "unavailable_dates", message)
        return [parsed[value][0] for value in values]

    def extra(self, columns: list[tuple[str, Sequence[str]]]) -> list[dict[str, str]]:
        """Each row's other columns, header -> value, leaving out blank cells."""
        if not columns:
            return [{} for _ in range(self.count)]
        headers = [header for header, _ in columns]
        values = [list(map(str.strip, raw)) for _, raw in columns]
        for header, column in zip(headers, values, strict=True):
            self._check_text(header, column, header, EXTRA_LIMIT, single_line=False)
        return [
            dict(filter(_has_value, zip(headers, row, strict=True)))
            for row in zip(*values, strict=True)
        ]


def _malformed(field: str, value: str) -> str:
    if field == "email":
        return f"malformed e-mail '{_shown(value)}'"
    return (
        f"candidate number '{_shown(value)}' may only contain letters, digits, - and /, "
        "and starts with a letter or digit"
    )


def parse_dates(value: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the ISO dates, sorted and unique; the parts that are not dates) of a list cell."""
    days: set[str] = set()
    bad: list[str] = []
    for part in _DATE_SPLIT.split(value):
        part = part.strip()
        if part:
            day = parse_date(part)
            if day is None:
                bad.append(part)
            else:
                days.add(day.isoformat())
    return tuple(sorted(days)), tuple(bad)


def parse_date(text: str) -> date | None:
    """A day written as 2026-12-08 or 08/12/2026 (day first, as in the UK); None if neither."""
    iso = _ISO_DATE.fullmatch(text)
    uk = None if iso else _UK_DATE.fullmatch(text)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if uk:
            return date(int(uk[3]), int(uk[2]), int(uk[1]))
    except ValueError:
        pass  # 31/02/2026 and the like
    return None


def _shown(value: str) -> str:
    """A value short enough to quote in a message; the data itself is never cut."""
    if len(value) <= SHOWN_VALUE_MAX:
        return value
    return value[: SHOWN_VALUE_MAX - 1] + "…"
