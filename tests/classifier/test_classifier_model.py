import json
import random
import re

import numpy as np
import pytest
from classifier_corpus import TRAINED_AT, synthetic_examples
from hypothesis import given
from hypothesis import strategies as st

from classifier.dataset import Example, data_hash
from classifier.model import NO_AUTO_ROUTE, NON_COMPLAINT, choose_threshold, load, train
from classifier.normalize import EmptyText
from classifier.prepare import prepare

SAMPLE_TEXTS = [
    "tolong pak lampu jalan mati total di rt 05 sudah seminggu",
    "sampah menumpuk di pinggir kali bau banget",
    "pdam mati lagi air keruh",
    "halo selamat pagi",
    "odong odong lewat terus",
]
NONSENSE = "qwxz plmok zzvt"


def test_prediction_names_a_category_with_its_probability_and_runners_up(model):
    prediction = model.predict("lampu jalan mati total di depan rumah sejak kemarin")

    assert prediction.category == "penerangan_jalan"
    assert prediction.suggestions[0] == (prediction.category, prediction.confidence)
    assert len(prediction.suggestions) == 3
    probabilities = [p for _, p in prediction.suggestions]
    assert probabilities == sorted(probabilities, reverse=True)
    assert 0 < prediction.confidence <= 1


def test_top_terms_are_words_of_this_text_that_point_to_the_category(model):
    prediction = model.predict("Pak, lampu jalan mati total di RT 05!!")

    assert prediction.top_terms
    assert "lampu jalan" in prediction.top_terms
    words = {"bapak", "lampu", "jalan", "mati", "total", "di", "rt"}
    assert all(set(term.split()) <= words for term in prediction.top_terms)
    assert not {"di", "bapak", "jalan"} & set(prediction.top_terms)  # said, or says nothing


def test_a_clear_complaint_is_confident_enough_to_route(model):
    prediction = model.predict("min jukir liar minta uang parkir di kampung baru gmn nih")

    assert prediction.category == "parkir"
    assert prediction.confidence >= model.threshold


def test_a_text_the_model_cannot_read_stays_below_the_threshold(model):
    assert model.predict(NONSENSE).confidence < model.threshold


@pytest.mark.parametrize("text", ["", "   \n", "😡🙏"])
def test_empty_text_raises_empty_text(model, text):
    with pytest.raises(EmptyText):
        model.predict(text)
    with pytest.raises(EmptyText):
        model.predict_many(["jalan rusak", text])


def test_batch_prediction_equals_one_by_one(model):
    assert model.predict_many(SAMPLE_TEXTS) == [model.predict(t) for t in SAMPLE_TEXTS]


def test_same_data_and_seed_give_identical_predictions_whatever_the_order(corpus, model):
    shuffled = corpus[:]
    random.Random(7).shuffle(shuffled)

    again = train(shuffled, seed=0, now=TRAINED_AT)

    assert again.predict_many(SAMPLE_TEXTS) == model.predict_many(SAMPLE_TEXTS)
    assert again.threshold == model.threshold
    assert again.version == model.version


def test_corrected_examples_teach_a_new_pattern(corpus, model):
    pattern = "odong odong melintas tanpa lampu"
    before = model.predict(pattern)
    assert before.category != "lalu_lintas"
    rng = random.Random(1)
    corrections = [
        Example(f"{pattern} di {place} {when}", "lalu_lintas", source)
        for source in ("chat", "formal", "twitter")
        for place, when in zip(
            rng.sample(["jalan melati", "alun alun", "dekat masjid"], 2),
            ["tiap malam", "sore tadi"],
            strict=True,
        )
    ]

    retrained = train(corpus, seed=0, extra=corrections, now=TRAINED_AT)

    assert retrained.predict(pattern).category == "lalu_lintas"
    assert retrained.metadata["n_extra"] == len(corrections)


def test_save_and_load_round_trip_predicts_identically(model, tmp_path):
    path = model.save(tmp_path)

    assert path == tmp_path / f"{model.version}.joblib"
    stored = json.loads((tmp_path / f"{model.version}.json").read_text(encoding="utf-8"))
    assert stored == json.loads(json.dumps(model.metadata))
    for loaded in (load(path), load(path.with_suffix(".json"))):
        assert loaded.predict_many(SAMPLE_TEXTS) == model.predict_many(SAMPLE_TEXTS)
        assert loaded.threshold == model.threshold
        assert loaded.labels == model.labels


def test_version_and_metadata_describe_the_training(corpus, model):
    hashed = data_hash(corpus)

    assert model.version == f"20260102-030405-{hashed[:8]}"
    meta = model.metadata
    assert meta["data_hash"] == hashed
    assert meta["trained_at"] == "2026-01-02T03:04:05+00:00"
    assert meta["n_examples"] == len(corpus)
    assert meta["seed"] == 0
    assert meta["threshold"] == model.threshold
    assert set(meta["versions"]) >= {"python", "sklearn", "numpy"}
    assert meta["labels"] == list(model.labels) == sorted({e.category for e in corpus})


