"""The answer to an emergency: a report that reads as a fire, a collapse or someone hurt
(lapor.priority suggests `darurat`) is answered at once, on every channel and before anything
else, with the city's emergency numbers ([emergency] in its file). lapor does not replace a
call: the citizen is told to call, and the report is filed as well.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lapor import i18n, priority

if TYPE_CHECKING:
    from lapor.city import CityConfig


def numbers_text(city: CityConfig) -> str:
    """ "112 (Panggilan Darurat), 113 (Pemadam Kebakaran (Damkar)), ..." as the city lists them."""
    return ", ".join(f"{entry.number} ({entry.name})" for entry in city.emergency_numbers)


def message(city: CityConfig, language: str | None = i18n.DEFAULT) -> str:
    return i18n.t("emergency.message", language, numbers=numbers_text(city))


def answer(city: CityConfig, language: str | None = i18n.DEFAULT) -> dict[str, Any]:
    """The API's `emergency` field: the sentence and the numbers one by one."""
    return {
        "message": message(city, language),
        "numbers": [{"name": e.name, "number": e.number} for e in city.emergency_numbers],
    }


def chat_notice(city: CityConfig, text: str | None, language: str) -> str | None:
    """What a chat says first when the citizen's message reads as an emergency, else None."""
    if not text or not priority.suggest(text).emergency:
        return None
    return message(city, language)
