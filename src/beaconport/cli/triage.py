"""``beaconport triage``: score the triage queue, and keep the versions of its weights."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from beaconport.cli.common import cli_actor, console, errors, fail, plain_errors
from beaconport.db import session_scope
from beaconport.review import prioritise, queries
from beaconport.review.weights import InvalidWeights, parse_text

app = typer.Typer(help="The triage queue of eligible cases and the weights that order it.",
                  no_args_is_help=True)
weights_app = typer.Typer(help="The versions of the triage weights.", no_args_is_help=True)
app.add_typer(weights_app, name="weights")


def refresh_queue(*, everything: bool) -> prioritise.Refreshed:
    """Score the queue (with a progress bar on a terminal); also run after screening and
    linkage commands, which change what cases are scored from."""
    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeRemainingColumn(), console=errors,
                  transient=True) as bar:
        task = bar.add_task("Scoring the triage queue", total=None)
        with session_scope() as session:
            return prioritise.refresh(session, actor=cli_actor(), everything=everything,
                                      progress=lambda n: bar.advance(task, n))


def print_refreshed(done: prioritise.Refreshed) -> None:
    console.print(f"Triage queue: {done.scored:,} cases scored with weights {done.weights}"
                  + (f", {done.left:,} no longer eligible left the queue." if done.left
                     else "."))


@app.command("score")
def score(
    everything: bool = typer.Option(
        False, "--everything", help="Score every queued case again, not only those whose "
        "screening, weights or linkage changed (run it nightly: years since the decision "
        "move with the calendar)."),
) -> None:
    """Bring the triage queue's scores up to date."""
    with plain_errors():
        print_refreshed(refresh_queue(everything=everything))


@weights_app.command("show")
def show(version: str | None = typer.Argument(None, help="A version (default: current).")
         ) -> None:
    """Print the weights as JSON (the current version, or the one named)."""
    with plain_errors(), session_scope() as session:
        if version is None:
            document = queries.current_weights(session).document()
        else:
            found = queries.weights_document(session, version)
            if found is None:
                raise fail(f"There is no weights version {version!r}.")
            document = found
    console.print_json(json.dumps(document))


@weights_app.command("list")
def list_versions() -> None:
    """List the versions of the weights, newest first."""
    with plain_errors(), session_scope() as session:
        for version, note, current, created, by in queries.weight_versions(session):
            console.print(f"{'*' if current else ' '} {escape(version)}  {created:%Y-%m-%d %H:%M}"
                          f"  {escape(by)}  {escape(note)}")


@weights_app.command("add")
def add(path: Path = typer.Argument(..., help="A JSON weights document (see docs/review.md).")
        ) -> None:
    """Store new weights as the current version, then score the whole queue with them."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"Cannot read {path}: {exc}.") from exc
    try:
        weights = parse_text(text)
    except InvalidWeights as exc:
        raise fail("The weights were not stored:\n" + "\n".join(
            f"  - {p}" for p in exc.problems)) from exc
    with plain_errors():
        with session_scope() as session:
            prioritise.add_weights(session, actor=cli_actor(), weights=weights)
        console.print(f"Weights {weights.version} are now current.")
        print_refreshed(refresh_queue(everything=False))
