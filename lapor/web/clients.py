"""Who the client is, for the rate limits: the peer address, or, behind proxies named in
LAPOR_TRUSTED_PROXIES, the nearest address in X-Forwarded-For that is not one of them."""

from __future__ import annotations

import ipaddress

from aiohttp import web

from lapor import ratelimit
from lapor.settings import IPNetwork


def _trusted(address: str, proxies: tuple[IPNetwork, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_address(request: web.Request, proxies: tuple[IPNetwork, ...]) -> str:
    """The address a limit counts. X-Forwarded-For is read right to left (each proxy appends
    the address it saw), skipping trusted proxies; what a client wrote there itself, further
    left, is never reached past an untrusted hop."""
    peer = request.remote or "unknown"
    if not proxies or not _trusted(peer, proxies):
        return peer
    hops = [
        hop.strip()
        for header in request.headers.getall("X-Forwarded-For", [])
        for hop in header.split(",")
    ]
    for hop in reversed(hops):
        if not hop:
            continue
        if not _trusted(hop, proxies):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # garbage from a trusted proxy's client: count the proxy
    return peer


def address_of(request: web.Request) -> str:
    from lapor.web.keys import SETTINGS  # late: keys imports the bots, which import the web

    return client_address(request, request.app[SETTINGS].trusted_proxies)


def address_hit(request: web.Request, rule: str) -> ratelimit.Hit:
    """One hit of `rule` (a `RateLimits` field, e.g. "filing_per_address") for the client's
    address, to count with the work (`file_complaint(hit=...)`)."""
    from lapor.web.keys import SERVICES

    limit = getattr(request.app[SERVICES].city.limits, rule)
    return ratelimit.Hit(f"{rule}:address:{address_of(request)}", limit)


async def limit_address(request: web.Request, rule: str) -> str:
    """Count one hit of `rule` (a `RateLimits` field, e.g. "filing_per_address") for the
    client's address; raises TooManyRequests past the city's limit. Returns the address."""
    from lapor.web.keys import SERVICES

    services = request.app[SERVICES]
    address = address_of(request)
    limit = getattr(services.city.limits, rule)
    await ratelimit.hit(services, f"{rule}:address:{address}", limit)
    return address
