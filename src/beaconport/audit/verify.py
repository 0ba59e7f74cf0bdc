"""Check the audit log's hash chain from the first event to the newest (``beaconport audit
verify``), so that an alteration, insertion, deletion or reordering is found and located.

The walk streams the events in ``seq`` order, a few thousand at a time, so a log of millions of
events is checked in constant memory. It reads the chain head before the events and again after
them: events written by others while the check runs are checked too, and never taken for
tampering.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from beaconport.audit.chain import CHAINED_FIELDS, GENESIS, entry_hash
from beaconport.audit.models import AuditChainHead, AuditEvent

#: Events fetched per round trip while walking the chain.
BATCH = 5000
#: Problems kept in a report; a log scrambled wholesale is reported by count beyond this.
MAX_KEPT = 100_000

ALTERED = "altered"
BROKEN_LINK = "broken-link"
GAP = "gap"
HEAD = "head"


@dataclass(frozen=True, slots=True)
class Problem:
    """One place where the chain does not hold, in words an inquiry can act on."""

    kind: str
    seq: int | None
    event_id: str | None
    at_utc: datetime | None
    explanation: str

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "seq": self.seq, "event_id": self.event_id,
                "at_utc": self.at_utc.isoformat() if self.at_utc else None,
                "explanation": self.explanation}


@dataclass(slots=True)
class ChainReport:
    checked: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    #: The newest event's hash: note it, and a later check can show nothing before it changed.
    last_hash: str = GENESIS
    head_seq: int | None = None
    head_hash: str | None = None
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0

    @property
    def intact(self) -> bool:
        return self.problem_count == 0

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_KEPT:
            self.problems.append(problem)

    def as_dict(self) -> dict[str, Any]:
        return {"intact": self.intact, "checked": self.checked, "first_seq": self.first_seq,
                "last_seq": self.last_seq, "last_hash": self.last_hash,
                "head_seq": self.head_seq, "head_hash": self.head_hash,
                "problem_count": self.problem_count,
                "problems": [p.as_dict() for p in self.problems]}


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def _head(session: Session) -> tuple[int, str] | None:
    head = AuditChainHead.__table__
    row = session.execute(select(head.c.seq, head.c.last_hash).where(head.c.id == 1)).first()
    return None if row is None else (int(row.seq), str(row.last_hash))


def verify_chain(session: Session) -> ChainReport:
    """Walk the whole chain in ``seq`` order and report every break found.

    Four kinds of break: an event whose content no longer matches its hash (altered, or its
    ``seq`` changed), an event whose ``prev_hash`` is not the hash of the event before it (an
    event inserted, removed or moved), missing sequence numbers (events deleted), and a chain
    head that disagrees with the newest event (newest events deleted, or the head altered).
    """
    report = ChainReport()
    head_before = _head(session)
    event = AuditEvent.__table__
    columns = [event.c[name] for name in (*CHAINED_FIELDS, "prev_hash", "entry_hash")]
    rows = session.execute(
        select(*columns).order_by(event.c.seq).execution_options(yield_per=BATCH)
    ).mappings()
    expected_seq, prev_stored = 1, GENESIS
    at_head: tuple[str, str, datetime | None] | None = None  # id, hash, time of event head_seq
    for row in rows:
        seq, ident, at = int(row["seq"]), str(row["id"]), _utc(row["at_utc"])
        report.checked += 1
        if report.first_seq is None:
            report.first_seq = seq
        if seq != expected_seq:
            missing = (f"event {expected_seq} is" if seq == expected_seq + 1
                       else f"events {expected_seq} to {seq - 1} are")
            report.add(Problem(GAP, seq, ident, at,
                               f"{missing} missing before this one: deleted from the log."))
        elif row["prev_hash"] != prev_stored:
            before = "the start of the log" if seq == 1 else f"event {seq - 1}"
            report.add(Problem(
                BROKEN_LINK, seq, ident, at,
                f"its link to {before} is broken (prev_hash {row['prev_hash'][:12]}… is not "
                f"{prev_stored[:12]}…): an event was inserted, removed or moved here, or the "
                "event before it was altered and rehashed."))
        if entry_hash(cast(Mapping[str, Any], row), row["prev_hash"]) != row["entry_hash"]:
            report.add(Problem(
                ALTERED, seq, ident, at,
                "its content does not match its hash: the event was altered after it was "
                "written, or its sequence number was changed."))
        if head_before is not None and seq == head_before[0]:
            at_head = (ident, str(row["entry_hash"]), at)
        expected_seq, prev_stored = seq + 1, str(row["entry_hash"])
        report.last_seq, report.last_hash = seq, prev_stored
    _check_head(session, report, head_before, at_head)
    return report


def _check_head(session: Session, report: ChainReport, before: tuple[int, str] | None,
                at_head: tuple[str, str, datetime | None] | None) -> None:
    """The head read before the walk must name an event seen, with its hash; the head read
    after it must not be behind the newest event seen (writers move it with their events)."""
    if before is None:
        report.add(Problem(HEAD, None, None, None,
                           "the chain head row is missing: it was deleted."))
        return
    report.head_seq, report.head_hash = before
    head_seq, head_hash = before
    if head_seq == 0:
        if head_hash != GENESIS:
            report.add(Problem(HEAD, 0, None, None,
                               "the chain head says the log is empty but holds a hash other "
                               "than the starting value: the head was altered."))
    elif at_head is None:
        newest = report.last_seq or 0
        report.add(Problem(
            HEAD, head_seq, None, None,
            f"the chain head says the newest event is {head_seq}, but the newest event in the "
            f"log is {newest}: the newest events were deleted, or the head was altered."))
    elif at_head[1] != head_hash:
        report.add(Problem(
            HEAD, head_seq, at_head[0], at_head[2],
            f"the chain head's hash ({head_hash[:12]}…) is not this event's "
            f"({at_head[1][:12]}…): the newest event was replaced, or the head was altered."))
    after = _head(session)
    last = report.last_seq or 0
    if after is not None and after[0] < last:
        report.add(Problem(
            HEAD, after[0], None, None,
            f"the chain head says the newest event is {after[0]}, but the log holds events up "
            f"to {last}: the head was altered."))
