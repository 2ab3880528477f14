"""Settings, parsed once from the environment at the entry point and passed down."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


WHATSAPP_API_BASE = "https://graph.facebook.com/v21.0"
# Each WhatsApp variable and the Settings field it fills; the first four go together.
WHATSAPP_VARIABLES = {
    "WHATSAPP_TOKEN": "whatsapp_token",
    "WHATSAPP_APP_SECRET": "whatsapp_app_secret",
    "WHATSAPP_VERIFY_TOKEN": "whatsapp_verify_token",
    "WHATSAPP_PHONE_NUMBER_ID": "whatsapp_phone_number_id",
}


@dataclass(frozen=True)
class Settings:
    database_url: str | None = None
    city: str = "default"
    data_dir: Path = Path(".lapor")
    host: str = "127.0.0.1"
    port: int = 8080
    secret_key: str = field(default="", repr=False)
    public_url: str = ""
    log_level: str = "INFO"
    shutdown_timeout: float = 30.0
    # WhatsApp Business Cloud API: all four of token, app secret, verify token and phone
    # number id, or none (then no webhook is served and nothing is sent through WhatsApp).
    whatsapp_token: str = field(default="", repr=False)
    whatsapp_app_secret: str = field(default="", repr=False)
    whatsapp_verify_token: str = field(default="", repr=False)
    whatsapp_phone_number_id: str = ""
    whatsapp_api_base: str = WHATSAPP_API_BASE

    def __post_init__(self) -> None:
        check_whatsapp(self)

    @property
    def whatsapp_enabled(self) -> bool:
        return bool(self.whatsapp_token)

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    def with_database(self, url: str) -> Settings:
        return replace(self, database_url=url)


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None


def check_whatsapp(settings: Settings) -> None:
    """Refuse half a WhatsApp configuration: without the app secret anyone could post
    messages as any citizen, without the token nothing could be answered."""
    values = {name: getattr(settings, attr) for name, attr in WHATSAPP_VARIABLES.items()}
    missing = [name for name, value in values.items() if not value]
    if missing and len(missing) < len(values):
        raise SettingsError(
            "WhatsApp needs all of " + ", ".join(values) + "; missing: " + ", ".join(missing)
        )
    if not settings.whatsapp_api_base.startswith(("https://", "http://")):
        raise SettingsError(
            f"WHATSAPP_API_BASE must be an http(s) URL, got {settings.whatsapp_api_base!r}"
        )


def whatsapp_settings(env: Mapping[str, str]) -> dict[str, str]:
    """The WhatsApp variables as Settings fields (checked together by Settings itself)."""
    values = {attr: env.get(name, "").strip() for name, attr in WHATSAPP_VARIABLES.items()}
    values["whatsapp_api_base"] = (env.get("WHATSAPP_API_BASE") or WHATSAPP_API_BASE).rstrip("/")
    return values


def load_secret_key(env: Mapping[str, str], data_dir: Path) -> str:
    """LAPOR_SECRET_KEY, or a key generated once and kept in the data directory.

    A development machine should not need a manual step; a deployment sets the variable.
    The generated key never enters the repository: it lives under LAPOR_DATA_DIR (git-ignored).
    """
    key = env.get("LAPOR_SECRET_KEY", "")
    if key:
        if len(key) < 16:
            raise SettingsError("LAPOR_SECRET_KEY must be at least 16 characters")
        return key
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key


def settings_from_env(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    data_dir = Path(env.get("LAPOR_DATA_DIR") or ".lapor")
    port = _int(env, "LAPOR_PORT", 8080)
    if not 0 <= port <= 65535:
        raise SettingsError(f"LAPOR_PORT must be between 0 and 65535, got {port}")
    return Settings(
        database_url=env.get("DATABASE_URL") or None,
        city=env.get("LAPOR_CITY") or "default",
        data_dir=data_dir,
        host=env.get("LAPOR_HOST") or "127.0.0.1",
        port=port,
        secret_key=load_secret_key(env, data_dir),
        public_url=env.get("LAPOR_PUBLIC_URL", ""),
        log_level=(env.get("LAPOR_LOG_LEVEL") or "INFO").upper(),
        shutdown_timeout=float(env.get("LAPOR_SHUTDOWN_TIMEOUT") or 30),
        **whatsapp_settings(env),
    )
