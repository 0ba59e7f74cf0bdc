"""`beaconport people`: link person records into the nominal index, or link a standalone file."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.status import Status

from beaconport.cli.common import cli_actor, console, errors, fail, plain_errors
from beaconport.cli.triage import print_refreshed, refresh_queue
from beaconport.db import session_scope
from beaconport.people import files, network, service
from beaconport.screening import duplicates as screening_duplicates

app = typer.Typer(help="The nominal index: the same person recognised across referrals and "
                  "forces.", no_args_is_help=True)


@app.command("link")
def link(
    source: Path | None = typer.Option(None, "--input", help="Link this CSV file of person "
                                       "records instead of the database (record_id, forenames, "
                                       "surname, aliases, date_of_birth, sex, postcode, address)."),
    output: Path | None = typer.Option(None, "--output", help="With --input: where to write "
                                       "record_id, person_id, match_probability."),
) -> None:
    """(Re)link every person record in the database, or link a standalone file."""
    if (source is None) != (output is None):
        raise fail("--input and --output go together: the file to link and where to write the "
                   "persons found.")
    if source is not None and output is not None:
        with plain_errors(), Status("Linking…", console=errors):
            done = files.link_file(source, output)
        for warning in done.warnings[:20]:
            errors.print(f"warning: {warning}")
        if len(done.warnings) > 20:
            errors.print(f"… and {len(done.warnings) - 20} more warnings")
        console.print(f"Linked {done.records:,} records into {done.persons:,} persons "
                      f"({done.pairs:,} pairs scored; model "
                      f"{'trained on the file' if done.trained else 'untrained: too few records'}"
                      f"). Wrote {output}.")
        return
    with plain_errors(), Status("Reading person records…", console=errors) as status:
        summary = service.link_all(session_scope, actor=cli_actor(),
                                   progress=lambda step: status.update(step.capitalize() + "…"))
        with session_scope() as session:
            duplicates = screening_duplicates.note_shared_people(session)
    console.print(
        f"Linked {summary.records:,} person records into {summary.persons:,} nominals "
        f"({summary.in_several_forces:,} appear in more than one force). {summary.pairs:,} pairs "
        f"kept, {summary.to_review:,} for a person to review; {summary.merged:,} nominals merged "
        f"and {summary.split:,} split since the last run. Model "
        f"{'trained on these records' if summary.trained else 'untrained: too few records'} "
        f"(run {summary.run_id}). {duplicates:,} new possible duplicate referrals share a "
        "complainant and a suspect.")
    # Suspects seen in other referrals count in triage.
    with plain_errors():
        print_refreshed(refresh_queue(everything=False))


@app.command("network")
def network_command(
    output: Path = typer.Option(..., "--output", help="The file to write: .graphml or .json."),
    justification: str = typer.Option(..., help="Why the network leaves the system."),
    recipient: str = typer.Option(..., help="Who will receive the file."),
    several_forces: bool = typer.Option(False, "--several-forces", help="Only the groups that "
                                        "span more than one force."),
    nominal: str | None = typer.Option(None, "--nominal", help="Only this person's network "
                                       "(the suspects within two ties of them)."),
) -> None:
    """Write the co-suspect network (suspects named in the same referral are tied) as GraphML or
    JSON. A disclosure: recorded in the audit log with the justification and the recipient."""
    with plain_errors(), session_scope() as session:
        suspects, ties = network.export_to(
            session, output, actor=cli_actor(), justification=justification,
            recipient=recipient, several_forces=several_forces, nominal=nominal)
    console.print(f"Wrote {suspects:,} suspects and {ties:,} ties to {output}.")
