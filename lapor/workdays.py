"""A city's working calendar, and the same calendar laid out as arrays so that SQL can count
office time per row (for medians and percentiles computed in the database, not in Python).

`WorkingCalendar` stays the one authority on which days are open: the arrays are built from it
day by day, and `working_seconds_until` (sql/006) only looks them up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from lapor.calendar import WorkingCalendar


@dataclass(frozen=True)
class SqlCalendar:
    """Arguments for `working_seconds_until(at, tz, first_day, before, working, start, length)`.

    `seconds_before_day[i]` is the office time of all working days before `first_day + i`, so the
    office time between two moments is the difference of their running totals.
    """

    timezone: str
    first_day: date
    seconds_before_day: list[float]
    is_working_day: list[bool]
    office_start_seconds: float
    workday_seconds: float

    def args(self) -> tuple:
        return (
            self.timezone,
            self.first_day,
            self.seconds_before_day,
            self.is_working_day,
            self.office_start_seconds,
            self.workday_seconds,
        )

    def seconds_until(self, moment: datetime) -> float:
        """The same running total in Python (the SQL function's reference, used by tests)."""
        local = moment.astimezone(ZoneInfo(self.timezone))
        index = (local.date() - self.first_day).days
        if not 0 <= index < len(self.seconds_before_day):
            raise ValueError(f"{moment.isoformat()} is outside the calendar's days")
        into_day = 0.0
        if self.is_working_day[index]:
            since_midnight = local.hour * 3600 + local.minute * 60 + local.second
            since_midnight += local.microsecond / 1e6
            into_day = min(
                max(since_midnight - self.office_start_seconds, 0.0), self.workday_seconds
            )
        return self.seconds_before_day[index] + into_day


def sql_calendar(calendar: WorkingCalendar, first_day: date, last_day: date) -> SqlCalendar:
    """The calendar from `first_day` to `last_day` inclusive, as SQL arrays."""
    if last_day < first_day:
        raise ValueError(f"last_day {last_day} is before first_day {first_day}")
    workday = calendar.workday_length.total_seconds()
    before: list[float] = []
    working: list[bool] = []
    total = 0.0
    day = first_day
    while day <= last_day:
        before.append(total)
        is_open = calendar.is_working_day(day)
        working.append(is_open)
        if is_open:
            total += workday
        day += timedelta(days=1)
    start = calendar.office_start
    return SqlCalendar(
        timezone=calendar.timezone.key,
        first_day=first_day,
        seconds_before_day=before,
        is_working_day=working,
        office_start_seconds=start.hour * 3600 + start.minute * 60 + start.second,
        workday_seconds=workday,
    )
