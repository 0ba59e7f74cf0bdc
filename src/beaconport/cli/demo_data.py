"""beaconport demo-data generate | accounts | reviews | code: synthetic referrals for
demonstrations, tests and benchmarks, demo accounts to sign in with, and demo reviews."""

from __future__ import annotations

from pathlib import Path

import typer

from beaconport.cli.common import cli_actor, console, fail, plain_errors
from beaconport.db import session_scope
from beaconport.demo import accounts as demo_accounts
from beaconport.demo import reviews as demo_reviews
from beaconport.demo.generator import generate as generate_set
from beaconport.demo.generator import write_truth
from beaconport.referrals.carriers import write_referrals

app = typer.Typer(help="Synthetic, entirely fictional referrals, and demo accounts.",
                  no_args_is_help=True)

WRITABLE = frozenset({".jsonl", ".json", ".ndjson", ".xlsx", ".ods", ".zip"})


def truth_path(output: Path) -> Path:
    """Where the ground truth goes: beside the output, named after it."""
    stem = output.name.removesuffix(output.suffix) if output.suffix else output.name
    return output.with_name(f"{stem}.truth.json")


@app.command()
def generate(
    output: Path = typer.Option(..., help="File to write: .jsonl, .xlsx, .ods, .zip, or a new "
                                "folder for CSV files."),
    referrals: int = typer.Option(1273, min=1, help="How many referrals."),
    seed: int = typer.Option(1, help="The same seed always gives the same data."),
    forces: int = typer.Option(23, min=1, max=43, help="How many forces refer."),
    invalid: int = typer.Option(0, min=0, help="Extra referrals with realistic errors."),
) -> None:
    """Write realistic synthetic referrals and a ground-truth sidecar (.truth.json)."""
    if output.suffix and output.suffix.lower() not in WRITABLE:
        raise fail(f"Cannot write referrals to {output.name}: name a .jsonl, .xlsx, .ods or .zip "
                   "file, or a folder for CSV files.", status=2)
    generated = generate_set(referrals, seed, forces=forces, invalid=invalid)
    output.parent.mkdir(parents=True, exist_ok=True)
    write_referrals(generated.documents, output)
    sidecar = truth_path(output)
    write_truth(generated.truth, sidecar)
    console.print(f"Wrote {len(generated.documents):,} referrals to {output} and the ground "
                  f"truth to {sidecar}.")


@app.command()
def accounts() -> None:
    """Mark the database as a demonstration and create one demo account per role (again: no
    change). Refused on a database that already has accounts of its own."""
    with plain_errors(), session_scope() as session:
        created = demo_accounts.create_demo_accounts(session, actor=cli_actor())
    # Plain columns, never cut short: the secrets must be copied whole into an app.
    console.print(f"{'username':<26} {'role':<21} {'force':<10} TOTP secret")
    for account in created:
        console.print(f"{account.username:<26} {account.role.value:<21} "
                      f"{account.force_code or '-':<10} {account.secret}")
    console.print(f"Every demo account's password is {demo_accounts.DEMO_PASSWORD!r}. Add a "
                  "secret to an authenticator app, or print the current code with "
                  "'beaconport demo-data code USERNAME'. This database is now marked as a "
                  "demonstration.")


@app.command()
def reviews(
    cases: int = typer.Option(demo_reviews.DEFAULT_CASES, min=1, max=300,
                              help="How many cases from the triage queue."),
    seed: int = typer.Option(demo_reviews.DEFAULT_SEED,
                             help="The same seed on the same data gives the same reviews."),
) -> None:
    """Take cases from the triage queue through the review (allocation, findings, quality
    assurance, the panel, actions and outcomes), as the demo accounts would, so the review's
    pages have something to show. Demonstration databases with no reviews yet only."""
    with plain_errors(), session_scope() as session:
        done = demo_reviews.add_demo_reviews(session, actor=cli_actor(), cases=cases, seed=seed)
    for line in demo_reviews.summary(done):
        console.print(line)


@app.command()
def code(username: str = typer.Argument(..., help="A demo account, e.g. demo-screener.")) -> None:
    """Print the current six-digit sign-in code of a demo account (demonstration databases only)."""
    with plain_errors(), session_scope() as session:
        current = demo_reviews.current_code(session, username)
    print(current)
