"""Settings, parsed once from the environment at the entry point and passed down.

The environment is read through pydantic-settings (`Environment`: each variable, its type,
range and default, in one place); the checks that involve several variables at once
(Telegram, WhatsApp, SMTP) stay functions below. `Settings` is the frozen value the app gets.

Longer than 400 lines because every variable a city can set is declared here, once, with its
type, default and the check that refuses a wrong value: one list an operator reads top to
bottom, rather than settings spread over the modules that use them.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


WHATSAPP_API_BASE = "https://graph.facebook.com/v21.0"
SMS_API_URL = "https://api.twilio.com"
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
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
    # -- connection poolers (lapor/db.py; docs/deploy.md) --
    # "transaction": DATABASE_URL is PgBouncer (or alike) in transaction mode, which may give
    # each transaction another server connection: no prepared statement is cached, and the
    # outbox's LISTEN goes over DATABASE_DIRECT_URL, or is left out (the dispatcher polls).
    database_pooler: str = "none"
    # A connection straight to the primary, past the pooler, for the outbox's LISTEN.
    database_direct_url: str | None = field(default=None, repr=False)
    # A standby for anonymous public reads (lapor/db.py ReplicaReads); None: the primary.
    database_replica_url: str | None = field(default=None, repr=False)
    # -- end connection poolers --
    city: str = "default"
    data_dir: Path = Path(".lapor")
    host: str = "127.0.0.1"
    port: int = 8080
    secret_key: str = field(default="", repr=False)
    public_url: str = ""
    log_level: str = "INFO"
    shutdown_timeout: float = 30.0
    # Telegram bot: the webhook is served (and the sender registered) only when a token is set.
    telegram_bot_token: str = field(default="", repr=False)
    telegram_api_base: str = "https://api.telegram.org"
    telegram_webhook_secret: str = field(default="", repr=False)
    # -- scheduler and e-mail (lapor/scheduler.py, lapor/mail.py) --
    # Off unless asked for, so an app built in a test runs no jobs behind its back;
    # settings_from_env turns it on (LAPOR_SCHEDULER=off leaves the jobs to `lapor scheduler`).
    scheduler: bool = False
    job_retry_seconds: float = 300.0  # a failed job runs again this soon (if before its tick)
    smtp_host: str = ""  # empty: no e-mail channel
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: str = field(default="", repr=False)
    smtp_from: str = ""
    smtp_starttls: bool = True
    # -- end scheduler and e-mail --
    # WhatsApp Business Cloud API: all four of token, app secret, verify token and phone
    # number id, or none (then no webhook is served and nothing is sent through WhatsApp).
    whatsapp_token: str = field(default="", repr=False)
    whatsapp_app_secret: str = field(default="", repr=False)
    whatsapp_verify_token: str = field(default="", repr=False)
    whatsapp_phone_number_id: str = ""
    whatsapp_api_base: str = WHATSAPP_API_BASE

    def __post_init__(self) -> None:
        check_whatsapp(self)
        check_photo_store(self)
        check_sms(self)

    @property
    def whatsapp_enabled(self) -> bool:
        return bool(self.whatsapp_token)

    @property
    def sms_enabled(self) -> bool:
        return bool(self.sms_account_sid)

    # -- surveys (lapor/surveys/) --
    survey_delay_minutes: int = 60  # after a resolution, then the next office hour
    # -- end surveys --
    # -- public pages (lapor/web/pages.py) --
    map_tiles: str = OSM_TILES  # the maps' tile URL template; "" = no tiles, points only
    # -- end public pages --
    # -- rate limits (lapor/ratelimit.py, lapor/web/clients.py) --
    # Proxies whose X-Forwarded-For is believed; empty: the peer address is the client.
    trusted_proxies: tuple[IPNetwork, ...] = ()
    # -- end rate limits --
    # -- officer API tokens (lapor/auth.py) --
    # Days an API token issued by `lapor token` lives (LAPOR_TOKEN_DAYS); a deployment's
    # security choice, like its secret key, rather than a city's public policy.
    # Not a secret; kept out of repr only because no 'tok…' may show there (a token's would).
    token_days: int = field(default=30, repr=False)
    # -- end officer API tokens --
    # -- outbox delivery (lapor/outbox.py, lapor/outbox_pacing.py) --
    # A message that keeps failing for reasons not its own is retried this long, then dead.
    outbox_retry_days: float = 3.0
    # The channels' published limits: the dispatcher keeps under them rather than earn 429s.
    telegram_send_rate: float = 30.0  # messages a second over all chats
    telegram_chat_rate: float = 1.0  # messages a second in one chat
    telegram_group_per_minute: float = 20.0  # messages a minute in one group
    whatsapp_send_rate: float = 80.0  # Meta's throughput for one business number
    whatsapp_chat_per_minute: float = 10.0  # Meta's pair limit: to one user
    # -- end outbox delivery --
    # -- photo store (lapor/photo_store.py, lapor/photo_s3.py) --
    # "file": under data_dir/photos (the default); "s3": a private bucket, served through
    # lapor's own photo route (check_photo_store: the combination).
    photo_store: str = "file"
    s3_bucket: str = ""
    s3_endpoint_url: str = ""  # empty: AWS itself; else MinIO, Ceph, Garage, R2...
    s3_region: str = "us-east-1"
    # Both or neither; neither: botocore's own chain (instance role, profile).
    s3_access_key_id: str = field(default="", repr=False)
    s3_secret_access_key: str = field(default="", repr=False)
    s3_max_attempts: int = 3  # per request, retries included
    # -- end photo store --
    # -- operations (lapor/web/metrics.py, lapor/logs.py) --
    # A bearer token for /metrics; empty: /metrics answers only to loopback addresses.
    metrics_token: str = field(default="", repr=False)
    log_format: str = "text"  # "json": one JSON object per line (lapor/logs.py)
    # -- end operations --
    # -- sms (bots/sms.py) --
    # A Twilio-compatible gateway: account sid, auth token and sender (a +E.164 number, or a
    # Messaging Service sid MG...) together, or none (then no SMS webhook, nothing sent).
    sms_account_sid: str = ""
    sms_auth_token: str = field(default="", repr=False)
    sms_from: str = ""
    sms_api_url: str = SMS_API_URL
    sms_send_rate: float = 10.0  # API requests a second (the gateway queues per sender number)
    # -- end sms --
    # -- forwarding and webhooks (lapor/forwarding.py, lapor/hooks.py) --
    # Each external body's webhook secret (LAPOR_EXTERNAL_<CODE>_SECRET) and Open311 api key
    # (LAPOR_EXTERNAL_<CODE>_API_KEY), by the code of its [external.CODE] in the city file.
    external_secrets: Mapping[str, str] = field(default_factory=dict, repr=False)
    external_api_keys: Mapping[str, str] = field(default_factory=dict, repr=False)
    # The bearer token of POST /webhooks/mail (the mail server's hook for replies); empty:
    # the route refuses every call, replies come in by `lapor mail receive` only.
    mail_inbound_token: str = field(default="", repr=False)
    # Seconds an outbound webhook waits for an answer; how often Open311 bodies are polled.
    webhook_timeout: float = 10.0
    forward_poll_minutes: int = 15
    # -- end forwarding and webhooks --

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    def with_database(self, url: str) -> Settings:
        return replace(self, database_url=url)

    @property
    def pooled(self) -> bool:
        """Whether DATABASE_URL is a pooler in transaction mode (no session state kept)."""
        return self.database_pooler == "transaction"

    @property
    def listen_url(self) -> str | None:
        """Where the outbox may LISTEN: the database itself, or past the pooler, or nowhere
        (None: behind a transaction pooler with no direct URL, the dispatcher polls)."""
        if self.database_direct_url:
            return self.database_direct_url
        return None if self.pooled else self.database_url


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None


# What Telegram accepts as a webhook secret_token (setWebhook refuses anything else).
_TELEGRAM_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


def telegram_settings(env: Mapping[str, str]) -> dict[str, str]:
    """The Telegram variables, checked: a token without a webhook secret would let anyone
    who guesses the webhook path post updates as any citizen, so lapor refuses to start."""
    token = env.get("TELEGRAM_BOT_TOKEN", "")
    secret = env.get("TELEGRAM_WEBHOOK_SECRET", "")
    if token and not secret:
        raise SettingsError(
            "TELEGRAM_WEBHOOK_SECRET must be set when TELEGRAM_BOT_TOKEN is set: Telegram sends "
            "it with every webhook update so that nobody else can post updates as a citizen "
            "(1-256 characters of A-Z, a-z, 0-9, _ and -)"
        )
    if secret and not _TELEGRAM_SECRET.fullmatch(secret):
        raise SettingsError(
            "TELEGRAM_WEBHOOK_SECRET may hold only 1-256 characters of A-Z, a-z, 0-9, _ and -"
        )
    return {
        "telegram_bot_token": token,
        "telegram_api_base": env.get("TELEGRAM_API_BASE") or "https://api.telegram.org",
        "telegram_webhook_secret": secret,
    }


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be on or off, got {raw!r}")


def scheduler_and_mail_settings(env: Mapping[str, str]) -> dict[str, object]:
    """LAPOR_SCHEDULER and the SMTP_* variables, checked."""
    host = env.get("SMTP_HOST", "").strip()
    port = _int(env, "SMTP_PORT", 587)
    if not 0 < port <= 65535:
        raise SettingsError(f"SMTP_PORT must be between 1 and 65535, got {port}")
    sender = env.get("SMTP_FROM", "").strip()
    if host and "@" not in sender:
        raise SettingsError("SMTP_FROM must be an e-mail address when SMTP_HOST is set")
    return {
        "scheduler": _flag(env, "LAPOR_SCHEDULER", True),
        "smtp_host": host,
        "smtp_port": port,
        "smtp_username": env.get("SMTP_USERNAME", ""),
        "smtp_password": env.get("SMTP_PASSWORD", ""),
        "smtp_from": sender,
        "smtp_starttls": _flag(env, "SMTP_STARTTLS", True),
    }


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


class Environment(BaseSettings):
    """The variables of one process's own settings, by their names; an empty one is unset."""

    model_config = SettingsConfigDict(case_sensitive=True, extra="ignore", frozen=True)

    database_url: str | None = Field(None, alias="DATABASE_URL")
    database_pooler: Literal["none", "transaction"] = Field("none", alias="LAPOR_DATABASE_POOLER")
    database_direct_url: str | None = Field(None, alias="DATABASE_DIRECT_URL")
    database_replica_url: str | None = Field(None, alias="DATABASE_REPLICA_URL")
    city: str = Field("default", alias="LAPOR_CITY")
    data_dir: Path = Field(Path(".lapor"), alias="LAPOR_DATA_DIR")
    host: str = Field("127.0.0.1", alias="LAPOR_HOST")
    port: int = Field(8080, ge=0, le=65535, alias="LAPOR_PORT")
    public_url: str = Field("", alias="LAPOR_PUBLIC_URL")
    log_level: str = Field("INFO", alias="LAPOR_LOG_LEVEL")
    shutdown_timeout: float = Field(30.0, ge=0, allow_inf_nan=False, alias="LAPOR_SHUTDOWN_TIMEOUT")
    survey_delay_minutes: int = Field(60, ge=0, le=7 * 24 * 60, alias="LAPOR_SURVEY_DELAY_MINUTES")
    token_days: int = Field(30, ge=1, le=366, alias="LAPOR_TOKEN_DAYS")
    job_retry_seconds: float = Field(
        300.0, gt=0, le=86_400, allow_inf_nan=False, alias="LAPOR_JOB_RETRY_SECONDS"
    )
    outbox_retry_days: float = Field(
        3.0, gt=0, le=60, allow_inf_nan=False, alias="LAPOR_OUTBOX_RETRY_DAYS"
    )
    telegram_send_rate: float = Field(30.0, gt=0, le=10_000, alias="TELEGRAM_SEND_RATE")
    telegram_chat_rate: float = Field(1.0, gt=0, le=1000, alias="TELEGRAM_CHAT_RATE")
    telegram_group_per_minute: float = Field(
        20.0, gt=0, le=60_000, alias="TELEGRAM_GROUP_PER_MINUTE"
    )
    whatsapp_send_rate: float = Field(80.0, gt=0, le=10_000, alias="WHATSAPP_SEND_RATE")
    whatsapp_chat_per_minute: float = Field(10.0, gt=0, le=60_000, alias="WHATSAPP_CHAT_PER_MINUTE")
    log_format: Literal["text", "json"] = Field("text", alias="LAPOR_LOG_FORMAT")
    sms_send_rate: float = Field(10.0, gt=0, le=10_000, alias="LAPOR_SMS_SEND_RATE")

    @field_validator("log_level")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()

    @classmethod
    def settings_customise_sources(
        cls, settings_cls, init_settings, env_settings, dotenv_settings, file_secret_settings
    ):
        # Only what settings_from_env hands over: os.environ at the entry point, a dict in a
        # test; never a .env file or a secrets directory behind the caller's back.
        return (init_settings,)

    @classmethod
    def read(cls, env: Mapping[str, str]) -> Environment:
        names = {field.alias for field in cls.model_fields.values()}
        given = {name: value for name, value in env.items() if name in names and value != ""}
        try:
            return cls(**given)
        except ValidationError as error:
            first = error.errors(include_url=False)[0]
            name = str(first["loc"][0]) if first["loc"] else "environment"
            raise SettingsError(f"{name}: {first['msg']}, got {first.get('input')!r}") from None


