"""Scoring pairs of person records with Splink on DuckDB, in this process.

``score`` takes prepared records (``prepare.prepare``), trains the model on them when there are
enough (Splink's own estimation: the chance two records match, u by random sampling, m by
expectation maximisation), and returns every candidate pair at or above a floor with its match
probability and what each field contributed. The trained model comes back too, to be stored
with the run and to score new records later without training again (``score_new``).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
from splink import DuckDBAPI, Linker

from beaconport.people import model

#: Splink's own messages (advice on its parameters, levels the data never showed) are for
#: developers tuning the model, not for the person running a link.
QUIET = logging.ERROR
#: Below this many records the model keeps its default values: too few pairs to learn from.
MIN_TO_TRAIN = 2000
#: The share of true matches the deterministic rule (exact name and date of birth) is guessed
#: to find, for Splink's first estimate of the chance two records match (``recalled``).
RECALL_GUESS = 0.7
#: The least m a trained level keeps (``floored``).
M_FLOOR = 0.001
#: Pairs of records drawn at random to estimate u (how often two different people agree).
U_PAIRS = 1e6
#: The columns whose values' frequency adjusts a level's weight: each with its ``tf_`` column,
#: how often the whole name, or the surname, occurs (``prepare.name_frequencies``).
_WITH_FREQUENCY = ("full_name", "sn_canon")
#: What a run's stored model holds besides Splink's settings (``relational.MODEL_KEY``).
EXTRA_KEYS = frozenset({"relational"})

_SCHEMA = pa.schema([
    ("unique_id", pa.string()), ("fn", pa.string()), ("fn_all", pa.string()),
    ("fn_canon", pa.string()), ("fn_initial", pa.string()), ("sn", pa.string()),
    ("sn_canon", pa.string()), ("sn_parts", pa.list_(pa.string())),
    ("full_name", pa.string()), ("tf_full_name", pa.float64()),
    ("tf_sn_canon", pa.float64()), ("names", pa.list_(pa.string())),
    ("nicknames", pa.list_(pa.string())), ("name_prefix", pa.string()), ("dob", pa.string()),
    ("dob_swapped", pa.string()), ("dob_year", pa.int32()), ("dob_month", pa.int32()),
    ("dob_day", pa.int32()), ("sex", pa.string()), ("postcodes", pa.list_(pa.string())),
    ("postcode1", pa.string()), ("districts", pa.list_(pa.string())),
    ("address", pa.string()), ("address_words", pa.list_(pa.string())),
    ("address_number", pa.string()), ("pnc", pa.string()),
])


@dataclass(frozen=True, slots=True)
class Pair:
    left: str
    right: str
    probability: float
    weight: float
    #: Each comparison's level (its label) and match weight, in bits.
    evidence: dict[str, tuple[str, float]]


@dataclass(frozen=True, slots=True)
class Scored:
    pairs: list[Pair]
    #: The model as used (Splink's settings JSON, trained or default values).
    model: dict[str, Any]
    trained: bool
    #: The pairs scored below the floor, down to ``keep_below`` (``score``), not yet made into
    #: pairs: looked at again only where other evidence may lift them (``pairs_among``).
    below: pa.Table | None = None


def _table(columns: dict[str, list[Any]]) -> pa.Table:
    return pa.Table.from_pydict(columns, schema=_SCHEMA)


def train(linker: Linker, table: Any, columns: dict[str, list[Any]], *,
          seed: int = 1) -> dict[str, Any]:
    """Splink's unsupervised estimation, as its own guidance orders it, then the trained model
    steadied: the chance two records match from the trained model, not a guess (``recalled``),
    u without the matches among the random pairs it was counted on (``unmatched``), and no m
    below a floor (``floored``)."""
    training = linker.training
    training.estimate_probability_two_random_records_match(list[Any](model.DETERMINISTIC),
                                                          recall=RECALL_GUESS)
    training.estimate_u_using_random_sampling(max_pairs=U_PAIRS, seed=seed)
    for rule in model.TRAINING_BLOCKS:
        linker = maximised(linker, table, rule)
    return floored(unmatched(recalled(linker.misc.save_model_to_json(), columns),
                             len(columns["unique_id"])))


def maximised(linker: Linker, table: Any, rule: str) -> Linker:
    """One pass of expectation maximisation, blocked on ``rule``. EM can drive the m of a level
    it sees only among non-matches down until it underflows, and Splink then stops with an
    error rather than train on nought; that level's m is fixed at the floor ``floored`` would
    leave it at, and the pass is run again from where it started."""
    while True:
        before = linker.misc.save_model_to_json()
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True)
            return linker
        except ValueError as error:
            vanished = _vanished(error)
            if vanished is None or not _fix_m(before, *vanished):
                raise
            linker = Linker(table, before, log_level=QUIET)


def _vanished(error: ValueError) -> tuple[str, str] | None:
    """The comparison and level whose m Splink refused to set, from where it refused it (its
    message names neither); None for any other error. Splink's own frame is read, so a unit
    test makes Splink refuse one and checks the level is found."""
    if "m_probability" not in str(error):
        return None
    trace = error.__traceback__
    while trace is not None:
        found = trace.tb_frame.f_locals
        level = found.get("comparison_level")
        if level is not None and isinstance(found.get("output_column_name"), str):
            return found["output_column_name"], str(level.label_for_charts)
        trace = trace.tb_next
    return None


def _fix_m(settings: dict[str, Any], comparison: str, label: str) -> bool:
    """Fix one level's m at ``M_FLOOR``; whether it was there to fix."""
    for found in settings["comparisons"]:
        if found.get("output_column_name") != comparison:
            continue
        for level in found["comparison_levels"]:
            if level.get("label_for_charts") == label and not level.get("fix_m_probability"):
                level.update(m_probability=M_FLOOR, fix_m_probability=True)
                return True
    return False


