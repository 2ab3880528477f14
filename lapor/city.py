"""A deployment's city: its agencies, which agency handles each complaint category, its SLA
numbers, privacy defaults and calendar, read and checked once at start from a TOML file.

The file lives in ``config/cities/<key>.toml``; ``LAPOR_CITY`` names it. Every rule the file
must satisfy is checked here, so a typo stops the service at start with a message naming the
file and the key, instead of sending complaints nowhere later.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from classifier.dataset import CATEGORIES
from lapor.ratelimit import Limit

DEFAULT_CONFIG_DIR = Path(__file__).resolve().parent.parent / "config" / "cities"

# The taxonomy's codes, in its order (defined once, in classifier.dataset): the same in every
# city; only the agency differs.
CATEGORY_CODES: tuple[str, ...] = CATEGORIES

# Display names a citizen reads; a city file may override one with `name = "..."`.
CATEGORY_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "jalan": "Jalan Rusak",
        "drainase": "Drainase dan Genangan",
        "sampah": "Sampah",
        "pencemaran": "Pencemaran Lingkungan",
        "taman_pohon": "Taman, Pohon dan Pemakaman",
        "penerangan_jalan": "Penerangan Jalan Umum (PJU)",
        "lalu_lintas": "Lalu Lintas dan Angkutan Umum",
        "parkir": "Parkir",
        "kesehatan": "Kesehatan",
        "kependudukan": "Administrasi Kependudukan",
        "pendidikan": "Pendidikan",
        "ketertiban": "Ketertiban Umum",
        "sosial": "Bantuan dan Layanan Sosial",
        "air_bersih": "Air Bersih (PDAM)",
        "kebakaran": "Kebakaran dan Penyelamatan",
        "bencana": "Bencana",
        "perizinan": "Perizinan",
        "pajak_daerah": "Pajak Daerah",
        "aparatur": "Perilaku Aparatur dan Pungli",
        "layanan_digital": "Layanan Digital",
        "pasar": "Pasar dan Harga Bahan Pokok",
        "ketenagakerjaan": "Ketenagakerjaan",
        "lainnya": "Lainnya",
    }
)

# The KemenPANRB completion targets: simple complaints, matters needing no field check, and
# matters needing one. Each category picks one; the numbers live in [sla.resolution_days].
RESOLUTION_KINDS = ("simple", "no_field_check", "field_check")

# opd: handles complaints. desk: the verification desk (it may also handle categories).
# oversight: Setda and the kepala daerah; they receive escalations, never complaints.
AGENCY_KINDS = ("opd", "desk", "oversight")

DESK_CATEGORY = "lainnya"

# [privacy] publish: when a complaint's text, location and photos become public. LAPOR!
# publishes after an officer's verification (routing by the model is not one); status and
# timeline are visible by tracking code from the start either way.
PUBLISH_POLICIES = ("after_verification", "immediately")

# [privacy] retain_contacts_days. UU PDP (UU 27/2022) lets personal data be kept only as long
# as its purpose needs. A closed complaint's contact is needed for the satisfaction survey
# (weeks), a reopening or an objection, and the yearly reports and audits that may ask who
# was answered; a year after closing covers them. A city may choose from 30 days to 10 years.
RETAIN_CONTACTS_DAYS = 365
RETAIN_CONTACTS_RANGE = (30, 3650)

_AGENCY_CODE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_CITY_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class AgencyContacts:
    """Who hears of an agency's overdue complaints: its officers get the reminder, its head
    the escalation. Telegram chat ids go through the bot, addresses through e-mail."""

    head_email: str | None = None
    head_telegram: str | None = None
    officers_email: tuple[str, ...] = ()
    officers_telegram: tuple[str, ...] = ()

    def head(self) -> tuple[tuple[str, str], ...]:
        """(outbox channel, recipient) pairs for the head of the agency."""
        pairs = []
        if self.head_telegram:
            pairs.append(("telegram", self.head_telegram))
        if self.head_email:
            pairs.append(("email", self.head_email))
        return tuple(pairs)

    def officers(self) -> tuple[tuple[str, str], ...]:
        """(outbox channel, recipient) pairs for the agency's officers."""
        return tuple(("telegram", chat) for chat in self.officers_telegram) + tuple(
            ("email", address) for address in self.officers_email
        )


