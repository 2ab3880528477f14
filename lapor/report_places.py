"""The monthly report's places: complaints per kecamatan (against the month before) and the
month's located complaints as points for the map (lapor.report_map draws it). Rahasia
complaints count in the kecamatan table but are never drawn.

Kecamatan are matched without case or surrounding spaces. A city with kecamatan polygons
([area]) lists each of its kecamatan, even with nothing received, and puts a name it does not
know under "other"; a city without lists the most frequent names. A name with personal data
typed into it is never printed: it counts under "other".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import asyncpg

from lapor import privacy
from lapor.city.areas import CityArea
from lapor.repo import report_places as sql

# Without polygons, the most frequent kecamatan names shown one per row; the rest are "other".
KECAMATAN_LIMIT = 20


@dataclass(frozen=True)
class KecamatanRow:
    name: str  # "" for the rows "other" and "none"
    received: int
    previous: int
    top_category: str | None = None
    kind: str = "named"  # "named", "other" (unknown or withheld names), "none" (no kecamatan)


@dataclass(frozen=True, order=True)
class MapPoint:
    latitude: float
    longitude: float
    count: int
    open: bool  # still open when the report was made


@dataclass
class Places:
    kecamatan: list[KecamatanRow] = field(default_factory=list)
    points: list[MapPoint] = field(default_factory=list)
    rahasia: int = 0  # located rahasia complaints, left off the map
    unlocated: int = 0  # complaints without a location
    area: CityArea | None = None  # the city's boundary and kecamatan, for the map

    @property
    def drawn(self) -> int:
        return sum(point.count for point in self.points)


async def read_places(
    conn: asyncpg.Connection,
    area: CityArea | None,
    bounds: tuple[datetime, datetime, datetime],
    agency: str | None,
) -> Places:
    """The places of one month (bounds: the month before's start, the month's start and end)."""
    rows = await sql.kecamatan(conn, *bounds, agency)
    month = await sql.points(conn, bounds[1], bounds[2], agency)
    return Places(
        kecamatan=kecamatan_rows(
            [(r["name"], r["received"], r["previous"], r["top_category"]) for r in rows], area
        ),
        points=sorted(
            MapPoint(r["latitude"], r["longitude"], r["n"], r["open"])
            for r in month
            if r["kind"] == "point"
        ),
        rahasia=sum(r["n"] for r in month if r["kind"] == "rahasia"),
        unlocated=sum(r["n"] for r in month if r["kind"] == "unlocated"),
        area=area,
    )


def kecamatan_rows(
    groups: list[tuple[str | None, int, int, str | None]],
    area: CityArea | None,
    limit: int = KECAMATAN_LIMIT,
) -> list[KecamatanRow]:
    """The table's rows from (name as typed, received, received the month before, top
    category) per kecamatan: named rows by received (most first), then "other", then "none"."""
    known = {name.strip().lower(): name for name in (area.kecamatan if area else {})}
    named: dict[str, KecamatanRow] = {
        name: KecamatanRow(name, 0, 0) for name in known.values()
    }  # every kecamatan of the city, even one with nothing this month
    candidates: list[KecamatanRow] = []
    other = [0, 0]
    none = [0, 0]
    for name, received, previous, top in groups:
        text = (name or "").strip()
        if not text:
            none[0] += received
            none[1] += previous
        elif privacy.redact(text).kinds:
            other[0] += received
            other[1] += previous
        elif known:
            canonical = known.get(text.lower())
            if canonical is None:
                other[0] += received
                other[1] += previous
            else:
                named[canonical] = KecamatanRow(canonical, received, previous, top)
        else:
            candidates.append(KecamatanRow(text, received, previous, top))
    candidates.sort(key=lambda row: (-row.received, -row.previous, row.name.lower()))
    for row in candidates[:limit]:
        named[row.name] = row
    for row in candidates[limit:]:
        other[0] += row.received
        other[1] += row.previous
    rows = sorted(named.values(), key=lambda row: (-row.received, -row.previous, row.name))
    if any(other):
        rows.append(KecamatanRow("", other[0], other[1], kind="other"))
    if any(none):
        rows.append(KecamatanRow("", none[0], none[1], kind="none"))
    return rows
