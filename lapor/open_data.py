"""Open data: the public complaints as CSV and GeoJSON, their daily dump, and the monthly
report's aggregate tables.

An export holds what the public list shows and nothing else: published complaints only (never
a rahasia one), the public copy of their text (personal data hidden), the place as the public
reads it, status, category, agency, dates and point, and never the reporter. It is streamed:
a server-side cursor reads a few hundred rows at a time inside one read-only snapshot, and
each chunk is written out before the next is read. The daily dump (a scheduled job) writes the
same export of yesterday's complaints to files, atomically, under the data directory. Every
file states the city's licence ([open_data] in the city file; CC BY 4.0 by default).
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import json
import logging
import os
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import asyncpg
from apscheduler.triggers.cron import CronTrigger

from lapor import i18n, privacy
from lapor.errors import NotFound
from lapor.months import month_dir, parse_month
from lapor.public import GROUP_OF, ReportFilter
from lapor.repo import open_data as repo
from lapor.repo import reports as report_repo
from lapor.scheduler import ScheduledJob, try_run_alone

if TYPE_CHECKING:
    from lapor.city import CityConfig
    from lapor.context import Services
    from lapor.settings import Settings

log = logging.getLogger(__name__)

CHUNK_ROWS = 500
MEDIA_TYPES = {"csv": "text/csv", "geojson": "application/geo+json"}
COLUMNS = (
    "kode",
    "status",
    "kelompok_status",
    "kategori",
    "nama_kategori",
    "instansi",
    "nama_instansi",
    "kelurahan",
    "kecamatan",
    "judul",
    "isi",
    "dibuat",
    "diperbarui",
    "diselesaikan",
    "ditutup",
    "lintang",
    "bujur",
)
# Free text a spreadsheet would run as a formula when it starts with one of these (OWASP's
# CSV injection): written after an apostrophe in the CSV, as it was in the GeoJSON.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_TEXT_COLUMNS = ("kelurahan", "kecamatan", "judul", "isi")


def licence(city: CityConfig) -> dict[str, str]:
    return {"name": city.open_data.licence, "url": city.open_data.licence_url}


def licence_link(city: CityConfig) -> str:
    """The licence as an HTTP Link header (RFC 8288, rel="license")."""
    name = city.open_data.licence.replace('"', "'")
    return f'<{city.open_data.licence_url}>; rel="license"; title="{name}"'


def _iso(city: CityConfig, moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(city.zone).isoformat()


def _values(city: CityConfig, row: asyncpg.Record) -> dict[str, Any]:
    return {
        "kode": row["tracking_code"],
        "status": row["status"],
        "kelompok_status": GROUP_OF[row["status"]],
        "kategori": row["category_code"],
        "nama_kategori": row["category_name"],
        "instansi": row["agency_code"],
        "nama_instansi": row["agency_name"],
        "kelurahan": privacy.redact_place(row["kelurahan"]),
        "kecamatan": privacy.redact_place(row["kecamatan"]),
        "judul": row["public_title"],
        "isi": row["public_body"],
        "dibuat": _iso(city, row["created_at"]),
        "diperbarui": _iso(city, row["updated_at"]),
        "diselesaikan": _iso(city, row["resolved_at"]),
        "ditutup": _iso(city, row["closed_at"]),
        "lintang": row["latitude"],
        "bujur": row["longitude"],
    }


def _cell(column: str, value: Any) -> Any:
    if value is None:
        return ""
    if column in _TEXT_COLUMNS and isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


class Encoder:
    """One export format: its start, a chunk of rows, its end, as UTF-8 bytes."""

    def __init__(self, city: CityConfig, fmt: str) -> None:
        if fmt not in MEDIA_TYPES:
            raise ValueError(f"no open data format {fmt!r}")
        self.city, self.fmt, self._first = city, fmt, True

    def start(self) -> bytes:
        if self.fmt == "csv":
            return self._csv([COLUMNS])
        head = json.dumps(
            {"type": "FeatureCollection", "license": licence(self.city)}, ensure_ascii=False
        )
        return (head[:-1] + ', "features": [').encode()

    def rows(self, rows: Sequence[asyncpg.Record]) -> bytes:
        values = [_values(self.city, row) for row in rows]
        if self.fmt == "csv":
            return self._csv([[_cell(c, v[c]) for c in COLUMNS] for v in values])
        features = [json.dumps(_feature(v), ensure_ascii=False) for v in values]
        text = ",\n".join(features)
        if features and not self._first:
            text = ",\n" + text
        self._first = self._first and not features
        return text.encode()

    def end(self) -> bytes:
        return b"" if self.fmt == "csv" else b"]}\n"

    @staticmethod
    def _csv(rows: Sequence[Sequence[Any]]) -> bytes:
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(rows)
        return out.getvalue().encode()


def _feature(values: dict[str, Any]) -> dict[str, Any]:
    lat, lon = values["lintang"], values["bujur"]
    point = None if lat is None or lon is None else {"type": "Point", "coordinates": [lon, lat]}
    properties = {k: v for k, v in values.items() if k not in ("lintang", "bujur")}
    return {"type": "Feature", "id": values["kode"], "geometry": point, "properties": properties}


def _arguments(city: CityConfig, filters: ReportFilter) -> tuple[Any, ...]:
    return (*filters.args(), city.publishes_immediately)


async def export(
    services: Services,
    filters: ReportFilter,
    fmt: str,
    write: Callable[[bytes], Awaitable[None]],
) -> int:
    """Stream the public complaints that pass the list's `filters` to `write`, a chunk at a
    time, on the read replica when there is one; returns how many. Nothing is written before
    the database has answered, so an outage is still a proper error."""
    encoder = Encoder(services.city, fmt)
    pool = services.pool if services.replica is None else services.replica.pool()
    count, started = 0, False
    async with (
        pool.acquire() as conn,
        conn.transaction(isolation="repeatable_read", readonly=True),
        contextlib.aclosing(
            repo.public_rows(conn, _arguments(services.city, filters), None, CHUNK_ROWS)
        ) as chunks,
    ):
        async for rows in chunks:
            if not started:
                await write(encoder.start())
                started = True
            count += len(rows)
            await write(encoder.rows(rows))
    if not started:
        await write(encoder.start())
    await write(encoder.end())
    return count


# ------------------------------------------------------------------------------ daily dump

DUMP_JOB = "open_data.daily"
DUMP_KEEP_DAYS = 30
_DUMP_NAME = re.compile(r"^laporan-(\d{4}-\d{2}-\d{2})\.(csv|geojson)$")


def dump_dir(data_dir: Path) -> Path:
    return data_dir / "open_data" / "harian"


def dump_name(day: date, fmt: str) -> str:
    return f"laporan-{day.isoformat()}.{fmt}"


@dataclass(frozen=True)
class DumpFile:
    name: str
    day: date
    size_bytes: int


def _listing(directory: Path) -> list[DumpFile]:
    found = []
    with contextlib.suppress(FileNotFoundError):
        for path in directory.iterdir():
            match = _DUMP_NAME.match(path.name)
            if match:
                found.append(DumpFile(path.name, date.fromisoformat(match[1]), path.stat().st_size))
    found.sort(key=lambda dump: dump.name)
    return sorted(found, key=lambda dump: dump.day, reverse=True)  # newest day first


async def dump_files(directory: Path) -> list[DumpFile]:
    """The daily dumps there are, newest first."""
    return await asyncio.to_thread(_listing, directory)


def dump_path(directory: Path, name: str) -> Path:
    """A dump's file by its name, which must be one the job writes (never a path)."""
    path = directory / name
    if not _DUMP_NAME.match(name) or not path.is_file():
        raise NotFound(i18n.t("open_data.dump_not_found"))
    return path


