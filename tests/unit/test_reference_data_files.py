"""Checks the versioned reference data CSVs shipped in beaconport/reference/data.

Standard library only: these tests read the files as plain CSV, so they hold whatever code
later loads them.
"""

import csv
import datetime as dt
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import pytest

DATA = Path(__file__).parents[2] / "src/beaconport/reference/data"

VALIDITY = ["valid_from", "valid_to", "source", "unconfirmed"]
COLUMNS = {
    "manifest.csv": ["dataset", "version", "file", "description"],
    "forces.csv": [
        "code",
        "data_police_id",
        "name",
        "short_name",
        "country",
        "in_scope",
        "cps_area",
        *VALIDITY,
    ],
    "force_aliases.csv": ["force_code", "alias", *VALIDITY],
    "outcome_codes.csv": [
        "code",
        "label",
        "ho_group",
        "nfa_category",
        "is_nfa",
        "decided_by",
        *VALIDITY,
    ],
    "offences.csv": [
        "scheme",
        "code",
        "title",
        "statute",
        "is_sexual",
        "is_rape",
        "ho_code",
        *VALIDITY,
    ],
    "ethnicity_codes.csv": [
        "scheme",
        "code",
        "label",
        "five_group",
        "maps_to_sde18",
        "means_not_stated",
        *VALIDITY,
    ],
}
DATASETS = {
    "forces": "forces.csv",
    "force_aliases": "force_aliases.csv",
    "outcome_codes": "outcome_codes.csv",
    "offences": "offences.csv",
    "ethnicity_codes": "ethnicity_codes.csv",
}
DATA_FILES = list(DATASETS.values())
# the columns that together name one thing; rows sharing them must not overlap in time
KEYS = {
    "forces.csv": ("code",),
    "force_aliases.csv": ("alias",),
    "outcome_codes.csv": ("code",),
    "offences.csv": ("scheme", "code"),
    "ethnicity_codes.csv": ("scheme", "code"),
}
BOOLEAN_COLUMNS = {"in_scope", "is_nfa", "is_sexual", "is_rape", "means_not_stated", "unconfirmed"}


def read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def rows(name: str) -> list[dict[str, str]]:
    return read(name)[1]


def is_true(value: str) -> bool:
    assert value in {"true", "false"}, value
    return value == "true"


def period(row: dict[str, str]) -> tuple[dt.date, dt.date]:
    start = dt.date.fromisoformat(row["valid_from"])
    end = dt.date.fromisoformat(row["valid_to"]) if row["valid_to"] else dt.date.max
    return start, end


# ---------------------------------------------------------------- manifest and shape


def test_manifest_lists_every_dataset_once_with_version():
    manifest = rows("manifest.csv")
    assert {r["dataset"]: r["file"] for r in manifest} == DATASETS
    assert len(manifest) == len(DATASETS)
    assert all(r["version"] == "2026.1" for r in manifest)
    assert all(r["description"].strip() for r in manifest)


@pytest.mark.parametrize("name", list(COLUMNS))
def test_file_exists_with_exact_columns(name):
    assert (DATA / name).is_file()
    header, body = read(name)
    assert header == COLUMNS[name]
    assert body, f"{name} has no rows"
    for row in body:
        assert None not in row, f"{name}: row with too many fields: {row}"
        assert all(v is not None for v in row.values()), f"{name}: short row: {row}"


@pytest.mark.parametrize("name", DATA_FILES)
def test_booleans_are_true_or_false(name):
    for row in rows(name):
        for column in BOOLEAN_COLUMNS & row.keys():
            assert row[column] in {"true", "false"}, (name, column, row)


@pytest.mark.parametrize("name", DATA_FILES)
def test_validity_dates_parse_and_are_ordered(name):
    for row in rows(name):
        start, end = period(row)  # raises on a malformed date
        assert start <= end, row
        assert row["source"].strip(), row


