"""Reading an applications export: which column holds what, which candidate a row or a
document is, and what each answer's word limit is. Plain Python: no database, no Qt.

A column holds the candidate's number or e-mail address (to find them), their personal
statement, their CV as text, an answer against one of the advert's criteria (matched by
code or title), an eligibility answer, or nothing we keep (IGNORE: names and contact
details are the candidate record's, not the application's).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from recruit_app.domain.candidate_numbers import matching_key
from recruit_app.errors import ValidationError
from recruit_app.vocabulary import PartKind

NUMBER, EMAIL, STATEMENT, CV, ELIGIBILITY, IGNORE = (
    "number",
    "email",
    "statement",
    "cv",
    "eligibility",
    "ignore",
)
TARGETS = {
    NUMBER: "Candidate number",
    EMAIL: "E-mail address",
    STATEMENT: "Personal statement",
    CV: "CV (as text)",
    ELIGIBILITY: "Eligibility answer",
    IGNORE: "Not imported",
}
ONE_COLUMN = frozenset({NUMBER, EMAIL, STATEMENT, CV})
CRITERION_PREFIX = "criterion:"
ANSWER_LIMIT = 50_000  # characters in one answer; a longer cell is refused, not cut

SYNONYMS: dict[str, tuple[str, ...]] = {
    NUMBER: (
        "Candidate number",
        "Candidate no",
        "Applicant ID",
        "Applicant number",
        "Application number",
        "Application ID",
        "Candidate ID",
        "Ref",
    ),
    EMAIL: ("Email", "E-mail", "E-mail address", "Email address"),
    STATEMENT: (
        "Personal statement",
        "Statement",
        "Supporting statement",
        "Statement of suitability",
        "Reason for application",
        "Aspiration statement",
    ),
    CV: ("CV", "Curriculum vitae", "CV text", "Resume", "Résumé", "Employment history"),
}
# Words in a heading that make it an eligibility question.
ELIGIBILITY_WORDS = (
    "eligib",
    "nationality",
    "right to work",
    "security",
    "civil servant",
    "crown servant",
    "licence",
    "license",
    "qualification",
    "membership",
    "language",
)

_LETTERS = re.compile(r"[\W_]+")
_NAME_SPLIT = re.compile(r"[\s_.\-]+")
_EMAIL_IN_NAME = re.compile(r"[^\s@()\[\]]+@[^\s@()\[\]]+\.[a-z]{2,}", re.IGNORECASE)


def _key(text: str) -> str:
    return _LETTERS.sub("", text.casefold())


_SYNONYM = {_key(word): target for target, words in SYNONYMS.items() for word in words}


@dataclass(frozen=True)
class CriterionChoice:
    """One of the advert's criteria an answer can be against."""

    code: str
    title: str
    element: str


def criterion_target(code: str) -> str:
    return CRITERION_PREFIX + code


def target_label(target: str, criteria: Sequence[CriterionChoice]) -> str:
    if target.startswith(CRITERION_PREFIX):
        code = target.removeprefix(CRITERION_PREFIX)
        title = next((c.title for c in criteria if c.code == code), code)
        return f"Answer: {title} ({code})"
    return TARGETS.get(target, target)


def guess_mapping(headers: Iterable[str], criteria: Sequence[CriterionChoice]) -> dict[str, str]:
    """Every heading with what it most likely holds; the first column wins a one-column
    target, later ones are IGNORE."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        target = _guess(header, criteria)
        if target in taken and (target in ONE_COLUMN or target.startswith(CRITERION_PREFIX)):
            target = IGNORE
        taken.add(target)
        mapping[header] = target
    return mapping


def _guess(header: str, criteria: Sequence[CriterionChoice]) -> str:
    key = _key(header)
    if not key:
        return IGNORE
    if key in _SYNONYM:
        return _SYNONYM[key]
    for criterion in criteria:  # the code or the title as the heading, or inside it
        if key in (_key(criterion.code), _key(criterion.title)):
            return criterion_target(criterion.code)
    words = set(re.findall(r"\w+", header.casefold()))
    for criterion in sorted(criteria, key=lambda c: len(c.title), reverse=True):
        title = _key(criterion.title)
        if (title and title in key) or criterion.code.casefold() in words:
            return criterion_target(criterion.code)
    low = header.casefold()
    if any(word in low for word in ELIGIBILITY_WORDS):
        return ELIGIBILITY
    return IGNORE


def parse_overrides(items: Iterable[str]) -> dict[str, str]:
    """`HEADER=TARGET` choices as a dictionary (split at the last "=")."""
    overrides: dict[str, str] = {}
    for item in items:
        header, sep, target = item.rpartition("=")
        if not sep or not header.strip() or not target.strip():
            raise ValidationError(
                f"{item!r} should be a column heading, '=' and what it holds, such as "
                "'Example 1=DECIDE' or 'Supporting statement=statement'.",
                "map",
            )
        overrides[header.strip()] = target.strip()
    return overrides


def apply_overrides(
    mapping: Mapping[str, str],
    overrides: Mapping[str, str],
    criteria: Sequence[CriterionChoice],
) -> dict[str, str]:
    """The mapping with the user's choices: a target given to one column leaves any other."""
    result = dict(mapping)
    for typed_header, typed_target in overrides.items():
        header = _find_header(result, typed_header)
        target = resolve_target(typed_target, criteria, header)
        if target in ONE_COLUMN or target.startswith(CRITERION_PREFIX):
            for other, was in result.items():
                if was == target and other != header:
                    result[other] = IGNORE
        result[header] = target
    return result