def recalled(trained: dict[str, Any], columns: dict[str, list[Any]]) -> dict[str, Any]:
    """The chance two records match, estimated again with the deterministic rule's recall as
    the trained model sees it instead of the guess. Splink counts the pairs the rule finds and
    divides by the recall; a guess far off (typos, missing and partial dates make it low)
    scales every probability by the same error."""
    recall = model.deterministic_recall(trained, _present(columns, "sn"),
                                        _present(columns, "dob_year"))
    if recall > 0:
        trained["probability_two_random_records_match"] = min(
            trained["probability_two_random_records_match"] * RECALL_GUESS / recall, 0.5)
    return trained


def unmatched(trained: dict[str, Any], records: int) -> dict[str, Any]:
    """Each level's u with the true matches among the random pairs taken out. u is how often two
    *different* people agree at a level, but Splink counts it on random pairs, and a share of
    those (the chance two records match) are one person, who agree far more often (m). Where a
    person has many records that share is large, and a strong level's u is then mostly matches:
    its weight can never outweigh the prior, whatever the level. The estimate is
    ``(u - prior * m) / (1 - prior)``, kept no lower than the sampling error of the count it
    came from."""
    prior = trained["probability_two_random_records_match"]
    sampled = min(U_PAIRS, records * (records - 1) / 2)
    if not 0 < prior < 1 or sampled < 1:
        return trained
    for comparison in trained["comparisons"]:
        for level in comparison["comparison_levels"]:
            m, u = level.get("m_probability"), level.get("u_probability")
            if level.get("is_null_level") or m is None or not u:
                continue
            error = math.sqrt(u * (1 - u) / sampled)
            level["u_probability"] = min(1.0, max((u - prior * m) / (1 - prior), error))
    return trained


def _present(columns: dict[str, list[Any]], name: str) -> float:
    values = columns[name]
    return sum(v is not None for v in values) / len(values) if values else 0.0