async def daily_dump(services: Services, directory: Path) -> list[Path]:
    """The scheduled job: yesterday's dump (the public complaints filed up to midnight, city
    time, as they stand now), once. Each file is written beside its name and renamed into
    place, so a reader never sees half of one; a day already dumped is left alone, and of
    several instances one writes while the others skip. Dumps older than DUMP_KEEP_DAYS go."""
    city = services.city
    today = services.clock.now().astimezone(city.zone).date()
    day = today - timedelta(days=1)

    def missing() -> dict[str, Path]:
        paths = {fmt: directory / dump_name(day, fmt) for fmt in MEDIA_TYPES}
        return {fmt: path for fmt, path in paths.items() if not path.exists()}

    if not await asyncio.to_thread(missing):
        return []
    await asyncio.to_thread(directory.mkdir, parents=True, exist_ok=True)
    until = datetime.combine(today, time(0), tzinfo=city.zone)
    async with services.pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
        if not await try_run_alone(conn, DUMP_JOB):
            return []
        # Again, holding the lock: another instance may have written them meanwhile.
        targets = await asyncio.to_thread(missing)
        if not targets:
            return []
        written = await _write_dump(conn, city, targets, until)
    await asyncio.to_thread(_prune, directory, day - timedelta(days=DUMP_KEEP_DAYS))
    log.info("open data dumped day=%s files=%d", day, len(written))
    return written


