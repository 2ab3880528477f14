"""The monthly report's number formats, Indonesian style (a decimal comma, a dot between
thousands). No matplotlib here: the pages import these without loading the charts."""

from __future__ import annotations

import math

from lapor import ikm


def number(value: float | int | None, places: int = 1) -> str:
    """Indonesian style: a decimal comma, a dot between thousands; "-" for no value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    text = f"{value:,.{places}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def percent(share: float | None) -> str:
    return "-" if share is None else number(share * 100, 1) + "%"


def change(now: float | int | None, before: float | int | None, kind: str = "count") -> str:
    """The change against the month before: a count, percentage points, or IKM points."""
    if now is None or before is None:
        return "-"
    if kind == "share":
        delta = (now - before) * 100
        return ("+" if delta > 0 else "") + number(delta, 1) + " poin"
    delta = now - before
    if isinstance(delta, int):
        return ("+" if delta > 0 else "") + number(delta)
    return ("+" if delta > 0 else "") + number(delta, 2)


def converted(result: ikm.IkmResult) -> float | None:
    return None if result.converted is None else result.as_dict()["converted"]
