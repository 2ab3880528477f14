"""Calibration and the gate: SVC scores to probabilities, and how far to trust them.

Per-class sigmoids (Platt scaling, fitted on out-of-fold scores) turn the SVC's scores into
probabilities; the model's non-complaint class is folded into the category `lainnya`. A small
logistic "gate" estimates how likely a prediction is right from more than its top probability
(the margin to the runner-up, the share of the text's words the model knows, its length), and
the routing threshold is chosen on the gate so that what is routed unseen meets the target
precision. Used by `classifier.training` (fitting) and `classifier.prediction` (applying).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.special import expit
from sklearn.linear_model import LogisticRegression

from classifier.dataset import NON_COMPLAINT_CATEGORY

# Threshold meaning "route nothing automatically": above any probability, yet valid JSON.
NO_AUTO_ROUTE = math.nextafter(1.0, math.inf)
# The model's own class for texts that are no complaint; shown as category `lainnya`.
NON_COMPLAINT = "_bukan_aduan"
# The category that is no destination: whatever the model calls it waits at the desk.
DESK_CATEGORY = NON_COMPLAINT_CATEGORY
GATE_FEATURES = ("top_probability", "margin", "known_words", "log_length", "non_complaint")
# A routed text that is no complaint (a thank-you sent to an agency's queue) is worse than an
# unsure complaint left at the desk: the non-complaint probability above which nothing is
# routed is the largest of these that lets at most this share of non-complaints through, out
# of fold, on authors the model has not read.
NON_COMPLAINT_CUTOFFS = (0.5, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001)
NON_COMPLAINTS_ROUTED = 0.01


def _categories(class_labels: Sequence[str]) -> tuple[str, ...]:
    """The public categories: the classes, with the non-complaint class shown as lainnya."""
    shown = {DESK_CATEGORY if label == NON_COMPLAINT else label for label in class_labels}
    return tuple(sorted(shown))


def _calibrated(scores: np.ndarray, calibration: np.ndarray) -> np.ndarray:
    """Per-class sigmoids of the SVC scores, normalized to sum to one per row."""
    proba = expit(calibration[0] * scores + calibration[1])
    total = proba.sum(axis=1, keepdims=True)
    uniform = np.full_like(proba, 1 / proba.shape[1])
    return np.divide(proba, total, out=uniform, where=total != 0)


def _fold_classes(
    class_proba: np.ndarray, class_labels: Sequence[str], categories: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Category probabilities (non-complaint added to lainnya) and the non-complaint column."""
    column = {label: i for i, label in enumerate(categories)}
    proba = np.zeros((class_proba.shape[0], len(categories)))
    non_complaint = np.zeros(class_proba.shape[0])
    for j, label in enumerate(class_labels):
        if label == NON_COMPLAINT:
            non_complaint = class_proba[:, j]
            label = DESK_CATEGORY
        proba[:, column[label]] += class_proba[:, j]
    return proba, non_complaint


def _word_statistics(
    vocabulary: dict[str, int], prepared: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Per text: the share of its words the model has seen in training, and its word count."""
    known, length = [], []
    for text in prepared:
        tokens = text.split()
        length.append(len(tokens))
        known.append(sum(t in vocabulary for t in tokens) / len(tokens) if tokens else 0.0)
    return np.array(known), np.array(length, dtype=float)


def _gate_features(
    proba: np.ndarray, non_complaint: np.ndarray, known: np.ndarray, length: np.ndarray
) -> np.ndarray:
    top_two = np.sort(proba, axis=1)[:, -2:]
    return np.column_stack(
        [top_two[:, 1], top_two[:, 1] - top_two[:, 0], known, np.log1p(length), non_complaint]
    )


def _gate_scores(gate: np.ndarray, features: np.ndarray) -> np.ndarray:
    return expit(features @ gate[:-1] + gate[-1])


def choose_threshold(
    confidences: Sequence[float], correct: Sequence[bool], target_precision: float
) -> float:
    """The lowest confidence t such that predictions with confidence >= t are at least
    `target_precision` correct, or NO_AUTO_ROUTE when no t achieves it (or no data).

    t is always one of the given confidences. Equal confidences are kept together: a cut can
    not fall between two predictions of the same confidence, since the rule ">= t" takes both.
    Precision need not rise with t; the rule takes the largest set that meets the target, even
    if some smaller, more confident set does not (their errors are diluted, not ignored).
    """
    conf = np.asarray(confidences, dtype=float)
    ok = np.asarray(correct, dtype=bool)
    if conf.shape != ok.shape:
        raise ValueError("confidences and correct differ in length")
    if conf.size == 0:
        return NO_AUTO_ROUTE
    order = np.argsort(-conf, kind="stable")
    conf, ok = conf[order], ok[order]
    taken = np.arange(1, conf.size + 1)
    right = np.cumsum(ok)
    # A cut is possible only after the last of a run of equal confidences.
    end_of_tie = np.append(conf[1:] != conf[:-1], True)
    # Compare counts, not a rounded ratio: 97 right of 100 meets 0.97.
    meets = end_of_tie & (right >= target_precision * taken - 1e-9)
    if not meets.any():
        return NO_AUTO_ROUTE
    return float(conf[np.flatnonzero(meets)[-1]])


def _fit_calibration(
    scores: np.ndarray, labels: np.ndarray, class_labels: Sequence[str]
) -> np.ndarray:
    """Platt scaling per class on out-of-fold scores: (slope, intercept) per class."""
    calibration = np.zeros((2, len(class_labels)))
    for j, label in enumerate(class_labels):
        is_label = labels == label
        if is_label.all() or not is_label.any():
            calibration[:, j] = (1.0, 0.0)
            continue
        fitted = LogisticRegression(C=100.0).fit(scores[:, [j]], is_label)
        calibration[:, j] = (fitted.coef_[0, 0], fitted.intercept_[0])
    return calibration


def _fit_gate(features: np.ndarray, correct: np.ndarray) -> np.ndarray:
    if correct.all() or not correct.any():  # nothing to learn: a constant score
        constant = 10.0 if correct.all() else -10.0
        return np.append(np.zeros(features.shape[1]), constant)
    fitted = LogisticRegression(C=1.0).fit(features, correct)
    return np.append(fitted.coef_[0], fitted.intercept_[0])


def _choose_cutoff_and_threshold(
    route_scores: np.ndarray,
    correct: np.ndarray,
    candidates: np.ndarray,
    non_complaint_proba: np.ndarray,
    is_non_complaint: np.ndarray,
    target_precision: float,
) -> tuple[float, float, np.ndarray]:
    """The non-complaint cutoff (see NON_COMPLAINTS_ROUTED) and, under it, the route-score
    threshold meeting the target precision; with the rows they would route."""
    allowed_share = NON_COMPLAINTS_ROUTED * is_non_complaint.sum()
    for cutoff in NON_COMPLAINT_CUTOFFS:
        routable = candidates & (non_complaint_proba < cutoff)
        threshold = choose_threshold(route_scores[routable], correct[routable], target_precision)
        routed = routable & (route_scores >= threshold)
        if (routed & is_non_complaint).sum() <= allowed_share:
            break
    return cutoff, threshold, routable
