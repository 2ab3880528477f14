"""Stored monthly reports: the listing an officer may see, and the path of one stored file once
the officer is allowed to read it. Writing the files is lapor.report_files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from lapor import i18n
from lapor.errors import Forbidden, NotFound
from lapor.months import month_dir, month_key, parse_month
from lapor.repo import reports as sql

if TYPE_CHECKING:
    from lapor.auth import Officer
    from lapor.context import Services


@dataclass(frozen=True)
class StoredReport:
    month: date
    agency: str | None
    files: list[str]
    generated_at: datetime

    def as_dict(self, base_path: str = "/api/v1/reports") -> dict:
        key = month_key(self.month)
        return {
            "month": key,
            "agency": self.agency,
            "generated_at": self.generated_at.isoformat(),
            "files": [{"name": name, "url": f"{base_path}/{key}/{name}"} for name in self.files],
        }


async def list_reports(services: Services, officer: Officer) -> list[StoredReport]:
    async with services.pool.acquire() as conn:
        rows = await sql.stored_reports(conn, officer.agency_code, officer.role == "admin")
    return [
        StoredReport(row["month"], row["agency_code"], list(row["files"]), row["generated_at"])
        for row in rows
    ]


async def report_file(
    services: Services, reports_dir: Path, officer: Officer, month_text: str, name: str
) -> Path:
    """The path of a stored report's file, if this officer may read it."""
    month = parse_month(month_text)
    async with services.pool.acquire() as conn:
        rows = await sql.file_owners(conn, month, name)
    if not rows:
        raise NotFound(i18n.t("problem.report_file_not_found"))
    owners = {row["agency_code"] for row in rows}
    if officer.role != "admin" and None not in owners and officer.agency_code not in owners:
        raise Forbidden(i18n.t("problem.report_of_another_agency"))
    # The name came from our own listing, never from a path the caller chose.
    path = month_dir(reports_dir, month) / Path(name).name
    if not path.is_file():
        raise NotFound(i18n.t("problem.report_file_not_found"))
    return path
