from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lapor.calendar import WorkingCalendar, national_days_off

JAKARTA = ZoneInfo("Asia/Jakarta")
PONTIANAK = ZoneInfo("Asia/Pontianak")
MAKASSAR = ZoneInfo("Asia/Makassar")
CITY_ZONES = ("Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar")

bekasi = WorkingCalendar("Asia/Jakarta")


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=JAKARTA)


# --- days -------------------------------------------------------------------------------------


def test_weekends_are_not_working_days():
    assert bekasi.is_working_day(date(2026, 1, 9))  # Friday
    assert not bekasi.is_working_day(date(2026, 1, 10))  # Saturday
    assert not bekasi.is_working_day(date(2026, 1, 11))  # Sunday
    assert bekasi.is_working_day(date(2026, 1, 12))  # Monday


def test_holidays_reports_idul_fitri_2026_with_its_cuti_bersama():
    # Given the holidays package with public and government (cuti bersama) categories
    known = holidays.Indonesia(years=2026, categories=("public", "government"))
    cuti_bersama = holidays.Indonesia(years=2026, categories=("government",))

    # Then Nyepi and Idul Fitri 1447 H run together into one closed week, 18-24 March 2026
    assert sorted(day for day in known if date(2026, 3, 16) <= day <= date(2026, 3, 27)) == [
        date(2026, 3, 18),  # cuti bersama Nyepi
        date(2026, 3, 19),  # Hari Suci Nyepi
        date(2026, 3, 20),  # cuti bersama Idul Fitri
        date(2026, 3, 21),  # Idul Fitri
        date(2026, 3, 22),  # Idul Fitri, second day
        date(2026, 3, 23),  # cuti bersama Idul Fitri
        date(2026, 3, 24),  # cuti bersama Idul Fitri
    ]
    assert sorted(cuti_bersama) == [
        date(2026, 2, 16),
        date(2026, 3, 18),
        date(2026, 3, 20),
        date(2026, 3, 23),
        date(2026, 3, 24),
        date(2026, 5, 15),
        date(2026, 5, 28),
        date(2026, 12, 24),
    ]


def test_cuti_bersama_is_not_a_working_day():
    # 20 March 2026 is a Friday that is only joint leave, not a national holiday
    assert date(2026, 3, 20) not in holidays.Indonesia(years=2026, categories=("public",))
    assert not bekasi.is_working_day(date(2026, 3, 20))
    assert not bekasi.is_working_day(date(2026, 12, 24))
    assert bekasi.is_working_day(date(2026, 3, 25))


def test_national_days_off_cover_both_categories():
    assert {date(2026, 3, 19), date(2026, 3, 20), date(2026, 1, 1)} <= national_days_off(2026)


def test_a_city_day_off_is_not_a_working_day_for_that_city_only():
    # Given a city that closes its offices on Tuesday 10 March 2026
    city = WorkingCalendar("Asia/Jakarta", extra_days_off=[date(2026, 3, 10)])

    assert not city.is_working_day(date(2026, 3, 10))
    assert bekasi.is_working_day(date(2026, 3, 10))


def test_is_working_day_refuses_a_datetime():
    with pytest.raises(TypeError):
        bekasi.is_working_day(wib(2026, 3, 20, 10))


# --- deadlines --------------------------------------------------------------------------------


def test_three_working_days_from_friday_morning_skip_the_weekend():
    deadline = bekasi.add_working_days(wib(2026, 1, 9, 10), 3)

    assert deadline == wib(2026, 1, 14, 10)  # Wednesday 10:00


def test_complaint_received_on_saturday_is_due_at_close_of_third_working_day():
    deadline = bekasi.add_working_days(wib(2026, 1, 10, 11), 3)

    assert deadline == wib(2026, 1, 14, 16)  # Mon, Tue, Wed -> Wednesday closing time


def test_complaint_received_after_closing_starts_counting_next_opening():
    deadline = bekasi.add_working_time(wib(2026, 1, 12, 19), timedelta(hours=2))

    assert deadline == wib(2026, 1, 13, 10)


def test_deadline_skips_nyepi_idul_fitri_and_cuti_bersama_2026():
    # Given a complaint on Tuesday 17 March 2026 at 10:00, the last working day before the break
    received = wib(2026, 3, 17, 10)

    # When it gets 3 working days
    deadline = bekasi.add_working_days(received, 3)

    # Then 18-24 March count for nothing: 6 h on the 17th, 8 h on 25th and 26th, 2 h on the 27th
    assert deadline == wib(2026, 3, 27, 10)
    # while the same complaint a week earlier, with no holiday in the way, is due on the Friday
    assert bekasi.add_working_days(wib(2026, 3, 10, 10), 3) == wib(2026, 3, 13, 10)


def test_deadline_crosses_the_year_end_and_both_years_holidays():
    # Given a complaint on Wednesday 30 December 2026 at 09:00
    # When it gets 3 working days
    deadline = bekasi.add_working_days(wib(2026, 12, 30, 9), 3)

    # Then: 7 h on 30 Dec, 8 h on 31 Dec, New Year's Day (Fri) and the weekend skipped,
    # 8 h on Mon 4 Jan, Isra Mikraj on Tue 5 Jan 2027 skipped, 1 h on Wed 6 Jan
    assert date(2027, 1, 5) in national_days_off(2027)
    assert deadline == wib(2027, 1, 6, 9)


