"""What every command shares: who is acting, and how failures reach the person at the terminal."""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape

from beaconport.errors import BeaconportError

# soft_wrap: long messages stay on one line when the output goes to a file or another program.
console = Console(highlight=False, soft_wrap=True)
errors = Console(stderr=True, highlight=False, soft_wrap=True)


def cli_actor() -> str:
    """Commands act as 'cli:<account>' so the audit log says who ran them."""
    try:
        account = getpass.getuser()
    except (KeyError, OSError):
        account = str(os.getuid()) if hasattr(os, "getuid") else "unknown"
    return f"cli:{account}"


def fail(message: str, status: int = 1) -> typer.Exit:
    errors.print(f"[bold red]Error:[/] {escape(message)}")
    return typer.Exit(status)


@contextmanager
def plain_errors() -> Iterator[None]:
    """A refused command ends with one plain line and exit status 1 (the transaction has already
    been rolled back by the unit of work inside)."""
    try:
        yield
    except BeaconportError as exc:
        raise fail(str(exc)) from None
