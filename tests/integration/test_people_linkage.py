"""Linking the database's person records into the nominal index (real Splink on DuckDB, on
SQLite and PostgreSQL), people's decisions binding later runs, and the standalone file link."""

from __future__ import annotations

import csv
import itertools
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from tests.integration.helpers import write_jsonl

from beaconport.audit.models import AuditEvent
from beaconport.db import session_scope
from beaconport.demo.generator import generate
from beaconport.errors import InvalidRequest, NotFound
from beaconport.people import files, relational, service
from beaconport.people.models import CandidatePair, LinkDecision, NominalRecord
from beaconport.referrals.importer import import_file
from beaconport.referrals.models import PersonRecord, Referral


@pytest.fixture
def linked(db_url: str, tmp_path: Path) -> dict[str, Any]:
    made = generate(200, seed=5)
    import_file(write_jsonl(tmp_path / "r.jsonl", made.documents), actor="test",
                unit_of_work=lambda: session_scope(db_url))
    summary = service.link_all(lambda: session_scope(db_url), actor="test")
    return {"truth": made.truth, "summary": summary}


def _index(url: str) -> dict[tuple[str, str, str], tuple[uuid.UUID, uuid.UUID, str]]:
    """(force, reference, person) -> (record id, nominal id, role)."""
    with session_scope(url) as session:
        return {(force, reference, ref): (rid, nominal, role)
                for force, reference, ref, rid, nominal, role in session.execute(
                    select(Referral.force_code, Referral.force_reference,
                           NominalRecord.person_ref, NominalRecord.id,
                           NominalRecord.nominal_id, NominalRecord.role)
                    .join(Referral, Referral.id == NominalRecord.referral_id))}


def test_every_current_person_is_indexed_and_true_matches_are_found(
        db_url: str, linked: dict[str, Any]) -> None:
    index = _index(db_url)
    truth = linked["truth"]["persons"]
    assert len(index) == sum(len(p["records"]) for p in truth) == linked["summary"].records
    together = apart = wrong = 0
    entity_of = {}
    for person in truth:
        keys = [(r["force"], r["force_reference"], r["person_id"]) for r in person["records"]]
        for key in keys:
            entity_of[key] = person["entity"]
        for a, b in itertools.combinations(keys, 2):
            together += index[a][1] == index[b][1]
            apart += index[a][1] != index[b][1]
    by_nominal: dict[uuid.UUID, set[str]] = {}
    for key, (_, nominal, _) in index.items():
        by_nominal.setdefault(nominal, set()).add(entity_of[key])
    wrong = sum(len(entities) - 1 for entities in by_nominal.values())
    assert together / (together + apart) > 0.8, (together, apart)
    assert wrong <= 2, "records of different people are almost never joined"


def test_a_run_again_keeps_every_nominal_and_decisions_bind_later_runs(
        db_url: str, linked: dict[str, Any]) -> None:
    before = _index(db_url)
    again = service.link_all(lambda: session_scope(db_url), actor="test")
    assert (again.merged, again.split) == (0, 0)
    assert _index(db_url) == before, "the same records keep the same nominals"

    with session_scope(db_url) as session:
        pair = session.execute(select(CandidatePair.record_a, CandidatePair.record_b)
                               .where(CandidatePair.status == "linked")).first()
        assert pair is not None
        session.add(LinkDecision(record_a=pair[0], record_b=pair[1], decision="different",
                                 reason="Different dates of birth on the custody records",
                                 decided_by="test", decided_at_utc=_now()))
    split = service.link_all(lambda: session_scope(db_url), actor="test")
    nominal = {rid: n for rid, n, _ in _index(db_url).values()}
    assert nominal[pair[0]] != nominal[pair[1]] and split.split >= 1
    with session_scope(db_url) as session:
        changes = session.scalars(select(AuditEvent.data).where(
            AuditEvent.action == "people:nominal:changed")).all()
    assert any(c and c["change"] == "split" for c in changes)

    with session_scope(db_url) as session:
        session.add(LinkDecision(record_a=pair[0], record_b=pair[1], decision="same",
                                 reason="Confirmed by the PNC record after all",
                                 decided_by="test", decided_at_utc=_now()))
    service.link_all(lambda: session_scope(db_url), actor="test")
    nominal = {rid: n for rid, n, _ in _index(db_url).values()}
    assert nominal[pair[0]] == nominal[pair[1]], "the latest decision binds"


