"""Every rule of the format, one problem at a time, on the example referral."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from beaconport.reference.queries import Catalogue
from beaconport.referrals.content import facts_hash
from beaconport.referrals.validation import ReferralValidator

EXAMPLE = json.loads((Path(__file__).parents[1] / "data" / "example_referral.json").read_text())
TODAY = date(2026, 11, 29)


@pytest.fixture
def validator(catalogue: Catalogue) -> ReferralValidator:
    return ReferralValidator(catalogue, today=TODAY)


def _with(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    doc = copy.deepcopy(EXAMPLE)
    change(doc)
    return doc


def test_the_example_is_valid_and_involves_rape(validator: ReferralValidator) -> None:
    checked = validator.check(EXAMPLE)
    assert checked.errors == []
    assert checked.clean is not None
    assert checked.clean.involves_rape
    assert checked.force is not None and checked.force.code == "E23000010"
    assert [p["person_ref"] for p in checked.clean.people] == ["P1", "P2", "P3"]


@pytest.mark.parametrize(
    ("change", "code", "location"),
    [
        (lambda d: d.pop("force_reference"), "missing_field", "force_reference"),
        (lambda d: d.update(force="Borsetshire Police"), "unknown_force", "force"),
        (lambda d: d.update(format="beaconport.referral/9"), "unsupported_format", "format"),
        (lambda d: d.update(referred_on="02/10/2025"), "invalid_date", "referred_on"),
        (lambda d: d.update(referred_on="2025-10"), "invalid_date", "referred_on"),
        (lambda d: d.update(referred_on="2031-01-01"), "date_in_future", "referred_on"),
        (lambda d: d.update(summary="x" * 4001), "too_long", "summary"),
        (lambda d: d.update(force_reference="A\tB"), "invalid_value", "force_reference"),
        (lambda d: d.update(crimes=[]), "missing_field", "crimes"),
        (lambda d: d.update(people="P1, P2"), "invalid_type", "people"),
        (lambda d: d["people"][0].update(date_of_birth="1980-02-30"), "invalid_date",
         "people[0].date_of_birth"),
        (lambda d: d["people"][0].update(sex="M"), "invalid_value", "people[0].sex"),
        (lambda d: d["people"][0].update(arrested="yes"), "invalid_type", "people[0].arrested"),
        (lambda d: d["people"][2].update(age_at_first_offence="14"), "invalid_type",
         "people[2].age_at_first_offence"),
        (lambda d: d["people"][1].update(id="P1"), "duplicate_person_id", "people[1].id"),
        (lambda d: d["people"][0].update(nationality=["UK"]), "unknown_code",
         "people[0].nationality[0]"),
        (lambda d: d["people"][0]["ethnicity"][0].update(code="Z9"), "unknown_code",
         "people[0].ethnicity[0].code"),
        (lambda d: d["people"][0]["ethnicity"][0].update(scheme="ONS"), "invalid_value",
         "people[0].ethnicity[0].scheme"),
        (lambda d: d["people"][2].update(interview="voluntary"), "wrong_role",
         "people[2].interview"),
        (lambda d: d["crimes"][0]["suspects"].append("P9"), "unknown_person_ref",
         "crimes[0].suspects[2]"),
        (lambda d: d["crimes"][0]["complainants"].append("P1"), "wrong_role",
         "crimes[0].complainants[1]"),
        (lambda d: d["crimes"][0].update(outcome_code="99"), "unknown_code",
         "crimes[0].outcome_code"),
        (lambda d: d["crimes"][0]["offence"].update(scheme="SOA1861"), "invalid_value",
         "crimes[0].offence.scheme"),
        (lambda d: d["crimes"][0].update(offence_period={"from": "2014", "to": "2013"}),
         "date_order", "crimes[0].offence_period.to"),
        (lambda d: d["crimes"].append(copy.deepcopy(d["crimes"][0])), "duplicate_crime_ref",
         "crimes[1].crime_reference"),
        (lambda d: d["decisions"][0].update(crime="999"), "unknown_crime_ref",
         "decisions[0].crime"),
        (lambda d: d["decisions"][0].update(suspect="P3"), "wrong_role", "decisions[0].suspect"),
        (lambda d: d["decisions"][0].update(decision="dropped"), "invalid_value",
         "decisions[0].decision"),
        (lambda d: d["decisions"].append(copy.deepcopy(d["decisions"][0])),
         "duplicate_decision", "decisions[2]"),
    ],
)
def test_each_error_is_reported_with_code_and_location(
    validator: ReferralValidator, change: Callable[[dict[str, Any]], None], code: str,
    location: str,
) -> None:
    checked = validator.check(_with(change))
    assert checked.clean is None
    assert (code, location) in [(p.code, p.location) for p in checked.errors]
    assert all((p.message and p.message[0].isupper()) or p.message[0] == "'"
               for p in checked.problems)


def test_every_error_in_a_referral_is_reported_together(validator: ReferralValidator) -> None:
    def break_it(d: dict[str, Any]) -> None:
        d["force"] = "Borsetshire"
        d["people"][0]["date_of_birth"] = "31/02/2014"
        d["crimes"][0]["outcome_code"] = "99"
        d["decisions"][1]["decided_by"] = "magistrates"

    codes = sorted(p.code for p in validator.check(_with(break_it)).errors)
    assert codes == ["invalid_date", "invalid_value", "unknown_code", "unknown_force"]


def test_a_list_where_a_choice_belongs_is_reported_not_a_crash(
        validator: ReferralValidator) -> None:
    def break_it(d: dict[str, Any]) -> None:
        d["decisions"][0]["decision"] = []
        d["people"][0]["role"] = {"role": "suspect"}

    errors = validator.check(_with(break_it)).errors
    assert {p.location for p in errors} >= {"decisions[0].decision", "people[0].role"}


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda d: d["people"][2]["ethnicity"][0].update(code="O1"), "older_scheme_code"),
        (lambda d: d["crimes"][0]["offence"].update(code="s999"), "unknown_offence_code"),
        (lambda d: d["people"][0].update(date_of_birth="2014"), "birth_after_offence"),
        (lambda d: d["decisions"][0].update(decided_on="2012-01-01"), "decision_before_offence"),
        (lambda d: d.update(priority="high"), "unknown_field"),
    ],
)
def test_warnings_do_not_reject(
    validator: ReferralValidator, change: Callable[[dict[str, Any]], None], code: str
) -> None:
    checked = validator.check(_with(change))
    assert checked.clean is not None
    assert code in [p.code for p in checked.warnings]


def test_forces_are_recognised_by_name_and_abbreviation(validator: ReferralValidator) -> None:
    for name in ("West Yorkshire Police", "WYP", "west-yorkshire", "E23000010"):
        checked = validator.check(_with(lambda d, n=name: d.update(force=n)))
        assert checked.force is not None and checked.force.code == "E23000010", name
    scotland = validator.check(_with(lambda d: d.update(force="Police Scotland")))
    assert scotland.force is not None and not scotland.force.in_scope


def test_an_unknown_offence_code_under_other_is_accepted_silently(
    validator: ReferralValidator,
) -> None:
    checked = validator.check(_with(
        lambda d: d["crimes"][0].update(offence={"scheme": "OTHER", "code": "XYZ s12"})))
    assert checked.clean is not None
    assert checked.clean.crimes[0]["is_sexual"] is None
    assert not checked.clean.involves_rape


def test_not_an_object(validator: ReferralValidator) -> None:
    assert [p.code for p in validator.check(["a list"]).problems] == ["not_an_object"]


def test_the_facts_hash_ignores_order_spelling_of_codes_and_unknown_fields(
    validator: ReferralValidator,
) -> None:
    def reshuffle(d: dict[str, Any]) -> None:
        d["force"] = "West Yorkshire Police"
        d["people"][0]["sex"] = "Male"
        d["people"][0]["surname"] = " Smith "
        d["note"] = "not a field"
        d["people"].reverse()
        d["crimes"][0]["suspects"].reverse()
        d["decisions"].reverse()

    same = validator.check(_with(reshuffle)).clean
    original = validator.check(EXAMPLE).clean
    assert same is not None and original is not None
    assert facts_hash(same) == facts_hash(original)
    changed = validator.check(_with(lambda d: d["people"][0].update(date_of_birth="1981")))
    assert changed.clean is not None and facts_hash(changed.clean) != facts_hash(original)
