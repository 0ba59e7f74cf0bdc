"""What every command shares: who is acting, and how failures reach the person at the terminal."""

from __future__ import annotations

import getpass
import os

import typer
from rich.console import Console

console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)


def cli_actor() -> str:
    """Commands act as 'cli:<account>' so the audit log says who ran them."""
    try:
        account = getpass.getuser()
    except (KeyError, OSError):
        account = str(os.getuid()) if hasattr(os, "getuid") else "unknown"
    return f"cli:{account}"


def fail(message: str, status: int = 1) -> typer.Exit:
    errors.print(f"[bold red]Error:[/] {message}")
    return typer.Exit(status)
