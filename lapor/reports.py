"""The monthly report: what came in, what was done and how fast, SLA compliance, escalations,
reopens, backlog, survey response and IKM, and the messages that never reached their reader,
city-wide and per agency, against the month before.

Numbers come from SQL aggregates (lapor.repo.reports); this module only shapes them. Rendering
(HTML, PDF, CSV, charts) is lapor.report_render; the month helpers are lapor.months and listing
stored reports is lapor.report_store, both re-exported here for the callers.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import asyncpg

from lapor import i18n, ikm, report_places
from lapor.errors import ValidationFailed
from lapor.months import (
    MONTH_NAMES,
    add_months,
    month_dir,
    month_key,
    month_label,
    month_start,
    parse_month,
    previous_month,
)
from lapor.repo import reports as sql
from lapor.report_store import StoredReport, list_reports, report_file
from lapor.sla import calendar_for
from lapor.workdays import sql_calendar

if TYPE_CHECKING:
    from lapor.city import Agency, CityConfig
    from lapor.context import Services

__all__ = [
    "CHANNELS",
    "CHANNEL_LABELS",
    "MONTH_NAMES",
    "STAGES",
    "STAGE_LABELS",
    "TREND_MONTHS",
    "Compliance",
    "Durations",
    "Figures",
    "MonthlyReport",
    "Scope",
    "StoredReport",
    "TrendPoint",
    "add_months",
    "build_report",
    "list_reports",
    "month_dir",
    "month_key",
    "month_label",
    "month_start",
    "parse_month",
    "previous_month",
    "report_file",
    "reportable_agencies",
]

log = logging.getLogger(__name__)

STAGES = ("verify", "response", "resolve")
STAGE_LABELS = {
    "verify": "Verifikasi",
    "response": "Tanggapan pertama",
    "resolve": "Penyelesaian",
}
CHANNELS = ("web", "telegram", "whatsapp", "sms", "open311")
CHANNEL_LABELS = {
    "web": "Web",
    "telegram": "Telegram",
    "whatsapp": "WhatsApp",
    "sms": "SMS",
    "open311": "Open311",
}
TREND_MONTHS = 12


# ------------------------------------------------------------------------------ figures


@dataclass(frozen=True)
class Durations:
    """Working days: how many cases, their median and 90th percentile (None without cases)."""

    count: int = 0
    median: float | None = None
    p90: float | None = None


@dataclass(frozen=True)
class Compliance:
    due: int = 0
    met: int = 0

    @property
    def share(self) -> float | None:
        return None if self.due == 0 else self.met / self.due


@dataclass
class Figures:
    """One scope (the city, or one agency) in one month."""

    received: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    resolved: int = 0
    first_response: Durations = Durations()
    resolution: Durations = Durations()
    sla: dict[str, Compliance] = field(default_factory=dict)
    escalations: dict[int, int] = field(default_factory=dict)
    reopened: int = 0
    backlog: int = 0
    surveys_sent: int = 0
    surveys_responded: int = 0
    ikm: ikm.IkmResult = ikm.IkmResult(respondents=0)
    undelivered: int = 0  # messages that died in the month: the admin's dead letters

    @property
    def reopen_rate(self) -> float | None:
        """Complaints reopened in the month per complaint resolved in it."""
        return None if self.resolved == 0 else self.reopened / self.resolved

    @property
    def response_rate(self) -> float | None:
        return None if self.surveys_sent == 0 else self.surveys_responded / self.surveys_sent

    def compliance(self, stage: str) -> Compliance:
        return self.sla.get(stage, Compliance())


@dataclass(frozen=True)
class TrendPoint:
    month: date
    received: int
    resolved: int
    ikm: ikm.IkmResult


@dataclass(frozen=True)
class Scope:
    code: str | None  # None: the whole city
    name: str


@dataclass
class MonthlyReport:
    city_name: str
    month: date
    agency: str | None  # None: the city-wide report (with every agency's figures)
    generated_at: datetime
    scopes: list[Scope]  # the city first (city-wide report), then the agencies
    current: dict[str | None, Figures]
    previous: dict[str | None, Figures]
    trend: dict[str | None, list[TrendPoint]]
    timings: dict[str, float] = field(default_factory=dict)
    timezone: str = "UTC"  # the city's: times are printed in it
    # Per kecamatan and the map's points; None when not asked for (the /kinerja pages).
    places: report_places.Places | None = None

    @property
    def generated_local(self) -> datetime:
        """When the report was made, in the city's time (tzname() says WIB, WITA or WIT)."""
        return self.generated_at.astimezone(ZoneInfo(self.timezone))

    @property
    def main_scope(self) -> Scope:
        return self.scopes[0]

    @property
    def agency_scopes(self) -> list[Scope]:
        return [scope for scope in self.scopes if scope.code is not None]


