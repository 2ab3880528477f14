"""Benchmark: how routing improves as officers correct it, the curve a city sees in its first
weeks.

    PYTHONPATH=. python bench/learning.py [--ks 0,50,100,200,500] [--seed 0] [--n-jobs 2]
                                          [--corpus all|generator]

The independent set (authors who never saw the corpus) is shuffled once and cut in two: a
stream of complaints officers decide on, and a fixed rest the curve is measured on. For each
k, the first k complaints of the stream become desk decisions (their true category, weighted as
`lapor.models.corrections` weighs them) and the model is retrained on the corpus plus those
k; it is then scored on the same rest. k = 0 is the shipped model's training and is the
baseline of the ratio column. The corrected texts are never in the rest, and the shipped
model never trains on the independent set: only these throwaway models do.

`--corpus generator` starts from the generated corpus alone, without the hand-written authors:
the curve of a city whose citizens write unlike the corpus it was shipped with.
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import replace

from classifier.dataset import load_examples
from classifier.evaluation import evaluate
from classifier.model import train
from lapor.models import DESK_WEIGHT, INDEPENDENT_DATA, training_examples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ks", default="0,50,100,200,500")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--corpus", choices=["all", "generator"], default="all")
    args = parser.parse_args()
    ks = sorted({int(k) for k in args.ks.split(",")})

    corpus = training_examples()
    if args.corpus == "generator":
        # One author: its style families stand in for authors in the cross-validation.
        corpus = [replace(e, author=e.source) for e in corpus if e.author == "generator"]
    independent = load_examples(INDEPENDENT_DATA)
    random.Random(args.seed).shuffle(independent)
    # The stream runs until it holds max(k) complaints: texts that are no complaint at all
    # reach the desk too, but an officer closes them; they teach no category.
    complaints_seen = 0
    cut = 0
    while complaints_seen < ks[-1] and cut < len(independent):
        complaints_seen += independent[cut].complaint
        cut += 1
    stream, rest = independent[:cut], independent[cut:]
    if complaints_seen < ks[-1] or not rest:
        raise SystemExit(f"k={ks[-1]} leaves nothing of the {len(independent)} to measure on")
    stream_complaints = [e for e in stream if e.complaint]
    print(
        f"corpus {len(corpus)} examples; independent set {len(independent)}: "
        f"stream {len(stream)}, measured on the other {len(rest)} "
        f"({sum(not e.complaint for e in rest)} of them no complaint)"
    )
    print(
        f"{'k':>5}{'accuracy':>10}{'macro-F1':>10}{'routed':>8}{'precision':>11}"
        f"{'non-compl.':>12}{'train s':>9}{'acc. ratio':>12}"
    )
    baseline = None
    for k in ks:
        decisions = [
            replace(e, source="desk", author="desk", weight=DESK_WEIGHT)
            for e in stream_complaints[:k]
        ]
        started = time.perf_counter()
        model = train(corpus, extra=decisions, seed=args.seed, n_jobs=args.n_jobs)
        seconds = time.perf_counter() - started
        result = evaluate(model, rest)
        baseline = baseline or result.accuracy
        precision = result.precision_at_threshold
        print(
            f"{k:>5}{result.accuracy:>10.3f}{result.macro_f1:>10.3f}{result.coverage:>8.1%}"
            f"{'-' if precision is None else f'{precision:.3f}':>11}"
            f"{result.non_complaints_routed:>7} of {result.non_complaints:<3}"
            f"{seconds:>8.0f}{result.accuracy / baseline:>12.3f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
