"""Ethnicity and nationality as force records hold them: mixed schemes, often missing.

Each fictional person gets one true ethnicity (the 18+1 code they would self-define), drawn from
the plain 2021 census mix for England and Wales and independently of their name, so that nothing
in the data lets a model learn ethnicity from names. Each force record then shows that truth, or
nothing, through whichever scheme the force used at the time (domain brief §4).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from itertools import accumulate
from typing import Any

from beaconport.demo.dates import partial
from beaconport.demo.rand import weighted

# 2021 census, England and Wales, per cent (rounded); Roma is left inside W9 as police do.
_MIX: tuple[tuple[str, float], ...] = (
    ("W1", 74.4), ("W2", 0.9), ("W3", 0.1), ("W9", 6.2), ("M1", 0.9), ("M2", 0.4), ("M3", 0.8),
    ("M9", 0.8), ("A1", 3.1), ("A2", 2.7), ("A3", 1.1), ("A4", 0.7), ("A9", 1.6), ("B1", 1.1),
    ("B2", 2.5), ("B9", 0.5), ("O2", 0.6), ("O9", 1.6),
)
_CODES = tuple(code for code, _ in _MIX)
_CUMULATIVE = tuple(accumulate(w for _, w in _MIX))

# 16+1 (2001) has no W3, A4 or O2: those people were W9, O1 (Chinese) and O9.
_TO_16 = {"W3": "W9", "A4": "O1", "O2": "O9"}
# What an officer would observe; mixed heritage is seen inconsistently, as in real data.
_TO_IC: dict[str, tuple[str, ...]] = {
    "W1": ("IC1",), "W2": ("IC1",), "W3": ("IC1",), "W9": ("IC1", "IC1", "IC2"),
    "M1": ("IC3", "IC1"), "M2": ("IC3", "IC1"), "M3": ("IC4", "IC1"), "M9": ("IC9", "IC1"),
    "A1": ("IC4",), "A2": ("IC4",), "A3": ("IC4",), "A4": ("IC5",), "A9": ("IC4", "IC5"),
    "B1": ("IC3",), "B2": ("IC3",), "B9": ("IC3",), "O2": ("IC6",), "O9": ("IC9", "IC0", "IC6"),
}
_CENSUS: dict[str, str] = {
    "W1": "White: English, Welsh, Scottish, Northern Irish or British",
    "W2": "White: Irish", "W3": "White: Gypsy or Irish Traveller", "W9": "White: Other White",
    "M1": "Mixed or Multiple ethnic groups: White and Black Caribbean",
    "M2": "Mixed or Multiple ethnic groups: White and Black African",
    "M3": "Mixed or Multiple ethnic groups: White and Asian",
    "M9": "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups",
    "A1": "Asian, Asian British or Asian Welsh: Indian",
    "A2": "Asian, Asian British or Asian Welsh: Pakistani",
    "A3": "Asian, Asian British or Asian Welsh: Bangladeshi",
    "A4": "Asian, Asian British or Asian Welsh: Chinese",
    "A9": "Asian, Asian British or Asian Welsh: Other Asian",
    "B1": "Black, Black British, Black Welsh, Caribbean or African: Caribbean",
    "B2": "Black, Black British, Black Welsh, Caribbean or African: African",
    "B9": "Black, Black British, Black Welsh, Caribbean or African: Other Black",
    "O2": "Other ethnic group: Arab", "O9": "Other ethnic group: Any other ethnic group",
}
# What a custody clerk or a partner agency typed in a free-text box.
_FREE_TEXT: dict[str, tuple[str, ...]] = {
    "W1": ("White British", "WHITE BRITISH", "British", "White - British"),
    "W2": ("Irish", "White Irish"), "W3": ("Irish Traveller", "Traveller"),
    "W9": ("White other", "White - other", "European"),
    "M1": ("Mixed race", "Dual heritage"), "M2": ("Mixed race",), "M3": ("Mixed - White/Asian",),
    "M9": ("Mixed",), "A1": ("Indian", "British Indian"),
    "A2": ("Pakistani", "British Pakistani", "Asian - Pakistani"),
    "A3": ("Bangladeshi", "British Bangladeshi"), "A4": ("Chinese",),
    "A9": ("Asian other", "Asian"), "B1": ("Black Caribbean",), "B2": ("Black African",),
    "B9": ("Black other", "Black British"), "O2": ("Arab",), "O9": ("Other", "Any other"),
}

SDE18_START = date(2016, 1, 1)  # most forces; the Met was still on 16+1 in 2016
MET_SDE18_START = date(2018, 1, 1)
CENSUS_LABELS_START = date(2022, 1, 1)

_NATIONALITIES: tuple[tuple[str, float], ...] = (
    ("GB", 82.0), ("PK", 3.0), ("AF", 1.5), ("IQ", 1.5), ("RO", 2.0), ("PL", 2.0),
    ("SK", 1.0), ("ER", 0.8), ("IN", 1.0), ("BD", 0.8), ("SO", 0.8), ("LT", 0.5), ("CZ", 0.5),
    ("IR", 0.5), ("SY", 0.4), ("AL", 0.4), ("NG", 0.5), ("JM", 0.3),
)
_NATIONALITY_CODES = tuple(code for code, _ in _NATIONALITIES)
_NATIONALITY_CUMULATIVE = tuple(accumulate(w for _, w in _NATIONALITIES))


def true_ethnicity(rng: random.Random) -> str:
    return weighted(rng, _CODES, _CUMULATIVE)


_SINGLE = {code: (code,) for code in _NATIONALITY_CODES}  # shared: a person never changes them
_DUAL = {code: ("GB", code) for code in _NATIONALITY_CODES}


def true_nationality(rng: random.Random) -> tuple[str, ...]:
    first = weighted(rng, _NATIONALITY_CODES, _NATIONALITY_CUMULATIVE)
    if first != "GB" and rng.random() < 0.3:  # dual nationals, mostly British plus another
        return _DUAL[first]
    return _SINGLE[first]


def nationality_record(rng: random.Random, truth: tuple[str, ...]) -> list[str] | None:
    """What one record says: often nothing, sometimes UNKNOWN, sometimes only one of two."""
    r = rng.random()
    if r < 0.45:
        return None
    if r < 0.50:
        return ["UNKNOWN"]
    if len(truth) > 1 and r < 0.65:
        return [truth[rng.random() < 0.5]]
    return list(truth)


def observations(rng: random.Random, truth: str, on: date, met: bool,
                 missing: float) -> list[dict[str, Any]] | None:
    """The ethnicity observations on one record made around ``on``; None when none were made."""
    if rng.random() < missing:
        return None
    sde18 = on >= (MET_SDE18_START if met else SDE18_START)
    if rng.random() < 0.1:  # early adopters and late switchers
        sde18 = not sde18
    when = partial(on + timedelta(days=int(rng.random() * 30)))
    r = rng.random()
    found: list[dict[str, Any]] = []
    if r < 0.06:
        found.append(_observation("SDE18+1" if sde18 else "SDE16+1", "NS", "self_defined"))
    elif r < 0.11 and on >= CENSUS_LABELS_START:
        found.append({"scheme": "CENSUS2021", "label": _CENSUS[truth],
                      "basis": "self_defined" if rng.random() < 0.8 else "third_party"})
    elif r < 0.17:
        basis = ("third_party", "officer_observed", "self_defined")[int(rng.random() * 3)]
        found.append({"scheme": "FREE_TEXT", "label": rng.choice(_FREE_TEXT[truth]),
                      "basis": basis})
    elif r < 0.37:
        found.append(_observation("IC6+1", rng.choice(_TO_IC[truth]), "officer_observed"))
    else:
        code = truth if sde18 else _TO_16.get(truth, truth)
        basis = "self_defined" if rng.random() < 0.9 else "third_party"
        found.append(_observation("SDE18+1" if sde18 else "SDE16+1", code, basis))
        if rng.random() < 0.3:
            found.append(_observation("IC6+1", rng.choice(_TO_IC[truth]), "officer_observed"))
    if rng.random() < 0.5:
        found[0]["recorded_on"] = when
    return found


def _observation(scheme: str, code: str, basis: str) -> dict[str, Any]:
    return {"scheme": scheme, "code": code, "basis": basis}