CONTACT_KEYS = ("head_email", "head_telegram", "officers_email", "officers_telegram")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# A numeric chat id (negative for groups and channels) or a public channel's @username.
_TELEGRAM_CHAT = re.compile(r"^(-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$")


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    short_name: str
    parent: str | None  # the agency a breach escalates to; None only for the kepala daerah
    kind: str  # one of AGENCY_KINDS
    contacts: AgencyContacts = field(default_factory=AgencyContacts)


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    agency: str
    resolution: str  # one of RESOLUTION_KINDS
    desk: bool  # True only for lainnya: it waits at the verification desk


def _default_resolution_days() -> Mapping[str, int]:
    return MappingProxyType({"simple": 5, "no_field_check": 14, "field_check": 60})


@dataclass(frozen=True)
class SlaRules:
    """Working days, as in service-rules.md; a city may change any of them."""

    verify_days: int = 3
    first_response_days: int = 5
    resolution_days: Mapping[str, int] = field(default_factory=_default_resolution_days)
    auto_close_days: int = 10
    reminder_at: float = 0.75  # share of the allowed time after which officers are reminded
    # Working days after the breach at which the complaint reaches each further level up the
    # parent chain: (0, 5) = the parent at once, the parent's parent five working days later.
    escalate_after_days: tuple[int, ...] = (0, 5)


@dataclass(frozen=True)
class RateLimits:
    """[limits]: how often one client may do each thing; counted in lapor.ratelimit."""

    filing_per_address: Limit = Limit(10, timedelta(hours=1))
    filing_per_chat: Limit = Limit(10, timedelta(hours=1))
    lookups_per_address: Limit = Limit(60, timedelta(minutes=1))
    login_failures_per_address: Limit = Limit(10, timedelta(minutes=15))


LIMIT_KEYS = (
    "filing_per_address",
    "filing_per_chat",
    "lookups_per_address",
    "login_failures_per_address",
)
LIMIT_MAX_MINUTES = 7 * 24 * 60


@dataclass(frozen=True)
class CityConfig:
    key: str
    name: str
    timezone: str
    desk_agency: str
    agencies: Mapping[str, Agency]
    categories: Mapping[str, Category]  # in CATEGORY_CODES order
    sla: SlaRules
    confidence_threshold: float | None  # None: use the threshold chosen at training
    rahasia_default: bool
    anonim_default: bool
    extra_days_off: tuple[date, ...]  # sorted; on top of national holidays and cuti bersama
    office_start: time
    office_end: time
    # [workflow]: an agency must attach a photo of the finished work to resolve a complaint.
    resolve_requires_photo: bool = False
    # [privacy] publish: one of PUBLISH_POLICIES.
    publish: str = "after_verification"
    # [privacy] retain_contacts_days: how long after a complaint is closed or rejected the
    # reporter's contact details are kept (lapor/erasure.py), RETAIN_CONTACTS_DAYS unless set.
    retain_contacts_days: int = 365

    limits: RateLimits = field(default_factory=RateLimits)

    @property
    def publishes_immediately(self) -> bool:
        return self.publish == "immediately"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def desk(self) -> Agency:
        return self.agencies[self.desk_agency]

    def agency_for(self, category: str) -> Agency:
        """The agency that handles ``category`` in this city (for lainnya: the desk)."""
        try:
            return self.agencies[self.categories[category].agency]
        except KeyError:
            raise KeyError(f"unknown category code {category!r}") from None

    def escalation_chain(self, agency_code: str) -> tuple[Agency, ...]:
        """The agencies above ``agency_code``, nearest first, ending with the kepala daerah."""
        chain = []
        parent = self.agencies[agency_code].parent
        while parent is not None:
            chain.append(self.agencies[parent])
            parent = self.agencies[parent].parent
        return tuple(chain)


class CityConfigError(ValueError):
    """The city file is missing or wrong. The message names the file and every offending key."""

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = Path(path)
        self.problems = list(problems)
        if len(problems) == 1:
            message = f"{path}: {problems[0]}"
        else:
            lines = "\n".join(f"  - {p}" for p in problems)
            message = f"{path}: {len(problems)} problems:\n{lines}"
        super().__init__(message)


