from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lapor.ikm import (
    ANSWER_LABELS,
    ELEMENT_CODES,
    ELEMENTS,
    IkmResult,
    compute_ikm,
    compute_ikm_from_answers,
    grade_for,
)


def answer(*scores: int) -> dict[str, int]:
    assert len(scores) == 9
    return dict(zip(ELEMENT_CODES, scores, strict=True))


def all_elements(score: int) -> dict[str, int]:
    return answer(*[score] * 9)


# --- the questionnaire ------------------------------------------------------------------------


def test_the_nine_elements_are_those_of_the_regulation_in_order():
    assert ELEMENTS == (
        ("U1", "Persyaratan"),
        ("U2", "Sistem, Mekanisme dan Prosedur"),
        ("U3", "Waktu Penyelesaian"),
        ("U4", "Biaya/Tarif"),
        ("U5", "Produk Spesifikasi Jenis Pelayanan"),
        ("U6", "Kompetensi Pelaksana"),
        ("U7", "Perilaku Pelaksana"),
        ("U8", "Penanganan Pengaduan, Saran dan Masukan"),
        ("U9", "Sarana dan Prasarana"),
    )


def test_every_element_has_four_distinct_answer_labels_from_worst_to_best():
    assert set(ANSWER_LABELS) == set(ELEMENT_CODES)
    for labels in ANSWER_LABELS.values():
        assert len(labels) == 4
        assert len(set(labels)) == 4
    assert ANSWER_LABELS["U4"][0] == "Sangat mahal"
    assert ANSWER_LABELS["U4"][3] == "Gratis"


# --- worked examples --------------------------------------------------------------------------


def test_three_respondents_worked_by_hand():
    # Given three answers
    answers = [
        answer(4, 3, 3, 2, 4, 3, 4, 3, 3),
        answer(3, 3, 2, 4, 3, 4, 4, 2, 3),
        answer(4, 4, 3, 3, 3, 4, 4, 3, 2),
    ]

    # When the IKM is computed
    result = compute_ikm_from_answers(answers)

    # Then NRR = column sum / 3: sums 11, 10, 8, 9, 10, 11, 12, 8, 8 (total 87)
    assert result.respondents == 3
    assert dict(result.nrr) == {
        "U1": Fraction(11, 3),
        "U2": Fraction(10, 3),
        "U3": Fraction(8, 3),
        "U4": Fraction(3),
        "U5": Fraction(10, 3),
        "U6": Fraction(11, 3),
        "U7": Fraction(4),
        "U8": Fraction(8, 3),
        "U9": Fraction(8, 3),
    }
    # IKM = sum(NRR) / 9 = (87 / 3) / 9 = 29 / 9 = 3.2222...; converted = 725 / 9 = 80.555...
    assert result.ikm == Fraction(29, 9)
    assert result.converted == Fraction(725, 9)
    assert (result.grade, result.performance) == ("B", "Baik")
    assert result.nrr_float("U1") == pytest.approx(3.6667, abs=1e-4)


def test_as_dict_rounds_for_display():
    result = compute_ikm_from_answers(
        [
            answer(4, 3, 3, 2, 4, 3, 4, 3, 3),
            answer(3, 3, 2, 4, 3, 4, 4, 2, 3),
            answer(4, 4, 3, 3, 3, 4, 4, 3, 2),
        ]
    )

    assert result.as_dict() == {
        "respondents": 3,
        "nrr": {
            "U1": 3.667,
            "U2": 3.333,
            "U3": 2.667,
            "U4": 3.0,
            "U5": 3.333,
            "U6": 3.667,
            "U7": 4.0,
            "U8": 2.667,
            "U9": 2.667,
        },
        "ikm": 3.2222,
        "converted": 80.56,
        "grade": "B",
        "performance": "Baik",
    }


