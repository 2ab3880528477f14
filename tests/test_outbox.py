import asyncio
from datetime import timedelta

import pytest
from helpers import VALID
from lifecycle_helpers import act, file

from lapor import outbox, tracking
from lapor.outbox import (
    Dispatcher,
    Message,
    PartlySent,
    PermanentFailure,
    Policy,
    RetryAfter,
    dispatch_once,
)
from lapor.outbox_pacing import ChannelLimits, Lane


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
    policy = Policy(backoff_base=10, backoff_factor=2)
    assert await dispatch_once(services.pool, {"telegram": sender}, clock, policy=policy) == 0
    (row,) = await rows(services)
    assert (row["status"], row["attempts"]) == ("pending", 1)
    assert row["next_attempt_at"] == clock.now() + timedelta(seconds=10)
    assert "500 from the channel" in row["last_error"]
    assert await dispatch_once(services.pool, {"telegram": sender}, clock, policy=policy) == 0
    clock.advance(timedelta(seconds=10))
    assert await dispatch_once(services.pool, {"telegram": sender}, clock, policy=policy) == 1
    assert sender.delivered == [("5001", {"text": "pesan 1", "buttons": []})]


async def test_retry_after_is_honoured_and_is_not_a_failed_try(services, clock):
    sender = RecordingSender()
    sender.failures = [RetryAfter(37)]
    await queue(services, message())
    await dispatch_once(services.pool, {"telegram": sender}, clock)
    (row,) = await rows(services)
    assert row["next_attempt_at"] == clock.now() + timedelta(seconds=37)
    assert (row["status"], row["attempts"]) == ("pending", 0)
    assert "RetryAfter" in row["last_error"]


async def test_a_429_pauses_the_channel_instead_of_burning_the_batch(services, clock):
    sender = RecordingSender()
    sender.failures = [RetryAfter(30)]
    await queue(services, *(message(n, recipient=str(6000 + n)) for n in range(5)))
    await queue(services, message(9, channel="email", recipient="a@contoh.id"))
    mail = RecordingSender()
    senders = {"telegram": sender, "email": mail}
    assert await dispatch_once(services.pool, senders, clock) == 1  # only the e-mail
    tried = await rows(services)
    assert [r["status"] for r in tried] == ["pending"] * 5 + ["sent"]
    assert [r["attempts"] for r in tried[:5]] == [0] * 5
    # The one that met the 429 waits its retry_after; the others were not even tried.
    assert sender.delivered == [] and len(sender.failures) == 0
    assert all(r["next_attempt_at"] > clock.now() for r in tried[:5])
    clock.advance(timedelta(seconds=31))
    assert await dispatch_once(services.pool, senders, clock) == 5


async def test_only_a_permanent_refusal_or_the_end_of_the_retry_time_makes_a_message_dead(
    services, clock
):
    sender = RecordingSender()
    sender.failures = [PermanentFailure("bot was blocked by the user")] + [OSError("down")] * 999
    await queue(services, message(1, recipient="1"), message(2, recipient="2"))
    policy = Policy(retry_for=timedelta(days=3))
    # Two days and more of a channel that is down: far past the eight tries of old.
    for _ in range(48):
        await dispatch_once(services.pool, {"telegram": sender}, clock, policy=policy)
        last_try = clock.now()
        clock.advance(timedelta(hours=1))
    first, second = await rows(services)
    assert (first["status"], first["attempts"]) == ("dead", 1)
    assert "blocked by the user" in first["last_error"]
    assert (second["status"], second["attempts"]) == ("pending", 48)
    assert second["next_attempt_at"] == last_try + timedelta(minutes=10)  # the cap
    clock.advance(timedelta(days=1))
    await dispatch_once(services.pool, {"telegram": sender}, clock, policy=policy)
    (_, second) = await rows(services)
    assert second["status"] == "dead" and "down" in second["last_error"]
    assert sender.delivered == []


async def test_a_chat_waits_for_its_earlier_message_and_other_chats_do_not(services, clock):
    sender = RecordingSender()
    sender.failures = [ConnectionError("500")]
    await queue(services, message(1), message(2), message(3, recipient="5002"))
    await dispatch_once(services.pool, {"telegram": sender}, clock)
    assert sender.delivered == []  # the channel pauses a moment after a 5xx
    clock.advance(timedelta(seconds=2))  # the pause is over; 1 backs off longer
    await dispatch_once(services.pool, {"telegram": sender}, clock)
    assert [p["text"] for _, p in sender.delivered] == ["pesan 3"]  # 2 waits for 1
    clock.advance(timedelta(minutes=1))
    await dispatch_once(services.pool, {"telegram": sender}, clock)
    assert [p["text"] for _, p in sender.delivered] == ["pesan 3", "pesan 1", "pesan 2"]


async def test_a_message_cut_off_half_way_keeps_how_far_it_got(services, clock):
    sender = RecordingSender()
    sender.failures = [PartlySent(2, ConnectionError("reset"))]
    await queue(services, message())
    await dispatch_once(services.pool, {"telegram": sender}, clock)
    (row,) = await rows(services)
    assert row["payload"]["parts_sent"] == 2 and row["status"] == "pending"
    clock.advance(timedelta(minutes=1))
    await dispatch_once(services.pool, {"telegram": sender}, clock)
    assert sender.delivered == [("5001", {"text": "pesan 1", "buttons": [], "parts_sent": 2})]


