"""Ethnicity for statistics on both engines: each person counted once after linkage, in each
role apart, with the best available value by rule across all their records; "not stated" and
"not recorded" counted as figures of their own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.integration.helpers import example
from tests.integration.test_triage import _import

from beaconport.db import session_scope
from beaconport.people import service
from beaconport.stats import ethnicity as e
from beaconport.stats import queries


def _doc(reference: str, *, suspect_ethnicity: list[dict[str, Any]],
         other_ethnicity: list[dict[str, Any]]) -> dict[str, Any]:
    doc = example(reference)
    suspect, other = doc["people"][0], doc["people"][1]
    suspect.update(forenames="Tariq", surname="Hussainov", date_of_birth="1979-04-12",
                   ethnicity=suspect_ethnicity)
    other.update(forenames=f"Other{reference[-1]}", surname=f"Person{reference[-1]}",
                 date_of_birth=f"198{reference[-1]}-01-0{reference[-1]}",
                 ethnicity=other_ethnicity)
    return doc


def test_each_person_counted_once_with_the_best_value(db_url: str, tmp_path: Path) -> None:
    observed = [{"scheme": "IC6+1", "code": "IC4", "basis": "officer_observed"}]
    self_defined = [{"scheme": "SDE18+1", "code": "A2", "basis": "self_defined",
                     "recorded_on": "2013-06-01"}]
    _import(db_url, tmp_path,
            _doc("WYP/E/1", suspect_ethnicity=observed,
                 other_ethnicity=[{"scheme": "SDE18+1", "code": "NS", "basis": "self_defined"}]),
            _doc("WYP/E/2", suspect_ethnicity=self_defined, other_ethnicity=[]))
    service.link_all(lambda: session_scope(db_url), actor="test")
    with session_scope(db_url) as session:
        suspects = queries.persons_ethnicity(session, queries.SUSPECTS)
        complainants = queries.persons_ethnicity(session, queries.COMPLAINANTS)
    # Tariq appears in both referrals: one person, self-defined Pakistani over observed IC4.
    tariq = [b for b in suspects.persons if b.code == "A2"]
    assert len(tariq) == 1 and tariq[0].basis == e.SELF_DEFINED and tariq[0].sde18 == "A2"
    assert not [b for b in suspects.persons if b.code == "IC4"]
    counted = e.completeness(suspects.persons)
    assert counted[e.NOT_STATED] == 1 and counted[e.NOT_RECORDED] >= 1
    assert "counted once" in suspects.unit
    # Complainants are counted apart, whatever the suspects' figures.
    assert len(complainants.persons) >= 1 and complainants.role == "complainant"
