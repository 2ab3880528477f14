"""Reading a chat message beyond the dialogue's own words, by plain rules: small talk (a salam,
a greeting, thanks, an acknowledgement) that is answered and never stored as report text; a
salam that opens a report; whether a text names the place; whether the citizen asks for
rahasia or anonim. Pure functions of the text, cheap enough for every message.

These rules come before the routing model's non-complaint verdict (lapor.routing): they work
without a trained model, and they are sure of what they claim. Anything they do not recognise
is left to the model and the dialogue.
"""

from __future__ import annotations

import re

_FLAGS = re.IGNORECASE | re.UNICODE

# Phrases, written for text already folded (lower case, apostrophes dropped, punctuation to
# spaces). Each family is one kind of small talk; FILLER carries none of its own.
_SALAM = (
    r"ass?alamm?u\s?alaikum|ass?alamu\s?a?laikum|aslm|ass?wr\s?wb|samlekom|"
    r"wr\s?wb|warahmatullahi|warohmatullohi|wabarakatuh|wabarokatuh|"
    r"wass?alam(?:u\s?alaikum)?|salam\s+sejahtera|om\s+swastiastu|shalom|namo\s+buddhaya|salam"
)
_GREETING = (
    r"hall?o+|hell?o+|hai+|hi+|hey+|selamat\s+(?:pagi|siang|sore|malam)|"
    r"met\s+(?:pagi|siang|sore|malam)|pagi|siang|sore|malam|permisi|punten|p|ping|tes|test|"
    r"testing|apa\s+kabar|gimana\s+kabar(?:nya)?"
)
_THANKS = (
    r"(?:terima|trima)\s?kasih|makasih|mksh|makasi|thx|thanks|thank\s+you|tq|tks|"
    r"matur\s+nuwun(?:\s+sanget)?|hatur\s+nuhun|suksma|"
    r"atas\s+(?:bantuan|respon|responnya|perhatian|informasi|tanggapan|jawaban)\w*"
)
_ACK = r"ok+|oke+|okay|okey|baik|baiklah|siap|sip+|mantap+|noted|iya+|ya+|y|oh+|oalah|wah+|hm+"
_FILLER = (
    r"pak|bapak|bu|ibu|min|mimin|admin|kak|kakak|mas|mbak|bang|om|gan|sis|semua|sekalian|"
    r"yah|nih|dong|deh|banyak|sekali|juga|ya|nya|bro|sob"
)
_FAMILIES = (("salam", _SALAM), ("thanks", _THANKS), ("greeting", _GREETING), ("ack", _ACK))
_PHRASE = re.compile(
    "^(?:"
    + "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _FAMILIES)
    + f"|(?P<filler>{_FILLER}))(?:\\s+|$)",
    _FLAGS,
)
# The kind a message of several is answered as: a salam is answered first of all.
_PRECEDENCE = ("salam", "thanks", "greeting", "ack")


def _folded(text: str) -> str:
    text = re.sub(r"['`’‘]", "", text.lower())
    return " ".join(re.sub(r"[^\w\s]|_", " ", text).split())


def small_talk(text: str) -> str | None:
    """The kind of small talk ("salam", "thanks", "greeting", "ack") when the whole message is
    nothing else ("Assalamualaikum pak", "terima kasih min 🙏", "ok siap"); None otherwise.
    "Pagi ini jalan banjir" is no small talk: "ini jalan banjir" is left over."""
    rest = _folded(text)
    kinds: set[str] = set()
    for _ in range(30):  # a long run of courtesies still ends
        if not rest:
            break
        match = _PHRASE.match(rest)
        if match is None:
            return None
        kinds.update(kind for kind in _PRECEDENCE if match.group(kind))
        rest = rest[match.end() :]
    else:
        return None
    return next((kind for kind in _PRECEDENCE if kind in kinds), None)