@pytest.mark.parametrize("name", DATA_FILES)
def test_no_two_rows_for_the_same_thing_overlap_in_time(name):
    groups = defaultdict(list)
    for row in rows(name):
        key = tuple(row[c].casefold() for c in KEYS[name])
        groups[key].append(period(row))
    for key, periods in groups.items():
        for (a_start, a_end), (b_start, b_end) in combinations(periods, 2):
            assert a_end < b_start or b_end < a_start, (name, key)


# ---------------------------------------------------------------- forces


def forces_by_code() -> dict[str, list[dict[str, str]]]:
    by_code = defaultdict(list)
    for row in rows("forces.csv"):
        by_code[row["code"]].append(row)
    return by_code


def test_43_territorial_forces_of_england_and_wales_in_scope():
    territorial = {
        code: versions
        for code, versions in forces_by_code().items()
        if code.startswith(("E23", "W15"))
    }
    assert len(territorial) == 43
    assert sum(code.startswith("W15") for code in territorial) == 4
    for code, versions in territorial.items():
        assert len(code) == 9, code
        for row in versions:
            assert is_true(row["in_scope"]), code
            assert row["country"] in {"England", "Wales"}, code
            assert row["data_police_id"], code


def test_btp_in_scope_scotland_and_northern_ireland_out():
    by_code = forces_by_code()
    assert [is_true(r["in_scope"]) for r in by_code["btp"]] == [True]
    assert by_code["btp"][0]["data_police_id"] == "btp"
    assert [is_true(r["in_scope"]) for r in by_code["police-scotland"]] == [False]
    assert [is_true(r["in_scope"]) for r in by_code["northern-ireland"]] == [False]
    assert by_code["northern-ireland"][0]["data_police_id"] == "northern-ireland"
    assert set(by_code) - {"btp", "police-scotland", "northern-ireland"} == {
        c for c in by_code if c.startswith(("E23", "W15"))
    }


def test_hampshire_rename_is_two_unconfirmed_versions():
    versions = sorted(forces_by_code()["E23000030"], key=lambda r: r["valid_from"])
    assert [r["name"] for r in versions] == [
        "Hampshire Constabulary",
        "Hampshire and Isle of Wight Constabulary",
    ]
    assert versions[0]["valid_to"] == "2022-03-31"
    assert versions[1]["valid_from"] == "2022-04-01"
    assert all(is_true(r["unconfirmed"]) for r in versions)


def test_data_police_ids_unique_per_force():
    ids = defaultdict(set)
    for row in rows("forces.csv"):
        if row["data_police_id"]:
            ids[row["data_police_id"]].add(row["code"])
    assert all(len(codes) == 1 for codes in ids.values()), ids


# ---------------------------------------------------------------- force aliases


def test_aliases_unique_case_insensitively_and_name_existing_forces():
    codes = set(forces_by_code())
    seen = {}
    for row in rows("force_aliases.csv"):
        alias = row["alias"]
        assert alias == alias.strip() and alias, row
        key = alias.casefold()
        assert key not in seen, f"alias {alias!r} repeated (first for {seen.get(key)})"
        seen[key] = row["force_code"]
        assert row["force_code"] in codes, row
        assert key not in {c.casefold() for c in codes if c.startswith(("E23", "W15"))}, row


def test_every_force_has_its_names_and_id_as_aliases():
    aliases = defaultdict(set)
    for row in rows("force_aliases.csv"):
        aliases[row["force_code"]].add(row["alias"].casefold())
    for row in rows("forces.csv"):
        names = aliases[row["code"]]
        assert row["name"].casefold() in names, row["name"]
        assert row["short_name"].casefold() in names, row["short_name"]
        if row["data_police_id"]:
            assert row["data_police_id"].casefold() in names, row["data_police_id"]