def test_display_rounds_exact_halves_up():
    # 16 respondents, every element summing to 49: NRR = IKM = 49/16 = 3.0625 exactly
    sixteen = compute_ikm(dict.fromkeys(ELEMENT_CODES, 49), 16).as_dict()
    assert sixteen["nrr"]["U1"] == 3.063  # half-even would give 3.062

    # 32 respondents, every element summing to 97: IKM = 97/32 = 3.03125 exactly
    assert compute_ikm(dict.fromkeys(ELEMENT_CODES, 97), 32).as_dict()["ikm"] == 3.0313

    # 5000 respondents, every element summing to 15321: IKM = 3.0642, converted = 76.605
    result = compute_ikm(dict.fromkeys(ELEMENT_CODES, 15321), 5000)
    assert result.converted == Fraction("76.605")
    assert result.as_dict()["converted"] == 76.61  # round(76.605, 2) on floats gives 76.6
    # the grade still comes from the exact IKM, which is below the B edge of 3.0644
    assert result.grade == "C"


def test_all_fours_give_exactly_one_hundred_and_grade_a():
    result = compute_ikm_from_answers([all_elements(4)] * 5)

    assert result.ikm == 4
    assert result.converted == 100
    assert (result.grade, result.performance) == ("A", "Sangat Baik")
    # The rounded weight 0.11 some offices use would have capped it at 99
    rounded_weight_converted = sum(Fraction(4) * Fraction("0.11") for _ in ELEMENTS) * 25
    assert rounded_weight_converted == 99
    assert result.converted != rounded_weight_converted


def test_all_ones_give_twenty_five_and_grade_d():
    result = compute_ikm_from_answers([all_elements(1)] * 2)

    assert result.ikm == 1
    assert result.converted == 25
    assert (result.grade, result.performance) == ("D", "Tidak Baik")


def test_compute_ikm_from_sums_matches_computing_from_answers():
    answers = [answer(4, 3, 3, 2, 4, 3, 4, 3, 3), answer(1, 2, 3, 4, 1, 2, 3, 4, 1)]
    sums = {code: sum(a[code] for a in answers) for code in ELEMENT_CODES}

    assert compute_ikm(sums, 2) == compute_ikm_from_answers(answers)


def test_no_respondents_is_an_empty_result_not_an_error():
    for result in (
        compute_ikm_from_answers([]),
        compute_ikm({}, 0),
        compute_ikm(all_elements(0), 0),
    ):
        assert result == IkmResult(respondents=0)
        assert result.grade is None
        assert result.ikm is None
        assert result.as_dict() == {
            "respondents": 0,
            "nrr": {},
            "ikm": None,
            "converted": None,
            "grade": None,
            "performance": None,
        }


# --- grade bands ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ikm", "grade", "performance"),
    [
        ("1", "D", "Tidak Baik"),
        ("2.5996", "D", "Tidak Baik"),
        ("2.5999", "D", "Tidak Baik"),  # in the table's gap: stays in the lower band
        ("2.60", "C", "Kurang Baik"),
        ("3.064", "C", "Kurang Baik"),
        ("3.0643", "C", "Kurang Baik"),
        ("3.0644", "B", "Baik"),
        ("3.532", "B", "Baik"),
        ("3.5323", "B", "Baik"),
        ("3.5324", "A", "Sangat Baik"),
        ("4", "A", "Sangat Baik"),
    ],
)
def test_grade_band_edges(ikm, grade, performance):
    assert grade_for(Fraction(ikm)) == (grade, performance)
    assert grade_for(Decimal(ikm)) == (grade, performance)
    assert grade_for(float(ikm)) == (grade, performance)


def test_a_float_just_below_an_edge_stays_below_it():
    assert grade_for(3.0643999999) == ("C", "Kurang Baik")
    assert grade_for(Fraction(30644, 10000) - Fraction(1, 10**12)) == ("C", "Kurang Baik")


def test_an_ikm_on_a_band_edge_from_real_answers_gets_the_upper_grade():
    # 25 respondents, every element summing to 65: IKM = 65/25 = 2.60 exactly
    result = compute_ikm(dict.fromkeys(ELEMENT_CODES, 65), 25)

    assert result.ikm == Fraction("2.6")
    assert result.grade == "C"


