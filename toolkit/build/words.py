"""Values and dates in words for readers: `about USD 9.8 million`, `first half of 2023`,
`10–12 November 2023`. Records keep exact codes (`9800000`, `2023-H1`); pages print these."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

MONTHS = ("January February March April May June July August September October November December").split()
_ORDINAL_WORDS = ("first", "second", "third", "fourth")
_COMPARATORS = {
    "about": "about ",
    "nearly": "nearly ",
    "more_than": "more than ",
    "less_than": "less than ",
    "at_least": "at least ",
    "at_most": "at most ",
}
_PLURAL = {"person": "people", "child": "children", "yes": "yes"}
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_DAY = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-([QH])([1-4]))?$")


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _plain(value: Decimal) -> str:
    """A number with thousands separators and no trailing zeros: 2,800 or 9.8."""
    text = format(value.normalize(), "f")
    whole, _, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = f"{int(whole.lstrip('-') or 0):,}"
    return sign + whole + (f".{fraction}" if fraction else "")


def number_words(value: object) -> str:
    """9800000 as `9.8 million`, 900000 as `900,000`, 2800 as `2,800`."""
    amount = _decimal(value)
    if amount is None:
        return ""
    for size, word in ((Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million")):
        scaled = amount / size
        if abs(amount) >= size and scaled == scaled.quantize(Decimal("0.01")):
            return f"{_plain(scaled)} {word}"
    return _plain(amount)


def ordinal(value: object) -> str:
    """1 as 1st, 22 as 22nd, 13 as 13th."""
    amount = _decimal(value)
    if amount is None or amount != amount.to_integral_value():
        return number_words(value)
    n = int(amount)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n:,}{suffix}"


def _plural_noun(noun: str) -> str:
    """An English noun's plural: activity → activities, day → days, delegation → delegations,
    class → classes, person → people."""
    if noun in _PLURAL:
        return _PLURAL[noun]
    if noun.endswith("y") and len(noun) > 1 and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def unit_words(unit: str) -> str:
    """A unit as a chart's axis names it: `years`, `delegations`, `USD`, `percent`."""
    if _CURRENCY.match(unit) or unit in ("percent", "%"):
        return unit
    return _unit(unit, None)


def plural(count: int, noun: str) -> str:
    """`1 activity`, `3 activities`, `0 facts`: a count and its noun (the last word of a phrase)."""
    return f"{count:,} {_unit(noun, Decimal(count))}"


def _unit(unit: str, amount: Decimal | None) -> str:
    if amount is not None and amount == 1:
        return unit
    last = unit.rsplit(" ", 1)
    return " ".join([*last[:-1], _plural_noun(last[-1])])


def quantity_words(
    amount: object,
    unit: str | None,
    comparator: str | None = None,
    lower: object = None,
    upper: object = None,
) -> str:
    """A quantity as people say it: `about USD 9.8 million`, `15–20 delegations`, `70%`, `3rd`."""
    value = _decimal(amount)
    if value is None:
        return ""
    unit = unit or ""
    low, high = _decimal(lower), _decimal(upper)
    if comparator == "range" and low is not None and high is not None:
        number = f"{number_words(low)}–{number_words(high)}"
        value = high
    else:
        number = number_words(value)
    prefix = _COMPARATORS.get(comparator or "", "")
    if unit in ("rank", "edition", "ordinal"):
        text = ordinal(value) if comparator != "range" else number
    elif unit in ("percent", "%"):
        text = f"{number}%"
    elif _CURRENCY.match(unit):
        text = f"{unit} {number}"
    elif unit:
        text = f"{number} {_unit(unit, value)}"
    else:
        text = number
    return prefix + text


def _part(text: str) -> tuple[int, int | None, int | None, str | None, int | None]:
    m = _DAY.match(text)
    if not m:
        raise ValueError(text)
    year, month, day, period, which = m.groups()
    return (
        int(year),
        int(month) if month else None,
        int(day) if day else None,
        period,
        int(which) if which else None,
    )


