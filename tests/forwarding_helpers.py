"""What tests/test_forwarding.py and tests/test_webhooks.py share: an app whose city forwards
to fake external bodies on loopback, whose outbox the test drives itself, and the senders."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from types import MappingProxyType

from lapor.assembly import outbound_senders
from lapor.city.values import External
from lapor.outbox import dispatch_once

SECRET = "pln-secret-0123456789abcdef"
API_KEY = "bpjn-key-0123456789abcdef"
MAIL_TOKEN = "mail-token-0123456789abcdef"


class RecordingMail:
    """The e-mail channel's sender, recording what it was given."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict]] = []

    async def send(self, recipient, payload) -> None:
        self.sent.append((recipient, dict(payload)))


def forwarding_settings(settings):
    return replace(
        settings,
        smtp_host="127.0.0.1",
        smtp_from="lapor@kota-contoh.go.id",
        external_secrets={"PLN": SECRET},
        external_api_keys={"BPJN": API_KEY},
        mail_inbound_token=MAIL_TOKEN,
        webhook_timeout=5.0,
    )


def forwarding_city(city, pln_url: str, open311_url: str):
    bodies = {
        "PROV": External("PROV", "Pemerintah Provinsi", "Pemprov", "province", "email",
                         email="pengaduan@provinsi.go.id"),
        "PLN": External("PLN", "PT PLN UP3 Kota Contoh", "PLN", "bumn", "webhook", url=pln_url),
        "BPJN": External("BPJN", "Balai Jalan Nasional", "BPJN", "ministry", "open311",
                         url=open311_url, service_code="jalan_nasional"),
    }  # fmt: skip
    return replace(city, externals=MappingProxyType(bodies))


class Outbox:
    """The test's hand on the outbox: the chats' e-mail recorded, the rest sent for real."""

    def __init__(self, services, settings) -> None:
        self.services, self.mail = services, RecordingMail()
        outbound, self.poster = outbound_senders(settings, services.city, services, self.mail)
        self.senders = {**outbound, "email": self.mail}

    async def send(self) -> int:
        return await dispatch_once(self.services.pool, self.senders, self.services.clock)

    async def close(self) -> None:
        await self.poster.close()
        await asyncio.sleep(0)
