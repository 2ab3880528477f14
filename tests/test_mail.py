"""The e-mail channel against a real SMTP server (aiosmtpd) on 127.0.0.1."""

import socket
from email import message_from_bytes
from email.policy import default as default_policy

import aiosmtplib
import pytest
from aiosmtpd.controller import Controller

from lapor import outbox
from lapor.mail import EmailSender
from lapor.outbox import Message, PermanentFailure, dispatch_once

REFUSED = "nobody@kota-contoh.go.id"


class RecordingHandler:
    """Keeps every message the server accepted; refuses one address like a real server."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == REFUSED:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield handler, controller.port
    finally:
        controller.stop()


def sender_for(port: int) -> EmailSender:
    return EmailSender(
        host="127.0.0.1", port=port, sender="lapor@kota-contoh.go.id", starttls=False, timeout=10
    )


async def test_a_message_arrives_with_its_subject_and_indonesian_text(smtp_server):
    handler, port = smtp_server
    await sender_for(port).send(
        "kadis@dpupr.kota-contoh.go.id",
        {
            "text": "Batas waktu tanggapan pertama terlewati: laporan ABCDE-FGH12 (Jalan Rusak).",
            "subject": "[lapor] Eskalasi: batas waktu laporan ABCDE-FGH12 terlewati",
            "buttons": [],
        },
    )
    ((mail_from, rcpt_tos, content),) = handler.received
    assert (mail_from, rcpt_tos) == ("lapor@kota-contoh.go.id", ["kadis@dpupr.kota-contoh.go.id"])
    parsed = message_from_bytes(content, policy=default_policy)
    assert parsed["Subject"] == "[lapor] Eskalasi: batas waktu laporan ABCDE-FGH12 terlewati"
    assert parsed["To"] == "kadis@dpupr.kota-contoh.go.id"
    assert parsed["Message-ID"].endswith("@kota-contoh.go.id>")
    assert "Jalan Rusak" in parsed.get_content()


async def test_a_refused_recipient_is_a_permanent_failure(smtp_server):
    _, port = smtp_server
    with pytest.raises(PermanentFailure, match="recipient refused"):
        await sender_for(port).send(REFUSED, {"text": "halo"})


async def test_an_unreachable_server_is_retried_not_given_up():
    with pytest.raises(aiosmtplib.SMTPException) as caught:
        await sender_for(free_port()).send("kadis@dpupr.kota-contoh.go.id", {"text": "halo"})
    assert not isinstance(caught.value, PermanentFailure)


async def test_the_outbox_delivers_email_through_the_sender(smtp_server, services):
    handler, port = smtp_server
    async with services.pool.acquire() as conn, conn.transaction():
        await outbox.enqueue(
            conn,
            Message(
                channel="email",
                recipient="sekda@kota-contoh.go.id",
                kind="escalation",
                text="Eskalasi ke Setda.",
                extra={"subject": "[lapor] Eskalasi"},
            ),
            services.clock.now(),
        )
    assert await dispatch_once(services.pool, {"email": sender_for(port)}, services.clock) == 1
    assert [rcpt for _, rcpt, _ in handler.received] == [["sekda@kota-contoh.go.id"]]
    async with services.pool.acquire() as conn:
        assert await conn.fetchval("SELECT status FROM outbox") == "sent"
