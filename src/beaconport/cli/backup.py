"""beaconport backup | restore (commands at the top level: they act on the whole database)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from beaconport.backup.restore import restore_backup
from beaconport.backup.service import take_backup
from beaconport.cli.audit import BROKEN, print_report
from beaconport.cli.common import cli_actor, console, fail
from beaconport.errors import BeaconportError

app = typer.Typer()

DATABASE_URL_HELP = "The database (default: BEACONPORT_DATABASE_URL)."


@app.command()
def backup(
    output: Path = typer.Option(..., "--output", "-o", help="The backup file to write (.zip)."),
    database_url: str | None = typer.Option(None, help=DATABASE_URL_HELP),
) -> None:
    """Write a consistent copy of the whole database to one file.

    'beaconport restore' loads it into SQLite or PostgreSQL. Taking it is recorded in the audit
    log."""
    try:
        manifest = take_backup(output, actor=cli_actor(), url=database_url)
    except BeaconportError as exc:
        raise fail(str(exc)) from None
    console.print(f"Backed up {manifest.rows:,} rows of {len(manifest.tables)} tables (schema "
                  f"revision {manifest.revision}) to {escape(str(output))}.")


@app.command()
def restore(
    source: Path = typer.Argument(..., help="A file written by 'beaconport backup'."),
    database_url: str | None = typer.Option(None, help=DATABASE_URL_HELP),
) -> None:
    """Load a backup into a new database, all or nothing.

    The database must be new, or just set up and holding no case data. Every row count and
    checksum is checked and the audit chain verified. Exit status: 0 restored with the audit
    chain intact, 4 restored but the audit chain is broken, 1 nothing restored."""
    try:
        result = restore_backup(source, actor=cli_actor(), url=database_url)
    except BeaconportError as exc:
        raise fail(str(exc)) from None
    manifest = result.manifest
    console.print(f"Restored {manifest.rows:,} rows of {len(manifest.tables)} tables from "
                  f"{escape(str(source))} (taken {manifest.created_at_utc} on "
                  f"{manifest.engine}); every row count and checksum matches.")
    print_report(result.chain)
    raise typer.Exit(0 if result.chain.intact else BROKEN)
