"""Reminders and escalations: the SLA ladder (``sla.ladder``) climbed by a sweep.

A complaint nobody answers climbs until somebody does: its owner (the officer it is assigned
to), or else its agency's officers, are reminded at ``reminder_at`` of the allowed time, its
head is told at the deadline, and each level up the escalation chain after
``escalate_after_days`` more working days (``recipients``). Every step is an internal
timeline event (actor "system") and a message through the outbox to the contacts the city
file gives for that level.

Any number of sweeps may run at once, in one process or many: a sweep claims complaints with
``FOR UPDATE SKIP LOCKED`` and moves their ``escalation_level`` and ``next_step_at`` on in the
same transaction as the events and messages, and the ``sla_step`` ledger's primary key and
the outbox's dedupe keys refuse a second copy of any step. A sweep computes what is due from
the clock, so one sweep after a long stop takes every overdue step once, in order.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from lapor import i18n, sla, tracking
from lapor.calendar import local_time
from lapor.city import CityConfig
from lapor.context import Services
from lapor.outbox import Message, enqueue_many
from lapor.repo import sla as repo

log = logging.getLogger(__name__)

# The words of reminders and escalations are lapor/i18n's `escalation.` keys.


def owner_contacts(row: asyncpg.Record) -> tuple[tuple[str, str], ...]:
    """(outbox channel, recipient) pairs of the complaint's owner (issue 17): its assigned
    officer's Telegram chat and e-mail address, as the admin gave them."""
    pairs = []
    if row["owner_telegram"]:
        pairs.append(("telegram", row["owner_telegram"]))
    if row["owner_email"]:
        pairs.append(("email", row["owner_email"]))
    return tuple(pairs)


def recipients(
    city: CityConfig, step: sla.Step, owner: tuple[tuple[str, str], ...] = ()
) -> tuple[tuple[str, str], ...]:
    """(outbox channel, recipient) pairs for a step. The assignee first: a complaint with an
    owner who can be reached has its reminder sent to them alone; then the agency: at the
    deadline the head is told, and the agency's officers with them when the owner had the
    reminder; then up the chain. Without an owner: the agency's officers for the reminder,
    the head for an escalation, each falling back to the other when the city file gives none."""
    contacts = city.agencies[step.agency].contacts
    if step.audience == "officers":
        return owner or contacts.officers() or contacts.head()
    if owner and step.level == 1:
        return tuple(dict.fromkeys(contacts.head() + contacts.officers()))
    return contacts.head() or contacts.officers()


@dataclass
class SweepReport:
    complaints: int = 0
    steps: int = 0
    messages: int = 0


@dataclass(frozen=True)
class _Planned:
    row: asyncpg.Record
    step: sla.Step
    to: tuple[tuple[str, str], ...]

    @property
    def key(self) -> tuple[int, int]:
        return self.row["id"], self.step.level


async def sweep(services: Services, *, batch: int = 200) -> SweepReport:
    """Take every ladder step that is due now, ``batch`` complaints per transaction."""
    now = services.clock.now()
    report = SweepReport()
    while True:
        async with services.pool.acquire() as conn, conn.transaction():
            rows = await repo.claim_due_steps(conn, now, batch)
            steps, messages = await _climb(services, conn, rows, now)
        report.complaints += len(rows)
        report.steps += steps
        report.messages += messages
        if len(rows) < batch:
            break
    if report.steps:
        log.info(
            "sla sweep complaints=%s steps=%s messages=%s",
            report.complaints,
            report.steps,
            report.messages,
        )
    return report


