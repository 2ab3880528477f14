"""Labelled complaint examples: the JSON-lines format, loading with line-numbered errors, hashing."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CATEGORIES", "NON_COMPLAINT_CATEGORY", "Example", "data_hash", "load_examples"]

# The fixed category codes of shared/domain/taxonomy.md. Loading rejects any other code so
# that a typo in the corpus fails loudly instead of becoming a 24th category.
CATEGORIES: tuple[str, ...] = (
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
)


# Greetings, thanks and the like are filed under this category (and never routed).
NON_COMPLAINT_CATEGORY = "lainnya"


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled text.

    `source` names where it came from (a style family, an author's register, "desk");
    `author` who wrote it: cross-validation holds out whole authors, since an author's
    habits make their own texts look alike. `complaint` is False for greetings, thanks,
    praise, questions, spam and withdrawals (always category `lainnya`): texts that must
    never be routed. `weight` scales the example in training (officers' corrections count
    more than written text).
    """

    text: str
    category: str
    source: str
    author: str = ""
    complaint: bool = True
    weight: float = 1.0

    def __post_init__(self) -> None:
        if not self.author:
            object.__setattr__(self, "author", self.source)


def load_examples(path: str | Path) -> list[Example]:
    """Read a JSON-lines file of {"text", "category", "source"} objects, with optional
    "author" (default: the source) and "complaint" (default true); blank lines are skipped.

    Raises ValueError naming the 1-based line number of the first malformed line.
    """
    examples = []
    with Path(path).open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                examples.append(_parse(line))
            except ValueError as error:
                raise ValueError(f"{path}: line {number}: {error}") from error
    return examples


def _parse(line: str) -> Example:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON ({error.msg})") from error
    if not isinstance(record, dict):
        raise ValueError("expected a JSON object")
    fields = {}
    for name in ("text", "category", "source"):
        value = record.get(name)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"field {name!r} must be a non-empty string")
        fields[name] = value
    if fields["category"] not in CATEGORIES:
        raise ValueError(f"unknown category {fields['category']!r}")
    author = record.get("author", fields["source"])
    if not isinstance(author, str) or not author.strip():
        raise ValueError("field 'author' must be a non-empty string")
    complaint = record.get("complaint", True)
    if not isinstance(complaint, bool):
        raise ValueError("field 'complaint' must be true or false")
    if not complaint and fields["category"] != NON_COMPLAINT_CATEGORY:
        raise ValueError(f"a text that is no complaint must be {NON_COMPLAINT_CATEGORY!r}")
    return Example(**fields, author=author, complaint=complaint)


def data_hash(examples: Iterable[Example]) -> str:
    """SHA-256 (hex) of the examples as a multiset: the same examples in any order hash alike.

    Training sorts its input the same way, so equal hashes mean equal training data.
    """
    digest = hashlib.sha256()
    for record in sorted(canonical_records(examples)):
        digest.update(record.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def canonical_records(examples: Iterable[Example]) -> list[str]:
    return [
        json.dumps(
            {
                "category": e.category,
                "source": e.source,
                "text": e.text,
                "author": e.author,
                "complaint": e.complaint,
                "weight": e.weight,
            },
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        )
        for e in examples
    ]
