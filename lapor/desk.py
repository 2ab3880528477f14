"""The verification desk: complaints nobody has routed yet, each with the categories most
likely to fit, so the desk can route most of them with one choice."""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lapor import complaints, i18n, priority, routing
from lapor.errors import Forbidden
from lapor.repo import complaints as repo

if TYPE_CHECKING:
    from lapor.auth import Officer
    from lapor.context import Services

log = logging.getLogger(__name__)

SUGGESTIONS = 3


@dataclass(frozen=True)
class Suggestion:
    category: str
    name: str
    agency: str
    agency_name: str
    confidence: float | None  # None: not from a model
    reporters_choice: bool


def suggestions(
    services: Services, row: Any, refused: Collection[str] = ()
) -> tuple[list[Suggestion], str]:
    """Up to three categories for a complaint, best first, and where they came from.

    The active model is asked afresh when it gives probabilities (it may be newer than the
    one that saw the complaint arrive); otherwise what was stored at intake is used; without
    either, the model's stored guess and the reporter's own category. A category whose
    agency is in `refused` (it answered "bukan wewenang") is never suggested: the model's
    next-ranked category takes its place.
    """
    ranked: list[tuple[str, float | None]] = []
    source = ""
    try:
        decision = services.router.route(row["body"], row["category_hint"])
        ranked = [(s.category, s.confidence) for s in decision.ranking or decision.suggestions]
        source = (
            i18n.t("desk.source_active_model", version=decision.model_version) if ranked else ""
        )
    except Exception as error:  # e.g. a text the model cannot read: fall back to what is stored
        log.info("desk suggestions fell back error=%s", type(error).__name__)
    if not ranked and row["suggestions"]:
        ranked = [(s["category"], s.get("confidence")) for s in row["suggestions"]]
        source = i18n.t("desk.source_at_intake")
    if not ranked:
        ranked = [
            (code, row["confidence"] if code == row["predicted_category"] else None)
            for code in (row["predicted_category"], row["category_hint"])
            if code
        ]
        source = i18n.t("desk.source_stored")
    city = services.city
    found: list[Suggestion] = []
    # "lainnya" stays at the desk: it is no destination to route to.
    for code, confidence in routing.next_ranked(city, ranked, refused, limit=SUGGESTIONS):
        category = city.categories[code]
        agency = city.agencies[category.agency]
        found.append(
            Suggestion(
                code,
                category.name,
                agency.code,
                agency.name,
                confidence,
                code == row["category_hint"],
            )
        )
    return found, source


def first_choice(services: Services, view: Mapping[str, Any]) -> str | None:
    """The category the desk's verify form starts on for one complaint, from its officer's
    view (complaints.full_view: its text, routing and timeline, no query again): its best
    suggestion, never one whose agency has refused it ("not_ours" in the timeline)."""
    routing = view["routing"]
    row = {
        "body": view["text"],
        "category_hint": view["category_hint"],
        "predicted_category": routing["predicted_category"],
        "confidence": routing["confidence"],
        "suggestions": routing["suggestions"],
    }
    refused = {
        event["from_agency"]["code"]
        for event in view["timeline"]
        if event["kind"] == "not_ours" and event["from_agency"]
    }
    found, _ = suggestions(services, row, refused)
    return found[0].category if found else None


async def desk_queue(
    services: Services, officer: Officer, *, cursor: str | None = None, limit: int = 20
) -> dict[str, Any]:
    """The desk's queue (received complaints, the highest priority and the most urgent first)
    with suggestions."""
    if officer.role not in ("verifier", "admin"):
        raise Forbidden(i18n.t("problem.desk_only"))
    page = await complaints.queue(services, officer, status="received", cursor=cursor, limit=limit)
    codes = [item["tracking_code"] for item in page["items"]]
    async with services.pool.acquire() as conn:
        rows = {r["tracking_code"]: r for r in await repo.for_desk(conn, codes)}
        refused = await repo.refused_agencies(conn, codes)
    for item in page["items"]:
        row = rows[item["tracking_code"]]
        item["text"] = row["body"]
        item["category_hint"] = row["category_hint"]
        item["non_complaint"] = row["non_complaint"]
        item["refused_agencies"] = sorted(refused.get(item["tracking_code"], ()))
        item["suggestions"], item["suggestion_source"] = suggestions(
            services, row, item["refused_agencies"]
        )
        # The words that suggested its priority at intake, for the desk to judge.
        item["priority_words"] = list(priority.suggest(row["body"]).words)
    return page
