"""The linkage model: which fields are compared, how closely, and which pairs are looked at.

A Splink (Fellegi-Sunter) model written as a plain settings dictionary, so it can be stored
with each run exactly as it was used. Each group of fields that move together is one graded
comparison, because scoring them apart counts the same evidence several times: a person who
moved house disagrees on street, town and postcode at once, which is one fact, not three.

- **Name**: the same forename and surname with middle names that differ (less than exact);
  exact; the same once spellings and nicknames are made canonical; forename and
  surname swapped (exactly, or spelt closely); one of the records' names or aliases the same; a
  close spelling of one part with the other the same; the same surname with an initial that
  agrees (or no forename); a close surname; anything else.
- **Nickname**: a nickname or street name in common, or none in common (no weight where
  either record has none); nicknames are not names, so a shared one counts once.
- **Date of birth**: exact; day and month swapped; consistent where one is partial (a year, or
  a year and month); one digit different; the same year; a year apart; anything else.
- **Address**: a postcode in common; the same address line (closely spelt, or the same
  numbers and most of the same words); a postcode district in common; anything else.
- **PNC ID**: the same, or different; **sex**: the same, or different.

Ethnicity and nationality are never compared, and are not in the records the model sees.
Default m and u values make the model usable untrained (a handful of records); with enough
records it is trained on the data itself.
"""

from __future__ import annotations

from typing import Any

JW = "jaro_winkler_similarity"


def _level(condition: str, label: str, m: float, u: float, *, null: bool = False,
           tf: bool = False, surname_tf: bool = False, fix_m: bool = False) -> dict[str, Any]:
    level: dict[str, Any] = {"sql_condition": condition, "label_for_charts": label}
    if null:
        level["is_null_level"] = True
    else:
        level.update(m_probability=m, u_probability=u)
    if fix_m:
        level["fix_m_probability"] = True
    if tf:
        # A name shared by few records is stronger evidence than a common one: the weight is
        # adjusted by how often the whole name occurs (``tf_full_name``, worked out with the
        # records, so a model scores new records the same way without Splink's own tables),
        # against this level's own u: the chance two records share a name, on average. Left
        # to itself Splink measures against the level on exactly ``full_name``, which here
        # holds only the variants the levels above leave, and so took bits off every name.
        level.update(tf_adjustment_column="full_name", tf_adjustment_weight=1.0,
                     disable_tf_exact_match_detection=True)
    if surname_tf:
        # The same surname with little else: Khan or Jones far weaker than a rare surname. The
        # weight is adjusted by how often the surname occurs (``tf_sn_canon``) against how
        # often two records share a surname at all: the u of the level on exactly
        # ``sn_canon``, which Splink finds itself. Against this level's own u instead (the
        # chance of a shared surname *and* an initial, or a missing forename) every surname
        # would lose the bits of that second chance.
        level.update(tf_adjustment_column="sn_canon", tf_adjustment_weight=1.0)
    return level


