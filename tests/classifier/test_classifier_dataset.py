import json

import pytest

from classifier.dataset import Example, data_hash, load_examples


def write_lines(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def record(text="jalan berlubang", category="jalan", source="twitter"):
    return json.dumps({"text": text, "category": category, "source": source})


def test_examples_are_read_in_file_order_skipping_blank_lines(tmp_path):
    path = write_lines(
        tmp_path / "c.jsonl",
        [record("lampu mati", "penerangan_jalan", "wa"), "", record("sampah numpuk", "sampah")],
    )

    assert load_examples(path) == [
        Example("lampu mati", "penerangan_jalan", "wa"),
        Example("sampah numpuk", "sampah", "twitter"),
    ]


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        ("{not json", "not valid JSON"),
        ('["a list"]', "JSON object"),
        (json.dumps({"text": "x", "category": "jalan"}), "'source'"),
        (json.dumps({"text": "  ", "category": "jalan", "source": "s"}), "'text'"),
        (json.dumps({"text": "x", "category": 3, "source": "s"}), "'category'"),
        (record(category="jalanan"), "unknown category 'jalanan'"),
    ],
)
def test_malformed_line_is_reported_with_its_line_number(tmp_path, bad_line, reason):
    path = write_lines(tmp_path / "c.jsonl", [record(), "", record(), bad_line, record()])

    with pytest.raises(ValueError, match=rf"line 4: .*{reason}"):
        load_examples(path)


def test_data_hash_ignores_order_but_not_content():
    a = Example("jalan rusak", "jalan", "wa")
    b = Example("lampu mati", "penerangan_jalan", "wa")

    assert data_hash([a, b]) == data_hash([b, a])
    assert data_hash([a, b]) != data_hash([a, Example("lampu mati", "penerangan_jalan", "x")])
    assert data_hash([a, b]) != data_hash([a, b, b])
    assert len(data_hash([a])) == 64
