"""A sentence a citizen or an officer reads belongs in lapor/i18n/*.toml, not in the code.

A heuristic: Indonesian sentences are spotted by their common words ("yang", "Anda", "untuk",
"tidak", "laporan", ...) in the string constants of lapor/ and bots/ (docstrings, SQL, log
messages and dictionary keys aside) and in the text of the templates. What is still outside
the catalogues is counted per file in LEFT; a file may not gain sentences, and a file that
loses some should have its count lowered (the test says so)."""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKERS = re.compile(
    r"\b(yang|Anda|untuk|tidak|Tidak|silakan|Silakan|laporan|Laporan|mohon|Mohon|sudah|belum"
    r"|wajib|dengan|Terima kasih|petugas|instansi|kami|Kami|diisi|berhasil|gagal)\b"
)
SQL = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|ALTER|DROP|COPY|SET)\b|\bFROM\b")
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical"}

# What is left outside the catalogues, per file: the number of sentence-like strings there.
# Each entry says why it is still there. Lower a count when you move words into lapor/i18n.
LEFT: dict[str, int] = {
    # Data, not sentences shown as such: the demo's sample complaints, written as citizens would
    # write them and filed like any complaint (a fixture for the demo city).
    "lapor/demo.py": 22,
    # The privacy filter's word list (words that introduce a name: "adalah", "yang", "warga"...).
    "lapor/privacy_detectors.py": 1,
    # The priority's phrase patterns ("tidak sadarkan diri", "banjir masuk rumah", negations).
    "lapor/priority.py": 3,
    # The WhatsApp webhook's refusals of a bad request (missing or wrong signature header, a body
    # that is no JSON): read by Meta's servers and the logs, never by a citizen.
    "bots/whatsapp.py": 3,
    # The CLI's English console output for the operator (the demo's logins, `lapor admin
    # create`'s where-to-log-in, `lapor run`'s banner: they name the /petugas pages).
    "lapor/cli/officers.py": 2,
    "lapor/cli/serve.py": 1,
}


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _skipped(tree: ast.AST) -> set[int]:
    """String nodes that are no sentence: log messages and dictionary keys."""
    ids = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in LOG_METHODS
        ):
            ids |= {id(n) for arg in node.args for n in ast.walk(arg)}
        if isinstance(node, ast.Dict):
            ids |= {id(key) for key in node.keys if key is not None}
    return ids


def python_sentences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _docstrings(tree) | _skipped(tree)
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.JoinedStr):
            text = "".join(
                part.value if isinstance(part, ast.Constant) else "{}" for part in node.values
            )
            for part in node.values:
                skipped.add(id(part))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if len(text.split()) >= 3 and MARKERS.search(text) and not SQL.search(text):
            found.append(text)
    return found


JINJA = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.S)
TAG = re.compile(r"<[^>]*>", re.S)
SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S)


def template_sentences(path: Path) -> list[str]:
    text = SCRIPT.sub(" ", path.read_text(encoding="utf-8"))
    text = TAG.sub("\n", JINJA.sub(" ", text))
    return [
        line.strip()
        for line in text.splitlines()
        if len(line.split()) >= 3 and MARKERS.search(line)
    ]


def sentences_outside_the_catalogue() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for folder in ("lapor", "bots"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix == ".py":
                hits = python_sentences(path)
            elif path.suffix == ".html":
                hits = template_sentences(path)
            else:
                continue
            if hits:
                found[str(path.relative_to(ROOT))] = hits
    return found


def test_no_file_gains_sentences_outside_the_catalogue():
    found = sentences_outside_the_catalogue()
    grown = {name: hits for name, hits in found.items() if len(hits) > LEFT.get(name, 0)}
    assert grown == {}, "move these sentences into lapor/i18n/*.toml and look them up with t()"


def test_the_allow_list_is_no_longer_than_it_needs_to_be():
    counts = Counter({name: len(hits) for name, hits in sentences_outside_the_catalogue().items()})
    stale = {name: (left, counts[name]) for name, left in LEFT.items() if counts[name] < left}
    assert stale == {}, "lower these counts in LEFT: (allowed, found)"


def test_the_scan_sees_a_sentence_in_code_and_in_a_template(tmp_path):
    code = tmp_path / "x.py"
    code.write_text(
        '"""Silakan baca: docstrings are fine."""\n'
        "import logging\nlog = logging.getLogger()\n"
        'log.info("laporan yang tidak terkirim %s", 1)\n'
        'SQL = "SELECT id FROM laporan WHERE yang = 1"\n'
        'words = {"laporan yang baru untuk": 1}\n'
        'REPLY = "Laporan Anda sudah kami terima."\n'
        'def f(n):\n    return f"Laporan {n} tidak ditemukan."\n'
    )
    assert python_sentences(code) == [
        "Laporan Anda sudah kami terima.",
        "Laporan {} tidak ditemukan.",
    ]
    page = tmp_path / "x.html"
    page.write_text(
        '<p>{{ t("status.assigned") }}</p>\n<p class="x">Terima kasih, laporan Anda diterima.</p>'
        "<script>const yang = 'tidak untuk laporan';</script>"
    )
    assert template_sentences(page) == ["Terima kasih, laporan Anda diterima."]