# ------------------------------------------------------------------------------ building


def reportable_agencies(city: CityConfig) -> list[Agency]:
    """The agencies that handle complaints: oversight bodies (Setda, the kepala daerah)
    receive escalations, never complaints."""
    return [agency for agency in city.agencies.values() if agency.kind != "oversight"]


def _reportable_agencies(city: CityConfig) -> list[Scope]:
    return [Scope(agency.code, agency.name) for agency in reportable_agencies(city)]


async def build_report(
    services: Services, month: date, *, agency: str | None = None, places: bool = False
) -> MonthlyReport:
    """Aggregate one month (and the month before, and the twelve-month trend); `places` adds
    the kecamatan table and the map's points (lapor.report_places)."""
    city = services.city
    if agency is not None and agency not in city.agencies:
        raise ValidationFailed.on(
            "agency", i18n.t("problem.unknown_agency", value=repr(agency[:40]))
        )
    previous, following = add_months(month, -1), add_months(month, 1)
    bounds = (
        month_start(city, previous),
        month_start(city, month),
        month_start(city, following),
    )
    scopes = _reportable_agencies(city)
    if agency is None:
        scopes = [Scope(None, city.name), *scopes]
    else:
        scopes = [s for s in scopes if s.code == agency] or [
            Scope(agency, city.agencies[agency].name)
        ]
    figures: list[dict[str | None, Figures]] = [{}, {}]
    timings: dict[str, float] = {}

    def scope_figures(m: int, row) -> Figures:
        key = None if row["all_agencies"] else row["agency"]
        return figures[m].setdefault(key, Figures())

    async with services.pool.acquire() as conn, conn.transaction():
        await sql.without_jit(conn)  # for this transaction only

        async def timed(name: str, read: Callable, *args, apply: Callable) -> None:
            started = time.perf_counter()
            rows = await read(conn, *args)
            timings[name] = time.perf_counter() - started
            for row in rows:
                apply(row)

        first_created = await sql.min_created(conn)
        first_day = min(
            bounds[0].date(),
            first_created.astimezone(city.zone).date() if first_created else bounds[0].date(),
        )
        calendar = sql_calendar(calendar_for(city), first_day - timedelta(days=1), bounds[2].date())

        def received(row) -> None:
            target = scope_figures(row["m"], row)
            if not row["any_category"]:
                target.by_category[row["category"] or "-"] = row["n"]
            elif not row["any_channel"]:
                target.by_channel[row["channel"]] = row["n"]
            else:
                target.received = row["n"]

        def resolved(row) -> None:
            target = scope_figures(row["m"], row)
            target.resolved = row["n"]
            target.resolution = _durations(row)

        def first_response(row) -> None:
            scope_figures(row["m"], row).first_response = _durations(row)

        def sla(row) -> None:
            scope_figures(row["m"], row).sla[row["stage"]] = Compliance(row["due"], row["met"])

        def events(row) -> None:
            target = scope_figures(row["m"], row)
            if row["kind"] == "reopen":
                target.reopened = row["complaints"]
            elif row["level"] is not None:
                target.escalations[row["level"]] = row["events"]

        def backlog(row) -> None:
            scope_figures(row["m"], row).backlog = row["n"]

        def surveys(row) -> None:
            target = scope_figures(row["m"], row)
            target.surveys_sent, target.surveys_responded = row["sent"], row["responded"]

        def undelivered(row) -> None:
            scope_figures(row["m"], row).undelivered = row["n"]

        def index(row) -> None:
            m = 0 if row["month"] == previous else 1
            scope_figures(m, row).ikm = _ikm(row)

        await timed("diterima", sql.received, *bounds, apply=received)
        await timed("diselesaikan", sql.resolved, *bounds, *calendar.args(), apply=resolved)
        await timed(
            "tanggapan pertama", sql.first_response, *bounds, *calendar.args(), apply=first_response
        )
        await timed("sla", sql.sla, *bounds, city.desk_agency, apply=sla)
        await timed("eskalasi dan dibuka kembali", sql.events, *bounds, apply=events)
        await timed("tunggakan", sql.backlog, *bounds[1:], apply=backlog)
        await timed("survei", sql.surveys, *bounds, apply=surveys)
        await timed("pesan tak terkirim", sql.undelivered, *bounds, apply=undelivered)
        await timed("ikm", sql.ikm, [previous, month], apply=index)
        trend = await _trend(conn, city, month, timings)
        where = None
        if places:
            started = time.perf_counter()
            where = await report_places.read_places(conn, city.area, bounds, agency)
            timings["kecamatan dan peta"] = time.perf_counter() - started

    current = {scope.code: figures[1].get(scope.code, Figures()) for scope in scopes}
    before = {scope.code: figures[0].get(scope.code, Figures()) for scope in scopes}
    return MonthlyReport(
        city_name=city.name,
        month=month,
        agency=agency,
        generated_at=services.clock.now(),
        scopes=scopes,
        current=current,
        previous=before,
        trend={scope.code: trend.get(scope.code, []) for scope in scopes},
        timings=timings,
        timezone=city.timezone,
        places=where,
    )


