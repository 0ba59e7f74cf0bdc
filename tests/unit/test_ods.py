"""The .ods writer for published statistics: what is written reads back the same, the same
sheets give the same bytes, the archive is laid out as OpenDocument requires, bad sheet names
are refused and a failed write leaves no file."""

from __future__ import annotations

import csv
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from defusedxml.ElementTree import fromstring

from beaconport.stats.ods import MIMETYPE, Sheet, read_workbook, write_workbook

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
SOFFICE = shutil.which("libreoffice") or shutil.which("soffice")


def _publication() -> list[Sheet]:
    return [
        Sheet("Cover", "Referrals to the review: April 2024 to March 2025", [
            ["This spreadsheet contains the tables published with the statistical release."],
            ["Contact: statistics team"],
        ], header_rows=0),
        Sheet("Contents", "Table of contents", [
            ["Sheet", "Table title"],
            ["Notes", "Notes"],
            ["Table_1", "Referrals by force and outcome"],
        ]),
        Sheet("Notes", "Notes", [
            ["Note number", "Note text"],
            ["Note 1", "Counts below 10 are suppressed and shown as [c]."],
        ]),
        Sheet(
            "Table_1",
            "Table 1: Referrals by force and outcome",
            [
                ["Force", "Outcome <&>\"'", "Referrals", "Rate per 1,000"],
                ["Côte d’Ivoire liaison", "Charged & cautioned", 1234, 0.1],
                ["A  B", " leading and trailing ", "[c]", None],
                ["Tab\there", "Line one\nline two", 0, -2.5e-7],
                ["Total", "", 10**15, 1e20],
            ],
            description="Source: case records. Some cells refer to notes [note 1].",
        ),
    ]


def test_what_is_written_reads_back_cell_for_cell(tmp_path: Path) -> None:
    path = tmp_path / "release.ods"
    write_workbook(path, _publication())
    book = read_workbook(path)
    assert list(book) == ["Cover", "Contents", "Notes", "Table_1"]
    table = book["Table_1"]
    # The title in A1, the description in A2, then the table itself from A3.
    assert table[0] == ["Table 1: Referrals by force and outcome"]
    assert table[1] == ["Source: case records. Some cells refer to notes [note 1]."]
    assert table[2:] == [
        ["Force", "Outcome <&>\"'", "Referrals", "Rate per 1,000"],
        ["Côte d’Ivoire liaison", "Charged & cautioned", 1234.0, 0.1],
        # A suppressed cell is the symbol alone, a string, and the empty cell after it is trimmed.
        ["A  B", " leading and trailing ", "[c]"],
        ["Tab\there", "Line one\nline two", 0.0, -2.5e-7],
        ["Total", "", 1e15, 1e20],
    ]
    assert all(isinstance(v, float) for v in table[3][2:])
    # Without a description the table starts in A2.
    assert book["Notes"][0] == ["Notes"]
    assert book["Notes"][1] == ["Note number", "Note text"]


def test_empty_cells_inside_a_row_and_empty_rows_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "gaps.ods"
    write_workbook(path, [Sheet("S", "Gaps", [["a", None, None, None, 4], [None, None], [1]])])
    content = zipfile.ZipFile(path).read("content.xml").decode()
    # Runs of empty cells are written once, repeated, and expanded again when read.
    assert 'table:number-columns-repeated="3"' in content
    assert read_workbook(path)["S"] == [["Gaps"], ["a", None, None, None, 4.0], [], [1.0]]


def test_white_space_a_reader_would_collapse_is_spelt_out(tmp_path: Path) -> None:
    path = tmp_path / "spaces.ods"
    write_workbook(path, [Sheet("S", "Spaces", [[" a  b c ", "x\ty"]])])
    content = zipfile.ZipFile(path).read("content.xml").decode()
    assert '<text:p><text:s text:c="1"/>a<text:s text:c="2"/>b c<text:s text:c="1"/></text:p>' in (
        content
    )
    assert "<text:p>x<text:tab/>y</text:p>" in content


def test_the_same_sheets_give_the_same_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "first.ods", tmp_path / "second.ods"
    write_workbook(first, _publication())
    write_workbook(second, _publication())
    assert first.read_bytes() == second.read_bytes()
    for info in zipfile.ZipFile(first).infolist():
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
    assert b"date" not in zipfile.ZipFile(first).read("meta.xml")


