"""WhatsApp template messages: an outbox payload's template form (lapor.message_templates) as
the Graph API's ``type: template`` message, under the name and in a language the city had
approved (lapor.city.WhatsAppTemplates, from ``[whatsapp]`` in its file)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lapor.city import WhatsAppTemplates
from lapor.outbox_errors import PermanentFailure


def render_template(
    recipient: str, template: Mapping[str, Any], approved: WhatsAppTemplates
) -> dict[str, Any]:
    """The Graph body: the body's parameters as text, each quick reply's payload by index."""
    purpose = str(template.get("purpose") or "")
    name = approved.name(purpose)
    if name is None:  # a payload from a newer version, or a typo: no retry will find it
        raise PermanentFailure(f"no WhatsApp template for {purpose!r}")
    components: list[dict[str, Any]] = [
        {
            "type": "body",
            "parameters": [
                {"type": "text", "text": str(value)} for value in template.get("params") or ()
            ],
        }
    ]
    for index, payload in enumerate(template.get("buttons") or ()):
        components.append(
            {
                "type": "button",
                "sub_type": "quick_reply",
                "index": str(index),
                "parameters": [{"type": "payload", "payload": str(payload)}],
            }
        )
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": recipient,
        "type": "template",
        "template": {
            "name": name,
            "language": {
                "policy": "deterministic",
                "code": approved.language(template.get("language")),
            },
            "components": components,
        },
    }
