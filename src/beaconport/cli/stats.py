"""``beaconport stats publish``: the operation's figures as at a date, safe to publish."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from beaconport.cli.common import console, fail, plain_errors
from beaconport.db import session_scope
from beaconport.stats import disclosure, publish

app = typer.Typer(help="Statistics safe to publish.", no_args_is_help=True)


@app.command("publish")
def publish_(as_at: str = typer.Option(..., "--as-at", help="The day the figures stand at, "
                                       "YYYY-MM-DD (its end, in England and Wales)."),
             output: Path = typer.Option(..., "--output", help="The folder to write to."),
             threshold: int = typer.Option(disclosure.PUBLICATION, "--threshold", min=3,
                                           max=100, help="Counts below it are suppressed."),
             rounding: int = typer.Option(0, "--rounding", help="Round published counts to "
                                          "the nearest 5 or 10 (0: not rounded).")
             ) -> None:
    """Write the ODS workbook (cover, contents, notes, one table per sheet) and a CSV of each
    table. The same date gives the same files, whatever arrives later."""
    try:
        day = date.fromisoformat(as_at)
    except ValueError:
        raise fail(f"Give the date as YYYY-MM-DD, for example 2026-03-31 (not {as_at!r}).") \
            from None
    if rounding not in (0, 5, 10):
        raise fail(f"Rounding is to the nearest 5 or 10, or 0 for none (not {rounding}).")
    with plain_errors(), session_scope() as session:
        done = publish.publish(session, as_at=day, output=output, threshold=threshold,
                               rounding=rounding or None)
    suppressed = sum(len(p.suppressed()) for _, p in done.tables)
    console.print(f"Statistics as at {day:%-d %B %Y}: {len(done.files)} files in {output} "
                  f"({len(done.tables)} tables, {suppressed} cells suppressed).")
    for path in done.files:
        console.print(f"  {path.name}")
    # Rows whose whole count is in one column tell every member's category: the publisher
    # should coarsen them (merge the categories) before the files go out.
    for table, protected in done.tables:
        if table.attribute_columns and protected.class_disclosure:
            console.print(f"Check before publishing: in {table.key}, every count of "
                          f"{', '.join(protected.class_disclosure)} is in one column "
                          "(class disclosure): consider merging categories.")
