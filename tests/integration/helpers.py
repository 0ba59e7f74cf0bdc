"""Small helpers shared by integration tests."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from beaconport.db import session_scope

EXAMPLE: dict[str, Any] = json.loads(
    (Path(__file__).parents[1] / "data" / "example_referral.json").read_text()
)


def example(reference: str = "WYP/CSE/2014/00123", **changes: Any) -> dict[str, Any]:
    doc = copy.deepcopy(EXAMPLE)
    doc["force_reference"] = reference
    doc.update(changes)
    return doc


def write_jsonl(path: Path, documents: list[Any]) -> Path:
    path.write_text("".join(json.dumps(d) + "\n" for d in documents), encoding="utf-8")
    return path


def count(url: str, model: Any, *where: Any) -> int:
    with session_scope(url) as session:
        return _count(session, model, *where)


def _count(session: Session, model: Any, *where: Any) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0
