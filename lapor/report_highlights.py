"""The monthly report's first page, "Sekilas bulan ini": the month in four numbers (received,
resolved, SLA met, IKM) and the agencies most behind and most improved, for a reader who
reads one page. Computed from the report's figures; no database here.

SLA met counts every deadline that fell due in the month, the three stages together.
Most behind: the lowest share of deadlines met this month (ties: more deadlines missed, then
the agency code); an agency with no deadline due is not ranked. Most improved: the largest
rise of that share against the month before, in percentage points (ties: more deadlines due
this month, then the code); only agencies with deadlines due in both months, and only a rise.
"""

from __future__ import annotations

from dataclasses import dataclass

from lapor import ikm
from lapor.reports import STAGES, Compliance, Figures, MonthlyReport

SHOWN = 3


@dataclass(frozen=True)
class Standing:
    """One agency's deadlines, this month and the month before."""

    code: str
    name: str
    now: Compliance
    before: Compliance

    @property
    def missed(self) -> int:
        return self.now.due - self.now.met

    @property
    def change(self) -> float | None:
        """Percentage points gained since the month before (None without both months)."""
        if self.now.share is None or self.before.share is None:
            return None
        return (self.now.share - self.before.share) * 100


@dataclass(frozen=True)
class Highlights:
    received: int
    resolved: int
    sla: Compliance
    ikm: ikm.IkmResult
    behind: list[Standing]
    improved: list[Standing]


def sla_overall(figures: Figures) -> Compliance:
    """The three stages' deadlines together."""
    stages = [figures.compliance(stage) for stage in STAGES]
    return Compliance(sum(c.due for c in stages), sum(c.met for c in stages))


def standings(report: MonthlyReport) -> list[Standing]:
    return [
        Standing(
            scope.code,
            scope.name,
            sla_overall(report.current[scope.code]),
            sla_overall(report.previous[scope.code]),
        )
        for scope in report.agency_scopes
        if scope.code is not None
    ]


def most_behind(report: MonthlyReport, count: int = SHOWN) -> list[Standing]:
    ranked = [s for s in standings(report) if s.now.due > 0]
    ranked.sort(key=lambda s: (s.now.share, -s.missed, s.code))
    return ranked[:count]


def most_improved(report: MonthlyReport, count: int = SHOWN) -> list[Standing]:
    ranked = [s for s in standings(report) if s.change is not None and s.change > 0]
    ranked.sort(key=lambda s: (-s.change, -s.now.due, s.code))
    return ranked[:count]


def highlights(report: MonthlyReport) -> Highlights:
    main = report.current[report.main_scope.code]
    city_wide = report.agency is None
    return Highlights(
        received=main.received,
        resolved=main.resolved,
        sla=sla_overall(main),
        ikm=main.ikm,
        behind=most_behind(report) if city_wide else [],
        improved=most_improved(report) if city_wide else [],
    )
