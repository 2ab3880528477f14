"""/metrics, scraped over HTTP and parsed as Prometheus parses it: requests by route pattern and
status, complaints filed per channel and how they were routed, rate-limit refusals, scheduled
job runs, and the outbox per channel read from the database; who may scrape; JSON log lines."""

from __future__ import annotations

import io
import json
import logging
from dataclasses import replace
from datetime import timedelta

import pytest
from apscheduler.triggers.interval import IntervalTrigger
from helpers import VALID
from prometheus_client.parser import text_string_to_metric_families

from lapor import logs, outbox, ratelimit
from lapor.outbox import Message, PermanentFailure, dispatch_once
from lapor.ratelimit import Limit
from lapor.scheduler import ScheduledJob, run_job
from lapor.web.app import create_app

TOKEN = "metrics-token-0123456789"


@pytest.fixture
def city(city):
    # Two filings an hour per address, so the third is refused; the other limits out of the way.
    return replace(
        city, limits=replace(city.limits, filing_per_address=Limit(2, timedelta(hours=1)))
    )


async def scrape(client, **headers: str) -> dict[tuple[str, frozenset], float]:
    """Every sample of /metrics, by name and labels."""
    response = await client.get("/metrics", headers=headers)
    assert response.status == 200, await response.text()
    assert response.content_type == "text/plain"
    samples = {}
    for family in text_string_to_metric_families(await response.text()):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples


