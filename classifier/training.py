"""Features and training: the TF-IDF features, the SVC, and `train`.

Features: word 1-2-gram and char_wb 2-5-gram TF-IDF of the prepared text. Classifier: a
class-balanced LinearSVC over the categories plus one class for texts that are no complaint,
fitted on every example. `train` measures the model by cross-validation whose folds hold out
whole authors, fits the calibration, gate and threshold (`classifier.calibration`) on the
out-of-fold predictions, and returns a `classifier.prediction.TrainedModel`.
"""

from __future__ import annotations

import platform
import warnings
from collections.abc import Sequence
from datetime import UTC, datetime

import joblib
import numpy as np
import scipy
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC
from threadpoolctl import threadpool_limits

from classifier.calibration import (
    DESK_CATEGORY,
    GATE_FEATURES,
    NON_COMPLAINT,
    _calibrated,
    _categories,
    _choose_cutoff_and_threshold,
    _fit_calibration,
    _fit_gate,
    _fold_classes,
    _gate_features,
    _gate_scores,
    _word_statistics,
)
from classifier.dataset import CATEGORIES, Example, data_hash
from classifier.evaluation import score
from classifier.prediction import TrainedModel
from classifier.prepare import prepare

CV_FOLDS = 5
SVC_C = 0.5


def build_features() -> FeatureUnion:
    # Texts arrive prepared (lower case, masked), so the vectorizers must not lowercase.
    # min_df=2 drops one-off n-grams (typos, names): a smaller model, no loss of accuracy.
    word = TfidfVectorizer(
        analyzer="word",
        ngram_range=(1, 2),
        sublinear_tf=True,
        lowercase=False,
        min_df=2,
        dtype=np.float32,
    )
    char = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 5),
        sublinear_tf=True,
        lowercase=False,
        min_df=2,
        dtype=np.float32,
    )
    return FeatureUnion([("word", word), ("char", char)])


# The score a fold gives a class it never saw in training: below any real SVC score.
_MISSING_SCORE = -5.0


def _fit_svc(
    texts: np.ndarray, labels: np.ndarray, weights: np.ndarray, seed: int
) -> tuple[FeatureUnion, LinearSVC]:
    # One BLAS thread: liblinear and the small solvers here make many tiny BLAS calls, where
    # OpenBLAS threads only add hand-offs; on a busy 2-core machine they made training ten
    # times slower.
    with threadpool_limits(limits=1, user_api="blas"):
        features = build_features()
        # dual=True: text has more features than examples, where the dual solver is fast.
        svc = LinearSVC(C=SVC_C, class_weight="balanced", dual=True, random_state=seed)
        svc.fit(features.fit_transform(texts), labels, sample_weight=weights)
    return features, svc


