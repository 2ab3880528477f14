"""The data the router is trained and judged on: several authors, and an independent set that
is frozen, never trained on, and written by none of the training authors."""

import hashlib
import re
from collections import Counter

from classifier.dataset import CATEGORIES, load_examples
from lapor.models import INDEPENDENT_DATA, training_examples

# The independent set is frozen: a changed file is a new set, with new figures, not an edit.
INDEPENDENT_SHA256 = "2b27d0a63ead609980064106c778cfe188307e2ee23db9a5765594e768114740"
REGISTERS = {"chat", "post", "letter", "narrative", "voice", "oneliner"}


def key(text: str) -> str:
    return re.sub(r"\s+", " ", text.casefold()).strip()


def test_the_independent_set_is_frozen_and_large_enough():
    digest = hashlib.sha256(INDEPENDENT_DATA.read_bytes()).hexdigest()
    independent = load_examples(INDEPENDENT_DATA)

    assert digest == INDEPENDENT_SHA256
    assert len(independent) >= 600
    counts = Counter(e.category for e in independent)
    assert set(counts) == set(CATEGORIES) and min(counts.values()) >= 7
    assert sum(not e.complaint for e in independent) >= 40


def test_no_independent_text_or_author_is_in_the_training_data():
    training = training_examples()
    independent = load_examples(INDEPENDENT_DATA)

    assert not {key(e.text) for e in independent} & {key(e.text) for e in training}
    assert not {e.author for e in independent} & {e.author for e in training}


def test_the_training_data_has_several_authors_each_in_every_register():
    training = training_examples()
    by_author = Counter(e.author for e in training)

    assert by_author["generator"] > 0 and len(by_author) >= 5
    for author in set(by_author) - {"generator"}:
        registers = {e.source.split("/")[1] for e in training if e.author == author}
        assert registers == REGISTERS, author
        categories = {e.category for e in training if e.author == author}
        assert categories == set(CATEGORIES), author
    assert sum(not e.complaint for e in training) >= 400