def value(samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


class Refusing:
    async def send(self, recipient, payload) -> None:
        raise PermanentFailure("Forbidden: bot was blocked by the user")


async def test_a_scrape_counts_requests_filings_refusals_jobs_and_the_outbox(
    client, services, clock
):
    before = await scrape(client)
    assert value(before, "lapor_routing_decisions_total", decision="auto") == 0
    assert value(before, "lapor_database_up") == 1

    # Given two complaints filed through the API (one with a category, one for the desk), a
    # third from the same address refused past the limit, and one read by its code
    first = await client.post("/api/v1/complaints", json=VALID)
    desk = await client.post("/api/v1/complaints", json={**VALID, "category": None})
    refused = await client.post("/api/v1/complaints", json=VALID)
    assert (first.status, desk.status, refused.status) == (201, 201, 429)
    code = (await first.json())["tracking_code"]
    assert (await client.get(f"/api/v1/complaints/{code}")).status == 200
    assert (await client.get("/nowhere/at/all")).status == 404
    # and a Telegram notice refused for good (dead), an e-mail waiting (pending) a minute
    async with services.pool.acquire() as conn, conn.transaction():
        for channel, recipient in (("telegram", "4242"), ("email", "budi@contoh.id")):
            message = Message(channel=channel, recipient=recipient, kind="test", text="pesan")
            await outbox.enqueue(conn, message, clock.now())
    await dispatch_once(services.pool, {"telegram": Refusing()}, clock)
    clock.advance(timedelta(seconds=90))
    # and two scheduled runs of the rate-limit pruning, then a job that fails
    every = IntervalTrigger(minutes=10)
    prune = ScheduledJob("ratelimit.prune", ratelimit.prune, every, "prune")
    assert await run_job(prune, services) and await run_job(prune, services)

    async def broken(services) -> None:
        raise RuntimeError("breaks")

    assert not await run_job(ScheduledJob("broken", broken, every, "breaks"), services)

    # When Prometheus scrapes
    after = await scrape(client)

    # Then each number moved by what happened, and by nothing else
    assert value(after, "lapor_complaints_filed_total", channel="web") == 2
    assert value(after, "lapor_routing_decisions_total", decision="auto") == 1
    assert value(after, "lapor_routing_decisions_total", decision="desk") == 1
    assert value(after, "lapor_rate_limit_refusals_total", rule="filing_per_address") == 1
    filing = {"method": "POST", "route": "/api/v1/complaints"}
    assert value(after, "lapor_http_requests_total", **filing, status="201") == 2
    assert value(after, "lapor_http_requests_total", **filing, status="429") == 1
    assert value(after, "lapor_http_request_duration_seconds_count", **filing) == 3
    assert value(after, "lapor_http_request_duration_seconds_bucket", **filing, le="+Inf") == 3
    by_code = {"method": "GET", "route": "/api/v1/complaints/{code}", "status": "200"}
    assert value(after, "lapor_http_requests_total", **by_code) == 1
    unmatched = {"method": "GET", "route": "unmatched", "status": "404"}
    assert value(after, "lapor_http_requests_total", **unmatched) == 1
    # the first scrape is counted by the second
    scrapes = {"method": "GET", "route": "/metrics", "status": "200"}
    assert value(after, "lapor_http_requests_total", **scrapes) == 1
    assert value(after, "lapor_outbox_messages", channel="telegram", status="dead") == 1
    assert value(after, "lapor_outbox_messages", channel="telegram", status="pending") == 0
    assert value(after, "lapor_outbox_messages", channel="email", status="pending") == 1
    assert value(after, "lapor_outbox_oldest_pending_seconds", channel="email") == 90
    assert value(after, "lapor_job_runs_total", job="ratelimit.prune", outcome="ok") == 2
    assert value(after, "lapor_job_runs_total", job="broken", outcome="failed") == 1
    assert value(after, "lapor_job_duration_seconds_count", job="ratelimit.prune") == 2
    # No label carries what a client sent: the tracking code, the path, the address.
    text = await (await client.get("/metrics")).text()
    assert code not in text and "nowhere" not in text and "127.0.0.1" not in text
    assert "process_cpu_seconds_total" in text  # the process's own, as Prometheus expects


async def test_without_a_token_only_a_local_scraper_that_came_through_no_proxy_is_answered(
    client,
):
    for header in ("X-Forwarded-For", "Forwarded", "X-Real-IP"):
        refused = await client.get("/metrics", headers={header: "203.0.113.7"})
        assert refused.status == 403
        assert refused.content_type == "application/problem+json"
        assert "LAPOR_METRICS_TOKEN" in (await refused.json())["detail"]
    # An officer's token means nothing here: loopback decides.
    assert (await client.get("/metrics", headers={"Authorization": "Bearer x"})).status == 200


async def test_with_a_token_a_scrape_must_bear_it(aiohttp_client, settings, clock, city):
    client = await aiohttp_client(
        create_app(replace(settings, metrics_token=TOKEN), clock=clock, city=city)
    )
    missing = await client.get("/metrics")
    assert missing.status == 401 and missing.content_type == "application/problem+json"
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    wrong = await client.get("/metrics", headers={"Authorization": "Bearer " + TOKEN[:-1] + "x"})
    assert wrong.status == 403 and wrong.content_type == "application/problem+json"
    # The right one is enough, from behind a proxy too; this app counts only its own requests
    # (a registry of its own: the other tests' apps in this process are not in it).
    samples = await scrape(
        client, Authorization=f"Bearer {TOKEN}", **{"X-Forwarded-For": "203.0.113.7"}
    )
    refusals = {
        status: value(
            samples, "lapor_http_requests_total", method="GET", route="/metrics", status=status
        )
        for status in ("401", "403", "200")
    }
    assert refusals == {"401": 1, "403": 1, "200": 0}
    assert value(samples, "lapor_complaints_filed_total", channel="web") == 0


async def test_json_logs_carry_the_event_fields_and_no_personal_data(client, services):
    # Given JSON lines from every lapor logger
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.formatter("json"))
    root = logging.getLogger("lapor")
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        # When a complaint naming its reporter is filed and a line from outside brings personal
        # data (an SMTP server's refusal, a WhatsApp chat id)
        response = await client.post("/api/v1/complaints", json=VALID)
        logging.getLogger("lapor.outbox").warning(
            "outbox channel %s is failing (%s)", "email", "450 <siti.r@contoh.id> 6281234567890"
        )
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    code = (await response.json())["tracking_code"]
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    # Then each line is one JSON object with the event's fields
    (filed,) = [line for line in lines if line["message"].startswith("complaint filed")]
    assert {"ts", "level", "logger", "message"} <= set(filed)
    assert filed["level"] == "INFO" and filed["logger"] == "lapor.complaints.filing"
    assert filed["tracking_code"] == code and filed["channel"] == "web"
    assert filed["agency"] == "DPUPR" and filed["status"] == "assigned"
    # and nothing of the reporter, whether lapor wrote it or a message from outside did
    written = stream.getvalue()
    for personal in ("Siti", "081234567890", "siti.r@contoh.id", "6281234567890"):
        assert personal not in written
    assert lines[-1]["message"] == "outbox channel email is failing (450 <<email>> <number>)"


def test_the_log_format_is_text_unless_json_is_asked_for():
    assert isinstance(logs.formatter("json"), logs.JsonFormatter)
    record = logging.LogRecord(
        "lapor.x", logging.INFO, "", 0, "moved code=%s to=%s", ("K3QZ7M2D9X", "ok"), None
    )
    assert logs.event_fields(record) == {"tracking_code": "K3QZ7M2D9X", "to": "ok"}
    text = logs.formatter("text").format(record)
    assert text.endswith("INFO lapor.x moved code=K3QZ7M2D9X to=ok") and not text.startswith("{")
