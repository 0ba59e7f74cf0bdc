"""The tabular layout itself: which sheets there are, their columns, and where each column's
value lives in the referral document.

Both directions read these tables: ``assembly`` builds document parts from them and ``flattening``
writes rows from them, so a column added here is read and written alike. ``sheet_key`` is how a
sheet name or a heading, as a force wrote it, is matched to the names defined here.
"""

from __future__ import annotations

import re
from typing import Literal

FORMAT = "beaconport.referral/1"

SHEET_COLUMNS: dict[str, tuple[str, ...]] = {
    "referrals": (
        "force", "force_reference", "referred_on", "referring_officer_name",
        "referring_officer_email", "referring_officer_phone", "summary",
    ),
    "crimes": (
        "force", "force_reference", "crime_reference", "recorded_on", "offence_scheme",
        "offence_code", "offence_description", "offence_from", "offence_to", "complainants",
        "suspects", "outcome_code",
    ),
    "people": (
        "force", "force_reference", "person_id", "role", "forenames", "surname", "aliases",
        "date_of_birth", "sex", "nationality", "alive_status", "alive_status_checked_on",
        "address", "postcode", "address_from", "address_to", "pnc", "interview", "arrested",
        "age_at_first_offence", "review_support", "review_support_recorded_on",
    ),
    "ethnicity": (
        "force", "force_reference", "person_id", "scheme", "code", "label", "basis", "recorded_on",
    ),
    "decisions": (
        "force", "force_reference", "suspect", "crime_reference", "decided_by", "decision",
        "outcome_code", "decided_on", "reason",
    ),
    "previous_reviews": (
        "force", "force_reference", "by", "completed_on", "reference", "outcome",
    ),
}  # fmt: skip

IDENTITY = ("force", "force_reference")
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "referrals": IDENTITY,
    "crimes": (*IDENTITY, "crime_reference"),
    "people": (*IDENTITY, "person_id", "role"),
    "ethnicity": (*IDENTITY, "person_id"),
    "decisions": (*IDENTITY, "suspect", "crime_reference"),
    "previous_reviews": IDENTITY,
}

Kind = Literal["text", "list", "aliases", "yes_no", "whole"]
#: (document field, or "parent.field"; column; how the cell is read)
Spec = tuple[tuple[str, str, Kind], ...]

REFERRAL: Spec = (
    ("force", "force", "text"),
    ("force_reference", "force_reference", "text"),
    ("referred_on", "referred_on", "text"),
    ("referring_officer.name", "referring_officer_name", "text"),
    ("referring_officer.email", "referring_officer_email", "text"),
    ("referring_officer.phone", "referring_officer_phone", "text"),
    ("summary", "summary", "text"),
)
CRIME: Spec = (
    ("crime_reference", "crime_reference", "text"),
    ("recorded_on", "recorded_on", "text"),
    ("offence.scheme", "offence_scheme", "text"),
    ("offence.code", "offence_code", "text"),
    ("offence.description", "offence_description", "text"),
    ("offence_period.from", "offence_from", "text"),
    ("offence_period.to", "offence_to", "text"),
    ("complainants", "complainants", "list"),
    ("suspects", "suspects", "list"),
    ("outcome_code", "outcome_code", "text"),
)
# The address columns and pnc become one-item lists, so they are handled apart
# (_person_extras in assembly.py, _extras_cells in flattening.py).
PERSON: Spec = (
    ("id", "person_id", "text"),
    ("role", "role", "text"),
    ("forenames", "forenames", "text"),
    ("surname", "surname", "text"),
    ("aliases", "aliases", "aliases"),
    ("date_of_birth", "date_of_birth", "text"),
    ("sex", "sex", "text"),
    ("nationality", "nationality", "list"),
    ("alive_status", "alive_status", "text"),
    ("alive_status_checked_on", "alive_status_checked_on", "text"),
    ("interview", "interview", "text"),
    ("arrested", "arrested", "yes_no"),
    ("age_at_first_offence", "age_at_first_offence", "whole"),
    ("review_support", "review_support", "text"),
    ("review_support_recorded_on", "review_support_recorded_on", "text"),
)
ETHNICITY: Spec = (
    ("scheme", "scheme", "text"),
    ("code", "code", "text"),
    ("label", "label", "text"),
    ("basis", "basis", "text"),
    ("recorded_on", "recorded_on", "text"),
)
DECISION: Spec = (
    ("suspect", "suspect", "text"),
    ("crime", "crime_reference", "text"),
    ("decided_by", "decided_by", "text"),
    ("decision", "decision", "text"),
    ("outcome_code", "outcome_code", "text"),
    ("decided_on", "decided_on", "text"),
    ("reason", "reason", "text"),
)
REVIEW: Spec = (
    ("by", "by", "text"),
    ("completed_on", "completed_on", "text"),
    ("reference", "reference", "text"),
    ("outcome", "outcome", "text"),
)
#: The columns of a person's (first) address.
ADDRESS = (
    ("line", "address"),
    ("postcode", "postcode"),
    ("from", "address_from"),
    ("to", "address_to"),
)
_NAME_SEPARATORS = re.compile(r"[\s\-]+")


def sheet_key(name: str) -> str:
    """How sheet names and headers are matched: case and surrounding spaces ignored, and inner
    spaces or hyphens taken as underscores ("Previous reviews" is previous_reviews)."""
    return _NAME_SEPARATORS.sub("_", name.strip().lower())