NAME: dict[str, Any] = {
    "output_column_name": "name",
    "comparison_description": "Forenames, surname and aliases",
    "comparison_levels": [
        _level("sn_l IS NULL OR sn_r IS NULL", "no surname", 0, 0, null=True),
        # Both with a middle name, and the two start differently: namesakes (a father and son,
        # cousins) more often than one person. A middle name left out or initialled is not this.
        _level("fn_canon_l = fn_canon_r AND sn_canon_l = sn_canon_r AND "
               "strpos(fn_all_l, ' ') > 0 AND strpos(fn_all_r, ' ') > 0 AND "
               "substr(fn_all_l, strpos(fn_all_l, ' ') + 1, 1) <> "
               "substr(fn_all_r, strpos(fn_all_r, ' ') + 1, 1)",
               "same name, another middle name", 0.01, 0.0002),
        _level("fn_all_l = fn_all_r AND sn_l = sn_r AND strpos(fn_all_l, ' ') > 0",
               "exact, middle names too", 0.2, 0.00005),
        _level("fn_l = fn_r AND sn_l = sn_r", "exact", 0.4, 0.0005, tf=True),
        _level("full_name_l = full_name_r",
               "same name once variants and nicknames are made one", 0.1, 0.0008),
        _level("fn_canon_l = sn_canon_r AND sn_canon_l = fn_canon_r",
               "forename and surname swapped", 0.03, 0.00005),
        _level(f"{JW}(fn_l, sn_r) >= 0.88 AND {JW}(sn_l, fn_r) >= 0.88",
               "forename and surname swapped, spelt closely", 0.01, 0.00002),
        _level("list_has_any(names_l, names_r)", "a name or alias in common", 0.05, 0.0005),
        _level(f"(sn_canon_l = sn_canon_r AND {JW}(fn_l, fn_r) >= 0.88 AND "
               f"damerau_levenshtein(fn_l, fn_r) <= 2) OR "
               f"(fn_canon_l = fn_canon_r AND {JW}(sn_l, sn_r) >= 0.88 AND "
               f"damerau_levenshtein(sn_l, sn_r) <= 2)",
               "one part the same, the other spelt closely", 0.1, 0.002),
        # A compound surname kept whole by one force and in part by another (Ackroyd-Greenwood
        # and Greenwood; Mohammed Ali Khan as forenames Mohammed Ali and surname Khan).
        _level("fn_canon_l = fn_canon_r AND list_has_any(sn_parts_l, sn_parts_r)",
               "same forename, a surname part in common", 0.02, 0.0005),
        # An initial agrees with a forename; two different forenames that happen to share a
        # first letter (brothers, often) do not.
        _level("sn_canon_l = sn_canon_r AND fn_initial_l = fn_initial_r AND "
               "(length(fn_l) = 1 OR length(fn_r) = 1)",
               "same surname, forename an initial of the other", 0.03, 0.0005,
               surname_tf=True),
        _level("sn_canon_l = sn_canon_r AND (fn_l IS NULL OR fn_r IS NULL)",
               "same surname, no forename", 0.03, 0.002, surname_tf=True),
        _level(f"{JW}(sn_l, sn_r) >= 0.88 AND {JW}(coalesce(fn_l, ''), "
               f"coalesce(fn_r, '')) >= 0.7", "close surname and forename", 0.04, 0.01),
        # Kept exactly on ``sn_canon``: its u is the reference the surname's frequency is
        # measured against (``surname_tf``).
        _level("sn_canon_l = sn_canon_r", "same surname, another forename", 0.03, 0.01),
        _level("fn_canon_l = fn_canon_r", "same forename, another surname", 0.03, 0.02),
        _level("ELSE", "different", 0.04, 0.95),
    ],
}

DATE_OF_BIRTH: dict[str, Any] = {
    "output_column_name": "date_of_birth",
    "comparison_description": "Date of birth, full or partial",
    # m is fixed, not trained, where both dates are full: how often one person's records
    # disagree on a date of birth is known from police records (a year off, day and month
    # swapped, a digit mistyped), and expectation maximisation, seeing namesakes born a year
    # apart, overstates it. Where a date is partial m is trained: how often a match has a
    # partial date depends on how many partial dates the records hold, which differs from one
    # source to the next (none in some, many where people do not know their birthday).
    "comparison_levels": [
        _level("dob_year_l IS NULL OR dob_year_r IS NULL", "not recorded", 0, 0, null=True),
        _level("dob_l = dob_r", "exact", 0.75, 0.0002, fix_m=True),
        _level("dob_l = dob_swapped_r", "day and month swapped", 0.02, 0.00002, fix_m=True),
        _level("dob_l IS NULL AND dob_r IS NULL AND dob_year_l = dob_year_r AND "
               "dob_month_l IS NOT DISTINCT FROM dob_month_r", "the same partial date",
               0.02, 0.01),
        _level("(dob_l IS NULL OR dob_r IS NULL) AND dob_year_l = dob_year_r AND "
               "(dob_month_l IS NULL OR dob_month_r IS NULL OR dob_month_l = dob_month_r)",
               "consistent, one partial", 0.08, 0.02),
        _level("levenshtein(dob_l, dob_r) <= 1", "one digit different", 0.04, 0.003,
               fix_m=True),
        _level("dob_year_l = dob_year_r", "same year", 0.02, 0.02, fix_m=True),
        _level("abs(dob_year_l - dob_year_r) = 1", "a year apart", 0.03, 0.04, fix_m=True),
        _level("ELSE", "different", 0.08, 0.92, fix_m=True),
    ],
}

