"""pytest fixtures that start a fake API server per test and stop it afterwards.

Loaded as a plugin (``pytest_plugins = ["fakes.fixtures"]`` in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from .mail import FakeMail
from .sms import FakeSmsGateway
from .telegram import FakeTelegram
from .whatsapp import FakeWhatsApp


@pytest_asyncio.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    """A started FakeTelegram for token ``123456:TEST``; ``fake_telegram.bot()`` gives an
    aiogram Bot wired to it."""
    async with FakeTelegram(token="123456:TEST") as fake:
        yield fake


@pytest_asyncio.fixture
async def fake_whatsapp(clock) -> AsyncIterator[FakeWhatsApp]:
    """A started FakeWhatsApp for token ``wa-test-token``, phone number id ``1234567890``,
    Graph version ``v21.0``, on the test's clock (its 24-hour windows move with it)."""
    async with FakeWhatsApp(
        token="wa-test-token", phone_number_id="1234567890", version="v21.0", clock=clock.now
    ) as fake:
        yield fake


@pytest_asyncio.fixture
async def fake_sms() -> AsyncIterator[FakeSmsGateway]:
    """A started FakeSmsGateway (Twilio's API) for its default account, token and number,
    signing its webhooks for http://lapor.test/webhooks/sms (the tests' LAPOR_PUBLIC_URL)."""
    async with FakeSmsGateway() as fake:
        yield fake


@pytest_asyncio.fixture
async def fake_mail() -> AsyncIterator[FakeMail]:
    """A started FakeMail (an SMTP server on loopback); ``fake_mail.settings()`` gives the
    Settings fields that send lapor's e-mail to it."""
    async with FakeMail() as fake:
        yield fake
