"""The outbox's sender for channel "forward" (lapor/forwarding.py): a complaint forwarded to
an external body reaches it by the body's one channel: by e-mail (the reply token in the
subject), as a signed webhook (lapor/hooks.py), or as an Open311 request whose id is kept
for the poll. What goes is the public copy of the complaint, never its reporter."""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC
from typing import TYPE_CHECKING, Any

import aiohttp
import asyncpg

from lapor import i18n, privacy, tracking
from lapor.complaints.views import PLACE_FIELDS
from lapor.outbox_errors import Dropped, PermanentFailure
from lapor.repo import forwarding as repo

if TYPE_CHECKING:
    from lapor.city import CityConfig
    from lapor.city.values import External
    from lapor.hooks import SignedPoster
    from lapor.outbox import Sender
    from lapor.settings import Settings


def _public_words(forward: asyncpg.Record) -> tuple[str | None, str]:
    """The title and text the public reads; for a complaint whose public copy is not written
    yet, the copy intake would write (privacy.public_copy), never the original."""
    if forward["public_body"] is not None:
        return forward["public_title"], forward["public_body"]
    copy = privacy.public_copy(forward["original_body"] or "", forward["original_title"])
    return copy.title, copy.text


def forward_body(base_url: str, forward: asyncpg.Record, reason: str) -> dict[str, Any]:
    """What the body receives: the public copy of the complaint and of the place typed with
    it (privacy.redact_place, as every public answer shows it), never the reporter."""
    title, text = _public_words(forward)
    return {
        "id": f"forward:{forward['id']}",
        "event": "complaint.forwarded",
        "reason": reason,
        "complaint": {
            "tracking_code": forward["tracking_code"],
            "title": title,
            "text": text,
            "category": forward["category_code"],
            "latitude": forward["latitude"],
            "longitude": forward["longitude"],
            **{name: privacy.redact_place(forward[name]) for name in PLACE_FIELDS},
            "filed_at": forward["filed_at"].astimezone(UTC).isoformat(),
        },
        "answer_to": f"{base_url}/webhooks/forward/{forward['external_code']}",
    }


def recall_body(forward: asyncpg.Record, reason: str) -> dict[str, Any]:
    """The body's notice that the city took the complaint back: its code and why, no more."""
    return {
        "id": f"recall:{forward['id']}",
        "event": "complaint.recalled",
        "reason": reason,
        "complaint": {"tracking_code": forward["tracking_code"]},
    }


