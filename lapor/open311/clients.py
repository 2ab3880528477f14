"""The partners that file through Open311, each with an api_key the city's admin issues
(`lapor open311 add NAME`) and revokes. Like an officer's API token, a key is 256 random
bits shown once and stored as its SHA-256."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from lapor import i18n
from lapor.errors import Forbidden, ValidationFailed
from lapor.repo import open311 as repo

if TYPE_CHECKING:
    from lapor.context import Services

log = logging.getLogger(__name__)

KEY_PREFIX = "o311_"
NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,62}$")


@dataclass(frozen=True)
class Client:
    id: int
    name: str


@dataclass(frozen=True)
class ClientEntry:
    name: str
    created_at: datetime
    revoked_at: datetime | None


def _sha256(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


async def issue_key(services: Services, name: str) -> str:
    """A new partner and its api_key (returned once; only its hash is kept)."""
    if not NAME.match(name):
        raise ValidationFailed.on("name", i18n.t("open311.client_name"))
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    async with services.pool.acquire() as conn:
        created = await repo.insert_client(conn, name, _sha256(key), services.clock.now())
    if created is None:
        raise ValidationFailed.on("name", i18n.t("open311.client_taken", name=name))
    log.info("open311 client added name=%s", name)
    return key


async def authenticate(services: Services, key: str | None) -> Client:
    """The partner behind a live api_key; Forbidden (Open311's 403) for none, an unknown or a
    revoked one."""
    if not key:
        raise Forbidden(i18n.t("open311.api_key_missing"))
    async with services.pool.acquire() as conn:
        row = await repo.live_client(conn, _sha256(key))
    if row is None:
        raise Forbidden(i18n.t("open311.api_key_invalid"))
    return Client(row["id"], row["name"])


async def revoke(services: Services, name: str) -> bool:
    """Revoke the partner's key; False when it has no live one."""
    async with services.pool.acquire() as conn:
        revoked = await repo.revoke_client(conn, name, services.clock.now())
    if revoked:
        log.info("open311 client revoked name=%s", name)
    return revoked


async def list_clients(services: Services) -> list[ClientEntry]:
    async with services.pool.acquire() as conn:
        rows = await repo.clients(conn)
    return [ClientEntry(row["name"], row["created_at"], row["revoked_at"]) for row in rows]
