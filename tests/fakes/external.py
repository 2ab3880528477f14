"""Fakes of the bodies lapor talks to beyond the city, on loopback:

- FakeSignedReceiver: an external body reached by signed webhook, or a webhook subscriber (the
  city's dashboard). It checks every POST's X-Lapor-Signature against its secret, answers 401
  to a bad one, and records the rest; failures can be injected (a 500 before a 200).
- FakeOpen311: an Open311 GeoReport v2 endpoint: POST requests.json (checks the api_key)
  gives a service_request_id; GET requests/{id}.json answers the status the test set.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from aiohttp import web

from ._server import Call, Failure, FakeServer


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The signing rule, written again from its definition (not imported from lapor)."""
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def signed(secret: str, payload: Any, *, timestamp: int | None = None) -> tuple[bytes, dict]:
    """A body and the headers an external body sends lapor its answer with."""
    body = json.dumps(payload).encode()
    stamp = int(time.time()) if timestamp is None else timestamp
    return body, {
        "Content-Type": "application/json",
        "X-Lapor-Timestamp": str(stamp),
        "X-Lapor-Signature": signature(secret, stamp, body),
    }


class FakeSignedReceiver(FakeServer):
    """POST /inbound, signed with `secret`; its calls are method "inbound"."""

    def __init__(self, secret: str, *, clock=None) -> None:
        super().__init__()
        self.secret = secret
        self.clock = clock  # now() of the test's clock, for the signature's age

    def build_app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/inbound", self._inbound)
        return app

    @property
    def url(self) -> str:
        return f"{self.base_url}/inbound"

    def fail_next(self, status: int = 500, times: int = 1) -> None:
        self.inject("inbound", Failure(status, {"error": "injected"}), times)

    async def _inbound(self, request: web.Request) -> web.Response:
        body = await request.read()
        stamp = request.headers.get("X-Lapor-Timestamp", "")
        given = request.headers.get("X-Lapor-Signature", "")
        try:
            params = json.loads(body)
        except ValueError:
            params = {}
        valid = stamp.isdigit() and hmac.compare_digest(
            signature(self.secret, int(stamp), body), given
        )
        if not valid:
            self.record(Call("inbound", params, 401, {"error": "bad signature"}))
            return web.json_response({"error": "bad signature"}, status=401)
        failure = self.take_failure("inbound")
        if failure is not None:
            self.record(Call("inbound", params, failure.status, failure.body, injected=True))
            return web.json_response(failure.body, status=failure.status)
        self.record(Call("inbound", params, 200, {"ok": True}))
        return web.json_response({"ok": True})

    def events(self) -> list[dict]:
        """The bodies it accepted, in order."""
        return [call.params for call in self.calls if call.status == 200]


class FakeOpen311(FakeServer):
    """An Open311 endpoint for one api key; `set_status(id, status, notes)` is its officers."""

    def __init__(self, api_key: str) -> None:
        super().__init__()
        self.api_key = api_key
        self.requests: dict[str, dict[str, Any]] = {}

    def build_app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v2/requests.json", self._post)
        app.router.add_get("/v2/requests/{id}.json", self._get)
        return app

    @property
    def url(self) -> str:
        return f"{self.base_url}/v2"

    def set_status(self, request_id: str, status: str, notes: str) -> None:
        self.requests[request_id].update(status=status, status_notes=notes)

    async def _post(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        if form.get("api_key") != self.api_key:
            self.record(Call("post", form, 403, None))
            return web.json_response([{"code": 403, "description": "bad api_key"}], status=403)
        request_id = f"BPJN-{len(self.requests) + 1}"
        self.requests[request_id] = {
            "service_request_id": request_id,
            "status": "open",
            "status_notes": None,
            "description": form.get("description"),
            "service_code": form.get("service_code"),
        }
        answer = [{"service_request_id": request_id}]
        self.record(Call("post", form, 201, answer))
        return web.json_response(answer, status=201)

    async def _get(self, request: web.Request) -> web.Response:
        request_id = request.match_info["id"]
        found = self.requests.get(request_id)
        self.record(Call("get", dict(request.query), 200 if found else 404, found))
        if found is None:
            return web.json_response([{"code": 404, "description": "not found"}], status=404)
        return web.json_response([found])
