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
    CATEGORY_CODES,
    LIMIT_MAX_MINUTES,
    PUBLISH_POLICIES,
    RESOLUTION_KINDS,
    RETAIN_CONTACTS_DAYS,
    RETAIN_CONTACTS_RANGE,
    SKM_ELEMENT_CODES,
    SlaRules,
)

# The service rules' numbers (service-rules.md), defined once in the values.
_SLA = SlaRules()


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
    survey: SurveySection = SurveySection()
    chat: ChatSection = ChatSection()
