"""`lapor open311 add|list|revoke`: the partners that file through Open311 and their api keys."""

from __future__ import annotations

import argparse

from lapor.cli.common import _services
from lapor.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("open311", help="Open311 partners: issue, list and revoke api keys")
    commands = parser.add_subparsers(dest="open311_command", required=True)
    add = commands.add_parser("add", help="a new partner; its api_key is printed once")
    add.add_argument("name", help="lower-case letters, digits, . _ - (e.g. aplikasi-warga)")
    commands.add_parser("list", help="every partner, and whether its key is live")
    revoke = commands.add_parser("revoke", help="revoke a partner's key: it files nothing more")
    revoke.add_argument("name")


async def run(settings: Settings, args: argparse.Namespace) -> int:
    from lapor import open311

    async with _services(settings) as services:
        if args.open311_command == "add":
            key = await open311.issue_key(services, args.name)
            print(f"api_key for {args.name} (shown once; give it to the partner):\n{key}")
        elif args.open311_command == "revoke":
            if not await open311.revoke(services, args.name):
                print(f"lapor: {args.name!r} has no live api_key")
                return 1
            print(f"api_key of {args.name} revoked")
        else:
            for entry in await open311.list_clients(services):
                state = "revoked" if entry.revoked_at else "live"
                print(f"{entry.name:<32} {state:<8} since {entry.created_at:%Y-%m-%d}")
    return 0
