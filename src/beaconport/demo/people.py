"""Fictional true persons, and the noisy records forces hold about them.

A ``TruePerson`` is who someone really is (one entity in the ground truth). Every referral that
names them gets its own record, with the kinds of noise real force systems have, drawn afresh
each time: transliterated and misspelt names, swapped forename and surname, initials only, upper
case, missing forenames, a partial, missing, off-by-a-year or day/month-swapped date of birth,
nicknames and aliases. Linkage has to see through that noise; the ground truth says who is who.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from typing import Any

from beaconport.demo import names
from beaconport.demo.dates import partial
from beaconport.demo.forces import Force, Town
from beaconport.demo.rand import weighted

_ORIGIN_CUMULATIVE = tuple(accumulate(o.weight for o in names.ORIGINS))
# Welsh forces see more Welsh names; nothing else about a person depends on where they live.
_WELSH_CUMULATIVE = tuple(accumulate(
    o.weight * (8 if o.name == "welsh" else 1) for o in names.ORIGINS))


def _by_place(listed: tuple[tuple[str, ...], ...], offset: int) -> tuple[float, ...]:
    """Cumulative weights of a list's names, each 1 / (place + offset)."""
    return tuple(accumulate(1 / (place + offset) for place in range(1, len(listed) + 1)))


# A listed surname's weight falls with its place in the list, 1 / (place + 6): with the rarer
# surnames beside them, the commonest British surname is carried by about 1.2 % of British
# people, near Smith's share in England and Wales (a plain 1 / place would give it 4 %).
# Forenames likewise, a little flatter: with the rarer forenames beside them, the commonest
# British forename is given to about 3 % of British men, near a real cohort's commonest (a
# name's fashion lasts a decade or two).
_SURNAME_CUMULATIVE = {o.name: _by_place(o.surnames, 6) for o in names.ORIGINS}
_FORENAME_CUMULATIVE = {(o.name, sex): _by_place(o.male if sex == "male" else o.female, 10)
                        for o in names.ORIGINS for sex in ("male", "female")}

_VARIANTS: dict[str, tuple[str, ...]] = {}
for _origin in names.ORIGINS:
    for _spellings in (*_origin.male, *_origin.female, *_origin.surnames):
        for _spelling in _spellings:
            _VARIANTS[_spelling] = tuple(s for s in _spellings if s != _spelling)

_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters used in the inward part of real postcodes
_PNC_CHECK = "ZABCDEFGHJKLMNPQRTUVWXY"  # PNC check character, number modulo 23


@dataclass(slots=True)
class TruePerson:
    entity: str
    sex: str
    forenames: tuple[str, ...]
    surname: str
    born: date
    ethnicity: str
    nationality: tuple[str, ...]
    home: str  # force code where they live
    addresses: list[tuple[str, str]] = field(default_factory=list)  # (line, postcode)
    nickname: str | None = None
    pnc: str | None = None
    deceased: bool = False
    group: str | None = None


def new_name(rng: random.Random, sex: str, welsh_force: bool) -> tuple[tuple[str, ...], str]:
    cumulative = _WELSH_CUMULATIVE if welsh_force else _ORIGIN_CUMULATIVE
    origin = weighted(rng, names.ORIGINS, cumulative)
    first = _forename(rng, origin, sex)
    forenames: tuple[str, ...] = (first,)
    if rng.random() < origin.second_forename:
        second = _forename(rng, origin, sex)
        if second != first:
            forenames = (first, second)
    surname = _surname(rng, origin)
    if rng.random() < 0.03:  # double-barrelled, from any list
        other = weighted(rng, names.ORIGINS, cumulative)
        extra = _surname(rng, other)
        if extra != surname:
            surname = f"{surname}-{extra}"
    return forenames, surname


def address(rng: random.Random, force: Force) -> tuple[str, str]:
    choice, rnd = rng.choice, rng.random
    town: Town = choice(force.towns)
    number = 1 + int(rnd() * 180)
    street = f"{choice(names.STREET_NAMES)} {choice(names.STREET_KINDS)}"
    district = str(town.low + int(rnd() * (town.high - town.low + 1)))
    if town.area == "EC":  # City of London districts carry a letter: EC2V, EC4M
        district += "AMNPRVY"[int(rnd() * 7)]
    unit = f"{int(rnd() * 10)}{choice(_UNIT_LETTERS)}{choice(_UNIT_LETTERS)}"
    line = f"{number} {street}, {town.name}"
    if rnd() < 0.12:
        line = f"Flat {1 + int(rnd() * 12)}, {line}"
    return line, f"{town.area}{district} {unit}"


def pnc_id(rng: random.Random, year: int) -> str:
    """A PNC ID in the form YY/NNNNNNA, with its check character computed as the PNC does."""
    yy = year % 100
    serial = int(rng.random() * 1_000_000)
    return f"{yy:02d}/{serial:06d}{_PNC_CHECK[int(f'{yy:02d}{serial:06d}') % 23]}"