def available_cities(config_dir: Path | None = None) -> list[str]:
    """The keys LAPOR_CITY may name: the stems of the TOML files in the config directory."""
    directory = DEFAULT_CONFIG_DIR if config_dir is None else config_dir
    if not directory.is_dir():
        return []
    return sorted(p.stem for p in directory.glob("*.toml") if _CITY_KEY.match(p.stem))


def load_city(name_or_path: str | Path, config_dir: Path | None = None) -> CityConfig:
    """Read and check a city: a key such as ``"bekasi"`` (looked up in ``config_dir``) or a
    path to a ``.toml`` file. Raises CityConfigError listing every problem found."""
    path = _resolve(name_or_path, config_dir)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CityConfigError(path, [f"cannot read the file ({error.strerror})"]) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CityConfigError(path, [f"not valid TOML: {error}"]) from None
    return _Parser(path, raw).parse()


def _resolve(name_or_path: str | Path, config_dir: Path | None) -> Path:
    if isinstance(name_or_path, Path):
        return name_or_path
    if name_or_path.endswith(".toml") or "/" in name_or_path or "\\" in name_or_path:
        return Path(name_or_path)
    directory = DEFAULT_CONFIG_DIR if config_dir is None else config_dir
    # A key, never a path fragment: LAPOR_CITY="../x" must not read files outside the directory.
    if not _CITY_KEY.match(name_or_path):
        raise CityConfigError(directory, [f"{name_or_path!r} is not a city key (a-z, 0-9, _ -)"])
    path = directory / f"{name_or_path}.toml"
    if not path.is_file():
        known = ", ".join(available_cities(directory)) or "none"
        raise CityConfigError(path, [f"no city {name_or_path!r}; available: {known}"])
    return path


