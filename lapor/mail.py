"""The e-mail channel: an outbox ``Sender`` that hands messages to an SMTP server.

Officials who are not on Telegram get their SLA reminders and escalations by e-mail. The
outbox retries what fails; this sender only says which failures are worth retrying: a 5xx
answer about the recipient is final, anything else (a refused connection, a 4xx "try later",
a timeout) is tried again with backoff.
"""

from __future__ import annotations

import email.utils
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import aiosmtplib

from lapor import i18n
from lapor.outbox import PermanentFailure
from lapor.settings import Settings


@dataclass(frozen=True)
class EmailSender:
    host: str
    port: int
    sender: str  # the From address
    username: str = ""
    password: str = field(default="", repr=False)
    starttls: bool = True
    timeout: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> EmailSender:
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_from,
            username=settings.smtp_username,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
        )

    def compose(self, recipient: str, payload: Mapping[str, Any]) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = recipient
        message["Subject"] = payload.get("subject") or i18n.t("email.default_subject")
        message["Date"] = email.utils.formatdate(localtime=False)
        message["Message-ID"] = email.utils.make_msgid(domain=self.sender.rpartition("@")[2])
        text = payload.get("text", "")
        buttons = payload.get("buttons") or []
        if buttons:  # e-mail has no buttons: list the choices under the text
            text += "\n\n" + "\n".join(f"- {label}" for label, _ in buttons)
        message.set_content(text)
        return message

    async def send(self, recipient: str, payload: Mapping[str, Any]) -> None:
        message = self.compose(recipient, payload)
        try:
            await aiosmtplib.send(
                message,
                hostname=self.host,
                port=self.port,
                username=self.username or None,
                password=self.password or None,
                start_tls=self.starttls,
                timeout=self.timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as error:
            raise PermanentFailure(f"recipient refused: {error}") from error
        except aiosmtplib.SMTPResponseException as error:
            # 5xx is the server's final word on this message; 4xx asks us to come back later.
            if 500 <= error.code < 600 and not isinstance(
                error, aiosmtplib.SMTPAuthenticationError
            ):
                raise PermanentFailure(f"{error.code} {error.message}") from error
            raise
