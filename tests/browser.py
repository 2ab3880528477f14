"""A real headless Chromium (Debian's `chromium`, driven by Playwright) against the real app on
a loopback port. `make test` installs the browser; Playwright's own download is never used.

Fixtures (loaded as a plugin from conftest): `live_server` (the app with the test clock, on a
real port; `live_server.url(path)`), `browser`, and `page` (a fresh context per test, Indonesian
locale). `screenshot(page, name)` saves a PNG under the artifacts folder
(LAPOR_TEST_ARTIFACTS, default `test-artifacts/`), kept after the run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio

ARTIFACTS = Path(os.environ.get("LAPOR_TEST_ARTIFACTS", "test-artifacts"))


def chromium_path() -> str:
    found = os.environ.get("LAPOR_CHROMIUM") or shutil.which("chromium")
    if not found:
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package")
    return found


@dataclass
class LiveServer:
    server: object
    app: object

    def url(self, path: str = "/") -> str:
        return str(self.server.make_url(path))


@pytest_asyncio.fixture
async def live_server(settings, clock, aiohttp_server) -> LiveServer:
    from lapor.web.app import create_app

    app = create_app(settings, clock=clock)
    server = await aiohttp_server(app, host="127.0.0.1")
    return LiveServer(server, app)


@pytest_asyncio.fixture
async def browser() -> AsyncIterator[object]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=chromium_path(),
            headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        )
        try:
            yield launched
        finally:
            await launched.close()


@pytest_asyncio.fixture
async def page(browser) -> AsyncIterator[object]:
    context = await browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    opened = await context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))

    def on_console(message) -> None:  # the browser reports what the CSP refused here
        if message.type == "error" and "Content Security Policy" in message.text:
            errors.append(message.text)

    opened.on("console", on_console)
    try:
        yield opened
    finally:
        await context.close()
    # A JavaScript error or a CSP refusal on any page is a failure, even when the test's
    # assertions passed.
    assert not errors, f"JavaScript errors on the page: {errors}"


async def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    path = ARTIFACTS / f"{name}.png"  # Playwright makes the folder
    await page.screenshot(path=str(path), full_page=full_page)
    return path