def test_roles_stay_the_records_own(db_url: str, linked: dict[str, Any]) -> None:
    roles = {role for _, _, role in _index(db_url).values()}
    assert roles <= {"suspect", "complainant", "witness"} and "suspect" in roles


def _now() -> Any:
    from beaconport import clock
    return clock.now()


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_standalone_file_is_linked_into_persons(tmp_path: Path) -> None:
    rows = [
        {"record_id": "1", "forenames": "Mohammed", "surname": "Hussain",
         "aliases": "Mo Hussain;Big H", "date_of_birth": "1980-05-02", "sex": "male",
         "postcode": "LS1 4AP", "address": "1 Example Street, Leeds"},
        {"record_id": "2", "forenames": "Muhammad", "surname": "Hussein", "aliases": "",
         "date_of_birth": "1980-02-05", "sex": "male", "postcode": "LS1 4AP", "address": ""},
        {"record_id": "3", "forenames": "Jane", "surname": "Example", "aliases": "",
         "date_of_birth": "1999", "sex": "female", "postcode": "", "address": ""},
        {"record_id": "4", "forenames": "Robert", "surname": "Smith", "aliases": "",
         "date_of_birth": "02/05/1980", "sex": "male", "postcode": "M1 1AA", "address": ""},
    ]
    source, output = _write(tmp_path / "in.csv", rows), tmp_path / "out.csv"
    done = files.link_file(source, output)
    assert (done.records, done.persons, done.trained) == (4, 3, False)
    assert any("02/05/1980" in w for w in done.warnings)
    with output.open(encoding="utf-8") as handle:
        found = {r["record_id"]: r for r in csv.DictReader(handle)}
    assert list(next(iter(found.values()))) == ["record_id", "person_id", "match_probability"]
    assert found["1"]["person_id"] == found["2"]["person_id"] != found["3"]["person_id"]
    assert float(found["1"]["match_probability"]) >= files.LINK_AT
    assert found["3"]["match_probability"] == ""


def _group_referrals() -> list[dict[str, str]]:
    """Thirty pairs of referrals, each naming two co-suspects written alike in both (full date
    of birth and address), a suspect named alike with nothing else, and a complainant of that
    name; and 250 pairs of referrals naming namesakes born years apart."""
    import random

    rng = random.Random(3)
    letters = "abcdefghijklmnopqrstuvwxyz"

    def name() -> tuple[str, str]:
        return ("".join(rng.choice(letters) for _ in range(7)).title(),
                "".join(rng.choice(letters) for _ in range(8)).title())

    rows: list[dict[str, str]] = []

    def row(referral: str, role: str, who: tuple[str, str], born: str = "",
            code: str = "", line: str = "", sex: str = "male") -> None:
        rows.append({"record_id": f"{referral}-{len(rows)}", "forenames": who[0],
                     "surname": who[1], "aliases": "", "date_of_birth": born, "sex": sex,
                     "postcode": code, "address": line, "referral": referral, "role": role})

    for i in range(30):
        co, co2, target, child = name(), name(), name(), name()
        for side in "AB":
            row(f"G{i}{side}", "suspect", co, "1980-03-04", "LS1 4AP", f"{i} Example Street")
            row(f"G{i}{side}", "suspect", co2, "1985-06-07", "LS2 7XY", f"{i} Other Road")
            row(f"G{i}{side}", "suspect", target)
        row(f"G{i}B", "complainant", target)
        row(f"G{i}A", "complainant", child, sex="female")
    for i in range(250):
        first, second = name(), name()
        for side, born in (("C", "1961-03-04"), ("D", "1985-07-09")):
            row(f"N{i}{side}", "suspect", first, born)
            row(f"N{i}{side}", "suspect", second, born)
    return rows


