"""The statistics dashboard on both engines: charts of today's figures with their tables, small
counts suppressed at the internal threshold and shown as [c] (never nought), the forecast; only
roles that see aggregate figures open it."""

from __future__ import annotations

import re

from tests.integration.conftest import Seeded


def test_the_dashboard_draws_the_figures_safely(web: Seeded) -> None:
    analyst = web.as_user("demo-analyst")
    page = analyst.get("/statistics")
    assert page.status_code == 200
    for key in ("received", "stages", "criteria", "panel", "ethnicity_suspect"):
        assert f'data-testid="chart-{key}"' in page.text, key
    assert 'data-testid="forecast"' in page.text
    # The seeded database holds six referrals: fewer than five of anything is [c], never a
    # small number (the headline's count of forces is an organisation count, not suppressed).
    cells = re.findall(r'govuk-table__cell--numeric">([^<]+)<', page.text)
    assert cells and all(c == "[c]" or c == "0" or int(c.replace(",", "")) >= 5
                         for c in cells), cells
    assert web.as_user("demo-administrator").get("/statistics").status_code == 403
