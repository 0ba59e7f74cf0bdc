"""The three carriers: JSON Lines, workbooks (.xlsx, .ods) and CSV files (folder or zip)."""

from __future__ import annotations

import copy
import csv
import json
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from beaconport.referrals.carriers import (
    Limits,
    RawReferral,
    UnreadableFile,
    count_hint,
    read_referrals,
    write_referrals,
)
from beaconport.referrals.carriers.tabular import SHEET_COLUMNS

DEFAULTS = Limits()


def _referral(reference: str = "WYP/CSE/2014/00123") -> dict[str, Any]:
    return {
        "format": "beaconport.referral/1",
        "force": "E23000010",
        "force_reference": reference,
        "referred_on": "2025-10-02",
        "referring_officer": {
            "name": "DS A Example",
            "email": "a.example@force.example",
            "phone": "01234 567890",
        },
        "summary": "Short administrative summary.\nSecond line with  two spaces, £ and Zoë.",
        "crimes": [
            {
                "crime_reference": "13140012345",
                "recorded_on": "2014-03-02",
                "offence": {"scheme": "SOA2003", "code": "s5", "description": "Rape of a child"},
                "offence_period": {"from": "2013-06", "to": "2013-12"},
                "complainants": ["P3"],
                "suspects": ["P1", "P2"],
                "outcome_code": "15",
            }
        ],
        "people": [
            {
                "id": "P1",
                "role": "suspect",
                "forenames": "John Paul",
                "surname": "Smith",
                "aliases": [{"forenames": "JP", "surname": "Smith"}, {"nickname": "Smudge"}],
                "date_of_birth": "1980-05-02",
                "sex": "male",
                "nationality": ["GB", "IE"],
                "ethnicity": [
                    {
                        "scheme": "SDE18+1",
                        "code": "W1",
                        "basis": "self_defined",
                        "recorded_on": "2014-03-05",
                    },
                    {"scheme": "IC6+1", "code": "IC1", "basis": "officer_observed"},
                ],
                "alive_status": "believed_alive",
                "alive_status_checked_on": "2025-09-20",
                "addresses": [
                    {"line": "1 Example Street, Leeds", "postcode": "LS1 4AP", "from": "2012"}
                ],
                "identifiers": [{"type": "PNC", "value": "12/345678A"}],
                "interview": "under_caution",
                "arrested": True,
            },
            {"id": "P2", "role": "suspect", "surname": "Khan", "arrested": False},
            {
                "id": "P3",
                "role": "complainant",
                "forenames": "Jane",
                "surname": "Doe",
                "date_of_birth": "1999",
                "sex": "female",
                "age_at_first_offence": 14,
                "ethnicity": [{"scheme": "FREE_TEXT", "label": "Mixed", "basis": "self_defined"}],
                "alive_status": "believed_alive",
                "review_support": "supports",
                "review_support_recorded_on": "2025-09-15",
            },
        ],
        "decisions": [
            {
                "suspect": "P1",
                "crime": "13140012345",
                "decided_by": "cps",
                "decision": "nfa_evidential",
                "outcome_code": "15",
                "decided_on": "2015-02-10",
                "reason": "Insufficient evidence",
            },
            {
                "suspect": "P2",
                "crime": "13140012345",
                "decided_by": "police",
                "decision": "nfa_evidential",
                "outcome_code": "15",
                "decided_on": "2014-11-01",
            },
        ],
        "previous_reviews": [
            {"by": "IOPC", "completed_on": "2019", "reference": "R/1", "outcome": "none"}
        ],
    }


def _documents() -> list[dict[str, Any]]:
    second = _referral("WYP/CSE/2015/00007")
    second["previous_reviews"] = []
    del second["referring_officer"]
    second["people"][0]["aliases"] = [{"nickname": "Jay"}]
    third = _referral("WYP/CSE/2016/00001")
    third["force"] = "West Yorkshire"
    third["crimes"].append(
        {
            "crime_reference": "13150000001",
            "offence": {"scheme": "HOCODE", "code": "19/11"},
            "suspects": ["P2"],
        }
    )
    return [_referral(), second, third]


def _read(path: Path, limits: Limits = DEFAULTS) -> list[RawReferral]:
    return list(read_referrals(path, limits))


def _codes(referral: RawReferral) -> list[str]:
    return [problem.code for problem in referral.problems]


def _unreadable(path: Path, limits: Limits = DEFAULTS) -> UnreadableFile:
    with pytest.raises(UnreadableFile) as caught:
        read_referrals(path, limits)  # raises before anything is iterated
    return caught.value


