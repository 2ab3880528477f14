"""Benchmark: the calibrated classifier against a ComplementNB baseline on the same features.

    PYTHONPATH=. python bench/classify.py [--data FILE] [--seed 0] [--n-jobs 1]

Both are trained on the same stratified 80 % of the training data (the generated corpus and
the authors' files, as `lapor train` uses), each in its own child process (so peak memory is
that child's ru_maxrss), and scored on the remaining 20 % and on the independent set. Training
time for the model is the whole `train` call: grouped-by-author CV (5 fits) plus the final
fit; the baseline fits once. Latency is in process, single texts, after a warm-up.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import joblib
import numpy as np
import scipy.sparse as sp
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import ComplementNB

from classifier.dataset import Example, load_examples
from classifier.model import build_features, load, train
from classifier.prepare import prepare, require_prepared
from lapor.models import INDEPENDENT_DATA, training_examples

LATENCY_CALLS = 1000
BATCH = 1000


class Baseline:
    """ComplementNB on the model's word+char TF-IDF, no calibration; same fast transform."""

    def __init__(self, examples: list[Example]) -> None:
        self.features = build_features()
        matrix = self.features.fit_transform([prepare(e.text) for e in examples])
        self.nb = ComplementNB().fit(matrix, [e.category for e in examples])
        self._word, self._char = (t for _, t in self.features.transformer_list)

    def predict_many(self, texts: list[str]) -> list[str]:
        normalized = [require_prepared(t) for t in texts]
        matrix = sp.hstack(
            [self._word.transform(normalized), self._char.transform(normalized)], format="csr"
        )
        return list(self.nb.predict(matrix))

    def predict(self, text: str) -> str:
        return self.predict_many([text])[0]


def split(examples: list[Example], seed: int) -> tuple[list[Example], list[Example]]:
    train_part, test_part = train_test_split(
        examples, test_size=0.2, random_state=seed, stratify=[e.category for e in examples]
    )
    return list(train_part), list(test_part)


def examples_from(data: Path | None) -> list[Example]:
    return training_examples() if data is None else load_examples(data)


def child(kind: str, data: Path | None, seed: int, n_jobs: int | None, out: Path) -> None:
    """Train one model in this process and report its time and this process's peak RSS."""
    train_part, _ = split(examples_from(data), seed)
    started = time.perf_counter()
    if kind == "model":
        trained = train(train_part, seed=seed, n_jobs=n_jobs)
    elif kind == "baseline":
        trained = Baseline(train_part)
    else:  # "idle": what loading the libraries and the data costs on its own
        trained = None
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if kind == "model":
        path = trained.save(out)
    else:
        path = out / f"{kind}.joblib"
        joblib.dump(trained, path, compress=3)
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "path": str(path)}))


def run_child(kind: str, args: argparse.Namespace, out: Path) -> dict:
    command = [sys.executable, __file__, "--child", kind, "--seed", str(args.seed)]
    command += ["--out", str(out)] + (["--data", str(args.data)] if args.data else [])
    if args.n_jobs is not None:
        command += ["--n-jobs", str(args.n_jobs)]
    # The child imports classifier/ from this checkout, whatever the caller's PYTHONPATH.
    root = str(Path(__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    return json.loads(result.stdout.strip().splitlines()[-1])


def latency_ms(predict, texts: list[str]) -> tuple[float, float]:
    for text in texts[:50]:
        predict(text)
    timings = []
    for i in range(LATENCY_CALLS):
        text = texts[i % len(texts)]
        started = time.perf_counter_ns()
        predict(text)
        timings.append((time.perf_counter_ns() - started) / 1e6)
    return statistics.median(timings), float(np.percentile(timings, 99))


def accuracy(predict_many, examples: list[Example]) -> float:
    predicted = np.array(predict_many([e.text for e in examples]), dtype=object)
    return float(np.mean(predicted == np.array([e.category for e in examples], dtype=object)))


def throughput(predict_many, texts: list[str]) -> float:
    batch = [texts[i % len(texts)] for i in range(BATCH)]
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        predict_many(batch)
        runs.append(time.perf_counter() - started)
    return BATCH / statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="JSON lines; default: the training data")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-jobs", type=int, default=None)
    parser.add_argument("--child", choices=["model", "baseline", "idle"], help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.data, args.seed, args.n_jobs, args.out)
        return

    examples = examples_from(args.data)
    _, held_out = split(examples, args.seed)
    held_texts = [e.text for e in held_out]
    truth = np.array([e.category for e in held_out], dtype=object)
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        runs = {kind: run_child(kind, args, out) for kind in ("model", "baseline", "idle")}
        model = load(runs["model"]["path"])
        baseline = joblib.load(runs["baseline"]["path"])
        sizes = {kind: Path(runs[kind]["path"]).stat().st_size / 2**20 for kind in runs}

    independent = load_examples(INDEPENDENT_DATA)

    def model_categories(texts: list[str]) -> list[str]:
        return [p.category for p in model.predict_many(texts)]

    model_p50, model_p99 = latency_ms(model.predict, held_texts)
    base_p50, base_p99 = latency_ms(baseline.predict, held_texts)
    model_accuracy = float(
        np.mean(np.array([p.category for p in model.predict_many(held_texts)]) == truth)
    )
    base_accuracy = float(np.mean(np.array(baseline.predict_many(held_texts)) == truth))
    rows = [
        ("training time (s)", runs["model"]["seconds"], runs["baseline"]["seconds"], "{:.2f}"),
        ("latency p50 (ms)", model_p50, base_p50, "{:.3f}"),
        ("latency p99 (ms)", model_p99, base_p99, "{:.3f}"),
        (
            f"batch of {BATCH} (texts/s)",
            throughput(model.predict_many, held_texts),
            throughput(baseline.predict_many, held_texts),
            "{:.0f}",
        ),
        ("size on disk (MiB)", sizes["model"], sizes["baseline"], "{:.2f}"),
        (
            "peak RSS training (MiB)",
            runs["model"]["peak_mb"],
            runs["baseline"]["peak_mb"],
            "{:.0f}",
        ),
        ("held-out accuracy", model_accuracy, base_accuracy, "{:.3f}"),
        (
            "independent-set accuracy",
            accuracy(model_categories, independent),
            accuracy(baseline.predict_many, independent),
            "{:.3f}",
        ),
    ]
    n_train = len(examples) - len(held_out)
    print(
        f"data: {args.data or 'training data'} ({len(examples)} examples; "
        f"train {n_train}, held out {len(held_out)})"
    )
    print(f"{'':28}{'model':>12}{'baseline':>12}{'ratio':>9}")
    for name, ours, theirs, fmt in rows:
        ratio = ours / theirs if theirs else float("nan")
        print(f"{name:28}{fmt.format(ours):>12}{fmt.format(theirs):>12}{ratio:>9.2f}")
    grouped = model.metrics["grouped_cv"]
    print(
        f"model: grouped-CV accuracy {grouped['accuracy']:.3f}, macro-F1 {grouped['macro_f1']:.3f}; "
        f"threshold {model.threshold:.3f} routes {grouped['coverage']:.1%} "
        f"at {grouped['precision_at_threshold'] or 0:.1%} precision (out of fold)"
    )
    print(
        f"model training = grouped-by-author CV + final fit; "
        f"peak RSS of a child that only loads the data: {runs['idle']['peak_mb']:.0f} MiB"
    )


if __name__ == "__main__":
    main()
