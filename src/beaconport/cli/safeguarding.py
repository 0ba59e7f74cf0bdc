"""``beaconport safeguarding``: the daily chase of referrals to authorities not acknowledged in
time."""

from __future__ import annotations

import typer
from rich.markup import escape

from beaconport.cli.common import cli_actor, console, plain_errors
from beaconport.db import session_scope
from beaconport.safeguarding import referrals

app = typer.Typer(help="Safeguarding referrals to the authorities.", no_args_is_help=True)


@app.command("chase")
def chase() -> None:
    """Remind each authority that has not acknowledged a referral by its due date, and escalate
    to its supervisor one still unacknowledged a working day after the reminder. Run it every
    working day; the reminders go out with the next `beaconport outbox send`. A supervisor who
    can no longer be told has the escalation go to the safeguarding officers instead; one that
    nobody can be told of is named, and the command ends with status 1."""
    with plain_errors(), session_scope() as session:
        done = referrals.chase_overdue(session, actor=cli_actor())
    console.print(f"Safeguarding referrals: {done.chased} chased, {done.escalated} escalated.")
    for line in done.redirected:
        console.print(f"Escalated instead to the safeguarding officers: {escape(line)}.")
    for line in done.not_escalated:
        console.print(f"Not escalated, nobody can be told: {escape(line)}.")
    if done.not_escalated:
        raise typer.Exit(code=1)
