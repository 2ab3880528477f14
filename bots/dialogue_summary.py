"""The summary a citizen reads before Kirim: the text, the place, the photos, rahasia and anonim
as they will be filed (the city's defaults unless chosen), the likely category, and what the
public copy will hide (the same reading intake makes, told before sending)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bots.dialogue_types import SUMMARY_TEXT_MAX, _Turn
from lapor import privacy

if TYPE_CHECKING:
    from lapor.context import Services


def summary_fields(services: Services, turn: _Turn) -> dict[str, str]:
    """The values of the `summary` sentence for the turn's draft."""
    draft = turn.draft
    city = services.city
    text = draft["text"]
    if len(text) > SUMMARY_TEXT_MAX:
        text = text[: SUMMARY_TEXT_MAX - 1].rstrip() + "…"
    location = draft.get("location") or {}
    if location.get("lat") is not None:
        where = turn.t("summary_coordinates", lat=location["lat"], lon=location["lon"])
    elif location.get("address"):
        where = location["address"]
    elif draft.get("in_text"):
        where = turn.t("chat.summary_place_in_text")
    else:
        where = turn.t("summary_no_location")
    decision = services.router.route(draft["text"], None)
    category = city.categories.get(decision.category or "")
    rahasia = city.rahasia_default if draft.get("rahasia") is None else draft["rahasia"]
    anonim = city.anonim_default if draft.get("anonim") is None else draft["anonim"]
    # What the public copy will hide, and the advice to file it rahasia (privacy.py): the
    # same reading intake makes, told before sending.
    notes = ""
    if not rahasia:
        copy = privacy.public_copy(draft["text"])
        if copy.kinds:
            kinds = ", ".join(privacy.label(kind, turn.language) for kind in copy.kinds)
            notes += turn.t("summary_hidden", kinds=kinds)
        if copy.accusation:
            notes += turn.t("summary_suggest_rahasia")
    return {
        "privacy": notes,
        "text": text,
        "location": where,
        "photos": str(len(draft.get("photos", []))),
        "rahasia": turn.t("yes" if rahasia else "no"),
        "anonim": turn.t("yes" if anonim else "no"),
        "category": (
            turn.t("summary_category_note", name=category.name)
            if category is not None and not category.desk
            else turn.t("summary_no_category")
        ),
    }
