"""The operation's figures as at a date, each labelled with its counting unit and definition,
computed from what the store keeps for good: the versions forces sent (each with the time it
was received), screening's decisions (a changed decision is a new row, the old kept), the audit
log's events for the review (append-only), the panel's decisions, the outcomes ledger, referrals
to authorities and the communications log. Whatever arrives later, the same date gives the same
figures: nothing after the end of that day (in England and Wales) is read.

The one exception is ethnicity, whose persons are counted once after linkage: the nominal index
as it stands links them, so if it later learns that two people are one, a table for an earlier
date can change; its notes say so.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from beaconport.audit.actions import AuditAction
from beaconport.audit.models import AuditEvent
from beaconport.clock import aware
from beaconport.cycles import no_cycle_collection
from beaconport.reference.queries import force_names
from beaconport.referrals.models import Crime, Referral
from beaconport.review.models import OutcomeEvent, PanelDecision
from beaconport.review.panel import OUTCOMES
from beaconport.safeguarding.models import AuthorityReferral
from beaconport.screening.models import ScreeningDecision
from beaconport.screening.rules import CRITERIA, CRITERION_LABELS
from beaconport.stats import disclosure as sdc
from beaconport.stats import ethnicity as e
from beaconport.stats import nationality as n
from beaconport.stats import queries
from beaconport.victims import duties as d
from beaconport.working_days import end_of_day


@dataclass(frozen=True, slots=True)
class Figure:
    key: str
    title: str
    unit: str
    definition: str
    value: int


@dataclass(frozen=True, slots=True)
class Table:
    key: str
    title: str
    unit: str
    definition: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]
    #: Which lines add up (``disclosure.Margins``): rows and columns (a referral is in one
    #: row: totals shown and protected), rows alone, or none (a referral may fail several
    #: criteria: no totals).
    margins: sdc.Margins = True
    notes: tuple[str, ...] = field(default=())
    #: Subtotal rows and the rows each adds up (the 5 groups over the 18+1 categories).
    groups: dict[int, tuple[int, ...]] = field(default_factory=dict)
    #: Whether the columns are an attribute of what is counted (involving rape or not), so a
    #: row all in one column tells it of every member (class disclosure, reported).
    attribute_columns: bool = False

    @property
    def additive(self) -> bool:
        return self.margins is True


#: A figure that appears in more than one table: each table's key and the cell's position.
Shared = tuple[tuple[str, sdc.Position], ...]


@dataclass(frozen=True, slots=True)
class Figures:
    as_at: date
    headline: tuple[Figure, ...]
    tables: tuple[Table, ...]
    #: Cells of different tables that are the same figure: suppressed in one, in all.
    shared: tuple[Shared, ...] = ()
    mapping: tuple[queries.Mapped, ...] = ()


@dataclass(frozen=True, slots=True)
class _Decided:
    decision: str
    failed: list[str]


def _decisions_as_at(session: Session, cut: datetime, referrals: set[str]
                     ) -> dict[str, _Decided]:
    """Each referral's screening decision as it stood then: the latest made by then (only the
    columns counted, read plainly: a hundred thousand whole decisions take seconds more)."""
    found: dict[str, tuple[tuple[datetime, str], str, str]] = {}
    for rid, decision, failed, at, made in session.connection().execute(
            select(queries.key(ScreeningDecision.referral_id), ScreeningDecision.decision,
                   cast(ScreeningDecision.failed, String), ScreeningDecision.screened_at_utc,
                   queries.key(ScreeningDecision.id))
            .where(ScreeningDecision.screened_at_utc <= cut)):
        rid = queries.key_of(rid)
        # The latest; two made in the same instant are told apart by their time-ordered ids.
        if rid in referrals and (rid not in found or (at, made) > found[rid][0]):
            found[rid] = ((at, made), decision, failed)
    # Only an ineligible decision failed a criterion: only its list is worth reading.
    return {rid: _Decided(decision, json.loads(failed) if decision == "ineligible" else [])
            for rid, (_, decision, failed) in found.items()}


STAGES = ("Waiting for allocation", "Allocated to a reviewer", "Review in progress",
          "Waiting for quality assurance", "Signed off, waiting for the panel",
          "Decided by the panel")
SCREENED = {"ineligible": "Ineligible", "needs_information": "Needs information"}
#: The panel's outcomes that send a case back to be investigated, and their rows' labels.
REINVESTIGATIONS = ("reinvestigate_local_force", "reinvestigate_national", "refer_to_cps")
OUTCOME_LABELS = OUTCOMES


def _stages(session: Session, cut: datetime, eligible: set[str]) -> dict[str, str]:
    """Where each case stood in the review, replaying the audit log's review events to then."""
    stage = dict.fromkeys(eligible, STAGES[0])
    wanted = [AuditAction.CASE_ALLOCATED, AuditAction.CASE_REALLOCATED, AuditAction.CASE_RETURNED,
              AuditAction.REVIEW_STARTED, AuditAction.REVIEW_SUBMITTED,
              AuditAction.REVIEW_RETURNED, AuditAction.REVIEW_SIGNED_OFF,
              AuditAction.PANEL_DECIDED]
    moves = {AuditAction.CASE_ALLOCATED.value: STAGES[1],
             AuditAction.CASE_REALLOCATED.value: STAGES[1],
             AuditAction.CASE_RETURNED.value: STAGES[0],
             AuditAction.REVIEW_STARTED.value: STAGES[2],
             AuditAction.REVIEW_SUBMITTED.value: STAGES[3],
             AuditAction.REVIEW_RETURNED.value: STAGES[2],
             AuditAction.REVIEW_SIGNED_OFF.value: STAGES[4],
             AuditAction.PANEL_DECIDED.value: STAGES[5]}
    for subject, action, data in session.execute(
            select(AuditEvent.subject_id, AuditEvent.action, AuditEvent.data)
            .where(AuditEvent.action.in_([a.value for a in wanted]),
                   AuditEvent.subject_type == "referral", AuditEvent.at_utc <= cut)
            .order_by(AuditEvent.seq)):
        rid = queries.key_of(subject)
        if rid not in stage:
            continue
        if action == AuditAction.REVIEW_SUBMITTED.value and (data or {}).get("kind") not in (
                None, "primary"):
            continue  # a blind second review's submission does not move the case
        if stage[rid] == STAGES[5] and action != AuditAction.PANEL_DECIDED.value:
            continue  # once decided, later review events do not undo the decision
        stage[rid] = moves[action]
    return stage