Sheets = dict[str, Sequence[Sequence[Any]]]


def _xlsx(path: Path, sheets: Sheets) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


def _csv_folder(path: Path, sheets: Sheets, encoding: str = "utf-8") -> Path:
    path.mkdir()
    for name, rows in sheets.items():
        with (path / f"{name}.csv").open("w", encoding=encoding, newline="") as out:
            csv.writer(out).writerows(rows)
    return path


def _minimal(**extra: Sequence[Sequence[Any]]) -> Sheets:
    referrals = [["force", "force_reference", "referred_on"], ["E23000010", "R1", "2025-10-02"]]
    return {"referrals": referrals, **extra}


# --- round trips ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["referrals.jsonl", "referrals.xlsx", "referrals.ods",
                                  "folder", "referrals.zip"])  # fmt: skip
def test_every_carrier_gives_back_the_documents_written(tmp_path: Path, name: str) -> None:
    documents = _documents()
    path = tmp_path / name
    write_referrals(copy.deepcopy(documents), path)
    referrals = _read(path)
    assert [referral.document for referral in referrals] == documents
    assert all(referral.problems == [] for referral in referrals)
    assert count_hint(path) == len(documents)


def test_folder_path_ending_in_a_slash_is_a_csv_folder(tmp_path: Path) -> None:
    write_referrals(_documents(), f"{tmp_path / 'out.d'}/")
    assert sorted(file.name for file in (tmp_path / "out.d").iterdir()) == sorted(
        f"{key}.csv" for key in SHEET_COLUMNS
    )