def test_referrals_naming_a_linked_co_suspect_link_namesakes_a_file_alone_cannot(
        tmp_path: Path) -> None:
    rows = _group_referrals()
    with_referrals = _write(tmp_path / "with.csv", rows)
    without = _write(tmp_path / "without.csv", [
        {k: v for k, v in r.items() if k not in ("referral", "role")} for r in rows])
    found = {}
    for source in (with_referrals, without):
        files.link_file(source, tmp_path / "out.csv")
        with (tmp_path / "out.csv").open(encoding="utf-8") as handle:
            found[source] = {r["record_id"]: r["person_id"] for r in csv.DictReader(handle)}
    by_referral: dict[str, dict[str, list[str]]] = {}
    for r in rows:
        by_referral.setdefault(r["referral"], {}).setdefault(r["role"], []).append(
            r["record_id"])
    for i in range(30):
        a, b = by_referral[f"G{i}A"]["suspect"][2], by_referral[f"G{i}B"]["suspect"][2]
        complainant = by_referral[f"G{i}B"]["complainant"][0]
        assert found[with_referrals][a] == found[with_referrals][b], "the same suspect"
        assert found[without][a] != found[without][b], "fields alone are not enough"
        assert found[with_referrals][complainant] not in (
            found[with_referrals][a], found[with_referrals][b]), "never across roles"
    persons = found[with_referrals]
    for i in range(250):
        c, d = by_referral[f"N{i}C"]["suspect"], by_referral[f"N{i}D"]["suspect"]
        assert persons[c[0]] != persons[d[0]] and persons[c[1]] != persons[d[1]]


def test_a_file_that_cannot_be_linked_says_why_and_writes_nothing(tmp_path: Path) -> None:
    output = tmp_path / "out.csv"
    bad = _write(tmp_path / "bad.csv", [{"record_id": "1", "surname": "A"},
                                        {"record_id": "1", "surname": "B"},
                                        {"record_id": "", "surname": "C"}])
    with pytest.raises(InvalidRequest, match=r"row 3: record_id .1. is also on row 2.*row 4"):
        files.link_file(bad, output)
    no_id = _write(tmp_path / "noid.csv", [{"id": "1", "surname": "A"}])
    with pytest.raises(InvalidRequest, match="no record_id column"):
        files.link_file(no_id, output)
    with pytest.raises(InvalidRequest, match="cannot be read"):
        files.link_file(tmp_path / "missing.csv", output)
    assert not output.exists()


def test_a_full_run_weighs_who_else_the_referrals_name_and_keeps_its_factors(
        db_url: str, tmp_path: Path) -> None:
    from beaconport.people.models import LinkageRun

    # Enough referrals for the evidence's m and u to be counted (too few have none).
    made = generate(600, seed=5)
    import_file(write_jsonl(tmp_path / "r.jsonl", made.documents), actor="test",
                unit_of_work=lambda: session_scope(db_url))
    service.link_all(lambda: session_scope(db_url), actor="test")
    with session_scope(db_url) as session:
        model = session.scalars(select(LinkageRun.model)).one()
        roles = {r.id: (r.referral_id, r.role) for r in session.scalars(select(NominalRecord))}
        pairs = session.scalars(select(CandidatePair)).all()
    factors = model["relational"]
    assert "suspect" in factors, "suspects are referred together again and again"
    assert factors["suspect"]["m"] > factors["suspect"]["u"]
    weighed = [p for p in pairs if "relational" in p.evidence]
    assert weighed
    for p in weighed:
        (ref_a, role_a), (ref_b, role_b) = roles[p.record_a], roles[p.record_b]
        assert role_a == role_b and ref_a != ref_b
        assert p.evidence["name"][0] in relational.NAME_AGREES
    # A new referral naming two suspects of one referral again: one as fully as before, the
    # other by name only. The second pair carries the evidence as it arrives (its weight, from
    # a few hundred referrals, is a few bits: how far it lifts the pair varies with them).
    with session_scope(db_url) as session:
        rows = session.execute(
            select(NominalRecord.referral_id, NominalRecord.id, PersonRecord)
            .join(PersonRecord, PersonRecord.id == NominalRecord.person_record_id)
            .where(NominalRecord.role == "suspect",
                   func.length(PersonRecord.date_of_birth) == 10,
                   PersonRecord.forenames.is_not(None), PersonRecord.surname.is_not(None))
            .order_by(NominalRecord.referral_id, NominalRecord.person_ref)).all()
    by_referral: dict[uuid.UUID, list[Any]] = {}
    for referral_id, record_id, person in rows:
        by_referral.setdefault(referral_id, []).append((record_id, person))
    # Several such referrals, each in a new one: whether one pair is lifted depends on how
    # common its name is (a rare name is linked by the name alone and needs nothing more), so
    # the evidence must show on some, and wherever it shows it must lift the pair.
    from tests.integration.helpers import example
    chosen = [v[:2] for v in by_referral.values() if len(v) >= 2][:6]
    docs = []
    for n, ((_, first), (_, second)) in enumerate(chosen):
        doc = example(f"WYP/NEW/2024/{n:05d}")
        doc["people"][0] = {"id": "P1", "role": "suspect", "forenames": first.forenames,
                            "surname": first.surname, "date_of_birth": first.date_of_birth,
                            "sex": first.sex or "male", "addresses": first.addresses or [],
                            "alive_status": "believed_alive"}
        doc["people"][1] = {"id": "P2", "role": "suspect", "forenames": second.forenames,
                            "surname": second.surname, "sex": second.sex or "male",
                            "alive_status": "believed_alive"}
        docs.append(doc)
    from beaconport.screening.service import screen_stored
    import_file(write_jsonl(tmp_path / "new.jsonl", docs), actor="test",
                unit_of_work=lambda: session_scope(db_url), after_chunk=screen_stored("test"))
    lifted = 0
    with session_scope(db_url) as session:
        for n, (_, (second_id, _)) in enumerate(chosen):
            new = session.scalars(select(NominalRecord).join(
                Referral, Referral.id == NominalRecord.referral_id).where(
                Referral.force_reference == f"WYP/NEW/2024/{n:05d}",
                NominalRecord.person_ref == "P2")).one()
            pair = session.scalars(select(CandidatePair).where(
                CandidatePair.record_a.in_([new.id, second_id]),
                CandidatePair.record_b.in_([new.id, second_id]))).one_or_none()
            if pair is None or "relational" not in pair.evidence:
                continue
            label, bits = pair.evidence["relational"]
            assert "another suspect linked as one person" in label and bits > 0
            fields_alone = 1 / (1 + 2 ** -(pair.weight - bits))
            assert pair.probability > fields_alone and fields_alone < service.LINK_AT
            lifted += 1
    assert lifted, "the evidence lifts at least one pair"


