"""Saved models are pickles, and pickles name classes by module path: splitting
classifier/model.py into training, calibration and prediction must not orphan a saved model.

fixtures/model_pickled_before_split.joblib was saved by `TrainedModel.save` on main before the
split (commit ab97ccc; four categories of tests/classifier_corpus.py, seed 0), with its
predictions for four texts in predictions_before_split.json. (If an sklearn upgrade makes the
fixture unloadable, every stored model is in the same position: retrain, then re-save the
fixture and its predictions with the same recipe.)
"""

import io
import json
import pickle
import pickletools
from pathlib import Path

import pytest

from classifier import prediction
from classifier.model import Prediction, TrainedModel, load

FIXTURES = Path(__file__).parent / "fixtures"
BEFORE_SPLIT = FIXTURES / "model_pickled_before_split.joblib"


def globals_named(pickled: bytes) -> set[str]:
    """The `module.name` of every class or function a pickle refers to."""
    found, strings = set(), []
    for opcode, argument, _ in pickletools.genops(io.BytesIO(pickled)):
        if opcode.name in ("SHORT_BINUNICODE", "BINUNICODE", "UNICODE"):
            strings.append(argument)
        elif opcode.name == "STACK_GLOBAL":
            found.add(".".join(strings[-2:]))
        elif opcode.name == "GLOBAL":
            found.add(argument.replace(" ", "."))
    return found


def test_a_model_pickled_before_the_split_loads_and_predicts_as_it_did():
    model = load(BEFORE_SPLIT)
    expected = json.loads((FIXTURES / "predictions_before_split.json").read_text())

    answers = model.predict_many([case["text"] for case in expected])

    assert isinstance(model, TrainedModel)
    for case, answer in zip(expected, answers, strict=True):
        assert answer.category == case["category"]
        assert answer.confidence == pytest.approx(case["confidence"], rel=1e-9)
        assert answer.route_score == pytest.approx(case["route_score"], rel=1e-9)
        assert (answer.complaint, answer.routable) == (case["complaint"], case["routable"])
        assert [name for name, _ in answer.suggestions] == [n for n, _ in case["suggestions"]]
        assert list(answer.top_terms) == case["top_terms"]


def test_a_model_pickled_now_names_the_path_older_code_knows():
    # So code from before the split (a rollback) still loads a model trained after it.
    model = load(BEFORE_SPLIT)

    named = globals_named(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))

    assert "classifier.model.TrainedModel" in named
    assert not {name for name in named if name.startswith("classifier.") and ".model." not in name}
    assert pickle.loads(pickle.dumps(model)).threshold == model.threshold


def test_the_classes_live_in_prediction_but_are_known_as_classifier_model():
    assert TrainedModel is prediction.TrainedModel and Prediction is prediction.Prediction
    assert (TrainedModel.__module__, Prediction.__module__) == ("classifier.model",) * 2
    answer = Prediction("jalan", 0.9, (("jalan", 0.9),), ("jalan",))
    assert pickle.loads(pickle.dumps(answer)) == answer
    assert "classifier.model.Prediction" in globals_named(pickle.dumps(answer))