def test_a_bucket_paces_the_channel_and_each_chat_and_a_pause_holds_them_all():
    now = [0.0]
    limits = ChannelLimits(rate=30, burst=1, chat_rate=1, chat_burst=3, group_rate=20 / 60)
    lane = Lane(limits, backoff_base=1, backoff_cap=60, clock=lambda: now[0])
    waits = [lane.bucket.reserve() for _ in range(4)]
    assert waits == pytest.approx([0, 1 / 30, 2 / 30, 3 / 30])
    chat = lane.chat("5001")
    assert [chat.reserve() for _ in range(4)] == pytest.approx([0, 0, 0, 1])  # a short burst
    # A chat's slot booked after the channel's keeps its spacing from the moment of sending.
    late = Lane(ChannelLimits(chat_rate=1), backoff_base=1, backoff_cap=1, clock=lambda: now[0])
    assert [late.chat("5003").reserve(after=0.5), late.chat("5003").reserve()] == [0.5, 1.5]
    group = lane.chat("-100200")
    assert [group.reserve() for _ in range(2)] == pytest.approx([0, 3])  # 20 a minute
    assert lane.pause_left() == 0
    lane.pause(30)  # a 429's retry_after
    now[0] += 10
    assert lane.pause_left() == pytest.approx(20)
    now[0] += 20
    assert [lane.failed() for _ in range(8)] == [1, 2, 4, 8, 16, 32, 60, 60]
    lane.succeeded()
    assert lane.failed() == 1


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


# ------------------------------------------------------------------------ dead letters, for the admin


async def a_dead_letter(client, services, clock) -> tuple[str, int]:
    """A complaint's notice that Telegram refused for good; its tracking code and its id."""
    code = (await file(client))["tracking_code"]
    async with services.pool.acquire() as conn:
        complaint_id = await conn.fetchval(
            "SELECT id FROM complaint WHERE tracking_code = $1", code
        )
    await queue(services, message(complaint_id=complaint_id, recipient="4242"))
    sender = RecordingSender()
    sender.failures = [PermanentFailure("Forbidden: bot was blocked by the user")]
    await dispatch_once(services.pool, {"telegram": sender}, clock)
    (row,) = [r for r in await rows(services) if r["recipient"] == "4242"]
    assert row["status"] == "dead"
    return code, row["id"]


async def test_the_admin_sees_dead_letters_and_puts_one_back(client, services, accounts, clock):
    code, message_id = await a_dead_letter(client, services, clock)
    listed = await client.get("/api/v1/outbox/dead", headers=accounts["admin"].headers)
    assert listed.status == 200
    body = await listed.json()
    assert body["total"] == 1 and body["next_before"] is None
    (item,) = body["items"]
    assert (item["id"], item["channel"], item["tracking_code"], item["attempts"]) == (
        message_id,
        "telegram",
        code,
        1,
    )
    assert "blocked by the user" in item["error"]
    assert item["created_at"] == clock.now().isoformat()

    for who in ("dpupr", "desk"):
        refused = await client.get("/api/v1/outbox/dead", headers=accounts[who].headers)
        assert refused.status == 403
        refused = await client.post(
            f"/api/v1/outbox/{message_id}/retry", headers=accounts[who].headers
        )
        assert refused.status == 403
    assert (await client.get("/api/v1/outbox/dead")).status == 401

    clock.advance(timedelta(days=5))  # later than the retry time of a message this old
    again = await client.post(
        f"/api/v1/outbox/{message_id}/retry", headers=accounts["admin"].headers
    )
    assert again.status == 200 and await again.json() == {"id": message_id, "status": "pending"}
    twice = await client.post(
        f"/api/v1/outbox/{message_id}/retry", headers=accounts["admin"].headers
    )
    assert twice.status == 404
    assert twice.content_type == "application/problem+json"
    # The retry time starts afresh: a failure now is not the end of it.
    sender = RecordingSender()
    sender.failures = [ConnectionError("502 Bad Gateway")]
    await dispatch_once(services.pool, {"telegram": sender}, clock)
    (row,) = [r for r in await rows(services) if r["id"] == message_id]
    assert (row["status"], row["attempts"]) == ("pending", 2)
    clock.advance(timedelta(minutes=1))
    assert await dispatch_once(services.pool, {"telegram": sender}, clock) == 1
    body = await (await client.get("/api/v1/outbox/dead", headers=accounts["admin"].headers)).json()
    assert body == {"total": 0, "items": [], "next_before": None}


async def test_the_admin_page_lists_dead_letters_with_a_button_to_send_again(
    client, services, accounts, clock
):
    from officer_helpers import give_passwords, login, post_form

    code, message_id = await a_dead_letter(client, services, clock)
    await give_passwords(services, accounts)
    await login(client, "dpupr")
    assert (await client.get("/petugas/admin/kiriman")).status == 403
    client.session.cookie_jar.clear()
    await login(client, "admin")
    admin = await (await client.get("/petugas/admin")).text()
    assert 'href="/petugas/admin/kiriman"' in admin
    page = await (await client.get("/petugas/admin/kiriman")).text()
    assert "Pesan tidak terkirim" in page
    assert "Forbidden: bot was blocked by the user" in page
    assert f"/petugas/laporan/{code}" in page and "telegram" in page
    assert f'action="/petugas/admin/kiriman/{message_id}/ulang"' in page
    done = await post_form(client, f"/petugas/admin/kiriman/{message_id}/ulang", {})
    assert done.status == 303
    after = await (await client.get(done.headers["Location"])).text()
    assert "Pesan masuk antrean lagi" in after and "Tidak ada pesan yang tidak terkirim" in after
    (row,) = [r for r in await rows(services) if r["id"] == message_id]
    assert row["status"] == "pending"
    missing = await post_form(client, f"/petugas/admin/kiriman/{message_id}/ulang", {})
    assert missing.status == 404
