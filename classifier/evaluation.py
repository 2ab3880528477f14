"""Scores of a classifier on labelled examples: per-category table, coverage at the threshold,
confusion matrix, and a PNG of it for reports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from classifier.dataset import Example

if TYPE_CHECKING:
    from classifier.model import TrainedModel

__all__ = ["CategoryScore", "Evaluation", "evaluate", "plot_confusion", "score"]


@dataclass(frozen=True, slots=True)
class CategoryScore:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True, slots=True)
class Evaluation:
    """How predictions compare with the true categories.

    `coverage` is the share of texts whose confidence is >= `threshold` (those the service
    would route without a human); `precision_at_threshold` is the accuracy among them, None
    when none reach the threshold. `non_complaints_routed` counts texts that are no complaint
    (greetings, thanks...) among the routed: it should be 0. `confusion[i][j]` counts texts of `labels[i]` predicted as
    `labels[j]`. Macro-F1 averages over the categories present in the truth or the predictions.
    """

    labels: tuple[str, ...]
    per_category: dict[str, CategoryScore]
    accuracy: float
    macro_f1: float
    n: int
    threshold: float
    coverage: float
    precision_at_threshold: float | None
    confusion: tuple[tuple[int, ...], ...]
    non_complaints: int = 0
    non_complaints_routed: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The figures without the confusion matrix, JSON-ready (for model metadata)."""
        return {
            "n": self.n,
            "accuracy": self.accuracy,
            "macro_f1": self.macro_f1,
            "threshold": self.threshold,
            "coverage": self.coverage,
            "precision_at_threshold": self.precision_at_threshold,
            "non_complaints": self.non_complaints,
            "non_complaints_routed": self.non_complaints_routed,
            "per_category": {
                label: {
                    "precision": s.precision,
                    "recall": s.recall,
                    "f1": s.f1,
                    "support": s.support,
                }
                for label, s in self.per_category.items()
            },
        }

    def to_text(self) -> str:
        width = max(len("category"), *(len(label) for label in self.labels))
        lines = [f"{'category':<{width}}  precision  recall     f1  support"]
        for label in self.labels:
            s = self.per_category[label]
            lines.append(
                f"{label:<{width}}  {s.precision:9.3f}  {s.recall:6.3f}  {s.f1:5.3f}  {s.support:7d}"
            )
        at_threshold = (
            "n/a" if self.precision_at_threshold is None else f"{self.precision_at_threshold:.3f}"
        )
        lines += [
            "",
            f"n={self.n}  accuracy={self.accuracy:.3f}  macro-F1={self.macro_f1:.3f}",
            f"threshold={self.threshold:.3f}  coverage={self.coverage:.3f}  "
            f"precision at threshold={at_threshold}  "
            f"non-complaints routed={self.non_complaints_routed} of {self.non_complaints}",
        ]
        return "\n".join(lines)


def score(
    truth: Sequence[str],
    predicted: Sequence[str],
    confidence: Sequence[float],
    *,
    threshold: float,
    labels: Sequence[str] = (),
    non_complaint: Sequence[bool] = (),
) -> Evaluation:
    """Compare predictions with the truth; `labels` adds categories to show with no support.

    `confidence` is what the threshold applies to (a prediction that may not be routed at
    all carries one below any threshold); `non_complaint` marks truths that are no complaint.
    """
    if not truth:
        raise ValueError("nothing to evaluate")
    y_true = np.asarray(truth, dtype=object)
    y_pred = np.asarray(predicted, dtype=object)
    conf = np.asarray(confidence, dtype=float)
    present = sorted(set(truth) | set(predicted))
    shown = sorted(set(present) | set(labels))
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=shown, zero_division=0
    )
    per_category = {
        label: CategoryScore(float(p), float(r), float(f), int(s))
        for label, p, r, f, s in zip(shown, precision, recall, f1, support, strict=True)
    }
    correct = y_true == y_pred
    routed = conf >= threshold
    not_complaint = np.asarray(non_complaint, dtype=bool) if len(non_complaint) else None
    return Evaluation(
        labels=tuple(shown),
        per_category=per_category,
        accuracy=float(correct.mean()),
        macro_f1=float(np.mean([per_category[label].f1 for label in present])),
        n=len(truth),
        threshold=float(threshold),
        coverage=float(routed.mean()),
        precision_at_threshold=float(correct[routed].mean()) if routed.any() else None,
        confusion=tuple(
            tuple(int(v) for v in row) for row in confusion_matrix(y_true, y_pred, labels=shown)
        ),
        non_complaints=0 if not_complaint is None else int(not_complaint.sum()),
        non_complaints_routed=0 if not_complaint is None else int((not_complaint & routed).sum()),
    )


def evaluate(
    model: TrainedModel, examples: Sequence[Example], threshold: float | None = None
) -> Evaluation:
    """Score `model` on `examples` as routing would use it; `threshold` defaults to the
    model's own. Only routable predictions (a complaint, not `lainnya`) can count as routed."""
    predictions = model.predict_many([e.text for e in examples])
    return score(
        [e.category for e in examples],
        [p.category for p in predictions],
        [p.route_score if p.routable else -1.0 for p in predictions],
        threshold=model.threshold if threshold is None else threshold,
        labels=model.labels,
        non_complaint=[not e.complaint for e in examples],
    )


def plot_confusion(evaluation: Evaluation, path: str | Path) -> Path:
    """Write the confusion matrix as a PNG, rows normalized to recall so rare categories show."""
    # Figure + Agg canvas, not pyplot: no global backend switch, safe inside a server.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    counts = np.asarray(evaluation.confusion, dtype=float)
    totals = counts.sum(axis=1, keepdims=True)
    shares = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
    size = max(6.0, 0.42 * len(evaluation.labels) + 2)
    figure = Figure(figsize=(size, size), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    image = axes.imshow(shares, cmap="Blues", vmin=0.0, vmax=1.0)
    ticks = range(len(evaluation.labels))
    axes.set_xticks(ticks, evaluation.labels, rotation=90, fontsize=8)
    axes.set_yticks(ticks, evaluation.labels, fontsize=8)
    axes.set_xlabel("predicted")
    axes.set_ylabel("true")
    axes.set_title(
        f"accuracy {evaluation.accuracy:.3f}, macro-F1 {evaluation.macro_f1:.3f}, n={evaluation.n}"
    )
    for i, row in enumerate(counts):
        for j, value in enumerate(row):
            if value:
                colour = "white" if shares[i, j] > 0.5 else "black"
                axes.text(j, i, int(value), ha="center", va="center", fontsize=6, color=colour)
    figure.colorbar(image, ax=axes, fraction=0.046, pad=0.04, label="share of true category")
    figure.tight_layout()
    path = Path(path)
    figure.savefig(path, format="png")
    return path
