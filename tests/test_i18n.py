"""The catalogues (lapor/i18n/*.toml): both languages say everything, with the same
placeholders, and a status carries one label on every door: the public page, the API, the
bot's /status and /laporanku, and the officer's page."""

from __future__ import annotations

import html
import itertools
import re

import pytest
from lifecycle_helpers import complaint_in
from officer_helpers import give_passwords, login

from bots.engine import Engine, Incoming
from lapor import i18n, tracking
from lapor.lifecycle import STATUS_LABELS, STATUSES

# ------------------------------------------------------------------------------ the catalogues


def test_every_key_is_in_both_languages():
    indonesian, english = set(i18n.catalogue("id")), set(i18n.catalogue("en"))
    assert indonesian - english == set(), "missing in en.toml"
    assert english - indonesian == set(), "missing in id.toml"


def test_a_key_has_the_same_placeholders_in_both_languages():
    english = i18n.catalogue("en")
    differ = {
        key: (i18n.placeholders(text), i18n.placeholders(english[key]))
        for key, text in i18n.catalogue("id").items()
        if i18n.placeholders(text) != i18n.placeholders(english[key])
    }
    assert differ == {}


def test_the_parity_check_sees_a_difference():
    # the helper the two tests above rely on: it must tell placeholders apart
    assert i18n.placeholders("Laporan {code} oleh {agency}") == {"code", "agency"}
    assert i18n.placeholders("titik {lat:.5f}") == {"lat"}
    assert i18n.placeholders("Report {code}") != i18n.placeholders("Laporan {kode}")


def test_indonesian_is_the_default_and_the_fallback():
    assert i18n.t("status.assigned") == "Diteruskan ke instansi"
    assert i18n.t("status.assigned", "en") == "Forwarded to the agency"
    assert i18n.t("status.assigned", "fr") == i18n.t("status.assigned", "id")
    assert i18n.t("notice.start", "id", code="X", agency="DPUPR") == (
        "Laporan X sedang diproses oleh DPUPR."
    )
    with pytest.raises(KeyError):
        i18n.t("status.nonsense")


def test_every_status_has_one_label_in_each_language():
    for language in i18n.LANGUAGES:
        labels = i18n.section("status", language)
        assert set(labels) == set(STATUSES)
        assert len(set(labels.values())) == len(STATUSES), "two statuses share a label"
    assert i18n.section("status", "id") == STATUS_LABELS


# ------------------------------------------------------------------- one label on every door

_ids = itertools.count(1)


async def bot_asks(services, engine: Engine, chat_id: str, command: str, text: str | None) -> str:
    await engine.handle(
        Incoming(
            channel="telegram",
            chat_id=chat_id,
            message_id=f"i18n-{next(_ids)}",
            kind="command",
            command=command,
            text=text,
        )
    )
    async with services.pool.acquire() as conn:
        return await conn.fetchval(
            "SELECT payload->>'text' FROM outbox WHERE recipient = $1 ORDER BY id DESC LIMIT 1",
            chat_id,
        )


def _one(pattern: str, page: str) -> str:
    found = re.findall(pattern, page)
    assert len(found) == 1, (pattern, found)
    return html.unescape(found[0])


@pytest.mark.parametrize("status", STATUSES)
async def test_a_status_has_the_same_label_on_page_api_bot_and_officer_page(
    status, services, client, accounts
):
    code = await complaint_in(client, accounts, status)
    shown = tracking.display(code)

    api = (await (await client.get(f"/api/v1/complaints/{code}")).json())["status_label"]

    public_page = await (await client.get(f"/lacak/{code}")).text()
    public = _one(
        r'<h1>.*?</h1>\s*<p><span class="status group-\w+">([^<]+)</span></p>', public_page
    )

    engine = Engine(services, {})
    status_reply = await bot_asks(services, engine, "9100", "status", shown)
    bot = _one(r"^Status: (.+)$", status_reply.splitlines()[1])

    await give_passwords(services, accounts)
    await login(client, "admin")
    officer_page = await (await client.get(f"/petugas/laporan/{code}")).text()
    officer = _one(rf'<span class="status status-{status}">([^<]+)</span>', officer_page)

    assert api == public == bot == officer == i18n.t(f"status.{status}")


async def test_the_literal_indonesian_labels(services, client, accounts):
    # a broken catalogue must not pass the test above by being consistently wrong
    expected = {
        "received": "Belum terverifikasi",
        "assigned": "Diteruskan ke instansi",
        "in_progress": "Diproses",
        "resolved": "Selesai",
        "closed": "Ditutup",
        "rejected": "Ditolak",
        "forwarded": "Dilimpahkan ke luar pemda",
    }
    assert {status: i18n.t(f"status.{status}") for status in STATUSES} == expected
    code = await complaint_in(client, accounts, "assigned")
    view = await (await client.get(f"/api/v1/complaints/{code}")).json()
    assert view["status_label"] == "Diteruskan ke instansi"
