"""beaconport db upgrade | current | revision."""

from __future__ import annotations

import typer

from beaconport import migrate
from beaconport.cli.common import cli_actor, console
from beaconport.db import session_scope
from beaconport.reference.loaders import load_reference_data

app = typer.Typer(help="Create and upgrade the database.", no_args_is_help=True)


@app.command()
def upgrade(
    reference: bool = typer.Option(True, help="Also load the reference data (idempotent)."),
) -> None:
    """Create or upgrade the database schema, then load the reference data."""
    revision = migrate.upgrade()
    console.print(f"Database schema is at revision {revision}.")
    if reference:
        with session_scope() as session:
            results = load_reference_data(session, actor=cli_actor())
        changed = [r.dataset for r in results if r.changed]
        console.print(
            "Reference data loaded: " + ", ".join(changed) if changed
            else "Reference data was already up to date."
        )


@app.command()
def current() -> None:
    """Show the schema revision of the database and the newest one available."""
    console.print(f"database: {migrate.current_revision()}  newest: {migrate.head_revision()}")


@app.command()
def revision(message: str = typer.Option(..., "-m", help="What the migration does.")) -> None:
    """Generate a migration from the models (for developers)."""
    migrate.revision(message)
