"""Open311 GeoReport v2: another door to the same complaints, for partners' systems.

`catalogue` holds what lapor offers (the city's categories as services, their definitions, its
statuses in GeoReport's words), `clients` the partners' api keys, `requests` filing through the
one intake and filing service and reading requests and their public updates by the public
pages' privacy rules, `schemas` the edge's models. The formats (JSON, XML) are the web door's
(lapor/web/open311_api.py)."""

from __future__ import annotations

from lapor.open311.catalogue import (
    ATTRIBUTES,
    GROUPS,
    MOVE_WORDS,
    STATUS_WORDS,
    definition,
    discovery,
    services,
)
from lapor.open311.clients import (
    Client,
    ClientEntry,
    authenticate,
    issue_key,
    list_clients,
    revoke,
)
from lapor.open311.requests import (
    check_jurisdiction,
    file_request,
    find_requests,
    find_token,
    get_request,
    request_token,
    updates,
)

__all__ = [
    "ATTRIBUTES",
    "GROUPS",
    "MOVE_WORDS",
    "STATUS_WORDS",
    "Client",
    "ClientEntry",
    "authenticate",
    "check_jurisdiction",
    "definition",
    "discovery",
    "file_request",
    "find_requests",
    "find_token",
    "get_request",
    "issue_key",
    "list_clients",
    "request_token",
    "revoke",
    "services",
    "updates",
]
