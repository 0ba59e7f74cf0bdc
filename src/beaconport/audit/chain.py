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


def _text(value: Any) -> str:
    return json.dumps(_plain(value), ensure_ascii=False, default=str)


class BulkCanonical:
    """``canonical`` for many events that share everything but their id, subject and data (one
    action by one actor at one moment): the shared fields are rendered once, so each event costs
    one encoding of its data. The bytes are exactly ``canonical``'s (a test holds them equal)."""

    def __init__(self, shared: Mapping[str, Any]) -> None:
        def field(name: str) -> str:
            return f'"{name}":{_text(shared.get(name))}'

        # Keys in sorted order, as canonical's sort_keys gives them.
        self.head = "{" + ",".join(field(n) for n in (
            "action", "actor", "actor_roles", "at_utc", "category", "client")) + ',"data":'
        self.middle = ',"id":'
        self.tail = "," + ",".join(field(n) for n in ("justification", "recipient", "records"))

    def data(self, data: Any) -> str:
        """The data as canonical renders it (also fit to store as the column's JSON)."""
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                          default=str)

    def render(self, *, seq: int, event_id: uuid.UUID, subject_type: str, subject_id: str,
               data_text: str) -> bytes:
        return (f'{self.head}{data_text}{self.middle}"{event_id}"{self.tail},"seq":{seq},'
                f'"subject_id":{_text(subject_id)},"subject_type":{_text(subject_type)}}}'
                ).encode()


def bulk_entry_hash(prev_hash: str, body: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + body).hexdigest()
