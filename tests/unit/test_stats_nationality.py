"""Each person in one nationality category, from every code recorded on any of their records."""

from __future__ import annotations

import pytest

from beaconport.stats import nationality as n


@pytest.mark.parametrize(("codes", "expected"), [
    ({"GB"}, "British only"),
    ({"GB", "PK"}, "British and another nationality"),
    ({"gb", "UNKNOWN"}, "British only"),
    ({"RO", "AL"}, "Another nationality only"),
    ({"STATELESS"}, "Stateless"),
    ({"STATELESS", "IQ"}, "Another nationality only"),
    ({"UNKNOWN"}, "Not known"),
    (set(), "Not recorded"),
])
def test_each_person_falls_in_one_category(codes: set[str], expected: str) -> None:
    assert n.category(codes) == expected
    assert expected in n.CATEGORIES
