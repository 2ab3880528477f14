"""The public pages in a real browser."""

from __future__ import annotations

from browser import screenshot
from helpers import VALID


async def test_the_status_page_shows_the_timeline_and_no_reporter(live_server, page, client):
    body = {
        **VALID,
        "anonim": False,
        "reporter": {"name": "Siti Rahmawati", "phone": "081234567890"},
    }
    filed = await (await client.post("/api/v1/complaints", json=body)).json()
    # The complaint was filed through another app instance on the same database.
    await page.goto(live_server.url(f"/lacak/{filed['tracking_code']}"))
    text = await page.locator("main").inner_text()
    assert filed["tracking_code"][:5] in text.replace("-", "")
    assert "Siti" not in await page.content()
    assert "081234567890" not in await page.content()
    await screenshot(page, "status")