def test_a_clerical_decision_merges_or_splits_at_once(db_url: str,
                                                       linked: dict[str, Any]) -> None:
    from beaconport.auth.permissions import Role
    from beaconport.auth.policy import Grant, Principal
    from beaconport.people import review

    reviewer = Principal(uuid.uuid4(), "r", "R", (Grant(Role.REVIEWER),))
    force = Principal(uuid.uuid4(), "f", "F", (Grant(Role.FORCE_SUBMITTER, "E23000010"),))
    with session_scope(db_url) as session:
        queue = review.waiting(session, reviewer)
        assert queue and review.waiting(session, force) == []
        pair = session.get_one(CandidatePair, queue[0])
        a, b = pair.record_a, pair.record_b
        with pytest.raises(InvalidRequest, match="10 characters"):
            review.decide(session, principal=reviewer, actor=reviewer.actor, pair_id=queue[0],
                          decision="same", reason="yes")
        with pytest.raises(NotFound):
            review.decide(session, principal=force, actor=force.actor, pair_id=queue[0],
                          decision="same", reason="Same PNC on both custody records")
    with session_scope(db_url) as session:
        done = review.decide(session, principal=reviewer, actor=reviewer.actor,
                             pair_id=queue[0], decision="same",
                             reason="Same PNC on both custody records")
    nominal = {rid: n for rid, n, _ in _index(db_url).values()}
    assert nominal[a] == nominal[b]
    assert done.change in ("merged", None)
    with session_scope(db_url) as session:
        done = review.decide(session, principal=reviewer, actor=reviewer.actor,
                             pair_id=queue[0], decision="different",
                             reason="Twins: the birth records show two people")
    nominal = {rid: n for rid, n, _ in _index(db_url).values()}
    assert done.change == "split" and nominal[a] != nominal[b]
    again = service.link_all(lambda: session_scope(db_url), actor="test")
    nominal = {rid: n for rid, n, _ in _index(db_url).values()}
    assert nominal[a] != nominal[b], "a run never undoes a person's decision"
    assert again.records > 0