async def _write_dump(
    conn: asyncpg.Connection, city: CityConfig, targets: dict[str, Path], until: datetime
) -> list[Path]:
    encoders = {fmt: Encoder(city, fmt) for fmt in targets}
    temporary = {
        fmt: path.with_name(f".{path.name}.{os.getpid()}.tmp") for fmt, path in targets.items()
    }
    handles = {fmt: await asyncio.to_thread(path.open, "wb") for fmt, path in temporary.items()}
    try:
        for fmt, handle in handles.items():
            await asyncio.to_thread(handle.write, encoders[fmt].start())
        arguments = _arguments(city, ReportFilter())
        async with contextlib.aclosing(
            repo.public_rows(conn, arguments, until, CHUNK_ROWS)
        ) as chunks:
            async for rows in chunks:
                for fmt, handle in handles.items():
                    await asyncio.to_thread(handle.write, encoders[fmt].rows(rows))
        for fmt, handle in handles.items():
            await asyncio.to_thread(_finish, handle, encoders[fmt].end())
        for fmt, path in temporary.items():
            await asyncio.to_thread(os.replace, path, targets[fmt])
    finally:
        for handle in handles.values():
            handle.close()
        for path in temporary.values():
            path.unlink(missing_ok=True)
    return list(targets.values())


def _finish(handle: io.BufferedWriter, tail: bytes) -> None:
    handle.write(tail)
    handle.flush()
    os.fsync(handle.fileno())


def _prune(directory: Path, before: date) -> None:
    for dump in _listing(directory):
        if dump.day < before:
            (directory / dump.name).unlink(missing_ok=True)


def jobs(settings: Settings, city: CityConfig) -> tuple[ScheduledJob, ...]:
    return (
        ScheduledJob(
            DUMP_JOB,
            partial(daily_dump, directory=dump_dir(settings.data_dir)),
            # Soon after midnight city time; at start too, which writes a missed day once.
            CronTrigger(hour=0, minute=30, timezone=city.timezone),
            "yesterday's dump of the public complaints (CSV, GeoJSON) for /data/harian/",
        ),
    )


# ------------------------------------------------------------------------------ monthly tables


async def month_tables(services: Services, month: date) -> list[str]:
    """The CSV tables of the month's stored reports (the city's and each agency's): aggregate
    figures, the same the performance pages show."""
    async with services.pool.acquire() as conn:
        rows = await repo.month_files(conn, month)
    return sorted({name for row in rows for name in row["files"] if name.endswith(".csv")})


async def table_file(services: Services, reports_dir: Path, month_text: str, name: str) -> Path:
    """One stored monthly CSV table, named as the report table lists it (never a path)."""
    month = parse_month(month_text)
    if not name.endswith(".csv"):
        raise NotFound(i18n.t("problem.report_file_not_found"))
    async with services.pool.acquire() as conn:
        owners = await report_repo.file_owners(conn, month, name)
    path = month_dir(reports_dir, month) / Path(name).name
    if not owners or not path.is_file():
        raise NotFound(i18n.t("problem.report_file_not_found"))
    return path
