"""The ``beaconport`` command: a thin layer over services and queries."""

from __future__ import annotations

import typer

from beaconport.cli import (
    audit,
    backup,
    db,
    demo_data,
    forecast,
    outbox,
    people,
    reference,
    referrals,
    review,
    safeguarding,
    screening,
    serve,
    stats,
    tokens,
    triage,
    users,
)
from beaconport.cli.common import fail
from beaconport.errors import BeaconportError

app = typer.Typer(
    name="beaconport",
    help="Beaconport: intake and review of closed CSAE investigations referred by police forces.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db.app, name="db")
app.add_typer(reference.app, name="reference")
app.add_typer(referrals.app, name="referrals")
app.add_typer(demo_data.app, name="demo-data")
app.add_typer(users.app, name="users")
app.add_typer(tokens.app, name="tokens")
app.add_typer(audit.app, name="audit")
app.add_typer(screening.app, name="screen")
app.add_typer(people.app, name="people")
app.add_typer(triage.app, name="triage")
app.add_typer(review.app, name="review")
app.add_typer(outbox.app, name="outbox")
app.add_typer(safeguarding.app, name="safeguarding")
app.add_typer(stats.app, name="stats")
app.command("forecast")(forecast.forecast)
app.add_typer(backup.app)  # beaconport backup | restore
app.command("serve")(serve.serve)


def main() -> None:
    """Run a command; errors Beaconport anticipates end with a plain message, not a traceback."""
    try:
        app()
    except BeaconportError as exc:
        raise SystemExit(fail(str(exc)).exit_code) from None
