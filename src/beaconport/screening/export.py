"""The screening export (design/screening.md): one row per screened referral, exactly these
columns, so other tools can check it."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.referrals.models import Referral
from beaconport.screening.models import ScreeningDecision

COLUMNS = ("force", "force_reference", "decision", "failed", "unknown", "involves_rape",
           "ruleset")


def write_export(session: Session, out: TextIO) -> int:
    """Write the current decision of every screened referral; return how many rows."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    rows = session.execute(
        select(Referral.force_code, Referral.force_reference, ScreeningDecision.decision,
               ScreeningDecision.failed, ScreeningDecision.unknown,
               ScreeningDecision.involves_rape, ScreeningDecision.ruleset)
        .join(ScreeningDecision, ScreeningDecision.referral_id == Referral.id)
        .where(ScreeningDecision.current.is_(True))
        .order_by(Referral.force_code, Referral.force_reference)
        .execution_options(yield_per=5000))
    for force, reference, decision, failed, unknown, rape, ruleset in rows:
        writer.writerow((force, reference, decision, ";".join(failed), ";".join(unknown),
                         "true" if rape else "false", ruleset))
        count += 1
    return count


def export_to(session: Session, path: Path, *, actor: str | audit.Actor) -> int:
    """Write the export to a file, under a temporary name until complete; recorded as a
    disclosure (it holds no personal data, but it leaves the system)."""
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="") as out:
        count = write_export(session, out)
    audit.record(session, actor=actor, action=AuditAction.SCREENING_EXPORTED,
                 subject=audit.Subject("screening_export", path.name),
                 data={"rows": count}, recipient=f"file:{path.name}")
    partial.replace(path)
    return count
