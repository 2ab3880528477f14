"""The monthly report's twelve-month trend of volumes: complaints received and resolved per
month, city-wide and per agency.

A month that ended more than a month before the report is counted once and kept
(report_trend_month, sql/026); the months since are counted at each report. At five million
complaints counting all twelve months took about 2 s of the report's 8 (bench/scale.py); with
the kept months a report counts one or two. A kept month does not follow a transfer made after
it was counted (its received complaints stay with the agency they had then), as the month's
own report, written then, did not either. A read replica keeps nothing: it counts every month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import asyncpg

from lapor.city import CityConfig
from lapor.months import add_months, month_start
from lapor.repo import reports as sql

Key = tuple[str | None, date]  # (None for the city, else an agency's code; the month)


@dataclass(frozen=True)
class Volumes:
    received: dict[Key, int]
    resolved: dict[Key, int]
    counted: list[date]  # the months counted now (the rest were kept)


def kept_once_ended(city: CityConfig, month: date, now: datetime) -> bool:
    """A month is kept once the month after it has ended too."""
    return month_start(city, add_months(month, 2)) <= now


async def volumes(
    conn: asyncpg.Connection, city: CityConfig, months: list[date], now: datetime
) -> Volumes:
    """The volumes of `months` (consecutive, oldest first): kept ones read back, the others
    counted (from the first month not kept to the last), and those now long ended kept."""
    kept = await sql.kept_trend(conn, months)
    done = {row["month"] for row in kept if row["all_agencies"]}
    received: dict[Key, int] = {}
    resolved: dict[Key, int] = {}
    for row in kept:
        _put(received, row, row["received"])
        _put(resolved, row, row["resolved"])
    missing = [m for m in months if m not in done]
    if not missing:
        return Volumes(received, resolved, [])
    start = month_start(city, missing[0])
    end = month_start(city, add_months(months[-1], 1))
    counted_in = await sql.trend_received(conn, start, end, city.timezone)
    counted_out = await sql.trend_resolved(conn, start, end, city.timezone)
    fresh = set(missing)
    rows: dict[tuple[date, bool, str | None], list[int]] = {
        (m, True, None): [0, 0] for m in missing
    }
    for index, counted in enumerate((counted_in, counted_out)):
        for row in counted:
            if row["month"] not in fresh:
                continue  # between two kept months: the kept count stands
            _put((received, resolved)[index], row, row["n"])
            key = (row["month"], bool(row["all_agencies"]), row["agency"])
            rows.setdefault(key, [0, 0])[index] = row["n"]
    to_keep = [
        (m, every, agency, n_in, n_out, now)
        for (m, every, agency), (n_in, n_out) in rows.items()
        if kept_once_ended(city, m, now)
    ]
    if to_keep and not await sql.on_a_standby(conn):
        await sql.keep_trend(conn, to_keep)
    return Volumes(received, resolved, missing)


def _put(into: dict[Key, int], row: asyncpg.Record, value: int) -> None:
    """City-wide rows under None, agency rows under their code; the desk's (an agency row with
    no agency) is no scope of the report."""
    if row["all_agencies"]:
        into[(None, row["month"])] = value
    elif row["agency"] is not None:
        into[(row["agency"], row["month"])] = value
