"""Reads of the audit log: the segment of events an export discloses.

An export must be verifiable on its own, so it is always an unbroken run of sequence numbers:
from the first event dated in the range to the last. Events are dated when written and chained
when committed, so near the ends of a range a concurrent writer's event may sit a few
milliseconds outside it; it is included rather than leaving a hole in the chain.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from beaconport.audit.chain import CHAINED_FIELDS, canonical
from beaconport.audit.models import AuditEvent

#: Events fetched per round trip while streaming an export.
BATCH = 5000

#: The algorithm, stated in the export itself so a recipient needs nothing else.
ALGORITHM = (
    "entry_hash = hex(SHA-256(prev_hash + '\\n' + JSON of the event's fields listed in "
    "'fields', keys sorted, separators ',' and ':', no ASCII escaping, UTF-8)); each event's "
    "prev_hash is the entry_hash of the event before it; the first event's prev_hash is "
    "'prev_hash' above."
)


@dataclass(frozen=True, slots=True)
class Segment:
    """The events of a date range: ``count`` events, ``first_seq`` to ``last_seq``."""

    start: date
    end: date
    first_seq: int | None
    last_seq: int | None
    count: int
    #: The hash the first event is chained to: where the recipient's check starts.
    prev_hash: str | None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def find_segment(session: Session, *, start: date, end: date) -> Segment:
    """The unbroken run of events from the first written on ``start`` (UTC) to the last written
    on ``end``, both days included."""
    event = AuditEvent.__table__
    low, high = session.execute(
        select(func.min(event.c.seq), func.max(event.c.seq)).where(
            event.c.at_utc >= _day_start(start),
            event.c.at_utc < _day_start(end + timedelta(days=1)))
    ).one()
    if low is None:
        return Segment(start, end, None, None, 0, None)
    count = session.scalar(select(func.count()).select_from(event)
                           .where(event.c.seq.between(low, high))) or 0
    prev_hash = session.scalar(select(event.c.prev_hash).where(event.c.seq == low))
    return Segment(start, end, int(low), int(high), int(count), prev_hash)


def segment_events(session: Session, segment: Segment) -> Iterator[dict[str, Any]]:
    """The segment's events in order, streamed, each as the JSON object an export holds: every
    chained field exactly as it is hashed, then ``prev_hash`` and ``entry_hash``."""
    if segment.first_seq is None:
        return
    event = AuditEvent.__table__
    columns = [event.c[name] for name in (*CHAINED_FIELDS, "prev_hash", "entry_hash")]
    rows = session.execute(
        select(*columns).where(event.c.seq.between(segment.first_seq, segment.last_seq))
        .order_by(event.c.seq).execution_options(yield_per=BATCH)
    ).mappings()
    for row in rows:
        hashed = json.loads(canonical(cast(Mapping[str, Any], row)))
        yield {**{name: hashed[name] for name in CHAINED_FIELDS},
               "prev_hash": row["prev_hash"], "entry_hash": row["entry_hash"]}


def export_header(segment: Segment, *, exported_by: str, at: datetime, justification: str,
                  recipient: str) -> dict[str, Any]:
    """The first line of an export: what it holds, for whom, and how to check it."""
    return {
        "export": "beaconport audit log",
        "format_version": 1,
        "from": segment.start.isoformat(),
        "to": segment.end.isoformat(),
        "exported_at_utc": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "exported_by": exported_by,
        "justification": justification,
        "recipient": recipient,
        "events": segment.count,
        "first_seq": segment.first_seq,
        "last_seq": segment.last_seq,
        "prev_hash": segment.prev_hash,
        "fields": list(CHAINED_FIELDS),
        "algorithm": ALGORITHM,
    }
