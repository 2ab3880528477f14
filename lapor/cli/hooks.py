"""`lapor webhooks add|list|revoke`: the subscribers to complaint events; `lapor mail receive`:
a reply to a forwarded complaint, as the raw message on stdin (a mail server's pipe)."""

from __future__ import annotations

import argparse
import sys

from lapor.cli.common import _services
from lapor.settings import Settings


def add_parsers(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("webhooks", help="outbound webhooks: add, list and revoke subscribers")
    commands = parser.add_subparsers(dest="webhooks_command", required=True)
    add = commands.add_parser("add", help="a new subscriber; its signing secret is printed once")
    add.add_argument("name", help="lower-case letters, digits, . _ - (e.g. dasbor-kota)")
    add.add_argument("url", help="where the events are POSTed (http or https)")
    add.add_argument(
        "--event",
        action="append",
        dest="events",
        help="complaint.created or complaint.status_changed (repeatable; default: both)",
    )
    commands.add_parser("list", help="every subscriber, its events and delivery attempts")
    revoke = commands.add_parser("revoke", help="revoke a subscriber: it gets nothing more")
    revoke.add_argument("name")
    mail = sub.add_parser("mail", help="e-mail replies of external bodies")
    mail_commands = mail.add_subparsers(dest="mail_command", required=True)
    mail_commands.add_parser(
        "receive", help="read one reply (the raw message) on stdin and add it to its complaint"
    )


async def run_webhooks(settings: Settings, args: argparse.Namespace) -> int:
    from lapor import hooks

    async with _services(settings) as services:
        if args.webhooks_command == "add":
            _, secret = await hooks.add(
                services, args.name, args.url, tuple(args.events or hooks.EVENTS)
            )
            print(f"signing secret for {args.name} (shown once; give it to the subscriber):")
            print(secret)
        elif args.webhooks_command == "revoke":
            await hooks.revoke(services, args.name)
            print(f"webhook subscriber {args.name} revoked")
        else:
            for entry in await hooks.subscriptions(services):
                state = "revoked" if entry.revoked_at else "live"
                print(
                    f"{entry.name:<24} {state:<8} {','.join(entry.events):<50} "
                    f"{entry.attempts:>6} attempts  {entry.url}"
                )
    return 0


async def run_mail(settings: Settings, args: argparse.Namespace) -> int:
    from lapor import forwarding

    raw = sys.stdin.buffer.read(1024 * 1024 + 1)
    if len(raw) > 1024 * 1024:
        print("lapor: the message is larger than 1 MB", file=sys.stderr)
        return 1
    async with _services(settings) as services:
        event = await forwarding.answer_from_mail(services, raw)
    print("reply recorded" if event is not None else "reply already recorded")
    return 0
