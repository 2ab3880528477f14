"""City configuration: the shipped cities load, and every broken file is refused by name."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest

from lapor.city import (
    CATEGORY_CODES,
    DEFAULT_CONFIG_DIR,
    CityConfigError,
    available_cities,
    load_city,
)

SHIPPED = ("default", "bekasi", "pontianak", "badung")

# The specification: taxonomy.md's "default OPD" column and its default agencies table.
DEFAULT_MAPPING = {
    "jalan": "DPUPR",
    "drainase": "DPUPR",
    "sampah": "DLH",
    "pencemaran": "DLH",
    "taman_pohon": "DISPERKIM",
    "penerangan_jalan": "DISPERKIM",
    "lalu_lintas": "DISHUB",
    "parkir": "DISHUB",
    "kesehatan": "DINKES",
    "kependudukan": "DISDUKCAPIL",
    "pendidikan": "DISDIK",
    "ketertiban": "SATPOLPP",
    "sosial": "DINSOS",
    "air_bersih": "PDAM",
    "kebakaran": "DAMKAR",
    "bencana": "BPBD",
    "perizinan": "DPMPTSP",
    "pajak_daerah": "BAPENDA",
    "aparatur": "INSPEKTORAT",
    "layanan_digital": "DISKOMINFO",
    "pasar": "DISDAGIN",
    "ketenagakerjaan": "DISNAKER",
    "lainnya": "DISKOMINFO",  # the verification queue, run by Diskominfo
}
DEFAULT_AGENCIES = {
    "DPUPR": "Dinas Pekerjaan Umum dan Penataan Ruang",
    "DLH": "Dinas Lingkungan Hidup",
    "DISPERKIM": "Dinas Perumahan dan Kawasan Permukiman",
    "DISHUB": "Dinas Perhubungan",
    "DINKES": "Dinas Kesehatan",
    "DISDUKCAPIL": "Dinas Kependudukan dan Pencatatan Sipil",
    "DISDIK": "Dinas Pendidikan",
    "SATPOLPP": "Satuan Polisi Pamong Praja",
    "DINSOS": "Dinas Sosial",
    "PDAM": "Perusahaan Umum Daerah Air Minum",
    "DAMKAR": "Dinas Pemadam Kebakaran dan Penyelamatan",
    "BPBD": "Badan Penanggulangan Bencana Daerah",
    "DPMPTSP": "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    "BAPENDA": "Badan Pendapatan Daerah",
    "INSPEKTORAT": "Inspektorat Daerah",
    "DISKOMINFO": "Dinas Komunikasi dan Informatika",
    "DISDAGIN": "Dinas Perdagangan dan Perindustrian",
    "DISNAKER": "Dinas Tenaga Kerja",
}

DEFAULT_TOML = (DEFAULT_CONFIG_DIR / "default.toml").read_text(encoding="utf-8")


def edited_default(tmp_path: Path, *edits: tuple[str, str], name: str = "edited") -> Path:
    """The default city file with each (old, new) text replaced once, written to tmp_path."""
    text = DEFAULT_TOML
    for old, new in edits:
        assert old in text, f"the default city no longer contains {old!r}"
        text = text.replace(old, new, 1)
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def refusal(path: Path) -> str:
    with pytest.raises(CityConfigError) as caught:
        load_city(path)
    message = str(caught.value)
    assert str(path) in message, "the message must name the file"
    return message


# --- the shipped cities ------------------------------------------------------------------


def test_the_four_shipped_cities_are_available():
    assert set(SHIPPED) <= set(available_cities())


@pytest.mark.parametrize("key", SHIPPED)
def test_a_shipped_city_loads_and_maps_every_category_in_taxonomy_order(key):
    city = load_city(key)

    assert city.key == key
    assert tuple(city.categories) == CATEGORY_CODES
    for code, category in city.categories.items():
        assert category.agency in city.agencies, code
        assert city.agencies[category.agency].kind != "oversight", code


@pytest.mark.parametrize("key", SHIPPED)
def test_in_a_shipped_city_only_lainnya_waits_at_the_desk(key):
    city = load_city(key)

    assert [c.code for c in city.categories.values() if c.desk] == ["lainnya"]
    assert city.agency_for("lainnya") == city.desk
    assert city.desk.kind == "desk"


@pytest.mark.parametrize("key", SHIPPED)
def test_in_a_shipped_city_every_agency_escalates_to_the_kepala_daerah(key):
    city = load_city(key)
    tops = [a for a in city.agencies.values() if a.parent is None]

    assert len(tops) == 1
    for agency in city.agencies.values():
        if agency.parent is not None:
            assert city.escalation_chain(agency.code)[-1] == tops[0]


def test_the_default_city_is_the_taxonomy_table():
    city = load_city("default")

    assert {code: c.agency for code, c in city.categories.items()} == DEFAULT_MAPPING
    assert list(DEFAULT_MAPPING) == list(CATEGORY_CODES)
    opds = {a.code: a.name for a in city.agencies.values() if a.kind != "oversight"}
    assert opds == DEFAULT_AGENCIES
    assert city.desk_agency == "DISKOMINFO"


def test_the_default_city_escalates_every_opd_through_setda_to_the_wali_kota():
    city = load_city("default")

    assert city.agencies["SETDA"].kind == "oversight"
    assert city.agencies["SETDA"].parent == "WALIKOTA"
    assert city.agencies["WALIKOTA"].parent is None
    for code in DEFAULT_AGENCIES:
        assert [a.code for a in city.escalation_chain(code)] == ["SETDA", "WALIKOTA"]


def test_the_default_city_uses_the_sp4n_lapor_time_limits():
    sla = load_city("default").sla

    assert (sla.verify_days, sla.first_response_days, sla.auto_close_days) == (3, 5, 10)
    assert dict(sla.resolution_days) == {"simple": 5, "no_field_check": 14, "field_check": 60}


def test_the_default_city_takes_the_threshold_from_training():
    assert load_city("default").confidence_threshold is None


@pytest.mark.parametrize(
    ("key", "timezone", "utc_offset_hours"),
    [
        ("bekasi", "Asia/Jakarta", 7),
        ("pontianak", "Asia/Pontianak", 7),
        ("badung", "Asia/Makassar", 8),
    ],
)
def test_a_real_city_counts_time_in_its_own_zone(key, timezone, utc_offset_hours):
    city = load_city(key)

    assert city.timezone == timezone
    offset = datetime(2026, 6, 1, 12, tzinfo=city.zone).utcoffset()
    assert offset is not None and offset.total_seconds() == utc_offset_hours * 3600


def test_bekasi_sends_roads_drains_and_street_lights_to_one_dinas():
    bekasi = load_city("bekasi")

    assert {bekasi.agency_for(c).code for c in ("jalan", "drainase", "penerangan_jalan")} == {
        "DBMSDA"
    }
    assert bekasi.desk.short_name == "Diskominfostandi"
    assert bekasi.agency_for("air_bersih").short_name == "Perumda Tirta Patriot"


def test_badung_takes_galungan_off_and_jakarta_does_not():
    galungan_2026 = date(2026, 6, 17)

    assert galungan_2026 in load_city("badung").extra_days_off
    assert galungan_2026 not in load_city("bekasi").extra_days_off


def test_agency_for_names_an_unknown_category():
    city = load_city("default")

    assert city.agency_for("jalan").code == "DPUPR"
    with pytest.raises(KeyError, match="jalanan"):
        city.agency_for("jalanan")


def test_a_loaded_city_cannot_be_changed_by_the_code_that_reads_it():
    city = load_city("default")

    with pytest.raises(TypeError):
        city.categories["jalan"] = city.categories["sampah"]  # type: ignore[index]


# --- finding the file --------------------------------------------------------------------


def test_a_city_loads_by_key_from_another_config_directory(tmp_path):
    edited_default(tmp_path, ('name = "Kota Contoh"', 'name = "Kota Uji"'), name="uji")

    city = load_city("uji", config_dir=tmp_path)

    assert (city.key, city.name) == ("uji", "Kota Uji")
    assert available_cities(tmp_path) == ["uji"]


def test_an_unknown_city_key_lists_the_available_ones(tmp_path):
    edited_default(tmp_path, name="uji")

    with pytest.raises(CityConfigError, match=r"no city 'jakarta'; available: uji"):
        load_city("jakarta", config_dir=tmp_path)


def test_a_city_key_cannot_reach_outside_the_config_directory(tmp_path):
    with pytest.raises(CityConfigError, match="not a city key"):
        load_city("..", config_dir=tmp_path)


def test_a_file_that_is_not_toml_is_refused_by_name(tmp_path):
    path = tmp_path / "rusak.toml"
    path.write_text("[city\nname = 'x'\n", encoding="utf-8")

    assert "not valid TOML" in refusal(path)


# --- categories --------------------------------------------------------------------------


@pytest.mark.parametrize("code", CATEGORY_CODES)
def test_a_missing_category_is_named(tmp_path, code):
    line = next(line for line in DEFAULT_TOML.splitlines() if line.startswith(f"{code} = "))
    path = edited_default(tmp_path, (line + "\n", ""))

    message = refusal(path)

    assert f"[categories] is missing '{code}'" in message


def test_an_unknown_category_code_is_named_with_a_suggestion(tmp_path):
    path = edited_default(tmp_path, ("\njalan = {", "\njalanan = {"))

    message = refusal(path)

    assert "unknown category code 'jalanan' in [categories] (did you mean 'jalan'?)" in message
    assert "missing 'jalan'" in message


def test_a_category_sent_to_an_unknown_agency_is_named(tmp_path):
    path = edited_default(tmp_path, ('sampah = { agency = "DLH"', 'sampah = { agency = "DLHX"'))

    assert "[categories] sampah maps to unknown agency 'DLHX' (did you mean 'DLH'?)" in refusal(
        path
    )


def test_a_category_cannot_go_to_an_oversight_agency(tmp_path):
    path = edited_default(tmp_path, ('pasar = { agency = "DISDAGIN"', 'pasar = { agency = "SETDA"'))

    assert "[categories] pasar maps to 'SETDA', an oversight agency" in refusal(path)


def test_a_category_needs_a_known_resolution_kind(tmp_path):
    path = edited_default(
        tmp_path,
        (
            'parkir = { agency = "DISHUB", resolution = "no_field_check"',
            'parkir = { agency = "DISHUB", resolution = "cepat"',
        ),
    )

    assert "[categories] parkir resolution must be one of" in refusal(path)


def test_lainnya_must_wait_at_the_desk(tmp_path):
    path = edited_default(
        tmp_path, (', resolution = "simple", desk = true }', ', resolution = "simple" }')
    )

    assert "[categories] lainnya must have desk = true" in refusal(path)


def test_no_category_but_lainnya_may_wait_at_the_desk(tmp_path):
    path = edited_default(
        tmp_path,
        (
            'jalan = { agency = "DPUPR", resolution = "field_check" }',
            'jalan = { agency = "DPUPR", resolution = "field_check", desk = true }',
        ),
    )

    assert "[categories] jalan has desk = true, but only lainnya waits at the desk" in refusal(path)


def test_lainnya_belongs_to_the_desk_agency(tmp_path):
    path = edited_default(
        tmp_path, ('lainnya = { agency = "DISKOMINFO"', 'lainnya = { agency = "DPUPR"')
    )

    assert "[categories] lainnya agency must be the desk_agency 'DISKOMINFO'" in refusal(path)


def test_a_category_may_take_a_local_display_name(tmp_path):
    path = edited_default(
        tmp_path,
        ('jalan = { agency = "DPUPR",', 'jalan = { name = "Jalan dan Jembatan", agency = "DPUPR",'),
    )

    city = load_city(path)

    assert city.categories["jalan"].name == "Jalan dan Jembatan"
    assert city.categories["drainase"].name == "Drainase dan Genangan"


# --- agencies ----------------------------------------------------------------------------


def test_a_parent_cycle_is_named(tmp_path):
    path = edited_default(
        tmp_path,
        (
            'short_name = "Wali Kota"\nkind = "oversight"',
            'short_name = "Wali Kota"\nkind = "oversight"\nparent = "DPUPR"',
        ),
    )

    message = refusal(path)

    assert "[agencies] parent cycle:" in message
    for code in ("WALIKOTA", "DPUPR", "SETDA"):
        assert code in message.split("parent cycle:")[1]
    assert message.count("parent cycle") == 1, "one cycle is reported once"


def test_an_unknown_parent_is_named(tmp_path):
    path = edited_default(
        tmp_path, ('short_name = "DLH"\nparent = "SETDA"', 'short_name = "DLH"\nparent = "SEKDA"')
    )

    assert "[agencies.DLH] parent 'SEKDA' is not a known agency" in refusal(path)


def test_only_the_kepala_daerah_may_lack_a_parent(tmp_path):
    path = edited_default(
        tmp_path, ('short_name = "DLH"\nparent = "SETDA"\n', 'short_name = "DLH"\n')
    )

    assert "2 agencies without a parent (WALIKOTA, DLH)" in refusal(path)


def test_an_agency_code_must_be_upper_case(tmp_path):
    path = edited_default(tmp_path, ("[agencies.DLH]", "[agencies.dlh]"))

    assert "agency code 'dlh' must be upper-case" in refusal(path)


def test_the_desk_agency_must_exist(tmp_path):
    path = edited_default(tmp_path, ('desk_agency = "DISKOMINFO"', 'desk_agency = "KOMINFO"'))

    assert "[city] desk_agency 'KOMINFO' is not a known agency" in refusal(path)


def test_the_desk_agency_must_be_of_kind_desk(tmp_path):
    path = edited_default(
        tmp_path,
        (
            'short_name = "Diskominfo"\nparent = "SETDA"\nkind = "desk"',
            'short_name = "Diskominfo"\nparent = "SETDA"',
        ),
    )

    assert "[city] desk_agency 'DISKOMINFO' has kind 'opd'" in refusal(path)


def test_a_city_has_one_verification_desk(tmp_path):
    path = edited_default(
        tmp_path,
        (
            'short_name = "DLH"\nparent = "SETDA"',
            'short_name = "DLH"\nparent = "SETDA"\nkind = "desk"',
        ),
    )

    assert "[agencies.DLH] has kind 'desk' but the desk_agency is 'DISKOMINFO'" in refusal(path)


# --- city, numbers, dates ----------------------------------------------------------------


def test_a_time_zone_must_be_an_iana_zone(tmp_path):
    path = edited_default(tmp_path, ('timezone = "Asia/Jakarta"', 'timezone = "WIB"'))

    assert "[city] timezone 'WIB' is not an IANA time zone" in refusal(path)


@pytest.mark.parametrize("value", ["0", "-0.1", "1.5", '"tinggi"', "true"])
def test_a_confidence_threshold_outside_zero_to_one_is_refused(tmp_path, value):
    path = edited_default(
        tmp_path, ('confidence_threshold = "auto"', f"confidence_threshold = {value}")
    )

    assert "[classifier] confidence_threshold must be" in refusal(path)


@pytest.mark.parametrize(("value", "expected"), [("1", 1.0), ("0.62", 0.62), ('"auto"', None)])
def test_a_confidence_threshold_may_be_fixed_or_auto(tmp_path, value, expected):
    path = edited_default(
        tmp_path, ('confidence_threshold = "auto"', f"confidence_threshold = {value}")
    )

    assert load_city(path).confidence_threshold == expected


@pytest.mark.parametrize("value", ["0", "-3", "2.5", "true", '"3"'])
def test_a_number_of_days_must_be_a_positive_whole_number(tmp_path, value):
    path = edited_default(tmp_path, ("verify_days = 3", f"verify_days = {value}"))

    assert "[sla] verify_days must be a positive whole number of days" in refusal(path)


def test_a_resolution_target_must_be_a_positive_whole_number(tmp_path):
    path = edited_default(tmp_path, ("field_check = 60", "field_check = 0"))

    assert "[sla.resolution_days] field_check must be a positive whole number" in refusal(path)


@pytest.mark.parametrize("value", ["1", "0", "1.2"])
def test_the_reminder_share_lies_strictly_between_zero_and_one(tmp_path, value):
    path = edited_default(tmp_path, ("reminder_at = 0.75", f"reminder_at = {value}"))

    assert "[sla] reminder_at must be a share between 0 and 1" in refusal(path)


@pytest.mark.parametrize("value", ["[]", "[5, 0]", "[0, 0]", "[-1, 3]", '["0"]'])
def test_escalation_days_must_increase_from_zero_up(tmp_path, value):
    path = edited_default(
        tmp_path, ("escalate_after_days = [0, 5]", f"escalate_after_days = {value}")
    )

    assert "[sla] escalate_after_days must be a list of increasing" in refusal(path)


def test_a_misspelt_key_is_refused_rather_than_silently_defaulted(tmp_path):
    path = edited_default(tmp_path, ("verify_days = 3", "verfy_days = 3"))

    assert "unknown key 'verfy_days' in [sla] (did you mean 'verify_days'?)" in refusal(path)


def test_an_unknown_section_is_refused(tmp_path):
    path = edited_default(tmp_path, ("[privacy]", "[privasi]"))

    message = refusal(path)

    assert "unknown section [privasi] (did you mean 'privacy'?)" in message
    assert "missing section [privacy]" in message


def test_privacy_defaults_must_be_written_out(tmp_path):
    path = edited_default(tmp_path, ("anonim_default = true\n", ""))

    assert "[privacy] anonim_default is missing" in refusal(path)


@pytest.mark.parametrize("city", SHIPPED)
def test_the_shipped_cities_publish_after_an_officers_verification(city):
    assert load_city(city).publish == "after_verification"
    assert load_city(city).publishes_immediately is False


def test_a_city_may_publish_complaints_at_intake(tmp_path):
    path = edited_default(tmp_path, ('publish = "after_verification"', 'publish = "immediately"'))

    assert load_city(path).publishes_immediately is True


def test_without_a_publish_key_a_city_publishes_after_verification(tmp_path):
    path = edited_default(tmp_path, ('publish = "after_verification"\n', ""))

    assert load_city(path).publish == "after_verification"


@pytest.mark.parametrize("value", ['"langsung"', "true", '"after-verification"'])
def test_an_unknown_publication_policy_is_named(tmp_path, value):
    path = edited_default(tmp_path, ('publish = "after_verification"', f"publish = {value}"))

    assert "[privacy] publish must be one of 'after_verification', 'immediately', got" in refusal(
        path
    )


def test_extra_days_off_accept_toml_dates_and_iso_strings_sorted_without_repeats(tmp_path):
    path = edited_default(
        tmp_path,
        (
            "extra_days_off = []",
            'extra_days_off = [2027-01-13, "2026-06-18", 2026-06-17, 2026-06-18]',
        ),
    )

    assert load_city(path).extra_days_off == (
        date(2026, 6, 17),
        date(2026, 6, 18),
        date(2027, 1, 13),
    )


@pytest.mark.parametrize("value", ['"2026-02-30"', '"17-06-2026"', "2026-06-17T08:00:00", "17"])
def test_an_extra_day_off_that_is_not_a_date_is_named(tmp_path, value):
    path = edited_default(tmp_path, ("extra_days_off = []", f"extra_days_off = [{value}]"))

    assert "[calendar] extra_days_off entry" in refusal(path)


def test_office_hours_must_start_before_they_end(tmp_path):
    path = edited_default(tmp_path, ('office_end = "16:00"', 'office_end = "07:00"'))

    assert "[calendar] office_start 07:30 must be before office_end 07:00" in refusal(path)


def test_office_hours_accept_toml_times(tmp_path):
    path = edited_default(tmp_path, ('office_start = "07:30"', "office_start = 08:00:00"))

    assert load_city(path).office_start == time(8, 0)


def test_optional_sections_fall_back_to_the_service_rules(tmp_path):
    text = (
        DEFAULT_TOML.split("# --- Time limits")[0]
        + "[privacy]\nrahasia_default = true\nanonim_default = false\n"
    )
    path = tmp_path / "ringkas.toml"
    path.write_text(text, encoding="utf-8")

    city = load_city(path)

    assert city.sla.verify_days == 3
    assert dict(city.sla.resolution_days)["field_check"] == 60
    assert city.sla.escalate_after_days == (0, 5)
    assert (city.office_start, city.office_end, city.extra_days_off) == (
        time(7, 30),
        time(16, 0),
        (),
    )
    assert city.confidence_threshold is None
    assert (city.rahasia_default, city.anonim_default) == (True, False)


def test_every_problem_in_a_file_is_reported_at_once(tmp_path):
    path = edited_default(
        tmp_path,
        ('timezone = "Asia/Jakarta"', 'timezone = "Asia/Bekasi"'),
        ("verify_days = 3", "verify_days = 0"),
        ('sampah = { agency = "DLH"', 'sampah = { agency = "DLHX"'),
    )

    with pytest.raises(CityConfigError) as caught:
        load_city(path)

    assert len(caught.value.problems) == 3
    assert "3 problems" in str(caught.value)


def test_a_city_may_require_a_proof_photo_to_resolve(tmp_path):
    assert load_city("default").resolve_requires_photo is False
    path = edited_default(
        tmp_path, ("resolve_requires_photo = false", "resolve_requires_photo = true")
    )

    assert load_city(path).resolve_requires_photo is True


def test_resolve_requires_photo_must_be_true_or_false(tmp_path):
    path = edited_default(
        tmp_path, ("resolve_requires_photo = false", 'resolve_requires_photo = "ya"')
    )

    assert "[workflow] resolve_requires_photo must be true or false" in refusal(path)


# --- Issue 17: every shipped city has its priorities, emergency numbers and boundary ----------


def test_every_city_file_in_config_is_a_shipped_city_these_tests_cover():
    assert available_cities() == sorted(SHIPPED)


@pytest.mark.parametrize("key", SHIPPED)
def test_a_shipped_city_has_its_priority_hours_emergency_numbers_and_boundary(key):
    city = load_city(key)
    hours = city.sla.priority_hours
    assert (hours["sedang"].resolve, hours["rendah"].resolve) == (None, None)  # SP4N-LAPOR! days
    assert hours["darurat"].resolve < hours["tinggi"].resolve
    assert [n.number for n in city.emergency_numbers][:2] == ["112", "113"]
    assert city.area is not None and city.area.kecamatan
    lat, lon, _ = city.area.center()
    assert city.area.locate(lat, lon) is not None  # the maps open inside the city
    assert city.area.locate(-6.9175, 107.6191) is None  # Bandung is none of them