@pytest.mark.parametrize("outside", [Fraction("0.99"), 4.01, Decimal("0"), float("nan")])
def test_grade_for_refuses_values_outside_the_scale(outside):
    with pytest.raises(ValueError):
        grade_for(outside)


# --- validation -------------------------------------------------------------------------------


def test_an_element_missing_from_an_answer_was_not_asked_and_is_left_out_of_its_nrr():
    # Given: a reporter of a rubbish pickup, not asked U1 (persyaratan) nor U4 (biaya); a
    # reporter asked all nine; one who answered U3 and stopped
    answers = [
        {"U2": 3, "U3": 4, "U5": 3, "U6": 4, "U7": 4, "U8": 3, "U9": 3},
        answer(4, 3, 2, 4, 3, 4, 4, 2, 3),
        {"U3": 1, "U7": None},
    ]

    result = compute_ikm_from_answers(answers)

    # Then each NRR is over those who answered that element
    assert result.respondents == 3
    assert dict(result.answered) == {
        "U1": 1, "U2": 2, "U3": 3, "U4": 1, "U5": 2, "U6": 2, "U7": 2, "U8": 2, "U9": 2
    }  # fmt: skip
    assert (result.nrr["U1"], result.nrr["U3"], result.nrr["U8"]) == (4, Fraction(7, 3), 2.5)
    # and every element answered at all weighs 1/9: (25 + 7/3 + 5/2) / 9 = 179/54
    assert result.ikm == Fraction(179, 54)
    assert (result.grade, result.converted) == ("B", Fraction(179 * 25, 54))


def test_elements_a_city_never_asks_are_out_of_the_weights_not_zeros():
    # U1 and U4 do not apply to any complaint here: seven elements, each weighing 1/7.
    seven = {code: 4 for code in ELEMENT_CODES if code not in ("U1", "U4")}

    result = compute_ikm_from_answers([seven, seven])

    assert set(result.nrr) == set(seven)
    assert (result.ikm, result.converted, result.grade) == (4, 100, "A")
    assert result.nrr_float("U1") is None
    assert "U4" not in result.as_dict()["nrr"]
    # The same from the shape SQL gives: sums, respondents and counts per element.
    sums = {code: 8 if code in seven else None for code in ELEMENT_CODES}
    counts = {code: 2 if code in seven else 0 for code in ELEMENT_CODES}
    assert compute_ikm(sums, 2, counts) == result


def test_an_answer_without_any_element_is_no_respondent():
    # The first question only (fixed? and a rating), the questionnaire declined.
    result = compute_ikm_from_answers([{}, all_elements(3), {"U5": None}])

    assert result.respondents == 1
    assert result.ikm == 3
    assert compute_ikm_from_answers([{}, {}]) == IkmResult(respondents=0)


@pytest.mark.parametrize(
    ("answered", "match"),
    [
        ({"U1": 3}, "U1: answered by 3"),  # more than the respondents
        ({"U1": 1, "U2": 0}, "U2: sum is 4 but nobody answered it"),
        (dict.fromkeys(ELEMENT_CODES, 0), "U1: sum is 4 but nobody"),
        ({"U1": -1}, "U1: answered by -1"),
    ],
)
def test_answer_counts_that_cannot_be_are_refused_naming_the_element(answered, match):
    sums = {"U1": 4, "U2": 4}
    with pytest.raises(ValueError, match=match):
        compute_ikm(sums, 2, answered)


def test_respondents_who_answered_nothing_are_refused():
    with pytest.raises(ValueError, match="3 respondents cannot"):
        compute_ikm({"U1": 8}, 3, {"U1": 2})
    with pytest.raises(ValueError, match="no element was answered"):
        compute_ikm({}, 3, {})


