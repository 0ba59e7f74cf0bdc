"""beaconport referrals import | rejected | discard | summary."""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from beaconport.cli.common import cli_actor, console, errors, fail
from beaconport.db import session_scope
from beaconport.errors import BeaconportError
from beaconport.referrals import quarantine, queries
from beaconport.referrals.carriers import Limits, count_hint
from beaconport.referrals.importer import ImportOutcome, import_file
from beaconport.review import intake
from beaconport.settings import get_settings

app = typer.Typer(help="Referrals from police forces: import them and look after rejects.",
                  no_args_is_help=True)

SHOWN_REJECTIONS = 50


@app.command("import")
def import_(
    files: list[Path] = typer.Argument(..., help="JSON Lines, .xlsx/.ods workbooks, or a folder "
                                       "or .zip of CSV files."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    batch_size: int = typer.Option(0, help="Referrals per transaction (default from settings)."),
) -> None:
    """Import referrals. Valid ones are stored; invalid ones are kept in quarantine with every
    problem found. Exit status: 0 all accepted, 3 some rejected, 2 a file could not be read."""
    size = batch_size or get_settings().import_batch_size
    outcomes = [_import_one(path, as_json=as_json, batch_size=size) for path in files]
    if as_json:
        print(json.dumps([_outcome_json(o) for o in outcomes], indent=2, ensure_ascii=False))
    else:
        for outcome in outcomes:
            _print_outcome(outcome)
    raise typer.Exit(max(o.exit_status for o in outcomes))


def _import_one(path: Path, *, as_json: bool, batch_size: int) -> ImportOutcome:
    settings = get_settings()
    limits = Limits(max_file_bytes=settings.max_import_file_mb * 1024**2)
    show_bar = not as_json and sys.stderr.isatty()
    if not show_bar:
        return import_file(path, actor=cli_actor(), unit_of_work=session_scope,
                           batch_size=batch_size, limits=limits,
                           after_chunk=intake.after_store(cli_actor()))
    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeRemainingColumn(), console=errors,
                  transient=True) as bar:
        task = bar.add_task(f"Importing {path.name}", total=count_hint(path))
        return import_file(path, actor=cli_actor(), unit_of_work=session_scope,
                           batch_size=batch_size, limits=limits,
                           progress=lambda n: bar.advance(task, n),
                           after_chunk=intake.after_store(cli_actor()))


def _outcome_json(outcome: ImportOutcome) -> dict[str, object]:
    return {
        "file": outcome.source,
        "status": "unreadable" if outcome.unreadable else "completed",
        "exit_status": outcome.exit_status,
        "error": ({"code": outcome.unreadable.code, "message": outcome.unreadable.message}
                  if outcome.unreadable else None),
        **outcome.summary.as_dict(),
        "warnings": outcome.warnings,
        "rejections": [
            {"position": r.position, "force": r.force, "force_reference": r.force_reference,
             "problems": [p.as_dict() for p in r.problems]}
            for r in outcome.rejections
        ],
    }


def _print_outcome(outcome: ImportOutcome) -> None:
    console.print(f"[bold]{escape(outcome.source)}[/]")
    if outcome.unreadable is not None:
        console.print(f"  [red]Could not be read[/] ({outcome.unreadable.code}): "
                      f"{escape(outcome.unreadable.message)}")
        if outcome.summary.received == 0:
            return
    s = outcome.summary
    console.print(f"  received {s.received:,} · accepted {s.accepted:,} · unchanged "
                  f"{s.unchanged:,} · resubmitted {s.resubmitted:,} · rejected {s.rejected:,}"
                  + (f" · warnings {outcome.warnings:,}" if outcome.warnings else ""))
    for rejection in outcome.rejections[:SHOWN_REJECTIONS]:
        who = " ".join(x for x in (rejection.force, rejection.force_reference) if x)
        console.print(f"  [red]Rejected[/] {escape(rejection.position)}"
                      + (f" ({escape(who)})" if who else ""))
        for p in rejection.problems:
            if p.severity == "error":
                _print_problem(p.location, p.message, p.code)
    hidden = len(outcome.rejections) - SHOWN_REJECTIONS
    if hidden > 0:
        console.print(f"  … and {hidden:,} more rejected referrals: see "
                      "'beaconport referrals rejected' or use --json.")
    if outcome.rejections:
        console.print("  Rejected referrals are kept in quarantine. Correct them and import the "
                      "file again; accepted referrals will not be duplicated.")