#: One address line written two ways: closely spelt, or the same numbers and most of the same
#: words in another order ("Flat 2, 60 Juniper St" and "60 Juniper Street, flat 2").
_SAME_LINE = (f"({JW}(address_l, address_r) >= 0.9 OR "
              "(address_number_l = address_number_r AND "
              "length(list_intersect(address_words_l, address_words_r)) >= "
              "0.6 * least(length(address_words_l), length(address_words_r))))")

ADDRESS: dict[str, Any] = {
    "output_column_name": "address",
    "comparison_description": "Postcodes and address lines",
    "comparison_levels": [
        _level("(postcodes_l IS NULL AND address_l IS NULL) OR "
               "(postcodes_r IS NULL AND address_r IS NULL)", "not recorded", 0, 0, null=True),
        _level(f"list_has_any(postcodes_l, postcodes_r) AND {_SAME_LINE}",
               "the same address", 0.35, 0.0001),
        _level("list_has_any(postcodes_l, postcodes_r)", "a postcode in common", 0.15, 0.0005),
        _level(_SAME_LINE, "close address line", 0.05, 0.001),
        _level(f"damerau_levenshtein(postcode1_l, postcode1_r) <= 1 AND "
               f"{JW}(address_l, address_r) >= 0.8",
               "postcode one character different, similar address line", 0.03, 0.0002),
        _level("damerau_levenshtein(postcode1_l, postcode1_r) <= 1",
               "postcode one character different", 0.03, 0.001),
        _level(f"{JW}(address_l, address_r) >= 0.8", "similar address line", 0.03, 0.01),
        _level("list_has_any(districts_l, districts_r)", "a postcode district in common",
               0.1, 0.02),
        _level("ELSE", "different", 0.3, 0.96),
    ],
}

def _agrees_or_not(name: str, description: str, agrees: str, m: float, u: float, *,
                   column: str | None = None,
                   labels: tuple[str, str] = ("the same", "different")) -> dict[str, Any]:
    """A comparison of one field (``column``, the comparison's name unless given) with two
    levels, agreeing (``agrees``, with its default m and u) or not, and no weight where either
    record lacks the field."""
    column = column or name
    return {
        "output_column_name": name,
        "comparison_description": description,
        "comparison_levels": [
            _level(f"{column}_l IS NULL OR {column}_r IS NULL", "not recorded", 0, 0, null=True),
            _level(agrees, labels[0], m, u),
            _level("ELSE", labels[1], round(1 - m, 6), round(1 - u, 6)),
        ],
    }


PNC = _agrees_or_not("pnc", "PNC ID", "pnc_l = pnc_r", 0.97, 0.00001)
NICKNAME = _agrees_or_not("nickname", "Nicknames and street names",
                          "list_has_any(nicknames_l, nicknames_r)", 0.5, 0.05,
                          column="nicknames", labels=("one in common", "none in common"))
SEX = _agrees_or_not("sex", "Sex", "sex_l = sex_r", 0.98, 0.5)