def test_the_mimetype_comes_first_uncompressed_then_the_fixed_entries(tmp_path: Path) -> None:
    path = tmp_path / "release.ods"
    write_workbook(path, _publication())
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        first = archive.infolist()[0]
        assert archive.testzip() is None
    assert names == ["mimetype", "META-INF/manifest.xml", "content.xml", "styles.xml", "meta.xml"]
    assert first.compress_type == zipfile.ZIP_STORED
    assert not first.extra
    # Recognisable from the file's first bytes: the local header (30 bytes), the name, the type.
    data = path.read_bytes()
    assert data[:4] == b"PK\x03\x04"
    assert data[30:38] == b"mimetype"
    assert data[38 : 38 + len(MIMETYPE)] == MIMETYPE.encode("ascii")


def test_every_part_is_xml_in_the_opendocument_namespaces(tmp_path: Path) -> None:
    path = tmp_path / "release.ods"
    write_workbook(path, _publication())
    with zipfile.ZipFile(path) as archive:
        content = fromstring(archive.read("content.xml"))
        styles = fromstring(archive.read("styles.xml"))
        meta = fromstring(archive.read("meta.xml"))
        manifest = fromstring(archive.read("META-INF/manifest.xml"))
    assert content.tag == f"{{{OFFICE}}}document-content"
    assert content.get(f"{{{OFFICE}}}version") == "1.2"
    assert styles.tag == f"{{{OFFICE}}}document-styles"
    assert meta.tag == f"{{{OFFICE}}}document-meta"
    assert meta.findtext("*/{http://purl.org/dc/elements/1.1/}title") == (
        "Referrals to the review: April 2024 to March 2025"
    )
    manifest_ns = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
    assert manifest.tag == f"{{{manifest_ns}}}manifest"
    listed = {e.get(f"{{{manifest_ns}}}full-path") for e in manifest}
    assert listed == {"/", "content.xml", "styles.xml", "meta.xml"}
    tables = content.findall(f"{{{OFFICE}}}body/{{{OFFICE}}}spreadsheet/{{{TABLE}}}table")
    assert [t.get(f"{{{TABLE}}}name") for t in tables] == [
        "Cover", "Contents", "Notes", "Table_1",
    ]
    # The header row is marked as such; a sheet with no header has none.
    assert tables[0].find(f"{{{TABLE}}}table-header-rows") is None
    header = tables[3].find(f"{{{TABLE}}}table-header-rows")
    assert header is not None
    assert len(header) == 1
    # No merged cells anywhere.
    assert not any("spanned" in key for element in content.iter() for key in element.attrib)


def test_numbers_are_numeric_cells_and_symbols_are_text(tmp_path: Path) -> None:
    path = tmp_path / "release.ods"
    write_workbook(path, [Sheet("T", "Title", [["Count"], [12], ["[c]"], [0.25]])])
    content = fromstring(zipfile.ZipFile(path).read("content.xml"))
    cells = [
        (c.get(f"{{{OFFICE}}}value-type"), c.get(f"{{{OFFICE}}}value"))
        for c in content.iter(f"{{{TABLE}}}table-cell")
    ]
    assert cells == [
        ("string", None), ("string", None), ("float", "12"), ("string", None), ("float", "0.25"),
    ]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("A" * 32, "32 characters"),
        ("Table[1]", "contains [ ]"),
        ("Rates*", "contains *"),
        ("What?", "contains ?"),
        ("2024/25", "contains /"),
        ("2024\\25", "contains \\"),
        ("Note: 1", "contains :"),
        ("'Quoted'", "apostrophe"),
    ],
)
def test_invalid_sheet_names_are_refused(tmp_path: Path, name: str, problem: str) -> None:
    path = tmp_path / "bad.ods"
    with pytest.raises(ValueError, match="sheet name") as caught:
        write_workbook(path, [Sheet(name, "Title", [["x"]])])
    assert problem in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_a_name_of_31_characters_is_allowed(tmp_path: Path) -> None:
    write_workbook(tmp_path / "ok.ods", [Sheet("A" * 31, "Title", [["x"]])])
    assert list(read_workbook(tmp_path / "ok.ods")) == ["A" * 31]


