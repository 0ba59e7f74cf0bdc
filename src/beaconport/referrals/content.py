"""Content identity and differences between versions of a referral.

Two submissions are the same referral content when their facts are equal: key order, empty
values, list order and the way the force was named do not matter. A resubmission records what
changed, keyed by the ids forces use (crime references, person ids), not by list position, so
reordering people is no change at all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from operator import itemgetter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from beaconport.referrals.validation import CleanReferral

_EMPTY: tuple[Any, ...] = (None, "", [], {})
_KEYED_LISTS = {
    "crimes": ("crime_reference",),
    "people": ("id",),
    "decisions": ("suspect", "crime"),
}


def canonical(value: Any) -> Any:
    """Drop empty values recursively; strip surrounding spaces from text."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            item = canonical(item)
            if item not in _EMPTY:
                out[key] = item
        return out
    if isinstance(value, list):
        return [c for c in (canonical(v) for v in value) if c not in _EMPTY]
    if isinstance(value, str):
        return value.strip()
    return value


def facts_hash(clean: CleanReferral) -> str:
    """The hash of a validated referral's facts, the same whichever carrier brought them.

    Validation has already normalised every value (spaces, case of codes, the force's code,
    empty lists), so only the order of lists that carry ids needs settling here.
    """
    crimes = sorted(
        ({**c, "complainants": sorted(c["complainants"]), "suspects": sorted(c["suspects"])}
         for c in clean.crimes), key=itemgetter("crime_reference"))
    people = sorted(clean.people, key=itemgetter("person_ref"))
    decisions = sorted(clean.decisions, key=lambda d: (d["suspect"], d["crime"] or ""))
    facts = [clean.force_code, clean.force_reference, clean.referred_on, clean.summary,
             clean.officer, crimes, people, decisions, clean.previous_reviews]
    text = json.dumps(facts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _key(item: Any, fields: tuple[str, ...]) -> str:
    if isinstance(item, dict):
        return "/".join(str(item.get(f, "")) for f in fields)
    return json.dumps(item, sort_keys=True)


def differences(before: Any, after: Any, path: str = "") -> list[dict[str, Any]]:
    """What changed from ``before`` to ``after``: a list of {path, change, before, after}."""
    before, after = canonical(before), canonical(after)
    return _diff(before, after, path)


def _diff(before: Any, after: Any, path: str) -> list[dict[str, Any]]:
    if before == after:
        return []
    if isinstance(before, dict) and isinstance(after, dict):
        return _diff_entries(before, after, lambda key: f"{path}.{key}" if path else key)
    keyed = _KEYED_LISTS.get(path.rsplit(".", 1)[-1])
    if keyed and isinstance(before, list) and isinstance(after, list):
        return _diff_entries({_key(i, keyed): i for i in before},
                             {_key(i, keyed): i for i in after}, lambda key: f"{path}[{key}]")
    return [{"path": path, "change": "changed", "before": before, "after": after}]


def _diff_entries(old: dict[str, Any], new: dict[str, Any],
                  place: Callable[[str], str]) -> list[dict[str, Any]]:
    changes = []
    for key in sorted(set(old) | set(new)):
        where = place(key)
        if key not in old:
            changes.append({"path": where, "change": "added", "after": new[key]})
        elif key not in new:
            changes.append({"path": where, "change": "removed", "before": old[key]})
        else:
            changes.extend(_diff(old[key], new[key], where))
    return changes
