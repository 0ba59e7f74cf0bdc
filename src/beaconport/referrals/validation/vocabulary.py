"""The values and field names the Referral Interchange Format allows."""

from __future__ import annotations

from typing import Any

FORMAT = "beaconport.referral/1"

ROLES = frozenset({"suspect", "complainant", "witness"})
SEXES = frozenset({"male", "female", "other", "unknown"})
ALIVE = frozenset({"believed_alive", "deceased", "unknown"})
INTERVIEWS = frozenset({"under_caution", "voluntary", "not_interviewed", "unknown"})
SUPPORT = frozenset({
    "supports", "declines", "undecided", "not_yet_approached", "uncontactable",
    "approach_unsafe", "deceased",
})
DECIDED_BY = frozenset({"police", "cps"})
DECISIONS = frozenset({
    "nfa_evidential", "nfa_public_interest", "nfa_other", "cps_admin_finalised", "charged",
    "out_of_court_disposal", "transferred", "other",
})
OFFENCE_SCHEMES = ("SOA2003", "SOA1956", "HOCODE", "OTHER")
ETHNICITY_SCHEMES = ("SDE16+1", "SDE18+1", "CENSUS2021", "IC6+1", "FREE_TEXT")
CODED_ETHNICITY = frozenset({"SDE16+1", "SDE18+1", "IC6+1"})
BASES = frozenset({"self_defined", "officer_observed", "third_party"})

REFERRAL_KEYS = frozenset({
    "format", "force", "force_reference", "referred_on", "referring_officer", "summary",
    "crimes", "people", "decisions", "previous_reviews",
})
CRIME_KEYS = frozenset({
    "crime_reference", "recorded_on", "offence", "offence_period", "complainants", "suspects",
    "outcome_code",
})
PERSON_KEYS = frozenset({
    "id", "role", "forenames", "surname", "aliases", "date_of_birth", "sex", "nationality",
    "ethnicity", "alive_status", "alive_status_checked_on", "addresses", "identifiers",
    "interview", "arrested", "age_at_first_offence", "review_support",
    "review_support_recorded_on",
})
DECISION_KEYS = frozenset({
    "suspect", "crime", "decided_by", "decision", "outcome_code", "decided_on", "reason",
})
REVIEW_KEYS = frozenset({"by", "completed_on", "reference", "outcome"})
ETHNICITY_KEYS = frozenset({"scheme", "code", "label", "basis", "recorded_on"})
ALIAS_KEYS = frozenset({"forenames", "surname", "nickname"})
SUSPECT_ONLY = ("interview", "arrested")
PERSON_COLUMNS = (
    "forenames", "surname", "aliases", "date_of_birth", "sex", "alive_status",
    "alive_status_checked_on", "addresses", "identifiers", "interview", "arrested",
    "age_at_first_offence", "review_support", "review_support_recorded_on",
)
EMPTY_PERSON: dict[str, Any] = dict.fromkeys(PERSON_COLUMNS)
ADDRESS_KEYS = frozenset({"line", "postcode", "from", "to"})
IDENTIFIER_KEYS = frozenset({"type", "value"})
COMPLAINANT_ONLY = ("age_at_first_offence", "review_support", "review_support_recorded_on")
