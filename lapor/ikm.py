"""Indeks Kepuasan Masyarakat (IKM) from SKM survey answers, per PermenPANRB 14/2017.

Arithmetic is done in exact fractions: the regulation weighs each of the nine elements by 1/9,
and the grade bands have four-decimal edges, so a float (or the 0.11 weight some offices use)
would put results that sit on an edge into the wrong band.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from lapor import i18n

ELEMENT_CODES: tuple[str, ...] = ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9")

# The nine elements (unsur) of PermenPANRB 14/2017, in the regulation's order; their names,
# questions and answer labels are lapor/i18n's `ikm.Un.` keys.
ELEMENTS: tuple[tuple[str, str], ...] = tuple(
    (code, i18n.t(f"ikm.{code}.name")) for code in ELEMENT_CODES
)


def answer_labels(code: str, language: str = i18n.DEFAULT) -> tuple[str, str, str, str]:
    """Answer labels for scores 1..4, as on the sample questionnaire in the regulation's annex
    and the SKM forms offices copy from it (keyed by element, not by question number)."""
    first, second, third, fourth = (
        i18n.t(f"ikm.{code}.answer_{score}", language) for score in range(1, 5)
    )
    return first, second, third, fourth


ANSWER_LABELS: dict[str, tuple[str, str, str, str]] = {
    code: answer_labels(code) for code in ELEMENT_CODES
}

MIN_SCORE = 1
MAX_SCORE = 4
CONVERSION_FACTOR = 25

# (exclusive upper edge on the unconverted IKM, grade, performance); the last band has no edge.
# The regulation's table leaves gaps (2.5996-2.60, 3.064-3.0644, 3.532-3.5324); a value in a
# gap belongs to the lower band, so each band runs up to the next band's lower edge.
_BANDS: tuple[tuple[Fraction | None, str, str], ...] = (
    (Fraction("2.60"), "D", "Tidak Baik"),
    (Fraction("3.0644"), "C", "Kurang Baik"),
    (Fraction("3.5324"), "B", "Baik"),
    (None, "A", "Sangat Baik"),
)


@dataclass(frozen=True)
class IkmResult:
    """The IKM of a set of survey answers. With no respondents, only `respondents` is set."""

    respondents: int
    nrr: Mapping[str, Fraction] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    ikm: Fraction | None = None
    converted: Fraction | None = None
    grade: str | None = None
    performance: str | None = None
    # How many respondents answered each element in `nrr` (the elements nobody answered are
    # in neither).
    answered: Mapping[str, int] = field(
        default_factory=lambda: MappingProxyType({}), hash=False, compare=False
    )

    def nrr_float(self, element: str) -> float | None:
        """The element's NRR, or None when nobody answered it."""
        value = self.nrr.get(element)
        return None if value is None else float(value)

    def as_dict(self) -> dict[str, Any]:
        """Rounded for display (half up): NRR to 3 decimals, IKM to 4, converted to 2.

        The grade comes from the exact IKM, so a value just under a band edge can display as
        the edge (3.06438 is C but its converted 76.6095 shows as 76.61).
        """
        return {
            "respondents": self.respondents,
            "nrr": {code: _round_half_up(value, 3) for code, value in self.nrr.items()},
            "ikm": None if self.ikm is None else _round_half_up(self.ikm, 4),
            "converted": None if self.converted is None else _round_half_up(self.converted, 2),
            "grade": self.grade,
            "performance": self.performance,
        }


def grade_for(ikm: Fraction | float | Decimal) -> tuple[str, str]:
    """(grade, performance) for an unconverted IKM on the 1-4 scale."""
    value = _exact(ikm)
    if not MIN_SCORE <= value <= MAX_SCORE:
        raise ValueError(f"IKM must be between {MIN_SCORE} and {MAX_SCORE}, got {ikm}")
    for upper_edge, grade, performance in _BANDS:
        if upper_edge is None or value < upper_edge:
            return grade, performance
    raise AssertionError("the last band has no upper edge")  # pragma: no cover


