"""``beaconport screen``: screen referrals against the admission criteria, and export the
decisions."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from beaconport.cli.common import cli_actor, console, errors, fail, plain_errors
from beaconport.cli.triage import print_refreshed, refresh_queue
from beaconport.db import session_scope
from beaconport.reference.queries import load_catalogue
from beaconport.screening import export, lookup, register, runner
from beaconport.screening.rules import CURRENT, RULESETS
from beaconport.settings import get_settings

app = typer.Typer(help="Screen referrals against the admission criteria (design/screening.md).",
                  invoke_without_command=True, no_args_is_help=False)


@app.callback()
def screen(
    ctx: typer.Context,
    every: bool = typer.Option(False, "--all", help="Screen every referral."),
    referral: str | None = typer.Option(None, "--referral", metavar="FORCE/REF",
                                        help="Screen one referral: force code, a slash, its "
                                        "reference (e.g. E23000010/WYP/CSE/2014/00123)."),
    ruleset: str = typer.Option(CURRENT.name, help="The rule set to apply."),
) -> None:
    """Screen referrals; prints what was decided and what changed."""
    if ctx.invoked_subcommand is not None:
        return
    if every == (referral is not None):
        raise fail("Say which referrals: --all, or --referral FORCE/REFERENCE.")
    rules = RULESETS.get(ruleset)
    if rules is None:
        raise fail(f"There is no rule set {ruleset!r}; there are: {', '.join(RULESETS)}.")
    with plain_errors():
        ids = None
        if referral is not None:
            with session_scope() as session:
                ids = [lookup.referral_id(session, referral)]
        with Progress("[progress.description]{task.description}", BarColumn(),
                      MofNCompleteColumn(), TimeRemainingColumn(), console=errors,
                      transient=True) as bar:
            with session_scope() as session:
                total = len(ids) if ids is not None else lookup.count(session)
            task = bar.add_task(f"Screening with {rules.name}", total=total)
            run_id, outcome = runner.run(session_scope, actor=cli_actor(), rules=rules,
                                         referral_ids=ids, progress=lambda n: bar.advance(task, n),
                                         database_url=get_settings().database_url)
    counts = ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in sorted(outcome.decisions.items()))
    console.print(f"Screened {outcome.screened:,} referrals with {rules.name}: {counts}. "
                  f"{outcome.changed:,} decisions are new or changed (run {run_id}).")
    for change in outcome.changes[:50]:
        moved = "; ".join(f"{c}: {a} → {b}" for c, (a, b) in change["criteria"].items())
        console.print(f"  {escape(change['force'])} {escape(change['force_reference'])}: "
                      f"{change['from']} → {change['to']}" + (f" ({escape(moved)})" if moved
                                                               else ""))
    if len(outcome.changes) > 50:
        console.print(f"  … and {len(outcome.changes) - 50:,} more, kept in the run's report.")
    with plain_errors():
        print_refreshed(refresh_queue(everything=False))


@app.command("export")
def export_command(
    output: Path = typer.Option(..., "--output", help="The CSV file to write."),
) -> None:
    """Write every screened referral's current decision as CSV, in the design note's columns."""
    with plain_errors(), session_scope() as session:
        rows = export.export_to(session, output, actor=cli_actor())
    console.print(f"Wrote {rows:,} screening decisions to {escape(str(output))}.")


@app.command("register")
def register_command(
    path: Path = typer.Argument(..., help="The register as CSV: entry_reference, force, "
                                "force_reference and/or crime_reference, reviewed_by, "
                                "completed_on, outcome."),
) -> None:
    """Add to (or update) the prior-review register, then screen again the referrals it
    matches."""
    with plain_errors():
        with session_scope() as session:
            entries = register.read_register(path, load_catalogue(session))
            added, replaced, matched = register.import_register(session, actor=cli_actor(),
                                                                entries=entries)
        console.print(f"Register: {added:,} entries added, {replaced:,} updated, "
                      f"{len(entries) - added - replaced:,} unchanged.")
        if matched:
            _, outcome = runner.run(session_scope, actor=cli_actor(), rules=CURRENT,
                                    referral_ids=matched, database_url=get_settings().database_url)
            console.print(f"Screened again the {outcome.screened:,} referrals it matches: "
                          f"{outcome.changed:,} decisions changed.")
            print_refreshed(refresh_queue(everything=False))
