"""A person's nationality for statistics (domain brief §4.4, Casey Recommendation 4): its own
field, ISO 3166 codes plus STATELESS and UNKNOWN, possibly several (dual nationality). Pure.

Every nationality recorded on any of the person's records counts (a nationality is not replaced
by a later record the way an ethnicity is: people hold several). Each person is put in one
category, so the table adds up: British only, British and another, another nationality only
(one or more), stateless, not known (recorded as UNKNOWN), or not recorded. Countries are not
published one by one: most would be counts too small to show, and a small count of one
nationality in one operation can point to a person.
"""

from __future__ import annotations

from collections.abc import Iterable

BRITISH = "GB"
STATELESS, UNKNOWN = "STATELESS", "UNKNOWN"
CATEGORIES = ("British only", "British and another nationality", "Another nationality only",
              "Stateless", "Not known", "Not recorded")


def category(codes: Iterable[str]) -> str:
    """The person's category, from every nationality code recorded for them."""
    held = {c.upper() for c in codes}
    countries = held - {STATELESS, UNKNOWN}
    if BRITISH in countries:
        return CATEGORIES[0] if countries == {BRITISH} else CATEGORIES[1]
    if countries:
        return CATEGORIES[2]
    if STATELESS in held:
        return CATEGORIES[3]
    return CATEGORIES[4] if UNKNOWN in held else CATEGORIES[5]
