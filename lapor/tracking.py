"""Tracking codes: 45 random bits in Crockford base32 plus one check character.

Shown as ``XXXXX-XXXXX``. Input is case-insensitive, ignores spaces and hyphens, and reads the
look-alikes I/L as 1 and O as 0, as Crockford's alphabet intends, so a code read out on the
phone survives. The check character is computed with a Damm-style quasigroup over GF(32)
(x∘y = 2·x + y), which catches every single wrong character and every swap of two adjacent
characters. Crockford's own mod-37 check needs the symbols ``*~$=U``, which are hard to say
aloud; this keeps the check inside the same 32 characters.
"""

from __future__ import annotations

import secrets
from enum import Enum

from lapor import i18n
from lapor.errors import DomainError, FieldError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_VALUE.update({"I": 1, "L": 1, "O": 0})
PAYLOAD_LENGTH = 9  # 9 x 5 = 45 random bits
CODE_LENGTH = PAYLOAD_LENGTH + 1

_POLY = 0b100101  # x^5 + x^2 + 1, primitive over GF(2)


def _times_two(value: int) -> int:
    value <<= 1
    if value & 0b100000:
        value ^= _POLY
    return value


def _interim(values: list[int]) -> int:
    acc = 0
    for value in values:
        acc = _times_two(acc) ^ value
    return acc


def check_character(payload: str) -> str:
    # The check c makes the whole fold end at zero: 2·acc + c = 0, i.e. c = 2·acc in GF(2^5).
    return ALPHABET[_times_two(_interim([_VALUE[ch] for ch in payload]))]


def new_code(randbits=secrets.randbits) -> str:
    number = randbits(5 * PAYLOAD_LENGTH)
    payload = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(PAYLOAD_LENGTH)))
    return payload + check_character(payload)


def display(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


class CodeProblem(Enum):
    MALFORMED = "malformed"  # wrong length or characters outside the alphabet
    CHECK_FAILED = "check_failed"  # a typo: the check character does not match


def normalize(text: str) -> str | CodeProblem:
    """The canonical code for what a citizen typed, or why it cannot be one."""
    cleaned = "".join(ch for ch in text.upper() if ch not in " -_.")
    if len(cleaned) != CODE_LENGTH or any(ch not in _VALUE for ch in cleaned):
        return CodeProblem.MALFORMED
    values = [_VALUE[ch] for ch in cleaned]
    if _interim(values) != 0:
        return CodeProblem.CHECK_FAILED
    return "".join(ALPHABET[v] for v in values)


def parse_code(text: str) -> str:
    result = normalize(text)
    if result is CodeProblem.CHECK_FAILED:
        raise DomainError(
            i18n.t("problem.code_typo"),
            [FieldError("code", i18n.t("problem.code_typo_field"))],
        )
    if result is CodeProblem.MALFORMED:
        raise DomainError(
            i18n.t("problem.code_malformed"),
            [FieldError("code", i18n.t("problem.code_malformed_field"))],
        )
    return result
