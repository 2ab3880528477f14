"""Agency contacts in the city file: who hears of overdue complaints, checked at load."""

from pathlib import Path

import pytest

from lapor.city import DEFAULT_CONFIG_DIR, CityConfigError, load_city

DPUPR_CONTACTS = """[agencies.DPUPR.contacts]
head_email = "kadis@dpupr.kota-contoh.go.id"
head_telegram = "-100100000040"
officers_telegram = ["-100100000041"]
officers_email = ["pengaduan@dpupr.kota-contoh.go.id"]"""


def with_contacts(tmp_path: Path, replacement: str) -> Path:
    text = (DEFAULT_CONFIG_DIR / "default.toml").read_text()
    assert DPUPR_CONTACTS in text
    path = tmp_path / "kontak.toml"
    path.write_text(text.replace(DPUPR_CONTACTS, replacement))
    return path


@pytest.mark.parametrize("key", ["default", "bekasi", "pontianak", "badung"])
def test_every_shipped_city_names_example_contacts_for_its_desk_setda_and_head(key):
    city = load_city(key)
    top = city.escalation_chain(city.desk_agency)[-1]
    for agency in (city.desk, city.agencies["SETDA"], top):
        assert agency.contacts.head(), agency.code
        assert all("contoh" in r or r.startswith("-100") for _, r in agency.contacts.head())
    assert city.desk.contacts.officers()


def test_contacts_become_outbox_channels():
    contacts = load_city("default").agencies["DPUPR"].contacts
    assert contacts.head() == (
        ("telegram", "-100100000040"),
        ("email", "kadis@dpupr.kota-contoh.go.id"),
    )
    assert contacts.officers() == (
        ("telegram", "-100100000041"),
        ("email", "pengaduan@dpupr.kota-contoh.go.id"),
    )


def test_an_agency_without_contacts_has_none():
    contacts = load_city("default").agencies["DINKES"].contacts
    assert contacts.head() == contacts.officers() == ()


def test_a_numeric_chat_id_and_a_channel_name_are_accepted(tmp_path):
    path = with_contacts(
        tmp_path,
        '[agencies.DPUPR.contacts]\nhead_telegram = -1001234\nofficers_telegram = ["@pupr_kota"]',
    )
    contacts = load_city(path).agencies["DPUPR"].contacts
    assert contacts.head() == (("telegram", "-1001234"),)
    assert contacts.officers() == (("telegram", "@pupr_kota"),)


@pytest.mark.parametrize(
    ("replacement", "message"),
    [
        (
            '[agencies.DPUPR.contacts]\nhead_email = "kadis at dpupr"',
            "[agencies.DPUPR.contacts] head_email must be an e-mail address",
        ),
        (
            '[agencies.DPUPR.contacts]\nofficers_telegram = ["budi"]',
            "[agencies.DPUPR.contacts] officers_telegram entry must be a Telegram chat id",
        ),
        (
            '[agencies.DPUPR.contacts]\nofficers_email = "a@b.id"',
            "[agencies.DPUPR.contacts] officers_email must be a list",
        ),
        (
            '[agencies.DPUPR.contacts]\nhead_mail = "kadis@dpupr.kota-contoh.go.id"',
            "unknown key 'head_mail' in [agencies.DPUPR.contacts] (did you mean 'head_email'?)",
        ),
    ],
)
def test_a_wrong_contact_is_refused_by_name(tmp_path, replacement, message):
    with pytest.raises(CityConfigError) as refused:
        load_city(with_contacts(tmp_path, replacement))
    assert message in str(refused.value)
