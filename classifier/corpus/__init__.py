"""Labelled training corpus for the complaint classifier, written for this project.

Generators compose complaints from independent slot fragments (opening, problem, place,
duration, consequence, request, closing) in several writing styles; `build` writes
`classifier/data/complaints.jsonl` and `classifier/data/holdout.jsonl` deterministically.
"""

# The taxonomy's codes are defined once, in classifier.dataset.
from classifier.dataset import CATEGORIES

__all__ = ["CATEGORIES"]
