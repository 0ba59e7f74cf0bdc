"""``beaconport safeguarding``: the daily chase of referrals to authorities not acknowledged in
time."""

from __future__ import annotations

import typer

from beaconport.cli.common import cli_actor, console, plain_errors
from beaconport.db import session_scope
from beaconport.safeguarding import referrals

app = typer.Typer(help="Safeguarding referrals to the authorities.", no_args_is_help=True)


@app.command("chase")
def chase() -> None:
    """Remind each authority that has not acknowledged a referral by its due date, and escalate
    to its supervisor one still unacknowledged a working day after the reminder. Run it every
    working day; the reminders go out with the next `beaconport outbox send`."""
    with plain_errors(), session_scope() as session:
        chased, escalated = referrals.chase_overdue(session, actor=cli_actor())
    console.print(f"Safeguarding referrals: {chased} chased, {escalated} escalated.")