def test_duplicate_sheet_names_are_refused_whatever_their_case(tmp_path: Path) -> None:
    sheets = [Sheet("Table_1", "One", [["x"]]), Sheet("TABLE_1", "Two", [["y"]])]
    with pytest.raises(ValueError, match="'TABLE_1' is used twice"):
        write_workbook(tmp_path / "dup.ods", sheets)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("sheets", "problem"),
    [
        ([], "at least one sheet"),
        ([Sheet("S", " ", [["x"]])], "no title"),
        ([Sheet("S", "Title", [["x"]], header_rows=2)], "2 header rows"),
    ],
)
def test_other_unwritable_workbooks_are_refused(
    tmp_path: Path, sheets: list[Sheet], problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        write_workbook(tmp_path / "bad.ods", sheets)


@pytest.mark.parametrize(
    "bad", [float("nan"), float("inf"), True, b"bytes", "bell\x07", "carriage\rreturn"]
)
def test_a_failed_write_leaves_no_file_and_keeps_the_previous_one(
    tmp_path: Path, bad: object
) -> None:
    path = tmp_path / "release.ods"
    write_workbook(path, _publication())
    before = path.read_bytes()
    sheets = [*_publication()[:3], Sheet("Table_2", "Table 2", [["Count"], [bad]])]  # type: ignore[list-item]
    with pytest.raises(ValueError, match="cannot write"):
        write_workbook(path, sheets)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["release.ods"]
    assert path.read_bytes() == before


def test_an_error_while_writing_the_archive_removes_the_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "release.ods"
    real_writestr = zipfile.ZipFile.writestr

    def failing_writestr(self: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes) -> None:
        if info.filename == "meta.xml":
            raise OSError("disk full")
        real_writestr(self, info, data)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", failing_writestr)
    with pytest.raises(OSError, match="disk full"):
        write_workbook(path, _publication())
    assert list(tmp_path.iterdir()) == []


def test_a_file_from_another_writer_with_repeats_and_groups_reads(tmp_path: Path) -> None:
    # As LibreOffice writes: repeated cells, empty rows repeated to the end of the sheet, rows
    # inside a group, a comment on a cell and text in spans.
    content = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="{OFFICE}" xmlns:table="{TABLE}"
    xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>
<table:table table:name="Sheet1"><table:table-column table:number-columns-repeated="1024"/>
<table:table-row><table:table-cell office:value-type="string">
<office:annotation><text:p>comment</text:p></office:annotation>
<text:p>a<text:span>b</text:span></text:p></table:table-cell>
<table:table-cell office:value-type="float" office:value="7" table:number-columns-repeated="2">
<text:p>7</text:p></table:table-cell><table:table-cell table:number-columns-repeated="1021"/>
</table:table-row>
<table:table-row table:number-rows-repeated="2"><table:table-cell
    table:number-columns-repeated="1024"/></table:table-row>
<table:table-row-group><table:table-row><table:table-cell office:value-type="percentage"
    office:value="0.5"><text:p>50%</text:p></table:table-cell></table:table-row>
</table:table-row-group>
<table:table-row table:number-rows-repeated="1048571"><table:table-cell
    table:number-columns-repeated="1024"/></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"""
    path = tmp_path / "other.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
    assert read_workbook(path) == {"Sheet1": [["ab", 7.0, 7.0], [], [], [0.5]]}


def test_a_file_that_is_not_a_spreadsheet_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "text.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<x/>")
    with pytest.raises(ValueError, match="not an OpenDocument spreadsheet"):
        read_workbook(path)


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_workbook(tmp_path: Path) -> None:
    path = tmp_path / "release.ods"
    write_workbook(path, [Sheet("Table_1", "Table 1: Counts", [["Force", "Count"], ["A", 12]])])
    assert SOFFICE is not None
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "csv",
            "--outdir",
            str(tmp_path / "out"),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    with (tmp_path / "out" / "release.csv").open(encoding="utf-8", newline="") as handle:
        rows = [[v for v in row if v] for row in csv.reader(handle)]
    assert rows[:3] == [["Table 1: Counts"], ["Force", "Count"], ["A", "12"]]
