"""The statistics dashboard on both engines: charts of today's figures with their tables, small
counts suppressed at the internal threshold and shown as [c] (never nought), the forecast and
its scenarios; the per-force chart only for roles allowed it, a force's own grant showing its
force alone; only roles that see aggregate figures open the page. The administrator's choice
of per-force breakdowns in publication: refused without a reason, audited, and obeyed."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.integration.conftest import Seeded

from beaconport import clock
from beaconport.audit.models import AuditEvent
from beaconport.db import session_scope
from beaconport.instance import queries as instance
from beaconport.stats import dashboard, publish


def test_the_dashboard_draws_the_figures_safely(web: Seeded) -> None:
    analyst = web.as_user("demo-analyst")
    page = analyst.get("/statistics")
    assert page.status_code == 200
    for key in ("received", "by-force", "funnel", "stages", "outcomes", "criteria", "panel",
                "ethnicity_suspect",
                "completeness_suspect", "recording_complainant", "forecast"):
        assert f'data-testid="chart-{key}"' in page.text, key
    assert 'data-testid="forecast"' in page.text
    # The seeded database holds five referrals: fewer than five of anything is [c], never a
    # small number (the headline's count of forces is an organisation count, not suppressed).
    cells = re.findall(r'govuk-table__cell--numeric[^"]*">([^<]+)<', page.text)
    assert cells and all(c == "[c]" or c == "0" or int(c.replace(",", "")) >= 5
                         for c in cells), cells
    assert web.as_user("demo-administrator").get("/statistics").status_code == 403


def test_the_per_force_chart_shows_what_each_role_may_see(web: Seeded) -> None:
    national = web.as_user("demo-analyst").get("/statistics").text
    assert "West Yorkshire Police" in national and "Greater Manchester Police" in national
    # A force's own grant: its own force alone.
    own = web.as_user("demo-force-submitter").get("/statistics").text
    chart = own[own.index('data-testid="chart-by-force"'):]
    chart = chart[:chart.index("</figure>")]
    assert "West Yorkshire Police" in chart and "Greater Manchester" not in chart
    # A reviewer sees the figures, not the per-force chart.
    reviewer = web.as_user("demo-reviewer").get("/statistics").text
    assert 'data-testid="chart-by-force"' not in reviewer
    assert 'data-testid="chart-stages"' in reviewer


def test_the_dashboard_is_kept_while_nothing_changes_or_for_ten_minutes(
        web: Seeded, monkeypatch: pytest.MonkeyPatch) -> None:
    noon = datetime(2026, 6, 10, 11, 0, tzinfo=UTC)
    monkeypatch.setattr(clock, "now", lambda: noon)
    with session_scope(web.url) as session:
        first = dashboard.build(session)
        assert dashboard.build(session) is first
        assert first.computed_at == "12:00"  # England and Wales time, summer
    # Nothing changed: kept past ten minutes.
    monkeypatch.setattr(clock, "now", lambda: noon + timedelta(minutes=30))
    with session_scope(web.url) as session:
        assert dashboard.build(session) is first
        # Another threshold is drawn from the same figures.
        assert dashboard.build(session, 10).threshold == 10
    # Something changed (signing in writes to the audit log), and the figures are 30 minutes
    # old: computed again.
    web.as_user("demo-analyst")
    with session_scope(web.url) as session:
        second = dashboard.build(session)
    assert second is not first and second.computed_at == "12:30"
    # Changed again five minutes later: kept (for up to ten minutes), then computed again.
    monkeypatch.setattr(clock, "now", lambda: noon + timedelta(minutes=35))
    web.as_user("demo-analyst")
    with session_scope(web.url) as session:
        assert dashboard.build(session) is second
    monkeypatch.setattr(clock, "now", lambda: noon + timedelta(minutes=41))
    with session_scope(web.url) as session:
        assert dashboard.build(session).computed_at == "12:41"


def test_per_force_publication_is_an_administrators_audited_choice(
        web: Seeded, tmp_path: Path) -> None:
    admin = web.as_user("demo-administrator")
    assert web.as_user("demo-analyst").get("/admin/publication").status_code == 403
    page = admin.get("/admin/publication")
    assert page.status_code == 200 and "are not published" in page.text
    refused = admin.post_form("/admin/publication", {"per_force": "yes", "reason": " "})
    assert refused.status_code == 400 and "Give the reason for this decision" in refused.text
    unchosen = admin.post_form("/admin/publication", {"reason": "Because"})
    assert unchosen.status_code == 400 and "Choose whether" in unchosen.text
    with session_scope(web.url) as session:
        assert not instance.publishes_per_force(session)
        left_out = publish.publish(session, as_at=date(2030, 1, 1), output=tmp_path / "a")
    assert "forces" not in {t.key for t, _ in left_out.tables}

    done = admin.post_form("/admin/publication",
                           {"per_force": "yes", "reason": "Approved by the board"})
    assert done.status_code == 303
    assert "are published" in admin.get(done.headers["location"]).text
    with session_scope(web.url) as session:
        assert instance.publishes_per_force(session)
        event = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "instance:publication:per-force")).one()
        assert event.data == {"enabled": True, "reason": "Approved by the board"}
        included = publish.publish(session, as_at=date(2030, 1, 1), output=tmp_path / "b")
    tables = {t.key: (t, p) for t, p in included.tables}
    forces, protected = tables["forces"]
    assert forces.rows == ("Greater Manchester Police", "West Yorkshire Police")
    # Five referrals: every count is small, so suppressed, here and in the stages table alike.
    assert all(c.value in (None, 0) for row in protected.cells for c in row)
    stages = tables["stages"][1]
    for position in ((None, 0), (None, 1), (None, None)):
        assert (position in stages.suppressed()) == (position in protected.suppressed())
    assert (tmp_path / "b" / "forces-2030-01-01.csv").exists()


def test_suppression_follows_the_role(web: Seeded) -> None:
    # The national team's roles: counts from 5 up. A force's own grant, outside the national
    # team: the operation's figures as published, from 10 up.
    national = web.as_user("demo-analyst").get("/statistics").text
    assert "counts below 5 are suppressed" in national
    force = web.as_user("demo-force-submitter").get("/statistics").text
    assert "counts below 10 are suppressed" in force
    # Every chart but the force's own (its own referrals, at the internal threshold).
    start = force.index('data-testid="chart-by-force"')
    figures = force[:start] + force[force.index("</figure>", start):]
    cells = re.findall(r'govuk-table__cell--numeric[^"]*">([^<]+)<', figures)
    assert len(cells) > 50
    assert cells and all(c in ("[c]", "0") or int(c.replace(",", "")) >= 10 for c in cells)
