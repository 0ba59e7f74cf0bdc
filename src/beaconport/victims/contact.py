"""A complainant's contact plan (how, when and through whom they may safely be reached, and how
they want to hear about the review) and the communications log (every contact and attempt).
Victim liaison officers only: these are contact details."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.db import new_id
from beaconport.errors import Conflict, FieldProblems
from beaconport.victims.duties import duties
from beaconport.victims.models import ContactEntry, Engagement
from beaconport.victims.support import engagement_of

CHANNELS: dict[str, str] = {"phone": "Phone", "text": "Text message", "email": "Email",
                            "letter": "Letter", "in_person": "In person",
                            "video": "Video call", "via_intermediary": "Through their ISVA "
                            "or intermediary"}
UPDATES: dict[str, str] = {"all": "Every development",
                           "key_decisions": "Key decisions only",
                           "none": "No updates"}
DIRECTIONS: dict[str, str] = {"outgoing": "We contacted them", "incoming": "They contacted us"}
MAX_CHANNELS = 5
MAX_WINDOWS = 10
MIN_TEXT = 10
MAX_TEXT = 10_000


class ContactProblems(FieldProblems):
    """A contact plan or a contact that cannot be stored."""


@dataclass(frozen=True, slots=True)
class Channel:
    kind: str
    detail: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Window:
    starts: date | None
    ends: date | None
    reason: str


@dataclass(frozen=True, slots=True)
class PlanInput:
    preferred_name: str
    channels: tuple[Channel, ...]
    safe_times: str
    no_contact: tuple[Window, ...]
    intermediary: str
    language: str
    needs: str
    updates: str
    updates_how: str


def _text(problems: list[tuple[str, str]], field: str, value: str, limit: int,
          what: str) -> str | None:
    value = value.strip()
    if len(value) > limit:
        problems.append((field, f"Keep {what} to {limit:,} characters."))
    return value or None


def save_plan(session: Session, *, actor: str | audit.Actor, referral_id: uuid.UUID,
              person_ref: str, revision: int, plan: PlanInput) -> int:
    """Save the contact plan made from ``revision``; returns the new revision. Someone else's
    save since is a conflict, never a lost update."""
    engagement = engagement_of(session, referral_id, person_ref, create=True)
    assert engagement is not None
    if revision != engagement.plan_revision:
        raise Conflict(f"{engagement.plan_saved_by or 'Someone'} saved this contact plan since "
                       "you opened it. What you typed is kept below: compare it with the saved "
                       "plan, then save again.")
    problems: list[tuple[str, str]] = []
    fields = {
        "preferred_name": _text(problems, "preferred_name", plan.preferred_name, 200,
                                "the preferred name"),
        "safe_times": _text(problems, "safe_times", plan.safe_times, 500, "the safe times"),
        "intermediary": _text(problems, "intermediary", plan.intermediary, 300,
                              "the intermediary"),
        "language": _text(problems, "language", plan.language, 100, "the language"),
        "needs": _text(problems, "needs", plan.needs, 1000, "the needs"),
        "updates_how": _text(problems, "updates_how", plan.updates_how, 500,
                             "how they want updates"),
    }
    if len(plan.channels) > MAX_CHANNELS:
        problems.append(("channels", f"List at most {MAX_CHANNELS} ways to reach them."))
    for n, channel in enumerate(plan.channels, start=1):
        if channel.kind not in CHANNELS:
            problems.append((f"channel-{n}-kind", f"Way {n}: choose how (phone, email …)."))
        if not channel.detail.strip():
            problems.append((f"channel-{n}-detail", f"Way {n}: give the number, address or "
                             "arrangement."))
        elif len(channel.detail) > 300 or len(channel.note) > 300:
            problems.append((f"channel-{n}-detail", f"Way {n}: keep it to 300 characters."))
    if len(plan.no_contact) > MAX_WINDOWS:
        problems.append(("no_contact", f"List at most {MAX_WINDOWS} no-contact periods."))
    for n, window in enumerate(plan.no_contact, start=1):
        if window.starts is None or window.ends is None:
            problems.append((f"window-{n}-starts", f"No-contact period {n}: give the first and "
                             "last day as YYYY-MM-DD."))
        elif window.ends < window.starts:
            problems.append((f"window-{n}-ends", f"No-contact period {n}: the last day comes "
                             "before the first."))
        if len(window.reason) > 300:
            problems.append((f"window-{n}-reason", f"No-contact period {n}: keep the reason to "
                             "300 characters."))
    if plan.updates not in UPDATES:
        problems.append(("updates", "Say whether they want updates: every development, key "
                         "decisions only, or none."))
    if problems:
        raise ContactProblems(problems)
    channels = [{"kind": c.kind, "detail": c.detail.strip(), "note": c.note.strip()}
                for c in plan.channels]
    windows = [{"from": w.starts.isoformat(), "to": w.ends.isoformat(),
                "reason": w.reason.strip()}
               for w in plan.no_contact if w.starts is not None and w.ends is not None]
    changed = [name for name, value in fields.items() if getattr(engagement, name) != value]
    changed += [name for name, value in (("channels", channels), ("no_contact", windows),
                                         ("updates", plan.updates))
                if getattr(engagement, name) != value]
    for name, value in fields.items():
        setattr(engagement, name, value)
    engagement.channels, engagement.no_contact, engagement.updates = (channels, windows,
                                                                      plan.updates)
    engagement.plan_revision += 1
    engagement.plan_saved_at_utc, engagement.plan_saved_by = clock.now(), audit.name_of(actor)
    session.flush()
    # What changed, never what it now says: the log must not become a copy of contact details.
    audit.record(session, actor=actor, action=AuditAction.VICTIM_PLAN_SAVED,
                 subject=audit.Subject("referral", str(referral_id)),
                 data={"complainant": person_ref, "changed": sorted(changed),
                       "revision": engagement.plan_revision})
    return engagement.plan_revision


@dataclass(frozen=True, slots=True)
class ContactInput:
    occurred_at: datetime | None
    direction: str
    channel: str
    reached: bool
    summary: str
    duty_key: str | None


def in_no_contact_window(engagement: Engagement, day: date) -> dict[str, str] | None:
    for window in engagement.no_contact:
        if window["from"] <= day.isoformat() <= window["to"]:
            return dict(window)
    return None


def log_contact(session: Session, *, actor: str | audit.Actor, referral_id: uuid.UUID,
                person_ref: str, entry: ContactInput) -> uuid.UUID:
    """Log one contact or attempt, which may meet one of the complainant's duties."""
    engagement = engagement_of(session, referral_id, person_ref, create=True)
    assert engagement is not None
    problems: list[tuple[str, str]] = []
    if entry.occurred_at is None:
        problems.append(("occurred_at", "Give the date and time of the contact."))
    elif entry.occurred_at > clock.now():
        problems.append(("occurred_at", "The contact cannot be in the future."))
    if entry.direction not in DIRECTIONS:
        problems.append(("direction", "Say who made contact: we did, or they did."))
    if entry.channel not in CHANNELS:
        problems.append(("channel", "Choose how the contact was made."))
    if len(entry.summary.strip()) < MIN_TEXT:
        problems.append(("summary", f"Say what was said or done, in at least {MIN_TEXT} "
                         "characters."))
    elif len(entry.summary) > MAX_TEXT:
        problems.append(("summary", f"Keep it to {MAX_TEXT:,} characters."))
    if entry.duty_key and entry.duty_key not in {
            x.key for x in duties(session, engagement_ids=[engagement.id])}:
        problems.append(("duty_key", "Choose one of their Victims' Code duties, or none."))
    elif entry.duty_key and not entry.reached:
        problems.append(("duty_key", "An attempt that did not reach them does not meet a "
                         "duty: log it without one."))
    if problems:
        raise ContactProblems(problems)
    assert entry.occurred_at is not None
    row = ContactEntry(id=new_id(), engagement_id=engagement.id,
                       occurred_at_utc=entry.occurred_at, direction=entry.direction,
                       channel=entry.channel, reached=entry.reached,
                       summary=entry.summary.strip(), duty_key=entry.duty_key or None,
                       recorded_at_utc=clock.now(), recorded_by=audit.name_of(actor))
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.VICTIM_CONTACT_LOGGED,
                 subject=audit.Subject("referral", str(referral_id)),
                 data={"complainant": person_ref, "direction": entry.direction,
                       "channel": entry.channel, "reached": entry.reached,
                       "duty": entry.duty_key or None})
    return row.id
