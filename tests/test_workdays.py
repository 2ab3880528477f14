"""Working time counted in SQL (working_seconds_until over the calendar's arrays) must agree
with lapor.calendar.WorkingCalendar, which stays the authority."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import asyncpg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lapor.city import load_city
from lapor.sla import calendar_for
from lapor.workdays import sql_calendar

CALENDAR = calendar_for(load_city("default"))
FIRST, LAST = date(2025, 12, 1), date(2026, 6, 30)
ARRAYS = sql_calendar(CALENDAR, FIRST, LAST)
moments = st.datetimes(
    min_value=datetime(2025, 12, 2), max_value=datetime(2026, 6, 28), timezones=st.just(UTC)
)


def test_the_arrays_give_one_workday_per_open_day():
    # Christmas 2025 (Thursday) and cuti bersama on Friday 26th are closed.
    christmas = (date(2025, 12, 25) - FIRST).days
    assert ARRAYS.is_working_day[christmas - 1] and not ARRAYS.is_working_day[christmas]
    assert not ARRAYS.is_working_day[christmas + 1]
    assert ARRAYS.workday_seconds == 8.5 * 3600
    assert ARRAYS.seconds_before_day[christmas + 1] == ARRAYS.seconds_before_day[christmas]


@given(start=moments, length=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40)))
@settings(max_examples=200, deadline=None)
def test_python_running_totals_match_the_calendar(start, length):
    end = min(start + length, datetime(2026, 6, 29, tzinfo=UTC))
    expected = CALENDAR.working_time_between(start, end).total_seconds()
    assert abs(ARRAYS.seconds_until(end) - ARRAYS.seconds_until(start) - expected) < 1e-6


@given(pairs=st.lists(st.tuples(moments, moments), min_size=1, max_size=30))
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_sql_working_time_matches_the_calendar(database_url, pairs):
    import asyncio

    async def in_sql() -> list[float]:
        conn = await asyncpg.connect(database_url)
        try:
            rows = await conn.fetch(
                """SELECT working_seconds_until(b, $3, $4, $5, $6, $7, $8)
                        - working_seconds_until(a, $3, $4, $5, $6, $7, $8) AS seconds
                   FROM unnest($1::timestamptz[], $2::timestamptz[]) AS p (a, b)""",
                [min(p) for p in pairs],
                [max(p) for p in pairs],
                *ARRAYS.args(),
            )
        finally:
            await conn.close()
        return [row["seconds"] for row in rows]

    got = asyncio.run(in_sql())
    for (a, b), seconds in zip(pairs, got, strict=True):
        expected = CALENDAR.working_time_between(min(a, b), max(a, b)).total_seconds()
        assert abs(seconds - expected) < 1e-3
