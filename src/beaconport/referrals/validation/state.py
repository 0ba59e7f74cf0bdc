"""What checking one referral knows as it goes: the people and crimes it declares."""

from __future__ import annotations

from datetime import date
from typing import Any

from beaconport.dates import PartialDate
from beaconport.reference.queries import Catalogue
from beaconport.referrals import fields as f


class CheckState:
    """Shared by the checks of people, crimes and the referral itself."""

    def __init__(self, catalogue: Catalogue, today: date, report: f.Report,
                 doc: dict[str, Any]) -> None:
        self.cat = catalogue
        self.today = today
        self.r = report
        self.doc = doc
        #: person id -> role, for every person declared so far
        self.roles: dict[str, str] = {}
        self.dob: dict[str, PartialDate] = {}
        self.crime_refs: set[str] = set()
        #: crime reference -> start of its offence period
        self.starts: dict[str, PartialDate] = {}


def as_text(value: PartialDate | None) -> str | None:
    return None if value is None else str(value)
