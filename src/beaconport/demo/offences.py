"""Offences, outcome codes and decision reasons, consistent with the law and framework of the day.

Offences committed before 1 May 2004 are recorded under the Sexual Offences Act 1956, later ones
under the 2003 Act or a Home Office code (domain brief §3). Decisions before 1 April 2013 carry a
pre-framework status, later ones a Home Office outcome that existed on the day (21 from January
2016, 22 from April 2019; §2.2).
"""

from __future__ import annotations

import random
from datetime import date
from itertools import accumulate
from typing import Any

from beaconport.demo.rand import weighted

SOA2003_START = date(2004, 5, 1)
ANAL_RAPE_1956 = date(1994, 11, 3)  # CJPOA 1994: before this SOA 1956 rape needed a female victim
MSA2015_START = date(2015, 7, 31)
FRAMEWORK_START = date(2013, 4, 1)
OUTCOME_21_START = date(2016, 1, 1)
OUTCOME_22_START = date(2019, 4, 1)

DESCRIPTIONS: dict[str, str] = {
    "SOA2003 s1": "Rape", "SOA2003 s2": "Assault by penetration", "SOA2003 s3": "Sexual assault",
    "SOA2003 s4": "Causing a person to engage in sexual activity without consent",
    "SOA2003 s5": "Rape of a child under 13",
    "SOA2003 s7": "Sexual assault of a child under 13",
    "SOA2003 s8": "Causing or inciting a child under 13 to engage in sexual activity",
    "SOA2003 s9": "Sexual activity with a child",
    "SOA2003 s10": "Causing or inciting a child to engage in sexual activity",
    "SOA2003 s11": "Engaging in sexual activity in the presence of a child",
    "SOA2003 s12": "Causing a child to watch a sexual act",
    "SOA2003 s14": "Arranging or facilitating commission of a child sex offence",
    "SOA2003 s15": "Meeting a child following sexual grooming",
    "SOA2003 s47": "Paying for the sexual services of a child",
    "SOA2003 s48": "Causing or inciting sexual exploitation of a child",
    "SOA2003 s49": "Controlling a child in relation to sexual exploitation",
    "SOA2003 s50": "Arranging or facilitating sexual exploitation of a child",
    "SOA2003 s61": "Administering a substance with intent",
    "SOA1956 s1": "Rape", "SOA1956 s5": "Unlawful sexual intercourse with a girl under 13",
    "SOA1956 s6": "Unlawful sexual intercourse with a girl under 16",
    "SOA1956 s14": "Indecent assault on a woman", "SOA1956 s15": "Indecent assault on a man",
    "SOA1956 s28": "Causing or encouraging prostitution of a girl under 16",
    "HOCODE 19C": "Rape of a female aged 16 and over",
    "HOCODE 19D": "Rape of a female child under 16",
    "HOCODE 19E": "Rape of a female child under 13",
    "HOCODE 19F": "Rape of a male aged 16 and over", "HOCODE 19G": "Rape of a male child under 16",
    "HOCODE 19H": "Rape of a male child under 13",
    "HOCODE 20A": "Sexual assault on a female aged 13 and over",
    "HOCODE 20B": "Sexual assault on a female child under 13",
    "HOCODE 22B": "Sexual activity involving a child under 16",
    "HOCODE 71": "Abuse of children through sexual exploitation", "HOCODE 88A": "Sexual grooming",
    "OTHER PCA1978 s1": "Indecent photographs of children",
    "OTHER MSA2015 s2": "Human trafficking (sexual exploitation)",
    "OTHER CAA1984 s2": "Child abduction", "OTHER OAPA1861 s47": "Assault occasioning ABH",
    "OTHER MDA1971 s4": "Supplying a controlled drug",
}

# scheme, code, weight, youngest, oldest complainant age, complainant sex (None: either)
_Entry = tuple[str, str, float, int, int, str | None]
_RECENT: tuple[_Entry, ...] = (
    ("SOA2003", "s2", 3, 0, 99, None), ("SOA2003", "s3", 5, 0, 99, None),
    ("SOA2003", "s4", 2, 0, 99, None), ("SOA2003", "s7", 3, 0, 12, None),
    ("SOA2003", "s8", 2, 0, 12, None), ("SOA2003", "s9", 10, 13, 15, None),
    ("SOA2003", "s10", 6, 13, 15, None), ("SOA2003", "s11", 1, 0, 15, None),
    ("SOA2003", "s12", 1, 0, 15, None), ("SOA2003", "s14", 6, 0, 15, None),
    ("SOA2003", "s15", 4, 0, 15, None), ("SOA2003", "s47", 4, 0, 17, None),
    ("SOA2003", "s48", 6, 0, 17, None), ("SOA2003", "s49", 2, 0, 17, None),
    ("SOA2003", "s50", 3, 0, 17, None), ("SOA2003", "s61", 2, 0, 99, None),
    ("HOCODE", "22B", 4, 13, 15, None), ("HOCODE", "71", 5, 0, 17, None),
    ("HOCODE", "88A", 3, 0, 15, None), ("HOCODE", "20A", 3, 13, 99, "female"),
    ("HOCODE", "20B", 1, 0, 12, "female"), ("OTHER", "PCA1978 s1", 3, 0, 17, None),
    ("OTHER", "MSA2015 s2", 2, 0, 99, None),
)
_HISTORIC: tuple[_Entry, ...] = (
    ("SOA1956", "s5", 3, 0, 12, "female"), ("SOA1956", "s6", 6, 13, 15, "female"),
    ("SOA1956", "s14", 8, 0, 99, "female"), ("SOA1956", "s15", 4, 0, 99, "male"),
    ("SOA1956", "s28", 3, 0, 15, None), ("OTHER", "PCA1978 s1", 2, 0, 15, None),
)
NOT_SEXUAL: tuple[tuple[str, str], ...] = (
    ("OTHER", "CAA1984 s2"), ("OTHER", "OAPA1861 s47"), ("OTHER", "MDA1971 s4"))
