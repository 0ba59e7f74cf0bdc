"""Turn a validated referral into the rows of one new version, with their keys."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from beaconport.db import new_id
from beaconport.referrals.validation import CleanReferral

TABLES = (
    "referral_version", "crime", "person_record", "crime_party", "suspect_decision",
    "ethnicity_observation", "nationality", "previous_review",
)

_PERSON_COLUMNS = (
    "person_ref", "role", "forenames", "surname", "aliases", "date_of_birth", "sex",
    "alive_status", "alive_status_checked_on", "addresses", "identifiers", "interview",
    "arrested", "age_at_first_offence", "review_support", "review_support_recorded_on",
)
_CRIME_COLUMNS = (
    "crime_reference", "recorded_on", "offence_scheme", "offence_code", "offence_description",
    "offence_from", "offence_to", "outcome_code", "is_sexual", "is_rape",
)


@dataclass(slots=True)
class VersionRows:
    """Rows for every table that one version writes, keyed by table name."""

    tables: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {name: [] for name in TABLES}
    )

    def extend(self, other: VersionRows) -> None:
        for name, rows in other.tables.items():
            self.tables[name].extend(rows)


def version_rows(
    clean: CleanReferral,
    *,
    referral_id: uuid.UUID,
    number: int,
    content_hash: str,
    batch_id: uuid.UUID,
    received_at: datetime,
    document: dict[str, Any],
    changes: list[dict[str, Any]] | None,
    warnings: list[dict[str, str]] | None,
) -> tuple[uuid.UUID, VersionRows]:
    out = VersionRows()
    t = out.tables
    version_id = new_id()
    t["referral_version"].append({
        "id": version_id, "referral_id": referral_id, "number": number,
        "content_hash": content_hash, "import_batch_id": batch_id,
        "received_at_utc": received_at, "referred_on": clean.referred_on,
        "summary": clean.summary, "officer_name": clean.officer.get("name"),
        "officer_email": clean.officer.get("email"), "officer_phone": clean.officer.get("phone"),
        "involves_rape": clean.involves_rape, "document": document, "changes": changes,
        "warnings": warnings,
    })
    people: dict[str, uuid.UUID] = {}
    for person in clean.people:
        pid = new_id()
        people[person["person_ref"]] = pid
        t["person_record"].append(
            {"id": pid, "version_id": version_id, **{k: person[k] for k in _PERSON_COLUMNS}}
        )
        t["nationality"].extend(
            {"person_record_id": pid, "code": code} for code in person["nationality"]
        )
        t["ethnicity_observation"].extend(
            {"id": new_id(), "person_record_id": pid, "position": i, **obs}
            for i, obs in enumerate(person["ethnicity"])
        )
    crimes: dict[str, uuid.UUID] = {}
    for crime in clean.crimes:
        cid = new_id()
        crimes[crime["crime_reference"]] = cid
        t["crime"].append(
            {"id": cid, "version_id": version_id, **{k: crime[k] for k in _CRIME_COLUMNS}}
        )
        for role, key in (("complainant", "complainants"), ("suspect", "suspects")):
            t["crime_party"].extend(
                {"crime_id": cid, "person_record_id": people[p], "role": role}
                for p in crime[key]
            )
    for d in clean.decisions:
        t["suspect_decision"].append({
            "id": new_id(), "version_id": version_id, "suspect_id": people[d["suspect"]],
            "crime_id": crimes.get(d["crime"]) if d["crime"] else None,
            "decided_by": d["decided_by"], "decision": d["decision"],
            "outcome_code": d["outcome_code"], "decided_on": d["decided_on"],
            "reason": d["reason"],
        })
    t["previous_review"].extend(
        {"id": new_id(), "version_id": version_id, **review} for review in clean.previous_reviews
    )
    return version_id, out
