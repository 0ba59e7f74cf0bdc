from datetime import date

import pytest

from beaconport.dates import InvalidPartialDate, PartialDate

WINDOW = (date(2010, 1, 1), date(2025, 3, 31))


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("2013", date(2013, 1, 1), date(2013, 12, 31)),
        ("2013-06", date(2013, 6, 1), date(2013, 6, 30)),
        ("2012-02", date(2012, 2, 1), date(2012, 2, 29)),
        ("2014-03-02", date(2014, 3, 2), date(2014, 3, 2)),
    ],
)
def test_a_partial_date_is_an_interval(text: str, earliest: date, latest: date) -> None:
    parsed = PartialDate.parse(text)
    assert (parsed.earliest, parsed.latest) == (earliest, latest)
    assert str(parsed) == text


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("31/02/2014", "not a date in the form"),
        ("2014-02-31", "February 2014 has 28 days"),
        ("2014-13", "months run from 01 to 12"),
        ("1850", "before 1900"),
        ("2014-1-5", "not a date in the form"),
        ("", "not a date in the form"),
    ],
)
def test_impossible_dates_are_explained(text: str, fragment: str) -> None:
    with pytest.raises(InvalidPartialDate, match=fragment):
        PartialDate.parse(text)


@pytest.mark.parametrize(
    ("text", "inside", "outside"),
    [
        ("2010", True, False),  # wholly inside the window
        ("2025", False, False),  # straddles 31 March 2025
        ("2025-03", True, False),
        ("2025-04", False, True),
        ("2009", False, True),
        ("2009-12-31", False, True),
        ("2010-01-01", True, False),
    ],
)
def test_inside_and_outside_a_window(text: str, inside: bool, outside: bool) -> None:
    parsed = PartialDate.parse(text)
    assert parsed.within(*WINDOW) is inside
    assert parsed.outside(*WINDOW) is outside