def settings_from_env(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    read = Environment.read(env)
    return Settings(
        **read.model_dump(),
        secret_key=load_secret_key(env, read.data_dir),
        **telegram_settings(env),
        **scheduler_and_mail_settings(env),
        **whatsapp_settings(env),
        map_tiles=map_tiles(env),
        trusted_proxies=trusted_proxies(env),
        **photo_store_settings(env),
        metrics_token=metrics_token(env),
        **sms_settings(env),
        **forwarding_settings(env),
    )


def metrics_token(env: Mapping[str, str]) -> str:
    """LAPOR_METRICS_TOKEN: at least 16 printable ASCII characters without spaces (it travels
    in an Authorization header). Checked here, not in Environment: an error must not print it."""
    token = env.get("LAPOR_METRICS_TOKEN", "").strip()
    if token and (len(token) < 16 or not re.fullmatch(r"[!-~]+", token)):
        raise SettingsError(
            "LAPOR_METRICS_TOKEN must be at least 16 printable ASCII characters without spaces"
        )
    return token


def trusted_proxies(env: Mapping[str, str]) -> tuple[IPNetwork, ...]:
    """LAPOR_TRUSTED_PROXIES: addresses or networks, comma-separated, of the proxies in front
    of lapor; only their X-Forwarded-For is believed. Empty (the default): none is."""
    found = []
    for item in (env.get("LAPOR_TRUSTED_PROXIES") or "").split(","):
        if not item.strip():
            continue
        try:
            found.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            raise SettingsError(
                "LAPOR_TRUSTED_PROXIES must be IP addresses or networks separated by commas "
                f"(e.g. 10.0.0.0/8, 127.0.0.1), got {item.strip()!r}"
            ) from None
    return tuple(found)


def map_tiles(env: Mapping[str, str]) -> str:
    """LAPOR_MAP_TILES: an http(s) tile URL with {z}, {x} and {y}; set but empty: no tiles."""
    url = env.get("LAPOR_MAP_TILES", OSM_TILES).strip()
    if url and not (
        url.startswith(("https://", "http://")) and all(p in url for p in ("{z}", "{x}", "{y}"))
    ):
        raise SettingsError(
            "LAPOR_MAP_TILES must be an http(s) URL with {z}, {x} and {y} (or empty for no "
            f"tiles), got {url!r}"
        )
    return url


# S3's rule for bucket names (3-63 of a-z, 0-9, dots and hyphens, a letter or digit at each end).
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
# The LAPOR_S3_* variables that mean nothing without LAPOR_PHOTO_STORE=s3.
S3_VARIABLES = (
    "LAPOR_S3_BUCKET",
    "LAPOR_S3_ENDPOINT_URL",
    "LAPOR_S3_REGION",
    "LAPOR_S3_ACCESS_KEY_ID",
    "LAPOR_S3_SECRET_ACCESS_KEY",
)


def photo_store_settings(env: Mapping[str, str]) -> dict[str, object]:
    """LAPOR_PHOTO_STORE and, for "s3", its bucket, endpoint, region and keys (LAPOR_S3_*,
    or the standard AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_DEFAULT_REGION)."""
    store = (env.get("LAPOR_PHOTO_STORE") or "file").strip().lower()
    given = [name for name in S3_VARIABLES if env.get(name)]
    if store == "file" and given:
        raise SettingsError(
            f"{given[0]} is set but LAPOR_PHOTO_STORE is file: set LAPOR_PHOTO_STORE=s3 to keep "
            "photos in the bucket, or unset the LAPOR_S3_* variables"
        )
    own_key = env.get("LAPOR_S3_ACCESS_KEY_ID") or env.get("LAPOR_S3_SECRET_ACCESS_KEY")
    prefix = "LAPOR_S3_" if own_key else "AWS_"  # a pair comes from one place, never mixed
    return {
        "photo_store": store,
        "s3_bucket": env.get("LAPOR_S3_BUCKET", "").strip(),
        "s3_endpoint_url": env.get("LAPOR_S3_ENDPOINT_URL", "").strip().rstrip("/"),
        "s3_region": (
            env.get("LAPOR_S3_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1"
        ).strip(),
        "s3_access_key_id": env.get(f"{prefix}ACCESS_KEY_ID", "").strip(),
        "s3_secret_access_key": env.get(f"{prefix}SECRET_ACCESS_KEY", "").strip(),
        "s3_max_attempts": _int(env, "LAPOR_S3_MAX_ATTEMPTS", 3),
    }


def check_photo_store(settings: Settings) -> None:
    """Refuse a photo store that could not work: an unknown kind, S3 without a bucket (or with
    a name S3 refuses), an endpoint that is not a URL, half a key pair."""
    if settings.photo_store not in ("file", "s3"):
        raise SettingsError(f"LAPOR_PHOTO_STORE must be file or s3, got {settings.photo_store!r}")
    if settings.photo_store == "file":
        return
    if not settings.s3_bucket:
        raise SettingsError("LAPOR_S3_BUCKET must be set when LAPOR_PHOTO_STORE is s3")
    if not _BUCKET.fullmatch(settings.s3_bucket) or ".." in settings.s3_bucket:
        raise SettingsError(
            "LAPOR_S3_BUCKET must be 3-63 characters of a-z, 0-9, . and -, starting and ending "
            f"with a letter or digit, got {settings.s3_bucket!r}"
        )
    endpoint = settings.s3_endpoint_url
    if endpoint and not endpoint.startswith(("https://", "http://")):
        raise SettingsError(f"LAPOR_S3_ENDPOINT_URL must be an http(s) URL, got {endpoint!r}")
    if bool(settings.s3_access_key_id) != bool(settings.s3_secret_access_key):
        raise SettingsError(
            "an S3 access key id needs its secret access key and the other way round "
            "(LAPOR_S3_ACCESS_KEY_ID with LAPOR_S3_SECRET_ACCESS_KEY, or AWS_ACCESS_KEY_ID "
            "with AWS_SECRET_ACCESS_KEY)"
        )
    if not 1 <= settings.s3_max_attempts <= 10:
        raise SettingsError(
            f"LAPOR_S3_MAX_ATTEMPTS must be between 1 and 10, got {settings.s3_max_attempts}"
        )


# -- sms (bots/sms.py) --
# Each SMS variable and the Settings field it fills; the first three go together.
SMS_VARIABLES = {
    "LAPOR_SMS_ACCOUNT_SID": "sms_account_sid",
    "LAPOR_SMS_AUTH_TOKEN": "sms_auth_token",
    "LAPOR_SMS_FROM": "sms_from",
}


def sms_settings(env: Mapping[str, str]) -> dict[str, str]:
    """The SMS gateway variables as Settings fields (checked together by Settings itself)."""
    values = {attr: env.get(name, "").strip() for name, attr in SMS_VARIABLES.items()}
    values["sms_api_url"] = (env.get("LAPOR_SMS_API_URL") or SMS_API_URL).strip().rstrip("/")
    return values


def check_sms(settings: Settings) -> None:
    """Refuse half an SMS configuration (without the auth token no webhook could be checked,
    without the sender nothing could be sent), and SMS without LAPOR_PUBLIC_URL: the gateway
    signs the public webhook URL, which the app cannot know behind a proxy."""
    values = {name: getattr(settings, attr) for name, attr in SMS_VARIABLES.items()}
    missing = [name for name, value in values.items() if not value]
    if missing and len(missing) < len(values):
        raise SettingsError(
            "SMS needs all of " + ", ".join(values) + "; missing: " + ", ".join(missing)
        )
    if not settings.sms_api_url.startswith(("https://", "http://")):
        raise SettingsError(
            f"LAPOR_SMS_API_URL must be an http(s) URL, got {settings.sms_api_url!r}"
        )
    if settings.sms_account_sid and not settings.public_url.startswith(("https://", "http://")):
        raise SettingsError(
            "LAPOR_PUBLIC_URL must be set when SMS is on: the gateway signs each webhook with "
            "the URL it was given (LAPOR_PUBLIC_URL + /webhooks/sms)"
        )


# -- end sms --


# -- forwarding and webhooks (lapor/forwarding.py, lapor/hooks.py) --
_EXTERNAL_VARIABLE = re.compile(r"LAPOR_EXTERNAL_([A-Z][A-Z0-9_]*?)_(SECRET|API_KEY)")


def forwarding_settings(env: Mapping[str, str]) -> dict[str, object]:
    """LAPOR_EXTERNAL_<CODE>_SECRET and _API_KEY (each at least 16 characters: an HMAC key or
    a partner's key), LAPOR_MAIL_INBOUND_TOKEN, LAPOR_WEBHOOK_TIMEOUT and
    LAPOR_FORWARD_POLL_MINUTES. Which codes the city file names is checked where both meet
    (lapor.forwarding.check_secrets), not here."""
    secrets_found: dict[str, str] = {}
    keys_found: dict[str, str] = {}
    for name, value in env.items():
        matched = _EXTERNAL_VARIABLE.fullmatch(name)
        if matched is None or not value.strip():
            continue
        if len(value.strip()) < 16:
            raise SettingsError(f"{name} must be at least 16 characters")
        found = secrets_found if matched.group(2) == "SECRET" else keys_found
        found[matched.group(1)] = value.strip()
    token = env.get("LAPOR_MAIL_INBOUND_TOKEN", "").strip()
    if token and (len(token) < 16 or not re.fullmatch(r"[!-~]+", token)):
        raise SettingsError(
            "LAPOR_MAIL_INBOUND_TOKEN must be at least 16 printable ASCII characters without spaces"
        )
    timeout = env.get("LAPOR_WEBHOOK_TIMEOUT", "").strip()
    try:
        seconds = float(timeout) if timeout else 10.0
    except ValueError:
        raise SettingsError(f"LAPOR_WEBHOOK_TIMEOUT must be seconds, got {timeout!r}") from None
    if not 0 < seconds <= 120:
        raise SettingsError(f"LAPOR_WEBHOOK_TIMEOUT must be between 0 and 120, got {timeout!r}")
    minutes = _int(env, "LAPOR_FORWARD_POLL_MINUTES", 15)
    if not 1 <= minutes <= 24 * 60:
        raise SettingsError(f"LAPOR_FORWARD_POLL_MINUTES must be 1-1440, got {minutes}")
    return {
        "external_secrets": secrets_found,
        "external_api_keys": keys_found,
        "mail_inbound_token": token,
        "webhook_timeout": seconds,
        "forward_poll_minutes": minutes,
    }


# -- end forwarding and webhooks --
