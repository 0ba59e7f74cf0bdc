"""The hash chain that makes the audit log tamper-evident. This format is permanent: changing
what is hashed, or how, would make every existing log fail verification.

Each event's hash is SHA-256 over the previous event's hash and a canonical JSON rendering of
the event's own fields (sorted keys, UTC timestamps to the microsecond, ids as text). The first
event follows ``GENESIS``.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64

#: The fields covered by the hash, in the order an export lists them.
CHAINED_FIELDS: tuple[str, ...] = (
    "seq", "id", "at_utc", "actor", "actor_roles", "action", "category", "subject_type",
    "subject_id", "records", "data", "justification", "recipient", "client",
)


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        # SQLite hands back naive datetimes; everything is stored in UTC.
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat(timespec="microseconds")
    return value


def canonical(event: Mapping[str, Any]) -> bytes:
    body = {name: _plain(event.get(name)) for name in CHAINED_FIELDS}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str).encode()


def entry_hash(event: Mapping[str, Any], prev_hash: str) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical(event)).hexdigest()
