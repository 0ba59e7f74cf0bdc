"""Writing: referral documents in, the rows of each sheet out (``flatten``), for the writers.

The inverse of ``assemble``, driven by the same column tables in ``layout``; what the layout
cannot carry is listed in the package docstring.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from beaconport.referrals.carriers.tabular.layout import (
    ADDRESS,
    CRIME,
    DECISION,
    ETHNICITY,
    PERSON,
    REFERRAL,
    REVIEW,
    SHEET_COLUMNS,
    Kind,
    Spec,
)


def flatten(documents: Iterable[Mapping[str, Any]]) -> dict[str, list[list[str]]]:
    """The rows of each sheet (headers not included) for these documents, in SHEET_COLUMNS order.

    The inverse of ``assemble``; see the package docstring for what the layout cannot carry.
    """
    tables: dict[str, list[list[str]]] = {key: [] for key in SHEET_COLUMNS}
    for document in documents:
        identity = {
            "force": _text(document.get("force")),
            "force_reference": _text(document.get("force_reference")),
        }
        tables["referrals"].append(_row("referrals", identity | _cells(document, REFERRAL)))
        for crime in _items(document, "crimes"):
            tables["crimes"].append(_row("crimes", identity | _cells(crime, CRIME)))
        for person in _items(document, "people"):
            cells = identity | _cells(person, PERSON) | _extras_cells(person)
            tables["people"].append(_row("people", cells))
            whose = identity | {"person_id": cells["person_id"]}
            for observation in _items(person, "ethnicity"):
                tables["ethnicity"].append(
                    _row("ethnicity", whose | _cells(observation, ETHNICITY))
                )
        for decision in _items(document, "decisions"):
            tables["decisions"].append(_row("decisions", identity | _cells(decision, DECISION)))
        for review in _items(document, "previous_reviews"):
            tables["previous_reviews"].append(
                _row("previous_reviews", identity | _cells(review, REVIEW))
            )
    return tables


def _items(parent: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = parent.get(key)
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def _cells(item: Mapping[str, Any], spec: Spec) -> dict[str, str]:
    cells: dict[str, str] = {}
    for path, column, kind in spec:
        parent, _, child = path.partition(".")
        value = item.get(parent)
        if child:
            value = value.get(child) if isinstance(value, Mapping) else None
        cells[column] = _render(value, kind)
    return cells


def _extras_cells(person: Mapping[str, Any]) -> dict[str, str]:
    addresses = _items(person, "addresses")
    address = addresses[0] if addresses else {}
    pnc = next(
        (
            identifier.get("value")
            for identifier in _items(person, "identifiers")
            if _text(identifier.get("type")).upper() == "PNC"
        ),
        None,
    )
    cells = {column: _text(address.get(key)) for key, column in ADDRESS}
    cells["pnc"] = _text(pnc)
    return cells


def _render(value: Any, kind: Kind) -> str:
    if kind == "yes_no" and isinstance(value, bool):
        return "yes" if value else "no"
    if kind in ("list", "aliases") and isinstance(value, list):
        items = [_alias_text(item) if kind == "aliases" else _text(item) for item in value]
        return "; ".join(item for item in items if item)
    return _text(value)


def _alias_text(alias: Any) -> str:
    if not isinstance(alias, Mapping):
        return _text(alias)
    names = [_text(alias.get("forenames")), _text(alias.get("surname"))]
    return " ".join(name for name in names if name) or _text(alias.get("nickname"))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _row(key: str, cells: Mapping[str, str]) -> list[str]:
    return [cells.get(column, "") for column in SHEET_COLUMNS[key]]
