"""The statistics dashboard in a real browser: a panel member (any role that sees aggregate
figures; the analyst's account is the one another journey enrols afresh) opens it, sees every
chart drawn and the figures beneath one, and axe finds nothing on it (charts labelled, tables
headed)."""

from __future__ import annotations

from playwright.sync_api import expect
from tests.e2e.conftest import Desks, Server, accessible


def test_the_dashboard_is_read_in_a_browser(desks: Desks, server: Server) -> None:
    found: dict[str, str] = {}
    page = desks("demo-panel-member")
    page.goto(server.base_url + "/statistics")
    expect(page.get_by_role("heading", name="Statistics", exact=True)).to_be_visible()
    for key in ("received", "stages", "criteria", "panel", "ethnicity_suspect",
                "ethnicity_complainant"):
        expect(page.get_by_test_id(f"chart-{key}").locator("svg")).to_be_visible()
    expect(page.get_by_test_id("forecast")).to_contain_text("simulated runs")
    accessible(page, "the dashboard", found)
    page.get_by_test_id("chart-stages").get_by_text("The figures").click()
    expect(page.get_by_test_id("chart-stages").get_by_role("table")).to_be_visible()
    accessible(page, "the dashboard with a chart's figures open", found)
    assert not found, found
