"""The monthly report against a month whose every number was worked out by hand
(tests/report_month.py tells the story of each complaint)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from report_month import OCTOBER, SEPTEMBER, add_complaint, at, build_october

from lapor import reports
from lapor.errors import ValidationFailed
from lapor.reports import Compliance, Durations


@pytest.fixture
async def october(services):
    async with services.pool.acquire() as conn:
        return await build_october(conn)


@pytest.fixture
async def report(services, october):
    return await reports.build_report(services, OCTOBER)


def test_a_month_is_written_year_dash_month():
    assert reports.parse_month("2026-10") == date(2026, 10, 1)
    for wrong in ("2026-13", "26-10", "2026/10", "", "2026-1"):
        with pytest.raises(ValidationFailed):
            reports.parse_month(wrong)


async def test_complaints_received_count_the_month_by_category_and_channel(report):
    city = report.current[None]
    assert city.received == 6  # A B C E G H; D is September's, N November's
    assert city.by_category == {
        "jalan": 1,
        "sampah": 1,
        "penerangan_jalan": 1,
        "lainnya": 1,
        "kesehatan": 1,
        "pasar": 1,
    }
    assert city.by_channel == {"web": 3, "telegram": 1, "whatsapp": 2}
    assert report.current["DPUPR"].received == 1
    assert report.current["DPUPR"].by_category == {"jalan": 1}
    assert report.current["DLH"].by_channel == {"telegram": 1}
    assert report.previous[None].received == 1


async def test_resolutions_count_once_per_complaint_with_working_day_percentiles(report):
    city = report.current[None]
    assert city.resolved == 3  # A, B, D
    # 3, 3.5 and 11 working days from filing: the median is 3.5; the 90th percentile
    # interpolates 0.8 of the way from 3.5 to 11.
    assert city.resolution == Durations(3, pytest.approx(3.5), pytest.approx(9.5))
    assert report.current["DPUPR"].resolution == Durations(
        2, pytest.approx(3.25), pytest.approx(3.45)
    )
    assert report.current["DLH"].resolution == Durations(
        1, pytest.approx(11.0), pytest.approx(11.0)
    )
    assert report.previous[None].resolved == 0


async def test_first_response_is_timed_from_landing_at_the_agency(report):
    # A after 1 working day, G after 1.5; B's response after the reopen is still missing.
    assert report.current[None].first_response == Durations(
        2, pytest.approx(1.25), pytest.approx(1.45)
    )
    assert report.current["DINKES"].first_response == Durations(
        1, pytest.approx(1.5), pytest.approx(1.5)
    )
    assert report.previous[None].first_response == Durations(
        1, pytest.approx(1.0), pytest.approx(1.0)
    )


async def test_sla_compliance_counts_the_deadlines_that_fell_due_in_the_month(report):
    city = report.current[None]
    assert city.sla == {
        "verify": Compliance(due=2, met=1),  # B verified in time, H still at the desk
        "response": Compliance(due=3, met=1),  # A met; B (after reopening) and C missed
        "resolve": Compliance(due=3, met=2),  # A and D met; C missed
    }
    assert report.current["DISKOMINFO"].sla == {"verify": Compliance(2, 1)}
    assert report.current["DPUPR"].sla == {
        "response": Compliance(1, 1),
        "resolve": Compliance(2, 2),
    }
    assert report.current["DISPERKIM"].sla == {
        "response": Compliance(1, 0),
        "resolve": Compliance(1, 0),
    }
    assert city.compliance("verify").share == 0.5
    assert report.previous[None].sla == {}


async def test_escalations_per_level_and_reopen_rate(report):
    city = report.current[None]
    assert city.escalations == {1: 1, 2: 1}
    assert report.current["DISPERKIM"].escalations == {1: 1, 2: 1}
    assert city.reopened == 1
    assert city.reopen_rate == pytest.approx(1 / 3)
    assert report.current["DLH"].reopen_rate == 1.0


async def test_backlog_is_what_was_open_when_the_month_ended(report):
    # B (reopened), C, E (desk) and G, which was resolved only in November.
    assert report.current[None].backlog == 4
    assert report.current["DINKES"].backlog == 1
    assert report.current["DPUPR"].backlog == 0
    # At the end of September only D was open (it was resolved on 1 October).
    assert report.previous[None].backlog == 1
    assert report.previous["DPUPR"].backlog == 1


async def test_survey_response_rate_counts_belum_as_an_answer(report):
    city = report.current[None]
    assert (city.surveys_sent, city.surveys_responded) == (3, 2)
    assert city.response_rate == pytest.approx(2 / 3)
    dpupr = report.current["DPUPR"]
    assert (dpupr.surveys_sent, dpupr.surveys_responded) == (2, 1)


async def test_ikm_per_element_total_and_grade_from_sql_sums(report):
    city = report.current[None].ikm
    assert city.respondents == 4
    assert dict(city.nrr) == {
        "U1": Fraction(13, 4),
        "U2": Fraction(13, 4),
        "U3": Fraction(12, 4),
        "U4": Fraction(12, 4),
        "U5": Fraction(11, 4),
        "U6": Fraction(13, 4),
        "U7": Fraction(13, 4),
        "U8": Fraction(12, 4),
        "U9": Fraction(12, 4),
    }
    assert city.ikm == Fraction(111, 36)
    assert (city.as_dict()["converted"], city.grade) == (77.08, "B")
    dpupr = report.current["DPUPR"].ikm
    assert (dpupr.respondents, dpupr.ikm, dpupr.grade) == (3, Fraction(93, 27), "B")
    dlh = report.current["DLH"].ikm
    assert (dlh.ikm, dlh.grade, dlh.performance) == (2, "D", "Tidak Baik")
    assert report.previous[None].ikm.converted == 100


async def test_the_trend_covers_twelve_months_ending_with_the_month(report):
    trend = report.trend[None]
    assert [p.month for p in trend][0] == date(2025, 11, 1)
    assert trend[-1].month == OCTOBER
    assert [(p.received, p.resolved) for p in trend[-2:]] == [(1, 0), (6, 3)]
    assert trend[-2].month == SEPTEMBER and trend[-2].ikm.converted == 100
    assert all(p.received == 0 and p.ikm.respondents == 0 for p in trend[:-2])


async def test_the_trend_keeps_a_month_long_ended_and_counts_the_recent_ones(services, report):
    # Today is 23 November: September (ended a month before October did) is kept from the
    # first report on; October is counted again at every report.
    async with services.pool.acquire() as conn:
        kept = await conn.fetch(
            "SELECT month, agency_code, received, resolved FROM report_trend_month"
            " WHERE all_agencies ORDER BY month"
        )
        assert [(r["month"], r["received"], r["resolved"]) for r in kept[-2:]] == [
            (date(2026, 8, 1), 0, 0),
            (SEPTEMBER, 1, 0),
        ]
        assert max(r["month"] for r in kept) == SEPTEMBER and len(kept) == 11
        for month in (9, 10):  # a complaint each, written late (a migration of old data)
            await add_complaint(
                conn,
                category="jalan",
                agency="DPUPR",
                status="assigned",
                channel="web",
                created_at=at(month, 20),
            )
    again = (await reports.build_report(services, OCTOBER)).trend
    assert [(p.received, p.resolved) for p in again[None][-2:]] == [(1, 0), (7, 3)]
    assert again["DPUPR"][-2].received == report.trend.get("DPUPR", again["DPUPR"])[-2].received
    assert again["DPUPR"][-1].received == report.current["DPUPR"].received + 1


async def test_an_agency_report_holds_only_that_agency(services, october):
    report = await reports.build_report(services, OCTOBER, agency="DPUPR")
    assert [s.code for s in report.scopes] == ["DPUPR"]
    assert report.current["DPUPR"].resolved == 2


async def test_an_empty_month_gives_zeros_for_every_agency(services, october):
    report = await reports.build_report(services, date(2025, 3, 1))
    assert len(report.scopes) == 1 + len(reports._reportable_agencies(services.city))
    for figures in report.current.values():
        assert figures.received == figures.resolved == figures.backlog == 0
        assert figures.by_category == {} and figures.escalations == {} and figures.sla == {}
        assert figures.resolution == Durations() and figures.first_response == Durations()
        assert figures.ikm.respondents == 0 and figures.ikm.grade is None
        assert figures.response_rate is None and figures.reopen_rate is None


async def test_an_unknown_agency_is_refused(services):
    with pytest.raises(ValidationFailed):
        await reports.build_report(services, OCTOBER, agency="NOPE")
