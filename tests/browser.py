"""A real headless Chromium (Debian's `chromium`, driven by Playwright) against the real app on
a loopback port. `make test` installs the browser; Playwright's own download is never used.

Fixtures (loaded as a plugin from conftest): `live_server` (the app with the test clock, on a
real port; `live_server.url(path)`), `browser`, and `page` (a fresh context per test, Indonesian
locale). One Chromium runs per test process (each xdist worker has its own) and every test
reaches it over the DevTools protocol in a context of its own, so no cookie, storage or cache
crosses from one test to the next. `screenshot(page, name)` saves a PNG under the artifacts folder
(LAPOR_TEST_ARTIFACTS, default `test-artifacts/`), kept after the run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
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


@pytest.fixture(scope="session")
def chromium_endpoint(tmp_path_factory) -> Iterator[str]:
    """Starts this process's Chromium once; yields its DevTools address on loopback."""
    profile = tmp_path_factory.mktemp("chromium-profile")
    process = subprocess.Popen(
        [
            chromium_path(),
            "--headless=new",
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--disable-gpu",
            "--no-first-run",
            # What Playwright passes when it launches a headless Chromium itself: no scrollbars
            # taking width from the page, no sound, a touch-less pointer.
            "--hide-scrollbars",
            "--mute-audio",
            "--blink-settings=primaryHoverType=2,availableHoverTypes=2,"
            "primaryPointerType=4,availablePointerTypes=4",
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",  # Chromium picks a free port and writes it down
            f"--user-data-dir={profile}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + 30
    while not (port_file.exists() and port_file.read_text().strip()):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"Chromium did not start (exit code {process.poll()})")
        time.sleep(0.05)
    port = port_file.read_text().split()[0]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest_asyncio.fixture
async def browser(chromium_endpoint) -> AsyncIterator[object]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        connected = await playwright.chromium.connect_over_cdp(chromium_endpoint)
        try:
            yield connected
        finally:
            await connected.close()  # closes this test's contexts, leaves Chromium running


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
