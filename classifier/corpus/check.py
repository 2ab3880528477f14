"""Report on the corpus: counts, cross-validated scores, and the score on the holdout.

    python -m classifier.corpus.check [--model lr|svm] [--errors N]

The reference model is deliberately plain (lower-casing only, word and character n-grams),
so the numbers speak about the data, not about the real normalizer or classifier.
"""

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def load(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def reference_model(kind: str = "lr") -> Pipeline:
    features = FeatureUnion(
        [
            ("word", TfidfVectorizer(lowercase=True, ngram_range=(1, 2), sublinear_tf=True)),
            (
                "char",
                TfidfVectorizer(
                    lowercase=True,
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    sublinear_tf=True,
                    min_df=2,
                ),
            ),
        ]
    )
    if kind == "svm":
        classifier = LinearSVC(C=1.0, class_weight="balanced")
    else:
        classifier = LogisticRegression(C=10.0, class_weight="balanced", max_iter=2000)
    return Pipeline([("features", features), ("clf", classifier)])


def _scores(y_true: list[str], y_pred: list[str]) -> tuple[float, float]:
    return accuracy_score(y_true, y_pred), f1_score(y_true, y_pred, average="macro")


def cross_validate(model: Pipeline, texts, labels, splits) -> tuple[float, float]:
    predicted = [""] * len(texts)
    for train, test in splits:
        fitted = clone(model).fit([texts[i] for i in train], [labels[i] for i in train])
        for i, label in zip(test, fitted.predict([texts[i] for i in test]), strict=True):
            predicted[i] = label
    return _scores(labels, predicted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=("lr", "svm"), default="lr")
    parser.add_argument("--errors", type=int, default=0, help="print this many holdout errors")
    parser.add_argument("--skip-cv", action="store_true")
    args = parser.parse_args()

    rows = load(DATA_DIR / "complaints.jsonl")
    holdout = load(DATA_DIR / "holdout.jsonl")
    texts = [r["text"] for r in rows]
    labels = [r["category"] for r in rows]
    sources = [r["source"] for r in rows]

    print(f"complaints.jsonl: {len(rows)} lines; holdout.jsonl: {len(holdout)} lines\n")
    print("per category (train / holdout):")
    train_counts, hold_counts = Counter(labels), Counter(r["category"] for r in holdout)
    for code in sorted(train_counts):
        print(f"  {code:18s} {train_counts[code]:5d} {hold_counts[code]:5d}")
    print("\nper source:")
    for source, n in sorted(Counter(sources).items()):
        print(f"  {source:18s} {n:5d}")

    model = reference_model(args.model)
    print(f"\nmodel: {args.model}")
    if not args.skip_cv:
        started = time.monotonic()
        skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
        acc, f1 = cross_validate(model, texts, labels, skf.split(texts, labels))
        print(f"stratified 5-fold:        accuracy {acc:.3f}  macro-F1 {f1:.3f}")
        gkf = GroupKFold(n_splits=5)
        acc, f1 = cross_validate(model, texts, labels, gkf.split(texts, labels, sources))
        print(f"grouped by source 5-fold: accuracy {acc:.3f}  macro-F1 {f1:.3f}")
        print(f"  ({time.monotonic() - started:.0f}s)")

    fitted = clone(model).fit(texts, labels)
    gold = [r["category"] for r in holdout]
    predicted = list(fitted.predict([r["text"] for r in holdout]))
    acc, f1 = _scores(gold, predicted)
    print(f"holdout (train on all):   accuracy {acc:.3f}  macro-F1 {f1:.3f}")

    if args.errors:
        confusions = Counter((g, p) for g, p in zip(gold, predicted, strict=True) if g != p)
        print("\nmost frequent holdout confusions (gold -> predicted):")
        for (g, p), n in confusions.most_common(15):
            print(f"  {g} -> {p}: {n}")
        print("\nholdout errors:")
        shown = 0
        for row, p in zip(holdout, predicted, strict=True):
            if row["category"] != p and shown < args.errors:
                print(f"  [{row['category']} -> {p}] {row['text'][:160]!r}")
                shown += 1


if __name__ == "__main__":
    main()
