"""The city file's pydantic schema: what pydantic refuses reaches the admin as one sentence that
names the file and the key the way the file writes it; the values built are frozen dataclasses."""

from __future__ import annotations

import copy
import dataclasses
import tomllib
from datetime import date, time, timedelta

import pytest

from lapor.city import DEFAULT_CONFIG_DIR, CityConfig, CityConfigError, load_city
from lapor.city.loading import check
from lapor.city.schema import CityFile
from lapor.ratelimit import Limit

DEFAULT_PATH = DEFAULT_CONFIG_DIR / "default.toml"
DEFAULT_TOML = DEFAULT_PATH.read_text(encoding="utf-8")


def problems_after(tmp_path, old: str, new: str) -> list[str]:
    assert old in DEFAULT_TOML, f"the default city no longer contains {old!r}"
    path = tmp_path / "skema.toml"
    path.write_text(DEFAULT_TOML.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CityConfigError) as caught:
        load_city(path)
    assert str(path) in str(caught.value), "the message must name the file"
    return caught.value.problems


def test_an_unknown_key_in_a_nested_table_is_named_with_its_header(tmp_path):
    problems = problems_after(tmp_path, "field_check = 60", "fieldcheck = 60")

    assert problems == [
        "unknown key 'fieldcheck' in [sla.resolution_days] (did you mean 'field_check'?)"
    ]


def test_a_wrong_type_in_an_inline_table_names_the_entry_and_the_key(tmp_path):
    problems = problems_after(
        tmp_path,
        "filing_per_chat = { hits = 10, minutes = 60 }",
        'filing_per_chat = { hits = "10", minutes = 60 }',
    )

    assert problems == ["[limits] filing_per_chat hits must be a whole number from 1 up, got '10'"]


def test_a_string_where_a_table_belongs_is_named(tmp_path):
    problems = problems_after(
        tmp_path, 'name = "Dinas Kesehatan"', 'name = "Dinas Kesehatan"\ncontacts = "kadis"'
    )

    assert problems == [
        '[agencies.DINKES.contacts] must be a table like { head_email = "kadis@..." }'
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "retain_contacts_days = 365",
            "retain_contacts_days = 20",
            "[privacy] retain_contacts_days must be a whole number from 30 to 3650, got 20",
        ),
        (
            "login_failures_per_address = { hits = 10, minutes = 15 }",
            "login_failures_per_address = { hits = 10, minutes = 20000 }",
            "[limits] login_failures_per_address minutes must be a whole number from 1 to 10080, "
            "got 20000",
        ),
        (
            "reminder_at = 0.75",
            "reminder_at = 1.25",
            "[sla] reminder_at must be a share between 0 and 1 (e.g. 0.75), got 1.25",
        ),
    ],
)
def test_a_number_out_of_range_is_named_with_its_range(tmp_path, old, new, expected):
    assert problems_after(tmp_path, old, new) == [expected]


def test_a_list_entry_is_named_as_an_entry_of_its_key(tmp_path):
    problems = problems_after(
        tmp_path,
        'officers_email = ["pengaduan@dlh.kota-contoh.go.id"]',
        'officers_email = ["pengaduan@dlh.kota-contoh.go.id", "pengaduan"]',
    )

    assert problems == [
        "[agencies.DLH.contacts] officers_email entry must be an e-mail address, got 'pengaduan'"
    ]


def test_a_category_naming_an_unknown_agency_is_refused_while_other_sections_are_wrong(tmp_path):
    path = tmp_path / "dua.toml"
    text = DEFAULT_TOML.replace('sampah = { agency = "DLH"', 'sampah = { agency = "DKLH"', 1)
    path.write_text(text.replace("verify_days = 3", "verify_days = true", 1), encoding="utf-8")

    with pytest.raises(CityConfigError) as caught:
        load_city(path)

    assert caught.value.problems == [
        "[sla] verify_days must be a positive whole number of days, got True",
        "[categories] sampah maps to unknown agency 'DKLH' (did you mean 'DLH'?)",
    ]