# A salam or greeting opening a report: "Assalamualaikum wr wb, Pak. Jalan di depan ...".
# Bare times of day and single letters are left out: "Malam ini banjir" is a report.
_OPENING = re.compile(
    r"^[\s,.;:!\-–—]*(?:(?:"
    r"ass?alamm?u['`’]?\s?alaikum|ass?alamu['`’]?\s?a?laikum|aslm|ass?wr\.?\s?wb\.?|"
    r"wr\.?\s?wb\.?|warahmatullahi|wabarakatuh|salam\s+sejahtera|om\s+swastiastu|shalom|"
    r"hall?o+|hai+|selamat\s+(?:pagi|siang|sore|malam)|met\s+(?:pagi|siang|sore|malam)|"
    r"permisi|punten|pak|bapak|bu|ibu|min|mimin|admin|kak|mas|mbak"
    r")\b[\s,.;:!\-–—]*)+",
    _FLAGS,
)
_OPENING_SALAM = re.compile(r"^\W*(?:ass?alam|aslm)", _FLAGS)
_FILLER_ONLY = re.compile(r"(?:(?:pak|bapak|bu|ibu|min|mimin|admin|kak|mas|mbak)\W*)+", _FLAGS)


def opening(text: str) -> tuple[str | None, str]:
    """("salam" or "greeting", the rest) when a report opens with a salam or greeting that
    is not all it says; (None, text) otherwise. The rest is what the report keeps."""
    match = _OPENING.match(text)
    if match is None:
        return None, text
    rest = text[match.end() :].strip()
    opener = match.group(0)
    if not re.search(r"[^\W\d_]", rest) or re.fullmatch(_FILLER_ONLY, opener.strip(" ,.;:!-")):
        return None, text  # nothing else said, or only "Pak, ..." (no greeting to answer)
    return ("salam" if _OPENING_SALAM.match(opener) else "greeting"), rest


# Words that place a report: a street, a house number, RT/RW, a kelurahan, a landmark, or
# "di" before a name. A text that has none is asked where (lapor/complaints keeps the text).
_PLACE = re.compile(
    r"\b(?:jl|jln|gg|kel|kec|kp|kab)\b\.?|"
    r"\bjalan\s+(?-i:[A-Z0-9])|\bjalan\s+raya\b|"
    r"\b(?:gang|lorong|blok|kelurahan|kecamatan|desa|dusun|kampung|perum|perumahan|komplek|"
    r"kompleks|cluster|apartemen|rusun)\b|"
    r"\b(?:no|nomor|rt|rw)\s*\.?\s*\d|\brt\s*/\s*rw\b|"
    r"\b(?:depan|dekat|samping|belakang|seberang|sebelah|ujung|pinggir|pojok|perempatan|"
    r"pertigaan|simpang|persimpangan|bundaran)\b|"
    r"\b(?:pasar|masjid|musholla|mushola|gereja|pura|vihara|sekolah|sd|sdn|smp|smpn|sma|sman|"
    r"smk|kampus|terminal|stasiun|halte|taman|alun-alun|puskesmas|rsud|kantor|balai|lapangan|"
    r"jembatan|kali|sungai|tol|flyover|underpass)\b|"
    r"\b(?:di|ke|dari)\s+(?-i:[A-Z][a-z])",
    _FLAGS,
)


def names_place(text: str) -> bool:
    """Whether the text says where (a street, a number, RT/RW, a landmark, "di Margahayu")."""
    return _PLACE.search(text) is not None


def looks_like_address(text: str) -> bool:
    """A reply to "where is it?": a place, or a few words such as a neighbourhood's name."""
    return names_place(text) or len(text.split()) <= 4


# The citizen asks for their report or their name to be kept from others.
_PRIVACY = re.compile(
    r"\b(?:rahasia\w*|dirahasiakan|anonim\w*|anonymous|confidential|"
    r"jangan\s+(?:di)?(?:sebut|cantumkan|tampilkan|tulis|publikasikan|sebar)\w*|"
    r"(?:sembunyikan|samarkan)\s+(?:nama|identitas)\w*|tanpa\s+nama)\b",
    _FLAGS,
)


def asks_privacy(text: str) -> bool:
    """Whether the text asks for rahasia or anonim ("mohon dirahasiakan", "jangan sebut nama
    saya"): the dialogue then asks which, as it does for a text that accuses someone."""
    return _PRIVACY.search(text) is not None
