"""Numbers and dates typed oddly get a page naming the problem, never a server error: digits
from other scripts that Python calls digits but cannot read, and the last day there is."""

from __future__ import annotations

import pytest
from tests.integration.conftest import Seeded

from beaconport.web.forms import form_int

ODD = ["²", "١٢", "-1", "1.5", "1e3", " ", "9" * 5000]


@pytest.mark.parametrize("typed", ODD)
def test_form_int_reads_only_plain_digits(typed: str) -> None:
    assert form_int(typed) is None
    assert form_int(typed, -1) == -1


def test_form_int_reads_plain_digits() -> None:
    assert form_int(" 25 ") == 25 and form_int("0") == 0 and form_int("123456789") == 123456789
    assert form_int("1234567890") is None


def test_odd_numbers_and_dates_on_the_pages(web: Seeded) -> None:
    senior = web.as_user("demo-senior-reviewer")
    assert senior.get("/learning?to=9999-12-31").status_code == 200
    assert senior.get("/learning.csv?from=0001-01-01&to=9999-12-31").status_code == 200
    share = senior.post_form("/reviews/blind-sample", {"percent": "²", "note": "Typed oddly."},
                             from_page="/reviews")
    assert share.status_code == 400 and "whole percentage" in share.text
    admin = web.as_user("demo-administrator")
    days = admin.post_form("/admin/tokens", {"name": "WYP case system", "force": "WYP",
                                             "days": "²"}, from_page="/admin/tokens")
    assert days.status_code == 400 and "whole number" in days.text
