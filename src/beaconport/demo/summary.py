"""The administrative parts of a referral: reference, contact, summary, previous reviews.

Summaries are written the way a force analyst would: who, where, when and how it was closed, never
what happened. Contacts use reserved names only (``.example`` e-mail domains, Ofcom drama
telephone numbers) so nothing generated can reach a real person.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from beaconport.demo import names
from beaconport.demo.dates import partial
from beaconport.demo.forces import Force
from beaconport.demo.people import new_name

if TYPE_CHECKING:
    from beaconport.demo.cases import Crime

_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight")
# How each force shapes its own references; WYP and GMP as in the format's example.
_REFERENCE_STYLES = (
    "{p}/CSE/{y}/{n:05d}", "{p}-OP-{y}-{n:04d}", "{p}/{y}/{n:06d}", "CSE-{p}-{y}-{n:04d}",
    "{p}{yy:02d}/{n:05d}", "{p}/MCR/{n:04d}/{yy:02d}",
)
_STYLE_OF = {"E23000010": 0, "E23000005": 1}
_PHRASES: dict[tuple[str, str], str] = {
    ("cps", "nfa_evidential"): "NFA by CPS on evidential grounds.",
    ("police", "nfa_evidential"): "NFA by police on evidential grounds.",
    ("cps", "nfa_public_interest"): "NFA by CPS on public interest grounds.",
    ("police", "nfa_public_interest"): "Police NFA on public interest grounds.",
    ("cps", "cps_admin_finalised"): "CPS file administratively finalised; no charging decision.",
    ("police", "nfa_other"): "Police NFA after the complainant withdrew support.",
    ("cps", "nfa_other"): "NFA following CPS advice.",
}
_REVIEWERS = (
    ("Force major crime review team", "MCR"), ("Force CSE review team", "CSER"),
    ("Independent review commissioned by the force", "IR"),
    ("Professional Standards Department", "PSD"),
)
_REVIEW_OUTCOMES = (
    "No new lines of inquiry", "No further action recommended",
    "Learning identified; no new lines of inquiry", "Reviewed; original decision upheld",
)


def reference(rng: random.Random, force: Force, counters: dict[str, int], year: int) -> str:
    """The force's own reference, unique within the force because its serial only increases."""
    n = counters[force.code] = counters.get(force.code, int(rng.random() * 300)) + 1 + int(
        rng.random() * 4)
    style = _REFERENCE_STYLES[_STYLE_OF.get(force.code, sum(map(ord, force.code)) % 6)]
    return style.format(p=force.prefix, y=year, yy=year % 100, n=n)


def officer(rng: random.Random, force: Force) -> dict[str, str] | None:
    if rng.random() < 0.08:
        return None
    sex = "female" if rng.random() < 0.45 else "male"
    forenames, surname = new_name(rng, sex, force.code.startswith("W"))
    initial = forenames[0][0]
    mailbox = re.sub(r"[^a-z]", "", surname.lower())
    contact = {"name": f"{rng.choice(names.OFFICER_RANKS)} {initial} {surname}",
               "email": f"{initial.lower()}.{mailbox}@{force.slug}.police.example"}
    if rng.random() < 0.8:
        contact["phone"] = f"{force.phone}{int(rng.random() * 1000):03d}"
    return contact


def previous_review(rng: random.Random, decided: date) -> dict[str, str]:
    done = decided + timedelta(days=180 + int(rng.random() * 2000))
    done = min(done, date(2025, 9, 30))
    body, code = rng.choice(_REVIEWERS)
    return {"by": body, "completed_on": partial(done, "month"),
            "reference": f"{code}/{done.year}/{1 + int(rng.random() * 200):03d}",
            "outcome": rng.choice(_REVIEW_OUTCOMES)}


def summary(rng: random.Random, force: Force, crimes: list[Crime],
            decisions: list[dict[str, Any]], suspects: int, historic: bool,
            recorded: date) -> str:
    complainants = len({c for crime in crimes for c in crime.complainants})
    first = min(c.start for c in crimes).year
    last = max(c.end for c in crimes).year
    period = f"in {first}" if first == last else f"between {first} and {last}"
    town = rng.choice(force.towns).name
    who = f"{_NUMBERS[complainants]} complainant{'s' if complainants != 1 else ''}"
    r = rng.random()
    if historic:
        text = (f"Non-recent allegations reported in {recorded.year} by {who}, relating to "
                f"offending {period} in the {town} area.")
    elif r < 0.45:
        text = (f"Referral following review of closed investigation into suspected "
                f"exploitation of {who} in the {town} area {period}.")
    elif r < 0.75:
        text = (f"Closed investigation into group-based child sexual exploitation: "
                f"{_NUMBERS[min(suspects, 8)]} named suspect{'s' if suspects != 1 else ''}, "
                f"{who}, {town} area, {period}.")
    else:
        text = (f"Case identified by the force's CSE review team. Offending against {who} "
                f"believed to have taken place in and around {town} {period}.")
    return f"{text} {_closing(decisions)}"


def _closing(decisions: list[dict[str, Any]]) -> str:
    if any(d["decision"] == "charged" for d in decisions):
        return "One suspect charged; no further action against the others."
    if all(str(d["outcome_code"]).startswith("PRE13") for d in decisions):
        return "Filed as undetected before April 2013."
    counts: dict[tuple[str, str], int] = {}
    for d in decisions:
        key = (d["decided_by"], d["decision"])
        counts[key] = counts.get(key, 0) + 1
    return _PHRASES.get(max(counts, key=counts.__getitem__), "No further action.")
