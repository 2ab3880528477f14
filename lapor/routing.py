"""Where a new complaint goes: the one routing seam every intake channel passes through."""

from __future__ import annotations

from collections.abc import Collection, Iterable
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
    # A greeting, thanks, praise, question or spam: filed at the desk, marked, never routed.
    non_complaint: bool = False
    # Every category the model ranked, best first (suggestions are its first three): where
    # the next destination comes from once an agency has answered "bukan wewenang".
    ranking: tuple[Suggestion, ...] = ()


def next_ranked(
    city: CityConfig,
    ranked: Iterable[tuple[str, float | None]],
    refused: Collection[str] = (),
    *,
    limit: int | None = None,
) -> list[tuple[str, float | None]]:
    """The ranked categories one may still route to, best first: no desk category, no
    category twice, and none whose agency has already refused the complaint ("bukan
    wewenang"), so the next-ranked agency comes up instead of the one that sent it back."""
    found: list[tuple[str, float | None]] = []
    seen: set[str] = set()
    for code, confidence in ranked:
        category = city.categories.get(code)
        if category is None or category.desk or code in seen or category.agency in refused:
            continue
        seen.add(code)
        found.append((code, confidence))
        if limit is not None and len(found) >= limit:
            break
    return found


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


class Classifier(Protocol):
    """What routing needs of a trained model (classifier.model.TrainedModel fits)."""

    threshold: float

    @property
    def version(self) -> str: ...

    def predict(self, text: str): ...


class ClassifierRouter:
    """The model decides; the citizen's category is only a hint, as at LAPOR!.

    Predictions the model's gate trusts (its route score at or above the threshold) go
    straight to the mapped agency; the rest, anything the model calls `lainnya`, and texts it
    recognizes as no complaint at all wait at the verification desk with the top three
    suggestions.
    """

    def __init__(self, city: CityConfig, model: Classifier) -> None:
        self.city = city
        self.model = model
        self.threshold = (
            city.confidence_threshold if city.confidence_threshold is not None else model.threshold
        )

    def route(self, text: str, category_hint: str | None) -> RoutingDecision:
        prediction = self.model.predict(text)
        suggestions = tuple(Suggestion(c, round(p, 4)) for c, p in prediction.suggestions)
        # Models pickled before the ranking existed answer without it: their three suggestions.
        ranking = tuple(
            Suggestion(c, round(p, 4)) for c, p in getattr(prediction, "ranking", ()) or ()
        )
        facts = {
            "predicted_category": prediction.category,
            "confidence": round(prediction.confidence, 4),
            "non_complaint": not prediction.complaint,
            "model_version": self.model.version,
            "suggestions": suggestions,
            "top_terms": tuple(prediction.top_terms),
            "ranking": ranking or suggestions,
        }
        category = self.city.categories[prediction.category]
        score = prediction.route_score
        if not prediction.complaint:
            reason = "not a complaint"
        elif category.desk:
            reason = "desk category"
        elif not prediction.routable:
            reason = "may be no complaint"
        elif score >= self.threshold:
            return RoutingDecision(
                "assigned",
                category.code,
                category.agency,
                True,
                f"model route score {score:.2f} >= {self.threshold:.2f}",
                **facts,
            )
        else:
            reason = f"model route score {score:.2f} < {self.threshold:.2f}"
        return RoutingDecision("received", None, None, False, reason, **facts)
