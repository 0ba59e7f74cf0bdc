"""Complainants' identities withheld from what is shown: lifelong anonymity (Sexual Offences
(Amendment) Act 1992) applies on every page, including the quarantine's copy of what was sent."""

from __future__ import annotations

import copy
import json
from typing import Any

WITHHELD = "[withheld: complainant]"

#: What identifies a person in a referral document; contact details included.
IDENTIFYING = ("forenames", "surname", "aliases", "date_of_birth", "addresses", "identifiers",
               "nickname")


def without_complainants(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of the document in which every complainant's identifying fields are withheld."""
    shown = copy.deepcopy(document)
    people = shown.get("people")
    if isinstance(people, list):
        for person in people:
            if isinstance(person, dict) and person.get("role") != "suspect" and (
                    person.get("role") == "complainant" or "role" not in person):
                for key in IDENTIFYING:
                    if key in person:
                        person[key] = WITHHELD
    return shown


def shown_text(document: dict[str, Any] | None) -> str | None:
    """The document as indented JSON with complainants withheld, or None when there is none."""
    if document is None:
        return None
    return json.dumps(without_complainants(document), indent=2, ensure_ascii=False)
