"""Person records made ready for linkage: one row of comparable values per record.

What comes in is what a force wrote (or a CSV row); what goes out is normalised name keys and
their canonical forms, every name and alias as a key, the date of birth split into what is known
of it, postcodes and their districts, the first address line and the PNC ID. Nothing else: no
ethnicity, no nationality, no role.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from beaconport.people import names

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)([0-9][A-Z]{2})$")
_PNC = re.compile(r"[^0-9A-Z]")
_ADDRESS_CHARACTERS = re.compile(r"[^a-z0-9 ]+")
_DIGIT = re.compile(r"[0-9]")


@dataclass(frozen=True, slots=True)
class Alias:
    forenames: str | None = None
    surname: str | None = None
    nickname: str | None = None


@dataclass(frozen=True, slots=True)
class PersonInput:
    """One person record as written, whatever its source."""

    record_id: str
    forenames: str | None = None
    surname: str | None = None
    aliases: Sequence[Alias] = ()
    date_of_birth: str | None = None
    sex: str | None = None
    postcodes: Sequence[str] = ()
    addresses: Sequence[str] = ()
    pnc: str | None = None


@dataclass(slots=True)
class Prepared:
    columns: dict[str, list[Any]] = field(default_factory=dict)


COLUMNS = ("unique_id", "fn", "fn_all", "fn_canon", "fn_initial", "sn", "sn_canon",
           "sn_parts", "full_name", "names", "nicknames",
           "name_prefix", "dob", "dob_swapped", "dob_year", "dob_month", "dob_day", "sex",
           "postcodes", "postcode1", "districts", "address", "address_words", "address_number",
           "pnc")
#: Street types as forces abbreviate them, written out, so "Rd" and "Road" are one word.
STREET_TYPES = {"rd": "road", "st": "street", "str": "street", "ave": "avenue",
                "av": "avenue", "cres": "crescent", "cresc": "crescent", "terr": "terrace",
                "tce": "terrace", "dr": "drive", "cl": "close", "ln": "lane", "gdns": "gardens",
                "gr": "grove", "gro": "grove", "pl": "place", "ct": "court", "sq": "square",
                "pde": "parade", "wy": "way", "hse": "house", "cott": "cottage", "cir": "circuit",
                "cct": "circuit", "mt": "mount"}


def dob_parts(text: str | None) -> tuple[str | None, str | None, int | None, int | None,
                                        int | None]:
    """(full date, full date with day and month swapped, year, month, day) of a date as
    written: full, YYYY-MM or YYYY. The swap is only where it gives another real-looking date."""
    match = _DATE.match(text.strip()) if text else None
    if match is None:
        return None, None, None, None, None
    year = int(match[1])
    month = int(match[2]) if match[2] else None
    day = int(match[3]) if match[3] else None
    full = f"{year:04d}-{month:02d}-{day:02d}" if month and day else None
    swapped = (f"{year:04d}-{day:02d}-{month:02d}"
               if month and day and day <= 12 and day != month else None)
    return full, swapped, year, month, day


def pnc_of(identifiers: Any) -> str | None:
    """The PNC ID among a record's identifiers, as written, if it has one."""
    return next((str(i["value"]) for i in identifiers or []
                 if isinstance(i, dict) and str(i.get("type", "")).upper() == "PNC"
                 and i.get("value")), None)


def postcode(text: str | None) -> tuple[str, str | None] | None:
    """(postcode without spaces, its outward code) for a UK postcode; another country's code
    is compared whole, with no district; None when there are no letters or digits at all."""
    compact = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if not compact:
        return None
    match = _POSTCODE.match(compact)
    return compact, match[1] if match else None


def address_line(text: str | None) -> str:
    """An address line normalised (``names.normalise`` keeping digits), street types written
    out."""
    plain = _ADDRESS_CHARACTERS.sub(" ", (text or "").lower().replace("'", ""))
    return " ".join(STREET_TYPES.get(w, w) for w in plain.split())


def _name_keys(forenames: str | None, surname: str | None) -> str | None:
    first, last = names.canonical(names.first_word(forenames)), names.canonical_key(surname)
    return f"{first}|{last}" if first and last else None


def prepare(records: Iterable[PersonInput]) -> dict[str, list[Any]]:
    """The records as columns (``COLUMNS``), ready to load into DuckDB."""
    out: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    for r in records:
        fn = names.first_word(r.forenames) or None
        sn = names.key(r.surname) or None
        fn_canon = names.canonical(fn) if fn else None
        sn_canon = names.canonical_key(r.surname) or None
        keys = {_name_keys(r.forenames, r.surname)}
        nicknames = set()
        for alias in r.aliases:
            if alias.forenames or alias.surname:
                keys.add(_name_keys(alias.forenames or r.forenames, alias.surname or r.surname))
            if alias.nickname and names.key(alias.nickname):
                nicknames.add(names.key(alias.nickname))
        keys.discard(None)
        full, swapped, year, month, day = dob_parts(r.date_of_birth)
        codes = [c for c in (postcode(p) for p in r.postcodes) if c is not None]
        lines = [line for line in map(address_line, r.addresses) if line]
        words = lines[0].split() if lines else []
        pnc = _PNC.sub("", r.pnc.upper()) if r.pnc else ""
        sex = (r.sex or "").strip().lower()
        out["unique_id"].append(r.record_id)
        out["fn"].append(fn)
        out["fn_all"].append(names.normalise(r.forenames) or None)
        out["full_name"].append(f"{fn_canon} {sn_canon}" if fn_canon and sn_canon else None)
        out["fn_canon"].append(fn_canon)
        out["fn_initial"].append(fn[0] if fn else None)
        out["sn"].append(sn)
        out["sn_canon"].append(sn_canon)
        out["sn_parts"].append(sorted({names.canonical(w) for w in names.normalise(r.surname)
                                       .split()}) or None)
        out["names"].append(sorted(k for k in keys if k) or None)
        out["nicknames"].append(sorted(nicknames) or None)
        out["name_prefix"].append(f"{fn[:2]}{sn[:2]}" if fn and sn else None)
        out["dob"].append(full)
        out["dob_swapped"].append(swapped)
        out["dob_year"].append(year)
        out["dob_month"].append(month)
        out["dob_day"].append(day)
        out["sex"].append(sex if sex in ("male", "female") else None)
        out["postcodes"].append(sorted({c for c, _ in codes}) or None)
        out["postcode1"].append(codes[0][0] if codes else None)
        out["districts"].append(sorted({d for _, d in codes if d}) or None)
        out["address"].append(lines[0] if lines else None)
        # The line's words in any order (a flat or a building name before or after the
        # street), and its numbers: the same words with other numbers are a neighbour.
        out["address_words"].append(sorted(set(words)) or None)
        out["address_number"].append(" ".join(sorted(w for w in words if _DIGIT.search(w)))
                                     if words else None)
        out["pnc"].append(pnc or None)
    out["tf_full_name"] = name_frequencies(out["full_name"])
    out["tf_sn_canon"] = name_frequencies(out["sn_canon"])
    return out


def name_frequencies(values: list[str | None]) -> list[float | None]:
    """How often each record's name (a whole name, or a surname) occurs among the records
    (Splink's term frequency)."""
    counts = Counter(v for v in values if v)
    total = sum(counts.values()) or 1
    return [counts[v] / total if v else None for v in values]
