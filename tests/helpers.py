"""Small helpers shared by the API tests."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path

import aiohttp
from PIL import Image

from lapor import ikm, reports
from lapor.auth import Officer
from lapor.city import DEFAULT_CONFIG_DIR, RateLimits
from lapor.photos import clean_photo
from lapor.ratelimit import Limit
from lapor.settings import Settings

ROW_TABLES = ("complaint", "reporter", "complaint_event", "complaint_photo", "idempotency_key")


async def row_counts(services) -> dict[str, int]:
    async with services.pool.acquire() as conn:
        return {t: await conn.fetchval(f"SELECT count(*) FROM {t}") for t in ROW_TABLES}


def png_bytes(width: int = 2, height: int = 2, seed: int = 0) -> bytes:
    """A real, tiny PNG (different seeds give different pixels, so different hashes)."""
    rows = b"".join(
        b"\x00" + b"".join(bytes([(seed * 7 + x + y) % 256, 40, 90]) for x in range(width))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def jpeg_bytes(width: int = 8, height: int = 6) -> bytes:
    """A real, small JPEG (photos are decoded on arrival: a JPEG header alone is refused)."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


def cleaned(data: bytes) -> bytes:
    """What lapor stores and serves for an uploaded photo."""
    return clean_photo(data).data


def form(fields: dict[str, str], photos: list[tuple[str, bytes]] = ()) -> aiohttp.FormData:
    data = aiohttp.FormData()
    for name, value in fields.items():
        data.add_field(name, value)
    for filename, content in photos:
        data.add_field("photos", io.BytesIO(content), filename=filename, content_type="image/jpeg")
    return data


VALID = {
    "text": "Jalan di depan sekolah berlubang besar dan membahayakan pengendara motor.",
    "category": "jalan",
    "location": {
        "lat": -6.2383,
        "lon": 106.9756,
        "kelurahan": "Margahayu",
        "kecamatan": "Bekasi Timur",
    },
    "reporter": {"name": "Siti Rahmawati", "phone": "081234567890", "email": "siti.r@contoh.id"},
    "anonim": False,
}
TEST_SECRET = "test-secret-key-not-for-production"


def publishing_immediately(settings: Settings, directory: Path) -> Settings:
    """The settings with the default city changed to publish complaints at intake
    ([privacy] publish = "immediately") instead of after an officer's verification."""
    text = (DEFAULT_CONFIG_DIR / "default.toml").read_text(encoding="utf-8")
    edited = text.replace('publish = "after_verification"', 'publish = "immediately"')
    assert edited != text
    path = directory / "segera.toml"
    path.write_text(edited, encoding="utf-8")
    return replace(settings, city=str(path))


# Every test client speaks from 127.0.0.1: the rate limits stay out of the way of tests about
# something else (tests/test_ratelimit.py uses the city file's own).
OUT_OF_THE_WAY = Limit(1_000_000, timedelta(minutes=1))
NO_LIMITS = RateLimits(OUT_OF_THE_WAY, OUT_OF_THE_WAY, OUT_OF_THE_WAY, OUT_OF_THE_WAY)


@dataclass(frozen=True)
class Account:
    officer: Officer
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


async def assert_month_ikm_counts(
    services, answered_at: datetime, scores: Mapping[str, int], agency: str = "DPUPR"
) -> None:
    """The monthly report of the month the survey was answered in (the city's time) counts
    that one answer exactly: one respondent, each element asked with its score, for the city
    and for the agency; the month before counts nobody."""
    local = answered_at.astimezone(services.city.zone)
    month = date(local.year, local.month, 1)
    report = await reports.build_report(services, month)
    expected = ikm.compute_ikm_from_answers([scores])
    for scope in (None, agency):
        result = report.current[scope].ikm
        assert result == expected, (scope, result, expected)
        assert result.respondents == 1
        assert dict(result.answered) == dict.fromkeys(scores, 1)
    assert report.previous[None].ikm.respondents == 0