def test_metrics_come_from_cross_validation_grouped_by_author(model):
    grouped = model.metrics["grouped_cv"]

    assert grouped["group_by"] == "author"
    assert grouped["folds"] == 3  # three authors (sources) in the synthetic corpus
    assert 0 < grouped["macro_f1"] <= 1
    assert grouped["precision_at_threshold"] >= 0.95
    assert set(grouped["per_category"]) == set(model.labels)


def test_training_needs_more_than_one_author():
    one_author = [Example(e.text, e.category, "wa") for e in synthetic_examples(per_style=2)]

    with pytest.raises(ValueError, match="two authors"):
        train(one_author)


def test_corrections_must_use_a_known_category(corpus):
    typo = [Example("odong odong lewat", "lalulintas", "chat")] * 2

    with pytest.raises(ValueError, match="lalulintas"):
        train(corpus, extra=typo)


def test_training_needs_two_examples_of_every_category(corpus):
    with pytest.raises(ValueError, match="jalan"):
        train([*[e for e in corpus if e.category != "jalan"], corpus[0]])


# (confidence, correct) pairs, most confident first; target 0.8.
HAND_MADE = [(0.95, True), (0.9, True), (0.8, False), (0.7, True), (0.6, True), (0.5, False)]


def test_threshold_is_the_lowest_confidence_that_keeps_the_target_precision():
    confidences, correct = zip(*HAND_MADE, strict=True)

    # >= 0.6 takes 5 predictions with 4 right (0.8); >= 0.5 would be 4 of 6.
    assert choose_threshold(confidences, correct, 0.8) == 0.6
    assert choose_threshold(confidences, correct, 1.0) == 0.9
    assert choose_threshold(confidences, correct, 0.6) == 0.5


def test_threshold_never_splits_equal_confidences():
    # Only "0.9 or more" could reach 100 %, but that takes the wrong 0.9 as well.
    assert choose_threshold([0.9, 0.9, 0.8], [True, False, True], 1.0) == NO_AUTO_ROUTE


def test_no_auto_routing_when_the_target_cannot_be_met():
    assert choose_threshold([0.9, 0.5], [False, False], 0.97) == NO_AUTO_ROUTE
    assert choose_threshold([], [], 0.97) == NO_AUTO_ROUTE
    assert NO_AUTO_ROUTE > 1.0
    assert json.loads(json.dumps(NO_AUTO_ROUTE)) == NO_AUTO_ROUTE


@given(
    st.lists(
        st.tuples(st.sampled_from([0.1, 0.3, 0.5, 0.7, 0.9, 1.0]), st.booleans()), max_size=30
    ),
    st.sampled_from([0.5, 0.8, 0.97, 1.0]),
)
def test_threshold_is_the_widest_cut_meeting_the_target(pairs, target):
    confidences = np.array([c for c, _ in pairs])
    correct = np.array([ok for _, ok in pairs], dtype=bool)

    threshold = choose_threshold(confidences, correct, target)

    def precision(t):
        taken = confidences >= t
        return correct[taken].mean() if taken.any() else None

    lower = [c for c in set(confidences) if c < threshold]
    assert all(precision(c) < target for c in lower)
    if threshold != NO_AUTO_ROUTE:
        assert precision(threshold) >= target


def test_version_has_the_documented_shape(model):
    assert re.fullmatch(r"\d{8}-\d{6}-[0-9a-f]{8}", model.version)


def test_predictions_agree_with_sklearns_own_scores(model):
    # predict computes the SVC scores and the feature union itself, for speed; sklearn's
    # FeatureUnion and decision_function are the reference, the sigmoids written out here.
    texts = [*SAMPLE_TEXTS, NONSENSE]
    scores = model.svc.decision_function(model.features.transform([prepare(t) for t in texts]))
    slope, intercept = model.calibration
    class_proba = 1 / (1 + np.exp(-(slope * scores + intercept)))
    class_proba /= class_proba.sum(axis=1, keepdims=True)
    classes = list(model.svc.classes_)

    for prediction, row in zip(model.predict_many(texts), class_proba, strict=True):
        by_category = dict.fromkeys(model.labels, 0.0)
        for label, p in zip(classes, row, strict=True):
            by_category["lainnya" if label == NON_COMPLAINT else label] += p
        expected = sorted(by_category.items(), key=lambda pair: -pair[1])[:3]
        assert [c for c, _ in prediction.suggestions] == [c for c, _ in expected]
        assert [p for _, p in prediction.suggestions] == pytest.approx([p for _, p in expected])
        assert prediction.complaint == (classes[int(row.argmax())] != NON_COMPLAINT)
