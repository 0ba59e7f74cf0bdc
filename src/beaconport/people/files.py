"""Linking a standalone CSV file of person records, for analysts and for measuring accuracy.

Input columns (all but ``record_id`` optional): ``record_id, forenames, surname, aliases,
date_of_birth, sex, postcode, address, referral, role``; ``aliases`` separated by ``;`` (a
one-word alias is a nickname, a longer one a forename and surname). ``referral`` (any id of the
referral or case that named the record) and ``role`` (suspect, complainant …) together let
linkage weigh who else a record's referral names (``relational``); without both, that evidence
is not used. Output: ``record_id, person_id,
match_probability`` (the record's best match, empty when it matched nothing): records of the
same person share a ``person_id``. Nothing is written unless the whole file can be read.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from beaconport.errors import InvalidRequest
from beaconport.people import clusters, linkage, relational
from beaconport.people.prepare import Alias, PersonInput, dob_parts, postcode, prepare
from beaconport.people.relational import Membership

COLUMNS = ("record_id", "forenames", "surname", "aliases", "date_of_birth", "sex", "postcode",
           "address", "referral", "role")
#: Pairs at or above this probability are the same person; the clerical band starts at FLOOR.
LINK_AT = 0.9
FLOOR = 0.2


@dataclass(slots=True)
class FileLinked:
    records: int
    persons: int
    pairs: int
    trained: bool
    #: Values that could not be used (a date or postcode not written as one), by row.
    warnings: list[str] = field(default_factory=list)


def aliases_of(text: str | None) -> tuple[Alias, ...]:
    found = []
    for part in (text or "").split(";"):
        words = part.split()
        if len(words) == 1:
            found.append(Alias(nickname=words[0]))
        elif words:
            found.append(Alias(forenames=" ".join(words[:-1]), surname=words[-1]))
    return tuple(found)


def read_records(path: Path) -> tuple[list[PersonInput], list[str], dict[str, Membership]]:
    """The file's records, the warnings about values that could not be used, and each record's
    referral and role where the file gives both; raises ``InvalidRequest`` listing every
    problem that stops the file being linked at all."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise InvalidRequest(f"{path} cannot be read: {error.strerror}.") from error
    with handle:
        try:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            rows = list(reader)
        except (UnicodeDecodeError, csv.Error) as error:
            raise InvalidRequest(f"{path} is not a UTF-8 CSV file: {error}.") from error
    if "record_id" not in header:
        raise InvalidRequest(f"{path} has no record_id column (its columns: "
                             f"{', '.join(header) or 'none'}). Every record needs an id.")
    problems: list[str] = []
    warnings: list[str] = []
    seen: dict[str, int] = {}
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        warnings.append(f"columns not used: {', '.join(unknown)}")
    grouped = "referral" in header and "role" in header
    if ("referral" in header) != ("role" in header):
        warnings.append("referral and role are used only together: who else a record's "
                        "referral names was not weighed")
    membership: dict[str, Membership] = {}
    records = []
    for number, row in enumerate(rows, start=2):
        record_id = (row.get("record_id") or "").strip()
        if not record_id:
            problems.append(f"row {number}: record_id is empty")
            continue
        if record_id in seen:
            problems.append(f"row {number}: record_id {record_id!r} is also on row "
                            f"{seen[record_id]}")
            continue
        seen[record_id] = number
        referral = (row.get("referral") or "").strip()
        role = (row.get("role") or "").strip().lower()
        if grouped and referral and role:
            membership[record_id] = Membership(referral, role)
        born = (row.get("date_of_birth") or "").strip() or None
        if born and dob_parts(born)[2] is None:
            warnings.append(f"row {number}: date_of_birth {born!r} is not YYYY-MM-DD, YYYY-MM "
                            "or YYYY, so it was not used")
        code = (row.get("postcode") or "").strip()
        if code and postcode(code) is None:
            warnings.append(f"row {number}: postcode {code!r} has no letters or digits, so it "
                            "was not used")
        records.append(PersonInput(
            record_id, row.get("forenames") or None, row.get("surname") or None,
            aliases_of(row.get("aliases")), born, row.get("sex") or None,
            (code,) if code else (), ((row.get("address") or "").strip(),)
            if (row.get("address") or "").strip() else ()))
    if problems:
        shown = problems[:20] + ([f"… and {len(problems) - 20} more"] if len(problems) > 20
                                 else [])
        raise InvalidRequest(f"{path} cannot be linked: " + "; ".join(shown) + ".")
    return records, warnings, membership


def link_records(records: Sequence[PersonInput], *, link_at: float = LINK_AT,
                 floor: float = FLOOR, membership: Mapping[str, Membership] | None = None,
                 ) -> tuple[dict[str, str], dict[str, float], bool, int]:
    """(person id per record, best match probability per record, trained?, pairs scored).
    With ``membership`` (each record's referral and role) pairs are also weighed by who else
    their referrals name (``relational``)."""
    columns = prepare(records)
    ids = [r.record_id for r in records]
    scored = linkage.score(columns, floor=floor,
                           keep_below=relational.LOOK_FROM if membership else None)

    def persons(pairs: Sequence[linkage.Pair]) -> dict[str, str]:
        return clusters.cluster(ids, [(p.left, p.right, p.probability) for p in pairs],
                                threshold=link_at)[0]

    pairs, _ = relational.weigh(
        scored.pairs, columns, membership or {}, persons, link_at=link_at,
        below=lambda wanted: linkage.pairs_among(scored.below, scored.model, wanted))
    pairs = [p for p in pairs if p.probability >= floor]
    groups = persons(pairs)
    best: dict[str, float] = {}
    for p in pairs:
        for record in (p.left, p.right):
            best[record] = max(best.get(record, 0.0), p.probability)
    numbered: dict[str, str] = {}
    for r in records:  # person ids in the order their first record appears
        numbered.setdefault(groups[r.record_id], f"P{len(numbered) + 1:06d}")
    return ({r: numbered[g] for r, g in groups.items()}, best, scored.trained, len(pairs))


def link_file(source: Path, output: Path, *, link_at: float = LINK_AT) -> FileLinked:
    records, warnings, membership = read_records(source)
    if not records:
        raise InvalidRequest(f"{source} holds no records.")
    persons, best, trained, pairs = link_records(records, link_at=link_at,
                                                 membership=membership)
    partial = output.with_name(output.name + ".partial")
    with partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["record_id", "person_id", "match_probability"])
        for r in records:
            chance = best.get(r.record_id)
            writer.writerow([r.record_id, persons[r.record_id],
                             "" if chance is None else f"{chance:.4f}"])
    partial.replace(output)  # complete, or not there at all
    return FileLinked(len(records), len(set(persons.values())), pairs, trained, warnings)
