"""``beaconport outbox``: deliver the messages waiting to go out, and list them."""

from __future__ import annotations

import time

import typer
from rich.markup import escape
from rich.table import Table

from beaconport.cli.common import console, plain_errors
from beaconport.db import session_scope
from beaconport.outbox import channels, service

app = typer.Typer(help="Messages to people outside (safeguarding referrals): delivery with "
                  "retries.", no_args_is_help=True)


@app.command("send")
def send(loop: bool = typer.Option(False, "--loop", help="Keep delivering, every --interval "
                                   "seconds, until stopped (run it as a service)."),
         interval: int = typer.Option(30, "--interval", min=1, max=3600)) -> None:
    """Deliver every message that is due; those that cannot go yet wait and are tried again."""
    with plain_errors():
        while True:
            done = service.deliver_due(session_scope, channels.configured_channels())
            if done.sent or done.retrying or done.failed or done.lapsed or not loop:
                lapsed = (f", {done.lapsed} taken back by another deliverer after this one's "
                          "claim lapsed" if done.lapsed else "")
                console.print(f"Outbox: {done.sent} sent, {done.retrying} to try again, "
                              f"{done.failed} failed after every attempt{lapsed}.")
            if not loop:
                return
            time.sleep(interval)


@app.command("list")
def list_(status: str | None = typer.Option(None, "--status",
                                             help="pending, sending, sent or failed")) -> None:
    """Every message, oldest first: its recipient, subject, stand and attempts."""
    with plain_errors(), session_scope() as session:
        found = service.listed(session, status=status)
    if not found:
        console.print("The outbox is empty.")
        return
    table = Table("recipient", "subject", "about", "status", "attempts", "last error")
    for m in found:
        table.add_row(escape(m.recipient), escape(m.subject), m.about, m.status,
                      str(m.attempts), escape(m.last_error or ""))
    console.print(table)
