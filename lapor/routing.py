"""Where a new complaint goes: the one routing seam every intake channel passes through."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from lapor.city import CityConfig


@dataclass(frozen=True)
class Suggestion:
    category: str
    confidence: float


@dataclass(frozen=True)
class RoutingDecision:
    status: str  # "assigned" or "received" (waits at the verification desk)
    category: str | None
    agency: str | None
    auto_routed: bool
    reason: str
    predicted_category: str | None = None
    confidence: float | None = None
    model_version: str | None = None
    suggestions: tuple[Suggestion, ...] = ()
    top_terms: tuple[str, ...] = field(default=())


class Router(Protocol):
    def route(self, text: str, category_hint: str | None) -> RoutingDecision: ...


class CategoryRouter:
    """Routes by the category the citizen picked; without one the complaint waits at the desk."""

    def __init__(self, city: CityConfig) -> None:
        self.city = city

    def route(self, text: str, category_hint: str | None) -> RoutingDecision:
        if category_hint is None:
            return RoutingDecision("received", None, None, False, "no category given")
        category = self.city.categories[category_hint]
        if category.desk:
            return RoutingDecision("received", category.code, None, False, "desk category")
        return RoutingDecision(
            "assigned", category.code, category.agency, True, "category chosen by the reporter"
        )
