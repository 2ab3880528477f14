"""Months as the reports count them: "2026-10" in and out, Indonesian names, a month's start in
the city's time zone, and the folder a month's report files go to."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from lapor import i18n
from lapor.errors import ValidationFailed

if TYPE_CHECKING:
    from lapor.city import CityConfig

MONTH_NAMES = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> date:
    """ "2026-10" -> date(2026, 10, 1); anything else is a field error on "month"."""
    match = _MONTH.match(text or "")
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
        raise ValidationFailed.on("month", i18n.t("problem.month_format"))
    return date(int(match.group(1)), int(match.group(2)), 1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_label(month: date) -> str:
    return f"{MONTH_NAMES[month.month - 1]} {month.year}"


def month_key(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def month_start(city: CityConfig, month: date) -> datetime:
    """Midnight of the month's first day in the city's time zone."""
    return datetime(month.year, month.month, 1, tzinfo=city.zone)


def previous_month(city: CityConfig, now: datetime) -> date:
    local = now.astimezone(city.zone)
    return add_months(date(local.year, local.month, 1), -1)


def month_dir(reports_dir: Path, month: date) -> Path:
    return reports_dir / month_key(month)
