"""Stored reports: the monthly job, `lapor report`, and the list and download routes."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cli_helpers import run_cli
from report_month import OCTOBER, build_october

from lapor import report_files, reports

ROOT = Path(__file__).resolve().parent.parent
FAST = ("csv",)  # charts and PDFs take a second per agency; test_report_render covers them


@pytest.fixture
async def stored(services, settings, clock, accounts):
    async with services.pool.acquire() as conn:
        await build_october(conn)
    clock.set(datetime(2026, 11, 1, 0, 0, tzinfo=UTC))  # 1 November, 07:00 in Jakarta
    return await report_files.monthly_job(services, settings.data_dir / "reports", formats=FAST)


async def test_the_monthly_job_writes_the_month_before_once(services, settings, stored):
    names = {path.name for path in stored}
    assert "kota-2026-10-ringkasan.csv" in names and "dpupr-2026-10-ringkasan.csv" in names
    assert all(path.parent == settings.data_dir / "reports" / "2026-10" for path in stored)
    async with services.pool.acquire() as conn:
        rows = await conn.fetch("SELECT month, agency_code FROM report")
    assert {row["month"] for row in rows} == {OCTOBER}
    assert len(rows) == 1 + len(reports._reportable_agencies(services.city))
    assert await report_files.monthly_job(services, settings.data_dir / "reports") == []


async def test_two_instances_running_the_job_write_it_once(services, settings, clock):
    clock.set(datetime(2026, 11, 1, 0, 0, tzinfo=UTC))
    runs = await asyncio.gather(
        *(
            report_files.monthly_job(services, settings.data_dir / "reports", formats=FAST)
            for _ in range(2)
        )
    )
    assert sorted(bool(paths) for paths in runs) == [False, True]


async def test_officers_see_city_wide_reports_and_their_agencys(client, accounts, stored):
    mine = await (await client.get("/api/v1/reports", headers=accounts["dpupr"].headers)).json()
    assert {item["agency"] for item in mine["items"]} == {None, "DPUPR"}
    everything = await (
        await client.get("/api/v1/reports", headers=accounts["admin"].headers)
    ).json()
    assert {item["agency"] for item in everything["items"]} >= {None, "DPUPR", "DLH"}
    assert (await client.get("/api/v1/reports")).status == 401


async def test_a_report_file_downloads_for_those_who_may_read_it(client, accounts, stored):
    page = await client.get(
        "/api/v1/reports/2026-10/kota-2026-10-ringkasan.csv", headers=accounts["dlh"].headers
    )
    assert page.status == 200 and page.content_type == "text/csv"
    assert "attachment" in page.headers["Content-Disposition"]
    assert "diterima" in await page.text()
    own = await client.get(
        "/api/v1/reports/2026-10/dlh-2026-10-sla.csv", headers=accounts["dlh"].headers
    )
    assert own.status == 200 and "tahap" in await own.text()
    other = await client.get(
        "/api/v1/reports/2026-10/dpupr-2026-10-sla.csv", headers=accounts["dlh"].headers
    )
    assert other.status == 403
    admin = await client.get(
        "/api/v1/reports/2026-10/dpupr-2026-10-sla.csv", headers=accounts["admin"].headers
    )
    assert admin.status == 200


async def test_only_listed_files_can_be_downloaded(client, accounts, stored, settings):
    (settings.data_dir / "secret_key").write_text("x")
    for path in (
        "/api/v1/reports/2026-10/..%2F..%2Fsecret_key",
        "/api/v1/reports/2026-10/nothing.pdf",
        "/api/v1/reports/2026-09/kota-2026-10-ringkasan.csv",
    ):
        response = await client.get(path, headers=accounts["admin"].headers)
        assert response.status == 404, path
    bad_month = await client.get(
        "/api/v1/reports/oktober/kota-2026-10-ringkasan.csv", headers=accounts["admin"].headers
    )
    assert bad_month.status == 422


@pytest.mark.slow
def test_lapor_report_writes_the_files_where_asked(database_url, tmp_path):
    env = dict(
        DATABASE_URL=database_url,
        LAPOR_DATA_DIR=str(tmp_path / "data"),
        LAPOR_SECRET_KEY="cli-test-secret-0123456789",
        LAPOR_LOG_LEVEL="WARNING",
    )
    out = str(tmp_path / "out")
    result = run_cli("report", "--month", "2026-10", "--agency", "DLH", "--out", out, env=env)
    assert result.returncode == 0, result.stderr
    assert "0 diterima" in result.stdout
    assert (tmp_path / "out" / "dlh-2026-10-laporan.pdf").is_file()
    wrong = run_cli("report", "--month", "10-2026", env=env)
    assert wrong.returncode == 2 and "YYYY-MM" in wrong.stderr


def test_the_monthly_report_is_scheduled_for_the_first_at_seven_city_time(settings):
    from lapor import report_jobs
    from lapor.city import load_city

    city = load_city("pontianak")
    jobs = {job.id: job for job in report_jobs.jobs(settings, city)}
    assert set(jobs) == {"surveys.invite", "surveys.remind", "reports.monthly"}
    after = datetime(2026, 10, 15, tzinfo=city.zone)
    fire = jobs["reports.monthly"].trigger.get_next_fire_time(None, after)
    assert fire == datetime(2026, 11, 1, 7, 0, tzinfo=city.zone)