# Codes outside every reference list: screening must ask what they were.
UNRECOGNISED: tuple[tuple[str, str], ...] = (
    ("XYZ s12", "Local offence code not mapped"), ("CYPA1933 s1", "Child cruelty"),
    ("PHA1997 s2", "Harassment"), ("LOCAL 0412", "Force local classification 0412"),
)
# Police Scotland records Scottish offences, which the England and Wales lists do not know.
SCOTTISH: tuple[tuple[str, str], ...] = (
    ("SOSA2009 s18", "Rape of a young child"), ("SOSA2009 s28", "Sexual intercourse with an"
     " older child"), ("SOSA2009 s30", "Sexual assault on an older child"),
    ("SOSA2009 s20", "Sexual assault on a young child"),
)

_cache: dict[tuple[bool, int, str, bool], tuple[list[_Entry], list[float]]] = {}


def offence(rng: random.Random, scheme: str, code: str,
            description: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"scheme": scheme, "code": code}
    text = description or DESCRIPTIONS.get(f"{scheme} {code}")
    # Forces' exports carry the title with Home Office and other codes, less often with sections.
    if text and (scheme in ("HOCODE", "OTHER") or rng.random() < 0.35):
        found["description"] = text
    return found


def sexual(rng: random.Random, historic: bool, age: int, sex: str, start: date) -> dict[str, Any]:
    """A non-rape sexual offence that fits the complainant's age and sex and the law of the day."""
    key = (historic, age, sex, start >= MSA2015_START)
    if key not in _cache:
        table = _HISTORIC if historic else _RECENT
        fits = [e for e in table if e[3] <= age <= e[4] and e[5] in (None, sex)
                and (e[1] != "MSA2015 s2" or key[3])]
        _cache[key] = (fits, list(accumulate(e[2] for e in fits)))
    entries, cumulative = _cache[key]
    scheme, code = weighted(rng, entries, cumulative)[:2]
    return offence(rng, scheme, code)


def rape(rng: random.Random, historic: bool, age: int, sex: str,
         start: date) -> dict[str, Any] | None:
    """A rape offence, or None where the law of the day had none that fits (see §3.3)."""
    if historic:
        if sex == "female" or start >= ANAL_RAPE_1956:
            return offence(rng, "SOA1956", "s1")
        return None
    female = sex == "female"
    if age < 13:
        options = (("SOA2003", "s5"), ("HOCODE", "19E" if female else "19H"))
    elif age < 16:
        options = (("SOA2003", "s1"), ("HOCODE", "19D" if female else "19G"))
    else:
        options = (("SOA2003", "s1"), ("HOCODE", "19C" if female else "19F"))
    scheme, code = options[0] if rng.random() < 0.6 else options[1]
    return offence(rng, scheme, code)


def decision_outcome(rng: random.Random, kind: str, by: str, when: date) -> str:
    """The outcome a force would have recorded for this decision on the day it was made."""
    if when < FRAMEWORK_START:
        return "PRE13-NSD" if rng.random() < 0.12 else "PRE13-UND"
    r = rng.random()
    if kind == "charged":
        return "1"
    if kind == "nfa_public_interest":
        if by == "cps":
            return "9"
        if when >= OUTCOME_22_START and r < 0.05:
            return "22"
        return "21" if when >= OUTCOME_21_START and r < 0.15 else "10"
    if kind == "nfa_other":
        return "17" if r < 0.1 else "16" if by == "police" else "15"
    if kind == "cps_admin_finalised":
        return "15"
    if by == "cps":
        return "17" if r < 0.02 else "15"
    return "16" if r < 0.18 else "17" if r < 0.2 else "15"


_REASONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("police", "15"): ("Insufficient evidence to charge", "Evidential difficulties",
                       "No realistic prospect of conviction (police decision)"),
    ("cps", "15"): ("Insufficient evidence", "CPS: evidential stage of the Full Code Test not met",
                    "CPS advised no further action on evidential grounds"),
    ("police", "16"): ("Victim withdrew support for police action",
                       "Complainant did not support a prosecution"),
    ("cps", "9"): ("CPS: prosecution not in the public interest",),
    ("police", "10"): ("Formal action not in the public interest",),
    ("police", "21"): ("Further investigation not in the public interest",),
    ("police", "22"): ("Diversionary activity undertaken",),
    ("police", "17"): ("Prosecution time limit expired",),
    ("cps", "17"): ("Prosecution time limit expired",),
    ("cps", "1"): ("Charged on CPS advice",),
    ("police", "PRE13-UND"): ("Filed undetected", "Crime filed pending further information"),
    ("cps", "PRE13-UND"): ("CPS advised no further action; crime filed",),
    ("police", "PRE13-NSD"): ("Detected, no further action (non-sanction)",),
    ("cps", "PRE13-NSD"): ("Detected, no further action on CPS advice (non-sanction)",),
}


def reason(rng: random.Random, kind: str, by: str, outcome: str) -> str | None:
    """The recorded reason; victim-withdrawal NFAs often have none (a reviewer's red flag)."""
    if rng.random() < (0.35 if outcome == "16" else 0.08):
        return None
    if kind == "cps_admin_finalised":
        return rng.choice(("CPS file administratively finalised; action plan not returned",
                           "Administratively finalised by CPS: no resubmission"))
    options = _REASONS.get((by, outcome))
    return rng.choice(options) if options else None
