"""Write classifier/data/complaints.jsonl and holdout.jsonl, byte-for-byte reproducibly.

    python -m classifier.corpus.build [--out DIR]

Every generator draws from its own random.Random seeded with a string (family, category,
seed), so adding a family or a category does not shift the others, and nothing depends on
hash randomization or dict order.
"""

import argparse
import json
import random
import re
from pathlib import Path

from classifier.corpus import CATEGORIES
from classifier.corpus import lainnya as lx
from classifier.corpus.boundary import BOUNDARY
from classifier.corpus.generate import FAMILIES
from classifier.corpus.handwritten import HANDWRITTEN
from classifier.corpus.holdout import HOLDOUT
from classifier.corpus.lainnya import LAINNYA
from classifier.corpus.topic import Topic
from classifier.corpus.topics_infra import INFRA_TOPICS
from classifier.corpus.topics_services import SERVICE_TOPICS

SEED = 20240817
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CHAT_FAMILIES = {"chat_slang", "chat_caps", "chat_regional", "tweet"}
MAX_CHAT_WORDS = 80


def normalize(text: str) -> str:
    """The comparison key for duplicates: lower-case with whitespace folded."""
    return re.sub(r"\s+", " ", text.lower()).strip()


def topics() -> list[Topic]:
    found = sorted((*INFRA_TOPICS, *SERVICE_TOPICS, LAINNYA), key=lambda t: t.code)
    assert [t.code for t in found] == sorted(CATEGORIES), "a category has no topic pool"
    return found


def _acceptable(text: str, code: str, family: str) -> bool:
    words = len(text.split())
    if code == "lainnya":
        return words >= 1
    if family in CHAT_FAMILIES:
        return 4 <= words <= MAX_CHAT_WORDS
    return words >= 4


def generate(seed: int = SEED) -> list[dict[str, str]]:
    all_topics = topics()
    holdout_keys = {normalize(text) for _, text in HOLDOUT}
    seen: set[str] = set(holdout_keys)
    rows: list[dict[str, str]] = []

    for code, text in HANDWRITTEN:
        key = normalize(text)
        if key not in seen:
            seen.add(key)
            rows.append({"text": text, "category": code, "source": "handwritten"})

    for family in sorted(FAMILIES):
        make, per_category = FAMILIES[family]
        for topic in all_topics:
            if family == "boundary" and topic.code not in BOUNDARY:
                continue
            wanted = per_category
            if family == "boundary":
                wanted = min(per_category, 4 * len(BOUNDARY[topic.code]))
            rng = random.Random(f"{seed}:{family}:{topic.code}")
            made = 0
            attempts = 0
            while made < wanted and attempts < wanted * 30:
                attempts += 1
                text = make(topic, all_topics, rng).strip()
                key = normalize(text)
                if not text or key in seen or not _acceptable(text, topic.code, family):
                    continue
                seen.add(key)
                rows.append({"text": text, "category": topic.code, "source": family})
                made += 1
    for row in rows:
        if row["category"] == "lainnya" and is_non_complaint(row["text"]):
            row["complaint"] = False
    rows.sort(key=lambda r: (r["category"], r["source"], r["text"]))
    return rows


def _words(text: str) -> frozenset[str]:
    return frozenset(re.sub(r"[^a-z0-9 ]", " ", text.lower()).split())


# The lainnya pools that are no complaint at all: greetings, thanks and praise, spam, idle
# questions. Private quarrels, national matters and other offices' problems are complaints,
# just not the city's.
_NON_COMPLAINT_POOLS = tuple(
    _words(entry) for pool in (lx.GREETINGS, lx.THANKS, lx.SPAM, lx.QUESTIONS) for entry in pool
)
_COMPLAINT_POOLS = tuple(
    _words(entry) for pool in (lx.PRIVATE, lx.NATIONAL, lx.OFF_CITY) for entry in pool
)


def is_non_complaint(text: str) -> bool:
    """Whether a generated lainnya text came from a non-complaint pool. The families wrap
    and misspell the pool entries, so the entry whose words the text holds best decides
    (ties and weak matches: a complaint)."""
    words = _words(text)

    def best(pools: tuple[frozenset[str], ...]) -> float:
        return max((len(entry & words) / len(entry) for entry in pools if entry), default=0.0)

    non_complaint = best(_NON_COMPLAINT_POOLS)
    return non_complaint >= 0.6 and non_complaint > best(_COMPLAINT_POOLS)


def holdout_rows() -> list[dict[str, str]]:
    rows = [{"text": text, "category": code, "source": "holdout"} for code, text in HOLDOUT]
    rows.sort(key=lambda r: (r["category"], r["text"]))
    return rows


def write_jsonl(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n")


def build(out_dir: Path = DATA_DIR, seed: int = SEED) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    complaints = out_dir / "complaints.jsonl"
    holdout = out_dir / "holdout.jsonl"
    write_jsonl(complaints, generate(seed))
    write_jsonl(holdout, holdout_rows())
    return complaints, holdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA_DIR)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    for path in build(args.out, args.seed):
        lines = path.read_text(encoding="utf-8").count("\n")
        print(f"{path}: {lines} lines, {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
