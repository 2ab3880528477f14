"""The ports and shared objects the core needs, assembled once by the entry point."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from lapor.city import CityConfig
from lapor.clock import Clock
from lapor.photo_store import PhotoStore
from lapor.routing import Router


@dataclass
class Services:
    pool: asyncpg.Pool
    city: CityConfig
    clock: Clock
    photos: PhotoStore
    router: Router
    secret_key: str
    base_url: str

    def status_url(self, tracking_code: str) -> str:
        return f"{self.base_url}/lacak/{tracking_code}"