@pytest.mark.parametrize("bad_score", [0, 5, -1, 2.5, "3", True])  # None: not asked
def test_a_score_outside_one_to_four_is_refused_naming_the_element(bad_score):
    bad = all_elements(3) | {"U4": bad_score}

    with pytest.raises(ValueError, match="U4.*answer 2"):
        compute_ikm_from_answers([all_elements(3), bad])


def test_an_unknown_element_is_refused():
    with pytest.raises(ValueError, match="'u1'"):
        compute_ikm_from_answers([all_elements(3) | {"u1": 3}])


def test_sums_missing_an_element_are_refused_naming_it():
    sums = dict.fromkeys(ELEMENT_CODES, 30)
    del sums["U9"]

    with pytest.raises(ValueError, match="U9"):
        compute_ikm(sums, 10)


@pytest.mark.parametrize("impossible", [9, 41])
def test_sums_impossible_for_the_respondent_count_are_refused(impossible):
    sums = dict.fromkeys(ELEMENT_CODES, 30) | {"U2": impossible}

    with pytest.raises(ValueError, match="U2"):
        compute_ikm(sums, 10)


def test_sums_without_respondents_are_refused():
    with pytest.raises(ValueError, match="U1"):
        compute_ikm({"U1": 4}, 0)


@pytest.mark.parametrize("respondents", [-1, 1.0, True])
def test_respondent_count_must_be_a_non_negative_integer(respondents):
    with pytest.raises(ValueError, match="respondents"):
        compute_ikm(all_elements(3), respondents)


# --- properties -------------------------------------------------------------------------------

answers_strategy = st.fixed_dictionaries(
    {code: st.integers(min_value=1, max_value=4) for code in ELEMENT_CODES}
)


@given(st.lists(answers_strategy, min_size=1, max_size=40))
def test_ikm_stays_on_the_one_to_four_scale_and_converts_by_twenty_five(answers):
    result = compute_ikm_from_answers(answers)

    assert 1 <= result.ikm <= 4
    assert result.converted == 25 * result.ikm
    assert result.ikm == Fraction(sum(sum(a.values()) for a in answers), 9 * len(answers))
    assert (result.grade, result.performance) == grade_for(result.ikm)


@given(
    st.fractions(min_value=1, max_value=4, max_denominator=10**6),
    st.fractions(min_value=1, max_value=4, max_denominator=10**6),
)
def test_a_higher_ikm_never_gets_a_worse_grade(first, second):
    lower, higher = sorted((first, second))

    # "A" < "B" < ... so a better grade is alphabetically smaller
    assert grade_for(higher)[0] <= grade_for(lower)[0]


partial_answers = st.fixed_dictionaries(
    {code: st.none() | st.integers(min_value=1, max_value=4) for code in ELEMENT_CODES}
)


@given(st.lists(partial_answers, min_size=1, max_size=30))
def test_over_the_answers_given_ikm_is_the_mean_of_the_nrr_of_the_elements_answered(answers):
    result = compute_ikm_from_answers(answers)

    given = {code: [a[code] for a in answers if a[code] is not None] for code in ELEMENT_CODES}
    asked = {code: scores for code, scores in given.items() if scores}
    if not asked:
        assert result == IkmResult(respondents=0)
        return
    assert dict(result.nrr) == {code: Fraction(sum(s), len(s)) for code, s in asked.items()}
    assert result.ikm == sum(result.nrr.values()) / len(asked)
    assert result.respondents == sum(any(v is not None for v in a.values()) for a in answers)
    assert 1 <= result.ikm <= 4


@given(st.lists(answers_strategy, min_size=1, max_size=20), answers_strategy)
def test_raising_one_score_never_lowers_the_index(answers, extra):
    before = compute_ikm_from_answers([*answers, extra])
    improved = extra | {"U1": min(4, extra["U1"] + 1)}
    after = compute_ikm_from_answers([*answers, improved])

    assert after.ikm >= before.ikm
    assert after.grade <= before.grade