def _is_number(value: object) -> bool:
    # TOML booleans are Python bools, and bool is an int: `verify_days = true` must not pass.
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Parser:
    """Checks one parsed file, collecting every problem so an admin can fix them in one go."""

    SECTIONS = (
        "city",
        "agencies",
        "categories",
        "sla",
        "privacy",
        "calendar",
        "classifier",
        "workflow",
        "limits",
    )

    def __init__(self, path: Path, raw: dict[str, Any]) -> None:
        self.path = path
        self.raw = raw
        self.problems: list[str] = []

    def problem(self, message: str) -> None:
        self.problems.append(message)

    def parse(self) -> CityConfig:
        for section in self.raw:
            if section not in self.SECTIONS:
                self.problem(f"unknown section [{section}]{self._suggest(section, self.SECTIONS)}")
        city = self._table("city", required=True)
        self._only_keys(city, ("name", "timezone", "desk_agency"), "[city]")
        name = self._text(city, "name", "[city]")
        timezone = self._timezone(city)
        agencies = self._agencies()
        desk_agency = self._desk_agency(city, agencies)
        categories = self._categories(agencies, desk_agency)
        sla = self._sla()
        rahasia, anonim, publish, retain_contacts_days = self._privacy()
        extra_days_off, office_start, office_end = self._calendar()
        threshold = self._classifier()
        resolve_requires_photo = self._workflow()
        limits = self._limits()
        if self.problems:
            raise CityConfigError(self.path, self.problems)
        return CityConfig(
            key=self.path.stem,
            name=name,
            timezone=timezone,
            desk_agency=desk_agency,
            agencies=MappingProxyType(agencies),
            categories=MappingProxyType(categories),
            sla=sla,
            confidence_threshold=threshold,
            rahasia_default=rahasia,
            anonim_default=anonim,
            extra_days_off=extra_days_off,
            office_start=office_start,
            office_end=office_end,
            resolve_requires_photo=resolve_requires_photo,
            publish=publish,
            retain_contacts_days=retain_contacts_days,
            limits=limits,
        )

    # -- helpers ---------------------------------------------------------------------------

    def _suggest(self, word: str, choices: tuple[str, ...] | list[str]) -> str:
        close = difflib.get_close_matches(word, choices, n=1)
        return f" (did you mean {close[0]!r}?)" if close else ""

    def _table(self, name: str, *, required: bool = False) -> dict[str, Any]:
        value = self.raw.get(name)
        if value is None:
            if required:
                self.problem(f"missing section [{name}]")
            return {}
        if not isinstance(value, dict):
            self.problem(f"[{name}] must be a table (a [{name}] section)")
            return {}
        return value

    def _only_keys(self, table: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
        # A misspelt optional key would otherwise be ignored silently and its default used.
        for key in table:
            if key not in allowed:
                self.problem(f"unknown key {key!r} in {where}{self._suggest(key, allowed)}")

    def _text(self, table: Mapping[str, Any], key: str, where: str) -> str:
        value = table.get(key)
        if value is None:
            self.problem(f"{where} {key} is missing")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.problem(f"{where} {key} must be a non-empty string, got {value!r}")
            return ""
        return value.strip()

    def _positive_days(self, table: Mapping[str, Any], key: str, where: str, default: int) -> int:
        value = table.get(key, default)
        if not _is_whole(value) or value <= 0:
            self.problem(f"{where} {key} must be a positive whole number of days, got {value!r}")
            return default
        return value

    # -- sections --------------------------------------------------------------------------

    def _timezone(self, city: Mapping[str, Any]) -> str:
        timezone = self._text(city, "timezone", "[city]")
        if timezone:
            try:
                ZoneInfo(timezone)
            except (ZoneInfoNotFoundError, ValueError):
                self.problem(
                    f"[city] timezone {timezone!r} is not an IANA time zone "
                    "(Indonesia: Asia/Jakarta, Asia/Pontianak, Asia/Makassar, Asia/Jayapura)"
                )
        return timezone

    def _agencies(self) -> dict[str, Agency]:
        table = self._table("agencies", required=True)
        agencies: dict[str, Agency] = {}
        for code, entry in table.items():
            where = f"[agencies.{code}]"
            if not _AGENCY_CODE.match(code):
                self.problem(
                    f"agency code {code!r} must be upper-case letters, digits and underscores, "
                    "starting with a letter"
                )
                continue
            if not isinstance(entry, dict):
                self.problem(f"{where} must be a table with name, short_name, parent and kind")
                continue
            self._only_keys(entry, ("name", "short_name", "parent", "kind", "contacts"), where)
            parent = entry.get("parent")
            if parent is not None and not isinstance(parent, str):
                self.problem(f"{where} parent must be an agency code, got {parent!r}")
                parent = None
            kind = entry.get("kind", "opd")
            if kind not in AGENCY_KINDS:
                self.problem(f"{where} kind must be one of {', '.join(AGENCY_KINDS)}, got {kind!r}")
                kind = "opd"
            agencies[code] = Agency(
                code=code,
                name=self._text(entry, "name", where),
                short_name=self._text(entry, "short_name", where),
                parent=parent,
                kind=kind,
                contacts=self._contacts(entry.get("contacts", {}), where),
            )
        if "agencies" in self.raw and not table:
            self.problem("[agencies] lists no agency")
        if agencies:
            self._check_hierarchy(agencies)
        return agencies

    def _contacts(self, table: object, where: str) -> AgencyContacts:
        where = f"{where} contacts"
        if not isinstance(table, dict):
            self.problem(f'{where} must be a table like {{ head_email = "kadis@..." }}')
            return AgencyContacts()
        self._only_keys(table, CONTACT_KEYS, where)

        def one(key: str, pattern: re.Pattern[str], what: str) -> str | None:
            value = table.get(key)
            if value is None:
                return None
            if _is_whole(value) and key.endswith("telegram"):
                value = str(value)  # chat ids are numbers; TOML may hold them unquoted
            if not isinstance(value, str) or not pattern.match(value.strip()):
                self.problem(f"{where} {key} must be {what}, got {value!r}")
                return None
            return value.strip()

        def many(key: str, pattern: re.Pattern[str], what: str) -> tuple[str, ...]:
            values = table.get(key, [])
            if not isinstance(values, list):
                self.problem(f"{where} {key} must be a list, got {values!r}")
                return ()
            found = []
            for value in values:
                if _is_whole(value) and key.endswith("telegram"):
                    value = str(value)
                if not isinstance(value, str) or not pattern.match(value.strip()):
                    self.problem(f"{where} {key} entry must be {what}, got {value!r}")
                    continue
                found.append(value.strip())
            return tuple(dict.fromkeys(found))  # a repeated entry would get every message twice

        email, chat = "an e-mail address", "a Telegram chat id (digits) or @channel"
        return AgencyContacts(
            head_email=one("head_email", _EMAIL, email),
            head_telegram=one("head_telegram", _TELEGRAM_CHAT, chat),
            officers_email=many("officers_email", _EMAIL, email),
            officers_telegram=many("officers_telegram", _TELEGRAM_CHAT, chat),
        )

    def _check_hierarchy(self, agencies: Mapping[str, Agency]) -> None:
        for agency in agencies.values():
            if agency.parent is not None and agency.parent not in agencies:
                self.problem(
                    f"[agencies.{agency.code}] parent {agency.parent!r} is not a known agency"
                    f"{self._suggest(agency.parent, list(agencies))}"
                )
        reported: set[frozenset[str]] = set()
        for start in agencies:
            path: list[str] = []
            code: str | None = start
            while code is not None and code in agencies and code not in path:
                path.append(code)
                code = agencies[code].parent
            if code is not None and code in path:
                cycle = path[path.index(code) :]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    shown = " -> ".join([*cycle, code])
                    self.problem(f"[agencies] parent cycle: {shown}")
        tops = [a.code for a in agencies.values() if a.parent is None]
        # Escalation climbs parents until the kepala daerah; two tops would leave one branch
        # with nobody above it, usually because a parent line was forgotten.
        if len(tops) > 1:
            self.problem(
                f"[agencies] has {len(tops)} agencies without a parent ({', '.join(tops)}); "
                "only the kepala daerah may have none"
            )
        elif not tops and not reported:
            self.problem("[agencies] has no top agency (one without a parent)")

    def _desk_agency(self, city: Mapping[str, Any], agencies: Mapping[str, Agency]) -> str:
        desk = self._text(city, "desk_agency", "[city]")
        if desk and desk not in agencies:
            self.problem(
                f"[city] desk_agency {desk!r} is not a known agency"
                f"{self._suggest(desk, list(agencies))}"
            )
        elif desk and agencies[desk].kind != "desk":
            self.problem(
                f"[city] desk_agency {desk!r} has kind {agencies[desk].kind!r}; "
                f'set kind = "desk" in [agencies.{desk}]'
            )
        # One verification desk: two would split the queue every complaint starts in.
        for agency in agencies.values():
            if agency.kind == "desk" and agency.code != desk:
                self.problem(
                    f"[agencies.{agency.code}] has kind 'desk' but the desk_agency is {desk!r}; "
                    "a city has one verification desk"
                )
        return desk

    def _categories(self, agencies: Mapping[str, Agency], desk_agency: str) -> dict[str, Category]:
        table = self._table("categories", required=True)
        found: dict[str, Category] = {}
        for code, entry in table.items():
            if code not in CATEGORY_CODES:
                self.problem(
                    f"unknown category code {code!r} in [categories]"
                    f"{self._suggest(code, CATEGORY_CODES)}"
                )
                continue
            where = f"[categories] {code}"
            if not isinstance(entry, dict):
                self.problem(
                    f'{where} must be an inline table like {{ agency = "DPUPR", '
                    f'resolution = "field_check" }}, got {entry!r}'
                )
                continue
            self._only_keys(entry, ("agency", "resolution", "desk", "name"), where)
            agency = self._text(entry, "agency", where)
            if agency and agency not in agencies:
                self.problem(
                    f"{where} maps to unknown agency {agency!r}"
                    f"{self._suggest(agency, list(agencies))}"
                )
            elif agency and agencies[agency].kind == "oversight":
                self.problem(
                    f"{where} maps to {agency!r}, an oversight agency; categories go to an OPD "
                    "or the desk, oversight agencies only receive escalations"
                )
            resolution = entry.get("resolution")
            if resolution not in RESOLUTION_KINDS:
                self.problem(
                    f"{where} resolution must be one of {', '.join(RESOLUTION_KINDS)}, "
                    f"got {resolution!r}"
                )
            desk = entry.get("desk", False)
            if not isinstance(desk, bool):
                self.problem(f"{where} desk must be true or false, got {desk!r}")
                desk = False
            if code == DESK_CATEGORY:
                if not desk:
                    self.problem(f"{where} must have desk = true: it waits at the desk")
                if agency and desk_agency and agency != desk_agency:
                    self.problem(
                        f"{where} agency must be the desk_agency {desk_agency!r}, got {agency!r}"
                    )
            elif desk:
                self.problem(
                    f"{where} has desk = true, but only {DESK_CATEGORY} waits at the desk; "
                    "a category with an agency is routed to it"
                )
            name = entry.get("name", CATEGORY_NAMES[code])
            if not isinstance(name, str) or not name.strip():
                self.problem(f"{where} name must be a non-empty string, got {name!r}")
                name = CATEGORY_NAMES[code]
            found[code] = Category(code, name.strip(), agency, str(resolution), desk)
        missing = [code for code in CATEGORY_CODES if code not in table]
        if missing:
            self.problem(
                f"[categories] is missing {', '.join(repr(c) for c in missing)}; "
                "every category needs exactly one agency"
            )
        return {code: found[code] for code in CATEGORY_CODES if code in found}

    def _sla(self) -> SlaRules:
        table = self._table("sla")
        defaults = SlaRules()
        self._only_keys(
            table,
            (
                "verify_days",
                "first_response_days",
                "resolution_days",
                "auto_close_days",
                "reminder_at",
                "escalate_after_days",
            ),
            "[sla]",
        )
        resolution_table = table.get("resolution_days", {})
        resolution_days = dict(defaults.resolution_days)
        if not isinstance(resolution_table, dict):
            self.problem("[sla] resolution_days must be a table ([sla.resolution_days])")
        else:
            self._only_keys(resolution_table, RESOLUTION_KINDS, "[sla.resolution_days]")
            for kind in RESOLUTION_KINDS:
                resolution_days[kind] = self._positive_days(
                    resolution_table, kind, "[sla.resolution_days]", resolution_days[kind]
                )
        reminder_at = table.get("reminder_at", defaults.reminder_at)
        if not _is_number(reminder_at) or not 0 < reminder_at < 1:
            self.problem(
                f"[sla] reminder_at must be a share between 0 and 1 (e.g. 0.75), got {reminder_at!r}"
            )
            reminder_at = defaults.reminder_at
        escalate = table.get("escalate_after_days", list(defaults.escalate_after_days))
        if (
            not isinstance(escalate, list)
            or not escalate
            or not all(_is_whole(d) and d >= 0 for d in escalate)
            or any(b <= a for a, b in zip(escalate, escalate[1:], strict=False))
        ):
            self.problem(
                "[sla] escalate_after_days must be a list of increasing whole numbers of "
                f"working days from 0 up (e.g. [0, 5]), got {escalate!r}"
            )
            escalate = list(defaults.escalate_after_days)
        return SlaRules(
            verify_days=self._positive_days(table, "verify_days", "[sla]", defaults.verify_days),
            first_response_days=self._positive_days(
                table, "first_response_days", "[sla]", defaults.first_response_days
            ),
            resolution_days=MappingProxyType(resolution_days),
            auto_close_days=self._positive_days(
                table, "auto_close_days", "[sla]", defaults.auto_close_days
            ),
            reminder_at=float(reminder_at),
            escalate_after_days=tuple(escalate),
        )

    def _privacy(self) -> tuple[bool, bool, str, int]:
        # Required, not defaulted: identities leaked from LAPOR! when nobody set these flags,
        # so each city states its choice where an auditor can read it.
        table = self._table("privacy", required=True)
        self._only_keys(
            table,
            ("rahasia_default", "anonim_default", "publish", "retain_contacts_days"),
            "[privacy]",
        )
        flags = []
        for key in ("rahasia_default", "anonim_default"):
            value = table.get(key)
            if not isinstance(value, bool):
                if "privacy" in self.raw:
                    self.problem(f"[privacy] {key} must be true or false, got {value!r}")
                value = False
            flags.append(value)
        publish = table.get("publish", PUBLISH_POLICIES[0])
        if publish not in PUBLISH_POLICIES:
            self.problem(
                f"[privacy] publish must be one of {', '.join(map(repr, PUBLISH_POLICIES))}, "
                f"got {publish!r}"
            )
            publish = PUBLISH_POLICIES[0]
        retain = table.get("retain_contacts_days", RETAIN_CONTACTS_DAYS)
        low, high = RETAIN_CONTACTS_RANGE
        if not _is_whole(retain) or not low <= retain <= high:
            self.problem(
                f"[privacy] retain_contacts_days must be a whole number from {low} to {high}, "
                f"got {retain!r}"
            )
            retain = RETAIN_CONTACTS_DAYS
        return flags[0], flags[1], publish, retain

    def _calendar(self) -> tuple[tuple[date, ...], time, time]:
        table = self._table("calendar")
        self._only_keys(table, ("extra_days_off", "office_start", "office_end"), "[calendar]")
        start = self._time(table, "office_start", time(7, 30))
        end = self._time(table, "office_end", time(16, 0))
        if start >= end:
            self.problem(
                f"[calendar] office_start {start:%H:%M} must be before office_end {end:%H:%M}"
            )
        days = table.get("extra_days_off", [])
        if not isinstance(days, list):
            self.problem(f"[calendar] extra_days_off must be a list of dates, got {days!r}")
            days = []
        parsed: set[date] = set()
        for value in days:
            day = self._date(value)
            if day is not None:
                parsed.add(day)
        return tuple(sorted(parsed)), start, end

    def _date(self, value: object) -> date | None:
        # datetime is a subclass of date, and a time of day has no place in a day off.
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.problem(f"[calendar] extra_days_off entry {value!r} is not a date (write 2026-06-17)")
        return None

    def _time(self, table: Mapping[str, Any], key: str, default: time) -> time:
        value = table.get(key, default)
        if isinstance(value, time) and value.tzinfo is None:
            return value
        if isinstance(value, str):
            try:
                return time.fromisoformat(value)
            except ValueError:
                pass
        self.problem(f'[calendar] {key} must be a time of day like "07:30", got {value!r}')
        return default

    def _classifier(self) -> float | None:
        table = self._table("classifier")
        self._only_keys(table, ("confidence_threshold",), "[classifier]")
        value = table.get("confidence_threshold", "auto")
        if value == "auto":
            return None
        if not _is_number(value) or not 0 < value <= 1:
            self.problem(
                '[classifier] confidence_threshold must be "auto" or a number above 0 and '
                f"at most 1, got {value!r}"
            )
            return None
        return float(value)

    def _workflow(self) -> bool:
        table = self._table("workflow")
        self._only_keys(table, ("resolve_requires_photo",), "[workflow]")
        value = table.get("resolve_requires_photo", False)
        if not isinstance(value, bool):
            self.problem(f"[workflow] resolve_requires_photo must be true or false, got {value!r}")
            return False
        return value

    def _limits(self) -> RateLimits:
        table = self._table("limits")
        self._only_keys(table, LIMIT_KEYS, "[limits]")
        defaults = RateLimits()
        chosen: dict[str, Limit] = {}
        for key in LIMIT_KEYS:
            default: Limit = getattr(defaults, key)
            entry = table.get(key)
            if entry is None:
                continue
            where = f"[limits] {key}"
            if not isinstance(entry, dict):
                self.problem(f"{where} must be an inline table like {{ hits = 10, minutes = 60 }}")
                continue
            self._only_keys(entry, ("hits", "minutes"), where)
            hits = entry.get("hits", default.hits)
            minutes = entry.get("minutes", int(default.window.total_seconds() // 60))
            if not _is_whole(hits) or hits < 1:
                self.problem(f"{where} hits must be a whole number from 1 up, got {hits!r}")
                continue
            if not _is_whole(minutes) or not 1 <= minutes <= LIMIT_MAX_MINUTES:
                self.problem(
                    f"{where} minutes must be a whole number from 1 to {LIMIT_MAX_MINUTES}, "
                    f"got {minutes!r}"
                )
                continue
            chosen[key] = Limit(hits, timedelta(minutes=minutes))
        return RateLimits(**chosen)
