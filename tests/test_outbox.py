import asyncio
from datetime import timedelta

import pytest
from helpers import VALID
from lifecycle_helpers import act, file

from lapor import outbox, tracking
from lapor.outbox import Backoff, Dispatcher, Message, PermanentFailure, RetryAfter, dispatch_once


class RecordingSender:
    """Delivers into a list; can be told to fail the next calls in a given way."""

    def __init__(self) -> None:
        self.delivered: list[tuple[str, dict]] = []
        self.failures: list[Exception] = []
        self.arrived = asyncio.Event()

    async def send(self, recipient, payload) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.delivered.append((recipient, dict(payload)))
        self.arrived.set()


def message(n: int = 1, **overrides) -> Message:
    fields = {"channel": "telegram", "recipient": "5001", "kind": "test", "text": f"pesan {n}"}
    return Message(**{**fields, **overrides})


async def rows(services) -> list:
    async with services.pool.acquire() as conn:
        return await conn.fetch("SELECT * FROM outbox ORDER BY id")


async def queue(services, *messages: Message) -> None:
    async with services.pool.acquire() as conn, conn.transaction():
        for m in messages:
            await outbox.enqueue(conn, m, services.clock.now())


async def test_a_rolled_back_change_queues_nothing(services):
    with pytest.raises(RuntimeError):
        async with services.pool.acquire() as conn, conn.transaction():
            await outbox.enqueue(conn, message(), services.clock.now())
            raise RuntimeError("the change failed")
    assert await rows(services) == []


async def test_the_same_dedupe_key_is_queued_once(services):
    await queue(services, message(dedupe_key="status:1"), message(2, dedupe_key="status:1"))
    assert [r["payload"]["text"] for r in await rows(services)] == ["pesan 1"]


async def test_due_messages_are_sent_in_order_and_marked(services):
    sender = RecordingSender()
    await queue(services, message(1), message(2), message(3, channel="whatsapp"))
    assert await dispatch_once(services.pool, {"telegram": sender}, services.clock) == 2
    assert [p["text"] for _, p in sender.delivered] == ["pesan 1", "pesan 2"]
    assert [r["status"] for r in await rows(services)] == ["sent", "sent", "pending"]


async def test_a_failure_backs_off_keeps_the_error_and_succeeds_later(services, clock):
    sender = RecordingSender()
    sender.failures = [ConnectionError("500 from the channel")]
    await queue(services, message())
    backoff = Backoff(base=10, factor=2)
    assert await dispatch_once(services.pool, {"telegram": sender}, clock, backoff=backoff) == 0
    (row,) = await rows(services)
    assert (row["status"], row["attempts"]) == ("pending", 1)
    assert row["next_attempt_at"] == clock.now() + timedelta(seconds=10)
    assert "500 from the channel" in row["last_error"]
    assert await dispatch_once(services.pool, {"telegram": sender}, clock, backoff=backoff) == 0
    clock.advance(timedelta(seconds=10))
    assert await dispatch_once(services.pool, {"telegram": sender}, clock, backoff=backoff) == 1
    assert sender.delivered == [("5001", {"text": "pesan 1", "buttons": []})]


async def test_retry_after_is_honoured(services, clock):
    sender = RecordingSender()
    sender.failures = [RetryAfter(37)]
    await queue(services, message())
    await dispatch_once(services.pool, {"telegram": sender}, clock)
    (row,) = await rows(services)
    assert row["next_attempt_at"] == clock.now() + timedelta(seconds=37)


async def test_permanent_failures_and_exhausted_attempts_end_dead(services, clock):
    sender = RecordingSender()
    sender.failures = [PermanentFailure("bot was blocked by the user")] + [OSError("down")] * 3
    await queue(services, message(1), message(2))
    backoff = Backoff(base=1, factor=1, max_attempts=3)
    for _ in range(4):
        await dispatch_once(services.pool, {"telegram": sender}, clock, backoff=backoff)
        clock.advance(timedelta(seconds=1))
    first, second = await rows(services)
    assert (first["status"], first["attempts"]) == ("dead", 1)
    assert (second["status"], second["attempts"]) == ("dead", 3)
    assert sender.delivered == []


async def test_two_dispatchers_at_once_send_each_message_exactly_once(services):
    sender = RecordingSender()
    await queue(services, *(message(n) for n in range(40)))
    await asyncio.gather(
        *(
            dispatch_once(services.pool, {"telegram": sender}, services.clock, batch=7)
            for _ in range(8)
        )
    )
    while await dispatch_once(services.pool, {"telegram": sender}, services.clock):
        pass
    texts = [p["text"] for _, p in sender.delivered]
    assert sorted(texts) == sorted(f"pesan {n}" for n in range(40))
    assert len(texts) == len(set(texts)) == 40


async def test_the_dispatcher_wakes_on_commit(services):
    sender = RecordingSender()
    dispatcher = Dispatcher(services.pool, {"telegram": sender}, services.clock, idle_seconds=60)
    await dispatcher.start()
    try:
        await asyncio.sleep(0.1)
        await queue(services, message())
        await asyncio.wait_for(sender.arrived.wait(), 5)
    finally:
        await dispatcher.stop()
    assert [p["text"] for _, p in sender.delivered] == ["pesan 1"]


async def test_a_chat_reporter_is_told_of_each_public_move(client, services, accounts):
    code = (await file(client))["tracking_code"]
    async with services.pool.acquire() as conn:
        await conn.execute(
            "UPDATE reporter SET channel = 'telegram', chat_id = '777' "
            "WHERE id = (SELECT reporter_id FROM complaint WHERE tracking_code = $1)",
            code,
        )
    await act(client, code, accounts["dpupr"], "start", internal_note="tidak untuk warga")
    await act(client, code, accounts["dpupr"], "resolve", note="Lubang sudah ditambal.")
    sent = await rows(services)
    assert [(r["recipient"], r["kind"]) for r in sent] == [("777", "status"), ("777", "status")]
    assert "sedang diproses" in sent[0]["payload"]["text"]
    assert "tidak untuk warga" not in sent[0]["payload"]["text"]
    assert "Lubang sudah ditambal." in sent[1]["payload"]["text"]
    assert f"/lacak/{code}" in sent[1]["payload"]["text"]


async def test_a_web_reporter_is_told_by_email_and_only_with_an_address(client, services, accounts):
    code = (await file(client))["tracking_code"]  # left siti.r@contoh.id
    await act(client, code, accounts["dpupr"], "respond", note="Tim survei datang Kamis.")
    sent = await rows(services)
    assert [(r["channel"], r["recipient"], r["kind"]) for r in sent] == [
        ("email", "siti.r@contoh.id", "status")
    ]
    assert "Tim survei datang Kamis." in sent[0]["payload"]["text"]
    assert sent[0]["payload"]["subject"] == f"Perkembangan laporan {tracking.display(code)}"
    silent = await file(
        client, reporter={"name": "Budi", "phone": "081311112222"}, text=VALID["text"] + " Lagi."
    )
    await act(client, silent["tracking_code"], accounts["dpupr"], "start")
    assert len(await rows(services)) == 1  # no address, no message (and never a chat one)
