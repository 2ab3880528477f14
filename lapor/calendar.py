"""Indonesian working time: which days an office is open and how SLA time is counted.

SLA targets are given in working days (service-rules.md), so deadlines are computed by counting
only office hours on days that are not weekends, national holidays, cuti bersama or a city's own
days off.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

# A year's worth of consecutive closed days means the configuration is broken; stop rather
# than search forever for an opening that never comes.
_MAX_CLOSED_RUN_DAYS = 366

_SATURDAY = 5


@lru_cache(maxsize=64)
def national_days_off(year: int) -> frozenset[date]:
    """National holidays and cuti bersama (joint leave) for one year.

    The "government" category is what holds cuti bersama; `holidays` only knows it for years
    whose SKB has been published, so later years have national holidays only (a city can add
    the missing days through `extra_days_off`).
    """
    calendar = holidays.Indonesia(years=year, categories=("public", "government"))
    return frozenset(calendar)


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {moment.isoformat()}")


class WorkingCalendar:
    """Office hours on working days in one city's time zone.

    Time is counted in local wall-clock time: Indonesia has no daylight saving, so an office day
    is always exactly `workday_length` long. Office hours are the closed interval
    [office_start, office_end]: a moment at closing time is still "in" the day, which is where a
    deadline of N whole working days lands.
    """

    __slots__ = ("_extra_days_off", "_office_end", "_office_start", "_zone")

    def __init__(
        self,
        timezone: str,
        *,
        extra_days_off: Iterable[date] = (),
        office_start: time = time(8),
        office_end: time = time(16),
    ) -> None:
        try:
            self._zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {timezone!r}") from error
        if office_start.tzinfo is not None or office_end.tzinfo is not None:
            raise ValueError("office hours are local times; give them without tzinfo")
        if not office_start < office_end:
            raise ValueError(
                f"office_start {office_start} must be before office_end {office_end} "
                "on the same day"
            )
        self._office_start = office_start
        self._office_end = office_end
        self._extra_days_off = frozenset(extra_days_off)

    def __repr__(self) -> str:
        return (
            f"WorkingCalendar({self._zone.key!r}, office_start={self._office_start}, "
            f"office_end={self._office_end}, extra_days_off={len(self._extra_days_off)})"
        )

    @property
    def timezone(self) -> ZoneInfo:
        return self._zone

    @property
    def office_start(self) -> time:
        return self._office_start

    @property
    def office_end(self) -> time:
        return self._office_end

    @property
    def workday_length(self) -> timedelta:
        any_day = date(2000, 1, 3)
        return datetime.combine(any_day, self._office_end) - datetime.combine(
            any_day, self._office_start
        )

    def is_working_day(self, day: date) -> bool:
        if isinstance(day, datetime):
            # A datetime is a date subclass; its .date() would silently ignore the time zone.
            raise TypeError("is_working_day takes a date; convert the datetime to local time first")
        return (
            day.weekday() < _SATURDAY
            and day not in national_days_off(day.year)
            and day not in self._extra_days_off
        )

    def add_working_time(self, start: datetime, amount: timedelta) -> datetime:
        """The moment when `amount` of office time has passed since `start`.

        Counting begins at `start` if it is within office hours, otherwise at the next opening.
        The result is in the calendar's time zone.
        """
        _require_aware(start, "start")
        if amount < timedelta(0):
            raise ValueError(f"amount must not be negative, got {amount}")
        cursor = self._first_countable_moment(start.astimezone(self._zone))
        remaining = amount
        while True:
            left_today = self._closing(cursor.date()) - cursor
            if remaining <= left_today:
                return cursor + remaining
            remaining -= left_today
            cursor = self._opening(self._next_working_day(cursor.date()))

    def add_working_days(self, start: datetime, days: float) -> datetime:
        return self.add_working_time(start, days * self.workday_length)

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Office time from `start` to `end`; negative when `end` is before `start`."""
        _require_aware(start, "start")
        _require_aware(end, "end")
        if end < start:
            return -self.working_time_between(end, start)
        local_start = start.astimezone(self._zone)
        local_end = end.astimezone(self._zone)
        first, last = local_start.date(), local_end.date()
        if first == last:
            return self._counted(first, local_start, local_end)
        # The days in between are whole office days (each `workday_length`) or closed: only
        # the first and the last need their hours (the queue colours deadlines months old).
        between = sum(
            1
            for offset in range(1, (last - first).days)
            if self.is_working_day(first + timedelta(offset))
        )
        return (
            self._counted(first, local_start, local_end)
            + between * self.workday_length
            + self._counted(last, local_start, local_end)
        )

    def _counted(self, day: date, local_start: datetime, local_end: datetime) -> timedelta:
        """Office time on `day` between the two moments."""
        if not self.is_working_day(day):
            return timedelta(0)
        counted_from = max(self._opening(day), local_start)
        counted_to = min(self._closing(day), local_end)
        return max(counted_to - counted_from, timedelta(0))

    def _opening(self, day: date) -> datetime:
        return datetime.combine(day, self._office_start, tzinfo=self._zone)

    def _closing(self, day: date) -> datetime:
        return datetime.combine(day, self._office_end, tzinfo=self._zone)

    def _first_countable_moment(self, local: datetime) -> datetime:
        day = local.date()
        if self.is_working_day(day):
            if local < self._opening(day):
                return self._opening(day)
            if local <= self._closing(day):
                return local
        return self._opening(self._next_working_day(day))

    def _next_working_day(self, day: date) -> date:
        for offset in range(1, _MAX_CLOSED_RUN_DAYS + 1):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError(
            f"no working day within {_MAX_CLOSED_RUN_DAYS} days after {day}; "
            "check the city's extra days off"
        )


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
_DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def local_time(zone: ZoneInfo, moment: str | datetime | None, *, weekday: bool = False) -> str:
    """A moment as an Indonesian office writes it, in the city's zone: "23 Nov 2026, 09.00 WIB"
    ("Senin, 23 Nov 2026, 09.00 WIB" with the weekday). ISO strings are accepted; None is ""."""
    if moment is None or moment == "":
        return ""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    local = moment.astimezone(zone)
    text = f"{local.day} {_MONTHS[local.month - 1]} {local.year}, {local:%H.%M} {local.tzname()}"
    return f"{_DAYS[local.weekday()]}, {text}" if weekday else text
