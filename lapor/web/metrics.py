"""/metrics in Prometheus's text format: this app's own registry (never the process-wide
default one, so that every app, in a test or a process, counts alone), the request middleware,
the core's port (`lapor.metrics.Metrics`) implemented with prometheus-client, and the outbox
read from the database at each scrape.

Who may scrape: with LAPOR_METRICS_TOKEN set, a request bearing it (none: 401, another: 403);
without one, only a loopback peer that came through no proxy (403 otherwise), since a proxy on
the same host would make every visitor look local.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import time
from collections.abc import Awaitable, Callable, Iterable

from aiohttp import web
from prometheus_client import (
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from lapor import constant_time, i18n
from lapor.context import Services
from lapor.errors import Forbidden, Unauthorized
from lapor.metrics import OutboxDepth, outbox_depths
from lapor.web.keys import METRICS, SERVICES, SETTINGS
from lapor.web.openapi import documented
from lapor.web.problems import from_domain

log = logging.getLogger(__name__)

PATH = "/metrics"
# The classic text format (0.0.4): what every Prometheus version and most scrapers read.
TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8"
# Methods outside these are counted as "other": a client cannot invent label values.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
JOB_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0)
# How long a scrape waits for the database before answering without the outbox.
DATABASE_SECONDS = 2.0


class OutboxCollector:
    """The outbox per channel as of the last `refresh`: pending, dead, the oldest's wait.
    A channel once seen (or configured) stays listed at 0, so its series never just vanish."""

    def __init__(self) -> None:
        self.depths: dict[str, OutboxDepth] = {}
        self.channels: set[str] = set()
        self.database_up = True

    def update(self, depths: Iterable[OutboxDepth]) -> None:
        self.depths = {depth.channel: depth for depth in depths}
        self.channels.update(self.depths)
        self.database_up = True

    def describe(self) -> list[Metric]:
        return self._families()

    def collect(self) -> list[Metric]:
        messages, oldest, up = self._families()
        for channel in sorted(self.channels):
            depth = self.depths.get(channel) or OutboxDepth(channel, 0, 0, 0.0)
            messages.add_metric([channel, "pending"], depth.pending)
            messages.add_metric([channel, "dead"], depth.dead)
            oldest.add_metric([channel], depth.oldest_pending_seconds)
        up.add_metric([], 1.0 if self.database_up else 0.0)
        return [messages, oldest, up] if self.database_up else [up]

    @staticmethod
    def _families() -> list[Metric]:
        return [
            GaugeMetricFamily(
                "lapor_outbox_messages",
                "Outbox messages per channel waiting to be sent (pending) or given up (dead)",
                labels=["channel", "status"],
            ),
            GaugeMetricFamily(
                "lapor_outbox_oldest_pending_seconds",
                "How long the oldest pending message of the channel has waited",
                labels=["channel"],
            ),
            GaugeMetricFamily(
                "lapor_database_up",
                "Whether this scrape could read the database (0: the outbox is left out)",
                labels=[],
            ),
        ]


class PrometheusMetrics:
    """One app's metrics, in a registry of its own; implements lapor.metrics.Metrics."""

    def __init__(self, *, process: bool = True) -> None:
        registry = self.registry = CollectorRegistry()
        self.requests = Counter(
            "lapor_http_requests",
            "HTTP requests answered, by route (its pattern), method and status",
            ["method", "route", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "lapor_http_request_duration_seconds",
            "Time from a request's arrival to its handler's answer, by route and method",
            ["method", "route"],
            buckets=REQUEST_BUCKETS,
            registry=registry,
        )
        self.filed = Counter(
            "lapor_complaints_filed",
            "New complaints filed through this instance, by intake channel",
            ["channel"],
            registry=registry,
        )
        self.routing = Counter(
            "lapor_routing_decisions",
            "New complaints routed straight to an agency (auto) or left at the desk (desk)",
            ["decision"],
            registry=registry,
        )
        self.refusals = Counter(
            "lapor_rate_limit_refusals",
            "Requests refused past one of the city's rate limits, by limit",
            ["rule"],
            registry=registry,
        )
        self.job_runs = Counter(
            "lapor_job_runs",
            "Scheduled job runs in this instance, by job and outcome (ok or failed)",
            ["job", "outcome"],
            registry=registry,
        )
        self.job_seconds = Histogram(
            "lapor_job_duration_seconds",
            "How long each scheduled job's runs took",
            ["job"],
            buckets=JOB_BUCKETS,
            registry=registry,
        )
        for decision in ("auto", "desk"):
            self.routing.labels(decision)  # both at 0 from the start, so rate() sees the first
        self.outbox = OutboxCollector()
        registry.register(self.outbox)
        if process:  # the process's CPU, memory, open files, GC: as the default registry has
            for collector in (PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR):
                registry.register(collector)

    # -- lapor.metrics.Metrics, called by the core
    def complaint_filed(self, channel: str, *, auto_routed: bool) -> None:
        self.filed.labels(channel).inc()
        self.routing.labels("auto" if auto_routed else "desk").inc()

    def rate_limited(self, rule: str) -> None:
        self.refusals.labels(rule).inc()

    def job_ran(self, job_id: str, *, ok: bool, seconds: float) -> None:
        self.job_runs.labels(job_id, "ok" if ok else "failed").inc()
        self.job_seconds.labels(job_id).observe(seconds)

    # -- the web's own
    def expect_channels(self, channels: Iterable[str]) -> None:
        """The outbox's channels this instance sends through: listed at 0 when empty."""
        self.outbox.channels.update(channels)

    def request_done(self, method: str, route: str, status: int, seconds: float) -> None:
        method = method if method in METHODS else "other"
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    async def refresh(self, services: Services) -> None:
        """Read what lives in the database; when it cannot be read, say so and go on."""
        try:
            async with asyncio.timeout(DATABASE_SECONDS):
                depths = await outbox_depths(services)
        except Exception as error:  # the scrape still answers with what the process knows
            if self.outbox.database_up:
                log.warning("metrics without the outbox: database error=%s", type(error).__name__)
            self.outbox.database_up = False
            return
        self.outbox.update(depths)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


def route_label(request: web.Request) -> str:
    """The route's pattern (`/api/v1/complaints/{code}`), never the path asked for: a bounded
    set of labels whatever clients send; "unmatched" for a path no route has."""
    resource = request.match_info.route.resource
    return "unmatched" if resource is None else resource.canonical


def middleware(
    metrics: PrometheusMetrics,
) -> Callable[[web.Request, Callable[[web.Request], Awaitable[web.StreamResponse]]], Awaitable]:
    """Counts every answer and its time, errors included (put it outside problem_middleware,
    which turns exceptions into answers). A request the client abandoned is not counted."""

    @web.middleware
    async def count_requests(request: web.Request, handler) -> web.StreamResponse:
        started = time.perf_counter()
        try:
            response = await handler(request)
        except web.HTTPException as error:  # redirects and the like, raised
            _done(metrics, request, error.status, started)
            raise
        except asyncio.CancelledError:
            raise
        except Exception:
            _done(metrics, request, 500, started)
            raise
        _done(metrics, request, response.status, started)
        return response

    return count_requests


def _done(metrics: PrometheusMetrics, request: web.Request, status: int, started: float) -> None:
    metrics.request_done(
        request.method, route_label(request), status, time.perf_counter() - started
    )


def _local(request: web.Request) -> bool:
    """A loopback peer, with no proxy's header saying it speaks for someone else."""
    if any(name in request.headers for name in ("X-Forwarded-For", "Forwarded", "X-Real-IP")):
        return False
    try:
        peer = ipaddress.ip_address(request.remote or "")
    except ValueError:
        return False
    mapped = getattr(peer, "ipv4_mapped", None)
    return (mapped or peer).is_loopback


def _refusal(request: web.Request) -> web.Response | None:
    """None when the request may scrape; else the 401 or 403 problem to answer with."""
    token = request.app[SETTINGS].metrics_token
    if not token:
        if _local(request):
            return None
        return from_domain(Forbidden(i18n.t("metrics.local_only")))
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        response = from_domain(Unauthorized(i18n.t("metrics.token_required")))
        response.headers["WWW-Authenticate"] = 'Bearer realm="lapor metrics"'
        return response
    if not constant_time.same(given.strip(), token):
        return from_domain(Forbidden(i18n.t("metrics.wrong_token")))
    return None


@documented(
    summary="Prometheus metrics (text format): a bearer LAPOR_METRICS_TOKEN, or, without one, "
    "from a loopback address only",
    returns={"text/plain": None},
    problems=(401, 403),
    auth="optional",
)
async def scrape(request: web.Request) -> web.Response:
    refused = _refusal(request)
    if refused is not None:
        return refused
    metrics = request.app[METRICS]
    await metrics.refresh(request.app[SERVICES])
    return web.Response(
        body=metrics.exposition(),
        headers={"Content-Type": TEXT_FORMAT, "Cache-Control": "no-store"},
    )


def setup(app: web.Application) -> None:
    app.router.add_get(PATH, scrape)