@pytest.mark.parametrize(
    ("alias", "code"),
    [
        ("MPS", "E23000001"),
        ("Met", "E23000001"),
        ("GMP", "E23000005"),
        ("WYP", "E23000010"),
        ("SYP", "E23000011"),
        ("TVP", "E23000029"),
        ("Devon & Cornwall", "E23000035"),
        ("London, City of", "E23000034"),
        ("Heddlu Gwent", "W15000002"),
        ("BTP", "btp"),
        ("PSNI", "northern-ireland"),
    ],
)
def test_common_aliases_resolve(alias, code):
    lookup = {r["alias"].casefold(): r["force_code"] for r in rows("force_aliases.csv")}
    assert lookup[alias.casefold()] == code


# ---------------------------------------------------------------- offences


def test_is_rape_exactly_for_the_rape_offences():
    rape = {(r["scheme"], r["code"]) for r in rows("offences.csv") if is_true(r["is_rape"])}
    assert rape == {
        ("SOA2003", "s1"),
        ("SOA2003", "s5"),
        ("SOA1956", "s1"),
        *(("HOCODE", f"19{letter}") for letter in "ABCDEFGH"),
    }


def test_rape_offences_are_sexual_and_soa2003_part1_all_sexual():
    for row in rows("offences.csv"):
        if is_true(row["is_rape"]):
            assert is_true(row["is_sexual"]), row
        if row["scheme"] in {"SOA2003", "SOA1956"}:
            assert is_true(row["is_sexual"]), row


def test_offence_schemes_and_pre_2004_end_dates():
    offences = rows("offences.csv")
    assert {r["scheme"] for r in offences} == {"SOA2003", "SOA1956", "HOCODE", "OTHER"}
    for row in offences:
        if row["scheme"] == "SOA1956":
            assert row["valid_to"] == "2004-04-30", row
        if row["scheme"] == "SOA2003":
            assert row["valid_from"] >= "2004-05-01", row


def test_expected_offence_codes_present():
    present = {(r["scheme"], r["code"]) for r in rows("offences.csv")}
    soa2003 = [
        "s1",
        "s2",
        "s3",
        "s4",
        "s5",
        "s6",
        "s7",
        "s8",
        "s9",
        "s10",
        "s11",
        "s12",
        "s13",
        "s14",
        "s15",
        "s15A",
        "s16",
        "s17",
        "s18",
        "s19",
        "s25",
        "s26",
        "s30",
        "s31",
        "s32",
        "s33",
        "s34",
        "s35",
        "s36",
        "s37",
        "s38",
        "s39",
        "s40",
        "s41",
        "s47",
        "s48",
        "s49",
        "s50",
        "s52",
        "s53",
        "s53A",
        "s57",
        "s58",
        "s59",
        "s59A",
        "s61",
        "s62",
        "s63",
        "s66",
        "s67",
        "s67A",
    ]
    soa1956 = [
        "s1",
        "s5",
        "s6",
        "s10",
        "s11",
        "s12",
        "s13",
        "s14",
        "s15",
        "s16",
        "s19",
        "s20",
        "s22",
        "s23",
        "s28",
    ]
    hocode = [
        "19A",
        "19B",
        "19C",
        "19D",
        "19E",
        "19F",
        "19G",
        "19H",
        "17A",
        "17B",
        "20A",
        "20B",
        "21",
        "22A",
        "22B",
        "23",
        "70",
        "71",
        "72",
        "73",
        "74",
        "88A",
        "88C",
        "88D",
        "88E",
    ]
    other = [
        "ICA1960 s1",
        "PCA1978 s1",
        "CJA1988 s160",
        "CJA2009 s62",
        "SOAA2000 s3",
        "CLA1977 s54",
        "MSA2015 s1",
        "MSA2015 s2",
        "MSA2015 s4",
        "CAA1984 s2",
        "SCA2015 s69",
    ]
    expected = (
        {("SOA2003", c) for c in soa2003}
        | {("SOA1956", c) for c in soa1956}
        | {("HOCODE", c) for c in hocode}
        | {("OTHER", c) for c in other}
    )
    assert expected <= present, sorted(expected - present)


