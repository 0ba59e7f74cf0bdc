"""``beaconport review``: settings of the structured review kept by its supervisors."""

from __future__ import annotations

import typer

from beaconport.cli.common import cli_actor, console, plain_errors
from beaconport.db import session_scope
from beaconport.review import blind

app = typer.Typer(help="The structured review's settings.", no_args_is_help=True)


@app.command("blind-sample")
def blind_sample(
    percent: int | None = typer.Argument(None, help="The new share, 0 to 100 (omit it to see "
                                         "the share in force)."),
    note: str = typer.Option("", "--note", help="Why the share changes (needed to change it)."),
) -> None:
    """Show or set the share of reviews drawn, on first submission, for a blind second review."""
    with plain_errors(), session_scope() as session:
        if percent is not None:
            blind.set_sample(session, actor=cli_actor(), percent=percent, note=note)
        rule = blind.sample_rule(session)
    console.print(f"Blind second review: {rule.percent}% of submitted reviews are drawn. "
                  + (f"Set by {rule.set_by} on {rule.set_at:%-d %B %Y}: {rule.note}"
                     if rule.set_at else rule.note))