def typo(rng: random.Random, word: str) -> str:
    """One slip of the keyboard: a letter dropped, doubled, swapped with the next or replaced."""
    if len(word) < 4:
        return word
    i = 1 + int(rng.random() * (len(word) - 2))
    kind = int(rng.random() * 4)
    if kind == 0:
        return word[:i] + word[i + 1:]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    if kind == 2:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    letter = rng.choice(string.ascii_lowercase)
    return word[:i] + (letter.upper() if word[i].isupper() else letter) + word[i + 1:]


def _forename(rng: random.Random, origin: names.Origin, sex: str) -> str:
    male = sex == "male"
    return _name(rng, origin.male if male else origin.female,
                 _FORENAME_CUMULATIVE[(origin.name, sex)],
                 origin.rarer_male if male else origin.rarer_female, origin.rarer_forename_share)


def _surname(rng: random.Random, origin: names.Origin) -> str:
    return _name(rng, origin.surnames, _SURNAME_CUMULATIVE[origin.name], origin.rarer_surnames,
                 origin.rarer_share)


def _name(rng: random.Random, listed: tuple[tuple[str, ...], ...], cumulative: tuple[float, ...],
          rarer: tuple[str, ...], rarer_share: float) -> str:
    """One of the rarer names (this share of people carry one), else a listed name by its
    place; a listed name's spellings are equally likely."""
    if rarer and rng.random() < rarer_share:
        return rng.choice(rarer)
    return rng.choice(weighted(rng, listed, cumulative))


def _respell(rng: random.Random, name: str) -> str:
    variants = _VARIANTS.get(name)
    return rng.choice(variants) if variants else name


def record_names(rng: random.Random, person: TruePerson, role: str) -> dict[str, Any]:
    """forenames / surname / aliases as one force wrote them (keys left out when not recorded)."""
    rnd = rng.random
    careful = role != "suspect"  # victims' and witnesses' names are taken down more carefully
    fore = list(person.forenames)
    sur = person.surname
    if len(fore) > 1 and rnd() < 0.15:
        fore = fore[:1]
    if rnd() < (0.08 if careful else 0.18):
        i = int(rnd() * (len(fore) + 1))
        if i == len(fore):
            sur = "-".join(_respell(rng, part) for part in sur.split("-"))
        else:
            fore[i] = _respell(rng, fore[i])
    if rnd() < (0.03 if careful else 0.06):
        if rnd() < 0.5:
            sur = typo(rng, sur)
        else:
            fore[0] = typo(rng, fore[0])
    if "-" in sur:
        r = rnd()
        parts = sur.split("-")
        if r < 0.5:  # one force drops the hyphen, another keeps only one half
            sur = " ".join(parts) if r < 0.2 else parts[0] if r < 0.35 else parts[-1]
    forenames: str | None = " ".join(fore)
    r = rnd()
    if r < 0.03 and not careful:
        forenames, sur = sur, fore[0]  # forename and surname entered the wrong way round
    elif r < 0.07:
        forenames = " ".join(f[0] for f in fore)
    elif r < 0.09:
        forenames = None
    r = rnd()
    if r < 0.08:
        forenames = forenames.upper() if forenames else forenames
        sur = sur.upper()
    elif r < 0.12:
        sur = sur.upper()
    out: dict[str, Any] = {}
    if forenames:
        out["forenames"] = forenames
    out["surname"] = sur
    aliases = _aliases(rng, person, role)
    if aliases:
        out["aliases"] = aliases
    return out


def _aliases(rng: random.Random, person: TruePerson, role: str) -> list[dict[str, str]]:
    if rng.random() >= (0.3 if role == "suspect" else 0.04):
        return []
    found: list[dict[str, str]] = []
    first = person.forenames[0]
    short = names.SHORT_FORMS.get(first)
    if person.nickname and rng.random() < 0.6:
        found.append({"nickname": person.nickname})
    elif short:
        found.append({"forenames": rng.choice(short), "surname": person.surname})
    if len(person.forenames) > 1 and rng.random() < 0.3:
        found.append({"forenames": "".join(f[0] for f in person.forenames),
                      "surname": person.surname})
    if rng.random() < 0.25 and len(person.surname) >= 4:
        found.append({"forenames": _respell(rng, first), "surname": typo(rng, person.surname)})
    if not found and role == "suspect":
        found.append({"nickname": person.nickname or rng.choice(names.NICKNAMES)})
    return found


def record_dob(rng: random.Random, born: date, missing: float) -> str | None:
    r = rng.random()
    if r < missing:
        return None
    r = rng.random()
    if r < 0.07:
        return partial(born, "year")
    if r < 0.09 and born.day <= 12 and born.day != born.month:
        return partial(date(born.year, born.day, born.month))  # day and month keyed swapped
    if r < 0.11:
        shifted = born.year + (1 if rng.random() < 0.5 else -1)
        if born.month == 2 and born.day == 29:
            return partial(date(shifted, 2, 28))
        return partial(born.replace(year=shifted))
    return partial(born)


def born_for_age(rng: random.Random, age: int, on: date) -> date:
    """A birthday that makes someone exactly ``age`` on the day ``on``."""
    latest = on.replace(year=on.year - age) if not (on.month == 2 and on.day == 29) else date(
        on.year - age, 2, 28)
    return latest - timedelta(days=int(rng.random() * 365))
