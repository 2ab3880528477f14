"""The city file's schema: one pydantic model per TOML table, each key with its type, its range
and the sentence an admin reads when the value is wrong; then the rules that join tables
(in lapor.city.references).

A key's sentence travels in the error itself (``must be ..., got ...``), so lapor.city.loading
only has to say where the key is. Sections are validated one by one, so the rules between
tables still run on the tables that are right, and an admin sees every problem at once.

Longer than 400 lines because the city file has a dozen tables and each model sits beside the
key types it uses; split by table, a reader would chase the shared key types across files.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Annotated, Any, ClassVar, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    RootModel,
    StringConstraints,
    ValidationError,
    WrapValidator,
    create_model,
    model_validator,
)
from pydantic_core import PydanticCustomError

from lapor.city.values import (
    AGENCY_KINDS,
    AREA_LEVELS,
    CATEGORY_CODES,
    EMERGENCY_NUMBERS,
    LIMIT_MAX_MINUTES,
    PRIORITIES,
    PRIORITY_STAGES,
    PUBLISH_POLICIES,
    RESOLUTION_KINDS,
    RETAIN_CONTACTS_DAYS,
    RETAIN_CONTACTS_RANGE,
    SKM_ELEMENT_CODES,
    Open311Terms,
    OpenDataTerms,
    SlaRules,
    WhatsAppTemplates,
)

# The service rules' numbers (service-rules.md), defined once in the values.
_SLA = SlaRules()
_WHATSAPP = WhatsAppTemplates()


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def refusal(sentence: str) -> PydanticCustomError:
    """A pydantic error carrying our sentence, said after the key's place in the file."""
    return PydanticCustomError("city_file", "{sentence}", {"sentence": sentence})


def explained(what: str) -> WrapValidator:
    """Whatever pydantic finds wrong with the value, the admin reads ``must be <what>``."""

    def wrap(value: object, handler: Any) -> Any:
        try:
            return handler(value)
        except ValidationError:
            raise refusal(f"must be {what}, got {value!r}") from None

    return WrapValidator(wrap)


def _a_list(what: str) -> BeforeValidator:
    # TOML arrays are lists; pydantic would also take a tuple or a set, which TOML cannot write.
    def check(value: object) -> object:
        if not isinstance(value, list):
            raise refusal(f"must be {what}, got {value!r}")
        return value

    return BeforeValidator(check)


