"""A deployment's city as the running service sees it: its agencies, which agency handles each
complaint category, its SLA numbers, privacy defaults, calendar, rate limits and WhatsApp
templates.

These are frozen values built once at start from a checked city file (lapor.city.loading, by
the rules in lapor.city.schema); the code that reads them cannot change them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

from classifier.dataset import CATEGORIES
from lapor.city.areas import CityArea, Place
from lapor.ikm import ELEMENT_CODES as SKM_ELEMENT_CODES
from lapor.ratelimit import Limit

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
    # Working days to resolve, set by the admin (lapor/city_edits.py); None: the resolution
    # kind's days from [sla.resolution_days].
    resolution_days: int | None = None


def _default_resolution_days() -> Mapping[str, int]:
    return MappingProxyType({"simple": 5, "no_field_check": 14, "field_check": 60})


# The priorities, lowest first (lapor.priority suggests and labels them).
PRIORITIES = ("rendah", "sedang", "tinggi", "darurat")
PRIORITY_STAGES = ("verify", "response", "resolve")


@dataclass(frozen=True)
class PriorityHours:
    """[sla.priority]: the most working hours a stage may take at one priority. A priority
    only shortens the SP4N-LAPOR! limits (the working days above), never lengthens them: the
    deadline is the sooner of the two. None: the working days alone."""

    verify: int | None = None
    response: int | None = None
    resolve: int | None = None


def _default_priority_hours() -> Mapping[str, PriorityHours]:
    # darurat: the desk looks within the hour, the agency answers within two working hours and
    # makes it safe within one working day (8 h). tinggi: half a day to verify, one working
    # day to answer, and about five working days (40 h) to fix, the "simple complaint" target:
    # a pothole that caused an accident is patched within the week, not in 60 days. sedang
    # and rendah keep the SP4N-LAPOR! limits exactly: no rule allows a complaint more time,
    # so rendah only sorts last.
    return MappingProxyType(
        {
            "rendah": PriorityHours(),
            "sedang": PriorityHours(),
            "tinggi": PriorityHours(verify=4, response=8, resolve=40),
            "darurat": PriorityHours(verify=1, response=2, resolve=8),
        }
    )


@dataclass(frozen=True)
class EmergencyNumber:
    name: str
    number: str


# [emergency] numbers unless a city says otherwise: the national emergency call centre (112),
# the fire brigade (113), the ambulance of the national emergency system SPGDT (119) and the
# police (110).
EMERGENCY_NUMBERS = (
    EmergencyNumber("Panggilan Darurat", "112"),
    EmergencyNumber("Pemadam Kebakaran (Damkar)", "113"),
    EmergencyNumber("Ambulans (SPGDT)", "119"),
    EmergencyNumber("Polisi", "110"),
)

AREA_LEVELS = ("kecamatan", "kelurahan")


@dataclass(frozen=True)
class AreaRoute:
    """[area.routes.<category>]: this category goes to another agency in some areas (a UPT
    per kecamatan); elsewhere to the category's own agency."""

    by: str  # one of AREA_LEVELS
    agencies: Mapping[str, str]  # area name -> agency code


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
    priority_hours: Mapping[str, PriorityHours] = field(default_factory=_default_priority_hours)


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
class WhatsAppTemplates:
    """[whatsapp]: the names under which Meta approved the city's message templates (their
    texts: docs/whatsapp-templates.md), one per purpose of lapor.message_templates, and the
    languages they were approved in (a chat in another language gets the first)."""

    status: str = "lapor_status"
    survey: str = "lapor_survey"
    survey_reminder: str = "lapor_survey_reminder"
    codes: str = "lapor_codes"
    languages: tuple[str, ...] = ("id",)

    def name(self, purpose: str) -> str | None:
        return getattr(self, purpose, None) if purpose in WHATSAPP_TEMPLATE_KEYS else None

    def language(self, wanted: str | None) -> str:
        return wanted if wanted in self.languages else self.languages[0]