def _print_problem(location: str, message: str, code: str) -> None:
    console.print(f"    - {escape(location)}: {escape(message)} [dim]{escape(f'[{code}]')}[/]")


@app.command()
def rejected(
    include_closed: bool = typer.Option(False, "--all", help="Include resolved and discarded."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
    export: Path | None = typer.Option(None, help="Write the open rejected referrals to this "
                                       "JSON Lines file, to correct and import again."),
    justification: str = typer.Option("", help="Why they are being exported (required with "
                                      "--export: an export is a disclosure)."),
    recipient: str = typer.Option("", help="Who will receive the file (required with --export)."),
) -> None:
    """List referrals held in quarantine, with every problem found in each."""
    if export is not None:
        if len(justification.strip()) < 10 or not recipient.strip():
            raise fail("An export is a disclosure: say why with --justification (at least 10 "
                       "characters) and to whom with --recipient.")
        with session_scope() as session:
            lines = queries.open_rejected_for_correction(session)
            export.write_text("".join(line + "\n" for _, line in lines), encoding="utf-8")
            quarantine.record_rejected_export(session, actor=cli_actor(),
                                           ids=[i for i, _ in lines],
                                           destination=f"file:{export.name}",
                                           justification=justification.strip(),
                                           recipient=recipient.strip())
        console.print(f"Wrote {len(lines):,} rejected referrals to {escape(str(export))}.")
        return
    with session_scope() as session:
        items = queries.list_rejected(session, include_closed=include_closed)
    if as_json:
        print(json.dumps([i.as_dict() for i in items], indent=2, ensure_ascii=False))
        return
    if not items:
        console.print("No rejected referrals are waiting for correction.")
        return
    for item in items:
        who = " ".join(x for x in (item.force, item.force_reference) if x) or "identity unreadable"
        console.print(escape(f"{item.id} {item.status} · {who} · {item.source}, "
                             f"{item.position} · received {item.received_at}"))
        for p in item.problems:
            if p["severity"] == "error":
                _print_problem(p["location"], p["message"], p["code"])


@app.command()
def discard(
    rejected_id: uuid.UUID = typer.Argument(..., help="The id shown by 'referrals rejected'."),
    reason: str = typer.Option(..., help="Why it is being discarded (recorded in the audit log)."),
) -> None:
    """Close a rejected referral without importing it (it stays on record, marked discarded)."""
    try:
        with session_scope() as session:
            quarantine.discard_rejected(session, actor=cli_actor(), rejected_id=rejected_id,
                                     reason=reason)
    except BeaconportError as exc:
        raise fail(str(exc)) from None
    console.print(f"Discarded {rejected_id}.")


@app.command()
def summary(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Headline figures for what is in the store."""
    with session_scope() as session:
        counts = queries.count_store(session)
    if as_json:
        print(json.dumps(counts.as_dict(), indent=2))
        return
    in_scope = counts.referrals - counts.referrals_out_of_scope
    outside = (f" and {counts.referrals_out_of_scope:,} from forces outside the review's scope"
               if counts.referrals_out_of_scope else "")
    console.print(
        f"Referrals: {counts.referrals:,} — {in_scope:,} from {counts.forces} forces in scope"
        f"{outside}; "
        f"{counts.involving_rape:,} involving rape; "
        f"{counts.resubmitted_referrals:,} resubmitted ({counts.versions:,} versions in all); "
        f"{counts.crimes_current:,} crimes; {counts.open_rejected:,} rejected referrals waiting "
        f"for correction; {counts.imports:,} imports."
    )
