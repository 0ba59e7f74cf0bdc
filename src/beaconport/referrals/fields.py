"""Field-level checks shared by every part of a referral.

Each check reads one field of one object, reports what is wrong with it in words a force analyst
understands, and returns the value (normalised where the format allows several spellings) or
``None``. Reports go to a ``Report``; nothing here raises for bad input.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date
from functools import lru_cache
from typing import Any

from beaconport.dates import InvalidPartialDate, PartialDate
from beaconport.referrals.problems import Problem, Severity


@lru_cache(maxsize=65536)
def parse_date(value: str) -> PartialDate:
    """Dates repeat a great deal across referrals; parse each distinct text once."""
    return PartialDate.parse(value)


_TYPE_NAMES = {
    str: "text",
    int: "a whole number",
    bool: "true or false",
    list: "a list",
    dict: "an object",
    float: "a number",
    type(None): "null",
}


def describe(value: Any) -> str:
    """How a value looks to a person reading the error."""
    kind = _TYPE_NAMES.get(type(value), type(value).__name__)
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        shown = str(value)
        shown = shown if len(shown) <= 40 else shown[:37] + "…"
        return f"{kind} '{shown}'"
    return kind


class Report:
    """Collects the problems of one referral; ``locate`` turns a JSON path into a place."""

    __slots__ = ("locate", "problems")

    def __init__(self, locate: Callable[[str], str]) -> None:
        self.locate = locate
        self.problems: list[Problem] = []

    def add(self, code: str, path: str, message: str, severity: Severity = "error") -> None:
        self.problems.append(Problem(code, self.locate(path), message, severity))

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def at(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def text(
    report: Report, obj: dict[str, Any], key: str, path: str, *,
    required: bool = False, max_len: int = 1000, what: str | None = None,
) -> str | None:
    value = obj.get(key)
    # Fast path first: import checks millions of fields, nearly all of them fine.
    if value.__class__ is str:
        stripped = value.strip()
        if stripped and len(stripped) <= max_len:
            return stripped
    elif value is None and not required:
        return None
    _text_problem(report, value, key, path, required, max_len, what)
    return None


def _text_problem(
    report: Report, value: Any, key: str, path: str, required: bool, max_len: int,
    what: str | None,
) -> None:
    where = at(path, key)
    label = what or key.replace("_", " ")
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            report.add("missing_field", where, f"The {label} is missing; it is required.")
    elif not isinstance(value, str):
        report.add("invalid_type", where, f"The {label} must be text, not {describe(value)}.")
    else:
        report.add(
            "too_long", where,
            f"The {label} is {len(value.strip()):,} characters long; at most {max_len:,} are "
            "allowed.",
        )
    return


def choice(
    report: Report, obj: dict[str, Any], key: str, path: str, allowed: Collection[str], *,
    required: bool = False,
) -> str | None:
    """One of a fixed set of values; matched without regard to case or surrounding spaces."""
    raw = obj.get(key)
    # Only text can be a choice: a list or object sent instead is reported by text() below
    # (and cannot be looked up in a set).
    if isinstance(raw, str) and raw in allowed:
        return raw
    value = text(report, obj, key, path, required=required, max_len=60)
    if value is None:
        return None
    normal = value.lower().replace(" ", "_").replace("-", "_")
    if normal in allowed:
        return normal
    report.add(
        "invalid_value", at(path, key),
        f"'{value}' is not an allowed {key.replace('_', ' ')}; use one of: "
        + ", ".join(sorted(allowed)) + ".",
    )
    return None


def partial_date(
    report: Report, obj: dict[str, Any], key: str, path: str, today: date, *,
    required: bool = False, full: bool = False, what: str | None = None,
) -> PartialDate | None:
    value = text(report, obj, key, path, required=required, max_len=40, what=what)
    if value is None:
        return None
    where = at(path, key)
    label = what or key.replace("_", " ")
    try:
        parsed = parse_date(value)
    except InvalidPartialDate as exc:
        hint = ""
        if "/" in value or "." in value:
            hint = " Write dates as YYYY-MM-DD, e.g. 2014-03-02 for 2 March 2014."
        report.add("invalid_date", where, f"The {label}: {exc}.{hint}")
        return None
    if full and parsed.day is None:
        report.add(
            "invalid_date", where, f"The {label} must be a full date (YYYY-MM-DD), not '{value}'."
        )
        return None
    if parsed.earliest > today:
        report.add("date_in_future", where, f"The {label} '{value}' is in the future.")
        return None
    return parsed


def boolean(report: Report, obj: dict[str, Any], key: str, path: str) -> bool | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    report.add(
        "invalid_type", at(path, key),
        f"The {key.replace('_', ' ')} must be true or false, not {describe(value)}.",
    )
    return None


def whole_number(
    report: Report, obj: dict[str, Any], key: str, path: str, low: int, high: int
) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        report.add(
            "invalid_type", at(path, key),
            f"The {key.replace('_', ' ')} must be a whole number, not {describe(value)}.",
        )
        return None
    if not low <= value <= high:
        report.add(
            "invalid_value", at(path, key),
            f"The {key.replace('_', ' ')} is {value}; it must be between {low} and {high}.",
        )
        return None
    return value


def object_list(
    report: Report, obj: dict[str, Any], key: str, path: str, *,
    required: bool = False, max_items: int = 1000, what: str | None = None,
) -> list[dict[str, Any]]:
    """The objects of a list field; entries that are not objects are reported and skipped."""
    value = obj.get(key)
    where = at(path, key)
    label = what or key.replace("_", " ")
    if value is None or value == []:
        if required:
            report.add("missing_field", where, f"There must be at least one entry in {label}.")
        return []
    if not isinstance(value, list):
        report.add("invalid_type", where, f"The {label} must be a list, not {describe(value)}.")
        return []
    if len(value) > max_items:
        report.add(
            "too_many", where,
            f"There are {len(value):,} entries in {label}; at most {max_items:,} are allowed.",
        )
        return []
    good = []
    for index, item in enumerate(value):
        if isinstance(item, dict):
            good.append(item)
        else:
            report.add(
                "invalid_type", f"{where}[{index}]",
                f"Each entry in {label} must be an object, not {describe(item)}.",
            )
    return good


def text_list(
    report: Report, obj: dict[str, Any], key: str, path: str, *, max_items: int = 100,
) -> list[str]:
    value = obj.get(key)
    where = at(path, key)
    if value is None:
        return []
    if not isinstance(value, list):
        report.add(
            "invalid_type", where,
            f"The {key.replace('_', ' ')} must be a list, not {describe(value)}.",
        )
        return []
    if len(value) > max_items:
        report.add("too_many", where, f"At most {max_items} entries are allowed.")
        return []
    good = []
    for index, item in enumerate(value):
        if isinstance(item, str) and item.strip():
            good.append(item.strip())
        else:
            report.add(
                "invalid_type", f"{where}[{index}]",
                f"Each entry must be text, not {describe(item)}.",
            )
    return good


def unknown_fields(
    report: Report, obj: dict[str, Any], path: str, known: frozenset[str]
) -> None:
    if obj.keys() <= known:
        return
    for key in obj:
        if key not in known:
            report.add(
                "unknown_field", at(path, key),
                f"'{key}' is not a field of the format and was kept but not used.",
                "warning",
            )
