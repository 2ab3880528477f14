"""A fake SMTP server on 127.0.0.1 for tests: aiosmtpd's real SMTP protocol on the test's own
event loop, keeping every message it accepted, parsed, so lapor's EmailSender (aiosmtplib)
runs unmocked. Plain SMTP, no STARTTLS, no authentication: point the sender at it with
``smtp_starttls=False`` (``FakeMail.settings()``)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any, Self

from aiosmtpd.smtp import SMTP, Envelope

__all__ = ["FakeMail", "Mail"]


@dataclass(frozen=True)
class Mail:
    """One message the server accepted."""

    mail_from: str
    recipients: tuple[str, ...]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        return self.message.get_content()


class _Recorder:
    def __init__(self, received: list[Mail]) -> None:
        self.received = received

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:
        content = envelope.content
        raw = content if isinstance(content, bytes) else str(content).encode()
        parsed = message_from_bytes(raw, policy=default_policy)
        assert isinstance(parsed, EmailMessage)
        self.received.append(
            Mail(str(envelope.mail_from), tuple(envelope.rcpt_tos), parsed)  # type: ignore[arg-type]
        )
        return "250 Message accepted for delivery"


class FakeMail:
    """``async with FakeMail() as fake``: listening on ``fake.port`` until the block ends."""

    host = "127.0.0.1"
    sender = "lapor@kota-contoh.go.id"

    def __init__(self) -> None:
        self.received: list[Mail] = []
        self._server: asyncio.base_events.Server | None = None
        self.port = 0

    async def __aenter__(self) -> Self:
        handler = _Recorder(self.received)
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: SMTP(handler, hostname="fake-smtp.test"), self.host, 0
        )
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    def settings(self) -> dict[str, Any]:
        """The Settings fields that send lapor's e-mail here."""
        return {
            "smtp_host": self.host,
            "smtp_port": self.port,
            "smtp_from": self.sender,
            "smtp_starttls": False,
        }

    def sent_to(self, address: str) -> list[Mail]:
        return [mail for mail in self.received if address in mail.recipients]
