"""Load the code lists shipped in ``reference/data`` into the database, idempotently.

A dataset is reloaded only when its file's checksum changed; then its rows are replaced whole in
the caller's transaction. Nothing else refers to reference rows by key, so replacing them is safe:
referrals keep the codes forces sent, and lookups happen by code and date.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.bulk import insert_rows
from beaconport.reference.models import (
    EthnicityCode,
    Force,
    ForceAlias,
    Offence,
    OutcomeCode,
    ReferenceDataset,
)
from beaconport.reference.normalise import alias_key

_MODELS: dict[str, Any] = {
    "forces": Force,
    "force_aliases": ForceAlias,
    "outcome_codes": OutcomeCode,
    "offences": Offence,
    "ethnicity_codes": EthnicityCode,
}
_BOOLEANS = {"in_scope", "unconfirmed", "is_nfa", "is_sexual", "is_rape", "means_not_stated"}
_DATES = {"valid_from", "valid_to"}


@dataclass(frozen=True, slots=True)
class LoadResult:
    dataset: str
    version: str
    rows: int
    changed: bool


def _read_text(filename: str) -> str:
    return (resources.files("beaconport.reference") / "data" / filename).read_text("utf-8")


def _convert(name: str, value: str) -> Any:
    value = value.strip()
    if name in _BOOLEANS:
        return value.lower() == "true"
    if name in _DATES:
        return date.fromisoformat(value) if value else None
    return value or None


def _rows(dataset: str, text: str) -> list[dict[str, Any]]:
    rows = [
        {k: _convert(k, v or "") for k, v in row.items()}
        for row in csv.DictReader(io.StringIO(text))
    ]
    if dataset == "force_aliases":
        return _distinct_aliases(rows)
    return rows


def _distinct_aliases(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """'Avon & Somerset' and 'Avon and Somerset' match alike, so one row serves both; an alias
    that would match two different forces is a mistake in the data and stops the load."""
    kept: dict[tuple[str, date], dict[str, Any]] = {}
    for row in rows:
        row["alias_key"] = alias_key(row["alias"])
        key = (row["alias_key"], row["valid_from"])
        first = kept.setdefault(key, row)
        if first["force_code"] != row["force_code"]:
            raise ValueError(
                f"Alias {row['alias']!r} would match both {first['force_code']} and "
                f"{row['force_code']}; remove it from force_aliases.csv."
            )
    return list(kept.values())


def load_reference_data(session: Session, *, actor: str = "system") -> list[LoadResult]:
    """Bring every dataset in the manifest up to date; return what was (re)loaded."""
    manifest = list(csv.DictReader(io.StringIO(_read_text("manifest.csv"))))
    loaded = {d.name: d for d in session.scalars(select(ReferenceDataset))}
    results = []
    for entry in manifest:
        name, text = entry["dataset"], _read_text(entry["file"])
        checksum = hashlib.sha256(text.encode()).hexdigest()
        current = loaded.get(name)
        if current is not None and current.checksum == checksum:
            results.append(LoadResult(name, current.version, current.row_count, changed=False))
            continue
        model = _MODELS[name]
        rows = _rows(name, text)
        session.execute(delete(model))
        insert_rows(session, model.__table__, rows)
        if current is None:
            current = ReferenceDataset(name=name)
            session.add(current)
        current.version = entry["version"]
        current.checksum = checksum
        current.row_count = len(rows)
        current.description = entry["description"]
        current.loaded_at_utc = clock.now()
        session.flush()
        audit.record(session, actor=actor, action=AuditAction.REFERENCE_LOADED,
                     subject=audit.Subject("reference_dataset", name),
                     data={"version": entry["version"], "rows": len(rows), "sha256": checksum})
        results.append(LoadResult(name, entry["version"], len(rows), changed=True))
    return results
