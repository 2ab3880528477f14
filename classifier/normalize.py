"""Text normalization shared by training and prediction.

Citizens write in chat Indonesian: slang, stretched letters, phone numbers, plates, emoji.
The model should learn "jalan rusak", not one feature per phone number or per spelling of
"banget", so both training and prediction pass every text through `normalize` first.
"""

import re
import unicodedata
from functools import lru_cache

from classifier.slang import SLANG

__all__ = ["EmptyText", "normalize"]


class EmptyText(ValueError):
    """The text has nothing to classify: empty, whitespace, or only emoji and punctuation."""


URL = " _url_ "
EMAIL = " _email_ "
PHONE = " _telp_ "
PLATE = " _nopol_ "
NUMBER = " _angka_ "

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|id|net|org|io|ly|me|info)\b(?:/\S*)?",
    re.IGNORECASE,
)
# Mobile numbers: 08xx, 628xx or +62 8xx, in groups split by spaces, dots or dashes.
_PHONE = re.compile(r"(?<!\w)(?:\+62|62|0)\s?8\d{1,3}(?:[\s.-]?\d{2,5}){1,4}(?!\d)")
# Region prefixes of Indonesian plates (TNKB). Matching only known prefixes keeps "RT 05 RW"
# or "Blok B 12" from becoming plates.
# fmt: off
_PLATE_REGIONS = (
    "A", "B", "D", "E", "F", "G", "H", "K", "L", "M", "N", "P", "R", "S", "T", "W", "Z",
    "AA", "AB", "AD", "AE", "AG", "BA", "BB", "BD", "BE", "BG", "BH", "BK", "BL", "BM", "BN",
    "BP", "DA", "DB", "DC", "DD", "DE", "DG", "DH", "DK", "DL", "DM", "DN", "DP", "DR", "DS",
    "DT", "DW", "EA", "EB", "ED", "KB", "KH", "KT", "KU", "PA", "PB", "PG",
)
# fmt: on
_REGION = "(?:" + "|".join(sorted(_PLATE_REGIONS, key=len, reverse=True)) + ")"
# Spaced plates ("B 1234 XYZ") only in capitals: in lower case "dr 2 jam" would match.
# Compact plates ("b1234xyz") are unambiguous in any case.
_PLATE_SPACED = re.compile(rf"\b{_REGION} ?\d{{1,4}} ?[A-Z]{{1,3}}\b")
_PLATE_COMPACT = re.compile(rf"\b{_REGION}\d{{1,4}}[A-Z]{{1,3}}\b", re.IGNORECASE)
# "jalan2" is how chat writes the reduplicated "jalan-jalan"; expand before numbers go.
_REDUPLICATION = re.compile(r"\b([^\W\d_]{2,})2\b")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NOT_WORD = re.compile(r"[^\w]+")
_STRETCH = re.compile(r"([^\W\d_])\1{2,}")

# Words whose double letter is real, so "maaaaf" collapses to "maaf", not "maf".
_REAL_DOUBLES = frozenset({
    "maaf", "saat", "taat", "manfaat", "jumaat", "allah", "sholat", "saatnya", "maafkan",
    "memaafkan", "bermanfaat",
})  # fmt: skip
_VOWELS = frozenset("aiueo")


def normalize(text: str) -> str:
    """Return `text` lower-cased, masked and de-slanged, tokens separated by single spaces."""
    text = unicodedata.normalize("NFKC", text).replace("_", " ")
    text = _EMAIL.sub(EMAIL, text)
    text = _URL.sub(URL, text)
    text = _PHONE.sub(PHONE, text)
    text = _PLATE_SPACED.sub(PLATE, text)
    text = _PLATE_COMPACT.sub(PLATE, text)
    text = text.casefold()
    text = _REDUPLICATION.sub(r"\1 \1", text)
    text = _NUMBER.sub(NUMBER, text)
    # Numerals that are not decimal digits (Brahmi, circled, fractions) carry no meaning here.
    text = _NOT_WORD.sub(" ", text)
    if not text.isascii():
        text = "".join(" " if ch.isnumeric() else ch for ch in text)
    return " ".join(_standard_word(token) for token in text.split())


@lru_cache(maxsize=65536)
def _standard_word(token: str) -> str:
    if _STRETCH.search(token):
        token = _collapse_stretch(token)
    return SLANG.get(token, token)


def _collapse_stretch(token: str) -> str:
    doubled = _STRETCH.sub(r"\1\1", token)
    if doubled in _REAL_DOUBLES or doubled in SLANG:
        return doubled

    def single(match: re.Match[str]) -> str:
        # "ngg" before a vowel is ordinary spelling (tinggi, nggak, minggu).
        letter, start, end = match.group(1), match.start(), match.end()
        after = token[end] if end < len(token) else ""
        if letter == "g" and start > 0 and token[start - 1] == "n" and after in _VOWELS:
            return "gg"
        return letter

    return _STRETCH.sub(single, token)
