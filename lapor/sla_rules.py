"""SLA deadlines in working days, computed (no database here; `lapor.sla` stores them): the stage a complaint's clock runs for, when it is due, how
much working time is left, and the ladder of reminders and escalations that follows a stage.

Stages (service-rules.md; every number is the city's [sla] section, never a constant here):

| stage    | while                     | clock starts      | allowed                        |
|----------|---------------------------|-------------------|--------------------------------|
| verify   | received (at the desk)    | arrival at desk   | verify_days                    |
| response | assigned, no follow-up    | assignment        | first_response_days            |
| resolve  | assigned or in_progress   | assignment        | resolution_days[category kind] |
| close    | resolved                  | resolution        | auto_close_days, then closed   |

A complaint's priority (lapor.priority) may shorten verify, response and resolve: the city's
[sla.priority] gives each priority at most so many working hours per stage, and the stage
takes the sooner of those hours and its working days (``allowed_time``). The working days stay
the SP4N-LAPOR! upper bound for every priority; close is never shortened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from lapor import i18n
from lapor.calendar import WorkingCalendar, national_days_off
from lapor.city import DESK_CATEGORY, CityConfig

STAGES = ("verify", "response", "resolve", "close")
LADDER_STAGES = ("verify", "response", "resolve")  # close has no ladder: it just closes
STAGE_OF_STATUS = {"received": "verify", "resolved": "close"}
OPEN_STATUSES = ("received", "assigned", "in_progress")

GREEN, AMBER, RED = "green", "amber", "red"

_calendars: dict[tuple[Any, ...], WorkingCalendar] = {}


def warm_calendar(city: CityConfig, now: datetime) -> None:
    """Load the holiday tables a deadline will need (last year, this year, the next): the
    `holidays` package imports its country modules on first use, which costs the first
    complaint a second or more. `lapor serve` calls this once at start, in a thread."""
    calendar_for(city)
    for year in (now.year - 1, now.year, now.year + 1):
        national_days_off(year)


def calendar_for(city: CityConfig) -> WorkingCalendar:
    """The city's working calendar (built once per distinct calendar configuration)."""
    key = (city.timezone, city.extra_days_off, city.office_start, city.office_end)
    calendar = _calendars.get(key)
    if calendar is None:
        calendar = _calendars[key] = WorkingCalendar(
            city.timezone,
            extra_days_off=city.extra_days_off,
            office_start=city.office_start,
            office_end=city.office_end,
        )
    return calendar


def resolution_kind(city: CityConfig, category_code: str | None) -> str:
    # A complaint verified to an agency without a category is treated like "lainnya".
    category = city.categories.get(category_code or DESK_CATEGORY) or city.categories.get(
        DESK_CATEGORY
    )
    return category.resolution if category else "simple"


def allowed_days(city: CityConfig, stage: str, category_code: str | None = None) -> int:
    """Working days a stage may take in this city."""
    rules = city.sla
    if stage == "verify":
        return rules.verify_days
    if stage == "response":
        return rules.first_response_days
    if stage == "resolve":
        category = city.categories.get(category_code or DESK_CATEGORY)
        if category is not None and category.resolution_days is not None:
            return category.resolution_days  # the admin's days for this category
        return rules.resolution_days[resolution_kind(city, category_code)]
    if stage == "close":
        return rules.auto_close_days
    raise ValueError(f"unknown SLA stage {stage!r}")


def allowed_time(
    city: CityConfig, stage: str, category_code: str | None = None, priority: str | None = None
) -> timedelta:
    """Working time a stage may take: its working days, or fewer hours at a priority the
    city's [sla.priority] shortens."""
    days = allowed_days(city, stage, category_code) * calendar_for(city).workday_length
    limits = city.sla.priority_hours.get(priority or "")
    hours = getattr(limits, stage, None) if limits is not None else None
    return days if hours is None else min(days, timedelta(hours=hours))


def deadline(
    city: CityConfig,
    stage: str,
    started_at: datetime,
    category_code: str | None = None,
    priority: str | None = None,
) -> datetime:
    """When a stage that started at ``started_at`` is due, in the city's time zone."""
    return calendar_for(city).add_working_time(
        started_at, allowed_time(city, stage, category_code, priority)
    )


