"""beaconport audit verify | export."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from itertools import chain
from pathlib import Path

import typer
from rich.markup import escape

from beaconport import clock
from beaconport.audit import queries
from beaconport.audit import service as audit
from beaconport.audit.verify import ChainReport, verify_chain
from beaconport.cli.common import cli_actor, console, fail
from beaconport.db import session_scope
from beaconport.errors import BeaconportError

app = typer.Typer(help="The audit log: check its hash chain, and export part of it.",
                  no_args_is_help=True)

#: Exit status when the chain is broken (1 and 2 are taken by errors and unreadable files).
BROKEN = 4
SHOWN_PROBLEMS = 100


@app.command()
def verify(as_json: bool = typer.Option(False, "--json", help="Print the report as JSON.")) -> None:
    """Check the audit log's hash chain from the first event to the newest.

    Exit status: 0 intact, 4 broken (every break is listed with where it is)."""
    try:
        with session_scope() as session:
            report = verify_chain(session)
    except BeaconportError as exc:
        raise fail(str(exc)) from None
    if as_json:
        print(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        print_report(report)
    raise typer.Exit(0 if report.intact else BROKEN)


def print_report(report: ChainReport) -> None:
    if report.intact:
        console.print(f"Audit log intact: {report.checked:,} events checked"
                      + (f" (seq {report.first_seq:,} to {report.last_seq:,})"
                         if report.checked else "")
                      + f"; newest hash {report.last_hash}.")
        return
    console.print(f"[bold red]Audit log BROKEN[/]: {report.problem_count:,} problems found in "
                  f"{report.checked:,} events checked.")
    for p in report.problems[:SHOWN_PROBLEMS]:
        where = "chain head" if p.seq is None else f"seq {p.seq:,}"
        which = ", ".join(x for x in (p.event_id, p.at_utc.isoformat() if p.at_utc else None)
                          if x)
        console.print(f"  {escape(where)}" + (f" ({escape(which)})" if which else "")
                      + f": {escape(p.explanation)}")
    hidden = report.problem_count - SHOWN_PROBLEMS
    if hidden > 0:
        console.print(f"  … and {hidden:,} more: use --json to see them all.")


def _day(text: str, option: str) -> date:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise fail(f"{option} must be a date written YYYY-MM-DD, not {text!r}.")


@app.command()
def export(
    from_: str = typer.Option(..., "--from", help="First day, YYYY-MM-DD (UTC), included."),
    to: str = typer.Option(..., "--to", help="Last day, YYYY-MM-DD (UTC), included."),
    output: Path = typer.Option(..., help="The JSON Lines file to write."),
    justification: str = typer.Option(..., help="Why the log is being disclosed (recorded)."),
    recipient: str = typer.Option(..., help="Who it is for (recorded)."),
) -> None:
    """Write the audit events of a date range to a JSON Lines file.

    The recipient can verify it on its own (docs/audit-events.md). The export is a disclosure,
    and is recorded in the log."""
    start, end = _day(from_, "--from"), _day(to, "--to")
    if end < start:
        raise fail("--to is before --from.")
    partial = output.with_name(f".{output.name}.partial")
    try:
        with session_scope() as session:
            segment = queries.find_segment(session, start=start, end=end)
            header = queries.export_header(segment, exported_by=cli_actor(), at=clock.now(),
                                           justification=justification, recipient=recipient)
            digest = hashlib.sha256()
            with partial.open("wb") as out:
                for item in chain([header], queries.segment_events(session, segment)):
                    line = (json.dumps(item, ensure_ascii=False) + "\n").encode()
                    digest.update(line)
                    out.write(line)
            audit.record_audit_export(
                session, actor=cli_actor(), first_seq=segment.first_seq,
                last_seq=segment.last_seq, count=segment.count,
                period=(start.isoformat(), end.isoformat()), destination=f"file:{output.name}",
                sha256=digest.hexdigest(), justification=justification, recipient=recipient)
        partial.replace(output)
    except OSError as exc:
        raise fail(f"Cannot write {output}: {exc.strerror or exc}.") from None
    except BeaconportError as exc:
        raise fail(str(exc)) from None
    finally:
        partial.unlink(missing_ok=True)
    console.print(f"Wrote {segment.count:,} audit events ({start} to {end}) to "
                  f"{escape(str(output))}; SHA-256 {digest.hexdigest()}.")
