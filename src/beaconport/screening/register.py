"""The prior-review register, imported from a CSV file: every row checked, every problem
reported by row and column in plain words, and nothing stored unless the whole file is sound.

Columns: ``entry_reference`` (the register's own id for the entry), ``force`` (code, name or
abbreviation), ``force_reference`` and/or ``crime_reference`` (at least one), ``reviewed_by``
(Operation Hydrant, Operation Stovewood, a force review …), ``completed_on`` (YYYY, YYYY-MM or
YYYY-MM-DD) and ``outcome`` (optional text).
"""

from __future__ import annotations

import csv
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.dates import InvalidPartialDate, PartialDate
from beaconport.errors import InvalidRequest
from beaconport.reference.queries import Catalogue
from beaconport.referrals.models import Crime, Referral, ReferralVersion
from beaconport.screening.models import PriorReview

COLUMNS = ("entry_reference", "force", "force_reference", "crime_reference", "reviewed_by",
           "completed_on", "outcome")
REQUIRED = ("entry_reference", "force", "reviewed_by")


@dataclass(frozen=True, slots=True)
class Entry:
    entry_reference: str
    force_code: str
    force_reference: str | None
    crime_reference: str | None
    reviewed_by: str
    completed_on: str | None
    outcome: str | None


def read_register(path: Path, catalogue: Catalogue) -> list[Entry]:
    """Every entry of the file, or InvalidRequest listing every problem found."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidRequest(f"{path.name} cannot be read as UTF-8 text: {exc}.") from exc
    rows = list(csv.DictReader(text.splitlines()))
    header = list(rows[0]) if rows else next(csv.reader(text.splitlines()), [])
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InvalidRequest(f"{path.name} lacks the column{'s' if len(missing) > 1 else ''} "
                             f"{', '.join(missing)}; the columns are {', '.join(COLUMNS)}.")
    entries, problems, seen = [], [], set()
    for number, row in enumerate(rows, start=2):
        entry, found = _entry(row, catalogue)
        problems += [f"row {number}: {p}" for p in found]
        if entry is not None:
            if entry.entry_reference in seen:
                problems.append(f"row {number}: entry_reference {entry.entry_reference!r} is "
                                "used by an earlier row; each entry needs its own")
            seen.add(entry.entry_reference)
            entries.append(entry)
    if problems:
        raise InvalidRequest(f"{path.name} was not imported; nothing was stored. Problems:\n  "
                             + "\n  ".join(problems))
    return entries


def _entry(row: dict[str, Any], catalogue: Catalogue) -> tuple[Entry | None, list[str]]:
    def value(name: str) -> str | None:
        text = (row.get(name) or "").strip()
        return text or None

    problems = [f"{name} is empty; it is required" for name in REQUIRED if not value(name)]
    force = catalogue.resolve_force(value("force") or "") if value("force") else None
    if value("force") and force is None:
        problems.append(f"force {value('force')!r} is not a police force Beaconport knows")
    if not value("force_reference") and not value("crime_reference"):
        problems.append("give force_reference or crime_reference (or both), so the case can "
                        "be matched")
    completed = value("completed_on")
    if completed:
        try:
            PartialDate.parse(completed)
        except InvalidPartialDate as exc:
            problems.append(f"completed_on: {exc}")
    if problems:
        return None, problems
    assert force is not None
    return Entry(value("entry_reference") or "", force.code, value("force_reference"),
                 value("crime_reference"), value("reviewed_by") or "", completed,
                 value("outcome")), []


def import_register(session: Session, *, actor: str | audit.Actor,
                    entries: list[Entry]) -> tuple[int, int, list[uuid.UUID]]:
    """Add or replace entries; return (added, replaced, the referrals they match)."""
    existing = {p.entry_reference: p for p in session.scalars(select(PriorReview).where(
        PriorReview.entry_reference.in_([e.entry_reference for e in entries])))}
    added = replaced = 0
    now, who = clock.now(), audit.name_of(actor)
    for entry in entries:
        values = {"force_code": entry.force_code, "force_reference": entry.force_reference,
                  "crime_reference": entry.crime_reference, "reviewed_by": entry.reviewed_by,
                  "completed_on": entry.completed_on, "outcome": entry.outcome}
        row = existing.get(entry.entry_reference)
        if row is None:
            session.add(PriorReview(entry_reference=entry.entry_reference, imported_at_utc=now,
                                    imported_by=who, **values))
            added += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            row.imported_at_utc, row.imported_by = now, who
            replaced += 1
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.REGISTER_IMPORTED,
                 subject=audit.Subject("prior_review_register", "entries"),
                 data={"added": added, "replaced": replaced, "rows": len(entries)})
    return added, replaced, matching_referrals(session, entries)


def matching_referrals(session: Session, entries: list[Entry]) -> list[uuid.UUID]:
    """The referrals (any version's crimes) that these register entries match."""
    found: set[uuid.UUID] = set()
    for entry in entries:
        by_ref = Referral.force_reference == entry.force_reference \
            if entry.force_reference else None
        by_crime = Referral.id.in_(
            select(ReferralVersion.referral_id).join(Crime, Crime.version_id == ReferralVersion.id)
            .where(Crime.crime_reference == entry.crime_reference)) \
            if entry.crime_reference else None
        either = [c for c in (by_ref, by_crime) if c is not None]
        found.update(session.scalars(select(Referral.id).where(
            Referral.force_code == entry.force_code, or_(*either))))
    return sorted(found)