def test_referrals_sharing_a_complainant_and_a_suspect_are_possible_duplicates(
        db_url: str, tmp_path: Path) -> None:
    from tests.integration.helpers import example

    from beaconport.screening import duplicates
    from beaconport.screening.models import PossibleDuplicate

    first = example("WYP/CSE/2014/00001")
    for person in first["people"][1:]:  # full dates of birth: a year alone is not enough
        person["date_of_birth"] += "-04-02"
    again = example("GMP/CSE/2016/00077", force="E23000005", people=first["people"])
    for crime in again["crimes"]:
        crime["crime_reference"] = "06160099999"
    for decision in again["decisions"]:
        decision["crime"] = "06160099999"
    unrelated = example("WYP/CSE/2014/00002")
    unrelated["people"][2].update(forenames="Someone", surname="Else", date_of_birth="2001")
    import_file(write_jsonl(tmp_path / "d.jsonl", [first, again, unrelated]), actor="test",
                unit_of_work=lambda: session_scope(db_url))
    service.link_all(lambda: session_scope(db_url), actor="test")
    with session_scope(db_url) as session:
        assert duplicates.note_shared_people(session) == 1
        assert duplicates.note_shared_people(session) == 0, "each pair is listed once"
        pair = session.scalars(select(PossibleDuplicate).where(
            PossibleDuplicate.basis == "shared_people")).one()
        references = set(session.scalars(select(Referral.force_reference).where(
            Referral.id.in_([pair.referral_a, pair.referral_b]))))
    assert references == {"WYP/CSE/2014/00001", "GMP/CSE/2016/00077"}
    assert "1 complainant(s) and 2 suspect(s)" in pair.detail


def test_the_co_suspect_network_and_its_groups(db_url: str, linked: dict[str, Any],
                                               tmp_path: Path) -> None:
    import json
    import xml.etree.ElementTree as ET

    from beaconport.auth.permissions import Role
    from beaconport.auth.policy import Grant, Principal
    from beaconport.people import network

    with session_scope(db_url) as session:
        graph = network.co_suspect_graph(session, None)
        one_force = network.co_suspect_graph(session, Principal(
            uuid.uuid4(), "f", "F", (Grant(Role.FORCE_SUBMITTER, "E23000010"),)))
    roles = {n: r for _, n, r in _index(db_url).values()}
    assert graph.number_of_nodes() > 0 and all(roles[uuid.UUID(n)] == "suspect"
                                               for n in graph.nodes), "only suspects"
    assert set(one_force.nodes) < set(graph.nodes)
    found = network.groups(graph)
    assert found and all(len(g.nominals) >= 2 for g in found)
    assert all(sorted(n for c in g.communities for n in c) == g.nominals for g in found)
    spanning = network.groups(graph, several_forces=True)
    assert all(len(g.forces) > 1 for g in spanning)

    path = tmp_path / "net.json"
    with session_scope(db_url) as session:
        suspects, ties = network.export_to(session, path, actor="test",
                                           justification="Briefing the national team",
                                           recipient="National analysis cell")
    body = json.loads(path.read_text(encoding="utf-8"))
    assert (len(body["nodes"]), len(body["edges"])) == (suspects, ties)
    assert {"id", "nominals", "forces", "communities"} <= set(body["groups"][0])
    graphml = tmp_path / "net.graphml"
    with session_scope(db_url) as session:
        network.export_to(session, graphml, actor="test", nominal=found[0].id,
                          justification="Briefing the national team", recipient="NCA analyst")
        with pytest.raises(InvalidRequest, match="disclosure"):
            network.export_to(session, tmp_path / "x.json", actor="test", justification="",
                              recipient="")
        exported = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "people:network:exported")).all()
    assert ET.parse(graphml).getroot().tag.endswith("graphml")
    assert len(exported) == 2 and exported[0].recipient == "National analysis cell"