# ------------------------------------------------------------------------------ deadlines


@dataclass(frozen=True)
class Deadlines:
    stage: str | None
    stage_started_at: datetime | None
    due_at: datetime | None  # the current stage's deadline: the queue sorts by it
    verify_due_at: datetime | None = None
    response_due_at: datetime | None = None
    resolve_due_at: datetime | None = None
    close_due_at: datetime | None = None


def deadlines_for(
    city: CityConfig,
    *,
    status: str,
    category_code: str | None,
    verify_started_at: datetime | None,
    assigned_at: datetime | None,
    responded_at: datetime | None,
    resolved_at: datetime | None,
    earlier: Deadlines | None = None,
    priority: str | None = None,
) -> Deadlines:
    """Every deadline of a complaint in ``status``. Deadlines of stages already behind it are
    kept from ``earlier`` (history the full view shows); those ahead of it are cleared."""
    past = earlier or Deadlines(None, None, None)
    if status == "received":
        assert verify_started_at is not None
        due = deadline(city, "verify", verify_started_at, priority=priority)
        return Deadlines("verify", verify_started_at, due, verify_due_at=due)
    if status in ("assigned", "in_progress"):
        assert assigned_at is not None
        response_due = deadline(city, "response", assigned_at, priority=priority)
        resolve_due = deadline(city, "resolve", assigned_at, category_code, priority)
        # Until the first follow-up both clocks run; the nearer deadline is the stage's.
        pending = [(resolve_due, 1, "resolve")]
        if responded_at is None:
            pending.append((response_due, 0, "response"))
        due, _, stage = min(pending)
        return Deadlines(
            stage,
            assigned_at,
            due,
            verify_due_at=past.verify_due_at,
            response_due_at=response_due,
            resolve_due_at=resolve_due,
        )
    if status == "resolved":
        assert resolved_at is not None
        close_due = deadline(city, "close", resolved_at)
        return Deadlines(
            "close",
            resolved_at,
            close_due,
            verify_due_at=past.verify_due_at,
            response_due_at=past.response_due_at,
            resolve_due_at=past.resolve_due_at,
            close_due_at=close_due,
        )
    # closed, rejected (and any final status added later): no clock runs
    return Deadlines(
        None,
        None,
        None,
        verify_due_at=past.verify_due_at,
        response_due_at=past.response_due_at,
        resolve_due_at=past.resolve_due_at,
        close_due_at=past.close_due_at,
    )


# --------------------------------------------------------------------------------- ladder


@dataclass(frozen=True)
class Step:
    level: int  # 0: the reminder, 1: the agency head at the breach, 2..: up the chain
    kind: str  # "reminder" | "escalation"
    agency: str  # whose people are told
    audience: str  # "officers" | "head"
    at: datetime


def ladder_agency(city: CityConfig, stage: str, agency_code: str | None) -> str:
    # At the desk the desk's own people answer for the verification deadline.
    return city.desk_agency if stage == "verify" or agency_code is None else agency_code


def ladder(
    city: CityConfig,
    stage: str | None,
    agency_code: str | None,
    started_at: datetime | None,
    due_at: datetime | None,
    category_code: str | None = None,
    priority: str | None = None,
) -> tuple[Step, ...]:
    """The steps a stage takes if nobody acts: a reminder to the officers at ``reminder_at``
    of the allowed time, the agency head at the deadline, then each level up the
    escalation chain ``escalate_after_days[i]`` working days after the deadline."""
    if stage not in LADDER_STAGES or started_at is None or due_at is None:
        return ()
    calendar = calendar_for(city)
    rules = city.sla
    owner = ladder_agency(city, stage, agency_code)
    reminder_at = calendar.add_working_time(
        started_at, rules.reminder_at * allowed_time(city, stage, category_code, priority)
    )
    steps = [
        Step(0, "reminder", owner, "officers", min(reminder_at, due_at)),
        Step(1, "escalation", owner, "head", due_at),
    ]
    chain = city.escalation_chain(owner)
    for index, (above, days) in enumerate(zip(chain, rules.escalate_after_days, strict=False)):
        at = calendar.add_working_days(due_at, days)
        steps.append(Step(2 + index, "escalation", above.code, "head", at))
    return tuple(steps)


