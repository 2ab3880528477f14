"""`lapor classify`, `lapor eval` and `lapor model` as an operator runs them."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from classifier_corpus import TRAINED_AT, synthetic_examples
from cli_helpers import run_cli

from classifier.dataset import load_examples
from classifier.evaluation import evaluate
from lapor import models
from lapor.db import connect
from lapor.migrate import migrate
from lapor.models import INDEPENDENT_DATA

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
async def trained(database_url, tmp_path):
    async with connect(database_url) as conn:
        await migrate(conn)
        outcome = await models.train_and_register(
            conn,
            tmp_path / "models",
            examples=synthetic_examples(),
            evaluation=synthetic_examples(per_style=1, seed=3),
            now=TRAINED_AT,
        )
    return outcome.model


def lapor(
    *args: str, database_url: str, tmp_path: Path, stdin: str = ""
) -> subprocess.CompletedProcess:
    env = dict(
        DATABASE_URL=database_url,
        LAPOR_DATA_DIR=str(tmp_path / "data"),
        LAPOR_SECRET_KEY="cli-test-secret-0123456789",
        LAPOR_LOG_LEVEL="WARNING",
    )
    return run_cli(*args, env=env, stdin=stdin)


def test_classify_reads_json_lines_and_reports_bad_lines_by_number(trained, database_url, tmp_path):
    lines = "\n".join(
        [
            json.dumps({"text": "min sampah menumpuk tidak diangkut di rt 05 rw 02 gmn nih"}),
            "{not json",
            json.dumps({"text": "   "}),
            json.dumps({"teks": "salah kunci"}),
            json.dumps(
                {"text": "Dengan hormat, kami laporkan lampu jalan mati total di jalan melati."}
            ),
        ]
    )
    result = lapor("classify", database_url=database_url, tmp_path=tmp_path, stdin=lines + "\n")
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 5
    assert (out[0]["category"], out[0]["agency"]) == ("sampah", "DLH")
    assert set(out[0]) == {"category", "agency", "confidence", "auto_routed", "top_terms"}
    assert [o.get("line") for o in out[1:4]] == [2, 3, 4]
    assert all("error" in o for o in out[1:4])
    assert (out[4]["category"], out[4]["agency"]) == ("penerangan_jalan", "DISPERKIM")
    assert result.returncode == 1  # some lines failed; the others were still answered


def test_classify_one_text_uses_the_city_in_lapor_city(trained, database_url, tmp_path):
    result = lapor(
        "classify",
        "pju padam gelap gulita di kampung baru",
        database_url=database_url,
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["category"] == "penerangan_jalan" and answer["agency"] == "DISPERKIM"


def test_eval_prints_scores_and_writes_the_confusion_matrix(trained, database_url, tmp_path):
    data = tmp_path / "labelled.jsonl"
    data.write_text(
        "".join(
            json.dumps({"text": e.text, "category": e.category, "source": e.source}) + "\n"
            for e in synthetic_examples(per_style=1, seed=5)
        )
    )
    result = lapor(
        "eval",
        "--data",
        str(data),
        "--out",
        str(tmp_path / "eval"),
        database_url=database_url,
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "macro-F1" in result.stdout and "penerangan_jalan" in result.stdout
    # The ladder: the given file, then the independent set, the own holdout, grouped CV.
    rows = {line.split("  ")[0]: line for line in result.stdout.splitlines()}
    expected = evaluate(trained, load_examples(data))
    assert f"{expected.accuracy:.3f}" in rows[str(data)].split()
    independent = evaluate(trained, load_examples(INDEPENDENT_DATA))
    assert f"{independent.accuracy:.3f}" in rows["independent set (never trained on)"].split()
    assert "grouped-by-author CV (out of fold)" in rows
    png = tmp_path / "eval" / f"confusion-{trained.version}.png"
    assert png.read_bytes().startswith(b"\x89PNG")


def test_model_list_and_rollback(trained, database_url, tmp_path):
    listed = lapor("model", "list", database_url=database_url, tmp_path=tmp_path)
    assert f"* {trained.version}" in listed.stdout
    missing = lapor(
        "model", "activate", "no-such-version", database_url=database_url, tmp_path=tmp_path
    )
    assert missing.returncode == 2
    assert "no-such-version" in missing.stderr and "Traceback" not in missing.stderr