def test_the_clerical_queue_page_shows_pairs_side_by_side_and_records_decisions(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    import re

    from tests.integration.test_web_access import assert_valid_html
    from tests.integration.web_support import sign_in

    from beaconport.demo.accounts import create_demo_accounts
    from beaconport.settings import get_settings

    monkeypatch.setenv("BEACONPORT_DATABASE_URL", db_url)
    get_settings.cache_clear()
    from fastapi.testclient import TestClient

    from beaconport.main import create_app

    made = generate(200, seed=5)
    import_file(write_jsonl(tmp_path / "r.jsonl", made.documents), actor="test",
                unit_of_work=lambda: session_scope(db_url))
    service.link_all(lambda: session_scope(db_url), actor="test")
    with session_scope(db_url) as session:
        create_demo_accounts(session, actor="test")
    app = create_app()
    reviewer = sign_in(TestClient(app, base_url="https://testserver"), "demo-reviewer")
    page = reviewer.get("/people/review")
    assert page.status_code == 200 and 'data-testid="pair"' in page.text
    assert_valid_html(page.text, "/people/review")
    assert "The evidence, field by field" in page.text
    pair = re.search(r'action="/people/review/([0-9a-f-]{36})"', page.text)
    assert pair is not None
    refused = reviewer.post_form(f"/people/review/{pair.group(1)}",
                                 {"decision": "same", "reason": "short"},
                                 from_page="/people/review")
    assert refused.status_code == 400 and "10 characters" in refused.text
    assert 'value="same" checked' in refused.text, "what was chosen is kept"
    done = reviewer.post_form(f"/people/review/{pair.group(1)}",
                              {"decision": "different", "reason": "Different PNC records held"},
                              from_page="/people/review")
    assert done.status_code == 303
    assert pair.group(1) not in reviewer.get("/people/review").text
    force = sign_in(TestClient(app, base_url="https://testserver"), "demo-force-submitter")
    assert force.get("/people/review").status_code == 403
    get_settings.cache_clear()


def test_a_new_referral_is_linked_into_the_index_as_it_is_imported(
        db_url: str, linked: dict[str, Any], tmp_path: Path) -> None:
    import time

    from beaconport.screening.service import screen_stored

    index = _index(db_url)
    with session_scope(db_url) as session:
        known = session.execute(
            select(NominalRecord.nominal_id, PersonRecord)
            .join(PersonRecord, PersonRecord.id == NominalRecord.person_record_id)
            .where(NominalRecord.role == "suspect", func.length(PersonRecord.date_of_birth) == 10,
                   PersonRecord.surname.is_not(None), PersonRecord.forenames.is_not(None))
            .limit(1)).one()
        nominal, suspect = known[0], known[1]
        person = {"id": "P1", "role": "suspect", "forenames": suspect.forenames.upper(),
                  "surname": suspect.surname, "date_of_birth": suspect.date_of_birth,
                  "sex": suspect.sex or "male", "alive_status": "believed_alive"}
    from tests.integration.helpers import example
    doc = example("WYP/NEW/2024/00001")
    doc["people"][0] = person
    started = time.perf_counter()
    import_file(write_jsonl(tmp_path / "new.jsonl", [doc]), actor="test",
                unit_of_work=lambda: session_scope(db_url), after_chunk=screen_stored("test"))
    took = time.perf_counter() - started
    after = _index(db_url)
    new = {k: v for k, v in after.items() if k[1] == "WYP/NEW/2024/00001"}
    assert len(new) == 3 and len(after) == len(index) + 3
    assert new[("E23000010", "WYP/NEW/2024/00001", "P1")][1] == nominal, "the same suspect"
    assert all(after[k] == v for k, v in index.items()), "nothing else moved"
    assert took < 30, "seconds, not a full run"
    with session_scope(db_url) as session:
        kinds = session.scalars(select(AuditEvent.data).where(
            AuditEvent.action == "people:linkage:finished")).all()
    assert [k["kind"] for k in kinds if k] == ["full", "incremental"]


def test_a_persons_page_shows_every_appearance_they_may_see(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    import re

    from fastapi.testclient import TestClient
    from tests.integration.helpers import example
    from tests.integration.test_web_access import assert_valid_html
    from tests.integration.web_support import sign_in

    from beaconport.demo.accounts import create_demo_accounts
    from beaconport.settings import get_settings

    monkeypatch.setenv("BEACONPORT_DATABASE_URL", db_url)
    get_settings.cache_clear()
    from beaconport.main import create_app

    wyp = example("WYP/CSE/2014/00001")
    gmp = example("GMP/CSE/2016/00001", force="E23000005")  # the same people, in Manchester
    import_file(write_jsonl(tmp_path / "p.jsonl", [wyp, gmp]), actor="test",
                unit_of_work=lambda: session_scope(db_url))
    service.link_all(lambda: session_scope(db_url), actor="test")
    with session_scope(db_url) as session:
        create_demo_accounts(session, actor="test")
    index = _index(db_url)
    suspect = index[("E23000010", "WYP/CSE/2014/00001", "P1")][1]
    assert index[("E23000005", "GMP/CSE/2016/00001", "P1")][1] == suspect

    app = create_app()
    reviewer = sign_in(TestClient(app, base_url="https://testserver"), "demo-reviewer")
    page = reviewer.get(f"/people/nominals/{suspect}")
    assert page.status_code == 200, page.text
    assert_valid_html(page.text, "/people/nominals/…")
    assert "GMP/CSE/2016/00001" in page.text and "WYP/CSE/2014/00001" in page.text
    assert "in 2 forces" in page.text and 'data-testid="co-suspects"' in page.text
    complainant = index[("E23000010", "WYP/CSE/2014/00001", "P3")][1]
    shown = reviewer.get(f"/people/nominals/{complainant}").text
    assert "Jane" not in shown and "Withheld" in shown, "a complainant's identity is withheld"

    wyp_only = sign_in(TestClient(app, base_url="https://testserver"), "demo-force-submitter")
    own = wyp_only.get(f"/people/nominals/{suspect}").text
    assert "WYP/CSE/2014/00001" in own and "GMP/CSE/2016/00001" not in own
    with session_scope(db_url) as session:
        record = session.scalar(select(NominalRecord.person_record_id).where(
            NominalRecord.nominal_id == suspect).limit(1))
    assert f'href="/people/nominals/{suspect}"' in reviewer.get(f"/people/records/{record}").text
    assert reviewer.get(f"/people/nominals/{uuid.uuid4()}").status_code == 404

    drawn = reviewer.get(f"/people/nominals/{suspect}/network")
    assert drawn.status_code == 200
    assert_valid_html(drawn.text, "/people/nominals/…/network")
    assert 'data-testid="network-ties"' in drawn.text and "/static/cytoscape.min.js" in drawn.text
    data = reviewer.get(f"/people/nominals/{suspect}/network.json").json()
    # P2's records give only a birth year, so the untrained model keeps them apart: P1 is tied
    # to each of them, once.
    co = {str(index[(force, reference, "P2")][1]) for force, reference in (
        ("E23000010", "WYP/CSE/2014/00001"), ("E23000005", "GMP/CSE/2016/00001"))}
    assert data["centre"] == str(suspect)
    assert {n["id"] for n in data["nodes"]} == {str(suspect), *co}
    assert sorted(e["weight"] for e in data["edges"]) == [1] * len(co)
    own_force = wyp_only.get(f"/people/nominals/{suspect}/network.json").json()
    assert len(own_force["nodes"]) == 2, "only the ties in the force's own referrals"
    assert reviewer.get(f"/people/nominals/{complainant}/network").status_code == 404

    listed = reviewer.get("/people/groups?several_forces=true")
    assert_valid_html(listed.text, "/people/groups")
    group = re.search(r'href="/people/groups/([0-9a-f-]{36})"', listed.text)
    assert group is not None and "E23000005, E23000010" in listed.text
    shown = reviewer.get(f"/people/groups/{group.group(1)}")
    assert shown.status_code == 200 and "An offending group" in shown.text
    assert_valid_html(shown.text, "/people/groups/…")
    assert {n["id"] for n in reviewer.get(f"/people/groups/{group.group(1)}.json")
            .json()["nodes"]} == {str(suspect), *co}
    assert reviewer.get(f"/people/groups/{max(co)}").status_code == 404, "not a group's id"
    get_settings.cache_clear()


def test_a_new_record_that_ties_two_persons_merges_them(db_url: str, tmp_path: Path) -> None:
    from tests.integration.helpers import example

    from beaconport.screening.service import screen_stored

    def referral(reference: str, **p1: Any) -> dict[str, Any]:
        doc = example(reference)
        person = {"id": "P1", "role": "suspect", "forenames": "Kieran", "surname": "Oakes",
                  "sex": "male", "alive_status": "believed_alive", **p1}
        doc["people"][0] = person
        return doc

    born = referral("WYP/A/1", date_of_birth="1979-03-14")
    lived = referral("WYP/A/2", addresses=[{"line": "9 Mill Lane, Leeds", "postcode": "LS6 2AB"}])
    import_file(write_jsonl(tmp_path / "a.jsonl", [born, lived]), actor="test",
                unit_of_work=lambda: session_scope(db_url))
    service.link_all(lambda: session_scope(db_url), actor="test")
    before = _index(db_url)
    first, second = (before[("E23000010", ref, "P1")][1] for ref in ("WYP/A/1", "WYP/A/2"))
    assert first != second, "a name alone does not link them"

    both = referral("WYP/A/3", date_of_birth="1979-03-14",
                    addresses=[{"line": "9 Mill Lane, Leeds", "postcode": "LS6 2AB"}])
    import_file(write_jsonl(tmp_path / "b.jsonl", [both]), actor="test",
                unit_of_work=lambda: session_scope(db_url), after_chunk=screen_stored("test"))
    after = _index(db_url)
    assert len({after[("E23000010", ref, "P1")][1]
                for ref in ("WYP/A/1", "WYP/A/2", "WYP/A/3")}) == 1, "one person now"
    with session_scope(db_url) as session:
        merges = [d for d in session.scalars(select(AuditEvent.data).where(
            AuditEvent.action == "people:nominal:changed")) if d and d["change"] == "merged"]
        keys = session.execute(select(NominalRecord.key_surname, NominalRecord.key_birth)
                               .where(NominalRecord.person_ref == "P1")).all()
    assert len(merges) == 1 and sorted(merges[0]["from"]) == sorted([str(first), str(second)])
    assert {k for k, _ in keys} == {"oakes"}


def test_records_can_be_split_off_a_person_and_stay_apart(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    from fastapi.testclient import TestClient
    from tests.integration.helpers import example
    from tests.integration.test_web_access import assert_valid_html
    from tests.integration.web_support import sign_in

    from beaconport.demo.accounts import create_demo_accounts
    from beaconport.settings import get_settings

    monkeypatch.setenv("BEACONPORT_DATABASE_URL", db_url)
    get_settings.cache_clear()
    from beaconport.main import create_app

    docs = [example(f"WYP/S/{n}") for n in (1, 2, 3)]
    import_file(write_jsonl(tmp_path / "s.jsonl", docs), actor="test",
                unit_of_work=lambda: session_scope(db_url))
    service.link_all(lambda: session_scope(db_url), actor="test")
    with session_scope(db_url) as session:
        create_demo_accounts(session, actor="test")
    index = _index(db_url)
    records = {ref: index[("E23000010", ref, "P1")] for ref in ("WYP/S/1", "WYP/S/2", "WYP/S/3")}
    person = records["WYP/S/1"][1]
    assert {n for _, n, _ in records.values()} == {person}

    reviewer = sign_in(TestClient(create_app(), base_url="https://testserver"), "demo-reviewer")
    page = f"/people/nominals/{person}"
    assert_valid_html(reviewer.get(page).text, page)
    refused = reviewer.post_form(f"{page}/split",
                                 {"record-1": str(records["WYP/S/3"][0]), "reason": "no"},
                                 from_page=page)
    assert refused.status_code == 400 and "10 characters" in refused.text
    assert f'value="{records["WYP/S/3"][0]}" checked' in refused.text
    done = reviewer.post_form(f"{page}/split", {"record-1": str(records["WYP/S/3"][0]),
                                                "reason": "A different date of birth on PNC"},
                              from_page=page)
    assert done.status_code == 303
    after = _index(db_url)
    third = after[("E23000010", "WYP/S/3", "P1")][1]
    assert third != person and done.headers["location"] == f"/people/nominals/{third}"
    assert after[("E23000010", "WYP/S/2", "P1")][1] == person
    service.link_all(lambda: session_scope(db_url), actor="test")
    again = _index(db_url)
    assert again[("E23000010", "WYP/S/3", "P1")][1] != again[("E23000010", "WYP/S/1", "P1")][1]
    assert sign_in(TestClient(create_app(), base_url="https://testserver"),
                   "demo-force-submitter").post_form(
        f"{page}/split", {"reason": "x" * 20}, from_page="/").status_code == 403
    get_settings.cache_clear()
