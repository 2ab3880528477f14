"""The WhatsApp templates a city submits to Meta, read from docs/whatsapp-templates.md: the fake
Graph API approves exactly these, so a test fails when lapor sends other names, parameters or
buttons than the document tells a city to submit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "whatsapp-templates.md"
_BLOCK = re.compile(r"```whatsapp-template\n(.*?)```", re.S)


@dataclass(frozen=True)
class Documented:
    name: str
    language: str
    category: str
    body: str
    quick_replies: tuple[str, ...]
    sample: tuple[str, ...]

    @property
    def body_params(self) -> int:
        return len(set(re.findall(r"\{\{(\d+)\}\}", self.body)))


def documented_templates() -> list[Documented]:
    found = []
    for block in _BLOCK.findall(DOC.read_text(encoding="utf-8")):
        head, _, body = block.partition("body:\n")
        fields = dict(line.split(": ", 1) for line in head.strip().splitlines())
        replies = fields["quick replies"].strip()
        found.append(
            Documented(
                name=fields["name"],
                language=fields["language"],
                category=fields["category"],
                body=body.strip(),
                quick_replies=() if replies == "-" else tuple(replies.split(" | ")),
                sample=tuple(fields["sample"].split(" | ")),
            )
        )
    return found


def approve_documented(fake, *, leave_out: tuple[str, ...] = ()) -> None:
    """The fake knows every documented template (but those named in ``leave_out``)."""
    for template in documented_templates():
        if template.name not in leave_out:
            fake.approve_template(
                template.name,
                template.language,
                template.body_params,
                len(template.quick_replies),
            )
