"""Each published figure against a count made another way, on both engines, on generated
referrals: the generator's own truth (what it sent, and the screening decision its rules
expect), the documents themselves with the reference data's codes read straight from their
file, and plain SQL over the tables the review writes. None of it goes through the statistics
code."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import distinct, func, select
from tests.integration.test_triage import _import

from beaconport.db import session_scope
from beaconport.demo.accounts import create_demo_accounts
from beaconport.demo.generator import generate
from beaconport.demo.reviews import add_demo_reviews
from beaconport.people import service as people
from beaconport.people.models import NominalRecord
from beaconport.referrals.models import Nationality, PersonRecord, Referral, ReferralVersion
from beaconport.review.models import OutcomeEvent, PanelDecision
from beaconport.safeguarding.models import AuthorityReferral
from beaconport.screening.rules import CRITERION_LABELS
from beaconport.stats import figures
from beaconport.working_days import uk_day

CODES = Path(__file__).parents[2] / "src/beaconport/reference/data/ethnicity_codes.csv"


def _completeness(observations: list[dict[str, Any]], codes: dict[tuple[str, str], bool]
                  ) -> str:
    """Recorded if any recognised code is not a "not stated" one; not stated if only such."""
    known = [codes[(o["scheme"], o.get("code") or o.get("label", ""))] for o in observations
             if (o["scheme"], o.get("code") or o.get("label", "")) in codes]
    if any(not means_not_stated for means_not_stated in known):
        return "Recorded"
    return "Not stated" if known else "Not recorded"


def _period(documents: dict[str, Any]) -> str:
    years = [int(c["recorded_on"][:4]) for c in documents["crimes"] if c.get("recorded_on")]
    if not years:
        return "Year not known"
    year = min(years)
    if year < 2010:
        return "Before 2010"
    if year >= 2025:
        return "2025 and later"
    start = 2010 + 3 * ((year - 2010) // 3)
    return f"{start} to {start + 2}"


def _table(computed: figures.Figures, key: str) -> dict[str, tuple[int, ...]]:
    table = next(t for t in computed.tables if t.key == key)
    return dict(zip(table.rows, table.counts, strict=True))


def test_every_figure_matches_an_independent_count(db_url: str, tmp_path: Path) -> None:
    made = generate(90, 11)
    truth = made.truth["screening"]
    _import(db_url, tmp_path, *made.documents)
    people.link_all(lambda: session_scope(db_url), actor="test")
    with session_scope(db_url) as session:
        before = figures.compute(session, uk_day())
    headline = {f.key: f.value for f in before.headline}

    # What was sent, and what the generator's rules say screening decides.
    assert headline["referrals"] == len(truth) == 90
    assert headline["rape"] == sum(1 for t in truth if t["involves_rape"])
    assert headline["forces"] == len({t["force"] for t in truth})
    assert headline["crimes"] == sum(len(d["crimes"]) for d in made.documents)
    decided = Counter(t["decision"] for t in truth)
    stages = _table(before, "stages")
    assert sum(stages["Eligible: waiting for allocation"]) == decided["eligible"]
    assert sum(stages["Ineligible"]) == decided["ineligible"]
    assert sum(stages["Needs information"]) == decided["needs_information"]
    assert sum(stages["Not yet screened"]) == 0
    rape_by_decision = Counter(t["decision"] for t in truth if t["involves_rape"])
    assert stages["Ineligible"][0] == rape_by_decision["ineligible"]
    failing = Counter(c for t in truth if t["decision"] == "ineligible" for c in t["failed"])
    criteria = _table(before, "criteria")
    for code, label in CRITERION_LABELS.items():
        assert criteria[label] == (failing[code],), code

    # Whether ethnicity was recorded, from the documents and the reference data's own file.
    with CODES.open(encoding="utf-8") as listed:
        codes = {(row["scheme"], key): row["means_not_stated"] == "true"
                 for row in csv.DictReader(listed) for key in (row["code"], row["label"])}
    for role in ("suspect", "complainant"):
        expected: dict[str, Counter[str]] = {}
        for document in made.documents:
            for person in document["people"]:
                if person["role"] == role:
                    expected.setdefault(_period(document), Counter())[
                        _completeness(person.get("ethnicity") or [], codes)] += 1
        recording = _table(before, f"recording_{role}")
        assert set(recording) == set(expected)
        for period, counts in recording.items():
            assert counts == tuple(expected[period][k] for k in (
                "Recorded", "Not stated", "Not recorded")), (role, period)

    # Persons counted once: the nominal index's persons in the role, by plain SQL.
    with session_scope(db_url) as session:
        for role in ("suspect", "complainant"):
            linked = session.scalar(
                select(func.count(distinct(NominalRecord.nominal_id)))
                .join(PersonRecord, PersonRecord.id == NominalRecord.person_record_id)
                .join(ReferralVersion, ReferralVersion.id == PersonRecord.version_id)
                .join(Referral, (Referral.id == ReferralVersion.referral_id)
                      & (Referral.current_version == ReferralVersion.number))
                .where(NominalRecord.role == role))
            table = next(t for t in before.tables if t.key == f"ethnicity_{role}")
            assert sum(c[0] for r, c in enumerate(table.counts) if r not in table.groups) \
                == linked, role
            # Nationality: persons with none recorded on any of their records, by plain SQL.
            with_one = session.scalar(
                select(func.count(distinct(NominalRecord.nominal_id)))
                .join(Nationality, Nationality.person_record_id == NominalRecord.person_record_id)
                .where(NominalRecord.role == role))
            nationality = _table(before, f"nationality_{role}")
            assert sum(c[0] for c in nationality.values()) == linked
            assert nationality["Not recorded"] == (linked - with_one,), role

    # Then the review: panel decisions, outcomes and safeguarding against their own tables.
    with session_scope(db_url) as session:
        create_demo_accounts(session, actor="test")
        add_demo_reviews(session, actor="test", cases=6, seed=5)
    with session_scope(db_url) as session:
        after = figures.compute(session, uk_day())
        panel = Counter(session.scalars(select(PanelDecision.outcome)))
        decided_cases = session.scalar(select(func.count(distinct(PanelDecision.referral_id))))
        ledger = Counter(event for event, _, _ in set(session.execute(
            select(OutcomeEvent.event, OutcomeEvent.referral_id, OutcomeEvent.person_ref))))
        sent = session.scalar(select(func.count()).select_from(AuthorityReferral)
                              .where(AuthorityReferral.sent_at_utc.is_not(None)))
        acknowledged = session.scalar(select(func.count()).select_from(AuthorityReferral)
                                      .where(AuthorityReferral.acknowledged_at_utc.is_not(None)))
    assert sum(panel.values()) > 0
    assert _table(after, "panel") == {label: (panel[key],)
                                     for key, label in figures.OUTCOME_LABELS.items()}
    headline = {f.key: f.value for f in after.headline}
    assert headline["reinvestigations"] == sum(panel[k] for k in figures.REINVESTIGATIONS)
    for event in ("arrested", "charged", "convicted"):
        assert headline[event] == ledger[event], event
    assert (headline["safeguarding_sent"], headline["safeguarding_acknowledged"]) == (
        sent, acknowledged)
    assert sum(_table(after, "stages")["Eligible: decided by the panel"]) == decided_cases