def compute(session: Session, as_at: date, *, per_force: bool = False) -> Figures:
    """The figures as at the end of the day; ``per_force`` adds referrals by force (published
    only where an administrator enabled it)."""
    with no_cycle_collection():  # millions of rows and tuples read, no cycles among them
        return _compute(session, as_at, per_force)


def _compute(session: Session, as_at: date, per_force: bool) -> Figures:
    cut = end_of_day(as_at)
    versions = queries.versions_as_at(session, cut)
    referrals = set(versions)
    forces = {rid: force for rid, force in (
        (queries.key_of(r), f) for r, f in queries.plain(
            session, select(queries.key(Referral.id), Referral.force_code))) if rid in referrals}
    wanted = set(versions.values())
    # Read plainly: is_rape may come back as 0 or 1, and is only ever read as true or false.
    crimes = [(v, bool(rape), recorded) for v, rape, recorded in queries.plain(
        session, select(queries.key(Crime.version_id), Crime.is_rape, Crime.recorded_on))
        if v in wanted]
    rape_versions = {v for v, rape, _ in crimes if rape}
    rape = {rid for rid, v in versions.items() if v in rape_versions}
    decided = _decisions_as_at(session, cut, referrals)
    eligible = {rid for rid, row in decided.items() if row.decision == "eligible"}
    failing = Counter(c for row in decided.values() for c in row.failed)

    panel = Counter(outcome for outcome, at in session.execute(
        select(PanelDecision.outcome, PanelDecision.decided_at_utc)) if aware(at) <= cut)
    ledger: dict[str, set[tuple[object, str]]] = defaultdict(set)
    for case, ref, event, at in session.execute(
            select(OutcomeEvent.referral_id, OutcomeEvent.person_ref, OutcomeEvent.event,
                   OutcomeEvent.recorded_at_utc)):
        if aware(at) <= cut:
            ledger[event].add((case, ref))
    sent = acknowledged = 0
    for sent_at, ack_at in session.execute(
            select(AuthorityReferral.sent_at_utc, AuthorityReferral.acknowledged_at_utc)):
        if aware(sent_at) <= cut:
            sent += 1
            acknowledged += int(ack_at is not None and aware(ack_at) <= cut)
    compliance = d.compliance(d.duties(session, as_at=as_at))

    headline = (
        Figure("referrals", "Referrals received", "referrals",
               "Cases referred by forces whose first version was received by the end of the "
               "day; a referral resubmitted counts once.", len(referrals)),
        Figure("rape", "Referrals involving rape", "referrals",
               "Referrals whose version as at the day records at least one rape offence "
               "(Sexual Offences Act 2003 ss1 and 5, or rape before it).", len(rape)),
        Figure("forces", "Forces referring", "forces",
               "Forces with at least one referral received.", len(set(forces.values()))),
        Figure("crimes", "Crimes referred", "crimes",
               "Crimes in the referrals' versions as at the day.", len(crimes)),
        Figure("reinvestigations", "Reinvestigations decided", "referrals",
               "Panel decisions to reinvestigate (by the local force or the national team) or "
               "to refer to the CPS.", sum(panel[k] for k in REINVESTIGATIONS)),
        Figure("arrested", "Suspects arrested", "suspects",
               "Suspects (each in the referral that names them) recorded arrested after the "
               "review.", len(ledger["arrested"])),
        Figure("charged", "Suspects charged", "suspects",
               "Suspects recorded charged after the review.", len(ledger["charged"])),
        Figure("convicted", "Suspects convicted", "suspects",
               "Suspects recorded convicted after the review.", len(ledger["convicted"])),
        Figure("safeguarding_sent", "Safeguarding referrals made", "referrals to authorities",
               "Referrals of dangerous suspects to the authorities who can act.", sent),
        Figure("safeguarding_acknowledged", "Safeguarding referrals acknowledged",
               "referrals to authorities", "Of those, acknowledged by the authority.",
               acknowledged),
        Figure("victims_code_met", "Victims' Code duties met on time", "duties",
               "Duties to complainants whose time had come (met, or overdue) that were met "
               "on time.", compliance.on_time),
        Figure("victims_code_due", "Victims' Code duties whose time had come", "duties",
               "Met (on time or late) or overdue.", compliance.counted),
    )
    # One table for screening and the review, so no figure of one can be subtracted from the
    # other's total: the eligible cases appear only as their review stages.
    stage_of = _stages(session, cut, eligible)
    place: dict[str, str] = {}
    for rid in referrals:
        row = decided.get(rid)
        place[rid] = (stage_of[rid] if row is not None and row.decision == "eligible"
                      else SCREENED.get(row.decision if row else "", "Not yet screened"))
    places = (*(f"Eligible: {s[0].lower()}{s[1:]}" for s in STAGES), *SCREENED.values(),
              "Not yet screened")
    labelled = {rid: (f"Eligible: {p[0].lower()}{p[1:]}" if p in STAGES else p)
                for rid, p in place.items()}
    tables = [
        Table("stages", "Referrals by where they stand, and whether they involve rape",
              "referrals", "Screening's own decision as at the day (before any override a "
              "second senior reviewer approved), and for eligible cases their stage in the "
              "review, replayed from the audit log to the end of the day.",
              places, ("Involving rape", "Not involving rape"),
              tuple((sum(1 for rid, at in labelled.items() if at == p and rid in rape),
                     sum(1 for rid, at in labelled.items() if at == p and rid not in rape))
                    for p in places),
              attribute_columns=True),
        Table("criteria", "Referrals failing each admission criterion", "referrals",
              "A referral may fail several criteria, so the rows do not add up.",
              tuple(CRITERION_LABELS[c] for c in CRITERIA), ("Referrals failing",),
              tuple((failing[c],) for c in CRITERIA), margins=False),
        Table("panel", "Panel decisions by outcome", "referrals",
              "The panel's decisions to the end of the day; a case decided again counts once "
              "for each decision.", tuple(OUTCOMES.values()), ("Decisions",),
              tuple((panel[k],) for k in OUTCOMES)),
    ]
    shared: list[Shared] = []
    # Every ineligible referral fails a criterion: where only one criterion has any failures,
    # its count is the ineligible total, and the two tables must hide it together.
    failed_any = [i for i, c in enumerate(CRITERIA) if failing[c]]
    if len(failed_any) == 1:
        shared.append((("stages", (places.index(SCREENED["ineligible"]), None)),
                       ("criteria", (failed_any[0], 0))))
    if per_force:
        names = force_names(session)
        listed = sorted(set(forces.values()), key=lambda code: names.get(code, code))
        tables.append(Table(
            "forces", "Referrals received by force, and whether they involve rape", "referrals",
            "Referrals by the force that referred them, as at the day.",
            tuple(names.get(code, code) for code in listed), tables[0].columns,
            tuple((sum(1 for rid, code in forces.items() if code == force and rid in rape),
                   sum(1 for rid, code in forces.items() if code == force and rid not in rape))
                  for force in listed), attribute_columns=True))
        # The same referrals as the stages table: its totals are these totals.
        shared += [(("stages", p), ("forces", p)) for p in ((None, 0), (None, 1), (None, None))]
    reference = queries.ethnicity_reference(session)
    ethnicity = queries.roles_ethnicity(session, (queries.SUSPECTS, queries.COMPLAINANTS),
                                        versions=wanted, reference=reference)
    period_of = _crime_periods(crimes)
    for role in (queries.SUSPECTS, queries.COMPLAINANTS):
        found = ethnicity[role]
        added = _ethnicity_tables(role, found, reference, period_of)
        tables += added
        # Every row of the per-scheme table adds up to the persons the detailed table counts.
        shared.append(((added[0].key, (None, None)), (added[3].key, (None, None)),
                       *((added[1].key, (r, None)) for r in range(len(added[1].rows)))))
    return Figures(as_at, headline, tuple(tables), tuple(shared), reference.mapping)


