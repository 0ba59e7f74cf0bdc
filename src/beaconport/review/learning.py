"""Learning, shared with every force: the missed lines of inquiry and the errors the review
finds, counted by category of the instrument, by kind of error, by impact on the decision to
take no further action and by whether they are still achievable; for one force or a period of
sign-off if asked, and by force for those allowed to see it (the route decides who).

Only signed-off reviews count: quality assurance may still change one that is not. Counting is
done by the database in GROUP BY queries; Python reads only the instrument's items, to name
each finding's category from the version its review used (never from the item's first letter).
Counts only: nothing here reads a name.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Subquery, and_, case, distinct, func, select
from sqlalchemy.orm import Session

from beaconport.auth.permissions import Permission
from beaconport.auth.policy import Principal, can
from beaconport.errors import FieldProblems
from beaconport.reference.queries import force_names
from beaconport.referrals.models import Referral
from beaconport.review import instrument, states
from beaconport.review.models import CaseReview, ReviewFinding

#: A missed line of inquiry: not done, though it was available at the time.
MISSED = "not_done_available_at_time"
#: An error: done, but inadequately.
ERROR = "done_inadequately"

CSV_COLUMNS = ("category", "title", "signed_off_reviews", "missed_lines", "errors",
               "reviews_with_a_missed_line", *instrument.ERROR_TYPES)


class FilterProblems(FieldProblems):
    """The learning's filters that cannot be used."""


@dataclass(frozen=True, slots=True)
class LearningFilter:
    force_code: str | None = None
    #: The period of sign-off, both days included.
    signed_off_from: date | None = None
    signed_off_to: date | None = None


def _day(text: str, field_name: str, label: str,
         problems: list[tuple[str, str]]) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append((field_name, f"Give the {label} as a date in the form YYYY-MM-DD, for "
                         "example 2025-04-01."))
        return None


def read_filter(force: str, signed_off_from: str, signed_off_to: str, *,
                forces: Collection[str]) -> LearningFilter:
    """The filters as typed, checked against the known force codes; ``FilterProblems`` names
    every problem at once."""
    problems: list[tuple[str, str]] = []
    force_code = force.strip() or None
    if force_code is not None and force_code not in forces:
        problems.append(("force", f"There is no force with the code {force_code!r}: choose "
                         "one from the list."))
    start = _day(signed_off_from, "from", "start of the period", problems)
    end = _day(signed_off_to, "to", "end of the period", problems)
    if start is not None and end is not None and end < start:
        problems.append(("to", "The end of the period is before its start."))
    if problems:
        raise FilterProblems(problems)
    return LearningFilter(force_code, start, end)


@dataclass(slots=True)
class CategoryCounts:
    """One category's shortfalls (missed lines and errors together in the breakdowns, since
    both record their kind, impact and whether still achievable)."""

    code: str
    title: str
    missed: int = 0
    errors: int = 0
    reviews_with_missed: int = 0
    by_error_type: Counter[str] = field(default_factory=Counter)
    by_impact: Counter[str] = field(default_factory=Counter)
    by_achievable: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True, slots=True)
class ForceCounts:
    force_code: str
    force_name: str
    reviews: int
    missed: int
    errors: int


@dataclass(frozen=True, slots=True)
class Learning:
    filters: LearningFilter
    #: Signed-off reviews counted, and those with at least one missed line in any category.
    reviews: int
    reviews_with_missed: int
    categories: list[CategoryCounts]
    #: None: the breakdown by force was not asked for.
    by_force: list[ForceCounts] | None = None

    @property
    def totals(self) -> CategoryCounts:
        total = CategoryCounts("", "All categories", reviews_with_missed=self.reviews_with_missed)
        for c in self.categories:
            total.missed += c.missed
            total.errors += c.errors
            total.by_error_type.update(c.by_error_type)
            total.by_impact.update(c.by_impact)
            total.by_achievable.update(c.by_achievable)
        return total


#: One group of shortfalls: (category, assessment, error type, impact, achievable, count).
ShortfallGroup = tuple[str | None, str, str | None, str | None, str | None, int]


def tally(categories: Iterable[instrument.Category],
          groups: Iterable[ShortfallGroup]) -> list[CategoryCounts]:
    """Each category's counts from the grouped shortfalls, in the instrument's order (a code
    that appears in several versions is counted once, under its first title)."""
    found: dict[str, CategoryCounts] = {}
    for category in categories:
        found.setdefault(category.code, CategoryCounts(category.code, category.title))
    for code, assessment, error_type, impact, achievable, count in groups:
        counts = found.get(code) if code is not None else None
        if counts is None:
            # An item its instrument does not have: findings are checked against it when saved,
            # so none should exist, and one that did would belong to no category.
            continue
        if assessment == MISSED:
            counts.missed += count
        elif assessment == ERROR:
            counts.errors += count
        else:
            continue
        for breakdown, key in ((counts.by_error_type, error_type), (counts.by_impact, impact),
                               (counts.by_achievable, achievable)):
            if key is not None:
                breakdown[key] += count
    return list(found.values())


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _counted(filters: LearningFilter) -> Subquery:
    """The signed-off reviews that count, with the version they used and the case's force."""
    query = (select(CaseReview.id, CaseReview.instrument, Referral.force_code)
             .join(Referral, Referral.id == CaseReview.referral_id)
             .where(CaseReview.status == states.SIGNED_OFF))
    if filters.force_code is not None:
        query = query.where(Referral.force_code == filters.force_code)
    if filters.signed_off_from is not None:
        query = query.where(CaseReview.qa_at_utc >= _start_of(filters.signed_off_from))
    if filters.signed_off_to is not None and filters.signed_off_to < date.max:
        query = query.where(CaseReview.qa_at_utc
                            < _start_of(filters.signed_off_to + timedelta(days=1)))
    return query.subquery("counted")


