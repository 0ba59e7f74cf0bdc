"""beaconport reference load | list."""

from __future__ import annotations

import typer
from rich.table import Table

from beaconport.cli.common import cli_actor, console
from beaconport.db import session_scope
from beaconport.reference.loaders import load_reference_data
from beaconport.reference.queries import list_datasets

app = typer.Typer(help="Reference data: forces, outcome codes, offences, ethnicity schemes.",
                  no_args_is_help=True)


@app.command()
def load() -> None:
    """Load the reference data shipped with Beaconport; unchanged datasets are left alone."""
    with session_scope() as session:
        results = load_reference_data(session, actor=cli_actor())
    for result in results:
        state = "loaded" if result.changed else "unchanged"
        console.print(f"{result.dataset:<16} {result.version:<8} {result.rows:>5} rows  {state}")


@app.command("list")
def list_() -> None:
    """List the reference datasets in the database and their versions."""
    with session_scope() as session:
        datasets = list_datasets(session)
    table = Table("dataset", "version", "rows", "loaded (UTC)", "description")
    for d in datasets:
        table.add_row(d.name, d.version, str(d.rows), d.loaded_at, d.description)
    console.print(table)