def floored(trained: dict[str, Any]) -> dict[str, Any]:
    """No level's m below ``M_FLOOR``: EM drives a level it rarely sees among its matches
    towards nought (a house move within one district, a sex recorded wrongly), and a weight of
    minus forty bits would then forbid a link that real records do make."""
    for comparison in trained["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("m_probability") is not None and not level.get("is_null_level"):
                level["m_probability"] = max(level["m_probability"], M_FLOOR)
    return trained


def score(columns: dict[str, list[Any]], *, floor: float = 0.2, seed: int = 1,
          keep_below: float | None = None) -> Scored:
    """Score every candidate pair of these records; keep those at or above ``floor`` (and,
    with ``keep_below``, those from there up to the floor, as ``Scored.below``)."""
    count = len(columns["unique_id"])
    connection = duckdb.connect()
    try:
        db = DuckDBAPI(connection=connection)
        trained = count >= MIN_TO_TRAIN
        table = db.register(_table(columns))
        linker = Linker(table, model.settings(name_frequency=trained), log_level=QUIET)
        if trained:
            linker = Linker(table, train(linker, table, columns, seed=seed), log_level=QUIET)
        lowest = floor if keep_below is None else min(floor, keep_below)
        predictions = linker.inference.predict(threshold_match_probability=lowest)
        used = linker.misc.save_model_to_json()
        relation = predictions.as_duckdbpyrelation()
        kept = list(_pairs(relation.filter(f"match_probability >= {floor!r}"), used))
        return Scored(kept, used, trained, None if keep_below is None else _below(relation, floor))
    finally:
        connection.close()


def score_new(existing: dict[str, list[Any]], new: dict[str, list[Any]],
              trained_model: dict[str, Any], *, floor: float = 0.2) -> list[Pair]:
    """Score new records against existing ones and among themselves with a model already
    trained (an incremental link: seconds, not a full run). Keys of the stored model that are
    not Splink's (``EXTRA_KEYS``) are left out."""
    trained_model = {k: v for k, v in trained_model.items() if k not in EXTRA_KEYS}
    connection = duckdb.connect()
    try:
        db = DuckDBAPI(connection=connection)
        # How common each name is goes in as a lookup table, not as the records' own column:
        # Splink's scoring between tables joins the lookup whenever the model adjusts for it.
        frequencies = [f"tf_{column}" for column in _WITH_FREQUENCY]
        left = db.register(_table(existing).drop_columns(frequencies),
                           dataset_display_name="existing")
        right = db.register(_table(new).drop_columns(frequencies),
                            dataset_display_name="new")
        # A dedupe model takes one table; the pairs come from the tables given to each call.
        linker = Linker(right, trained_model, log_level=QUIET)
        for column in _WITH_FREQUENCY:
            frequency = {n: f for c in (existing, new)
                         for n, f in zip(c[column], c[f"tf_{column}"], strict=True) if n}
            if frequency:
                linker.table_management.register_term_frequency_lookup(db.register(pa.table({
                    column: pa.array(list(frequency), pa.string()),
                    f"tf_{column}": pa.array(list(frequency.values()), pa.float64())})),
                    column)
        between = linker.inference.predict_between(
            left, right, link_type="dedupe_only", threshold_match_probability=floor)
        within = linker.inference.predict_within(
            right, link_type="dedupe_only", threshold_match_probability=floor)
        return [*_pairs(between.as_duckdbpyrelation(), trained_model),
                *_pairs(within.as_duckdbpyrelation(), trained_model)]
    finally:
        connection.close()


def _below(relation: duckdb.DuckDBPyRelation, floor: float) -> pa.Table:
    wanted = ["unique_id_l", "unique_id_r", "match_probability", "match_weight",
              *(c for c in relation.columns if c.startswith("mw_"))]
    below = relation.filter(f"match_probability < {floor!r}").project(", ".join(wanted))
    return below.to_arrow_table()


def pairs_among(below: pa.Table | None, used: dict[str, Any],
                wanted: list[tuple[str, str]]) -> list[Pair]:
    """The pairs in ``below`` (``Scored.below``) of these records, each (left, right) with
    left < right."""
    if below is None or not wanted or below.num_rows == 0:
        return []
    connection = duckdb.connect()
    try:
        left, right = zip(*wanted, strict=True)
        connection.register("below", below)
        connection.register("wanted", pa.table({"l": pa.array(left, pa.string()),
                                                "r": pa.array(right, pa.string())}))
        return list(_pairs(connection.sql(
            "SELECT below.* FROM below JOIN wanted ON wanted.l = least(unique_id_l, "
            "unique_id_r) AND wanted.r = greatest(unique_id_l, unique_id_r)"), used))
    finally:
        connection.close()


def _pairs(relation: duckdb.DuckDBPyRelation, used: dict[str, Any]) -> Iterator[Pair]:
    index = {name: i for i, name in enumerate(relation.columns)}
    levels = level_weights(used)
    for row in relation.fetchall():
        # Each comparison of the model as used: one stored before a comparison was added
        # scores new records without it.
        evidence = {c: _level_of(weights, float(row[index[f"mw_{c}"]]))
                    for c, weights in levels.items()}
        if "mw_tf_adj_name" in index and row[index["mw_tf_adj_name"]]:
            # How common the name is: a rare name shared counts for more than a common one.
            evidence["name_frequency"] = ("adjusted for how common the name is",
                                          round(float(row[index["mw_tf_adj_name"]]), 2))
        left, right = row[index["unique_id_l"]], row[index["unique_id_r"]]
        if right < left:
            left, right = right, left
        yield Pair(left, right, float(row[index["match_probability"]]),
                   float(row[index["match_weight"]]), evidence)


def level_weights(used: dict[str, Any]) -> dict[str, list[tuple[float, str]]]:
    """Each comparison's levels as (match weight in bits, label), from the model as used."""
    found: dict[str, list[tuple[float, str]]] = {}
    for comparison in used["comparisons"]:
        weights = []
        for level in comparison["comparison_levels"]:
            label = level.get("label_for_charts", "")
            if level.get("is_null_level"):
                weights.append((0.0, label))
            else:
                m, u = level.get("m_probability"), level.get("u_probability")
                weights.append((math.log2(m / u) if m and u else 0.0, label))
        found[comparison["output_column_name"]] = weights
    return found


def _level_of(levels: list[tuple[float, str]], weight: float) -> tuple[str, float]:
    """Which level a pair fell in, told by its weight (Splink gives weights, not levels)."""
    label = min(levels, key=lambda level: abs(level[0] - weight))[1]
    return label, round(weight, 2)
