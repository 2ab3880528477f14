"""Personal data typed into a complaint's text, found at intake and hidden from the public copy.

Citizens write their NIK, phone number or bank account into the description ("nama saya Budi,
NIK 3275..., hubungi 0812..."). `redact` returns the copy the public may read, each finding
replaced by a placeholder naming what was there, and the kinds it found; the original stays
for officers. `accuses_someone` tells whether the text names a person in an accusation (pungli,
suap, an official asking for money), for which the citizen is advised to file it rahasia.

Pure functions over text, no I/O. These are heuristics: where a reading is ambiguous they hide
a little too much rather than leave a number or a name on a public page. The detectors, one
per kind, are in lapor/privacy_detectors.py; what callers import is re-exported here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lapor import i18n
from lapor.privacy_detectors import (
    _EMAIL,
    BANK_ACCOUNT,
    EMAIL,
    KINDS,
    NAME,
    NIK,
    PHONE,
    PLATE,
    _introduced_names,
    _numbers,
    _plates,
    accuses_someone,
    is_nik,
)

__all__ = [
    "BANK_ACCOUNT",
    "EMAIL",
    "KINDS",
    "LABELS",
    "LABELS_EN",
    "NAME",
    "NIK",
    "PHONE",
    "PLACEHOLDERS",
    "PLATE",
    "PublicCopy",
    "Redaction",
    "accuses_someone",
    "is_nik",
    "label",
    "public_copy",
    "redact",
    "redact_place",
]

PLACEHOLDERS = {
    NIK: "[NIK disembunyikan]",
    PHONE: "[nomor HP disembunyikan]",
    EMAIL: "[email disembunyikan]",
    BANK_ACCOUNT: "[nomor rekening disembunyikan]",
    PLATE: "[nomor kendaraan disembunyikan]",
    NAME: "[nama disembunyikan]",
}


def label(kind: str, language: str | None = i18n.DEFAULT) -> str:
    """What was hidden, in the words the citizen and the officers read (`privacy.kind.*` in
    lapor/i18n), e.g. label("phone") -> "nomor HP", label("phone", "en") -> "phone number"."""
    return i18n.t(f"privacy.kind.{kind}", language)


# The same labels by kind, for callers that index a mapping.
LABELS = {kind: label(kind, "id") for kind in KINDS}
LABELS_EN = {kind: label(kind, "en") for kind in KINDS}


@dataclass(frozen=True)
class Redaction:
    text: str  # the public copy
    kinds: tuple[str, ...]  # what was hidden, in KINDS order, each once
    names: tuple[str, ...] = ()  # the reporter's own names found, to hide elsewhere too


@dataclass(frozen=True)
class PublicCopy:
    """What intake keeps for the public: the redacted text and title, what was hidden in
    either, and whether the citizen should be advised to file the complaint rahasia."""

    text: str
    title: str | None
    kinds: tuple[str, ...]
    accusation: bool


def public_copy(text: str, title: str | None = None) -> PublicCopy:
    body = redact(text)
    heading = None if title is None else redact(title, known_names=body.names)
    found = set(body.kinds) | set(heading.kinds if heading else ())
    return PublicCopy(
        text=body.text,
        title=None if heading is None else heading.text,
        kinds=tuple(kind for kind in KINDS if kind in found),
        accusation=accuses_someone(text if title is None else f"{title}\n{text}"),
    )


def redact(text: str, known_names: tuple[str, ...] = ()) -> Redaction:
    """The public copy of `text`: NIKs, phone numbers, e-mail addresses, bank accounts given
    as such, the reporter's own vehicle plate and name, each replaced by its placeholder."""
    spans: list[tuple[int, int, str]] = []

    def add(start: int, end: int, kind: str) -> None:
        if not any(start < e and s < end for s, e, _ in spans):
            spans.append((start, end, kind))

    for match in _EMAIL.finditer(text):
        add(match.start(), match.end(), EMAIL)
    for start, end, kind in _numbers(text):
        add(start, end, kind)
    for start, end in _plates(text):
        add(start, end, PLATE)
    names = list(known_names)
    for start, end in _introduced_names(text):
        add(start, end, NAME)
        names.append(text[start:end])
    for name in dict.fromkeys(names):  # the same name written again elsewhere in the text
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE):
            add(match.start(), match.end(), NAME)

    spans.sort()
    pieces, position = [], 0
    for start, end, kind in spans:
        pieces.append(text[position:start])
        pieces.append(PLACEHOLDERS[kind])
        position = end
    pieces.append(text[position:])
    found = {kind for _, _, kind in spans}
    own_names = tuple(dict.fromkeys(text[s:e] for s, e, k in spans if k == NAME))
    return Redaction("".join(pieces), tuple(k for k in KINDS if k in found), own_names)


def redact_place(value: str | None) -> str | None:
    """A place the citizen typed (address, kelurahan, kecamatan), as the public reads it."""
    return None if value is None else redact(value).text
