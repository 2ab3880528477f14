"""What each chat channel can carry, where the dialogue must know it: whether it takes photos
(SMS does not: the dialogue skips the photo step), and the catalogue section whose sentences
replace the bot's own on that channel (SMS: "reply with the number" rather than "tap", a typed
address rather than a shared map point). Choices stay (label, data) buttons in the dialogue
whatever the channel; a channel without buttons numbers them in its sender
(bots/sms_text.py) and reads a number back in its door (bots/sms.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Traits:
    photos: bool = True
    # A lapor/i18n section: where it has a key of the `bot.` section, its sentence is used.
    words: str | None = None


TRAITS = {
    "telegram": Traits(),
    "whatsapp": Traits(),
    "sms": Traits(photos=False, words="sms"),
}


def traits(channel: str | None) -> Traits:
    return TRAITS.get(channel or "", Traits())
