from hypothesis import given
from hypothesis import strategies as st

from lapor import tracking
from lapor.tracking import ALPHABET, CODE_LENGTH, CodeProblem

payloads = st.text(alphabet=ALPHABET, min_size=9, max_size=9)


def code_for(payload: str) -> str:
    return payload + tracking.check_character(payload)


def test_new_codes_carry_45_random_bits_and_a_valid_check():
    codes = {tracking.new_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert len(code) == CODE_LENGTH
        assert tracking.normalize(code) == code


@given(payloads)
def test_display_form_in_lower_case_reads_back_as_the_code(payload):
    code = code_for(payload)
    assert tracking.normalize(tracking.display(code).lower()) == code
    assert tracking.normalize(" " + tracking.display(code) + " ") == code


@given(payloads, st.integers(0, CODE_LENGTH - 1), st.sampled_from(ALPHABET))
def test_any_single_wrong_character_is_caught_as_a_typo(payload, position, replacement):
    code = code_for(payload)
    if code[position] == replacement:
        return
    typo = code[:position] + replacement + code[position + 1 :]
    assert tracking.normalize(typo) is CodeProblem.CHECK_FAILED


@given(payloads, st.integers(0, CODE_LENGTH - 2))
def test_any_swap_of_neighbours_is_caught_as_a_typo(payload, position):
    code = code_for(payload)
    if code[position] == code[position + 1]:
        return
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    assert tracking.normalize(swapped) is CodeProblem.CHECK_FAILED


def test_look_alike_letters_read_as_digits():
    code = code_for("1O0IL1234")  # O -> 0, I and L -> 1
    assert tracking.normalize(code.replace("1", "l").replace("0", "o")) == tracking.normalize(code)


def test_wrong_length_or_foreign_characters_are_malformed_not_typos():
    assert tracking.normalize("ABC") is CodeProblem.MALFORMED
    assert tracking.normalize("ABCDE-FGHU1") is CodeProblem.MALFORMED  # U is not in the alphabet
    assert tracking.normalize("") is CodeProblem.MALFORMED