def _find_header(mapping: Mapping[str, str], typed: str) -> str:
    if typed in mapping:
        return typed
    matches = [header for header in mapping if _key(header) == _key(typed)]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(repr(h) for h in mapping)
    raise ValidationError(f"There is no column headed {typed!r}; the columns are {known}.", typed)


def resolve_target(typed: str, criteria: Sequence[CriterionChoice], header: str = "") -> str:
    """What a typed target means: one of TARGETS, or a criterion by code or title."""
    key = _key(typed.removeprefix(CRITERION_PREFIX))
    for target, label in TARGETS.items():
        if key in (_key(target), _key(label)):
            return target
    for criterion in criteria:
        if key in (_key(criterion.code), _key(criterion.title)):
            return criterion_target(criterion.code)
    known = ", ".join([*TARGETS, *(c.code for c in criteria)])
    where = f"The column {header!r} cannot be" if header else "A column cannot be"
    raise ValidationError(f"{where} mapped to {typed!r}; choose one of {known}.", header or "map")


def check_mapping(mapping: Mapping[str, str], criteria: Sequence[CriterionChoice]) -> None:
    codes = {c.code for c in criteria}
    owners: dict[str, str] = {}
    for header, target in mapping.items():
        known = target in TARGETS or target.removeprefix(CRITERION_PREFIX) in codes
        if not known:
            raise ValidationError(f"The column {header!r} maps to unknown {target!r}.", header)
        one = target in ONE_COLUMN or target.startswith(CRITERION_PREFIX)
        if one and target in owners:
            raise ValidationError(
                f"Both {owners[target]!r} and {header!r} are mapped to "
                f"{target_label(target, criteria)}; choose one.",
                header,
            )
        owners[target] = header
    if NUMBER not in owners and EMAIL not in owners:
        raise ValidationError(
            "Choose the column that holds the candidate number or the e-mail address, "
            "to find whose application each row is."
        )
    if not set(owners) - {NUMBER, EMAIL, IGNORE}:
        raise ValidationError(
            "No column holds an answer, a statement, a CV or an eligibility answer: "
            "choose what each column holds."
        )


# --- whose is it ---------------------------------------------------------------------


# A candidate number as compared: case and leading zeros do not matter ("7" = "0007").
number_key = matching_key


def candidates_in_file_name(
    name: str, numbers: Mapping[str, int], emails: Mapping[str, int]
) -> set[int]:
    """The candidates a document's file name points to: an e-mail address in it, or else
    a candidate number as one of its words ("0007 CV.pdf", "cv_0007.docx", "HO-0007.pdf")."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    found = {emails[m.casefold()] for m in _EMAIL_IN_NAME.findall(name) if m.casefold() in emails}
    if found:
        return found
    for m in _EMAIL_IN_NAME.findall(stem + ".xx"):  # "jane@x.org.pdf": the stem is the address
        if m.removesuffix(".xx").casefold() in emails:
            found.add(emails[m.removesuffix(".xx").casefold()])
    if found:
        return found
    words = [w for w in _NAME_SPLIT.split(stem) if w]
    for size in (1, 2, 3):  # numbers may hold a hyphen: "HO-0007"
        for start in range(len(words) - size + 1):
            candidate = numbers.get(number_key("-".join(words[start : start + size])))
            if candidate is not None:
                found.add(candidate)
    return found


def document_kind(name: str) -> PartKind:
    low = name.casefold()
    if re.search(r"(?<![a-z])(cv|resume|résumé|curriculum)(?![a-z])", low):
        return PartKind.CV
    if "statement" in low:
        return PartKind.STATEMENT
    return PartKind.DOCUMENT


def word_limit(kind: str, statement_limit: int, answer_limit: int) -> int:
    """The advert's word limit for a part (0: none)."""
    if kind == PartKind.STATEMENT:
        return statement_limit
    if kind == PartKind.ANSWER:
        return answer_limit
    return 0
