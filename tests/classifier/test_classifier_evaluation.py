import pytest

from classifier.evaluation import evaluate, plot_confusion, score

TRUTH = ["jalan", "jalan", "sampah", "sampah", "parkir"]
PREDICTED = ["jalan", "sampah", "sampah", "sampah", "jalan"]
CONFIDENCE = [0.9, 0.4, 0.8, 0.95, 0.3]


def test_scores_count_hits_per_category_and_at_the_threshold():
    evaluation = score(TRUTH, PREDICTED, CONFIDENCE, threshold=0.5, labels=["lainnya"])

    assert evaluation.accuracy == pytest.approx(3 / 5)
    assert evaluation.coverage == pytest.approx(3 / 5)  # 0.9, 0.8, 0.95
    assert evaluation.precision_at_threshold == 1.0
    jalan = evaluation.per_category["jalan"]
    assert (jalan.precision, jalan.recall, jalan.support) == (0.5, 0.5, 2)
    assert evaluation.per_category["parkir"].f1 == 0.0
    # Macro-F1 averages the categories that occur; "lainnya" is shown but not averaged.
    assert evaluation.per_category["lainnya"].support == 0
    f1 = [evaluation.per_category[c].f1 for c in ("jalan", "parkir", "sampah")]
    assert evaluation.macro_f1 == pytest.approx(sum(f1) / 3)
    assert evaluation.labels == ("jalan", "lainnya", "parkir", "sampah")
    assert evaluation.confusion == ((1, 0, 0, 1), (0, 0, 0, 0), (1, 0, 0, 0), (0, 0, 0, 2))


def test_precision_at_threshold_is_absent_when_nothing_reaches_it():
    evaluation = score(TRUTH, PREDICTED, CONFIDENCE, threshold=0.99)

    assert evaluation.coverage == 0.0
    assert evaluation.precision_at_threshold is None
    assert "precision at threshold=n/a" in evaluation.to_text()


def test_text_report_has_a_row_per_category():
    text = score(TRUTH, PREDICTED, CONFIDENCE, threshold=0.5).to_text()

    assert text.splitlines()[0].split() == ["category", "precision", "recall", "f1", "support"]
    assert any(line.split()[:1] == ["sampah"] and line.endswith("2") for line in text.splitlines())
    assert "accuracy=0.600" in text


def test_evaluating_a_model_uses_its_threshold_unless_told_otherwise(model, corpus):
    default = evaluate(model, corpus[:60])
    everything = evaluate(model, corpus[:60], threshold=0.0)

    assert default.threshold == model.threshold
    assert everything.coverage == 1.0
    assert default.n == 60
    assert set(default.labels) == set(model.labels)


def test_confusion_plot_is_a_png(tmp_path):
    evaluation = score(TRUTH, PREDICTED, CONFIDENCE, threshold=0.5)

    path = plot_confusion(evaluation, tmp_path / "confusion.png")

    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
