"""The labelled corpus: counts, labels, no leakage from the holdout, reproducible build."""

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from classifier.corpus import CATEGORIES
from classifier.corpus.build import build, is_non_complaint, normalize
from classifier.corpus.generate import LEX_ROWS
from classifier.corpus.lexicon import LEXICON, SETTINGS

DATA = Path(__file__).resolve().parent.parent / "classifier" / "data"
# The codes of the taxonomy (shared/domain/taxonomy.md), spelled out so a renamed code fails here.
TAXONOMY_CODES = {
    "jalan",
    "drainase",
    "sampah",
    "pencemaran",
    "taman_pohon",
    "penerangan_jalan",
    "lalu_lintas",
    "parkir",
    "kesehatan",
    "kependudukan",
    "pendidikan",
    "ketertiban",
    "sosial",
    "air_bersih",
    "kebakaran",
    "bencana",
    "perizinan",
    "pajak_daerah",
    "aparatur",
    "layanan_digital",
    "pasar",
    "ketenagakerjaan",
    "lainnya",
}


def _load(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


@pytest.fixture(scope="module")
def complaints() -> list[dict[str, str]]:
    return _load("complaints.jsonl")


@pytest.fixture(scope="module")
def holdout() -> list[dict[str, str]]:
    return _load("holdout.jsonl")


def test_category_codes_are_the_23_of_the_taxonomy():
    assert set(CATEGORIES) == TAXONOMY_CODES
    assert len(CATEGORIES) == 23


def test_training_corpus_is_large_and_every_category_has_at_least_150(complaints):
    counts = Counter(row["category"] for row in complaints)
    assert len(complaints) >= 6000
    assert set(counts) == set(CATEGORIES)
    assert min(counts.values()) >= 150


def test_training_corpus_stays_under_two_megabytes():
    assert (DATA / "complaints.jsonl").stat().st_size < 2_000_000


def test_holdout_has_300_lines_and_at_least_10_per_category(holdout):
    counts = Counter(row["category"] for row in holdout)
    assert len(holdout) >= 300
    assert set(counts) == set(CATEGORIES)
    assert min(counts.values()) >= 10
    assert {row["source"] for row in holdout} == {"holdout"}


def test_every_row_has_text_category_and_source_only(complaints, holdout):
    for row in complaints + holdout:
        assert set(row) - {"complaint"} == {"text", "category", "source"}
        assert row["category"] in CATEGORIES
        assert row["source"]
        # Only lainnya greetings, thanks, spam and idle questions are marked, as no complaint.
        assert row.get("complaint", True) or row["category"] == "lainnya"


def test_generated_greetings_thanks_and_spam_are_marked_no_complaint(complaints):
    marked = {row["text"] for row in complaints if row.get("complaint") is False}

    assert 100 <= len(marked) <= 300
    lainnya = [row for row in complaints if row["category"] == "lainnya"]
    assert all(is_non_complaint(row["text"]) == (row["text"] in marked) for row in lainnya)
    assert is_non_complaint("slot gacor maxwin hari ini daftar sekarang")
    assert not is_non_complaint("tetangga saya meminjam uang dua juta dan tidak dikembalikan")


def test_sources_are_several_families_for_grouped_validation(complaints):
    sources = Counter(row["source"] for row in complaints)
    assert 10 <= len(sources) <= 20


def test_no_text_is_empty_or_under_three_words_except_lainnya_greetings(complaints, holdout):
    for row in complaints + holdout:
        assert row["text"].strip()
        if len(row["text"].split()) < 3:
            assert row["category"] == "lainnya", row


def test_no_duplicate_texts_in_training_corpus(complaints):
    keys = Counter(row["text"] for row in complaints)
    assert [text for text, n in keys.items() if n > 1] == []


def test_no_holdout_text_appears_in_training_corpus(complaints, holdout):
    training = {normalize(row["text"]) for row in complaints}
    leaked = [row["text"] for row in holdout if normalize(row["text"]) in training]
    assert leaked == []


def test_normalize_folds_case_and_whitespace():
    assert normalize("  Jalan  RUSAK\n\tparah ") == "jalan rusak parah"


def test_committed_data_files_match_a_fresh_build(tmp_path):
    # when the build runs into an empty directory, then it reproduces the committed files
    build(tmp_path)
    for name in ("complaints.jsonl", "holdout.jsonl"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name


def test_build_is_deterministic_across_runs(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    build(first)
    build(second)
    for name in ("complaints.jsonl", "holdout.jsonl"):
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_build_does_not_depend_on_hash_randomization(tmp_path):
    # given two processes with different string-hash seeds, then both write the same bytes
    root = Path(__file__).resolve().parent.parent
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(root)}
        subprocess.run(
            [sys.executable, "-m", "classifier.corpus.build", "--out", str(tmp_path / seed)],
            check=True,
            cwd=root,
            env=env,
            capture_output=True,
        )
    for name in ("complaints.jsonl", "holdout.jsonl"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes()


def _words(text: str) -> str:
    """Lower-case words joined by single spaces and padded, so `f" {term} "` finds whole words."""
    return " " + " ".join(re.findall(r"\w+", text.lower())) + " "


def test_lexicon_has_at_least_80_distinct_terms_for_each_of_the_23_categories():
    assert set(LEXICON) == set(CATEGORIES)
    for code, terms in LEXICON.items():
        keys = [t.lower() for t in terms]
        assert len(set(keys)) == len(keys), code
        assert len(keys) >= 80, code


def test_no_lexicon_term_is_listed_under_two_categories():
    owners: dict[str, list[str]] = {}
    for code, terms in LEXICON.items():
        for term in terms:
            owners.setdefault(term.lower(), []).append(code)
    assert {t: codes for t, codes in owners.items() if len(codes) > 1} == {}


def test_settings_are_60_distinct_words_that_no_category_owns():
    keys = [s.lower() for s in SETTINGS]
    assert len(set(keys)) == len(keys) >= 60
    owned = {t.lower() for terms in LEXICON.values() for t in terms}
    assert [s for s in SETTINGS if s.lower() in owned] == []


def test_every_lexicon_term_occurs_in_the_corpus(complaints):
    corpus = _words("\n".join(row["text"] for row in complaints))
    missing = [
        (code, term)
        for code, terms in LEXICON.items()
        for term in terms
        if f" {_words(term).strip()} " not in corpus
    ]
    assert missing == []


def test_every_setting_word_occurs_in_every_category(complaints):
    texts: dict[str, list[str]] = {}
    for row in complaints:
        texts.setdefault(row["category"], []).append(row["text"])
    missing = []
    for code in CATEGORIES:
        corpus = _words("\n".join(texts[code]))
        missing += [(code, s) for s in SETTINGS if f" {_words(s).strip()} " not in corpus]
    assert missing == []


def test_lexicon_families_write_every_row_they_promise(complaints):
    # the families deal terms row by row; a rejected row would drop its terms
    sources = Counter(row["source"] for row in complaints)
    assert {f: sources[f] for f in LEX_ROWS} == {
        f: n * len(CATEGORIES) for f, n in LEX_ROWS.items()
    }
    assert sum(LEX_ROWS.values()) * len(CATEGORIES) <= 1100
