"""`beaconport stats publish` on both engines: every published table has its counting unit, no
count below the threshold, and no suppressed cell that can be recovered exactly from the
published cells and margins (each one's feasible range found by linear programming); the same
`--as-at` gives byte-identical files after more referrals, a resubmission and a re-screening
arrive; the headline figures match independent counts."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from tests.integration.test_triage import _case, _import

from beaconport import clock
from beaconport.db import session_scope
from beaconport.instance import service as instance
from beaconport.people import service as people
from beaconport.referrals.models import Referral
from beaconport.stats import disclosure as sdc
from beaconport.stats import figures, ods, publish

AS_AT = date(2025, 11, 20)


def _cases(prefix: str, count: int) -> list[dict[str, Any]]:
    docs = []
    for n in range(count):
        doc = _case(f"{prefix}/{n:03d}", suspects=2 + n % 3, rape=n % 4 != 0)
        if n % 5 == 0:  # some not yet supported: screening asks for it
            doc["people"][-1]["review_support"] = "not_yet_approached"
        docs.append(doc)
    return docs


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir())}


def test_published_tables_are_safe_and_the_same_date_gives_the_same_files(
        db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    then = datetime.combine(AS_AT, time(10), UTC)
    monkeypatch.setattr(clock, "now", lambda: then)
    _import(db_url, tmp_path, *_cases("WYP/S", 30))
    people.link_all(lambda: session_scope(db_url), actor="test")
    monkeypatch.undo()

    with session_scope(db_url) as session:
        # Per-force breakdowns included, so their table is checked like every other.
        instance.set_per_force_publication(session, actor="test", enabled=True,
                                           reason="Checked in this test")
    with session_scope(db_url) as session:
        first = publish.publish(session, as_at=AS_AT, output=tmp_path / "first")
        received = session.scalar(select(func.count()).select_from(Referral))
        rape = session.scalar(select(func.count()).select_from(Referral)
                              .where(Referral.involves_rape.is_(True)))
    headline = {fig.key: cell for fig, cell in first.headline}
    assert headline["referrals"] == sdc.Cell(received) and received == 30
    assert headline["forces"].value == 1
    # 22 involving rape and 8 not: the 8 is suppressed in the stages table, so the 22 is too
    # (30 less 22), and so is the headline figure that would repeat it.
    stages = next(p for t, p in first.tables if t.key == "stages")
    assert rape == 22 and (None, 0) in stages.suppressed()
    assert headline["rape"].symbol == "[c]"

    # Every published table: its unit, nothing below the threshold, nothing recoverable.
    for table, protected in first.tables:
        assert table.unit
        cells = [c for row in protected.cells for c in row]
        cells += [*protected.row_totals, *protected.column_totals, protected.total]
        assert all(c.value is None or c.value == 0 or c.value >= sdc.PUBLICATION
                   for c in cells), table.key
        for position, (low, high) in sdc.feasible_ranges(
                table.counts, protected.suppressed(), margins=table.margins,
                groups=table.groups).items():
            assert high - low >= 1, (table.key, position)
    # A figure in several tables is suppressed in all of them or in none.
    protected_by_key = {t.key: p for t, p in first.tables}
    assert first.shared
    for figure in first.shared:
        hidden = {position in protected_by_key[key].suppressed() for key, position in figure}
        assert len(hidden) == 1, figure
    assert "forces" in protected_by_key
    workbook = ods.read_workbook(next(p for p in first.files if p.suffix == ".ods"))
    assert {"Cover", "Contents", "Notes", "Headline", "Percentages", "stages", "criteria",
            "forces", "Mapping"} <= set(workbook)
    # A percentage only over a denominator of at least the threshold, of a figure shown.
    shares = {s.title: s for s in publish.shares(first.headline, first.tables,
                                                sdc.PUBLICATION)}
    assert shares["Referrals involving rape"].cell.symbol == "[c]"  # the 22 is suppressed
    recorded = shares["Suspects whose ethnicity was recorded"].cell
    assert recorded.symbol == "[c]" or 0 <= recorded.value <= 100
    assert workbook["Cover"][0][0] == publish.TITLE

    # Later: more referrals, a resubmission with a changed version, everything screened again.
    later = _cases("WYP/T", 12)
    changed = _case("WYP/S/001", suspects=4, rape=False)
    _import(db_url, tmp_path, *later, changed)
    people.link_all(lambda: session_scope(db_url), actor="test")
    with session_scope(db_url) as session:
        again = publish.publish(session, as_at=AS_AT, output=tmp_path / "again")
        today = figures.compute(session, clock.today())
    assert _digests(tmp_path / "first") == _digests(tmp_path / "again")
    assert next(f.value for f in today.headline if f.key == "referrals") == 42
    assert [c for _, c in again.headline] == [c for _, c in first.headline]


def test_the_command_refuses_a_date_it_cannot_read(cli: Any, tmp_path: Path) -> None:
    status, output = cli("stats", "publish", "--as-at", "yesterday", "--output",
                         str(tmp_path))
    assert status == 1 and "YYYY-MM-DD" in output
    status, output = cli("stats", "publish", "--as-at", clock.today().isoformat(), "--output",
                         str(tmp_path / "out"))
    assert status == 0 and "files in" in output
    assert (tmp_path / "out" / f"beaconport-statistics-{clock.today().isoformat()}.ods").exists()
    status, output = cli("stats", "publish", "--as-at", "2026-01-01", "--output",
                         str(tmp_path / "rounded"), "--rounding", "7")
    assert status == 1 and "nearest 5 or 10" in output


def test_rounding_rounds_what_is_published(db_url: str, tmp_path: Path) -> None:
    _import(db_url, tmp_path, *_cases("WYP/R", 23))
    with session_scope(db_url) as session:
        done = publish.publish(session, as_at=clock.today(), output=tmp_path / "out",
                               rounding=5)
    headline = {fig.key: cell for fig, cell in done.headline}
    assert headline["referrals"].value == 25 and headline["forces"].value == 1
    for _, protected in done.tables:
        for row in protected.cells:
            assert all(c.value is None or c.value % 5 == 0 for c in row)
    notes = ods.read_workbook(next(p for p in done.files if p.suffix == ".ods"))["Notes"]
    assert any("rounded to the nearest 5" in str(row) for row in notes)


def test_a_day_ends_in_england_and_wales() -> None:
    # Summer: the day ends at 23:00 UTC.
    assert figures.end_of_day(date(2026, 7, 1)).astimezone(UTC) == datetime(
        2026, 7, 1, 22, 59, 59, 999999, UTC)
    assert figures.end_of_day(date(2026, 12, 1)).astimezone(UTC) + timedelta(
        microseconds=1) == datetime(2026, 12, 2, tzinfo=UTC)


def test_the_review_stage_is_replayed_from_the_audit_log(db_url: str, tmp_path: Path) -> None:
    from tests.integration.test_actions import _to_panel

    _to_panel(db_url, tmp_path, "WYP/ST/01", "reinvestigate_local_force")
    with session_scope(db_url) as session:
        now = figures.compute(session, clock.today())
        before = figures.compute(session, clock.today() - timedelta(days=1))
    stages = next(t for t in now.tables if t.key == "stages")
    counts = dict(zip(stages.rows, (sum(row) for row in stages.counts), strict=True))
    assert counts["Eligible: decided by the panel"] == 1
    assert next(f.value for f in now.headline if f.key == "reinvestigations") == 1
    assert next(f.value for f in before.headline if f.key == "referrals") == 0


def test_the_forecast_reads_the_flow_and_answers_for_each_scenario(
        cli: Any, db_url: str, tmp_path: Path) -> None:
    _import(db_url, tmp_path, *_cases("WYP/F", 12))
    status, output = cli("forecast", "--runs", "60")
    assert status == 0, output
    assert "to screen" in output and "reviewers" in output
    # No reviewer profiles and nothing reviewed yet: said, and assumed rates shown.
    assert "Not yet observed, so assumed" in output
    for name in ("As now", "10 more reviewers", "A second wave of 9,000 referrals"):
        assert name in output


def test_a_headline_figure_never_gives_away_a_suppressed_cell_of_its_table() -> None:
    panel = figures.Table("panel", "Panel decisions", "referrals", "", tuple(
        figures.OUTCOME_LABELS.values()), ("Decisions",),
        tuple((n,) for n in (20, 3, 12, 0, 11, 0, 0, 0)))
    protected = publish.protect_table(panel, sdc.PUBLICATION)
    assert protected.cells[1][0].symbol == "[c]"  # the local force's 3
    reinvestigations = figures.Figure("reinvestigations", "Reinvestigations decided",
                                      "referrals", "", 15)
    ((_, shown),) = publish.headline_cells((reinvestigations,), ((panel, protected),),
                                           sdc.PUBLICATION)
    assert shown.symbol == "[c]"  # 15 less the published 12 would have been the 3
