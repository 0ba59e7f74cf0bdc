"""beaconport users create | grant | revoke | disable | unlock | reset-second-factor | list |
permissions."""

from __future__ import annotations

import json
import sys
from datetime import datetime

import typer
from rich.markup import escape
from rich.table import Table

from beaconport.auth import queries, service
from beaconport.cli.common import cli_actor, console, plain_errors
from beaconport.db import session_scope

app = typer.Typer(help="Accounts of the people who use Beaconport, and their roles.",
                  no_args_is_help=True)


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else ""


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@app.command()
def create(
    username: str = typer.Argument(..., help="What the person types to sign in (lower case)."),
    name: str = typer.Option(..., "--name", help="The person's name, as shown on pages."),
    email: str | None = typer.Option(None, "--email", help="Their email address."),
    password_stdin: bool = typer.Option(False, "--password-stdin",
                                        help="Read the password from the first line of standard "
                                        "input instead of asking for it."),
) -> None:
    """Create an account with no roles. The person sets up an authenticator app the first time
    they sign in."""
    password = _read_password(password_stdin)
    with plain_errors(), session_scope() as session:
        service.create_user(session, actor=cli_actor(), username=username, display_name=name,
                            password=password, email=email)
    console.print(f"Created the account {escape(username.strip().lower())}. Grant it a role with "
                  "'beaconport users grant'.")


@app.command()
def grant(
    username: str = typer.Argument(...),
    role: str = typer.Argument(..., help="A role: 'beaconport users permissions' lists them."),
    force: str | None = typer.Option(None, "--force", help="The force, for a force-scoped role "
                                     "(its code, such as E23000010, or its name)."),
) -> None:
    """Grant a role to an account."""
    with plain_errors(), session_scope() as session:
        service.grant_role(session, actor=cli_actor(), username=username, role=role,
                           force_code=force)
    console.print(f"Granted {escape(role)} to {escape(username)}.")


@app.command()
def revoke(
    username: str = typer.Argument(...),
    role: str = typer.Argument(...),
    force: str | None = typer.Option(None, "--force", help="The force, for a force-scoped role."),
) -> None:
    """Take a role away from an account; it stops working at the person's next request."""
    with plain_errors(), session_scope() as session:
        service.revoke_role(session, actor=cli_actor(), username=username, role=role,
                            force_code=force)
    console.print(f"Revoked {escape(role)} from {escape(username)}.")


@app.command()
def disable(username: str = typer.Argument(...)) -> None:
    """Stop an account from signing in and end its sessions. Accounts are never deleted: the
    audit log refers to them."""
    with plain_errors(), session_scope() as session:
        service.disable_user(session, actor=cli_actor(), username=username)
    console.print(f"Disabled {escape(username)} and ended its sessions.")


@app.command()
def unlock(username: str = typer.Argument(...)) -> None:
    """Clear an account's failed sign-ins, so the person can sign in again now."""
    with plain_errors(), session_scope() as session:
        service.unlock_user(session, actor=cli_actor(), username=username)
    console.print(f"Unlocked {escape(username)}.")


@app.command("reset-second-factor")
def reset_second_factor(username: str = typer.Argument(...)) -> None:
    """Forget an account's authenticator app (a lost phone): the next sign-in sets up a new one."""
    with plain_errors(), session_scope() as session:
        service.reset_second_factor(session, actor=cli_actor(), username=username)
    console.print(f"Reset the second factor of {escape(username)}; they will set up an "
                  "authenticator app when they next sign in.")


@app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """List every account, its roles and its state."""
    with plain_errors(), session_scope() as session:
        users = queries.list_users(session)
    if as_json:
        print(json.dumps([{
            "username": u.username, "display_name": u.display_name, "email": u.email,
            "roles": list(u.roles), "disabled": u.disabled, "locked": u.locked,
            "enrolled": u.enrolled, "last_sign_in": u.last_sign_in.isoformat()
            if u.last_sign_in else None} for u in users], indent=2, ensure_ascii=False))
        return
    if not users:
        console.print("There are no accounts yet. Create one with 'beaconport users create'.")
        return
    table = Table("username", "name", "roles", "state", "authenticator", "last sign-in (UTC)")
    for u in users:
        state = "disabled" if u.disabled else "locked" if u.locked else "active"
        table.add_row(escape(u.username), escape(u.display_name), escape(", ".join(u.roles)),
                      state, "set up" if u.enrolled else "not yet", _when(u.last_sign_in))
    console.print(table)


@app.command()
def permissions() -> None:
    """Print the roles and permissions as Markdown (the source of docs/permissions.md)."""
    typer.echo(queries.permission_matrix_markdown(), nl=False)
