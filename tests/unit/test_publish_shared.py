"""A figure shown in several tables is suppressed in all of them or in none: otherwise the
table that shows it undoes the other's protection."""

from __future__ import annotations

from beaconport.stats import disclosure as sdc
from beaconport.stats import figures as f
from beaconport.stats import publish


def test_a_figure_hidden_in_one_table_is_hidden_in_the_other() -> None:
    # One force's 15 referrals: 3 involving rape, 12 not. The 3 is suppressed, so the 12 beside
    # it is, and the column total that repeats the 12 too. Another table showing the same 12
    # (the referrals not involving rape) would give all of it away.
    stages = f.Table("stages", "Stages", "referrals", "", ("Eligible",),
                     ("Rape", "Not rape"), ((3, 12),))
    other = f.Table("other", "Not involving rape, by panel", "referrals", "", ("Not rape",),
                    ("Referrals",), ((12,),), margins=False)
    shared = ((("stages", (None, 1)), ("other", (0, 0))),)
    alone = {t.key: p for t, p in publish.protect_all((stages, other), (), 10)}
    assert (None, 1) in alone["stages"].suppressed()
    assert alone["other"].cells[0][0] == sdc.Cell(12)
    together = {t.key: p for t, p in publish.protect_all((stages, other), shared, 10)}
    assert together["other"].cells[0][0].symbol == sdc.CONFIDENTIAL
    assert (None, 1) in together["stages"].suppressed()