class ForwardSender:
    """The outbox's sender for channel "forward": the recipient is an external body's code,
    reached by its own channel (e-mail through the e-mail sender, a signed webhook, Open311)."""

    def __init__(
        self,
        *,
        city: CityConfig,
        settings: Settings,
        poster: SignedPoster,
        email_sender: Sender | None,
        base_url: str,
    ) -> None:
        self.city, self.settings, self.poster = city, settings, poster
        self.email_sender, self.base_url = email_sender, base_url

    async def send(self, recipient: str, payload: Mapping[str, Any]) -> None:
        external = self.city.externals.get(recipient)
        if external is None:
            raise PermanentFailure(f"no external body {recipient!r} in the city file")
        async with self.poster.pool.acquire() as conn:
            forward = await repo.by_id(conn, int(payload["forward_id"]))
        if forward is None:
            raise PermanentFailure(f"no forwarding {payload['forward_id']}")
        reason = str(payload.get("text") or "")
        if payload.get("notice") == "recall":
            await self._recall(external, forward, reason)
            return
        if forward["recalled_at"] is not None:
            raise Dropped("recalled before it went to the body")
        body = forward_body(self.base_url, forward, reason)
        if external.channel == "email":
            await self._email(external, forward, body)
        elif external.channel == "webhook":
            secret = self.settings.external_secrets.get(external.code)
            if not secret:
                raise PermanentFailure(f"LAPOR_EXTERNAL_{external.code}_SECRET is not set")
            await self.poster.post(
                external.url or "",
                secret,
                body,
                target=f"external:{external.code}",
                event="complaint.forwarded",
                event_id=body["id"],
            )
        else:
            await self._open311(external, forward, body)

    async def _recall(self, external: External, forward, reason: str) -> None:
        """The recall notice, by the channel the complaint was forwarded on; none for a
        forwarding that never reached the body (it was dropped)."""
        async with self.poster.pool.acquire() as conn:
            if not await repo.forward_sent(conn, forward["id"]):
                raise Dropped("the forwarding never went out: nothing to recall there")
        if forward["channel"] == "email":
            if self.email_sender is None:
                raise PermanentFailure("no e-mail channel (SMTP_HOST) to tell the body by")
            code = tracking.display(forward["tracking_code"])
            text = i18n.t(
                "recall.email_text", external=external.name, code=code, reason=reason or "-"
            )
            subject = i18n.t("recall.email_subject", code=code, token=forward["reply_token"])
            await self.email_sender.send(external.email or "", {"text": text, "subject": subject})
        elif forward["channel"] == "webhook":
            secret = self.settings.external_secrets.get(external.code)
            if not secret:
                raise PermanentFailure(f"LAPOR_EXTERNAL_{external.code}_SECRET is not set")
            body = recall_body(forward, reason)
            await self.poster.post(
                external.url or "",
                secret,
                body,
                target=f"external:{external.code}",
                event="complaint.recalled",
                event_id=body["id"],
            )
        # Open311 (GeoReport v2) has no cancel: nothing is queued for it (forwarding.recall).

    async def _email(self, external: External, forward, body: dict[str, Any]) -> None:
        if self.email_sender is None:
            raise PermanentFailure("no e-mail channel (SMTP_HOST) to forward by")
        complaint = body["complaint"]
        code = tracking.display(forward["tracking_code"])
        text = i18n.t(
            "forward.email_text",
            external=external.name,
            code=code,
            reason=body["reason"] or "-",
            title=complaint["title"] or "-",
            text=complaint["text"],
            place=", ".join(
                p
                for p in (complaint["address"], complaint["kelurahan"], complaint["kecamatan"])
                if p
            )
            or "-",
            token=forward["reply_token"],
        )
        subject = i18n.t("forward.email_subject", code=code, token=forward["reply_token"])
        await self.email_sender.send(external.email or "", {"text": text, "subject": subject})

    async def _open311(self, external: External, forward, body: dict[str, Any]) -> None:
        if forward["external_id"]:
            return  # filed before, and the answer recorded: nothing to file again
        api_key = self.settings.external_api_keys.get(external.code)
        if not api_key:
            raise PermanentFailure(f"LAPOR_EXTERNAL_{external.code}_API_KEY is not set")
        complaint = body["complaint"]
        form = {
            "api_key": api_key,
            "service_code": external.service_code or "",
            "description": complaint["text"],
            **({"lat": str(complaint["latitude"])} if complaint["latitude"] is not None else {}),
            **({"long": str(complaint["longitude"])} if complaint["longitude"] else {}),
            **({"address_string": complaint["address"]} if complaint["address"] else {}),
            "attribute[lapor_code]": forward["tracking_code"],
        }
        url = f"{(external.url or '').rstrip('/')}/requests.json"
        session = await self.poster.session()
        started, status, error = time.monotonic(), None, None
        try:
            async with session.post(url, data=form) as response:
                status = response.status
                answered = await response.json(content_type=None) if status < 300 else None
        except (aiohttp.ClientError, TimeoutError, ValueError) as failure:
            error = f"{type(failure).__name__}: {failure}"[:1000]
            raise ConnectionError(error) from failure
        finally:
            await self.poster.record(
                body["id"], f"external:{external.code}", "open311.request", url, status, error,
                started,
            )  # fmt: skip
        if status in (400, 401, 403, 404, 422):
            raise PermanentFailure(f"{url} answered {status}")
        if status >= 300:
            raise ConnectionError(f"{url} answered {status}")
        first = answered[0] if isinstance(answered, list) and answered else {}
        request_id = first.get("service_request_id") if isinstance(first, dict) else None
        if not request_id:
            raise PermanentFailure(f"{url} gave no service_request_id")
        async with self.poster.pool.acquire() as conn:
            await repo.set_external_id(conn, forward["id"], str(request_id)[:200])