WHATSAPP_TEMPLATE_KEYS = ("status", "survey", "survey_reminder", "codes")


@dataclass(frozen=True)
class OpenDataTerms:
    """[open_data]: the licence the city's open data is published under (the exports of
    public complaints, their daily dumps, the monthly tables), stated with every file."""

    licence: str = "CC BY 4.0"
    licence_url: str = "https://creativecommons.org/licenses/by/4.0/"


@dataclass(frozen=True)
class Open311Terms:
    """[open311]: the city as an Open311 jurisdiction, and how many requests one partner's
    api_key may file (a partner files for many citizens, so more than one address may)."""

    jurisdiction_id: str = ""  # "" : the city's key (lapor.city.loading fills it in)
    filing_per_client: Limit = Limit(600, timedelta(hours=1))


@dataclass(frozen=True)
class DuplicateRules:
    """[duplicates]: when a new report is offered an open one to support instead ("Saya juga
    mengalami"): within `radius_m` metres of its point and at least `similarity` alike
    (pg_trgm) in the same category, as FixMyStreet suggests reports within 250 m."""

    radius_m: int = 250
    similarity: float = 0.3


@dataclass(frozen=True)
class External:
    """[external.CODE]: a body outside the city's government (the province, a ministry, PLN,
    a PDAM that is no city agency) and how a complaint forwarded to it reaches it."""

    code: str
    name: str
    short_name: str
    kind: str  # province, ministry, bumn, pdam, other
    channel: str  # email, webhook, open311
    email: str | None = None
    url: str | None = None
    service_code: str | None = None


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
    whatsapp: WhatsAppTemplates = field(default_factory=WhatsAppTemplates)
    # [emergency]: read out at once to a citizen whose report is an emergency.
    emergency_numbers: tuple[EmergencyNumber, ...] = EMERGENCY_NUMBERS
    # [area]: the boundary, kecamatan and kelurahan; None: no boundary is checked.
    area: CityArea | None = None
    area_routes: Mapping[str, AreaRoute] = field(default_factory=lambda: MappingProxyType({}))
    open_data: OpenDataTerms = field(default_factory=OpenDataTerms)
    open311: Open311Terms = field(default_factory=Open311Terms)
    # The SKM elements (U1-U9) asked of each category's reporters, in the regulation's order:
    # all nine but those [survey] not_asked lists against the category.
    survey_elements: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    # [chat] followup_days: how long after a complaint's last activity a chat message goes to
    # it as the citizen's note rather than starting a new report.
    followup_days: int = 7
    duplicates: DuplicateRules = field(default_factory=DuplicateRules)
    # [external.CODE]: where a complaint that is not the city's may be forwarded (lapor/forwarding.py).
    externals: Mapping[str, External] = field(default_factory=lambda: MappingProxyType({}))

    def elements_for(self, category: str | None) -> tuple[str, ...]:
        """The SKM elements asked about a complaint of `category` (all nine when unknown)."""
        return self.survey_elements.get(category or "", SKM_ELEMENT_CODES)

    @property
    def publishes_immediately(self) -> bool:
        return self.publish == "immediately"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def desk(self) -> Agency:
        return self.agencies[self.desk_agency]

    def agency_for(self, category: str, place: Place | None = None) -> Agency:
        """The agency that handles ``category`` in this city (for lainnya: the desk), at
        ``place`` when the city routes the category by area ([area.routes])."""
        try:
            code = self.categories[category].agency
        except KeyError:
            raise KeyError(f"unknown category code {category!r}") from None
        route = self.area_routes.get(category)
        if route is not None and place is not None:
            code = route.agencies.get(getattr(place, route.by) or "", code)
        return self.agencies[code]

    def escalation_chain(self, agency_code: str) -> tuple[Agency, ...]:
        """The agencies above ``agency_code``, nearest first, ending with the kepala daerah."""
        chain = []
        parent = self.agencies[agency_code].parent
        while parent is not None:
            chain.append(self.agencies[parent])
            parent = self.agencies[parent].parent
        return tuple(chain)
