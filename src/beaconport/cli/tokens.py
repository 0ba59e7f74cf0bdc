"""beaconport tokens issue | revoke | list: API tokens for force systems."""

from __future__ import annotations

import json

import typer
from rich.markup import escape
from rich.table import Table

from beaconport.auth import queries, service
from beaconport.cli.common import cli_actor, console, errors, plain_errors
from beaconport.db import session_scope

app = typer.Typer(help="API tokens that let a force's system submit its referrals.",
                  no_args_is_help=True)


@app.command()
def issue(
    force: str | None = typer.Option(None, "--force", help="A force system's token: the force "
                                     "it acts for (its code, such as E23000010, or its name)."),
    user: str | None = typer.Option(None, "--user", help="A person's token, for the national "
                                    "team's own tools: their username (it acts with their "
                                    "roles)."),
    name: str = typer.Option(..., "--name", help="What the token is for, e.g. the force system "
                             "that will use it."),
    days: int | None = typer.Option(None, "--days", help="How long it lasts (default from "
                                    "BEACONPORT_API_TOKEN_DAYS)."),
) -> None:
    """Issue a token. It is printed once and cannot be shown again."""
    with plain_errors(), session_scope() as session:
        token = service.issue_token(session, actor=cli_actor(), name=name, force_code=force,
                                    username=user, days=days)
    holder = f"act as {user}" if user else "submit referrals for the force"
    errors.print("This token is shown once and cannot be shown again. Store it now in a secret "
                 f"store; anyone who holds it can {holder}. "
                 f"Revoke it with 'beaconport tokens revoke {token[:10]}'.")
    print(token)


@app.command()
def revoke(prefix: str = typer.Argument(..., help="The token's first ten characters, as "
                                        "'beaconport tokens list' shows them.")) -> None:
    """Revoke a token; it stops working at once."""
    with plain_errors(), session_scope() as session:
        service.revoke_token(session, actor=cli_actor(), prefix=prefix)
    console.print(f"Revoked the token {escape(prefix)}.")


@app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """List every token (never the token itself): its prefix, force, expiry and state."""
    with plain_errors(), session_scope() as session:
        tokens = queries.list_tokens(session)
    if as_json:
        print(json.dumps([{
            "prefix": t.prefix, "name": t.name, "force_code": t.force_code,
            "user": t.username, "state": t.state,
            "created_by": t.created_by, "created_at": t.created_at.isoformat(),
            "expires_at": t.expires_at.isoformat(),
            "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
        } for t in tokens], indent=2, ensure_ascii=False))
        return
    if not tokens:
        console.print("No API tokens have been issued.")
        return
    table = Table("prefix", "name", "for", "state", "expires (UTC)", "last used (UTC)")
    for t in tokens:
        table.add_row(t.prefix, escape(t.name), t.force_code or f"user {t.username}", t.state,
                      f"{t.expires_at:%Y-%m-%d %H:%M}",
                      f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never")
    console.print(table)