#: The pairs the model looks at: any one of these equal. Together they must reach nearly every
#: true pair (scoring cannot find a pair blocking never made), without comparing everyone.
BLOCKING = [
    "l.fn_canon = r.fn_canon AND l.sn_canon = r.sn_canon",
    "l.sn_canon = r.sn_canon AND l.dob = r.dob",
    "l.fn_canon = r.fn_canon AND l.dob = r.dob",
    "l.dob = r.dob AND l.postcode1 = r.postcode1",
    "l.sn_canon = r.sn_canon AND l.postcode1 = r.postcode1",
    "l.fn_canon = r.sn_canon AND l.sn_canon = r.fn_canon",
    # Swapped, with the other name misspelt: each way round, as only one is looked at a pair.
    "l.fn_canon = r.sn_canon AND l.dob = r.dob",
    "l.sn_canon = r.fn_canon AND l.dob = r.dob",
    "l.fn_canon = r.sn_canon AND l.postcode1 = r.postcode1",
    "l.sn_canon = r.fn_canon AND l.postcode1 = r.postcode1",
    # The same house: its line can be written in many ways, its number and postcode cannot.
    "l.postcode1 = r.postcode1 AND l.address_number = r.address_number",
    "l.sn_canon = r.sn_canon AND l.dob = r.dob_swapped",
    "l.name_prefix = r.name_prefix AND l.dob_year = r.dob_year",
    "l.pnc = r.pnc",
    "l.address = r.address",
    "l.fn_canon = r.fn_canon AND l.postcode1 = r.postcode1",
    "l.dob = r.dob AND substr(l.sn, 1, 3) = substr(r.sn, 1, 3)",
    "l.sn_canon = r.sn_canon AND l.dob_year = r.dob_year",
    # A typo or a year keyed wrong with no other field to meet on (a date or postcode missing).
    # Typos are caught after the first letters (seldom the ones mistyped): a prefix is a far
    # narrower block than a suffix, which real surnames share by the hundred (-worth, -ski).
    "l.dob = r.dob AND l.fn_initial = r.fn_initial",
    "l.dob_month = r.dob_month AND l.dob_day = r.dob_day AND l.sn_canon = r.sn_canon",
    "l.dob_month = r.dob_month AND l.dob_day = r.dob_day AND l.fn_canon = r.fn_canon",
    "l.fn_canon = r.fn_canon AND substr(l.sn_canon, 1, 4) = substr(r.sn_canon, 1, 4)",
    "l.sn_canon = r.sn_canon AND substr(l.fn_canon, 1, 3) = substr(r.fn_canon, 1, 3)",
]

#: Exact on name and date of birth: the pairs used to estimate how often two records match.
DETERMINISTIC = ["l.fn_canon = r.fn_canon AND l.sn_canon = r.sn_canon AND l.dob = r.dob"]

#: Expectation maximisation, once blocked on each: each pass trains what it does not block on.
TRAINING_BLOCKS = ["l.dob = r.dob", "l.fn_canon = r.fn_canon AND l.sn_canon = r.sn_canon"]


def settings(prior: float = 0.0001, *, name_frequency: bool = True) -> dict[str, Any]:
    """The model's settings, untrained: the default m and u values above. Without
    ``name_frequency`` (a handful of records, where every name is "common") no level is adjusted
    by how often the name occurs."""
    name = NAME
    if not name_frequency:
        name = {**NAME, "comparison_levels": [
            {k: v for k, v in level.items() if not k.startswith("tf_")}
            for level in NAME["comparison_levels"]]}
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": prior,
        "comparisons": [name, NICKNAME, DATE_OF_BIRTH, ADDRESS, PNC, SEX],
        "blocking_rules_to_generate_predictions": list(BLOCKING),
        "retain_intermediate_calculation_columns": True,
        "retain_matching_columns": False,
        "additional_columns_to_retain": [],
    }


#: The name levels in which forename and surname are the same once made canonical: the pairs
#: the deterministic rule's name part finds.
_SAME_CANONICAL_NAME = ("exact, middle names too", "exact",
                        "same name once variants and nicknames are made one")


def deterministic_recall(trained: dict[str, Any], surname_known: float,
                         year_known: float) -> float:
    """The share of true matches ``DETERMINISTIC`` finds, by the trained m values: both records'
    names known and the same once made canonical, and both dates of birth known and exact
    (taken as independent; each field known in a pair of records as often as in two records).
    """
    m = {c["output_column_name"]: {level.get("label_for_charts"): level.get("m_probability")
                                   for level in c["comparison_levels"]}
         for c in trained["comparisons"]}
    same_name = sum(m["name"][label] or 0.0 for label in _SAME_CANONICAL_NAME)
    return surname_known ** 2 * same_name * year_known ** 2 * (m["date_of_birth"]["exact"] or 0.0)