def test_a_reference_into_a_wrong_section_is_not_reported_twice(tmp_path):
    # The agency table is wrong itself; "maps to unknown agency" would only repeat that.
    problems = problems_after(tmp_path, 'short_name = "DLH"\n', 'short_name = ""\n')

    assert problems == ["[agencies.DLH] short_name must be a non-empty string, got ''"]


BAD_VALUES = [True, 0, -5, 2.5, "", "x", [], ["x"], {}, {"x": 1}, date(2026, 1, 1), time(8)]


def leaves(table: dict, path: tuple = ()):
    for key, value in table.items():
        yield (*path, key)
        if isinstance(value, dict):
            yield from leaves(value, (*path, key))


def test_every_refusal_is_said_in_the_schemas_words():
    """No wrong value anywhere in the file reaches the admin as pydantic's own English."""
    raw = tomllib.loads(DEFAULT_TOML)
    said = set()
    for path in leaves(raw):
        for value in BAD_VALUES:
            edited = copy.deepcopy(raw)  # (parsing the file again costs ten times more)
            table = edited
            for key in path[:-1]:
                table = table[key]
            table[path[-1]] = value
            try:
                check(DEFAULT_PATH, edited)
            except CityConfigError as error:
                said.update(error.problems)
    assert said
    for problem in said:
        assert "is wrong:" not in problem and "Input should" not in problem, problem
        assert problem.startswith(("[", "unknown ", "missing section")), problem


def test_the_checked_file_is_a_frozen_pydantic_model():
    file = check(DEFAULT_PATH, tomllib.loads(DEFAULT_TOML))

    assert isinstance(file, CityFile)
    assert file.agencies.root["DLH"].contacts.officers_email == ("pengaduan@dlh.kota-contoh.go.id",)
    with pytest.raises(ValueError, match="frozen"):
        file.sla.verify_days = 1  # type: ignore[misc]


def test_the_city_the_service_reads_is_a_frozen_dataclass_tests_may_replace():
    city = load_city("default")

    quicker = dataclasses.replace(city, sla=dataclasses.replace(city.sla, verify_days=1))

    assert isinstance(quicker, CityConfig)
    assert (quicker.sla.verify_days, city.sla.verify_days) == (1, 3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        city.name = "Kota Lain"  # type: ignore[misc]


def test_a_limit_left_half_written_keeps_the_other_half_of_its_default(tmp_path):
    path = tmp_path / "separuh.toml"
    path.write_text(
        DEFAULT_TOML.replace(
            "filing_per_chat = { hits = 10, minutes = 60 }", "filing_per_chat = { hits = 3 }", 1
        ),
        encoding="utf-8",
    )

    assert load_city(path).limits.filing_per_chat == Limit(3, timedelta(minutes=60))


def test_the_survey_names_known_elements_and_categories(tmp_path):
    problems = problems_after(
        tmp_path,
        'not_asked = { U1 = ["jalan", "drainase"',
        'not_asked = { U10 = ["jalan"], U3 = ["sampahh", 4], U1 = ["jalan", "drainase"',
    )

    assert problems == [
        "[survey] not_asked U3 entry 'sampahh' is not a category code (did you mean 'sampah'?)",
        "[survey] not_asked U3 entry 4 is not a category code",
        "unknown SKM element 'U10' in [survey] not_asked (did you mean 'U1'?)",
    ]


def test_a_category_left_out_of_the_survey_elements_is_asked_all_nine():
    city = load_city("default")

    assert city.elements_for("sampah") == ("U2", "U3", "U5", "U6", "U7", "U8", "U9")
    assert city.elements_for("perizinan") == tuple(f"U{n}" for n in range(1, 10))
    assert city.elements_for(None) == city.elements_for("perizinan")
    assert city.followup_days == 7
