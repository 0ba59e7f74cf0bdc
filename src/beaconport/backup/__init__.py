"""Backups of the whole database in one engine-neutral file, and their restore.

A backup is a zip: ``manifest.json`` (format version, schema revision, when, and per table the row
count and SHA-256 of its member) and one JSON Lines member per table, in dependency order. The
same file restores into SQLite or PostgreSQL (docs/backup-and-restore.md).
"""

from __future__ import annotations