def test_city_day_off_pushes_the_deadline():
    city = WorkingCalendar("Asia/Jakarta", extra_days_off=[date(2026, 3, 10)])
    received = wib(2026, 3, 9, 10)

    assert bekasi.add_working_days(received, 1) == wib(2026, 3, 10, 10)
    assert city.add_working_days(received, 1) == wib(2026, 3, 11, 10)


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        # 00:30 UTC is 07:30 in WIB (before opening) but already 08:30 in WITA
        ("Asia/Jakarta", datetime(2026, 1, 12, 16, tzinfo=JAKARTA)),
        ("Asia/Pontianak", datetime(2026, 1, 12, 16, tzinfo=PONTIANAK)),
        ("Asia/Makassar", datetime(2026, 1, 13, 8, 30, tzinfo=MAKASSAR)),
    ],
)
def test_office_hours_are_local_to_the_city(zone, expected):
    calendar = WorkingCalendar(zone)

    deadline = calendar.add_working_days(datetime(2026, 1, 12, 0, 30, tzinfo=UTC), 1)

    assert deadline == expected
    assert deadline.tzinfo == ZoneInfo(zone)
    assert deadline.replace(tzinfo=None) == expected.replace(tzinfo=None)


def test_adding_nothing_inside_office_hours_returns_the_same_moment():
    inside = datetime(2026, 1, 12, 3, 0, tzinfo=UTC)  # 10:00 WIB

    result = bekasi.add_working_time(inside, timedelta(0))

    assert result == inside
    assert result.tzinfo == JAKARTA


def test_adding_nothing_at_closing_time_stays_at_closing_time():
    assert bekasi.add_working_time(wib(2026, 1, 12, 16), timedelta(0)) == wib(2026, 1, 12, 16)


def test_adding_nothing_outside_office_hours_gives_the_next_opening():
    assert bekasi.add_working_time(wib(2026, 1, 9, 17), timedelta(0)) == wib(2026, 1, 12, 8)
    assert bekasi.add_working_time(wib(2026, 1, 12, 7), timedelta(0)) == wib(2026, 1, 12, 8)


def test_half_a_working_day_is_half_the_office_hours():
    assert bekasi.add_working_days(wib(2026, 1, 12, 8), 0.5) == wib(2026, 1, 12, 12)


def test_configured_office_hours_set_the_length_of_a_working_day():
    city = WorkingCalendar("Asia/Makassar", office_start=time(7, 30), office_end=time(16))
    opening = datetime(2026, 1, 12, 7, 30, tzinfo=MAKASSAR)

    assert city.workday_length == timedelta(hours=8, minutes=30)
    assert city.add_working_days(opening, 1) == datetime(2026, 1, 12, 16, tzinfo=MAKASSAR)
    assert city.add_working_days(opening, 2) == datetime(2026, 1, 13, 16, tzinfo=MAKASSAR)


def test_sixty_working_days_is_twelve_weeks_minus_the_holidays():
    # From Monday 5 January 2026 08:00, 60 working days. Nine weekday holidays fall in between:
    # Isra Mikraj (16 Jan), Lunar New Year and its cuti bersama (16-17 Feb), Nyepi and Idul
    # Fitri with their cuti bersama (18-20 and 23-24 Mar) and Good Friday (3 Apr). So 69
    # weekdays: 13 weeks take us to Monday 6 April, and 4 more days end on Thursday 9 April.
    deadline = bekasi.add_working_days(wib(2026, 1, 5, 8), 60)

    assert deadline == wib(2026, 4, 9, 16)


# --- durations --------------------------------------------------------------------------------


def test_working_time_between_counts_only_office_hours():
    # Friday 15:00 to Monday 09:00: one hour on Friday, one on Monday
    assert bekasi.working_time_between(wib(2026, 1, 9, 15), wib(2026, 1, 12, 9)) == timedelta(
        hours=2
    )


def test_working_time_between_is_negative_when_end_is_before_start():
    assert bekasi.working_time_between(wib(2026, 1, 12, 9), wib(2026, 1, 9, 15)) == -timedelta(
        hours=2
    )


def test_working_time_over_the_idul_fitri_break_is_zero():
    assert bekasi.working_time_between(wib(2026, 3, 17, 16), wib(2026, 3, 25, 8)) == timedelta(0)


# --- validation -------------------------------------------------------------------------------


def test_naive_datetimes_are_refused():
    naive = datetime(2026, 1, 12, 10)
    with pytest.raises(ValueError, match="timezone-aware"):
        bekasi.add_working_time(naive, timedelta(hours=1))
    with pytest.raises(ValueError, match="timezone-aware"):
        bekasi.add_working_days(naive, 1)
    with pytest.raises(ValueError, match="timezone-aware"):
        bekasi.working_time_between(wib(2026, 1, 12, 10), naive)


