"""Text no database can store, refused whatever carried it.

NUL (PostgreSQL refuses it in text and JSON) and unpaired surrogates (JSON escapes such as
\\ud800, which are not characters and cannot be written as UTF-8) can arrive in any carrier. A
referral holding them is refused with ``invalid_value`` at the place they are, and kept in the
quarantine as the text sent, with NUL written as the visible escape ``\\x00``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from beaconport.referrals.carriers.base import RawReferral
from beaconport.referrals.problems import Problem

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

MESSAGE = ("This text holds a NUL character (\\u0000) or an unpaired surrogate (\\ud800 to "
           "\\udfff), which cannot be stored. Remove it and send the referral again.")


def visible(text: str) -> str:
    """The text with every unstorable character written as an escape."""
    return _UNSTORABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def unstorable_path(document: Any) -> str | None:
    """The JSON path of the first field name or text value holding unstorable characters."""
    stack: list[tuple[str, Any]] = [("", document)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if _UNSTORABLE.search(value):
                return path
        elif isinstance(value, dict):
            for key, item in value.items():
                inner = f"{path}.{key}" if path else str(key)
                if _UNSTORABLE.search(str(key)):
                    return visible(inner)
                stack.append((inner, item))
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", item) for i, item in enumerate(value))
    return None


def storable(raw: RawReferral) -> RawReferral:
    """The referral unchanged, or refused and made safe to keep in the quarantine."""
    where = unstorable_path(raw.document) if raw.document is not None else None
    text = visible(raw.raw_text) if _UNSTORABLE.search(raw.raw_text) else raw.raw_text
    if where is None:
        return raw if text is raw.raw_text else replace(raw, raw_text=text)
    return replace(raw, document=None, raw_text=text,
                   problems=[*raw.problems, Problem("invalid_value", where, MESSAGE)])
