"""Names as linkage compares them: normalised, and with their known variants.

Force records write one name many ways: upper case or not, with accents or without, hyphens and
apostrophes, titles ("Mr", "DS"), a transliteration (Mohammed, Muhammad, Mohammad), a nickname
(Bob for Robert) or a street name. Normalising takes out what carries no meaning; the curated
variant table (``data/name_variants.csv``: each row a canonical name and one variant) maps the
spellings and nicknames of one name to one canonical form, so they can match exactly.

Nothing here looks at or infers ethnicity or nationality: a name is letters, and only letters.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources

#: Titles and ranks that forces put in name fields; they say nothing about who someone is.
TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lord", "lady", "rev",
    "revd", "fr", "sr", "jr", "snr", "jnr", "ds", "dc", "pc", "sgt", "insp",
})
_NOT_LETTERS = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=200_000)
def normalise(text: str | None) -> str:
    """Lower case, accents taken off, apostrophes dropped (O'Brien → obrien), hyphens and other
    punctuation as spaces, titles removed, single spaces. Empty when nothing is left."""
    if not text:
        return ""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    plain = plain.lower().replace("'", "").replace("`", "")
    words = _SPACES.sub(" ", _NOT_LETTERS.sub(" ", plain)).split()
    return " ".join(w for w in words if w not in TITLES)


def key(text: str | None) -> str:
    """A name as one run of letters ("Smith-Jones" and "Smith Jones" → "smithjones")."""
    return normalise(text).replace(" ", "")


@cache
def _variants() -> dict[str, str]:
    table: dict[str, str] = {}
    source = resources.files("beaconport.people").joinpath("data/name_variants.csv")
    with source.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            canonical = key(row["canonical"])
            table[key(row["variant"])] = canonical
            table.setdefault(canonical, canonical)
    return table


def canonical(word: str) -> str:
    """The canonical form of one normalised name (itself when the table does not know it)."""
    return _variants().get(word, word)


def canonical_key(text: str | None) -> str:
    """A whole name with each of its words made canonical, as one run of letters."""
    return "".join(canonical(w) for w in normalise(text).split())


def display(forenames: str | None, surname: str | None) -> str | None:
    """A record's name as written, for pages: forenames then surname; None when neither."""
    return " ".join(x for x in (forenames, surname) if x) or None


def first_word(text: str | None) -> str:
    words = normalise(text).split()
    return words[0] if words else ""
