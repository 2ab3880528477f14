"""The template form of the messages that must reach a WhatsApp chat outside its 24-hour
customer-service window (lapor.whatsapp_window): a notice, a survey and its reminder, the
codes a citizen asked for. Meta sends only templates the city had approved there, with the
parameters filled in; the texts a city submits are in docs/whatsapp-templates.md, and the
city file names them (`[whatsapp.templates]`, lapor.city.WhatsAppTemplates).

Whoever queues such a message adds its form (`with_template`); the WhatsApp sender decides at
send time whether the free text or the template goes. Parameters are one line of at most
`PARAM_MAX` characters (Meta refuses a new line, a tab or more than four spaces in a row).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from lapor.outbox import Message

PARAM_MAX = 1024  # Meta's limit for one body parameter
NOTE_MAX = 300  # the agency's note, shortened: the whole notice stays readable on a phone
CODES_MAX = 10  # tracking codes in one "Lupa kode?" message


@dataclass(frozen=True)
class Purpose:
    """One template (its name is the city's: lapor.city.WhatsAppTemplates): what each body
    parameter {{1}}, {{2}}... holds, and the values its quick-reply buttons stand for (their
    labels are the template's; the payloads are set when it is sent)."""

    key: str
    params: tuple[str, ...]
    quick_replies: tuple[str, ...] = ()


STATUS = Purpose("status", ("code", "status", "note"))
SURVEY = Purpose("survey", ("code", "agency"), ("sudah", "belum", "tidak_tahu"))
SURVEY_REMINDER = Purpose("survey_reminder", ("code",), ("resume",))
CODES = Purpose("codes", ("codes",))
PURPOSES = {purpose.key: purpose for purpose in (STATUS, SURVEY, SURVEY_REMINDER, CODES)}


def param(text: object, limit: int = PARAM_MAX) -> str:
    """``text`` as a template parameter: one line, at most ``limit`` characters (cut after a
    whole word where one fits), never empty."""
    flat = " ".join(str(text or "").split())
    if len(flat) > limit:
        cut = flat.rfind(" ", 0, limit)
        flat = (flat[:cut] if cut > limit // 2 else flat[: limit - 1]).rstrip(" ,;:-") + "…"
    return flat or "-"


def form(
    purpose: Purpose,
    params: Sequence[object],
    *,
    language: str,
    buttons: Sequence[str] = (),
) -> dict[str, Any]:
    """The template form an outbox payload carries: which template, its language, the body
    parameters and the quick replies' payloads (in the template's order)."""
    if len(params) != len(purpose.params) or len(buttons) != len(purpose.quick_replies):
        raise ValueError(
            f"template {purpose.key} takes {len(purpose.params)} parameters and "
            f"{len(purpose.quick_replies)} buttons, got {len(params)} and {len(buttons)}"
        )
    return {
        "purpose": purpose.key,
        "language": language,
        "params": [param(value) for value in params],
        "buttons": list(buttons),
    }


def with_template(message: Message, template: dict[str, Any]) -> Message:
    """``message`` with its template form, when it goes by WhatsApp (other channels have no
    window: the form would only weigh on the row)."""
    if message.channel != "whatsapp":
        return message
    return replace(message, extra={**message.extra, "template": template})
