"""A complaint's priority: rendah, sedang, tinggi, darurat. Suggested at intake from the citizen's
words, then set by the desk or the agency (the lifecycle's `set_priority` move).

The suggestion only raises: without telling words a complaint is `sedang` (the SP4N-LAPOR!
limits, unchanged), and `rendah` is an officer's choice. Harm that has happened or is about to
(an accident, a victim, a flood inside homes, a fallen tree) suggests `tinggi`; an emergency
under way (a fire, a collapse, someone hurt, trapped or drowning, a gas leak) suggests
`darurat`, and the citizen is answered at once with the city's emergency numbers
(lapor.emergency). A phrase negated just before it ("tidak ada korban", "tanpa korban") counts
for nothing; one hedged ("hampir roboh", "nyaris tenggelam") counts one step lower.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lapor import i18n

PRIORITIES = ("rendah", "sedang", "tinggi", "darurat")  # lowest first
DEFAULT = "sedang"
# The queue's order (sql/020_priority.sql stores the same rank beside the priority).
RANK = {"darurat": 0, "tinggi": 1, "sedang": 2, "rendah": 3}

_DARURAT = (
    # fire
    r"kebakaran",
    r"terbakar",
    r"dilalap (?:api|si jago merah)",
    r"api (?:membesar|menyala|berkobar|merembet)",
    r"(?:fire|on fire|burning)",
    # a collapse
    r"roboh",
    r"rubuh",
    r"ambruk",
    r"runtuh",
    r"collapsed?",
    # someone hurt, trapped, drowning
    r"terluka",
    r"luka[- ]luka",
    r"luka (?:parah|berat)",
    r"berdarah",
    r"pingsan",
    r"tidak sadarkan diri",
    r"tertimpa",
    r"terjepit",
    r"terjebak",
    r"terseret arus",
    r"tenggelam",
    r"hanyut",
    r"tersengat listrik",
    r"kesetrum",
    r"korban jiwa",
    r"meninggal(?: dunia)?",
    r"tewas",
    r"(?:injured|unconscious|trapped|drowning)",
    # gas
    r"(?:kebocoran|bocor) gas",
    r"gas (?:elpiji |lpg )?bocor",
    r"gas leak",
)
_TINGGI = (
    r"kecelakaan",
    r"celaka",
    r"korban",
    r"tabrakan",
    r"terjatuh",
    r"terperosok",
    r"tergelincir",
    r"(?:motor|mobil|pengendara|pemotor|pejalan kaki|orang|anak|warga|lansia)"
    r"(?: \w+)? (?:jatuh|terjatuh|terperosok|tergelincir)",
    r"(?:banjir|air) (?:sudah )?masuk(?: ke)?(?: dalam)? rumah",
    r"rumah(?:-rumah)?(?: warga)? (?:terendam|kebanjiran)",
    r"longsor",
    r"pohon(?: \w+)? tumbang",
    r"tiang(?: listrik)? (?:miring|hampir roboh)",
    r"kabel(?: listrik)? (?:putus|menjuntai|terkelupas)",
    r"(?:accident|crash|flooded homes?)",
)
_NEGATED = re.compile(
    r"\b(?:tidak ada|tak ada|tiada|tanpa|belum ada|bukan|tidak|no)\s+(?:\w+\s+)?$"
)
_HEDGED = re.compile(r"\b(?:hampir|nyaris|hendak|mau|akan|bisa|dapat|berpotensi)\s+$")


def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(phrases) + r")\b", re.IGNORECASE)


_LEVELS = ((3, _pattern(_DARURAT)), (2, _pattern(_TINGGI)))


@dataclass(frozen=True)
class Suggestion:
    priority: str  # one of PRIORITIES
    words: tuple[str, ...] = ()  # the phrases that raised it, as written (lower case)

    @property
    def emergency(self) -> bool:
        """An emergency under way: answered at once with the city's emergency numbers."""
        return self.priority == "darurat"


def suggest(text: str) -> Suggestion:
    """The priority the citizen's words suggest, with the phrases behind it."""
    level, words = 1, []  # 1: sedang
    lowered = " ".join(text.lower().split())
    for weight, pattern in _LEVELS:
        for match in pattern.finditer(lowered):
            before = lowered[max(0, match.start() - 30) : match.start()]
            if _NEGATED.search(before):
                continue
            found = weight - 1 if _HEDGED.search(before) else weight
            if found < 2:  # a hedged tinggi phrase is no reason to raise
                continue
            if found > level:
                level, words = found, []
            if found == level and match.group(0) not in words:
                words.append(match.group(0))
    return Suggestion(PRIORITIES[level], tuple(words))


def label(priority: str, language: str | None = i18n.DEFAULT) -> str:
    """The priority as people read it (lapor/i18n `priority.label.<priority>`)."""
    return i18n.t(f"priority.label.{priority}", language)
