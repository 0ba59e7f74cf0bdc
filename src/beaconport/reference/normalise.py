"""How free text is matched against code lists."""

from __future__ import annotations

import re

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def alias_key(text: str) -> str:
    """'Devon & Cornwall Police' and 'devon and cornwall police' give the same key."""
    return _NOT_ALNUM.sub("", text.lower().replace("&", "and"))
