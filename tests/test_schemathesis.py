"""schemathesis against the generated OpenAPI document, on the app served for real on a
loopback port: every operation, anonymous and with an officer token, with a few derandomized
examples each. No 5xx, and every answer as the document says (status, content type, schema).
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from dataclasses import replace
from itertools import product

import pytest
import requests
import schemathesis
from aiohttp import web
from helpers import VALID
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from lapor import auth
from lapor.db import connect
from lapor.web.app import create_app
from lapor.web.openapi import openapi_document

pytestmark = pytest.mark.slow

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = int(os.environ.get("LAPOR_SCHEMATHESIS_EXAMPLES", "3"))  # per operation, caller, mode
# Valid requests, and requests the document says are wrong (they must be refused with a 4xx).
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
BUDGET_SECONDS = float(
    os.environ.get("LAPOR_SCHEMATHESIS_SECONDS", "40")
)  # the whole run; the test fails rather than run longer


class Served:
    """The app on 127.0.0.1, in a thread with its own event loop."""

    def __init__(self, app: web.Application) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.port = 0

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.runner = web.AppRunner(self.app)
        self.loop.run_until_complete(self.runner.setup())
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        self.loop.run_until_complete(site.start())
        self.port = self.runner.addresses[0][1]
        self.ready.set()
        self.loop.run_forever()
        self.loop.run_until_complete(self.runner.cleanup())
        self.loop.close()

    def __enter__(self) -> str:
        self.thread.start()
        assert self.ready.wait(30), "the app did not start"
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(30)


@pytest.fixture
def every_channel(settings):
    """The settings with Telegram, WhatsApp and SMS on, so that their webhooks are served too."""
    return replace(
        settings,
        telegram_bot_token="42:TEST",
        telegram_api_base="http://127.0.0.1:9",
        telegram_webhook_secret="rahasia_webhook",
        whatsapp_token="wa-token",
        whatsapp_app_secret="wa-secret",
        whatsapp_verify_token="wa-verify",
        whatsapp_phone_number_id="1099",
        whatsapp_api_base="http://127.0.0.1:9",
        sms_account_sid="AC" + "1" * 32,
        sms_auth_token="sms-token",
        sms_from="+6281100001708",
        sms_api_url="http://127.0.0.1:9",
    )


TRANSPORT_LIMIT = "Got more than 8190 bytes when reading"


async def test_the_app_answers_as_its_document_says(every_channel, clock, city, database_url):
    async with connect(database_url) as conn:
        admin = await auth.create_officer(conn, "admin", "Admin Kota", "admin", None)
        token = await auth.issue_token(conn, admin.id, now=clock.now())
    app = create_app(every_channel, clock=clock, city=city, senders={})
    document = openapi_document(app)
    schema = schemathesis.openapi.from_dict(document)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == sum(len(item) for item in document["paths"].values())

    started = time.monotonic()
    failures: list[str] = []
    calls = 0

    def examples(operation, base_url: str, headers: dict[str, str], mode, fixed):
        @given(case=operation.as_strategy(generation_mode=mode, path_parameters=fixed or None))
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case) -> None:
            nonlocal calls
            if time.monotonic() - started > BUDGET_SECONDS:
                return
            calls += 1
            case.headers = {**(case.headers or {}), **headers}
            case.call_and_validate(base_url=base_url, checks=CHECKS, timeout=10)

        return run

    with Served(app) as base_url:
        # A real complaint, so that the routes under /complaints/{code} answer 200 too.
        url = f"{base_url}/api/v1/complaints"
        filed = await asyncio.to_thread(requests.post, url, json=VALID, timeout=10)
        assert filed.status_code == 201, filed.text
        real = {"code": filed.json()["tracking_code"]}
        for operation in operations:
            callers = product(({}, {"Authorization": f"Bearer {token}"}), MODES, ({}, real))
            for headers, mode, fixed in callers:
                if fixed and ("{code}" not in operation.path or mode != GenerationMode.POSITIVE):
                    continue
                try:
                    examples(operation, base_url, headers, mode, fixed)()
                except Unsatisfiable:  # nothing in the operation to get wrong
                    assert mode == GenerationMode.NEGATIVE, operation.label
                except (Exception, BaseExceptionGroup) as error:  # report every failing one
                    if TRANSPORT_LIMIT in str(error):
                        # A request line over 8 KB is refused by aiohttp's parser (400, plain
                        # text) before any route runs: HTTP's limit, not an answer of the API.
                        continue
                    who = f"{'officer' if headers else 'anonymous'}, {mode.value}"
                    who += ", a real code" if fixed else ""
                    failures.append(f"{operation.label} ({who}): {str(error)[:1500]}")
    elapsed = time.monotonic() - started
    print(f"schemathesis: {len(operations)} operations, {calls} calls, {elapsed:.1f} s")
    assert not failures, "\n\n".join(failures)
    assert elapsed < BUDGET_SECONDS + 10
