"""The bulk rendering of audit events hashes exactly what the one-event rendering does: the
chain's format is permanent, so the fast path must never differ by a byte."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from beaconport.audit.chain import BulkCanonical, bulk_entry_hash, canonical, entry_hash

SHARED = {"at_utc": datetime(2026, 12, 2, 21, 0, 5, 123, tzinfo=UTC), "actor": "cli:ops",
          "actor_roles": "screener, senior-reviewer", "action": "screening:referral:decided",
          "category": "alteration", "client": "10.0.0.7 api-token:bp_AbCdEfG",
          "records": None, "justification": None, "recipient": None}


@pytest.mark.parametrize("data", [
    None, {}, {"decision": "eligible", "version": 3, "previous": None},
    {"ruleset": "beaconport-2025", "nested": {"z": [1, 2.5, True], "a": "Ünïcödé — “quoted”"}},
    {"line\nbreak": "tab\there", "slash": "a/b\\c", "emoji": "🙂"},
])
@pytest.mark.parametrize("subject", [("referral", "0190e2b4-1d2f-7c6a-9e5d-3b1a2c4d5e6f"),
                                     ("screening_run", "run \"1\"")])
def test_bulk_rendering_is_byte_for_byte_the_canonical_one(
        data: object, subject: tuple[str, str]) -> None:
    event_id = uuid.uuid4()
    event = {**SHARED, "id": event_id, "seq": 987_654, "subject_type": subject[0],
             "subject_id": subject[1], "data": data}
    shape = BulkCanonical(event)
    fast = shape.render(seq=987_654, event_id=event_id, subject_type=subject[0],
                        subject_id=subject[1], data_text=shape.data(data))
    assert fast == canonical(event)
    assert bulk_entry_hash("ab" * 32, fast) == entry_hash(event, "ab" * 32)
