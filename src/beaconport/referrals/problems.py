"""Problems found in what a force sent: every error and warning has a stable code.

The codes are part of the Referral Interchange Format's contract (docs/data-format.md lists them),
so forces' systems may act on them. Never rename one; add a new code instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

#: Every code import can report, with what it means. docs/data-format.md is checked against it.
PROBLEM_CODES: dict[str, str] = {
    # Whole-file problems (the file cannot be read at all; exit status 2)
    "file_not_found": "the file or folder does not exist",
    "cannot_open": "the file exists but cannot be read (permissions, or not a regular file)",
    "unsupported_file_type": "the file is not JSON Lines, a workbook (.xlsx, .ods) or CSV files",
    "empty_file": "the file holds no referrals",
    "file_too_large": "the file, or what it unpacks to, is larger than import accepts",
    "zip_bomb": "the archive unpacks to far more than its own size",
    "corrupt_file": "the file is damaged or is not what its name says",
    "not_utf8": "the text is not UTF-8",
    "missing_sheet": "a sheet or CSV file that must be present is missing",
    "missing_column": "a column that must be present is missing",
    "unknown_sheet": "a sheet or CSV file that the format does not define",
    # Carrier problems inside a referral
    "invalid_json": "the line is not valid JSON",
    "line_too_long": "the line is longer than import accepts",
    "not_an_object": "the line holds JSON that is not a referral object",
    "formula_not_allowed": "a cell holds a formula rather than a value",
    "missing_referral_row": "rows name a referral that has no row in the referrals sheet",
    "duplicate_row": "the same referral, person or crime appears on more than one row",
    "missing_identity": "a row does not say which referral it belongs to",
    # Content problems
    "missing_field": "a required field is missing or empty",
    "invalid_type": "a field has the wrong kind of value",
    "invalid_value": "a field has a value that is not one of those allowed",
    "invalid_date": "a date is not a real date written as YYYY, YYYY-MM or YYYY-MM-DD",
    "date_in_future": "a date lies after the day it was imported",
    "date_order": "an end date lies before its start date",
    "too_long": "a field is longer than the format allows",
    "too_many": "a list has more entries than the format allows",
    "unknown_field": "a field the format does not define",
    "unsupported_format": "the format field names a version import does not read",
    "unknown_force": "the force is not a recognised police force code, name or abbreviation",
    "force_not_permitted": "the referral names a force other than the submitter's own",
    "unknown_code": "a code is not in the reference list it should come from",
    "unknown_person_ref": "a crime or decision names a person id that is not in the referral",
    "unknown_crime_ref": "a decision names a crime reference that is not in the referral",
    "wrong_role": "a person is named in a role their record does not have",
    "duplicate_person_id": "two people in the referral share an id",
    "duplicate_crime_ref": "two crimes in the referral share a crime reference",
    "duplicate_decision": "two decisions are given for the same suspect and crime",
    "duplicate_referral": "the same referral appears twice in the file with different content",
    # Warnings: reported, never a reason to reject
    "older_scheme_code": "an ethnicity code that belongs to an older scheme than the one named",
    "unknown_offence_code": "an offence code that is not in the reference list; screening will ask",
    "birth_after_offence": "a date of birth lies after the offending began",
    "decision_before_offence": "a decision is dated before the offending began",
    "unused_person": "a person is not named in any crime or decision",
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with (part of) a referral, in words a force analyst understands."""

    code: str
    location: str
    message: str
    severity: Severity = "error"

    def __post_init__(self) -> None:
        if self.code not in PROBLEM_CODES:
            raise ValueError(f"unregistered problem code {self.code!r}")

    def as_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "location": self.location,
            "message": self.message,
            "severity": self.severity,
        }
