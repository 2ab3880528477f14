"""The one aiohttp application: API, status page, health checks; assembled in one place."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Mapping

from aiohttp import web

import lapor.web.api_complaints  # noqa: F401  importing them adds their handlers to api.routes
import lapor.web.api_officers  # noqa: F401  (complaints first: the order of the paths)
import lapor.web.api_team  # noqa: F401
from bots import survey
from bots.engine import Engine, MediaFetcher
from bots.sms import SmsChannel
from bots.whatsapp import WhatsAppChannel
from lapor import city_edits, forwarding, schemas, sla
from lapor.assembly import all_jobs, build_services, outbound_senders
from lapor.city import CityConfig, load_city
from lapor.clock import Clock
from lapor.db import Reachability, create_pool, mask_dsn, open_replica, ping
from lapor.mail import EmailSender
from lapor.outbox import Dispatcher, Policy, Sender
from lapor.photos import MAX_PHOTO_BYTES, MAX_PHOTOS
from lapor.reference import sync_city
from lapor.routing import CategoryRouter, ClassifierRouter, Router
from lapor.scheduler import Scheduler
from lapor.settings import Settings
from lapor.web import (
    api,
    api_support,
    forward_hooks,
    lost_codes,
    officer_pages,
    open311_api,
    open_data_routes,
    pagekit,
    pages,
    reads,
    reports_api,
    support_pages,
    survey_pages,
)
from lapor.web import metrics as web_metrics
from lapor.web.headers import security_headers_middleware, security_headers_on_prepare
from lapor.web.inflight import IN_FLIGHT, InFlight, in_flight_middleware
from lapor.web.keys import (
    ENGINE,
    METRICS,
    REACHABILITY,
    SCHEDULER,
    SERVICES,
    SETTINGS,
    SMS,
    TELEGRAM,
    WHATSAPP,
)
from lapor.web.openapi import documented, openapi_document
from lapor.web.problems import database_down, problem_middleware

log = logging.getLogger(__name__)

# Five photos of 5 MB and the form around them; JSON bodies have their own, smaller limit.
CLIENT_MAX_SIZE = MAX_PHOTOS * MAX_PHOTO_BYTES + 1024 * 1024


def create_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    city: CityConfig | None = None,
    router: Router | None = None,
    senders: Mapping[str, Sender] | None = None,
) -> web.Application:
    if not settings.database_url:
        raise ValueError("create_app needs settings.database_url (the entry point resolves it)")
    city = city or load_city(settings.city)
    prometheus = web_metrics.PrometheusMetrics()  # this app's own registry (lapor/web/metrics.py)
    app = web.Application(
        middlewares=[
            in_flight_middleware,  # outermost: a graceful stop waits for what it counts
            web_metrics.middleware(prometheus),  # every answer, errors included, and its time
            security_headers_middleware(settings),  # errors and redirects get them too
            problem_middleware,
            pagekit.csrf_middleware,
            reads.recent_write_middleware,  # inside CSRF: a refused form wrote nothing
        ],
        client_max_size=CLIENT_MAX_SIZE,
    )
    app[SETTINGS] = settings
    app.on_response_prepare.append(security_headers_on_prepare(settings))
    app[IN_FLIGHT] = InFlight()
    app[METRICS] = prometheus
    # Logs a database outage once, however many requests meet it (lapor.web.problems).
    reachability = app[REACHABILITY] = Reachability()
    # Chat channels: each configured one brings its sender and photo fetcher. `senders`, when
    # given, replaces the channels' senders (tests drive the outbox themselves).
    channel_senders: dict[str, Sender] = {}
    channel_media: dict[str, MediaFetcher] = {}
    # -- telegram (bots/telegram.py) --
    if settings.telegram_bot_token:
        # Imported here: aiogram costs seconds of start-up that a city without Telegram skips.
        from bots.telegram import TelegramChannel, mount_webhook

        telegram = app[TELEGRAM] = TelegramChannel.from_settings(settings)
        channel_senders["telegram"] = telegram.sender
        channel_media["telegram"] = telegram.media
        mount_webhook(app, telegram.dispatcher, telegram.bot, settings.telegram_webhook_secret)
    # -- end telegram --
    # -- email (lapor/mail.py) --
    if settings.smtp_host:
        channel_senders["email"] = EmailSender.from_settings(settings)
    # -- end email --
    # -- whatsapp (bots/whatsapp.py) --
    if settings.whatsapp_enabled:
        whatsapp = app[WHATSAPP] = WhatsAppChannel(settings)
        channel_senders["whatsapp"] = whatsapp.sender
        channel_media["whatsapp"] = whatsapp.media
        whatsapp.mount(app)  # the webhook, and the Graph session opened before the database
    # -- end whatsapp --
    # -- sms (bots/sms.py) --
    if settings.sms_enabled:
        sms = app[SMS] = SmsChannel(settings)
        channel_senders["sms"] = sms.sender  # no photos on SMS: no media fetcher
        sms.mount(app)  # the webhook, and the gateway session opened before the database
    # -- end sms --
    prometheus.expect_channels(channel_senders if senders is None else senders)

    async def database(app: web.Application) -> AsyncIterator[None]:
        pool = await create_pool(
            settings.database_url, pooled=settings.pooled, reachability=reachability
        )
        replica = None
        try:
            replica = await open_replica(
                settings.database_replica_url, pool, pooled=settings.pooled
            )
            async with pool.acquire() as conn:
                await ping(conn)
                # The city file with the admin's edits over it (lapor/city_edits.py).
                edited = await sync_city(conn, city)
                chosen_router = router or await routing_for(conn, edited)
            log.info("database ready dsn=%s city=%s", mask_dsn(settings.database_url), city.key)
            for variable in forwarding.check_secrets(settings, city):  # said at start, not at send
                log.warning("external body cannot be reached: %s is not set", variable)
            app[SERVICES] = build_services(
                settings,
                edited,
                pool,
                chosen_router,
                clock=clock,
                replica=replica,
                metrics=prometheus,
            )
            app[SERVICES].seed_city = city
            city_edits.use(app[SERVICES], edited)  # a router given to create_app included
            await app[SERVICES].photos.open()  # closed below, before the pool
            await asyncio.to_thread(sla.warm_calendar, city, app[SERVICES].clock.now())
            # One engine for every channel; the aiogram dispatcher reaches it as dp["engine"].
            engine = app[ENGINE] = Engine(app[SERVICES], channel_media)
            survey.register(engine)  # survey answers arrive as button taps on any channel
            if TELEGRAM in app:
                app[TELEGRAM].dispatcher["engine"] = engine
            if WHATSAPP in app:
                app[WHATSAPP].start(engine, app[SERVICES])
            if SMS in app:
                app[SMS].attach(engine)
            yield
        finally:
            if SERVICES in app:
                await app[SERVICES].photos.close()
            if replica is not None:
                await replica.close()
            await pool.close()

    async def delivery(app: web.Application) -> AsyncIterator[None]:
        services = app[SERVICES]
        chosen = channel_senders if senders is None else senders
        # Events to webhook subscribers and complaints forwarded beyond the city (§3).
        outbound, poster = outbound_senders(settings, city, services, channel_senders.get("email"))
        if senders is None:
            chosen = {**chosen, **outbound}
        policy = Policy.from_settings(settings)
        # Behind a transaction pooler the LISTEN needs a connection of its own past it.
        listen_url = settings.listen_url
        listen_pool = None
        if chosen and listen_url and listen_url != settings.database_url:
            listen_pool = await create_pool(listen_url, min_size=1, max_size=1)
        dispatcher = Dispatcher(
            services.pool,
            chosen,
            services.clock,
            policy=policy,
            listen=listen_url is not None,
            listen_pool=listen_pool,
        )
        if listen_url is None and chosen:
            log.info("outbox polls every second: no LISTEN behind a transaction pooler")
        try:
            await dispatcher.start()
            yield
        finally:
            await dispatcher.stop()
            await poster.close()
            if listen_pool is not None:
                await listen_pool.close()
            if TELEGRAM in app:  # after the last send; aiogram closes it on shutdown too
                await app[TELEGRAM].bot.session.close()

    # -- scheduler (lapor/scheduler.py) --
    async def scheduled_jobs(app: web.Application) -> AsyncIterator[None]:
        scheduler = app[SCHEDULER] = Scheduler(
            app[SERVICES], all_jobs(settings, city), retry_after=settings.job_retry_seconds
        )
        if settings.scheduler:
            await scheduler.start()
        try:
            yield
        finally:
            await scheduler.stop()

    # -- end scheduler --

    app.cleanup_ctx.append(database)
    app.cleanup_ctx.append(delivery)
    app.cleanup_ctx.append(scheduled_jobs)
    pagekit.setup(app)  # templates, /static
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/api/openapi.json", openapi)
    web_metrics.setup(app)  # /metrics, for Prometheus
    # /api/v1/complaints/similar before api.py's /api/v1/complaints/{code}
    app.router.add_routes(api_support.routes)
    app.router.add_routes(api.routes)
    pages.setup(app)  # public pages: /, /lacak, /laporan, /kinerja
    app.router.add_routes(support_pages.routes)  # /dukung/{code}: "Saya juga mengalami"
    app.router.add_routes(officer_pages.routes)  # /petugas/...
    # --- issue 7: monthly reports and satisfaction surveys
    app.router.add_routes(reports_api.routes)
    app.router.add_routes(survey_pages.routes)
    # --- end of issue 7
    app.router.add_routes(lost_codes.routes)  # issue 16: the "Lupa kode?" page
    # --- issue 18: Open311 GeoReport v2 (/open311/v2/) and open data (/data/)
    app.router.add_routes(open311_api.routes)
    open_data_routes.setup(app)
    app.router.add_routes(forward_hooks.routes)  # answers of external bodies (§3)
    # --- end of issue 18
    return app


async def routing_for(conn, city: CityConfig) -> Router:
    """The active model routes; without one, only the citizen's category can (and the desk)."""
    from lapor.models import load_active

    model = await load_active(conn)
    if model is None:
        log.warning("no active model: routing by the reporter's category only (run lapor train)")
        return CategoryRouter(city)
    log.info("model loaded version=%s threshold=%.3f", model.version, model.threshold)
    return ClassifierRouter(city, model)


@documented(summary="The process is alive", returns=schemas.Health)
async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


@documented(summary="The database answers", returns=schemas.Health, problems=(503,))
async def readyz(request: web.Request) -> web.Response:
    reachability = request.app[REACHABILITY]
    try:
        async with request.app[SERVICES].pool.acquire(timeout=2) as conn:
            await ping(conn, within=2)
    except Exception as error:  # any failure to reach the database means "not ready"
        if not reachability.failed(error):  # an outage is logged once, when it starts
            log.warning("readiness check failed error=%s", type(error).__name__)
        return database_down(request, page=False)
    reachability.reached()
    return web.json_response({"status": "ready"})


@documented(summary="This document", returns=schemas.Loose)
async def openapi(request: web.Request) -> web.Response:
    return web.json_response(openapi_document(request.app))
