"""Training, saving, loading and prediction of the complaint category model.

Features: word 1-2-gram and char_wb 2-5-gram TF-IDF of the prepared text (boilerplate
stripped, normalized). Classifier: a class-balanced LinearSVC over the 23 categories plus one
class for texts that are no complaint at all (greetings, thanks, praise, spam), fitted on
every example. Its scores become probabilities through per-class sigmoids fitted on
out-of-fold scores, where each fold holds out whole authors; a small logistic "gate" fitted on
the same out-of-fold predictions says how likely a prediction is right from more than its top
probability (the margin to the runner-up, the share of the text's words the model knows, its
length), and the routing threshold is chosen on the gate so that what is routed unseen meets
the target precision on authors the model never saw.
"""

from __future__ import annotations

import json
import math
import platform
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import scipy
import scipy.sparse as sp
import sklearn
from scipy.special import expit
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC
from threadpoolctl import threadpool_limits

from classifier.dataset import CATEGORIES, NON_COMPLAINT_CATEGORY, Example, data_hash
from classifier.evaluation import score
from classifier.prepare import prepare, require_prepared

__all__ = [
    "NON_COMPLAINT",
    "NO_AUTO_ROUTE",
    "Prediction",
    "TrainedModel",
    "choose_threshold",
    "load",
    "train",
]

# Threshold meaning "route nothing automatically": above any probability, yet valid JSON.
NO_AUTO_ROUTE = math.nextafter(1.0, math.inf)
# The model's own class for texts that are no complaint; shown as category `lainnya`.
NON_COMPLAINT = "_bukan_aduan"
# The category that is no destination: whatever the model calls it waits at the desk.
DESK_CATEGORY = NON_COMPLAINT_CATEGORY
CV_FOLDS = 5
SVC_C = 0.5
TOP_TERMS = 5
SUGGESTIONS = 3
GATE_FEATURES = ("top_probability", "margin", "known_words", "log_length", "non_complaint")
# A routed text that is no complaint (a thank-you sent to an agency's queue) is worse than an
# unsure complaint left at the desk: the non-complaint probability above which nothing is
# routed is the largest of these that lets at most this share of non-complaints through, out
# of fold, on authors the model has not read.
NON_COMPLAINT_CUTOFFS = (0.5, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001)
NON_COMPLAINTS_ROUTED = 0.01


@dataclass(frozen=True, slots=True)
class Prediction:
    """The model's answer for one text.

    `confidence` is the calibrated probability of `category`; `suggestions` are the three most
    probable categories with their probabilities, best first (the first is `category`);
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
            order = np.argsort(-proba[row], kind="stable")[:SUGGESTIONS]
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