def test_trafficking_for_sexual_exploitation_counts_as_sexual():
    by_key = {(r["scheme"], r["code"]): r for r in rows("offences.csv")}
    assert is_true(by_key[("OTHER", "MSA2015 s2")]["is_sexual"])
    assert not is_true(by_key[("OTHER", "MSA2015 s1")]["is_sexual"])
    assert not is_true(by_key[("OTHER", "CAA1984 s2")]["is_sexual"])


# ---------------------------------------------------------------- ethnicity


def ethnicity(scheme: str) -> dict[str, dict[str, str]]:
    return {r["code"]: r for r in rows("ethnicity_codes.csv") if r["scheme"] == scheme}


def test_every_sde18_code_present():
    codes = ethnicity("SDE18+1")
    assert set(codes) == {
        "W1",
        "W2",
        "W3",
        "W9",
        "M1",
        "M2",
        "M3",
        "M9",
        "A1",
        "A2",
        "A3",
        "A4",
        "A9",
        "B1",
        "B2",
        "B9",
        "O2",
        "O9",
        "NS",
    }
    assert is_true(codes["NS"]["means_not_stated"])
    assert not any(is_true(r["means_not_stated"]) for c, r in codes.items() if c != "NS")


def test_ic_unknown_codes_present_and_not_stated():
    codes = ethnicity("IC6+1")
    assert {"IC1", "IC2", "IC3", "IC4", "IC5", "IC6"} <= set(codes)
    for code in ("IC0", "IC7", "IC9"):
        assert is_true(codes[code]["means_not_stated"]), code
        assert codes[code]["five_group"] == "Not stated"


def test_ethnicity_schemes_groups_and_mappings():
    all_rows = rows("ethnicity_codes.csv")
    assert {r["scheme"] for r in all_rows} == {"SDE18+1", "SDE16+1", "CENSUS2021", "IC6+1"}
    groups = {"White", "Mixed", "Asian", "Black", "Other", "Not stated"}
    sde18 = set(ethnicity("SDE18+1"))
    for row in all_rows:
        assert row["five_group"] in groups, row
        assert row["maps_to_sde18"] == "" or row["maps_to_sde18"] in sde18, row
    assert len(ethnicity("SDE16+1")) == 17
    assert ethnicity("SDE16+1")["O1"]["maps_to_sde18"] == "A4"
    census = ethnicity("CENSUS2021")
    assert len(census) == 19
    assert census["white_roma"]["maps_to_sde18"] == ""


# ---------------------------------------------------------------- outcome codes


def test_nfa_outcome_codes():
    codes = {r["code"]: r for r in rows("outcome_codes.csv")}
    for code in ("9", "10", "15", "16", "21"):
        assert is_true(codes[code]["is_nfa"]), code
        assert codes[code]["nfa_category"], code
    for code in ("1", "2", "3"):
        assert not is_true(codes[code]["is_nfa"]), code
        assert codes[code]["nfa_category"] == "", code


def test_outcome_codes_complete_with_introduction_dates():
    codes = {r["code"]: r for r in rows("outcome_codes.csv")}
    framework = ["0", "1", "1A", "2", "2A", "3", "3A", *(str(n) for n in range(4, 24))]
    pre_2013 = ["PRE13-SD", "PRE13-NSD", "PRE13-UND", "PRE13-NC"]
    assert set(codes) == set(framework) | set(pre_2013)
    assert codes["1"]["valid_from"] == "2013-04-01"
    assert codes["21"]["valid_from"] == "2016-01-01"
    assert codes["22"]["valid_from"] == "2019-04-01"
    for code in pre_2013:
        assert codes[code]["valid_to"] == "2013-03-31"
        assert is_true(codes[code]["unconfirmed"])
    for row in codes.values():
        assert row["decided_by"] in {"police", "cps", "police_or_cps", ""}, row
    assert codes["9"]["decided_by"] == "cps"
    assert codes["10"]["decided_by"] == "police"
