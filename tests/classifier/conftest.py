"""Fixtures: the synthetic corpus and a model trained on it once per session."""

import pytest
from classifier_corpus import TRAINED_AT, synthetic_examples

from classifier.dataset import Example
from classifier.model import TrainedModel, train


@pytest.fixture(scope="session")
def corpus() -> list[Example]:
    return synthetic_examples()


@pytest.fixture(scope="session")
def model(corpus: list[Example]) -> TrainedModel:
    return train(corpus, seed=0, now=TRAINED_AT)
