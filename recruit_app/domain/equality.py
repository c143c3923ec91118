"""Equality monitoring: the characteristics asked about, their categories, and the
configurable list an organisation may change.

The defaults follow the ONS harmonised standards (2021 Census wording for England and
Wales: sex, gender identity, the 5 high-level ethnic groups, sexual orientation,
religion) and the Civil Service diversity questions (socio-economic background by the
main household earner's occupation at about 14). Age is asked as a band. Two are our
own short forms, to change here or in an organisation's list: disability joins the
two ONS questions (a condition lasting 12 months or more; one that reduces day-to-day
activities) into one, and caring responsibilities joins the ONS unpaid-care question
(asked there with hours a week) with caring for a child.

Every characteristic offers "Prefer not to say"; a candidate who gave no answer is
reported in a group of its own, `NOT_ANSWERED`, which is never a category anyone
chooses. Plain data, ready to move into recruit_app/vocabulary.py.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from recruit_app.errors import ValidationError

PREFER_NOT_TO_SAY = "prefer_not_to_say"
PREFER_NOT_TO_SAY_LABEL = "Prefer not to say"
# Added by reports, never offered as an answer, so a configuration may not use them.
NOT_ANSWERED = "not_answered"
NOT_ANSWERED_LABEL = "Not answered"
TOTAL = "total"
TOTAL_LABEL = "All candidates"
RESERVED_CODES = frozenset({NOT_ANSWERED, TOTAL})

_CODE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_CHARACTERISTIC_KEYS = frozenset({"code", "label", "question", "categories"})
_CATEGORY_KEYS = frozenset({"code", "label"})


@dataclass(frozen=True)
class Category:
    code: str
    label: str


@dataclass(frozen=True)
class Characteristic:
    """One monitoring question and the answers it offers, in the order they are shown."""

    code: str
    label: str
    question: str
    categories: tuple[Category, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(category.code for category in self.categories)

    def label_for(self, code: str) -> str:
        """The label of a category, of "Not answered" or of the total row; a code no
        longer in the list (the list was changed after people answered) as it is."""
        labels = {c.code: c.label for c in self.categories}
        labels |= {NOT_ANSWERED: NOT_ANSWERED_LABEL, TOTAL: TOTAL_LABEL}
        return labels.get(code, code)


def _c(code: str, label: str, question: str, *categories: tuple[str, str]) -> Characteristic:
    listed = (*categories, (PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL))
    return Characteristic(code, label, question, tuple(Category(*pair) for pair in listed))


DEFAULT_CHARACTERISTICS: tuple[Characteristic, ...] = (
    _c(
        "sex",
        "Sex",
        "What is your sex?",
        ("female", "Female"),
        ("male", "Male"),
    ),
    _c(
        "gender_identity",
        "Gender identity",
        "Is the gender you identify with the same as your sex registered at birth?",
        ("yes", "Yes"),
        ("no", "No"),
    ),
    _c(
        "age_band",
        "Age",
        "What is your age?",
        ("16_24", "16 to 24"),
        ("25_34", "25 to 34"),
        ("35_44", "35 to 44"),
        ("45_54", "45 to 54"),
        ("55_64", "55 to 64"),
        ("65_over", "65 and over"),
    ),
    _c(
        "ethnic_group",
        "Ethnic group",
        "What is your ethnic group?",
        ("asian", "Asian, Asian British or Asian Welsh"),
        ("black", "Black, Black British, Black Welsh, Caribbean or African"),
        ("mixed", "Mixed or Multiple ethnic groups"),
        ("white", "White"),
        ("other", "Other ethnic group"),
    ),
    _c(
        "disability",
        "Disability",
        "Do you have any physical or mental health conditions or illnesses lasting or "
        "expected to last 12 months or more that reduce your ability to carry out "
        "day-to-day activities?",
        ("yes", "Yes"),
        ("no", "No"),
    ),
    _c(
        "sexual_orientation",
        "Sexual orientation",
        "Which of the following best describes your sexual orientation?",
        ("straight", "Straight or heterosexual"),
        ("gay_lesbian", "Gay or lesbian"),
        ("bisexual", "Bisexual"),
        ("other", "Other sexual orientation"),
    ),
    _c(
        "religion",
        "Religion or belief",
        "What is your religion?",
        ("none", "No religion"),
        ("christian", "Christian (all denominations)"),
        ("buddhist", "Buddhist"),
        ("hindu", "Hindu"),
        ("jewish", "Jewish"),
        ("muslim", "Muslim"),
        ("sikh", "Sikh"),
        ("other", "Any other religion"),
    ),
    _c(
        "socio_economic",
        "Socio-economic background",
        "What was the occupation of your main household earner when you were about 14?",
        ("professional", "Modern or traditional professional occupations"),
        ("manager", "Senior, middle or junior managers or administrators"),
        ("intermediate", "Clerical and intermediate occupations"),
        ("technical", "Technical and craft occupations"),
        ("routine", "Routine, semi-routine manual and service occupations"),
        ("unemployed", "Long-term unemployed"),
        ("small_business", "Small business owners who employed fewer than 25 people"),
        ("other", "Other, for example retired, does not apply or do not know"),
    ),
    _c(
        "caring",
        "Caring responsibilities",
        "Do you look after, or give any help or support to, anyone because of their "
        "long-term physical or mental health condition, illness or problems related to "
        "old age, or do you have caring responsibilities for a child?",
        ("none", "No"),
        ("child", "Yes, a child or children under 18"),
        ("adult", "Yes, an adult with a health condition, illness or old age"),
        ("both", "Yes, both"),
    ),
)


def default_config() -> list[dict[str, object]]:
    """The default list as a configuration (JSON-like), to save and edit."""
    return to_config(DEFAULT_CHARACTERISTICS)


def to_config(characteristics: Sequence[Characteristic]) -> list[dict[str, object]]:
    """Characteristics as the list `characteristics_from_config` reads back."""
    return [
        {
            "code": ch.code,
            "label": ch.label,
            "question": ch.question,
            "categories": [{"code": c.code, "label": c.label} for c in ch.categories],
        }
        for ch in characteristics
    ]


def _text(item: Mapping[str, object], key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{where}: give a {key}.", field=f"{where}.{key}")
    return " ".join(value.split())


def _code(item: Mapping[str, object], where: str) -> str:
    code = _text(item, "code", where)
    if not _CODE.match(code):
        raise ValidationError(
            f"{where}: the code {code!r} may hold lower-case letters, digits and _ only.",
            field=f"{where}.code",
        )
    return code


def _mapping(item: object, keys: frozenset[str], where: str) -> Mapping[str, object]:
    if not isinstance(item, Mapping):
        raise ValidationError(f"{where} is not a set of named fields.", field=where)
    unknown = sorted(str(key) for key in item if key not in keys)
    if unknown:
        raise ValidationError(
            f"{where}: unknown field {', '.join(unknown)}.", field=f"{where}.{unknown[0]}"
        )
    return item


def characteristics_from_config(data: object) -> tuple[Characteristic, ...]:
    """A configured list of characteristics, checked.

    `data` is a list of {"code", "label", "question", "categories": [{"code", "label"}]}.
    Refused, naming the field (`characteristics[2].categories[0].label`): codes or labels
    that are empty or repeated, unknown fields, a characteristic without the
    "prefer_not_to_say" category or without any other, and the reserved codes
    "not_answered" and "total", which reports add themselves.
    """
    if not isinstance(data, Sequence) or isinstance(data, str) or not data:
        raise ValidationError("List at least one characteristic.", field="characteristics")
    result: list[Characteristic] = []
    seen_codes: set[str] = set()
    seen_labels: set[str] = set()
    for i, raw in enumerate(data):
        where = f"characteristics[{i}]"
        item = _mapping(raw, _CHARACTERISTIC_KEYS, where)
        code = _code(item, where)
        label = _text(item, "label", where)
        question = _text(item, "question", where)
        if code in seen_codes:
            raise ValidationError(
                f"{where}: the code {code!r} is used twice.", field=f"{where}.code"
            )
        if label.casefold() in seen_labels:
            raise ValidationError(
                f"{where}: the label {label!r} is used twice.", field=f"{where}.label"
            )
        seen_codes.add(code)
        seen_labels.add(label.casefold())
        categories = _categories(item.get("categories"), f"{where}.categories", label)
        result.append(Characteristic(code, label, question, categories))
    return tuple(result)


def _categories(data: object, where: str, owner: str) -> tuple[Category, ...]:
    if not isinstance(data, Sequence) or isinstance(data, str) or not data:
        raise ValidationError(f"{owner}: list its categories.", field=where)
    result: list[Category] = []
    codes: set[str] = set()
    labels: set[str] = set()
    for j, raw in enumerate(data):
        at = f"{where}[{j}]"
        item = _mapping(raw, _CATEGORY_KEYS, at)
        code = _code(item, at)
        label = _text(item, "label", at)
        if code in RESERVED_CODES:
            raise ValidationError(
                f"{owner}: the code {code!r} is kept for reports; choose another.",
                field=f"{at}.code",
            )
        if code in codes:
            raise ValidationError(
                f"{owner}: the category code {code!r} is used twice.", field=f"{at}.code"
            )
        if label.casefold() in labels:
            raise ValidationError(
                f"{owner}: the category label {label!r} is used twice.", field=f"{at}.label"
            )
        codes.add(code)
        labels.add(label.casefold())
        result.append(Category(code, label))
    if PREFER_NOT_TO_SAY not in codes:
        raise ValidationError(
            f'{owner}: offer "{PREFER_NOT_TO_SAY_LABEL}" (code {PREFER_NOT_TO_SAY!r}).',
            field=where,
        )
    if len(codes) < 2:
        raise ValidationError(f"{owner}: offer at least one answer.", field=where)
    return tuple(result)
