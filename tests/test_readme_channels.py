"""The README's step-by-step for connecting Telegram, WhatsApp and an SMS gateway names only
settings lapor reads (lapor/settings.py) and the example configuration documents
(config/lapor.example.env), spelled exactly; and every setting lapor reads, channels and the
rest, is in the example."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHANNEL_VARIABLE = re.compile(r"\b(?:TELEGRAM_|WHATSAPP_|LAPOR_SMS_|LAPOR_PUBLIC_URL)[A-Z_]*\b")
SECTIONS = (
    "### Connecting a Telegram bot, step by step",
    "### SMS: connecting a gateway, step by step",
    "### Connecting a WhatsApp Business number",
)


def section(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.find("\n#", start + len(heading))
    return text[start : end if end != -1 else None]


def read_by_settings() -> set[str]:
    source = (ROOT / "lapor" / "settings.py").read_text(encoding="utf-8")
    return set(
        re.findall(r'"((?:TELEGRAM_|WHATSAPP_|LAPOR_SMS_|LAPOR_PUBLIC_URL)[A-Z_]*)"', source)
    )


def in_example() -> set[str]:
    example = (ROOT / "config" / "lapor.example.env").read_text(encoding="utf-8")
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, re.M))


def test_the_connection_steps_name_the_settings_exactly():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = {
        name for heading in SECTIONS for name in CHANNEL_VARIABLE.findall(section(readme, heading))
    }
    assert {"TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "WHATSAPP_APP_SECRET"} <= named
    assert {"LAPOR_SMS_AUTH_TOKEN", "WHATSAPP_VERIFY_TOKEN", "LAPOR_PUBLIC_URL"} <= named
    assert named - read_by_settings() == set(), "named in README, never read by lapor"
    assert named - in_example() == set(), "named in README, missing from lapor.example.env"


def test_every_channel_setting_is_in_the_example_configuration():
    assert read_by_settings() - in_example() == set()


def test_every_setting_lapor_reads_is_in_the_example_configuration():
    # Every variable of lapor's own with a fixed name (the per-body LAPOR_EXTERNAL_<CODE>_...
    # are prefixes; AWS_* are AWS's own, read as botocore reads them), so an operator copying
    # the example sees them all.
    source = (ROOT / "lapor" / "settings.py").read_text(encoding="utf-8")
    read = {
        name
        for name in re.findall(r'"((?:LAPOR|DATABASE|TELEGRAM|WHATSAPP|SMTP)_[A-Z0-9_]*)"', source)
        if not name.endswith("_")
    }
    assert len(read) > 40
    assert read - in_example() == set()
