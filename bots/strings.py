"""What the bots say to citizens: the `bot.` section of lapor's catalogues (lapor/i18n/*.toml),
Bahasa Indonesia the default. Button labels stay within WhatsApp's 20 characters (a test checks).
Placeholders use str.format names."""

from __future__ import annotations

from bots.channels import traits
from lapor import i18n

LANGUAGES = i18n.LANGUAGES

# The bot's strings by key, per language (views of the catalogues, for tests and lookups).
ID: dict[str, str] = i18n.section("bot", "id")
EN: dict[str, str] = i18n.section("bot", "en")
STRINGS: dict[str, dict[str, str]] = {"id": ID, "en": EN}

# Fixed labels of the language choice: each named in its own language.
LANGUAGE_BUTTONS = (("Bahasa Indonesia", "bahasa:id"), ("English", "bahasa:en"))


def text(language: str, key: str, *, channel: str | None = None, **values: object) -> str:
    """The string `key` in `language` (Indonesian when the language is unknown); on a
    `channel` with words of its own (SMS), its sentence for that key when it has one."""
    section = traits(channel).words
    if section and f"{section}.{key}" in i18n.catalogue(i18n.language_of(language)):
        return i18n.t(f"{section}.{key}", language, **values)
    return i18n.t(f"bot.{key}", language, **values)


def status_label(language: str, status: str) -> str:
    """A complaint status in the citizen's language: the one label page, API and bot share."""
    return i18n.t(f"status.{status}", language)