def compute_ikm(
    element_sums: Mapping[str, int | None],
    respondents: int,
    answered: Mapping[str, int | None] | None = None,
) -> IkmResult:
    """IKM from each element's sum of scores, `respondents` people answering.

    This is the shape a SQL aggregate gives (`SUM(u1) ..., COUNT(u1) ..., COUNT(*)`).
    `answered` says how many respondents answered each element: an element that does not
    apply to a complaint's service is not asked ([survey.elements] in the city file), and a
    citizen may stop half-way. Without it, every respondent answered all nine (the
    regulation's full questionnaire).

    Over the answers given, exactly (PermenPANRB 14/2017, lampiran): the NRR of an element is
    its sum over the respondents who answered it; the IKM weighs each element that has at
    least one answer by 1/k, k the number of such elements (the regulation's "bobot nilai
    rata-rata tertimbang = jumlah bobot / jumlah unsur"): 1/9 when all nine were asked. An
    element nobody answered is left out of the NRR table and of the weights, never counted as
    a zero. `respondents` counts people who answered at least one element. For an empty
    period (no respondents) the sums may be missing or zero.
    """
    if isinstance(respondents, bool) or not isinstance(respondents, int) or respondents < 0:
        raise ValueError(f"respondents must be a non-negative integer, got {respondents!r}")
    _reject_unknown_elements(element_sums)
    if answered is not None:
        _reject_unknown_elements(answered, where="answer counts")
    if respondents == 0:
        for code, total in element_sums.items():
            if total not in (0, None):
                raise ValueError(f"{code}: sum is {total} but there are no respondents")
        return IkmResult(respondents=0)

    counts = (
        dict.fromkeys(ELEMENT_CODES, respondents)
        if answered is None
        else {code: answered.get(code) or 0 for code in ELEMENT_CODES}
    )
    nrr: dict[str, Fraction] = {}
    for code in ELEMENT_CODES:
        count = counts[code]
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= respondents:
            raise ValueError(
                f"{code}: answered by {count!r}, must be a whole number from 0 to {respondents}"
            )
        if code not in element_sums and count:
            raise ValueError(f"{code}: missing from the element sums")
        total = element_sums.get(code)
        if count == 0:
            if total not in (0, None):
                raise ValueError(f"{code}: sum is {total} but nobody answered it")
            continue
        if isinstance(total, bool) or not isinstance(total, int):
            raise ValueError(f"{code}: sum must be an integer, got {total!r}")
        if not MIN_SCORE * count <= total <= MAX_SCORE * count:
            raise ValueError(
                f"{code}: sum {total} is impossible for {count} respondents scoring "
                f"{MIN_SCORE}-{MAX_SCORE}"
            )
        nrr[code] = Fraction(total, count)
    if not nrr:
        raise ValueError(f"{respondents} respondents but no element was answered")
    if sum(counts.values()) < respondents:
        raise ValueError(
            f"{respondents} respondents cannot each have answered an element: "
            f"only {sum(counts.values())} answers"
        )

    weight = Fraction(1, len(nrr))  # 1/9 when all nine were asked
    ikm = sum((value * weight for value in nrr.values()), Fraction(0))
    grade, performance = grade_for(ikm)
    return IkmResult(
        respondents=respondents,
        nrr=MappingProxyType(nrr),
        ikm=ikm,
        converted=ikm * CONVERSION_FACTOR,
        grade=grade,
        performance=performance,
        answered=MappingProxyType({code: counts[code] for code in nrr}),
    )


def compute_ikm_from_answers(answers: Iterable[Mapping[str, int | None]]) -> IkmResult:
    """IKM from individual answers, each mapping the elements asked to a score 1..4. An
    element left out (or None) was not asked; an answer without any element (the first
    question only, the questionnaire declined) is no IKM respondent."""
    sums = dict.fromkeys(ELEMENT_CODES, 0)
    counts = dict.fromkeys(ELEMENT_CODES, 0)
    respondents = 0
    for number, answer in enumerate(answers, start=1):
        _reject_unknown_elements(answer, where=f"answer {number}")
        given = 0
        for code in ELEMENT_CODES:
            score = answer.get(code)
            if score is None:
                continue
            if (
                isinstance(score, bool)
                or not isinstance(score, int)
                or not MIN_SCORE <= score <= MAX_SCORE
            ):
                raise ValueError(
                    f"{code}: score must be {MIN_SCORE}-{MAX_SCORE}, got {score!r} in answer {number}"
                )
            sums[code] += score
            counts[code] += 1
            given += 1
        respondents += 1 if given else 0
    return compute_ikm(sums, respondents, counts)


def _reject_unknown_elements(mapping: Mapping[str, object], where: str = "element sums") -> None:
    for code in mapping:
        if code not in ELEMENT_CODES:
            raise ValueError(f"{code!r}: not an SKM element (expected U1-U9) in {where}")


def _exact(value: Fraction | float | Decimal | int) -> Fraction:
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"IKM must be a finite number, got {value}")
        # Read a float as the decimal it prints as, so grade_for(3.0644) is B like the table
        # says, not C because the nearest binary float is a hair below 3.0644.
        return Fraction(repr(value))
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"IKM must be a finite number, got {value}")
    return Fraction(value)


def _round_half_up(value: Fraction, places: int) -> float:
    scale = 10**places
    return math.floor(value * scale + Fraction(1, 2)) / scale
