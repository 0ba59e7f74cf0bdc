"""Demo engagement with victims and survivors: the demo's victim liaison officer gets in touch
with the complainants of the cases the demo reviews, keeps their contact plans, tells most of
them what the review decided (most duties met, a few left due: overdue a working day later),
and one
complainant of a case still in the queue withdraws support, so a held case shows. Through the
engagement services, as the officer would at the pages. Every name, number and address is
fictional (phone numbers from Ofcom's range for drama, addresses on example domains)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit.service import Actor
from beaconport.demo.rand import StableRandom
from beaconport.referrals import states
from beaconport.referrals.models import Referral
from beaconport.victims import contact, duties, support
from beaconport.victims import support_states as ss

OFFICER = "DC Jo Marsh"
PREFERRED = ("Sam", "Jay", "Kim", "Lee", "Ash", "Bea", "Cass", "Dee", "Em", "Fran", "Gem",
             "Hol", "Izzy", "Jess", "Kat", "Liv", "Mo", "Nat", "Pip", "Rae")
ISVAS = ("R. Ames, ISVA service", "T. Okafor, ISVA service", "L. Price, Rape Crisis",
         "M. Shah, independent intermediary")
#: The share of duties the demo's officer meets at once.
TOLD = 0.85


@dataclass(slots=True)
class Engaged:
    complainants: int = 0
    contacts: int = 0
    held: int = 0


def _plan(rng: StableRandom, n: int) -> contact.PlanInput:
    phone = f"07700 900{rng.randrange(1000):03d}"
    name = PREFERRED[n % len(PREFERRED)]
    channels = [contact.Channel("phone", phone, rng.choice(
        ("Never leave a message", "Text first", "Only after 6pm", "")))]
    if rng.random() < 0.4:
        channels.append(contact.Channel("email", f"{name.lower()}{n}@mail.example", ""))
    if rng.random() < 0.5:
        channels.insert(0, contact.Channel("via_intermediary", rng.choice(ISVAS), "Preferred"))
    return contact.PlanInput(
        preferred_name=name, channels=tuple(channels),
        safe_times=rng.choice(("Weekdays 10:00 to 15:00", "Evenings after 18:00",
                               "Any time, through the ISVA")),
        no_contact=(), intermediary=rng.choice(ISVAS),
        language=rng.choice(("English", "English", "English", "Urdu", "Polish")),
        needs=rng.choice(("", "", "Large print letters", "Prefers meetings at the ISVA's "
                          "office")),
        updates=rng.choice(("key_decisions", "key_decisions", "all", "none")),
        updates_how=rng.choice(("Through the ISVA", "By phone", "By email")))


def engage(session: Session, *, officer: Actor, rng: StableRandom,
           referral_ids: Iterable[uuid.UUID], done: Engaged) -> None:
    """Get in touch with every complainant of these cases: a contact plan, and their support
    recorded where the force had not (approached, then supports)."""
    today = clock.today()
    for referral_id in referral_ids:
        for ref, (forced, _) in support.reported(session, referral_id).items():
            if support.starting_support(forced) in ss.NOT_CONTACTED - {ss.NOT_YET_APPROACHED}:
                continue
            contact.save_plan(session, actor=officer, referral_id=referral_id, person_ref=ref,
                              revision=0, plan=_plan(rng, done.complainants))
            if support.starting_support(forced) == ss.NOT_YET_APPROACHED:
                for to, note in ((ss.APPROACHED, "Introduced the review through the ISVA."),
                                 (ss.SUPPORTS, "Agreed that the review may look at how her "
                                  "case was handled, and to hear of key decisions.")):
                    support.record(session, actor=officer, referral_id=referral_id,
                                   person_ref=ref, given=support.SupportInput(
                                       to, today, OFFICER, "isva", ISVAS[0], note))
            done.complainants += 1


def tell(session: Session, *, officer: Actor, rng: StableRandom, done: Engaged) -> None:
    """Meet most duties due: a call that reached them."""
    for duty in duties.duties(session):
        if duty.state not in (duties.DUE, duties.OVERDUE) or rng.random() > TOLD:
            continue
        contact.log_contact(
            session, actor=officer, referral_id=duty.referral_id, person_ref=duty.person_ref,
            entry=contact.ContactInput(clock.now(), "outgoing", "phone", True,
                                       f"{duty.title}; she asked for it in writing too.",
                                       duty.key))
        done.contacts += 1


def withdraw_one(session: Session, *, officer: Actor, rng: StableRandom,
                 besides: set[uuid.UUID], done: Engaged) -> None:
    """One complainant of an eligible case still in the queue withdraws support: held."""
    eligible = [rid for rid in session.scalars(
        select(Referral.id).where(Referral.status == states.ELIGIBLE,
                                  Referral.complainant_count >= 2)
        .order_by(Referral.force_reference).limit(50)) if rid not in besides]
    for referral_id in rng.sample(eligible, min(len(eligible), 10)):
        supporters = [ref for ref, (forced, _) in support.reported(session, referral_id).items()
                      if forced == ss.SUPPORTS]
        if len(supporters) < 2:
            continue
        recorded = support.record(session, actor=officer, referral_id=referral_id,
                                  person_ref=supporters[0], given=support.SupportInput(
                                      ss.UNDECIDED, clock.today(), OFFICER, "direct", "",
                                      "She asked for time to think before the review goes on."))
        done.complainants += 1
        done.held += int(recorded.held)
        return