async def _trend(
    conn: asyncpg.Connection, city: CityConfig, month: date, timings: dict[str, float]
) -> dict[str | None, list[TrendPoint]]:
    first = add_months(month, -(TREND_MONTHS - 1))
    months = [add_months(first, i) for i in range(TREND_MONTHS)]
    start, end = month_start(city, first), month_start(city, add_months(month, 1))
    started = time.perf_counter()
    received = await sql.trend_received(conn, start, end, city.timezone)
    resolved = await sql.trend_resolved(conn, start, end, city.timezone)
    indexes = await sql.ikm(conn, months)
    timings["tren 12 bulan"] = time.perf_counter() - started

    def by_scope(rows, value: Callable) -> dict[tuple[str | None, date], object]:
        return {
            (None if row["all_agencies"] else row["agency"], row["month"]): value(row)
            for row in rows
        }

    counts_in = by_scope(received, lambda row: row["n"])
    counts_out = by_scope(resolved, lambda row: row["n"])
    results = by_scope(indexes, _ikm)
    scopes = {key for key, _ in (*counts_in, *counts_out, *results)}
    empty = ikm.IkmResult(respondents=0)
    return {
        scope: [
            TrendPoint(
                m,
                counts_in.get((scope, m), 0),
                counts_out.get((scope, m), 0),
                results.get((scope, m), empty),
            )
            for m in months
        ]
        for scope in scopes
    }


def _durations(row) -> Durations:
    median, p90 = row["pct"] if row["pct"] is not None else (None, None)
    return Durations(row["n"], median, p90)


def _ikm(row) -> ikm.IkmResult:
    return ikm.compute_ikm(
        {code: row[code.lower()] for code in ikm.ELEMENT_CODES},
        row["respondents"],
        {code: row[f"n{code[1:]}"] for code in ikm.ELEMENT_CODES},
    )
