"""The backup file format: its manifest, and how each column's values are written as JSON so
that they come back as the same values on either engine.

Values are written by column type, never by engine: keys as UUID text, timestamps in UTC with
microseconds, dates as ISO dates, booleans as JSON booleans, JSON columns as JSON. Changing any of
this means a new ``FORMAT_VERSION``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, Table, Uuid

from beaconport.errors import BeaconportError

FORMAT = "beaconport-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"

Convert = Callable[[Any], Any]


class BackupError(BeaconportError):
    """A backup that cannot be written or restored, said in one plain sentence."""


def member_name(table: str) -> str:
    return f"tables/{table}.jsonl"


def utc_text(value: datetime) -> str:
    # SQLite hands back naive datetimes; everything is stored in UTC.
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="microseconds")


def _datetime_value(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def _encoder(column_type: Any) -> Convert | None:
    if isinstance(column_type, Uuid):
        return str
    if isinstance(column_type, DateTime):
        return utc_text
    if isinstance(column_type, Date):
        return date.isoformat
    return None  # integers, text, booleans and JSON are JSON already


def _decoder(column_type: Any) -> Convert | None:
    if isinstance(column_type, Uuid):
        return uuid.UUID
    if isinstance(column_type, DateTime):
        return _datetime_value
    if isinstance(column_type, Date):
        return date.fromisoformat
    return None


class TableCodec:
    """Turns one table's rows into JSON lines and back."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.names = [c.name for c in table.columns]
        self._encoders = [(i, e) for i, c in enumerate(table.columns)
                          if (e := _encoder(c.type)) is not None]
        self._decoders = [(c.name, d) for c in table.columns
                          if (d := _decoder(c.type)) is not None]

    def encode(self, row: Any) -> bytes:
        values = list(row)
        for index, encode in self._encoders:
            if values[index] is not None:
                values[index] = encode(values[index])
        return (json.dumps(dict(zip(self.names, values, strict=True)), ensure_ascii=False,
                           separators=(",", ":")) + "\n").encode()

    def decode(self, line: bytes) -> dict[str, Any]:
        """One line back to a row for ``bulk.insert_rows``; a ValueError if it is not one."""
        document = json.loads(line)
        if not isinstance(document, dict) or not set(document) <= set(self.names):
            raise ValueError("not a row of this table")
        row = {name: document.get(name) for name in self.names}
        for name, decode in self._decoders:
            if row[name] is not None:
                row[name] = decode(row[name])
        return row


@dataclass(frozen=True, slots=True)
class TableEntry:
    name: str
    member: str
    rows: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Manifest:
    revision: str
    created_at_utc: str
    engine: str
    tables: list[TableEntry]
    format_version: int = FORMAT_VERSION

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)

    def to_json(self) -> str:
        return json.dumps({
            "format": FORMAT, "format_version": self.format_version,
            "revision": self.revision, "created_at_utc": self.created_at_utc,
            "engine": self.engine,
            "tables": [{"name": t.name, "member": t.member, "rows": t.rows, "sha256": t.sha256}
                       for t in self.tables],
        }, indent=2)

    @classmethod
    def from_json(cls, text: bytes) -> Manifest:
        try:
            document = json.loads(text)
            if document.get("format") != FORMAT:
                raise BackupError("it is not a Beaconport backup (its manifest names another "
                                  "format).")
            version = document.get("format_version")
            if version != FORMAT_VERSION:
                raise BackupError(
                    f"it is in backup format version {version}; this version of Beaconport "
                    f"reads version {FORMAT_VERSION} only.")
            tables = [TableEntry(str(t["name"]), str(t["member"]), int(t["rows"]),
                                 str(t["sha256"])) for t in document["tables"]]
            return cls(str(document["revision"]), str(document["created_at_utc"]),
                       str(document["engine"]), tables, version)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise BackupError(f"its manifest is damaged ({exc.__class__.__name__}).") from exc