LINKAGE_NOTE = ("Persons are counted once after linkage, by the nominal index as it stands: "
                "should it later find two records to be one person, this table for an earlier "
                "date can change.")


#: The years the operation covers start here; earlier crimes are counted together, later ones
#: in bands of three years, wide enough that few counts are too small to publish.
FIRST_YEAR, BAND_YEARS = 2010, 3
#: Investigations closed by March 2025: the few crimes recorded from 2025 on are counted together.
LAST_BAND = 2025
YEAR_NOT_KNOWN = "Year not known"


def _period(year: int) -> str:
    if year < FIRST_YEAR:
        return f"Before {FIRST_YEAR}"
    if year >= LAST_BAND:
        return f"{LAST_BAND} and later"
    start = FIRST_YEAR + BAND_YEARS * ((year - FIRST_YEAR) // BAND_YEARS)
    return f"{start} to {start + BAND_YEARS - 1}"


def _crime_periods(crimes: list[tuple[str, bool, str | None]]) -> dict[str, str]:
    """Each version's period: when the earliest of its crimes was recorded by the force."""
    years: dict[str, int] = {}
    for version, _, recorded in crimes:
        year = (recorded or "")[:4]
        if year.isdigit() and (version not in years or int(year) < years[version]):
            years[version] = int(year)
    return {version: _period(year) for version, year in years.items()}


def _ethnicity_tables(role: str, found: queries.PersonsEthnicity,
                      reference: queries.EthnicityReference,
                      period_of: dict[str, str]) -> list[Table]:
    """The role's ethnicity in three tables (persons by 18+1 category under the 5 groups;
    completeness per scheme; completeness of each referral's record over time) and its
    nationality in a fourth."""
    label = role.capitalize()
    rows, counts, groups = e.detailed(found.persons, reference.categories)
    known, schemes = reference.codes, reference.schemes
    per_scheme = e.by_scheme(found.observed, known, schemes)
    columns = tuple(e.COMPLETENESS_LABELS.values())
    over_time: dict[str, Counter[str]] = defaultdict(Counter)
    for version, observed in found.records:
        period = period_of.get(version, YEAR_NOT_KNOWN)
        over_time[period][e.best(observed, known).completeness if observed
                          else e.NOT_RECORDED] += 1
    periods = sorted((p for p in over_time if p != YEAR_NOT_KNOWN),
                     key=lambda p: (not p.startswith("Before"), p))
    periods += [p for p in over_time if p == YEAR_NOT_KNOWN]
    nationalities = Counter(n.category(codes) for codes in found.nationalities)
    return [
        Table(f"ethnicity_{role}", f"{label}s by ethnicity (5 groups and 18+1 categories)",
              found.unit,
              "The best available value by rule: self-defined over officer-observed over third "
              "party; never inferred. Each recorded value is mapped to its 18+1 category where "
              "its scheme has one (see the mapping sheet) and to its 5 group; values with no "
              "18+1 equivalent (officer-observed IC codes) are shown in their 5 group only. Not "
              "stated and not recorded are figures of their own.",
              rows, (f"{label}s",), tuple((c,) for c in counts), groups=groups,
              notes=(LINKAGE_NOTE,)),
        Table(f"completeness_{role}", f"Whether {role}s' ethnicity was recorded, by scheme",
              found.unit,
              "For each scheme, every person counted once: a value recorded in that scheme, "
              "only a code meaning not stated, or nothing in that scheme. A person may have "
              "values in several schemes, so the columns do not add up across schemes.",
              tuple(schemes), columns,
              tuple(tuple(per_scheme[s][k] for k in e.COMPLETENESS_LABELS) for s in schemes),
              margins="rows"),
        Table(f"recording_{role}", f"Whether {role}s' ethnicity was recorded, over time",
              f"{role} records (a {role} as named in each referral: a person named in "
              "several referrals is counted in each)",
              "Each referral's own record of the person (before linkage, as the force "
              "recorded it), by when the referral's earliest crime was recorded (in bands of "
              f"{BAND_YEARS} years).",
              tuple(periods), columns,
              tuple(tuple(over_time[p][k] for k in e.COMPLETENESS_LABELS) for p in periods)),
        Table(f"nationality_{role}", f"{label}s by nationality", found.unit,
              "Every nationality recorded on any of the person's records (people may hold "
              "several). Countries are not shown one by one: most would be too few to "
              "publish.", n.CATEGORIES, (f"{label}s",),
              tuple((nationalities[c],) for c in n.CATEGORIES), notes=(LINKAGE_NOTE,)),
    ]