async def _climb(
    services: Services, conn: asyncpg.Connection, rows: list[asyncpg.Record], now: datetime
) -> tuple[int, int]:
    """Take the due steps of claimed complaints: ledger, events, messages, progress, in a
    handful of statements for the whole batch."""
    city = services.city
    planned: list[_Planned] = []
    progress: list[tuple[int, int, datetime | None]] = []
    for row in rows:
        steps = sla.ladder(
            city,
            row["sla_stage"],
            row["agency_code"],
            row["stage_started_at"],
            row["due_at"],
            row["category_code"],
            row["priority"],
        )
        level = row["escalation_level"]
        due = [step for step in steps[level:] if step.at <= now]
        owner = owner_contacts(row)
        planned += [_Planned(row, step, recipients(city, step, owner)) for step in due]
        new_level = level + len(due)
        progress.append((row["id"], new_level, sla.next_step_at(steps, new_level)))
    if not rows:
        return 0, 0
    new = await repo.insert_steps(
        conn,
        [
            [p.row["id"] for p in planned],
            [p.row["sla_stage"] for p in planned],
            [p.row["stage_started_at"] for p in planned],
            [p.step.level for p in planned],
            [p.step.kind for p in planned],
            [p.step.agency for p in planned],
            [p.step.at for p in planned],
            [len(p.to) for p in planned],
        ],
        now,
    )
    fresh = {(r["complaint_id"], r["level"]) for r in new}
    taken = [p for p in planned if p.key in fresh]  # the rest were in the ledger already
    texts = [step_text(city, p.row, p.step, now) for p in taken]
    await repo.insert_step_events(
        conn,
        [p.row["id"] for p in taken],
        [p.step.kind for p in taken],
        texts,
        [json.dumps(_event_data(p)) for p in taken],
        now,
    )
    messages = [
        message
        for p, text in zip(taken, texts, strict=True)
        for message in _messages(services, p, text)
    ]
    queued = await enqueue_many(conn, messages, now)
    await repo.update_progress(
        conn,
        [ident for ident, _, _ in progress],
        [level for _, level, _ in progress],
        [at for _, _, at in progress],
    )
    for p in taken:
        if not p.to:
            log.info(
                "sla step without contacts code=%s agency=%s level=%s",
                p.row["tracking_code"],
                p.step.agency,
                p.step.level,
            )
    return len(taken), queued


def step_text(city: CityConfig, row: asyncpg.Record, step: sla.Step, now: datetime) -> str:
    stage, due_at = row["sla_stage"], row["due_at"]
    category = city.categories.get(row["category_code"] or "")
    fields = {
        "code": tracking.display(row["tracking_code"]),
        "category": category.name if category else i18n.t("escalation.no_category"),
        "agency": city.agencies[sla.ladder_agency(city, stage, row["agency_code"])].short_name,
        "target": city.agencies[step.agency].short_name,
        "stage": i18n.t(f"escalation.stage_{stage}"),
        "task": i18n.t(f"escalation.task_{stage}"),
        "due": local_time(city.zone, due_at, weekday=True),
    }
    if step.kind == "reminder":
        left = sla.calendar_for(city).working_time_between(now, due_at)
        hours = left.total_seconds() / 3600
        fields["hours"] = (
            i18n.t("escalation.hours_left", hours=f"{hours:.1f}".replace(".", ","))
            if hours > 0
            else i18n.t("escalation.time_up")
        )
        text = i18n.t("escalation.reminder", **fields)
    else:
        text = i18n.t("escalation.breach" if step.level == 1 else "escalation.climb", **fields)
    # Somebody owns it: the message says who (a missed deadline is theirs to answer for).
    if row["owner_name"]:
        text += " " + i18n.t("team.escalation.owner", name=row["owner_name"])
    return text


def _event_data(planned: _Planned) -> dict[str, object]:
    row, step = planned.row, planned.step
    return {
        "stage": row["sla_stage"],
        "level": step.level,
        "agency": step.agency,
        "audience": step.audience,
        "step_due_at": step.at.isoformat(),
        "deadline": row["due_at"].isoformat(),
        "recipients": len(planned.to),
        **({"owner": row["assignee_id"]} if row["assignee_id"] else {}),
    }


def _messages(services: Services, planned: _Planned, text: str) -> list[Message]:
    row, step = planned.row, planned.step
    clock_id = f"{row['id']}:{row['sla_stage']}:{int(row['stage_started_at'].timestamp())}"
    subject = i18n.t(f"escalation.subject_{step.kind}", code=tracking.display(row["tracking_code"]))
    body = text + i18n.t("escalation.footer", url=services.status_url(row["tracking_code"]))
    return [
        Message(
            channel=channel,
            recipient=recipient,
            kind=step.kind,
            text=body,
            complaint_id=row["id"],
            dedupe_key=f"sla:{clock_id}:{step.level}:{channel}:{recipient}",
            extra={"subject": subject},
        )
        for channel, recipient in planned.to
    ]
