"""The report's first page: the month in four numbers, the agencies most behind and most
improved, over figures small enough to rank by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from lapor.report_highlights import highlights, most_behind, most_improved, sla_overall
from lapor.reports import Compliance, Figures, MonthlyReport, Scope

OCTOBER = date(2026, 10, 1)


def figures(verify=(0, 0), response=(0, 0), resolve=(0, 0), **counts) -> Figures:
    """(due, met) per stage; a stage with nothing due is left out, as the SQL leaves it."""
    stages = {"verify": verify, "response": response, "resolve": resolve}
    sla = {stage: Compliance(*pair) for stage, pair in stages.items() if pair[0]}
    return Figures(sla=sla, **counts)


# (now, before) per agency, as (due, met) over all stages:
#   A 1/4 = 25% (missed 3), was 2/4 = 50%: fell 25 points
#   B 2/8 = 25% (missed 6), was 1/8 = 12.5%: rose 12.5
#   C 3/4 = 75%, was 1/4 = 25%: rose 50 (4 due)
#   D nothing due now, was 1/2
#   E 1/2 = 50%, nothing due before
#   F 4/4 = 100%, was 3/4 = 75%: rose 25
#   G 2/2 = 100%, was 1/2 = 50%: rose 50 (2 due)
NOW = {
    "A": figures(response=(4, 1)),
    "B": figures(verify=(2, 1), response=(3, 1), resolve=(3, 0)),
    "C": figures(response=(2, 1), resolve=(2, 2)),
    "D": figures(),
    "E": figures(resolve=(2, 1)),
    "F": figures(response=(4, 4)),
    "G": figures(resolve=(2, 2)),
}
BEFORE = {
    "A": figures(response=(4, 2)),
    "B": figures(response=(8, 1)),
    "C": figures(resolve=(4, 1)),
    "D": figures(response=(2, 1)),
    "E": figures(),
    "F": figures(resolve=(4, 3)),
    "G": figures(response=(2, 1)),
}


def report(agency: str | None = None) -> MonthlyReport:
    codes = [agency] if agency else sorted(NOW)
    scopes = [Scope(code, f"Dinas {code}") for code in codes]
    current = {code: NOW[code] for code in codes}
    previous = {code: BEFORE[code] for code in codes}
    if agency is None:
        scopes.insert(0, Scope(None, "Kota Contoh"))
        current[None] = figures(
            verify=(10, 5), response=(6, 3), resolve=(4, 4), received=40, resolved=25
        )
        previous[None] = figures(received=30)
    return MonthlyReport(
        city_name="Kota Contoh",
        month=OCTOBER,
        agency=agency,
        generated_at=datetime(2026, 11, 1, tzinfo=UTC),
        scopes=scopes,
        current=current,
        previous=previous,
        trend={},
    )


def test_sla_met_counts_the_three_stages_together():
    assert sla_overall(NOW["B"]) == Compliance(due=8, met=2)
    assert sla_overall(NOW["D"]) == Compliance(0, 0) and sla_overall(NOW["D"]).share is None


def test_most_behind_is_the_lowest_share_then_the_most_missed():
    behind = most_behind(report())
    assert [s.code for s in behind] == ["B", "A", "E"]  # 25% (6 missed), 25% (3), 50%
    assert [s.missed for s in behind] == [6, 3, 1]


def test_an_agency_with_nothing_due_is_not_behind():
    assert "D" not in [s.code for s in most_behind(report(), count=10)]
    assert [s.code for s in most_behind(report(), count=10)] == ["B", "A", "E", "C", "F", "G"]


def test_most_improved_is_the_largest_rise_then_the_most_due():
    improved = most_improved(report())
    assert [s.code for s in improved] == ["C", "G", "F"]  # +50 (4 due), +50 (2 due), +25
    assert [s.change for s in improved] == [pytest.approx(50), pytest.approx(50), 25]


def test_only_a_rise_against_a_month_with_deadlines_counts_as_improved():
    ranked = [s.code for s in most_improved(report(), count=10)]
    assert ranked == ["C", "G", "F", "B"]  # A fell; D has nothing now, E nothing before


def test_the_glance_gives_the_citys_month_in_four_numbers():
    glance = highlights(report())
    assert (glance.received, glance.resolved) == (40, 25)
    assert glance.sla == Compliance(due=20, met=12) and glance.sla.share == 0.6
    assert glance.ikm.respondents == 0
    assert [s.code for s in glance.behind] == ["B", "A", "E"]


def test_an_agencys_report_ranks_no_one():
    glance = highlights(report("C"))
    assert glance.sla == Compliance(4, 3)
    assert glance.behind == [] and glance.improved == []