def _one_date(text: str) -> str:
    year, month, day, period, which = _part(text)
    if period == "Q" and which:
        return f"{_ORDINAL_WORDS[which - 1]} quarter of {year}"
    if period == "H" and which:
        return f"{_ORDINAL_WORDS[which - 1]} half of {year}"
    if month and day:
        return f"{day} {MONTHS[month - 1]} {year}"
    if month:
        return f"{MONTHS[month - 1]} {year}"
    return str(year)


def date_words(text: object) -> str:
    """A record's date in words: `2023-H1` as `first half of 2023`, `2023-11-10/2023-11-12` as
    `10–12 November 2023`; text that is not a record date comes back as it is."""
    if not isinstance(text, str) or not text:
        return ""
    try:
        if "/" not in text:
            return _one_date(text)
        first, last = text.split("/", 1)
        (y1, m1, d1, p1, _), (y2, m2, d2, p2, _) = _part(first), _part(last)
    except ValueError:
        return text
    if not (p1 or p2) and y1 == y2 and m1 and m1 == m2 and d1 and d2:
        return f"{d1}–{d2} {MONTHS[m1 - 1]} {y1}"
    if not (p1 or p2) and y1 == y2 and m1 and m2 and d1 and d2:
        return f"{d1} {MONTHS[m1 - 1]} – {d2} {MONTHS[m2 - 1]} {y1}"
    if not (p1 or p2) and y1 == y2 and m1 and m2 and not (d1 or d2):
        return f"{MONTHS[m1 - 1]}–{MONTHS[m2 - 1]} {y1}"
    if not (m1 or m2 or p1 or p2):
        return f"{y1}–{y2}"
    return f"{_one_date(first)} – {_one_date(last)}"


def published_words(text: object) -> str:
    """A publication date: `2023-01-06T20:16:00+07:00` as `6 January 2023, 20:16 (UTC+07:00)`."""
    if not isinstance(text, str) or not text:
        return ""
    if "T" not in text:
        return date_words(text)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    zone = moment.strftime("%z")
    zone_text = f" (UTC{zone[:3]}:{zone[3:]})" if zone else ""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}, {moment:%H:%M}{zone_text}"


def period_words(start: object, end: object) -> str:
    """A claim's period: `since 2006`, `until 2024`, `2021–2026`."""
    if start and end:
        return date_words(f"{start}/{end}")
    if start:
        return f"since {date_words(start)}"
    if end:
        return f"until {date_words(end)}"
    return ""


@lru_cache(maxsize=1 << 14)  # few distinct dates, many claims
def claim_time_words(point_in_time: object, period_start: object, period_end: object) -> str:
    """When a claim's value holds, in words: its point in time or its period."""
    if point_in_time:
        return date_words(point_in_time)
    return period_words(period_start, period_end)


def value_words(row: dict[str, object]) -> str:
    """A claim row's value in words, whatever its type (quantity, date, entity name, text)."""
    kind = row.get("value_type")
    if kind == "quantity":
        unit = row.get("unit")
        return quantity_words(
            row.get("amount_exact") or row.get("amount"),
            unit if isinstance(unit, str) else None,
            str(row.get("comparator") or ""),
            row.get("lower"),
            row.get("upper"),
        )
    if kind == "date":
        return date_words(row.get("value_date"))
    if kind == "entity":
        return str(row.get("value_entity_name_en") or row.get("value_entity_name") or row.get("value_entity"))
    text = row.get("value_text_en") or row.get("value_text")
    return str(text) if text else ""


@lru_cache(maxsize=1 << 14)  # a dataset states the same values again and again
def flat_value_words(*args: Any) -> str:
    """value_words of a claim's columns as claims_flat lists them (value_type, amount_exact,
    unit, comparator, lower, upper, value_date, entity name, value_text, value_text_en)."""
    names = ("value_type", "amount_exact", "unit", "comparator", "lower", "upper", "value_date")
    row = dict(zip(names, args[:7], strict=True))
    row |= {"value_entity_name_en": args[7], "value_text": args[8], "value_text_en": args[9]}
    return value_words(row)
