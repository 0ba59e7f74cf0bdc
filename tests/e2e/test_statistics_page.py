"""The statistics dashboard in a real browser: a panel member (any role that sees aggregate
figures; the analyst's account is the one another journey enrols afresh) opens it, sees every
chart drawn (the per-force chart too, which the role is allowed) and the figures beneath one,
and axe finds nothing on it (charts labelled, tables headed). An administrator then decides that
per-force breakdowns are published, after the form has refused a decision with no reason, and
the publication that follows has its per-force table."""

from __future__ import annotations

import csv
from pathlib import Path

from playwright.sync_api import expect
from tests.e2e.conftest import Desks, PageWatch, Server, accessible

CHARTS = ("received", "by-force", "funnel", "stages", "outcomes", "criteria", "panel",
          "ethnicity_suspect",
          "completeness_suspect", "recording_suspect", "ethnicity_complainant", "forecast")


def test_the_dashboard_is_read_in_a_browser(desks: Desks, server: Server) -> None:
    found: dict[str, str] = {}
    page = desks("demo-panel-member")
    page.goto(server.base_url + "/statistics")
    expect(page.get_by_role("heading", name="Statistics", exact=True)).to_be_visible()
    for key in CHARTS:
        expect(page.get_by_test_id(f"chart-{key}")).to_be_visible()
    expect(page.get_by_test_id("chart-by-force").get_by_role("table")).to_contain_text("Total")
    expect(page.get_by_test_id("chart-forecast").locator("polyline")).to_have_count(4)
    expect(page.get_by_test_id("forecast")).to_contain_text("simulated runs")
    accessible(page, "the dashboard", found)
    page.get_by_test_id("chart-stages").get_by_text("The figures").click()
    expect(page.get_by_test_id("chart-stages").get_by_role("table")).to_be_visible()
    page.get_by_test_id("chart-ethnicity_suspect").get_by_text("The figures").click()
    # The 18+1 categories are in the table beneath the 5 groups' chart.
    expect(page.get_by_test_id("chart-ethnicity_suspect").get_by_role("table")).to_contain_text(
        "Pakistani")
    accessible(page, "the dashboard with a chart's figures open", found)
    assert not found, found


def test_an_administrator_decides_to_publish_per_force_breakdowns(
        desks: Desks, server: Server, watch: PageWatch, tmp_path: Path) -> None:
    found: dict[str, str] = {}
    page = desks("demo-administrator")
    page.goto(server.base_url + "/admin/publication")
    expect(page.get_by_test_id("per-force-state")).to_contain_text("are not published")
    accessible(page, "the publication page", found)
    page.get_by_label("Yes, include them").check()
    watch.expect_error_status(server.base_url + "/admin/publication")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_role("alert")).to_contain_text("Give the reason for this decision")
    accessible(page, "the publication page with an error", found)
    page.get_by_label("Reason for this decision").fill("Approved by the head of statistics")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_test_id("per-force-state")).to_contain_text("are published")
    assert not found, found

    out = tmp_path / "published"
    server.cli("stats", "publish", "--as-at", "2030-01-01", "--output", str(out))
    with (out / "forces-2030-01-01.csv").open(encoding="utf-8") as published:
        rows = list(csv.reader(published))
    assert rows[0][0] == "Referrals" and rows[-1][0] == "Total" and len(rows) > 3
    assert all(c in ("[c]", "0") or int(c) >= 10 for row in rows[1:] for c in row[1:])