def test_negative_amounts_are_refused():
    with pytest.raises(ValueError, match="negative"):
        bekasi.add_working_time(wib(2026, 1, 12, 10), timedelta(hours=-1))


def test_unknown_time_zone_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        WorkingCalendar("Asia/Bekasi")


def test_office_hours_must_open_before_they_close():
    with pytest.raises(ValueError, match="before"):
        WorkingCalendar("Asia/Jakarta", office_start=time(16), office_end=time(8))


def test_a_calendar_without_any_working_day_is_refused_rather_than_looping():
    always_closed = WorkingCalendar(
        "Asia/Jakarta",
        extra_days_off=[date(2026, 1, 1) + timedelta(days=n) for n in range(800)],
    )
    with pytest.raises(ValueError, match="no working day"):
        always_closed.add_working_days(wib(2026, 1, 5, 9), 1)


# --- properties -------------------------------------------------------------------------------

calendars = st.sampled_from(
    [WorkingCalendar(zone) for zone in CITY_ZONES]
    + [
        WorkingCalendar(
            "Asia/Makassar",
            extra_days_off=[date(2026, 3, 10), date(2026, 12, 31)],
            office_start=time(7, 30),
            office_end=time(15, 45),
        )
    ]
)
moments = st.datetimes(
    min_value=datetime(2025, 12, 1),
    max_value=datetime(2027, 1, 31),
    timezones=st.sampled_from([UTC, JAKARTA, MAKASSAR]),
)
# Up to 60 working days of 8 h: the longest SLA target in service-rules.md
amounts = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=8 * 60))
small_amounts = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=8 * 15))


def _in_office_hours(calendar: WorkingCalendar, moment: datetime) -> bool:
    local = moment.astimezone(calendar.timezone)
    return (
        calendar.is_working_day(local.date())
        and calendar.office_start <= local.time() <= calendar.office_end
    )


@settings(max_examples=150)
@given(calendar=calendars, start=moments, amount=amounts)
def test_working_time_between_undoes_add_working_time(calendar, start, amount):
    deadline = calendar.add_working_time(start, amount)

    assert calendar.working_time_between(start, deadline) == amount


@given(calendar=calendars, start=moments, amount=amounts)
def test_deadline_is_in_office_hours_on_a_working_day_in_the_city_zone(calendar, start, amount):
    deadline = calendar.add_working_time(start, amount)

    assert deadline.tzinfo is calendar.timezone
    assert deadline >= start
    assert _in_office_hours(calendar, deadline)


@given(calendar=calendars, start=moments, first=small_amounts, second=small_amounts)
def test_adding_working_time_is_monotonic_in_the_amount(calendar, start, first, second):
    shorter, longer = sorted((first, second))

    assert calendar.add_working_time(start, shorter) <= calendar.add_working_time(start, longer)


@given(calendar=calendars, start=moments, first=small_amounts, second=small_amounts)
def test_adding_working_time_in_two_steps_equals_adding_it_at_once(calendar, start, first, second):
    in_two_steps = calendar.add_working_time(calendar.add_working_time(start, first), second)

    assert in_two_steps == calendar.add_working_time(start, first + second)


@given(calendar=calendars, start=moments, end=moments)
def test_working_time_between_is_antisymmetric(calendar, start, end):
    assert calendar.working_time_between(start, end) == -calendar.working_time_between(end, start)


@given(calendar=calendars, first=moments, second=moments, third=moments)
def test_working_time_between_adds_up_over_a_midpoint(calendar, first, second, third):
    a, b, c = sorted((first, second, third))

    assert calendar.working_time_between(a, b) + calendar.working_time_between(
        b, c
    ) == calendar.working_time_between(a, c)


@given(
    calendar=calendars,
    start=st.datetimes(
        min_value=datetime(2026, 3, 1), max_value=datetime(2026, 4, 30), timezones=st.just(UTC)
    ).map(lambda moment: moment.replace(minute=moment.minute // 15 * 15, second=0, microsecond=0)),
    quarters=st.integers(min_value=0, max_value=4 * 24 * 14),
)
def test_working_time_between_matches_counting_quarter_hours_one_by_one(calendar, start, quarters):
    # An independent oracle: walk the span in 15-minute steps and count the steps that begin
    # and end inside office hours on a working day.
    step = timedelta(minutes=15)
    counted = sum(
        1
        for index in range(quarters)
        if _in_office_hours(calendar, start + index * step)
        and _in_office_hours(calendar, start + (index + 1) * step)
        and (start + index * step).astimezone(calendar.timezone).date()
        == (start + (index + 1) * step).astimezone(calendar.timezone).date()
    )

    assert calendar.working_time_between(start, start + quarters * step) == counted * step


def test_warming_loads_the_holidays_of_last_this_and_next_year():
    from lapor.city import load_city
    from lapor.sla import warm_calendar

    national_days_off.cache_clear()
    warm_calendar(load_city("default"), datetime(2026, 11, 23, 2, 0, tzinfo=UTC))
    info = national_days_off.cache_info()
    assert info.currsize == 3
    national_days_off(2026)  # a deadline computed after start finds the year ready
    assert national_days_off.cache_info().hits == info.hits + 1