def next_step_at(steps: tuple[Step, ...], level: int) -> datetime | None:
    return steps[level].at if level < len(steps) else None


# ---------------------------------------------------------------------- working time left


@dataclass(frozen=True)
class SlaState:
    state: str  # green | amber | red
    working_hours_left: float  # negative once breached: the working hours overdue
    due_at: datetime
    # The deadline has passed (now >= due_at), even when no working time has gone by since:
    # after office hours, over a weekend or a holiday the hours overdue stay 0.
    overdue: bool = False
    time_left: str = ""  # time_left_words: what the queue, the page and the API say

    def as_json(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "working_hours_left": self.working_hours_left,
            "due_at": self.due_at.isoformat(),
            "overdue": self.overdue,
            "time_left": self.time_left,
        }


def working_duration_words(
    city: CityConfig, amount: timedelta, language: str | None = i18n.DEFAULT
) -> str:
    """Working time in words: '2 hari 3 jam kerja' (a working day is the office day)."""
    minutes = round(amount.total_seconds() / 60)
    if minutes < 60:
        span = i18n.t("sla_words.minutes", language, n=max(1, minutes))
    else:
        day = round(calendar_for(city).workday_length.total_seconds() / 60)
        days, rest = divmod(minutes, day)
        hours = round(rest / 60)
        if hours * 60 >= day:  # 7 h 50 min in a day of 8 h rounds up to the next day
            days, hours = days + 1, 0
        parts = [i18n.t("sla_words.days", language, n=days)] if days else []
        if hours or not parts:
            parts.append(i18n.t("sla_words.hours", language, n=max(1, hours)))
        span = " ".join(parts)
    return i18n.t("sla_words.working", language, span=span)


def time_left_words(
    city: CityConfig, left: timedelta, overdue: bool, language: str | None = i18n.DEFAULT
) -> str:
    """The one sentence for a deadline, everywhere (queue, complaint page, API): 'sisa 2 jam
    kerja' before it; once it has passed, 'lewat 3 jam kerja', or 'lewat batas waktu' while
    no working time has passed since (after office hours, a weekend, a holiday) - never
    'sisa 1 menit' for a deadline already behind us."""
    if not overdue:
        return i18n.t("sla_words.left", language, span=working_duration_words(city, left, language))
    if -left < timedelta(minutes=1):
        return i18n.t("sla_words.overdue_now", language)
    return i18n.t("sla_words.overdue", language, span=working_duration_words(city, -left, language))


def amber_from(
    city: CityConfig, stage: str, now: datetime, category_code: str | None = None
) -> datetime:
    """Where amber ends at `now`: a complaint in `stage` due after `now` and before this
    moment is amber (`sla_state`), one due at or after it green. The working time left is
    below the amber share exactly when the deadline comes before the moment that share of
    working time from now reaches (the queue's colour filter, lapor/repo/queue.py)."""
    share = (1 - city.sla.reminder_at) * allowed_time(city, stage, category_code)
    if share <= timedelta(0):
        return now
    return calendar_for(city).add_working_time(now, share)


def sla_state(
    city: CityConfig,
    stage: str | None,
    due_at: datetime | None,
    now: datetime,
    category_code: str | None = None,
    priority: str | None = None,
    language: str | None = i18n.DEFAULT,
) -> SlaState | None:
    """Green while more than the reminder share of the stage's working time is left, amber
    from the reminder on (with reminder_at 0.75: the last 25%), red from the deadline."""
    if stage is None or due_at is None:
        return None
    calendar = calendar_for(city)
    left = calendar.working_time_between(now, due_at)
    if now >= due_at:
        state = RED
    elif left < (1 - city.sla.reminder_at) * allowed_time(city, stage, category_code, priority):
        state = AMBER
    else:
        state = GREEN
    overdue = now >= due_at
    return SlaState(
        state,
        round(left.total_seconds() / 3600, 2),
        due_at.astimezone(calendar.timezone),
        overdue,
        time_left_words(city, left, overdue, language),
    )
