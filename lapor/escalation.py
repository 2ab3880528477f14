"""Reminders and escalations: the SLA ladder (``sla.ladder``) climbed by a sweep.

A complaint nobody answers climbs until somebody does: its agency's officers are reminded at
``reminder_at`` of the allowed time, its head is told at the deadline, and each level up the
escalation chain after ``escalate_after_days`` more working days. Every step is an internal
timeline event (actor "system") and a message through the outbox to the contacts the city
file gives for that level.

Any number of sweeps may run at once, in one process or many: a sweep claims complaints with
``FOR UPDATE SKIP LOCKED`` and moves their ``escalation_level`` and ``next_step_at`` on in the
same transaction as the events and messages, and the ``sla_step`` ledger's primary key and
the outbox's dedupe keys refuse a second copy of any step. A sweep computes what is due from
the clock, so one sweep after a long stop takes every overdue step once, in order.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from lapor import sla, tracking
from lapor.city import CityConfig
from lapor.context import Services
from lapor.outbox import Message, enqueue
from lapor.repo import complaints as complaint_repo
from lapor.repo import sla as repo

log = logging.getLogger(__name__)

STAGE_NAMES = {"verify": "verifikasi", "response": "tanggapan pertama", "resolve": "penyelesaian"}
STAGE_TASKS = {
    "verify": "diverifikasi dan diteruskan",
    "response": "mendapat tanggapan pertama",
    "resolve": "diselesaikan",
}
REMINDER = (
    "Pengingat: laporan {code} ({category}) di {agency} harus {task} paling lambat {due}. "
    "Sisa waktu kerja: {hours}."
)
BREACH = (
    "Batas waktu {stage} terlewati: laporan {code} ({category}) di {agency} belum {task}; "
    "batasnya {due}. Mohon segera ditindaklanjuti."
)
CLIMB = (
    "Eskalasi ke {target}: laporan {code} ({category}) di {agency} belum {task} sejak batas "
    "waktu {stage} {due}."
)
SUBJECTS = {
    "reminder": "[lapor] Pengingat batas waktu laporan {code}",
    "escalation": "[lapor] Eskalasi: batas waktu laporan {code} terlewati",
}
FOOTER = "\n\nPantau: {url}"

_DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def local_time(city: CityConfig, moment: datetime) -> str:
    """'Selasa, 29 Des 2026 09.00 WIB': how an Indonesian office writes a deadline."""
    local = moment.astimezone(city.zone)
    return (
        f"{_DAYS[local.weekday()]}, {local.day} {_MONTHS[local.month - 1]} {local.year} "
        f"{local:%H.%M} {local.tzname()}"
    )


def recipients(city: CityConfig, step: sla.Step) -> tuple[tuple[str, str], ...]:
    """(outbox channel, recipient) pairs for a step: officers for the reminder, the head for
    an escalation, each falling back to the other when the city file gives none."""
    contacts = city.agencies[step.agency].contacts
    if step.audience == "officers":
        return contacts.officers() or contacts.head()
    return contacts.head() or contacts.officers()


@dataclass
class SweepReport:
    complaints: int = 0
    steps: int = 0
    messages: int = 0


async def sweep(services: Services, *, batch: int = 200) -> SweepReport:
    """Take every ladder step that is due now, in batches of ``batch`` complaints."""
    now = services.clock.now()
    report = SweepReport()
    while True:
        async with services.pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(repo.CLAIM_DUE_STEPS, now, batch)
            for row in rows:
                steps, messages = await _climb(services, conn, row, now)
                report.steps += steps
                report.messages += messages
        report.complaints += len(rows)
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
    services: Services, conn: asyncpg.Connection, row: asyncpg.Record, now: datetime
) -> tuple[int, int]:
    city = services.city
    steps = sla.ladder(
        city,
        row["sla_stage"],
        row["agency_code"],
        row["stage_started_at"],
        row["due_at"],
        row["category_code"],
    )
    level = row["escalation_level"]
    due = [step for step in steps[level:] if step.at <= now]
    taken = messages = 0
    for step in due:
        to = recipients(city, step)
        if (
            await conn.fetchval(
                repo.INSERT_STEP,
                row["id"],
                row["sla_stage"],
                row["stage_started_at"],
                step.level,
                step.kind,
                step.agency,
                step.at,
                now,
                len(to),
            )
            is None
        ):
            continue  # the ledger has it: taken by an earlier sweep
        taken += 1
        messages += await _announce(services, conn, row, step, to, now)
    new_level = level + len(due)
    await conn.execute(
        repo.UPDATE_PROGRESS, row["id"], new_level, sla.next_step_at(steps, new_level)
    )
    return taken, messages


def step_text(city: CityConfig, row: asyncpg.Record, step: sla.Step, now: datetime) -> str:
    stage, due_at = row["sla_stage"], row["due_at"]
    category = city.categories.get(row["category_code"] or "")
    fields = {
        "code": tracking.display(row["tracking_code"]),
        "category": category.name if category else "tanpa kategori",
        "agency": city.agencies[sla.ladder_agency(city, stage, row["agency_code"])].short_name,
        "target": city.agencies[step.agency].short_name,
        "stage": STAGE_NAMES[stage],
        "task": STAGE_TASKS[stage],
        "due": local_time(city, due_at),
    }
    if step.kind == "reminder":
        left = sla.calendar_for(city).working_time_between(now, due_at)
        hours = left.total_seconds() / 3600
        fields["hours"] = f"{hours:.1f} jam".replace(".", ",") if hours > 0 else "habis"
        return REMINDER.format(**fields)
    return (BREACH if step.level == 1 else CLIMB).format(**fields)


async def _announce(
    services: Services,
    conn: asyncpg.Connection,
    row: asyncpg.Record,
    step: sla.Step,
    to: tuple[tuple[str, str], ...],
    now: datetime,
) -> int:
    city = services.city
    text = step_text(city, row, step, now)
    await complaint_repo.add_event(
        conn,
        row["id"],
        complaint_repo.EventRow(
            step.kind,
            "system",
            now,
            internal_note=text,
            data={
                "stage": row["sla_stage"],
                "level": step.level,
                "agency": step.agency,
                "audience": step.audience,
                "step_due_at": step.at.isoformat(),
                "deadline": row["due_at"].isoformat(),
                "recipients": len(to),
            },
        ),
    )
    if not to:
        log.warning(
            "sla step without contacts code=%s agency=%s level=%s",
            row["tracking_code"],
            step.agency,
            step.level,
        )
    clock_id = f"{row['id']}:{row['sla_stage']}:{int(row['stage_started_at'].timestamp())}"
    subject = SUBJECTS[step.kind].format(code=tracking.display(row["tracking_code"]))
    body = text + FOOTER.format(url=services.status_url(row["tracking_code"]))
    sent = 0
    for channel, recipient in to:
        queued = await enqueue(
            conn,
            Message(
                channel=channel,
                recipient=recipient,
                kind=step.kind,
                text=body,
                complaint_id=row["id"],
                dedupe_key=f"sla:{clock_id}:{step.level}:{channel}:{recipient}",
                extra={"subject": subject},
            ),
            now,
        )
        sent += queued is not None
    return sent
