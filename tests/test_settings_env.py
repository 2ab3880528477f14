"""The environment is read once through pydantic-settings (lapor.settings.Environment): the
variable names and defaults as documented, each refusal naming its variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from lapor.settings import SettingsError, settings_from_env


def test_unset_and_empty_variables_take_the_documented_defaults(tmp_path):
    settings = settings_from_env({"LAPOR_DATA_DIR": str(tmp_path), "LAPOR_CITY": ""})
    assert (settings.city, settings.host, settings.port) == ("default", "127.0.0.1", 8080)
    assert (settings.log_level, settings.shutdown_timeout) == ("INFO", 30.0)
    assert settings.database_url is None and settings.survey_delay_minutes == 60
    assert settings.data_dir == Path(tmp_path)


def test_variables_are_typed_and_normalised(tmp_path):
    settings = settings_from_env(
        {
            "LAPOR_DATA_DIR": str(tmp_path),
            "LAPOR_PORT": "0",
            "LAPOR_LOG_LEVEL": "debug",
            "LAPOR_SHUTDOWN_TIMEOUT": "2.5",
            "LAPOR_SURVEY_DELAY_MINUTES": "0",
            "DATABASE_URL": "postgresql://db/lapor",
        }
    )
    assert (settings.port, settings.log_level, settings.shutdown_timeout) == (0, "DEBUG", 2.5)
    assert settings.database_url == "postgresql://db/lapor"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LAPOR_PORT", "70000"),
        ("LAPOR_PORT", "delapan"),
        ("LAPOR_SHUTDOWN_TIMEOUT", "abc"),  # once a bare ValueError at start-up
        ("LAPOR_SHUTDOWN_TIMEOUT", "inf"),
        ("LAPOR_SURVEY_DELAY_MINUTES", "99999"),
    ],
)
def test_a_malformed_variable_is_refused_by_its_name(tmp_path, name, value):
    with pytest.raises(SettingsError, match=name):
        settings_from_env({"LAPOR_DATA_DIR": str(tmp_path), name: value})


def test_only_the_given_environment_is_read(tmp_path, monkeypatch):
    """No .env file or process variable behind the caller's back: the entry point hands over
    os.environ, a test its own dict."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("LAPOR_PORT=1234\n")
    monkeypatch.setenv("LAPOR_PORT", "4321")
    assert settings_from_env({"LAPOR_DATA_DIR": str(tmp_path)}).port == 8080