def _unique(values: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(dict.fromkeys(values))  # a repeated recipient would get every message twice


def _chat_id_as_text(value: object) -> object:
    # Chat ids are numbers; TOML may hold them unquoted. (bool is an int: not a chat id.)
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _iana_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise refusal(
            f"{name!r} is not an IANA time zone "
            "(Indonesia: Asia/Jakarta, Asia/Pontianak, Asia/Makassar, Asia/Jayapura)"
        ) from None
    return name


def _agency_code(code: str) -> str:
    if not re.fullmatch(r"[A-Z][A-Z0-9_]*", code):
        raise refusal(
            f"agency code {code!r} must be upper-case letters, digits and underscores, "
            "starting with a letter"
        )
    return code


def _day_off(value: object) -> date:
    # datetime is a subclass of date, and a time of day has no place in a day off.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise refusal(f"{value!r} is not a date (write 2026-06-17)")


def _time_of_day(value: object) -> time:
    if isinstance(value, time) and value.tzinfo is None:
        return value
    if isinstance(value, str):
        try:
            return time.fromisoformat(value)
        except ValueError:
            pass
    raise refusal(f'must be a time of day like "07:30", got {value!r}')


def _increasing(days: tuple[int, ...]) -> tuple[int, ...]:
    if any(later <= earlier for earlier, later in zip(days, days[1:], strict=False)):
        raise ValueError("not increasing")
    return days


# -- the words of the file: strict, so that `verify_days = true` or `"3"` is no number --------

Text = Annotated[
    str,
    StringConstraints(strict=True, strip_whitespace=True, min_length=1),
    explained("a non-empty string"),
]
Flag = Annotated[bool, Field(strict=True), explained("true or false")]
PositiveDays = Annotated[
    int, Field(strict=True, gt=0), explained("a positive whole number of days")
]
Email = Annotated[
    str,
    StringConstraints(strict=True, strip_whitespace=True, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
    explained("an e-mail address"),
]
# A numeric chat id (negative for groups and channels) or a public channel's @username.
TelegramChat = Annotated[
    str,
    StringConstraints(
        strict=True, strip_whitespace=True, pattern=r"^(-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$"
    ),
    explained("a Telegram chat id (digits) or @channel"),
    BeforeValidator(_chat_id_as_text),
]
AgencyCode = Annotated[str, AfterValidator(_agency_code)]
# Meta's rule for a template's name.
TemplateName = Annotated[
    str,
    StringConstraints(strict=True, strip_whitespace=True, pattern=r"^[a-z0-9_]{1,512}$"),
    explained("a template name (lower-case letters, digits and _)"),
]
TimeOfDay = Annotated[time, PlainValidator(_time_of_day)]
DayOff = Annotated[date, PlainValidator(_day_off)]


class Table(BaseModel):
    """A TOML table: unknown keys are refused (a misspelt optional key would otherwise be
    ignored and its default used), and a value that is no table is named as such."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    looks_like: ClassVar[str] = "a table"
    # Written inline (`key = { ... }`) rather than under its own [header].
    inline: ClassVar[bool] = False
    # How an unknown key and a missing key are named in this table.
    key_noun: ClassVar[str] = "key"
    missing_says: ClassVar[str] = "{where} {key} is missing"

    @model_validator(mode="before")
    @classmethod
    def _a_table(cls, value: object) -> object:
        if not isinstance(value, dict | BaseModel):
            raise refusal(f"must be {cls.looks_like}")
        return value


# -- [city] ---------------------------------------------------------------------------------


class CitySection(Table):
    looks_like: ClassVar[str] = "a table (a [city] section)"

    name: Text
    timezone: Annotated[Text, AfterValidator(_iana_zone)]
    desk_agency: Text


# -- [agencies.CODE] and [agencies.CODE.contacts] -------------------------------------------


class ContactsTable(Table):
    looks_like: ClassVar[str] = 'a table like { head_email = "kadis@..." }'

    head_email: Email | None = None
    head_telegram: TelegramChat | None = None
    officers_email: Annotated[tuple[Email, ...], _a_list("a list"), AfterValidator(_unique)] = ()
    officers_telegram: Annotated[
        tuple[TelegramChat, ...], _a_list("a list"), AfterValidator(_unique)
    ] = ()


class AgencyTable(Table):
    looks_like: ClassVar[str] = "a table with name, short_name, parent and kind"

    name: Text
    short_name: Text
    # The agency a breach escalates to; None only for the kepala daerah.
    parent: Annotated[str, Field(strict=True), explained("an agency code")] | None = None
    kind: Annotated[Literal[AGENCY_KINDS], explained(f"one of {', '.join(AGENCY_KINDS)}")] = "opd"
    contacts: ContactsTable = ContactsTable()


def _some_agency(agencies: dict[str, AgencyTable]) -> dict[str, AgencyTable]:
    if not agencies:
        raise refusal("lists no agency")
    return agencies


class AgenciesSection(
    RootModel[Annotated[dict[AgencyCode, AgencyTable], AfterValidator(_some_agency)]]
):
    model_config = ConfigDict(frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _a_table(cls, value: object) -> object:
        if not isinstance(value, dict):
            raise refusal("must be a table (a [agencies] section)")
        return value


# -- [categories] ----------------------------------------------------------------------------


class CategoryEntry(Table):
    looks_like: ClassVar[str] = (
        'an inline table like { agency = "DPUPR", resolution = "field_check" }'
    )
    inline: ClassVar[bool] = True

    agency: Text
    resolution: Annotated[
        Literal[RESOLUTION_KINDS], explained(f"one of {', '.join(RESOLUTION_KINDS)}")
    ]
    desk: Flag = False  # True only for lainnya: it waits at the verification desk
    name: Text | None = None  # replaces the display name in CATEGORY_NAMES


class _CategoriesTable(Table):
    looks_like: ClassVar[str] = "a table (a [categories] section)"
    key_noun: ClassVar[str] = "category code"
    missing_says: ClassVar[str] = (
        "{where} is missing {key!r}; every category needs exactly one agency"
    )


# Every taxonomy code is a required key: the same codes in every city, only the agency differs.
CategoriesSection: type[Table] = create_model(  # type: ignore[call-overload]
    "CategoriesSection",
    __base__=_CategoriesTable,
    **{code: (CategoryEntry, ...) for code in CATEGORY_CODES},
)


# -- [sla], [privacy], [calendar], [classifier], [workflow], [limits] -----------------------


class ResolutionDaysTable(Table):
    simple: PositiveDays = _SLA.resolution_days["simple"]
    no_field_check: PositiveDays = _SLA.resolution_days["no_field_check"]
    field_check: PositiveDays = _SLA.resolution_days["field_check"]


# A month of working days: a priority that allows more than that shortens nothing.
PRIORITY_MAX_HOURS = 480
Hours = Annotated[
    int,
    Field(strict=True, ge=1, le=PRIORITY_MAX_HOURS),
    explained(f"a whole number of working hours from 1 to {PRIORITY_MAX_HOURS}"),
]


class PriorityHoursEntry(Table):
    """One priority's working hours per stage; a key left out: the stage's working days."""

    looks_like: ClassVar[str] = "an inline table like { response_hours = 8, resolve_hours = 40 }"
    inline: ClassVar[bool] = True

    verify_hours: Hours | None = None
    response_hours: Hours | None = None
    resolve_hours: Hours | None = None


def _priority_entry(priority: str) -> PriorityHoursEntry:
    hours = _SLA.priority_hours[priority]
    return PriorityHoursEntry(
        **{f"{stage}_hours": getattr(hours, stage) for stage in PRIORITY_STAGES}
    )


class PrioritySection(Table):
    """[sla.priority]: working hours that shorten each priority's deadlines."""

    looks_like: ClassVar[str] = "a table (a [sla.priority] section)"

    rendah: PriorityHoursEntry = _priority_entry("rendah")
    sedang: PriorityHoursEntry = _priority_entry("sedang")
    tinggi: PriorityHoursEntry = _priority_entry("tinggi")
    darurat: PriorityHoursEntry = _priority_entry("darurat")

    @model_validator(mode="after")
    def _higher_never_later(self) -> PrioritySection:
        for stage in PRIORITY_STAGES:
            key = f"{stage}_hours"
            lower, allowed = PRIORITIES[0], None
            for priority in PRIORITIES:
                hours = getattr(getattr(self, priority), key)
                if allowed is not None and (hours is None or hours > allowed):
                    said = "no limit" if hours is None else f"{hours}"
                    raise refusal(
                        f"{priority} {key} ({said}) is longer than {lower}'s ({allowed}); "
                        "a higher priority is never due later"
                    )
                if hours is not None:
                    lower, allowed = priority, hours
        return self


class SlaSection(Table):
    """Working days, as in service-rules.md; a city may change any of them."""

    looks_like: ClassVar[str] = "a table (a [sla] section)"

    verify_days: PositiveDays = _SLA.verify_days
    first_response_days: PositiveDays = _SLA.first_response_days
    resolution_days: ResolutionDaysTable = ResolutionDaysTable()
    auto_close_days: PositiveDays = _SLA.auto_close_days
    reminder_at: Annotated[
        float, Field(strict=True, gt=0, lt=1), explained("a share between 0 and 1 (e.g. 0.75)")
    ] = _SLA.reminder_at
    escalate_after_days: Annotated[
        tuple[Annotated[int, Field(strict=True, ge=0)], ...],
        _a_list("a list"),
        Field(min_length=1),
        AfterValidator(_increasing),
        explained("a list of increasing whole numbers of working days from 0 up (e.g. [0, 5])"),
    ] = _SLA.escalate_after_days
    priority: PrioritySection = PrioritySection()


class PrivacySection(Table):
    # Required, not defaulted: identities leaked from LAPOR! when nobody set these flags, so
    # each city states its choice where an auditor can read it.
    looks_like: ClassVar[str] = "a table (a [privacy] section)"

    rahasia_default: Flag
    anonim_default: Flag
    publish: Annotated[
        Literal[PUBLISH_POLICIES], explained(f"one of {', '.join(map(repr, PUBLISH_POLICIES))}")
    ] = PUBLISH_POLICIES[0]
    retain_contacts_days: Annotated[
        int,
        Field(strict=True, ge=RETAIN_CONTACTS_RANGE[0], le=RETAIN_CONTACTS_RANGE[1]),
        explained("a whole number from {} to {}".format(*RETAIN_CONTACTS_RANGE)),
    ] = RETAIN_CONTACTS_DAYS


class CalendarSection(Table):
    looks_like: ClassVar[str] = "a table (a [calendar] section)"

    office_start: TimeOfDay = time(7, 30)
    office_end: TimeOfDay = time(16, 0)
    extra_days_off: Annotated[
        tuple[DayOff, ...],
        _a_list("a list of dates"),
        AfterValidator(lambda days: tuple(sorted(set(days)))),
    ] = ()

    @model_validator(mode="after")
    def _hours_in_order(self) -> CalendarSection:
        if self.office_start >= self.office_end:
            raise refusal(
                f"office_start {self.office_start:%H:%M} must be before "
                f"office_end {self.office_end:%H:%M}"
            )
        return self


class ClassifierSection(Table):
    looks_like: ClassVar[str] = "a table (a [classifier] section)"

    # "auto": the threshold chosen at training.
    confidence_threshold: Annotated[
        Literal["auto"] | Annotated[float, Field(strict=True, gt=0, le=1)],
        explained('"auto" or a number above 0 and at most 1'),
    ] = "auto"


class WorkflowSection(Table):
    looks_like: ClassVar[str] = "a table (a [workflow] section)"

    resolve_requires_photo: Flag = False


class LimitEntry(Table):
    """One limit; a key left out keeps that limit's default (lapor.city.values.RateLimits)."""

    looks_like: ClassVar[str] = "an inline table like { hits = 10, minutes = 60 }"
    inline: ClassVar[bool] = True

    hits: Annotated[int, Field(strict=True, ge=1), explained("a whole number from 1 up")] | None = (
        None
    )
    minutes: (
        Annotated[
            int,
            Field(strict=True, ge=1, le=LIMIT_MAX_MINUTES),
            explained(f"a whole number from 1 to {LIMIT_MAX_MINUTES}"),
        ]
        | None
    ) = None


class LimitsSection(Table):
    """[limits]: how often one client may do each thing; counted in lapor.ratelimit."""

    looks_like: ClassVar[str] = "a table (a [limits] section)"

    filing_per_address: LimitEntry = LimitEntry()
    filing_per_chat: LimitEntry = LimitEntry()
    lookups_per_address: LimitEntry = LimitEntry()
    login_failures_per_address: LimitEntry = LimitEntry()


class WhatsAppTemplatesTable(Table):
    """[whatsapp.templates]: each purpose's template name as approved in WhatsApp Manager."""

    looks_like: ClassVar[str] = "a table (a [whatsapp.templates] section)"

    status: TemplateName = _WHATSAPP.status
    survey: TemplateName = _WHATSAPP.survey
    survey_reminder: TemplateName = _WHATSAPP.survey_reminder
    codes: TemplateName = _WHATSAPP.codes


class WhatsAppSection(Table):
    """[whatsapp]: what lapor sends outside a chat's 24-hour window (lapor.message_templates)."""

    looks_like: ClassVar[str] = "a table (a [whatsapp] section)"

    languages: Annotated[
        tuple[Literal["id", "en"], ...],
        _a_list('a list of "id" and "en"'),
        Field(min_length=1),
        explained('a non-empty list of "id" and "en"'),
        AfterValidator(_unique),
    ] = _WHATSAPP.languages
    templates: WhatsAppTemplatesTable = WhatsAppTemplatesTable()


# -- [emergency], [area] -----------------------------------------------------------------------


def _a_dict(what: str) -> BeforeValidator:
    def check(value: object) -> object:
        if not isinstance(value, dict):
            raise refusal(f"must be {what}, got {value!r}")
        return value

    return BeforeValidator(check)


def _some(what: str) -> AfterValidator:
    def check(values: Any) -> Any:
        if not values:
            raise refusal(f"must list at least one {what}")
        return values

    return AfterValidator(check)


class EmergencyEntry(Table):
    looks_like: ClassVar[str] = 'an inline table like { name = "Damkar", number = "113" }'
    inline: ClassVar[bool] = True

    name: Text
    number: Annotated[
        str,
        StringConstraints(strict=True, strip_whitespace=True, pattern=r"^\+?[0-9][0-9 -]{1,19}$"),
        explained('a telephone number like "112" or "0561 736112"'),
    ]


class EmergencySection(Table):
    """[emergency]: the numbers a citizen reporting an emergency is given at once."""

    looks_like: ClassVar[str] = "a table (an [emergency] section)"

    numbers: Annotated[
        tuple[EmergencyEntry, ...], _a_list("a list of { name, number } tables"), _some("number")
    ] = tuple(EmergencyEntry(name=n.name, number=n.number) for n in EMERGENCY_NUMBERS)


AreaName = Annotated[
    str, StringConstraints(strict=True, min_length=1), explained("a kecamatan or kelurahan name")
]


class AreaRouteTable(Table):
    """[area.routes.<category>]: the agency that takes the category in each named area."""

    looks_like: ClassVar[str] = 'a table with by = "kecamatan" and an [agencies] table'

    by: Annotated[Literal[AREA_LEVELS], explained(f"one of {', '.join(AREA_LEVELS)}")]
    agencies: Annotated[
        dict[AreaName, Annotated[str, Field(strict=True), explained("an agency code")]],
        _a_dict("a table of area names and agency codes"),
        _some("area"),
    ]


class AreaSection(Table):
    """[area]: the GeoJSON of the city's boundary, kecamatan and kelurahan; categories that
    go to another agency by area."""

    looks_like: ClassVar[str] = "a table (an [area] section)"

    geojson: Text | None = None  # None: no boundary, no places filled in
    routes: Annotated[dict[str, AreaRouteTable], _a_dict("a table of category codes")] = {}


# -- [open_data], [open311] ------------------------------------------------------------------

_OPEN_DATA, _OPEN311 = OpenDataTerms(), Open311Terms()
WebAddress = Annotated[
    str,
    StringConstraints(strict=True, strip_whitespace=True, pattern=r"^https?://[^\s]+$"),
    explained("an http(s) address"),
]
JurisdictionId = Annotated[
    str,
    StringConstraints(strict=True, strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9.-]{0,99}$"),
    explained('a lower-case name like "kota-contoh.go.id"'),
]


class OpenDataSection(Table):
    looks_like: ClassVar[str] = "a table (an [open_data] section)"

    licence: Text = _OPEN_DATA.licence
    licence_url: WebAddress = _OPEN_DATA.licence_url


class Open311Section(Table):
    looks_like: ClassVar[str] = "a table (an [open311] section)"

    jurisdiction_id: JurisdictionId | None = None  # None: the city's key
    filing_per_client: LimitEntry = LimitEntry()


# -- [survey], [chat] -----------------------------------------------------------------------


def _category_code(value: object) -> str:
    if isinstance(value, str) and value in CATEGORY_CODES:
        return value
    near = did_you_mean(value, CATEGORY_CODES) if isinstance(value, str) else ""
    raise refusal(f"{value!r} is not a category code{near}")


CategoryCodes = Annotated[
    tuple[Annotated[str, PlainValidator(_category_code)], ...],
    _a_list('a list of category codes like ["jalan", "sampah"]'),
    AfterValidator(_unique),
]


class _NotAskedTable(Table):
    looks_like: ClassVar[str] = 'a table like { U1 = ["jalan"], U4 = ["jalan"] }'
    inline: ClassVar[bool] = True
    key_noun: ClassVar[str] = "SKM element"


# [survey] not_asked: for each of the nine SKM elements (U1-U9), the categories whose service
# it does not apply to (rubbish collection asks no requirements, U1, and no fee, U4).
NotAskedTable: type[Table] = create_model(  # type: ignore[call-overload]
    "NotAskedTable",
    __base__=_NotAskedTable,
    **{code: (CategoryCodes, ()) for code in SKM_ELEMENT_CODES},
)


class SurveySection(Table):
    looks_like: ClassVar[str] = "a table (a [survey] section)"

    not_asked: NotAskedTable = NotAskedTable()  # type: ignore[valid-type]


class ChatSection(Table):
    """[chat]: the chat bots' habits a city may tune."""

    looks_like: ClassVar[str] = "a table (a [chat] section)"

    # What a citizen writes after filing goes to their latest open complaint as a note, for
    # this many days after its last activity; later, a message starts a new report.
    followup_days: PositiveDays = 7


class DuplicatesSection(Table):
    """[duplicates]: which open reports a new one is offered to support instead."""

    looks_like: ClassVar[str] = "a table (a [duplicates] section)"

    radius_m: Annotated[
        int, Field(strict=True, ge=10, le=5000), explained("a whole number of metres, 10 to 5000")
    ] = 250
    similarity: Annotated[
        float, Field(strict=True, gt=0, le=1), explained("a number above 0 and at most 1")
    ] = 0.3


# -- [external.CODE] ------------------------------------------------------------------------

EXTERNAL_KINDS = ("province", "ministry", "bumn", "pdam", "other")
EXTERNAL_CHANNELS = ("email", "webhook", "open311")


class ExternalTable(Table):
    """A body outside the city's government that a complaint "bukan wewenang kota" is
    forwarded to, and the one channel it is reached by. Its secret (webhook) or api key
    (Open311) comes from the environment, never the file (lapor/settings.py)."""

    looks_like: ClassVar[str] = 'a table with name, kind and channel = "email"'

    name: Text
    short_name: Text | None = None
    kind: Annotated[Literal[EXTERNAL_KINDS], explained(f"one of {', '.join(EXTERNAL_KINDS)}")] = (
        "other"
    )
    channel: Annotated[
        Literal[EXTERNAL_CHANNELS], explained(f"one of {', '.join(EXTERNAL_CHANNELS)}")
    ]
    email: Email | None = None  # channel "email": where the complaint is sent
    url: WebAddress | None = None  # "webhook": the POST target; "open311": the endpoint base
    service_code: Text | None = None  # "open311": the service the requests are filed under

    @model_validator(mode="after")
    def _reachable(self) -> ExternalTable:
        if self.channel == "email" and self.email is None:
            raise refusal('needs email = "..." for channel "email"')
        if self.channel in ("webhook", "open311") and self.url is None:
            raise refusal(f'needs url = "https://..." for channel "{self.channel}"')
        if self.channel == "open311" and self.service_code is None:
            raise refusal('needs service_code = "..." for channel "open311"')
        return self


class ExternalSection(RootModel[dict[AgencyCode, ExternalTable]]):
    model_config = ConfigDict(frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _a_table(cls, value: object) -> object:
        if not isinstance(value, dict):
            raise refusal("must be a table (an [external] section)")
        return value


class CityFile(BaseModel):
    """The whole file: its sections, in the order the shipped files write them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    city: CitySection
    agencies: AgenciesSection
    categories: CategoriesSection  # type: ignore[valid-type]
    sla: SlaSection = SlaSection()
    privacy: PrivacySection
    calendar: CalendarSection = CalendarSection()
    classifier: ClassifierSection = ClassifierSection()
    workflow: WorkflowSection = WorkflowSection()
    limits: LimitsSection = LimitsSection()
    whatsapp: WhatsAppSection = WhatsAppSection()
    emergency: EmergencySection = EmergencySection()
    area: AreaSection = AreaSection()
    open_data: OpenDataSection = OpenDataSection()
    open311: Open311Section = Open311Section()
    survey: SurveySection = SurveySection()
    chat: ChatSection = ChatSection()
    duplicates: DuplicatesSection = DuplicatesSection()
    external: ExternalSection = ExternalSection({})
