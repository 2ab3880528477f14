"""Training, saving, loading and prediction of the complaint category model.

Features: word 1-2-gram and char_wb 2-5-gram TF-IDF of the normalized text. Classifier: a
class-balanced LinearSVC whose scores are turned into probabilities by sigmoid calibration on
a held-out calibration split. `train` also measures the model by cross-validation grouped by
source and picks the confidence threshold above which complaints may be routed unseen.
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
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC
from threadpoolctl import threadpool_limits

from classifier.dataset import CATEGORIES, Example, data_hash
from classifier.evaluation import score
from classifier.normalize import normalize, require_text

__all__ = [
    "NO_AUTO_ROUTE",
    "Prediction",
    "TrainedModel",
    "choose_threshold",
    "load",
    "train",
]

# Threshold meaning "route nothing automatically": above any probability, yet valid JSON.
NO_AUTO_ROUTE = math.nextafter(1.0, math.inf)
CALIBRATION_SHARE = 0.2
CV_FOLDS = 5
SVC_C = 1.0
TOP_TERMS = 5
SUGGESTIONS = 3


@dataclass(frozen=True, slots=True)
class Prediction:
    """The model's answer for one text.

    `confidence` is the calibrated probability of `category`; `suggestions` are the three most
    probable categories with their probabilities, best first (the first is `category`);
    `top_terms` are the words of this text that pushed most towards `category`.
    """

    category: str
    confidence: float
    suggestions: tuple[tuple[str, float], ...]
    top_terms: tuple[str, ...]


def build_features() -> FeatureUnion:
    # Texts arrive normalized (lower case, masked), so the vectorizers must not lowercase.
    # min_df=2 drops one-off n-grams (typos, names): a smaller model, no loss of accuracy.
    # char_wb 2-5 as specified: on the 6,909-complaint corpus 3-5 trained a quarter faster with
    # the same grouped-CV macro-F1 (0.9672 vs 0.9666) but one more holdout error (0.9599 vs
    # 0.9630 accuracy); `lapor train` runs the CV folds on both cores to stay well under 60 s.
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

    Route a complaint without a human when `prediction.confidence >= model.threshold`.
    """

    def __init__(
        self,
        features: FeatureUnion,
        calibrated: CalibratedClassifierCV,
        *,
        threshold: float,
        metrics: dict[str, Any],
        metadata: dict[str, Any],
    ) -> None:
        self.features = features
        self.calibrated = calibrated
        self.threshold = threshold
        self.metrics = metrics
        self.metadata = metadata
        self._prepare()

    @property
    def version(self) -> str:
        return self.metadata["version"]

    @property
    def labels(self) -> tuple[str, ...]:
        return self._labels

    def predict(self, text: str) -> Prediction:
        """Classify one text; raises EmptyText when it has nothing to classify."""
        return self.predict_many([text])[0]

    def predict_many(self, texts: Sequence[str]) -> list[Prediction]:
        """Classify texts in one batch; raises EmptyText if any of them is empty."""
        if isinstance(texts, str):
            raise TypeError("predict_many takes a sequence of texts; use predict for one")
        if not texts:
            return []
        matrix = self._transform([require_text(t) for t in texts])
        probabilities = self._probabilities(matrix)
        predictions = []
        for row, proba in enumerate(probabilities):
            # Stable sort on the negated probabilities: ties keep label order, so reproducible.
            order = np.argsort(-proba, kind="stable")[:SUGGESTIONS]
            best = int(order[0])
            predictions.append(
                Prediction(
                    category=self._labels[best],
                    confidence=float(proba[best]),
                    suggestions=tuple((self._labels[i], float(proba[i])) for i in order),
                    top_terms=self._top_terms(matrix, row, best),
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
        self._labels = tuple(str(label) for label in self.calibrated.classes_)
        word, char = (transformer for _, transformer in self.features.transformer_list)
        self._word, self._char = word, char
        self._n_word = len(word.vocabulary_)
        self._word_terms = word.get_feature_names_out()
        (pair,) = self.calibrated.calibrated_classifiers_
        svc = pair.estimator.estimator
        if list(svc.classes_) != list(self.calibrated.classes_):
            raise ValueError("classifier and calibration disagree on the categories")
        self._coef = svc.coef_
        self._intercept = svc.intercept_
        # Platt parameters per class, so prediction is one matrix product and one expit.
        self._sigmoid_a = np.array([c.a_ for c in pair.calibrators])
        self._sigmoid_b = np.array([c.b_ for c in pair.calibrators])

    def _transform(self, normalized: list[str]) -> sp.csr_matrix:
        # Same result as FeatureUnion.transform, without its per-call joblib dispatch, which
        # costs more than the vectorizing itself for a single short text.
        return sp.hstack(
            [self._word.transform(normalized), self._char.transform(normalized)], format="csr"
        )

    def _probabilities(self, matrix: sp.csr_matrix) -> np.ndarray:
        """`self.calibrated.predict_proba(matrix)`, without its per-class input validation,
        which costs ten times the arithmetic for one text. A test keeps the two equal."""
        scores = matrix @ self._coef.T + self._intercept
        proba = expit(-(self._sigmoid_a * scores + self._sigmoid_b))
        total = proba.sum(axis=1, keepdims=True)
        uniform = np.full_like(proba, 1 / proba.shape[1])
        proba = np.divide(proba, total, out=uniform, where=total != 0)
        proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
        return proba

    def _top_terms(self, matrix: sp.csr_matrix, row: int, label_index: int) -> tuple[str, ...]:
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        columns, values = matrix.indices[start:end], matrix.data[start:end]
        weights = values * self._coef[label_index, columns]
        # Word n-grams only: they read as evidence; char n-grams ("jal", "an ") do not.
        is_word = columns < self._n_word
        return _readable_terms(columns[is_word], weights[is_word], self._word_terms)

    def __getstate__(self) -> dict[str, Any]:
        return {
            "features": self.features,
            "calibrated": self.calibrated,
            "threshold": self.threshold,
            "metrics": self.metrics,
            "metadata": self.metadata,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._prepare()


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


class _Fitted:
    """Features and calibrated classifier fitted on one training set."""

    def __init__(self, features: FeatureUnion, calibrated: CalibratedClassifierCV) -> None:
        self.features = features
        self.calibrated = calibrated

    def probabilities(self, texts: Sequence[str], labels: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities in the column order of `labels` (0 for unknown classes)."""
        proba = self.calibrated.predict_proba(self.features.transform(texts))
        out = np.zeros((len(texts), len(labels)))
        column = {label: i for i, label in enumerate(labels)}
        for j, label in enumerate(self.calibrated.classes_):
            out[:, column[label]] = proba[:, j]
        return out


def _fit(texts: np.ndarray, labels: np.ndarray, seed: int) -> _Fitted:
    """Fit features and LinearSVC on most of the data, calibrate on the rest.

    Every category needs two examples, one for each part; categories with fewer are left
    out of this fit (only ever in a CV fold: `train` refuses such data up front).
    """
    # One BLAS thread: the solvers here make thousands of tiny BLAS calls (23 two-parameter
    # sigmoid fits), where OpenBLAS threads only add hand-offs; on a busy 2-core machine they
    # made training ten times slower.
    with threadpool_limits(limits=1, user_api="blas"):
        return _fit_single_threaded(texts, labels, seed)


def _fit_single_threaded(texts: np.ndarray, labels: np.ndarray, seed: int) -> _Fitted:
    fit_rows, calibration_rows = _calibration_split(labels, seed)
    features = build_features()
    # dual=True: text has more features than examples, where the dual solver is the fast one.
    svc = LinearSVC(C=SVC_C, class_weight="balanced", dual=True, random_state=seed)
    svc.fit(features.fit_transform(texts[fit_rows]), labels[fit_rows])
    # FrozenEstimator: the SVC is not refitted; all calibration rows are scored once. One
    # split that scores every row keeps sklearn from re-splitting them per class.
    everything = np.arange(calibration_rows.size)
    calibrated = CalibratedClassifierCV(
        FrozenEstimator(svc), method="sigmoid", cv=[(everything, everything)]
    )
    calibrated.fit(features.transform(texts[calibration_rows]), labels[calibration_rows])
    return _Fitted(features, calibrated)


def _calibration_split(labels: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    fit_rows, calibration_rows = [], []
    for label in np.unique(labels):
        rows = rng.permutation(np.flatnonzero(labels == label))
        if rows.size < 2:
            continue
        n_calibration = min(rows.size - 1, max(1, round(CALIBRATION_SHARE * rows.size)))
        calibration_rows.append(rows[:n_calibration])
        fit_rows.append(rows[n_calibration:])
    return np.sort(np.concatenate(fit_rows)), np.sort(np.concatenate(calibration_rows))


def _fold_probabilities(
    texts: np.ndarray,
    labels: np.ndarray,
    train_rows: np.ndarray,
    test_rows: np.ndarray,
    all_labels: Sequence[str],
    seed: int,
) -> np.ndarray:
    fitted = _fit(texts[train_rows], labels[train_rows], seed)
    return fitted.probabilities(texts[test_rows], all_labels)


def _out_of_fold(
    texts: np.ndarray,
    labels: np.ndarray,
    cross_validations: Sequence[Sequence[tuple[np.ndarray, np.ndarray]]],
    all_labels: Sequence[str],
    seed: int,
    n_jobs: int | None,
) -> list[np.ndarray]:
    """Out-of-fold probabilities, one matrix per cross-validation; all folds share the workers."""
    folds = [
        (cv, train_rows, test_rows)
        for cv, splits in enumerate(cross_validations)
        for train_rows, test_rows in splits
    ]
    results = joblib.Parallel(n_jobs=n_jobs)(
        joblib.delayed(_fold_probabilities)(texts, labels, train_rows, test_rows, all_labels, seed)
        for _, train_rows, test_rows in folds
    )
    matrices = [np.zeros((texts.size, len(all_labels))) for _ in cross_validations]
    for (cv, _, test_rows), probabilities in zip(folds, results, strict=True):
        matrices[cv][test_rows] = probabilities
    return matrices


def train(
    examples: Sequence[Example],
    *,
    seed: int = 0,
    target_precision: float = 0.97,
    extra: Sequence[Example] = (),
    now: datetime | None = None,
    n_jobs: int | None = None,
) -> TrainedModel:
    """Measure the model by grouped CV, choose its threshold, and fit it on all examples.

    `extra` holds corrections (e.g. officers' re-categorizations) trained on like the rest.
    CV folds hold out whole sources (StratifiedGroupKFold), so the metrics and the threshold
    reflect text from a channel the model has not seen; a stratified CV accuracy is kept for
    comparison. Same examples (in any order), extra and seed give identical predictions.
    `now` (default: the current UTC time) dates the version; `n_jobs` runs the CV folds in
    parallel processes (joblib semantics: None is one, -1 is every core).
    """
    everything = sorted([*examples, *extra], key=lambda e: (e.category, e.source, e.text))
    if not everything:
        raise ValueError("no training examples")
    texts = np.array([normalize(e.text) for e in everything], dtype=object)
    labels = np.array([e.category for e in everything], dtype=object)
    groups = np.array([e.source for e in everything], dtype=object)
    all_labels = sorted(set(labels))
    counts = {label: int((labels == label).sum()) for label in all_labels}
    if unknown := sorted(set(all_labels) - set(CATEGORIES)):
        raise ValueError(f"unknown categories: {', '.join(unknown)}")
    if len(all_labels) < 3:
        # Two classes would make every array a special case (one score, one calibrator).
        raise ValueError("need at least three categories")
    if too_few := sorted(label for label, n in counts.items() if n < 2):
        raise ValueError(f"need at least two examples per category: {', '.join(too_few)}")
    n_sources = len(set(groups))
    if n_sources < 2:
        raise ValueError("need at least two sources to cross-validate by source")

    with warnings.catch_warnings():
        # Rare categories make sklearn warn that a fold may miss them; _fit handles that.
        warnings.filterwarnings("ignore", message="The least populated class", category=UserWarning)
        grouped = StratifiedGroupKFold(
            n_splits=min(CV_FOLDS, n_sources), shuffle=True, random_state=seed
        )
        stratified = StratifiedKFold(
            n_splits=max(2, min(CV_FOLDS, min(counts.values()))), shuffle=True, random_state=seed
        )
        grouped_proba, stratified_proba = _out_of_fold(
            texts,
            labels,
            [list(grouped.split(texts, labels, groups)), list(stratified.split(texts, labels))],
            all_labels,
            seed,
            n_jobs,
        )

    label_array = np.array(all_labels, dtype=object)
    grouped_pred = label_array[grouped_proba.argmax(axis=1)]
    grouped_conf = grouped_proba.max(axis=1)
    threshold = choose_threshold(grouped_conf, grouped_pred == labels, target_precision)
    grouped_eval = score(list(labels), list(grouped_pred), grouped_conf, threshold=threshold)
    stratified_eval = score(
        list(labels),
        list(label_array[stratified_proba.argmax(axis=1)]),
        stratified_proba.max(axis=1),
        threshold=threshold,
    )
    metrics = {
        "grouped_cv": {
            **grouped_eval.to_dict(),
            "folds": grouped.get_n_splits(),
            "group_by": "source",
        },
        "stratified_cv": {
            "accuracy": stratified_eval.accuracy,
            "macro_f1": stratified_eval.macro_f1,
            "folds": stratified.get_n_splits(),
        },
        "target_precision": target_precision,
    }

    final = _fit(texts, labels, seed)
    trained_at = (now or datetime.now(UTC)).astimezone(UTC)
    hashed = data_hash(everything)
    version = f"{trained_at:%Y%m%d-%H%M%S}-{hashed[:8]}"
    metadata = {
        "version": version,
        "trained_at": trained_at.isoformat(),
        "data_hash": hashed,
        "n_examples": len(everything),
        "n_extra": len(extra),
        "examples_per_category": counts,
        "sources": sorted(set(groups)),
        "labels": all_labels,
        "threshold": threshold,
        "target_precision": target_precision,
        "seed": seed,
        "metrics": metrics,
        "model": {"features": "word 1-2 + char_wb 2-5 tf-idf", "svc_c": SVC_C},
        "versions": {
            "python": platform.python_version(),
            "sklearn": sklearn.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
        },
    }
    return TrainedModel(
        final.features,
        final.calibrated,
        threshold=threshold,
        metrics=metrics,
        metadata=metadata,
    )
