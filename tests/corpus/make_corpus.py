"""Build the corpus of broken files in tests/corpus/files, and its expected.json.

Each file is something a force could really send (or an attacker could): truncated JSON, wrong
types, the wrong encoding, formulas, impossible dates, duplicate ids, unknown codes, damaged
archives. expected.json says, for each, the exit status import must give and the problem codes it
must report. Run it again after changing a case:

    .venv/bin/python tests/corpus/make_corpus.py

Files too large to keep in the repository (a zip bomb, a line over the length limit) are built by
the test itself.
"""

from __future__ import annotations

import copy
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from beaconport.referrals.carriers import write_referrals

HERE = Path(__file__).parent
FILES = HERE / "files"
EXAMPLE: dict[str, Any] = json.loads((HERE.parent / "data" / "example_referral.json").read_text())

Case = tuple[str, int, list[str]]


def doc(reference: str, change: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
    d = copy.deepcopy(EXAMPLE)
    d["force_reference"] = reference
    if change:
        change(d)
    return d


def lines(path: Path, docs: list[Any]) -> None:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), "utf-8")


def jsonl_cases() -> list[Case]:
    lines(FILES / "truncated.jsonl", [doc("T/1")])
    with (FILES / "truncated.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(doc("T/2"))[:300] + "\n")

    def wrong_types(d: dict[str, Any]) -> None:
        d["people"][0]["arrested"] = "yes"
        d["people"][2]["age_at_first_offence"] = "fourteen"
        d["crimes"][0]["suspects"] = "P1, P2"
        d["previous_reviews"] = {"by": "Someone"}

    lines(FILES / "wrong_types.jsonl", [doc("W/1", wrong_types),
                                        doc("W/2", lambda d: d.update(people="P1"))])
    (FILES / "bom.jsonl").write_bytes(b"\xef\xbb\xbf" + json.dumps(doc("B/1")).encode() + b"\n")
    (FILES / "not_utf8.jsonl").write_bytes(
        json.dumps(doc("N/1")).encode() + b"\n"
        + json.dumps(doc("N/2", lambda d: d.update(summary="Caf\u00e9")), ensure_ascii=False)
        .encode("cp1252") + b"\n")

    def duplicates(d: dict[str, Any]) -> None:
        d["people"][1]["id"] = "P1"
        d["crimes"].append(copy.deepcopy(d["crimes"][0]))

    lines(FILES / "duplicate_ids.jsonl", [
        doc("D/1", duplicates), doc("D/2"), doc("D/2", lambda d: d.update(summary="Changed")),
    ])

    def unknown_codes(d: dict[str, Any]) -> None:
        d["force"] = "Borsetshire Constabulary"
        d["crimes"][0]["outcome_code"] = "99"
        d["people"][0]["ethnicity"][0]["code"] = "Z9"
        d["people"][0]["nationality"] = ["UK"]

    lines(FILES / "unknown_codes.jsonl", [doc("U/1", unknown_codes)])

    def bad_dates(d: dict[str, Any]) -> None:
        d["people"][0]["date_of_birth"] = "31/02/1980"
        d["decisions"][0]["decided_on"] = "2015-02-31"
        d["crimes"][0]["recorded_on"] = "2014-13"
        d["referred_on"] = "2025"

    lines(FILES / "bad_dates.jsonl", [doc("X/1", bad_dates)])
    lines(FILES / "huge_field.jsonl", [doc("H/1", lambda d: d.update(summary="Routine. " * 600)),
                                       doc("H/2", lambda d: d.update(force_reference="R" * 65))])
    (FILES / "empty.jsonl").write_text("\n   \n")
    (FILES / "not_object.jsonl").write_text('["a", "list"]\n42\n')
    lines(FILES / "missing_fields.jsonl", [{"format": "beaconport.referral/1"}])
    return [
        ("truncated.jsonl", 3, ["invalid_json"]),
        ("wrong_types.jsonl", 3, ["invalid_type"]),
        ("bom.jsonl", 0, []),
        ("not_utf8.jsonl", 3, ["not_utf8"]),
        ("duplicate_ids.jsonl", 3, ["duplicate_person_id", "duplicate_crime_ref",
                                    "duplicate_referral"]),
        ("unknown_codes.jsonl", 3, ["unknown_force", "unknown_code"]),
        ("bad_dates.jsonl", 3, ["invalid_date"]),
        ("huge_field.jsonl", 3, ["too_long"]),
        ("empty.jsonl", 2, ["empty_file"]),
        ("not_object.jsonl", 3, ["not_an_object"]),
        ("missing_fields.jsonl", 3, ["missing_field"]),
    ]


def csv_cases() -> list[Case]:
    write_referrals([doc("C/1")], FILES / "csv_cp1252")
    people = FILES / "csv_cp1252" / "referrals.csv"
    people.write_bytes(people.read_text("utf-8").replace("Short", "Caf\u00e9").encode("cp1252"))

    write_referrals([doc("C/2")], FILES / "csv_bom")
    referrals = FILES / "csv_bom" / "referrals.csv"
    referrals.write_bytes(b"\xef\xbb\xbf" + referrals.read_bytes())

    write_referrals([doc("C/3")], FILES / "csv_formula")
    sheet = FILES / "csv_formula" / "people.csv"
    sheet.write_text(sheet.read_text("utf-8").replace("Smith", '"=HYPERLINK(""x"")"', 1), "utf-8")

    write_referrals([doc("C/4")], FILES / "csv_no_referrals")
    (FILES / "csv_no_referrals" / "referrals.csv").unlink()

    write_referrals([doc("C/5"), doc("C/6")], FILES / "csv_orphan_rows")
    sheet = FILES / "csv_orphan_rows" / "referrals.csv"
    sheet.write_text("".join(ln for ln in sheet.read_text("utf-8").splitlines(keepends=True)
                             if "C/6" not in ln), "utf-8")

    write_referrals([doc("C/7", lambda d: d["people"][0].update(date_of_birth="1980-02-30"))],
                    FILES / "csv_bad_date.zip")
    return [
        ("csv_cp1252", 2, ["not_utf8"]),
        ("csv_bom", 0, []),
        ("csv_formula", 3, ["formula_not_allowed"]),
        ("csv_no_referrals", 2, ["missing_sheet"]),
        ("csv_orphan_rows", 3, ["missing_referral_row"]),
        ("csv_bad_date.zip", 3, ["invalid_date"]),
    ]


def workbook_cases() -> list[Case]:
    from openpyxl import load_workbook

    write_referrals([doc("S/1")], FILES / "formula.xlsx")
    book = load_workbook(FILES / "formula.xlsx")
    book["people"]["F2"] = "=1+1"
    book.save(FILES / "formula.xlsx")
    write_referrals([doc("S/2", lambda d: d["decisions"][0].update(decided_on="2015-02-31"))],
                    FILES / "bad_date.ods")
    (FILES / "corrupt.xlsx").write_text("This is not a workbook, whatever its name says.\n")
    with zipfile.ZipFile(FILES / "not_a_workbook.ods", "w") as archive:
        archive.writestr("content.xml", "<not-ods/>")
    (FILES / "unsupported.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    return [
        ("formula.xlsx", 3, ["formula_not_allowed"]),
        ("bad_date.ods", 3, ["invalid_date"]),
        ("corrupt.xlsx", 2, ["corrupt_file"]),
        ("not_a_workbook.ods", 2, ["missing_sheet"]),
        ("unsupported.pdf", 2, ["unsupported_file_type"]),
    ]


def main() -> None:
    shutil.rmtree(FILES, ignore_errors=True)
    FILES.mkdir()
    cases = jsonl_cases() + csv_cases() + workbook_cases()
    expected = {name: {"exit_status": status, "codes": codes} for name, status, codes in cases}
    (HERE / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")
    print(f"{len(cases)} corpus files written to {FILES}")


if __name__ == "__main__":
    main()