def _category_of(reviews: Subquery, used: Iterable[str]) -> ColumnElement[str]:
    """SQL naming a finding's category from the version its review used and its item."""
    return case(*((and_(reviews.c.instrument == version,
                        ReviewFinding.item.in_([i.code for i in category.items])),
                   category.code)
                  for version in used for category in instrument.load(version).categories))


def counts(session: Session, filters: LearningFilter, *, by_force: bool) -> Learning:
    """The learning from the signed-off reviews the filters keep."""
    reviews = _counted(filters)
    used = sorted(session.scalars(select(reviews.c.instrument).distinct()))
    versions = [instrument.load(v) for v in dict.fromkeys([instrument.CURRENT, *used])]
    categories = [c for v in versions for c in v.categories]
    if not used:
        return Learning(filters, 0, 0, tally(categories, []), [] if by_force else None)
    total = session.scalar(select(func.count()).select_from(reviews)) or 0
    # The shortfalls with their category, defined once and grouped several ways below.
    shortfalls = (select(_category_of(reviews, used).label("category"),
                         ReviewFinding.review_id, ReviewFinding.assessment,
                         ReviewFinding.error_type, ReviewFinding.impact,
                         ReviewFinding.achievable, reviews.c.force_code)
                  .join(reviews, reviews.c.id == ReviewFinding.review_id)
                  .where(ReviewFinding.assessment.in_([MISSED, ERROR]))
                  .subquery("shortfall"))
    s = shortfalls.c
    dimensions = (s.category, s.assessment, s.error_type, s.impact, s.achievable)
    groups: list[ShortfallGroup] = [
        (category, assessment, error_type, impact, achievable, int(n))
        for category, assessment, error_type, impact, achievable, n in session.execute(
            select(*dimensions, func.count()).group_by(*dimensions))]
    found = tally(categories, groups)
    missed_in: dict[str, int] = {code: int(n) for code, n in session.execute(
        select(s.category, func.count(distinct(s.review_id)))
        .where(s.assessment == MISSED).group_by(s.category))}
    for category in found:
        category.reviews_with_missed = missed_in.get(category.code, 0)
    with_missed = session.scalar(select(func.count(distinct(s.review_id)))
                                 .where(s.assessment == MISSED)) or 0
    return Learning(filters, int(total), int(with_missed), found,
                    _by_force(session, reviews, shortfalls) if by_force else None)


def _by_force(session: Session, reviews: Subquery, shortfalls: Subquery) -> list[ForceCounts]:
    names = force_names(session)
    per_force: dict[str, int] = {code: int(n) for code, n in session.execute(
        select(reviews.c.force_code, func.count()).group_by(reviews.c.force_code))}
    kinds: Counter[tuple[str, str]] = Counter()
    for code, assessment, n in session.execute(
            select(shortfalls.c.force_code, shortfalls.c.assessment, func.count())
            .group_by(shortfalls.c.force_code, shortfalls.c.assessment)):
        kinds[code, assessment] += int(n)
    return sorted((ForceCounts(code, names.get(code, code), n, kinds[code, MISSED],
                               kinds[code, ERROR]) for code, n in per_force.items()),
                  key=lambda f: (f.force_name, f.force_code))


def force_choices(session: Session) -> list[tuple[str, str]]:
    """Every force in the reference data, (code, name), by name: for the force filter."""
    return sorted(force_names(session).items(), key=lambda pair: (pair[1], pair[0]))


def csv_text(learning: Learning) -> str:
    """One row per category: its counts and its shortfalls by kind of error (the columns named
    by the error types' codes), with the number of reviews they come from on every row so each
    row can be read alone."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for c in learning.categories:
        writer.writerow((c.code, c.title, learning.reviews, c.missed, c.errors,
                         c.reviews_with_missed,
                         *(c.by_error_type[kind] for kind in instrument.ERROR_TYPES)))
    return out.getvalue()


def csv_name(filters: LearningFilter) -> str:
    """A file name that says what the file counts."""
    parts = ["beaconport-learning"]
    if filters.force_code is not None:
        parts.append(filters.force_code)
    if filters.signed_off_from is not None:
        parts.append(f"from-{filters.signed_off_from.isoformat()}")
    if filters.signed_off_to is not None:
        parts.append(f"to-{filters.signed_off_to.isoformat()}")
    return "-".join(parts) + ".csv"


def filters_for(db: Session, principal: Principal, force: str, signed_off_from: str,
                signed_off_to: str) -> LearningFilter:
    """The filters asked for, or ``FilterProblems`` naming every problem: one force's counts
    only for those who may see the learning by force."""
    problems: list[tuple[str, str]] = []
    if force.strip() and not can(principal, Permission.LEARNING_BY_FORCE):
        problems.append(("force", "Your role sees the learning across the whole operation, not "
                         "for one force: leave the force out to see it."))
        force = ""
    forces = {code for code, _ in force_choices(db)} if force.strip() else set()
    try:
        chosen = read_filter(force, signed_off_from, signed_off_to, forces=forces)
    except FilterProblems as exc:
        raise FilterProblems(problems + exc.problems) from None
    if problems:
        raise FilterProblems(problems)
    return chosen
