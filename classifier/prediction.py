"""Prediction: the trained model, its answer for a text, and loading a saved model.

`TrainedModel` holds the fitted features, SVC, calibration, gate and routing threshold and
classifies texts one by one or in batches; `load` reads a model written by
`TrainedModel.save`. Trained models are pickled, and pickles name classes by module path:
`TrainedModel` and `Prediction` keep the path `classifier.model` (where they were defined before
that module was split), so models saved before and after the split load with either code.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC

from classifier.calibration import (
    DESK_CATEGORY,
    NON_COMPLAINT,
    _calibrated,
    _categories,
    _fold_classes,
    _gate_features,
    _gate_scores,
    _word_statistics,
)
from classifier.prepare import require_prepared

# The module path pickles name these classes by: the public one, `classifier.model`.
PICKLED_AS = "classifier.model"
TOP_TERMS = 5
SUGGESTIONS = 3


@dataclass(frozen=True, slots=True)
class Prediction:
    """The model's answer for one text.

    `confidence` is the calibrated probability of `category`; `suggestions` are the three most
    probable categories with their probabilities, best first (the first is `category`), and
    `ranking` all of them in that order;
    `top_terms` are the words of this text that pushed most towards `category`. `complaint`
    is False when the text is a greeting, thanks, praise, spam or a question (its category is
    then `lainnya`); `route_score` is the gate's estimate that `category` is right, the value
    the routing threshold applies to. `routable` is False for what may never be routed
    unseen: `lainnya`, and any text with more than a trace of non-complaint about it (a
    complaint wrapped in thanks is still a complaint, but one for the desk).
    """

    category: str
    confidence: float
    suggestions: tuple[tuple[str, float], ...]
    top_terms: tuple[str, ...]
    complaint: bool = True
    route_score: float = 0.0
    routable: bool = True
    # Every category the model knows, most probable first: where to look past the three
    # suggestions (the desk skips an agency that has already refused the complaint).
    ranking: tuple[tuple[str, float], ...] = ()


class TrainedModel:
    """A fitted model with its threshold, metrics and metadata; cheap to call per request.

    Route a complaint without a human when `prediction.routable` and
    `prediction.route_score >= model.threshold`.
    """

    def __init__(
        self,
        features: FeatureUnion,
        svc: LinearSVC,
        calibration: np.ndarray,
        gate: np.ndarray,
        *,
        threshold: float,
        non_complaint_cutoff: float,
        metrics: dict[str, Any],
        metadata: dict[str, Any],
    ) -> None:
        self.features = features
        self.svc = svc
        # (2, n_classes): slope and intercept of each class's sigmoid over its SVC score.
        self.calibration = calibration
        # (len(GATE_FEATURES) + 1,): the gate's coefficients, then its intercept.
        self.gate = gate
        self.threshold = threshold
        self.non_complaint_cutoff = non_complaint_cutoff
        self.metrics = metrics
        self.metadata = metadata
        self._prepare()

    @property
    def version(self) -> str:
        return self.metadata["version"]

    @property
    def labels(self) -> tuple[str, ...]:
        """The categories the model can answer (its non-complaint class shows as `lainnya`)."""
        return self._categories

    def predict(self, text: str) -> Prediction:
        """Classify one text; raises EmptyText when it has nothing to classify."""
        return self.predict_many([text])[0]

    def predict_many(self, texts: Sequence[str]) -> list[Prediction]:
        """Classify texts in one batch; raises EmptyText if any of them is empty."""
        if isinstance(texts, str):
            raise TypeError("predict_many takes a sequence of texts; use predict for one")
        if not texts:
            return []
        prepared = [require_prepared(t) for t in texts]
        matrix = self._transform(prepared)
        class_proba = _calibrated(matrix @ self._coef.T + self._intercept, self.calibration)
        proba, non_complaint = _fold_classes(class_proba, self._class_labels, self._categories)
        known, length = _word_statistics(self._word.vocabulary_, prepared)
        gate = _gate_scores(self.gate, _gate_features(proba, non_complaint, known, length))
        predictions = []
        for row in range(len(prepared)):
            # Stable sort on the negated probabilities: ties keep label order, so reproducible.
            full_order = np.argsort(-proba[row], kind="stable")
            order = full_order[:SUGGESTIONS]
            best = int(order[0])
            top_class = int(np.argmax(class_proba[row]))
            complaint = self._class_labels[top_class] != NON_COMPLAINT
            category = self._categories[best]
            predictions.append(
                Prediction(
                    category=category,
                    confidence=float(proba[row, best]),
                    suggestions=tuple((self._categories[i], float(proba[row, i])) for i in order),
                    top_terms=self._top_terms(matrix, row, top_class),
                    complaint=complaint,
                    route_score=float(gate[row]),
                    routable=bool(
                        complaint
                        and category != DESK_CATEGORY
                        and non_complaint[row] < self.non_complaint_cutoff
                    ),
                    ranking=tuple((self._categories[i], float(proba[row, i])) for i in full_order),
                )
            )
        return predictions

    def save(self, directory: str | Path) -> Path:
        """Write `<version>.joblib` and `<version>.json` (metadata) into `directory`."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{self.version}.joblib"
        joblib.dump(self, path, compress=3)
        (directory / f"{self.version}.json").write_text(
            json.dumps(self.metadata, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        return path

    def _prepare(self) -> None:
        # Derived lookups, rebuilt after loading instead of being stored twice on disk.
        self._class_labels = tuple(str(label) for label in self.svc.classes_)
        self._categories = _categories(self._class_labels)
        word, char = (transformer for _, transformer in self.features.transformer_list)
        self._word, self._char = word, char
        self._n_word = len(word.vocabulary_)
        self._word_terms = word.get_feature_names_out()
        self._coef = self.svc.coef_
        self._intercept = self.svc.intercept_

    def _transform(self, prepared: list[str]) -> sp.csr_matrix:
        # Same result as FeatureUnion.transform, without its per-call joblib dispatch and
        # sklearn's per-call input checks, which cost more than the vectorizing itself for a
        # single short text. A test keeps the two equal.
        return sp.hstack([_tfidf(self._word, prepared), _tfidf(self._char, prepared)], format="csr")

    def _top_terms(self, matrix: sp.csr_matrix, row: int, class_index: int) -> tuple[str, ...]:
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        columns, values = matrix.indices[start:end], matrix.data[start:end]
        weights = values * self._coef[class_index, columns]
        # Word n-grams only: they read as evidence; char n-grams ("jal", "an ") do not.
        is_word = columns < self._n_word
        return _readable_terms(columns[is_word], weights[is_word], self._word_terms)

    def __getstate__(self) -> dict[str, Any]:
        return {
            "features": self.features,
            "svc": self.svc,
            "calibration": self.calibration,
            "gate": self.gate,
            "threshold": self.threshold,
            "non_complaint_cutoff": self.non_complaint_cutoff,
            "metrics": self.metrics,
            "metadata": self.metadata,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._prepare()


def _tfidf(vectorizer: TfidfVectorizer, texts: list[str]) -> sp.csr_matrix:
    """`vectorizer.transform(texts)` for the fitted sublinear, l2-normalized vectorizers of
    `build_features`: counts, 1 + log, times idf, each row scaled to unit length."""
    counts = CountVectorizer.transform(vectorizer, texts).astype(np.float64)
    lengths = np.diff(counts.indptr)
    np.log(counts.data, out=counts.data)
    counts.data += 1.0
    counts.data *= vectorizer.idf_[counts.indices]
    rows = np.repeat(np.arange(counts.shape[0]), lengths)
    norms = np.sqrt(np.bincount(rows, weights=counts.data**2, minlength=counts.shape[0]))
    norms[norms == 0] = 1.0
    counts.data /= np.repeat(norms, lengths)
    return counts.astype(np.float32)


# Words that carry weight in the model (style, tone) but explain nothing when shown alone.
_FUNCTION_WORDS = frozenset({
    "ada", "admin", "aja", "akan", "aku", "atau", "bagaimana", "banget", "bapak", "belum",
    "bisa", "buat", "dan", "dari", "dengan", "di", "dong", "gimana", "hari", "ibu", "ini",
    "itu", "jadi", "juga", "kalau", "kami", "kamu", "karena", "ke", "kenapa", "kita", "lagi",
    "lah", "mana", "masih", "mau", "mohon", "nih", "pada", "saja", "sama", "sangat", "saya",
    "sejak", "sekali", "sih", "sudah", "tapi", "terima", "kasih", "terus", "tidak", "tolong",
    "untuk", "ya", "yang",
})  # fmt: skip


def _readable_terms(columns: np.ndarray, weights: np.ndarray, names: np.ndarray) -> tuple[str, ...]:
    chosen: list[str] = []
    shown: set[str] = set()
    for i in np.argsort(-weights, kind="stable"):
        if weights[i] <= 0 or len(chosen) == TOP_TERMS:
            break
        term = str(names[columns[i]])
        words = set(term.split()) - _FUNCTION_WORDS
        # Placeholders (_angka_) and function words ("saya", "sudah di") say nothing to an
        # officer; a term whose words are all shown already ("jalan" after "lampu jalan")
        # only repeats them. (An empty set of content words is always "shown".)
        if "_" in term or words <= shown:
            continue
        chosen.append(term)
        shown |= words
    return tuple(chosen)


def load(path: str | Path) -> TrainedModel:
    """Load a model written by `TrainedModel.save`; `path` is the .joblib or the .json file.

    joblib files are pickles: load only files this service wrote.
    """
    path = Path(path)
    if path.suffix == ".json":
        path = path.with_suffix(".joblib")
    model = joblib.load(path)
    if not isinstance(model, TrainedModel):
        raise TypeError(f"{path} does not hold a TrainedModel")
    return model


# Set after the definitions, so that a saved model names `classifier.model.TrainedModel` as it
# did before the split (classifier.model re-exports both classes).
Prediction.__module__ = PICKLED_AS
TrainedModel.__module__ = PICKLED_AS
