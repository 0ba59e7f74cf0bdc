"""Referrals with exactly one mistake of the kind forces make, for testing rejection.

Each starts as a valid referral and gets one error, with the stable error code import must report
(referral-format.md, "Errors") and where in the document it is.
"""

from __future__ import annotations

import copy
import random
from typing import Any

ERRORS: tuple[str, ...] = (
    "invalid_date", "unknown_person_ref", "unknown_code", "duplicate_person_id", "missing_field",
    "unknown_force",
)
UNKNOWN_FORCE = "Borsetshire Police"  # fictional county of The Archers: never a real force


def corrupt(rng: random.Random, document: dict[str, Any], error: str) -> str:
    """Put one ``error`` into ``document`` (in place) and return its location."""
    if error == "invalid_date":
        return _invalid_date(rng, document)
    if error == "unknown_person_ref":
        crime = document["crimes"][0]
        crime["suspects"].append(f"P{len(document['people']) + 7}")
        return f"crimes[0].suspects[{len(crime['suspects']) - 1}]"
    if error == "unknown_code":
        if rng.random() < 0.5 and "outcome_code" in document["crimes"][0]:
            document["crimes"][0]["outcome_code"] = "99"
            return "crimes[0].outcome_code"
        document["decisions"][0]["outcome_code"] = "99"
        return "decisions[0].outcome_code"
    if error == "duplicate_person_id":
        # The same person exported twice, as a join in a force's query can do.
        people = document["people"]
        people.append(copy.deepcopy(people[int(rng.random() * len(people))]))
        return f"people[{len(people) - 1}].id"
    if error == "missing_field":
        del document["force_reference"]
        return "force_reference"
    if error == "unknown_force":
        document["force"] = UNKNOWN_FORCE
        return "force"
    raise ValueError(f"no such error {error!r}")


def _invalid_date(rng: random.Random, document: dict[str, Any]) -> str:
    places: list[tuple[dict[str, Any], str, str]] = [(document, "referred_on", "referred_on")]
    for i, crime in enumerate(document["crimes"]):
        places.append((crime, "recorded_on", f"crimes[{i}].recorded_on"))
    for i, decision in enumerate(document["decisions"]):
        if len(decision.get("decided_on", "")) == 10:
            places.append((decision, "decided_on", f"decisions[{i}].decided_on"))
    for i, person in enumerate(document["people"]):
        if len(person.get("date_of_birth", "")) == 10:
            places.append((person, "date_of_birth", f"people[{i}].date_of_birth"))
    holder, key, location = places[int(rng.random() * len(places))]
    year = holder[key][:4]
    holder[key] = rng.choice((f"31/02/{year}", f"{year}-02-31", f"{year}-04-31", f"30/02/{year}"))
    return location
