"""The "Lupa kode?" service: a citizen who lost their tracking codes types the phone number or
e-mail address they reported with, and the codes go there (WhatsApp, or e-mail:
lapor.notify.reach), never onto the page. Whoever asks reads the same sentence whether or not
the contact filed anything, so the page tells nobody who complained.

Limited per address (a burst of requests for many contacts) and, silently, per contact (a
person's phone is not to be flooded with their own codes); the contact is kept in the
rate-limit key only as an HMAC under the service's secret."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from lapor import i18n, ratelimit, tracking
from lapor.erasure import normalize_phone
from lapor.errors import ValidationFailed
from lapor.message_templates import CODES, CODES_MAX, form, with_template
from lapor.notify import reach
from lapor.outbox import Message, enqueue
from lapor.ratelimit import Limit, TooManyRequests
from lapor.repo import lost_codes as repo
from lapor.schemas import EMAIL_PATTERN, PHONE_PATTERN

if TYPE_CHECKING:
    from lapor.context import Services

log = logging.getLogger(__name__)

# Not a city's policy: enough for a citizen who mistyped twice, too few to be of use to anyone
# sending codes to many people.
PER_ADDRESS = Limit(5, timedelta(hours=1))
PER_CONTACT = Limit(3, timedelta(days=1))


@dataclass(frozen=True)
class Contact:
    """What was typed: a phone number (digits, 62...) or an e-mail address (lower case)."""

    phone: str | None = None
    email: str | None = None

    @property
    def key(self) -> str:
        return self.phone or self.email or ""


def parse_contact(typed: str) -> Contact:
    """The contact in ``typed``, or ValidationFailed on the field ``contact``."""
    typed = (typed or "").strip()
    if "@" in typed and len(typed) <= 200 and re.match(EMAIL_PATTERN, typed):
        return Contact(email=typed.lower())
    phone = normalize_phone(typed) if re.match(PHONE_PATTERN, typed) else None
    if phone and len(phone) >= 8:
        return Contact(phone=phone)
    raise ValidationFailed.on("contact", i18n.t("reach.codes.contact_invalid"))


def sent_sentence(language: str = i18n.DEFAULT) -> str:
    """What the asker reads, whatever happened."""
    return i18n.t("reach.codes.sent", language)


async def send_codes(services: Services, typed: str, *, client: str) -> None:
    """Queue the codes filed with the typed contact to that contact; nothing when none were
    (or when it asked too often today). ``client``: the asker's address, for the limit."""
    contact = parse_contact(typed)
    await ratelimit.hit(services, f"lost_codes:address:{client}", PER_ADDRESS)
    digest = hmac.new(services.secret_key.encode(), contact.key.encode(), hashlib.sha256)
    async with services.pool.acquire() as conn:
        try:
            key = f"lost_codes:contact:{digest.hexdigest()[:32]}"
            await ratelimit.hit(services, key, PER_CONTACT, conn=conn)
        except TooManyRequests:
            return  # the same answer: the limit is no oracle either
        if contact.phone:
            rows = await repo.by_phone(conn, contact.phone, CODES_MAX)
        else:
            rows = await repo.by_email(conn, contact.email or "", CODES_MAX)
        route = reach("web", None, contact.phone, contact.email, services.channels)
        if not rows or route is None:
            return
        channel, recipient = route
        lines = [
            i18n.t(
                "reach.codes.line",
                code=tracking.display(row["tracking_code"]),
                status=i18n.t(f"status.{row['status']}"),
                url=services.status_url(row["tracking_code"]),
            )
            for row in rows
        ]
        message = Message(
            channel=channel,
            recipient=recipient,
            kind="codes",
            text=i18n.t("reach.codes.text", lines="\n".join(lines)),
            extra={"subject": i18n.t("reach.codes.subject")} if channel == "email" else {},
        )
        shown = ", ".join(tracking.display(row["tracking_code"]) for row in rows)
        message = with_template(message, form(CODES, [shown], language=i18n.DEFAULT))
        await enqueue(conn, message, services.clock.now())
    log.info("lost codes sent channel=%s count=%s", channel, len(rows))