def _held_out_fold(
    texts: np.ndarray,
    labels: np.ndarray,
    weights: np.ndarray,
    train_rows: np.ndarray,
    test_rows: np.ndarray,
    class_labels: Sequence[str],
    seed: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """SVC scores (in `class_labels` order), known-word shares and lengths of held-out rows."""
    features, svc = _fit_svc(texts[train_rows], labels[train_rows], weights[train_rows], seed)
    held = list(texts[test_rows])
    fitted = np.asarray(features.transform(held) @ svc.coef_.T) + svc.intercept_
    column = {label: i for i, label in enumerate(class_labels)}
    scores = np.full((len(held), len(class_labels)), _MISSING_SCORE)
    for j, label in enumerate(svc.classes_):
        scores[:, column[label]] = fitted[:, j]
    known, length = _word_statistics(features.transformer_list[0][1].vocabulary_, held)
    return scores, known, length


def _out_of_fold(
    texts: np.ndarray,
    labels: np.ndarray,
    weights: np.ndarray,
    splits: Sequence[tuple[np.ndarray, np.ndarray]],
    class_labels: Sequence[str],
    seed: int,
    n_jobs: int | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    results = joblib.Parallel(n_jobs=n_jobs)(
        joblib.delayed(_held_out_fold)(
            texts, labels, weights, train_rows, test_rows, class_labels, seed
        )
        for train_rows, test_rows in splits
    )
    scores = np.zeros((texts.size, len(class_labels)))
    known, length = np.zeros(texts.size), np.zeros(texts.size)
    for (_, test_rows), (fold_scores, fold_known, fold_length) in zip(splits, results, strict=True):
        scores[test_rows], known[test_rows], length[test_rows] = (
            fold_scores,
            fold_known,
            fold_length,
        )
    return scores, known, length


def train(
    examples: Sequence[Example],
    *,
    seed: int = 0,
    target_precision: float = 0.95,
    extra: Sequence[Example] = (),
    now: datetime | None = None,
    n_jobs: int | None = None,
) -> TrainedModel:
    """Measure the model by CV grouped by author, fit its calibration, gate and threshold on
    the out-of-fold predictions, and fit the classifier on all examples.

    `extra` holds corrections (e.g. officers' decisions at the desk), trained on like the
    rest with their own `weight`. Folds hold out whole authors (StratifiedGroupKFold), so the
    probabilities, the gate and the threshold reflect text from people the model has not
    read. Same examples (in any order), extra and seed give identical predictions. `now`
    (default: the current UTC time) dates the version; `n_jobs` runs the folds in parallel
    processes (joblib semantics: None is one, -1 is every core).
    """
    everything = sorted(
        [*examples, *extra],
        key=lambda e: (e.category, e.source, e.author, e.text, e.complaint, e.weight),
    )
    if not everything:
        raise ValueError("no training examples")
    texts = np.array([prepare(e.text) for e in everything], dtype=object)
    labels = np.array(
        [e.category if e.complaint else NON_COMPLAINT for e in everything], dtype=object
    )
    categories = np.array([e.category for e in everything], dtype=object)
    non_complaint = labels == NON_COMPLAINT
    groups = np.array([e.author for e in everything], dtype=object)
    weights = np.array([e.weight for e in everything], dtype=float)
    class_labels = sorted(set(labels))
    counts = {label: int((labels == label).sum()) for label in class_labels}
    if unknown := sorted(set(categories) - set(CATEGORIES)):
        raise ValueError(f"unknown categories: {', '.join(unknown)}")
    if len(set(categories)) < 3:
        # Two classes would make every array a special case (one score, one calibrator).
        raise ValueError("need at least three categories")
    if too_few := sorted(label for label, n in counts.items() if n < 2):
        raise ValueError(f"need at least two examples per category: {', '.join(too_few)}")
    n_authors = len(set(groups))
    if n_authors < 2:
        raise ValueError("need at least two authors to cross-validate by author")

    with warnings.catch_warnings():
        # Rare classes make sklearn warn that a fold may miss them; folds handle that.
        warnings.filterwarnings("ignore", message="The least populated class", category=UserWarning)
        grouped = StratifiedGroupKFold(
            n_splits=min(CV_FOLDS, n_authors), shuffle=True, random_state=seed
        )
        splits = list(grouped.split(texts, labels, groups))
    scores, known, length = _out_of_fold(texts, labels, weights, splits, class_labels, seed, n_jobs)
    calibration = _fit_calibration(scores, labels, class_labels)
    shown = _categories(class_labels)
    class_proba = _calibrated(scores, calibration)
    proba, non_complaint_proba = _fold_classes(class_proba, class_labels, shown)
    predicted = np.array(shown, dtype=object)[proba.argmax(axis=1)]
    predicted_complaint = (
        np.array(class_labels, dtype=object)[class_proba.argmax(axis=1)] != NON_COMPLAINT
    )
    correct = predicted == categories
    gate_features = _gate_features(proba, non_complaint_proba, known, length)
    gate = _fit_gate(gate_features, correct)
    route_scores = _gate_scores(gate, gate_features)
    cutoff, threshold, routable = _choose_cutoff_and_threshold(
        route_scores,
        correct,
        predicted_complaint & (predicted != DESK_CATEGORY),
        non_complaint_proba,
        non_complaint,
        target_precision,
    )
    grouped_eval = score(
        list(categories),
        list(predicted),
        np.where(routable, route_scores, -1.0),
        threshold=threshold,
        non_complaint=non_complaint,
    )
    metrics = {
        "grouped_cv": {**grouped_eval.to_dict(), "folds": len(splits), "group_by": "author"},
        "target_precision": target_precision,
    }

    features, svc = _fit_svc(texts, labels, weights, seed)
    trained_at = (now or datetime.now(UTC)).astimezone(UTC)
    hashed = data_hash(everything)
    version = f"{trained_at:%Y%m%d-%H%M%S}-{hashed[:8]}"
    metadata = {
        "version": version,
        "trained_at": trained_at.isoformat(),
        "data_hash": hashed,
        "n_examples": len(everything),
        "n_extra": len(extra),
        "examples_per_category": {c: int((categories == c).sum()) for c in shown},
        "non_complaints": int(non_complaint.sum()),
        "authors": sorted(set(groups)),
        "labels": list(shown),
        "threshold": threshold,
        "non_complaint_cutoff": cutoff,
        "target_precision": target_precision,
        "seed": seed,
        "metrics": metrics,
        "model": {
            "features": "word 1-2 + char_wb 2-5 tf-idf of the prepared text",
            "svc_c": SVC_C,
            "gate": dict(zip([*GATE_FEATURES, "intercept"], gate.round(4).tolist(), strict=True)),
        },
        "versions": {
            "python": platform.python_version(),
            "sklearn": sklearn.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
        },
    }
    return TrainedModel(
        features,
        svc,
        calibration,
        gate,
        threshold=threshold,
        non_complaint_cutoff=cutoff,
        metrics=metrics,
        metadata=metadata,
    )