def test_csv_writer_writes_only_sheets_with_rows(tmp_path: Path) -> None:
    document = _referral()
    document["previous_reviews"] = []
    for person in document["people"]:
        person.pop("ethnicity", None)
    write_referrals([document], tmp_path / "out")
    names = {file.name for file in (tmp_path / "out").iterdir()}
    assert names == {"referrals.csv", "crimes.csv", "people.csv", "decisions.csv"}
    assert not (tmp_path / "out" / "referrals.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_what_the_tabular_layout_cannot_carry_is_dropped(tmp_path: Path) -> None:
    document = _referral()
    person = document["people"][0]
    person["addresses"].insert(0, {"line": "2 Other Road, Leeds", "from": "2001", "to": "2003"})
    person["identifiers"].insert(0, {"type": "CRO", "value": "123456/01A"})
    write_referrals([document], tmp_path / "r.xlsx")
    [referral] = _read(tmp_path / "r.xlsx")
    assert referral.document is not None
    read = referral.document["people"][0]
    assert read["addresses"] == [{"line": "2 Other Road, Leeds", "from": "2001", "to": "2003"}]
    assert read["identifiers"] == [{"type": "PNC", "value": "12/345678A"}]


@pytest.mark.parametrize("name", ["r.jsonl", "r.xlsx", "r.ods"])
def test_text_that_looks_like_a_formula_survives_where_cells_are_typed(
    tmp_path: Path, name: str
) -> None:
    document = _referral()
    document["summary"] = "=== not a formula ===\n\tindented  twice"
    write_referrals([document], tmp_path / name)
    [referral] = _read(tmp_path / name)
    assert referral.problems == []
    assert referral.document is not None
    assert referral.document["summary"] == "=== not a formula ===\n\tindented  twice"


def test_raw_text_of_a_tabular_referral_keeps_every_row_as_sent(tmp_path: Path) -> None:
    path = _csv_folder(
        tmp_path / "in",
        _minimal(people=[["force", "force_reference", "person_id", "role", "Notes"],
                         ["E23000010", "R1", "P1", " suspect ", "extra column"]]),
    )  # fmt: skip
    [referral] = _read(path)
    raw = json.loads(referral.raw_text)
    assert raw["people"] == [
        {"row": 2, "force": "E23000010", "force_reference": "R1", "person_id": "P1",
         "role": " suspect ", "Notes": "extra column"}
    ]  # fmt: skip
    assert referral.document is not None
    assert referral.document["people"] == [{"id": "P1", "role": "suspect"}]


# --- JSON Lines -----------------------------------------------------------------------------


def test_jsonl_with_bom_blank_lines_and_damaged_lines(tmp_path: Path) -> None:
    good = json.dumps(_referral())
    path = tmp_path / "r.jsonl"
    path.write_bytes(
        b"\xef\xbb\xbf" + good.encode() + b"\r\n"
        + b"\n   \n"
        + b'{"force": "Caf\xe9"}\n'
        + b"[1, 2]\n"
        + b'{"force": "E23000010",, "x": 1}\n'
        + good[:812].encode()
    )  # fmt: skip
    referrals = _read(path)
    assert [r.position for r in referrals] == ["line 1", "line 4", "line 5", "line 6", "line 7"]
    assert referrals[0].document == _referral()
    assert referrals[0].raw_text == good
    assert [_codes(r) for r in referrals[1:]] == [
        ["not_utf8"],
        ["not_an_object"],
        ["invalid_json"],
        ["invalid_json"],
    ]
    assert all(r.document is None for r in referrals[1:])
    assert referrals[1].raw_text == '{"force": "Caf\\xe9"}'
    assert "(character 23)" in referrals[3].problems[0].message
    truncated = referrals[4].problems[0]
    assert "the line ends before the JSON object is complete (character 812)" in truncated.message
    assert truncated.location == "line 7"
    assert referrals[0].locate("people[2].date_of_birth") == "line 1: people[2].date_of_birth"


def test_an_over_long_line_is_reported_and_cut_without_reading_it_whole(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    long_line = json.dumps({"summary": "x" * 300_000})
    path.write_text(long_line + "\n" + json.dumps(_referral()) + "\n", encoding="utf-8")
    referrals = _read(path, Limits(max_line_bytes=100_000))
    assert _codes(referrals[0]) == ["line_too_long"]
    assert referrals[0].document is None
    assert referrals[0].raw_text.startswith(long_line[:65_536])
    assert "cut short" in referrals[0].raw_text[65_536:]
    assert len(referrals[0].raw_text) < 66_000
    assert f"{len(long_line):,} bytes" in referrals[0].problems[0].message
    assert referrals[1].document == _referral() and referrals[1].position == "line 2"


@pytest.mark.parametrize("content", [b"", b"\n\n  \r\n", b"\xef\xbb\xbf\n"])
def test_a_jsonl_file_with_nothing_in_it_is_empty(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "r.jsonl"
    path.write_bytes(content)
    assert _unreadable(path).code == "empty_file"


# --- workbooks ------------------------------------------------------------------------------


def test_xlsx_formula_cell_is_reported_and_left_out(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "r.xlsx",
        _minimal(people=[["force", "force_reference", "person_id", "role", "date_of_birth"],
                         ["E23000010", "R1", "P1", "suspect", "=DATE(1980,5,2)"]]),
    )  # fmt: skip
    [referral] = _read(path)
    assert _codes(referral) == ["formula_not_allowed"]
    assert referral.problems[0].location == "sheet 'people', row 2, column 'date_of_birth'"
    assert "=DATE(1980,5,2)" in referral.problems[0].message
    assert referral.document is not None
    assert referral.document["people"] == [{"id": "P1", "role": "suspect"}]
    assert json.loads(referral.raw_text)["people"][0]["date_of_birth"] == "=DATE(1980,5,2)"


def test_xlsx_numbers_dates_and_yes_no_become_what_the_json_would_hold(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "r.xlsx",
        {
            "Referrals": [["Force ", "FORCE_REFERENCE", "referred on"],
                          ["E23000010", 2014123, datetime(2025, 10, 2)]],
            "crimes": [["force", "force_reference", "crime_reference", "outcome_code",
                        "offence_from"],
                       ["E23000010", 2014123, 13140012345, 15.0, datetime(2013, 6, 1)]],
            "people": [["force", "force_reference", "person_id", "role", "arrested",
                        "age_at_first_offence", "unknown column"],
                       ["E23000010", 2014123.0, "P1", "suspect", "Yes", 14.0, "ignored"],
                       ["E23000010", 2014123.0, "P2", "suspect", True, None, None],
                       ["E23000010", 2014123.0, "P3", "suspect", "perhaps", "fourteen"]],
        },
    )  # fmt: skip
    book = openpyxl.load_workbook(path)
    book["crimes"]["E2"].number_format = "mmm-yy"  # "Jun-13": the day was never known
    book.save(path)
    [referral] = _read(path)
    assert referral.problems == []
    document = referral.document
    assert document is not None
    assert document["force_reference"] == "2014123"
    assert document["referred_on"] == "2025-10-02"
    assert document["crimes"] == [
        {
            "crime_reference": "13140012345",
            "outcome_code": "15",
            "offence_period": {"from": "2013-06"},
        }
    ]
    assert [p.get("arrested") for p in document["people"]] == [True, True, "perhaps"]
    assert [p.get("age_at_first_offence") for p in document["people"]] == [14, None, "fourteen"]


def test_empty_rows_and_sheets_are_ignored(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "r.xlsx",
        {"referrals": [[None], ["force", "force_reference"], [None, "  "], ["E23000010", "R1"]],
         "Sheet1": [], "crimes": []},
    )  # fmt: skip
    [referral] = _read(path)
    assert referral.position == "referrals sheet, row 4"
    assert referral.document is not None
    assert referral.document["crimes"] == []


def test_a_workbook_with_headings_only_is_empty(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "r.xlsx", {"referrals": [SHEET_COLUMNS["referrals"]]})
    assert _unreadable(path).code == "empty_file"


def _ods(path: Path, tables: str) -> Path:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
            zipfile.ZIP_STORED,
        )
        archive.writestr("content.xml", content)
    return path


def _ods_cell(text: str) -> str:
    return (
        f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'
    )


def test_ods_repeated_rows_and_columns_and_typed_values(tmp_path: Path) -> None:
    header = "".join(_ods_cell(name) for name in ("force", "force_reference", "referred_on",
                                                  "summary"))  # fmt: skip
    row = (
        _ods_cell("E23000010")
        + '<table:table-cell office:value-type="float" office:value="13140012345"/>'
        + '<table:table-cell office:value-type="date" office:date-value="2025-10-02T00:00:00"/>'
        + "<table:table-cell><text:p>a<text:s text:c='2'/>b<text:span>c</text:span></text:p>"
        + "<office:annotation><text:p>a comment</text:p></office:annotation></table:table-cell>"
        + '<table:table-cell table:number-columns-repeated="16384"/>'
    )
    formula = (
        _ods_cell("E23000010")
        + _ods_cell("R2")
        + '<table:table-cell table:formula="of:=TODAY()" office:value-type="date" '
        'office:date-value="2025-10-02"/>'
    )
    path = _ods(
        tmp_path / "r.ods",
        '<table:table table:name="referrals">'
        f"<table:table-row>{header}</table:table-row>"
        '<table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row>'
        f"<table:table-row>{row}</table:table-row>"
        f"<table:table-row>{formula}</table:table-row>"
        '<table:table-row table:number-rows-repeated="1048000">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
        "</table:table>",
    )
    first, second = _read(path)
    assert first.position == "referrals sheet, row 5"
    assert first.document is not None
    assert first.document["force_reference"] == "13140012345"
    assert first.document["referred_on"] == "2025-10-02"
    assert first.document["summary"] == "a  bc"
    assert _codes(second) == ["formula_not_allowed"]
    assert second.problems[0].location == "sheet 'referrals', row 6, column 'referred_on'"


def test_ods_that_declares_entities_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "content.xml",
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><x>&a;</x>',
        )
    assert _unreadable(path).code == "corrupt_file"


# --- CSV ------------------------------------------------------------------------------------


def test_csv_cell_starting_with_equals_is_a_formula(tmp_path: Path) -> None:
    path = _csv_folder(
        tmp_path / "in",
        _minimal(crimes=[["force", "force_reference", "crime_reference", "outcome_code"],
                         ["E23000010", "R1", "C1", "=HYPERLINK(\"http://x\")"]]),
    )  # fmt: skip
    [referral] = _read(path)
    assert _codes(referral) == ["formula_not_allowed"]
    assert referral.problems[0].location == "file 'crimes.csv', row 2, column 'outcome_code'"
    assert referral.document is not None
    assert referral.document["crimes"] == [{"crime_reference": "C1"}]


def test_csv_saved_as_windows_1252_is_refused_with_the_place_and_advice(tmp_path: Path) -> None:
    path = _csv_folder(
        tmp_path / "in",
        _minimal(people=[["force", "force_reference", "person_id", "role", "surname"],
                         ["E23000010", "R1", "P1", "suspect", "Smith"],
                         ["E23000010", "R1", "P2", "suspect", "Zoë Café"]]),
        encoding="cp1252",
    )  # fmt: skip
    error = _unreadable(path)
    assert error.code == "not_utf8"
    assert "people.csv" in error.message
    assert "line 3" in error.message
    assert "0xEB" in error.message
    assert "CSV UTF-8" in error.message


def test_csv_with_a_bom_and_semicolons_is_read(tmp_path: Path) -> None:
    path = tmp_path / "in"
    path.mkdir()
    (path / "referrals.csv").write_bytes(
        "\ufeffforce;force_reference;summary\r\nE23000010;R1;Café\r\n".encode()
    )
    [referral] = _read(path)
    assert referral.document is not None
    assert referral.document["summary"] == "Café"


def test_zip_of_csv_files_inside_a_folder(tmp_path: Path) -> None:
    path = tmp_path / "r.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("export/referrals.csv", "force,force_reference\nE23000010,R1\n")
        archive.writestr("__MACOSX/export/._referrals.csv", b"\x00\x05\x16\x07")
        archive.writestr("export/readme.txt", "not a sheet")
    [referral] = _read(path)
    assert referral.position == "export/referrals.csv, row 2"


def test_csv_with_an_unclosed_quote_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "in"
    path.mkdir()
    (path / "referrals.csv").write_text(
        'force,force_reference,summary\nE23000010,R1,"never closed\n' + "x" * 2_000 + "\n"
    )
    error = _unreadable(path, Limits(max_cell_chars=100))
    assert error.code == "corrupt_file"
    assert "referrals.csv, line" in error.message


def test_a_cell_longer_than_the_limit_is_cut_and_reported(tmp_path: Path) -> None:
    path = _csv_folder(
        tmp_path / "in",
        {"referrals": [["force", "force_reference", "summary"], ["E23000010", "R1", "x" * 150]]},
    )
    [referral] = _read(path, Limits(max_cell_chars=100))
    assert _codes(referral) == ["too_long"]
    assert referral.document is not None
    assert referral.document["summary"] == "x" * 100


# --- whole-file problems --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["bomb.xlsx", "bomb.ods", "bomb.zip"])
def test_zip_bomb_is_refused_before_unpacking(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("referrals.csv", "w") as member,
    ):
        for _ in range(50):  # 50 MiB of zeros: tiny on disk
            member.write(bytes(1024**2))
    assert path.stat().st_size < 1024**2
    assert _unreadable(path).code == "zip_bomb"


def test_zip_that_unpacks_beyond_the_limit_is_too_large(tmp_path: Path) -> None:
    path = tmp_path / "r.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("referrals.csv", "force,force_reference\n" + "E23000010,R1\n" * 100)
    assert _unreadable(path, Limits(max_unpacked_bytes=1000)).code == "file_too_large"
    assert _unreadable(path, Limits(max_file_bytes=100)).code == "file_too_large"


@pytest.mark.parametrize("name", ["r.xlsx", "r.ods", "r.zip"])
def test_a_file_that_is_not_a_zip_is_corrupt(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("force,force_reference\nE23000010,R1\n")
    error = _unreadable(path)
    assert error.code == "corrupt_file"
    assert name in error.message


def test_a_zip_that_is_not_a_workbook_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hello")
    assert _unreadable(path).code == "corrupt_file"


def test_a_workbook_named_jsonl_is_corrupt(tmp_path: Path) -> None:
    write_referrals(_documents(), tmp_path / "r.xlsx")
    (tmp_path / "r.xlsx").rename(tmp_path / "r.jsonl")
    assert _unreadable(tmp_path / "r.jsonl").code == "corrupt_file"


def test_missing_file_and_unsupported_types(tmp_path: Path) -> None:
    assert _unreadable(tmp_path / "nowhere.jsonl").code == "file_not_found"
    for name in ("r.csv", "r.xls", "r.txt"):
        (tmp_path / name).write_text("x")
        assert _unreadable(tmp_path / name).code == "unsupported_file_type"
    assert "folder" in _unreadable(tmp_path / "r.csv").message


@pytest.mark.parametrize("make", [_xlsx, _csv_folder])
def test_missing_referrals_sheet(tmp_path: Path, make: Any) -> None:
    path = make(tmp_path / ("r.xlsx" if make is _xlsx else "in"),
                {"crimes": [["force", "force_reference", "crime_reference"]]})  # fmt: skip
    error = _unreadable(path)
    assert error.code == "missing_sheet"
    assert "referrals" in error.message


@pytest.mark.parametrize("make", [_xlsx, _csv_folder])
def test_missing_column(tmp_path: Path, make: Any) -> None:
    path = make(tmp_path / ("r.xlsx" if make is _xlsx else "in"),
                _minimal(people=[["force", "force_reference", "person_id"],
                                 ["E23000010", "R1", "P1"]]))  # fmt: skip
    error = _unreadable(path)
    assert error.code == "missing_column"
    assert "people" in error.message
    assert "'role'" in error.message


@pytest.mark.parametrize("make", [_xlsx, _csv_folder])
def test_unknown_sheet(tmp_path: Path, make: Any) -> None:
    path = make(tmp_path / ("r.xlsx" if make is _xlsx else "in"),
                _minimal(victims=[["force", "force_reference"], ["E23000010", "R1"]]))  # fmt: skip
    error = _unreadable(path)
    assert error.code == "unknown_sheet"
    assert "victims" in error.message


# --- rows and referrals ---------------------------------------------------------------------


def test_rows_with_no_referrals_row_are_kept_as_a_referral_of_their_own(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "r.xlsx",
        _minimal(people=[["force", "force_reference", "person_id", "role"],
                         ["E23000010", "R1", "P1", "suspect"],
                         ["E23000010", "R9", "P1", "suspect"],
                         ["E23000010", "R9", "P2", "complainant"]]),
    )  # fmt: skip
    first, orphan = _read(path)
    assert first.problems == []
    assert _codes(orphan) == ["missing_referral_row"]
    assert orphan.position == "people sheet, row 3"
    assert "rows 3, 4" in orphan.problems[0].message
    assert orphan.document is not None
    assert orphan.document["force_reference"] == "R9"
    assert [person["id"] for person in orphan.document["people"]] == ["P1", "P2"]
    assert orphan.locate("referred_on") == "people sheet, row 3"


def test_rows_that_name_no_referral_and_duplicates(tmp_path: Path) -> None:
    path = _csv_folder(
        tmp_path / "in",
        {
            "referrals": [["force", "force_reference"], ["E23000010", "R1"],
                          ["E23000010", "R1"]],
            "people": [["force", "force_reference", "person_id", "role", "surname"],
                       ["E23000010", "R1", "P1", "suspect", "First"],
                       ["E23000010", "R1", "P1", "suspect", "Second"],
                       ["E23000010", "", "P2", "suspect", "Lost"]],
            "ethnicity": [["force", "force_reference", "person_id", "code"],
                          ["E23000010", "R1", "P7", "W1"]],
        },
    )  # fmt: skip
    referral, loose = _read(path)
    assert _codes(referral) == ["duplicate_row", "duplicate_row", "unknown_person_ref"]
    assert referral.problems[0].location == "file 'referrals.csv', row 3"
    assert referral.problems[1].location == "file 'people.csv', row 3, column 'person_id'"
    assert referral.document is not None
    assert referral.document["people"] == [{"id": "P1", "role": "suspect", "surname": "First"}]
    assert len(json.loads(referral.raw_text)["people"]) == 2
    assert loose.document is None
    assert _codes(loose) == ["missing_identity"]
    assert loose.position == "people.csv, row 4"
    assert loose.problems[0].location == "file 'people.csv', row 4, column 'force_reference'"


def test_locate_names_sheet_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    write_referrals(_documents(), path)
    referral = _read(path)[2]
    locate = referral.locate
    # the third referral: referrals row 4, crimes rows 4-5, people 8-10, ethnicity 8-10,
    # decisions 6-7, previous_reviews 3
    assert locate("force_reference") == "sheet 'referrals', row 4, column 'force_reference'"
    assert locate("referring_officer.email") == (
        "sheet 'referrals', row 4, column 'referring_officer_email'"
    )
    assert locate("crimes[1].offence.code") == "sheet 'crimes', row 5, column 'offence_code'"
    assert locate("people[2].date_of_birth") == "sheet 'people', row 10, column 'date_of_birth'"
    assert locate("people[0].ethnicity[1].code") == "sheet 'ethnicity', row 9, column 'code'"
    assert locate("people[0].addresses[0].postcode") == ("sheet 'people', row 8, column 'postcode'")
    assert locate("people[0].aliases[1].nickname") == "sheet 'people', row 8, column 'aliases'"
    assert locate("people[1].mystery") == "sheet 'people', row 9"
    assert locate("people[0]") == "sheet 'people', row 8"
    assert locate("decisions[1].crime") == "sheet 'decisions', row 7, column 'crime_reference'"
    assert locate("previous_reviews[0].by") == "sheet 'previous_reviews', row 3, column 'by'"
    assert locate("people[9].sex") == "sheet 'referrals', row 4"
    assert locate("") == "referrals sheet, row 4"


def test_count_hint_is_none_for_what_it_cannot_count(tmp_path: Path) -> None:
    assert count_hint(tmp_path / "missing.xlsx") is None
    (tmp_path / "r.txt").write_text("x")
    assert count_hint(tmp_path / "r.txt") is None
