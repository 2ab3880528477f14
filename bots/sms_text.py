"""SMS text: every message in the GSM-7 alphabet, each SMS within 160 septets, choices as a
numbered list.

Two decisions, made for a city's citizens on ordinary phones and for its SMS bill:

* **GSM-7 only, by transliteration.** One character outside GSM 03.38 (an emoji, a curly quote,
  "…", "•", "→") turns a whole SMS into UCS-2, where it holds 70 characters instead of 160 and
  a long text costs more than twice as many SMS. Indonesian needs nothing outside GSM-7, so a
  character outside it is replaced: typographic punctuation by its plain form (`_PLAIN`), then
  anything else by its ASCII transliteration (the anyascii package: "ş" → "s", "😀" →
  ":grinning:", "北京" → "BeiJing"). Which characters GSM-7 has, and how many septets each
  takes (two for the escape table's "€", "[", "]", "{", "}", "~", "^", "|", "\\"), comes from
  the gsm0338 codec.
* **Long texts as separate SMS of at most 160 septets, each marked "(1/3) ".** Not one
  concatenated SMS (153 septets a segment, reassembled by the phone): a generic HTTP gateway
  may not concatenate, each SMS we send is exactly one billed SMS, a feature phone that does
  not reassemble still shows readable parts in order, and the outbox resumes a message cut off
  half-way at its next part (`PartlySent`), so no part reaches the phone twice. Breaks fall at
  a line end or a space where one is near. Past `MAX_PARTS` the text is shortened (its end
  marked "...") and the choices always stay whole.

Choices (`buttons` in the outbox payload) are listed after the text as "1. Lanjut", one a line;
the sender keeps their data so the citizen's reply "1" can be read as the first
(bots/sms.py). Pure functions; no I/O.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import gsm0338  # noqa: F401  registers the "gsm03.38" codec
from anyascii import anyascii

SMS_SEPTETS = 160  # one SMS in GSM-7
MAX_PARTS = 6  # a message longer than this many SMS is shortened
ELLIPSIS = "..."

_CODEC = "gsm03.38"
_ESCAPE = 0x1B
_BASIC = frozenset(bytes([code]).decode(_CODEC) for code in range(128) if code != _ESCAPE)


def _extension_table() -> frozenset[str]:
    found = set()
    for code in range(128):
        try:
            found.add(bytes([_ESCAPE, code]).decode(_CODEC))
        except UnicodeDecodeError:
            continue
    found.discard("\x0c")  # the form feed: a page break on a phone, never wanted
    return frozenset(found)


_EXTENDED = _extension_table()
GSM7 = _BASIC | _EXTENDED

# Typographic characters people and catalogues use, by their plain GSM-7 form (before the
# general transliteration, whose choices for these are less readable: "•" would be "*").
_PLAIN = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "`": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2026": "...",
    "\u2022": "-",
    "\u00b7": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2192": "->",
    "\u2190": "<-",
    "\u00a0": " ",
    "\u202f": " ",
    "\t": " ",
    "\u00d7": "x",
}


def to_gsm7(text: str) -> str:
    """``text`` in GSM-7 characters only: what GSM-7 has is kept, the rest replaced."""
    out: list[str] = []
    for character in unicodedata.normalize("NFC", text.replace("\r\n", "\n")):
        if character in GSM7 and character != "\r":
            out.append(character)
        elif character in _PLAIN:
            out.append(_PLAIN[character])
        elif unicodedata.category(character) in ("Cc", "Cf", "Zl", "Zp"):
            # controls and invisible format characters (zero-width joiners...): a line or
            # paragraph separator is a line end, the others are nothing
            out.append("\n" if character in "\u2028\u2029\x0b\x0c\x85" else "")
        else:
            out.append("".join(c if c in GSM7 else _PLAIN.get(c, "") for c in anyascii(character)))
    return "".join(out)


def septets(text: str) -> int:
    """How many septets a GSM-7 text takes (two for a character of the escape table)."""
    return sum(2 if character in _EXTENDED else 1 for character in text)


def fits(text: str) -> bool:
    """Whether ``text`` goes as one SMS in GSM-7."""
    return all(character in GSM7 for character in text) and septets(text) <= SMS_SEPTETS


def menu(labels: Sequence[str]) -> str:
    """The choices as the citizen reads them: "1. Lanjut", one a line."""
    return "\n".join(
        f"{number}. {' '.join(label.split())}" for number, label in enumerate(labels, 1)
    )


def render(payload: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """The SMS (each within 160 GSM-7 septets) for one outbox payload (``text``, ``buttons``),
    and the data of its choices in the order they are numbered."""
    text = to_gsm7(str(payload.get("text") or "").strip()).strip() or "-"
    buttons = [(str(label), str(data)) for label, data in payload.get("buttons") or ()]
    choices = to_gsm7(menu([label for label, _ in buttons]))
    parts = split(text, choices)
    if len(parts) > MAX_PARTS:
        # The longest shortened text that still fits: a bisection over its length.
        low, high = 0, septets(text)
        while low < high:
            middle = (low + high + 1) // 2
            if len(split(_shorten(text, middle), choices)) <= MAX_PARTS:
                low = middle
            else:
                high = middle - 1
        parts = split(_shorten(text, low), choices)
    return parts, [data for _, data in buttons]


def _shorten(text: str, room: int) -> str:
    """``text`` cut to at most ``room`` septets, at a space where one is near, marked "..."."""
    room -= len(ELLIPSIS)
    if room <= 0:
        return ELLIPSIS
    end = _fitting(text, 0, room)
    space = text.rfind(" ", 0, end)
    if space > end * 0.7:
        end = space
    return text[:end].rstrip() + ELLIPSIS


def split(text: str, tail: str = "", limit: int = SMS_SEPTETS) -> list[str]:
    """A GSM-7 text, and a ``tail`` kept whole where it fits (the choices), as SMS of at most
    ``limit`` septets: one when all fits, else parts each opening with "(i/n) ", broken at a
    line end or a space near the end of the room."""
    whole = f"{text}\n{tail}" if text and tail else text or tail
    if septets(whole) <= limit:
        return [whole]
    total = 9  # the marker's width depends on the count: guess one digit, widen if wrong
    while True:
        room = limit - len(f"({total}/{total}) ")
        pieces = _pieces(text, room)
        if tail and pieces and septets(pieces[-1]) + 1 + septets(tail) <= room:
            pieces[-1] = f"{pieces[-1]}\n{tail}"
        elif tail:
            pieces += _pieces(tail, room)
        if len(pieces) <= total:
            count = len(pieces)
            return [f"({number}/{count}) {piece}" for number, piece in enumerate(pieces, 1)]
        total = 10 ** len(str(len(pieces))) - 1  # one more digit


def _pieces(text: str, room: int) -> list[str]:
    pieces, start = [], 0
    while start < len(text):
        end = _fitting(text, start, room)
        if end < len(text):
            window = text[start:end]
            line = window.rfind("\n")
            space = window.rfind(" ")
            if line > len(window) * 0.5:
                end = start + line
            elif space > len(window) * 0.3:
                end = start + space
        piece = text[start:end].strip()
        if piece:
            pieces.append(piece)
        start = end
        while start < len(text) and text[start] in " \n":
            start += 1
    return pieces


def _fitting(text: str, start: int, room: int) -> int:
    """The end of the longest run of ``text`` from ``start`` within ``room`` septets."""
    used, end = 0, start
    while end < len(text):
        cost = 2 if text[end] in _EXTENDED else 1
        if used + cost > room:
            break
        used += cost
        end += 1
    return end
