"""Demo reviews: cases from the triage queue taken through the review, so that a demonstration
shows its later pages (reviews, quality assurance and the blind second review, the panel,
actions across forces, outcomes and the learning) with something on them.

Everything goes through the review's own services, as the people who would do it (the demo
accounts, acting from the command line), so every rule, status and audit event is the one a
person at the pages would produce. The same seed on the same data gives the same reviews; the
blind sample, drawn from the operating system's randomness, is set around the submissions so
that it does too. Demonstration databases only.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit.service import Actor
from beaconport.auth import accounts, queries, totp
from beaconport.auth.permissions import Role
from beaconport.auth.policy import Principal
from beaconport.demo import accounts as demo_accounts
from beaconport.demo import engagement
from beaconport.demo import safeguarding as demo_safeguarding
from beaconport.demo.accounts import (
    DEMO_PASSWORD,
    GREATER_MANCHESTER,
    WEST_YORKSHIRE,
    DemoAccount,
    demo_secret,
)
from beaconport.demo.rand import StableRandom
from beaconport.errors import InvalidRequest
from beaconport.instance import queries as instance
from beaconport.review import (
    action_states,
    actions,
    allocation,
    blind,
    conduct,
    eligibility,
    learning,
    panel,
    workload,
)
from beaconport.review import outcomes as ledger
from beaconport.review.instrument import FindingInput, load
from beaconport.review.models import ReviewAction, TriagePriority

DEFAULT_CASES = 40
DEFAULT_SEED = 2025

#: Reviewers added beside the demo's own, so that forty cases fit their capacity, every
#: review can be signed off by a second senior reviewer, and a blind second review's
#: disagreements can be resolved by a senior reviewer who did neither review. They follow the
#: demo accounts' conventions: the demo password and a second factor derived from the name.
EXTRA_REVIEWERS: tuple[DemoAccount, ...] = (
    DemoAccount("demo-reviewer-2", "Demo Reviewer 2", Role.REVIEWER),
    DemoAccount("demo-reviewer-3", "Demo Reviewer 3", Role.REVIEWER),
    DemoAccount("demo-senior-reviewer-2", "Demo Senior reviewer 2", Role.SENIOR_REVIEWER),
)
_EXTRA = {a.username: a for a in EXTRA_REVIEWERS}
#: Forces each extra reviewer once served in: their cases show that conflict of interest.
_SERVED = {"demo-reviewer-2": ["E23000003"], "demo-reviewer-3": [], "demo-senior-reviewer-2": []}

SUPERVISOR, SECOND_SUPERVISOR = "demo-senior-reviewer", "demo-senior-reviewer-2"
SENIORS = (SUPERVISOR, SECOND_SUPERVISOR)
REVIEWERS = ("demo-reviewer", "demo-reviewer-2", "demo-reviewer-3", *SENIORS)
PANEL_MEMBER = "demo-panel-member"
#: The forces with a demo investigator, who works (and results) the actions allocated there.
INVESTIGATORS = {WEST_YORKSHIRE: "demo-force-investigator",
                 GREATER_MANCHESTER: "demo-force-investigator-2"}
#: Who works the actions the national team holds.
NATIONAL_WORKER = SECOND_SUPERVISOR
#: Cases the demo reviewer is left room for, so the README's tour can still allocate one.
TOUR_ROOM = 3

# -- What the reviews find ---------------------------------------------------------------------

#: Items often not applicable to a case (withdrawal, toxicology, a suspect working with
#: children...), with the chance that they are.
USUALLY_NOT_APPLICABLE = {"A4": 0.8, "A5": 0.5, "B2": 0.4, "B6": 0.7, "C4": 0.7, "D3": 0.8,
                          "E4": 0.5, "F1": 0.4, "F3": 0.6, "K2": 0.8}


@dataclass(frozen=True, slots=True)
class Shortfall:
    item: str
    notes: str
    evidence: tuple[str, ...] = ()
    #: For a missed line: the action a reviewer raises from it.
    action: str = ""
    detail: str = ""


#: Missed lines of inquiry (not done, though available at the time), each with its action.
MISSED_LINES: tuple[Shortfall, ...] = (
    Shortfall("C2", "The second suspect was traced but never interviewed under caution.",
              ("Investigation log", "Suspect summary"), "Interview the second suspect under "
              "caution", "Trace the second suspect's current address and interview them under "
              "caution on every allegation; he was traced at the time but never interviewed."),
    Shortfall("C5", "No search of the main suspect's home address or vehicle was made after "
              "his arrest.", ("Custody record", "Investigation log"), "Consider searches of "
              "the suspect's premises and vehicle", "Establish whether the address and vehicle "
              "named in the file are still linked to the suspect and consider search warrants."),
    Shortfall("C6", "The suspects' intelligence records and previous allegations were not "
              "checked before the decision.", ("Investigation log",), "Complete intelligence "
              "and previous-allegation checks on the suspects", "Run PNC, PND and local "
              "intelligence checks on every suspect and record any previous allegations."),
    Shortfall("E2", "Call data for the suspects' phones was never requested, though their "
              "numbers were in the victim's phone.", ("Phone download summary",),
              "Request call data and attribution for the suspects' numbers", "Apply for the "
              "call data still retained for the numbers listed in the download, and attribute "
              "them to the suspects."),
    Shortfall("E1", "The suspects' phones were seized but never sent for examination.",
              ("Exhibits register",), "Submit the suspects' seized phones for examination",
              "Confirm the phones are still held and submit them for a proportionate "
              "examination against a written digital strategy."),
    Shortfall("F2", "Taxi operator records for the vehicles the victim described were not "
              "requested.", ("Victim's account", "Investigation log"), "Obtain taxi operator "
              "and licensing records for the vehicles described", "Ask the licensing authority "
              "and the operators named for the drivers and bookings of the vehicles described."),
    Shortfall("G1", "Children's social care records were not requested, though a social "
              "worker is named in the referral.", ("Strategy discussion minutes",),
              "Request children's social care records for the period", "Make a lawful, "
              "proportionate request for the social care records of the period of offending."),
    Shortfall("G3", "Missing-from-home reports for the period were not linked to the "
              "investigation.", ("Missing person records",), "Link the missing-from-home "
              "reports and return-home interviews", "Collate the missing-from-home episodes "
              "of the period and their return-home interviews, and link them to the case."),
    Shortfall("H1", "Two other children named in the victim's account were not identified or "
              "approached.", ("Victim's account",), "Identify the other children named in the "
              "victim's account", "Identify the two children named and consider a safe, "
              "planned approach with children's services."),
    Shortfall("H3", "A connected investigation in a neighbouring force naming the same suspects "
              "was not considered.", ("Intelligence report",), "Obtain the file of the "
              "connected investigation", "Request the connected investigation's file and "
              "assess the evidence for cross-admissibility."),
    Shortfall("I1", "Early investigative advice from the CPS was not sought before the file was "
              "closed.", ("Investigation log",), "Seek early investigative advice from the "
              "CPS", "Present the case to the CPS for early investigative advice once the "
              "outstanding lines are complete."),
    Shortfall("M1", "No intelligence submission linked the suspects to the other reports "
              "naming them.", ("Intelligence report",), "Submit intelligence linking the "
              "suspects across reports", "Submit intelligence linking the suspects to the "
              "other reports naming them, across forces where needed."),
    Shortfall("D2", "Exhibits seized at the time are still held and were never submitted for "
              "analysis.", ("Exhibits register",), "Submit the retained exhibits for forensic "
              "examination", "Confirm the continuity of the retained exhibits and agree a "
              "forensic strategy for their submission."),
    Shortfall("K3", "No disruption tactics were considered after the decision to take no "
              "further action.", ("Closure report",), "Consider disruption tactics against the "
              "suspects", "Consider child abduction warning notices and other disruption "
              "tactics for the suspects still in contact with children."),
)

#: Errors (done, but inadequately): counted in the learning, never an action of their own.
ERRORS: tuple[Shortfall, ...] = (
    Shortfall("C3", "The interview did not put every allegation to the suspect.",
              ("Interview record",)),
    Shortfall("B1", "The interview plan for the victim's recorded interview is not in the "
              "file.", ("Interview record",)),
    Shortfall("L1", "Supervisory reviews lapsed for eleven months during the investigation.",
              ("Investigation log",)),
    Shortfall("L2", "The NFA rationale does not address the evidence that was available.",
              ("Closure report",)),
    Shortfall("L3", "The victim was told of the decision by letter only, without the right to "
              "review.", ("Victim contact log",)),
    Shortfall("A1", "The offences were recorded under a classification that did not reflect "
              "the victim's age at the time.", ("Crime report",)),
    Shortfall("A3", "The CSE flag was applied only after the decision to take no further "
              "action.", ("Crime report",)),
    Shortfall("I4", "The charging decision records no reasons against the evidential test.",
              ("Charging decision",)),
    Shortfall("K4", "The risk to the victim and other children was not reassessed at "
              "closure.", ("Closure report",)),
)

ACHIEVABLE = (("yes", 45), ("partly", 35), ("no", 20))
IMPACTS = (("none", 10), ("possible", 40), ("likely", 35), ("determinative", 15))
ERROR_TYPES = (("human_error", 35), ("process", 25), ("resource", 20), ("policy", 10),
               ("culture_bias", 7), ("misconduct_indicator", 3))


def _pick(rng: StableRandom, weighted: Sequence[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


def _shortfall(rng: StableRandom, assessment: str, found: Shortfall,
               achievable: str | None = None) -> FindingInput:
    return FindingInput(assessment=assessment, basis="assessment", notes=found.notes,
                        evidence=found.evidence,
                        achievable=achievable or _pick(rng, ACHIEVABLE),
                        impact=_pick(rng, IMPACTS), error_type=_pick(rng, ERROR_TYPES))


def plan_findings(rng: StableRandom, *, at_least_one_missed: bool) -> dict[str, FindingInput]:
    """A finding on every item of the current instrument: mostly done adequately or not
    applicable, with a handful of missed lines of inquiry and errors."""
    missed = rng.choices([0, 1, 2, 3], [30, 35, 25, 10])[0]
    errors = rng.choices([0, 1, 2], [45, 40, 15])[0]
    if at_least_one_missed:
        missed = max(missed, 1)
    plan: dict[str, FindingInput] = {}
    for n, found in enumerate(rng.sample(MISSED_LINES, missed)):
        # The first missed line of a case that must be pursued can still be pursued.
        plan[found.item] = _shortfall(rng, "not_done_available_at_time", found,
                                      "yes" if at_least_one_missed and n == 0 else None)
    for found in rng.sample(ERRORS, errors):
        plan[found.item] = _shortfall(rng, "done_inadequately", found)
    for category in load().categories:
        for item in category.items:
            if item.code in plan:
                continue
            draw = rng.random()
            if draw < USUALLY_NOT_APPLICABLE.get(item.code, 0.05):
                plan[item.code] = FindingInput("not_applicable", "fact")
            elif draw > 0.97:
                plan[item.code] = FindingInput("unknown_no_record", "fact",
                                               "Nothing in the file supplied shows this.")
            elif draw > 0.94:
                plan[item.code] = FindingInput("not_done_not_available", "assessment",
                                               "Not available at the time of the original "
                                               "investigation.")
            else:
                plan[item.code] = FindingInput("done_adequately", "fact")
    order = [i.code for c in load().categories for i in c.items]
    return {code: plan[code] for code in order}


def missed_lines(plan: dict[str, FindingInput]) -> list[tuple[str, FindingInput]]:
    return [(item, f) for item, f in plan.items() if f.assessment == "not_done_available_at_time"]


# -- Where each case ends up -------------------------------------------------------------------

IN_PROGRESS, RETURNED, WAITING = "in progress", "returned", "waiting"
BLIND_WAITING, BLIND_DONE, SIGNED = "blind waiting", "blind done", "signed off"
#: Signed off, and not yet decided by the panel.
FOR_THE_PANEL = "for the panel"
#: Stands other than signed off, in the order they are kept when there are few cases.
_SPECIAL = (IN_PROGRESS, WAITING, BLIND_DONE, RETURNED, BLIND_WAITING)
#: Stands whose reviewer is not a senior reviewer: the demo's senior reviewer can then sign
#: them off in the tour, and a blind review's disagreements always have a senior reviewer who
#: did neither review to resolve them.
_NOT_BY_A_SENIOR = frozenset({WAITING, BLIND_WAITING, BLIND_DONE})


def plan_stands(count: int) -> list[str]:
    """Where each of ``count`` cases is taken: about a tenth left in progress, a tenth waiting
    for quality assurance, one returned, two drawn for the blind second review, and the rest
    (at least half) signed off, a tenth of those still waiting for the panel."""
    extra = max(0, count // 10 - 1)
    special = [*_SPECIAL, *[IN_PROGRESS] * extra, *[WAITING] * extra][:count // 2]
    signed = count - len(special)
    undecided = max(1, round(signed / 10)) if signed >= 3 else 0
    return special + [FOR_THE_PANEL] * undecided + [SIGNED] * (signed - undecided)


@dataclass(frozen=True, slots=True)
class Case:
    referral_id: uuid.UUID
    force_code: str
    stand: str
    plan: dict[str, FindingInput]
    #: One of the forces with a demo investigator: pursued, so its actions are worked.
    worked_by_force: bool = False


def choose_cases(session: Session, rng: StableRandom, count: int) -> list[Case]:
    """``count`` cases from the top of the triage queue, a few from each force that has a demo
    investigator among them; each given the stand it is taken to."""
    queue = [(rid, force) for rid, force in session.execute(
        select(TriagePriority.referral_id, TriagePriority.force_code)
        .order_by(TriagePriority.score.desc(), TriagePriority.referral_id))]
    stands = plan_stands(min(count, len(queue)))
    signed = stands.count(SIGNED)
    each = min(max(1, len(stands) // 10), signed // 2)
    forced = [row for force in INVESTIGATORS
              for row in [r for r in queue if r[1] == force][:each]]
    chosen = set(forced)
    others = [r for r in queue if r not in chosen][:len(stands) - len(forced)]
    rng.shuffle(others)
    rest = stands.copy()
    for _ in forced:
        rest.remove(SIGNED)
    cases = [Case(rid, force, SIGNED, plan_findings(rng, at_least_one_missed=True), True)
             for rid, force in forced]
    cases += [Case(rid, force, stand, plan_findings(rng, at_least_one_missed=False))
              for (rid, force), stand in zip(others, rest, strict=True)]
    return cases


# -- Who does it -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Person:
    """A demo account acting through this command: its principal for the services' rules, and
    the actor the audit log records (the person, with the command line as the client)."""

    principal: Principal
    actor: Actor


def _person(session: Session, username: str, client: str) -> Person:
    account = accounts.find_account(session, username)
    if account is None:
        raise InvalidRequest(f"The demo account {username} is missing: run 'beaconport "
                             "demo-data accounts' first.")
    principal = Principal(id=account.id, name=account.username,
                          display_name=account.display_name,
                          grants=queries.grants_of(session, account.id))
    return Person(principal, Actor(principal.actor, roles=principal.roles_text,
                                   client=client[:100]))


def add_extra_reviewers(session: Session, *, actor: str, cases: int) -> list[DemoAccount]:
    """Create the extra demo reviewers that are missing, with their profiles: room for what
    the demo's own reviewers cannot carry of ``cases``, and never less than theirs."""
    # The demo reviewer (capacity 10, less the tour's room) and senior reviewer (15) carry 22.
    capacity = min(100, max(15, -(-(cases - 22) // len(EXTRA_REVIEWERS)) + 2))
    created = []
    for demo in EXTRA_REVIEWERS:
        if accounts.find_account(session, demo.username) is not None:
            continue
        accounts.create_user(session, actor=actor, username=demo.username,
                             display_name=demo.display_name, password=DEMO_PASSWORD)
        accounts.grant_role(session, actor=actor, username=demo.username, role=demo.role)
        accounts.enrol_demo_second_factor(session, actor=actor, username=demo.username,
                                          secret=demo.secret)
        senior = demo.role == Role.SENIOR_REVIEWER
        allocation.set_profile(
            session, actor=actor, username=demo.username, capacity=capacity,
            skills=list(eligibility.SKILLS), vetting="SC" if senior else "NPPV3",
            vetting_expires_on=clock.today() + timedelta(days=730),
            served_forces=_SERVED[demo.username])
        created.append(demo)
    return created


def current_code(session: Session, username: str) -> str:
    """The current sign-in code of any demo account, the extra reviewers included. Refused on a
    database that is not a demonstration, as for the other demo accounts."""
    name = accounts.normalise_username(username)
    if name not in _EXTRA:
        known = [a.username for a in (*demo_accounts.DEMO_ACCOUNTS, *EXTRA_REVIEWERS)]
        if name not in known and instance.is_demo(session):
            raise InvalidRequest(f"{username!r} is not a demo account. The demo accounts are: "
                                 + ", ".join(known) + ".")
        return demo_accounts.current_code(session, username)
    if not instance.is_demo(session):
        raise InvalidRequest("This database is not marked as a demonstration, so Beaconport will "
                             "not show sign-in codes for it.")
    return totp.current_code(demo_secret(name), clock.now())


# -- The run -----------------------------------------------------------------------------------

@dataclass(slots=True)
class DemoReviews:
    """What the run left where."""

    accounts: list[DemoAccount] = field(default_factory=list)
    cases: int = 0
    not_allocated: int = 0
    stands: Counter[str] = field(default_factory=Counter)
    decisions: Counter[str] = field(default_factory=Counter)
    actions: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    #: Signed-off reviews, missed lines and errors, as the learning counts them.
    learning_reviews: int = 0
    missed: int = 0
    errors: int = 0
    engaged: engagement.Engaged = field(default_factory=engagement.Engaged)
    flags: int = 0


class _Run:
    """One run: the people acting, the seeded choices, and what it has done so far."""

    def __init__(self, session: Session, rng: StableRandom, client: str) -> None:
        self.session, self.rng = session, rng
        self.people = {name: _person(session, name, client)
                       for name in (*REVIEWERS, PANEL_MEMBER, *INVESTIGATORS.values())}
        self.supervisor = self.people[SUPERVISOR]
        self.today = clock.today()
        self.result = DemoReviews()

    # Allocation and the review itself.

    def reviewer_for(self, case: Case, *, besides: str | None = None) -> str | None:
        """The least loaded demo reviewer allowed the case (allocation's own rules)."""
        _, found = workload.candidates(self.session, case.referral_id, self.today)
        for candidate in found:
            r = candidate.reviewer
            if candidate.refusals or r.username not in REVIEWERS or r.username == besides:
                continue
            if case.stand in _NOT_BY_A_SENIOR and r.username in SENIORS:
                continue
            if r.username == "demo-reviewer" and r.carrying >= r.capacity - TOUR_ROOM:
                continue
            return r.username
        return None

    def save(self, who: Person, review_id: uuid.UUID, plan: Iterable[tuple[str, FindingInput]],
             ) -> None:
        for item, finding in plan:
            conduct.save_finding(self.session, principal=who.principal, actor=who.actor,
                                 review_id=review_id, item=item, revision=0, finding=finding)

    def review(self, case: Case, username: str) -> uuid.UUID:
        who = self.people[username]
        allocation.allocate(self.session, actor=self.supervisor.actor,
                            referral_id=case.referral_id, username=username)
        review_id = conduct.start(self.session, principal=who.principal, actor=who.actor,
                                  referral_id=case.referral_id)
        items = list(case.plan.items())
        if case.stand == IN_PROGRESS:
            items = items[:int(len(items) * (0.3 + 0.5 * self.rng.random()))]
        self.save(who, review_id, items)
        return review_id

    def submit(self, username: str, review_id: uuid.UUID) -> None:
        who = self.people[username]
        conduct.submit(self.session, principal=who.principal, actor=who.actor,
                       review_id=review_id)

    def sign_off(self, reviewer: str, review_id: uuid.UUID) -> None:
        # Four eyes: a senior reviewer's own review is signed off by the other one.
        others = [s for s in SENIORS if s != reviewer]
        signer = self.people[others[0] if len(others) == 1 or self.rng.random() < 0.75
                             else others[1]]
        note = self.rng.choice((
            "Findings are supported by the records and the evidence references; ready for "
            "the panel.",
            "Checked against the file: the findings are evidenced and reasoned. Signed off.",
            "Every item has a finding and the assessments are reasoned. Ready for the panel.",
        ))
        conduct.quality_assure(self.session, principal=signer.principal, actor=signer.actor,
                               review_id=review_id, sign_off=True, note=note)

    def returned(self, reviewer: str, review_id: uuid.UUID, case: Case) -> None:
        """Returned by quality assurance, and one finding already saved again."""
        checker = self.people[SECOND_SUPERVISOR if reviewer == SUPERVISOR else SUPERVISOR]
        conduct.quality_assure(
            self.session, principal=checker.principal, actor=checker.actor,
            review_id=review_id, sign_off=False,
            note="Add the evidence references for the interview findings, then resubmit.")
        item = "C3"
        before = case.plan[item]
        again = FindingInput(before.assessment, before.basis,
                             (before.notes + " Interview record checked again.").strip(),
                             (*before.evidence, "Interview record"), before.achievable,
                             before.impact, before.error_type)
        who = self.people[reviewer]
        conduct.save_finding(self.session, principal=who.principal, actor=who.actor,
                             review_id=review_id, item=item, revision=1, finding=again)

    # The blind second review.

    def blind_second(self, case: Case, first: str, review_id: uuid.UUID) -> str | None:
        """Give a drawn review to a second reviewer; for BLIND_DONE, complete it (differing on
        an item or two), resolve each disagreement and sign the first review off."""
        second = self.reviewer_for(case, besides=first)
        if second is None:
            return None
        second_id = blind.assign(self.session, actor=self.supervisor.actor,
                                 review_id=review_id, username=second)
        who = self.people[second]
        items = list(case.plan.items())
        if case.stand == BLIND_WAITING:
            self.save(who, second_id, items[:len(items) // 3])
            return second
        self.save(who, second_id, [(item, self._differently(item, f)) for item, f in items])
        conduct.submit(self.session, principal=who.principal, actor=who.actor,
                       review_id=second_id)
        resolver = self.people[next(s for s in SENIORS if s not in (first, second))]
        compared = blind.comparison(self.session, resolver.principal, review_id)
        for n, disagreement in enumerate(compared.disagreements):
            stands = "first" if n % 2 == 0 else "second"
            blind.resolve(self.session, principal=resolver.principal, actor=resolver.actor,
                          disagreement_id=disagreement.id, resolution=stands,
                          note="The records support the first review's finding."
                          if stands == "first" else
                          "The second review's reading of the records is better supported.")
        self.sign_off(first, review_id)
        return second

    @staticmethod
    def _differently(item: str, finding: FindingInput) -> FindingInput:
        """The second reviewer's finding: the same, except that missed lines weigh more with
        them, and they find no record for A2."""
        if item == "A2" and finding.assessment == "done_adequately":
            return FindingInput("unknown_no_record", "fact",
                                "The file supplied does not list every suspect recorded.")
        if finding.assessment == "not_done_available_at_time" and finding.impact != "likely":
            return FindingInput(finding.assessment, finding.basis, finding.notes,
                                finding.evidence, finding.achievable, "likely",
                                finding.error_type)
        return finding

    # The panel, and actions.

    def decide(self, case: Case) -> str:
        achievable = [f for _, f in missed_lines(case.plan) if f.achievable != "no"]
        shortfalls = [f for f in case.plan.values()
                      if f.assessment in ("not_done_available_at_time", "done_inadequately")]
        if case.worked_by_force:
            outcome = self.rng.choices(["reinvestigate_local_force", "refer_to_cps"],
                                       [80, 20])[0]
        elif achievable:
            outcome = self.rng.choices(
                ["reinvestigate_local_force", "refer_to_cps", "reinvestigate_national",
                 "learning_only"], [60, 15, 10, 15])[0]
        elif shortfalls:
            outcome = self.rng.choices(["learning_only", "nfa_upheld"], [55, 45])[0]
        else:
            outcome = "nfa_upheld"
        lines = len(achievable)
        rationale = {
            "reinvestigate_local_force": f"The review found {lines} line"
            f"{'' if lines == 1 else 's'} of inquiry missed at the time that can still be "
            "pursued; the referring force reinvestigates under the review's supervision.",
            "refer_to_cps": "The evidence gathered at the time, with the missed lines now "
            "pursued, may meet the evidential test: the file goes back to the CPS.",
            "reinvestigate_national": "The suspects are named in referrals from other forces; "
            "the national team reinvestigates so that the lines are pursued together.",
            "learning_only": "The shortfalls found could not now change the decision; they are "
            "shared with the force as organisational learning.",
            "nfa_upheld": "What the review found can no longer be put right, and the evidence "
            "does not support a different decision; no further action stands." if shortfalls else
            "The investigation was adequate on the evidence available at the time; the "
            "decision to take no further action stands.",
        }[outcome]
        weighed = {"nfa_upheld": ["reinvestigate_local_force", "learning_only"],
                   "learning_only": ["nfa_upheld", "reinvestigate_local_force"]}.get(
            outcome, ["nfa_upheld", "learning_only"])
        members = [SUPERVISOR, self.rng.choice(("demo-safeguarding-officer",
                                                "demo-victim-liaison"))]
        who = self.people[PANEL_MEMBER]
        panel.decide(self.session, actor=who.actor, referral_id=case.referral_id,
                     outcome=outcome, options_considered=weighed, rationale=rationale,
                     members=members)
        return outcome

    def raise_actions(self, case: Case, reviewer: str) -> list[uuid.UUID]:
        """The case's reviewer raises an action from each missed line still achievable."""
        raised = []
        who = self.people[reviewer]
        by_item = {s.item: s for s in MISSED_LINES}
        for item, finding in missed_lines(case.plan):
            if finding.achievable == "no":
                continue
            priority = ("high" if finding.impact in ("likely", "determinative")
                        and finding.achievable == "yes" else
                        "low" if finding.impact == "none" else "medium")
            raised.append(actions.raise_action(
                self.session, actor=who.actor, referral_id=case.referral_id,
                title=by_item[item].action, detail=by_item[item].detail, priority=priority,
                finding_item=item))
        return raised

    def move(self, who: Person, action_id: uuid.UUID, step: str, note: str = "", *,
             allocated_to: str = "", due_on: date | None = None,
             outcome_steps: Sequence[actions.OutcomeInput] = ()) -> None:
        actions.move(self.session, principal=who.principal, actor=who.actor,
                     action_id=action_id, step=step, note=note, allocated_to=allocated_to,
                     due_on=due_on, outcome_steps=outcome_steps)

    def work(self, case: Case, outcome: str, raised: list[uuid.UUID], start: int) -> int:
        """Allocate the actions of a case the panel decided to pursue; those of a force with a
        demo investigator (or of the national team) are worked, in a cycle of stands so each
        appears. Returns where the cycle stands now."""
        holder = "national" if outcome == "reinvestigate_national" else case.force_code
        worker = (self.people[NATIONAL_WORKER] if holder == "national"
                  else self.people[INVESTIGATORS[holder]] if holder in INVESTIGATORS else None)
        cycle = ("resulted", "allocated", "checked", "completed", "resulted", "filed")
        for action_id in raised:
            days = self.rng.choice((14, 28, 42, 56))
            self.move(self.supervisor, action_id, "allocate", allocated_to=holder,
                      due_on=self.today + timedelta(days=days))
            if worker is None:
                continue
            wanted, start = cycle[start % len(cycle)], start + 1
            if wanted == "allocated":
                continue
            self.move(worker, action_id, "complete",
                      "Enquiries made as set out; the material obtained is on the case file.")
            if wanted == "completed":
                continue
            # A checked result went as far as a charge; an unchecked one may still be under way.
            charged = wanted != "resulted" or self.rng.random() < 0.5
            self.move(worker, action_id, "result",
                      "The suspect was traced, arrested and interviewed; the file went to the "
                      "CPS, which authorised a charge." if charged else
                      "The suspect was traced, arrested and interviewed under caution; "
                      "enquiries continue.",
                      outcome_steps=self._outcomes(case, charged=charged))
            if wanted == "resulted":
                continue
            self.move(self.supervisor, action_id, "check",
                      "The result is supported by the material on file; the ledger is updated.")
            if wanted == "filed":
                self.move(self.supervisor, action_id, "file")
        return start

    def _outcomes(self, case: Case, *, charged: bool) -> list[actions.OutcomeInput]:
        suspects = [ref for ref, _ in ledger.suspects(self.session, case.referral_id)]
        if not suspects:
            return []
        ref = self.rng.choice(suspects)
        steps = [actions.OutcomeInput(ref, "arrested", self.today),
                 actions.OutcomeInput(ref, "interviewed", self.today)]
        if charged:
            steps.append(actions.OutcomeInput(ref, "charged", self.today,
                                              "Charged on the CPS's authority."))
        for step in steps:
            self.result.outcomes[step.event] += 1
        return steps

    def file_unpursued(self, raised: list[uuid.UUID], outcome: str) -> None:
        why = (" the line is shared through the learning rather than pursued."
               if outcome == "learning_only" else " the line is not pursued.")
        for action_id in raised:
            self.move(self.supervisor, action_id, "file",
                      f"The panel decided '{panel.OUTCOMES[outcome]}':{why}")


def add_demo_reviews(session: Session, *, actor: str, cases: int = DEFAULT_CASES,
                     seed: int = DEFAULT_SEED) -> DemoReviews:
    """Take ``cases`` eligible cases from the triage queue through the review to varied stands,
    as the demo accounts would. Refused on a database that is not a demonstration, and on one
    that already has reviews (made by this command or by hand), so what it shows is what the
    summary says."""
    if not instance.is_demo(session):
        raise InvalidRequest("This database is not marked as a demonstration, so Beaconport will "
                             "not add demo reviews to it.")
    if cases < 1:
        raise InvalidRequest("Give the number of cases to review: at least 1.")
    existing = conduct.listed(session, kind=blind.PRIMARY)
    if existing:
        raise InvalidRequest(f"This demonstration already has {len(existing)} review"
                             f"{'' if len(existing) == 1 else 's'}: demo reviews are added once, "
                             "to a demonstration with none. Build a new demo database to start "
                             "again.")
    created = add_extra_reviewers(session, actor=actor, cases=cases)
    rng = StableRandom(seed)
    run = _Run(session, rng, f"{actor} demo-data reviews")
    result = run.result
    result.accounts = created
    chosen = choose_cases(session, rng, cases)
    if not chosen:
        raise InvalidRequest("The triage queue is empty: import referrals and link their "
                             "people first.")
    # The victim liaison officer is in touch with the complainants before the review decides.
    officer = _person(session, "demo-victim-liaison", f"{actor} demo-data reviews").actor
    engagement.engage(session, officer=officer, rng=rng,
                      referral_ids=[c.referral_id for c in chosen], done=result.engaged)

    # Reviewed and filled in, case by case; submitted below, once the blind sample is set.
    reviewed: list[tuple[Case, str, uuid.UUID]] = []
    for case in chosen:
        username = run.reviewer_for(case)
        if username is None:
            result.not_allocated += 1
            continue
        reviewed.append((case, username, run.review(case, username)))
    result.cases = len(reviewed)

    # The blind sample is drawn with the operating system's randomness: set to all for the two
    # reviews meant for it and to none for the rest, so the run is the same every time, then
    # back to the share it was.
    before = blind.sample_rule(session).percent
    drawn = [r for r in reviewed if r[0].stand in (BLIND_WAITING, BLIND_DONE)]
    if drawn:
        blind.set_sample(session, actor=run.supervisor.actor, percent=100,
                         note="Demonstration data: the next reviews submitted are drawn for the "
                         "blind second review, so its pages show one.")
        for _, username, review_id in drawn:
            run.submit(username, review_id)
    blind.set_sample(session, actor=run.supervisor.actor, percent=0,
                     note="Demonstration data: no more reviews drawn while the demo's reviews "
                     "are submitted, so they are the same every time.")
    for case, username, review_id in reviewed:
        if case.stand in (RETURNED, WAITING, SIGNED, FOR_THE_PANEL):
            run.submit(username, review_id)
    blind.set_sample(session, actor=run.supervisor.actor, percent=before,
                     note="Demonstration data loaded: back to the share drawn before.")

    cycle = 0
    for case, username, review_id in reviewed:
        stand = case.stand
        if stand == RETURNED:
            run.returned(username, review_id, case)
        elif stand in (BLIND_WAITING, BLIND_DONE):
            if run.blind_second(case, username, review_id) is None:
                stand = WAITING
        elif stand in (SIGNED, FOR_THE_PANEL):
            run.sign_off(username, review_id)
        result.stands[stand] += 1
        if stand not in (SIGNED, BLIND_DONE, FOR_THE_PANEL):
            continue
        raised = run.raise_actions(case, username)
        if stand == FOR_THE_PANEL:
            continue
        outcome = run.decide(case)
        result.decisions[outcome] += 1
        if outcome in actions.PURSUED:
            cycle = run.work(case, outcome, raised, cycle)
        else:
            run.file_unpursued(raised, outcome)
    engagement.tell(session, officer=officer, rng=rng, done=result.engaged)
    engagement.withdraw_one(session, officer=officer, rng=rng,
                            besides={c.referral_id for c in chosen}, done=result.engaged)
    result.flags = demo_safeguarding.add_flags(
        session, reviewer=run.people[REVIEWERS[0]].actor,
        officer=_person(session, "demo-safeguarding-officer", f"{actor} demo-data reviews").actor,
        supervisor=SUPERVISOR, referral_ids=[c.referral_id for c in chosen])
    result.actions = Counter(session.scalars(select(ReviewAction.status)))
    learnt = learning.counts(session, learning.LearningFilter(), by_force=False)
    result.learning_reviews = learnt.reviews
    result.missed, result.errors = learnt.totals.missed, learnt.totals.errors
    return result


def _listed(counts: Counter[str], labels: dict[str, str]) -> str:
    def label(key: str) -> str:
        text = labels.get(key, key).split(":")[0]
        return text[:1].lower() + text[1:] if text[1:2].islower() else text

    parts = [f"{n} {label(key)}"
             for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return f" ({', '.join(parts)})" if parts else ""


#: The panel's outcomes, short enough for one line.
_DECISIONS = {"reinvestigate_local_force": "reinvestigate by the local force",
              "reinvestigate_national": "reinvestigate by the national team",
              "refer_to_cps": "refer to the CPS", "nfa_upheld": "NFA upheld",
              "learning_only": "learning only"}


def summary(done: DemoReviews) -> list[str]:
    """The run in a few lines, for the terminal."""
    s = done.stands
    signed = s[SIGNED] + s[BLIND_DONE] + s[FOR_THE_PANEL]
    lines = [
        f"Demo reviews of {done.cases} case{'' if done.cases == 1 else 's'} from the triage "
        "queue:",
        f"  in progress: {s[IN_PROGRESS] + s[RETURNED]} ({s[RETURNED]} returned by quality "
        "assurance)",
        f"  waiting for quality assurance: {s[WAITING] + s[BLIND_WAITING]} ({s[BLIND_WAITING]} "
        "waiting for its blind second review)",
        f"  signed off: {signed} ({s[BLIND_DONE]} after a blind second review, "
        f"{signed - done.decisions.total()} waiting for the panel)",
        f"  panel decisions: {done.decisions.total()}{_listed(done.decisions, _DECISIONS)}",
        f"  actions: {done.actions.total()}{_listed(done.actions, action_states.LABELS)}",
        f"  outcomes in the ledger: {done.outcomes.total()}"
        f"{_listed(done.outcomes, ledger.EVENTS)}",
        f"  the learning: missed lines of inquiry {done.missed}, errors {done.errors}, from "
        f"signed-off reviews {done.learning_reviews}",
    ]
    lines.append(f"  victims and survivors: {done.engaged.complainants} complainants in touch "
                 f"with the review, {done.engaged.contacts} told of decisions, "
                 f"{done.engaged.held} case held (support withdrawn)")
    lines.append(f"  safeguarding flags: {done.flags}, the first referred to the licensing "
                 "authority and the home force (waiting in the outbox)")
    if done.not_allocated:
        lines.append(f"  left in the queue, no demo reviewer having room: {done.not_allocated}")
    for account in done.accounts:
        lines.append(f"New demo account {account.username} ({account.role.value}): password "
                     f"{DEMO_PASSWORD!r}, TOTP secret {account.secret}.")
    return lines
